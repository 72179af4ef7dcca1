//! `kehoach report`: the yearly compliance table (spec §7, §10).

use super::{Env, lang_of, resolve_agency, write_output};
use crate::cli::{ReportArgs, ReportFormat, YearSel};
use crate::discover::PlanDir;
use crate::model::Plan;
use crate::render::{self, ReportView};
use crate::report::{all_years, compliance, default_years};
use crate::status::classify_all;
use chrono::Datelike;

pub fn run(
    dir: &PlanDir,
    args: &ReportArgs,
    cli_lang: Option<crate::cli::LangArg>,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    let plan = super::load(dir, env)?;
    let as_of = args.as_of.as_of.unwrap_or(env.today);
    let lang = lang_of(cli_lang, &plan);
    let agencies = args
        .agency
        .iter()
        .map(|code| resolve_agency(&plan, code))
        .collect::<Result<Vec<_>, _>>()?;
    let years = match args.year {
        Some(YearSel::All) => all_years(&plan),
        Some(YearSel::Year(y)) => vec![check_year(&plan, y)?],
        None => default_years(&plan, as_of),
    };
    // The period summary comes with every year, or once the period is over.
    let summary = matches!(args.year, Some(YearSel::All))
        || (args.year.is_none() && as_of.year() > plan.last_year);
    let classified = classify_all(&plan, as_of);
    let report = compliance(
        &plan,
        &classified,
        as_of,
        &years,
        (!agencies.is_empty()).then_some(agencies.as_slice()),
        summary,
    );
    let view = ReportView {
        plan: &plan,
        report: &report,
        lang,
    };
    let text = match args.format {
        ReportFormat::Table => render::table::report(&view),
        ReportFormat::Markdown => render::markdown::report(&view),
        ReportFormat::Csv => render::csv::report(&view)?,
        ReportFormat::Json => render::json::report(&view)?,
    };
    let bom = args.format == ReportFormat::Csv;
    write_output(args.output.as_deref(), text.as_bytes(), bom, env)
}

/// A year the plan has occurrences in: refuse typos such as 2204.
pub fn check_year(plan: &Plan, y: i32) -> Result<i32, super::UsageError> {
    if plan.years().contains(&y) || plan.occurrences.iter().any(|o| o.year == y) {
        Ok(y)
    } else {
        Err(super::UsageError(format!(
            "year {y} is outside the plan period {}–{}",
            plan.first_year, plan.last_year
        )))
    }
}
