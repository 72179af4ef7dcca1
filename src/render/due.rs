//! `due`: what needs chasing, one table per agency responsible now.

use super::csv::safe;
use super::grid::{Align, BlankLine, Cell, Measured, Memo, Pad, Padded, Shelf, Table, put_pieces};
use super::{ListedTasks, Numbered, PeriodCells, TaskCells, agency_label};
use crate::labels::{date, due_state, labels, period};
use crate::model::{AgencyId, Lang, Plan};
use crate::report::{DueCounts, DueFound, DueItem, Gather};
use crate::status::Class;
use rayon::prelude::*;
use std::fmt::Write as _;
use std::io::Write;

/// How many rows are drawn as one part of a table (`part`), and how many
/// at most in one window of tables (`window`, in at most `window / part`
/// parts).
#[derive(Clone, Copy)]
pub struct Sizes {
    part: usize,
    window: usize,
    /// Rows put together from pieces (`Pieces`); otherwise pushed onto a
    /// general table, as a test compares.
    pieces: bool,
}

impl Sizes {
    /// Small parts and windows keep each core's buffers small: at national
    /// size, parts of 2,048 rows took 22 MiB more at the peak, for no time
    /// gained; windows of 32 parts took 12 MiB more, of 8 were slower.
    pub const NATIONAL: Sizes = Sizes {
        part: 512,
        window: 16 * 512,
        pieces: true,
    };
}

