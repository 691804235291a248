//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::commands::import::Mode;
use crate::core::offset::Unit;
use crate::formats::tokens::Tokenizer;
use crate::formats::{Answers, Format, Newline};

#[derive(Debug, Parser)]
#[command(
    name = "gloss",
    version,
    about = "Read a folder of articles in the terminal and annotate passages with labels",
    after_help = "Annotations are saved on every change, one TOML file per article, under the annotations folder.\nPress ? in gloss for every key.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub open: OpenArgs,

    /// Folder for the annotation sidecars (CORPUS/a/b.txt → DIR/a/b.txt.toml)
    #[arg(long, global = true, default_value = "annotations", value_name = "DIR")]
    pub annotations: PathBuf,

    /// The label schema [default: DIR/labels.toml]
    #[arg(long, global = true, value_name = "FILE")]
    pub labels: Option<PathBuf>,

    /// The articles' encoding when they are not UTF-8 and have no byte
    /// order mark (latin1, windows-1252, utf-16le, shift_jis, koi8-r, …);
    /// without it, such files are detected
    #[arg(long, global = true, value_name = "LABEL")]
    pub encoding: Option<String>,
}

impl Cli {
    pub fn labels_path(&self) -> PathBuf {
        self.labels
            .clone()
            .unwrap_or_else(|| self.annotations.join("labels.toml"))
    }
}

#[derive(Debug, Args)]
pub struct OpenArgs {
    /// Folder of articles (.txt and .md files, searched recursively), or one article to open
    #[arg(default_value = "seeds", value_name = "CORPUS")]
    pub corpus: PathBuf,

    /// Name recorded as the annotator of new annotations
    #[arg(long, env = "GLOSS_ANNOTATOR", value_name = "NAME")]
    pub annotator: Option<String>,

    /// Let `=` run the commands the schema's `[[suggest]]` sources name;
    /// without it they are said, not run (a schema may come from anywhere)
    #[arg(long)]
    pub schema_commands: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the corpus's annotations in a format other tools read
    Export(ExportArgs),
    /// Read annotations made elsewhere into the sidecars
    Import(ImportArgs),
    /// Check the label schema and every sidecar against its article; list
    /// the problems one a line (exit code 1 when there are any)
    Check(CheckArgs),
    /// Run suggestion sources (a gazetteer, patterns, the corpus's own
    /// annotations, a command) and write what they propose into the
    /// sidecars as suggestions, to accept or reject in the app
    Suggest(SuggestArgs),
    /// Search every article: one line per match, `path:line:column: text`
    /// (the column in characters), or JSON; exit code 1 when nothing matched
    Grep(GrepArgs),
    /// The corpus at a glance: articles by status, annotations per label
    /// and per article, relations, frequent passages, suggestion sources;
    /// or (--inconsistent) the places tagged unlike elsewhere
    Stats(StatsArgs),
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Folder of articles
    #[arg(default_value = "seeds", value_name = "CORPUS")]
    pub corpus: PathBuf,

    /// As JSON
    #[arg(long)]
    pub json: bool,

    /// List each place where text is tagged with another label than
    /// elsewhere, or left untagged where it is tagged elsewhere, as
    /// `path:line:column: …` (exit code 1 when there is any)
    #[arg(long)]
    pub inconsistent: bool,
}

#[derive(Debug, Args)]
pub struct GrepArgs {
    /// What to look for: text as it is, or with --regex a regular
    /// expression; case is ignored unless it has a capital letter
    #[arg(value_name = "PATTERN")]
    pub pattern: String,

    /// Folder of articles
    #[arg(default_value = "seeds", value_name = "CORPUS")]
    pub corpus: PathBuf,

    /// PATTERN is a regular expression (Rust's syntax, as ripgrep's)
    #[arg(long, short = 'e')]
    pub regex: bool,

    /// Ignore case, whatever PATTERN holds
    #[arg(long, short = 'i', conflicts_with = "case_sensitive")]
    pub ignore_case: bool,

    /// Match case, whatever PATTERN holds
    #[arg(long, short = 's')]
    pub case_sensitive: bool,

    /// One JSON object per match: article, line, column, code point
    /// offsets (start, end), the text, its line, and the labels already
    /// on it
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// Folder of articles
    #[arg(default_value = "seeds", value_name = "CORPUS")]
    pub corpus: PathBuf,

