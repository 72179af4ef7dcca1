//! JSON exactly in the shape of spec §7 (more keys may be added, none
//! renamed). Rates are unrounded.

use super::ReportView;
use crate::report::Counts;
use serde::Serialize;

#[derive(Serialize)]
struct JsonReport<'a> {
    plan: &'a str,
    as_of: String,
    rows: Vec<JsonRow<'a>>,
    totals: Vec<JsonTotal>,
    years: &'a [i32],
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<JsonSummary<'a>>,
    ongoing: Vec<JsonOngoing<'a>>,
}

#[derive(Serialize)]
struct JsonOngoing<'a> {
    year: i32,
    agency: &'a str,
    assigned: u64,
    reported: u64,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    year: i32,
    agency: &'a str,
    #[serde(flatten)]
    counts: JsonCounts,
}

#[derive(Serialize)]
struct JsonTotal {
    year: i32,
    #[serde(flatten)]
    counts: JsonCounts,
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    first_year: i32,
    last_year: i32,
    rows: Vec<JsonSummaryRow<'a>>,
    total: JsonCounts,
}

#[derive(Serialize)]
struct JsonSummaryRow<'a> {
    agency: &'a str,
    #[serde(flatten)]
    counts: JsonCounts,
}

#[derive(Serialize)]
struct JsonCounts {
    assigned: u64,
    done_on_time: u64,
    done_late: u64,
    in_progress: u64,
    overdue: u64,
    cancelled: u64,
    not_reported: u64,
    on_time_rate: Option<f64>,
    completion_rate: Option<f64>,
}

impl From<&Counts> for JsonCounts {
    fn from(c: &Counts) -> Self {
        JsonCounts {
            assigned: c.assigned,
            done_on_time: c.done_on_time,
            done_late: c.done_late,
            in_progress: c.in_progress,
            overdue: c.overdue,
            cancelled: c.cancelled,
            not_reported: c.not_reported,
            on_time_rate: c.on_time_rate(),
            completion_rate: c.completion_rate(),
        }
    }
}

pub fn report(v: &ReportView<'_>) -> anyhow::Result<String> {
    let r = v.report;
    let json = JsonReport {
        plan: &v.plan.id,
        as_of: r.as_of.to_string(),
        rows: r
            .rows
            .iter()
            .map(|row| JsonRow {
                year: row.year,
                agency: &v.plan.agencies[row.agency].code,
                counts: (&row.counts).into(),
            })
            .collect(),
        totals: r
            .totals
            .iter()
            .map(|(year, c)| JsonTotal {
                year: *year,
                counts: c.into(),
            })
            .collect(),
        years: &r.years,
        summary: r.summary.as_ref().map(|s| JsonSummary {
            first_year: r.years.first().copied().unwrap_or(0),
            last_year: r.years.last().copied().unwrap_or(0),
            rows: s
                .iter()
                .map(|(a, c)| JsonSummaryRow {
                    agency: &v.plan.agencies[*a].code,
                    counts: c.into(),
                })
                .collect(),
            total: (&r.summary_total()).into(),
        }),
        ongoing: r
            .ongoing
            .iter()
            .map(|o| JsonOngoing {
                year: o.year,
                agency: &v.plan.agencies[o.agency].code,
                assigned: o.assigned,
                reported: o.reported,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&json)?;
    s.push('\n');
    Ok(s)
}

/// `value` as a member of a list that is a top-level key's value: after a
/// comma unless it is the `first`, pretty printed (into `scratch`, emptied
/// first) and then copied with four more spaces after every line break — a
/// pretty printer writes a value in many pieces of a few bytes, and
/// indenting each piece as it came took a third of a national list's time.
pub fn list_member(
    out: &mut Vec<u8>,
    scratch: &mut Vec<u8>,
    value: &impl Serialize,
    first: bool,
) -> serde_json::Result<()> {
    scratch.clear();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut *scratch,
        serde_json::ser::PrettyFormatter::with_indent(b"  "),
    );
    value.serialize(&mut ser)?;
    out.extend_from_slice(if first { b"\n    " } else { b",\n    " });
    // Indented as a member of the list (six spaces for its keys); a line
    // break inside a string is written escaped, so every one here is the
    // printer's.
    let mut start = 0;
    for at in memchr::memchr_iter(b'\n', scratch) {
        out.extend_from_slice(scratch.get(start..at).unwrap_or(&[]));
        out.extend_from_slice(b"\n    ");
        start = at + 1;
    }
    out.extend_from_slice(scratch.get(start..).unwrap_or(&[]));
    Ok(())
}
