//! Property tests over generated hard text: emoji sequences, CJK, combining
//! marks, Devanagari, tabs, CRLF, lone CR and control characters.

use gloss::core::anchor::{Anchor, How, reanchor};
use gloss::core::annotation::{Annotation, Store};
use gloss::core::layout::{Layout, RowPos, cells};
use gloss::core::motion;
use gloss::core::offset::{BytePos, CharPos};
use gloss::core::sentence::Sentences;
use gloss::core::sidecar;
use gloss::core::text::Text;
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "a",
    "b",
    "word",
    " ",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    ".",
    ". ",
    "! ",
    "é",
    "e\u{301}",
    "漢",
    "字",
    "👨‍👩‍👧‍👦",
    "🇫🇷",
    "👍🏽",
    "क्षि",
    "नमस्ते",
    "\u{1b}",
    "\u{9b}",
    "\u{202e}",
    "\u{200b}",
    "Ａ",
    "لا",
    "x",
    "Hello",
    ",",
];

fn hard_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|v| v.concat())
}

fn boundaries(t: &Text) -> Vec<usize> {
    let mut out = vec![0];
    let mut p = 0;
    while p < t.len() {
        p = t.next_boundary(p);
        out.push(p);
    }
    out
}

fn all_rows(t: &Text, lay: &Layout) -> Vec<RowPos> {
    let mut out = vec![];
    let mut p = Some(RowPos { block: 0, row: 0 });
    while let Some(q) = p {
        out.push(q);
        p = lay.next_row(t, q);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn motions_land_on_grapheme_starts(s in hard_text(), at in 0usize..400) {
        let t = Text::new(s);
        let bs = boundaries(&t);
        let pos = t.floor_boundary(at % (t.len() + 1)).min(t.last_cursor_pos());
        let sg = Sentences::default();
        let results = [
            motion::left(&t, pos), motion::right(&t, pos),
            motion::word_next(&t, pos), motion::word_prev(&t, pos), motion::word_end(&t, pos),
            sg.next(&t, pos), sg.prev(&t, pos),
            motion::paragraph_next(&t, pos), motion::paragraph_prev(&t, pos),
            motion::find_next(&t, pos, "a").unwrap_or(0), motion::find_prev(&t, pos, "\u{301}").unwrap_or(0),
        ];
        for (i, r) in results.into_iter().enumerate() {
            prop_assert!(bs.contains(&r), "motion {} gave {} off the boundaries {:?}", i, r, bs);
            prop_assert!(r <= t.last_cursor_pos());
        }
        for r in [motion::word_at(&t, pos), sg.at(&t, pos), motion::paragraph_at(&t, pos)].into_iter().flatten() {
            prop_assert!(bs.contains(&r.start) && bs.contains(&r.end), "selection {:?} splits a cluster", r);
        }
    }

    /// Issue 11: sentences of a paragraph hard-wrapped at any width from
    /// 45 to 90 columns, with LF or CRLF, titles and initials inside, are
    /// found whole: `)` visits each sentence's start and `s` on any of its
    /// characters selects exactly it.
    #[test]
    fn hard_wrapped_sentences_are_found_whole(
        sentences in proptest::collection::vec(
            (proptest::sample::select(vec!["Mr.", "Dr.", "J. K.", "The", "A", "In the U.S."]),
             proptest::collection::vec("[a-z]{2,9}", 2..14),
             "[a-z]{2,7}ly",
             proptest::sample::select(vec![".", "!", "?"])),
            1..8),
        width in 45usize..90,
        crlf in any::<bool>(),
        at in 0usize..2000,
    ) {
        let texts: Vec<String> = sentences
            .iter()
            .map(|(head, words, last, end)| format!("{head} {} {last}{end}", words.join(" ")))
            .collect();
        // Greedy wrap at `width`, as a novel or a mail is.
        let words: Vec<&str> = texts.iter().flat_map(|t| t.split(' ')).collect();
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut lines: Vec<String> = vec![String::new()];
        for w in words {
            let line = lines.last_mut().unwrap();
            if !line.is_empty() && line.chars().count() + 1 + w.chars().count() > width {
                lines.push(w.to_string());
            } else {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(w);
            }
        }
        let text = lines.join(nl);
        let t = Text::new(text.clone());
        let sg = Sentences::default();
        let flat = |s: &str| s.replace("\r\n", " ").replace('\n', " ");
        // Each sentence found whole, in order, by `)`.
        let mut found = vec![];
        let mut pos = 0;
        loop {
            let r = sg.at(&t, pos).expect("a sentence");
            found.push(flat(t.slice(r)));
            let next = sg.next(&t, pos);
            if next <= pos || next >= t.last_cursor_pos() {
                break;
            }
            pos = next;
        }
        prop_assert_eq!(&found, &texts, "wrapped at {}:\n{}", width, text);
        // `s` anywhere inside one selects that one.
        let p = t.floor_boundary(at % t.len());
        let r = sg.at(&t, p).unwrap();
        let whole = flat(t.slice(r.clone()));
        prop_assert!(texts.contains(&whole), "{:?}", whole);
        if !t.slice(p..t.next_boundary(p)).trim().is_empty() {
            prop_assert!(r.contains(&p), "{:?} does not hold {}", r, p);
        }
    }

    #[test]
    fn rows_partition_lines_and_fit_the_width(s in hard_text(), width in 1usize..30) {
        let t = Text::new(s);
        let lay = Layout::new(width);
        let bs = boundaries(&t);
        let mut covered = String::new();
        for (i, p) in all_rows(&t, &lay).into_iter().enumerate() {
            let r = lay.row_range(&t, p);
            prop_assert!(bs.contains(&r.start) && bs.contains(&r.end));
            if p.row == 0 && i > 0 {
                covered.push('\n');
            }
            covered.push_str(t.slice(r.clone()));
            let cs = cells(&t, r);
            // A row overflows only by trailing spaces or by a lone cluster too wide.
            let visible_end = cs.iter().rev().find(|c| !matches!(t.slice(c.offset..c.offset + c.len), " " | "\t" | "\u{3000}"));
            if let Some(last) = visible_end && cs.len() > 1 {
                prop_assert!(last.col + last.width() <= width || last.col == 0,
                    "row {:?} is {} wide at width {}", p, last.col + last.width(), width);
            }
        }
        let expect: Vec<&str> = (0..t.line_count()).map(|l| t.line_str(l)).collect();
        prop_assert_eq!(covered, expect.join("\n"));
    }

    #[test]
    fn every_offset_has_a_cell_and_every_cell_its_offset(s in hard_text(), width in 2usize..30) {
        let t = Text::new(s);
        let lay = Layout::new(width);
        // offset -> cell -> offset
        for &b in boundaries(&t).iter().filter(|&&b| b <= t.last_cursor_pos()) {
            if t.is_empty() { break; }
            let (p, col) = lay.cell_of(&t, b);
            prop_assert!(col < width);
            // Where it would be drawn without clamping to the right edge.
            let cs = cells(&t, lay.row_range(&t, p));
            let natural = cs.iter().find(|c| c.offset == b).map_or_else(
                || cs.last().map_or(0, |c| c.col + c.width()),
                |c| c.col,
            );
            let hangs = natural >= width;
            if !hangs {
                prop_assert_eq!(lay.offset_at(&t, p, col), b, "at row {:?} col {}", p, col);
            }
        }
        // cell -> offset lies on that row (or its line's terminator)
        for p in all_rows(&t, &lay) {
            let r = lay.row_range(&t, p);
            for col in 0..width {
                let o = lay.offset_at(&t, p, col);
                prop_assert!(r.contains(&o) || o == r.end || (o == r.start && r.is_empty()),
                    "cell ({:?}, {}) maps to {} outside {:?}", p, col, o, r);
                prop_assert!(t.is_grapheme_boundary(o));
            }
        }
    }

    #[test]
    fn sidecars_round_trip(s in hard_text(), spans in prop::collection::vec((0usize..500, 0usize..40, 0usize..4), 0..12), note in ".{0,20}") {
        let t = Text::new(s);
        let bs = boundaries(&t);
        let mut anns = vec![];
        for (i, (a, len, l)) in spans.into_iter().enumerate() {
            let si = a % bs.len();
            let ei = (si + len).min(bs.len() - 1);
            anns.push(Annotation { review: None,
                id: format!("id{i}"),
                start: BytePos(bs[si]),
                end: BytePos(bs[ei]),
                label: ["PERSON", "ORG", "Ünïcode \"label\"", "\u{202e}x"][l].to_string(),
                note: (i % 2 == 0).then(|| note.clone()),
                annotator: (i % 3 == 0).then(|| "ann\t1".to_string()),
                created: "2026-11-23T07:40:00Z".into(), ..Default::default()
            });
        }
        let store = Store::new(anns, vec![]);
        let src = sidecar::write(&sidecar::from_store("dir/a b.txt", &t, &store));
        prop_assert_eq!(&sidecar::write_store("dir/a b.txt", &t, &store), &src, "the save path writes the same bytes");
        let parsed = sidecar::parse(&src).map_err(|e| TestCaseError::fail(format!("{e}\n{src}")))?;
        for a in &parsed.annotations {
            let q: String = t.as_str().chars().skip(a.start.get()).take(a.end.get() - a.start.get()).collect();
            prop_assert_eq!(&q, &a.quote);
        }
        let back = sidecar::load(&parsed, &t, &src).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back.store.all(), store.all());
        // and writing again gives the same bytes: stable order, no churn
        prop_assert_eq!(sidecar::write(&sidecar::from_store("dir/a b.txt", &t, &back.store)), src);
    }

    #[test]
    fn reanchoring_lands_where_the_text_went(s in hard_text(), ins in hard_text(), a in 0usize..400, len in 1usize..8, at in 0usize..400) {
        let t = Text::new(s.clone());
        let bs = boundaries(&t);
        prop_assume!(bs.len() > 1);
        let si = a % (bs.len() - 1);
        let ei = (si + len).min(bs.len() - 1);
        let r = bs[si]..bs[ei];
        let quote = t.slice(r.clone()).to_string();
        let (prefix, suffix) = gloss::core::anchor::context(&t, r.clone());
        let anchor = Anchor { start: t.byte_to_char(BytePos(r.start)), end: t.byte_to_char(BytePos(r.end)), quote: &quote, prefix: &prefix, suffix: &suffix };
        // Insert text at a boundary before or after the annotation (not
        // inside it), where the quote stays the only one of its kind.
        let pos = bs[at % bs.len()];
        prop_assume!(pos <= r.start || pos >= r.end);
        let edited = Text::new(format!("{}{}{}", &s[..pos], ins, &s[pos..]));
        prop_assume!(edited.is_grapheme_boundary(pos) && edited.is_grapheme_boundary(pos + ins.len()));
        // The only occurrence, overlapping ones counted ("aa" is twice in "aaa").
        prop_assume!((0..edited.len()).filter(|&i| edited.as_str().as_bytes()[i..].starts_with(quote.as_bytes())).count() == 1);
        let expected = if pos <= r.start { r.start + ins.len()..r.end + ins.len() } else { r.clone() };
        let f = reanchor(&edited, anchor).expect("the quote is still there");
        prop_assert_eq!(f.how, How::Exact);
        prop_assert_eq!(f.range, expected);
        // Deleting every occurrence never finds it exactly.
        // (Deleting occurrences can make a new one: "HeHellollo".)
        let gone = Text::new(s.replace(quote.as_str(), ""));
        if !gone.as_str().contains(quote.as_str()) {
            let lost = reanchor(&gone, anchor);
            prop_assert!(lost.as_ref().is_none_or(|g| matches!(g.how, How::Approximate { .. })), "{:?}", lost);
        }
    }

    #[test]
    fn an_edit_inside_a_quote_is_found_approximately_in_place(words in proptest::collection::vec("[a-z]{2,9}", 12..40), a in 0usize..40, len in 3usize..6, which in 0usize..64, with in "[A-Z]") {
        let s = words.join(" ");
        let t = Text::new(s.clone());
        // An annotation over `len` whole words.
        let starts: Vec<usize> = std::iter::once(0).chain(s.match_indices(' ').map(|(i, _)| i + 1)).collect();
        let si = a % starts.len();
        prop_assume!(si + len <= starts.len());
        let start = starts[si];
        let end = starts.get(si + len).map_or(s.len(), |e| e - 1);
        let quote = s[start..end].to_string();
        prop_assume!(quote.len() >= 8 && s.matches(quote.as_str()).count() == 1);
        let (prefix, suffix) = gloss::core::anchor::context(&t, start..end);
        let anchor = Anchor { start: CharPos(start), end: CharPos(end), quote: &quote, prefix: &prefix, suffix: &suffix };
        // One letter inside it changed (an upper-case letter is in no word).
        let k = start + 1 + which % (quote.len() - 2);
        prop_assume!(&s[k..k + 1] != " ");
        let edited = Text::new(format!("{}{}{}", &s[..k], with, &s[k + 1..]));
        let f = reanchor(&edited, anchor).expect("found approximately");
        prop_assert_eq!(f.how, How::Approximate { errors: 1 });
        prop_assert_eq!(f.range, start..end);
    }
}

