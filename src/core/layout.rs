//! Soft wrapping of the text into screen rows, computed lazily one block at
//! a time and cached for one width, so that a frame costs what the visible
//! screen costs wherever it is in the article. A block is a line, or a piece
//! of at most `MAX_BLOCK` bytes of a long one (see `Text`), so even a single
//! 5 MB line is laid out a screenful at a time.
//!
//! A row is a byte range of one block. Rows of a block partition it; the
//! cursor may also sit on a line's terminator, which belongs to the line's
//! last row, one cell past its content.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use unicode_linebreak::linebreaks;
use unicode_segmentation::UnicodeSegmentation;

use super::display::{Glyph, glyph, is_hanging_space, width_at};
use super::text::Text;

/// A row on screen, named by the block it belongs to and its index there.
/// Ordered as the rows are in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowPos {
    pub block: usize,
    pub row: usize,
}

/// One grapheme as placed on a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell<'a> {
    pub offset: usize,
    pub len: usize,
    pub col: usize,
    pub glyph: Glyph<'a>,
}

impl Cell<'_> {
    pub fn width(&self) -> usize {
        self.glyph.width()
    }
}

/// Cells drawn before some graphemes that are not text: label names shown
/// at the start of their spans (`inlays`), by byte offset, in columns.
pub type Inlays = std::collections::BTreeMap<usize, usize>;

/// Row starts (absolute byte offsets) of the line at `range`, wrapped at
/// `width` columns: greedy, breaking at Unicode line break opportunities,
/// splitting between grapheme clusters only when a word is wider than a row.
pub fn wrap_line(text: &str, range: Range<usize>, width: usize) -> Vec<usize> {
    wrap_line_with(text, range, width, &Inlays::new())
}

/// As `wrap_line`, with `inlays` taking room before their graphemes (an
/// inlay stays on the row of the grapheme after it).
pub fn wrap_line_with(
    text: &str,
    range: Range<usize>,
    width: usize,
    inlays: &Inlays,
) -> Vec<usize> {
    let width = width.max(1);
    let inlay = |rel: usize| inlays.get(&(range.start + rel)).copied().unwrap_or(0);
    let measure = |s: &str, from: usize, mut col: usize| {
        let start = col;
        for (i, g) in s.grapheme_indices(true) {
            col += inlay(from + i) + width_at(g, col);
        }
        col - start
    };
    let line = &text[range.clone()];
    let mut starts = vec![range.start];
    let mut breaks = linebreaks(line).map(|(i, _)| i).peekable();
    let mut row_start = 0usize; // relative to the line
    let mut col = 0usize;
    let mut last_break: Option<usize> = None;
    for (rel, g) in line.grapheme_indices(true) {
        while breaks.peek().is_some_and(|&b| b < rel) {
            breaks.next();
        }
        if rel > row_start && breaks.peek() == Some(&rel) {
            last_break = Some(rel);
        }
        let w = inlay(rel) + width_at(g, col);
        if col + w > width && rel > row_start && !is_hanging_space(g) {
            let brk = last_break.filter(|&b| b > row_start).unwrap_or(rel);
            starts.push(range.start + brk);
            row_start = brk;
            last_break = None;
            col = measure(&line[brk..rel], brk, 0);
            // What came back with the break (a wide tab) can still leave no room.
            if col + inlay(rel) + width_at(g, col) > width && rel > brk {
                starts.push(range.start + rel);
                row_start = rel;
                col = 0;
            }
        }
        col += inlay(rel) + width_at(g, col);
    }
    starts
}

/// The graphemes of `range` (part of one line) with their columns.
pub fn cells(text: &Text, range: Range<usize>) -> Vec<Cell<'_>> {
    cells_with(text, range, &Inlays::new())
}

/// As `cells`, each grapheme after the room its inlay takes.
pub fn cells_with<'a>(text: &'a Text, range: Range<usize>, inlays: &Inlays) -> Vec<Cell<'a>> {
    let s = text.slice(range.clone());
    let mut col = 0;
    let mut out = Vec::new();
    for (rel, g) in s.grapheme_indices(true) {
        col += inlays.get(&(range.start + rel)).copied().unwrap_or(0);
        let gl = glyph(g, col);
        let w = gl.width();
        out.push(Cell {
            offset: range.start + rel,
            len: g.len(),
            col,
            glyph: gl,
        });
        col += w;
    }
    out
}

/// Soft-wrap state for one article at one width.
#[derive(Debug)]
pub struct Layout {
    width: usize,
    rows: RefCell<HashMap<usize, Rc<[usize]>>>,
    inlays: Inlays,
}

