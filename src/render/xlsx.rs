//! The compliance report as an Excel workbook (rust_xlsxwriter) that prints
//! as filed: a sheet per year and the period summary with the two-level
//! heading, the task appendix ("Phụ lục I") grouped by task group, and the
//! indicators. Counts are numbers, rates percentage-formatted numbers,
//! dates real dates (an extended deadline is marked in its format). Plan
//! text is only ever written as strings, so nothing in a title can become a
//! formula. Times New Roman throughout; rows are as tall as their wrapped
//! text (`fit`), pages A4 landscape at a readable scale, numbered. `due`'s
//! list as a workbook (`due_list`) follows the same rules.

use super::{AppendixGroup, AppendixRow, ReportView, Value, agency_label, columns, fit, values};
use crate::labels::{indicator_labels, kind_name, labels, state_name};
use crate::model::{AgencyId, Lang, Plan};
use crate::report::{Counts, DueCounts, DueFound, DueItem, Gather, OngoingRow};
use anyhow::Result;
use chrono::NaiveDate;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

pub const FONT: &str = "Times New Roman";
/// Body text size in points.
const PT: f64 = 11.0;

/// The formats of a report workbook.
pub struct Styles {
    pub title: Format,
    pub subject: Format,
    pub italic: Format,
    pub unit: Format,
    pub header: Format,
    pub numbering: Format,
    pub text: Format,
    pub wrap: Format,
    pub count: Format,
    pub rate: Format,
    pub date: Format,
    pub date_extended: Format,
    pub group: Format,
    pub total_text: Format,
    pub total_count: Format,
    pub total_rate: Format,
    pub notice: Format,
    /// A mark such as the "x" of an item nobody has reported on.
    pub mark: Format,
}

pub fn font(size: f64) -> Format {
    Format::new().set_font_name(FONT).set_font_size(size)
}

pub fn styles(lang: Lang) -> Styles {
    let cell = font(PT)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
        .set_text_wrap();
    let extended = labels(lang).extended_format;
    Styles {
        title: font(14.0).set_bold().set_align(FormatAlign::Center),
        subject: font(13.0)
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_text_wrap(),
        italic: font(12.0)
            .set_italic()
            .set_align(FormatAlign::Center)
            .set_text_wrap(),
        unit: font(PT).set_italic().set_align(FormatAlign::Right),
        header: cell
            .clone()
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color("#DDEBF7"),
        numbering: cell
            .clone()
            .set_italic()
            .set_font_size(8)
            .set_align(FormatAlign::Center),
        text: cell.clone(),
        wrap: cell.clone(),
        count: cell
            .clone()
            .set_num_format("#,##0")
            .set_align(FormatAlign::Right),
        rate: cell
            .clone()
            .set_num_format("0.0%")
            .set_align(FormatAlign::Right),
        date: cell.clone().set_num_format("dd/mm/yyyy"),
        date_extended: cell.clone().set_num_format(extended),
        group: cell.clone().set_bold().set_background_color("#F2F2F2"),
        total_text: cell.clone().set_bold(),
        total_count: cell.clone().set_bold().set_num_format("#,##0"),
        total_rate: cell.set_bold().set_num_format("0.0%"),
        notice: font(PT)
            .set_italic()
            .set_text_wrap()
            .set_font_color("#9C5700"),
        mark: font(PT)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top)
            .set_align(FormatAlign::Center),
    }
}

/// Excel's limit on the text of a cell, in characters.
const CELL_CHARS: usize = 32_767;

/// `s` as a cell holds it: cut to Excel's limit of 32,767 characters,
/// ending in "…", when longer — a note pasted whole into an update must
/// not make the workbook impossible to write; the plan's files keep the
/// whole text.
pub fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= CELL_CHARS || s.chars().count() <= CELL_CHARS {
        return s.into();
    }
    s.chars()
        .take(CELL_CHARS - 1)
        .chain(['…'])
        .collect::<String>()
        .into()
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
pub fn sheet_name(s: &str) -> String {
    s.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect()
}

/// A4 landscape, all columns on the width of one page (the widths are
/// chosen so that this keeps text at 9 pt or more), page numbers at the top
/// centre, the header rows repeated on every page. `side` is the left and
/// right margin in millimetres.
pub fn page_setup(
    ws: &mut Worksheet,
    widths: &[f64],
    repeat: Option<(u32, u32)>,
    side: f64,
) -> Result<()> {
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    let inch = |mm: f64| mm / 25.4;
    ws.set_landscape()
        .set_paper_size(9)
        .set_margins(
            inch(side),
            inch(side),
            inch(20.0),
            inch(15.0),
            inch(8.0),
            inch(8.0),
        )
        .set_print_fit_to_pages(1, 0)
        .set_header("&C&\"Times New Roman\"&11&P");
    if let Some((first, last)) = repeat {
        ws.set_repeat_rows(first, last)?;
    }
    Ok(())
}

/// Writes a line of text merged across `cols` columns, as tall as it wraps.
fn line(
    ws: &mut Worksheet,
    row: u32,
    cols: u16,
    text: &str,
    format: &Format,
    width: f64,
    pt: f64,
) -> Result<()> {
    let text: &str = &cell_text(text);
    if cols > 1 {
        ws.merge_range(row, 0, row, cols - 1, text, format)?;
    } else {
        ws.write_string_with_format(row, 0, text, format)?;
    }
    ws.set_row_height(row, fit::height(fit::lines(text, width, pt), pt))?;
    Ok(())
}

/// The heading lines at the top of a sheet; returns the next free row.
fn heading(
    ws: &mut Worksheet,
    v: &ReportView<'_>,
    st: &Styles,
    widths: &[f64],
    lines: &[String],
) -> Result<u32> {
    let cols = widths.len() as u16;
    let total: f64 = widths.iter().sum();
    let h = v.heading();
    line(ws, 0, cols, &h[0], &st.title, total, 14.0)?;
    line(ws, 1, cols, &h[1], &st.subject, total, 13.0)?;
    line(ws, 2, cols, &h[2], &st.italic, total, 12.0)?;
    let mut row = 4;
    for (i, text) in lines.iter().enumerate() {
        let (format, pt) = if i == 0 {
            (&st.subject, 13.0)
        } else {
            (&st.italic, 12.0)
        };
        line(ws, row, cols, text, format, total, pt)?;
        row += 1;
    }
    if let Some(notice) = v.notice() {
        line(ws, row, cols, notice, &st.notice, total, PT)?;
        row += 1;
    }
    Ok(row)
}

