//! Each export read back by the tool that consumes it: spaCy (jsonl),
//! Python's json (doccano), csv (csv), pybrat (brat), seqeval (conll,
//! conll2003), Hugging Face datasets (hf), label-studio-converter
//! (labelstudio) and
//! pyld (w3c), all checking `text[start:end] == quote` against the
//! sidecars read with tomllib. The Python environment is made on first use
//! by scripts/python-env.sh (pinned versions in tests/interop/requirements.txt).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{annotate, annotated_corpus};

fn python() -> &'static str {
    static PY: OnceLock<String> = OnceLock::new();
    PY.get_or_init(|| {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/python-env.sh");
        let o = Command::new("bash")
            .arg(script)
            .output()
            .expect("run scripts/python-env.sh");
        assert!(
            o.status.success(),
            "scripts/python-env.sh failed (it needs python3 with venv and the package index):\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .last()
            .unwrap()
            .trim()
            .to_string()
    })
}

/// Runs tests/interop/`script` with `args`; asserts it succeeds and says
/// `ok WHAT` first; returns what it said.
fn py_ok<S: AsRef<std::ffi::OsStr>>(script: &str, args: &[S], what: &str) -> String {
    let o = Command::new(python())
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/interop")
                .join(script),
        )
        .args(args)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success() && out.starts_with(&format!("ok {what}")),
        "{script}: {out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// Articles that are hard to count in: CRLF, emoji sequences, combining
/// marks, CJK, Devanagari; annotations across a line break, nested and
/// overlapping, with notes.
fn hard_corpus() -> tempfile::TempDir {
    let dir = common::corpus_of(&[
        ("crlf.txt", "First line about Delhi\r\nSecond line: the family 👨‍👩‍👧‍👦 met in Paris 🇫🇷.\r\nThird, with café and cafe\u{301}.\r\n".as_bytes()),
        ("asia/cjk.md", "東京と北京の会談。\n\nनमस्ते भारत, क्षत्रिय.\n\nMixed 漢字 words and Ｆｕｌｌwidth text.\n".as_bytes()),
    ]);
    let r = dir.path();
    annotate(
        r,
        "crlf.txt",
        &[
            ("Delhi", "GPE", Some("capital")),
            ("Delhi\r\nSecond line", "EVENT", Some("crosses a CRLF")),
            ("👨‍👩‍👧‍👦", "PERSON", None),
            ("Paris 🇫🇷", "GPE", None),
            ("cafe\u{301}", "ORG", None),
            ("the family 👨‍👩‍👧‍👦 met in Paris", "EVENT", None),
        ],
    );
    relate(r, "crlf.txt", "👨‍👩‍👧‍👦", "Paris 🇫🇷", "MET_IN");
    std::fs::create_dir_all(r.join("annotations/asia")).unwrap();
    annotate(
        r,
        "asia/cjk.md",
        &[
            ("東京", "GPE", None),
            ("北京の会談", "EVENT", Some("会談 = talks")),
            ("भारत", "GPE", None),
            ("क्षत्रिय", "PERSON", None),
            ("漢字", "ORG", None),
        ],
    );
    dir
}

/// Adds to `rel`'s sidecar a relation `label` between the annotations
/// quoting `from` and `to`, and a document label `topic: travel`.
fn relate(root: &Path, rel: &str, from: &str, to: &str, label: &str) {
    use gloss::core::annotation::{DocLabel, Relation};
    use gloss::core::sidecar;
    use gloss::core::text::Text;
    let path = root.join("annotations").join(format!("{rel}.toml"));
    let text = Text::new(std::fs::read_to_string(root.join("seeds").join(rel)).unwrap());
    let file = sidecar::SidecarFile::read(&path).unwrap().unwrap();
    let mut store = file.fit(&text).unwrap().store;
    let id = |q: &str| {
        store
            .all()
            .iter()
            .find(|a| text.slice(a.range()) == q)
            .unwrap()
            .id
            .clone()
    };
    let (f, t) = (id(from), id(to));
    store.add_relation(Relation {
        id: "rel1".into(),
        label: label.into(),
        from: f,
        to: t,
        note: None,
        annotator: None,
        created: "2026-11-23T07:41:00Z".into(),
    });
    store.add_doc_label(DocLabel {
        id: "doc1".into(),
        group: "topic".into(),
        label: "travel".into(),
        note: None,
        annotator: None,
        created: String::new(),
    });
    std::fs::write(&path, sidecar::write_store(rel, &text, &store)).unwrap();
}

