//! The sidecar format: one TOML file per article holding its annotations.
//! See `docs/sidecar-format.md`.
//!
//! Reading goes through the `toml` crate (with spans, so every problem names
//! its line). Writing is done here by hand so that the layout is stable
//! (sorted annotations, fixed key order, one blank line between tables) and
//! a change touches only its own lines in a diff, and so that characters a
//! terminal would act on are always written as `\u` escapes.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::anchor::{Anchor, How, Reanchorer, context, context_ranges};
pub use super::annotation::Stored;
use super::annotation::{
    Annotation, Attributes, Decision, DocLabel, Equivalence, Event, More, Norm, Relation, Score,
    Status, Store, StoredSuggestion, Suggestion,
};
use super::display::{is_control, is_invisible_format};
use super::offset::{BytePos, CharPos};
use super::text::Text;

/// The version of this format. A reader refuses files from a newer one;
/// format 1 (annotations only) is read, and written as 2 on the next save.
pub const FORMAT_VERSION: i64 = 2;

pub use super::error::LineError as SidecarError;
use super::error::line_at;

/// The most a sidecar may weigh. 32 MB holds some 100,000 annotations; a
/// larger file is not one gloss wrote, and parsing it would take seconds and
/// hundreds of MB, so it is refused before it is read.
pub const MAX_BYTES: u64 = 32 << 20;

/// Why a sidecar's text could not be had.
#[derive(Debug)]
pub enum SourceError {
    /// The file system refused (permissions, a folder in its place).
    Io(std::io::Error),
    /// Read, or refused by size, but not a sidecar's text.
    Invalid(SidecarError),
}

/// A sidecar's text, `None` when there is no sidecar. Only a regular file
/// is read (a FIFO or a device in its place is an error, never a hang),
/// and only up to `MAX_BYTES`.
pub fn read_source(path: &std::path::Path) -> Result<Option<String>, SourceError> {
    let bytes = match super::fsio::read_capped(path, MAX_BYTES) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
            let size = std::fs::metadata(path).map_or(0, |m| m.len());
            return Err(SourceError::Invalid(SidecarError {
                line: 1,
                message: format!(
                    "the sidecar is {} MB, more than the {} MB gloss reads; it was not read",
                    size >> 20,
                    MAX_BYTES >> 20
                ),
            }));
        }
        Err(e) => return Err(SourceError::Io(e)),
    };
    String::from_utf8(bytes).map(Some).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        SourceError::Invalid(SidecarError {
            line: line_at(&String::from_utf8_lossy(&e.as_bytes()[..at]), at),
            message: "the sidecar is not valid UTF-8".into(),
        })
    })
}

/// What is wrong with a sidecar file, said the same way wherever it is
/// read (the reader, check, export, import, a merge): `file:line: why`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SidecarProblem {
    pub path: std::path::PathBuf,
    /// The line, when the problem is in the text (not the file system).
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for SidecarProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// A sidecar read and parsed: the one way every part of gloss reads one.
/// Fitting it to its article (`fit`) is a second step, since some readers
/// report a bad file before they read the article.
#[derive(Debug, Clone)]
pub struct SidecarFile {
    pub path: std::path::PathBuf,
    pub src: String,
    pub parsed: Sidecar,
}

impl SidecarFile {
    /// Reads and parses the sidecar at `path`; `None` when there is none.
    pub fn read(path: &std::path::Path) -> Result<Option<SidecarFile>, SidecarProblem> {
        match read_source(path) {
            Ok(None) => Ok(None),
            Ok(Some(src)) => SidecarFile::from_src(path, src).map(Some),
            Err(SourceError::Io(e)) => Err(SidecarProblem {
                path: path.to_path_buf(),
                line: None,
                // A FIFO or a device names itself; other errors get a verb.
                message: if e.kind() == std::io::ErrorKind::InvalidInput {
                    let m = e.to_string();
                    let named = format!("{} ", path.display());
                    m.strip_prefix(&named).map_or(m.clone(), str::to_string)
                } else {
                    format!("cannot read: {e}")
                },
            }),
            Err(SourceError::Invalid(e)) => Err(SidecarProblem {
                path: path.to_path_buf(),
                line: Some(e.line),
                message: e.message,
            }),
        }
    }

    /// Parses `src`, the text of the sidecar at `path`.
    pub fn from_src(path: &std::path::Path, src: String) -> Result<SidecarFile, SidecarProblem> {
        match parse(&src) {
            Ok(parsed) => Ok(SidecarFile {
                path: path.to_path_buf(),
                src,
                parsed,
            }),
            Err(e) => Err(SidecarProblem {
                path: path.to_path_buf(),
                line: Some(e.line),
                message: e.message,
            }),
        }
    }

    /// Fits it to its article's `text` (re-anchoring if the article
    /// changed): what reading needs (check, export, import).
    pub fn fit(&self, text: &Text) -> Result<Loaded, SidecarProblem> {
        load(&self.parsed, text, &self.src).map_err(|e| SidecarProblem {
            path: self.path.clone(),
            line: Some(e.line),
            message: e.message,
        })
    }

    /// `fit`, with the store keeping what the file holds that gloss does
    /// not know: what editing needs (the reader, a merge), so that a
    /// record deleted and brought back gets it back. Costs a second look
    /// at the file, so readers that only read do without.
    /// Also says whether the file is plain (see `is_plain`), which the
    /// writer would otherwise find out again on the first save.
    pub fn fit_keeping(&self, text: &Text) -> Result<(Loaded, bool), SidecarProblem> {
        let mut loaded = self.fit(text)?;
        let plain = self.is_plain();
        if !plain {
            loaded
                .store
                .keep_tables(super::preserve::record_tables(&self.src));
        }
        Ok((loaded, plain))
    }

    /// Whether the file holds only what gloss writes (`is_plain`, from the
    /// parse already made).
    pub fn is_plain(&self) -> bool {
        write(&self.parsed) == self.src
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sidecar {
    /// Path of the article relative to the corpus, with `/` separators.
    pub article: String,
    /// `sha256:` and the hex digest of the article's bytes.
    pub fingerprint: String,
    /// How the article's bytes became its text, as Python's `open()`
    /// names it (`windows-1252`, `utf-16`, `utf-8-sig`); `None` for UTF-8.
    pub encoding: Option<String>,
    pub annotations: Vec<Stored>,
    pub orphans: Vec<Stored>,
    pub relations: Vec<Relation>,
    pub doc_labels: Vec<DocLabel>,
    pub events: Vec<Event>,
    pub equivalences: Vec<Equivalence>,
    pub suggestions: Vec<StoredSuggestion>,
    pub status: Status,
}

pub fn fingerprint(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(71);
    s.push_str("sha256:");
    for b in d {
        let _ = write!(s, "{b:02x}");
    }
    s
}

// ---- reading ----

#[derive(Deserialize)]
struct RawSidecar {
    format: Spanned<i64>,
    article: String,
    fingerprint: String,
    encoding: Option<String>,
    #[serde(default)]
    annotation: Vec<Spanned<RawAnnotation>>,
    #[serde(default)]
    orphan: Vec<Spanned<RawAnnotation>>,
    status: Option<Spanned<String>>,
    #[serde(default)]
    relation: Vec<Spanned<RawRelation>>,
    #[serde(default)]
    document_label: Vec<Spanned<RawDocLabel>>,
    #[serde(default)]
    event: Vec<Spanned<RawEvent>>,
    #[serde(default)]
    equivalence: Vec<Spanned<RawEquivalence>>,
    #[serde(default)]
    suggestion: Vec<Spanned<RawSuggestion>>,
}

#[derive(Deserialize)]
struct RawSuggestion {
    id: String,
    start: i64,
    end: i64,
    label: String,
    quote: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    suffix: String,
    #[serde(default)]
    source: String,
    score: Option<f64>,
    decision: Option<String>,
    annotation: Option<String>,
    created: Option<toml::value::Datetime>,
}

#[derive(Deserialize)]
struct RawNorm {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(rename = "ref")]
    reference: String,
    #[serde(default)]
    text: String,
}

/// An attribute's value in a sidecar: `true` for a binary one, or text.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawAttr {
    Flag(bool),
    Value(String),
}

