//! `tsv`: WebAnno TSV 3.3, INCEpTION's exchange format. A folder with a
//! `NAME.tsv` per article (NAME its path), as INCEpTION imports one
//! document a file:
//!
//! ```text
//! (columns are separated by tabs)
//! #FORMAT=WebAnno TSV 3.3
//! #T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value
//! #T_RL=webanno.custom.Relation|label|BT_de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity
//!
//!
//! #Text=Pompeo met Jaishankar .
//! 1-1    0-6    Pompeo    PERSON    _    _
//! 1-2    7-10    met    _    _    _
//! 1-3    11-21    Jaishankar    PERSON    MET    1-1
//! 1-4    22-23    .    _    _    _
//! ```
//!
//! Offsets count UTF-16 code units (Java's), from the start of the
//! document. A span over several tokens, or stacked with another on one
//! token, carries an id (`PERSON[3]`) on each of its tokens; a relation
//! stands on its target's first token, its source named by that token's
//! address (`1-1`, with `[source_target]` ids when they have them). Tokens
//! are Unicode words (UAX #29) cut further at every span's edges, so each
//! span is whole tokens. Notes and document labels have no place here
//! (counted, left out).
//!
//! Import reads every span layer (its `value` feature, or its first, as
//! the label; a layer without one names the label) and every relation
//! layer between them, sub-token lines too; parts of speech, lemmas and
//! other token-level layers, dependencies and chains are counted as not
//! kept.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::tokens;
use super::{
    Article, CharPos, Exporter, ImportDoc, ImportRelation, Input, LabelNames, ReadError, Skip, Span,
};
use crate::core::fsio;
use crate::core::offset::Utf16Index;
use crate::core::save::write_atomic;

const NAMED_ENTITY: &str = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity";
const RELATION: &str = "webanno.custom.Relation";

/// What INCEpTION escapes in a feature value.
pub fn escape_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("->") {
            out.push_str("\\->");
            rest = &rest[2..];
            continue;
        }
        match c {
            '\\' => out.push_str("\\\\"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '|' => out.push_str("\\|"),
            '_' => out.push_str("\\_"),
            ';' => out.push_str("\\;"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '*' => out.push_str("\\*"),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn unescape_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some(x) => out.push(x),
            None => out.push('\\'),
        }
    }
    out
}

/// What INCEpTION escapes in a `#Text=` line: controls, and backslash.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{c}' => out.push_str("\\f"),
            '\u{8}' => out.push_str("\\b"),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 32 => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Splits `s` at `sep` where it is not escaped.
fn split_unescaped(s: &str, sep: char) -> Vec<&str> {
    let mut out = vec![];
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            out.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&s[start..]);
    out
}

/// The name of the `.tsv` file of article `rel`.
pub fn file_name(rel: &str) -> String {
    format!("{rel}.tsv")
}

pub struct TsvExporter {
    dir: PathBuf,
    names: LabelNames,
    written: std::collections::BTreeSet<String>,
    notes: usize,
    doc_labels: usize,
}

impl TsvExporter {
    pub fn new(dir: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(TsvExporter {
            dir: dir.to_path_buf(),
            names: LabelNames::default(),
            written: Default::default(),
            notes: 0,
            doc_labels: 0,
        })
    }
}

