//! `gloss import` as the issue on interchange asks: lenient per record,
//! strict per file, all or nothing across files, exit codes that tell a
//! script what happened, offsets in UTF-16 units, and the layouts other
//! tools really write (doccano 1.0, Prodigy answers, W3C JSON-LD in every
//! form). Through the real binary.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::corpus_of;
use gloss::core::sidecar;

fn gloss(root: &Path, args: &[&str]) -> Output {
    common::gloss_in(root, args)
}

fn stderr(o: &Output) -> String {
    common::stderr_of(o)
}

/// (quote, label) of every annotation in `rel`'s sidecar, sorted.
fn tags(root: &Path, rel: &str) -> Vec<(String, String)> {
    let Ok(src) = std::fs::read_to_string(root.join("annotations").join(format!("{rel}.toml")))
    else {
        return vec![];
    };
    let sc = sidecar::parse(&src).unwrap();
    let mut v: Vec<(String, String)> = sc
        .annotations
        .iter()
        .map(|a| (a.quote.clone(), a.label.clone()))
        .collect();
    v.sort();
    v
}

fn pair(q: &str, l: &str) -> (String, String) {
    (q.to_string(), l.to_string())
}

const A: &str = "Mark Esper met Mike Pompeo in Delhi.\n";
const B: &str = "Pompeo 👍🏽 left for Tokyo 😀 on Monday.\n";

fn two() -> tempfile::TempDir {
    corpus_of(&[("a.txt", A.as_bytes()), ("b.txt", B.as_bytes())])
}

/// Python's offsets (code points) of `needle` in `hay`.
fn cp(hay: &str, needle: &str) -> (usize, usize) {
    let at = hay.find(needle).unwrap();
    let s = hay[..at].chars().count();
    (s, s + needle.chars().count())
}

/// JavaScript's offsets (UTF-16 units) of `needle` in `hay`.
fn u16(hay: &str, needle: &str) -> (usize, usize) {
    let at = hay.find(needle).unwrap();
    let s = hay[..at].encode_utf16().count();
    (s, s + needle.encode_utf16().count())
}

