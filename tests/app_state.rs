//! The interface as a state machine: keys and clicks in, state and files
//! out, no terminal. Each test reads as: where we start, keys, what holds.

mod common;
#[path = "common/reliability.rs"]
mod reliability;

use common::{Harness, corpus_copy, corpus_of, quotes};
use gloss::core::sidecar;
use gloss::tui::app::{Focus, Mode, SaveState};

const THIRD: &str = "002_7502e44b28077c3a.txt";
const SENTENCE: &str = "US Secretary of State Mike Pompeo and Defence Secretary Mark Esper arrived in New Delhi on Monday ahead of a regular bilateral security meeting on Tuesday, as tens of thousands of troops remain stationed on the China-India border.";

fn third(dir: &std::path::Path) -> Harness {
    let mut h = Harness::new(dir, 100, 30);
    h.keys("jj<Enter>");
    assert_eq!(h.doc().session.rel, THIRD);
    assert_eq!(h.app.focus, Focus::Text);
    h
}

#[test]
fn search_then_tag_the_word_then_a_sentence_with_a_note() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("/Pompeo<Enter>");
    let c = h.doc().cursor;
    assert_eq!(&h.doc().session.text.as_str()[c..c + 6], "Pompeo");
    assert!(h.app.message.as_ref().unwrap().text.contains("match 1 of"));
    h.keys("1");
    assert_eq!(quotes(&h), [("PERSON".to_string(), "Pompeo".to_string())]);
    h.keys("s2");
    assert!(quotes(&h).contains(&("ORG".to_string(), SENTENCE.to_string())));
    // The cursor is on the sentence's last character: only the sentence is there.
    h.keys("cchecked by the desk<Enter>");
    let noted: Vec<_> = h
        .doc()
        .session
        .store
        .all()
        .iter()
        .filter(|a| a.note.is_some())
        .collect();
    assert_eq!(noted.len(), 1);
    assert_eq!(noted[0].label, "ORG");
    assert_eq!(h.doc().session.save, SaveState::Saved);

    let src = h.sidecar_src(THIRD).expect("sidecar written");
    let sc = sidecar::parse(&src).unwrap();
    assert_eq!(sc.article, THIRD);
    assert_eq!(sc.annotations.len(), 2);
    let text = std::fs::read_to_string(dir.path().join("seeds").join(THIRD)).unwrap();
    let chars: Vec<char> = text.chars().collect();
    for a in &sc.annotations {
        let q: String = chars[a.start.get()..a.end.get()].iter().collect();
        assert_eq!(q, a.quote);
    }
    assert_eq!(h.app.list.items[2].count, 2, "the list shows the new count");
}

#[test]
fn visual_selection_extends_with_motions_and_is_trimmed() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("/US Secretary of State<Enter>");
    h.keys("vwwhh");
    assert_eq!(h.slice(h.doc().selection().unwrap()), "US Secretary");
    h.keys("1");
    assert_eq!(quotes(&h), [("PERSON".into(), "US Secretary".into())]);
    assert!(h.doc().anchor.is_none(), "tagging ends the selection");
    // Esc cancels a selection without tagging.
    h.keys("v}<Esc>4");
    assert_eq!(
        h.doc().session.store.len(),
        2,
        "4 tagged the word under the cursor, not the selection"
    );
}

#[test]
fn edit_moves_an_end_then_delete_takes_the_innermost_and_undo_redo_restore() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("/Mike<Enter>1");
    assert_eq!(quotes(&h), [("PERSON".into(), "Mike".into())]);
    // Extend its end over "Pompeo": w to its start, five more to its end.
    h.keys("ewlllll<Enter>");
    assert_eq!(quotes(&h), [("PERSON".into(), "Mike Pompeo".into())]);
    h.keys("s5");
    assert_eq!(h.doc().session.store.len(), 2);
    h.keys("/Mike<Enter>d");
    assert_eq!(quotes(&h), [("AGREEMENT".into(), SENTENCE.into())]);
    h.keys("u");
    assert_eq!(h.doc().session.store.len(), 2);
    h.keys("uu");
    assert_eq!(
        quotes(&h),
        [("PERSON".into(), "Mike".into())],
        "the edit is undone too"
    );
    h.keys("<C-r><C-r>");
    assert!(quotes(&h).contains(&("PERSON".into(), "Mike Pompeo".into())));
    assert!(quotes(&h).contains(&("AGREEMENT".into(), SENTENCE.into())));
    // The files follow: the sidecar holds what the screen shows.
    let sc = sidecar::parse(&h.sidecar_src(THIRD).unwrap()).unwrap();
    assert_eq!(sc.annotations.len(), 2);
}

#[test]
fn edit_with_a_label_key_relabels_and_esc_cancels() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("/India<Enter>3");
    h.keys("e7");
    assert_eq!(quotes(&h), [("EVENT".into(), "India".into())]);
    h.keys("ell<Esc>");
    assert_eq!(quotes(&h), [("EVENT".into(), "India".into())]);
    assert!(h.doc().edit.is_none() && h.doc().anchor.is_none());
}

#[test]
fn jumping_between_annotations_wraps() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("/Esper<Enter>1/Pompeo<Enter>1gg");
    let esper = h.doc().session.text.as_str().find("Esper").unwrap();
    let pompeo = h.doc().session.text.as_str().find("Pompeo").unwrap();
    h.keys("]");
    assert_eq!(h.doc().cursor, esper);
    h.keys("]");
    assert_eq!(h.doc().cursor, pompeo);
    h.keys("]");
    assert_eq!(h.doc().cursor, esper, "wraps to the first");
    h.keys("[");
    assert_eq!(h.doc().cursor, pompeo, "wraps to the last");
}

#[test]
fn search_next_previous_and_find_character() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    let text = h.doc().session.text.as_str().to_string();
    let all: Vec<usize> = text.match_indices("India").map(|(i, _)| i).collect();
    h.keys("/India<Enter>");
    assert_eq!(h.doc().cursor, all[0], "the first match after the cursor");
    h.keys("n");
    assert_eq!(h.doc().cursor, all[1]);
    h.keys("/India<Enter>");
    assert_eq!(
        h.doc().cursor,
        all[2],
        "a new search skips the match under the cursor"
    );
    h.keys("NNN");
    assert_eq!(h.doc().cursor, *all.last().unwrap(), "N wraps to the last");
    h.keys("n");
    assert_eq!(h.doc().cursor, all[0], "n wraps to the first");
    h.keys("fP");
    assert_eq!(h.doc().cursor, text[all[0]..].find('P').unwrap() + all[0]);
    // Esc in the prompt puts the cursor back.
    let before = h.doc().cursor;
    h.keys("/Maldives<Esc>");
    assert_eq!(h.doc().cursor, before);
}

#[test]
fn label_picker_filters_and_creates_labels_in_the_schema() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("/Pompeo<Enter>tpers");
    match &h.app.mode {
        Mode::Picker(_) => {}
        m => panic!("picker not open: {m:?}"),
    }
    assert_eq!(
        h.app.picker_items("pers").len(),
        2,
        "PERSON and a create row"
    );
    h.keys("<Enter>");
    assert_eq!(quotes(&h), [("PERSON".into(), "Pompeo".into())]);
    h.keys("/Maldives<Enter>tISLAND_STATE<Enter>");
    assert!(quotes(&h).contains(&("ISLAND_STATE".into(), "Maldives".into())));
    let schema = std::fs::read_to_string(dir.path().join("annotations/labels.toml")).unwrap();
    assert!(schema.contains("name = \"ISLAND_STATE\""), "{schema}");
    assert!(
        gloss::core::labels::Schema::parse(&schema)
            .unwrap()
            .get("ISLAND_STATE")
            .is_some()
    );
}

