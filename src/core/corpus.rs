//! The corpus: which files are articles, what they are called, and where
//! their sidecars live.

use std::io::Read;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::display::sanitize_line;

/// Extensions of files read as articles.
pub const ARTICLE_EXTENSIONS: [&str; 2] = ["txt", "md"];

/// The longest title shown, in code points.
const TITLE_MAX_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the corpus root, `/`-separated: the article's name
    /// in sidecars and exports.
    pub rel: String,
    pub path: PathBuf,
}

/// Every article under `root`, sorted by relative path. Folders that cannot
/// be read are passed over. Symlinked folders are not entered (no loops, no
/// leaving the corpus); a symlinked file is an article if it points to one.
/// File types come from the directory listing, so only symlinks cost a
/// `stat`: a 100,000-article corpus is listed nearly as fast as `find`.
pub fn scan(root: &Path) -> Vec<Entry> {
    let mut out: Vec<Entry> = walker(root, false).collect();
    out.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    out
}

/// The articles under `root` as the walk finds them, each folder's
/// entries in name order when `sorted` (a deterministic order that needs
/// no list of them all first: `gloss grep` searches while it walks).
pub fn walker(root: &Path, sorted: bool) -> impl Iterator<Item = Entry> {
    use std::os::unix::ffi::OsStrExt;
    // Every path below starts with the root and a separator.
    let root_bytes = root.as_os_str().as_bytes();
    let skip = root_bytes.len() + usize::from(!root_bytes.ends_with(b"/"));
    let walk = WalkDir::new(root);
    let walk = if sorted {
        walk.sort_by_file_name()
    } else {
        walk
    };
    walk.into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                || (e.file_type().is_symlink() && e.path().metadata().is_ok_and(|m| m.is_file()))
        })
        .filter(|e| {
            e.path()
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| ARTICLE_EXTENSIONS.iter().any(|a| a.eq_ignore_ascii_case(x)))
        })
        .filter_map(move |e| {
            // Below the root every component is a plain name: on Unix the
            // rest of the path, as text, is the `/`-separated relative path.
            // A name that is not UTF-8 is listed with U+FFFD in place of
            // its bad bytes; `sidecar_path` then refuses it (read-only).
            let rel = e.path().as_os_str().as_bytes().get(skip..)?;
            let rel = String::from_utf8_lossy(rel).into_owned();
            Some(Entry {
                rel,
                path: e.into_path(),
            })
        })
}

/// The sidecar of article `rel`: `DIR/rel.toml`. `None` for a name that
/// could lead outside `dir`, or that was not UTF-8 (listed with U+FFFD,
/// which two such names could share).
pub fn sidecar_path(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut p = dir.to_path_buf();
    for part in rel.split('/') {
        if part.is_empty()
            || part == "."
            || part == ".."
            || part.contains('\\')
            || part.contains('\u{FFFD}')
        {
            return None;
        }
        p.push(part);
    }
    let mut name = p.file_name()?.to_os_string();
    name.push(".toml");
    p.set_file_name(name);
    Some(p)
}

/// Why `dir` cannot be read as a corpus, in words for the user; `None`
/// when it is a folder.
pub fn not_a_corpus(dir: &Path) -> Option<String> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => None,
        Ok(_) => Some(format!(
            "{} is a file, not a folder: give the folder that holds it (its articles are .txt and .md files)",
            dir.display()
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(format!(
            "corpus folder {} does not exist; give a folder of .txt or .md articles",
            dir.display()
        )),
        Err(e) => Some(format!("corpus folder {}: {e}", dir.display())),
    }
}

/// The file name of `rel`, for articles without a title.
pub fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// How much of a file the list reads for its title and health.
pub const HEAD_BYTES: u64 = 16 * 1024;

/// The first `HEAD_BYTES` of a file.
pub fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(4096);
    super::fsio::open_regular(path)?
        .take(HEAD_BYTES)
        .read_to_end(&mut buf)?;
    Ok(buf)
}

/// The title in the start of an article: its first non-empty line,
/// trimmed, made safe to show; or the file name.
pub fn title_from_head(rel: &str, head: &[u8]) -> String {
    title_from_decoded(rel, &super::decode::decode_head(head))
}

/// The title in a head already decoded as the article is (a BOM is no
/// part of a title; Latin-1 is letters, not <E9>).
pub fn title_from_decoded(rel: &str, head: &super::decode::Decoded) -> String {
    let text = match head {
        super::decode::Decoded::Text { text, .. } => text,
        super::decode::Decoded::Binary(_) => return sanitize_line(file_name(rel)),
    };
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| sanitize_line(&l.chars().take(TITLE_MAX_CHARS).collect::<String>()))
        .unwrap_or_else(|| sanitize_line(file_name(rel)))
}

/// The article's title, from the start of its file.
pub fn read_title(e: &Entry) -> String {
    match read_head(&e.path) {
        Ok(head) => title_from_head(&e.rel, &head),
        Err(_) => sanitize_line(file_name(&e.rel)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecars_stay_inside_the_folder() {
        let d = Path::new("/ann");
        assert_eq!(
            sidecar_path(d, "sub/a.txt").unwrap(),
            Path::new("/ann/sub/a.txt.toml")
        );
        assert_eq!(
            sidecar_path(d, "a.md").unwrap(),
            Path::new("/ann/a.md.toml")
        );
        assert!(sidecar_path(d, "../x.txt").is_none());
        assert!(sidecar_path(d, "a//b.txt").is_none());
        assert!(sidecar_path(d, "/etc/passwd").is_none());
    }

    #[test]
    fn scan_finds_articles_recursively_and_sorted() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("b/c")).unwrap();
        std::fs::write(root.join("b/c/z.txt"), "\n  Deep title  \nbody").unwrap();
        std::fs::write(root.join("a.md"), "").unwrap();
        std::fs::write(root.join("notes.pdf"), "x").unwrap();
        let es = scan(root);
        let rels: Vec<_> = es.iter().map(|e| e.rel.as_str()).collect();
        assert_eq!(rels, ["a.md", "b/c/z.txt"]);
        assert_eq!(read_title(&es[1]), "Deep title");
        assert_eq!(read_title(&es[0]), "a.md");
    }
}
