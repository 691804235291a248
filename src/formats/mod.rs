//! Export and import formats, one file each. Pure: writers take `Write`
//! sinks, readers take text; the commands in `crate::commands` do the I/O.
//!
//! Offsets in every format are Unicode code points, as Python counts them.

pub mod brat;
pub mod conll;
pub mod csv;
pub mod doccano;
pub mod hf;
pub mod jsonl;
pub mod labelstudio;
pub mod spacy;
mod spacy_symbols;
pub mod spacy_tokens;
pub mod tokens;
pub mod tsv;
pub mod w3c;

use std::io;

/// The most gloss reads of one import file: a larger one is refused
/// before it is read (memory for it is reserved fallibly below that).
pub const MAX_INPUT_BYTES: u64 = 2 << 30;

use crate::core::annotation::{Annotation, DocLabel, Equivalence, Event, Relation};
pub use crate::core::offset::CharPos;
use crate::core::offset::{Unit, UnitPos, Utf16Index};
use crate::core::text::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per article: text and spaCy/Prodigy span objects
    Jsonl,
    /// doccano's sequence-labelling JSONL
    Doccano,
    /// RFC 4180 CSV, one row per annotation (export only)
    Csv,
    /// brat standoff: a folder of NAME.txt and NAME.ann, with annotation.conf
    Brat,
    /// CoNLL BIO: one token and tag per line
    Conll,
    /// CoNLL-2003: TOKEN POS CHUNK TAG, -DOCSTART- lines
    Conll2003,
    /// Hugging Face token classification: JSON Lines of tokens and ner_tags
    Hf,
    /// Label Studio JSON: tasks with annotations (results)
    Labelstudio,
    /// WebAnno TSV 3.3 (INCEpTION): a folder of NAME.tsv
    Tsv,
    /// spaCy's .spacy training data (DocBin), for `spacy train`
    Spacy,
    /// W3C Web Annotation JSON-LD (`webanno`, its old name, is taken too)
    #[value(alias = "webanno")]
    W3c,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Doccano => "doccano",
            Format::Csv => "csv",
            Format::Brat => "brat",
            Format::Conll => "conll",
            Format::Conll2003 => "conll2003",
            Format::Hf => "hf",
            Format::Labelstudio => "labelstudio",
            Format::Tsv => "tsv",
            Format::Spacy => "spacy",
            Format::W3c => "w3c",
        }
    }

    pub fn can_import(self) -> bool {
        !matches!(self, Format::Csv)
    }

    /// Whether the format has a place for relations between annotations.
    pub fn carries_relations(self) -> bool {
        matches!(
            self,
            Format::Jsonl
                | Format::Doccano
                | Format::Brat
                | Format::W3c
                | Format::Labelstudio
                | Format::Tsv
        )
    }

    /// Whether it has a place for labels of the whole document.
    pub fn carries_doc_labels(self) -> bool {
        matches!(
            self,
            Format::Jsonl
                | Format::Doccano
                | Format::W3c
                | Format::Csv
                | Format::Labelstudio
                | Format::Spacy
        )
    }

    /// Whether it holds events, equivalences, attributes, normalisations
    /// and discontinuous annotations (brat's structures).
    pub fn carries_structures(self) -> bool {
        matches!(self, Format::Jsonl | Format::Brat)
    }

    /// Whether its offsets may go out as UTF-16 units (`--offsets utf16`):
    /// the formats whose files carry offsets that other tools count so.
    pub fn takes_utf16(self) -> bool {
        matches!(
            self,
            Format::Jsonl | Format::Doccano | Format::Labelstudio | Format::W3c | Format::Csv
        )
    }

    /// Whether the export is a folder of files rather than one stream.
    pub fn is_folder(self) -> bool {
        matches!(self, Format::Brat | Format::Tsv)
    }
}

