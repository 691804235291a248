//! Fuzzy filtering of the article list, as fzf, skim and helix's pickers do
//! it (nucleo's matcher): smart case, Unicode normalisation, space-separated
//! terms that must all match, best matches first.
//!
//! Typing narrows: while the query only grows, only the previous matches are
//! scored again, so each keystroke costs less than the one before it.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};
use rayon::prelude::*;

/// What an item is matched on: its title and its path.
pub fn haystack(title: &str, rel: &str) -> Utf32String {
    Utf32String::from(format!("{title} {rel}").as_str())
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
    pub fn apply(&mut self, query: &str, items: &[Utf32String]) -> Vec<usize> {
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
        // Scored on both cores, a chunk at a time, each with its matcher.
        let mut scored: Vec<(u32, usize)> = candidates
            .par_chunks(4096)
            .flat_map_iter(|chunk| {
                let mut m = Matcher::new(Config::DEFAULT.match_paths());
                chunk
                    .iter()
                    .filter_map(|&i| score(&pattern, items[i].slice(..), &mut m).map(|s| (s, i)))
                    .collect::<Vec<_>>()
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let out: Vec<usize> = scored.into_iter().map(|(_, i)| i).collect();
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

    fn items() -> Vec<Utf32String> {
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