const COUNT_WIDTHS: [f64; 12] = [
    5.0, 28.0, 10.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 10.0, 10.0, 8.0,
];

/// The compliance table with its two-level heading and column numbers;
/// returns the next free row.
fn counts_table(
    ws: &mut Worksheet,
    v: &ReportView<'_>,
    st: &Styles,
    mut row: u32,
    rows: &[(String, Counts)],
    total: &Counts,
) -> Result<u32> {
    let l = labels(v.lang);
    let w = &COUNT_WIDTHS;
    ws.merge_range(row, 0, row, 11, l.unit_tasks, &st.unit)?;
    row += 1;
    let (top, sub) = (row, row + 1);
    let mut top_texts: Vec<(String, f64)> = Vec::new();
    for (c, text) in [(0u16, l.stt), (1, l.agency)] {
        ws.merge_range(top, c, sub, c, text, &st.header)?;
        top_texts.push((text.to_string(), w[usize::from(c)]));
    }
    let cols = columns(v.lang);
    let mut c = 2u16;
    let mut i = 0;
    while i < cols.len() {
        let col = cols[i];
        match col.group {
            Some(g) => {
                let span = cols[i..].iter().take_while(|x| x.group == Some(g)).count() as u16;
                ws.merge_range(top, c, top, c + span - 1, g, &st.header)?;
                for k in 0..span {
                    let label = cols[i + usize::from(k)].label;
                    ws.write_string_with_format(sub, c + k, label, &st.header)?;
                }
                top_texts.push((
                    g.to_string(),
                    (0..span).map(|k| w[usize::from(c + k)]).sum(),
                ));
                c += span;
                i += usize::from(span);
            }
            None => {
                ws.merge_range(top, c, sub, c, col.label, &st.header)?;
                top_texts.push((col.label.to_string(), w[usize::from(c)]));
                c += 1;
                i += 1;
            }
        }
    }
    // Both heading rows share the height the tallest heading needs.
    let needed = fit::row_height(top_texts.iter().map(|(t, w)| (t.as_str(), *w, PT)));
    ws.set_row_height(top, (needed / 2.0).max(fit::height(1, PT)))?;
    ws.set_row_height(sub, (needed / 2.0).max(fit::height(2, PT)))?;
    let numbers = super::COLUMN_NUMBERS;
    let num_row = sub + 1;
    for (c, n) in numbers.iter().enumerate() {
        ws.write_string_with_format(num_row, c as u16, *n, &st.numbering)?;
    }
    ws.set_row_height(
        num_row,
        fit::row_height(numbers.iter().zip(w).map(|(n, w)| (*n, *w, 9.0))),
    )?;
    row = num_row + 1;
    ws.set_freeze_panes(row, 2)?;
    for (k, (name, counts)) in rows.iter().enumerate() {
        ws.write_number_with_format(row, 0, (k + 1) as f64, &st.count)?;
        counts_row(ws, st, row, name, counts, false)?;
        row += 1;
    }
    ws.write_blank(row, 0, &st.total_text)?;
    counts_row(ws, st, row, l.total, total, true)?;
    Ok(row + 1)
}

fn counts_row(
    ws: &mut Worksheet,
    st: &Styles,
    row: u32,
    name: &str,
    c: &Counts,
    bold: bool,
) -> Result<()> {
    let (tf, cf, rf) = if bold {
        (&st.total_text, &st.total_count, &st.total_rate)
    } else {
        (&st.wrap, &st.count, &st.rate)
    };
    ws.write_string_with_format(row, 1, cell_text(name), tf)?;
    for (i, value) in values(c).iter().enumerate() {
        let col = 2 + i as u16;
        match *value {
            Value::Count(n) => ws.write_number_with_format(row, col, n as f64, cf)?,
            Value::Rate(Some(r)) => ws.write_number_with_format(row, col, r, rf)?,
            Value::Rate(None) => ws.write_string_with_format(row, col, "—", tf)?,
        };
    }
    ws.set_row_height(row, fit::row_height([(name, COUNT_WIDTHS[1], PT)]))?;
    Ok(())
}

/// Ongoing tasks of a year below its table (§12).
fn ongoing_table(
    ws: &mut Worksheet,
    v: &ReportView<'_>,
    st: &Styles,
    mut row: u32,
    year: i32,
    rows: &[&OngoingRow],
) -> Result<u32> {
    let l = labels(v.lang);
    row += 1;
    ws.merge_range(row, 0, row, 11, &v.ongoing_title(year), &st.subject)?;
    row += 1;
    let heads = [
        (0u16, 0u16, l.stt),
        (1, 1, l.agency),
        (2, 3, l.ongoing_assigned),
        (4, 5, l.ongoing_reported),
        (6, 7, l.not_reported),
    ];
    for (a, b, text) in heads {
        if a == b {
            ws.write_string_with_format(row, a, text, &st.header)?;
        } else {
            ws.merge_range(row, a, row, b, text, &st.header)?;
        }
    }
    ws.set_row_height(row, fit::height(2, PT))?;
    row += 1;
    for (k, o) in rows.iter().enumerate() {
        let name = v.agency(o.agency);
        ws.write_number_with_format(row, 0, (k + 1) as f64, &st.count)?;
        ws.write_string_with_format(row, 1, cell_text(&name), &st.wrap)?;
        for (a, n) in [
            (2u16, o.assigned),
            (4, o.reported),
            (6, o.assigned - o.reported),
        ] {
            ws.merge_range(row, a, row, a + 1, "", &st.count)?;
            ws.write_number_with_format(row, a, n as f64, &st.count)?;
        }
        ws.set_row_height(row, fit::row_height([(name.as_str(), COUNT_WIDTHS[1], PT)]))?;
        row += 1;
    }
    Ok(row)
}

