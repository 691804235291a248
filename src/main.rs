use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser as _;

use gloss::cli::{
    CheckArgs, Cli, Command, ExportArgs, GrepArgs, ImportArgs, StatsArgs, SuggestArgs,
};
use gloss::commands::{check, export, import};
use gloss::core::display::sanitize_line;
use gloss::core::labels::SchemaFile;
use gloss::core::workspace::Workspace;
use gloss::tui::{self, app::Settings};

/// A message for the user on standard error, made inert: names and labels
/// from the files read can hold escape sequences, and a terminal (or a log
/// read later with `cat`) would act on them. Not `eprintln!`, which panics
/// when standard error is gone.
fn say(msg: &str) {
    let _ = writeln!(std::io::stderr(), "gloss: {}", sanitize_line(msg));
}

/// A line of a report on standard output, made inert the same way.
fn report(line: &str) {
    let _ = writeln!(std::io::stdout(), "{}", sanitize_line(line));
}

fn usage(msg: &str) -> ExitCode {
    say(msg);
    ExitCode::from(2)
}

fn main() -> ExitCode {
    // A file-size limit (`ulimit -f`) would otherwise kill gloss with
    // SIGXFSZ in the middle of a save; ignored, the write fails with EFBIG
    // and is handled like a full disk.
    // SAFETY: setting a signal's disposition to ignore, before any thread.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // clap's messages quote what was typed: inert too.
            let text = e.render().to_string();
            let to_stdout = !e.use_stderr();
            for line in text.lines() {
                let line = sanitize_line(line);
                if to_stdout {
                    let _ = writeln!(std::io::stdout(), "{line}");
                } else {
                    let _ = writeln!(std::io::stderr(), "{line}");
                }
            }
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    if let Some(label) = &cli.encoding
        && let Err(why) = gloss::core::decode::declare(label)
    {
        return usage(&why);
    }
    match &cli.command {
        Some(Command::Export(a)) => run_export(&cli, a),
        Some(Command::Import(a)) => run_import(&cli, a),
        Some(Command::Check(a)) => run_check(&cli, a),
        Some(Command::Suggest(a)) => run_suggest(&cli, a),
        Some(Command::Grep(a)) => run_grep(&cli, a),
        Some(Command::Stats(a)) => run_stats(&cli, a),
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
        newline: a.newline,
        tokenizer: a.tokenizer,
        python: a.python.clone(),
        lang: a.lang.clone(),
        offsets: a.offsets,
    };
    let out = match export::run(&opts, Box::new(std::io::stdout())) {
        Ok(o) => o,
        Err(e) => return usage(&e.0),
    };
    for w in &out.warnings {
        say(w);
    }
    for p in &out.problems {
        say(p);
    }
    say(&format!(
        "exported {} annotation(s){} from {} article(s) as {}{}",
        out.annotations - out.dropped,
        if out.dropped > 0 {
            format!(
                " of {} ({} dropped, said above)",
                out.annotations, out.dropped
            )
        } else {
            String::new()
        },
        out.articles,
        a.format.name(),
        if out.problems.is_empty() {
            String::new()
        } else {
            format!("; {} article(s) left out", out.problems.len())
        }
    ));
    if out.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn run_stats(cli: &Cli, a: &StatsArgs) -> ExitCode {
    use gloss::commands::stats::{self, StatsOptions};
    let opts = StatsOptions {
        corpus: a.corpus.clone(),
        annotations: cli.annotations.clone(),
        json: a.json,
        inconsistent: a.inconsistent,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let o = match stats::run(&opts, &mut out) {
        Ok(o) => o,
        Err(e) => return usage(&e.0),
    };
    drop(out);
    for p in &o.problems {
        say(p);
    }
    if a.inconsistent {
        say(&format!("{} place(s) tagged unlike elsewhere", o.findings));
        if o.findings > 0 {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

fn run_grep(cli: &Cli, a: &GrepArgs) -> ExitCode {
    use gloss::commands::grep::{self, GrepOptions};
    let opts = GrepOptions {
        corpus: a.corpus.clone(),
        annotations: cli.annotations.clone(),
        pattern: a.pattern.clone(),
        regex: a.regex,
        ignore_case: match (a.ignore_case, a.case_sensitive) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        json: a.json,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let o = match grep::run(&opts, &mut out) {
        Ok(o) => o,
        Err(e) => return usage(&e.0),
    };
    drop(out);
    for p in &o.problems {
        say(p);
    }
    if o.matches > 0 {
        ExitCode::SUCCESS
    } else if o.problems.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::from(2)
    }
}

fn run_suggest(cli: &Cli, a: &SuggestArgs) -> ExitCode {
    use gloss::commands::suggest::{self, SuggestOptions};
    if !(a.timeout.is_finite() && a.timeout > 0.0) {
        return usage(&format!(
            "--timeout {}: give a number of seconds above 0",
            a.timeout
        ));
    }
    let opts = SuggestOptions {
        corpus: a.corpus.clone(),
        annotations: cli.annotations.clone(),
        labels: cli.labels_path(),
        gazetteers: a.gazetteer.clone(),
        patterns: a.patterns.clone(),
        propagate: a.propagate,
        commands: a.command.clone(),
        timeout: std::time::Duration::from_secs_f64(a.timeout.min(86_400.0)),
        dry_run: a.dry_run,
        schema_commands: a.schema_commands,
    };
    let out = match suggest::run(&opts) {
        Ok(o) => o,
        Err(e) => return usage(&e.0),
    };
    for w in &out.warnings {
        say(w);
    }
    for p in &out.problems {
        say(p);
    }
    let mut failed = !out.problems.is_empty();
    for r in &out.sources {
        let y = &r.got;
        let mut left = vec![];
        for (n, what) in [
            (y.annotated, "annotated already"),
            (y.suggested, "suggested already"),
            (y.rejected, "rejected before"),
            (y.invalid, "not on whole characters"),
        ] {
            if n > 0 {
                left.push(format!("{n} {what}"));
            }
        }
        report(&format!(
            "{} ({}): {} {} suggestion(s) in {} article(s){}",
            r.name,
            r.kind,
            if a.dry_run { "would add" } else { "added" },
            y.added,
            r.articles,
            if left.is_empty() {
                String::new()
            } else {
                format!("; left out {}", left.join(", "))
            }
        ));
        if !r.refused.is_empty() {
            say(&format!("{}: answers left out: {}", r.name, r.refused));
        }
        if r.failed > 0 {
            failed = true;
            say(&format!("{}: failed on {} article(s):", r.name, r.failed));
            for f in &r.failures {
                say(&format!("  {f}"));
            }
        }
        if let Some(why) = &r.stopped {
            say(&format!("{}: stopped: {why}", r.name));
        }
    }
    say(&format!(
        "{} {} sidecar(s) of {} article(s)",
        if a.dry_run { "would write" } else { "wrote" },
        out.written,
        out.articles
    ));
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
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
        self::report(p);
    }
    for n in &report.notes {
        self::report(&format!("note: {n}"));
    }
    say(&format!(
        "{} article(s), {} sidecar(s) sound, {} problem(s), {} note(s)",
        report.articles,
        report.sound,
        report.problems.len(),
        report.notes.len()
    ));
    if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `gloss import`'s exit codes: what happened, for scripts.
mod import_exit {
    /// Every record imported.
    pub const DONE: u8 = 0;
    /// Imported, but some records were skipped or not kept (listed).
    pub const SKIPPED: u8 = 1;
    /// A usage error: a flag, the corpus, the input file's path.
    pub const USAGE: u8 = 2;
    /// The input was refused (not the format, or `--strict`): nothing written.
    pub const REFUSED: u8 = 3;
    /// Writing failed: nothing written, every sidecar as it was.
    pub const IO: u8 = 4;
}

fn run_import(cli: &Cli, a: &ImportArgs) -> ExitCode {
    use gloss::commands::import::{Failure, Outcome};
    let opts = import::ImportOptions {
        format: a.format,
        input: a.input.clone(),
        corpus: a.corpus.clone(),
        annotations: cli.annotations.clone(),
        labels: cli.labels_path(),
        mode: a.mode,
        dry_run: a.dry_run,
        strict: a.strict,
        offsets: a.offsets,
        read: gloss::formats::ReadOptions { answers: a.answers },
        article: a.article.clone(),
    };
    let out = match import::run(&opts) {
        Ok(o) => o,
        Err(e) => {
            say(&e.0);
            return ExitCode::from(import_exit::USAGE);
        }
    };
    for c in &out.changes {
        report(c);
    }
    for s in &out.skipped {
        say(&format!("skipped: {s}"));
    }
    for s in &out.unheld {
        say(&format!("not kept: {s}"));
    }
    for w in &out.warnings {
        say(w);
    }
    if let Some(f) = &out.failure {
        let (why, code) = match f {
            Failure::Refused(why) => (why, import_exit::REFUSED),
            Failure::Io(why) => (why, import_exit::IO),
        };
        say(why);
        return ExitCode::from(code);
    }
    let mut line = format!(
        "{} {} annotation(s){} into {} article(s)",
        if a.dry_run {
            "would import"
        } else {
            "imported"
        },
        out.added,
        if out.records > 0 {
            format!(" and {} relation(s) and document label(s)", out.records)
        } else {
            String::new()
        },
        out.articles,
    );
    if !out.skipped.is_empty() {
        line.push_str(&format!(
            "; skipped {}: {}",
            out.skipped.len(),
            Outcome::tally(&out.skipped)
        ));
    }
    if !out.unheld.is_empty() {
        line.push_str(&format!(
            "; not kept (gloss has no place for them) {}: {}",
            out.unheld.len(),
            Outcome::tally(&out.unheld)
        ));
    }
    say(&line);
    if out.skipped.is_empty() && out.unheld.is_empty() {
        ExitCode::from(import_exit::DONE)
    } else {
        ExitCode::from(import_exit::SKIPPED)
    }
}

fn run_reader(cli: Cli) -> ExitCode {
    let ws =
        match Workspace::open_for_reading(&cli.open.corpus, &cli.annotations, &cli.labels_path()) {
            Ok(ws) => ws,
            Err(e) => return usage(&e.to_string()),
        };
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return usage("the reader needs a terminal (standard input and output are not one)");
    }
    let problem = ws.schema_problem();
    let Workspace {
        corpus: corpus_dir,
        labels,
        schema_file: SchemaFile {
            schema, on_disk, ..
        },
        entries,
        chosen,
        ..
    } = ws;
    let settings = Settings {
        corpus: corpus_dir,
        annotations: cli.annotations,
        labels,
        annotator: cli.open.annotator,
        open: chosen,
        schema_commands: cli.open.schema_commands,
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
            say(&format!(
                "ended by {name}; pending saves were finished first"
            ));
            // As shells report a death by signal, without dying by it.
            ExitCode::from(128 + sig as u8)
        }
        Err(e) => {
            say(&format!("{e:#}"));
            ExitCode::FAILURE
        }
    }
}
