//! Tag every occurrence (`*`): the places in the article (and, with `Tab`,
//! in the whole corpus) where the phrase under the cursor stands as whole
//! words, case as typed, shown in context (a keyword-in-context list),
//! each accepted or rejected before anything is written. They are one
//! undoable step of the open article: its own tags in its store, the
//! others written to their sidecars under the lock (and taken back from
//! them by the same `u`).

use std::ops::Range;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::paint::{centered, fit, list_row, popup, put};
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
    /// In another article: its index and name, and the context found
    /// there (this article's context is read from its text).
    pub elsewhere: Option<Elsewhere>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Elsewhere {
    pub idx: usize,
    pub rel: String,
    pub before: String,
    /// The text at the place (what a regular expression matched there).
    pub text: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrences {
    pub phrase: String,
    /// The label to tag with, when the phrase came from an annotation;
    /// else a digit chooses it.
    pub label: Option<String>,
    pub hits: Vec<Hit>,
    pub selected: usize,
    /// Places in the other articles are shown and tagged too (`Tab`).
    pub corpus: bool,
    /// The corpus search these places come from, and whether it is still
    /// going.
    pub job: u64,
    pub searching: bool,
    /// The places in other articles found so far.
    pub elsewhere: Vec<Hit>,
}

/// A place in another article and the text found there.
pub type Found = (Range<usize>, String);

/// What a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Cancel,
    /// Tag the accepted ones with the label given, or the one on key `n`.
    Apply(Option<u8>),
    /// `Tab`: the whole corpus now (`true`), or this article only.
    Scope(bool),
}

pub use crate::core::places::find_all;

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
                elsewhere: None,
            })
            .collect();
        Occurrences {
            phrase: phrase.to_string(),
            label,
            hits,
            selected: 0,
            corpus: false,
            job: 0,
            searching: false,
            elsewhere: vec![],
        }
    }

    /// The rows shown: this article's places, then the others' when the
    /// whole corpus is asked for.
    fn rows_len(&self) -> usize {
        self.hits.len() + if self.corpus { self.elsewhere.len() } else { 0 }
    }

    fn row_mut(&mut self, i: usize) -> Option<&mut Hit> {
        let n = self.hits.len();
        if i < n {
            self.hits.get_mut(i)
        } else if self.corpus {
            self.elsewhere.get_mut(i - n)
        } else {
            None
        }
    }

    fn row(&self, i: usize) -> Option<&Hit> {
        let n = self.hits.len();
        if i < n {
            self.hits.get(i)
        } else if self.corpus {
            self.elsewhere.get(i - n)
        } else {
            None
        }
    }

    /// The places accepted in this article.
    pub fn accepted(&self) -> Vec<Range<usize>> {
        self.hits
            .iter()
            .filter(|h| h.accepted)
            .map(|h| h.range.clone())
            .collect()
    }

    /// The places accepted in other articles, with the text found at
    /// each, by article, when the whole corpus is asked for.
    pub fn accepted_elsewhere(&self) -> Vec<(usize, Vec<Found>)> {
        let mut out: Vec<(usize, Vec<Found>)> = vec![];
        if !self.corpus {
            return out;
        }
        for h in self.elsewhere.iter().filter(|h| h.accepted) {
            let Some(e) = &h.elsewhere else { continue };
            let place = (h.range.clone(), e.text.clone());
            match out.last_mut() {
                Some((idx, v)) if *idx == e.idx => v.push(place),
                _ => out.push((e.idx, vec![place])),
            }
        }
        out
    }

    /// Takes key `k`: the `Occurrences` scope's keys, or a label digit.
    pub fn handle(&mut self, k: &KeyEvent) -> Outcome {
        let last = self.rows_len().saturating_sub(1);
        match lookup(&[Scope::Occurrences], k) {
            Some(Action::OccurrenceDown) => self.selected = (self.selected + 1).min(last),
            Some(Action::OccurrenceUp) => self.selected = self.selected.saturating_sub(1),
            Some(Action::OccurrenceToggle) => {
                let i = self.selected;
                if let Some(h) = self.row_mut(i) {
                    h.accepted = !h.accepted;
                }
                self.selected = (self.selected + 1).min(last);
            }
            Some(Action::OccurrenceAll) => {
                let n = self.rows_len();
                let all = (0..n).all(|i| self.row(i).is_some_and(|h| h.accepted));
                for i in 0..n {
                    if let Some(h) = self.row_mut(i) {
                        h.accepted = !all;
                    }
                }
            }
            Some(Action::OccurrenceScope) => {
                self.corpus = !self.corpus;
                self.selected = self.selected.min(self.rows_len().saturating_sub(1));
                return Outcome::Scope(self.corpus);
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
        let rows = self.rows_len().max(1) as u16 + 4;
        let r = centered(area, area.width.saturating_sub(4), rows);
        let accepted = (0..self.rows_len())
            .filter(|&i| self.row(i).is_some_and(|h| h.accepted))
            .count();
        let what = match &self.label {
            Some(l) => format!("as {}", sanitize_line(l)),
            None => "with the label a digit gives".to_string(),
        };
        let scope = if !self.corpus {
            "in this article (Tab: the whole corpus)".to_string()
        } else if self.searching {
            format!(
                "in the corpus, {} elsewhere so far, searching…",
                self.elsewhere.len()
            )
        } else {
            format!("in the corpus, {} elsewhere", self.elsewhere.len())
        };
        let title = format!(
            " “{}”: {} place(s) {scope}, {accepted} to tag {what} ",
            fit(&self.phrase, 30),
            self.rows_len()
        );
        let inner = popup(buf, r, &title, 1);
        if self.rows_len() == 0 {
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
        let shown: Vec<&Hit> = (0..self.rows_len()).filter_map(|i| self.row(i)).collect();
        for (row, (i, hit)) in shown
            .into_iter()
            .enumerate()
            .skip(first)
            .take(h)
            .enumerate()
        {
            let y = inner.y + row as u16;
            let base = list_row(buf, inner, y, i == self.selected);
            let tick = if hit.accepted { "[x] " } else { "[ ] " };
            let mut x = put(
                buf,
                inner.x,
                y,
                inner.right(),
                tick,
                base.patch(theme::key()),
            );
            let ln = match &hit.elsewhere {
                Some(e) => format!("{}:{}  ", fit(&e.rel, 24), hit.line + 1),
                None => format!("{:>5}  ", hit.line + 1),
            };
            x = put(buf, x, y, inner.right(), &ln, base.patch(theme::dim()));
            // Context: as much before as after, on one line.
            let room = width.saturating_sub((x - inner.x) as usize);
            // What stands there: the phrase, or what a pattern matched.
            let phrase = one_line(match &hit.elsewhere {
                Some(e) => &e.text,
                None => t.as_str().get(hit.range.clone()).unwrap_or(&self.phrase),
            });
            let side = room.saturating_sub(phrase.width()) / 2;
            let (before, after) = match &hit.elsewhere {
                Some(e) => (one_line(&e.before), one_line(&e.after)),
                None => {
                    // Context from the line, at most a few hundred bytes
                    // each side (a line may be megabytes long).
                    let line = t.line_range(hit.line);
                    let from =
                        t.floor_boundary(hit.range.start.saturating_sub(400).max(line.start));
                    let to = t.ceil_boundary((hit.range.end + 400).min(line.end));
                    (
                        one_line(t.slice(from..hit.range.start.max(from))),
                        one_line(t.slice(hit.range.end.min(to)..to)),
                    )
                }
            };
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
pub fn one_line(s: &str) -> String {
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
pub fn tail(s: &str, w: usize) -> String {
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
