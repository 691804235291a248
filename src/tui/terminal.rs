//! The terminal's life, owned in one place: raw mode, the alternate screen,
//! mouse capture and the cursor are set up here and undone here, on a
//! normal exit, on an error path (by `Guard`'s drop) and on a panic.

use std::io::{self, Stdout, Write};
use std::path::PathBuf;

use crossterm::cursor::Show;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// Frames go out through a buffer that holds a whole frame: one write
/// each, not one per kilobyte (standard output's own buffer), so the
/// terminal is woken once and never shows half a frame.
pub type Term = Terminal<CrosstermBackend<io::BufWriter<Stdout>>>;

/// Larger than a full frame of a large terminal in colour.
const FRAME_BUFFER: usize = 1 << 18;

/// Restores the terminal when dropped.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

pub fn setup() -> io::Result<(Term, Guard)> {
    install_panic_hook();
    let guard = Guard;
    enter()?;
    let mut term = Terminal::new(CrosstermBackend::new(io::BufWriter::with_capacity(
        FRAME_BUFFER,
        io::stdout(),
    )))?;
    term.hide_cursor()?;
    Ok((term, guard))
}

/// Puts the terminal in the state gloss draws in: raw mode, the alternate
/// screen, mouse capture, and bracketed paste (so that a paste arrives as
/// one piece of text, not as keys that would run as commands). Again after
/// a suspension (`kill -TSTP`, then `fg`).
pub fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    // Cleared with crossterm, not `Terminal::clear`, which asks the terminal
    // for the cursor position and fails where no answer comes (some remote
    // and test terminals). Nothing here waits on a terminal's reply.
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        Clear(ClearType::All)
    )
}

/// Whether the terminal has gone (hung up): its settings can no longer
/// be read.
pub fn gone() -> bool {
    gone_at(libc::STDIN_FILENO)
}

/// Whether the terminal open as `fd` has hung up.
fn gone_at(fd: libc::c_int) -> bool {
    // SAFETY: tcgetattr only fills the struct it is given.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        libc::tcgetattr(fd, &mut t) != 0
    }
}

/// Undoes everything `setup` did. Safe to call more than once.
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Gives the terminal back to the shell and stops gloss, as Ctrl-Z does
/// to a program that does not take over the terminal; `enter` again when
/// it is continued.
pub fn suspend() {
    restore();
    // SAFETY: raising a signal at ourselves; SIGSTOP cannot be caught.
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
}

/// Writes `report` to a new file in a folder of its own under the temp
/// folder: created exclusively (never through a link someone planted, never
/// over a file), readable by the user alone.
fn write_crash_report(report: &str) -> Option<PathBuf> {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::Builder::new()
        .prefix("gloss-crash-")
        .permissions(std::fs::Permissions::from_mode(0o700))
        .tempdir()
        .ok()?
        .keep();
    let path = dir.join("report.txt");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)
        .ok()?;
    f.write_all(report.as_bytes()).ok()?;
    Some(path)
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        let report = format!(
            "gloss {} crashed.\n{info}\n\nBacktrace:\n{}\n",
            env!("CARGO_PKG_VERSION"),
            std::backtrace::Backtrace::force_capture()
        );
        let saved = write_crash_report(&report);
        // Not `eprintln!`: it panics when standard error is gone (a hung-up
        // terminal), and a panic in the panic hook aborts.
        let _ = writeln!(
            io::stderr(),
            "gloss crashed: {info}\nEvery change shown as saved is in its sidecar.{}",
            match saved {
                Some(path) => format!(" A crash report is in {}", path.display()),
                None => String::new(),
            }
        );
        let _ = &previous;
    }));
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_terminal_whose_other_end_closed_is_gone() {
        let (mut master, mut slave) = (0, 0);
        // SAFETY: openpty fills the two descriptors; they are closed here.
        unsafe {
            let r = libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            );
            assert_eq!(r, 0, "openpty");
            assert!(!super::gone_at(slave), "an open terminal");
            libc::close(master);
            assert!(super::gone_at(slave), "its other end closed: hung up");
            libc::close(slave);
        }
    }
}
