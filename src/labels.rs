//! Every word a renderer prints, in Vietnamese as filed reports word it and
//! in plain English, and how numbers, dates and periods are written.
//! Output follows `--lang` (default: the plan's `lang`). Vietnamese uses the
//! traditional tone-mark placement of official documents (hòa, hủy, hóa).
//! Problem messages live in `messages`.

use crate::model::{Due, Every, IndicatorKind, Label, Lang, Part, Status};
use crate::report::IndicatorState;
use crate::status::Class;
use chrono::NaiveDate;

/// The words of one language.
pub struct Labels {
    // Report headings.
    pub report: &'static str,
    pub results_of_plan: &'static str,
    /// The heading of the agencies listing, and what it names.
    pub agencies_of_plan: &'static str,
    pub plan_no: &'static str,
    pub dated: &'static str,
    pub of: &'static str,
    pub year_heading: &'static str,
    pub figures_as_of: &'static str,
    pub period_heading: &'static str,
    pub nothing_reported: &'static str,
    pub unit_tasks: &'static str,
    // Compliance columns.
    pub stt: &'static str,
    pub agency: &'static str,
    pub code: &'static str,
    pub assigned: &'static str,
    pub done_group: &'static str,
    pub open_group: &'static str,
    pub on_time: &'static str,
    pub late: &'static str,
    pub not_yet_due: &'static str,
    pub overdue: &'static str,
    pub cancelled: &'static str,
    pub due: &'static str,
    pub on_time_rate: &'static str,
    pub completion_rate: &'static str,
    pub not_reported: &'static str,
    /// Done, with no evidence named (`report::evidence_missing`).
    pub no_evidence: &'static str,
    pub total: &'static str,
    pub no_occurrences: &'static str,
    // Ongoing tasks.
    pub ongoing_heading: &'static str,
    pub ongoing_assigned: &'static str,
    pub ongoing_reported: &'static str,
    pub ongoing: &'static str,
    // Task lists and appendix.
    pub year: &'static str,
    pub task: &'static str,
    pub title: &'static str,
    pub period: &'static str,
    pub deadline: &'static str,
    pub original_deadline: &'static str,
    pub status: &'static str,
    pub result: &'static str,
    pub last_update: &'static str,
    pub lead: &'static str,
    pub assigned_to: &'static str,
    pub support: &'static str,
    pub group: &'static str,
    pub output: &'static str,
    pub note: &'static str,
    pub note_evidence: &'static str,
    pub evidence: &'static str,
    pub by: &'static str,
    pub extended_to: &'static str,
    /// A request's deadline, for a task done on request.
    pub asked_by: &'static str,
    pub extended: &'static str,
    pub decision: &'static str,
    pub completed_on: &'static str,
    pub completed_col: &'static str,
    pub occurrences: &'static str,
    pub after_as_of: &'static str,
    pub no_match: &'static str,
    pub occurrence_count: &'static str,
    /// After a list cut by `--limit`: how many shown, of how many.
    pub limited: &'static str,
    /// After `tasks --agency`: occurrences assigned to the agencies chosen
    /// and attributed (§9) to others, which the list leaves out.
    pub taken_over_tasks: &'static str,
    pub appendix: &'static str,
    pub appendix_title: &'static str,
    pub attached_to: &'static str,
    // Due.
    pub overdue_heading: &'static str,
    pub due_soon_heading: &'static str,
    pub due_within: &'static str,
    pub ongoing_unreported: &'static str,
    pub nothing_due: &'static str,
    /// A `due` list's counts (`due_counts`).
    pub count_overdue: &'static str,
    pub count_unreported: &'static str,
    pub count_soon: &'static str,
    pub count_ongoing: &'static str,
    pub in_all: &'static str,
    pub now_with: &'static str,
    /// A `due` list's columns in CSV: the agency that must act now, the
    /// code of the one it was assigned to, days to the deadline, and the
    /// kind of item due soon.
    pub due_agency: &'static str,
    pub assigned_code: &'static str,
    pub days_left: &'static str,
    pub soon: &'static str,
    /// The due workbook's sheet.
    pub due_sheet: &'static str,
    // Agencies.
    pub agency_col: &'static str,
    pub leads: &'static str,
    pub supports: &'static str,
    pub reorganised: &'static str,
    pub until: &'static str,
    pub successor: &'static str,
    pub members: &'static str,
    pub member_of: &'static str,
    /// An agency that took over another's tasks (`agencies`): "tiếp nhận
    /// nhiệm vụ của STTTT từ ngày 01/07/2024".
    pub took_over: &'static str,
    pub from_day: &'static str,
    // Plans.
    pub directory: &'static str,
    pub number: &'static str,
    pub plan_period: &'static str,
    /// A plan's title, in the list of plans.
    pub plan_name: &'static str,
    pub tasks: &'static str,
    pub data_check: &'static str,
    pub valid: &'static str,
    pub errors: &'static str,
    /// `plans --set-aside`: a plan counted without some progress files.
    pub set_aside_files: &'static str,
    // Check.
    pub groups_n: &'static str,
    pub tasks_n: &'static str,
    pub occurrences_n: &'static str,
    pub agencies_n: &'static str,
    pub updates_n: &'static str,
    pub indicators_n: &'static str,
    pub measures_n: &'static str,
    pub ok: &'static str,
    pub errors_n: &'static str,
    pub warnings_n: &'static str,
    // Record, measure.
    pub recorded_in: &'static str,
    /// `record` of an update already on record: where it is.
    pub already_recorded: &'static str,
    pub not_recorded_again: &'static str,
    pub not_measured_again: &'static str,
    pub on_date: &'static str,
    pub summary_sheet: &'static str,
    pub appendix_sheet: &'static str,
    /// After a task group's title where its rows go on from the sheet before.
    pub continued: &'static str,
    pub import_appended: &'static str,
    pub import_would_append: &'static str,
    pub import_unchanged: &'static str,
    pub import_skipped: &'static str,
    /// Number format of an extended deadline in a workbook.
    pub extended_format: &'static str,
    pub chart_title: &'static str,
    pub chart_year: &'static str,
    pub chart_period: &'static str,
    pub none: &'static str,
}

