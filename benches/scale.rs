//! Whole-program figures, each beside its baseline measured in the same run:
//! the first frame on a 100,000-article corpus against `find`; launching on
//! a 50 MB article (and on a 5 MB single line) and showing its end, against
//! `less`, both in tmux; the time from a key to the screen showing its
//! effect, over 200 keys in the 50 MB article, in a pty; peak memory.
//!
//! Prints `ROW|figure|gloss|baseline|ratio` lines for scripts/bench.sh.

#[path = "support/data.rs"]
mod data;
#[path = "../tests/common/pty.rs"]
mod pty;
#[path = "support/report.rs"]
mod report;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use report::{gloss_bin, median, row};

/// Peak resident memory of a running process, in MB.
fn peak_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

// ---- tmux, for the side-by-side with less ----

/// A tmux server of our own, kept up by an idle session for the whole run:
/// a server started per measurement would be timed too, and one shutting
/// down as its last session ends races the next start.
const SOCKET: &str = "gloss-bench";

/// The pause between two captures of the screen.
const POLL: Duration = Duration::from_millis(2);

/// Runs of each program in the side-by-side with less (medians are shown).
const TMUX_RUNS: usize = 15;

fn tmux_cmd() -> Command {
    let mut c = Command::new("tmux");
    c.args(["-L", SOCKET]);
    c
}

