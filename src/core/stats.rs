//! The corpus at a glance: articles by status, annotations per label and
//! per article, relations per type, the most frequent passages of each
//! label, and each suggestion source's decisions and precision. Counted
//! from the sidecars as they are (no article read), for `gloss stats`
//! and the app's statistics view.

use std::collections::BTreeMap;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use std::path::Path;

use super::corpus::{self, Entry};
use super::display::sanitize_line;
use super::sidecar::{Sidecar, SidecarFile};
use super::suggestion::Tally;

/// The buckets of the annotations-per-article histogram: the lowest count
/// of each.
pub const BUCKETS: [usize; 7] = [0, 1, 5, 10, 20, 50, 100];

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SourceStats {
    pub open: usize,
    pub accepted: usize,
    pub rejected: usize,
    /// Accepted of decided; absent when nothing was decided yet.
    pub precision: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    pub articles: usize,
    /// Articles whose sidecar could not be read (named by `gloss check`).
    pub unreadable: usize,
    pub by_status: BTreeMap<String, usize>,
    pub annotations: usize,
    pub per_label: BTreeMap<String, usize>,
    /// How many articles have `BUCKETS[i]` up to the next bucket's count.
    pub per_article: Vec<(String, usize)>,
    pub relations: usize,
    pub per_relation: BTreeMap<String, usize>,
    pub document_labels: BTreeMap<String, usize>,
    /// Each label's most frequent passages, most frequent first.
    pub top_quotes: BTreeMap<String, Vec<(String, usize)>>,
    pub suggestions: BTreeMap<String, SourceStats>,
    /// While counting: each label's passages, and each source's decisions.
    #[serde(skip)]
    quotes: BTreeMap<String, std::collections::HashMap<String, usize>>,
    #[serde(skip)]
    tallies: BTreeMap<String, Tally>,
}

/// How many of each label's passages `top_quotes` keeps.
pub const TOP: usize = 5;

impl Stats {
    /// Counts one article: its sidecar (`None`: it has none yet; `Err`:
    /// it cannot be read).
    pub fn add(&mut self, sidecar: Result<Option<&Sidecar>, ()>) {
        self.articles += 1;
        let sc = match sidecar {
            Ok(s) => s,
            Err(()) => {
                self.unreadable += 1;
                return;
            }
        };
        let status = sc.map_or("new", |s| s.status.name()).to_string();
        *self.by_status.entry(status).or_default() += 1;
        let n = sc.map_or(0, |s| s.annotations.len());
        let bucket = BUCKETS.iter().rposition(|&b| n >= b).unwrap_or(0);
        if self.per_article.is_empty() {
            self.per_article = BUCKETS
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let name = match BUCKETS.get(i + 1) {
                        Some(next) if next - 1 == *b => format!("{b}"),
                        Some(next) => format!("{b}-{}", next - 1),
                        None => format!("{b}+"),
                    };
                    (name, 0)
                })
                .collect();
        }
        self.per_article[bucket].1 += 1;
        let Some(sc) = sc else { return };
        self.annotations += n;
        for a in &sc.annotations {
            *self.per_label.entry(a.label.clone()).or_default() += 1;
            *self
                .quotes
                .entry(a.label.clone())
                .or_default()
                .entry(a.quote.clone())
                .or_default() += 1;
        }
        for r in &sc.relations {
            self.relations += 1;
            *self.per_relation.entry(r.label.clone()).or_default() += 1;
        }
        for l in &sc.doc_labels {
            *self
                .document_labels
                .entry(format!("{}: {}", l.group, l.label))
                .or_default() += 1;
        }
        for s in &sc.suggestions {
            self.tallies
                .entry(s.source.clone())
                .or_default()
                .add(&s.decision);
        }
    }

    /// Ends the count: the top passages and the sources' precision.
    pub fn finish(mut self) -> Stats {
        for (label, quotes) in std::mem::take(&mut self.quotes) {
            let mut v: Vec<(String, usize)> = quotes.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v.truncate(TOP);
            self.top_quotes.insert(label, v);
        }
        for (source, t) in std::mem::take(&mut self.tallies) {
            self.suggestions.insert(
                source,
                SourceStats {
                    open: t.open,
                    accepted: t.accepted,
                    rejected: t.rejected,
                    precision: t.precision(),
                },
            );
        }
        self
    }
}

/// The corpus's statistics, and the sidecars that could not be read.
pub fn gather(entries: &[Entry], annotations: &Path) -> (Stats, Vec<String>) {
    use rayon::prelude::*;
    let read: Vec<Result<Option<SidecarFile>, String>> = entries
        .par_iter()
        .map(|e| match corpus::sidecar_path(annotations, &e.rel) {
            Some(path) => SidecarFile::read(&path).map_err(|p| p.to_string()),
            None => Ok(None),
        })
        .collect();
    let mut stats = Stats::default();
    let mut problems = vec![];
    for r in &read {
        match r {
            Ok(f) => stats.add(Ok(f.as_ref().map(|f| &f.parsed))),
            Err(why) => {
                problems.push(why.clone());
                stats.add(Err(()));
            }
        }
    }
    (stats.finish(), problems)
}

fn bar(n: usize, most: usize, width: usize) -> String {
    let len = if most == 0 {
        0
    } else {
        (n * width).div_ceil(most)
    };
    "█".repeat(len)
}

