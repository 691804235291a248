//! `gloss suggest`: runs suggestion sources over the corpus and writes
//! what they propose into the sidecars, as suggestions (never as
//! annotations), each article under its sidecar's lock and merged with what
//! the sidecar holds then. A passage annotated already, suggested already
//! or rejected before is not proposed again; the summary counts, per
//! source, what it added and what it left out.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::core::article::read_text;
use crate::core::corpus;
use crate::core::corpus::Entry;
use crate::core::text::Text;
use crate::core::workspace::Workspace;
pub use crate::suggest::load::command_name;
use crate::suggest::load::{self, corpus_tags, file_name, gazetteer_at, patterns_at};
use crate::suggest::{Candidate, CommandSource, Gazetteer, Named, Pure, Source, Yield, write};
use rayon::prelude::*;

use super::export::{Usage, progress_bar};

#[derive(Debug, Clone, Default)]
pub struct SuggestOptions {
    pub corpus: PathBuf,
    pub annotations: PathBuf,
    pub labels: PathBuf,
    pub gazetteers: Vec<PathBuf>,
    pub patterns: Vec<PathBuf>,
    /// The corpus's own annotations, proposed where their text stands
    /// untagged.
    pub propagate: bool,
    pub commands: Vec<String>,
    /// How long a command may take over one article.
    pub timeout: Duration,
    pub dry_run: bool,
    /// Run the commands the schema's `[[suggest]]` sources name (without
    /// it they are said and not run: a schema may come from anywhere).
    pub schema_commands: bool,
}

/// What one source did over the corpus.
#[derive(Debug, Clone, Default)]
pub struct SourceReport {
    pub name: String,
    pub kind: &'static str,
    pub got: Yield,
    /// Articles it added suggestions to.
    pub articles: usize,
    /// Articles it could not run on, with the first reasons.
    pub failed: usize,
    pub failures: Vec<String>,
    /// Its answers' items left out (a command's), said.
    pub refused: String,
    /// Why it stopped for good (a command's timeout or exit).
    pub stopped: Option<String>,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub sources: Vec<SourceReport>,
    /// Warnings about the inputs (pattern lines skipped).
    pub warnings: Vec<String>,
    /// Articles or sidecars that could not be used.
    pub problems: Vec<String>,
    pub articles: usize,
    pub written: usize,
}

/// The sources the options name, in order, with their kind.
fn sources(
    opts: &SuggestOptions,
    ws: &Workspace,
    out: &mut Outcome,
) -> Result<Vec<(Named, &'static str)>, Usage> {
    let entries = &ws.entries;
    let given = !opts.gazetteers.is_empty()
        || !opts.patterns.is_empty()
        || opts.propagate
        || !opts.commands.is_empty();
    if !given && !ws.schema_file.schema.suggest.is_empty() {
        return schema_sources(opts, ws, out);
    }
    let mut v = vec![];
    for p in &opts.gazetteers {
        v.push((
            Named {
                name: file_name(p),
                source: gazetteer_at(p).map_err(Usage)?,
            },
            "gazetteer",
        ));
    }
    for p in &opts.patterns {
        v.push((
            Named {
                name: file_name(p),
                source: patterns_at(p, &mut out.warnings).map_err(Usage)?,
            },
            "patterns",
        ));
    }
    if opts.propagate {
        let g = Gazetteer::from_annotations(&corpus_tags(entries, &opts.annotations));
        v.push((
            Named {
                name: "propagated".into(),
                source: Source::Gazetteer(g),
            },
            "propagated",
        ));
    }
    for c in &opts.commands {
        v.push((
            Named {
                name: command_name(c),
                source: Source::Command(Box::new(CommandSource::new(c, opts.timeout))),
            },
            "command",
        ));
    }
    if v.is_empty() {
        return Err(Usage(
            "no source: give --gazetteer FILE, --patterns FILE, --propagate or --command CMD, or name sources in the schema ([[suggest]])"
                .into(),
        ));
    }
    Ok(v)
}

/// The sources the schema's `[[suggest]]` tables name, files found beside
/// the schema; commands only with `schema_commands`.
fn schema_sources(
    opts: &SuggestOptions,
    ws: &Workspace,
    out: &mut Outcome,
) -> Result<Vec<(Named, &'static str)>, Usage> {
    let dir = opts.labels.parent().unwrap_or(Path::new("."));
    let v = load::schema_sources(
        &ws.schema_file.schema.suggest,
        dir,
        &opts.labels,
        opts.timeout,
        opts.schema_commands,
        &mut || corpus_tags(&ws.entries, &opts.annotations),
        &mut out.warnings,
    )
    .map_err(Usage)?;
    if v.is_empty() {
        return Err(Usage(
            "no source to run: the schema's are commands (give --schema-commands), and none was given"
                .into(),
        ));
    }
    Ok(v)
}

