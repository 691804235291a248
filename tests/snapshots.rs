//! What the screen shows, as text snapshots at fixed sizes (ratatui's
//! TestBackend + insta). Colours are not in text snapshots: the tests assert
//! the styles of key cells directly.

mod common;

use common::{Harness, buffer_text, corpus_copy, corpus_of};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

fn scrub(h: &Harness, s: String) -> String {
    s.replace(&h.root.display().to_string(), "[TMP]")
}

/// The first screen cell (x, y) showing `needle` at the start of a match.
fn find(b: &Buffer, needle: &str) -> (u16, u16) {
    let text = buffer_text(b);
    for (y, line) in text.lines().enumerate() {
        if let Some(i) = line.find(needle) {
            return (line[..i].chars().count() as u16, y as u16);
        }
    }
    panic!("{needle:?} not on screen:\n{text}");
}

#[test]
fn main_screen_with_annotations() {
    let dir = corpus_copy();
    let mut h = Harness::new(dir.path(), 100, 30);
    h.keys("jj<Enter>/Pompeo<Enter>1s2/Mark Esper<Enter>vwllll1");
    insta::assert_snapshot!("main_screen", h.screen());

    let b = h.render();
    let (x, y) = find(&b, "Pompeo and Defence");
    let cell = &b[(x, y)];
    assert_eq!(
        cell.bg,
        Color::Rgb(0xe5, 0xc0, 0x7b),
        "PERSON's colour inside the sentence"
    );
    assert!(
        cell.modifier.contains(Modifier::UNDERLINED),
        "nested: underlined"
    );
    let (x, y) = find(&b, "US Secretary of State");
    assert_eq!(b[(x, y)].bg, Color::Rgb(0x61, 0xaf, 0xef), "ORG's colour");
    assert!(
        !b[(x, y)].modifier.contains(Modifier::UNDERLINED),
        "one level: plain"
    );
    let (x, y) = find(&b, "troops remain");
    assert_eq!(b[(x, y)].bg, Color::Rgb(0x61, 0xaf, 0xef));
    let (x, y) = find(&b, "Pompeo and Esper will");
    assert_eq!(
        b[(x, y)].bg,
        Color::Reset,
        "unannotated text keeps the terminal's colours"
    );
}

