//! Deciding suggestions in the open article: accept the one under the
//! cursor (it becomes an annotation), reject it (remembered, never
//! proposed again), go to the next, accept all scoring at least a
//! threshold, reject all from a source. Each is one undo step. And
//! running the schema's sources on the open article (`=`), on a thread of
//! their own so that typing never waits for a slow command.

use super::*;
use crate::core::annotation::{Decision, Suggestion};
use crate::core::suggestion::Tally;
use crate::session::background::SuggestJob;

impl App {
    /// The open suggestion under the cursor (the shortest, where several
    /// lie there).
    pub fn suggestion_here(&self) -> Option<&Suggestion> {
        let d = self.doc.as_ref()?;
        open_suggestions(&d.session.store)
            .filter(|s| s.range().contains(&d.cursor))
            .min_by_key(|s| s.end.get() - s.start.get())
    }

    /// How a source did in this article: accepted of decided.
    pub fn tally_of(&self, source: &str) -> Tally {
        let mut t = Tally::default();
        if let Some(d) = &self.doc {
            for s in d.session.store.suggestions() {
                if s.source == source {
                    t.add(&s.decision);
                }
            }
        }
        t
    }

    /// The annotation suggestion `s` becomes.
    fn annotation_of(&self, s: &Suggestion, taken: &dyn Fn(&str) -> bool) -> Annotation {
        Annotation {
            id: new_id(taken),
            start: s.start,
            end: s.end,
            label: s.label.clone(),
            annotator: self.settings.annotator.clone(),
            created: now_rfc3339(),
            ..Default::default()
        }
    }

    /// The suggestion under the cursor, to decide; says why there is none.
    fn suggestion_to_decide(&mut self) -> Option<Suggestion> {
        if !self.check_writable() {
            return None;
        }
        let s = self.suggestion_here().cloned();
        if s.is_none() {
            self.no_suggestion_here();
        }
        s
    }

    fn no_suggestion_here(&mut self) {
        let left = self
            .doc
            .as_ref()
            .map_or(0, |d| open_suggestions(&d.session.store).count());
        self.message = msg(
            if left == 0 {
                "no suggestions left in this article".to_string()
            } else {
                format!("no suggestion under the cursor; z goes to the next of {left}")
            },
            Tone::Warn,
        );
    }

    /// `a`: the suggestion under the cursor becomes an annotation.
    pub(super) fn accept_suggestion(&mut self) {
        let Some(s) = self.suggestion_to_decide() else {
            return;
        };
        let d = self.doc.as_ref().expect("doc");
        let store = &d.session.store;
        let mut ids: std::collections::HashSet<String> = Default::default();
        let ann = self.annotation_of(&s, &|x| store.contains_id(x) || ids.contains(x));
        ids.insert(ann.id.clone());
        let d = self.doc.as_mut().expect("doc");
        d.session.store.accept(vec![(s.id.clone(), ann.clone())]);
        let what = format!("accepted {}", self.describe(&ann));
        self.decided(what, &s.source);
    }

    /// Says what was decided, with how the source does here; saves, and
    /// goes on to the next suggestion.
    fn decided(&mut self, what: String, source: &str) {
        let t = self.tally_of(source);
        self.message = msg(
            format!(
                "{what} · {source} {}/{} accepted here · u undoes",
                t.accepted,
                t.accepted + t.rejected
            ),
            Tone::Info,
        );
        self.persist();
        self.step_suggestion(true, false);
    }

    /// `x`: the suggestion under the cursor is rejected.
    pub(super) fn reject_suggestion(&mut self) {
        let Some(s) = self.suggestion_to_decide() else {
            return;
        };
        let d = self.doc.as_mut().expect("doc");
        d.session.store.reject(std::slice::from_ref(&s.id));
        let quote = short(d.session.text.slice(s.range()), 30);
        let what = format!("rejected {} “{quote}”, never proposed again", s.label);
        self.decided(what, &s.source);
    }

