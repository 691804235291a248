//! The lock that every gloss writer (the reader, `import`, and whatever
//! writes next) holds around read, compare, write and rename of a file in
//! an annotations folder. Without it two writers can both find the file as
//! they expect, and the second rename silently replaces the first; with it
//! the compare always sees what is really on disk, and the three-way merge
//! does the rest. A person's editor takes no lock; the fingerprint compare
//! still catches its changes.
//!
//! The lock is `flock` on a separate file, `.gloss.lock`, at the top of the
//! annotations folder: a lock on the sidecar itself would not survive the
//! rename that replaces it. The kernel drops it when its holder dies, so a
//! stale lock never blocks anyone.
//!
//! The same place checks the path: nothing is written through a symbolic
//! link below the annotations folder, which could lead anywhere.

use std::fs::File;
use std::io;
use std::path::{Component, Path};
use std::time::{Duration, Instant};

/// The lock file's name. A dot file, never `*.toml`: nothing takes it for
/// a sidecar, and `gloss check` passes over it.
pub const LOCK_NAME: &str = ".gloss.lock";

/// How long a writer waits for another one before it gives up and says so.
/// A save holds the lock for milliseconds; a long wait means a writer is
/// stopped (Ctrl-Z) or stuck on a slow disk.
const PATIENCE: Duration = Duration::from_secs(20);

/// Held while a file below `root` is read, compared and replaced.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

impl WriteLock {
    /// Takes the lock of annotations folder `root` for writing `target`,
    /// after checking that `target` lies below `root` with no symbolic
    /// link on the way. Waits for another writer, at most `PATIENCE`.
    pub fn acquire(root: &Path, target: &Path) -> io::Result<WriteLock> {
        check_inside(root, target)?;
        std::fs::create_dir_all(root).map_err(|e| {
            io::Error::new(e.kind(), format!("{e}: cannot make {}", root.display()))
        })?;
        let path = root.join(LOCK_NAME);
        let file = open_lock_file(&path)?;
        let started = Instant::now();
        let mut wait = Duration::from_millis(1);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(WriteLock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < PATIENCE => {
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(io::Error::new(
                        io::ErrorKind::WouldBlock,
                        format!(
                            "another gloss has held {} for {} s (stopped or stuck?); not written, try again",
                            path.display(),
                            PATIENCE.as_secs()
                        ),
                    ));
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(io::Error::new(
                        e.kind(),
                        format!("{e}: cannot lock {}", path.display()),
                    ));
                }
            }
        }
    }

    /// The lock of the folder that holds `target`, for a file that lives
    /// outside any annotations folder (a label schema given by `--labels`).
    pub fn acquire_beside(target: &Path) -> io::Result<WriteLock> {
        let dir = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        WriteLock::acquire(dir, target)
    }
}

fn open_lock_file(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let open = |write: bool| {
        std::fs::OpenOptions::new()
            .read(true)
            .write(write)
            .create(write)
            .truncate(false)
            // Never through a link: a planted `.gloss.lock -> /etc/x` would
            // otherwise be created or opened for writing.
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .mode(0o666)
            .open(path)
    };
    // Another user's lock file (a shared folder) may be ours to read only:
    // flock works on a descriptor open for reading all the same.
    open(true)
        .or_else(|e| match e.kind() {
            io::ErrorKind::PermissionDenied if path.exists() => open(false),
            _ => Err(e),
        })
        .and_then(|f| {
            if f.metadata()?.is_file() {
                Ok(f)
            } else {
                Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{} is not a regular file", path.display()),
                ))
            }
        })
        .map_err(|e| io::Error::new(e.kind(), format!("{e}: cannot open {}", path.display())))
}

/// Refuses a `target` that is not below `root`, or that has a symbolic link
/// between `root` and itself (the target included): writing there would
/// put a file outside the annotations folder, or replace a link the user
/// made. `root` itself may be a link: the user chose it.
pub fn check_inside(root: &Path, target: &Path) -> io::Result<()> {
    let rel = target.strip_prefix(root).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is outside {}", target.display(), root.display()),
        )
    })?;
    let mut at = root.to_path_buf();
    for part in rel.components() {
        match part {
            Component::Normal(p) => at.push(p),
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{} leads outside {}", target.display(), root.display()),
                ));
            }
        }
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "{} is a symbolic link; gloss writes nothing through links in the annotations folder (replace it by a real folder or file)",
                        at.display()
                    ),
                ));
            }
            Ok(_) => {}
            // Not there yet: it will be made, as a real folder or file.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!("{e}: cannot write below {}", at.display()),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_below_the_folder_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("ann");
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join("sub")).unwrap();
        let e = WriteLock::acquire(&root, &root.join("sub/a.txt.toml")).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        std::os::unix::fs::symlink("/etc/passwd", root.join("x.txt.toml")).unwrap();
        assert!(check_inside(&root, &root.join("x.txt.toml")).is_err());
        assert!(check_inside(&root, &root.join("new/deeper/a.toml")).is_ok());
        assert!(check_inside(&root, &tmp.path().join("b.toml")).is_err());
        assert!(check_inside(&root, &root.join("../b.toml")).is_err());
    }

    #[test]
    fn the_lock_is_exclusive_and_released_on_drop() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("a.toml");
        let held = WriteLock::acquire(tmp.path(), &target).unwrap();
        let other = open_lock_file(&tmp.path().join(LOCK_NAME)).unwrap();
        assert!(matches!(
            other.try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
        drop(held);
        other.try_lock().unwrap();
    }

    #[test]
    fn a_planted_link_as_the_lock_file_is_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let root = tmp.path().join("ann");
        std::fs::create_dir_all(&root).unwrap();
        std::os::unix::fs::symlink(&victim, root.join(LOCK_NAME)).unwrap();
        assert!(WriteLock::acquire(&root, &root.join("a.toml")).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    }
}
