//! Searching the whole corpus, `gloss grep` beside `rg` on the same
//! 100,000 articles (about 300 MB), both measured in this run: the time to
//! the first result line, and to the last, for a phrase found tens of
//! thousands of times and for one found nowhere (the search alone).
//!
//! Prints `ROW|figure|gloss|baseline|ratio` lines for scripts/bench.sh.

#[path = "support/data.rs"]
mod data;
#[path = "support/report.rs"]
mod report;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use report::{gloss_bin, median, row};

/// Seconds until `cmd` printed its first line, and until it ended; and
/// how many lines it printed.
fn timed(cwd: &Path, cmd: &[&str]) -> (f64, f64, usize) {
    let t = Instant::now();
    let mut child = Command::new(cmd[0])
        .args(&cmd[1..])
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut buf = vec![0u8; 1 << 16];
    let mut first = None;
    let mut lines = 0;
    loop {
        let n = out.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        if first.is_none() && buf[..n].contains(&b'\n') {
            first = Some(t.elapsed().as_secs_f64());
        }
        lines += bytecount::count(&buf[..n], b'\n');
    }
    child.wait().unwrap();
    let all = t.elapsed().as_secs_f64();
    (first.unwrap_or(all), all, lines)
}

fn main() {
    let runs = 5;
    let corpus = data::corpus(100_000);
    let have_rg = Command::new("rg")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    // Once each first, so both read from the page cache.
    let _ = timed(&corpus, &[gloss_bin(), "grep", "warm", "corpus"]);
    for (what, pattern) in [
        ("a phrase found often", "Ladakh troops"),
        ("a name found nowhere", "Esper"),
    ] {
        let g: Vec<(f64, f64, usize)> = (0..runs)
            .map(|_| timed(&corpus, &[gloss_bin(), "grep", pattern, "corpus"]))
            .collect();
        let lines = g[0].2;
        let gf = median(g.iter().map(|x| x.0).collect());
        let ga = median(g.iter().map(|x| x.1).collect());
        if !have_rg {
            row(
                &format!("corpus search, {what}"),
                format!("{ga:.3} s"),
                "rg: not installed".into(),
                String::new(),
            );
            continue;
        }
        let r: Vec<(f64, f64, usize)> = (0..runs)
            .map(|_| {
                timed(
                    &corpus,
                    // One line per match, as gloss prints them.
                    &[
                        "rg",
                        "--no-config",
                        "--vimgrep",
                        "--fixed-strings",
                        pattern,
                        "corpus",
                    ],
                )
            })
            .collect();
        assert_eq!(
            r[0].2, lines,
            "rg and gloss find the same matches ({pattern})"
        );
        let rf = median(r.iter().map(|x| x.0).collect());
        let ra = median(r.iter().map(|x| x.1).collect());
        row(
            &format!("corpus search, 100,000 articles, {what} ({lines} matches): whole search"),
            format!("{ga:.3} s"),
            format!("rg: {ra:.3} s"),
            format!("{:.2}x (target 1.5x)", ga / ra),
        );
        if lines > 0 {
            row(
                "the same, first result",
                format!("{:.1} ms (target 50 ms)", gf * 1000.0),
                format!("rg: {:.1} ms", rf * 1000.0),
                String::new(),
            );
        }
    }
}
