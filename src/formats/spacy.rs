//! `spacy`: spaCy's `.spacy` training data (a `DocBin`), written natively:
//! what `DocBin.to_bytes` writes, zlib-compressed MessagePack of the
//! documents' token attributes, so `spacy train` reads it with no Python
//! step of gloss's. One `Doc` per article: its tokens (Unicode words, cut
//! at every span's edges, white space that is not a single space after a
//! token kept as tokens of its own, as spaCy's tokenizer keeps it), a span
//! as named entities (`ENT_IOB`, `ENT_TYPE`; overlaps: the longer wins,
//! counted), document labels as `cats`.
//!
//! Strings are named by spaCy's hash of them (MurmurHash64A of their
//! UTF-8, seed 1), and listed so that spaCy's string store learns them.
//!
//! Import reads a `.spacy` file back: each document's text (its tokens and
//! spaces), its entities and its `cats`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::ops::Range;

use super::tokens;
use super::{
    Article, CharPos, Exporter, ImportDoc, ImportDocLabel, Input, LabelNames, ReadError, Span,
};

/// spaCy's attribute ids (spacy/attrs.pxd) of what gloss writes.
const ORTH: u64 = 65;
const ENT_IOB: u64 = 77;
const ENT_TYPE: u64 = 78;
/// `DocBin` sorts its attributes, ORTH first.
const ATTRS: [u64; 3] = [ORTH, ENT_IOB, ENT_TYPE];