fn counts_sheet(
    ws: &mut Worksheet,
    v: &ReportView<'_>,
    st: &Styles,
    title: String,
    rows: &[(String, Counts)],
    total: &Counts,
    year: Option<i32>,
) -> Result<()> {
    let row = heading(ws, v, st, &COUNT_WIDTHS, &[title, v.as_of_line()])?;
    let header = row + 1;
    let end = counts_table(ws, v, st, row, rows, total)?;
    if let Some(y) = year {
        let ongoing: Vec<&OngoingRow> = v.report.ongoing.iter().filter(|o| o.year == y).collect();
        if !ongoing.is_empty() {
            ongoing_table(ws, v, st, end, y, &ongoing)?;
        }
    }
    page_setup(ws, &COUNT_WIDTHS, Some((header, header + 2)), 15.0)
}

pub fn report(v: &ReportView<'_>) -> Result<Vec<u8>> {
    let st = styles(v.lang);
    let l = labels(v.lang);
    let mut wb = Workbook::new();
    // A faster compression than the default (6): a third of a national
    // workbook's time was compressing its task list. Level 3 takes as
    // long as the fastest and makes a file a sixth larger than level 6
    // (the fastest, twice as large).
    wb.set_zip_compression_level(3);
    let as_of = v.report.as_of;
    let created = ExcelDateTime::from_ymd(
        u16::try_from(chrono::Datelike::year(&as_of)).unwrap_or(1900),
        chrono::Datelike::month(&as_of) as u8,
        chrono::Datelike::day(&as_of) as u8,
    )?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_title(&v.heading()[1]),
    );
    for (year, total) in &v.report.totals {
        let rows: Vec<(String, Counts)> = v
            .report
            .rows
            .iter()
            .filter(|r| r.year == *year)
            .map(|r| (v.agency(r.agency), r.counts))
            .collect();
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&format!("{} {year}", l.year)))?;
        counts_sheet(ws, v, &st, v.year_title(*year), &rows, total, Some(*year))?;
    }
    if let Some(summary) = &v.report.summary {
        let rows: Vec<(String, Counts)> = summary.iter().map(|(a, c)| (v.agency(*a), *c)).collect();
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(l.summary_sheet))?;
        counts_sheet(
            ws,
            v,
            &st,
            v.summary_title(),
            &rows,
            &v.report.summary_total(),
            None,
        )?;
    }
    appendix_sheets(&mut wb, v, &st, &v.appendix(), SHEET_ROWS, COMMON_AFTER)?;
    if !v.indicators.is_empty() {
        indicators_sheet(wb.add_worksheet(), v, &st)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// A deadline cell: the date, in the format that marks an extended one,
/// or the words `otherwise` makes (an ongoing task's) without a deadline.
fn deadline_cell(
    ws: &mut Worksheet,
    (row, col): (u32, u16),
    deadline: Option<NaiveDate>,
    extended: bool,
    otherwise: impl FnOnce() -> String,
    st: &Styles,
) -> Result<()> {
    match deadline {
        Some(d) => {
            let format = if extended {
                &st.date_extended
            } else {
                &st.date
            };
            ws.write_datetime_with_format(row, col, excel_date(d)?, format)?;
        }
        None => {
            ws.write_string_with_format(row, col, otherwise(), &st.wrap)?;
        }
    }
    Ok(())
}

/// An Excel date from a chrono date.
pub fn excel_date(d: chrono::NaiveDate) -> Result<ExcelDateTime> {
    Ok(ExcelDateTime::from_ymd(
        u16::try_from(chrono::Datelike::year(&d)).unwrap_or(1900),
        chrono::Datelike::month(&d) as u8,
        chrono::Datelike::day(&d) as u8,
    )?)
}

const APPENDIX_WIDTHS: [f64; 10] = [4.0, 6.0, 8.0, 25.0, 15.0, 13.0, 18.0, 13.0, 11.0, 10.0];

/// The rows of a worksheet (Excel's limit).
const SHEET_ROWS: u32 = 1_048_576;

/// A sheet of the task list with more rows than this makes the height
/// most of its rows take the sheet's default, and sets only the others':
/// rust_xlsxwriter keeps every row's settings (about 200 bytes) until the
/// workbook is saved, most of a national workbook's memory. A shorter
/// list sets every row's height, so that the empty rows below it keep
/// the usual height.
const COMMON_AFTER: usize = 100_000;

/// The rows whose heights find a sheet's common height.
const SAMPLE: usize = 4096;

/// A sheet's usual row height, in pixels (15 points).
const USUAL_ROW: u32 = 20;

/// Where a task group's rows go on a sheet of the task list: the group,
/// which of its rows, and whether they go on from the sheet before.
struct Piece {
    group: usize,
    rows: std::ops::Range<usize>,
    continued: bool,
}

/// The task list, a row per occurrence, on as many sheets as Excel's limit
/// of `max_rows` rows a sheet asks for (a national plan's list runs past a
/// million rows): each sheet with the list's heading and column titles, a
/// group going on from one sheet to the next under its title marked
/// "continued", numbered on. Each sheet goes to a temporary file as it is
/// written (held as cells, a national list took most of a gigabyte);
/// without a usable temporary directory it is held as cells after all.
fn appendix_sheets(
    wb: &mut Workbook,
    v: &ReportView<'_>,
    st: &Styles,
    groups: &[AppendixGroup],
    max_rows: u32,
    common_after: usize,
) -> Result<()> {
    let l = labels(v.lang);
    let mut sheets: Vec<Vec<Piece>> = vec![Vec::new()];
    // Room for the heading and the column titles on every sheet and the
    // empty row that ends it (`appendix_sheet`), then at least a group
    // title and one row.
    let room = (max_rows.saturating_sub(appendix_top(v) + 2) as usize).max(2);
    let mut used = 0;
    for (group, g) in groups.iter().enumerate() {
        let mut start = 0;
        while start < g.rows.len() {
            if used + 2 > room {
                sheets.push(Vec::new());
                used = 0;
            }
            let end = g.rows.len().min(start + room - used - 1);
            if let Some(sheet) = sheets.last_mut() {
                sheet.push(Piece {
                    group,
                    rows: start..end,
                    continued: start > 0,
                });
            }
            used += 1 + end - start;
            start = end;
        }
    }
    for (n, pieces) in sheets.iter().enumerate() {
        let name = match n {
            0 => l.appendix_sheet.to_string(),
            _ => format!("{} ({})", l.appendix_sheet, n + 1),
        };
        let ws = long_sheet(wb, &name)?;
        appendix_sheet(ws, v, st, groups, pieces, common_after)?;
    }
    Ok(())
}

/// A new sheet named `name` for a long list: written through a temporary
/// file as it is filled (held as cells, a national list took most of a
/// gigabyte), or held as cells after all without a usable temporary
/// directory.
fn long_sheet<'w>(wb: &'w mut Workbook, name: &str) -> Result<&'w mut Worksheet> {
    let ws = match wb.add_worksheet_with_low_memory() {
        Ok(_) => {
            let last = wb.worksheets().len().saturating_sub(1);
            wb.worksheet_from_index(last)?
        }
        Err(_) => wb.add_worksheet(),
    };
    ws.set_name(sheet_name(name))?;
    Ok(ws)
}

