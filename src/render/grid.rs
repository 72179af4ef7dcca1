//! A streaming writer for the long listings (`tasks`, `due`): the same
//! box-drawn table comfy-table draws with `UTF8_FULL_CONDENSED` and no
//! content arrangement — byte for byte, as a test checks against comfy-table
//! itself — written straight to the output without building a cell object
//! per value. At national size these tables run to hundreds of thousands of
//! rows; comfy-table's per-cell allocations made them cost many times the
//! report itself.

use rustc_hash::FxHashMap as FastMap;
use std::borrow::Cow;
use std::hash::Hash;
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A cell as a table draws it: its text, each line's start, end and
/// display width in that text, and its widest line's width. It points into
/// a `Measured` value or an `Arena`, so pushing one onto a table copies a
/// few words, whatever the text.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cell<'a> {
    text: &'a [u8],
    lines: &'a [(u32, u32, u32)],
    width: u32,
    /// Text put before the first line (`Cell::headed`).
    head: Option<&'a Head>,
}

/// A few words put before a cell's first line: a cell that differs from
/// many others only by them — a date before a status, say — is drawn
/// from two values measured once each rather than one value made per
/// combination.
#[derive(Clone, Debug, Default)]
pub struct Head {
    /// The words, then `BLOCK` bytes of room.
    text: String,
    len: u32,
    width: u32,
}

impl Head {
    pub fn new(text: &str) -> Head {
        Head {
            text: format!("{text}{SLACK}"),
            len: narrow(text.len()),
            width: narrow(width(text)),
        }
    }

    pub fn width(&self) -> u32 {
        self.width
    }
}

impl<'a> Cell<'a> {
    /// `rest` with `head` before its first line. The cell is what a
    /// value of `head` followed by `rest`'s text would be: wrapped the
    /// same, since `head` does not change where `rest`'s lines break.
    pub fn headed(head: &'a Head, rest: Cell<'a>) -> Cell<'a> {
        let first = rest.lines.first().map_or(0, |&(_, _, w)| w);
        Cell {
            width: rest.width.max(head.width + first),
            head: Some(head),
            ..rest
        }
    }
}

impl Cell<'_> {
    /// Where its lines lie in its text, from its first line's start to
    /// its last line's end: its lines and the newlines between them.
    fn span(&self) -> std::ops::Range<usize> {
        match (self.lines.first(), self.lines.last()) {
            (Some(&(start, _, _)), Some(&(_, end, _))) => start as usize..end as usize,
            _ => 0..0,
        }
    }

    /// How many bytes its `span` holds.
    fn bytes(&self) -> usize {
        self.span().len()
    }

    /// The widest line's width.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// How many lines it has.
    pub fn height(&self) -> usize {
        self.lines.len()
    }
}

/// A cell's text measured once: the values a listing repeats on many rows
/// (titles, agencies, periods, states) are wrapped and measured before the
/// drawing starts, so a row costs copying bytes.
#[derive(Clone, Debug, Default)]
pub struct Measured {
    text: String,
    /// Each line's start and end in `text` and its display width.
    lines: Vec<(u32, u32, u32)>,
    width: u32,
}

impl Measured {
    pub fn new(mut text: String) -> Measured {
        let lines: Vec<(u32, u32, u32)> = measure(&text).collect();
        let width = lines.iter().map(|&(_, _, w)| w).max().unwrap_or(0);
        text.push_str(SLACK);
        Measured { text, lines, width }
    }

    /// The widest line's width.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// An empty cell.
    pub fn empty() -> &'static Measured {
        static EMPTY: Measured = Measured {
            text: String::new(),
            lines: Vec::new(),
            width: 0,
        };
        &EMPTY
    }

    /// The value as a cell to draw.
    pub fn cell(&self) -> Cell<'_> {
        Cell {
            text: self.text.as_bytes(),
            lines: &self.lines,
            width: self.width,
            head: None,
        }
    }
}

/// Each line of `text` as (start, end, display width).
fn measure(text: &str) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
    let mut start = 0usize;
    text.split('\n').map(move |line| {
        let at = start;
        start += line.len() + 1;
        (narrow(at), narrow(at + line.len()), narrow(width(line)))
    })
}

/// Offsets and widths within one table block fit in 32 bits: a block is
/// a few thousand rows of short cells.
fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Many measured cells in a few flat lists — the ids and titles of a
/// national plan's tasks, by task. A row finds its cell's lines and text
/// in two or three memory reads, where a `Measured` per value (and its
/// two allocations) costs five: at a million rows, reading memory is most
/// of the drawing.
#[derive(Default)]
pub struct Arena {
    /// Cells `k × PART ..` in part `k`, each made on its own core.
    parts: Vec<Part>,
}

const PART: usize = 4096;

#[derive(Default)]
struct Part {
    text: String,
    /// Every line: its start and end in `text`, its display width.
    lines: Vec<(u32, u32, u32)>,
    /// Each cell's first line (a cell ends where the next begins) and its
    /// widest line's width, side by side: a row reads both at once.
    cells: Vec<(u32, u32)>,
}