#[derive(Deserialize)]
struct RawArg {
    role: String,
    to: String,
}

#[derive(Deserialize)]
struct RawEvent {
    id: String,
    label: String,
    trigger: String,
    #[serde(default)]
    args: Vec<RawArg>,
    #[serde(default)]
    attributes: Option<std::collections::BTreeMap<String, RawAttr>>,
    #[serde(default)]
    norms: Vec<RawNorm>,
    note: Option<String>,
    annotator: Option<String>,
    created: Option<toml::value::Datetime>,
}

#[derive(Deserialize)]
struct RawEquivalence {
    id: String,
    label: String,
    members: Vec<String>,
    annotator: Option<String>,
    created: Option<toml::value::Datetime>,
}

/// Attributes as a sidecar holds them (a table), by name; `false` is an
/// attribute that is not there.
fn attributes_of(raw: Option<std::collections::BTreeMap<String, RawAttr>>) -> Attributes {
    raw.into_iter()
        .flatten()
        .filter_map(|(k, v)| match v {
            RawAttr::Flag(true) => Some((k, None)),
            RawAttr::Flag(false) => None,
            RawAttr::Value(v) => Some((k, Some(v))),
        })
        .collect()
}

fn norms_of(raw: Vec<RawNorm>) -> Vec<Norm> {
    raw.into_iter()
        .map(|n| Norm {
            kind: n.kind,
            reference: n.reference,
            text: n.text,
        })
        .collect()
}

#[derive(Deserialize)]
struct RawRelation {
    id: String,
    label: String,
    from: String,
    to: String,
    note: Option<String>,
    annotator: Option<String>,
    created: Option<toml::value::Datetime>,
}

#[derive(Deserialize)]
struct RawDocLabel {
    id: String,
    group: String,
    label: String,
    note: Option<String>,
    annotator: Option<String>,
    created: Option<toml::value::Datetime>,
}

#[derive(Deserialize)]
struct RawAnnotation {
    id: String,
    start: i64,
    end: i64,
    label: String,
    quote: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    suffix: String,
    part_of: Option<String>,
    #[serde(default)]
    attributes: Option<std::collections::BTreeMap<String, RawAttr>>,
    #[serde(default)]
    norms: Vec<RawNorm>,
    note: Option<String>,
    review: Option<String>,
    annotator: Option<String>,
    created: Option<toml::value::Datetime>,
}

/// Parses a sidecar's text. Checks its shape, not its fit to the article.
pub fn parse(src: &str) -> Result<Sidecar, SidecarError> {
    let raw: RawSidecar = toml::from_str(src).map_err(|e| SidecarError::from_toml(src, &e))?;
    let err = |span: std::ops::Range<usize>, message: String| SidecarError {
        line: line_at(src, span.start),
        message,
    };
    if !(1..=FORMAT_VERSION).contains(raw.format.get_ref()) {
        return Err(err(
            raw.format.span(),
            format!(
                "format {} is not one this gloss reads (it reads {FORMAT_VERSION}); upgrade gloss",
                raw.format.get_ref()
            ),
        ));
    }
    let mut seen = HashSet::new();
    let mut convert = |list: Vec<Spanned<RawAnnotation>>| -> Result<Vec<Stored>, SidecarError> {
        let mut out = Vec::with_capacity(list.len());
        for item in list {
            let span = item.span();
            let a = item.into_inner();
            if a.start < 0 || a.end < 0 {
                return Err(err(
                    span,
                    format!("annotation {:?}: offsets cannot be negative", a.id),
                ));
            }
            if a.end < a.start {
                return Err(err(
                    span,
                    format!(
                        "annotation {:?}: end {} is before start {}",
                        a.id, a.end, a.start
                    ),
                ));
            }
            if a.id.is_empty() {
                return Err(err(span, "an annotation has an empty id".into()));
            }
            if !seen.insert(a.id.clone()) {
                return Err(err(span, format!("id {:?} is used twice", a.id)));
            }
            out.push(Stored {
                id: a.id,
                start: CharPos(a.start as usize),
                end: CharPos(a.end as usize),
                label: a.label,
                quote: a.quote,
                prefix: a.prefix,
                suffix: a.suffix,
                part_of: a.part_of.filter(|p| !p.is_empty()),
                attributes: attributes_of(a.attributes),
                norms: norms_of(a.norms),
                note: a.note,
                review: a.review,
                annotator: a.annotator,
                created: a.created.as_ref().map(datetime_string).unwrap_or_default(),
            });
        }
        Ok(out)
    };
    let annotations = convert(raw.annotation)?;
    let orphans = convert(raw.orphan)?;
    let mut unique = |span: std::ops::Range<usize>, what: &str, id: &str| {
        if id.is_empty() {
            return Err(err(span, format!("a {what} has an empty id")));
        }
        if !seen.insert(id.to_string()) {
            return Err(err(span, format!("id {id:?} is used twice")));
        }
        Ok(())
    };
    let mut relations = Vec::with_capacity(raw.relation.len());
    for item in raw.relation {
        let span = item.span();
        let r = item.into_inner();
        unique(span.clone(), "relation", &r.id)?;
        if r.from.is_empty() || r.to.is_empty() {
            return Err(err(
                span,
                format!("relation {:?}: from and to name annotation ids", r.id),
            ));
        }
        relations.push(Relation {
            id: r.id,
            label: r.label,
            from: r.from,
            to: r.to,
            note: r.note,
            annotator: r.annotator,
            created: r.created.as_ref().map(datetime_string).unwrap_or_default(),
        });
    }
    let mut doc_labels = Vec::with_capacity(raw.document_label.len());
    for item in raw.document_label {
        let span = item.span();
        let l = item.into_inner();
        unique(span, "document label", &l.id)?;
        doc_labels.push(DocLabel {
            id: l.id,
            group: l.group,
            label: l.label,
            note: l.note,
            annotator: l.annotator,
            created: l.created.as_ref().map(datetime_string).unwrap_or_default(),
        });
    }
    let mut events = Vec::with_capacity(raw.event.len());
    for item in raw.event {
        let span = item.span();
        let e = item.into_inner();
        unique(span.clone(), "event", &e.id)?;
        if e.trigger.is_empty() {
            return Err(err(
                span,
                format!("event {:?}: trigger names an annotation id", e.id),
            ));
        }
        events.push(Event {
            id: e.id,
            label: e.label,
            trigger: e.trigger,
            args: e.args.into_iter().map(|a| (a.role, a.to)).collect(),
            attributes: attributes_of(e.attributes),
            norms: norms_of(e.norms),
            note: e.note,
            annotator: e.annotator,
            created: e.created.as_ref().map(datetime_string).unwrap_or_default(),
        });
    }
    let mut equivalences = Vec::with_capacity(raw.equivalence.len());
    for item in raw.equivalence {
        let span = item.span();
        let e = item.into_inner();
        unique(span, "equivalence", &e.id)?;
        equivalences.push(Equivalence {
            id: e.id,
            label: e.label,
            members: e.members,
            annotator: e.annotator,
            created: e.created.as_ref().map(datetime_string).unwrap_or_default(),
        });
    }
    let mut suggestions = Vec::with_capacity(raw.suggestion.len());
    for item in raw.suggestion {
        let span = item.span();
        let x = item.into_inner();
        unique(span.clone(), "suggestion", &x.id)?;
        if x.start < 0 || x.end <= x.start {
            return Err(err(
                span,
                format!(
                    "suggestion {:?}: {}..{} is not a passage (offsets are code points, end after start)",
                    x.id, x.start, x.end
                ),
            ));
        }
        let decision = match (x.decision.as_deref(), x.annotation) {
            (None | Some("open"), _) => Decision::Open,
            (Some("accepted"), annotation) => Decision::Accepted {
                annotation: annotation.unwrap_or_default(),
            },
            (Some("rejected"), _) => Decision::Rejected,
            (Some(other), _) => {
                return Err(err(
                    span,
                    format!(
                        "suggestion {:?}: decision {other:?} is not one of accepted, rejected",
                        x.id
                    ),
                ));
            }
        };
        suggestions.push(StoredSuggestion {
            id: x.id,
            start: CharPos(x.start as usize),
            end: CharPos(x.end as usize),
            label: x.label,
            quote: x.quote,
            prefix: x.prefix,
            suffix: x.suffix,
            source: x.source,
            score: x.score.filter(|f| f.is_finite()).map(Score),
            decision,
            created: x.created.as_ref().map(datetime_string).unwrap_or_default(),
        });
    }
    let status = match &raw.status {
        None => Status::New,
        Some(st) => Status::parse(st.get_ref()).ok_or_else(|| {
            err(
                st.span(),
                format!(
                    "status {:?} is not one of new, in-progress, done, skipped",
                    st.get_ref()
                ),
            )
        })?,
    };
    Ok(Sidecar {
        article: raw.article,
        fingerprint: raw.fingerprint,
        encoding: raw.encoding,
        annotations,
        orphans,
        relations,
        doc_labels,
        events,
        equivalences,
        suggestions,
        status,
    })
}

