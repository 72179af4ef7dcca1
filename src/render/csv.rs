//! CSV for spreadsheets: a machine format (ISO dates, decimal point, rates
//! 0–1) with headings in the plan's language. Every cell that a spreadsheet
//! could take for a formula is neutralised (OWASP CSV injection).

use super::{ReportView, columns, flat};
use crate::report::Counts;

/// Prefixes a cell that starts with `=`, `+`, `-`, `@`, tab, CR or LF with
/// an apostrophe, so no spreadsheet evaluates it. Numbers written by the
/// program itself never go through here.
pub fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => format!("'{s}").into(),
        _ => s.into(),
    }
}

/// Writes records to a string.
pub fn write_records(records: &[Vec<String>]) -> anyhow::Result<String> {
    let mut w = ::csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for r in records {
        w.write_record(r)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("{}", e.error()))?;
    Ok(String::from_utf8(bytes)?)
}

fn rate_cell(r: Option<f64>) -> String {
    r.map(|r| format!("{r:.4}")).unwrap_or_default()
}

fn record(year: String, code: &str, name: &str, c: &Counts) -> Vec<String> {
    let mut r = vec![year, safe(code).into_owned(), safe(name).into_owned()];
    r.extend(
        [
            c.assigned,
            c.done_on_time,
            c.done_late,
            c.in_progress,
            c.overdue,
            c.cancelled,
            c.due(),
        ]
        .iter()
        .map(u64::to_string),
    );
    r.push(rate_cell(c.on_time_rate()));
    r.push(rate_cell(c.completion_rate()));
    r.push(c.not_reported.to_string());
    r
}

/// One row per year and agency, a totals row per year, then the period
/// summary rows (year column "2021-2025"). Rates are fractions 0–1.
pub fn report(v: &ReportView<'_>) -> anyhow::Result<String> {
    let l = v.l();
    let mut header = vec![l.year.to_string(), l.code.to_string(), l.agency.to_string()];
    header.extend(columns(v.lang).iter().map(flat));
    let mut records = vec![header];
    for (year, total) in &v.report.totals {
        for r in v.report.rows.iter().filter(|r| r.year == *year) {
            let a = &v.plan.agencies[r.agency];
            records.push(record(
                year.to_string(),
                &a.code,
                v.plan.agency_name(r.agency, v.lang),
                &r.counts,
            ));
        }
        records.push(record(year.to_string(), "", l.total, total));
    }
    if let Some(summary) = &v.report.summary {
        for (agency, c) in summary {
            let a = &v.plan.agencies[*agency];
            records.push(record(
                v.span(),
                &a.code,
                v.plan.agency_name(*agency, v.lang),
                c,
            ));
        }
        records.push(record(v.span(), "", l.total, &v.report.summary_total()));
    }
    // Ongoing tasks (§12), in a table of their own below.
    if !v.report.ongoing.is_empty() {
        records.push(
            [
                l.year,
                l.code,
                l.agency,
                l.ongoing_assigned,
                l.ongoing_reported,
                l.not_reported,
            ]
            .map(String::from)
            .to_vec(),
        );
        for o in &v.report.ongoing {
            let a = &v.plan.agencies[o.agency];
            records.push(vec![
                o.year.to_string(),
                safe(&a.code).into_owned(),
                safe(v.plan.agency_name(o.agency, v.lang)).into_owned(),
                o.assigned.to_string(),
                o.reported.to_string(),
                (o.assigned - o.reported).to_string(),
            ]);
        }
    }
    write_records(&records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_first_characters_are_neutralised() {
        for s in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx"] {
            assert!(safe(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(safe("Sở Công Thương"), "Sở Công Thương");
        assert_eq!(safe(""), "");
    }
}