impl Layout {
    pub fn new(width: usize) -> Self {
        Layout {
            width: width.max(1),
            rows: RefCell::new(HashMap::new()),
            inlays: Inlays::new(),
        }
    }

    /// Room before some graphemes for what is not text (label names);
    /// rows are laid out again where it changed.
    pub fn set_inlays(&mut self, inlays: Inlays) {
        if inlays != self.inlays {
            self.inlays = inlays;
            self.rows.borrow_mut().clear();
        }
    }

    pub fn inlays(&self) -> &Inlays {
        &self.inlays
    }

    /// The cells of `range`, with this layout's inlays.
    pub fn cells<'a>(&self, text: &'a Text, range: Range<usize>) -> Vec<Cell<'a>> {
        cells_with(text, range, &self.inlays)
    }

    pub fn width(&self) -> usize {
        self.width
    }

    /// Row starts of block `block`, laid out on first use.
    pub fn block_rows(&self, text: &Text, block: usize) -> Rc<[usize]> {
        if let Some(r) = self.rows.borrow().get(&block) {
            return r.clone();
        }
        let r: Rc<[usize]> = wrap_line_with(
            text.as_str(),
            text.block_range(block),
            self.width,
            &self.inlays,
        )
        .into();
        self.rows.borrow_mut().insert(block, r.clone());
        r
    }

    pub fn row_pos(&self, text: &Text, offset: usize) -> RowPos {
        let block = text.block_of(offset.min(text.len()));
        let rows = self.block_rows(text, block);
        let row = rows.partition_point(|&s| s <= offset) - 1;
        RowPos { block, row }
    }

    /// Content of a row (never its line's terminator).
    pub fn row_range(&self, text: &Text, p: RowPos) -> Range<usize> {
        let rows = self.block_rows(text, p.block);
        let end = rows
            .get(p.row + 1)
            .copied()
            .unwrap_or(text.block_range(p.block).end);
        rows[p.row]..end
    }

    pub fn row_start(&self, text: &Text, p: RowPos) -> usize {
        self.block_rows(text, p.block)[p.row]
    }

    pub fn is_last_row_of_block(&self, text: &Text, p: RowPos) -> bool {
        p.row + 1 == self.block_rows(text, p.block).len()
    }

    /// Whether the cursor may sit just past this row's content: on its
    /// line's terminator, or at the end of a line that has none.
    pub fn ends_line(&self, text: &Text, p: RowPos) -> bool {
        self.is_last_row_of_block(text, p) && text.block_ends_line(p.block)
    }

    pub fn next_row(&self, text: &Text, p: RowPos) -> Option<RowPos> {
        if !self.is_last_row_of_block(text, p) {
            Some(RowPos {
                block: p.block,
                row: p.row + 1,
            })
        } else if p.block + 1 < text.block_count() {
            Some(RowPos {
                block: p.block + 1,
                row: 0,
            })
        } else {
            None
        }
    }

    pub fn prev_row(&self, text: &Text, p: RowPos) -> Option<RowPos> {
        if p.row > 0 {
            Some(RowPos {
                block: p.block,
                row: p.row - 1,
            })
        } else if p.block > 0 {
            let n = self.block_rows(text, p.block - 1).len();
            Some(RowPos {
                block: p.block - 1,
                row: n - 1,
            })
        } else {
            None
        }
    }

    /// Moves `n` rows down (or up when negative), stopping at the ends.
    pub fn step(&self, text: &Text, mut p: RowPos, n: isize) -> RowPos {
        for _ in 0..n.unsigned_abs() {
            let next = if n > 0 {
                self.next_row(text, p)
            } else {
                self.prev_row(text, p)
            };
            match next {
                Some(q) => p = q,
                None => break,
            }
        }
        p
    }

    /// Row and column where the cursor at `offset` is drawn.
    pub fn cell_of(&self, text: &Text, offset: usize) -> (RowPos, usize) {
        let p = self.row_pos(text, offset);
        let range = self.row_range(text, p);
        let mut col = 0;
        for c in self.cells(text, range) {
            if c.offset >= offset {
                // After its inlay, if it has one.
                if c.offset == offset {
                    col = c.col;
                }
                break;
            }
            col = c.col + c.width();
        }
        (p, col.min(self.width - 1))
    }

    /// The cursor position for column `col` of row `p`: the grapheme that
    /// covers it, or the row's last position when `col` is past its end.
    pub fn offset_at(&self, text: &Text, p: RowPos, col: usize) -> usize {
        let range = self.row_range(text, p);
        let cs = self.cells(text, range.clone());
        for c in &cs {
            if col < c.col + c.width() {
                return c.offset;
            }
        }
        let end = text.block_range(p.block).end;
        let past_end =
            text.block_has_terminator(p.block) || (cs.is_empty() && text.block_ends_line(p.block));
        if self.is_last_row_of_block(text, p) && past_end {
            end
        } else {
            cs.last().map_or(range.start, |c| c.offset)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(s: &str, w: usize) -> Vec<String> {
        let t = Text::new(s.to_string());
        let lay = Layout::new(w);
        let mut out = vec![];
        let mut p = Some(RowPos { block: 0, row: 0 });
        while let Some(q) = p {
            out.push(t.slice(lay.row_range(&t, q)).to_string());
            p = lay.next_row(&t, q);
        }
        out
    }

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(rows("the quick brown fox", 10), ["the quick ", "brown fox"]);
        assert_eq!(rows("abcdefghijkl", 5), ["abcde", "fghij", "kl"]);
        assert_eq!(rows("a\n\nb", 5), ["a", "", "b"]);
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(rows("漢字漢字漢", 4), ["漢字", "漢字", "漢"]);
        assert_eq!(rows("ab漢", 3), ["ab", "漢"]);
    }

    #[test]
    fn tabs_expand_to_stops() {
        let t = Text::new("a\tb".into());
        let cs = cells(&t, 0..3);
        assert_eq!(cs[1].width(), 7);
        assert_eq!(cs[2].col, 8);
    }

    #[test]
    fn a_huge_line_is_laid_out_in_blocks_and_maps_back() {
        let text = Text::new(format!("{}\nafter", "lorem ipsum dolor ".repeat(2500)));
        assert!(text.block_count() > 2);
        let lay = Layout::new(37);
        // Walk every row from the top: contiguous, and each position maps back.
        let mut p = Some(RowPos { block: 0, row: 0 });
        let mut expect_start = 0;
        let mut rows = 0;
        while let Some(q) = p {
            let r = lay.row_range(&text, q);
            assert_eq!(r.start, expect_start, "rows are contiguous at {q:?}");
            for c in cells(&text, r.clone()) {
                if c.col < 37 {
                    assert_eq!(lay.offset_at(&text, q, c.col), c.offset);
                    assert_eq!(lay.cell_of(&text, c.offset), (q, c.col));
                }
            }
            expect_start = if lay.ends_line(&text, q) && text.block_has_terminator(q.block) {
                r.end + 1
            } else {
                r.end
            };
            rows += 1;
            p = lay.next_row(&text, q);
        }
        assert_eq!(expect_start, text.len());
        // Only what was visited is laid out: jumping to the end lays out one block.
        let fresh = Layout::new(37);
        let end = fresh.row_pos(&text, text.last_cursor_pos());
        assert_eq!(fresh.rows.borrow().len(), 1);
        assert_eq!(
            fresh
                .prev_row(
                    &text,
                    RowPos {
                        block: end.block,
                        row: 0
                    }
                )
                .unwrap()
                .block,
            end.block - 1
        );
        assert!(rows > 1200);
    }

    #[test]
    fn inlays_take_room_and_the_cursor_skips_them() {
        let t = Text::new("met Mike Pompeo today".into());
        let mut lay = Layout::new(16);
        let mut inlays = Inlays::new();
        inlays.insert(4, 7); // "PERSON›" before "Mike"
        lay.set_inlays(inlays);
        let p = RowPos { block: 0, row: 0 };
        // "met ", 7 cells, "Mike ": 16; "Pompeo" goes to the next row.
        assert_eq!(t.slice(lay.row_range(&t, p)), "met Mike ");
        let cs = lay.cells(&t, lay.row_range(&t, p));
        assert_eq!(cs[4].col, 4 + 7, "Mike drawn after its inlay");
        assert_eq!(lay.cell_of(&t, 4), (p, 11));
        // A click on the inlay lands on what it labels.
        assert_eq!(lay.offset_at(&t, p, 6), 4);
        // Unchanged inlays keep the cache; changed ones lay out again.
        lay.set_inlays(Inlays::new());
        assert_eq!(t.slice(lay.row_range(&t, p)), "met Mike Pompeo ");
        assert_eq!(lay.cell_of(&t, 4), (p, 4));
    }

    #[test]
    fn cursor_cells_map_back() {
        let t = Text::new("hello world\r\nnext".into());
        let lay = Layout::new(6);
        let (p, col) = lay.cell_of(&t, 6);
        assert_eq!((p.block, p.row, col), (0, 1, 0));
        assert_eq!(lay.offset_at(&t, p, col), 6);
        // the terminator sits one past the row's content
        let (p, col) = lay.cell_of(&t, 11);
        assert_eq!((p.row, col), (1, 5));
        assert_eq!(lay.offset_at(&t, p, 5), 11);
        assert_eq!(lay.offset_at(&t, p, 50), 11);
    }
}
