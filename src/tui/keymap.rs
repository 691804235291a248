//! The key map: the one table from keys to actions, as data. The handlers,
//! the footer and the help all read the active map, so they cannot drift
//! apart. `DEFAULT_BINDINGS` is the built-in table; a `Keymap` is a copy
//! of it that can be rebound (`Keymap::bind`), and the one `install`ed
//! before the interface starts is the one every lookup uses: a user's
//! key map file only has to produce `bind` calls.

use std::borrow::Cow;
use std::sync::OnceLock;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// Where a binding applies. Lookups try the most specific scope first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    List,
    Text,
    /// While the bounds of an annotation are being edited (before `Text`).
    Edit,
    /// While a relation is being made (before `Text`).
    Relate,
    /// The annotation panel, when it has focus.
    Panel,
    /// The list of places to tag (`*`).
    Occurrences,
    /// The corpus search and the consistency check's list.
    Corpus,
    /// Typing in a prompt: search, filter, note, a name.
    Prompt,
    /// The label picker (before `Prompt`, whose keys edit its name).
    Picker,
    /// The help and problems views.
    Pager,
    /// `q` with changes that could not be saved.
    Confirm,
    /// A label key on a span that has another label: add or replace?
    Relabel,
}

impl Scope {
    /// Every scope, in the order the help lists them.
    pub const ALL: [Scope; 13] = [
        Scope::Global,
        Scope::List,
        Scope::Text,
        Scope::Edit,
        Scope::Relate,
        Scope::Panel,
        Scope::Occurrences,
        Scope::Corpus,
        Scope::Prompt,
        Scope::Picker,
        Scope::Pager,
        Scope::Confirm,
        Scope::Relabel,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Anywhere",
            Scope::List => "Article list",
            Scope::Text => "Article text",
            Scope::Edit => "Editing an annotation",
            Scope::Relate => "Relating two annotations",
            Scope::Panel => "The annotation panel (i)",
            Scope::Occurrences => "Tagging every place (*)",
            Scope::Corpus => "The corpus search (S) and the consistency check (C)",
            Scope::Prompt => "Typing in a prompt",
            Scope::Picker => "The label picker",
            Scope::Pager => "Help and problems",
            Scope::Confirm => "Quitting with changes not saved",
            Scope::Relabel => "A label key on a span with another label",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub scope: Scope,
    pub keys: Cow<'static, [Key]>,
    pub action: Action,
    /// How the keys are written in help, when not simply listed.
    pub shown: Option<&'static str>,
    /// A short word for the footer, for the bindings worth a place there.
    pub footer: Option<&'static str>,
}

const fn b(scope: Scope, keys: &'static [Key], action: Action) -> Binding {
    Binding {
        scope,
        keys: Cow::Borrowed(keys),
        action,
        shown: None,
        footer: None,
    }
}

const fn f(scope: Scope, keys: &'static [Key], action: Action, footer: &'static str) -> Binding {
    Binding {
        scope,
        keys: Cow::Borrowed(keys),
        action,
        shown: None,
        footer: Some(footer),
    }
}

/// The digits 1 to 9: labels when tagging, relation types when relating.
const DIGITS: &[Key] = &[
    k('1'),
    k('2'),
    k('3'),
    k('4'),
    k('5'),
    k('6'),
    k('7'),
    k('8'),
    k('9'),
];

use Action as A;
use KeyCode as C;
use Scope::*;

pub static DEFAULT_BINDINGS: &[Binding] = &[
    // Editing an annotation's bounds
    f(Edit, &[code(C::Enter)], A::Confirm, "keep"),
    f(Edit, &[k('o')], A::SwapEnds, "other end"),
    f(Edit, &[code(C::Esc)], A::Cancel, "cancel"),
    // Relating two annotations
    f(Relate, &[code(C::Enter)], A::RelateTo(0), "link"),
    Binding {
        scope: Relate,
        keys: Cow::Borrowed(DIGITS),
        action: A::RelateTo(1),
        shown: Some("1-9"),
        footer: Some("type"),
    },
    f(Relate, &[code(C::Esc)], A::Cancel, "cancel"),
    // Typing in a prompt
    f(Prompt, &[code(C::Enter)], A::InputSubmit, "done"),
    f(Prompt, &[code(C::Esc), ctrl('c')], A::InputCancel, "cancel"),
    b(Prompt, &[code(C::Home), ctrl('a')], A::InputStart),
    b(Prompt, &[code(C::End), ctrl('e')], A::InputEnd),
    b(Prompt, &[code(C::Left)], A::InputLeft),
    b(Prompt, &[code(C::Right)], A::InputRight),
    b(Prompt, &[code(C::Backspace)], A::InputBackspace),
    b(Prompt, &[code(C::Delete)], A::InputDelete),
    b(Prompt, &[ctrl('u')], A::InputClearToStart),
    // The label picker
    f(
        Picker,
        &[code(C::Down), code(C::Tab), ctrl('n')],
        A::PickNext,
        "choose",
    ),
    b(
        Picker,
        &[code(C::Up), code(C::BackTab), ctrl('p')],
        A::PickPrev,
    ),
    // Help and problems
    f(Pager, &[k('j'), code(C::Down)], A::PagerDown, "scroll"),
    b(Pager, &[k('k'), code(C::Up)], A::PagerUp),
    b(Pager, &[code(C::PageDown), k(' ')], A::PagerPageDown),
    b(Pager, &[code(C::PageUp)], A::PagerPageUp),
    b(Pager, &[k('g'), code(C::Home)], A::PagerTop),
    f(
        Pager,
        &[code(C::Esc), k('?'), k('q')],
        A::PagerClose,
        "close",
    ),
    // Quitting with changes not saved
    f(Confirm, &[k('q'), k('y')], A::QuitAnyway, "quit anyway"),
    // A label key on a span with another label
    f(Relabel, &[k('a')], A::RelabelAdd, "add"),
    f(Relabel, &[k('r')], A::RelabelReplace, "replace"),
    // The list
    b(List, &[k('j'), code(C::Down)], A::ListDown),
    b(List, &[k('k'), code(C::Up)], A::ListUp),
    b(List, &[k('g'), code(C::Home)], A::ListTop),
    b(List, &[k('G'), code(C::End)], A::ListBottom),
    b(List, &[code(C::PageDown), ctrl('d')], A::ListPageDown),
    b(List, &[code(C::PageUp), ctrl('u')], A::ListPageUp),
    f(
        List,
        &[code(C::Enter), k('l'), code(C::Right)],
        A::ListOpen,
        "open",
    ),
    f(List, &[k('/')], A::ListFilter, "filter"),
    b(List, &[code(C::Esc)], A::ListClearFilter),
    b(List, &[k('>')], A::ListWider),
    b(List, &[k('<')], A::ListNarrower),
    // The text: moving
    b(Text, &[k('h'), code(C::Left)], A::Left),
    b(Text, &[k('l'), code(C::Right)], A::Right),
    b(Text, &[k('j'), code(C::Down)], A::Down),
    b(Text, &[k('k'), code(C::Up)], A::Up),
    b(Text, &[k('w')], A::WordNext),
    b(Text, &[k('b')], A::WordPrev),
    b(Text, &[k('E')], A::WordEnd),
    b(Text, &[k(')')], A::SentenceNext),
    b(Text, &[k('(')], A::SentencePrev),
    b(Text, &[k('}')], A::ParagraphNext),
    b(Text, &[k('{')], A::ParagraphPrev),
    b(Text, &[k('0'), code(C::Home)], A::RowStart),
    b(Text, &[k('$'), code(C::End)], A::RowEnd),
    b(
        Text,
        &[code(C::PageDown), ctrl('d'), ctrl('f')],
        A::PageDown,
    ),
    b(Text, &[code(C::PageUp), ctrl('u'), ctrl('b')], A::PageUp),
    b(Text, &[k('g')], A::Top),
    b(Text, &[k('G')], A::Bottom),
    b(Text, &[k('f')], A::FindNext),
    b(Text, &[k('F')], A::FindPrev),
    f(Text, &[k(']')], A::NextAnnotation, "next tag"),
    b(Text, &[k('[')], A::PrevAnnotation),
    f(Text, &[k('/')], A::Search, "search"),
    b(Text, &[k('n')], A::SearchNext),
    b(Text, &[k('N')], A::SearchPrev),
    // The text: annotating
    f(Text, &[k('v')], A::Select, "select"),
    f(Text, &[k('s')], A::SelectSentence, "sentence"),
    b(Text, &[k('p')], A::SelectParagraph),
    b(Text, &[code(C::Esc)], A::Cancel),
    Binding {
        scope: Text,
        keys: Cow::Borrowed(DIGITS),
        action: A::Tag(0),
        shown: Some("1-9"),
        footer: Some("tag"),
    },
    f(Text, &[k('t')], A::PickLabel, "label"),
    f(Text, &[k('e')], A::Edit, "edit"),
    f(Text, &[k('c')], A::Note, "note"),
    f(Text, &[k('d')], A::Delete, "delete"),
    f(Text, &[k('u')], A::Undo, "undo"),
    b(Text, &[ctrl('r')], A::Redo),
    b(Text, &[k('r')], A::Relate),
    b(Text, &[k('>')], A::FollowRelation),
    b(Text, &[k('<')], A::FollowRelationBack),
    b(Text, &[k('D')], A::DocLabel),
    b(Text, &[k('m')], A::MarkDone),
    f(Text, &[k('i')], A::Panel, "panel"),
    f(Text, &[k('*')], A::TagAll, "every place"),
    b(Text, &[k('A')], A::AnnotationList),
    b(Text, &[k('L')], A::InlineLabels),
    // The text: suggestions
    f(Text, &[k('a')], A::SuggestAccept, "accept"),
    b(Text, &[k('x')], A::SuggestReject),
    b(Text, &[k('z')], A::SuggestNext),
    b(Text, &[k('Z')], A::SuggestPrev),
    b(Text, &[k('Y')], A::SuggestAcceptAbove),
    b(Text, &[k('X')], A::SuggestRejectSource),
    b(Text, &[k('=')], A::SuggestRun),
    // Tagging every place
    f(
        Occurrences,
        &[k('j'), code(C::Down)],
        A::OccurrenceDown,
        "next",
    ),
    b(Occurrences, &[k('k'), code(C::Up)], A::OccurrenceUp),
    f(
        Occurrences,
        &[k(' '), k('x')],
        A::OccurrenceToggle,
        "accept/reject",
    ),
    f(Occurrences, &[k('a')], A::OccurrenceAll, "all/none"),
    f(Occurrences, &[code(C::Enter)], A::OccurrenceApply, "tag"),
    f(Occurrences, &[code(C::Tab)], A::OccurrenceScope, "corpus"),
    Binding {
        scope: Occurrences,
        keys: Cow::Borrowed(DIGITS),
        action: A::Tag(0),
        shown: Some("1-9"),
        footer: Some("tag as"),
    },
    f(
        Occurrences,
        &[code(C::Esc), k('q')],
        A::InputCancel,
        "cancel",
    ),
    // The corpus search and the consistency check
    f(Corpus, &[k('j'), code(C::Down)], A::CorpusDown, "next"),
    b(Corpus, &[k('k'), code(C::Up)], A::CorpusUp),
    b(Corpus, &[code(C::PageDown), ctrl('d')], A::CorpusPageDown),
    b(Corpus, &[code(C::PageUp), ctrl('u')], A::CorpusPageUp),
    b(Corpus, &[k('g'), code(C::Home)], A::CorpusTop),
    b(Corpus, &[k('G'), code(C::End)], A::CorpusBottom),
    f(Corpus, &[code(C::Enter)], A::CorpusOpen, "open"),
    Binding {
        scope: Corpus,
        keys: Cow::Borrowed(DIGITS),
        action: A::Tag(0),
        shown: Some("1-9"),
        footer: Some("tag as"),
    },
    f(Corpus, &[k('*')], A::CorpusTagAll, "tag all"),
    f(Corpus, &[k('f')], A::CorpusFix, "fix"),
    f(Corpus, &[k('F')], A::CorpusFixAll, "fix all"),
    f(Corpus, &[k('l')], A::CorpusLabelFilter, "label"),
    f(Corpus, &[k('t')], A::CorpusTaggedFilter, "tagged"),
    f(Corpus, &[k('/')], A::CorpusEdit, "pattern"),
    b(Corpus, &[ctrl('r')], A::CorpusRegex),
    f(Corpus, &[code(C::Esc), k('q')], A::InputCancel, "close"),
    // The annotation panel
    f(Panel, &[k('j'), code(C::Down)], A::PanelDown, "choose"),
    b(Panel, &[k('k'), code(C::Up)], A::PanelUp),
    f(Panel, &[code(C::Enter)], A::PanelFollow, "go to"),
    f(Panel, &[k('d')], A::PanelDelete, "delete"),
    f(Panel, &[code(C::Esc), k('i')], A::PanelClose, "hide"),
    b(Panel, &[k('u')], A::Undo),
    b(Panel, &[ctrl('r')], A::Redo),
    // Anywhere
    f(Global, &[code(C::Tab)], A::FocusNext, "pane"),
    b(Global, &[k('\\')], A::ToggleList),
    b(Global, &[code(C::BackTab)], A::FocusPrev),
    b(Global, &[k('!')], A::Problems),
    b(Global, &[k('%')], A::Stats),
    b(Global, &[k('S')], A::CorpusSearch),
    b(Global, &[k('C')], A::Consistency),
    f(Global, &[k('?')], A::Help, "help"),
    f(Global, &[k('q'), ctrl('c')], A::Quit, "quit"),
];

fn matches(key: &Key, ev: &KeyEvent) -> bool {
    // Shifted characters arrive with SHIFT on some terminals and not others.
    let mods = ev.modifiers - KeyModifiers::SHIFT;
    let want = key.mods - KeyModifiers::SHIFT;
    let code = match (ev.code, ev.modifiers.contains(KeyModifiers::SHIFT)) {
        (KeyCode::Char(c), true) if c.is_ascii_lowercase() => KeyCode::Char(c.to_ascii_uppercase()),
        (c, _) => c,
    };
    key.code == code && want == mods
}

/// A key table: the default one, or one rebound from it.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            bindings: DEFAULT_BINDINGS.to_vec(),
        }
    }
}

