//! `gloss import`: annotations from another tool into sidecars. Articles are
//! found by path, or by their text where the format carries it; an
//! annotation whose text does not match its article is refused with a line
//! that names it, and the rest still import.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::core::annotation::{Annotation, Store, new_id, now_rfc3339};
use crate::core::article::read_text;
use crate::core::corpus::{self, Entry};
use crate::core::labels::Schema;
use crate::core::save::write_atomic;
use crate::core::sidecar::{self, fingerprint};
use crate::core::text::Text;
use crate::formats::{
    Format, ImportDoc, ReadError, Span, brat, char_slice, doccano, jsonl, webanno,
};

use super::export::{Usage, progress_bar};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// Add to what the sidecars hold (the same span and label is not added twice)
    Merge,
    /// The sidecars' annotations become exactly the imported ones (orphans are kept)
    Replace,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub format: Format,
    pub input: PathBuf,
    pub corpus: PathBuf,
    pub annotations: PathBuf,
    pub labels: PathBuf,
    pub mode: Mode,
    pub dry_run: bool,
}

#[derive(Debug, Default)]
pub struct Outcome {
    /// What changed (or would), one line per article.
    pub changes: Vec<String>,
    /// Annotations and articles refused, one line each.
    pub refused: Vec<String>,
    pub warnings: Vec<String>,
    pub added: usize,
    pub articles: usize,
}

/// Reads the input in `format`.
pub fn read_input(format: Format, input: &Path) -> Result<Vec<ImportDoc>, ReadError> {
    let name = input.display().to_string();
    if format == Format::Brat {
        if !input.is_dir() {
            return Err(ReadError {
                origin: name,
                message: "brat input is a folder of .ann and .txt files".into(),
            });
        }
        return brat::read_dir(input);
    }
    let src = std::fs::read_to_string(input).map_err(|e| ReadError {
        origin: name.clone(),
        message: format!("cannot read: {e}"),
    })?;
    match format {
        Format::Jsonl => jsonl::read(&name, &src),
        Format::Doccano => doccano::read(&name, &src),
        Format::Webanno => webanno::read(&name, &src),
        f => Err(ReadError {
            origin: name,
            message: format!("gloss cannot import {}", f.name()),
        }),
    }
}

/// An article being imported into, held until everything is read.
struct Target {
    entry: Entry,
    text: Text,
    sidecar: PathBuf,
    before: Option<String>,
    store: Store,
    added: usize,
}

pub fn run(opts: &ImportOptions) -> Result<Outcome, Usage> {
    if !opts.format.can_import() {
        return Err(Usage(format!(
            "gloss cannot import {}; it reads jsonl, doccano, brat and webanno",
            opts.format.name()
        )));
    }
    if !opts.corpus.is_dir() {
        return Err(Usage(format!(
            "corpus folder {} does not exist",
            opts.corpus.display()
        )));
    }
    let docs = read_input(opts.format, &opts.input).map_err(|e| Usage(e.to_string()))?;
    let entries = corpus::scan(&opts.corpus);
    let by_path: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.rel.as_str(), i))
        .collect();
    let mut by_text: Option<HashMap<String, usize>> = None;
    let mut targets: BTreeMap<usize, Target> = BTreeMap::new();
    let mut out = Outcome::default();
    let bar = progress_bar(docs.len(), "importing");
    for doc in docs {
        bar.inc(1);
        let idx = doc
            .path
            .as_deref()
            .and_then(|p| by_path.get(p).copied())
            .or_else(|| {
                let text = doc.text.as_ref()?;
                let map = by_text.get_or_insert_with(|| text_index(&entries));
                map.get(&fingerprint(text.as_bytes())).copied()
            });
        let Some(idx) = idx else {
            out.refused.push(format!(
                "{}: no article in {} has {} ({} annotation(s) refused)",
                doc.origin,
                opts.corpus.display(),
                match &doc.path {
                    Some(p) => format!("the path {p:?} or this text"),
                    None => "this text".into(),
                },
                doc.spans.len()
            ));
            continue;
        };
        let t = match targets.entry(idx) {
            std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::btree_map::Entry::Vacant(v) => match open_target(opts, &entries[idx])
            {
                Ok(t) => v.insert(t),
                Err(why) => {
                    out.refused.push(format!(
                        "{}: {why} ({} annotation(s) refused)",
                        doc.origin,
                        doc.spans.len()
                    ));
                    continue;
                }
            },
        };
        for span in &doc.spans {
            match place(t, &doc, span) {
                Ok(Some(a)) => {
                    t.store.add(a);
                    t.added += 1;
                }
                Ok(None) => {}
                Err(why) => out.refused.push(format!("{}: {why}", span.origin)),
            }
        }
    }
    bar.finish_and_clear();
    let schema = std::fs::read_to_string(&opts.labels)
        .ok()
        .and_then(|s| Schema::parse(&s).ok())
        .unwrap_or_else(Schema::default_schema);
    let mut unknown: Vec<String> = vec![];
    // Every write is fsynced with its folder: on a large import this is the
    // long part, so it has a bar of its own.
    let bar = progress_bar(
        targets.len(),
        if opts.dry_run { "checking" } else { "writing" },
    );
    for t in targets.values() {
        bar.inc(1);
        for a in t.store.all() {
            if schema.get(&a.label).is_none() && !unknown.contains(&a.label) {
                unknown.push(a.label.clone());
            }
        }
        let content = sidecar::write(&sidecar::from_store(&t.entry.rel, &t.text, &t.store));
        if t.before.as_deref() == Some(content.as_str()) {
            continue;
        }
        out.articles += 1;
        out.added += t.added;
        let verb = if opts.dry_run { "would write" } else { "wrote" };
        out.changes.push(format!(
            "{}: +{} annotation(s), {} in all; {verb} {}",
            t.entry.rel,
            t.added,
            t.store.len(),
            t.sidecar.display()
        ));
        if !opts.dry_run {
            write_atomic(&t.sidecar, content.as_bytes())
                .map_err(|e| Usage(format!("cannot write {}: {e}", t.sidecar.display())))?;
        }
    }
    bar.finish_and_clear();
    if !unknown.is_empty() {
        out.warnings.push(format!(
            "labels not in the schema {}: {} (add them there to give them keys and colours)",
            opts.labels.display(),
            unknown.join(", ")
        ));
    }
    Ok(out)
}

