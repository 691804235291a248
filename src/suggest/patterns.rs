//! Patterns, one JSON object per line, each with a `label`:
//!
//! - spaCy's and Prodigy's pattern files: `"pattern": "Apple"` (a phrase,
//!   as written), or `"pattern": [{"LOWER": "san"}, {"LOWER": "francisco"}]`
//!   (a token per object, by `ORTH`/`TEXT` or `LOWER`, each a string, or
//!   `{"REGEX": …}` or `{"IN": […]}`); tokens are Unicode words, English
//!   clitics cut off as spaCy cuts them (`Monday’s`: `Monday` `’s`);
//! - gloss's own: `"phrase": "new york", "ignore_case": true` and
//!   `"regex": "\\b\\d{4}-\\d{2}-\\d{2}\\b"` (Rust's regular expressions).
//!
//! A line gloss cannot run (a quantifier `OP`, a token attribute that needs
//! a spaCy pipeline: `POS`, `LEMMA`, `ENT_TYPE`) is skipped and said with
//! its line; the others run. A phrase or a token pattern matches whole
//! words only; a regular expression matches where it says.

use regex::Regex;
use serde_json::Value;

use super::Candidate;
use crate::core::error::LineError;
use crate::core::phrases::{PhraseMatcher, whole_words};
use crate::core::text::Text;
use crate::formats::tokens::{Words, sentences};

/// What a token must be.
enum Want {
    Is(String),
    In(Vec<String>),
    Like(Regex),
}

impl Want {
    fn matches(&self, s: &str) -> bool {
        match self {
            Want::Is(w) => s == w,
            Want::In(v) => v.iter().any(|w| w == s),
            Want::Like(r) => r.is_match(s),
        }
    }
}

/// One token of a token pattern: its text, or its text lowercased.
struct TokenSpec {
    lower: bool,
    want: Want,
}

struct TokenPattern {
    label: String,
    score: Option<f64>,
    tokens: Vec<TokenSpec>,
}

struct RegexPattern {
    label: String,
    score: Option<f64>,
    re: Regex,
    /// A phrase written as a regular expression (to ignore case): whole
    /// words only.
    whole: bool,
}

pub struct Patterns {
    phrases: PhraseMatcher,
    tokens: Vec<TokenPattern>,
    regexes: Vec<RegexPattern>,
    /// How many lines were read into patterns.
    pub count: usize,
}

/// The longest regular expression gloss compiles (a pattern file is
/// the user's, but may come from anywhere).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

fn regex(src: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(src)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| format!("a regular expression that does not compile: {e}"))
}

fn want(v: &Value) -> Result<Want, String> {
    match v {
        Value::String(s) => Ok(Want::Is(s.clone())),
        Value::Object(o) => {
            if let Some(r) = o.get("REGEX").and_then(Value::as_str) {
                Ok(Want::Like(regex(r)?))
            } else if let Some(list) = o.get("IN").and_then(Value::as_array) {
                Ok(Want::In(
                    list.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect(),
                ))
            } else {
                Err(format!(
                    "a token value gloss does not run: {}",
                    o.keys().cloned().collect::<Vec<_>>().join(", ")
                ))
            }
        }
        _ => Err("a token value that is neither text nor an object".into()),
    }
}

fn token_spec(v: &Value) -> Result<TokenSpec, String> {
    let o = v.as_object().ok_or("a token that is not an object")?;
    if o.contains_key("OP") {
        return Err("a quantifier (OP), which gloss does not run".into());
    }
    let mut spec = None;
    for (k, v) in o {
        let lower = match k.as_str() {
            "ORTH" | "TEXT" => false,
            "LOWER" => true,
            other => {
                return Err(format!(
                    "a token attribute that needs a spaCy pipeline: {other}"
                ));
            }
        };
        if spec.is_some() {
            return Err("a token with two attributes".into());
        }
        spec = Some(TokenSpec {
            lower,
            want: want(v)?,
        });
    }
    spec.ok_or_else(|| "an empty token (it matches any token; gloss does not run it)".into())
}

