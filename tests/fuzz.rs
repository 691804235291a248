//! Fuzzing with proptest (cargo-fuzz needs a nightly compiler, which CI
//! does not have): the sidecar reader, the layout of arbitrary text at
//! arbitrary widths with the cell-to-offset mapping checked, re-anchoring
//! after arbitrary edits, and each import format. Inputs are arbitrary
//! strings and mutations of sound files. `GLOSS_FUZZ_CASES` sets the cases
//! per target (default 1,000; .ci/run uses more).
//!
//! The corpus of interesting inputs in `tests/fuzz-corpus/<target>/` is
//! replayed through the same checks; add a file there for every input that
//! once broke something.

use std::path::Path;

use gloss::core::anchor::{Anchor, How, context, reanchor};
use gloss::core::annotation::{Annotation, Store};
use gloss::core::layout::Layout;
use gloss::core::offset::BytePos;
use gloss::core::sidecar;
use gloss::core::text::Text;
use gloss::formats::{brat, doccano, jsonl, w3c};
use proptest::prelude::*;
#[path = "common/reliability.rs"]
mod reliability;

fn cases() -> u32 {
    std::env::var("GLOSS_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000)
}

/// Characters that matter to the parsers and to layout, and any others.
fn nasty_string(max: usize) -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        4 => any::<char>().prop_map(String::from),
        2 => prop::sample::select(vec![
            "\"", "'", "\\", "\\u", "\\U0010FFFF", "[", "]", "[[", "]]", "{", "}", "=", ",", ":",
            "\n", "\r\n", "\r", "\t", " ", "#", "-", "0", "1", "99999999999999999999", "-1",
            "true", "null", "1979-05-27T07:32:00Z", "\u{1b}[2J", "\u{9b}", "\u{202e}", "\u{200d}",
            "e\u{301}", "漢", "👨‍👩‍👧", "🇫🇷", "क्षि", "لا", "\u{0}", "\u{feff}",
        ])
        .prop_map(String::from),
        1 => "[a-z_]{1,8}",
    ];
    prop::collection::vec(pieces, 0..max).prop_map(|v| v.concat())
}

/// A sound file with some of its characters replaced, removed or doubled.
fn mutated(sound: String) -> impl Strategy<Value = String> {
    let len = sound.chars().count().max(1);
    prop::collection::vec((0..len, 0u8..3, nasty_string(3)), 1..6).prop_map(move |edits| {
        let mut chars: Vec<String> = sound.chars().map(String::from).collect();
        for (at, how, with) in edits {
            let at = at % chars.len().max(1);
            if chars.is_empty() {
                chars.push(with);
                continue;
            }
            match how {
                0 => chars[at] = with,
                1 => {
                    chars.remove(at);
                }
                _ => chars.insert(at, with),
            }
        }
        chars.concat()
    })
}

const ARTICLE: &str = "US and India ‘set to sign’ a deal.\r\n\n漢字 and 👨‍👩‍👧 e\u{301}té\tहिन्दी.\n";

/// A sidecar gloss wrote for ARTICLE, with two annotations.
fn sound_sidecar() -> String {
    let t = Text::new(ARTICLE.to_string());
    let at = |s: &str| ARTICLE.find(s).unwrap();
    let store = Store::new(
        vec![
            Annotation {
                review: None,
                id: "a1".into(),
                start: BytePos(at("India")),
                end: BytePos(at("India") + "India".len()),
                label: "PLACE".into(),
                note: Some("a \"note\"".into()),
                annotator: Some("me".into()),
                created: "2026-11-23T07:40:00Z".into(),
                ..Default::default()
            },
            Annotation {
                review: None,
                id: "a2".into(),
                start: BytePos(at("漢字")),
                end: BytePos(at("漢字") + "漢字".len()),
                label: "X".into(),
                note: None,
                annotator: None,
                created: "2026-11-23T07:40:00Z".into(),
                ..Default::default()
            },
        ],
        vec![],
    );
    sidecar::write_store("a.txt", &t, &store)
}

