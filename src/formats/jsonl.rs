//! `jsonl`: one JSON object per article per line, with spaCy/Prodigy span
//! objects. Carries everything a sidecar holds, so it round-trips exactly:
//! relations by span ids, document labels, and the same labels as spaCy's
//! text categories (`cats`) for a textcat component.
//!
//! ```json
//! {"id":"a.txt","text":"…","spans":[{"start":0,"end":4,"label":"ORG","id":"3f9a1c2e","created":"…"}],"meta":{"fingerprint":"sha256:…"}}
//! {"id":"b.txt","text":"…","spans":[…],"relations":[{"id":"e1","label":"MET","from":"3f9a1c2e","to":"b41d07aa"}],"document_labels":[{"id":"d1","group":"topic","label":"diplomacy"}],"cats":{"diplomacy":1.0},"meta":{…}}
//! ```

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::{
    Article, CharPos, Exporter, ImportDoc, ImportDocLabel, ImportRelation, ReadError, Span,
    json_lines,
};

#[derive(Serialize, Deserialize, Default)]
pub(crate) struct JsonSpan {
    pub start: CharPos,
    pub end: CharPos,
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
pub(crate) struct JsonRelation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub label: String,
    pub from: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
pub(crate) struct JsonDocLabel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub group: String,
    pub label: String,
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    relations: Vec<JsonRelation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    document_labels: Vec<JsonDocLabel>,
    /// spaCy's text categories: each document label's name, 1.0.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    cats: std::collections::BTreeMap<String, f64>,
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
            relations: a
                .relations
                .iter()
                .map(|r| JsonRelation {
                    id: Some(r.id.clone()),
                    label: r.label.clone(),
                    from: r.from.clone(),
                    to: r.to.clone(),
                    note: r.note.clone(),
                })
                .collect(),
            document_labels: a
                .doc_labels
                .iter()
                .map(|l| JsonDocLabel {
                    id: Some(l.id.clone()),
                    group: l.group.clone(),
                    label: l.label.clone(),
                })
                .collect(),
            cats: a
                .doc_labels
                .iter()
                .map(|l| (l.label.clone(), 1.0))
                .collect(),
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
        link: s.id.clone(),
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
        let relations = l
            .relations
            .into_iter()
            .enumerate()
            .map(|(k, r)| ImportRelation {
                id: r.id,
                label: r.label,
                from: r.from,
                to: r.to,
                note: r.note,
                origin: format!("{origin} relation {}", k + 1),
            })
            .collect();
        // Document labels as gloss writes them; else spaCy's categories
        // that are on (a score of 0.5 or more), in a group named `cats`.
        let doc_labels = if l.document_labels.is_empty() {
            l.cats
                .into_iter()
                .filter(|(_, v)| *v >= 0.5)
                .map(|(label, _)| ImportDocLabel {
                    id: None,
                    group: "cats".into(),
                    label,
                    origin: origin.clone(),
                })
                .collect()
        } else {
            l.document_labels
                .into_iter()
                .map(|d| ImportDocLabel {
                    id: d.id,
                    group: d.group,
                    label: d.label,
                    origin: origin.clone(),
                })
                .collect()
        };
        docs.push(ImportDoc {
            origin,
            path: l.id,
            text: Some(l.text),
            spans,
            relations,
            doc_labels,
        });
    }
    Ok(docs)
}
