//! Stage 5: one renderer per format. Only this module knows comfy-table and
//! csv; everything here turns report rows into text and nothing else.

pub mod csv;
pub mod indicators;
pub mod json;
pub mod markdown;
pub mod table;

use crate::labels::{Labels, labels};
use crate::model::{AgencyId, Lang, Plan};
use crate::report::Compliance;

/// What a compliance renderer needs.
pub struct ReportView<'a> {
    pub plan: &'a Plan,
    pub report: &'a Compliance,
    pub lang: Lang,
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

    /// "2021–2025", the span of the years shown.
    pub fn span(&self) -> String {
        match (self.report.years.first(), self.report.years.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        }
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
