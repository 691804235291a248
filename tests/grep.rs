//! `gloss grep`: every match of the corpus, as `rg` prints them or as JSON
//! with code point offsets and labels; hostile names and text printed
//! inert; exit codes as grep's.

mod common;

use common::{annotate, corpus_copy, corpus_of, gloss_in, stderr_of};

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn every_match_once_with_its_line_and_column_in_characters() {
    let dir = corpus_copy();
    let r = dir.path();
    let o = gloss_in(r, &["grep", "pompeo"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    let out = stdout(&o);
    // Counted on their own: each line of each article, case ignored.
    let mut want = vec![];
    let mut names: Vec<_> = std::fs::read_dir(r.join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for n in &names {
        let text = std::fs::read_to_string(r.join("seeds").join(n)).unwrap();
        for (i, line) in text.split('\n').enumerate() {
            let lower = line.to_lowercase();
            let mut from = 0;
            while let Some(k) = lower[from..].find("pompeo") {
                let at = from + k;
                want.push(format!(
                    "seeds/{n}:{}:{}:",
                    i + 1,
                    line[..at].chars().count() + 1
                ));
                from = at + 6;
            }
        }
    }
    let got: Vec<String> = out
        .lines()
        .map(|l| {
            let mut parts = l.splitn(4, ':');
            format!(
                "{}:{}:{}:",
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap()
            )
        })
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);
    // A capital letter makes case count; -i ignores it again.
    let exact = stdout(&gloss_in(r, &["grep", "POMPEO"])).lines().count();
    assert!(exact < want.len());
    assert_eq!(
        stdout(&gloss_in(r, &["grep", "-i", "POMPEO"]))
            .lines()
            .count(),
        want.len()
    );
    // Nothing: exit 1; a bad regular expression: exit 2.
    assert_eq!(gloss_in(r, &["grep", "zzqqxx"]).status.code(), Some(1));
    let o = gloss_in(r, &["grep", "--regex", "(unclosed"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr_of(&o).contains("not a regular expression"),
        "{}",
        stderr_of(&o)
    );
    // The same "(" as text is fine.
    assert_eq!(gloss_in(r, &["grep", "(unclosed"]).status.code(), Some(1));
}

#[test]
fn json_gives_code_point_offsets_and_the_labels_on_each_match() {
    let dir = corpus_copy();
    let r = dir.path();
    let rel = "002_7502e44b28077c3a.txt";
    annotate(r, rel, &[("Mike Pompeo", "PERSON", None)]);
    let o = gloss_in(r, &["grep", "--json", "--regex", r"Pompeo\b"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    let mut labelled = 0;
    for line in stdout(&o).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let article = v["article"].as_str().unwrap();
        let text = std::fs::read_to_string(r.join("seeds").join(article)).unwrap();
        let chars: Vec<char> = text.chars().collect();
        let (s, e) = (
            v["start"].as_u64().unwrap() as usize,
            v["end"].as_u64().unwrap() as usize,
        );
        let quote: String = chars[s..e].iter().collect();
        assert_eq!(quote, v["text"].as_str().unwrap());
        assert!(v["line_text"].as_str().unwrap().contains(&quote));
        let labels = v["labels"].as_array().unwrap();
        let first_mike = text
            .find("Mike Pompeo")
            .map(|b| text[..b + 5].chars().count());
        if article == rel && Some(s) == first_mike {
            assert_eq!(labels, &[serde_json::json!("PERSON")]);
            labelled += 1;
        } else {
            assert!(labels.is_empty(), "{line}");
        }
    }
    assert_eq!(labelled, 1);
}

#[test]
fn hostile_names_and_text_print_inert_and_a_fifo_is_not_read() {
    let dir = corpus_of(&[
        (
            "bell\x07\x1b[31m.txt",
            b"red \x1b[31mPompeo\x1b]0;owned\x07 here\n",
        ),
        ("bidi.txt", "Pompeo \u{202e}reversed\u{9b}31m\n".as_bytes()),
        ("plain.txt", b"nothing\n"),
    ]);
    let r = dir.path();
    let fifo = r.join("seeds/fifo.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let o = gloss_in(r, &["grep", "pompeo"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    assert_eq!(out.lines().count(), 2, "{out}");
    for bad in ['\x1b', '\x07', '\u{202e}', '\u{9b}'] {
        assert!(!out.contains(bad), "{bad:?} printed raw: {out:?}");
    }
    let o = gloss_in(r, &["grep", "--json", "pompeo"]);
    let out = stdout(&o);
    for bad in ['\x1b', '\x07', '\u{202e}', '\u{9b}'] {
        assert!(!out.contains(bad), "{bad:?} printed raw: {out:?}");
    }
    // Still the text: JSON escapes it.
    assert!(out.lines().any(|l| {
        serde_json::from_str::<serde_json::Value>(l).unwrap()["line_text"]
            .as_str()
            .unwrap()
            .contains('\u{202e}')
    }));
    // The FIFO is no article (the corpus scan takes regular files): the
    // search finished without reading it, which would have blocked.
    if made {
        assert!(!out.contains("fifo.txt") && !stderr_of(&o).contains("fifo.txt"));
    }
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    let dir = corpus_copy();
    let r = dir.path();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["grep", "e"])
        .current_dir(r)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert!(
        o.status.code().is_some_and(|c| c == 0),
        "{:?} {}",
        o.status,
        stderr_of(&o)
    );
    assert!(!stderr_of(&o).contains("cannot write"), "{}", stderr_of(&o));
}
