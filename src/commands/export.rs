//! `gloss export`: the corpus's annotations in a format other tools read,
//! one article at a time so memory stays flat however large the corpus.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::core::annotation::{Annotation, DocLabel, Equivalence, Event, Relation};
use crate::core::article::{Health, read_text};
use crate::core::corpus::{self, Entry};
use crate::core::labels::Schema;
use crate::core::offset::{Unit, Utf16Index};
use crate::core::sidecar::SidecarFile;
use crate::core::text::Text;
use crate::core::workspace::Workspace;
use crate::formats::brat::BratExporter;
use crate::formats::conll::ConllExporter;
use crate::formats::csv::CsvExporter;
use crate::formats::doccano::DoccanoExporter;
use crate::formats::hf::HfExporter;
use crate::formats::jsonl::JsonlExporter;
use crate::formats::labelstudio::LabelStudioExporter;
use crate::formats::spacy::SpacyExporter;
use crate::formats::tokens::{Cutter, Tokenizer};
use crate::formats::tsv::TsvExporter;
use crate::formats::w3c::W3cExporter;
use crate::formats::{Article, Exporter, Format, Newline};

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub format: Format,
    pub corpus: PathBuf,
    pub annotations: PathBuf,
    pub labels: PathBuf,
    /// A file, or a folder for brat; standard output when `None`.
    pub out: Option<PathBuf>,
    /// Only these labels, when not empty.
    pub only: Vec<String>,
    /// Articles without annotations too.
    pub include_empty: bool,
    /// Line ends of the articles a folder format writes.
    pub newline: Newline,
    /// How token formats (conll, conll2003, hf) cut tokens.
    pub tokenizer: Tokenizer,
    /// The Python that runs spaCy's tokenizer, and its language.
    pub python: String,
    pub lang: String,
    /// The unit offsets go out in.
    pub offsets: Unit,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub articles: usize,
    /// Annotations given to the format, and how many it could not hold.
    pub annotations: usize,
    pub dropped: usize,
    /// Articles left out because something is wrong with them.
    pub problems: Vec<String>,
    /// Things the user should know that did not stop anything.
    pub warnings: Vec<String>,
}

/// Bad usage: the message for standard error, exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

fn label_colors(schema: &Schema) -> BTreeMap<String, String> {
    schema
        .labels
        .clone()
        .into_iter()
        .filter(|l| l.color.starts_with('#') && l.color.len() == 7)
        .map(|l| (l.name, l.color))
        .collect()
}

fn exporter(
    opts: &ExportOptions,
    schema: &Schema,
    stdout: Box<dyn Write + Send>,
) -> Result<Box<dyn Exporter>, Usage> {
    if opts.offsets == Unit::Utf16 && !opts.format.takes_utf16() {
        return Err(Usage(format!(
            "--offsets utf16 is for formats whose offsets other tools may count in UTF-16 units (jsonl, doccano, labelstudio, w3c, csv); {} counts {}",
            opts.format.name(),
            match opts.format {
                Format::Tsv => "UTF-16 units always",
                Format::Brat => "code points, as brat does",
                _ => "tokens",
            }
        )));
    }
    if opts.newline == Newline::Lf && opts.format != Format::Brat {
        return Err(Usage(format!(
            "--newline is for formats that write the articles' text as files (brat); {} carries the text as it is",
            opts.format.name()
        )));
    }
    if opts.format.is_folder() {
        let Some(dir) = &opts.out else {
            return Err(Usage(format!(
                "{} writes a folder of files: give --out DIR",
                opts.format.name()
            )));
        };
        if dir.exists() && !dir.is_dir() {
            return Err(Usage(format!("--out {} is not a folder", dir.display())));
        }
        let cannot = |e: io::Error| Usage(format!("cannot write to {}: {e}", dir.display()));
        if opts.format == Format::Tsv {
            return Ok(Box::new(TsvExporter::new(dir).map_err(cannot)?));
        }
        let e = BratExporter::new(dir, label_colors(schema), opts.newline == Newline::Lf)
            .map_err(cannot)?;
        return Ok(Box::new(e));
    }
    if opts.format == Format::Spacy && opts.out.is_none() {
        return Err(Usage(
            "spacy writes a binary file: give --out FILE.spacy".to_string(),
        ));
    }
    let sink: Box<dyn Write + Send> = match &opts.out {
        Some(p) => Box::new(
            std::fs::File::create(p)
                .map_err(|e| Usage(format!("cannot write {}: {e}", p.display())))?,
        ),
        None => stdout,
    };
    let w = BufWriter::with_capacity(1 << 16, sink);
    Ok(match opts.format {
        Format::Jsonl => Box::new(JsonlExporter::new(w)),
        Format::Doccano => Box::new(DoccanoExporter::new(w)),
        Format::Csv => Box::new(CsvExporter::new(w).map_err(|e| Usage(e.to_string()))?),
        Format::Conll => Box::new(ConllExporter::new(w, false, cutter(opts)?)),
        Format::Conll2003 => Box::new(ConllExporter::new(w, true, cutter(opts)?)),
        Format::Hf => Box::new(HfExporter::new(w, cutter(opts)?)),
        Format::Spacy => Box::new(SpacyExporter::new(w)),
        Format::Labelstudio => {
            Box::new(LabelStudioExporter::new(w).map_err(|e| Usage(e.to_string()))?)
        }
        Format::W3c => Box::new(W3cExporter::new(w).map_err(|e| Usage(e.to_string()))?),
        Format::Brat | Format::Tsv => unreachable!("a folder format"),
    })
}

