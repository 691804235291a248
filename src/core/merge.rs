//! Three-way merge of one article's annotations, by id, for when a sidecar
//! changed on disk while gloss had it open (another gloss, a person with an
//! editor, `git pull`). `base` is the file as gloss last read or wrote it,
//! `theirs` the file now, `ours` the annotations in memory.
//!
//! Nothing is lost: a change on one side only is taken; an annotation
//! changed on both sides is kept twice (theirs under a new id) for the
//! reader to resolve; a deletion loses to a change made on the other side.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::annotation::{Annotation, Stored, new_id};

/// What ours must do to take in their changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Adopt {
    /// Add this annotation, or replace the one with its id.
    Set(Annotation),
    Remove(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    pub changes: Vec<Adopt>,
    /// Their orphans that ours lacks.
    pub orphans: Vec<Stored>,
    /// Annotations both sides changed differently: theirs was added as a
    /// copy beside ours.
    pub both_changed: usize,
}

impl Merged {
    /// "merged 3 changes made on disk by someone else", for the status line.
    pub fn describe(&self) -> String {
        let n = self.changes.len() + self.orphans.len();
        let mut s = format!(
            "merged {n} change{} made on disk by someone else",
            if n == 1 { "" } else { "s" }
        );
        if self.both_changed > 0 {
            s.push_str(&format!(
                "; {} annotation{} changed on both sides kept twice (theirs as a copy): delete the one you do not want",
                self.both_changed,
                if self.both_changed == 1 { "" } else { "s" }
            ));
        }
        s
    }
}

pub fn merge(
    base: &[Arc<Annotation>],
    theirs: &[Arc<Annotation>],
    their_orphans: &[Stored],
    ours: &[Arc<Annotation>],
    our_orphans: &[Stored],
) -> Merged {
    fn index(v: &[Arc<Annotation>]) -> HashMap<&str, &Annotation> {
        v.iter().map(|a| (a.id.as_str(), &**a)).collect()
    }
    let (b, t, o) = (index(base), index(theirs), index(ours));
    let mut out = Merged::default();
    let mut taken: HashSet<String> = o.keys().map(|s| s.to_string()).collect();
    taken.extend(our_orphans.iter().map(|s| s.id.clone()));
    for a in theirs {
        let (base_a, ours_a) = (b.get(a.id.as_str()), o.get(a.id.as_str()));
        if base_a == Some(&&**a) || ours_a == Some(&&**a) {
            continue; // unchanged by them, or the same change on both sides
        }
        match (base_a, ours_a) {
            // Ours unchanged (or new on both sides by chance): take theirs.
            // Deleted by us, changed by them: their change wins.
            (Some(x), Some(y)) if x == y => out.changes.push(Adopt::Set((**a).clone())),
            (_, None) => out.changes.push(Adopt::Set((**a).clone())),
            // Changed on both sides: keep both.
            (_, Some(_)) => {
                let id = new_id(|id| taken.contains(id) || t.contains_key(id));
                taken.insert(id.clone());
                out.changes.push(Adopt::Set(Annotation {
                    id,
                    ..(**a).clone()
                }));
                out.both_changed += 1;
            }
        }
    }
    for a in base {
        if t.contains_key(a.id.as_str()) {
            continue;
        }
        // Deleted by them: follow, unless we changed it since.
        if o.get(a.id.as_str()) == Some(&&**a) {
            out.changes.push(Adopt::Remove(a.id.clone()));
        }
    }
    out.orphans = their_orphans
        .iter()
        .filter(|s| !taken.contains(&s.id))
        .cloned()
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::offset::BytePos;

    fn a(id: &str, start: usize, label: &str) -> Arc<Annotation> {
        Arc::new(Annotation {
            review: None,
            id: id.into(),
            start: BytePos(start),
            end: BytePos(start + 3),
            label: label.into(),
            note: None,
            annotator: None,
            created: String::new(),
            ..Default::default()
        })
    }

    /// Applies `m` to `ours` as the store does, sorted by id for comparing.
    fn apply(ours: &[Arc<Annotation>], m: &Merged) -> Vec<(String, usize, String)> {
        let mut v: Vec<Annotation> = ours.iter().map(|a| (**a).clone()).collect();
        for c in &m.changes {
            match c {
                Adopt::Set(x) => {
                    v.retain(|y| y.id != x.id);
                    v.push(x.clone());
                }
                Adopt::Remove(id) => v.retain(|y| &y.id != id),
            }
        }
        let mut out: Vec<_> = v
            .into_iter()
            .map(|x| (x.id, x.start.get(), x.label))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn changes_on_either_side_are_all_kept() {
        let base = vec![
            a("k", 0, "A"),
            a("d1", 10, "A"),
            a("d2", 20, "A"),
            a("c", 30, "A"),
        ];
        // Theirs: deleted d1, relabelled c, added t.
        let theirs = vec![
            a("k", 0, "A"),
            a("d2", 20, "A"),
            a("c", 30, "B"),
            a("t", 40, "A"),
        ];
        // Ours: deleted d2, added o.
        let ours = vec![
            a("k", 0, "A"),
            a("d1", 10, "A"),
            a("c", 30, "A"),
            a("o", 50, "A"),
        ];
        let m = merge(&base, &theirs, &[], &ours, &[]);
        assert_eq!(m.both_changed, 0);
        let ids: Vec<_> = apply(&ours, &m)
            .into_iter()
            .map(|(id, _, l)| format!("{id}:{l}"))
            .collect();
        assert_eq!(ids, ["c:B", "k:A", "o:A", "t:A"]);
    }

    #[test]
    fn a_change_beats_a_deletion_and_both_changes_stay() {
        let base = vec![a("x", 0, "A"), a("y", 10, "A")];
        // They changed x and y; we deleted x and changed y differently.
        let theirs = vec![a("x", 0, "B"), a("y", 10, "B")];
        let ours = vec![a("y", 10, "C")];
        let m = merge(&base, &theirs, &[], &ours, &[]);
        assert_eq!(m.both_changed, 1);
        let got = apply(&ours, &m);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got.contains(&("x".into(), 0, "B".into())));
        assert!(got.contains(&("y".into(), 10, "C".into())));
        assert!(
            got.iter()
                .any(|(id, s, l)| id != "y" && *s == 10 && l == "B")
        );
        // They deleted what we changed: ours stays.
        let m = merge(&[a("z", 0, "A")], &[], &[], &[a("z", 0, "B")], &[]);
        assert!(m.changes.is_empty());
    }

    #[test]
    fn nothing_to_do_when_nothing_changed_on_disk() {
        let base = vec![a("x", 0, "A")];
        let ours = vec![a("x", 0, "B"), a("n", 5, "A")];
        assert_eq!(merge(&base, &base, &[], &ours, &[]), Merged::default());
    }
}
