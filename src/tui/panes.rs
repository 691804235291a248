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

/// What the user made of the layout: the panel open, the list widened,
/// narrowed or hidden.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    pub panel: bool,
    /// Columns added to (or taken from) the list's default width.
    pub list_delta: i16,
    pub list_hidden: bool,
}

/// The narrowest the list gets, and the least the text keeps.
pub const LIST_MIN: u16 = 12;
pub const TEXT_MIN: u16 = 24;

/// The panes for a terminal of `area`, or `None` when it is too small.
pub fn panes(area: Rect) -> Option<Panes> {
    panes_with(area, Shape::default())
}

/// The panes in `shape`: the annotation panel under the text if asked
/// (and the text keeps at least four rows); the list as wide as asked
/// within bounds, or not there.
pub fn panes_with(area: Rect, shape: Shape) -> Option<Panes> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let main_h = area.height - 2;
    let panel = shape.panel;
    let default_w = (area.width * 3 / 10).clamp(16, 44) as i32;
    let list_w = if shape.list_hidden {
        0
    } else {
        (default_w + shape.list_delta as i32).clamp(LIST_MIN as i32, (area.width - TEXT_MIN) as i32)
            as u16
    };
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

/// The text pane's inner size for a terminal of `w` by `h` in `shape`.
pub fn text_size(w: u16, h: u16, shape: Shape) -> (usize, usize) {
    panes_with(Rect::new(0, 0, w, h), shape).map_or((1, 1), |p| {
        (
            p.text_inner.width.max(1) as usize,
            p.text_inner.height.max(1) as usize,
        )
    })
}