    /// A gazetteer: one `text<TAB>label` per line, as INCEpTION reads
    /// them (repeat for more)
    #[arg(long, value_name = "FILE")]
    pub gazetteer: Vec<PathBuf>,

    /// Patterns, one JSON object per line: spaCy's and Prodigy's
    /// (`pattern`: a phrase, or tokens by ORTH, TEXT, LOWER), or
    /// `phrase` (with `ignore_case`) and `regex`, each with a `label`
    #[arg(long, value_name = "FILE")]
    pub patterns: Vec<PathBuf>,

    /// Propose the corpus's own annotations where their text stands
    /// untagged
    #[arg(long)]
    pub propagate: bool,

    /// A command that reads `{"text": …}` lines and answers each with a
    /// `[{"start", "end", "label", "score"}]` line, code point offsets
    /// (repeat for more)
    #[arg(long, value_name = "CMD")]
    pub command: Vec<String>,

    /// Seconds a command may take over one article before it is stopped
    #[arg(long, default_value = "30", value_name = "SECS")]
    pub timeout: f64,

    /// Say what would be proposed, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Run the commands the schema's `[[suggest]]` sources name (used when
    /// no source is given here); without it they are said, not run
    #[arg(long)]
    pub schema_commands: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Folder of articles
    #[arg(default_value = "seeds", value_name = "CORPUS")]
    pub corpus: PathBuf,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format to write
    #[arg(long, short, value_enum)]
    pub format: Format,

    /// Folder of articles
    #[arg(default_value = "seeds", value_name = "CORPUS")]
    pub corpus: PathBuf,

    /// Write here instead of standard output (a folder, for brat)
    #[arg(long, short, value_name = "PATH")]
    pub out: Option<PathBuf>,

    /// Export only this label (repeat for more)
    #[arg(long = "label", value_name = "NAME")]
    pub only: Vec<String>,

    /// Include articles that have no annotations
    #[arg(long)]
    pub include_empty: bool,

    /// brat: write each article's line ends as they are, or as LF with the
    /// offsets counted so (older brat counts a CRLF as one character)
    #[arg(long, value_enum, default_value = "keep")]
    pub newline: Newline,

    /// conll, conll2003 and hf: how the text is cut into tokens
    #[arg(long, value_enum, default_value = "uax29")]
    pub tokenizer: Tokenizer,

    /// --tokenizer spacy: the language of spaCy's blank pipeline (en, de,
    /// fr, zh, xx for many)
    #[arg(long, default_value = "en", value_name = "CODE")]
    pub lang: String,

    /// --tokenizer spacy: the Python that has spaCy
    #[arg(
        long,
        env = "GLOSS_PYTHON",
        default_value = "python3",
        value_name = "PATH"
    )]
    pub python: String,

    /// The unit offsets go out in: code points (Python), or UTF-16 code
    /// units for tools that count so (jsonl, doccano, labelstudio, w3c, csv)
    #[arg(long, value_enum, default_value = "codepoints")]
    pub offsets: Unit,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The format to read (brat: a folder)
    #[arg(long, short, value_enum)]
    pub format: Format,

    /// The file (or brat folder) to import
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,

    /// Folder of articles
    #[arg(default_value = "seeds", value_name = "CORPUS")]
    pub corpus: PathBuf,

    /// Add to the sidecars, or replace their annotations
    #[arg(long, value_enum, default_value = "merge")]
    pub mode: Mode,

    /// Say what would change, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Fail, writing nothing, if any record would be skipped or not kept
    #[arg(long)]
    pub strict: bool,

    /// The unit the input's offsets count: code points (Python, spaCy,
    /// doccano's import) or UTF-16 code units (doccano's web interface,
    /// Label Studio, INCEpTION, Hypothesis)
    #[arg(long, value_enum, default_value = "codepoints")]
    pub offsets: Unit,

    /// Which Prodigy records to import, by their `answer`
    #[arg(long, value_enum, default_value = "accept")]
    pub answers: Answers,

    /// Put everything the input holds on this article (its path in the
    /// corpus), whatever document the input names: for files made on a
    /// web page or a copy of the text elsewhere
    #[arg(long, value_name = "PATH")]
    pub article: Option<String>,
}