#[test]
fn sentence_and_paragraph_motions_and_selections() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("/US Secretary of State<Enter>");
    let start = h.doc().cursor;
    h.keys(")");
    assert!(
        h.slice(h.doc().cursor..h.doc().cursor + 6) == "Pompeo",
        "next sentence starts at Pompeo"
    );
    h.keys("(");
    assert_eq!(h.doc().cursor, start);
    h.keys("}");
    assert_eq!(h.slice(h.doc().cursor..h.doc().cursor + 6), "Pompeo");
    h.keys("p");
    let sel = h.slice(h.doc().selection().unwrap());
    assert!(
        sel.starts_with("Pompeo and Esper will meet") && sel.ends_with("in New Delhi."),
        "{sel}"
    );
}

#[test]
fn screen_line_motion_keeps_its_column() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    let lay_col = |h: &Harness| {
        h.doc()
            .layout
            .cell_of(&h.doc().session.text, h.doc().cursor)
    };
    // A paragraph three rows long at this width.
    h.keys("/The United States and India<Enter>llllll");
    let (r0, c0) = lay_col(&h);
    h.keys("jj");
    let (r2, c2) = lay_col(&h);
    assert_eq!(c2, c0);
    assert_eq!(h.doc().layout.step(&h.doc().session.text, r0, 2), r2);
    h.keys("kk");
    assert_eq!(lay_col(&h), (r0, c0));
}

#[test]
fn a_broken_sidecar_makes_the_article_read_only_and_stays_byte_for_byte() {
    let dir = corpus_copy();
    let path = dir.path().join("annotations").join(format!("{THIRD}.toml"));
    let bad = b"format = 1\narticle = \"x\"\nfingerprint = \"y\"\n\n[[annotation]]\nid = 5\n";
    std::fs::write(&path, bad).unwrap();
    let mut h = third(dir.path());
    let ro = h.doc().session.read_only.clone().expect("read-only");
    assert!(
        ro.contains(&format!("{}:6:", path.display())),
        "names file and line: {ro}"
    );
    h.keys("1s2");
    assert!(h.doc().session.store.is_empty());
    assert!(
        h.app
            .message
            .as_ref()
            .unwrap()
            .text
            .starts_with("read-only")
    );
    h.keys("jj<Enter><Tab>");
    assert_eq!(std::fs::read(&path).unwrap(), bad);
    assert!(h.screen().contains("read-only"));
}

#[test]
fn unknown_labels_load_and_are_named_in_the_status_line() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("/Pompeo<Enter>tMYSTERY<Enter>");
    // Another session's schema lacks MYSTERY.
    std::fs::copy(common::SCHEMA, dir.path().join("annotations/labels.toml")).unwrap();
    let mut h = third(dir.path());
    assert_eq!(quotes(&h), [("MYSTERY".into(), "Pompeo".into())]);
    h.keys("/Pompeo<Enter>");
    h.app.message = None;
    assert!(
        h.screen().contains("MYSTERY (not in the schema)"),
        "{}",
        h.screen()
    );
}

#[test]
fn a_changed_article_reanchors_and_keeps_orphans() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("/Maldives<Enter>3/Jaishankar<Enter>1");
    drop(h);
    let article = dir.path().join("seeds").join(THIRD);
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(
        &article,
        format!(
            "EDITOR'S NOTE: updated.\n\n{}",
            text.replace("Maldives", "Seychelles")
        ),
    )
    .unwrap();
    let mut h = third(dir.path());
    assert_eq!(quotes(&h), [("PERSON".into(), "Jaishankar".into())]);
    assert_eq!(h.doc().session.store.orphans.len(), 1);
    assert!(
        h.app
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("could not be found")
    );
    h.keys("!");
    assert!(h.screen().contains("Maldives"), "orphans are listed");
    h.keys("<Esc>/Jaishankar<Enter>d");
    let src = h.sidecar_src(THIRD).unwrap();
    assert!(
        src.contains("[[orphan]]") && src.contains("Maldives"),
        "orphans survive saves"
    );
}

#[test]
fn mouse_click_opens_and_moves_and_drag_selects() {
    let dir = corpus_copy();
    let mut h = Harness::new(dir.path(), 100, 30);
    h.click(3, 3); // the third article's row in the list
    assert_eq!(h.doc().session.rel, THIRD);
    let screen = h.screen();
    let (row, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("a man wearing"))
        .unwrap();
    let col = line.find("a man wearing").unwrap();
    let col = line[..col].chars().count() as u16;
    h.click(col + 2, row as u16);
    assert_eq!(h.slice(h.doc().cursor..h.doc().cursor + 3), "man");
    h.mouse(
        crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
        col + 2,
        row as u16,
    );
    h.mouse(
        crossterm::event::MouseEventKind::Drag(crossterm::event::MouseButton::Left),
        col + 8,
        row as u16,
    );
    assert_eq!(h.slice(h.doc().selection().unwrap()), "man wea");
}

#[test]
fn the_list_filters_by_title() {
    let dir = corpus_copy();
    let mut h = Harness::new(dir.path(), 100, 30);
    h.keys("/sputnik");
    assert_eq!(h.app.list.visible.len(), 1);
    h.keys("<Enter><Enter>");
    assert_eq!(h.doc().session.rel, "003_9470e9719f056478.txt");
    h.keys("<Tab>/<Esc>");
    assert_eq!(
        h.app.list.visible.len(),
        1,
        "Esc restores the filter from before"
    );
}

#[test]
fn unreadable_and_odd_articles_open_read_only_without_crashing() {
    let dir = corpus_of(&[
        ("a_empty.txt", b""),
        ("b_binary.txt", b"\x00\x01\x02\xffELF"),
        ("c_latin1.txt", b"caf\xe9 cr\xe8me\n"),
        (
            "d_controls.txt",
            "tab\there\u{1b}[2J\u{7}\u{9b}31m\u{202e}evil\r\nnext\rline\n".as_bytes(),
        ),
    ]);
    let mut h = Harness::new(dir.path(), 80, 20);
    for (i, expect) in [(0, "empty"), (1, "binary")] {
        h.app.list.selected = i;
        h.keys("<Enter>");
        assert!(
            h.doc().session.read_only.as_ref().unwrap().contains(expect),
            "{i}"
        );
        h.keys("1<Tab>");
        assert!(h.doc().session.store.is_empty());
    }
    // Latin-1 is detected, decoded, said, and can be annotated.
    h.app.list.selected = 2;
    h.keys("<Enter>");
    assert!(h.doc().session.read_only.is_none());
    assert_eq!(h.doc().session.text.as_str(), "café crème\n");
    assert!(h.said().contains("decoded as windows-1252"), "{}", h.said());
    h.keys("1<Tab>");
    assert_eq!(h.doc().session.store.len(), 1);
    h.keys("G<Enter>");
    assert!(h.doc().session.read_only.is_none());
    let screen = h.screen();
    assert!(screen.contains("^[[2J^G<9B>31m<U+202E>evil"), "{screen}");
    // A lone CR ends a line (old Mac files): "line" starts a row.
    assert!(
        !screen.contains("^M") && screen.contains("│line"),
        "{screen}"
    );
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{9b}') && !screen.contains('\u{202e}')
    );
}

#[test]
fn the_text_pane_previews_the_list_selection_and_remembers_places() {
    let dir = corpus_copy();
    let mut h = Harness::new(dir.path(), 100, 30);
    assert_eq!(
        h.doc().session.rel,
        "000_29446928d2f6ecab.txt",
        "the first article shows at start"
    );
    h.keys("j");
    assert_eq!(
        h.app.focus,
        Focus::List,
        "moving in the list keeps the focus there"
    );
    assert_eq!(h.doc().session.rel, "001_82a3b33474825ac0.txt");
    h.keys("j<Enter>/Maldives<Enter>");
    let place = h.doc().cursor;
    h.keys("<Tab>k<Enter>");
    assert_eq!(h.doc().session.rel, "001_82a3b33474825ac0.txt");
    h.keys("<Tab>j<Enter>");
    assert_eq!(h.doc().session.rel, THIRD);
    assert_eq!(h.doc().cursor, place, "back where the reader was");
}

