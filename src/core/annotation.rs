//! Annotations of one article in memory, with undo and redo.
//!
//! Offsets here are byte offsets into the article; the sidecar module turns
//! them into code points. The list is kept sorted by (start, end, label, id),
//! the order the sidecar is written in.

use std::ops::Range;

use super::offset::{BytePos, CharPos};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

pub use super::records::{Attributes, DocLabel, Equivalence, Event, Norm, Relation, Status};
pub use super::suggestion::{Decision, Score, StoredSuggestion, Suggestion};

/// One tagged passage.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Annotation {
    /// Stable, unique within the article; what relations will point at.
    pub id: String,
    pub start: BytePos,
    pub end: BytePos,
    pub label: String,
    /// What few annotations have (brat's pieces, attributes and
    /// normalisations), boxed so that the many without pay one pointer.
    pub more: Option<Box<More>>,
    pub note: Option<String>,
    /// Why someone should look at it again: set when gloss found it only
    /// approximately, or widened it, after the article changed; cleared
    /// when the user confirms its bounds (`e`, `Enter`) or relabels it.
    pub review: Option<String>,
    /// Who made it, when known (several annotators come later).
    pub annotator: Option<String>,
    /// RFC 3339, UTC.
    pub created: String,
}

/// What an annotation may hold beyond its span, label and note.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct More {
    /// A piece of a discontinuous annotation (brat's fragments): the id
    /// of its first piece, which relations and events name.
    pub part_of: Option<String>,
    /// brat's attributes on it: a name, and a value unless binary.
    pub attributes: Attributes,
    /// Links to knowledge-base entries (brat's normalisations).
    pub norms: Vec<Norm>,
}

impl More {
    /// `None` when it holds nothing.
    pub fn boxed(
        part_of: Option<String>,
        attributes: Attributes,
        norms: Vec<Norm>,
    ) -> Option<Box<More>> {
        (part_of.is_some() || !attributes.is_empty() || !norms.is_empty()).then(|| {
            Box::new(More {
                part_of,
                attributes,
                norms,
            })
        })
    }
}

impl Annotation {
    pub fn range(&self) -> Range<usize> {
        self.start.get()..self.end.get()
    }

    /// The first piece's id, when this is a later piece of a
    /// discontinuous annotation.
    pub fn part_of(&self) -> Option<&str> {
        self.more.as_ref()?.part_of.as_deref()
    }

    pub fn attributes(&self) -> &[(String, Option<String>)] {
        self.more.as_ref().map_or(&[], |m| &m.attributes)
    }

    pub fn norms(&self) -> &[Norm] {
        self.more.as_ref().map_or(&[], |m| &m.norms)
    }

    /// Makes it a piece of annotation `first` (or not, with `None`).
    pub fn set_part_of(&mut self, first: Option<String>) {
        let m = self.more.take().map(|m| *m).unwrap_or_default();
        self.more = More::boxed(first, m.attributes, m.norms);
    }

    fn key(&self) -> (usize, usize, &str, &str) {
        (self.start.get(), self.end.get(), &self.label, &self.id)
    }
}

/// An annotation as a file stores it: code point offsets, its quote and
/// context. Orphans (annotations whose quote could no longer be found in a
/// changed article) are kept in this form, so nothing is dropped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stored {
    pub id: String,
    pub start: CharPos,
    pub end: CharPos,
    pub label: String,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    pub part_of: Option<String>,
    pub attributes: Attributes,
    pub norms: Vec<Norm>,
    pub note: Option<String>,
    pub review: Option<String>,
    pub annotator: Option<String>,
    pub created: String,
}

#[derive(Debug, Clone)]
enum Change {
    Add(Annotation),
    Remove(Annotation),
    Replace {
        old: Annotation,
        new: Annotation,
    },
    AddRelation(Relation),
    RemoveRelation(Relation),
    AddDocLabel(DocLabel),
    RemoveDocLabel(DocLabel),
    AddEvent(Event),
    RemoveEvent(Event),
    AddEquivalence(Equivalence),
    RemoveEquivalence(Equivalence),
    /// A suggestion set (added, or its decision changed) or taken away;
    /// `None` on one side is no such suggestion.
    Suggest {
        old: Option<Suggestion>,
        new: Option<Suggestion>,
    },
    Status {
        old: Status,
        new: Status,
    },
    /// Several changes as one step (an annotation deleted with the
    /// relations that point at it), applied in order, undone in reverse.
    Batch(Vec<Change>),
    /// Work done in other articles' sidecars as part of this step (tags
    /// of `*` across the corpus), known to the caller by this token: the
    /// store changes nothing for it, `undo` and `redo` hand it back so the
    /// caller undoes or redoes that work too.
    Outside(u64),
}

