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

mod annotate;
mod corpus_lists;
mod files;
mod mouse;
mod suggest;
mod text;

pub use suggest::open_suggestions;

use super::action::Action;
use super::components;
use super::components::annotation_list::{self, AnnotationList};
pub use super::components::article_list::ListItem;
use super::components::article_list::{ArticleList, ListOutcome};
use super::components::corpus_view::{self, CorpusView};
use super::components::line_input::{InputOutcome, LineInput};
use super::components::occurrences::{self, Occurrences};
use super::components::pager::{Page, Pager};
use super::components::panel::Panel;
use super::components::picker::{PickItem, PickTarget, Picker, PickerOutcome};
use super::components::prompt::{Prompt, PromptKind};
pub use super::components::reader::Doc;
use super::keymap::{Scope, lookup};
use super::panes::{Panes, Shape, panes_with, text_size};
use crate::core::annotation::{Annotation, History, Status, Store, new_id, now_rfc3339};
use crate::core::article::{Glimpse, Health, Opened};
use crate::core::corpus::{self, Entry};
use crate::core::display::sanitize_line;
use crate::core::labels::{Label, Schema};
use crate::core::motion;
use crate::core::places::{self, ArticleTags, PlaceTag, Tagging};
use crate::core::search::Search;
use crate::core::sentence::Sentences;
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
    /// The article's annotations as a list (`A`).
    Annotations(AnnotationList),
    /// Every other place of a phrase, to tag (`*`).
    Occurrences(Occurrences),
    /// The corpus search or the consistency check (`App::corpus_view`).
    Corpus(corpus_view::Kind),
    /// A label key on a span of the annotator's own with another label:
    /// add a second annotation, or replace the label?
    Relabel {
        id: String,
        label: String,
        range: std::ops::Range<usize>,
    },
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
    /// Says what a change did ("tagged PERSON “Pompeo” (u undoes)"): kept
    /// through motions until the next change or message, so a digit
    /// pressed by mistake is seen and undone.
    pub sticky: bool,
}

/// Where files are and who is annotating.
#[derive(Debug, Clone)]
pub struct Settings {
    pub corpus: PathBuf,
    pub annotations: PathBuf,
    pub labels: PathBuf,
    pub annotator: Option<String>,
    /// The article to open and focus at once (`gloss FILE`).
    pub open: Option<usize>,
    /// Run the commands the schema's suggestion sources name
    /// (`--schema-commands`; a schema may come from anywhere).
    pub schema_commands: bool,
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
    /// Label names shown at the start of their spans.
    pub inline_labels: bool,
    /// The last corpus search for `*` sent to the worker.
    places_job: u64,
    /// The list's width asked for, or hidden.
    pub list_delta: i16,
    pub list_hidden: bool,
    /// Sentence finding, with the schema's abbreviations.
    pub sentences: Sentences,
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
    /// Keys typed after those, kept as keys: what they mean depends on
    /// what the first did (`/` opens a prompt, and `Pompeo` is then text to
    /// search, not commands), so they are read once it has been done.
    pending_keys: Vec<KeyEvent>,
    /// Where every save stands, the open article's and those left.
    saves: Saves,
    /// The ends of the large article being opened, shown until it is read.
    glimpse: Option<(usize, Glimpse)>,
    /// The label schema was sent to be written and is not answered yet.
    schema_saving: bool,
    /// The statistics view's lines, once counted (`None`: counting).
    pub stats: Option<Vec<String>>,
    /// Labels created here and not yet in the schema file: sent with the
    /// next save until the file has them.
    new_labels: Vec<Label>,
    /// Tags `*` wrote into other articles' sidecars, by the token their
    /// article's undo step holds: what `u` and `r` take back or put back.
    outside: HashMap<u64, Outside>,
    outside_seq: u64,
    /// The corpus search and the consistency check, kept when closed (the
    /// search runs on, and `S` shows it again).
    search_view: Option<CorpusView>,
    check_view: Option<CorpusView>,
    /// The last background job sent (search or check).
    corpus_job: u64,
    /// The article being opened from one of those lists, and the place to
    /// show in it once open.
    landing: Option<(usize, std::ops::Range<usize>)>,
    /// The list the preview of tagging every place shown came from.
    preview_from: Option<corpus_view::Kind>,
    /// The last suggestion run sent (`=`), and the sources of one under
    /// way.
    suggest_job: u64,
    pub suggesting: Option<String>,
    /// Writes sent for other articles' sidecars (tags of `*` and the corpus
    /// views, their undo, suggestions for an article left) not answered
    /// yet: quitting waits for them as for a save.
    writes_elsewhere: usize,
}