impl Arena {
    /// Cells `0..n`, made by `cell` on all cores (`None` is an empty cell,
    /// for values no row will show).
    pub fn build<'t>(n: usize, cell: impl Fn(usize) -> Option<Cow<'t, str>> + Sync) -> Arena {
        use rayon::prelude::*;
        let parts = (0..n.div_ceil(PART))
            .into_par_iter()
            .map(|k| {
                // Room for cells of a few dozen bytes and a line each, as
                // most task ids and titles are: grown from nothing, a part
                // is copied a dozen times over.
                let cells = k * PART..n.min((k + 1) * PART);
                let mut part = Part {
                    text: String::with_capacity(cells.len() * 32),
                    lines: Vec::with_capacity(cells.len()),
                    cells: Vec::with_capacity(cells.len()),
                };
                for i in cells {
                    let first = narrow(part.lines.len());
                    let mut widest = 0;
                    if let Some(cell) = cell(i) {
                        let at = narrow(part.text.len());
                        part.text.push_str(&cell);
                        part.lines.extend(measure(&cell).map(|(s, e, w)| {
                            widest = widest.max(w);
                            (s + at, e + at, w)
                        }));
                    }
                    part.cells.push((first, widest));
                }
                part.text.push_str(SLACK);
                part
            })
            .collect();
        Arena { parts }
    }

    /// How many cells: one past the last.
    pub fn count(&self) -> usize {
        self.parts.iter().map(|p| p.cells.len()).sum()
    }

    /// The width of cell `i` (0 past the last): a quick read, for reading
    /// many cells' places ahead of drawing them.
    pub fn width(&self, i: usize) -> u32 {
        self.parts
            .get(i / PART)
            .and_then(|p| p.cells.get(i % PART))
            .map_or(0, |&(_, w)| w)
    }

    /// The first and last byte of cell `i`'s first line (0 past the
    /// last): a read that brings its place and its text into the cache,
    /// for reading many cells ahead of drawing them.
    pub fn touch(&self, i: usize) -> u32 {
        let cell = self.cell(i);
        cell.lines.first().map_or(0, |&(start, end, _)| {
            let byte = |at: u32| u32::from(cell.text.get(at as usize).copied().unwrap_or(0));
            byte(start) + byte(end.saturating_sub(1))
        })
    }

    /// Cell `i`'s text, its lines apart by newlines (empty past the last).
    pub fn text(&self, i: usize) -> &str {
        let text = self.parts.get(i / PART).map_or("", |p| p.text.as_str());
        text.get(self.cell(i).span()).unwrap_or_default()
    }

    /// Cell `i`, to draw (an empty cell, of no lines, past the last).
    pub fn cell(&self, i: usize) -> Cell<'_> {
        let (part, i) = (self.parts.get(i / PART), i % PART);
        let cell = part.and_then(|p| Some((p, *p.cells.get(i)?)));
        cell.map_or_else(Cell::default, |(p, (first, width))| {
            let end = p
                .cells
                .get(i + 1)
                .map_or(p.lines.len(), |&(f, _)| f as usize);
            Cell {
                text: p.text.as_bytes(),
                lines: p.lines.get(first as usize..end).unwrap_or(&[]),
                width,
                head: None,
            }
        })
    }
}

/// The cells of one column padded to one width, for a table whose rows
/// are put together piece by piece (`Pieces`): each line of each cell is
/// its text with spaces up to the width — before it, in a right-aligned
/// column — then what follows the column on a table's line (a space and a
/// separator, or the right border). A row's line then takes one copy per
/// such cell, and the few thousand deadlines, periods and states a
/// national list repeats are padded once for each width they are drawn at.
#[derive(Default)]
pub struct Padded {
    /// The lines, then `WIDE` bytes of room.
    text: Vec<u8>,
    /// Each line's start and length in `text`, cell after cell, then the
    /// blank line: spaces only.
    lines: Vec<(u32, u32)>,
    /// Each cell's first line and how many it has.
    cells: Vec<(u32, u32)>,
}

impl Padded {
    /// `cells` padded to `width`, on the right of the column when `right`,
    /// in the table's last column when `last`.
    pub fn new<'c>(
        cells: impl IntoIterator<Item = Cell<'c>>,
        width: u32,
        right: bool,
        last: bool,
    ) -> Padded {
        let after: &[u8] = if last { " │" } else { " ┆ " }.as_bytes();
        let width = width as usize;
        let mut p = Padded::default();
        let line = |p: &mut Padded, head: &[u8], text: &[u8], w: usize| {
            let start = p.text.len();
            let pad = width.saturating_sub(w);
            if right {
                spaces(&mut p.text, pad);
            }
            p.text.extend_from_slice(head);
            p.text.extend_from_slice(text);
            if !right {
                spaces(&mut p.text, pad);
            }
            p.text.extend_from_slice(after);
            p.lines.push((narrow(start), narrow(p.text.len() - start)));
        };
        for cell in cells {
            let first = narrow(p.lines.len());
            for (k, &(start, end, w)) in cell.lines.iter().enumerate() {
                let head = cell.head.filter(|_| k == 0);
                let text = cell.text.get(start as usize..end as usize);
                line(
                    &mut p,
                    head.map_or(&[][..], |h| {
                        h.text.as_bytes().get(..h.len as usize).unwrap_or_default()
                    }),
                    text.unwrap_or_default(),
                    (w + head.map_or(0, |h| h.width)) as usize,
                );
            }
            p.cells.push((first, narrow(cell.lines.len())));
        }
        line(&mut p, &[], &[], 0);
        p.text.extend_from_slice(SLACK.as_bytes());
        p
    }

    /// How many lines cell `i` has.
    #[inline(always)]
    pub fn height(&self, i: usize) -> usize {
        self.cells.get(i).map_or(0, |&(_, n)| n as usize)
    }

    /// The blank line: a cell's line where it has none.
    pub fn blank(&self) -> Piece<'_> {
        self.line(usize::MAX, 0)
    }

    /// Line `k` of cell `i` — the blank line past its last, or for a cell
    /// it does not have — as a piece of a row's line.
    #[inline(always)]
    pub fn line(&self, i: usize, k: usize) -> Piece<'_> {
        let line = match self.cells.get(i) {
            Some(&(first, n)) if k < n as usize => first as usize + k,
            _ => self.lines.len().saturating_sub(1),
        };
        let (start, len) = self.lines.get(line).copied().unwrap_or_default();
        Piece {
            from: self.text.get(start as usize..).unwrap_or_default(),
            len: len as usize,
        }
    }
}

/// A column's cells padded once for each width a table draws them at, on
/// first use, by whichever core needs them first.
pub struct Shelf {
    /// By width, up to the widest the column can be.
    by_width: Vec<std::sync::OnceLock<Padded>>,
    right: bool,
    last: bool,
}

impl Shelf {
    /// For a column whose widest cell is `widest` wide: a table draws it
    /// that wide, or as wide as its heading, up to `HEADING` more.
    pub fn new(widest: u32, right: bool, last: bool) -> Shelf {
        const HEADING: u32 = 64;
        Shelf {
            by_width: (0..=widest + HEADING)
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            right,
            last,
        }
    }

