//! The corpus search (`S`) and the consistency check (`C`): their lists
//! filled from the background jobs' answers, opening an article at a
//! place, and tagging or fixing places in any article: those in the open
//! article through its store, the others in their sidecars through the
//! I/O thread; each one undoable step of the open article, as `*` is.

use std::ops::Range;

use super::*;
use crate::core::grep::Query;
use crate::tui::components::corpus_view::{self, CorpusView, Kind, Row};

/// The rows a page of the list shows, near enough: the screen less its
/// frame, pattern and status lines.
fn page(app: &App) -> usize {
    (app.size.1 as usize).saturating_sub(8).max(1)
}

impl App {
    /// The view of `kind`, if it was opened.
    pub fn corpus_view(&self, kind: Kind) -> Option<&CorpusView> {
        match kind {
            Kind::Search => self.search_view.as_ref(),
            Kind::Consistency => self.check_view.as_ref(),
        }
    }

    pub(super) fn corpus_view_mut(&mut self, kind: Kind) -> Option<&mut CorpusView> {
        match kind {
            Kind::Search => self.search_view.as_mut(),
            Kind::Consistency => self.check_view.as_mut(),
        }
    }

    /// `S`: the corpus search as it was left (its pattern to edit), or a
    /// new one.
    pub(super) fn open_corpus_search(&mut self) {
        let total = self.list.entries.len();
        let v = self
            .search_view
            .get_or_insert_with(|| CorpusView::search("", false, total));
        v.editing = true;
        self.mode = Mode::Corpus(Kind::Search);
    }

    /// `C`: the consistency check, run afresh (the tags change as one
    /// works) on a thread of its own.
    pub(super) fn open_consistency(&mut self) {
        self.corpus_job += 1;
        self.check_view = Some(CorpusView::consistency(
            self.corpus_job,
            self.list.entries.len(),
        ));
        self.outbox.push(Request::Consistency {
            job: self.corpus_job,
            entries: self.list.entries.clone(),
            annotations: self.settings.annotations.clone(),
        });
        self.mode = Mode::Corpus(Kind::Consistency);
    }

    pub(super) fn on_corpus_key(&mut self, kind: Kind, k: &KeyEvent) {
        let page = page(self);
        let Some(v) = self.corpus_view_mut(kind) else {
            return;
        };
        let outcome = v.handle(k, page);
        self.mode = Mode::Corpus(kind);
        match outcome {
            corpus_view::Outcome::Stay => {}
            corpus_view::Outcome::Close => self.mode = Mode::Normal,
            corpus_view::Outcome::Search => self.start_search(),
            corpus_view::Outcome::Open => {
                if let Some(r) = self.corpus_view(kind).and_then(|v| v.current()).cloned() {
                    self.mode = Mode::Normal;
                    self.open_at(r.idx, r.at.range);
                }
            }
            corpus_view::Outcome::Tag(n) => match self.schema.by_key(n) {
                Some(l) => {
                    let label = l.name.clone();
                    self.tag_row(kind, label);
                }
                None => self.message = msg(format!("no label on key {n}"), Tone::Warn),
            },
            corpus_view::Outcome::Fix => self.fix_row(kind),
            corpus_view::Outcome::FixAll => self.fix_all(kind),
            corpus_view::Outcome::TagAll => self.preview_rows(kind),
        }
    }

    /// Runs the pattern typed over the corpus.
    fn start_search(&mut self) {
        let Some(v) = self.search_view.as_mut() else {
            return;
        };
        match Query::new(&v.input.text, v.regex, None) {
            Err(e) => {
                v.error = Some(e);
                v.editing = true;
            }
            Ok(query) => {
                self.corpus_job += 1;
                v.restart(self.corpus_job);
                v.total = self.list.entries.len();
                self.outbox.push(Request::SearchCorpus {
                    job: self.corpus_job,
                    query,
                    entries: self.list.entries.clone(),
                    annotations: self.settings.annotations.clone(),
                });
            }
        }
    }

