//! An external command as a source (spaCy, GLiNER, a local LLM): it runs
//! once, through `sh -c`, and reads one JSON line per article on its
//! standard input, `{"text": …, "article": …}`, answering each with one
//! line, `[{"start": 0, "end": 6, "label": "PERSON", "score": 0.93}, …]`
//! (code point offsets, as Python slices; `score` may be left out).
//!
//! What it answers is checked like an import: a span outside the text,
//! not on whole characters, without a label, with a score outside 0..1, is
//! left out and counted. An answer that is not such a list, or longer than
//! `MAX_ANSWER`, refuses that article. A command that does not answer in
//! its time is stopped, and said; one that exits is said with the last
//! line it wrote to standard error (shown inert).

use std::io::{self, BufRead, BufReader, Read, Write};

use crate::core::fsio;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use super::{Candidate, SourceError};
use crate::core::display::sanitize_line;
use crate::core::offset::CharPos;
use crate::core::text::Text;

/// The longest answer read for one article.
pub const MAX_ANSWER: usize = 16 << 20;
/// How much of the command's standard error is kept, to say why it failed.
const STDERR_CAP: usize = 16 * 1024;

/// Items of answers left out, by why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refused {
    pub outside: usize,
    pub no_label: usize,
    pub bad_score: usize,
    pub not_a_span: usize,
}

impl Refused {
    pub fn total(&self) -> usize {
        self.outside + self.no_label + self.bad_score + self.not_a_span
    }

    /// `3 × outside the text, 1 × without a label`.
    pub fn describe(&self) -> String {
        [
            (self.outside, "outside the text or not on whole characters"),
            (self.no_label, "without a label"),
            (self.bad_score, "with a score outside 0..1"),
            (self.not_a_span, "not a span (start, end, label)"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, why)| format!("{n} × {why}"))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

pub struct CommandSource {
    cmd: String,
    timeout: Duration,
    child: Option<Child>,
    to: Option<ChildStdin>,
    lines: Option<Receiver<io::Result<Vec<u8>>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// Why it stopped for good (timed out, exited): later articles are
    /// not sent.
    pub stopped: Option<String>,
    pub refused: Refused,
}

impl CommandSource {
    pub fn new(cmd: &str, timeout: Duration) -> CommandSource {
        CommandSource {
            cmd: cmd.to_string(),
            timeout,
            child: None,
            to: None,
            lines: None,
            stderr: Arc::new(Mutex::new(vec![])),
            stopped: None,
            refused: Refused::default(),
        }
    }

    fn start(&mut self) -> Result<(), SourceError> {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(&self.cmd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| SourceError(format!("cannot run {:?}: {e}", self.cmd)))?;
        let mut out = BufReader::new(child.stdout.take().expect("piped stdout"));
        let (tx, rx) = channel();
        // Lines are read in a thread, so that a command that never answers
        // costs its timeout, not the app.
        std::thread::spawn(move || {
            loop {
                let mut line = vec![];
                let r = (&mut out)
                    .take(MAX_ANSWER as u64 + 1)
                    .read_until(b'\n', &mut line);
                let done = matches!(r, Ok(0) | Err(_));
                if tx.send(r.map(|_| line)).is_err() || done {
                    break;
                }
            }
        });
        if let Some(err) = child.stderr.take() {
            self.stderr = fsio::keep_start(err, STDERR_CAP);
        }
        self.to = child.stdin.take();
        self.lines = Some(rx);
        self.child = Some(child);
        Ok(())
    }

    /// Stops the command for good, saying why.
    fn stop(&mut self, why: String) -> SourceError {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        self.to = None;
        self.lines = None;
        let why = match fsio::last_line(&self.stderr) {
            Some(l) => format!("{why} (it said: {l})"),
            None => why,
        };
        self.stopped = Some(why.clone());
        SourceError(why)
    }

    /// What the command proposes for `text` (named `article`).
    pub fn propose_for(
        &mut self,
        text: &Text,
        article: &str,
    ) -> Result<Vec<Candidate>, SourceError> {
        if let Some(why) = &self.stopped {
            return Err(SourceError(format!("not run: {why}")));
        }
        if self.child.is_none() {
            self.start()?;
        }
        let mut msg = serde_json::to_string(&serde_json::json!({
            "text": text.as_str(),
            "article": article,
        }))
        .map_err(|e| SourceError(e.to_string()))?;
        msg.push('\n');
        let sent = self
            .to
            .as_mut()
            .map(|to| to.write_all(msg.as_bytes()).and_then(|_| to.flush()));
        if !matches!(sent, Some(Ok(()))) {
            return Err(self.stop(format!("{:?} stopped reading", self.cmd)));
        }
        let got = self
            .lines
            .as_ref()
            .expect("started")
            .recv_timeout(self.timeout);
        let line = match got {
            Ok(Ok(line)) if line.is_empty() => {
                return Err(self.stop(format!("{:?} exited", self.cmd)));
            }
            Ok(Ok(line)) => line,
            Ok(Err(e)) => return Err(self.stop(format!("reading {:?}: {e}", self.cmd))),
            Err(RecvTimeoutError::Timeout) => {
                return Err(self.stop(format!(
                    "{:?} gave no answer in {} s; stopped",
                    self.cmd,
                    self.timeout.as_secs_f64()
                )));
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(self.stop(format!("{:?} exited", self.cmd)));
            }
        };
        if line.len() > MAX_ANSWER {
            return Err(self.stop(format!(
                "{:?} answered with more than {} MB for one article; stopped",
                self.cmd,
                MAX_ANSWER >> 20
            )));
        }
        let v: Value = serde_json::from_slice(&line).map_err(|e| {
            let shown: String = String::from_utf8_lossy(&line).chars().take(60).collect();
            SourceError(format!(
                "its answer is not JSON ({e}): {}",
                sanitize_line(shown.trim_end())
            ))
        })?;
        let Value::Array(items) = v else {
            return Err(SourceError(
                "its answer is not a list of spans ([{\"start\", \"end\", \"label\"}])".into(),
            ));
        };
        Ok(self.candidates(text, &items))
    }

    /// The answer's items that are spans of `text`, counting the others.
    fn candidates(&mut self, text: &Text, items: &[Value]) -> Vec<Candidate> {
        let mut out = vec![];
        for it in items {
            let (Some(a), Some(b)) = (
                it.get("start").and_then(Value::as_u64),
                it.get("end").and_then(Value::as_u64),
            ) else {
                self.refused.not_a_span += 1;
                continue;
            };
            let Some(label) = it
                .get("label")
                .and_then(Value::as_str)
                .filter(|l| !l.trim().is_empty() && !l.chars().any(char::is_control))
            else {
                self.refused.no_label += 1;
                continue;
            };
            let score = match it.get("score") {
                None | Some(Value::Null) => None,
                Some(s) => match s.as_f64().filter(|f| (0.0..=1.0).contains(f)) {
                    Some(f) => Some(f),
                    None => {
                        self.refused.bad_score += 1;
                        continue;
                    }
                },
            };
            let range = (a < b)
                .then(|| text.char_range_to_bytes(CharPos(a as usize)..CharPos(b as usize)))
                .flatten()
                .filter(|r| text.is_grapheme_boundary(r.start) && text.is_grapheme_boundary(r.end));
            let Some(range) = range else {
                self.refused.outside += 1;
                continue;
            };
            out.push(Candidate {
                range,
                label: label.to_string(),
                score,
            });
        }
        out
    }
}

impl Drop for CommandSource {
    fn drop(&mut self) {
        // Its input closed first, so that a well-behaved command ends.
        self.to = None;
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
