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

pub fn overlay(buf: &mut Buffer, area: Rect, title: &str, lines: &[OLine], scroll: usize) {
    let w = lines.iter().map(|(l, _)| l.width()).max().unwrap_or(20) as u16 + 4;
    let r = centered(area, w.max(40), lines.len() as u16 + 2);
    let inner = popup(buf, r, title, 2);
    let scroll = scroll.min(lines.len().saturating_sub(inner.height as usize));
    for (i, (l, st)) in lines
        .iter()
        .skip(scroll)
        .take(inner.height as usize)
        .enumerate()
    {
        put(buf, inner.x, inner.y + i as u16, inner.right(), l, *st);
    }
}