    /// The background jobs' answers.
    pub(super) fn on_corpus_reply(&mut self, r: Reply) {
        match r {
            Reply::Found {
                job,
                items,
                searched,
            } => {
                let entries = self.list.entries.clone();
                if let Some(v) = self.search_view.as_mut().filter(|v| v.job == job) {
                    v.searched = searched;
                    v.extend(items.into_iter().flat_map(|(idx, found)| {
                        let rel = entries[idx].rel.clone();
                        found
                            .into_iter()
                            .map(move |m| Row::from_listed(idx, &rel, m))
                    }));
                }
            }
            Reply::SearchDone {
                job, problems, cut, ..
            } => {
                if let Some(v) = self.search_view.as_mut().filter(|v| v.job == job) {
                    v.searching = false;
                    v.searched = v.total;
                    v.problems = problems;
                    v.cut = cut;
                }
            }
            Reply::Findings {
                job,
                findings,
                problems,
                cut,
            } => {
                if let Some(v) = self.check_view.as_mut().filter(|v| v.job == job) {
                    v.searching = false;
                    v.searched = v.total;
                    v.problems = problems;
                    v.cut = cut;
                    v.extend(findings.into_iter().map(|(i, f)| Row::from_finding(i, f)));
                }
            }
            _ => {}
        }
    }

    /// Opens article `idx` with the cursor on `range` (shown as the match
    /// found), the text focused.
    pub(super) fn open_at(&mut self, idx: usize, range: Range<usize>) {
        if let Some(row) = self.list.visible.iter().position(|&i| i == idx) {
            self.list.select(row);
        }
        self.focus = Focus::Text;
        if self.doc.as_ref().is_some_and(|d| d.session.idx == idx) {
            self.land(range);
            return;
        }
        self.positions.insert(idx, (range.start, range.start));
        self.landing = Some((idx, range));
        self.request_open(idx);
    }

    /// Puts the cursor on `range` of the open article, shown as found.
    pub(super) fn land(&mut self, range: Range<usize>) {
        let Some(d) = self.doc.as_mut() else { return };
        let t = &d.session.text;
        if range.end > t.len() || !t.is_grapheme_boundary(range.start) {
            self.message = msg("the article changed: that place is gone", Tone::Warn);
            return;
        }
        self.move_to(range.start);
        if let Some(d) = self.doc.as_mut() {
            d.found = Some(range);
        }
    }

    /// Tags the selected row of `kind` with `label`, then goes to the next
    /// row.
    fn tag_row(&mut self, kind: Kind, label: String) {
        let Some(r) = self.corpus_view(kind).and_then(|v| v.current()).cloned() else {
            return;
        };
        if r.at.labels.contains(&label) {
            self.message = msg(
                format!("already tagged {}", sanitize_line(&label)),
                Tone::Info,
            );
            return;
        }
        if !self.tag_place(&r, &label, None) {
            return;
        }
        if let Some(v) = self.corpus_view_mut(kind) {
            if let Some(row) = v.current_mut() {
                row.at.labels.push(label);
                row.at.labels.sort();
            }
            v.selected = (v.selected + 1).min(v.shown.len().saturating_sub(1));
        }
    }

    /// `f`: gives the selected finding's place the label its text usually
    /// bears (relabels the annotation there, or tags the untagged place).
    fn fix_row(&mut self, kind: Kind) {
        let Some(r) = self.corpus_view(kind).and_then(|v| v.current()).cloned() else {
            return;
        };
        let Some(fix) = r.finding.clone() else { return };
        if fix.done {
            self.message = msg("fixed already (u undoes it)", Tone::Info);
            return;
        }
        let Some(usual) = fix.usual.clone() else {
            return;
        };
        if !self.tag_place(&r, &usual, fix.id.as_deref()) {
            return;
        }
        if let Some(v) = self.corpus_view_mut(kind) {
            if let Some(row) = v.current_mut() {
                row.at.labels = vec![usual];
                if let Some(f) = row.finding.as_mut() {
                    f.done = true;
                }
            }
            v.selected = (v.selected + 1).min(v.shown.len().saturating_sub(1));
        }
    }

