//! Replacing a sidecar on disk the one way every gloss writer does it:
//! under the annotations folder's lock, read what the file holds now, and
//! write only if that is what the writer expects; the new text is made
//! from what is on disk, so that what gloss does not know of it is kept.

use std::path::Path;

use super::fsio;
use super::save::write_atomic;
use super::sidecar::{self, fingerprint};
use super::writelock::WriteLock;

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
