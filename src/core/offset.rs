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

/// An offset as a file counts it: code points, unless the user asked for
/// UTF-16 units (`--offsets utf16`). What exporters write; converted from
/// a `CharPos` by `Utf16Index::to_unit` only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct UnitPos(pub usize);

impl fmt::Display for UnitPos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The unit another tool counts offsets in. gloss stores code points;
/// doccano's web interface, Label Studio, WebAnno TSV and Hypothesis count
/// UTF-16 code units (JavaScript's and Java's string length), which differ
/// once a character lies beyond U+FFFF (an emoji, a rare CJK ideograph).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Unit {
    /// Unicode code points, as Python counts (`text[start:end]`)
    #[default]
    Codepoints,
    /// UTF-16 code units, as JavaScript and Java count
    Utf16,
}

impl Unit {
    pub fn name(self) -> &'static str {
        match self {
            Unit::Codepoints => "code points",
            Unit::Utf16 => "UTF-16 code units",
        }
    }
}

/// Converts code point offsets of one string to and from UTF-16 code
/// units: only the characters beyond U+FFFF (two units each) are kept, so
/// text without any costs nothing.
#[derive(Debug, Clone, Default)]
pub struct Utf16Index {
    /// Code point offset of each character beyond U+FFFF, in order.
    astral: Vec<usize>,
}

impl Utf16Index {
    pub fn new(s: &str) -> Utf16Index {
        Utf16Index {
            astral: s
                .chars()
                .enumerate()
                .filter(|(_, c)| c.len_utf16() == 2)
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// Whether the two units count alike everywhere in the string.
    pub fn is_trivial(&self) -> bool {
        self.astral.is_empty()
    }

    /// The UTF-16 offset of code point offset `ch`.
    pub fn to_utf16(&self, ch: CharPos) -> usize {
        ch.0 + self.astral.partition_point(|&a| a < ch.0)
    }

    /// The code point offset of UTF-16 offset `u`, or `None` when `u`
    /// falls between the two halves of a surrogate pair.
    pub fn from_utf16(&self, u: usize) -> Option<CharPos> {
        // The i-th astral character starts at UTF-16 offset astral[i] + i,
        // which grows with i: count those that start before `u`.
        let (mut lo, mut hi) = (0, self.astral.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.astral[mid] + mid < u {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let k = lo;
        if k > 0 && self.astral[k - 1] + (k - 1) + 1 == u {
            return None;
        }
        Some(CharPos(u - k))
    }

    /// Offset `n` in `unit` as a code point offset.
    pub fn from_unit(&self, unit: Unit, n: usize) -> Option<CharPos> {
        match unit {
            Unit::Codepoints => Some(CharPos(n)),
            Unit::Utf16 => self.from_utf16(n),
        }
    }

    /// Code point offset `ch` in `unit`.
    pub fn to_unit(&self, unit: Unit, ch: CharPos) -> usize {
        match unit {
            Unit::Codepoints => ch.0,
            Unit::Utf16 => self.to_utf16(ch),
        }
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

    #[test]
    fn utf16_units_count_astral_characters_twice() {
        let s = "a👍🏽b😀";
        let u = Utf16Index::new(s);
        // Python: a=0, 👍=1, 🏽=2, b=3, 😀=4; JavaScript: a=0, 👍=1..3, 🏽=3..5, b=5, 😀=6..8.
        assert_eq!(
            (0..=5).map(|c| u.to_utf16(CharPos(c))).collect::<Vec<_>>(),
            [0, 1, 3, 5, 6, 8]
        );
        assert_eq!(u.from_utf16(5), Some(CharPos(3)));
        assert_eq!(u.from_utf16(2), None, "inside 👍's surrogate pair");
        assert_eq!(u.from_utf16(7), None, "inside 😀's");
        assert_eq!(u.from_utf16(8), Some(CharPos(5)));
        assert!(Utf16Index::new("漢字 é").is_trivial());
    }

    proptest! {
        /// Against `char::len_utf16`: each code point offset maps to the
        /// units before it and back.
        #[test]
        fn utf16_offsets_agree_with_encode_utf16(s in "(a|é|漢|👍🏽|😀|\n){0,200}") {
            let u = Utf16Index::new(&s);
            let mut units = 0;
            for (n, c) in s.chars().chain(std::iter::once('\0')).enumerate() {
                prop_assert_eq!(u.to_utf16(CharPos(n)), units);
                prop_assert_eq!(u.from_utf16(units), Some(CharPos(n)));
                if c.len_utf16() == 2 {
                    prop_assert_eq!(u.from_utf16(units + 1), None);
                }
                units += c.len_utf16();
            }
        }

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
