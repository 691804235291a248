//! The annotation panel (`i`), under the text: the annotation under the
//! cursor in full (label, quote, note, who and when) and its relations,
//! out and in. With focus, the `Panel` scope's keys choose a relation, go
//! to its other end, or delete it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Widget};

use super::paint::{fit, put};
use super::{Hint, hints};
use crate::core::annotation::Annotation;
use crate::core::labels::Schema;
use crate::session::document::Document;
use crate::tui::app::short;
use crate::tui::keymap::Scope;
use crate::tui::theme;

/// One relation of the annotation shown, as the panel lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationRow {
    /// The relation's id.
    pub id: String,
    /// Whether it goes out of the annotation shown (→) or into it (←).
    pub outgoing: bool,
    pub label: String,
    /// The annotation at its other end.
    pub other: String,
    /// Where that annotation starts (byte offset), to go there.
    pub other_start: usize,
    pub quote: String,
    pub other_label: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Panel {
    /// Shown under the text.
    pub open: bool,
    /// The chosen relation row, of the annotation `about`.
    pub selected: usize,
    /// The annotation the choice was made on: another one starts at the
    /// first row again.
    pub about: Option<String>,
}

impl Panel {
    /// The annotation the panel is about: the innermost under `cursor`.
    pub fn subject(doc: &Document, cursor: usize) -> Option<&Annotation> {
        doc.store.innermost_at(cursor)
    }

    /// The relations of `ann`, out first then in, each with its other end.
    pub fn rows(doc: &Document, ann: &Annotation) -> Vec<RelationRow> {
        let mut out: Vec<RelationRow> = doc
            .store
            .relations_of(&ann.id)
            .filter_map(|r| {
                let outgoing = r.from == ann.id;
                let other_id = if outgoing { &r.to } else { &r.from };
                let other = doc.store.get(other_id)?;
                Some(RelationRow {
                    id: r.id.clone(),
                    outgoing,
                    label: r.label.clone(),
                    other: other.id.clone(),
                    other_start: other.start.get(),
                    quote: short(doc.text.slice(other.range()), 40),
                    other_label: other.label.clone(),
                })
            })
            .collect();
        out.sort_by_key(|r| (!r.outgoing, r.other_start));
        out
    }

    /// The chosen row for annotation `id`: the first when the choice was
    /// made on another one.
    pub fn chosen(&self, id: &str) -> usize {
        if self.about.as_deref() == Some(id) {
            self.selected
        } else {
            0
        }
    }

    /// Moves the choice by `n` rows among the `len` of annotation `id`.
    pub fn step(&mut self, id: &str, n: isize, len: usize) {
        self.selected = self.chosen(id);
        self.about = Some(id.to_string());
        self.selected = self
            .selected
            .saturating_add_signed(n)
            .min(len.saturating_sub(1));
    }

    pub fn hints(&self) -> Vec<Hint> {
        hints(&[Scope::Panel, Scope::Global])
    }

