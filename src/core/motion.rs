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

/// The last grapheme of the word `pos` is in, or of the next word when
/// `pos` is already on a word's last grapheme or between words (vim's
/// `e`): `v w E` selects "Mike Pompeo" from the M.
pub fn word_end(t: &Text, pos: usize) -> usize {
    for block in t.block_of(pos)..t.block_count() {
        let r = t.block_range(block);
        for (i, w) in t.slice(r.clone()).split_word_bound_indices() {
            let end = r.start + i + w.len();
            let last = t.prev_boundary(end).max(r.start + i);
            if is_wordlike(w) && last > pos {
                return last;
            }
        }
    }
    t.last_cursor_pos()
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

/// Which run of East Asian script `c` belongs to, for text without spaces
/// between words.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    Han,
    Hiragana,
    Katakana,
}

fn east_asian(c: char) -> Option<Run> {
    match c as u32 {
        0x3005
        | 0x3007
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x2FA1F => Some(Run::Han),
        0x3041..=0x309F => Some(Run::Hiragana),
        0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Some(Run::Katakana),
        _ => None,
    }
}

/// What a label key tags with nothing selected: the name under `pos`.
///
/// In spaced scripts it is the word (UAX #29) without what a name does not
/// include: a possessive `'s` or `’s` (or a plural's bare `'`) and any
/// punctuation at its edges, so "Pompeo’s" tags "Pompeo". In text without
/// spaces, Unicode gives one Han character per word; the rule here, which
/// needs no dictionary, is the run of one script around the cursor: a run
/// of kanji ("東京都"), of katakana ("コンピュータ") or of hiragana. In
/// Japanese that is mostly a noun or a name; in Chinese a run of Han is a
/// phrase, and `v` with the motions selects anything exactly.
pub fn name_at(t: &Text, pos: usize) -> Option<Range<usize>> {
    let s = t.as_str();
    if let Some(run) = s[pos..].chars().next().and_then(east_asian) {
        let block = t.block_range(t.block_of(pos));
        let start = s[block.start..pos]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| east_asian(c) == Some(run))
            .last()
            .map_or(pos, |(i, _)| block.start + i);
        let end = s[pos..block.end]
            .char_indices()
            .find(|&(_, c)| east_asian(c) != Some(run))
            .map_or(block.end, |(i, _)| pos + i);
        return Some(t.floor_boundary(start)..t.ceil_boundary(end));
    }
    let w = word_at(t, pos)?;
    let word = t.slice(w.clone());
    let mut end = word.len();
    for suffix in ["'s", "’s", "'S", "’S", "'", "’"] {
        if let Some(rest) = word.strip_suffix(suffix)
            && rest.chars().last().is_some_and(char::is_alphanumeric)
        {
            end = rest.len();
            break;
        }
    }
    let core = &word[..end];
    let lead = core.len()
        - core
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .len();
    let body = core.trim_matches(|c: char| !c.is_alphanumeric());
    if body.is_empty() {
        return None;
    }
    let r = w.start + lead..w.start + lead + body.len();
    Some(t.floor_boundary(r.start)..t.ceil_boundary(r.end))
}

/// The lines of the paragraph around line `line`, or `None` on a blank line.
pub fn paragraph_lines(t: &Text, line: usize) -> Option<Range<usize>> {
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
        // ends: of this word, then of the next
        assert_eq!(word_end(&t, 0), 2);
        assert_eq!(word_end(&t, 2), 6);
        assert_eq!(word_end(&t, 7), 13);
        let t = Text::new("Mike Pompeo’s visit".into());
        assert_eq!(word_end(&t, 0), 3);
        assert_eq!(&t.as_str()[word_end(&t, 3)..], "s visit");
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
    fn names_leave_out_possessives_and_take_script_runs() {
        let at = |s: &str, needle: &str| {
            let t = Text::new(s.into());
            let pos = s.find(needle).unwrap();
            name_at(&t, pos).map(|r| s[r].to_string())
        };
        assert_eq!(at("Pompeo’s visit", "Pompeo").as_deref(), Some("Pompeo"));
        assert_eq!(at("India's navy", "dia").as_deref(), Some("India"));
        assert_eq!(
            at("the ministers' talks", "minis").as_deref(),
            Some("ministers")
        );
        assert_eq!(at("the U.S. and", "U.S").as_deref(), Some("U.S"));
        assert_eq!(at("it's", "it").as_deref(), Some("it"));
        assert_eq!(
            at("東京都に住むコンピュータ", "京").as_deref(),
            Some("東京都")
        );
        assert_eq!(
            at("東京都に住むコンピュータ", "ピ").as_deref(),
            Some("コンピュータ")
        );
        assert_eq!(at("東京都に住む", "に").as_deref(), Some("に"));
        assert_eq!(at("a , b", ",").as_deref(), None);
        // Hebrew and Russian words, as they are.
        assert_eq!(at("שלום עולם", "עולם").as_deref(), Some("עולם"));
        assert_eq!(at("Москвы", "Москвы").as_deref(), Some("Москвы"));
    }

    #[test]
    fn find_char() {
        let t = Text::new("abcabc".into());
        assert_eq!(find_next(&t, 0, "a"), Some(3));
        assert_eq!(find_next(&t, 3, "a"), None);
        assert_eq!(find_prev(&t, 3, "b"), Some(1));
    }
}
