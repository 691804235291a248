//! `brat`: brat standoff, a folder openable in brat as it is. For each
//! article, `NAME.txt` (its text, byte for byte) and `NAME.ann`; for the
//! export, `annotation.conf` (the label set, overlaps allowed) and
//! `visual.conf` (the labels' colours). NAME is the article's path without a
//! `.txt` ending (`sub/a.txt` → `sub/a.txt`, `sub/a.ann`; `b.md` →
//! `b.md.txt`, `b.md.ann`).
//!
//! An entity is a `T` line. brat offsets are code points, like ours; a span
//! that crosses a line break is written as fragments (`T1\tORG 0 5;6 10\t…`)
//! because brat mentions are one line. Notes are `#` AnnotatorNotes lines.
//! brat type names allow letters, digits, `_` and `-`: other characters in a
//! label become `_`, with a warning.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use super::{
    Article, CharPos, Exporter, ImportDoc, ImportEquivalence, ImportEvent, ImportRelation, Input,
    LabelNames, ReadError, Skip, Span,
};
use crate::core::annotation::{Annotation, Norm};
use crate::core::fsio;
use crate::core::save::write_atomic;

/// The brat name of article `rel`.
pub fn brat_name(rel: &str) -> &str {
    rel.strip_suffix(".txt").unwrap_or(rel)
}

/// The article path a brat name stands for.
pub fn article_for(name: &str) -> String {
    if name.ends_with(".md") || name.ends_with(".txt") {
        name.to_string()
    } else {
        format!("{name}.txt")
    }
}

/// A label as a brat type name.
pub fn type_name(label: &str) -> String {
    let s: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "_".into() } else { s }
}

/// What brat's reader takes for the end of a line: what Python's
/// `str.splitlines` splits at. One of these inside a mention or a note
/// would break the `.ann` file.
pub fn is_brat_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{b}'
            | '\u{c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Splits byte range `r` of `text` at line breaks: brat mentions are one
/// line each.
fn fragments(text: &str, r: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let mut out = vec![];
    let mut frag_start = None;
    for (i, c) in text[r.clone()].char_indices() {
        let i = r.start + i;
        if is_brat_break(c) {
            if let Some(s) = frag_start.take() {
                out.push(s..i);
            }
        } else if frag_start.is_none() {
            frag_start = Some(i);
        }
    }
    if let Some(s) = frag_start {
        out.push(s..r.end);
    }
    out
}

/// A mention or note on one line. Tabs may stay: it is the last field.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if is_brat_break(c) { ' ' } else { c })
        .collect()
}

/// Code point offsets of a text as counted once each CRLF is one LF: the
/// CRs dropped, by their place in the text.
#[derive(Debug, Default, Clone)]
pub struct LfOffsets {
    /// Code point offset of each CR that starts a CRLF, in order.
    crs: Vec<usize>,
}

impl LfOffsets {
    pub fn of(text: &str) -> LfOffsets {
        let mut crs = vec![];
        let mut prev_cr = None;
        for (i, c) in text.chars().enumerate() {
            if c == '\n'
                && let Some(p) = prev_cr
            {
                crs.push(p);
            }
            prev_cr = (c == '\r').then_some(i);
        }
        LfOffsets { crs }
    }

    pub fn is_trivial(&self) -> bool {
        self.crs.is_empty()
    }

    /// Offset `c` of the text as counted in its LF form.
    pub fn at(&self, c: CharPos) -> usize {
        c.get() - self.crs.partition_point(|&cr| cr < c.get())
    }