    /// The cells `cells` gives padded to `width` (`None` past the widest).
    pub fn get<'c, I: IntoIterator<Item = Cell<'c>>>(
        &self,
        width: u32,
        cells: impl FnOnce() -> I,
    ) -> Option<&Padded> {
        let slot = self.by_width.get(width as usize)?;
        Some(slot.get_or_init(|| Padded::new(cells(), width, self.right, self.last)))
    }
}

/// A left-aligned column whose cells are copied as they are, each line
/// followed by its share of the padding: the spaces up to the column's
/// width, and what follows the column on a table's line. For cells too
/// many to pad for every width (the titles of a national plan's tasks).
pub struct Pad {
    /// `width` spaces, what follows the column, then `WIDE` bytes of room.
    text: Vec<u8>,
    width: usize,
}

impl Pad {
    pub fn new(width: u32, last: bool) -> Pad {
        let mut text = Vec::new();
        spaces(&mut text, width as usize);
        text.extend_from_slice(if last { " │" } else { " ┆ " }.as_bytes());
        text.extend_from_slice(SLACK.as_bytes());
        Pad {
            text,
            width: width as usize,
        }
    }

    /// Line `k` of `cell`, after its head on the first line, and the
    /// padding after it, as three pieces of a row's line.
    #[inline(always)]
    pub fn line_headed<'c>(&'c self, cell: &Cell<'c>, k: usize) -> [Piece<'c>; 3] {
        let head = match cell.head {
            Some(h) if k == 0 => h,
            _ => {
                let [text, pad] = self.line(
                    &Cell {
                        head: None,
                        ..*cell
                    },
                    k,
                );
                return [Piece::default(), text, pad];
            }
        };
        let (start, end, w) = cell.lines.first().copied().unwrap_or_default();
        let w = ((w + head.width) as usize).min(self.width);
        let after = self.text.len() - self.width - WIDE;
        [
            Piece {
                from: head.text.as_bytes(),
                len: head.len as usize,
            },
            Piece {
                from: cell.text.get(start as usize..).unwrap_or_default(),
                len: end.saturating_sub(start) as usize,
            },
            Piece {
                from: self.text.get(w..).unwrap_or_default(),
                len: self.width - w + after,
            },
        ]
    }

    /// The column's line where a cell has none: its padding alone.
    pub fn blank(&self) -> Piece<'_> {
        let [_, pad] = self.line(&Cell::default(), 0);
        pad
    }

    /// Line `k` of `cell` (nothing past its last) and the padding after
    /// it, as two pieces of a row's line.
    #[inline(always)]
    pub fn line<'c>(&'c self, cell: &Cell<'c>, k: usize) -> [Piece<'c>; 2] {
        debug_assert!(cell.head.is_none());
        let (start, end, w) = cell.lines.get(k).copied().unwrap_or_default();
        let w = (w as usize).min(self.width);
        let after = self.text.len() - self.width - WIDE;
        [
            Piece {
                from: cell.text.get(start as usize..).unwrap_or_default(),
                len: end.saturating_sub(start) as usize,
            },
            Piece {
                from: self.text.get(w..).unwrap_or_default(),
                len: self.width - w + after,
            },
        ]
    }
}

/// A piece of a row's line: `len` bytes from the start of `from`, which
/// has room past them.
#[derive(Clone, Copy, Default)]
pub struct Piece<'p> {
    from: &'p [u8],
    len: usize,
}

impl<'p> Piece<'p> {
    /// What starts a body line: a newline, the left border and a space.
    pub fn line_start() -> Piece<'static> {
        // "\n│ " and room.
        const START: [u8; 5 + WIDE] = {
            let mut start = [b' '; 5 + WIDE];
            start[0] = b'\n';
            start[1] = 0xe2;
            start[2] = 0x94;
            start[3] = 0x82;
            start
        };
        Piece {
            from: &START,
            len: 5,
        }
    }
}

/// A table's body line with every cell empty, put together once from
/// its columns' blank pieces. The later lines of a row are mostly empty
/// — a title or a state wrapped onto a second line, the cells before it
/// blank — and their leading empty cells are then one copy from it, not
/// two or three per cell.
pub struct BlankLine {
    /// The line, from its newline on, then `WIDE` bytes of room.
    text: Vec<u8>,
    /// Where the line's start ends in `text`, then each column's blank.
    ends: Vec<usize>,
}

impl BlankLine {
    /// The line whose columns, left to right, are blank as `columns` (a
    /// piece each: `Padded::blank`, `Pad::blank`).
    pub fn new(columns: &[Piece<'_>]) -> BlankLine {
        let mut text = Vec::new();
        let mut ends = Vec::with_capacity(columns.len() + 1);
        for p in std::iter::once(&Piece::line_start()).chain(columns) {
            text.extend_from_slice(p.from.get(..p.len).unwrap_or_default());
            ends.push(text.len());
        }
        text.extend_from_slice(SLACK.as_bytes());
        BlankLine { text, ends }
    }

    /// The line's start and its first `n` columns, empty, as one piece
    /// (just the start for none).
    pub fn leading(&self, n: usize) -> Piece<'_> {
        Piece {
            from: &self.text,
            len: self.ends.get(n).copied().unwrap_or(0),
        }
    }
}

