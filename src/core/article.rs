//! Opening an article: its text and its annotations, with everything that
//! can be wrong with either turned into a reason to open it read-only.

use std::path::Path;

use super::annotation::{Status, Store};
use super::corpus::{self, Entry};
use super::decode::{self, Decoded};
use super::fsio;
use super::sidecar::{self, fingerprint};
use super::text::Text;

/// Why an article can be read but not annotated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOnly {
    pub reason: String,
}

/// What the list shows before an article is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Ok,
    /// Opens, but read-only (bad sidecar, not UTF-8, empty).
    ReadOnly,
    /// Cannot be shown (binary, unreadable).
    Unreadable,
}

#[derive(Debug, Clone)]
pub struct Opened {
    pub text: Text,
    pub store: Store,
    pub read_only: Option<ReadOnly>,
    /// Things the reader should know: moved and orphaned annotations.
    pub notices: Vec<String>,
    /// Fingerprint of the sidecar's bytes as read, `None` if it had none;
    /// a write first checks that the file on disk still has it.
    pub sidecar_fingerprint: Option<String>,
    /// Whether that sidecar holds only what gloss writes: the first save
    /// can then write it anew without looking for anything to keep.
    pub sidecar_plain: bool,
}

fn read_only(text: Text, reason: String) -> Opened {
    Opened {
        text,
        store: Store::default(),
        read_only: Some(ReadOnly { reason }),
        notices: vec![],
        sidecar_fingerprint: None,
        sidecar_plain: false,
    }
}

/// Files larger than this are read in parallel parts.
const PARALLEL_READ: usize = 4 << 20;

/// The bytes of a file. A large one is read in two halves at once: on these
/// machines copying from the page cache runs near 1 GB/s per core, so a
/// 50 MB article opens in half the time.
/// Asks Linux to back `buf` with 2 MB pages where it can. Filling 50 MB of
/// fresh 4 KB pages costs some 12,000 page faults, most of the time it
/// takes to read a large article from the page cache.
#[cfg(target_os = "linux")]
fn advise_huge_pages(buf: &mut [u8]) {
    const HUGE: usize = 2 << 20;
    let start = buf.as_mut_ptr() as usize;
    let first = start.next_multiple_of(HUGE);
    let end = (start + buf.len()) & !(HUGE - 1);
    if end > first {
        // SAFETY: the range lies inside `buf`, which we own; the advice
        // changes how its pages are backed, never their contents.
        unsafe {
            libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_: &mut [u8]) {}

/// The bytes of an article: only a regular file (a FIFO or a device is an
/// error, never a hang), and only if it fits in memory with room to
/// spare. A large one is read in two halves at once.
pub fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    read_bytes_paced(path, &|| {})
}

/// How much a large read takes between two calls of its `pause`.
const READ_CHUNK: usize = 2 << 20;

/// `read_bytes`, calling `pause` before each 2 MB of a large file, so that
/// whoever reads can give way (the reader's interface, after a key).
pub fn read_bytes_paced(path: &Path, pause: &(dyn Fn() + Sync)) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let f = fsio::open_regular(path)?;
    let size = f.metadata()?.len();
    // Reading a file larger than memory would abort gloss (an allocation
    // failure is not a panic): such an article is refused, with why.
    if let Some(free) = fsio::available_memory()
        && size > free / 2
    {
        return Err(std::io::Error::new(
            std::io::ErrorKind::OutOfMemory,
            format!(
                "the article is {}, more than half the memory free now ({}): not opened",
                fsio::human_size(size),
                fsio::human_size(free)
            ),
        ));
    }
    let len = size as usize;
    if len < PARALLEL_READ {
        return fsio::read_capped(path, PARALLEL_READ as u64);
    }
    // Zeroed memory comes untouched from the kernel (calloc), so the huge
    // page advice below still applies; the check above keeps it in reach.
    let mut buf = vec![0u8; len];
    advise_huge_pages(&mut buf);
    let half = len / 2;
    let (a, b) = buf.split_at_mut(half);
    let read_part = |part: &mut [u8], at: usize| -> std::io::Result<()> {
        for (i, chunk) in part.chunks_mut(READ_CHUNK).enumerate() {
            pause();
            f.read_exact_at(chunk, (at + i * READ_CHUNK) as u64)?;
        }
        Ok(())
    };
    let (ra, rb) = rayon::join(|| read_part(a, 0), || read_part(b, half));
    match (ra, rb) {
        // The file changed size under us: read it whole, as it is now.
        (Ok(()), Ok(())) if f.metadata()?.len() as usize == len => Ok(buf),
        _ => fsio::read_capped(path, size.saturating_mul(2)),
    }
}