impl Keymap {
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// Gives `action` in `scope` the keys `keys` instead of its own; a key
    /// that another action of the scope had is taken from it, so no key
    /// is bound twice. Fails for an action the scope does not have.
    pub fn bind(&mut self, scope: Scope, action: Action, keys: Vec<Key>) -> Result<(), String> {
        let Some(at) = self
            .bindings
            .iter()
            .position(|b| b.scope == scope && b.action == action)
        else {
            return Err(format!("{} has no action {action:?}", scope.title()));
        };
        for (i, b) in self.bindings.iter_mut().enumerate() {
            if i != at && b.scope == scope && b.keys.iter().any(|k| keys.contains(k)) {
                b.keys = Cow::Owned(
                    b.keys
                        .iter()
                        .filter(|k| !keys.contains(k))
                        .copied()
                        .collect(),
                );
                b.shown = None;
            }
        }
        let b = &mut self.bindings[at];
        b.keys = Cow::Owned(keys);
        b.shown = None;
        Ok(())
    }

    /// The action `ev` asks for in `scopes` (most specific first).
    pub fn lookup(&self, scopes: &[Scope], ev: &KeyEvent) -> Option<Action> {
        for &scope in scopes {
            for bind in self.bindings.iter().filter(|b| b.scope == scope) {
                if bind.keys.iter().any(|key| matches(key, ev)) {
                    return Some(match (bind.action, ev.code) {
                        (Action::Tag(_), KeyCode::Char(c)) => {
                            Action::Tag(c.to_digit(10).unwrap_or(0) as u8)
                        }
                        (Action::RelateTo(n), KeyCode::Char(c)) if n > 0 => {
                            Action::RelateTo(c.to_digit(10).unwrap_or(0) as u8)
                        }
                        (a, _) => a,
                    });
                }
            }
        }
        None
    }
}