impl Patterns {
    /// Reads a pattern file: the patterns, and each line skipped with why.
    pub fn parse(src: &str) -> (Patterns, Vec<LineError>) {
        let mut phrases = vec![];
        let mut tokens = vec![];
        let mut regexes = vec![];
        let mut skipped = vec![];
        let mut count = 0;
        for (i, line) in src.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let mut read = || -> Result<(), String> {
                let v: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
                let label = v
                    .get("label")
                    .and_then(Value::as_str)
                    .filter(|l| !l.trim().is_empty() && !l.chars().any(char::is_control))
                    .ok_or("no label")?
                    .to_string();
                let score = v.get("score").and_then(Value::as_f64);
                if let Some(r) = v.get("regex").and_then(Value::as_str) {
                    regexes.push(RegexPattern {
                        label,
                        score,
                        re: regex(r)?,
                        whole: false,
                    });
                } else if let Some(p) = v.get("phrase").and_then(Value::as_str) {
                    if v.get("ignore_case").and_then(Value::as_bool) == Some(true) {
                        regexes.push(RegexPattern {
                            label,
                            score,
                            re: regex(&format!("(?i){}", regex::escape(p)))?,
                            whole: true,
                        });
                    } else {
                        phrases.push((p.to_string(), label, score));
                    }
                } else {
                    match v.get("pattern") {
                        Some(Value::String(p)) => phrases.push((p.clone(), label, score)),
                        Some(Value::Array(list)) if !list.is_empty() => {
                            let specs = list.iter().map(token_spec).collect::<Result<_, _>>()?;
                            tokens.push(TokenPattern {
                                label,
                                score,
                                tokens: specs,
                            });
                        }
                        _ => return Err("no pattern, phrase or regex".into()),
                    }
                }
                Ok(())
            };
            match read() {
                Ok(()) => count += 1,
                Err(message) => skipped.push(LineError {
                    line: i + 1,
                    message,
                }),
            }
        }
        (
            Patterns {
                phrases: PhraseMatcher::new(phrases),
                tokens,
                regexes,
                count,
            },
            skipped,
        )
    }

    pub fn propose(&self, text: &Text) -> Vec<Candidate> {
        let s = text.as_str();
        let mut out = self.phrases.find(text);
        for p in &self.regexes {
            for m in p.re.find_iter(s) {
                if m.is_empty() || (p.whole && !whole_words(s, m.start(), m.end())) {
                    continue;
                }
                out.push(Candidate {
                    range: m.range(),
                    label: p.label.clone(),
                    score: p.score,
                });
            }
        }
        if !self.tokens.is_empty() {
            let toks: Vec<std::ops::Range<usize>> = sentences(s, Words::Unicode)
                .into_iter()
                .flatten()
                .flat_map(|t| clitics(s, t))
                .collect();
            let lower: Vec<String> = toks.iter().map(|r| s[r.clone()].to_lowercase()).collect();
            for p in &self.tokens {
                let n = p.tokens.len();
                for i in 0..toks.len().saturating_sub(n - 1) {
                    let all = p.tokens.iter().enumerate().all(|(k, spec)| {
                        let t = if spec.lower {
                            lower[i + k].as_str()
                        } else {
                            &s[toks[i + k].clone()]
                        };
                        spec.want.matches(t)
                    });
                    if all {
                        out.push(Candidate {
                            range: toks[i].start..toks[i + n - 1].end,
                            label: p.label.clone(),
                            score: p.score,
                        });
                    }
                }
            }
        }
        out
    }
}

/// A Unicode word with an English clitic cut off it, as spaCy's
/// tokenizer cuts them (`Monday’s` is `Monday` `’s`, `don't` is `do`
/// `n't`): patterns written for spaCy find their words.
fn clitics(s: &str, t: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let w = &s[t.clone()];
    let lower = w.to_lowercase();
    for nt in ["n't", "n\u{2019}t"] {
        if lower.len() > nt.len() && lower.ends_with(nt) && lower.len() == w.len() {
            let cut = t.end - nt.len();
            return vec![t.start..cut, cut..t.end];
        }
    }
    if let Some((i, c)) = w
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '\'' || *c == '\u{2019}')
    {
        let rest = w[i + c.len_utf8()..].to_lowercase();
        if ["s", "d", "ll", "re", "ve", "m"].contains(&rest.as_str()) {
            return vec![t.start..t.start + i, t.start + i..t.end];
        }
    }
    vec![t]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(p: &Patterns, t: &str) -> Vec<(String, String)> {
        let text = Text::new(t.into());
        let mut v: Vec<_> = p
            .propose(&text)
            .into_iter()
            .map(|c| (t[c.range].to_string(), c.label))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn spacy_token_patterns_phrases_and_regexes() {
        let src = r#"{"label": "ORG", "pattern": "Apple"}
{"label": "GPE", "pattern": [{"LOWER": "san"}, {"LOWER": "francisco"}]}
{"label": "DATE", "pattern": [{"TEXT": {"REGEX": "^\\d{4}$"}}]}
{"label": "PRODUCT", "pattern": [{"ORTH": {"IN": ["iPhone", "iPad"]}}]}
{"label": "GPE", "phrase": "new york", "ignore_case": true}
{"label": "ISO", "regex": "\\d{4}-\\d{2}-\\d{2}"}
{"label": "X", "pattern": [{"POS": "NOUN"}]}
{"label": "X", "pattern": [{"LOWER": "a", "OP": "+"}]}
not json
{"pattern": "no label"}
"#;
        let (p, skipped) = Patterns::parse(src);
        assert_eq!(p.count, 6);
        let lines: Vec<usize> = skipped.iter().map(|e| e.line).collect();
        assert_eq!(lines, [7, 8, 9, 10]);
        assert!(skipped[0].message.contains("POS"), "{}", skipped[0].message);
        assert!(skipped[1].message.contains("OP"), "{}", skipped[1].message);
        assert_eq!(
            found(
                &p,
                "Apple opened in SAN Francisco and NEW YORK on 2024-05-01 in 2024 with iPad; Applet, Newark, iPad’s."
            ),
            [
                ("2024".to_string(), "DATE".to_string()),
                ("2024".into(), "DATE".into()),
                ("2024-05-01".into(), "ISO".into()),
                ("Apple".into(), "ORG".into()),
                ("NEW YORK".into(), "GPE".into()),
                ("SAN Francisco".into(), "GPE".into()),
                ("iPad".into(), "PRODUCT".into()),
                ("iPad".into(), "PRODUCT".into()),
            ]
        );
    }
}
