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

use serde::Serialize;
use serde_json::Value;

use crate::core::offset::UnitPos;

use super::{
    Article, CharPos, Exporter, ImportDoc, ImportDocLabel, ImportRelation, Input, ReadError, Skip,
    Span, for_each_record, json_id, json_offset, json_str,
};

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    label: Vec<(UnitPos, UnitPos, &'a str)>,
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
    start_offset: UnitPos,
    end_offset: UnitPos,
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
                let (s, e) = a.offsets(x);
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
                    let (s, e) = a.offsets(x);
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

/// One line's record of spans, relations and labels, read leniently: a bad
/// item is skipped with where and why, the rest is read.
struct Record<'a> {
    origin: &'a str,
    input: &'a mut Input,
    spans: Vec<Span>,
    relations: Vec<ImportRelation>,
    doc_labels: Vec<ImportDocLabel>,
}

impl Record<'_> {
    fn skip(&mut self, at: String, kind: &str, detail: String) {
        self.input.skipped.push(Skip::new(at, kind, detail));
    }

    fn doc_label(&mut self, label: String) {
        self.doc_labels.push(ImportDocLabel {
            id: None,
            group: "cats".into(),
            label,
            origin: self.origin.to_string(),
        });
    }

    /// A span from its offsets and label as the line gives them; a label
    /// given as a number (doccano 1.0 names labels by their id) is kept as
    /// that number.
    fn span(
        &mut self,
        at: String,
        start: Option<&Value>,
        end: Option<&Value>,
        label: Option<&Value>,
        link: Option<String>,
    ) {
        let (Some(s), Some(e)) = (json_offset(start), json_offset(end)) else {
            let d = format!("start {}, end {}", shown(start), shown(end));
            return self.skip(at, "a span whose offsets are not whole numbers", d);
        };
        let Some(label) = json_id(label) else {
            return self.skip(at, "a span without a label", format!("{s}..{e}"));
        };
        self.spans.push(Span {
            start: CharPos(s),
            end: CharPos(e),
            label,
            link,
            origin: at,
            ..Span::default()
        });
    }
}

/// A JSON value as the line has it, short, for messages.
fn shown(v: Option<&Value>) -> String {
    match v {
        None => "missing".into(),
        Some(v) => {
            let t = v.to_string();
            if t.chars().count() > 20 {
                format!("{}…", t.chars().take(20).collect::<String>())
            } else {
                t
            }
        }
    }
}

/// Reads doccano JSONL, every layout doccano has written: `label` (or
/// `labels`) as `[start, end, "LABEL"]` lists, or as names for text
/// classification; `entities` with `relations`; doccano 1.0's
/// `annotations` objects (a label by its number); `cats`. A line without
/// `text` is skipped, as doccano skips it; a bad span or relation is
/// skipped with its place, and the rest of the line is read.
pub fn read(name: &str, src: &str) -> Result<Input, ReadError> {
    let mut input = Input::default();
    let mut numbered: Vec<String> = vec![];
    for_each_record(name, src, &mut input, |origin, l, input| {
        let Some(text) = l.get("text").and_then(Value::as_str) else {
            input.skipped.push(Skip::new(
                origin,
                "a line without text",
                "doccano skips such a line too",
            ));
            return;
        };
        let gloss_wrote = l.get("article").is_some();
        let path = json_str(l.get("article"))
            .or_else(|| json_str(l.get("meta").and_then(|m| m.get("article"))));
        let mut r = Record {
            origin: &origin,
            input: &mut *input,
            spans: vec![],
            relations: vec![],
            doc_labels: vec![],
        };
        let list = |k: &str| {
            l.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let entities = list("entities");
        let relations = list("relations");
        // gloss writes both `label` and, with relations, `entities` for the
        // same spans: then the entities (which relations name) are read.
        let entities_named = !entities.is_empty() && entities.iter().all(|e| e.get("id").is_some());
        let labels = if entities_named && !relations.is_empty() {
            vec![]
        } else {
            let mut v = list("label");
            v.extend(list("labels"));
            v
        };
        for (k, item) in labels.iter().enumerate() {
            let at = format!("{origin} label {}", k + 1);
            match item {
                Value::Array(x) if x.len() == 3 => r.span(at, x.first(), x.get(1), x.get(2), None),
                // Text classification: the document's labels.
                Value::String(name) => r.doc_label(name.clone()),
                other => r.skip(
                    at,
                    "a label that is neither [start, end, label] nor a name",
                    shown(Some(other)),
                ),
            }
        }
        for (k, e) in entities.iter().enumerate() {
            let at = format!("{origin} entity {}", k + 1);
            match e {
                // Intent detection writes its entities as label triples.
                Value::Array(x) if x.len() == 3 => r.span(at, x.first(), x.get(1), x.get(2), None),
                e => r.span(
                    at,
                    e.get("start_offset"),
                    e.get("end_offset"),
                    e.get("label"),
                    json_id(e.get("id")),
                ),
            }
        }
        for (k, a) in list("annotations").iter().enumerate() {
            let at = format!("{origin} annotation {}", k + 1);
            if a.get("start_offset").is_none() && a.get("end_offset").is_none() {
                // A classification annotation: a label for the document.
                match json_id(a.get("label")) {
                    Some(label) => r.doc_label(label),
                    None => r.skip(at, "an annotation without a label", String::new()),
                }
                continue;
            }
            if let Some(n) = a.get("label").filter(|v| v.is_number()) {
                let n = n.to_string();
                if !numbered.contains(&n) {
                    numbered.push(n);
                }
            }
            r.span(
                at,
                a.get("start_offset"),
                a.get("end_offset"),
                a.get("label"),
                json_id(a.get("id")),
            );
        }
        for (k, x) in relations.iter().enumerate() {
            let at = format!(
                "{origin} relation {}",
                json_id(x.get("id")).unwrap_or((k + 1).to_string())
            );
            let (Some(from), Some(to)) = (json_id(x.get("from_id")), json_id(x.get("to_id")))
            else {
                r.skip(at, "a relation without from_id and to_id", String::new());
                continue;
            };
            let label = json_str(x.get("type"))
                .or_else(|| json_str(x.get("label")))
                .unwrap_or_default();
            r.relations.push(ImportRelation {
                id: None,
                label,
                from,
                to,
                note: None,
                origin: at,
            });
        }
        for c in list("cats") {
            match c {
                Value::String(name) => r.doc_label(name),
                other => {
                    let d = shown(Some(&other));
                    r.skip(format!("{origin} cats"), "a category that is not a name", d)
                }
            }
        }
        let (spans, relations, doc_labels) = (r.spans, r.relations, r.doc_labels);
        input.docs.push(ImportDoc {
            origin,
            path,
            text: Some(text.to_string()),
            spans,
            relations,
            doc_labels,
            tagged: vec![],
            events: vec![],
            equivalences: vec![],
            // gloss's own export names the article.
            codepoints_sure: gloss_wrote,
            ..ImportDoc::default()
        });
    })?;
    if !numbered.is_empty() {
        input.notes.push(format!(
            "{name}: doccano 1.0 names labels by number; imported as labels {} (rename them in the schema, or export from doccano with label names)",
            numbered.join(", ")
        ));
    }
    Ok(input)
}
