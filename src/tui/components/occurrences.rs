//! Tag every occurrence (`*`): the other places in the article where the
//! phrase under the cursor stands as whole words, case as typed, shown in
//! context (a keyword-in-context list), each accepted or rejected before
//! anything is written; applied as one undoable step.

use std::ops::Range;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::paint::{centered, fit, popup, put};
use super::{Hint, hints};
use crate::core::annotation::Store;
use crate::core::display::sanitize_line;
use crate::core::text::Text;
use crate::tui::action::Action;
use crate::tui::keymap::{Scope, lookup};
use crate::tui::theme;

/// One place the phrase stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub range: Range<usize>,
    pub line: usize,
    pub accepted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrences {
    pub phrase: String,
    /// The label to tag with, when the phrase came from an annotation;
    /// else a digit chooses it.
    pub label: Option<String>,
    pub hits: Vec<Hit>,
    pub selected: usize,
}

/// What a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Cancel,
    /// Tag the accepted ones with the label given, or the one on key `n`.
    Apply(Option<u8>),
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where `phrase` stands in `t` as whole words (not inside a longer word),
/// case as typed, on grapheme boundaries.
pub fn find_all(t: &Text, phrase: &str) -> Vec<Range<usize>> {
    let s = t.as_str();
    if phrase.trim().is_empty() {
        return vec![];
    }
    let starts_word = phrase.chars().next().is_some_and(is_word_char);
    let ends_word = phrase.chars().last().is_some_and(is_word_char);
    s.match_indices(phrase)
        .map(|(i, m)| i..i + m.len())
        .filter(|r| {
            let before = s[..r.start].chars().next_back();
            let after = s[r.end..].chars().next();
            (!starts_word || !before.is_some_and(is_word_char))
                && (!ends_word || !after.is_some_and(is_word_char))
                && t.is_grapheme_boundary(r.start)
                && t.is_grapheme_boundary(r.end)
        })
        .collect()
}

impl Occurrences {
    /// The places of `phrase`, without `source` when it is an annotation
    /// already (`label` is its label), and without those `store` already
    /// has with `label` (by anyone: tagging them again would only be said
    /// as "already tagged").
    pub fn new(
        t: &Text,
        store: &Store,
        phrase: &str,
        source: Range<usize>,
        label: Option<String>,
    ) -> Occurrences {
        let hits = find_all(t, phrase)
            .into_iter()
            .filter(|r| label.is_none() || *r != source)
            .filter(|r| {
                !store
                    .all()
                    .iter()
                    .any(|a| a.range() == *r && label.as_deref().is_none_or(|l| a.label == l))
            })
            .map(|range| Hit {
                line: t.line_of(range.start),
                range,
                accepted: true,
            })
            .collect();
        Occurrences {
            phrase: phrase.to_string(),
            label,
            hits,
            selected: 0,
        }
    }

    /// The ranges accepted.
    pub fn accepted(&self) -> Vec<Range<usize>> {
        self.hits
            .iter()
            .filter(|h| h.accepted)
            .map(|h| h.range.clone())
            .collect()
    }

    /// Takes key `k`: the `Occurrences` scope's keys, or a label digit.
    pub fn handle(&mut self, k: &KeyEvent) -> Outcome {
        let last = self.hits.len().saturating_sub(1);
        match lookup(&[Scope::Occurrences], k) {
            Some(Action::OccurrenceDown) => self.selected = (self.selected + 1).min(last),
            Some(Action::OccurrenceUp) => self.selected = self.selected.saturating_sub(1),
            Some(Action::OccurrenceToggle) => {
                if let Some(h) = self.hits.get_mut(self.selected) {
                    h.accepted = !h.accepted;
                }
                self.selected = (self.selected + 1).min(last);
            }
            Some(Action::OccurrenceAll) => {
                let all = self.hits.iter().all(|h| h.accepted);
                self.hits.iter_mut().for_each(|h| h.accepted = !all);
            }
            Some(Action::OccurrenceApply) => return Outcome::Apply(None),
            Some(Action::Tag(n)) => return Outcome::Apply(Some(n)),
            Some(Action::InputCancel) => return Outcome::Cancel,
            _ => {}
        }
        Outcome::Stay
    }

