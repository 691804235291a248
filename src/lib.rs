//! gloss: a terminal reader and annotator for text corpora.
//!
//! `core` holds everything that knows no terminal (text, layout,
//! annotations, sidecars); `tui` draws it and takes keys.

pub mod cli;
pub mod commands;
pub mod core;
pub mod formats;
pub mod tui;
