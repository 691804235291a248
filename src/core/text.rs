//! The article text: an immutable string with its line table, grapheme
//! boundaries, and the one place where byte offsets (used everywhere inside
//! gloss) are converted to and from Unicode code point offsets (used in
//! sidecars and exports, as Python counts them).

use std::ops::Range;

use unicode_segmentation::GraphemeCursor;

/// A code point checkpoint every this many characters keeps conversions
/// O(CHECKPOINT) with a table 1/8 the size of the text at most.
const CHECKPOINT: usize = 64;

/// Whether `b` starts a UTF-8 character (is not a continuation byte).
fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

#[derive(Debug, Clone)]
pub struct Text {
    s: String,
    /// Byte offset where each line starts. A line is the text up to, not
    /// including, its terminator (`\n` or `\r\n`). A final `\n` does not open
    /// an empty last line, as in `less` and most editors.
    line_starts: Vec<usize>,
    /// `char_checkpoints[i]` is the byte offset of code point `i * CHECKPOINT`.
    char_checkpoints: Vec<usize>,
    char_len: usize,
    /// SHA-256 of the bytes, computed on first use.
    fingerprint: std::sync::OnceLock<String>,
}

impl Text {
    pub fn new(s: String) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in s.bytes().enumerate() {
            if b == b'\n' && i + 1 < s.len() {
                line_starts.push(i + 1);
            }
        }
        let mut char_checkpoints = Vec::with_capacity(s.len() / CHECKPOINT + 1);
        let mut char_len = 0;
        for (byte, &b) in s.as_bytes().iter().enumerate() {
            if starts_char(b) {
                if char_len % CHECKPOINT == 0 {
                    char_checkpoints.push(byte);
                }
                char_len += 1;
            }
        }
        Text {
            s,
            line_starts,
            char_checkpoints,
            char_len,
            fingerprint: std::sync::OnceLock::new(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.s
    }

    /// `sha256:` and the hex SHA-256 of the text's bytes, as sidecars and
    /// exports name an article's version.
    pub fn fingerprint(&self) -> &str {
        self.fingerprint
            .get_or_init(|| super::sidecar::fingerprint(self.s.as_bytes()))
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.s.len()
    }

    pub fn is_empty(&self) -> bool {
        self.s.is_empty()
    }

    /// Length in Unicode code points.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    pub fn slice(&self, r: Range<usize>) -> &str {
        &self.s[r]
    }