impl Exporter for TsvExporter {
    fn article(&mut self, a: &Article) -> io::Result<()> {
        let text = a.text.as_str();
        let u16 = Utf16Index::new(text);
        let units = |b: usize| u16.to_utf16(a.text.chars_of(b..b).start);
        self.notes += a.anns.iter().filter(|x| x.note.is_some()).count();
        self.doc_labels += a.doc_labels.len();
        let mut cuts: Vec<usize> = a
            .anns
            .iter()
            .flat_map(|x| [x.start.get(), x.end.get()])
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let sentences = tokens::sentences_cut_at(text, &cuts);
        // Every token's address, in order.
        let mut addr: Vec<(String, Range<usize>)> = vec![];
        for (s, toks) in sentences.iter().enumerate() {
            for (k, t) in toks.iter().enumerate() {
                addr.push((format!("{}-{}", s + 1, k + 1), t.clone()));
            }
        }
        // Each annotation's tokens; an id when it covers several tokens or
        // shares one with another annotation.
        let covers = |r: &Range<usize>| -> Vec<usize> {
            let lo = addr.partition_point(|(_, t)| t.end <= r.start);
            let hi = addr.partition_point(|(_, t)| t.start < r.end);
            (lo..hi).collect()
        };
        let spans: Vec<Vec<usize>> = a.anns.iter().map(|x| covers(&x.range())).collect();
        let mut per_token: Vec<Vec<usize>> = vec![vec![]; addr.len()];
        for (i, toks) in spans.iter().enumerate() {
            for &k in toks {
                per_token[k].push(i);
            }
        }
        let mut ids: HashMap<usize, usize> = HashMap::new();
        for (i, toks) in spans.iter().enumerate() {
            if toks.len() > 1 || toks.iter().any(|&k| per_token[k].len() > 1) {
                let n = ids.len() + 1;
                ids.insert(i, n);
            }
        }
        let index: HashMap<&str, usize> = a
            .anns
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i))
            .collect();
        // Relations by their target's first token.
        let mut rel_at: BTreeMap<usize, Vec<(String, String)>> = BTreeMap::new();
        for r in a.relations {
            let (Some(&f), Some(&t)) = (index.get(r.from.as_str()), index.get(r.to.as_str()))
            else {
                continue;
            };
            let (Some(&ft), Some(&tt)) = (spans[f].first(), spans[t].first()) else {
                continue;
            };
            let mut source = addr[ft].0.clone();
            let (fi, ti) = (ids.get(&f).copied(), ids.get(&t).copied());
            if fi.is_some() || ti.is_some() {
                let _ = write!(source, "[{}_{}]", fi.unwrap_or(0), ti.unwrap_or(0));
            }
            let label = self.names.name(&r.label, |l| l.to_string());
            rel_at
                .entry(tt)
                .or_default()
                .push((escape_value(&label), source));
        }
        let mut out = String::new();
        let _ = writeln!(out, "#FORMAT=WebAnno TSV 3.3");
        let _ = writeln!(out, "#T_SP={NAMED_ENTITY}|value");
        let _ = writeln!(out, "#T_RL={RELATION}|label|BT_{NAMED_ENTITY}");
        out.push_str("\n\n");
        let mut k = 0;
        for (s, toks) in sentences.iter().enumerate() {
            if s > 0 {
                out.push('\n');
            }
            let (Some(first), Some(last)) = (toks.first(), toks.last()) else {
                continue;
            };
            let _ = writeln!(out, "#Text={}", escape_text(&text[first.start..last.end]));
            for t in toks {
                let values: Vec<String> = per_token[k]
                    .iter()
                    .map(|&i| {
                        let label =
                            escape_value(&self.names.name(&a.anns[i].label, |l| l.to_string()));
                        match ids.get(&i) {
                            Some(n) => format!("{label}[{n}]"),
                            None => label,
                        }
                    })
                    .collect();
                let span_col = if values.is_empty() {
                    "_".to_string()
                } else {
                    values.join("|")
                };
                let (rl, bt) = match rel_at.get(&k) {
                    Some(v) => (
                        v.iter().map(|x| x.0.as_str()).collect::<Vec<_>>().join("|"),
                        v.iter().map(|x| x.1.as_str()).collect::<Vec<_>>().join("|"),
                    ),
                    None => ("_".to_string(), "_".to_string()),
                };
                let _ = writeln!(
                    out,
                    "{}\t{}-{}\t{}\t{span_col}\t{rl}\t{bt}\t",
                    addr[k].0,
                    units(t.start),
                    units(t.end),
                    &text[t.clone()]
                );
                k += 1;
            }
        }
        let name = file_name(a.rel);
        self.written.insert(name.clone());
        write_atomic(&self.dir.join(name), out.as_bytes())
    }

    fn finish(self: Box<Self>) -> io::Result<Vec<String>> {
        let mut w = vec![];
        if self.notes > 0 {
            w.push(format!(
                "{} note(s) left out: tsv has no place for them (jsonl, brat, w3c and labelstudio do)",
                self.notes
            ));
        }
        if self.doc_labels > 0 {
            w.push(format!(
                "{} document label(s) left out: tsv has no place for them",
                self.doc_labels
            ));
        }
        Ok(w)
    }
}

