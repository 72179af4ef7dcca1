//! Terminal tables (comfy-table, UTF-8 borders). Widths are counted in
//! display columns, so Vietnamese text lines up.

use super::{Column, ReportView, columns, values};
use crate::report::Counts;
use crate::text::wrap;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};

/// A new table in the house style.
pub fn new_table(header: Vec<String>) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.into_iter().map(Cell::new));
    t
}

/// A right-aligned cell.
pub fn num(s: impl ToString) -> Cell {
    Cell::new(s.to_string()).set_alignment(CellAlignment::Right)
}

/// Two-level headings in one header row: a group heading stands over the
/// first of its columns and its line is left blank over the others, so
/// "Đã hoàn thành" reads over "Đúng hạn | Quá hạn".
fn header(columns: &[Column], first: &[&str]) -> Vec<String> {
    const WIDTH: usize = 10;
    let plain = |s: &str| wrap(s, WIDTH);
    let mut out: Vec<String> = first.iter().map(|s| s.to_string()).collect();
    let mut previous: Option<&str> = None;
    for c in columns {
        let text = match c.group {
            Some(g) if previous == Some(g) => format!("\n\n{}", wrap(c.label, WIDTH)),
            Some(g) => {
                let top = wrap(g, WIDTH);
                let pad = if top.contains('\n') { "" } else { "\n" };
                format!("{top}{pad}\n{}", wrap(c.label, WIDTH))
            }
            None => plain(c.label),
        };
        previous = c.group;
        out.push(text);
    }
    out
}

fn counts_cells(v: &ReportView<'_>, stt: String, name: String, c: &Counts) -> Vec<Cell> {
    let mut cells = vec![num(stt), Cell::new(name)];
    cells.extend(values(c).iter().map(|x| num(x.text(v.lang))));
    cells
}

fn counts_table<'r>(
    v: &ReportView<'_>,
    rows: impl Iterator<Item = (usize, &'r Counts)>,
    total: &Counts,
) -> Table {
    let l = v.l();
    let mut t = new_table(header(&columns(v.lang), &[l.stt, l.agency]));
    for (i, (agency, c)) in rows.enumerate() {
        t.add_row(counts_cells(
            v,
            (i + 1).to_string(),
            wrap(&v.agency(agency), 26),
            c,
        ));
    }
    t.add_row(counts_cells(v, String::new(), l.total.to_string(), total));
    t
}

/// The compliance report: title lines, a table per year with its totals row,
/// the ongoing tasks, then the period summary when there is one.
pub fn report(v: &ReportView<'_>) -> String {
    let mut out = String::new();
    for line in v.heading() {
        out.push_str(&line);
        out.push('\n');
    }
    let l = v.l();
    if let Some(notice) = v.notice() {
        out.push('\n');
        out.push_str(&wrap(notice, 100));
        out.push('\n');
    }
    for (year, total) in &v.report.totals {
        out.push('\n');
        out.push_str(&v.year_title(*year));
        out.push('\n');
        out.push_str(&v.as_of_line());
        out.push('\n');
        let rows = v.report.rows.iter().filter(|r| r.year == *year);
        if rows.clone().next().is_none() {
            out.push_str(l.no_occurrences);
            out.push('\n');
        } else {
            out.push_str(&counts_table(v, rows.map(|r| (r.agency, &r.counts)), total).to_string());
            out.push('\n');
        }
        ongoing(v, *year, &mut out);
    }
    if let Some(summary) = &v.report.summary {
        out.push('\n');
        out.push_str(&v.summary_title());
        out.push('\n');
        out.push_str(&v.as_of_line());
        out.push('\n');
        let t = counts_table(
            v,
            summary.iter().map(|(a, c)| (*a, c)),
            &v.report.summary_total(),
        );
        out.push_str(&t.to_string());
        out.push('\n');
    }
    out
}

/// The ongoing tasks of a year (§12): how many each agency has, and how
/// many it has reported on.
fn ongoing(v: &ReportView<'_>, year: i32, out: &mut String) {
    let l = v.l();
    let rows: Vec<_> = v.report.ongoing.iter().filter(|o| o.year == year).collect();
    if rows.is_empty() {
        return;
    }
    out.push('\n');
    out.push_str(&v.ongoing_title(year));
    out.push('\n');
    let mut t = new_table(vec![
        l.stt.to_string(),
        l.agency.to_string(),
        wrap(l.ongoing_assigned, 14),
        wrap(l.ongoing_reported, 14),
        wrap(l.not_reported, 14),
    ]);
    for (i, o) in rows.iter().enumerate() {
        t.add_row(vec![
            num(i + 1),
            Cell::new(wrap(&v.agency(o.agency), 30)),
            num(crate::labels::count(o.assigned, v.lang)),
            num(crate::labels::count(o.reported, v.lang)),
            num(crate::labels::count(o.assigned - o.reported, v.lang)),
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
}
