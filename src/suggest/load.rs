//! Sources as files and the schema name them: a gazetteer or pattern
//! file read (a regular file, of a bounded size; a bad gazetteer line
//! refuses the file, a pattern line gloss cannot run is said and
//! skipped), the corpus's own tags for propagation, the schema's
//! `[[suggest]]` tables. `gloss suggest` and the app both load them here.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use super::{CommandSource, Gazetteer, Named, Patterns, Source};
use crate::core::corpus::{self, Entry};
use crate::core::fsio;
use crate::core::labels::{SuggestKind, SuggestSource};
use crate::core::sidecar::SidecarFile;

/// The largest gazetteer or pattern file read.
const MAX_LIST_BYTES: u64 = 512 << 20;

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

pub fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// Reads a gazetteer or pattern file (a regular file, of a bounded size).
fn read_list(p: &Path) -> Result<String, String> {
    let bytes = fsio::read_capped(p, MAX_LIST_BYTES)
        .map_err(|e| format!("{}: cannot read: {e}", p.display()))?;
    String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8", p.display()))
}

/// A gazetteer file as a source; a bad line refuses it.
pub fn gazetteer_at(p: &Path) -> Result<Source, String> {
    Gazetteer::parse(&read_list(p)?)
        .map(Source::Gazetteer)
        .map_err(|e| format!("{}:{}: {}", p.display(), e.line, e.message))
}

/// A pattern file as a source; the lines gloss cannot run are said.
pub fn patterns_at(p: &Path, warnings: &mut Vec<String>) -> Result<Source, String> {
    let (pats, skipped) = Patterns::parse(&read_list(p)?);
    for e in &skipped {
        warnings.push(format!(
            "{}:{}: {}; the line is skipped",
            p.display(),
            e.line,
            e.message
        ));
    }
    if pats.count == 0 {
        return Err(format!("{}: no pattern gloss can run in it", p.display()));
    }
    Ok(Source::Patterns(pats))
}

/// Every (quote, label) the corpus's sidecars hold, with how often.
pub fn corpus_tags(entries: &[Entry], annotations: &Path) -> BTreeMap<(String, String), usize> {
    // Ordered, so that what is proposed, and the order it is written in,
    // is the same from run to run.
    let mut tags = BTreeMap::new();
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

/// The sources the schema's `[[suggest]]` tables name, with their kind,
/// files found in `dir` (beside the schema); commands only with
/// `run_commands`, else each is said in `warnings` and left out.
/// `tags` gives the corpus's tags when a source propagates them.
pub fn schema_sources(
    suggest: &[SuggestSource],
    dir: &Path,
    schema_path: &Path,
    timeout: Duration,
    run_commands: bool,
    tags: &mut dyn FnMut() -> BTreeMap<(String, String), usize>,
    warnings: &mut Vec<String>,
) -> Result<Vec<(Named, &'static str)>, String> {
    let mut v = vec![];
    for x in suggest {
        let at = |f: &str| dir.join(f);
        let (source, kind) = match &x.kind {
            SuggestKind::Gazetteer(f) => (gazetteer_at(&at(f))?, "gazetteer"),
            SuggestKind::Patterns(f) => (patterns_at(&at(f), warnings)?, "patterns"),
            SuggestKind::Propagate => (
                Source::Gazetteer(Gazetteer::from_annotations(&tags())),
                "propagated",
            ),
            SuggestKind::Command(c) if run_commands => {
                let t = x
                    .timeout_secs
                    .map_or(timeout, |s| Duration::from_secs(s.into()));
                (
                    Source::Command(Box::new(CommandSource::new(c, t))),
                    "command",
                )
            }
            SuggestKind::Command(c) => {
                warnings.push(format!(
                    "{}: suggestion source {:?} runs {:?}; not run: give --schema-commands to run the schema's commands",
                    schema_path.display(),
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
    Ok(v)
}
