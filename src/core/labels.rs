//! The label schema (`labels.toml`): span labels (names, keys, colours,
//! descriptions), relation types (which labels they may link) and
//! document label groups (the choices for a whole article).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use super::colour::{self, Rgb};
use toml::Spanned;

use super::error::{LineError, Lines};
use super::save::write_atomic;
use super::sidecar::toml_string;
use super::writelock::WriteLock;
use super::{fsio, preserve};

/// The schema shipped with gloss, used when the annotations folder has none.
pub const DEFAULT_SCHEMA: &str = include_str!("../../annotations/labels.toml");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub name: String,
    /// 1 to 9, the digit that applies it.
    pub key: Option<u8>,
    /// A colour name or `#rrggbb`, interpreted by the interface.
    pub color: String,
    pub description: String,
}

/// A type of relation between two annotations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationType {
    pub name: String,
    /// 1 to 9: the digit that chooses it when relating.
    pub key: Option<u8>,
    pub color: String,
    pub description: String,
    /// Labels a relation of this type may start from; empty: any.
    pub from: Vec<String>,
    /// Labels it may point to; empty: any.
    pub to: Vec<String>,
}

impl RelationType {
    /// Whether it may link an annotation labelled `from` to one labelled
    /// `to`.
    pub fn allows(&self, from: &str, to: &str) -> bool {
        (self.from.is_empty() || self.from.iter().any(|l| l == from))
            && (self.to.is_empty() || self.to.iter().any(|l| l == to))
    }
}

/// A group of labels for whole articles: one choice (`multiple = false`)
/// or any number of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentGroup {
    pub name: String,
    pub choices: Vec<String>,
    pub multiple: bool,
    pub description: String,
}

/// Where a suggestion source named in the schema gets its proposals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuggestKind {
    /// A gazetteer file, its path as the schema gives it (relative to the
    /// schema's folder).
    Gazetteer(String),
    Patterns(String),
    /// The corpus's own annotations.
    Propagate,
    /// A command, run through `sh -c`: only when the person asks for the
    /// schema's commands (a schema from elsewhere may name anything).
    Command(String),
}

/// A suggestion source the schema names (`[[suggest]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestSource {
    pub name: String,
    pub kind: SuggestKind,
    /// Seconds a command may take over one article.
    pub timeout_secs: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    pub labels: Vec<Label>,
    pub relations: Vec<RelationType>,
    pub documents: Vec<DocumentGroup>,
    /// The suggestion sources (`[[suggest]]`), in order.
    pub suggest: Vec<SuggestSource>,
    /// Words after which a full stop does not end a sentence, besides the
    /// built-in ones (`[sentences] abbreviations`).
    pub abbreviations: Vec<String>,
}

#[derive(Deserialize, Default)]
struct RawSentences {
    #[serde(default)]
    abbreviations: Vec<String>,
}

#[derive(Deserialize)]
struct RawSchema {
    #[serde(default)]
    sentences: RawSentences,
    #[serde(default)]
    label: Vec<Spanned<RawLabel>>,
    #[serde(default)]
    relation: Vec<Spanned<RawRelationType>>,
    #[serde(default)]
    document: Vec<Spanned<RawDocumentGroup>>,
    #[serde(default)]
    suggest: Vec<Spanned<RawSuggest>>,
}

#[derive(Deserialize)]
struct RawSuggest {
    name: String,
    gazetteer: Option<String>,
    patterns: Option<String>,
    command: Option<String>,
    #[serde(default)]
    propagate: bool,
    timeout: Option<i64>,
}

#[derive(Deserialize)]
struct RawRelationType {
    name: String,
    key: Option<i64>,
    #[serde(default)]
    color: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    from: Vec<String>,
    #[serde(default)]
    to: Vec<String>,
}

