//! Searching the whole corpus: a query (literal or a regular expression,
//! smart case as in the article search and `rg --smart-case`) run over
//! each article's text, every match with its line, its column in code
//! points and the line it is on. The shell's `gloss grep` and the app's
//! corpus search both run it.

use std::ops::Range;

use regex::{Regex, RegexBuilder};

use super::decode::{self, Decoded};
use super::fsio;

/// The longest article searched (what the reader opens).
pub const MAX_ARTICLE_BYTES: u64 = 4 << 30;

#[derive(Debug, Clone)]
pub struct Query {
    re: Regex,
}

impl Query {
    /// A query for `pattern`: a literal unless `regex`; case-insensitive
    /// unless the pattern has a capital letter (or `case` says so).
    pub fn new(pattern: &str, regex: bool, ignore_case: Option<bool>) -> Result<Query, String> {
        if pattern.is_empty() {
            return Err("an empty pattern matches everywhere; give some text".into());
        }
        let src = if regex {
            pattern.to_string()
        } else {
            regex::escape(pattern)
        };
        let smart = !pattern.chars().any(char::is_uppercase);
        let re = RegexBuilder::new(&src)
            .case_insensitive(ignore_case.unwrap_or(smart))
            .multi_line(true)
            .size_limit(1 << 24)
            .build()
            .map_err(|e| format!("not a regular expression gloss reads: {e}"))?;
        Ok(Query { re })
    }

    /// The regular expression it runs.
    pub fn into_regex(self) -> Regex {
        self.re
    }

    /// Every match in `text` (none empty), in order.
    pub fn matches<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Range<usize>> + 't {
        self.re
            .find_iter(text)
            .filter(|m| !m.is_empty())
            .map(|m| m.range())
    }

    /// Whether `text` has a match at all (cheaper than finding each).
    pub fn is_match(&self, text: &str) -> bool {
        self.matches(text).next().is_some()
    }
}

/// A match, where a person reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Bytes of the text.
    pub range: Range<usize>,
    /// Code points of the text: what `--json` and the sidecars count.
    pub chars: Range<usize>,
    /// 1-based.
    pub line: usize,
    /// 1-based, in code points from the line's start.
    pub column: usize,
    /// Bytes of the line it starts on, without its line break.
    pub line_range: Range<usize>,
}

