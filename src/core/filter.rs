//! Fuzzy filtering of the article list, as fzf, skim and helix's pickers do
//! it (nucleo's matcher): smart case, Unicode normalisation, space-separated
//! terms that must all match, best matches first.
//!
//! Typing narrows: while the query only grows, only the previous matches are
//! scored again, so each keystroke costs less than the one before it.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};

/// What an item is matched on: its title and its path.
pub fn haystack(title: &str, rel: &str) -> Utf32String {
    Utf32String::from(format!("{title} {rel}").as_str())
}

pub struct ListFilter {
    matcher: Matcher,
    last_query: String,
    last: Vec<usize>,
    last_len: usize,
}

impl std::fmt::Debug for ListFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListFilter")
            .field("last_query", &self.last_query)
            .field("matches", &self.last.len())
            .finish()
    }
}

impl Default for ListFilter {
    fn default() -> Self {
        ListFilter {
            matcher: Matcher::new(Config::DEFAULT.match_paths()),
            last_query: String::new(),
            last: vec![],
            last_len: 0,
        }
    }
}

impl ListFilter {
    /// Indices of the items matching `query`, best first (ties in list
    /// order); every index, in order, for an empty query.
    pub fn apply(&mut self, query: &str, items: &[Utf32String]) -> Vec<usize> {
        if query.trim().is_empty() {
            self.last_query.clear();
            return (0..items.len()).collect();
        }
        // A longer query matches a subset, unless it negates (`!term`).
        let narrows = !self.last_query.is_empty()
            && query.starts_with(&self.last_query)
            && !query.contains('!')
            && self.last_len == items.len();
        let candidates: Vec<usize> = if narrows {
            std::mem::take(&mut self.last)
        } else {
            (0..items.len()).collect()
        };
        let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        let mut scored: Vec<(u32, usize)> = candidates
            .into_iter()
            .filter_map(|i| {
                pattern
                    .score(items[i].slice(..), &mut self.matcher)
                    .map(|s| (s, i))
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut out: Vec<usize> = scored.into_iter().map(|(_, i)| i).collect();
        self.last_query = query.to_string();
        self.last_len = items.len();
        self.last = out.clone();
        // Keep what matched in list order for the next narrowing's ties.
        self.last.sort_unstable();
        out.shrink_to_fit();
        out
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
