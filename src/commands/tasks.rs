//! `kehoach tasks`: occurrences with their class, filtered.

use super::{Env, resolve_agency, write_output};
use crate::cli::{ClassArg, ListFormat, TasksArgs, YearSel};
use crate::discover::PlanDir;
use crate::labels::{class_name, labels};
use crate::model::{Lang, Plan};
use crate::render::csv::{safe, write_records};
use crate::render::table::new_table;
use crate::render::{deadline_text, last_update_text};
use crate::report::{Filter, select};
use crate::status::{Class, Classified, classify_all};
use comfy_table::Cell;
use serde::Serialize;

pub fn run(
    dir: &PlanDir,
    args: &TasksArgs,
    cli_lang: Option<crate::cli::LangArg>,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    let (plan, as_of, lang) = super::open(dir, &args.as_of, cli_lang, env)?;
    let filter = Filter {
        agency: args
            .agency
            .as_deref()
            .map(|c| resolve_agency(&plan, c))
            .transpose()?,
        years: match args.year {
            Some(YearSel::Year(y)) => Some(vec![super::report::check_year(&plan, y)?]),
            _ => None,
        },
        group: args
            .group
            .as_deref()
            .map(|g| resolve_group(&plan, g))
            .transpose()?,
        class: args.status.map(|s| match s {
            ClassArg::OnTime => Class::OnTime,
            ClassArg::Late => Class::Late,
            ClassArg::InProgress => Class::InProgress,
            ClassArg::Overdue => Class::Overdue,
            ClassArg::Cancelled => Class::Cancelled,
        }),
        search: args.search.as_deref().map(crate::text::fold),
    };
    let classified = classify_all(&plan, as_of);
    let chosen = select(&plan, &classified, &filter);
    let text = match args.format {
        ListFormat::Table => table(&plan, &chosen, lang),
        ListFormat::Csv => csv(&plan, &chosen, lang)?,
        ListFormat::Json => json(&plan, &chosen, as_of)?,
    };
    let r = write_output(
        args.output.as_deref(),
        text.as_bytes(),
        args.format == ListFormat::Csv,
        env,
    );
    super::release((plan, classified));
    r
}

fn resolve_group(plan: &Plan, g: &str) -> Result<usize, super::UsageError> {
    plan.groups.iter().position(|x| x.id == g).ok_or_else(|| {
        let known: Vec<&str> = plan.groups.iter().map(|g| g.id.as_str()).collect();
        super::UsageError(format!(
            "unknown group \"{g}\"; the plan's groups: {}",
            known.join(", ")
        ))
    })
}

fn table(plan: &Plan, chosen: &[&Classified], lang: Lang) -> String {
    let l = labels(lang);
    if chosen.is_empty() {
        return match lang {
            Lang::Vi => "Không có nhiệm vụ nào phù hợp.\n".to_string(),
            Lang::En => "No matching tasks.\n".to_string(),
        };
    }
    let mut t = new_table(
        [
            l.task,
            l.period,
            l.title,
            l.lead,
            l.deadline,
            l.status,
            l.last_update,
        ]
        .map(String::from)
        .to_vec(),
    );
    for c in chosen {
        let occ = &plan.occurrences[c.occurrence];
        let task = &plan.tasks[occ.task];
        t.add_row(vec![
            Cell::new(&task.id),
            Cell::new(occ.label),
            Cell::new(crate::text::wrap(plan.task_title(occ.task, lang), 48)),
            Cell::new(&plan.agencies[c.agency].code),
            Cell::new(deadline_text(plan, c, lang)),
            Cell::new(class_name(c.eval.class, lang)),
            Cell::new(last_update_text(plan, c, lang)),
        ]);
    }
    format!(
        "{t}\n{} {}\n",
        chosen.len(),
        match lang {
            Lang::Vi => "kỳ thực hiện",
            Lang::En => "occurrence(s)",
        }
    )
}

