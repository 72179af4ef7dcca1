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

/// `t` as text, its cells wrapped narrower where it is wider than a
/// terminal `fit` columns wide (comfy-table's dynamic arrangement). For
/// tables with one line of headings; the compliance table, whose headings
/// stand in two levels, is fitted by `Fit`.
pub fn fitted(t: &mut Table, fit: Option<usize>) -> String {
    let text = t.to_string();
    match fit {
        Some(w) if text.lines().map(super::grid::width).max().unwrap_or(0) > w => {
            t.set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(u16::try_from(w).unwrap_or(u16::MAX));
            t.to_string()
        }
        _ => text,
    }
}

/// A right-aligned cell.
pub fn num(s: impl ToString) -> Cell {
    Cell::new(s.to_string()).set_alignment(CellAlignment::Right)
}

/// How narrow a compliance table's columns are wrapped: its headings and
/// its agencies' names. `FITS[0]` is the table as printed and pasted; on
/// a terminal narrower than it, the first that fits.
#[derive(Clone, Copy, Debug)]
struct Fit {
    heading: usize,
    agency: usize,
}

const FITS: [Fit; 6] = [
    Fit::new(10, 26),
    Fit::new(9, 22),
    Fit::new(8, 20),
    Fit::new(7, 18),
    Fit::new(6, 14),
    Fit::new(6, 12),
];

impl Fit {
    const fn new(heading: usize, agency: usize) -> Fit {
        Fit { heading, agency }
    }
}

