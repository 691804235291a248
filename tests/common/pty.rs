//! The real gloss binary in a pseudo-terminal, its output parsed by vt100.
//! Tests wait for the screen to show what they expect; they never sleep a
//! fixed time.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const TIMEOUT: Duration = Duration::from_secs(20);

/// What the terminal was asked to do besides drawing.
#[derive(Debug, Default)]
pub struct Recorder {
    pub titles: Vec<Vec<u8>>,
    pub clipboard: Vec<Vec<u8>>,
    pub bells: usize,
}

impl vt100::Callbacks for Recorder {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
}

/// The status line of `sc`: its second row from the bottom.
pub fn status_of(sc: &vt100::Screen) -> String {
    let (rows, cols) = sc.size();
    sc.rows(0, cols.get())
        .nth(usize::from(rows.get()).saturating_sub(2))
        .unwrap_or_default()
}

pub struct Session {
    parser: Arc<Mutex<vt100::Parser<Recorder>>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    /// The reader met the end of the output: every byte gloss wrote is in
    /// `parser`.
    drained: Arc<std::sync::atomic::AtomicBool>,
}

impl Session {
    pub fn spawn(cwd: &Path, args: &[&str], rows: u16, cols: u16) -> Session {
        Self::spawn_env(cwd, args, rows, cols, &[])
    }

    pub fn spawn_env(
        cwd: &Path,
        args: &[&str],
        rows: u16,
        cols: u16,
        env: &[(&str, &str)],
    ) -> Session {
        Self::spawn_wrapped(cwd, &[], args, rows, cols, env)
    }

    /// Runs gloss under `wrapper` (a command that runs the rest of its
    /// arguments, as `setpriv ...` does), or alone when it is empty.
    pub fn spawn_wrapped(
        cwd: &Path,
        wrapper: &[&str],
        args: &[&str],
        rows: u16,
        cols: u16,
        env: &[(&str, &str)],
    ) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let gloss = env!("CARGO_BIN_EXE_gloss");
        let mut cmd = match wrapper.split_first() {
            Some((first, rest)) => {
                let mut c = CommandBuilder::new(first);
                c.args(rest);
                c.arg(gloss);
                c
            }
            None => CommandBuilder::new(gloss),
        };
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn gloss");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
            0,
            Recorder::default(),
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        let drained = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let d = drained.clone();
        // Drain the pty at all times, or gloss blocks when its buffer fills.
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                r.lock().unwrap().extend_from_slice(&buf[..n]);
                p.lock().unwrap().process(&buf[..n]);
            }
            d.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        Session {
            parser,
            raw,
            writer,
            child,
            _master: pair.master,
            drained,
        }
    }

    pub fn send(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Returns once every key sent before has been handled: keys are
    /// handled in order, so when the help that `?` opens shows, the ones
    /// before it are done. Closes the help again.
    pub fn barrier(&mut self) {
        self.send("?");
        self.wait_text("Anywhere");
        self.send("?");
        self.wait_for("the help closed", |sc| !sc.contents().contains("Anywhere"));
        self.quiet();
    }

    /// Waits until gloss has written nothing for a while: a frame arrives
    /// in several reads, and the screen is only whole after the last.
    pub fn quiet(&self) {
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = self.raw.lock().unwrap().len();
        loop {
            std::thread::sleep(Duration::from_millis(30));
            let now = self.raw.lock().unwrap().len();
            if now == seen {
                return;
            }
            assert!(Instant::now() < deadline, "gloss never stopped writing");
            seen = now;
        }
    }

    /// The status line: the second row from the bottom.
    pub fn status_line(&self) -> String {
        status_of(self.parser.lock().unwrap().screen())
    }

    /// Waits until the status line says the last change is saved.
    pub fn wait_saved(&self) {
        self.wait_for("saved", |sc| status_of(sc).contains("✓ saved"));
    }

    pub fn contents(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until `pred` holds for the screen; fails showing the screen.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if pred(self.parser.lock().unwrap().screen()) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for {what}; the screen:\n{}",
                    self.contents()
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn wait_text(&self, needle: &str) {
        self.wait_for(needle, |s| s.contents().contains(needle));
    }

    /// Like `wait_for`, but gives up after `limit`: whether `pred` held.
    pub fn wait_until(&self, limit: Duration, pred: impl Fn(&vt100::Screen) -> bool) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if pred(self.parser.lock().unwrap().screen()) {
                return true;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        false
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap_or(0)
    }

    /// Screen position (row, col) where `needle` starts.
    pub fn find(&self, needle: &str) -> Option<(u16, u16)> {
        let guard = self.parser.lock().unwrap();
        let screen = guard.screen();
        let (rows, cols) = screen.size();
        for r in 0..rows.get() {
            let line: String = (0..cols.get())
                .map(|c| {
                    screen
                        .cell(r, c)
                        .map_or(" ".to_string(), |x| x.contents().to_string())
                })
                .map(|s| if s.is_empty() { " ".to_string() } else { s })
                .collect();
            if let Some(i) = line.find(needle) {
                return Some((r, line[..i].chars().count() as u16));
            }
        }
        None
    }

    /// Every byte gloss has written to the terminal so far.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    pub fn with_recorder<T>(&self, f: impl FnOnce(&Recorder) -> T) -> T {
        f(self.parser.lock().unwrap().callbacks())
    }

    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.parser.lock().unwrap().screen())
    }

    /// Waits for gloss to exit and returns whether it succeeded.
    pub fn wait_exit(&mut self) -> bool {
        self.wait_exit_code() == 0
    }

    /// Resizes the terminal, as a window manager does (SIGWINCH included).
    /// The screen model first: the full redraw gloss makes on seeing the
    /// new size must land on a screen of that size.
    pub fn resize(&self, rows: u16, cols: u16) {
        self.parser.lock().unwrap().set_size(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
        );
        self._master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    /// Whether the terminal is back in its usual (cooked) mode: line
    /// editing and echo on, as raw mode turns them off.
    pub fn cooked(&self) -> bool {
        let fd = self._master.as_raw_fd().expect("pty fd");
        // SAFETY: a zeroed termios is a valid out-parameter for tcgetattr.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: fd is the open master of the pty; on Linux its termios
        // are the terminal's.
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
        t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
    }

    /// Sends `sig` to gloss.
    pub fn signal(&self, sig: i32) {
        // SAFETY: plain kill(2) on our child's pid.
        assert_eq!(unsafe { libc::kill(self.pid() as i32, sig) }, 0);
    }

    /// Waits for gloss to exit and returns its exit code.
    pub fn wait_exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // What gloss wrote last (leaving the alternate screen) may
                // still be on its way to the parser: wait for the end of
                // the output, so what is asserted on is all of it.
                while !self.drained.load(std::sync::atomic::Ordering::SeqCst)
                    && Instant::now() < deadline
                {
                    std::thread::sleep(Duration::from_millis(2));
                }
                return status.exit_code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("gloss did not exit; the screen:\n{}", self.contents());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}