/// RFC 3339 text of a TOML datetime. The common case (UTC, whole seconds)
/// is written directly: `Display` costs much of a large export.
fn datetime_string(d: &toml::value::Datetime) -> String {
    use toml::value::Offset;
    match (d.date, d.time, d.offset) {
        (Some(date), Some(t), Some(Offset::Z)) if t.nanosecond == 0 => {
            let mut s = String::with_capacity(20);
            let push2 = |s: &mut String, n: u8| {
                s.push((b'0' + n / 10) as char);
                s.push((b'0' + n % 10) as char);
            };
            push2(&mut s, (date.year / 100) as u8);
            push2(&mut s, (date.year % 100) as u8);
            for (sep, n) in [
                ('-', date.month),
                ('-', date.day),
                ('T', t.hour),
                (':', t.minute),
                (':', t.second),
            ] {
                s.push(sep);
                push2(&mut s, n);
            }
            s.push('Z');
            s
        }
        _ => d.to_string(),
    }
}

/// What loading a sidecar against its article found.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub store: Store,
    /// Annotations that moved because the article changed.
    pub moved: usize,
    /// Each annotation not found where its sidecar said, and why.
    pub moves: Vec<Moved>,
    /// Annotations that would have landed on a span that another with the
    /// same label already took (kept as orphans instead).
    pub collided: usize,
    /// Annotations that could not be found again this time.
    pub newly_orphaned: usize,
    /// Whether the article differs from the one the sidecar was made on.
    pub text_changed: bool,
}

/// An annotation that is not where its sidecar says, in code points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub id: String,
    pub from: std::ops::Range<CharPos>,
    pub to: std::ops::Range<CharPos>,
    pub how: MoveKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveKind {
    /// Its quote, found elsewhere: the article changed.
    Moved,
    /// Text within `errors` edits of its quote: someone should review it.
    Approximate { errors: usize },
    /// Its ends split a grapheme cluster (a letter and its accent, an
    /// emoji sequence): widened to whole graphemes.
    Widened,
}

impl std::fmt::Display for Moved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (a, b) = (&self.from, &self.to);
        match self.how {
            MoveKind::Moved => write!(
                f,
                "annotation {:?} moved from {}..{} to {}..{}",
                self.id, a.start, a.end, b.start, b.end
            ),
            MoveKind::Approximate { errors } => write!(
                f,
                "annotation {:?} found approximately ({errors} edit(s) from its quote) at {}..{}, was {}..{}: review it",
                self.id, b.start, b.end, a.start, a.end
            ),
            MoveKind::Widened => write!(
                f,
                "annotation {:?} at {}..{} split a grapheme cluster; widened to {}..{}",
                self.id, a.start, a.end, b.start, b.end
            ),
        }
    }
}

/// `s` cut to `n` graphemes, for a message kept in a file.
fn cut(s: &str, n: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    let mut g = s.graphemes(true);
    let mut out: String = g.by_ref().take(n).collect();
    if g.next().is_some() {
        out.push('…');
    }
    out
}

