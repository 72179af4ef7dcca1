//! `kehoach agencies`: each agency with the tasks it leads and supports,
//! its groups, and its reorganisation.

use super::Env;
use crate::discover::PlanDir;

pub fn run(dir: &PlanDir, env: &mut Env<'_>) -> anyhow::Result<()> {
    let plan = super::load(dir, env, Some(super::WARNINGS_SHOWN))?;
    let text = crate::render::agencies::table(&plan, env.lang);
    env.out.write_all(text.as_bytes())?;
    Ok(())
}
