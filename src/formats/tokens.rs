//! Tokens and BIO tags, for the formats that label tokens rather than
//! spans (CoNLL, CoNLL-2003, Hugging Face token classification): cutting an
//! article into sentences of tokens, tagging them from spans, and the way
//! back, finding tokens in an article and spans in their tags.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// How an article is cut into tokens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Tokenizer {
    /// Unicode words (UAX #29): punctuation apart, `don't` one token
    #[default]
    Uax29,
    /// Runs of characters between white space
    Whitespace,
    /// spaCy's tokenizer and sentencizer for `--lang`, run in Python (an
    /// optional step: needs Python with spaCy, `--python`)
    Spacy,
}

/// The built-in ways of cutting words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    /// Unicode words (UAX #29)
    Unicode,
    /// Runs of characters between white space
    Whitespace,
}

/// A tokenizer at work: a built-in one, or spaCy's running in Python.
pub enum Cutter {
    Words(Words),
    Spacy(Box<super::spacy_tokens::SpacyTokenizer>),
}

impl Cutter {
    /// The tokenizer `how`; spaCy's is started in `python` for `lang`
    /// (failing, with what to install, when it cannot be).
    pub fn start(how: Tokenizer, python: &str, lang: &str) -> Result<Cutter, String> {
        Ok(match how {
            Tokenizer::Uax29 => Cutter::Words(Words::Unicode),
            Tokenizer::Whitespace => Cutter::Words(Words::Whitespace),
            Tokenizer::Spacy => Cutter::Spacy(Box::new(
                super::spacy_tokens::SpacyTokenizer::start(python, lang)?,
            )),
        })
    }

    /// `text`'s sentences, each as the byte ranges of its tokens.
    pub fn sentences(
        &mut self,
        text: &crate::core::text::Text,
    ) -> std::io::Result<Vec<Vec<Range<usize>>>> {
        match self {
            Cutter::Words(how) => Ok(sentences(text.as_str(), *how)),
            Cutter::Spacy(s) => s.sentences(text),
        }
    }
}

/// A character that shows nothing: U+FEFF (a byte order mark), zero-width
/// spaces, joiners and direction marks, the word joiner, a soft hyphen.
/// Never a token, nor part of one's edge.
pub fn invisible(c: char) -> bool {
    matches!(c, '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{ad}')
}

fn blank(c: char) -> bool {
    c.is_whitespace() || invisible(c)
}

/// The sentences of `text` (UAX #29), each as the byte ranges of its
/// tokens; sentences without a token are left out.
pub fn sentences(text: &str, how: Words) -> Vec<Vec<Range<usize>>> {
    let mut out = vec![];
    for (s_off, sentence) in text.split_sentence_bound_indices() {
        let mut toks = vec![];
        match how {
            Words::Unicode => {
                for (w_off, word) in sentence.split_word_bound_indices() {
                    if !word.chars().all(blank) {
                        let r = s_off + w_off..s_off + w_off + word.len();
                        toks.push(trim(text, r));
                    }
                }
            }
            Words::Whitespace => {
                let mut start = None;
                for (i, c) in sentence.char_indices() {
                    match (blank(c), start) {
                        (true, Some(s)) => {
                            toks.push(s_off + s..s_off + i);
                            start = None;
                        }
                        (false, None) => start = Some(i),
                        _ => {}
                    }
                }
                if let Some(s) = start {
                    toks.push(s_off + s..s_off + sentence.len());
                }
            }
        }
        if !toks.is_empty() {
            out.push(toks);
        }
    }
    out
}

/// `text`'s sentences of Unicode words, each word cut again at every
/// byte offset of `cuts` (sorted) inside it: so that spans whose edges are
/// the cuts are whole tokens.
pub fn sentences_cut_at(text: &str, cuts: &[usize]) -> Vec<Vec<Range<usize>>> {
    sentences(text, Words::Unicode)
        .into_iter()
        .map(|sent| {
            let mut out = vec![];
            for t in sent {
                let lo = cuts.partition_point(|&c| c <= t.start);
                let hi = cuts.partition_point(|&c| c < t.end);
                let mut at = t.start;
                for &c in &cuts[lo..hi] {
                    if c > at && text.is_char_boundary(c) {
                        out.push(at..c);
                        at = c;
                    }
                }
                out.push(at..t.end);
            }
            out
        })
        .collect()
}

/// `r` without invisible characters at its edges.
fn trim(text: &str, mut r: Range<usize>) -> Range<usize> {
    while let Some(c) = text[r.clone()].chars().next().filter(|c| invisible(*c)) {
        r.start += c.len_utf8();
    }
    while let Some(c) = text[r.clone()]
        .chars()
        .next_back()
        .filter(|c| invisible(*c))
    {
        r.end -= c.len_utf8();
    }
    r
}