/// Relabels PERSON as ORG in the third article's sidecar, as a person with
/// an editor would.
fn relabel_on_disk(dir: &std::path::Path) {
    let path = dir.join("annotations").join(format!("{THIRD}.toml"));
    let theirs = std::fs::read_to_string(&path)
        .unwrap()
        .replace("label = \"PERSON\"", "label = \"ORG\"");
    std::fs::write(&path, theirs).unwrap();
}

/// Ours (Esper tagged PERSON) and theirs (Pompeo relabelled ORG), merged.
fn both_sides() -> Vec<(String, String)> {
    vec![
        ("Esper".to_string(), "PERSON".to_string()),
        ("Pompeo".to_string(), "ORG".to_string()),
    ]
}

/// (id, label) of each annotation in the third article's sidecar on disk.
fn on_disk(dir: &std::path::Path) -> Vec<(String, String)> {
    let path = dir.join("annotations").join(format!("{THIRD}.toml"));
    let mut v: Vec<_> = sidecar::parse(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .annotations
        .into_iter()
        .map(|a| (a.quote, a.label))
        .collect();
    v.sort();
    v
}

#[test]
fn a_sidecar_changed_on_disk_by_someone_else_is_merged_not_overwritten() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("/Pompeo<Enter>1");
    // Someone relabels our annotation by hand while gloss has it open.
    relabel_on_disk(dir.path());
    h.keys("/Esper<Enter>1");
    assert_eq!(h.doc().session.save, SaveState::Saved);
    assert!(
        h.screen().contains("merged 1 change"),
        "the reader is told: {}",
        h.screen()
    );
    let want = both_sides();
    assert_eq!(on_disk(dir.path()), want, "both changes are on disk");
    let mut mem: Vec<_> = h
        .doc()
        .session
        .store
        .all()
        .iter()
        .map(|a| (h.slice(a.range()), a.label.clone()))
        .collect();
    mem.sort();
    assert_eq!(mem, want, "and in memory");
    // Later changes are written without a conflict.
    h.keys("/Delhi<Enter>1");
    assert_eq!(on_disk(dir.path()).len(), 3);
    // Undo reaches back across the merge: our two later tags go, the
    // outside relabel stays.
    h.keys("uu");
    h.settle();
    let relabelled: Vec<_> = want
        .iter()
        .filter(|(q, _)| q == "Pompeo")
        .cloned()
        .collect();
    assert_eq!(on_disk(dir.path()), relabelled, "undo across a merge");
    reliability::record(
        "app_state::a_sidecar_changed_on_disk_by_someone_else_is_merged_not_overwritten",
        "A sidecar edited by hand (an annotation relabelled) while gloss has it open, then a tag in gloss",
        "1 edit",
        "merged, not overwritten: both changes on disk and in memory; the reader told",
    );
}

#[test]
fn a_sidecar_broken_on_disk_is_not_overwritten_and_the_change_waits() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("/Pompeo<Enter>1");
    let path = dir.path().join("annotations").join(format!("{THIRD}.toml"));
    let good = std::fs::read_to_string(&path).unwrap();
    // Half-way through someone's edit: not TOML.
    let broken = good.replace("label = ", "label == ");
    std::fs::write(&path, &broken).unwrap();
    h.keys("/Esper<Enter>1");
    match &h.doc().session.save {
        SaveState::Failed(e) => assert!(
            e.contains(&format!("{THIRD}.toml:")) && e.contains("cannot be read"),
            "names the file and line: {e}"
        ),
        s => panic!("wrote over a file it cannot read: {s:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        broken,
        "byte for byte"
    );
    assert!(h.app.wake_at().is_some(), "a retry is planned");
    // They finish their edit; the retry merges and writes.
    std::fs::write(&path, good.replace("label = \"PERSON\"", "label = \"ORG\"")).unwrap();
    h.app.update(gloss::tui::app::Event::Tick);
    h.settle();
    assert_eq!(h.doc().session.save, SaveState::Saved);
    assert_eq!(on_disk(dir.path()), both_sides());
    assert!(h.app.wake_at().is_none());
    reliability::record(
        "app_state::a_sidecar_broken_on_disk_is_not_overwritten_and_the_change_waits",
        "A sidecar left as broken TOML by an editor while gloss has it open, then fixed",
        "1 edit",
        "the broken file not written over, byte for byte; the change waits in memory; the retry merges and writes once it reads",
    );
}

#[test]
fn a_merge_for_an_article_already_left_still_saves_both_sides() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("/Pompeo<Enter>1");
    relabel_on_disk(dir.path());
    // Tag, then leave for another article before the save is answered.
    h.keys("/Esper<Enter>");
    h.app.update(key('1'));
    let held: Vec<_> = h.app.outbox.drain(..).collect();
    h.keys("<Tab>k<Enter>");
    assert_ne!(h.doc().session.rel, THIRD);
    h.app.outbox.extend(held);
    h.settle();
    assert_eq!(on_disk(dir.path()), both_sides());
}

fn key(c: char) -> gloss::tui::app::Event {
    gloss::tui::app::Event::Term(crossterm::event::Event::Key(
        crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            crossterm::event::KeyModifiers::NONE,
        ),
    ))
}

#[test]
fn a_failed_write_keeps_the_change_and_the_next_one_writes_it() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("/Pompeo<Enter>1");
    let ann = dir.path().join("annotations");
    let aside = dir.path().join("annotations.aside");
    let path = aside.join(format!("{THIRD}.toml"));
    // The folder becomes a plain file: no write can succeed, even as root.
    std::fs::rename(&ann, &aside).unwrap();
    std::fs::write(&ann, b"not a folder").unwrap();
    let before = std::fs::read(&path).unwrap();
    h.keys("/Esper<Enter>1");
    match &h.doc().session.save {
        SaveState::Failed(e) => assert!(e.contains("annotations"), "names the file: {e}"),
        s => panic!("{s:?}"),
    }
    assert_eq!(
        h.doc().session.store.len(),
        2,
        "the change is kept in memory"
    );
    assert!(h.screen().contains("NOT SAVED"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the old file is whole"
    );
    assert!(h.app.wake_at().is_some(), "a retry is planned");
    assert!(h.screen().contains("retrying in 1 s"), "{}", h.screen());
    std::fs::remove_file(&ann).unwrap();
    std::fs::rename(&aside, &ann).unwrap();
    // The retry writes it, with no key pressed.
    h.app.update(gloss::tui::app::Event::Tick);
    h.settle();
    assert_eq!(h.doc().session.save, SaveState::Saved);
    let src = std::fs::read_to_string(ann.join(format!("{THIRD}.toml"))).unwrap();
    assert_eq!(sidecar::parse(&src).unwrap().annotations.len(), 2);
    h.keys("/Delhi<Enter>1");
    assert_eq!(
        h.doc().session.save,
        SaveState::Saved,
        "the next change writes everything"
    );
    let src = std::fs::read_to_string(ann.join(format!("{THIRD}.toml"))).unwrap();
    assert_eq!(sidecar::parse(&src).unwrap().annotations.len(), 3);
    reliability::record(
        "app_state::a_failed_write_keeps_the_change_and_the_next_one_writes_it",
        "Writes failing (the annotations folder replaced by a file, which fails even as root)",
        "1 folder",
        "NOT SAVED shown with the file named; the change kept; the old file whole; the retry wrote it when the folder came back",
    );
}

#[test]
fn keys_typed_while_an_article_opens_wait_for_it() {
    let dir = corpus_copy();
    let mut h = Harness::new(dir.path(), 100, 30);
    // Ask for the third article but hold the worker's answer back.
    h.app
        .update(gloss::tui::app::Event::Term(crossterm::event::Event::Key(
            crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char('j'),
                crossterm::event::KeyModifiers::NONE,
            ),
        )));
    let held: Vec<_> = h.app.outbox.drain(..).collect();
    for k in common::parse_keys("j<Enter>G") {
        h.app
            .update(gloss::tui::app::Event::Term(crossterm::event::Event::Key(
                k,
            )));
    }
    assert!(h.app.loading.is_some());
    h.app.outbox.extend(held);
    h.settle();
    assert_eq!(h.doc().session.rel, THIRD);
    assert_eq!(
        h.doc().cursor,
        h.doc().session.text.last_cursor_pos(),
        "G applied once it opened"
    );
}