#[derive(Deserialize)]
struct RawDocumentGroup {
    name: String,
    choices: Vec<String>,
    #[serde(default)]
    multiple: bool,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
struct RawLabel {
    name: String,
    key: Option<i64>,
    #[serde(default)]
    color: String,
    #[serde(default)]
    description: String,
}

/// Checks one entry of a list whose names and keys must be unique (labels,
/// relation types): its name is not empty nor seen, its key 1 to 9 and
/// free. Returns the key, or what is wrong.
fn check_entry(
    names: &mut HashSet<String>,
    keys: &mut HashSet<i64>,
    what: &str,
    name: &str,
    key: Option<i64>,
) -> Result<Option<u8>, String> {
    if name.trim().is_empty() {
        return Err(format!("a {what} has an empty name"));
    }
    if !names.insert(name.to_string()) {
        return Err(format!("{what} {name:?} is defined twice"));
    }
    match key {
        None => Ok(None),
        Some(k @ 1..=9) if keys.insert(k) => Ok(Some(k as u8)),
        Some(k @ 1..=9) => Err(format!("key {k} is given to two {what}s")),
        Some(k) => Err(format!("{what} {name:?}: key {k} is not 1 to 9")),
    }
}

impl Schema {
    pub fn parse(src: &str) -> Result<Schema, LineError> {
        let raw: RawSchema = toml::from_str(src).map_err(|e| LineError::from_toml(src, &e))?;
        let mut names = HashSet::new();
        let mut keys = HashSet::new();
        let mut labels = Vec::new();
        let lines = Lines::new(src);
        for item in raw.label {
            let line = lines.at(item.span().start);
            let l = item.into_inner();
            let bad = |message: String| LineError { line, message };
            let key = check_entry(&mut names, &mut keys, "label", &l.name, l.key).map_err(bad)?;
            labels.push(Label {
                name: l.name,
                key,
                color: l.color,
                description: l.description,
            });
        }
        let mut relations = Vec::new();
        let mut rel_names = HashSet::new();
        let mut rel_keys = HashSet::new();
        for item in raw.relation {
            let line = lines.at(item.span().start);
            let r = item.into_inner();
            let bad = |message: String| LineError { line, message };
            let key = check_entry(
                &mut rel_names,
                &mut rel_keys,
                "relation type",
                &r.name,
                r.key,
            )
            .map_err(bad)?;
            relations.push(RelationType {
                name: r.name,
                key,
                color: r.color,
                description: r.description,
                from: r.from,
                to: r.to,
            });
        }
        let mut documents = Vec::new();
        let mut groups = HashSet::new();
        for item in raw.document {
            let line = lines.at(item.span().start);
            let g = item.into_inner();
            let bad = |message: String| LineError { line, message };
            if g.name.trim().is_empty() {
                return Err(bad("a document group has an empty name".into()));
            }
            if !groups.insert(g.name.clone()) {
                return Err(bad(format!("document group {:?} is defined twice", g.name)));
            }
            if g.choices.is_empty() {
                return Err(bad(format!("document group {:?} has no choices", g.name)));
            }
            let mut seen = HashSet::new();
            if let Some(c) = g.choices.iter().find(|c| !seen.insert(c.as_str())) {
                return Err(bad(format!(
                    "document group {:?}: choice {c:?} is listed twice",
                    g.name
                )));
            }
            documents.push(DocumentGroup {
                name: g.name,
                choices: g.choices,
                multiple: g.multiple,
                description: g.description,
            });
        }
        let mut suggest = Vec::new();
        let mut sources = HashSet::new();
        for item in raw.suggest {
            let line = lines.at(item.span().start);
            let x = item.into_inner();
            let bad = |message: String| LineError { line, message };
            if x.name.trim().is_empty() || x.name.chars().any(char::is_control) {
                return Err(bad("a suggestion source needs a name".into()));
            }
            if !sources.insert(x.name.clone()) {
                return Err(bad(format!(
                    "suggestion source {:?} is defined twice",
                    x.name
                )));
            }
            let mut kinds = vec![];
            kinds.extend(x.gazetteer.map(SuggestKind::Gazetteer));
            kinds.extend(x.patterns.map(SuggestKind::Patterns));
            kinds.extend(x.command.map(SuggestKind::Command));
            if x.propagate {
                kinds.push(SuggestKind::Propagate);
            }
            let [kind] = <[SuggestKind; 1]>::try_from(kinds).map_err(|_| {
                bad(format!(
                    "suggestion source {:?}: give one of gazetteer, patterns, command or propagate = true",
                    x.name
                ))
            })?;
            let timeout_secs = match x.timeout {
                None => None,
                Some(t @ 1..=86_400) => Some(t as u32),
                Some(t) => {
                    return Err(bad(format!(
                        "suggestion source {:?}: timeout {t} is not 1 to 86400 seconds",
                        x.name
                    )));
                }
            };
            suggest.push(SuggestSource {
                name: x.name,
                kind,
                timeout_secs,
            });
        }
        Ok(Schema {
            labels,
            relations,
            documents,
            suggest,
            abbreviations: raw.sentences.abbreviations,
        })
    }

