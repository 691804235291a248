//! Inconsistencies across the corpus: the same text tagged with different
//! labels in different places (each place whose label is not the text's
//! usual one is a finding), and text tagged somewhere but left untagged
//! elsewhere (each untagged whole-word occurrence is a finding).

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::annotation::Store;
use super::article::read_text;
use super::corpus::{self, Entry};
use super::display::sanitize_line;
use super::phrases::PhraseMatcher;
use super::sidecar::SidecarFile;
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
    /// The annotation found with another label (a mixed finding): what a
    /// fix relabels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its line around it, for a list to show.
    #[serde(skip)]
    pub before: String,
    #[serde(skip)]
    pub after: String,
}

impl Finding {
    /// The label the text bears most often in the corpus (the first by
    /// name among equals): what a fix gives it.
    pub fn usual(&self) -> Option<&str> {
        usual(&self.tagged)
    }
}

/// The label most often borne, the first by name among equals.
fn usual(labels: &BTreeMap<String, usize>) -> Option<&str> {
    labels
        .iter()
        .max_by(|x, y| x.1.cmp(y.1).then_with(|| y.0.cmp(x.0)))
        .map(|(l, _)| l.as_str())
}

/// The most bytes of its line kept on each side of a finding.
const CONTEXT_BYTES: usize = 300;

/// The line around bytes `r` of `t`.
fn context(t: &Text, r: &Range<usize>) -> (String, String) {
    let line = t.line_range(t.line_of(r.start));
    let from = t.floor_boundary(r.start.saturating_sub(CONTEXT_BYTES).max(line.start));
    let to = t.floor_boundary((r.end + CONTEXT_BYTES).min(line.end.max(r.end)));
    (
        t.slice(from.min(r.start)..r.start).to_string(),
        t.slice(r.end..to.max(r.end)).to_string(),
    )
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
    for x in a.store.all() {
        let q = a.text.slice(x.range());
        let Some(labels) = tagged.get(q) else {
            continue;
        };
        if labels.len() < 2 || usual(labels) == Some(x.label.as_str()) {
            continue;
        }
        let (line, column, start, end) = place(a, x.range());
        let (before, after) = context(a.text, &x.range());
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
            id: Some(x.id.clone()),
            before,
            after,
        });
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
        let (before, after) = context(a.text, &c.range);
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
            id: None,
            before,
            after,
        });
    }
    out.sort_by_key(|f| f.range.start);
    out
}

fn sidecar_of(annotations: &Path, e: &Entry) -> Result<Option<SidecarFile>, String> {
    let Some(path) = corpus::sidecar_path(annotations, &e.rel) else {
        return Ok(None);
    };
    SidecarFile::read(&path).map_err(|p| p.to_string())
}

/// Every inconsistency in the articles of `entries` (their sidecars in
/// `annotations`), in their order, and what could not be read.
pub fn check(entries: &[Entry], annotations: &Path) -> (Vec<Finding>, Vec<String>) {
    let mut found = vec![];
    let problems = check_each(entries, annotations, &mut |f| {
        found.extend(f.into_iter().map(|(_, f)| f));
        true
    });
    (found, problems)
}

/// Articles checked at once in the second pass of `check_each`.
const CHUNK: usize = 64;

/// An article's text and annotations, or why not.
type Loaded = Result<(Text, Store), String>;

/// The article's text and annotations, fitted as the reader fits them.
fn load(e: &Entry, sidecar: Option<SidecarFile>) -> Loaded {
    let (text, problem, _) = read_text(&e.path);
    if let Some(p) = problem {
        return Err(format!("{}: {p}", e.rel));
    }
    let store = match sidecar {
        Some(f) => f.fit(&text).map_err(|p| p.to_string())?.store,
        None => Default::default(),
    };
    Ok((text, store))
}

/// `check`, its findings handed to `each` a few dozen articles at a time
/// in the articles' order, each with its article's index in `entries`
/// (until `each` answers false), and what could not be read returned.
/// Two passes, so that memory holds only the annotated articles, never
/// the corpus: the first reads the articles that have a sidecar and learns
/// what is tagged; the second reads the rest a chunk at a time and drops
/// each once looked through. A text tagged once and common everywhere
/// makes millions of findings; they are never all held.
pub fn check_each(
    entries: &[Entry],
    annotations: &Path,
    each: &mut dyn FnMut(Vec<(usize, Finding)>) -> bool,
) -> Vec<String> {
    // Pass 1: the articles with a sidecar, which say what is tagged.
    let annotated: HashMap<usize, Loaded> = entries
        .par_iter()
        .enumerate()
        .filter_map(|(i, e)| match sidecar_of(annotations, e) {
            Ok(None) => None,
            Ok(Some(f)) => Some((i, load(e, Some(f)))),
            Err(why) => Some((i, Err(why))),
        })
        .collect();
    let arts: Vec<Article> = annotated
        .iter()
        .filter_map(|(&i, r)| {
            let (text, store) = r.as_ref().ok()?;
            Some(Article {
                rel: &entries[i].rel,
                text,
                store,
            })
        })
        .collect();
    let tagged = tags(&arts);
    drop(arts);
    let matcher = matcher(&tagged);
    let look = |i: usize, text: &Text, store: &Store| -> Vec<(usize, Finding)> {
        let a = Article {
            rel: &entries[i].rel,
            text,
            store,
        };
        findings(&a, &tagged, &matcher)
            .into_iter()
            .map(|f| (i, f))
            .collect()
    };
    // Pass 2: every article in order, the annotated from memory; what
    // could not be read (in either pass) said once, in order.
    let mut problems = vec![];
    let mut at = 0;
    while at < entries.len() {
        let to = (at + CHUNK).min(entries.len());
        let found: Vec<Result<Vec<(usize, Finding)>, String>> = (at..to)
            .into_par_iter()
            .map(|i| match annotated.get(&i) {
                Some(Ok((text, store))) => Ok(look(i, text, store)),
                Some(Err(why)) => Err(why.clone()),
                None => load(&entries[i], None).map(|(text, store)| look(i, &text, &store)),
            })
            .collect();
        let mut chunk = vec![];
        for r in found {
            match r {
                Ok(f) => chunk.extend(f),
                Err(p) => problems.push(p),
            }
        }
        at = to;
        if !chunk.is_empty() && !each(chunk) {
            break;
        }
    }
    problems
}

/// `“Washington” tagged PERSON here; GPE 3× elsewhere`.
pub fn describe(f: &Finding) -> String {
    let elsewhere: Vec<String> = f
        .tagged
        .iter()
        .map(|(l, n)| {
            let n = if f.label.as_deref() == Some(l) {
                n - 1
            } else {
                *n
            };
            (l, n)
        })
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| format!("{} {n}×", sanitize_line(l)))
        .collect();
    let quote = sanitize_line(&f.quote);
    match (&f.kind, &f.label) {
        (Kind::Mixed, Some(l)) => format!(
            "“{quote}” tagged {} here; {} elsewhere",
            sanitize_line(l),
            elsewhere.join(", ")
        ),
        _ => format!(
            "“{quote}” untagged here; tagged {} elsewhere",
            elsewhere.join(", ")
        ),
    }
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
