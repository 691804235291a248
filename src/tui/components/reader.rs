//! The reader: the open article and the view of it (cursor, selection,
//! scroll, search, the edit or relation under way), its motions and its
//! drawing. What the text keys do to annotations is the app's
//! (`app::annotate`), since it needs the schema and the saves.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Widget};
use unicode_width::UnicodeWidthStr;

use super::paint::{cursor_style, fit, put};
use crate::core::annotation::{Annotation, Store};
use crate::core::display::Glyph;
use crate::core::display::sanitize_line;
use crate::core::labels::Schema;
use crate::core::layout::{Inlays, Layout};
use crate::core::search::Search;
use crate::session::document::Document;
use crate::tui::panes::Panes;
use crate::tui::theme;

/// The open article as the reader shows it: the document (its text,
/// annotations and save, in `session`) and the view of it (cursor,
/// selection, scroll, the edit or relation under way, the search).
#[derive(Debug)]
pub struct Doc {
    pub session: Document,
    pub layout: Layout,
    /// Byte offset of the cursor, always at a grapheme start.
    pub cursor: usize,
    /// The other end of the selection, when there is one.
    pub anchor: Option<usize>,
    /// Byte offset of the first visible row's start: a place in the
    /// document, not a row number, so it survives resizes.
    pub top: usize,
    /// The column `j` and `k` aim for.
    pub goal_col: Option<usize>,
    /// The annotation whose bounds are being edited.
    pub edit: Option<String>,
    /// The annotation a relation is being made from.
    pub relating: Option<String>,
    pub search: Option<Search>,
    /// The search match the cursor was last taken to: a label key with
    /// nothing selected tags it while the cursor is still at its start.
    pub found: Option<Range<usize>>,
    /// Only a glimpse of a large article (its start or its end) while it
    /// is read: shown, never saved, and keys wait for the real one.
    pub glimpse: bool,
    /// Rows of text on screen.
    pub height: usize,
}

impl Doc {
    /// `session` in a view `width` by `height` cells, at its start,
    /// nothing selected or pending.
    pub fn new(session: Document, (width, height): (usize, usize)) -> Doc {
        Doc {
            session,
            height: height.max(1),
            layout: Layout::new(width),
            cursor: 0,
            anchor: None,
            top: 0,
            goal_col: None,
            edit: None,
            relating: None,
            search: None,
            found: None,
            glimpse: false,
        }
    }
}

/// What an inlay says for `a`: its label, a pencil when it has a note.
pub fn inlay_text(a: &Annotation) -> String {
    let name: String = sanitize_line(&a.label).chars().take(INLAY_MAX).collect();
    format!("{name}{}›", if a.note.is_some() { "✎" } else { "" })
}

/// The longest label name an inlay shows.
const INLAY_MAX: usize = 12;

/// Spans starting together, outermost first (as they nest).
fn inlay_order<'a>(anns: impl Iterator<Item = &'a &'a Annotation>) -> Vec<&'a Annotation> {
    let mut v: Vec<&Annotation> = anns.map(|a| &**a).collect();
    v.sort_by_key(|a| (std::cmp::Reverse(a.end), a.label.clone()));
    v
}

/// The inlays of `store`: at each span's start, room for its label's name
/// (and a pencil when it carries a note), as `inlay_text` draws them.
pub fn inlays(store: &Store) -> Inlays {
    let mut out = Inlays::new();
    for a in store.all() {
        *out.entry(a.start.get()).or_default() += inlay_text(a).width();
    }
    out
}

impl Doc {
    /// The selected bytes: both ends' graphemes included, as in vim.
    pub fn selection(&self) -> Option<Range<usize>> {
        self.anchor.map(|a| {
            let (s, e) = if a <= self.cursor {
                (a, self.cursor)
            } else {
                (self.cursor, a)
            };
            s..self.session.text.next_boundary(e).max(s)
        })
    }

    /// `pos` made a place the cursor can be: a grapheme start in the text.
    pub fn clamp(&self, pos: usize) -> usize {
        self.session
            .text
            .floor_boundary(pos)
            .min(self.session.text.last_cursor_pos())
    }

    /// Puts the cursor at `pos` (clamped) and scrolls to it.
    pub fn move_to(&mut self, pos: usize) {
        self.cursor = self.clamp(pos);
        self.goal_col = None;
        self.scroll_to_cursor();
    }

    pub fn move_rows(&mut self, n: isize) {
        let d = self;
        let (p, col) = d.layout.cell_of(&d.session.text, d.cursor);
        let goal = *d.goal_col.get_or_insert(col);
        let q = d.layout.step(&d.session.text, p, n);
        d.cursor = d.clamp(d.layout.offset_at(&d.session.text, q, goal));
        d.scroll_to_cursor();
    }

    pub fn page(&mut self, dir: isize) {
        let h = self.height;
        let n = (h.saturating_sub(2)).max(1) as isize * dir;
        {
            let d = &mut *self;
            let top = d.layout.row_pos(&d.session.text, d.top);
            d.top = d
                .layout
                .row_start(&d.session.text, d.layout.step(&d.session.text, top, n));
        }
        self.move_rows(n);
    }

