//! Suggestions: passages a source (a gazetteer, patterns, the annotations
//! already made, an external model) proposes for a label, which the person
//! accepts (it becomes an annotation) or rejects (it is remembered, so the
//! same source, or another, never proposes it again). They live in the
//! sidecar beside the annotations, as `[[suggestion]]` records, and are
//! never exported as annotations.

use std::ops::Range;

use super::offset::{BytePos, CharPos};
use super::records::Record;

/// How sure a source is, 0 to 1 (a model's probability). Compared by its
/// bits, so that records holding one can be compared whole.
#[derive(Debug, Clone, Copy, Default)]
pub struct Score(pub f64);

impl PartialEq for Score {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}
impl Eq for Score {}

/// What the person made of a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Decision {
    /// Not decided yet: shown in the text.
    #[default]
    Open,
    /// Accepted: it became the annotation with this id.
    Accepted { annotation: String },
    /// Rejected: never proposed again.
    Rejected,
}

impl Decision {
    pub fn is_open(&self) -> bool {
        matches!(self, Decision::Open)
    }

    /// The word a sidecar writes (nothing for an open one).
    pub fn name(&self) -> Option<&'static str> {
        match self {
            Decision::Open => None,
            Decision::Accepted { .. } => Some("accepted"),
            Decision::Rejected => Some("rejected"),
        }
    }
}

/// One suggestion on an article, in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Suggestion {
    pub id: String,
    pub start: BytePos,
    pub end: BytePos,
    pub label: String,
    /// The source's name (`gazetteer`, `patterns`, `propagated`, a
    /// command's name), for its precision and for rejecting a source's all.
    pub source: String,
    pub score: Option<Score>,
    pub decision: Decision,
    /// RFC 3339, UTC: when the source proposed it.
    pub created: String,
}

impl Suggestion {
    pub fn range(&self) -> Range<usize> {
        self.start.get()..self.end.get()
    }

    /// Whether it proposes what `other` proposes: the same passage and
    /// label, whichever source.
    pub fn same_as(&self, range: Range<usize>, label: &str) -> bool {
        self.range() == range && self.label == label
    }
}

impl Record for Suggestion {
    fn id(&self) -> &str {
        &self.id
    }
    fn set_id(&mut self, id: String) {
        self.id = id;
    }
}

/// A suggestion as a sidecar stores it: code points, its quote and
/// context (to find it again when the article changes).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoredSuggestion {
    pub id: String,
    pub start: CharPos,
    pub end: CharPos,
    pub label: String,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    pub source: String,
    pub score: Option<Score>,
    pub decision: Decision,
    pub created: String,
}

/// Counts of a source's suggestions, for its precision so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub open: usize,
    pub accepted: usize,
    pub rejected: usize,
}

impl Tally {
    pub fn add(&mut self, d: &Decision) {
        match d {
            Decision::Open => self.open += 1,
            Decision::Accepted { .. } => self.accepted += 1,
            Decision::Rejected => self.rejected += 1,
        }
    }

    /// Accepted of decided, when any was decided.
    pub fn precision(&self) -> Option<f64> {
        let decided = self.accepted + self.rejected;
        (decided > 0).then(|| self.accepted as f64 / decided as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_is_accepted_of_decided() {
        let mut t = Tally::default();
        assert_eq!(t.precision(), None);
        t.add(&Decision::Open);
        assert_eq!(t.precision(), None, "nothing decided yet");
        t.add(&Decision::Accepted {
            annotation: "a".into(),
        });
        t.add(&Decision::Rejected);
        t.add(&Decision::Rejected);
        t.add(&Decision::Accepted {
            annotation: "b".into(),
        });
        assert_eq!(t.precision(), Some(0.5));
        assert_eq!(t.open, 1);
    }
}
