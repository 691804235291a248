//! Sentences as an annotator means them, on text as it comes.
//!
//! Unicode's sentence rules (UAX #29) end a sentence at every line break
//! and after "Mr." or "J." before a capital. Real text is hard-wrapped (a
//! novel at 70 columns, news at 72) and full of titles and initials, so:
//!
//! - Sentences are found in a paragraph (lines up to a blank line), not a
//!   line. A single line break inside a paragraph is a space when the
//!   paragraph is hard-wrapped: its longest line is at least
//!   `WRAPPED_MIN` code points and the line before the break at least
//!   `WRAPPED_SHARE` of it. A short line (a heading, a line of verse, a
//!   list item) still ends where it ends.
//! - A break after an abbreviation is no break: a word of the list
//!   (`mr.`, `dr.`, `u.s.`, `г.`, …; the schema's `[sentences]
//!   abbreviations` adds to it) or a single capital and a full stop (an
//!   initial: "J. K. Rowling"). The price, as for every dictionary-free
//!   splitter: a sentence that really ends in "U.S." runs on into the next.
//! - A paragraph longer than `MAX_PARAGRAPH` bytes is taken a block at a
//!   time, as before, so a motion never costs more than its neighbourhood.

use std::collections::HashSet;
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::motion::paragraph_lines;
use super::text::Text;

/// A paragraph whose longest line is shorter than this is not taken for
/// hard-wrapped text (verse, lists, headings).
pub const WRAPPED_MIN: usize = 32;
/// A line at least this share of the paragraph's longest runs on.
pub const WRAPPED_SHARE: f32 = 0.6;
/// Paragraphs longer than this are segmented a block at a time.
pub const MAX_PARAGRAPH: usize = 64 * 1024;

/// Abbreviations that do not end a sentence, lower case, without their
/// last full stop: English, German, French, Spanish, Russian.
const ABBREVIATIONS: &[&str] = &[
    // English titles, ranks, and the usual short forms
    "mr", "mrs", "ms", "messrs", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "gov", "sen",
    "rep", "col", "lt", "capt", "cpt", "sgt", "cmdr", "adm", "maj", "brig", "rev", "hon", "pres",
    "supt", "insp", "vs", "v", "no", "nos", "vol", "vols", "pp", "p", "fig", "figs", "al",
    "approx", "dept", "est", "inc", "ltd", "co", "corp", "bros", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "cf", "ca", "u.s", "u.k",
    "u.n", "u.s.a", "a.m", "p.m", "ph.d", // German
    "z.b", "bzw", "nr", "str", "hr", "fr", "dipl", "ing", "ca", // French
    "m", "mme", "mlle", "mgr", "cie", // Spanish
    "sra", "srta", "d", "dña", "ud", "uds", "avda", // Russian
    "г", "гг", "т.е", "т.к", "им", "ул", "д", "стр", "см", "проф", "акад", "тов", "г-н", "г-жа",
];

/// Finds sentences; holds the abbreviations in use.
#[derive(Debug, Clone)]
pub struct Sentences {
    abbreviations: HashSet<String>,
}

impl Default for Sentences {
    fn default() -> Sentences {
        Sentences::with_extra(&[])
    }
}

impl Sentences {
    /// The built-in abbreviations and `extra` (with or without their
    /// full stop, any case).
    pub fn with_extra(extra: &[String]) -> Sentences {
        let abbreviations = ABBREVIATIONS
            .iter()
            .map(|s| s.to_string())
            .chain(
                extra
                    .iter()
                    .map(|s| s.trim().trim_end_matches('.').to_lowercase()),
            )
            .filter(|s| !s.is_empty())
            .collect();
        Sentences { abbreviations }
    }

