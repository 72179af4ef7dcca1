//! `kehoach due`: the officer's morning view — what is overdue and what
//! falls due within N days, grouped by agency, sorted by deadline.

use super::{Env, resolve_agency};
use crate::cli::DueArgs;
use crate::discover::PlanDir;
use crate::labels::{date, labels};
use crate::model::Lang;
use crate::render::agency_label;
use crate::render::table::new_table;
use crate::status::{Class, classify_all};
use comfy_table::{Cell, CellAlignment};
use std::fmt::Write as _;

pub fn run(
    dir: &PlanDir,
    args: &DueArgs,
    cli_lang: Option<crate::cli::LangArg>,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    let (plan, as_of, lang) = super::open(dir, &args.as_of, cli_lang, env)?;
    let l = labels(lang);
    let only = args
        .agency
        .as_deref()
        .map(|c| resolve_agency(&plan, c))
        .transpose()?;
    let horizon = as_of
        .checked_add_days(chrono::Days::new(u64::from(args.within)))
        .unwrap_or(chrono::NaiveDate::MAX);
    let mut items: Vec<_> = classify_all(&plan, as_of)
        .into_iter()
        .filter(|c| only.is_none_or(|a| a == c.agency))
        .filter(|c| match c.eval.class {
            Class::Overdue => true,
            Class::InProgress => c.eval.deadline <= horizon,
            _ => false,
        })
        .collect();
    items.sort_by_key(|c| (c.agency, c.eval.deadline, c.occurrence));
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} / {} — {} {} ({})",
        l.overdue_heading,
        l.due_soon_heading,
        l.as_of,
        date(as_of),
        match lang {
            Lang::Vi => format!("xem trước {} ngày", args.within),
            Lang::En => format!("looking {} days ahead", args.within),
        },
    );
    if items.is_empty() {
        let _ = writeln!(s, "\n{}", l.nothing_due);
    }
    let mut start = 0;
    while start < items.len() {
        let agency = items[start].agency;
        let end = start
            + items[start..]
                .iter()
                .take_while(|c| c.agency == agency)
                .count();
        let _ = writeln!(
            s,
            "\n{}",
            crate::problem::paint(&agency_label(&plan, agency, lang), "1", env.color_out)
        );
        let mut t = new_table(
            [l.deadline, l.task, l.period, l.title, l.status]
                .map(String::from)
                .to_vec(),
        );
        for c in &items[start..end] {
            let occ = &plan.occurrences[c.occurrence];
            let days = (c.eval.deadline - as_of).num_days();
            let when = if c.eval.class == Class::Overdue {
                format!("{} {}", -days, l.days_late)
            } else {
                format!("{days} {}", l.days_left)
            };
            t.add_row(vec![
                Cell::new(crate::render::deadline_text(&plan, c, lang)),
                Cell::new(&plan.tasks[occ.task].id),
                Cell::new(occ.label),
                Cell::new(crate::text::wrap(plan.task_title(occ.task, lang), 48)),
                Cell::new(when).set_alignment(CellAlignment::Right),
            ]);
        }
        let _ = writeln!(s, "{t}");
        start = end;
    }
    env.out.write_all(s.as_bytes())?;
    super::release(plan);
    Ok(())
}
