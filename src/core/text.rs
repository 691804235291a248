//! The article text: an immutable string with its line table, grapheme
//! boundaries, and the one place where byte offsets (used everywhere inside
//! gloss) are converted to and from Unicode code point offsets (used in
//! sidecars and exports, as Python counts them).

use std::ops::Range;

use super::offset::{BytePos, CharIndex, CharPos};

use unicode_segmentation::GraphemeCursor;

/// Lines longer than this are laid out and segmented in pieces of at most
/// this many bytes ("blocks"), so that one huge line costs what one screen
/// costs. Pieces end after a space where there is one.
pub const MAX_BLOCK: usize = 16 * 1024;

/// Texts larger than this build their tables on two cores.
const PARALLEL_INDEX: usize = 4 << 20;

/// Where each line starts (see `Text::line_starts`).
fn line_table(bytes: &[u8]) -> Vec<usize> {
    let mut starts = Vec::with_capacity(bytes.len() / 64 + 1);
    starts.push(0);
    // `\n`, `\r\n`, and a `\r` alone (old Mac files) each end a line.
    starts.extend(
        memchr::memchr2_iter(b'\n', b'\r', bytes)
            .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
            .map(|i| i + 1)
            .filter(|&i| i < bytes.len()),
    );
    starts
}

#[derive(Debug, Clone)]
pub struct Text {
    s: String,
    /// Byte offset where each line starts. A line is the text up to, not
    /// including, its terminator (`\n`, `\r\n`, or a lone `\r`). A final `\n` does not open
    /// an empty last line, as in `less` and most editors.
    line_starts: Vec<usize>,
    /// Where each block starts: every line start, and the splits of lines
    /// longer than `MAX_BLOCK`.
    block_starts: Vec<usize>,
    /// Code points, for the conversions to and from bytes.
    chars: CharIndex,
    /// SHA-256 of the bytes, computed on first use.
    fingerprint: std::sync::OnceLock<String>,
    /// The encoding the file was decoded from, as Python names it; `None`
    /// for UTF-8 (see `decode`).
    encoding: Option<String>,
}

impl Text {
    pub fn new(s: String) -> Self {
        let bytes = s.as_bytes();
        // Both scans run on their own core for a large text.
        let (line_starts, chars) = if bytes.len() > PARALLEL_INDEX {
            rayon::join(|| line_table(bytes), || CharIndex::new(&s))
        } else {
            (line_table(bytes), CharIndex::new(&s))
        };
        let mut t = Text {
            s,
            block_starts: vec![],
            line_starts,
            chars,
            fingerprint: std::sync::OnceLock::new(),
            encoding: None,
        };
        t.block_starts = t.split_blocks();
        t
    }

    fn split_blocks(&self) -> Vec<usize> {
        let longest = self
            .line_starts
            .windows(2)
            .map(|w| w[1] - w[0])
            .chain(self.line_starts.last().map(|&l| self.s.len() - l))
            .max()
            .unwrap_or(0);
        if longest <= MAX_BLOCK {
            return self.line_starts.clone();
        }
        let mut out = Vec::with_capacity(self.line_starts.len());
        for line in 0..self.line_count() {
            let r = self.line_range(line);
            out.push(r.start);
            let mut start = r.start;
            while r.end - start > MAX_BLOCK {
                let limit = self.floor_char(start + MAX_BLOCK);
                let window = &self.s.as_bytes()[start + MAX_BLOCK / 2..limit];
                let cut = match memchr::memrchr(b' ', window) {
                    Some(i) => start + MAX_BLOCK / 2 + i + 1,
                    None => self.floor_boundary(limit).max(start + 1),
                };
                let cut = if self.is_grapheme_boundary(cut) {
                    cut
                } else {
                    self.floor_boundary(cut)
                };
                if cut <= start {
                    break;
                }
                out.push(cut);
                start = cut;
            }
        }
        out
    }

    /// The text, noting that its file was in `encoding` (as Python's
    /// `open()` names it).
    pub fn with_encoding(mut self, encoding: Option<String>) -> Text {
        self.encoding = encoding;
        self
    }

