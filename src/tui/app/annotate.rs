//! Tagging, editing bounds, notes, relations, document labels, status,
//! deleting and undo on the open article.

use super::*;
use crate::core::offset::BytePos;

impl App {
    // ---- annotating ----

    pub(super) fn check_writable(&mut self) -> bool {
        match self.doc.as_ref().and_then(|d| d.session.read_only.clone()) {
            Some(r) => {
                self.message = msg(format!("read-only: {r}"), Tone::Error);
                false
            }
            None => self.doc.is_some(),
        }
    }

    /// What a label key or the picker would tag now: the annotation being
    /// edited, the selection, the search match the cursor was taken to, or
    /// the name under the cursor (`motion::name_at`).
    pub(super) fn current_target(&mut self) -> Option<PickTarget> {
        if !self.check_writable() {
            return None;
        }
        let d = self.doc.as_ref()?;
        if let Some(id) = &d.edit {
            return Some(PickTarget::Edit {
                id: id.clone(),
                range: d.selection().unwrap_or(d.cursor..d.cursor),
            });
        }
        let t = &d.session.text;
        let range = match (d.selection(), &d.found) {
            (Some(r), _) => Some(motion::trim(t, r)),
            // What `/` found, whole ("Subrahmanyam Jaishankar"), never
            // half a grapheme.
            (None, Some(f)) if f.start == d.cursor => Some(motion::trim(
                t,
                t.floor_boundary(f.start)..t.ceil_boundary(f.end),
            )),
            (None, _) => motion::name_at(t, d.cursor),
        };
        match range.filter(|r| !r.is_empty()) {
            Some(r) => Some(PickTarget::Range(r)),
            None => {
                self.message = msg(
                    "nothing to tag: select a passage (v, s, p) or put the cursor on a word",
                    Tone::Warn,
                );
                None
            }
        }
    }

    pub(super) fn describe(&self, a: &Annotation) -> String {
        let Some(d) = self.doc.as_ref() else {
            return String::new();
        };
        let quote = d.session.text.slice(a.range());
        let mut s = format!("{} “{}”", a.label, short(quote, 48));
        // `short` folds white space; what is stored is said exactly.
        if quote.trim() != quote {
            s.push_str(" (with white space at its ends)");
        }
        if let Some(n) = &a.note {
            s.push_str(&format!(" — {}", short(n, 60)));
        }
        if a.review.is_some() {
            s.push_str(" — to review (e, Enter confirms)");
        }
        s
    }

    pub(super) fn tag_target(&mut self, target: PickTarget, label: String) {
        let annotator = self.settings.annotator.clone();
        let Some(d) = self.doc.as_mut() else { return };
        match target {
            // The document picker toggles labels of the article instead.
            PickTarget::DocLabel => return,
            PickTarget::Edit { id, .. } => {
                // A label while the bounds are being moved changes the
                // label only: half-moved bounds are never kept by accident.
                let Some(mut ann) = d.session.store.get(&id).cloned() else {
                    return;
                };
                if ann.label == label {
                    self.message = msg(format!("already {label}"), Tone::Info);
                    return;
                }
                ann.label = label;
                d.session.store.replace(ann.clone());
                self.message = msg(
                    format!(
                        "relabelled {}; the bounds are still being edited: Enter keeps them, Esc leaves them",
                        self.describe(&ann)
                    ),
                    Tone::Info,
                );
            }
            PickTarget::Range(r) => {
                // The same span and label by another annotator is theirs:
                // agreement needs both.
                let mine: Vec<&Annotation> = d
                    .session
                    .store
                    .all()
                    .iter()
                    .map(|a| &**a)
                    .filter(|a| a.range() == r && a.annotator == annotator)
                    .collect();
                if mine.iter().any(|a| a.label == label) {
                    self.message = msg(format!("already tagged {label} here"), Tone::Warn);
                    return;
                }
                // Your own span with another label: a second annotation,
                // or a new label for it? Asked, never guessed.
                if let Some(other) = mine.first() {
                    let (id, was) = (other.id.clone(), other.label.clone());
                    self.message = msg(
                        format!(
                            "“{}” is {was}: a adds {label} as a second annotation, r replaces {was} with it, any other key leaves it",
                            short(d.session.text.slice(r.clone()), 30)
                        ),
                        Tone::Info,
                    );
                    self.mode = Mode::Relabel {
                        id,
                        label,
                        range: r,
                    };
                    return;
                }
                self.add_annotation(r, label);
                return;
            }
        }
        self.persist();
    }