/// spaCy's hash of a string: MurmurHash64A of its UTF-8 bytes, seed 1
/// (`spacy.strings.hash_string`); the empty string is 0 in its store.
pub fn hash_string(s: &str) -> u64 {
    if s.is_empty() {
        return 0;
    }
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let key = s.as_bytes();
    let mut h: u64 = 1 ^ (key.len() as u64).wrapping_mul(M);
    let chunks = key.chunks_exact(8);
    let tail = chunks.remainder();
    for c in chunks {
        let mut k = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate() {
            h ^= u64::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// The id spaCy's string store gives `s`: its built-in symbol's id
/// (`PERSON` is 380), or else its hash.
pub fn string_id(s: &str) -> u64 {
    static SYMBOLS: std::sync::OnceLock<std::collections::HashMap<&'static str, u64>> =
        std::sync::OnceLock::new();
    let table = SYMBOLS.get_or_init(|| super::spacy_symbols::SYMBOLS.into_iter().collect());
    table.get(s).copied().unwrap_or_else(|| hash_string(s))
}

/// One document's tokens as spaCy holds them: (text, a space after it).
fn doc_tokens(text: &str, cuts: &[usize]) -> Vec<(Range<usize>, bool)> {
    let words: Vec<Range<usize>> = tokens::sentences_cut_at(text, cuts)
        .into_iter()
        .flatten()
        .collect();
    // Everything between words becomes a space flag (one ' ' after a
    // word) or a token of its own, so that the tokens and spaces give back
    // the text exactly.
    let mut out: Vec<(Range<usize>, bool)> = vec![];
    let mut at = 0;
    for w in words
        .into_iter()
        .chain(std::iter::once(text.len()..text.len()))
    {
        if w.start > at {
            let mut gap = at..w.start;
            if let Some(last) = out.last_mut()
                && last.0.end == gap.start
                && !last.1
                && text[gap.clone()].starts_with(' ')
            {
                last.1 = true;
                gap.start += 1;
            }
            if !gap.is_empty() {
                out.push((gap, false));
            }
        }
        if !w.is_empty() {
            out.push((w.clone(), false));
        }
        at = w.end;
    }
    out
}

pub struct SpacyExporter<W: Write> {
    out: W,
    names: LabelNames,
    strings: BTreeSet<String>,
    /// Each document's tokens (attribute rows), spaces and cats.
    tokens: Vec<Vec<[u64; 3]>>,
    spaces: Vec<Vec<bool>>,
    cats: Vec<BTreeMap<String, f64>>,
    dropped: usize,
}

impl<W: Write> SpacyExporter<W> {
    pub fn new(out: W) -> Self {
        SpacyExporter {
            out,
            names: LabelNames::default(),
            strings: BTreeSet::new(),
            tokens: vec![],
            spaces: vec![],
            cats: vec![],
            dropped: 0,
        }
    }
}

impl<W: Write + Send> Exporter for SpacyExporter<W> {
    fn dropped(&self) -> usize {
        self.dropped
    }

    fn article(&mut self, a: &Article) -> io::Result<()> {
        let text = a.text.as_str();
        let (spans, dropped) = tokens::entity_spans(a.anns);
        self.dropped += dropped;
        let mut cuts: Vec<usize> = spans.iter().flat_map(|(r, _)| [r.start, r.end]).collect();
        cuts.sort_unstable();
        cuts.dedup();
        let toks = doc_tokens(text, &cuts);
        let mut rows = Vec::with_capacity(toks.len());
        let mut spaces = Vec::with_capacity(toks.len());
        let mut next = 0;
        let mut prev: Option<usize> = None;
        for (r, space) in &toks {
            let word = &text[r.clone()];
            self.strings.insert(word.to_string());
            while next < spans.len() && spans[next].0.end <= r.start {
                next += 1;
            }
            let covering = (next < spans.len() && spans[next].0.start < r.end).then_some(next);
            let (iob, ty) = match covering {
                Some(i) => {
                    let label = self.names.name(&spans[i].1, |l| l.to_string());
                    self.strings.insert(label.clone());
                    // 1: inside, 3: begins.
                    (if prev == Some(i) { 1 } else { 3 }, string_id(&label))
                }
                None => (2, 0),
            };
            prev = covering;
            rows.push([string_id(word), iob, ty]);
            spaces.push(*space);
        }
        self.tokens.push(rows);
        self.spaces.push(spaces);
        self.cats.push(
            a.doc_labels
                .iter()
                .map(|l| (l.label.clone(), 1.0))
                .collect(),
        );
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<Vec<String>> {
        use rmp::encode::*;
        let e = |e: ValueWriteError| io::Error::other(e.to_string());
        let mut m: Vec<u8> = vec![];
        write_map_len(&mut m, 9).map_err(e)?;
        write_str(&mut m, "version").map_err(e)?;
        write_str(&mut m, "0.1").map_err(e)?;
        write_str(&mut m, "attrs").map_err(e)?;
        write_array_len(&mut m, ATTRS.len() as u32).map_err(e)?;
        for a in ATTRS {
            write_uint(&mut m, a).map_err(e)?;
        }
        let flat: Vec<u8> = self
            .tokens
            .iter()
            .flatten()
            .flat_map(|row| row.iter().flat_map(|v| v.to_le_bytes()))
            .collect();
        write_str(&mut m, "tokens").map_err(e)?;
        write_bin(&mut m, &flat).map_err(e)?;
        let spaces: Vec<u8> = self.spaces.iter().flatten().map(|&s| u8::from(s)).collect();
        write_str(&mut m, "spaces").map_err(e)?;
        write_bin(&mut m, &spaces).map_err(e)?;
        let lengths: Vec<u8> = self
            .tokens
            .iter()
            .flat_map(|t| (t.len() as i32).to_le_bytes())
            .collect();
        write_str(&mut m, "lengths").map_err(e)?;
        write_bin(&mut m, &lengths).map_err(e)?;
        write_str(&mut m, "strings").map_err(e)?;
        write_array_len(&mut m, self.strings.len() as u32).map_err(e)?;
        for s in &self.strings {
            write_str(&mut m, s).map_err(e)?;
        }
        write_str(&mut m, "cats").map_err(e)?;
        write_array_len(&mut m, self.cats.len() as u32).map_err(e)?;
        for c in &self.cats {
            write_map_len(&mut m, c.len() as u32).map_err(e)?;
            for (k, v) in c {
                write_str(&mut m, k).map_err(e)?;
                write_f64(&mut m, *v)?;
            }
        }
        write_str(&mut m, "flags").map_err(e)?;
        write_array_len(&mut m, self.tokens.len() as u32).map_err(e)?;
        for _ in &self.tokens {
            write_map_len(&mut m, 1).map_err(e)?;
            write_str(&mut m, "has_unknown_spaces").map_err(e)?;
            write_bool(&mut m, false)?;
        }
        write_str(&mut m, "span_groups").map_err(e)?;
        write_array_len(&mut m, self.tokens.len() as u32).map_err(e)?;
        for _ in &self.tokens {
            write_bin(&mut m, b"").map_err(e)?;
        }
        let mut z = flate2::write::ZlibEncoder::new(&mut self.out, flate2::Compression::default());
        z.write_all(&m)?;
        z.finish()?;
        self.out.flush()?;
        let mut w = self.names.warnings("spacy", "the label is kept as it is");
        if self.dropped > 0 {
            w.push(format!(
                "spacy: dropped {} overlapping span(s) (a Doc's entities do not overlap); the longer span wins",
                self.dropped
            ));
        }
        Ok(w)
    }
}

/// A MessagePack value, as far as a DocBin needs.
#[derive(Debug, Clone)]
enum Val {
    Nil,
    Bool,
    Int(u64),
    Float(f64),
    Str(String),
    Bin(Vec<u8>),
    Arr(Vec<Val>),
    Map(Vec<(Val, Val)>),
}

impl Val {
    fn get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Map(m) => m
                .iter()
                .find(|(k, _)| matches!(k, Val::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Reads one MessagePack value (the deepest nesting 32).
fn read_val(r: &mut &[u8], depth: usize) -> Result<Val, String> {
    use rmp::Marker;
    use rmp::decode::*;
    if depth > 32 {
        return Err("nested too deep".into());
    }
    let bad = |e: &dyn std::fmt::Debug| format!("not MessagePack: {e:?}");
    let take = |r: &mut &[u8], n: usize| -> Result<Vec<u8>, String> {
        if r.len() < n {
            return Err("cut short".into());
        }
        let (a, b) = r.split_at(n);
        *r = b;
        Ok(a.to_vec())
    };
    let marker = read_marker(r).map_err(|e| bad(&e))?;
    Ok(match marker {
        Marker::Null => Val::Nil,
        Marker::True | Marker::False => Val::Bool,
        Marker::FixPos(n) => Val::Int(u64::from(n)),
        Marker::U8 => Val::Int(u64::from(r.read_data_u8().map_err(|e| bad(&e))?)),
        Marker::U16 => Val::Int(u64::from(r.read_data_u16().map_err(|e| bad(&e))?)),
        Marker::U32 => Val::Int(u64::from(r.read_data_u32().map_err(|e| bad(&e))?)),
        Marker::U64 => Val::Int(r.read_data_u64().map_err(|e| bad(&e))?),
        Marker::FixNeg(_) | Marker::I8 | Marker::I16 | Marker::I32 | Marker::I64 => {
            let n = match marker {
                Marker::I8 => 1,
                Marker::I16 => 2,
                Marker::I32 => 4,
                Marker::I64 => 8,
                _ => 0,
            };
            take(r, n)?;
            Val::Int(0)
        }
        Marker::F32 => Val::Float(f64::from(r.read_data_f32().map_err(|e| bad(&e))?)),
        Marker::F64 => Val::Float(r.read_data_f64().map_err(|e| bad(&e))?),
        Marker::FixStr(n) => Val::Str(String::from_utf8_lossy(&take(r, n as usize)?).into_owned()),
        Marker::Str8
        | Marker::Str16
        | Marker::Str32
        | Marker::Bin8
        | Marker::Bin16
        | Marker::Bin32 => {
            let n = match marker {
                Marker::Str8 | Marker::Bin8 => r.read_data_u8().map_err(|e| bad(&e))? as usize,
                Marker::Str16 | Marker::Bin16 => r.read_data_u16().map_err(|e| bad(&e))? as usize,
                _ => r.read_data_u32().map_err(|e| bad(&e))? as usize,
            };
            let b = take(r, n)?;
            if matches!(marker, Marker::Str8 | Marker::Str16 | Marker::Str32) {
                Val::Str(String::from_utf8_lossy(&b).into_owned())
            } else {
                Val::Bin(b)
            }
        }
        Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => {
            let n = match marker {
                Marker::FixArray(n) => n as usize,
                Marker::Array16 => r.read_data_u16().map_err(|e| bad(&e))? as usize,
                _ => r.read_data_u32().map_err(|e| bad(&e))? as usize,
            };
            if n > r.len() {
                return Err("cut short".into());
            }
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                v.push(read_val(r, depth + 1)?);
            }
            Val::Arr(v)
        }
        Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => {
            let n = match marker {
                Marker::FixMap(n) => n as usize,
                Marker::Map16 => r.read_data_u16().map_err(|e| bad(&e))? as usize,
                _ => r.read_data_u32().map_err(|e| bad(&e))? as usize,
            };
            if n > r.len() {
                return Err("cut short".into());
            }
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                let k = read_val(r, depth + 1)?;
                let x = read_val(r, depth + 1)?;
                v.push((k, x));
            }
            Val::Map(v)
        }
        other => {
            return Err(format!(
                "a MessagePack value gloss does not read ({other:?})"
            ));
        }
    })
}

/// Reads a `.spacy` file (a DocBin): each document's text from its tokens
/// and spaces, its entities, its `cats` (a score of 0.5 or more).
pub fn read(name: &str, bytes: &[u8]) -> Result<Input, ReadError> {
    use std::io::Read;
    let bad = |m: String| ReadError {
        origin: name.to_string(),
        message: m,
    };
    let mut raw = vec![];
    flate2::read::ZlibDecoder::new(bytes)
        .take(super::MAX_INPUT_BYTES)
        .read_to_end(&mut raw)
        .map_err(|e| bad(format!("not a .spacy file (zlib): {e}")))?;
    let msg = read_val(&mut raw.as_slice(), 0).map_err(bad)?;
    let attrs: Vec<u64> = match msg.get("attrs") {
        Some(Val::Arr(a)) => a
            .iter()
            .map(|x| match x {
                Val::Int(n) => *n,
                _ => 0,
            })
            .collect(),
        _ => return Err(bad("not a DocBin: no attrs".into())),
    };
    let col = |id: u64| attrs.iter().position(|&a| a == id);
    let (Some(orth), iob, ty) = (col(ORTH), col(ENT_IOB), col(ENT_TYPE)) else {
        return Err(bad("a DocBin without ORTH".into()));
    };
    let bin = |k: &str| match msg.get(k) {
        Some(Val::Bin(b)) => Ok(b.clone()),
        _ => Err(bad(format!("a DocBin without {k}"))),
    };
    let (tokens, spaces, lengths) = (bin("tokens")?, bin("spaces")?, bin("lengths")?);
    let mut strings: std::collections::HashMap<u64, String> = super::spacy_symbols::SYMBOLS
        .iter()
        .map(|(s, id)| (*id, s.to_string()))
        .collect();
    if let Some(Val::Arr(a)) = msg.get("strings") {
        for x in a {
            if let Val::Str(s) = x {
                strings.insert(string_id(s), s.clone());
            }
        }
    }
    let cats = match msg.get("cats") {
        Some(Val::Arr(a)) => a.clone(),
        _ => vec![],
    };
    let width = attrs.len();
    let cell = |t: usize, c: usize| -> u64 {
        let at = (t * width + c) * 8;
        tokens
            .get(at..at + 8)
            .map_or(0, |b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
    };
    let mut input = Input::default();
    let mut first = 0usize;
    for (d, len) in lengths.chunks_exact(4).enumerate() {
        let n = i32::from_le_bytes(len.try_into().expect("4 bytes")).max(0) as usize;
        let origin = format!("{name}: doc {}", d + 1);
        let mut text = String::new();
        let mut doc = ImportDoc {
            origin: origin.clone(),
            codepoints_sure: true,
            ..ImportDoc::default()
        };
        // The text from the tokens and their spaces, and each token's place.
        let mut places: Vec<(usize, usize)> = Vec::with_capacity(n);
        let mut chars = 0usize;
        for t in first..first + n {
            let word = strings.get(&cell(t, orth)).cloned().unwrap_or_default();
            let end = chars + word.chars().count();
            places.push((chars, end));
            text.push_str(&word);
            chars = end;
            if spaces.get(t).is_some_and(|&s| s != 0) {
                text.push(' ');
                chars += 1;
            }
        }
        // Entities: B (3) starts one, I (1) goes on with it, else it ends.
        let mut open: Option<(usize, usize, String)> = None;
        let close = |open: &mut Option<(usize, usize, String)>, doc: &mut ImportDoc| {
            if let Some((s, e, label)) = open.take() {
                doc.spans.push(Span {
                    start: CharPos(s),
                    end: CharPos(e),
                    label,
                    origin: origin.clone(),
                    ..Span::default()
                });
            }
        };
        for (k, t) in (first..first + n).enumerate() {
            let (i, y) = (iob.map_or(0, |c| cell(t, c)), ty.map_or(0, |c| cell(t, c)));
            let label = strings.get(&y).cloned().unwrap_or_default();
            match (i, &mut open) {
                (1, Some((_, end, l))) if *l == label => *end = places[k].1,
                (1 | 3, _) => {
                    close(&mut open, &mut doc);
                    open = Some((places[k].0, places[k].1, label));
                }
                _ => close(&mut open, &mut doc),
            }
        }
        close(&mut open, &mut doc);
        first += n;
        if let Some(Val::Map(m)) = cats.get(d) {
            for (k, v) in m {
                if let (Val::Str(label), Val::Float(score)) = (k, v)
                    && *score >= 0.5
                {
                    doc.doc_labels.push(ImportDocLabel {
                        id: None,
                        group: "cats".into(),
                        label: label.clone(),
                        origin: doc.origin.clone(),
                    });
                }
            }
        }
        doc.text = Some(text);
        input.docs.push(doc);
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_hash_as_spacy_hashes_them() {
        // spacy.strings.hash_string, spaCy 3.8.
        assert_eq!(hash_string("Pompeo"), 16003464703552318114);
        assert_eq!(hash_string("PERSON"), 11121653176597302729);
        assert_eq!(hash_string("👍🏽"), 13607523020581129625);
        // Built-in symbols keep their ids.
        assert_eq!(string_id("PERSON"), 380);
        assert_eq!(string_id("Pompeo"), hash_string("Pompeo"));
    }

    #[test]
    fn hostile_docbins_are_refused_not_followed() {
        use std::io::Write as _;
        let z = |b: &[u8]| {
            let mut e = flate2::write::ZlibEncoder::new(vec![], flate2::Compression::default());
            e.write_all(b).unwrap();
            e.finish().unwrap()
        };
        // An array that says it holds four billion values; a map nested
        // past the limit; a DocBin without attrs.
        for bytes in [
            z(&[0xdd, 0xff, 0xff, 0xff, 0xff]),
            z(&[0x81; 100]),
            z(&[0x80]),
            b"not zlib".to_vec(),
        ] {
            let e = read("x.spacy", &bytes).unwrap_err();
            assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn tokens_and_spaces_give_back_the_text() {
        let text = "  Mike Pompeo\r\nmet  Esper.\n";
        let toks = doc_tokens(text, &[2, 13]);
        let mut back = String::new();
        for (r, space) in &toks {
            assert!(!r.is_empty());
            back.push_str(&text[r.clone()]);
            if *space {
                back.push(' ');
            }
        }
        assert_eq!(back, text);
        let words: Vec<&str> = toks.iter().map(|(r, _)| &text[r.clone()]).collect();
        assert_eq!(
            words,
            [
                "  ", "Mike", "Pompeo", "\r\n", "met", " ", "Esper", ".", "\n"
            ]
        );
    }
}
