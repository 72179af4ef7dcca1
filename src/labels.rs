//! User-facing words in Vietnamese and English. Output labels follow
//! `--lang` (default: the plan's `lang`); help text is English (clap's).

use crate::model::{Lang, Status};
use crate::status::Class;
use chrono::NaiveDate;

/// The labels of one language.
pub struct Labels {
    pub plan_no: &'static str,
    pub dated: &'static str,
    pub of: &'static str,
    pub year: &'static str,
    pub progress_in_year: &'static str,
    pub as_of: &'static str,
    pub period_summary: &'static str,
    pub agency: &'static str,
    pub code: &'static str,
    pub assigned: &'static str,
    pub due: &'static str,
    pub on_time_rate: &'static str,
    pub completion_rate: &'static str,
    pub total: &'static str,
    pub no_occurrences: &'static str,
    pub task: &'static str,
    pub title: &'static str,
    pub period: &'static str,
    pub deadline: &'static str,
    pub status: &'static str,
    pub last_update: &'static str,
    pub lead: &'static str,
    pub support: &'static str,
    pub group: &'static str,
    pub output: &'static str,
    pub note: &'static str,
    pub evidence: &'static str,
    pub by: &'static str,
    pub extended_to: &'static str,
    pub decision: &'static str,
    pub completed_on: &'static str,
    pub completed_col: &'static str,
    pub history: &'static str,
    pub no_updates: &'static str,
    pub overdue_heading: &'static str,
    pub due_soon_heading: &'static str,
    pub days_late: &'static str,
    pub days_left: &'static str,
    pub nothing_due: &'static str,
    pub occurrences: &'static str,
    pub until: &'static str,
    pub successor: &'static str,
    pub none: &'static str,
}

pub const VI: Labels = Labels {
    plan_no: "KẾ HOẠCH SỐ",
    dated: "ngày",
    of: "của",
    year: "Năm",
    progress_in_year: "TÌNH HÌNH THỰC HIỆN NĂM",
    as_of: "tính đến ngày",
    period_summary: "TỔNG HỢP GIAI ĐOẠN",
    agency: "Cơ quan chủ trì",
    code: "Mã",
    assigned: "Được giao",
    due: "Đến hạn",
    on_time_rate: "Tỷ lệ đúng hạn",
    completion_rate: "Tỷ lệ hoàn thành",
    total: "Tổng cộng",
    no_occurrences: "Không có nhiệm vụ nào trong năm này.",
    task: "Nhiệm vụ",
    title: "Nội dung",
    period: "Kỳ",
    deadline: "Thời hạn",
    status: "Tình trạng",
    last_update: "Cập nhật gần nhất",
    lead: "Cơ quan chủ trì",
    support: "Cơ quan phối hợp",
    group: "Nhóm nhiệm vụ",
    output: "Sản phẩm",
    note: "Ghi chú",
    evidence: "Văn bản, minh chứng",
    by: "Người báo cáo",
    extended_to: "gia hạn đến",
    decision: "theo",
    completed_on: "hoàn thành ngày",
    completed_col: "Ngày hoàn thành",
    history: "Lịch sử cập nhật",
    no_updates: "chưa có cập nhật",
    overdue_heading: "QUÁ HẠN, CHƯA HOÀN THÀNH",
    due_soon_heading: "SẮP ĐẾN HẠN",
    days_late: "ngày quá hạn",
    days_left: "ngày còn lại",
    nothing_due: "Không có nhiệm vụ quá hạn hoặc sắp đến hạn.",
    occurrences: "Các kỳ thực hiện",
    until: "hoạt động đến ngày",
    successor: "kế thừa bởi",
    none: "—",
};

pub const EN: Labels = Labels {
    plan_no: "PLAN NO.",
    dated: "of",
    of: "by",
    year: "Year",
    progress_in_year: "IMPLEMENTATION IN",
    as_of: "as of",
    period_summary: "SUMMARY FOR THE PERIOD",
    agency: "Lead agency",
    code: "Code",
    assigned: "Assigned",
    due: "Due",
    on_time_rate: "On-time rate",
    completion_rate: "Completion rate",
    total: "Total",
    no_occurrences: "No tasks in this year.",
    task: "Task",
    title: "Title",
    period: "Period",
    deadline: "Deadline",
    status: "Status",
    last_update: "Last update",
    lead: "Lead agency",
    support: "Supporting agencies",
    group: "Task group",
    output: "Output",
    note: "Note",
    evidence: "Evidence",
    by: "Reported by",
    extended_to: "extended to",
    decision: "by",
    completed_on: "completed on",
    completed_col: "Completed on",
    history: "History",
    no_updates: "no updates",
    overdue_heading: "OVERDUE",
    due_soon_heading: "DUE SOON",
    days_late: "days late",
    days_left: "days left",
    nothing_due: "Nothing overdue or due soon.",
    occurrences: "Occurrences",
    until: "existed until",
    successor: "succeeded by",
    none: "—",
};

pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// The name of a class, as a Vietnamese agency report words it.
pub fn class_name(class: Class, lang: Lang) -> &'static str {
    match (lang, class) {
        (Lang::Vi, Class::OnTime) => "Hoàn thành đúng hạn",
        (Lang::Vi, Class::Late) => "Hoàn thành quá hạn",
        (Lang::Vi, Class::InProgress) => "Đang thực hiện (trong hạn)",
        (Lang::Vi, Class::Overdue) => "Quá hạn, chưa hoàn thành",
        (Lang::Vi, Class::Cancelled) => "Dừng/huỷ thực hiện",
        (Lang::En, Class::OnTime) => "Done on time",
        (Lang::En, Class::Late) => "Done late",
        (Lang::En, Class::InProgress) => "In progress (not yet due)",
        (Lang::En, Class::Overdue) => "Overdue",
        (Lang::En, Class::Cancelled) => "Cancelled",
    }
}

/// Short column headings for the classes (two lines in a terminal table).
pub fn class_heading(class: Class, lang: Lang) -> &'static str {
    match (lang, class) {
        (Lang::Vi, Class::OnTime) => "Hoàn thành đúng hạn",
        (Lang::Vi, Class::Late) => "Hoàn thành quá hạn",
        (Lang::Vi, Class::InProgress) => "Đang thực hiện",
        (Lang::Vi, Class::Overdue) => "Quá hạn chưa xong",
        (Lang::Vi, Class::Cancelled) => "Dừng/huỷ",
        (Lang::En, Class::OnTime) => "Done on time",
        (Lang::En, Class::Late) => "Done late",
        (Lang::En, Class::InProgress) => "In progress",
        (Lang::En, Class::Overdue) => "Overdue",
        (Lang::En, Class::Cancelled) => "Cancelled",
    }
}

pub fn status_name(status: Status, lang: Lang) -> &'static str {
    match (lang, status) {
        (Lang::Vi, Status::NotStarted) => "chưa bắt đầu",
        (Lang::Vi, Status::InProgress) => "đang thực hiện",
        (Lang::Vi, Status::Done) => "hoàn thành",
        (Lang::Vi, Status::Cancelled) => "dừng/huỷ",
        (Lang::En, Status::NotStarted) => "not started",
        (Lang::En, Status::InProgress) => "in progress",
        (Lang::En, Status::Done) => "done",
        (Lang::En, Status::Cancelled) => "cancelled",
    }
}

/// Dates are shown `dd/mm/yyyy` in both languages.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A rate as a percentage with one decimal: `66,7%` in Vietnamese, `66.7%`
/// in English; `—` when there is nothing due.
pub fn rate(r: Option<f64>, lang: Lang) -> String {
    match r {
        None => "—".to_string(),
        Some(r) => {
            let s = format!("{:.1}%", r * 100.0);
            match lang {
                Lang::Vi => s.replace('.', ","),
                Lang::En => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_dates() {
        assert_eq!(rate(Some(2.0 / 3.0), Lang::Vi), "66,7%");
        assert_eq!(rate(Some(2.0 / 3.0), Lang::En), "66.7%");
        assert_eq!(rate(Some(1.0), Lang::Vi), "100,0%");
        assert_eq!(rate(None, Lang::Vi), "—");
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2023, 3, 5).unwrap()),
            "05/03/2023"
        );
    }
}

/// The name of an indicator state.
pub fn state_name(state: crate::report::IndicatorState, lang: Lang) -> &'static str {
    use crate::report::IndicatorState::*;
    match (lang, state) {
        (Lang::Vi, Met) => "Đạt",
        (Lang::Vi, NotMet) => "Không đạt",
        (Lang::Vi, NoData) => "Chưa có số liệu",
        (Lang::Vi, NoTarget) => "Không đặt chỉ tiêu",
        (Lang::En, Met) => "Met",
        (Lang::En, NotMet) => "Not met",
        (Lang::En, NoData) => "No data",
        (Lang::En, NoTarget) => "No target",
    }
}

/// A measured number: no needless decimals, at most four; a decimal comma
/// in Vietnamese.
pub fn number(v: f64, lang: Lang) -> String {
    let mut s = format!("{v:.4}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if s == "-0" {
        s = "0".to_string();
    }
    match lang {
        Lang::Vi => s.replace('.', ","),
        Lang::En => s,
    }
}

/// Labels of the indicators report.
pub struct IndicatorLabels {
    pub heading: &'static str,
    pub indicator: &'static str,
    pub unit: &'static str,
    pub target: &'static str,
    pub value: &'static str,
    pub state: &'static str,
    pub measured_on: &'static str,
    pub kind: &'static str,
}

pub fn indicator_labels(lang: Lang) -> &'static IndicatorLabels {
    match lang {
        Lang::Vi => &IndicatorLabels {
            heading: "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
            indicator: "Chỉ tiêu",
            unit: "Đơn vị tính",
            target: "Mục tiêu",
            value: "Kết quả",
            state: "Đánh giá",
            measured_on: "Số liệu ngày",
            kind: "Loại (at_least: tối thiểu, at_most: tối đa)",
        },
        Lang::En => &IndicatorLabels {
            heading: "INDICATORS",
            indicator: "Indicator",
            unit: "Unit",
            target: "Target",
            value: "Value",
            state: "Assessment",
            measured_on: "Measured on",
            kind: "Kind",
        },
    }
}

#[cfg(test)]
mod number_tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number(90.0, Lang::Vi), "90");
        assert_eq!(number(92.5, Lang::Vi), "92,5");
        assert_eq!(number(92.5, Lang::En), "92.5");
        assert_eq!(number(1.0 / 3.0, Lang::En), "0.3333");
        assert_eq!(number(-0.0, Lang::En), "0");
    }
}
