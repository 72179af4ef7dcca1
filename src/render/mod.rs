//! Stage 5: everything a person reads, one renderer per format or view.
//! Only this module knows comfy-table, csv, xlsx and the HTML template;
//! it turns report rows and classified occurrences into text or bytes and
//! nothing else. Words come from `labels`.

pub mod agencies;
pub mod csv;
pub mod docx;
pub mod due;
pub mod fit;
pub mod form;
pub mod grid;
pub mod html;
pub mod indicators;
pub mod json;
pub mod markdown;
pub mod plans;
pub mod show;
pub mod table;
pub mod tasks;
pub mod xlsx;

use crate::labels::{Labels, date, labels, state_of, status_name};
use crate::model::{AgencyId, Label, Lang, PackedLabel, Plan};
use crate::report::{Compliance, Counts, IndicatorRow};
use crate::status::{Class, Classified, attribute_in};
use std::sync::atomic::{AtomicBool, Ordering};

/// What a compliance renderer needs.
pub struct ReportView<'a> {
    pub plan: &'a Plan,
    pub report: &'a Compliance,
    pub lang: Lang,
    /// Every occurrence, classified as of the report's date (for the task
    /// appendix of the XLSX and HTML reports).
    pub classified: &'a [Classified],
    /// Agencies the report is limited to (`--agency`), if any.
    pub agencies: Option<&'a [AgencyId]>,
    /// Indicator rows for the years shown (empty when the plan has none).
    pub indicators: &'a [IndicatorRow],
}

/// One column of the compliance table: its heading, under a group heading
/// for the two-level columns ("Đã hoàn thành" over "Đúng hạn", "Quá hạn").
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub group: Option<&'static str>,
    pub label: &'static str,
}

/// One value of a compliance row, in column order.
#[derive(Clone, Copy, Debug)]
pub enum Value {
    Count(u64),
    Rate(Option<f64>),
}

impl Value {
    /// As the table formats show it: `1.234`, `66,7%`, `—`.
    pub fn text(self, lang: Lang) -> String {
        match self {
            Value::Count(n) => crate::labels::count(n, lang),
            Value::Rate(r) => crate::labels::rate(r, lang),
        }
    }
}

/// The count columns, in the one order every renderer uses: assigned, done
/// (on time, late), not done (not yet due, overdue), cancelled, due, the
/// two rates, not reported.
pub fn columns(lang: Lang) -> Vec<Column> {
    let l = labels(lang);
    let plain = |label| Column { group: None, label };
    vec![
        plain(l.assigned),
        Column {
            group: Some(l.done_group),
            label: l.on_time,
        },
        Column {
            group: Some(l.done_group),
            label: l.late,
        },
        Column {
            group: Some(l.open_group),
            label: l.not_yet_due,
        },
        Column {
            group: Some(l.open_group),
            label: l.overdue,
        },
        plain(l.cancelled),
        plain(l.due),
        plain(l.on_time_rate),
        plain(l.completion_rate),
        plain(l.not_reported),
    ]
}

/// A heading on one line: "Đã hoàn thành - Đúng hạn" (Markdown, CSV).
pub fn flat(c: &Column) -> String {
    match c.group {
        Some(g) => format!("{g} - {}", c.label),
        None => c.label.to_string(),
    }
}

/// The column-number row under the compliance heading, with the formulas
/// the figures follow: (1) STT, (2) agency, then one per `columns` entry.
pub const COLUMN_NUMBERS: [&str; 12] = [
    "(1)",
    "(2)",
    "(3)",
    "(4)",
    "(5)",
    "(6)",
    "(7)",
    "(8)",
    "(9)=(4)+(5)+(7)",
    "(10)=(4)/(9)",
    "(11)=((4)+(5))/(9)",
    "(12)",
];

/// The values of a row, in the order of `columns`.
pub fn values(c: &Counts) -> [Value; 10] {
    [
        Value::Count(c.assigned),
        Value::Count(c.done_on_time),
        Value::Count(c.done_late),
        Value::Count(c.in_progress),
        Value::Count(c.overdue),
        Value::Count(c.cancelled),
        Value::Count(c.due()),
        Value::Rate(c.on_time_rate()),
        Value::Rate(c.completion_rate()),
        Value::Count(c.not_reported),
    ]
}

