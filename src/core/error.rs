//! The error every file format of gloss reports: a message and its line.

/// A problem in a file gloss reads, with the 1-based line it is on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl LineError {
    /// The error for the TOML parser's `e` on `src`.
    pub fn from_toml(src: &str, e: &toml::de::Error) -> Self {
        LineError {
            line: e.span().map_or(1, |s| line_at(src, s.start)),
            message: e.message().trim().to_string(),
        }
    }
}

/// The 1-based line holding byte `byte` of `src`.
pub fn line_at(src: &str, byte: usize) -> usize {
    src.as_bytes()[..byte.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Line numbers of many places in one text, each found by binary search
/// (`line_at` scans from the start each time: quadratic over a file).
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn new(src: &str) -> Self {
        Lines(memchr::memchr_iter(b'\n', src.as_bytes()).collect())
    }

    /// The 1-based line holding byte `byte`.
    pub fn at(&self, byte: usize) -> usize {
        self.0.partition_point(|&nl| nl < byte) + 1
    }
}
