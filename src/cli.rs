//! The command line.

use std::path::PathBuf;

use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    name = "gloss",
    version,
    about = "Read a folder of articles in the terminal and annotate passages with labels",
    after_help = "Annotations are saved on every change, one TOML file per article, under the annotations folder.\nPress ? in gloss for every key."
)]
pub struct Cli {
    /// Folder of articles (.txt and .md files, searched recursively)
    #[arg(default_value = "seeds", value_name = "CORPUS")]
    pub corpus: PathBuf,

    /// Folder for the annotation sidecars (CORPUS/a/b.txt → DIR/a/b.txt.toml)
    #[arg(long, default_value = "annotations", value_name = "DIR")]
    pub annotations: PathBuf,

    /// The label schema [default: DIR/labels.toml]
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,

    /// Name recorded as the annotator of new annotations
    #[arg(long, env = "GLOSS_ANNOTATOR", value_name = "NAME")]
    pub annotator: Option<String>,
}
