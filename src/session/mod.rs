//! What stands between an article's files and whoever shows them, with no
//! terminal code: the I/O thread that reads articles and sidecars and
//! writes sidecars under the writers' lock (`worker`). The interface sends
//! it requests and gets replies back as events.

pub mod background;
pub mod document;
pub mod pace;
pub mod priority;
pub mod worker;