/// The row of the task list's column titles.
fn appendix_top(v: &ReportView<'_>) -> u32 {
    // The heading's three lines, a blank, four more lines, the notice.
    8 + u32::from(v.notice().is_some())
}

/// A row's height as a sheet keeps it: in pixels.
fn pixels(points: f64) -> u32 {
    (points * 4.0 / 3.0).round() as u32
}

/// How tall a row of the task list is, in points: as its tallest cell.
fn appendix_height(r: &AppendixRow) -> f64 {
    let w = &APPENDIX_WIDTHS;
    let lead = r.lead_cell();
    fit::row_height(
        [
            (&r.task, w[1]),
            (&r.period, w[2]),
            (&r.title, w[3]),
            (&lead, w[4]),
            (&r.support, w[5]),
            (&r.deadline_text, w[6]),
            (&r.result, w[7]),
            (&r.class, w[8]),
            (&r.note, w[9]),
        ]
        .map(|(text, width)| (text.as_str(), width, PT)),
    )
}

/// The rows of `pieces`, as places in the classification.
fn rows_of<'a>(groups: &'a [AppendixGroup], pieces: &'a [Piece]) -> impl Iterator<Item = u32> + 'a {
    pieces.iter().flat_map(|p| {
        groups
            .get(p.group)
            .and_then(|g| g.rows.get(p.rows.clone()))
            .unwrap_or(&[])
            .iter()
            .copied()
    })
}

/// The height, in pixels, most of the first `SAMPLE` rows of `pieces`
/// take (the smallest of the most common).
fn common_height(v: &ReportView<'_>, groups: &[AppendixGroup], pieces: &[Piece]) -> Option<u32> {
    let mut counts: std::collections::BTreeMap<u32, usize> = Default::default();
    for at in rows_of(groups, pieces).take(SAMPLE) {
        if let Some(r) = v.appendix_row(at) {
            *counts.entry(pixels(appendix_height(&r))).or_default() += 1;
        }
    }
    let most = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|&(_, n)| n == most)
        .map(|(px, _)| px)
}

/// One sheet of the task list: its heading, its column titles, `pieces`.
/// More than `common_after` rows, and the height most rows take is the
/// sheet's default (`COMMON_AFTER`).
fn appendix_sheet(
    ws: &mut Worksheet,
    v: &ReportView<'_>,
    st: &Styles,
    groups: &[AppendixGroup],
    pieces: &[Piece],
    common_after: usize,
) -> Result<()> {
    let many = pieces.iter().map(|p| p.rows.len()).sum::<usize>() > common_after;
    let common = many.then(|| common_height(v, groups, pieces)).flatten();
    if let Some(px) = common {
        // The one row above the list left at the usual height: the blank
        // line under the heading's first three.
        ws.set_row_height_pixels(3, USUAL_ROW)?;
        ws.set_default_row_height_pixels(px);
    }
    let l = labels(v.lang);
    let w = &APPENDIX_WIDTHS;
    let title = format!("{} {}", l.appendix_title, v.span());
    let top = heading(
        ws,
        v,
        st,
        w,
        &[
            l.appendix.to_string(),
            title,
            l.attached_to.to_string(),
            v.as_of_line(),
        ],
    )?;
    let header = [
        l.stt,
        l.task,
        l.period,
        l.title,
        l.lead,
        l.support,
        l.deadline,
        l.result,
        l.status,
        l.note_evidence,
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &st.header)?;
    }
    ws.set_row_height(
        top,
        fit::row_height(header.iter().zip(w).map(|(h, w)| (*h, *w, PT))),
    )?;
    ws.set_freeze_panes(top + 1, 0)?;
    // The sheets were planned with this row as the column titles'.
    debug_assert_eq!(top, appendix_top(v));
    let mut row = top + 1;
    for piece in pieces {
        let Some(g) = groups.get(piece.group) else {
            continue;
        };
        let title = match piece.continued {
            false => format!("{}. {}", g.numeral, g.title),
            true => format!("{}. {} ({})", g.numeral, g.title, l.continued),
        };
        ws.write_string_with_format(row, 0, &g.numeral, &st.group)?;
        ws.merge_range(row, 1, row, 9, &cell_text(&title), &st.group)?;
        ws.set_row_height(
            row,
            fit::row_height([(title.as_str(), w[1..].iter().sum(), PT)]),
        )?;
        row += 1;
        let rows = g.rows.get(piece.rows.clone()).unwrap_or(&[]);
        for (i, &at) in (piece.rows.start..).zip(rows) {
            let Some(r) = v.appendix_row(at) else {
                continue;
            };
            ws.write_number_with_format(row, 0, (i + 1) as f64, &st.count)?;
            let lead = r.lead_cell();
            let texts = [
                (1u16, r.task.as_str()),
                (2, r.period.as_str()),
                (3, r.title.as_str()),
                (4, lead.as_str()),
                (5, r.support.as_str()),
                (7, r.result.as_str()),
                (8, r.class.as_str()),
                (9, r.note.as_str()),
            ];
            for (c, t) in texts {
                ws.write_string_with_format(row, c, cell_text(t), &st.wrap)?;
            }
            deadline_cell(
                ws,
                (row, 6),
                r.deadline,
                r.extended,
                || r.deadline_text.clone(),
                st,
            )?;
            let height = appendix_height(&r);
            if common != Some(pixels(height)) {
                ws.set_row_height(row, height)?;
            }
            row += 1;
        }
    }
    // A sheet that goes through a temporary file and ends on a row of its
    // own height has that row written twice by rust_xlsxwriter, the second
    // time empty — rows out of order, which Excel takes for a damaged
    // file. An empty cell under the list ends the sheet on a row of the
    // usual height instead, outside what is printed.
    ws.write_blank(row, 0, &Format::new())?;
    ws.set_print_area(0, 0, row.saturating_sub(1), 9)?;
    page_setup(ws, w, Some((top, top)), 15.0)
}