/// An article and the annotations to export from it.
pub struct Article<'a> {
    /// Path relative to the corpus, `/`-separated.
    pub rel: &'a str,
    pub text: &'a Text,
    /// Sorted by (start, end, label, id), as in the sidecar.
    pub anns: &'a [Annotation],
    /// Relations between annotations of `anns` (both ends exported).
    pub relations: &'a [Relation],
    pub doc_labels: &'a [DocLabel],
    /// Events whose trigger and arguments are all exported.
    pub events: &'a [Event],
    /// Equivalences of exported annotations.
    pub equivalences: &'a [Equivalence],
    /// With `--offsets utf16`: the text's UTF-16 index, offsets go out in
    /// UTF-16 units.
    pub utf16: Option<&'a Utf16Index>,
}

impl Article<'_> {
    /// The offsets of `a` as the export counts them: code points, or with
    /// `--offsets utf16` UTF-16 units.
    pub fn offsets(&self, a: &Annotation) -> (UnitPos, UnitPos) {
        let r = self.text.chars_of(a.range());
        match self.utf16 {
            Some(u) => (
                UnitPos(u.to_unit(Unit::Utf16, r.start)),
                UnitPos(u.to_unit(Unit::Utf16, r.end)),
            ),
            None => (UnitPos(r.start.get()), UnitPos(r.end.get())),
        }
    }
}

/// Label names as a format must spell them (brat's type names, CoNLL's
/// tags without spaces), each kept apart: two labels that the format would
/// spell alike (`NEW YORK` and `NEW_YORK`) get different names, and every
/// change is said.
#[derive(Debug, Default)]
pub struct LabelNames {
    /// Each label's name in the format.
    names: std::collections::HashMap<String, String>,
    /// Each name given, and its label.
    taken: std::collections::HashMap<String, String>,
    /// Every label written under another name: (label, its name, the label
    /// that had the name it would have had).
    renamed: Vec<(String, String, Option<String>)>,
}

impl LabelNames {
    /// The name of `label` in the format, spelled by `spell`.
    pub fn name(&mut self, label: &str, spell: impl Fn(&str) -> String) -> String {
        if let Some(n) = self.names.get(label) {
            return n.clone();
        }
        let base = spell(label);
        let clash = self.taken.get(&base).filter(|l| *l != label).cloned();
        let mut name = base.clone();
        let mut k = 2;
        while self.taken.get(&name).is_some_and(|l| l != label) {
            name = format!("{base}-{k}");
            k += 1;
        }
        if name != label {
            self.renamed.push((label.to_string(), name.clone(), clash));
        }
        self.taken.insert(name.clone(), label.to_string());
        self.names.insert(label.to_string(), name.clone());
        name
    }

    /// A warning per label written under another name; `why` says what the
    /// format allows.
    pub fn warnings(&self, format: &str, why: &str) -> Vec<String> {
        self.renamed
            .iter()
            .map(|(l, n, clash)| match clash {
                Some(c) => format!(
                    "{format}: label {l:?} written as {n:?}: {why}, and label {c:?} is written as the name it would have had"
                ),
                None => format!("{format}: label {l:?} written as {n:?}: {why}"),
            })
            .collect()
    }
}

/// Writes one format, an article at a time, so memory stays flat however
/// large the corpus.
pub trait Exporter: Send {
    fn article(&mut self, a: &Article) -> io::Result<()>;
    /// Ends the output; returns warnings for the user (dropped overlaps,
    /// renamed labels).
    fn finish(self: Box<Self>) -> io::Result<Vec<String>>;
    /// How many of the annotations given were not written (a format that
    /// cannot hold overlaps drops some): the summary counts what went out.
    fn dropped(&self) -> usize {
        0
    }
}

