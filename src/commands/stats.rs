//! `gloss stats [CORPUS]`: the corpus at a glance, as a table or `--json`;
//! `--inconsistent` lists, one per line as `path:line:column: …`, each
//! place where the same text is tagged with another label than elsewhere,
//! and each place where text tagged elsewhere is left untagged.

use std::io::{self, Write};
use std::path::PathBuf;

use crate::core::consistency;
use crate::core::corpus;
use crate::core::display::{json_inert, sanitize_line};
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
            // Printed as found, a chunk of articles at a time: a corpus can
            // hold millions of findings, never all kept.
            let mut failed = None;
            o.problems = consistency::check_each(&entries, &opts.annotations, &mut |found| {
                o.findings += found.len();
                let wrote = found.iter().try_for_each(|(_, f)| {
                    if opts.json {
                        let line = serde_json::to_string(f).unwrap_or_default();
                        writeln!(out, "{}", json_inert(line))
                    } else {
                        let path = opts.corpus.join(&f.article);
                        writeln!(
                            out,
                            "{}:{}:{}: {}",
                            sanitize_line(&path.display().to_string()),
                            f.line,
                            f.column,
                            consistency::describe(f)
                        )
                    }
                });
                match wrote {
                    Ok(()) => true,
                    Err(e) => {
                        failed = Some(e);
                        false
                    }
                }
            });
            if let Some(e) = failed {
                return Err(e);
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