/// Articles this large are shown from a glimpse while they are read.
pub const GLIMPSE_MIN: u64 = 4 << 20;
/// How much of each end a glimpse reads.
const GLIMPSE_BYTES: usize = 64 << 10;

/// The start and the end of a large article, read in a millisecond: what
/// the screen shows (read-only) while the whole is read and indexed, as
/// `less` shows a file's end before it has read the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glimpse {
    /// The first lines, ending at a line break where there is one.
    pub head: String,
    /// The last lines, starting after a line break; `None` when the end is
    /// one long line whose start is not in reach.
    pub tail: Option<String>,
    pub bytes: u64,
}

/// A glimpse of the article at `path`, if it is large and both ends are
/// plain UTF-8 text (anything odd waits for the full read to say what).
pub fn glimpse(path: &Path) -> Option<Glimpse> {
    use std::os::unix::fs::FileExt;
    let f = fsio::open_regular(path).ok()?;
    let bytes = f.metadata().ok()?.len();
    if bytes < GLIMPSE_MIN {
        return None;
    }
    let mut head = vec![0u8; GLIMPSE_BYTES];
    f.read_exact_at(&mut head, 0).ok()?;
    if encoding_rs::Encoding::for_bom(&head).is_some() || head.contains(&0) {
        return None;
    }
    // Up to the last line break, or the last whole character.
    let cut = memchr::memrchr(b'\n', &head).map_or_else(
        || match std::str::from_utf8(&head) {
            Ok(_) => head.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => 0,
        },
        |i| i + 1,
    );
    head.truncate(cut);
    let head = String::from_utf8(head).ok()?;
    let mut tail = vec![0u8; GLIMPSE_BYTES];
    f.read_exact_at(&mut tail, bytes - GLIMPSE_BYTES as u64)
        .ok()?;
    let tail = memchr::memchr(b'\n', &tail)
        .filter(|&i| i + 1 < tail.len())
        .and_then(|i| String::from_utf8(tail[i + 1..].to_vec()).ok())
        .filter(|t| !t.contains('\0'));
    Some(Glimpse { head, tail, bytes })
}

/// An article's text as read from its file.
pub struct ArticleText {
    pub text: Text,
    /// Why it is read-only or unreadable.
    pub problem: Option<String>,
    pub health: Health,
    /// What the reader should know (an encoding guessed).
    pub notice: Option<String>,
}

/// The text of an article file (decoded: see `decode`), or why it is
/// read-only or unreadable.
pub fn read_article(path: &Path) -> ArticleText {
    read_article_paced(path, &|| {})
}

/// `read_article`, its reading paced as `read_bytes_paced`'s.
pub fn read_article_paced(path: &Path, pause: &(dyn Fn() + Sync)) -> ArticleText {
    let fail = |problem: String, health: Health| ArticleText {
        text: Text::new(String::new()),
        problem: Some(problem),
        health,
        notice: None,
    };
    let bytes = match read_bytes_paced(path, pause) {
        Ok(b) => b,
        Err(e) => {
            return fail(
                format!("cannot read {}: {e}", path.display()),
                Health::Unreadable,
            );
        }
    };
    if bytes.is_empty() {
        return fail("the article is empty".into(), Health::ReadOnly);
    }
    match decode::decode(bytes) {
        Decoded::Binary(why) => fail(why, Health::Unreadable),
        Decoded::Text { text, how, errors } => {
            let encoding = decode::python_name(&how);
            let notice = decode::notice(&how);
            let name = encoding.clone().unwrap_or_else(|| "UTF-8".into());
            let text = Text::new(text).with_encoding(encoding);
            if errors {
                // Bytes that are not in the encoding: shown as U+FFFD, and
                // not annotated, since their offsets would be guesses.
                return ArticleText {
                    text,
                    problem: Some(format!(
                        "not valid {name}: undecodable bytes shown as \u{fffd}; give --encoding, or convert it to UTF-8, to annotate"
                    )),
                    health: Health::ReadOnly,
                    notice,
                };
            }
            ArticleText {
                text,
                problem: None,
                health: Health::Ok,
                notice,
            }
        }
    }
}