/// An annotation read from an import, in code points.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Span {
    pub start: CharPos,
    pub end: CharPos,
    pub label: String,
    pub note: Option<String>,
    pub id: Option<String>,
    pub annotator: Option<String>,
    pub created: Option<String>,
    /// The text the format says is at `start..end`, when it says.
    pub quote: Option<String>,
    /// Its name in the input (`T3` in brat, an entity id in doccano, its
    /// id in JSON Lines), which relations there use.
    pub link: Option<String>,
    /// Where it was in the input, for messages ("line 3", "a.ann:T2").
    pub origin: String,
    /// A brat span of several pieces: each piece (`start..end` then spans
    /// them all). Imported as one span when only line breaks lie between
    /// the pieces (how brat, and gloss's export, split a span across
    /// lines); otherwise gloss cannot hold it yet.
    pub fragments: Vec<std::ops::Range<CharPos>>,
    /// For a span the input also places by its quote (a W3C
    /// `TextQuoteSelector`): the text just before and after it, to find
    /// the right occurrence when there is no position (`quote_only`) or
    /// the position does not hold the quote (the annotated text was
    /// extracted differently: an HTML page's text, other white space).
    pub context: Option<(String, String)>,
    /// The span has no position: `start` and `end` are not given, and
    /// its quote and `context` place it.
    pub quote_only: bool,
    /// The input's name of the first piece of the discontinuous
    /// annotation this span is a piece of.
    pub part_of: Option<String>,
    /// brat's attributes and normalisations on it.
    pub attributes: crate::core::annotation::Attributes,
    pub norms: Vec<crate::core::annotation::Norm>,
}

/// One article's worth of an import.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportDoc {
    /// Where it was in the input.
    pub origin: String,
    /// The article's path relative to the corpus, when the format says.
    pub path: Option<String>,
    /// The article's text, when the format carries it.
    pub text: Option<String>,
    pub spans: Vec<Span>,
    /// Relations between spans, by the spans' ids in the input.
    pub relations: Vec<ImportRelation>,
    pub doc_labels: Vec<ImportDocLabel>,
    /// Tokens with their tags, in order (CoNLL, Hugging Face): the import
    /// finds them in the article and makes spans of the tags.
    pub tagged: Vec<Tagged>,
    /// brat's events and equivalences, by the input's names of the spans
    /// (and events) they use.
    pub events: Vec<ImportEvent>,
    pub equivalences: Vec<ImportEquivalence>,
    /// The unit its offsets count, when the format fixes it (WebAnno TSV:
    /// UTF-16); else `--offsets` says.
    pub unit: Option<crate::core::offset::Unit>,
    /// Its tokens' text, to find its article by when the path does not
    /// (the text without white space is the article's).
    pub tagged_text: Option<String>,
    /// The offsets are code points for sure: the format says so (brat,
    /// JSON Lines from Python tools, W3C), or gloss wrote the file. Else
    /// (doccano, Label Studio from a browser) they may count UTF-16 units,
    /// and the import looks whether they seem to.
    pub codepoints_sure: bool,
}

/// An event read from an import: its trigger and arguments by the input's
/// names of spans or events (`T3`, `E1`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportEvent {
    pub id: Option<String>,
    /// Its name in the input, which other events' arguments use.
    pub link: Option<String>,
    pub label: String,
    pub trigger: String,
    pub args: Vec<(String, String)>,
    pub attributes: crate::core::annotation::Attributes,
    pub norms: Vec<crate::core::annotation::Norm>,
    pub note: Option<String>,
    pub origin: String,
}

/// An equivalence read from an import: spans by the input's names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportEquivalence {
    pub label: String,
    pub members: Vec<String>,
    pub origin: String,
}

/// A token and its tag as a token-labelling format gives them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tagged {
    pub token: String,
    pub tag: String,
    /// Where it was in the input ("in.conll:12").
    pub origin: String,
}

/// A relation read from an import: `from` and `to` are span ids as the
/// input gives them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportRelation {
    pub id: Option<String>,
    pub label: String,
    pub from: String,
    pub to: String,
    pub note: Option<String>,
    pub origin: String,
}

/// A document label read from an import.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportDocLabel {
    pub id: Option<String>,
    pub group: String,
    pub label: String,
    pub origin: String,
}

/// A problem with an import's input that stops it: file, line, message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct ReadError {
    pub origin: String,
    pub message: String,
}