const INDICATOR_WIDTHS: [f64; 10] = [6.0, 8.0, 30.0, 20.0, 8.0, 11.0, 10.0, 9.0, 10.0, 11.0];

fn indicators_sheet(ws: &mut Worksheet, v: &ReportView<'_>, st: &Styles) -> Result<()> {
    let l = labels(v.lang);
    let il = indicator_labels(v.lang);
    ws.set_name(sheet_name(il.sheet))?;
    let w = &INDICATOR_WIDTHS;
    let top = heading(ws, v, st, w, &[il.heading.to_string(), v.as_of_line()])?;
    let header = [
        l.year,
        il.id,
        il.indicator,
        il.agency,
        il.unit,
        il.kind,
        il.target,
        il.value,
        il.state,
        il.measured_on,
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &st.header)?;
    }
    ws.set_row_height(
        top,
        fit::row_height(header.iter().zip(w).map(|(h, w)| (*h, *w, PT))),
    )?;
    ws.set_freeze_panes(top + 1, 0)?;
    for (i, r) in v.indicators.iter().enumerate() {
        let row = top + 1 + i as u32;
        let ind = &v.plan.indicators[r.indicator];
        let agency = super::agency_label(v.plan, ind.lead, v.lang);
        ws.write_number_with_format(row, 0, f64::from(r.year), &st.text)?;
        let texts = [
            (1u16, ind.id.as_str()),
            (2, ind.title.as_str()),
            (3, agency.as_str()),
            (4, ind.unit.as_str()),
            (5, kind_name(ind.kind, v.lang)),
            (8, state_name(r.state, v.lang)),
        ];
        for (c, t) in texts {
            ws.write_string_with_format(row, c, cell_text(t), &st.wrap)?;
        }
        for (c, x) in [(6, r.target), (7, r.value)] {
            match x {
                Some(x) => ws.write_number_with_format(row, c, x, &st.text)?,
                None => ws.write_string_with_format(row, c, "—", &st.text)?,
            };
        }
        match r.measure {
            Some(m) => ws.write_datetime_with_format(
                row,
                9,
                excel_date(v.plan.measures[m].date)?,
                &st.date,
            )?,
            None => ws.write_string_with_format(row, 9, "—", &st.text)?,
        };
        ws.set_row_height(
            row,
            fit::row_height(texts.iter().map(|(c, t)| (*t, w[usize::from(*c)], PT))),
        )?;
    }
    page_setup(ws, w, Some((top, top)), 15.0)
}

/// Column widths of the due workbook: STT, task, period, title, deadline,
/// days left, state, not reported.
const DUE_WIDTHS: [f64; 8] = [5.0, 8.0, 15.0, 40.0, 17.0, 9.0, 15.0, 9.0];

/// `due` as a workbook a lead attaches to a reminder: the list's heading
/// and counts, then each agency responsible now with its counts as a title
/// row and its items numbered under it — task ids and periods as text,
/// deadlines as dates (an extended one marked), days left as numbers
/// (negative when overdue), "x" where nobody has reported. A list longer
/// than a sheet goes on on the next, under the same heading.
pub fn due_list(
    plan: &Plan,
    found: &DueFound,
    counts: DueCounts,
    as_of: NaiveDate,
    within: u32,
    lang: Lang,
) -> Result<Vec<u8>> {
    due_list_in(plan, found, counts, as_of, within, lang, SHEET_ROWS)
}

