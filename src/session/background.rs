//! Work that reads the whole corpus (the corpus search, the consistency
//! check, the statistics): each on a thread of its own, so that saves
//! and opening articles never wait behind it, answering through the I/O
//! thread's channel as it goes. A newer job of a kind stops the older one
//! (its `stop` flag); the interface also drops answers to jobs it no
//! longer shows.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::worker::Reply;
use crate::core::consistency;
use crate::core::corpus::Entry;
use crate::core::grep::{Listed, Query, list_article};

/// The most matches one search lists: past this it stops and says so
/// (the list would be more than anyone reads, and memory grows with it).
pub const MAX_LISTED: usize = 50_000;

/// The most articles searched between two answers; the first answers come
/// after fewer, so that the first matches show at once.
const BATCH: usize = 2048;

/// Searches the articles of `entries` for `q`, in their order, a batch at
/// a time on every core, sending each batch's matches (`Reply::Found`)
/// and then `Reply::SearchDone`. Stops early when `stop` is set or `send`
/// fails (nobody listens).
pub fn search(
    job: u64,
    q: &Query,
    entries: &[Entry],
    annotations: &Path,
    stop: &AtomicBool,
    send: &mut dyn FnMut(Reply) -> bool,
) {
    let (mut at, mut size, mut matches) = (0, 64, 0);
    let mut problems = vec![];
    let mut cut = false;
    while at < entries.len() && !stop.load(Ordering::Relaxed) && !cut {
        let to = (at + size).min(entries.len());
        let found: Vec<(usize, Result<Vec<Listed>, String>)> = (at..to)
            .into_par_iter()
            .map(|i| {
                if stop.load(Ordering::Relaxed) {
                    return (i, Ok(vec![]));
                }
                (i, list_article(&entries[i], annotations, q, MAX_LISTED))
            })
            .collect();
        let mut items = vec![];
        for (i, r) in found {
            match r {
                Ok(v) if v.is_empty() => {}
                Ok(mut v) => {
                    if matches + v.len() >= MAX_LISTED {
                        v.truncate(MAX_LISTED - matches);
                        cut = true;
                    }
                    matches += v.len();
                    items.push((i, v));
                    if cut {
                        break;
                    }
                }
                Err(why) => problems.push(why),
            }
        }
        at = to;
        size = (size * 2).min(BATCH);
        if !send(Reply::Found {
            job,
            items,
            searched: at,
        }) {
            return;
        }
    }
    if stop.load(Ordering::Relaxed) {
        return;
    }
    send(Reply::SearchDone {
        job,
        matches,
        problems,
        cut,
    });
}

/// The consistency check over `entries`, each finding with its article's
/// index.
pub fn consistency(
    job: u64,
    entries: &[Entry],
    annotations: &Path,
    send: &mut dyn FnMut(Reply) -> bool,
) {
    // As many as the search lists: past them, the check stops.
    let mut findings = vec![];
    let mut cut = false;
    let problems = consistency::check_each(entries, annotations, &mut |found| {
        findings.extend(found);
        if findings.len() >= MAX_LISTED {
            findings.truncate(MAX_LISTED);
            cut = true;
        }
        !cut
    });
    send(Reply::Findings {
        job,
        findings,
        problems,
        cut,
    });
}

/// The statistics view's lines.
pub fn stats(entries: &[Entry], annotations: &Path, send: &mut dyn FnMut(Reply) -> bool) {
    let (stats, problems) = crate::core::stats::gather(entries, annotations);
    let mut lines = crate::core::stats::lines(&stats);
    if !problems.is_empty() {
        lines.push(String::new());
        lines.push(format!("{} sidecar(s) could not be read:", problems.len()));
        lines.extend(
            problems
                .iter()
                .map(|p| crate::core::display::sanitize_line(p)),
        );
    }
    send(Reply::Stats(lines));
}

/// A job's stop flag, set when a newer one of its kind starts.
#[derive(Debug, Default)]
pub struct Running {
    stop: Option<Arc<AtomicBool>>,
}

impl Running {
    /// Stops the one running, if any, and gives the new one's flag.
    pub fn replace(&mut self) -> Arc<AtomicBool> {
        if let Some(old) = self.stop.take() {
            old.store(true, Ordering::Relaxed);
        }
        let flag = Arc::new(AtomicBool::new(false));
        self.stop = Some(flag.clone());
        flag
    }
}

/// The schema's suggestion sources to run on one article.
#[derive(Debug, Clone)]
pub struct SuggestJob {
    pub job: u64,
    pub idx: usize,
    pub rel: String,
    pub text: Arc<crate::core::text::Text>,
    pub sources: Vec<crate::core::labels::SuggestSource>,
    /// The schema file (its folder holds the sources' files).
    pub schema: std::path::PathBuf,
    /// Run the sources that are commands (`gloss --schema-commands`).
    pub run_commands: bool,
    /// How long a command may take.
    pub timeout: std::time::Duration,
    /// The corpus, for a source that propagates its tags.
    pub entries: Arc<[Entry]>,
    pub annotations: std::path::PathBuf,
}

/// Runs the sources of `j` on its article: what each proposes
/// (`Reply::Proposed`), with what could not be run, said.
pub fn suggest(j: SuggestJob, send: &mut dyn FnMut(Reply) -> bool) {
    use crate::suggest::{Source, load};
    let mut notes = vec![];
    let dir = j.schema.parent().unwrap_or(Path::new("."));
    let (entries, annotations) = (&j.entries, &j.annotations);
    let loaded = load::schema_sources(
        &j.sources,
        dir,
        &j.schema,
        j.timeout,
        j.run_commands,
        &mut || load::corpus_tags(entries, annotations),
        &mut notes,
    );
    let mut proposed = vec![];
    match loaded {
        Err(why) => notes.push(why),
        Ok(sources) => {
            for (mut n, _) in sources {
                match n.source.propose(&j.text, &j.rel) {
                    Ok(c) => proposed.push((n.name.clone(), c)),
                    Err(why) => notes.push(format!("{}: {}", n.name, why.0)),
                }
                if let Source::Command(c) = &n.source {
                    let refused = c.refused.describe();
                    if !refused.is_empty() {
                        notes.push(format!("{}: {refused}", n.name));
                    }
                }
            }
        }
    }
    send(Reply::Proposed {
        job: j.job,
        idx: j.idx,
        fingerprint: j.text.fingerprint().to_string(),
        proposed,
        notes,
    });
}