    /// Offset `p` of the LF form as counted in the text.
    pub fn back(&self, p: usize) -> CharPos {
        // The k-th dropped CR stands at crs[k] - k in the LF form.
        let (mut lo, mut hi) = (0, self.crs.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.crs[mid] - mid < p {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        CharPos(p + lo)
    }
}

/// The `#`, `A` and `N` lines of an article, numbered as they come, on
/// the T, R and E lines they name.
#[derive(Default)]
struct Extras {
    out: String,
    notes: usize,
    attrs: usize,
    norms: usize,
}

impl Extras {
    /// The note, attributes and normalisations of annotation `target`
    /// (`T3`); attribute names and values are noted in `names` for
    /// annotation.conf.
    fn add(
        &mut self,
        target: &str,
        note: Option<&str>,
        attributes: &[(String, Option<String>)],
        links: &[Norm],
        names: &mut BTreeMap<String, BTreeSet<String>>,
    ) {
        // A note of several lines is several notes: brat's notes are a
        // line each, and two on one annotation come back as two.
        // Other characters brat would end a line at become spaces.
        for line in note.into_iter().flat_map(|n| n.split('\n')) {
            self.notes += 1;
            let _ = writeln!(
                self.out,
                "#{}\tAnnotatorNotes {target}\t{}",
                self.notes,
                one_line(line.trim_end_matches('\r'))
            );
        }
        for (k, v) in attributes {
            self.attrs += 1;
            let name = type_name(k);
            let values = names.entry(name.clone()).or_default();
            match v {
                Some(v) => {
                    let v = type_name(v);
                    values.insert(v.clone());
                    let _ = writeln!(self.out, "A{}\t{name} {target} {v}", self.attrs);
                }
                None => {
                    let _ = writeln!(self.out, "A{}\t{name} {target}", self.attrs);
                }
            }
        }
        for n in links {
            self.norms += 1;
            let _ = writeln!(
                self.out,
                "N{}\t{} {target} {}\t{}",
                self.norms,
                type_name(&n.kind),
                n.reference.replace(char::is_whitespace, "_"),
                one_line(&n.text)
            );
        }
    }
}

pub struct BratExporter {
    dir: PathBuf,
    /// Every label written, with its colour when the schema has one.
    types: BTreeMap<String, Option<String>>,
    colors: BTreeMap<String, String>,
    /// Labels as brat type names, kept apart.
    names_of: LabelNames,
    /// Line ends written as LF (`--newline lf`).
    lf: bool,
    /// Every brat name given, with its article: two articles can have the
    /// same one (`x.md` and `x.md.txt` are both `x.md`).
    names: BTreeMap<String, String>,
    /// Articles written under another name than usual, and why.
    collisions: Vec<String>,
    /// Relation types written, for annotation.conf.
    relation_types: BTreeSet<String>,
    /// Event types written, with their roles.
    event_types: BTreeMap<String, BTreeSet<String>>,
    /// Attribute names written, with their values (none: binary).
    attributes: BTreeMap<String, BTreeSet<String>>,
}

impl BratExporter {
    /// A name for article `rel` that no article before it took: its brat
    /// name, or else its whole path (which `article_for` maps back to it),
    /// or else that with a number.
    fn unique_name(&mut self, rel: &str) -> String {
        let usual = brat_name(rel).to_string();
        let mut candidates = vec![usual.clone(), rel.to_string()];
        candidates.extend((2..).take(1000).map(|n| format!("{rel}~{n}")));
        let name = candidates
            .into_iter()
            .find(|c| !self.names.contains_key(c))
            .unwrap_or_else(|| format!("{rel}~{}", self.names.len()));
        if name != usual {
            self.collisions.push(format!(
                "{rel} written as {name}.txt and {name}.ann: {usual}.txt is {}",
                self.names[&usual]
            ));
        }
        self.names.insert(name.clone(), rel.to_string());
        name
    }
    /// `colors` maps label names to `#rrggbb` colours for `visual.conf`.
    /// With `lf`, each `.txt` is written with LF line ends and the
    /// offsets counted in it, so brat versions that read text in
    /// universal-newline mode (brat issue 853) place every span right.
    pub fn new(dir: &Path, colors: BTreeMap<String, String>, lf: bool) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(BratExporter {
            dir: dir.to_path_buf(),
            types: BTreeMap::new(),
            colors,
            names_of: LabelNames::default(),
            lf,
            names: BTreeMap::new(),
            collisions: vec![],
            relation_types: BTreeSet::new(),
            event_types: BTreeMap::new(),
            attributes: BTreeMap::new(),
        })
    }
}

impl Exporter for BratExporter {
    fn article(&mut self, a: &Article) -> io::Result<()> {
        let name = self.unique_name(a.rel);
        let text = a.text.as_str();
        let lf = if self.lf {
            LfOffsets::of(text)
        } else {
            LfOffsets::default()
        };
        let mut ann = String::new();
        // A discontinuous annotation's pieces make one T line: grouped by
        // the id of their first piece, in the order of their first.
        let mut groups: Vec<Vec<&Annotation>> = vec![];
        let mut group_of: HashMap<&str, usize> = HashMap::new();
        for x in a.anns {
            let key = x.part_of().unwrap_or(&x.id);
            match group_of.get(key) {
                Some(&g) => groups[g].push(x),
                None => {
                    group_of.insert(key, groups.len());
                    groups.push(vec![x]);
                }
            }
            group_of.entry(&x.id).or_insert(groups.len() - 1);
        }
        // Every id (a piece's too) to its T number.
        let number: HashMap<&str, String> = group_of
            .iter()
            .map(|(id, g)| (*id, format!("T{}", g + 1)))
            .collect();
        let mut extras = Extras::default();
        for (g, pieces) in groups.iter().enumerate() {
            let head = pieces
                .iter()
                .find(|x| x.part_of().is_none())
                .unwrap_or(&pieces[0]);
            let ty = self.names_of.name(&head.label, type_name);
            self.types
                .entry(ty.clone())
                .or_insert_with(|| self.colors.get(&head.label).cloned());
            let mut frags: Vec<std::ops::Range<usize>> = pieces
                .iter()
                .flat_map(|x| {
                    let f = fragments(text, x.range());
                    if f.is_empty() { vec![x.range()] } else { f }
                })
                .collect();
            frags.sort_by_key(|f| f.start);
            let spans: Vec<String> = frags
                .iter()
                .map(|f| {
                    let c = a.text.chars_of(f.clone());
                    format!("{} {}", lf.at(c.start), lf.at(c.end))
                })
                .collect();
            let mention: Vec<&str> = frags.iter().map(|f| &text[f.clone()]).collect();
            let _ = writeln!(
                ann,
                "T{}\t{ty} {}\t{}",
                g + 1,
                spans.join(";"),
                one_line(&mention.join(" "))
            );
            let note: Vec<&str> = pieces.iter().filter_map(|x| x.note.as_deref()).collect();
            let note = (!note.is_empty()).then(|| note.join(" "));
            extras.add(
                &format!("T{}", g + 1),
                note.as_deref(),
                head.attributes(),
                head.norms(),
                &mut self.attributes,
            );
        }
        // Relations as R lines between the T numbers just given.
        for (k, r) in a.relations.iter().enumerate() {
            if let (Some(f), Some(t)) = (number.get(r.from.as_str()), number.get(r.to.as_str())) {
                let ty = self.names_of.name(&r.label, type_name);
                self.relation_types.insert(ty.clone());
                let _ = writeln!(ann, "R{}\t{ty} Arg1:{f} Arg2:{t}\t", k + 1);
                if let Some(note) = &r.note {
                    extras.add(
                        &format!("R{}", k + 1),
                        Some(note),
                        &[],
                        &[],
                        &mut self.attributes,
                    );
                }
            }
        }
        // Events: E numbers first, an event may be another's argument.
        let mut refs: HashMap<&str, String> = number.clone();
        for (k, e) in a.events.iter().enumerate() {
            refs.insert(&e.id, format!("E{}", k + 1));
        }
        for (k, e) in a.events.iter().enumerate() {
            let Some(trigger) = number.get(e.trigger.as_str()) else {
                continue;
            };
            let ty = self.names_of.name(&e.label, type_name);
            let mut line = format!("E{}\t{ty}:{trigger}", k + 1);
            let roles = self.event_types.entry(ty).or_default();
            for (role, to) in &e.args {
                let Some(to) = refs.get(to.as_str()) else {
                    continue;
                };
                let role = type_name(role);
                roles.insert(
                    role.trim_end_matches(|c: char| c.is_ascii_digit())
                        .to_string(),
                );
                let _ = write!(line, " {role}:{to}");
            }
            let _ = writeln!(ann, "{line}");
            extras.add(
                &format!("E{}", k + 1),
                e.note.as_deref(),
                &e.attributes,
                &e.norms,
                &mut self.attributes,
            );
        }
        for q in a.equivalences {
            let members: Vec<&str> = q
                .members
                .iter()
                .filter_map(|m| number.get(m.as_str()).map(String::as_str))
                .collect();
            if members.len() >= 2 {
                let ty = self.names_of.name(&q.label, type_name);
                self.relation_types.insert(format!(
                    "{ty}\tArg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric-transitive"
                ));
                let _ = writeln!(ann, "*\t{ty} {}", members.join(" "));
            }
        }
        ann.push_str(&extras.out);
        let written = if self.lf && !lf.is_trivial() {
            std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        write_atomic(&self.dir.join(format!("{name}.txt")), written.as_bytes())?;
        write_atomic(&self.dir.join(format!("{name}.ann")), ann.as_bytes())?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<Vec<String>> {
        let mut conf = String::from("# Written by gloss: the labels of this export.\n[entities]\n");
        for t in self.types.keys() {
            let _ = writeln!(conf, "{t}");
        }
        // Nested and overlapping annotations are allowed, as in gloss.
        conf.push_str("\n[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n");
        for r in &self.relation_types {
            if r.contains('\t') {
                let _ = writeln!(conf, "{r}");
            } else {
                let _ = writeln!(conf, "{r}\tArg1:<ENTITY>, Arg2:<ENTITY>");
            }
        }
        conf.push_str("\n[events]\n");
        for (ty, roles) in &self.event_types {
            let args: Vec<String> = roles
                .iter()
                .map(|r| format!("{r}*:<ENTITY>|<EVENT>"))
                .collect();
            let _ = writeln!(conf, "{ty}\t{}", args.join(", "));
        }
        conf.push_str("\n[attributes]\n");
        for (name, values) in &self.attributes {
            if values.is_empty() {
                let _ = writeln!(conf, "{name}\tArg:<ANY>");
            } else {
                let v: Vec<&str> = values.iter().map(String::as_str).collect();
                let _ = writeln!(conf, "{name}\tArg:<ANY>, Value:{}", v.join("|"));
            }
        }
        write_atomic(&self.dir.join("annotation.conf"), conf.as_bytes())?;
        let mut visual =
            String::from("# Written by gloss: the labels' colours.\n[labels]\n\n[drawing]\n");
        for (t, c) in &self.types {
            if let Some(c) = c {
                let _ = writeln!(visual, "{t}\tbgColor:{c}");
            }
        }
        write_atomic(&self.dir.join("visual.conf"), visual.as_bytes())?;
        let mut warnings = self
            .names_of
            .warnings("brat", "brat type names allow A-Z, a-z, 0-9, _ and -");
        warnings.extend(self.collisions.iter().map(|c| format!("brat: {c}")));
        Ok(warnings)
    }
}

/// Reads one `.ann` file (`name` is its brat name, for messages): text
/// bound annotations (`T`, discontinuous ones with their fragments),
/// relations (`R`), events (`E`), attributes (`A`, and the old `M`),
/// normalisations (`N`), equivalences (`*`) and notes (`#`) on any of
/// them, several notes on one joined a line each. A line brat could not
/// read either is skipped with its place and why.
pub fn read_ann(name: &str, src: &str, text: Option<String>, input: &mut Input) -> ImportDoc {
    let mut spans: Vec<Span> = vec![];
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut notes: Vec<(String, String, String)> = vec![];
    let mut relations: Vec<ImportRelation> = vec![];
    let mut events: Vec<ImportEvent> = vec![];
    let mut equivalences: Vec<ImportEquivalence> = vec![];
    // (target, name, value, where) and (target, norm, where), put on their
    // targets once every line is read.
    let mut attrs: Vec<(String, String, Option<String>, String)> = vec![];
    let mut norms: Vec<(String, Norm, String)> = vec![];
    let file = format!("{name}.ann");
    for (i, line) in src.lines().enumerate() {
        let origin = format!("{file}:{}", i + 1);
        let mut skip = |kind: &str, detail: &str| {
            input.skipped.push(Skip::new(&origin, kind, detail));
        };
        if line.trim().is_empty() {
            continue;
        }
        match line.as_bytes()[0] {
            b'T' => {
                let mut cols = line.splitn(3, '\t');
                let (Some(id), Some(mid), mention) = (cols.next(), cols.next(), cols.next()) else {
                    skip("a T line without a type and offsets", "");
                    continue;
                };
                let Some((ty, offs)) = mid.split_once(' ') else {
                    skip("a T line without offsets", mid);
                    continue;
                };
                let frags: Option<Vec<(usize, usize)>> = offs
                    .split(';')
                    .map(|f| {
                        let (a, b) = f.trim().split_once(' ')?;
                        Some((a.parse().ok()?, b.parse().ok()?))
                    })
                    .collect();
                let Some(frags) = frags.filter(|f| !f.is_empty()) else {
                    skip("a T line whose offsets are not START END pairs", offs);
                    continue;
                };
                let lo = frags.iter().map(|f| f.0).min().unwrap_or(0);
                let hi = frags.iter().map(|f| f.1).max().unwrap_or(0);
                ids.insert(id.to_string(), spans.len());
                spans.push(Span {
                    start: CharPos(lo),
                    end: CharPos(hi),
                    fragments: if frags.len() > 1 {
                        frags.iter().map(|&(a, b)| CharPos(a)..CharPos(b)).collect()
                    } else {
                        vec![]
                    },
                    label: ty.to_string(),
                    // brat joins fragments' text with a space.
                    quote: (frags.len() == 1).then(|| mention.unwrap_or("").to_string()),
                    link: Some(id.to_string()),
                    origin: format!("{origin} ({id})"),
                    ..Span::default()
                });
            }
            b'#' => {
                let mut cols = line.splitn(3, '\t');
                let _ = cols.next();
                match (cols.next(), cols.next()) {
                    (Some(what), Some(note)) => match what.split_once(' ') {
                        Some((_, target)) => notes.push((
                            target.trim().to_string(),
                            note.to_string(),
                            origin.clone(),
                        )),
                        None => skip("a note without the annotation it is on", what),
                    },
                    _ => skip("a note line without a note", ""),
                }
            }
            b'R' => {
                // R1<TAB>TYPE Arg1:T1 Arg2:T2
                let mut cols = line.splitn(3, '\t');
                let (Some(id), Some(mid)) = (cols.next(), cols.next()) else {
                    skip("an R line without a type and arguments", "");
                    continue;
                };
                let mut parts = mid.split_whitespace();
                let ty = parts.next().unwrap_or_default();
                let args: Vec<&str> = parts
                    .filter_map(|p| p.split_once(':').map(|x| x.1))
                    .collect();
                let [from, to] = args[..] else {
                    skip("a relation without two arguments", mid);
                    continue;
                };
                relations.push(ImportRelation {
                    id: None,
                    label: ty.to_string(),
                    from: from.to_string(),
                    to: to.to_string(),
                    note: None,
                    origin: format!("{origin} ({id})"),
                });
            }
            b'E' => {
                // E1<TAB>TYPE:TRIGGER ROLE:ID ROLE:ID
                let mut cols = line.splitn(3, '\t');
                let (Some(id), Some(mid)) = (cols.next(), cols.next()) else {
                    skip("an E line without a type and trigger", "");
                    continue;
                };
                let mut parts = mid.split_whitespace();
                let Some((ty, trigger)) = parts.next().and_then(|p| p.split_once(':')) else {
                    skip("an event without TYPE:TRIGGER", mid);
                    continue;
                };
                let args: Option<Vec<(String, String)>> = parts
                    .map(|p| {
                        p.split_once(':')
                            .map(|(r, x)| (r.to_string(), x.to_string()))
                    })
                    .collect();
                let Some(args) = args else {
                    skip("an event argument that is not ROLE:ID", mid);
                    continue;
                };
                events.push(ImportEvent {
                    id: None,
                    link: Some(id.to_string()),
                    label: ty.to_string(),
                    trigger: trigger.to_string(),
                    args,
                    origin: format!("{origin} ({id})"),
                    ..ImportEvent::default()
                });
            }
            b'A' | b'M' => {
                // A1<TAB>NAME TARGET [VALUE]
                let mut cols = line.splitn(3, '\t');
                let (Some(_), Some(mid)) = (cols.next(), cols.next()) else {
                    skip("an A line without a name and target", "");
                    continue;
                };
                let parts: Vec<&str> = mid.split_whitespace().collect();
                match parts[..] {
                    [name, target] => {
                        attrs.push((target.to_string(), name.to_string(), None, origin.clone()))
                    }
                    [name, target, value] => attrs.push((
                        target.to_string(),
                        name.to_string(),
                        Some(value.to_string()),
                        origin.clone(),
                    )),
                    _ => skip("an attribute that is not NAME TARGET [VALUE]", mid),
                }
            }
            b'N' => {
                // N1<TAB>Reference TARGET DB:ID<TAB>TEXT
                let mut cols = line.splitn(3, '\t');
                let (Some(_), Some(mid), text) = (cols.next(), cols.next(), cols.next()) else {
                    skip("an N line without a reference", "");
                    continue;
                };
                let parts: Vec<&str> = mid.split_whitespace().collect();
                match parts[..] {
                    [kind, target, reference] => norms.push((
                        target.to_string(),
                        Norm {
                            kind: kind.to_string(),
                            reference: reference.to_string(),
                            text: text.unwrap_or("").to_string(),
                        },
                        origin.clone(),
                    )),
                    _ => skip("a normalisation that is not TYPE TARGET DB:ID", mid),
                }
            }
            b'*' => {
                // *<TAB>Equiv T1 T2 T3
                let mut cols = line.splitn(3, '\t');
                let (Some(_), Some(mid)) = (cols.next(), cols.next()) else {
                    skip("a * line without a type and members", "");
                    continue;
                };
                let mut parts = mid.split_whitespace();
                let label = parts.next().unwrap_or_default().to_string();
                let members: Vec<String> = parts.map(str::to_string).collect();
                if members.len() < 2 {
                    skip("an equivalence of fewer than two", mid);
                    continue;
                }
                equivalences.push(ImportEquivalence {
                    label,
                    members,
                    origin: origin.clone(),
                });
            }
            _ => skip("a line brat does not know", ""),
        }
    }
    let event_ids: BTreeMap<String, usize> = events
        .iter()
        .enumerate()
        .filter_map(|(k, e)| Some((e.link.clone()?, k)))
        .collect();
    for (target, name, value, origin) in attrs {
        if let Some(&k) = ids.get(&target) {
            spans[k].attributes.push((name, value));
        } else if let Some(&k) = event_ids.get(&target) {
            events[k].attributes.push((name, value));
        } else {
            input.unheld.push(Skip::new(
                origin,
                "an attribute on an annotation gloss does not hold",
                target,
            ));
        }
    }
    for (target, norm, origin) in norms {
        if let Some(&k) = ids.get(&target) {
            spans[k].norms.push(norm);
        } else if let Some(&k) = event_ids.get(&target) {
            events[k].norms.push(norm);
        } else {
            input.unheld.push(Skip::new(
                origin,
                "a normalisation on an annotation gloss does not hold",
                target,
            ));
        }
    }
    let rel_ids: BTreeMap<String, usize> = relations
        .iter()
        .enumerate()
        .filter_map(|(k, r)| {
            let id = r
                .origin
                .rsplit_once(" (")?
                .1
                .trim_end_matches(')')
                .to_string();
            Some((id, k))
        })
        .collect();
    for (target, note, origin) in notes {
        let slot = if let Some(&k) = ids.get(&target) {
            &mut spans[k].note
        } else if let Some(&k) = rel_ids.get(&target) {
            &mut relations[k].note
        } else if let Some(&k) = event_ids.get(&target) {
            &mut events[k].note
        } else {
            input.unheld.push(Skip::new(
                origin,
                "a note on an annotation gloss does not hold",
                target,
            ));
            continue;
        };
        // Two notes on one annotation: both kept, a line each.
        match slot {
            Some(n) => {
                n.push('\n');
                n.push_str(&note);
            }
            None => *slot = Some(note),
        }
    }
    ImportDoc {
        origin: file,
        path: Some(article_for(name)),
        text,
        spans,
        relations,
        doc_labels: vec![],
        tagged: vec![],
        events,
        equivalences,
        codepoints_sure: true,
        ..ImportDoc::default()
    }
}

/// Reads a brat folder: every `.ann` below `dir`, with its `.txt`.
pub fn read_dir(dir: &Path) -> Result<Input, ReadError> {
    let mut input = Input::default();
    let files = super::files_in(dir, "ann");
    if files.is_empty() {
        return Err(ReadError {
            origin: dir.display().to_string(),
            message: "no .ann file in this folder".into(),
        });
    }
    for (f, name) in files {
        let src = match fsio::read_capped_string(&f, super::MAX_INPUT_BYTES) {
            Ok(s) => s,
            Err(e) => {
                input.skipped.push(Skip::new(
                    f.display().to_string(),
                    "an .ann file that cannot be read",
                    e.to_string(),
                ));
                continue;
            }
        };
        // A `.txt` that is not a regular file (a FIFO) is not read: the
        // spans are then checked against the article alone.
        let text = fsio::read_capped_string(&f.with_extension("txt"), super::MAX_INPUT_BYTES).ok();
        let doc = read_ann(&name, &src, text, &mut input);
        input.docs.push(doc);
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_both_ways() {
        assert_eq!(brat_name("sub/a.txt"), "sub/a");
        assert_eq!(article_for("sub/a"), "sub/a.txt");
        assert_eq!(brat_name("b.md"), "b.md");
        assert_eq!(article_for("b.md"), "b.md");
    }

    #[test]
    fn spans_across_lines_become_fragments() {
        let t = "ab\r\ncd\nef";
        assert_eq!(fragments(t, 0..6), vec![0..2, 4..6]);
        assert_eq!(fragments(t, 1..9), vec![1..2, 4..6, 7..9]);
        let mut input = Input::default();
        let doc = read_ann(
            "x",
            "T1\tORG 0 2\tab\n#1\tAnnotatorNotes T1\ta note\n#2\tAnnotatorNotes T1\tanother\nR1\tRel Arg1:T1 Arg2:T1\n#3\tAnnotatorNotes R1\ton the relation\nT2\tORG 0 2;4 6\tab cd\nE1\tGo:T1\nbogus\n",
            None,
            &mut input,
        );
        assert_eq!(
            (doc.spans[0].start, doc.spans[0].end),
            (CharPos(0), CharPos(2))
        );
        assert_eq!(doc.spans[0].note.as_deref(), Some("a note\nanother"));
        assert_eq!(doc.relations[0].note.as_deref(), Some("on the relation"));
        assert_eq!(doc.path.as_deref(), Some("x.txt"));
        assert_eq!(
            doc.spans[1].fragments,
            [CharPos(0)..CharPos(2), CharPos(4)..CharPos(6)]
        );
        assert!(input.unheld.is_empty(), "{:?}", input.unheld);
        assert_eq!(doc.events.len(), 1);
        assert_eq!(
            (doc.events[0].label.as_str(), doc.events[0].trigger.as_str()),
            ("Go", "T1")
        );
        assert_eq!(input.skipped.len(), 1, "{:?}", input.skipped);
        assert!(
            input.skipped[0].origin.ends_with("x.ann:8"),
            "{:?}",
            input.skipped
        );
    }

    #[test]
    fn type_names_are_brat_safe() {
        assert_eq!(type_name("PERSON"), "PERSON");
        assert_eq!(type_name("ISLAND STATE"), "ISLAND_STATE");
        assert_eq!(type_name("Ünï"), "_n_");
    }
}