pub const VI: Labels = Labels {
    report: "BÁO CÁO",
    results_of_plan: "Kết quả thực hiện Kế hoạch số",
    agencies_of_plan: "CƠ QUAN THỰC HIỆN KẾ HOẠCH",
    plan_no: "Kế hoạch số",
    dated: "ngày",
    of: "của",
    year_heading: "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ NĂM",
    figures_as_of: "Số liệu tính đến ngày",
    period_heading: "TỔNG HỢP KẾT QUẢ THỰC HIỆN GIAI ĐOẠN",
    nothing_reported: "Lưu ý: đến ngày tính số liệu chưa có cơ quan nào báo cáo kết quả; các nhiệm vụ \"quá hạn\" dưới đây là nhiệm vụ chưa báo cáo, chưa chắc là chưa thực hiện.",
    unit_tasks: "ĐVT: nhiệm vụ",
    stt: "STT",
    agency: "Cơ quan chủ trì",
    code: "Mã cơ quan",
    assigned: "Tổng số nhiệm vụ được giao",
    done_group: "Đã hoàn thành",
    open_group: "Chưa hoàn thành",
    on_time: "Đúng hạn",
    late: "Quá hạn",
    not_yet_due: "Trong hạn",
    overdue: "Quá hạn",
    cancelled: "Dừng thực hiện",
    due: "Số nhiệm vụ đến hạn",
    on_time_rate: "Tỷ lệ hoàn thành đúng hạn (%)",
    completion_rate: "Tỷ lệ hoàn thành (%)",
    not_reported: "Chưa báo cáo",
    no_evidence: "Chưa có tài liệu kiểm chứng",
    total: "Tổng cộng",
    no_occurrences: "Không có nhiệm vụ nào trong năm này.",
    ongoing_heading: "NHIỆM VỤ THƯỜNG XUYÊN NĂM",
    ongoing_assigned: "Số nhiệm vụ thường xuyên",
    ongoing_reported: "Đã báo cáo",
    ongoing: "Thường xuyên",
    year: "Năm",
    task: "Nhiệm vụ",
    title: "Nội dung nhiệm vụ",
    period: "Kỳ",
    deadline: "Thời hạn",
    original_deadline: "Thời hạn ban đầu",
    status: "Tình trạng",
    result: "Kết quả",
    last_update: "Cập nhật gần nhất",
    lead: "Cơ quan chủ trì",
    assigned_to: "giao cho",
    support: "Cơ quan phối hợp",
    group: "Nhóm nhiệm vụ",
    output: "Sản phẩm",
    note: "Ghi chú",
    note_evidence: "Ghi chú (tài liệu kiểm chứng)",
    evidence: "Văn bản, tài liệu kiểm chứng",
    by: "Người báo cáo",
    extended_to: "được gia hạn đến ngày",
    asked_by: "yêu cầu thực hiện đến ngày",
    extended: "gia hạn",
    decision: "theo",
    completed_on: "hoàn thành ngày",
    completed_col: "Ngày hoàn thành",
    occurrences: "Các kỳ thực hiện",
    after_as_of: "cập nhật sau ngày tính số liệu, không tính",
    no_match: "Không có nhiệm vụ nào phù hợp.",
    occurrence_count: "kỳ thực hiện",
    limited: "Hiển thị {shown} trên tổng số {total} kỳ thực hiện; thêm --all để xem tất cả",
    taken_over_tasks: "Ngoài ra, {n} kỳ thực hiện được giao cho {assigned} tính cho cơ quan tiếp nhận nhiệm vụ: {list}",
    appendix: "Phụ lục I",
    appendix_title: "DANH MỤC VÀ KẾT QUẢ THỰC HIỆN NHIỆM VỤ",
    attached_to: "(Kèm theo Báo cáo số …/BC-… ngày …)",
    overdue_heading: "NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH",
    due_soon_heading: "NHIỆM VỤ SẮP ĐẾN HẠN",
    due_within: "gồm nhiệm vụ đến hạn trong {} ngày tới",
    ongoing_unreported: "NHIỆM VỤ THƯỜNG XUYÊN CHƯA BÁO CÁO TRONG NĂM",
    nothing_due: "Không có nhiệm vụ quá hạn hoặc sắp đến hạn.",
    count_overdue: "quá hạn",
    count_unreported: "chưa báo cáo",
    count_soon: "sắp đến hạn",
    count_ongoing: "thường xuyên chưa báo cáo",
    in_all: "Tổng cộng",
    now_with: "nay thuộc",
    due_agency: "Cơ quan thực hiện",
    assigned_code: "Mã cơ quan được giao",
    days_left: "Số ngày còn lại",
    soon: "Sắp đến hạn",
    due_sheet: "Quá hạn, sắp đến hạn",
    agency_col: "Cơ quan",
    leads: "Chủ trì",
    supports: "Phối hợp",
    reorganised: "Sắp xếp, tổ chức lại",
    until: "hoạt động đến hết ngày",
    successor: "cơ quan tiếp nhận nhiệm vụ:",
    members: "Thành viên",
    member_of: "thành viên của",
    took_over: "tiếp nhận nhiệm vụ của",
    from_day: "từ ngày",
    directory: "Thư mục",
    number: "Số, ký hiệu",
    plan_period: "Giai đoạn",
    plan_name: "Tên kế hoạch",
    tasks: "Nhiệm vụ",
    data_check: "Kiểm tra dữ liệu",
    valid: "hợp lệ",
    errors: "lỗi (kehoach check)",
    set_aside_files: "tệp tiến độ có lỗi để riêng, không tính (kehoach check)",
    groups_n: "nhóm",
    tasks_n: "nhiệm vụ",
    occurrences_n: "kỳ thực hiện",
    agencies_n: "cơ quan",
    updates_n: "cập nhật",
    indicators_n: "chỉ tiêu",
    measures_n: "số liệu",
    ok: "hợp lệ",
    errors_n: "lỗi",
    warnings_n: "cảnh báo",
    recorded_in: "Đã ghi vào",
    already_recorded: "Đã có trong",
    not_recorded_again: "cập nhật giống hệt đã có, không ghi lại",
    not_measured_again: "số liệu giống hệt đã có, không ghi lại",
    on_date: "ngày",
    summary_sheet: "Tổng hợp giai đoạn",
    appendix_sheet: "Phụ lục I",
    continued: "tiếp theo",
    import_appended: "đã ghi",
    import_would_append: "sẽ ghi",
    import_unchanged: "đã có, không ghi lại",
    import_skipped: "bỏ qua (không điền tình trạng)",
    extended_format: "dd/mm/yyyy\" (gia hạn)\"",
    chart_title: "TỶ LỆ HOÀN THÀNH ĐÚNG HẠN VÀ TỶ LỆ HOÀN THÀNH NHIỆM VỤ THEO CƠ QUAN",
    chart_year: "NĂM",
    chart_period: "GIAI ĐOẠN",
    none: "—",
};

