//! The two units a position in an article can be in, and the one place
//! that converts between them.
//!
//! Inside, gloss works in bytes of the UTF-8 text (`BytePos`): what `str`
//! slices take, what layout, motions and the annotation store use. What it
//! stores and exports is code points (`CharPos`): what a sidecar, a JSON
//! Lines file or brat's `.ann` hold, so that in Python
//! `text[start:end] == quote`. The two are different types, so mixing
//! them does not compile; `CharIndex` is the only code that turns one into
//! the other (`Text` holds one; importers build one for the text a file
//! brings).

use std::fmt;
use std::ops::Range;

/// A byte offset into an article's UTF-8 text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BytePos(pub usize);

/// A code point offset into an article's text, as sidecars and exports
/// hold it (a plain number in every file format).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct CharPos(pub usize);

impl BytePos {
    pub fn get(self) -> usize {
        self.0
    }
}

/// The bytes between two positions.
impl std::ops::Sub for BytePos {
    type Output = usize;
    fn sub(self, rhs: BytePos) -> usize {
        self.0 - rhs.0
    }
}

impl CharPos {
    pub fn get(self) -> usize {
        self.0
    }

    /// How many code points lie between `self` and `other`.
    pub fn abs_diff(self, other: CharPos) -> usize {
        self.0.abs_diff(other.0)
    }
}

impl fmt::Display for CharPos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for BytePos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A code point range as plain numbers, for messages: `3..7`.
pub fn show(r: &Range<CharPos>) -> String {
    format!("{}..{}", r.start, r.end)
}

/// An index every `BLOCK` bytes makes a conversion cost at most one block's
/// scan, whatever the text's size.
const BLOCK: usize = 4096;

fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

/// Converts positions in one string between bytes and code points.
#[derive(Debug, Clone, Default)]
pub struct CharIndex {
    /// `before[k]`: code points before byte `k * BLOCK`.
    before: Vec<usize>,
    len: usize,
}

impl CharIndex {
    /// The index of `s` (one pass over its bytes).
    pub fn new(s: &str) -> CharIndex {
        let bytes = s.as_bytes();
        let mut before = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut n = 0;
        for chunk in bytes.chunks(BLOCK) {
            before.push(n);
            n += bytecount::num_chars(chunk);
        }
        CharIndex { before, len: n }
    }

    /// How many code points the string has.
    pub fn char_len(&self) -> usize {
        self.len
    }

    /// The code point offset of byte offset `byte` in `s` (a char boundary,
    /// or the char holding it).
    pub fn to_char(&self, s: &str, byte: BytePos) -> CharPos {
        let mut b = byte.0.min(s.len());
        while !s.is_char_boundary(b) {
            b -= 1;
        }
        let k = b / BLOCK;
        if k >= self.before.len() {
            return CharPos(self.len);
        }
        CharPos(self.before[k] + bytecount::num_chars(&s.as_bytes()[k * BLOCK..b]))
    }

    /// The byte offset of code point offset `ch` in `s`, or `None` past
    /// its end.
    pub fn to_byte(&self, s: &str, ch: CharPos) -> Option<BytePos> {
        let ch = ch.0;
        if ch == self.len {
            return Some(BytePos(s.len()));
        }
        if ch > self.len {
            return None;
        }
        let k = self.before.partition_point(|&c| c <= ch) - 1;
        let mut n = self.before[k];
        for (i, &b) in s.as_bytes()[k * BLOCK..].iter().enumerate() {
            if starts_char(b) {
                if n == ch {
                    return Some(BytePos(k * BLOCK + i));
                }
                n += 1;
            }
        }
        None
    }

    /// The byte range of code point range `r` in `s`, if it lies within it
    /// and does not run backwards.
    pub fn to_bytes(&self, s: &str, r: Range<CharPos>) -> Option<Range<usize>> {
        if r.start > r.end {
            return None;
        }
        Some(self.to_byte(s, r.start)?.0..self.to_byte(s, r.end)?.0)
    }

    /// The code point range of byte range `r` in `s`.
    pub fn to_chars(&self, s: &str, r: Range<usize>) -> Range<CharPos> {
        self.to_char(s, BytePos(r.start))..self.to_char(s, BytePos(r.end))
    }
}

/// The text of `s` between code point offsets `r`, if in range: for a
/// string met once (an import file's own copy of the text, a fragment of a
/// brat span), without keeping an index.
pub fn char_slice(s: &str, r: Range<CharPos>) -> Option<&str> {
    CharIndex::new(s).to_bytes(s, r).map(|b| &s[b])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn char_slices_count_code_points() {
        let t = "a漢👍🏽b";
        let c = |a: usize, b: usize| char_slice(t, CharPos(a)..CharPos(b));
        assert_eq!(c(1, 2), Some("漢"));
        assert_eq!(c(2, 4), Some("👍🏽"));
        assert_eq!(c(5, 5), Some(""));
        assert_eq!(c(0, 5), Some(t));
        assert_eq!(c(4, 6), None);
        assert_eq!(c(3, 2), None);
    }

    proptest! {
        /// Against the standard library's own count, on text long enough
        /// to cross index blocks: every char boundary maps to the number of
        /// chars before it and back.
        #[test]
        fn conversions_agree_with_char_indices(s in "(a|é|漢|👍🏽|\n){0,3000}") {
            let idx = CharIndex::new(&s);
            prop_assert_eq!(idx.char_len(), s.chars().count());
            for (n, (b, _)) in s.char_indices().enumerate().step_by(7) {
                prop_assert_eq!(idx.to_char(&s, BytePos(b)), CharPos(n));
                prop_assert_eq!(idx.to_byte(&s, CharPos(n)), Some(BytePos(b)));
            }
            prop_assert_eq!(idx.to_byte(&s, CharPos(idx.char_len())), Some(BytePos(s.len())));
            prop_assert_eq!(idx.to_byte(&s, CharPos(idx.char_len() + 1)), None);
        }
    }
}