fn csv(plan: &Plan, chosen: &[&Classified], lang: Lang) -> anyhow::Result<String> {
    let l = labels(lang);
    let mut records = vec![
        [
            l.task,
            l.period,
            l.year,
            l.group,
            l.title,
            l.code,
            l.lead,
            l.support,
            l.deadline,
            match lang {
                Lang::Vi => "Thời hạn ban đầu",
                Lang::En => "Original deadline",
            },
            l.status,
            l.completed_col,
            l.last_update,
            l.evidence,
            l.note,
        ]
        .map(String::from)
        .to_vec(),
    ];
    for c in chosen {
        let occ = &plan.occurrences[c.occurrence];
        let task = &plan.tasks[occ.task];
        let last = c.eval.last.map(|i| &plan.updates[i]);
        let support: Vec<&str> = task
            .support
            .iter()
            .map(|a| plan.agencies[*a].code.as_str())
            .collect();
        records.push(vec![
            safe(&task.id).into_owned(),
            occ.label.to_string(),
            occ.year().to_string(),
            safe(&plan.groups[task.group].id).into_owned(),
            safe(plan.task_title(occ.task, lang)).into_owned(),
            safe(&plan.agencies[c.agency].code).into_owned(),
            safe(plan.agency_name(c.agency, lang)).into_owned(),
            safe(&support.join(", ")).into_owned(),
            c.eval.deadline.to_string(),
            occ.deadline.to_string(),
            class_name(c.eval.class, lang).to_string(),
            c.eval.completed.map(|d| d.to_string()).unwrap_or_default(),
            safe(&last_update_text(plan, c, lang)).into_owned(),
            safe(last.and_then(|u| u.evidence()).unwrap_or("")).into_owned(),
            safe(last.and_then(|u| u.note()).unwrap_or("")).into_owned(),
        ]);
    }
    write_records(&records)
}

#[derive(Serialize)]
struct JsonList<'a> {
    plan: &'a str,
    as_of: String,
    occurrences: Vec<JsonOcc<'a>>,
}

#[derive(Serialize)]
struct JsonOcc<'a> {
    task: &'a str,
    period: String,
    year: i32,
    group: &'a str,
    title: &'a str,
    lead: &'a str,
    deadline: String,
    original_deadline: String,
    status: &'static str,
    completed: Option<String>,
    last_update: Option<JsonUpdate<'a>>,
}

#[derive(Serialize)]
struct JsonUpdate<'a> {
    date: String,
    status: &'static str,
    percent: Option<u8>,
    by: Option<&'a str>,
    evidence: Option<&'a str>,
    note: Option<&'a str>,
}

fn json(plan: &Plan, chosen: &[&Classified], as_of: chrono::NaiveDate) -> anyhow::Result<String> {
    let list = JsonList {
        plan: &plan.id,
        as_of: as_of.to_string(),
        occurrences: chosen
            .iter()
            .map(|c| {
                let occ = &plan.occurrences[c.occurrence];
                let task = &plan.tasks[occ.task];
                JsonOcc {
                    task: &task.id,
                    period: occ.label.to_string(),
                    year: occ.year(),
                    group: &plan.groups[task.group].id,
                    title: &task.title,
                    lead: &plan.agencies[c.agency].code,
                    deadline: c.eval.deadline.to_string(),
                    original_deadline: occ.deadline.to_string(),
                    status: c.eval.class.key(),
                    completed: c.eval.completed.map(|d| d.to_string()),
                    last_update: c.eval.last.map(|i| {
                        let u = &plan.updates[i];
                        JsonUpdate {
                            date: u.date.to_string(),
                            status: u.status.as_str(),
                            percent: u.percent,
                            by: u.by(),
                            evidence: u.evidence(),
                            note: u.note(),
                        }
                    }),
                }
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&list)?;
    s.push('\n');
    Ok(s)
}
