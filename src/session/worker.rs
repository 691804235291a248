//! The I/O thread: reads articles and sidecars and writes sidecars, so that
//! the interface never waits on the disk. Requests come in on a channel,
//! results go back as events. Saves to one file are coalesced (only the
//! newest matters) and take priority over filling in the article list.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;

use std::sync::atomic::AtomicBool;

use super::background::{self, Running, SuggestJob};
use super::pace::Pace;
use crate::core::annotation::Store;
use crate::core::article::{self, Glimpse, Opened, Summary};
use crate::core::commit::{CommitError, commit};
use crate::core::consistency::Finding;
use crate::core::corpus::{self, Entry};
use crate::core::grep::{Listed, Query};
use crate::core::labels::{self, Label, Schema};
use crate::core::places::{self, ArticleTags, Place, Tagging};
use crate::core::sidecar::{self, fingerprint};
use crate::core::text::Text;
use crate::suggest::Candidate;

#[derive(Debug)]
pub enum Request {
    Open {
        idx: usize,
        entry: Entry,
        sidecar: Option<PathBuf>,
        /// The annotations folder, which the sidecar must not leave.
        root: PathBuf,
    },
    /// Titles, health and counts for the list, filled in progressively.
    Summaries {
        entries: Arc<[Entry]>,
        annotations: PathBuf,
    },
    /// Writes the sidecar of article `rel`: built here, off the interface's
    /// thread, from a snapshot of its annotations.
    Save {
        /// The annotations folder: whose lock the write takes, and which
        /// the sidecar must not leave.
        root: PathBuf,
        path: PathBuf,
        rel: String,
        text: Arc<Text>,
        store: Box<Store>,
        generation: u64,
        /// Fingerprint of a version on disk that the interface has merged
        /// into `store` (after a `Reply::Conflict`): finding it on disk is
        /// not a conflict.
        adopted: Option<Option<String>>,
    },
    /// Every place of `phrase` in the articles of `entries` but `skip`,
    /// found progressively (`Reply::Places` per article, then
    /// `Reply::PlacesDone`).
    FindPlaces {
        job: u64,
        phrase: String,
        entries: Arc<[Entry]>,
        skip: usize,
    },
    /// Adds (or, undoing, removes; or relabels) tags of places in other
    /// articles' sidecars, each under the lock and merged with what it
    /// holds.
    TagPlaces {
        root: PathBuf,
        how: Tagging,
        items: Vec<ArticleTags>,
    },
    /// Every match of `query` in the articles of `entries`, found on a
    /// thread of its own (`Reply::Found` a batch at a time, then
    /// `Reply::SearchDone`); a newer search stops an older one.
    SearchCorpus {
        job: u64,
        query: Query,
        entries: Arc<[Entry]>,
        annotations: PathBuf,
    },
    /// The consistency check over the corpus, on a thread of its own
    /// (`Reply::Findings`).
    Consistency {
        job: u64,
        entries: Arc<[Entry]>,
        annotations: PathBuf,
    },
    /// The schema's suggestion sources run on one article, on a thread of
    /// their own (`Reply::Proposed`).
    Suggest(Box<SuggestJob>),
    /// Adds what sources proposed for an article no longer open to its
    /// sidecar, under the lock (`Reply::SuggestionsWritten`).
    WriteSuggestions {
        root: PathBuf,
        idx: usize,
        entry: Entry,
        text: Arc<Text>,
        proposed: Vec<(String, Vec<Candidate>)>,
    },
    /// The corpus's statistics, as the lines the view shows (on a thread
    /// of its own).
    Stats {
        entries: Arc<[Entry]>,
        annotations: PathBuf,
    },
    /// Adds labels to the schema file at `path` (or writes `whole` when
    /// there is none), keeping everything the file holds.
    SaveSchema {
        path: PathBuf,
        labels: Vec<Label>,
        whole: String,
    },
}

