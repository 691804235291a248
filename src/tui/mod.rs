//! The terminal interface: state and update (`app`), drawing (`view`), keys
//! (`keymap`, `action`), the I/O thread (`worker`) and the terminal itself.

pub mod action;
pub mod app;
pub mod keymap;
pub mod panes;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod worker;

use std::sync::mpsc;

use crossterm::event;

use crate::core::corpus::Entry;
use crate::core::labels::Schema;
use app::{App, Event, Settings};

/// Runs the interface until the user quits. Pending saves finish before it
/// returns.
pub fn run(
    settings: Settings,
    schema: Schema,
    schema_on_disk: bool,
    schema_problem: Option<String>,
    entries: Vec<Entry>,
) -> anyhow::Result<()> {
    let (mut term, guard) = terminal::setup()?;
    let size = term.size()?;
    let (tx, rx) = mpsc::channel::<Event>();
    let (req_tx, req_rx) = mpsc::channel();
    let worker = worker::spawn(req_rx, tx.clone(), Event::Io);
    std::thread::Builder::new()
        .name("gloss-input".into())
        .spawn(move || {
            while let Ok(ev) = event::read() {
                if tx.send(Event::Term(ev)).is_err() {
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
    'run: loop {
        for r in app.outbox.drain(..) {
            let _ = req_tx.send(r);
        }
        if app.quit {
            break;
        }
        term.draw(|f| view::draw(&app, f))?;
        let Ok(ev) = rx.recv() else { break };
        app.update(ev);
        // Take a burst of events (a paste, a held key, a resize storm) in
        // one go and draw once after it.
        while let Ok(ev) = rx.try_recv() {
            app.update(ev);
            for r in app.outbox.drain(..) {
                let _ = req_tx.send(r);
            }
            if app.quit {
                break 'run;
            }
        }
    }
    drop(req_tx);
    let _ = worker.join();
    drop(guard);
    Ok(())
}
