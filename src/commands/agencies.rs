//! `kehoach agencies`: each agency with the tasks it leads and supports,
//! its groups, and its reorganisation.

use super::Env;
use crate::discover::PlanDir;

pub fn run(dir: &PlanDir, env: &mut Env<'_>) -> anyhow::Result<()> {
    // No update is shown: their text is not kept.
    let plan = super::load_with(
        dir,
        env,
        Some(super::WARNINGS_SHOWN),
        crate::validate::Text::Skip,
    )?;
    let text = crate::render::agencies::table(&plan, env.lang, env.out_width);
    env.out.write_all(text.as_bytes())?;
    Ok(())
}
