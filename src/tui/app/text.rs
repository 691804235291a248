//! The text keys: motions, search, selection, and the dispatch of every
//! action on the open article (carried out in `annotate` when it changes
//! annotations).

use super::*;

impl App {
    pub(super) fn apply_text(&mut self, a: Action) {
        use Action::*;
        let Some(d) = self.doc.as_ref() else { return };
        let (t, c) = (&d.session.text, d.cursor);
        let target = match a {
            Left => Some(motion::left(t, c)),
            Right => Some(motion::right(t, c)),
            WordNext => Some(motion::word_next(t, c)),
            WordPrev => Some(motion::word_prev(t, c)),
            WordEnd => Some(motion::word_end(t, c)),
            SentenceNext => Some(self.sentences.next(t, c)),
            SentencePrev => Some(self.sentences.prev(t, c)),
            ParagraphNext => Some(motion::paragraph_next(t, c)),
            ParagraphPrev => Some(motion::paragraph_prev(t, c)),
            Top => Some(0),
            Bottom => Some(t.last_cursor_pos()),
            RowStart => {
                let p = d.layout.row_pos(t, c);
                Some(d.layout.row_start(t, p))
            }
            RowEnd => {
                let p = d.layout.row_pos(t, c);
                Some(d.layout.offset_at(t, p, usize::MAX))
            }
            _ => None,
        };
        if let Some(pos) = target {
            self.move_to(pos);
            return;
        }
        match a {
            Down => self.move_rows(1),
            Up => self.move_rows(-1),
            PageDown => self.page(1),
            PageUp => self.page(-1),
            FindNext => self.mode = Mode::PendingFind { forward: true },
            FindPrev => self.mode = Mode::PendingFind { forward: false },
            NextAnnotation | PrevAnnotation => {
                let found = if a == NextAnnotation {
                    d.session
                        .store
                        .next_after(c)
                        .or_else(|| d.session.store.all().first().map(|a| &**a))
                } else {
                    d.session
                        .store
                        .prev_before(c)
                        .or_else(|| d.session.store.all().last().map(|a| &**a))
                };
                match found.cloned() {
                    Some(ann) => {
                        self.move_to(ann.start.get());
                        self.message = msg(self.describe(&ann), Tone::Info);
                    }
                    None => self.message = msg("no annotations in this article", Tone::Info),
                }
            }
            Search => {
                self.mode = Mode::Prompt(Prompt {
                    kind: PromptKind::Search { origin: c },
                    input: LineInput::default(),
                })
            }
            SuggestAccept => self.accept_suggestion(),
            SuggestReject => self.reject_suggestion(),
            SuggestNext | SuggestPrev => self.step_suggestion(a == SuggestNext, true),
            SuggestAcceptAbove => self.ask_accept_above(),
            SuggestRejectSource => self.reject_source(),
            SuggestRun => self.run_suggestions(),
            SearchNext => self.search_step(true, None),
            SearchPrev => self.search_step(false, None),
            Select => {
                let d = self.doc.as_mut().expect("doc");
                d.anchor = if d.anchor.is_some() && d.edit.is_none() {
                    None
                } else {
                    Some(d.cursor)
                };
            }
            SelectSentence | SelectParagraph => {
                let r = if a == SelectSentence {
                    self.sentences.at(t, c)
                } else {
                    motion::paragraph_at(t, c)
                };
                match r.filter(|r| !r.is_empty()) {
                    Some(r) => {
                        let last = t.prev_boundary(r.end).max(r.start);
                        let d = self.doc.as_mut().expect("doc");
                        d.anchor = Some(r.start);
                        d.cursor = last;
                        d.goal_col = None;
                        self.scroll_to_cursor();
                    }
                    None => self.message = msg("no text here to select", Tone::Warn),
                }
            }
            Cancel => {
                let d = self.doc.as_mut().expect("doc");
                // Esc with nothing under way dismisses what the last change
                // said, and the status line shows what is under the cursor.
                if d.relating.is_none() && d.edit.is_none() && d.anchor.is_none() {
                    self.message = None;
                }
                // A digit after Esc tags the name under the cursor, not
                // the match `/` found.
                d.found = None;
                if d.relating.take().is_some() {
                    self.message = msg("relation cancelled", Tone::Info);
                }
                if let Some(id) = d.edit.take() {
                    if let Some(ann) = d.session.store.get(&id) {
                        d.cursor = ann.start.get();
                    }
                    self.message = msg("edit cancelled", Tone::Info);
                }
                d.anchor = None;
                self.scroll_to_cursor();
            }
            SwapEnds => {
                let d = self.doc.as_mut().expect("doc");
                if let Some(a) = d.anchor {
                    d.anchor = Some(d.cursor);
                    d.cursor = a;
                    self.scroll_to_cursor();
                }
            }
            Tag(n) => match self.schema.by_key(n) {
                Some(l) => {
                    let name = l.name.clone();
                    if let Some(target) = self.current_target() {
                        self.tag_target(target, name);
                    }
                }
                None => {
                    self.message = msg(
                        format!("no label on key {n}: press t to pick or create one"),
                        Tone::Warn,
                    )
                }
            },
            PickLabel => {
                if self.check_writable()
                    && let Some(target) = self.current_target()
                {
                    self.mode = Mode::Picker(Picker {
                        input: LineInput::default(),
                        selected: 0,
                        target,
                    });
                }
            }
            Edit => self.start_edit(),
            Confirm => self.confirm_edit(),
            Note => {
                if let Some(ann) = self.annotation_under_cursor("note") {
                    self.mode = Mode::Prompt(Prompt {
                        kind: PromptKind::Note { id: ann.id },
                        input: LineInput::with(ann.note.as_deref().unwrap_or("")),
                    })
                }
            }
            Delete => self.delete(),
            Undo | Redo => self.undo_redo(a == Undo),
            Relate => {
                if let Some(ann) = self.annotation_under_cursor("relate") {
                    let what = self.describe(&ann);
                    if let Some(d) = self.doc.as_mut() {
                        d.relating = Some(ann.id);
                        d.anchor = None;
                    }
                    self.message = msg(
                        format!(
                            "relating {what}: go to the other annotation, then Enter (or the type's digit); Esc cancels"
                        ),
                        Tone::Info,
                    );
                }
            }
            RelateTo(n) => self.finish_relation(n),
            FollowRelation | FollowRelationBack => self.follow_relation(a == FollowRelation),
            MarkDone => self.mark_done(),
            TagAll => self.offer_occurrences(),
            InlineLabels => {
                self.inline_labels = !self.inline_labels;
                self.refresh_inlays();
                self.message = msg(
                    if self.inline_labels {
                        "label names shown at the start of their spans (L hides them)"
                    } else {
                        "label names hidden"
                    },
                    Tone::Info,
                );
            }
            AnnotationList => {
                self.mode = Mode::Annotations(super::annotation_list::AnnotationList::default())
            }
            DocLabel => self.open_doc_label_picker(),
            Panel => {
                self.panel.open = !self.panel.open;
                self.focus = if self.panel.open {
                    Focus::Panel
                } else {
                    Focus::Text
                };
                self.refit();
            }
            PanelClose => {
                self.panel.open = false;
                self.focus = Focus::Text;
                self.refit();
            }
            PanelDown | PanelUp => {
                let d = self.doc.as_ref().expect("doc");
                if let Some(ann) = components::panel::Panel::subject(&d.session, d.cursor) {
                    let n = components::panel::Panel::rows(&d.session, ann).len();
                    let id = ann.id.clone();
                    self.panel.step(&id, if a == PanelDown { 1 } else { -1 }, n);
                }
            }
            PanelFollow | PanelDelete => self.on_panel_relation(a == PanelDelete),
            // Handled by `apply` before the article is asked (the list,
            // focus, help), or as motions above: named here so that a new
            // action that nobody handles does not compile.
            Quit | FocusNext | FocusPrev | Help | Problems | Stats | ListClearFilter
            | ListWider | ListNarrower | ToggleList | ListDown | ListUp | ListTop | ListBottom
            | ListPageDown | ListPageUp | ListOpen | ListFilter | Left | Right | WordNext
            | WordPrev | WordEnd | SentenceNext | SentencePrev | ParagraphNext | ParagraphPrev
            | Top | Bottom | RowStart | RowEnd => {}
            // Taken by the prompt, picker, pager and confirm handlers,
            // which look these up in their own scopes.
            InputSubmit | InputCancel | InputStart | InputEnd | InputLeft | InputRight
            | InputBackspace | InputDelete | InputClearToStart | PickNext | PickPrev
            | PagerDown | PagerUp | PagerPageDown | PagerPageUp | PagerTop | PagerClose
            | QuitAnyway | RelabelAdd | RelabelReplace | OccurrenceDown | OccurrenceUp
            | OccurrenceToggle | OccurrenceAll | OccurrenceApply | OccurrenceScope
            | CorpusSearch | Consistency | CorpusDown | CorpusUp | CorpusPageDown
            | CorpusPageUp | CorpusTop | CorpusBottom | CorpusOpen | CorpusTagAll | CorpusFix
            | CorpusFixAll | CorpusLabelFilter | CorpusTaggedFilter | CorpusEdit | CorpusRegex => {}
        }
    }

