//! Faults in a real terminal: signals and panics end gloss with the
//! terminal restored and every change shown as saved on disk.

mod common;
#[path = "common/pty.rs"]
mod pty;
#[path = "common/reliability.rs"]
mod reliability;

#[path = "common/tmux.rs"]
mod tmux;

use common::corpus_copy;
use pty::{Session, status_of as status};
use tmux::Tmux;

const THIRD: &str = "002_7502e44b28077c3a.txt";

/// Opens the third seed and tags "Pompeo"; returns once "saved" shows.
fn tagged(dir: &std::path::Path, env: &[(&str, &str)]) -> Session {
    let mut s = open_third_env(dir, env);
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
    reliability::record(
        "faults::sigterm_sighup_and_sigint_end_gloss_cleanly",
        "SIGTERM, SIGHUP and SIGINT sent to gloss right after a change was saved",
        "3 signals",
        "exit code 128+n; the terminal restored (main screen, cursor shown, no mouse capture, cooked mode); the change on disk",
    );
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
    reliability::record(
        "faults::a_panic_restores_the_terminal_and_says_where_the_report_is",
        "A panic injected on a key (GLOSS_TEST_PANIC_ON_KEY)",
        "1 panic",
        "exit code 101; the terminal restored; the crash report named on screen and holding the panic; the change on disk",
    );
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
    // A key at 1x1 (too small to show the text: it may do nothing), then
    // one once the screen is drawn at 500 columns.
    s.resize(1, 1);
    s.send("j");
    s.resize(200, 500);
    s.wait_text("Articles 5");
    s.send("j");
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
    reliability::record(
        "faults::sizes_from_one_cell_to_500_by_200_and_a_resize_storm",
        "Terminal sizes from 1x1 to 500x200, in a storm of resizes with keys between them",
        format!("{} resizes", sizes.len() * 5 + 5),
        "no panic; the screen right at the final size; the keys answered",
    );
}

/// The quotes on disk, sorted.
fn sorted_quotes(dir: &std::path::Path) -> Vec<String> {
    state_on_disk(dir).into_iter().map(|(q, _, _)| q).collect()
}

/// (quote, label, note) of each annotation in the third seed's sidecar, or
/// none when there is no sidecar yet. Panics if it does not parse.
fn state_on_disk(dir: &std::path::Path) -> Vec<(String, String, Option<String>)> {
    let path = dir.join("annotations").join(format!("{THIRD}.toml"));
    let Ok(src) = std::fs::read_to_string(&path) else {
        return vec![];
    };
    let mut v: Vec<_> = gloss::core::sidecar::parse(&src)
        .unwrap_or_else(|e| panic!("the sidecar does not parse after a kill: {e}\n{src}"))
        .annotations
        .into_iter()
        .map(|a| (a.quote, a.label, a.note))
        .collect();
    v.sort();
    v
}

/// Tag two words, note the second, delete the first, move on: one noted
/// annotation more per round.
fn ops() -> Vec<String> {
    (0..25)
        .map(|i| match i % 5 {
            0 | 1 => "w1".to_string(),
            2 => format!("cnote {i}\r"),
            3 => "bd".to_string(),
            _ => "ww".to_string(),
        })
        .collect()
}

fn open_third(dir: &std::path::Path) -> Session {
    open_third_env(dir, &[])
}

/// gloss on a copy of the seeds, with the third article open.
fn open_third_env(dir: &std::path::Path, env: &[(&str, &str)]) -> Session {
    let mut s = Session::spawn_env(dir, &[], 30, 110, env);
    s.wait_text("Articles 5");
    s.send("jj\r");
    s.wait_text("a man wearing a suit");
    s
}

