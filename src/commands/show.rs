//! `kehoach show TASK`: one task, its agencies, every occurrence with its
//! class, and the full history of updates.

use super::{Env, UsageError};
use crate::cli::ShowArgs;
use crate::discover::PlanDir;
use crate::labels::{class_name, date, labels, status_name};
use crate::model::{Due, Every, Lang, Plan};
use crate::render::agency_label;
use crate::status::classify;
use std::fmt::Write as _;

pub fn run(
    dir: &PlanDir,
    args: &ShowArgs,
    cli_lang: Option<crate::cli::LangArg>,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    let (plan, as_of, lang) = super::open(dir, &args.as_of, cli_lang, env)?;
    let Some(t) = plan.task_by_id(&args.task) else {
        let mut near: Vec<&str> = plan
            .tasks
            .iter()
            .map(|t| t.id.as_str())
            .filter(|id| id.starts_with(args.task.split('.').next().unwrap_or("")))
            .take(8)
            .collect();
        if near.is_empty() {
            near = plan.tasks.iter().take(8).map(|t| t.id.as_str()).collect();
        }
        return Err(UsageError(format!(
            "no task \"{}\" in plan {}; tasks include: {} (see `kehoach tasks`)",
            args.task,
            plan.id,
            near.join(", ")
        ))
        .into());
    };
    let text = render(&plan, t, as_of, lang);
    env.out.write_all(text.as_bytes())?;
    Ok(())
}

/// "hằng năm, ngày 15/12" and the like.
pub fn due_rule(due: &Due, lang: Lang) -> String {
    let Due::Every {
        every,
        month,
        day,
        first_year,
        last_year,
    } = *due
    else {
        return match due {
            Due::Once(d) => date(*d),
            Due::Every { .. } => String::new(),
        };
    };
    let when = match (lang, every) {
        (Lang::Vi, Every::Year) => format!("hằng năm, ngày {day:02}/{month:02}"),
        (Lang::Vi, Every::HalfYear) => format!("6 tháng một lần, ngày {day} tháng 6 và tháng 12"),
        (Lang::Vi, Every::Quarter) => format!("hằng quý, ngày {day} tháng cuối quý"),
        (Lang::Vi, Every::Month) => format!("hằng tháng, ngày {day}"),
        (Lang::En, Every::Year) => format!("every year on {day:02}/{month:02}"),
        (Lang::En, Every::HalfYear) => format!("every half-year on day {day} of June and December"),
        (Lang::En, Every::Quarter) => format!("every quarter on day {day} of its last month"),
        (Lang::En, Every::Month) => format!("every month on day {day}"),
    };
    format!("{when} ({first_year}–{last_year})")
}

fn render(plan: &Plan, t: usize, as_of: chrono::NaiveDate, lang: Lang) -> String {
    let l = labels(lang);
    let task = &plan.tasks[t];
    let mut s = String::new();
    let _ = writeln!(s, "{} {}: {}", l.task, task.id, plan.task_title(t, lang));
    let _ = writeln!(
        s,
        "{}: {} — {}",
        l.group,
        plan.groups[task.group].id,
        plan.group_title(task.group, lang)
    );
    let _ = writeln!(s, "{}: {}", l.lead, agency_label(plan, task.lead, lang));
    if !task.support.is_empty() {
        let names: Vec<String> = task
            .support
            .iter()
            .map(|a| agency_label(plan, *a, lang))
            .collect();
        let _ = writeln!(s, "{}: {}", l.support, names.join("; "));
    }
    let _ = writeln!(s, "{}: {}", l.deadline, due_rule(&task.due, lang));
    if let Some(o) = &task.output {
        let _ = writeln!(s, "{}: {o}", l.output);
    }
    if let Some(n) = &task.note {
        let _ = writeln!(s, "{}: {n}", l.note);
    }
    let _ = writeln!(s, "\n{} ({} {}):", l.occurrences, l.as_of, date(as_of));
    for o in task.occurrences.clone() {
        let occ = &plan.occurrences[o];
        let c = classify(plan, o, as_of);
        let mut line = format!(
            "  {}  {} {}",
            occ.label,
            l.deadline.to_lowercase(),
            date(c.eval.deadline)
        );
        if c.eval.deadline != occ.deadline {
            let _ = write!(
                line,
                " ({} {})",
                match lang {
                    Lang::Vi => "thời hạn ban đầu",
                    Lang::En => "originally",
                },
                date(occ.deadline)
            );
        }
        let _ = write!(line, "  {}", class_name(c.eval.class, lang));
        if let Some(done) = c.eval.completed {
            let _ = write!(line, " ({} {})", l.completed_on, date(done));
        }
        if c.agency != task.lead {
            let _ = write!(line, "  → {}", agency_label(plan, c.agency, lang));
        }
        let _ = writeln!(s, "{line}");
        for &u in plan.history(o) {
            let u = &plan.updates[u];
            let mut entry = format!("      {}  {}", date(u.date), status_name(u.status, lang));
            if let Some(p) = u.percent {
                let _ = write!(entry, " {p}%");
            }
            if let Some(nd) = u.new_due {
                let _ = write!(entry, "; {} {}", l.extended_to, date(nd));
                if let Some(dec) = u.decision() {
                    let _ = write!(entry, " {} {dec}", l.decision);
                }
            }
            if let Some(by) = u.by() {
                let _ = write!(entry, "; {}: {by}", l.by);
            }
            if let Some(e) = u.evidence() {
                let _ = write!(entry, "; {}: {e}", l.evidence);
            }
            if let Some(n) = u.note() {
                let _ = write!(entry, "; {}: {}", l.note, n.replace('\n', " "));
            }
            if u.date > as_of {
                let _ = write!(
                    entry,
                    "  [{}]",
                    match lang {
                        Lang::Vi => "sau ngày tính, chưa tính",
                        Lang::En => "after the as-of date, not counted",
                    }
                );
            }
            let _ = writeln!(s, "{entry}");
        }
    }
    s
}
