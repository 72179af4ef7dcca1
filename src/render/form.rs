//! The agency form (phiếu báo cáo, spec §13): one workbook for one agency
//! and year, to fill in and send back for `kehoach import`. Row 1 (hidden)
//! holds the machine keys of the columns, row 2 the headings, rows 3… one
//! occurrence each; the columns to fill are empty and unlocked, all else is
//! locked; a hidden sheet `kehoach` says which plan, agency, year and date
//! the form is for. Prints on A4 landscape with rows as tall as their text.

use super::xlsx::{FONT, excel_date, font, page_setup, sheet_name};
use super::{agency_label, fit};
use crate::labels::{date, form_statuses, labels, state_of};
use crate::model::{AgencyId, Lang, Plan};
use crate::status::Classified;
use anyhow::Result;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Workbook, Worksheet,
};

/// The machine keys of the columns, in order (§13).
pub const KEYS: [&str; 13] = [
    "task", "period", "agency", "title", "deadline", "current", "status", "date", "percent",
    "evidence", "note", "new_due", "decision",
];

/// The first column the agency fills in (`status`).
pub const FIRST_FILLED: usize = 6;

/// The version of the form layout, in `kehoach!B5`.
pub const FORM_VERSION: u32 = 1;

/// The sheet holding the rows, and the one holding the form's identity.
pub fn form_sheet(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Phiếu báo cáo",
        Lang::En => "Report form",
    }
}

pub const ID_SHEET: &str = "kehoach";

const WIDTHS: [f64; 13] = [
    6.0, 8.0, 8.0, 24.0, 10.0, 14.0, 12.0, 10.0, 6.0, 14.0, 10.0, 10.0, 12.0,
];
const PT: f64 = 11.0;

/// What a form shows.
pub struct FormView<'a> {
    pub plan: &'a Plan,
    pub agency: AgencyId,
    pub year: i32,
    pub as_of: chrono::NaiveDate,
    pub lang: Lang,
    /// The occurrences attributed to the agency that year, in plan order.
    pub rows: &'a [&'a Classified],
}

fn headings(lang: Lang) -> [&'static str; 13] {
    let l = labels(lang);
    match lang {
        Lang::Vi => [
            l.task,
            l.period,
            "Cơ quan",
            l.title,
            l.deadline,
            "Tình hình đến nay",
            l.status,
            "Ngày",
            "Tỷ lệ (%)",
            l.evidence,
            l.note,
            "Gia hạn đến ngày",
            "Văn bản cho phép gia hạn, dừng thực hiện",
        ],
        Lang::En => [
            l.task,
            l.period,
            "Agency",
            l.title,
            l.deadline,
            "So far",
            l.status,
            "Date",
            "Percent",
            l.evidence,
            l.note,
            "Extended to",
            "Decision (extension, stop)",
        ],
    }
}

/// The state shown in `current`: "Đang thực hiện (cập nhật 20/06/2024)", or
/// "Chưa báo cáo".
pub fn current(c: &Classified, lang: Lang) -> String {
    match c.eval.last_date {
        None => labels(lang).not_reported.to_string(),
        Some(day) => {
            let word = match lang {
                Lang::Vi => "cập nhật",
                Lang::En => "updated",
            };
            format!(
                "{} ({word} {})",
                state_of(c.eval.class, c.eval.status, lang),
                date(day)
            )
        }
    }
}

/// The title printed in the page header: plan, agency, year, date.
pub fn title(v: &FormView<'_>) -> String {
    let l = labels(v.lang);
    let head = match v.lang {
        Lang::Vi => "PHIẾU BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH SỐ",
        Lang::En => "PROGRESS REPORT FORM, PLAN NO.",
    };
    let year = match v.lang {
        Lang::Vi => "năm",
        Lang::En => "year",
    };
    format!(
        "{head} {} — {} — {year} {} — {} {}",
        v.plan.id,
        agency_label(v.plan, v.agency, v.lang),
        v.year,
        l.figures_as_of,
        date(v.as_of)
    )
}

pub fn workbook(v: &FormView<'_>) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let created = excel_date(v.as_of)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_title(title(v)),
    );
    rows_sheet(wb.add_worksheet(), v)?;
    instructions_sheet(wb.add_worksheet(), v)?;
    identity_sheet(wb.add_worksheet(), v)?;
    Ok(wb.save_to_buffer()?)
}