/// Fits a parsed sidecar to its article: offsets become byte offsets, and if
/// the article changed each annotation is re-anchored or made an orphan.
/// `src` is the sidecar's text, for line numbers in errors.
pub fn load(sidecar: &Sidecar, text: &Text, src: &str) -> Result<Loaded, SidecarError> {
    let changed = sidecar.fingerprint != text.fingerprint();
    let line_of_id = |id: &str| {
        src.find(&format!("id = {}", toml_string(id)))
            .map_or(1, |b| line_at(src, b))
    };
    let mut anns = Vec::with_capacity(sidecar.annotations.len());
    let mut orphans = sidecar.orphans.clone();
    let mut loaded = Loaded {
        text_changed: changed,
        ..Loaded::default()
    };
    let mut finder = Reanchorer::new(text);
    // Spans taken, with their labels: two annotations never land silently
    // on one span with one label.
    let mut taken: std::collections::HashSet<(usize, usize, &str)> = Default::default();
    for s in &sidecar.annotations {
        let found = if changed {
            finder
                .find(Anchor {
                    start: s.start,
                    end: s.end,
                    quote: &s.quote,
                    prefix: &s.prefix,
                    suffix: &s.suffix,
                })
                .map(|f| match f.how {
                    How::Exact => (f.range, MoveKind::Moved),
                    How::Approximate { errors } => (f.range, MoveKind::Approximate { errors }),
                })
        } else {
            let Some(r) = text.char_range_to_bytes(s.start..s.end) else {
                return Err(SidecarError {
                    line: line_of_id(&s.id),
                    message: format!(
                        "annotation {:?}: offsets {}..{} are outside the article ({} characters)",
                        s.id,
                        s.start,
                        s.end,
                        text.char_len()
                    ),
                });
            };
            if text.slice(r.clone()) != s.quote {
                return Err(SidecarError {
                    line: line_of_id(&s.id),
                    message: format!(
                        "annotation {:?}: quote {:?} does not match the article's text {:?} at {}..{}",
                        s.id,
                        s.quote,
                        text.slice(r.clone()),
                        s.start,
                        s.end
                    ),
                });
            }
            // Spans never split a grapheme cluster: one written by another
            // tool that does is widened to whole graphemes, and said.
            Some((
                text.floor_boundary(r.start)..text.ceil_boundary(r.end),
                MoveKind::Widened,
            ))
        };
        // A second annotation landing where one with its label already is:
        // in a changed article that is re-anchoring gone wrong (an orphan,
        // counted); in an unchanged one, the file's own choice (kept).
        let collides = found
            .as_ref()
            .is_some_and(|(r, _)| !taken.insert((r.start, r.end, s.label.as_str())));
        match found {
            Some(_) if collides && changed => {
                loaded.collided += 1;
                loaded.newly_orphaned += 1;
                orphans.push(s.clone());
            }
            Some((r, how)) => {
                let to = text.chars_of(r.clone());
                let moved = to != (s.start..s.end);
                if moved || matches!(how, MoveKind::Approximate { .. }) {
                    loaded.moved += 1;
                    loaded.moves.push(Moved {
                        id: s.id.clone(),
                        from: s.start..s.end,
                        to,
                        how,
                    });
                }
                // What gloss guessed stays marked in the sidecar until
                // someone confirms it, however many saves come between.
                let review = match how {
                    MoveKind::Approximate { errors } => Some(format!(
                        "found approximately, {errors} edit(s) from its quote “{}”",
                        cut(&s.quote, 60)
                    )),
                    MoveKind::Widened if moved => Some(format!(
                        "widened to whole graphemes from {}..{}",
                        s.start, s.end
                    )),
                    _ => None,
                }
                .or_else(|| s.review.clone());
                anns.push(Annotation {
                    id: s.id.clone(),
                    start: BytePos(r.start),
                    end: BytePos(r.end),
                    label: s.label.clone(),
                    more: More::boxed(s.part_of.clone(), s.attributes.clone(), s.norms.clone()),
                    note: s.note.clone(),
                    review,
                    annotator: s.annotator.clone(),
                    created: s.created.clone(),
                });
            }
            None => {
                loaded.newly_orphaned += 1;
                orphans.push(s.clone());
            }
        }
    }
    let (placed, lost) = place_suggestions(&sidecar.suggestions, text, changed, &mut finder);
    loaded.store = Store::new(anns, orphans)
        .with_records(
            sidecar.relations.clone(),
            sidecar.doc_labels.clone(),
            sidecar.status,
        )
        .with_structures(sidecar.events.clone(), sidecar.equivalences.clone())
        .with_suggestions(placed, lost);
    Ok(loaded)
}

/// Suggestions placed in the article: where they were when it is
/// unchanged and their quote is there, else where their quote stands now
/// (exactly: a suggestion is not worth a guess). Those that cannot be
/// placed are kept as they are, to be written back.
fn place_suggestions(
    stored: &[StoredSuggestion],
    text: &Text,
    changed: bool,
    finder: &mut Reanchorer,
) -> (Vec<Suggestion>, Vec<StoredSuggestion>) {
    let (mut placed, mut lost) = (vec![], vec![]);
    for s in stored {
        let here = text
            .char_range_to_bytes(s.start..s.end)
            .filter(|r| text.slice(r.clone()) == s.quote);
        let found = match here {
            Some(r) if !changed || text.is_grapheme_boundary(r.start) => Some(r),
            _ => finder
                .find(Anchor {
                    start: s.start,
                    end: s.end,
                    quote: &s.quote,
                    prefix: &s.prefix,
                    suffix: &s.suffix,
                })
                .filter(|f| f.how == How::Exact)
                .map(|f| f.range),
        };
        match found {
            Some(r) => placed.push(Suggestion {
                id: s.id.clone(),
                start: BytePos(r.start),
                end: BytePos(r.end),
                label: s.label.clone(),
                source: s.source.clone(),
                score: s.score,
                decision: s.decision.clone(),
                created: s.created.clone(),
            }),
            None => lost.push(s.clone()),
        }
    }
    (placed, lost)
}

/// A suggestion as the sidecar stores it.
fn stored_suggestion(text: &Text, x: &Suggestion) -> StoredSuggestion {
    let (prefix, suffix) = context(text, x.range());
    StoredSuggestion {
        id: x.id.clone(),
        start: text.byte_to_char(x.start),
        end: text.byte_to_char(x.end),
        label: x.label.clone(),
        quote: text.slice(x.range()).to_string(),
        prefix,
        suffix,
        source: x.source.clone(),
        score: x.score,
        decision: x.decision.clone(),
        created: x.created.clone(),
    }
}

/// What the sidecar bytes `old` at `path` hold, fitted to `text`, with
/// their text: for writers that add to a sidecar under the lock (import,
/// tagging places elsewhere). No file: nothing. Bytes that are not UTF-8
/// or not a sidecar: the problem, and the file is left as it is.
pub fn store_of<'a>(
    path: &std::path::Path,
    old: Option<&'a [u8]>,
    text: &Text,
) -> Result<(Option<&'a str>, Store), SidecarProblem> {
    let Some(b) = old else {
        return Ok((None, Store::default()));
    };
    let src = std::str::from_utf8(b).map_err(|_| SidecarProblem {
        path: path.to_path_buf(),
        line: Some(1),
        message: "not UTF-8".into(),
    })?;
    let store = SidecarFile::from_src(path, src.to_string())?
        .fit(text)?
        .store;
    Ok((Some(src), store))
}

