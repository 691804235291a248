//! Fuzzy filtering of the article list, as fzf, skim and helix's pickers do
//! it (nucleo's matcher): smart case, Unicode normalisation, space-separated
//! terms that must all match, best matches first.
//!
//! Typing narrows: while the query only grows, only the previous matches are
//! scored again, so each keystroke costs less than the one before it.

use nucleo_matcher::chars::{normalize, to_lower_case};
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};
use rayon::prelude::*;

/// What an item is matched on: its title and its path.
#[derive(Debug, Clone)]
pub struct Hay {
    full: Utf32String,
    /// For text that is not all ASCII: the same characters as ASCII, each
    /// folded as the matcher folds it for an ASCII query (é → e) or, when
    /// no ASCII letter can match it (漢, न), replaced by a control character
    /// no query holds. Matching ASCII queries (nearly all typing) on these
    /// bytes is three times faster than on the Unicode text, and finds the
    /// same items; the only difference in scoring is that a word after such
    /// a character counts as starting a word.
    ascii: Option<Box<[u8]>>,
}

impl Hay {
    pub fn new(text: &str) -> Self {
        let full = Utf32String::from(text);
        let ascii = match &full {
            Utf32String::Ascii(_) => None,
            Utf32String::Unicode(chars) => Some(chars.iter().map(|&c| fold_ascii(c)).collect()),
        };
        Hay { full, ascii }
    }

    fn for_query(&self, ascii_query: bool) -> Utf32Str<'_> {
        match (&self.ascii, ascii_query) {
            (Some(b), true) => Utf32Str::Ascii(b),
            _ => self.full.slice(..),
        }
    }
}

fn fold_ascii(c: char) -> u8 {
    if c.is_ascii() {
        return c as u8;
    }
    [normalize(c), normalize(to_lower_case(c))]
        .into_iter()
        .find(char::is_ascii)
        .map_or(0x01, |n| n as u8)
}

/// What an item is matched on: its title and its path.
pub fn haystack(title: &str, rel: &str) -> Hay {
    Hay::new(&format!("{title} {rel}"))
}

#[derive(Default)]
pub struct ListFilter {
    /// Results of recent queries, newest last: backspace finds its answer
    /// here, and a longer query narrows the longest one it extends.
    recent: Vec<(String, Vec<usize>)>,
    /// How many items the cached results were computed over.
    items_len: usize,
}

/// The pattern's score for `hay`. Fuzzy terms use nucleo's greedy
/// algorithm: linear in the haystack, where the optimal one is quadratic,
/// and ranking differs little on titles.
fn score(pattern: &Pattern, hay: Utf32Str<'_>, m: &mut Matcher) -> Option<u32> {
    let mut total = 0u32;
    for atom in &pattern.atoms {
        let s = if atom.kind == AtomKind::Fuzzy && !atom.negative {
            let needle = atom.needle_text();
            m.config.ignore_case = !needle.chars().any(char::is_uppercase);
            m.config.normalize = needle.chars().all(|c| c.is_ascii());
            m.fuzzy_match_greedy(hay, needle)
        } else {
            atom.score(hay, m)
        };
        total += u32::from(s?);
    }
    Some(total)
}

/// How many recent results are kept.
const RECENT: usize = 16;