/// The list, one table per agency responsible now, drawn in parts and
/// windows of `sizes` (`Sizes::NATIONAL`). `counts` are the whole list's,
/// said at its top: when `--limit` cut it, `found` holds fewer, which the
/// list then says at its end. On a terminal `fit` columns wide, the
/// titles are wrapped narrower (down to `TITLE_MIN`) so that the tables
/// fit it.
#[allow(clippy::too_many_arguments)]
pub fn list(
    plan: &Plan,
    found: &DueFound,
    counts: DueCounts,
    as_of: chrono::NaiveDate,
    within: u32,
    lang: Lang,
    color: bool,
    out: &mut dyn Write,
    sizes: Sizes,
    fit: Option<usize>,
) -> anyhow::Result<()> {
    let Sizes {
        part: part_rows,
        window: window_rows,
        pieces,
    } = sizes;
    let per_window = (window_rows / part_rows.max(1)).max(1);
    let l = labels(lang);
    writeln!(out, "{} / {}", l.overdue_heading, l.due_soon_heading)?;
    writeln!(
        out,
        "({} {}; {})",
        l.figures_as_of,
        date(as_of),
        l.due_within.replace("{}", &within.to_string())
    )?;
    if total_with_nothing_reported(plan, as_of, counts) {
        writeln!(out, "{}", crate::text::wrap(l.nothing_reported, 100))?;
    }
    let total = counts.total();
    if total == 0 {
        writeln!(out, "\n{}", l.nothing_due)?;
    } else {
        writeln!(out, "{}", crate::labels::due_in_all(&counts, lang))?;
    }
    let header: Vec<Measured> = [l.deadline, l.task, l.period, l.title, l.status]
        .map(|h| Measured::new(h.to_string()))
        .to_vec();
    let mut cells = Cells::new(plan, found, as_of, lang, TITLE);
    if let Some(fit) = fit {
        // The widest table's line, each column as its widest cell among
        // all the items.
        let items: Vec<DueItem> = found.par_iter().collect();
        let widths = cells.widths(&items);
        let wide = super::grid::line_width(&widths, &header);
        let title = TITLE
            .saturating_sub(wide.saturating_sub(fit))
            .max(TITLE_MIN);
        if title < TITLE {
            cells = Cells::new(plan, found, as_of, lang, title);
        }
    }
    let align = [
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Right,
    ];
    // One table per agency responsible now, drawn on all cores and written
    // in order, a window of tables at a time. Each table of the window is
    // gathered and ordered, its column widths found from all its rows,
    // and its parts of at most `sizes.part` rows drawn, all in one pass on all
    // cores: a core done with its own tables takes parts of the others',
    // so neither waits at the end of each step, and an agency with tens of
    // thousands of rows is drawn on every core without its whole text in
    // memory at once. At national size, this one pass per window took
    // `due` 0.211 → 0.198 s against a pass per step.
    let tables: Vec<(AgencyId, usize)> = found.agencies().collect();
    // Per table of the window: its items in order and its column widths.
    let mut gathered: Vec<(Vec<DueItem>, [u32; 5])> = Vec::new();
    let part = Part {
        rows: part_rows,
        pieces,
        plan,
        found,
        cells: &cells,
        lang,
        color,
    };
    // A window's tables hold at most `window_rows` rows in at most
    // `per_window` parts, each drawn in a slot of its own.
    let mut slots: Vec<(Table, Vec<u8>)> = (0..per_window)
        .map(|_| (Table::new(&header, &align), Vec::new()))
        .collect();
    let mut rest = &tables[..];
    while !rest.is_empty() {
        let (mut rows, mut parts) = (0, 0);
        let size = rest
            .iter()
            .take_while(|&&(_, k)| {
                rows += k;
                parts += k.div_ceil(part_rows);
                rows <= window_rows && parts <= per_window
            })
            .count()
            .max(1);
        let (window, after) = rest.split_at(size);
        rest = after;
        if gathered.len() < window.len() {
            gathered.resize_with(window.len(), Default::default);
        }
        let parts: usize = window.iter().map(|&(_, k)| k.div_ceil(part_rows)).sum();
        if let ([(agency, _)], [(items, widths), ..]) = (window, &mut gathered[..])
            && parts > per_window
        {
            // A table longer than a window: its parts a window at a time,
            // so that its whole text is never in memory at once.
            found.gather(*agency, items, &mut Gather::default());
            *widths = cells.widths(items);
            let (items, widths) = (&*items, &*widths);
            for first in (0..parts).step_by(per_window) {
                let m = (parts - first).min(per_window);
                slots
                    .par_iter_mut()
                    .take(m)
                    .enumerate()
                    .for_each(|(j, slot)| part.draw(*agency, items, widths, first + j, slot));
                for (_, bytes) in slots.iter().take(m) {
                    out.write_all(bytes)?;
                }
            }
            continue;
        }
        // Each table's slots, in order.
        let mut tables_slots = Vec::with_capacity(window.len());
        let mut free = &mut slots[..];
        for &(_, k) in window {
            // A window has a slot for each of its parts.
            let Some((mine, others)) =
                std::mem::take(&mut free).split_at_mut_checked(k.div_ceil(part_rows))
            else {
                break;
            };
            tables_slots.push(mine);
            free = others;
        }
        gathered
            .par_iter_mut()
            .zip(window)
            .zip(tables_slots)
            .for_each_init(
                Gather::default,
                |work, (((items, widths), &(agency, _)), mine)| {
                    found.gather(agency, items, work);
                    *widths = cells.widths(items);
                    let (items, widths) = (&*items, &*widths);
                    mine.par_iter_mut()
                        .enumerate()
                        .for_each(|(k, slot)| part.draw(agency, items, widths, k, slot));
                },
            );
        for (_, bytes) in slots.iter().take(parts) {
            out.write_all(bytes)?;
        }
    }
    if total > found.len() {
        writeln!(
            out,
            "\n{}",
            crate::labels::limited(found.len(), total, lang)
        )?;
    }
    Ok(())
}

/// The list as CSV: a row per item, in the table's order — a machine
/// format (ISO dates, days left as a number, negative when overdue) with
/// headings in the plan's language, which a lead sends with a reminder.
pub fn csv(
    plan: &Plan,
    found: &DueFound,
    as_of: chrono::NaiveDate,
    lang: Lang,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let l = labels(lang);
    let builder = || {
        let mut b = ::csv::WriterBuilder::new();
        b.has_headers(false);
        b
    };
    {
        let mut w = builder().from_writer(&mut *out);
        w.write_record([
            l.code,
            l.due_agency,
            l.task,
            l.period,
            l.year,
            l.title,
            l.assigned_code,
            l.deadline,
            l.original_deadline,
            l.days_left,
            l.status,
            l.not_reported,
        ])?;
        w.flush()?;
    }
    in_order(found, out, |_, items, bytes| {
        let mut w = builder().from_writer(bytes);
        let mut text = <[String; 5]>::default();
        for item in items {
            let [period, deadline, original, days, year] = &mut text;
            fields(plan, item, as_of, [period, deadline, original]);
            days.clear();
            year.clear();
            if let Some(d) = item.days() {
                let _ = write!(days, "{d}");
            }
            let _ = write!(year, "{}", item.packed_label().year());
            let kind = match item.class {
                Class::Overdue => l.overdue,
                Class::Ongoing => l.ongoing,
                _ => l.soon,
            };
            let task = &plan.tasks[item.task()];
            w.write_record([
                safe(&plan.agencies[item.now()].code).as_ref(),
                safe(plan.agency_name(item.now(), lang)).as_ref(),
                safe(&task.id).as_ref(),
                period,
                year,
                safe(plan.task_title(item.task(), lang)).as_ref(),
                safe(&plan.agencies[item.lead()].code).as_ref(),
                deadline,
                original,
                days,
                kind,
                if item.unreported { "x" } else { "" },
            ])?;
        }
        Ok::<_, ::csv::Error>(w.flush()?)
    })
}

