//! How one grapheme cluster of untrusted text is shown: which symbols stand
//! for it on screen and how many columns it takes. Layout and rendering both
//! ask this module, so what is measured is exactly what is drawn, and no
//! control character or escape sequence ever reaches the terminal.

use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

/// Columns between tab stops.
pub const TAB_WIDTH: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Glyph<'a> {
    /// Printable text, drawn as is in one cell (wide ones span two).
    Text(&'a str),
    /// A tab, drawn as this many blank cells.
    Tab(usize),
    /// Something invisible or dangerous, drawn as inert ASCII symbols, one
    /// per cell, in a distinct style (as `less` does: `^[`, `<9B>`, `<U+202E>`).
    Escaped(String),
    /// A cluster that starts with a mark of width zero, drawn on a dotted
    /// circle so that it has a cell of its own.
    Mark(String),
    /// A line terminator: takes no cell of the text, only the cursor's.
    Terminator,
}

impl Glyph<'_> {
    pub fn width(&self) -> usize {
        match self {
            Glyph::Text(s) => s.width().max(1),
            Glyph::Tab(n) => *n,
            Glyph::Escaped(s) => s.len(),
            Glyph::Mark(_) => 1,
            Glyph::Terminator => 0,
        }
    }

    /// The text to draw, as strings for consecutive cells.
    pub fn cells(&self) -> Vec<Cow<'_, str>> {
        match self {
            Glyph::Text(s) => vec![Cow::Borrowed(*s)],
            Glyph::Tab(n) => vec![Cow::Borrowed(" "); *n],
            Glyph::Escaped(s) => s
                .char_indices()
                .map(|(i, c)| Cow::Borrowed(&s[i..i + c.len_utf8()]))
                .collect(),
            Glyph::Mark(s) => vec![Cow::Borrowed(s.as_str())],
            Glyph::Terminator => vec![],
        }
    }

    pub fn is_escaped(&self) -> bool {
        matches!(self, Glyph::Escaped(_))
    }
}

/// Characters with no visible form of their own that can reorder, hide or
/// join text (bidi overrides, zero-width characters, BOM, separators).
pub fn is_invisible_format(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFB | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

pub fn is_control(c: char) -> bool {
    let u = c as u32;
    u < 0x20 || (0x7F..=0x9F).contains(&u)
}

fn escape_char(c: char, out: &mut String) {
    let u = c as u32;
    if u < 0x20 {
        out.push('^');
        out.push((u as u8 + 0x40) as char);
    } else if u == 0x7F {
        out.push_str("^?");
    } else if (0x80..=0x9F).contains(&u) {
        out.push_str(&format!("<{u:02X}>"));
    } else if c.is_ascii_graphic() || c == ' ' {
        out.push(c);
    } else {
        // Escaped glyphs stay pure ASCII: one byte, one cell.
        out.push_str(&format!("<U+{u:04X}>"));
    }
}

/// Text from bytes that are not all UTF-8, each bad byte written as `<XX>`
/// (as `less` shows them) rather than U+FFFD, which says nothing of what
/// the byte was and which some terminals drop.
pub fn escape_invalid(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("<{b:02X}>"));
        }
    }
    out
}

/// Whether `g` hides something after its first character: an invisible
/// character riding on a visible one ("w" + ZWNJ is one cluster). Joiners
/// and variation selectors are what make an emoji (width 2); elsewhere
/// they are hidden too.
fn hides_something(g: &str) -> bool {
    let mut rest = g.chars().skip(1);
    rest.any(|c| {
        is_invisible_format(c)
            && !(matches!(c, '\u{200D}' | '\u{FE0E}' | '\u{FE0F}') && g.width() == 2)
    })
}

/// The glyph for grapheme `g` drawn at column `col` of its row.
pub fn glyph(g: &str, col: usize) -> Glyph<'_> {
    match g {
        "\t" => return Glyph::Tab(TAB_WIDTH - col % TAB_WIDTH),
        "\n" | "\r\n" => return Glyph::Terminator,
        _ => {}
    }
    let first = g.chars().next().unwrap_or(' ');
    if g.chars().any(is_control) || is_invisible_format(first) || hides_something(g) {
        let mut out = String::new();
        for c in g.chars() {
            escape_char(c, &mut out);
        }
        return Glyph::Escaped(out);
    }
    if g.width() == 0 {
        // A lone combining mark or joiner: give it a dotted circle to sit on.
        let mut out = String::from("\u{25CC}");
        out.push_str(g);
        if out.width() == 1 {
            return Glyph::Mark(out);
        }
        return Glyph::Escaped(g.chars().map(|c| format!("<U+{:04X}>", c as u32)).collect());
    }
    Glyph::Text(g)
}