    pub fn hints(&self) -> Vec<Hint> {
        let mut v = hints(&[Scope::Occurrences]);
        // Without a label to reuse, only a digit tags.
        if self.label.is_none() {
            v.retain(|(k, _)| k != "Enter");
        }
        v
    }

    /// Draws the list over `area`: each place with its line and its
    /// context, the phrase highlighted, accepted ones ticked.
    pub fn draw(&self, buf: &mut Buffer, area: Rect, t: &Text) {
        let rows = self.hits.len().max(1) as u16 + 4;
        let r = centered(area, area.width.saturating_sub(4), rows);
        let accepted = self.hits.iter().filter(|h| h.accepted).count();
        let what = match &self.label {
            Some(l) => format!("as {}", sanitize_line(l)),
            None => "with the label a digit gives".to_string(),
        };
        let title = format!(
            " “{}”: {} place(s), {accepted} to tag {what} ",
            fit(&self.phrase, 30),
            self.hits.len()
        );
        let inner = popup(buf, r, &title, 1);
        if self.hits.is_empty() {
            put(
                buf,
                inner.x + 1,
                inner.y,
                inner.right(),
                "no other place has it as whole words (already tagged ones are left out)",
                theme::dim(),
            );
            return;
        }
        let h = inner.height as usize;
        let first = self.selected.saturating_sub(h.saturating_sub(1));
        let width = inner.width as usize;
        for (row, (i, hit)) in self.hits.iter().enumerate().skip(first).take(h).enumerate() {
            let y = inner.y + row as u16;
            let base = if i == self.selected {
                theme::list_selected(true)
            } else {
                Style::new()
            };
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), base);
            let tick = if hit.accepted { "[x] " } else { "[ ] " };
            let mut x = put(
                buf,
                inner.x,
                y,
                inner.right(),
                tick,
                base.patch(theme::key()),
            );
            let ln = format!("{:>5}  ", hit.line + 1);
            x = put(buf, x, y, inner.right(), &ln, base.patch(theme::dim()));
            // Context: as much before as after, on one line.
            let room = width.saturating_sub((x - inner.x) as usize);
            let phrase = one_line(t.slice(hit.range.clone()));
            let side = room.saturating_sub(phrase.width()) / 2;
            // Context from the line, at most a few hundred bytes each side
            // (a line may be megabytes long).
            let line = t.line_range(hit.line);
            let from = t.floor_boundary(hit.range.start.saturating_sub(400).max(line.start));
            let to = t.ceil_boundary((hit.range.end + 400).min(line.end));
            let before = one_line(t.slice(from..hit.range.start.max(from)));
            let after = one_line(t.slice(hit.range.end.min(to)..to));
            let before = tail(&before, side);
            x = put(buf, x, y, inner.right(), &before, base);
            x = put(
                buf,
                x,
                y,
                inner.right(),
                &phrase,
                base.patch(theme::search_match())
                    .add_modifier(Modifier::BOLD),
            );
            put(buf, x, y, inner.right(), &after, base);
        }
    }
}

/// `s` on one line: every run of white space one space, its ends kept.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    sanitize_line(&out)
}

/// The last `w` columns of `s`.
fn tail(s: &str, w: usize) -> String {
    let mut out: Vec<&str> = vec![];
    let mut used = 0;
    for g in s.graphemes(true).rev() {
        if used + g.width() > w {
            break;
        }
        used += g.width();
        out.push(g);
    }
    out.reverse();
    out.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_case_as_typed() {
        let t = Text::new("Esper met Esper. Espers and esper; Esper's.".into());
        let found: Vec<&str> = find_all(&t, "Esper")
            .into_iter()
            .map(|r| &t.as_str()[r])
            .collect();
        assert_eq!(found.len(), 3, "Espers and esper are not Esper");
    }
}
