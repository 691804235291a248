//! End to end: the real binary in a pseudo-terminal on a copy of the seeds.

mod common;
#[path = "common/pty.rs"]
mod pty;
#[path = "common/tmux.rs"]
mod tmux;

use common::{corpus_copy, python};
use pty::Session;

const THIRD: &str = "002_7502e44b28077c3a.txt";

/// Reads the sidecar with Python's tomllib (a parser that is not ours) and
/// checks it against the article's text as Python counts characters.
const CHECK: &str = r#"
import sys, tomllib, datetime
sidecar, article, name = sys.argv[1:4]
with open(sidecar, "rb") as f:
    doc = tomllib.load(f)
with open(article, encoding="utf-8", newline="") as f:
    text = f.read()
assert doc["format"] == 2, doc["format"]
assert doc["article"] == name, doc["article"]
assert doc["fingerprint"].startswith("sha256:")
anns = doc["annotation"]
ids = [a["id"] for a in anns]
assert len(ids) == len(set(ids)), ids
for a in anns:
    assert text[a["start"]:a["end"]] == a["quote"], (a["quote"], text[a["start"]:a["end"]])
    assert text[:a["start"]].endswith(a["prefix"]), a["prefix"]
    assert text[a["end"]:].startswith(a["suffix"]), a["suffix"]
    assert isinstance(a["created"], datetime.datetime)
keys = [(a["start"], a["end"], a["label"]) for a in anns]
assert keys == sorted(keys), keys
by_label = {a["label"]: a for a in anns}
assert by_label["PERSON"]["quote"] == "Pompeo"
org = by_label["ORG"]
assert org["quote"].startswith("US Secretary of State Mike Pompeo") and org["quote"].endswith("border."), org["quote"]
assert org["note"] == "check the date", org
assert "note" not in by_label["PERSON"]
print("sidecar ok:", len(anns), "annotations")
"#;

