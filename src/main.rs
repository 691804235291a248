use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use gloss::cli::{CheckArgs, Cli, Command, ExportArgs, ImportArgs};
use gloss::commands::{check, export, import};
use gloss::core::corpus;
use gloss::core::labels::Schema;
use gloss::tui::{self, app::Settings};

fn usage(msg: &str) -> ExitCode {
    eprintln!("gloss: {msg}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Export(a)) => run_export(&cli, a),
        Some(Command::Import(a)) => run_import(&cli, a),
        Some(Command::Check(a)) => run_check(&cli, a),
        None => run_reader(cli),
    }
}

fn run_export(cli: &Cli, a: &ExportArgs) -> ExitCode {
    let opts = export::ExportOptions {
        format: a.format,
        corpus: a.corpus.clone(),
        annotations: cli.annotations.clone(),
        labels: cli.labels_path(),
        out: a.out.clone(),
        only: a.only.clone(),
        include_empty: a.include_empty,
    };
    let out = match export::run(&opts, Box::new(std::io::stdout())) {
        Ok(o) => o,
        Err(e) => return usage(&e.0),
    };
    for w in &out.warnings {
        eprintln!("gloss: {w}");
    }
    for p in &out.problems {
        eprintln!("gloss: {p}");
    }
    eprintln!(
        "gloss: exported {} annotation(s) from {} article(s) as {}{}",
        out.annotations,
        out.articles,
        a.format.name(),
        if out.problems.is_empty() {
            String::new()
        } else {
            format!("; {} article(s) left out", out.problems.len())
        }
    );
    if out.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn run_check(cli: &Cli, a: &CheckArgs) -> ExitCode {
    let opts = check::CheckOptions {
        corpus: a.corpus.clone(),
        annotations: cli.annotations.clone(),
        labels: cli.labels_path(),
    };
    let report = match check::run(&opts) {
        Ok(r) => r,
        Err(e) => return usage(&e),
    };
    for p in &report.problems {
        println!("{p}");
    }
    for n in &report.notes {
        println!("note: {n}");
    }
    eprintln!(
        "gloss: {} article(s), {} sidecar(s) sound, {} problem(s), {} note(s)",
        report.articles,
        report.sound,
        report.problems.len(),
        report.notes.len()
    );
    if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn run_import(cli: &Cli, a: &ImportArgs) -> ExitCode {
    let opts = import::ImportOptions {
        format: a.format,
        input: a.input.clone(),
        corpus: a.corpus.clone(),
        annotations: cli.annotations.clone(),
        labels: cli.labels_path(),
        mode: a.mode,
        dry_run: a.dry_run,
    };
    let out = match import::run(&opts) {
        Ok(o) => o,
        Err(e) => return usage(&e.0),
    };
    for c in &out.changes {
        println!("{c}");
    }
    for r in &out.refused {
        eprintln!("gloss: refused: {r}");
    }
    for w in &out.warnings {
        eprintln!("gloss: {w}");
    }
    eprintln!(
        "gloss: {} {} annotation(s) into {} article(s){}",
        if a.dry_run {
            "would import"
        } else {
            "imported"
        },
        out.added,
        out.articles,
        if out.refused.is_empty() {
            String::new()
        } else {
            format!("; {} refused", out.refused.len())
        }
    );
    if out.refused.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn run_reader(cli: Cli) -> ExitCode {
    let corpus_dir = cli.open.corpus.clone();
    if !corpus_dir.is_dir() {
        return usage(&format!(
            "corpus folder {} does not exist; give a folder of .txt or .md articles",
            corpus_dir.display()
        ));
    }
    if cli.annotations.exists() && !cli.annotations.is_dir() {
        return usage(&format!(
            "--annotations {} is not a folder",
            cli.annotations.display()
        ));
    }
    let labels = cli.labels_path();
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
        return usage("the reader needs a terminal (standard input and output are not one)");
    }
    let entries = corpus::scan(&corpus_dir);
    let settings = Settings {
        corpus: corpus_dir,
        annotations: cli.annotations,
        labels,
        annotator: cli.open.annotator,
    };
    match tui::run(settings, schema, on_disk, problem, entries) {
        Ok(tui::Ending::Quit) => ExitCode::SUCCESS,
        Ok(tui::Ending::Signal(sig)) => {
            let name = match sig {
                1 => "SIGHUP",
                2 => "SIGINT",
                3 => "SIGQUIT",
                15 => "SIGTERM",
                _ => "a signal",
            };
            // Standard error may be gone with the terminal (SIGHUP).
            let _ = writeln!(
                std::io::stderr(),
                "gloss: ended by {name}; pending saves were finished first"
            );
            // As shells report a death by signal, without dying by it.
            ExitCode::from(128 + sig as u8)
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "gloss: {e:#}");
            ExitCode::FAILURE
        }
    }
}