    pub(super) fn search_step(&mut self, forward: bool, from: Option<usize>) {
        let Some(d) = self.doc.as_ref() else { return };
        let Some(s) = d.search.as_ref() else {
            self.message = msg("no search yet: press / to search", Tone::Warn);
            return;
        };
        let t = d.session.text.as_str();
        let from = from.unwrap_or(d.cursor);
        let found = if forward {
            s.next(t, from)
        } else {
            s.prev(t, from)
        };
        match found {
            Some(f) => {
                let (nth, total) = s.rank(t, f.range.start);
                let wrapped = if f.wrapped { " (wrapped)" } else { "" };
                self.message = msg(
                    format!("/{}: match {nth} of {total}{wrapped}", short(&s.query, 40)),
                    Tone::Info,
                );
                self.move_to(f.range.start);
                if let Some(d) = self.doc.as_mut() {
                    d.found = Some(f.range);
                }
            }
            None => self.message = msg(format!("/{}: not found", short(&s.query, 40)), Tone::Warn),
        }
    }

    // ---- moving: the open article's view, sized for the screen ----

    /// Room for label names before their spans, when they are shown.
    pub(super) fn refresh_inlays(&mut self) {
        let on = self.inline_labels;
        if let Some(d) = self.doc.as_mut() {
            let inlays = if on {
                components::reader::inlays(&d.session.store)
            } else {
                Default::default()
            };
            d.layout.set_inlays(inlays);
            d.scroll_to_cursor();
        }
    }

    /// The text pane changed size (the panel opened or closed).
    pub(super) fn refit(&mut self) {
        let size = self.text_size();
        if let Some(d) = self.doc.as_mut() {
            d.resize(size);
        }
    }

    pub(super) fn move_to(&mut self, pos: usize) {
        if let Some(d) = self.doc.as_mut() {
            d.found = None;
            d.move_to(pos);
        }
    }

    pub(super) fn move_rows(&mut self, n: isize) {
        if let Some(d) = self.doc.as_mut() {
            d.move_rows(n);
        }
    }

    pub(super) fn page(&mut self, dir: isize) {
        if let Some(d) = self.doc.as_mut() {
            d.page(dir);
        }
    }

    pub(super) fn scroll_to_cursor(&mut self) {
        if let Some(d) = self.doc.as_mut() {
            d.scroll_to_cursor();
        }
    }

    /// Scrolls the text by `n` rows (the mouse wheel).
    pub fn scroll(&mut self, n: isize) {
        if let Some(d) = self.doc.as_mut() {
            d.scroll(n);
        }
    }
}
