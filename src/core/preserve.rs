//! Writing over a file that a person, another tool or a newer gloss may
//! have edited: gloss's own keys are updated in place and everything else
//! (keys and tables gloss does not know, comments, the order and layout of
//! what did not change) is kept, as cargo keeps a `Cargo.toml` it edits.
//!
//! The new content is first written by gloss's own writer (so escapes and
//! the order of gloss's keys are its usual ones), then carried onto the old
//! document record by record, matched by `id`.

use std::collections::HashMap;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

/// The keys of a sidecar's top level and records that gloss writes, in the
/// order it writes them. Any other key belongs to someone else.
pub const SIDECAR_TOP: [&str; 5] = ["format", "article", "fingerprint", "encoding", "status"];
/// The keys of a record that gloss writes, in the order it writes them.
const RECORD_ORDER: [&str; 14] = [
    "id",
    "start",
    "end",
    "label",
    "quote",
    "prefix",
    "suffix",
    "part_of",
    "attributes",
    "norms",
    "review",
    "note",
    "annotator",
    "created",
];
/// The arrays of records in a sidecar, each with its keys in the order
/// gloss writes them.
pub const RECORD_ARRAYS: [(&str, &[&str]); 7] = [
    ("annotation", &RECORD_ORDER),
    ("orphan", &RECORD_ORDER),
    (
        "relation",
        &["id", "label", "from", "to", "note", "annotator", "created"],
    ),
    (
        "document_label",
        &["id", "group", "label", "note", "annotator", "created"],
    ),
    (
        "event",
        &[
            "id",
            "label",
            "trigger",
            "args",
            "attributes",
            "norms",
            "note",
            "annotator",
            "created",
        ],
    ),
    (
        "equivalence",
        &["id", "label", "members", "annotator", "created"],
    ),
    (
        "suggestion",
        &[
            "id",
            "start",
            "end",
            "label",
            "quote",
            "prefix",
            "suffix",
            "source",
            "score",
            "decision",
            "annotation",
            "created",
        ],
    ),
];

/// Whether two values hold the same thing, whatever their spelling
/// (`'a'` and `"a"`, `0x10` and `16`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Integer(x), Value::Integer(y)) => x.value() == y.value(),
        (Value::Float(x), Value::Float(y)) => x.value().to_bits() == y.value().to_bits(),
        (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
        (Value::Datetime(x), Value::Datetime(y)) => x.value() == y.value(),
        _ => false,
    }
}

/// Sets `slot` to `new` unless it already holds the same value; the old
/// value's surroundings (comments after it, spacing) are kept.
fn set_value(slot: &mut Item, new: &Value) {
    match slot.as_value_mut() {
        Some(old) if same(old, new) => {}
        Some(old) => {
            let decor = old.decor().clone();
            *old = new.clone();
            *old.decor_mut() = decor;
        }
        None => *slot = Item::Value(new.clone()),
    }
}

/// The records of array `key` in `doc` as tables, whether the file wrote
/// them as `[[key]]` tables or as an array of inline tables.
fn take_records(doc: &mut Table, key: &str) -> Vec<Table> {
    // Taken out of its slot, not removed: the key keeps its place among
    // the document's tables, and so do the records put back.
    let Some(slot) = doc.get_mut(key) else {
        return vec![];
    };
    match std::mem::take(slot) {
        Item::ArrayOfTables(a) => a.into_iter().collect(),
        Item::Value(Value::Array(a)) => a
            .into_iter()
            .filter_map(|v| match v {
                Value::InlineTable(t) => Some(t.into_table()),
                _ => None,
            })
            .collect(),
        other => {
            // Not records: leave it where it was.
            *slot = other;
            vec![]
        }
    }
}

/// Puts records back into the slot `take_records` emptied (or a new one),
/// or drops the key when there are none.
fn put_records(doc: &mut Table, key: &str, out: ArrayOfTables) {
    if out.is_empty() {
        if doc.get(key).is_some_and(Item::is_none) {
            doc.remove(key);
        }
        return;
    }
    match doc.get_mut(key) {
        Some(slot) if slot.is_none() => *slot = Item::ArrayOfTables(out),
        Some(_) => {}
        None => {
            doc.insert(key, Item::ArrayOfTables(out));
        }
    }
}

