//! `due`: what needs chasing, one table per agency responsible now.

use super::grid::{Align, Cell, Measured, Memo, Table};
use super::{ListedTasks, Numbered, PeriodCells, TaskCells, agency_label};
use crate::labels::{date, due_state, labels, period};
use crate::model::{AgencyId, Lang, Plan};
use crate::report::{DueFound, DueItem, Gather};
use rayon::prelude::*;
use std::io::Write;

pub fn list(
    plan: &Plan,
    found: &DueFound,
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
    if found.is_empty() {
        writeln!(out, "\n{}", l.nothing_due)?;
    }
    let cells = Cells::new(plan, found, as_of, lang);
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
    // One table per agency responsible now, drawn on all cores and written
    // in order, a window of tables at a time: the window's tables are
    // gathered and ordered on all cores, their column widths found from
    // all their rows, then drawn in parts of at most `PART` rows, so that
    // an agency with tens of thousands of rows neither keeps one core busy
    // while the other waits nor has its whole text in memory at once. Small
    // parts and windows keep each core's buffers small: at national size,
    // parts of 2,048 rows took 22 MiB more at the peak, for no time gained.
    const PART: usize = 512;
    const WINDOW: usize = 32 * PART;
    let tables: Vec<(AgencyId, usize)> = found.agencies().collect();
    let mut gathered: Vec<(Vec<DueItem>, [u32; 5])> = Vec::new();
    let mut drawer = super::grid::Drawer::new(|| Table::new(&header, &align));
    let mut rest = &tables[..];
    while !rest.is_empty() {
        let mut n = 0;
        let size = rest
            .iter()
            .take_while(|&&(_, k)| {
                n += k;
                n <= WINDOW
            })
            .count()
            .max(1);
        let (window, after) = rest.split_at(size);
        rest = after;
        if gathered.len() < window.len() {
            gathered.resize_with(window.len(), Default::default);
        }
        gathered.par_iter_mut().zip(window).for_each_init(
            Gather::default,
            |work, ((items, widths), &(a, _))| {
                found.gather(a, items, work);
                // A table drawn in one part is measured as it is drawn.
                if items.len() <= PART {
                    *widths = [0; 5];
                    return;
                }
                *widths = cells.widths(items);
            },
        );
        let parts: Vec<(usize, usize, usize)> = window
            .iter()
            .enumerate()
            .flat_map(|(i, &(_, n))| {
                (0..n)
                    .step_by(PART)
                    .map(move |start| (i, start, n.min(start + PART)))
            })
            .collect();
        drawer.draw(
            &parts,
            |&(i, start, end): &(usize, usize, usize), t, bytes: &mut Vec<u8>| {
                let ((items, widths), &(agency, _)) = (&gathered[i], &window[i]);
                let (top, bottom) = (start == 0, end == items.len());
                if top {
                    // Writing to a Vec cannot fail.
                    let _ = writeln!(
                        bytes,
                        "\n{}",
                        crate::problem::paint(
                            &agency_label(plan, agency, lang),
                            crate::problem::bold(),
                            color
                        )
                    );
                }
                t.at_least(widths);
                // The rows' texts are read ahead as the part is drawn.
                for item in &items[start..end] {
                    t.push_row(&cells.row(item));
                }
                t.draw_part(bytes, top, bottom);
                if bottom {
                    bytes.push(b'\n');
                }
            },
            out,
        )?;
    }
    Ok(())
}

/// Rows whose task cells are read ahead at once (`Cells::read_ahead`).
const AHEAD: usize = 64;

/// The cells a national list repeats over a million rows — a few thousand
/// titles, periods, deadlines and day counts — each written and measured
/// once, so drawing a row is copying bytes.
struct Cells {
    /// The listed tasks' ids and titles.
    tasks: TaskCells,
    /// By task and the agency it was assigned to, listed under another
    /// (a successor, or a group's member).
    assigned: Memo<(usize, usize)>,
    periods: PeriodCells,
    /// By days to the deadline: the deadline, as set and as extended, and
    /// what is left or late, as reported and not.
    days: Numbered<DayCells>,
    /// An ongoing task not yet reported: no deadline, no day count.
    ongoing: [Measured; 2],
    /// The widest cell of each column.
    widest: [u32; 5],
}

