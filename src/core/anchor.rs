//! Re-anchoring: finding an annotation again after its article changed.
//!
//! Every occurrence of the quote near the old place is a candidate, the old
//! place included, and each is scored on how much of the stored prefix and
//! suffix surrounds it; the old offsets win only where their context agrees
//! as well as any other's, and the nearest wins a tie. When the quote is no
//! longer there exactly (a typo fixed, a word changed), it is looked for
//! approximately, as Hypothesis does: the place near the old one within the
//! fewest edits (at most a quarter of its length), marked for review. No
//! candidate at all means the annotation is lost (an orphan), never
//! silently dropped.

use std::ops::Range;

use super::offset::{BytePos, CharPos};
use super::text::Text;

/// How many code points of context are stored on each side of a quote.
pub const CONTEXT_CHARS: usize = 32;

/// What is known of an annotation's place in the old text.
#[derive(Debug, Clone, Copy)]
pub struct Anchor<'a> {
    /// Where it was, in the old text.
    pub start: CharPos,
    pub end: CharPos,
    pub quote: &'a str,
    pub prefix: &'a str,
    pub suffix: &'a str,
}

/// How an annotation was found again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Its quote, exactly (at its old offsets or elsewhere).
    Exact,
    /// Text within `errors` edits of its quote: someone should look.
    Approximate { errors: usize },
}

/// Where an annotation lies in the new text (bytes), and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub how: How,
}

/// How many occurrences of a quote, nearest the old place first, are
/// weighed for each annotation. A quote found thousands of times (a space,
/// "the") would otherwise cost every annotation a pass over all of them:
/// 2,000 such annotations on an 860 KB article took 54 s. The right place
/// is near the old one unless the article was rewritten wholesale.
pub const MAX_CANDIDATES: usize = 256;

/// Approximate matching looks this many code points either side of the
/// old place (plus the quote's length).
const FUZZY_WINDOW: usize = 4096;
/// Quotes shorter than this are not matched approximately: with a quarter
/// of their length in edits, nearly anything would match.
const FUZZY_MIN_CHARS: usize = 8;
/// Nor longer than this (the work grows with the quote's length).
const FUZZY_MAX_CHARS: usize = 2048;
/// The most approximate-matching work (cells of the edit-distance table)
/// one text gets; past it, what is not found exactly is an orphan.
const FUZZY_BUDGET: usize = 400_000_000;

/// Where `a` lies in `text` now, or `None` if it is lost.
pub fn reanchor(text: &Text, a: Anchor<'_>) -> Option<Found> {
    Reanchorer::new(text).find(a)
}

/// Re-anchors many annotations on one text: each distinct quote is looked
/// for once, each annotation weighs at most `MAX_CANDIDATES` of its
/// occurrences, and approximate matching has a budget, so loading a
/// sidecar is linear in its size, whatever it quotes.
pub struct Reanchorer<'t> {
    text: &'t Text,
    /// Byte offsets of every occurrence of each quote seen so far.
    found: std::collections::HashMap<String, Vec<usize>>,
    weighed: usize,
    fuzzy_left: usize,
}

impl<'t> Reanchorer<'t> {
    pub fn new(text: &'t Text) -> Self {
        Reanchorer {
            text,
            found: Default::default(),
            weighed: 0,
            fuzzy_left: FUZZY_BUDGET,
        }
    }

    /// How many candidate places were weighed so far, over all finds.
    pub fn weighed(&self) -> usize {
        self.weighed
    }

    /// Where `a` lies in the text now: the occurrence of its quote (of the
    /// nearest ones, its old place among them) with the most of its stored
    /// context around it, the nearest on a tie; else the nearest place
    /// within a few edits of it; else `None`.
    pub fn find(&mut self, a: Anchor<'_>) -> Option<Found> {
        let text = self.text;
        if a.quote.is_empty() {
            return None;
        }
        let s = text.as_str();
        let all = self
            .found
            .entry(a.quote.to_string())
            .or_insert_with(|| occurrences(s, a.quote));
        // The old place, in bytes of the new text (past its end: the end).
        let old = text
            .char_to_byte(a.start.min(CharPos(text.char_len())))
            .map_or(s.len(), BytePos::get);
        if all.is_empty() {
            return self.find_approximately(a, old);
        }
        let mid = all.partition_point(|&at| at < old);
        // Outward from the old place, nearest first.
        let (mut lo, mut hi) = (mid, mid);
        let mut best: Option<(bool, usize, std::cmp::Reverse<usize>, usize)> = None;
        let n = MAX_CANDIDATES.min(all.len());
        self.weighed += n;
        for _ in 0..n {
            let take_lo = match (lo.checked_sub(1), all.get(hi)) {
                (Some(l), Some(&h)) => old - all[l] <= h - old,
                (Some(_), None) => true,
                (None, _) => false,
            };
            let at = if take_lo {
                lo -= 1;
                all[lo]
            } else {
                hi += 1;
                all[hi - 1]
            };
            let end = at + a.quote.len();
            let on_boundaries = text.is_grapheme_boundary(at) && text.is_grapheme_boundary(end);
            let score = context_score(s, at..end, a);
            let distance = text.byte_to_char(BytePos(at)).abs_diff(a.start);
            let key = (on_boundaries, score, std::cmp::Reverse(distance), at);
            if best.as_ref().is_none_or(|b| key > *b) {
                best = Some(key);
            }
        }
        match best {
            // A span never splits a grapheme cluster: an occurrence inside
            // one (an "e" whose accent follows) is no place for it.
            Some((true, _, _, at)) => Some(Found {
                range: at..at + a.quote.len(),
                how: How::Exact,
            }),
            _ => self.find_approximately(a, old),
        }
    }

