//! Replacing a sidecar on disk the one way every gloss writer does it:
//! under the annotations folder's lock, read what the file holds now, and
//! write only if that is what the writer expects; the new text is made
//! from what is on disk, so that what gloss does not know of it is kept.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::fsio;
use super::save::{Staged, stage_with, write_atomic};
use super::sidecar::{self, fingerprint};
use super::writelock::{WriteLock, check_inside};

#[derive(Debug)]
pub enum CommitError {
    /// Not written, and why; the file on disk is as it was.
    Failed(String),
    /// Not written: the file holds something the writer did not expect
    /// (`None`: it is gone). Merge with it and try again.
    Changed(Option<Vec<u8>>),
}

/// Writes the sidecar at `path` (below annotations folder `root`) under
/// the lock, if `expected` accepts the fingerprint of what it holds now
/// (`None`: no file). `render` makes the new text from the old one (given
/// with its fingerprint) and may refuse. Returns the fingerprint of what is
/// on disk afterwards.
pub fn commit(
    root: &Path,
    path: &Path,
    expected: impl FnOnce(Option<&str>) -> bool,
    render: impl FnOnce(Option<&[u8]>, Option<&str>) -> Result<String, String>,
) -> Result<String, CommitError> {
    let failed = |e: std::io::Error, what: &str| {
        // The cause first: the status line may have room for little.
        CommitError::Failed(format!("{e}: cannot {what} {}", path.display()))
    };
    let _lock = WriteLock::acquire(root, path).map_err(|e| CommitError::Failed(e.to_string()))?;
    let old = match fsio::read_capped(path, sidecar::MAX_BYTES) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(failed(e, "read before writing")),
    };
    let on_disk = old.as_deref().map(fingerprint);
    if !expected(on_disk.as_deref()) {
        return Err(CommitError::Changed(old));
    }
    if let Some(why) = read_only(path) {
        return Err(CommitError::Failed(why));
    }
    let content = render(old.as_deref(), on_disk.as_deref()).map_err(CommitError::Failed)?;
    if old.as_deref() == Some(content.as_bytes()) {
        return Ok(on_disk.unwrap_or_default());
    }
    write_atomic(path, content.as_bytes()).map_err(|e| failed(e, "write"))?;
    Ok(fingerprint(content.as_bytes()))
}

/// Why a change of many sidecars (`commit_all`) was not made. Whatever
/// the cause, every file is as it was (or, if putting one back failed
/// too, the message names it).
#[derive(Debug)]
pub enum CommitAllError {
    /// `render` refused one: its path and why.
    Refused(PathBuf, String),
    /// Reading, writing or renaming failed.
    Io(String),
}

/// Writes many sidecars below `root` as one change: under the lock (taken
/// once), each file's new text is made by `render` (given its index and
/// what the file holds now), then every new version is written and synced
/// beside its file, and only when all are written are they renamed into
/// place. A refusal, a full disk or any other failure before the renames
/// leaves every file untouched; a rename that fails puts back the files
/// already renamed. Returns, per path, whether it changed.
pub fn commit_all(
    root: &Path,
    paths: &[PathBuf],
    mut render: impl FnMut(usize, Option<&[u8]>) -> Result<String, String>,
) -> Result<Vec<bool>, CommitAllError> {
    let io = |e: std::io::Error, what: &str, p: &Path| {
        CommitAllError::Io(format!("{e}: cannot {what} {}", p.display()))
    };
    let Some(first) = paths.first() else {
        return Ok(vec![]);
    };
    for p in paths {
        check_inside(root, p).map_err(|e| CommitAllError::Io(e.to_string()))?;
    }
    let _lock = WriteLock::acquire(root, first).map_err(|e| CommitAllError::Io(e.to_string()))?;
    let mut olds: Vec<Option<Vec<u8>>> = Vec::with_capacity(paths.len());
    let mut staged: Vec<Option<Staged>> = Vec::with_capacity(paths.len());
    for (i, p) in paths.iter().enumerate() {
        let old = match fsio::read_capped(p, sidecar::MAX_BYTES) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(e, "read before writing", p)),
        };
        if let Some(why) = read_only(p) {
            return Err(CommitAllError::Refused(p.clone(), why));
        }
        let content =
            render(i, old.as_deref()).map_err(|why| CommitAllError::Refused(p.clone(), why))?;
        if old.as_deref() == Some(content.as_bytes()) {
            staged.push(None);
        } else {
            let s = stage_with(p, |f| f.write_all(content.as_bytes()))
                .map_err(|e| io(e, "write", p))?;
            staged.push(Some(s));
        }
        olds.push(old);
    }
    let changed: Vec<bool> = staged.iter().map(Option::is_some).collect();
    for (k, s) in staged.into_iter().enumerate() {
        let Some(s) = s else { continue };
        let path = s.path().to_path_buf();
        if let Err(e) = s.commit() {
            // Put back the ones renamed already, newest first.
            let mut stuck = vec![];
            for j in (0..k).rev().filter(|&j| changed[j]) {
                let p = &paths[j];
                let back = match &olds[j] {
                    Some(b) => write_atomic(p, b),
                    None => std::fs::remove_file(p),
                };
                if let Err(e) = back {
                    stuck.push(format!("{} ({e})", p.display()));
                }
            }
            let mut msg = format!("{e}: cannot rename the new {} into place", path.display());
            if stuck.is_empty() {
                msg.push_str("; every sidecar is as it was");
            } else {
                msg.push_str(&format!(
                    "; these could not be put back and hold the import: {}",
                    stuck.join(", ")
                ));
            }
            return Err(CommitAllError::Io(msg));
        }
    }
    Ok(changed)
}

