//! `gloss export` edges the interchange issue names: brat lines that
//! brat's reader would split, CRLF articles and brat versions that count a
//! CRLF as one character, labels that two formats would spell alike, and
//! CoNLL's tokens and summary. Through the real binary.

mod common;

use std::path::Path;
use std::process::Output;

use common::{annotate, corpus_of};

fn gloss(root: &Path, args: &[&str]) -> Output {
    common::gloss_in(root, args)
}

fn stderr(o: &Output) -> String {
    common::stderr_of(o)
}

/// What Python's `str.splitlines` (brat's reader) splits at, as its
/// documentation lists them.
fn python_splits(c: char) -> bool {
    "\n\r\u{b}\u{c}\u{1c}\u{1d}\u{1e}\u{85}\u{2028}\u{2029}".contains(c)
}

/// The lines of `s` as brat's reader (Python's `str.splitlines`) sees them.
fn brat_lines(s: &str) -> Vec<&str> {
    let mut out = vec![];
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if python_splits(c) {
            out.push(&s[start..i]);
            let mut end = i + c.len_utf8();
            if c == '\r'
                && let Some(&(j, '\n')) = chars.peek()
            {
                chars.next();
                end = j + 1;
            }
            start = end;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

#[test]
fn brat_lines_hold_no_character_brat_splits_at() {
    let text = "Alpha\u{2028}Beta met Gamma\u{85}Delta in Rome.\n";
    let dir = corpus_of(&[("a.txt", text.as_bytes())]);
    let r = dir.path();
    annotate(
        r,
        "a.txt",
        &[
            (
                "Alpha\u{2028}Beta",
                "PERSON",
                Some("a note\u{b}with\u{c}breaks\u{1e}inside"),
            ),
            ("Gamma\u{85}Delta", "PERSON", None),
            ("Rome", "GPE", Some("line one\u{2029}line two")),
        ],
    );
    let o = gloss(r, &["export", "-f", "brat", "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ann = std::fs::read_to_string(r.join("out/a.ann")).unwrap();
    let lines = brat_lines(&ann);
    let t: Vec<&&str> = lines.iter().filter(|l| l.starts_with('T')).collect();
    let notes: Vec<&&str> = lines.iter().filter(|l| l.starts_with('#')).collect();
    assert_eq!((t.len(), notes.len(), lines.len()), (3, 2, 5), "{ann:?}");
    // Each span across a break is written as its pieces, each piece's
    // offsets reading its text.
    let chars: Vec<char> = text.chars().collect();
    for l in &t {
        let cols: Vec<&str> = l.split('\t').collect();
        let pieces: Vec<String> = cols[1]
            .split_once(' ')
            .unwrap()
            .1
            .split(';')
            .map(|p| {
                let (a, b) = p.split_once(' ').unwrap();
                chars[a.parse::<usize>().unwrap()..b.parse::<usize>().unwrap()]
                    .iter()
                    .collect()
            })
            .collect();
        assert_eq!(pieces.join(" "), cols[2], "{l}");
    }
    // And it comes back as the same spans.
    std::fs::remove_dir_all(r.join("annotations")).unwrap();
    std::fs::create_dir_all(r.join("annotations")).unwrap();
    let o = gloss(r, &["import", "-f", "brat", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let side = std::fs::read_to_string(r.join("annotations/a.txt.toml")).unwrap();
    assert_eq!(side.matches("[[annotation]]").count(), 3, "{side}");
}

#[test]
fn crlf_articles_reach_every_brat_version_with_the_right_offsets() {
    let text = "First line.\r\nMike Pompeo met\r\nMark Esper in Delhi.\r\n";
    let dir = corpus_of(&[("a.txt", text.as_bytes())]);
    let r = dir.path();
    annotate(
        r,
        "a.txt",
        &[("Mike Pompeo", "PERSON", None), ("Delhi", "GPE", None)],
    );
    let o = gloss(
        r,
        &["export", "-f", "brat", "--newline", "lf", "--out", "lf"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let txt = std::fs::read_to_string(r.join("lf/a.txt")).unwrap();
    assert!(!txt.contains('\r'), "{txt:?}");
    let chars: Vec<char> = txt.chars().collect();
    let ann = std::fs::read_to_string(r.join("lf/a.ann")).unwrap();
    for l in ann.lines().filter(|l| l.starts_with('T')) {
        let cols: Vec<&str> = l.split('\t').collect();
        let offs: Vec<usize> = cols[1]
            .split(' ')
            .skip(1)
            .map(|n| n.parse().unwrap())
            .collect();
        assert_eq!(chars[offs[0]..offs[1]].iter().collect::<String>(), cols[2]);
    }
    // brat's LF copy imports back onto the CRLF article.
    let fresh = |r: &Path| {
        std::fs::remove_dir_all(r.join("annotations")).unwrap();
        std::fs::create_dir_all(r.join("annotations")).unwrap();
    };
    fresh(r);
    let o = gloss(r, &["import", "-f", "brat", "lf"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let side = std::fs::read_to_string(r.join("annotations/a.txt.toml")).unwrap();
    assert!(
        side.contains("quote = \"Mike Pompeo\"") && side.contains("quote = \"Delhi\""),
        "{side}"
    );
    // Older brat read the CRLF text and counted each CRLF as one: its
    // offsets are the LF ones beside the CRLF text. Read so, and said.
    std::fs::create_dir_all(r.join("old")).unwrap();
    std::fs::write(r.join("old/a.txt"), text).unwrap();
    std::fs::write(r.join("old/a.ann"), &ann).unwrap();
    fresh(r);
    let o = gloss(r, &["import", "-f", "brat", "old"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("brat issue 853"), "{}", stderr(&o));
    let side2 = std::fs::read_to_string(r.join("annotations/a.txt.toml")).unwrap();
    assert!(
        side2.contains("quote = \"Mike Pompeo\"") && side2.contains("quote = \"Delhi\""),
        "{side2}"
    );
    // --newline is refused where the format carries the text itself.
    let o = gloss(r, &["export", "-f", "jsonl", "--newline", "lf"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn labels_two_formats_would_spell_alike_stay_apart_and_are_said() {
    let text = "New York and NEW_YORK differ here.\n";
    let dir = corpus_of(&[("a.txt", text.as_bytes())]);
    let r = dir.path();
    annotate(
        r,
        "a.txt",
        &[
            ("New York", "NEW YORK", None),
            ("NEW_YORK", "NEW_YORK", None),
        ],
    );
    let o = gloss(r, &["export", "-f", "brat", "--out", "b"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ann = std::fs::read_to_string(r.join("b/a.ann")).unwrap();
    let types: std::collections::BTreeSet<&str> = ann
        .lines()
        .filter(|l| l.starts_with('T'))
        .map(|l| l.split('\t').nth(1).unwrap().split(' ').next().unwrap())
        .collect();
    assert_eq!(types.len(), 2, "two labels, two types: {ann}");
    let err = stderr(&o);
    assert!(
        err.contains("label \"NEW YORK\" written as \"NEW_YORK\""),
        "{err}"
    );
    assert!(
        err.contains("label \"NEW_YORK\" written as \"NEW_YORK-2\""),
        "{err}"
    );
    assert!(
        err.contains("is written as the name it would have had"),
        "{err}"
    );
    let o = gloss(r, &["export", "-f", "conll"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let tags: std::collections::BTreeSet<&str> = out
        .lines()
        .filter_map(|l| l.rsplit_once(' ').map(|x| x.1))
        .filter(|t| t.starts_with("B-"))
        .collect();
    assert_eq!(tags.len(), 2, "{out}");
}

#[test]
fn conll_makes_no_token_of_invisible_characters_and_counts_what_went_out() {
    let text = "\u{feff}Mike\u{200b} Pompeo met Mike Pompeo.\n";
    let dir = corpus_of(&[("a.txt", text.as_bytes())]);
    let r = dir.path();
    annotate(
        r,
        "a.txt",
        &[
            ("Mike\u{200b} Pompeo", "PERSON", None),
            ("Pompeo", "ORG", None),
        ],
    );
    let o = gloss(r, &["export", "-f", "conll"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    for l in out.lines().filter(|l| !l.is_empty()) {
        let tok = l.rsplit_once(' ').unwrap().0;
        assert!(
            !tok.chars().all(|c| matches!(c, '\u{feff}' | '\u{200b}')),
            "a token of nothing visible: {l:?} in\n{out}"
        );
    }
    let err = stderr(&o);
    assert!(err.contains("dropped 1 overlapping"), "{err}");
    assert!(
        err.contains("exported 1 annotation(s) of 2 (1 dropped"),
        "{err}"
    );
}
