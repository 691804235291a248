//! A list of places across the whole corpus, each in its line's context
//! (keyword in context): the corpus search (`S`), whose matches stream in
//! as they are found, and the consistency check (`C`), whose findings say
//! what is odd about each place. `Enter` opens the article at the place;
//! a digit tags it; `*` tags every place shown (through the same preview
//! as tagging every occurrence); `f` fixes a finding, `F` every finding
//! shown; filters keep the
//! places with a label under them, or the tagged or untagged ones.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

use super::line_input::{InputOutcome, LineInput};
use super::occurrences::{one_line, tail};
use super::paint::{fit, list_row, popup, put};
use super::{Hint, hints};
use crate::core::consistency::{Finding, Kind as FindingKind, describe};
use crate::core::display::sanitize_line;
use crate::core::grep::Listed;
use crate::tui::action::Action;
use crate::tui::keymap::{Scope, lookup};
use crate::tui::theme;

/// What the list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Search,
    Consistency,
}

/// One place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The article's index in the list, and its name.
    pub idx: usize,
    pub rel: String,
    /// Where in it, what is there, its line around it, and the labels on it.
    pub at: Listed,
    /// What the consistency check found there.
    pub finding: Option<Fix>,
}

/// A finding of the consistency check, and its fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What is odd, said in full.
    pub note: String,
    /// The label the text usually bears: what `f` gives the place.
    pub usual: Option<String>,
    /// The annotation with another label (a mixed finding), relabelled
    /// by the fix; none for an untagged place, which the fix tags.
    pub id: Option<String>,
    /// Fixed in this session.
    pub done: bool,
}

impl Row {
    pub fn from_listed(idx: usize, rel: &str, at: Listed) -> Row {
        Row {
            idx,
            rel: rel.to_string(),
            at,
            finding: None,
        }
    }

    pub fn from_finding(idx: usize, f: Finding) -> Row {
        let note = describe(&f);
        Row {
            idx,
            rel: f.article.clone(),
            finding: Some(Fix {
                note,
                usual: f.usual().map(str::to_string),
                id: (f.kind == FindingKind::Mixed)
                    .then_some(f.id.clone())
                    .flatten(),
                done: false,
            }),
            at: Listed {
                line: f.line - 1,
                column: f.column,
                labels: f.label.into_iter().collect(),
                range: f.range,
                before: f.before,
                text: f.quote,
                after: f.after,
            },
        }
    }
}

/// The "tagged or not" filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tagged {
    All,
    Tagged,
    Untagged,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusView {
    pub kind: Kind,
    /// The pattern being typed, and whether it is a regular expression.
    pub input: LineInput,
    pub regex: bool,
    /// The pattern line has the keys (else the list has).
    pub editing: bool,
    /// The search or check these rows come from.
    pub job: u64,
    pub searching: bool,
    /// Articles looked in so far, of `total`.
    pub searched: usize,
    pub total: usize,
    pub rows: Vec<Row>,
    /// The rows the filters keep, by index into `rows`.
    pub shown: Vec<usize>,
    /// Into `shown`.
    pub selected: usize,
    /// Keep only rows with this label on them.
    pub label: Option<String>,
    pub tagged: Tagged,
    /// Articles that could not be read, why.
    pub problems: Vec<String>,
    /// The search stopped at its most matches.
    pub cut: bool,
    /// Why the pattern cannot be searched.
    pub error: Option<String>,
}

/// What a key asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Close,
    /// Search for the pattern typed (`regex` as set).
    Search,
    /// Open the article at the selected row.
    Open,
    /// Tag the selected row with the label on key `n`.
    Tag(u8),
    /// Tag every row shown (through the preview).
    TagAll,
    /// Fix the selected finding.
    Fix,
    /// Fix every finding shown.
    FixAll,
}