/// One line of the task appendix (phụ lục nhiệm vụ), as text.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AppendixRow {
    pub year: i32,
    /// Index of the task group, for grouping under Roman numerals.
    pub group: usize,
    pub task: String,
    pub period: String,
    pub title: String,
    pub lead: String,
    /// "(giao cho TP1)" when a successor answers for an occurrence
    /// assigned to another agency (§9): without it, TP1's row and TP3's
    /// own read alike under TP3.
    pub assigned: Option<String>,
    pub support: String,
    #[serde(skip)]
    pub deadline: Option<chrono::NaiveDate>,
    pub deadline_text: String,
    /// Whether an extension moved the deadline.
    pub extended: bool,
    pub result: String,
    pub class: String,
    pub class_key: &'static str,
    #[serde(skip)]
    pub kind: crate::status::Class,
    /// Nothing was reported on it as of the report's date (§7).
    pub not_reported: bool,
    pub note: String,
}

impl AppendixRow {
    /// The lead's cell in an appendix table: the agency answerable and,
    /// under it, whom the occurrence was assigned to when that differs.
    pub fn lead_cell(&self) -> String {
        match &self.assigned {
            Some(assigned) => format!("{}\n{assigned}", self.lead),
            None => self.lead.clone(),
        }
    }
}

/// A task group's heading in an appendix: "I. Nâng cao năng lực …", and
/// its occurrences. A national appendix has over a million rows: they are
/// kept as places in the classified list (`ReportView::appendix_row` makes
/// each one's text when it is written), not as text.
#[derive(Clone, Debug)]
pub struct AppendixGroup {
    pub numeral: String,
    pub title: String,
    /// Indices into `ReportView::classified`.
    pub rows: Vec<u32>,
}

impl ReportView<'_> {
    pub fn l(&self) -> &'static Labels {
        labels(self.lang)
    }

    /// "Sở Công Thương tỉnh Bình Dương (SCT)".
    pub fn agency(&self, a: AgencyId) -> String {
        agency_label(self.plan, a, self.lang)
    }

    /// The title lines above a report.
    pub fn heading(&self) -> Vec<String> {
        heading(self.plan, self.lang)
    }

    /// "2021-2025", the span of the years shown.
    pub fn span(&self) -> String {
        match (self.report.years.first(), self.report.years.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        }
    }

    /// "(Số liệu tính đến ngày 14/12/2024)".
    pub fn as_of_line(&self) -> String {
        format!("({} {})", self.l().figures_as_of, date(self.report.as_of))
    }

    pub fn year_title(&self, year: i32) -> String {
        format!("{} {year}", self.l().year_heading)
    }

    pub fn summary_title(&self) -> String {
        format!("{} {}", self.l().period_heading, self.span())
    }

    pub fn ongoing_title(&self, year: i32) -> String {
        format!("{} {year}", self.l().ongoing_heading)
    }

    /// The notice at the top of a report where nothing has been reported.
    pub fn notice(&self) -> Option<&'static str> {
        self.report
            .nothing_reported()
            .then_some(self.l().nothing_reported)
    }

    /// The occurrences of the years shown, for the agencies shown, grouped
    /// by task group in plan order.
    pub fn appendix(&self) -> Vec<AppendixGroup> {
        let plan = self.plan;
        let mut groups: Vec<AppendixGroup> = plan
            .groups
            .iter()
            .enumerate()
            .map(|(i, _)| AppendixGroup {
                numeral: roman(i + 1),
                title: plan.group_title(i, self.lang).to_string(),
                rows: Vec::new(),
            })
            .collect();
        for (i, c) in self.classified.iter().enumerate() {
            let occ = &plan.occurrences[c.occurrence()];
            if !self.report.years.contains(&occ.year())
                || !self.agencies.is_none_or(|keep| keep.contains(&c.agency()))
            {
                continue;
            }
            if let Some(g) = groups.get_mut(plan.tasks[occ.task()].group) {
                g.rows.push(crate::model::narrow(i));
            }
        }
        groups.retain(|g| !g.rows.is_empty());
        groups
    }

    /// The appendix line of `classified[i]` (an index from `appendix`).
    pub fn appendix_row(&self, i: u32) -> Option<AppendixRow> {
        let c = self.classified.get(i as usize)?;
        Some(appendix_row(self.plan, c, self.lang))
    }

    /// A group's lines, every one made at once.
    pub fn appendix_rows(&self, g: &AppendixGroup) -> Vec<AppendixRow> {
        g.rows
            .iter()
            .filter_map(|&i| self.appendix_row(i))
            .collect()
    }
}

