//! One file per subcommand: each is glue — load the plan, compute, hand the
//! result to a renderer, write it out. The clock is not read here: `today`
//! comes from `main`. Failures are `messages::Failure`s, printed by `main`
//! in the message language (`Env::lang`).

mod agencies;
mod check;
mod due;
mod form;
mod import;
mod indicators;
mod init;
mod measure;
mod merge;
mod meta;
mod plans;
mod record;
pub mod report;
mod rollover;
mod show;
mod tasks;

use crate::cli::{Cli, Command, LangArg};
use crate::discover::{PlanDir, find_plan};
use crate::messages::{Failure, Msg};
use crate::model::{AgencyId, Lang, Plan};
use crate::validate::{Text, load_plan_with};
use chrono::NaiveDate;
use std::fmt;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

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

/// How many warnings a reading command prints before it sums up (§10).
pub const WARNINGS_SHOWN: usize = 10;

/// What every command gets from `main`.
pub struct Env<'a> {
    pub cwd: &'a Path,
    /// Today's date, read once in `main`.
    pub today: NaiveDate,
    /// The clock, for a server that runs for days and reads "today" per
    /// request (spec §15); defined in `main`, the only place that reads it.
    pub clock: fn() -> NaiveDate,
    /// Whether standard output is a terminal (binary output is refused there).
    pub out_is_terminal: bool,
    /// The terminal's width in columns, when standard output is one: a
    /// report's tables are fitted to it.
    pub out_width: Option<usize>,
    /// Colour on standard output and on standard error (`--color`, NO_COLOR).
    pub color_out: bool,
    pub color_err: bool,
    /// The language of messages and output: `--lang`, else the plan's once
    /// it is loaded, else Vietnamese.
    pub lang: Lang,
    /// Whether `--lang` was given (then the plan's `lang` does not apply).
    pub lang_given: bool,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    /// The parse cache (`--no-cache`, `KEHOACH_NO_CACHE`, `KEHOACH_CACHE_DIR`).
    pub cache: crate::cache::Cache,
    /// `--set-aside`: reading commands leave out progress files with
    /// errors instead of refusing the plan (see `set_aside`).
    pub set_aside: bool,
    /// A plan the server already holds (see `Loaded`).
    pub loaded: Option<Arc<Loaded>>,
    /// Whether the process ends after this command (the command line), so
    /// large values need not be freed one by one (see `release`).
    pub exits: bool,
}

pub fn run(cli: Cli, env: &mut Env<'_>) -> anyhow::Result<()> {
    // Commands that need no plan.
    match &cli.command {
        Command::MergeDriver(args) => return merge::driver(args, env),
        Command::GitSetup => return merge::setup(cli.plan.as_deref(), env),
        Command::Init(args) => return init::run(args, env),
        Command::Plans(args) => return plans::run(args, env),
        Command::Completions(args) => return meta::completions(args, cli.plan.as_deref(), env),
        Command::Man(args) => return meta::man(args, env),
        Command::Serve(args) if cli.plan.is_none() => {
            // Several plans under plans/ are served side by side (plan=ID).
            if let Ok(dir) = find_plan(None, env.cwd) {
                return crate::serve::run(dir, false, args.clone(), env);
            }
            return crate::serve::run_many(args.clone(), env);
        }
        _ => {}
    }
    let dir = find_plan(cli.plan.as_deref(), env.cwd)?;
    match cli.command {
        Command::Record(args) => record::run(&dir, &args, env),
        Command::Measure(args) => measure::run(&dir, &args, env),
        Command::Form(args) => form::run(&dir, &args, env),
        Command::Import(args) => import::run(&dir, &args, env),
        Command::Indicators(args) => indicators::run(&dir, &args, env),
        Command::Agencies => agencies::run(&dir, env),
        Command::Serve(args) => crate::serve::run(dir, cli.plan.is_some(), args, env),
        Command::MergeDriver(_)
        | Command::GitSetup
        | Command::Init(_)
        | Command::Plans(_)
        | Command::Completions(_)
        | Command::Man(_) => Ok(()),
        Command::Check => check::run(&dir, env),
        Command::Report(args) => report::run(&dir, &args, env),
        Command::Tasks(args) => tasks::run(&dir, &args, env),
        Command::Show(args) => show::run(&dir, &args, env),
        Command::Due(args) => due::run(&dir, &args, env),
    }
}

/// The language `--lang` asks for, if any.
pub fn lang_arg(arg: Option<LangArg>) -> Option<Lang> {
    arg.map(|l| match l {
        LangArg::Vi => Lang::Vi,
        LangArg::En => Lang::En,
    })
}

