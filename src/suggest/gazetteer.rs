//! A gazetteer: phrases and their labels, one `text<TAB>label` per line as
//! INCEpTION's string matching recommender reads them (`#` starts a
//! comment line). Each phrase is proposed wherever it stands as whole
//! words. The corpus's own annotations make one too (`propagated`): each
//! annotated text proposed for its labels elsewhere, scored by how often
//! the text bears each label.

use std::collections::{BTreeMap, HashMap};

use super::Candidate;
use crate::core::error::LineError;
use crate::core::phrases::PhraseMatcher;
use crate::core::text::Text;

pub struct Gazetteer {
    matcher: PhraseMatcher,
}

impl Gazetteer {
    /// Reads a gazetteer's text; a line that is not `text<TAB>label` is an
    /// error naming it (the whole file is refused: a gazetteer is the
    /// user's own list, and a half-read one proposes less than they think).
    pub fn parse(src: &str) -> Result<Gazetteer, LineError> {
        let mut entries = vec![];
        for (i, line) in src.lines().enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((phrase, label)) = line.rsplit_once('\t') else {
                return Err(LineError {
                    line: i + 1,
                    message: "not `text<TAB>label`: no tab on this line".into(),
                });
            };
            let (phrase, label) = (phrase.trim(), label.trim());
            if phrase.is_empty() || label.is_empty() {
                return Err(LineError {
                    line: i + 1,
                    message: "an empty text or label".into(),
                });
            }
            if label.chars().any(char::is_control) {
                return Err(LineError {
                    line: i + 1,
                    message: "a label with a control character".into(),
                });
            }
            entries.push((phrase.to_string(), label.to_string(), None));
        }
        Ok(Gazetteer {
            matcher: PhraseMatcher::new(entries),
        })
    }

    /// The corpus's annotations as a gazetteer: each `(quote, label)`
    /// with how many times it was tagged so, scored by the share of that
    /// label among the quote's tags.
    pub fn from_annotations(tags: &BTreeMap<(String, String), usize>) -> Gazetteer {
        let mut per_quote: HashMap<&str, usize> = HashMap::new();
        for ((q, _), n) in tags {
            *per_quote.entry(q.as_str()).or_default() += n;
        }
        let entries = tags.iter().map(|((q, l), n)| {
            let share = *n as f64 / per_quote[q.as_str()] as f64;
            (q.clone(), l.clone(), Some(share))
        });
        Gazetteer {
            matcher: PhraseMatcher::new(entries),
        }
    }

    /// How many phrases it holds.
    pub fn len(&self) -> usize {
        self.matcher.len()
    }

    pub fn is_empty(&self) -> bool {
        self.matcher.is_empty()
    }

    pub fn propose(&self, text: &Text) -> Vec<Candidate> {
        self.matcher.find(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_inceptions_lines_and_names_a_bad_one() {
        let g = Gazetteer::parse("# places\nNew Delhi\tGPE\r\n\nMike Pompeo\tPERSON\n").unwrap();
        assert_eq!(g.len(), 2);
        let t = Text::new("Mike Pompeo flew to New Delhi.".into());
        let got: Vec<_> = g
            .propose(&t)
            .into_iter()
            .map(|c| (t.slice(c.range).to_string(), c.label))
            .collect();
        assert_eq!(
            got,
            [
                ("Mike Pompeo".to_string(), "PERSON".to_string()),
                ("New Delhi".into(), "GPE".into())
            ]
        );
        let e = Gazetteer::parse("a\tB\nno tab here\n").err().unwrap();
        assert_eq!(e.line, 2);
        assert!(Gazetteer::parse("\tB\n").is_err());
    }

    #[test]
    fn propagated_scores_are_each_labels_share() {
        let mut tags = BTreeMap::new();
        tags.insert(("Washington".to_string(), "GPE".to_string()), 3);
        tags.insert(("Washington".to_string(), "PERSON".to_string()), 1);
        let g = Gazetteer::from_annotations(&tags);
        let t = Text::new("In Washington.".into());
        let mut got: Vec<_> = g
            .propose(&t)
            .into_iter()
            .map(|c| (c.label, c.score))
            .collect();
        got.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            got,
            [
                ("GPE".to_string(), Some(0.75)),
                ("PERSON".into(), Some(0.25))
            ]
        );
    }
}
