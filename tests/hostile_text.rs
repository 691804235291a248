//! Hostile text and files, end to end in a real pty: nothing reaches the
//! terminal as a control, nothing crashes or hangs, everything odd gets a
//! visible marker or a message, and no sidecar lands outside `annotations/`.

mod common;
#[path = "common/pty.rs"]
mod pty;
#[path = "common/reliability.rs"]
mod reliability;

use std::path::Path;

use pty::Session;

/// Bytes no frame of gloss may hold (gloss's own output is CSI sequences
/// and printable text), with what each would do to a terminal.
const NEVER: &[(&[u8], &str)] = &[
    (b"\x1b]", "OSC (window title, clipboard)"),
    (b"\x1bP", "DCS"),
    (b"\x07", "BEL"),
    (b"\x08", "backspace"),
    (b"\x7f", "DEL"),
    (b"\x00", "NUL"),
    (b"\r", "carriage return"),
    (b"\x0c", "form feed"),
    ("\u{9b}".as_bytes(), "C1 CSI"),
    ("\u{85}".as_bytes(), "C1 NEL"),
    ("\u{202e}".as_bytes(), "bidi override"),
    ("\u{2067}".as_bytes(), "bidi isolate"),
    ("\u{200b}".as_bytes(), "zero-width space"),
];

fn assert_inert(s: &Session, case: &str) {
    let out = s.raw();
    for (bad, what) in NEVER {
        assert!(
            !out.windows(bad.len()).any(|w| w == *bad),
            "{case}: gloss wrote {what} ({bad:?}) to the terminal"
        );
    }
    // gloss clears the screen once, when it starts; an article never does.
    let clears = out.windows(4).filter(|w| w == b"\x1b[2J").count();
    assert_eq!(clears, 1, "{case}: the screen was cleared again");
    s.with_recorder(|r| {
        assert!(
            r.titles.is_empty(),
            "{case}: window title set: {:?}",
            r.titles
        );
        assert!(r.clipboard.is_empty(), "{case}: clipboard written");
        assert_eq!(r.bells, 0, "{case}: the bell rang");
    });
}

/// Control and invisible characters: (case, what is written in the
/// article, what must show on screen instead).
const CONTROLS: &[(&str, &str, &str)] = &[
    ("screen clear", "\u{1b}[2J", "^[[2J"),
    ("colour", "\u{1b}[31mred\u{1b}[0m", "^[[31mred^[[0m"),
    ("cursor move", "\u{1b}[10;10H\u{1b}[A", "^[[10;10H^[[A"),
    ("OSC title", "\u{1b}]0;PWNED\u{7}", "^[]0;PWNED^G"),
    (
        "OSC 52 clipboard",
        "\u{1b}]52;c;ZXZpbA==\u{7}",
        "^[]52;c;ZXZpbA==^G",
    ),
    (
        "C1 controls",
        "\u{80}\u{85}\u{90}\u{9b}2J\u{9d}\u{9f}",
        "<80><85><90><9B>2J<9D><9F>",
    ),
    ("BEL", "ding\u{7}", "ding^G"),
    ("backspace", "abc\u{8}\u{8}x", "abc^H^Hx"),
    ("DEL", "del\u{7f}", "del^?"),
    ("form feed", "page\u{c}break", "page^Lbreak"),
    (
        "bidi overrides",
        "\u{202a}a\u{202b}b\u{202c}\u{202d}c\u{202e}d",
        "<U+202A>a<U+202B>b<U+202C><U+202D>c<U+202E>d",
    ),
    (
        "bidi isolates",
        "\u{2066}a\u{2067}b\u{2068}c\u{2069}",
        "<U+2066>a<U+2067>b<U+2068>c<U+2069>",
    ),
    (
        "zero-width characters",
        "z\u{200b}w\u{200c}j\u{2060}n\u{feff}",
        "z<U+200B>w<U+200C>j<U+2060>n<U+FEFF>",
    ),
];

