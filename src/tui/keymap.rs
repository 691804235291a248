//! The default key map: the one table from keys to actions. The footer and
//! the help overlay are generated from it, so they cannot drift apart.

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
    /// Typing in a prompt: search, filter, note, a name.
    Prompt,
    /// The label picker (before `Prompt`, whose keys edit its name).
    Picker,
    /// The help and problems views.
    Pager,
    /// `q` with changes that could not be saved.
    Confirm,
}

impl Scope {
    /// Every scope, in the order the help lists them.
    pub const ALL: [Scope; 10] = [
        Scope::Global,
        Scope::List,
        Scope::Text,
        Scope::Edit,
        Scope::Relate,
        Scope::Panel,
        Scope::Prompt,
        Scope::Picker,
        Scope::Pager,
        Scope::Confirm,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Anywhere",
            Scope::List => "Article list",
            Scope::Text => "Article text",
            Scope::Edit => "Editing an annotation",
            Scope::Relate => "Relating two annotations",
            Scope::Panel => "The annotation panel (i)",
            Scope::Prompt => "Typing in a prompt",
            Scope::Picker => "The label picker",
            Scope::Pager => "Help and problems",
            Scope::Confirm => "Quitting with changes not saved",
        }
    }
}

#[derive(Debug, Clone, Copy)]
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

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [Key],
    pub action: Action,
    /// How the keys are written in help, when not simply listed.
    pub shown: Option<&'static str>,
    /// A short word for the footer, for the bindings worth a place there.
    pub footer: Option<&'static str>,
}

const fn b(scope: Scope, keys: &'static [Key], action: Action) -> Binding {
    Binding {
        scope,
        keys,
        action,
        shown: None,
        footer: None,
    }
}

const fn f(scope: Scope, keys: &'static [Key], action: Action, footer: &'static str) -> Binding {
    Binding {
        scope,
        keys,
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

pub static BINDINGS: &[Binding] = &[
    // Editing an annotation's bounds
    f(Edit, &[code(C::Enter)], A::Confirm, "keep"),
    f(Edit, &[k('o')], A::SwapEnds, "other end"),
    f(Edit, &[code(C::Esc)], A::Cancel, "cancel"),
    // Relating two annotations
    f(Relate, &[code(C::Enter)], A::RelateTo(0), "link"),
    Binding {
        scope: Relate,
        keys: DIGITS,
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
    // The text: moving
    b(Text, &[k('h'), code(C::Left)], A::Left),
    b(Text, &[k('l'), code(C::Right)], A::Right),
    b(Text, &[k('j'), code(C::Down)], A::Down),
    b(Text, &[k('k'), code(C::Up)], A::Up),
    b(Text, &[k('w')], A::WordNext),
    b(Text, &[k('b')], A::WordPrev),
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
        keys: DIGITS,
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
    b(Global, &[code(C::BackTab)], A::FocusPrev),
    b(Global, &[k('!')], A::Problems),
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

/// The action `ev` asks for in `scopes` (most specific first).
pub fn lookup(scopes: &[Scope], ev: &KeyEvent) -> Option<Action> {
    for &scope in scopes {
        for bind in BINDINGS.iter().filter(|b| b.scope == scope) {
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
            for b in BINDINGS.iter().filter(|b| b.scope == s) {
                for key in b.keys {
                    assert!(
                        seen.insert(format!("{:?}{:?}", key.code, key.mods)),
                        "{s:?}: {}",
                        key_name(key)
                    );
                }
            }
        }
    }
}
