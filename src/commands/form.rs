//! `kehoach form`: the report form of an agency, or of every agency (§13).

use super::{Env, resolve_agency};
use crate::cli::FormArgs;
use crate::discover::PlanDir;
use crate::messages::{Failure, Msg};
use crate::model::{AgencyId, Plan};
use crate::render::form::{FormView, workbook};
use crate::status::{Classified, classify_all};
use chrono::Datelike;

pub fn run(dir: &PlanDir, args: &FormArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    if !args.all_agencies && args.output.is_none() {
        return Err(Failure::usage(Msg::FormNeedsOutput).into());
    }
    // Blank rows to fill in: no update's free text.
    let (plan, as_of) = super::open_with(dir, &args.as_of, env, crate::validate::Text::Skip)?;
    let year = super::report::check_year(&plan, args.year.unwrap_or(as_of.year()))?;
    let classified = classify_all(&plan, as_of);
    let by_agency = rows_by_agency(&plan, &classified, year);
    let lang = plan.lang;
    let forms: Vec<(AgencyId, std::path::PathBuf)> = match (&args.agency, &args.output) {
        (Some(code), Some(output)) => {
            let a = resolve_agency(&plan, code)?;
            let agency = &plan.agencies[a];
            if agency.is_group() {
                let members: Vec<&str> = agency
                    .members
                    .iter()
                    .map(|&m| plan.agencies[m].code.as_str())
                    .collect();
                return Err(Failure::usage(Msg::GroupIsNotAnAgency {
                    code: agency.code.clone(),
                    members: members.join(", "),
                })
                .into());
            }
            vec![(a, output.clone())]
        }
        _ => {
            let out_dir = env.cwd.join(
                args.output_dir
                    .as_deref()
                    .unwrap_or(std::path::Path::new(".")),
            );
            std::fs::create_dir_all(&out_dir).map_err(|e| {
                Failure::new(Msg::CannotCreateDir {
                    path: out_dir.display().to_string(),
                    detail: e.to_string(),
                })
            })?;
            (0..plan.agencies.len())
                .filter(|&a| {
                    !plan.agencies[a].is_group() && by_agency.get(a).is_some_and(|r| !r.is_empty())
                })
                .map(|a| {
                    (
                        a,
                        out_dir.join(format!("{}-{year}.xlsx", plan.agencies[a].code)),
                    )
                })
                .collect()
        }
    };
    // Made on all cores, written one by one in order.
    let books: Vec<anyhow::Result<Vec<u8>>> = {
        use rayon::prelude::*;
        forms
            .par_iter()
            .map(|&(agency, _)| {
                workbook(&FormView {
                    plan: &plan,
                    agency,
                    year,
                    as_of,
                    lang,
                    rows: by_agency.get(agency).map_or(&[], Vec::as_slice),
                })
            })
            .collect()
    };
    for ((_, path), bytes) in forms.iter().zip(books) {
        super::write_output(Some(path), &bytes?, false, env)?;
    }
    env.release(by_agency);
    env.release((plan, classified));
    Ok(())
}

/// The occurrences each form lists, by agency: those of `year` attributed
/// to the agency as of the form's date (§9; a group task's occurrence is
/// its member's), in the plan's order. One pass over the occurrences: a
/// pass per agency made a thousand national forms read 1.45 million
/// occurrences a thousand times over.
fn rows_by_agency<'a>(
    plan: &Plan,
    classified: &'a [Classified],
    year: i32,
) -> Vec<Vec<&'a Classified>> {
    let mut by_agency = vec![Vec::new(); plan.agencies.len()];
    for c in classified {
        if plan.occurrences[c.occurrence()].year() == year
            && let Some(rows) = by_agency.get_mut(c.agency())
        {
            rows.push(c);
        }
    }
    by_agency
}
