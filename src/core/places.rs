//! Every place a phrase stands, in one article or across the corpus, and
//! tagging places in an article's sidecar on disk (under the writers'
//! lock, merged with what the sidecar holds then): what `*` in the reader
//! does beyond the open article.

use std::ops::Range;
use std::path::Path;

use super::annotation::{Annotation, new_id, now_rfc3339};
use super::article::read_article;
use super::commit::{CommitError, commit};
use super::corpus::Entry;
use super::offset::BytePos;
use super::phrases::whole_words;
use super::sidecar;
use super::text::Text;

/// The most context kept on each side of a place, in bytes.
const CONTEXT_BYTES: usize = 400;

/// Where `phrase` stands in `t` as whole words (not inside a longer word),
/// case as typed, on grapheme boundaries.
pub fn find_all(t: &Text, phrase: &str) -> Vec<Range<usize>> {
    let s = t.as_str();
    if phrase.trim().is_empty() {
        return vec![];
    }
    s.match_indices(phrase)
        .map(|(i, m)| i..i + m.len())
        .filter(|r| {
            whole_words(s, r.start, r.end)
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

/// What `tag_in_sidecar` does with the annotations it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tagging {
    /// Adds each one whose place still reads `phrase` and does not already
    /// have its label there.
    Add,
    /// Takes each one back (an undo): only if the sidecar still holds it as
    /// it was added (same id, place and label); one changed since, by
    /// anyone, is left.
    Remove,
    /// Gives each the label it carries (a fix from the consistency
    /// check, or its undo): only if the sidecar still holds one with the
    /// same id and place.
    Relabel,
}

/// A tag for a place in another article, with the text it was found on:
/// one whose place no longer reads it (the article changed since) is
/// passed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceTag {
    pub ann: Annotation,
    pub quote: String,
}

/// The tags for one other article: its index in the list, its entry, its
/// sidecar, and the tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleTags {
    pub idx: usize,
    pub entry: Entry,
    pub sidecar: std::path::PathBuf,
    pub tags: Vec<PlaceTag>,
}

impl ArticleTags {
    /// The same tags, each with the label `label_of` gives it.
    pub fn relabelled(&self, label_of: impl Fn(&PlaceTag) -> String) -> ArticleTags {
        let mut out = self.clone();
        for t in &mut out.tags {
            t.ann.label = label_of(t);
        }
        out
    }
}

/// Adds, removes or relabels `tags` (annotations of the article of
/// `entry`, ids chosen by the caller so that an undo can name them) in its
/// sidecar at `path`, under `root`'s lock, merged with what the sidecar
/// holds then; what it holds that gloss does not know is kept. A tag whose
/// place no longer reads its quote (the article changed since it was
/// found), or that is already there, is passed over. Returns how many
/// were added, removed or relabelled.
pub fn tag_in_sidecar(
    root: &Path,
    path: &Path,
    entry: &Entry,
    tags: &[PlaceTag],
    how: Tagging,
) -> Result<usize, String> {
    let a = read_article(&entry.path);
    if let Some(p) = a.problem {
        return Err(format!("{}: {p}", entry.rel));
    }
    let text = a.text;
    let mut done_n = 0;
    let done = commit(
        root,
        path,
        |_| true,
        |old, _| {
            done_n = 0;
            let (src, store) = sidecar::store_of(path, old, &text)
                .map_err(|p| format!("{p}; the sidecar is left as it is"))?;
            let orphans = store.orphans.clone();
            let relations = store.owned_relations();
            let kept = store.snapshot();
            let mut have = store.into_annotations();
            for PlaceTag { ann: a, quote } in tags {
                let same = |x: &Annotation| x.range() == a.range() && x.label == a.label;
                match how {
                    Tagging::Add => {
                        if text.as_str().get(a.range()) != Some(quote.as_str())
                            || have.iter().any(|x| same(x) || x.id == a.id)
                            || orphans.iter().any(|o| o.id == a.id)
                        {
                            continue;
                        }
                        have.push(a.clone());
                    }
                    Tagging::Remove => {
                        let before = have.len();
                        // A relation or event made on it since keeps it:
                        // removing it would leave them pointing at nothing.
                        if relations.iter().any(|r| r.from == a.id || r.to == a.id)
                            || kept.events().iter().any(|e| e.uses(&a.id))
                            || kept
                                .equivalences()
                                .iter()
                                .any(|e| e.members.contains(&a.id))
                        {
                            continue;
                        }
                        have.retain(|x| !(x.id == a.id && same(x)));
                        if have.len() == before {
                            continue;
                        }
                    }
                    Tagging::Relabel => {
                        let Some(x) = have
                            .iter_mut()
                            .find(|x| x.id == a.id && x.range() == a.range())
                        else {
                            continue;
                        };
                        if x.label == a.label {
                            continue;
                        }
                        x.label = a.label.clone();
                        // A fix is a decision: nothing left to review.
                        x.review = None;
                    }
                }
                done_n += 1;
            }
            let store = kept.with_annotations(have);
            let plain = src.is_none_or(sidecar::is_plain);
            sidecar::write_over(old, plain, &entry.rel, &text, &store)
        },
    );
    match done {
        Ok(_) => Ok(done_n),
        Err(CommitError::Failed(why)) => Err(format!("{}: not written: {why}", entry.rel)),
        Err(CommitError::Changed(_)) => unreachable!("every version is accepted"),
    }
}

