//! Clicks, drags and the wheel, on the panes where they were drawn.

use super::*;

impl App {
    // ---- the mouse ----

    pub(super) fn on_mouse(&mut self, m: MouseEvent) {
        let Some(p) = self.panes() else {
            return;
        };
        let at = Position::new(m.column, m.row);
        let in_text = p.text_inner.contains(at);
        let in_list = p.list_inner.contains(at);
        let in_panel = p.panel.is_some_and(|r| r.contains(at));
        match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let n = if m.kind == MouseEventKind::ScrollDown {
                    3
                } else {
                    -3
                };
                if in_list {
                    self.list.wheel(n);
                } else {
                    self.scroll(n);
                }
            }
            MouseEventKind::Down(MouseButton::Left) if in_list => {
                if let Some(i) = self.list.row_at((m.row - p.list_inner.y) as usize) {
                    self.list.select(i);
                    self.focus = Focus::List;
                    self.apply(Action::ListOpen);
                }
            }
            MouseEventKind::Down(MouseButton::Left) if in_panel => self.focus = Focus::Panel,
            MouseEventKind::Down(MouseButton::Left) if in_text => {
                self.focus = Focus::Text;
                if let Some(d) = self.doc.as_mut() {
                    let pos = d.pos_at(p.text_inner, at);
                    if d.edit.is_none() {
                        d.anchor = None;
                    }
                    d.move_to(pos);
                    self.drag_from = Some(pos);
                }
            }
            MouseEventKind::Drag(MouseButton::Left) => {
                if let (Some(from), Some(d)) = (self.drag_from, self.doc.as_mut()) {
                    let pos = d.pos_at(p.text_inner, at);
                    if d.edit.is_none() {
                        d.anchor = Some(from);
                    }
                    d.move_to(pos);
                }
            }
            MouseEventKind::Up(MouseButton::Left) => self.drag_from = None,
            _ => {}
        }
    }
}
