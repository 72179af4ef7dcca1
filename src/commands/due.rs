//! `kehoach due`: the officer's morning view — what is overdue and what
//! falls due within N days, under the agency responsible now.

use super::{Env, select_agencies};
use crate::cli::DueArgs;
use crate::discover::PlanDir;
use crate::report::due_found;

pub fn run(dir: &PlanDir, args: &DueArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    env.keep_freed();
    let (plan, as_of) = super::open_with(dir, &args.as_of, env, crate::validate::Text::Skip)?;
    let only = (!args.agency.is_empty())
        .then(|| select_agencies(&plan, &args.agency))
        .transpose()?;
    let mut found = due_found(&plan, as_of, args.within, only.as_deref());
    // The whole list's counts, said at its top also when `--limit` cuts it.
    let counts = found.kinds();
    if let Some(n) = args.limit {
        found.truncate(n);
    }
    let color = env.color_out;
    crate::render::due::list(
        &plan,
        &found,
        counts,
        as_of,
        args.within,
        env.lang,
        color,
        env.out,
        crate::render::due::Sizes::NATIONAL,
    )?;
    env.release((plan, found));
    Ok(())
}