/// Articles proposed for and written at once (see `run`).
const CHUNK: usize = 256;

/// What suggesting did on one article.
struct Done {
    /// Why the article or its sidecar could not be used.
    problem: Option<String>,
    /// Sources (by index) that failed on it, and why.
    failures: Vec<(usize, String)>,
    wrote: bool,
    yields: Vec<Yield>,
}

/// Each source's name and what it proposed in an article, or why not.
type Proposals = Vec<(String, Result<Vec<Candidate>, String>)>;

/// Reads article `e`, asks `propose` what the sources propose in it, and
/// writes that into its sidecar as suggestions.
fn one(opts: &SuggestOptions, e: &Entry, propose: &mut dyn FnMut(&Text) -> Proposals) -> Done {
    let mut d = Done {
        problem: None,
        failures: vec![],
        wrote: false,
        yields: vec![],
    };
    let (text, problem, _) = read_text(&e.path);
    if let Some(p) = problem {
        d.problem = Some(format!("{}: {p}", e.rel));
        return d;
    }
    let proposed: Vec<(String, Vec<Candidate>)> = propose(&text)
        .into_iter()
        .enumerate()
        .map(|(k, (name, r))| match r {
            Ok(c) => (name, c),
            Err(why) => {
                d.failures.push((k, why));
                (name, vec![])
            }
        })
        .collect();
    let Some(path) = corpus::sidecar_path(&opts.annotations, &e.rel) else {
        d.problem = Some(format!("{}: no safe sidecar path for it", e.rel));
        return d;
    };
    match write::suggestions(
        &opts.annotations,
        &path,
        &e.rel,
        &text,
        &proposed,
        opts.dry_run,
        &mut d.yields,
    ) {
        Ok(wrote) => d.wrote = wrote,
        Err(why) => d.problem = Some(format!("{}: not written: {why}", e.rel)),
    }
    d
}

pub fn run(opts: &SuggestOptions) -> Result<Outcome, Usage> {
    let ws = Workspace::open(&opts.corpus, &opts.annotations, &opts.labels)
        .map_err(|e| Usage(e.to_string()))?;
    let mut out = Outcome::default();
    let mut named = sources(opts, &ws, &mut out)?;
    out.sources = named
        .iter()
        .map(|(n, kind)| SourceReport {
            name: n.name.clone(),
            kind,
            ..Default::default()
        })
        .collect();
    out.articles = ws.entries.len();
    let bar = progress_bar(ws.entries.len(), "suggesting");
    // With no command among the sources (a command is one child process,
    // asked in turn), articles are read, matched and written on every
    // core, a chunk at a time, and reported in their order.
    let all_pure = named.iter().all(|(n, _)| n.source.pure().is_some());
    // One at a time with a command: the progress bar moves with each.
    let size = if all_pure { CHUNK } else { 1 };
    for chunk in ws.entries.chunks(size) {
        let done: Vec<Done> = if all_pure {
            let pure: Vec<(String, Pure)> = named
                .iter()
                .filter_map(|(n, _)| Some((n.name.clone(), n.source.pure()?)))
                .collect();
            chunk
                .par_iter()
                .map(|e| {
                    one(opts, e, &mut |text| {
                        pure.iter()
                            .map(|(name, p)| (name.clone(), Ok(p.propose(text))))
                            .collect()
                    })
                })
                .collect()
        } else {
            chunk
                .iter()
                .map(|e| {
                    one(opts, e, &mut |text| {
                        named
                            .iter_mut()
                            .map(|(n, _)| {
                                (
                                    n.name.clone(),
                                    n.source.propose(text, &e.rel).map_err(|w| w.0),
                                )
                            })
                            .collect()
                    })
                })
                .collect()
        };
        for (e, d) in chunk.iter().zip(done) {
            bar.inc(1);
            for (k, why) in d.failures {
                let r = &mut out.sources[k];
                r.failed += 1;
                if r.failures.len() < 3 {
                    r.failures.push(format!("{}: {why}", e.rel));
                }
            }
            if let Some(p) = d.problem {
                out.problems.push(p);
                continue;
            }
            out.written += usize::from(d.wrote);
            for (r, y) in out.sources.iter_mut().zip(&d.yields) {
                r.got.add(y);
                r.articles += usize::from(y.added > 0);
            }
        }
    }
    bar.finish_and_clear();
    for (r, (n, _)) in out.sources.iter_mut().zip(&named) {
        if let Source::Command(c) = &n.source {
            r.refused = c.refused.describe();
            r.stopped = c.stopped.clone();
        }
    }
    Ok(out)
}
