//! The compliance report as one self-contained HTML page that prints on A4
//! (Decree 30 margins, the appendix on landscape pages): the tables with
//! their two-level headings, an inline SVG bar chart of the rates per
//! agency, the ongoing tasks, the indicators and the task appendix. No
//! network, no external files, no program name. Every piece of plan text is
//! escaped by the template engine (minijinja's HTML auto-escaping), never
//! by hand.

use super::{ReportView, columns, values};
use crate::labels::{indicator_labels, labels, number, rate, state_name};
use crate::report::Counts;
use anyhow::Result;
use serde::Serialize;

const TEMPLATE: &str = include_str!("report.html");
/// The bar chart, also drawn by `kehoach serve`.
pub const CHART: &str = include_str!("chart.html");

#[derive(Serialize)]
struct RowText {
    stt: String,
    name: String,
    cells: Vec<String>,
}

#[derive(Serialize)]
struct Block {
    title: String,
    rows: Vec<RowText>,
    total: RowText,
    ongoing: Vec<RowText>,
    ongoing_title: String,
}

/// The two header rows of a compliance table: (text, colspan, rowspan).
#[derive(Serialize)]
struct Headers {
    top: Vec<(String, usize, usize)>,
    sub: Vec<String>,
    numbers: [&'static str; 12],
}

#[derive(Serialize)]
struct Bar {
    lines: Vec<String>,
    y: u32,
    bar_y: u32,
    on_time_w: u32,
    completion_w: u32,
    on_time_text: String,
    completion_text: String,
}

#[derive(Serialize)]
pub struct Chart {
    title: String,
    on_time: &'static str,
    completion: &'static str,
    width: u32,
    height: u32,
    label_width: u32,
    bars: Vec<Bar>,
}

#[derive(Serialize)]
struct IndicatorText {
    year: i32,
    title: String,
    agency: String,
    unit: String,
    target: String,
    value: String,
    state: &'static str,
}

#[derive(Serialize)]
struct Page {
    lang: &'static str,
    heading: Vec<String>,
    as_of_line: String,
    notice: Option<&'static str>,
    unit: &'static str,
    headers: Headers,
    no_occurrences: &'static str,
    ongoing_headers: Vec<&'static str>,
    years: Vec<Block>,
    summary: Option<Block>,
    chart: Chart,
    indicator_title: String,
    indicator_headers: Vec<&'static str>,
    indicators: Vec<IndicatorText>,
    appendix_label: &'static str,
    appendix_title: String,
    appendix_attached: &'static str,
    appendix_headers: Vec<&'static str>,
}

fn row_text(v: &ReportView<'_>, stt: String, name: String, c: &Counts) -> RowText {
    RowText {
        stt,
        name,
        cells: values(c).iter().map(|x| x.text(v.lang)).collect(),
    }
}

fn headers(v: &ReportView<'_>) -> Headers {
    let l = v.l();
    let mut top = vec![(l.stt.to_string(), 1, 2), (l.agency.to_string(), 1, 2)];
    let mut sub = Vec::new();
    for c in columns(v.lang) {
        match c.group {
            Some(g) => {
                match top.last_mut() {
                    Some((text, span, _)) if text == g => *span += 1,
                    _ => top.push((g.to_string(), 1, 1)),
                }
                sub.push(c.label.to_string());
            }
            None => top.push((c.label.to_string(), 1, 2)),
        }
    }
    Headers {
        top,
        sub,
        numbers: super::COLUMN_NUMBERS,
    }
}

fn block<'r>(
    v: &ReportView<'_>,
    title: String,
    rows: impl Iterator<Item = (usize, &'r Counts)>,
    total: &Counts,
    year: Option<i32>,
) -> Block {
    let ongoing = match year {
        Some(y) => v
            .report
            .ongoing
            .iter()
            .filter(|o| o.year == y)
            .enumerate()
            .map(|(i, o)| RowText {
                stt: (i + 1).to_string(),
                name: v.agency(o.agency),
                cells: [o.assigned, o.reported, o.assigned - o.reported]
                    .iter()
                    .map(|n| crate::labels::count(*n, v.lang))
                    .collect(),
            })
            .collect(),
        None => Vec::new(),
    };
    Block {
        title,
        rows: rows
            .enumerate()
            .map(|(i, (a, c))| row_text(v, (i + 1).to_string(), v.agency(a), c))
            .collect(),
        total: row_text(v, String::new(), v.l().total.to_string(), total),
        ongoing,
        ongoing_title: year.map(|y| v.ongoing_title(y)).unwrap_or_default(),
    }
}

const BAR_AREA: f64 = 300.0;
const LABEL_CHARS: usize = 36;

pub fn chart(v: &ReportView<'_>) -> Chart {
    let l = labels(v.lang);
    // The period summary when there is one, else the year shown.
    let source: Vec<(usize, Counts)> = match &v.report.summary {
        Some(s) => s.clone(),
        None => v.report.rows.iter().map(|r| (r.agency, r.counts)).collect(),
    };
    let label_width = 260;
    let mut y = 0;
    let bars: Vec<Bar> = source
        .iter()
        .filter(|(_, c)| c.due() > 0)
        .map(|(a, c)| {
            let on_time = c.on_time_rate().unwrap_or(0.0);
            let completion = c.completion_rate().unwrap_or(0.0);
            let lines: Vec<String> = crate::text::wrap(&v.agency(*a), LABEL_CHARS)
                .lines()
                .map(String::from)
                .collect();
            let height = (lines.len() as u32 * 14).max(30) + 8;
            let bar = Bar {
                bar_y: y + (height - 30) / 2,
                y,
                lines,
                on_time_w: (on_time * BAR_AREA).round() as u32,
                completion_w: (completion * BAR_AREA).round() as u32,
                on_time_text: rate(Some(on_time), v.lang),
                completion_text: rate(Some(completion), v.lang),
            };
            y += height;
            bar
        })
        .collect();
    Chart {
        title: format!(
            "{} {} {}",
            l.chart_title,
            if v.report.years.len() > 1 {
                l.chart_period
            } else {
                l.chart_year
            },
            v.span()
        ),
        on_time: l.on_time_rate,
        completion: l.completion_rate,
        width: label_width + BAR_AREA as u32 + 60,
        height: y.max(30),
        label_width,
        bars,
    }
}

/// The report as one printable page, written to `out` as it is made: a
/// national year's task list is a page of a hundred megabytes.
pub fn report(v: &ReportView<'_>, out: &mut dyn std::io::Write) -> Result<()> {
    let l = labels(v.lang);
    let il = indicator_labels(v.lang);
    let years = v
        .report
        .totals
        .iter()
        .map(|(year, total)| {
            block(
                v,
                v.year_title(*year),
                v.report
                    .rows
                    .iter()
                    .filter(|r| r.year == *year)
                    .map(|r| (r.agency, &r.counts)),
                total,
                Some(*year),
            )
        })
        .collect();
    let summary = v.report.summary.as_ref().map(|s| {
        block(
            v,
            v.summary_title(),
            s.iter().map(|(a, c)| (*a, c)),
            &v.report.summary_total(),
            None,
        )
    });
    let indicators = v
        .indicators
        .iter()
        .map(|r| {
            let ind = &v.plan.indicators[r.indicator];
            IndicatorText {
                year: r.year,
                title: format!("{} {}", ind.id, ind.title),
                agency: super::agency_label(v.plan, ind.lead, v.lang),
                unit: ind.unit.clone(),
                target: r.target.map_or_else(
                    || "—".into(),
                    |t| format!("{} {}", ind.kind.sign(), number(t, v.lang)),
                ),
                value: r.value.map_or_else(|| "—".into(), |x| number(x, v.lang)),
                state: state_name(r.state, v.lang),
            }
        })
        .collect();
    let page = Page {
        lang: v.lang.code(),
        heading: v.heading(),
        as_of_line: v.as_of_line(),
        notice: v.notice(),
        unit: l.unit_tasks,
        headers: headers(v),
        no_occurrences: l.no_occurrences,
        ongoing_headers: vec![
            l.stt,
            l.agency,
            l.ongoing_assigned,
            l.ongoing_reported,
            l.not_reported,
        ],
        years,
        summary,
        chart: chart(v),
        indicator_title: il.heading.to_string(),
        indicator_headers: super::indicators::headers(v.lang).to_vec(),
        indicators,
        appendix_label: l.appendix,
        appendix_title: format!("{} {}", l.appendix_title, v.span()),
        appendix_attached: l.attached_to,
        appendix_headers: vec![
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
        ],
    };
    let mut env = minijinja::Environment::new();
    // Auto-escaping follows the template name: .html escapes everything.
    env.add_template("chart.html", CHART)?;
    env.add_template("report.html", TEMPLATE)?;
    let html = env
        .get_template("report.html")?
        .render(minijinja::value::Serde(&page))?;
    // The task list, a row per occurrence, goes into the body of the
    // page's last table. Through the template, a national list (290,000
    // rows) became a tree of template values most of a gigabyte large.
    const BODY: &str = "<tbody>\n";
    let at = html.rfind(BODY).map_or(html.len(), |i| i + BODY.len());
    out.write_all(&html.as_bytes()[..at])?;
    let mut rows = String::new();
    for g in v.appendix() {
        appendix_group(&mut rows, out, v, &g)?;
    }
    out.write_all(rows.as_bytes())?;
    out.write_all(&html.as_bytes()[at..])?;
    Ok(())
}

/// A task group of the task list, as the template wrote it: its title
/// row, then a row per occurrence numbered from 1 — made in `out`, written
/// to `to` whenever it holds 64 KiB.
fn appendix_group(
    out: &mut String,
    to: &mut dyn std::io::Write,
    v: &ReportView<'_>,
    g: &super::AppendixGroup,
) -> std::io::Result<()> {
    out.push_str("<tr class=\"group\"><td class=\"n\">");
    escape(out, &g.numeral);
    out.push_str("</td><td colspan=\"9\">");
    escape(out, &g.title);
    out.push_str("</td></tr>\n");
    for (i, r) in g.rows.iter().filter_map(|&r| v.appendix_row(r)).enumerate() {
        out.push_str("<tr class=\"");
        escape(out, r.class_key);
        out.push_str("\"><td class=\"n\">");
        out.push_str(&(i + 1).to_string());
        let lead = r.lead_cell();
        for cell in [
            &r.task,
            &r.period,
            &r.title,
            &lead,
            &r.support,
            &r.deadline_text,
            &r.result,
            &r.class,
            &r.note,
        ] {
            out.push_str("</td><td>");
            escape(out, cell);
        }
        out.push_str("</td></tr>\n");
        if out.len() >= 1 << 16 {
            to.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    Ok(())
}

/// Text escaped as the template escapes it (minijinja's HTML escaping).
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '/' => out.push_str("&#x2f;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod escape_tests {
    #[test]
    fn rows_are_escaped_as_the_template_escapes() {
        let mut env = minijinja::Environment::new();
        env.add_template("t.html", "{{ x }}").unwrap();
        for x in [
            "Sở Công Thương (SCT)",
            "<b>&amp;</b> \"q\" 'a' / \\ — 50%",
            "a\nb\tc",
            "",
        ] {
            let theirs = env
                .get_template("t.html")
                .unwrap()
                .render(minijinja::context! { x })
                .unwrap();
            let mut ours = String::new();
            super::escape(&mut ours, x);
            assert_eq!(ours, theirs);
        }
    }
}
