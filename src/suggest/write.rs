//! Writing what sources proposed into an article's sidecar, as
//! suggestions: under the writers' lock, merged with what the sidecar
//! holds then, each proposal passed through `fresh` against it (so a
//! passage annotated, suggested or rejected meanwhile is not added).
//! `gloss suggest` and the app (for an article no longer open) both write
//! here.

use std::path::Path;

use super::{Candidate, Yield, fresh, ids_of};
use crate::core::commit::{CommitError, commit};
use crate::core::fsio;
use crate::core::sidecar;
use crate::core::text::Text;

/// What `apply` under the lock says when there is nothing to write.
const NOTHING: &str = "nothing new";

/// The suggestions each source's candidates make on the sidecar as `old`
/// holds it (new ones added to the store), with what each left out; the
/// sidecar's new content only if `render` (a dry run needs to know only
/// that there is one).
fn apply(
    path: &Path,
    rel: &str,
    text: &Text,
    old: Option<&[u8]>,
    proposed: &[(String, Vec<Candidate>)],
    render: bool,
) -> Result<(Option<String>, Vec<Yield>), String> {
    let (src, mut store) = sidecar::store_of(path, old, text)
        .map_err(|p| format!("{p}; the sidecar is left as it is"))?;
    let mut taken = ids_of(&store);
    let mut yields = vec![];
    let mut any = false;
    for (name, cands) in proposed {
        let (new, y) = fresh(text, &store, name, cands, &mut taken);
        any |= !new.is_empty();
        store.suggest(new);
        yields.push(y);
    }
    if !any {
        return Ok((None, yields));
    }
    if !render {
        return Ok((Some(String::new()), yields));
    }
    let plain = src.is_none_or(sidecar::is_plain);
    let content = sidecar::write_over(old, plain, rel, text, &store)?;
    Ok((Some(content), yields))
}

/// Adds the suggestions `proposed` (each source's name and candidates)
/// make to the sidecar of article `rel` at `path`, under `root`'s lock;
/// `yields` gets what each source added and left out. Whether the sidecar
/// was (or, with `dry_run`, would be) written.
pub fn suggestions(
    root: &Path,
    path: &Path,
    rel: &str,
    text: &Text,
    proposed: &[(String, Vec<Candidate>)],
    dry_run: bool,
    yields: &mut Vec<Yield>,
) -> Result<bool, String> {
    // Read once without the lock: most articles get nothing new, and
    // their sidecars are not touched.
    let before = fsio::read_capped(path, sidecar::MAX_BYTES).ok();
    // Whether there is anything new is all this first look needs: the
    // sidecar is written from what it holds under the lock.
    match apply(path, rel, text, before.as_deref(), proposed, false)? {
        (None, y) => {
            *yields = y;
            Ok(false)
        }
        (Some(_), y) if dry_run => {
            *yields = y;
            Ok(true)
        }
        (Some(_), _) => {
            let mut wrote = false;
            let done = commit(
                root,
                path,
                |_| true,
                |old, _| {
                    let (content, y) = apply(path, rel, text, old, proposed, true)?;
                    *yields = y;
                    wrote = content.is_some();
                    // Someone made them in between: nothing to write.
                    content.ok_or_else(|| NOTHING.to_string())
                },
            );
            match done {
                Ok(_) => Ok(wrote),
                Err(CommitError::Failed(why)) if why == NOTHING => Ok(false),
                Err(CommitError::Failed(why)) => Err(why),
                Err(CommitError::Changed(_)) => unreachable!("every version is accepted"),
            }
        }
    }
}
