//! `gloss import`: annotations from another tool into sidecars. Articles are
//! found by path, or by their text where the format carries it; an
//! annotation whose text does not match its article is refused with a line
//! that names it, and the rest still import.

use crate::core::offset::BytePos;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::core::annotation::{Annotation, DocLabel, Relation, Store, new_id, now_rfc3339};
use crate::core::article::{read_bytes, read_text};
use crate::core::commit::{CommitError, commit};
use crate::core::corpus::{self, Entry};
use crate::core::fsio;
use crate::core::offset::char_slice;
use crate::core::sidecar::{self, SidecarFile, fingerprint};
use crate::core::text::Text;
use crate::core::workspace::Workspace;
use crate::formats::{
    Format, ImportDoc, MAX_INPUT_BYTES, ReadError, Span, brat, doccano, jsonl, webanno,
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

/// Reads the input in `format`: only a regular file (a FIFO would hang
/// the import), up to `MAX_INPUT_BYTES`.
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
    let src = fsio::read_capped_string(input, MAX_INPUT_BYTES).map_err(|e| ReadError {
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
    /// The sidecar as it was when the import began.
    before: Option<String>,
    /// Spans (byte range and label) already there or placed, with their
    /// ids, and every id in use, so that each span is checked in constant
    /// time.
    present: HashMap<(BytePos, BytePos, String), String>,
    ids: HashSet<String>,
    /// Each span's name in the input (what its relations use) and the id
    /// of the annotation it is here.
    links: HashMap<String, String>,
    relations: Vec<Relation>,
    doc_labels: Vec<DocLabel>,
    /// The annotations this import adds, in input order.
    placed: Vec<Annotation>,
}

pub fn run(opts: &ImportOptions) -> Result<Outcome, Usage> {
    if !opts.format.can_import() {
        return Err(Usage(format!(
            "gloss cannot import {}; it reads jsonl, doccano, brat and webanno",
            opts.format.name()
        )));
    }
    let ws = Workspace::open(&opts.corpus, &opts.annotations, &opts.labels)
        .map_err(|e| Usage(e.to_string()))?;
    let docs = read_input(opts.format, &opts.input).map_err(|e| Usage(e.to_string()))?;
    let entries = &ws.entries;
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
                let map = by_text.get_or_insert_with(|| text_index(entries));
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
                Ok(Placed::New(a)) => {
                    let to = t.text.chars_of(a.range());
                    if to != (span.start..span.end) {
                        out.warnings.push(format!(
                            "{}: {} {}..{} split a grapheme cluster; widened to {}..{}",
                            span.origin, span.label, span.start, span.end, to.start, to.end
                        ));
                    }
                    if let Some(link) = &span.link {
                        t.links.insert(link.clone(), a.id.clone());
                    }
                    t.present
                        .insert((a.start, a.end, a.label.clone()), a.id.clone());
                    t.ids.insert(a.id.clone());
                    t.placed.push(a);
                }
                Ok(Placed::There(id)) => {
                    if let Some(link) = &span.link {
                        t.links.insert(link.clone(), id);
                    }
                }
                Err(why) => out.refused.push(format!("{}: {why}", span.origin)),
            }
        }
        for r in &doc.relations {
            let (Some(from), Some(to)) = (t.links.get(&r.from), t.links.get(&r.to)) else {
                out.refused.push(format!(
                    "{}: relation {} from {} to {}: an end is not among the spans imported",
                    r.origin, r.label, r.from, r.to
                ));
                continue;
            };
            if r.label.trim().is_empty() {
                out.refused
                    .push(format!("{}: a relation with no label", r.origin));
                continue;
            }
            let (from, to) = (from.clone(), to.clone());
            if t.relations
                .iter()
                .any(|x| x.label == r.label && x.from == from && x.to == to)
            {
                continue;
            }
            let id =
                r.id.clone()
                    .filter(|id| {
                        !id.is_empty() && !id.chars().any(char::is_control) && !t.ids.contains(id)
                    })
                    .unwrap_or_else(|| new_id(|x| t.ids.contains(x)));
            t.ids.insert(id.clone());
            t.relations.push(Relation {
                id,
                label: r.label.clone(),
                from,
                to,
                note: r.note.clone(),
                annotator: None,
                created: now_rfc3339(),
            });
        }
        for l in &doc.doc_labels {
            if l.label.trim().is_empty() || l.group.trim().is_empty() {
                out.refused
                    .push(format!("{}: a document label with no name", l.origin));
                continue;
            }
            if t.doc_labels
                .iter()
                .any(|x| x.group == l.group && x.label == l.label)
            {
                continue;
            }
            let id = new_id(|x| t.ids.contains(x));
            t.ids.insert(id.clone());
            t.doc_labels.push(DocLabel {
                id,
                group: l.group.clone(),
                label: l.label.clone(),
                note: None,
                annotator: None,
                created: now_rfc3339(),
            });
        }
    }
    bar.finish_and_clear();
    out.warnings.extend(ws.schema_problem());
    let mut unknown: Vec<String> = vec![];
    // Every write is fsynced with its folder: on a large import this is the
    // long part, so it has a bar of its own.
    let bar = progress_bar(
        targets.len(),
        if opts.dry_run { "checking" } else { "writing" },
    );
    for t in targets.values() {
        bar.inc(1);
        for a in &t.placed {
            if ws.schema().get(&a.label).is_none() && !unknown.contains(&a.label) {
                unknown.push(a.label.clone());
            }
        }
        // Nothing to add, nothing to take away: the sidecar is not touched
        // (nor made, when there is none).
        let nothing = t.placed.is_empty() && t.relations.is_empty() && t.doc_labels.is_empty();
        if nothing && (opts.mode == Mode::Merge || t.before.is_none()) {
            continue;
        }
        let mut result = Applied::default();
        let verb = if opts.dry_run {
            match apply(opts.mode, t, t.before.as_deref().map(str::as_bytes)) {
                Ok((_, r)) => result = r,
                Err(why) => {
                    out.refused.push(format!("{}: {why}", t.entry.rel));
                    continue;
                }
            }
            "would write"
        } else {
            // Under the lock, against what the sidecar holds at this very
            // moment: a reader that saved while the input was read keeps
            // its changes.
            let done = commit(
                &opts.annotations,
                &t.sidecar,
                |_| true,
                |old, _| {
                    let (content, r) = apply(opts.mode, t, old)?;
                    result = r;
                    Ok(content)
                },
            );
            match done {
                Ok(_) => "wrote",
                Err(CommitError::Failed(why)) => {
                    out.refused.push(format!(
                        "{}: not written: {why} ({} annotation(s) refused)",
                        t.entry.rel,
                        t.placed.len()
                    ));
                    continue;
                }
                Err(CommitError::Changed(_)) => unreachable!("every version is accepted"),
            }
        };
        if !result.changed {
            continue;
        }
        out.articles += 1;
        out.added += result.added;
        out.changes.push(format!(
            "{}: +{} annotation(s), {} in all{}; {verb} {}",
            t.entry.rel,
            result.added,
            result.total,
            if result.records > 0 {
                format!(", +{} relation(s) and document label(s)", result.records)
            } else {
                String::new()
            },
            t.sidecar.display()
        ));
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

/// What applying an import to a sidecar did.
#[derive(Debug, Default)]
struct Applied {
    added: usize,
    /// Relations and document labels added.
    records: usize,
    total: usize,
    changed: bool,
}

/// The sidecar text that `t`'s annotations make over `old`, the sidecar
/// as it is now (read under the lock): in `Merge` mode they are added to
/// what it holds, a span already there (same range and label) not twice;
/// in `Replace` mode they take the place of its annotations. What `old`
/// holds that gloss does not know is kept.
fn apply(mode: Mode, t: &Target, old: Option<&[u8]>) -> Result<(String, Applied), String> {
    let (src, store) = sidecar::store_of(&t.sidecar, old, &t.text)
        .map_err(|p| format!("{p}; the sidecar is left as it is"))?;
    let orphans = store.orphans.clone();
    let status = store.status();
    let (mut relations, mut doc_labels): (Vec<Relation>, Vec<DocLabel>) = match mode {
        Mode::Merge => (store.owned_relations(), store.owned_doc_labels()),
        Mode::Replace => (vec![], vec![]),
    };
    let mut anns: Vec<Annotation> = match mode {
        Mode::Merge => store.into_annotations(),
        Mode::Replace => vec![],
    };
    let mut present: HashMap<(BytePos, BytePos, String), String> = anns
        .iter()
        .map(|a| ((a.start, a.end, a.label.clone()), a.id.clone()))
        .collect();
    let mut ids: HashSet<String> = anns
        .iter()
        .map(|a| a.id.clone())
        .chain(orphans.iter().map(|o| o.id.clone()))
        .chain(relations.iter().map(|r| r.id.clone()))
        .chain(doc_labels.iter().map(|l| l.id.clone()))
        .collect();
    // The id each placed annotation has in the end: its own, a fresh one
    // (its own is taken now), or that of the same span already there.
    let mut renamed: HashMap<&str, String> = HashMap::new();
    let mut added = 0;
    for p in &t.placed {
        let key = (p.start, p.end, p.label.clone());
        if let Some(there) = present.get(&key) {
            renamed.insert(&p.id, there.clone());
            continue;
        }
        let mut a = p.clone();
        if ids.contains(&a.id) {
            a.id = new_id(|x| ids.contains(x));
        }
        ids.insert(a.id.clone());
        present.insert(key, a.id.clone());
        renamed.insert(&p.id, a.id.clone());
        anns.push(a);
        added += 1;
    }
    let end = |id: &String| {
        renamed
            .get(id.as_str())
            .cloned()
            .unwrap_or_else(|| id.clone())
    };
    let mut relations_added = 0;
    for r in &t.relations {
        let (from, to) = (end(&r.from), end(&r.to));
        if relations
            .iter()
            .any(|x| x.label == r.label && x.from == from && x.to == to)
        {
            continue;
        }
        let mut r = Relation {
            from,
            to,
            ..r.clone()
        };
        if ids.contains(&r.id) {
            r.id = new_id(|x| ids.contains(x));
        }
        ids.insert(r.id.clone());
        relations.push(r);
        relations_added += 1;
    }
    for l in &t.doc_labels {
        if doc_labels
            .iter()
            .any(|x| x.group == l.group && x.label == l.label)
        {
            continue;
        }
        let mut l = l.clone();
        if ids.contains(&l.id) {
            l.id = new_id(|x| ids.contains(x));
        }
        ids.insert(l.id.clone());
        doc_labels.push(l);
        relations_added += 1;
    }
    let total = anns.len();
    let store = Store::new(anns, orphans).with_records(relations, doc_labels, status);
    let plain = src.is_none_or(sidecar::is_plain);
    let content = sidecar::write_over(old, plain, &t.entry.rel, &t.text, &store)?;
    let changed = src != Some(content.as_str());
    Ok((
        content,
        Applied {
            added,
            records: relations_added,
            total,
            changed,
        },
    ))
}

/// Fingerprint of every article's text, to find articles by their text.
fn text_index(entries: &[Entry]) -> HashMap<String, usize> {
    entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| read_bytes(&e.path).ok().map(|b| (fingerprint(&b), i)))
        .collect()
}