#[test]
fn sigkill_at_random_moments_never_loses_a_change_shown_as_saved() {
    // A reference run: after each operation, the status line it ends with
    // (its message and "saved") and the annotations then on disk.
    let dir = corpus_copy();
    let mut s = open_third(dir.path());
    let mut shown = vec![];
    let mut states = vec![];
    for op in ops() {
        let before = s.with_screen(status);
        s.send(&op);
        s.wait_for("the operation's effect, saved", |sc| {
            let st = status(sc);
            st != before && st.contains("✓ saved")
        });
        // A quiet moment, so that the line recorded is the final one.
        s.wait_until(std::time::Duration::from_millis(100), |_| false);
        shown.push(s.with_screen(status));
        states.push(state_on_disk(dir.path()));
    }
    s.send("q");
    assert!(s.wait_exit());
    let last = states.last().unwrap().clone();
    assert_eq!(last.len(), 5, "one noted annotation per round: {last:?}");
    assert!(last.iter().all(|(_, _, n)| n.is_some()), "{last:?}");

    // Kill runs: replay, and kill gloss at a random moment after sending
    // operation k; the file must hold what the screen showed as saved
    // (state k-1), or the change on its way (state k), nothing else.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let runs = 30;
    let mut leftovers = 0;
    for run in 0..runs {
        let dir = corpus_copy();
        let k = next(ops().len() as u64) as usize;
        let mut s = open_third(dir.path());
        for (i, op) in ops().iter().enumerate().take(k) {
            s.send(op);
            s.wait_for(&format!("run {run}: op {i} shown saved"), |sc| {
                status(sc) == shown[i]
            });
        }
        s.send(&ops()[k]);
        // Anywhere from at once to well after the save.
        let delay = std::time::Duration::from_micros(next(4000));
        let t = std::time::Instant::now();
        while t.elapsed() < delay {
            std::hint::spin_loop();
        }
        s.signal(libc::SIGKILL);
        s.wait_exit_code();
        let got = state_on_disk(dir.path());
        let check = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(["check", "seeds"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "run {run}: gloss check after the kill: {}",
            String::from_utf8_lossy(&check.stdout)
        );
        let saved = if k == 0 {
            vec![]
        } else {
            states[k - 1].clone()
        };
        assert!(
            got == saved || got == states[k],
            "run {run}, killed during op {k}: on disk {got:?}\nshown saved {saved:?}\nnext {:?}",
            states[k]
        );
        leftovers += std::fs::read_dir(dir.path().join("annotations"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.file_name().to_string_lossy().starts_with(".gloss-"))
            })
            .count();
    }
    // Temp files a kill leaves are never read as sidecars (the reader and
    // `gloss check` ignore them); how many there were is worth knowing.
    eprintln!("{runs} kills, {leftovers} temp file(s) left behind");
    reliability::record(
        "faults::sigkill_at_random_moments_never_loses_a_change_shown_as_saved",
        "SIGKILL at a random moment (0-4 ms after a key) during a replayed run of 25 tags, notes, deletions and moves",
        format!("{runs} kills"),
        "every sidecar parses and holds what the screen showed as saved (or the change on its way, nothing else); gloss check passes; temp files left by a kill are never read",
    );
}

#[test]
fn two_gloss_processes_on_one_article_keep_both_sides_changes() {
    let dir = corpus_copy();
    let mut a = open_third(dir.path());
    let mut b = open_third(dir.path());
    // A tags first; B, which read the file before that, tags next: B finds
    // the file changed, merges A's tag and writes both.
    a.send("/Pompeo\r1");
    a.barrier();
    a.wait_saved();
    b.send("/Esper\r1");
    b.wait_text("merged 1 change made on disk by someone else");
    b.barrier();
    b.wait_saved();
    let both: Vec<String> = sorted_quotes(dir.path());
    assert_eq!(both, ["Esper", "Pompeo"]);
    // A, in turn, deletes its tag (the cursor is still on it): it merges
    // B's and keeps it.
    a.send("d");
    a.wait_text("merged 1 change made on disk by someone else");
    a.barrier();
    a.wait_saved();
    let left: Vec<String> = sorted_quotes(dir.path());
    assert_eq!(left, ["Esper"]);
    // Each screen shows what is on disk.
    assert!(a.contents().contains("1 tag"), "{}", a.contents());
    for s in [&mut a, &mut b] {
        s.send("q");
        assert!(s.wait_exit());
    }
    assert_eq!(state_on_disk(dir.path()).len(), 1);
    reliability::record(
        "faults::two_gloss_processes_on_one_article_keep_both_sides_changes",
        "Two gloss processes on one article: one tags, the other tags, the first deletes",
        "2 processes, 3 changes",
        "each finds the other's change on disk before writing and merges it; no change of either side lost",
    );
}

