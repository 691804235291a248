//! Drawing: a pure function of `&App`. It lays out only the rows on screen
//! (the layout cache fills in as they are first seen) and does no I/O.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::widgets::{Block, Clear, Widget};
use unicode_width::UnicodeWidthStr;

use super::app::{App, Focus, Mode, SaveState, Tone, short};
use super::components::pager::Page;
use super::components::paint::{fit, put};
use super::components::{Hint, help, hints, problems};
use super::panes::{MIN_HEIGHT, MIN_WIDTH, Panes};
use super::theme;
use crate::core::offset::BytePos;

/// Draws every component where the panes put it, then the overlay of the
/// mode (help, problems, picker) and the terminal's cursor for a prompt.
pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let Some(p) = app.panes_for(area) else {
        too_small(frame.buffer_mut(), area);
        return;
    };
    let buf = frame.buffer_mut();
    let open = app.doc.as_ref().map(|d| d.session.idx).or(app.loading);
    app.list.draw(buf, &p, app.focus == Focus::List, open);
    draw_text(app, buf, &p);
    if let (Some(r), Some(d)) = (p.panel, app.doc.as_ref()) {
        app.panel.draw(
            buf,
            r,
            app.focus == Focus::Panel,
            &d.session,
            d.cursor,
            &app.schema,
        );
    }
    draw_status(app, buf, p.status);
    draw_footer(app, buf, p.footer);
    let cursor = match &app.mode {
        Mode::Pager(pager) => {
            let lines = match pager.page {
                Page::Help => help::lines(&app.schema, &app.settings.annotations),
                Page::Problems => problems::lines(
                    &app.schema,
                    app.schema_problem.as_deref(),
                    app.doc.as_ref().map(|d| &d.session),
                ),
                Page::Stats => match &app.stats {
                    Some(lines) => lines
                        .iter()
                        .map(|l| (l.clone(), ratatui::style::Style::new()))
                        .collect(),
                    None => vec![("counting…".to_string(), theme::dim())],
                },
            };
            let title = match pager.page {
                Page::Help => help::TITLE,
                Page::Problems => problems::TITLE,
                Page::Stats => " The corpus  (j/k scroll, Esc closes) ",
            };
            pager.draw(buf, area, title, &lines);
            None
        }
        Mode::Picker(picker) => {
            let labels = app
                .doc
                .as_ref()
                .map(|d| d.session.store.doc_labels())
                .unwrap_or_default();
            let has = |g: &str, c: &str| labels.iter().any(|l| l.group == g && l.label == c);
            picker.draw(buf, area, &app.schema, &has)
        }
        Mode::Prompt(pr) => pr.draw(buf, p.status),
        Mode::Annotations(l) => app
            .doc
            .as_ref()
            .and_then(|d| l.draw(buf, area, &d.session, &app.schema)),
        Mode::Occurrences(o) => {
            if let Some(d) = app.doc.as_ref() {
                o.draw(buf, area, &d.session.text);
            }
            None
        }
        Mode::Corpus(kind) => app.corpus_view(*kind).and_then(|v| v.draw(buf, area)),
        _ => None,
    };
    if let Some(c) = cursor {
        frame.set_cursor_position(c);
    }
    let area = frame.area();
    crate::tui::cells::split_clusters(frame.buffer_mut(), area);
    if theme::no_color() {
        // Every colour out; modifiers (reverse, bold, underline) stay.
        let area = frame.area();
        let buf = frame.buffer_mut();
        for y in area.top()..area.bottom() {
            for x in area.left()..area.right() {
                buf[(x, y)]
                    .set_fg(ratatui::style::Color::Reset)
                    .set_bg(ratatui::style::Color::Reset);
            }
        }
    }
}

/// The text pane: the reader's article, or why there is none.
fn draw_text(app: &App, buf: &mut Buffer, p: &Panes) {
    let focused = app.focus == Focus::Text;
    match app.doc.as_ref() {
        Some(d) => d.draw(
            buf,
            p,
            focused,
            &app.shown_title(d.session.idx),
            &app.schema,
        ),
        None => {
            Block::bordered()
                .border_style(theme::border(focused))
                .render(p.text, buf);
            let s = if app.loading.is_some() {
                "opening…"
            } else {
                "no article open"
            };
            let inner = p.text_inner;
            put(buf, inner.x + 1, inner.y, inner.right(), s, theme::dim());
        }
    }
}

fn too_small(buf: &mut Buffer, area: Rect) {
    Clear.render(area, buf);
    let lines = [
        "Terminal too small".to_string(),
        format!("gloss needs {MIN_WIDTH}x{MIN_HEIGHT}"),
        format!("this one is {}x{}", area.width, area.height),
    ];
    for (i, l) in lines.iter().enumerate() {
        let y = area.y + i as u16;
        if y >= area.bottom() {
            break;
        }
        put(buf, area.x, y, area.right(), l, theme::warn());
    }
}

// ---- status and footer ----

