//! `w3c` (once `webanno`): W3C Web Annotation JSON-LD. One `AnnotationCollection` whose
//! page lists every annotation. Each has a tagging body with the label, a
//! commenting body with the note, and a target whose selectors are a
//! `TextQuoteSelector` (exact, prefix, suffix) and a `TextPositionSelector`
//! (code points). Articles and annotations are named by URNs:
//! `urn:gloss:article:<path>` and `urn:gloss:annotation:<path>:<id>`, the
//! path percent-encoded.

use std::io::{self, Write};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::Serialize;
use serde_json::{Value, json};

use super::{
    Article, CharPos, Exporter, ImportDoc, ImportDocLabel, ImportRelation, Input, ReadError, Skip,
    Span, json_offset,
};
use crate::core::anchor::context;

pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
const ARTICLE: &str = "urn:gloss:article:";
const ANNOTATION: &str = "urn:gloss:annotation:";

/// Kept as they are in a URN path: unreserved characters and `/`.
const KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

pub fn article_urn(rel: &str) -> String {
    format!("{ARTICLE}{}", utf8_percent_encode(rel, KEEP))
}

pub struct W3cExporter<W: Write> {
    out: W,
    total: usize,
}

impl<W: Write> W3cExporter<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        writeln!(
            out,
            "{{\n  \"@context\": \"{CONTEXT}\",\n  \"id\": \"urn:gloss:collection\",\n  \"type\": \"AnnotationCollection\",\n  \"label\": \"gloss annotations\",\n  \"first\": {{\n    \"type\": \"AnnotationPage\",\n    \"items\": ["
        )?;
        Ok(W3cExporter { out, total: 0 })
    }
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    purpose: &'a str,
    value: &'a str,
}

impl<W: Write> W3cExporter<W> {
    fn item(&mut self, item: &Value) -> io::Result<()> {
        let sep = if self.total == 0 { "" } else { ",\n" };
        write!(self.out, "{sep}      ")?;
        serde_json::to_writer(&mut self.out, item)?;
        self.total += 1;
        Ok(())
    }
}

impl<W: Write + Send> Exporter for W3cExporter<W> {
    fn article(&mut self, a: &Article) -> io::Result<()> {
        let source = article_urn(a.rel);
        for x in a.anns {
            let (s, e) = a.offsets(x);
            let (prefix, suffix) = context(a.text, x.range());
            let mut body = vec![Body {
                kind: "TextualBody",
                purpose: "tagging",
                value: &x.label,
            }];
            if let Some(n) = &x.note {
                body.push(Body {
                    kind: "TextualBody",
                    purpose: "commenting",
                    value: n,
                });
            }
            let motivation = if x.note.is_some() {
                json!(["tagging", "commenting"])
            } else {
                json!("tagging")
            };
            let mut item = json!({
                "id": format!("{ANNOTATION}{}:{}", utf8_percent_encode(a.rel, KEEP), utf8_percent_encode(&x.id, KEEP)),
                "type": "Annotation",
                "motivation": motivation,
            });
            let obj = item.as_object_mut().expect("an object");
            if !x.created.is_empty() {
                obj.insert("created".into(), json!(x.created));
            }
            if let Some(who) = &x.annotator {
                obj.insert("creator".into(), json!({"type": "Person", "name": who}));
            }
            obj.insert("body".into(), json!(body));
            obj.insert(
                "target".into(),
                json!({
                    "source": source,
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": a.text.slice(x.range()), "prefix": prefix, "suffix": suffix},
                        {"type": "TextPositionSelector", "start": s, "end": e},
                    ],
                }),
            );
            self.item(&item)?;
        }
        // Relations link two of these annotations; document labels
        // classify the article.
        let urn = |id: &str| {
            format!(
                "{ANNOTATION}{}:{}",
                utf8_percent_encode(a.rel, KEEP),
                utf8_percent_encode(id, KEEP)
            )
        };
        for r in a.relations {
            let item = json!({
                "id": urn(&r.id),
                "type": "Annotation",
                "motivation": "linking",
                "body": {"type": "TextualBody", "purpose": "tagging", "value": r.label},
                "target": [urn(&r.from), urn(&r.to)],
            });
            self.item(&item)?;
        }
        for l in a.doc_labels {
            let item = json!({
                "id": urn(&l.id),
                "type": "Annotation",
                "motivation": "classifying",
                "body": {"type": "TextualBody", "purpose": "classifying", "value": format!("{}: {}", l.group, l.label)},
                "target": source,
            });
            self.item(&item)?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<Vec<String>> {
        writeln!(self.out, "\n    ]\n  }},\n  \"total\": {}\n}}", self.total)?;
        self.out.flush()?;
        Ok(vec![])
    }
}

fn as_list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
        None => vec![],
    }
}