impl Change {
    fn inverse(&self) -> Change {
        match self {
            Change::Add(a) => Change::Remove(a.clone()),
            Change::Remove(a) => Change::Add(a.clone()),
            Change::Replace { old, new } => Change::Replace {
                old: new.clone(),
                new: old.clone(),
            },
            Change::AddRelation(r) => Change::RemoveRelation(r.clone()),
            Change::RemoveRelation(r) => Change::AddRelation(r.clone()),
            Change::AddDocLabel(l) => Change::RemoveDocLabel(l.clone()),
            Change::RemoveDocLabel(l) => Change::AddDocLabel(l.clone()),
            Change::AddEvent(e) => Change::RemoveEvent(e.clone()),
            Change::RemoveEvent(e) => Change::AddEvent(e.clone()),
            Change::AddEquivalence(e) => Change::RemoveEquivalence(e.clone()),
            Change::RemoveEquivalence(e) => Change::AddEquivalence(e.clone()),
            Change::Suggest { old, new } => Change::Suggest {
                old: new.clone(),
                new: old.clone(),
            },
            Change::Status { old, new } => Change::Status {
                old: *new,
                new: *old,
            },
            Change::Batch(v) => Change::Batch(v.iter().rev().map(Change::inverse).collect()),
            Change::Outside(t) => Change::Outside(*t),
        }
    }

    /// The `Outside` tokens this change holds.
    fn outside(&self, out: &mut Vec<u64>) {
        match self {
            Change::Outside(t) => out.push(*t),
            Change::Batch(v) => v.iter().for_each(|c| c.outside(out)),
            _ => {}
        }
    }

    fn describe(&self) -> String {
        match self {
            Change::Add(a) => format!("tag {}", a.label),
            Change::Remove(a) => format!("delete {}", a.label),
            Change::Replace { old, new } if old.note != new.note => {
                format!("note on {}", new.label)
            }
            Change::Replace { old, new } if old.label != new.label => {
                format!("relabel {} → {}", old.label, new.label)
            }
            Change::Replace { new, .. } => format!("edit {}", new.label),
            Change::AddRelation(r) => format!("relation {}", r.label),
            Change::RemoveRelation(r) => format!("delete relation {}", r.label),
            Change::AddDocLabel(l) => format!("document label {}: {}", l.group, l.label),
            Change::RemoveDocLabel(l) => {
                format!("remove document label {}: {}", l.group, l.label)
            }
            Change::AddEvent(e) => format!("event {}", e.label),
            Change::RemoveEvent(e) => format!("delete event {}", e.label),
            Change::AddEquivalence(e) => format!("{} of {}", e.label, e.members.len()),
            Change::RemoveEquivalence(e) => format!("delete {}", e.label),
            Change::Suggest { new: Some(n), .. } => match &n.decision {
                Decision::Open => format!("suggestion {}", n.label),
                Decision::Accepted { .. } => format!("accept {}", n.label),
                Decision::Rejected => format!("reject {}", n.label),
            },
            Change::Suggest { old, .. } => format!(
                "remove suggestion {}",
                old.as_ref().map_or("", |o| o.label.as_str())
            ),
            Change::Status { new, .. } => format!("status {}", new.name()),
            Change::Batch(v) if v.iter().any(|c| matches!(c, Change::Outside(_))) => {
                let here: Vec<&Change> = v
                    .iter()
                    .filter(|c| !matches!(c, Change::Outside(_)))
                    .collect();
                match here.as_slice() {
                    [] => "tags in other articles".to_string(),
                    [one] => format!("{} (and tags in other articles)", one.describe()),
                    many => format!(
                        "{} tags ({}) and tags in other articles",
                        many.len(),
                        many[0].describe()
                    ),
                }
            }
            Change::Batch(v) if v.len() > 1 && v.iter().all(|c| matches!(c, Change::Add(_))) => {
                format!("{} tags ({})", v.len(), v[0].describe())
            }
            Change::Outside(_) => "tags in other articles".to_string(),
            Change::Batch(v) => match v.first() {
                Some(first) if v.len() > 1 => {
                    format!("{} (with {} relation(s))", first.describe(), v.len() - 1)
                }
                Some(first) => first.describe(),
                None => String::new(),
            },
        }
    }

    /// Where the cursor goes after this change is applied, if anywhere.
    fn focus(&self, store: &Store) -> Option<usize> {
        match self {
            Change::Add(a) | Change::Remove(a) => Some(a.start.get()),
            Change::Replace { new, .. } => Some(new.start.get()),
            Change::AddRelation(r) | Change::RemoveRelation(r) => {
                store.get(&r.from).map(|a| a.start.get())
            }
            Change::AddEvent(e) | Change::RemoveEvent(e) => {
                store.get(&e.trigger).map(|a| a.start.get())
            }
            Change::Suggest { old, new } => new.as_ref().or(old.as_ref()).map(|x| x.start.get()),
            Change::AddDocLabel(_)
            | Change::RemoveDocLabel(_)
            | Change::AddEquivalence(_)
            | Change::RemoveEquivalence(_)
            | Change::Status { .. }
            | Change::Outside(_) => None,
            Change::Batch(v) => v.iter().find_map(|c| c.focus(store)),
        }
    }
}

/// What an undo or redo did, for the status line and the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undone {
    pub what: String,
    /// Where the cursor goes: the annotation changed, if one was.
    pub at: Option<usize>,
    /// Tokens of work done outside this store with the change (see
    /// `add_batch`), for the caller to undo or redo as well.
    pub outside: Vec<u64>,
}

