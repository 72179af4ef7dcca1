//! `kehoach show TASK`: one task, its agencies, every occurrence with its
//! class, and the full history of updates.

use super::Env;
use crate::cli::ShowArgs;
use crate::discover::PlanDir;
use crate::messages::{Failure, Msg};

pub fn run(dir: &PlanDir, args: &ShowArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    let (plan, as_of) = super::open(dir, &args.as_of, env)?;
    let Some(t) = plan.task_by_id(&args.task) else {
        let prefix = args.task.split('.').next().unwrap_or("");
        let mut near: Vec<&str> = plan
            .tasks
            .iter()
            .map(|t| t.id.as_str())
            .filter(|id| id.starts_with(prefix))
            .take(8)
            .collect();
        if near.is_empty() {
            near = plan.tasks.iter().take(8).map(|t| t.id.as_str()).collect();
        }
        return Err(Failure::usage(Msg::NoSuchTask {
            id: args.task.clone(),
            plan: plan.id.clone(),
            near: near.join(", "),
        })
        .into());
    };
    let text = crate::render::show::task(&plan, t, as_of, env.lang);
    env.out.write_all(text.as_bytes())?;
    env.release(plan);
    Ok(())
}