#[derive(Debug)]
pub enum Reply {
    /// The ends of a large article, sent before it is read whole.
    Glimpse {
        idx: usize,
        glimpse: Box<Glimpse>,
    },
    Opened {
        idx: usize,
        opened: Box<Opened>,
    },
    Summary {
        idx: usize,
        summary: Summary,
    },
    Saved {
        path: PathBuf,
        generation: u64,
        /// The records now in the file: what the next change on disk by
        /// someone else is merged against.
        written: Box<Store>,
    },
    SaveFailed {
        path: PathBuf,
        generation: u64,
        message: String,
    },
    /// Not written: the sidecar on disk changed since gloss last read or
    /// wrote it. Here is what it holds now (`None`: it was deleted), for
    /// the interface to merge and save again.
    Conflict {
        path: PathBuf,
        generation: u64,
        theirs: Option<Vec<u8>>,
        fingerprint: Option<String>,
    },
    /// The places found in article `idx` for search `job`.
    Places {
        job: u64,
        idx: usize,
        places: Vec<Place>,
    },
    /// Search `job` went through every article.
    PlacesDone {
        job: u64,
    },
    /// What `TagPlaces` did: tags added (or removed), in how many
    /// articles, and what could not be written.
    PlacesTagged {
        how: Tagging,
        tagged: usize,
        articles: usize,
        failed: Vec<String>,
    },
    /// The schema as the file holds it now, labels added by others
    /// included.
    SchemaSaved(Box<Schema>),
    SchemaFailed(String),
    /// The statistics view's lines.
    Stats(Vec<String>),
    /// Corpus search `job`'s matches in the next articles (by index), and
    /// how many articles it has looked in so far.
    Found {
        job: u64,
        items: Vec<(usize, Vec<Listed>)>,
        searched: usize,
    },
    /// Corpus search `job` is done: how many matches, what could not be
    /// read, and whether it stopped at `background::MAX_LISTED`.
    SearchDone {
        job: u64,
        matches: usize,
        problems: Vec<String>,
        cut: bool,
    },
    /// What the sources of suggestion job `job` proposed for article `idx`
    /// (whose text had `fingerprint`), by source, and what could not be
    /// run.
    Proposed {
        job: u64,
        idx: usize,
        fingerprint: String,
        proposed: Vec<(String, Vec<Candidate>)>,
        notes: Vec<String>,
    },
    /// What `WriteSuggestions` added to article `rel`'s sidecar, or why
    /// it could not.
    SuggestionsWritten {
        rel: String,
        added: Result<usize, String>,
    },
    /// The consistency check's findings, each with its article's index.
    Findings {
        job: u64,
        findings: Vec<(usize, Finding)>,
        problems: Vec<String>,
        /// Stopped at `background::MAX_LISTED` findings.
        cut: bool,
    },
}

/// The I/O operations themselves, usable without a thread (tests do).
#[derive(Debug, Default)]
pub struct Io {
    /// Fingerprint of each sidecar as last read or written by us (`None`:
    /// it did not exist). A file on disk that differs was changed by
    /// someone else, and is not overwritten.
    known: HashMap<PathBuf, Option<String>>,
    /// Fingerprint of each sidecar last written in gloss's own layout
    /// (nothing in it that gloss does not know): it can be written anew
    /// without first being parsed to see what to keep.
    plain: HashMap<PathBuf, String>,
    /// The interface's pace, which a large article's read gives way to.
    pace: Option<Arc<Pace>>,
}