fn export(root: &Path, format: &str, more: &[&str]) -> PathBuf {
    let out = root.join(format!("export.{format}"));
    let o = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["export", "-f", format, "-o", out.to_str().unwrap()])
        .args(more)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

fn check(format: &str) {
    check_as(format, format, &[]);
}

/// Exports `format` with `more` arguments, and checks it with check.py's
/// `check_NAME`.
fn check_as(format: &str, name: &str, more: &[&str]) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/check.py");
    for (dir, aligned) in [(annotated_corpus(), true), (hard_corpus(), false)] {
        let r = dir.path();
        let out = export(r, format, more);
        let mut cmd = Command::new(python());
        cmd.arg(script)
            .arg(name.replace('-', "_"))
            .arg(&out)
            .arg(r.join("seeds"))
            .arg(r.join("annotations"));
        if aligned {
            cmd.arg("--aligned");
        }
        let o = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success() && stdout.contains(&format!("ok {name}")),
            "{format} check failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        eprintln!("{}", stdout.trim());
    }
}

#[test]
fn jsonl_is_read_by_spacy() {
    check("jsonl");
}

#[test]
fn doccano_is_read_as_doccano_jsonl() {
    check("doccano");
}

#[test]
fn csv_is_read_by_pythons_csv() {
    check("csv");
}

#[test]
fn brat_is_read_by_pybrat() {
    check("brat");
}

#[test]
fn conll_is_read_by_seqeval() {
    check("conll");
}

#[test]
fn w3c_is_expanded_by_pyld() {
    check("w3c");
}

#[test]
fn spacy_docbin_is_read_and_trained_on_by_spacy() {
    check("spacy");
}

#[test]
fn conll2003_is_read_by_seqeval() {
    check("conll2003");
}

/// `--tokenizer spacy`: tokens and sentences as spaCy's English pipeline
/// cuts them, run in the test environment's Python.
#[test]
fn conll2003_cut_by_spacys_tokenizer_is_read_by_seqeval() {
    check_as(
        "conll2003",
        "conll2003-spacy",
        &["--tokenizer", "spacy", "--python", python()],
    );
}

#[test]
fn hf_is_loaded_by_hugging_face_datasets() {
    check("hf");
}

#[test]
fn labelstudio_is_read_and_converted_by_label_studio_converter() {
    check("labelstudio");
}

