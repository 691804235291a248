//! `labelstudio`: Label Studio's JSON, a list of tasks, each with its text
//! and one annotation whose results are the article's spans (`labels`),
//! relations (`relation`) and document labels (`choices`, one control per
//! group); a span's note is its region's `meta.text`, as Label Studio
//! keeps notes on regions.
//!
//! ```json
//! [{"id": 1, "data": {"text": "…", "article": "a.txt"},
//!   "annotations": [{"result": [
//!     {"id": "3f9a1c2e", "from_name": "label", "to_name": "text", "type": "labels",
//!      "value": {"start": 0, "end": 4, "text": "Mike", "labels": ["PERSON"]}},
//!     {"type": "relation", "from_id": "3f9a1c2e", "to_id": "b41d07aa", "direction": "right", "labels": ["MET"]},
//!     {"id": "d1", "from_name": "topic", "to_name": "text", "type": "choices", "value": {"choices": ["diplomacy"]}}]}]}]
//! ```
//!
//! Offsets are code points, as Label Studio stores them since its fix for
//! emoji (earlier versions counted UTF-16 units: `--offsets utf16`).
//! Import also reads the `JSON_MIN` export (`label` lists on the task),
//! skips cancelled annotations, and counts predictions (suggestions, not
//! annotations) and results of other kinds as not kept.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{
    Article, CharPos, Exporter, ImportDoc, ImportDocLabel, ImportRelation, Input, ReadError, Skip,
    Span, json_id, json_offset, json_str,
};

pub struct LabelStudioExporter<W: Write> {
    out: W,
    tasks: usize,
}

impl<W: Write> LabelStudioExporter<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(b"[")?;
        Ok(LabelStudioExporter { out, tasks: 0 })
    }
}