    /// Scrolls the least that shows the cursor with a margin of context.
    pub fn scroll_to_cursor(&mut self) {
        let h = self.height;
        let d = self;
        let (t, lay) = (&d.session.text, &d.layout);
        let margin = (h / 4).min(3) as isize;
        let cur = lay.row_pos(t, d.cursor);
        let top = lay.row_pos(t, d.top);
        let new_top = if cur < lay.step(t, top, margin) {
            lay.step(t, cur, -margin)
        } else if cur > lay.step(t, top, h as isize - 1 - margin) {
            lay.step(t, cur, -(h as isize - 1 - margin))
        } else {
            top
        };
        // Never leave blank rows below the end when the text could fill them.
        let last = lay.step(t, new_top, h as isize - 1);
        let new_top = if lay.next_row(t, last).is_none() {
            lay.step(t, last, -(h as isize - 1))
        } else {
            new_top
        };
        d.top = lay.row_start(t, new_top);
    }

    /// The view is `w` by `h` cells now: laid out again if the width
    /// changed, the first row kept.
    pub fn resize(&mut self, (w, h): (usize, usize)) {
        self.height = h.max(1);
        let d = &mut *self;
        if d.layout.width() != w {
            let inlays = d.layout.inlays().clone();
            d.layout = Layout::new(w);
            d.layout.set_inlays(inlays);
            let top = d.layout.row_pos(&d.session.text, d.top);
            d.top = d.layout.row_start(&d.session.text, top);
        }
        d.scroll_to_cursor();
    }

    /// Scrolls the view by `n` rows (the mouse wheel), keeping the cursor
    /// on screen.
    pub fn scroll(&mut self, n: isize) {
        let h = self.height;
        let d = self;
        let (t, lay) = (&d.session.text, &d.layout);
        let top = lay.step(t, lay.row_pos(t, d.top), n);
        let last_top = lay.step(t, lay.step(t, top, h as isize), -(h as isize - 1));
        let top = top.min(last_top.max(lay.row_pos(t, 0)));
        d.top = lay.row_start(t, top);
        let bottom = lay.step(t, top, h as isize - 1);
        let (cur, col) = lay.cell_of(t, d.cursor);
        if cur < top {
            d.cursor = d.clamp(lay.offset_at(t, top, col));
        } else if cur > bottom {
            d.cursor = d.clamp(lay.offset_at(t, bottom, col));
        }
    }

    /// The text position drawn at screen cell `at` of the text pane
    /// `inner`.
    pub fn pos_at(&self, inner: Rect, at: Position) -> usize {
        let y = at.y.clamp(inner.y, inner.bottom().saturating_sub(1)) - inner.y;
        let top = self.layout.row_pos(&self.session.text, self.top);
        let row = self.layout.step(&self.session.text, top, y as isize);
        let col = at.x.saturating_sub(inner.x) as usize;
        self.layout.offset_at(&self.session.text, row, col)
    }

