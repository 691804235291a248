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

use serde::Serialize;

use serde_json::Value;

use super::{
    Answers, Article, CharPos, Exporter, ImportDoc, ImportDocLabel, ImportRelation, Input,
    ReadError, ReadOptions, Skip, Span, for_each_record, json_id, json_offset, json_str,
};

#[derive(Serialize, Default)]
pub(crate) struct JsonSpan {
    pub start: crate::core::offset::UnitPos,
    pub end: crate::core::offset::UnitPos,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// The id of the first piece of the discontinuous annotation this is
    /// a piece of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    /// Attributes: `true` for a binary one, else its value.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub attributes: serde_json::Map<String, Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub norms: Vec<JsonNorm>,
}

/// A normalisation: `{"type": "Reference", "ref": "Wikipedia:534366", "text": "Barack Obama"}`.
#[derive(Serialize, Default, Clone)]
pub(crate) struct JsonNorm {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(default)]
    pub text: String,
}

#[derive(Serialize)]
struct JsonEvent<'a> {
    id: &'a str,
    label: &'a str,
    trigger: &'a str,
    args: Vec<JsonArg<'a>>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    attributes: serde_json::Map<String, Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    norms: Vec<JsonNorm>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonArg<'a> {
    role: &'a str,
    to: &'a str,
}

#[derive(Serialize)]
struct JsonEquivalence<'a> {
    id: &'a str,
    label: &'a str,
    members: &'a [String],
}

fn json_attributes(a: &[(String, Option<String>)]) -> serde_json::Map<String, Value> {
    a.iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_ref()
                    .map_or(Value::Bool(true), |v| Value::String(v.clone())),
            )
        })
        .collect()
}

fn json_norms(n: &[crate::core::annotation::Norm]) -> Vec<JsonNorm> {
    n.iter()
        .map(|n| JsonNorm {
            kind: n.kind.clone(),
            reference: n.reference.clone(),
            text: n.text.clone(),
        })
        .collect()
}

/// Attributes and normalisations from a JSON object's `attributes` and
/// `norms`.
fn structure_of(
    x: &Value,
) -> (
    crate::core::annotation::Attributes,
    Vec<crate::core::annotation::Norm>,
) {
    let attributes = x
        .get("attributes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| match v {
            Value::Bool(true) => Some((k.clone(), None)),
            Value::String(s) => Some((k.clone(), Some(s.clone()))),
            _ => None,
        })
        .collect();
    let norms = x
        .get("norms")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|n| {
            Some(crate::core::annotation::Norm {
                kind: json_str(n.get("type")).unwrap_or_default(),
                reference: json_str(n.get("ref"))?,
                text: json_str(n.get("text")).unwrap_or_default(),
            })
        })
        .collect();
    (attributes, norms)
}

#[derive(Serialize, Default)]
pub(crate) struct JsonRelation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub label: String,
    pub from: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Serialize, Default)]
pub(crate) struct JsonDocLabel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub group: String,
    pub label: String,
}

#[derive(Serialize, Default)]
struct Meta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fingerprint: Option<String>,
}

