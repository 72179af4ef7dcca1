//! The compliance report as an Excel workbook (rust_xlsxwriter): a sheet per
//! year, the period summary, the task appendix and the indicators. Counts
//! are numbers, rates percentage-formatted numbers, dates real dates. Plan
//! text is only ever written as strings, so nothing in a title can become a
//! formula.

use super::ReportView;
use crate::labels::{date, indicator_labels, labels, number, state_name};
use crate::model::{IndicatorKind, Lang};
use crate::report::Counts;
use anyhow::Result;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

struct Styles {
    title: Format,
    subtitle: Format,
    header: Format,
    text: Format,
    wrap: Format,
    count: Format,
    rate: Format,
    date: Format,
    total_text: Format,
    total_count: Format,
    total_rate: Format,
}

fn styles() -> Styles {
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    Styles {
        title: Format::new().set_bold().set_font_size(13),
        subtitle: Format::new().set_italic(),
        header: cell
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color("#DDEBF7"),
        text: cell.clone(),
        wrap: cell.clone().set_text_wrap(),
        count: cell.clone().set_num_format("0"),
        rate: cell.clone().set_num_format("0.0%"),
        date: cell.clone().set_num_format("dd/mm/yyyy"),
        total_text: cell.clone().set_bold(),
        total_count: cell.clone().set_bold().set_num_format("0"),
        total_rate: cell.set_bold().set_num_format("0.0%"),
    }
}

/// Column widths in Excel units, from the longest line of each column.
struct Widths(Vec<f64>);

impl Widths {
    fn fit(&mut self, col: u16, text: &str) {
        let n = text.lines().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
        let i = usize::from(col);
        if self.0.len() <= i {
            self.0.resize(i + 1, 6.0);
        }
        // Vietnamese letters with stacked marks are a little wider.
        self.0[i] = self.0[i].max((n * 1.1 + 2.0).min(60.0));
    }

    fn apply(&self, ws: &mut Worksheet) -> Result<()> {
        for (i, w) in self.0.iter().enumerate() {
            ws.set_column_width(i as u16, *w)?;
        }
        Ok(())
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    s.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect()
}

fn title_rows(ws: &mut Worksheet, v: &ReportView<'_>, st: &Styles, subtitle: &str) -> Result<u32> {
    let heading = v.heading();
    ws.write_string_with_format(0, 0, &heading[0], &st.title)?;
    ws.write_string_with_format(1, 0, &heading[1], &st.subtitle)?;
    ws.write_string_with_format(2, 0, subtitle, &st.title)?;
    Ok(4)
}

fn counts_sheet(
    ws: &mut Worksheet,
    v: &ReportView<'_>,
    st: &Styles,
    subtitle: &str,
    rows: &[(String, String, Counts)],
    total: &Counts,
) -> Result<()> {
    let l = labels(v.lang);
    let mut widths = Widths(Vec::new());
    let top = title_rows(ws, v, st, subtitle)?;
    let mut header = vec![l.code, l.agency];
    header.extend(v.count_headings());
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &st.header)?;
        widths.fit(c as u16, if c < 2 { h } else { "Hoàn thành" });
    }
    ws.set_row_height(top, 32)?;
    ws.set_freeze_panes(top + 1, 2)?;
    let mut row = top + 1;
    let mut put = |ws: &mut Worksheet,
                   row: u32,
                   code: &str,
                   name: &str,
                   c: &Counts,
                   bold: bool|
     -> Result<()> {
        let (tf, cf, rf) = if bold {
            (&st.total_text, &st.total_count, &st.total_rate)
        } else {
            (&st.text, &st.count, &st.rate)
        };
        ws.write_string_with_format(row, 0, code, tf)?;
        ws.write_string_with_format(row, 1, name, tf)?;
        widths.fit(0, code);
        widths.fit(1, name);
        let mut col = 2;
        for n in c.values() {
            ws.write_number_with_format(row, col, n as f64, cf)?;
            col += 1;
        }
        for r in [c.on_time_rate(), c.completion_rate()] {
            match r {
                Some(r) => ws.write_number_with_format(row, col, r, rf)?,
                None => ws.write_string_with_format(row, col, "—", tf)?,
            };
            col += 1;
        }
        Ok(())
    };
    for (code, name, c) in rows {
        put(ws, row, code, name, c, false)?;
        row += 1;
    }
    put(ws, row, "", l.total, total, true)?;
    widths.apply(ws)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    Ok(())
}