    // ---- lines ----

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The line holding byte offset `pos` (a terminator belongs to its line).
    pub fn line_of(&self, pos: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= pos) - 1
    }

    /// Byte range of line `i`'s content, without its terminator.
    pub fn line_range(&self, i: usize) -> Range<usize> {
        let start = self.line_starts[i];
        let mut end = self.line_starts.get(i + 1).copied().unwrap_or(self.s.len());
        let b = self.s.as_bytes();
        if end > start && b[end - 1] == b'\n' {
            end -= 1;
            if end > start && b[end - 1] == b'\r' {
                end -= 1;
            }
        }
        start..end
    }

    /// Byte offset just past line `i`'s terminator (or the end of the text).
    pub fn line_end_with_terminator(&self, i: usize) -> usize {
        self.line_starts.get(i + 1).copied().unwrap_or(self.s.len())
    }

    pub fn line_str(&self, i: usize) -> &str {
        &self.s[self.line_range(i)]
    }

    /// Whether line `i` is blank (only spaces and tabs, or nothing).
    pub fn line_is_blank(&self, i: usize) -> bool {
        self.line_str(i).chars().all(|c| c == ' ' || c == '\t')
    }

    // ---- graphemes ----

    pub fn is_grapheme_boundary(&self, pos: usize) -> bool {
        if pos > self.s.len() || !self.s.is_char_boundary(pos) {
            return false;
        }
        GraphemeCursor::new(pos, self.s.len(), true)
            .is_boundary(&self.s, 0)
            .unwrap_or(false)
    }

    /// The next grapheme boundary strictly after `pos` (or the text's end).
    pub fn next_boundary(&self, pos: usize) -> usize {
        if pos >= self.s.len() {
            return self.s.len();
        }
        let pos = self.floor_char(pos);
        GraphemeCursor::new(pos, self.s.len(), true)
            .next_boundary(&self.s, 0)
            .ok()
            .flatten()
            .unwrap_or(self.s.len())
    }

    /// The previous grapheme boundary strictly before `pos` (or 0).
    pub fn prev_boundary(&self, pos: usize) -> usize {
        if pos == 0 {
            return 0;
        }
        let pos = self.floor_char(pos.min(self.s.len()));
        GraphemeCursor::new(pos, self.s.len(), true)
            .prev_boundary(&self.s, 0)
            .ok()
            .flatten()
            .unwrap_or(0)
    }

    /// The start of the grapheme cluster holding `pos`.
    pub fn floor_boundary(&self, pos: usize) -> usize {
        let pos = pos.min(self.s.len());
        if self.is_grapheme_boundary(pos) {
            pos
        } else {
            self.prev_boundary(pos)
        }
    }

    /// The nearest grapheme boundary at or after `pos`.
    pub fn ceil_boundary(&self, pos: usize) -> usize {
        let pos = pos.min(self.s.len());
        if self.is_grapheme_boundary(pos) {
            pos
        } else {
            self.next_boundary(pos)
        }
    }

    fn floor_char(&self, mut pos: usize) -> usize {
        while !self.s.is_char_boundary(pos) {
            pos -= 1;
        }
        pos
    }

    /// The last position the cursor may take: the start of the last grapheme.
    pub fn last_cursor_pos(&self) -> usize {
        self.prev_boundary(self.s.len())
    }

    /// The grapheme starting at `pos` (empty at the end of the text).
    pub fn grapheme_at(&self, pos: usize) -> &str {
        &self.s[pos..self.next_boundary(pos)]
    }

    // ---- code points: the only conversion between the two index spaces ----

    /// Code point offset of byte offset `byte` (which must be a char boundary).
    pub fn byte_to_char(&self, byte: usize) -> usize {
        let byte = self.floor_char(byte.min(self.s.len()));
        let k = self.char_checkpoints.partition_point(|&b| b <= byte);
        if k == 0 {
            return 0;
        }
        let base = self.char_checkpoints[k - 1];
        let rest = self.s.as_bytes()[base..byte]
            .iter()
            .filter(|&&b| starts_char(b))
            .count();
        (k - 1) * CHECKPOINT + rest
    }

    /// Byte offset of code point offset `ch`, or `None` past the end.
    pub fn char_to_byte(&self, ch: usize) -> Option<usize> {
        if ch == self.char_len {
            return Some(self.s.len());
        }
        if ch > self.char_len {
            return None;
        }
        let base = self.char_checkpoints[ch / CHECKPOINT];
        let mut rest = ch % CHECKPOINT;
        for (i, &b) in self.s.as_bytes()[base..].iter().enumerate() {
            if starts_char(b) {
                if rest == 0 {
                    return Some(base + i);
                }
                rest -= 1;
            }
        }
        None
    }

    /// Byte range for a code point range, if it lies within the text.
    pub fn char_range_to_bytes(&self, r: Range<usize>) -> Option<Range<usize>> {
        if r.start > r.end {
            return None;
        }
        Some(self.char_to_byte(r.start)?..self.char_to_byte(r.end)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_terminators() {
        let t = Text::new("ab\r\ncd\n\nef\n".into());
        assert_eq!(t.line_count(), 4);
        assert_eq!(t.line_str(0), "ab");
        assert_eq!(t.line_str(1), "cd");
        assert_eq!(t.line_str(2), "");
        assert_eq!(t.line_str(3), "ef");
        assert_eq!(t.line_of(2), 0); // the \r of the CRLF
        assert_eq!(t.line_of(3), 0);
        assert_eq!(t.line_of(4), 1);
        assert_eq!(t.line_of(t.len() - 1), 3);
        let empty = Text::new(String::new());
        assert_eq!(empty.line_count(), 1);
        assert_eq!(empty.line_range(0), 0..0);
    }

    #[test]
    fn crlf_is_one_grapheme() {
        let t = Text::new("a\r\nb".into());
        assert_eq!(t.next_boundary(1), 3);
        assert!(!t.is_grapheme_boundary(2));
        assert_eq!(t.floor_boundary(2), 1);
    }

    #[test]
    fn code_points_round_trip_across_checkpoints() {
        let s: String = "é漢👍🏽a".repeat(900);
        let t = Text::new(s.clone());
        assert_eq!(t.char_len(), s.chars().count());
        for (ci, (bi, _)) in s.char_indices().enumerate() {
            assert_eq!(t.byte_to_char(bi), ci);
            assert_eq!(t.char_to_byte(ci), Some(bi));
        }
        assert_eq!(t.char_to_byte(t.char_len()), Some(s.len()));
        assert_eq!(t.char_to_byte(t.char_len() + 1), None);
    }

    #[test]
    fn boundaries_respect_clusters() {
        let t = Text::new("e\u{301}👨‍👩‍👧क्षि".into());
        let mut b = vec![0];
        let mut p = 0;
        while p < t.len() {
            p = t.next_boundary(p);
            b.push(p);
        }
        assert_eq!(b.len(), 4, "{b:?}");
        assert_eq!(t.prev_boundary(t.len()), b[2]);
        assert_eq!(t.last_cursor_pos(), b[2]);
    }
}
