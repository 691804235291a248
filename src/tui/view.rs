//! Drawing: a pure function of `&App`. It lays out only the rows on screen
//! (the layout cache fills in as they are first seen) and does no I/O.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Clear, Widget};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::app::{App, Focus, Mode, PickItem, PromptKind, SaveState, Tone, short};
use super::keymap::{BINDINGS, Scope, keys_text};
use super::panes::{MIN_HEIGHT, MIN_WIDTH, Panes, panes};
use super::theme;
use crate::core::article::Health;
use crate::core::display::{Glyph, sanitize_line};
use crate::core::layout::cells;

pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let Some(p) = panes(area) else {
        too_small(frame.buffer_mut(), area);
        return;
    };
    let buf = frame.buffer_mut();
    draw_list(app, buf, &p);
    draw_text(app, buf, &p);
    draw_status(app, buf, p.status);
    draw_footer(app, buf, p.footer);
    match &app.mode {
        Mode::Help { scroll } => overlay(
            buf,
            area,
            " Keys  (j/k scroll, Esc closes) ",
            &help_lines(app),
            *scroll,
        ),
        Mode::Problems { scroll } => overlay(
            buf,
            area,
            " Problems  (Esc closes) ",
            &problem_lines(app),
            *scroll,
        ),
        Mode::Picker(_) => draw_picker(app, frame),
        Mode::Prompt(pr) => {
            let x =
                p.status.x + (pr.title().width() + pr.input.text[..pr.input.caret].width()) as u16;
            if x < p.status.right() {
                frame.set_cursor_position(Position::new(x, p.status.y));
            }
        }
        _ => {}
    }
}

/// Writes `s` (already safe to show) from `x`, clipped at `right`; returns
/// the column after it.
/// Every string drawn goes through here or `fit`: made inert first, since
/// ratatui drops C0 controls but lets bidi and zero-width characters reach
/// the terminal. Text already made inert passes unchanged.
fn put(buf: &mut Buffer, x: u16, y: u16, right: u16, s: &str, style: Style) -> u16 {
    if x >= right {
        return x;
    }
    let s = sanitize_line(s);
    let (nx, _) = buf.set_stringn(x, y, &s, (right - x) as usize, style);
    nx
}

/// `s` cut to `w` columns, with an ellipsis when cut.
fn fit(s: &str, w: usize) -> String {
    let s = sanitize_line(s);
    if s.width() <= w {
        return s;
    }
    let mut out = String::new();
    for g in s.graphemes(true) {
        if out.width() + g.width() + 1 > w {
            break;
        }
        out.push_str(g);
    }
    out.push('…');
    out
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

// ---- the list ----

fn draw_list(app: &App, buf: &mut Buffer, p: &Panes) {
    let focused = app.focus == Focus::List;
    // Progress over the corpus, once any article is done.
    let done = app
        .items
        .iter()
        .filter(|i| i.status == crate::core::annotation::Status::Done)
        .count();
    let progress = if done > 0 {
        format!("· {done} done ")
    } else {
        String::new()
    };
    let title = if app.filter.is_empty() {
        format!(" Articles {} {progress}", app.items.len())
    } else {
        format!(
            " Articles {}/{} {progress}",
            app.visible.len(),
            app.items.len()
        )
    };
    let mut block = Block::bordered()
        .border_style(theme::border(focused))
        .title(title);
    if !app.filter.is_empty() {
        block = block.title_bottom(format!(" /{} ", fit(&app.filter, 20)));
    }
    block.render(p.list, buf);
    let inner = p.list_inner;
    let right = inner.right();
    for (row, &idx) in app
        .visible
        .iter()
        .skip(app.list_offset)
        .take(inner.height as usize)
        .enumerate()
    {
        let y = inner.y + row as u16;
        let it = &app.items[idx];
        let is_selected = app.list_offset + row == app.selected;
        let base = if is_selected {
            theme::list_selected(focused)
        } else {
            Style::new()
        };
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), base);
        let open =
            app.doc.as_ref().is_some_and(|d| d.session.idx == idx) || app.loading == Some(idx);
        let (mark, mark_style) = match it.health {
            Some(Health::ReadOnly) => ("!", theme::warn()),
            Some(Health::Unreadable) => ("✗", theme::error()),
            _ if open => ("▸", Style::new()),
            _ if it.status == crate::core::annotation::Status::Done => ("✓", theme::dim()),
            _ => (" ", Style::new()),
        };
        let x = put(buf, inner.x, y, right, mark, base.patch(mark_style));
        let count = if it.count > 0 {
            format!(" {}", it.count)
        } else {
            " ·".to_string()
        };
        let room = (right - x) as usize;
        let title_w = room.saturating_sub(count.width());
        put(buf, x, y, right, &fit(&app.shown_title(idx), title_w), base);
        let cx = right.saturating_sub(count.width() as u16).max(x);
        put(
            buf,
            cx,
            y,
            right,
            &count,
            base.patch(if is_selected {
                Style::new()
            } else {
                theme::dim()
            }),
        );
    }
    if app.visible.is_empty() && inner.height > 0 {
        let s = if app.items.is_empty() {
            "no articles"
        } else {
            "no match"
        };
        put(buf, inner.x + 1, inner.y, right, s, theme::dim());
    }
}