impl Cells {
    fn new(plan: &Plan, found: &DueFound, as_of: chrono::NaiveDate, lang: Lang) -> Cells {
        let l = labels(lang);
        let seen = found.uses();
        let tasks = ListedTasks::cells_of(found.tasks(), plan, lang, 48);
        // Thousands at national size (a group's members, successors).
        let assigned = Memo::of(seen.reassigned, |&(task, lead)| {
            format!(
                "{}\n({} {})",
                crate::text::wrap(plan.task_title(task, lang), 48),
                l.assigned_to,
                agency_label(plan, lead, lang)
            )
        });
        // The days (or years) the items use, one by one: asked for only
        // when they lie too far apart for a table from first to last.
        let used = |number: fn(&DueItem) -> Option<i32>| {
            move || {
                let mut used: Vec<i32> = found.par_iter().filter_map(number).collect();
                used.par_sort_unstable();
                used.dedup();
                used
            }
        };
        let periods = PeriodCells::new(
            seen.years,
            used(|item| Some(item.packed_label().year())),
            |label| period(label, lang),
        );
        let days = Numbered::new(seen.days, found.len(), used(DueItem::days), |n| {
            let deadline = as_of.checked_add_signed(chrono::TimeDelta::days(i64::from(n)));
            DayCells {
                deadline: [false, true]
                    .map(|extended| Measured::new(super::deadline_words(deadline, extended, lang))),
                state: [false, true]
                    .map(|unreported| Measured::new(due_state(Some(n), unreported, lang))),
            }
        });
        let ongoing = [
            Measured::new(super::deadline_words(None, false, lang)),
            Measured::new(due_state(None, true, lang)),
        ];
        let [id, title] = tasks.widest();
        let widest_of = |cells: &mut dyn Iterator<Item = &Measured>| {
            cells.map(Measured::width).max().unwrap_or(0)
        };
        let widest = [
            widest_of(&mut days.values().flat_map(|d| &d.deadline).chain(&ongoing[..1])),
            id,
            periods.widest(),
            title.max(assigned.widest()),
            widest_of(&mut days.values().flat_map(|d| &d.state).chain(&ongoing[1..])),
        ];
        Cells {
            tasks,
            assigned,
            periods,
            days,
            ongoing,
            widest,
        }
    }

    /// The widest cell of each column among `items`. Their cells' widths
    /// are measured already, so their texts are not read; and the widths
    /// are known as soon as each column has met its widest cell of the
    /// whole list, which in a long table comes early: the rest of it is
    /// not looked at.
    fn widths(&self, items: &[DueItem]) -> [u32; 5] {
        let mut widths = [0; 5];
        for run in items.chunks(AHEAD) {
            self.read_ahead(run);
            for item in run {
                for (w, cell) in widths.iter_mut().zip(self.row(item)) {
                    *w = (*w).max(cell.width());
                }
            }
            if widths == self.widest {
                break;
            }
        }
        widths
    }

    /// Reads where the tasks' cells of `items` are, in a loop that does
    /// nothing else, before their widths are: in deadline order the rows'
    /// tasks lie anywhere among a national plan's hundred thousand, and
    /// read side by side many are fetched at once.
    fn read_ahead(&self, items: &[DueItem]) {
        let tasks = self.tasks.arena();
        crate::memory::read_ahead(items, |item| tasks.width(TaskCells::title(item.task())));
    }

    /// A row's five cells: deadline, task, period, title, state.
    fn row(&self, item: &DueItem) -> [Cell<'_>; 5] {
        let tasks = self.tasks.arena();
        let title = if item.reassigned {
            self.assigned.get(&(item.task(), item.lead())).cell()
        } else {
            tasks.cell(TaskCells::title(item.task()))
        };
        [
            self.deadline(item).cell(),
            tasks.cell(TaskCells::id(item.task())),
            self.periods.get(item.packed_label()),
            title,
            self.state(item).cell(),
        ]
    }

    fn day(&self, item: &DueItem) -> Option<&DayCells> {
        item.days().and_then(|d| self.days.get(d))
    }

    fn deadline(&self, item: &DueItem) -> &Measured {
        match self.day(item) {
            Some(day) => &day.deadline[usize::from(item.extended)],
            None => &self.ongoing[0],
        }
    }

    fn state(&self, item: &DueItem) -> &Measured {
        match self.day(item) {
            Some(day) => &day.state[usize::from(item.unreported)],
            None => &self.ongoing[1],
        }
    }
}

/// A day's deadline, as set and as extended, and its state, as reported
/// and not.
struct DayCells {
    deadline: [Measured; 2],
    state: [Measured; 2],
}
