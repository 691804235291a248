//! `gloss stats`: counts read from the sidecars, compared with an
//! independent reading; `--inconsistent` lists places tagged unlike
//! elsewhere; names from the sidecars are printed inert.

mod common;

use std::collections::BTreeMap;

use common::{annotate, annotated_corpus, corpus_of, gloss_in, stderr_of};

#[test]
fn counts_match_an_independent_reading_of_the_sidecars() {
    let dir = annotated_corpus();
    let r = dir.path();
    let o = gloss_in(r, &["stats", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // Each sidecar read with the toml crate, on its own.
    let mut per_label: BTreeMap<String, u64> = BTreeMap::new();
    let mut total = 0;
    for e in std::fs::read_dir(r.join("annotations")).unwrap() {
        let p = e.unwrap().path();
        if !p.to_string_lossy().ends_with(".txt.toml") {
            continue;
        }
        let t: toml::Table = toml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        for a in t
            .get("annotation")
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
        {
            *per_label
                .entry(a["label"].as_str().unwrap().to_string())
                .or_default() += 1;
            total += 1;
        }
    }
    assert!(total > 0);
    assert_eq!(v["annotations"].as_u64(), Some(total));
    let got: BTreeMap<String, u64> = v["per_label"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
        .collect();
    assert_eq!(got, per_label);
    let articles = std::fs::read_dir(r.join("seeds")).unwrap().count() as u64;
    assert_eq!(v["articles"].as_u64(), Some(articles));
    let histogram: u64 = v["per_article"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b[1].as_u64().unwrap())
        .sum();
    assert_eq!(histogram, articles);
    // The table says the same numbers.
    let o = gloss_in(r, &["stats"]);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(
        table.contains(&format!(
            "annotations: {total} in {} label(s)",
            per_label.len()
        )),
        "{table}"
    );
}

#[test]
fn inconsistent_places_are_listed_with_their_line_and_column() {
    let dir = corpus_of(&[
        ("a.txt", b"Washington met Pompeo.\nWashington again.\n"),
        ("b.txt", b"In Washington, Pompeo and Pompeo.\n"),
    ]);
    let r = dir.path();
    annotate(
        r,
        "a.txt",
        &[
            ("Washington", "GPE", None),
            ("Pompeo", "PERSON", None),
            ("Washington again", "X", None),
        ],
    );
    annotate(
        r,
        "b.txt",
        &[("Washington", "PERSON", None), ("Pompeo", "PERSON", None)],
    );
    let o = gloss_in(r, &["stats", "--inconsistent"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{}", stderr_of(&o));
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines.contains(&"seeds/b.txt:1:4: “Washington” tagged PERSON here; GPE 1× elsewhere"),
        "{out}"
    );
    assert!(
        lines.contains(&"seeds/b.txt:1:27: “Pompeo” untagged here; tagged PERSON 2× elsewhere"),
        "{out}"
    );
    // The second Washington of a.txt is inside a tagged "Washington again".
    assert_eq!(lines.len(), 2, "{out}");
    // None: exit 0.
    let dir = corpus_of(&[("a.txt", b"Pompeo.\n")]);
    annotate(dir.path(), "a.txt", &[("Pompeo", "PERSON", None)]);
    assert_eq!(
        gloss_in(dir.path(), &["stats", "--inconsistent"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn hostile_labels_and_quotes_print_inert() {
    let dir = corpus_of(&[("a.txt", "Pompeo \u{202e}met\u{1b}[31m here.\n".as_bytes())]);
    let r = dir.path();
    annotate(
        r,
        "a.txt",
        &[("\u{202e}met\u{1b}[31m", "BAD\u{1b}]0;x\u{7}", None)],
    );
    for args in [&["stats"][..], &["stats", "--json"]] {
        let o = gloss_in(r, args);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
        for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
            assert!(
                !out.contains(bad),
                "{bad:?} printed raw by {args:?}: {out:?}"
            );
        }
    }
}

/// The statistics view in the app (`%`): "counting…" until the I/O thread
/// answers, then the same lines as `gloss stats`.
#[test]
fn the_stats_view_shows_what_gloss_stats_prints() {
    use common::Harness;
    let dir = annotated_corpus();
    let r = dir.path();
    let mut h = Harness::new(r, 120, 50);
    h.keys("%");
    let screen = h.screen();
    let o = gloss_in(r, &["stats"]);
    let printed = String::from_utf8_lossy(&o.stdout);
    let first = printed.lines().next().unwrap();
    assert!(screen.contains(first), "{first}\n{screen}");
    let labels = printed
        .lines()
        .find(|l| l.starts_with("annotations:"))
        .unwrap();
    assert!(screen.contains(labels), "{screen}");
    h.keys("<Esc>");
    assert!(!h.screen().contains(labels));
}