/// A store's undo and redo, kept while its article is not open so that
/// `u` still undoes after switching away and back.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Change>,
    redo: Vec<Change>,
}

impl History {
    pub fn is_empty(&self) -> bool {
        self.undo.is_empty() && self.redo.is_empty()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Store {
    /// Shared, so a snapshot for the writer thread copies pointers only.
    anns: Vec<Arc<Annotation>>,
    pub orphans: Vec<Stored>,
    /// In the order they were made (or read).
    relations: Vec<Arc<Relation>>,
    doc_labels: Vec<Arc<DocLabel>>,
    events: Vec<Arc<Event>>,
    equivalences: Vec<Arc<Equivalence>>,
    /// In the order they were made (or read).
    suggestions: Vec<Arc<Suggestion>>,
    /// Suggestions the sidecar holds that could not be placed in the
    /// article as it is now: written back as they are, never shown.
    pub lost_suggestions: Vec<StoredSuggestion>,
    status: Status,
    /// Each record's table as the file on disk last had it, when that file
    /// held keys gloss does not know: a record deleted and brought back
    /// (undo, a merge) is written with them again.
    kept: Arc<std::collections::HashMap<String, toml_edit::Table>>,
    undo: Vec<Change>,
    redo: Vec<Change>,
}

impl Store {
    pub fn new(anns: Vec<Annotation>, orphans: Vec<Stored>) -> Self {
        let mut anns: Vec<Arc<Annotation>> = anns.into_iter().map(Arc::new).collect();
        anns.sort_by(|a, b| a.key().cmp(&b.key()));
        Store {
            anns,
            orphans,
            ..Store::default()
        }
    }

    /// The store with these relations, document labels and status too.
    pub fn with_records(
        mut self,
        relations: Vec<Relation>,
        doc_labels: Vec<DocLabel>,
        status: Status,
    ) -> Self {
        self.relations = relations.into_iter().map(Arc::new).collect();
        self.doc_labels = doc_labels.into_iter().map(Arc::new).collect();
        self.status = status;
        self
    }

    /// The store with these suggestions (placed in the article, and those
    /// that could not be).
    pub fn with_suggestions(
        mut self,
        placed: Vec<Suggestion>,
        lost: Vec<StoredSuggestion>,
    ) -> Self {
        self.suggestions = placed.into_iter().map(Arc::new).collect();
        self.lost_suggestions = lost;
        self
    }

    pub fn suggestions(&self) -> &[Arc<Suggestion>] {
        &self.suggestions
    }

    pub fn owned_suggestions(&self) -> Vec<Suggestion> {
        self.suggestions.iter().map(|x| (**x).clone()).collect()
    }

    /// Suggestion `id`.
    pub fn suggestion(&self, id: &str) -> Option<&Suggestion> {
        self.suggestions.iter().find(|x| x.id == id).map(|x| &**x)
    }

    /// Adds new suggestions, as one step.
    pub fn suggest(&mut self, new: Vec<Suggestion>) {
        let v: Vec<Change> = new
            .into_iter()
            .map(|n| Change::Suggest {
                old: None,
                new: Some(n),
            })
            .collect();
        if !v.is_empty() {
            self.record(Change::Batch(v));
        }
    }

    /// Accepts suggestions, each as the annotation given with it (the
    /// suggestion then names it): one step, undone together.
    pub fn accept(&mut self, pairs: Vec<(String, Annotation)>) -> usize {
        let mut v = vec![];
        for (id, a) in pairs {
            let Some(old) = self.suggestion(&id).cloned() else {
                continue;
            };
            let new = Suggestion {
                decision: Decision::Accepted {
                    annotation: a.id.clone(),
                },
                ..old.clone()
            };
            v.push(Change::Add(a));
            v.push(Change::Suggest {
                old: Some(old),
                new: Some(new),
            });
        }
        let n = v.len() / 2;
        if !v.is_empty() {
            self.record(Change::Batch(v));
        }
        n
    }

    /// Rejects suggestions: one step. They stay, rejected, so that no
    /// source proposes them again.
    pub fn reject(&mut self, ids: &[String]) -> usize {
        let v: Vec<Change> = ids
            .iter()
            .filter_map(|id| self.suggestion(id).cloned())
            .filter(|s| s.decision.is_open())
            .map(|old| Change::Suggest {
                new: Some(Suggestion {
                    decision: Decision::Rejected,
                    ..old.clone()
                }),
                old: Some(old),
            })
            .collect();
        let n = v.len();
        if n > 0 {
            self.record(Change::Batch(v));
        }
        n
    }

    /// Suggestions merged from the file on disk (by id).
    pub fn adopt_suggestions(&mut self, changes: Vec<super::records::AdoptRecord<Suggestion>>) {
        use super::records::AdoptRecord;
        for c in changes {
            match c {
                AdoptRecord::Set(e) => {
                    self.suggestions.retain(|x| x.id != e.id);
                    self.suggestions.push(Arc::new(e));
                }
                AdoptRecord::Remove(id) => self.suggestions.retain(|x| x.id != id),
            }
        }
    }

    /// The store with these events and equivalences too.
    pub fn with_structures(mut self, events: Vec<Event>, equivalences: Vec<Equivalence>) -> Self {
        self.events = events.into_iter().map(Arc::new).collect();
        self.equivalences = equivalences.into_iter().map(Arc::new).collect();
        self
    }

    /// The store with `anns` as its annotations, and everything else it
    /// holds (orphans, relations, document labels, events, equivalences,
    /// status, tables kept from the file) as it was: what a writer that
    /// adds or takes away annotations builds, so that it never drops a
    /// kind of record it does not handle itself.
    pub fn with_annotations(self, anns: Vec<Annotation>) -> Self {
        let fresh = Store::new(anns, vec![]);
        Store {
            anns: fresh.anns,
            undo: vec![],
            redo: vec![],
            ..self
        }
    }

    pub fn events(&self) -> &[Arc<Event>] {
        &self.events
    }

    pub fn equivalences(&self) -> &[Arc<Equivalence>] {
        &self.equivalences
    }

    /// The events, as owned records.
    pub fn owned_events(&self) -> Vec<Event> {
        self.events.iter().map(|e| (**e).clone()).collect()
    }

    /// The equivalences, as owned records.
    pub fn owned_equivalences(&self) -> Vec<Equivalence> {
        self.equivalences.iter().map(|e| (**e).clone()).collect()
    }

    /// Records' tables kept from the file (see `kept`).
    pub fn kept(&self) -> &std::collections::HashMap<String, toml_edit::Table> {
        &self.kept
    }

    /// Adds records' tables read from a file that held keys gloss does not
    /// know; newer ones replace older ones of the same id.
    pub fn keep_tables(&mut self, tables: std::collections::HashMap<String, toml_edit::Table>) {
        if tables.is_empty() {
            return;
        }
        let mut all = (*self.kept).clone();
        all.extend(tables);
        self.kept = Arc::new(all);
    }

    pub fn relations(&self) -> &[Arc<Relation>] {
        &self.relations
    }

    pub fn doc_labels(&self) -> &[Arc<DocLabel>] {
        &self.doc_labels
    }

    pub fn status(&self) -> Status {
        self.status
    }

    /// Relations from or to annotation `id`.
    pub fn relations_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Relation> {
        self.relations
            .iter()
            .map(|r| &**r)
            .filter(move |r| r.from == id || r.to == id)
    }

    pub fn all(&self) -> &[Arc<Annotation>] {
        &self.anns
    }

    /// The annotations and orphans without the undo history: what a writer
    /// needs, for the price of copying pointers.
    pub fn snapshot(&self) -> Store {
        Store {
            anns: self.anns.clone(),
            orphans: self.orphans.clone(),
            relations: self.relations.clone(),
            doc_labels: self.doc_labels.clone(),
            events: self.events.clone(),
            equivalences: self.equivalences.clone(),
            suggestions: self.suggestions.clone(),
            lost_suggestions: self.lost_suggestions.clone(),
            status: self.status,
            kept: self.kept.clone(),
            undo: vec![],
            redo: vec![],
        }
    }

    /// Gives up the undo and redo history, to be kept elsewhere.
    pub fn take_history(&mut self) -> History {
        History {
            undo: std::mem::take(&mut self.undo),
            redo: std::mem::take(&mut self.redo),
        }
    }

    /// Takes back a history given up by `take_history` (on the same
    /// article: changes are applied by id).
    pub fn restore_history(&mut self, h: History) {
        self.undo = h.undo;
        self.redo = h.redo;
    }

    /// The annotations, given up by the store.
    /// The relations, as owned records (to build another store from).
    pub fn owned_relations(&self) -> Vec<Relation> {
        self.relations.iter().map(|r| (**r).clone()).collect()
    }

    /// The document labels, as owned records.
    pub fn owned_doc_labels(&self) -> Vec<DocLabel> {
        self.doc_labels.iter().map(|l| (**l).clone()).collect()
    }

    pub fn into_annotations(self) -> Vec<Annotation> {
        self.anns.into_iter().map(Arc::unwrap_or_clone).collect()
    }

    pub fn len(&self) -> usize {
        self.anns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.anns.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Annotation> {
        self.anns.iter().find(|a| a.id == id).map(|a| &**a)
    }

    /// Whether any record (annotation, orphan, relation, document label)
    /// has this id: ids are unique across all of them, as relations point
    /// at them.
    /// Every id the store holds, of any record (annotations, orphans,
    /// relations, document labels, events, equivalences, suggestions):
    /// a new record takes none of them.
    pub fn ids(&self) -> std::collections::HashSet<String> {
        self.anns
            .iter()
            .map(|a| a.id.clone())
            .chain(self.orphans.iter().map(|o| o.id.clone()))
            .chain(self.relations.iter().map(|r| r.id.clone()))
            .chain(self.doc_labels.iter().map(|l| l.id.clone()))
            .chain(self.events.iter().map(|e| e.id.clone()))
            .chain(self.equivalences.iter().map(|e| e.id.clone()))
            .chain(self.suggestions.iter().map(|s| s.id.clone()))
            .chain(self.lost_suggestions.iter().map(|s| s.id.clone()))
            .collect()
    }

    pub fn contains_id(&self, id: &str) -> bool {
        self.get(id).is_some()
            || self.orphans.iter().any(|o| o.id == id)
            || self.relations.iter().any(|r| r.id == id)
            || self.doc_labels.iter().any(|l| l.id == id)
            || self.events.iter().any(|e| e.id == id)
            || self.equivalences.iter().any(|e| e.id == id)
            || self.suggestions.iter().any(|s| s.id == id)
            || self.lost_suggestions.iter().any(|s| s.id == id)
    }

    /// Annotations that overlap `range`, in stored order. Sorted by start,
    /// so the scan stops at the first one starting past the range.
    pub fn overlapping(&self, range: Range<usize>) -> impl Iterator<Item = &Annotation> {
        let stop = self
            .anns
            .partition_point(|a| a.start < BytePos(range.end.max(range.start + 1)));
        self.anns[..stop].iter().map(|a| &**a).filter(move |a| {
            a.end > BytePos(range.start) || (a.start == a.end && a.start == BytePos(range.start))
        })
    }

    /// Annotations covering byte `pos`.
    pub fn at(&self, pos: usize) -> Vec<&Annotation> {
        self.overlapping(pos..pos + 1)
            .filter(|a| a.range().contains(&pos))
            .collect()
    }

    /// The innermost (shortest) annotation covering `pos`.
    pub fn innermost_at(&self, pos: usize) -> Option<&Annotation> {
        self.at(pos)
            .into_iter()
            .min_by_key(|a| (a.end - a.start, a.start))
    }

    pub fn next_after(&self, pos: usize) -> Option<&Annotation> {
        let i = self.anns.partition_point(|a| a.start <= BytePos(pos));
        self.anns.get(i).map(|a| &**a)
    }

    pub fn prev_before(&self, pos: usize) -> Option<&Annotation> {
        let i = self.anns.partition_point(|a| a.start < BytePos(pos));
        i.checked_sub(1).map(|i| &*self.anns[i])
    }

    fn insert_sorted(&mut self, a: Annotation) {
        let i = self.anns.partition_point(|x| x.key() < a.key());
        self.anns.insert(i, Arc::new(a));
    }

    fn remove_id(&mut self, id: &str) -> Option<Arc<Annotation>> {
        let i = self.anns.iter().position(|a| a.id == id)?;
        Some(self.anns.remove(i))
    }

    fn apply(&mut self, c: &Change) {
        match c {
            // By id, so that the history stays usable after `adopt`
            // changed the same annotations.
            Change::Add(a) => {
                self.remove_id(&a.id);
                self.insert_sorted(a.clone());
            }
            Change::Remove(a) => {
                self.remove_id(&a.id);
            }
            Change::Replace { old, new } => {
                self.remove_id(&old.id);
                self.insert_sorted(new.clone());
            }
            Change::AddRelation(r) => {
                self.relations.retain(|x| x.id != r.id);
                self.relations.push(Arc::new(r.clone()));
            }
            Change::RemoveRelation(r) => self.relations.retain(|x| x.id != r.id),
            Change::AddDocLabel(l) => {
                self.doc_labels.retain(|x| x.id != l.id);
                self.doc_labels.push(Arc::new(l.clone()));
            }
            Change::RemoveDocLabel(l) => self.doc_labels.retain(|x| x.id != l.id),
            Change::AddEvent(e) => {
                self.events.retain(|x| x.id != e.id);
                self.events.push(Arc::new(e.clone()));
            }
            Change::RemoveEvent(e) => self.events.retain(|x| x.id != e.id),
            Change::AddEquivalence(e) => {
                self.equivalences.retain(|x| x.id != e.id);
                self.equivalences.push(Arc::new(e.clone()));
            }
            Change::RemoveEquivalence(e) => self.equivalences.retain(|x| x.id != e.id),
            Change::Suggest { old, new } => {
                if let Some(id) = old.as_ref().or(new.as_ref()).map(|x| x.id.clone()) {
                    self.suggestions.retain(|x| x.id != id);
                }
                if let Some(n) = new {
                    self.suggestions.push(Arc::new(n.clone()));
                }
            }
            Change::Status { new, .. } => self.status = *new,
            Change::Batch(v) => {
                if !self.apply_suggestions(v) {
                    v.iter().for_each(|c| self.apply(c))
                }
            }
            Change::Outside(_) => {}
        }
    }

    /// A batch of suggestion changes, each on its own id, applied in one
    /// sweep: one by one, each a pass over all the suggestions, a
    /// thousand proposed in an article took a million comparisons. The
    /// same result as one by one: the others in their order, then the
    /// batch's in its. False (nothing done) for any other batch.
    fn apply_suggestions(&mut self, v: &[Change]) -> bool {
        let ids: std::collections::HashSet<&str> = v
            .iter()
            .filter_map(|c| match c {
                Change::Suggest { old, new } => {
                    old.as_ref().or(new.as_ref()).map(|x| x.id.as_str())
                }
                _ => None,
            })
            .collect();
        if v.len() < 2 || ids.len() != v.len() {
            return false;
        }
        self.suggestions.retain(|x| !ids.contains(x.id.as_str()));
        for c in v {
            if let Change::Suggest { new: Some(n), .. } = c {
                self.suggestions.push(Arc::new(n.clone()));
            }
        }
        true
    }

    fn record(&mut self, c: Change) {
        self.apply(&c);
        self.undo.push(c);
        self.redo.clear();
    }

    pub fn add(&mut self, a: Annotation) {
        self.record(Change::Add(a));
    }

    /// Deletes annotation `id` and the relations, events and equivalences
    /// that use it, as one step for undo. Returns it and how many records
    /// went with it.
    pub fn remove(&mut self, id: &str) -> Option<(Annotation, usize)> {
        let a = self.get(id)?.clone();
        let mut relations: Vec<Change> = self
            .relations_of(id)
            .map(|r| Change::RemoveRelation(r.clone()))
            .collect();
        relations.extend(
            self.events
                .iter()
                .filter(|e| e.uses(id))
                .map(|e| Change::RemoveEvent((**e).clone())),
        );
        relations.extend(
            self.equivalences
                .iter()
                .filter(|e| e.members.iter().any(|m| m == id))
                .map(|e| Change::RemoveEquivalence((**e).clone())),
        );
        let n = relations.len();
        if n == 0 {
            self.record(Change::Remove(a.clone()));
        } else {
            let mut steps = vec![Change::Remove(a.clone())];
            steps.extend(relations);
            self.record(Change::Batch(steps));
        }
        Some((a, n))
    }

    /// Adds every annotation of `anns` as one step: one `u` takes them
    /// all back. With `outside`, the step also stands for work the caller
    /// did elsewhere under that token (tags in other articles' sidecars):
    /// undoing or redoing it hands the token back in `Undone::outside`,
    /// and the step is recorded even when `anns` is empty.
    pub fn add_batch(&mut self, anns: Vec<Annotation>, outside: Option<u64>) {
        let mut steps: Vec<Change> = anns.into_iter().map(Change::Add).collect();
        steps.extend(outside.map(Change::Outside));
        match steps.len() {
            0 => {}
            1 => self.record(steps.pop().expect("one")),
            _ => self.record(Change::Batch(steps)),
        }
    }

    /// Annotations added and others relabelled (`relabelled`: their new
    /// versions, by id) as one step, with work done in other articles'
    /// sidecars (`outside` tokens): what fixing many findings at once does.
    pub fn fix_batch(
        &mut self,
        adds: Vec<Annotation>,
        relabelled: Vec<Annotation>,
        outside: Vec<u64>,
    ) {
        let mut steps: Vec<Change> = adds.into_iter().map(Change::Add).collect();
        for new in relabelled {
            if let Some(old) = self.get(&new.id).cloned()
                && old != new
            {
                steps.push(Change::Replace { old, new });
            }
        }
        steps.extend(outside.into_iter().map(Change::Outside));
        match steps.len() {
            0 => {}
            1 => self.record(steps.pop().expect("one")),
            _ => self.record(Change::Batch(steps)),
        }
    }

    pub fn add_relation(&mut self, r: Relation) {
        self.record(Change::AddRelation(r));
    }

    pub fn remove_relation(&mut self, id: &str) -> Option<Relation> {
        let r = self.relations.iter().find(|r| r.id == id)?.as_ref().clone();
        self.record(Change::RemoveRelation(r.clone()));
        Some(r)
    }

    pub fn add_doc_label(&mut self, l: DocLabel) {
        self.record(Change::AddDocLabel(l));
    }

    pub fn remove_doc_label(&mut self, id: &str) -> Option<DocLabel> {
        let l = self
            .doc_labels
            .iter()
            .find(|l| l.id == id)?
            .as_ref()
            .clone();
        self.record(Change::RemoveDocLabel(l.clone()));
        Some(l)
    }

    /// Adds document label `l`, or, if the article has that group and
    /// label already, removes it; with `single`, adding takes away the
    /// group's other labels in the same step. Returns whether it added.
    pub fn toggle_doc_label(&mut self, l: DocLabel, single: bool) -> bool {
        if let Some(have) = self
            .doc_labels
            .iter()
            .find(|x| x.group == l.group && x.label == l.label)
        {
            let have = have.as_ref().clone();
            self.record(Change::RemoveDocLabel(have));
            return false;
        }
        let mut steps: Vec<Change> = if single {
            self.doc_labels
                .iter()
                .filter(|x| x.group == l.group)
                .map(|x| Change::RemoveDocLabel(x.as_ref().clone()))
                .collect()
        } else {
            vec![]
        };
        steps.push(Change::AddDocLabel(l));
        let c = if steps.len() == 1 {
            steps.pop().expect("one step")
        } else {
            Change::Batch(steps)
        };
        self.record(c);
        true
    }

    pub fn set_status(&mut self, status: Status) {
        if status != self.status {
            self.record(Change::Status {
                old: self.status,
                new: status,
            });
        }
    }

    /// Replaces the annotation with `new.id` by `new`.
    pub fn replace(&mut self, new: Annotation) -> bool {
        let Some(old) = self.get(&new.id).cloned() else {
            return false;
        };
        if old != new {
            self.record(Change::Replace { old, new });
        }
        true
    }

    /// Takes in changes made elsewhere (a merge with the file on disk).
    /// They are not undone by `undo`: they were not made here.
    pub fn adopt(&mut self, changes: Vec<crate::core::merge::Adopt>, orphans: Vec<Stored>) {
        use crate::core::merge::Adopt;
        for c in changes {
            match c {
                Adopt::Set(a) => {
                    self.remove_id(&a.id);
                    self.insert_sorted(a);
                }
                Adopt::Remove(id) => {
                    self.remove_id(&id);
                }
            }
        }
        self.orphans.extend(orphans);
    }

    /// Takes in relation, document label and status changes made
    /// elsewhere; like `adopt`, not undone by `undo`.
    /// Takes in event and equivalence changes made elsewhere.
    pub fn adopt_structures(
        &mut self,
        events: Vec<super::records::AdoptRecord<Event>>,
        equivalences: Vec<super::records::AdoptRecord<Equivalence>>,
    ) {
        use super::records::AdoptRecord;
        for c in events {
            match c {
                AdoptRecord::Set(e) => {
                    self.events.retain(|x| x.id != e.id);
                    self.events.push(Arc::new(e));
                }
                AdoptRecord::Remove(id) => self.events.retain(|x| x.id != id),
            }
        }
        for c in equivalences {
            match c {
                AdoptRecord::Set(e) => {
                    self.equivalences.retain(|x| x.id != e.id);
                    self.equivalences.push(Arc::new(e));
                }
                AdoptRecord::Remove(id) => self.equivalences.retain(|x| x.id != id),
            }
        }
    }

    pub fn adopt_records(
        &mut self,
        relations: Vec<super::records::AdoptRecord<Relation>>,
        doc_labels: Vec<super::records::AdoptRecord<DocLabel>>,
        status: Status,
    ) {
        use super::records::AdoptRecord;
        for c in relations {
            match c {
                AdoptRecord::Set(r) => {
                    self.relations.retain(|x| x.id != r.id);
                    self.relations.push(Arc::new(r));
                }
                AdoptRecord::Remove(id) => self.relations.retain(|x| x.id != id),
            }
        }
        for c in doc_labels {
            match c {
                AdoptRecord::Set(l) => {
                    self.doc_labels.retain(|x| x.id != l.id);
                    self.doc_labels.push(Arc::new(l));
                }
                AdoptRecord::Remove(id) => self.doc_labels.retain(|x| x.id != id),
            }
        }
        self.status = status;
    }

    pub fn undo(&mut self) -> Option<Undone> {
        let c = self.undo.pop()?;
        let inv = c.inverse();
        self.apply(&inv);
        let mut outside = vec![];
        c.outside(&mut outside);
        let out = Undone {
            what: c.describe(),
            at: inv.focus(self),
            outside,
        };
        self.redo.push(c);
        Some(out)
    }

    pub fn redo(&mut self) -> Option<Undone> {
        let c = self.redo.pop()?;
        self.apply(&c);
        let mut outside = vec![];
        c.outside(&mut outside);
        let out = Undone {
            what: c.describe(),
            at: c.focus(self),
            outside,
        };
        self.undo.push(c);
        Some(out)
    }
}

/// The current time as RFC 3339 UTC, to the second.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// A fresh id: 8 hex digits from the clock, the process and a counter, so
/// that two annotators working apart almost never pick the same one.
pub fn new_id(taken: impl Fn(&str) -> bool) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let mut h = Sha256::new();
        h.update(nanos.to_le_bytes());
        h.update(std::process::id().to_le_bytes());
        h.update(n.to_le_bytes());
        let d = h.finalize();
        let id: String = d[..4].iter().map(|b| format!("{b:02x}")).collect();
        if !taken(&id) {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann(id: &str, s: usize, e: usize, l: &str) -> Annotation {
        Annotation {
            review: None,
            id: id.into(),
            start: BytePos(s),
            end: BytePos(e),
            label: l.into(),
            note: None,
            annotator: None,
            created: "2026-01-01T00:00:00Z".into(),
            ..Default::default()
        }
    }

    fn sug(id: &str, s: usize, label: &str, decision: Decision) -> Suggestion {
        Suggestion {
            id: id.into(),
            start: BytePos(s),
            end: BytePos(s + 3),
            label: label.into(),
            source: "test".into(),
            score: None,
            decision,
            created: "2026-01-01T00:00:00Z".into(),
        }
    }

    /// A batch of suggestion changes applied in one sweep leaves the
    /// store as applying them one at a time does, forward and undone.
    #[test]
    fn a_batch_of_suggestions_is_applied_as_one_by_one() {
        let start = || {
            let mut st = Store::new(vec![], vec![]);
            for (i, id) in ["a", "b", "c", "d"].iter().enumerate() {
                st.apply(&Change::Suggest {
                    old: None,
                    new: Some(sug(id, i * 10, "X", Decision::Open)),
                });
            }
            st
        };
        let batch = vec![
            // b decided, a dropped, two new, c relabelled.
            Change::Suggest {
                old: Some(sug("b", 10, "X", Decision::Open)),
                new: Some(sug("b", 10, "X", Decision::Rejected)),
            },
            Change::Suggest {
                old: Some(sug("a", 0, "X", Decision::Open)),
                new: None,
            },
            Change::Suggest {
                old: None,
                new: Some(sug("e", 40, "Y", Decision::Open)),
            },
            Change::Suggest {
                old: None,
                new: Some(sug("f", 50, "Y", Decision::Open)),
            },
            Change::Suggest {
                old: Some(sug("c", 20, "X", Decision::Open)),
                new: Some(sug("c", 20, "Z", Decision::Open)),
            },
        ];
        let ids = |st: &Store| -> Vec<(String, String, bool)> {
            st.suggestions()
                .iter()
                .map(|x| {
                    (
                        x.id.clone(),
                        x.label.clone(),
                        x.decision == Decision::Rejected,
                    )
                })
                .collect()
        };
        let mut one_by_one = start();
        batch.iter().for_each(|c| one_by_one.apply(c));
        let mut swept = start();
        swept.record(Change::Batch(batch.clone()));
        assert_eq!(ids(&swept), ids(&one_by_one));
        assert_eq!(
            ids(&swept).iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            ["d", "b", "e", "f", "c"]
        );
        swept.undo();
        batch
            .iter()
            .rev()
            .for_each(|c| one_by_one.apply(&c.inverse()));
        assert_eq!(ids(&swept), ids(&one_by_one));
        let mut back = ids(&swept);
        back.sort();
        assert_eq!(back, ids(&start()));
    }

    #[test]
    fn a_batch_with_work_elsewhere_hands_its_token_back_on_undo_and_redo() {
        let mut st = Store::new(vec![], vec![]);
        st.add_batch(
            vec![ann("a", 0, 3, "PERSON"), ann("b", 5, 8, "PERSON")],
            Some(7),
        );
        st.add(ann("c", 10, 12, "ORG"));
        assert!(
            st.undo().unwrap().outside.is_empty(),
            "a plain step has none"
        );
        let u = st.undo().unwrap();
        assert_eq!(u.outside, [7]);
        assert!(u.what.contains("other articles"), "{}", u.what);
        assert_eq!(st.len(), 0);
        assert_eq!(st.redo().unwrap().outside, [7]);
        assert_eq!(st.len(), 2);
        // Nothing here but tags elsewhere: still a step of its own.
        st.add_batch(vec![], Some(8));
        assert_eq!(st.len(), 2);
        assert_eq!(st.undo().unwrap().outside, [8]);
        assert_eq!(st.undo().unwrap().outside, [7]);
        assert!(st.undo().is_none());
    }

    #[test]
    fn undo_redo_across_add_remove_replace() {
        let mut st = Store::default();
        st.add(ann("a", 5, 10, "X"));
        st.add(ann("b", 0, 20, "Y"));
        assert_eq!(st.all()[0].id, "b");
        let mut noted = st.get("a").unwrap().clone();
        noted.note = Some("hi".into());
        st.replace(noted);
        st.remove("b");
        assert_eq!(st.len(), 1);
        assert_eq!(st.undo().unwrap().what, "delete Y");
        assert_eq!(st.len(), 2);
        assert_eq!(st.undo().unwrap().what, "note on X");
        assert_eq!(st.get("a").unwrap().note, None);
        assert_eq!(st.redo().unwrap().what, "note on X");
        assert_eq!(st.get("a").unwrap().note.as_deref(), Some("hi"));
        st.add(ann("c", 1, 2, "Z"));
        assert!(st.redo().is_none(), "a new change clears redo");
    }

    #[test]
    fn innermost_and_jumps() {
        let st = Store::new(vec![ann("o", 0, 20, "A"), ann("i", 5, 8, "B")], vec![]);
        assert_eq!(st.innermost_at(6).unwrap().id, "i");
        assert_eq!(st.innermost_at(10).unwrap().id, "o");
        assert_eq!(st.at(6).len(), 2);
        assert!(st.innermost_at(20).is_none());
        assert_eq!(st.next_after(0).unwrap().id, "i");
        assert_eq!(st.prev_before(5).unwrap().id, "o");
        assert_eq!(st.overlapping(7..30).count(), 2);
        assert_eq!(st.overlapping(8..30).count(), 1);
    }

    #[test]
    fn ids_are_fresh() {
        let a = new_id(|_| false);
        let b = new_id(|x| x == a);
        assert_eq!(a.len(), 8);
        assert_ne!(a, b);
    }
}
