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
        loaded.store.orphans[0].end - loaded.store.orphans[0].start
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
    for b in gloss::tui::keymap::BINDINGS {
        let keys: String = gloss::tui::keymap::keys_text(b)
            .split(' ')
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(" ");
        let row = format!("| {keys} | {} |", b.action.describe());
        assert!(readme.contains(&row), "README lacks the row {row}");
    }
}