impl<W: Write + Send> Exporter for LabelStudioExporter<W> {
    fn article(&mut self, a: &Article) -> io::Result<()> {
        let mut result = vec![];
        for x in a.anns {
            let (s, e) = a.offsets(x);
            let mut r = json!({
                "id": x.id,
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {"start": s, "end": e, "text": a.text.slice(x.range()), "labels": [x.label]},
            });
            if let Some(n) = &x.note {
                r["meta"] = json!({"text": [n]});
            }
            result.push(r);
        }
        for r in a.relations {
            result.push(json!({
                "from_id": r.from, "to_id": r.to, "type": "relation", "direction": "right", "labels": [r.label],
            }));
        }
        for l in a.doc_labels {
            result.push(json!({
                "id": l.id, "from_name": l.group, "to_name": "text", "type": "choices",
                "value": {"choices": [l.label]},
            }));
        }
        // Label Studio numbers its tasks; an import renumbers them.
        let task = json!({
            "id": self.tasks + 1,
            "data": {"text": a.text.as_str(), "article": a.rel},
            "annotations": [{"result": result}],
        });
        if self.tasks > 0 {
            self.out.write_all(b",")?;
        }
        self.out.write_all(b"\n")?;
        serde_json::to_writer(&mut self.out, &task)?;
        self.tasks += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<Vec<String>> {
        self.out.write_all(b"\n]\n")?;
        self.out.flush()?;
        Ok(vec![])
    }
}

/// The strings of a JSON list (what is not a string left out).
fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// A span from a region's value: its offsets, text and one label.
fn span_of(v: &Value, label: String, id: Option<String>, origin: String) -> Result<Span, Skip> {
    let (Some(s), Some(e)) = (json_offset(v.get("start")), json_offset(v.get("end"))) else {
        return Err(Skip::new(
            origin,
            "a region whose offsets are not whole numbers",
            String::new(),
        ));
    };
    Ok(Span {
        start: CharPos(s),
        end: CharPos(e),
        label,
        quote: json_str(v.get("text")),
        link: id.clone(),
        id,
        origin,
        ..Span::default()
    })
}

/// Reads one task's results into `doc`.
fn results(results: &[Value], origin: &str, doc: &mut ImportDoc, input: &mut Input) {
    let mut notes: Vec<(String, String)> = vec![];
    for (k, r) in results.iter().enumerate() {
        let at = format!("{origin} result {}", k + 1);
        let kind = r.get("type").and_then(Value::as_str).unwrap_or_default();
        let id = json_id(r.get("id"));
        let value = r.get("value").unwrap_or(&Value::Null);
        match kind {
            "relation" => {
                let (Some(mut from), Some(mut to)) =
                    (json_id(r.get("from_id")), json_id(r.get("to_id")))
                else {
                    input.skipped.push(Skip::new(
                        at,
                        "a relation without from_id and to_id",
                        String::new(),
                    ));
                    continue;
                };
                if r.get("direction").and_then(Value::as_str) == Some("left") {
                    std::mem::swap(&mut from, &mut to);
                }
                let labels: Vec<String> = strings(r.get("labels"));
                // Label Studio allows a relation without a label.
                let labels = if labels.is_empty() {
                    vec!["related".to_string()]
                } else {
                    labels
                };
                for label in labels {
                    doc.relations.push(ImportRelation {
                        id: None,
                        label,
                        from: from.clone(),
                        to: to.clone(),
                        note: None,
                        origin: at.clone(),
                    });
                }
            }
            "choices" | "taxonomy" => {
                let group = json_str(r.get("from_name")).unwrap_or_else(|| "choices".into());
                for c in value
                    .get(kind)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    // A taxonomy choice is a path: its last step names it.
                    let label = match c {
                        Value::Array(path) => path.last().and_then(|x| json_id(Some(x))),
                        x => json_id(Some(x)),
                    };
                    match label {
                        Some(label) => doc.doc_labels.push(ImportDocLabel {
                            id: None,
                            group: group.clone(),
                            label,
                            origin: at.clone(),
                        }),
                        None => input.skipped.push(Skip::new(
                            &at,
                            "a choice that is not a name",
                            String::new(),
                        )),
                    }
                }
            }
            "textarea" => {
                let text: Vec<String> = strings(value.get("text"));
                match id {
                    // Per-region text (a note on that region).
                    Some(id) if value.get("start").is_some() => notes.push((id, text.join("\n"))),
                    _ => input.unheld.push(Skip::new(
                        at,
                        "a text area on the whole task",
                        String::new(),
                    )),
                }
            }
            _ if value.get("start").is_some() => {
                let label_key = value
                    .as_object()
                    .and_then(|o| o.keys().find(|k| k.ends_with("labels")).cloned());
                let labels = strings(label_key.and_then(|k| value.get(&k)));
                if labels.is_empty() {
                    input
                        .skipped
                        .push(Skip::new(at, "a region without a label", String::new()));
                    continue;
                }
                let note = r
                    .get("meta")
                    .and_then(|m| m.get("text"))
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .filter(|n| !n.is_empty());
                for (n, label) in labels.into_iter().enumerate() {
                    // Several labels on one region: one span each, the
                    // first keeping the region's id for its relations.
                    let id = if n == 0 { id.clone() } else { None };
                    match span_of(value, label, id, at.clone()) {
                        Ok(mut s) => {
                            s.note = note.clone();
                            doc.spans.push(s);
                        }
                        Err(skip) => input.skipped.push(skip),
                    }
                }
            }
            other => input.unheld.push(Skip::new(
                at,
                format!(
                    "a Label Studio {} result",
                    if other.is_empty() { "untyped" } else { other }
                ),
                String::new(),
            )),
        }
    }
    for (id, note) in notes {
        match doc
            .spans
            .iter_mut()
            .find(|s| s.link.as_deref() == Some(id.as_str()))
        {
            Some(s) => s.note = Some(note),
            None => input.unheld.push(Skip::new(
                origin,
                "a text area on a region not imported",
                id,
            )),
        }
    }
}

/// A task's text: `text` in its data, else `TEXT` or another spelling of
/// it, else, of its data's other text fields (a labeling config may name
/// it anything: `$review`, `$r_TEXT`), the longest that holds every
/// region's text (a `JSON_MIN` task also holds its choices as text). A
/// wrong guess finds no article with that text, and is said.
fn task_text<'v>(data: &'v Value, regions: &[(&str, &Value, usize)]) -> Option<&'v str> {
    let obj = data.as_object()?;
    if let Some(t) = obj.get("text").and_then(Value::as_str) {
        return Some(t);
    }
    if let Some(t) = obj
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("text"))
        .and_then(|(_, v)| v.as_str())
    {
        return Some(t);
    }
    // Not gloss's own fields, nor Label Studio's task fields when the
    // data is the task itself (`JSON_MIN`).
    const NOT_TEXT: &[&str] = &[
        "article",
        "path",
        "annotator",
        "created_at",
        "updated_at",
        "id",
        "annotation_id",
    ];
    let quotes: Vec<&str> = regions
        .iter()
        .filter_map(|(_, r, _)| r.get("text").and_then(Value::as_str))
        .collect();
    obj.iter()
        .filter(|(k, _)| !NOT_TEXT.contains(&k.as_str()))
        .filter_map(|(_, v)| v.as_str())
        .filter(|t| quotes.iter().all(|q| t.contains(q)))
        .max_by_key(|t| t.len())
}