    pub fn default_schema() -> Schema {
        Schema::parse(DEFAULT_SCHEMA).unwrap_or_default()
    }

    /// The relation types that may link an annotation labelled `from` to
    /// one labelled `to`.
    pub fn relation_types_for<'a>(
        &'a self,
        from: &'a str,
        to: &'a str,
    ) -> impl Iterator<Item = &'a RelationType> {
        self.relations.iter().filter(move |r| r.allows(from, to))
    }

    pub fn document_group(&self, name: &str) -> Option<&DocumentGroup> {
        self.documents.iter().find(|g| g.name == name)
    }

    pub fn get(&self, name: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.name == name)
    }

    pub fn by_key(&self, key: u8) -> Option<&Label> {
        self.labels.iter().find(|l| l.key == Some(key))
    }

    /// Adds a label named `name` with the first free key and the next colour.
    pub fn add(&mut self, name: &str) -> &Label {
        let key = (1..=9).find(|k| self.by_key(*k).is_none());
        // As far as can be from every colour already in use, and readable.
        let taken: Vec<Rgb> = self
            .labels
            .iter()
            .filter_map(|l| Rgb::parse(&l.color))
            .collect();
        let color = colour::pick(&taken).hex();
        self.labels.push(Label {
            name: name.to_string(),
            key,
            color,
            description: String::new(),
        });
        &self.labels[self.labels.len() - 1]
    }

    /// The schema as TOML. The header comment of `DEFAULT_SCHEMA` is kept
    /// so a written schema still explains itself.
    pub fn write(&self) -> String {
        let mut out: String = DEFAULT_SCHEMA
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        for l in &self.labels {
            write_label(&mut out, l);
        }
        out
    }
}

fn write_label(out: &mut String, l: &Label) {
    let _ = writeln!(out, "\n[[label]]\nname = {}", toml_string(&l.name));
    if let Some(k) = l.key {
        let _ = writeln!(out, "key = {k}");
    }
    let _ = writeln!(out, "color = {}", toml_string(&l.color));
    let _ = writeln!(out, "description = {}", toml_string(&l.description));
}

/// The most a schema file may weigh: some 40,000 labels. Anything larger
/// (or endless, like `/dev/zero`) is refused before it is read.
pub const MAX_BYTES: u64 = 4 << 20;

/// A schema file as read, with what is wrong with it.
#[derive(Debug, Clone)]
pub struct SchemaFile {
    /// The file's labels, or the built-in ones when it is missing or broken.
    pub schema: Schema,
    /// Whether a file is there (sound or not): if so, gloss never writes
    /// it whole, only adds to it.
    pub on_disk: bool,
    /// Why the file's labels are not the ones in use: `file:line: why`.
    pub problem: Option<String>,
}