fn text_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// The IRIs of the vocabularies W3C annotations use, whose terms the
/// compact form (the `anno.jsonld` context) names by their last part.
const VOCABULARIES: [&str; 6] = [
    "http://www.w3.org/ns/oa#",
    "http://www.w3.org/ns/activitystreams#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://xmlns.com/foaf/0.1/",
    "http://www.w3.org/ns/ldp#",
];

/// The compact name of an expanded term: `oa:hasTarget` is `target`, as
/// the W3C context names it.
fn term(key: &str) -> String {
    let local = VOCABULARIES
        .iter()
        .find_map(|v| key.strip_prefix(v))
        .unwrap_or(key);
    match local {
        "@id" => "id",
        "@type" => "type",
        "hasTarget" => "target",
        "hasBody" => "body",
        "hasSelector" => "selector",
        "hasSource" => "source",
        "hasPurpose" => "purpose",
        "motivatedBy" => "motivation",
        "bodyValue" => "bodyValue",
        "nick" => "nickname",
        other => other,
    }
    .to_string()
}

/// The deepest nesting followed when references are resolved: a flattened
/// graph that refers to itself in a loop ends there.
const MAX_DEPTH: usize = 24;

/// A JSON-LD document in expanded or flattened form brought to the compact
/// form the W3C context gives (`target`, `selector`, `TextQuoteSelector`
/// …); the compact form passes through unchanged. `nodes` are the
/// flattened graph's nodes by id, to resolve references.
fn compact(v: &Value, nodes: &serde_json::Map<String, Value>, depth: usize) -> Value {
    match v {
        Value::Array(a) if a.len() == 1 => compact(&a[0], nodes, depth),
        Value::Array(a) => Value::Array(a.iter().map(|x| compact(x, nodes, depth)).collect()),
        Value::Object(o) => {
            if let Some(x) = o.get("@value") {
                return x.clone();
            }
            if let Some(list) = o.get("@list") {
                return match list {
                    Value::Array(a) => {
                        Value::Array(a.iter().map(|x| compact(x, nodes, depth)).collect())
                    }
                    x => Value::Array(vec![compact(x, nodes, depth)]),
                };
            }
            if o.len() == 1
                && let Some(Value::String(id)) = o.get("@id")
            {
                return match nodes.get(id) {
                    Some(n) if depth < MAX_DEPTH => compact(n, nodes, depth + 1),
                    _ => Value::String(local_iri(id)),
                };
            }
            let mut out = serde_json::Map::new();
            for (k, x) in o {
                if k == "@context" {
                    continue;
                }
                let name = term(k);
                let x = compact(x, nodes, depth);
                // Types, purposes and motivations are IRIs in the expanded
                // form and their last part in the compact one.
                let x = match (name.as_str(), x) {
                    ("type" | "purpose" | "motivation", Value::String(s)) => {
                        Value::String(local_iri(&s))
                    }
                    ("type" | "purpose" | "motivation", Value::Array(a)) => Value::Array(
                        a.into_iter()
                            .map(|x| match x {
                                Value::String(s) => Value::String(local_iri(&s)),
                                x => x,
                            })
                            .collect(),
                    ),
                    (_, x) => x,
                };
                out.insert(name, x);
            }
            Value::Object(out)
        }
        x => x.clone(),
    }
}

/// An IRI of the annotation vocabularies by its last part
/// (`oa:tagging` is `tagging`); any other IRI as it is.
fn local_iri(s: &str) -> String {
    VOCABULARIES
        .iter()
        .find_map(|v| s.strip_prefix(v))
        .unwrap_or(s)
        .to_string()
}

