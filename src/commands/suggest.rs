//! `gloss suggest`: runs suggestion sources over the corpus and writes
//! what they propose into the sidecars, as suggestions (never as
//! annotations), each article under its sidecar's lock and merged with what
//! the sidecar holds then. A passage annotated already, suggested already
//! or rejected before is not proposed again; the summary counts, per
//! source, what it added and what it left out.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::core::article::read_text;
use crate::core::commit::{CommitError, commit};
use crate::core::corpus::{self, Entry};
use crate::core::fsio;
use crate::core::sidecar::{self, SidecarFile};
use crate::core::text::Text;
use crate::core::workspace::Workspace;
use crate::suggest::{
    Candidate, CommandSource, Gazetteer, Named, Patterns, Source, Yield, fresh, ids_of,
};

use super::export::{Usage, progress_bar};

/// What `apply` under the lock says when there is nothing to write.
const NOTHING: &str = "nothing new";

/// The largest gazetteer or pattern file read.
const MAX_LIST_BYTES: u64 = 512 << 20;

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

/// A command's name in reports and sidecars: its program's name, past an
/// interpreter and variable settings (`python ner.py --x` is `ner`).
pub fn command_name(cmd: &str) -> String {
    const RUNNERS: &[&str] = &[
        "python", "python3", "sh", "bash", "node", "perl", "ruby", "uv", "run", "env", "exec", "-m",
    ];
    cmd.split_whitespace()
        .filter(|w| !w.contains('=') && !w.starts_with('-') || *w == "-m")
        .map(|w| w.trim_matches(|c| c == '"' || c == '\''))
        .find(|w| !RUNNERS.contains(w))
        .and_then(|w| Path::new(w).file_stem().and_then(|s| s.to_str()))
        .map(str::to_string)
        .unwrap_or_else(|| "command".to_string())
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// Reads a gazetteer or pattern file (a regular file, of a bounded size).
fn read_list(p: &Path) -> Result<String, Usage> {
    let bytes = fsio::read_capped(p, MAX_LIST_BYTES)
        .map_err(|e| Usage(format!("{}: cannot read: {e}", p.display())))?;
    String::from_utf8(bytes).map_err(|_| Usage(format!("{}: not UTF-8", p.display())))
}

/// A gazetteer file as a source; a bad line refuses it.
fn gazetteer_at(p: &Path) -> Result<Source, Usage> {
    Gazetteer::parse(&read_list(p)?)
        .map(Source::Gazetteer)
        .map_err(|e| Usage(format!("{}:{}: {}", p.display(), e.line, e.message)))
}

/// A pattern file as a source; the lines gloss cannot run are said.
fn patterns_at(p: &Path, out: &mut Outcome) -> Result<Source, Usage> {
    let (pats, skipped) = Patterns::parse(&read_list(p)?);
    for e in &skipped {
        out.warnings.push(format!(
            "{}:{}: {}; the line is skipped",
            p.display(),
            e.line,
            e.message
        ));
    }
    if pats.count == 0 {
        return Err(Usage(format!(
            "{}: no pattern gloss can run in it",
            p.display()
        )));
    }
    Ok(Source::Patterns(pats))
}

/// Every (quote, label) the corpus's sidecars hold, with how often.
fn corpus_tags(entries: &[Entry], annotations: &Path) -> HashMap<(String, String), usize> {
    let mut tags = HashMap::new();
    for e in entries {
        let Some(path) = corpus::sidecar_path(annotations, &e.rel) else {
            continue;
        };
        if let Ok(Some(f)) = SidecarFile::read(&path) {
            for a in &f.parsed.annotations {
                *tags.entry((a.quote.clone(), a.label.clone())).or_default() += 1;
            }
        }
    }
    tags
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
                source: gazetteer_at(p)?,
            },
            "gazetteer",
        ));
    }
    for p in &opts.patterns {
        v.push((
            Named {
                name: file_name(p),
                source: patterns_at(p, out)?,
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
    use crate::core::labels::SuggestKind;
    let dir = opts.labels.parent().unwrap_or(Path::new("."));
    let mut v = vec![];
    for x in &ws.schema_file.schema.suggest {
        let at = |f: &str| dir.join(f);
        let (source, kind) = match &x.kind {
            SuggestKind::Gazetteer(f) => (gazetteer_at(&at(f))?, "gazetteer"),
            SuggestKind::Patterns(f) => (patterns_at(&at(f), out)?, "patterns"),
            SuggestKind::Propagate => (
                Source::Gazetteer(Gazetteer::from_annotations(&corpus_tags(
                    &ws.entries,
                    &opts.annotations,
                ))),
                "propagated",
            ),
            SuggestKind::Command(c) if opts.schema_commands => {
                let t = x
                    .timeout_secs
                    .map_or(opts.timeout, |s| Duration::from_secs(s.into()));
                (
                    Source::Command(Box::new(CommandSource::new(c, t))),
                    "command",
                )
            }
            SuggestKind::Command(c) => {
                out.warnings.push(format!(
                    "{}: suggestion source {:?} runs {:?}; not run: give --schema-commands to run the schema's commands",
                    opts.labels.display(),
                    x.name,
                    crate::core::display::sanitize_line(c)
                ));
                continue;
            }
        };
        v.push((
            Named {
                name: x.name.clone(),
                source,
            },
            kind,
        ));
    }
    if v.is_empty() {
        return Err(Usage(
            "no source to run: the schema's are commands (give --schema-commands), and none was given"
                .into(),
        ));
    }
    Ok(v)
}

/// The suggestions each source's candidates make on the sidecar as `old`
/// holds it (new ones added to the store), with what each left out.
fn apply(
    path: &Path,
    rel: &str,
    text: &Text,
    old: Option<&[u8]>,
    proposed: &[(String, Vec<Candidate>)],
) -> Result<(Option<String>, Vec<Yield>), String> {
    let (src, mut store) = sidecar::store_of(path, old, text)
        .map_err(|p| format!("{p}; the sidecar is left as it is"))?;
    let mut taken = ids_of(&store);
    let mut yields = vec![];
    let mut any = false;
    for (name, cands) in proposed {
        let (new, y) = fresh(text, &store, name, cands, &mut taken);
        any |= !new.is_empty();
        store.suggest(new);
        yields.push(y);
    }
    if !any {
        return Ok((None, yields));
    }
    let plain = src.is_none_or(sidecar::is_plain);
    let content = sidecar::write_over(old, plain, rel, text, &store)?;
    Ok((Some(content), yields))
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
        // Read once without the lock: most articles get nothing new, and
        // their sidecars are not touched.
        let before = fsio::read_capped(&path, sidecar::MAX_BYTES).ok();
        let result = match apply(&path, &e.rel, &text, before.as_deref(), &proposed) {
            Err(why) => Err(why),
            Ok((None, y)) => {
                yields = y;
                Ok(false)
            }
            Ok((Some(_), y)) if opts.dry_run => {
                yields = y;
                Ok(true)
            }
            Ok((Some(_), _)) => {
                let mut wrote = false;
                let done = commit(
                    &opts.annotations,
                    &path,
                    |_| true,
                    |old, _| {
                        let (content, y) = apply(&path, &e.rel, &text, old, &proposed)?;
                        yields = y;
                        wrote = content.is_some();
                        // Someone made them in between: nothing to write.
                        content.ok_or_else(|| NOTHING.to_string())
                    },
                );
                match done {
                    Ok(_) => Ok(wrote),
                    Err(CommitError::Failed(why)) if why == NOTHING => Ok(false),
                    Err(CommitError::Failed(why)) => Err(why),
                    Err(CommitError::Changed(_)) => unreachable!("every version is accepted"),
                }
            }
        };
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
