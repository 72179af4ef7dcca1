//! `due`: what needs chasing, one table per agency responsible now.

use super::agency_label;
use super::table::{new_table, num};
use crate::labels::{date, days, labels, period};
use crate::model::{Lang, Plan};
use crate::report::DueItem;
use comfy_table::Cell;
use std::io::Write;

pub fn list(
    plan: &Plan,
    items: &[DueItem],
    as_of: chrono::NaiveDate,
    within: u32,
    lang: Lang,
    color: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let l = labels(lang);
    writeln!(out, "{} / {}", l.overdue_heading, l.due_soon_heading)?;
    writeln!(
        out,
        "({} {}; {})",
        l.figures_as_of,
        date(as_of),
        l.due_within.replace("{}", &within.to_string())
    )?;
    if items.is_empty() {
        writeln!(out, "\n{}", l.nothing_due)?;
    }
    for block in items.chunk_by(|a, b| a.now == b.now) {
        let now = block[0].now;
        writeln!(
            out,
            "\n{}",
            crate::problem::paint(
                &agency_label(plan, now, lang),
                crate::problem::bold(),
                color
            )
        )?;
        let mut t = new_table(
            [l.deadline, l.task, l.period, l.title, l.status]
                .map(String::from)
                .to_vec(),
        );
        for item in block {
            let c = &item.classified;
            let occ = &plan.occurrences[c.occurrence];
            let mut title = crate::text::wrap(plan.task_title(occ.task, lang), 48);
            if c.agency != now || occ.lead != c.agency {
                title.push_str(&format!(
                    "\n({} {})",
                    l.assigned_to,
                    agency_label(plan, occ.lead, lang)
                ));
            }
            let state = match item.days {
                Some(d) => days(d < 0, d, lang),
                None => l.not_reported.to_string(),
            };
            t.add_row(vec![
                Cell::new(super::deadline_text(plan, c, lang)),
                Cell::new(&plan.tasks[occ.task].id),
                Cell::new(period(occ.label, lang)),
                Cell::new(title),
                num(state),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    Ok(())
}