/// One classified occurrence as an appendix line.
pub fn appendix_row(plan: &Plan, c: &Classified, lang: Lang) -> AppendixRow {
    let occ = &plan.occurrences[c.occurrence()];
    let task = &plan.tasks[occ.task()];
    let note: Vec<&str> = c
        .eval
        .last()
        .map(|i| plan.text(i))
        .map(|t| [t.evidence(), t.note()].into_iter().flatten().collect())
        .unwrap_or_default();
    AppendixRow {
        year: occ.year(),
        group: task.group,
        task: task.id.clone(),
        period: crate::labels::period(occ.label(), lang),
        title: plan.task_title(occ.task(), lang).to_string(),
        lead: agency_label(plan, c.agency(), lang),
        assigned: (occ.lead() != c.agency()).then(|| assigned_note(plan, occ.lead(), lang)),
        support: support_names(plan, c, lang),
        deadline: c.eval.deadline,
        deadline_text: deadline_text(plan, c, lang),
        extended: extended(plan, c),
        result: last_update_text(c, lang),
        class: state_of(c.eval.class, c.eval.status, lang),
        class_key: c.eval.class.key(),
        kind: c.eval.class,
        not_reported: c.eval.not_reported(),
        note: note.join("; "),
    }
}

/// "I", "II", … for task groups.
pub fn roman(n: usize) -> String {
    const NUMERALS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

/// The tasks a long listing (`due`, `tasks`) shows: marked on all cores
/// while the rows' keys are gathered, then their ids and wrapped titles made
/// on all cores into one arena.
pub struct ListedTasks(Vec<AtomicBool>);

impl ListedTasks {
    pub fn new(plan: &Plan) -> ListedTasks {
        ListedTasks(plan.tasks.iter().map(|_| AtomicBool::new(false)).collect())
    }

    pub fn mark(&self, task: crate::model::TaskId) {
        if let Some(flag) = self.0.get(task) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// The marked tasks' ids, and their titles wrapped at `width`.
    pub fn cells(self, plan: &Plan, lang: Lang, width: usize) -> TaskCells {
        ListedTasks::cells_of(&self.0, plan, lang, width)
    }

    /// `cells` of the tasks marked in `marks`, by task.
    pub fn cells_of(marks: &[AtomicBool], plan: &Plan, lang: Lang, width: usize) -> TaskCells {
        TaskCells(grid::Arena::build(2 * marks.len(), |i| {
            let task = i / 2;
            if !marks.get(task)?.load(Ordering::Relaxed) {
                return None;
            }
            Some(match i % 2 {
                0 => std::borrow::Cow::Borrowed(plan.tasks[task].id.as_str()),
                _ => crate::text::wrap_cow(plan.task_title(task, lang), width),
            })
        }))
    }
}

/// Task ids and titles, measured once: cells of an arena by task.
pub struct TaskCells(grid::Arena);

impl TaskCells {
    pub fn arena(&self) -> &grid::Arena {
        &self.0
    }

    /// The cell of a task's id.
    pub fn id(task: crate::model::TaskId) -> usize {
        2 * task
    }

    /// The cell of a task's title.
    pub fn title(task: crate::model::TaskId) -> usize {
        2 * task + 1
    }

    /// The widest id and the widest title of the listed tasks.
    pub fn widest(&self) -> [u32; 2] {
        let mut widest = [0; 2];
        for i in 0..self.0.count() {
            widest[i % 2] = widest[i % 2].max(self.0.width(i));
        }
        widest
    }
}

pub use crate::report::span;

/// Values by a number — a day, a year — made once for each number a
/// listing's rows use: in a table over the numbers from the first to the
/// last, found by subtracting, or, when those are far more than the rows
/// (a deadline typed centuries away is a warning, not an error; a
/// province's few dozen rows over five years of days), in a map of the
/// numbers used, so that one such date does not make a table of a
/// million days, nor a short list one of 1,800.
pub struct Numbered<T> {
    first: i32,
    /// Every value made: by number from `first` on, or in the order of
    /// `map`'s numbers.
    values: Vec<T>,
    /// Where each number's value is in `values`, when the numbers lie too
    /// far apart for a table (empty otherwise).
    map: rustc_hash::FxHashMap<i32, u32>,
}

impl<T> Numbered<T> {
    /// `span`: the first and last number the rows use (`None`: none);
    /// `used`: every number they use, asked for only when the span is far
    /// wider than `rows`.
    pub fn new(
        span: Option<(i32, i32)>,
        rows: usize,
        used: impl FnOnce() -> Vec<i32>,
        make: impl Fn(i32) -> T,
    ) -> Numbered<T> {
        let (first, last) = span.unwrap_or((0, -1));
        let wide = i64::from(last) - i64::from(first) + 1;
        let room = i64::try_from(rows.saturating_mul(4).saturating_add(64)).unwrap_or(i64::MAX);
        if wide <= room {
            Numbered {
                first,
                values: (first..=last).map(make).collect(),
                map: Default::default(),
            }
        } else {
            let used = used();
            Numbered {
                first,
                values: used.iter().map(|&n| make(n)).collect(),
                map: (0..).zip(&used).map(|(i, &n)| (n, i)).collect(),
            }
        }
    }

    /// Every value made, in the order of their places (`place`).
    pub fn values(&self) -> impl ExactSizeIterator<Item = &T> {
        self.values.iter()
    }

    /// Where number `n`'s value is among `values`.
    pub fn place(&self, n: i32) -> Option<usize> {
        if self.map.is_empty() {
            usize::try_from(i64::from(n) - i64::from(self.first))
                .ok()
                .filter(|&k| k < self.values.len())
        } else {
            self.map.get(&n).map(|&k| k as usize)
        }
    }

    pub fn get(&self, n: i32) -> Option<&T> {
        self.place(n).and_then(|k| self.values.get(k))
    }
}

/// Every period of the years a listing's rows use, each written and
/// measured once and found by its packed label: a listing looks one up per
/// row — a million times at national size, where hashing the label cost
/// more than the lookup it led to.
pub struct PeriodCells(Numbered<Vec<grid::Measured>>);

impl PeriodCells {
    /// The periods of the years from `years` (first and last; none for
    /// `None`; `used` every year, asked for only when they are far
    /// apart), their text from `text`.
    pub fn new(
        years: Option<(i32, i32)>,
        used: impl FnOnce() -> Vec<i32>,
        text: impl Fn(Label) -> String,
    ) -> PeriodCells {
        PeriodCells(Numbered::new(years, 0, used, |year| {
            let mut cells = vec![grid::Measured::default(); PackedLabel::PARTS];
            for label in Label::all_of(year) {
                if let Some(cell) = cells.get_mut(PackedLabel::from(label).part()) {
                    *cell = grid::Measured::new(text(label));
                }
            }
            cells
        }))
    }

    /// The widest period's width.
    pub fn widest(&self) -> u32 {
        self.0
            .values()
            .flatten()
            .map(grid::Measured::width)
            .max()
            .unwrap_or(0)
    }

    /// Every period's cell, year after year, each year's in the order of
    /// their parts, then an empty cell: `place` says where a label's is.
    pub fn cells(&self) -> impl Iterator<Item = grid::Cell<'_>> {
        let cells = self.0.values().flatten().map(grid::Measured::cell);
        cells.chain([grid::Cell::default()])
    }

    /// Where `label`'s cell is among `cells` (the empty one outside the
    /// years).
    pub fn place(&self, label: PackedLabel) -> usize {
        let empty = self.0.values().len() * PackedLabel::PARTS;
        match self.0.place(label.year()) {
            Some(year) if label.part() < PackedLabel::PARTS => {
                year * PackedLabel::PARTS + label.part()
            }
            _ => empty,
        }
    }

    /// The cell of `label`, empty outside the years.
    pub fn get(&self, label: PackedLabel) -> grid::Cell<'_> {
        self.0
            .get(label.year())
            .and_then(|cells| cells.get(label.part()))
            .map(grid::Measured::cell)
            .unwrap_or_default()
    }
}