impl SchemaFile {
    /// Reads the schema at `path`: only a regular file, only up to
    /// `MAX_BYTES`.
    pub fn read(path: &Path) -> SchemaFile {
        let broken = |problem: String| SchemaFile {
            schema: Schema::default_schema(),
            on_disk: true,
            problem: Some(problem),
        };
        match fsio::read_capped_string(path, MAX_BYTES) {
            Ok(src) => match Schema::parse(&src) {
                Ok(schema) => SchemaFile {
                    schema,
                    on_disk: true,
                    problem: None,
                },
                Err(e) => broken(format!("{}:{}: {}", path.display(), e.line, e.message)),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => SchemaFile {
                schema: Schema::default_schema(),
                on_disk: false,
                problem: None,
            },
            Err(e) => broken(format!("{}: {e}", path.display())),
        }
    }
}

/// Adds `labels` to the schema file at `path`, under the folder's lock:
/// what the file holds is kept as it is (labels, comments, keys gloss
/// does not know, labels someone added while gloss ran) and the new ones
/// are appended, with a key that is still free there. Where there is no
/// file, `whole` is written. A file that cannot be read is never written.
/// Returns the schema the file holds afterwards.
pub fn save_labels(path: &Path, labels: &[Label], whole: &str) -> Result<Schema, String> {
    let _lock = WriteLock::acquire_beside(path).map_err(|e| e.to_string())?;
    let old = match fsio::read_capped_string(path, MAX_BYTES) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let schema = Schema::parse(whole).map_err(|e| e.to_string())?;
            write_atomic(path, whole.as_bytes())
                .map_err(|e| format!("{e}: cannot write {}", path.display()))?;
            return Ok(schema);
        }
        Err(e) => return Err(format!("{e}; the new label is kept for this session only")),
    };
    let mut on_disk = Schema::parse(&old).map_err(|e| {
        format!(
            "{}:{}: {}; not changed, the new label is kept for this session only",
            path.display(),
            e.line,
            e.message
        )
    })?;
    let mut tables = String::new();
    for l in labels {
        if on_disk.get(&l.name).is_some() {
            continue;
        }
        let mut l = l.clone();
        if l.key.is_some_and(|k| on_disk.by_key(k).is_some()) {
            l.key = (1..=9).find(|k| on_disk.by_key(*k).is_none());
        }
        write_label(&mut tables, &l);
        on_disk.labels.push(l);
    }
    if tables.is_empty() {
        return Ok(on_disk);
    }
    let content = preserve::append_tables(&old, &tables, "label").map_err(|e| {
        format!(
            "{}: cannot be edited in place ({})",
            path.display(),
            e.message()
        )
    })?;
    if let Some(why) = crate::core::commit::read_only(path) {
        return Err(why);
    }
    write_atomic(path, content.as_bytes())
        .map_err(|e| format!("{e}: cannot write {}", path.display()))?;
    Schema::parse(&content).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_schema_is_valid_and_keyed() {
        let s = Schema::parse(DEFAULT_SCHEMA).unwrap();
        assert!(s.labels.len() >= 7);
        for k in 1..=9 {
            assert!(s.by_key(k).is_some(), "key {k} unused");
        }
    }

    #[test]
    fn add_and_write_round_trip() {
        let mut s = Schema::parse("[[label]]\nname = \"A\"\nkey = 1\ncolor = \"red\"\n").unwrap();
        let l = s.add("NEW \"one\"").clone();
        assert_eq!(l.key, Some(2));
        assert_eq!(Schema::parse(&s.write()).unwrap(), s);
    }

    #[test]
    fn relation_types_and_document_groups() {
        let s = Schema::parse(
            "[[label]]\nname = \"PERSON\"\n\n[[relation]]\nname = \"MET\"\nkey = 1\nfrom = [\"PERSON\"]\nto = [\"PERSON\"]\n\n[[relation]]\nname = \"ANY\"\n\n[[document]]\nname = \"topic\"\nchoices = [\"politics\", \"sport\"]\nmultiple = true\n",
        )
        .unwrap();
        let names = |f: &str, t: &str| -> Vec<String> {
            s.relation_types_for(f, t).map(|r| r.name.clone()).collect()
        };
        assert_eq!(names("PERSON", "PERSON"), ["MET", "ANY"]);
        assert_eq!(names("PERSON", "GPE"), ["ANY"]);
        let g = s.document_group("topic").unwrap();
        assert!(g.multiple && g.choices == ["politics", "sport"]);
        // Old schemas, with labels only, still read.
        assert!(Schema::parse(DEFAULT_SCHEMA).unwrap().relations.is_empty());
        let e =
            Schema::parse("[[document]]\nname = \"t\"\nchoices = [\"a\", \"a\"]\n").unwrap_err();
        assert!(e.message.contains("listed twice"), "{e}");
        let e = Schema::parse(
            "[[relation]]\nname = \"A\"\nkey = 1\n\n[[relation]]\nname = \"B\"\nkey = 1\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 5);
    }

    #[test]
    fn bad_schemas_name_the_line() {
        let e =
            Schema::parse("[[label]]\nname = \"A\"\nkey = 1\n\n[[label]]\nname = \"B\"\nkey = 1\n")
                .unwrap_err();
        assert_eq!(e.line, 5);
        assert!(Schema::parse("[[label]]\nname = \"A\"\nkey = 12\n").is_err());
    }
}