/// `read_article` as (text, problem, health).
pub fn read_text(path: &Path) -> (Text, Option<String>, Health) {
    let a = read_article(path);
    (a.text, a.problem, a.health)
}

/// Why an article is read-only because of its sidecar, and what to do.
fn problem_reason(p: &sidecar::SidecarProblem) -> String {
    if p.line.is_some() {
        format!("{p}. Fix the file or move it away; gloss leaves it untouched")
    } else if p.message.starts_with("cannot read") {
        format!("{p}; fix its permissions")
    } else {
        p.to_string()
    }
}

/// Opens `entry` with its sidecar at `sidecar_path`, in annotations folder
/// `root`.
pub fn open(entry: &Entry, sidecar_path: Option<&Path>, root: &Path) -> Opened {
    open_paced(entry, sidecar_path, root, &|| {})
}

/// `open`, the article's text read as `read_bytes_paced` reads.
pub fn open_paced(
    entry: &Entry,
    sidecar_path: Option<&Path>,
    root: &Path,
    pause: &(dyn Fn() + Sync),
) -> Opened {
    let ArticleText {
        text,
        problem,
        notice,
        ..
    } = read_article_paced(&entry.path, pause);
    if let Some(reason) = problem {
        let mut o = read_only(text, reason);
        o.notices.extend(notice);
        return o;
    }
    let Some(sidecar_path) = sidecar_path else {
        return read_only(
            text,
            format!(
                "this file name cannot name a sidecar (not UTF-8, or '.', '..' or '\\' in it): rename it to annotate {:?}",
                entry.rel
            ),
        );
    };
    // A link on the way would lead the next save out of the folder, and a
    // sidecar nobody may write would be replaced by a rename all the same.
    if let Err(e) = super::writelock::check_inside(root, sidecar_path) {
        return read_only(text, e.to_string());
    }
    if let Some(why) = super::commit::read_only(sidecar_path) {
        return read_only(text, why);
    }
    let file = match sidecar::SidecarFile::read(sidecar_path) {
        Ok(Some(f)) => f,
        Ok(None) => {
            return Opened {
                text,
                store: Store::default(),
                read_only: None,
                notices: notice.into_iter().collect(),
                sidecar_fingerprint: None,
                sidecar_plain: false,
            };
        }
        Err(p) => return read_only(text, problem_reason(&p)),
    };
    let (loaded, plain) = match file.fit_keeping(&text) {
        Ok(l) => l,
        Err(p) => return read_only(text, problem_reason(&p)),
    };
    let sidecar_fp = fingerprint(file.src.as_bytes());
    let parsed = &file.parsed;
    let mut notices: Vec<String> = notice.into_iter().collect();
    if parsed.article != entry.rel {
        notices.push(format!(
            "the sidecar names article {:?}; it will be rewritten for {:?}",
            parsed.article, entry.rel
        ));
    }
    if loaded.text_changed {
        notices.push(format!(
            "the article changed since it was annotated: {} annotation(s) moved, {} could not be found (kept as orphans)",
            loaded.moved, loaded.newly_orphaned
        ));
    }
    let review = loaded
        .moves
        .iter()
        .filter(|m| m.how != super::sidecar::MoveKind::Moved)
        .count();
    if review > 0 {
        notices.push(format!(
            "{review} annotation(s) found approximately or widened to whole graphemes: review them (gloss check lists them)"
        ));
    }
    if !loaded.store.orphans.is_empty() {
        notices.push(format!(
            "{} orphaned annotation(s): their text is no longer in the article (press ! to list them)",
            loaded.store.orphans.len()
        ));
    }
    Opened {
        text,
        store: loaded.store,
        read_only: None,
        notices,
        sidecar_fingerprint: Some(sidecar_fp),
        sidecar_plain: plain,
    }
}