/// `due_list`, at most `max_rows` rows a sheet.
fn due_list_in(
    plan: &Plan,
    found: &DueFound,
    counts: DueCounts,
    as_of: NaiveDate,
    within: u32,
    lang: Lang,
    max_rows: u32,
) -> Result<Vec<u8>> {
    let st = styles(lang);
    let l = labels(lang);
    let title = format!("{} / {}", l.overdue_heading, l.due_soon_heading);
    let lines = [
        title.clone(),
        plan.plan_title(lang).to_string(),
        format!(
            "({} {}; {})",
            l.figures_as_of,
            crate::labels::date(as_of),
            l.due_within.replace("{}", &within.to_string())
        ),
        match (counts.total(), found.len()) {
            (0, _) => l.nothing_due.to_string(),
            // A list cut by `--limit` says so, as the table does.
            (total, shown) if shown < total => format!(
                "{}\n{}",
                crate::labels::due_in_all(&counts, lang),
                crate::labels::limited(shown, total, lang)
            ),
            _ => crate::labels::due_in_all(&counts, lang),
        },
    ];
    // Where nobody has reported anything yet, the list says so (as the
    // report does), between its counts and its columns.
    let notice =
        super::due::total_with_nothing_reported(plan, as_of, counts).then_some(l.nothing_reported);
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(3);
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&excel_date(as_of)?)
            .set_title(&title),
    );
    let due = Due {
        plan,
        lang,
        as_of,
        st: &st,
        common: None,
    };
    let agencies: Vec<(AgencyId, usize)> = found.agencies().collect();
    // Most rows one height: the sheet's default, and only the others set
    // (`COMMON_AFTER`).
    let mut sample = Vec::new();
    let mut work = Gather::default();
    let mut heights: std::collections::BTreeMap<u32, usize> = Default::default();
    if found.len() > COMMON_AFTER {
        for &(agency, _) in &agencies {
            found.gather(agency, &mut sample, &mut work);
            for item in &sample {
                *heights.entry(pixels(due.row(item).height())).or_default() += 1;
            }
            if heights.values().sum::<usize>() >= SAMPLE {
                break;
            }
        }
    }
    let most = heights.values().copied().max().unwrap_or(0);
    let due = Due {
        common: heights
            .into_iter()
            .find(|&(_, n)| n == most)
            .map(|(px, _)| px),
        ..due
    };
    // Where the list has got to: the agency, and its next item.
    let (mut a, mut next) = (0, 0);
    let (mut items, mut gathered) = (Vec::new(), None);
    for sheet in 1.. {
        let name = match sheet {
            1 => l.due_sheet.to_string(),
            n => format!("{} ({n})", l.due_sheet),
        };
        let ws = long_sheet(&mut wb, &name)?;
        if let Some(px) = due.common {
            ws.set_default_row_height_pixels(px);
        }
        let top = due.top(ws, &lines, notice)?;
        let mut row = top + 1;
        // The last row an item may take: the one after it ends the sheet.
        let last = max_rows.saturating_sub(2).max(top + 2);
        while let Some(&(agency, _)) = agencies.get(a) {
            if row >= last {
                break;
            }
            if gathered != Some(agency) {
                found.gather(agency, &mut items, &mut work);
                gathered = Some(agency);
            }
            // The agency's title row, marked when it goes on from the
            // sheet before.
            let mut heading = format!(
                "{} — {}",
                agency_label(plan, agency, lang),
                crate::labels::due_counts(&found.counts_of(agency, &items), lang)
            );
            if next > 0 {
                heading = format!("{} ({})", agency_label(plan, agency, lang), l.continued);
            }
            ws.merge_range(row, 0, row, 7, &cell_text(&heading), &st.group)?;
            let total: f64 = DUE_WIDTHS.iter().sum();
            let height = fit::row_height([(heading.as_str(), total, PT)]);
            if due.common != Some(pixels(height)) {
                ws.set_row_height(row, height)?;
            }
            row += 1;
            while let Some(item) = items.get(next) {
                if row > last {
                    break;
                }
                due.write(ws, row, next + 1, item)?;
                row += 1;
                next += 1;
            }
            if next >= items.len() {
                a += 1;
                next = 0;
            }
        }
        // As under the task list: an empty cell ends the sheet on a row of
        // the usual height (`appendix_sheet`).
        ws.write_blank(row, 0, &Format::new())?;
        ws.set_print_area(0, 0, row.saturating_sub(1), 7)?;
        page_setup(ws, &DUE_WIDTHS, Some((top, top)), 15.0)?;
        if a >= agencies.len() {
            break;
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// What writing the due workbook's rows needs.
struct Due<'a> {
    plan: &'a Plan,
    lang: Lang,
    as_of: NaiveDate,
    st: &'a Styles,
    /// The sheets' default row height, in pixels, when most rows take it.
    common: Option<u32>,
}

/// One item's cells as text.
struct DueRow {
    period: String,
    title: String,
    state: String,
}

impl DueRow {
    /// How tall its row is, in points: as its tallest cell.
    fn height(&self) -> f64 {
        let w = &DUE_WIDTHS;
        fit::row_height([
            (self.period.as_str(), w[2], PT),
            (self.title.as_str(), w[3], PT),
            (self.state.as_str(), w[6], PT),
        ])
    }
}

impl Due<'_> {
    /// The sheet's heading lines, a notice under them if any, and the
    /// column titles; returns the row of the column titles.
    fn top(&self, ws: &mut Worksheet, lines: &[String; 4], notice: Option<&str>) -> Result<u32> {
        let l = labels(self.lang);
        let total: f64 = DUE_WIDTHS.iter().sum();
        let formats = [
            (&self.st.title, 14.0),
            (&self.st.subject, 13.0),
            (&self.st.italic, 12.0),
            (&self.st.italic, 12.0),
        ];
        for (row, (text, (format, pt))) in (0..).zip(lines.iter().zip(formats)) {
            line(ws, row, 8, text, format, total, pt)?;
        }
        if let Some(notice) = notice {
            line(ws, 4, 8, notice, &self.st.notice, total, PT)?;
        }
        let top = 5;
        let header = [
            l.stt,
            l.task,
            l.period,
            l.title,
            l.deadline,
            l.days_left,
            l.status,
            l.not_reported,
        ];
        for (c, h) in (0..).zip(header) {
            ws.write_string_with_format(top, c, h, &self.st.header)?;
        }
        ws.set_row_height(
            top,
            fit::row_height(header.iter().zip(&DUE_WIDTHS).map(|(h, w)| (*h, *w, PT))),
        )?;
        ws.set_freeze_panes(top + 1, 0)?;
        Ok(top)
    }

    fn row(&self, item: &DueItem) -> DueRow {
        let (plan, lang) = (self.plan, self.lang);
        let l = labels(lang);
        let mut title = plan.task_title(item.task(), lang).to_string();
        if item.reassigned {
            title = format!(
                "{title}\n({} {})",
                l.assigned_to,
                agency_label(plan, item.lead(), lang)
            );
        }
        DueRow {
            period: crate::labels::period(item.label(), lang),
            title,
            state: item
                .days()
                .map(|d| crate::labels::due_state(Some(d), false, lang))
                .unwrap_or_default(),
        }
    }

    /// Item `item`, numbered `n` in its agency's list, on row `row`.
    fn write(&self, ws: &mut Worksheet, row: u32, n: usize, item: &DueItem) -> Result<()> {
        let st = self.st;
        let cells = self.row(item);
        ws.write_number_with_format(row, 0, n as f64, &st.count)?;
        let id = &self.plan.tasks[item.task()].id;
        ws.write_string_with_format(row, 1, cell_text(id), &st.text)?;
        ws.write_string_with_format(row, 2, &cells.period, &st.wrap)?;
        ws.write_string_with_format(row, 3, cell_text(&cells.title), &st.wrap)?;
        deadline_cell(
            ws,
            (row, 4),
            item.deadline(self.as_of),
            item.extended,
            || super::deadline_words(None, false, self.lang),
            st,
        )?;
        match item.days() {
            Some(d) => ws.write_number_with_format(row, 5, f64::from(d), &st.count)?,
            None => ws.write_blank(row, 5, &st.count)?,
        };
        ws.write_string_with_format(row, 6, &cells.state, &st.wrap)?;
        let mark = if item.unreported { "x" } else { "" };
        ws.write_string_with_format(row, 7, mark, &st.mark)?;
        let height = cells.height();
        if self.common != Some(pixels(height)) {
            ws.set_row_height(row, height)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader};

    /// `check` given the demo's report as of 31/12/2025, every year.
    fn with_demo(check: impl FnOnce(&ReportView<'_>)) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let plan = crate::validate::load_plan(&dir, "demo", &crate::cache::Cache::Off)
            .plan
            .unwrap();
        let as_of = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        let classified = crate::status::classify_all(&plan, as_of);
        let years = crate::report::all_years(&plan);
        let report = crate::report::compliance(&plan, &classified, as_of, &years, None, true);
        check(&ReportView {
            plan: &plan,
            report: &report,
            lang: Lang::Vi,
            classified: &classified,
            agencies: None,
            indicators: &[],
        });
    }

    /// The task list's sheets as a workbook: at most `max_rows` rows a
    /// sheet, its most common row height the default of a sheet of more
    /// than `common_after` rows.
    fn appendix_book(v: &ReportView<'_>, max_rows: u32, common_after: usize) -> Vec<u8> {
        let mut wb = Workbook::new();
        let groups = v.appendix();
        let st = styles(Lang::Vi);
        appendix_sheets(&mut wb, v, &st, &groups, max_rows, common_after).unwrap();
        wb.save_to_buffer().unwrap()
    }

    /// Every worksheet of a workbook: its part's name and its XML.
    fn sheets(bytes: &[u8]) -> Vec<(String, String)> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut sheets = Vec::new();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let name = part.name().unwrap().to_string();
            if name.starts_with("xl/worksheets/sheet") {
                let mut xml = String::new();
                std::io::Read::read_to_string(&mut part, &mut xml).unwrap();
                sheets.push((name, xml));
            }
        }
        sheets
    }

    /// The task list's (first) sheet as written.
    fn appendix_xml(v: &ReportView<'_>, common_after: usize) -> String {
        let book = appendix_book(v, SHEET_ROWS, common_after);
        sheets(&book).swap_remove(0).1
    }

    /// A long list's sheet takes its most common row height as its
    /// default, and every row is as tall as before: the rows of the list
    /// keep their heights, the blank line under the heading the usual one.
    #[test]
    fn a_long_list_keeps_its_rows_heights_with_the_common_one_as_default() {
        with_demo(|v| {
            let every = appendix_xml(v, usize::MAX);
            let common = appendix_xml(v, 0);
            assert_ne!(every, common);
            let format = |xml: &str| {
                let start = xml.find("<sheetFormatPr").unwrap();
                let end = start + xml[start..].find("/>").unwrap() + 2;
                xml[start..end].to_string()
            };
            assert_eq!(format(&every), r#"<sheetFormatPr defaultRowHeight="15"/>"#);
            // The most common height among the rows of the list: those
            // whose first cell is a number (STT), not a text.
            let mut counts = std::collections::BTreeMap::new();
            for row in every.split("<row ").skip(1) {
                let first = row.split("<c ").nth(1).unwrap_or("");
                let first = first.split('>').next().unwrap_or("");
                if first.starts_with(r#"r="A"#) && !first.contains(" t=") {
                    let ht = row
                        .split(r#"ht=""#)
                        .nth(1)
                        .unwrap()
                        .split('"')
                        .next()
                        .unwrap();
                    *counts.entry(ht.to_string()).or_insert(0) += 1;
                }
            }
            let most = counts.values().max().unwrap();
            let heights: Vec<&String> = counts
                .iter()
                .filter(|(_, n)| *n == most)
                .map(|(h, _)| h)
                .collect();
            assert_eq!(
                format(&common),
                format!(
                    r#"<sheetFormatPr defaultRowHeight="{}" customHeight="1"/>"#,
                    heights[0]
                )
            );
            // The empty row under the list takes the sheet's default.
            let without_end = |xml: &str| {
                let start = xml.rfind("<row r=").unwrap();
                let end = xml.find("</sheetData>").unwrap();
                assert!(!xml[start..end].contains("<c "), "{}", &xml[start..end]);
                format!("{}{}", &xml[..start], &xml[end..])
            };
            assert_eq!(
                without_end(&common)
                    .replace(&format(&common), "")
                    .replace(r#"<row r="4" ht="15" customHeight="1"/>"#, ""),
                without_end(&every).replace(&format(&every), ""),
            );
        });
    }

    /// Every sheet's rows within `max_rows`, the empty one that ends it
    /// included, in order.
    fn rows_within(book: &[u8], max_rows: u32) {
        for (name, xml) in sheets(book) {
            let rows = row_numbers(&xml);
            assert!(
                rows.last().is_some_and(|&r| r <= max_rows),
                "{name}: {rows:?}"
            );
            assert!(rows.windows(2).all(|w| w[0] < w[1]), "{name}: {rows:?}");
        }
    }

    /// The row numbers of a sheet's XML, in the order written.
    fn row_numbers(xml: &str) -> Vec<u32> {
        xml.split("<row r=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().parse().unwrap())
            .collect()
    }

    /// Every sheet's rows in ascending order, each once: Excel takes
    /// anything else for a damaged file. The task list's sheet goes
    /// through a temporary file, whose writer wrote the last row twice
    /// when it had a height of its own.
    #[test]
    fn every_sheet_has_its_rows_in_order_each_once() {
        with_demo(|v| {
            let sheets = sheets(&report(v).unwrap());
            assert!(sheets.len() >= 3, "{}", sheets.len());
            for (name, xml) in sheets {
                let rows = row_numbers(&xml);
                assert!(rows.len() > 3, "{name}");
                assert!(rows.windows(2).all(|w| w[0] < w[1]), "{name}: {rows:?}");
            }
            for common_after in [0, usize::MAX] {
                let rows = row_numbers(&appendix_xml(v, common_after));
                assert!(rows.windows(2).all(|w| w[0] < w[1]), "{rows:?}");
            }
        });
    }

    #[test]
    fn a_task_list_longer_than_a_sheet_goes_on_over_sheets() {
        with_demo(a_task_list_over_sheets);
    }

    fn a_task_list_over_sheets(v: &ReportView<'_>) {
        let groups = v.appendix();
        let expected: Vec<(String, String)> = groups
            .iter()
            .flat_map(|g| v.appendix_rows(g))
            .map(|r| (r.task, r.period))
            .collect();
        // Seven rows a sheet below the column titles, and the empty row
        // that ends the sheet: several sheets, and groups that go on from
        // one to the next.
        let top = appendix_top(v);
        let max_rows = top + 1 + 7 + 1;
        let bytes = appendix_book(v, max_rows, COMMON_AFTER);
        rows_within(&bytes, max_rows);
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        assert!(names.len() >= 3, "{names:?}");
        assert_eq!(names[0], "Phụ lục I");
        assert_eq!(names[1], "Phụ lục I (2)");
        let text = |d: &Data| d.to_string();
        let (mut found, mut continued) = (Vec::new(), 0);
        let mut numbers: Vec<f64> = Vec::new();
        for name in &names {
            let range = book.worksheet_range(name).unwrap();
            assert!(range.end().unwrap().0 < max_rows, "{name}: past the sheet");
            assert_eq!(text(&range[(top as usize, 1)]), "Nhiệm vụ", "{name}");
            for row in range.rows().skip(top as usize + 1) {
                match &row[0] {
                    Data::Float(n) => {
                        numbers.push(*n);
                        found.push((text(&row[1]), text(&row[2])));
                    }
                    _ if text(&row[1]).ends_with("(tiếp theo)") => continued += 1,
                    _ => numbers.clear(),
                }
            }
        }
        assert_eq!(found, expected);
        assert!(continued >= 1);
        // Numbered on across sheets within the last group.
        let n = numbers.len();
        assert_eq!(numbers, (1..=n).map(|i| i as f64).collect::<Vec<_>>());
    }

    /// The due workbook holds the list row for row: each agency's title
    /// row, then its items numbered from 1, task ids and periods as text,
    /// deadlines as dates, days left as numbers, "x" where nobody
    /// reported; and a list longer than a sheet goes on over sheets, an
    /// agency's items going on from one to the next under its name marked
    /// "continued", its numbering too, every sheet's rows in order.
    #[test]
    fn the_due_workbook_holds_the_list_over_sheets() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let plan = crate::validate::load_plan(&dir, "demo", &crate::cache::Cache::Off)
            .plan
            .unwrap();
        let as_of = NaiveDate::from_ymd_opt(2024, 7, 1).unwrap();
        let found = crate::report::due_found(&plan, as_of, 120, None);
        let counts = found.kinds();
        // The list in order, as `due --format json` gives it.
        let mut expected = Vec::new();
        let (mut items, mut work) = (Vec::new(), Gather::default());
        for (agency, _) in found.agencies() {
            found.gather(agency, &mut items, &mut work);
            for (i, item) in items.iter().enumerate() {
                expected.push((
                    plan.agencies[agency].code.clone(),
                    (i + 1) as f64,
                    plan.tasks[item.task()].id.clone(),
                    crate::labels::period(item.label(), Lang::Vi),
                    item.days().map(f64::from),
                    item.unreported,
                ));
            }
        }
        assert!(expected.len() >= 9, "{expected:?}");
        for (max_rows, sheets_at_least) in [(SHEET_ROWS, 1), (6 + 4 + 1, 3)] {
            let bytes = due_list_in(&plan, &found, counts, as_of, 120, Lang::Vi, max_rows).unwrap();
            rows_within(&bytes, max_rows);
            let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
            let names = book.sheet_names();
            assert!(names.len() >= sheets_at_least, "{names:?}");
            assert_eq!(names[0], "Quá hạn, sắp đến hạn");
            let (mut got, mut agency, mut continued) = (Vec::new(), String::new(), 0);
            for name in &names {
                let range = book.worksheet_range(name).unwrap();
                assert_eq!(
                    range[(0, 0)].to_string(),
                    "NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH / NHIỆM VỤ SẮP ĐẾN HẠN"
                );
                assert_eq!(range[(5, 3)].to_string(), "Nội dung nhiệm vụ");
                for row in range.rows().skip(6) {
                    match &row[0] {
                        Data::Float(n) => {
                            let days = match &row[5] {
                                Data::Float(d) => Some(*d),
                                Data::Empty => None,
                                other => panic!("days left: {other:?}"),
                            };
                            assert!(
                                matches!(row[4], Data::DateTime(_)) || days.is_none(),
                                "{row:?}"
                            );
                            assert!(matches!(row[1], Data::String(_)), "{row:?}");
                            got.push((
                                agency.clone(),
                                *n,
                                row[1].to_string(),
                                row[2].to_string(),
                                days,
                                row[7] == "x",
                            ));
                        }
                        Data::String(title) => {
                            continued += usize::from(title.ends_with("(tiếp theo)"));
                            let code = title.split(')').next().and_then(|t| t.rsplit('(').next());
                            agency = code.unwrap_or_default().to_string();
                        }
                        _ => {}
                    }
                }
            }
            assert_eq!(got, expected, "{max_rows} rows a sheet");
            assert_eq!(continued > 0, sheets_at_least > 1, "{max_rows}");
        }
    }
}