/// What every reading command starts with: the valid plan and the as-of
/// date (`--as-of`, else today). Prints at most `WARNINGS_SHOWN` warnings.
pub fn open(
    dir: &PlanDir,
    as_of: &crate::cli::AsOfArg,
    env: &mut Env<'_>,
) -> anyhow::Result<(Arc<Plan>, NaiveDate)> {
    open_with(dir, as_of, env, Text::Keep)
}

/// The plan's lock for a command that writes (`record`, `measure`,
/// `import`), taken before it reads the plan and held until it has
/// written. A writer kept waiting says so on standard error, in the
/// plan's language.
pub fn lock_plan(dir: &PlanDir, env: &mut Env<'_>) -> anyhow::Result<crate::write::PlanLock> {
    let given = env.lang_given.then_some(env.lang);
    let err = &mut *env.err;
    crate::write::lock_plan_saying(&dir.path, crate::write::LOCK_WAIT, |holder| {
        let lang = given.unwrap_or_else(|| crate::load::plan_lang(&dir.path));
        let note = Msg::WaitingForLock {
            holder: holder.to_string(),
        };
        let _ = writeln!(err, "kehoach: {}", note.text(lang));
    })
}

/// `open`, for a command that shows no update's free text (`Text::Skip`).
pub fn open_with(
    dir: &PlanDir,
    as_of: &crate::cli::AsOfArg,
    env: &mut Env<'_>,
    text: Text,
) -> anyhow::Result<(Arc<Plan>, NaiveDate)> {
    let plan = load_checked(dir, env, Some(WARNINGS_SHOWN), text, true)?;
    Ok((plan, as_of.as_of.unwrap_or(env.today)))
}

/// An agency code from the command line (any case); a group stands for its
/// members.
pub fn resolve_agency(plan: &Plan, code: &str) -> Result<AgencyId, Failure> {
    plan.agency_by_code(code).ok_or_else(|| {
        let known: Vec<&str> = plan.agencies.iter().map(|a| a.code.as_str()).collect();
        Failure::usage(Msg::UnknownAgencyArg {
            code: code.to_string(),
            suggestion: crate::messages::nearest(&code.to_ascii_uppercase(), known.iter().copied()),
            known: known.join(", "),
        })
    })
}

/// The agencies `--agency` selects: the agency, or a group's members.
pub fn select_agencies(plan: &Plan, codes: &[String]) -> Result<Vec<AgencyId>, Failure> {
    let mut out = Vec::new();
    for code in codes {
        let a = resolve_agency(plan, code)?;
        if plan.agencies[a].is_group() {
            out.extend(plan.agencies[a].members.iter().copied());
        } else {
            out.push(a);
        }
    }
    Ok(out)
}

/// How many rows a long listing (`due`, `tasks`) shows on a terminal
/// unless `--limit` or `--all` says otherwise: a province's list fits in
/// it whole, where a national one — a million rows — would scroll for
/// minutes; the list says how many there are and that `--all` shows them.
pub const TERMINAL_ROWS: usize = 1_000;

/// The rows a long listing shows: all with `--all`, else `--limit`'s, else
/// on a terminal table (`table`, without `--output`) `TERMINAL_ROWS`.
pub fn listing_limit(
    all: bool,
    limit: Option<usize>,
    table: bool,
    output: Option<&Path>,
    env: &Env<'_>,
) -> Option<usize> {
    if all {
        return None;
    }
    limit.or((table && output.is_none() && env.out_is_terminal).then_some(TERMINAL_ROWS))
}

/// Refuses to write a binary document (`kind`: xlsx, docx) to a terminal:
/// without `--output`, it goes to standard output only when piped.
pub fn not_on_terminal(kind: &str, output: Option<&Path>, env: &Env<'_>) -> Result<(), Failure> {
    if output.is_none() && env.out_is_terminal {
        return Err(Failure::usage(Msg::BinaryOnTerminal {
            format: kind.into(),
        }));
    }
    Ok(())
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
    write_output_by(path, bom, env, |out| Ok(out.write_all(bytes)?))
}

/// `write_output` of what `write` writes as it writes it: to standard
/// output, or into the new file `path` (after a BOM when `bom`), never
/// held whole in memory.
pub fn write_output_by(
    path: Option<&Path>,
    bom: bool,
    env: &mut Env<'_>,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let Some(path) = path else {
        return write(&mut *env.out);
    };
    let path = env.cwd.join(path);
    crate::write::replace_file_by(&path, |out| {
        if bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        write(out)
    })?;
    writeln!(env.err, "{}", path.display())?;
    Ok(())
}

