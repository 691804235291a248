//! The parts of the screen, each owning its state, the keys of its scope
//! in the key table, its drawing (`draw(&self, …)`) and its footer hints.
//! The app (`super::app`) routes events to the one with focus.

pub mod annotation_list;
pub mod article_list;
pub mod corpus_view;
pub mod help;
pub mod line_input;
pub mod occurrences;
pub mod pager;
pub mod paint;
pub mod panel;
pub mod picker;
pub mod problems;
pub mod prompt;
pub mod reader;

use super::action::Action;
use super::keymap::{Scope, active, keys_text};

/// A footer hint: a key and what it does.
pub type Hint = (String, &'static str);

/// The footer hints of `scopes` (most specific first) from the key table:
/// each binding with a footer word, by its first key, each key once.
pub fn hints(scopes: &[Scope]) -> Vec<Hint> {
    hints_with(scopes, |_| None)
}

/// As `hints`, with `word` naming some actions for where they are used
/// (Enter "searches" in the search prompt and "applies" in the picker).
pub fn hints_with(scopes: &[Scope], word: impl Fn(Action) -> Option<&'static str>) -> Vec<Hint> {
    let mut v: Vec<Hint> = vec![];
    for s in scopes {
        for b in active().bindings().iter().filter(|b| b.scope == *s) {
            if let Some(w) = word(b.action).or(b.footer) {
                let first = keys_text(b).split(' ').next().unwrap_or("").to_string();
                if !v.iter().any(|(k, _)| *k == first) {
                    v.push((first, w));
                }
            }
        }
    }
    v
}
