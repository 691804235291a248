use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use gloss::cli::Cli;
use gloss::core::corpus;
use gloss::core::labels::Schema;
use gloss::tui::{self, app::Settings};

fn fail(msg: &str) -> ExitCode {
    eprintln!("gloss: {msg}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !cli.corpus.is_dir() {
        return fail(&format!(
            "corpus folder {} does not exist; give a folder of .txt or .md articles",
            cli.corpus.display()
        ));
    }
    if cli.annotations.exists() && !cli.annotations.is_dir() {
        return fail(&format!(
            "--annotations {} is not a folder",
            cli.annotations.display()
        ));
    }
    let labels = cli
        .labels
        .clone()
        .unwrap_or_else(|| cli.annotations.join("labels.toml"));
    let (schema, on_disk, problem) = match std::fs::read_to_string(&labels) {
        Ok(src) => match Schema::parse(&src) {
            Ok(s) => (s, true, None),
            Err(e) => (
                Schema::default_schema(),
                true,
                Some(format!(
                    "{}:{}: {}; using the built-in labels until it is fixed",
                    labels.display(),
                    e.line,
                    e.message
                )),
            ),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            (Schema::default_schema(), false, None)
        }
        Err(e) => (
            Schema::default_schema(),
            true,
            Some(format!(
                "{}: {e}; using the built-in labels",
                labels.display()
            )),
        ),
    };
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return fail("the reader needs a terminal (standard input and output are not one)");
    }
    let entries = corpus::scan(&cli.corpus);
    let settings = Settings {
        corpus: cli.corpus,
        annotations: cli.annotations,
        labels,
        annotator: cli.annotator,
    };
    match tui::run(settings, schema, on_disk, problem, entries) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gloss: {e:#}");
            ExitCode::FAILURE
        }
    }
}
