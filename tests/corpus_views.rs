//! Issue 13: the corpus search (`S`) and the consistency check (`C`) in
//! the app: matches listed in context as found, opened at their place,
//! tagged one by one or all through the preview, filtered; findings fixed
//! from the list, in the open article and in others' sidecars, and undone.

mod common;

use common::{Harness, annotate, corpus_of, quotes};

const A: &str = "Esper met Pompeo in Delhi.\nLater Pompeo left; pompeo stayed.\n";
const B: &str = "Pompeo in Paris, with Esper.\n";
const C: &str = "Nothing to see.\n";

fn three() -> tempfile::TempDir {
    corpus_of(&[
        ("a.txt", A.as_bytes()),
        ("b.txt", B.as_bytes()),
        ("c.txt", C.as_bytes()),
    ])
}

/// The labels and quotes the sidecar of `rel` holds on disk.
fn on_disk(h: &Harness, rel: &str) -> Vec<(String, String)> {
    let Some(src) = h.sidecar_src(rel) else {
        return vec![];
    };
    let v: toml::Value = toml::from_str(&src).unwrap();
    let mut out: Vec<(String, String)> = v
        .get("annotation")
        .and_then(|a| a.as_array())
        .map(|a| {
            a.iter()
                .map(|x| {
                    (
                        x["label"].as_str().unwrap().to_string(),
                        x["quote"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn shown(h: &Harness) -> usize {
    h.app
        .corpus_view(gloss::tui::components::corpus_view::Kind::Search)
        .unwrap()
        .shown
        .len()
}

#[test]
fn the_corpus_search_lists_opens_filters_and_tags() {
    let dir = three();
    let mut h = Harness::new(dir.path(), 120, 30);
    // A capital: case as typed, so "pompeo" is not a match.
    h.keys("SPompeo<Enter>");
    let want: usize = [A, B, C].iter().map(|t| t.matches("Pompeo").count()).sum();
    assert_eq!(shown(&h), want);
    let screen = h.screen();
    assert!(screen.contains("3 match(es) in 2 article(s)"), "{screen}");
    assert!(screen.contains("b.txt:1"), "{screen}");
    assert!(screen.contains("a.txt:2"), "{screen}");

    // Down to b.txt's match, tag it PERSON: its sidecar has it.
    h.keys("jj1");
    assert_eq!(
        on_disk(&h, "b.txt"),
        [("PERSON".to_string(), "Pompeo".to_string())]
    );
    assert!(
        h.said().contains("tagged “Pompeo” as PERSON in b.txt"),
        "{}",
        h.said()
    );
    // Filters: tagged only, untagged only, by label.
    h.keys("t");
    assert_eq!(shown(&h), 1);
    h.keys("t");
    assert_eq!(shown(&h), 2);
    h.keys("tl");
    assert_eq!(shown(&h), 1, "only PERSON");
    let screen = h.screen();
    assert!(screen.contains("label: PERSON"), "{screen}");
    h.keys("l");
    assert_eq!(shown(&h), 3, "past the last label: any");

    // Enter opens the article at the match (the second line of a.txt).
    h.keys("gj<Enter>");
    assert_eq!(h.doc().session.rel, "a.txt");
    let at = A.find("Later Pompeo").unwrap() + "Later ".len();
    assert_eq!(h.doc().cursor, at);
    assert_eq!(h.doc().found, Some(at..at + "Pompeo".len()));

    // `u` in the open article takes back the tag made in b.txt.
    h.keys("u");
    h.settle();
    assert_eq!(on_disk(&h, "b.txt"), []);
    // `S` shows the search as it was left.
    h.keys("S");
    assert_eq!(shown(&h), 3);
    h.keys("<Esc>");
    assert_eq!(shown(&h), 3, "Esc in the pattern goes back to the list");
}

#[test]
fn a_regular_expression_then_every_place_through_the_preview() {
    let dir = three();
    let mut h = Harness::new(dir.path(), 120, 30);
    // ctrl-r while typing makes it a regular expression; lower case is
    // smart: any case.
    h.keys(r"S[ep]\w+o<C-r><Enter>");
    let re = regex::RegexBuilder::new(r"[ep]\w+o")
        .case_insensitive(true)
        .build()
        .unwrap();
    let want: usize = [A, B, C].iter().map(|t| re.find_iter(t).count()).sum();
    assert!(want > 3, "pompeo, in any case, is a match: {want}");
    assert_eq!(shown(&h), want);
    // Bad pattern: said, nothing searched.
    h.keys("/<C-u>(<Enter>");
    let screen = h.screen();
    assert!(screen.contains("not a regular expression"), "{screen}");
    h.keys(r"<BS>Pompeo<Enter>");
    assert_eq!(shown(&h), 3, "Pompeo (regex, capital: exact)");
    // `*`: the preview, every place ticked; untick the first, tag with 1.
    h.keys("*");
    let screen = h.screen();
    assert!(screen.contains("3 place(s) in the corpus"), "{screen}");
    h.keys(" 1");
    // Back in the list, the places tagged carry PERSON.
    let v = h
        .app
        .corpus_view(gloss::tui::components::corpus_view::Kind::Search)
        .unwrap();
    let tagged: Vec<bool> = v.rows.iter().map(|r| !r.at.labels.is_empty()).collect();
    assert_eq!(tagged, [false, true, true]);
    // a.txt is open: its second Pompeo is in its store; b.txt's on disk.
    let here: Vec<_> = quotes(&h);
    assert_eq!(here, [("PERSON".to_string(), "Pompeo".to_string())]);
    assert_eq!(
        on_disk(&h, "b.txt"),
        [("PERSON".to_string(), "Pompeo".to_string())]
    );
    // One `u` in the article takes both back.
    h.keys("<Esc><Tab>u");
    h.settle();
    assert_eq!(quotes(&h), []);
    assert_eq!(on_disk(&h, "b.txt"), []);
}

/// Washington tagged GPE in a.txt and PERSON in b.txt, left untagged
/// twice in a.txt; Pompeo tagged PERSON in a.txt, untagged in b.txt; and
/// the `more` articles, untagged.
fn washington(more: &[(&str, &[u8])]) -> tempfile::TempDir {
    let mut files = vec![
        (
            "a.txt",
            b"Washington met Pompeo.\nWashington again, Washington.\n".as_slice(),
        ),
        ("b.txt", b"In Washington, Pompeo spoke.\n".as_slice()),
    ];
    files.extend_from_slice(more);
    let dir = corpus_of(&files);
    let root = dir.path();
    annotate(
        root,
        "a.txt",
        &[("Washington", "GPE", None), ("Pompeo", "PERSON", None)],
    );
    annotate(root, "b.txt", &[("Washington", "PERSON", None)]);
    dir
}

#[test]
fn consistency_findings_are_listed_opened_and_fixed() {
    let dir = washington(&[]);
    let root = dir.path();
    // a.txt's second and third Washington stand untagged; so does b.txt's
    // Pompeo; b.txt's Washington bears PERSON where GPE is as usual (one
    // each: the first by name wins a tie, GPE).
    let mut h = Harness::new(root, 120, 30);
    h.keys("C");
    let v = h
        .app
        .corpus_view(gloss::tui::components::corpus_view::Kind::Consistency)
        .unwrap();
    let rows: Vec<(String, String, Vec<String>)> = v
        .rows
        .iter()
        .map(|r| (r.rel.clone(), r.at.text.clone(), r.at.labels.clone()))
        .collect();
    assert_eq!(
        rows,
        [
            ("a.txt".into(), "Washington".into(), vec![]),
            ("a.txt".into(), "Washington".into(), vec![]),
            ("b.txt".into(), "Washington".into(), vec!["PERSON".into()]),
            ("b.txt".into(), "Pompeo".into(), vec![]),
        ]
    );
    let screen = h.screen();
    assert!(screen.contains("4 finding(s) in 2 article(s)"), "{screen}");
    assert!(screen.contains("f makes it GPE"), "{screen}");
    // Fix b.txt's two (another article: its sidecar) and a.txt's first
    // (the open article: its store).
    h.keys("f");
    assert_eq!(h.doc().session.rel, "a.txt");
    h.keys("jff");
    h.settle();
    assert_eq!(
        on_disk(&h, "b.txt"),
        [
            ("GPE".to_string(), "Washington".to_string()),
            ("PERSON".to_string(), "Pompeo".to_string()),
        ]
    );
    assert_eq!(
        quotes(&h)
            .iter()
            .filter(|(l, q)| l == "GPE" && q == "Washington")
            .count(),
        2
    );
    // Checked again: one finding left (a.txt's third Washington).
    h.keys("<Esc>C");
    let v = h
        .app
        .corpus_view(gloss::tui::components::corpus_view::Kind::Consistency)
        .unwrap();
    assert_eq!(v.rows.len(), 1, "{:?}", v.rows);
    // Enter opens it there.
    h.keys("<Enter>");
    let third = "Washington met Pompeo.\nWashington again, ".len();
    assert_eq!(h.doc().cursor, third);
    // Undo, three times: b.txt's tag, its relabel, a.txt's tag.
    h.keys("u");
    h.settle();
    assert_eq!(
        on_disk(&h, "b.txt"),
        [("GPE".to_string(), "Washington".to_string())]
    );
    h.keys("u");
    h.settle();
    assert_eq!(
        on_disk(&h, "b.txt"),
        [("PERSON".to_string(), "Washington".to_string())]
    );
}

/// How many findings the consistency list holds.
fn findings_listed(h: &Harness) -> usize {
    h.app
        .corpus_view(gloss::tui::components::corpus_view::Kind::Consistency)
        .unwrap()
        .rows
        .len()
}

/// `F` fixes every finding the filters keep, here and in other articles,
/// as one step: one `u` in the open article takes them all back.
#[test]
fn every_finding_shown_is_fixed_at_once_and_undone_at_once() {
    let dir = washington(&[("c.txt", b"Pompeo and Washington.\n".as_slice())]);
    let root = dir.path();
    let mut h = Harness::new(root, 120, 30);
    h.keys("C");
    let findings = findings_listed(&h);
    // a.txt: two Washington untagged; b.txt: Washington PERSON (GPE is
    // usual), Pompeo untagged; c.txt: Pompeo and Washington untagged.
    assert_eq!(findings, 6);
    h.keys("F");
    assert!(
        h.said()
            .contains("fixed 6 finding(s): 2 here, 4 in other articles"),
        "{}",
        h.said()
    );
    h.settle();
    assert_eq!(
        on_disk(&h, "b.txt"),
        [
            ("GPE".to_string(), "Washington".to_string()),
            ("PERSON".to_string(), "Pompeo".to_string()),
        ]
    );
    assert_eq!(
        on_disk(&h, "c.txt"),
        [
            ("GPE".to_string(), "Washington".to_string()),
            ("PERSON".to_string(), "Pompeo".to_string()),
        ]
    );
    assert_eq!(quotes(&h).len(), 4, "{:?}", quotes(&h));
    // Checked again: nothing left.
    h.keys("<Esc>C");
    let left = findings_listed(&h);
    assert_eq!(left, 0);
    // One `u` in the article: all six back as they were.
    h.keys("<Esc><Tab>u");
    h.settle();
    assert_eq!(quotes(&h).len(), 2);
    assert_eq!(
        on_disk(&h, "b.txt"),
        [("PERSON".to_string(), "Washington".to_string())]
    );
    assert_eq!(on_disk(&h, "c.txt"), []);
}

/// A tag written into another article's sidecar is waited for on quitting,
/// as a save is: until the I/O thread answers, `saves_unanswered` says so
/// (the event loop then joins the thread before the process ends).
#[test]
fn quitting_waits_for_tags_written_elsewhere() {
    let dir = three();
    let mut h = Harness::new(dir.path(), 120, 30);
    h.keys("SPompeo<Enter>jj");
    assert!(!h.app.saves_unanswered());
    h.app
        .update(gloss::tui::app::Event::Term(crossterm::event::Event::Key(
            crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('1')),
        )));
    assert!(
        h.app.saves_unanswered(),
        "the tag for b.txt is on its way: quitting must wait for it"
    );
    h.settle();
    assert!(!h.app.saves_unanswered());
    assert_eq!(
        on_disk(&h, "b.txt"),
        [("PERSON".to_string(), "Pompeo".to_string())]
    );
}

/// A text tagged once and common everywhere makes more findings than
/// anyone reads: the check hands them over a few articles at a time, in
/// the articles' order, stops when asked, and the app's list stops at
/// 50,000 and says so.
#[test]
fn a_flood_of_findings_is_streamed_in_order_and_cut() {
    use gloss::core::{consistency, corpus};
    use gloss::session::background::{self, MAX_LISTED};
    use gloss::session::worker::Reply;
    // a.txt tags Pompeo; 200 more articles hold it untagged, twice each.
    let mut files: Vec<(String, Vec<u8>)> = vec![("a.txt".into(), b"Pompeo spoke.\n".to_vec())];
    for i in 0..200 {
        files.push((
            format!("n{i:03}.txt"),
            b"Pompeo left. Pompeo came.\n".to_vec(),
        ));
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let dir = corpus_of(&refs);
    let root = dir.path();
    annotate(root, "a.txt", &[("Pompeo", "PERSON", None)]);
    let entries = corpus::scan(&root.join("seeds"));
    let ann = root.join("annotations");

    let (all, problems) = consistency::check(&entries, &ann);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(all.len(), 400);
    let order: Vec<&str> = all.iter().map(|f| f.article.as_str()).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "findings out of the articles' order");

    // Handed over in more than one part, and no more asked for once the
    // first part is refused.
    let mut parts = vec![];
    consistency::check_each(&entries, &ann, &mut |f| {
        parts.push(f.len());
        false
    });
    assert_eq!(parts.len(), 1);
    assert!(parts[0] > 0 && parts[0] < 400, "{parts:?}");

    // The app's list: 50,000 at most, and cut says so. One article holds
    // more than that.
    let many = "Pompeo ".repeat(MAX_LISTED + 10);
    let dir = corpus_of(&[
        ("a.txt", b"Pompeo spoke.\n".as_slice()),
        ("b.txt", many.as_bytes()),
    ]);
    annotate(dir.path(), "a.txt", &[("Pompeo", "PERSON", None)]);
    let entries = corpus::scan(&dir.path().join("seeds"));
    let mut replies = vec![];
    background::consistency(7, &entries, &dir.path().join("annotations"), &mut |r| {
        replies.push(r);
        true
    });
    match replies.as_slice() {
        [
            Reply::Findings {
                job, findings, cut, ..
            },
        ] => {
            assert_eq!(*job, 7);
            assert_eq!(findings.len(), MAX_LISTED);
            assert!(*cut);
        }
        other => panic!("{other:?}"),
    }
}