/// Every match of `q` in `text`, at most `limit`, with lines and columns
/// counted once over the text (not from its start for each match).
pub fn hits(text: &str, q: &Query, limit: usize) -> Vec<Hit> {
    let b = text.as_bytes();
    let mut out = vec![];
    // Where counting stands: a byte, its line and its code point.
    let (mut at, mut line, mut line_start, mut chars) = (0usize, 1usize, 0usize, 0usize);
    let mut line_start_chars = 0usize;
    for r in q.matches(text).take(limit) {
        let base = at;
        for nl in memchr::memchr_iter(b'\n', &b[base..r.start]) {
            let p = base + nl;
            chars += bytecount::num_chars(&b[at..p + 1]);
            line += 1;
            line_start = p + 1;
            line_start_chars = chars;
            at = line_start;
        }
        chars += bytecount::num_chars(&b[at..r.start]);
        at = r.start;
        let start_chars = chars;
        let len_chars = bytecount::num_chars(&b[r.clone()]);
        let end = memchr::memchr(b'\n', &b[r.start..]).map_or(b.len(), |i| r.start + i);
        let line_end = if end > line_start && b[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        out.push(Hit {
            range: r.clone(),
            chars: start_chars..start_chars + len_chars,
            line,
            column: start_chars - line_start_chars + 1,
            line_range: line_start..line_end.max(line_start),
        });
    }
    out
}

thread_local! {
    /// Each searching thread reads every article into the same buffer:
    /// no fresh (zeroed) memory per file.
    static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The matches of `q` in the article at `path`, with its text, or `None`
/// when it has none; why, when it cannot be read (not a regular file, too
/// large, not text). UTF-8, most articles, is searched where it lies and
/// copied only when it matches; anything else is decoded as the reader
/// decodes it.
pub fn search_file(
    path: &std::path::Path,
    q: &Query,
) -> Result<Option<(String, Vec<Hit>)>, String> {
    use std::io::Read;
    BUF.with(|buf| {
        let mut buf = buf.borrow_mut();
        buf.clear();
        let (f, m) = fsio::open_regular_with(path).map_err(|e| e.to_string())?;
        if m.len() > MAX_ARTICLE_BYTES {
            return Err(fsio::too_large(path, m.len(), MAX_ARTICLE_BYTES).to_string());
        }
        f.take(MAX_ARTICLE_BYTES)
            .read_to_end(&mut buf)
            .map_err(|e| e.to_string())?;
        let text: std::borrow::Cow<str> = match simdutf8::basic::from_utf8(&buf) {
            Ok(s) if !s.as_bytes().contains(&0) => {
                std::borrow::Cow::Borrowed(s.strip_prefix('\u{feff}').unwrap_or(s))
            }
            _ => match decode::decode(buf.clone()) {
                Decoded::Text { text, .. } => std::borrow::Cow::Owned(text),
                Decoded::Binary(why) => return Err(why),
            },
        };
        if !q.is_match(&text) {
            return Ok(None);
        }
        let found = hits(&text, q, usize::MAX);
        Ok(Some((text.into_owned(), found)))
    })
}

/// The most bytes of a line kept on each side of a listed match.
const LISTED_CONTEXT: usize = 300;

/// A match as the app's corpus search lists it: where it is, what it
/// matched, its line around it, and the labels of the annotations on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Bytes of the text.
    pub range: Range<usize>,
    /// 0-based, as the reader counts lines.
    pub line: usize,
    /// 1-based, in code points.
    pub column: usize,
    pub before: String,
    pub text: String,
    pub after: String,
    /// Sorted, each once.
    pub labels: Vec<String>,
}

/// The matches of `q` in the article of `e` (at most `limit`), listed;
/// none when it has none; why, when it cannot be read.
pub fn list_article(
    e: &super::corpus::Entry,
    annotations: &std::path::Path,
    q: &Query,
    limit: usize,
) -> Result<Vec<Listed>, String> {
    let Some((text, found)) = search_file(&e.path, q).map_err(|why| format!("{}: {why}", e.rel))?
    else {
        return Ok(vec![]);
    };
    let found = &found[..found.len().min(limit)];
    let labels = labels_under(
        annotations,
        &e.rel,
        &text,
        found.iter().map(|h| h.range.clone()),
    );
    Ok(found
        .iter()
        .zip(labels)
        .map(|(h, labels)| {
            // The line around it, a few hundred bytes each side at most
            // (a line may be megabytes long).
            let from = floor_char(&text, h.range.start.saturating_sub(LISTED_CONTEXT))
                .max(h.line_range.start);
            let to = if h.range.end < h.line_range.end {
                floor_char(&text, (h.range.end + LISTED_CONTEXT).min(h.line_range.end))
            } else {
                h.range.end
            };
            Listed {
                range: h.range.clone(),
                line: h.line - 1,
                column: h.column,
                before: text[from..h.range.start].to_string(),
                text: text[h.range.clone()].to_string(),
                after: text[h.range.end..to].to_string(),
                labels,
            }
        })
        .collect())
}

/// The nearest char boundary at or before `i`.
fn floor_char(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The labels of the annotations over each of `ranges` (bytes of `text`,
/// the article `rel`), from its sidecar in `annotations` fitted to the
/// text as the reader fits it; none when it has no sidecar or one that
/// cannot be read.
pub fn labels_under(
    annotations: &std::path::Path,
    rel: &str,
    text: &str,
    ranges: impl ExactSizeIterator<Item = Range<usize>>,
) -> Vec<Vec<String>> {
    use super::sidecar::SidecarFile;
    let n = ranges.len();
    let none = || vec![vec![]; n];
    let Some(path) = super::corpus::sidecar_path(annotations, rel) else {
        return none();
    };
    let Ok(Some(file)) = SidecarFile::read(&path) else {
        return none();
    };
    let text = super::text::Text::new(text.to_string());
    let Ok(loaded) = file.fit(&text) else {
        return none();
    };
    ranges
        .map(|r| {
            let mut ls: Vec<String> = loaded
                .store
                .overlapping(r)
                .map(|a| a.label.clone())
                .collect();
            ls.sort();
            ls.dedup();
            ls
        })
        .collect()
}

/// `line` cut to about `room` characters around bytes `m` of it, with `…`
/// where it was cut: the match stays in view on a long line.
pub fn context(line: &str, m: Range<usize>, room: usize) -> String {
    let before: Vec<(usize, char)> = line[..m.start].char_indices().collect();
    let after_len = line[m.end..].chars().count();
    let match_len = line[m.clone()].chars().count();
    if before.len() + match_len + after_len <= room {
        return line.to_string();
    }
    let lead = (room.saturating_sub(match_len) / 3).min(before.len());
    let start = if lead < before.len() {
        before[before.len() - lead].0
    } else {
        0
    };
    let tail_room = room.saturating_sub(lead + match_len);
    let end = line[m.end..]
        .char_indices()
        .nth(tail_room)
        .map_or(line.len(), |(i, _)| m.end + i);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&line[start..end]);
    if end < line.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_code_point_columns() {
        let t = "Ünïcödé Pompeo\r\nthen 🇮🇳 pompeo and POMPEO\n\n\nx\nPompeo";
        let q = Query::new("pompeo", false, None).unwrap();
        let h = hits(t, &q, usize::MAX);
        let got: Vec<(usize, usize, &str, &str)> = h
            .iter()
            .map(|x| {
                (
                    x.line,
                    x.column,
                    &t[x.range.clone()],
                    &t[x.line_range.clone()],
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (1, 9, "Pompeo", "Ünïcödé Pompeo"),
                (2, 9, "pompeo", "then 🇮🇳 pompeo and POMPEO"),
                (2, 20, "POMPEO", "then 🇮🇳 pompeo and POMPEO"),
                (6, 1, "Pompeo", "Pompeo"),
            ]
        );
        // Code point offsets, as Python slices them.
        let chars: Vec<char> = t.chars().collect();
        for x in &h {
            let s: String = chars[x.chars.clone()].iter().collect();
            assert_eq!(s, &t[x.range.clone()]);
        }
        // A capital makes it exact.
        assert_eq!(
            hits(t, &Query::new("POMPEO", false, None).unwrap(), 9).len(),
            1
        );
        // A regular expression, and the limit.
        let q = Query::new(r"(?i)p\w+o\b", true, None).unwrap();
        assert_eq!(hits(t, &q, 2).len(), 2);
        assert!(Query::new("(", true, None).is_err());
        assert!(Query::new("(", false, None).is_ok());
    }

    #[test]
    fn context_keeps_the_match_in_view() {
        let line = format!("{}Pompeo{}", "a".repeat(500), "b".repeat(500));
        let m = 500..506;
        let c = context(&line, m, 60);
        assert!(
            c.contains("Pompeo") && c.starts_with('…') && c.ends_with('…'),
            "{c}"
        );
        assert!(c.chars().count() <= 62, "{}", c.chars().count());
        assert_eq!(context("short Pompeo", 6..12, 60), "short Pompeo");
    }
}
