//! A frame's cells as the terminal will lay them out. A grapheme cluster
//! of several spacing characters (a Devanagari conjunct such as `स्ते`,
//! two columns) is one wide cell to ratatui, but terminals (tmux, xterm,
//! vt100) put each spacing character in a cell of its own, its marks with
//! it. ratatui's diff takes the cluster for a wide character: when it is
//! overwritten, the terminal clears a wide character's second column by
//! itself, so that column is not written again if it stays blank; here
//! the terminal clears nothing, and half the cluster stayed on screen
//! under the next frame (seen as `saidते東京` in the consistency list
//! drawn over an article in Hindi). Each such cluster is split into the
//! cells the terminal will use, so the diff sees every column.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

/// The parts of `g` a terminal puts in cells of their own: each spacing
/// character with the marks after it. `None` when the parts do not fill
/// exactly `g`'s width one column each (a wide character, an emoji
/// sequence, a flag: those stay one wide cell).
pub fn terminal_cells(g: &str) -> Option<Vec<&str>> {
    let width = g.width();
    if width < 2 || g.is_ascii() {
        return None;
    }
    let mut parts = vec![];
    let mut start = 0;
    for (i, c) in g.char_indices().skip(1) {
        if unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > 0 {
            parts.push(&g[start..i]);
            start = i;
        }
    }
    parts.push(&g[start..]);
    let regional = |p: &str| p.chars().any(|c| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c));
    (parts.len() == width && parts.iter().all(|p| p.width() == 1 && !regional(p))).then_some(parts)
}

/// Splits every cluster in `area` of `buf` that the terminal lays out as
/// several cells into those cells, each with the cluster's style. A cell
/// something else was drawn over (a window's border beside the text)
/// keeps what was drawn: the cluster then shows its first part only,
/// where ratatui would have hidden that border behind it.
pub fn split_clusters(buf: &mut Buffer, area: Rect) {
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let sym = buf[(x, y)].symbol();
            let parts = (sym.len() > 1)
                .then(|| terminal_cells(sym))
                .flatten()
                .map(|p| p.into_iter().map(str::to_string).collect::<Vec<_>>());
            let Some(parts) = parts else {
                x += 1;
                continue;
            };
            let style = buf[(x, y)].style();
            buf[(x, y)].set_symbol(&parts[0]);
            let mut k = 1;
            while k < parts.len() && x + (k as u16) < area.right() {
                let cell = &mut buf[(x + k as u16, y)];
                // The blank ratatui leaves after a wide symbol (in any
                // style: a highlight may be painted over it); anything
                // but a blank was drawn there since.
                if cell.symbol() != " " {
                    break;
                }
                cell.set_symbol(&parts[k]).set_style(style);
                k += 1;
            }
            x += k as u16;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conjunct_is_one_cell_per_spacing_character() {
        assert_eq!(terminal_cells("स्ते"), Some(vec!["स्", "ते"]));
        assert_eq!(terminal_cells("क्ष"), Some(vec!["क्", "ष"]));
    }

    #[test]
    fn wide_characters_emoji_and_flags_stay_whole() {
        for g in [
            "東",
            "👍🏽",
            "👨\u{200D}👩\u{200D}👧",
            "🇫🇷",
            "가",
            "a",
            "é",
            "न",
        ] {
            assert_eq!(terminal_cells(g), None, "{g:?}");
        }
    }

    #[test]
    fn a_frame_holds_the_cells_the_terminal_will() {
        let area = Rect::new(0, 0, 8, 1);
        let mut b = Buffer::empty(area);
        b.set_string(
            0,
            0,
            "नमस्ते x",
            ratatui::style::Style::new().fg(ratatui::style::Color::Red),
        );
        split_clusters(&mut b, area);
        let cells: Vec<&str> = (0..8).map(|x| b[(x, 0)].symbol()).collect();
        assert_eq!(cells, ["न", "म", "स्", "ते", " ", "x", " ", " "]);
        assert_eq!(b[(3, 0)].fg, ratatui::style::Color::Red);
    }

    #[test]
    fn a_highlight_painted_over_a_conjunct_keeps_both_parts() {
        let area = Rect::new(0, 0, 6, 1);
        let mut b = Buffer::empty(area);
        b.set_string(0, 0, "नमस्ते", ratatui::style::Style::new());
        let hl = ratatui::style::Style::new().bg(ratatui::style::Color::Yellow);
        b.set_style(Rect::new(0, 0, 4, 1), hl);
        split_clusters(&mut b, area);
        let cells: Vec<&str> = (0..4).map(|x| b[(x, 0)].symbol()).collect();
        assert_eq!(cells, ["न", "म", "स्", "ते"]);
        assert_eq!(b[(3, 0)].bg, ratatui::style::Color::Yellow);
    }

    #[test]
    fn a_border_drawn_over_the_second_half_stays() {
        let area = Rect::new(0, 0, 6, 1);
        let mut b = Buffer::empty(area);
        b.set_string(0, 0, "नमस्ते", ratatui::style::Style::new());
        b[(3, 0)].set_symbol("│");
        split_clusters(&mut b, area);
        let cells: Vec<&str> = (0..6).map(|x| b[(x, 0)].symbol()).collect();
        assert_eq!(cells, ["न", "म", "स्", "│", " ", " "]);
    }
}