/// Writes `pieces` one after the other at `at` in `out`, lengthened as
/// it needs (its length past `at` is room, not text); returns where they
/// end. Most pieces are one copy of `WIDE` bytes.
#[inline(always)]
pub fn put_pieces(out: &mut Vec<u8>, mut at: usize, pieces: &[Piece<'_>]) -> usize {
    let need = at + WIDE + pieces.iter().map(|p| p.len).sum::<usize>();
    if out.len() < need {
        // Room for many lines at once: zeroed in one go, not line by line.
        out.resize(need.max(out.len() + (1 << 14)), 0);
    }
    for p in pieces {
        at = put_wide(out, at, p.from, p.len);
    }
    at
}

/// `put` in blocks of `WIDE` bytes.
#[inline(always)]
fn put_wide(to: &mut [u8], at: usize, from: &[u8], n: usize) -> usize {
    put_block::<WIDE>(to, at, from, n).unwrap_or_else(|| put(to, at, from, n))
}

/// The block `put_wide` copies in: a padded title's line, most states.
const WIDE: usize = 64;

/// Values measured once by key, filled before the drawing starts and read
/// by every block.
pub struct Memo<K>(FastMap<K, Measured>);

impl<K: Hash + Eq> Default for Memo<K> {
    fn default() -> Self {
        Memo(FastMap::default())
    }
}

impl<K: Hash + Eq + Send> Memo<K> {
    /// The values of `keys`, made on all cores (for tens of thousands).
    pub fn of(keys: impl IntoIterator<Item = K>, text: impl Fn(&K) -> String + Sync) -> Memo<K> {
        use rayon::prelude::*;
        let keys: Vec<K> = keys.into_iter().collect();
        let values: Vec<(K, Measured)> = keys
            .into_par_iter()
            .map(|k| {
                let m = Measured::new(text(&k));
                (k, m)
            })
            .collect();
        Memo(values.into_iter().collect())
    }

    /// Makes the value for `key` unless it is there already.
    pub fn fill(&mut self, key: K, text: impl FnOnce() -> String) {
        self.0.entry(key).or_insert_with(|| Measured::new(text()));
    }

    /// The widest value's width.
    pub fn widest(&self) -> u32 {
        self.0.values().map(Measured::width).max().unwrap_or(0)
    }

    /// The value for `key` (an empty cell if it was never filled).
    pub fn get(&self, key: &K) -> &Measured {
        self.0.get(key).unwrap_or(Measured::empty())
    }
}

/// One table: a header row and body rows of cells, each cell one or more
/// lines. Cells are pushed row by row, left to right, each with its width
/// measured before, so drawing is one pass that copies and pads.
pub struct Table<'a> {
    header: &'a [Measured],
    align: &'a [Align],
    /// The body's cells, row by row.
    cells: Vec<Cell<'a>>,
    /// Widest line per column so far.
    widths: Vec<u32>,
    /// The blank line of the part being drawn, kept for the next.
    blank: Blank,
}

impl<'a> Table<'a> {
    /// `align` is for the body cells by column (the header is left-aligned);
    /// columns it does not name are left-aligned.
    pub fn new(header: &'a [Measured], align: &'a [Align]) -> Table<'a> {
        let mut t = Table {
            header,
            align,
            cells: Vec::new(),
            widths: Vec::new(),
            blank: Blank::default(),
        };
        t.clear();
        t
    }

    fn clear(&mut self) {
        self.cells.clear();
        self.widths.clear();
        self.widths
            .extend(self.header.iter().map(|h| h.width().max(1)));
    }

    /// The next row: a cell for each column, left to right. The cells are
    /// pushed one by one: a listing's rows have a fixed number of them,
    /// so each is a few moves, where a row copied as a slice of any length
    /// was a call to the C library's copy.
    pub fn push_row(&mut self, row: &[Cell<'a>]) {
        debug_assert_eq!(row.len(), self.widths.len());
        for (w, cell) in self.widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width);
        }
        self.cells.reserve(row.len());
        for &cell in row {
            self.cells.push(cell);
        }
    }

    /// Draws the table (without a final newline, as comfy-table's
    /// `Display` does) and empties it for the next block of rows, keeping
    /// its buffers.
    pub fn draw(&mut self, out: &mut Vec<u8>) {
        self.draw_part(out, true, true);
    }

    /// Widens the columns to at least `widths`: a long table drawn in
    /// parts gets the widths of all its rows before its first part.
    pub fn at_least(&mut self, widths: &[u32]) {
        for (w, &at_least) in self.widths.iter_mut().zip(widths) {
            *w = (*w).max(at_least);
        }
    }

    /// Draws the rows pushed so far as one part of a table: with its top
    /// (the header) when `top`, with its bottom rule when `bottom`. The
    /// parts of a table, written one after the other, are the table.
    pub fn draw_part(&mut self, out: &mut Vec<u8>, top: bool, bottom: bool) {
        let mut blank = std::mem::take(&mut self.blank);
        blank.lay_out(&self.widths, self.align);
        if top {
            self.top(out, &blank);
        }
        touch(&self.cells);
        for row in self.cells.chunks(self.widths.len().max(1)) {
            self.row(out, row, &blank, true);
        }
        if bottom {
            out.push(b'\n');
            rule(out, &self.widths, "└", "─", "┴", "┘");
        }
        self.blank = blank;
        self.clear();
    }

    /// Draws a part of the table as `draw_part` does, its body lines
    /// written by `body` (each after a newline, `Piece::line_start`) with
    /// the table's columns as wide as `widths` says.
    pub fn draw_around(
        &mut self,
        out: &mut Vec<u8>,
        top: bool,
        bottom: bool,
        body: impl FnOnce(&mut Vec<u8>),
    ) {
        let mut blank = std::mem::take(&mut self.blank);
        blank.lay_out(&self.widths, self.align);
        if top {
            self.top(out, &blank);
        }
        body(out);
        if bottom {
            out.push(b'\n');
            rule(out, &self.widths, "└", "─", "┴", "┘");
        }
        self.blank = blank;
        self.clear();
    }

    /// The columns' widths: the widest of each one's heading and its
    /// cells pushed so far, or the widths given (`at_least`).
    pub fn widths(&self) -> &[u32] {
        &self.widths
    }

    /// The top rule, the header row and the rule under it.
    fn top(&self, out: &mut Vec<u8>, blank: &Blank) {
        rule(out, &self.widths, "┌", "─", "┬", "┐");
        let header: Vec<Cell<'a>> = self.header.iter().map(Measured::cell).collect();
        self.row(out, &header, blank, false);
        out.push(b'\n');
        rule(out, &self.widths, "╞", "═", "╪", "╡");
    }

    /// One row: as many lines as its tallest cell, each cell padded to its
    /// column. A line is its table's blank line with each cell's text in
    /// place of as many of its column's spaces: the spaces and separators
    /// between two texts, however many columns apart, are one copy. The
    /// row is made in room given at once, in blocks (`put`), since the
    /// copies are millions and most are a few bytes long.
    fn row(&self, out: &mut Vec<u8>, cells: &[Cell<'a>], blank: &Blank, body: bool) {
        let (mut height, mut text) = (1, 0);
        for c in cells {
            height = height.max(c.lines.len());
            text += c.head.map_or(0, |h| h.len as usize) + c.bytes();
        }
        let base = out.len();
        out.resize(base + height * blank.len + text + BLOCK, 0);
        let mut lines = Lines {
            room: out.get_mut(base..).unwrap_or_default(),
            blank,
            body,
        };
        // The first line: every cell's, each after its head.
        let (mut at, mut from) = (0, 0);
        for (cell, column) in cells.iter().zip(&blank.columns) {
            let (start, end, w) = cell.lines.first().copied().unwrap_or_default();
            if start == end && cell.head.is_none() {
                continue;
            }
            let w = w + cell.head.map_or(0, |h| h.width);
            (at, from) = lines.place(at, from, column, cell.head, cell.text, (start, end, w));
        }
        at = lines.end(at, from);
        // The others: only the cells that have that many.
        for k in 1..height {
            let mut from = 0;
            for (cell, column) in cells.iter().zip(&blank.columns) {
                if let Some(&line) = cell.lines.get(k)
                    && line.0 != line.1
                {
                    (at, from) = lines.place(at, from, column, None, cell.text, line);
                }
            }
            at = lines.end(at, from);
        }
        out.truncate(base + at);
    }
}

