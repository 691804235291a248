//! The drawing helpers every component uses. Every string drawn goes
//! through `put` or `fit`, which make it inert first.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Clear, Widget};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::super::theme;
use crate::core::display::sanitize_line;

/// Writes `s` (already safe to show) from `x`, clipped at `right`; returns
/// the column after it.
/// Every string drawn goes through here or `fit`: made inert first, since
/// ratatui drops C0 controls but lets bidi and zero-width characters reach
/// the terminal. Text already made inert passes unchanged.
pub fn put(buf: &mut Buffer, x: u16, y: u16, right: u16, s: &str, style: Style) -> u16 {
    if x >= right {
        return x;
    }
    let s = sanitize_line(s);
    let (nx, _) = buf.set_stringn(x, y, &s, (right - x) as usize, style);
    nx
}

/// `s` cut to `w` columns, with an ellipsis when cut.
pub fn fit(s: &str, w: usize) -> String {
    let s = sanitize_line(s);
    if s.width() <= w {
        return s;
    }
    let mut out = String::new();
    for g in s.graphemes(true) {
        if out.width() + g.width() + 1 > w {
            break;
        }
        out.push_str(g);
    }
    out.push('…');
    out
}

pub fn cursor_style(focused: bool) -> Style {
    if focused {
        theme::cursor()
    } else {
        Style::new().add_modifier(Modifier::UNDERLINED)
    }
}

pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width.saturating_sub(2)).max(1);
    let h = h.min(area.height.saturating_sub(2)).max(1);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clears `r` and frames it with `title`; returns the inside, `pad` columns
/// in from each side.
pub fn popup(buf: &mut Buffer, r: Rect, title: &str, pad: u16) -> Rect {
    Clear.render(r, buf);
    // A wide character just left of the frame would still be drawn over
    // its border: blanked, so the popup covers its area whole.
    if r.x > buf.area.x {
        for y in r.top()..r.bottom() {
            let cell = &mut buf[(r.x - 1, y)];
            if cell.symbol().width() > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    Block::bordered()
        .border_style(theme::border(true))
        .title(title)
        .render(r, buf);
    Rect::new(
        r.x + pad,
        r.y + 1,
        r.width.saturating_sub(2 * pad),
        r.height.saturating_sub(2),
    )
}

/// A line of an overlay: its text and style.
pub type OLine = (String, Style);

/// Draws `lines` in a frame over `area`, from line `scroll`: a line wider
/// than the frame is wrapped (at spaces where it can be), its next rows
/// indented, so nothing said is cut off.
pub fn overlay(buf: &mut Buffer, area: Rect, title: &str, lines: &[OLine], scroll: usize) {
    let w = lines.iter().map(|(l, _)| l.width()).max().unwrap_or(20) as u16 + 4;
    let room = (area.width.saturating_sub(2 + 4)).max(10) as usize;
    let rows: Vec<(String, Style)> = lines
        .iter()
        .flat_map(|(l, st)| {
            wrap(&sanitize_line(l), room)
                .into_iter()
                .map(move |r| (r, *st))
        })
        .collect();
    let r = centered(area, w.max(40), rows.len() as u16 + 2);
    let inner = popup(buf, r, title, 2);
    let scroll = scroll.min(rows.len().saturating_sub(inner.height as usize));
    for (i, (l, st)) in rows
        .iter()
        .skip(scroll)
        .take(inner.height as usize)
        .enumerate()
    {
        put(buf, inner.x, inner.y + i as u16, inner.right(), l, *st);
    }
}

/// `s` in rows of at most `w` columns: broken after a space where one is
/// near, else between graphemes; rows after the first indented by two.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    if s.width() <= w || w < 8 {
        return vec![s.to_string()];
    }
    let mut out = vec![];
    let mut row = String::new();
    let mut last_space: Option<usize> = None;
    for g in s.graphemes(true) {
        if row.width() + g.width() > w {
            let cut = match last_space {
                Some(i) if i > w / 2 => i,
                _ => row.len(),
            };
            let rest = row.split_off(cut);
            out.push(row.trim_end().to_string());
            row = format!("  {}", rest.trim_start());
            last_space = None;
        }
        row.push_str(g);
        if g == " " {
            last_space = Some(row.len());
        }
    }
    if !row.trim().is_empty() {
        out.push(row);
    }
    out
}

/// Paints row `y` of a list in `inner` as chosen or not; returns the
/// row's style, for what is written on it.
pub fn list_row(buf: &mut Buffer, inner: Rect, y: u16, chosen: bool) -> Style {
    let base = if chosen {
        super::super::theme::list_selected(true)
    } else {
        Style::new()
    };
    buf.set_style(Rect::new(inner.x, y, inner.width, 1), base);
    base
}

/// A label's colour as a swatch of two cells at `x`; returns the column
/// after it.
pub fn swatch(buf: &mut Buffer, x: u16, y: u16, right: u16, color: ratatui::style::Color) -> u16 {
    put(buf, x, y, right, "  ", Style::new().bg(color))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_at_spaces_and_keep_every_word() {
        let s = "label schema: annotations/labels.toml:3: invalid basic string; the built-in labels are used until the schema is fixed";
        let rows = wrap(s, 40);
        assert!(rows.len() > 2, "{rows:?}");
        assert!(rows.iter().all(|r| r.width() <= 40), "{rows:?}");
        let words: Vec<&str> = rows.iter().flat_map(|r| r.split_whitespace()).collect();
        assert_eq!(words, s.split_whitespace().collect::<Vec<_>>());
        // No space to break at: cut between graphemes, none lost.
        let long = "👍🏽".repeat(30);
        let rows = wrap(&long, 21);
        assert_eq!(rows.concat().replace(' ', ""), long);
    }
}