/// For each agency, what it took over on a reorganisation: the codes of
/// the agencies naming it their `successor`, and those whose tasks'
/// `successors` send some of their tasks to it (with those tasks' ids:
/// "STTTT (2.2)"), by the day they handed over (the day after the last one
/// they existed; `None` past the last date there is), in agencies.toml
/// order. Their tasks stay theirs in tasks.toml, so without this an agency
/// that took over a department's work reads as leading nothing.
pub fn took_over(plan: &Plan) -> Vec<TookOver> {
    let mut by: Vec<TookOver> = vec![Vec::new(); plan.agencies.len()];
    let mut add = |to: usize, from: &crate::model::Agency, code: String| {
        let Some(list) = by.get_mut(to) else { return };
        let day = from.until.and_then(|u| u.succ_opt());
        match list.iter_mut().find(|(d, _)| *d == day) {
            Some((_, codes)) => codes.push(code),
            None => list.push((day, vec![code])),
        }
    };
    for p in &plan.agencies {
        if let (Some(_), Some(s)) = (p.until, p.successor) {
            add(s, p, p.code.clone());
        }
    }
    // Splits: what each ceased agency sent elsewhere, with the tasks.
    for (from, splits) in split_away(plan).into_iter().enumerate() {
        let agency = &plan.agencies[from];
        for (to, ids) in splits {
            add(to, agency, format!("{} ({})", agency.code, ids.join(", ")));
        }
    }
    by
}

