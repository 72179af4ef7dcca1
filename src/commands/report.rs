//! `kehoach report`: the yearly compliance table (spec §7, §10).

use super::{Env, select_agencies, write_output, write_output_by};
use crate::cli::{ReportArgs, ReportFormat, YearSel};
use crate::discover::PlanDir;
use crate::messages::{Failure, Msg};
use crate::model::Plan;
use crate::render::{self, ReportView};
use crate::report::{all_years, compliance, compliance_of, default_years, indicator_rows};
use crate::status::classify_all;
use crate::validate::Text;
use chrono::Datelike;

pub fn run(dir: &PlanDir, args: &ReportArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    // `--format`, else the one `--output`'s extension names.
    let format = args.format()?;
    let binary = match format {
        ReportFormat::Xlsx => Some("xlsx"),
        ReportFormat::Docx => Some("docx"),
        _ => None,
    };
    if let Some(kind) = binary {
        super::not_on_terminal(kind, args.output.as_deref(), env)?;
    }
    if format != ReportFormat::Docx
        && (args.number.is_some() || args.date.is_some() || args.signer.is_some())
    {
        return Err(Failure::usage(Msg::DocxOnly).into());
    }
    // Only the fileable formats show updates' text (their appendix).
    let appendix = matches!(
        format,
        ReportFormat::Html | ReportFormat::Xlsx | ReportFormat::Docx
    );
    let text = if appendix { Text::Keep } else { Text::Skip };
    let (plan, as_of) = super::open_with(dir, &args.as_of, env, text)?;
    let lang = env.lang;
    let agencies = select_agencies(&plan, &args.agency)?;
    let years = match args.year {
        Some(YearSel::All) => all_years(&plan),
        Some(YearSel::Year(y)) => vec![check_year(&plan, y)?],
        None => default_years(&plan, as_of),
    };
    // The period summary comes with every year, or once the period is over.
    let summary = matches!(args.year, Some(YearSel::All))
        || (args.year.is_none() && as_of.year() > plan.last_year);
    let filter = (!agencies.is_empty()).then_some(agencies.as_slice());
    // Only the fileable formats list every occurrence (their appendix);
    // the others need the counts alone, taken without keeping a
    // classification per occurrence.
    let (classified, report) = if appendix {
        let classified = classify_all(&plan, as_of);
        let report = compliance(&plan, &classified, as_of, &years, filter, summary);
        (classified, report)
    } else {
        let report = compliance_of(&plan, as_of, &years, filter, summary);
        (Vec::new(), report)
    };
    ceased_notice(&plan, &args.agency, &report, env)?;
    let indicators = match format {
        ReportFormat::Html | ReportFormat::Xlsx | ReportFormat::Docx => {
            indicator_rows(&plan, as_of, &years, None)
        }
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
    // The page is written as it is made; the other formats are made whole
    // (a workbook, a document, or a table of a few hundred rows).
    let bytes = match format {
        ReportFormat::Html => None,
        ReportFormat::Table => {
            // On a terminal, the tables fit its width where they can.
            let width = env.out_width.filter(|_| args.output.is_none());
            Some(render::table::report(&view, width).into_bytes())
        }
        ReportFormat::Markdown => Some(render::markdown::report(&view).into_bytes()),
        ReportFormat::Csv => Some(render::csv::report(&view)?.into_bytes()),
        ReportFormat::Json => Some(render::json::report(&view)?.into_bytes()),
        ReportFormat::Xlsx => Some(render::xlsx::report(&view)?),
        ReportFormat::Docx => {
            let date = args.date.unwrap_or(as_of);
            let info = render::docx::DocInfo {
                issuer: render::docx::issuer(&view, date),
                date,
                number: args.number.clone(),
                signer: args.signer.clone(),
            };
            Some(render::docx::document(&view, &info)?)
        }
    };
    let bom = format == ReportFormat::Csv;
    let r = match &bytes {
        Some(bytes) => write_output(args.output.as_deref(), bytes, bom, env),
        None => write_output_by(args.output.as_deref(), bom, env, |out| {
            render::html::report(&view, out)
        }),
    };
    env.release((plan, classified, report, indicators, bytes));
    r
}

/// `--agency X` for an agency that ceased: its later occurrences are its
/// successor's (§9); say so rather than show an empty table in silence.
fn ceased_notice(
    plan: &Plan,
    codes: &[String],
    report: &crate::report::Compliance,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    for code in codes {
        let Some(a) = plan.agency_by_code(code) else {
            continue;
        };
        let agency = &plan.agencies[a];
        if let (Some(until), Some(s)) = (agency.until, agency.successor)
            && report
                .years
                .iter()
                .any(|y| crate::model::calendar::year_end(*y) > until)
        {
            // Tasks split away to another agency are named after it.
            let mut successor = crate::render::agency_label(plan, s, env.lang);
            let splits = crate::render::split_away(plan).into_iter().nth(a);
            for (to, ids) in splits.unwrap_or_default() {
                let task = crate::labels::labels(env.lang).task.to_lowercase();
                let to = crate::render::agency_label(plan, to, env.lang);
                successor.push_str(&format!("; {task} {}: {to}", ids.join(", ")));
            }
            let msg = Msg::AgencyCeased {
                code: agency.code.clone(),
                until: crate::labels::date(until),
                successor,
            };
            writeln!(env.err, "{}", msg.text(env.lang))?;
        }
    }
    Ok(())
}

/// A year the plan has occurrences in: refuse typos such as 2204.
pub fn check_year(plan: &Plan, y: i32) -> Result<i32, Failure> {
    if plan.years().contains(&y) || plan.occurrences.iter().any(|o| o.year() == y) {
        Ok(y)
    } else {
        Err(Failure::usage(Msg::YearNotInPlan {
            year: y,
            first: plan.first_year,
            last: plan.last_year,
        }))
    }
}