pub const EN: Labels = Labels {
    report: "REPORT",
    results_of_plan: "Implementation of Plan No.",
    agencies_of_plan: "AGENCIES OF THE PLAN",
    plan_no: "Plan No.",
    dated: "of",
    of: "by",
    year_heading: "IMPLEMENTATION OF TASKS IN",
    figures_as_of: "Figures as of",
    period_heading: "SUMMARY OF RESULTS FOR THE PERIOD",
    nothing_reported: "Note: no agency has reported any result as of this date; \"overdue\" below means not reported, not necessarily not done.",
    unit_tasks: "Unit: tasks",
    stt: "No.",
    agency: "Lead agency",
    code: "Code",
    assigned: "Assigned",
    done_group: "Done",
    open_group: "Not done",
    on_time: "On time",
    late: "Late",
    not_yet_due: "Not yet due",
    overdue: "Overdue",
    cancelled: "Cancelled",
    due: "Due",
    on_time_rate: "On-time rate (%)",
    completion_rate: "Completion rate (%)",
    not_reported: "Not reported",
    no_evidence: "No evidence given",
    total: "Total",
    no_occurrences: "No tasks in this year.",
    ongoing_heading: "ONGOING TASKS IN",
    ongoing_assigned: "Ongoing tasks",
    ongoing_reported: "Reported",
    ongoing: "Ongoing",
    year: "Year",
    task: "Task",
    title: "Task description",
    period: "Period",
    deadline: "Deadline",
    original_deadline: "Original deadline",
    status: "Status",
    result: "Result",
    last_update: "Last update",
    lead: "Lead agency",
    assigned_to: "assigned to",
    support: "Supporting agencies",
    group: "Task group",
    output: "Output",
    note: "Note",
    note_evidence: "Note (evidence)",
    evidence: "Evidence",
    by: "Reported by",
    extended_to: "extended to",
    asked_by: "asked to act by",
    extended: "extended",
    decision: "by",
    completed_on: "completed on",
    completed_col: "Completed on",
    occurrences: "Occurrences",
    after_as_of: "after the as-of date, not counted",
    no_match: "No matching tasks.",
    occurrence_count: "occurrence(s)",
    limited: "Showing {shown} of {total} occurrences; add --all to see them all",
    taken_over_tasks: "Also {n} occurrence(s) assigned to {assigned}, counted for the agencies that took them over: {list}",
    appendix: "Appendix I",
    appendix_title: "TASKS AND THEIR RESULTS",
    attached_to: "(Attached to Report No. … of …)",
    overdue_heading: "OVERDUE TASKS",
    due_soon_heading: "TASKS DUE SOON",
    due_within: "including tasks due in the next {} days",
    ongoing_unreported: "ONGOING TASKS NOT YET REPORTED THIS YEAR",
    nothing_due: "Nothing overdue or due soon.",
    count_overdue: "overdue",
    count_unreported: "not reported",
    count_soon: "due soon",
    count_ongoing: "ongoing, not reported",
    in_all: "In all",
    now_with: "now with",
    due_agency: "Agency responsible",
    assigned_code: "Assigned to (code)",
    days_left: "Days left",
    soon: "Due soon",
    due_sheet: "Overdue, due soon",
    agency_col: "Agency",
    leads: "Leads",
    supports: "Supports",
    reorganised: "Reorganised",
    until: "existed until",
    successor: "succeeded by",
    members: "Members",
    member_of: "member of",
    took_over: "took over the tasks of",
    from_day: "on",
    directory: "Directory",
    number: "No.",
    plan_period: "Period",
    plan_name: "Plan",
    tasks: "Tasks",
    data_check: "Data check",
    valid: "valid",
    errors: "errors (kehoach check)",
    set_aside_files: "progress file(s) with errors set aside, not counted (kehoach check)",
    groups_n: "groups",
    tasks_n: "tasks",
    occurrences_n: "occurrences",
    agencies_n: "agencies",
    updates_n: "updates",
    indicators_n: "indicators",
    measures_n: "measurements",
    ok: "ok",
    errors_n: "error(s)",
    warnings_n: "warning(s)",
    recorded_in: "Recorded in",
    already_recorded: "Already in",
    not_recorded_again: "the same update is on record, not recorded again",
    not_measured_again: "the same figure is on record, not recorded again",
    on_date: "on",
    summary_sheet: "Period summary",
    appendix_sheet: "Appendix I",
    continued: "continued",
    import_appended: "appended",
    import_would_append: "would append",
    import_unchanged: "already on record, unchanged",
    import_skipped: "skipped (no status)",
    extended_format: "dd/mm/yyyy\" (extended)\"",
    chart_title: "ON-TIME AND COMPLETION RATES PER AGENCY",
    chart_year: "IN",
    chart_period: "FOR",
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
        (Lang::Vi, Class::InProgress) => "Đang thực hiện trong hạn",
        (Lang::Vi, Class::Overdue) => "Quá hạn chưa hoàn thành",
        (Lang::Vi, Class::Cancelled) => "Dừng thực hiện",
        (Lang::Vi, Class::Ongoing) => "Thường xuyên",
        (Lang::En, Class::OnTime) => "Done on time",
        (Lang::En, Class::Late) => "Done late",
        (Lang::En, Class::InProgress) => "In progress (not yet due)",
        (Lang::En, Class::Overdue) => "Overdue",
        (Lang::En, Class::Cancelled) => "Cancelled",
        (Lang::En, Class::Ongoing) => "Ongoing",
        (Lang::Vi, Class::OnRequest) => "Khi có yêu cầu (chưa có yêu cầu)",
        (Lang::En, Class::OnRequest) => "On request (none yet)",
    }
}

