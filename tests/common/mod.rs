//! Shared test helpers: a copy of the bundled corpus in a temp folder, an
//! `App` whose I/O requests are carried out at once, keys written as text.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use crossterm::event::{
    Event as TermEvent, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use gloss::core::annotation::{Annotation, Store};
use gloss::core::corpus;
use gloss::core::offset::BytePos;
use gloss::core::sidecar;
use gloss::core::text::Text;
use gloss::session::worker::Io;
use gloss::tui::app::{App, Event, Settings};
use gloss::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

pub const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
pub const SCHEMA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/annotations/labels.toml");

/// A temp folder with `seeds/` (a copy of the bundled corpus) and
/// `annotations/labels.toml`.
pub fn corpus_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    for e in std::fs::read_dir(SEEDS).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), seeds.join(e.file_name())).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("annotations")).unwrap();
    std::fs::copy(SCHEMA, dir.path().join("annotations/labels.toml")).unwrap();
    dir
}

/// A corpus of the given files, written into a temp folder.
pub fn corpus_of(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let p = dir.path().join("seeds").join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("annotations")).unwrap();
    std::fs::copy(SCHEMA, dir.path().join("annotations/labels.toml")).unwrap();
    dir
}

pub struct Harness {
    pub app: App,
    pub io: Io,
    pub root: PathBuf,
}

impl Harness {
    pub fn new(root: &Path, w: u16, h: u16) -> Harness {
        let ann = root.join("annotations");
        let labels = ann.join("labels.toml");
        let file = gloss::core::labels::SchemaFile::read(&labels);
        let settings = Settings {
            corpus: root.join("seeds"),
            annotations: ann,
            labels,
            annotator: None,
            open: None,
            schema_commands: false,
        };
        let entries = corpus::scan(&settings.corpus);
        let app = App::new(
            settings,
            file.schema,
            file.on_disk,
            file.problem,
            entries,
            (w, h),
        );
        let mut h = Harness {
            app,
            io: Io::default(),
            root: root.to_path_buf(),
        };
        h.settle();
        h
    }

    /// Carries out every pending I/O request and feeds back the replies.
    pub fn settle(&mut self) {
        while !self.app.outbox.is_empty() {
            let reqs: Vec<_> = self.app.outbox.drain(..).collect();
            for r in reqs {
                for reply in self.io.perform(r) {
                    self.app.update(Event::Io(reply));
                }
            }
        }
    }

    /// Types `keys`: characters as themselves, `<Enter>`, `<Esc>`, `<Tab>`,
    /// `<S-Tab>`, `<BS>`, `<Up>`, `<Down>`, `<Left>`, `<Right>`, `<PgDn>`,
    /// `<PgUp>`, `<C-x>` for control keys.
    pub fn keys(&mut self, keys: &str) -> &mut Self {
        for ev in parse_keys(keys) {
            self.app.update(Event::Term(TermEvent::Key(ev)));
            self.settle();
        }
        self
    }

    /// A paste, as a terminal with bracketed paste sends it.
    pub fn paste(&mut self, text: &str) -> &mut Self {
        self.app
            .update(Event::Term(TermEvent::Paste(text.to_string())));
        self.settle();
        self
    }

    pub fn mouse(&mut self, kind: MouseEventKind, col: u16, row: u16) {
        self.app.update(Event::Term(TermEvent::Mouse(MouseEvent {
            kind,
            column: col,
            row,
            modifiers: KeyModifiers::NONE,
        })));
        self.settle();
    }

    pub fn click(&mut self, col: u16, row: u16) {
        self.mouse(MouseEventKind::Down(MouseButton::Left), col, row);
        self.mouse(MouseEventKind::Up(MouseButton::Left), col, row);
    }

    pub fn render(&self) -> Buffer {
        let (w, h) = self.app.size;
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| view::draw(&self.app, f)).unwrap();
        term.backend().buffer().clone()
    }

    pub fn screen(&self) -> String {
        buffer_text(&self.render())
    }

    pub fn doc(&self) -> &gloss::tui::app::Doc {
        self.app.doc.as_ref().expect("an article is open")
    }

    /// The text of the open article between byte offsets.
    pub fn slice(&self, r: std::ops::Range<usize>) -> String {
        self.doc().session.text.slice(r).to_string()
    }

    /// What the status line says now (the message, in full).
    pub fn said(&self) -> String {
        self.app
            .message
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }

    pub fn sidecar_src(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.root.join("annotations").join(format!("{rel}.toml"))).ok()
    }
}

/// The open article's annotations as (label, quote), in text order.
pub fn quotes(h: &Harness) -> Vec<(String, String)> {
    h.doc()
        .session
        .store
        .all()
        .iter()
        .map(|a| (a.label.clone(), h.slice(a.range())))
        .collect()
}