/// The article path a target's source names: gloss's URN, or the IRI as
/// it is (matched against article paths).
fn article_of(source: &str) -> String {
    match source.strip_prefix(ARTICLE) {
        Some(p) => percent_decode_str(p).decode_utf8_lossy().into_owned(),
        None => source.to_string(),
    }
}

/// What one annotation of the input is.
enum Item {
    /// Spans on one article (one per label of its tagging bodies).
    Spans(String, Vec<Span>),
    /// A relation between two annotations, by their ids.
    Link(ImportRelation),
    /// A label of a whole article.
    Classify(String, ImportDocLabel),
}

/// The labels and notes of an annotation's bodies: tagging (and
/// classifying, identifying) values are labels, commenting (describing)
/// values notes; a body with no purpose takes the annotation's motivation.
fn bodies(item: &Value, input: &mut Input, origin: &str) -> (Vec<String>, Vec<String>) {
    let motivations: Vec<String> = as_list(item.get("motivation"))
        .iter()
        .filter_map(|m| m.as_str().map(str::to_string))
        .collect();
    let (mut labels, mut notes) = (vec![], vec![]);
    let mut all = as_list(item.get("body"));
    let body_value = item.get("bodyValue");
    all.extend(body_value);
    for b in all {
        let (purpose, value) = match b {
            // `bodyValue`, or a body given as a plain string: a comment
            // unless the annotation is motivated by tagging.
            Value::String(v) => (None, Some(v.clone())),
            b => (
                b.get("purpose").and_then(Value::as_str).map(str::to_string),
                text_of(b, "value").or_else(|| text_of(b, "chars")),
            ),
        };
        let purpose = purpose.or_else(|| {
            motivations
                .iter()
                .find(|m| {
                    matches!(
                        m.as_str(),
                        "tagging" | "classifying" | "identifying" | "commenting" | "describing"
                    )
                })
                .cloned()
        });
        match (purpose.as_deref(), value) {
            (Some("tagging" | "classifying" | "identifying"), Some(v)) if !v.trim().is_empty() => {
                labels.push(v)
            }
            (Some("commenting" | "describing" | "replying" | "editing") | None, Some(v)) => {
                notes.push(v)
            }
            (_, None) if b.get("source").is_some() || b.get("id").is_some() => {
                input.unheld.push(Skip::new(
                    origin,
                    "a body that links to a resource (gloss holds text labels)",
                    text_of(b, "source")
                        .or_else(|| text_of(b, "id"))
                        .unwrap_or_default(),
                ));
            }
            _ => input
                .skipped
                .push(Skip::new(origin, "a body without a value", String::new())),
        }
    }
    (labels, notes)
}