impl Io {
    /// Carries out `req` at once and returns what it found.
    pub fn perform(&mut self, req: Request) -> Vec<Reply> {
        match req {
            Request::Open {
                idx,
                entry,
                sidecar,
                root,
            } => {
                let opened = match &self.pace {
                    Some(p) => article::open_paced(&entry, sidecar.as_deref(), &root, &p.pauser()),
                    None => article::open(&entry, sidecar.as_deref(), &root),
                };
                if let Some(p) = &sidecar {
                    self.known
                        .insert(p.clone(), opened.sidecar_fingerprint.clone());
                    // Found plain at opening: not looked at again to save.
                    if let (true, Some(fp)) = (opened.sidecar_plain, &opened.sidecar_fingerprint) {
                        self.plain.insert(p.clone(), fp.clone());
                    }
                }
                vec![Reply::Opened {
                    idx,
                    opened: Box::new(opened),
                }]
            }
            Request::Summaries {
                entries,
                annotations,
            } => (0..entries.len())
                .map(|i| summarize(i, &entries[i], &annotations))
                .collect(),
            Request::Save {
                root,
                path,
                rel,
                text,
                store,
                generation,
                adopted,
            } => vec![
                match self.save(&root, &path, &rel, &text, &store, adopted.as_ref()) {
                    Ok(()) => Reply::Saved {
                        path,
                        generation,
                        written: Box::new(store.snapshot()),
                    },
                    Err(CommitError::Failed(message)) => Reply::SaveFailed {
                        path,
                        generation,
                        message,
                    },
                    Err(CommitError::Changed(theirs)) => Reply::Conflict {
                        path,
                        generation,
                        fingerprint: theirs.as_deref().map(fingerprint),
                        theirs,
                    },
                },
            ],
            Request::FindPlaces {
                job,
                phrase,
                entries,
                skip,
            } => {
                let mut search = PlacesJob::new(job, phrase, entries, skip);
                std::iter::from_fn(|| search.step()).flatten().collect()
            }
            Request::TagPlaces { root, how, items } => {
                let (mut tagged, mut articles, mut failed) = (0, 0, vec![]);
                let mut out = vec![];
                for ArticleTags {
                    idx,
                    entry,
                    sidecar: path,
                    tags,
                } in items
                {
                    match places::tag_in_sidecar(&root, &path, &entry, &tags, how) {
                        Ok(0) => {}
                        Ok(n) => {
                            tagged += n;
                            articles += 1;
                            // `known` keeps the version the reader last saw:
                            // a save still on its way for that article then
                            // finds this one changed and merges, never
                            // overwrites it.
                            out.push(summarize(idx, &entry, &root));
                        }
                        Err(e) => failed.push(e),
                    }
                }
                out.push(Reply::PlacesTagged {
                    how,
                    tagged,
                    articles,
                    failed,
                });
                out
            }
            Request::SearchCorpus {
                job,
                query,
                entries,
                annotations,
            } => {
                let mut out = vec![];
                background::search(
                    job,
                    &query,
                    &entries,
                    &annotations,
                    &AtomicBool::new(false),
                    &mut |r| {
                        out.push(r);
                        true
                    },
                );
                out
            }
            Request::Consistency {
                job,
                entries,
                annotations,
            } => {
                let mut out = vec![];
                background::consistency(job, &entries, &annotations, &mut |r| {
                    out.push(r);
                    true
                });
                out
            }
            Request::Suggest(j) => {
                let mut out = vec![];
                background::suggest(*j, &mut |r| {
                    out.push(r);
                    true
                });
                out
            }
            Request::WriteSuggestions {
                root,
                idx,
                entry,
                text,
                proposed,
            } => {
                let mut yields = vec![];
                let added = match corpus::sidecar_path(&root, &entry.rel) {
                    None => Err("no safe sidecar path for it".to_string()),
                    Some(path) => crate::suggest::write::suggestions(
                        &root,
                        &path,
                        &entry.rel,
                        &text,
                        &proposed,
                        false,
                        &mut yields,
                    )
                    .map(|_| yields.iter().map(|y| y.added).sum()),
                };
                vec![
                    summarize(idx, &entry, &root),
                    Reply::SuggestionsWritten {
                        rel: entry.rel,
                        added,
                    },
                ]
            }
            Request::Stats {
                entries,
                annotations,
            } => {
                let mut out = vec![];
                background::stats(&entries, &annotations, &mut |r| {
                    out.push(r);
                    true
                });
                out
            }
            Request::SaveSchema {
                path,
                labels,
                whole,
            } => vec![match labels::save_labels(&path, &labels, &whole) {
                Ok(schema) => Reply::SchemaSaved(Box::new(schema)),
                Err(e) => Reply::SchemaFailed(e),
            }],
        }
    }

