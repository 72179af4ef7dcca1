//! The indicators report in every text format.

use super::csv::{safe, write_records};
use super::markdown::cell;
use super::table::new_table;
use crate::labels::{date, indicator_labels, labels, number, state_name};
use crate::model::{Lang, Plan};
use crate::report::IndicatorRow;
use comfy_table::{Cell, CellAlignment};
use serde::Serialize;

/// The indicator table's columns as the table, the HTML report and the web
/// page head them (CSV adds ids and kinds; the terminal table the date).
pub fn headers(lang: Lang) -> [&'static str; 7] {
    let (l, il) = (labels(lang), indicator_labels(lang));
    [
        l.year,
        il.indicator,
        il.agency,
        il.unit,
        il.target,
        il.value,
        il.state,
    ]
}

pub struct IndicatorView<'a> {
    pub plan: &'a Plan,
    pub rows: &'a [IndicatorRow],
    pub as_of: chrono::NaiveDate,
    pub lang: Lang,
}

impl IndicatorView<'_> {
    pub fn target(&self, r: &IndicatorRow) -> String {
        let ind = &self.plan.indicators[r.indicator];
        match r.target {
            None => "—".to_string(),
            Some(t) => format!("{} {}", ind.kind.sign(), number(t, self.lang)),
        }
    }

    pub fn value(&self, r: &IndicatorRow) -> String {
        r.value
            .map_or_else(|| "—".to_string(), |v| number(v, self.lang))
    }

    pub fn agency(&self, r: &IndicatorRow) -> String {
        super::agency_label(self.plan, self.plan.indicators[r.indicator].lead, self.lang)
    }

    fn title(&self) -> String {
        indicator_labels(self.lang).heading.to_string()
    }

    fn as_of_line(&self) -> String {
        format!("({} {})", labels(self.lang).figures_as_of, date(self.as_of))
    }
}

pub fn table(v: &IndicatorView<'_>, fit: Option<usize>) -> String {
    let il = indicator_labels(v.lang);
    let mut out = super::heading(v.plan, v.lang).join("\n");
    out.push_str("\n\n");
    out.push_str(&v.title());
    out.push('\n');
    out.push_str(&v.as_of_line());
    out.push('\n');
    if v.rows.is_empty() {
        out.push_str(il.none_set);
        out.push('\n');
        return out;
    }
    let mut t = new_table(
        headers(v.lang)
            .into_iter()
            .chain([il.measured_on])
            .map(|s| crate::text::wrap(s, 12))
            .collect(),
    );
    for r in v.rows {
        let ind = &v.plan.indicators[r.indicator];
        t.add_row(vec![
            Cell::new(r.year),
            Cell::new(crate::text::wrap(&format!("{} {}", ind.id, ind.title), 44)),
            Cell::new(crate::text::wrap(&v.agency(r), 24)),
            Cell::new(&ind.unit),
            Cell::new(v.target(r)).set_alignment(CellAlignment::Right),
            Cell::new(v.value(r)).set_alignment(CellAlignment::Right),
            Cell::new(state_name(r.state, v.lang)),
            Cell::new(
                r.measure
                    .map_or_else(String::new, |m| date(v.plan.measures[m].date)),
            ),
        ]);
    }
    out.push_str(&super::table::fitted(&mut t, fit));
    out.push('\n');
    out
}

pub fn markdown(v: &IndicatorView<'_>) -> String {
    let l = labels(v.lang);
    let il = indicator_labels(v.lang);
    let heading = super::heading(v.plan, v.lang);
    let mut out = format!(
        "# {}\n\n**{}**\n\n{}\n\n## {}\n\n{}\n\n",
        cell(&heading[0]),
        cell(&heading[1]),
        cell(&heading[2]),
        v.title(),
        v.as_of_line()
    );
    out.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {} |\n|---:|:---|:---|:---|---:|---:|:---|\n",
        l.year, il.indicator, il.agency, il.unit, il.target, il.value, il.state
    ));
    for r in v.rows {
        let ind = &v.plan.indicators[r.indicator];
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            r.year,
            cell(&format!("{} {}", ind.id, ind.title)),
            cell(&v.agency(r)),
            cell(&ind.unit),
            v.target(r),
            v.value(r),
            state_name(r.state, v.lang)
        ));
    }
    out
}

pub fn csv(v: &IndicatorView<'_>) -> anyhow::Result<String> {
    let l = labels(v.lang);
    let il = indicator_labels(v.lang);
    let mut records = vec![
        [
            l.year,
            il.id,
            il.indicator,
            l.code,
            il.unit,
            il.kind,
            il.target,
            il.value,
            il.state,
            il.measured_on,
        ]
        .map(String::from)
        .to_vec(),
    ];
    for r in v.rows {
        let ind = &v.plan.indicators[r.indicator];
        records.push(vec![
            r.year.to_string(),
            safe(&ind.id).into_owned(),
            safe(&ind.title).into_owned(),
            safe(&v.plan.agencies[ind.lead].code).into_owned(),
            safe(&ind.unit).into_owned(),
            ind.kind.as_str().to_string(),
            r.target.map(|t| t.to_string()).unwrap_or_default(),
            r.value.map(|x| x.to_string()).unwrap_or_default(),
            state_name(r.state, v.lang).to_string(),
            r.measure
                .map(|m| v.plan.measures[m].date.to_string())
                .unwrap_or_default(),
        ]);
    }
    write_records(&records)
}

#[derive(Serialize)]
struct JsonIndicators<'a> {
    plan: &'a str,
    as_of: String,
    rows: Vec<JsonIndicatorRow<'a>>,
}

#[derive(Serialize)]
struct JsonIndicatorRow<'a> {
    year: i32,
    indicator: &'a str,
    agency: &'a str,
    unit: &'a str,
    target: Option<f64>,
    value: Option<f64>,
    state: &'static str,
    kind: &'static str,
    title: &'a str,
}

pub fn json(v: &IndicatorView<'_>) -> anyhow::Result<String> {
    let doc = JsonIndicators {
        plan: &v.plan.id,
        as_of: v.as_of.to_string(),
        rows: v
            .rows
            .iter()
            .map(|r| {
                let ind = &v.plan.indicators[r.indicator];
                JsonIndicatorRow {
                    year: r.year,
                    indicator: &ind.id,
                    agency: &v.plan.agencies[ind.lead].code,
                    unit: &ind.unit,
                    target: r.target,
                    value: r.value,
                    state: r.state.key(),
                    kind: ind.kind.as_str(),
                    title: &ind.title,
                }
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc)?;
    s.push('\n');
    Ok(s)
}
