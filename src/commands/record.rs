//! `kehoach record`: append one progress update, safely (see `write`).

use super::{Env, lang_of};
use crate::cli::{RecordArgs, StatusArg};
use crate::discover::PlanDir;
use crate::labels::{class_name, date, status_name};
use crate::load::{FileKind, RawFile, parse_text};
use crate::model::{Due, Every, Lang, OccId, Plan, Status, Task};
use crate::status::classify;
use crate::validate::{check_new_update, occurrence_index};
use anyhow::{Context, bail};
use chrono::{Datelike, NaiveDate};
use std::path::Path;

pub fn run(
    dir: &PlanDir,
    args: &RecordArgs,
    cli_lang: Option<crate::cli::LangArg>,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    let mut plan = super::load(dir, env)?;
    let lang = lang_of(cli_lang, &plan);
    let Some(t) = plan.task_by_id(&args.task) else {
        bail!(
            "no task \"{}\" in plan {}; nothing was written (see `kehoach tasks`)",
            args.task,
            plan.id
        );
    };
    let task = &plan.tasks[t];
    let day = args.date.unwrap_or(env.today);
    if day > env.today {
        bail!(
            "the date {} is after today ({}); record what has happened. Nothing was written",
            date(day),
            date(env.today)
        );
    }
    let occ = pick_occurrence(&plan, task, args.period.as_deref(), day)?;
    let label = plan.occurrences[occ].label.to_string();
    let status = match args.status {
        StatusArg::NotStarted => Status::NotStarted,
        StatusArg::InProgress => Status::InProgress,
        StatusArg::Done => Status::Done,
        StatusArg::Cancelled => Status::Cancelled,
    };
    let block = crate::write::update_block(&crate::write::NewUpdate {
        task: &task.id,
        period: &label,
        date: Some(day),
        status: status.as_str(),
        percent: args.percent,
        by: args.by.as_deref(),
        evidence: args.evidence.as_deref(),
        note: args.note.as_deref(),
        new_due: args.new_due,
        decision: args.decision.as_deref(),
    });
    let raw = parse_block(&block)?;
    let update = check_new_update(&plan, &raw)
        .map_err(|problems| anyhow::anyhow!("{}; nothing was written", problems.join("; ")))?;

    let rel = format!(
        "progress/{}/{}.toml",
        plan.agencies[task.lead].code,
        plan.occurrences[occ].year()
    );
    if args.commit {
        git_ready(&dir.path)?;
    }
    let path = crate::write::append_progress(&dir.path, &rel, &block, crate::write::Adds::Update)?;
    let shown = crate::load::join_shown(&dir.shown, &rel);

    // The occurrence as it stands now, with the new update.
    plan.updates.push(update);
    plan.update_order = crate::validate::group_updates(&plan.updates, &mut plan.occurrences);
    let after = classify(&plan, occ, env.today);
    let mut what = format!(
        "{} / {label}: {}",
        plan.tasks[t].id,
        status_name(status, lang)
    );
    if let Some(p) = args.percent {
        what.push_str(&format!(" {p}%"));
    }
    let verb = match lang {
        Lang::Vi => format!("Đã ghi vào {shown}: {what}, ngày {}", date(day)),
        Lang::En => format!("Recorded in {shown}: {what}, on {}", date(day)),
    };
    writeln!(env.out, "{verb}")?;
    let class = class_name(after.eval.class, lang).to_lowercase();
    writeln!(
        env.out,
        "{} / {label}: {}",
        plan.tasks[t].id,
        crate::problem::paint(&class, class_color(after.eval.class), env.color_out)
    )?;
    if args.commit {
        let mut message = format!(
            "kehoach record: {} {label} {}",
            plan.tasks[t].id,
            status.as_str()
        );
        if let Some(by) = &args.by {
            message.push_str(&format!(" (by {by})"));
        }
        git_commit(&dir.path, &path, &message)?;
        writeln!(env.out, "git commit: {message}")?;
    }
    Ok(())
}

/// The occurrence an update is for (§10): `--period`, else the only one,
/// else the one whose period contains the date.
fn pick_occurrence(
    plan: &Plan,
    task: &Task,
    period: Option<&str>,
    day: NaiveDate,
) -> anyhow::Result<OccId> {
    let labels = || {
        plan.occurrences[task.occurrences.clone()]
            .iter()
            .map(|o| o.label.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(p) = period {
        return occurrence_index(task, p).ok_or_else(|| {
            anyhow::anyhow!(
                "period \"{p}\" is not an occurrence of task {} (its periods: {}); nothing was written",
                task.id,
                labels()
            )
        });
    }
    if task.occurrences.len() == 1 {
        return Ok(task.occurrences.start);
    }
    let y = day.year();
    let label = match task.due {
        Due::Once(_) => String::new(),
        Due::Every {
            every: Every::Year, ..
        } => y.to_string(),
        Due::Every {
            every: Every::HalfYear,
            ..
        } => format!("{y}-H{}", if day.month() <= 6 { 1 } else { 2 }),
        Due::Every {
            every: Every::Quarter,
            ..
        } => format!("{y}-Q{}", (day.month() - 1) / 3 + 1),
        Due::Every {
            every: Every::Month,
            ..
        } => format!("{y}-{:02}", day.month()),
    };
    occurrence_index(task, &label).ok_or_else(|| {
        anyhow::anyhow!(
            "task {} has no occurrence for {}; say which with --period (its periods: {}). Nothing was written",
            task.id,
            date(day),
            labels()
        )
    })
}

/// Reads the block back as a progress file: what will be appended is what
/// will be loaded.
fn parse_block(block: &str) -> anyhow::Result<crate::load::RawUpdate> {
    let mut diags = Vec::new();
    match parse_text(block, FileKind::Progress, &mut diags) {
        Some(RawFile::Progress(mut p)) if diags.is_empty() && p.update.len() == 1 => {
            p.update.pop().context("the update did not read back")
        }
        _ => bail!("the update did not read back as TOML; nothing was written"),
    }
}

/// `--commit` needs a git work tree; checked before anything is written.
fn git_ready(dir: &Path) -> anyhow::Result<()> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .context("--commit needs git, which was not found; nothing was written")?;
    if !out.status.success() || !String::from_utf8_lossy(&out.stdout).trim().eq("true") {
        bail!(
            "--commit: {} is not inside a git repository; nothing was written (record without --commit, or clone the plan with git)",
            dir.display()
        );
    }
    Ok(())
}

fn git_commit(dir: &Path, file: &Path, message: &str) -> anyhow::Result<()> {
    for args in [
        vec!["add", "--"],
        vec!["commit", "--quiet", "-m", message, "--"],
    ] {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(&args)
            .arg(file)
            .output()
            .context("cannot run git")?;
        if !out.status.success() {
            bail!(
                "the update was recorded in {} but git {} failed: {}",
                file.display(),
                args[0],
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
    }
    Ok(())
}

/// Green for done on time, yellow for late, red for overdue.
pub fn class_color(class: crate::status::Class) -> &'static str {
    use crate::status::Class;
    match class {
        Class::OnTime => "32",
        Class::Late => "33",
        Class::Overdue => "1;31",
        Class::InProgress => "36",
        Class::Cancelled => "2",
    }
}