/// New annotations for `ranges` of an article, `label` on each, with ids
/// unlike any of `taken`.
pub fn new_tags(
    ranges: &[Range<usize>],
    label: &str,
    annotator: Option<&str>,
    taken: impl Fn(&str) -> bool,
) -> Vec<Annotation> {
    let mut out: Vec<Annotation> = vec![];
    for r in ranges {
        let id = new_id(|x| taken(x) || out.iter().any(|a| a.id == x));
        out.push(Annotation {
            id,
            start: BytePos(r.start),
            end: BytePos(r.end),
            label: label.to_string(),
            note: None,
            review: None,
            annotator: annotator.map(str::to_string),
            created: now_rfc3339(),
            ..Default::default()
        });
    }
    out
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
        let tag = |anns: &[Annotation], how| {
            let tags: Vec<PlaceTag> = anns
                .iter()
                .map(|a| PlaceTag {
                    ann: a.clone(),
                    quote: "Esper".into(),
                })
                .collect();
            tag_in_sidecar(&root, &side, &entry, &tags, how).unwrap()
        };
        let first = new_tags(&ranges[..2], "PERSON", Some("ana"), |_| false);
        assert_eq!(tag(&first, Tagging::Add), 2);
        // Someone adds a comment and a field by hand; the next tag keeps them.
        let src = std::fs::read_to_string(&side).unwrap();
        std::fs::write(
            &side,
            src.replacen("[[annotation]]", "# by hand\n[[annotation]]", 1),
        )
        .unwrap();
        let all = new_tags(&ranges, "PERSON", None, |_| false);
        assert_eq!(
            tag(&all, Tagging::Add),
            1,
            "the two already there are passed over"
        );
        let src = std::fs::read_to_string(&side).unwrap();
        assert!(src.contains("# by hand"), "{src}");
        assert_eq!(src.matches("[[annotation]]").count(), 3, "{src}");
        // A place whose text changed is passed over.
        let moved = new_tags(std::slice::from_ref(&(4..9)), "ORG", None, |_| false);
        assert_eq!(tag(&moved, Tagging::Add), 0);
        // Undo takes back exactly what it added, by id: the third.
        assert_eq!(tag(&all, Tagging::Remove), 1);
        let src = std::fs::read_to_string(&side).unwrap();
        assert_eq!(src.matches("[[annotation]]").count(), 2, "{src}");
        assert!(src.contains("# by hand"), "{src}");
        // One relabelled on disk since is left by the undo.
        let src = src.replacen("label = \"PERSON\"", "label = \"ORG\"", 1);
        std::fs::write(&side, &src).unwrap();
        assert_eq!(tag(&first, Tagging::Remove), 1, "only the unchanged one");
        let src = std::fs::read_to_string(&side).unwrap();
        assert_eq!(src.matches("[[annotation]]").count(), 1, "{src}");
        assert!(src.contains("label = \"ORG\""), "{src}");
        // Redo puts back what the undo took.
        assert_eq!(tag(&first, Tagging::Add), 1);
        // A relabel changes the label of the one with that id and place,
        // and again is nothing.
        let mut fix = first[..1].to_vec();
        fix[0].label = "GPE".into();
        assert_eq!(tag(&fix, Tagging::Relabel), 1);
        assert_eq!(tag(&fix, Tagging::Relabel), 0);
        let src = std::fs::read_to_string(&side).unwrap();
        assert!(src.contains("label = \"GPE\""), "{src}");
        assert!(src.contains("# by hand"), "{src}");
    }
}
