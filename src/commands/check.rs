//! `kehoach check`: validate the whole plan, list every problem, summarise.

use super::{Env, Reported};
use crate::discover::PlanDir;
use crate::validate::load_plan;

pub fn run(dir: &PlanDir, env: &mut Env<'_>) -> anyhow::Result<()> {
    let checked = load_plan(&dir.path, &dir.shown);
    for p in &checked.problems {
        writeln!(env.err, "{}", p.painted(env.color_err))?;
    }
    let errors = checked.errors();
    let warnings = checked.problems.len() - errors;
    match &checked.plan {
        Some(plan) if errors == 0 => {
            writeln!(
                env.out,
                "{}: {} groups, {} tasks, {} occurrences, {} agencies, {} updates{}{} — ok",
                plan.id,
                plan.groups.len(),
                plan.tasks.len(),
                plan.occurrences.len(),
                plan.agencies.len(),
                plan.updates.len(),
                if plan.indicators.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", {} indicators, {} measurements",
                        plan.indicators.len(),
                        plan.measures.len()
                    )
                },
                if warnings > 0 {
                    format!(" ({warnings} warning(s))")
                } else {
                    String::new()
                },
            )?;
            super::release(checked);
            Ok(())
        }
        _ => {
            writeln!(
                env.err,
                "{}: {errors} error(s), {warnings} warning(s)",
                dir.shown
            )?;
            Err(Reported.into())
        }
    }
}