#[test]
fn a_large_article_shows_its_end_from_a_glimpse_while_it_is_read() {
    use gloss::core::article::{GLIMPSE_MIN, glimpse};
    use gloss::session::worker::{Reply, Request};
    use gloss::tui::app::Event;
    let mut text = String::new();
    let mut n = 0;
    while text.len() < GLIMPSE_MIN as usize + 4096 {
        text.push_str(&format!("Paragraph {n} of a large article.\n\n"));
        n += 1;
    }
    text.push_str("THE VERY END\n");
    let dir = corpus_of(&[
        ("a-small.txt", b"small one\n"),
        ("b-large.txt", text.as_bytes()),
    ]);
    let mut h = Harness::new(dir.path(), 100, 30);
    // Open the large one, but hold the worker's answer back: send what the
    // worker sends first, the glimpse.
    h.app.update(key('j'));
    let held: Vec<_> = h.app.outbox.drain(..).collect();
    let Some(Request::Open { idx, entry, .. }) =
        held.iter().find(|r| matches!(r, Request::Open { .. }))
    else {
        panic!("no open request: {held:?}");
    };
    let g = glimpse(&entry.path).expect("a glimpse of a large article");
    h.app.update(Event::Io(Reply::Glimpse {
        idx: *idx,
        glimpse: Box::new(g),
    }));
    assert!(h.doc().glimpse, "the start shows at once");
    assert!(h.screen().contains("Paragraph 0 of a large article"));
    assert!(h.screen().contains("reading"), "{}", h.screen());
    // G, typed before the article is read, shows its end from the glimpse.
    h.keys("<Enter>G");
    assert!(h.doc().glimpse);
    assert!(h.screen().contains("THE VERY END"), "{}", h.screen());
    // Keys wait for the real article: a tag is not made on the glimpse.
    h.keys("b1");
    assert!(h.doc().session.store.is_empty());
    // The real one arrives: G and the tag apply to it, at its true end.
    h.app.outbox.extend(held);
    h.settle();
    let d = h.doc();
    assert!(!d.glimpse);
    assert_eq!(d.session.rel, "b-large.txt");
    assert_eq!(d.session.text.len(), text.len());
    assert_eq!(h.slice(d.session.store.all()[0].range()), "END");
    assert!(h.screen().contains("THE VERY END"));
    assert!(!h.screen().contains("reading"), "{}", h.screen());
}

/// Issue 10: undo kept for the whole session, across article switches.
#[test]
fn undo_outlives_switching_articles() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("/Pompeo<Enter>1cthe envoy<Enter>d");
    assert!(h.doc().session.store.is_empty());
    assert!(h.screen().contains("deleted PERSON"), "{}", h.screen());
    // Away to the next article and back.
    h.keys("<Tab>j<Enter><Tab>k<Enter>");
    assert_eq!(h.doc().session.rel, THIRD);
    h.keys("u");
    let back = h.doc().session.store.all();
    assert_eq!(back.len(), 1, "{}", h.screen());
    assert_eq!(back[0].note.as_deref(), Some("the envoy"));
    let on_disk = h.sidecar_src(THIRD).unwrap();
    assert!(on_disk.contains("note = \"the envoy\""), "{on_disk}");
    // And redo, after another round trip.
    h.keys("<Tab>j<Enter><Tab>k<Enter><C-r>");
    assert!(h.doc().session.store.is_empty());
}

/// Issue 10: two annotators can mark the same span with the same label.
#[test]
fn already_tagged_is_per_annotator() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.app.settings.annotator = Some("ana".into());
    h.keys("/Pompeo<Enter>1");
    h.keys("1");
    assert_eq!(h.doc().session.store.len(), 1);
    assert!(
        h.screen().contains("already tagged PERSON"),
        "{}",
        h.screen()
    );
    h.app.settings.annotator = Some("ben".into());
    h.keys("1");
    let who: Vec<Option<String>> = h
        .doc()
        .session
        .store
        .all()
        .iter()
        .map(|a| a.annotator.clone())
        .collect();
    assert_eq!(who.len(), 2, "{}", h.screen());
    assert!(who.contains(&Some("ana".into())) && who.contains(&Some("ben".into())));
}

/// Messages cut by graphemes: never half a family emoji or an accent.
#[test]
fn short_cuts_by_graphemes() {
    use gloss::tui::app::short;
    let family = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
    assert_eq!(short(&format!("{family}{family}"), 1), format!("{family}…"));
    assert_eq!(short("Cafe\u{301} noir", 4), "Cafe\u{301}…");
}

/// A schema with relation types and document groups, for the tests below.
fn with_relation_schema(dir: &std::path::Path) {
    let schema = std::fs::read_to_string(dir.join("annotations/labels.toml")).unwrap();
    std::fs::write(
        dir.join("annotations/labels.toml"),
        format!(
            "{schema}\n[[relation]]\nname = \"MET\"\nkey = 1\nfrom = [\"PERSON\"]\nto = [\"PERSON\"]\n\n[[relation]]\nname = \"SAW\"\nkey = 2\nfrom = [\"PERSON\"]\n\n[[relation]]\nname = \"IN\"\nfrom = [\"PERSON\"]\nto = [\"GPE\"]\n\n[[document]]\nname = \"topic\"\nchoices = [\"diplomacy\", \"military\"]\n"
        ),
    )
    .unwrap();
}

/// Issue 10: relations made with the keyboard, followed, deleted with
/// their annotation and brought back by undo; document labels; done.
#[test]
fn relations_document_labels_and_status_from_the_keyboard() {
    let dir = corpus_copy();
    with_relation_schema(dir.path());
    let mut h = third(dir.path());
    assert_eq!(h.app.schema.relations.len(), 3);
    // Two people and a place.
    h.keys("g/Pompeo<Enter>1g/Esper<Enter>1g/Delhi<Enter>3");
    let id_of = |h: &Harness, q: &str| {
        h.doc()
            .session
            .store
            .all()
            .iter()
            .find(|a| h.slice(a.range()) == q)
            .unwrap_or_else(|| panic!("no {q}"))
            .id
            .clone()
    };
    let (pompeo, esper, delhi) = (id_of(&h, "Pompeo"), id_of(&h, "Esper"), id_of(&h, "Delhi"));
    // PERSON → PERSON: MET and SAW fit; Enter asks, 1 chooses MET.
    h.keys("g/Pompeo<Enter>r");
    assert_eq!(h.doc().relating.as_deref(), Some(pompeo.as_str()));
    h.keys("g/Esper<Enter><Enter>");
    let said = h.said();
    assert_eq!(said, "which relation? press its digit: 1 MET, 2 SAW");
    assert!(h.doc().session.store.relations().is_empty());
    h.keys("1");
    let r = &h.doc().session.store.relations()[0];
    assert_eq!(
        (r.label.as_str(), r.from.as_str(), r.to.as_str()),
        ("MET", pompeo.as_str(), esper.as_str())
    );
    assert!(h.doc().relating.is_none());
    // PERSON → GPE: SAW (key 2) and IN (no key: the first digit left, 1).
    h.keys("g/Esper<Enter>rg/Delhi<Enter><Enter>");
    let said = h.said();
    assert_eq!(said, "which relation? press its digit: 2 SAW, 1 IN");
    h.keys("1");
    assert_eq!(
        h.doc().session.store.relations().len(),
        2,
        "{:?}\n{}",
        h.doc().session.store.relations(),
        h.screen()
    );
    assert_eq!(h.doc().session.store.relations()[1].label, "IN");
    assert_eq!(h.doc().session.store.relations()[1].to, delhi);
    // Nothing links GPE to PERSON.
    h.keys("g/Delhi<Enter>rg/Pompeo<Enter><Enter>");
    let said = h.said();
    assert!(
        said.starts_with("no relation type links GPE to PERSON"),
        "{said}"
    );
    h.keys("<Esc>");
    assert!(h.doc().relating.is_none());
    // The status line shows them; > and < follow them.
    h.keys("g/Esper<Enter>lh");
    assert!(h.screen().contains("← MET “Pompeo”"), "{}", h.screen());
    h.keys(">");
    assert_eq!(h.slice(h.doc().cursor..h.doc().cursor + 5), "Delhi");
    h.keys("g/Esper<Enter><");
    assert_eq!(h.slice(h.doc().cursor..h.doc().cursor + 6), "Pompeo");
    // Deleting Esper takes both relations on it; one undo brings all back.
    h.keys("g/Esper<Enter>d");
    assert!(h.doc().session.store.relations().is_empty());
    h.keys("u");
    assert_eq!(h.doc().session.store.relations().len(), 2);
    // On disk, as format 2.
    let src = h.sidecar_src(THIRD).unwrap();
    assert_eq!(src.matches("[[relation]]").count(), 2, "{src}");
    // Document labels: a single-choice group replaces; again removes.
    h.keys("Ddiplomacy<Enter>");
    assert_eq!(h.doc().session.store.doc_labels()[0].label, "diplomacy");
    h.keys("Dtopic: military<Enter>");
    let labels: Vec<&str> = h
        .doc()
        .session
        .store
        .doc_labels()
        .iter()
        .map(|l| l.label.as_str())
        .collect();
    assert_eq!(labels, ["military"]);
    assert!(h.screen().contains("topic: military"), "{}", h.screen());
    h.keys("Dmilitary<Enter>");
    assert!(h.doc().session.store.doc_labels().is_empty());
    h.keys("Dsport<Enter>");
    let said = h.said();
    assert!(said.starts_with("no document group has"), "{said}");
    // Done: in the title, the list's mark and count, and its filter.
    h.keys("m");
    assert_eq!(
        h.doc().session.store.status(),
        gloss::core::annotation::Status::Done
    );
    assert!(h.sidecar_src(THIRD).unwrap().contains("status = \"done\""));
    let screen = h.screen();
    assert!(
        screen.contains("· done ·") && screen.contains("1 done"),
        "{screen}"
    );
    h.keys("<Tab>/is:done<Enter>");
    assert_eq!(h.app.list.visible.len(), 1);
    h.keys("/<C-u>is:new<Enter>");
    assert_eq!(h.app.list.visible.len(), 4);
}

