//! A returned agency form (spec §13), read with calamine: which plan,
//! agency, year and date it is for, and its filled rows, each cell with its
//! place (`SHEET!CELL`). Columns are found by their key in row 1, so a form
//! whose columns were moved still reads. Values are kept as the workbook
//! holds them; `commands::import` decides what they mean.

use super::MAX_FILE_BYTES;
use crate::messages::Msg;
use calamine::{Data, Reader, Xlsx};
use std::collections::BTreeMap;
use std::path::Path;

/// The columns import reads; the others (title, deadline, current) are for
/// the person filling the form in.
pub const READ: [&str; 10] = [
    "task", "period", "agency", "status", "date", "percent", "evidence", "note", "new_due",
    "decision",
];

/// A cell's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    /// A number in a cell formatted as a percentage (0.5 is 50%).
    Percent(f64),
    /// A date cell: days since 1899-12-30.
    Date(f64),
    Other(String),
}

/// One cell of a filled row.
#[derive(Clone, Debug)]
pub struct Cell {
    /// `B7`.
    pub name: String,
    pub value: Value,
}

/// One row with something in its `status` column.
#[derive(Clone, Debug)]
pub struct Row {
    /// The key of each read column, with the cell.
    pub cells: BTreeMap<&'static str, Cell>,
}

impl Row {
    pub fn get(&self, key: &str) -> Option<&Cell> {
        self.cells.get(key)
    }
}

/// A problem in a form, at `SHEET!CELL` (or the file as a whole).
#[derive(Clone, Debug, PartialEq)]
pub struct FormProblem {
    pub sheet: String,
    pub cell: String,
    pub msg: Msg,
}

/// What a returned form holds.
#[derive(Clone, Debug)]
pub struct Form {
    /// The sheet the rows are on.
    pub sheet: String,
    /// `kehoach!B1..B5`.
    pub plan: Value,
    pub agency: Value,
    pub year: Value,
    pub as_of: Value,
    pub version: Value,
    /// Rows with a status; `skipped` counts the others.
    pub rows: Vec<Row>,
    pub skipped: usize,
}