/// Runs `script` on `sidecar` (and `more` arguments) with Python: it must
/// pass, or the test fails showing what it said and the sidecar. Returns
/// what it printed.
fn python_check(py: &str, script: &str, sidecar: &std::path::Path, more: &[&str]) -> String {
    let out = std::process::Command::new(py)
        .arg("-c")
        .arg(script)
        .arg(sidecar)
        .args(more)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python check failed:\n{}\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(sidecar).unwrap_or_default()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn annotate_quit_check_with_python_and_see_highlights_again() {
    let py = python().expect("python3 with tomllib is needed for this test (.ci/run installs it)");
    let dir = corpus_copy();
    let root = dir.path();

    let mut s = Session::spawn(root, &[], 30, 110);
    s.wait_text("Articles 5");
    s.wait_text("On Monday, Indian and US Navies");
    s.send("jj\r");
    s.wait_text("002_7502e44b28077c3a.txt");
    s.wait_text("a man wearing a suit");
    s.send("/Pompeo\r");
    s.wait_text("match 1 of");
    s.send("1");
    s.wait_text("tagged PERSON “Pompeo”");
    s.send("s");
    s.wait_text(" SELECT ");
    s.send("2");
    s.wait_text("tagged ORG “US Secretary of State Mike Pompeo");
    s.send("c");
    s.wait_text("note: ");
    s.send("check the date");
    s.wait_text("note: check the date");
    s.send("\r");
    s.wait_text("note saved");
    s.wait_text("✓ saved");
    s.send("q");
    assert!(s.wait_exit(), "gloss exits with success");
    s.with_screen(|sc| {
        assert!(!sc.alternate_screen(), "left the alternate screen");
        assert!(!sc.hide_cursor(), "the cursor is shown again");
        assert_eq!(
            sc.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse capture is off"
        );
    });

    let sidecar = root.join("annotations").join(format!("{THIRD}.toml"));
    let article = root.join("seeds").join(THIRD);
    let said = python_check(py, CHECK, &sidecar, &[article.to_str().unwrap(), THIRD]);
    assert!(said.contains("sidecar ok: 2 annotations"), "{said}");

    // Start again: the annotations are there, in their labels' colours.
    let mut s = Session::spawn(root, &[], 30, 110);
    s.wait_text("Articles 5");
    s.send("jj\r");
    s.wait_text("a man wearing a suit");
    s.send("/Pompeo and Defence\r");
    s.wait_text("match 1 of 1");
    let (r, c) = s
        .find("Pompeo and Defence")
        .expect("the sentence is on screen");
    let person = vt100::Color::Rgb(0xe5, 0xc0, 0x7b);
    let org = vt100::Color::Rgb(0x61, 0xaf, 0xef);
    s.with_screen(|sc| {
        // the cursor cell is reversed; the next one shows the plain colours
        let cell = sc.cell(r, c + 1).unwrap();
        assert_eq!(cell.bgcolor(), person, "Pompeo in PERSON's colour");
        assert!(cell.underline(), "nested in the sentence: underlined");
        let cell = sc.cell(r, c + 8).unwrap();
        assert_eq!(
            cell.bgcolor(),
            org,
            "the rest of the sentence in ORG's colour"
        );
    });
    let list_row = s.find("US and India").unwrap();
    assert!(
        s.contents()
            .lines()
            .nth(list_row.0 as usize)
            .unwrap()
            .contains(" 2"),
        "the list counts 2"
    );
    s.send("q");
    assert!(s.wait_exit());
}

#[test]
fn hostile_text_never_reaches_the_terminal_as_control() {
    let dir = common::corpus_of(&[(
        "evil.txt",
        "Title\n\nclear \u{1b}[2J title \u{1b}]0;PWNED\u{7} clip \u{1b}]52;c;ZXZpbA==\u{7} c1 \u{9b}2J bidi \u{202e}txet\u{202c} end\n".as_bytes(),
    )]);
    let mut s = Session::spawn(dir.path(), &[], 20, 100);
    s.wait_text("Articles 1");
    s.wait_text("clear ^[[2J title ^[]0;PWNED^G");
    for shown in ["c1 <9B>2J", "bidi <U+202E>txet<U+202C> end"] {
        assert!(
            s.contents().contains(shown),
            "{shown} not on screen:\n{}",
            s.contents()
        );
    }
    assert!(
        s.contents().contains("Articles 1"),
        "the screen was not cleared"
    );
    s.with_recorder(|r| {
        assert!(r.titles.is_empty(), "window title set: {:?}", r.titles);
        assert!(
            r.clipboard.is_empty(),
            "clipboard written: {:?}",
            r.clipboard
        );
        assert_eq!(r.bells, 0, "the bell rang");
    });
    let out = String::from_utf8_lossy(&s.raw()).into_owned();
    for bad in [
        "\u{1b}]",
        "\u{7}",
        "\u{9b}",
        "\u{202e}",
        "\u{202c}",
        "PWNED\u{7}",
    ] {
        assert!(!out.contains(bad), "gloss wrote {bad:?} to the terminal");
    }
    // gloss clears the screen once, when it starts; the article never does.
    assert_eq!(out.matches("\u{1b}[2J").count(), 1);
    s.send("q");
    assert!(s.wait_exit());
}

/// Issue 10 end to end: two spans tagged, related, the document labelled
/// and marked done in a real terminal; Python's tomllib reads the result.
const CHECK_RECORDS: &str = r#"
import sys, tomllib
sidecar = sys.argv[1]
with open(sidecar, "rb") as f:
    doc = tomllib.load(f)
assert doc["format"] == 2, doc["format"]
assert doc["status"] == "done", doc.get("status")
anns = {a["id"]: a for a in doc["annotation"]}
rels = doc["relation"]
assert len(rels) == 1, rels
r = rels[0]
assert r["label"] == "MET", r
assert anns[r["from"]]["quote"] == "Pompeo" and anns[r["to"]]["quote"] == "Esper", r
labels = doc["document_label"]
assert [(l["group"], l["label"]) for l in labels] == [("topic", "diplomacy")], labels
print("records ok")
"#;

#[test]
fn relate_label_the_document_mark_it_done_and_read_it_with_python() {
    let py = python().expect("python3 with tomllib is needed for this test (.ci/run installs it)");
    let dir = corpus_copy();
    let root = dir.path();
    let schema = std::fs::read_to_string(root.join("annotations/labels.toml")).unwrap();
    std::fs::write(
        root.join("annotations/labels.toml"),
        format!("{schema}\n[[relation]]\nname = \"MET\"\nfrom = [\"PERSON\"]\nto = [\"PERSON\"]\n\n[[document]]\nname = \"topic\"\nchoices = [\"diplomacy\", \"military\"]\n"),
    )
    .unwrap();
    let mut s = Session::spawn(root, &[], 30, 110);
    s.wait_text("Articles 5");
    s.send("jj\r");
    s.wait_text("a man wearing a suit");
    s.send("/Pompeo\r1");
    s.wait_text("tagged PERSON “Pompeo”");
    s.send("/Esper\r1");
    s.wait_text("tagged PERSON “Esper”");
    // Back to Pompeo, relate it to Esper.
    s.send("g/Pompeo\rr");
    s.wait_text("relating PERSON");
    s.send("/Esper\r\r");
    s.wait_text("related “Pompeo” → “Esper” as MET");
    s.send("Ddiplomacy\r");
    s.wait_text("added document label topic: diplomacy");
    s.send("m");
    s.wait_text("article marked done");
    s.wait_text("✓ saved");
    s.send("q");
    assert!(s.wait_exit(), "gloss exits with success");
    let sidecar = root.join("annotations").join(format!("{THIRD}.toml"));
    let said = python_check(py, CHECK_RECORDS, &sidecar, &[]);
    assert!(said.contains("records ok"), "{said}");
}

/// A broken `labels.toml` is one sentence, the same from the reader,
/// `check`, `export` and `import`, and none of them stops for it.
#[test]
fn a_broken_schema_is_reported_alike_by_reader_check_export_and_import() {
    let dir = corpus_copy();
    let root = dir.path();
    std::fs::create_dir_all(root.join("annotations")).unwrap();
    std::fs::write(
        root.join("annotations/labels.toml"),
        "[[label]]\nname = \"A\"\nkey = \"x\n",
    )
    .unwrap();
    let sentence = "the built-in labels are used until the schema is fixed";
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
            .current_dir(root)
            .args(args)
            .output()
            .unwrap();
        // `check` lists problems on standard output, the others warn on
        // standard error.
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    let input = root.join("in.jsonl");
    std::fs::write(&input, "").unwrap();
    for args in [
        vec!["check"],
        vec!["export", "--format", "jsonl", "--out", "out.jsonl"],
        vec!["import", "--format", "jsonl", "in.jsonl", "--dry-run"],
    ] {
        let said = run(&args);
        assert!(
            said.contains("labels.toml:3") && said.contains(sentence),
            "{args:?} said:\n{said}"
        );
    }
    let mut s = Session::spawn(root, &[], 30, 110);
    s.wait_text("labels.toml:3");
    // The status line may cut the sentence; the problems view has it whole.
    s.send("!");
    s.wait_text("the built-in labels are");
    s.wait_text("until the schema is fixed");
    // q closes the view, then quits.
    s.send("q");
    s.wait_for("the problems view closed", |sc| {
        !sc.contents().contains("Problems")
    });
    s.send("q");
    assert!(s.wait_exit());
}

/// Issue 11: `gloss FILE` opens that article at once, focused, its folder
/// as the corpus, as `less FILE` would; a digit tags in it straight away.
#[test]
fn gloss_file_opens_that_article_focused() {
    let dir = corpus_copy();
    let root = dir.path();
    let file = format!("seeds/{THIRD}");
    let mut s = Session::spawn(root, &[&file], 30, 110);
    s.wait_text(" READ ");
    s.wait_text("a man wearing a suit");
    s.wait_text(THIRD);
    s.send("/Pompeo\r1");
    s.wait_text("tagged PERSON “Pompeo”");
    s.wait_text("✓ saved");
    s.send("q");
    assert!(s.wait_exit());
    let sidecar = root.join("annotations").join(format!("{THIRD}.toml"));
    let src = std::fs::read_to_string(&sidecar).unwrap();
    assert!(src.contains("quote = \"Pompeo\""), "{src}");
}

/// Issue 11: a list row with a Devanagari title and flag emoji leaves
/// nothing behind when a filter takes it away (it left residue in tmux).
#[test]
fn wide_and_combining_titles_leave_no_residue_when_filtered_away() {
    let dir = common::corpus_of(&[
        (
            "a-deva.txt",
            "क्षत्रिय हिन्दी श्री flags 🇫🇷🇩🇪 end\nbody\n".as_bytes(),
        ),
        ("b-plain.txt", b"Plain title here\nbody\n"),
        ("c-plain.txt", b"Another plain one\nbody\n"),
    ]);
    let mut s = Session::spawn(dir.path(), &[], 20, 100);
    s.wait_text("Articles 3");
    s.wait_text("flags");
    s.send("/plain");
    s.wait_text("Articles 2/3");
    s.send("\r");
    s.barrier();
    s.with_screen(|sc| {
        // The list pane: its rows hold only the plain titles now.
        let (_, cols) = sc.size();
        for row in 1..6 {
            // The list is 30 columns wide at 100.
            let list: String = (0..30u16.min(cols.get()))
                .filter_map(|c| sc.cell(row, c).map(|x| x.contents().to_string()))
                .collect();
            assert!(
                !list.contains('क') && !list.contains('🇫') && !list.contains("flags"),
                "row {row} keeps part of the filtered title: {list:?}"
            );
        }
    });
    s.send("q");
    assert!(s.wait_exit());
}

/// A Devanagari conjunct (`स्ते`, two columns) is two cells to the
/// terminal: a window drawn over it must not leave half of it showing
/// through its blanks (ratatui's diff took it for one wide character,
/// whose second column the terminal would have cleared by itself). In
/// tmux: vt100 lays such marks out otherwise and never showed it.
#[test]
fn an_overlay_over_conjuncts_leaves_no_half_of_them() {
    let line = "नमस्ते क्षत्रिय ".repeat(12);
    let text = format!("{line}\n").repeat(6);
    let dir = common::corpus_of(&[("hindi.txt", text.as_bytes())]);
    let cmd = format!("exec {} seeds/hindi.txt", env!("CARGO_BIN_EXE_gloss"));
    let t = tmux::Tmux::start("conjuncts", dir.path(), &cmd, 100, 24);
    t.wait_text(" READ ");
    // One frame holds the whole window (frames go out in one write).
    t.keys(&["?"]);
    t.wait_text("Esc closes");
    let screen = t.screen();
    let rows: Vec<&str> = screen.lines().collect();
    let top = rows.iter().position(|r| r.contains("Esc closes")).unwrap();
    // Every row of the window, its blanks included: nothing Hindi.
    for (i, row) in rows.iter().enumerate().skip(top + 1) {
        let inside = row.trim_start_matches('│').split('│').next().unwrap_or("");
        assert!(
            !inside
                .chars()
                .any(|c| ('\u{0900}'..='\u{097F}').contains(&c)),
            "row {i} shows part of the text under the window: {inside:?}\n{screen}"
        );
    }
    // Closed again, the text is whole.
    t.keys(&["?"]);
    t.until("the help closed", &|| !t.screen().contains("Esc closes"));
    assert!(t.screen().contains(&"नमस्ते क्षत्रिय ".repeat(3)));
    // Tagged and found, its conjuncts painted: still whole.
    t.keys(&["/क्षत्रिय", "Enter", "1"]);
    t.wait_text("1 tag");
    t.keys(&["g"]);
    let screen = t.screen();
    // No conjunct anywhere short of its second part.
    assert!(
        !screen.contains("क् ") && !screen.contains("त् "),
        "a painted conjunct lost a part:\n{screen}"
    );
}

/// Issue 11: under NO_COLOR the real binary sends no colour at all, and
/// tags still show (underlined; with L, by their label names).
#[test]
fn no_color_sends_no_colour_and_tags_still_show() {
    let dir = corpus_copy();
    let root = dir.path();
    let file = format!("seeds/{THIRD}");
    let mut s = Session::spawn_env(root, &[&file], 30, 110, &[("NO_COLOR", "1")]);
    s.wait_text(" READ ");
    s.send("/Pompeo\r1");
    // The article's count, not the passing message: a save's message may
    // take its place before a loaded machine looks.
    s.wait_text("1 tag ·");
    s.send("L");
    s.wait_text("PERSON›Pompeo");
    s.barrier();
    s.with_screen(|sc| {
        let (rows, cols) = sc.size();
        let mut underlined = 0;
        for r in 0..rows.get() {
            for c in 0..cols.get() {
                let cell = sc.cell(r, c).unwrap();
                assert_eq!(cell.fgcolor(), vt100::Color::Default, "colour at {r},{c}");
                assert_eq!(cell.bgcolor(), vt100::Color::Default, "colour at {r},{c}");
                underlined += usize::from(cell.underline());
            }
        }
        assert!(underlined >= "Pompeo".len(), "the tag is underlined");
    });
    s.send("q");
    assert!(s.wait_exit());
}

/// Issue 11: the corpus search behind `*` `Tab` runs in the real binary's
/// I/O thread, a turn per article, and the places it finds in other
/// articles are written to their sidecars.
#[test]
fn every_place_across_the_corpus_in_the_real_binary() {
    let dir = corpus_copy();
    let root = dir.path();
    let mut s = Session::spawn(root, &[&format!("seeds/{THIRD}")], 30, 110);
    s.wait_text(" READ ");
    s.send("/Pompeo\r");
    s.wait_text("match 1 of");
    s.send("*");
    s.wait_text("in this article");
    s.send("\t");
    s.wait_for("the corpus searched", |sc| {
        let c = sc.contents();
        c.contains("in the corpus") && !c.contains("searching")
    });
    s.send("1");
    s.wait_text("here and ");
    s.send("q");
    assert!(s.wait_exit());
    let side = std::fs::read_to_string(
        root.join("annotations")
            .join("000_29446928d2f6ecab.txt.toml"),
    )
    .unwrap();
    assert!(side.contains("quote = \"Pompeo\""), "{side}");
}

/// Issue 13: a gazetteer's suggestions decided in the real binary: two
/// accepted, one rejected; after a restart the two are annotations, and
/// the rejection is remembered: `gloss suggest` with the same gazetteer
/// does not bring it back.
#[test]
fn suggestions_accepted_and_rejected_survive_a_restart() {
    let dir = corpus_copy();
    let root = dir.path();
    let gazetteer = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/suggest/names.tsv"
    );
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(args)
            .current_dir(root)
            .output()
            .unwrap()
    };
    let o = run(&["suggest", "--gazetteer", gazetteer]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let file = format!("seeds/{THIRD}");
    let mut s = Session::spawn(root, &[&file], 30, 110);
    s.wait_text(" READ ");
    s.send("gz");
    s.wait_text("by names.tsv");
    s.send("a");
    s.wait_text("1 tag ·");
    s.send("a");
    s.wait_text("2 tags ·");
    s.send("x");
    s.wait_text("rejected PERSON");
    s.send("q");
    assert!(s.wait_exit());
    let side = std::fs::read_to_string(root.join(format!("annotations/{THIRD}.toml"))).unwrap();
    let parsed = gloss::core::sidecar::parse(&side).unwrap();
    let decided = |d: &str| {
        parsed
            .suggestions
            .iter()
            .filter(|x| x.decision.name() == Some(d))
            .count()
    };
    assert_eq!((decided("accepted"), decided("rejected")), (2, 1), "{side}");
    assert_eq!(parsed.annotations.len(), 2);
    let rejected = parsed
        .suggestions
        .iter()
        .find(|x| x.decision.name() == Some("rejected"))
        .unwrap()
        .clone();
    // The next start: the two tags are there.
    let mut s = Session::spawn(root, &[&file], 30, 110);
    s.wait_text("2 tags ·");
    s.send("q");
    assert!(s.wait_exit());
    // The same gazetteer again: the rejected passage is not proposed.
    let o = run(&["suggest", "--gazetteer", gazetteer]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("1 rejected before"), "{out}");
    let again = gloss::core::sidecar::parse(
        &std::fs::read_to_string(root.join(format!("annotations/{THIRD}.toml"))).unwrap(),
    )
    .unwrap();
    assert_eq!(
        again
            .suggestions
            .iter()
            .filter(|x| x.start == rejected.start && x.label == rejected.label)
            .count(),
        1,
        "only the rejected record there"
    );
}