/// Every record's table in `src`, by id: what a record carried that gloss
/// does not know, so that a record deleted and brought back (undo, a
/// merge) gets it back too.
pub fn record_tables(src: &str) -> HashMap<String, Table> {
    let Ok(doc) = src.parse::<DocumentMut>() else {
        return HashMap::new();
    };
    let mut out = HashMap::new();
    for (key, _) in RECORD_ARRAYS {
        if let Some(a) = doc.get(key).and_then(Item::as_array_of_tables) {
            for t in a.iter() {
                if let Some(id) = id_of(t) {
                    out.insert(id, t.clone());
                }
            }
        }
    }
    out
}

fn id_of(t: &Table) -> Option<String> {
    t.get("id")?.as_str().map(str::to_string)
}

/// Brings record `old` to hold what `new` holds for gloss's keys, keeping
/// its other keys where they are. A key gloss adds goes after the last of
/// gloss's keys that comes before it in gloss's order.
fn update_record(old: &mut Table, new: &Table, order: &[&str]) {
    let mut added = false;
    for &key in order {
        match (old.contains_key(key), new.get(key).and_then(Item::as_value)) {
            (true, Some(v)) => set_value(&mut old[key], v),
            (true, None) => {
                old.remove(key);
            }
            (false, Some(v)) => {
                old.insert(key, Item::Value(v.clone()));
                added = true;
            }
            (false, None) => {}
        }
    }
    if added {
        // Each key's rank: gloss's keys by gloss's order, any other key
        // just after the key it followed; the sort is stable.
        let mut rank: HashMap<String, f64> = HashMap::new();
        let mut last = -1.0;
        let rank_of = |k: &str| order.iter().position(|o| *o == k);
        let keys: Vec<String> = old.iter().map(|(k, _)| k.to_string()).collect();
        for k in &keys {
            let r = match rank_of(k) {
                Some(i) => i as f64,
                None => last + 0.5,
            };
            if rank_of(k).is_some() {
                last = r;
            }
            rank.insert(k.clone(), r);
        }
        old.sort_values_by(|a, _, b, _| {
            let ra = rank.get(a.get()).copied().unwrap_or(f64::MAX);
            let rb = rank.get(b.get()).copied().unwrap_or(f64::MAX);
            ra.total_cmp(&rb)
        });
    }
}

/// `new` (a sidecar as gloss writes it) carried onto `old` (the sidecar on
/// disk, which holds things gloss does not know). Records are matched by
/// id: a kept record keeps its other keys and comments, a new one is put
/// after the record it follows, a removed one goes with its comments. A
/// record not in `old` but in `kept` (it was there once) comes back with
/// what it had.
pub fn rewrite_sidecar(
    old: &str,
    new: &str,
    kept: &HashMap<String, Table>,
) -> Result<String, toml_edit::TomlError> {
    let mut doc: DocumentMut = old.parse()?;
    let fresh: DocumentMut = new.parse()?;
    for key in SIDECAR_TOP {
        match (fresh.get(key).and_then(Item::as_value), doc.get_mut(key)) {
            (Some(v), Some(slot)) => set_value(slot, v),
            (Some(v), None) => {
                doc.insert(key, Item::Value(v.clone()));
            }
            (None, Some(_)) => {
                doc.remove(key);
            }
            (None, None) => {}
        }
    }
    for (key, order) in RECORD_ARRAYS {
        let mut olds: HashMap<String, Table> = HashMap::new();
        let mut anonymous = vec![];
        for t in take_records(doc.as_table_mut(), key) {
            match id_of(&t) {
                Some(id) => {
                    olds.insert(id, t);
                }
                None => anonymous.push(t),
            }
        }
        let news: Vec<&Table> = fresh
            .get(key)
            .and_then(Item::as_array_of_tables)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let mut out = ArrayOfTables::new();
        // Where the previous record stood in the document: a new record
        // without a place of its own is written right after it.
        let mut last_position = None;
        for n in news {
            let t = match id_of(n).and_then(|id| olds.remove(&id)) {
                Some(mut t) => {
                    update_record(&mut t, n, order);
                    t
                }
                None => {
                    let mut t = match id_of(n).and_then(|id| kept.get(&id)) {
                        Some(k) => {
                            let mut k = k.clone();
                            update_record(&mut k, n, order);
                            k
                        }
                        None => n.clone(),
                    };
                    t.set_position(last_position);
                    t
                }
            };
            if t.position().is_some() {
                last_position = t.position();
            }
            out.push(t);
        }
        // Records without an id cannot be matched; gloss never reads such
        // a file, but nothing is dropped here either.
        for t in anonymous {
            out.push(t);
        }
        put_records(doc.as_table_mut(), key, out);
    }
    Ok(doc.to_string())
}