/// The room a row's lines are written in and the blank line they fill
/// in. Where they have got to is a number passed from copy to copy, not
/// a field each copy writes back.
struct Lines<'r> {
    room: &'r mut [u8],
    blank: &'r Blank,
    body: bool,
}

impl Lines<'_> {
    /// Puts a cell's line — `start..end` of `text`, after `head`, `w`
    /// columns wide with it — at `at`, in `column`, after the blank line's
    /// spaces and separators from `from` on; returns where the row and
    /// the blank line go on.
    #[inline(always)]
    fn place(
        &mut self,
        at: usize,
        from: usize,
        column: &Column,
        head: Option<&Head>,
        text: &[u8],
        (start, end, w): (u32, u32, u32),
    ) -> (usize, usize) {
        let w = w as usize;
        let lead = if self.body && column.right {
            column.width.saturating_sub(w)
        } else {
            0
        };
        let gap = self.blank.line.get(from..).unwrap_or_default();
        let mut at = put(
            self.room,
            at,
            gap,
            (column.start + lead).saturating_sub(from),
        );
        if let Some(h) = head {
            at = put(self.room, at, h.text.as_bytes(), h.len as usize);
        }
        let text = text.get(start as usize..).unwrap_or_default();
        let at = put(self.room, at, text, end.saturating_sub(start) as usize);
        (at, column.start + (lead + w).min(column.width))
    }

    /// Ends a line at `at` with the blank line's rest from `from`;
    /// returns where the row goes on.
    #[inline(always)]
    fn end(&mut self, at: usize, from: usize) -> usize {
        let rest = self.blank.line.get(from..).unwrap_or_default();
        put(self.room, at, rest, self.blank.len.saturating_sub(from))
    }
}

/// Copies `n` bytes from the start of `from` to `to` at `at`, and returns
/// where they end. Where `from` and `to` have room, it copies one whole
/// block of `BLOCK` bytes — a fixed-size copy is a few instructions where
/// one of any length is a call — writing up to a block past the `n`
/// bytes, which the next copy overwrites or the row's end cuts off. Most
/// copies (a cell's text, the spaces and separator before it) fit in one
/// block, copied after one check of each side's room.
#[inline(always)]
fn put(to: &mut [u8], at: usize, from: &[u8], n: usize) -> usize {
    put_block::<BLOCK>(to, at, from, n).unwrap_or_else(|| put_long(to, at, from, n))
}

/// The copy `put` and `put_wide` make when `n` bytes fit in a block of
/// `N` and both sides have room for one; `None` otherwise.
#[inline(always)]
fn put_block<const N: usize>(to: &mut [u8], at: usize, from: &[u8], n: usize) -> Option<usize> {
    if n > N {
        return None;
    }
    let to = to.get_mut(at..)?.first_chunk_mut::<N>()?;
    *to = *from.first_chunk::<N>()?;
    Some(at + n)
}

/// `put` for a copy longer than a block — the spaces across a column or
/// more, a long title — made as one copy of any length. That is a call,
/// but a single one: copied block by block, with each block's room
/// checked, the run of spaces before a status's second line took eight.
#[inline(never)]
fn put_long(to: &mut [u8], at: usize, from: &[u8], n: usize) -> usize {
    if let (Some(to), Some(from)) = (to.get_mut(at..at + n), from.get(..n)) {
        to.copy_from_slice(from);
    }
    at + n
}

/// The block `put` copies in; and the room kept past every text and line
/// copied from, room for a block of `put_wide`'s.
const BLOCK: usize = 32;
const SLACK: &str = "                                                                ";
const _: () = assert!(SLACK.len() == WIDE && WIDE >= BLOCK);

/// A table's line with every cell empty — a newline, its left border,
/// each column's spaces and separator, its right border — and where each
/// column's spaces start in it and how many there are.
#[derive(Default)]
struct Blank {
    /// The line, then `BLOCK` bytes of room.
    line: Vec<u8>,
    /// The line's length.
    len: usize,
    columns: Vec<Column>,
}

/// Where a column's spaces start in a blank line, how many there are, and
/// whether its body cells are right-aligned.
#[derive(Clone, Copy)]
struct Column {
    start: usize,
    width: usize,
    right: bool,
}

impl Blank {
    fn lay_out(&mut self, widths: &[u32], align: &[Align]) {
        self.line.clear();
        self.columns.clear();
        self.line.extend_from_slice("\n│".as_bytes());
        if widths.is_empty() {
            self.line.extend_from_slice("│".as_bytes());
        }
        for (i, &w) in widths.iter().enumerate() {
            self.line.push(b' ');
            self.columns.push(Column {
                start: self.line.len(),
                width: w as usize,
                right: align.get(i) == Some(&Align::Right),
            });
            spaces(&mut self.line, w as usize + 1);
            let end = if i + 1 == widths.len() { "│" } else { "┆" };
            self.line.extend_from_slice(end.as_bytes());
        }
        self.len = self.line.len();
        self.line.extend_from_slice(SLACK.as_bytes());
    }
}

