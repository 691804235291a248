//! Re-anchoring: finding an annotation again after its article changed.
//!
//! First at its old offsets if its quote is still there; else at the
//! occurrence of the quote whose surroundings best match the stored prefix
//! and suffix, the nearest to the old place on a tie. No occurrence at all
//! means the annotation is lost (an orphan), never silently dropped.

use std::ops::Range;

use super::text::Text;

/// How many code points of context are stored on each side of a quote.
pub const CONTEXT_CHARS: usize = 32;

/// What is known of an annotation's place in the old text.
#[derive(Debug, Clone, Copy)]
pub struct Anchor<'a> {
    /// Code point offsets in the old text.
    pub start: usize,
    pub end: usize,
    pub quote: &'a str,
    pub prefix: &'a str,
    pub suffix: &'a str,
}

/// How many occurrences of a quote, nearest the old place first, are
/// weighed for each annotation. A quote found thousands of times (a space,
/// "the") would otherwise cost every annotation a pass over all of them:
/// 2,000 such annotations on an 860 KB article took 54 s. The right place
/// is near the old one unless the article was rewritten wholesale.
pub const MAX_CANDIDATES: usize = 256;

/// Where `a` lies in `text` now, as a byte range, or `None` if it is lost.
pub fn reanchor(text: &Text, a: Anchor<'_>) -> Option<Range<usize>> {
    Reanchorer::new(text).find(a)
}

/// Re-anchors many annotations on one text: each distinct quote is looked
/// for once, and each annotation weighs at most `MAX_CANDIDATES` of its
/// occurrences, so loading a sidecar is linear in its size, whatever it
/// quotes.
pub struct Reanchorer<'t> {
    text: &'t Text,
    /// Byte offsets of every occurrence of each quote seen so far.
    found: std::collections::HashMap<String, Vec<usize>>,
    weighed: usize,
}

impl<'t> Reanchorer<'t> {
    pub fn new(text: &'t Text) -> Self {
        Reanchorer {
            text,
            found: Default::default(),
            weighed: 0,
        }
    }

    /// How many candidate places were weighed so far, over all finds.
    pub fn weighed(&self) -> usize {
        self.weighed
    }

    /// Where `a` lies in the text now: at its old offsets if its quote is
    /// still there, else at the occurrence (of the nearest ones) whose
    /// surroundings best match its prefix and suffix, the nearest on a tie.
    pub fn find(&mut self, a: Anchor<'_>) -> Option<Range<usize>> {
        let text = self.text;
        if a.quote.is_empty() {
            return None;
        }
        if let Some(r) = text.char_range_to_bytes(a.start..a.end)
            && text.slice(r.clone()) == a.quote
        {
            return Some(r);
        }
        let s = text.as_str();
        let all = self
            .found
            .entry(a.quote.to_string())
            .or_insert_with(|| occurrences(s, a.quote));
        if all.is_empty() {
            return None;
        }
        // The old place, in bytes of the new text (past its end: the end).
        let old = text
            .char_to_byte(a.start.min(text.char_len()))
            .unwrap_or(s.len());
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
            let score = common_suffix(&s[..at], a.prefix) + common_prefix(&s[end..], a.suffix);
            let distance = text.byte_to_char(at).abs_diff(a.start);
            let key = (on_boundaries, score, std::cmp::Reverse(distance), at);
            if best.as_ref().is_none_or(|b| key > *b) {
                best = Some(key);
            }
        }
        best.map(|(_, _, _, at)| at..at + a.quote.len())
    }
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
            start: 17,
            end: 21,
            quote: "beta",
            prefix: "gamma ",
            suffix: "",
        };
        assert_eq!(reanchor(&t, a), Some(17..21));
    }

    #[test]
    fn follows_moved_text_by_context() {
        let t = Text::new("NEW LINE\nalpha beta gamma beta".into());
        let a = Anchor {
            start: 17,
            end: 21,
            quote: "beta",
            prefix: "gamma ",
            suffix: "",
        };
        assert_eq!(reanchor(&t, a), Some(26..30));
        let first = Anchor {
            start: 6,
            end: 10,
            quote: "beta",
            prefix: "alpha ",
            suffix: " gamma",
        };
        assert_eq!(reanchor(&t, first), Some(15..19));
    }

    #[test]
    fn a_quote_found_everywhere_costs_a_bounded_amount() {
        // 200,000 spaces; the annotation's own space moved by 7 bytes.
        let words = "word ".repeat(200_000);
        let t = Text::new(format!("PREFIX {words}"));
        let a = Anchor {
            start: 500_000,
            end: 500_001,
            quote: " ",
            prefix: "word",
            suffix: "word",
        };
        let mut r = Reanchorer::new(&t);
        for _ in 0..2_000 {
            let got = r.find(a).unwrap();
            assert_eq!(t.slice(got.clone()), " ");
            assert!(got.start.abs_diff(500_000) <= 7, "{got:?}");
        }
        assert_eq!(r.weighed(), 2_000 * MAX_CANDIDATES);
    }

    #[test]
    fn reports_lost_quotes() {
        let t = Text::new("nothing here".into());
        let a = Anchor {
            start: 0,
            end: 4,
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