    /// The place near `old` (bytes) within the fewest edits of `a`'s quote,
    /// at most a quarter of its length; the most context, then the
    /// nearest, on a tie. Its ends are widened to whole graphemes.
    fn find_approximately(&mut self, a: Anchor<'_>, old: usize) -> Option<Found> {
        let text = self.text;
        let quote: Vec<char> = a.quote.chars().collect();
        let m = quote.len();
        if !(FUZZY_MIN_CHARS..=FUZZY_MAX_CHARS).contains(&m) {
            return None;
        }
        let max_errors = m / 4;
        let s = text.as_str();
        // The window, in bytes on character boundaries.
        let old_char = text.byte_to_char(BytePos(old)).get();
        let from_char = old_char.saturating_sub(FUZZY_WINDOW + m);
        let to_char = (old_char + FUZZY_WINDOW + 2 * m).min(text.char_len());
        let from = text
            .char_to_byte(CharPos(from_char))
            .map_or(0, BytePos::get);
        let to = text
            .char_to_byte(CharPos(to_char))
            .map_or(s.len(), BytePos::get);
        let window: Vec<(usize, char)> = s[from..to]
            .char_indices()
            .map(|(i, c)| (from + i, c))
            .collect();
        let cells = m * window.len();
        if cells > self.fuzzy_left {
            return None;
        }
        self.fuzzy_left -= cells;
        // Sellers' algorithm: the edit distance of the quote to the best
        // substring ending at each character, with where that substring
        // starts. Column by column: cost[i] for the quote's first i chars.
        let mut cost: Vec<usize> = (0..=m).collect();
        let mut start: Vec<usize> = vec![0; m + 1];
        let mut hits: Vec<(usize, usize, usize)> = vec![]; // errors, start, end (window indices)
        for (j, &(_, c)) in window.iter().enumerate() {
            let (mut diag, mut diag_start) = (0usize, j);
            cost[0] = 0;
            start[0] = j;
            for i in 1..=m {
                let up = (cost[i] + 1, start[i]); // a text char not in the quote
                let left = (cost[i - 1] + 1, start[i - 1]); // a quote char missing
                let sub = (diag + usize::from(quote[i - 1] != c), diag_start);
                diag = cost[i];
                diag_start = start[i];
                let best = [up, left, sub]
                    .into_iter()
                    .min_by_key(|x| x.0)
                    .unwrap_or(sub);
                cost[i] = best.0;
                start[i] = best.1;
            }
            if cost[m] <= max_errors {
                hits.push((cost[m], start[m], j + 1));
            }
        }
        let fewest = hits.iter().map(|h| h.0).min()?;
        let byte_at = |k: usize| window.get(k).map_or(to, |w| w.0);
        hits.into_iter()
            .filter(|h| h.0 == fewest && h.2 > h.1)
            .map(|(errors, st, en)| {
                let r = text.floor_boundary(byte_at(st))..text.ceil_boundary(byte_at(en));
                let score = context_score(s, r.clone(), a);
                let distance = text.byte_to_char(BytePos(r.start)).abs_diff(a.start);
                (score, std::cmp::Reverse(distance), r, errors)
            })
            .max_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)))
            .map(|(_, _, range, errors)| Found {
                range,
                how: How::Approximate { errors },
            })
    }
}

/// How much of `a`'s stored context surrounds `r` in `s`: code points of
/// its prefix found just before, plus those of its suffix just after.
fn context_score(s: &str, r: Range<usize>, a: Anchor<'_>) -> usize {
    common_suffix(&s[..r.start], a.prefix) + common_prefix(&s[r.end..], a.suffix)
}