#[derive(Serialize)]
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
    /// brat's events and equivalences, by the spans' ids.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    events: Vec<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    equivalences: Vec<Value>,
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
            let (start, end) = a.offsets(x);
            JsonSpan {
                start,
                end,
                label: x.label.clone(),
                note: x.note.clone(),
                id: Some(x.id.clone()),
                annotator: x.annotator.clone(),
                created: (!x.created.is_empty()).then(|| x.created.clone()),
                part_of: x.part_of().map(str::to_string),
                attributes: json_attributes(x.attributes()),
                norms: json_norms(x.norms()),
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
            events: a
                .events
                .iter()
                .map(|e| {
                    serde_json::to_value(JsonEvent {
                        id: &e.id,
                        label: &e.label,
                        trigger: &e.trigger,
                        args: e
                            .args
                            .iter()
                            .map(|(role, to)| JsonArg { role, to })
                            .collect(),
                        attributes: json_attributes(&e.attributes),
                        norms: json_norms(&e.norms),
                        note: e.note.as_deref(),
                    })
                    .unwrap_or_default()
                })
                .collect(),
            equivalences: a
                .equivalences
                .iter()
                .map(|q| {
                    serde_json::to_value(JsonEquivalence {
                        id: &q.id,
                        label: &q.label,
                        members: &q.members,
                    })
                    .unwrap_or_default()
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

/// Reads gloss's JSON Lines, spaCy's and Prodigy's: spans with `start`,
/// `end`, `label` (and gloss's `id`, `note`, `annotator`, `created`);
/// relations as gloss writes them (`from`, `to` by span id) or as Prodigy
/// does (`head_span`, `child_span`); document labels from gloss's
/// `document_labels`, spaCy's `cats` (a score of 0.5 or more) or Prodigy's
/// `accept` choices. A Prodigy record answered `reject` or `ignore` is
/// skipped unless `answers` is `All`. `id` names the article when it is a
/// string (Prodigy's numbers do not; the text finds it). A bad record or
/// span is skipped with where and why, the rest read.
pub fn read(name: &str, src: &str, opts: ReadOptions) -> Result<Input, ReadError> {
    let mut input = Input::default();
    for_each_record(name, src, &mut input, |origin, l, input| {
        let Some(text) = l.get("text").and_then(Value::as_str) else {
            input
                .skipped
                .push(Skip::new(origin, "a record without text", String::new()));
            return;
        };
        if let Some(answer) = l.get("answer").and_then(Value::as_str)
            && answer != "accept"
            && opts.answers == Answers::Accept
        {
            input.skipped.push(Skip::new(
                origin,
                format!("a record answered {answer:?}"),
                "--answers all imports it",
            ));
            return;
        }
        let list = |k: &str| {
            l.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let mut spans: Vec<Span> = vec![];
        for (k, x) in list("spans").iter().enumerate() {
            let at = format!("{origin} span {}", k + 1);
            match span_of(x, at.clone()) {
                Ok(mut sp) => {
                    // Relations in Prodigy name spans by place, not id.
                    sp.link.get_or_insert_with(|| format!("#{k}"));
                    spans.push(sp);
                }
                Err((kind, detail)) => input.skipped.push(Skip::new(at, kind, detail)),
            }
        }
        let mut relations = vec![];
        for (k, x) in list("relations").iter().enumerate() {
            let at = format!("{origin} relation {}", k + 1);
            let label = json_str(x.get("label")).unwrap_or_default();
            let ends = match (json_id(x.get("from")), json_id(x.get("to"))) {
                (Some(from), Some(to)) => Some((from, to)),
                _ => match (x.get("head_span"), x.get("child_span")) {
                    (Some(h), Some(c)) => {
                        let mut end_of = |v: &Value, side: &str| -> Option<String> {
                            let sp = span_of(v, format!("{at} {side}")).ok()?;
                            if let Some(there) = spans.iter().find(|s| {
                                s.start == sp.start && s.end == sp.end && s.label == sp.label
                            }) {
                                return there.link.clone();
                            }
                            let link = format!("#{k}{side}");
                            spans.push(Span {
                                link: Some(link.clone()),
                                ..sp
                            });
                            Some(link)
                        };
                        end_of(h, "head").zip(end_of(c, "child"))
                    }
                    _ => None,
                },
            };
            let Some((from, to)) = ends else {
                input.skipped.push(Skip::new(
                    at,
                    "a relation without its two ends",
                    "gloss reads from/to, or Prodigy's head_span/child_span",
                ));
                continue;
            };
            relations.push(ImportRelation {
                id: json_id(x.get("id")),
                label,
                from,
                to,
                note: json_str(x.get("note")),
                origin: at,
            });
        }
        let doc_label = |group: &str, label: String| ImportDocLabel {
            id: None,
            group: group.into(),
            label,
            origin: origin.clone(),
        };
        let mut doc_labels = vec![];
        for x in list("document_labels") {
            match (json_str(x.get("group")), json_str(x.get("label"))) {
                (Some(g), Some(label)) => doc_labels.push(ImportDocLabel {
                    id: json_id(x.get("id")),
                    ..doc_label(&g, label)
                }),
                _ => input.skipped.push(Skip::new(
                    format!("{origin} document_labels"),
                    "a document label without group and label",
                    String::new(),
                )),
            }
        }
        if doc_labels.is_empty() {
            if let Some(cats) = l.get("cats").and_then(Value::as_object) {
                for (label, v) in cats {
                    if v.as_f64().is_some_and(|v| v >= 0.5) {
                        doc_labels.push(doc_label("cats", label.clone()));
                    }
                }
            }
            for x in list("accept") {
                if let Some(label) = json_id(Some(&x)) {
                    doc_labels.push(doc_label("accept", label));
                }
            }
            // Prodigy's binary classification: one label, answered.
            if let Some(label) = json_str(l.get("label")) {
                doc_labels.push(doc_label("label", label));
            }
        }
        let mut events = vec![];
        for (k, x) in list("events").iter().enumerate() {
            let at = format!("{origin} event {}", k + 1);
            let (Some(label), Some(trigger)) =
                (json_str(x.get("label")), json_id(x.get("trigger")))
            else {
                input.skipped.push(Skip::new(
                    at,
                    "an event without label and trigger",
                    String::new(),
                ));
                continue;
            };
            let args = x
                .get("args")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|a| Some((json_str(a.get("role"))?, json_id(a.get("to"))?)))
                .collect();
            let (attributes, norms) = structure_of(x);
            events.push(crate::formats::ImportEvent {
                id: json_id(x.get("id")),
                link: json_id(x.get("id")),
                label,
                trigger,
                args,
                attributes,
                norms,
                note: json_str(x.get("note")),
                origin: at,
            });
        }
        let mut equivalences = vec![];
        for (k, x) in list("equivalences").iter().enumerate() {
            let members: Vec<String> = x
                .get("members")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|m| json_id(Some(m)))
                .collect();
            equivalences.push(crate::formats::ImportEquivalence {
                label: json_str(x.get("label")).unwrap_or_default(),
                members,
                origin: format!("{origin} equivalence {}", k + 1),
            });
        }
        input.docs.push(ImportDoc {
            path: l.get("id").and_then(Value::as_str).map(str::to_string),
            text: Some(text.to_string()),
            origin,
            spans,
            relations,
            doc_labels,
            tagged: vec![],
            events,
            equivalences,
            codepoints_sure: true,
            ..ImportDoc::default()
        });
    })?;
    Ok(input)
}

/// A span object (`start`, `end`, `label`, and gloss's extra fields), or
/// why it is not one.
fn span_of(x: &Value, origin: String) -> Result<Span, (&'static str, String)> {
    let (Some(start), Some(end)) = (json_offset(x.get("start")), json_offset(x.get("end"))) else {
        return Err((
            "a span whose offsets are not whole numbers",
            format!(
                "start {}, end {}",
                short(x.get("start")),
                short(x.get("end"))
            ),
        ));
    };
    let Some(label) = json_id(x.get("label")) else {
        return Err(("a span without a label", format!("{start}..{end}")));
    };
    let id = json_id(x.get("id"));
    let (attributes, norms) = structure_of(x);
    Ok(Span {
        part_of: json_str(x.get("part_of")),
        start: CharPos(start),
        end: CharPos(end),
        label,
        note: json_str(x.get("note")),
        link: id.clone(),
        id,
        annotator: json_str(x.get("annotator")),
        created: json_str(x.get("created")),
        quote: None,
        origin,
        fragments: vec![],
        context: None,
        quote_only: false,
        attributes,
        norms,
    })
}

fn short(v: Option<&Value>) -> String {
    v.map_or("missing".into(), |v| {
        v.to_string().chars().take(20).collect()
    })
}