#[test]
fn a_doccano_line_without_text_is_skipped_and_the_rest_imports() {
    let dir = two();
    let r = dir.path();
    let (s, e) = cp(A, "Delhi");
    let lines = [
        serde_json::json!({"text": A, "label": [[s, e, "GPE"]]}).to_string(),
        r#"{"label": [[0, 4, "PERSON"]], "meta": {"note": "no text"}}"#.to_string(),
        "this is not JSON".to_string(),
        // Zero-length, backwards, a bad offset: each skipped alone.
        serde_json::json!({"text": A, "label": [[3, 3, "X"], [6, 4, "Y"], ["a", 2, "Z"], [0, 4, "PERSON"]]}).to_string(),
    ];
    std::fs::write(r.join("in.jsonl"), lines.join("\n")).unwrap();
    let o = gloss(r, &["import", "-f", "doccano", "in.jsonl"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(
        tags(r, "a.txt"),
        [pair("Delhi", "GPE"), pair("Mark", "PERSON")]
    );
    for want in [
        "in.jsonl:2: a line without text",
        "in.jsonl:3: a line that is not JSON",
        "in.jsonl:4 label 1: an empty span",
        "in.jsonl:4 label 2: a span that ends before it starts: Y 6..4",
        "in.jsonl:4 label 3: a span whose offsets are not whole numbers",
        "imported 2 annotation(s) into 1 article(s); skipped 5:",
    ] {
        assert!(err.contains(want), "{want:?} in\n{err}");
    }
}

#[test]
fn doccano_1_0_annotations_and_text_classification_import() {
    let dir = two();
    let r = dir.path();
    let (s, e) = cp(A, "Mike Pompeo");
    // What doccano 1.0 exports: labels by their number, spans as objects,
    // and a classification project's labels without offsets.
    let lines = [
        serde_json::json!({"id": 7, "text": A, "annotations": [
            {"id": 11, "label": 3, "start_offset": s, "end_offset": e, "user": 1, "document": 7, "created_at": "2020-01-01T00:00:00Z"}
        ], "meta": {}, "annotation_approver": null})
        .to_string(),
        serde_json::json!({"id": 8, "text": B, "annotations": [{"id": 12, "label": 1, "user": 1}], "meta": {}}).to_string(),
        serde_json::json!({"text": B, "label": ["positive"]}).to_string(),
    ];
    std::fs::write(r.join("in.jsonl"), lines.join("\n")).unwrap();
    let o = gloss(r, &["import", "-f", "doccano", "in.jsonl"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(tags(r, "a.txt"), [pair("Mike Pompeo", "3")]);
    assert!(err.contains("doccano 1.0 names labels by number"), "{err}");
    let side = std::fs::read_to_string(r.join("annotations/b.txt.toml")).unwrap();
    let sc = sidecar::parse(&side).unwrap();
    let labels: Vec<&str> = sc.doc_labels.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["1", "positive"], "{side}");
}

#[test]
fn utf16_offsets_are_detected_and_read_with_the_option() {
    let dir = two();
    let r = dir.path();
    // Made in doccano's web interface: JavaScript counts 👍🏽 and 😀 as
    // two units each, so "Tokyo" and "Monday" sit later than in Python.
    let (s1, e1) = u16(B, "Tokyo");
    let (s2, e2) = u16(B, "Monday");
    assert_ne!(
        (s1, e1),
        cp(B, "Tokyo"),
        "the test needs text where the units differ"
    );
    let line = serde_json::json!({"text": B, "label": [[s1, e1, "GPE"], [s2, e2, "DATE"]]});
    std::fs::write(r.join("in.jsonl"), format!("{line}\n")).unwrap();
    let o = gloss(r, &["import", "-f", "doccano", "in.jsonl"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        tags(r, "b.txt").is_empty(),
        "nothing imported as the wrong text"
    );
    assert!(
        err.contains(
            "2 span(s) skipped above fit their text if the offsets count UTF-16 code units"
        ) && err.contains("--offsets utf16"),
        "{err}"
    );
    let o = gloss(
        r,
        &["import", "-f", "doccano", "--offsets", "utf16", "in.jsonl"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        tags(r, "b.txt"),
        [pair("Monday", "DATE"), pair("Tokyo", "GPE")]
    );
    // An offset between the halves of a surrogate pair is no place.
    let half = u16(B, "👍🏽").0 + 1;
    let line = serde_json::json!({"text": B, "label": [[half, half + 2, "X"]]});
    std::fs::write(r.join("half.jsonl"), format!("{line}\n")).unwrap();
    let o = gloss(
        r,
        &[
            "import",
            "-f",
            "doccano",
            "--offsets",
            "utf16",
            "half.jsonl",
        ],
    );
    assert!(
        stderr(&o).contains("a span that splits a character in two"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn prodigy_answers_ids_relations_and_choices() {
    let dir = two();
    let r = dir.path();
    let (ms, me) = cp(A, "Mark Esper");
    let (ps, pe) = cp(A, "Mike Pompeo");
    let (ts, te) = cp(B, "Tokyo");
    let span = |s: usize, e: usize, l: &str| serde_json::json!({"start": s, "end": e, "token_start": 0, "token_end": 1, "label": l});
    let lines = [
        serde_json::json!({"id": 17, "text": A, "spans": [span(ms, me, "PERSON"), span(ps, pe, "PERSON")],
            "relations": [{"head": 1, "child": 4, "head_span": span(ms, me, "PERSON"), "child_span": span(ps, pe, "PERSON"), "label": "MET"}],
            "answer": "accept", "_input_hash": 1, "_task_hash": 2})
        .to_string(),
        serde_json::json!({"text": B, "spans": [span(ts, te, "GPE")], "answer": "reject"}).to_string(),
        serde_json::json!({"text": B, "spans": [span(0, 6, "PERSON")], "answer": "ignore"}).to_string(),
        serde_json::json!({"text": B, "options": [{"id": "TRAVEL", "text": "travel"}], "accept": ["TRAVEL"], "answer": "accept"}).to_string(),
    ];
    std::fs::write(r.join("in.jsonl"), lines.join("\n")).unwrap();
    let o = gloss(r, &["import", "-f", "jsonl", "in.jsonl"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("in.jsonl:2: a record answered \"reject\": --answers all imports it"),
        "{err}"
    );
    assert!(err.contains("1 × a record answered \"ignore\""), "{err}");
    assert_eq!(
        tags(r, "a.txt"),
        [pair("Mark Esper", "PERSON"), pair("Mike Pompeo", "PERSON")]
    );
    assert!(
        tags(r, "b.txt").is_empty(),
        "the rejected and ignored are not imported"
    );
    let side = sidecar::parse(&std::fs::read_to_string(r.join("annotations/a.txt.toml")).unwrap())
        .unwrap();
    assert_eq!(
        side.relations.len(),
        1,
        "the relation by head_span and child_span"
    );
    let from = side
        .annotations
        .iter()
        .find(|a| a.id == side.relations[0].from)
        .unwrap();
    assert_eq!(
        (from.quote.as_str(), side.relations[0].label.as_str()),
        ("Mark Esper", "MET")
    );
    let b = sidecar::parse(&std::fs::read_to_string(r.join("annotations/b.txt.toml")).unwrap())
        .unwrap();
    assert_eq!(b.doc_labels[0].label, "TRAVEL");
    // --answers all takes the others too.
    let o = gloss(
        r,
        &["import", "-f", "jsonl", "--answers", "all", "in.jsonl"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        tags(r, "b.txt"),
        [pair("Pompeo", "PERSON"), pair("Tokyo", "GPE")]
    );
}

/// The same two annotations as W3C JSON-LD in compact, expanded and
/// flattened form (as a JSON-LD processor writes them).
fn w3c_forms() -> [(&'static str, serde_json::Value); 3] {
    let (s, e) = cp(A, "Delhi");
    let compact = serde_json::json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "first": {"type": "AnnotationPage", "items": [
            {"id": "urn:x:1", "type": "Annotation", "motivation": "tagging",
             "body": [{"type": "TextualBody", "purpose": "tagging", "value": "GPE"},
                      {"type": "TextualBody", "purpose": "tagging", "value": "CITY"},
                      {"type": "TextualBody", "purpose": "commenting", "value": "capital"}],
             "target": {"source": "a.txt", "selector": [
                 {"type": "TextPositionSelector", "start": s, "end": e},
                 {"type": "TextQuoteSelector", "exact": "Delhi"}]}},
            {"id": "urn:x:2", "type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "PERSON"},
             "target": {"source": "a.txt", "selector": {"type": "TextQuoteSelector", "exact": "Mike Pompeo", "prefix": "Esper met ", "suffix": " in"}}}
        ]}
    });
    let oa = |t: &str| format!("http://www.w3.org/ns/oa#{t}");
    let rdf_value = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value";
    let body = |purpose: &str, v: &str| serde_json::json!({"@type": [oa("TextualBody")], oa("hasPurpose"): [{"@id": oa(purpose)}], rdf_value: [{"@value": v}]});
    let expanded = serde_json::json!([
        {"@id": "urn:x:1", "@type": [oa("Annotation")], oa("motivatedBy"): [{"@id": oa("tagging")}],
         oa("hasBody"): [body("tagging", "GPE"), body("tagging", "CITY"), body("commenting", "capital")],
         oa("hasTarget"): [{oa("hasSource"): [{"@id": "a.txt"}], oa("hasSelector"): [
             {"@type": [oa("TextPositionSelector")], oa("start"): [{"@value": s}], oa("end"): [{"@value": e}]},
             {"@type": [oa("TextQuoteSelector")], oa("exact"): [{"@value": "Delhi"}]}]}]},
        {"@id": "urn:x:2", "@type": [oa("Annotation")],
         oa("hasBody"): [body("tagging", "PERSON")],
         oa("hasTarget"): [{oa("hasSource"): [{"@id": "a.txt"}], oa("hasSelector"): [
             {"@type": [oa("TextQuoteSelector")], oa("exact"): [{"@value": "Mike Pompeo"}], oa("prefix"): [{"@value": "Esper met "}], oa("suffix"): [{"@value": " in"}]}]}]}
    ]);
    let flattened = serde_json::json!({"@context": "http://www.w3.org/ns/anno.jsonld", "@graph": [
        {"@id": "urn:x:1", "@type": oa("Annotation"), oa("hasBody"): [{"@id": "_:b1"}, {"@id": "_:b2"}, {"@id": "_:b3"}], oa("hasTarget"): {"@id": "_:t1"}},
        {"@id": "_:b1", "@type": oa("TextualBody"), oa("hasPurpose"): {"@id": oa("tagging")}, rdf_value: "GPE"},
        {"@id": "_:b2", "@type": oa("TextualBody"), oa("hasPurpose"): {"@id": oa("tagging")}, rdf_value: "CITY"},
        {"@id": "_:b3", "@type": oa("TextualBody"), oa("hasPurpose"): {"@id": oa("commenting")}, rdf_value: "capital"},
        {"@id": "_:t1", oa("hasSource"): {"@id": "a.txt"}, oa("hasSelector"): [{"@id": "_:s1"}]},
        {"@id": "_:s1", "@type": oa("TextPositionSelector"), oa("start"): s, oa("end"): e},
        {"@id": "urn:x:2", "@type": oa("Annotation"), oa("hasBody"): {"@id": "_:b4"}, oa("hasTarget"): {"@id": "_:t2"}},
        {"@id": "_:b4", "@type": oa("TextualBody"), oa("hasPurpose"): {"@id": oa("tagging")}, rdf_value: "PERSON"},
        {"@id": "_:t2", oa("hasSource"): {"@id": "a.txt"}, oa("hasSelector"): {"@id": "_:s2"}},
        {"@id": "_:s2", "@type": oa("TextQuoteSelector"), oa("exact"): "Mike Pompeo", oa("prefix"): "Esper met ", oa("suffix"): " in"}
    ]});
    [
        ("compact", compact),
        ("expanded", expanded),
        ("flattened", flattened),
    ]
}

#[test]
fn w3c_in_compact_expanded_and_flattened_json_ld_imports_alike() {
    for (form, doc) in w3c_forms() {
        let dir = two();
        let r = dir.path();
        std::fs::write(r.join("in.json"), doc.to_string()).unwrap();
        let o = gloss(r, &["import", "-f", "w3c", "in.json"]);
        assert_eq!(o.status.code(), Some(0), "{form}: {}", stderr(&o));
        assert_eq!(
            tags(r, "a.txt"),
            [
                pair("Delhi", "CITY"),
                pair("Delhi", "GPE"),
                pair("Mike Pompeo", "PERSON")
            ],
            "{form}: every tagging body, and the quote-only selector placed"
        );
        let side = std::fs::read_to_string(r.join("annotations/a.txt.toml")).unwrap();
        assert_eq!(
            side.matches("note = \"capital\"").count(),
            2,
            "{form}: {side}"
        );
    }
}

#[test]
fn one_odd_w3c_annotation_does_not_refuse_the_file() {
    let dir = two();
    let r = dir.path();
    let (s, e) = cp(A, "Delhi");
    let doc = serde_json::json!([
        // A comment with no tag (imported as a `comment`), a target
        // without a source, one on the whole article (a document label),
        // and a sound one.
        {"type": "Annotation", "body": {"type": "TextualBody", "value": "nice", "purpose": "commenting"},
         "target": {"source": "a.txt", "selector": {"type": "TextPositionSelector", "start": 0, "end": 4}}},
        {"type": "Annotation", "body": {"type": "TextualBody", "value": "GPE", "purpose": "tagging"},
         "target": {"selector": {"type": "TextPositionSelector", "start": s, "end": e}}},
        {"type": "Annotation", "motivation": "classifying", "body": {"type": "TextualBody", "value": "topic: diplomacy", "purpose": "classifying"},
         "target": "a.txt"},
        {"type": "Annotation", "body": {"type": "TextualBody", "value": "GPE", "purpose": "tagging"},
         "target": {"source": "a.txt", "selector": {"type": "TextPositionSelector", "start": s, "end": e}}}
    ]);
    std::fs::write(r.join("in.json"), doc.to_string()).unwrap();
    let o = gloss(r, &["import", "-f", "w3c", "in.json"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("in.json: 1 comment(s) without a tag imported under the label \"comment\""),
        "{err}"
    );
    assert!(
        err.contains("in.json: annotation 2: a target without a source"),
        "{err}"
    );
    let mut want = vec![pair("Delhi", "GPE"), pair("Mark", "comment")];
    want.sort();
    let mut got = tags(r, "a.txt");
    got.sort();
    assert_eq!(got, want);
    let side = sidecar::parse(&std::fs::read_to_string(r.join("annotations/a.txt.toml")).unwrap())
        .unwrap();
    assert!(
        side.annotations
            .iter()
            .any(|a| a.label == "comment" && a.note.as_deref() == Some("nice"))
    );
    assert_eq!(
        (
            side.doc_labels[0].group.as_str(),
            side.doc_labels[0].label.as_str()
        ),
        ("topic", "diplomacy")
    );
    // `--article` must name an article of the corpus.
    let o = gloss(
        r,
        &["import", "-f", "w3c", "--article", "nope.txt", "in.json"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--article \"nope.txt\": no such article"),
        "{}",
        stderr(&o)
    );
    // `webanno` is still accepted as the format's old name.
    let o = gloss(r, &["import", "-f", "webanno", "--dry-run", "in.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn exit_codes_tell_usage_refusal_and_strictness_apart() {
    let dir = two();
    let r = dir.path();
    let (s, e) = cp(A, "Delhi");
    // A file that is not the format at all: refused, nothing written.
    std::fs::write(r.join("bad.json"), "<html>not json</html>").unwrap();
    let o = gloss(r, &["import", "-f", "w3c", "bad.json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing imported"), "{}", stderr(&o));
    // No such input file: a usage error.
    let o = gloss(r, &["import", "-f", "jsonl", "missing.jsonl"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // --strict: one bad record and nothing is written, not even the good.
    let lines = [
        serde_json::json!({"text": A, "label": [[s, e, "GPE"]]}).to_string(),
        serde_json::json!({"text": B, "label": [[0, 0, "X"]]}).to_string(),
    ];
    std::fs::write(r.join("in.jsonl"), lines.join("\n")).unwrap();
    let o = gloss(r, &["import", "-f", "doccano", "--strict", "in.jsonl"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--strict: 1 record(s) would be skipped"),
        "{}",
        stderr(&o)
    );
    assert!(!r.join("annotations/a.txt.toml").exists());
    // Without it: the good one imports, exit 1 says some were skipped.
    let o = gloss(r, &["import", "-f", "doccano", "in.jsonl"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(tags(r, "a.txt"), [pair("Delhi", "GPE")]);
    // All of it sound: exit 0.
    std::fs::write(r.join("in.jsonl"), &lines[0]).unwrap();
    let o = gloss(r, &["import", "-f", "doccano", "in.jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A write failing in the middle of an import leaves every sidecar as it
/// was, says so, and exits 4: a rename that fails after others were done
/// (they are put back), and a disk that fills while the new versions are
/// written (none was renamed yet). strace makes each failure land on the
/// same call every run.
#[test]
fn a_write_failing_mid_import_leaves_every_sidecar_as_it_was() {
    if !common::strace_works() {
        eprintln!("strace cannot trace here; the unit test of commit_all covers the refusal case");
        return;
    }
    let files: Vec<(String, String)> = (0..4)
        .map(|k| {
            (
                format!("a{k}.txt"),
                format!("Article {k} names Mike Pompeo.\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .collect();
    let dir = corpus_of(&refs);
    let r = dir.path();
    // a1 has a sidecar already, with something a person wrote by hand.
    let lines: Vec<String> = files
        .iter()
        .map(|(n, t)| {
            let (s, e) = cp(t, "Mike Pompeo");
            serde_json::json!({"id": n, "text": t, "spans": [{"start": s, "end": e, "label": "PERSON"}]}).to_string()
        })
        .collect();
    std::fs::write(r.join("first.jsonl"), &lines[1]).unwrap();
    assert_eq!(
        gloss(r, &["import", "-f", "jsonl", "first.jsonl"])
            .status
            .code(),
        Some(0)
    );
    let a1 = r.join("annotations/a1.txt.toml");
    let hand = format!("# kept by hand\n{}", std::fs::read_to_string(&a1).unwrap());
    std::fs::write(&a1, &hand).unwrap();
    std::fs::write(r.join("in.jsonl"), lines.join("\n")).unwrap();
    let snapshot = || {
        let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(r.join("annotations"))
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let before = snapshot();
    for (what, inject) in [
        (
            "the third rename fails",
            "rename,renameat,renameat2:error=EIO:when=3",
        ),
        (
            "the disk fills on the second new version",
            "write:error=ENOSPC:when=2",
        ),
    ] {
        let o = Command::new("strace")
            .args(["-f", "-o", "/dev/null", "-e", &format!("inject={inject}")])
            .arg(env!("CARGO_BIN_EXE_gloss"))
            .args(["import", "-f", "jsonl", "in.jsonl"])
            .current_dir(r)
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(4), "{what}: {err}");
        assert!(err.contains("nothing written"), "{what}: {err}");
        assert_eq!(
            snapshot(),
            before,
            "{what}: every sidecar as it was, no temp file left"
        );
    }
    // Nothing injected: all four written, the hand-written line kept.
    let o = gloss(r, &["import", "-f", "jsonl", "in.jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for (n, _) in &files {
        assert_eq!(tags(r, n), [pair("Mike Pompeo", "PERSON")], "{n}");
    }
    assert!(
        std::fs::read_to_string(&a1)
            .unwrap()
            .contains("# kept by hand")
    );
}

/// Token formats lose what tokens cannot say (notes, overlaps, a span's
/// edge inside a token) but give back every span whose edges are token
/// edges, found in the article by its tokens alone (CoNLL names no
/// article).
#[test]
fn conll_conll2003_and_hf_come_back_as_the_same_spans() {
    let dir = two();
    let r = dir.path();
    common::annotate(
        r,
        "a.txt",
        &[
            ("Mark Esper", "PERSON", Some("a note tokens cannot carry")),
            ("Mike Pompeo", "PERSON", None),
            ("Delhi", "NEW YORK", None),
        ],
    );
    common::annotate(
        r,
        "b.txt",
        &[("Tokyo", "GPE", None), ("Monday", "DATE", None)],
    );
    let want_a = tags(r, "a.txt");
    let want_b = tags(r, "b.txt");
    for (format, tokenizer) in [
        ("conll", "uax29"),
        ("conll2003", "uax29"),
        ("conll2003", "whitespace"),
        ("hf", "uax29"),
    ] {
        let out = format!("out.{format}");
        let o = gloss(
            r,
            &[
                "export",
                "-f",
                format,
                "--tokenizer",
                tokenizer,
                "--out",
                &out,
            ],
        );
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        let ann = format!("back-{format}-{tokenizer}");
        let o = gloss(r, &["import", "-f", format, "--annotations", &ann, &out]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{format} {tokenizer}: {}",
            stderr(&o)
        );
        let back = |rel: &str| {
            let src = std::fs::read_to_string(r.join(&ann).join(format!("{rel}.toml"))).unwrap();
            let mut v: Vec<(String, String)> = sidecar::parse(&src)
                .unwrap()
                .annotations
                .iter()
                .map(|a| (a.quote.clone(), a.label.replace('_', " ")))
                .collect();
            v.sort();
            v
        };
        // Whitespace tokens keep "Delhi." whole: the span grows to it.
        if tokenizer == "whitespace" {
            assert!(
                back("a.txt").contains(&pair("Delhi.", "NEW YORK")),
                "{:?}",
                back("a.txt")
            );
        } else {
            assert_eq!(back("a.txt"), want_a, "{format}");
        }
        if tokenizer == "whitespace" {
            assert!(
                back("b.txt").contains(&pair("Monday.", "DATE")),
                "{:?}",
                back("b.txt")
            );
        } else {
            assert_eq!(back("b.txt"), want_b, "{format} {tokenizer}");
        }
    }
    // A token that is not in the article: that document is skipped, said.
    let bad = "-DOCSTART- -X- -X- O\n\nMark -X- _ B-PERSON\nZorro -X- _ O\n";
    std::fs::write(r.join("bad.conll"), bad).unwrap();
    let o = gloss(r, &["import", "-f", "conll2003", "bad.conll"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a document with no article"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn label_studio_tasks_import_with_relations_choices_and_notes() {
    let dir = two();
    let r = dir.path();
    let (ms, me) = cp(A, "Mark Esper");
    let (ps, pe) = cp(A, "Mike Pompeo");
    let (ts, te) = u16(B, "Tokyo");
    let tasks = serde_json::json!([
        {"id": 1, "data": {"text": A}, "annotations": [
            {"id": 10, "completed_by": 1, "result": [
                {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
                 "value": {"start": ms, "end": me, "text": "Mark Esper", "labels": ["PERSON"]}, "meta": {"text": ["the minister"]}},
                {"id": "r2", "from_name": "label", "to_name": "text", "type": "labels",
                 "value": {"start": ps, "end": pe, "text": "Mike Pompeo", "labels": ["PERSON", "OFFICIAL"]}},
                {"from_id": "r2", "to_id": "r1", "type": "relation", "direction": "left", "labels": ["MET"]},
                {"id": "c1", "from_name": "topic", "to_name": "text", "type": "choices", "value": {"choices": ["diplomacy"]}},
                {"id": "x", "from_name": "rating", "to_name": "text", "type": "rating", "value": {"rating": 4}}
            ]},
            {"id": 11, "was_cancelled": true, "result": []}
        ], "predictions": [{"result": []}]},
        // An older Label Studio, counting UTF-16 units after the emoji.
        {"id": 2, "data": {"text": B}, "annotations": [{"result": [
            {"id": "t1", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": ts, "end": te, "text": "Tokyo", "labels": ["GPE"]}}]}]}
    ]);
    std::fs::write(r.join("ls.json"), tasks.to_string()).unwrap();
    let o = gloss(r, &["import", "-f", "labelstudio", "ls.json"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(
        tags(r, "a.txt"),
        [
            pair("Mark Esper", "PERSON"),
            pair("Mike Pompeo", "OFFICIAL"),
            pair("Mike Pompeo", "PERSON")
        ]
    );
    let a = sidecar::parse(&std::fs::read_to_string(r.join("annotations/a.txt.toml")).unwrap())
        .unwrap();
    let from = a
        .annotations
        .iter()
        .find(|x| x.id == a.relations[0].from)
        .unwrap();
    assert_eq!(from.quote, "Mark Esper", "direction left: r1 → r2");
    assert_eq!(
        a.annotations
            .iter()
            .find(|x| x.quote == "Mark Esper")
            .unwrap()
            .note
            .as_deref(),
        Some("the minister")
    );
    assert_eq!(
        (
            a.doc_labels[0].group.as_str(),
            a.doc_labels[0].label.as_str()
        ),
        ("topic", "diplomacy")
    );
    for want in [
        "a cancelled annotation",
        "a Label Studio prediction",
        "a Label Studio rating result",
        "fit their text if the offsets count UTF-16 code units",
    ] {
        assert!(err.contains(want), "{want:?} in\n{err}");
    }
    let o = gloss(
        r,
        &[
            "import",
            "-f",
            "labelstudio",
            "--offsets",
            "utf16",
            "ls.json",
        ],
    );
    assert!(
        stderr(&o).contains("imported 1 annotation"),
        "{}",
        stderr(&o)
    );
    assert_eq!(tags(r, "b.txt"), [pair("Tokyo", "GPE")]);
}

/// spaCy's DocBin, written natively, comes back: each document found by
/// its text, its entities as spans, its cats as document labels.
#[test]
fn spacy_docbin_comes_back_as_the_same_spans() {
    let dir = two();
    let r = dir.path();
    common::annotate(
        r,
        "a.txt",
        &[("Mark Esper", "PERSON", None), ("Delhi", "GPE", None)],
    );
    common::annotate(r, "b.txt", &[("Tokyo", "GPE", None), ("👍🏽", "EMOJI", None)]);
    let (want_a, want_b) = (tags(r, "a.txt"), tags(r, "b.txt"));
    let o = gloss(r, &["export", "-f", "spacy"]);
    assert_eq!(o.status.code(), Some(2), "a binary format needs --out");
    let o = gloss(r, &["export", "-f", "spacy", "--out", "x.spacy"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = gloss(
        r,
        &["import", "-f", "spacy", "--annotations", "back", "x.spacy"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let back = |rel: &str| {
        let src = std::fs::read_to_string(r.join("back").join(format!("{rel}.toml"))).unwrap();
        let mut v: Vec<(String, String)> = sidecar::parse(&src)
            .unwrap()
            .annotations
            .iter()
            .map(|a| (a.quote.clone(), a.label.clone()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(back("a.txt"), want_a);
    assert_eq!(back("b.txt"), want_b);
    // Not a DocBin: refused, nothing written.
    std::fs::write(r.join("bad.spacy"), "not zlib").unwrap();
    let o = gloss(r, &["import", "-f", "spacy", "bad.spacy"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

/// `--offsets utf16` on export writes what JavaScript counts, and an
/// import with the same option reads it back; a format whose unit is fixed
/// refuses the option.
#[test]
fn utf16_offsets_go_out_and_come_back() {
    let dir = two();
    let r = dir.path();
    common::annotate(
        r,
        "b.txt",
        &[("Tokyo", "GPE", None), ("Monday", "DATE", None)],
    );
    let want = tags(r, "b.txt");
    for format in ["doccano", "labelstudio", "jsonl", "w3c"] {
        let out = format!("out-{format}");
        let o = gloss(
            r,
            &["export", "-f", format, "--offsets", "utf16", "--out", &out],
        );
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        let src = std::fs::read_to_string(r.join(&out)).unwrap();
        let (s, e) = u16(B, "Monday");
        assert!(
            src.contains(&format!("{s}")) && src.contains(&format!("{e}")),
            "{format}: JavaScript's offsets {s}..{e} in\n{src}"
        );
        let ann = format!("back-{format}");
        let o = gloss(
            r,
            &[
                "import",
                "-f",
                format,
                "--offsets",
                "utf16",
                "--annotations",
                &ann,
                &out,
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        let src = std::fs::read_to_string(r.join(&ann).join("b.txt.toml")).unwrap();
        let mut back: Vec<(String, String)> = sidecar::parse(&src)
            .unwrap()
            .annotations
            .iter()
            .map(|a| (a.quote.clone(), a.label.clone()))
            .collect();
        back.sort();
        assert_eq!(back, want, "{format}");
    }
    let o = gloss(
        r,
        &["export", "-f", "brat", "--offsets", "utf16", "--out", "x"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// Spans made in Label Studio's and doccano's web interfaces, as their
/// users reported them (tests/fixtures/reports): offsets in UTF-16 units
/// on text with emoji. Read as code points they are skipped, never
/// imported as the wrong text, and the summary says to use
/// `--offsets utf16`; so read, each is the word the report names. Label
/// Studio's text is found under the task's own name for it (`TEXT`).
#[test]
fn spans_made_in_web_interfaces_are_read_in_utf16_units() {
    let fixtures = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/reports"
    ));
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    std::fs::create_dir_all(r.join("seeds")).unwrap();
    let ls = fixtures.join("label-studio-issue-1347.json");
    let task: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&ls).unwrap()).unwrap();
    std::fs::write(r.join("seeds/ls.txt"), task[0]["TEXT"].as_str().unwrap()).unwrap();
    let dc = fixtures.join("doccano-issue-2290.jsonl");
    let line: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&dc)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    std::fs::write(r.join("seeds/dc.txt"), line["text"].as_str().unwrap()).unwrap();
    for (format, input, rel, word) in [
        (
            "labelstudio",
            &ls,
            "ls.txt",
            task[0]["label"][0]["text"].as_str().unwrap(),
        ),
        // The report: "firetrucks" is text[19:29] in Python.
        ("doccano", &dc, "dc.txt", "firetrucks"),
    ] {
        let o = gloss(r, &["import", "-f", format, input.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("import again with --offsets utf16"), "{err}");
        assert!(
            tags(r, rel).is_empty(),
            "{rel}: nothing imported as the wrong text"
        );
        let o = gloss(
            r,
            &[
                "import",
                "-f",
                format,
                "--offsets",
                "utf16",
                input.to_str().unwrap(),
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let got = tags(r, rel);
        assert_eq!(got.len(), 1, "{rel}");
        assert_eq!(got[0].0, word, "{rel}");
    }
}