/// Issue 13: the corpus search in the real binary, its threads answering
/// while the screen is drawn: matches listed from every article, the
/// first opened at its place, one tagged in another article's sidecar.
#[test]
fn the_corpus_search_in_the_real_binary() {
    let dir = corpus_copy();
    let root = dir.path();
    let mut s = Session::spawn(root, &[&format!("seeds/{THIRD}")], 30, 110);
    s.wait_text(" READ ");
    s.send("SPompeo\r");
    // As many as the seeds hold, counted here on their own.
    let want: usize = std::fs::read_dir(root.join("seeds"))
        .unwrap()
        .map(|e| {
            std::fs::read_to_string(e.unwrap().path())
                .unwrap()
                .matches("Pompeo")
                .count()
        })
        .sum();
    assert!(want > 3, "{want}");
    s.wait_text(&format!("{want} match(es) in"));
    // The first is in 000_…: a digit tags it in that article's sidecar.
    s.send("1");
    s.wait_text("as PERSON in 000_");
    s.send("\r");
    s.wait_for("the article opened at the match", |sc| {
        sc.contents().contains("000_29446928d2f6ecab") || sc.contents().contains("Indian Ocean")
    });
    s.send("q");
    assert!(s.wait_exit());
    let side = std::fs::read_to_string(
        root.join("annotations")
            .join("000_29446928d2f6ecab.txt.toml"),
    )
    .unwrap();
    assert_eq!(side.matches("quote = \"Pompeo\"").count(), 1, "{side}");
}