#[test]
fn controls_and_invisible_characters_are_shown_inert() {
    for (case, text, shown) in CONTROLS {
        let body = format!("Title line\n\nbefore {text} after\n");
        let dir = common::corpus_of(&[("case.txt", body.as_bytes())]);
        let mut s = Session::spawn(dir.path(), &[], 20, 100);
        s.wait_text("Articles 1");
        s.wait_text(&format!("before {shown} after"));
        // Walk over it: the cursor moves through the escaped glyphs too.
        s.send("\rjjwwwwwwww$0");
        s.barrier();
        assert!(
            s.status_line().contains("Ln 3, Col 1"),
            "{case}: {}",
            s.status_line()
        );
        assert!(
            s.contents().contains("Title line"),
            "{case}: the title went"
        );
        assert_inert(&s, case);
        s.send("q");
        assert!(s.wait_exit(), "{case}");
    }
    reliability::record(
        "hostile_text::controls_and_invisible_characters_are_shown_inert",
        "Control and invisible characters in an article, end to end in a pty: ESC sequences (screen clear, colours, cursor moves), OSC window title and OSC 52 clipboard, C1 controls with CSI U+009B, BEL, backspace, DEL, form feed, bidi overrides and isolates, zero-width characters",
        format!("{} articles", CONTROLS.len()),
        "each shown as visible inert symbols; none of those bytes in what gloss wrote; no title or clipboard set, no bell, the screen cleared only once at start",
    );
}

#[test]
fn nul_past_the_binary_sniff_is_shown_inert() {
    // A NUL in the first 8 KB makes a file binary; later ones are shown.
    let mut body = String::from("Title\n\n");
    body.push_str(&"padding words here. ".repeat(500));
    body.push_str("\nnul \u{0} here\n");
    let dir = common::corpus_of(&[("late-nul.txt", body.as_bytes())]);
    let mut s = Session::spawn(dir.path(), &[], 20, 100);
    s.wait_text("Articles 1");
    s.send("\rG");
    s.wait_text("nul ^@ here");
    assert_inert(&s, "late NUL");
    s.send("q");
    assert!(s.wait_exit());
    reliability::record(
        "hostile_text::nul_past_the_binary_sniff_is_shown_inert",
        "NUL in an article past its first 8 KB (earlier, the file counts as binary)",
        "1 article",
        "shown as ^@, never written to the terminal",
    );
}

/// Text that is hard to lay out: (file, contents, text that must show).
fn hard_texts() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let mut long = "Long line: ".to_string();
    long.push_str(&"x".repeat(5 << 20));
    long.push_str("FINAL");
    vec![
        (
            "a-emoji.txt",
            "family 👨‍👩‍👧‍👦 flags 🇫🇷🇯🇵 skin 👍🏽 keycap 1️⃣ end\n".into(),
            "flags 🇫🇷🇯🇵",
        ),
        (
            "b-combining.txt",
            "e\u{301}te\u{301} Z\u{335}\u{321}a\u{328}lgo\u{30a} end\n".into(),
            "e\u{301}te\u{301}",
        ),
        (
            "c-cjk.txt",
            "漢字かなカナ한국어 全角ＡＢＣ end\n".into(),
            "漢字かなカナ한국어",
        ),
        ("d-devanagari.txt", "क्षत्रिय हिन्दी श्री end\n".into(), "हिन्दी"),
        ("e-arabic.txt", "مرحبا بالعالم لا end\n".into(), "بالعالم"),
        (
            "f-tabs.txt",
            "a\tb\t\tc\n\td\n".into(),
            "a       b               c",
        ),
        (
            "g-crlf.txt",
            "first\r\nsecond\r\nlone\rcr\r\n".into(),
            // A lone CR (old Mac files) ends a line: "cr" starts a row.
            "│cr ",
        ),
        (
            "h-whitespace.txt",
            " \n\t\n   \n\n".into(),
            "┌ h-whitespace.txt",
        ),
        ("i-empty.txt", vec![], "the article is empty"),
        ("j-long-line.txt", long.into_bytes(), "FINAL"),
    ]
}