    /// Writes the sidecar at `path` under the annotations folder's lock,
    /// unless it changed on disk since gloss last read or wrote it (and
    /// that change was not merged: `adopted`).
    fn save(
        &mut self,
        root: &Path,
        path: &Path,
        rel: &str,
        text: &Text,
        store: &Store,
        adopted: Option<&Option<String>>,
    ) -> Result<(), CommitError> {
        let known = self.known.get(path).cloned();
        let plain = self.plain.get(path).cloned();
        let mut wrote_plain = false;
        let fp = commit(
            root,
            path,
            |on_disk| {
                known.as_ref().is_none_or(|k| k.as_deref() == on_disk)
                    || adopted.is_some_and(|a| a.as_deref() == on_disk)
            },
            |old, old_fp| {
                let old_is_plain = match old {
                    None => true,
                    Some(b) => {
                        (plain.is_some() && plain.as_deref() == old_fp)
                            || std::str::from_utf8(b).is_ok_and(sidecar::is_plain)
                    }
                };
                wrote_plain = old_is_plain;
                sidecar::write_over(old, old_is_plain, rel, text, store)
            },
        )?;
        if wrote_plain {
            self.plain.insert(path.to_path_buf(), fp.clone());
        }
        self.known.insert(path.to_path_buf(), Some(fp));
        Ok(())
    }
}

fn summarize(idx: usize, entry: &Entry, annotations: &std::path::Path) -> Reply {
    let sidecar = corpus::sidecar_path(annotations, &entry.rel);
    Reply::Summary {
        idx,
        summary: article::summary(entry, sidecar.as_deref()),
    }
}

/// A corpus search under way in the worker, an article a step.
struct PlacesJob {
    job: u64,
    phrase: String,
    entries: Arc<[Entry]>,
    /// The open article, searched by the interface itself.
    skip: usize,
    todo: std::ops::Range<usize>,
    /// `PlacesDone` was sent.
    done: bool,
}

impl PlacesJob {
    fn new(job: u64, phrase: String, entries: Arc<[Entry]>, skip: usize) -> PlacesJob {
        let todo = 0..entries.len();
        PlacesJob {
            job,
            phrase,
            entries,
            skip,
            todo,
            done: false,
        }
    }

    /// Looks in the next article: `Some(Some(reply))` when it has places,
    /// `Some(None)` when not, then `PlacesDone` once, then `None`.
    fn step(&mut self) -> Option<Option<Reply>> {
        match self.todo.next() {
            Some(i) if i == self.skip => Some(None),
            Some(i) => {
                let places = places::find_in_article(&self.entries[i], &self.phrase);
                Some((!places.is_empty()).then_some(Reply::Places {
                    job: self.job,
                    idx: i,
                    places,
                }))
            }
            None if !self.done => {
                self.done = true;
                Some(Some(Reply::PlacesDone { job: self.job }))
            }
            None => None,
        }
    }
}

struct Worker<T> {
    rx: Receiver<Request>,
    tx: Sender<T>,
    wrap: fn(Reply) -> T,
    io: Io,
    /// The list still to fill in: the articles, their sidecars' folder,
    /// and the indices not done yet.
    summaries: Option<(Arc<[Entry]>, PathBuf, std::ops::Range<usize>)>,
    /// The corpus search for `*` under way: its job, phrase, articles,
    /// the one skipped, and the indices not looked at yet. One article a
    /// turn, so saves never wait for it.
    places: Option<PlacesJob>,
    /// Pending `Request::Save`s, the newest for each file.
    saves: Vec<Request>,
    /// The newest article asked for; older asks (a held `j` in the list)
    /// are dropped unread.
    open: Option<Request>,
    /// The annotations folder, to clear of dead temp files when idle.
    sweep: Option<PathBuf>,
    /// The corpus search on its own thread, if one runs.
    search: Running,
}

/// Starts the worker; `wrap` turns its replies into the caller's events;
/// articles are read at the interface's `pace`.
pub fn spawn<T: Send + 'static>(
    rx: Receiver<Request>,
    tx: Sender<T>,
    wrap: fn(Reply) -> T,
    pace: Arc<Pace>,
) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("gloss-io".into())
        .spawn(move || {
            Worker {
                rx,
                tx,
                wrap,
                io: Io {
                    pace: Some(pace),
                    ..Io::default()
                },
                summaries: None,
                places: None,
                saves: vec![],
                open: None,
                sweep: None,
                search: Running::default(),
            }
            .run()
        })
        .expect("cannot start the I/O thread")
}

