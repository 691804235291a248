//! Opening articles, the worker's replies, saving and quitting: the
//! interface's side of `session::document`.

use super::*;

impl App {
    pub(super) fn request_open(&mut self, idx: usize) {
        if let Some(d) = &self.doc {
            // The article open again: read again only when it is
            // read-only (its sidecar may have been fixed on disk since).
            if d.session.idx == idx && (d.session.read_only.is_none() || d.glimpse) {
                return;
            }
            if matches!(d.session.save, SaveState::Failed(_)) && !self.leave_unsaved {
                self.message = msg(
                    format!(
                        "changes to {} are not saved; press Enter again to leave them",
                        sanitize_line(&d.session.rel)
                    ),
                    Tone::Error,
                );
                self.leave_unsaved = true;
                return;
            }
        }
        if self.loading == Some(idx) {
            return;
        }
        let entry = self.list.entries[idx].clone();
        let sidecar = corpus::sidecar_path(&self.settings.annotations, &entry.rel);
        self.loading = Some(idx);
        self.outbox.push(Request::Open {
            idx,
            entry,
            sidecar,
            root: self.settings.annotations.clone(),
        });
    }

    /// Puts the open article away: its place is remembered, and a save
    /// still on its way is kept until answered. A glimpse just goes.
    pub(super) fn retire_doc(&mut self) {
        let Some(mut old) = self.doc.take() else {
            return;
        };
        if old.glimpse {
            return;
        }
        let d = &mut old.session;
        self.positions.insert(d.idx, (old.cursor, old.top));
        let history = d.store.take_history();
        if !history.is_empty() {
            self.histories
                .insert(d.idx, (d.text.fingerprint().to_string(), history));
        }
        self.saves.retire(old.session);
    }

    /// Shows the glimpse of the article being opened: its end if the keys
    /// waiting for it go there (`G`), else its start.
    pub(super) fn show_glimpse(&mut self) {
        let Some((idx, g)) = &self.glimpse else {
            return;
        };
        if self.loading != Some(*idx) {
            return;
        }
        let to_end = self
            .pending
            .iter()
            .rev()
            .find_map(|a| match a {
                Action::Bottom => Some(true),
                Action::Top => Some(false),
                _ => None,
            })
            .unwrap_or(false);
        let (text, at_end) = match (&g.tail, to_end) {
            (Some(t), true) => (t.clone(), true),
            _ => (g.head.clone(), false),
        };
        if let Some(d) = &self.doc
            && d.glimpse
            && d.session.idx == *idx
            && (d.cursor > 0) == at_end
        {
            return; // already showing that end
        }
        let idx = *idx;
        let bytes = g.bytes;
        self.retire_doc();
        let size = self.text_size();
        let text = Text::new(text);
        let cursor = if at_end { text.last_cursor_pos() } else { 0 };
        let mut session = Document::new(
            idx,
            self.list.entries[idx].rel.clone(),
            text,
            Store::default(),
        );
        session.read_only = Some(format!("still reading this {} MB article", bytes >> 20));
        let mut doc = Doc::new(session, size);
        doc.cursor = cursor;
        doc.glimpse = true;
        self.doc = Some(doc);
        self.scroll_to_cursor();
    }