/// How an article looks from the list: its title, health and annotation
/// count, from the start of its file only (a 50 MB article costs 16 KB).
/// What the list shows of an article before it is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub title: String,
    pub health: Health,
    /// Annotations in its sidecar.
    pub count: usize,
    pub status: Status,
}

pub fn summary(entry: &Entry, sidecar_path: Option<&Path>) -> Summary {
    let (title, health) = match corpus::read_head(&entry.path) {
        Err(_) => (
            corpus::file_name(&entry.rel).to_string(),
            Health::Unreadable,
        ),
        Ok(head) => {
            // The full read says whether bytes are bad; the head only
            // whether it is text at all.
            // Decoded once, for its health and its title.
            let decoded = decode::decode_head(&head);
            let health = if head.is_empty() {
                Health::ReadOnly
            } else if matches!(decoded, Decoded::Binary(_)) {
                Health::Unreadable
            } else {
                Health::Ok
            };
            (corpus::title_from_decoded(&entry.rel, &decoded), health)
        }
    };
    let count = sidecar_path.and_then(|p| match sidecar::SidecarFile::read(p) {
        Ok(None) => None,
        Ok(Some(f)) => Some(Ok((f.parsed.annotations.len(), f.parsed.status))),
        Err(_) => Some(Err(())),
    });
    let (health, count, status) = match (health, count) {
        (Health::Ok, Some(Err(()))) => (Health::ReadOnly, 0, Status::New),
        (Health::Ok, Some(Ok((n, st)))) => (Health::Ok, n, st),
        (h, _) => (h, 0, Status::New),
    };
    Summary {
        title: crate::core::display::sanitize_line(&title),
        health,
        count,
        status,
    }
}

#[cfg(test)]
mod glimpse_tests {
    use super::*;

    #[test]
    fn a_large_read_pauses_before_each_chunk_and_reads_every_byte() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.txt");
        // 9 MB and 3 bytes: halves of 4.5 MB and 1 and 2 bytes, three
        // 2 MB chunks each, the last of each short.
        let bytes: Vec<u8> = (0..9 * (1 << 20) + 3)
            .map(|i: u32| b'a' + (i % 26) as u8)
            .collect();
        std::fs::write(&p, &bytes).unwrap();
        let pauses = std::sync::atomic::AtomicUsize::new(0);
        let read = read_bytes_paced(&p, &|| {
            pauses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        })
        .unwrap();
        assert!(read == bytes, "the bytes read differ from the file's");
        assert_eq!(pauses.into_inner(), 6);
    }

    #[test]
    fn a_glimpse_is_whole_lines_from_both_ends_of_a_large_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.txt");
        let mut s = String::new();
        let mut n = 0;
        while s.len() < (GLIMPSE_MIN as usize) + 1000 {
            s.push_str(&format!("line {n} with words, 漢字 and more\n"));
            n += 1;
        }
        s.push_str("THE END");
        std::fs::write(&p, &s).unwrap();
        let g = glimpse(&p).unwrap();
        assert_eq!(g.bytes, s.len() as u64);
        assert!(s.starts_with(&g.head) && g.head.ends_with('\n') && g.head.len() <= 64 << 10);
        let tail = g.tail.unwrap();
        assert!(s.ends_with(&tail) && tail.ends_with("THE END"));
        assert!(
            s[..s.len() - tail.len()].ends_with('\n'),
            "the tail starts a line"
        );
        // Small files, and ends that are not plain text, get none.
        std::fs::write(&p, "small\n").unwrap();
        assert_eq!(glimpse(&p), None);
        let mut bin = s.clone().into_bytes();
        bin[10] = 0;
        std::fs::write(&p, &bin).unwrap();
        assert_eq!(glimpse(&p), None);
        // One long line: the head is its start, there is no tail.
        std::fs::write(&p, "x".repeat(GLIMPSE_MIN as usize + 10)).unwrap();
        let g = glimpse(&p).unwrap();
        assert_eq!(g.head.len(), 64 << 10);
        assert_eq!(g.tail, None);
    }
}
