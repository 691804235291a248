//! Opening files that gloss did not make. Article text, sidecars, label
//! schemas and import files can be anything a folder can hold: a FIFO
//! (whose `open` blocks until a writer comes), a link to `/dev/tty` (whose
//! read steals keystrokes), `/dev/zero` (endless), or a file larger than
//! memory. Every read of such a file goes through here: it is opened
//! without blocking, refused unless it is a regular file, and read up to a
//! cap, with memory reserved fallibly so that a huge file is an error, not
//! an abort.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// What a file is when it is not a regular file, for messages.
fn kind_of(m: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = m.file_type();
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// Opens `path` for reading if it is a regular file (following links).
/// Never blocks: a FIFO or a terminal is opened with `O_NONBLOCK`, seen
/// for what it is by `fstat`, and refused.
pub fn open_regular(path: &Path) -> io::Result<File> {
    open_regular_with(path).map(|(f, _)| f)
}

/// `open_regular`, with the file's metadata (read once, to check it).
pub fn open_regular_with(path: &Path) -> io::Result<(File, std::fs::Metadata)> {
    use std::os::unix::fs::OpenOptionsExt;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    let m = f.metadata()?;
    if !m.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is {}; gloss reads only regular files",
                path.display(),
                kind_of(&m)
            ),
        ));
    }
    // Back to blocking reads: a regular file never blocks, and some file
    // systems answer EAGAIN to a non-blocking read under load.
    use std::os::fd::AsRawFd;
    // SAFETY: fcntl on a descriptor we own, with flags read from it.
    unsafe {
        let fd = f.as_raw_fd();
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
        }
    }
    Ok((f, m))
}

/// The error for a file over `cap` bytes.
pub fn too_large(path: &Path, size: u64, cap: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "{} is {}, more than the {} gloss reads of such a file; it was not read",
            path.display(),
            human_size(size),
            human_size(cap)
        ),
    )
}

/// `1.5 GB`, `12 MB`, `300 KB`, `17 bytes`.
pub fn human_size(n: u64) -> String {
    const K: u64 = 1 << 10;
    const M: u64 = 1 << 20;
    const G: u64 = 1 << 30;
    match n {
        n if n >= G => format!("{:.1} GB", n as f64 / G as f64),
        n if n >= M => format!("{} MB", n / M),
        n if n >= K => format!("{} KB", n / K),
        n => format!("{n} bytes"),
    }
}

/// A buffer of `len` bytes' capacity, or an error when memory cannot be
/// had (`Vec::with_capacity` would abort the process instead).
pub fn reserve(path: &Path, len: u64) -> io::Result<Vec<u8>> {
    let mut v = Vec::new();
    let len = usize::try_from(len).map_err(|_| too_large(path, len, usize::MAX as u64))?;
    v.try_reserve_exact(len).map_err(|_| {
        io::Error::new(
            io::ErrorKind::OutOfMemory,
            format!(
                "{} is {}: more than this machine can hold in memory now; it was not read",
                path.display(),
                human_size(len as u64)
            ),
        )
    })?;
    Ok(v)
}

/// The whole of the regular file at `path`, refused when it is larger than
/// `cap` bytes (also when it grows past `cap` while being read).
pub fn read_capped(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    let (f, m) = open_regular_with(path)?;
    let size = m.len();
    if size > cap {
        return Err(too_large(path, size, cap));
    }
    let mut bytes = reserve(path, size)?;
    // One byte past the cap: a file that grows while read is still caught.
    f.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(path, bytes.len() as u64, cap));
    }
    Ok(bytes)
}

/// `read_capped`, as UTF-8 text.
pub fn read_capped_string(path: &Path, cap: u64) -> io::Result<String> {
    String::from_utf8(read_capped(path, cap)?).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} is not UTF-8 text (a bad byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Memory this machine has free for a new allocation, where it says
/// (`MemAvailable` in `/proc/meminfo`), in bytes.
pub fn available_memory() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = s.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// What a child process writes on `from` (its standard error), read in a
/// thread as it comes (so it never blocks on a full pipe), the first `cap`
/// bytes kept to say why it failed.
pub fn keep_start(
    mut from: impl Read + Send + 'static,
    cap: usize,
) -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    let kept = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = std::sync::Arc::clone(&kept);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                break;
            }
            let mut k = keep.lock().unwrap_or_else(|p| p.into_inner());
            let room = cap.saturating_sub(k.len());
            k.extend_from_slice(&buf[..n.min(room)]);
        }
    });
    kept
}

/// The last line that says something of what `keep_start` kept, shown
/// inert (a traceback's last line says what went wrong).
pub fn last_line(kept: &std::sync::Mutex<Vec<u8>>) -> Option<String> {
    let k = kept.lock().unwrap_or_else(|p| p.into_inner());
    String::from_utf8_lossy(&k)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(super::display::sanitize_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("pipe.toml");
        let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let e = read_capped(&p, 100).unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn devices_and_folders_are_refused() {
        for (p, what) in [("/dev/zero", "character device"), ("/tmp", "folder")] {
            let e = read_capped(Path::new(p), 1 << 20).unwrap_err();
            assert!(e.to_string().contains(what), "{p}: {e}");
        }
    }

    #[test]
    fn files_over_the_cap_are_refused_before_reading() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("big");
        let f = File::create(&p).unwrap();
        // A sparse terabyte: larger than any machine's memory.
        f.set_len(1 << 40).unwrap();
        let e = read_capped(&p, 1 << 20).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        assert!(e.to_string().contains("1024.0 GB"), "{e}");
        let e = reserve(&p, 1 << 62).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::OutOfMemory, "{e}");
        std::fs::write(&p, "small").unwrap();
        assert_eq!(read_capped(&p, 5).unwrap(), b"small");
        assert!(read_capped(&p, 4).is_err());
    }
}
