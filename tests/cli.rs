//! The command line as other tools and scripts meet it.

use std::process::{Command, Stdio};

fn gloss(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn help_and_version() {
    let o = gloss(&["--help"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    for word in ["CORPUS", "--annotations", "--labels", "--version"] {
        assert!(out.contains(word), "--help lacks {word}:\n{out}");
    }
    let o = gloss(&["--version"]);
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        format!("gloss {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_missing_corpus_is_exit_2_with_one_line() {
    let o = gloss(&["/no/such/folder"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.contains("/no/such/folder") && e.contains("does not exist"),
        "{e}"
    );
}

#[test]
fn a_bad_flag_is_exit_2() {
    let o = gloss(&["--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--no-such-flag"));
}

#[test]
fn without_a_terminal_it_says_so_and_leaves_the_terminal_alone() {
    let dir = tempfile::tempdir().unwrap();
    let o = gloss(&[dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("needs a terminal"));
    assert!(
        o.stdout.is_empty(),
        "no escape sequences on a pipe: {:?}",
        o.stdout
    );
}