/// For each agency, where its tasks go elsewhere than its own successor
/// (tasks' `successors`): per agency taking over, the task ids, in plan
/// order. One pass over the tasks for every agency: a national plan has a
/// thousand agencies and a hundred thousand tasks.
pub fn split_away(plan: &Plan) -> Vec<Vec<(AgencyId, Vec<&str>)>> {
    let mut out: Vec<Vec<(AgencyId, Vec<&str>)>> = vec![Vec::new(); plan.agencies.len()];
    for t in &plan.tasks {
        for &(from, to) in &t.successors {
            let Some(list) = out.get_mut(from) else {
                continue;
            };
            match list.iter_mut().find(|(k, _)| *k == to) {
                Some((_, ids)) => ids.push(&t.id),
                None => list.push((to, vec![&t.id])),
            }
        }
    }
    out
}

/// What one agency took over (`took_over`): by day, the codes.
pub type TookOver = Vec<(Option<chrono::NaiveDate>, Vec<String>)>;

/// "từ ngày 01/07/2024" (empty without a day).
pub fn from_day(day: Option<chrono::NaiveDate>, lang: Lang) -> String {
    day.map(|d| format!("{} {}", labels(lang).from_day, date(d)))
        .unwrap_or_default()
}

/// "(giao cho TP1)": under the agency answerable for an occurrence, the
/// one it was assigned to, when a reorganisation made them differ.
pub fn assigned_note(plan: &Plan, assigned: AgencyId, lang: Lang) -> String {
    format!(
        "({} {})",
        labels(lang).assigned_to,
        plan.agencies[assigned].code
    )
}

/// "Sở Công Thương (SCT)".
pub fn agency_label(plan: &Plan, a: AgencyId, lang: Lang) -> String {
    format!("{} ({})", plan.agency_name(a, lang), plan.agencies[a].code)
}

/// The supporting agencies of an occurrence by name, each as responsible
/// at the occurrence's deadline (§9).
pub fn support_names(plan: &Plan, c: &Classified, lang: Lang) -> String {
    let mut support = Vec::new();
    supporting(plan, c, &mut support);
    names_of(plan, &support, lang)
}

/// The supporting agencies of an occurrence, each as responsible at the
/// occurrence's deadline (§9), into `out` (emptied first).
pub fn supporting(plan: &Plan, c: &Classified, out: &mut Vec<AgencyId>) {
    let occ = &plan.occurrences[c.occurrence()];
    let at = c.eval.deadline.unwrap_or_else(|| occ.nominal_deadline());
    out.clear();
    out.extend(
        plan.tasks[occ.task()]
            .support
            .iter()
            .map(|&s| attribute_in(plan, occ.task(), s, at)),
    );
}