/// The list as JSON: the whole list's counts, then its items in the
/// table's order (`--limit` cuts the items, not the counts).
pub fn json(
    plan: &Plan,
    found: &DueFound,
    counts: DueCounts,
    as_of: chrono::NaiveDate,
    within: u32,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let head = serde_json::to_string_pretty(&JsonCounts {
        overdue: counts.overdue,
        overdue_not_reported: counts.overdue_unreported,
        due_soon: counts.soon,
        ongoing_not_reported: counts.ongoing,
        total: counts.total(),
    })?;
    write!(
        out,
        "{{\n  \"plan\": {},\n  \"as_of\": \"{as_of}\",\n  \"within\": {within},\n  \"counts\": {},\n  \"items\": [",
        serde_json::to_string(&plan.id)?,
        head.replace('\n', "\n  ")
    )?;
    // Every item but the very first follows a comma.
    in_order(found, out, |first, items, bytes| {
        let (mut scratch, mut text) = (Vec::new(), <[String; 3]>::default());
        for (i, item) in items.iter().enumerate() {
            let [period, deadline, original] = &mut text;
            fields(plan, item, as_of, [period, deadline, original]);
            let value = JsonDue {
                agency: &plan.agencies[item.now()].code,
                task: &plan.tasks[item.task()].id,
                period,
                year: item.packed_label().year(),
                title: &plan.tasks[item.task()].title,
                assigned_to: &plan.agencies[item.lead()].code,
                deadline: item.days().map(|_| deadline.as_str()),
                // None also for a task done on request: its deadline is
                // the request's.
                original_deadline: (!original.is_empty()).then_some(original.as_str()),
                days: item.days(),
                kind: match item.class {
                    Class::Overdue => "overdue",
                    Class::Ongoing => "ongoing",
                    _ => "due_soon",
                },
                not_reported: item.unreported,
            };
            super::json::list_member(bytes, &mut scratch, &value, first && i == 0)?;
        }
        Ok::<_, serde_json::Error>(())
    })?;
    writeln!(out, "{}]\n}}", if found.is_empty() { "" } else { "\n  " })?;
    Ok(())
}

#[derive(serde::Serialize)]
struct JsonCounts {
    overdue: usize,
    overdue_not_reported: usize,
    due_soon: usize,
    ongoing_not_reported: usize,
    total: usize,
}

#[derive(serde::Serialize)]
struct JsonDue<'a> {
    agency: &'a str,
    task: &'a str,
    period: &'a str,
    year: i32,
    title: &'a str,
    assigned_to: &'a str,
    deadline: Option<&'a str>,
    original_deadline: Option<&'a str>,
    days: Option<i32>,
    kind: &'static str,
    not_reported: bool,
}

/// An item's period label, and its deadlines in force and as set, ISO
/// (empty for an ongoing task), into the strings given.
fn fields(
    plan: &Plan,
    item: &DueItem,
    as_of: chrono::NaiveDate,
    [period, deadline, original]: [&mut String; 3],
) {
    period.clear();
    let _ = write!(period, "{}", item.label());
    super::tasks::iso(deadline, item.deadline(as_of));
    super::tasks::iso(original, plan.occurrences[item.occurrence()].deadline);
}

