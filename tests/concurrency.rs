//! Several writers on one sidecar: two gloss readers and `gloss import`,
//! hammering it at once, and races made deterministic by holding one
//! writer's system calls with strace. Every writer takes the annotations
//! folder's lock around read-compare-write, so nothing is ever lost.

mod common;
#[path = "common/pty.rs"]
mod pty;
#[path = "common/reliability.rs"]
mod reliability;

use std::path::Path;
use std::process::{Command, Stdio};

use pty::Session;

const ARTICLE: &str = "words.txt";

/// `w000 w001 … w{n-1}`, ten words a line: every word found by `/` alone.
fn words(n: usize) -> String {
    (0..n)
        .map(|i| format!("w{i:03}"))
        .collect::<Vec<_>>()
        .chunks(10)
        .map(|c| c.join(" "))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn corpus(n: usize) -> tempfile::TempDir {
    common::corpus_of(&[(ARTICLE, words(n).as_bytes())])
}

fn open(dir: &Path) -> Session {
    let s = Session::spawn(dir, &["seeds"], 30, 100);
    s.wait_text("w000");
    let mut s = s;
    s.send("\r");
    s.wait_for("the article open", |sc| {
        pty::status_of(sc).contains(ARTICLE)
    });
    s
}

/// The quotes on disk, sorted.
fn quotes(dir: &Path) -> Vec<String> {
    let p = dir.join("annotations").join(format!("{ARTICLE}.toml"));
    let Ok(src) = std::fs::read_to_string(&p) else {
        return vec![];
    };
    let mut q: Vec<String> = gloss::core::sidecar::parse(&src)
        .expect("the sidecar parses")
        .annotations
        .into_iter()
        .map(|a| a.quote)
        .collect();
    q.sort();
    q
}

/// A JSON Lines import of words `from..to` of the article.
fn import_input(dir: &Path, n: usize, from: usize, to: usize) -> std::path::PathBuf {
    let text = words(n);
    let spans: Vec<String> = (from..to)
        .map(|i| {
            let w = format!("w{i:03}");
            let start = text.find(&w).unwrap();
            format!(
                r#"{{"start":{start},"end":{},"label":"PERSON"}}"#,
                start + w.len()
            )
        })
        .collect();
    let line = format!(
        r#"{{"id":"{ARTICLE}","text":{},"spans":[{}]}}"#,
        serde_json::to_string(&text).unwrap(),
        spans.join(",")
    );
    let p = dir.join(format!("import-{from}.jsonl"));
    std::fs::write(&p, line + "\n").unwrap();
    p
}

fn import(dir: &Path, input: &Path, wrapper: &[&str]) -> std::process::Child {
    let gloss = env!("CARGO_BIN_EXE_gloss");
    let mut cmd = match wrapper.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(gloss);
            c
        }
        None => Command::new(gloss),
    };
    cmd.current_dir(dir)
        .args(["import", "--format", "jsonl"])
        .arg(input)
        .arg("seeds")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn expect_success(child: std::process::Child) {
    let o = child.wait_with_output().unwrap();
    assert!(
        o.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Waits (20 s at most) until the sidecar holds `expected`.
fn wait_disk(dir: &Path, expected: &[&str]) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let got = quotes(dir);
        if got == expected {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the sidecar holds {got:?}, not {expected:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn quit(mut s: Session) {
    s.send("q");
    assert!(s.wait_exit(), "gloss did not quit");
}

#[test]
fn two_readers_and_imports_hammering_one_sidecar_lose_nothing() {
    const N: usize = 300;
    let dir = corpus(N);
    let mut a = open(dir.path());
    let mut b = open(dir.path());
    // A tags the first 120 words, B the next 120, and six imports bring
    // the last 60, ten at a time, while both readers type: keys are sent
    // to both back to back, without waiting for any save.
    let mut imports = vec![];
    for i in 0..120 {
        a.send(&format!("/w{:03}\r1", i));
        b.send(&format!("/w{:03}\r1", 120 + i));
        if i % 20 == 10 {
            let from = 240 + (i / 20) * 10;
            let input = import_input(dir.path(), N, from, from + 10);
            imports.push(import(dir.path(), &input, &[]));
        }
    }
    for child in imports {
        expect_success(child);
    }
    for s in [&mut a, &mut b] {
        s.barrier();
        s.wait_saved();
    }
    quit(a);
    quit(b);
    let expected: Vec<String> = (0..N).map(|i| format!("w{i:03}")).collect();
    let got = quotes(dir.path());
    let lost: Vec<&String> = expected.iter().filter(|w| !got.contains(w)).collect();
    assert!(lost.is_empty(), "{} of {N} tags lost: {lost:?}", lost.len());
    assert_eq!(got.len(), N, "no tag twice: {got:?}");
    let check = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .current_dir(dir.path())
        .args(["check", "seeds"])
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
    reliability::record(
        "concurrency::two_readers_and_imports_hammering_one_sidecar_lose_nothing",
        "Two gloss readers tagging one article with keys sent back to back, while six gloss imports add to the same sidecar",
        "2 readers x 120 tags, 6 imports x 10 spans",
        "all 300 tags on disk, none twice (they lost 93 of 300 before the lock); gloss check passes",
    );
}

/// Runs gloss in a pty under strace, holding every call of `calls` for
/// `micros` microseconds.
fn spawn_delayed(dir: &Path, calls: &str, micros: u64) -> Session {
    let inject = format!("inject={calls}:delay_enter={micros}");
    let wrapper = [
        "strace",
        "-f",
        "-o",
        "/dev/null",
        "-e",
        &format!("trace={calls}"),
        "-e",
        &inject,
    ];
    let s = Session::spawn_wrapped(dir, &wrapper, &["seeds"], 30, 100, &[]);
    s.wait_text("w000");
    s
}

#[test]
fn a_save_held_in_its_rename_does_not_lose_the_other_readers_tag() {
    if !common::strace_works() {
        eprintln!("strace cannot trace here; .ci/run installs it");
        return;
    }
    let dir = corpus(20);
    // A's renames take 2 s each: its save holds the lock that long.
    let mut a = spawn_delayed(dir.path(), "rename,renameat,renameat2", 2_000_000);
    a.send("\r");
    a.wait_for("A open", |sc| pty::status_of(sc).contains(ARTICLE));
    let mut b = open(dir.path());
    a.send("/w003\r1");
    a.wait_for("A saving", |sc| pty::status_of(sc).contains("saving"));
    // B tags while A is inside its rename: B waits for the lock, then
    // finds A's tag on disk and merges it.
    b.send("/w007\r1");
    a.wait_saved();
    b.wait_saved();
    assert_eq!(quotes(dir.path()), ["w003", "w007"]);
    b.barrier();
    assert!(b.contents().contains("2 tags"), "{}", b.contents());
    // And A, told by its next save, keeps B's tag too.
    a.send("/w009\r1");
    wait_disk(dir.path(), &["w003", "w007", "w009"]);
    a.barrier();
    a.wait_saved();
    assert!(a.contents().contains("3 tags"), "{}", a.contents());
    quit(a);
    quit(b);
    reliability::record(
        "concurrency::a_save_held_in_its_rename_does_not_lose_the_other_readers_tag",
        "Two readers, the first one's rename held for 2 s by strace while the second tags",
        "2 processes, 3 tags",
        "the second waits for the lock, then merges the first's tag: all three on disk, each screen shows the other's",
    );
}

#[test]
fn an_import_held_before_its_write_keeps_what_a_reader_saved_meanwhile() {
    if !common::strace_works() {
        eprintln!("strace cannot trace here; .ci/run installs it");
        return;
    }
    let dir = corpus(20);
    let mut r = open(dir.path());
    r.send("/w001\r1");
    r.wait_saved();
    // The import reads the sidecar, then is held 3 s at its lock (flock):
    // meanwhile the reader tags twice more.
    let input = import_input(dir.path(), 20, 10, 13);
    let child = import(
        dir.path(),
        &input,
        &[
            "strace",
            "-f",
            "-o",
            "/dev/null",
            "-e",
            "trace=flock",
            "-e",
            "inject=flock:delay_enter=3000000",
        ],
    );
    r.send("/w002\r1");
    r.wait_saved();
    r.send("/w003\r1");
    r.wait_saved();
    expect_success(child);
    assert_eq!(
        quotes(dir.path()),
        ["w001", "w002", "w003", "w010", "w011", "w012"]
    );
    // The reader's next save merges the import in, and keeps its own.
    r.send("/w004\r1");
    r.wait_for("the merge", |sc| {
        sc.contents().contains("merged") || pty::status_of(sc).contains("7 tags")
    });
    r.barrier();
    r.wait_saved();
    assert_eq!(
        quotes(dir.path()),
        ["w001", "w002", "w003", "w004", "w010", "w011", "w012"]
    );
    quit(r);
    reliability::record(
        "concurrency::an_import_held_before_its_write_keeps_what_a_reader_saved_meanwhile",
        "gloss import held 3 s by strace between reading a sidecar and writing it, while a reader saves two tags",
        "1 import, 1 reader",
        "the import writes against what is on disk then: the reader's tags kept, and the reader's next save keeps the import's",
    );
}
