//! `doccano`: doccano's sequence-labelling JSONL, importable into doccano as
//! it is. Spans are `[start, end, "LABEL"]` lists; the article's path goes in
//! an `article` key, which doccano keeps as metadata. Notes and ids do not
//! fit this format.
//!
//! ```json
//! {"text":"…","label":[[0,4,"ORG"]],"article":"a.txt"}
//! ```
//!
//! Import also reads doccano's newer export, with `entities` objects
//! (`start_offset`, `end_offset`, `label`).

use std::io::{self, Write};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    Article, CharPos, Exporter, ImportDoc, ImportDocLabel, ImportRelation, ReadError, Span,
    json_lines,
};

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    label: Vec<(CharPos, CharPos, &'a str)>,
    article: &'a str,
    /// doccano's relation format, when the article has relations: the
    /// spans again as entities with ids, and the relations between them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    entities: Vec<OutEntity<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relations: Vec<OutRelation<'a>>,
    /// Document labels, as doccano's text classification has them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cats: Vec<&'a str>,
}

#[derive(Serialize)]
struct OutEntity<'a> {
    id: usize,
    label: &'a str,
    start_offset: CharPos,
    end_offset: CharPos,
}

#[derive(Serialize)]
struct OutRelation<'a> {
    id: usize,
    from_id: usize,
    to_id: usize,
    #[serde(rename = "type")]
    kind: &'a str,
}

pub struct DoccanoExporter<W: Write> {
    out: W,
}

impl<W: Write> DoccanoExporter<W> {
    pub fn new(out: W) -> Self {
        DoccanoExporter { out }
    }
}

impl<W: Write + Send> Exporter for DoccanoExporter<W> {
    fn article(&mut self, a: &Article) -> io::Result<()> {
        let label = a
            .anns
            .iter()
            .map(|x| {
                let (s, e) = a.chars(x);
                (s, e, x.label.as_str())
            })
            .collect();
        // Entity ids are numbers in doccano: each span's place, from 1.
        let number: std::collections::HashMap<&str, usize> = a
            .anns
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i + 1))
            .collect();
        let relations: Vec<OutRelation> = a
            .relations
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                Some(OutRelation {
                    id: i + 1,
                    from_id: *number.get(r.from.as_str())?,
                    to_id: *number.get(r.to.as_str())?,
                    kind: &r.label,
                })
            })
            .collect();
        let entities = if relations.is_empty() {
            vec![]
        } else {
            a.anns
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    let (s, e) = a.chars(x);
                    OutEntity {
                        id: i + 1,
                        label: &x.label,
                        start_offset: s,
                        end_offset: e,
                    }
                })
                .collect()
        };
        let line = Line {
            text: a.text.as_str(),
            label,
            article: a.rel,
            entities,
            relations,
            cats: a.doc_labels.iter().map(|l| l.label.as_str()).collect(),
        };
        serde_json::to_writer(&mut self.out, &line)?;
        self.out.write_all(b"\n")
    }

    fn finish(mut self: Box<Self>) -> io::Result<Vec<String>> {
        self.out.flush()?;
        Ok(vec![])
    }
}

#[derive(Deserialize)]
struct Entity {
    #[serde(default)]
    id: Option<Value>,
    start_offset: CharPos,
    end_offset: CharPos,
    label: String,
}

#[derive(Deserialize)]
struct InRelation {
    #[serde(default)]
    id: Option<Value>,
    from_id: Value,
    to_id: Value,
    #[serde(alias = "label")]
    #[serde(rename = "type")]
    kind: String,
}

/// An id that doccano writes as a number or a string, as text.
fn id_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[derive(Deserialize)]
struct InLine {
    text: String,
    #[serde(default, alias = "labels")]
    label: Vec<(CharPos, CharPos, String)>,
    #[serde(default)]
    entities: Vec<Entity>,
    #[serde(default)]
    relations: Vec<InRelation>,
    #[serde(default)]
    cats: Vec<String>,
    #[serde(default)]
    article: Option<String>,
    #[serde(default)]
    meta: Option<Value>,
}

pub fn read(name: &str, src: &str) -> Result<Vec<ImportDoc>, ReadError> {
    let mut docs = vec![];
    for record in json_lines::<InLine>(name, src, "doccano JSONL") {
        let (origin, l) = record?;
        let from_meta = l
            .meta
            .as_ref()
            .and_then(|m| m.get("article"))
            .and_then(Value::as_str)
            .map(str::to_string);
        // gloss writes both `label` and, with relations, `entities` for the
        // same spans: then the entities (which relations name) are read.
        let entities_have_ids = !l.entities.is_empty() && l.entities.iter().all(|e| e.id.is_some());
        let labels = if entities_have_ids && !l.relations.is_empty() {
            vec![]
        } else {
            l.label
        };
        let triples =
            labels
                .into_iter()
                .map(|(s, e, l)| (None, s, e, l))
                .chain(l.entities.into_iter().map(|e| {
                    (
                        e.id.as_ref().map(id_text),
                        e.start_offset,
                        e.end_offset,
                        e.label,
                    )
                }));
        let spans = triples
            .enumerate()
            .map(|(k, (id, start, end, label))| Span {
                start,
                end,
                label,
                // For relations to name it; gloss gives it an id of its own.
                link: id,
                origin: format!("{origin} label {}", k + 1),
                ..Span::default()
            })
            .collect();
        let relations = l
            .relations
            .into_iter()
            .enumerate()
            .map(|(k, r)| ImportRelation {
                id: None,
                label: r.kind,
                from: id_text(&r.from_id),
                to: id_text(&r.to_id),
                note: None,
                origin: format!(
                    "{origin} relation {}",
                    r.id.as_ref().map_or((k + 1).to_string(), id_text)
                ),
            })
            .collect();
        let doc_labels = l
            .cats
            .into_iter()
            .map(|label| ImportDocLabel {
                id: None,
                group: "cats".into(),
                label,
                origin: origin.clone(),
            })
            .collect();
        docs.push(ImportDoc {
            origin,
            path: l.article.or(from_meta),
            text: Some(l.text),
            spans,
            relations,
            doc_labels,
        });
    }
    Ok(docs)
}
