//! The article list: every article of the corpus with its title, count,
//! status and health; a filter over titles, paths and status; the
//! selection, which the text pane previews.

use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Widget};
use unicode_width::UnicodeWidthStr;

use super::paint::{fit, put};
use super::{Hint, hints};
use crate::core::annotation::Status;
use crate::core::article::{Health, Summary};
use crate::core::corpus::{self, Entry};
use crate::core::display::sanitize_line;
use crate::core::filter::{Hay, ListFilter, haystack};
use crate::tui::action::Action;
use crate::tui::keymap::Scope;
use crate::tui::panes::Panes;
use crate::tui::theme;

/// What the list knows of an article besides its path.
#[derive(Debug, Clone, Default)]
pub struct ListItem {
    /// Filled in by the worker; the file name stands in until then.
    pub title: Option<String>,
    pub health: Option<Health>,
    pub count: usize,
    pub status: Status,
}

/// What a key did in the list, for the app to carry out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOutcome {
    Nothing,
    /// The selection moved to article `idx`: show it.
    Preview(usize),
    /// Open article `idx` and read it.
    Open(usize),
    /// Open the filter prompt.
    Filter,
}

#[derive(Debug)]
pub struct ArticleList {
    /// The articles, shared with the I/O thread, which fills in `items`.
    pub entries: Arc<[Entry]>,
    pub items: Vec<ListItem>,
    /// What the filter matches each item on (title and path), kept ready.
    haystacks: Vec<Hay>,
    matcher: ListFilter,
    pub filter: String,
    /// Indices into `items` that pass the filter, in order.
    pub visible: Vec<usize>,
    /// Index into `visible`.
    pub selected: usize,
    /// The first visible row.
    pub offset: usize,
    /// Rows on screen.
    pub height: usize,
    /// How many articles have each title, to tell those that share one.
    title_counts: std::collections::HashMap<String, usize>,
}

impl ArticleList {
    pub fn new(entries: Arc<[Entry]>) -> ArticleList {
        let items = vec![ListItem::default(); entries.len()];
        // Until titles come in, items are matched on their paths.
        let haystacks = entries.iter().map(|e| Hay::new(&e.rel)).collect();
        ArticleList {
            visible: (0..items.len()).collect(),
            items,
            haystacks,
            matcher: ListFilter::default(),
            filter: String::new(),
            selected: 0,
            offset: 0,
            height: 1,
            title_counts: std::collections::HashMap::new(),
            entries,
        }
    }

    /// The title shown for article `idx`.
    pub fn shown_title(&self, idx: usize) -> String {
        self.items[idx]
            .title
            .clone()
            .unwrap_or_else(|| sanitize_line(corpus::file_name(&self.entries[idx].rel)))
    }

    /// Where article `idx` (titled `title`) lives, to show by its title:
    /// its whole path when another article has the same title, else its
    /// folder; nothing for an article at the corpus's top with a title of
    /// its own.
    pub fn place(&self, idx: usize, title: &str) -> Option<String> {
        let rel = &self.entries[idx].rel;
        if self.title_counts.get(title).is_some_and(|&n| n > 1) {
            return Some(sanitize_line(rel));
        }
        rel.rsplit_once('/').map(|(dir, _)| sanitize_line(dir))
    }