/// Without relation types in the schema, Enter asks for a name.
#[test]
fn a_relation_without_schema_types_is_named_at_the_prompt() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("g/Pompeo<Enter>vw1g/Esper<Enter>vw1");
    h.keys("g/Pompeo<Enter>rg/Esper<Enter><Enter>");
    assert!(matches!(h.app.mode, gloss::tui::app::Mode::Prompt(_)));
    h.keys("MET<Enter>");
    assert_eq!(h.doc().session.store.relations().len(), 1);
    assert_eq!(h.doc().session.store.relations()[0].label, "MET");
}

/// Issue 10: the annotation panel lists the relations of the annotation
/// under the cursor (out, then in), walks along them, deletes one without
/// touching the annotations, and undo brings it back; Tab cycles through
/// it; the text pane gives it rows and takes them back.
#[test]
fn the_panel_lists_walks_and_deletes_relations() {
    use gloss::tui::app::Focus;
    let dir = corpus_copy();
    with_relation_schema(dir.path());
    let mut h = third(dir.path());
    h.keys("g/Pompeo<Enter>1g/Esper<Enter>1g/Delhi<Enter>3");
    // Pompeo MET Esper, Pompeo IN Delhi; Esper SAW Pompeo.
    h.keys("g/Pompeo<Enter>rg/Esper<Enter>1");
    // SAW (2) and IN fit PERSON → GPE; IN, without a key, gets 1.
    h.keys("g/Pompeo<Enter>rg/Delhi<Enter>1");
    h.keys("g/Esper<Enter>rg/Pompeo<Enter>2");
    assert_eq!(h.doc().session.store.relations().len(), 3);
    let rows_before = h.doc().height;
    h.keys("g/Pompeo<Enter>i");
    assert!(h.app.panel.open);
    assert_eq!(h.app.focus, Focus::Panel);
    assert!(
        h.doc().height < rows_before,
        "the text gives the panel rows"
    );
    let screen = h.screen();
    for row in [
        "→ MET PERSON “Esper”",
        "→ IN GPE “Delhi”",
        "← SAW PERSON “Esper”",
    ] {
        assert!(screen.contains(row), "panel lacks {row}:\n{screen}");
    }
    // Out before in, each in the order of its other end in the text.
    let at = |s: &str| screen.find(s).unwrap();
    assert!(
        at("→ MET") < at("→ IN") && at("→ IN") < at("← SAW"),
        "{screen}"
    );
    // The second row goes to Delhi; the panel then shows Delhi's side.
    h.keys("j<Enter>");
    assert_eq!(
        h.slice(
            h.doc()
                .session
                .store
                .innermost_at(h.doc().cursor)
                .unwrap()
                .range()
        ),
        "Delhi"
    );
    assert!(h.said().contains("→ IN GPE “Delhi”"), "{}", h.said());
    assert!(
        h.screen().contains("← IN PERSON “Pompeo”"),
        "{}",
        h.screen()
    );
    // Back to Pompeo; delete the chosen (first) relation, MET.
    h.keys("<Enter>");
    assert_eq!(
        h.slice(
            h.doc()
                .session
                .store
                .innermost_at(h.doc().cursor)
                .unwrap()
                .range()
        ),
        "Pompeo"
    );
    h.keys("d");
    let labels: Vec<String> = h
        .doc()
        .session
        .store
        .relations()
        .iter()
        .map(|r| r.label.clone())
        .collect();
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert!(!labels.contains(&"MET".to_string()));
    assert_eq!(h.doc().session.store.len(), 3, "the annotations stay");
    assert!(
        h.said().starts_with("deleted relation → MET"),
        "{}",
        h.said()
    );
    h.settle();
    assert!(!h.sidecar_src(THIRD).unwrap().contains("\"MET\""));
    // u in the panel undoes it.
    h.keys("u");
    assert_eq!(h.doc().session.store.relations().len(), 3);
    h.settle();
    assert!(h.sidecar_src(THIRD).unwrap().contains("\"MET\""));
    // Tab: panel → list → text → panel; Esc hides it and the text has
    // its rows back.
    h.keys("<Tab>");
    assert_eq!(h.app.focus, Focus::List);
    h.keys("<Tab>");
    assert_eq!(h.app.focus, Focus::Text);
    h.keys("<Tab>");
    assert_eq!(h.app.focus, Focus::Panel);
    h.keys("<Esc>");
    assert!(!h.app.panel.open);
    assert_eq!(h.app.focus, Focus::Text);
    assert_eq!(h.doc().height, rows_before);
    // On plain text the panel says there is nothing, and Enter says why.
    h.keys("gi<Enter>");
    assert!(
        h.screen().contains("no annotation under the cursor"),
        "{}",
        h.screen()
    );
}