    /// `*`: every other place of the phrase under the cursor (the
    /// selection, the annotation, the match `/` went to, or the name), in
    /// a list to accept or reject before anything is tagged.
    pub(super) fn offer_occurrences(&mut self) {
        if !self.check_writable() {
            return;
        }
        let Some(d) = self.doc.as_ref() else { return };
        let t = &d.session.text;
        let (range, label) = if let Some(r) = d.selection() {
            let r = motion::trim(t, r);
            let label = d
                .session
                .store
                .all()
                .iter()
                .find(|a| a.range() == r)
                .map(|a| a.label.clone());
            (Some(r), label)
        } else if let Some(a) = d.session.store.innermost_at(d.cursor) {
            (Some(a.range()), Some(a.label.clone()))
        } else if let Some(f) = d.found.clone().filter(|f| f.start == d.cursor) {
            (Some(f), None)
        } else {
            (motion::name_at(t, d.cursor), None)
        };
        let Some(range) = range.filter(|r| !r.is_empty()) else {
            self.message = msg(
                "nothing to look for: select a phrase, or put the cursor on a word or an annotation",
                Tone::Warn,
            );
            return;
        };
        let phrase = t.slice(range.clone()).to_string();
        let o = Occurrences::new(t, &d.session.store, &phrase, range, label);
        let d = self.doc.as_mut().expect("doc");
        d.anchor = None;
        self.mode = Mode::Occurrences(o);
    }

    /// Tags the places accepted in `o`, with its label or the one on key
    /// `n`, as one step.
    pub(super) fn tag_occurrences(&mut self, o: Occurrences, n: Option<u8>) {
        let label = match n {
            Some(n) => match self.schema.by_key(n) {
                Some(l) => l.name.clone(),
                None => {
                    self.message = msg(format!("no label on key {n}"), Tone::Warn);
                    self.mode = Mode::Occurrences(o);
                    return;
                }
            },
            None => match o.label.clone() {
                Some(l) => l,
                None => {
                    self.message = msg("press a label's digit to tag them", Tone::Info);
                    self.mode = Mode::Occurrences(o);
                    return;
                }
            },
        };
        let annotator = self.settings.annotator.clone();
        // Places in other articles go to their sidecars, through the worker,
        // with ids chosen here so that `u` can take exactly them back.
        let items: Vec<ArticleTags> = o
            .accepted_elsewhere()
            .into_iter()
            .filter_map(|(idx, places)| {
                let entry = self.list.entries.get(idx)?.clone();
                let sidecar = corpus::sidecar_path(&self.settings.annotations, &entry.rel)?;
                let ranges: Vec<_> = places.iter().map(|p| p.0.clone()).collect();
                let anns = places::new_tags(&ranges, &label, annotator.as_deref(), |_| false);
                let tags = anns
                    .into_iter()
                    .zip(places)
                    .map(|(ann, (_, quote))| PlaceTag { ann, quote })
                    .collect();
                Some(ArticleTags {
                    idx,
                    entry,
                    sidecar,
                    tags,
                })
            })
            .collect();
        let elsewhere: usize = items.iter().map(|i| i.tags.len()).sum();
        let articles_elsewhere = items.len();
        let outside = self.write_outside(Tagging::Add, items, vec![]);
        if self.doc.is_none() {
            return;
        }
        let Some(d) = self.doc.as_mut() else { return };
        let store = &mut d.session.store;
        let accepted: Vec<_> = o
            .accepted()
            .into_iter()
            .filter(|r| {
                !store
                    .all()
                    .iter()
                    .any(|a| a.range() == *r && a.label == label)
            })
            .collect();
        let anns = places::new_tags(&accepted, &label, annotator.as_deref(), |x| {
            store.contains_id(x)
        });
        let n = anns.len();
        if n == 0 && outside.is_none() {
            self.message = msg("nothing tagged: no place accepted", Tone::Info);
            return;
        }
        // One step, with the tags elsewhere: one `u` takes them all back.
        store.add_batch(anns, outside);
        let mut what = format!("tagged {n} more × {label} “{}”", short(&o.phrase, 30));
        if elsewhere > 0 {
            what.push_str(&format!(
                " here and {elsewhere} in {} other article(s)",
                articles_elsewhere
            ));
        }
        self.message = msg(format!("{what} (u undoes them all)"), Tone::Info);
        if n > 0 {
            self.persist();
        }
    }