/// The sidecar reader on `src`: no panic; an error names a line of the
/// file; what loads lies inside the article and writes back readably.
fn check_sidecar(src: &str) -> Result<(), TestCaseError> {
    let lines = src.lines().count() + 1;
    match sidecar::parse(src) {
        Err(e) => prop_assert!(
            (1..=lines).contains(&e.line) && !e.message.is_empty(),
            "line {} of {lines}: {}",
            e.line,
            e.message
        ),
        Ok(parsed) => {
            let t = Text::new(ARTICLE.to_string());
            match sidecar::load(&parsed, &t, src) {
                Err(e) => prop_assert!((1..=lines).contains(&e.line), "line {}", e.line),
                Ok(loaded) => {
                    for a in loaded.store.all() {
                        prop_assert!(a.start <= a.end && a.end <= BytePos(t.len()));
                        prop_assert!(
                            t.is_grapheme_boundary(a.start.get())
                                && t.is_grapheme_boundary(a.end.get()),
                            "{:?} splits a grapheme",
                            a.range()
                        );
                    }
                    let again = sidecar::write_store("a.txt", &t, &loaded.store);
                    prop_assert!(sidecar::parse(&again).is_ok(), "{again}");
                }
            }
        }
    }
    Ok(())
}

/// Layout of `s` at `width`: every offset on screen has a cell and each
/// cell an offset on a grapheme boundary of its row.
fn check_layout(s: &str, width: usize) -> Result<(), TestCaseError> {
    let t = Text::new(s.to_string());
    let lay = Layout::new(width);
    if t.is_empty() {
        return Ok(());
    }
    let mut p = 0;
    while p <= t.last_cursor_pos() {
        let (row, col) = lay.cell_of(&t, p);
        prop_assert!(col < width.max(1), "offset {p} at column {col} of {width}");
        let back = lay.offset_at(&t, row, col);
        prop_assert!(
            t.is_grapheme_boundary(back),
            "cell maps to {back}, inside a grapheme"
        );
        let r = lay.row_range(&t, row);
        prop_assert!(
            r.start <= p && p <= r.end,
            "offset {p} not on its row {r:?}"
        );
        if p == t.len() {
            break;
        }
        p = t.next_boundary(p);
    }
    Ok(())
}

/// Re-anchoring a span of `s` after `edit` (delete `del` bytes at `at`,
/// insert `ins`): no panic, and what is found is exactly the quote.
fn check_reanchor(
    s: &str,
    a: usize,
    len: usize,
    at: usize,
    del: usize,
    ins: &str,
) -> Result<(), TestCaseError> {
    let t = Text::new(s.to_string());
    if t.is_empty() {
        return Ok(());
    }
    let start = t.floor_boundary(a % t.len());
    let end = t.floor_boundary((start + len).min(t.len())).max(start);
    let quote = t.slice(start..end).to_string();
    let (prefix, suffix) = context(&t, start..end);
    let anchor = Anchor {
        start: t.byte_to_char(BytePos(start)),
        end: t.byte_to_char(BytePos(end)),
        quote: &quote,
        prefix: &prefix,
        suffix: &suffix,
    };
    let cut = t.floor_boundary(at % (t.len() + 1));
    let cut_end = t.floor_boundary((cut + del).min(t.len())).max(cut);
    let edited = Text::new(format!("{}{}{}", &s[..cut], ins, &s[cut_end..]));
    let Some(found) = reanchor(&edited, anchor) else {
        return Ok(());
    };
    let r = found.range.clone();
    prop_assert!(r.start < r.end && r.end <= edited.len(), "{:?}", r);
    prop_assert!(
        edited.is_grapheme_boundary(r.start) && edited.is_grapheme_boundary(r.end),
        "{:?} splits a grapheme",
        r
    );
    match found.how {
        How::Exact => prop_assert_eq!(edited.slice(r.clone()), quote.as_str()),
        How::Approximate { errors } => {
            prop_assert!(errors <= quote.chars().count() / 4, "{errors} edits")
        }
    }
    // An edit wholly outside the annotation, leaving its quote the only
    // one: it is found exactly, where the text went.
    let outside = cut_end <= start || cut >= end;
    // (Occurrences counted overlapping: "aaa" is twice in "aaaa".)
    let occurrences = (0..edited.len())
        .filter(|&i| edited.as_str().as_bytes()[i..].starts_with(quote.as_bytes()))
        .count();
    if outside && !quote.is_empty() && occurrences == 1 {
        let shift = |p: usize| {
            if cut_end <= start {
                p - (cut_end - cut) + ins.len()
            } else {
                p
            }
        };
        if edited.is_grapheme_boundary(shift(start)) && edited.is_grapheme_boundary(shift(end)) {
            prop_assert_eq!(found.how, How::Exact);
            prop_assert_eq!(r, shift(start)..shift(end));
        }
    }
    Ok(())
}