/// Issue 10: an annotation found only approximately after the article
/// changed stays marked for review in its sidecar across saves and
/// sessions, is listed by `!` and by `gloss check`, and `e` `Enter`
/// (its bounds confirmed by a person) clears the mark.
#[test]
fn an_approximate_find_stays_marked_for_review_until_confirmed() {
    let dir = corpus_copy();
    let root = dir.path();
    common::annotate(
        root,
        THIRD,
        &[("Mike Pompeo and Defence Secretary", "ORG", None)],
    );
    // Someone corrects the spelling in the article, outside gloss.
    let article = root.join("seeds").join(THIRD);
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(
        &article,
        text.replacen("Pompeo and Defence", "Pompeo and Defense", 1),
    )
    .unwrap();
    let mut h = third(root);
    let ann = h.doc().session.store.all()[0].clone();
    assert_eq!(h.slice(ann.range()), "Mike Pompeo and Defense Secretary");
    let why = ann.review.clone().expect("marked for review");
    assert!(
        why.contains("1 edit(s)") && why.contains("Defence"),
        "{why}"
    );
    // Another change saves the sidecar: the mark is written.
    h.keys("g/Esper<Enter>1");
    h.settle();
    let src = h.sidecar_src(THIRD).unwrap();
    assert!(src.contains("review = \"found approximately"), "{src}");
    // A new session: nothing moves now, the mark is still there.
    let mut h = third(root);
    let a = h
        .doc()
        .session
        .store
        .all()
        .iter()
        .find(|a| a.label == "ORG")
        .unwrap()
        .clone();
    assert_eq!(a.review.as_deref(), Some(why.as_str()));
    h.keys("!");
    assert!(
        h.screen().contains("1 annotation(s) to review"),
        "{}",
        h.screen()
    );
    h.keys("<Esc>");
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .current_dir(root)
        .arg("check")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(
        said.contains("is marked for review: found approximately"),
        "{said}"
    );
    // Confirmed: e on it, Enter.
    h.keys("g/Mike<Enter>e<Enter>");
    assert!(h.said().starts_with("reviewed: ORG"), "{}", h.said());
    h.settle();
    assert!(!h.sidecar_src(THIRD).unwrap().contains("review ="));
    // And u brings the mark back, as any change.
    h.keys("u");
    h.settle();
    assert!(h.sidecar_src(THIRD).unwrap().contains("review = "));
}

/// Issue 10: `D` opens the document label picker: every choice of the
/// schema's groups, the article's own ticked; typing filters, Enter adds
/// or removes, and in a single-choice group the new choice replaces the
/// old.
#[test]
fn the_document_label_picker_ticks_adds_and_replaces() {
    let dir = corpus_copy();
    with_relation_schema(dir.path());
    let mut h = third(dir.path());
    h.keys("D");
    assert!(matches!(h.app.mode, Mode::Picker(_)));
    let screen = h.screen();
    assert!(screen.contains("Document label"), "{screen}");
    assert!(
        screen.contains("[ ] topic: diplomacy") && screen.contains("[ ] topic: military"),
        "{screen}"
    );
    h.keys("mil<Enter>");
    assert!(
        h.said().contains("added document label topic: military"),
        "{}",
        h.said()
    );
    h.keys("D");
    let screen = h.screen();
    assert!(
        screen.contains("[x] topic: military") && screen.contains("[ ] topic: diplomacy"),
        "{screen}"
    );
    // topic is single-choice: diplomacy replaces military.
    h.keys("dip<Enter>");
    let labels: Vec<String> = h
        .doc()
        .session
        .store
        .doc_labels()
        .iter()
        .map(|l| l.label.clone())
        .collect();
    assert_eq!(labels, ["diplomacy"]);
    // Enter on a ticked one removes it; u brings it back.
    h.keys("Ddip<Enter>");
    assert!(h.doc().session.store.doc_labels().is_empty());
    h.keys("u");
    assert_eq!(h.doc().session.store.doc_labels().len(), 1);
    // A name the schema does not have is refused, and said.
    h.keys("Dtopic: sports<Enter>");
    assert!(
        h.said().contains("topic has no choice \"sports\""),
        "{}",
        h.said()
    );
    assert_eq!(h.doc().session.store.doc_labels().len(), 1);
}

/// Issue 11: a digit tags what `/` found, whole, while the cursor is at
/// the match; after any other motion, the name under the cursor, without
/// its possessive.
#[test]
fn a_digit_tags_the_search_match_or_the_name_without_its_possessive() {
    let dir = corpus_copy();
    let mut h = Harness::new(dir.path(), 100, 30);
    h.keys("j<Enter>");
    assert_eq!(h.doc().session.rel, "001_82a3b33474825ac0.txt");
    h.keys("/Subrahmanyam Jaishankar<Enter>1");
    assert_eq!(
        quotes(&h),
        [("PERSON".to_string(), "Subrahmanyam Jaishankar".to_string())]
    );
    assert!(
        h.said()
            .starts_with("tagged PERSON “Subrahmanyam Jaishankar”"),
        "{}",
        h.said()
    );
    // n to the next match and a motion away: the word under the cursor.
    h.keys("g/India’s<Enter>l3");
    assert!(
        quotes(&h).contains(&("GPE".to_string(), "India".to_string())),
        "the possessive left out: {:?}",
        quotes(&h)
    );
    h.keys("<Tab>j<Enter>");
    assert_eq!(h.doc().session.rel, THIRD);
    h.keys("g/Pompeo’s<Enter>ll1");
    assert_eq!(quotes(&h), [("PERSON".to_string(), "Pompeo".to_string())]);
}

/// Issue 11: `E` goes to a word's end, so two words are `v w E`; bounds
/// edited one character too far never keep white space at a span's ends,
/// and the message says the quote as stored.
#[test]
fn end_of_word_and_trimmed_bounds() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("g/Mike<Enter><Esc>vwE2");
    assert_eq!(quotes(&h), [("ORG".to_string(), "Mike Pompeo".to_string())]);
    // One character too far, onto the space after: kept trimmed.
    h.keys("el<Enter>");
    assert_eq!(quotes(&h), [("ORG".to_string(), "Mike Pompeo".to_string())]);
    assert!(h.said().contains("“Mike Pompeo”"), "{}", h.said());
    assert!(
        !h.said().contains("white space at its ends"),
        "{}",
        h.said()
    );
    // Relabelling while editing trims too.
    h.keys("hel3");
    assert_eq!(quotes(&h), [("GPE".to_string(), "Mike Pompeo".to_string())]);
}

/// Issue 11: digits tag (there are no vim counts, documented); what a tag
/// did stays on the status line through motions, until the next change or
/// Esc, so a digit pressed by mistake is seen and undone.
#[test]
fn the_tagged_message_stays_until_the_next_change() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("g/Pompeo<Enter>1");
    assert!(
        h.said().starts_with("tagged PERSON “Pompeo”"),
        "{}",
        h.said()
    );
    h.keys("jjwb");
    assert!(
        h.said().starts_with("tagged PERSON “Pompeo”"),
        "{}",
        h.said()
    );
    assert!(h.screen().contains("tagged PERSON “Pompeo”"));
    h.keys("<Esc>");
    assert!(h.app.message.is_none());
    // 3j is not "three down": 3 tags, j moves one.
    h.keys("g3j");
    assert!(h.said().starts_with("tagged GPE"), "{}", h.said());
}

/// Issue 11: a digit on your own span with another label asks: `a` adds a
/// second annotation, `r` replaces the label, any other key leaves it. A
/// digit while editing bounds relabels and keeps the edit going: the
/// half-moved bounds are kept only by Enter.
#[test]
fn relabelling_asks_and_never_commits_half_moved_bounds() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("g/Pompeo<Enter>1<Esc>2");
    assert!(matches!(h.app.mode, Mode::Relabel { .. }));
    assert!(h.said().contains("is PERSON: a adds ORG"), "{}", h.said());
    assert!(
        h.screen().contains("a add") && h.screen().contains("r replace"),
        "{}",
        h.screen()
    );
    h.keys("x");
    assert_eq!(quotes(&h), [("PERSON".to_string(), "Pompeo".to_string())]);
    h.keys("2r");
    assert_eq!(quotes(&h), [("ORG".to_string(), "Pompeo".to_string())]);
    h.keys("1a");
    assert_eq!(quotes(&h).len(), 2, "{:?}", quotes(&h));
    h.keys("uu");
    assert_eq!(quotes(&h), [("PERSON".to_string(), "Pompeo".to_string())]);
    // While editing: move the end, press 3; the label changes, the bounds
    // do not, and the edit goes on; Esc leaves the bounds as they were.
    h.keys("ebb3");
    assert_eq!(quotes(&h), [("GPE".to_string(), "Pompeo".to_string())]);
    assert!(h.doc().edit.is_some(), "still editing");
    h.keys("<Esc>");
    assert_eq!(quotes(&h), [("GPE".to_string(), "Pompeo".to_string())]);
}

