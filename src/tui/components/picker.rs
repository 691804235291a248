//! The pickers: the label picker (a filtered list of the schema's labels,
//! and a row to create a new one from the name typed) and the document
//! label picker (every choice of the schema's document groups, the
//! article's own ticked; Enter adds or removes one).

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use unicode_width::UnicodeWidthStr;

use super::line_input::{LineInput, ListKey, list_key};
use super::paint::{centered, fit, list_row, popup, put, swatch};
use super::{Hint, hints_with};
use crate::core::display::sanitize_line;
use crate::core::labels::{Label, Schema};
use crate::tui::action::Action;
use crate::tui::keymap::Scope;
use crate::tui::theme;
use std::ops::Range;

/// What the label picker will tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickTarget {
    Range(Range<usize>),
    Edit {
        id: String,
        range: Range<usize>,
    },
    /// A label of the whole article, from a document group.
    DocLabel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub input: LineInput,
    pub selected: usize,
    pub target: PickTarget,
}

/// One row of the label picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickItem {
    Label(String),
    Create(String),
    /// A choice of a document group.
    Choice {
        group: String,
        choice: String,
    },
}

/// What a key did to the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerOutcome {
    /// Still open.
    Stay,
    Cancel,
    /// Enter on a row.
    Chosen(PickItem),
    /// Enter with no row to choose.
    NoMatch,
}

impl Picker {
    pub fn new(target: PickTarget) -> Picker {
        Picker {
            input: LineInput::default(),
            selected: 0,
            target,
        }
    }

    /// The rows for `filter`: labels whose name matches first, then those
    /// whose description does, then a row to create a label of that name.
    pub fn items(schema: &Schema, filter: &str) -> Vec<PickItem> {
        let f = filter.trim().to_lowercase();
        let by_name = |l: &&Label| l.name.to_lowercase().contains(&f);
        let labels = &schema.labels;
        let mut out: Vec<PickItem> = labels
            .iter()
            .filter(by_name)
            .chain(labels.iter().filter(|l| {
                !f.is_empty() && !by_name(l) && l.description.to_lowercase().contains(&f)
            }))
            .map(|l| PickItem::Label(l.name.clone()))
            .collect();
        let name = filter.trim();
        if !name.is_empty() && schema.get(name).is_none() {
            out.push(PickItem::Create(name.to_string()));
        }
        out
    }

    /// The document picker's rows for `filter`: each group's choices whose
    /// `group: choice` matches it, then, when it names no choice, a row to
    /// add what it names (`group: label`, or a label alone without groups).
    pub fn doc_items(schema: &Schema, filter: &str) -> Vec<PickItem> {
        let f = filter.trim().to_lowercase();
        let mut out: Vec<PickItem> = schema
            .documents
            .iter()
            .flat_map(|g| {
                g.choices.iter().map(move |c| PickItem::Choice {
                    group: g.name.clone(),
                    choice: c.clone(),
                })
            })
            .filter(|i| match i {
                PickItem::Choice { group, choice } => {
                    format!("{group}: {choice}").to_lowercase().contains(&f)
                }
                _ => false,
            })
            .collect();
        let name = filter.trim();
        if out.is_empty() && !name.is_empty() {
            out.push(PickItem::Create(name.to_string()));
        }
        out
    }

    /// This picker's rows now.
    pub fn rows(&self, schema: &Schema) -> Vec<PickItem> {
        match self.target {
            PickTarget::DocLabel => Picker::doc_items(schema, &self.input.text),
            _ => Picker::items(schema, &self.input.text),
        }
    }

    /// Takes key `k`: the `Picker` scope's keys choose a row, the rest edit
    /// the name.
    pub fn handle(&mut self, k: &KeyEvent, schema: &Schema) -> PickerOutcome {
        let items = self.rows(schema);
        match list_key(k, &mut self.input, &mut self.selected, items.len()) {
            ListKey::Cancel => PickerOutcome::Cancel,
            ListKey::Submit => match items.get(self.selected) {
                Some(item) => PickerOutcome::Chosen(item.clone()),
                None => PickerOutcome::NoMatch,
            },
            ListKey::Stay | ListKey::Filtered => PickerOutcome::Stay,
        }
    }

