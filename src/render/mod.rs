//! Stage 5: one renderer per format. Only this module knows comfy-table and
//! csv; everything here turns report rows into text and nothing else.

pub mod csv;
pub mod html;
pub mod indicators;
pub mod json;
pub mod markdown;
pub mod table;
pub mod xlsx;

use crate::labels::{Labels, date, labels, status_name};
use crate::model::{AgencyId, Lang, Plan};
use crate::report::{Compliance, IndicatorRow};
use crate::status::{Class, Classified};

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

/// One line of the task appendix (phụ lục nhiệm vụ), as text.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AppendixRow {
    pub year: i32,
    pub task: String,
    pub period: String,
    pub title: String,
    pub lead: String,
    pub support: String,
    #[serde(skip)]
    pub deadline: chrono::NaiveDate,
    pub deadline_text: String,
    pub result: String,
    pub class: &'static str,
    pub class_key: &'static str,
    pub note: String,
}

impl ReportView<'_> {
    pub fn l(&self) -> &'static Labels {
        labels(self.lang)
    }

    /// Headings of the count and rate columns, in order: assigned, the five
    /// classes, due, on-time rate, completion rate.
    pub fn count_headings(&self) -> Vec<&'static str> {
        let l = self.l();
        let mut h = vec![l.assigned];
        h.extend(
            Class::ALL
                .iter()
                .map(|c| crate::labels::class_heading(*c, self.lang)),
        );
        h.extend([l.due, l.on_time_rate, l.completion_rate]);
        h
    }

    /// "Sở Công Thương tỉnh Bình Dương (SCT)".
    pub fn agency(&self, a: AgencyId) -> String {
        agency_label(self.plan, a, self.lang)
    }

    /// The title lines above a report.
    pub fn heading(&self) -> Vec<String> {
        heading(self.plan, self.lang)
    }

    /// "2021–2025", the span of the years shown.
    pub fn span(&self) -> String {
        match (self.report.years.first(), self.report.years.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        }
    }

    /// The occurrences of the years shown, for the agencies shown, in plan
    /// order.
    pub fn appendix(&self) -> Vec<AppendixRow> {
        let plan = self.plan;
        let lang = self.lang;
        self.classified
            .iter()
            .filter(|c| {
                let occ = &plan.occurrences[c.occurrence];
                self.report.years.contains(&occ.year())
                    && self.agencies.is_none_or(|keep| keep.contains(&c.agency))
            })
            .map(|c| {
                let occ = &plan.occurrences[c.occurrence];
                let task = &plan.tasks[occ.task];
                let last = c.eval.last.map(|i| &plan.updates[i]);
                let mut note = Vec::new();
                if let Some(u) = last {
                    if let Some(e) = u.evidence() {
                        note.push(e.to_string());
                    }
                    if let Some(n) = u.note() {
                        note.push(n.to_string());
                    }
                }
                AppendixRow {
                    year: occ.year(),
                    task: task.id.clone(),
                    period: occ.label.to_string(),
                    title: plan.task_title(occ.task, lang).to_string(),
                    lead: agency_label(plan, c.agency, lang),
                    support: task
                        .support
                        .iter()
                        .map(|a| plan.agencies[*a].code.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    deadline: c.eval.deadline,
                    deadline_text: deadline_text(plan, c, lang),
                    result: last_update_text(plan, c, lang),
                    class: crate::labels::class_name(c.eval.class, lang),
                    class_key: c.eval.class.key(),
                    note: note.join("; "),
                }
            })
            .collect()
    }

    pub fn year_title(&self, year: i32) -> String {
        let l = self.l();
        format!(
            "{} {year} — {} {}",
            l.progress_in_year,
            l.as_of,
            crate::labels::date(self.report.as_of)
        )
    }

    pub fn summary_title(&self) -> String {
        let l = self.l();
        format!(
            "{} {} — {} {}",
            l.period_summary,
            self.span(),
            l.as_of,
            crate::labels::date(self.report.as_of)
        )
    }
}

pub fn agency_label(plan: &Plan, a: AgencyId, lang: Lang) -> String {
    format!("{} ({})", plan.agency_name(a, lang), plan.agencies[a].code)
}

/// "KẾ HOẠCH SỐ 6418/KH-UBND ngày 30/11/2021 của UBND tỉnh Bình Dương" and
/// the plan's title.
pub fn heading(plan: &Plan, lang: Lang) -> Vec<String> {
    let l = labels(lang);
    let mut first = format!(
        "{} {} {} {}",
        l.plan_no,
        plan.id,
        l.dated,
        crate::labels::date(plan.issued)
    );
    if let Some(issuer) = &plan.issuer {
        first.push_str(&format!(" {} {issuer}", l.of));
    }
    vec![first, plan.plan_title(lang).to_string()]
}

/// "15/12/2023", or "31/01/2024 (gia hạn)" after an extension.
pub fn deadline_text(plan: &Plan, c: &Classified, lang: Lang) -> String {
    let d0 = plan.occurrences[c.occurrence].deadline;
    if c.eval.deadline == d0 {
        date(d0)
    } else {
        let word = match lang {
            Lang::Vi => "gia hạn",
            Lang::En => "extended",
        };
        format!("{} ({word})", date(c.eval.deadline))
    }
}

/// "10/12/2023: hoàn thành 100%".
pub fn last_update_text(plan: &Plan, c: &Classified, lang: Lang) -> String {
    match c.eval.last {
        None => labels(lang).no_updates.to_string(),
        Some(i) => {
            let u = &plan.updates[i];
            let mut s = format!("{}: {}", date(u.date), status_name(u.status, lang));
            if let Some(p) = u.percent {
                s.push_str(&format!(" {p}%"));
            }
            s
        }
    }
}
