//! The records of a sidecar besides span annotations: relations between
//! two annotations, labels of the whole document, and the article's
//! status. Each record has a stable id, an annotator, a creation time and
//! an optional note, like an annotation.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::annotation::new_id;

/// A directed link from one annotation to another (`from` and `to` are
/// annotation ids), labelled with a relation type from the schema.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Relation {
    pub id: String,
    pub label: String,
    pub from: String,
    pub to: String,
    pub note: Option<String>,
    pub annotator: Option<String>,
    pub created: String,
}

/// A label of the whole article, from a document-level group of the
/// schema (topic, stance).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocLabel {
    pub id: String,
    /// The schema's group, `topic`.
    pub group: String,
    /// The choice within it, `politics`.
    pub label: String,
    pub note: Option<String>,
    pub annotator: Option<String>,
    pub created: String,
}

/// A link from an annotation (or an event) to an entry of a knowledge
/// base: brat's normalisation, `Wikipedia:534366` "Barack Obama".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Norm {
    /// What kind of link (brat's `Reference`).
    pub kind: String,
    /// `DB:ID`.
    pub reference: String,
    /// The entry's name, as the knowledge base gives it.
    pub text: String,
}

/// An attribute's value: brat's binary attributes are there or not
/// (`None`), its multi-valued ones name a value.
pub type Attributes = Vec<(String, Option<String>)>;

/// Something that happens, as brat annotates it: a trigger (an annotation
/// whose text says it), a type, and arguments in roles, each an annotation
/// or another event (by id).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    pub id: String,
    pub label: String,
    /// The trigger annotation's id.
    pub trigger: String,
    /// (role, annotation or event id), in order; a role may repeat.
    pub args: Vec<(String, String)>,
    pub attributes: Attributes,
    pub norms: Vec<Norm>,
    pub note: Option<String>,
    pub annotator: Option<String>,
    pub created: String,
}

/// Annotations that stand for the same thing (brat's `*` lines, `Equiv`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Equivalence {
    pub id: String,
    pub label: String,
    /// Annotation ids, two or more.
    pub members: Vec<String>,
    pub annotator: Option<String>,
    pub created: String,
}

impl Event {
    /// Whether the event uses annotation (or event) `id`.
    pub fn uses(&self, id: &str) -> bool {
        self.trigger == id || self.args.iter().any(|(_, x)| x == id)
    }
}

/// Where the annotation of an article stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Status {
    #[default]
    New,
    InProgress,
    Done,
    Skipped,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::New,
        Status::InProgress,
        Status::Done,
        Status::Skipped,
    ];

    /// The word a sidecar stores.
    pub fn name(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in-progress",
            Status::Done => "done",
            Status::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.name() == s)
    }
}

/// A record with an id, merged by it.
pub trait Record: Clone + PartialEq {
    fn id(&self) -> &str;
    fn set_id(&mut self, id: String);
}

impl Record for Relation {
    fn id(&self) -> &str {
        &self.id
    }
    fn set_id(&mut self, id: String) {
        self.id = id;
    }
}

impl Record for Event {
    fn id(&self) -> &str {
        &self.id
    }
    fn set_id(&mut self, id: String) {
        self.id = id;
    }
}

impl Record for Equivalence {
    fn id(&self) -> &str {
        &self.id
    }
    fn set_id(&mut self, id: String) {
        self.id = id;
    }
}

impl Record for DocLabel {
    fn id(&self) -> &str {
        &self.id
    }
    fn set_id(&mut self, id: String) {
        self.id = id;
    }
}

/// What ours must do to take in their changes to records of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdoptRecord<T> {
    /// Add this record, or replace the one with its id.
    Set(T),
    Remove(String),
}

