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
use crate::core::workspace::Workspace;
pub use crate::suggest::load::command_name;
use crate::suggest::load::{self, corpus_tags, file_name, gazetteer_at, patterns_at};
use crate::suggest::{CommandSource, Gazetteer, Named, Source, Yield, write};

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
    for e in &ws.entries {
        bar.inc(1);
        let (text, problem, _) = read_text(&e.path);
        if let Some(p) = problem {
            out.problems.push(format!("{}: {p}", e.rel));
            continue;
        }
        let mut proposed = Vec::with_capacity(named.len());
        for (k, (n, _)) in named.iter_mut().enumerate() {
            match n.source.propose(&text, &e.rel) {
                Ok(c) => proposed.push((n.name.clone(), c)),
                Err(why) => {
                    let r = &mut out.sources[k];
                    r.failed += 1;
                    if r.failures.len() < 3 {
                        r.failures.push(format!("{}: {}", e.rel, why.0));
                    }
                    proposed.push((n.name.clone(), vec![]));
                }
            }
        }
        let Some(path) = corpus::sidecar_path(&opts.annotations, &e.rel) else {
            out.problems
                .push(format!("{}: no safe sidecar path for it", e.rel));
            continue;
        };
        let mut yields = vec![];
        let result = write::suggestions(
            &opts.annotations,
            &path,
            &e.rel,
            &text,
            &proposed,
            opts.dry_run,
            &mut yields,
        );
        match result {
            Ok(wrote) => out.written += usize::from(wrote),
            Err(why) => {
                out.problems.push(format!("{}: not written: {why}", e.rel));
                continue;
            }
        }
        for (r, y) in out.sources.iter_mut().zip(&yields) {
            r.got.add(y);
            r.articles += usize::from(y.added > 0);
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
