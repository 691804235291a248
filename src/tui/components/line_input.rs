//! A one-line text input: the editing keys of the `Prompt` scope, typed
//! characters and pastes. The search, filter, note and name prompts and
//! the label picker are built on it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

use super::paint::put;
use crate::core::display::sanitize_line;
use crate::tui::action::Action;
use crate::tui::keymap::{Scope, lookup};

/// A one-line text input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub text: String,
    /// Byte offset of the caret.
    pub caret: usize,
}

pub enum InputOutcome {
    Changed,
    Moved,
    Submit,
    Cancel,
    Ignored,
}

impl LineInput {
    pub fn with(text: &str) -> Self {
        LineInput {
            text: text.to_string(),
            caret: text.len(),
        }
    }

    /// Puts `s` at the caret, as typed, but whole (a paste). Control
    /// characters other than line breaks are dropped, as typing cannot
    /// enter them either.
    pub fn insert_str(&mut self, s: &str) {
        let clean: String = s
            .chars()
            .filter(|&c| c == '\n' || !c.is_control())
            .collect();
        self.text.insert_str(self.caret, &clean);
        self.caret += clean.len();
    }

    /// Takes key `k`: an editing action from the key table (`Prompt`
    /// scope), or a character typed.
    pub fn handle(&mut self, k: &KeyEvent) -> InputOutcome {
        match lookup(&[Scope::Prompt], k) {
            Some(a) => self.apply(a),
            None => match k.code {
                KeyCode::Char(c)
                    if !k.modifiers.contains(KeyModifiers::CONTROL) && !c.is_control() =>
                {
                    self.text.insert(self.caret, c);
                    self.caret += c.len_utf8();
                    InputOutcome::Changed
                }
                _ => InputOutcome::Ignored,
            },
        }
    }

    /// Carries out an editing action.
    pub fn apply(&mut self, a: Action) -> InputOutcome {
        let prev = |s: &str, i: usize| s[..i].chars().next_back().map_or(0, |c| i - c.len_utf8());
        let next = |s: &str, i: usize| s[i..].chars().next().map_or(i, |c| i + c.len_utf8());
        match a {
            Action::InputSubmit => InputOutcome::Submit,
            Action::InputCancel => InputOutcome::Cancel,
            Action::InputClearToStart => {
                self.text.drain(..self.caret);
                self.caret = 0;
                InputOutcome::Changed
            }
            Action::InputStart => {
                self.caret = 0;
                InputOutcome::Moved
            }
            Action::InputEnd => {
                self.caret = self.text.len();
                InputOutcome::Moved
            }
            Action::InputBackspace if self.caret > 0 => {
                let p = prev(&self.text, self.caret);
                self.text.drain(p..self.caret);
                self.caret = p;
                InputOutcome::Changed
            }
            Action::InputDelete if self.caret < self.text.len() => {
                let n = next(&self.text, self.caret);
                self.text.drain(self.caret..n);
                InputOutcome::Changed
            }
            Action::InputLeft => {
                self.caret = prev(&self.text, self.caret);
                InputOutcome::Moved
            }
            Action::InputRight => {
                self.caret = next(&self.text, self.caret);
                InputOutcome::Moved
            }
            _ => InputOutcome::Ignored,
        }
    }
}

impl LineInput {
    /// Draws the text from `x` on row `y`, clipped at `right`; returns the
    /// column of the caret (where the terminal's cursor goes).
    ///
    /// Text longer than the room scrolls, as in a shell: the caret stays in
    /// sight with what was typed just before it; `…` says more is there.
    pub fn draw(&self, buf: &mut Buffer, x: u16, y: u16, right: u16, style: Style) -> u16 {
        use unicode_segmentation::UnicodeSegmentation;
        let room = right.saturating_sub(x) as usize;
        let shown = sanitize_line(&self.text);
        let before = sanitize_line(&self.text[..self.caret]);
        if shown.width() < room || room < 4 {
            put(buf, x, y, right, &shown, style);
            return x + before.width() as u16;
        }
        // Drop graphemes from the start until the caret fits with a cell
        // to spare; show `…` where they were.
        let mut skip_w = 0;
        let mut skip_bytes = 0;
        for g in before.graphemes(true) {
            if before.width() - skip_w + 2 <= room {
                break;
            }
            skip_w += g.width();
            skip_bytes += g.len();
        }
        let mut nx = x;
        if skip_bytes > 0 {
            nx = put(buf, x, y, right, "…", style);
        }
        put(
            buf,
            nx,
            y,
            right,
            shown.get(skip_bytes..).unwrap_or(""),
            style,
        );
        nx + before[skip_bytes..].width() as u16
    }
}

/// What a key did to a list with a filter line (the label picker, the
/// annotation list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKey {
    Stay,
    /// The filter changed: the choice goes back to the first row.
    Filtered,
    Cancel,
    /// Enter on row `selected`.
    Submit,
}

/// Takes key `k` for a list of `len` rows filtered by `input`: the
/// `Picker` scope's keys move `selected`, the rest edit the filter.
pub fn list_key(k: &KeyEvent, input: &mut LineInput, selected: &mut usize, len: usize) -> ListKey {
    match lookup(&[Scope::Picker], k) {
        Some(Action::PickNext) => *selected = (*selected + 1).min(len.saturating_sub(1)),
        Some(Action::PickPrev) => *selected = selected.saturating_sub(1),
        _ => match input.handle(k) {
            InputOutcome::Cancel => return ListKey::Cancel,
            InputOutcome::Submit => return ListKey::Submit,
            InputOutcome::Changed => {
                *selected = 0;
                return ListKey::Filtered;
            }
            InputOutcome::Moved | InputOutcome::Ignored => {}
        },
    }
    ListKey::Stay
}