    /// Sends `items` (tags in other articles' sidecars) to be written as
    /// `how` says, remembered under a token for the undo step that holds
    /// them (`before`: a relabel's tags with the labels they had). None
    /// when there are none.
    pub(super) fn write_outside(
        &mut self,
        how: Tagging,
        items: Vec<ArticleTags>,
        before: Vec<ArticleTags>,
    ) -> Option<u64> {
        if items.is_empty() {
            return None;
        }
        self.outside_seq += 1;
        let token = self.outside_seq;
        self.outside.insert(
            token,
            Outside {
                how,
                items: items.clone(),
                before,
            },
        );
        self.writes_elsewhere += 1;
        self.outbox.push(Request::TagPlaces {
            root: self.settings.annotations.clone(),
            how,
            items,
        });
        Some(token)
    }

    /// Tags `r` with `label`: a new annotation, saved.
    pub(super) fn add_annotation(&mut self, r: std::ops::Range<usize>, label: String) {
        let annotator = self.settings.annotator.clone();
        let Some(d) = self.doc.as_mut() else { return };
        let ann = Annotation {
            id: new_id(|x| d.session.store.contains_id(x)),
            start: BytePos(r.start),
            end: BytePos(r.end),
            label,
            note: None,
            review: None,
            annotator,
            created: now_rfc3339(),
            ..Default::default()
        };
        d.session.store.add(ann.clone());
        d.anchor = None;
        let unknown = self.schema.get(&ann.label).is_none();
        self.message = msg(
            format!("tagged {} (u undoes)", self.describe(&ann)),
            if unknown { Tone::Warn } else { Tone::Info },
        );
        self.persist();
    }

    /// Gives annotation `id` the label `label`, saved.
    pub(super) fn replace_label(&mut self, id: &str, label: String) {
        let Some(d) = self.doc.as_mut() else { return };
        let Some(mut ann) = d.session.store.get(id).cloned() else {
            return;
        };
        let was = std::mem::replace(&mut ann.label, label);
        d.session.store.replace(ann.clone());
        d.anchor = None;
        self.message = msg(
            format!("relabelled {was} → {} (u undoes)", self.describe(&ann)),
            Tone::Info,
        );
        self.persist();
    }

    /// The innermost annotation under the cursor, to `verb` it; says why
    /// not when the article is read-only or there is none.
    pub(super) fn annotation_under_cursor(&mut self, verb: &str) -> Option<Annotation> {
        if !self.check_writable() {
            return None;
        }
        let d = self.doc.as_ref()?;
        let found = d.session.store.innermost_at(d.cursor).cloned();
        if found.is_none() {
            self.message = msg(
                format!("no annotation under the cursor to {verb}"),
                Tone::Warn,
            );
        }
        found
    }

    pub(super) fn start_edit(&mut self) {
        let Some(ann) = self.annotation_under_cursor("edit") else {
            return;
        };
        let Some(d) = self.doc.as_mut() else { return };
        d.edit = Some(ann.id.clone());
        d.anchor = Some(ann.start.get());
        d.cursor = d
            .session
            .text
            .prev_boundary(ann.end.get())
            .max(ann.start.get());
        self.message = msg(
            format!(
                "editing {}: motions move this end, o the other, Enter keeps, 1-9 or t relabel, Esc cancels",
                ann.label
            ),
            Tone::Info,
        );
        self.scroll_to_cursor();
    }

    pub(super) fn confirm_edit(&mut self) {
        let Some(d) = self.doc.as_mut() else { return };
        let (Some(id), Some(range)) = (d.edit.clone(), d.selection()) else {
            return;
        };
        let Some(mut ann) = d.session.store.get(&id).cloned() else {
            return;
        };
        // Never white space at a span's ends: `e b h Enter` on "Pompeo"
        // keeps "Mike Pompeo", not "Mike Pompeo ".
        let range = motion::trim(&d.session.text, range);
        if range.is_empty() {
            self.message = msg(
                "not changed: the bounds hold only white space (Esc cancels the edit)",
                Tone::Warn,
            );
            return;
        }
        ann.start = BytePos(range.start);
        ann.end = BytePos(range.end);
        // Its bounds confirmed by a person: no longer a guess to review.
        let reviewed = ann.review.take().is_some();
        d.session.store.replace(ann.clone());
        d.edit = None;
        d.anchor = None;
        let what = self.describe(&ann);
        self.message = msg(
            if reviewed {
                format!("reviewed: {what}")
            } else {
                format!("now {what}")
            },
            Tone::Info,
        );
        self.persist();
    }