// ---- the text ----

fn draw_text(app: &App, buf: &mut Buffer, p: &Panes) {
    let focused = app.focus == Focus::Text;
    let inner = p.text_inner;
    let mut block = Block::bordered().border_style(theme::border(focused));
    let Some(d) = app.doc.as_ref() else {
        block.render(p.text, buf);
        let s = if app.loading.is_some() {
            "opening…"
        } else {
            "no article open"
        };
        put(buf, inner.x + 1, inner.y, inner.right(), s, theme::dim());
        return;
    };
    let title = app.shown_title(d.session.idx);
    let (t, lay) = (&d.session.text, &d.layout);
    let first = lay.row_pos(t, d.top);
    let last = lay.step(t, first, inner.height as isize - 1);
    let window = lay.row_start(t, first)..lay.row_range(t, last).end;
    // Where the view is, as vim and less say it.
    let at_end = lay.next_row(t, last).is_none();
    let place = match (d.top == 0, at_end) {
        (true, true) => "All".to_string(),
        (true, false) => "Top".to_string(),
        (false, true) => "Bot".to_string(),
        (false, false) => format!("{}%", window.end * 100 / t.len().max(1)),
    };
    let n = d.session.store.len();
    // The article's status and document labels, where it has them.
    let mut about = String::new();
    if d.session.store.status() != crate::core::annotation::Status::New {
        about.push_str(&format!(" · {}", d.session.store.status().name()));
    }
    for l in d.session.store.doc_labels() {
        about.push_str(&format!(" · {}: {}", l.group, l.label));
    }
    let mut right_title = format!(
        " {n} tag{}{about} · {place} ",
        if n == 1 { "" } else { "s" }
    );
    if d.glimpse {
        right_title = " reading… ".into();
    } else if d.session.read_only.is_some() {
        right_title = format!(" read-only ·{right_title}");
    }
    let room = (p.text.width as usize).saturating_sub(right_title.width() + 6);
    block = block
        .title(format!(" {} ", fit(&title, room)))
        .title_top(ratatui::text::Line::from(right_title).right_aligned());
    block.render(p.text, buf);

    if d.session.text.is_empty() {
        let why = d
            .session
            .read_only
            .as_deref()
            .unwrap_or("the article is empty");
        put(
            buf,
            inner.x + 1,
            inner.y,
            inner.right(),
            &fit(why, inner.width as usize),
            theme::dim(),
        );
        return;
    }
    let sel = d.selection();
    let width = inner.width as usize;
    // Search matches in the visible window only.
    let matches: Vec<std::ops::Range<usize>> = d
        .search
        .as_ref()
        .map(|s| s.matches_in(t.as_str(), window))
        .unwrap_or_default();
    let mut row = Some(first);
    for y in inner.y..inner.bottom() {
        let Some(rp) = row else { break };
        let range = lay.row_range(t, rp);
        let anns: Vec<_> = d
            .session
            .store
            .overlapping(range.start..range.end.max(range.start + 1))
            .collect();
        let mut end_col = 0;
        for cell in cells(t, range.clone()) {
            if cell.col >= width {
                break;
            }
            let off = cell.offset;
            let mut style = Style::new();
            let covering: Vec<_> = anns
                .iter()
                .filter(|a| a.start <= off && off < a.end)
                .collect();
            if let Some(inner_most) = covering.iter().min_by_key(|a| a.end - a.start) {
                let bg = app
                    .schema
                    .get(&inner_most.label)
                    .and_then(|l| theme::label_color(&l.color))
                    .unwrap_or(theme::NEUTRAL_LABEL);
                style = theme::annotated(bg, covering.len());
            }
            // The start of a relation being made stays marked while the
            // cursor goes to its other end.
            if d.relating
                .as_ref()
                .is_some_and(|id| covering.iter().any(|a| &a.id == id))
            {
                style = style.add_modifier(ratatui::style::Modifier::REVERSED);
            }
            if matches.iter().any(|m| m.start <= off && off < m.end) {
                style = style.patch(theme::search_match());
            }
            if sel.as_ref().is_some_and(|s| s.contains(&off)) {
                style = style.patch(theme::selection());
            }
            if cell.glyph.is_escaped() {
                style = style.patch(theme::escaped());
            }
            if off == d.cursor {
                style = style.patch(cursor_style(focused));
            }
            let mut x = inner.x + cell.col as u16;
            let w = cell.width();
            match &cell.glyph {
                Glyph::Text(s) => {
                    if cell.col + w <= width {
                        buf[(x, y)].set_symbol(s).set_style(style);
                        for i in 1..w {
                            buf[(x + i as u16, y)].reset();
                            buf[(x + i as u16, y)].set_style(style);
                        }
                    }
                }
                g => {
                    for sym in g.cells() {
                        if x >= inner.right() {
                            break;
                        }
                        buf[(x, y)].set_symbol(&sym).set_style(style);
                        x += 1;
                    }
                }
            }
            end_col = cell.col + w;
        }
        // The cursor on a line's end (its terminator) has a cell of its own.
        let line_end = t.block_range(rp.block).end;
        if d.cursor == line_end && lay.ends_line(t, rp) {
            let x = inner.x + end_col.min(width - 1) as u16;
            let mut style = cursor_style(focused);
            if sel.as_ref().is_some_and(|s| s.contains(&d.cursor)) {
                style = theme::selection().patch(style);
            }
            buf[(x, y)].set_symbol(" ").set_style(style);
        }
        row = lay.next_row(t, rp);
    }
}