/// An import reader on `src`: no panic; an error says where and what.
fn check_import(format: &str, src: &str) -> Result<(), TestCaseError> {
    let out = match format {
        "jsonl" => jsonl::read("in.jsonl", src, Default::default()),
        "doccano" => doccano::read("in.jsonl", src),
        "w3c" => w3c::read("in.jsonl", src),
        "brat" => {
            let mut input = gloss::formats::Input::default();
            let doc = brat::read_ann("in", src, Some(ARTICLE.to_string()), &mut input);
            input.docs.push(doc);
            Ok(input)
        }
        _ => unreachable!(),
    };
    match out {
        Err(e) => prop_assert!(!e.origin.is_empty() && !e.message.is_empty(), "{e:?}"),
        // Every record passed over says where it was and what it was.
        Ok(input) => {
            for s in input.skipped.iter().chain(&input.unheld) {
                prop_assert!(s.origin.starts_with("in"), "{s:?}");
                prop_assert!(!s.kind.is_empty(), "{s:?}");
            }
        }
    }
    Ok(())
}

fn sound_import(format: &str) -> String {
    match format {
        "jsonl" => r#"{"id": "a.txt", "text": "US and India", "spans": [{"start": 7, "end": 12, "label": "PLACE", "note": "n"}]}"#.to_string(),
        "doccano" => r#"{"id": 1, "text": "US and India", "label": [[7, 12, "PLACE"]], "path": "a.txt"}"#.to_string(),
        "w3c" => r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "x", "type": "Annotation", "body": [{"type": "TextualBody", "purpose": "tagging", "value": "PLACE"}], "target": {"source": "a.txt", "selector": [{"type": "TextPositionSelector", "start": 7, "end": 12}, {"type": "TextQuoteSelector", "exact": "India"}]}}"#.to_string(),
        _ => "T1\tPLACE 7 12\tIndia\n#1\tAnnotatorNotes T1\ta note\n".to_string(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn sidecar_reader_on_arbitrary_text(src in nasty_string(60)) {
        check_sidecar(&src)?;
    }

    #[test]
    fn sidecar_reader_on_mutated_sidecars(src in mutated(sound_sidecar())) {
        check_sidecar(&src)?;
    }

    #[test]
    fn layout_of_arbitrary_text_at_arbitrary_widths(s in nasty_string(80), width in 1usize..100) {
        check_layout(&s, width)?;
    }

    #[test]
    fn reanchoring_after_arbitrary_edits(s in nasty_string(60), a in 0usize..500, len in 0usize..20, at in 0usize..500, del in 0usize..20, ins in nasty_string(6)) {
        check_reanchor(&s, a, len, at, del, &ins)?;
    }

    #[test]
    fn import_readers_on_arbitrary_text(src in nasty_string(60), f in prop::sample::select(vec!["jsonl", "doccano", "w3c", "brat"])) {
        check_import(f, &src)?;
    }

    #[test]
    fn import_readers_on_mutated_input(
        (f, src) in prop::sample::select(vec!["jsonl", "doccano", "w3c", "brat"])
            .prop_flat_map(|f| (Just(f), mutated(sound_import(f))))
    ) {
        check_import(f, &src)?;
    }
}

fn corpus(target: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus")
        .join(target);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            (
                p.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no inputs in {}", dir.display());
    out
}

#[test]
fn the_corpus_of_interesting_inputs_still_passes() {
    let run = |name: &str, r: Result<(), TestCaseError>| {
        if let Err(e) = r {
            panic!("{name}: {e}");
        }
    };
    for (name, src) in corpus("sidecar") {
        run(&name, check_sidecar(&src));
    }
    for f in ["jsonl", "doccano", "w3c", "brat"] {
        for (name, src) in corpus(f) {
            run(&name, check_import(f, &src));
        }
    }
    let mut inputs = 0;
    for (name, src) in corpus("text") {
        for width in [1, 2, 3, 7, 80] {
            run(&name, check_layout(&src, width));
        }
        run(&name, check_reanchor(&src, 3, 9, 0, 4, "\u{202e}x"));
    }
    for t in ["sidecar", "jsonl", "doccano", "w3c", "brat", "text"] {
        inputs += corpus(t).len();
    }
    reliability::record(
        "fuzz::the_corpus_of_interesting_inputs_still_passes",
        "Fuzzing (proptest): the sidecar reader on arbitrary and on mutated sidecars; the layout of arbitrary text at widths 1 to 99; re-anchoring after arbitrary edits; the jsonl, doccano, w3c and brat readers on arbitrary and on mutated input; the saved corpus of interesting inputs",
        format!("GLOSS_FUZZ_CASES per target (6 targets), and {inputs} saved inputs"),
        "no panic; errors name a line of the file; what loads lies inside the article and writes back readably; each cell maps to a grapheme boundary on its row; re-anchored text is exactly the quote",
    );
}