fn draw_status(app: &App, buf: &mut Buffer, area: Rect) {
    buf.set_style(area, theme::status());
    let right = area.right();
    if matches!(app.mode, Mode::Prompt(_)) {
        return; // the prompt draws itself here
    }
    let editing = app.doc.as_ref().is_some_and(|d| d.edit.is_some());
    let selecting = app.doc.as_ref().is_some_and(|d| d.anchor.is_some());
    let badge = match (app.focus, editing, selecting) {
        (Focus::List, _, _) => " LIST ",
        (Focus::Panel, _, _) => " PANEL ",
        (_, true, _) => " EDIT ",
        (_, _, true) => " SELECT ",
        _ => " READ ",
    };
    let mut x = put(
        buf,
        area.x,
        area.y,
        right,
        badge,
        theme::status().add_modifier(Modifier::REVERSED | Modifier::BOLD),
    );
    x += 1;
    // Right side: position and save state, always visible.
    let mut right_text = String::new();
    let mut save_style = theme::status();
    if app.doc.as_ref().is_some_and(|d| d.glimpse) {
        // Its line numbers and offsets are not known until it is read.
        right_text = "… reading ".into();
        save_style = theme::status().patch(theme::warn());
    } else if let Some(d) = &app.doc {
        let line = d.session.text.line_of(d.cursor);
        let t = &d.session.text;
        let before = t.chars_of(t.line_range(line).start..d.cursor);
        let col = before.end.abs_diff(before.start);
        // On a narrow screen the message comes first: the position goes,
        // the save state shrinks to its sign (but NOT SAVED stays said).
        let narrow = area.width < 80 && app.message.is_some();
        if app.suggesting.is_some() {
            // A slow source runs on: said until it answers.
            right_text.push_str("suggesting… ");
        }
        if !narrow {
            right_text += &format!(
                "Ln {}, Col {} @{} ",
                line + 1,
                col + 1,
                t.byte_to_char(BytePos(d.cursor))
            );
        }
        let (s, st) = match (&d.session.save, d.session.read_only.is_some(), narrow) {
            (_, true, false) => ("read-only", theme::warn()),
            (_, true, true) => ("ro", theme::warn()),
            (SaveState::Saved, _, false) => ("✓ saved", theme::info()),
            (SaveState::Saved, _, true) => ("✓", theme::info()),
            (SaveState::Saving, _, false) => ("… saving", theme::warn()),
            (SaveState::Saving, _, true) => ("…", theme::warn()),
            (SaveState::Failed(_), _, _) => ("✗ NOT SAVED", theme::error()),
        };
        right_text.push_str(s);
        right_text.push(' ');
        save_style = theme::status().patch(st);
    }
    let rw = right_text.width() as u16;
    let middle_right = right.saturating_sub(rw + 1).max(x);
    // The article's name, unless a message needs the room.
    if let Some(d) = &app.doc
        && (area.width >= 80 || app.message.is_none())
    {
        x = put(
            buf,
            x,
            area.y,
            middle_right,
            &d.session.rel,
            theme::status().add_modifier(Modifier::BOLD),
        );
        x += 2;
    }
    if let Some(m) = &app.message {
        let st = match m.tone {
            Tone::Info => theme::info(),
            Tone::Warn => theme::warn(),
            Tone::Error => theme::error(),
        };
        put(
            buf,
            x,
            area.y,
            middle_right,
            &fit(&m.text, (middle_right.saturating_sub(x)) as usize),
            theme::status().patch(st),
        );
    } else if let Some(d) = &app.doc {
        let here = d.session.store.at(d.cursor);
        let mut parts = vec![];
        for a in &here {
            let known = app.schema.get(&a.label).is_some();
            parts.push(if known {
                a.label.clone()
            } else {
                format!("{} (not in the schema)", a.label)
            });
        }
        if here.is_empty()
            && let Some(sug) = app.suggestion_status()
        {
            parts.push(sug);
        }
        if let Some(a) = d.session.store.innermost_at(d.cursor) {
            if a.review.is_some() {
                parts.push("⚑ to review".to_string());
            }
            if let Some(n) = &a.note {
                parts.push(format!("note: {}", short(n, 60)));
            }
            // Its relations, out and in (> and < follow them).
            for r in d.session.store.relations_of(&a.id) {
                let (arrow, other) = if r.from == a.id {
                    ("→", &r.to)
                } else {
                    ("←", &r.from)
                };
                let quote = d.session.store.get(other).map_or("?".to_string(), |o| {
                    short(d.session.text.slice(o.range()), 24)
                });
                parts.push(format!("{arrow} {} “{quote}”", r.label));
            }
        }
        put(
            buf,
            x,
            area.y,
            middle_right,
            &parts.join(" › "),
            theme::status().patch(theme::key()),
        );
    }
    put(
        buf,
        right.saturating_sub(rw),
        area.y,
        right,
        &right_text,
        save_style,
    );
}

/// The footer: the hints of whatever has the keys now.
fn draw_footer(app: &App, buf: &mut Buffer, area: Rect) {
    let right = area.right();
    let mut x = area.x + 1;
    let hints: Vec<Hint> = match &app.mode {
        Mode::Prompt(p) => p.hints(),
        Mode::Picker(p) => p.hints(),
        Mode::Pager(p) => p.hints(),
        Mode::PendingFind { .. } => vec![("any character".into(), "find it")],
        Mode::ConfirmQuit => hints(&[super::keymap::Scope::Confirm]),
        Mode::Relabel { .. } => hints(&[super::keymap::Scope::Relabel]),
        Mode::Occurrences(o) => o.hints(),
        Mode::Corpus(kind) => app
            .corpus_view(*kind)
            .map(|v| v.hints())
            .unwrap_or_default(),
        Mode::Annotations(l) => l.hints(),
        Mode::Normal => hints(&app.scopes()),
    };
    for (k, what) in hints {
        let need = (k.width() + what.width() + 3) as u16;
        if x + need > right {
            break;
        }
        x = put(buf, x, area.y, right, &k, theme::key());
        x = put(buf, x + 1, area.y, right, what, theme::dim());
        x += 2;
    }
}