    /// `z` / `Z`: to the next (previous) open suggestion, round the end.
    /// With `say`, what it is goes to the status row when there is none.
    pub(super) fn step_suggestion(&mut self, forward: bool, say: bool) {
        let Some(d) = self.doc.as_ref() else { return };
        let c = d.cursor;
        let mut starts: Vec<usize> = open_suggestions(&d.session.store)
            .map(|s| s.start.get())
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let to = if forward {
            starts
                .iter()
                .find(|&&p| p > c)
                .or_else(|| starts.first())
                .copied()
        } else {
            starts
                .iter()
                .rev()
                .find(|&&p| p < c)
                .or_else(|| starts.last())
                .copied()
        };
        match to {
            Some(p) => {
                self.move_to(p);
                if say {
                    self.message = None;
                }
            }
            None if say => self.message = msg("no suggestions in this article", Tone::Info),
            None => {}
        }
    }

    /// `Y`: asks for the lowest score to accept.
    pub(super) fn ask_accept_above(&mut self) {
        if !self.check_writable() {
            return;
        }
        let n = self
            .doc
            .as_ref()
            .map_or(0, |d| open_suggestions(&d.session.store).count());
        if n == 0 {
            self.message = msg("no suggestions in this article", Tone::Info);
            return;
        }
        self.mode = Mode::Prompt(Prompt {
            kind: PromptKind::AcceptAbove,
            input: LineInput::with("0.5"),
        });
    }

    /// Accepts every open suggestion scoring at least `q` (a number from
    /// 0 to 1; one without a score counts as 1, a list's word being sure).
    pub(super) fn accept_above(&mut self, q: &str) {
        let Ok(min) = q.trim().parse::<f64>() else {
            self.message = msg(
                format!(
                    "{:?} is not a score: give a number from 0 to 1",
                    short(q, 20)
                ),
                Tone::Warn,
            );
            return;
        };
        let Some(d) = self.doc.as_ref() else { return };
        let store = &d.session.store;
        let chosen: Vec<Suggestion> = open_suggestions(store)
            .filter(|s| s.score.map_or(1.0, |x| x.0) >= min)
            .cloned()
            .collect();
        // One passage offered twice (two sources, or two labels of one):
        // the first of each passage and label only.
        let mut seen = std::collections::HashSet::new();
        let mut ids: std::collections::HashSet<String> = Default::default();
        let mut pairs = vec![];
        for s in chosen {
            if !seen.insert((s.start, s.end, s.label.clone())) {
                continue;
            }
            let a = self.annotation_of(&s, &|x| store.contains_id(x) || ids.contains(x));
            ids.insert(a.id.clone());
            pairs.push((s.id.clone(), a));
        }
        let d = self.doc.as_mut().expect("doc");
        let n = d.session.store.accept(pairs);
        self.message = msg(
            format!("accepted {n} suggestion(s) scoring at least {min} (u undoes them all)"),
            Tone::Info,
        );
        if n > 0 {
            self.persist();
        }
    }

    /// `X`: rejects every open suggestion from the source of the one under
    /// the cursor.
    pub(super) fn reject_source(&mut self) {
        let Some(s) = self.suggestion_to_decide() else {
            return;
        };
        let d = self.doc.as_mut().expect("doc");
        let ids: Vec<String> = open_suggestions(&d.session.store)
            .filter(|x| x.source == s.source)
            .map(|x| x.id.clone())
            .collect();
        let n = d.session.store.reject(&ids);
        self.message = msg(
            format!(
                "rejected all {n} open suggestion(s) from {} here (u undoes them all)",
                s.source
            ),
            Tone::Info,
        );
        self.persist();
    }

    /// What the status row says of the suggestion under the cursor.
    /// `=`: runs the schema's suggestion sources (`[[suggest]]`) on the
    /// open article, away from the interface; their suggestions come
    /// back as `Reply::Proposed`.
    pub(super) fn run_suggestions(&mut self) {
        if !self.check_writable() {
            return;
        }
        let Some(d) = self.doc.as_ref() else { return };
        if self.schema.suggest.is_empty() {
            self.message = msg(
                format!(
                    "no suggestion source: name some in {} ([[suggest]]: a gazetteer, patterns, propagate or a command)",
                    sanitize_line(&self.settings.labels.display().to_string())
                ),
                Tone::Warn,
            );
            return;
        }
        self.suggest_job += 1;
        let names: Vec<String> = self
            .schema
            .suggest
            .iter()
            .map(|s| sanitize_line(&s.name))
            .collect();
        self.outbox.push(Request::Suggest(Box::new(SuggestJob {
            job: self.suggest_job,
            idx: d.session.idx,
            rel: d.session.rel.clone(),
            text: d.session.text.clone(),
            sources: self.schema.suggest.clone(),
            schema: self.settings.labels.clone(),
            run_commands: self.settings.schema_commands,
            timeout: std::time::Duration::from_secs(30),
            entries: self.list.entries.clone(),
            annotations: self.settings.annotations.clone(),
        })));
        self.suggesting = Some(names.join(", "));
        self.message = msg(
            format!("suggesting ({})… keep working", names.join(", ")),
            Tone::Info,
        );
    }