/// Two-level headings in one header row: a group heading stands over the
/// first of its columns and its line is left blank over the others, so
/// "Đã hoàn thành" reads over "Đúng hạn | Quá hạn".
fn header(columns: &[Column], first: &[&str], fit: Fit) -> Vec<String> {
    let width = fit.heading;
    // The group headings' lines (at least two), under which every
    // column's own heading starts on the same line.
    let tops = columns
        .iter()
        .filter_map(|c| c.group)
        .map(|g| wrap(g, width).lines().count())
        .max()
        .unwrap_or(0)
        .max(2);
    let mut out: Vec<String> = first.iter().map(|s| wrap(s, fit.agency)).collect();
    let mut previous: Option<&str> = None;
    for c in columns {
        let text = match c.group {
            Some(g) if previous == Some(g) => {
                format!("{}{}", "\n".repeat(tops), wrap(c.label, width))
            }
            Some(g) => {
                let top = wrap(g, width);
                let pad = "\n".repeat(tops - top.lines().count());
                format!("{top}{pad}\n{}", wrap(c.label, width))
            }
            None => wrap(c.label, width),
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

/// The compliance table of `rows` and their `total`, as wide as `FITS[0]`
/// lays it out, or, given a terminal's `width`, the widest that fits in it
/// (the narrowest when none does).
fn counts_table<'r>(
    v: &ReportView<'_>,
    rows: impl Iterator<Item = (usize, &'r Counts)> + Clone,
    total: &Counts,
    width: Option<usize>,
) -> String {
    let l = v.l();
    let draw = |fit: Fit| {
        let mut t = new_table(header(&columns(v.lang), &[l.stt, l.agency], fit));
        for (i, (agency, c)) in rows.clone().enumerate() {
            t.add_row(counts_cells(
                v,
                (i + 1).to_string(),
                wrap(&v.agency(agency), fit.agency),
                c,
            ));
        }
        t.add_row(counts_cells(v, String::new(), l.total.to_string(), total));
        t.to_string()
    };
    let mut text = draw(FITS[0]);
    for fit in &FITS[1..] {
        if width.is_none_or(|w| widest_line(&text) <= w) {
            break;
        }
        text = draw(*fit);
    }
    text
}

/// The display width of the widest line of `text`.
fn widest_line(text: &str) -> usize {
    text.lines().map(super::grid::width).max().unwrap_or(0)
}

/// The compliance report: title lines, a table per year with its totals row,
/// the ongoing tasks, then the period summary when there is one. On a
/// terminal `width` columns wide, the tables are fitted to it where they
/// can be (`Fit`); written to a file or a pipe, they are as printed.
pub fn report(v: &ReportView<'_>, width: Option<usize>) -> String {
    let mut out = String::new();
    for line in v.heading() {
        out.push_str(&line);
        out.push('\n');
    }
    let l = v.l();
    if let Some(notice) = v.notice() {
        out.push('\n');
        out.push_str(&wrap(notice, width.unwrap_or(100).clamp(40, 100)));
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
            out.push_str(&counts_table(
                v,
                rows.map(|r| (r.agency, &r.counts)),
                total,
                width,
            ));
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
            width,
        );
        out.push_str(&t);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    /// Fitted to a terminal, every table of the report — each year's and
    /// the period's — fits in 120 columns (in Vietnamese in 100 too; the
    /// English headings' long words do not wrap below 118), its headings'
    /// own lines under the groups' still side by side; not on a terminal,
    /// it is the table as printed, however wide.
    #[test]
    fn a_report_fits_a_terminal() {
        for (dir, plan) in crate::validate::shipped_plans() {
            let years: Vec<i32> = (plan.first_year..=plan.last_year).collect();
            let as_of = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
            let compliance = crate::report::compliance_of(&plan, as_of, &years, None, true);
            for lang in [Lang::Vi, Lang::En] {
                let view = ReportView {
                    plan: &plan,
                    report: &compliance,
                    lang,
                    classified: &[],
                    agencies: None,
                    indicators: &[],
                };
                let printed = report(&view, None);
                assert!(widest_line(&printed) > 120, "{dir}");
                assert_eq!(report(&view, Some(1000)), printed);
                let widths: &[usize] = match lang {
                    Lang::Vi => &[120, 100],
                    Lang::En => &[120],
                };
                for &width in widths {
                    let fitted = report(&view, Some(width));
                    assert!(
                        widest_line(&fitted) <= width,
                        "{dir} {lang:?} {width}\n{fitted}"
                    );
                    // The line each column's own heading starts on: the
                    // one under the groups' (done on time, late, …).
                    let (assigned, on_time, late) = match lang {
                        Lang::Vi => ("Tổng", "Đúng", "Quá"),
                        Lang::En => ("Assigned", "On", "Late"),
                    };
                    // The compliance tables (not the ongoing tasks').
                    let tables = fitted.split("┌").skip(1).filter(|t| t.contains(assigned));
                    for table in tables {
                        let head: Vec<&str> =
                            table.lines().take_while(|l| !l.starts_with('╞')).collect();
                        let at = |word: &str| {
                            head.iter().position(|l| l.contains(&format!("┆ {word} ")))
                        };
                        assert!(
                            at(on_time).is_some() && at(on_time) == at(late),
                            "{dir} {width}\n{table}"
                        );
                    }
                }
            }
        }
    }

    /// The agencies' and the indicators' tables fit a 120-column terminal;
    /// elsewhere they are as printed.
    #[test]
    fn one_level_tables_fit_a_terminal() {
        for (dir, plan) in crate::validate::shipped_plans() {
            let printed = crate::render::agencies::table(&plan, Lang::Vi, None);
            assert_eq!(
                crate::render::agencies::table(&plan, Lang::Vi, Some(1000)),
                printed
            );
            let fitted = crate::render::agencies::table(&plan, Lang::Vi, Some(120));
            assert!(widest_line(&fitted) <= 120, "{dir}\n{fitted}");
            let as_of = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
            let years: Vec<i32> = plan.years().collect();
            let rows = crate::report::indicator_rows(&plan, as_of, &years, None);
            let view = crate::render::indicators::IndicatorView {
                plan: &plan,
                rows: &rows,
                as_of,
                lang: Lang::Vi,
            };
            let fitted = crate::render::indicators::table(&view, Some(120));
            assert!(widest_line(&fitted) <= 120, "{dir}\n{fitted}");
        }
    }
}