/// brat's own example documents (tests/fixtures/brat: its tutorial with
/// relations, events, attributes, normalisations and notes; two BioNLP
/// abstracts with events, modifications and equivalences) imported, then
/// exported: an independent Python reading of the files brat wrote and of
/// those gloss wrote finds the same T, R, E, A/M, N, * and # records (ids
/// renumbered), every mention reading its offsets.
#[test]
fn brat_round_trips_brats_own_examples() {
    let fixtures = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/brat"));
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    // The corpus: the examples' texts, under the same names.
    for sub in ["news", "bionlp"] {
        std::fs::create_dir_all(r.join("seeds").join(sub)).unwrap();
        for e in std::fs::read_dir(fixtures.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                std::fs::copy(&p, r.join("seeds").join(sub).join(p.file_name().unwrap())).unwrap();
            }
        }
    }
    std::fs::create_dir_all(r.join("annotations")).unwrap();
    let gloss = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(args)
            .current_dir(r)
            .output()
            .unwrap()
    };
    // With them, a hand-written document: a discontinuous span (none of
    // brat's examples has one) and two notes on one annotation.
    let input = r.join("input");
    for sub in ["news", "bionlp", "hand"] {
        std::fs::create_dir_all(input.join(sub)).unwrap();
    }
    for sub in ["news", "bionlp"] {
        for e in std::fs::read_dir(fixtures.join(sub)).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, input.join(sub).join(p.file_name().unwrap())).unwrap();
        }
    }
    let hand_text = "Mike met Pompeo and Esper in Delhi.\n";
    std::fs::write(input.join("hand/doc.txt"), hand_text).unwrap();
    std::fs::write(
        input.join("hand/doc.ann"),
        "T1\tPERSON 0 4;9 15\tMike Pompeo\nT2\tGPE 29 34\tDelhi\n#1\tAnnotatorNotes T1\tfirst note\n#2\tAnnotatorNotes T1\tsecond note\nR1\tIn Arg1:T1 Arg2:T2\t\n",
    )
    .unwrap();
    std::fs::create_dir_all(r.join("seeds/hand")).unwrap();
    std::fs::write(r.join("seeds/hand/doc.txt"), hand_text).unwrap();
    let fixtures = input.as_path();
    let o = gloss(&["import", "-f", "brat", fixtures.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        o.status.code(),
        Some(0),
        "every record imported and kept:\n{err}"
    );
    assert!(err.contains("imported"), "{err}");
    let o = gloss(&["check", "seeds"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let o = gloss(&["export", "-f", "brat", "--out", "out"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read = |folder: &Path| {
        let o = Command::new(python())
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/interop/brat_records.py"
            ))
            .arg(folder)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let theirs = read(fixtures);
    let ours = read(&r.join("out"));
    let docs = theirs.as_object().unwrap();
    assert_eq!(docs.len(), 9);
    let mut records = 0;
    for (name, want) in docs {
        records += want.as_array().unwrap().len();
        assert_eq!(&ours[name], want, "{name}");
    }
    assert!(records > 300, "{records}");
    eprintln!(
        "ok brat: {} documents, {records} records the same after gloss",
        docs.len()
    );
}

/// The text a WebAnno TSV file was made on, from its `#Text=` lines placed
/// at their first token's offset (UTF-16 units; a line break between).
fn tsv_text(tsv: &str) -> String {
    let unescape = |s: &str| {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(x) => out.push(x),
                None => {}
            }
        }
        out
    };
    let mut text = String::new();
    let mut pending: Option<String> = None;
    for line in tsv.lines() {
        if let Some(t) = line.strip_prefix("#Text=") {
            pending = Some(unescape(t));
        } else if let Some(sentence) = pending.take() {
            let begin: usize = line
                .split('\t')
                .nth(1)
                .unwrap()
                .split('-')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            while text.encode_utf16().count() < begin {
                text.push('\n');
            }
            text.push_str(&sentence);
        }
    }
    text.push('\n');
    text
}

/// INCEpTION's own WebAnno TSV 3.3 files (its format test suite: an emoji
/// counted in UTF-16 units, every escaped character, stacked and
/// multi-token spans, relations between them, a span across sentences, a
/// chain, parts of speech and dependencies): imported, each span and
/// relation compared with an independent Python reading of the same file;
/// then exported and read again the same way.
#[test]
fn inceptions_tsv_files_import_and_export_alike() {
    let fixtures = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/inception"
    ));
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    std::fs::create_dir_all(r.join("seeds")).unwrap();
    std::fs::create_dir_all(r.join("annotations")).unwrap();
    let mut names = vec![];
    for e in std::fs::read_dir(fixtures).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "tsv") {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let text = tsv_text(&std::fs::read_to_string(&p).unwrap());
            std::fs::write(r.join("seeds").join(format!("{stem}.txt")), text).unwrap();
            names.push(stem);
        }
    }
    names.sort();
    assert_eq!(names.len(), 9);
    let gloss = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(args)
            .current_dir(r)
            .output()
            .unwrap()
    };
    let o = gloss(&["import", "-f", "tsv", fixtures.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    // Parts of speech, dependencies and the chain are counted, not kept.
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("skipped"), "{err}");
    assert!(
        err.contains("not kept")
            && err.contains("a POS annotation")
            && err.contains("a SimpleLink (a chain) annotation"),
        "{err}"
    );
    let o = gloss(&["export", "-f", "tsv", "--out", "out"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read = |article: &Path, tsv: &Path| {
        let o = Command::new(python())
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/interop/tsv_records.py"
            ))
            .arg(article)
            .arg(tsv)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{}: {}",
            tsv.display(),
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let mut checked = 0;
    for name in &names {
        let article = r.join("seeds").join(format!("{name}.txt"));
        let theirs = read(&article, &fixtures.join(format!("{name}.tsv")));
        // What gloss holds, from its sidecar.
        // testSimpleChain holds only a chain: no sidecar.
        let sc =
            match std::fs::read_to_string(r.join("annotations").join(format!("{name}.txt.toml"))) {
                Ok(side) => gloss::core::sidecar::parse(&side).unwrap(),
                Err(_) => gloss::core::sidecar::parse(&format!(
                    "format = 2\narticle = \"{name}.txt\"\nfingerprint = \"x\"\n"
                ))
                .unwrap(),
            };
        let quote = |id: &str| {
            sc.annotations
                .iter()
                .find(|a| a.id == id)
                .unwrap()
                .quote
                .clone()
        };
        let mut spans: Vec<serde_json::Value> = sc
            .annotations
            .iter()
            .map(|a| serde_json::json!([a.label, a.quote, a.start.get(), a.end.get()]))
            .collect();
        spans.sort_by_key(|v| v.to_string());
        let mut rels: Vec<serde_json::Value> = sc
            .relations
            .iter()
            .map(|x| serde_json::json!([x.label, quote(&x.from), quote(&x.to)]))
            .collect();
        rels.sort_by_key(|v| v.to_string());
        // Two stacked spans of one label on one passage are one in gloss
        // (and counted as such by the import).
        let mut want_spans = theirs["spans"].as_array().unwrap().clone();
        want_spans.sort_by_key(|v| v.to_string());
        want_spans.dedup();
        let mut want_rels = theirs["relations"].as_array().unwrap().clone();
        want_rels.sort_by_key(|v| v.to_string());
        assert_eq!(spans, want_spans, "{name}: spans");
        assert_eq!(rels, want_rels, "{name}: relations");
        let out = r.join("out").join(format!("{name}.txt.tsv"));
        if !out.exists() {
            // Nothing to export (only a chain came in).
            assert!(want_spans.is_empty() && want_rels.is_empty(), "{name}");
            continue;
        }
        let ours = read(&article, &out);
        let mut again = ours["spans"].as_array().unwrap().clone();
        again.sort_by_key(|v| v.to_string());
        assert_eq!(again, want_spans, "{name}: exported spans");
        let mut again = ours["relations"].as_array().unwrap().clone();
        again.sort_by_key(|v| v.to_string());
        assert_eq!(again, want_rels, "{name}: exported relations");
        checked += want_spans.len() + want_rels.len();
    }
    assert!(checked > 20, "{checked}");
    eprintln!(
        "ok tsv: {} files, {checked} spans and relations the same",
        names.len()
    );
}

/// Prodigy's own exports (tests/fixtures/prodigy: rel.manual records with
/// relations, NER records with some answered "ignore", binary text
/// classification with "reject"s): imported, then checked against an
/// independent Python reading of the same files; a second import adds
/// nothing (merge is idempotent).
#[test]
fn prodigys_exports_import_as_prodigy_means_them() {
    let fixtures = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/prodigy"
    ));
    for file in [
        "rel_component_annotations.jsonl",
        "ner_tweets_test_annotated.jsonl",
        "textcat_docs_issues_training.jsonl",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        std::fs::create_dir_all(r.join("seeds")).unwrap();
        std::fs::create_dir_all(r.join("annotations")).unwrap();
        let src = std::fs::read_to_string(fixtures.join(file)).unwrap();
        let mut texts: Vec<String> = src
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        texts.sort();
        texts.dedup();
        for (k, t) in texts.iter().enumerate() {
            std::fs::write(r.join("seeds").join(format!("r{k:03}.txt")), t).unwrap();
        }
        let gloss = |args: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_gloss"))
                .args(args)
                .current_dir(r)
                .output()
                .unwrap()
        };
        let input = fixtures.join(file);
        let o = gloss(&["import", "-f", "jsonl", input.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        let rejects = src.contains("\"reject\"") || src.contains("\"ignore\"");
        assert_eq!(
            o.status.code(),
            Some(if rejects { 1 } else { 0 }),
            "{file}: {err}"
        );
        let out = py_ok(
            "prodigy_check.py",
            &[input.clone(), r.join("seeds"), r.join("annotations")],
            "prodigy",
        );
        eprintln!("{file}: {}", out.trim());
        let o = gloss(&["import", "-f", "jsonl", input.to_str().unwrap()]);
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("imported 0 annotation(s)"),
            "{file}: a second import adds nothing"
        );
    }
}

