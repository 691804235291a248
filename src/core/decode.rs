//! Article bytes to text, as they come: UTF-8 as it is; a byte order mark,
//! or an encoding declared with `--encoding`, decides otherwise; other
//! text is detected (chardetng, on its first 64 KB) and decoded
//! (encoding_rs). Offsets are code points of the decoded text, and the
//! sidecar records the encoding as the name Python's `open()` takes, so
//! `open(path, encoding=sidecar["encoding"], newline="").read()` is the
//! text gloss counted in.
//!
//! - UTF-8 with a BOM: the BOM is not part of the text (`utf-8-sig`).
//! - UTF-16 with a BOM (`utf-16`), or declared (`utf-16-le`, `utf-16-be`).
//! - Valid UTF-8 with a stray NUL byte is text (shown as `^@`); a file
//!   whose first 8 KB hold NULs that are more than 1% of it (two at
//!   least), or any NUL among bytes that are not UTF-8, is binary. UTF-16
//!   without a BOM looks so: the message says to declare it.
//! - Anything else is detected: Latin-1 and Windows-1252 (one family on
//!   the web, decoded as Windows-1252), the other single-byte code pages,
//!   Shift JIS, EUC-KR, GBK, Big5. The guess is said when the article
//!   opens.

use std::sync::OnceLock;

use encoding_rs::{Encoding, UTF_8};

/// The most of a file the detector reads.
const DETECT_BYTES: usize = 64 << 10;
/// The start of a file looked at for NUL bytes.
const SNIFF_BYTES: usize = 8 << 10;

/// How an article's bytes became text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// UTF-8, as it was.
    Utf8,
    /// A byte order mark said so.
    Bom(&'static Encoding),
    /// `--encoding` said so.
    Declared(&'static Encoding),
    /// Guessed from the bytes.
    Detected(&'static Encoding),
}

#[derive(Debug)]
pub enum Decoded {
    Text {
        text: String,
        how: How,
        /// Bytes that could not be decoded, each shown as U+FFFD.
        errors: bool,
    },
    /// Not text: why.
    Binary(String),
}

static DECLARED: OnceLock<&'static Encoding> = OnceLock::new();

/// Declares the encoding of the corpus's files (`--encoding LABEL`, any
/// WHATWG label: `latin1`, `windows-1252`, `utf-16le`, `shift_jis`, …).
/// Once, at start; a byte order mark still wins.
pub fn declare(label: &str) -> Result<(), String> {
    let enc = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        format!("--encoding {label:?} is not an encoding gloss knows (try utf-8, windows-1252, latin1, utf-16le, utf-16be, shift_jis, gbk, koi8-r)")
    })?;
    DECLARED
        .set(enc)
        .map_err(|_| "the encoding is already declared".to_string())
}

/// The name Python's `open()` takes for what `how` decoded.
pub fn python_name(how: &How) -> Option<String> {
    match how {
        How::Utf8 => None,
        How::Bom(e) if *e == UTF_8 => Some("utf-8-sig".into()),
        How::Bom(_) => Some("utf-16".into()),
        How::Declared(e) | How::Detected(e) => {
            if *e == UTF_8 {
                return None;
            }
            Some(match e.name() {
                "UTF-16LE" => "utf-16-le".into(),
                "UTF-16BE" => "utf-16-be".into(),
                "x-mac-cyrillic" => "mac-cyrillic".into(),
                "ISO-8859-8-I" => "iso-8859-8".into(),
                "macintosh" => "mac-roman".into(),
                other => other.to_ascii_lowercase(),
            })
        }
    }
}

/// What the reader is told about a decoding, if anything.
pub fn notice(how: &How) -> Option<String> {
    match how {
        How::Detected(e) => Some(format!(
            "decoded as {} (detected; if the text looks wrong, give --encoding)",
            e.name()
        )),
        _ => None,
    }
}

/// Decodes an article's bytes.
pub fn decode(bytes: Vec<u8>) -> Decoded {
    decode_with(bytes, DECLARED.get().copied())
}

/// Decodes the start of a file (its head): a character cut by the head's
/// end is left out, not taken for a sign of another encoding.
pub fn decode_head(head: &[u8]) -> Decoded {
    let whole = match std::str::from_utf8(head) {
        Err(e) if e.error_len().is_none() => &head[..e.valid_up_to()],
        _ => head,
    };
    decode(whole.to_vec())
}

