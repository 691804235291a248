//! Filtering the list of a 100,000-article corpus: the first keystroke
//! (every title scored) and typing a two-word query one key at a time.

#[path = "support/data.rs"]
mod data;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gloss::core::corpus;
use gloss::core::filter::{ListFilter, haystack};

fn list(c: &mut Criterion) {
    let dir = data::corpus(100_000);
    let entries = corpus::scan(&dir.join("corpus"));
    let hay: Vec<_> = entries
        .iter()
        .map(|e| haystack(&corpus::read_title(e), &e.rel))
        .collect();
    let mut g = c.benchmark_group("filter");
    g.sample_size(20);
    g.bench_function("gloss/first-key", |b| {
        b.iter(|| ListFilter::default().apply(black_box("t"), &hay))
    });
    let query = "border india";
    g.bench_function("gloss/per-key-typing-border-india", |b| {
        b.iter_custom(|iters| {
            let mut total = std::time::Duration::ZERO;
            for _ in 0..iters {
                let mut f = ListFilter::default();
                let t = std::time::Instant::now();
                for n in 1..=query.len() {
                    black_box(f.apply(&query[..n], &hay));
                }
                total += t.elapsed() / query.len() as u32;
            }
            total
        })
    });
    g.finish();
}

criterion_group!(benches, list);
criterion_main!(benches);