/// Rows of a machine listing written in blocks of at most `ROWS` items
/// made on all cores and put out in order, agency after agency (`block`
/// gets whether it is the list's first block, and its items in the list's
/// order); the first error, if any, once all are done.
fn in_order<E>(
    found: &DueFound,
    out: &mut dyn Write,
    block: impl Fn(bool, &[DueItem], &mut Vec<u8>) -> Result<(), E> + Sync,
) -> anyhow::Result<()>
where
    E: Into<anyhow::Error> + Send,
{
    const ROWS: usize = 4096;
    let blocks: Vec<(AgencyId, usize)> = found
        .agencies()
        .flat_map(|(a, n)| (0..n.div_ceil(ROWS)).map(move |k| (a, k)))
        .collect();
    let first = blocks.first().copied();
    let failed = std::sync::Mutex::new(None);
    super::grid::draw_in_order(
        &blocks,
        // Each slot keeps the agency it gathered last: a long table's
        // blocks are gathered once per slot, not once per block.
        || (None, Vec::new(), Gather::default()),
        |&(agency, k),
         (gathered, items, work): &mut (Option<AgencyId>, Vec<DueItem>, Gather),
         bytes| {
            if *gathered != Some(agency) {
                found.gather(agency, items, work);
                *gathered = Some(agency);
            }
            let part = items
                .get(k * ROWS..items.len().min((k + 1) * ROWS))
                .unwrap_or_default();
            if let Err(e) = block(first == Some((agency, k)), part, bytes)
                && let Ok(mut f) = failed.lock()
            {
                f.get_or_insert(e);
            }
        },
        out,
    )?;
    match failed.into_inner() {
        Ok(Some(e)) => Err(e.into()),
        _ => Ok(()),
    }
}

/// Whether the list has items and nobody has reported anything yet: the
/// list says so at its top, so that its overdue items do not read as
/// failures.
pub fn total_with_nothing_reported(
    plan: &Plan,
    as_of: chrono::NaiveDate,
    counts: DueCounts,
) -> bool {
    counts.total() > 0 && crate::report::nothing_reported(plan, as_of)
}

/// What drawing a part of a table needs.
struct Part<'c> {
    /// Rows per part.
    rows: usize,
    /// Whether rows are put together from pieces (`Sizes::pieces`).
    pieces: bool,
    plan: &'c Plan,
    /// The list, for each agency's counts.
    found: &'c DueFound,
    cells: &'c Cells,
    lang: Lang,
    color: bool,
}

impl<'c> Part<'c> {
    /// Part `k` (of `self.rows` rows) of agency `agency`'s table, whose rows
    /// are `items` and column widths at least `widths`, into `slot`'s text.
    fn draw(
        &self,
        agency: AgencyId,
        items: &[DueItem],
        widths: &[u32; 5],
        k: usize,
        (t, bytes): &mut (Table<'c>, Vec<u8>),
    ) {
        bytes.clear();
        let (start, end) = (k * self.rows, items.len().min((k + 1) * self.rows));
        let (top, bottom) = (start == 0, end == items.len());
        if top {
            // Writing to a Vec cannot fail.
            let _ = writeln!(
                bytes,
                "\n{}",
                crate::problem::paint(
                    &agency_label(self.plan, agency, self.lang),
                    crate::problem::bold(),
                    self.color
                )
            );
            // What this agency has to act on, before the rows.
            let counts = crate::labels::due_counts(&self.found.counts_of(agency, items), self.lang);
            let _ = writeln!(bytes, "{counts}");
        }
        t.at_least(widths);
        let (cells, rows) = (self.cells, items.get(start..end).unwrap_or_default());
        match cells.pieces(t.widths()).filter(|_| self.pieces) {
            Some(pieces) => t.draw_around(bytes, top, bottom, |out| cells.draw(out, rows, &pieces)),
            None => {
                for item in rows {
                    t.push_row(&cells.row(item));
                }
                t.draw_part(bytes, top, bottom);
            }
        }
        if bottom {
            bytes.push(b'\n');
        }
    }
}

/// The width titles are wrapped at, and the narrowest they are wrapped at
/// to fit a terminal.
const TITLE: usize = 48;
const TITLE_MIN: usize = 24;

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
    /// The deadlines (by `days`' places, as set and as extended, then an
    /// ongoing task's), the periods (by `periods`' places) and the states
    /// (as the deadlines, reported and not) padded for each width they
    /// are drawn at.
    padded: [Shelf; 3],
}

/// What a table's rows are put together from, for its column widths.
struct Pieces<'c> {
    deadline: &'c Padded,
    id: Pad,
    period: &'c Padded,
    title: Pad,
    state: &'c Padded,
    blank: BlankLine,
}