/// The sidecar for `store` on `text`.
pub fn from_store(article: &str, text: &Text, store: &Store) -> Sidecar {
    let annotations = store
        .all()
        .iter()
        .map(|a| {
            let (prefix, suffix) = context(text, a.range());
            Stored {
                id: a.id.clone(),
                start: text.byte_to_char(a.start),
                end: text.byte_to_char(a.end),
                label: a.label.clone(),
                quote: text.slice(a.range()).to_string(),
                prefix,
                suffix,
                part_of: a.part_of().map(str::to_string),
                attributes: a.attributes().to_vec(),
                norms: a.norms().to_vec(),
                note: a.note.clone(),
                review: a.review.clone(),
                annotator: a.annotator.clone(),
                created: a.created.clone(),
            }
        })
        .collect();
    let orphans = store.orphans.clone();
    Sidecar {
        article: article.to_string(),
        fingerprint: text.fingerprint().to_string(),
        encoding: text.encoding().map(str::to_string),
        annotations,
        orphans,
        relations: store.owned_relations(),
        doc_labels: store.owned_doc_labels(),
        events: store.owned_events(),
        equivalences: store.owned_equivalences(),
        suggestions: all_suggestions(text, store),
        status: store.status(),
    }
}

/// The store's suggestions as the sidecar stores them: those placed, then
/// those that could not be.
fn all_suggestions(text: &Text, store: &Store) -> Vec<StoredSuggestion> {
    store
        .suggestions()
        .iter()
        .map(|x| stored_suggestion(text, x))
        .chain(store.lost_suggestions.iter().cloned())
        .collect()
}

// ---- writing ----

/// A TOML basic string. Quotes, backslashes, every control character and
/// every invisible formatting character (bidi overrides, zero-width) are
/// escaped, so that printing the file in a terminal is safe.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_toml_string(&mut out, s);
    out
}

fn push_toml_string(out: &mut String, s: &str) {
    out.push('"');
    // Most text needs no escape: copy it whole.
    if s.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        out.push_str(s);
        out.push('"');
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_control(c) || is_invisible_format(c) => {
                let u = c as u32;
                if u <= 0xFFFF {
                    let _ = write!(out, "\\u{u:04X}");
                } else {
                    let _ = write!(out, "\\U{u:08X}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// One table's fields, borrowed from wherever they live.
struct Row<'a> {
    id: &'a str,
    start: usize,
    end: usize,
    label: &'a str,
    quote: &'a str,
    prefix: &'a str,
    suffix: &'a str,
    part_of: Option<&'a str>,
    attributes: &'a [(String, Option<String>)],
    norms: &'a [Norm],
    review: Option<&'a str>,
    note: Option<&'a str>,
    annotator: Option<&'a str>,
    created: &'a str,
}

impl<'a> From<&'a Stored> for Row<'a> {
    fn from(a: &'a Stored) -> Self {
        Row {
            id: &a.id,
            start: a.start.get(),
            end: a.end.get(),
            label: &a.label,
            quote: &a.quote,
            prefix: &a.prefix,
            suffix: &a.suffix,
            part_of: a.part_of.as_deref(),
            attributes: &a.attributes,
            norms: &a.norms,
            review: a.review.as_deref(),
            note: a.note.as_deref(),
            annotator: a.annotator.as_deref(),
            created: &a.created,
        }
    }
}

/// Whether `s` can be written as a TOML datetime. The form gloss writes is
/// checked by its shape; anything else by the parser.
fn is_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    let shape = b.len() == 20
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'Z',
            _ => c.is_ascii_digit(),
        });
    shape || (!s.is_empty() && s.parse::<toml::value::Datetime>().is_ok())
}

fn write_row(out: &mut String, header: &str, r: &Row) {
    let field = |out: &mut String, key: &str, v: &str| {
        out.push_str(key);
        out.push_str(" = ");
        push_toml_string(out, v);
        out.push('\n');
    };
    let _ = write!(out, "\n[[{header}]]\n");
    field(out, "id", r.id);
    let _ = write!(out, "start = {}\nend = {}\n", r.start, r.end);
    field(out, "label", r.label);
    field(out, "quote", r.quote);
    field(out, "prefix", r.prefix);
    field(out, "suffix", r.suffix);
    if let Some(p) = r.part_of {
        field(out, "part_of", p);
    }
    write_structure(out, r.attributes, r.norms);
    if let Some(why) = r.review {
        field(out, "review", why);
    }
    write_tail(out, r.note, r.annotator, r.created);
}

fn write_header(
    out: &mut String,
    article: &str,
    fingerprint: &str,
    encoding: Option<&str>,
    status: Status,
) {
    out.push_str("# gloss annotations. Offsets are Unicode code points into the article, end\n");
    out.push_str("# exclusive; quote is text[start:end]. Format: docs/sidecar-format.md\n");
    let _ = writeln!(out, "format = {FORMAT_VERSION}");
    out.push_str("article = ");
    push_toml_string(out, article);
    out.push_str("\nfingerprint = ");
    push_toml_string(out, fingerprint);
    out.push('\n');
    if let Some(e) = encoding {
        out.push_str("encoding = ");
        push_toml_string(out, e);
        out.push('\n');
    }
    if status != Status::New {
        let _ = writeln!(out, "status = \"{}\"", status.name());
    }
}

/// The optional fields every record ends with.
fn write_tail(out: &mut String, note: Option<&str>, annotator: Option<&str>, created: &str) {
    for (key, v) in [("note", note), ("annotator", annotator)] {
        if let Some(v) = v {
            out.push_str(key);
            out.push_str(" = ");
            push_toml_string(out, v);
            out.push('\n');
        }
    }
    if is_datetime(created) {
        out.push_str("created = ");
        out.push_str(created);
        out.push('\n');
    }
}

/// A TOML key: bare when it can be, else quoted.
fn push_key(out: &mut String, k: &str) {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        out.push_str(k);
    } else {
        push_toml_string(out, k);
    }
}

/// `attributes` and `norms` of a record, when it has any, as inline
/// values: one line each, so that a record stays one table.
fn write_structure(out: &mut String, attributes: &[(String, Option<String>)], norms: &[Norm]) {
    if !attributes.is_empty() {
        // By name, as they are read back.
        let mut sorted: Vec<&(String, Option<String>)> = attributes.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        sorted.dedup_by(|a, b| a.0 == b.0);
        out.push_str("attributes = { ");
        for (i, (k, v)) in sorted.into_iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            push_key(out, k);
            out.push_str(" = ");
            match v {
                None => out.push_str("true"),
                Some(v) => push_toml_string(out, v),
            }
        }
        out.push_str(" }\n");
    }
    if !norms.is_empty() {
        out.push_str("norms = [");
        for (i, n) in norms.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str("{ type = ");
            push_toml_string(out, &n.kind);
            out.push_str(", ref = ");
            push_toml_string(out, &n.reference);
            out.push_str(", text = ");
            push_toml_string(out, &n.text);
            out.push_str(" }");
        }
        out.push_str("]\n");
    }
}

