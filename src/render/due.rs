//! `due`: what needs chasing, one table per agency responsible now.

use super::agency_label;
use super::grid::{Align, Grid};
use crate::labels::{date, days, labels, period};
use crate::model::{Lang, Plan};
use crate::report::DueItem;
use rustc_hash::FxHashMap as FastMap;
use std::borrow::Cow;
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
    // Titles are wrapped once; agencies' tables are drawn on all cores, a
    // few at a time, and written in order.
    let mut titles: FastMap<usize, String> = FastMap::default();
    for item in items {
        let task = plan.occurrences[item.classified.occurrence()].task();
        titles
            .entry(task)
            .or_insert_with(|| crate::text::wrap(plan.task_title(task, lang), 48));
    }
    let header: Vec<String> = [l.deadline, l.task, l.period, l.title, l.status]
        .map(String::from)
        .to_vec();
    let draw = |&block: &&[DueItem], bytes: &mut Vec<u8>| -> std::io::Result<()> {
        let now = block[0].now();
        writeln!(
            bytes,
            "\n{}",
            crate::problem::paint(
                &agency_label(plan, now, lang),
                crate::problem::bold(),
                color
            )
        )?;
        let mut t: Grid<Cow<'_, str>> = Grid::new(header.clone()).align(4, Align::Right);
        for item in block {
            let c = &item.classified;
            let occ = &plan.occurrences[c.occurrence()];
            let wrapped = titles.get(&occ.task()).map_or("", String::as_str);
            let title = if c.agency() != now || occ.lead() != c.agency() {
                Cow::Owned(format!(
                    "{wrapped}\n({} {})",
                    l.assigned_to,
                    agency_label(plan, occ.lead(), lang)
                ))
            } else {
                Cow::Borrowed(wrapped)
            };
            let state = match item.days {
                Some(d) => days(d < 0, i64::from(d), lang),
                None => l.not_reported.to_string(),
            };
            t.push(vec![
                Cow::Owned(super::deadline_text(plan, c, lang)),
                Cow::Borrowed(plan.tasks[occ.task()].id.as_str()),
                Cow::Owned(period(occ.label(), lang)),
                title,
                Cow::Owned(state),
            ]);
        }
        t.write_to(bytes)?;
        bytes.push(b'\n');
        Ok(())
    };
    let blocks: Vec<&[DueItem]> = items.chunk_by(|a, b| a.now() == b.now()).collect();
    super::grid::draw_in_order(&blocks, draw, out)?;
    Ok(())
}
