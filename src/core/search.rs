//! Searching an article's text: literal, smart case (case-insensitive unless
//! the query has a capital letter), wrapping around at the ends.

use std::ops::Range;

use regex::{Regex, RegexBuilder};

#[derive(Debug, Clone)]
pub struct Search {
    pub query: String,
    re: Regex,
}

/// A match, and whether finding it wrapped past the end (or start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub wrapped: bool,
}

impl Search {
    pub fn new(query: &str) -> Option<Search> {
        if query.is_empty() {
            return None;
        }
        let smart = !query.chars().any(char::is_uppercase);
        let re = RegexBuilder::new(&regex::escape(query))
            .case_insensitive(smart)
            .build()
            .ok()?;
        Some(Search {
            query: query.to_string(),
            re,
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
    pub fn prev(&self, text: &str, pos: usize) -> Option<Found> {
        let mut before = None;
        let mut last = None;
        for m in self.re.find_iter(text) {
            if m.start() < pos {
                before = Some(m.range());
            }
            last = Some(m.range());
        }
        match before {
            Some(range) => Some(Found {
                range,
                wrapped: false,
            }),
            None => last.map(|range| Found {
                range,
                wrapped: true,
            }),
        }
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
    }
}
