//! `gloss import`: annotations from another tool into sidecars. Articles are
//! found by path, or by their text where the format carries it; an
//! annotation whose text does not match its article is refused with a line
//! that names it, and the rest still import.

use crate::core::offset::BytePos;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::core::anchor::{Anchor, How, reanchor};
use crate::core::annotation::{
    Annotation, DocLabel, Equivalence, Event, More, Relation, new_id, now_rfc3339,
};
use crate::core::article::{read_bytes, read_text};
use crate::core::commit::{CommitAllError, commit_all};
use crate::core::corpus::{self, Entry};
use crate::core::fsio;
use crate::core::offset::{CharPos, Unit, Utf16Index, char_slice};
use crate::core::sidecar::{self, SidecarFile, fingerprint};
use crate::core::text::Text;
use crate::core::workspace::Workspace;
use crate::formats::brat::LfOffsets;
use crate::formats::{
    Format, ImportDoc, Input, MAX_INPUT_BYTES, ReadError, ReadOptions, Skip, Span, brat, conll,
    doccano, hf, jsonl, labelstudio, spacy, tokens, tsv, w3c,
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
    /// Any record skipped (or that gloss cannot hold) makes the import
    /// fail, nothing written.
    pub strict: bool,
    /// The unit the input's offsets count.
    pub offsets: Unit,
    pub read: ReadOptions,
    /// The article (path in the corpus) every document of the input goes
    /// on, whatever it names.
    pub article: Option<String>,
}

/// Why nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The input was refused: it cannot be read as the format, or
    /// `--strict` found records to skip.
    Refused(String),
    /// Writing the sidecars failed; every one is as it was.
    Io(String),
}

#[derive(Debug, Default)]
pub struct Outcome {
    /// What changed (or would), one line per article.
    pub changes: Vec<String>,
    /// Records of the input not imported, each with where and why.
    pub skipped: Vec<Skip>,
    /// Records read whole that gloss has no place for.
    pub unheld: Vec<Skip>,
    pub warnings: Vec<String>,
    pub added: usize,
    /// Relations and document labels added.
    pub records: usize,
    pub articles: usize,
    /// Set when nothing was written, and why.
    pub failure: Option<Failure>,
}