/// The tokenizer a token format cuts with (spaCy's started now, so that a
/// missing spaCy is said before anything is written).
fn cutter(opts: &ExportOptions) -> Result<Cutter, Usage> {
    Cutter::start(opts.tokenizer, &opts.python, &opts.lang).map_err(Usage)
}

pub fn progress_bar(len: usize, what: &str) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{what} {{bar:30}} {{pos}}/{{len}} articles, {{eta}} left"
    )) {
        bar.set_style(style);
    }
    bar
}

/// Exports what `opts` asks for; `stdout` is where streams go without --out.
pub fn run(opts: &ExportOptions, stdout: Box<dyn Write + Send>) -> Result<Outcome, Usage> {
    let ws = Workspace::open(&opts.corpus, &opts.annotations, &opts.labels)
        .map_err(|e| Usage(e.to_string()))?;
    let entries = &ws.entries;
    let mut exp = exporter(opts, ws.schema(), stdout)?;
    let bar = progress_bar(entries.len(), "exporting");
    let mut out = Outcome::default();
    let mut orphans = 0;
    let (mut relations, mut doc_labels, mut relations_cut) = (0, 0, 0);
    let mut structures = Structures::default();
    // Articles are read and parsed in parallel a chunk at a time, while the
    // chunk before is written in order: both cores work, memory holds two
    // chunks at most.
    let mut chunks = entries.chunks(CHUNK);
    let mut ready = chunks
        .next()
        .map(|c| load_chunk(opts, c))
        .unwrap_or_default();
    loop {
        let next = chunks.next();
        let (written, loaded) = rayon::join(
            || write_chunk(exp.as_mut(), std::mem::take(&mut ready), &bar),
            || next.map(|c| load_chunk(opts, c)),
        );
        for r in written {
            match r {
                Ok(Some(w)) => {
                    out.articles += 1;
                    out.annotations += w.anns;
                    orphans += w.orphans;
                    relations += w.relations;
                    doc_labels += w.doc_labels;
                    relations_cut += w.relations_cut;
                    structures.add(w.structures);
                }
                Ok(None) => {}
                Err(p) => out.problems.push(p),
            }
        }
        match loaded {
            Some(l) => ready = l,
            None => break,
        }
    }
    bar.finish_and_clear();
    out.dropped = exp.dropped();
    out.warnings = exp
        .finish()
        .map_err(|e| Usage(format!("cannot finish the export: {e}")))?;
    out.warnings.extend(ws.schema_problem());
    if orphans > 0 {
        out.warnings.push(format!(
            "{orphans} orphaned annotation(s) left out: their text is no longer in their article"
        ));
    }
    // What the format cannot hold is counted and said, never dropped
    // silently.
    if relations > 0 && !opts.format.carries_relations() {
        out.warnings.push(format!(
            "{relations} relation(s) left out: {} has no place for relations (jsonl, doccano, brat and w3c do)",
            opts.format.name()
        ));
    }
    if doc_labels > 0 && !opts.format.carries_doc_labels() {
        out.warnings.push(format!(
            "{doc_labels} document label(s) left out: {} has no place for them (jsonl, doccano and w3c do)",
            opts.format.name()
        ));
    }
    if relations_cut > 0 {
        out.warnings.push(format!(
            "{relations_cut} relation(s), event(s) or equivalence(s) left out: something each uses is not exported (an orphan, or a label left out by --label)"
        ));
    }
    if !opts.format.carries_structures() {
        let Structures {
            events,
            equivalences,
            attributes,
            pieces,
        } = structures;
        let mut what = vec![];
        for (n, name) in [
            (events, "event(s)"),
            (equivalences, "equivalence(s)"),
            (attributes, "attribute(s) and normalisation(s)"),
        ] {
            if n > 0 {
                what.push(format!("{n} {name}"));
            }
        }
        if !what.is_empty() {
            out.warnings.push(format!(
                "{} left out: {} has no place for them (brat and jsonl do)",
                what.join(", "),
                opts.format.name()
            ));
        }
        if pieces > 0 {
            out.warnings.push(format!(
                "{pieces} piece(s) of discontinuous annotations written as spans of their own: {} has no place for pieces (brat and jsonl do)",
                opts.format.name()
            ));
        }
    }
    Ok(out)
}

