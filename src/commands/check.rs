//! `kehoach check`: validate the whole plan, list every problem, summarise.

use super::{Env, Reported};
use crate::discover::PlanDir;
use crate::labels::labels;
use crate::validate::{Text, load_plan_with};

pub fn run(dir: &PlanDir, env: &mut Env<'_>) -> anyhow::Result<()> {
    let checked = load_plan_with(&dir.path, &dir.shown, &env.cache, Text::Skip);
    if !env.lang_given {
        env.lang = checked
            .plan
            .as_ref()
            .map_or_else(|| crate::load::plan_lang(&dir.path), |p| p.lang);
    }
    super::print_problems(&checked.problems, None, env)?;
    let l = labels(env.lang);
    let errors = checked.errors();
    let warnings = checked.problems.len() - errors;
    match &checked.plan {
        Some(plan) if errors == 0 => {
            let n = |x: usize| crate::labels::count(x as u64, env.lang);
            let mut line = format!(
                "{}: {} {}, {} {}, {} {}, {} {}, {} {}",
                plan.id,
                n(plan.groups.len()),
                l.groups_n,
                n(plan.tasks.len()),
                l.tasks_n,
                n(plan.occurrences.len()),
                l.occurrences_n,
                n(plan.agencies.len()),
                l.agencies_n,
                n(plan.updates.len()),
                l.updates_n,
            );
            if !plan.indicators.is_empty() {
                line.push_str(&format!(
                    ", {} {}, {} {}",
                    n(plan.indicators.len()),
                    l.indicators_n,
                    n(plan.measures.len()),
                    l.measures_n
                ));
            }
            line.push_str(&format!(" — {}", l.ok));
            if warnings > 0 {
                line.push_str(&format!(" ({} {})", n(warnings), l.warnings_n));
            }
            writeln!(env.out, "{line}")?;
            env.release(checked);
            Ok(())
        }
        _ => {
            writeln!(
                env.err,
                "{}: {errors} {}, {warnings} {}",
                dir.shown, l.errors_n, l.warnings_n
            )?;
            Err(Reported.into())
        }
    }
}