    /// The article under the selection.
    pub fn chosen(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    /// How many articles are done.
    pub fn done(&self) -> usize {
        self.items
            .iter()
            .filter(|i| i.status == Status::Done)
            .count()
    }

    /// Carries out a `List` scope action.
    pub fn handle(&mut self, a: Action) -> ListOutcome {
        let page = self.height.max(1);
        let to = match a {
            Action::ListDown => self.selected.saturating_add(1),
            Action::ListUp => self.selected.saturating_sub(1),
            Action::ListTop => 0,
            Action::ListBottom => usize::MAX,
            Action::ListPageDown => self.selected.saturating_add(page),
            Action::ListPageUp => self.selected.saturating_sub(page),
            Action::ListOpen => {
                return self
                    .chosen()
                    .map_or(ListOutcome::Nothing, ListOutcome::Open);
            }
            Action::ListFilter => return ListOutcome::Filter,
            _ => return ListOutcome::Nothing,
        };
        self.select(to);
        self.chosen()
            .map_or(ListOutcome::Nothing, ListOutcome::Preview)
    }

    /// Selects visible row `i` (clamped) and scrolls to it.
    pub fn select(&mut self, i: usize) {
        self.selected = i.min(self.visible.len().saturating_sub(1));
        self.fix_offset();
    }

    /// The list is `height` rows high now.
    pub fn resize(&mut self, height: usize) {
        self.height = height.max(1);
        self.fix_offset();
    }

    fn fix_offset(&mut self) {
        let h = self.height;
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + h {
            self.offset = self.selected + 1 - h;
        }
        self.offset = self.offset.min(self.visible.len().saturating_sub(h));
    }

    /// Scrolls by `n` rows (the wheel), keeping the selection on screen.
    pub fn wheel(&mut self, n: isize) {
        let max = self.visible.len().saturating_sub(self.height);
        self.offset = self.offset.saturating_add_signed(n).min(max);
        self.selected = self
            .selected
            .clamp(self.offset, self.offset + self.height - 1)
            .min(self.visible.len().saturating_sub(1));
    }

    /// The visible row drawn `row` rows below the first.
    pub fn row_at(&self, row: usize) -> Option<usize> {
        let i = self.offset + row;
        (i < self.visible.len()).then_some(i)
    }

    /// Filters by `filter`: `is:done`, `is:new`, `is:in-progress`,
    /// `is:skipped` by status, the other words by title and path.
    pub fn set_filter(&mut self, filter: String) {
        self.filter = filter;
        let keep = self.chosen();
        let (status, words): (Vec<&str>, Vec<&str>) = self
            .filter
            .split_whitespace()
            .partition(|w| w.starts_with("is:"));
        let wanted: Vec<Status> = status
            .iter()
            .filter_map(|w| Status::parse(&w[3..]))
            .collect();
        let query = words.join(" ");
        self.visible = self.matcher.apply(&query, &self.haystacks);
        if !wanted.is_empty() {
            let items = &self.items;
            self.visible.retain(|&i| wanted.contains(&items[i].status));
        }
        // Filtering shows the best match first; clearing it keeps the place.
        self.selected = if self.filter.trim().is_empty() {
            keep.and_then(|k| self.visible.iter().position(|&i| i == k))
                .unwrap_or(0)
        } else {
            0
        };
        self.offset = 0;
        self.fix_offset();
    }

    /// What the worker found of article `idx`; its count and status are
    /// the open article's own while it is open.
    pub fn summary(&mut self, idx: usize, s: Summary, open: bool) {
        let Some(it) = self.items.get_mut(idx) else {
            return;
        };
        self.haystacks[idx] = haystack(&s.title, &self.entries[idx].rel);
        self.matcher.invalidate();
        if let Some(old) = it.title.take()
            && let Some(n) = self.title_counts.get_mut(&old)
        {
            *n -= 1;
        }
        *self.title_counts.entry(s.title.clone()).or_default() += 1;
        it.title = Some(s.title);
        it.health = Some(s.health);
        if !open {
            it.count = s.count;
            it.status = s.status;
        }
    }

    pub fn hints(&self) -> Vec<Hint> {
        hints(&[Scope::List, Scope::Global])
    }

    /// Draws the list in its pane; `open` is the article shown (or being
    /// opened), marked with ▸.
    pub fn draw(&self, buf: &mut Buffer, p: &Panes, focused: bool, open: Option<usize>) {
        let app = self;
        // Progress over the corpus, once any article is done.
        let done = app.done();
        let progress = if done > 0 {
            format!("· {done} done ")
        } else {
            String::new()
        };
        let title = if app.filter.is_empty() {
            format!(" Articles {} {progress}", app.items.len())
        } else {
            format!(
                " Articles {}/{} {progress}",
                app.visible.len(),
                app.items.len()
            )
        };
        let mut block = Block::bordered()
            .border_style(theme::border(focused))
            .title(title);
        if !app.filter.is_empty() {
            block = block.title_bottom(format!(" /{} ", fit(&app.filter, 20)));
        }
        block.render(p.list, buf);
        let inner = p.list_inner;
        let right = inner.right();
        for (row, &idx) in app
            .visible
            .iter()
            .skip(app.offset)
            .take(inner.height as usize)
            .enumerate()
        {
            let y = inner.y + row as u16;
            let it = &app.items[idx];
            let is_selected = app.offset + row == app.selected;
            let base = if is_selected {
                theme::list_selected(focused)
            } else {
                Style::new()
            };
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), base);
            let open = open == Some(idx);
            let (mark, mark_style) = match it.health {
                Some(Health::ReadOnly) => ("!", theme::warn()),
                Some(Health::Unreadable) => ("✗", theme::error()),
                _ if open => ("▸", Style::new()),
                _ if it.status == Status::Done => ("✓", theme::dim()),
                _ => (" ", Style::new()),
            };
            let x = put(buf, inner.x, y, right, mark, base.patch(mark_style));
            let count = if it.count > 0 {
                format!(" {}", it.count)
            } else {
                " ·".to_string()
            };
            let room = (right - x) as usize;
            let title_w = room.saturating_sub(count.width());
            // Where it lives: its folder, or its whole path when another
            // article has the same title; dim, after the title.
            let title = app.shown_title(idx);
            let place = app.place(idx, &title);
            let place_w = place.as_ref().map_or(0, |p| p.width().min(title_w / 2));
            let main_w = if place_w > 0 {
                title_w.saturating_sub(place_w + 1)
            } else {
                title_w
            };
            let tx = put(buf, x, y, right, &fit(&title, main_w), base);
            if let Some(p) = place.filter(|_| place_w > 0) {
                let px = tx.max(x + main_w as u16) + 1;
                put(
                    buf,
                    px,
                    y,
                    right,
                    &fit(&p, place_w),
                    base.patch(theme::dim()),
                );
            }
            let cx = right.saturating_sub(count.width() as u16).max(x);
            put(
                buf,
                cx,
                y,
                right,
                &count,
                base.patch(if is_selected {
                    Style::new()
                } else {
                    theme::dim()
                }),
            );
        }
        if app.visible.is_empty() && inner.height > 0 {
            let s = if app.items.is_empty() {
                "no articles"
            } else {
                "no match"
            };
            put(buf, inner.x + 1, inner.y, right, s, theme::dim());
        }
    }
}