fn tmux(args: &[&str]) -> String {
    let o = tmux_cmd().args(args).output().expect("tmux");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Seconds from launching `cmd` in tmux until `needle` shows after `keys`.
fn tmux_time(cmd: &str, cwd: &Path, keys: &[&str], needle: &str, limit: Duration) -> Option<f64> {
    tmux_time_until(cmd, cwd, keys, |s| s.contains(needle), limit)
}

/// Seconds from launching `cmd` in tmux until the screen satisfies `done`
/// after `keys`.
fn tmux_time_until(
    cmd: &str,
    cwd: &Path,
    keys: &[&str],
    done: impl Fn(&str) -> bool,
    limit: Duration,
) -> Option<f64> {
    let _ = tmux_cmd().args(["kill-session", "-t", "bench"]).output();
    let t = Instant::now();
    let status = tmux_cmd()
        .args([
            "new-session",
            "-d",
            "-s",
            "bench",
            "-x",
            "160",
            "-y",
            "50",
            "-c",
        ])
        .arg(cwd)
        .arg(cmd)
        .status()
        .ok()?;
    assert!(status.success());
    let screen = || tmux(&["capture-pane", "-p", "-t", "bench"]);
    while !screen().chars().any(|c| c.is_alphabetic()) {
        if t.elapsed() > limit {
            return None;
        }
        std::thread::sleep(POLL);
    }
    let shown = t.elapsed().as_secs_f64();
    // All in one send-keys: a tmux client per key would time the harness
    // (a process and a round trip each), not the program.
    let mut send = vec!["send-keys", "-t", "bench"];
    send.extend_from_slice(keys);
    tmux(&send);
    let done = loop {
        if done(&screen()) {
            break Some(t.elapsed().as_secs_f64());
        }
        if t.elapsed() > limit {
            break None;
        }
        // A breath between captures: polling flat out starves the program
        // measured on 2 cores (each capture is a process and a tmux
        // round trip), and made the rows vary 2x from run to run.
        std::thread::sleep(POLL);
    };
    tmux(&["kill-session", "-t", "bench"]);
    if std::env::var_os("GLOSS_BENCH_VERBOSE").is_some() {
        eprintln!("{cmd} {keys:?}: first screen {shown:.3} s, done {done:?}");
    }
    done
}

fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn main() {
    let runs = 5;
    // `GLOSS_BENCH_ONLY=corpus|tmux|keys`: one part alone, to look into it.
    let only = std::env::var("GLOSS_BENCH_ONLY").ok();
    let want = |part: &str| only.as_deref().is_none_or(|o| o == part);

    // First frame on 100,000 articles, against find.
    if want("corpus") {
        let corpus = data::corpus(100_000);
        let find = median(
            (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    let o = Command::new("find")
                        .args(["corpus", "-type", "f"])
                        .current_dir(&corpus)
                        .output()
                        .unwrap();
                    assert!(o.status.success());
                    t.elapsed().as_secs_f64()
                })
                .collect(),
        );
        let mut peak_corpus = 0.0f64;
        let first = median(
            (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    let mut s = pty::Session::spawn(
                        &corpus,
                        &["corpus", "--annotations", "annotations"],
                        40,
                        120,
                    );
                    s.wait_text("Articles 100000");
                    let e = t.elapsed().as_secs_f64();
                    // Let titles and counts fill in, then read the peak.
                    std::thread::sleep(Duration::from_secs(4));
                    peak_corpus = peak_corpus.max(peak_mb(s.pid()));
                    s.send("q");
                    s.wait_exit();
                    e
                })
                .collect(),
        );
        row(
            "first frame, 100,000 articles",
            format!("{:.3} s", first),
            format!("find: {:.3} s", find),
            format!("{:.1}x (target 3x)", first / find),
        );
        row(
            "peak memory, 100,000 articles (titles filling in)",
            format!("{peak_corpus:.0} MB"),
            "target 150 MB".into(),
            String::new(),
        );
    }

    // Launch and show the end, against less, in tmux.
    let big = data::big();
    let line = data::line();
    if !want("tmux") {
    } else if have_tmux() {
        tmux(&["new-session", "-d", "-s", "keep", "sleep", "100000"]);
        let gl = |dir: &Path, needle: &str| {
            tmux_time(
                &format!("{} corpus --annotations annotations", gloss_bin()),
                dir,
                &["Enter", "G"],
                needle,
                Duration::from_secs(30),
            )
        };
        // The runs take turns (less, gloss on its folder, gloss by name,
        // gloss until read), so that what else the machine does at a moment
        // falls on each alike; each is short, so there are many of them.
        let (mut l50, mut g50, mut by_name, mut ready) = (vec![], vec![], vec![], vec![]);
        for _ in 0..TMUX_RUNS {
            l50.extend(tmux_time(
                "less corpus/big.txt",
                &big,
                &["G"],
                data::BIG_END,
                Duration::from_secs(30),
            ));
            g50.extend(gl(&big, data::BIG_END));
            by_name.extend(tmux_time(
                &format!("{} corpus/big.txt --annotations annotations", gloss_bin()),
                &big,
                &["G"],
                data::BIG_END,
                Duration::from_secs(30),
            ));
            // The end shows from a glimpse at once; the article is ready
            // for keys (line numbers in the status line) once read whole.
            ready.extend(tmux_time_until(
                &format!("{} corpus --annotations annotations", gloss_bin()),
                &big,
                &["Enter", "G"],
                |s| s.contains(data::BIG_END) && s.contains("Ln "),
                Duration::from_secs(30),
            ));
        }
        let (l50, g50, by_name, ready) = (median(l50), median(g50), median(by_name), median(ready));
        row(
            "launch and show the end (G), 50 MB article, tmux",
            format!("{g50:.3} s"),
            format!("less: {l50:.3} s"),
            format!("{:.1}x (target 1.5x)", g50 / l50),
        );
        row(
            "the same opened by name (gloss FILE, then G), tmux",
            format!("{by_name:.3} s"),
            format!("less: {l50:.3} s"),
            format!("{:.1}x (target 1.5x)", by_name / l50),
        );
        row(
            "the same, until the whole article is read and keys are answered",
            format!("{ready:.3} s"),
            format!("less: {l50:.3} s"),
            format!("{:.1}x", ready / l50),
        );
        let g5 = median(
            (0..runs)
                .filter_map(|_| gl(&line, data::LINE_END))
                .collect(),
        );
        let l5 = tmux_time(
            "less corpus/line.txt",
            &line,
            &["G"],
            data::LINE_END,
            // Long enough to show it is hopeless, short enough to keep the
            // suite under ten minutes.
            Duration::from_secs(60),
        );
        row(
            "launch and show the end (G), 5 MB single line, tmux",
            format!("{g5:.3} s (target 0.3 s)"),
            l5.map_or("less: over 60 s".into(), |l| format!("less: {l:.1} s")),
            l5.map_or(String::new(), |l| format!("{:.0}x faster", l / g5)),
        );
        tmux(&["kill-server"]);
    } else {
        row(
            "launch and show the end vs less",
            "skipped: no tmux".into(),
            String::new(),
            String::new(),
        );
    }

    if !want("keys") {
        return;
    }
    // Key latency in the 50 MB article, in a pty.
    let size = std::fs::metadata(big.join("corpus/big.txt")).unwrap().len() as f64 / 1e6;
    let mut s = pty::Session::spawn(&big, &["corpus", "--annotations", "annotations"], 50, 160);
    s.wait_text("Articles 1");
    s.send("\r");
    s.wait_for("the article", |sc| sc.contents().contains("Ln 1, Col 1"));
    // Moves, scrolls, the ends and back, a tag and its undo.
    let keys = [
        "j", "l", "w", "}", "G", "1", "u", "g", "\x1b[6~", "b", "h", "k", "{", "\x1b[5~", ")",
    ];
    let mut lat = vec![];
    // Walk into the middle first, so keys land everywhere.
    for (i, k) in keys.iter().cycle().take(200).enumerate() {
        if i == 100 {
            s.send("G");
            s.wait_text(data::BIG_END);
        }
        let before = s.contents();
        let t = Instant::now();
        s.send(k);
        // A key with nothing to do (PgUp at the top) changes nothing.
        if s.wait_until(Duration::from_secs(2), |sc| sc.contents() != before) {
            lat.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let peak_big = peak_mb(s.pid());
    s.send("q");
    s.wait_exit();
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    row(
        &format!(
            "key to screen, 200 keys in the 50 MB article (pty; {} changed it): median / worst",
            lat.len()
        ),
        format!("{:.1} / {:.1} ms", lat[lat.len() / 2], lat[lat.len() - 1]),
        "target 16 ms".into(),
        String::new(),
    );
    row(
        "peak memory, 50 MB article",
        format!("{peak_big:.0} MB"),
        format!("file: {size:.0} MB"),
        format!("{:.1}x (target 3x)", peak_big / size),
    );
}
