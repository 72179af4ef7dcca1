//! One file per subcommand: each glues the stages together and writes to a
//! `&mut dyn Write`. The clock is not read here: `today` comes from `main`.

mod check;

use crate::cli::{Cli, Command};
use crate::discover::{PlanDir, find_plan};
use crate::model::Plan;
use crate::validate::load_plan;
use chrono::NaiveDate;
use std::fmt;
use std::io::Write;
use std::path::Path;

/// A command-line usage problem found after parsing (exit status 2).
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A failure already explained on standard error (exit status 1, nothing
/// more to print).
#[derive(Debug)]
pub struct Reported;

impl fmt::Display for Reported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("failed")
    }
}

impl std::error::Error for Reported {}

/// What every command gets from `main`.
pub struct Env<'a> {
    pub cwd: &'a Path,
    /// Today's date, read once in `main`.
    pub today: NaiveDate,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

pub fn run(cli: Cli, env: &mut Env<'_>) -> anyhow::Result<()> {
    let dir = find_plan(cli.plan.as_deref(), env.cwd)?;
    match cli.command {
        Command::Check => check::run(&dir, env),
        _ => {
            let _ = load(&dir, env)?;
            Ok(())
        }
    }
}

/// Loads and validates the plan; on any error prints every problem and
/// fails. Warnings are printed and the plan is used.
pub fn load(dir: &PlanDir, env: &mut Env<'_>) -> anyhow::Result<Plan> {
    let checked = load_plan(&dir.path, &dir.shown);
    for p in &checked.problems {
        writeln!(env.err, "{p}")?;
    }
    match checked.plan {
        Some(plan) => Ok(plan),
        None => {
            writeln!(
                env.err,
                "{}: {} error(s); the plan cannot be used until they are fixed (run `kehoach check`)",
                dir.shown,
                checked.errors()
            )?;
            Err(Reported.into())
        }
    }
}