/// Why the file at `path` must not be replaced although the folder allows
/// it: its mode says nobody may write it (a rename would replace it all
/// the same, even as its owner).
pub fn read_only(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let m = std::fs::symlink_metadata(path).ok()?;
    (m.is_file() && m.permissions().mode() & 0o222 == 0).then(|| {
        format!(
            "{} is read-only (mode {:o}); gloss does not replace it. Make it writable (chmod u+w) to save changes",
            path.display(),
            m.permissions().mode() & 0o7777
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_what_it_expects_to_replace() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a.txt.toml");
        let fp = commit(tmp.path(), &p, |d| d.is_none(), |_, _| Ok("one".into())).unwrap();
        assert_eq!(fp, fingerprint(b"one"));
        // Someone else wrote in between: not replaced, their bytes back.
        std::fs::write(&p, "theirs").unwrap();
        match commit(
            tmp.path(),
            &p,
            |d| d == Some(fp.as_str()),
            |_, _| Ok("two".into()),
        ) {
            Err(CommitError::Changed(Some(b))) => assert_eq!(b, b"theirs"),
            other => panic!("{other:?}"),
        }
        assert_eq!(std::fs::read(&p).unwrap(), b"theirs");
        // The renderer sees what is on disk.
        commit(
            tmp.path(),
            &p,
            |_| true,
            |old, _| Ok(format!("{}+mine", String::from_utf8_lossy(old.unwrap()))),
        )
        .unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"theirs+mine");
    }

    #[test]
    fn many_sidecars_change_together_or_not_at_all() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let paths: Vec<PathBuf> = ["a.toml", "sub/b.toml", "c.toml"]
            .iter()
            .map(|p| root.join(p))
            .collect();
        std::fs::write(&paths[0], "old a").unwrap();
        // The third refuses: nothing is written, not even the first two.
        let r = commit_all(root, &paths, |i, _| {
            if i == 2 {
                Err("no".into())
            } else {
                Ok(format!("new {i}"))
            }
        });
        assert!(
            matches!(r, Err(CommitAllError::Refused(ref p, _)) if p == &paths[2]),
            "{r:?}"
        );
        assert_eq!(std::fs::read(&paths[0]).unwrap(), b"old a");
        assert!(!paths[1].exists());
        let temps = walkdir::WalkDir::new(root)
            .into_iter()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count();
        assert_eq!(temps, 0, "no temp file left");
        // All accepted: all written; one unchanged is not touched.
        std::fs::write(&paths[2], "same").unwrap();
        let changed = commit_all(root, &paths, |i, old| {
            Ok(if i == 2 {
                String::from_utf8(old.unwrap().to_vec()).unwrap()
            } else {
                format!("new {i}")
            })
        })
        .unwrap();
        assert_eq!(changed, [true, true, false]);
        assert_eq!(std::fs::read(&paths[1]).unwrap(), b"new 1");
        // Nothing is written through a link.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/tmp", root.join("out")).unwrap();
            let r = commit_all(root, &[root.join("out/x.toml")], |_, _| Ok("x".into()));
            assert!(matches!(r, Err(CommitAllError::Io(_))), "{r:?}");
        }
    }

    #[test]
    fn a_read_only_sidecar_is_not_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a.txt.toml");
        std::fs::write(&p, "mine").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
        match commit(tmp.path(), &p, |_| true, |_, _| Ok("new".into())) {
            Err(CommitError::Failed(m)) => assert!(m.contains("read-only (mode 444)"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(std::fs::read(&p).unwrap(), b"mine");
    }

    #[test]
    fn a_fifo_in_place_of_a_sidecar_is_refused_without_blocking() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a.txt.toml");
        let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        match commit(tmp.path(), &p, |_| true, |_, _| Ok("new".into())) {
            Err(CommitError::Failed(m)) => assert!(m.contains("FIFO"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}