pub fn report(v: &ReportView<'_>) -> Result<Vec<u8>> {
    let st = styles();
    let l = labels(v.lang);
    let mut wb = Workbook::new();
    for (year, total) in &v.report.totals {
        let rows: Vec<(String, String, Counts)> = v
            .report
            .rows
            .iter()
            .filter(|r| r.year == *year)
            .map(|r| {
                (
                    v.plan.agencies[r.agency].code.clone(),
                    v.plan.agency_name(r.agency, v.lang).to_string(),
                    r.counts,
                )
            })
            .collect();
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&format!("{} {year}", l.year)))?;
        counts_sheet(ws, v, &st, &v.year_title(*year), &rows, total)?;
    }
    if let Some(summary) = &v.report.summary {
        let rows: Vec<(String, String, Counts)> = summary
            .iter()
            .map(|(a, c)| {
                (
                    v.plan.agencies[*a].code.clone(),
                    v.plan.agency_name(*a, v.lang).to_string(),
                    *c,
                )
            })
            .collect();
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(match v.lang {
            Lang::Vi => "Tổng hợp giai đoạn",
            Lang::En => "Period summary",
        }))?;
        counts_sheet(
            ws,
            v,
            &st,
            &v.summary_title(),
            &rows,
            &v.report.summary_total(),
        )?;
    }
    appendix_sheet(wb.add_worksheet(), v, &st)?;
    if !v.indicators.is_empty() {
        indicators_sheet(wb.add_worksheet(), v, &st)?;
    }
    Ok(wb.save_to_buffer()?)
}

fn appendix_sheet(ws: &mut Worksheet, v: &ReportView<'_>, st: &Styles) -> Result<()> {
    let l = labels(v.lang);
    let (name, stt, result, note) = match v.lang {
        Lang::Vi => ("Phụ lục nhiệm vụ", "STT", "Kết quả", "Ghi chú / minh chứng"),
        Lang::En => ("Task appendix", "No.", "Result", "Note / evidence"),
    };
    ws.set_name(sheet_name(name))?;
    let subtitle = format!(
        "{} — {} {}",
        name.to_uppercase(),
        l.as_of,
        date(v.report.as_of)
    );
    let top = title_rows(ws, v, st, &subtitle)?;
    let header = [
        stt, l.task, l.period, l.title, l.lead, l.support, l.deadline, result, l.status, note,
    ];
    let mut widths = Widths(Vec::new());
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &st.header)?;
        widths.fit(c as u16, h);
    }
    ws.set_freeze_panes(top + 1, 0)?;
    for (i, r) in v.appendix().iter().enumerate() {
        let row = top + 1 + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &st.count)?;
        let texts = [
            (1, r.task.as_str()),
            (2, r.period.as_str()),
            (3, r.title.as_str()),
            (4, r.lead.as_str()),
            (5, r.support.as_str()),
            (7, r.result.as_str()),
            (8, r.class),
            (9, r.note.as_str()),
        ];
        for (c, t) in texts {
            let f = if matches!(c, 3 | 4 | 9) {
                &st.wrap
            } else {
                &st.text
            };
            ws.write_string_with_format(row, c, t, f)?;
            widths.fit(c, t);
        }
        let d = ExcelDateTime::from_ymd(
            u16::try_from(chrono::Datelike::year(&r.deadline)).unwrap_or(1900),
            chrono::Datelike::month(&r.deadline) as u8,
            chrono::Datelike::day(&r.deadline) as u8,
        )?;
        ws.write_datetime_with_format(row, 6, d, &st.date)?;
        widths.fit(6, "00/00/0000");
    }
    widths.apply(ws)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(top, top)?;
    Ok(())
}

fn indicators_sheet(ws: &mut Worksheet, v: &ReportView<'_>, st: &Styles) -> Result<()> {
    let l = labels(v.lang);
    let il = indicator_labels(v.lang);
    ws.set_name(sheet_name(match v.lang {
        Lang::Vi => "Chỉ tiêu",
        Lang::En => "Indicators",
    }))?;
    let subtitle = format!("{} — {} {}", il.heading, l.as_of, date(v.report.as_of));
    let top = title_rows(ws, v, st, &subtitle)?;
    let header = [
        l.year,
        l.code,
        il.indicator,
        l.lead,
        il.unit,
        il.kind,
        il.target,
        il.value,
        il.state,
    ];
    let mut widths = Widths(Vec::new());
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &st.header)?;
        widths.fit(c as u16, if c == 5 { "≥ / ≤" } else { h });
    }
    ws.set_freeze_panes(top + 1, 0)?;
    for (i, r) in v.indicators.iter().enumerate() {
        let row = top + 1 + i as u32;
        let ind = &v.plan.indicators[r.indicator];
        ws.write_number_with_format(row, 0, f64::from(r.year), &st.count)?;
        let kind = match ind.kind {
            IndicatorKind::AtLeast => "≥",
            IndicatorKind::AtMost => "≤",
        };
        for (c, t) in [
            (1, ind.id.as_str()),
            (2, ind.title.as_str()),
            (3, v.plan.agencies[ind.lead].code.as_str()),
            (4, ind.unit.as_str()),
            (5, kind),
            (8, state_name(r.state, v.lang)),
        ] {
            ws.write_string_with_format(row, c, t, if c == 2 { &st.wrap } else { &st.text })?;
            widths.fit(c, t);
        }
        for (c, x) in [(6, r.target), (7, r.value)] {
            match x {
                Some(x) => {
                    ws.write_number_with_format(row, c, x, &st.text)?;
                    widths.fit(c, &number(x, v.lang));
                }
                None => {
                    ws.write_string_with_format(row, c, "—", &st.text)?;
                }
            }
        }
    }
    widths.apply(ws)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    Ok(())
}
