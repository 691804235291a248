//! Many phrases found at once in a text (Aho-Corasick), each only as
//! whole words: "York" is not found in "Yorkshire", nor "Ann" in "Anna".
//! A phrase found inside a longer one found at the same place ("York" in
//! "New York") is left to the longer.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

use super::text::Text;

/// A phrase found: where (bytes), and one of its labels with its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub range: std::ops::Range<usize>,
    pub label: String,
    pub score: Option<f64>,
}

pub struct PhraseMatcher {
    ac: Option<AhoCorasick>,
    /// Each phrase's labels, with a score.
    labels: Vec<Vec<(String, Option<f64>)>>,
}

/// Whether `c` is part of a word: a match must not continue one.
fn wordy(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `s[a..b]` stands as whole words: it does not begin or end in
/// the middle of one.
pub fn whole_words(s: &str, a: usize, b: usize) -> bool {
    let inner = &s[a..b];
    let first = inner.chars().next().is_some_and(wordy);
    let last = inner.chars().next_back().is_some_and(wordy);
    let before = s[..a].chars().next_back().is_some_and(wordy);
    let after = s[b..].chars().next().is_some_and(wordy);
    !(first && before || last && after)
}

impl PhraseMatcher {
    /// A matcher for `(phrase, label, score)` entries; a phrase with
    /// several labels proposes each. Empty phrases are left out.
    pub fn new(entries: impl IntoIterator<Item = (String, String, Option<f64>)>) -> Self {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut phrases: Vec<String> = vec![];
        let mut labels: Vec<Vec<(String, Option<f64>)>> = vec![];
        for (phrase, label, score) in entries {
            if phrase.trim().is_empty() {
                continue;
            }
            let k = *index.entry(phrase.clone()).or_insert_with(|| {
                phrases.push(phrase);
                labels.push(vec![]);
                labels.len() - 1
            });
            if !labels[k].iter().any(|(l, _)| *l == label) {
                labels[k].push((label, score));
            }
        }
        let ac = (!phrases.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&phrases)
                .expect("phrases of a bounded size build")
        });
        PhraseMatcher { ac, labels }
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// How many distinct phrases it holds.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Every whole-word occurrence in `text`, each of its phrase's labels.
    pub fn find(&self, text: &Text) -> Vec<Candidate> {
        let Some(ac) = &self.ac else {
            return vec![];
        };
        let s = text.as_str();
        let mut found: Vec<(usize, usize, usize)> = ac
            .find_overlapping_iter(s)
            .filter(|m| whole_words(s, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        // Longest first at each start; a match inside one kept is left.
        found.sort_by_key(|&(a, b, _)| (a, std::cmp::Reverse(b)));
        let mut out = vec![];
        let mut reach = 0;
        for (a, b, p) in found {
            if b <= reach {
                continue;
            }
            reach = reach.max(b);
            for (label, score) in &self.labels[p] {
                out.push(Candidate {
                    range: a..b,
                    label: label.clone(),
                    score: *score,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(m: &PhraseMatcher, t: &str) -> Vec<(String, String)> {
        let text = Text::new(t.into());
        m.find(&text)
            .into_iter()
            .map(|c| (t[c.range].to_string(), c.label))
            .collect()
    }

    #[test]
    fn whole_words_longest_first_every_label() {
        let m = PhraseMatcher::new([
            ("York".into(), "GPE".into(), None),
            ("New York".into(), "GPE".into(), None),
            ("Ann".into(), "PERSON".into(), None),
            ("Washington".into(), "PERSON".into(), None),
            ("Washington".into(), "GPE".into(), None),
            ("U.S.".into(), "GPE".into(), None),
        ]);
        assert_eq!(
            found(
                &m,
                "Anna left New York and Yorkshire for Washington, the U.S. capital; Ann stayed."
            ),
            [
                ("New York".to_string(), "GPE".to_string()),
                ("Washington".into(), "PERSON".into()),
                ("Washington".into(), "GPE".into()),
                ("U.S.".into(), "GPE".into()),
                ("Ann".into(), "PERSON".into()),
            ]
        );
        // York alone, later, is found.
        assert_eq!(
            found(&m, "to York."),
            [("York".to_string(), "GPE".to_string())]
        );
    }

    #[test]
    fn no_phrases_find_nothing() {
        let m = PhraseMatcher::new([("  ".into(), "X".into(), None)]);
        assert!(m.is_empty());
        assert!(found(&m, "anything").is_empty());
    }
}