/// Suggestions, last: what a source proposed, and what became of it.
fn write_suggestions(out: &mut String, all: &[StoredSuggestion]) {
    let field = |out: &mut String, key: &str, v: &str| {
        out.push_str(key);
        out.push_str(" = ");
        push_toml_string(out, v);
        out.push('\n');
    };
    for x in all {
        out.push_str("\n[[suggestion]]\n");
        field(out, "id", &x.id);
        let _ = writeln!(out, "start = {}\nend = {}", x.start.get(), x.end.get());
        field(out, "label", &x.label);
        field(out, "quote", &x.quote);
        field(out, "prefix", &x.prefix);
        field(out, "suffix", &x.suffix);
        field(out, "source", &x.source);
        if let Some(Score(f)) = x.score {
            // TOML needs a decimal point, which `{:?}` writes; four places
            // are more than any source means.
            let _ = writeln!(out, "score = {:?}", (f * 10_000.0).round() / 10_000.0);
        }
        if let Some(d) = x.decision.name() {
            field(out, "decision", d);
        }
        if let Decision::Accepted { annotation } = &x.decision {
            field(out, "annotation", annotation);
        }
        write_tail(out, None, None, &x.created);
    }
}

/// Events and equivalences, after relations and document labels.
fn write_structures(out: &mut String, events: &[&Event], equivalences: &[&Equivalence]) {
    let field = |out: &mut String, key: &str, v: &str| {
        out.push_str(key);
        out.push_str(" = ");
        push_toml_string(out, v);
        out.push('\n');
    };
    for e in events {
        out.push_str("\n[[event]]\n");
        field(out, "id", &e.id);
        field(out, "label", &e.label);
        field(out, "trigger", &e.trigger);
        out.push_str("args = [");
        for (i, (role, to)) in e.args.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str("{ role = ");
            push_toml_string(out, role);
            out.push_str(", to = ");
            push_toml_string(out, to);
            out.push_str(" }");
        }
        out.push_str("]\n");
        write_structure(out, &e.attributes, &e.norms);
        write_tail(out, e.note.as_deref(), e.annotator.as_deref(), &e.created);
    }
    for e in equivalences {
        out.push_str("\n[[equivalence]]\n");
        field(out, "id", &e.id);
        field(out, "label", &e.label);
        out.push_str("members = [");
        for (i, m) in e.members.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            push_toml_string(out, m);
        }
        out.push_str("]\n");
        write_tail(out, None, e.annotator.as_deref(), &e.created);
    }
}

/// Relations and document labels, after the annotations and orphans.
fn write_records(out: &mut String, relations: &[&Relation], doc_labels: &[&DocLabel]) {
    let field = |out: &mut String, key: &str, v: &str| {
        out.push_str(key);
        out.push_str(" = ");
        push_toml_string(out, v);
        out.push('\n');
    };
    for r in relations {
        out.push_str("\n[[relation]]\n");
        field(out, "id", &r.id);
        field(out, "label", &r.label);
        field(out, "from", &r.from);
        field(out, "to", &r.to);
        write_tail(out, r.note.as_deref(), r.annotator.as_deref(), &r.created);
    }
    for l in doc_labels {
        out.push_str("\n[[document_label]]\n");
        field(out, "id", &l.id);
        field(out, "group", &l.group);
        field(out, "label", &l.label);
        write_tail(out, l.note.as_deref(), l.annotator.as_deref(), &l.created);
    }
}

/// The sidecar's text.
pub fn write(s: &Sidecar) -> String {
    let mut out = String::with_capacity(256 + s.annotations.len() * 256);
    write_header(
        &mut out,
        &s.article,
        &s.fingerprint,
        s.encoding.as_deref(),
        s.status,
    );
    for a in &s.annotations {
        write_row(&mut out, "annotation", &a.into());
    }
    for a in &s.orphans {
        write_row(&mut out, "orphan", &a.into());
    }
    let relations: Vec<&Relation> = s.relations.iter().collect();
    let doc_labels: Vec<&DocLabel> = s.doc_labels.iter().collect();
    write_records(&mut out, &relations, &doc_labels);
    let events: Vec<&Event> = s.events.iter().collect();
    let equivalences: Vec<&Equivalence> = s.equivalences.iter().collect();
    write_structures(&mut out, &events, &equivalences);
    write_suggestions(&mut out, &s.suggestions);
    out
}

/// The sidecar's text for `store` on `text`: the same bytes as
/// `write(&from_store(..))`, written straight from the annotations, a large
/// store on both cores. This is what every save runs.
pub fn write_store(article: &str, text: &Text, store: &Store) -> String {
    use rayon::prelude::*;
    let chunk = |anns: &[std::sync::Arc<Annotation>]| {
        let mut out = String::with_capacity(anns.len() * 256);
        for a in anns {
            let (p, s) = context_ranges(text, a.range());
            let row = Row {
                id: &a.id,
                start: text.byte_to_char(a.start).get(),
                end: text.byte_to_char(a.end).get(),
                label: &a.label,
                quote: text.slice(a.range()),
                prefix: text.slice(p),
                suffix: text.slice(s),
                part_of: a.part_of(),
                attributes: a.attributes(),
                norms: a.norms(),
                review: a.review.as_deref(),
                note: a.note.as_deref(),
                annotator: a.annotator.as_deref(),
                created: &a.created,
            };
            write_row(&mut out, "annotation", &row);
        }
        out
    };
    let mut out = String::with_capacity(256 + store.len() * 256);
    write_header(
        &mut out,
        article,
        text.fingerprint(),
        text.encoding(),
        store.status(),
    );
    if store.len() > 2048 {
        let parts: Vec<String> = store.all().par_chunks(1024).map(chunk).collect();
        parts.iter().for_each(|p| out.push_str(p));
    } else {
        out.push_str(&chunk(store.all()));
    }
    for a in &store.orphans {
        write_row(&mut out, "orphan", &a.into());
    }
    let relations: Vec<&Relation> = store.relations().iter().map(|r| &**r).collect();
    let doc_labels: Vec<&DocLabel> = store.doc_labels().iter().map(|l| &**l).collect();
    write_records(&mut out, &relations, &doc_labels);
    let events: Vec<&Event> = store.events().iter().map(|e| &**e).collect();
    let equivalences: Vec<&Equivalence> = store.equivalences().iter().map(|e| &**e).collect();
    write_structures(&mut out, &events, &equivalences);
    write_suggestions(&mut out, &all_suggestions(text, store));
    out
}

/// Whether `src` is exactly what gloss writes for what it holds: nothing
/// in it (a comment, a key, a table, a layout) would be lost by writing
/// it anew with `write`.
pub fn is_plain(src: &str) -> bool {
    parse(src).is_ok_and(|s| write(&s) == src)
}