/// Articles read and parsed together, then written in order.
const CHUNK: usize = 256;

/// An article ready to write, with what is left out of it.
struct Ready {
    rel: String,
    text: Text,
    anns: Vec<Annotation>,
    relations: Vec<Relation>,
    doc_labels: Vec<DocLabel>,
    events: Vec<Event>,
    equivalences: Vec<Equivalence>,
    /// With `--offsets utf16`, the text's UTF-16 index.
    utf16: Option<Utf16Index>,
    orphans: usize,
    /// Relations, events and equivalences left out because an end is not
    /// exported (an orphan, or filtered out by --label).
    relations_cut: usize,
}

/// `None` when there is nothing to write.
type Loaded = Result<Option<Ready>, String>;

/// What was written of one article.
#[derive(Default)]
struct Written {
    anns: usize,
    orphans: usize,
    relations: usize,
    doc_labels: usize,
    relations_cut: usize,
    /// What only brat and jsonl hold: events, equivalences, attributes and
    /// normalisations, and discontinuous annotations' later pieces.
    structures: Structures,
}

/// Counts of what only some formats hold.
#[derive(Default, Clone, Copy)]
struct Structures {
    events: usize,
    equivalences: usize,
    attributes: usize,
    pieces: usize,
}

impl Structures {
    fn of(r: &Ready) -> Structures {
        Structures {
            events: r.events.len(),
            equivalences: r.equivalences.len(),
            attributes: r
                .anns
                .iter()
                .map(|a| a.attributes().len() + a.norms().len())
                .sum::<usize>()
                + r.events
                    .iter()
                    .map(|e| e.attributes.len() + e.norms.len())
                    .sum::<usize>(),
            pieces: r.anns.iter().filter(|a| a.part_of().is_some()).count(),
        }
    }

    fn add(&mut self, o: Structures) {
        self.events += o.events;
        self.equivalences += o.equivalences;
        self.attributes += o.attributes;
        self.pieces += o.pieces;
    }
}

fn load_chunk(opts: &ExportOptions, chunk: &[Entry]) -> Vec<Loaded> {
    chunk.par_iter().map(|e| load_one(opts, e)).collect()
}

