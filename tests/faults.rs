//! Faults in a real terminal: signals and panics end gloss with the
//! terminal restored and every change shown as saved on disk.

mod common;
#[path = "common/pty.rs"]
mod pty;

use common::corpus_copy;
use pty::Session;

const THIRD: &str = "002_7502e44b28077c3a.txt";

/// Opens the third seed and tags "Pompeo"; returns once "saved" shows.
fn tagged(dir: &std::path::Path, env: &[(&str, &str)]) -> Session {
    let mut s = Session::spawn_env(dir, &[], 30, 110, env);
    s.wait_text("Articles 5");
    s.send("jj\r");
    s.wait_text("a man wearing a suit");
    s.send("/Pompeo\r");
    s.wait_text("match 1 of");
    s.send("1");
    s.wait_text("tagged PERSON");
    s.wait_text("✓ saved");
    s
}

/// The terminal as gloss found it: main screen, cursor shown, no mouse
/// reporting, cooked mode.
/// gloss has exited, but its last bytes may still be on their way.
fn assert_restored(s: &Session) {
    s.wait_for("main screen, cursor shown, no mouse capture", |sc| {
        !sc.alternate_screen()
            && !sc.hide_cursor()
            && sc.mouse_protocol_mode() == vt100::MouseProtocolMode::None
    });
    assert!(s.cooked(), "raw mode left on");
}

fn quotes_on_disk(dir: &std::path::Path) -> Vec<String> {
    let src = std::fs::read_to_string(dir.join("annotations").join(format!("{THIRD}.toml")))
        .expect("the sidecar was written");
    gloss::core::sidecar::parse(&src)
        .expect("the sidecar parses")
        .annotations
        .into_iter()
        .map(|a| a.quote)
        .collect()
}

#[test]
fn sigterm_sighup_and_sigint_end_gloss_cleanly() {
    for (sig, name) in [
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGHUP, "SIGHUP"),
        (libc::SIGINT, "SIGINT"),
    ] {
        let dir = corpus_copy();
        let mut s = tagged(dir.path(), &[]);
        assert!(!s.cooked(), "{name}: raw mode while running");
        s.signal(sig);
        let code = s.wait_exit_code();
        assert_eq!(code, 128 + sig as u32, "{name}: exit code");
        assert_restored(&s);
        s.wait_text(&format!("ended by {name}"));
        assert_eq!(quotes_on_disk(dir.path()), ["Pompeo"], "{name}");
    }
}

#[test]
fn a_panic_restores_the_terminal_and_says_where_the_report_is() {
    let dir = corpus_copy();
    let mut s = tagged(dir.path(), &[("GLOSS_TEST_PANIC_ON_KEY", "%")]);
    s.send("%");
    let code = s.wait_exit_code();
    assert_eq!(code, 101, "a panic's exit code");
    assert_restored(&s);
    s.wait_text("gloss crashed");
    let screen = s.contents();
    let report = screen
        .split_whitespace()
        .find(|w| w.contains("gloss-crash-"))
        .unwrap_or_else(|| panic!("no report path on screen:\n{screen}"));
    let text = std::fs::read_to_string(report.trim_end_matches('.')).expect("the report exists");
    assert!(text.contains("injected panic"), "{text}");
    assert_eq!(quotes_on_disk(dir.path()), ["Pompeo"]);
}

#[test]
fn sizes_from_one_cell_to_500_by_200_and_a_resize_storm() {
    let dir = corpus_copy();
    let mut s = tagged(dir.path(), &[]);
    let sizes = [
        (1, 1),
        (2, 3),
        (5, 10),
        (200, 500),
        (3, 80),
        (40, 1),
        (1, 120),
        (24, 80),
    ];
    for _ in 0..5 {
        for (r, c) in sizes {
            s.resize(r, c);
        }
    }
    s.resize(30, 110);
    // Still alive, at the right size, with the cursor where it was (a small
    // screen scrolls the text to keep it in view).
    s.wait_text("Ln 9, Col 28");
    s.wait_text("Articles 5");
    s.wait_text("US Secretary of State Mike Pompeo");
    for (r, c) in [(1, 1), (200, 500)] {
        s.resize(r, c);
        s.send("j");
    }
    s.resize(30, 110);
    // The keys moved the cursor on (by screen lines of whatever width the
    // terminal had when each arrived) from where it was, offset 531.
    s.wait_for("the cursor past offset 531", |sc| {
        let c = sc.contents();
        c.contains("Articles 5")
            && c.split_whitespace()
                .find_map(|w| w.strip_prefix('@')?.parse::<usize>().ok())
                .is_some_and(|at| at > 531)
    });
    s.send("q");
    assert!(s.wait_exit());
    assert_restored(&s);
}