    pub(super) fn set_note(&mut self, id: &str, note: String) {
        let Some(d) = self.doc.as_mut() else { return };
        let Some(mut ann) = d.session.store.get(id).cloned() else {
            return;
        };
        let note = note.trim().to_string();
        ann.note = (!note.is_empty()).then_some(note);
        d.session.store.replace(ann.clone());
        self.message = msg(
            if ann.note.is_some() {
                "note saved"
            } else {
                "note removed"
            },
            Tone::Info,
        );
        self.persist();
    }

    /// Ends the relation being made at the annotation under the cursor,
    /// with the type on key `n` (0: the only type that fits, or a name
    /// typed when the schema has no relation types).
    pub(super) fn finish_relation(&mut self, n: u8) {
        let Some(d) = self.doc.as_ref() else { return };
        let Some(from) = d
            .relating
            .as_ref()
            .and_then(|id| d.session.store.get(id))
            .cloned()
        else {
            return;
        };
        let Some(to) = d
            .session
            .store
            .at(d.cursor)
            .into_iter()
            .filter(|a| a.id != from.id)
            .min_by_key(|a| (a.end - a.start, a.start))
            .cloned()
        else {
            self.message = msg(
                "no other annotation here: move to the one to relate to",
                Tone::Warn,
            );
            return;
        };
        if self.schema.relations.is_empty() {
            self.mode = Mode::Prompt(Prompt {
                kind: PromptKind::RelationName {
                    from: from.id,
                    to: to.id,
                },
                input: LineInput::default(),
            });
            return;
        }
        let fits: Vec<&crate::core::labels::RelationType> = self
            .schema
            .relation_types_for(&from.label, &to.label)
            .collect();
        // The digit of each type that fits: its own key, or for one without
        // a key the lowest digit left, so that every choice has one.
        let mut taken: Vec<u8> = fits.iter().filter_map(|r| r.key).collect();
        let choices: Vec<(u8, String)> = fits
            .iter()
            .filter_map(|r| {
                let k = r.key.or_else(|| {
                    let k = (1..=9).find(|k| !taken.contains(k))?;
                    taken.push(k);
                    Some(k)
                })?;
                Some((k, r.name.clone()))
            })
            .collect();
        let chosen = match (n, choices.as_slice()) {
            (_, []) => {
                self.message = msg(
                    format!(
                        "no relation type links {} to {} (labels.toml: [[relation]] from and to)",
                        from.label, to.label
                    ),
                    Tone::Warn,
                );
                return;
            }
            (0, [(_, only)]) => only.clone(),
            (0, many) => {
                let keys: Vec<String> =
                    many.iter().map(|(k, name)| format!("{k} {name}")).collect();
                self.message = msg(
                    format!("which relation? press its digit: {}", keys.join(", ")),
                    Tone::Info,
                );
                return;
            }
            (k, choices) => match choices.iter().find(|(d, _)| *d == k) {
                Some((_, name)) => name.clone(),
                None => {
                    self.message = msg(
                        format!(
                            "no relation type on key {k} links {} to {}",
                            from.label, to.label
                        ),
                        Tone::Warn,
                    );
                    return;
                }
            },
        };
        self.add_relation(from.id, to.id, chosen);
    }

    pub(super) fn add_relation(&mut self, from: String, to: String, label: String) {
        if !self.check_writable() {
            return;
        }
        let annotator = self.settings.annotator.clone();
        let Some(d) = self.doc.as_mut() else { return };
        d.relating = None;
        if d.session
            .store
            .relations()
            .iter()
            .any(|r| r.from == from && r.to == to && r.label == label && r.annotator == annotator)
        {
            self.message = msg(format!("already related as {label}"), Tone::Warn);
            return;
        }
        let id = new_id(|x| d.session.store.contains_id(x));
        d.session
            .store
            .add_relation(crate::core::annotation::Relation {
                id,
                label: label.clone(),
                from: from.clone(),
                to: to.clone(),
                note: None,
                annotator,
                created: now_rfc3339(),
            });
        let name = |id: &str| {
            d.session
                .store
                .get(id)
                .map(|a| short(d.session.text.slice(a.range()), 24))
                .unwrap_or_default()
        };
        let text = format!(
            "related “{}” → “{}” as {label} (u undoes)",
            name(&from),
            name(&to)
        );
        self.message = msg(text, Tone::Info);
        self.persist();
    }