/// Issue 13: a suggestion source that hangs never blocks typing: `=`
/// starts it, a search and a tag are made while it runs, and when its
/// time is up the app says so (inert) and goes on.
#[test]
fn a_hanging_suggestion_command_never_blocks_typing() {
    let dir = corpus_copy();
    let root = dir.path();
    let hang = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/suggest/hang.py"
    );
    let schema = root.join("annotations/labels.toml");
    let src = std::fs::read_to_string(&schema).unwrap()
        + &format!("\n[[suggest]]\nname = \"slow\"\ncommand = \"python3 {hang}\"\ntimeout = 4\n");
    std::fs::write(&schema, src).unwrap();
    let mut s = Session::spawn(
        root,
        &["--schema-commands", &format!("seeds/{THIRD}")],
        30,
        110,
    );
    s.wait_text(" READ ");
    s.send("=");
    s.wait_text("suggesting…");
    s.send("/Pompeo\r1");
    s.wait_for("a tag made while the command runs", |sc| {
        let c = sc.contents();
        c.contains("1 tag ·") && c.contains("suggesting…")
    });
    s.wait_for("the command stopped and said", |sc| {
        let c = sc.contents();
        !c.contains("suggesting…") && c.contains("slow:")
    });
    let raw = s.raw();
    assert!(
        !String::from_utf8_lossy(&raw).contains("\x1b[31mloading"),
        "the command's escape reached the terminal"
    );
    s.send("q");
    assert!(s.wait_exit());
}
