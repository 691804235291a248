//! `conll` and `conll2003`: BIO tags per token, a blank line after each
//! sentence, a `-DOCSTART-` line and a blank line before each article.
//! `conll` is two columns, `TOKEN TAG`; `conll2003` the four columns of the
//! CoNLL-2003 shared task, `TOKEN POS CHUNK TAG`, gloss having no parts of
//! speech or chunks to give (`-X- _`, as Label Studio's converter writes).
//! Tokens are Unicode words (UAX #29) or white-space runs (`--tokenizer`);
//! sentences are Unicode sentences (UAX #29).
//!
//! Tags are per token: a token takes the label of the span it overlaps, `B-`
//! on the span's first token and at the start of a sentence, `I-` after.
//! Overlapping spans cannot all be BIO tags: **the longer span wins** (then
//! the earlier, then the label's name), and the others are counted and
//! reported as dropped. White space in a label becomes `_`.
//!
//! Import reads both layouts (the token first, the tag last), and IOB1,
//! IOB2 and BIOES tags; an article is found by its tokens (its text without
//! white space), each span placed where its tokens stand in it.

use std::io::{self, Write};

use super::tokens::{self, Cutter};
use super::{Article, Exporter, ImportDoc, Input, LabelNames, Skip, Tagged};

pub struct ConllExporter<W: Write> {
    out: W,
    four_columns: bool,
    tokenizer: Cutter,
    dropped: usize,
    /// Labels as tags without white space, kept apart.
    names: LabelNames,
}

impl<W: Write> ConllExporter<W> {
    /// Two columns, or with `four_columns` CoNLL-2003's four.
    pub fn new(out: W, four_columns: bool, tokenizer: Cutter) -> Self {
        ConllExporter {
            out,
            four_columns,
            tokenizer,
            dropped: 0,
            names: LabelNames::default(),
        }
    }
}

/// A label as a tag: white space would split the line's columns.
pub fn tag_name(label: &str) -> String {
    label
        .chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

/// A sentence's tokens, each with its tag.
pub type TaggedSentence<'t> = Vec<(&'t str, String)>;

/// An article's spans as tags: overlaps resolved (the longer wins), each
/// label spelled as a tag. Returns the sentences' (token, tag) pairs and
/// how many spans were dropped.
pub fn tagged_sentences<'t>(
    a: &Article<'t>,
    how: &mut Cutter,
    names: &mut LabelNames,
) -> io::Result<(Vec<TaggedSentence<'t>>, usize)> {
    let (spans, dropped) = tokens::entity_spans(a.anns);
    let spans: Vec<_> = spans
        .into_iter()
        .map(|(r, l)| (r, names.name(&l, tag_name)))
        .collect();
    let text: &'t str = a.text.as_str();
    let out = how
        .sentences(a.text)?
        .into_iter()
        .map(|toks| {
            let tags = tokens::bio(&toks, &spans);
            toks.into_iter().map(|r| &text[r]).zip(tags).collect()
        })
        .collect();
    Ok((out, dropped))
}

impl<W: Write + Send> Exporter for ConllExporter<W> {
    fn dropped(&self) -> usize {
        self.dropped
    }

    fn article(&mut self, a: &Article) -> io::Result<()> {
        let (sentences, dropped) = tagged_sentences(a, &mut self.tokenizer, &mut self.names)?;
        self.dropped += dropped;
        if self.four_columns {
            writeln!(self.out, "-DOCSTART- -X- -X- O\n")?;
        } else {
            writeln!(self.out, "-DOCSTART- O\n")?;
        }
        for s in sentences {
            for (word, tag) in s {
                if self.four_columns {
                    writeln!(self.out, "{word} -X- _ {tag}")?;
                } else {
                    writeln!(self.out, "{word} {tag}")?;
                }
            }
            writeln!(self.out)?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<Vec<String>> {
        self.out.flush()?;
        let mut warnings = self.names.warnings("conll", "a tag holds no white space");
        if self.dropped > 0 {
            warnings.push(format!(
                "conll: dropped {} overlapping or empty span(s); the longer span wins",
                self.dropped
            ));
        }
        Ok(warnings)
    }
}

/// Reads CoNLL (two columns, four, or any number: the token first, the
/// tag last). `-DOCSTART-` lines start a document; a file without them is
/// one document. A line of one column is skipped with its place.
pub fn read(name: &str, src: &str) -> Input {
    let mut input = Input::default();
    let mut doc = ImportDoc::default();
    let flush = |doc: &mut ImportDoc, input: &mut Input| {
        if !doc.tagged.is_empty() {
            input.docs.push(std::mem::take(doc));
        }
    };
    for (i, line) in src.lines().enumerate() {
        let origin = format!("{name}:{}", i + 1);
        let cols: Vec<&str> = line.split_whitespace().collect();
        match cols.as_slice() {
            [] => {}
            [first, ..] if *first == "-DOCSTART-" => {
                flush(&mut doc, &mut input);
                doc.origin = origin;
            }
            [_] => input.skipped.push(Skip::new(
                origin,
                "a line without a tag",
                line.chars().take(40).collect::<String>(),
            )),
            [token, .., tag] => {
                if doc.tagged.is_empty() && doc.origin.is_empty() {
                    doc.origin = origin.clone();
                }
                doc.tagged.push(Tagged {
                    token: token.to_string(),
                    tag: tag.to_string(),
                    origin,
                });
            }
        }
    }
    flush(&mut doc, &mut input);
    input
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_layouts_read_token_first_tag_last() {
        let src = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nlonely\n\n-DOCSTART- O\n\nPeter B-PER\nBlackburn I-PER\n";
        let input = read("in", src);
        assert_eq!(input.docs.len(), 2);
        let tags: Vec<&str> = input.docs[0]
            .tagged
            .iter()
            .map(|t| t.tag.as_str())
            .collect();
        assert_eq!(tags, ["B-ORG", "O"]);
        assert_eq!(input.docs[1].tagged[1].token, "Blackburn");
        assert_eq!(input.skipped[0].origin, "in:5");
    }
}
