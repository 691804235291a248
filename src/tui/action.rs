//! Everything a key (or a later command palette, macro or config file) can
//! ask gloss to do. Keys map to these in `keymap.rs`; `App::apply` carries
//! them out. A new command joins here and in the key table, nowhere else.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    FocusNext,
    FocusPrev,
    Help,
    Problems,
    /// The corpus at a glance: counts per label, status, source.
    Stats,
    // the article list
    ListDown,
    ListUp,
    ListTop,
    ListBottom,
    ListPageDown,
    ListPageUp,
    ListOpen,
    ListFilter,
    ListClearFilter,
    ListWider,
    ListNarrower,
    /// Hide the list (the text takes the width), or show it again.
    ToggleList,
    // moving in the text
    Left,
    Right,
    Down,
    Up,
    WordNext,
    WordPrev,
    WordEnd,
    SentenceNext,
    SentencePrev,
    ParagraphNext,
    ParagraphPrev,
    RowStart,
    RowEnd,
    PageDown,
    PageUp,
    Top,
    Bottom,
    FindNext,
    FindPrev,
    NextAnnotation,
    PrevAnnotation,
    Search,
    SearchNext,
    SearchPrev,
    // selecting and annotating
    Select,
    SelectSentence,
    SelectParagraph,
    Cancel,
    /// Tag with the label on this key (1 to 9).
    Tag(u8),
    PickLabel,
    Edit,
    SwapEnds,
    Confirm,
    Note,
    Delete,
    Undo,
    Redo,
    // relations, document labels, status
    /// Start a relation from the annotation under the cursor.
    Relate,
    /// Finish it at the annotation under the cursor: with the relation
    /// type on this key (1 to 9), or 0 for the only one that fits.
    RelateTo(u8),
    /// To the annotation that the one under the cursor points to.
    FollowRelation,
    /// To the annotation that points to the one under the cursor.
    FollowRelationBack,
    DocLabel,
    MarkDone,
    /// Offer every other place of the phrase under the cursor to tag.
    TagAll,
    /// The article's annotations as a list.
    AnnotationList,
    /// Show label names at the start of their spans, or not.
    InlineLabels,
    // suggestions
    SuggestAccept,
    SuggestReject,
    SuggestNext,
    SuggestPrev,
    /// Accept every suggestion scoring at least a number asked for.
    SuggestAcceptAbove,
    /// Reject every suggestion from the source of the one under the cursor.
    SuggestRejectSource,
    /// Run the schema's suggestion sources on the open article.
    SuggestRun,
    // the list of occurrences
    OccurrenceDown,
    OccurrenceUp,
    OccurrenceToggle,
    OccurrenceAll,
    OccurrenceApply,
    /// The whole corpus, or this article only.
    OccurrenceScope,
    // the corpus search and the consistency check
    /// Search the whole corpus.
    CorpusSearch,
    /// The consistency check's findings.
    Consistency,
    CorpusDown,
    CorpusUp,
    CorpusPageDown,
    CorpusPageUp,
    CorpusTop,
    CorpusBottom,
    /// Open the article at the chosen place.
    CorpusOpen,
    /// Tag every place shown, through the preview.
    CorpusTagAll,
    /// Give the chosen finding the label its text usually bears.
    CorpusFix,
    /// Fix every finding shown, as one step.
    CorpusFixAll,
    /// Keep the places with the next label on them.
    CorpusLabelFilter,
    /// All, tagged only, untagged only.
    CorpusTaggedFilter,
    /// Back to the pattern.
    CorpusEdit,
    /// Regular expression or literal.
    CorpusRegex,
    // the annotation panel
    /// Show the panel and focus it, or hide it.
    Panel,
    PanelDown,
    PanelUp,
    /// To the other end of the chosen relation.
    PanelFollow,
    /// Delete the chosen relation.
    PanelDelete,
    PanelClose,
    // typing in a prompt (search, filter, note, the picker's name)
    InputSubmit,
    InputCancel,
    InputStart,
    InputEnd,
    InputLeft,
    InputRight,
    InputBackspace,
    InputDelete,
    InputClearToStart,
    // the label picker
    PickNext,
    PickPrev,
    // the help and problems views
    PagerDown,
    PagerUp,
    PagerPageDown,
    PagerPageUp,
    PagerTop,
    PagerClose,
    // quitting with changes not saved
    QuitAnyway,
    // a label key on a span that has another label
    RelabelAdd,
    RelabelReplace,
}

