//! The real gloss binary in tmux, for what only a real terminal shows: a
//! hang-up as a dropped connection makes it, and cells laid out as a
//! terminal lays them out (vt100 puts the marks of a Devanagari conjunct
//! where tmux and xterm do not). Tests wait for the screen; they never
//! sleep a fixed time. `.ci/run` installs tmux.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A tmux server of the test's own, with one session `s`; killed on drop.
pub struct Tmux {
    sock: String,
}

impl Tmux {
    /// Starts `cmd` (a shell command) in `cwd` on a `cols`x`rows` screen.
    pub fn start(name: &str, cwd: &Path, cmd: &str, cols: u16, rows: u16) -> Tmux {
        let have = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(have, "this test needs tmux (.ci/run installs it)");
        let t = Tmux {
            sock: format!("gloss-{name}-{}", std::process::id()),
        };
        let o = t.run(&[
            "new-session",
            "-d",
            "-s",
            "s",
            "-x",
            &cols.to_string(),
            "-y",
            &rows.to_string(),
            "-c",
            &cwd.display().to_string(),
            cmd,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        t
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.sock])
            .args(args)
            .output()
            .unwrap()
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "s"]).stdout).into_owned()
    }

    /// Keys as tmux names them (`Enter`, `Escape`, or text).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "s"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Waits until `done`, 20 s at most.
    pub fn until(&self, what: &str, done: &dyn Fn() -> bool) {
        let t = Instant::now();
        while !done() {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn wait_text(&self, needle: &str) {
        self.until(needle, &|| self.screen().contains(needle));
    }

    pub fn pane_pid(&self) -> i32 {
        String::from_utf8_lossy(
            &self
                .run(&["display", "-p", "-t", "s", "#{pane_pid}"])
                .stdout,
        )
        .trim()
        .parse()
        .unwrap()
    }

    pub fn kill(&self) {
        self.run(&["kill-server"]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.kill();
    }
}