impl Cells {
    fn new(
        plan: &Plan,
        found: &DueFound,
        as_of: chrono::NaiveDate,
        lang: Lang,
        title: usize,
    ) -> Cells {
        let l = labels(lang);
        let seen = found.uses();
        let tasks = ListedTasks::cells_of(found.tasks(), plan, lang, title);
        // Thousands at national size (a group's members, successors):
        // the title as the task's own cell has it, then the agency it was
        // assigned to, wrapped as the title is (a full name would widen
        // the column for one row) — once per agency, not once per task.
        let mut to: rustc_hash::FxHashMap<AgencyId, String> = Default::default();
        for &(_, lead) in &seen.reassigned {
            to.entry(lead).or_insert_with(|| {
                let to = format!("({} {})", l.assigned_to, agency_label(plan, lead, lang));
                crate::text::wrap(&to, title)
            });
        }
        let assigned = Memo::of(seen.reassigned, |&(task, lead)| {
            let title = tasks.arena().text(TaskCells::title(task));
            let to = to.get(&lead).map_or("", String::as_str);
            let mut cell = String::with_capacity(title.len() + 1 + to.len());
            cell.push_str(title);
            cell.push('\n');
            cell.push_str(to);
            cell
        });
        // The days (or years) the items use, one by one: asked for only
        // when they lie too far apart for a table from first to last.
        let used = |number: fn(&DueItem) -> Option<i32>| {
            move || {
                let mut used: Vec<i32> = found.par_iter().filter_map(|i| number(&i)).collect();
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
        let padded = [(0, false), (2, false), (4, true)]
            .map(|(c, right)| Shelf::new(widest[c], right, c == 4));
        Cells {
            tasks,
            assigned,
            periods,
            days,
            ongoing,
            widest,
            padded,
        }
    }

    /// The pieces of a table's rows for its column widths `w` (none for
    /// widths past those padded for).
    fn pieces(&self, w: &[u32]) -> Option<Pieces<'_>> {
        let &[deadline, id, period, title, state] = w else {
            return None;
        };
        let days = || self.days.values();
        let [deadlines, periods, states] = &self.padded;
        let deadline = deadlines.get(deadline, || {
            days()
                .flat_map(|d| d.deadline.iter().map(Measured::cell))
                .chain([self.ongoing[0].cell()])
        })?;
        let (id, title) = (Pad::new(id, false), Pad::new(title, false));
        let period = periods.get(period, || self.periods.cells())?;
        let blank = BlankLine::new(&[deadline.blank(), id.blank(), period.blank(), title.blank()]);
        Some(Pieces {
            deadline,
            id,
            period,
            title,
            state: states.get(state, || {
                days()
                    .flat_map(|d| d.state.iter().map(Measured::cell))
                    .chain([self.ongoing[1].cell()])
            })?,
            blank,
        })
    }

    /// The body lines of `items`' rows, each after a newline, put
    /// together from `p`: a copy or two per cell.
    fn draw(&self, out: &mut Vec<u8>, items: &[DueItem], p: &Pieces<'_>) {
        let tasks = self.tasks.arena();
        let ongoing = 2 * self.days.values().len();
        let mut at = out.len();
        // In deadline order the rows' tasks lie anywhere among a national
        // plan's: their ids and titles are read a few dozen rows ahead, in
        // a loop that does nothing else, where many are fetched at once
        // (at national size, a fifth of the drawing's time).
        for item in items.chunks(AHEAD).flat_map(|run| {
            crate::memory::read_ahead(run, |item| tasks.touch(TaskCells::title(item.task())));
            run
        }) {
            // The places of its deadline and state, as `row` finds them.
            let (deadline, state) = match item.days().and_then(|d| self.days.place(d)) {
                Some(k) => (
                    2 * k + usize::from(item.extended),
                    2 * k + usize::from(item.unreported),
                ),
                None => (ongoing, ongoing),
            };
            let period = self.periods.place(item.packed_label());
            let id = tasks.cell(TaskCells::id(item.task()));
            let title = self.title(item);
            let heights = [
                p.deadline.height(deadline),
                id.height(),
                p.period.height(period),
                title.height(),
                p.state.height(state),
            ];
            let height = heights.into_iter().max().unwrap_or(0).max(1);
            for k in 0..height {
                // A later line with the title and the state alone, or the
                // state alone: the cells before them are blank, one copy.
                if heights[..3].iter().all(|&h| h <= k) {
                    let state = p.state.line(state, k);
                    at = if heights[3] <= k {
                        put_pieces(out, at, &[p.blank.leading(4), state])
                    } else {
                        let [title_text, title_pad] = p.title.line(&title, k);
                        put_pieces(out, at, &[p.blank.leading(3), title_text, title_pad, state])
                    };
                    continue;
                }
                let [id_text, id_pad] = p.id.line(&id, k);
                let [title_text, title_pad] = p.title.line(&title, k);
                at = put_pieces(
                    out,
                    at,
                    &[
                        p.blank.leading(0),
                        p.deadline.line(deadline, k),
                        id_text,
                        id_pad,
                        p.period.line(period, k),
                        title_text,
                        title_pad,
                        p.state.line(state, k),
                    ],
                );
            }
        }
        out.truncate(at);
    }

    /// An item's title cell: its task's, or with the agency it was
    /// assigned to when listed under another.
    fn title(&self, item: &DueItem) -> Cell<'_> {
        if item.reassigned {
            self.assigned.get(&(item.task(), item.lead())).cell()
        } else {
            self.tasks.arena().cell(TaskCells::title(item.task()))
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
        let title = self.title(item);
        // The deadline and the state, by the days left (or past).
        let (deadline, state) = match item.days().and_then(|d| self.days.get(d)) {
            Some(day) => (
                &day.deadline[usize::from(item.extended)],
                &day.state[usize::from(item.unreported)],
            ),
            None => (&self.ongoing[0], &self.ongoing[1]),
        };
        [
            deadline.cell(),
            tasks.cell(TaskCells::id(item.task())),
            self.periods.get(item.packed_label()),
            title,
            state.cell(),
        ]
    }
}

/// A day's deadline, as set and as extended, and its state, as reported
/// and not.
struct DayCells {
    deadline: [Measured; 2],
    state: [Measured; 2],
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drawn in parts and windows of any size — tables longer than a
    /// window, windows of many short tables, a part per row — the list
    /// is the list drawn one whole table at a time.
    #[test]
    fn parts_and_windows_draw_the_whole_tables() {
        let whole = Sizes {
            part: usize::MAX / 4,
            window: usize::MAX / 4,
            pieces: true,
        };
        // Whether some list had several tables, and one of many rows.
        let (mut several, mut long) = (false, false);
        for (dir, plan) in crate::validate::shipped_plans() {
            for (as_of, within) in [("2023-03-15", 90), ("2025-06-01", 30), ("2027-01-01", 0)] {
                let as_of = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
                let found = crate::report::due_found(&plan, as_of, within, None);
                let draw = |sizes: Sizes| {
                    let mut out = Vec::new();
                    list(
                        &plan,
                        &found,
                        found.kinds(),
                        as_of,
                        within,
                        Lang::Vi,
                        false,
                        &mut out,
                        sizes,
                        None,
                    )
                    .unwrap();
                    String::from_utf8(out).unwrap()
                };
                several |= found.agencies().count() > 1;
                long |= found.agencies().any(|(_, n)| n > 20);
                let expected = draw(whole);
                for (part, window) in [(1, 1), (2, 6), (3, 7), (5, 100), (512, 8192)] {
                    assert_eq!(
                        draw(Sizes {
                            part,
                            window,
                            pieces: true
                        }),
                        expected,
                        "{dir} as of {as_of}, parts of {part}, windows of {window}"
                    );
                }
            }
        }
        assert!(several && long);
    }

