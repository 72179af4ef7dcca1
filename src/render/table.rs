//! Terminal tables (comfy-table, UTF-8 borders). Widths are counted in
//! display columns, so Vietnamese text lines up.

use super::ReportView;
use crate::labels::rate;
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

/// Splits a heading into two lines at the space nearest its middle, so
/// numeric columns stay narrow.
pub fn two_lines(s: &str) -> String {
    let n = s.chars().count();
    if n < 12 {
        return s.to_string();
    }
    let mid = n / 2;
    let best = s
        .char_indices()
        .filter(|(_, c)| *c == ' ')
        .map(|(i, _)| (s[..i].chars().count().abs_diff(mid), i))
        .min();
    match best {
        Some((_, i)) => format!("{}\n{}", &s[..i], &s[i + 1..]),
        None => s.to_string(),
    }
}

fn counts_header(v: &ReportView<'_>) -> Vec<String> {
    std::iter::once(v.l().agency.to_string())
        .chain(v.count_headings().into_iter().map(two_lines))
        .collect()
}

fn counts_cells(v: &ReportView<'_>, name: String, c: &Counts) -> Vec<Cell> {
    let mut cells = vec![Cell::new(name)];
    let mut num = |s: String| cells.push(Cell::new(s).set_alignment(CellAlignment::Right));
    for n in c.values() {
        num(n.to_string());
    }
    num(rate(c.on_time_rate(), v.lang));
    num(rate(c.completion_rate(), v.lang));
    cells
}

/// The compliance report: title lines, a table per year with its totals row,
/// then the period summary when there is one.
pub fn report(v: &ReportView<'_>) -> String {
    let mut out = String::new();
    for line in v.heading() {
        out.push_str(&line);
        out.push('\n');
    }
    let l = v.l();
    for (year, total) in &v.report.totals {
        out.push('\n');
        out.push_str(&v.year_title(*year));
        out.push('\n');
        let rows: Vec<_> = v.report.rows.iter().filter(|r| r.year == *year).collect();
        if rows.is_empty() {
            out.push_str(l.no_occurrences);
            out.push('\n');
            continue;
        }
        let mut t = new_table(counts_header(v));
        for r in rows {
            t.add_row(counts_cells(v, wrap(&v.agency(r.agency), 40), &r.counts));
        }
        t.add_row(counts_cells(v, l.total.to_string(), total));
        out.push_str(&t.to_string());
        out.push('\n');
    }
    if let Some(summary) = &v.report.summary {
        out.push('\n');
        out.push_str(&v.summary_title());
        out.push('\n');
        let mut t = new_table(counts_header(v));
        for (agency, c) in summary {
            t.add_row(counts_cells(v, wrap(&v.agency(*agency), 40), c));
        }
        t.add_row(counts_cells(
            v,
            l.total.to_string(),
            &v.report.summary_total(),
        ));
        out.push_str(&t.to_string());
        out.push('\n');
    }
    out
}
