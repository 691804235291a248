//! `hf`: Hugging Face token classification, JSON Lines with a sentence a
//! line, as `datasets.load_dataset("json", …)` reads it and the token
//! classification examples train on:
//!
//! ```json
//! {"id": "a.txt:0", "article": "a.txt", "sentence": 0, "tokens": ["Mike", "Pompeo", "met"], "ner_tags": ["B-PERSON", "I-PERSON", "O"]}
//! ```
//!
//! Tags are BIO strings (the examples build their label list from them);
//! tokens and sentences as for CoNLL (`--tokenizer`), overlaps resolved
//! the same way (the longer span wins, the others counted).
//!
//! Import takes the lines of one article (by `article`, or each line alone
//! when there is none) as one document, found by its path or its tokens.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use super::conll::{tag_name, tagged_sentences};
use super::tokens::Cutter;
use super::{
    Article, Exporter, ImportDoc, Input, LabelNames, ReadError, Skip, Tagged, for_each_record,
    json_str,
};

#[derive(Serialize)]
struct Line<'a> {
    id: String,
    article: &'a str,
    sentence: usize,
    tokens: Vec<&'a str>,
    ner_tags: Vec<String>,
}

pub struct HfExporter<W: Write> {
    out: W,
    tokenizer: Cutter,
    dropped: usize,
    names: LabelNames,
}

impl<W: Write> HfExporter<W> {
    pub fn new(out: W, tokenizer: Cutter) -> Self {
        HfExporter {
            out,
            tokenizer,
            dropped: 0,
            names: LabelNames::default(),
        }
    }
}

impl<W: Write + Send> Exporter for HfExporter<W> {
    fn dropped(&self) -> usize {
        self.dropped
    }

    fn article(&mut self, a: &Article) -> io::Result<()> {
        let (sentences, dropped) = tagged_sentences(a, &mut self.tokenizer, &mut self.names)?;
        self.dropped += dropped;
        for (k, s) in sentences.into_iter().enumerate() {
            let (tokens, ner_tags) = s.into_iter().unzip();
            let line = Line {
                id: format!("{}:{k}", a.rel),
                article: a.rel,
                sentence: k,
                tokens,
                ner_tags,
            };
            serde_json::to_writer(&mut self.out, &line)?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<Vec<String>> {
        self.out.flush()?;
        let mut warnings = self.names.warnings("hf", "a tag holds no white space");
        if self.dropped > 0 {
            warnings.push(format!(
                "hf: dropped {} overlapping or empty span(s); the longer span wins",
                self.dropped
            ));
        }
        Ok(warnings)
    }
}

/// Reads token classification JSON Lines: `tokens` and `ner_tags` (or
/// `tags`, `labels`) of one length, tags as BIO strings.
pub fn read(name: &str, src: &str) -> Result<Input, ReadError> {
    let mut input = Input::default();
    for_each_record(name, src, &mut input, |origin, l, input| {
        let list = |k: &str| l.get(k).and_then(Value::as_array);
        let Some(tokens) = list("tokens") else {
            input
                .skipped
                .push(Skip::new(origin, "a line without tokens", String::new()));
            return;
        };
        let Some(tags) = list("ner_tags")
            .or_else(|| list("tags"))
            .or_else(|| list("labels"))
        else {
            input
                .skipped
                .push(Skip::new(origin, "a line without ner_tags", String::new()));
            return;
        };
        if tokens.len() != tags.len() {
            input.skipped.push(Skip::new(
                origin,
                "a line whose tokens and tags differ in number",
                format!("{} tokens, {} tags", tokens.len(), tags.len()),
            ));
            return;
        }
        let strings: Option<Vec<(String, String)>> = tokens
            .iter()
            .zip(tags)
            .map(|(t, g)| Some((t.as_str()?.to_string(), g.as_str()?.to_string())))
            .collect();
        let Some(pairs) = strings else {
            input.skipped.push(Skip::new(
                origin,
                "a line whose tokens or tags are not strings",
                "tags given as numbers name labels the file does not hold (map them to names first)",
            ));
            return;
        };
        let article = json_str(l.get("article"));
        let tagged = pairs.into_iter().map(|(token, tag)| Tagged {
            token,
            tag: tag_name(&tag),
            origin: origin.clone(),
        });
        match input.docs.last_mut() {
            Some(d) if article.is_some() && d.path == article => d.tagged.extend(tagged),
            _ => input.docs.push(ImportDoc {
                origin: origin.clone(),
                path: article,
                tagged: tagged.collect(),
                ..ImportDoc::default()
            }),
        }
    })?;
    Ok(input)
}