/// doccano's own import test files (tests/fixtures/doccano: label
/// triples, a line without text, one span given twice, intent entities as
/// triples with cats, relations, text classification): imported, then
/// checked against an independent Python reading of the same files.
#[test]
fn doccanos_files_import_as_doccano_reads_them() {
    let fixtures = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/doccano"
    ));
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    std::fs::create_dir_all(r.join("seeds")).unwrap();
    std::fs::create_dir_all(r.join("annotations")).unwrap();
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut texts: Vec<String> = vec![];
    for f in &files {
        for l in std::fs::read_to_string(f).unwrap().lines() {
            if let Some(t) = serde_json::from_str::<serde_json::Value>(l)
                .ok()
                .and_then(|v| v["text"].as_str().map(str::to_string))
            {
                texts.push(t);
            }
        }
    }
    texts.sort();
    texts.dedup();
    for (k, t) in texts.iter().enumerate() {
        std::fs::write(r.join("seeds").join(format!("d{k:02}.txt")), t).unwrap();
    }
    let mut said = String::new();
    for f in &files {
        let o = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(["import", "-f", "doccano", f.to_str().unwrap()])
            .current_dir(r)
            .output()
            .unwrap();
        said.push_str(&String::from_utf8_lossy(&o.stderr));
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{}: {said}",
            f.display()
        );
    }
    assert!(said.contains("a line without text"), "{said}");
    // The same span twice in one file is one, and said (alone: in the
    // run above an earlier file had already tagged it).
    let o = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["import", "-f", "doccano", "--annotations", "fresh"])
        .arg(fixtures.join("sequence_labeling_example_overlapping.jsonl"))
        .current_dir(r)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("a span the input gives twice"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut args = vec![r.join("seeds"), r.join("annotations")];
    args.extend(files.iter().cloned());
    let out = py_ok("doccano_check.py", &args, "doccano");
    eprintln!("{}", out.trim());
}