const WORDS: &str = "Mark Esper met Mike Pompeo and Rajnath Singh in New Delhi on Monday.";

/// The annotation over the `i`th word of `WORDS` (bytes).
fn word(i: usize) -> std::ops::Range<usize> {
    let mut at = 0;
    for (k, w) in WORDS.split(' ').enumerate() {
        if k == i % 12 {
            return at..at + w.trim_end_matches('.').len();
        }
        at += w.len() + 1;
    }
    0..4
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Keys, tables and comments gloss does not know survive any sequence
    /// of edits and saves, in the record they were on; gloss's own content
    /// is what it meant to write.
    #[test]
    fn unknown_fields_and_tables_survive_arbitrary_edits(
        extras in proptest::collection::vec(("x_[a-z]{1,6}", any::<i64>(), 0usize..3), 0..5),
        table in proptest::collection::vec(("[a-z]{1,6}", "[ -~]{0,12}"), 0..3),
        edits in proptest::collection::vec((0u8..5, 0usize..12), 1..8),
    ) {
        let t = Text::new(WORDS.to_string());
        let st = Store::new((0..3).map(|i| {
            let r = word(i * 3);
            Annotation { review: None, id: format!("a{i}"), start: BytePos(r.start), end: BytePos(r.end), label: "PERSON".into(), note: None, annotator: None, created: "2026-11-23T07:40:00Z".into(), ..Default::default()  }
        }).collect(), vec![]);
        let mut disk = sidecar::write_store("a.txt", &t, &st);
        // Inject: a comment on top, extra keys after records' ids, a table.
        let mut seen_keys = std::collections::HashSet::new();
        let mut injected: Vec<(String, i64, String)> = vec![];
        for (k, v, i) in &extras {
            if !seen_keys.insert((k.clone(), *i)) { continue; }
            let id = format!("a{i}");
            let line = format!("id = \"{id}\"\n");
            disk = disk.replacen(&line, &format!("{line}{k} = {v}\n"), 1);
            injected.push((k.clone(), *v, id));
        }
        disk = format!("# keep me\n{disk}\n[x_table]\n");
        let mut table_keys = std::collections::HashSet::new();
        for (k, v) in &table {
            if table_keys.insert(k.clone()) {
                disk.push_str(&format!("{k} = {}\n", sidecar::toml_string(v)));
            }
        }
        let table_before: toml::Table = toml::from_str::<toml::Table>(&disk).unwrap()["x_table"].as_table().unwrap().clone();
        // Opened as the reader opens it: what the file holds beyond gloss's
        // own keys is kept by the store.
        let mut st = sidecar::SidecarFile::from_src(std::path::Path::new("a.txt.toml"), disk.clone())
            .and_then(|f| f.fit_keeping(&t))
            .map_err(|e| TestCaseError::fail(e.to_string()))?
            .0
            .store;
        for (op, n) in edits {
            match op {
                0 => {
                    let r = word(n);
                    let id = format!("n{n}{}", st.len());
                    if !st.contains_id(&id) && !st.all().iter().any(|a| a.range() == r) {
                        st.add(Annotation { review: None, id, start: BytePos(r.start), end: BytePos(r.end), label: "ORG".into(), note: None, annotator: None, created: String::new(), ..Default::default()  });
                    }
                }
                1 => { if let Some(id) = st.all().get(n % st.len().max(1)).map(|a| a.id.clone()) { st.remove(&id); } }
                2 => { if let Some(mut a) = st.all().first().map(|a| (**a).clone()) { a.label = format!("L{n}"); st.replace(a); } }
                3 => { if let Some(mut a) = st.all().last().map(|a| (**a).clone()) { a.note = Some(format!("note {n}")); st.replace(a); } }
                _ => { st.undo(); }
            }
            disk = sidecar::write_over(Some(disk.as_bytes()), false, "a.txt", &t, &st).map_err(TestCaseError::fail)?;
        }
        prop_assert!(disk.starts_with("# keep me\n"), "{}", disk);
        let parsed: toml::Table = toml::from_str(&disk).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(parsed["x_table"].as_table().unwrap(), &table_before);
        let records = parsed.get("annotation").and_then(|a| a.as_array()).cloned().unwrap_or_default();
        for (k, v, id) in &injected {
            if st.get(id).is_some() {
                let rec = records.iter().find(|r| r["id"].as_str() == Some(id)).expect("the record");
                prop_assert_eq!(rec.get(k).and_then(|x| x.as_integer()), Some(*v), "{} lost from {}: {}", k, id, disk);
            }
        }
        // gloss's content is exactly what it meant to write.
        let meant = sidecar::from_store("a.txt", &t, &st);
        let got = sidecar::parse(&disk).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut a = got.annotations.clone();
        a.sort_by(|x, y| x.id.cmp(&y.id));
        let mut b = meant.annotations.clone();
        b.sort_by(|x, y| x.id.cmp(&y.id));
        prop_assert_eq!(a, b);
    }
}