/// `old` (a label schema) with the `[[label]]` tables of `new` appended;
/// everything already in `old` is kept as it is.
pub fn append_tables(old: &str, new: &str, key: &str) -> Result<String, toml_edit::TomlError> {
    let mut doc: DocumentMut = old.parse()?;
    let fresh: DocumentMut = new.parse()?;
    let Some(tables) = fresh.get(key).and_then(Item::as_array_of_tables) else {
        return Ok(old.to_string());
    };
    let mut list = take_records(doc.as_table_mut(), key);
    // After everything the file has: `None` positions follow the last
    // table written before them.
    for t in tables {
        let mut t = t.clone();
        t.set_position(None);
        list.push(t);
    }
    let mut out = ArrayOfTables::new();
    for t in list {
        out.push(t);
    }
    put_records(doc.as_table_mut(), key, out);
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = r#"# my own comment on the file
format = 1
article = "a.txt"
fingerprint = "sha256:00"
tool = "other"   # a key gloss does not know

[meta]
project = "x"

# checked by Ana
[[annotation]]
id = "a1"
start = 0
end = 4
label = "PER" # the label
quote = "Mark"
prefix = ""
suffix = " Esper"
confidence = 0.9
reviewed_by = "ana"
created = 2026-11-23T07:40:00Z

[[annotation]]
id = "gone"
start = 5
end = 10
label = "PER"
quote = "Esper"
prefix = "Mark "
suffix = ""
"#;

    #[test]
    fn unknown_keys_tables_and_comments_survive_an_edit() {
        let new = r#"format = 1
article = "a.txt"
fingerprint = "sha256:11"

[[annotation]]
id = "a1"
start = 0
end = 4
label = "ORG"
quote = "Mark"
prefix = ""
suffix = " Esper"
note = "a note"
created = 2026-11-23T07:40:00Z

[[annotation]]
id = "new"
start = 5
end = 10
label = "GPE"
quote = "Esper"
prefix = "Mark "
suffix = ""
"#;
        let out = rewrite_sidecar(OLD, new, &HashMap::new()).unwrap();
        for kept in [
            "# my own comment on the file",
            "tool = \"other\"   # a key gloss does not know",
            "[meta]\nproject = \"x\"",
            "# checked by Ana\n[[annotation]]",
            "label = \"ORG\" # the label",
            "confidence = 0.9\nreviewed_by = \"ana\"",
        ] {
            assert!(out.contains(kept), "{kept:?} lost from:\n{out}");
        }
        assert!(out.contains("fingerprint = \"sha256:11\""), "{out}");
        assert!(!out.contains("\"gone\""), "{out}");
        // The note goes after suffix, before the keys gloss does not know
        // that followed suffix, and before created.
        let at = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} in {out}"));
        assert!(at("suffix = \" Esper\"") < at("note = \"a note\""));
        assert!(at("note = \"a note\"") < at("created = "));
        assert!(at("label = \"ORG\"") < at("[[annotation]]\nid = \"new\""));
        // And it reads back as what gloss meant to write.
        let back: toml::Table = toml::from_str(&out).unwrap();
        let anns = back["annotation"].as_array().unwrap();
        assert_eq!(anns.len(), 2);
        assert_eq!(anns[1]["label"].as_str(), Some("GPE"));
        assert_eq!(anns[0]["confidence"].as_float(), Some(0.9));
    }

    #[test]
    fn writing_the_same_again_changes_nothing() {
        let same_again = rewrite_sidecar(OLD, OLD, &HashMap::new()).unwrap();
        assert_eq!(same_again, OLD);
    }

    #[test]
    fn labels_are_appended_after_everything_else() {
        let old = "# my labels\n[[label]]\nname = \"A\" # first\nkey = 1\nextra = true\n\n[tool]\nx = 1\n";
        let out = append_tables(old, "[[label]]\nname = \"B\"\nkey = 2\n", "label").unwrap();
        assert!(
            out.starts_with(
                "# my labels\n[[label]]\nname = \"A\" # first\nkey = 1\nextra = true\n"
            ),
            "{out}"
        );
        assert!(out.contains("[tool]\nx = 1"), "{out}");
        let back: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(back["label"].as_array().unwrap().len(), 2);
    }
}