/// The regions of a `JSON_MIN` task: every list on it of objects with a
/// `start` and an `end`, with the list's name (the control's) and each
/// region's place in it.
fn min_regions(task: &Value) -> Vec<(&str, &Value, usize)> {
    let Some(obj) = task.as_object() else {
        return vec![];
    };
    let mut out = vec![];
    for (name, v) in obj {
        if matches!(
            name.as_str(),
            "annotations" | "predictions" | "drafts" | "data"
        ) {
            continue;
        }
        let Some(items) = v.as_array() else { continue };
        // A list of objects some of which have a start and an end: each
        // is read (one without labels is skipped, and said).
        let regions = items.iter().all(Value::is_object)
            && items
                .iter()
                .any(|r| r.get("start").is_some() && r.get("end").is_some());
        if regions {
            out.extend(items.iter().enumerate().map(|(k, r)| (name.as_str(), r, k)));
        }
    }
    out
}

/// Reads Label Studio's JSON export (a list of tasks, or one task) or its
/// `JSON_MIN` export.
pub fn read(name: &str, src: &str) -> Result<Input, ReadError> {
    let v: Value = serde_json::from_str(src).map_err(|e| ReadError {
        origin: format!("{name}:{}", e.line()),
        message: format!("not JSON: {e}"),
    })?;
    let tasks: Vec<&Value> = match &v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(_) => vec![&v],
        _ => {
            return Err(ReadError {
                origin: name.to_string(),
                message: "neither a list of tasks nor a task".into(),
            });
        }
    };
    let mut input = Input::default();
    for (i, task) in tasks.into_iter().enumerate() {
        let origin = format!(
            "{name}: task {}",
            json_id(task.get("id")).unwrap_or((i + 1).to_string())
        );
        let data = task.get("data").unwrap_or(task);
        let regions = min_regions(task);
        let Some(text) = task_text(data, &regions) else {
            input.skipped.push(Skip::new(
                origin,
                "a task without text",
                "Label Studio's text is data.text (or the one text field of data)",
            ));
            continue;
        };
        let mut doc = ImportDoc {
            origin: origin.clone(),
            path: json_str(data.get("article")).or_else(|| json_str(data.get("path"))),
            text: Some(text.to_string()),
            // gloss's own export names the article.
            codepoints_sure: data.get("article").is_some(),
            ..ImportDoc::default()
        };
        for (k, a) in task
            .get("annotations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let at = format!("{origin} annotation {}", k + 1);
            if a.get("was_cancelled").and_then(Value::as_bool) == Some(true) {
                input
                    .skipped
                    .push(Skip::new(at, "a cancelled annotation", String::new()));
                continue;
            }
            let rs = a
                .get("result")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            results(&rs, &at, &mut doc, &mut input);
        }
        for (k, _) in task
            .get("predictions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            input.unheld.push(Skip::new(
                format!("{origin} prediction {}", k + 1),
                "a Label Studio prediction (a suggestion, not an annotation)",
                String::new(),
            ));
        }
        // JSON_MIN: the regions on the task itself, under their
        // control's name (`label` unless the labeling config names it
        // otherwise).
        for (control, r, k) in regions {
            let at = format!("{origin} {control} {}", k + 1);
            let labels: Vec<String> = strings(r.get("labels"));
            if labels.is_empty() {
                input
                    .skipped
                    .push(Skip::new(at, "a region without a label", String::new()));
                continue;
            }
            for label in labels {
                match span_of(r, label, None, at.clone()) {
                    Ok(s) => doc.spans.push(s),
                    Err(skip) => input.skipped.push(skip),
                }
            }
        }
        input.docs.push(doc);
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `JSON_MIN` task whose labeling config names its text `review`
    /// and its labels `Aspects`, with a choice beside them.
    #[test]
    fn json_min_names_its_text_and_regions_as_the_config_does() {
        let src = r#"[{"id": 3, "sentiment": "Positive", "review": "Great phone, bad battery.",
            "Aspects": [{"start": 0, "end": 5, "text": "Great", "labels": ["POS"]},
                        {"start": 17, "end": 24}]}]"#;
        let input = read("min.json", src).unwrap();
        let doc = &input.docs[0];
        assert_eq!(doc.text.as_deref(), Some("Great phone, bad battery."));
        assert_eq!(doc.spans.len(), 1);
        assert_eq!(doc.spans[0].label, "POS");
        assert_eq!(input.skipped.len(), 1);
        assert!(
            input.skipped[0].to_string().contains("Aspects 2"),
            "{}",
            input.skipped[0]
        );
    }
}