    /// Rows put together from pieces are the rows a general table draws
    /// from the same cells: in both languages, at every width the titles
    /// are wrapped at, for items reassigned and not, ongoing and not.
    #[test]
    fn rows_from_pieces_are_the_tables_rows() {
        let mut reassigned = false;
        for (dir, plan) in crate::validate::shipped_plans() {
            for (as_of, within) in [("2023-03-15", 90), ("2025-06-01", 30), ("2027-01-01", 0)] {
                let as_of = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
                let found = crate::report::due_found(&plan, as_of, within, None);
                reassigned |= found.par_iter().any(|i| i.reassigned);
                for (lang, fit) in [(Lang::Vi, None), (Lang::En, None), (Lang::Vi, Some(80))] {
                    let draw = |pieces: bool| {
                        let mut out = Vec::new();
                        let sizes = Sizes {
                            pieces,
                            ..Sizes::NATIONAL
                        };
                        let kinds = found.kinds();
                        list(
                            &plan, &found, kinds, as_of, within, lang, false, &mut out, sizes, fit,
                        )
                        .unwrap();
                        String::from_utf8(out).unwrap()
                    };
                    assert_eq!(
                        draw(true),
                        draw(false),
                        "{dir} as of {as_of}, {lang:?}, {fit:?}"
                    );
                }
            }
        }
        assert!(reassigned);
    }

