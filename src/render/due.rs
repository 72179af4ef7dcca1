//! `due`: what needs chasing, one table per agency responsible now.

use super::agency_label;
use super::grid::{Align, Measured, Memo, Table};
use crate::labels::{date, days, labels, period};
use crate::model::{Lang, Plan};
use crate::report::DueItem;
use rayon::prelude::*;
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
    // A national list repeats a few thousand titles, periods, deadlines
    // and day counts over a million rows: each is written and measured
    // once, so drawing a row is copying bytes.
    let mut listed = vec![false; plan.tasks.len()];
    let mut assigned: Memo<(usize, usize)> = Memo::default();
    let mut periods = Memo::default();
    let mut deadlines = Memo::default();
    let mut states = Memo::default();
    for item in items {
        let c = &item.classified;
        let occ = &plan.occurrences[c.occurrence()];
        if c.agency() != item.now() || occ.lead() != c.agency() {
            assigned.fill((occ.task(), occ.lead()), || {
                format!(
                    "{}\n({} {})",
                    crate::text::wrap(plan.task_title(occ.task(), lang), 48),
                    l.assigned_to,
                    agency_label(plan, occ.lead(), lang)
                )
            });
        } else if let Some(seen) = listed.get_mut(occ.task()) {
            *seen = true;
        }
        periods.fill(occ.label(), || period(occ.label(), lang));
        deadlines.fill((c.eval.deadline, occ.deadline), || {
            super::deadline_text(plan, c, lang)
        });
        states.fill(item.days, || match item.days {
            Some(d) => days(d < 0, i64::from(d), lang),
            None => l.not_reported.to_string(),
        });
    }
    let titles: Vec<Measured> = listed
        .par_iter()
        .enumerate()
        .map(|(task, &seen)| {
            if seen {
                Measured::new(crate::text::wrap(plan.task_title(task, lang), 48))
            } else {
                Measured::default()
            }
        })
        .collect();
    let header: Vec<Measured> = [l.deadline, l.task, l.period, l.title, l.status]
        .map(|h| Measured::new(h.to_string()))
        .to_vec();
    let align = [
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Right,
    ];
    // Agencies' tables are drawn on all cores, a few at a time, and
    // written in order.
    let blocks: Vec<&[DueItem]> = items.chunk_by(|a, b| a.now() == b.now()).collect();
    super::grid::draw_in_order(
        &blocks,
        || Table::new(&header, &align),
        |&block: &&[DueItem], t, bytes: &mut Vec<u8>| {
            let now = block[0].now();
            // Writing to a Vec cannot fail.
            let _ = writeln!(
                bytes,
                "\n{}",
                crate::problem::paint(
                    &agency_label(plan, now, lang),
                    crate::problem::bold(),
                    color
                )
            );
            for item in block {
                let c = &item.classified;
                let occ = &plan.occurrences[c.occurrence()];
                t.measured(deadlines.get(&(c.eval.deadline, occ.deadline)));
                t.text(plan.tasks[occ.task()].id.as_str());
                t.measured(periods.get(&occ.label()));
                if c.agency() != now || occ.lead() != c.agency() {
                    t.measured(assigned.get(&(occ.task(), occ.lead())));
                } else {
                    t.measured(&titles[occ.task()]);
                }
                t.measured(states.get(&item.days));
            }
            t.draw(bytes);
            bytes.push(b'\n');
        },
        out,
    )?;
    Ok(())
}