/// The state of an occurrence as a person reads it: its class, or for an
/// ongoing task "Thường xuyên: đang thực hiện" (and "Khi có yêu cầu: đã
/// hoàn thành" for one done on request, reported on before any request).
pub fn state_of(class: Class, status: Status, lang: Lang) -> String {
    match (class, status) {
        (Class::Ongoing, _) => {
            format!("{}: {}", class_name(class, lang), status_name(status, lang))
        }
        (Class::OnRequest, Status::NotStarted) => class_name(class, lang).to_string(),
        (Class::OnRequest, _) => format!("{}: {}", on_request(lang), status_name(status, lang)),
        (c, _) => class_name(c, lang).to_string(),
    }
}

/// What a `new_due` sets, before its date: "được gia hạn đến ngày" (an
/// extension), or for a task done on request "yêu cầu thực hiện đến ngày"
/// (the request, or a later one).
pub fn new_due_words(due: &Due, lang: Lang) -> &'static str {
    let l = labels(lang);
    match due.on_request() {
        true => l.asked_by,
        false => l.extended_to,
    }
}

/// "Khi có yêu cầu": how plans word a task done only when asked.
pub fn on_request(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Khi có yêu cầu",
        Lang::En => "On request",
    }
}

pub fn status_name(status: Status, lang: Lang) -> &'static str {
    match (lang, status) {
        (Lang::Vi, Status::NotStarted) => "chưa triển khai",
        (Lang::Vi, Status::InProgress) => "đang thực hiện",
        (Lang::Vi, Status::Done) => "đã hoàn thành",
        (Lang::Vi, Status::Cancelled) => "dừng thực hiện",
        (Lang::En, Status::NotStarted) => "not started",
        (Lang::En, Status::InProgress) => "in progress",
        (Lang::En, Status::Done) => "done",
        (Lang::En, Status::Cancelled) => "cancelled",
    }
}

