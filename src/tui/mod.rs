//! The terminal interface: state and update (`app`), drawing (`view`), keys
//! (`keymap`, `action`) and the terminal itself; the I/O thread it talks
//! to is `crate::session::worker`.

pub mod action;
pub mod app;
pub mod cells;
pub mod components;
pub mod keymap;
pub mod panes;
pub mod terminal;
pub mod theme;
pub mod view;

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Instant;

use crossterm::event;
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
use signal_hook::iterator::Signals;

use crate::core::corpus::Entry;
use crate::core::labels::Schema;
use crate::session::pace::Pace;
use app::{App, Event, Settings};

/// A key that makes gloss panic, for the test that proves a panic restores
/// the terminal and leaves a crash report: `GLOSS_TEST_PANIC_ON_KEY=!`.
/// Only in the debug builds the tests run: a release build has no such
/// switch for anyone to set.
#[cfg(debug_assertions)]
fn injected_panic_key() -> Option<char> {
    std::env::var("GLOSS_TEST_PANIC_ON_KEY")
        .ok()
        .and_then(|s| s.chars().next())
}

#[cfg(not(debug_assertions))]
fn injected_panic_key() -> Option<char> {
    None
}

/// Handles a stop from outside (`kill -TSTP`; Ctrl-Z is a key in raw
/// mode): the shell gets a sane terminal back, and `fg` gets a full
/// redraw. SIGCONT alone comes after a SIGSTOP, which cannot be caught.
/// Returns whether `ev` was such a signal.
fn stop_or_continue(ev: &Event, term: &mut terminal::Term) -> std::io::Result<bool> {
    match ev {
        Event::Signal(sig) if *sig == SIGTSTP || *sig == SIGCONT => {
            if *sig == SIGTSTP {
                terminal::suspend();
            }
            terminal::enter()?;
            // The screen was cleared by `enter`; both of ratatui's buffers
            // are emptied so the next draw sends every cell. Not
            // `Terminal::clear`: it asks the terminal where its cursor is,
            // and some terminals never answer.
            term.swap_buffers();
            term.swap_buffers();
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// How often an idle interface checks that its terminal is still there.
const TTY_CHECK: std::time::Duration = std::time::Duration::from_secs(1);

/// How the interface ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Quit,
    /// A signal asked gloss to stop (its number).
    Signal(i32),
}

/// Runs the interface until the user quits or a signal ends it. Pending
/// saves finish before it returns, and the terminal is restored on every
/// path (a failed draw included).
pub fn run(
    settings: Settings,
    schema: Schema,
    schema_on_disk: bool,
    schema_problem: Option<String>,
    entries: Vec<Entry>,
) -> anyhow::Result<Ending> {
    // Before the terminal is touched: a signal arriving during setup is
    // then still seen, and handled like any other event.
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGCONT])?;
    let signal_handle = signals.handle();
    // Reading and searching (the I/O thread, the corpus jobs, rayon's
    // pool they share) run a little below the interface: on two cores a
    // 50 MB article read on both would otherwise hold the terminal and the
    // drawing thread off the CPU for its first tens of milliseconds.
    let _ = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("gloss-work-{i}"))
        .start_handler(|_| crate::session::priority::lower())
        .build_global();
    let (mut term, guard) = terminal::setup()?;
    let size = term.size()?;
    let (tx, rx) = mpsc::channel::<Event>();
    let (req_tx, req_rx) = mpsc::channel();
    // Keys and frames mark the interface busy; a large article being read
    // gives way for a moment after each.
    let pace = Arc::new(Pace::default());
    let worker = crate::session::worker::spawn(req_rx, tx.clone(), Event::Io, pace.clone());
    let stx = tx.clone();
    let input_pace = pace.clone();
    std::thread::Builder::new()
        .name("gloss-input".into())
        .spawn(move || {
            while let Ok(ev) = event::read() {
                input_pace.touch();
                if tx.send(Event::Term(ev)).is_err() {
                    break;
                }
            }
        })?;
    std::thread::Builder::new()
        .name("gloss-signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                if stx.send(Event::Signal(sig)).is_err() {
                    break;
                }
            }
        })?;
    let mut app = App::new(
        settings,
        schema,
        schema_on_disk,
        schema_problem,
        entries,
        (size.width, size.height),
    );
    // The ends of the article opened first, read here before the first
    // frame: a large one shows at once, and a `G` typed at launch lands on
    // its end, without waiting for the I/O thread's first turn (which a
    // loaded machine can delay by tens of milliseconds).
    if let Some(idx) = app.loading
        && let Some(g) = app
            .list
            .entries
            .get(idx)
            .and_then(|e| crate::core::article::glimpse(&e.path))
    {
        app.update(Event::Io(crate::session::worker::Reply::Glimpse {
            idx,
            glimpse: Box::new(g),
        }));
    }
    let mut failed = None;
    let panic_on = injected_panic_key();
    'run: loop {
        for r in app.outbox.drain(..) {
            let _ = req_tx.send(r);
        }
        if app.quit {
            break;
        }
        // A hung-up terminal fails here: stop, but still let saves finish.
        if let Err(e) = term.draw(|f| view::draw(&app, f)) {
            failed = Some(e);
            break;
        }
        pace.touch();
        // Woken when a retry is due, and at least every `TTY_CHECK` to see
        // that the terminal is still there: a hang-up whose SIGHUP never
        // reaches gloss (a tracer or wrapper in between) would otherwise
        // leave it running for ever, its input thread spinning on the
        // closed terminal inside crossterm.
        let check = Instant::now() + TTY_CHECK;
        let at = app.wake_at().map_or(check, |at| at.min(check));
        let ev = match rx.recv_timeout(at.saturating_duration_since(Instant::now())) {
            Ok(ev) => ev,
            Err(RecvTimeoutError::Timeout) if terminal::gone() => Event::Signal(SIGHUP),
            Err(RecvTimeoutError::Timeout)
                if app.wake_at().is_some_and(|w| w <= Instant::now()) =>
            {
                Event::Tick
            }
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        // Stopped from outside (`kill -TSTP`; Ctrl-Z is a key in raw mode):
        // the shell gets a sane terminal back, and `fg` gets a full redraw.
        // SIGCONT alone comes after a SIGSTOP, which cannot be caught.
        match stop_or_continue(&ev, &mut term) {
            Ok(true) => continue,
            Ok(false) => {}
            // The terminal is gone (a hang-up sends SIGCONT after SIGHUP):
            // end as after a failed draw, saves finished.
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
        if let (Some(c), Event::Term(event::Event::Key(k))) = (panic_on, &ev)
            && k.code == event::KeyCode::Char(c)
        {
            panic!("injected panic (GLOSS_TEST_PANIC_ON_KEY={c})");
        }
        app.update(ev);
        if app.quit {
            break;
        }
        // Take a burst of events (a paste, a held key, a resize storm) in
        // one go and draw once after it.
        while let Ok(ev) = rx.try_recv() {
            match stop_or_continue(&ev, &mut term) {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => {
                    failed = Some(e);
                    break 'run;
                }
            }
            app.update(ev);
            for r in app.outbox.drain(..) {
                let _ = req_tx.send(r);
            }
            if app.quit {
                break 'run;
            }
        }
    }
    for r in app.outbox.drain(..) {
        let _ = req_tx.send(r);
    }
    drop(req_tx);
    if app.saves_unanswered() {
        let _ = worker.join();
    }
    signal_handle.close();
    // ratatui's Terminal shows the cursor when dropped and, if it cannot
    // (the terminal hung up), reports that with `eprintln!`, which panics
    // when standard error is gone too: the panic hook then symbolised a
    // backtrace (half a second of CPU under RUST_BACKTRACE) and wrote a
    // crash report for every SIGHUP. Show it here, and never drop it: the
    // process ends next, and there is nothing in it to free before.
    let _ = term.show_cursor();
    std::mem::forget(term);
    drop(guard);
    match (failed, app.signalled) {
        (_, Some(sig)) => Ok(Ending::Signal(sig)),
        (Some(e), None) => Err(e.into()),
        (None, None) => Ok(Ending::Quit),
    }
}
