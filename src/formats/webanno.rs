//! `webanno`: W3C Web Annotation JSON-LD. One `AnnotationCollection` whose
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

use super::{Article, CharPos, Exporter, ImportDoc, ReadError, Span};
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

pub struct WebAnnoExporter<W: Write> {
    out: W,
    total: usize,
}

impl<W: Write> WebAnnoExporter<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        writeln!(
            out,
            "{{\n  \"@context\": \"{CONTEXT}\",\n  \"id\": \"urn:gloss:collection\",\n  \"type\": \"AnnotationCollection\",\n  \"label\": \"gloss annotations\",\n  \"first\": {{\n    \"type\": \"AnnotationPage\",\n    \"items\": ["
        )?;
        Ok(WebAnnoExporter { out, total: 0 })
    }
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    purpose: &'a str,
    value: &'a str,
}

impl<W: Write> WebAnnoExporter<W> {
    fn item(&mut self, item: &Value) -> io::Result<()> {
        let sep = if self.total == 0 { "" } else { ",\n" };
        write!(self.out, "{sep}      ")?;
        serde_json::to_writer(&mut self.out, item)?;
        self.total += 1;
        Ok(())
    }
}

impl<W: Write + Send> Exporter for WebAnnoExporter<W> {
    fn article(&mut self, a: &Article) -> io::Result<()> {
        let source = article_urn(a.rel);
        for x in a.anns {
            let (s, e) = a.chars(x);
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

/// Reads one annotation; `None` when it is not a textual one we can place.
fn read_item(item: &Value, origin: &str) -> Result<(String, Span), ReadError> {
    let bad = |m: &str| ReadError {
        origin: origin.to_string(),
        message: m.to_string(),
    };
    let target = as_list(item.get("target"))
        .into_iter()
        .next()
        .ok_or_else(|| bad("no target"))?;
    let source = text_of(target, "source").ok_or_else(|| bad("the target has no source"))?;
    let path = match source.strip_prefix(ARTICLE) {
        Some(p) => percent_decode_str(p).decode_utf8_lossy().into_owned(),
        None => source.clone(),
    };
    let mut span = Span {
        origin: origin.to_string(),
        ..Span::default()
    };
    let mut have_position = false;
    for sel in as_list(target.get("selector")) {
        match sel.get("type").and_then(Value::as_str) {
            Some("TextPositionSelector") => {
                let num = |k: &str| sel.get(k).and_then(Value::as_u64).map(|n| n as usize);
                span.start =
                    CharPos(num("start").ok_or_else(|| bad("TextPositionSelector without start"))?);
                span.end =
                    CharPos(num("end").ok_or_else(|| bad("TextPositionSelector without end"))?);
                have_position = true;
            }
            Some("TextQuoteSelector") => span.quote = text_of(sel, "exact"),
            _ => {}
        }
    }
    if !have_position {
        return Err(bad(
            "gloss needs a TextPositionSelector to place an annotation",
        ));
    }
    for b in as_list(item.get("body")) {
        let purpose = b.get("purpose").and_then(Value::as_str);
        let value = text_of(b, "value");
        match (purpose, value) {
            (Some("tagging") | Some("classifying") | Some("identifying"), Some(v))
                if span.label.is_empty() =>
            {
                span.label = v
            }
            (Some("commenting") | Some("describing"), Some(v)) => span.note = Some(v),
            _ => {}
        }
    }
    if span.label.is_empty() {
        return Err(bad("no tagging body carries a label"));
    }
    span.id = text_of(item, "id").map(|id| {
        let tail = id.rsplit(':').next().unwrap_or(&id);
        percent_decode_str(tail).decode_utf8_lossy().into_owned()
    });
    span.created = text_of(item, "created");
    span.annotator = item.get("creator").and_then(|c| match c {
        Value::String(s) => Some(s.clone()),
        c => text_of(c, "name").or_else(|| text_of(c, "nickname")),
    });
    Ok((path, span))
}

/// Reads a collection, a page, an array of annotations or one annotation.
pub fn read(name: &str, src: &str) -> Result<Vec<ImportDoc>, ReadError> {
    let v: Value = serde_json::from_str(src).map_err(|e| ReadError {
        origin: format!("{name}:{}", e.line()),
        message: format!("not JSON: {e}"),
    })?;
    let items: Vec<&Value> = match &v {
        Value::Array(a) => a.iter().collect(),
        v if v.get("first").is_some() => as_list(v.get("first").and_then(|f| f.get("items"))),
        v if v.get("items").is_some() => as_list(v.get("items")),
        v => vec![v],
    };
    let mut docs: Vec<ImportDoc> = vec![];
    for (i, item) in items.into_iter().enumerate() {
        let origin = format!("{name}: annotation {}", i + 1);
        // Relations and document labels (as gloss writes them) are not
        // read back from this format yet.
        if as_list(item.get("motivation"))
            .iter()
            .any(|m| matches!(m.as_str(), Some("linking" | "classifying")))
        {
            continue;
        }
        let (path, span) = read_item(item, &origin)?;
        match docs
            .iter_mut()
            .find(|d| d.path.as_deref() == Some(path.as_str()))
        {
            Some(d) => d.spans.push(span),
            None => docs.push(ImportDoc {
                origin: format!("{name}: {path}"),
                path: Some(path),
                text: None,
                spans: vec![span],
                ..ImportDoc::default()
            }),
        }
    }
    Ok(docs)
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