/// The words of the agency form's status list (§13), in order of
/// `Status::ALL`.
pub fn form_statuses(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::Vi => [
            "Chưa triển khai",
            "Đang thực hiện",
            "Đã hoàn thành",
            "Dừng thực hiện",
        ],
        Lang::En => ["Not started", "In progress", "Done", "Cancelled"],
    }
}

/// Reads a status as an officer may write it: the machine word of §5 (with
/// `_` or `-`) or a word of either form list (§13), any case.
pub fn parse_status(s: &str) -> Option<Status> {
    let t = s.trim();
    if let Some(st) = Status::parse(&t.to_ascii_lowercase()) {
        return Some(st);
    }
    let folded = crate::text::fold(t);
    // Other words officers write for the same states.
    const ALSO: [(&str, Status); 8] = [
        ("hoan thanh", Status::Done),
        ("dang lam", Status::InProgress),
        ("dang trien khai", Status::InProgress),
        ("chua lam", Status::NotStarted),
        ("chua thuc hien", Status::NotStarted),
        ("chua bat dau", Status::NotStarted),
        ("huy", Status::Cancelled),
        ("da huy", Status::Cancelled),
    ];
    if let Some(&(_, st)) = ALSO.iter().find(|(w, _)| *w == folded) {
        return Some(st);
    }
    Status::ALL.into_iter().enumerate().find_map(|(i, st)| {
        [Lang::Vi, Lang::En]
            .iter()
            .any(|&l| crate::text::fold(form_statuses(l)[i]) == folded)
            .then_some(st)
    })
}

/// Dates are shown `dd/mm/yyyy` in both languages.
pub fn date(d: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    date_into(&mut out, d);
    out
}

/// `date(d)`, appended to `out`.
pub fn date_into(out: &mut String, d: NaiveDate) {
    use chrono::Datelike;
    // Formatted by hand: lists of hundreds of thousands of rows print two
    // dates a row, and chrono re-reads its pattern on every call.
    if (0..=9999).contains(&d.year()) {
        push_digits(out, d.day(), 2);
        out.push('/');
        push_digits(out, d.month(), 2);
        out.push('/');
        push_digits(out, d.year().unsigned_abs(), 4);
    } else {
        use std::fmt::Write;
        let _ = write!(out, "{}", d.format("%d/%m/%Y"));
    }
}