/// The statistics as lines of a table, with bars (names shown inert):
/// what `gloss stats` prints and the app's statistics view shows.
pub fn lines(s: &Stats) -> Vec<String> {
    let mut out = String::new();
    let name = |x: &str| sanitize_line(x);
    let statuses: Vec<String> = s
        .by_status
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    out.push_str(&format!(
        "articles: {} ({}){}\n",
        s.articles,
        statuses.join(", "),
        if s.unreadable > 0 {
            format!(
                "; {} sidecar(s) unreadable (gloss check says why)",
                s.unreadable
            )
        } else {
            String::new()
        }
    ));
    let section = |out: &mut String, title: String, rows: Vec<(String, usize)>| {
        out.push_str(&format!("\n{title}\n"));
        let most = rows.iter().map(|r| r.1).max().unwrap_or(0);
        // Padded to the width the terminal gives each name, so a label in
        // CJK (two columns a character) keeps its bar in line.
        let w = rows.iter().map(|r| r.0.width()).max().unwrap_or(0);
        for (k, v) in rows {
            let pad = w - k.width();
            out.push_str(&format!(
                "  {k}{}  {v:>6}  {}\n",
                " ".repeat(pad),
                bar(v, most, 40)
            ));
        }
    };
    let mut labels: Vec<(String, usize)> = s.per_label.iter().map(|(k, v)| (name(k), *v)).collect();
    labels.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    section(
        &mut out,
        format!(
            "annotations: {} in {} label(s)",
            s.annotations,
            s.per_label.len()
        ),
        labels,
    );
    section(
        &mut out,
        "annotations per article".into(),
        s.per_article.clone(),
    );
    if s.relations > 0 {
        section(
            &mut out,
            format!("relations: {}", s.relations),
            s.per_relation.iter().map(|(k, v)| (name(k), *v)).collect(),
        );
    }
    if !s.document_labels.is_empty() {
        section(
            &mut out,
            "document labels".into(),
            s.document_labels
                .iter()
                .map(|(k, v)| (name(k), *v))
                .collect(),
        );
    }
    if !s.top_quotes.is_empty() {
        out.push_str("\nmost frequent passages\n");
        for (label, quotes) in &s.top_quotes {
            let qs: Vec<String> = quotes
                .iter()
                .map(|(q, n)| format!("“{}” {n}", name(q)))
                .collect();
            out.push_str(&format!("  {}: {}\n", name(label), qs.join(", ")));
        }
    }
    if !s.suggestions.is_empty() {
        out.push_str("\nsuggestions, per source\n");
        for (src, x) in &s.suggestions {
            out.push_str(&format!(
                "  {}: {} open, {} accepted, {} rejected{}\n",
                name(src),
                x.open,
                x.accepted,
                x.rejected,
                x.precision
                    .map(|p| format!(" (precision {:.0}%)", p * 100.0))
                    .unwrap_or_default()
            ));
        }
    }
    out.lines().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::{Decision, StoredSuggestion};
    use crate::core::annotation::{Relation, Status, Stored};

    fn ann(label: &str, quote: &str) -> Stored {
        Stored {
            id: quote.into(),
            label: label.into(),
            quote: quote.into(),
            ..Default::default()
        }
    }

    #[test]
    fn counts_by_label_status_bucket_quote_and_source() {
        let mut a = Sidecar {
            article: "a.txt".into(),
            fingerprint: String::new(),
            encoding: None,
            annotations: vec![
                ann("PERSON", "Pompeo"),
                ann("PERSON", "Pompeo"),
                ann("GPE", "Delhi"),
            ],
            orphans: vec![],
            relations: vec![Relation {
                label: "MET".into(),
                ..Default::default()
            }],
            doc_labels: vec![],
            events: vec![],
            equivalences: vec![],
            suggestions: vec![
                StoredSuggestion {
                    source: "names.tsv".into(),
                    decision: Decision::Rejected,
                    ..Default::default()
                },
                StoredSuggestion {
                    source: "names.tsv".into(),
                    decision: Decision::Accepted {
                        annotation: "x".into(),
                    },
                    ..Default::default()
                },
                StoredSuggestion {
                    source: "names.tsv".into(),
                    ..Default::default()
                },
            ],
            status: Status::Done,
        };
        let mut s = Stats::default();
        s.add(Ok(Some(&a)));
        a.status = Status::InProgress;
        a.annotations = (0..12).map(|i| ann("DATE", &format!("d{i}"))).collect();
        a.suggestions.clear();
        a.relations.clear();
        s.add(Ok(Some(&a)));
        s.add(Ok(None));
        s.add(Err(()));
        let s = s.finish();
        assert_eq!(s.articles, 4);
        assert_eq!(s.unreadable, 1);
        assert_eq!(s.annotations, 15);
        assert_eq!(s.per_label["PERSON"], 2);
        assert_eq!(s.per_label["DATE"], 12);
        assert_eq!(s.by_status["done"], 1);
        assert_eq!(s.by_status["new"], 1);
        assert_eq!(
            s.per_article,
            [
                ("0".to_string(), 1),
                ("1-4".into(), 1),
                ("5-9".into(), 0),
                ("10-19".into(), 1),
                ("20-49".into(), 0),
                ("50-99".into(), 0),
                ("100+".into(), 0),
            ]
        );
        assert_eq!(s.top_quotes["PERSON"], [("Pompeo".to_string(), 2)]);
        assert_eq!(s.top_quotes["DATE"].len(), TOP);
        assert_eq!(s.per_relation["MET"], 1);
        let src = &s.suggestions["names.tsv"];
        assert_eq!((src.open, src.accepted, src.rejected), (1, 1, 1));
        assert_eq!(src.precision, Some(0.5));
    }
}
