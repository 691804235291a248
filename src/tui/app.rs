//! The interface's state and `update`: events in, state changed, I/O
//! requests out (in `outbox`, sent to the worker by the event loop). Nothing
//! here draws or touches the disk, so every behaviour can be tested by
//! feeding events to an `App`.

use std::collections::HashMap;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crossterm::event::{
    Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use super::action::Action;
use super::components;
pub use super::components::article_list::ListItem;
use super::components::article_list::{ArticleList, ListOutcome};
use super::components::line_input::{InputOutcome, LineInput};
use super::components::pager::{Page, Pager};
use super::components::panel::Panel;
use super::components::picker::{PickItem, PickTarget, Picker, PickerOutcome};
use super::components::prompt::{Prompt, PromptKind};
pub use super::components::reader::Doc;
use super::keymap::{Scope, lookup};
use super::panes::{Panes, panes_with, text_size};
use crate::core::annotation::{Annotation, History, Status, Store, new_id, now_rfc3339};
use crate::core::article::{Glimpse, Health, Opened};
use crate::core::corpus::{self, Entry};
use crate::core::display::sanitize_line;
use crate::core::labels::{Label, Schema};
use crate::core::motion;
use crate::core::search::Search;
use crate::core::text::Text;
pub use crate::session::document::SaveState;
use crate::session::document::{Document, News, Saves};
use crate::session::worker::{Reply, Request};

/// What the event loop feeds `update`.
#[derive(Debug)]
pub enum Event {
    Term(TermEvent),
    Io(Reply),
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT: end as on `q`, saves finished.
    Signal(i32),
    /// The time asked for by `App::wake_at` has come.
    Tick,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Text,
    /// The annotation panel under the text.
    Panel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Prompt(Prompt),
    Picker(Picker),
    /// `f` or `F` was pressed; the next character is the target.
    PendingFind {
        forward: bool,
    },
    /// The help or the problems, over the screen.
    Pager(Pager),
    /// `q` with changes that could not be saved: asks once more.
    ConfirmQuit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub tone: Tone,
}

/// Where files are and who is annotating.
#[derive(Debug, Clone)]
pub struct Settings {
    pub corpus: PathBuf,
    pub annotations: PathBuf,
    pub labels: PathBuf,
    pub annotator: Option<String>,
}

#[derive(Debug)]
pub struct App {
    pub settings: Settings,
    pub schema: Schema,
    /// Whether the schema exists on disk; if not it is written with the
    /// first annotation, so sidecars never name labels found nowhere.
    pub schema_on_disk: bool,
    pub schema_problem: Option<String>,
    /// The article list (left).
    pub list: ArticleList,
    pub focus: Focus,
    /// The open article and its view (right).
    pub doc: Option<Doc>,
    /// The annotation panel (under the text).
    pub panel: Panel,
    pub loading: Option<usize>,
    pub mode: Mode,
    pub message: Option<Message>,
    pub size: (u16, u16),
    pub quit: bool,
    /// The signal that ended the interface, if one did.
    pub signalled: Option<i32>,
    /// Requests for the worker, taken by the event loop after each update.
    pub outbox: Vec<Request>,
    /// A click in the text started here; a drag selects from it.
    drag_from: Option<usize>,
    /// Enter was refused once because the open article has unsaved changes.
    leave_unsaved: bool,
    /// Cursor and scroll of articles opened before, to return to.
    positions: HashMap<usize, (usize, usize)>,
    /// Each article's undo history while it is not open, with the
    /// fingerprint of the text it was made on: kept for the session.
    histories: HashMap<usize, (String, History)>,
    /// Actions typed while an article was opening, applied once it is open.
    pending: Vec<Action>,
    /// Where every save stands, the open article's and those left.
    saves: Saves,
    /// The ends of the large article being opened, shown until it is read.
    glimpse: Option<(usize, Glimpse)>,
    /// The label schema was sent to be written and is not answered yet.
    schema_saving: bool,
    /// Labels created here and not yet in the schema file: sent with the
    /// next save until the file has them.
    new_labels: Vec<Label>,
}

fn msg(text: impl Into<String>, tone: Tone) -> Option<Message> {
    Some(Message {
        text: text.into(),
        tone,
    })
}

/// What the reader should be told on opening `d`: why it is read-only, or
/// what happened to its annotations.
fn doc_message(d: &Doc) -> Option<Message> {
    d.session
        .read_only
        .as_ref()
        .map(|r| Message {
            text: format!("read-only: {r}"),
            tone: Tone::Error,
        })
        .or_else(|| {
            d.session.notices.first().map(|n| Message {
                text: n.clone(),
                tone: Tone::Warn,
            })
        })
}

/// A quote cut to `n` characters, made safe to show.
pub fn short(s: &str, n: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    // By graphemes, as the view cuts: never half an emoji sequence or a
    // letter without its accent.
    let mut graphemes = one_line.graphemes(true);
    let mut out: String = graphemes.by_ref().take(n).collect();
    if graphemes.next().is_some() {
        out.push('…');
    }
    sanitize_line(&out)
}

impl App {
    pub fn new(
        settings: Settings,
        schema: Schema,
        schema_on_disk: bool,
        schema_problem: Option<String>,
        entries: Vec<Entry>,
        size: (u16, u16),
    ) -> App {
        let entries: Arc<[Entry]> = entries.into();
        let summaries = Request::Summaries {
            entries: entries.clone(),
            annotations: settings.annotations.clone(),
        };
        let list = ArticleList::new(entries);
        let message = schema_problem
            .as_ref()
            .map(|p| Message {
                text: p.clone(),
                tone: Tone::Error,
            })
            .or_else(|| {
                list.items.is_empty().then(|| Message {
                    text: format!("no .txt or .md articles in {}", settings.corpus.display()),
                    tone: Tone::Warn,
                })
            });
        let saves = Saves::new(settings.annotations.clone());
        let mut app = App {
            settings,
            schema,
            schema_on_disk,
            schema_problem,
            list,
            focus: Focus::List,
            doc: None,
            panel: Panel::default(),
            loading: None,
            mode: Mode::Normal,
            message,
            size,
            quit: false,
            signalled: None,
            outbox: vec![summaries],
            drag_from: None,
            leave_unsaved: false,
            positions: HashMap::new(),
            histories: HashMap::new(),
            pending: vec![],
            saves,
            glimpse: None,
            schema_saving: false,
            new_labels: vec![],
        };
        app.resize(size.0, size.1);
        if !app.list.items.is_empty() {
            app.request_open(0);
        }
        app
    }

    // ---- events ----

    /// The title the list shows for article `idx`.
    pub fn shown_title(&self, idx: usize) -> String {
        self.list.shown_title(idx)
    }

    /// The screen's panes now (the panel is there when open).
    pub fn panes(&self) -> Option<Panes> {
        self.panes_for(Rect::new(0, 0, self.size.0, self.size.1))
    }

    /// The panes for a screen of `area`.
    pub fn panes_for(&self, area: Rect) -> Option<Panes> {
        panes_with(area, self.panel.open)
    }

    /// The text pane's inner size now.
    fn text_size(&self) -> (usize, usize) {
        text_size(self.size.0, self.size.1, self.panel.open)
    }

    pub fn update(&mut self, ev: Event) {
        match ev {
            Event::Term(TermEvent::Key(k)) if k.kind == KeyEventKind::Press => self.on_key(k),
            Event::Term(TermEvent::Mouse(m)) => self.on_mouse(m),
            Event::Term(TermEvent::Resize(w, h)) => self.resize(w, h),
            Event::Term(TermEvent::Paste(text)) => self.on_paste(&text),
            Event::Term(_) => {}
            Event::Io(r) => self.on_reply(r),
            Event::Signal(sig) => {
                self.signalled = Some(sig);
                self.quit = true;
            }
            Event::Tick => self.retry_due(),
        }
    }

    /// Whether a save was sent and not answered yet: quitting must wait for
    /// the I/O thread then, and need not otherwise (it may be busy reading
    /// a large article nobody will look at).
    pub fn saves_unanswered(&self) -> bool {
        self.schema_saving || self.saves.unanswered(self.doc.as_ref().map(|d| &d.session))
    }

    /// When the event loop should send `Event::Tick` if nothing else comes.
    pub fn wake_at(&self) -> Option<Instant> {
        self.saves.wake_at()
    }

    /// The event loop sends `Event::Tick` only once `wake_at` has come.
    fn retry_due(&mut self) {
        if self.saves.retry_due(self.doc.as_ref().map(|d| &d.session)) {
            self.persist();
        }
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        let list_h = self.panes().map_or(1, |p| p.list_inner.height as usize);
        self.list.resize(list_h);
        let size = self.text_size();
        if let Some(d) = self.doc.as_mut() {
            d.resize(size);
        }
    }

    /// Tab and Shift-Tab: list, text, panel (when open), around.
    fn cycle_focus(&mut self, forward: bool) {
        let text = self.doc.is_some() || self.loading.is_some();
        let mut order = vec![Focus::List];
        if text {
            order.push(Focus::Text);
            if self.panel.open {
                order.push(Focus::Panel);
            }
        }
        let at = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = order.len();
        self.focus = order[if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        }];
    }

    /// Where keys are looked up now, the most specific scope first: the
    /// handler, the footer and the help all ask here.
    pub fn scopes(&self) -> Vec<Scope> {
        let doc = self.doc.as_ref();
        let editing = doc.is_some_and(|d| d.edit.is_some());
        let relating = doc.is_some_and(|d| d.relating.is_some());
        match (self.focus, editing, relating) {
            (Focus::List, _, _) => vec![Scope::List, Scope::Global],
            (Focus::Panel, _, _) => vec![Scope::Panel, Scope::Global],
            (Focus::Text, true, _) => vec![Scope::Edit, Scope::Text, Scope::Global],
            (Focus::Text, false, true) => vec![Scope::Relate, Scope::Text, Scope::Global],
            (Focus::Text, false, false) => vec![Scope::Text, Scope::Global],
        }
    }

    fn on_key(&mut self, k: KeyEvent) {
        let was_unsaved_refusal = self.leave_unsaved;
        if !matches!(self.mode, Mode::ConfirmQuit) && self.mode != Mode::Normal {
            self.on_modal_key(k);
            return;
        }
        if self.mode == Mode::ConfirmQuit {
            self.mode = Mode::Normal;
            if lookup(&[Scope::Confirm], &k) == Some(Action::QuitAnyway) {
                self.quit = true;
            } else {
                self.message = msg("staying", Tone::Info);
            }
            return;
        }
        if !matches!(
            self.doc.as_ref().map(|d| &d.session.save),
            Some(SaveState::Failed(_))
        ) {
            self.message = None;
        }
        let scopes = self.scopes();
        if let Some(a) = lookup(&scopes, &k) {
            self.apply(a);
        }
        if was_unsaved_refusal {
            self.leave_unsaved = false;
        }
    }

    /// A paste (bracketed paste is on, so it comes whole): text for the
    /// prompt or picker that has focus, never keys to run. A note keeps
    /// its line breaks; a search, filter or label name gets spaces.
    fn on_paste(&mut self, text: &str) {
        /// More than anyone types into a prompt: refused, not cut.
        const MAX_PASTE: usize = 64 << 10;
        if text.len() > MAX_PASTE {
            self.message = msg(
                format!(
                    "paste refused: {} KB is more than a prompt takes (64 KB)",
                    text.len() >> 10
                ),
                Tone::Warn,
            );
            return;
        }
        let lines = text.replace("\r\n", "\n").replace('\r', "\n");
        let flat = || lines.trim_end_matches('\n').replace('\n', " ");
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Prompt(mut p) => {
                let pasted = match p.kind {
                    PromptKind::Note { .. } => lines.trim_end_matches('\n').to_string(),
                    _ => flat(),
                };
                p.input.insert_str(&pasted);
                self.on_prompt(p, InputOutcome::Changed);
            }
            Mode::Picker(mut p) => {
                p.paste(&flat());
                self.mode = Mode::Picker(p);
            }
            other => {
                self.mode = other;
                self.message = msg(
                    "paste ignored: it goes into a prompt (/ search, c note, t label), never runs as keys",
                    Tone::Warn,
                );
            }
        }
    }

    fn on_modal_key(&mut self, k: KeyEvent) {
        let mode = std::mem::replace(&mut self.mode, Mode::Normal);
        match mode {
            Mode::Pager(mut p) => {
                // Any key the table does not give the pager closes it.
                if p.handle(&k) {
                    self.mode = Mode::Pager(p);
                }
            }
            Mode::PendingFind { forward } => {
                if let (KeyCode::Char(c), Some(doc)) = (k.code, self.doc.as_ref()) {
                    let needle = c.to_string();
                    let found = if forward {
                        motion::find_next(&doc.session.text, doc.cursor, &needle)
                    } else {
                        motion::find_prev(&doc.session.text, doc.cursor, &needle)
                    };
                    match found {
                        Some(p) => self.move_to(p),
                        None => {
                            self.message = msg(
                                format!(
                                    "no {} {needle:?}",
                                    if forward { "later" } else { "earlier" }
                                ),
                                Tone::Warn,
                            )
                        }
                    }
                }
            }
            Mode::Prompt(mut p) => {
                let outcome = p.input.handle(&k);
                self.on_prompt(p, outcome);
            }
            Mode::Picker(p) => self.on_picker_key(p, &k),
            Mode::Normal | Mode::ConfirmQuit => {}
        }
    }

    fn on_prompt(&mut self, p: Prompt, outcome: InputOutcome) {
        let q = p.input.text.clone();
        match (&p.kind, outcome) {
            (PromptKind::Search { origin }, InputOutcome::Cancel) => {
                let origin = *origin;
                if let Some(d) = self.doc.as_mut() {
                    d.search = None;
                }
                self.move_to(origin);
            }
            (PromptKind::Search { origin }, InputOutcome::Changed) => {
                let origin = *origin;
                if let Some(d) = self.doc.as_mut() {
                    d.search = Search::new(&q);
                    let hit = d
                        .search
                        .as_ref()
                        .and_then(|s| s.next(d.session.text.as_str(), origin));
                    let to = hit.map_or(origin, |f| f.range.start);
                    self.move_to(to);
                }
                self.mode = Mode::Prompt(p);
            }
            (PromptKind::Search { origin }, InputOutcome::Submit) => {
                let origin = *origin;
                if let Some(d) = self.doc.as_mut() {
                    d.search = Search::new(&q);
                }
                self.search_step(true, Some(origin));
            }
            (PromptKind::ListFilter { before }, InputOutcome::Cancel) => {
                self.list.set_filter(before.clone());
            }
            (PromptKind::ListFilter { .. }, InputOutcome::Changed) => {
                self.list.set_filter(q);
                self.mode = Mode::Prompt(p);
            }
            (PromptKind::ListFilter { .. }, InputOutcome::Submit) => {
                self.message = msg(
                    format!(
                        "{} of {} articles match",
                        self.list.visible.len(),
                        self.list.items.len()
                    ),
                    Tone::Info,
                );
            }
            (PromptKind::Note { id }, InputOutcome::Submit) => {
                let id = id.clone();
                self.set_note(&id, q);
            }
            (PromptKind::RelationName { from, to }, InputOutcome::Submit) => {
                let (from, to) = (from.clone(), to.clone());
                let name = q.trim().to_string();
                if name.is_empty() {
                    self.message = msg("no relation made: it needs a name", Tone::Warn);
                } else {
                    self.add_relation(from, to, name);
                }
            }
            (PromptKind::DocLabel, InputOutcome::Submit) => self.toggle_doc_label(q.trim()),
            (_, InputOutcome::Cancel) => {}
            _ => self.mode = Mode::Prompt(p),
        }
    }

    // ---- the label picker ----

    /// The picker's rows for its current filter.
    pub fn picker_items(&self, filter: &str) -> Vec<PickItem> {
        Picker::items(&self.schema, filter)
    }

    fn on_picker_key(&mut self, mut p: Picker, k: &KeyEvent) {
        let name = match p.handle(k, &self.schema) {
            PickerOutcome::Stay => {
                self.mode = Mode::Picker(p);
                return;
            }
            PickerOutcome::Cancel => return,
            PickerOutcome::NoMatch => {
                self.message = msg("no label matches; type a new name to create it", Tone::Warn);
                self.mode = Mode::Picker(p);
                return;
            }
            PickerOutcome::Chosen(PickItem::Label(n)) => n,
            PickerOutcome::Chosen(PickItem::Create(n)) => {
                if let Some(problem) = &self.schema_problem {
                    // The file is there but broken: writing it would
                    // replace the user's labels.
                    self.message = msg(
                        format!(
                            "no label created: the label schema has a problem; fix it first ({problem})"
                        ),
                        Tone::Error,
                    );
                    return;
                }
                let l = self.schema.add(&n).clone();
                self.new_labels.push(l);
                self.save_schema();
                n
            }
        };
        self.tag_target(p.target, name);
    }

    // ---- actions ----

    pub fn apply(&mut self, a: Action) {
        use Action::*;
        match a {
            // After the keys waiting for an article: a tag typed before `q`
            // is made (and saved) before gloss quits.
            Quit if !self.pending.is_empty() => self.pending.push(a),
            Quit => self.request_quit(),
            FocusNext | FocusPrev => self.cycle_focus(a == FocusNext),
            Help => self.mode = Mode::Pager(Pager::new(Page::Help)),
            Problems => self.mode = Mode::Pager(Pager::new(Page::Problems)),
            ListDown | ListUp | ListTop | ListBottom | ListPageDown | ListPageUp | ListOpen
            | ListFilter => match self.list.handle(a) {
                ListOutcome::Nothing => {}
                // The text pane follows the list, as a preview, unless the
                // open article has changes that could not be saved.
                ListOutcome::Preview(idx) => {
                    if !self.doc.as_ref().is_some_and(|d| d.session.failed()) {
                        self.request_open(idx);
                    }
                }
                ListOutcome::Open(idx) => {
                    self.request_open(idx);
                    self.focus = Focus::Text;
                    if let Some(d) = self.doc.as_ref().filter(|d| d.session.idx == idx) {
                        self.message = doc_message(d).or(self.message.take());
                    }
                }
                ListOutcome::Filter => {
                    self.mode = Mode::Prompt(Prompt {
                        kind: PromptKind::ListFilter {
                            before: self.list.filter.clone(),
                        },
                        input: LineInput::with(&self.list.filter),
                    })
                }
            },
            // Keys typed while an article opens are for that article: they
            // wait for it (a `G` right after launch lands at its end).
            _ if self.loading.is_some() => {
                if self.pending.len() < 256 {
                    self.pending.push(a);
                }
                self.message = msg("opening…", Tone::Info);
                if matches!(a, Top | Bottom) {
                    self.show_glimpse();
                }
            }
            _ if self.doc.is_none() => {}
            _ => self.apply_text(a),
        }
    }

    fn apply_text(&mut self, a: Action) {
        use Action::*;
        let Some(d) = self.doc.as_ref() else { return };
        let (t, c) = (&d.session.text, d.cursor);
        let target = match a {
            Left => Some(motion::left(t, c)),
            Right => Some(motion::right(t, c)),
            WordNext => Some(motion::word_next(t, c)),
            WordPrev => Some(motion::word_prev(t, c)),
            SentenceNext => Some(motion::sentence_next(t, c)),
            SentencePrev => Some(motion::sentence_prev(t, c)),
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
                        self.move_to(ann.start);
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
                    motion::sentence_at(t, c)
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
                if d.relating.take().is_some() {
                    self.message = msg("relation cancelled", Tone::Info);
                }
                if let Some(id) = d.edit.take() {
                    if let Some(ann) = d.session.store.get(&id) {
                        d.cursor = ann.start;
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
            DocLabel => self.open_doc_label_prompt(),
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
            Quit | FocusNext | FocusPrev | Help | Problems | ListDown | ListUp | ListTop
            | ListBottom | ListPageDown | ListPageUp | ListOpen | ListFilter | Left | Right
            | WordNext | WordPrev | SentenceNext | SentencePrev | ParagraphNext | ParagraphPrev
            | Top | Bottom | RowStart | RowEnd => {}
            // Taken by the prompt, picker, pager and confirm handlers,
            // which look these up in their own scopes.
            InputSubmit | InputCancel | InputStart | InputEnd | InputLeft | InputRight
            | InputBackspace | InputDelete | InputClearToStart | PickNext | PickPrev
            | PagerDown | PagerUp | PagerPageDown | PagerPageUp | PagerTop | PagerClose
            | QuitAnyway => {}
        }
    }

    fn search_step(&mut self, forward: bool, from: Option<usize>) {
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
            }
            None => self.message = msg(format!("/{}: not found", short(&s.query, 40)), Tone::Warn),
        }
    }

    // ---- moving: the open article's view, sized for the screen ----

    /// The text pane changed size (the panel opened or closed).
    fn refit(&mut self) {
        let size = self.text_size();
        if let Some(d) = self.doc.as_mut() {
            d.resize(size);
        }
    }

    fn move_to(&mut self, pos: usize) {
        if let Some(d) = self.doc.as_mut() {
            d.move_to(pos);
        }
    }

    fn move_rows(&mut self, n: isize) {
        if let Some(d) = self.doc.as_mut() {
            d.move_rows(n);
        }
    }

    fn page(&mut self, dir: isize) {
        if let Some(d) = self.doc.as_mut() {
            d.page(dir);
        }
    }

    fn scroll_to_cursor(&mut self) {
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

    fn request_open(&mut self, idx: usize) {
        if let Some(d) = &self.doc {
            if d.session.idx == idx {
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
    fn retire_doc(&mut self) {
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
    fn show_glimpse(&mut self) {
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
        let pending = std::mem::take(&mut self.pending);
        if !pending.is_empty() && self.message.as_ref().is_some_and(|m| m.text == "opening…") {
            self.message = None;
        }
        for a in pending {
            self.apply(a);
        }
    }

    fn on_reply(&mut self, r: Reply) {
        match r {
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
                let news = self.saves.on_saved(open, path, generation, written);
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
            Reply::SchemaSaved(schema) => {
                self.schema_saving = false;
                self.schema_on_disk = true;
                // Labels someone added to the file meanwhile come in too;
                // a label created while this save was on its way waits.
                self.new_labels.retain(|l| schema.get(&l.name).is_none());
                let pending: Vec<Label> = self.new_labels.clone();
                self.schema = *schema;
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
    fn tell(&mut self, news: News) {
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

    fn request_quit(&mut self) {
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

    // ---- annotating ----

    fn check_writable(&mut self) -> bool {
        match self.doc.as_ref().and_then(|d| d.session.read_only.clone()) {
            Some(r) => {
                self.message = msg(format!("read-only: {r}"), Tone::Error);
                false
            }
            None => self.doc.is_some(),
        }
    }

    /// What a label key or the picker would tag now: the annotation being
    /// edited, the selection, or the word under the cursor.
    fn current_target(&mut self) -> Option<PickTarget> {
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
        let range = match d.selection() {
            Some(r) => Some(motion::trim(&d.session.text, r)),
            None => motion::word_at(&d.session.text, d.cursor),
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

    fn describe(&self, a: &Annotation) -> String {
        let Some(d) = self.doc.as_ref() else {
            return String::new();
        };
        let mut s = format!(
            "{} “{}”",
            a.label,
            short(d.session.text.slice(a.range()), 48)
        );
        if let Some(n) = &a.note {
            s.push_str(&format!(" — {}", short(n, 60)));
        }
        s
    }

    fn tag_target(&mut self, target: PickTarget, label: String) {
        let annotator = self.settings.annotator.clone();
        let Some(d) = self.doc.as_mut() else { return };
        match target {
            PickTarget::Edit { id, range } => {
                let Some(mut ann) = d.session.store.get(&id).cloned() else {
                    return;
                };
                ann.label = label;
                ann.start = range.start;
                ann.end = range.end;
                d.session.store.replace(ann.clone());
                d.edit = None;
                d.anchor = None;
                self.message = msg(format!("changed to {}", self.describe(&ann)), Tone::Info);
            }
            PickTarget::Range(r) => {
                // The same span and label by another annotator is theirs:
                // agreement needs both.
                if d.session
                    .store
                    .all()
                    .iter()
                    .any(|a| a.range() == r && a.label == label && a.annotator == annotator)
                {
                    self.message = msg(format!("already tagged {label} here"), Tone::Warn);
                    return;
                }
                let ann = Annotation {
                    id: new_id(|x| d.session.store.contains_id(x)),
                    start: r.start,
                    end: r.end,
                    label,
                    note: None,
                    annotator,
                    created: now_rfc3339(),
                };
                d.session.store.add(ann.clone());
                d.anchor = None;
                let unknown = self.schema.get(&ann.label).is_none();
                self.message = msg(
                    format!("tagged {}", self.describe(&ann)),
                    if unknown { Tone::Warn } else { Tone::Info },
                );
            }
        }
        self.persist();
    }

    /// The innermost annotation under the cursor, to `verb` it; says why
    /// not when the article is read-only or there is none.
    fn annotation_under_cursor(&mut self, verb: &str) -> Option<Annotation> {
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

    fn start_edit(&mut self) {
        let Some(ann) = self.annotation_under_cursor("edit") else {
            return;
        };
        let Some(d) = self.doc.as_mut() else { return };
        d.edit = Some(ann.id.clone());
        d.anchor = Some(ann.start);
        d.cursor = d.session.text.prev_boundary(ann.end).max(ann.start);
        self.message = msg(
            format!(
                "editing {}: motions move this end, o the other, Enter keeps, 1-9 or t relabel, Esc cancels",
                ann.label
            ),
            Tone::Info,
        );
        self.scroll_to_cursor();
    }

    fn confirm_edit(&mut self) {
        let Some(d) = self.doc.as_mut() else { return };
        let (Some(id), Some(range)) = (d.edit.clone(), d.selection()) else {
            return;
        };
        let Some(mut ann) = d.session.store.get(&id).cloned() else {
            return;
        };
        ann.start = range.start;
        ann.end = range.end;
        d.session.store.replace(ann.clone());
        d.edit = None;
        d.anchor = None;
        self.message = msg(format!("now {}", self.describe(&ann)), Tone::Info);
        self.persist();
    }

    fn set_note(&mut self, id: &str, note: String) {
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
    fn finish_relation(&mut self, n: u8) {
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

    fn add_relation(&mut self, from: String, to: String, label: String) {
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
    fn follow_relation(&mut self, forward: bool) {
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
                self.move_to(at);
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
    fn on_panel_relation(&mut self, delete: bool) {
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

    fn mark_done(&mut self) {
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

    fn open_doc_label_prompt(&mut self) {
        if !self.check_writable() {
            return;
        }
        let hint: Vec<String> = self
            .schema
            .documents
            .iter()
            .map(|g| format!("{}: {}", g.name, g.choices.join("/")))
            .collect();
        self.message = msg(
            if hint.is_empty() {
                "type group: label (the schema lists no document groups); again removes it"
                    .to_string()
            } else {
                format!("{}; again removes it", hint.join("; "))
            },
            Tone::Info,
        );
        self.mode = Mode::Prompt(Prompt {
            kind: PromptKind::DocLabel,
            input: LineInput::default(),
        });
    }

    /// Adds the document label `input` names (`group: choice`, or a choice
    /// of one group), or removes it if the article has it. In a group of
    /// one choice, it replaces the group's other label.
    fn toggle_doc_label(&mut self, input: &str) {
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

    fn delete(&mut self) {
        let Some(ann) = self.annotation_under_cursor("delete") else {
            return;
        };
        let what = self.describe(&ann);
        let Some(d) = self.doc.as_mut() else { return };
        // The relations that point at it go with it, in the same step.
        let with = d.session.store.remove(&ann.id).map_or(0, |(_, n)| n);
        let text = if with > 0 {
            format!("deleted {what} and the {with} relation(s) on it (u undoes both)")
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

    fn undo_redo(&mut self, undo: bool) {
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

    /// Sends the open article's sidecar to be written.
    fn persist(&mut self) {
        let Some(d) = self.doc.as_mut() else { return };
        let d = &mut d.session;
        let Some(request) = self.saves.save(d) else {
            return;
        };
        self.list.items[d.idx].count = d.store.len();
        self.list.items[d.idx].status = d.store.status();
        self.outbox.push(request);
        if !self.schema_on_disk || !self.new_labels.is_empty() {
            self.save_schema();
        }
    }

    /// Sends the labels created here to the schema file, or the whole
    /// schema where there is no file yet, so that sidecars never name
    /// labels found nowhere. The file is only ever added to.
    fn save_schema(&mut self) {
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

    // ---- the mouse ----

    fn on_mouse(&mut self, m: MouseEvent) {
        let Some(p) = self.panes() else {
            return;
        };
        let at = Position::new(m.column, m.row);
        let in_text = p.text_inner.contains(at);
        let in_list = p.list_inner.contains(at);
        let in_panel = p.panel.is_some_and(|r| r.contains(at));
        match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let n = if m.kind == MouseEventKind::ScrollDown {
                    3
                } else {
                    -3
                };
                if in_list {
                    self.list.wheel(n);
                } else {
                    self.scroll(n);
                }
            }
            MouseEventKind::Down(MouseButton::Left) if in_list => {
                if let Some(i) = self.list.row_at((m.row - p.list_inner.y) as usize) {
                    self.list.select(i);
                    self.focus = Focus::List;
                    self.apply(Action::ListOpen);
                }
            }
            MouseEventKind::Down(MouseButton::Left) if in_panel => self.focus = Focus::Panel,
            MouseEventKind::Down(MouseButton::Left) if in_text => {
                self.focus = Focus::Text;
                if let Some(d) = self.doc.as_mut() {
                    let pos = d.pos_at(p.text_inner, at);
                    if d.edit.is_none() {
                        d.anchor = None;
                    }
                    d.move_to(pos);
                    self.drag_from = Some(pos);
                }
            }
            MouseEventKind::Drag(MouseButton::Left) => {
                if let (Some(from), Some(d)) = (self.drag_from, self.doc.as_mut()) {
                    let pos = d.pos_at(p.text_inner, at);
                    if d.edit.is_none() {
                        d.anchor = Some(from);
                    }
                    d.move_to(pos);
                }
            }
            MouseEventKind::Up(MouseButton::Left) => self.drag_from = None,
            _ => {}
        }
    }
}