/// Reads one annotation, or says why it is skipped.
fn read_item(
    item: &Value,
    origin: &str,
    input: &mut Input,
    untagged: &mut [usize; 2],
) -> Option<Item> {
    let motivations: Vec<&str> = as_list(item.get("motivation"))
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    let skip = |input: &mut Input, kind: &str, detail: String| {
        input.skipped.push(Skip::new(origin, kind, detail));
        None
    };
    let (mut labels, notes) = bodies(item, input, origin);
    let targets = as_list(item.get("target"));
    if targets.is_empty() {
        return skip(input, "an annotation without a target", String::new());
    }
    if motivations.contains(&"linking") {
        // gloss's relations: a label, and the two annotations it links.
        let ends: Vec<String> = targets
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string).or_else(|| text_of(t, "id")))
            .collect();
        let [from, to] = &ends[..] else {
            return skip(
                input,
                "a link without two targets",
                format!("{} target(s)", ends.len()),
            );
        };
        return Some(Item::Link(ImportRelation {
            id: text_of(item, "id").map(|id| tail_id(&id)),
            label: labels.first().cloned().unwrap_or_default(),
            from: from.clone(),
            to: to.clone(),
            note: (!notes.is_empty()).then(|| notes.join("\n")),
            origin: origin.to_string(),
        }));
    }
    let mut spans = vec![];
    let mut path = None;
    for target in targets {
        // A plain IRI, or a target without selectors: the whole document.
        let (source, selectors) = match target {
            Value::String(s) => (Some(s.clone()), vec![]),
            t => (
                text_of(t, "source").or_else(|| text_of(t, "id")),
                as_list(t.get("selector")),
            ),
        };
        let Some(source) = source else {
            skip(
                input,
                "a target without a source",
                "which article it is on is not said".into(),
            );
            continue;
        };
        let article = article_of(&source);
        if selectors.is_empty() {
            if labels.is_empty() {
                input.unheld.push(Skip::new(
                    origin,
                    "a comment on a whole document",
                    String::new(),
                ));
                return None;
            }
            let label = labels.join(", ");
            let (group, label) = match label.split_once(": ") {
                Some((g, l)) => (g.to_string(), l.to_string()),
                None => ("tag".to_string(), label),
            };
            return Some(Item::Classify(
                article,
                ImportDocLabel {
                    id: None,
                    group,
                    label,
                    origin: origin.to_string(),
                },
            ));
        }
        let mut place: Option<(usize, usize)> = None;
        let mut quote = None;
        let mut context = None;
        for sel in &selectors {
            match sel.get("type").and_then(Value::as_str) {
                Some("TextPositionSelector") => {
                    match (json_offset(sel.get("start")), json_offset(sel.get("end"))) {
                        (Some(a), Some(b)) => place = Some((a, b)),
                        _ => {
                            skip(
                                input,
                                "a TextPositionSelector whose start and end are not whole numbers",
                                String::new(),
                            );
                        }
                    }
                }
                Some("TextQuoteSelector") => {
                    quote = text_of(sel, "exact");
                    context = Some((
                        text_of(sel, "prefix").unwrap_or_default(),
                        text_of(sel, "suffix").unwrap_or_default(),
                    ));
                }
                Some(other) => input.unheld.push(Skip::new(
                    origin,
                    "a selector gloss does not read",
                    other.to_string(),
                )),
                None => {}
            }
        }
        if place.is_none() && quote.is_none() {
            skip(
                input,
                "a target with neither a position nor a quote",
                String::new(),
            );
            continue;
        }
        if labels.is_empty() {
            // A highlight (no body, as recogito's text annotator and
            // Hypothesis write) or a comment on a passage: a gloss span
            // needs a label, so it gets one that says which, and the
            // summary counts them.
            let (label, k) = if notes.is_empty() {
                (HIGHLIGHT, 0)
            } else {
                (COMMENT, 1)
            };
            untagged[k] += 1;
            labels.push(label.to_string());
        }
        path.get_or_insert_with(|| article.clone());
        if path.as_deref() != Some(article.as_str()) {
            skip(input, "an annotation on two articles", String::new());
            continue;
        }
        for label in &labels {
            let (start, end) = place.unwrap_or((0, 0));
            spans.push(Span {
                start: CharPos(start),
                end: CharPos(end),
                label: label.clone(),
                note: (!notes.is_empty()).then(|| notes.join("\n")),
                quote: quote.clone(),
                context: context.clone(),
                quote_only: place.is_none(),
                id: (labels.len() == 1)
                    .then(|| text_of(item, "id").map(|id| tail_id(&id)))
                    .flatten(),
                link: text_of(item, "id"),
                created: text_of(item, "created"),
                annotator: item.get("creator").and_then(|c| match c {
                    Value::String(s) => Some(s.clone()),
                    c => text_of(c, "name").or_else(|| text_of(c, "nickname")),
                }),
                origin: origin.to_string(),
                fragments: vec![],
                part_of: None,
                attributes: vec![],
                norms: vec![],
            });
        }
    }
    Some(Item::Spans(path?, spans))
}

/// The labels given to passages annotated without a tag: a highlight (no
/// body at all) and a comment.
const HIGHLIGHT: &str = "highlight";
const COMMENT: &str = "comment";

/// The last part of an annotation's id: gloss's own URNs end in the
/// annotation's id, percent-encoded.
fn tail_id(id: &str) -> String {
    let tail = id.rsplit(':').next().unwrap_or(id);
    percent_decode_str(tail).decode_utf8_lossy().into_owned()
}

