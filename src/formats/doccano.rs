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

use super::{Article, Exporter, ImportDoc, ReadError, Span, json_lines};

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
    article: &'a str,
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
        let line = Line {
            text: a.text.as_str(),
            label,
            article: a.rel,
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
    start_offset: usize,
    end_offset: usize,
    label: String,
}

#[derive(Deserialize)]
struct InLine {
    text: String,
    #[serde(default, alias = "labels")]
    label: Vec<(usize, usize, String)>,
    #[serde(default)]
    entities: Vec<Entity>,
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
        let triples = l.label.into_iter().chain(
            l.entities
                .into_iter()
                .map(|e| (e.start_offset, e.end_offset, e.label)),
        );
        let spans = triples
            .enumerate()
            .map(|(k, (start, end, label))| Span {
                start,
                end,
                label,
                origin: format!("{origin} label {}", k + 1),
                ..Span::default()
            })
            .collect();
        docs.push(ImportDoc {
            origin,
            path: l.article.or(from_meta),
            text: Some(l.text),
            spans,
        });
    }
    Ok(docs)
}
