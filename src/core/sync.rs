//! What gloss knows of an open article's sidecar on disk, so that a change
//! made there by someone else (another gloss, an editor, `git pull`) is
//! merged into the annotations in memory instead of being overwritten.
//!
//! The writer refuses to replace a file that changed since gloss last read
//! or wrote it and hands back what the file holds now; `settle` merges that
//! with the annotations in memory, against the version both started from.

use std::path::Path;
use std::sync::Arc;

use super::annotation::{Annotation, Store};
use super::merge::merge;
use super::sidecar;
use super::text::Text;

#[derive(Debug, Clone, Default)]
pub struct DiskSync {
    /// The annotations as the file on disk last held them, to our knowledge:
    /// the merge base.
    base: Vec<Arc<Annotation>>,
    /// The version on disk (its fingerprint; `None`: no file) merged into
    /// memory last: finding it on disk when writing is not a conflict.
    pub adopted: Option<Option<String>>,
}

impl DiskSync {
    /// For annotations just read from disk.
    pub fn new(store: &Store) -> Self {
        DiskSync {
            base: store.all().to_vec(),
            ..Self::default()
        }
    }

    /// A save is on disk, holding `written`.
    pub fn saved(&mut self, written: Vec<Arc<Annotation>>) {
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
        let on_disk = match theirs {
            None => Store::default(),
            Some(bytes) if bytes.len() as u64 > sidecar::MAX_BYTES => {
                return Err(unreadable(1, "over the size gloss reads"));
            }
            Some(bytes) => {
                let src = std::str::from_utf8(bytes).map_err(|_| unreadable(1, "not UTF-8"))?;
                let parsed = sidecar::parse(src).map_err(|e| unreadable(e.line, &e.message))?;
                sidecar::load(&parsed, text, src)
                    .map_err(|e| unreadable(e.line, &e.message))?
                    .store
            }
        };
        let m = merge(
            &self.base,
            on_disk.all(),
            &on_disk.orphans,
            store.all(),
            &store.orphans,
        );
        let note = m.describe();
        store.adopt(m.changes, m.orphans);
        self.base = on_disk.all().to_vec();
        self.adopted = Some(fingerprint);
        Ok(Some(note))
    }
}