fn cursor_style(focused: bool) -> Style {
    if focused {
        theme::cursor()
    } else {
        Style::new().add_modifier(Modifier::UNDERLINED)
    }
}

// ---- status and footer ----

fn draw_status(app: &App, buf: &mut Buffer, area: Rect) {
    buf.set_style(area, theme::status());
    let right = area.right();
    if let Mode::Prompt(p) = &app.mode {
        let x = put(
            buf,
            area.x,
            area.y,
            right,
            p.title(),
            theme::status().patch(theme::key()),
        );
        put(buf, x, area.y, right, &p.input.text, theme::status());
        return;
    }
    let editing = app.doc.as_ref().is_some_and(|d| d.edit.is_some());
    let selecting = app.doc.as_ref().is_some_and(|d| d.anchor.is_some());
    let badge = match (app.focus, editing, selecting) {
        (Focus::List, _, _) => " LIST ",
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
        let col = d.session.text.byte_to_char(d.cursor)
            - d.session
                .text
                .byte_to_char(d.session.text.line_range(line).start);
        right_text = format!(
            "Ln {}, Col {} @{} ",
            line + 1,
            col + 1,
            d.session.text.byte_to_char(d.cursor)
        );
        let (s, st) = match (&d.session.save, d.session.read_only.is_some()) {
            (_, true) => ("read-only", theme::warn()),
            (SaveState::Saved, _) => ("✓ saved", theme::info()),
            (SaveState::Saving, _) => ("… saving", theme::warn()),
            (SaveState::Failed(_), _) => ("✗ NOT SAVED", theme::error()),
        };
        right_text.push_str(s);
        right_text.push(' ');
        save_style = theme::status().patch(st);
    }
    let rw = right_text.width() as u16;
    let middle_right = right.saturating_sub(rw + 1).max(x);
    if let Some(d) = &app.doc {
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
        if let Some(a) = d.session.store.innermost_at(d.cursor) {
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

fn scopes(app: &App) -> Vec<Scope> {
    app.scopes()
}

fn draw_footer(app: &App, buf: &mut Buffer, area: Rect) {
    let right = area.right();
    let mut x = area.x + 1;
    let hints: Vec<(String, &str)> = match &app.mode {
        Mode::Prompt(p) => {
            let what = match p.kind {
                PromptKind::Search { .. } => "search",
                PromptKind::ListFilter { .. } => "filter",
                PromptKind::Note { .. } => "save note",
                PromptKind::RelationName { .. } => "relate",
                PromptKind::DocLabel => "add or remove",
            };
            vec![("Enter".into(), what), ("Esc".into(), "cancel")]
        }
        Mode::Picker(_) => vec![
            ("type".into(), "filter or new name"),
            ("↑↓".into(), "choose"),
            ("Enter".into(), "apply"),
            ("Esc".into(), "cancel"),
        ],
        Mode::PendingFind { .. } => vec![("any character".into(), "find it")],
        _ => {
            let sc = scopes(app);
            let mut v = vec![];
            for s in &sc {
                for b in BINDINGS.iter().filter(|b| b.scope == *s) {
                    if let Some(word) = b.footer {
                        let first = keys_text(b).split(' ').next().unwrap_or("").to_string();
                        if !v.iter().any(|(k, _): &(String, &str)| *k == first) {
                            v.push((first, word));
                        }
                    }
                }
            }
            v
        }
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

// ---- overlays ----

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width.saturating_sub(2)).max(1);
    let h = h.min(area.height.saturating_sub(2)).max(1);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clears `r` and frames it with `title`; returns the inside, `pad` columns
/// in from each side.
fn popup(buf: &mut Buffer, r: Rect, title: &str, pad: u16) -> Rect {
    Clear.render(r, buf);
    Block::bordered()
        .border_style(theme::border(true))
        .title(title)
        .render(r, buf);
    Rect::new(
        r.x + pad,
        r.y + 1,
        r.width.saturating_sub(2 * pad),
        r.height.saturating_sub(2),
    )
}

/// A line of an overlay: its text and style.
type OLine = (String, Style);

fn overlay(buf: &mut Buffer, area: Rect, title: &str, lines: &[OLine], scroll: usize) {
    let w = lines.iter().map(|(l, _)| l.width()).max().unwrap_or(20) as u16 + 4;
    let r = centered(area, w.max(40), lines.len() as u16 + 2);
    let inner = popup(buf, r, title, 2);
    let scroll = scroll.min(lines.len().saturating_sub(inner.height as usize));
    for (i, (l, st)) in lines
        .iter()
        .skip(scroll)
        .take(inner.height as usize)
        .enumerate()
    {
        put(buf, inner.x, inner.y + i as u16, inner.right(), l, *st);
    }
}

fn help_lines(app: &App) -> Vec<OLine> {
    let mut out = vec![];
    for scope in [
        Scope::Global,
        Scope::List,
        Scope::Text,
        Scope::Edit,
        Scope::Relate,
        Scope::Prompt,
        Scope::Picker,
        Scope::Pager,
        Scope::Confirm,
    ] {
        out.push((
            scope.title().to_string(),
            theme::key().add_modifier(Modifier::UNDERLINED),
        ));
        for b in BINDINGS.iter().filter(|b| b.scope == scope) {
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
    let name_w = app
        .schema
        .labels
        .iter()
        .map(|l| l.name.width())
        .max()
        .unwrap_or(0);
    for l in &app.schema.labels {
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
    if !app.schema.relations.is_empty() {
        out.push((String::new(), Style::new()));
        out.push((
            "Relation types (r, then Enter or the digit)".into(),
            theme::key().add_modifier(Modifier::UNDERLINED),
        ));
        for r in &app.schema.relations {
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
    if !app.schema.documents.is_empty() {
        out.push((String::new(), Style::new()));
        out.push((
            "Document labels (D)".into(),
            theme::key().add_modifier(Modifier::UNDERLINED),
        ));
        for g in &app.schema.documents {
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
            sanitize_line(&app.settings.annotations.display().to_string())
        ),
        theme::dim(),
    ));
    out
}

fn problem_lines(app: &App) -> Vec<OLine> {
    let mut out: Vec<OLine> = vec![];
    if let Some(p) = &app.schema_problem {
        out.push((format!("label schema: {p}"), theme::error()));
    }
    let Some(d) = &app.doc else {
        out.push(("no article open".into(), theme::dim()));
        return out;
    };
    if let Some(r) = &d.session.read_only {
        out.push((format!("read-only: {}", sanitize_line(r)), theme::error()));
    }
    if let SaveState::Failed(e) = &d.session.save {
        out.push((format!("not saved: {}", sanitize_line(e)), theme::error()));
    }
    for n in &d.session.notices {
        out.push((sanitize_line(n), theme::warn()));
    }
    let mut unknown: Vec<&str> = d
        .session
        .store
        .all()
        .iter()
        .map(|a| a.label.as_str())
        .filter(|l| app.schema.get(l).is_none())
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
    if !d.session.store.orphans.is_empty() {
        out.push((
            format!(
                "{} orphaned annotation(s), kept in the sidecar:",
                d.session.store.orphans.len()
            ),
            theme::warn(),
        ));
        for o in &d.session.store.orphans {
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

fn draw_picker(app: &App, frame: &mut Frame) {
    let Mode::Picker(p) = &app.mode else { return };
    let area = frame.area();
    let items = app.picker_items(&p.input.text);
    let h = (items.len() as u16 + 4).min(area.height.saturating_sub(2));
    let r = centered(area, 64, h.max(5));
    let buf = frame.buffer_mut();
    let inner = popup(buf, r, " Label ", 1);
    let x = put(buf, inner.x, inner.y, inner.right(), "› ", theme::key());
    put(buf, x, inner.y, inner.right(), &p.input.text, Style::new());
    let caret = x + p.input.text[..p.input.caret].width() as u16;
    let list_h = inner.height.saturating_sub(2) as usize;
    let name_w = items
        .iter()
        .filter_map(|i| match i {
            PickItem::Label(n) => Some(sanitize_line(n).width()),
            PickItem::Create(_) => None,
        })
        .max()
        .unwrap_or(0);
    let offset = p.selected.saturating_sub(list_h.saturating_sub(1));
    for (i, item) in items.iter().enumerate().skip(offset).take(list_h) {
        let y = inner.y + 2 + (i - offset) as u16;
        let base = if i == p.selected {
            theme::list_selected(true)
        } else {
            Style::new()
        };
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), base);
        match item {
            PickItem::Label(name) => {
                let l = app.schema.get(name).expect("picker lists schema labels");
                let color = theme::label_color(&l.color).unwrap_or(theme::NEUTRAL_LABEL);
                let mut x = put(
                    buf,
                    inner.x + 1,
                    y,
                    inner.right(),
                    "  ",
                    Style::new().bg(color),
                );
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
    if caret < inner.right() {
        frame.set_cursor_position(Position::new(caret, inner.y));
    }
}
