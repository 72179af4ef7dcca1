//! `kehoach record`: append one progress update, safely (see `write`).

use super::Env;
use crate::cli::RecordArgs;
use crate::discover::PlanDir;
use crate::labels::{date, labels, status_name};
use crate::load::{FileKind, RawFile, RawUpdate, parse_text};
use crate::messages::{Failure, Msg};
use crate::model::{AgencyId, OccId, Plan, TaskId};
use crate::status::classify;
use crate::validate::check_new_update;
use chrono::NaiveDate;
use std::path::Path;
use std::sync::Arc;

pub fn run(dir: &PlanDir, args: &RecordArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    // Held from the read to the write: a second writer recording the same
    // update waits, then finds it on record.
    let lock = super::lock_plan(dir, env)?;
    let mut plan = Arc::unwrap_or_clone(super::load(dir, env, Some(super::WARNINGS_SHOWN))?);
    let lang = env.lang;
    let Some(t) = plan.task_by_id(&args.task) else {
        let near: Vec<&str> = plan.tasks.iter().take(8).map(|t| t.id.as_str()).collect();
        return Err(Failure::refused(Msg::NoSuchTask {
            id: args.task.clone(),
            plan: plan.id.clone(),
            near: near.join(", "),
        })
        .into());
    };
    let day = args.date.unwrap_or(env.today);
    if day > env.today {
        return Err(Failure::refused(Msg::DateAfterToday {
            date: date(day),
            today: date(env.today),
        })
        .into());
    }
    let member = member(&plan, t, args.agency.as_deref())?;
    let occ = pick_occurrence(&plan, t, args.period.as_deref(), member, day)?;
    let label = plan.occurrences[occ].label().to_string();
    let status = args.status;
    let task_id = plan.tasks[t].id.clone();
    let member_code = member.map(|m| plan.agencies[m].code.clone());
    let block = crate::write::update_block(&crate::write::NewUpdate {
        task: &task_id,
        period: &label,
        agency: member_code.as_deref(),
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
    let (update, text) =
        check_new_update(&plan, &raw).map_err(|problems| Failure::refused(Msg::all(problems)))?;
    let l = labels(lang);
    let mut what = format!("{task_id} / {label}");
    if let Some(m) = &member_code {
        what.push_str(&format!(" / {m}"));
    }
    let mut did = status_name(status, lang).to_string();
    if let Some(p) = args.percent {
        did.push_str(&format!(" {p}%"));
    }
    did.push_str(&format!(", {} {}", l.on_date, date(day)));
    if let Some(nd) = args.new_due {
        // As `show` words it.
        let to = crate::labels::new_due_words(&plan.tasks[t].due, lang);
        did.push_str(&format!("; {to} {}", date(nd)));
    }
    if args.commit {
        git_ready(&dir.path)?;
    }
    // The same report recorded twice (by two officers, or a command run
    // again from the shell's history): on record already, not appended,
    // as `import` does with a form returned twice.
    if let Some(i) = plan.on_record(&update, text.as_ref()) {
        let shown = plan
            .files
            .get(plan.update(i).file())
            .map_or("", |f| f.shown.as_str());
        writeln!(
            env.out,
            "{} {shown}: {what}: {did} ({})",
            l.already_recorded, l.not_recorded_again
        )?;
        return Ok(());
    }
    if let Some(nd) = args.new_due
        && day > nd
    {
        let warning = Msg::ExtensionAfterNewDue {
            date: date(day),
            new_due: date(nd),
        };
        writeln!(
            env.err,
            "kehoach: {}: {}",
            crate::messages::warning_word(lang),
            warning.text(lang)
        )?;
    }
    let rel = progress_file(&plan, occ);
    let path =
        crate::write::append_progress(&lock, &dir.path, &rel, &block, crate::write::Adds::Update)?;
    let shown = crate::load::join_shown(&dir.shown, &rel);

    // The occurrence as it stands now, with the new update.
    plan.updates.push(update);
    plan.update_order = crate::validate::group_updates(&plan.updates, &mut plan.occurrences);
    let after = classify(&plan, occ, env.today);
    writeln!(env.out, "{} {shown}: {what}: {did}", l.recorded_in)?;
    let class = crate::labels::state_of(after.eval.class, after.eval.status, lang).to_lowercase();
    writeln!(
        env.out,
        "{what}: {}",
        crate::problem::paint(&class, class_style(after.eval.class), env.color_out)
    )?;
    let given = args
        .evidence
        .as_deref()
        .is_some_and(|e| !e.trim().is_empty());
    if !given && crate::report::evidence_missing(&plan, &after, env.today) {
        let mut command = format!("kehoach record {task_id} --period {label}");
        if let Some(m) = &member_code {
            command.push_str(&format!(" --agency {m}"));
        }
        command.push_str(" --status done --evidence \"…\"");
        let note = Msg::DoneWithoutEvidence { command };
        writeln!(env.err, "kehoach: {}", note.text(lang))?;
    }
    if args.commit {
        let mut message = format!("kehoach record: {task_id} {label} {}", status.as_str());
        if let Some(m) = &member_code {
            message.push_str(&format!(" {m}"));
        }
        if let Some(by) = &args.by {
            message.push_str(&format!(" (by {by})"));
        }
        git_commit(&dir.path, &[path.as_path()], &message)?;
        writeln!(env.out, "git commit: {message}")?;
    }
    Ok(())
}

/// `progress/<LEAD>/<YEAR>.toml` for an occurrence (the member's code for a
/// group task, §11; the year of its label, §10).
pub fn progress_file(plan: &Plan, occ: OccId) -> String {
    let o = &plan.occurrences[occ];
    format!(
        "progress/{}/{}.toml",
        plan.agencies[o.lead()].code,
        o.year()
    )
}

/// The member an update of a group task is about (`--agency`, §11).
fn member(plan: &Plan, t: TaskId, agency: Option<&str>) -> Result<Option<AgencyId>, Failure> {
    let task = &plan.tasks[t];
    let lead = &plan.agencies[task.lead];
    let members = || {
        lead.members
            .iter()
            .map(|&m| plan.agencies[m].code.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (agency, lead.is_group()) {
        (None, false) => Ok(None),
        (Some(_), false) => Err(Failure::refused(Msg::AgencyNotForTask {
            task: task.id.clone(),
        })),
        (None, true) => Err(Failure::refused(Msg::MemberNeeded {
            task: task.id.clone(),
            group: lead.code.clone(),
            members: members(),
        })),
        (Some(code), true) => match plan.agency_by_code(code) {
            Some(a) if lead.members.contains(&a) => Ok(Some(a)),
            _ => Err(Failure::refused(Msg::NotAMember {
                agency: code.to_string(),
                group: lead.code.clone(),
                members: members(),
            })),
        },
    }
}

/// The occurrence an update is for (§10): `--period`, else the only one,
/// else the one whose period contains the date.
pub fn pick_occurrence(
    plan: &Plan,
    t: TaskId,
    period: Option<&str>,
    member: Option<AgencyId>,
    day: NaiveDate,
) -> Result<OccId, Failure> {
    let task = &plan.tasks[t];
    let periods = || crate::validate::periods_list(&task.due);
    let label = match period {
        Some(p) => crate::model::Label::parse(p).ok_or_else(|| {
            Failure::refused(Msg::NotAnOccurrence {
                period: p.to_string(),
                task: task.id.clone(),
                periods: periods(),
            })
        })?,
        None if task.due.period_count() == 1 => task.due.period(0).0,
        None => task.due.label_for(day),
    };
    plan.occurrence_of(t, label, member)
        .ok_or_else(|| match period {
            Some(p) => Failure::refused(Msg::NotAnOccurrence {
                period: p.to_string(),
                task: task.id.clone(),
                periods: periods(),
            }),
            None => Failure::refused(Msg::NoOccurrenceForDate {
                task: task.id.clone(),
                date: date(day),
                periods: periods(),
            }),
        })
}

/// Reads the block back as a progress file: what will be appended is what
/// will be loaded.
pub fn parse_block(block: &str) -> Result<RawUpdate, Failure> {
    let mut diags = Vec::new();
    match parse_text(block, FileKind::Progress, 0, &mut diags) {
        Some(RawFile::Progress(mut p)) if diags.is_empty() && p.update.len() == 1 => p
            .update
            .pop()
            .ok_or_else(|| Failure::refused(Msg::DidNotReadBack)),
        _ => Err(Failure::refused(Msg::DidNotReadBack)),
    }
}

/// `--commit` needs a git work tree; checked before anything is written.
pub(crate) fn git_ready(dir: &Path) -> Result<(), Failure> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .map_err(|_| Failure::refused(Msg::CommitNeedsGit))?;
    if !out.status.success() || !String::from_utf8_lossy(&out.stdout).trim().eq("true") {
        return Err(Failure::refused(Msg::NotAGitRepo {
            dir: dir.display().to_string(),
        }));
    }
    Ok(())
}

pub(crate) fn git_commit(dir: &Path, files: &[&Path], message: &str) -> Result<(), Failure> {
    for args in [
        vec!["add", "--"],
        vec!["commit", "--quiet", "-m", message, "--"],
    ] {
        let failed = |detail: String| {
            Failure::new(Msg::GitFailed {
                file: files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                step: args[0].to_string(),
                detail,
            })
        };
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(&args)
            .args(files)
            .output()
            .map_err(|e| failed(e.to_string()))?;
        if !out.status.success() {
            return Err(failed(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ));
        }
    }
    Ok(())
}

/// Green for done on time, yellow for late, red for overdue.
pub fn class_style(class: crate::status::Class) -> anstyle::Style {
    use crate::status::Class;
    use anstyle::AnsiColor;
    match class {
        Class::OnTime => AnsiColor::Green.on_default(),
        Class::Late => AnsiColor::Yellow.on_default(),
        Class::Overdue => AnsiColor::Red.on_default().bold(),
        Class::InProgress | Class::Ongoing => AnsiColor::Cyan.on_default(),
        Class::Cancelled | Class::OnRequest => anstyle::Style::new().dimmed(),
    }
}
