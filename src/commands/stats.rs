//! `gloss stats [CORPUS]`: the corpus at a glance, as a table or `--json`;
//! `--inconsistent` lists, one per line as `path:line:column: …`, each
//! place where the same text is tagged with another label than elsewhere,
//! and each place where text tagged elsewhere is left untagged.

use std::io::{self, Write};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::core::article::read_text;
use crate::core::consistency::{self, Article, Finding, Kind};
use crate::core::corpus::{self, Entry};
use crate::core::display::{json_inert, sanitize_line};
use crate::core::sidecar::SidecarFile;
use crate::core::stats;

use super::export::Usage;

#[derive(Debug, Clone)]
pub struct StatsOptions {
    pub corpus: PathBuf,
    pub annotations: PathBuf,
    pub json: bool,
    pub inconsistent: bool,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: usize,
    /// Sidecars or articles that could not be read, with why.
    pub problems: Vec<String>,
}

fn sidecar_of(opts: &StatsOptions, e: &Entry) -> Result<Option<SidecarFile>, String> {
    let Some(path) = corpus::sidecar_path(&opts.annotations, &e.rel) else {
        return Ok(None);
    };
    SidecarFile::read(&path).map_err(|p| p.to_string())
}

/// Every inconsistency in the corpus, in the corpus's order.
pub fn inconsistencies(opts: &StatsOptions, entries: &[Entry]) -> (Vec<Finding>, Vec<String>) {
    // Read every article and its sidecar, fitted as the reader fits it.
    let loaded: Vec<Result<(crate::core::text::Text, crate::core::annotation::Store), String>> =
        entries
            .par_iter()
            .map(|e| {
                let (text, problem, _) = read_text(&e.path);
                if let Some(p) = problem {
                    return Err(format!("{}: {p}", e.rel));
                }
                let store = match sidecar_of(opts, e)? {
                    Some(f) => f.fit(&text).map_err(|p| p.to_string())?.store,
                    None => Default::default(),
                };
                Ok((text, store))
            })
            .collect();
    let mut problems = vec![];
    let arts: Vec<Article> = entries
        .iter()
        .zip(&loaded)
        .filter_map(|(e, r)| match r {
            Ok((text, store)) => Some(Article {
                rel: &e.rel,
                text,
                store,
            }),
            Err(why) => {
                problems.push(why.clone());
                None
            }
        })
        .collect();
    let tagged = consistency::tags(&arts);
    let matcher = consistency::matcher(&tagged);
    let found: Vec<Vec<Finding>> = arts
        .par_iter()
        .map(|a| consistency::findings(a, &tagged, &matcher))
        .collect();
    (found.into_iter().flatten().collect(), problems)
}

/// `“Washington” tagged PERSON here; GPE 3× elsewhere`.
pub fn describe(f: &Finding) -> String {
    let elsewhere: Vec<String> = f
        .tagged
        .iter()
        .map(|(l, n)| {
            let n = if f.label.as_deref() == Some(l) {
                n - 1
            } else {
                *n
            };
            (l, n)
        })
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| format!("{} {n}×", sanitize_line(l)))
        .collect();
    let quote = sanitize_line(&f.quote);
    match (&f.kind, &f.label) {
        (Kind::Mixed, Some(l)) => format!(
            "“{quote}” tagged {} here; {} elsewhere",
            sanitize_line(l),
            elsewhere.join(", ")
        ),
        _ => format!(
            "“{quote}” untagged here; tagged {} elsewhere",
            elsewhere.join(", ")
        ),
    }
}

pub fn run(opts: &StatsOptions, out: &mut dyn Write) -> Result<Outcome, Usage> {
    if !opts.corpus.is_dir() {
        return Err(Usage(format!(
            "{}: not a folder of articles",
            opts.corpus.display()
        )));
    }
    let entries = corpus::scan(&opts.corpus);
    let mut o = Outcome::default();
    let written: io::Result<()> = (|| {
        if opts.inconsistent {
            let (found, problems) = inconsistencies(opts, &entries);
            o.problems = problems;
            o.findings = found.len();
            for f in &found {
                if opts.json {
                    let line = serde_json::to_string(f).unwrap_or_default();
                    writeln!(out, "{}", json_inert(line))?;
                } else {
                    let path = opts.corpus.join(&f.article);
                    writeln!(
                        out,
                        "{}:{}:{}: {}",
                        sanitize_line(&path.display().to_string()),
                        f.line,
                        f.column,
                        describe(f)
                    )?;
                }
            }
        } else {
            let (stats, problems) = stats::gather(&entries, &opts.annotations);
            o.problems = problems;
            if opts.json {
                let text = serde_json::to_string_pretty(&stats).unwrap_or_default();
                writeln!(out, "{}", json_inert(text))?;
            } else {
                for line in stats::lines(&stats) {
                    writeln!(out, "{line}")?;
                }
            }
        }
        out.flush()
    })();
    match written {
        Ok(()) => Ok(o),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(o),
        Err(e) => Err(Usage(format!("cannot write: {e}"))),
    }
}