pub fn parse_keys(s: &str) -> Vec<KeyEvent> {
    let mut out = vec![];
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '<' && it.peek().is_some_and(|n| n.is_ascii_uppercase()) {
            let name: String = it.by_ref().take_while(|&c| c != '>').collect();
            let (code, mods) = match name.as_str() {
                "Enter" => (KeyCode::Enter, KeyModifiers::NONE),
                "Esc" => (KeyCode::Esc, KeyModifiers::NONE),
                "Tab" => (KeyCode::Tab, KeyModifiers::NONE),
                "S-Tab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
                "BS" => (KeyCode::Backspace, KeyModifiers::NONE),
                "Up" => (KeyCode::Up, KeyModifiers::NONE),
                "Down" => (KeyCode::Down, KeyModifiers::NONE),
                "Left" => (KeyCode::Left, KeyModifiers::NONE),
                "Right" => (KeyCode::Right, KeyModifiers::NONE),
                "PgDn" => (KeyCode::PageDown, KeyModifiers::NONE),
                "PgUp" => (KeyCode::PageUp, KeyModifiers::NONE),
                n if n.starts_with("C-") => (
                    KeyCode::Char(n.chars().nth(2).unwrap()),
                    KeyModifiers::CONTROL,
                ),
                other => panic!("unknown key <{other}>"),
            };
            out.push(KeyEvent::new(code, mods));
        } else {
            let mods = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            out.push(KeyEvent::new(KeyCode::Char(c), mods));
        }
    }
    out
}

pub fn buffer_text(b: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..b.area.height {
        let mut skip = 0;
        for x in 0..b.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = b[(x, y)].symbol();
            s.push_str(sym);
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        }
        s.push('\n');
    }
    s
}

/// Python with `tomllib`, for reading sidecars with a parser that is not ours.
pub fn python() -> Option<&'static str> {
    ["python3", "python"].into_iter().find(|p| {
        std::process::Command::new(p)
            .args(["-c", "import tomllib"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Tags the first occurrence of each quote in article `rel`.
pub fn annotate(root: &Path, rel: &str, tags: &[(&str, &str, Option<&str>)]) {
    let text = Text::new(std::fs::read_to_string(root.join("seeds").join(rel)).unwrap());
    let mut anns = vec![];
    for (i, (quote, label, note)) in tags.iter().enumerate() {
        let s = text
            .as_str()
            .find(quote)
            .unwrap_or_else(|| panic!("{quote} not in {rel}"));
        anns.push(Annotation {
            review: None,
            id: format!("{:08x}", 0x1000 + i),
            start: BytePos(s),
            end: BytePos(s + quote.len()),
            label: label.to_string(),
            note: note.map(str::to_string),
            annotator: (i % 2 == 0).then(|| "ana".to_string()),
            created: format!("2026-11-2{}T10:00:0{}Z", i % 9, i % 10),
            ..Default::default()
        });
    }
    let store = Store::new(anns, vec![]);
    let path = root.join("annotations").join(format!("{rel}.toml"));
    std::fs::write(
        path,
        sidecar::write(&sidecar::from_store(rel, &text, &store)),
    )
    .unwrap();
}

/// The seeds with annotations: nested, overlapping, with notes and quotes.
pub fn annotated_corpus() -> tempfile::TempDir {
    let dir = corpus_copy();
    let r = dir.path();
    annotate(
        r,
        "002_7502e44b28077c3a.txt",
        &[
            ("Mike Pompeo", "PERSON", Some("US Secretary of State")),
            ("US Secretary of State Mike Pompeo", "PERSON", None),
            ("New Delhi", "GPE", None),
            (
                "a regular bilateral security meeting on Tuesday",
                "EVENT",
                Some("the \"2+2\" dialogue,\nsecond round"),
            ),
            ("Tuesday", "DATE", None),
            ("China-India border", "LOC", None),
        ],
    );
    annotate(
        r,
        "000_29446928d2f6ecab.txt",
        &[
            ("Indian Ocean Region", "LOC", None),
            ("US Navies", "ORG", None),
        ],
    );
    annotate(r, "004_49c0a3a634711747.txt", &[("India", "GPE", None)]);
    dir
}

/// Runs the gloss binary in `root` with `args`.
pub fn gloss_in(root: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .current_dir(root)
        .output()
        .unwrap()
}

/// What a command wrote on standard error.
pub fn stderr_of(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Whether strace can trace here (it needs ptrace).
pub fn strace_works() -> bool {
    std::process::Command::new("strace")
        .args(["-f", "-o", "/dev/null", "true"])
        .status()
        .is_ok_and(|s| s.success())
}