    /// Whether the text before a sentence break ends in an abbreviation,
    /// so the break is none.
    fn ends_in_abbreviation(&self, s: &str) -> bool {
        let s = s.trim_end();
        let Some(body) = s.strip_suffix('.') else {
            return false;
        };
        let word = body
            .rsplit(|c: char| c.is_whitespace() || "([{\"'«„“‘".contains(c))
            .next()
            .unwrap_or("");
        let mut chars = word.chars();
        // An initial: one capital letter.
        if let (Some(c), None) = (chars.next(), chars.next())
            && c.is_uppercase()
        {
            return true;
        }
        !word.is_empty() && self.abbreviations.contains(&word.to_lowercase())
    }

    /// The sentences of the paragraph holding `pos` (byte ranges, white
    /// space trimmed, in order); a long paragraph's block only.
    pub fn around(&self, t: &Text, pos: usize) -> Vec<Range<usize>> {
        self.around_in(t, pos).0
    }

    /// As `around`, with the range looked in (the paragraph, or the block
    /// of a long one; empty on a blank line).
    fn around_in(&self, t: &Text, pos: usize) -> (Vec<Range<usize>>, Range<usize>) {
        let line = t.line_of(pos);
        let Some(lines) = paragraph_lines(t, line) else {
            return (vec![], t.line_range(line));
        };
        let (first, last) = (lines.start, lines.end - 1);
        let start = t.line_range(first).start;
        let end = t.line_range(last).end;
        if end - start > MAX_PARAGRAPH {
            let block = t.block_range(t.block_of(pos));
            return (self.split(t, block.clone(), &[]), block);
        }
        // Line breaks that run on, as byte ranges of their terminators.
        let longest = (first..=last)
            .map(|l| t.line_str(l).chars().count())
            .max()
            .unwrap_or(0);
        let mut joins = vec![];
        if longest >= WRAPPED_MIN && first < last {
            for l in first..last {
                let n = t.line_str(l).chars().count();
                if n as f32 >= longest as f32 * WRAPPED_SHARE {
                    joins.push(t.line_range(l).end..t.line_range(l + 1).start);
                }
            }
        }
        (self.split(t, start..end, &joins), start..end)
    }

    /// Sentences of `range`, the line breaks `joins` read as spaces.
    fn split(&self, t: &Text, range: Range<usize>, joins: &[Range<usize>]) -> Vec<Range<usize>> {
        let mut s = t.slice(range.clone()).to_string();
        // Same length, so offsets stay: each terminator byte a space.
        for j in joins {
            let (a, b) = (j.start - range.start, j.end - range.start);
            s.replace_range(a..b, &" ".repeat(b - a));
        }
        let mut out: Vec<Range<usize>> = vec![];
        let mut glue = false;
        for (i, seg) in s.split_sentence_bound_indices() {
            let trimmed = seg.trim_end();
            let lead = trimmed.len() - trimmed.trim_start().len();
            if trimmed.trim().is_empty() {
                continue;
            }
            let r = range.start + i + lead..range.start + i + trimmed.len();
            match out.last_mut() {
                Some(prev) if glue => prev.end = r.end,
                _ => out.push(r),
            }
            glue = self.ends_in_abbreviation(trimmed);
        }
        out
    }

    /// The sentence around `pos` (or the nearest before it in its
    /// paragraph), trimmed.
    pub fn at(&self, t: &Text, pos: usize) -> Option<Range<usize>> {
        let ss = self.around(t, pos);
        ss.iter()
            .find(|s| s.start <= pos && pos < s.end)
            .or_else(|| ss.iter().rev().find(|s| s.start <= pos))
            .or(ss.first())
            .cloned()
    }

    /// The start of the next sentence after `pos`, or the last position.
    pub fn next(&self, t: &Text, pos: usize) -> usize {
        let mut from = pos;
        while from < t.len() {
            let (ss, looked) = self.around_in(t, from);
            if let Some(s) = ss.into_iter().find(|s| s.start > pos) {
                return s.start;
            }
            // On past what was looked in: the next block of a long line,
            // or the next line.
            let line = t.line_of(looked.end.min(t.len()));
            let after = if looked.end < t.line_range(line).end {
                looked.end
            } else {
                t.line_end_with_terminator(line)
            };
            from = after.max(from + 1);
        }
        t.last_cursor_pos()
    }