/// Three-way merge of records by id, as `merge::merge` does annotations: a
/// change on one side is taken, a deletion loses to a change on the other
/// side, a record changed on both sides is kept twice (theirs under a new
/// id, not in `taken`). Returns the changes and how many were kept twice.
/// A relation copied this way keeps its endpoints: they are annotation
/// ids, which a copy does not change.
pub fn merge_records<T: Record>(
    base: &[Arc<T>],
    theirs: &[Arc<T>],
    ours: &[Arc<T>],
    taken: &mut HashSet<String>,
) -> (Vec<AdoptRecord<T>>, usize) {
    fn index<T: Record>(v: &[Arc<T>]) -> HashMap<&str, &T> {
        v.iter().map(|a| (a.id(), &**a)).collect()
    }
    let (b, t, o) = (index(base), index(theirs), index(ours));
    let mut out = vec![];
    let mut both = 0;
    for a in theirs {
        let (base_a, ours_a) = (b.get(a.id()), o.get(a.id()));
        if base_a == Some(&&**a) || ours_a == Some(&&**a) {
            continue;
        }
        match (base_a, ours_a) {
            (Some(x), Some(y)) if x == y => out.push(AdoptRecord::Set((**a).clone())),
            (_, None) => out.push(AdoptRecord::Set((**a).clone())),
            (_, Some(_)) => {
                let id = new_id(|id| taken.contains(id) || t.contains_key(id));
                taken.insert(id.clone());
                let mut copy = (**a).clone();
                copy.set_id(id);
                out.push(AdoptRecord::Set(copy));
                both += 1;
            }
        }
    }
    for a in base {
        if !t.contains_key(a.id()) && o.get(a.id()) == Some(&&**a) {
            out.push(AdoptRecord::Remove(a.id().to_string()));
        }
    }
    (out, both)
}

/// The status after a three-way merge: a change on their side is taken
/// unless ours changed too (then ours stays).
pub fn merge_status(base: Status, theirs: Status, ours: Status) -> Status {
    if ours == base { theirs } else { ours }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(id: &str, label: &str) -> Arc<Relation> {
        Arc::new(Relation {
            id: id.into(),
            label: label.into(),
            from: "a".into(),
            to: "b".into(),
            note: None,
            annotator: None,
            created: String::new(),
        })
    }

    #[test]
    fn relations_merge_like_annotations() {
        let base = vec![rel("k", "R"), rel("d", "R"), rel("c", "R")];
        let theirs = vec![rel("k", "R"), rel("c", "S"), rel("t", "R")];
        let ours = vec![rel("k", "R"), rel("d", "R"), rel("c", "X")];
        let mut taken: HashSet<String> = ours.iter().map(|r| r.id.clone()).collect();
        let (changes, both) = merge_records(&base, &theirs, &ours, &mut taken);
        assert_eq!(both, 1, "c changed on both sides");
        assert!(changes.contains(&AdoptRecord::Set((*rel("t", "R")).clone())));
        assert!(changes.contains(&AdoptRecord::Remove("d".into())));
        let copy = changes
            .iter()
            .find_map(|c| match c {
                AdoptRecord::Set(r) if r.label == "S" => Some(r),
                _ => None,
            })
            .unwrap();
        assert_ne!(copy.id, "c");
        assert_eq!((copy.from.as_str(), copy.to.as_str()), ("a", "b"));
    }

    #[test]
    fn status_merges_three_ways() {
        use Status::*;
        assert_eq!(merge_status(New, Done, New), Done);
        assert_eq!(merge_status(New, Done, InProgress), InProgress);
        assert_eq!(merge_status(New, New, Skipped), Skipped);
        for s in Status::ALL {
            assert_eq!(Status::parse(s.name()), Some(s));
        }
    }
}

#[cfg(test)]
mod store_tests {
    use super::*;
    use crate::core::annotation::{Annotation, Store};
    use crate::core::offset::BytePos;
    use crate::core::sidecar;
    use crate::core::sync::DiskSync;
    use crate::core::text::Text;

    fn ann(id: &str, start: usize, end: usize) -> Annotation {
        Annotation {
            review: None,
            id: id.into(),
            start: BytePos(start),
            end: BytePos(end),
            label: "PERSON".into(),
            note: None,
            annotator: None,
            created: "2026-11-23T07:40:00Z".into(),
            ..Default::default()
        }
    }

    fn rel(id: &str, from: &str, to: &str) -> Relation {
        Relation {
            id: id.into(),
            label: "MET".into(),
            from: from.into(),
            to: to.into(),
            note: None,
            annotator: Some("ana".into()),
            created: "2026-11-23T07:41:00Z".into(),
        }
    }