/// Issue 11: `*` offers every other place of the phrase (whole words, case
/// as typed, ones already tagged left out) in a list in context, each
/// accepted or rejected, tagged as one step that one `u` undoes.
#[test]
fn every_place_of_a_name_is_offered_and_tagged_in_one_step() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    let text = h.doc().session.text.as_str().to_string();
    let esper = gloss::core::places::find_all(&h.doc().session.text, "Esper").len();
    assert!(esper >= 3, "{esper}");
    // From an untagged Esper: * lists every place, this one too.
    h.keys("g/Esper<Enter><Esc>");
    h.keys("*");
    let screen = h.screen();
    assert!(matches!(h.app.mode, Mode::Occurrences(_)));
    assert!(
        screen.contains(&format!("“Esper”: {esper} place(s)")),
        "{screen}"
    );
    assert!(screen.contains("[x]"), "{screen}");
    assert!(
        screen.contains("Defence Mark Esper is greeted"),
        "context with its spaces: {screen}"
    );
    // Reject the first (the one the cursor is on), tag the rest with 1.
    h.keys(" 1");
    let tagged = quotes(&h)
        .iter()
        .filter(|(l, q)| l == "PERSON" && q == "Esper")
        .count();
    assert_eq!(tagged, esper - 1, "all but the rejected one");
    assert!(h.said().contains("u undoes them all"), "{}", h.said());
    // One u takes the whole batch back, Ctrl-r brings it again.
    let espers = |h: &Harness| quotes(h).iter().filter(|(_, q)| q == "Esper").count();
    h.keys("u");
    assert_eq!(espers(&h), 0);
    h.keys("<C-r>");
    assert_eq!(espers(&h), esper - 1);
    // From an annotation: * then Enter uses its label; the ones already
    // tagged are not offered again, nor the annotation itself.
    h.keys("g/Esper<Enter><Esc>");
    let before = quotes(&h).len();
    h.keys("n*");
    assert!(h.screen().contains("“Esper”: 1 place(s)"), "{}", h.screen());
    h.keys("<Enter>");
    assert_eq!(quotes(&h).len(), before + 1);
    assert_eq!(espers(&h), esper, "every Esper tagged");
    assert!(!text.is_empty());
}

/// Issue 11: `A` lists the article's annotations with counts per label,
/// markers for notes and relations; typing a label filters; Enter goes
/// to the chosen one.
#[test]
fn the_annotation_list_counts_filters_and_jumps() {
    let dir = corpus_copy();
    let mut h = third(dir.path());
    h.keys("g/Pompeo<Enter>1cwho?<Enter>g/Esper<Enter>1g/Delhi<Enter>3");
    h.keys("A");
    let screen = h.screen();
    assert!(matches!(h.app.mode, Mode::Annotations(_)));
    assert!(
        screen.contains("Annotations 3/3 · GPE 1 · PERSON 2"),
        "{screen}"
    );
    assert!(
        screen.contains("✎") && screen.contains("“Pompeo” — who?"),
        "{screen}"
    );
    h.keys("gpe");
    assert!(h.screen().contains("Annotations 1/3"), "{}", h.screen());
    h.keys("<Enter>");
    assert!(matches!(h.app.mode, Mode::Normal));
    let at = h.doc().cursor;
    assert_eq!(&h.doc().session.text.as_str()[at..at + 5], "Delhi");
    // By text, then down, Enter.
    h.keys("AEsp<Enter>");
    let at = h.doc().cursor;
    assert_eq!(&h.doc().session.text.as_str()[at..at + 5], "Esper");
}

/// Issue 11: the list says where each article lives (its folder; its path
/// when its title is another's too); it widens, narrows and hides; Esc
/// clears its filter.
#[test]
fn the_list_shows_places_resizes_hides_and_esc_clears_its_filter() {
    let dir = corpus_of(&[
        ("news/a.txt", b"Talks\nbody one\n"),
        ("blog/b.txt", b"Talks\nbody two\n"),
        ("deep/er/d.txt", b"Unique title\nbody\n"),
        ("top.txt", b"At the top\nbody\n"),
    ]);
    let mut h = Harness::new(dir.path(), 100, 20);
    let screen = h.screen();
    let row = |a: &str, b: &str| screen.lines().any(|l| l.contains(a) && l.contains(b));
    assert!(row("Talks", "blog/b.txt"), "{screen}");
    assert!(row("Talks", "news/a.txt"), "{screen}");
    assert!(row("Unique title", "deep/er"), "{screen}");
    assert!(
        screen
            .lines()
            .any(|l| l.contains("At the top") && !l.contains("top.txt")),
        "{screen}"
    );
    let width = |h: &Harness| h.app.panes().unwrap().list.width;
    let w0 = width(&h);
    h.keys(">>");
    assert_eq!(width(&h), w0 + 8);
    h.keys("<<<");
    assert_eq!(width(&h), w0 - 4);
    let text_w = h.doc().layout.width();
    h.keys("\\");
    assert_eq!(width(&h), 0);
    assert_eq!(h.app.focus, Focus::Text, "the hidden list gives up focus");
    assert!(h.doc().layout.width() > text_w, "the text takes the width");
    h.keys("\\<Tab>");
    assert_eq!(h.app.focus, Focus::List);
    // Esc clears the filter.
    h.keys("/uniq<Enter>");
    assert_eq!(h.app.list.visible.len(), 1);
    h.keys("<Esc>");
    assert_eq!(h.app.list.visible.len(), 4);
    assert!(h.app.list.filter.is_empty());
}

/// The README's "Fastest ways to tag": each row's keys, read from the
/// README and sent exactly, do what the row says, and the count is theirs.
#[test]
fn the_fastest_ways_to_tag_take_the_keys_the_readme_gives() {
    let readme = include_str!("../README.md");
    let start = readme.find("## Fastest ways to tag").unwrap();
    let section = &readme[start..start + readme[start..].find("\n## Keys").unwrap()];
    let rows: Vec<(String, String, usize)> = section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| to tag"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            let keys: Vec<String> = cells[1]
                .split_whitespace()
                .map(|k| k.trim_matches('`').to_string())
                .collect();
            let sent: String = keys
                .iter()
                .map(|k| {
                    if k.len() > 1 {
                        format!("<{k}>")
                    } else {
                        k.clone()
                    }
                })
                .collect();
            (cells[0].to_string(), sent, cells[2].parse().unwrap())
        })
        .collect();
    assert_eq!(rows.len(), 6, "{rows:?}");
    for (what, keys, count) in &rows {
        assert_eq!(
            common::parse_keys(keys).len(),
            *count,
            "{what}: the count is the keys'"
        );
    }
    // The harness and the folder it works in (removed when dropped).
    let run = |setup: &str, row: usize| -> (Harness, tempfile::TempDir) {
        let dir = corpus_copy();
        let mut h = third(dir.path());
        h.keys(setup);
        h.keys(&rows[row].1);
        (h, dir)
    };
    // one word mid-line
    let (h, _d) = run("g/Palam<Enter><Esc>", 0);
    assert_eq!(quotes(&h), [("PERSON".to_string(), "Palam".to_string())]);
    // a name of two words
    let (h, _d) = run("g/Mike<Enter><Esc>", 1);
    assert_eq!(
        quotes(&h),
        [("PERSON".to_string(), "Mike Pompeo".to_string())]
    );
    // a sentence mid-line
    let (h, _d) = run("g/this is to be<Enter><Esc>", 2);
    assert_eq!(
        quotes(&h),
        [(
            "PERSON".to_string(),
            "But this is to be expected.".to_string()
        )]
    );
    // a sentence that is a whole line
    let (h, _d) = run("g/on the China<Enter><Esc>", 3);
    assert_eq!(quotes(&h), [("PERSON".to_string(), SENTENCE.to_string())]);
    // every place of a name
    let (h, _d) = run("g/Esper<Enter><Esc>", 4);
    let esper = gloss::core::places::find_all(&h.doc().session.text, "Esper").len();
    assert_eq!(
        quotes(&h)
            .iter()
            .filter(|(l, q)| l == "PERSON" && q == "Esper")
            .count(),
        esper
    );
    // a span one word too long, fixed
    let (h, _d) = run("g/Mike<Enter><Esc>vwwE1", 5);
    assert_eq!(
        quotes(&h),
        [("PERSON".to_string(), "Mike Pompeo".to_string())]
    );
}