    /// On a terminal narrower than the list, its titles are wrapped so
    /// that every table fits, and nothing else changes: the same items,
    /// the same words of every cell.
    #[test]
    fn the_list_fits_a_terminal() {
        let draw = |plan: &Plan, found: &DueFound, as_of, fit| {
            let mut out = Vec::new();
            list(
                plan,
                found,
                found.kinds(),
                as_of,
                30,
                Lang::Vi,
                false,
                &mut out,
                Sizes::NATIONAL,
                fit,
            )
            .unwrap();
            String::from_utf8(out).unwrap()
        };
        use crate::render::grid::probe::{sorted_words, table_width};
        let mut narrower = false;
        for (dir, plan) in crate::validate::shipped_plans() {
            let as_of = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
            let found = crate::report::due_found(&plan, as_of, 30, None);
            let whole = draw(&plan, &found, as_of, None);
            assert_eq!(draw(&plan, &found, as_of, Some(1000)), whole, "{dir}");
            let fitted = draw(&plan, &found, as_of, Some(110));
            narrower |= table_width(&whole) > 110;
            assert!(table_width(&fitted) <= 110, "{dir}\n{fitted}");
            // Words of titles are cut at no other places than spaces.
            assert_eq!(sorted_words(&whole), sorted_words(&fitted), "{dir}");
        }
        assert!(narrower);
    }

    /// The counts at the top are the whole list's and agree with its rows
    /// and with the agencies' own counts, and `--limit` leaves them whole.
    #[test]
    fn the_counts_say_what_the_list_holds() {
        for (dir, plan) in crate::validate::shipped_plans() {
            for as_of in ["2023-03-15", "2024-06-10", "2025-06-01", "2027-01-01"] {
                let as_of = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
                let mut found = crate::report::due_found(&plan, as_of, 30, None);
                let kinds = found.kinds();
                let items: Vec<DueItem> = found.par_iter().collect();
                let of = |class| items.iter().filter(|i| i.class == class).count();
                assert_eq!(kinds.total(), found.len(), "{dir} {as_of}");
                assert_eq!(kinds.overdue, of(crate::status::Class::Overdue));
                assert_eq!(kinds.ongoing, of(crate::status::Class::Ongoing));
                assert_eq!(
                    kinds.overdue_unreported,
                    items
                        .iter()
                        .filter(|i| i.class == crate::status::Class::Overdue && i.unreported)
                        .count()
                );
                let draw = |found: &DueFound| {
                    let mut out = Vec::new();
                    list(
                        &plan,
                        found,
                        kinds,
                        as_of,
                        30,
                        Lang::En,
                        false,
                        &mut out,
                        Sizes::NATIONAL,
                        None,
                    )
                    .unwrap();
                    String::from_utf8(out).unwrap()
                };
                let text = draw(&found);
                if kinds.total() == 0 {
                    assert!(text.contains("Nothing overdue"));
                    continue;
                }
                // The number before " overdue" in a line of counts.
                let overdue = |line: &str| {
                    line.find(" overdue")
                        .and_then(|at| line[..at].rsplit(' ').next()?.replace(',', "").parse().ok())
                        .unwrap_or(0)
                };
                let top = text.lines().find(|l| l.starts_with("In all: ")).unwrap();
                assert!(
                    top.starts_with(&format!(
                        "In all: {} occurrence",
                        crate::labels::count(kinds.total() as u64, Lang::En)
                    )),
                    "{top}"
                );
                assert_eq!(overdue(top), kinds.overdue, "{top}");
                // Each agency's line follows its name; their overdue add up.
                let lines: Vec<&str> = text.lines().collect();
                let per_agency: usize = lines
                    .windows(2)
                    .filter(|w| w[1].starts_with('┌'))
                    .map(|w| overdue(w[0]))
                    .sum();
                assert_eq!(per_agency, kinds.overdue, "{dir} {as_of}");
                // Cut to one item, the top still counts them all.
                found.truncate(1);
                let cut = draw(&found);
                assert!(cut.contains(top), "{cut}");
            }
        }
    }
}