static ACTIVE: OnceLock<Keymap> = OnceLock::new();

/// The key map every lookup, footer and help uses: the one installed, or
/// the default.
pub fn active() -> &'static Keymap {
    ACTIVE.get_or_init(Keymap::default)
}

/// Makes `k` the active key map; only before the first lookup (at start).
pub fn install(k: Keymap) -> Result<(), String> {
    ACTIVE
        .set(k)
        .map_err(|_| "the key map is already in use".to_string())
}

/// The action `ev` asks for in `scopes` (most specific first), in the
/// active key map.
pub fn lookup(scopes: &[Scope], ev: &KeyEvent) -> Option<Action> {
    active().lookup(scopes, ev)
}

/// How a key is written for people.
pub fn key_name(key: &Key) -> String {
    let base = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        other => format!("{other:?}"),
    };
    if key.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{base}")
    } else {
        base
    }
}

/// The keys of a binding as written in help and the footer.
pub fn keys_text(bind: &Binding) -> String {
    bind.shown
        .map(str::to_string)
        .unwrap_or_else(|| bind.keys.iter().map(key_name).collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn lookups_respect_scope_order() {
        let enter = ev(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(lookup(&[Edit, Text, Global], &enter), Some(Action::Confirm));
        assert_eq!(lookup(&[List, Global], &enter), Some(Action::ListOpen));
        assert_eq!(
            lookup(&[Text, Global], &ev(KeyCode::Char('7'), KeyModifiers::NONE)),
            Some(Action::Tag(7))
        );
        assert_eq!(
            lookup(
                &[Text, Global],
                &ev(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Action::Bottom)
        );
        assert_eq!(
            lookup(
                &[Text, Global],
                &ev(KeyCode::Char('r'), KeyModifiers::CONTROL)
            ),
            Some(Action::Redo)
        );
        assert_eq!(
            lookup(
                &[Text, Global],
                &ev(KeyCode::Char(')'), KeyModifiers::SHIFT)
            ),
            Some(Action::SentenceNext)
        );
        assert_eq!(
            lookup(&[List, Global], &ev(KeyCode::Char('w'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        for s in Scope::ALL {
            let mut seen = std::collections::HashSet::new();
            for b in DEFAULT_BINDINGS.iter().filter(|b| b.scope == s) {
                for key in b.keys.iter() {
                    assert!(
                        seen.insert(format!("{:?}{:?}", key.code, key.mods)),
                        "{s:?}: {}",
                        key_name(key)
                    );
                }
            }
        }
    }

    #[test]
    fn a_rebound_key_moves_in_lookup_and_help_and_is_never_bound_twice() {
        let mut km = Keymap::default();
        // Delete on x: d does nothing, x deletes, and Left loses its own h
        // when delete takes h as well.
        km.bind(Text, Action::Delete, vec![k('x'), k('h')]).unwrap();
        let press = |c| ev(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(km.lookup(&[Text], &press('x')), Some(Action::Delete));
        assert_eq!(km.lookup(&[Text], &press('h')), Some(Action::Delete));
        assert_eq!(km.lookup(&[Text], &press('d')), None);
        let left = km
            .bindings()
            .iter()
            .find(|b| b.scope == Text && b.action == Action::Left)
            .unwrap();
        assert_eq!(keys_text(left), "←");
        let del = km
            .bindings()
            .iter()
            .find(|b| b.scope == Text && b.action == Action::Delete)
            .unwrap();
        assert_eq!(keys_text(del), "x h");
        // The default table is untouched.
        assert_eq!(lookup(&[Text], &press('d')), Some(Action::Delete));
        assert!(km.bind(List, Action::Delete, vec![k('x')]).is_err());
    }
}