    /// Goes along a relation of the annotation under the cursor: to the
    /// one it points to (`forward`), or the one that points to it.
    pub(super) fn follow_relation(&mut self, forward: bool) {
        let Some(d) = self.doc.as_ref() else { return };
        let Some(here) = d.session.store.innermost_at(d.cursor) else {
            self.message = msg("no annotation here", Tone::Warn);
            return;
        };
        let hop = d.session.store.relations().iter().find_map(|r| {
            let (this, other) = if forward {
                (&r.from, &r.to)
            } else {
                (&r.to, &r.from)
            };
            (*this == here.id)
                .then(|| {
                    d.session
                        .store
                        .get(other)
                        .map(|a| (r.label.clone(), a.start, a.range()))
                })
                .flatten()
        });
        match hop {
            Some((label, at, range)) => {
                let quote = short(d.session.text.slice(range), 40);
                let arrow = if forward { "→" } else { "←" };
                self.message = msg(format!("{arrow} {label} “{quote}”"), Tone::Info);
                self.move_to(at.get());
            }
            None => {
                self.message = msg(
                    if forward {
                        "this annotation relates to nothing"
                    } else {
                        "nothing relates to this annotation"
                    },
                    Tone::Info,
                )
            }
        }
    }

    /// The panel's chosen relation: go to its other end, or delete it.
    pub(super) fn on_panel_relation(&mut self, delete: bool) {
        let Some(d) = self.doc.as_ref() else { return };
        let Some(ann) = components::panel::Panel::subject(&d.session, d.cursor) else {
            self.message = msg("no annotation under the cursor", Tone::Warn);
            return;
        };
        let rows = components::panel::Panel::rows(&d.session, ann);
        let Some(row) = rows.get(self.panel.chosen(&ann.id)).cloned() else {
            self.message = msg(
                "this annotation has no relations: r starts one from it",
                Tone::Info,
            );
            return;
        };
        let arrow = if row.outgoing { "→" } else { "←" };
        let what = format!("{arrow} {} {} “{}”", row.label, row.other_label, row.quote);
        if !delete {
            self.message = msg(what, Tone::Info);
            // The annotation reached starts at its first row.
            self.panel.about = None;
            self.move_to(row.other_start);
            return;
        }
        if !self.check_writable() {
            return;
        }
        let Some(d) = self.doc.as_mut() else { return };
        if d.session.store.remove_relation(&row.id).is_some() {
            let left = rows.len() - 1;
            self.panel.selected = self.panel.selected.min(left.saturating_sub(1));
            self.message = msg(format!("deleted relation {what} (u undoes)"), Tone::Info);
            self.persist();
        }
    }

    pub(super) fn mark_done(&mut self) {
        if !self.check_writable() {
            return;
        }
        let Some(d) = self.doc.as_mut() else { return };
        let next = if d.session.store.status() == Status::Done {
            Status::InProgress
        } else {
            Status::Done
        };
        d.session.store.set_status(next);
        let idx = d.session.idx;
        self.list.items[idx].status = next;
        self.message = msg(
            format!("article marked {} (u undoes)", next.name()),
            Tone::Info,
        );
        self.persist();
    }

    /// The document label picker: the schema's choices, the article's
    /// own ticked.
    pub(super) fn open_doc_label_picker(&mut self) {
        if !self.check_writable() {
            return;
        }
        if self.schema.documents.is_empty() {
            self.message = msg(
                "type group: label (the schema lists no document groups: [[document]] in labels.toml); again removes it",
                Tone::Info,
            );
        }
        self.mode = Mode::Picker(Picker::new(PickTarget::DocLabel));
    }

