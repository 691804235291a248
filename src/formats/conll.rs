//! `conll`: CoNLL-style BIO tags, one `TOKEN TAG` per line, a blank line
//! after each sentence, and `-DOCSTART- O` then a blank line before each
//! article. Tokens are Unicode words (UAX #29 word boundaries, white space
//! dropped); sentences are Unicode sentences (UAX #29).
//!
//! Tags are per token: a token takes the label of the span it overlaps, `B-`
//! on the span's first token and at the start of a sentence, `I-` after.
//! Tags are token-level, so a span that ends inside a token covers all of it.
//! Overlapping spans cannot all be BIO tags: **the longer span wins** (then
//! the earlier, then the label's name), and the others are counted and
//! reported as dropped. White space in a label becomes `_`.

use std::io::{self, Write};
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::{Article, Exporter, LabelNames};

pub struct ConllExporter<W: Write> {
    out: W,
    dropped: usize,
    /// Labels as tags without white space, kept apart.
    names: LabelNames,
}

impl<W: Write> ConllExporter<W> {
    pub fn new(out: W) -> Self {
        ConllExporter {
            out,
            dropped: 0,
            names: LabelNames::default(),
        }
    }
}

/// A label as a tag: white space would split the line's columns.
fn tag_name(label: &str) -> String {
    label
        .chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

/// Spans that do not overlap, longer first; and how many were dropped.
pub fn resolve_overlaps(
    mut spans: Vec<(Range<usize>, &str)>,
) -> (Vec<(Range<usize>, &str)>, usize) {
    spans.sort_by(|a, b| (b.0.len(), a.0.start, a.1).cmp(&(a.0.len(), b.0.start, b.1)));
    let mut kept: Vec<(Range<usize>, &str)> = vec![];
    let mut dropped = 0;
    for s in spans {
        let overlaps = kept
            .iter()
            .any(|k| k.0.start < s.0.end && s.0.start < k.0.end);
        if s.0.is_empty() || overlaps {
            dropped += 1;
        } else {
            kept.push(s);
        }
    }
    kept.sort_by_key(|k| k.0.start);
    (kept, dropped)
}

/// A format character that shows nothing: U+FEFF (a byte order mark),
/// zero-width spaces, joiners and direction marks, the word joiner.
fn invisible(c: char) -> bool {
    matches!(c, '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{ad}')
}

impl<W: Write + Send> Exporter for ConllExporter<W> {
    fn dropped(&self) -> usize {
        self.dropped
    }

    fn article(&mut self, a: &Article) -> io::Result<()> {
        let spans = a
            .anns
            .iter()
            .map(|x| (x.range(), x.label.as_str()))
            .collect();
        let (spans, dropped) = resolve_overlaps(spans);
        self.dropped += dropped;
        writeln!(self.out, "-DOCSTART- O\n")?;
        let text = a.text.as_str();
        let mut next_span = 0;
        for (s_off, sentence) in text.split_sentence_bound_indices() {
            let mut wrote = false;
            let mut prev: Option<usize> = None; // index of the span of the previous token
            for (w_off, word) in sentence.split_word_bound_indices() {
                // White space, and characters that show nothing (a byte
                // order mark, zero-width spaces and joiners), are no token.
                if word.chars().all(|c| c.is_whitespace() || invisible(c)) {
                    continue;
                }
                let tok = s_off + w_off..s_off + w_off + word.len();
                while next_span < spans.len() && spans[next_span].0.end <= tok.start {
                    next_span += 1;
                }
                let covering = (next_span < spans.len() && spans[next_span].0.start < tok.end)
                    .then_some(next_span);
                let tag = match covering {
                    Some(i) => {
                        let label = self.names.name(spans[i].1, tag_name);
                        let b = if prev == Some(i) { "I" } else { "B" };
                        format!("{b}-{label}")
                    }
                    None => "O".to_string(),
                };
                prev = covering;
                writeln!(self.out, "{word} {tag}")?;
                wrote = true;
            }
            if wrote {
                writeln!(self.out)?;
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longer_spans_win() {
        let (kept, dropped) =
            resolve_overlaps(vec![(0..4, "A"), (2..10, "B"), (12..14, "C"), (3..3, "D")]);
        assert_eq!(kept, vec![(2..10, "B"), (12..14, "C")]);
        assert_eq!(dropped, 2);
    }
}