/// A layer declared in the header.
#[derive(Debug, Clone)]
struct Layer {
    kind: char,
    name: String,
    features: Vec<String>,
    /// For a relation layer: the span layer its ends are on.
    base: Option<String>,
}

impl Layer {
    fn short(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }

    /// How many columns it has.
    fn width(&self) -> usize {
        match self.kind {
            'R' => self.features.len() + 1,
            _ => self.features.len(),
        }
    }

    /// Token-level linguistic layers, whose annotations are not passages
    /// someone marked.
    fn is_linguistic(&self) -> bool {
        const LING: [&str; 6] = [
            "lexmorph.type.pos.POS",
            "segmentation.type.Lemma",
            "segmentation.type.Stem",
            "lexmorph.type.morph.MorphologicalFeatures",
            "syntax.type.dependency.Dependency",
            "syntax.type.chunk.Chunk",
        ];
        LING.iter().any(|l| self.name.ends_with(l))
    }
}

/// One token line.
struct Line<'a> {
    addr: &'a str,
    range: Range<usize>,
    cols: Vec<&'a str>,
    origin: String,
}

/// Reads a WebAnno TSV 3.x file: `name` for messages and, without its
/// `.tsv`, as the article's path.
pub fn read_one(
    name: &str,
    rel: &str,
    src: &str,
    input: &mut Input,
) -> Result<ImportDoc, ReadError> {
    let bad = |line: usize, m: &str| ReadError {
        origin: format!("{name}:{line}"),
        message: m.to_string(),
    };
    let mut lines = src.lines().enumerate();
    match lines.next() {
        Some((_, l)) if l.starts_with("#FORMAT=WebAnno TSV 3") => {}
        _ => {
            return Err(bad(
                1,
                "not WebAnno TSV 3 (the first line is #FORMAT=WebAnno TSV 3.x)",
            ));
        }
    }
    let mut layers: Vec<Layer> = vec![];
    let mut tokens: Vec<Line> = vec![];
    let mut words: Vec<String> = vec![];
    for (i, l) in src.lines().enumerate().skip(1) {
        let origin = format!("{name}:{}", i + 1);
        if let Some(rest) = l.strip_prefix("#T_") {
            let (kind, decl) = rest.split_at(2.min(rest.len()));
            let mut parts = decl.trim_start_matches('=').split('|');
            let lname = parts.next().unwrap_or_default().to_string();
            let mut features: Vec<String> = parts.map(str::to_string).collect();
            let kind = match kind {
                "SP" => 'S',
                "RL" => 'R',
                "CH" => 'C',
                _ => {
                    input.skipped.push(Skip::new(
                        origin,
                        "a layer line gloss does not know",
                        l.to_string(),
                    ));
                    continue;
                }
            };
            let base = if kind == 'R' {
                features
                    .last()
                    .and_then(|b| b.strip_prefix("BT_"))
                    .map(str::to_string)
                    .inspect(|_| {
                        features.pop();
                    })
            } else {
                None
            };
            layers.push(Layer {
                kind,
                name: lname,
                features,
                base,
            });
            continue;
        }
        if l.starts_with('#') || l.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = l.split('\t').collect();
        if cols.len() < 3 {
            input.skipped.push(Skip::new(
                origin,
                "a token line of fewer than three columns",
                String::new(),
            ));
            continue;
        }
        let Some((a, b)) = cols[1].split_once('-') else {
            input.skipped.push(Skip::new(
                origin,
                "a token line without BEGIN-END offsets",
                cols[1].to_string(),
            ));
            continue;
        };
        let (Ok(a), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>()) else {
            input.skipped.push(Skip::new(
                origin,
                "a token line without BEGIN-END offsets",
                cols[1].to_string(),
            ));
            continue;
        };
        if !cols[0].contains('.') {
            words.push(cols[2].to_string());
        }
        tokens.push(Line {
            addr: cols[0],
            range: a..b,
            cols: cols[3..].to_vec(),
            origin,
        });
    }
    // Column of each layer's first feature.
    let mut at = 0;
    let mut start_of: Vec<usize> = vec![];
    for l in &layers {
        start_of.push(at);
        at += l.width();
    }
    let mut doc = ImportDoc {
        origin: name.to_string(),
        path: Some(rel.to_string()),
        unit: Some(crate::core::offset::Unit::Utf16),
        codepoints_sure: true,
        ..ImportDoc::default()
    };
    // The article is also found by its tokens (a renamed file).
    doc.tagged_text = Some(words.concat());
    // Spans: (layer, id) -> (range, label, first line).
    let mut spans: BTreeMap<(usize, String), (Range<usize>, String, String)> = BTreeMap::new();
    let mut unheld: BTreeMap<String, usize> = BTreeMap::new();
    for t in &tokens {
        for (li, l) in layers.iter().enumerate() {
            if l.kind != 'S' {
                continue;
            }
            let col = start_of[li];
            let feature = l.features.iter().position(|f| f == "value").unwrap_or(0);
            let cell = t.cols.get(col + feature).copied().unwrap_or("_");
            if cell == "_" || cell.is_empty() {
                // Another feature may carry the annotation.
                let any = (0..l.features.len()).any(|f| {
                    t.cols
                        .get(col + f)
                        .is_some_and(|c| *c != "_" && !c.is_empty())
                });
                if !any && !l.features.is_empty() {
                    continue;
                }
                if l.features.is_empty() {
                    continue;
                }
            }
            if l.is_linguistic() {
                *unheld.entry(l.short().to_string()).or_default() += 1;
                continue;
            }
            for (k, item) in split_unescaped(cell, '|').into_iter().enumerate() {
                let (value, id) = match item.strip_suffix(']').and_then(|x| x.rsplit_once('[')) {
                    Some((v, id)) if !v.ends_with('\\') => (v, id.to_string()),
                    _ => (item, format!("{}#{k}", t.addr)),
                };
                let label = match value {
                    "*" | "_" | "" => l.short().to_string(),
                    v => unescape_value(v),
                };
                spans
                    .entry((li, id))
                    .and_modify(|s| {
                        s.0.start = s.0.start.min(t.range.start);
                        s.0.end = s.0.end.max(t.range.end);
                    })
                    .or_insert((t.range.clone(), label, t.origin.clone()));
            }
        }
    }
    // Links: the input's names of spans, (layer, id).
    let link = |li: usize, id: &str| format!("{li}:{id}");
    for ((li, id), (r, label, origin)) in &spans {
        doc.spans.push(Span {
            start: CharPos(r.start),
            end: CharPos(r.end),
            label: label.clone(),
            link: Some(link(*li, id)),
            origin: origin.clone(),
            ..Span::default()
        });
    }
    // The span of layer `li` on token `addr` with id `id` (0: the only one).
    let by_addr: HashMap<&str, &Line> = tokens.iter().map(|t| (t.addr, t)).collect();
    let find = |li: usize, addr: &str, id: &str| -> Option<String> {
        if id != "0" {
            return spans
                .contains_key(&(li, id.to_string()))
                .then(|| link(li, id));
        }
        let t = by_addr.get(addr)?;
        let mine: Vec<&(usize, String)> = spans
            .keys()
            .filter(|(l, _)| *l == li)
            .filter(|k| spans[*k].0.start <= t.range.start && t.range.end <= spans[*k].0.end)
            .collect();
        match mine.as_slice() {
            [only] => Some(link(only.0, &only.1)),
            _ => None,
        }
    };
    for t in &tokens {
        for (li, l) in layers.iter().enumerate() {
            if l.kind == 'C' {
                let cell = t.cols.get(start_of[li]).copied().unwrap_or("_");
                if cell != "_" && !cell.is_empty() {
                    *unheld
                        .entry(format!("{} (a chain)", l.short()))
                        .or_default() += 1;
                }
                continue;
            }
            if l.kind != 'R' {
                continue;
            }
            let col = start_of[li];
            let bt = t.cols.get(col + l.features.len()).copied().unwrap_or("_");
            if bt == "_" || bt.is_empty() {
                continue;
            }
            let Some(base) = layers.iter().position(|x| Some(&x.name) == l.base.as_ref()) else {
                *unheld.entry(l.short().to_string()).or_default() += 1;
                continue;
            };
            if layers[base].is_linguistic() || l.is_linguistic() {
                *unheld.entry(l.short().to_string()).or_default() += split_unescaped(bt, '|').len();
                continue;
            }
            let feature = l
                .features
                .iter()
                .position(|f| f == "label" || f == "value")
                .unwrap_or(0);
            let labels: Vec<&str> = t
                .cols
                .get(col + feature)
                .map(|c| split_unescaped(c, '|'))
                .unwrap_or_default();
            for (k, source) in split_unescaped(bt, '|').into_iter().enumerate() {
                let (src_addr, (sid, tid)) =
                    match source.strip_suffix(']').and_then(|x| x.split_once('[')) {
                        Some((a, ids)) => (a, ids.split_once('_').unwrap_or(("0", "0"))),
                        None => (source, ("0", "0")),
                    };
                let label = match labels.get(k).copied().unwrap_or("*") {
                    "*" | "_" | "" => l.short().to_string(),
                    v => unescape_value(v),
                };
                let ends = find(base, src_addr, sid).zip(find(base, t.addr, tid));
                let Some((from, to)) = ends else {
                    input.skipped.push(Skip::new(
                        &t.origin,
                        "a relation whose ends are not spans of its layer",
                        source.to_string(),
                    ));
                    continue;
                };
                doc.relations.push(ImportRelation {
                    id: None,
                    label,
                    from,
                    to,
                    note: None,
                    origin: t.origin.clone(),
                });
            }
        }
    }
    for (what, n) in unheld {
        for _ in 0..n {
            input.unheld.push(Skip::new(
                name,
                format!("a {what} annotation"),
                String::new(),
            ));
        }
    }
    Ok(doc)
}

