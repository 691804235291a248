//! The problems view (`!`): what is wrong with the schema and the open
//! article, in full.

use ratatui::style::Style;

use super::paint::OLine;
use crate::core::display::sanitize_line;
use crate::core::labels::Schema;
use crate::session::document::{Document, SaveState};
use crate::tui::app::short;
use crate::tui::theme;

pub const TITLE: &str = " Problems  (Esc closes) ";

/// The schema's problem, then the open article's: why it is read-only,
/// why it is not saved, what opening it found, unknown labels, orphans.
pub fn lines(schema: &Schema, schema_problem: Option<&str>, doc: Option<&Document>) -> Vec<OLine> {
    let mut out: Vec<OLine> = vec![];
    if let Some(p) = schema_problem {
        out.push((format!("label schema: {p}"), theme::error()));
    }
    let Some(d) = doc else {
        out.push(("no article open".into(), theme::dim()));
        return out;
    };
    if let Some(r) = &d.read_only {
        out.push((format!("read-only: {}", sanitize_line(r)), theme::error()));
    }
    if let SaveState::Failed(e) = &d.save {
        out.push((format!("not saved: {}", sanitize_line(e)), theme::error()));
    }
    for n in &d.notices {
        out.push((sanitize_line(n), theme::warn()));
    }
    let mut unknown: Vec<&str> = d
        .store
        .all()
        .iter()
        .map(|a| a.label.as_str())
        .filter(|l| schema.get(l).is_none())
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    if !unknown.is_empty() {
        out.push((
            format!(
                "labels not in the schema (shown in grey): {}",
                sanitize_line(&unknown.join(", "))
            ),
            theme::warn(),
        ));
    }
    let to_review: Vec<_> = d
        .store
        .all()
        .iter()
        .filter(|a| a.review.is_some())
        .collect();
    if !to_review.is_empty() {
        out.push((
            format!(
                "{} annotation(s) to review (e on one, then Enter, confirms it):",
                to_review.len()
            ),
            theme::warn(),
        ));
        for a in to_review {
            let at = d.text.chars_of(a.range());
            out.push((
                format!(
                    "  {} “{}” at {}..{}: {}",
                    sanitize_line(&a.label),
                    short(d.text.slice(a.range()), 40),
                    at.start,
                    at.end,
                    short(a.review.as_deref().unwrap_or(""), 80)
                ),
                Style::new(),
            ));
        }
    }
    if !d.store.orphans.is_empty() {
        out.push((
            format!(
                "{} orphaned annotation(s), kept in the sidecar:",
                d.store.orphans.len()
            ),
            theme::warn(),
        ));
        for o in &d.store.orphans {
            let mut l = format!(
                "  {} “{}” (was at {}..{})",
                sanitize_line(&o.label),
                short(&o.quote, 50),
                o.start,
                o.end
            );
            if let Some(n) = &o.note {
                l.push_str(&format!(" note: {}", short(n, 40)));
            }
            out.push((l, Style::new()));
        }
    }
    if out.is_empty() {
        out.push(("no problems".into(), theme::dim()));
    }
    out
}
