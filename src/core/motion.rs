//! Cursor motions over the text. Every function takes and returns a byte
//! offset at a grapheme boundary. Words are Unicode's (UAX #29); sentences
//! are `sentence::Sentences`' (paragraph-wide, hard wraps and
//! abbreviations understood); a paragraph is a run of non-blank lines. Segmentation runs on
//! one block (a line, or a piece of a long one) at a time, so a motion costs
//! what its neighbourhood costs, even on a 5 MB line.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::text::Text;

pub fn is_wordlike(s: &str) -> bool {
    s.chars().any(|c| c.is_alphanumeric())
}

pub fn left(t: &Text, pos: usize) -> usize {
    t.prev_boundary(pos)
}

pub fn right(t: &Text, pos: usize) -> usize {
    t.next_boundary(pos).min(t.last_cursor_pos())
}

/// Start of the next word after `pos`, or the last position.
pub fn word_next(t: &Text, pos: usize) -> usize {
    for block in t.block_of(pos)..t.block_count() {
        let r = t.block_range(block);
        for (i, w) in t.slice(r.clone()).split_word_bound_indices() {
            if r.start + i > pos && is_wordlike(w) {
                return r.start + i;
            }
        }
    }
    t.last_cursor_pos()
}

/// Start of the word before `pos` (or of the word `pos` is inside).
pub fn word_prev(t: &Text, pos: usize) -> usize {
    for block in (0..=t.block_of(pos)).rev() {
        let r = t.block_range(block);
        let found = t
            .slice(r.clone())
            .split_word_bound_indices()
            .rev()
            .find(|&(i, w)| r.start + i < pos && is_wordlike(w));
        if let Some((i, _)) = found {
            return r.start + i;
        }
    }
    0
}

/// The word segment containing `pos`, if it is a word.
pub fn word_at(t: &Text, pos: usize) -> Option<Range<usize>> {
    let r = t.block_range(t.block_of(pos));
    t.slice(r.clone())
        .split_word_bound_indices()
        .map(|(i, w)| (r.start + i..r.start + i + w.len(), w))
        .find(|(range, _)| range.contains(&pos))
        .filter(|(_, w)| is_wordlike(w))
        .map(|(range, _)| range)
}

/// The lines of the paragraph around line `line`, or `None` on a blank line.
fn paragraph_lines(t: &Text, line: usize) -> Option<Range<usize>> {
    if t.line_is_blank(line) {
        return None;
    }
    let mut a = line;
    while a > 0 && !t.line_is_blank(a - 1) {
        a -= 1;
    }
    let mut b = line + 1;
    while b < t.line_count() && !t.line_is_blank(b) {
        b += 1;
    }
    Some(a..b)
}

pub fn paragraph_next(t: &Text, pos: usize) -> usize {
    let mut line = t.line_of(pos);
    while line < t.line_count() && !t.line_is_blank(line) {
        line += 1;
    }
    while line < t.line_count() && t.line_is_blank(line) {
        line += 1;
    }
    if line < t.line_count() {
        t.line_range(line).start
    } else {
        t.last_cursor_pos()
    }
}

pub fn paragraph_prev(t: &Text, pos: usize) -> usize {
    let mut line = t.line_of(pos);
    loop {
        if let Some(lines) = paragraph_lines(t, line) {
            let start = t.line_range(lines.start).start;
            if start < pos {
                return start;
            }
            line = lines.start;
        }
        if line == 0 {
            return 0;
        }
        line -= 1;
    }
}

/// The paragraph around `pos`, trimmed of surrounding white space.
pub fn paragraph_at(t: &Text, pos: usize) -> Option<Range<usize>> {
    let lines = paragraph_lines(t, t.line_of(pos))?;
    let start = t.line_range(lines.start).start;
    let end = t.line_range(lines.end - 1).end;
    Some(trim(t, start..end))
}

/// `range` without white space at either end.
pub fn trim(t: &Text, range: Range<usize>) -> Range<usize> {
    let s = t.slice(range.clone());
    let lead = s.len() - s.trim_start().len();
    let body = s.trim();
    range.start + lead..range.start + lead + body.len()
}

/// Next occurrence of `needle` after `pos` (`f` in vim), landing on the
/// grapheme where it starts.
pub fn find_next(t: &Text, pos: usize, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let from = t.next_boundary(pos);
    t.as_str()[from..]
        .find(needle)
        .map(|i| t.floor_boundary(from + i))
}

/// Previous occurrence of `needle` before `pos` (`F` in vim).
pub fn find_prev(t: &Text, pos: usize, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    t.as_str()[..pos].rfind(needle).map(|i| t.floor_boundary(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: &str = "One two. Three four!\n\nNew para here. Last one.\nSame para.";

    #[test]
    fn words() {
        let t = Text::new(S.into());
        assert_eq!(word_next(&t, 0), 4);
        assert_eq!(word_next(&t, 4), 9); // skips the full stop
        assert_eq!(word_prev(&t, 9), 4);
        assert_eq!(word_prev(&t, 5), 4);
        assert_eq!(word_at(&t, 5), Some(4..7));
        assert_eq!(word_at(&t, 7), None);
        // across lines
        assert_eq!(word_next(&t, 15), 22);
    }

    #[test]
    fn paragraphs() {
        let t = Text::new(S.into());
        assert_eq!(paragraph_next(&t, 3), 22);
        assert_eq!(paragraph_prev(&t, 30), 22);
        assert_eq!(paragraph_prev(&t, 22), 0);
        assert_eq!(
            &S[paragraph_at(&t, 50).unwrap()],
            "New para here. Last one.\nSame para."
        );
        assert_eq!(paragraph_at(&t, 21), None);
    }

    #[test]
    fn find_char() {
        let t = Text::new("abcabc".into());
        assert_eq!(find_next(&t, 0, "a"), Some(3));
        assert_eq!(find_next(&t, 3, "a"), None);
        assert_eq!(find_prev(&t, 3, "b"), Some(1));
    }
}