    /// A paste: the name, on one line.
    pub fn paste(&mut self, text: &str) {
        self.input.insert_str(text);
        self.selected = 0;
    }

    pub fn hints(&self) -> Vec<Hint> {
        let doc = self.target == PickTarget::DocLabel;
        let mut v = vec![(
            "type".to_string(),
            if doc { "filter" } else { "filter or new name" },
        )];
        v.extend(hints_with(&[Scope::Picker, Scope::Prompt], |a| match a {
            Action::InputSubmit if doc => Some("add or remove"),
            Action::InputSubmit => Some("apply"),
            _ => None,
        }));
        v
    }

    /// Draws the picker over `area`; returns where the terminal's cursor
    /// goes.
    /// `has` says whether the article has a document label (group,
    /// choice), to tick it.
    pub fn draw(
        &self,
        buf: &mut Buffer,
        area: Rect,
        schema: &Schema,
        has: &dyn Fn(&str, &str) -> bool,
    ) -> Option<Position> {
        let p = self;
        let items = p.rows(schema);
        let h = (items.len() as u16 + 4).min(area.height.saturating_sub(2));
        let r = centered(area, 64, h.max(5));
        let title = if p.target == PickTarget::DocLabel {
            " Document label (Enter adds or removes) "
        } else {
            " Label "
        };
        let inner = popup(buf, r, title, 1);
        let x = put(buf, inner.x, inner.y, inner.right(), "› ", theme::key());
        let caret = p.input.draw(buf, x, inner.y, inner.right(), Style::new());
        let list_h = inner.height.saturating_sub(2) as usize;
        let name_w = items
            .iter()
            .filter_map(|i| match i {
                PickItem::Label(n) => Some(sanitize_line(n).width()),
                PickItem::Create(_) | PickItem::Choice { .. } => None,
            })
            .max()
            .unwrap_or(0);
        let offset = p.selected.saturating_sub(list_h.saturating_sub(1));
        for (i, item) in items.iter().enumerate().skip(offset).take(list_h) {
            let y = inner.y + 2 + (i - offset) as u16;
            let base = list_row(buf, inner, y, i == p.selected);
            match item {
                PickItem::Label(name) => {
                    let l = schema.get(name).expect("picker lists schema labels");
                    let color = theme::label_bg(schema, name);
                    let mut x = swatch(buf, inner.x + 1, y, inner.right(), color);
                    let key = l.key.map_or("  ".to_string(), |k| format!(" {k}"));
                    x = put(buf, x, y, inner.right(), &key, base.patch(theme::key()));
                    put(
                        buf,
                        x + 1,
                        y,
                        inner.right(),
                        &l.name,
                        base.add_modifier(Modifier::BOLD),
                    );
                    x += 1 + name_w as u16;
                    let room = inner.right().saturating_sub(x + 2) as usize;
                    put(
                        buf,
                        x + 2,
                        y,
                        inner.right(),
                        &fit(&l.description, room),
                        base.patch(theme::dim()),
                    );
                }
                PickItem::Choice { group, choice } => {
                    let tick = if has(group, choice) { "[x] " } else { "[ ] " };
                    let x = put(
                        buf,
                        inner.x + 1,
                        y,
                        inner.right(),
                        tick,
                        base.patch(theme::key()),
                    );
                    let x = put(buf, x, y, inner.right(), group, base.patch(theme::dim()));
                    let x = put(buf, x, y, inner.right(), ": ", base.patch(theme::dim()));
                    put(
                        buf,
                        x,
                        y,
                        inner.right(),
                        choice,
                        base.add_modifier(Modifier::BOLD),
                    );
                }
                PickItem::Create(name) if p.target == PickTarget::DocLabel => {
                    put(
                        buf,
                        inner.x + 1,
                        y,
                        inner.right(),
                        &format!("+ add or remove “{}”", sanitize_line(name)),
                        base.patch(theme::warn()),
                    );
                }
                PickItem::Create(name) => {
                    put(
                        buf,
                        inner.x + 1,
                        y,
                        inner.right(),
                        &format!("+ create label “{}”", sanitize_line(name)),
                        base.patch(theme::warn()),
                    );
                }
            }
        }
        (caret < inner.right()).then_some(Position::new(caret, inner.y))
    }
}
