//! Atomic writes: a temp file in the same folder, fsync, rename over the
//! target, fsync the folder. A reader sees the old file or the new one,
//! never a part of either, whatever happens in between.

use std::fs::{self, File, Permissions};
use std::io::{self, Write};
use std::path::Path;

/// How the temp files of a save are named: a dot file, never `*.toml`, so
/// that nothing takes one for a sidecar.
pub const TEMP_PREFIX: &str = ".gloss-";
pub const TEMP_SUFFIX: &str = ".tmp";

pub fn is_temp_name(name: &str) -> bool {
    name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)
}

/// Deletes the temp files of saves that were killed before their rename,
/// below `dir`, if older than `age` (a younger one may belong to a save
/// under way in another gloss). Returns how many went.
pub fn sweep_temp_files(dir: &Path, age: std::time::Duration) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_temp_name(&e.file_name().to_string_lossy()))
        .filter(|e| {
            e.metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|t| t >= age)
        })
        .filter(|e| fs::remove_file(e.path()).is_ok())
        .count()
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// `write_atomic` with the writing done by `fill`: a `fill` that fails
/// half-way (a full disk) leaves the old file whole and no temp file.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    stage_with(path, fill)?.commit()
}

/// A new version of a file written and synced beside it, not yet in its
/// place: `commit` renames it over the file. Dropped uncommitted, the temp
/// file goes and the file is as it was. Several staged together make a
/// change of many files that fails before any is touched when a disk is
/// full (the writing is done, only renames are left).
pub struct Staged {
    tmp: tempfile::NamedTempFile,
    path: std::path::PathBuf,
}

/// Writes what `fill` writes to a temp file beside `path`, with `path`'s
/// permissions and owner (or 0644), synced.
pub fn stage_with(
    path: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<Staged> {
    let dir = parent(path);
    fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)?;
    fill(tmp.as_file_mut())?;
    // tempfile creates 0600 and owned by us; keep what the file had (or
    // the usual 0644). The owner can be kept only where we may chown (as
    // root, or when it is us already): elsewhere the new file is ours.
    let old = fs::metadata(path).ok();
    let perm = old
        .as_ref()
        .map(|m| m.permissions())
        .unwrap_or_else(default_permissions);
    #[cfg(unix)]
    if let Some(m) = &old {
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(m.uid()), Some(m.gid()));
    }
    tmp.as_file().set_permissions(perm)?;
    tmp.as_file().sync_all()?;
    Ok(Staged {
        tmp,
        path: path.to_path_buf(),
    })
}

impl Staged {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the new version over the file and syncs the folder.
    pub fn commit(self) -> io::Result<()> {
        let dir = parent(&self.path).to_path_buf();
        self.tmp.persist(&self.path).map_err(|e| e.error)?;
        #[cfg(unix)]
        File::open(dir)?.sync_all()?;
        Ok(())
    }
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

#[cfg(unix)]
fn default_permissions() -> Permissions {
    use std::os::unix::fs::PermissionsExt;
    Permissions::from_mode(0o644)
}

#[cfg(not(unix))]
fn default_permissions() -> Permissions {
    fs::metadata(".")
        .map(|m| m.permissions())
        .unwrap_or_else(|_| unreachable!())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dead_temp_files_are_swept_live_ones_and_sidecars_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let sub = tmp.path().join("a/b");
        fs::create_dir_all(&sub).unwrap();
        let old = sub.join(".gloss-old1.tmp");
        let young = tmp.path().join(".gloss-young.tmp");
        let sidecar = sub.join("x.txt.toml");
        for p in [&old, &young, &sidecar] {
            fs::write(p, "x").unwrap();
        }
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for p in [&old, &sidecar] {
            File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(hour_ago)
                .unwrap();
        }
        assert_eq!(
            sweep_temp_files(tmp.path(), std::time::Duration::from_secs(60)),
            1
        );
        assert!(!old.exists());
        assert!(young.exists() && sidecar.exists());
    }

    #[test]
    fn a_write_failing_half_way_leaves_the_old_file_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a.toml");
        write_atomic(&p, b"the old content").unwrap();
        let err = write_atomic_with(&p, |f| {
            f.write_all(b"half of the new")?;
            Err(io::Error::from_raw_os_error(28)) // ENOSPC, a full disk
        })
        .unwrap_err();
        assert_eq!(err.raw_os_error(), Some(28));
        assert_eq!(fs::read(&p).unwrap(), b"the old content");
        let left: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temp file left behind");
    }

    #[cfg(unix)]
    #[test]
    fn the_owner_is_kept_where_we_may_chown() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a.toml");
        write_atomic(&p, b"one").unwrap();
        let me = fs::metadata(&p).unwrap();
        // As root, hand the file to someone else first.
        let (uid, gid) = match std::os::unix::fs::chown(&p, Some(4242), Some(4343)) {
            Ok(()) => (4242, 4343),
            Err(_) => (me.uid(), me.gid()),
        };
        write_atomic(&p, b"two").unwrap();
        let m = fs::metadata(&p).unwrap();
        assert_eq!((m.uid(), m.gid()), (uid, gid));
        assert_eq!(fs::read(&p).unwrap(), b"two");
    }

    #[test]
    fn writes_replace_and_keep_permissions() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("sub/a.toml");
        write_atomic(&p, b"one").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o644
            );
            fs::set_permissions(&p, Permissions::from_mode(0o640)).unwrap();
            write_atomic(&p, b"two").unwrap();
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let left: Vec<_> = fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temp file left behind");
    }
}
