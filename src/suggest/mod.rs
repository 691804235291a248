//! Sources of suggestions: a gazetteer, patterns, the corpus's own
//! annotations, an external command. Each reads an article's text and
//! proposes passages for labels (candidates, in byte offsets); what is
//! proposed already, annotated already or rejected before is filtered
//! out by `fresh`, so a source never brings back what the person decided.
//!
//! No terminal code here: `gloss suggest` and the app both run sources
//! through `Sources`.

pub mod command;
pub mod gazetteer;
pub mod load;
pub mod patterns;
pub mod write;

use std::collections::HashSet;

use crate::core::annotation::{Store, Suggestion, new_id, now_rfc3339};
use crate::core::offset::BytePos;
use crate::core::suggestion::Score;
use crate::core::text::Text;

pub use command::CommandSource;
pub use gazetteer::Gazetteer;
pub use patterns::Patterns;

/// A passage a source proposes for a label (bytes of the article).
pub use crate::core::phrases::Candidate;

/// What a source could not do on one article (a command's garbage, a
/// timeout), said and counted; the other articles go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError(pub String);

/// One source of suggestions.
pub enum Source {
    /// Phrases and their labels, matched whole (`text<TAB>label` lines),
    /// or the corpus's own annotations made into one.
    Gazetteer(Gazetteer),
    Patterns(Patterns),
    Command(Box<CommandSource>),
}

impl Source {
    /// The source as one that keeps no state, to be asked from many
    /// threads at once; `None` for a command (one child process, asked in
    /// turn).
    pub fn pure(&self) -> Option<Pure<'_>> {
        match self {
            Source::Gazetteer(g) => Some(Pure::Gazetteer(g)),
            Source::Patterns(p) => Some(Pure::Patterns(p)),
            Source::Command(_) => None,
        }
    }

    /// What it proposes in `text` (article `rel`).
    pub fn propose(&mut self, text: &Text, rel: &str) -> Result<Vec<Candidate>, SourceError> {
        match self {
            Source::Gazetteer(g) => Ok(g.propose(text)),
            Source::Patterns(p) => Ok(p.propose(text)),
            Source::Command(c) => c.propose_for(text, rel),
        }
    }
}

/// A source that keeps no state (see `Source::pure`).
#[derive(Clone, Copy)]
pub enum Pure<'a> {
    Gazetteer(&'a Gazetteer),
    Patterns(&'a Patterns),
}

impl Pure<'_> {
    /// What it proposes in `text`.
    pub fn propose(&self, text: &Text) -> Vec<Candidate> {
        match self {
            Pure::Gazetteer(g) => g.propose(text),
            Pure::Patterns(p) => p.propose(text),
        }
    }
}

/// A source with the name its suggestions carry (`places.tsv`,
/// `propagated`, `spacy`).
pub struct Named {
    pub name: String,
    pub source: Source,
}

/// What a source's candidates made on one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Yield {
    /// New suggestions.
    pub added: usize,
    /// Already annotated so (the same passage and label, or inside a
    /// passage with its label).
    pub annotated: usize,
    /// Already suggested, open or accepted (by any source).
    pub suggested: usize,
    /// Rejected before.
    pub rejected: usize,
    /// Not on grapheme boundaries, or outside the text.
    pub invalid: usize,
}

impl Yield {
    pub fn add(&mut self, o: &Yield) {
        self.added += o.added;
        self.annotated += o.annotated;
        self.suggested += o.suggested;
        self.rejected += o.rejected;
        self.invalid += o.invalid;
    }
}

/// The suggestions `candidates` from `source` make on `text` with what
/// `store` holds: the new ones (ids not taken by any record), and what
/// was left out. The same passage and label twice in `candidates` is one.
pub fn fresh(
    text: &Text,
    store: &Store,
    source: &str,
    candidates: &[Candidate],
    taken: &mut HashSet<String>,
) -> (Vec<Suggestion>, Yield) {
    let mut y = Yield::default();
    let annotated: HashSet<(usize, usize, &str)> = store
        .all()
        .iter()
        .map(|a| (a.start.get(), a.end.get(), a.label.as_str()))
        .collect();
    let mut decided: HashSet<(usize, usize, String)> = HashSet::new();
    let mut rejected: HashSet<(usize, usize, String)> = HashSet::new();
    for s in store.suggestions() {
        let key = (s.start.get(), s.end.get(), s.label.clone());
        match s.decision {
            crate::core::annotation::Decision::Rejected => rejected.insert(key),
            _ => decided.insert(key),
        };
    }
    let created = now_rfc3339();
    let mut out = vec![];
    for c in candidates {
        let r = c.range.clone();
        let on_text = r.start < r.end
            && r.end <= text.len()
            && text.as_str().is_char_boundary(r.start)
            && text.as_str().is_char_boundary(r.end)
            && text.is_grapheme_boundary(r.start)
            && text.is_grapheme_boundary(r.end);
        if !on_text || c.label.trim().is_empty() {
            y.invalid += 1;
            continue;
        }
        let key = (r.start, r.end, c.label.clone());
        // Annotated so already, or inside a passage annotated with its
        // label ("Pompeo" in a tagged "Mike Pompeo").
        let inside = store
            .overlapping(r.clone())
            .any(|a| a.label == c.label && a.start.get() <= r.start && r.end <= a.end.get());
        if inside || annotated.contains(&(r.start, r.end, c.label.as_str())) {
            y.annotated += 1;
        } else if rejected.contains(&key) {
            y.rejected += 1;
        } else if !decided.insert(key) {
            y.suggested += 1;
        } else {
            let id = new_id(|x| taken.contains(x));
            taken.insert(id.clone());
            out.push(Suggestion {
                id,
                start: BytePos(r.start),
                end: BytePos(r.end),
                label: c.label.clone(),
                source: source.to_string(),
                score: c.score.filter(|f| f.is_finite()).map(Score),
                decision: Default::default(),
                created: created.clone(),
            });
            y.added += 1;
        }
    }
    (out, y)
}

/// Every id `store` holds, of any record: new suggestions take others.
pub fn ids_of(store: &Store) -> HashSet<String> {
    store.ids()
}