/// Lets a command's large values go without freeing them one by one: a
/// national plan is millions of small allocations, which the operating
/// system reclaims at exit at once, faster than the allocator frees them.
/// A server keeps running, so there it drops them as usual.
impl Env<'_> {
    pub fn release<T>(&self, value: T) {
        if self.exits {
            std::mem::forget(value);
        } else {
            drop(value);
        }
    }

    /// Keeps the memory freed from now on for the rest of the run
    /// (`memory::keep_freed`), when the run ends with the command: a server
    /// that hands its memory back after a large listing keeps the default.
    pub fn keep_freed(&self) {
        if self.exits {
            crate::memory::keep_freed();
        }
    }
}

/// A plan loaded and checked once and shared by the requests of a
/// long-running server (`kehoach serve`), which decides when it is stale.
pub struct Loaded {
    /// The plan directory it was loaded from.
    pub path: std::path::PathBuf,
    pub plan: Option<Arc<Plan>>,
    pub problems: Vec<crate::problem::Problem>,
    /// The progress files left out (`--set-aside`), as shown; their
    /// errors are the errors of `problems`.
    pub set_aside: Vec<String>,
}

impl Loaded {
    pub fn read(dir: &PlanDir, cache: &crate::cache::Cache) -> Loaded {
        Loaded::read_with(dir, cache, Text::Keep)
    }

    pub fn read_with(dir: &PlanDir, cache: &crate::cache::Cache, text: Text) -> Loaded {
        let checked = load_plan_with(&dir.path, &dir.shown, cache, text);
        Loaded {
            path: dir.path.clone(),
            plan: checked.plan.map(Arc::new),
            problems: checked.problems,
            set_aside: Vec::new(),
        }
    }

    /// `read`, except that when only progress files have errors, the plan
    /// is read again without them (`--set-aside`) and used if that is
    /// valid.
    pub fn read_setting_aside(dir: &PlanDir, cache: &crate::cache::Cache, text: Text) -> Loaded {
        let first = Loaded::read_with(dir, cache, text);
        let Some(broken) = broken_progress(dir, &first.problems) else {
            return first;
        };
        let skip: Vec<String> = broken.iter().map(|(rel, _)| rel.clone()).collect();
        let again = crate::validate::load_plan_without(&dir.path, &dir.shown, text, &skip);
        let Some(plan) = again.plan else {
            return first;
        };
        let mut problems: Vec<_> = first
            .problems
            .into_iter()
            .filter(|p| p.is_error())
            .collect();
        problems.extend(again.problems);
        Loaded {
            path: dir.path.clone(),
            plan: Some(Arc::new(plan)),
            problems,
            set_aside: broken.into_iter().map(|(_, shown)| shown).collect(),
        }
    }
}

/// Prints problems in the message language, all of them or the first
/// `limit` warnings and then how many more there are (§10).
pub fn print_problems(
    problems: &[crate::problem::Problem],
    limit: Option<usize>,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    let mut warnings = 0;
    for p in problems {
        if !p.is_error() {
            warnings += 1;
            if limit.is_some_and(|n| warnings > n) {
                continue;
            }
        }
        writeln!(env.err, "{}", p.render(env.lang, env.color_err))?;
    }
    if let Some(n) = limit
        && warnings > n
    {
        let more = Msg::MoreWarnings {
            count: warnings - n,
        };
        writeln!(env.err, "{}", more.text(env.lang))?;
    }
    Ok(())
}

/// Loads and validates the plan; on any error prints every problem and
/// fails. Warnings are printed (at most `limit`) and the plan is used. From
/// here on messages follow the plan's language unless `--lang` was given.
pub fn load(dir: &PlanDir, env: &mut Env<'_>, limit: Option<usize>) -> anyhow::Result<Arc<Plan>> {
    load_with(dir, env, limit, Text::Keep)
}

/// `load`, keeping the updates' free text or not.
pub fn load_with(
    dir: &PlanDir,
    env: &mut Env<'_>,
    limit: Option<usize>,
    text: Text,
) -> anyhow::Result<Arc<Plan>> {
    load_checked(dir, env, limit, text, false)
}

