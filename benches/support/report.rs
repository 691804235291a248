//! What every whole-program benchmark prints: medians, and the
//! `ROW|figure|gloss|baseline|ratio` lines scripts/bench.sh reads.

#![allow(dead_code)]

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

pub fn row(figure: &str, gloss: String, baseline: String, ratio: String) {
    println!("ROW|{figure}|{gloss}|{baseline}|{ratio}");
}

pub fn gloss_bin() -> &'static str {
    env!("CARGO_BIN_EXE_gloss")
}
