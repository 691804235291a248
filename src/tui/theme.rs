//! Colours and styles, in one place so a later theme file can replace them.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};

pub const NEUTRAL_LABEL: Color = Color::Gray;

/// The colour of `label`'s spans: the schema's, or a neutral grey for a
/// label it lacks.
pub fn label_bg(schema: &crate::core::labels::Schema, label: &str) -> Color {
    schema
        .get(label)
        .and_then(|l| label_color(&l.color))
        .unwrap_or(NEUTRAL_LABEL)
}

/// The colour of a label in the schema (`"#rrggbb"` or a name).
pub fn label_color(spec: &str) -> Option<Color> {
    Color::from_str(spec.trim()).ok()
}

/// Whether colours are off (`NO_COLOR`, https://no-color.org): spans are
/// then underlined, and `view` strips every colour from the frame.
pub fn no_color() -> bool {
    static OFF: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OFF.get_or_init(|| std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()))
}

/// The text colour that reads best on `bg` (black or white, by WCAG
/// contrast; at least 4.5:1 for every colour the schema gives or gloss
/// picks).
pub fn text_on(bg: Color) -> Color {
    use crate::core::colour::Rgb;
    // A named colour as `core::colour` knows the names (xterm's values).
    let rgb = match bg {
        Color::Rgb(r, g, b) => Some(Rgb(r, g, b)),
        named => Rgb::parse(&named.to_string()),
    };
    match rgb.map(Rgb::text_on) {
        Some(Rgb(255, 255, 255)) => Color::White,
        _ => Color::Black,
    }
}

pub fn annotated(bg: Color, depth: usize) -> Style {
    if no_color() {
        return Style::new().add_modifier(if depth > 1 {
            Modifier::UNDERLINED | Modifier::BOLD
        } else {
            Modifier::UNDERLINED
        });
    }
    let s = Style::new().bg(bg).fg(text_on(bg));
    if depth > 1 {
        // Overlaps stay visible: the innermost colour, underlined.
        s.add_modifier(Modifier::UNDERLINED)
    } else {
        s
    }
}

/// A suggestion not decided yet: its label's colour on the text, dimmed
/// and underlined (no background: it is not an annotation).
pub fn suggested(label: Color) -> Style {
    if no_color() {
        return Style::new().add_modifier(Modifier::DIM | Modifier::UNDERLINED);
    }
    Style::new()
        .fg(label)
        .add_modifier(Modifier::DIM | Modifier::UNDERLINED)
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

/// A label name shown inline at the start of its span.
pub fn inlay(bg: Color) -> Style {
    if no_color() {
        return Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED);
    }
    Style::new()
        .bg(bg)
        .fg(text_on(bg))
        .add_modifier(Modifier::BOLD | Modifier::DIM)
}

/// A search match inside a tag: the tag's colours swapped, so it stands
/// out and keeps the tag's contrast (yellow on a light tag would not).
pub fn search_match_in_tag() -> Style {
    Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_on_named_colours_follows_their_contrast() {
        assert_eq!(text_on(Color::Blue), Color::White);
        assert_eq!(text_on(Color::LightYellow), Color::Black);
        assert_eq!(text_on(Color::Gray), Color::Black);
        assert_eq!(text_on(Color::Rgb(0xbe, 0x50, 0x46)), Color::White);
    }
}