/// Columns taken by `g` at column `col`.
pub fn width_at(g: &str, col: usize) -> usize {
    glyph(g, col).width()
}

/// Whether a row may hang `g` past its right edge instead of wrapping.
pub fn is_hanging_space(g: &str) -> bool {
    g == " " || g == "\t" || g == "\u{3000}"
}

/// A single-line, inert version of untrusted text (titles, file names,
/// notes): controls and invisible characters escaped.
pub fn sanitize_line(s: &str) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    // Drawing passes every status and title string through here, every
    // frame: plain ASCII, the usual case, is copied as it is.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s.to_string();
    }
    // Nor does text with no control and no invisible character, whose
    // first character shows (every grapheme is then drawn as it is):
    // most lines of most scripts. A char scan, not a grapheme walk.
    let first_shows = s
        .chars()
        .next()
        .is_none_or(|c| unicode_width::UnicodeWidthChar::width(c).is_some_and(|w| w > 0));
    if first_shows && !s.chars().any(|c| is_control(c) || is_invisible_format(c)) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for g in s.graphemes(true) {
        // The column only matters to a tab's width, and a tab becomes one
        // space here.
        match glyph(g, 0) {
            Glyph::Text(t) => out.push_str(t),
            Glyph::Tab(_) => out.push(' '),
            Glyph::Escaped(e) | Glyph::Mark(e) => out.push_str(&e),
            Glyph::Terminator => out.push_str("^J"),
        }
    }
    out
}

/// JSON text safe to print: besides what JSON escapes, C1 controls and
/// invisible formatting characters (bidi overrides) are written as
/// `\uXXXX`, so no terminal acts on them.
pub fn json_inert(s: String) -> String {
    let risky = |c: char| {
        ('\u{80}'..='\u{9f}').contains(&c)
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    };
    if !s.chars().any(risky) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if risky(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_inert() {
        assert_eq!(glyph("\u{1b}", 0), Glyph::Escaped("^[".into()));
        assert_eq!(glyph("\u{7}", 0), Glyph::Escaped("^G".into()));
        assert_eq!(glyph("\u{0}", 0), Glyph::Escaped("^@".into()));
        assert_eq!(glyph("\u{7f}", 0), Glyph::Escaped("^?".into()));
        assert_eq!(glyph("\u{9b}", 0), Glyph::Escaped("<9B>".into()));
        assert_eq!(glyph("\r", 0), Glyph::Escaped("^M".into()));
        assert_eq!(glyph("\u{202E}", 0), Glyph::Escaped("<U+202E>".into()));
        assert_eq!(glyph("\u{200B}", 0), Glyph::Escaped("<U+200B>".into()));
        assert_eq!(glyph("\u{FEFF}", 0), Glyph::Escaped("<U+FEFF>".into()));
        // Riding on a letter in one cluster, invisible characters show too.
        assert_eq!(glyph("w\u{200C}", 0), Glyph::Escaped("w<U+200C>".into()));
        assert_eq!(glyph("a\u{200D}", 0), Glyph::Escaped("a<U+200D>".into()));
        // In an emoji they are its parts.
        assert_eq!(glyph("👨\u{200D}👩", 0), Glyph::Text("👨\u{200D}👩"));
        assert_eq!(glyph("❤\u{FE0F}", 0), Glyph::Text("❤\u{FE0F}"));
        assert_eq!(escape_invalid(b"caf\xe9 ok \xff"), "caf<E9> ok <FF>");
    }

    #[test]
    fn widths_per_grapheme() {
        assert_eq!(width_at("漢", 0), 2);
        assert_eq!(width_at("👨‍👩‍👧‍👦", 0), 2);
        assert_eq!(width_at("🇫🇷", 0), 2);
        assert_eq!(width_at("क्षि", 0), 3);
        assert_eq!(width_at("e\u{301}", 0), 1);
        assert_eq!(width_at("\t", 0), 8);
        assert_eq!(width_at("\t", 5), 3);
        assert_eq!(width_at("\u{301}", 0), 1); // lone combining mark on a dotted circle
        assert_eq!(width_at("❤\u{FE0F}", 0), 2); // emoji presentation keeps its selector
    }

    #[test]
    fn sanitize_line_leaves_no_control() {
        let s = sanitize_line("a\u{1b}]0;pwned\u{7}b\u{9b}2J\u{202e}c\td\ne");
        assert!(
            !s.chars().any(|c| is_control(c) || is_invisible_format(c)),
            "{s:?}"
        );
        assert_eq!(s, "a^[]0;pwned^Gb<9B>2J<U+202E>c d^Je");
    }
}
