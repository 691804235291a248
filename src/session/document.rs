//! An article as a session edits it, and the save/merge/retry state machine
//! around it, with no interface: the reader (or any other front end) calls
//! `Saves::save` after each change, hands it the worker's replies, and is
//! told in `News` what the user should hear. Requests for the I/O worker
//! come back as values; nothing here touches the disk or a terminal.
//!
//! The machine, per sidecar: `Saved` --change--> `Saving` --Saved-->
//! `Saved`; `Saving` --SaveFailed--> `Failed` --retry due--> `Saving`;
//! `Saving` --Conflict--> merge what is on disk (`DiskSync::settle`) -->
//! `Saving` again. Every save carries a generation: an answer to an older
//! one is only news for what it wrote, never for the state. An article
//! left while its save is on the way is kept (in `leaving`) until answered,
//! so a conflict can still be merged and written.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::worker::Request;
use crate::core::annotation::Store;
use crate::core::sync::DiskSync;
use crate::core::text::Text;

/// The first wait before a failed save is tried again; it doubles up to
/// `RETRY_MAX` while the disk keeps failing.
pub const RETRY_FIRST: Duration = Duration::from_secs(1);
pub const RETRY_MAX: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Saving,
    Failed(String),
}

/// One open article: its text, its annotations and where their save
/// stands.
#[derive(Debug)]
pub struct Document {
    /// Its place in the corpus's list of articles.
    pub idx: usize,
    pub rel: String,
    /// `None` for a name that cannot have a sidecar: never saved.
    pub sidecar: Option<PathBuf>,
    /// Shared with the I/O thread, which writes sidecars from it.
    pub text: Arc<Text>,
    pub store: Store,
    /// Why changes are refused, when they are.
    pub read_only: Option<String>,
    /// What opening found (moved or orphaned annotations, …).
    pub notices: Vec<String>,
    pub save: SaveState,
    pub save_generation: u64,
    /// What is known of the sidecar on disk, to merge changes made there.
    pub sync: DiskSync,
}

impl Document {
    pub fn new(idx: usize, rel: String, text: Text, store: Store) -> Document {
        Document {
            idx,
            rel,
            sidecar: None,
            text: Arc::new(text),
            sync: DiskSync::new(&store),
            store,
            read_only: None,
            notices: vec![],
            save: SaveState::Saved,
            save_generation: 0,
        }
    }

    pub fn failed(&self) -> bool {
        matches!(self.save, SaveState::Failed(_))
    }
}

/// What a reply means for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum News {
    /// Nothing to say (an old answer, or a save of an article left).
    Quiet,
    /// The open article is on disk as it is here.
    Saved,
    /// The open article's save failed; it is tried again in `retry_in`.
    Failed { message: String, retry_in: Duration },
    /// A save failed that is not the open article's latest.
    NotSaved(String),
    /// The open article's sidecar had changed on disk and was merged into
    /// it (`note` says what the merge did); it must be saved again.
    MergedSaveAgain { note: Option<String> },
    /// An article left earlier had changed on disk: merged and sent again.
    MergedLeft { rel: String },
}

/// The saves of one session: generations, articles left with a save on
/// the way, and when a failed save is tried again.
#[derive(Debug)]
pub struct Saves {
    /// The annotations folder: whose lock each write takes.
    root: PathBuf,
    generation: u64,
    /// Articles left while their last save was on the way, by sidecar.
    leaving: HashMap<PathBuf, Document>,
    retry_at: Option<Instant>,
    retry_wait: Duration,
}

impl Saves {
    pub fn new(root: PathBuf) -> Saves {
        Saves {
            root,
            generation: 0,
            leaving: HashMap::new(),
            retry_at: None,
            retry_wait: Duration::ZERO,
        }
    }

    /// The request that writes `d` as it is now; `None` when it has no
    /// sidecar to write.
    pub fn save(&mut self, d: &mut Document) -> Option<Request> {
        let path = d.sidecar.clone()?;
        self.generation += 1;
        d.save_generation = self.generation;
        d.save = SaveState::Saving;
        Some(Request::Save {
            root: self.root.clone(),
            path,
            rel: d.rel.clone(),
            text: d.text.clone(),
            store: Box::new(d.store.snapshot()),
            generation: self.generation,
            adopted: d.sync.adopted.clone(),
        })
    }

