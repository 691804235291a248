//! A prompt on the status row: search, list filter, note, relation name or
//! document label, each a `LineInput` with a title and its own Enter.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::line_input::LineInput;
use super::paint::put;
use super::{Hint, hints_with};
use crate::tui::action::Action;
use crate::tui::keymap::Scope;
use crate::tui::theme;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// Searching the text; `origin` is where the cursor was.
    Search {
        origin: usize,
    },
    /// Filtering the list; `before` is the filter to go back to.
    ListFilter {
        before: String,
    },
    Note {
        id: String,
    },
    /// The name of a relation from one annotation to another, when the
    /// schema has no relation types to choose from.
    RelationName {
        from: String,
        to: String,
    },
    /// The lowest score of the suggestions to accept at once.
    AcceptAbove,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: LineInput,
}

impl Prompt {
    pub fn title(&self) -> &'static str {
        match self.kind {
            PromptKind::Search { .. } => "/",
            PromptKind::ListFilter { .. } => "filter: ",
            PromptKind::Note { .. } => "note: ",
            PromptKind::RelationName { .. } => "relation: ",
            PromptKind::AcceptAbove => "accept suggestions scoring at least: ",
        }
    }

    /// What Enter does here, for the footer.
    fn submit_word(&self) -> &'static str {
        match self.kind {
            PromptKind::Search { .. } => "search",
            PromptKind::ListFilter { .. } => "filter",
            PromptKind::Note { .. } => "save note",
            PromptKind::RelationName { .. } => "relate",
            PromptKind::AcceptAbove => "accept",
        }
    }

    /// The footer: the `Prompt` scope's keys, Enter named for this prompt.
    pub fn hints(&self) -> Vec<Hint> {
        hints_with(&[Scope::Prompt], |a| match a {
            Action::InputSubmit => Some(self.submit_word()),
            _ => None,
        })
    }

    /// Draws the prompt on the status row `area`; returns where the
    /// terminal's cursor goes.
    pub fn draw(&self, buf: &mut Buffer, area: Rect) -> Option<Position> {
        let right = area.right();
        let x = put(
            buf,
            area.x,
            area.y,
            right,
            self.title(),
            theme::status().patch(theme::key()),
        );
        let caret = self.input.draw(buf, x, area.y, right, theme::status());
        (caret < right).then_some(Position::new(caret, area.y))
    }
}