#[test]
fn hard_layouts_show_and_move_without_crashing() {
    let texts = hard_texts();
    let files: Vec<(&str, &[u8])> = texts.iter().map(|(n, b, _)| (*n, b.as_slice())).collect();
    let dir = common::corpus_of(&files);
    let mut s = Session::spawn(dir.path(), &[], 24, 80);
    s.wait_text(&format!("Articles {}", texts.len()));
    for (i, &(name, _, shows)) in texts.iter().enumerate() {
        // Open the i-th article from the list, go to its end and back, move
        // by every unit, and look for what it must show.
        if i > 0 {
            s.send("\t");
        }
        s.send("g");
        for _ in 0..i {
            s.send("j");
        }
        s.send("\r");
        s.wait_text(name);
        s.send("Gg");
        for k in [
            "l", "l", "w", "e", "b", ")", "(", "}", "{", "$", "0", "j", "k",
        ] {
            s.send(k);
        }
        s.send("G");
        s.barrier();
        assert!(
            s.contents().contains(shows),
            "{name}: {shows:?} not shown:\n{}",
            s.contents()
        );
        let status = s.status_line();
        assert!(
            status.contains(name),
            "{name} is not the one open: {status}"
        );
        let text = gloss::core::text::Text::new(String::from_utf8_lossy(&texts[i].1).into_owned());
        if !text.is_empty() {
            let end = format!(
                "@{} ",
                text.byte_to_char(gloss::core::offset::BytePos(text.last_cursor_pos()))
            );
            assert!(
                status.contains(&end),
                "{name}: G did not reach {end}: {status}"
            );
        }
        assert_inert(&s, name);
    }
    s.send("q");
    assert!(s.wait_exit());
    reliability::record(
        "hostile_text::hard_layouts_show_and_move_without_crashing",
        "Text hard to lay out: emoji ZWJ sequences, flags, skin tones, keycaps; stacked combining marks; CJK and fullwidth; Devanagari conjuncts; Arabic; tabs; CRLF and lone CR; whitespace only; empty; a 5 MB line with no break opportunity. Each walked by grapheme, word, sentence, paragraph, line and to both ends",
        format!("{} articles", texts.len()),
        "each shown, every motion answered, G reaches the last grapheme, no crash",
    );
}