impl Outcome {
    /// `items` counted by kind, most frequent first: "2 × a line without
    /// text, 1 × an empty span".
    pub fn tally(items: &[Skip]) -> String {
        let mut by: Vec<(&str, usize)> = vec![];
        for s in items {
            match by.iter_mut().find(|(k, _)| *k == s.kind) {
                Some((_, n)) => *n += 1,
                None => by.push((&s.kind, 1)),
            }
        }
        by.sort_by_key(|b| std::cmp::Reverse(b.1));
        by.iter()
            .map(|(k, n)| format!("{n} × {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Reads the input file (or brat folder): only a regular file (a FIFO
/// would hang the import), up to `MAX_INPUT_BYTES`. An input that cannot
/// be read at all is a usage error; one that is not the format is
/// refused.
pub fn read_input(
    format: Format,
    input: &Path,
    read: ReadOptions,
) -> Result<Result<Input, ReadError>, Usage> {
    let name = input.display().to_string();
    if format == Format::Brat {
        if !input.is_dir() {
            return Err(Usage(format!(
                "{name}: brat input is a folder of .ann and .txt files"
            )));
        }
        return Ok(brat::read_dir(input));
    }
    if format == Format::Tsv {
        if !input.is_dir() && !input.is_file() {
            return Err(Usage(format!(
                "{name}: tsv input is a .tsv file or a folder of them"
            )));
        }
        return Ok(tsv::read_path(input));
    }
    if format == Format::Spacy {
        let bytes = fsio::read_capped(input, MAX_INPUT_BYTES)
            .map_err(|e| Usage(format!("{name}: cannot read: {e}")))?;
        return Ok(spacy::read(&name, &bytes));
    }
    let src = fsio::read_capped_string(input, MAX_INPUT_BYTES)
        .map_err(|e| Usage(format!("{name}: cannot read: {e}")))?;
    Ok(match format {
        Format::Jsonl => jsonl::read(&name, &src, read),
        Format::Doccano => doccano::read(&name, &src),
        Format::W3c => w3c::read(&name, &src),
        Format::Labelstudio => labelstudio::read(&name, &src),
        Format::Hf => hf::read(&name, &src),
        Format::Conll | Format::Conll2003 => Ok(conll::read(&name, &src)),
        f => {
            return Err(Usage(format!("gloss cannot import {}", f.name())));
        }
    })
}

/// An article being imported into, held until everything is read.
struct Target {
    entry: Entry,
    text: Text,
    /// For inputs whose offsets count UTF-16 units, and to tell when they
    /// seem to.
    utf16: Utf16Index,
    /// The article's CRLFs, and whether the document being placed counts
    /// offsets in the article's LF form (brat's `.txt` written with LF, or
    /// older brat counting a CRLF as one character: brat issue 853).
    crlf: LfOffsets,
    lf_space: bool,
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
    events: Vec<Event>,
    equivalences: Vec<Equivalence>,
    /// The annotations this import adds, in input order.
    placed: Vec<Annotation>,
}

pub fn run(opts: &ImportOptions) -> Result<Outcome, Usage> {
    if !opts.format.can_import() {
        return Err(Usage(format!(
            "gloss cannot import {}; it writes it only",
            opts.format.name()
        )));
    }
    let ws = Workspace::open(&opts.corpus, &opts.annotations, &opts.labels)
        .map_err(|e| Usage(e.to_string()))?;
    let mut out = Outcome::default();
    let input = match read_input(opts.format, &opts.input, opts.read)? {
        Ok(i) => i,
        Err(e) => {
            out.failure = Some(Failure::Refused(format!(
                "{e}; nothing imported (is it {} input?)",
                opts.format.name()
            )));
            return Ok(out);
        }
    };
    out.skipped = input.skipped;
    out.unheld = input.unheld;
    out.warnings.extend(input.notes);
    let docs = input.docs;
    let entries = &ws.entries;
    let by_path: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.rel.as_str(), i))
        .collect();
    let mut by_text: Option<HashMap<String, usize>> = None;
    let mut by_tokens: Option<HashMap<String, usize>> = None;
    let mut targets: BTreeMap<usize, Target> = BTreeMap::new();
    // Spans refused in code points that would fit as UTF-16 offsets.
    let mut fit_utf16 = 0;
    let given = match &opts.article {
        Some(a) => match by_path.get(a.trim_start_matches("./")) {
            Some(&i) => Some(i),
            None => {
                return Err(Usage(format!(
                    "--article {a:?}: no such article in {}; give its path as `gloss list` shows it",
                    opts.corpus.display()
                )));
            }
        },
        None => None,
    };
    let bar = progress_bar(docs.len(), "importing");
    for mut doc in docs {
        bar.inc(1);
        let idx = given
            .or_else(|| doc.path.as_deref().and_then(|p| named_by(&by_path, p)))
            .or_else(|| {
                let text = doc.text.as_ref()?;
                let map = by_text.get_or_insert_with(|| text_index(entries));
                map.get(&fingerprint(text.as_bytes())).copied()
            })
            .or_else(|| {
                // Tokens name no article: their text without white space
                // is the article's.
                if doc.tagged.is_empty() && doc.tagged_text.is_none() {
                    return None;
                }
                let joined: String = match &doc.tagged_text {
                    Some(t) => t.clone(),
                    None => doc.tagged.iter().map(|t| t.token.as_str()).collect(),
                };
                let map = by_tokens.get_or_insert_with(|| squeezed_index(entries));
                map.get(&fingerprint(tokens::squeezed(&joined).as_bytes()))
                    .copied()
            });
        let records = doc.spans.len()
            + doc.relations.len()
            + doc.doc_labels.len()
            + doc
                .tagged
                .iter()
                .filter(|t| {
                    t.tag.starts_with("B-") || t.tag.starts_with("S-") || t.tag.starts_with("U-")
                })
                .count();
        let Some(idx) = idx else {
            out.skipped.push(Skip::new(
                &doc.origin,
                "a document with no article in the corpus",
                format!(
                    "no article in {} has {} ({records} record(s) not imported)",
                    opts.corpus.display(),
                    match &doc.path {
                        Some(p) => format!("the path {p:?} or this text"),
                        None => "this text".into(),
                    },
                ),
            ));
            continue;
        };
        let t = match targets.entry(idx) {
            std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::btree_map::Entry::Vacant(v) => match open_target(opts, &entries[idx])
            {
                Ok(t) => v.insert(t),
                Err(why) => {
                    out.skipped.push(Skip::new(
                        &doc.origin,
                        "a document whose article or sidecar cannot be used",
                        format!("{why} ({records} record(s) not imported)"),
                    ));
                    continue;
                }
            },
        };
        // Offsets that read as the wrong text in code points but as whole
        // words in UTF-16 units (spans made in a browser): said, and those
        // spans not imported as the wrong text.
        if !doc.tagged.is_empty() {
            spans_from_tags(t, &mut doc, &mut out);
        }
        // A format that fixes its unit (WebAnno TSV: UTF-16) has it.
        let unit = doc.unit.unwrap_or(opts.offsets);
        t.lf_space = counts_lf(t, &doc, unit);
        if t.lf_space && doc.text.as_deref().is_none_or(|x| x == t.text.as_str()) {
            out.warnings.push(format!(
                "{}: its offsets count each CRLF of {} as one character (as older brat does, brat issue 853); read so",
                doc.origin, t.entry.rel
            ));
        }
        let utf16_like = !t.lf_space
            && unit == Unit::Codepoints
            && !doc.codepoints_sure
            && seems_utf16(t, &doc.spans);
        for span in &doc.spans {
            if utf16_like && differs_in_utf16(t, span) {
                fit_utf16 += 1;
                out.skipped.push(Skip::new(
                    &span.origin,
                    "a span whose offsets seem to count UTF-16 code units",
                    format!("{} {}..{}", span.label, span.start, span.end),
                ));
                continue;
            }
            // A span of pieces with text between them: an annotation a
            // piece, the later ones part of the first.
            if !span.fragments.is_empty() && !only_breaks_between(t, &span.fragments, unit) {
                place_pieces(t, &doc, span, unit, &mut out, &mut fit_utf16);
                continue;
            }
            place_one(t, &doc, span, unit, None, &mut out, &mut fit_utf16);
        }
        for r in &doc.relations {
            let (Some(from), Some(to)) = (t.links.get(&r.from), t.links.get(&r.to)) else {
                out.skipped.push(Skip::new(
                    &r.origin,
                    "a relation whose end was not imported",
                    format!("{} from {} to {}", r.label, r.from, r.to),
                ));
                continue;
            };
            if r.label.trim().is_empty() {
                out.skipped
                    .push(Skip::new(&r.origin, "a relation without a label", ""));
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
                out.skipped
                    .push(Skip::new(&l.origin, "a document label without a name", ""));
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
        place_structures(t, &doc, &mut out);
    }
    bar.finish_and_clear();
    if fit_utf16 > 0 {
        out.warnings.push(format!(
            "{fit_utf16} span(s) skipped above fit their text if the offsets count UTF-16 code units (as doccano's web interface, Label Studio, INCEpTION and Hypothesis count): import again with --offsets utf16"
        ));
    }
    out.warnings.extend(ws.schema_problem());
    let mut unknown: Vec<String> = vec![];
    for t in targets.values() {
        for a in &t.placed {
            if ws.schema().get(&a.label).is_none() && !unknown.contains(&a.label) {
                unknown.push(a.label.clone());
            }
        }
    }
    if !unknown.is_empty() {
        out.warnings.push(format!(
            "labels not in the schema {}: {} (add them there to give them keys and colours)",
            opts.labels.display(),
            unknown.join(", ")
        ));
    }
    if opts.strict && (!out.skipped.is_empty() || !out.unheld.is_empty()) {
        out.failure = Some(Failure::Refused(format!(
            "--strict: {} record(s) would be skipped and {} not kept; nothing written",
            out.skipped.len(),
            out.unheld.len()
        )));
        return Ok(out);
    }
    // Nothing to add, nothing to take away: a sidecar is not touched (nor
    // made, when there is none).
    let todo: Vec<&Target> = targets
        .values()
        .filter(|t| {
            let nothing = t.placed.is_empty() && t.relations.is_empty() && t.doc_labels.is_empty();
            !(nothing && (opts.mode == Mode::Merge || t.before.is_none()))
        })
        .collect();
    let mut results: Vec<Option<Applied>> = vec![None; todo.len()];
    if opts.dry_run {
        for (i, t) in todo.iter().enumerate() {
            match apply(opts.mode, t, t.before.as_deref().map(str::as_bytes)) {
                Ok((_, r)) => results[i] = Some(r),
                Err(why) => {
                    out.failure = Some(Failure::Refused(format!(
                        "{}: {why}; nothing would be written",
                        t.entry.rel
                    )));
                    return Ok(out);
                }
            }
        }
    } else {
        // Every sidecar under the lock, against what it holds at this very
        // moment (a reader that saved while the input was read keeps its
        // changes), all written or none: fsyncing each file with its folder
        // is the long part of a large import, so it has a bar.
        let bar = progress_bar(todo.len(), "writing");
        let paths: Vec<PathBuf> = todo.iter().map(|t| t.sidecar.clone()).collect();
        let done = commit_all(&opts.annotations, &paths, |i, old| {
            bar.inc(1);
            let (content, r) = apply(opts.mode, todo[i], old)?;
            results[i] = Some(r);
            Ok(content)
        });
        bar.finish_and_clear();
        match done {
            Ok(_) => {}
            Err(CommitAllError::Refused(path, why)) => {
                out.failure = Some(Failure::Refused(format!(
                    "{}: {why}; nothing written",
                    path.display()
                )));
                return Ok(out);
            }
            Err(CommitAllError::Io(why)) => {
                out.failure = Some(Failure::Io(format!("{why}; nothing written")));
                return Ok(out);
            }
        }
    }
    let verb = if opts.dry_run { "would write" } else { "wrote" };
    for (t, r) in todo.iter().zip(results) {
        let Some(r) = r.filter(|r| r.changed) else {
            continue;
        };
        out.articles += 1;
        out.added += r.added;
        out.records += r.records;
        out.changes.push(format!(
            "{}: +{} annotation(s), {} in all{}; {verb} {}",
            t.entry.rel,
            r.added,
            r.total,
            if r.records > 0 {
                format!(", +{} relation(s) and document label(s)", r.records)
            } else {
                String::new()
            },
            t.sidecar.display()
        ));
    }
    Ok(out)
}

/// Whether `r` (bytes of `t`) looks like what a person selects: whole
/// graphemes, no white space at its edges, not starting or ending inside
/// a word.
fn looks_selected(t: &Target, r: &std::ops::Range<usize>) -> bool {
    let s = t.text.as_str();
    if r.is_empty() || !t.text.is_grapheme_boundary(r.start) || !t.text.is_grapheme_boundary(r.end)
    {
        return false;
    }
    let inner = &s[r.clone()];
    let (first, last) = (inner.chars().next(), inner.chars().next_back());
    let before = s[..r.start].chars().next_back();
    let after = s[r.end..].chars().next();
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let edge_space =
        first.is_some_and(char::is_whitespace) || last.is_some_and(char::is_whitespace);
    let cuts_a_word = (word(before) && word(first)) || (word(after) && word(last));
    !edge_space && !cuts_a_word
}

/// The article a document's name means: its path in the corpus, that
/// path without `.txt` (INCEpTION's export of `a.txt` may be `a.tsv`), or
/// the last part of a web address (`https://host/dir/a.htm?x#y` finds
/// `a.htm`, `a.htm.txt` or `a.txt`), as W3C files from a browser name it.
fn named_by(by_path: &HashMap<&str, usize>, p: &str) -> Option<usize> {
    let find = |p: &str| {
        by_path
            .get(p)
            .or_else(|| by_path.get(format!("{p}.txt").as_str()))
            .copied()
    };
    find(p).or_else(|| {
        let (_, rest) = p.split_once("://")?;
        let path = rest.split(['?', '#']).next()?;
        let last = path.split('/').skip(1).filter(|s| !s.is_empty()).last()?;
        let last = percent_encoding::percent_decode_str(last)
            .decode_utf8()
            .ok()?;
        find(&last).or_else(|| {
            let stem = std::path::Path::new(last.as_ref()).file_stem()?.to_str()?;
            find(stem)
        })
    })
}

/// Whether `span` lands elsewhere when its offsets count UTF-16 units.
fn differs_in_utf16(t: &Target, span: &Span) -> bool {
    !span.quote_only && convert(t, span, Unit::Codepoints) != convert(t, span, Unit::Utf16)
}

/// Whether the spans of one document read better as UTF-16 offsets than
/// as code points: of those that land elsewhere in the two units, more
/// look like a person's selection in UTF-16 than in code points.
fn seems_utf16(t: &Target, spans: &[Span]) -> bool {
    if t.utf16.is_trivial() {
        return false;
    }
    let looks = |span: &Span, unit| {
        convert(t, span, unit)
            .and_then(|r| t.text.char_range_to_bytes(r))
            .is_some_and(|r| looks_selected(t, &r))
    };
    let (mut cp, mut u16) = (0, 0);
    for span in spans.iter().filter(|s| differs_in_utf16(t, s)) {
        cp += usize::from(looks(span, Unit::Codepoints));
        u16 += usize::from(looks(span, Unit::Utf16));
    }
    u16 > cp
}

/// The code point range of `span`'s offsets, counted in `unit`, in `t`.
fn convert(t: &Target, span: &Span, unit: Unit) -> Option<std::ops::Range<CharPos>> {
    if t.lf_space {
        return Some(t.crlf.back(span.start.get())..t.crlf.back(span.end.get()));
    }
    Some(t.utf16.from_unit(unit, span.start.get())?..t.utf16.from_unit(unit, span.end.get())?)
}

/// Whether `doc` counts offsets in the LF form of `t`'s CRLF article: its
/// own copy of the text is that form, or (its copy is the article, or it
/// has none: older brat read CRLF text counting each CRLF as one) more of
/// its quoted spans fit there than as the article is.
fn counts_lf(t: &mut Target, doc: &ImportDoc, unit: Unit) -> bool {
    if t.crlf.is_trivial() {
        return false;
    }
    if let Some(text) = &doc.text
        && text != t.text.as_str()
    {
        return *text == t.text.as_str().replace("\r\n", "\n");
    }
    let fits = |t: &Target| {
        doc.spans
            .iter()
            .filter(|s| s.quote.is_some() && !s.quote_only)
            .filter(|s| by_offsets(t, doc, s, unit, "").is_ok())
            .count()
    };
    t.lf_space = false;
    let as_is = fits(t);
    t.lf_space = true;
    let lf = fits(t);
    t.lf_space = false;
    lf > as_is
}

/// Places `span` in `t` (as a piece of annotation `part_of`, if given):
/// a new annotation, one already there, or a skip with why. Returns the
/// annotation's id when it is placed.
fn place_one(
    t: &mut Target,
    doc: &ImportDoc,
    span: &Span,
    unit: Unit,
    part_of: Option<&str>,
    out: &mut Outcome,
    fit_utf16: &mut usize,
) -> Option<String> {
    match place(t, doc, span, unit) {
        Ok(Placed::New(mut a)) => {
            let to = t.text.chars_of(a.range());
            let from = convert(t, span, unit);
            if !span.quote_only {
                let held = from
                    .as_ref()
                    .and_then(|r| t.text.char_range_to_bytes(r.clone()))
                    .is_some_and(|r| Some(t.text.slice(r)) == span.quote.as_deref());
                if span.context.is_some() && !held {
                    out.warnings.push(format!(
                        "{}: {} {}..{} does not hold its quote; placed by the quote at {}..{}{}",
                        span.origin,
                        span.label,
                        span.start,
                        span.end,
                        to.start,
                        to.end,
                        if a.review.is_some() {
                            ", found approximately: marked for review"
                        } else {
                            ""
                        }
                    ));
                } else if Some(to.clone()) != from {
                    out.warnings.push(format!(
                        "{}: {} {}..{} split a grapheme cluster; widened to {}..{}",
                        span.origin, span.label, span.start, span.end, to.start, to.end
                    ));
                }
            }
            // A piece names its first piece by id (brat's fragments) or,
            // from JSON Lines, by the input's name for it (resolved once
            // every span is placed).
            a.set_part_of(part_of.map(str::to_string).or_else(|| span.part_of.clone()));
            if let Some(link) = &span.link {
                t.links.insert(link.clone(), a.id.clone());
            }
            t.present
                .insert((a.start, a.end, a.label.clone()), a.id.clone());
            t.ids.insert(a.id.clone());
            let id = a.id.clone();
            t.placed.push(a);
            Some(id)
        }
        Ok(Placed::There(id)) => {
            // The same span and label twice in one input (stacked in
            // WebAnno TSV): gloss holds it once, and says so. One already
            // in the sidecar is what a repeated import meets: silent.
            if t.placed.iter().any(|a| a.id == id) {
                out.unheld.push(Skip::new(
                    &span.origin,
                    "a span the input gives twice (same text and label): one in gloss",
                    format!("{} {}..{}", span.label, span.start, span.end),
                ));
            }
            if let Some(link) = &span.link {
                t.links.insert(link.clone(), id.clone());
            }
            Some(id)
        }
        Err((kind, detail)) => {
            if unit == Unit::Codepoints
                && !t.utf16.is_trivial()
                && place(t, doc, span, Unit::Utf16).is_ok()
            {
                *fit_utf16 += 1;
            }
            out.skipped.push(Skip::new(&span.origin, kind, detail));
            None
        }
    }
}

/// Places a span of pieces (brat fragments with text between them): the
/// pieces' text, joined by a space as brat joins it, must be its quote;
/// the first piece carries the span's id, attributes and normalisations,
/// the others are `part_of` it.
fn place_pieces(
    t: &mut Target,
    doc: &ImportDoc,
    span: &Span,
    unit: Unit,
    out: &mut Outcome,
    fit_utf16: &mut usize,
) {
    let mut frags = span.fragments.clone();
    frags.sort_by_key(|f| f.start);
    if let Some(q) = &span.quote {
        let texts: Option<Vec<&str>> = frags
            .iter()
            .map(|f| {
                let piece = Span {
                    start: f.start,
                    end: f.end,
                    ..Span::default()
                };
                let r = convert(t, &piece, unit)?;
                t.text.char_range_to_bytes(r).map(|b| t.text.slice(b))
            })
            .collect();
        let joined = texts.map(|v| v.join(" "));
        if joined.as_deref() != Some(q.as_str()) {
            out.skipped.push(Skip::new(
                &span.origin,
                "a span whose text differs from its article's",
                format!(
                    "{}: the input says {q:?} but {} has {:?} in its pieces",
                    span.label,
                    t.entry.rel,
                    joined.unwrap_or_default()
                ),
            ));
            return;
        }
    }
    let mut first: Option<String> = None;
    for (k, f) in frags.iter().enumerate() {
        // The first piece is the span (its id, note, attributes); the
        // others are only where it goes on.
        let base = if k == 0 {
            span.clone()
        } else {
            Span {
                label: span.label.clone(),
                ..Span::default()
            }
        };
        let piece = Span {
            start: f.start,
            end: f.end,
            quote: None,
            fragments: vec![],
            origin: format!("{} piece {}", span.origin, k + 1),
            ..base
        };
        let id = place_one(t, doc, &piece, unit, first.as_deref(), out, fit_utf16);
        if k == 0 {
            match id {
                Some(id) => first = Some(id),
                None => return,
            }
        }
    }
}

/// Events and equivalences of `doc`, their ends resolved to the
/// annotations (and events) placed: one whose end was not imported is
/// skipped and said.
fn place_structures(t: &mut Target, doc: &ImportDoc, out: &mut Outcome) {
    for a in &mut t.placed {
        if let Some(id) = a.part_of().and_then(|p| t.links.get(p)) {
            let id = id.clone();
            a.set_part_of(Some(id));
        }
    }
    // Ids for the events first: an event may be another's argument.
    let mut ids: Vec<String> = vec![];
    for e in &doc.events {
        let id = e
            .id
            .clone()
            .filter(|id| !id.is_empty() && !id.chars().any(char::is_control) && !t.ids.contains(id))
            .unwrap_or_else(|| new_id(|x| t.ids.contains(x)));
        t.ids.insert(id.clone());
        if let Some(link) = &e.link {
            t.links.insert(link.clone(), id.clone());
        }
        ids.push(id);
    }
    for (e, id) in doc.events.iter().zip(ids) {
        let trigger = t.links.get(&e.trigger).cloned();
        let args: Option<Vec<(String, String)>> = e
            .args
            .iter()
            .map(|(role, to)| Some((role.clone(), t.links.get(to)?.clone())))
            .collect();
        let (Some(trigger), Some(args)) = (trigger, args) else {
            out.skipped.push(Skip::new(
                &e.origin,
                "an event whose trigger or argument was not imported",
                e.label.clone(),
            ));
            continue;
        };
        if t.events
            .iter()
            .any(|x| x.label == e.label && x.trigger == trigger && x.args == args)
        {
            continue;
        }
        t.events.push(Event {
            id,
            label: e.label.clone(),
            trigger,
            args,
            attributes: e.attributes.clone(),
            norms: e.norms.clone(),
            note: e.note.clone(),
            annotator: None,
            created: now_rfc3339(),
        });
    }
    for q in &doc.equivalences {
        let members: Option<Vec<String>> =
            q.members.iter().map(|m| t.links.get(m).cloned()).collect();
        let Some(members) = members.filter(|m| m.len() >= 2) else {
            out.skipped.push(Skip::new(
                &q.origin,
                "an equivalence whose members were not imported",
                q.label.clone(),
            ));
            continue;
        };
        let same = |x: &Equivalence| {
            let (mut a, mut b) = (x.members.clone(), members.clone());
            a.sort();
            b.sort();
            x.label == q.label && a == b
        };
        if t.equivalences.iter().any(same) {
            continue;
        }
        let id = new_id(|x| t.ids.contains(x));
        t.ids.insert(id.clone());
        t.equivalences.push(Equivalence {
            id,
            label: q.label.clone(),
            members,
            annotator: None,
            created: now_rfc3339(),
        });
    }
}

/// What applying an import to a sidecar did.
#[derive(Debug, Default, Clone)]
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
    // Everything the sidecar holds stays (orphans, status, tables gloss
    // does not know); in Replace mode its annotations and the records on
    // them become the imported ones.
    let base = store.snapshot();
    let (mut relations, mut doc_labels, mut events, mut equivalences) = match mode {
        Mode::Merge => (
            store.owned_relations(),
            store.owned_doc_labels(),
            store.owned_events(),
            store.owned_equivalences(),
        ),
        Mode::Replace => Default::default(),
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
        .chain(base.orphans.iter().map(|o| o.id.clone()))
        .chain(relations.iter().map(|r| r.id.clone()))
        .chain(doc_labels.iter().map(|l| l.id.clone()))
        .chain(events.iter().map(|e| e.id.clone()))
        .chain(equivalences.iter().map(|e| e.id.clone()))
        .collect();
    // The id each placed annotation (and event) has in the end: its own, a
    // fresh one (its own is taken now), or that of the same one there.
    let mut renamed: HashMap<String, String> = HashMap::new();
    let mut added = 0;
    let first_new = anns.len();
    for p in &t.placed {
        let key = (p.start, p.end, p.label.clone());
        if let Some(there) = present.get(&key) {
            renamed.insert(p.id.clone(), there.clone());
            continue;
        }
        let mut a = p.clone();
        if ids.contains(&a.id) {
            a.id = new_id(|x| ids.contains(x));
        }
        ids.insert(a.id.clone());
        present.insert(key, a.id.clone());
        renamed.insert(p.id.clone(), a.id.clone());
        anns.push(a);
        added += 1;
    }
    for e in &t.events {
        if !events.iter().any(|x| x.id == e.id) && ids.contains(&e.id) {
            let fresh = new_id(|x| ids.contains(x));
            ids.insert(fresh.clone());
            renamed.insert(e.id.clone(), fresh);
        }
    }
    let end = |id: &String| renamed.get(id).cloned().unwrap_or_else(|| id.clone());
    for a in &mut anns[first_new..] {
        let first = a.part_of().map(|p| end(&p.to_string()));
        a.set_part_of(first);
    }
    let mut records = 0;
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
        records += 1;
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
        records += 1;
    }
    for e in &t.events {
        let e = Event {
            id: end(&e.id),
            trigger: end(&e.trigger),
            args: e.args.iter().map(|(r, to)| (r.clone(), end(to))).collect(),
            ..e.clone()
        };
        if events.iter().any(|x| {
            x.id == e.id || (x.label == e.label && x.trigger == e.trigger && x.args == e.args)
        }) {
            continue;
        }
        ids.insert(e.id.clone());
        events.push(e);
        records += 1;
    }
    for q in &t.equivalences {
        let members: Vec<String> = q.members.iter().map(end).collect();
        let sorted = |v: &[String]| {
            let mut v = v.to_vec();
            v.sort();
            v
        };
        if equivalences
            .iter()
            .any(|x| x.label == q.label && sorted(&x.members) == sorted(&members))
        {
            continue;
        }
        let mut q = Equivalence {
            members,
            ..q.clone()
        };
        if ids.contains(&q.id) {
            q.id = new_id(|x| ids.contains(x));
        }
        ids.insert(q.id.clone());
        equivalences.push(q);
        records += 1;
    }
    let total = anns.len();
    let status = base.status();
    let store = base
        .with_annotations(anns)
        .with_records(relations, doc_labels, status)
        .with_structures(events, equivalences);
    let plain = src.is_none_or(sidecar::is_plain);
    let content = sidecar::write_over(old, plain, &t.entry.rel, &t.text, &store)?;
    let changed = src != Some(content.as_str());
    Ok((
        content,
        Applied {
            added,
            records,
            total,
            changed,
        },
    ))
}

/// The spans `doc`'s tagged tokens make in `t`'s article: the tokens found
/// in it in order, their tags read as IOB1, IOB2 or BIOES.
fn spans_from_tags(t: &Target, doc: &mut ImportDoc, out: &mut Outcome) {
    let text = t.text.as_str();
    let toks: Vec<&str> = doc.tagged.iter().map(|x| x.token.as_str()).collect();
    let ranges = match tokens::align(text, &toks, 0) {
        Ok(r) => r,
        Err(missing) => {
            let at = &doc.tagged[missing];
            out.skipped.push(Skip::new(
                &at.origin,
                "a document whose tokens are not its article's",
                format!(
                    "{:?} is not next in {}; nothing of it imported",
                    at.token, t.entry.rel
                ),
            ));
            return;
        }
    };
    let tags: Vec<&str> = doc.tagged.iter().map(|x| x.tag.as_str()).collect();
    let (spans, bad) = tokens::spans_of(&ranges, &tags);
    for i in bad {
        out.skipped.push(Skip::new(
            &doc.tagged[i].origin,
            "a tag that is neither O nor B-, I-, E-, S- with a label",
            doc.tagged[i].tag.clone(),
        ));
    }
    for (r, label) in spans {
        let first = ranges.partition_point(|x| x.start < r.start);
        let chars = t.text.chars_of(r.clone());
        doc.spans.push(Span {
            start: chars.start,
            end: chars.end,
            label,
            quote: Some(text[r].to_string()),
            origin: doc.tagged[first].origin.clone(),
            ..Span::default()
        });
    }
}

/// Fingerprint of every article's text without white space, to find
/// articles by their tokens.
fn squeezed_index(entries: &[Entry]) -> HashMap<String, usize> {
    entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let (text, problem, _) = read_text(&e.path);
            problem
                .is_none()
                .then(|| (fingerprint(tokens::squeezed(text.as_str()).as_bytes()), i))
        })
        .collect()
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
    // A sidecar that could not be written (through a link) is found now,
    // so that only this article's records are passed over.
    crate::core::writelock::check_inside(&opts.annotations, &sidecar).map_err(|e| e.to_string())?;
    let left = |p: sidecar::SidecarProblem| format!("{p}; the sidecar is left as it is");
    let file = SidecarFile::read(&sidecar).map_err(left)?;
    let before = file.as_ref().map(|f| f.src.clone());
    let mut present = HashMap::new();
    let mut ids = HashSet::new();
    let mut existing_relations = vec![];
    let mut existing_labels = vec![];
    let mut existing_events = vec![];
    let mut existing_equivalences = vec![];
    if let Some(file) = &file {
        let loaded = file.fit(&text).map_err(left)?;
        ids.extend(loaded.store.orphans.iter().map(|o| o.id.clone()));
        ids.extend(loaded.store.relations().iter().map(|r| r.id.clone()));
        ids.extend(loaded.store.doc_labels().iter().map(|l| l.id.clone()));
        ids.extend(loaded.store.events().iter().map(|e| e.id.clone()));
        ids.extend(loaded.store.equivalences().iter().map(|e| e.id.clone()));
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
            existing_events = loaded.store.owned_events();
            existing_equivalences = loaded.store.owned_equivalences();
        }
    }
    Ok(Target {
        entry: e.clone(),
        utf16: Utf16Index::new(text.as_str()),
        crlf: LfOffsets::of(text.as_str()),
        lf_space: false,
        text,
        sidecar,
        before,
        present,
        ids,
        links: HashMap::new(),
        relations: existing_relations,
        doc_labels: existing_labels,
        events: existing_events,
        equivalences: existing_equivalences,
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

/// Why a record is refused: the kind of skip, and more about this one.
type Refusal = (&'static str, String);

/// The kind of a span of several pieces with text between them: gloss
/// holds one piece a span for now, and counts these as not kept.
const DISCONTINUOUS: &str = "a discontinuous span (brat fragments with text between them)";

/// Whether only line breaks lie between the pieces of a span (how brat
/// and gloss's brat export split a span across lines): then it is one span.
fn only_breaks_between(t: &Target, frags: &[std::ops::Range<CharPos>], unit: Unit) -> bool {
    let mut v: Vec<std::ops::Range<usize>> = vec![];
    for f in frags {
        let r = t
            .utf16
            .from_unit(unit, f.start.get())
            .zip(t.utf16.from_unit(unit, f.end.get()))
            .and_then(|(a, b)| t.text.char_range_to_bytes(a..b));
        match r {
            Some(r) => v.push(r),
            None => return false,
        }
    }
    v.sort_by_key(|r| r.start);
    v.windows(2).all(|w| {
        w[0].end < w[1].start
            && t.text.as_str()[w[0].end..w[1].start]
                .chars()
                .all(brat::is_brat_break)
    })
}

/// Where `span`'s offsets (counted in `unit`) lie in `t`, in code points
/// and bytes, checked against the quote or the text the input gives.
fn by_offsets(
    t: &Target,
    doc: &ImportDoc,
    span: &Span,
    unit: Unit,
    what: &str,
) -> Result<(std::ops::Range<CharPos>, std::ops::Range<usize>), Refusal> {
    let what = what.to_string();
    if span.end < span.start {
        return Err(("a span that ends before it starts", what));
    }
    if span.end == span.start {
        return Err((
            "an empty span",
            format!("{what}: it marks no text, and could not be selected to delete"),
        ));
    }
    let Some(chars) = convert(t, span, unit) else {
        return Err((
            "a span that splits a character in two",
            format!("{what}: an offset falls inside a UTF-16 surrogate pair"),
        ));
    };
    let Some(range) = t.text.char_range_to_bytes(chars.clone()) else {
        return Err((
            "a span outside its article",
            format!(
                "{what}: {} has {} {}",
                t.entry.rel,
                t.utf16.to_unit(unit, CharPos(t.text.char_len())),
                unit.name()
            ),
        ));
    };
    if !span.fragments.is_empty() && !only_breaks_between(t, &span.fragments, unit) {
        return Err((DISCONTINUOUS, what));
    }
    let have = t.text.slice(range.clone());
    let expected = match (&span.quote, &doc.text) {
        (Some(q), _) => Some(q.as_str()),
        (None, Some(text)) => Some(
            char_slice(
                text,
                if t.lf_space {
                    span.start..span.end
                } else {
                    chars.clone()
                },
            )
            .ok_or_else(|| ("a span outside the text the input gives", what.clone()))?,
        ),
        (None, None) => None,
    };
    if let Some(exp) = expected
        && exp != have
    {
        return Err((
            "a span whose text differs from its article's",
            format!(
                "{what}: the input says {exp:?} but {} has {have:?} there",
                t.entry.rel
            ),
        ));
    }
    Ok((chars, range))
}

/// Where `quote` lies in `t`, the occurrence nearest `near` that its
/// context fits best, or text a few edits from it (with how many).
fn by_quote(
    t: &Target,
    quote: &str,
    prefix: &str,
    suffix: &str,
    near: CharPos,
) -> Option<(
    std::ops::Range<CharPos>,
    std::ops::Range<usize>,
    Option<usize>,
)> {
    let found = reanchor(
        &t.text,
        Anchor {
            start: near,
            end: CharPos(near.get() + quote.chars().count()),
            quote,
            prefix,
            suffix,
        },
    )?;
    if found.range.is_empty() {
        return None;
    }
    let errors = match found.how {
        How::Exact => None,
        How::Approximate { errors } => Some(errors),
    };
    Some((t.text.chars_of(found.range.clone()), found.range, errors))
}

/// The annotation `span` (its offsets counted in `unit`) makes in `t`,
/// the one already there, or why it is refused: a kind of skip, and more.
fn place(t: &Target, doc: &ImportDoc, span: &Span, unit: Unit) -> Result<Placed, Refusal> {
    let what = format!("{} {}..{}", span.label, span.start, span.end);
    if span.label.trim().is_empty() {
        return Err(("a span without a label", what));
    }
    let mut review = None;
    let (chars, range) = match (&span.context, &span.quote) {
        (Some((prefix, suffix)), Some(quote)) if span.quote_only => {
            // Placed by its quote alone: the occurrence its context fits.
            match by_quote(t, quote, prefix, suffix, CharPos(0)) {
                Some((chars, range, None)) => (chars, range),
                _ => {
                    return Err((
                        "a quote not found in its article",
                        format!("{} {quote:?} is not in {}", span.label, t.entry.rel),
                    ));
                }
            }
        }
        (Some((prefix, suffix)), Some(quote)) => match by_offsets(t, doc, span, unit, &what) {
            Ok(placed) => placed,
            // The position does not hold the quote (the input counted the
            // text of an HTML page, or other white space): the quote is
            // looked for near it, as a re-anchored sidecar's is, and a
            // near match is marked for review.
            Err(refused) => {
                let near = convert(t, span, unit).map_or(span.start, |r| r.start);
                let (chars, range, errors) =
                    by_quote(t, quote, prefix, suffix, near).ok_or(refused)?;
                review = errors.map(|e| {
                    format!("placed by its quote, found approximately ({e} edit(s) from {quote:?}) on import")
                });
                (chars, range)
            }
        },
        _ => by_offsets(t, doc, span, unit, &what)?,
    };
    // A span never splits a grapheme cluster (a letter and its accent, an
    // emoji sequence): one that does is widened to whole graphemes, as a
    // sidecar's is, and the caller says so.
    let widened = t.text.floor_boundary(range.start)..t.text.ceil_boundary(range.end);
    let review = review.or_else(|| {
        (widened != range).then(|| {
            format!(
                "widened to whole graphemes from {}..{} on import",
                chars.start, chars.end
            )
        })
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
        more: More::boxed(None, span.attributes.clone(), span.norms.clone()),
    }))
}