/// Reads the first line of every cell, and the first byte of its text,
/// before the rows are drawn. A national listing's rows are in deadline
/// order, so their titles are spread all over the arena: read one by one
/// as each row is drawn, every one waits on memory, while read in a loop
/// that does nothing else, many are fetched at once and the drawing then
/// finds them in the cache.
fn touch(cells: &[Cell<'_>]) {
    crate::memory::read_ahead(cells, |cell| {
        cell.lines.first().map_or(0, |&(start, _, _)| {
            u32::from(cell.text.get(start as usize).copied().unwrap_or(0))
        })
    });
}

fn rule(out: &mut Vec<u8>, widths: &[u32], left: &str, fill: &str, cross: &str, right: &str) {
    out.extend_from_slice(left.as_bytes());
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(cross.as_bytes());
        }
        for _ in 0..w + 2 {
            out.extend_from_slice(fill.as_bytes());
        }
    }
    out.extend_from_slice(right.as_bytes());
}

/// The width of a table's line whose columns' widest cells are `widths`
/// under `header`: its borders, and each column — as wide as its widest
/// cell or its heading — with a space either side and a separator after.
pub fn line_width(widths: &[u32], header: &[Measured]) -> usize {
    1 + widths
        .iter()
        .zip(header)
        .map(|(&w, h)| w.max(h.width()) as usize + 3)
        .sum::<usize>()
}

/// Display width as comfy-table measures it (unicode-width), counted
/// directly for the characters of Vietnamese and English text — printable
/// ASCII, Latin-1 and Latin Extended letters with their precomposed
/// diacritics, dashes and quotes — which are one column each.
/// They are told by their UTF-8 bytes, without decoding each character:
/// a national listing measures a hundred thousand titles.
pub fn width(s: &str) -> usize {
    let b = s.as_bytes();
    let (mut n, mut i) = (0, 0);
    while let Some(&lead) = b.get(i) {
        let len = match (lead, b.get(i + 1), b.get(i + 2)) {
            (0x20..=0x7e, ..) => 1,
            // U+00A0–U+00BF but the soft hyphen U+00AD.
            (0xc2, Some(&next), _) if next >= 0xa0 && next != 0xad => 2,
            // U+00C0–U+02FF.
            (0xc3..=0xcb, ..) => 2,
            // U+1E00–U+1EFF, Vietnamese letters with two marks.
            (0xe1, Some(0xb8..=0xbb), _) => 3,
            // U+2010–U+2027, dashes and quotes.
            (0xe2, Some(0x80), Some(0x90..=0xa7)) => 3,
            _ => return s.width(),
        };
        n += 1;
        i += len;
    }
    n
}

fn spaces(out: &mut Vec<u8>, n: usize) {
    const SPACES: &[u8; 64] = b"                                                                ";
    let mut n = n;
    while n > 0 {
        let k = n.min(SPACES.len());
        out.extend_from_slice(&SPACES[..k]);
        n -= k;
    }
}