impl CorpusView {
    /// A search, its pattern line ready for typing (`last`: the pattern
    /// searched before, to edit or run again).
    pub fn search(last: &str, regex: bool, total: usize) -> CorpusView {
        CorpusView {
            kind: Kind::Search,
            input: LineInput::with(last),
            regex,
            editing: true,
            job: 0,
            searching: false,
            searched: 0,
            total,
            rows: vec![],
            shown: vec![],
            selected: 0,
            label: None,
            tagged: Tagged::All,
            problems: vec![],
            cut: false,
            error: None,
        }
    }

    /// The consistency check, counting.
    pub fn consistency(job: u64, total: usize) -> CorpusView {
        CorpusView {
            kind: Kind::Consistency,
            editing: false,
            job,
            searching: true,
            ..CorpusView::search("", false, total)
        }
    }

    /// Empties the list for a new search `job`.
    pub fn restart(&mut self, job: u64) {
        self.job = job;
        self.searching = true;
        self.searched = 0;
        self.rows.clear();
        self.shown.clear();
        self.selected = 0;
        self.label = None;
        self.problems.clear();
        self.cut = false;
        self.error = None;
        self.editing = false;
    }

    /// Adds rows found, shown if the filters keep them.
    pub fn extend(&mut self, rows: impl IntoIterator<Item = Row>) {
        for r in rows {
            if self.keeps(&r) {
                self.shown.push(self.rows.len());
            }
            self.rows.push(r);
        }
    }

    fn keeps(&self, r: &Row) -> bool {
        let label = self.label.as_ref().is_none_or(|l| r.at.labels.contains(l));
        let tagged = match self.tagged {
            Tagged::All => true,
            Tagged::Tagged => !r.at.labels.is_empty(),
            Tagged::Untagged => r.at.labels.is_empty(),
        };
        label && tagged
    }

    /// Applies the filters again, keeping the selected row if it stays.
    pub fn refilter(&mut self) {
        let was = self.shown.get(self.selected).copied();
        self.shown = (0..self.rows.len())
            .filter(|&i| self.keeps(&self.rows[i]))
            .collect();
        self.selected = was
            .and_then(|w| self.shown.iter().position(|&i| i >= w))
            .unwrap_or(0)
            .min(self.shown.len().saturating_sub(1));
    }

    /// The selected row, if any is shown.
    pub fn current(&self) -> Option<&Row> {
        self.shown.get(self.selected).map(|&i| &self.rows[i])
    }

    pub fn current_mut(&mut self) -> Option<&mut Row> {
        let i = *self.shown.get(self.selected)?;
        self.rows.get_mut(i)
    }

    /// The rows shown.
    pub fn shown_rows(&self) -> impl Iterator<Item = &Row> {
        self.shown.iter().map(|&i| &self.rows[i])
    }

