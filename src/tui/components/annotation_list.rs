//! The article's annotations as a list (`A`): label, quote, note and
//! relation markers, counts per label; typing filters (by label or quote),
//! `Enter` goes to the chosen one.

use std::collections::BTreeMap;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};

use super::line_input::{LineInput, ListKey, list_key};
use super::paint::{centered, fit, list_row, popup, put, swatch};
use super::{Hint, hints_with};
use crate::core::annotation::Annotation;
use crate::core::labels::Schema;
use crate::session::document::Document;
use crate::tui::action::Action;
use crate::tui::app::short;
use crate::tui::keymap::Scope;
use crate::tui::theme;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnotationList {
    pub input: LineInput,
    pub selected: usize,
}

/// What a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Cancel,
    /// Go to the annotation with this id.
    Go(String),
}

impl AnnotationList {
    /// The annotations that pass the filter, in text order: a word of the
    /// filter matches a label exactly (any case) or a quote or note in part.
    pub fn rows<'a>(&self, doc: &'a Document) -> Vec<&'a Annotation> {
        let f = self.input.text.trim().to_lowercase();
        doc.store
            .all()
            .iter()
            .map(|a| &**a)
            .filter(|a| {
                f.is_empty()
                    || a.label.to_lowercase() == f
                    || doc.text.slice(a.range()).to_lowercase().contains(&f)
                    || a.note
                        .as_ref()
                        .is_some_and(|n| n.to_lowercase().contains(&f))
            })
            .collect()
    }

    pub fn handle(&mut self, k: &KeyEvent, doc: &Document) -> Outcome {
        let rows = self.rows(doc);
        match list_key(k, &mut self.input, &mut self.selected, rows.len()) {
            ListKey::Cancel => Outcome::Cancel,
            ListKey::Submit => match rows.get(self.selected) {
                Some(a) => Outcome::Go(a.id.clone()),
                None => Outcome::Stay,
            },
            ListKey::Stay | ListKey::Filtered => Outcome::Stay,
        }
    }

    pub fn hints(&self) -> Vec<Hint> {
        let mut v = vec![("type".to_string(), "filter by label or text")];
        v.extend(hints_with(&[Scope::Picker, Scope::Prompt], |a| match a {
            Action::InputSubmit => Some("go to"),
            Action::PickNext => Some("choose"),
            _ => None,
        }));
        v
    }

    /// Draws the list over `area`; returns where the terminal's cursor goes.
    pub fn draw(
        &self,
        buf: &mut Buffer,
        area: Rect,
        doc: &Document,
        schema: &Schema,
    ) -> Option<Position> {
        let rows = self.rows(doc);
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for a in doc.store.all() {
            *counts.entry(a.label.as_str()).or_default() += 1;
        }
        let per_label: Vec<String> = counts.iter().map(|(l, n)| format!("{l} {n}")).collect();
        let title = format!(
            " Annotations {}/{} · {} ",
            rows.len(),
            doc.store.len(),
            per_label.join(" · ")
        );
        let h = (rows.len() as u16 + 4).min(area.height.saturating_sub(2));
        let r = centered(area, area.width.saturating_sub(6).max(40), h.max(6));
        let inner = popup(buf, r, &fit(&title, r.width as usize - 2), 1);
        let x = put(buf, inner.x, inner.y, inner.right(), "› ", theme::key());
        let caret = self
            .input
            .draw(buf, x, inner.y, inner.right(), Style::new());
        let list_h = inner.height.saturating_sub(2) as usize;
        if rows.is_empty() {
            put(
                buf,
                inner.x + 1,
                inner.y + 2,
                inner.right(),
                if doc.store.is_empty() {
                    "no annotations in this article yet"
                } else {
                    "none matches"
                },
                theme::dim(),
            );
        }
        let label_w = rows
            .iter()
            .map(|a| a.label.chars().count())
            .max()
            .unwrap_or(0)
            .min(16);
        let first = self.selected.saturating_sub(list_h.saturating_sub(1));
        for (row, (i, a)) in rows.iter().enumerate().skip(first).take(list_h).enumerate() {
            let y = inner.y + 2 + row as u16;
            let base = list_row(buf, inner, y, i == self.selected);
            let color = theme::label_bg(schema, &a.label);
            let mut x = swatch(buf, inner.x + 1, y, inner.right(), color);
            let label = format!(" {:<label_w$} ", fit(&a.label, label_w));
            x = put(
                buf,
                x,
                y,
                inner.right(),
                &label,
                base.add_modifier(Modifier::BOLD),
            );
            let line = format!("{:>5} ", doc.text.line_of(a.range().start) + 1);
            x = put(buf, x, y, inner.right(), &line, base.patch(theme::dim()));
            let rels = doc.store.relations_of(&a.id).count();
            let marks = format!(
                "{}{}{}",
                if a.note.is_some() { "✎" } else { " " },
                if rels > 0 { "↔" } else { " " },
                if a.review.is_some() { "⚑" } else { " " },
            );
            x = put(buf, x, y, inner.right(), &marks, base.patch(theme::key()));
            let room = inner.right().saturating_sub(x + 1) as usize;
            let mut quote = format!(" “{}”", short(doc.text.slice(a.range()), room.max(4)));
            if let Some(n) = &a.note {
                quote.push_str(&format!(" — {}", short(n, 60)));
            }
            put(buf, x, y, inner.right(), &fit(&quote, room), base);
        }
        (caret < inner.right()).then_some(Position::new(caret, inner.y))
    }
}