/// Tasks from a running Label Studio (tests/fixtures/labelstudio, from
/// label-studio-ml-backend's tests: a span made in Label Studio's UI, a
/// GLiNER model's predictions, a task not yet annotated): imported, then
/// checked against an independent Python reading of the same file; the
/// predictions are counted as not kept, never imported as annotations.
#[test]
fn label_studios_tasks_import_as_label_studio_means_them() {
    let input = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/labelstudio/ml-backend-tasks.json"
    ));
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    std::fs::create_dir_all(r.join("seeds")).unwrap();
    let tasks: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(input).unwrap()).unwrap();
    for (k, t) in tasks.iter().enumerate() {
        let text = t["data"]["text"].as_str().unwrap();
        std::fs::write(r.join("seeds").join(format!("t{k}.txt")), text).unwrap();
    }
    let o = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["import", "-f", "labelstudio", input.to_str().unwrap()])
        .current_dir(r)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    // Something was not kept: exit 1, as for a skip.
    assert_eq!(o.status.code(), Some(1), "{err}");
    let predicted = tasks
        .iter()
        .flat_map(|t| t["predictions"].as_array().unwrap())
        .count();
    assert!(predicted > 0);
    assert!(
        err.contains(&format!("{predicted} × a Label Studio prediction")),
        "{err}"
    );
    let out = py_ok(
        "labelstudio_check.py",
        &[r.join("seeds"), r.join("annotations"), input.to_path_buf()],
        "labelstudio",
    );
    eprintln!("{}", out.trim());
}

