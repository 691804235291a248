//! Hostile sidecars: each is reported with its file and line, makes its
//! article read-only, stays byte for byte as it was, leaves the other
//! articles alone, and is listed by `gloss check` (exit code 1).

mod common;
#[path = "common/reliability.rs"]
mod reliability;

use std::path::Path;
use std::process::Command;

use common::{Harness, corpus_copy};

const THIRD: &str = "002_7502e44b28077c3a.txt";
const OTHER: &str = "000_29446928d2f6ecab.txt";

/// A sound sidecar for the third seed, made by gloss: "Pompeo" as PERSON.
fn sound(dir: &Path) -> String {
    let mut h = Harness::new(dir, 100, 30);
    h.keys("jj<Enter>/Pompeo<Enter>1");
    let path = dir.join("annotations").join(format!("{THIRD}.toml"));
    let src = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    src
}

fn line_of(src: &str, needle: &str) -> usize {
    src[..src
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {src}"))]
        .matches('\n')
        .count()
        + 1
}

struct Case {
    name: &'static str,
    /// The sidecar's bytes, made from a sound one.
    make: fn(&str) -> Vec<u8>,
    /// The line the problem is reported on, found in the bytes.
    line: fn(&str) -> usize,
    /// What the message must say.
    says: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "malformed TOML",
            make: |s| {
                s.replacen("[[annotation]]", "[[annotation]", 1)
                    .into_bytes()
            },
            line: |s| line_of(s, "[[annotation]\n"),
            says: "expected `]`",
        },
        Case {
            name: "wrong type",
            make: |s| {
                s.replace("start = ", "start = \"")
                    .replace("\nend =", "\"\nend =")
                    .into_bytes()
            },
            line: |s| line_of(s, "start = \""),
            says: "invalid type",
        },
        Case {
            name: "missing field",
            make: |s| {
                s.lines()
                    .filter(|l| !l.starts_with("label = "))
                    .map(|l| format!("{l}\n"))
                    .collect::<String>()
                    .into_bytes()
            },
            line: |s| line_of(s, "[[annotation]]"),
            says: "missing field `label`",
        },
        Case {
            name: "offsets outside the text",
            make: |s| {
                s.replace("start = 531", "start = 900000")
                    .replace("end = 537", "end = 900006")
                    .into_bytes()
            },
            line: |s| line_of(s, "id = "),
            says: "outside the article",
        },
        Case {
            name: "end before start",
            make: |s| s.replace("end = 537", "end = 500").into_bytes(),
            line: |s| line_of(s, "[[annotation]]"),
            says: "is before start",
        },
        Case {
            name: "quote that does not match",
            make: |s| {
                s.replace("quote = \"Pompeo\"", "quote = \"Pompei\"")
                    .into_bytes()
            },
            line: |s| line_of(s, "id = "),
            says: "does not match",
        },
        Case {
            name: "duplicate ids",
            make: |s| {
                let table = &s[s.find("[[annotation]]").unwrap()..];
                let copy = table
                    .replace("start = 531", "start = 0")
                    .replace("end = 537", "end = 4");
                format!("{s}\n{copy}").into_bytes()
            },
            line: |s| {
                s[..s.rfind("[[annotation]]").unwrap()]
                    .matches('\n')
                    .count()
                    + 1
            },
            says: "is used twice",
        },
        Case {
            name: "unknown format version",
            make: |s| s.replace("format = 2", "format = 99").into_bytes(),
            line: |s| line_of(s, "format = 99"),
            says: "format 99 is not one this gloss reads",
        },
        Case {
            name: "not UTF-8",
            make: |s| {
                let mut b = s.as_bytes().to_vec();
                let at = s.find("quote = \"").unwrap() + 9;
                b[at] = 0xFF;
                b
            },
            line: |s| line_of(s, "quote = \""),
            says: "not valid UTF-8",
        },
        Case {
            name: "100 MB sidecar",
            make: |s| {
                let mut b = s.as_bytes().to_vec();
                b.extend(std::iter::repeat_n(b'#', 100 << 20));
                b
            },
            line: |_| 1,
            says: "more than the 32 MB",
        },
    ]
}