    /// `F`: fixes every finding shown (each place gets the label its text
    /// usually bears), here and in other articles, as one undo step.
    fn fix_all(&mut self, kind: Kind) {
        if !self.check_writable() {
            return;
        }
        let Some(open) = self.doc.as_ref().map(|d| d.session.idx) else {
            return;
        };
        let rows: Vec<(usize, Row, String)> = self
            .corpus_view(kind)
            .map(|v| {
                v.shown
                    .iter()
                    .filter_map(|&i| {
                        let r = &v.rows[i];
                        let f = r.finding.as_ref().filter(|f| !f.done)?;
                        Some((i, r.clone(), f.usual.clone()?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if rows.is_empty() {
            self.message = msg("nothing to fix among the findings shown", Tone::Info);
            return;
        }
        let annotator = self.settings.annotator.clone();
        let (mut adds, mut relabelled) = (vec![], vec![]);
        let mut add_out: Vec<ArticleTags> = vec![];
        let mut rel_out: Vec<ArticleTags> = vec![];
        let mut was: HashMap<(usize, String), String> = HashMap::new();
        let mut fixed: Vec<usize> = vec![];
        for (i, r, usual) in rows {
            let id = r.finding.as_ref().and_then(|f| f.id.clone());
            if r.idx == open {
                let Some(d) = self.doc.as_ref() else { continue };
                let store = &d.session.store;
                if d.session.text.as_str().get(r.at.range.clone()) != Some(r.at.text.as_str()) {
                    continue;
                }
                match &id {
                    Some(id) => {
                        let Some(mut a) = store.get(id).cloned() else {
                            continue;
                        };
                        a.label = usual.clone();
                        a.review = None;
                        relabelled.push(a);
                    }
                    None => {
                        let taken = |x: &str| {
                            store.contains_id(x) || adds.iter().any(|a: &Annotation| a.id == x)
                        };
                        let mut a = places::new_tags(
                            std::slice::from_ref(&r.at.range),
                            &usual,
                            annotator.as_deref(),
                            taken,
                        );
                        adds.append(&mut a);
                    }
                }
                fixed.push(i);
                continue;
            }
            let Some(entry) = self.list.entries.get(r.idx).cloned() else {
                continue;
            };
            let Some(sidecar) = corpus::sidecar_path(&self.settings.annotations, &entry.rel) else {
                continue;
            };
            let ann = match &id {
                Some(id) => Annotation {
                    id: id.clone(),
                    start: crate::core::offset::BytePos(r.at.range.start),
                    end: crate::core::offset::BytePos(r.at.range.end),
                    label: usual.clone(),
                    ..Default::default()
                },
                None => places::new_tags(
                    std::slice::from_ref(&r.at.range),
                    &usual,
                    annotator.as_deref(),
                    |_| false,
                )
                .remove(0),
            };
            let tag = PlaceTag {
                ann,
                quote: r.at.text.clone(),
            };
            let out = if id.is_some() {
                &mut rel_out
            } else {
                &mut add_out
            };
            match out.last_mut() {
                Some(t) if t.idx == r.idx => t.tags.push(tag),
                _ => out.push(ArticleTags {
                    idx: r.idx,
                    entry,
                    sidecar,
                    tags: vec![tag],
                }),
            }
            if let Some(id) = id {
                was.insert(
                    (r.idx, id),
                    r.at.labels.first().cloned().unwrap_or_default(),
                );
            }
            fixed.push(i);
        }
        // The relabels' undo: the same tags with the labels they had.
        let rel_before: Vec<ArticleTags> = rel_out
            .iter()
            .map(|t| {
                t.relabelled(|p| {
                    was.get(&(t.idx, p.ann.id.clone()))
                        .cloned()
                        .unwrap_or_default()
                })
            })
            .collect();
        let elsewhere = add_out
            .iter()
            .chain(&rel_out)
            .map(|t| t.tags.len())
            .sum::<usize>();
        let here = adds.len() + relabelled.len();
        let tokens: Vec<u64> = [
            self.write_outside(Tagging::Add, add_out, vec![]),
            self.write_outside(Tagging::Relabel, rel_out, rel_before),
        ]
        .into_iter()
        .flatten()
        .collect();
        if let Some(d) = self.doc.as_mut() {
            d.session.store.fix_batch(adds, relabelled, tokens);
        }
        if let Some(v) = self.corpus_view_mut(kind) {
            for i in &fixed {
                let r = &mut v.rows[*i];
                if let Some(f) = r.finding.as_mut() {
                    f.done = true;
                    r.at.labels = f.usual.iter().cloned().collect();
                }
            }
        }
        self.message = msg(
            format!(
                "fixed {} finding(s): {here} here, {elsewhere} in other articles (u undoes them all)",
                fixed.len()
            ),
            Tone::Info,
        );
        if here > 0 {
            self.persist();
        }
    }

    /// Tags the place of row `r` with `label`, or gives annotation
    /// `relabel` there that label: in the open article through its store,
    /// in another through its sidecar (one undo step of the open article
    /// all the same). Whether it was done.
    fn tag_place(&mut self, r: &Row, label: &str, relabel: Option<&str>) -> bool {
        let Some(open) = self.doc.as_ref().map(|d| d.session.idx) else {
            self.message = msg(
                "open an article first: tags made from here are undone from it",
                Tone::Warn,
            );
            return false;
        };
        if r.idx == open {
            if !self.check_writable() {
                return false;
            }
            let Some(d) = self.doc.as_ref() else {
                return false;
            };
            if d.session.text.as_str().get(r.at.range.clone()) != Some(r.at.text.as_str()) {
                self.message = msg("the article changed: that place is gone", Tone::Warn);
                return false;
            }
            match relabel {
                Some(id) if d.session.store.get(id).is_some() => {
                    self.replace_label(id, label.to_string())
                }
                Some(_) => {
                    self.message = msg("that annotation is gone", Tone::Warn);
                    return false;
                }
                None => self.add_annotation(r.at.range.clone(), label.to_string()),
            }
            return true;
        }
        let Some(entry) = self.list.entries.get(r.idx).cloned() else {
            return false;
        };
        let Some(sidecar) = corpus::sidecar_path(&self.settings.annotations, &entry.rel) else {
            return false;
        };
        let (how, ann) = match relabel {
            Some(id) => (
                Tagging::Relabel,
                Annotation {
                    id: id.to_string(),
                    start: crate::core::offset::BytePos(r.at.range.start),
                    end: crate::core::offset::BytePos(r.at.range.end),
                    label: label.to_string(),
                    ..Default::default()
                },
            ),
            None => (
                Tagging::Add,
                places::new_tags(
                    std::slice::from_ref(&r.at.range),
                    label,
                    self.settings.annotator.as_deref(),
                    |_| false,
                )
                .remove(0),
            ),
        };
        let items = ArticleTags {
            idx: r.idx,
            entry,
            sidecar,
            tags: vec![PlaceTag {
                ann,
                quote: r.at.text.clone(),
            }],
        };
        let before = match relabel {
            Some(_) => {
                let was = r.at.labels.first().cloned().unwrap_or_default();
                vec![items.relabelled(|_| was.clone())]
            }
            None => vec![],
        };
        let token = self.write_outside(how, vec![items], before);
        if let Some(d) = self.doc.as_mut() {
            d.session.store.add_batch(vec![], token);
        }
        let what = if relabel.is_some() {
            "relabelled"
        } else {
            "tagged"
        };
        self.message = msg(
            format!(
                "{what} “{}” as {} in {} (u in the open article undoes it)",
                short(&r.at.text, 30),
                sanitize_line(label),
                sanitize_line(&r.rel)
            ),
            Tone::Info,
        );
        true
    }

    /// `*` in the list: every place shown, in the preview `*` uses, to
    /// pick and tag with a label's digit.
    fn preview_rows(&mut self, kind: Kind) {
        if !self.check_writable() {
            return;
        }
        let Some(open) = self.doc.as_ref().map(|d| d.session.idx) else {
            return;
        };
        let Some(v) = self.corpus_view(kind) else {
            return;
        };
        let pattern = match kind {
            Kind::Search => v.input.text.clone(),
            Kind::Consistency => "the findings shown".to_string(),
        };
        let (mut hits, mut elsewhere) = (vec![], vec![]);
        for r in v.shown_rows() {
            let hit = occurrences::Hit {
                range: r.at.range.clone(),
                line: r.at.line,
                accepted: true,
                elsewhere: (r.idx != open).then(|| occurrences::Elsewhere {
                    idx: r.idx,
                    rel: r.rel.clone(),
                    before: r.at.before.clone(),
                    text: r.at.text.clone(),
                    after: r.at.after.clone(),
                }),
            };
            if r.idx == open {
                hits.push(hit);
            } else {
                elsewhere.push(hit);
            }
        }
        self.preview_from = Some(kind);
        self.mode = Mode::Occurrences(Occurrences {
            phrase: pattern,
            label: None,
            hits,
            selected: 0,
            corpus: true,
            // Found already: `Tab` never starts a search of its own.
            job: u64::MAX,
            searching: false,
            elsewhere,
        });
    }

    /// After the preview tagged with `label`: its places carry it in the
    /// list too.
    pub(super) fn preview_tagged(&mut self, kind: Kind, o: &Occurrences, label: &str) {
        let open = self.doc.as_ref().map(|d| d.session.idx);
        let done: std::collections::HashSet<(usize, usize, usize)> = o
            .hits
            .iter()
            .filter_map(|h| Some((open?, h)))
            .chain(
                o.elsewhere
                    .iter()
                    .filter_map(|h| Some((h.elsewhere.as_ref()?.idx, h))),
            )
            .filter(|(_, h)| h.accepted)
            .map(|(i, h)| (i, h.range.start, h.range.end))
            .collect();
        if let Some(v) = self.corpus_view_mut(kind) {
            for r in &mut v.rows {
                if done.contains(&(r.idx, r.at.range.start, r.at.range.end))
                    && !r.at.labels.iter().any(|l| l == label)
                {
                    r.at.labels.push(label.to_string());
                    r.at.labels.sort();
                }
            }
        }
    }
}