    /// Draws the panel in `area` for the annotation under `cursor`.
    pub fn draw(
        &self,
        buf: &mut Buffer,
        area: Rect,
        focused: bool,
        doc: &Document,
        cursor: usize,
        schema: &Schema,
    ) {
        let subject = Panel::subject(doc, cursor);
        let title = match subject {
            Some(a) => format!(" {} ", fit(&a.label, 30)),
            None => " Annotation ".to_string(),
        };
        let block = Block::bordered()
            .border_style(theme::border(focused))
            .title(title);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 {
            return;
        }
        let mut out = Lines { inner, y: inner.y };
        let mut line = |buf: &mut Buffer, parts: &[(&str, Style)]| out.line(buf, parts);
        let Some(a) = subject else {
            line(
                buf,
                &[(
                    "no annotation under the cursor: ] goes to the next one",
                    theme::dim(),
                )],
            );
            return;
        };
        let color = theme::label_bg(schema, &a.label);
        let quote = format!(" “{}”", short(doc.text.slice(a.range()), 120));
        let chars = doc.text.chars_of(a.range());
        let (from, to) = (chars.start, chars.end);
        let mut about = format!("  {from}..{to}");
        if let Some(who) = &a.annotator {
            about.push_str(&format!(" · {}", short(who, 24)));
        }
        // The day is enough here; the sidecar has the time.
        let day = a.created.get(..10).unwrap_or(&a.created);
        about.push_str(&format!(" · {}", short(day, 10)));
        line(
            buf,
            &[
                ("  ", Style::new().bg(color)),
                (&quote, Style::new().add_modifier(Modifier::BOLD)),
                (&about, theme::dim()),
            ],
        );
        if let Some(why) = &a.review {
            line(
                buf,
                &[
                    ("⚑ review: ", theme::warn()),
                    (&short(why, 200), Style::new()),
                    ("  (e, Enter confirms)", theme::dim()),
                ],
            );
        }
        if let Some(n) = &a.note {
            line(
                buf,
                &[("note: ", theme::key()), (&short(n, 200), Style::new())],
            );
        }
        // What brat adds: pieces, attributes, links, events, equivalences.
        let quote_of = |id: &str| {
            doc.store
                .get(id)
                .map(|x| format!("“{}”", short(doc.text.slice(x.range()), 30)))
                .or_else(|| {
                    doc.store
                        .events()
                        .iter()
                        .find(|e| e.id == id)
                        .map(|e| format!("event {}", e.label))
                })
                .unwrap_or_else(|| format!("{id:?}"))
        };
        let first = a.part_of().unwrap_or(&a.id);
        let pieces: Vec<&Annotation> = doc
            .store
            .all()
            .iter()
            .map(|x| &**x)
            .filter(|x| x.id == first || x.part_of() == Some(first))
            .collect();
        if pieces.len() > 1 {
            let all: Vec<String> = pieces.iter().map(|x| quote_of(&x.id)).collect();
            line(
                buf,
                &[
                    ("pieces: ", theme::key()),
                    (&short(&all.join(" … "), 200), Style::new()),
                ],
            );
        }
        let head = doc.store.get(first).unwrap_or(a);
        let mut more: Vec<String> = head
            .attributes()
            .iter()
            .map(|(k, v)| match v {
                Some(v) => format!("{k}={v}"),
                None => k.clone(),
            })
            .collect();
        more.extend(
            head.norms()
                .iter()
                .map(|n| format!("{} “{}”", n.reference, short(&n.text, 40))),
        );
        if !more.is_empty() {
            line(
                buf,
                &[
                    ("attributes: ", theme::key()),
                    (&short(&more.join(" · "), 200), Style::new()),
                ],
            );
        }
        for e in doc.store.events().iter().filter(|e| e.uses(first)).take(3) {
            let args: Vec<String> = e
                .args
                .iter()
                .map(|(role, x)| format!("{role} {}", quote_of(x)))
                .collect();
            let what = format!("{} {}: {}", e.label, quote_of(&e.trigger), args.join(", "));
            line(
                buf,
                &[("event ", theme::key()), (&short(&what, 200), Style::new())],
            );
        }
        for q in doc
            .store
            .equivalences()
            .iter()
            .filter(|q| q.members.iter().any(|m| m == first))
            .take(2)
        {
            let others: Vec<String> = q
                .members
                .iter()
                .filter(|m| *m != first)
                .map(|m| quote_of(m))
                .collect();
            line(
                buf,
                &[
                    ("same as ", theme::key()),
                    (&short(&others.join(", "), 200), Style::new()),
                    (&format!(" ({})", q.label), theme::dim()),
                ],
            );
        }
        let rows = Panel::rows(doc, a);
        if rows.is_empty() {
            line(
                buf,
                &[("no relations: r starts one from here", theme::dim())],
            );
            return;
        }
        let y = out.y;
        let room = inner.bottom().saturating_sub(y) as usize;
        let sel = self.chosen(&a.id).min(rows.len() - 1);
        let first = sel.saturating_sub(room.saturating_sub(1));
        for (i, r) in rows.iter().enumerate().skip(first).take(room) {
            let base = if focused && i == sel {
                theme::list_selected(true)
            } else {
                Style::new()
            };
            buf.set_style(Rect::new(inner.x, out.y, inner.width, 1), base);
            let arrow = if r.outgoing { "→ " } else { "← " };
            let label = format!("{} ", r.label);
            let quote = format!("{} “{}”", r.other_label, r.quote);
            out.line(
                buf,
                &[
                    (arrow, base.patch(theme::key())),
                    (&label, base.add_modifier(Modifier::BOLD)),
                    (&quote, base),
                ],
            );
        }
    }
}

/// Rows written one after another inside a pane, none past its bottom.
struct Lines {
    inner: Rect,
    y: u16,
}

impl Lines {
    fn line(&mut self, buf: &mut Buffer, parts: &[(&str, Style)]) {
        if self.y >= self.inner.bottom() {
            return;
        }
        let mut x = self.inner.x + 1;
        for (s, st) in parts {
            x = put(buf, x, self.y, self.inner.right(), s, *st);
        }
        self.y += 1;
    }
}