/// Reads W3C annotations in any JSON-LD form (compact, expanded or
/// flattened): a collection, a page, an array of annotations or one.
/// An annotation that cannot be read is skipped with why; the rest are.
pub fn read(name: &str, src: &str) -> Result<Input, ReadError> {
    let v: Value = serde_json::from_str(src).map_err(|e| ReadError {
        origin: format!("{name}:{}", e.line()),
        message: format!("not JSON: {e}"),
    })?;
    // A flattened graph's nodes, by id, to resolve references.
    let mut nodes = serde_json::Map::new();
    let graph = v.get("@graph").and_then(Value::as_array);
    for n in graph.into_iter().flatten() {
        if let Some(id) = n.get("@id").and_then(Value::as_str) {
            nodes.insert(id.to_string(), n.clone());
        }
    }
    let is_annotation = |x: &Value| {
        as_list(x.get("type"))
            .iter()
            .any(|t| t.as_str() == Some("Annotation"))
    };
    let items: Vec<Value> = if let Some(graph) = graph {
        graph
            .iter()
            .map(|n| compact(n, &nodes, 0))
            .filter(is_annotation)
            .collect()
    } else {
        let v = compact(&v, &nodes, 0);
        match &v {
            Value::Array(a) => a.clone(),
            v if v.get("first").is_some() => as_list(v.get("first").and_then(|f| f.get("items")))
                .into_iter()
                .cloned()
                .collect(),
            v if v.get("items").is_some() => as_list(v.get("items")).into_iter().cloned().collect(),
            v => vec![v.clone()],
        }
    };
    if items.is_empty() {
        return Err(ReadError {
            origin: name.to_string(),
            message: "no annotation in it".into(),
        });
    }
    let mut input = Input::default();
    let mut links = vec![];
    // Which article each annotation (by its id) is on, for the links.
    let mut on: std::collections::HashMap<String, usize> = Default::default();
    let mut untagged = [0, 0];
    for (i, item) in items.iter().enumerate() {
        let origin = format!("{name}: annotation {}", i + 1);
        if !item.is_object() {
            input.skipped.push(Skip::new(
                origin,
                "an annotation that is not an object",
                String::new(),
            ));
            continue;
        }
        let doc_of = |input: &mut Input, path: String| -> usize {
            match input
                .docs
                .iter()
                .position(|d| d.path.as_deref() == Some(path.as_str()))
            {
                Some(k) => k,
                None => {
                    input.docs.push(ImportDoc {
                        origin: format!("{name}: {path}"),
                        path: Some(path),
                        // The model counts code points.
                        codepoints_sure: true,
                        ..ImportDoc::default()
                    });
                    input.docs.len() - 1
                }
            }
        };
        match read_item(item, &origin, &mut input, &mut untagged) {
            Some(Item::Spans(path, spans)) => {
                let k = doc_of(&mut input, path);
                for s in &spans {
                    if let Some(l) = &s.link {
                        on.insert(l.clone(), k);
                    }
                }
                input.docs[k].spans.extend(spans);
            }
            Some(Item::Classify(path, label)) => {
                let k = doc_of(&mut input, path);
                input.docs[k].doc_labels.push(label);
            }
            Some(Item::Link(r)) => links.push(r),
            None => {}
        }
    }
    for (n, label, what) in [
        (untagged[0], HIGHLIGHT, "highlight(s) without a tag"),
        (untagged[1], COMMENT, "comment(s) without a tag"),
    ] {
        if n > 0 {
            input.notes.push(format!(
                "{name}: {n} {what} imported under the label {label:?} (a gloss span needs a label)"
            ));
        }
    }
    for r in links {
        match on.get(&r.from) {
            Some(&k) => input.docs[k].relations.push(r),
            None => input.skipped.push(Skip::new(
                r.origin.clone(),
                "a link to an annotation not in the input",
                r.from,
            )),
        }
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urns_round_trip_odd_paths() {
        let rel = "sub dir/ü \"q\"#1.txt";
        let urn = article_urn(rel);
        assert!(!urn.contains(' ') && !urn.contains('#'));
        let back = percent_decode_str(urn.strip_prefix(ARTICLE).unwrap()).decode_utf8_lossy();
        assert_eq!(back, rel);
    }
}