/// Reads a `.tsv` file, or every `.tsv` below a folder (each one article:
/// `a/b.txt.tsv` is `a/b.txt`).
pub fn read_path(path: &Path) -> Result<Input, ReadError> {
    let mut input = Input::default();
    let files: Vec<(PathBuf, String)> = if path.is_dir() {
        super::files_in(path, "tsv")
    } else {
        let rel = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        vec![(path.to_path_buf(), rel)]
    };
    if files.is_empty() {
        return Err(ReadError {
            origin: path.display().to_string(),
            message: "no .tsv file in this folder".into(),
        });
    }
    for (f, rel) in files {
        let name = f.display().to_string();
        let src = match fsio::read_capped_string(&f, super::MAX_INPUT_BYTES) {
            Ok(s) => s,
            Err(e) => {
                input.skipped.push(Skip::new(
                    name,
                    "a .tsv file that cannot be read",
                    e.to_string(),
                ));
                continue;
            }
        };
        match read_one(&name, &rel, &src, &mut input) {
            Ok(doc) => input.docs.push(doc),
            Err(e) if !path.is_dir() => return Err(e),
            Err(e) => input.skipped.push(Skip::new(
                e.origin,
                "a file that is not WebAnno TSV",
                e.message,
            )),
        }
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_escape_as_inception_does() {
        let v = "#*'\"`´\t:;{}|[ ]()\\§$%?=&_\n";
        assert_eq!(
            escape_value(v),
            "#\\*'\"`´\\t:\\;{}\\|\\[ \\]()\\\\§$%?=&\\_\\n"
        );
        assert_eq!(unescape_value(&escape_value(v)), v);
        assert_eq!(escape_value("a->b"), "a\\->b");
        assert_eq!(split_unescaped("A[1]|B\\|C[2]", '|'), ["A[1]", "B\\|C[2]"]);
    }
}