/// Byte offsets of every occurrence of `quote` in `s`, overlapping ones
/// included, in order.
fn occurrences(s: &str, quote: &str) -> Vec<usize> {
    let finder = memchr::memmem::Finder::new(quote.as_bytes());
    let mut out = vec![];
    let mut from = 0;
    while let Some(i) = finder.find(&s.as_bytes()[from..]) {
        let at = from + i;
        // `quote` is valid UTF-8, so a match starts on a character.
        out.push(at);
        from = at + s[at..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Code points that `a` and `b` share at their starts.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Code points that `a` and `b` share at their ends.
fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// Up to `CONTEXT_CHARS` code points before and after a byte range.
pub fn context(text: &Text, r: Range<usize>) -> (String, String) {
    let (p, s) = context_ranges(text, r);
    (text.slice(p).to_string(), text.slice(s).to_string())
}

/// The byte ranges of `context`, borrowed rather than copied.
pub fn context_ranges(text: &Text, r: Range<usize>) -> (Range<usize>, Range<usize>) {
    let s = text.as_str();
    let pstart = s[..r.start]
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let send = s[r.end..]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(s.len(), |(i, _)| r.end + i);
    (pstart..r.start, r.end..send)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_put_when_unchanged() {
        let t = Text::new("alpha beta gamma beta".into());
        let a = Anchor {
            start: CharPos(17),
            end: CharPos(21),
            quote: "beta",
            prefix: "gamma ",
            suffix: "",
        };
        assert_eq!(reanchor(&t, a).map(|f| f.range), Some(17..21));
    }

    #[test]
    fn follows_moved_text_by_context() {
        let t = Text::new("NEW LINE\nalpha beta gamma beta".into());
        let a = Anchor {
            start: CharPos(17),
            end: CharPos(21),
            quote: "beta",
            prefix: "gamma ",
            suffix: "",
        };
        assert_eq!(reanchor(&t, a).map(|f| f.range), Some(26..30));
        let first = Anchor {
            start: CharPos(6),
            end: CharPos(10),
            quote: "beta",
            prefix: "alpha ",
            suffix: " gamma",
        };
        assert_eq!(reanchor(&t, first).map(|f| f.range), Some(15..19));
    }

    #[test]
    fn a_quote_found_everywhere_costs_a_bounded_amount() {
        // 200,000 spaces; the annotation's own space moved by 7 bytes.
        let words = "word ".repeat(200_000);
        let t = Text::new(format!("PREFIX {words}"));
        let a = Anchor {
            start: CharPos(500_000),
            end: CharPos(500_001),
            quote: " ",
            prefix: "word",
            suffix: "word",
        };
        let mut r = Reanchorer::new(&t);
        for _ in 0..2_000 {
            let got = r.find(a).unwrap().range;
            assert_eq!(t.slice(got.clone()), " ");
            assert!(got.start.abs_diff(500_000) <= 7, "{got:?}");
        }
        assert_eq!(r.weighed(), 2_000 * MAX_CANDIDATES);
    }

    /// The two cases of issue 10.
    #[test]
    fn the_old_place_wins_only_where_its_context_agrees() {
        let before = Text::new("Yesterday I saw the dog bark at the mailman.".into());
        let at = before.as_str().find("the dog").unwrap();
        let (prefix, suffix) = context(&before, at..at + 3);
        let a = Anchor {
            start: CharPos(at),
            end: CharPos(at + 3),
            quote: "the",
            prefix: &prefix,
            suffix: &suffix,
        };
        let after = Text::new("Yesterday I saw the cat and the dog bark at the mailman.".into());
        let got = reanchor(&after, a).unwrap();
        assert_eq!(got.how, How::Exact);
        assert_eq!(
            &after.as_str()[got.range.start..],
            "the dog bark at the mailman."
        );
        // With no change, it stays.
        assert_eq!(reanchor(&before, a).unwrap().range, at..at + 3);
    }

    #[test]
    fn an_edited_quote_is_found_approximately() {
        let before = Text::new("The minister, Subrahmanyam Jaishenkar, arrived on Monday.".into());
        let q = "Subrahmanyam Jaishenkar";
        let at = before.as_str().find(q).unwrap();
        let (prefix, suffix) = context(&before, at..at + q.len());
        let a = Anchor {
            start: CharPos(at),
            end: CharPos(at + q.len()),
            quote: q,
            prefix: &prefix,
            suffix: &suffix,
        };
        // A typo fixed, and text inserted before it.
        let after =
            Text::new("BREAKING. The minister, Subrahmanyam Jaishankar, arrived on Monday.".into());
        let got = reanchor(&after, a).unwrap();
        assert_eq!(after.slice(got.range.clone()), "Subrahmanyam Jaishankar");
        assert_eq!(got.how, How::Approximate { errors: 1 });
        // A short quote is not guessed at.
        let short = Anchor {
            start: CharPos(0),
            end: CharPos(3),
            quote: "Tha",
            prefix: "",
            suffix: "",
        };
        assert_eq!(reanchor(&after, short), None);
    }

    #[test]
    fn reports_lost_quotes() {
        let t = Text::new("nothing here".into());
        let a = Anchor {
            start: CharPos(0),
            end: CharPos(4),
            quote: "gone",
            prefix: "",
            suffix: "",
        };
        assert_eq!(reanchor(&t, a), None);
    }

    #[test]
    fn context_counts_code_points() {
        let t = Text::new(format!("{}X{}", "é".repeat(40), "漢".repeat(40)));
        let x = 80;
        let (p, s) = context(&t, x..x + 1);
        assert_eq!(p.chars().count(), CONTEXT_CHARS);
        assert_eq!(s.chars().count(), CONTEXT_CHARS);
    }
}
