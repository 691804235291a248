//! `jsonl`: one JSON object per article per line, with spaCy/Prodigy span
//! objects. Carries everything a sidecar holds, so it round-trips exactly.
//!
//! ```json
//! {"id":"a.txt","text":"…","spans":[{"start":0,"end":4,"label":"ORG","id":"3f9a1c2e","created":"…"}],"meta":{"fingerprint":"sha256:…"}}
//! ```

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::{Article, Exporter, ImportDoc, ReadError, Span, json_lines};

#[derive(Serialize, Deserialize, Default)]
pub(crate) struct JsonSpan {
    pub start: usize,
    pub end: usize,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
struct Meta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fingerprint: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Line {
    #[serde(default)]
    id: Option<String>,
    text: String,
    #[serde(default)]
    spans: Vec<JsonSpan>,
    #[serde(default)]
    meta: Meta,
}

pub struct JsonlExporter<W: Write> {
    out: W,
}

impl<W: Write> JsonlExporter<W> {
    pub fn new(out: W) -> Self {
        JsonlExporter { out }
    }
}

pub(crate) fn json_spans(a: &Article) -> Vec<JsonSpan> {
    a.anns
        .iter()
        .map(|x| {
            let (start, end) = a.chars(x);
            JsonSpan {
                start,
                end,
                label: x.label.clone(),
                note: x.note.clone(),
                id: Some(x.id.clone()),
                annotator: x.annotator.clone(),
                created: (!x.created.is_empty()).then(|| x.created.clone()),
            }
        })
        .collect()
}

impl<W: Write + Send> Exporter for JsonlExporter<W> {
    fn article(&mut self, a: &Article) -> io::Result<()> {
        let line = Line {
            id: Some(a.rel.to_string()),
            text: a.text.as_str().to_string(),
            spans: json_spans(a),
            meta: Meta {
                fingerprint: Some(a.text.fingerprint().to_string()),
            },
        };
        serde_json::to_writer(&mut self.out, &line)?;
        self.out.write_all(b"\n")
    }

    fn finish(mut self: Box<Self>) -> io::Result<Vec<String>> {
        self.out.flush()?;
        Ok(vec![])
    }
}

pub(crate) fn to_span(s: JsonSpan, origin: String) -> Span {
    Span {
        start: s.start,
        end: s.end,
        label: s.label,
        note: s.note,
        id: s.id,
        annotator: s.annotator,
        created: s.created,
        quote: None,
        origin,
    }
}

/// Reads a JSONL import: `name` is the input's name, for messages.
pub fn read(name: &str, src: &str) -> Result<Vec<ImportDoc>, ReadError> {
    let mut docs = vec![];
    for record in json_lines::<Line>(name, src, "gloss JSONL") {
        let (origin, l) = record?;
        let spans = l
            .spans
            .into_iter()
            .enumerate()
            .map(|(k, s)| to_span(s, format!("{origin} span {}", k + 1)))
            .collect();
        docs.push(ImportDoc {
            origin,
            path: l.id,
            text: Some(l.text),
            spans,
        });
    }
    Ok(docs)
}