/// A record of an import's input that is not imported: where, what kind
/// (a few words the summary counts by: "a line without text"), and more
/// about this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub origin: String,
    pub kind: String,
    pub detail: String,
}

impl Skip {
    pub fn new(
        origin: impl Into<String>,
        kind: impl Into<String>,
        detail: impl Into<String>,
    ) -> Skip {
        Skip {
            origin: origin.into(),
            kind: kind.into(),
            detail: detail.into(),
        }
    }
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        if self.detail.is_empty() {
            write!(f, "{}: {}", self.origin, self.kind)
        } else {
            write!(f, "{}: {}: {}", self.origin, self.kind, self.detail)
        }
    }
}

/// What an import's input holds, read leniently: a bad record is passed
/// over (in `skipped`, with where and why) and the rest is read; a record
/// read whole that gloss has no place for is counted in `unheld`.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub docs: Vec<ImportDoc>,
    pub skipped: Vec<Skip>,
    pub unheld: Vec<Skip>,
    /// Things worth saying about the input as a whole.
    pub notes: Vec<String>,
}

/// How readers read: which Prodigy answers count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Answers {
    /// Only records answered `accept` (and those with no answer)
    #[default]
    Accept,
    /// Every record, whatever its answer
    All,
}

/// How a folder format writes its articles' line ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Newline {
    /// As the article has them (offsets count a CRLF as two characters)
    #[default]
    Keep,
    /// As LF, offsets counted so: what every brat version reads right
    Lf,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    pub answers: Answers,
}

/// Calls `each` on the records of a JSON Lines input (blank lines passed
/// over), each a JSON object with where it was ("in.jsonl:3"); a line that
/// is not one is skipped in `input` with why, in its place among the
/// others. An input of which not one line is an object is refused.
pub fn for_each_record(
    name: &str,
    src: &str,
    input: &mut Input,
    mut each: impl FnMut(String, serde_json::Map<String, serde_json::Value>, &mut Input),
) -> Result<(), ReadError> {
    let mut objects = 0;
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let origin = format!("{name}:{}", i + 1);
        match serde_json::from_str::<serde_json::Value>(line) {
            Ok(serde_json::Value::Object(m)) => {
                objects += 1;
                each(origin, m, input);
            }
            Ok(other) => input.skipped.push(Skip::new(
                origin,
                "a line that is not a JSON object",
                format!("it is {}", json_kind(&other)),
            )),
            Err(e) => {
                input
                    .skipped
                    .push(Skip::new(origin, "a line that is not JSON", e.to_string()))
            }
        }
    }
    if objects == 0 && !input.skipped.is_empty() {
        return Err(ReadError {
            origin: name.to_string(),
            message: format!("not one line is a JSON object ({})", input.skipped[0]),
        });
    }
    Ok(())
}

/// The files below `dir` whose names end in `.ext`, sorted, each with its
/// path relative to `dir` without that ending, `/`-separated (a brat or
/// TSV folder's documents).
pub fn files_in(dir: &std::path::Path, ext: &str) -> Vec<(std::path::PathBuf, String)> {
    let mut files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let rel = f
                .strip_prefix(dir)
                .unwrap_or(&f)
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (f, rel)
        })
        .collect()
}

/// What kind of JSON value `v` is, for messages.
pub fn json_kind(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A JSON value as an offset: a whole number from 0 up.
pub fn json_offset(v: Option<&serde_json::Value>) -> Option<usize> {
    let v = v?;
    if let Some(n) = v.as_u64() {
        return usize::try_from(n).ok();
    }
    // 12.0 is a whole number too (some tools write floats).
    v.as_f64()
        .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9e15)
        .map(|f| f as usize)
}

/// A JSON value as an id: a string, or a number written as text.
pub fn json_id(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A JSON value as a string, if it is one.
pub fn json_str(v: Option<&serde_json::Value>) -> Option<String> {
    v?.as_str().map(str::to_string)
}
