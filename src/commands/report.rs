//! `kehoach report`: the yearly compliance table (spec §7, §10).

use super::{Env, resolve_agency, write_output};
use crate::cli::{ReportArgs, ReportFormat, YearSel};
use crate::discover::PlanDir;
use crate::model::Plan;
use crate::render::{self, ReportView};
use crate::report::{all_years, compliance, default_years, indicator_rows};
use crate::status::classify_all;
use chrono::Datelike;

pub fn run(
    dir: &PlanDir,
    args: &ReportArgs,
    cli_lang: Option<crate::cli::LangArg>,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    let (plan, as_of, lang) = super::open(dir, &args.as_of, cli_lang, env)?;
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
    let filter = (!agencies.is_empty()).then_some(agencies.as_slice());
    let indicators = match args.format {
        ReportFormat::Html | ReportFormat::Xlsx => indicator_rows(&plan, as_of, &years, None),
        _ => Vec::new(),
    };
    let view = ReportView {
        plan: &plan,
        report: &report,
        lang,
        classified: &classified,
        agencies: filter,
        indicators: &indicators,
    };
    let bytes = match args.format {
        ReportFormat::Table => render::table::report(&view).into_bytes(),
        ReportFormat::Markdown => render::markdown::report(&view).into_bytes(),
        ReportFormat::Csv => render::csv::report(&view)?.into_bytes(),
        ReportFormat::Json => render::json::report(&view)?.into_bytes(),
        ReportFormat::Html => render::html::report(&view)?.into_bytes(),
        ReportFormat::Xlsx => {
            if args.output.is_none() && env.out_is_terminal {
                return Err(super::UsageError(
                    "xlsx is a binary file and this is a terminal: name a file with --output, e.g. --output bao-cao.xlsx".to_string(),
                )
                .into());
            }
            render::xlsx::report(&view)?
        }
    };
    let bom = args.format == ReportFormat::Csv;
    let r = write_output(args.output.as_deref(), &bytes, bom, env);
    super::release((plan, classified, report, indicators, bytes));
    r
}

/// A year the plan has occurrences in: refuse typos such as 2204.
pub fn check_year(plan: &Plan, y: i32) -> Result<i32, super::UsageError> {
    if plan.years().contains(&y) || plan.occurrences.iter().any(|o| o.year() == y) {
        Ok(y)
    } else {
        Err(super::UsageError(format!(
            "year {y} is outside the plan period {}–{}",
            plan.first_year, plan.last_year
        )))
    }
}