/// `A1`-style name of a cell (0-based row and column).
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.insert(0, (b'A' + rem as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

fn problem(sheet: &str, cell: &str, msg: Msg) -> FormProblem {
    FormProblem {
        sheet: sheet.to_string(),
        cell: cell.to_string(),
        msg,
    }
}

fn value(d: &Data) -> Value {
    match d {
        Data::Empty => Value::Empty,
        Data::String(s) if s.trim().is_empty() => Value::Empty,
        Data::String(s) => Value::Text(s.trim().to_string()),
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::DateTime(dt) => Value::Date(dt.as_f64()),
        Data::DateTimeIso(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Other(b.to_string()),
        Data::DurationIso(s) => Value::Other(s.clone()),
        Data::Error(e) => Value::Other(format!("{e:?}")),
    }
}

/// Reads a returned form; every problem with its place, or the form.
pub fn read(path: &Path, sheet_names: &[&str]) -> Result<Form, Vec<FormProblem>> {
    let size = std::fs::metadata(path)
        .map_err(|e| vec![problem("", "", crate::load::io_message(&e))])?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(vec![problem(
            "",
            "",
            Msg::FileTooLarge {
                mib: size / (1024 * 1024),
                max: MAX_FILE_BYTES / (1024 * 1024),
            },
        )]);
    }
    // calamine parses untrusted bytes; a panic inside it (the fuzzer found
    // an arithmetic overflow on a damaged cell reference) is turned into a
    // "damaged file" problem rather than ending the program, and without
    // the panic message on standard error.
    let path = path.to_path_buf();
    let names: Vec<String> = sheet_names.iter().map(|s| s.to_string()).collect();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let read = std::panic::catch_unwind(move || read_workbook(&path, &names));
    std::panic::set_hook(hook);
    match read {
        Ok(result) => result,
        Err(_) => Err(vec![problem(
            "",
            "",
            Msg::FormDamaged {
                detail: "unreadable workbook".into(),
            },
        )]),
    }
}

fn read_workbook(path: &Path, sheet_names: &[String]) -> Result<Form, Vec<FormProblem>> {
    let damaged = |e: &dyn std::fmt::Display| {
        vec![problem(
            "",
            "",
            Msg::FormDamaged {
                detail: e.to_string(),
            },
        )]
    };
    let bytes =
        std::fs::read(path).map_err(|e| vec![problem("", "", crate::load::io_message(&e))])?;
    let mut wb = open(&bytes).map_err(|msg| vec![problem("", "", msg)])?;
    let all = wb.sheet_names();
    if !all
        .iter()
        .any(|s| s == super::super::render::form::ID_SHEET)
    {
        return Err(vec![problem(
            super::super::render::form::ID_SHEET,
            "A1",
            Msg::NotAForm,
        )]);
    }
    let sheet = all
        .iter()
        .find(|s| sheet_names.iter().any(|n| n == *s))
        .or_else(|| all.first())
        .cloned()
        .unwrap_or_default();
    for name in [super::super::render::form::ID_SHEET, sheet.as_str()] {
        if let Some((r, c)) = too_far(&mut wb, name).map_err(|e| damaged(&e))? {
            return Err(vec![problem(name, &cell_name(r, c), Msg::FormTooFar)]);
        }
    }
    let id = wb
        .worksheet_range(super::super::render::form::ID_SHEET)
        .map_err(|e| damaged(&e))?;
    let at = |r: u32| id.get_value((r, 1)).map_or(Value::Empty, value);
    let range = wb.worksheet_range(&sheet).map_err(|e| damaged(&e))?;
    let formulas = wb.worksheet_formula(&sheet).map_err(|e| damaged(&e))?;
    let styles = wb.worksheet_style(&sheet).ok();
    // Columns by their key in row 1.
    let mut columns: BTreeMap<&'static str, u32> = BTreeMap::new();
    let width = range.end().map_or(0, |(_, c)| c + 1);
    for c in 0..width {
        if let Some(Data::String(k)) = range.get_value((0, c))
            && let Some(key) = READ.iter().find(|r| **r == k.trim())
        {
            columns.entry(key).or_insert(c);
        }
    }
    let missing: Vec<&str> = READ
        .iter()
        .filter(|k| !columns.contains_key(*k))
        .copied()
        .collect();
    if !missing.is_empty() {
        return Err(vec![problem(
            &sheet,
            "A1",
            Msg::FormKeysMissing {
                keys: missing.join(", "),
            },
        )]);
    }
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut skipped = 0;
    let height = range.end().map_or(0, |(r, _)| r + 1);
    for r in 2..height {
        let mut cells = BTreeMap::new();
        for (key, &c) in &columns {
            let name = cell_name(r, c);
            if formulas
                .get_value((r, c))
                .is_some_and(|f| !f.trim().is_empty())
            {
                problems.push(problem(
                    &sheet,
                    &name,
                    Msg::FormFormula {
                        key: key.to_string(),
                    },
                ));
                continue;
            }
            let mut v = range.get_value((r, c)).map_or(Value::Empty, value);
            if let (Value::Number(n), Some(st)) = (&v, &styles)
                && st
                    .get((r, c))
                    .and_then(|s| s.number_format.as_ref())
                    .is_some_and(|f| f.format_code.contains('%'))
            {
                v = Value::Percent(*n);
            }
            cells.insert(*key, Cell { name, value: v });
        }
        let filled = cells.get("status").is_some_and(|c| c.value != Value::Empty);
        let any = cells
            .iter()
            .filter(|(k, _)| !matches!(**k, "task" | "period" | "agency"))
            .any(|(_, c)| c.value != Value::Empty);
        if filled {
            rows.push(Row { cells });
        } else if cells.get("task").is_some_and(|c| c.value != Value::Empty) {
            if any {
                // Something filled in a row without its status: say so
                // rather than drop it in silence.
                let name = cells
                    .get("status")
                    .map_or_else(|| cell_name(r, 0), |c| c.name.clone());
                problems.push(problem(&sheet, &name, Msg::FormStatusMissing));
            } else {
                skipped += 1;
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Form {
        sheet,
        plan: at(0),
        agency: at(1),
        year: at(2),
        as_of: at(3),
        version: at(4),
        rows,
        skipped,
    })
}

/// The workbook in `bytes`, an .xlsx. A form saved back by LibreOffice in
/// its own format (.ods) or as an old Excel file (.xls) — known by its
/// first bytes, whatever its name — is refused with what to do: their
/// readers lay out every sheet whole as they open the file, where a stray
/// entry far from the form (a damaged .xls, an .ods with one cell typed
/// at row 1,000,000) takes gigabytes before anything can look at it.
fn open(bytes: &[u8]) -> Result<Xlsx<std::io::Cursor<&[u8]>>, Msg> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(Msg::FormOtherFormat {
            kind: "Excel 97-2003 (.xls)".into(),
        });
    }
    // An OpenDocument file names its kind first in the zip, uncompressed.
    let ods = bytes.starts_with(b"PK\x03\x04")
        && bytes
            .windows(46)
            .take(128)
            .any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet");
    if ods {
        return Err(Msg::FormOtherFormat {
            kind: "OpenDocument (.ods)".into(),
        });
    }
    Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| Msg::FormDamaged {
        detail: e.to_string(),
    })
}

/// Most cells a form's sheet may span, from its first filled cell to its
/// last: a sheet is read whole, cell by cell in between, and a single
/// stray entry far away (XFD1048576) would span billions. A national
/// agency's form spans a few hundred thousand.
const MAX_SPAN: u64 = 4_000_000;

/// Where a sheet of an .xlsx reaches beyond `MAX_SPAN` cells: the cell
/// farthest out, or `None` when it does not. Its cells are streamed —
/// values, formulas and formats, each of which the sheet is laid out
/// for — and nothing is kept.
fn too_far(
    wb: &mut Xlsx<std::io::Cursor<&[u8]>>,
    sheet: &str,
) -> Result<Option<(u32, u32)>, calamine::XlsxError> {
    let (mut low, mut high) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    let mut far = (0u32, 0u32);
    let mut see = |(r, c): (u32, u32)| {
        low = (low.0.min(r), low.1.min(c));
        high = (high.0.max(r), high.1.max(c));
        if u64::from(r) + u64::from(c) >= u64::from(far.0) + u64::from(far.1) {
            far = (r, c);
        }
    };
    let mut cells = wb.worksheet_cells_reader(sheet)?;
    while let Some(cell) = cells.next_cell()? {
        see(cell.get_position());
    }
    drop(cells);
    let mut cells = wb.worksheet_cells_reader(sheet)?;
    while let Some(cell) = cells.next_formula()? {
        see(cell.get_position());
    }
    drop(cells);
    let mut cells = wb.worksheet_cells_reader(sheet)?;
    while let Some((r, c, _)) = cells.next_style_id()? {
        see((r, c));
    }
    if low.0 > high.0 {
        return Ok(None);
    }
    let span = u64::from(high.0 - low.0 + 1) * u64::from(high.1 - low.1 + 1);
    Ok((span > MAX_SPAN).then_some(far))
}

/// A date cell's day number as a date (the 1900 date system of Excel and
/// LibreOffice's .xlsx files).
pub fn serial_date(days: f64) -> Option<chrono::NaiveDate> {
    if !days.is_finite() || !(1.0..=401_768.0).contains(&days) {
        return None;
    }
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_days(chrono::Days::new(days.floor() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 1), "B7");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(9, 27), "AB10");
    }

    #[test]
    fn serial_dates() {
        assert_eq!(
            serial_date(45657.0),
            chrono::NaiveDate::from_ymd_opt(2024, 12, 31)
        );
        assert_eq!(
            serial_date(45657.75),
            chrono::NaiveDate::from_ymd_opt(2024, 12, 31)
        );
        assert_eq!(serial_date(-3.0), None);
        assert_eq!(serial_date(f64::NAN), None);
    }
}