fn open_target(opts: &ImportOptions, e: &Entry) -> Result<Target, String> {
    let (text, problem, _) = read_text(&e.path);
    if let Some(p) = problem {
        return Err(format!("{}: {p}", e.rel));
    }
    let sidecar = corpus::sidecar_path(&opts.annotations, &e.rel)
        .ok_or_else(|| format!("{}: no safe sidecar path", e.rel))?;
    let left = |p: sidecar::SidecarProblem| format!("{p}; the sidecar is left as it is");
    let file = SidecarFile::read(&sidecar).map_err(left)?;
    let before = file.as_ref().map(|f| f.src.clone());
    let mut present = HashMap::new();
    let mut ids = HashSet::new();
    let mut existing_relations = vec![];
    let mut existing_labels = vec![];
    if let Some(file) = &file {
        let loaded = file.fit(&text).map_err(left)?;
        ids.extend(loaded.store.orphans.iter().map(|o| o.id.clone()));
        ids.extend(loaded.store.relations().iter().map(|r| r.id.clone()));
        ids.extend(loaded.store.doc_labels().iter().map(|l| l.id.clone()));
        for a in loaded.store.all() {
            ids.insert(a.id.clone());
            if opts.mode == Mode::Merge {
                present.insert((a.start, a.end, a.label.clone()), a.id.clone());
            }
        }
        if opts.mode == Mode::Merge {
            // What is there already is not imported twice.
            existing_relations = loaded.store.owned_relations();
            existing_labels = loaded.store.owned_doc_labels();
        }
    }
    Ok(Target {
        entry: e.clone(),
        text,
        sidecar,
        before,
        present,
        ids,
        links: HashMap::new(),
        relations: existing_relations,
        doc_labels: existing_labels,
        placed: vec![],
    })
}