/// recogito's text annotator's own W3C test annotations
/// (tests/fixtures/recogito): highlights without a tag, on an HTML page
/// whose annotatable text is the article, one of them positioned where
/// the page's white space differed. Each imports under `highlight` with
/// its recogito id and date: at its `TextPositionSelector` where that
/// holds its `TextQuoteSelector`, else by its quote near there, marked
/// for review. Two name only the site as their source: `--article` puts
/// them on the article; without it they are said, and skipped.
#[test]
fn recogitos_w3c_annotations_import_where_their_quotes_stand() {
    let fixtures = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/recogito"
    ));
    let input = fixtures.join("annotations.w3c.json");
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    std::fs::create_dir_all(r.join("seeds")).unwrap();
    std::fs::copy(fixtures.join("1727-h.txt"), r.join("seeds/1727-h.txt")).unwrap();
    let gloss = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(args)
            .current_dir(r)
            .output()
            .unwrap()
    };
    let theirs: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&input).unwrap()).unwrap();
    let on_page = theirs
        .iter()
        .filter(|a| {
            a["target"]["source"]
                .as_str()
                .is_some_and(|s| s.ends_with("1727-h.htm"))
        })
        .count();
    // Without --article: found by the page's name in its web address.
    let o = gloss(&["import", "-f", "w3c", "--dry-run", input.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("would import {on_page} annotation(s)")),
        "{err}"
    );
    assert!(
        err.contains("a document with no article in the corpus"),
        "{err}"
    );
    let o = gloss(&[
        "import",
        "-f",
        "w3c",
        "--article",
        "1727-h.txt",
        input.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains(&format!(
            "{} highlight(s) without a tag imported under the label \"highlight\"",
            theirs.len()
        )),
        "{err}"
    );
    let text = std::fs::read_to_string(r.join("seeds/1727-h.txt")).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let side: toml::Table =
        toml::from_str(&std::fs::read_to_string(r.join("annotations/1727-h.txt.toml")).unwrap())
            .unwrap();
    let ours = side["annotation"].as_array().unwrap();
    assert_eq!(ours.len(), theirs.len());
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut moved = 0;
    for a in &theirs {
        let target = match &a["target"] {
            serde_json::Value::Array(t) => &t[0],
            t => t,
        };
        let sel = |ty: &str| {
            target["selector"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["type"] == ty)
                .unwrap()
                .clone()
        };
        let (q, p) = (sel("TextQuoteSelector"), sel("TextPositionSelector"));
        let exact = q["exact"].as_str().unwrap();
        let id = a["id"].as_str().unwrap();
        let mine = ours.iter().find(|x| x["id"].as_str() == Some(id)).unwrap();
        assert_eq!(mine["label"].as_str(), Some("highlight"));
        assert_eq!(
            mine["created"].to_string().trim_matches('"'),
            a["created"].as_str().unwrap()
        );
        let (s, e) = (
            mine["start"].as_integer().unwrap() as usize,
            mine["end"].as_integer().unwrap() as usize,
        );
        let (ps, pe) = (
            p["start"].as_u64().unwrap() as usize,
            p["end"].as_u64().unwrap() as usize,
        );
        let at: String = chars[ps..pe].iter().collect();
        let got: String = chars[s..e].iter().collect();
        if at == exact {
            assert_eq!((s, e), (ps, pe), "{id}");
            assert!(mine.get("review").is_none(), "{id}");
        } else {
            moved += 1;
            assert_eq!(squeeze(&got), squeeze(exact), "{id}");
            assert!(
                mine["review"].as_str().unwrap().contains("approximately"),
                "{id}"
            );
            assert!(err.contains("does not hold its quote"), "{err}");
        }
    }
    assert_eq!(
        moved, 1,
        "one of recogito's positions counts other white space"
    );
}