fn rows_sheet(ws: &mut Worksheet, v: &FormView<'_>) -> Result<()> {
    ws.set_name(form_sheet(v.lang))?;
    let cell = font(PT)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
        .set_text_wrap();
    let locked = cell.clone().set_background_color("#F2F2F2");
    let header = cell
        .clone()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("#DDEBF7");
    let open = cell.clone().set_unlocked();
    let open_date = open.clone().set_num_format("dd/mm/yyyy");
    let open_percent = open.clone().set_num_format("0");
    let locked_date = locked.clone().set_num_format("dd/mm/yyyy");
    let key = font(8.0).set_font_color("#808080");
    for (c, k) in KEYS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *k, &key)?;
    }
    ws.set_row_hidden(0)?;
    let heads = headings(v.lang);
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &header)?;
    }
    ws.set_row_height(
        1,
        fit::row_height(heads.iter().zip(WIDTHS).map(|(h, w)| (*h, w, PT))),
    )?;
    let plan = v.plan;
    for (i, c) in v.rows.iter().enumerate() {
        let row = 2 + i as u32;
        let occ = &plan.occurrences[c.occurrence()];
        let task = &plan.tasks[occ.task()];
        let agency = if plan.agencies[task.lead].is_group() {
            occ.lead()
        } else {
            c.agency()
        };
        let texts = [
            (0u16, task.id.clone()),
            (1, occ.label().to_string()),
            (2, plan.agencies[agency].code.clone()),
            (3, plan.task_title(occ.task(), v.lang).to_string()),
            (5, current(c, v.lang)),
        ];
        for (col, text) in &texts {
            ws.write_string_with_format(row, *col, super::xlsx::cell_text(text), &locked)?;
        }
        match c.eval.deadline {
            Some(d) => ws.write_datetime_with_format(row, 4, excel_date(d)?, &locked_date)?,
            None => {
                ws.write_string_with_format(row, 4, super::deadline_text(plan, c, v.lang), &locked)?
            }
        };
        for (col, key) in KEYS.iter().enumerate().skip(FIRST_FILLED) {
            let format = match *key {
                "date" | "new_due" => &open_date,
                "percent" => &open_percent,
                _ => &open,
            };
            ws.write_blank(row, col as u16, format)?;
        }
        let height = fit::row_height(
            texts
                .iter()
                .map(|(c, t)| (t.as_str(), WIDTHS[usize::from(*c)], PT)),
        );
        // Room to write by hand on a printout, too.
        ws.set_row_height(row, height.max(fit::height(2, PT)))?;
    }
    validations(ws, v)?;
    ws.set_freeze_panes(2, 1)?;
    ws.protect();
    page_setup(ws, &WIDTHS, Some((1, 1)), 10.0)?;
    ws.set_header(page_header(v));
    ws.set_footer("&R&P/&N");
    ws.set_active(true);
    Ok(())
}

/// The page header: the form's title, at most 255 characters as Excel asks.
fn page_header(v: &FormView<'_>) -> String {
    let escaped = title(v).replace('&', "&&");
    let text: String = escaped.chars().take(200).collect();
    format!("&C&\"{FONT},Bold\"&11{text}")
}

/// The status list, dates and a whole percent, where the form allows.
fn validations(ws: &mut Worksheet, v: &FormView<'_>) -> Result<()> {
    let last = (1 + v.rows.len()).max(2) as u32;
    let col = |k: &str| KEYS.iter().position(|x| *x == k).unwrap_or(0) as u16;
    let (title, message) = match v.lang {
        Lang::Vi => ("Tình trạng", "Chọn một tình trạng trong danh sách"),
        Lang::En => ("Status", "Choose a status from the list"),
    };
    let statuses = DataValidation::new()
        .allow_list_strings(&form_statuses(v.lang))?
        .set_input_title(title)?
        .set_input_message(message)?;
    ws.add_data_validation(2, col("status"), last, col("status"), &statuses)?;
    let first = ExcelDateTime::from_ymd(1900, 1, 1)?;
    let end = ExcelDateTime::from_ymd(2999, 12, 31)?;
    let (title, message) = match v.lang {
        Lang::Vi => ("Ngày", "Nhập ngày dạng 31/12/2024"),
        Lang::En => ("Date", "Enter a date such as 31/12/2024"),
    };
    let dates = DataValidation::new()
        .allow_date(DataValidationRule::Between(first, end))
        .set_error_title(title)?
        .set_error_message(message)?;
    ws.add_data_validation(2, col("date"), last, col("date"), &dates)?;
    ws.add_data_validation(2, col("new_due"), last, col("new_due"), &dates)?;
    let percent = DataValidation::new().allow_whole_number(DataValidationRule::Between(0, 100));
    ws.add_data_validation(2, col("percent"), last, col("percent"), &percent)?;
    Ok(())
}

