//! Every place a phrase stands, in one article or across the corpus, and
//! tagging places in an article's sidecar on disk (under the writers'
//! lock, merged with what the sidecar holds then): what `*` in the reader
//! does beyond the open article.

use std::ops::Range;
use std::path::Path;

use super::annotation::{Annotation, Store, new_id, now_rfc3339};
use super::article::read_article;
use super::commit::{CommitError, commit};
use super::corpus::Entry;
use super::offset::BytePos;
use super::sidecar;
use super::text::Text;

/// The most context kept on each side of a place, in bytes.
const CONTEXT_BYTES: usize = 400;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where `phrase` stands in `t` as whole words (not inside a longer word),
/// case as typed, on grapheme boundaries.
pub fn find_all(t: &Text, phrase: &str) -> Vec<Range<usize>> {
    let s = t.as_str();
    if phrase.trim().is_empty() {
        return vec![];
    }
    let starts_word = phrase.chars().next().is_some_and(is_word_char);
    let ends_word = phrase.chars().last().is_some_and(is_word_char);
    s.match_indices(phrase)
        .map(|(i, m)| i..i + m.len())
        .filter(|r| {
            let before = s[..r.start].chars().next_back();
            let after = s[r.end..].chars().next();
            (!starts_word || !before.is_some_and(is_word_char))
                && (!ends_word || !after.is_some_and(is_word_char))
                && t.is_grapheme_boundary(r.start)
                && t.is_grapheme_boundary(r.end)
        })
        .collect()
}

/// A place in another article: where, and its line around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub range: Range<usize>,
    pub line: usize,
    pub before: String,
    pub after: String,
}

/// The places of `phrase` in the article of `entry`, with context; none
/// when it cannot be read as text.
pub fn find_in_article(entry: &Entry, phrase: &str) -> Vec<Place> {
    let a = read_article(&entry.path);
    if a.problem.is_some() {
        return vec![];
    }
    let t = a.text;
    find_all(&t, phrase)
        .into_iter()
        .map(|r| {
            let line = t.line_of(r.start);
            let lr = t.line_range(line);
            let from = t.floor_boundary(r.start.saturating_sub(CONTEXT_BYTES).max(lr.start));
            let to = t.ceil_boundary((r.end + CONTEXT_BYTES).min(lr.end));
            Place {
                before: t.slice(from..r.start.max(from)).to_string(),
                after: t.slice(r.end.min(to)..to).to_string(),
                line,
                range: r,
            }
        })
        .collect()
}

/// Tags `ranges` of the article of `entry` with `label`, in its sidecar at
/// `path` (under `root`'s lock, merged with what the sidecar holds then;
/// what it holds that gloss does not know is kept). A range whose text is
/// no longer `phrase` (the article changed since it was found) or that
/// already has `label` is passed over. Returns how many were added.
pub fn tag_in_sidecar(
    root: &Path,
    path: &Path,
    entry: &Entry,
    phrase: &str,
    ranges: &[Range<usize>],
    label: &str,
    annotator: Option<&str>,
) -> Result<usize, String> {
    let a = read_article(&entry.path);
    if let Some(p) = a.problem {
        return Err(format!("{}: {p}", entry.rel));
    }
    let text = a.text;
    let mut added = 0;
    let done = commit(
        root,
        path,
        |_| true,
        |old, _| {
            let (src, store) = sidecar::store_of(path, old, &text)
                .map_err(|p| format!("{p}; the sidecar is left as it is"))?;
            let orphans = store.orphans.clone();
            let status = store.status();
            let relations = store.owned_relations();
            let doc_labels = store.owned_doc_labels();
            let mut anns = store.into_annotations();
            for r in ranges {
                if text.as_str().get(r.clone()) != Some(phrase)
                    || anns.iter().any(|x| x.range() == *r && x.label == label)
                {
                    continue;
                }
                let id = new_id(|x| {
                    anns.iter().any(|a: &Annotation| a.id == x) || orphans.iter().any(|o| o.id == x)
                });
                anns.push(Annotation {
                    id,
                    start: BytePos(r.start),
                    end: BytePos(r.end),
                    label: label.to_string(),
                    note: None,
                    review: None,
                    annotator: annotator.map(str::to_string),
                    created: now_rfc3339(),
                });
                added += 1;
            }
            let store = Store::new(anns, orphans).with_records(relations, doc_labels, status);
            let plain = src.is_none_or(sidecar::is_plain);
            sidecar::write_over(old, plain, &entry.rel, &text, &store)
        },
    );
    match done {
        Ok(_) => Ok(added),
        Err(CommitError::Failed(why)) => Err(format!("{}: not written: {why}", entry.rel)),
        Err(CommitError::Changed(_)) => unreachable!("every version is accepted"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_case_as_typed() {
        let t = Text::new("Esper met Esper. Espers and esper; Esper's.".into());
        assert_eq!(
            find_all(&t, "Esper").len(),
            3,
            "Espers and esper are not Esper"
        );
    }

    #[test]
    fn places_are_tagged_in_a_sidecar_on_disk_keeping_what_it_holds() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("annotations");
        std::fs::create_dir_all(&root).unwrap();
        let article = dir.path().join("a.txt");
        std::fs::write(&article, "Esper met Esper. Esper left.").unwrap();
        let entry = Entry {
            rel: "a.txt".into(),
            path: article,
        };
        let side = root.join("a.txt.toml");
        let t = Text::new("Esper met Esper. Esper left.".into());
        let ranges = find_all(&t, "Esper");
        let n = tag_in_sidecar(
            &root,
            &side,
            &entry,
            "Esper",
            &ranges[..2],
            "PERSON",
            Some("ana"),
        )
        .unwrap();
        assert_eq!(n, 2);
        // Someone adds a comment and a field by hand; the next tag keeps them.
        let src = std::fs::read_to_string(&side).unwrap();
        std::fs::write(
            &side,
            src.replacen("[[annotation]]", "# by hand\n[[annotation]]", 1),
        )
        .unwrap();
        let n = tag_in_sidecar(&root, &side, &entry, "Esper", &ranges, "PERSON", None).unwrap();
        assert_eq!(n, 1, "the two already there are passed over");
        let src = std::fs::read_to_string(&side).unwrap();
        assert!(src.contains("# by hand"), "{src}");
        assert_eq!(src.matches("[[annotation]]").count(), 3, "{src}");
        // A range whose text changed is passed over.
        let moved = [std::ops::Range { start: 4, end: 9 }];
        let n = tag_in_sidecar(&root, &side, &entry, "Esper", &moved, "ORG", None).unwrap();
        assert_eq!(n, 0);
    }
}
