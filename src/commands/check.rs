//! `gloss check`: reads the label schema and every sidecar, fits each to its
//! article as the reader would, and lists what is wrong, one line each, as
//! `file:line: message`. Problems (a sidecar gloss would open read-only) make
//! the exit code 1; notes (moved annotations, stray files) do not.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::core::article::read_text;
use crate::core::corpus::{self, Entry};
use crate::core::display::sanitize_line;
use crate::core::sidecar::SidecarFile;
use crate::core::workspace::Workspace;

#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub corpus: PathBuf,
    pub annotations: PathBuf,
    pub labels: PathBuf,
}

#[derive(Debug, Default)]
pub struct Report {
    pub articles: usize,
    /// Sidecars read and found sound.
    pub sound: usize,
    pub problems: Vec<String>,
    pub notes: Vec<String>,
}

/// What one article's sidecar gave.
#[derive(Default)]
struct One {
    sound: bool,
    problem: Option<String>,
    notes: Vec<String>,
}

pub fn run(opts: &CheckOptions) -> Result<Report, String> {
    let ws = Workspace::open(&opts.corpus, &opts.annotations, &opts.labels)
        .map_err(|e| e.to_string())?;
    let mut report = Report::default();
    report.problems.extend(ws.schema_problem());
    let entries = ws.entries;
    report.articles = entries.len();
    let results: Vec<One> = entries
        .par_iter()
        .map(|e| check_one(e, &opts.annotations))
        .collect();
    for r in results {
        report.sound += usize::from(r.sound);
        report.problems.extend(r.problem);
        report.notes.extend(r.notes);
    }
    report.notes.extend(strays(opts, &entries));
    Ok(report)
}

fn check_one(e: &Entry, annotations: &Path) -> One {
    let shown = sanitize_line(&e.rel);
    let Some(path) = corpus::sidecar_path(annotations, &e.rel) else {
        return One {
            problem: Some(format!(
                "{shown}: this name cannot have a sidecar (it has an empty, '.' or '..' part, or a backslash)"
            )),
            ..One::default()
        };
    };
    // Names are shown inert: a report printed in a terminal is safe too.
    let file = sanitize_line(&path.display().to_string());
    let at = |line: usize, m: &str| format!("{file}:{line}: {m}");
    let fail = |m: String| One {
        problem: Some(sanitize_line(&m)),
        ..One::default()
    };
    let file = match SidecarFile::read(&path) {
        Ok(None) => return One::default(),
        Ok(Some(f)) => f,
        Err(p) => return fail(p.to_string()),
    };
    let (text, trouble, _) = read_text(&e.path);
    if let Some(t) = trouble {
        return fail(at(
            1,
            &format!("its article {shown} cannot be annotated: {t}"),
        ));
    }
    let loaded = match file.fit(&text) {
        Ok(l) => l,
        Err(p) => return fail(p.to_string()),
    };
    let parsed = &file.parsed;
    let mut notes = vec![];
    if parsed.article != e.rel {
        notes.push(at(
            1,
            &format!(
                "names article {:?}; gloss rewrites it for {shown:?} on the next change",
                sanitize_line(&parsed.article)
            ),
        ));
    }
    if loaded.text_changed {
        notes.push(at(
            1,
            &format!(
                "the article changed since it was annotated: {} annotation(s) move, {} cannot be found (kept as orphans{})",
                loaded.moved,
                loaded.newly_orphaned,
                if loaded.collided > 0 {
                    format!(
                        "; {} of them would land on a span another with their label holds",
                        loaded.collided
                    )
                } else {
                    String::new()
                }
            ),
        ));
    }
    // Each one by id, with where it was and where it goes.
    for m in &loaded.moves {
        notes.push(at(1, &sanitize_line(&m.to_string())));
    }
    // Guesses saved earlier and not yet confirmed by anyone.
    for a in loaded.store.all() {
        if let Some(why) = &a.review
            && !loaded.moves.iter().any(|m| m.id == a.id)
        {
            let at_chars = text.chars_of(a.range());
            notes.push(at(
                1,
                &sanitize_line(&format!(
                    "annotation {:?} at {}..{} is marked for review: {why}",
                    a.id, at_chars.start, at_chars.end
                )),
            ));
        }
    }
    // A relation whose end is an orphan or gone is kept, and said.
    for r in loaded.store.relations() {
        for end in [&r.from, &r.to] {
            if loaded.store.get(end).is_none() {
                let what = if loaded.store.orphans.iter().any(|o| &o.id == end) {
                    "an orphan"
                } else {
                    "no annotation of this file"
                };
                notes.push(at(
                    1,
                    &sanitize_line(&format!(
                        "relation {:?} ({}) points at {end:?}, which is {what}; it is kept",
                        r.id, r.label
                    )),
                ));
            }
        }
    }
    // The same for what events, equivalences and pieces use.
    let known = |id: &str| {
        loaded.store.get(id).is_some() || loaded.store.events().iter().any(|e| e.id == id)
    };
    let mut dangling = |what: String, end: &str| {
        let is = if loaded.store.orphans.iter().any(|o| o.id == end) {
            "an orphan"
        } else {
            "nothing in this file"
        };
        notes.push(at(
            1,
            &sanitize_line(&format!("{what} uses {end:?}, which is {is}; it is kept")),
        ));
    };
    for e in loaded.store.events() {
        for end in std::iter::once(&e.trigger).chain(e.args.iter().map(|(_, x)| x)) {
            if !known(end) {
                dangling(format!("event {:?} ({})", e.id, e.label), end);
            }
        }
    }
    for q in loaded.store.equivalences() {
        for end in &q.members {
            if !known(end) {
                dangling(format!("equivalence {:?} ({})", q.id, q.label), end);
            }
        }
    }
    for a in loaded.store.all() {
        if let Some(first) = a.part_of()
            && !known(first)
        {
            dangling(format!("annotation {:?}, a piece", a.id), first);
        }
    }
    One {
        sound: true,
        problem: None,
        notes,
    }
}

/// Files in the annotations folder that are no article's sidecar: sidecars
/// of articles moved or deleted, and temp files of interrupted saves.
fn strays(opts: &CheckOptions, entries: &[Entry]) -> Vec<String> {
    let expected: HashSet<PathBuf> = entries
        .iter()
        .filter_map(|e| corpus::sidecar_path(&opts.annotations, &e.rel))
        .collect();
    let mut out = vec![];
    for f in WalkDir::new(&opts.annotations)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|f| f.depth() > 0)
    {
        let p = f.path();
        let name = f.file_name().to_string_lossy();
        if f.file_type().is_symlink() {
            out.push(format!(
                "{}: a symbolic link; gloss writes nothing through it (sidecars below it open read-only)",
                sanitize_line(&p.display().to_string())
            ));
        } else if !f.file_type().is_file() && !f.file_type().is_dir() {
            out.push(format!(
                "{}: not a regular file (a FIFO, socket or device); gloss never opens it",
                sanitize_line(&p.display().to_string())
            ));
        } else if f.file_type().is_dir() {
            continue;
        } else if crate::core::save::is_temp_name(&name) {
            out.push(format!(
                "{}: left by an interrupted save; gloss never reads it, delete it at will",
                sanitize_line(&p.display().to_string())
            ));
        } else if name.ends_with(".toml") && p != opts.labels && !expected.contains(p) {
            out.push(format!(
                "{}: no article in {} for this sidecar (moved or deleted?)",
                sanitize_line(&p.display().to_string()),
                opts.corpus.display()
            ));
        }
    }
    out.sort();
    out
}
