//! Export speed: `gloss export --format jsonl` over a generated corpus
//! (10,000 articles of about 3 KB, 20 annotations each, nested folders)
//! beside a baseline measured in the same run: the same export as a short
//! Python script over the sidecars with tomllib and json
//! (benches/export_baseline.py), whose output must be byte-identical.
//! Also the peak memory of the export at a tenth of the corpus and at all of
//! it, to show that it stays flat.
//!
//!     cargo bench --bench export              # GLOSS_BENCH_ARTICLES=N to change the size

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use gloss::core::annotation::{Annotation, Store};
use gloss::core::offset::BytePos;
use gloss::core::sidecar;
use gloss::core::text::Text;

#[path = "support/data.rs"]
mod data;
use data::WORDS;
const LABELS: &[&str] = &["PERSON", "ORG", "GPE", "LOC", "EVENT", "DATE"];

/// A small deterministic generator (64-bit LCG), so every run has the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

fn generate(root: &Path, n: usize) {
    let stamp = root.join(".complete");
    if stamp.exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(root);
    let mut rng = Lcg(42);
    for i in 0..n {
        let rel = format!("{:02}/{:02}/article-{i:05}.txt", i % 37, i % 11);
        let mut text = String::new();
        let mut words: Vec<(usize, usize)> = vec![];
        while text.len() < 3000 {
            if rng.next(40) == 0 {
                text.push_str(".\r\n\r\n");
            } else if !text.is_empty() {
                text.push(' ');
            }
            let w = WORDS[rng.next(WORDS.len())];
            words.push((text.len(), text.len() + w.len()));
            text.push_str(w);
        }
        let t = Text::new(text.clone());
        let mut anns = vec![];
        for k in 0..20 {
            let a = rng.next(words.len() - 3);
            let (s, _) = words[a];
            let (_, e) = words[a + rng.next(3)];
            anns.push(Annotation {
                review: None,
                id: format!("{i:05}{k:03}"),
                start: BytePos(s),
                end: BytePos(e),
                label: LABELS[rng.next(LABELS.len())].into(),
                note: (k % 5 == 0).then(|| format!("note {k} on \"{}\"", &text[s..e])),
                annotator: (k % 2 == 0).then(|| "bench".to_string()),
                created: "2026-11-23T10:00:00Z".into(),
                ..Default::default()
            });
        }
        let path = root.join("corpus").join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        let sc = root.join("annotations").join(format!("{rel}.toml"));
        std::fs::create_dir_all(sc.parent().unwrap()).unwrap();
        let store = Store::new(anns, vec![]);
        std::fs::write(sc, sidecar::write(&sidecar::from_store(&rel, &t, &store))).unwrap();
    }
    std::fs::write(stamp, "").unwrap();
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

fn gloss_export(root: &Path, out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args([
            "export",
            "-f",
            "jsonl",
            "corpus",
            "--annotations",
            "annotations",
            "-o",
        ])
        .arg(out)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Peak resident memory of the largest child waited for so far, in MB.
fn children_peak_mb() -> f64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    u.ru_maxrss as f64 / 1024.0
}

fn main() {
    let n: usize = std::env::var("GLOSS_BENCH_ARTICLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    let small = target.join(format!("bench-export-{}", n / 10));
    let big = target.join(format!("bench-export-{n}"));
    eprintln!(
        "generating {n} and {} articles (once; kept in target/)…",
        n / 10
    );
    generate(&small, n / 10);
    generate(&big, n);

    // Memory first, while only gloss has run as a child.
    gloss_export(&small, &small.join("out.jsonl"));
    let mem_small = children_peak_mb();
    gloss_export(&big, &big.join("out.jsonl"));
    let mem_big = children_peak_mb();

    let gloss_s = time(3, || gloss_export(&big, &big.join("gloss.jsonl")));
    let python = std::env::var("GLOSS_BENCH_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/export_baseline.py");
    let py_s = time(3, || {
        let o = Command::new(&python)
            .arg(&script)
            .args(["corpus", "annotations", "python.jsonl"])
            .current_dir(&big)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    });
    let same = std::fs::read(big.join("gloss.jsonl")).unwrap()
        == std::fs::read(big.join("python.jsonl")).unwrap();
    assert!(
        same,
        "the baseline's export differs from gloss's: not the same work"
    );

    println!("export of {n} articles x 20 annotations to JSONL (median of 3 runs)");
    println!("{:<28} {:>12} {:>14}", "", "seconds", "articles/s");
    println!(
        "{:<28} {:>12.3} {:>14.0}",
        "gloss export",
        gloss_s,
        n as f64 / gloss_s
    );
    println!(
        "{:<28} {:>12.3} {:>14.0}",
        "python tomllib+json",
        py_s,
        n as f64 / py_s
    );
    println!(
        "ratio (python / gloss): {:.1}x; outputs byte-identical",
        py_s / gloss_s
    );
    println!(
        "ROW|export {n} articles x 20 annotations to JSONL|{:.0} articles/s|Python tomllib+json: {:.0} articles/s|{:.1}x (target 10x)",
        n as f64 / gloss_s,
        n as f64 / py_s,
        py_s / gloss_s
    );
    println!(
        "ROW|peak memory of that export|{mem_big:.1} MB|{mem_small:.1} MB at {} articles|flat",
        n / 10
    );
    println!(
        "gloss peak memory: {:.1} MB at {} articles, {:.1} MB at {n}",
        mem_small,
        n / 10,
        mem_big
    );
}
