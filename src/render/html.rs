//! The compliance report as one self-contained HTML page that prints on A4:
//! the tables, an inline SVG bar chart of the rates per agency, the
//! indicators and the task appendix. No network, no external files. Every
//! piece of plan text is escaped by the template engine (minijinja's HTML
//! auto-escaping), never by hand.

use super::ReportView;
use crate::labels::{date, indicator_labels, labels, number, rate, state_name};
use crate::model::{IndicatorKind, Lang};
use crate::report::Counts;
use anyhow::Result;
use serde::Serialize;

const TEMPLATE: &str = include_str!("report.html");

#[derive(Serialize)]
struct RowText {
    name: String,
    cells: Vec<String>,
}

#[derive(Serialize)]
struct YearBlock {
    title: String,
    rows: Vec<RowText>,
    total: RowText,
}

#[derive(Serialize)]
struct Summary {
    title: String,
    rows: Vec<RowText>,
    total: RowText,
}

#[derive(Serialize)]
struct Bar {
    label: String,
    y: u32,
    on_time_w: u32,
    completion_w: u32,
    on_time_text: String,
    completion_text: String,
}

#[derive(Serialize)]
struct Chart {
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
    headers: Vec<&'static str>,
    no_occurrences: &'static str,
    years: Vec<YearBlock>,
    summary: Option<Summary>,
    chart: Chart,
    indicator_title: String,
    indicator_headers: Vec<&'static str>,
    indicators: Vec<IndicatorText>,
    appendix_title: String,
    appendix_headers: Vec<&'static str>,
    appendix: Vec<super::AppendixRow>,
    as_of_line: String,
}

fn row_text(v: &ReportView<'_>, name: String, c: &Counts) -> RowText {
    let mut cells: Vec<String> = c.values().iter().map(u64::to_string).collect();
    cells.push(rate(c.on_time_rate(), v.lang));
    cells.push(rate(c.completion_rate(), v.lang));
    RowText { name, cells }
}

const BAR_AREA: f64 = 360.0;

fn chart(v: &ReportView<'_>) -> Chart {
    let l = labels(v.lang);
    // The period summary when there is one, else the year shown.
    let source: Vec<(usize, Counts)> = match &v.report.summary {
        Some(s) => s.clone(),
        None => v.report.rows.iter().map(|r| (r.agency, r.counts)).collect(),
    };
    let label_width = 300;
    let bars: Vec<Bar> = source
        .iter()
        .filter(|(_, c)| c.due() > 0)
        .enumerate()
        .map(|(i, (a, c))| {
            let on_time = c.on_time_rate().unwrap_or(0.0);
            let completion = c.completion_rate().unwrap_or(0.0);
            let name = v.agency(*a);
            let label = if name.chars().count() > 46 {
                format!("{}…", name.chars().take(45).collect::<String>())
            } else {
                name
            };
            Bar {
                label,
                y: i as u32 * 36,
                on_time_w: (on_time * BAR_AREA).round() as u32,
                completion_w: (completion * BAR_AREA).round() as u32,
                on_time_text: rate(Some(on_time), v.lang),
                completion_text: rate(Some(completion), v.lang),
            }
        })
        .collect();
    Chart {
        title: match v.lang {
            Lang::Vi => format!(
                "TỶ LỆ ĐÚNG HẠN VÀ TỶ LỆ HOÀN THÀNH THEO CƠ QUAN ({})",
                v.span()
            ),
            Lang::En => format!("ON-TIME AND COMPLETION RATE PER AGENCY ({})", v.span()),
        },
        on_time: l.on_time_rate,
        completion: l.completion_rate,
        width: label_width + BAR_AREA as u32 + 60,
        height: (bars.len() as u32 * 36).max(36),
        label_width,
        bars,
    }
}

pub fn report(v: &ReportView<'_>) -> Result<String> {
    let l = labels(v.lang);
    let il = indicator_labels(v.lang);
    let mut headers = vec![l.agency];
    headers.extend(v.count_headings());
    let years = v
        .report
        .totals
        .iter()
        .map(|(year, total)| YearBlock {
            title: v.year_title(*year),
            rows: v
                .report
                .rows
                .iter()
                .filter(|r| r.year == *year)
                .map(|r| row_text(v, v.agency(r.agency), &r.counts))
                .collect(),
            total: row_text(v, l.total.to_string(), total),
        })
        .collect();
    let summary = v.report.summary.as_ref().map(|s| Summary {
        title: v.summary_title(),
        rows: s
            .iter()
            .map(|(a, c)| row_text(v, v.agency(*a), c))
            .collect(),
        total: row_text(v, l.total.to_string(), &v.report.summary_total()),
    });
    let indicators = v
        .indicators
        .iter()
        .map(|r| {
            let ind = &v.plan.indicators[r.indicator];
            let sign = match ind.kind {
                IndicatorKind::AtLeast => "≥",
                IndicatorKind::AtMost => "≤",
            };
            IndicatorText {
                year: r.year,
                title: format!("{} {}", ind.id, ind.title),
                agency: v.plan.agencies[ind.lead].code.clone(),
                unit: ind.unit.clone(),
                target: r
                    .target
                    .map_or_else(|| "—".into(), |t| format!("{sign} {}", number(t, v.lang))),
                value: r.value.map_or_else(|| "—".into(), |x| number(x, v.lang)),
                state: state_name(r.state, v.lang),
            }
        })
        .collect();
    let (appendix_title, stt, result, note) = match v.lang {
        Lang::Vi => (
            "PHỤ LỤC: DANH MỤC NHIỆM VỤ",
            "STT",
            "Kết quả",
            "Ghi chú / minh chứng",
        ),
        Lang::En => ("APPENDIX: TASKS", "No.", "Result", "Note / evidence"),
    };
    let page = Page {
        lang: match v.lang {
            Lang::Vi => "vi",
            Lang::En => "en",
        },
        heading: v.heading(),
        headers,
        no_occurrences: l.no_occurrences,
        years,
        summary,
        chart: chart(v),
        indicator_title: format!("{} — {} {}", il.heading, l.as_of, date(v.report.as_of)),
        indicator_headers: vec![
            l.year,
            il.indicator,
            l.lead,
            il.unit,
            il.target,
            il.value,
            il.state,
        ],
        indicators,
        appendix_title: format!("{appendix_title} ({})", v.span()),
        appendix_headers: vec![
            stt, l.task, l.period, l.title, l.lead, l.support, l.deadline, result, l.status, note,
        ],
        appendix: v.appendix(),
        as_of_line: format!("{} {}", l.as_of, date(v.report.as_of)),
    };
    let mut env = minijinja::Environment::new();
    // Auto-escaping follows the template name: .html escapes everything.
    env.add_template("report.html", TEMPLATE)?;
    let html = env
        .get_template("report.html")?
        .render(minijinja::value::Serde(&page))?;
    Ok(html)
}
