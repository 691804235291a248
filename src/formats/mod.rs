//! Export and import formats, one file each. Pure: writers take `Write`
//! sinks, readers take text; the commands in `crate::commands` do the I/O.
//!
//! Offsets in every format are Unicode code points, as Python counts them.

pub mod brat;
pub mod conll;
pub mod csv;
pub mod doccano;
pub mod jsonl;
pub mod webanno;

use std::io;

/// The most gloss reads of one import file: a larger one is refused
/// before it is read (memory for it is reserved fallibly below that).
pub const MAX_INPUT_BYTES: u64 = 2 << 30;

use crate::core::annotation::{Annotation, DocLabel, Relation};
pub use crate::core::offset::CharPos;
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
    /// CoNLL BIO: one token and tag per line (export only)
    Conll,
    /// W3C Web Annotation JSON-LD
    Webanno,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Doccano => "doccano",
            Format::Csv => "csv",
            Format::Brat => "brat",
            Format::Conll => "conll",
            Format::Webanno => "webanno",
        }
    }

    pub fn can_import(self) -> bool {
        matches!(
            self,
            Format::Jsonl | Format::Doccano | Format::Brat | Format::Webanno | Format::Csv
        )
    }

    /// Whether the format has a place for relations between annotations.
    pub fn carries_relations(self) -> bool {
        matches!(
            self,
            Format::Jsonl | Format::Doccano | Format::Brat | Format::Webanno
        )
    }

    /// Whether it has a place for labels of the whole document.
    pub fn carries_doc_labels(self) -> bool {
        matches!(
            self,
            Format::Jsonl | Format::Doccano | Format::Webanno | Format::Csv
        )
    }

    /// Whether the export is a folder of files rather than one stream.
    pub fn is_folder(self) -> bool {
        self == Format::Brat
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
}

impl Article<'_> {
    /// Code point offsets of `a`.
    pub fn chars(&self, a: &Annotation) -> (CharPos, CharPos) {
        let r = self.text.chars_of(a.range());
        (r.start, r.end)
    }
}

/// Writes one format, an article at a time, so memory stays flat however
/// large the corpus.
pub trait Exporter: Send {
    fn article(&mut self, a: &Article) -> io::Result<()>;
    /// Ends the output; returns warnings for the user (dropped overlaps,
    /// renamed labels).
    fn finish(self: Box<Self>) -> io::Result<Vec<String>>;
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

/// The records of a JSON Lines input, blank lines passed over, each with
/// where it was ("in.jsonl:3"); `format` names what a line must be.
pub fn json_lines<'a, T: serde::de::DeserializeOwned>(
    name: &'a str,
    src: &'a str,
    format: &'a str,
) -> impl Iterator<Item = Result<(String, T), ReadError>> + 'a {
    src.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(move |(i, line)| {
            let origin = format!("{name}:{}", i + 1);
            match serde_json::from_str(line) {
                Ok(v) => Ok((origin, v)),
                Err(e) => Err(ReadError {
                    origin,
                    message: format!("not a {format} line: {e}"),
                }),
            }
        })
}