#[test]
fn odd_files_get_a_marker_and_nothing_crashes() {
    let dir = common::corpus_of(&[
        ("a-latin1.txt", b"Caf\xe9 cr\xe8me br\xfbl\xe9e\n"),
        (
            "b-utf16.txt",
            b"\xff\xfeU\x00T\x00F\x00-\x001\x006\x00 \x00t\x00e\x00x\x00t\x00\n\x00",
        ),
        ("c-binary.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00binary"),
        ("d-name with spaces.txt", b"spaces in the name\n"),
        ("e-ünicode 漢.txt", b"unicode name\n"),
        ("f-quotes \"'`.txt", b"quotes in the name\n"),
        ("g-new\nline.txt", b"newline in the name\n"),
        ("h-\x1b[2Jescape.txt", b"escape in the name\n"),
    ]);
    let root = dir.path().join("seeds");
    // A name that is not UTF-8, a very long name, deep folders.
    {
        use std::os::unix::ffi::OsStrExt;
        std::fs::write(
            root.join(std::ffi::OsStr::from_bytes(b"i-bad\xffname.txt")),
            "bad bytes in the name\n",
        )
        .unwrap();
    }
    let long = format!("j-{}.txt", "l".repeat(240));
    std::fs::write(root.join(&long), "a long name\n").unwrap();
    let mut deep = root.clone();
    for i in 0..40 {
        deep.push(format!("d{i}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("k-deep.txt"), "deep down\n").unwrap();

    let mut s = Session::spawn(dir.path(), &[], 30, 120);
    s.wait_text("Articles 11");
    let expect: &[(&str, &str)] = &[
        ("a-latin1.txt", "Café crème brûlée"),
        ("b-utf16.txt", "│UTF-16 text"),
        ("c-binary.txt", "binary file"),
        ("d-name with spaces.txt", "spaces in the name"),
        ("e-ünicode 漢.txt", "unicode name"),
        ("f-quotes \"'`.txt", "quotes in the name"),
        ("g-new^Jline.txt", "newline in the name"),
        ("h-^[[2Jescape.txt", "escape in the name"),
        ("i-bad", "cannot name a sidecar"),
        // Long paths are cut in the status line: their starts are there.
        ("j-llllllll", "a long name"),
        ("d0/d1/d2/", "deep down"),
    ];
    // The list is sorted by path: the deep folder (d0/...) after "d-".
    let order = [0, 1, 2, 3, 10, 4, 5, 6, 7, 8, 9];
    for (pos, &i) in order.iter().enumerate() {
        let (name, shows) = expect[i];
        if pos > 0 {
            s.send("\t");
        }
        s.send("g");
        for _ in 0..pos {
            s.send("j");
        }
        s.send("\r");
        // The status line names the article open (the list already shows
        // titles, so those alone prove nothing).
        s.wait_for(&format!("{name} open"), |sc| {
            pty::status_of(sc).contains(name)
        });
        s.wait_text(shows);
        // Tagging works where the text is sound, and is refused elsewhere.
        s.send("1");
    }
    s.barrier();
    // Latin-1 and UTF-16 titles are decoded as their text is (issue 11).
    assert!(
        s.contents().contains("│ Café crème brûlée") && s.contents().contains("│ UTF-16 text"),
        "{}",
        s.contents()
    );
    assert_inert(&s, "odd files");
    s.send("q");
    assert!(s.wait_exit());
    let ann = dir.path().join("annotations");
    let written: Vec<String> = walk(&ann);
    for w in &written {
        assert!(
            !w.contains("binary") && !w.contains("bad"),
            "a sidecar for an article that cannot be annotated: {w}"
        );
    }
    // Latin-1 and UTF-16 are annotated, and say how they were decoded, in
    // the names Python's open() takes.
    let side = |n: &str| std::fs::read_to_string(ann.join(format!("{n}.toml"))).unwrap();
    assert!(side("a-latin1.txt").contains("encoding = \"windows-1252\""));
    assert!(side("b-utf16.txt").contains("encoding = \"utf-16\""));
    assert!(
        written.iter().any(|w| w.ends_with("k-deep.txt.toml")),
        "{written:?}"
    );
    assert!(
        written.iter().any(|w| w.contains("new\nline.txt.toml")),
        "{written:?}"
    );
    reliability::record(
        "hostile_text::odd_files_get_a_marker_and_nothing_crashes",
        "Odd files: Latin-1, UTF-16 with BOM, binary named .txt; names with spaces, unicode, quotes, a newline, an escape sequence, bytes that are not UTF-8; a 244-byte name; a 40-folder-deep path",
        format!("{} files", order.len()),
        "each listed and opened; Latin-1 and UTF-16 decoded and annotated, their encoding in the sidecar; a clear read-only message where it cannot be annotated (binary), and no sidecar for it; names shown inert",
    );
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = vec![];
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                todo.push(p);
            } else {
                out.push(p.to_string_lossy().into_owned());
            }
        }
    }
    out
}

#[test]
fn symlinks_out_of_the_corpus_and_loops_keep_sidecars_inside() {
    let dir = common::corpus_of(&[("a-plain.txt", b"plain article\n")]);
    let root = dir.path().join("seeds");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "outside text\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), root.join("b-link.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("c-dirlink")).unwrap();
    std::os::unix::fs::symlink(root.join("d-loop.txt"), root.join("d-loop.txt")).unwrap();
    std::os::unix::fs::symlink(&root, root.join("e-self")).unwrap();
    let mut s = Session::spawn(dir.path(), &[], 20, 100);
    // The linked file is an article; linked folders are not entered (no
    // loop, no leaving the corpus); the self-link is passed over.
    s.wait_text("Articles 2");
    s.send("j\r");
    s.wait_text("outside text");
    s.send("1");
    s.wait_text("✓ saved");
    s.send("q");
    assert!(s.wait_exit());
    let sidecar = dir.path().join("annotations/b-link.txt.toml");
    assert!(
        sidecar.is_file(),
        "{:?}",
        walk(&dir.path().join("annotations"))
    );
    let outside_files: Vec<_> = walk(outside.path());
    assert_eq!(
        outside_files.len(),
        1,
        "nothing written outside: {outside_files:?}"
    );
    reliability::record(
        "hostile_text::symlinks_out_of_the_corpus_and_loops_keep_sidecars_inside",
        "Symlinks: a file linked from outside the corpus, a folder linked from outside, a link to itself, a link to the corpus root",
        "4 links",
        "the linked file is an article with its sidecar inside annotations/; linked folders are not entered (no loop); nothing written outside",
    );
}