/// The text to write for `store` over `old`, the sidecar on disk (if any).
/// When `old` holds only what gloss writes (`old_is_plain`), gloss's own
/// layout; otherwise `old` edited in place, so that fields, tables and
/// comments gloss does not know are kept. Refuses rather than drop them.
pub fn write_over(
    old: Option<&[u8]>,
    old_is_plain: bool,
    article: &str,
    text: &Text,
    store: &Store,
) -> Result<String, String> {
    let new = write_store(article, text, store);
    match old {
        Some(old) if !old_is_plain || !store.kept().is_empty() => {
            let old = std::str::from_utf8(old)
                .map_err(|_| "the sidecar on disk is not UTF-8; not overwritten".to_string())?;
            super::preserve::rewrite_sidecar(old, &new, store.kept()).map_err(|e| {
                format!(
                    "the sidecar on disk cannot be edited in place ({}); not overwritten",
                    e.message()
                )
            })
        }
        _ => Ok(new),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::offset::BytePos;

    const TEXT: &str = "Mark Esper met Mike Pompeo in New Delhi.\r\nIndia 🇮🇳 signed.";

    fn sample() -> (Text, Store) {
        let t = Text::new(TEXT.into());
        let mut st = Store::default();
        for (id, a, b, l) in [
            ("a1", 0, 10, "PERSON"),
            ("a2", 30, 39, "GPE"),
            ("a3", 42, 47, "GPE"),
        ] {
            st.add(Annotation {
                review: None,
                id: id.into(),
                start: BytePos(a),
                end: BytePos(b),
                label: l.into(),
                note: (id == "a2").then(|| "capital \"city\"\n\u{202e}".to_string()),
                annotator: None,
                created: "2026-11-23T07:40:00Z".into(),
                ..Default::default()
            });
        }
        (t, st)
    }

    /// Suggestions round-trip with their source, score and decision;
    /// accepting is one undo step with the annotation it makes; one whose
    /// quote is gone from a changed article is kept as it was, unseen.
    #[test]
    fn suggestions_round_trip_and_outlive_a_changed_article() {
        let (t, mut st) = sample();
        let s = |id: &str, a: usize, b: usize, label: &str| Suggestion {
            id: id.into(),
            start: BytePos(a),
            end: BytePos(b),
            label: label.into(),
            source: "gazetteer".into(),
            score: Some(Score(0.875)),
            decision: Decision::Open,
            created: "2026-11-23T07:40:00Z".into(),
        };
        st.suggest(vec![s("s1", 15, 26, "PERSON"), s("s2", 30, 39, "ORG")]);
        let a = Annotation {
            id: "a9".into(),
            start: BytePos(15),
            end: BytePos(26),
            label: "PERSON".into(),
            ..Default::default()
        };
        assert_eq!(st.accept(vec![("s1".into(), a)]), 1);
        assert_eq!(st.reject(&["s2".to_string()]), 1);
        let src = write_store("news/a.txt", &t, &st);
        assert_eq!(
            write(&from_store("news/a.txt", &t, &st)),
            src,
            "both writers agree"
        );
        assert!(is_plain(&src), "{src}");
        let back = load(&parse(&src).unwrap(), &t, &src).unwrap().store;
        assert_eq!(back.suggestions(), st.suggestions());
        assert_eq!(
            back.suggestion("s1").unwrap().decision,
            Decision::Accepted {
                annotation: "a9".into()
            }
        );
        assert_eq!(back.suggestion("s2").unwrap().score, Some(Score(0.875)));
        // Undoing the acceptance takes the annotation away and reopens it.
        let mut edit = st.clone();
        edit.undo().unwrap(); // the rejection
        edit.undo().unwrap(); // the acceptance
        assert!(edit.get("a9").is_none());
        assert!(edit.suggestion("s1").unwrap().decision.is_open());
        // The article changes: s1's quote moves, s2's is gone.
        let quote1 = t.slice(15..26).to_string();
        let quote2 = t.slice(30..39).to_string();
        let changed = Text::new(format!("Now. {}", TEXT.replace(&quote2, "")));
        assert!(changed.as_str().contains(&quote1) && !changed.as_str().contains(&quote2));
        let moved = load(&parse(&src).unwrap(), &changed, &src).unwrap().store;
        let s1 = moved.suggestion("s1").unwrap();
        assert_eq!(changed.slice(s1.range()), quote1);
        assert!(moved.suggestion("s2").is_none());
        assert_eq!(moved.lost_suggestions.len(), 1);
        let again = write_store("news/a.txt", &changed, &moved);
        assert_eq!(
            parse(&again).unwrap().suggestions.len(),
            2,
            "the lost one is kept"
        );
    }

    #[test]
    fn write_then_parse_round_trips() {
        let (t, st) = sample();
        let sc = from_store("news/a.txt", &t, &st);
        let src = write(&sc);
        assert!(!src.contains('\u{202e}'), "bidi override written raw");
        assert_eq!(
            write_store("news/a.txt", &t, &st),
            src,
            "both writers agree"
        );
        let back = parse(&src).unwrap();
        assert_eq!(back, sc);
        let loaded = load(&back, &t, &src).unwrap();
        assert_eq!(loaded.store.all(), st.all());
        assert_eq!(loaded.store.all()[0].created, "2026-11-23T07:40:00Z");
        let odd: toml::value::Datetime = "1999-01-02T03:04:05.5+01:00".parse().unwrap();
        assert_eq!(datetime_string(&odd), "1999-01-02T03:04:05.5+01:00");
        assert!(!loaded.text_changed);
        assert_eq!(sc.annotations[2].quote, "India");
    }

    #[test]
    fn events_equivalences_pieces_attributes_and_links_round_trip() {
        let (t, st) = sample();
        let mut anns = st.into_annotations();
        anns[0].more = More::boxed(
            None,
            vec![
                ("Negation".into(), None),
                ("Confidence level".into(), Some("High \"q\"".into())),
            ],
            vec![Norm {
                kind: "Reference".into(),
                reference: "Wikipedia:534366".into(),
                text: "Barack \u{202e}Obama".into(),
            }],
        );
        anns[2].set_part_of(Some("a2".into()));
        let st = Store::new(anns, vec![]).with_structures(
            vec![Event {
                id: "e1".into(),
                label: "Meet".into(),
                trigger: "a2".into(),
                args: vec![("Agent".into(), "a1".into()), ("Agent".into(), "a3".into())],
                attributes: vec![("Speculation".into(), None)],
                note: Some("two lines\nof note".into()),
                created: "2026-11-23T07:40:00Z".into(),
                ..Default::default()
            }],
            vec![Equivalence {
                id: "q1".into(),
                label: "Equiv".into(),
                members: vec!["a2".into(), "a3".into()],
                ..Default::default()
            }],
        );
        let src = write_store("news/a.txt", &t, &st);
        assert!(
            src.contains("[[event]]") && src.contains("[[equivalence]]"),
            "{src}"
        );
        assert!(!src.contains('\u{202e}'), "bidi override written raw");
        assert_eq!(
            write(&from_store("news/a.txt", &t, &st)),
            src,
            "both writers agree"
        );
        let back = parse(&src).unwrap();
        assert!(is_plain(&src), "gloss's own layout is plain:\n{src}");
        let loaded = load(&back, &t, &src).unwrap().store;
        // Attributes come back by name.
        assert_eq!(
            loaded.all()[0].attributes(),
            [
                (
                    "Confidence level".to_string(),
                    Some("High \"q\"".to_string())
                ),
                ("Negation".to_string(), None)
            ]
        );
        assert_eq!(loaded.all()[0].norms(), st.all()[0].norms());
        assert_eq!(loaded.all()[2].part_of(), Some("a2"));
        assert_eq!(loaded.events(), st.events());
        assert_eq!(loaded.equivalences(), st.equivalences());
        // Deleting a2 takes the event and the equivalence that use it, as
        // one step; undo brings all three back.
        let mut edit = loaded.clone();
        let (_, n) = edit.remove("a2").unwrap();
        assert_eq!(n, 2);
        assert!(edit.events().is_empty() && edit.equivalences().is_empty());
        edit.undo().unwrap();
        assert_eq!(edit.events(), st.events());
        // A key gloss does not know on an event is kept through a save.
        let hand = src.replacen("[[event]]\n", "[[event]]\nmood = \"tense\"\n", 1);
        let store = SidecarFile::from_src(std::path::Path::new("x.toml"), hand.clone())
            .unwrap()
            .fit(&t)
            .unwrap()
            .store;
        let again = write_over(Some(hand.as_bytes()), false, "news/a.txt", &t, &store).unwrap();
        assert!(again.contains("mood = \"tense\""), "{again}");
        assert_eq!(parse(&again).unwrap().events, back.events);
    }

    #[test]
    fn controls_and_bidi_in_quotes_are_written_as_escapes() {
        let hostile = "a\u{1b}]0;t\u{7}b\u{9b}2Jc\u{202e}d\u{2067}e\u{200b}f\u{85}g";
        assert_eq!(
            toml_string(hostile),
            "\"a\\u001B]0;t\\u0007b\\u009B2Jc\\u202Ed\\u2067e\\u200Bf\\u0085g\""
        );
        let text = Text::new(format!("before {hostile} after"));
        let start = "before ".len();
        let mut store = Store::default();
        store.add(Annotation {
            review: None,
            id: "x".into(),
            start: BytePos(start),
            end: BytePos(start + hostile.len()),
            label: "L".into(),
            note: Some(hostile.into()),
            annotator: None,
            created: String::new(),
            ..Default::default()
        });
        let file = write_store("a.txt", &text, &store);
        assert!(
            !file
                .chars()
                .any(|c| is_control(c) && c != '\n' || is_invisible_format(c)),
            "a raw control or bidi character in {file:?}"
        );
        let back = parse(&file).unwrap();
        assert_eq!(back.annotations[0].quote, hostile);
        assert_eq!(back.annotations[0].note.as_deref(), Some(hostile));
    }

    #[test]
    fn errors_name_the_line() {
        let (t, st) = sample();
        let src = write(&from_store("a.txt", &t, &st));
        let bad = src.replacen("end = 39", "end = \"x\"", 1);
        let e = parse(&bad).unwrap_err();
        let expected = bad.lines().position(|l| l == "end = \"x\"").unwrap() + 1;
        assert_eq!(e.line, expected, "{e}");

        let dup = src.replacen("id = \"a2\"", "id = \"a1\"", 1);
        let e = parse(&dup).unwrap_err();
        assert!(e.message.contains("used twice"), "{e}");

        let backwards = src.replacen("end = 39", "end = 2", 1);
        assert!(
            parse(&backwards)
                .unwrap_err()
                .message
                .contains("before start")
        );

        let newer = src.replacen("format = 2", "format = 7", 1);
        assert_eq!(parse(&newer).unwrap_err().line, 3);

        let outside = src.replacen("end = 39", "end = 3900", 1);
        let e = load(&parse(&outside).unwrap(), &t, &outside).unwrap_err();
        assert!(e.message.contains("outside"), "{e}");
        let quote = src.replacen("quote = \"India\"", "quote = \"Indie\"", 1);
        assert!(load(&parse(&quote).unwrap(), &t, &quote).is_err());
    }

    /// Issue 10: deleting a sentence outside gloss once made two PERSON
    /// annotations land on the same span.
    #[test]
    fn two_annotations_never_land_on_one_span_silently() {
        let t = Text::new("Mark Esper met the press. Later Mark Esper left.".into());
        let mut st = Store::default();
        for (id, at) in [("a", 0), ("b", 32)] {
            st.add(Annotation {
                review: None,
                id: id.into(),
                start: BytePos(at),
                end: BytePos(at + 10),
                label: "PERSON".into(),
                note: None,
                annotator: None,
                created: String::new(),
                ..Default::default()
            });
        }
        let src = write(&from_store("a.txt", &t, &st));
        let sc = parse(&src).unwrap();
        // The second sentence goes: both quotes now have one place.
        let edited = Text::new("Mark Esper met the press.".into());
        let loaded = load(&sc, &edited, &src).unwrap();
        assert_eq!(loaded.store.len(), 1, "{:?}", loaded.store.all());
        assert_eq!(loaded.collided, 1);
        assert_eq!(loaded.store.orphans.len(), 1);
        // An annotation that moved is listed by id, from and to.
        let moved = Text::new("BREAKING: Mark Esper met the press. Later Mark Esper left.".into());
        let loaded = load(&sc, &moved, &src).unwrap();
        let lines: Vec<String> = loaded.moves.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "annotation \"a\" moved from 0..10 to 10..20",
                "annotation \"b\" moved from 32..42 to 42..52"
            ]
        );
    }

    #[test]
    fn a_span_that_splits_a_grapheme_is_widened_and_said() {
        // "e" + combining acute: one grapheme of two code points.
        let t = Text::new("Cafe\u{301} noir".into());
        let src = format!(
            "format = 1\narticle = \"a.txt\"\nfingerprint = \"{}\"\n\n[[annotation]]\nid = \"x\"\nstart = 0\nend = 4\nlabel = \"L\"\nquote = \"Cafe\"\n",
            t.fingerprint()
        );
        let loaded = load(&parse(&src).unwrap(), &t, &src).unwrap();
        let a = &loaded.store.all()[0];
        assert_eq!(t.slice(a.range()), "Cafe\u{301}");
        assert_eq!(
            loaded.moves[0].to_string(),
            "annotation \"x\" at 0..4 split a grapheme cluster; widened to 0..5"
        );
    }

    #[test]
    fn changed_article_reanchors_and_orphans() {
        let (t, st) = sample();
        let src = write(&from_store("a.txt", &t, &st));
        let sc = parse(&src).unwrap();
        let edited = Text::new(format!("BREAKING: {}", TEXT.replace("Mark Esper", "Esper")));
        let loaded = load(&sc, &edited, &src).unwrap();
        assert!(loaded.text_changed);
        assert_eq!(loaded.newly_orphaned, 1);
        assert_eq!(loaded.store.orphans[0].quote, "Mark Esper");
        assert_eq!(loaded.moved, 2);
        for a in loaded.store.all() {
            let q = &sc.annotations.iter().find(|s| s.id == a.id).unwrap().quote;
            assert_eq!(edited.slice(a.range()), q);
        }
        // orphans survive a save
        let again = write(&from_store("a.txt", &edited, &loaded.store));
        assert!(again.contains("[[orphan]]"));
        assert_eq!(parse(&again).unwrap().orphans.len(), 1);
    }
}