/// What a span of the input is in the article.
enum Placed {
    /// A new annotation.
    New(Annotation),
    /// The same span and label is there already, with this id.
    There(String),
}

/// The annotation `span` makes in `t`, the one already there, or why it
/// is refused.
fn place(t: &Target, doc: &ImportDoc, span: &Span) -> Result<Placed, String> {
    let what = format!("{} {}..{}", span.label, span.start, span.end);
    if span.label.trim().is_empty() {
        return Err(format!("{what}: no label"));
    }
    if span.end <= span.start {
        return Err(format!(
            "{what}: an empty span (it marks no text, and could not be selected to delete)"
        ));
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
            char_slice(text, span.start..span.end)
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
    // A span never splits a grapheme cluster (a letter and its accent, an
    // emoji sequence): one that does is widened to whole graphemes, as a
    // sidecar's is, and the caller says so.
    let widened = t.text.floor_boundary(range.start)..t.text.ceil_boundary(range.end);
    let review = (widened != range).then(|| {
        format!(
            "widened to whole graphemes from {}..{} on import",
            span.start, span.end
        )
    });
    let range = widened;
    if let Some(id) = t
        .present
        .get(&(BytePos(range.start), BytePos(range.end), span.label.clone()))
    {
        return Ok(Placed::There(id.clone()));
    }
    let id = span
        .id
        .clone()
        .filter(|id| !id.is_empty() && !id.chars().any(char::is_control) && !t.ids.contains(id))
        .unwrap_or_else(|| new_id(|x| t.ids.contains(x)));
    let created = span
        .created
        .clone()
        .filter(|c| c.parse::<toml::value::Datetime>().is_ok())
        .unwrap_or_else(now_rfc3339);
    Ok(Placed::New(Annotation {
        id,
        start: BytePos(range.start),
        end: BytePos(range.end),
        label: span.label.clone(),
        note: span.note.clone().filter(|n| !n.is_empty()),
        review,
        annotator: span.annotator.clone(),
        created,
    }))
}