impl std::fmt::Debug for ListFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListFilter")
            .field(
                "recent",
                &self
                    .recent
                    .iter()
                    .map(|(q, r)| (q, r.len()))
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl ListFilter {
    /// Indices of the items matching `query`, best first (ties in list
    /// order); every index, in order, for an empty query.
    pub fn apply(&mut self, query: &str, items: &[Hay]) -> Vec<usize> {
        if query.trim().is_empty() {
            return (0..items.len()).collect();
        }
        if self.items_len != items.len() {
            self.recent.clear();
            self.items_len = items.len();
        }
        if let Some((_, r)) = self.recent.iter().find(|(q, _)| q == query) {
            return r.clone();
        }
        // A longer query matches a subset, unless it negates (`!term`).
        let base = if query.contains('!') {
            None
        } else {
            self.recent
                .iter()
                .filter(|(q, _)| query.starts_with(q.as_str()))
                .max_by_key(|(q, _)| q.len())
        };
        let candidates: Vec<usize> = match base {
            Some((_, r)) => {
                let mut c = r.clone();
                c.sort_unstable();
                c
            }
            None => (0..items.len()).collect(),
        };
        let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        let ascii = query.is_ascii();
        // Scored on both cores, each with its matcher. Score and index are
        // packed in one u64 (best score first, then list order), which
        // sorts several times faster than pairs compared field by field.
        let mut keys: Vec<u64> = candidates
            .par_chunks(4096)
            .flat_map_iter(|chunk| {
                let mut m = Matcher::new(Config::DEFAULT.match_paths());
                chunk
                    .iter()
                    .filter_map(|&i| {
                        score(&pattern, items[i].for_query(ascii), &mut m)
                            .map(|s| (u64::from(u32::MAX - s) << 32) | i as u64)
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        keys.par_sort_unstable();
        let out: Vec<usize> = keys.iter().map(|k| (k & 0xFFFF_FFFF) as usize).collect();
        if self.recent.len() == RECENT {
            self.recent.remove(0);
        }
        self.recent.push((query.to_string(), out.clone()));
        out
    }

    /// Forgets cached results (the haystacks changed).
    pub fn invalidate(&mut self) {
        self.recent.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<Hay> {
        [
            ("US and India set to sign intelligence deal", "002.txt"),
            ("Sputnik International", "003.txt"),
            ("During the conversation, Defence Minister", "004.txt"),
            ("Ahead of the talks on countering China", "001.txt"),
        ]
        .iter()
        .map(|(t, r)| haystack(t, r))
        .collect()
    }

    #[test]
    fn fuzzy_smart_case_all_terms() {
        let it = items();
        let mut f = ListFilter::default();
        assert_eq!(f.apply("", &it), vec![0, 1, 2, 3]);
        assert_eq!(f.apply("sptnk", &it), vec![1]);
        assert_eq!(f.apply("india deal", &it), vec![0]);
        assert!(f.apply("INDIA", &it).is_empty(), "capitals match exactly");
        let talks = f.apply("ta", &it);
        assert!(talks.contains(&3) && talks.contains(&0));
        // narrowing gives the same as a fresh search
        let narrowed = f.apply("talk", &it);
        assert_eq!(narrowed, ListFilter::default().apply("talk", &it));
        assert_eq!(f.apply("!china", &it).len(), 3, "negation");
    }
}

#[cfg(test)]
mod fold_tests {
    use super::*;

    #[test]
    fn ascii_queries_find_the_same_items_on_folded_text() {
        let it: Vec<Hay> = [
            "Café in 東京 met नमस्ते",
            "CAFÉ ÉCLAIR",
            "naïve résumé",
            "東京",
            "plain",
        ]
        .iter()
        .map(|t| Hay::new(t))
        .collect();
        let mut m = Matcher::new(Config::DEFAULT.match_paths());
        for q in [
            "cafe", "eclair", "naive", "resume", "met", "x", "CAFE", "e c",
        ] {
            let p = Pattern::parse(q, CaseMatching::Smart, Normalization::Smart);
            for h in &it {
                assert_eq!(
                    score(&p, h.for_query(true), &mut m).is_some(),
                    score(&p, h.full.slice(..), &mut m).is_some(),
                    "{q:?} in {:?}",
                    h.full
                );
            }
        }
        assert_eq!(ListFilter::default().apply("cafe", &it), vec![0, 1]);
        // A Unicode query matches the text itself; the shorter title first.
        assert_eq!(ListFilter::default().apply("東", &it), vec![3, 0]);
    }
}
