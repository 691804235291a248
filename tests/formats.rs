//! Export and import: round trips, refusals, modes and filters, through the
//! real binary and through the library.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{annotated_corpus, corpus_copy};
use gloss::core::annotation::{Annotation, Store};
use gloss::core::offset::BytePos;
use gloss::core::sidecar;
use gloss::core::text::Text;
use proptest::prelude::*;

fn gloss(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .current_dir(root)
        .output()
        .unwrap()
}

fn ok(o: &std::process::Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Export `format` from `ann` into `out` (a file, or a folder for brat).
fn export(root: &Path, format: &str, ann: &str, out: &Path) {
    ok(&gloss(
        root,
        &[
            "export",
            "-f",
            format,
            "seeds",
            "--annotations",
            ann,
            "-o",
            out.to_str().unwrap(),
        ],
    ));
}

fn read_all(p: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    if p.is_file() {
        return vec![(PathBuf::new(), std::fs::read(p).unwrap())];
    }
    let mut v: Vec<_> = walkdir::WalkDir::new(p)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(p).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn export_import_export_is_byte_identical_for_every_importable_format() {
    let dir = annotated_corpus();
    let r = dir.path();
    for format in ["jsonl", "doccano", "brat", "w3c"] {
        let first = r.join(format!("first.{format}"));
        let second = r.join(format!("second.{format}"));
        let empty = format!("empty-{format}");
        export(r, format, "annotations", &first);
        let o = gloss(
            r,
            &[
                "import",
                "-f",
                format,
                first.to_str().unwrap(),
                "seeds",
                "--annotations",
                &empty,
            ],
        );
        ok(&o);
        export(r, format, &empty, &second);
        assert_eq!(
            read_all(&first),
            read_all(&second),
            "{format}: the second export differs"
        );
        assert!(!read_all(&first).is_empty());
    }
    // Formats that carry ids, notes, annotators and times rebuild the very sidecars.
    for format in ["jsonl", "w3c"] {
        for rel in ["002_7502e44b28077c3a.txt", "000_29446928d2f6ecab.txt"] {
            let a =
                std::fs::read_to_string(r.join("annotations").join(format!("{rel}.toml"))).unwrap();
            let b = std::fs::read_to_string(
                r.join(format!("empty-{format}"))
                    .join(format!("{rel}.toml")),
            )
            .unwrap();
            assert_eq!(a, b, "{format}: {rel}");
        }
    }
}

#[test]
fn brat_export_is_a_brat_folder() {
    let dir = annotated_corpus();
    let r = dir.path();
    export(r, "brat", "annotations", &r.join("b"));
    let rel = "002_7502e44b28077c3a";
    assert_eq!(
        std::fs::read(r.join("b").join(format!("{rel}.txt"))).unwrap(),
        std::fs::read(r.join("seeds").join(format!("{rel}.txt"))).unwrap()
    );
    let ann = std::fs::read_to_string(r.join("b").join(format!("{rel}.ann"))).unwrap();
    let t1 = ann.lines().next().unwrap();
    let text: Vec<char> = std::fs::read_to_string(r.join("seeds").join(format!("{rel}.txt")))
        .unwrap()
        .chars()
        .collect();
    let cols: Vec<&str> = t1.split('\t').collect();
    let offs: Vec<usize> = cols[1]
        .split(' ')
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(text[offs[0]..offs[1]].iter().collect::<String>(), cols[2]);
    assert!(ann.contains("\tAnnotatorNotes T"), "{ann}");
    // A note of two lines is two brat notes on one annotation, each a
    // line (brat's notes are), and comes back as the one note it was.
    let notes: Vec<&str> = ann
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.rsplit('\t').next().unwrap())
        .collect();
    assert!(
        notes
            .windows(2)
            .any(|w| w == ["the \"2+2\" dialogue,", "second round"]),
        "{ann}"
    );
    let conf = std::fs::read_to_string(r.join("b/annotation.conf")).unwrap();
    for l in ["[entities]", "PERSON", "EVENT", "<OVERLAP>"] {
        assert!(conf.contains(l), "{conf}");
    }
    assert!(
        std::fs::read_to_string(r.join("b/visual.conf"))
            .unwrap()
            .contains("PERSON\tbgColor:#e5c07b")
    );
}

#[test]
fn refused_annotations_are_named_and_the_rest_import() {
    let dir = corpus_copy();
    let r = dir.path();
    let text = std::fs::read_to_string(r.join("seeds/002_7502e44b28077c3a.txt")).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let s = text[..text.find("Pompeo").unwrap()].chars().count();
    let line = serde_json::json!({
        "id": "002_7502e44b28077c3a.txt",
        "text": text,
        "spans": [
            {"start": s, "end": s + 6, "label": "PERSON"},
            {"start": chars.len() - 3, "end": chars.len() + 5, "label": "DATE"},
        ]
    });
    let other = serde_json::json!({"id": "nope.txt", "text": "not in the corpus", "spans": [{"start": 0, "end": 3, "label": "X"}]});
    // A W3C annotation whose quote is not the article's text there.
    std::fs::write(r.join("in.jsonl"), format!("{line}\n{other}\n")).unwrap();
    let o = gloss(r, &["import", "-f", "jsonl", "in.jsonl"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("in.jsonl:1 span 2: a span outside its article: DATE"),
        "{err}"
    );
    assert!(
        err.contains("in.jsonl:2: a document with no article in the corpus"),
        "{err}"
    );
    assert!(
        err.contains("skipped 2: 1 × a span outside its article, 1 × a document with no article"),
        "{err}"
    );
    let sc = sidecar::parse(
        &std::fs::read_to_string(r.join("annotations/002_7502e44b28077c3a.txt.toml")).unwrap(),
    )
    .unwrap();
    assert_eq!(sc.annotations.len(), 1);
    assert_eq!(sc.annotations[0].quote, "Pompeo");

    let wa = serde_json::json!({"type": "Annotation", "body": [{"type": "TextualBody", "purpose": "tagging", "value": "ORG"}],
        "target": {"source": "urn:gloss:article:002_7502e44b28077c3a.txt", "selector": [
            {"type": "TextQuoteSelector", "exact": "Pompei"}, {"type": "TextPositionSelector", "start": s, "end": s + 6}]}});
    std::fs::write(r.join("in.json"), wa.to_string()).unwrap();
    let o = gloss(r, &["import", "-f", "w3c", "in.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("says \"Pompei\" but 002_7502e44b28077c3a.txt has \"Pompeo\"")
    );
}

#[test]
fn dry_run_merge_and_replace() {
    let dir = annotated_corpus();
    let r = dir.path();
    export(r, "doccano", "annotations", &r.join("d.jsonl"));
    let sidecar = r.join("annotations/002_7502e44b28077c3a.txt.toml");
    let before = std::fs::read(&sidecar).unwrap();
    // Merging what is there already changes nothing.
    let out = ok(&gloss(r, &["import", "-f", "doccano", "d.jsonl"]));
    assert!(out.is_empty(), "{out}");
    assert_eq!(std::fs::read(&sidecar).unwrap(), before);
    // A doccano file with one span for that article, merged and replaced.
    let text = std::fs::read_to_string(r.join("seeds/002_7502e44b28077c3a.txt")).unwrap();
    let s = text[..text.find("Maldives").unwrap()].chars().count();
    std::fs::write(
        r.join("one.jsonl"),
        serde_json::json!({"text": text, "label": [[s, s + 8, "GPE"]]}).to_string(),
    )
    .unwrap();
    let out = ok(&gloss(
        r,
        &["import", "-f", "doccano", "one.jsonl", "--dry-run"],
    ));
    assert!(
        out.contains("002_7502e44b28077c3a.txt: +1 annotation(s), 7 in all; would write"),
        "{out}"
    );
    assert_eq!(
        std::fs::read(&sidecar).unwrap(),
        before,
        "a dry run writes nothing"
    );
    ok(&gloss(r, &["import", "-f", "doccano", "one.jsonl"]));
    assert_eq!(
        sidecar::parse(&std::fs::read_to_string(&sidecar).unwrap())
            .unwrap()
            .annotations
            .len(),
        7
    );
    let out = ok(&gloss(
        r,
        &["import", "-f", "doccano", "one.jsonl", "--mode", "replace"],
    ));
    assert!(out.contains("+1 annotation(s), 1 in all"), "{out}");
    let sc = sidecar::parse(&std::fs::read_to_string(&sidecar).unwrap()).unwrap();
    assert_eq!(sc.annotations.len(), 1);
    assert_eq!(sc.annotations[0].quote, "Maldives");
}

#[test]
fn label_filter_include_empty_and_csv() {
    let dir = annotated_corpus();
    let r = dir.path();
    let out = ok(&gloss(
        r,
        &["export", "-f", "csv", "--label", "GPE", "--label", "LOC"],
    ));
    let mut rd = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        rd.headers().unwrap(),
        vec![
            "article", "start", "end", "label", "quote", "note", "kind", "id", "from", "to",
            "group"
        ]
    );
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r[3] == *"GPE" || r[3] == *"LOC"));
    assert!(out.contains("\r\n"), "RFC 4180 line ends");
    let all = ok(&gloss(r, &["export", "-f", "csv"]));
    let mut rd = csv::Reader::from_reader(all.as_bytes());
    let note = rd
        .records()
        .map(Result::unwrap)
        .find(|r| r[3] == *"EVENT")
        .unwrap();
    assert_eq!(
        &note[5], "the \"2+2\" dialogue,\nsecond round",
        "quotes and newlines survive"
    );

    let jl = ok(&gloss(r, &["export", "-f", "jsonl"]));
    assert_eq!(jl.lines().count(), 3);
    let jl = ok(&gloss(r, &["export", "-f", "jsonl", "--include-empty"]));
    assert_eq!(jl.lines().count(), 5);
}

