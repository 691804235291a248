//! A frame at the start, middle and end of a 50 MB article: gloss lays out
//! only the visible rows (from a cold layout cache every time here), beside
//! the naive approach, ratatui's `Paragraph` with wrap over the whole text
//! scrolled to the same row (it cannot scroll past row 65,535, so the middle
//! and the end are measured at that row). Also a frame of an article with
//! 20,000 annotations.

#[path = "support/data.rs"]
mod data;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gloss::core::article;
use gloss::core::corpus;
use gloss::core::labels::Schema;
use gloss::core::layout::Layout;
use gloss::tui::app::{App, Settings};
use gloss::tui::panes::text_size;
use gloss::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::{Paragraph, Wrap};

const W: u16 = 160;
const H: u16 = 50;

fn app_on(dir: &std::path::Path) -> App {
    let settings = Settings {
        corpus: dir.join("corpus"),
        annotations: dir.join("annotations"),
        labels: dir.join("annotations/labels.toml"),
        annotator: None,
        open: None,
        schema_commands: false,
    };
    let entries = corpus::scan(&settings.corpus);
    let sidecar = corpus::sidecar_path(&settings.annotations, &entries[0].rel);
    let opened = article::open(&entries[0], sidecar.as_deref(), &settings.annotations);
    let mut app = App::new(
        settings,
        Schema::default_schema(),
        true,
        None,
        entries,
        (W, H),
    );
    app.install(0, opened);
    app
}

fn frames(c: &mut Criterion) {
    let mut app = app_on(&data::big());
    let mut term = Terminal::new(TestBackend::new(W, H)).unwrap();
    let (tw, _) = text_size(W, H, Default::default());
    let len = app.doc.as_ref().unwrap().session.text.len();
    let mut g = c.benchmark_group("frame");
    g.sample_size(20);
    for (name, at) in [("start", 0), ("middle", len / 2), ("end", len - 1)] {
        g.bench_function(format!("gloss/{name}"), |b| {
            b.iter(|| {
                let d = app.doc.as_mut().unwrap();
                d.layout = Layout::new(tw);
                d.cursor = d.session.text.floor_boundary(at);
                let p = d.layout.row_pos(&d.session.text, d.cursor);
                d.top = d.layout.row_start(&d.session.text, p);
                term.draw(|f| view::draw(black_box(&app), f)).unwrap();
            })
        });
    }
    // The naive way: the whole text in a Paragraph, scrolled.
    let text = app.doc.as_ref().unwrap().session.text.as_str().to_string();
    g.sample_size(10);
    for (name, row) in [("start", 0u16), ("middle", u16::MAX), ("end", u16::MAX)] {
        g.bench_function(format!("paragraph/{name}"), |b| {
            b.iter(|| {
                term.draw(|f| {
                    let p = Paragraph::new(text.as_str())
                        .wrap(Wrap { trim: false })
                        .scroll((row, 0));
                    f.render_widget(p, f.area());
                })
                .unwrap();
            })
        });
    }
    g.finish();

    let mut app = app_on(&data::many());
    let mut g = c.benchmark_group("annotations");
    g.bench_function("gloss/frame-20000", |b| {
        b.iter(|| {
            let d = app.doc.as_mut().unwrap();
            d.layout = Layout::new(tw);
            term.draw(|f| view::draw(black_box(&app), f)).unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
