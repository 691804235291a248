//! spaCy's tokenizer, for the token formats (`--tokenizer spacy`): an
//! optional step run in Python, for training data cut exactly as the spaCy
//! pipeline that will learn from it cuts text. A blank pipeline of the
//! chosen language (its tokenizer, its rules for abbreviations and
//! punctuation) with spaCy's rule-based sentencizer runs in one Python
//! process for the whole export: an article goes in as a JSON line, its
//! sentences of tokens (code point offsets) come back as one.
//!
//! What comes back is checked like an import (in the article, in order,
//! not overlapping); white-space tokens (spaCy makes one of a double
//! space) are left out, as the built-in tokenizers leave white space out.

use std::io::{self, BufRead, BufReader, Write};
use std::ops::Range;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};

use crate::core::offset::CharPos;
use crate::core::text::Text;

/// The Python side: a blank pipeline and a sentencizer, JSON lines both
/// ways. `max_length` is raised: a blank pipeline's memory is the text's.
const SCRIPT: &str = r#"
import json, sys
import spacy
nlp = spacy.blank(sys.argv[1])
nlp.add_pipe("sentencizer")
nlp.max_length = 10**9
print(json.dumps({"ready": spacy.__version__}), flush=True)
for line in sys.stdin:
    doc = nlp(json.loads(line)["text"])
    out = [[[t.idx, t.idx + len(t.text)] for t in s if not t.is_space] for s in doc.sents]
    print(json.dumps(out), flush=True)
"#;

/// How much of Python's standard error is kept to say why it stopped.
const STDERR_CAP: usize = 16 * 1024;

/// A running spaCy tokenizer.
pub struct SpacyTokenizer {
    child: Child,
    to: ChildStdin,
    from: BufReader<ChildStdout>,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// spaCy's version, as it said when it started.
    pub version: String,
}

impl SpacyTokenizer {
    /// Starts `python` with spaCy's blank pipeline for `lang` (`en`,
    /// `de`, `xx` for many languages); fails, saying what to install, when
    /// there is no such Python or it has no spaCy.
    pub fn start(python: &str, lang: &str) -> Result<Self, String> {
        let mut child = Command::new(python)
            .arg("-c")
            .arg(SCRIPT)
            .arg(lang)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                format!(
                    "--tokenizer spacy runs Python ({python:?}): {e}; install Python 3 with spaCy (pip install spacy), or give its path with --python or GLOSS_PYTHON"
                )
            })?;
        // Drained as it comes, so a chatty Python never blocks on a full
        // pipe; only the start is kept.
        let stderr = match child.stderr.take() {
            Some(err) => crate::core::fsio::keep_start(err, STDERR_CAP),
            None => Arc::new(Mutex::new(Vec::new())),
        };
        let to = child.stdin.take().expect("piped stdin");
        let from = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut me = SpacyTokenizer {
            child,
            to,
            from,
            stderr,
            version: String::new(),
        };
        let line = me.line().map_err(|e| me.failed(python, lang, &e))?;
        let ready: serde_json::Value = serde_json::from_str(&line)
            .map_err(|_| me.failed(python, lang, &io::Error::other("it did not start")))?;
        me.version = ready["ready"].as_str().unwrap_or("?").to_string();
        Ok(me)
    }

    fn line(&mut self) -> io::Result<String> {
        let mut line = String::new();
        if self.from.read_line(&mut line)? == 0 {
            return Err(io::Error::other("it stopped"));
        }
        Ok(line)
    }

    /// Why the Python side failed, with the last line it wrote (a
    /// traceback's), shown inert.
    fn failed(&mut self, python: &str, lang: &str, e: &io::Error) -> String {
        let _ = self.child.wait();
        let last = crate::core::fsio::last_line(&self.stderr).unwrap_or_default();
        if last.contains("No module named 'spacy'") {
            format!(
                "--tokenizer spacy: {python:?} has no spaCy; install it (pip install spacy), or give a Python that has it with --python or GLOSS_PYTHON"
            )
        } else {
            format!("--tokenizer spacy (language {lang:?}) with {python:?}: {e}: {last}")
        }
    }

    /// `text`'s sentences, each as the byte ranges of its tokens.
    pub fn sentences(&mut self, text: &Text) -> io::Result<Vec<Vec<Range<usize>>>> {
        let mut msg = serde_json::to_string(&serde_json::json!({ "text": text.as_str() }))?;
        msg.push('\n');
        self.to.write_all(msg.as_bytes())?;
        self.to.flush()?;
        let line = self.line()?;
        let got: Vec<Vec<(usize, usize)>> = serde_json::from_str(&line).map_err(|e| {
            io::Error::other(format!("spaCy's answer is not sentences of tokens: {e}"))
        })?;
        let mut out = Vec::with_capacity(got.len());
        let mut last = 0;
        for sentence in got {
            let mut toks = Vec::with_capacity(sentence.len());
            for (s, e) in sentence {
                let bytes = (s >= last && s < e)
                    .then(|| text.char_range_to_bytes(CharPos(s)..CharPos(e)))
                    .flatten()
                    .ok_or_else(|| {
                        io::Error::other(format!(
                            "spaCy gave a token {s}..{e} that is not in the text, or not in order"
                        ))
                    })?;
                last = e;
                toks.push(bytes);
            }
            if !toks.is_empty() {
                out.push(toks);
            }
        }
        Ok(out)
    }
}

impl Drop for SpacyTokenizer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
