//! Colours and styles, in one place so a later theme file can replace them.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};

pub const NEUTRAL_LABEL: Color = Color::Gray;

/// The colour of a label in the schema (`"#rrggbb"` or a name).
pub fn label_color(spec: &str) -> Option<Color> {
    Color::from_str(spec.trim()).ok()
}

pub fn annotated(bg: Color, depth: usize) -> Style {
    let s = Style::new().bg(bg).fg(Color::Black);
    if depth > 1 {
        // Overlaps stay visible: the innermost colour, underlined.
        s.add_modifier(Modifier::UNDERLINED)
    } else {
        s
    }
}

pub fn selection() -> Style {
    Style::new().bg(Color::Indexed(24)).fg(Color::White)
}

pub fn cursor() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn search_match() -> Style {
    Style::new()
        .fg(Color::Yellow)
        .add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
}

/// How escaped control characters are drawn: visible, and unlike text.
pub fn escaped() -> Style {
    Style::new()
        .fg(Color::LightMagenta)
        .add_modifier(Modifier::BOLD)
}

pub fn border(focused: bool) -> Style {
    if focused {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new().fg(Color::DarkGray)
    }
}

pub fn list_selected(focused: bool) -> Style {
    if focused {
        Style::new().bg(Color::Cyan).fg(Color::Black)
    } else {
        Style::new().bg(Color::DarkGray).fg(Color::White)
    }
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn status() -> Style {
    Style::new().bg(Color::Indexed(236)).fg(Color::White)
}

pub fn info() -> Style {
    Style::new().fg(Color::White)
}

pub fn warn() -> Style {
    Style::new().fg(Color::Yellow)
}

pub fn error() -> Style {
    Style::new()
        .fg(Color::LightRed)
        .add_modifier(Modifier::BOLD)
}

pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
