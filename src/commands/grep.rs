//! `gloss grep PATTERN [CORPUS]`: every match in the corpus, one line
//! each as `rg` prints them (`path:line:column: text`, the column in
//! characters), or one JSON object each (`--json`) with code point
//! offsets and the labels already on the match. Articles are searched on
//! every core and printed in the corpus's order as soon as each is done.

use std::io::{self, Write};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::core::corpus::{self, Entry};
use crate::core::display::{json_inert, sanitize_line};
use crate::core::grep::{Hit, Query, context, labels_under, search_file};

use super::export::Usage;

/// The most articles searched between two printings.
const BATCH: usize = 4096;
/// How much of a long line is printed around its match.
const LINE_ROOM: usize = 240;

#[derive(Debug, Clone)]
pub struct GrepOptions {
    pub corpus: PathBuf,
    pub annotations: PathBuf,
    pub pattern: String,
    pub regex: bool,
    /// `Some(true)`: ignore case; `Some(false)`: match it; `None`: smart.
    pub ignore_case: Option<bool>,
    pub json: bool,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub matches: usize,
    pub articles: usize,
    /// Articles that could not be searched, with why.
    pub problems: Vec<String>,
}

/// One article's matches, with its text (to print their lines).
struct Found {
    text: String,
    hits: Vec<Hit>,
}

fn search(e: &Entry, q: &Query) -> Result<Option<Found>, String> {
    search_file(&e.path, q)
        .map(|r| r.map(|(text, hits)| Found { text, hits }))
        .map_err(|why| format!("{}: {why}", e.rel))
}

pub fn run(opts: &GrepOptions, out: &mut dyn Write) -> Result<Outcome, Usage> {
    let mut o = Outcome::default();
    match write_all(opts, out, &mut o) {
        Ok(()) => Ok(o),
        // The reader went away (`gloss grep x | head`): done, as rg is.
        Err(Stop::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(o),
        Err(Stop::Io(e)) => Err(Usage(format!("cannot write the results: {e}"))),
        Err(Stop::Usage(u)) => Err(u),
    }
}

enum Stop {
    Io(io::Error),
    Usage(Usage),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Self {
        Stop::Io(e)
    }
}

fn write_all(opts: &GrepOptions, out: &mut dyn Write, o: &mut Outcome) -> Result<(), Stop> {
    let q = Query::new(&opts.pattern, opts.regex, opts.ignore_case)
        .map_err(|e| Stop::Usage(Usage(e)))?;
    if !opts.corpus.is_dir() {
        return Err(Stop::Usage(Usage(format!(
            "{}: not a folder of articles",
            opts.corpus.display()
        ))));
    }
    // The walk runs beside the search, handing over articles in batches
    // (small first, so that the first results show at once); each batch
    // is searched on every core and printed in the walk's order.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Entry>>(4);
    let root = opts.corpus.clone();
    let walking = std::thread::spawn(move || {
        let mut size = 64;
        let mut batch = Vec::with_capacity(size);
        for e in corpus::walker(&root, true) {
            batch.push(e);
            if batch.len() == size {
                size = (size * 2).min(BATCH);
                if tx
                    .send(std::mem::replace(&mut batch, Vec::with_capacity(size)))
                    .is_err()
                {
                    return;
                }
            }
        }
        let _ = tx.send(batch);
    });
    for batch in rx {
        let found: Vec<(&Entry, Result<Option<Found>, String>)> = batch
            .par_iter()
            .map(|e| (e, search(e, &q)))
            .filter(|(_, r)| !matches!(r, Ok(None)))
            .collect();
        for (e, r) in found {
            match r {
                Ok(Some(f)) => print_found(opts, e, &f, out, o)?,
                Ok(None) => {}
                Err(why) => o.problems.push(why),
            }
        }
        out.flush()?;
    }
    let _ = walking.join();
    Ok(())
}

/// Prints one article's matches.
fn print_found(
    opts: &GrepOptions,
    e: &Entry,
    f: &Found,
    out: &mut dyn Write,
    o: &mut Outcome,
) -> Result<(), Stop> {
    o.articles += 1;
    o.matches += f.hits.len();
    let shown = sanitize_line(&opts.corpus.join(&e.rel).display().to_string());
    if opts.json {
        let labels = labels_under(
            &opts.annotations,
            &e.rel,
            &f.text,
            f.hits.iter().map(|h| h.range.clone()),
        );
        for (h, labels) in f.hits.iter().zip(labels) {
            let v = serde_json::json!({
                "article": e.rel,
                "path": opts.corpus.join(&e.rel),
                "line": h.line,
                "column": h.column,
                "start": h.chars.start,
                "end": h.chars.end,
                "text": &f.text[h.range.clone()],
                "line_text": &f.text[h.line_range.clone()],
                "labels": labels,
            });
            writeln!(out, "{}", json_inert(v.to_string()))?;
        }
    } else {
        for h in &f.hits {
            let line = &f.text[h.line_range.clone()];
            let m = h.range.start - h.line_range.start
                ..(h.range.end.min(h.line_range.end)) - h.line_range.start;
            let shown_line = sanitize_line(&context(line, m, LINE_ROOM));
            writeln!(out, "{shown}:{}:{}: {shown_line}", h.line, h.column)?;
        }
    }
    Ok(())
}
