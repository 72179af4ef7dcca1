//! Markdown (GitHub pipe tables), to paste into a report or a wiki. One
//! heading row: two-level columns read "Đã hoàn thành - Đúng hạn".

use super::{ReportView, columns, flat, values};
use crate::report::Counts;

/// A cell: pipes escaped, line breaks flattened.
pub fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn header(v: &ReportView<'_>) -> String {
    let l = v.l();
    let mut h = vec![l.stt.to_string(), l.agency.to_string()];
    h.extend(columns(v.lang).iter().map(flat));
    let align: Vec<&str> = ["---:", ":---"]
        .into_iter()
        .chain(std::iter::repeat_n("---:", h.len() - 2))
        .collect();
    format!("| {} |\n|{}|\n", h.join(" | "), align.join("|"))
}

fn row(v: &ReportView<'_>, stt: &str, name: &str, c: &Counts) -> String {
    let mut cells = vec![stt.to_string(), cell(name)];
    cells.extend(values(c).iter().map(|x| x.text(v.lang)));
    format!("| {} |\n", cells.join(" | "))
}

fn table<'r>(
    v: &ReportView<'_>,
    rows: impl Iterator<Item = (usize, &'r Counts)>,
    total: &Counts,
) -> String {
    let mut out = header(v);
    for (i, (agency, c)) in rows.enumerate() {
        out.push_str(&row(v, &(i + 1).to_string(), &v.agency(agency), c));
    }
    out.push_str(&row(v, "", &format!("**{}**", v.l().total), total));
    out
}

pub fn report(v: &ReportView<'_>) -> String {
    let l = v.l();
    let heading = v.heading();
    let mut out = format!(
        "# {}\n\n**{}**\n\n{}\n",
        cell(&heading[0]),
        cell(&heading[1]),
        cell(&heading[2])
    );
    if let Some(notice) = v.notice() {
        out.push_str(&format!("\n> {}\n", cell(notice)));
    }
    for (year, total) in &v.report.totals {
        out.push_str(&format!(
            "\n## {}\n\n{}\n\n",
            v.year_title(*year),
            v.as_of_line()
        ));
        let rows = v.report.rows.iter().filter(|r| r.year == *year);
        if rows.clone().next().is_none() {
            out.push_str(l.no_occurrences);
            out.push('\n');
        } else {
            out.push_str(&table(v, rows.map(|r| (r.agency, &r.counts)), total));
        }
        let ongoing: Vec<_> = v
            .report
            .ongoing
            .iter()
            .filter(|o| o.year == *year)
            .collect();
        if !ongoing.is_empty() {
            out.push_str(&format!(
                "\n### {}\n\n| {} | {} | {} | {} | {} |\n|---:|:---|---:|---:|---:|\n",
                v.ongoing_title(*year),
                l.stt,
                l.agency,
                l.ongoing_assigned,
                l.ongoing_reported,
                l.not_reported
            ));
            for (i, o) in ongoing.iter().enumerate() {
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {} |\n",
                    i + 1,
                    cell(&v.agency(o.agency)),
                    crate::labels::count(o.assigned, v.lang),
                    crate::labels::count(o.reported, v.lang),
                    crate::labels::count(o.assigned - o.reported, v.lang)
                ));
            }
        }
    }
    if let Some(summary) = &v.report.summary {
        out.push_str(&format!(
            "\n## {}\n\n{}\n\n",
            v.summary_title(),
            v.as_of_line()
        ));
        out.push_str(&table(
            v,
            summary.iter().map(|(a, c)| (*a, c)),
            &v.report.summary_total(),
        ));
    }
    out
}
