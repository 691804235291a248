//! The help: every key from the key table, by scope, and the schema.

use std::path::Path;

use ratatui::style::{Modifier, Style};
use unicode_width::UnicodeWidthStr;

use super::paint::OLine;
use crate::core::display::sanitize_line;
use crate::core::labels::Schema;
use crate::tui::keymap::{Scope, active, keys_text};
use crate::tui::theme;

pub const TITLE: &str = " Keys  (j/k scroll, Esc closes) ";

/// Every key in the table, by scope, then the schema's labels, relation
/// types and document groups, and the mouse.
pub fn lines(schema: &Schema, annotations: &Path) -> Vec<OLine> {
    let mut out = vec![];
    for scope in Scope::ALL {
        out.push((
            scope.title().to_string(),
            theme::key().add_modifier(Modifier::UNDERLINED),
        ));
        for b in active().bindings().iter().filter(|b| b.scope == scope) {
            let keys = keys_text(b);
            out.push((
                format!("  {keys:<22} {}", b.action.describe()),
                Style::new(),
            ));
        }
        out.push((String::new(), Style::new()));
    }
    out.push((
        "Labels".into(),
        theme::key().add_modifier(Modifier::UNDERLINED),
    ));
    let name_w = schema
        .labels
        .iter()
        .map(|l| l.name.width())
        .max()
        .unwrap_or(0);
    for l in &schema.labels {
        let key = l.key.map_or(" ".to_string(), |k| k.to_string());
        let name = sanitize_line(&l.name);
        out.push((
            format!(
                "  {key:<22} {name:<name_w$}  {}",
                sanitize_line(&l.description)
            ),
            Style::new(),
        ));
    }
    // The schema's relation types and document groups, where it has them.
    if !schema.relations.is_empty() {
        out.push((String::new(), Style::new()));
        out.push((
            "Relation types (r, then Enter or the digit)".into(),
            theme::key().add_modifier(Modifier::UNDERLINED),
        ));
        for r in &schema.relations {
            let key = r.key.map_or(" ".to_string(), |k| k.to_string());
            let side = |v: &Vec<String>| {
                if v.is_empty() {
                    "any".to_string()
                } else {
                    v.join("|")
                }
            };
            out.push((
                sanitize_line(&format!(
                    "  {key:<22} {}  {} → {}",
                    r.name,
                    side(&r.from),
                    side(&r.to)
                )),
                Style::new(),
            ));
        }
    }
    if !schema.documents.is_empty() {
        out.push((String::new(), Style::new()));
        out.push((
            "Document labels (D)".into(),
            theme::key().add_modifier(Modifier::UNDERLINED),
        ));
        for g in &schema.documents {
            out.push((
                sanitize_line(&format!(
                    "  {:<22} {}{}",
                    g.name,
                    g.choices.join(", "),
                    if g.multiple {
                        "  (any number)"
                    } else {
                        "  (one)"
                    }
                )),
                Style::new(),
            ));
        }
    }
    out.push((String::new(), Style::new()));
    out.push((
        "Mouse".into(),
        theme::key().add_modifier(Modifier::UNDERLINED),
    ));
    for l in [
        "  click                  move the cursor, or open an article",
        "  drag                   select a passage",
        "  wheel                  scroll",
    ] {
        out.push((l.into(), Style::new()));
    }
    out.push((String::new(), Style::new()));
    out.push((
        format!(
            "Sidecars are saved on every change in {}",
            sanitize_line(&annotations.display().to_string())
        ),
        theme::dim(),
    ));
    out
}