/// Issue 11: a sidecar broken on disk makes its article read-only; fixed
/// on disk, it is read again when the article is opened again.
#[test]
fn a_sidecar_fixed_on_disk_is_read_again_on_reopening() {
    let dir = corpus_copy();
    common::annotate(dir.path(), THIRD, &[("Pompeo", "PERSON", None)]);
    let path = dir.path().join("annotations").join(format!("{THIRD}.toml"));
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, good.replace("label = ", "label == ")).unwrap();
    let mut h = third(dir.path());
    assert!(h.doc().session.read_only.is_some());
    std::fs::write(&path, &good).unwrap();
    h.keys("<Tab><Enter>");
    assert!(
        h.doc().session.read_only.is_none(),
        "{:?}",
        h.doc().session.read_only
    );
    assert_eq!(quotes(&h), [("PERSON".to_string(), "Pompeo".to_string())]);
}

/// Issue 11: `*` then Tab looks through the whole corpus; the places in
/// other articles are listed with their article and line, and tagging
/// writes them to their sidecars (under the lock, merged), the list's
/// counts following.
#[test]
fn every_place_across_the_corpus_is_offered_and_tagged() {
    let dir = corpus_copy();
    let root = dir.path();
    let count = |name: &str| {
        std::fs::read_to_string(root.join("seeds").join(name))
            .unwrap()
            .matches("Pompeo")
            .count()
    };
    let mut h = third(root);
    h.keys("g/Pompeo<Enter><Esc>*");
    let here = gloss::core::places::find_all(&h.doc().session.text, "Pompeo").len();
    h.keys("<Tab>");
    h.settle();
    let screen = h.screen();
    assert!(screen.contains("in the corpus"), "{screen}");
    assert!(screen.contains("000_29446928d2f6ecab.txt:"), "{screen}");
    h.keys("1");
    h.settle();
    assert_eq!(
        quotes(&h)
            .iter()
            .filter(|(l, q)| l == "PERSON" && q == "Pompeo")
            .count(),
        here
    );
    // Every other article that has Pompeo as a word has it tagged on disk.
    for e in h.app.list.entries.iter().filter(|e| e.rel != THIRD) {
        let text = gloss::core::text::Text::new(std::fs::read_to_string(&e.path).unwrap());
        let want = gloss::core::places::find_all(&text, "Pompeo").len();
        let side = h.sidecar_src(&e.rel).unwrap_or_default();
        assert_eq!(
            side.matches("quote = \"Pompeo\"").count(),
            want,
            "{}: {} on disk, {want} in the text",
            e.rel,
            side.matches("quote = \"Pompeo\"").count()
        );
        assert!(want <= count(&e.rel));
    }
    assert!(h.said().contains("other article(s)"), "{}", h.said());
    let idx = h
        .app
        .list
        .entries
        .iter()
        .position(|e| e.rel.starts_with("000_"))
        .unwrap();
    assert!(h.app.list.items[idx].count > 0, "the list's count follows");

    // One `u` takes the whole batch back, here and in every other
    // article, except a tag someone relabelled on disk since: that is
    // theirs now and stays.
    let on_disk = |h: &Harness, rel: &str| {
        h.sidecar_src(rel)
            .unwrap_or_default()
            .matches("quote = \"Pompeo\"")
            .count()
    };
    let others: Vec<String> = h
        .app
        .list
        .entries
        .iter()
        .filter(|e| e.rel != THIRD && on_disk(&h, &e.rel) > 0)
        .map(|e| e.rel.clone())
        .collect();
    assert!(others.len() >= 2, "{others:?}");
    let before: Vec<usize> = others.iter().map(|r| on_disk(&h, r)).collect();
    let relabelled = &others[0];
    let side = root.join("annotations").join(format!("{relabelled}.toml"));
    let src = std::fs::read_to_string(&side).unwrap();
    std::fs::write(
        &side,
        src.replacen("label = \"PERSON\"", "label = \"ORG\"", 1),
    )
    .unwrap();
    h.keys("<Esc>u");
    h.settle();
    assert_eq!(
        quotes(&h).iter().filter(|(_, q)| q == "Pompeo").count(),
        0,
        "{:?}",
        quotes(&h)
    );
    assert_eq!(
        on_disk(&h, relabelled),
        1,
        "the one relabelled on disk stays"
    );
    for r in &others[1..] {
        assert_eq!(on_disk(&h, r), 0, "{r}: taken back");
    }
    assert!(h.said().contains("took back"), "{}", h.said());
    // Ctrl-r puts them all back.
    h.keys("<C-r>");
    h.settle();
    assert_eq!(
        quotes(&h).iter().filter(|(_, q)| q == "Pompeo").count(),
        here
    );
    let after: Vec<usize> = others.iter().map(|r| on_disk(&h, r)).collect();
    assert_eq!(after, before, "{others:?}");
}

/// Issue 12: what brat adds is shown, not only kept: the panel on an
/// annotation imported from brat's tutorial shows its attributes and its
/// normalisation, and on an event's trigger the event with its arguments;
/// deleting an argument takes the event with it, and `u` brings both back.
#[test]
fn brat_attributes_links_and_events_show_in_the_panel() {
    let fixtures = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/brat/news"
    ));
    let text = std::fs::read(fixtures.join("000-introduction.txt")).unwrap();
    let dir = common::corpus_of(&[("000-introduction.txt", &text)]);
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    for f in ["000-introduction.txt", "000-introduction.ann"] {
        std::fs::copy(fixtures.join(f), input.join(f)).unwrap();
    }
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["import", "-f", "brat", "in"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut h = Harness::new(dir.path(), 140, 40);
    h.keys("<Enter>g/former Mexican<Enter>i");
    let screen = h.screen();
    assert!(
        screen.contains(
            "attributes: Individual · Mention=Nominal · Wikipedia:64488 “Carlos Salinas de Gortari”"
        ),
        "{screen}"
    );
    // Esc leaves the panel; on the trigger, it opens again.
    h.keys("<Esc>g/moving about<Enter>i");
    let screen = h.screen();
    assert!(
        screen.contains(
            "event Transfer-money “moving”: Giver-Arg “Citibank”, Money-Arg “$100 million”"
        ),
        "{screen}"
    );
    let events = |h: &Harness| h.doc().session.store.events().len();
    assert_eq!(events(&h), 1);
    // Citibank is the giver: deleting it takes the event along, undoably.
    h.keys("<Esc>g/Citibank<Enter>d");
    assert_eq!(events(&h), 0, "{}", h.said());
    h.keys("u");
    assert_eq!(events(&h), 1, "{}", h.said());
}

/// Keys typed while an article opens: `/` opens the search once it is
/// open, and what follows is the text searched, not commands (`m` in
/// "Pompeo" once marked the article done, on a loaded machine).
#[test]
fn a_search_typed_while_the_article_opens_searches() {
    use gloss::tui::app::Event;
    let dir = corpus_copy();
    let mut h = Harness::new(dir.path(), 100, 30);
    h.keys("j");
    // The third article chosen, opened and searched, the I/O answered
    // only afterwards.
    for k in common::parse_keys("j<Enter>/Pompeo<Enter>") {
        h.app.update(Event::Term(crossterm::event::Event::Key(k)));
    }
    h.settle();
    let d = h.doc();
    assert_eq!(d.session.rel, THIRD);
    assert_eq!(
        d.session.store.status(),
        gloss::core::annotation::Status::New,
        "no key was taken for a command"
    );
    assert_eq!(h.slice(d.cursor..d.cursor + 6), "Pompeo");
}