/// The last `width` digits of `n`, zero-padded, appended to `out`.
pub fn push_digits(out: &mut String, n: u32, width: u32) {
    for k in (0..width).rev() {
        let digit = (n / 10u32.pow(k)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// A `due` list's counts, those above zero: "2 quá hạn (1 chưa báo cáo),
/// 1 sắp đến hạn".
pub fn due_counts(c: &crate::report::DueCounts, lang: Lang) -> String {
    let l = labels(lang);
    let n = |k: usize| count(k as u64, lang);
    let mut parts = Vec::new();
    if c.overdue > 0 {
        let mut part = format!("{} {}", n(c.overdue), l.count_overdue);
        if c.overdue_unreported > 0 {
            part.push_str(&format!(
                " ({} {})",
                n(c.overdue_unreported),
                l.count_unreported
            ));
        }
        parts.push(part);
    }
    if c.soon > 0 {
        parts.push(format!("{} {}", n(c.soon), l.count_soon));
    }
    if c.ongoing > 0 {
        parts.push(format!("{} {}", n(c.ongoing), l.count_ongoing));
    }
    parts.join(", ")
}

/// A whole `due` list's counts: "Tổng cộng: 15 kỳ thực hiện — 12 quá hạn
/// (11 chưa báo cáo), 3 sắp đến hạn".
pub fn due_in_all(c: &crate::report::DueCounts, lang: Lang) -> String {
    let l = labels(lang);
    format!(
        "{}: {} {} — {}",
        l.in_all,
        count(c.total() as u64, lang),
        l.occurrence_count,
        due_counts(c, lang)
    )
}

/// The line after a list `--limit` cut: `shown` of `total` shown.
pub fn limited(shown: usize, total: usize, lang: Lang) -> String {
    labels(lang)
        .limited
        .replace("{shown}", &count(shown as u64, lang))
        .replace("{total}", &count(total as u64, lang))
}

/// The line after a `tasks --agency` list on the occurrences it leaves
/// out: assigned to `assigned` (the codes asked for), attributed to the
/// agencies that took them over (`taken`, with how many each).
pub fn taken_over_tasks(
    plan: &crate::model::Plan,
    assigned: &[String],
    taken: &[(crate::model::AgencyId, usize)],
    lang: Lang,
) -> String {
    let n: usize = taken.iter().map(|&(_, k)| k).sum();
    let code = |a: crate::model::AgencyId| plan.agencies[a].code.as_str();
    let list: Vec<String> = taken
        .iter()
        .map(|&(a, k)| format!("{} ({})", code(a), count(k as u64, lang)))
        .collect();
    labels(lang)
        .taken_over_tasks
        .replace("{n}", &count(n as u64, lang))
        .replace("{assigned}", &assigned.join(", "))
        .replace("{list}", &list.join(", "))
}

/// A whole number: `1.436` in Vietnamese, `1,436` in English.
pub fn count(n: u64, lang: Lang) -> String {
    let digits = n.to_string();
    let sep = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
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

/// A measured number: no needless decimals, at most four; thousands and
/// decimals as the language writes them (`12.500,5`, `12,500.5`).
pub fn number(v: f64, lang: Lang) -> String {
    let mut s = format!("{v:.4}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if s == "-0" {
        s = "0".to_string();
    }
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r.to_string()),
        None => ("", s),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (rest, None),
    };
    let int = int.parse::<u64>().map_or(int, |n| count(n, lang));
    let dec = match lang {
        Lang::Vi => ",",
        Lang::En => ".",
    };
    match frac {
        Some(f) => format!("{sign}{int}{dec}{f}"),
        None => format!("{sign}{int}"),
    }
}

/// A value with its unit: `92,5%`, `1.200 người`.
pub fn with_unit(v: f64, unit: &str, lang: Lang) -> String {
    if unit == "%" {
        format!("{}%", number(v, lang))
    } else {
        format!("{} {unit}", number(v, lang))
    }
}

/// A period as reports write it: "Năm 2024", "6 tháng đầu năm 2024",
/// "Quý II/2024", "Tháng 6/2024" (labels in files stay `2024-Q2`).
pub fn period(l: Label, lang: Lang) -> String {
    let y = l.year;
    let roman = ["I", "II", "III", "IV"];
    match (lang, l.part) {
        (Lang::Vi, Part::Year) => format!("Năm {y}"),
        (Lang::Vi, Part::Half(1)) => format!("6 tháng đầu năm {y}"),
        (Lang::Vi, Part::Half(_)) => format!("6 tháng cuối năm {y}"),
        (Lang::Vi, Part::Quarter(q)) => {
            format!(
                "Quý {}/{y}",
                roman.get(usize::from(q).saturating_sub(1)).unwrap_or(&"?")
            )
        }
        (Lang::Vi, Part::Month(m)) => format!("Tháng {m}/{y}"),
        (Lang::En, Part::Year) => format!("{y}"),
        (Lang::En, Part::Half(h)) => format!("H{h} {y}"),
        (Lang::En, Part::Quarter(q)) => format!("Q{q} {y}"),
        (Lang::En, Part::Month(m)) => format!("{m:02}/{y}"),
    }
}

/// "Quá hạn 1.436 ngày" / "Còn 25 ngày".
pub fn days(late: bool, n: i64, lang: Lang) -> String {
    let n = count(n.unsigned_abs(), lang);
    match (lang, late) {
        (Lang::Vi, true) => format!("Quá hạn {n} ngày"),
        (Lang::Vi, false) => format!("Còn {n} ngày"),
        (Lang::En, true) => format!("{n} days late"),
        (Lang::En, false) => format!("{n} days left"),
    }
}

/// What `due` says of an item: the days left or late, with "Chưa báo cáo"
/// (not reported) below when no update is dated on or before the as-of
/// date — an overdue that only means nobody has reported yet is never
/// shown as a plain failure; an ongoing task without a deadline is listed
/// only as not reported.
pub fn due_state(days: Option<i32>, unreported: bool, lang: Lang) -> String {
    let not_reported = labels(lang).not_reported;
    let Some(d) = days else {
        return not_reported.to_string();
    };
    let days = self::days(d < 0, i64::from(d), lang);
    if unreported {
        format!("{days}\n{not_reported}")
    } else {
        days
    }
}

/// "hằng năm, ngày 15/12 (2021-2025)" and the like.
pub fn due_rule(due: &Due, lang: Lang) -> String {
    match *due {
        Due::Once(d) => date(d),
        Due::Ongoing {
            first_year,
            last_year,
            on_request,
        } => match (lang, on_request) {
            (Lang::Vi, false) => format!("thường xuyên ({first_year}-{last_year})"),
            (Lang::En, false) => format!("ongoing ({first_year}-{last_year})"),
            (Lang::Vi, true) => format!("khi có yêu cầu ({first_year}-{last_year})"),
            (Lang::En, true) => format!("on request ({first_year}-{last_year})"),
        },
        Due::Every {
            every,
            month,
            day,
            first_year,
            last_year,
        } => {
            let when = match (lang, every) {
                (Lang::Vi, Every::Year) => format!("hằng năm, ngày {day:02}/{month:02}"),
                (Lang::Vi, Every::HalfYear) => format!("định kỳ 6 tháng, ngày {day}/6 và {day}/12"),
                (Lang::Vi, Every::Quarter) => format!("hằng quý, ngày {day} của tháng cuối quý"),
                (Lang::Vi, Every::Month) => format!("hằng tháng, ngày {day}"),
                (Lang::En, Every::Year) => format!("every year on {day:02}/{month:02}"),
                (Lang::En, Every::HalfYear) => format!("every half-year on {day}/6 and {day}/12"),
                (Lang::En, Every::Quarter) => {
                    format!("every quarter on day {day} of its last month")
                }
                (Lang::En, Every::Month) => format!("every month on day {day}"),
            };
            format!("{when} ({first_year}-{last_year})")
        }
    }
}

/// The name of an indicator state.
pub fn state_name(state: IndicatorState, lang: Lang) -> &'static str {
    use IndicatorState::*;
    match (lang, state) {
        (Lang::Vi, Met) => "Đạt",
        (Lang::Vi, NotMet) => "Không đạt",
        (Lang::Vi, NoData) => "Chưa có số liệu",
        (Lang::Vi, NoTarget) => "Không giao chỉ tiêu",
        (Lang::En, Met) => "Met",
        (Lang::En, NotMet) => "Not met",
        (Lang::En, NoData) => "No data",
        (Lang::En, NoTarget) => "No target",
    }
}

/// "Tối thiểu (≥)" / "At least (≥)".
pub fn kind_name(kind: IndicatorKind, lang: Lang) -> &'static str {
    match (lang, kind) {
        (Lang::Vi, IndicatorKind::AtLeast) => "Tối thiểu (≥)",
        (Lang::Vi, IndicatorKind::AtMost) => "Tối đa (≤)",
        (Lang::En, IndicatorKind::AtLeast) => "At least (≥)",
        (Lang::En, IndicatorKind::AtMost) => "At most (≤)",
    }
}

