//! A corpus as every part of gloss opens it: its folder, its articles, its
//! annotations folder and its label schema, read once and checked the same
//! way for the reader, `check`, `export` and `import`, so that a broken
//! schema or a wrong folder is said in the same words by all four.

use std::fmt;
use std::path::{Path, PathBuf};

use super::corpus::{self, Entry};
use super::labels::{Schema, SchemaFile};

/// Why a workspace cannot be opened at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// The corpus is missing, a file, or unreadable: the reason in words.
    NotACorpus(String),
    /// `--annotations` names something that is not a folder.
    AnnotationsNotAFolder(PathBuf),
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::NotACorpus(why) => f.write_str(why),
            OpenError::AnnotationsNotAFolder(p) => write!(
                f,
                "--annotations {} is not a folder: give the folder that holds (or will hold) the sidecars",
                p.display()
            ),
        }
    }
}

impl std::error::Error for OpenError {}

/// An opened corpus.
#[derive(Debug)]
pub struct Workspace {
    pub corpus: PathBuf,
    pub annotations: PathBuf,
    /// Where the label schema is (or will be written).
    pub labels: PathBuf,
    pub schema_file: SchemaFile,
    /// The articles, in the order the list shows them.
    pub entries: Vec<Entry>,
    /// The article asked for by name (`gloss FILE`), to open at once.
    pub chosen: Option<usize>,
}

impl Workspace {
    /// Opens the corpus at `corpus`, with its sidecars in `annotations` and
    /// its schema at `labels`. A schema that is broken does not stop
    /// anything: the built-in labels stand in and `schema_problem` says so.
    pub fn open(corpus: &Path, annotations: &Path, labels: &Path) -> Result<Workspace, OpenError> {
        if let Some(why) = corpus::not_a_corpus(corpus) {
            return Err(OpenError::NotACorpus(why));
        }
        if annotations.exists() && !annotations.is_dir() {
            return Err(OpenError::AnnotationsNotAFolder(annotations.to_path_buf()));
        }
        Ok(Workspace {
            corpus: corpus.to_path_buf(),
            annotations: annotations.to_path_buf(),
            labels: labels.to_path_buf(),
            schema_file: SchemaFile::read(labels),
            entries: corpus::scan(corpus),
            chosen: None,
        })
    }

    /// As `open`, for the reader, which also takes one article (`gloss
    /// FILE`, as `less FILE`): its folder is the corpus and it is the one
    /// chosen, listed even when its name does not end in `.txt` or `.md`.
    pub fn open_for_reading(
        path: &Path,
        annotations: &Path,
        labels: &Path,
    ) -> Result<Workspace, OpenError> {
        let Ok(meta) = std::fs::metadata(path) else {
            return Workspace::open(path, annotations, labels);
        };
        if meta.is_dir() {
            return Workspace::open(path, annotations, labels);
        }
        if !meta.is_file() {
            return Err(OpenError::NotACorpus(format!(
                "{} is neither a folder of articles nor an article (a regular file)",
                path.display()
            )));
        }
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut ws = Workspace::open(&folder, annotations, labels)?;
        let idx = match ws.entries.iter().position(|e| e.rel == name) {
            Some(i) => i,
            None => {
                ws.entries.push(Entry {
                    rel: name.clone(),
                    path: path.to_path_buf(),
                });
                ws.entries.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
                ws.entries
                    .iter()
                    .position(|e| e.rel == name)
                    .expect("just added")
            }
        };
        ws.chosen = Some(idx);
        Ok(ws)
    }

    /// The labels in use: the file's, or the built-in ones.
    pub fn schema(&self) -> &Schema {
        &self.schema_file.schema
    }

    /// What is wrong with the schema file, in the one sentence every
    /// command uses: `file:line: why; …`.
    pub fn schema_problem(&self) -> Option<String> {
        self.schema_file
            .problem
            .as_ref()
            .map(|p| format!("{p}; the built-in labels are used until the schema is fixed"))
    }

    /// Where the sidecar of article `rel` is; `None` for a name that
    /// cannot have one.
    pub fn sidecar_path(&self, rel: &str) -> Option<PathBuf> {
        corpus::sidecar_path(&self.annotations, rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_schema_is_one_sentence_and_does_not_stop_opening() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "text").unwrap();
        let labels = dir.path().join("labels.toml");
        std::fs::write(&labels, "[[label]\nname = 1\n").unwrap();
        let ws = Workspace::open(dir.path(), &dir.path().join("annotations"), &labels).unwrap();
        let p = ws.schema_problem().expect("the problem is reported");
        assert!(p.contains("labels.toml:1"), "{p}");
        assert!(p.ends_with("the built-in labels are used until the schema is fixed"));
        assert_eq!(ws.entries.len(), 1);
        assert_eq!(ws.schema().labels, Schema::default_schema().labels);
    }

    #[test]
    fn a_file_opens_its_folder_with_it_chosen() {
        let dir = tempfile::tempdir().unwrap();
        for n in ["a.txt", "b.txt", "notes.log"] {
            std::fs::write(dir.path().join(n), "text").unwrap();
        }
        let ann = dir.path().join("annotations");
        let labels = ann.join("labels.toml");
        let ws = Workspace::open_for_reading(&dir.path().join("b.txt"), &ann, &labels).unwrap();
        assert_eq!(ws.corpus, dir.path());
        assert_eq!(ws.entries[ws.chosen.unwrap()].rel, "b.txt");
        assert_eq!(ws.entries.len(), 2);
        // A file of another kind is listed too when asked for by name.
        let ws = Workspace::open_for_reading(&dir.path().join("notes.log"), &ann, &labels).unwrap();
        assert_eq!(ws.entries.len(), 3);
        assert_eq!(ws.entries[ws.chosen.unwrap()].rel, "notes.log");
        // A folder is as before.
        let ws = Workspace::open_for_reading(dir.path(), &ann, &labels).unwrap();
        assert_eq!(ws.chosen, None);
    }

    #[test]
    fn wrong_folders_are_typed_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "x").unwrap();
        assert!(matches!(
            Workspace::open(&dir.path().join("none"), dir.path(), &file),
            Err(OpenError::NotACorpus(_))
        ));
        assert_eq!(
            Workspace::open(dir.path(), &file, &file).unwrap_err(),
            OpenError::AnnotationsNotAFolder(file.clone())
        );
    }
}
