//! What gloss knows of an open article's sidecar on disk, so that a change
//! made there by someone else (another gloss, an editor, `git pull`) is
//! merged into the annotations in memory instead of being overwritten.
//!
//! The writer refuses to replace a file that changed since gloss last read
//! or wrote it and hands back what the file holds now; `settle` merges that
//! with the annotations in memory, against the version both started from.

use std::path::Path;

use super::annotation::Store;
use super::merge::merge;
use super::records::{merge_records, merge_status};
use super::sidecar;
use super::text::Text;

#[derive(Debug, Clone, Default)]
pub struct DiskSync {
    /// The records as the file on disk last held them, to our knowledge:
    /// the merge base (a snapshot: pointers, no history).
    base: Store,
    /// The version on disk (its fingerprint; `None`: no file) merged into
    /// memory last: finding it on disk when writing is not a conflict.
    pub adopted: Option<Option<String>>,
}

impl DiskSync {
    /// For annotations just read from disk.
    pub fn new(store: &Store) -> Self {
        DiskSync {
            base: store.snapshot(),
            ..Self::default()
        }
    }

    /// A save is on disk, holding `written`.
    pub fn saved(&mut self, written: Store) {
        self.base = written;
    }

    /// Merges into `store` the sidecar found on disk (`theirs`, `None` when
    /// it was deleted) in place of the one we expected. Returns what to
    /// tell the reader; an error when that file cannot be read, in which
    /// case nothing changes and the file must not be overwritten.
    pub fn settle(
        &mut self,
        store: &mut Store,
        text: &Text,
        path: &Path,
        theirs: Option<&[u8]>,
        fingerprint: Option<String>,
    ) -> Result<Option<String>, String> {
        if self.adopted.as_ref() == Some(&fingerprint) {
            return Ok(None); // merged already; this answered an older save
        }
        let unreadable = |line: usize, what: &str| {
            format!(
                "{}:{line}: changed on disk and cannot be read now ({what}); not overwritten. Your changes are kept here and saved once it reads again",
                path.display()
            )
        };
        // Fitted as every reader fits a sidecar: what it holds that gloss
        // does not know comes into the store too.
        let on_disk = match theirs {
            None => Store::default(),
            Some(bytes) if bytes.len() as u64 > sidecar::MAX_BYTES => {
                return Err(unreadable(1, "over the size gloss reads"));
            }
            Some(bytes) => {
                let src = std::str::from_utf8(bytes).map_err(|_| unreadable(1, "not UTF-8"))?;
                sidecar::SidecarFile::from_src(path, src.to_string())
                    .and_then(|f| f.fit_keeping(text))
                    .map_err(|p| unreadable(p.line.unwrap_or(1), &p.message))?
                    .0
                    .store
            }
        };
        let m = merge(
            self.base.all(),
            on_disk.all(),
            &on_disk.orphans,
            store.all(),
            &store.orphans,
        );
        let mut note = m.describe();
        store.adopt(m.changes, m.orphans);
        // Relations and document labels by id the same way, their ids kept
        // apart from every other record's; the status three ways.
        let mut taken = store.ids();
        let (relations, both_r) = merge_records(
            self.base.relations(),
            on_disk.relations(),
            store.relations(),
            &mut taken,
        );
        let (doc_labels, both_d) = merge_records(
            self.base.doc_labels(),
            on_disk.doc_labels(),
            store.doc_labels(),
            &mut taken,
        );
        let (events, both_e) = merge_records(
            self.base.events(),
            on_disk.events(),
            store.events(),
            &mut taken,
        );
        let (equivalences, both_q) = merge_records(
            self.base.equivalences(),
            on_disk.equivalences(),
            store.equivalences(),
            &mut taken,
        );
        // Suggestions by id too: one decided here and added or decided
        // there both stay.
        let (suggestions, both_s) = merge_records(
            self.base.suggestions(),
            on_disk.suggestions(),
            store.suggestions(),
            &mut taken,
        );
        let status = merge_status(self.base.status(), on_disk.status(), store.status());
        let n = relations.len() + doc_labels.len() + events.len() + equivalences.len();
        if n > 0 || status != store.status() {
            note.push_str(&format!(
                "; {n} relation(s), document label(s) and event(s){}",
                if status != store.status() {
                    format!(", status {}", status.name())
                } else {
                    String::new()
                }
            ));
        }
        if !suggestions.is_empty() {
            note.push_str(&format!("; {} suggestion(s)", suggestions.len()));
        }
        if both_r + both_d + both_e + both_q + both_s > 0 {
            note.push_str(&format!(
                "; {} changed on both sides kept twice",
                both_r + both_d + both_e + both_q + both_s
            ));
        }
        store.adopt_records(relations, doc_labels, status);
        store.adopt_structures(events, equivalences);
        store.adopt_suggestions(suggestions);
        store.lost_suggestions = on_disk.lost_suggestions.clone();
        store.keep_tables(on_disk.kept().clone());
        self.base = on_disk.snapshot();
        self.adopted = Some(fingerprint);
        Ok(Some(note))
    }
}