/// Labels of the indicators report.
pub struct IndicatorLabels {
    pub heading: &'static str,
    pub id: &'static str,
    pub indicator: &'static str,
    pub unit: &'static str,
    pub target: &'static str,
    pub value: &'static str,
    pub state: &'static str,
    pub measured_on: &'static str,
    pub kind: &'static str,
    pub agency: &'static str,
    pub none_set: &'static str,
    pub sheet: &'static str,
}

pub fn indicator_labels(lang: Lang) -> &'static IndicatorLabels {
    match lang {
        Lang::Vi => &IndicatorLabels {
            heading: "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
            id: "Mã chỉ tiêu",
            indicator: "Chỉ tiêu",
            unit: "Đơn vị tính",
            target: "Chỉ tiêu kế hoạch",
            value: "Thực hiện",
            state: "Đánh giá",
            measured_on: "Số liệu tính đến ngày",
            kind: "Loại chỉ tiêu",
            agency: "Cơ quan báo cáo",
            none_set: "Kế hoạch không giao chỉ tiêu nào.",
            sheet: "Chỉ tiêu",
        },
        Lang::En => &IndicatorLabels {
            heading: "INDICATORS",
            id: "Indicator id",
            indicator: "Indicator",
            unit: "Unit",
            target: "Target",
            value: "Value",
            state: "Assessment",
            measured_on: "Measured on",
            kind: "Kind",
            agency: "Reporting agency",
            none_set: "The plan sets no indicators.",
            sheet: "Indicators",
        },
    }
}

/// "UBND tỉnh Bình Dương" → "Ủy ban nhân dân tỉnh Bình Dương" in headings.
pub fn expand_issuer(issuer: &str, lang: Lang) -> String {
    match (lang, issuer.strip_prefix("UBND ")) {
        (Lang::Vi, Some(rest)) => format!("Ủy ban nhân dân {rest}"),
        _ => issuer.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_by_hand_are_chronos() {
        // Every 97th day from year 0 to 9999, and the edges.
        let first = NaiveDate::from_ymd_opt(0, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        let days = (0..)
            .map(|k| first + chrono::Days::new(97 * k))
            .take_while(|d| *d <= last)
            .chain([last, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()]);
        for d in days {
            assert_eq!(date(d), d.format("%d/%m/%Y").to_string());
        }
        // Beyond four digits chrono's own form.
        let far = NaiveDate::from_ymd_opt(10000, 1, 2).unwrap();
        assert_eq!(date(far), far.format("%d/%m/%Y").to_string());
    }

    #[test]
    fn numbers_dates_and_rates_as_filed() {
        assert_eq!(rate(Some(2.0 / 3.0), Lang::Vi), "66,7%");
        assert_eq!(rate(Some(2.0 / 3.0), Lang::En), "66.7%");
        assert_eq!(rate(Some(1.0), Lang::Vi), "100,0%");
        assert_eq!(rate(None, Lang::Vi), "—");
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2023, 3, 5).unwrap()),
            "05/03/2023"
        );
        assert_eq!(count(1436, Lang::Vi), "1.436");
        assert_eq!(count(1_234_567, Lang::En), "1,234,567");
        assert_eq!(count(999, Lang::Vi), "999");
        assert_eq!(number(12500.5, Lang::Vi), "12.500,5");
        assert_eq!(number(92.5, Lang::Vi), "92,5");
        assert_eq!(number(90.0, Lang::Vi), "90");
        assert_eq!(number(92.5, Lang::En), "92.5");
        assert_eq!(number(1.0 / 3.0, Lang::En), "0.3333");
        assert_eq!(number(-0.0, Lang::En), "0");
        assert_eq!(number(-1234.0, Lang::Vi), "-1.234");
        assert_eq!(with_unit(92.5, "%", Lang::Vi), "92,5%");
        assert_eq!(days(true, -1436, Lang::Vi), "Quá hạn 1.436 ngày");
        assert_eq!(days(false, 25, Lang::Vi), "Còn 25 ngày");
    }

    #[test]
    fn periods_as_reports_write_them() {
        let p = |s: &str| period(Label::parse(s).unwrap(), Lang::Vi);
        assert_eq!(p("2024"), "Năm 2024");
        assert_eq!(p("2024-H1"), "6 tháng đầu năm 2024");
        assert_eq!(p("2024-H2"), "6 tháng cuối năm 2024");
        assert_eq!(p("2024-Q2"), "Quý II/2024");
        assert_eq!(p("2024-06"), "Tháng 6/2024");
        assert_eq!(
            period(Label::parse("2024-Q2").unwrap(), Lang::En),
            "Q2 2024"
        );
    }

    #[test]
    fn statuses_in_every_spelling() {
        for (s, st) in [
            ("done", Status::Done),
            ("in-progress", Status::InProgress),
            ("in_progress", Status::InProgress),
            ("Đã hoàn thành", Status::Done),
            ("da hoan thanh", Status::Done),
            ("Dừng thực hiện", Status::Cancelled),
            ("Not started", Status::NotStarted),
            ("CANCELLED", Status::Cancelled),
            ("hoàn thành", Status::Done),
            ("Chưa thực hiện", Status::NotStarted),
            ("đang làm", Status::InProgress),
            ("Hủy", Status::Cancelled),
        ] {
            assert_eq!(parse_status(s), Some(st), "{s}");
        }
        assert_eq!(parse_status("xong"), None);
    }
}

