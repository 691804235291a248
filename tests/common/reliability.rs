//! Rows of `docs/reliability.md`, produced by the tests they report on:
//! a test that passes states its row, and the row must be in the document
//! word for word. After changing what a test tries, refresh the document
//! with `GLOSS_UPDATE_DOCS=1 cargo test`.

#![allow(dead_code)]

use std::fs::File;
use std::path::PathBuf;

const END: &str = "<!-- end of table: rows are written by the tests -->";

fn doc() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/reliability.md")
}

/// States the row of `test` (as `file::name`): what was tried, how many
/// runs, what held.
pub fn record(test: &str, tried: &str, runs: impl std::fmt::Display, held: &str) {
    let key = format!("| `{test}` |");
    let row = format!("| {tried} | {runs} | {held} {key}");
    let path = doc();
    if std::env::var_os("GLOSS_UPDATE_DOCS").is_some() {
        // Tests run in parallel: one writer at a time, on a lock file that
        // is never replaced.
        let lock =
            File::create(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("reliability.lock"))
                .unwrap();
        lock.lock().unwrap();
        let src = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = src.lines().map(String::from).collect();
        match lines.iter().position(|l| l.ends_with(&key)) {
            Some(i) => lines[i] = row,
            None => {
                let end = lines.iter().position(|l| l == END).expect("the end marker");
                lines.insert(end, row);
            }
        }
        // Rows in the order of their tests' names, whatever order the
        // tests ran in.
        let first = lines
            .iter()
            .position(|l| l.starts_with("|---"))
            .expect("the table")
            + 1;
        let end = lines.iter().position(|l| l == END).expect("the end marker");
        let test_of = |l: &String| l.rsplit("| `").next().unwrap_or_default().to_string();
        lines[first..end].sort_by_key(test_of);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        return;
    }
    let src = std::fs::read_to_string(&path).unwrap();
    assert!(
        src.lines().any(|l| l == row),
        "docs/reliability.md does not hold this test's row; run GLOSS_UPDATE_DOCS=1 cargo test.\nexpected: {row}\nfound:    {}",
        src.lines().find(|l| l.ends_with(&key)).unwrap_or("(none)")
    );
}