    /// The encoding the file was in; `None` for UTF-8.
    pub fn encoding(&self) -> Option<&str> {
        self.encoding.as_deref()
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
        self.chars.char_len()
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
        } else if end > start && b[end - 1] == b'\r' {
            end -= 1;
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

    // ---- blocks: the units of layout and segmentation ----

    pub fn block_count(&self) -> usize {
        self.block_starts.len()
    }

    /// The block holding byte offset `pos` (a terminator belongs to the
    /// last block of its line).
    pub fn block_of(&self, pos: usize) -> usize {
        self.block_starts.partition_point(|&s| s <= pos) - 1
    }

    /// Byte range of block `b`, without its line's terminator.
    pub fn block_range(&self, b: usize) -> Range<usize> {
        let start = self.block_starts[b];
        let line = self.line_of(start);
        let line_end = self.line_range(line).end;
        let end = self
            .block_starts
            .get(b + 1)
            .copied()
            .filter(|&n| n <= line_end)
            .unwrap_or(line_end);
        start..end
    }

    /// Whether block `b` ends its line (the cursor may sit after it, on the
    /// terminator or at the line's end).
    pub fn block_ends_line(&self, b: usize) -> bool {
        self.block_starts
            .get(b + 1)
            .is_none_or(|&n| self.line_of(n) != self.line_of(self.block_starts[b]))
    }

    /// Whether the line block `b` ends has a terminator after it.
    pub fn block_has_terminator(&self, b: usize) -> bool {
        let line = self.line_of(self.block_starts[b]);
        self.block_ends_line(b) && self.line_end_with_terminator(line) > self.line_range(line).end
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

    // ---- code points: through `offset::CharIndex`, the one converter ----

    /// The code point offset of byte offset `byte` (a char boundary, or
    /// the char holding it).
    pub fn byte_to_char(&self, byte: BytePos) -> CharPos {
        self.chars.to_char(&self.s, byte)
    }

    /// The byte offset of code point offset `ch`, or `None` past the end.
    pub fn char_to_byte(&self, ch: CharPos) -> Option<BytePos> {
        self.chars.to_byte(&self.s, ch)
    }

    /// The byte range of a code point range, if it lies within the text.
    pub fn char_range_to_bytes(&self, r: Range<CharPos>) -> Option<Range<usize>> {
        self.chars.to_bytes(&self.s, r)
    }

    /// The code point range of byte range `r`.
    pub fn chars_of(&self, r: Range<usize>) -> Range<CharPos> {
        self.chars.to_chars(&self.s, r)
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
    fn a_lone_cr_ends_a_line() {
        let t = Text::new("one\rtwo\r\nthree\nfour".into());
        assert_eq!(t.line_count(), 4);
        assert_eq!(
            (0..4).map(|i| t.line_str(i)).collect::<Vec<_>>(),
            ["one", "two", "three", "four"]
        );
        assert_eq!(t.line_of(3), 0, "the terminator belongs to its line");
        assert_eq!(t.line_of(4), 1);
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
            assert_eq!(t.byte_to_char(BytePos(bi)), CharPos(ci));
            assert_eq!(t.char_to_byte(CharPos(ci)), Some(BytePos(bi)));
        }
        assert_eq!(
            t.char_to_byte(CharPos(t.char_len())),
            Some(BytePos(s.len()))
        );
        assert_eq!(t.char_to_byte(CharPos(t.char_len() + 1)), None);
    }

    #[test]
    fn long_lines_split_into_blocks_after_spaces() {
        let word = "abcdefghi ";
        let long = word.repeat(MAX_BLOCK / word.len() * 3);
        let t = Text::new(format!("short\n{long}\r\nend"));
        assert_eq!(t.line_count(), 3);
        assert!(t.block_count() >= 5, "{}", t.block_count());
        let mut covered = 0;
        for b in 0..t.block_count() {
            let r = t.block_range(b);
            assert!(r.len() <= MAX_BLOCK, "{r:?}");
            if b > 1 && t.line_of(r.start) == 1 && r.start != t.line_range(1).start {
                assert_eq!(
                    t.as_str().as_bytes()[r.start - 1],
                    b' ',
                    "cut after a space"
                );
            }
            covered += r.len();
            assert_eq!(t.block_of(r.start), b);
        }
        assert_eq!(covered, 5 + long.len() + 3);
        let last_of_long = t.block_of(t.line_range(1).end);
        assert!(t.block_ends_line(last_of_long) && t.block_has_terminator(last_of_long));
        assert!(!t.block_ends_line(1));
        assert!(!t.block_has_terminator(t.block_count() - 1));
        // No spaces at all: cut between graphemes.
        let t = Text::new("é".repeat(MAX_BLOCK));
        assert!(t.block_count() >= 2);
        assert!(t.is_grapheme_boundary(t.block_range(1).start));
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