/// The words of the web view (`kehoach serve`).
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct ServeWords {
    pub overview: &'static str,
    pub due: &'static str,
    pub indicators: &'static str,
    pub agencies: &'static str,
    pub plans: &'static str,
    pub as_of: &'static str,
    pub show: &'static str,
    pub download: &'static str,
    pub broken: &'static str,
    pub record: &'static str,
    pub period: &'static str,
    pub agency: &'static str,
    pub status: &'static str,
    pub date: &'static str,
    pub percent: &'static str,
    pub by: &'static str,
    pub evidence: &'static str,
    pub note: &'static str,
    pub new_due: &'static str,
    pub decision: &'static str,
    pub save: &'static str,
    pub history: &'static str,
    pub occurrences_of: &'static str,
    pub choose_plan: &'static str,
    pub recorded: &'static str,
    /// "Rows {from}–{to} of {total}".
    pub rows_of: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub task_list: &'static str,
    pub due_list: &'static str,
    /// The placeholder and the hint of a date field.
    pub date_form: &'static str,
    pub date_hint: &'static str,
}

pub fn serve_words(lang: Lang) -> ServeWords {
    match lang {
        Lang::Vi => ServeWords {
            overview: "Tổng quan",
            due: "Quá hạn, sắp đến hạn",
            indicators: "Chỉ tiêu",
            agencies: "Cơ quan",
            plans: "Kế hoạch",
            as_of: "Tính đến ngày",
            show: "Xem",
            download: "Tải về",
            broken: "Các tệp của kế hoạch có lỗi; sửa rồi tải lại trang:",
            record: "Cập nhật tiến độ",
            period: "Kỳ",
            agency: "Cơ quan (thành viên)",
            status: "Tình trạng",
            date: "Ngày",
            percent: "Tỷ lệ hoàn thành (%)",
            by: "Người báo cáo",
            evidence: "Tài liệu kiểm chứng",
            note: "Ghi chú",
            new_due: "Gia hạn đến ngày",
            decision: "Văn bản cho phép",
            save: "Ghi",
            history: "Lịch sử cập nhật",
            occurrences_of: "Các kỳ thực hiện",
            choose_plan: "Chọn kế hoạch",
            recorded: "Đã ghi cập nhật.",
            rows_of: "Dòng {from}–{to} trong {total}",
            previous: "‹ Trang trước",
            next: "Trang sau ›",
            task_list: "Danh sách nhiệm vụ",
            due_list: "Danh sách đôn đốc",
            date_form: "ngày/tháng/năm",
            date_hint: "Ngày dạng 31/12/2024 (ngày/tháng/năm, năm đủ bốn chữ số)",
        },
        Lang::En => ServeWords {
            overview: "Overview",
            due: "Overdue and due soon",
            indicators: "Indicators",
            agencies: "Agencies",
            plans: "Plans",
            as_of: "As of",
            show: "Show",
            download: "Download",
            broken: "The plan's files have problems; fix them and reload:",
            record: "Record progress",
            period: "Period",
            agency: "Agency (member)",
            status: "Status",
            date: "Date",
            percent: "Percent done",
            by: "Reported by",
            evidence: "Evidence",
            note: "Note",
            new_due: "Extended to",
            decision: "Approving decision",
            save: "Record",
            history: "Update history",
            occurrences_of: "Occurrences",
            choose_plan: "Choose a plan",
            recorded: "Update recorded.",
            rows_of: "Rows {from}–{to} of {total}",
            previous: "‹ Previous",
            next: "Next ›",
            task_list: "Task list",
            due_list: "Due list",
            date_form: "dd/mm/yyyy",
            date_hint: "A date as 31/12/2024 (day/month/year, the year in four digits)",
        },
    }
}
