//! Saving one more change to an article with 20,000 annotations: what the
//! I/O thread does (check the file on disk, build the sidecar, write it
//! atomically with fsync), and what the interface thread does (record the
//! change and take a snapshot), which is all that typing waits for.

#[path = "support/data.rs"]
mod data;

use criterion::{Criterion, criterion_group, criterion_main};
use gloss::core::corpus;
use gloss::session::worker::{Io, Request};

fn save(c: &mut Criterion) {
    let dir = data::many();
    let entries = corpus::scan(&dir.join("corpus"));
    let sidecar = corpus::sidecar_path(&dir.join("annotations"), &entries[0].rel).unwrap();
    let mut io = Io::default();
    let opened = io.perform(Request::Open {
        idx: 0,
        entry: entries[0].clone(),
        sidecar: Some(sidecar.clone()),
        root: dir.join("annotations"),
    });
    let gloss::session::worker::Reply::Opened { opened, .. } = opened.into_iter().next().unwrap()
    else {
        panic!("not opened")
    };
    let text = std::sync::Arc::new(opened.text);
    let mut store = opened.store;
    assert_eq!(store.len(), 20_000);
    let mut g = c.benchmark_group("save");
    g.sample_size(20);
    g.bench_function("gloss/io-thread-20000", |b| {
        // One change per save (a note on the first annotation, each time
        // another): a save of what is on disk already writes nothing.
        let first = store.all()[0].as_ref().clone();
        let mut n = 0u64;
        b.iter(|| {
            n += 1;
            let mut a = first.clone();
            a.note = Some(format!("change {n}"));
            store.replace(a);
            let r = io.perform(Request::Save {
                root: dir.join("annotations"),
                path: sidecar.clone(),
                rel: entries[0].rel.clone(),
                text: text.clone(),
                store: Box::new(store.snapshot()),
                generation: 1,
                adopted: None,
            });
            assert!(matches!(r[0], gloss::session::worker::Reply::Saved { .. }));
        })
    });
    g.bench_function("gloss/ui-thread-20000", |b| {
        let first = store.all()[0].as_ref().clone();
        b.iter(|| {
            let mut a = first.clone();
            a.note = Some("changed".into());
            store.replace(a);
            std::hint::black_box(store.snapshot());
        })
    });
    g.finish();
}

criterion_group!(benches, save);
criterion_main!(benches);