    /// Draws the article in the text pane, titled `title`, its spans in
    /// their labels' colours from `schema`.
    pub fn draw(&self, buf: &mut Buffer, p: &Panes, focused: bool, title: &str, schema: &Schema) {
        let d = self;
        let inner = p.text_inner;
        let block = Block::bordered().border_style(theme::border(focused));
        let (t, lay) = (&d.session.text, &d.layout);
        let first = lay.row_pos(t, d.top);
        let last = lay.step(t, first, inner.height as isize - 1);
        let window = lay.row_start(t, first)..lay.row_range(t, last).end;
        // Where the view is, as vim and less say it.
        let at_end = lay.next_row(t, last).is_none();
        let place = match (d.top == 0, at_end) {
            (true, true) => "All".to_string(),
            (true, false) => "Top".to_string(),
            (false, true) => "Bot".to_string(),
            (false, false) => format!("{}%", window.end * 100 / t.len().max(1)),
        };
        let n = d.session.store.len();
        // The article's status and document labels, where it has them.
        let mut about = String::new();
        if d.session.store.status() != crate::core::annotation::Status::New {
            about.push_str(&format!(" · {}", d.session.store.status().name()));
        }
        for l in d.session.store.doc_labels() {
            about.push_str(&format!(" · {}: {}", l.group, l.label));
        }
        let mut right_title = format!(
            " {n} tag{}{about} · {place} ",
            if n == 1 { "" } else { "s" }
        );
        if d.glimpse {
            right_title = " reading… ".into();
        } else if d.session.read_only.is_some() {
            right_title = format!(" read-only ·{right_title}");
        }
        let room = (p.text.width as usize).saturating_sub(right_title.width() + 6);
        let block = block
            .title(format!(" {} ", fit(title, room)))
            .title_top(ratatui::text::Line::from(right_title).right_aligned());
        block.render(p.text, buf);

        if d.session.text.is_empty() {
            let why = d
                .session
                .read_only
                .as_deref()
                .unwrap_or("the article is empty");
            put(
                buf,
                inner.x + 1,
                inner.y,
                inner.right(),
                &fit(why, inner.width as usize),
                theme::dim(),
            );
            return;
        }
        let sel = d.selection();
        let width = inner.width as usize;
        // Search matches in the visible window only.
        let matches: Vec<std::ops::Range<usize>> = d
            .search
            .as_ref()
            .map(|s| s.matches_in(t.as_str(), window.clone()))
            .unwrap_or_default();
        // The other ends of the relations of the annotation under the
        // cursor are underlined, so both ends of each show at once.
        let here = d.session.store.innermost_at(d.cursor);
        let related: Vec<&str> = here
            .map(|a| {
                d.session
                    .store
                    .relations_of(&a.id)
                    .map(|r| {
                        if r.from == a.id {
                            r.to.as_str()
                        } else {
                            r.from.as_str()
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Open suggestions in the visible window, drawn where no
        // annotation is: the label's colour on the text, underlined.
        let suggested: Vec<&crate::core::annotation::Suggestion> =
            crate::tui::app::open_suggestions(&d.session.store)
                .filter(|s| s.start.get() < window.end && s.end.get() > window.start)
                .collect();
        let mut row = Some(first);
        for y in inner.y..inner.bottom() {
            let Some(rp) = row else { break };
            let range = lay.row_range(t, rp);
            let anns: Vec<_> = d
                .session
                .store
                .overlapping(range.start..range.end.max(range.start + 1))
                .collect();
            let mut end_col = 0;
            for cell in lay.cells(t, range.clone()) {
                if cell.col >= width {
                    break;
                }
                let off = cell.offset;
                // Label names shown inline, before the span they start.
                if let Some(&w) = lay.inlays().get(&off) {
                    let starting = anns.iter().filter(|a| a.start.get() == off);
                    let mut x = inner.x + (cell.col - w.min(cell.col)) as u16;
                    for a in inlay_order(starting) {
                        let bg = theme::label_bg(schema, &a.label);
                        let tag = inlay_text(a);
                        let st = theme::inlay(bg);
                        x = put(buf, x, y, inner.right(), &tag, st);
                    }
                }
                let mut style = Style::new();
                let covering: Vec<_> = anns.iter().filter(|a| a.range().contains(&off)).collect();
                if let Some(inner_most) = covering.iter().min_by_key(|a| a.end - a.start) {
                    let bg = theme::label_bg(schema, &inner_most.label);
                    style = theme::annotated(bg, covering.len());
                    // A span that carries a note is in italics.
                    if covering.iter().any(|a| a.note.is_some()) {
                        style = style.add_modifier(ratatui::style::Modifier::ITALIC);
                    }
                } else if let Some(sg) = suggested
                    .iter()
                    .filter(|s| s.range().contains(&off))
                    .min_by_key(|s| s.end.get() - s.start.get())
                {
                    style = theme::suggested(theme::label_bg(schema, &sg.label));
                }
                // The start of a relation being made stays marked while the
                // cursor goes to its other end.
                if d.relating
                    .as_ref()
                    .is_some_and(|id| covering.iter().any(|a| &a.id == id))
                {
                    style = style.add_modifier(ratatui::style::Modifier::REVERSED);
                }
                if covering.iter().any(|a| related.contains(&a.id.as_str())) {
                    style = style.add_modifier(ratatui::style::Modifier::UNDERLINED);
                }
                if matches.iter().any(|m| m.start <= off && off < m.end) {
                    style = if covering.is_empty() {
                        style.patch(theme::search_match())
                    } else {
                        style.patch(theme::search_match_in_tag())
                    };
                }
                if sel.as_ref().is_some_and(|s| s.contains(&off)) {
                    style = style.patch(theme::selection());
                }
                if cell.glyph.is_escaped() {
                    style = style.patch(theme::escaped());
                }
                if off == d.cursor {
                    style = style.patch(cursor_style(focused));
                }
                let mut x = inner.x + cell.col as u16;
                let w = cell.width();
                match &cell.glyph {
                    Glyph::Text(s) => {
                        if cell.col + w <= width {
                            buf[(x, y)].set_symbol(s).set_style(style);
                            for i in 1..w {
                                buf[(x + i as u16, y)].reset();
                                buf[(x + i as u16, y)].set_style(style);
                            }
                        }
                    }
                    g => {
                        for sym in g.cells() {
                            if x >= inner.right() {
                                break;
                            }
                            buf[(x, y)].set_symbol(&sym).set_style(style);
                            x += 1;
                        }
                    }
                }
                end_col = cell.col + w;
            }
            // The cursor on a line's end (its terminator) has a cell of its own.
            let line_end = t.block_range(rp.block).end;
            if d.cursor == line_end && lay.ends_line(t, rp) {
                let x = inner.x + end_col.min(width - 1) as u16;
                let mut style = cursor_style(focused);
                if sel.as_ref().is_some_and(|s| s.contains(&d.cursor)) {
                    style = theme::selection().patch(style);
                }
                buf[(x, y)].set_symbol(" ").set_style(style);
            }
            row = lay.next_row(t, rp);
        }
    }
}