/// Spans that do not overlap, longer first; and how many were dropped.
pub fn resolve_overlaps<L: Ord + Clone>(
    mut spans: Vec<(Range<usize>, L)>,
) -> (Vec<(Range<usize>, L)>, usize) {
    spans.sort_by(|a, b| (b.0.len(), a.0.start, &a.1).cmp(&(a.0.len(), b.0.start, &b.1)));
    let mut kept: Vec<(Range<usize>, L)> = vec![];
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

/// An article's annotations as spans a token format can hold: no two
/// overlapping (the longer wins), sorted; and how many were dropped.
pub fn entity_spans(
    anns: &[crate::core::annotation::Annotation],
) -> (Vec<(Range<usize>, String)>, usize) {
    resolve_overlaps(anns.iter().map(|x| (x.range(), x.label.clone())).collect())
}

/// The BIO tag of each token of one sentence, from spans that do not
/// overlap (sorted by start): `B-` on a span's first token in the
/// sentence, `I-` after, `O` outside. A token a span only touches part of
/// takes its label all the same (tags are per token).
pub fn bio(tokens: &[Range<usize>], spans: &[(Range<usize>, String)]) -> Vec<String> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut next = spans.partition_point(|s| tokens.first().is_some_and(|t| s.0.end <= t.start));
    let mut prev = None;
    for tok in tokens {
        while next < spans.len() && spans[next].0.end <= tok.start {
            next += 1;
        }
        let covering = (next < spans.len() && spans[next].0.start < tok.end).then_some(next);
        out.push(match covering {
            Some(i) => format!("{}-{}", if prev == Some(i) { "I" } else { "B" }, spans[i].1),
            None => "O".to_string(),
        });
        prev = covering;
    }
    out
}

/// Where each of `tokens` stands in `text`, in order, from byte `from`:
/// each after the one before, only white space (or invisible characters)
/// between them. Else the index of the first token that is not there.
pub fn align(text: &str, tokens: &[&str], from: usize) -> Result<Vec<Range<usize>>, usize> {
    let mut at = from;
    let mut out = Vec::with_capacity(tokens.len());
    for (i, tok) in tokens.iter().enumerate() {
        let rest = &text[at..];
        let skip = rest.len() - rest.trim_start_matches(blank).len();
        at += skip;
        if !text[at..].starts_with(tok) || tok.is_empty() {
            return Err(i);
        }
        out.push(at..at + tok.len());
        at += tok.len();
    }
    Ok(out)
}

/// The spans that tags name, over the tokens at `ranges`: IOB2 (`B-`
/// starts one), IOB1 (an `I-` after `O` or another label starts one) and
/// BIOES/BILOU (`S-`/`U-` a span of one token, `E-`/`L-` its last).
/// Returns (span, label) and the tags that are none of these.
pub fn spans_of(
    ranges: &[Range<usize>],
    tags: &[&str],
) -> (Vec<(Range<usize>, String)>, Vec<usize>) {
    let mut out: Vec<(Range<usize>, String)> = vec![];
    let mut bad = vec![];
    let mut open: Option<(usize, String)> = None; // index in `out`, label
    for (i, (r, tag)) in ranges.iter().zip(tags).enumerate() {
        if *tag == "O" || tag.is_empty() {
            open = None;
            continue;
        }
        let Some((prefix, label)) = tag.split_once('-') else {
            bad.push(i);
            open = None;
            continue;
        };
        let label = label.to_string();
        let continues =
            matches!(prefix, "I" | "E" | "L") && open.as_ref().is_some_and(|(_, l)| *l == label);
        match prefix {
            "B" | "I" | "E" | "L" | "S" | "U" => {}
            _ => {
                bad.push(i);
                open = None;
                continue;
            }
        }
        if continues {
            let k = open.as_ref().expect("open").0;
            out[k].0.end = r.end;
        } else {
            out.push((r.clone(), label.clone()));
            open = Some((out.len() - 1, label));
        }
        if matches!(prefix, "E" | "L" | "S" | "U") {
            open = None;
        }
    }
    (out, bad)
}

/// `text` without white space or invisible characters: what identifies an
/// article from its tokens, however they were cut.
pub fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !blank(*c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_tags_round_trip() {
        let text = "\u{feff}Mike Pompeo met Mark Esper. In Delhi, they talked.\n";
        let sents = sentences(text, Words::Unicode);
        assert_eq!(sents.len(), 2);
        let words: Vec<&str> = sents[0].iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(words, ["Mike", "Pompeo", "met", "Mark", "Esper", "."]);
        let at = |s: &str| text.find(s).unwrap()..text.find(s).unwrap() + s.len();
        let spans = vec![
            (at("Mike Pompeo"), "PER".to_string()),
            (at("Esper"), "PER".to_string()),
        ];
        let tags = bio(&sents[0], &spans);
        assert_eq!(tags, ["B-PER", "I-PER", "O", "O", "B-PER", "O"]);
        let back = align(text, &words, 0).unwrap();
        assert_eq!(back, sents[0]);
        let t: Vec<&str> = tags.iter().map(String::as_str).collect();
        assert_eq!(spans_of(&back, &t).0, spans);
        assert_eq!(squeezed(text), "MikePompeometMarkEsper.InDelhi,theytalked.");
        let ws = sentences("a  b\tc", Words::Whitespace);
        assert_eq!(ws, [vec![0..1, 3..4, 5..6]]);
    }

    #[test]
    fn every_tag_scheme_reads() {
        let r: Vec<Range<usize>> = (0..6).map(|i| i * 2..i * 2 + 1).collect();
        // IOB1: I- after O starts a span; BIOES: S- alone, E- ends.
        let (s, bad) = spans_of(&r, &["I-A", "I-A", "O", "S-B", "B-C", "E-C"]);
        assert!(bad.is_empty());
        assert_eq!(
            s,
            [(0..3, "A".into()), (6..7, "B".into()), (8..11, "C".into())]
        );
        let (_, bad) = spans_of(&r, &["X-A", "PER", "O", "O", "O", "O"]);
        assert_eq!(bad, [0, 1]);
    }
}