impl Action {
    /// What the help overlay says it does.
    pub fn describe(self) -> &'static str {
        use Action::*;
        match self {
            Quit => "quit (everything is already saved)",
            FocusNext => "switch focus to the other pane",
            FocusPrev => "switch focus back",
            Help => "show or hide this help",
            Problems => "list this article's problems and orphaned annotations",
            Stats => {
                "the corpus at a glance: annotations per label and article, status, suggestion sources"
            }
            ListDown => "next article",
            ListUp => "previous article",
            ListTop => "first article",
            ListBottom => "last article",
            ListPageDown => "a page of articles down",
            ListPageUp => "a page of articles up",
            ListOpen => "open the article and focus its text",
            ListClearFilter => "clear the filter",
            ListWider => "widen the list",
            ListNarrower => "narrow the list",
            ToggleList => "hide the list (the text takes the width), or show it",
            ListFilter => {
                "filter articles by title (is:done, is:new, is:in-progress, is:skipped by status)"
            }
            Left => "previous grapheme",
            Right => "next grapheme",
            Down => "next screen line",
            Up => "previous screen line",
            WordNext => "next word",
            WordPrev => "previous word",
            WordEnd => "end of the word (of the next one at a word's end): v w E selects two words",
            SentenceNext => "next sentence",
            SentencePrev => "previous sentence",
            ParagraphNext => "next paragraph",
            ParagraphPrev => "previous paragraph",
            RowStart => "start of the screen line",
            RowEnd => "end of the screen line",
            PageDown => "a page down",
            PageUp => "a page up",
            Top => "start of the article",
            Bottom => "end of the article",
            FindNext => "to the next occurrence of the character typed next",
            FindPrev => "to the previous occurrence of the character typed next",
            NextAnnotation => "next annotation",
            PrevAnnotation => "previous annotation",
            Search => "search the article",
            SearchNext => "next match",
            SearchPrev => "previous match",
            Select => "start or stop a selection (motions extend it)",
            SelectSentence => "select the sentence under the cursor",
            SelectParagraph => "select the paragraph under the cursor",
            Cancel => "cancel the selection or the edit",
            Tag(_) => "tag the selection, the / match at the cursor, or the name there",
            PickLabel => "pick a label to tag with (or create one)",
            Edit => "edit the annotation under the cursor: move its ends",
            SwapEnds => "while editing: move the other end",
            Confirm => "while editing: keep the new bounds",
            Note => "add or edit the note on the annotation under the cursor",
            Delete => "delete the annotation under the cursor (the innermost)",
            Undo => "undo",
            Redo => "redo",
            Relate => "relate the annotation under the cursor to another (move there, then Enter)",
            RelateTo(0) => "while relating: link to the annotation under the cursor",
            RelateTo(_) => "while relating: link with the relation type on that key",
            FollowRelation => "to the annotation this one relates to",
            FollowRelationBack => "to the annotation that relates to this one",
            DocLabel => "label the whole article (a choice of the schema's document groups)",
            MarkDone => "mark the article done (again: back to in progress)",
            InlineLabels => {
                "show label names at the start of their spans (as brat does), or hide them"
            }
            SuggestAccept => "accept the suggestion under the cursor: it becomes an annotation",
            SuggestReject => "reject the suggestion under the cursor: it is never proposed again",
            SuggestNext => "next suggestion",
            SuggestPrev => "previous suggestion",
            SuggestAcceptAbove => "accept every suggestion here scoring at least a number you give",
            SuggestRun => "run the schema's suggestion sources on this article (in the background)",
            SuggestRejectSource => {
                "reject every suggestion here from the source of the one under the cursor"
            }
            AnnotationList => {
                "list this article's annotations (filter, counts per label, Enter goes there)"
            }
            TagAll => {
                "every other place of the selection, annotation, match or name: pick, then tag"
            }
            OccurrenceDown => "next place",
            OccurrenceUp => "previous place",
            OccurrenceToggle => "accept or reject this place",
            OccurrenceAll => "accept all, or none",
            OccurrenceApply => "tag the accepted places with the annotation's label",
            OccurrenceScope => "the places in every article too, or this article only",
            CorpusSearch => {
                "search the whole corpus: matches in context as they are found, to open or tag"
            }
            Consistency => {
                "the consistency check: text tagged with another label than elsewhere, or left untagged"
            }
            CorpusDown => "next place",
            CorpusUp => "previous place",
            CorpusPageDown => "a page down",
            CorpusPageUp => "a page up",
            CorpusTop => "the first place",
            CorpusBottom => "the last place",
            CorpusOpen => "open the article at the place",
            CorpusTagAll => "tag every place shown: pick them in a preview, then a label's digit",
            CorpusFix => "fix the finding: give the place the label its text usually bears",
            CorpusFixAll => "fix every finding shown, as one step (u undoes them all)",
            CorpusLabelFilter => "keep the places with a label on them: the next label, then all",
            CorpusTaggedFilter => "keep all places, the tagged ones, or the untagged ones",
            CorpusEdit => "edit the pattern",
            CorpusRegex => "regular expression or literal text (searches again)",
            Panel => {
                "show the annotation under the cursor with its relations, and focus it (again: hide)"
            }
            PanelDown => "next relation",
            PanelUp => "previous relation",
            PanelFollow => "go to the other end of the chosen relation",
            PanelDelete => "delete the chosen relation",
            PanelClose => "hide the panel",
            InputSubmit => "done: search, filter, save the note, apply the label",
            InputCancel => "cancel",
            InputStart => "to the start of the line",
            InputEnd => "to the end of the line",
            InputLeft => "one character left",
            InputRight => "one character right",
            InputBackspace => "delete the character before the caret",
            InputDelete => "delete the character under the caret",
            InputClearToStart => "delete to the start of the line",
            PickNext => "next label",
            PickPrev => "previous label",
            PagerDown => "scroll down",
            PagerUp => "scroll up",
            PagerPageDown => "scroll a page down",
            PagerPageUp => "scroll a page up",
            PagerTop => "back to the top",
            PagerClose => "close (any other key too)",
            QuitAnyway => "quit without the unsaved changes (any other key stays)",
            RelabelAdd => "add the new label as a second annotation on the span",
            RelabelReplace => "replace the span's label with the new one (any other key leaves it)",
        }
    }
}
