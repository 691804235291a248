//! Real text as it comes (`tests/fixtures/realtext`, see its SOURCES): a
//! CRLF novel with a BOM, hard-wrapped news, Japanese, Hebrew with vowel
//! points, Latin-1 French. Each is opened, a sentence and a name are
//! tagged with the keys a user would press, and Python reads every sidecar
//! back against the article decoded as the sidecar says.

mod common;

use common::{Harness, python, quotes};

const REALTEXT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/realtext");

/// A temp corpus holding the real-text articles, byte for byte.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    for e in std::fs::read_dir(REALTEXT).unwrap() {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "txt") {
            std::fs::copy(e.path(), seeds.join(e.file_name())).unwrap();
        }
    }
    std::fs::create_dir_all(dir.path().join("annotations")).unwrap();
    std::fs::copy(common::SCHEMA, dir.path().join("annotations/labels.toml")).unwrap();
    dir
}

/// Opens article `name` from the list.
fn open(h: &mut Harness, name: &str) {
    let idx = h
        .app
        .list
        .entries
        .iter()
        .position(|e| e.rel == name)
        .unwrap_or_else(|| panic!("{name} not listed"));
    let row = h.app.list.visible.iter().position(|&i| i == idx).unwrap();
    h.app.list.selected = row;
    h.keys("<Enter>");
    assert_eq!(h.doc().session.rel, name);
    assert!(
        h.doc().session.read_only.is_none(),
        "{name}: {:?}",
        h.doc().session.read_only
    );
}

fn tagged(h: &Harness, label: &str, quote: &str) -> bool {
    quotes(h).iter().any(|(l, q)| l == label && q == quote)
}

/// Whether a quote with `label` reads `sentence` once its line breaks
/// (wherever the wrap put them) are read as spaces, and has at least one.
fn tagged_across_lines(h: &Harness, label: &str, sentence: &str) -> bool {
    quotes(h).iter().any(|(l, q)| {
        l == label && q.contains('\n') && q.replace("\r\n", " ").replace('\n', " ") == sentence
    })
}

/// Python: each sidecar's quotes are `text[start:end]` of the article read
/// with the encoding the sidecar names (UTF-8 when it names none).
const CHECK: &str = r#"
import sys, os, tomllib
seeds, ann = sys.argv[1:3]
n = 0
for name in sorted(os.listdir(ann)):
    if not name.endswith(".txt.toml"):
        continue
    with open(os.path.join(ann, name), "rb") as f:
        doc = tomllib.load(f)
    enc = doc.get("encoding", "utf-8")
    with open(os.path.join(seeds, doc["article"]), encoding=enc, newline="") as f:
        text = f.read()
    for a in doc["annotation"]:
        assert text[a["start"]:a["end"]] == a["quote"], (name, enc, a)
        n += 1
    print(doc["article"], enc, len(doc["annotation"]))
print("ok", n)
"#;

#[test]
fn real_text_is_read_tagged_and_read_back_by_python() {
    let dir = corpus();
    let mut h = Harness::new(dir.path(), 110, 30);
    assert_eq!(h.app.list.items.len(), 5);

    // The novel: CRLF, a BOM, wrapped at 70. `s` takes the whole first
    // sentence across its line break; the BOM is no part of the title.
    open(&mut h, "austen-pride-and-prejudice-crlf-bom.txt");
    assert!(h.screen().contains("Chapter 1"), "{}", h.screen());
    assert!(!h.screen().contains("<U+FEFF>"), "{}", h.screen());
    h.keys("/It is a truth<Enter>s9");
    assert!(
        tagged_across_lines(
            &h,
            "CLAIM",
            "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife."
        ),
        "{:?}",
        quotes(&h)
    );
    // A title does not end a sentence: "My dear Mr. Bennet," stays whole.
    h.keys("/Mr. Bennet,<Enter>1");
    assert!(tagged(&h, "PERSON", "Mr. Bennet,"), "{:?}", quotes(&h));

    // News at 72 columns: a sentence with an initial and a title; a name
    // without its possessive; every place of a name at once.
    h.keys("<Tab>");
    open(&mut h, "news-wrapped-at-72.txt");
    h.keys("/Dr. S.<Enter>s2");
    assert!(
        tagged_across_lines(
            &h,
            "ORG",
            "Dr. S. Jaishankar, the foreign minister, said the talks had been \"frank\"."
        ),
        "{:?}",
        quotes(&h)
    );
    h.keys("/Esper's<Enter><Esc>1");
    assert!(tagged(&h, "PERSON", "Esper"), "{:?}", quotes(&h));
    h.keys("*<Enter>");
    let espers = quotes(&h).iter().filter(|(_, q)| q == "Esper").count();
    assert_eq!(espers, 3, "{:?}", quotes(&h));

    // Japanese: a sentence ends at 。; a digit takes a run of one script.
    h.keys("<Tab>");
    open(&mut h, "soseki-wagahai-wa-neko-de-aru.txt");
    h.keys("/名前<Enter>s9");
    assert!(tagged(&h, "CLAIM", "名前はまだ無い。"), "{:?}", quotes(&h));
    h.keys("/ニャー<Enter><Esc>l4");
    assert!(tagged(&h, "LOC", "ニャーニャー"), "{:?}", quotes(&h));

    // Hebrew with vowel points: spans end on whole graphemes.
    h.keys("<Tab>");
    open(&mut h, "genesis-hebrew.txt");
    h.keys("/אֱלֹהִים<Enter>1");
    assert!(tagged(&h, "PERSON", "אֱלֹהִים"), "{:?}", quotes(&h));
    h.keys("s9");
    assert!(
        quotes(&h)
            .iter()
            .any(|(l, q)| l == "CLAIM" && q.starts_with("בְּרֵאשִׁית") && q.ends_with("הָאָרֶץ.")),
        "{:?}",
        quotes(&h)
    );

    // Latin-1 French: detected, decoded, annotated; "M." is a title.
    h.keys("<Tab>");
    open(&mut h, "hugo-les-miserables-latin1.txt");
    assert!(h.screen().contains("évêque de Digne"), "{}", h.screen());
    h.keys("/Myriel<Enter>s9");
    assert!(
        tagged_across_lines(
            &h,
            "CLAIM",
            "En 1815, M. Charles-François-Bienvenu Myriel était évêque de Digne."
        ) || tagged(
            &h,
            "CLAIM",
            "En 1815, M. Charles-François-Bienvenu Myriel était évêque de Digne."
        ),
        "{:?}",
        quotes(&h)
    );
    h.settle();

    let py = python().expect("python3 with tomllib (.ci/run installs it)");
    let out = std::process::Command::new(py)
        .arg("-c")
        .arg(CHECK)
        .arg(dir.path().join("seeds"))
        .arg(dir.path().join("annotations"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("austen-pride-and-prejudice-crlf-bom.txt utf-8-sig 2"),
        "{said}"
    );
    assert!(
        said.contains("hugo-les-miserables-latin1.txt windows-1252 1"),
        "{said}"
    );
    assert!(said.contains("ok 11"), "{said}");
}