/// Agencies by name, each once, joined by "; ".
pub fn names_of(plan: &Plan, agencies: &[AgencyId], lang: Lang) -> String {
    let mut names: Vec<String> = Vec::new();
    for &a in agencies {
        let name = agency_label(plan, a, lang);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join("; ")
}

/// "BÁO CÁO", "Kết quả thực hiện Kế hoạch số 6418/KH-UBND ngày 30/11/2021
/// của Ủy ban nhân dân tỉnh Bình Dương", and the plan's title.
pub fn heading(plan: &Plan, lang: Lang) -> Vec<String> {
    let l = labels(lang);
    heading_as(plan, lang, l.report, l.results_of_plan)
}

/// `heading` under another title: "CƠ QUAN THỰC HIỆN KẾ HOẠCH", "Kế
/// hoạch số … ngày … của …", the plan's title (the agencies listing).
pub fn heading_as(plan: &Plan, lang: Lang, title: &str, lead_in: &str) -> Vec<String> {
    let l = labels(lang);
    let mut subject = format!("{lead_in} {} {} {}", plan.id, l.dated, date(plan.issued));
    if let Some(issuer) = &plan.issuer {
        subject.push_str(&format!(
            " {} {}",
            l.of,
            crate::labels::expand_issuer(issuer, lang)
        ));
    }
    vec![
        title.to_string(),
        subject,
        plan.plan_title(lang).to_string(),
    ]
}

/// "15/12/2023", or "31/01/2024 (gia hạn)" after an extension; "Thường
/// xuyên" for an ongoing occurrence, "Khi có yêu cầu" for one of a task
/// done on request that nobody asked for yet.
pub fn deadline_text(plan: &Plan, c: &Classified, lang: Lang) -> String {
    match c.eval.class {
        Class::OnRequest => crate::labels::on_request(lang).to_string(),
        _ => deadline_words(c.eval.deadline, extended(plan, c), lang),
    }
}

/// Whether the deadline in force is an extension (`Occurrence::extended_to`).
pub fn extended(plan: &Plan, c: &Classified) -> bool {
    plan.occurrences[c.occurrence()].extended_to(c.eval.deadline)
}

/// A deadline in force, marked when it was extended; "Thường xuyên" for
/// an ongoing occurrence (no deadline).
pub fn deadline_words(deadline: Option<chrono::NaiveDate>, extended: bool, lang: Lang) -> String {
    match deadline {
        None => labels(lang).ongoing.to_string(),
        Some(d) if !extended => date(d),
        Some(d) => format!("{} ({})", date(d), labels(lang).extended),
    }
}

/// "10/12/2023: đã hoàn thành 100%", or "Chưa báo cáo".
pub fn last_update_text(c: &Classified, lang: Lang) -> String {
    last_update_words(c.eval.last_key(), lang)
}

/// The words of `last_update_text`, from the update's date, status and
/// percentage.
pub fn last_update_words(
    last: Option<(chrono::NaiveDate, crate::model::Status, Option<u8>)>,
    lang: Lang,
) -> String {
    match last {
        None => labels(lang).not_reported.to_string(),
        Some((day, status, percent)) => {
            let mut s = format!("{}: {}", date(day), status_name(status, lang));
            if let Some(p) = percent {
                s.push_str(&format!(" {p}%"));
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Numbered;

    #[test]
    fn numbered_values_are_the_same_in_a_table_or_a_map() {
        let used = vec![-5, 0, 3, 4, 1_000_000];
        let make = |n: i32| n.to_string();
        // Few rows for a wide span: a map of the numbers used.
        let map = Numbered::new(Some((-5, 1_000_000)), 5, || used.clone(), make);
        assert!(!map.map.is_empty());
        // Many rows: a table from first to last, without asking.
        let table = Numbered::new(Some((-5, 1_000_000)), 1_000_000, Vec::new, make);
        assert_eq!(table.values.len(), 1_000_006);
        assert!(table.map.is_empty());
        for n in &used {
            assert_eq!(map.get(*n), Some(&n.to_string()));
            assert_eq!(table.get(*n), Some(&n.to_string()));
        }
        assert_eq!(map.get(7), None);
        // Each value at its place, in either.
        for n in [-5, 3, 1_000_000] {
            for numbered in [&map, &table] {
                let at = numbered.place(n).unwrap();
                assert_eq!(numbered.values().nth(at), Some(&n.to_string()));
            }
        }
        assert_eq!(table.get(-6), None);
        assert_eq!(table.get(1_000_001), None);
        // A province's few dozen rows over five years: the days they name.
        let few = Numbered::new(Some((0, 1_799)), 40, || vec![0, 900, 1_799], make);
        assert!(!few.map.is_empty());
        assert_eq!(few.get(900), Some(&"900".to_string()));
        let none: Numbered<String> = Numbered::new(None, 0, Vec::new, make);
        assert_eq!(none.get(0), None);
    }
}