    /// Makes `opened` the open article (what the worker's reply carries).
    pub fn install(&mut self, idx: usize, opened: Opened) {
        let size = self.text_size();
        let rel = self.list.entries[idx].rel.clone();
        let sidecar = corpus::sidecar_path(&self.settings.annotations, &rel);
        let it = &mut self.list.items[idx];
        it.count = opened.store.len();
        it.status = opened.store.status();
        if opened.read_only.is_some() && it.health == Some(Health::Ok) {
            it.health = Some(Health::ReadOnly);
        }
        self.retire_doc();
        let mut opened = opened;
        // The undo history made here before, if the text is the same (its
        // changes hold byte offsets into it).
        if let Some((fp, h)) = self.histories.remove(&idx)
            && fp == opened.text.fingerprint()
        {
            opened.store.restore_history(h);
        }
        let (cursor, top) = self.positions.get(&idx).copied().unwrap_or((0, 0));
        let mut session = Document::new(idx, rel, opened.text, opened.store);
        session.sidecar = sidecar;
        session.read_only = opened.read_only.map(|r| r.reason);
        session.notices = opened.notices;
        self.doc = Some(Doc::new(session, size));
        self.loading = None;
        if let Some(m) = self.doc.as_ref().and_then(doc_message) {
            self.message = Some(m);
        }
        // Back where the reader left it, if the text still reaches there.
        if let Some(d) = self.doc.as_mut() {
            d.cursor = d.clamp(cursor);
            d.top = d.session.text.floor_boundary(top.min(d.session.text.len()));
            let p = d.layout.row_pos(&d.session.text, d.top);
            d.top = d.layout.row_start(&d.session.text, p);
        }
        self.scroll_to_cursor();
        if let Some((at, range)) = self.landing.take() {
            if at == idx {
                self.land(range);
            } else {
                self.landing = Some((at, range));
            }
        }
        self.refresh_inlays();
        let pending = std::mem::take(&mut self.pending);
        let keys = std::mem::take(&mut self.pending_keys);
        if !pending.is_empty() && self.message.as_ref().is_some_and(|m| m.text == "opening…") {
            self.message = None;
        }
        for a in pending {
            self.apply(a);
        }
        for k in keys {
            self.on_key(k);
        }
    }

    pub(super) fn on_reply(&mut self, r: Reply) {
        match r {
            Reply::Found { .. } | Reply::SearchDone { .. } | Reply::Findings { .. } => {
                self.on_corpus_reply(r)
            }
            Reply::Proposed {
                job,
                idx,
                fingerprint,
                proposed,
                notes,
            } => self.on_proposed(job, idx, fingerprint, proposed, notes),
            Reply::SuggestionsWritten { rel, added } => {
                self.writes_elsewhere = self.writes_elsewhere.saturating_sub(1);
                self.message = match added {
                    Ok(n) => msg(
                        format!(
                            "{n} suggestion(s) written to {}'s sidecar",
                            sanitize_line(&rel)
                        ),
                        Tone::Info,
                    ),
                    Err(why) => msg(
                        format!(
                            "suggestions for {} not written: {}",
                            sanitize_line(&rel),
                            sanitize_line(&why)
                        ),
                        Tone::Error,
                    ),
                };
            }
            Reply::Glimpse { idx, glimpse } => {
                if self.loading == Some(idx) {
                    self.glimpse = Some((idx, *glimpse));
                    self.show_glimpse();
                }
            }
            Reply::Opened { idx, opened } => {
                if self.loading == Some(idx) {
                    self.glimpse = None;
                    self.install(idx, *opened);
                }
            }
            Reply::Summary { idx, summary } => {
                let open = self.doc.as_ref().is_some_and(|d| d.session.idx == idx);
                self.list.summary(idx, summary, open);
            }
            Reply::Saved {
                path,
                generation,
                written,
            } => {
                let open = self.doc.as_mut().map(|d| &mut d.session);
                let news = self.saves.on_saved(open, path, generation, *written);
                self.tell(news);
            }
            Reply::SaveFailed {
                path,
                generation,
                message,
            } => {
                let open = self.doc.as_mut().map(|d| &mut d.session);
                let news = self.saves.on_failed(open, path, generation, message);
                self.tell(news);
            }
            Reply::Conflict {
                path,
                generation,
                theirs,
                fingerprint,
            } => {
                let open = self.doc.as_mut().map(|d| &mut d.session);
                let (news, again) =
                    self.saves
                        .on_conflict(open, path, generation, theirs, fingerprint);
                self.outbox.extend(again);
                self.tell(news);
            }
            Reply::Places { job, idx, places } => {
                if let Mode::Occurrences(o) = &mut self.mode
                    && o.job == job
                {
                    let rel = self.list.entries[idx].rel.clone();
                    let text = o.phrase.clone();
                    o.elsewhere
                        .extend(places.into_iter().map(|p| occurrences::Hit {
                            range: p.range,
                            line: p.line,
                            accepted: true,
                            elsewhere: Some(occurrences::Elsewhere {
                                idx,
                                rel: rel.clone(),
                                before: p.before,
                                text: text.clone(),
                                after: p.after,
                            }),
                        }));
                }
            }
            Reply::PlacesDone { job } => {
                if let Mode::Occurrences(o) = &mut self.mode
                    && o.job == job
                {
                    o.searching = false;
                }
            }
            Reply::PlacesTagged {
                how,
                tagged,
                articles,
                failed,
            } => {
                self.writes_elsewhere = self.writes_elsewhere.saturating_sub(1);
                let did = match how {
                    Tagging::Add => "tagged",
                    Tagging::Remove => "took back",
                    Tagging::Relabel => "relabelled",
                };
                // What the step said when it was sent stays (it names what
                // was tagged, here and elsewhere), unless the sidecars had
                // other news: a failure, nothing done, or an undo's count.
                if let Some(first) = failed.first() {
                    self.message = msg(
                        format!(
                            "{did} {tagged} in {articles} other article(s); {} not written: {}",
                            failed.len(),
                            sanitize_line(first)
                        ),
                        Tone::Error,
                    );
                } else if how == Tagging::Remove {
                    self.message = msg(
                        format!("{did} {tagged} in {articles} other article(s)"),
                        Tone::Info,
                    );
                } else if tagged == 0 {
                    self.message = msg(
                        format!(
                            "nothing {did} in other articles: each had it already, or its text changed"
                        ),
                        Tone::Warn,
                    );
                }
            }
            Reply::Stats(lines) => self.stats = Some(lines),
            Reply::SchemaSaved(schema) => {
                self.schema_saving = false;
                self.schema_on_disk = true;
                // Labels someone added to the file meanwhile come in too;
                // a label created while this save was on its way waits.
                self.new_labels.retain(|l| schema.get(&l.name).is_none());
                let pending: Vec<Label> = self.new_labels.clone();
                self.schema = *schema;
                self.sentences = Sentences::with_extra(&self.schema.abbreviations);
                self.schema.labels.extend(pending);
                if !self.new_labels.is_empty() {
                    self.save_schema();
                }
            }
            Reply::SchemaFailed(e) => {
                self.schema_saving = false;
                self.message = msg(format!("label schema not saved: {e}"), Tone::Error);
            }
        }
    }

