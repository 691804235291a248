//! Searching an article's text: literal, smart case (case-insensitive unless
//! the query has a capital letter), wrapping around at the ends.

use std::ops::Range;

use regex::Regex;

#[derive(Debug, Clone)]
pub struct Search {
    pub query: String,
    re: Regex,
    /// Where every match starts, found once when first asked for.
    starts: std::sync::OnceLock<Vec<usize>>,
}

/// How far back `prev` looks at a time.
const WINDOW: usize = 64 * 1024;

/// A match, and whether finding it wrapped past the end (or start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub wrapped: bool,
}

impl Search {
    pub fn new(query: &str) -> Option<Search> {
        // The literal, smart-case query the corpus search runs too.
        let re = super::grep::Query::new(query, false, None)
            .ok()?
            .into_regex();
        Some(Search {
            query: query.to_string(),
            re,
            starts: std::sync::OnceLock::new(),
        })
    }

    /// The first match starting after `pos`, wrapping to the first of all.
    pub fn next(&self, text: &str, pos: usize) -> Option<Found> {
        let from = (pos + 1..=text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        if let Some(m) = self.re.find_at(text, from) {
            return Some(Found {
                range: m.range(),
                wrapped: false,
            });
        }
        self.re.find(text).map(|m| Found {
            range: m.range(),
            wrapped: true,
        })
    }

    /// The last match starting before `pos`, wrapping to the last of all.
    /// Looks back a window at a time, so it costs what lies between.
    pub fn prev(&self, text: &str, pos: usize) -> Option<Found> {
        if let Some(range) = self.last_before(text, pos) {
            return Some(Found {
                range,
                wrapped: false,
            });
        }
        self.last_before(text, text.len() + 1).map(|range| Found {
            range,
            wrapped: true,
        })
    }

    fn last_before(&self, text: &str, pos: usize) -> Option<Range<usize>> {
        // A match starting before `pos` may end past it: search a margin.
        let margin = self.query.len() * 4;
        let mut end = pos;
        loop {
            let mut start = end.saturating_sub(WINDOW);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut stop = (end + margin).min(text.len());
            while !text.is_char_boundary(stop) {
                stop += 1;
            }
            let found = self
                .re
                .find_iter(&text[start..stop])
                .map(|m| start + m.start()..start + m.end())
                .take_while(|m| m.start < pos)
                .last();
            if found.is_some() || start == 0 {
                return found;
            }
            end = start;
        }
    }

    /// Which match starts at `start` (1-based) and how many there are.
    pub fn rank(&self, text: &str, start: usize) -> (usize, usize) {
        let starts = self
            .starts
            .get_or_init(|| self.re.find_iter(text).map(|m| m.start()).collect());
        (starts.partition_point(|&s| s < start) + 1, starts.len())
    }

    /// Matches that overlap `window`, found by searching only near it.
    pub fn matches_in(&self, text: &str, window: Range<usize>) -> Vec<Range<usize>> {
        // Case folding can change lengths: search a margin around the window.
        let pad = self.query.len() * 4;
        let mut s = window.start.saturating_sub(pad);
        while !text.is_char_boundary(s) {
            s -= 1;
        }
        let mut e = (window.end + pad).min(text.len());
        while !text.is_char_boundary(e) {
            e += 1;
        }
        self.re
            .find_iter(&text[s..e])
            .map(|m| s + m.start()..s + m.end())
            .filter(|m| m.end > window.start && m.start < window.end)
            .collect()
    }

    pub fn count(&self, text: &str) -> usize {
        self.re.find_iter(text).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_case_and_wrap() {
        let t = "India and india and INDIA";
        let s = Search::new("india").unwrap();
        assert_eq!(s.count(t), 3);
        assert_eq!(s.next(t, 0).unwrap().range, 10..15);
        assert!(s.next(t, 20).unwrap().wrapped);
        assert_eq!(s.prev(t, 10).unwrap().range, 0..5);
        assert!(s.prev(t, 0).unwrap().wrapped);
        assert_eq!(Search::new("India").unwrap().count(t), 1);
        assert_eq!(
            Search::new("a.d").unwrap().count(t),
            0,
            "literal, not a pattern"
        );
        assert_eq!(s.matches_in(t, 12..22), vec![10..15, 20..25]);
        assert_eq!(s.rank(t, 10), (2, 3));
    }

    #[test]
    fn prev_looks_back_across_windows() {
        let t = format!("needle{}needle{}", "x".repeat(200_000), "y".repeat(100));
        let s = Search::new("needle").unwrap();
        let second = 6 + 200_000;
        assert_eq!(s.prev(&t, t.len()).unwrap().range, second..second + 6);
        assert_eq!(s.prev(&t, second).unwrap().range, 0..6);
        let wrapped = s.prev(&t, 0).unwrap();
        assert!(wrapped.wrapped && wrapped.range.start == second);
    }
}