#[test]
fn each_hostile_sidecar_is_named_read_only_untouched_and_checked() {
    let dir = corpus_copy();
    let good = sound(dir.path());
    assert!(
        good.contains("start = 531") && good.contains("end = 537"),
        "{good}"
    );
    let path = dir.path().join("annotations").join(format!("{THIRD}.toml"));
    for case in cases() {
        let bytes = (case.make)(&good);
        assert_ne!(
            bytes,
            good.as_bytes(),
            "{}: the case changes something",
            case.name
        );
        let line = (case.line)(&String::from_utf8_lossy(&bytes));
        std::fs::write(&path, &bytes).unwrap();

        // In the reader: read-only, named, nothing written.
        let mut h = Harness::new(dir.path(), 100, 30);
        h.keys("jj<Enter>");
        assert_eq!(h.doc().session.rel, THIRD);
        let ro = h
            .doc()
            .session
            .read_only
            .clone()
            .unwrap_or_else(|| panic!("{}: not read-only", case.name));
        let at = format!("{}:{line}:", path.display());
        assert!(ro.contains(&at), "{}: {ro:?} does not name {at}", case.name);
        assert!(
            ro.contains(case.says),
            "{}: {ro:?} lacks {:?}",
            case.name,
            case.says
        );
        h.keys("/Esper<Enter>1s2");
        assert!(h.doc().session.store.is_empty(), "{}", case.name);
        assert!(
            std::fs::read(&path).unwrap() == bytes,
            "{}: the file changed",
            case.name
        );
        // The other articles are not affected.
        h.keys("<Tab>gg<Enter>/the<Enter>1");
        assert_eq!(h.doc().session.rel, OTHER);
        assert!(h.doc().session.read_only.is_none(), "{}", case.name);
        assert_eq!(h.doc().session.store.len(), 1, "{}", case.name);
        std::fs::remove_file(dir.path().join("annotations").join(format!("{OTHER}.toml"))).unwrap();

        // And in `gloss check`.
        let o = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(["check", "seeds"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(1), "{}: {out}", case.name);
        let rel_at = format!("annotations/{THIRD}.toml:{line}:");
        let problem: Vec<_> = out.lines().filter(|l| !l.starts_with("note:")).collect();
        assert_eq!(problem.len(), 1, "{}: one line: {out}", case.name);
        assert!(
            problem[0].starts_with(&rel_at) && problem[0].contains(case.says),
            "{}: {:?}",
            case.name,
            problem[0]
        );
        assert!(
            std::fs::read(&path).unwrap() == bytes,
            "{}: check changed it",
            case.name
        );
    }
    reliability::record(
        "hostile_sidecars::each_hostile_sidecar_is_named_read_only_untouched_and_checked",
        "Hostile sidecars: malformed TOML, a wrong type, a missing field, offsets outside the text, end before start, a quote that does not match, duplicate ids, an unknown format version, not UTF-8, 100 MB",
        format!("{} sidecars", cases().len()),
        "each: a message naming file and line; the article read-only; the file byte for byte unchanged; the other articles unaffected; gloss check lists it on one line and exits 1",
    );
}

#[test]
fn check_passes_a_sound_corpus_and_notes_strays_and_temp_files() {
    let dir = corpus_copy();
    let good = sound(dir.path());
    let ann = dir.path().join("annotations");
    std::fs::write(ann.join(format!("{THIRD}.toml")), &good).unwrap();
    let run = || {
        let o = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(["check", "seeds"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, out, err) = run();
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(out, "");
    assert!(
        err.contains("5 article(s), 1 sidecar(s) sound, 0 problem(s)"),
        "{err}"
    );
    // A temp file left by a killed save, and a sidecar whose article left.
    std::fs::write(ann.join(".gloss-x1y2.tmp"), "half a sidecar").unwrap();
    std::fs::write(ann.join("gone.txt.toml"), &good).unwrap();
    let (code, out, _) = run();
    assert_eq!(code, Some(0), "notes are not problems: {out}");
    let notes: Vec<_> = out.lines().collect();
    assert_eq!(notes.len(), 2, "{out}");
    assert!(
        notes.iter().any(
            |l| l.starts_with("note: annotations/.gloss-x1y2.tmp: left by an interrupted save")
        )
    );
    assert!(
        notes
            .iter()
            .any(|l| l.starts_with("note: annotations/gone.txt.toml: no article"))
    );
    // The reader never takes the temp file for a sidecar either.
    let mut h = Harness::new(dir.path(), 100, 30);
    h.keys("jj<Enter>");
    assert_eq!(h.doc().session.store.len(), 1);
    assert!(h.doc().session.read_only.is_none());
    reliability::record(
        "hostile_sidecars::check_passes_a_sound_corpus_and_notes_strays_and_temp_files",
        "gloss check on a sound corpus, then with a sidecar whose article is gone and a temp file of a killed save",
        "1 corpus",
        "exit 0 when sound; the stray and the temp file are notes, not problems; the reader never reads the temp file",
    );
}
