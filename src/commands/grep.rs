//! `gloss grep PATTERN [CORPUS]`: every match in the corpus, one line
//! each as `rg` prints them (`path:line:column: text`, the column in
//! characters), or one JSON object each (`--json`) with code point
//! offsets and the labels already on the match. Articles are searched on
//! every core, a batch at a time, and printed in the corpus's order.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::core::corpus::{self, Entry};
use crate::core::display::sanitize_line;
use crate::core::grep::{Hit, Query, article_text, context, hits};
use crate::core::sidecar::SidecarFile;
use crate::core::text::Text;

use super::export::Usage;

/// Articles searched at once: enough for every core, few enough that the
/// first results print at once.
const BATCH: usize = 256;
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
    let text = article_text(&e.path).map_err(|why| format!("{}: {why}", e.rel))?;
    let hits = hits(&text, q, usize::MAX);
    Ok((!hits.is_empty()).then_some(Found { text, hits }))
}

/// The labels of the annotations under each hit, from the article's
/// sidecar fitted to its text as the reader fits it.
fn labels_under(annotations: &Path, e: &Entry, f: &Found) -> Vec<Vec<String>> {
    let none = || vec![vec![]; f.hits.len()];
    let Some(path) = corpus::sidecar_path(annotations, &e.rel) else {
        return none();
    };
    let Ok(Some(file)) = SidecarFile::read(&path) else {
        return none();
    };
    let text = Text::new(f.text.clone());
    let Ok(loaded) = file.fit(&text) else {
        return none();
    };
    f.hits
        .iter()
        .map(|h| {
            let mut ls: Vec<String> = loaded
                .store
                .overlapping(h.range.clone())
                .map(|a| a.label.clone())
                .collect();
            ls.sort();
            ls.dedup();
            ls
        })
        .collect()
}

/// JSON text safe to print: besides what JSON escapes, C1 controls and
/// invisible formatting characters (bidi overrides) are written as
/// `\uXXXX`, so no terminal acts on them.
fn json_safe(s: String) -> String {
    let risky = |c: char| {
        ('\u{80}'..='\u{9f}').contains(&c)
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    };
    if !s.chars().any(risky) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if risky(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
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
    let entries = corpus::scan(&opts.corpus);
    for batch in entries.chunks(BATCH) {
        let found: Vec<(&Entry, Result<Option<Found>, String>)> =
            batch.par_iter().map(|e| (e, search(e, &q))).collect();
        for (e, r) in found {
            let f = match r {
                Ok(Some(f)) => f,
                Ok(None) => continue,
                Err(why) => {
                    o.problems.push(why);
                    continue;
                }
            };
            o.articles += 1;
            o.matches += f.hits.len();
            let shown = sanitize_line(&opts.corpus.join(&e.rel).display().to_string());
            if opts.json {
                let labels = labels_under(&opts.annotations, e, &f);
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
                    let s = json_safe(v.to_string());
                    writeln!(out, "{s}")?;
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
        }
        out.flush()?;
    }
    Ok(())
}
