//! `due`: what needs chasing, one table per agency responsible now.

use super::agency_label;
use super::grid::{Align, Measured, Memo, Table};
use crate::labels::{date, days, labels, period};
use crate::model::{Label, Lang, Plan};
use crate::report::DueItem;
use rayon::prelude::*;
use rustc_hash::FxHashSet as FastSet;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

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
    let cells = Cells::new(plan, items, as_of, lang);
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
                let occ = &plan.occurrences[item.occurrence()];
                t.measured(cells.deadline(item));
                t.text(plan.tasks[occ.task()].id.as_str());
                t.measured(cells.periods.get(&occ.label()));
                if item.agency() != now || occ.lead() != item.agency() {
                    t.measured(cells.assigned.get(&(occ.task(), occ.lead())));
                } else {
                    t.measured(&cells.titles[occ.task()]);
                }
                t.measured(cells.state(item));
            }
            t.draw(bytes);
            bytes.push(b'\n');
        },
        out,
    )?;
    Ok(())
}

/// The cells a national list repeats over a million rows — a few thousand
/// titles, periods, deadlines and day counts — each written and measured
/// once, so drawing a row is copying bytes.
struct Cells {
    /// By task, for the tasks listed under the agency they were assigned to.
    titles: Vec<Measured>,
    /// By task and the agency it was assigned to, listed under another
    /// (a successor, or a group's member).
    assigned: Memo<(usize, usize)>,
    periods: Memo<Label>,
    /// By days to the deadline, from `first_day`: the deadline, as set and
    /// as extended, and what is left or late.
    first_day: i32,
    deadlines: Vec<[Measured; 2]>,
    states: Vec<Measured>,
    /// An ongoing task not yet reported: no deadline, no day count.
    ongoing: [Measured; 2],
}

/// Which keys the listed items use, found on all cores.
#[derive(Default)]
struct Seen {
    days: Option<(i32, i32)>,
    periods: FastSet<Label>,
    assigned: FastSet<(usize, usize)>,
}

impl Seen {
    fn merge(mut self, other: Seen) -> Seen {
        self.days = match (self.days, other.days) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (a, b) => a.or(b),
        };
        self.periods.extend(other.periods);
        self.assigned.extend(other.assigned);
        self
    }
}

impl Cells {
    fn new(plan: &Plan, items: &[DueItem], as_of: chrono::NaiveDate, lang: Lang) -> Cells {
        let l = labels(lang);
        let listed: Vec<AtomicBool> = plan.tasks.iter().map(|_| AtomicBool::new(false)).collect();
        let seen = items
            .par_iter()
            .fold(Seen::default, |mut seen, item| {
                let occ = &plan.occurrences[item.occurrence()];
                if item.agency() != item.now() || occ.lead() != item.agency() {
                    seen.assigned.insert((occ.task(), occ.lead()));
                } else if let Some(flag) = listed.get(occ.task()) {
                    flag.store(true, Ordering::Relaxed);
                }
                seen.periods.insert(occ.label());
                if let Some(d) = item.days() {
                    seen.days = Some(seen.days.map_or((d, d), |(a, b)| (a.min(d), b.max(d))));
                }
                seen
            })
            .reduce(Seen::default, Seen::merge);
        let titles = listed
            .par_iter()
            .enumerate()
            .map(|(task, seen)| {
                if seen.load(Ordering::Relaxed) {
                    Measured::new(crate::text::wrap(plan.task_title(task, lang), 48))
                } else {
                    Measured::default()
                }
            })
            .collect();
        let mut assigned = Memo::default();
        for (task, lead) in seen.assigned {
            assigned.fill((task, lead), || {
                format!(
                    "{}\n({} {})",
                    crate::text::wrap(plan.task_title(task, lang), 48),
                    l.assigned_to,
                    agency_label(plan, lead, lang)
                )
            });
        }
        let mut periods = Memo::default();
        for label in seen.periods {
            periods.fill(label, || period(label, lang));
        }
        let (first_day, last_day) = seen.days.unwrap_or((0, -1));
        let (mut deadlines, mut states) = (Vec::new(), Vec::new());
        for n in first_day..=last_day {
            let deadline = as_of.checked_add_signed(chrono::TimeDelta::days(i64::from(n)));
            deadlines
                .push([false, true].map(|extended| {
                    Measured::new(super::deadline_words(deadline, extended, lang))
                }));
            states.push(Measured::new(days(n < 0, i64::from(n), lang)));
        }
        Cells {
            titles,
            assigned,
            periods,
            first_day,
            deadlines,
            states,
            ongoing: [
                Measured::new(super::deadline_words(None, false, lang)),
                Measured::new(l.not_reported.to_string()),
            ],
        }
    }

    fn day(&self, item: &DueItem) -> Option<usize> {
        item.days()
            .and_then(|d| usize::try_from(i64::from(d) - i64::from(self.first_day)).ok())
    }

    fn deadline(&self, item: &DueItem) -> &Measured {
        match self.day(item).and_then(|i| self.deadlines.get(i)) {
            Some(both) => &both[usize::from(item.extended)],
            None => &self.ongoing[0],
        }
    }

    fn state(&self, item: &DueItem) -> &Measured {
        match self.day(item).and_then(|i| self.states.get(i)) {
            Some(state) => state,
            None => &self.ongoing[1],
        }
    }
}