/// Fingerprint of every article's text, to find articles by their text.
fn text_index(entries: &[Entry]) -> HashMap<String, usize> {
    entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| std::fs::read(&e.path).ok().map(|b| (fingerprint(&b), i)))
        .collect()
}

fn open_target(opts: &ImportOptions, e: &Entry) -> Result<Target, String> {
    let (text, problem, _) = read_text(&e.path);
    if let Some(p) = problem {
        return Err(format!("{}: {p}", e.rel));
    }
    let sidecar = corpus::sidecar_path(&opts.annotations, &e.rel)
        .ok_or_else(|| format!("{}: no safe sidecar path", e.rel))?;
    let before = match sidecar::read_source(&sidecar) {
        Ok(s) => s,
        Err(sidecar::SourceError::Io(err)) => {
            return Err(format!("{}: cannot read: {err}", sidecar.display()));
        }
        Err(sidecar::SourceError::Invalid(err)) => {
            return Err(format!(
                "{}:{}: {}; the sidecar is left as it is",
                sidecar.display(),
                err.line,
                err.message
            ));
        }
    };
    let mut store = Store::default();
    if let Some(src) = &before {
        let fail = |line: usize, m: &str| {
            format!(
                "{}:{line}: {m}; the sidecar is left as it is",
                sidecar.display()
            )
        };
        let parsed = sidecar::parse(src).map_err(|err| fail(err.line, &err.message))?;
        let loaded =
            sidecar::load(&parsed, &text, src).map_err(|err| fail(err.line, &err.message))?;
        store = loaded.store;
    }
    if opts.mode == Mode::Replace {
        store = Store::new(vec![], store.orphans);
    }
    Ok(Target {
        entry: e.clone(),
        text,
        sidecar,
        before,
        store,
        added: 0,
    })
}

/// The annotation `span` makes in `t`, `None` when it is there already, or
/// why it is refused.
fn place(t: &Target, doc: &ImportDoc, span: &Span) -> Result<Option<Annotation>, String> {
    let what = format!("{} {}..{}", span.label, span.start, span.end);
    if span.label.trim().is_empty() {
        return Err(format!("{what}: no label"));
    }
    let Some(range) = t.text.char_range_to_bytes(span.start..span.end) else {
        return Err(format!(
            "{what}: outside {} ({} characters)",
            t.entry.rel,
            t.text.char_len()
        ));
    };
    let have = t.text.slice(range.clone());
    let expected = match (&span.quote, &doc.text) {
        (Some(q), _) => Some(q.as_str()),
        (None, Some(text)) => Some(
            char_slice(text, span.start, span.end)
                .ok_or_else(|| format!("{what}: outside the text the input gives"))?,
        ),
        (None, None) => None,
    };
    if let Some(exp) = expected
        && exp != have
    {
        return Err(format!(
            "{what}: the input says {exp:?} but {} has {have:?} there",
            t.entry.rel
        ));
    }
    if t.store
        .all()
        .iter()
        .any(|a| a.range() == range && a.label == span.label)
    {
        return Ok(None);
    }
    let id = span
        .id
        .clone()
        .filter(|id| {
            !id.is_empty() && !id.chars().any(char::is_control) && !t.store.contains_id(id)
        })
        .unwrap_or_else(|| new_id(|x| t.store.contains_id(x)));
    let created = span
        .created
        .clone()
        .filter(|c| c.parse::<toml::value::Datetime>().is_ok())
        .unwrap_or_else(now_rfc3339);
    Ok(Some(Annotation {
        id,
        start: range.start,
        end: range.end,
        label: span.label.clone(),
        note: span.note.clone().filter(|n| !n.is_empty()),
        annotator: span.annotator.clone(),
        created,
    }))
}