/// Tags written into other articles' sidecars as part of one step.
#[derive(Debug, Clone)]
struct Outside {
    /// What the step did: `Add` (undone by removing the same tags) or
    /// `Relabel` (undone by relabelling `before`).
    how: Tagging,
    items: Vec<ArticleTags>,
    /// A relabel's tags with the labels they had.
    before: Vec<ArticleTags>,
}

fn msg(text: impl Into<String>, tone: Tone) -> Option<Message> {
    Some(Message {
        text: text.into(),
        tone,
        sticky: false,
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
            sticky: false,
        })
        .or_else(|| {
            d.session.notices.first().map(|n| Message {
                text: n.clone(),
                tone: Tone::Warn,
                sticky: false,
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
                sticky: false,
            })
            .or_else(|| {
                list.items.is_empty().then(|| Message {
                    text: format!("no .txt or .md articles in {}", settings.corpus.display()),
                    tone: Tone::Warn,
                    sticky: false,
                })
            });
        let saves = Saves::new(settings.annotations.clone());
        let sentences = Sentences::with_extra(&schema.abbreviations);
        let mut app = App {
            settings,
            schema,
            schema_on_disk,
            schema_problem,
            list,
            focus: Focus::List,
            doc: None,
            panel: Panel::default(),
            inline_labels: false,
            places_job: 0,
            list_delta: 0,
            list_hidden: false,
            sentences,
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
            outside: HashMap::new(),
            outside_seq: 0,
            search_view: None,
            check_view: None,
            corpus_job: 0,
            landing: None,
            preview_from: None,
            suggest_job: 0,
            suggesting: None,
            writes_elsewhere: 0,
            pending: vec![],
            pending_keys: vec![],
            saves,
            glimpse: None,
            schema_saving: false,
            stats: None,
            new_labels: vec![],
        };
        app.resize(size.0, size.1);
        match app.settings.open.filter(|&i| i < app.list.items.len()) {
            // `gloss FILE`: that article, chosen in the list, its text
            // focused, as `less FILE` shows the file.
            Some(idx) => {
                if let Some(row) = app.list.visible.iter().position(|&i| i == idx) {
                    app.list.select(row);
                }
                app.request_open(idx);
                app.focus = Focus::Text;
            }
            None if !app.list.items.is_empty() => app.request_open(0),
            None => {}
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

    /// The layout asked for.
    pub fn shape(&self) -> Shape {
        Shape {
            panel: self.panel.open,
            list_delta: self.list_delta,
            list_hidden: self.list_hidden,
        }
    }

    /// The panes for a screen of `area`.
    pub fn panes_for(&self, area: Rect) -> Option<Panes> {
        panes_with(area, self.shape())
    }

    /// The text pane's inner size now.
    fn text_size(&self) -> (usize, usize) {
        text_size(self.size.0, self.size.1, self.shape())
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
        self.schema_saving
            || self.writes_elsewhere > 0
            || self.saves.unanswered(self.doc.as_ref().map(|d| &d.session))
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
        let mut order = if self.list_hidden && text {
            vec![]
        } else {
            vec![Focus::List]
        };
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
        if self.loading.is_some() && !self.pending.is_empty() && self.mode == Mode::Normal {
            if self.pending_keys.len() < 256 {
                self.pending_keys.push(k);
            }
            return;
        }
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
        let keep = self.message.as_ref().is_some_and(|m| m.sticky)
            || matches!(
                self.doc.as_ref().map(|d| &d.session.save),
                Some(SaveState::Failed(_))
            );
        if !keep {
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
            Mode::Annotations(mut l) => {
                l.input.insert_str(&flat());
                l.selected = 0;
                self.mode = Mode::Annotations(l);
            }
            Mode::Corpus(kind) => {
                self.mode = Mode::Corpus(kind);
                if let Some(v) = self.corpus_view_mut(kind).filter(|v| v.editing) {
                    v.input.insert_str(&flat());
                }
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
            Mode::Annotations(mut l) => {
                let Some(d) = self.doc.as_ref() else { return };
                match l.handle(&k, &d.session) {
                    annotation_list::Outcome::Stay => self.mode = Mode::Annotations(l),
                    annotation_list::Outcome::Cancel => {}
                    annotation_list::Outcome::Go(id) => {
                        if let Some(a) = d.session.store.get(&id).cloned() {
                            self.message = msg(self.describe(&a), Tone::Info);
                            self.move_to(a.start.get());
                        }
                    }
                }
            }
            Mode::Corpus(kind) => self.on_corpus_key(kind, &k),
            Mode::Occurrences(mut o) => match o.handle(&k) {
                occurrences::Outcome::Stay => self.mode = Mode::Occurrences(o),
                occurrences::Outcome::Cancel => {
                    self.message = msg("nothing tagged", Tone::Info);
                    if let Some(kind) = self.preview_from.take() {
                        self.mode = Mode::Corpus(kind);
                    }
                }
                occurrences::Outcome::Apply(n) => {
                    let label = n
                        .and_then(|n| self.schema.by_key(n))
                        .map(|l| l.name.clone())
                        .or(o.label.clone());
                    let from = self.preview_from;
                    let kept = o.clone();
                    self.tag_occurrences(o, n);
                    // Tagged (not asked again for a digit): back to the list
                    // it came from, its places marked.
                    if let (Some(kind), Some(label), Mode::Normal) = (from, label, &self.mode) {
                        self.preview_from = None;
                        self.preview_tagged(kind, &kept, &label);
                        self.mode = Mode::Corpus(kind);
                    }
                }
                occurrences::Outcome::Scope(corpus) => {
                    // The corpus is searched once, when first asked for.
                    if corpus && o.job == 0 {
                        self.places_job += 1;
                        o.job = self.places_job;
                        o.searching = true;
                        if let Some(d) = self.doc.as_ref() {
                            self.outbox.push(Request::FindPlaces {
                                job: o.job,
                                phrase: o.phrase.clone(),
                                entries: self.list.entries.clone(),
                                skip: d.session.idx,
                            });
                        }
                    }
                    self.mode = Mode::Occurrences(o);
                }
            },
            Mode::Relabel { id, label, range } => match lookup(&[Scope::Relabel], &k) {
                Some(Action::RelabelAdd) => self.add_annotation(range, label),
                Some(Action::RelabelReplace) => self.replace_label(&id, label),
                _ => self.message = msg("left as it was", Tone::Info),
            },
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
            (PromptKind::AcceptAbove, InputOutcome::Submit) => self.accept_above(&q),
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
        let outcome = p.handle(k, &self.schema);
        if p.target == PickTarget::DocLabel {
            match outcome {
                PickerOutcome::Stay | PickerOutcome::NoMatch => self.mode = Mode::Picker(p),
                PickerOutcome::Cancel => {}
                PickerOutcome::Chosen(PickItem::Choice { group, choice }) => {
                    self.toggle_doc_label(&format!("{group}: {choice}"))
                }
                PickerOutcome::Chosen(PickItem::Create(n) | PickItem::Label(n)) => {
                    self.toggle_doc_label(n.trim())
                }
            }
            return;
        }
        let name = match outcome {
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
            // Only the document picker has choices.
            PickerOutcome::Chosen(PickItem::Choice { .. }) => return,
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
            ListClearFilter => {
                if !self.list.filter.is_empty() {
                    self.list.set_filter(String::new());
                    self.message = msg("filter cleared", Tone::Info);
                }
            }
            ListWider | ListNarrower => {
                let step = if a == ListWider { 4 } else { -4 };
                self.list_delta = (self.list_delta + step).clamp(-60, 200);
                self.resize(self.size.0, self.size.1);
                // Bounded by the screen: the delta keeps no more than shows.
                if let Some(p) = self.panes() {
                    let default = (self.size.0 * 3 / 10).clamp(16, 44) as i16;
                    self.list_delta = p.list.width as i16 - default;
                }
            }
            ToggleList => {
                self.list_hidden = !self.list_hidden;
                if self.list_hidden && self.focus == Focus::List && self.doc.is_some() {
                    self.focus = Focus::Text;
                }
                self.resize(self.size.0, self.size.1);
            }
            Help => self.mode = Mode::Pager(Pager::new(Page::Help)),
            Problems => self.mode = Mode::Pager(Pager::new(Page::Problems)),
            CorpusSearch => self.open_corpus_search(),
            Consistency => self.open_consistency(),
            Stats => {
                // Counted afresh each time, in the I/O thread: the screen
                // says "counting" until it comes.
                self.stats = None;
                self.outbox.push(Request::Stats {
                    entries: self.list.entries.clone(),
                    annotations: self.settings.annotations.clone(),
                });
                self.mode = Mode::Pager(Pager::new(Page::Stats));
            }
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
}
