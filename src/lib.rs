//! gloss: a terminal reader and annotator for text corpora.
//!
//! `core` holds everything that knows no terminal (text, layout,
//! annotations, sidecars); `session` the I/O thread between the files and
//! the interface; `tui` draws it and takes keys.

pub mod cli;
pub mod commands;
pub mod core;
pub mod formats;
pub mod session;
pub mod suggest;
pub mod tui;