#[test]
fn a_file_that_disappears_or_changes_while_open() {
    let dir = common::corpus_of(&[
        ("a-stays.txt", b"Title\n\nthe first words stay here\n"),
        ("b-goes.txt", b"Title\n\nthis file will be deleted\n"),
    ]);
    let root = dir.path().join("seeds");
    let mut s = Session::spawn(dir.path(), &[], 20, 100);
    s.wait_text("Articles 2");
    // Changed under gloss: the tag is written against the text shown, and
    // re-anchored when the article is opened again.
    s.send("\r");
    s.wait_text("the first words");
    std::fs::write(
        root.join("a-stays.txt"),
        "Title\n\nNEW the first words stay here\n",
    )
    .unwrap();
    s.send("jj1");
    s.wait_text("✓ saved");
    // Deleted under gloss: opening it says so and nothing crashes.
    std::fs::remove_file(root.join("b-goes.txt")).unwrap();
    s.send("\tj\r");
    s.wait_text("cannot read");
    s.send("\tk\r");
    s.wait_text("NEW the first words");
    s.wait_text("1 tag");
    s.send("q");
    assert!(s.wait_exit());
    reliability::record(
        "hostile_text::a_file_that_disappears_or_changes_while_open",
        "An article changed on disk while open, and one deleted after it was listed",
        "2 files",
        "the tag is saved and re-anchored to the new text; the deleted one says it cannot be read; no crash",
    );
}

#[test]
fn an_unreadable_file_says_so() {
    let dir = common::corpus_of(&[
        ("a-locked.txt", b"you cannot read me\n"),
        ("b-open.txt", b"you can read me\n"),
    ]);
    use std::os::unix::fs::PermissionsExt;
    let locked = dir.path().join("seeds/a-locked.txt");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything: as root, gloss runs as nobody for this case,
    // with the rest of the corpus open to it.
    let as_root = std::fs::read(&locked).is_ok();
    let wrapper: &[&str] = if as_root {
        for p in [
            "",
            "seeds",
            "seeds/b-open.txt",
            "annotations",
            "annotations/labels.toml",
        ] {
            let mode = if p.ends_with(".txt") || p.ends_with(".toml") {
                0o666
            } else {
                0o777
            };
            std::fs::set_permissions(dir.path().join(p), std::fs::Permissions::from_mode(mode))
                .unwrap();
        }
        &[
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ]
    } else {
        &[]
    };
    let mut s = Session::spawn_wrapped(dir.path(), wrapper, &[], 20, 100, &[]);
    s.wait_text("Articles 2");
    s.send("\r");
    s.wait_text("Permission denied");
    s.send("\tj\r");
    s.wait_text("you can read me");
    s.send("1");
    s.barrier();
    // The save is on the I/O thread: the key is handled before it ends.
    s.wait_saved();
    assert_inert(&s, "unreadable");
    s.send("q");
    assert!(s.wait_exit());
    assert!(dir.path().join("annotations/b-open.txt.toml").is_file());
    assert!(!dir.path().join("annotations/a-locked.txt.toml").exists());
    reliability::record(
        "hostile_text::an_unreadable_file_says_so",
        "An article without read permission (as root, gloss runs as nobody for it)",
        "1 file",
        "Permission denied shown; the other article opens and saves",
    );
}