/// Draws `blocks` on all cores, a few at a time, and writes them to `out`
/// in order. Each block in flight keeps its buffer and its drawing state
/// (`state`, made once per slot) from one group to the next: a fresh
/// buffer per block costs the system zeroing new pages, which at a million
/// lines was a sixth of the time.
pub fn draw_in_order<B: Sync, S: Send>(
    blocks: &[B],
    state: impl Fn() -> S,
    draw: impl Fn(&B, &mut S, &mut Vec<u8>) + Sync,
    out: &mut dyn Write,
) -> io::Result<()> {
    use rayon::prelude::*;
    let at_once = 4 * rayon::current_num_threads().max(1);
    let mut slots: Vec<(S, Vec<u8>)> = (0..at_once).map(|_| (state(), Vec::new())).collect();
    for group in blocks.chunks(at_once) {
        group
            .par_iter()
            .zip(slots.par_iter_mut())
            .for_each(|(block, (state, buffer))| {
                buffer.clear();
                draw(block, state, buffer);
            });
        for (_, buffer) in slots.iter().take(group.len()) {
            out.write_all(buffer)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use comfy_table::CellAlignment;
    use proptest::prelude::*;

    fn comfy(header: &[String], rows: &[Vec<String>], right: &[bool]) -> String {
        let mut t = super::super::table::new_table(header.to_vec());
        for row in rows {
            t.add_row(row.iter().zip(right).map(|(c, r)| {
                let cell = comfy_table::Cell::new(c);
                if *r {
                    cell.set_alignment(CellAlignment::Right)
                } else {
                    cell
                }
            }));
        }
        t.to_string()
    }

    fn ours(header: &[String], rows: &[Vec<String>], right: &[bool]) -> String {
        let header: Vec<Measured> = header.iter().map(|h| Measured::new(h.clone())).collect();
        let align: Vec<Align> = right
            .iter()
            .map(|&r| if r { Align::Right } else { Align::Left })
            .collect();
        let measured: Vec<Measured> = rows
            .iter()
            .flatten()
            .map(|c| Measured::new(c.clone()))
            .collect();
        let cells: Vec<&String> = rows.iter().flatten().collect();
        let arena = Arena::build(cells.len(), |i| Some(Cow::Borrowed(cells[i].as_str())));
        // Each cell also as its first few ASCII bytes before the rest.
        let split: Vec<(Head, Measured)> = cells
            .iter()
            .map(|c| {
                let k = c
                    .bytes()
                    .take(3)
                    .take_while(|b| b.is_ascii() && *b != b'\n');
                let k = k.count();
                (Head::new(&c[..k]), Measured::new(c[k..].to_string()))
            })
            .collect();
        let mut t = Table::new(&header, &align);
        // Three times over, each cell pushed in one of the three ways in
        // turn: a table keeps nothing of the rows it has drawn.
        let mut out = Vec::new();
        for round in 0..3 {
            out.clear();
            let cells: Vec<Cell<'_>> = (0..measured.len())
                .map(|i| match (i + round) % 3 {
                    0 => arena.cell(i),
                    1 => measured[i].cell(),
                    _ => Cell::headed(&split[i].0, split[i].1.cell()),
                })
                .collect();
            for row in cells.chunks(header.len()) {
                t.push_row(row);
            }
            t.draw(&mut out);
        }
        String::from_utf8(out).unwrap()
    }

    /// The same table drawn in parts of two rows, the column widths
    /// found first.
    fn in_parts(header: &[String], rows: &[Vec<String>], right: &[bool]) -> String {
        let header: Vec<Measured> = header.iter().map(|h| Measured::new(h.clone())).collect();
        let align: Vec<Align> = right
            .iter()
            .map(|&r| if r { Align::Right } else { Align::Left })
            .collect();
        let mut widths = vec![0; header.len()];
        for row in rows {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(Measured::new(c.clone()).width());
            }
        }
        let measured: Vec<Measured> = rows
            .iter()
            .flatten()
            .map(|c| Measured::new(c.clone()))
            .collect();
        let mut t = Table::new(&header, &align);
        let mut out = Vec::new();
        let parts: Vec<&[Measured]> = measured.chunks(2 * header.len().max(1)).collect();
        if parts.is_empty() {
            t.draw(&mut out);
        }
        for (i, part) in parts.iter().enumerate() {
            t.at_least(&widths);
            for row in part.chunks(header.len()) {
                let row: Vec<Cell<'_>> = row.iter().map(Measured::cell).collect();
                t.push_row(&row);
            }
            t.draw_part(&mut out, i == 0, i + 1 == parts.len());
        }
        String::from_utf8(out).unwrap()
    }

    /// The same table with its rows put together from pieces: each
    /// left-aligned column of odd place copied as it is (`Pad`), each
    /// other padded once (`Padded`); every other row's cells with a head.
    fn in_pieces(header: &[String], rows: &[Vec<String>], right: &[bool]) -> String {
        let header: Vec<Measured> = header.iter().map(|h| Measured::new(h.clone())).collect();
        let align: Vec<Align> = right
            .iter()
            .map(|&r| if r { Align::Right } else { Align::Left })
            .collect();
        let n = header.len();
        // Each cell whole, and as its first few ASCII bytes before the rest.
        let split: Vec<Vec<(Measured, Head, Measured)>> = rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| {
                        let k = c
                            .bytes()
                            .take(2)
                            .take_while(|b| b.is_ascii() && *b != b'\n');
                        let k = k.count();
                        let rest = Measured::new(c[k..].to_string());
                        (Measured::new(c.clone()), Head::new(&c[..k]), rest)
                    })
                    .collect()
            })
            .collect();
        let inline = |c: usize| c % 2 == 1 && !right[c];
        let cell = |r: usize, c: usize| {
            let (whole, head, rest) = &split[r][c];
            if r.is_multiple_of(2) {
                Cell::headed(head, rest.cell())
            } else {
                whole.cell()
            }
        };
        let mut t = Table::new(&header, &align);
        for r in 0..rows.len() {
            let row: Vec<Cell<'_>> = (0..n).map(|c| cell(r, c)).collect();
            t.push_row(&row);
        }
        let widths = t.widths().to_vec();
        t.clear();
        t.at_least(&widths);
        let columns: Vec<(Option<Padded>, Pad)> = (0..n)
            .map(|c| {
                let last = c + 1 == n;
                let padded = (!inline(c)).then(|| {
                    Padded::new(
                        (0..rows.len()).map(|r| cell(r, c)),
                        widths[c],
                        right[c],
                        last,
                    )
                });
                (padded, Pad::new(widths[c], last))
            })
            .collect();
        let mut out = Vec::new();
        t.draw_around(&mut out, true, true, |out| {
            let mut at = out.len();
            for r in 0..rows.len() {
                let height = (0..n)
                    .map(|c| match &columns[c].0 {
                        Some(p) => p.height(r),
                        None => cell(r, c).height(),
                    })
                    .max()
                    .unwrap_or(0)
                    .max(1);
                for k in 0..height {
                    let cells: Vec<Cell<'_>> = (0..n).map(|c| cell(r, c)).collect();
                    let mut pieces = vec![Piece::line_start()];
                    for (c, (padded, pad)) in columns.iter().enumerate() {
                        match padded {
                            Some(p) => pieces.push(p.line(r, k)),
                            // A head drawn as a piece of its own, or none.
                            None if r.is_multiple_of(2) => {
                                pieces.extend(pad.line_headed(&cells[c], k))
                            }
                            None => pieces.extend(pad.line(&cells[c], k)),
                        }
                    }
                    at = put_pieces(out, at, &pieces);
                }
            }
            out.truncate(at);
        });
        String::from_utf8(out).unwrap()
    }

    fn cell() -> impl Strategy<Value = String> {
        prop::string::string_regex(
            "(|[a-zA-Z0-9 ]{1,6}|Tổng số|Quá hạn 1.612 ngày|đ|漢字|\n| ){0,5}",
        )
        .unwrap()
    }

    proptest! {
        #[test]
        fn draws_what_comfy_table_draws(
            header in prop::collection::vec(cell(), 1..5),
            rows in prop::collection::vec(prop::collection::vec(cell(), 5), 0..6),
            right in prop::collection::vec(any::<bool>(), 5),
        ) {
            let n = header.len();
            let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r[..n].to_vec()).collect();
            let theirs = comfy(&header, &rows, &right[..n]);
            prop_assert_eq!(ours(&header, &rows, &right[..n]), theirs.clone());
            prop_assert_eq!(in_parts(&header, &rows, &right[..n]), theirs.clone());
            prop_assert_eq!(in_pieces(&header, &rows, &right[..n]), theirs);
        }
    }

    /// Many rows, and among them cells of hundreds of lines: drawn as
    /// comfy-table draws them.
    #[test]
    fn many_rows_and_cells_of_many_lines() {
        let long = |lines: usize| -> String {
            (0..lines)
                .map(|i| format!("dòng {i} của một ô rất dài"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let header: Vec<String> = ["Thời hạn", "Nội dung", "Tình trạng"]
            .map(String::from)
            .to_vec();
        let right = [false, false, true];
        for (count, every) in [(200, 7), (60, 1), (3, 2), (41, 40)] {
            let rows: Vec<Vec<String>> = (0..count)
                .map(|i| {
                    let text = if i % every == every - 1 {
                        long(if i % 2 == 0 { 400 } else { 200 })
                    } else {
                        format!("Nhiệm vụ {i}\n{}", "x".repeat(i % 50))
                    };
                    vec![
                        format!("{:02}/01/2025", i % 28 + 1),
                        text,
                        format!("Quá hạn {i} ngày"),
                    ]
                })
                .collect();
            let theirs = comfy(&header, &rows, &right);
            assert_eq!(ours(&header, &rows, &right), theirs, "{count} rows");
            assert_eq!(
                in_parts(&header, &rows, &right),
                theirs,
                "{count} rows in parts"
            );
        }
    }

    #[test]
    fn a_vietnamese_table() {
        let header = vec!["Thời hạn".to_string(), "Tình trạng".to_string()];
        let rows = vec![
            vec!["01/01/2021".to_string(), "Quá hạn\n1.612 ngày".to_string()],
            vec!["".to_string(), "Hoàn thành đúng hạn".to_string()],
        ];
        assert_eq!(
            ours(&header, &rows, &[false, true]),
            comfy(&header, &rows, &[false, true])
        );
    }

    /// The characters `width` counts as one column each.
    fn one_column(c: char) -> bool {
        matches!(c, ' '..='~' | '\u{a0}'..='\u{ac}' | '\u{ae}'..='\u{2ff}' | '\u{1e00}'..='\u{1eff}' | '\u{2010}'..='\u{2027}')
    }

    #[test]
    fn counted_widths_agree_with_unicode_width() {
        use unicode_width::UnicodeWidthChar;
        let counted: String = (0..=0x2fffu32)
            .filter_map(char::from_u32)
            .filter(|&c| one_column(c))
            .collect();
        assert!(counted.chars().all(|c| c.width() == Some(1)));
        assert_eq!(width(&counted), counted.width());
        // Each character up to U+2FFF, alone and between one-column ones:
        // counted or not, the width is unicode-width's.
        for c in (0..=0x2fffu32).filter_map(char::from_u32) {
            for s in [c.to_string(), format!("aĐ{c}ế—"), format!("{c}{c}ỹ")] {
                assert_eq!(width(&s), s.width(), "{:?}", s);
            }
        }
        assert_eq!(width("Quá hạn 1.612 ngày — “đ”"), 24);
        // Anything else is measured by unicode-width.
        assert_eq!(width("漢字 ok"), 7);
        assert_eq!(width("e\u{301}"), 1);
    }

    #[test]
    fn put_copies_exactly_with_or_without_room() {
        let source: Vec<u8> = (0..200u8).collect();
        for n in [0, 1, 31, 32, 33, 64, 100] {
            for room in [0, 5, BLOCK, 2 * BLOCK] {
                // `room` bytes past the `n` in the source and in the output.
                let from = &source[..n + room];
                let mut to = vec![0xee; 3 + n + room];
                assert_eq!(put(&mut to, 3, from, n), 3 + n);
                assert_eq!(&to[..3], &[0xee; 3]);
                assert_eq!(&to[3..3 + n], &source[..n]);
            }
        }
    }

    /// A blank line's first columns, one piece, are the line's start and
    /// those columns' blank pieces; a cell's touch reads its text.
    #[test]
    fn a_blank_lines_leading_columns_are_their_blank_pieces() {
        let pads = [Pad::new(3, false), Pad::new(0, false), Pad::new(5, true)];
        let blank = BlankLine::new(&[pads[0].blank(), pads[1].blank(), pads[2].blank()]);
        let text = |p: Piece<'_>| String::from_utf8(p.from[..p.len].to_vec()).unwrap();
        assert_eq!(text(blank.leading(0)), "\n│ ");
        assert_eq!(text(blank.leading(1)), "\n│     ┆ ");
        assert_eq!(text(blank.leading(2)), "\n│     ┆  ┆ ");
        assert_eq!(text(blank.leading(3)), "\n│     ┆  ┆       │");
        // Past the last column: nothing, not a line cut anywhere.
        assert_eq!(text(blank.leading(4)), "");
        // Every piece keeps room for a block copy past its end.
        for n in 0..4 {
            let p = blank.leading(n);
            assert!(p.from.len() >= p.len + WIDE);
        }
        let arena = Arena::build(3, |i| Some(Cow::Owned(["ab", "", "é\nz"][i].to_string())));
        assert_eq!(arena.touch(0), u32::from(b'a') + u32::from(b'b'));
        assert_eq!(arena.touch(2), 0xc3 + 0xa9);
        assert_eq!(arena.touch(9), 0);
    }

    #[test]
    fn an_arena_keeps_every_cell_across_its_parts() {
        let cell = |i: usize| (i % 7 != 3).then(|| Cow::Owned(format!("ô {i}\nthứ hai {i}")));
        let arena = Arena::build(10_000, cell);
        for i in [0, 3, 4095, 4096, 4097, 8191, 8192, 9999] {
            let drawn = arena.cell(i);
            let lines: Vec<(&str, u32)> = drawn
                .lines
                .iter()
                .map(|&(start, end, w)| {
                    let text = &drawn.text[start as usize..end as usize];
                    (std::str::from_utf8(text).unwrap(), w)
                })
                .collect();
            match cell(i) {
                Some(_) => assert_eq!(
                    lines,
                    [
                        (format!("ô {i}").as_str(), narrow(2 + i.to_string().len())),
                        (
                            format!("thứ hai {i}").as_str(),
                            narrow(8 + i.to_string().len())
                        )
                    ]
                ),
                None => assert!(lines.is_empty()),
            }
            match cell(i) {
                Some(_) => assert_eq!(drawn.width(), narrow(8 + i.to_string().len())),
                None => assert_eq!(drawn.width(), 0),
            }
        }
    }
}

/// What tests read of a drawn listing.
#[cfg(test)]
pub(crate) mod probe {
    /// The display width of the widest line of the tables in `text`.
    pub fn table_width(text: &str) -> usize {
        text.lines()
            .filter(|l| l.starts_with(['┌', '│', '╞', '└']))
            .map(super::width)
            .max()
            .unwrap_or(0)
    }

    /// Every word of `text` outside the tables' borders, sorted: the same
    /// however the cells wrap.
    pub fn sorted_words(text: &str) -> Vec<String> {
        let mut words: Vec<String> = text
            .split(|c: char| c.is_whitespace() || "│┆┌┐└┘─┬┴╞╡═╪".contains(c))
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
        words.sort();
        words
    }
}