#[test]
fn the_cursor_is_drawn_reversed_where_it_is() {
    let dir = corpus_copy();
    let mut h = Harness::new(dir.path(), 100, 30);
    h.keys("jj<Enter>/Palam<Enter>");
    let b = h.render();
    let (x, y) = find(&b, "Palam Air");
    assert!(b[(x, y)].modifier.contains(Modifier::REVERSED));
    assert!(!b[(x + 1, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn help_overlay_lists_every_binding() {
    let dir = corpus_copy();
    let mut h = Harness::new(dir.path(), 120, 170);
    h.keys("?");
    let screen = scrub(&h, h.screen());
    for b in gloss::tui::keymap::active().bindings() {
        assert!(
            screen.contains(b.action.describe()),
            "missing {:?}",
            b.action
        );
    }
    insta::assert_snapshot!("help_overlay", screen);
}

#[test]
fn tiny_terminals_say_so() {
    let dir = corpus_copy();
    let h = Harness::new(dir.path(), 30, 8);
    insta::assert_snapshot!("tiny_terminal", h.screen());
    for (w, hgt) in [(1, 1), (2, 1), (39, 10), (40, 9), (0, 0)] {
        let mut h = Harness::new(dir.path(), w.max(1), hgt.max(1));
        h.app.resize(w, hgt);
        let _ = h.render();
    }
}

#[test]
fn smallest_usable_terminal() {
    let dir = corpus_copy();
    let mut h = Harness::new(dir.path(), 40, 10);
    h.keys("jj<Enter>/Pompeo<Enter>1");
    insta::assert_snapshot!("smallest_usable", h.screen());
    // At 40x10 what a change did is still said (issue 11).
    let status = h.screen().lines().nth(8).unwrap_or("").to_string();
    assert!(status.contains("tagged PERSON"), "{status}");
}

/// A long note scrolls in its prompt: the caret and what was typed just
/// before it stay in sight (issue 11).
#[test]
fn a_long_note_scrolls_in_its_prompt() {
    let dir = corpus_copy();
    let mut h = Harness::new(dir.path(), 60, 20);
    h.keys("jj<Enter>/Pompeo<Enter>1c");
    let long = "word ".repeat(30) + "THE END";
    h.paste(&long);
    let status = h.screen().lines().nth(18).unwrap_or("").to_string();
    assert!(
        status.contains("THE END") && status.contains('…'),
        "{status}"
    );
}

#[test]
fn label_picker() {
    let dir = corpus_copy();
    let mut h = Harness::new(dir.path(), 100, 30);
    h.keys("jj<Enter>/Pompeo<Enter>te");
    insta::assert_snapshot!("label_picker", h.screen());
}

#[test]
fn hard_text_lays_out_by_grapheme_and_width() {
    let text = "漢字かな交じり文、全角ＡＢＣ。\n\
                family 👨‍👩‍👧‍👦 flag 🇫🇷 thumbs 👍🏽 heart ❤️ keycap 1️⃣\n\
                combining e\u{301}e\u{301}e\u{301} and Devanagari क्षि नमस्ते\n\
                col\tumn\tstops\r\n\
                crlf above, lone\rcr, esc \u{1b}[2J bel \u{7} c1 \u{9b}31m bidi \u{202e}drow\u{202c} zw\u{200b}sp\n\
                العربية لا\n";
    let dir = corpus_of(&[("hard.txt", text.as_bytes())]);
    let mut h = Harness::new(dir.path(), 72, 16);
    h.keys("<Enter>");
    let screen = h.screen();
    insta::assert_snapshot!("hard_text", screen);
    // Wide characters take two cells: the row holding 漢 keeps its border.
    assert!(
        screen
            .lines()
            .any(|l| l.contains("│漢字かな交じり文、全角ＡＢＣ。") && l.ends_with('│'))
    );
}

/// Issue 10: the help lists the schema's relation types and document
/// groups; the title shows the article's status and document labels; the
/// status line shows the relations of the annotation under the cursor.
#[test]
fn relations_and_document_labels_on_screen() {
    let dir = corpus_copy();
    let schema = std::fs::read_to_string(dir.path().join("annotations/labels.toml")).unwrap();
    std::fs::write(
        dir.path().join("annotations/labels.toml"),
        format!("{schema}\n[[relation]]\nname = \"MET\"\nkey = 1\nfrom = [\"PERSON\"]\nto = [\"PERSON\"]\n\n[[document]]\nname = \"topic\"\nchoices = [\"diplomacy\", \"military\"]\n"),
    )
    .unwrap();
    let mut h = Harness::new(dir.path(), 100, 30);
    h.keys("jj<Enter>g/Pompeo<Enter>1g/Esper<Enter>1g/Pompeo<Enter>rg/Esper<Enter><Enter>Ddiplomacy<Enter>mlh<Esc>");
    let screen = scrub(&h, h.screen());
    insta::assert_snapshot!("relations_and_document_labels", screen);
    assert!(screen.contains("← MET “Pompeo”"), "{screen}");
    assert!(screen.contains("done · topic: diplomacy"), "{screen}");
    // On Pompeo, the other end of its relation (the first Esper, tagged)
    // is underlined; untagged text is not.
    h.keys("g/Pompeo<Enter>");
    let b = h.render();
    let (x, y) = find(&b, "Esper");
    assert!(
        b[(x, y)].modifier.contains(Modifier::UNDERLINED),
        "the related end is marked"
    );
    let (x, y) = find(&b, "Palam");
    assert!(!b[(x, y)].modifier.contains(Modifier::UNDERLINED));
    // The panel on Pompeo: the annotation in full and its relation out.
    h.keys("g/Pompeo<Enter>c<C-u>ask about the date<Enter>i");
    // The day it was made on, which the panel shows, changes every day.
    let day = h.doc().session.store.all()[0].created[..10].to_string();
    let panel = scrub(&h, h.screen()).replace(&day, "YYYY-MM-DD");
    insta::assert_snapshot!("relation_panel", panel);
    assert!(panel.contains("→ MET PERSON “Esper”"), "{panel}");
    assert!(panel.contains("note: ask about the date"), "{panel}");
    assert!(panel.contains(" PANEL "), "{panel}");
    // The help, on a screen tall enough for all of it.
    let mut h = Harness::new(dir.path(), 120, 190);
    h.keys("?");
    let help = h.screen();
    assert!(
        help.contains("Relation types") && help.contains("PERSON → PERSON"),
        "{help}"
    );
    assert!(help.contains("diplomacy, military  (one)"), "{help}");
}

/// Issue 11: text in every tag reads at 4.5:1 or more, and a search match
/// inside a tag keeps that contrast (its colours swapped), where yellow on
/// a light tag would not.
#[test]
fn tags_and_matches_inside_them_stay_readable() {
    use gloss::core::colour::{MIN_CONTRAST, Rgb};
    let rgb = |c: Color| match c {
        Color::Rgb(r, g, b) => Rgb(r, g, b),
        Color::Black => Rgb(0, 0, 0),
        Color::White => Rgb(255, 255, 255),
        other => panic!("an exact colour was expected, not {other:?}"),
    };
    let dir = corpus_copy();
    let mut h = Harness::new(dir.path(), 100, 30);
    // A tag of every label of the schema, then a search inside one.
    h.keys("jj<Enter>g/Pompeo<Enter>1");
    for (n, word) in [
        "Esper",
        "India",
        "Delhi",
        "agreement",
        "satellite",
        "Monday",
        "Tuesday",
        "troops",
    ]
    .iter()
    .enumerate()
    {
        h.keys(&format!("g/{word}<Enter><Esc>{}", n + 2));
    }
    let b = h.render();
    // In the text pane only (titles in the list hold these words too).
    let inner = h.app.panes().unwrap().text_inner;
    let left = inner.x as usize;
    let find_text = |b: &Buffer, needle: &str| -> (u16, u16) {
        let text = buffer_text(b);
        for (y, line) in text.lines().enumerate() {
            if y < inner.y as usize || y >= inner.bottom() as usize {
                continue;
            }
            let cols: Vec<char> = line.chars().collect();
            let pane: String = cols[left.min(cols.len())..].iter().collect();
            if let Some(i) = pane.find(needle) {
                return ((left + pane[..i].chars().count()) as u16, y as u16);
            }
        }
        panic!("{needle:?} not in the text pane:\n{text}");
    };
    for word in [
        "Pompeo",
        "Esper",
        "India",
        "Delhi",
        "agreement",
        "satellite",
        "Monday",
        "Tuesday",
        "troops",
    ] {
        let (x, y) = find_text(&b, word);
        let cell = &b[(x, y)];
        let ratio = rgb(cell.fg).contrast(rgb(cell.bg));
        assert!(
            ratio >= MIN_CONTRAST,
            "{word}: {:?} on {:?} is {ratio:.2}",
            cell.fg,
            cell.bg
        );
    }
    h.keys("g/Pomp<Enter>");
    let b = h.render();
    let (x, y) = find_text(&b, "Pompeo");
    let cell = &b[(x + 1, y)];
    assert!(cell.modifier.contains(Modifier::REVERSED), "{cell:?}");
    let ratio = rgb(cell.fg).contrast(rgb(cell.bg));
    assert!(ratio >= MIN_CONTRAST, "the match in the tag: {ratio:.2}");
}

/// A popup covers its area whole: a wide character just left of its
/// frame is blanked, or the terminal would draw it over the border
/// (issue 11).
#[test]
fn a_popup_over_wide_text_covers_its_area() {
    use unicode_width::UnicodeWidthStr;
    let line = "漢".repeat(60);
    let text = format!("{line}\n").repeat(30);
    for width in 80u16..90 {
        let dir = corpus_of(&[("wide.txt", text.as_bytes())]);
        let mut h = Harness::new(dir.path(), width, 30);
        // The list hidden, so the label picker opens over the text.
        h.keys("<Enter>\\t");
        let b = h.render();
        let rows = buffer_text(&b);
        let y0 = rows
            .lines()
            .position(|l| l.contains(" Label "))
            .expect("the picker is open");
        // By cell, not by character: a wide one takes two cells.
        let x0 = (0..b.area.width)
            .find(|&x| b[(x, y0 as u16)].symbol() == "┌")
            .unwrap();
        for y in y0 as u16..y0 as u16 + 5 {
            let left = &b[(x0 - 1, y)];
            assert!(
                left.symbol().width() <= 1,
                "row {y} at {width}: {:?}",
                left.symbol()
            );
        }
    }
}

/// Issue 11: L shows each label's name at the start of its span, as brat
/// does (a pencil when the span carries a note); the text wraps around
/// them and the cursor never lands on one. Without colour (NO_COLOR),
/// this is what tells labels apart.
#[test]
fn inline_label_names() {
    let dir = corpus_copy();
    let mut h = Harness::new(dir.path(), 100, 30);
    h.keys("jj<Enter>g/Pompeo<Enter>1cask<Enter>g/Mark Esper<Enter>2L");
    let screen = scrub(&h, h.screen());
    insta::assert_snapshot!("inline_labels", screen);
    assert!(screen.contains("PERSON✎›Pompeo"), "{screen}");
    assert!(screen.contains("ORG›Mark Esper"), "{screen}");
    // The cursor on Pompeo is drawn on Pompeo, after its name.
    h.keys("g/Pompeo<Enter>");
    let b = h.render();
    let (x, y) = find(&b, "PERSON✎›Pompeo");
    let p = &b[(x + "PERSON✎›".chars().count() as u16, y)];
    assert_eq!(p.symbol(), "P");
    assert!(p.modifier.contains(Modifier::REVERSED), "the cursor: {p:?}");
    // l moves to the o of Pompeo, not into the name.
    h.keys("l");
    let at = h.doc().cursor;
    assert_eq!(&h.doc().session.text.as_str()[at..at + 1], "o");
    // Hidden again: the text is as before.
    h.keys("L");
    assert!(!h.screen().contains("PERSON✎›"), "{}", h.screen());
}

/// Issue 13: the corpus search's list as matches come in, filtered, and
/// the consistency check's findings with the fix they offer.
#[test]
fn corpus_search_and_consistency_views() {
    let dir = corpus_of(&[
        (
            "a.txt",
            b"Esper met Pompeo in Delhi.\nLater Pompeo left; \x1b[31mpompeo stayed.\n".as_slice(),
        ),
        ("b.txt", b"In Washington, Pompeo spoke.\n".as_slice()),
    ]);
    common::annotate(dir.path(), "a.txt", &[("Pompeo", "PERSON", None)]);
    let mut h = Harness::new(dir.path(), 90, 16);
    h.keys("Spompeo<Enter>");
    insta::assert_snapshot!("corpus_search", h.screen());
    h.keys("t");
    let screen = h.screen();
    assert!(screen.contains("tagged only · 1 shown"), "{screen}");
    h.keys("<Esc>C");
    insta::assert_snapshot!("consistency_view", h.screen());
}

/// Issue 13: the statistics view (`%`): annotations per label as bars,
/// articles by status, the histogram of annotations per article; a label
/// in CJK keeps its bar in line with the others.
#[test]
fn stats_view() {
    let dir = corpus_copy();
    common::annotate(
        dir.path(),
        "002_7502e44b28077c3a.txt",
        &[
            ("Pompeo", "PERSON", None),
            ("Esper", "PERSON", None),
            ("India", "国家", None),
        ],
    );
    let mut h = Harness::new(dir.path(), 90, 24);
    h.keys("%");
    let screen = h.screen();
    insta::assert_snapshot!("stats_view", screen);
    // Both bars start in the same column.
    let bar_at = |label: &str| {
        let line = screen.lines().find(|l| l.contains(label)).unwrap();
        let i = line.find('█').unwrap();
        unicode_width::UnicodeWidthStr::width(&line[..i])
    };
    assert_eq!(bar_at("PERSON"), bar_at("国家"), "{screen}");
}