    /// Every label on some row, sorted: what the label filter steps
    /// through.
    fn labels(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .rows
            .iter()
            .flat_map(|r| r.at.labels.iter().cloned())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Takes key `k`; `page` is how many rows show.
    pub fn handle(&mut self, k: &KeyEvent, page: usize) -> Outcome {
        let action = lookup(&[Scope::Corpus], k);
        if action == Some(Action::CorpusRegex) && self.kind == Kind::Search {
            self.regex = !self.regex;
            return if self.editing {
                Outcome::Stay
            } else {
                Outcome::Search
            };
        }
        if self.editing {
            return match self.input.handle(k) {
                InputOutcome::Submit if self.input.text.is_empty() => Outcome::Stay,
                InputOutcome::Submit => Outcome::Search,
                InputOutcome::Cancel if self.rows.is_empty() && !self.searching => Outcome::Close,
                InputOutcome::Cancel => {
                    self.editing = false;
                    Outcome::Stay
                }
                _ => Outcome::Stay,
            };
        }
        let last = self.shown.len().saturating_sub(1);
        match action {
            Some(Action::CorpusDown) => self.selected = (self.selected + 1).min(last),
            Some(Action::CorpusUp) => self.selected = self.selected.saturating_sub(1),
            Some(Action::CorpusPageDown) => self.selected = (self.selected + page.max(1)).min(last),
            Some(Action::CorpusPageUp) => self.selected = self.selected.saturating_sub(page.max(1)),
            Some(Action::CorpusTop) => self.selected = 0,
            Some(Action::CorpusBottom) => self.selected = last,
            Some(Action::CorpusOpen) if self.current().is_some() => return Outcome::Open,
            Some(Action::Tag(n)) if self.current().is_some() => return Outcome::Tag(n),
            Some(Action::CorpusTagAll) if !self.shown.is_empty() => return Outcome::TagAll,
            Some(Action::CorpusFix) if self.current().is_some_and(|r| r.finding.is_some()) => {
                return Outcome::Fix;
            }
            Some(Action::CorpusFixAll) if self.kind == Kind::Consistency => {
                return Outcome::FixAll;
            }
            Some(Action::CorpusLabelFilter) => {
                let labels = self.labels();
                self.label = match &self.label {
                    None => labels.first().cloned(),
                    Some(l) => labels
                        .iter()
                        .position(|x| x == l)
                        .and_then(|i| labels.get(i + 1))
                        .cloned(),
                };
                self.refilter();
            }
            Some(Action::CorpusTaggedFilter) => {
                self.tagged = match self.tagged {
                    Tagged::All => Tagged::Tagged,
                    Tagged::Tagged => Tagged::Untagged,
                    Tagged::Untagged => Tagged::All,
                };
                self.refilter();
            }
            Some(Action::CorpusEdit) if self.kind == Kind::Search => self.editing = true,
            Some(Action::InputCancel) => return Outcome::Close,
            _ => {}
        }
        Outcome::Stay
    }

    pub fn hints(&self) -> Vec<Hint> {
        if self.editing {
            let mut v = vec![
                ("Enter".to_string(), "search the corpus"),
                ("ctrl-r".to_string(), "regex on/off"),
            ];
            v.extend(hints(&[Scope::Prompt]));
            return v;
        }
        let mut v = hints(&[Scope::Corpus]);
        if self.kind == Kind::Search {
            v.retain(|(_, w)| *w != "fix" && *w != "fix all");
        } else {
            v.retain(|(_, w)| *w != "pattern");
        }
        v
    }

    /// The title line's account of where the search stands.
    fn progress(&self) -> String {
        let articles = {
            let mut seen: Vec<usize> = self.rows.iter().map(|r| r.idx).collect();
            seen.dedup();
            seen.len()
        };
        let what = match self.kind {
            Kind::Search => "match(es)",
            Kind::Consistency => "finding(s)",
        };
        let mut s = format!("{} {what} in {articles} article(s)", self.rows.len());
        if self.searching {
            match self.kind {
                Kind::Search => {
                    s.push_str(&format!(", searching {} of {}…", self.searched, self.total))
                }
                Kind::Consistency => s = format!("checking {} articles…", self.total),
            }
        }
        if self.cut {
            s.push_str(", stopped at the first 50,000");
        }
        if !self.problems.is_empty() {
            s.push_str(&format!(", {} article(s) not read", self.problems.len()));
        }
        s
    }

    /// Draws the list over `area`; returns where the terminal's cursor
    /// goes while the pattern is typed.
    pub fn draw(&self, buf: &mut Buffer, area: Rect) -> Option<Position> {
        // Over the panes, the status line (what a tag or fix did) and the
        // footer left in view.
        let r = Rect::new(
            area.x + 1,
            area.y + 1,
            area.width.saturating_sub(2),
            area.height.saturating_sub(3),
        );
        let title = match self.kind {
            Kind::Search => " Search the corpus ",
            Kind::Consistency => " Consistency: the same text tagged otherwise, or not ",
        };
        let inner = popup(buf, r, title, 1);
        if inner.height < 3 || inner.width < 10 {
            return None;
        }
        let right = inner.right();
        let mut cursor = None;
        // The pattern line.
        let mut y = inner.y;
        if self.kind == Kind::Search {
            let x = put(buf, inner.x, y, right, "/ ", theme::key());
            let mode = if self.regex {
                "  regex (ctrl-r: literal)"
            } else {
                "  literal, smart case (ctrl-r: regex)"
            };
            let input_right = right.saturating_sub(mode.width() as u16).max(x + 1);
            let c = self
                .input
                .draw(buf, x, y, input_right, ratatui::style::Style::new());
            put(buf, input_right, y, right, mode, theme::dim());
            if self.editing {
                cursor = Some(Position::new(c, y));
            }
            y += 1;
        }
        // Where it stands, the filters, and the selected finding's note.
        let filters = format!(
            "   label: {} · {} · {} shown",
            self.label.as_deref().map_or("any".into(), sanitize_line),
            match self.tagged {
                Tagged::All => "tagged or not",
                Tagged::Tagged => "tagged only",
                Tagged::Untagged => "untagged only",
            },
            self.shown.len()
        );
        let x = put(buf, inner.x, y, right, &self.progress(), theme::info());
        put(buf, x, y, right, &filters, theme::dim());
        y += 1;
        if let Some(e) = &self.error {
            put(buf, inner.x, y, right, &sanitize_line(e), theme::error());
            y += 1;
        } else if let Some(f) = self.current().and_then(|r| r.finding.as_ref()) {
            let note = match (&f.usual, f.done) {
                (_, true) => format!("{} (fixed)", f.note),
                (Some(u), false) => format!("{}; f makes it {}", f.note, sanitize_line(u)),
                (None, false) => f.note.clone(),
            };
            put(buf, inner.x, y, right, &sanitize_line(&note), theme::warn());
            y += 1;
        }
        let h = inner.bottom().saturating_sub(y) as usize;
        if self.shown.is_empty() {
            let empty = if self.searching || (self.editing && self.rows.is_empty()) {
                ""
            } else if self.rows.is_empty() {
                match self.kind {
                    Kind::Search => "no match",
                    Kind::Consistency => {
                        "nothing inconsistent: each tagged text bears one label, and is tagged wherever it stands"
                    }
                }
            } else {
                "the filters keep none (l: label, t: tagged or not)"
            };
            put(buf, inner.x + 1, y, right, empty, theme::dim());
            return cursor;
        }
        let first = self.selected.saturating_sub(h.saturating_sub(1));
        let width = inner.width as usize;
        let place = |r: &Row| {
            format!(
                "{}:{}:{}",
                fit(&sanitize_line(&r.rel), 28),
                r.at.line + 1,
                r.at.column
            )
        };
        // The places in one column, as wide as the widest in view.
        let place_w = self
            .shown_rows()
            .skip(first)
            .take(h)
            .map(|r| place(r).width())
            .max()
            .unwrap_or(0);
        for (row, (i, hit)) in self
            .shown_rows()
            .enumerate()
            .skip(first)
            .take(h)
            .enumerate()
        {
            let y = y + row as u16;
            let base = list_row(buf, inner, y, i == self.selected && !self.editing);
            let p = place(hit);
            let place = format!("{p}{}  ", " ".repeat(place_w.saturating_sub(p.width())));
            let mut x = put(buf, inner.x, y, right, &place, base.patch(theme::dim()));
            let done = hit.finding.as_ref().is_some_and(|f| f.done);
            if !hit.at.labels.is_empty() || done {
                let mut l = hit
                    .at
                    .labels
                    .iter()
                    .map(|l| sanitize_line(l))
                    .collect::<Vec<_>>()
                    .join(",");
                if done {
                    l.push_str(" ✓");
                }
                x = put(
                    buf,
                    x,
                    y,
                    right,
                    &format!("[{}] ", fit(&l, 20)),
                    base.patch(theme::key()),
                );
            }
            // Context: as much before as after, on one line.
            let room = width.saturating_sub((x - inner.x) as usize);
            let m = one_line(&hit.at.text);
            let side = room.saturating_sub(m.width()) / 2;
            let before = tail(&one_line(&hit.at.before), side);
            x = put(buf, x, y, right, &before, base);
            x = put(
                buf,
                x,
                y,
                right,
                &m,
                base.patch(theme::search_match())
                    .add_modifier(Modifier::BOLD),
            );
            put(buf, x, y, right, &one_line(&hit.at.after), base);
        }
        cursor
    }
}
