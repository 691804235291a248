//! The I/O thread: reads articles and sidecars and writes sidecars, so that
//! the interface never waits on the disk. Requests come in on a channel,
//! results go back as events. Saves to one file are coalesced (only the
//! newest matters) and take priority over filling in the article list.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;

use crate::core::article::{self, Health, Opened};
use crate::core::corpus::{self, Entry};
use crate::core::save::write_atomic;
use crate::core::sidecar::fingerprint;

#[derive(Debug)]
pub enum Request {
    Open {
        idx: usize,
        entry: Entry,
        sidecar: Option<PathBuf>,
    },
    /// Titles, health and counts for the list, filled in progressively.
    Summaries(Vec<(usize, Entry, Option<PathBuf>)>),
    Save {
        path: PathBuf,
        content: String,
        generation: u64,
    },
    SaveSchema {
        path: PathBuf,
        content: String,
    },
}

#[derive(Debug)]
pub enum Reply {
    Opened {
        idx: usize,
        opened: Box<Opened>,
    },
    Summary {
        idx: usize,
        title: String,
        health: Health,
        count: usize,
    },
    Saved {
        path: PathBuf,
        generation: u64,
    },
    SaveFailed {
        path: PathBuf,
        generation: u64,
        message: String,
    },
    SchemaSaved,
    SchemaFailed(String),
}

struct Worker<T> {
    rx: Receiver<Request>,
    tx: Sender<T>,
    wrap: fn(Reply) -> T,
    /// Fingerprint of each sidecar as last read or written by us (`None`:
    /// it did not exist). A file on disk that differs was changed by
    /// someone else, and is not overwritten.
    known: HashMap<PathBuf, Option<String>>,
    summaries: VecDeque<(usize, Entry, Option<PathBuf>)>,
    saves: Vec<(PathBuf, String, u64)>,
}

/// Starts the worker; `wrap` turns its replies into the caller's events.
pub fn spawn<T: Send + 'static>(
    rx: Receiver<Request>,
    tx: Sender<T>,
    wrap: fn(Reply) -> T,
) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("gloss-io".into())
        .spawn(move || {
            Worker {
                rx,
                tx,
                wrap,
                known: HashMap::new(),
                summaries: VecDeque::new(),
                saves: vec![],
            }
            .run()
        })
        .expect("cannot start the I/O thread")
}

impl<T> Worker<T> {
    fn send(&self, r: Reply) -> bool {
        self.tx.send((self.wrap)(r)).is_ok()
    }

    fn run(mut self) {
        loop {
            // Take everything waiting, then do the urgent part of it.
            let mut closed = false;
            loop {
                match self.rx.try_recv() {
                    Ok(req) => self.accept(req),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        closed = true;
                        break;
                    }
                }
            }
            self.flush_saves();
            if closed {
                return;
            }
            if let Some((idx, entry, sidecar)) = self.summaries.pop_front() {
                let title = corpus::read_title(&entry);
                let (health, count) = article::summary(&entry, sidecar.as_deref());
                if !self.send(Reply::Summary {
                    idx,
                    title,
                    health,
                    count,
                }) {
                    return;
                }
                continue;
            }
            match self.rx.recv() {
                Ok(req) => self.accept(req),
                Err(_) => {
                    self.flush_saves();
                    return;
                }
            }
        }
    }

    fn accept(&mut self, req: Request) {
        match req {
            Request::Open {
                idx,
                entry,
                sidecar,
            } => {
                // Pending writes first, so a reopened article sees them.
                self.flush_saves();
                let opened = article::open(&entry, sidecar.as_deref());
                if let Some(p) = &sidecar {
                    self.known
                        .insert(p.clone(), opened.sidecar_fingerprint.clone());
                }
                self.send(Reply::Opened {
                    idx,
                    opened: Box::new(opened),
                });
            }
            Request::Summaries(list) => self.summaries.extend(list),
            Request::Save {
                path,
                content,
                generation,
            } => {
                self.saves.retain(|(p, _, _)| *p != path);
                self.saves.push((path, content, generation));
            }
            Request::SaveSchema { path, content } => {
                let r = write_atomic(&path, content.as_bytes());
                self.send(match r {
                    Ok(()) => Reply::SchemaSaved,
                    Err(e) => Reply::SchemaFailed(format!("{}: {e}", path.display())),
                });
            }
        }
    }

    fn flush_saves(&mut self) {
        for (path, content, generation) in std::mem::take(&mut self.saves) {
            let reply = match self.save(&path, &content) {
                Ok(()) => Reply::Saved { path, generation },
                Err(message) => Reply::SaveFailed {
                    path,
                    generation,
                    message,
                },
            };
            self.send(reply);
        }
    }

    fn save(&mut self, path: &PathBuf, content: &str) -> Result<(), String> {
        let on_disk = match std::fs::read(path) {
            Ok(b) => Some(fingerprint(&b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(format!(
                    "{}: cannot read before writing: {e}",
                    path.display()
                ));
            }
        };
        if let Some(expected) = self.known.get(path)
            && *expected != on_disk
        {
            return Err(format!(
                "{} was changed on disk by someone else; not overwritten. Your change is kept here: quit and merge, or move that file away",
                path.display()
            ));
        }
        write_atomic(path, content.as_bytes()).map_err(|e| {
            format!("{}: cannot write: {e}; the change is kept in memory and retried on the next change", path.display())
        })?;
        self.known
            .insert(path.clone(), Some(fingerprint(content.as_bytes())));
        Ok(())
    }
}