    /// Puts away an article that is no longer open: kept until its save is
    /// answered when one is on the way.
    pub fn retire(&mut self, d: Document) {
        if let (SaveState::Saving, Some(path)) = (&d.save, d.sidecar.clone()) {
            self.leaving.insert(path, d);
        }
    }

    /// Whether a save was sent and not answered yet (for `open`, or an
    /// article left).
    pub fn unanswered(&self, open: Option<&Document>) -> bool {
        !self.leaving.is_empty() || open.is_some_and(|d| d.save == SaveState::Saving)
    }

    /// When a failed save is to be tried again.
    pub fn wake_at(&self) -> Option<Instant> {
        self.retry_at
    }

    /// The time asked for by `wake_at` has come: the save to try again, if
    /// the open article still needs it.
    pub fn retry_due(&mut self, open: Option<&Document>) -> bool {
        self.retry_at.take().is_some() && open.is_some_and(|d| d.failed())
    }

    fn schedule_retry(&mut self) -> Duration {
        let wait = if self.retry_wait.is_zero() {
            RETRY_FIRST
        } else {
            (self.retry_wait * 2).min(RETRY_MAX)
        };
        self.retry_wait = wait;
        self.retry_at = Some(Instant::now() + wait);
        wait
    }

    fn is_open(open: &Option<&mut Document>, path: &PathBuf) -> bool {
        open.as_ref()
            .is_some_and(|d| d.sidecar.as_ref() == Some(path))
    }

    /// The worker wrote `written` to `path` for save `generation`.
    pub fn on_saved(
        &mut self,
        open: Option<&mut Document>,
        path: PathBuf,
        generation: u64,
        written: Store,
    ) -> News {
        if self
            .leaving
            .get(&path)
            .is_some_and(|l| l.save_generation == generation)
        {
            self.leaving.remove(&path);
        }
        let Some(d) = open.filter(|d| d.sidecar.as_ref() == Some(&path)) else {
            return News::Quiet;
        };
        // Even an older save's answer is what the disk now holds.
        d.sync.saved(written);
        if d.save_generation != generation {
            return News::Quiet;
        }
        d.save = SaveState::Saved;
        self.retry_at = None;
        self.retry_wait = Duration::ZERO;
        News::Saved
    }

    /// The worker could not write save `generation` of `path`.
    pub fn on_failed(
        &mut self,
        open: Option<&mut Document>,
        path: PathBuf,
        generation: u64,
        message: String,
    ) -> News {
        match open.filter(|d| d.sidecar.as_ref() == Some(&path) && d.save_generation == generation)
        {
            Some(d) => {
                d.save = SaveState::Failed(message.clone());
                let retry_in = self.schedule_retry();
                News::Failed { message, retry_in }
            }
            None => News::NotSaved(message),
        }
    }