/// Writes loaded articles: per article, what was written and left out.
fn write_chunk(
    exp: &mut dyn Exporter,
    loaded: Vec<Loaded>,
    bar: &ProgressBar,
) -> Vec<Result<Option<Written>, String>> {
    loaded
        .into_iter()
        .map(|l| {
            bar.inc(1);
            let Some(r) = l? else {
                return Ok(None);
            };
            exp.article(&Article {
                rel: &r.rel,
                text: &r.text,
                anns: &r.anns,
                relations: &r.relations,
                doc_labels: &r.doc_labels,
                events: &r.events,
                equivalences: &r.equivalences,
                utf16: r.utf16.as_ref(),
            })
            .map_err(|err| format!("{}: cannot write: {err}", r.rel))?;
            Ok(Some(Written {
                anns: r.anns.len(),
                orphans: r.orphans,
                relations: r.relations.len(),
                doc_labels: r.doc_labels.len(),
                relations_cut: r.relations_cut,
                structures: Structures::of(&r),
            }))
        })
        .collect()
}

/// Reads one article and its annotations, as the export wants them.
fn load_one(opts: &ExportOptions, e: &Entry) -> Loaded {
    let sidecar_path = corpus::sidecar_path(&opts.annotations, &e.rel);
    let src = match sidecar_path.as_deref().map(SidecarFile::read) {
        Some(Ok(s)) => s,
        Some(Err(p)) => return Err(format!("{p}; {} left out", e.rel)),
        None => None,
    };
    if src.is_none() && !opts.include_empty {
        return Ok(None);
    }
    let (text, problem, health) = read_text(&e.path);
    if let Some(p) = problem {
        // An empty article has nothing to export; one that cannot be read
        // (too large, not a regular file) is said when it was asked for.
        let asked = opts.include_empty && health == Health::Unreadable;
        return if src.is_none() && text.is_empty() && !asked {
            Ok(None)
        } else {
            Err(format!("{}: {p}; left out", e.rel))
        };
    }
    let mut anns = vec![];
    let mut orphans = 0;
    let mut relations = vec![];
    let mut doc_labels = vec![];
    let mut events = vec![];
    let mut equivalences = vec![];
    if let Some(file) = &src {
        let loaded = file
            .fit(&text)
            .map_err(|p| format!("{p}; {} left out", e.rel))?;
        orphans = loaded.store.orphans.len();
        relations = loaded.store.owned_relations();
        doc_labels = loaded.store.owned_doc_labels();
        events = loaded.store.owned_events();
        equivalences = loaded.store.owned_equivalences();
        anns = loaded.store.into_annotations();
    }
    if !opts.only.is_empty() {
        anns.retain(|a| opts.only.contains(&a.label));
    }
    // A relation, event or equivalence goes out only with what it uses.
    let mut ids: std::collections::HashSet<String> = anns.iter().map(|a| a.id.clone()).collect();
    let before = relations.len() + events.len() + equivalences.len();
    relations.retain(|r: &Relation| ids.contains(&r.from) && ids.contains(&r.to));
    // Events may be arguments of events: take them in until none is added.
    let mut kept_events: Vec<Event> = vec![];
    loop {
        let (ready, rest): (Vec<Event>, Vec<Event>) = events.into_iter().partition(|ev| {
            ids.contains(&ev.trigger) && ev.args.iter().all(|(_, x)| ids.contains(x))
        });
        events = rest;
        if ready.is_empty() {
            break;
        }
        ids.extend(ready.iter().map(|ev| ev.id.clone()));
        kept_events.extend(ready);
    }
    let events = kept_events;
    for q in &mut equivalences {
        q.members.retain(|m| ids.contains(m));
    }
    equivalences.retain(|q| q.members.len() >= 2);
    let relations_cut = before - relations.len() - events.len() - equivalences.len();
    if anns.is_empty() && doc_labels.is_empty() && !opts.include_empty {
        return Ok(None);
    }
    let utf16 = (opts.offsets == Unit::Utf16).then(|| Utf16Index::new(text.as_str()));
    Ok(Some(Ready {
        rel: e.rel.clone(),
        text,
        anns,
        relations,
        doc_labels,
        utf16,
        events,
        equivalences,
        orphans,
        relations_cut,
    }))
}
