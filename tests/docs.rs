//! The documentation's examples are real: they parse and fit the bundled
//! article they name.

use gloss::core::sidecar;
use gloss::core::text::Text;

#[test]
fn the_sidecar_format_example_loads_against_its_article() {
    let doc = include_str!("../docs/sidecar-format.md");
    let start = doc
        .find("```toml\n# gloss annotations")
        .expect("the example")
        + 8;
    let src = &doc[start..start + doc[start..].find("```").unwrap()];
    let sc = sidecar::parse(src).unwrap();
    let article = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/002_7502e44b28077c3a.txt"
    ))
    .unwrap();
    let text = Text::new(article);
    let loaded = sidecar::load(&sc, &text, src).unwrap();
    assert!(
        !loaded.text_changed,
        "the example's fingerprint is the article's"
    );
    assert_eq!(loaded.store.len(), 3);
    assert_eq!(loaded.store.orphans.len(), 1);
    assert_eq!(
        loaded.store.orphans[0].quote.chars().count(),
        loaded.store.orphans[0]
            .end
            .abs_diff(loaded.store.orphans[0].start)
    );
    // gloss writes it back byte for byte.
    assert_eq!(
        sidecar::write(&sidecar::from_store(&sc.article, &text, &loaded.store)),
        src
    );
}

#[test]
fn the_schema_example_parses() {
    let doc = include_str!("../docs/sidecar-format.md");
    let start = doc.find("```toml\n[[label]]").unwrap() + 8;
    let src = &doc[start..start + doc[start..].find("```").unwrap()];
    let s = gloss::core::labels::Schema::parse(src).unwrap();
    assert_eq!(s.labels[0].key, Some(1));
}

#[test]
fn the_readme_lists_every_binding() {
    let readme = include_str!("../README.md");
    for b in gloss::tui::keymap::active().bindings() {
        let keys: String = gloss::tui::keymap::keys_text(b)
            .split(' ')
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(" ");
        let row = format!("| {keys} | {} |", b.action.describe());
        assert!(readme.contains(&row), "README lacks the row {row}");
    }
}

/// The tiny corpus docs/formats.md shows every format on.
fn formats_example() -> tempfile::TempDir {
    use gloss::core::annotation::{Annotation, Store};
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    std::fs::create_dir_all(r.join("seeds/news")).unwrap();
    std::fs::create_dir_all(r.join("annotations/news")).unwrap();
    let text = "Pompeo met Jaishankar in New Delhi.\r\nThe talks ended on Tuesday.\r\n";
    std::fs::write(r.join("seeds/news/talks.txt"), text).unwrap();
    let t = gloss::core::text::Text::new(text.to_string());
    let at = |q: &str| text.find(q).unwrap();
    let ann = |id: &str, q: &str, label: &str, note: Option<&str>| Annotation {
        review: None,
        id: id.into(),
        start: gloss::core::offset::BytePos(at(q)),
        end: gloss::core::offset::BytePos(at(q) + q.len()),
        label: label.into(),
        note: note.map(str::to_string),
        annotator: (id == "a1").then(|| "ana".to_string()),
        created: "2026-11-23T09:00:00Z".into(),
        ..Default::default()
    };
    let store = Store::new(
        vec![
            ann("a1", "Pompeo", "PERSON", Some("US Secretary of State")),
            ann("a2", "Jaishankar", "PERSON", None),
            ann("a3", "New Delhi", "GPE", None),
            ann("a4", "New Delhi.\r\nThe talks", "EVENT", None),
            ann("a5", "Tuesday", "DATE", None),
        ],
        vec![],
    );
    std::fs::write(
        r.join("annotations/news/talks.txt.toml"),
        sidecar::write(&sidecar::from_store("news/talks.txt", &t, &store)),
    )
    .unwrap();
    dir
}

fn export_example(root: &std::path::Path, format: &str) -> String {
    let out = root.join(format!("out.{format}"));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["export", "-f", format, "-o", out.to_str().unwrap()])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    if format == "tsv" {
        return std::fs::read_to_string(out.join("news/talks.txt.tsv")).unwrap();
    }
    if format == "brat" {
        ["news/talks.ann", "annotation.conf"]
            .iter()
            .map(|f| {
                format!(
                    "==> {f} <==\n{}",
                    std::fs::read_to_string(out.join(f)).unwrap()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        std::fs::read_to_string(out).unwrap()
    }
}

#[test]
fn the_formats_doc_shows_what_gloss_writes() {
    let doc = include_str!("../docs/formats.md").replace("\r\n", "\n");
    let dir = formats_example();
    for format in [
        "jsonl",
        "doccano",
        "csv",
        "brat",
        "conll",
        "conll2003",
        "hf",
        "labelstudio",
        "tsv",
        "w3c",
    ] {
        let out = export_example(dir.path(), format).replace("\r\n", "\n");
        // To write the doc: GLOSS_PRINT_EXAMPLES=1 cargo test --test docs -- --nocapture
        if std::env::var_os("GLOSS_PRINT_EXAMPLES").is_some() {
            println!("----- {format}\n{out}");
            continue;
        }
        assert!(
            doc.contains(out.trim_end()),
            "docs/formats.md lacks the {format} example:\n{out}"
        );
    }
}