/// `load_with`; for a `reading` command given `--set-aside`, progress
/// files with errors are left out when the rest is valid (without it, the
/// refusal says it can be given).
fn load_checked(
    dir: &PlanDir,
    env: &mut Env<'_>,
    limit: Option<usize>,
    text: Text,
    reading: bool,
) -> anyhow::Result<Arc<Plan>> {
    let checked = match env.loaded.clone() {
        Some(loaded) if loaded.path == dir.path => loaded,
        _ if reading && env.set_aside => {
            Arc::new(Loaded::read_setting_aside(dir, &env.cache, text))
        }
        _ => Arc::new(Loaded::read_with(dir, &env.cache, text)),
    };
    if !env.lang_given {
        env.lang = checked
            .plan
            .as_ref()
            .map_or_else(|| crate::load::plan_lang(&dir.path), |p| p.lang);
    }
    let errors = checked.problems.iter().filter(|p| p.is_error()).count();
    if let (false, Some(plan)) = (checked.set_aside.is_empty(), &checked.plan) {
        // The set-aside files' errors, what was set aside, then the
        // warnings of what is used.
        let (errors, warnings): (Vec<_>, Vec<_>) =
            checked.problems.iter().cloned().partition(|p| p.is_error());
        print_problems(&errors, None, env)?;
        let msg = Msg::SetAside {
            count: checked.set_aside.len(),
            files: checked.set_aside.join(", "),
        };
        let word = crate::problem::paint(
            crate::messages::warning_word(env.lang),
            crate::problem::yellow(),
            env.color_err,
        );
        writeln!(env.err, "kehoach: {word}: {}", msg.text(env.lang))?;
        print_problems(&warnings, limit, env)?;
        return Ok(plan.clone());
    }
    print_problems(
        &checked.problems,
        if errors > 0 { None } else { limit },
        env,
    )?;
    match &checked.plan {
        Some(plan) => Ok(plan.clone()),
        None => {
            let msg = Msg::PlanHasErrors {
                dir: dir.shown.clone(),
                errors,
            };
            writeln!(env.err, "{}", msg.text(env.lang))?;
            // Only progress files broken: a report can still be made.
            if reading && broken_progress(dir, &checked.problems).is_some() {
                writeln!(env.err, "{}", Msg::SetAsideHint.text(env.lang))?;
            }
            Err(Reported.into())
        }
    }
}

/// When every error is in progress files: those files, as (relative path,
/// shown path), in plan order.
fn broken_progress(
    dir: &PlanDir,
    problems: &[crate::problem::Problem],
) -> Option<Vec<(String, String)>> {
    let errors: Vec<&crate::problem::Problem> = problems.iter().filter(|p| p.is_error()).collect();
    if errors.is_empty() {
        return None;
    }
    let progress: Vec<(String, String)> = crate::load::list_files(&dir.path, &mut Vec::new())
        .into_iter()
        .filter(|(_, kind)| *kind == crate::load::FileKind::Progress)
        .map(|(rel, _)| {
            let shown = crate::load::join_shown(&dir.shown, &rel);
            (rel, shown)
        })
        .collect();
    let mut broken: Vec<(String, String)> = Vec::new();
    for p in errors {
        let file = progress.iter().find(|(_, shown)| *shown == p.path)?;
        if !broken.contains(file) {
            broken.push(file.clone());
        }
    }
    Some(broken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// A server runs the listings in its own long-lived process (`exits`
    /// false): they must leave its freed memory free to go back.
    #[test]
    fn a_listing_run_by_a_server_lets_freed_memory_go_back() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let plan = dir.to_string_lossy().into_owned();
        for command in [&["tasks"][..], &["tasks", "--format", "csv"], &["due"]] {
            let mut argv = vec!["kehoach", "--plan", plan.as_str()];
            argv.extend_from_slice(command);
            argv.extend_from_slice(&["--as-of", "2024-06-10"]);
            let cli = Cli::try_parse_from(argv).unwrap();
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let mut env = Env {
                cwd: &dir,
                today: NaiveDate::from_ymd_opt(2024, 6, 10).unwrap(),
                clock: || NaiveDate::from_ymd_opt(2024, 6, 10).unwrap(),
                out_is_terminal: false,
                out_width: None,
                color_out: false,
                color_err: false,
                lang: Lang::Vi,
                lang_given: false,
                out: &mut out,
                err: &mut err,
                cache: crate::cache::Cache::Off,
                set_aside: false,
                loaded: None,
                exits: false,
            };
            run(cli, &mut env).unwrap();
            assert!(!out.is_empty(), "{command:?}");
            assert!(!crate::memory::keeps_freed(), "{command:?}");
        }
    }
}