    /// Says what a save's answer means, and saves again after a merge.
    pub(super) fn tell(&mut self, news: News) {
        match news {
            News::Quiet | News::Saved => {}
            News::Failed { message, retry_in } => {
                self.message = msg(
                    format!("retrying in {} s: {message}", retry_in.as_secs()),
                    Tone::Error,
                );
            }
            News::NotSaved(message) => {
                self.message = msg(format!("not saved: {message}"), Tone::Error);
            }
            News::MergedSaveAgain { note } => {
                if let Some(n) = note {
                    self.message = msg(n, Tone::Warn);
                }
                self.persist();
            }
            News::MergedLeft { rel } => {
                self.message = msg(
                    format!(
                        "{} changed on disk; merged with your changes and saved",
                        sanitize_line(&rel)
                    ),
                    Tone::Warn,
                );
            }
        }
    }

    pub(super) fn request_quit(&mut self) {
        if let Some(SaveState::Failed(e)) = self.doc.as_ref().map(|d| &d.session.save) {
            self.message = msg(
                format!("NOT SAVED ({e}). Press q again to quit anyway, any other key to stay"),
                Tone::Error,
            );
            self.mode = Mode::ConfirmQuit;
        } else {
            self.quit = true;
        }
    }

    /// Sends the open article's sidecar to be written.
    pub(super) fn persist(&mut self) {
        let Some(d) = self.doc.as_mut() else { return };
        let d = &mut d.session;
        let Some(request) = self.saves.save(d) else {
            return;
        };
        // The message that says what this change did stays until the next.
        if let Some(m) = self.message.as_mut() {
            m.sticky = true;
        }
        self.list.items[d.idx].count = d.store.len();
        self.list.items[d.idx].status = d.store.status();
        self.outbox.push(request);
        self.refresh_inlays();
        if !self.schema_on_disk || !self.new_labels.is_empty() {
            self.save_schema();
        }
    }

    /// Sends the labels created here to the schema file, or the whole
    /// schema where there is no file yet, so that sidecars never name
    /// labels found nowhere. The file is only ever added to.
    pub(super) fn save_schema(&mut self) {
        if self.schema_saving {
            return; // the answer brings what the file holds; then again
        }
        self.schema_saving = true;
        self.outbox.push(Request::SaveSchema {
            path: self.settings.labels.clone(),
            labels: self.new_labels.clone(),
            whole: self.schema.write(),
        });
    }
}
