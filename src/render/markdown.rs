//! Markdown (GitHub pipe tables), to paste into a report or a wiki.

use super::ReportView;
use crate::labels::rate;
use crate::report::Counts;

/// A cell: pipes escaped, line breaks flattened.
pub fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn header(v: &ReportView<'_>) -> String {
    let mut h = vec![v.l().agency];
    h.extend(v.count_headings());
    let align: Vec<&str> = std::iter::once(":---")
        .chain(std::iter::repeat_n("---:", h.len() - 1))
        .collect();
    format!("| {} |\n|{}|\n", h.join(" | "), align.join("|"))
}

fn row(v: &ReportView<'_>, name: &str, c: &Counts) -> String {
    let mut cells = vec![cell(name)];
    cells.extend(c.values().iter().map(u64::to_string));
    cells.push(rate(c.on_time_rate(), v.lang));
    cells.push(rate(c.completion_rate(), v.lang));
    format!("| {} |\n", cells.join(" | "))
}

pub fn report(v: &ReportView<'_>) -> String {
    let l = v.l();
    let heading = v.heading();
    let mut out = format!("# {}\n\n{}\n", cell(&heading[0]), cell(&heading[1]));
    for (year, total) in &v.report.totals {
        out.push_str(&format!("\n## {}\n\n", v.year_title(*year)));
        let rows: Vec<_> = v.report.rows.iter().filter(|r| r.year == *year).collect();
        if rows.is_empty() {
            out.push_str(l.no_occurrences);
            out.push('\n');
            continue;
        }
        out.push_str(&header(v));
        for r in rows {
            out.push_str(&row(v, &v.agency(r.agency), &r.counts));
        }
        out.push_str(&row(v, &format!("**{}**", l.total), total));
    }
    if let Some(summary) = &v.report.summary {
        out.push_str(&format!("\n## {}\n\n", v.summary_title()));
        out.push_str(&header(v));
        for (agency, c) in summary {
            out.push_str(&row(v, &v.agency(*agency), c));
        }
        out.push_str(&row(
            v,
            &format!("**{}**", l.total),
            &v.report.summary_total(),
        ));
    }
    out
}