    /// The sidecar at `path` was not what save `generation` expected: it
    /// holds `theirs` now (`None`: deleted). Merges it into the article it
    /// belongs to. For an article left, the merged save is returned to be
    /// sent; the open one is to be saved again by the caller (`News::
    /// MergedSaveAgain`), which also refreshes what it shows.
    pub fn on_conflict(
        &mut self,
        open: Option<&mut Document>,
        path: PathBuf,
        generation: u64,
        theirs: Option<Vec<u8>>,
        fingerprint: Option<String>,
    ) -> (News, Option<Request>) {
        if Self::is_open(&open, &path) {
            let d = open.expect("checked");
            if d.save_generation != generation {
                // A newer save is on its way and gets its own answer.
                return (News::Quiet, None);
            }
            let text = d.text.clone();
            return match d
                .sync
                .settle(&mut d.store, &text, &path, theirs.as_deref(), fingerprint)
            {
                Ok(note) => (News::MergedSaveAgain { note }, None),
                Err(e) => {
                    d.save = SaveState::Failed(e.clone());
                    let retry_in = self.schedule_retry();
                    (
                        News::Failed {
                            message: e,
                            retry_in,
                        },
                        None,
                    )
                }
            };
        }
        let Some(mut l) = self.leaving.remove(&path) else {
            return (News::Quiet, None);
        };
        if l.save_generation != generation {
            self.leaving.insert(path, l);
            return (News::Quiet, None);
        }
        let text = l.text.clone();
        let out = match l
            .sync
            .settle(&mut l.store, &text, &path, theirs.as_deref(), fingerprint)
        {
            // Sent again as any save is, and still kept until answered.
            Ok(_) => (News::MergedLeft { rel: l.rel.clone() }, self.save(&mut l)),
            Err(e) => (News::NotSaved(e), None),
        };
        self.leaving.insert(path, l);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::{Annotation, now_rfc3339};
    use crate::core::offset::BytePos;

    fn doc(dir: &std::path::Path) -> Document {
        let mut d = Document::new(
            0,
            "a.txt".into(),
            Text::new("alpha beta".into()),
            Store::default(),
        );
        d.sidecar = Some(dir.join("a.txt.toml"));
        d
    }

    fn tag(d: &mut Document, id: &str) {
        d.store.add(Annotation {
            review: None,
            id: id.into(),
            start: BytePos(0),
            end: BytePos(5),
            label: "X".into(),
            note: None,
            annotator: None,
            created: now_rfc3339(),
            ..Default::default()
        });
    }

    #[test]
    fn an_old_answer_does_not_settle_a_newer_save() {
        let dir = tempfile::tempdir().unwrap();
        let mut saves = Saves::new(dir.path().into());
        let mut d = doc(dir.path());
        tag(&mut d, "a");
        assert!(saves.save(&mut d).is_some());
        let first = d.save_generation;
        tag(&mut d, "b");
        saves.save(&mut d);
        let path = d.sidecar.clone().unwrap();
        let news = saves.on_saved(Some(&mut d), path.clone(), first, Store::default());
        assert_eq!(news, News::Quiet);
        assert_eq!(d.save, SaveState::Saving, "the newer save is still out");
        let g = d.save_generation;
        let news = saves.on_saved(Some(&mut d), path, g, Store::default());
        assert_eq!(news, News::Saved);
        assert_eq!(d.save, SaveState::Saved);
        assert!(!saves.unanswered(Some(&d)));
    }

    #[test]
    fn failures_back_off_and_a_success_resets_the_wait() {
        let dir = tempfile::tempdir().unwrap();
        let mut saves = Saves::new(dir.path().into());
        let mut d = doc(dir.path());
        let path = d.sidecar.clone().unwrap();
        let mut waits = vec![];
        for _ in 0..7 {
            saves.save(&mut d);
            let g = d.save_generation;
            match saves.on_failed(Some(&mut d), path.clone(), g, "full".into()) {
                News::Failed { retry_in, .. } => waits.push(retry_in.as_secs()),
                other => panic!("{other:?}"),
            }
            assert!(
                saves.retry_due(Some(&d)),
                "the retry is for the failed save"
            );
        }
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30]);
        saves.save(&mut d);
        let g = d.save_generation;
        saves.on_saved(Some(&mut d), path.clone(), g, Store::default());
        saves.save(&mut d);
        let g = d.save_generation;
        match saves.on_failed(Some(&mut d), path, g, "full".into()) {
            News::Failed { retry_in, .. } => assert_eq!(retry_in, RETRY_FIRST),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_article_left_mid_save_is_merged_and_sent_again_on_conflict() {
        let dir = tempfile::tempdir().unwrap();
        let mut saves = Saves::new(dir.path().into());
        let mut d = doc(dir.path());
        tag(&mut d, "a");
        saves.save(&mut d);
        let (path, generation) = (d.sidecar.clone().unwrap(), d.save_generation);
        saves.retire(d);
        assert!(saves.unanswered(None), "kept until answered");
        let (news, again) = saves.on_conflict(None, path.clone(), generation, None, None);
        assert_eq!(
            news,
            News::MergedLeft {
                rel: "a.txt".into()
            }
        );
        let Some(Request::Save {
            store, generation, ..
        }) = again
        else {
            panic!("the merged article is sent again");
        };
        assert!(store.get("a").is_some(), "the change made here survives");
        saves.on_saved(None, path, generation, *store);
        assert!(!saves.unanswered(None));
    }
}