    fn store() -> Store {
        let mut st = Store::new(vec![ann("a", 0, 10), ann("b", 15, 26)], vec![]);
        st.add_relation(rel("r1", "a", "b"));
        st.add_relation(rel("r2", "b", "a"));
        st
    }

    #[test]
    fn deleting_an_annotation_takes_its_relations_in_one_undoable_step() {
        let mut st = store();
        let (_, n) = st.remove("a").unwrap();
        assert_eq!(n, 2);
        assert!(st.relations().is_empty());
        let u = st.undo().unwrap();
        assert!(u.what.contains("with 2 relation"), "{}", u.what);
        assert_eq!(st.len(), 2);
        assert_eq!(st.relations().len(), 2);
        st.redo().unwrap();
        assert!(st.relations().is_empty() && st.len() == 1);
    }

    #[test]
    fn records_round_trip_and_format_1_becomes_2_with_nothing_lost() {
        let t = Text::new("Mark Esper met Mike Pompeo in Delhi.".into());
        let mut st = store();
        st.add_doc_label(DocLabel {
            id: "d1".into(),
            group: "topic".into(),
            label: "diplomacy".into(),
            note: Some("a \"quoted\" note".into()),
            annotator: None,
            created: String::new(),
        });
        st.set_status(Status::Done);
        let src = sidecar::write_store("a.txt", &t, &st);
        assert!(src.contains("format = 2\n") && src.contains("status = \"done\"\n"));
        let back = sidecar::load(&sidecar::parse(&src).unwrap(), &t, &src).unwrap();
        assert_eq!(back.store.relations(), st.relations());
        assert_eq!(back.store.doc_labels(), st.doc_labels());
        assert_eq!(back.store.status(), Status::Done);
        assert_eq!(sidecar::write_store("a.txt", &t, &back.store), src);
        // A format 1 file: read, and written as 2 keeping every annotation.
        let plain = Store::new(vec![ann("a", 0, 10)], vec![]);
        let v1 = sidecar::write_store("a.txt", &t, &plain).replace("format = 2", "format = 1");
        let loaded = sidecar::load(&sidecar::parse(&v1).unwrap(), &t, &v1).unwrap();
        let v2 = sidecar::write_store("a.txt", &t, &loaded.store);
        assert_eq!(v2, v1.replace("format = 1", "format = 2"));
        // Ids are unique across kinds.
        let clash = src.replacen("id = \"r1\"", "id = \"a\"", 1);
        assert!(
            sidecar::parse(&clash)
                .unwrap_err()
                .message
                .contains("used twice")
        );
        // A newer format is refused.
        let newer = src.replacen("format = 2", "format = 3", 1);
        assert!(sidecar::parse(&newer).is_err());
    }

    #[test]
    fn relations_document_labels_and_status_merge_with_a_change_on_disk() {
        let t = Text::new("Mark Esper met Mike Pompeo in Delhi.".into());
        let base = store();
        let mut sync = DiskSync::new(&base);
        // On disk, someone relabelled r1, added r3 and marked it done.
        let mut theirs = base.snapshot();
        theirs.add_relation(Relation {
            label: "SAW".into(),
            ..rel("r1", "a", "b")
        });
        theirs.add_relation(rel("r3", "a", "a"));
        theirs.set_status(Status::Done);
        let disk = sidecar::write_store("a.txt", &t, &theirs);
        // Here, we deleted r2 and added a document label.
        let mut ours = base.snapshot();
        ours.remove_relation("r2");
        ours.add_doc_label(DocLabel {
            id: "d1".into(),
            group: "topic".into(),
            label: "x".into(),
            note: None,
            annotator: None,
            created: String::new(),
        });
        let note = sync
            .settle(
                &mut ours,
                &t,
                std::path::Path::new("a.txt.toml"),
                Some(disk.as_bytes()),
                Some(sidecar::fingerprint(disk.as_bytes())),
            )
            .unwrap()
            .unwrap();
        let mut ids: Vec<(&str, &str)> = ours
            .relations()
            .iter()
            .map(|r| (r.id.as_str(), r.label.as_str()))
            .collect();
        ids.sort();
        assert_eq!(ids, [("r1", "SAW"), ("r3", "MET")], "{note}");
        assert_eq!(ours.doc_labels().len(), 1);
        assert_eq!(ours.status(), Status::Done);
    }
}