/// As `decode`, with `declared` in place of `--encoding`.
pub fn decode_with(bytes: Vec<u8>, declared: Option<&'static Encoding>) -> Decoded {
    if let Some((enc, bom)) = Encoding::for_bom(&bytes) {
        let (text, errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        return Decoded::Text {
            text: text.into_owned(),
            how: How::Bom(enc),
            errors,
        };
    }
    if let Some(enc) = declared.filter(|e| *e != UTF_8) {
        let (text, errors) = enc.decode_without_bom_handling(&bytes);
        return Decoded::Text {
            text: text.into_owned(),
            how: How::Declared(enc),
            errors,
        };
    }
    let sniff = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let nuls = memchr::memchr_iter(0, sniff).count();
    // A stray NUL in UTF-8 text is text; several, or any in bytes that are
    // not UTF-8, are a binary file (or UTF-16 without its mark).
    let utf8 = simdutf8::basic::from_utf8(&bytes).is_ok();
    if (nuls >= 2 && nuls * 100 > sniff.len()) || (nuls > 0 && !utf8) {
        let even = sniff.iter().step_by(2).filter(|&&b| b == 0).count();
        let odd = sniff.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        let hint = if odd > sniff.len() / 4 && even < odd / 8 {
            "; it looks like UTF-16 without a byte order mark: give --encoding utf-16le"
        } else if even > sniff.len() / 4 && odd < even / 8 {
            "; it looks like UTF-16 without a byte order mark: give --encoding utf-16be"
        } else {
            ""
        };
        return Decoded::Binary(format!(
            "binary file ({nuls} NUL bytes in its first {} KB): not shown{hint}",
            sniff.len().div_ceil(1024)
        ));
    }
    if utf8 {
        // SAFETY: just validated as UTF-8.
        let text = unsafe { String::from_utf8_unchecked(bytes) };
        return Decoded::Text {
            text,
            how: How::Utf8,
            errors: false,
        };
    }
    if declared == Some(UTF_8) {
        let (text, errors) = UTF_8.decode_without_bom_handling(&bytes);
        return Decoded::Text {
            text: text.into_owned(),
            how: How::Declared(UTF_8),
            errors,
        };
    }
    // ISO-2022-JP is plain ASCII escapes: never guessed, only declared.
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&bytes[..bytes.len().min(DETECT_BYTES)], true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, errors) = enc.decode_without_bom_handling(&bytes);
    Decoded::Text {
        text: text.into_owned(),
        how: How::Detected(enc),
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{UTF_16BE, UTF_16LE};

    fn text(d: Decoded) -> (String, How) {
        match d {
            Decoded::Text { text, how, errors } => {
                assert!(!errors);
                (text, how)
            }
            Decoded::Binary(why) => panic!("binary: {why}"),
        }
    }

    #[test]
    fn latin1_is_detected_and_named_for_python() {
        let bytes =
            b"Le ministre fran\xe7ais a d\xe9clar\xe9 que l'accord \xe9tait sign\xe9.".to_vec();
        let (t, how) = text(decode_with(bytes, None));
        assert_eq!(
            t,
            "Le ministre français a déclaré que l'accord était signé."
        );
        assert_eq!(python_name(&how).as_deref(), Some("windows-1252"));
        assert!(notice(&how).unwrap().contains("windows-1252"));
    }

    #[test]
    fn boms_decide_and_are_not_text() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Héllo, 世界".encode_utf16() {
            le.extend(u.to_le_bytes());
        }
        let (t, how) = text(decode_with(le, None));
        assert_eq!(t, "Héllo, 世界");
        assert_eq!(python_name(&how).as_deref(), Some("utf-16"));
        let (t, how) = text(decode_with(b"\xEF\xBB\xBFTitle\nbody".to_vec(), None));
        assert_eq!(t, "Title\nbody");
        assert_eq!(python_name(&how).as_deref(), Some("utf-8-sig"));
    }

    #[test]
    fn a_stray_nul_is_text_and_utf16_without_bom_is_named() {
        let (t, how) = text(decode_with(b"one\0two".to_vec(), None));
        assert_eq!((t.as_str(), how), ("one\0two", How::Utf8));
        let mut le = vec![];
        for u in "plain ascii text in utf-16, with no byte order mark".encode_utf16() {
            le.extend(u.to_le_bytes());
        }
        match decode_with(le.clone(), None) {
            Decoded::Binary(why) => assert!(why.contains("--encoding utf-16le"), "{why}"),
            other => panic!("{other:?}"),
        }
        let (t, how) = text(decode_with(le, Encoding::for_label(b"utf-16le")));
        assert!(t.starts_with("plain ascii"));
        assert_eq!(python_name(&how).as_deref(), Some("utf-16-le"));
    }

    #[test]
    fn declared_labels_resolve() {
        assert!(Encoding::for_label(b"latin1").is_some());
        assert_eq!(
            Encoding::for_label(b"latin1"),
            Some(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(Encoding::for_label(b"UTF-16LE"), Some(UTF_16LE));
        assert_eq!(Encoding::for_label(b"utf-16be"), Some(UTF_16BE));
    }
}
