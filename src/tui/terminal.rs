//! The terminal's life, owned in one place: raw mode, the alternate screen,
//! mouse capture and the cursor are set up here and undone here, on a
//! normal exit, on an error path (by `Guard`'s drop) and on a panic.

use std::io::{self, Stdout, Write};
use std::path::PathBuf;

use crossterm::cursor::Show;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Restores the terminal when dropped.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

pub fn setup() -> io::Result<(Term, Guard)> {
    install_panic_hook();
    enable_raw_mode()?;
    let guard = Guard;
    // Cleared with crossterm, not `Terminal::clear`, which asks the terminal
    // for the cursor position and fails where no answer comes (some remote
    // and test terminals). Nothing here waits on a terminal's reply.
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        Clear(ClearType::All)
    )?;
    let mut term = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    term.hide_cursor()?;
    Ok((term, guard))
}

/// Undoes everything `setup` did. Safe to call more than once.
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
    let _ = out.flush();
}

fn crash_report_path() -> PathBuf {
    std::env::temp_dir().join(format!("gloss-crash-{}.txt", std::process::id()))
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        let path = crash_report_path();
        let report = format!(
            "gloss {} crashed.\n{info}\n\nBacktrace:\n{}\n",
            env!("CARGO_PKG_VERSION"),
            std::backtrace::Backtrace::force_capture()
        );
        let saved = std::fs::write(&path, report).is_ok();
        // Not `eprintln!`: it panics when standard error is gone (a hung-up
        // terminal), and a panic in the panic hook aborts.
        let _ = writeln!(
            io::stderr(),
            "gloss crashed: {info}\nEvery change shown as saved is in its sidecar.{}",
            if saved {
                format!(" A crash report is in {}", path.display())
            } else {
                String::new()
            }
        );
        let _ = &previous;
    }));
}
