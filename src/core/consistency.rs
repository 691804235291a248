//! Inconsistencies across the corpus: the same text tagged with different
//! labels in different places (each place whose label is not the text's
//! usual one is a finding), and text tagged somewhere but left untagged
//! elsewhere (each untagged whole-word occurrence is a finding).

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use serde::Serialize;

use super::annotation::Store;
use super::phrases::PhraseMatcher;
use super::text::Text;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Tagged here with a label the text bears less often elsewhere.
    Mixed,
    /// Not tagged here, but tagged elsewhere.
    Untagged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub article: String,
    pub kind: Kind,
    pub quote: String,
    /// The label here (none for an untagged place).
    pub label: Option<String>,
    /// How often the text bears each label in the corpus.
    pub tagged: BTreeMap<String, usize>,
    /// Bytes of the article.
    #[serde(skip)]
    pub range: Range<usize>,
    /// Code points, as the sidecars count.
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

/// One article as the check reads it.
pub struct Article<'a> {
    pub rel: &'a str,
    pub text: &'a Text,
    pub store: &'a Store,
}

/// Every (quote, label) tagged in `articles`, with how often.
pub fn tags(articles: &[Article]) -> HashMap<String, BTreeMap<String, usize>> {
    let mut out: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
    for a in articles {
        for x in a.store.all() {
            let q = a.text.slice(x.range()).to_string();
            *out.entry(q)
                .or_default()
                .entry(x.label.clone())
                .or_default() += 1;
        }
    }
    out
}

fn place(a: &Article, r: Range<usize>) -> (usize, usize, usize, usize) {
    let t = a.text;
    let line = t.line_of(r.start);
    let line_start = t.line_range(line).start;
    let start = t.byte_to_char(super::offset::BytePos(r.start)).get();
    let end = t.byte_to_char(super::offset::BytePos(r.end)).get();
    let col = start - t.byte_to_char(super::offset::BytePos(line_start)).get() + 1;
    (line + 1, col, start, end)
}

/// The findings of one article, given the corpus's tags (`tags`) and a
/// matcher of every tagged text.
pub fn findings(
    a: &Article,
    tagged: &HashMap<String, BTreeMap<String, usize>>,
    matcher: &PhraseMatcher,
) -> Vec<Finding> {
    let mut out = vec![];
    let usual = |labels: &BTreeMap<String, usize>| {
        labels
            .iter()
            .max_by(|x, y| x.1.cmp(y.1).then_with(|| y.0.cmp(x.0)))
            .map(|(l, _)| l.clone())
    };
    for x in a.store.all() {
        let q = a.text.slice(x.range());
        let Some(labels) = tagged.get(q) else {
            continue;
        };
        if labels.len() > 1 && usual(labels).as_deref() != Some(x.label.as_str()) {
            let (line, column, start, end) = place(a, x.range());
            out.push(Finding {
                article: a.rel.to_string(),
                kind: Kind::Mixed,
                quote: q.to_string(),
                label: Some(x.label.clone()),
                tagged: labels.clone(),
                range: x.range(),
                start,
                end,
                line,
                column,
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    for c in matcher.find(a.text) {
        if !seen.insert(c.range.clone()) {
            continue;
        }
        let covered = a
            .store
            .overlapping(c.range.clone())
            .any(|x| x.start.get() <= c.range.start && c.range.end <= x.end.get());
        if covered {
            continue;
        }
        let q = a.text.slice(c.range.clone());
        let Some(labels) = tagged.get(q) else {
            continue;
        };
        let (line, column, start, end) = place(a, c.range.clone());
        out.push(Finding {
            article: a.rel.to_string(),
            kind: Kind::Untagged,
            quote: q.to_string(),
            label: None,
            tagged: labels.clone(),
            range: c.range,
            start,
            end,
            line,
            column,
        });
    }
    out.sort_by_key(|f| f.range.start);
    out
}

/// A matcher of every tagged text (its label is not used: the finding
/// names them all).
pub fn matcher(tagged: &HashMap<String, BTreeMap<String, usize>>) -> PhraseMatcher {
    PhraseMatcher::new(tagged.keys().map(|q| (q.clone(), String::new(), None)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Annotation;
    use crate::core::offset::BytePos;

    fn store(t: &str, tags: &[(&str, &str, usize)]) -> Store {
        let anns = tags
            .iter()
            .enumerate()
            .map(|(i, (q, l, nth))| {
                let at = t.match_indices(q).nth(*nth).unwrap().0;
                Annotation {
                    id: format!("a{i}"),
                    start: BytePos(at),
                    end: BytePos(at + q.len()),
                    label: l.to_string(),
                    ..Default::default()
                }
            })
            .collect();
        Store::new(anns, vec![])
    }

    #[test]
    fn mixed_labels_and_untagged_places() {
        let t1 = Text::new("Washington met Pompeo.\nWashington again.".into());
        let t2 = Text::new("In Washington, Pompeo and Pompeo.".into());
        let s1 = store(
            t1.as_str(),
            &[
                ("Washington", "GPE", 0),
                ("Pompeo", "PERSON", 0),
                ("Washington", "GPE", 1),
            ],
        );
        let s2 = store(
            t2.as_str(),
            &[("Washington", "PERSON", 0), ("Pompeo", "PERSON", 0)],
        );
        let arts = [
            Article {
                rel: "a.txt",
                text: &t1,
                store: &s1,
            },
            Article {
                rel: "b.txt",
                text: &t2,
                store: &s2,
            },
        ];
        let tagged = tags(&arts);
        let m = matcher(&tagged);
        assert!(findings(&arts[0], &tagged, &m).is_empty());
        let f = findings(&arts[1], &tagged, &m);
        let got: Vec<(Kind, &str, Option<&str>, usize, usize)> = f
            .iter()
            .map(|x| {
                (
                    x.kind.clone(),
                    x.quote.as_str(),
                    x.label.as_deref(),
                    x.line,
                    x.column,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Kind::Mixed, "Washington", Some("PERSON"), 1, 4),
                (Kind::Untagged, "Pompeo", None, 1, 27),
            ]
        );
        assert_eq!(f[0].tagged["GPE"], 2);
        assert_eq!((f[1].start, f[1].end), (26, 32));
    }
}