fn instructions_sheet(ws: &mut Worksheet, v: &FormView<'_>) -> Result<()> {
    let name = match v.lang {
        Lang::Vi => "Hướng dẫn",
        Lang::En => "Instructions",
    };
    ws.set_name(sheet_name(name))?;
    let statuses = form_statuses(v.lang).join(", ");
    let mut lines: Vec<String> = match v.lang {
        Lang::Vi => vec![
            title(v),
            String::new(),
            "Cách điền phiếu".to_string(),
            format!("1. Mỗi dòng của trang \"{}\" là một nhiệm vụ của cơ quan trong năm {}.", form_sheet(v.lang), v.year),
            "2. Cột \"Tình hình đến nay\" cho biết số liệu đã có; không sửa các cột tô xám.".to_string(),
            format!("3. Điền \"Tình trạng\" (chọn trong danh sách: {statuses}) và \"Ngày\" (ngày có kết quả, dạng 31/12/2024) cho nhiệm vụ có kết quả mới. Dòng để trống \"Tình trạng\" được bỏ qua."),
            "4. \"Tỷ lệ (%)\" là số nguyên từ 0 đến 100; \"Đã hoàn thành\" là 100.".to_string(),
            "5. Ghi văn bản, tài liệu kiểm chứng (số, ngày báo cáo) để kết quả được ghi nhận.".to_string(),
            "6. Nhiệm vụ được gia hạn hoặc dừng thực hiện: ghi \"Gia hạn đến ngày\" (muộn hơn thời hạn hiện tại) và văn bản cho phép; dừng thực hiện luôn cần văn bản cho phép.".to_string(),
            "7. Không thêm, xóa hay đổi tên cột; có thể đổi thứ tự cột. Không dùng công thức.".to_string(),
            "8. Lưu tệp dạng .xlsx (Excel hoặc LibreOffice Calc) và gửi lại cho cơ quan đầu mối.".to_string(),
        ],
        Lang::En => vec![
            title(v),
            String::new(),
            "How to fill in this form".to_string(),
            format!("1. Each row of the sheet \"{}\" is one task of the agency in {}.", form_sheet(v.lang), v.year),
            "2. \"So far\" shows what is on record; do not change the grey columns.".to_string(),
            format!("3. Fill in \"Status\" (from the list: {statuses}) and \"Date\" (when, e.g. 31/12/2024) for each task with news. Rows with an empty status are skipped."),
            "4. \"Percent\" is a whole number from 0 to 100; \"Done\" is 100.".to_string(),
            "5. Name the document that proves it (number and date of the report).".to_string(),
            "6. An extension or a stop: fill in \"Extended to\" (later than the current deadline) and the decision approving it; a stop always needs its decision.".to_string(),
            "7. Do not add, delete or rename columns; moving them is fine. No formulas.".to_string(),
            "8. Save as .xlsx (Excel or LibreOffice Calc) and send it back to the focal agency.".to_string(),
        ],
    };
    // A task done on request gets its deadline from the request, written
    // where an extension is.
    let on_request = v.rows.iter().any(|c| {
        let occ = &v.plan.occurrences[c.occurrence()];
        v.plan.tasks[occ.task()].due.on_request()
    });
    if on_request {
        lines.insert(9, match v.lang {
            Lang::Vi => "   Nhiệm vụ \"Khi có yêu cầu\": khi nhận văn bản yêu cầu, ghi thời hạn theo yêu cầu vào \"Gia hạn đến ngày\" và số, ngày văn bản yêu cầu vào cột văn bản.",
            Lang::En => "   A task done \"On request\": when a request arrives, write the deadline it sets under \"Extended to\" and the request's number and date in the decision column.",
        }.to_string());
    }
    // One column narrower than an A4 page in portrait (the sheet is
    // printed with the form) also where the workbook's default font is
    // replaced by a wider one (LibreOffice without Calibri draws column
    // units a fifth wider), and fitted to the page besides: 110 wide, the
    // end of the longer lines fell off the page.
    const WIDTH: f64 = 70.0;
    let bold = font(12.0)
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let text = font(11.0).set_text_wrap().set_align(FormatAlign::Top);
    ws.set_column_width(0, WIDTH)?;
    for (i, line) in lines.iter().enumerate() {
        let heading = i == 0 || i == 2;
        let f: &Format = if heading { &bold } else { &text };
        ws.write_string_with_format(i as u32, 0, super::xlsx::cell_text(line), f)?;
        // Bold letters are wider: measured in a narrower column, so that a
        // heading's rows are never too few for it (its first line was cut).
        let (room, pt) = if heading {
            (WIDTH * 0.9, 12.0)
        } else {
            (WIDTH, 11.0)
        };
        ws.set_row_height(i as u32, fit::row_height([(line.as_str(), room, pt)]))?;
    }
    ws.set_portrait()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The hidden sheet that says what the form is (§13): plan, agency, year,
/// as_of, form_version in A1:A5 and their values in B1:B5.
fn identity_sheet(ws: &mut Worksheet, v: &FormView<'_>) -> Result<()> {
    ws.set_name(ID_SHEET)?;
    let rows: [(&str, Option<&str>, Option<f64>); 5] = [
        ("plan", Some(v.plan.id.as_str()), None),
        (
            "agency",
            Some(v.plan.agencies[v.agency].code.as_str()),
            None,
        ),
        ("year", None, Some(f64::from(v.year))),
        ("as_of", None, None),
        ("form_version", None, Some(f64::from(FORM_VERSION))),
    ];
    for (i, (key, text, number)) in rows.iter().enumerate() {
        let r = i as u32;
        ws.write_string(r, 0, *key)?;
        match (text, number) {
            (Some(t), _) => {
                ws.write_string(r, 1, *t)?;
            }
            (None, Some(n)) => {
                ws.write_number(r, 1, *n)?;
            }
            (None, None) => {
                ws.write_string(r, 1, v.as_of.to_string())?;
            }
        }
    }
    ws.set_hidden(true);
    Ok(())
}
