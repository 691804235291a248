//! Deterministic benchmark data, generated into target/bench-data on first
//! use and never committed: a 50 MB article, a 5 MB article that is one
//! line, a 100,000-article corpus in nested folders (10% annotated), and an
//! article with 20,000 annotations.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use gloss::core::annotation::{Annotation, Store};
use gloss::core::offset::BytePos;
use gloss::core::sidecar;
use gloss::core::text::Text;
use unicode_segmentation::UnicodeSegmentation;

/// The words generated text is made of: news words in several scripts.
pub const WORDS: &[&str] = &[
    "the",
    "talks",
    "between",
    "India",
    "and",
    "China",
    "on",
    "border",
    "security",
    "minister",
    "said",
    "Tuesday",
    "agreement",
    "satellite",
    "intelligence",
    "Delhi",
    "Beijing",
    "troops",
    "Ladakh",
    "naval",
    "exercise",
    "café",
    "naïve",
    "東京",
    "会談",
    "नमस्ते",
    "meeting",
    "Pompeo",
];
pub const LABELS: &[&str] = &["PERSON", "ORG", "GPE", "LOC", "EVENT", "DATE"];
pub const BIG_END: &str = "THE VERY END OF THE BIG ARTICLE";
pub const LINE_END: &str = "FINAL WORDS OF THE LINE";

/// A small deterministic generator (64-bit LCG).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }

    pub fn words(&mut self, n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(WORDS[self.next(WORDS.len())]);
        }
        s
    }
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data")
}

/// Runs `make` into `dir` unless a previous run completed it.
fn once(dir: &Path, make: impl FnOnce(&Path)) -> PathBuf {
    let stamp = dir.join(".complete");
    if !stamp.exists() {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        make(dir);
        std::fs::write(stamp, "").unwrap();
    }
    dir.to_path_buf()
}

/// `big/corpus/big.txt`: 50 MB of paragraphs, ending with `BIG_END`.
pub fn big() -> PathBuf {
    once(&root().join("big"), |d| {
        let mut rng = Lcg(50);
        let mut s = String::with_capacity(51 << 20);
        while s.len() < 50_000_000 {
            let n = 40 + rng.next(80);
            s.push_str(&rng.words(n));
            s.push_str(".\n\n");
        }
        s.push_str(BIG_END);
        s.push('\n');
        std::fs::create_dir_all(d.join("corpus")).unwrap();
        std::fs::create_dir_all(d.join("annotations")).unwrap();
        std::fs::write(d.join("corpus/big.txt"), s).unwrap();
    })
}

/// `line/corpus/line.txt`: 5 MB on one line, no newline, ending `LINE_END`.
pub fn line() -> PathBuf {
    once(&root().join("line"), |d| {
        let mut rng = Lcg(5);
        let mut s = String::with_capacity(5 << 20);
        while s.len() < 5_000_000 {
            s.push_str(WORDS[rng.next(WORDS.len())]);
            s.push(' ');
        }
        s.push_str(LINE_END);
        std::fs::create_dir_all(d.join("corpus")).unwrap();
        std::fs::create_dir_all(d.join("annotations")).unwrap();
        std::fs::write(d.join("corpus/line.txt"), s).unwrap();
    })
}

/// `corpus/corpus`: `n` articles of about 3 KB in nested folders, every
/// tenth annotated (20 annotations) in `corpus/annotations`.
pub fn corpus(n: usize) -> PathBuf {
    once(&root().join(format!("corpus-{n}")), |d| {
        let mut rng = Lcg(100);
        for i in 0..n {
            let rel = format!("{:02}/{:02}/article-{i:06}.txt", i % 50, (i / 50) % 40);
            let n = 6 + rng.next(6);
            let title = rng.words(n);
            let mut text = format!("{title}\n\n");
            while text.len() < 3000 {
                let k = 30 + rng.next(40);
                text.push_str(&rng.words(k));
                text.push_str(".\n\n");
            }
            let path = d.join("corpus").join(&rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
            if i % 10 == 0 {
                let t = Text::new(text);
                let store = Store::new(spans(&t, 20, &mut rng, i), vec![]);
                let sc = d.join("annotations").join(format!("{rel}.toml"));
                std::fs::create_dir_all(sc.parent().unwrap()).unwrap();
                std::fs::write(sc, sidecar::write(&sidecar::from_store(&rel, &t, &store))).unwrap();
            }
        }
        std::fs::create_dir_all(d.join("annotations")).unwrap();
    })
}

/// `n` annotations on word boundaries of `t`.
pub fn spans(t: &Text, n: usize, rng: &mut Lcg, salt: usize) -> Vec<Annotation> {
    let words: Vec<(usize, usize)> = {
        let s = t.as_str();
        let mut v = vec![];
        let mut start = None;
        for (i, c) in s.char_indices() {
            if c.is_alphanumeric() {
                start.get_or_insert(i);
            } else if let Some(st) = start.take() {
                v.push((st, i));
            }
        }
        v
    };
    (0..n)
        .map(|k| {
            let a = rng.next(words.len().saturating_sub(3).max(1));
            let (s, _) = words[a];
            let (_, e) = words[(a + rng.next(3)).min(words.len() - 1)];
            Annotation {
                review: None,
                id: format!("{salt:06x}{k:04x}"),
                start: BytePos(s),
                end: BytePos(e),
                label: LABELS[rng.next(LABELS.len())].into(),
                note: (k % 7 == 0).then(|| format!("note {k}")),
                annotator: None,
                created: "2026-11-23T10:00:00Z".into(),
                ..Default::default()
            }
        })
        .collect()
}

/// `many/corpus/many.txt` with 20,000 annotations in its sidecar.
pub fn many() -> PathBuf {
    once(&root().join("many"), |d| {
        let mut rng = Lcg(20);
        let mut text = String::new();
        let mut count = 0;
        while count < 110_000 {
            let k = 30 + rng.next(40);
            count += k;
            text.push_str(&rng.words(k));
            text.push_str(".\n\n");
        }
        let t = Text::new(text.clone());
        // Every fifth word, one to three words long: 20,000 distinct spans,
        // some overlapping.
        let words: Vec<(usize, usize)> = t
            .as_str()
            .split_word_bound_indices()
            .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
            .map(|(i, w)| (i, i + w.len()))
            .collect();
        let anns = (0..20_000)
            .map(|k| {
                let a = k * 5;
                Annotation {
                    review: None,
                    id: format!("{k:08x}"),
                    start: BytePos(words[a].0),
                    end: BytePos(words[a + rng.next(3)].1),
                    label: LABELS[k % LABELS.len()].into(),
                    note: (k % 7 == 0).then(|| format!("note {k}")),
                    annotator: None,
                    created: "2026-11-23T10:00:00Z".into(),
                    ..Default::default()
                }
            })
            .collect();
        let store = Store::new(anns, vec![]);
        std::fs::create_dir_all(d.join("corpus")).unwrap();
        std::fs::create_dir_all(d.join("annotations")).unwrap();
        std::fs::write(d.join("corpus/many.txt"), &text).unwrap();
        std::fs::write(
            d.join("annotations/many.txt.toml"),
            sidecar::write(&sidecar::from_store("many.txt", &t, &store)),
        )
        .unwrap();
    })
}