/// A small tmpfs, unmounted when dropped.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    /// `None` where mounting is not allowed (not root, no capability).
    fn mount(at: &std::path::Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_shows_an_error_keeps_the_change_and_retries() {
    let dir = corpus_copy();
    let ann = dir.path().join("annotations");
    let labels = std::fs::read(ann.join("labels.toml")).unwrap();
    let Some(_fs) = Tmpfs::mount(&ann, "64k") else {
        eprintln!("cannot mount a tmpfs here: the full disk is covered by save.rs's unit test");
        return;
    };
    std::fs::write(ann.join("labels.toml"), labels).unwrap();
    let mut s = open_third(dir.path());
    s.send("/Pompeo\r1");
    s.barrier();
    s.wait_saved();
    let path = ann.join(format!("{THIRD}.toml"));
    let before = std::fs::read(&path).unwrap();
    // Fill the disk to the last byte.
    let filler = ann.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![b'x'; 1024];
        while f.write_all(&block).is_ok() {}
        while f.write_all(b"x").is_ok() {}
        let _ = f.sync_all();
    }
    s.send("/Esper\r1");
    s.wait_text("No space left on device");
    s.wait_text("NOT SAVED");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the old sidecar is whole"
    );
    assert!(
        s.contents().contains("2 tags"),
        "the change is kept: {}",
        s.contents()
    );
    // Space comes back: the retry writes it, no key pressed.
    std::fs::remove_file(&filler).unwrap();
    s.wait_saved();
    let quotes: Vec<String> = sorted_quotes(dir.path());
    assert_eq!(quotes, ["Esper", "Pompeo"]);
    let temps = std::fs::read_dir(&ann)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".gloss-")
        })
        .count();
    assert_eq!(temps, 0, "no temp file left");
    s.send("q");
    assert!(s.wait_exit());
    reliability::record(
        "faults::a_full_disk_shows_an_error_keeps_the_change_and_retries",
        "A full disk: the annotations folder on a 64 KB tmpfs filled to the last byte, then freed",
        "1 disk",
        "No space left on device shown; the change kept in memory; the old sidecar whole, no temp file; the automatic retry wrote it once space came back",
    );
}

/// A hang-up (the terminal closed under gloss: an SSH connection dropped,
/// a tmux session killed) ends gloss at once and quietly, its change on
/// disk. The kernel sends SIGHUP, then SIGCONT; setting the terminal up
/// again for that SIGCONT fails on a closed terminal, and that failure
/// used to end gloss through ratatui's drop, whose `eprintln!` panics
/// with standard error gone: a crash report for every hang-up, and half
/// a second of CPU symbolising its backtrace. Run in tmux, which closes
/// the terminal as a dropped connection does.
#[test]
fn a_hang_up_ends_gloss_at_once_without_a_crash_report() {
    let dir = corpus_copy();
    let root = dir.path();
    let tmp = tempfile::tempdir().unwrap();
    let cmd = format!(
        "exec env TMPDIR={} RUST_BACKTRACE=1 {} seeds/{THIRD}",
        tmp.path().display(),
        env!("CARGO_BIN_EXE_gloss")
    );
    let t = Tmux::start("hangup", root, &cmd, 100, 30);
    t.wait_text(" READ ");
    t.keys(&["/Pompeo", "Enter", "1"]);
    t.until("the tag saved", &|| {
        let s = t.screen();
        s.contains("✓ saved") && s.contains("1 tag")
    });
    let pid = t.pane_pid();
    t.kill();
    // SAFETY: signal 0 only asks whether the process is there.
    t.until("gloss to end", &|| unsafe { libc::kill(pid, 0) } != 0);
    let reports: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gloss-crash-"))
        .collect();
    assert!(
        reports.is_empty(),
        "a hang-up left crash reports: {reports:?}"
    );
    assert_eq!(quotes_on_disk(root), ["Pompeo"]);
}