    /// Adds the document label `input` names (`group: choice`, or a choice
    /// of one group), or removes it if the article has it. In a group of
    /// one choice, it replaces the group's other label.
    pub(super) fn toggle_doc_label(&mut self, input: &str) {
        let (group, label) = match input.split_once(':') {
            Some((g, l)) => (g.trim().to_string(), l.trim().to_string()),
            None => {
                let owners: Vec<&crate::core::labels::DocumentGroup> = self
                    .schema
                    .documents
                    .iter()
                    .filter(|g| g.choices.iter().any(|c| c == input))
                    .collect();
                match owners.as_slice() {
                    [g] => (g.name.clone(), input.to_string()),
                    [] if self.schema.documents.is_empty() => ("label".into(), input.to_string()),
                    [] => {
                        self.message = msg(format!("no document group has {input:?}"), Tone::Warn);
                        return;
                    }
                    _ => {
                        self.message = msg(
                            format!("{input:?} is in several groups: type group: {input}"),
                            Tone::Warn,
                        );
                        return;
                    }
                }
            }
        };
        if group.is_empty() || label.is_empty() {
            self.message = msg("a document label needs a name", Tone::Warn);
            return;
        }
        let single = match self.schema.document_group(&group) {
            Some(g) if !g.choices.contains(&label) => {
                self.message = msg(
                    format!("{group} has no choice {label:?} ({})", g.choices.join(", ")),
                    Tone::Warn,
                );
                return;
            }
            Some(g) => !g.multiple,
            None if self.schema.documents.is_empty() => false,
            None => {
                self.message = msg(
                    format!("no document group {group:?} in the schema"),
                    Tone::Warn,
                );
                return;
            }
        };
        let annotator = self.settings.annotator.clone();
        let Some(d) = self.doc.as_mut() else { return };
        let added = d.session.store.toggle_doc_label(
            crate::core::annotation::DocLabel {
                id: new_id(|x| d.session.store.contains_id(x)),
                group: group.clone(),
                label: label.clone(),
                note: None,
                annotator,
                created: now_rfc3339(),
            },
            single,
        );
        self.message = msg(
            format!(
                "{} document label {group}: {label} (u undoes)",
                if added { "added" } else { "removed" }
            ),
            Tone::Info,
        );
        self.persist();
    }

    pub(super) fn delete(&mut self) {
        let Some(ann) = self.annotation_under_cursor("delete") else {
            return;
        };
        let what = self.describe(&ann);
        let Some(d) = self.doc.as_mut() else { return };
        // The relations that point at it go with it, in the same step.
        let with = d.session.store.remove(&ann.id).map_or(0, |(_, n)| n);
        let text = if with > 0 {
            format!(
                "deleted {what} and the {with} relation(s), event(s) or equivalence(s) that use it (u undoes all)"
            )
        } else {
            format!("deleted {what} (u undoes)")
        };
        if d.edit.as_deref() == Some(&ann.id) {
            d.edit = None;
            d.anchor = None;
        }
        self.message = msg(text, Tone::Info);
        self.persist();
    }

    pub(super) fn undo_redo(&mut self, undo: bool) {
        if !self.check_writable() {
            return;
        }
        let Some(d) = self.doc.as_mut() else { return };
        d.edit = None;
        d.anchor = None;
        let done = if undo {
            d.session.store.undo()
        } else {
            d.session.store.redo()
        };
        match done {
            Some(u) => {
                self.message = msg(
                    format!("{} {}", if undo { "undid" } else { "redid" }, u.what),
                    Tone::Info,
                );
                for token in &u.outside {
                    if let Some(o) = self.outside.get(token) {
                        let (how, items) = match (o.how, undo) {
                            (Tagging::Relabel, true) => (Tagging::Relabel, o.before.clone()),
                            (Tagging::Relabel, false) => (Tagging::Relabel, o.items.clone()),
                            (_, true) => (Tagging::Remove, o.items.clone()),
                            (_, false) => (Tagging::Add, o.items.clone()),
                        };
                        self.writes_elsewhere += 1;
                        self.outbox.push(Request::TagPlaces {
                            root: self.settings.annotations.clone(),
                            how,
                            items,
                        });
                    }
                }
                if let Some(at) = u.at {
                    self.move_to(at);
                }
                self.persist();
            }
            None => {
                self.message = msg(
                    if undo {
                        "nothing to undo"
                    } else {
                        "nothing to redo"
                    },
                    Tone::Info,
                )
            }
        }
    }
}