impl<T: Send + 'static> Worker<T> {
    fn send(&self, r: Reply) -> bool {
        self.tx.send((self.wrap)(r)).is_ok()
    }

    fn run(mut self) {
        loop {
            // Take everything waiting, then do the urgent part of it.
            let mut closed = false;
            loop {
                match self.rx.try_recv() {
                    Ok(req) => self.accept(req),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        closed = true;
                        break;
                    }
                }
            }
            self.flush_saves();
            if closed {
                return;
            }
            if let Some(req) = self.open.take() {
                // A large article's ends first: they show while it is read.
                if let Request::Open { idx, entry, .. } = &req
                    && let Some(g) = article::glimpse(&entry.path)
                {
                    self.send(Reply::Glimpse {
                        idx: *idx,
                        glimpse: Box::new(g),
                    });
                }
                for r in self.io.perform(req) {
                    self.send(r);
                }
                continue;
            }
            if let Some(p) = &mut self.places {
                match p.step() {
                    Some(Some(r)) => {
                        if !self.send(r) {
                            return;
                        }
                    }
                    Some(None) => {}
                    None => self.places = None,
                }
                continue;
            }
            if let Some((entries, dir, todo)) = &mut self.summaries {
                match todo.next() {
                    Some(i) => {
                        let r = summarize(i, &entries[i], dir);
                        if !self.send(r) {
                            return;
                        }
                    }
                    None => self.summaries = None,
                }
                continue;
            }
            if let Some(dir) = self.sweep.take() {
                // Temp files of saves killed before their rename: a minute
                // old is long dead (a save takes milliseconds).
                crate::core::save::sweep_temp_files(&dir, std::time::Duration::from_secs(60));
                continue;
            }
            match self.rx.recv() {
                // Handled at the top of the loop, after any saves queued
                // behind it, so a reopened article sees them.
                Ok(req) => self.accept(req),
                Err(_) => {
                    self.flush_saves();
                    return;
                }
            }
        }
    }

    fn accept(&mut self, req: Request) {
        match req {
            Request::Summaries {
                entries,
                annotations,
            } => {
                self.sweep = Some(annotations.clone());
                let n = entries.len();
                self.summaries = Some((entries, annotations, 0..n));
            }
            Request::Open { .. } => self.open = Some(req),
            Request::FindPlaces {
                job,
                phrase,
                entries,
                skip,
            } => {
                // A newer search replaces one still going.
                self.places = Some(PlacesJob::new(job, phrase, entries, skip));
            }
            Request::SearchCorpus {
                job,
                query,
                entries,
                annotations,
            } => {
                let stop = self.search.replace();
                let mut send = self.sender();
                self.background("gloss-search", move || {
                    background::search(job, &query, &entries, &annotations, &stop, &mut send)
                });
            }
            Request::Consistency {
                job,
                entries,
                annotations,
            } => {
                let mut send = self.sender();
                self.background("gloss-check", move || {
                    background::consistency(job, &entries, &annotations, &mut send)
                });
            }
            Request::Suggest(j) => {
                let mut send = self.sender();
                self.background("gloss-suggest", move || background::suggest(*j, &mut send));
            }
            Request::Stats {
                entries,
                annotations,
            } => {
                let mut send = self.sender();
                self.background("gloss-stats", move || {
                    background::stats(&entries, &annotations, &mut send)
                });
            }
            Request::Save { ref path, .. } => {
                self.saves
                    .retain(|s| !matches!(s, Request::Save { path: p, .. } if p == path));
                self.saves.push(req);
            }
            other => {
                self.flush_saves();
                for r in self.io.perform(other) {
                    self.send(r);
                }
            }
        }
    }

    /// A way to answer from another thread.
    fn sender(&self) -> impl FnMut(Reply) -> bool + Send + 'static {
        let (tx, wrap) = (self.tx.clone(), self.wrap);
        move |r| tx.send(wrap(r)).is_ok()
    }

    /// Runs `f` on a thread of its own; if one cannot be started, here.
    fn background(&self, name: &str, f: impl FnOnce() + Send + 'static) {
        let f = std::sync::Arc::new(std::sync::Mutex::new(Some(f)));
        let g = f.clone();
        let started = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                if let Some(f) = g.lock().ok().and_then(|mut f| f.take()) {
                    f()
                }
            });
        if started.is_err()
            && let Some(f) = f.lock().ok().and_then(|mut f| f.take())
        {
            f()
        }
    }

    fn flush_saves(&mut self) {
        for req in std::mem::take(&mut self.saves) {
            for r in self.io.perform(req) {
                self.send(r);
            }
        }
    }
}
