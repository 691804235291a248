//! Where each part of the screen goes. Drawing and mouse handling both ask
//! here, so a click always lands on what was drawn.

use ratatui::layout::Rect;

/// The smallest terminal gloss draws in.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub list: Rect,
    pub list_inner: Rect,
    pub text: Rect,
    pub text_inner: Rect,
    pub status: Rect,
    pub footer: Rect,
    /// The annotation panel under the text, when it is open and fits.
    pub panel: Option<Rect>,
}

fn inner(r: Rect) -> Rect {
    Rect {
        x: r.x + 1,
        y: r.y + 1,
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}

/// The panes for a terminal of `area`, or `None` when it is too small.
pub fn panes(area: Rect) -> Option<Panes> {
    panes_with(area, false)
}

/// The panes, with the annotation panel under the text if `panel` (and
/// the text keeps at least four rows).
pub fn panes_with(area: Rect, panel: bool) -> Option<Panes> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let main_h = area.height - 2;
    let list_w = (area.width * 3 / 10).clamp(16, 44);
    let list = Rect::new(area.x, area.y, list_w, main_h);
    let panel_h = (main_h * 2 / 5).clamp(4, 10);
    let (text_h, panel) = if panel && main_h >= panel_h + 6 {
        let r = Rect::new(
            area.x + list_w,
            area.y + main_h - panel_h,
            area.width - list_w,
            panel_h,
        );
        (main_h - panel_h, Some(r))
    } else {
        (main_h, None)
    };
    let text = Rect::new(area.x + list_w, area.y, area.width - list_w, text_h);
    Some(Panes {
        panel,
        list,
        list_inner: inner(list),
        text,
        text_inner: inner(text),
        status: Rect::new(area.x, area.y + main_h, area.width, 1),
        footer: Rect::new(area.x, area.y + main_h + 1, area.width, 1),
    })
}

/// The text pane's inner size for a terminal of `w` by `h`, with the
/// annotation panel open or not.
pub fn text_size(w: u16, h: u16, panel: bool) -> (usize, usize) {
    panes_with(Rect::new(0, 0, w, h), panel).map_or((1, 1), |p| {
        (
            p.text_inner.width.max(1) as usize,
            p.text_inner.height.max(1) as usize,
        )
    })
}
