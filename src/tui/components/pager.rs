//! A scrolling view over the screen (help, problems): the `Pager` scope's
//! keys scroll it, any other key closes it.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::paint::{OLine, overlay};
use super::{Hint, hints};
use crate::tui::action::Action;
use crate::tui::keymap::{Scope, lookup};

/// Which view the pager shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Help,
    Problems,
    /// The corpus at a glance (`gloss stats`).
    Stats,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager {
    pub page: Page,
    pub scroll: usize,
}

impl Pager {
    pub fn new(page: Page) -> Pager {
        Pager { page, scroll: 0 }
    }

    /// Takes key `k`; returns whether the pager stays open.
    pub fn handle(&mut self, k: &KeyEvent) -> bool {
        let s = self.scroll;
        self.scroll = match lookup(&[Scope::Pager], k) {
            Some(Action::PagerDown) => s + 1,
            Some(Action::PagerUp) => s.saturating_sub(1),
            Some(Action::PagerPageDown) => s + 10,
            Some(Action::PagerPageUp) => s.saturating_sub(10),
            Some(Action::PagerTop) => 0,
            _ => return false,
        };
        true
    }

    pub fn hints(&self) -> Vec<Hint> {
        hints(&[Scope::Pager])
    }

    /// Draws `lines` in a frame over `area`, from the scroll position.
    pub fn draw(&self, buf: &mut Buffer, area: Rect, title: &str, lines: &[OLine]) {
        overlay(buf, area, title, lines, self.scroll);
    }
}
