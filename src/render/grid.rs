//! A streaming writer for the long listings (`tasks`, `due`): the same
//! box-drawn table comfy-table draws with `UTF8_FULL_CONDENSED` and no
//! content arrangement — byte for byte, as a test checks against comfy-table
//! itself — written straight to the output without building a cell object
//! per value. At national size these tables run to hundreds of thousands of
//! rows; comfy-table's per-cell allocations made them cost many times the
//! report itself.

use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One table: a header row and body rows of cells, each cell one or more
/// lines separated by `\n`. Cells are any text (`String`, `&str`, `Cow`),
/// so a listing can borrow the values it repeats on many rows.
pub struct Grid<S = String> {
    header: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<S>>,
}

impl<S: AsRef<str>> Grid<S> {
    pub fn new(header: Vec<String>) -> Grid<S> {
        let align = vec![Align::Left; header.len()];
        Grid {
            header,
            align,
            rows: Vec::new(),
        }
    }

    /// Aligns a column's body cells (the header stays left-aligned).
    pub fn align(mut self, column: usize, align: Align) -> Grid<S> {
        if let Some(a) = self.align.get_mut(column) {
            *a = align;
        }
        self
    }

    pub fn push(&mut self, row: Vec<S>) {
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Writes the table (without a final newline, as comfy-table's
    /// `Display` does) and empties it for the next block of rows.
    pub fn write_to(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let columns = self.header.len();
        let mut widths = vec![1usize; columns];
        let measure = |widths: &mut [usize], row: &mut dyn Iterator<Item = &str>| {
            for (w, cell) in widths.iter_mut().zip(row) {
                for line in cell.split('\n') {
                    *w = (*w).max(width(line));
                }
            }
        };
        measure(&mut widths, &mut self.header.iter().map(String::as_str));
        for row in &self.rows {
            measure(&mut widths, &mut row.iter().map(AsRef::as_ref));
        }
        let mut buf = String::with_capacity(256);
        rule(&mut buf, &widths, '┌', '─', '┬', '┐');
        out.write_all(buf.as_bytes())?;
        let left = vec![Align::Left; columns];
        write_row(out, &mut buf, &self.header, &widths, &left)?;
        buf.clear();
        buf.push('\n');
        rule(&mut buf, &widths, '╞', '═', '╪', '╡');
        out.write_all(buf.as_bytes())?;
        for row in &self.rows {
            write_row(out, &mut buf, row, &widths, &self.align)?;
        }
        buf.clear();
        buf.push('\n');
        rule(&mut buf, &widths, '└', '─', '┴', '┘');
        out.write_all(buf.as_bytes())?;
        self.rows.clear();
        Ok(())
    }
}

fn rule(buf: &mut String, widths: &[usize], left: char, fill: char, cross: char, right: char) {
    buf.push(left);
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            buf.push(cross);
        }
        buf.extend(std::iter::repeat_n(fill, w + 2));
    }
    buf.push(right);
}

/// One row: as many lines as its tallest cell, each cell padded to its
/// column.
fn write_row<S: AsRef<str>>(
    out: &mut dyn Write,
    buf: &mut String,
    row: &[S],
    widths: &[usize],
    align: &[Align],
) -> io::Result<()> {
    let height = row
        .iter()
        .map(|c| c.as_ref().matches('\n').count() + 1)
        .max()
        .unwrap_or(1);
    // What is left of each cell to draw, line by line.
    let mut rest: Vec<&str> = row.iter().map(AsRef::as_ref).collect();
    buf.clear();
    for _ in 0..height {
        buf.push_str("\n│");
        for (i, w) in widths.iter().enumerate() {
            if i > 0 {
                buf.push('┆');
            }
            let text = match rest.get_mut(i) {
                Some(cell) => match cell.split_once('\n') {
                    Some((line, more)) => {
                        *cell = more;
                        line
                    }
                    None => std::mem::take(cell),
                },
                None => "",
            };
            let pad = w.saturating_sub(width(text));
            buf.push(' ');
            if align.get(i) == Some(&Align::Right) {
                spaces(buf, pad);
                buf.push_str(text);
            } else {
                buf.push_str(text);
                spaces(buf, pad);
            }
            buf.push(' ');
        }
        buf.push('│');
    }
    out.write_all(buf.as_bytes())
}

/// Display width: the byte length for printable ASCII (ids, dates,
/// numbers), else unicode-width's, as comfy-table measures.
fn width(s: &str) -> usize {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        s.len()
    } else {
        s.width()
    }
}

fn spaces(buf: &mut String, n: usize) {
    const SPACES: &str = "                                                                ";
    let mut n = n;
    while n > 0 {
        let k = n.min(SPACES.len());
        buf.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// Draws `blocks` on all cores, a few at a time, and writes them to `out`
/// in order. Each block in flight keeps its buffer from one group to the
/// next: a fresh buffer per block costs the system zeroing new pages, which
/// at a million lines was a sixth of the time.
pub fn draw_in_order<B: Sync>(
    blocks: &[B],
    draw: impl Fn(&B, &mut Vec<u8>) -> io::Result<()> + Sync,
    out: &mut dyn Write,
) -> io::Result<()> {
    use rayon::prelude::*;
    let at_once = 4 * rayon::current_num_threads().max(1);
    let mut buffers: Vec<Vec<u8>> = (0..at_once).map(|_| Vec::new()).collect();
    for group in blocks.chunks(at_once) {
        let drawn: Vec<io::Result<()>> = group
            .par_iter()
            .zip(buffers.par_iter_mut())
            .map(|(block, buffer)| {
                buffer.clear();
                draw(block, buffer)
            })
            .collect();
        for (result, buffer) in drawn.into_iter().zip(&buffers) {
            result?;
            out.write_all(buffer)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use comfy_table::{Cell, CellAlignment};
    use proptest::prelude::*;

    fn comfy(header: &[String], rows: &[Vec<String>], right: &[bool]) -> String {
        let mut t = super::super::table::new_table(header.to_vec());
        for row in rows {
            t.add_row(row.iter().zip(right).map(|(c, r)| {
                let cell = Cell::new(c);
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
        let mut g: Grid = Grid::new(header.to_vec());
        for (i, r) in right.iter().enumerate() {
            if *r {
                g = g.align(i, Align::Right);
            }
        }
        for row in rows {
            g.push(row.clone());
        }
        let mut out = Vec::new();
        g.write_to(&mut out).unwrap();
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
            prop_assert_eq!(ours(&header, &rows, &right[..n]), comfy(&header, &rows, &right[..n]));
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
}