    /// The start of the sentence before `pos` (or of the one it is in).
    pub fn prev(&self, t: &Text, pos: usize) -> usize {
        let mut from = pos.min(t.len());
        loop {
            let (ss, looked) = self.around_in(t, from);
            if let Some(s) = ss.into_iter().rev().find(|s| s.start < pos) {
                return s.start;
            }
            if looked.start == 0 {
                return 0;
            }
            // Into what comes before: the previous block or line.
            from = t
                .floor_boundary(looked.start - 1)
                .min(from.saturating_sub(1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &str) -> Vec<String> {
        let t = Text::new(s.to_string());
        let sg = Sentences::default();
        let mut out = vec![];
        let mut pos = 0;
        loop {
            if let Some(r) = sg.at(&t, pos)
                && out.last() != Some(&t.slice(r.clone()).to_string())
            {
                out.push(t.slice(r).to_string());
            }
            let next = sg.next(&t, pos);
            if next <= pos || next >= t.last_cursor_pos() {
                break;
            }
            pos = next;
        }
        out
    }

    #[test]
    fn a_hard_wrapped_sentence_is_one() {
        let novel = "The task of the translator becomes doubly hazardous in case of\r\na work so intricate as this. It was, he thought, a good day\r\nfor it.\r\n\r\nNext paragraph.";
        assert_eq!(
            all(novel),
            [
                "The task of the translator becomes doubly hazardous in case of\r\na work so intricate as this.",
                "It was, he thought, a good day\r\nfor it.",
                "Next paragraph."
            ]
        );
    }

    #[test]
    fn short_lines_still_end_where_they_end() {
        let s = "A Heading\nThe body of the article begins here and runs for a while.";
        assert_eq!(
            all(s),
            [
                "A Heading",
                "The body of the article begins here and runs for a while."
            ]
        );
        let verse = "Tyger Tyger burning bright\nIn the forests of the night";
        assert_eq!(all(verse).len(), 2);
    }

    #[test]
    fn titles_initials_and_acronyms_do_not_end_a_sentence() {
        assert_eq!(
            all("Mr. Pompeo met Dr. Jaishankar. J. K. Rowling wrote in the U.S. Then it rained."),
            [
                "Mr. Pompeo met Dr. Jaishankar.",
                "J. K. Rowling wrote in the U.S. Then it rained."
            ]
        );
        assert_eq!(
            all("Москва, 5 г. Встреча прошла. Всё."),
            ["Москва, 5 г. Встреча прошла.", "Всё."]
        );
        let extra = Sentences::with_extra(&["Approx.".into(), "Bldg".into()]);
        let t = Text::new("See Bldg. Four. Done.".into());
        assert_eq!(t.slice(extra.at(&t, 0).unwrap()), "See Bldg. Four.");
    }

    #[test]
    fn a_huge_paragraph_is_walked_block_by_block() {
        let t = Text::new("Word word word. ".repeat(20_000));
        assert!(t.len() > MAX_PARAGRAPH && t.block_count() > 4);
        let sg = Sentences::default();
        let edge = t.block_range(0).end;
        let near = t.floor_boundary(edge - 20);
        let next = sg.next(&t, near);
        assert!(next > near && next < edge + 40, "{near} -> {next}");
        assert_eq!(&t.as_str()[next..next + 4], "Word");
        let back = sg.prev(&t, next);
        assert!(back < next && back > near - 40, "{next} -> {back}");
    }

    #[test]
    fn next_and_prev_cross_paragraphs() {
        let s = "One two.\n\nThree four. Five.";
        let t = Text::new(s.into());
        let sg = Sentences::default();
        assert_eq!(sg.next(&t, 0), 10);
        assert_eq!(sg.next(&t, 10), 22);
        assert_eq!(sg.prev(&t, 22), 10);
        assert_eq!(sg.prev(&t, 10), 0);
        assert_eq!(sg.next(&t, 22), t.last_cursor_pos());
    }
}