#[test]
fn usage_errors_are_exit_2() {
    let dir = annotated_corpus();
    let r = dir.path();
    assert_eq!(
        gloss(r, &["export", "-f", "brat"]).status.code(),
        Some(2),
        "brat needs --out"
    );
    assert_eq!(gloss(r, &["export", "-f", "nope"]).status.code(), Some(2));
    assert_eq!(
        gloss(r, &["import", "-f", "csv", "x.csv"]).status.code(),
        Some(2)
    );
    assert_eq!(
        gloss(r, &["import", "-f", "jsonl", "missing.jsonl"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        gloss(r, &["export", "-f", "jsonl", "no-such-corpus"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_broken_sidecar_is_left_out_of_an_export_with_exit_1() {
    let dir = annotated_corpus();
    let r = dir.path();
    std::fs::write(
        r.join("annotations/004_49c0a3a634711747.txt.toml"),
        "format = 1\nbroken",
    )
    .unwrap();
    let o = gloss(r, &["export", "-f", "jsonl"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("004_49c0a3a634711747.txt.toml:2:"));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().count(),
        2,
        "the rest is exported"
    );
}

// ---- round trips over generated hard text, through the library ----

const PIECES: &[&str] = &[
    "a",
    "word",
    " ",
    " ",
    "\n",
    "\r\n",
    "\t",
    ".",
    "é",
    "e\u{301}",
    "漢字",
    "👨‍👩‍👧‍👦",
    "🇫🇷",
    "👍🏽",
    "क्षि",
    "नमस्ते",
    "Ａ",
    "\"",
    "\\",
    ",",
    "\u{1b}",
    "لا",
];

fn hard_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..60).prop_map(|v| v.concat())
}

fn run_export(root: &Path, format: gloss::formats::Format, ann: &str, out: &Path) {
    use gloss::commands::export::{ExportOptions, run};
    let opts = ExportOptions {
        format,
        corpus: root.join("seeds"),
        annotations: root.join(ann),
        labels: root.join("annotations/labels.toml"),
        out: Some(out.to_path_buf()),
        only: vec![],
        include_empty: false,
        newline: Default::default(),
        tokenizer: Default::default(),
        python: "python3".into(),
        lang: "en".into(),
        offsets: Default::default(),
    };
    let o = run(&opts, Box::new(std::io::sink())).unwrap();
    assert!(o.problems.is_empty(), "{:?}", o.problems);
}

fn run_import(root: &Path, format: gloss::formats::Format, input: &Path, ann: &str) {
    use gloss::commands::import::{ImportOptions, Mode, run};
    let o = run(&ImportOptions {
        format,
        input: input.to_path_buf(),
        corpus: root.join("seeds"),
        annotations: root.join(ann),
        labels: root.join("annotations/labels.toml"),
        mode: Mode::Merge,
        dry_run: false,
        strict: false,
        offsets: Default::default(),
        read: Default::default(),
        article: None,
    })
    .unwrap();
    assert!(o.failure.is_none(), "{:?}", o.failure);
    assert!(
        o.skipped.is_empty() && o.unheld.is_empty(),
        "{:?} {:?}",
        o.skipped,
        o.unheld
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn hard_text_round_trips(texts in prop::collection::vec(hard_text(), 1..3), picks in prop::collection::vec((0usize..1000, 1usize..12, 0usize..3), 1..8)) {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        std::fs::create_dir_all(r.join("seeds/sub dir")).unwrap();
        std::fs::create_dir_all(r.join("annotations")).unwrap();
        let mut any = false;
        for (k, s) in texts.iter().enumerate() {
            let rel = if k == 0 { "a.txt".to_string() } else { format!("sub dir/ü {k}.md") };
            std::fs::write(r.join("seeds").join(&rel), s).unwrap();
            let t = Text::new(s.clone());
            let mut bs = vec![0];
            let mut p = 0;
            while p < t.len() { p = t.next_boundary(p); bs.push(p); }
            let mut anns: Vec<Annotation> = vec![];
            for (i, &(at, len, l)) in picks.iter().enumerate() {
                let si = at % bs.len();
                let ei = (si + len).min(bs.len() - 1);
                let range = gloss::core::motion::trim(&t, bs[si]..bs[ei]);
                if range.is_empty() || anns.iter().any(|a| a.range() == range) { continue; }
                anns.push(Annotation { review: None,
                    id: format!("i{k}x{i}"), start: BytePos(range.start), end: BytePos(range.end),
                    label: ["PERSON", "ORG", "GPE"][l].into(),
                    note: (i % 2 == 0).then(|| format!("note {i} \"quoted\" ✓")),
                    annotator: None, created: "2026-11-23T10:00:00Z".into(), ..Default::default()
                });
            }
            any |= !anns.is_empty();
            let store = Store::new(anns, vec![]);
            let sc = r.join("annotations").join(format!("{rel}.toml"));
            std::fs::create_dir_all(sc.parent().unwrap()).unwrap();
            std::fs::write(sc, sidecar::write(&sidecar::from_store(&rel, &t, &store))).unwrap();
        }
        prop_assume!(any);
        use gloss::formats::Format::*;
        for (f, name) in [(Jsonl, "j.jsonl"), (Doccano, "d.jsonl"), (Brat, "brat"), (W3c, "w.json"), (Labelstudio, "ls.json"), (Tsv, "tsv")] {
            let first = r.join(format!("1-{name}"));
            let second = r.join(format!("2-{name}"));
            let ann = format!("imported-{name}");
            run_export(r, f, "annotations", &first);
            run_import(r, f, &first, &ann);
            run_export(r, f, &ann, &second);
            prop_assert_eq!(read_all(&first), read_all(&second), "{:?}", f);
        }
    }
}

/// Relations and document labels (issue 10) go out where a format has a
/// place for them and come back from jsonl, doccano and brat; a format
/// without one says how many it left out.
#[test]
fn relations_and_document_labels_travel_and_are_counted_where_they_cannot() {
    use gloss::core::annotation::{DocLabel, Relation, Status};
    const THIRD: &str = "002_7502e44b28077c3a.txt";
    let dir = corpus_copy();
    let r = dir.path();
    let text = Text::new(std::fs::read_to_string(r.join("seeds").join(THIRD)).unwrap());
    let at = |q: &str| {
        let s = text.as_str().find(q).unwrap();
        s..s + q.len()
    };
    let ann = |id: &str, q: &str, label: &str| Annotation {
        review: None,
        id: id.into(),
        start: BytePos(at(q).start),
        end: BytePos(at(q).end),
        label: label.into(),
        note: None,
        annotator: None,
        created: "2026-11-23T07:40:00Z".into(),
        ..Default::default()
    };
    let mut st = Store::new(
        vec![
            ann("p1", "Mike Pompeo", "PERSON"),
            ann("p2", "Mark Esper", "PERSON"),
            ann("g1", "New Delhi", "GPE"),
        ],
        vec![],
    );
    for (id, label, from, to) in [("r1", "ARRIVED_IN", "p1", "g1"), ("r2", "MET", "p1", "p2")] {
        st.add_relation(Relation {
            id: id.into(),
            label: label.into(),
            from: from.into(),
            to: to.into(),
            note: None,
            annotator: None,
            created: "2026-11-23T07:41:00Z".into(),
        });
    }
    st.add_doc_label(DocLabel {
        id: "d1".into(),
        group: "topic".into(),
        label: "diplomacy".into(),
        note: None,
        annotator: None,
        created: String::new(),
    });
    st.set_status(Status::Done);
    std::fs::write(
        r.join("annotations").join(format!("{THIRD}.toml")),
        sidecar::write_store(THIRD, &text, &st),
    )
    .unwrap();
    // What a relation links, by quotes: ids may be new after an import.
    type Links = (Vec<(String, String, String)>, Vec<(String, String)>);
    let links = |ann_dir: &str| -> Links {
        let src = std::fs::read_to_string(r.join(ann_dir).join(format!("{THIRD}.toml"))).unwrap();
        let sc = sidecar::parse(&src).unwrap();
        let quote = |id: &str| {
            sc.annotations
                .iter()
                .find(|a| a.id == id)
                .map_or("?".into(), |a| a.quote.clone())
        };
        let mut rels: Vec<_> = sc
            .relations
            .iter()
            .map(|x| (x.label.clone(), quote(&x.from), quote(&x.to)))
            .collect();
        rels.sort();
        let docs = sc
            .doc_labels
            .iter()
            .map(|l| (l.group.clone(), l.label.clone()))
            .collect();
        (rels, docs)
    };
    let expected = links("annotations");
    assert_eq!(expected.0.len(), 2);
    for (format, docs_back) in [("jsonl", true), ("doccano", true), ("brat", false)] {
        let out = r.join(format!("out-{format}"));
        export(r, format, "annotations", &out);
        let back = format!("back-{format}");
        let o = gloss(
            r,
            &[
                "import",
                "--format",
                format,
                out.to_str().unwrap(),
                "seeds",
                "--annotations",
                &back,
            ],
        );
        let said = ok(&o);
        let (rels, docs) = links(&back);
        assert_eq!(rels, expected.0, "{format}: {said}");
        if docs_back {
            assert_eq!(docs.len(), 1, "{format}");
            assert_eq!(docs[0].1, "diplomacy", "{format}");
        }
    }
    // brat: R lines, and the types in annotation.conf.
    let ann_file =
        std::fs::read_to_string(r.join("out-brat").join("002_7502e44b28077c3a.ann")).unwrap();
    assert!(
        ann_file
            .lines()
            .any(|l| l.starts_with("R") && l.contains("ARRIVED_IN Arg1:T")),
        "{ann_file}"
    );
    // W3C: linking and classifying annotations.
    let w3c = r.join("out.jsonld");
    export(r, "w3c", "annotations", &w3c);
    let w = std::fs::read_to_string(&w3c).unwrap();
    assert!(
        w.contains("\"motivation\":\"linking\"") && w.contains("\"motivation\":\"classifying\"")
    );
    // CSV has rows for them, each end by its span's id.
    let csv_out = ok(&gloss(r, &["export", "--format", "csv", "seeds"]));
    let mut rd = csv::Reader::from_reader(csv_out.as_bytes());
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let span_ids: Vec<&str> = rows
        .iter()
        .filter(|r| &r[6] == "span")
        .map(|r| &r[7])
        .collect();
    let relations: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[6] == "relation").collect();
    assert_eq!(relations.len(), 2, "{csv_out}");
    assert!(
        relations
            .iter()
            .all(|r| span_ids.contains(&&r[8]) && span_ids.contains(&&r[9]) && r[1].is_empty()),
        "{csv_out}"
    );
    let documents: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[6] == "document").collect();
    assert_eq!(documents.len(), 1, "{csv_out}");
    assert!(!documents[0][10].is_empty() && !documents[0][3].is_empty());
    // CoNLL has no place for them: counted, said.
    let o = gloss(
        r,
        &["export", "--format", "conll", "seeds", "--out", "x.out"],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("2 relation(s) left out"), "{err}");
    assert!(err.contains("1 document label(s) left out"), "{err}");
}

/// Issue 10: a span that splits a grapheme is widened (import) and said;
/// `gloss check` lists annotations that move by id, old and new place.
#[test]
fn graphemes_are_never_split_and_moves_are_listed_by_id() {
    let dir = common::corpus_of(&[(
        "a.txt",
        "Cafe\u{301} noir, Cafe\u{301} au lait.\n".as_bytes(),
    )]);
    let r = dir.path();
    let line = r#"{"id":"a.txt","text":"Cafe\u0301 noir, Cafe\u0301 au lait.\n","spans":[{"start":0,"end":4,"label":"DRINK","id":"k1"}]}"#;
    std::fs::write(r.join("in.jsonl"), format!("{line}\n")).unwrap();
    let o = gloss(r, &["import", "--format", "jsonl", "in.jsonl", "seeds"]);
    ok(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("split a grapheme cluster; widened to 0..5"),
        "{err}"
    );
    let src = std::fs::read_to_string(r.join("annotations/a.txt.toml")).unwrap();
    assert!(src.contains("quote = \"Cafe\u{301}\""), "{src}");
    // The article changes: the annotation moves, and check says which.
    std::fs::write(
        r.join("seeds/a.txt"),
        "Menu. Cafe\u{301} noir, Cafe\u{301} au lait.\n",
    )
    .unwrap();
    let o = gloss(r, &["check", "seeds"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("annotation \"k1\" moved from 0..5 to 6..11"),
        "{out}"
    );
}

/// A relation whose end is gone is kept, and gloss check says so.
#[test]
fn check_names_relations_whose_end_is_gone() {
    let dir = common::corpus_of(&[("a.txt", b"Mark met Mike.\n")]);
    let r = dir.path();
    let line = r#"{"id":"a.txt","text":"Mark met Mike.\n","spans":[{"start":0,"end":4,"label":"PERSON","id":"m1"},{"start":9,"end":13,"label":"PERSON","id":"m2"}],"relations":[{"id":"r1","label":"MET","from":"m1","to":"m2"}]}"#;
    std::fs::write(r.join("in.jsonl"), format!("{line}\n")).unwrap();
    ok(&gloss(
        r,
        &["import", "--format", "jsonl", "in.jsonl", "seeds"],
    ));
    let path = r.join("annotations/a.txt.toml");
    let src = std::fs::read_to_string(&path).unwrap();
    assert!(src.contains("[[relation]]"), "{src}");
    // Someone deletes m2 by hand, leaving the relation.
    let cut = src.find("[[annotation]]\nid = \"m2\"").unwrap();
    let end = src[cut..].find("\n\n").map_or(src.len(), |e| cut + e + 1);
    std::fs::write(&path, format!("{}{}", &src[..cut], &src[end..])).unwrap();
    let o = gloss(r, &["check", "seeds"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("relation \"r1\" (MET) points at \"m2\", which is no annotation of this file; it is kept"), "{out}");
}
