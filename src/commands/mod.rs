//! Subcommands that run without the interface: the I/O around the pure
//! formats in `crate::formats`.

pub mod check;
pub mod export;
pub mod grep;
pub mod import;
pub mod stats;
pub mod suggest;