    /// What the sources proposed: added to the open article as one undo
    /// step if it is still open as it was, else to its sidecar.
    pub(super) fn on_proposed(
        &mut self,
        job: u64,
        idx: usize,
        fingerprint: String,
        proposed: Vec<(String, Vec<crate::suggest::Candidate>)>,
        notes: Vec<String>,
    ) {
        if job != self.suggest_job {
            return;
        }
        self.suggesting = None;
        let problem = notes.first().map(|n| sanitize_line(n));
        let same = self
            .doc
            .as_ref()
            .is_some_and(|d| d.session.idx == idx && d.session.text.fingerprint() == fingerprint);
        if !same {
            let Some(entry) = self.list.entries.get(idx).cloned() else {
                return;
            };
            let Some(text) = self
                .doc
                .as_ref()
                .filter(|d| d.session.idx == idx)
                .map(|d| d.session.text.clone())
                .or_else(|| {
                    let a = crate::core::article::read_article(&entry.path);
                    a.problem.is_none().then(|| Arc::new(a.text))
                })
            else {
                return;
            };
            if text.fingerprint() != fingerprint {
                self.message = msg(
                    "suggestions dropped: the article changed while they were made",
                    Tone::Warn,
                );
                return;
            }
            self.writes_elsewhere += 1;
            self.outbox.push(Request::WriteSuggestions {
                root: self.settings.annotations.clone(),
                idx,
                entry,
                text,
                proposed,
            });
            return;
        }
        let Some(d) = self.doc.as_mut() else { return };
        let store = &mut d.session.store;
        let mut taken = crate::suggest::ids_of(store);
        let mut all = vec![];
        let mut said = vec![];
        for (name, cands) in &proposed {
            let (new, _) = crate::suggest::fresh(&d.session.text, store, name, cands, &mut taken);
            said.push(format!("{} {}", sanitize_line(name), new.len()));
            all.extend(new);
        }
        let n = all.len();
        store.suggest(all);
        let mut text = if n == 0 {
            format!("nothing new suggested ({})", said.join(", "))
        } else {
            format!(
                "{n} suggestion(s): {}; z goes to the next, a accepts, x rejects (u undoes)",
                said.join(", ")
            )
        };
        if let Some(p) = &problem {
            text.push_str(&format!("; {p}"));
        }
        self.message = msg(
            text,
            if problem.is_some() {
                Tone::Warn
            } else {
                Tone::Info
            },
        );
        if n > 0 {
            self.persist();
        }
    }

    pub fn suggestion_status(&self) -> Option<String> {
        let s = self.suggestion_here()?;
        let t = self.tally_of(&s.source);
        let score = s.score.map(|x| format!(" {:.2}", x.0)).unwrap_or_default();
        let precision = match t.precision() {
            Some(p) => format!(
                " · {}: {} of {} accepted ({:.0}%)",
                s.source,
                t.accepted,
                t.accepted + t.rejected,
                p * 100.0
            ),
            None => String::new(),
        };
        Some(format!(
            "suggested {}{score} by {}{precision} · a accept · x reject · z next",
            s.label, s.source
        ))
    }
}

/// The suggestions still to decide.
pub fn open_suggestions(store: &Store) -> impl Iterator<Item = &Suggestion> {
    store
        .suggestions()
        .iter()
        .map(|s| &**s)
        .filter(|s| s.decision == Decision::Open)
}

/// `s` cut to `n` characters, for a message.
fn short(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    sanitize_line(&out)
}
