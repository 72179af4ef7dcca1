//! One file per subcommand: each glues the stages together and writes to a
//! `&mut dyn Write`. The clock is not read here: `today` comes from `main`.

mod agencies;
mod check;
mod due;
mod indicators;
mod init;
mod measure;
mod merge;
mod meta;
mod plans;
mod record;
mod report;
mod show;
mod tasks;

use crate::cli::{Cli, Command, LangArg};
use crate::discover::{PlanDir, find_plan};
use crate::model::Plan;
use crate::model::{AgencyId, Lang};
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
    /// Whether standard output is a terminal (binary output is refused there).
    pub out_is_terminal: bool,
    /// Colour on standard output and on standard error (`--color`, NO_COLOR).
    pub color_out: bool,
    pub color_err: bool,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

pub fn run(cli: Cli, env: &mut Env<'_>) -> anyhow::Result<()> {
    // Commands that need no plan.
    match &cli.command {
        Command::MergeDriver(args) => return merge::driver(args, env),
        Command::GitSetup => return merge::setup(env),
        Command::Init(args) => return init::run(args, env),
        Command::Plans(args) => return plans::run(args, cli.lang, env),
        Command::Completions(args) => return meta::completions(args, cli.plan.as_deref(), env),
        Command::Man(args) => return meta::man(args, env),
        _ => {}
    }
    let dir = find_plan(cli.plan.as_deref(), env.cwd)?;
    match cli.command {
        Command::Record(args) => record::run(&dir, &args, cli.lang, env),
        Command::Measure(args) => measure::run(&dir, &args, cli.lang, env),
        Command::Indicators(args) => indicators::run(&dir, &args, cli.lang, env),
        Command::Agencies => agencies::run(&dir, cli.lang, env),
        Command::MergeDriver(_)
        | Command::GitSetup
        | Command::Init(_)
        | Command::Plans(_)
        | Command::Completions(_)
        | Command::Man(_) => Ok(()),
        Command::Check => check::run(&dir, env),
        Command::Report(args) => report::run(&dir, &args, cli.lang, env),
        Command::Tasks(args) => tasks::run(&dir, &args, cli.lang, env),
        Command::Show(args) => show::run(&dir, &args, cli.lang, env),
        Command::Due(args) => due::run(&dir, &args, cli.lang, env),
    }
}

/// What every reading command starts with: the valid plan, the as-of date
/// (`--as-of`, else today) and the output language.
pub fn open(
    dir: &PlanDir,
    as_of: &crate::cli::AsOfArg,
    cli_lang: Option<LangArg>,
    env: &mut Env<'_>,
) -> anyhow::Result<(Plan, NaiveDate, Lang)> {
    let plan = load(dir, env)?;
    let lang = lang_of(cli_lang, &plan);
    Ok((plan, as_of.as_of.unwrap_or(env.today), lang))
}

/// The output language: `--lang`, else the plan's `lang`.
pub fn lang_of(cli: Option<LangArg>, plan: &Plan) -> Lang {
    match cli {
        Some(LangArg::Vi) => Lang::Vi,
        Some(LangArg::En) => Lang::En,
        None => plan.lang,
    }
}

/// An agency code from the command line (any case).
pub fn resolve_agency(plan: &Plan, code: &str) -> Result<AgencyId, UsageError> {
    plan.agency_by_code(code).ok_or_else(|| {
        let known: Vec<&str> = plan.agencies.iter().map(|a| a.code.as_str()).collect();
        UsageError(format!(
            "unknown agency \"{code}\"; the plan's agencies: {}",
            known.join(", ")
        ))
    })
}

/// Writes a result to `--output FILE` (atomically: a report is never left
/// half written) or to standard output. CSV files get a UTF-8 BOM so that
/// Excel on Windows reads Vietnamese correctly; standard output never does.
pub fn write_output(
    path: Option<&Path>,
    bytes: &[u8],
    bom: bool,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    let Some(path) = path else {
        env.out.write_all(bytes)?;
        return Ok(());
    };
    let path = env.cwd.join(path);
    let mut content = Vec::with_capacity(bytes.len() + 3);
    if bom {
        content.extend_from_slice(b"\xEF\xBB\xBF");
    }
    content.extend_from_slice(bytes);
    crate::write::replace_file(&path, &content)?;
    writeln!(env.err, "{}", path.display())?;
    Ok(())
}

/// Lets a command's large values go without freeing them one by one: a
/// national plan is millions of small allocations, which the operating
/// system reclaims at exit at once, faster than the allocator frees them.
pub fn release<T>(value: T) {
    std::mem::forget(value);
}

/// Loads and validates the plan; on any error prints every problem and
/// fails. Warnings are printed and the plan is used.
pub fn load(dir: &PlanDir, env: &mut Env<'_>) -> anyhow::Result<Plan> {
    let checked = load_plan(&dir.path, &dir.shown);
    for p in &checked.problems {
        writeln!(env.err, "{}", p.painted(env.color_err))?;
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
