//! `kehoach plans`: the plans under ./plans/ at a glance.

use super::Env;
use crate::cli::AsOfArg;
use crate::messages::{Failure, Msg};
use crate::render::plans::PlanLine;
use crate::report::{Counts, all_years, compliance_of};

pub fn run(args: &AsOfArg, env: &mut Env<'_>) -> anyhow::Result<()> {
    let as_of = args.as_of.unwrap_or(env.today);
    let dirs = crate::discover::plans_under(&env.cwd.join("plans"));
    if dirs.is_empty() {
        return Err(Failure::new(Msg::NoPlansUnder).into());
    }
    let mut lines = Vec::new();
    for dir in &dirs {
        let shown = crate::discover::shown_under(env.cwd, dir).shown;
        let plan_dir = crate::discover::PlanDir {
            path: dir.clone(),
            shown: shown.clone(),
        };
        let text = crate::validate::Text::Skip;
        let checked = if env.set_aside {
            super::Loaded::read_setting_aside(&plan_dir, &env.cache, text)
        } else {
            super::Loaded::read_with(&plan_dir, &env.cache, text)
        };
        let state = match &checked.plan {
            Some(plan) => {
                let report = compliance_of(plan, as_of, &all_years(plan), None, false);
                let mut total = Counts::default();
                for (_, c) in &report.totals {
                    total.merge(c);
                }
                Ok((
                    plan.plan_title(env.lang).to_string(),
                    format!("{}-{}", plan.first_year, plan.last_year),
                    plan.tasks.len(),
                    total,
                ))
            }
            None => Err(checked.problems.iter().filter(|p| p.is_error()).count()),
        };
        lines.push(PlanLine {
            dir: shown,
            id: crate::load::plan_id(dir).unwrap_or_default(),
            state,
            set_aside: checked.set_aside.len(),
        });
    }
    for (id, list) in crate::discover::duplicate_ids(env.cwd, &dirs) {
        let msg = Msg::DuplicatePlanId {
            id,
            list: list.join(", "),
        };
        writeln!(
            env.err,
            "kehoach: {}: {}",
            crate::messages::warning_word(env.lang),
            msg.text(env.lang)
        )?;
    }
    let text = crate::render::plans::table(&lines, as_of, env.lang, env.out_width);
    env.out.write_all(text.as_bytes())?;
    Ok(())
}
