//! `tasks`: classified occurrences as a terminal table, CSV or JSON.
//! Written row by row to the output, so a national plan's hundreds of
//! thousands of lines never sit in memory as one table.

use super::csv::safe;
use super::grid::{BlankLine, Cell, Head, Measured, Memo, Pad, Padded, Shelf, Table, put_pieces};
use super::{ListedTasks, Numbered, PeriodCells, TaskCells, agency_label, span};
use crate::labels::{labels, period, state_of};
use crate::model::{AgencyId, Lang, Plan, Status};
use crate::report::Chosen;
use crate::status::{Class, Classified};
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use rustc_hash::FxHashSet as FastSet;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;

/// Rows per terminal table: a table is drawn after measuring all its rows,
/// so long lists are drawn in blocks of this many.
const BLOCK: usize = 2000;

/// How narrow the titles, the agencies, the states and the deadlines are
/// wrapped: the first as printed; on a terminal narrower than that, the
/// first that fits.
#[derive(Clone, Copy)]
struct Wraps {
    title: usize,
    agency: usize,
    state: usize,
    deadline: usize,
}

const WRAPS: [Wraps; 6] = [
    Wraps::new(40, 24, 18, 40),
    Wraps::new(32, 20, 18, 40),
    Wraps::new(26, 18, 18, 40),
    Wraps::new(22, 16, 16, 12),
    Wraps::new(18, 14, 14, 12),
    Wraps::new(16, 12, 12, 12),
];

impl Wraps {
    const fn new(title: usize, agency: usize, state: usize, deadline: usize) -> Wraps {
        Wraps {
            title,
            agency,
            state,
            deadline,
        }
    }
}

/// The listing as a table; `total` is how many occurrences matched, more
/// than `chosen` holds when `--limit` cut it. On a terminal `fit` columns
/// wide, the titles and agencies are wrapped narrower so that it fits
/// (`WRAPS`).
pub fn table(
    plan: &Plan,
    chosen: &Chosen,
    total: usize,
    as_of: NaiveDate,
    lang: Lang,
    out: &mut dyn Write,
    fit: Option<usize>,
) -> anyhow::Result<()> {
    table_drawn(plan, chosen, total, as_of, lang, out, fit, true)
}

/// `table`, its rows put together from pieces (`Pieces`) when `pieces`,
/// otherwise pushed onto a general table, as a test compares.
#[allow(clippy::too_many_arguments)]
fn table_drawn(
    plan: &Plan,
    chosen: &Chosen,
    total: usize,
    as_of: NaiveDate,
    lang: Lang,
    out: &mut dyn Write,
    fit: Option<usize>,
    pieces: bool,
) -> anyhow::Result<()> {
    let l = labels(lang);
    if chosen.is_empty() {
        if total > 0 {
            writeln!(out, "{}", crate::labels::limited(0, total, lang))?;
        } else {
            writeln!(out, "{}", l.no_match)?;
        }
        return Ok(());
    }
    // Where nobody has reported anything yet, "overdue" means "not
    // reported": said first, as the report says it.
    if crate::report::nothing_reported(plan, as_of) {
        writeln!(out, "{}", crate::text::wrap(l.nothing_reported, 100))?;
    }
    let header: Vec<Measured> = occurrence_headers(lang)
        .into_iter()
        .map(Measured::new)
        .collect();
    let mut cells = Cells::new(plan, chosen, lang, WRAPS[0]);
    if let Some(fit) = fit {
        for &wraps in &WRAPS[1..] {
            if cells.widest(plan, chosen, &header) <= fit {
                break;
            }
            cells = Cells::new(plan, chosen, lang, wraps);
        }
    }
    // No cell of a column is wider than `cells.bound`: a block's widths
    // are known as soon as it has met them, which in a long listing comes
    // early, and the rest of the block is not measured.
    let widest = cells.bound;
    // Blocks are drawn on all cores, a few at a time, and written in order.
    let blocks = chosen.blocks(BLOCK);
    super::grid::draw_in_order(
        &blocks,
        || Table::new(&header, &[]),
        |block: &Vec<&[Classified]>, t, bytes: &mut Vec<u8>| {
            let rows = || block.iter().flat_map(|piece| piece.iter());
            // The block's widths first, then its rows put together from
            // pieces for them.
            let mut widths = [0; 7];
            for (k, c) in rows().enumerate() {
                if k % AHEAD == 0 && widths == widest {
                    break;
                }
                for (w, cell) in widths.iter_mut().zip(cells.cells(plan, c)) {
                    *w = (*w).max(cell.width());
                }
            }
            t.at_least(&widths);
            match cells.pieces(t.widths()).filter(|_| pieces) {
                Some(p) => {
                    t.draw_around(bytes, true, true, |out| cells.draw(plan, out, rows(), &p))
                }
                None => {
                    for c in rows() {
                        cells.row(plan, c, t);
                    }
                    t.draw(bytes);
                }
            }
            bytes.push(b'\n');
        },
        out,
    )?;
    if total > chosen.len() {
        writeln!(out, "{}", crate::labels::limited(chosen.len(), total, lang))?;
    } else {
        writeln!(
            out,
            "{} {}",
            crate::labels::count(chosen.len() as u64, lang),
            l.occurrence_count
        )?;
    }
    Ok(())
}

/// What the last-update column says depends on these alone.
type UpdateKey = Option<(NaiveDate, Status, Option<u8>)>;

/// Rows whose free text is read ahead at once (`in_blocks`).
const AHEAD: usize = 64;

/// The cells a national listing repeats over hundreds of thousands of
/// rows — a few thousand titles, agencies, periods, deadlines, states and
/// last updates — each wrapped and measured once, so drawing a row is
/// copying bytes. All but the last updates are found by number, not by
/// hashing: a row looks up seven.
struct Cells {
    /// No cell of a column is wider: found from the cells the rows were
    /// seen to use, without reading the rows again.
    bound: [u32; 7],
    /// The listed tasks' ids and titles.
    tasks: TaskCells,
    /// By the agency listed, when it is the one the task was assigned to.
    leads: Vec<Measured>,
    /// By the agency listed and the one the task was assigned to, when
    /// they differ (a reorganisation).
    reassigned: Memo<(AgencyId, AgencyId)>,
    periods: PeriodCells,
    /// By the day of the deadline in force, as set and as extended; and
    /// for no deadline.
    deadlines: Numbered<[Measured; 2]>,
    no_deadline: Measured,
    /// The deadline cell of an occurrence of a task done on request that
    /// nobody asked for yet.
    not_asked: Measured,
    /// By class and status (`state`).
    states: Vec<Measured>,
    updates: LastUpdates,
    /// The periods (by `periods`' places), the deadlines (as
    /// `deadline_place` finds them) and the states (by `state`, then an
    /// empty cell) padded for each width they are drawn at.
    padded: [Shelf; 3],
}

/// What a table's rows are put together from, for its column widths.
struct Pieces<'c> {
    id: Pad,
    period: &'c Padded,
    title: Pad,
    lead: Pad,
    deadline: &'c Padded,
    state: &'c Padded,
    update: Pad,
    blank: BlankLine,
}

/// The last-update cells: "12/11/2022: đang thực hiện 96%", wrapped. A
/// national listing's rows show tens of thousands of different ones —
/// made one by one, they were a third of the drawing, most of it waiting
/// on memory. Since a date is always ten characters, where its text
/// breaks into lines depends on the status and percentage alone: a cell
/// is drawn as its date (a `Head`, by day) before the rest (by status
/// and percentage), a few thousand small values that stay in the cache.
struct LastUpdates {
    /// By the day of the update's date.
    dates: Numbered<Head>,
    /// By status and percentage (`shape`): the text after the date.
    rests: Vec<Measured>,
    /// Not reported.
    none: Measured,
    /// Whole, for a date whose year has not four digits.
    odd: Memo<UpdateKey>,
}

/// Where a status and percentage's text is in `LastUpdates::rests`.
fn shape(status: Status, percent: Option<u8>) -> usize {
    status as usize * 102 + percent.map_or(0, |p| usize::from(p) + 1)
}

/// Drawn as a date and a rest: a year of four digits (a ten-character
/// date), a percentage of at most 100.
fn regular(key: UpdateKey) -> bool {
    key.is_none_or(|(d, _, p)| (0..=9999).contains(&d.year()) && p.is_none_or(|p| p <= 100))
}

impl LastUpdates {
    /// `days`: the first and last day of the rows' updates; `used`, every
    /// day, asked for when they are far apart; `odd`, the keys that are
    /// not `regular`.
    fn new(
        days: Option<(i32, i32)>,
        rows: usize,
        used: impl FnOnce() -> Vec<i32>,
        odd: FastSet<UpdateKey>,
        lang: Lang,
    ) -> LastUpdates {
        let words = |key: &UpdateKey| crate::text::wrap(&super::last_update_words(*key, lang), 20);
        let dates = Numbered::new(days, rows, used, |n| {
            NaiveDate::from_num_days_from_ce_opt(n)
                .map_or_else(Head::default, |d| Head::new(&crate::labels::date(d)))
        });
        let any_day = NaiveDate::default();
        let date = crate::labels::date(any_day);
        let mut rests = Vec::new();
        for status in Status::ALL {
            for percent in std::iter::once(None).chain((0..=100).map(Some)) {
                let k = shape(status, percent);
                if rests.len() <= k {
                    rests.resize_with(k + 1, Measured::default);
                }
                let whole = words(&Some((any_day, status, percent)));
                if let (Some(rest), Some(slot)) = (whole.strip_prefix(&date), rests.get_mut(k)) {
                    *slot = Measured::new(rest.to_string());
                }
            }
        }
        LastUpdates {
            dates,
            rests,
            none: Measured::new(words(&None)),
            odd: Memo::of(odd, words),
        }
    }

    fn cell(&self, key: UpdateKey) -> Cell<'_> {
        let Some((d, status, percent)) = key else {
            return self.none.cell();
        };
        match (regular(key), self.dates.get(day(d))) {
            (true, Some(date)) => Cell::headed(
                date,
                self.rests
                    .get(shape(status, percent))
                    .unwrap_or(Measured::empty())
                    .cell(),
            ),
            _ => self.odd.get(&key).cell(),
        }
    }
}

/// Which keys the listed occurrences use, found on all cores.
#[derive(Default)]
struct Seen {
    reassigned: FastSet<(AgencyId, AgencyId)>,
    /// The first and last year of the periods, and day of the deadlines.
    years: Option<(i32, i32)>,
    days: Option<(i32, i32)>,
    /// The first and last day of the last updates.
    update_days: Option<(i32, i32)>,
    /// Those not drawn as a date and a rest (`regular`).
    odd_updates: FastSet<UpdateKey>,
    /// The cells the rows use among those made for every value, for the
    /// widest of each column (`Cells::bound`): the agencies listed where
    /// the task was assigned to them, by bit; the states (`state`); the
    /// kinds of deadline (`DEADLINE_*`); the last updates' statuses and
    /// percentages (`shape`), and whether one is not reported.
    leads: Vec<u64>,
    states: u64,
    deadlines: u8,
    shapes: Vec<u64>,
    unreported: bool,
}

/// The kinds of deadline cell (`Seen::deadlines`).
const DEADLINE_SET: u8 = 1;
const DEADLINE_EXTENDED: u8 = 2;
const DEADLINE_NONE: u8 = 4;
const DEADLINE_NOT_ASKED: u8 = 8;

/// Sets bit `i` of `bits`, lengthened as it needs.
fn mark(bits: &mut Vec<u64>, i: usize) {
    let word = i / 64;
    if bits.len() <= word {
        bits.resize(word + 1, 0);
    }
    if let Some(w) = bits.get_mut(word) {
        *w |= 1 << (i % 64);
    }
}

/// Whether bit `i` of `bits` is set.
fn marked(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// `a | b`, bit by bit.
fn either(mut a: Vec<u64>, b: Vec<u64>) -> Vec<u64> {
    if a.len() < b.len() {
        return either(b, a);
    }
    for (a, b) in a.iter_mut().zip(b) {
        *a |= b;
    }
    a
}

impl Seen {
    fn merge(mut self, other: Seen) -> Seen {
        self.reassigned.extend(other.reassigned);
        self.years = span(self.years, other.years);
        self.days = span(self.days, other.days);
        self.update_days = span(self.update_days, other.update_days);
        self.odd_updates.extend(other.odd_updates);
        self.leads = either(self.leads, other.leads);
        self.states |= other.states;
        self.deadlines |= other.deadlines;
        self.shapes = either(self.shapes, other.shapes);
        self.unreported |= other.unreported;
        self
    }
}

/// A date as a number of days.
fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

/// Where a class and status's value is in a list made by `by_state`.
fn state(class: Class, status: Status) -> usize {
    class as usize * Status::ALL.len() + status as usize
}

/// A value for every class and status, at `state(class, status)`.
fn by_state<T: Default>(make: impl Fn(Class, Status) -> T) -> Vec<T> {
    let mut values = Vec::new();
    for class in Class::ALL
        .into_iter()
        .chain([Class::Ongoing, Class::OnRequest])
    {
        for status in Status::ALL {
            let k = state(class, status);
            if values.len() <= k {
                values.resize_with(k + 1, T::default);
            }
            if let Some(value) = values.get_mut(k) {
                *value = make(class, status);
            }
        }
    }
    values
}

impl Cells {
    /// The cells of `chosen`, wrapped at `wraps`.
    fn new(plan: &Plan, chosen: &Chosen, lang: Lang, wraps: Wraps) -> Cells {
        let listed = ListedTasks::new(plan);
        // A run of rows at a time, its spans kept in registers.
        let mut seen = chosen
            .par_runs(4096)
            .map(|run| {
                let mut seen = Seen::default();
                let none = (i32::MAX, i32::MIN);
                let (mut years, mut days, mut update_days) = (none, none, none);
                let mut task = usize::MAX;
                for c in run {
                    let occ = &plan.occurrences[c.occurrence()];
                    if occ.task() != task {
                        task = occ.task();
                        listed.mark(task);
                    }
                    if c.agency() != occ.lead() {
                        seen.reassigned.insert((c.agency(), occ.lead()));
                    } else {
                        mark(&mut seen.leads, c.agency());
                    }
                    seen.states |= 1 << (state(c.eval.class, c.eval.status) % 64);
                    seen.deadlines |= match c.eval.deadline {
                        None if c.eval.class == Class::OnRequest => DEADLINE_NOT_ASKED,
                        None => DEADLINE_NONE,
                        Some(_) if occ.extended_to(c.eval.deadline) => DEADLINE_EXTENDED,
                        Some(_) => DEADLINE_SET,
                    };
                    match c.eval.last_key() {
                        None => seen.unreported = true,
                        Some((_, status, percent)) if regular(c.eval.last_key()) => {
                            mark(&mut seen.shapes, shape(status, percent));
                        }
                        Some(_) => {}
                    }
                    let year = occ.packed_label.year();
                    years = (years.0.min(year), years.1.max(year));
                    if let Some(d) = c.eval.deadline.map(day) {
                        days = (days.0.min(d), days.1.max(d));
                    }
                    if let Some(d) = c.eval.last_date.map(day) {
                        update_days = (update_days.0.min(d), update_days.1.max(d));
                    }
                    if !regular(c.eval.last_key()) {
                        seen.odd_updates.insert(c.eval.last_key());
                    }
                }
                let some = |(first, last): (i32, i32)| (first <= last).then_some((first, last));
                seen.years = some(years);
                seen.days = some(days);
                seen.update_days = some(update_days);
                seen
            })
            .reduce(Seen::default, Seen::merge);
        let tasks = listed.cells(plan, lang, wraps.title);
        let (used_leads, used_states, used_deadlines, used_shapes, unreported) = (
            std::mem::take(&mut seen.leads),
            seen.states,
            seen.deadlines,
            std::mem::take(&mut seen.shapes),
            seen.unreported,
        );
        let lead = |agency: AgencyId, lead: AgencyId| {
            let mut text = crate::text::wrap(&agency_label(plan, agency, lang), wraps.agency);
            if lead != agency {
                // Reorganised: the agency it was assigned to.
                text.push('\n');
                text.push_str(&crate::text::wrap(
                    &super::assigned_note(plan, lead, lang),
                    wraps.agency,
                ));
            }
            text
        };
        let leads: Vec<Measured> = (0..plan.agencies.len())
            .into_par_iter()
            .map(|a| Measured::new(lead(a, a)))
            .collect();
        let mut reassigned = Memo::default();
        for (agency, assigned) in seen.reassigned {
            reassigned.fill((agency, assigned), || lead(agency, assigned));
        }
        // The years (or days) the rows use, one by one: asked for only
        // when they lie too far apart for a table from first to last.
        let used = |number: fn(&Plan, &Classified) -> Option<i32>| {
            move || {
                let mut used: Vec<i32> =
                    chosen.par_iter().filter_map(|c| number(plan, c)).collect();
                used.par_sort_unstable();
                used.dedup();
                used
            }
        };
        let periods = PeriodCells::new(
            seen.years,
            used(|plan, c| Some(plan.occurrences[c.occurrence()].packed_label.year())),
            |label| crate::text::wrap(&period(label, lang), 12),
        );
        let deadlines = Numbered::new(
            seen.days,
            chosen.len(),
            used(|_, c| c.eval.deadline.map(day)),
            |n| {
                let d = NaiveDate::from_num_days_from_ce_opt(n);
                [false, true].map(|extended| {
                    let words = super::deadline_words(d, extended, lang);
                    Measured::new(crate::text::wrap(&words, wraps.deadline))
                })
            },
        );
        let states = by_state(|class, status| {
            Measured::new(crate::text::wrap(
                &state_of(class, status, lang),
                wraps.state,
            ))
        });
        let updates = LastUpdates::new(
            seen.update_days,
            chosen.len(),
            used(|_, c| c.eval.last_date.map(day)),
            seen.odd_updates,
            lang,
        );
        let no_deadline = Measured::new(super::deadline_words(None, false, lang));
        let not_asked = Measured::new(crate::labels::on_request(lang).to_string());
        let widest = |cells: &mut dyn Iterator<Item = &Measured>| {
            cells.map(Measured::width).max().unwrap_or(0)
        };
        let padded = [
            Shelf::new(periods.widest(), false, false),
            Shelf::new(
                widest(
                    &mut deadlines
                        .values()
                        .flatten()
                        .chain([&no_deadline, &not_asked]),
                ),
                false,
                false,
            ),
            Shelf::new(widest(&mut states.iter()), false, false),
        ];
        // The widest cell each column can have: of the tasks listed, of
        // the periods from the first year to the last, and of the cells
        // the rows were seen to use.
        let widest_of = |cells: &mut dyn Iterator<Item = u32>| cells.max().unwrap_or(0);
        let [id, title] = tasks.widest();
        let kinds = |kind: u8| used_deadlines & kind != 0;
        let heads = updates.dates.values().max_by_key(|h| h.width());
        let bound = [
            id,
            periods.widest(),
            title,
            widest_of(
                &mut (leads.iter().enumerate())
                    .filter(|&(a, _)| marked(&used_leads, a))
                    .map(|(_, m)| m.width())
                    .chain([reassigned.widest()]),
            ),
            widest_of(
                &mut (deadlines.values())
                    .flat_map(|[set, extended]| {
                        [
                            kinds(DEADLINE_SET).then_some(set),
                            kinds(DEADLINE_EXTENDED).then_some(extended),
                        ]
                    })
                    .chain([
                        kinds(DEADLINE_NONE).then_some(&no_deadline),
                        kinds(DEADLINE_NOT_ASKED).then_some(&not_asked),
                    ])
                    .flatten()
                    .map(Measured::width),
            ),
            widest_of(
                &mut (states.iter().enumerate())
                    .filter(|&(k, _)| k < 64 && used_states & (1 << k) != 0)
                    .map(|(_, m)| m.width()),
            ),
            widest_of(
                &mut (updates.rests.iter().enumerate())
                    .filter(|&(k, _)| marked(&used_shapes, k))
                    .filter_map(|(_, rest)| Some(Cell::headed(heads?, rest.cell()).width()))
                    .chain(unreported.then(|| updates.none.width()))
                    .chain([updates.odd.widest()]),
            ),
        ];
        Cells {
            bound,
            tasks,
            leads,
            reassigned,
            periods,
            deadlines,
            no_deadline,
            not_asked,
            states,
            updates,
            padded,
        }
    }

    /// The pieces of a table's rows for its column widths `w` (none for
    /// widths past those padded for).
    fn pieces(&self, w: &[u32]) -> Option<Pieces<'_>> {
        let &[id, period, title, lead, deadline, state, update] = w else {
            return None;
        };
        let [periods, deadlines, states] = &self.padded;
        let (id, title) = (Pad::new(id, false), Pad::new(title, false));
        let period = periods.get(period, || self.periods.cells())?;
        let blank = BlankLine::new(&[id.blank(), period.blank(), title.blank()]);
        Some(Pieces {
            id,
            period,
            title,
            lead: Pad::new(lead, false),
            deadline: deadlines.get(deadline, || {
                let cells = self.deadlines.values().flatten();
                cells
                    .chain([&self.no_deadline, &self.not_asked])
                    .map(Measured::cell)
                    .chain([Cell::default()])
            })?,
            state: states.get(state, || {
                self.states
                    .iter()
                    .map(Measured::cell)
                    .chain([Cell::default()])
            })?,
            update: Pad::new(update, true),
            blank,
        })
    }

    /// Where an occurrence's deadline cell is among the padded ones: by
    /// its day, as set and as extended; then none, not asked for, and
    /// empty (a day outside the rows').
    fn deadline_place(&self, plan: &Plan, c: &Classified) -> usize {
        let none = 2 * self.deadlines.values().len();
        match c.eval.deadline {
            None if c.eval.class == Class::OnRequest => none + 1,
            None => none,
            Some(d) => self
                .deadlines
                .place(day(d))
                .map_or(none + 2, |k| 2 * k + usize::from(super::extended(plan, c))),
        }
    }

    /// The body lines of `rows`, each after a newline, put together from
    /// `p`: a copy or two per cell.
    fn draw<'r>(
        &self,
        plan: &Plan,
        out: &mut Vec<u8>,
        rows: impl Iterator<Item = &'r Classified>,
        p: &Pieces<'_>,
    ) {
        let tasks = self.tasks.arena();
        let mut at = out.len();
        for c in rows {
            let occ = &plan.occurrences[c.occurrence()];
            let id = tasks.cell(TaskCells::id(occ.task()));
            let period = self.periods.place(occ.packed_label);
            let title = tasks.cell(TaskCells::title(occ.task()));
            let lead = self.lead(c.agency(), occ.lead()).cell();
            let deadline = self.deadline_place(plan, c);
            let state = state(c.eval.class, c.eval.status).min(self.states.len());
            let update = self.updates.cell(c.eval.last_key());
            let heights = [
                id.height(),
                p.period.height(period),
                title.height(),
                lead.height(),
                p.deadline.height(deadline),
                p.state.height(state),
                update.height(),
            ];
            let height = heights.into_iter().max().unwrap_or(0).max(1);
            for k in 0..height {
                // A later line with the id, the period and the title
                // blank (the lead, the state or the update wrapped):
                // those three are one copy.
                at = if heights[..3].iter().all(|&h| h <= k) {
                    put_pieces(out, at, &[p.blank.leading(3)])
                } else {
                    let [id_text, id_pad] = p.id.line(&id, k);
                    let [title_text, title_pad] = p.title.line(&title, k);
                    let period = p.period.line(period, k);
                    let first = [
                        p.blank.leading(0),
                        id_text,
                        id_pad,
                        period,
                        title_text,
                        title_pad,
                    ];
                    put_pieces(out, at, &first)
                };
                let [lead_text, lead_pad] = p.lead.line(&lead, k);
                let [date, update_text, update_pad] = p.update.line_headed(&update, k);
                at = put_pieces(
                    out,
                    at,
                    &[
                        lead_text,
                        lead_pad,
                        p.deadline.line(deadline, k),
                        p.state.line(state, k),
                        date,
                        update_text,
                        update_pad,
                    ],
                );
            }
        }
        out.truncate(at);
    }

    /// The lead cell: the agency listed, with the one the task was
    /// assigned to when they differ.
    fn lead(&self, agency: AgencyId, lead: AgencyId) -> &Measured {
        if agency == lead {
            self.leads.get(agency).unwrap_or(Measured::empty())
        } else {
            self.reassigned.get(&(agency, lead))
        }
    }

    /// The width of the widest table's line (`grid::line_width`), each
    /// column as its widest cell in `chosen`.
    fn widest(&self, plan: &Plan, chosen: &Chosen, header: &[Measured]) -> usize {
        super::grid::line_width(&self.widths_of(plan, chosen), header)
    }

    /// The widest cell of each column in `chosen`. The tasks' ids and
    /// titles are those of the listed tasks alone (`ListedTasks`): their
    /// widest is known without reading the rows, which lie anywhere among
    /// a national plan's tasks.
    fn widths_of(&self, plan: &Plan, chosen: &Chosen) -> [u32; 7] {
        let [id, title] = self.tasks.widest();
        let mut widths = chosen
            .par_iter()
            .fold(
                || [0u32; 7],
                |mut w, c| {
                    let occ = &plan.occurrences[c.occurrence()];
                    w[1] = w[1].max(self.periods.get(occ.packed_label).width());
                    w[3] = w[3].max(self.lead(c.agency(), occ.lead()).width());
                    w[4] = w[4].max(self.deadline(plan, c).width());
                    w[5] = w[5].max(self.state(c).width());
                    w[6] = w[6].max(self.updates.cell(c.eval.last_key()).width());
                    w
                },
            )
            .reduce(|| [0; 7], |a, b| std::array::from_fn(|i| a[i].max(b[i])));
        (widths[0], widths[2]) = (id, title);
        widths
    }

    /// Pushes an occurrence's seven cells onto `t`.
    fn row<'a>(&'a self, plan: &Plan, c: &Classified, t: &mut Table<'a>) {
        t.push_row(&self.cells(plan, c));
    }

    /// An occurrence's seven cells.
    fn cells<'a>(&'a self, plan: &Plan, c: &Classified) -> [Cell<'a>; 7] {
        let occ = &plan.occurrences[c.occurrence()];
        let tasks = self.tasks.arena();
        [
            tasks.cell(TaskCells::id(occ.task())),
            self.periods.get(occ.packed_label),
            tasks.cell(TaskCells::title(occ.task())),
            self.lead(c.agency(), occ.lead()).cell(),
            self.deadline(plan, c).cell(),
            self.state(c).cell(),
            self.updates.cell(c.eval.last_key()),
        ]
    }

    /// An occurrence's deadline cell.
    fn deadline(&self, plan: &Plan, c: &Classified) -> &Measured {
        match c.eval.deadline {
            None if c.eval.class == Class::OnRequest => &self.not_asked,
            None => &self.no_deadline,
            Some(d) => self
                .deadlines
                .get(day(d))
                .map_or(Measured::empty(), |both| {
                    &both[usize::from(super::extended(plan, c))]
                }),
        }
    }

    /// An occurrence's state cell.
    fn state(&self, c: &Classified) -> &Measured {
        self.states
            .get(state(c.eval.class, c.eval.status))
            .unwrap_or(Measured::empty())
    }
}

pub fn csv(plan: &Plan, chosen: &Chosen, lang: Lang, out: &mut dyn Write) -> anyhow::Result<()> {
    let l = labels(lang);
    let builder = || {
        let mut b = ::csv::WriterBuilder::new();
        b.flexible(true).has_headers(false);
        b
    };
    {
        let mut w = builder().from_writer(&mut *out);
        w.write_record([
            l.task,
            l.period,
            l.year,
            l.group,
            l.title,
            l.code,
            l.lead,
            l.assigned_code,
            l.support,
            l.deadline,
            l.original_deadline,
            l.status,
            l.completed_col,
            l.last_update,
            l.evidence,
            l.note,
        ])?;
        w.flush()?;
    }
    let states = by_state(|class, status| state_of(class, status, lang));
    in_blocks(plan, chosen, out, |_, rows, bytes| {
        let mut w = builder().from_writer(bytes);
        let mut row = CsvRow::default();
        for c in rows {
            row.write(&mut w, plan, c, lang, &states)?;
        }
        Ok::<_, ::csv::Error>(w.flush()?)
    })
}

/// Writes `chosen` in blocks of `BLOCK` made on all cores (`block` gets
/// the block's number and its rows, their last updates' texts read ahead) and
/// put out in order; the first error, if any, once all are done.
fn in_blocks<'c, E>(
    plan: &Plan,
    chosen: &'c Chosen,
    out: &mut dyn Write,
    block: impl Fn(usize, &mut dyn Iterator<Item = &'c Classified>, &mut Vec<u8>) -> Result<(), E>
    + Sync,
) -> anyhow::Result<()>
where
    E: Into<anyhow::Error> + Send,
{
    let blocks: Vec<(usize, Vec<&[Classified]>)> =
        chosen.blocks(BLOCK).into_iter().enumerate().collect();
    let failed = std::sync::Mutex::new(None);
    super::grid::draw_in_order(
        &blocks,
        || (),
        |(k, slices): &(usize, Vec<&'c [Classified]>), _, bytes: &mut Vec<u8>| {
            let mut rows = slices
                .iter()
                .flat_map(|slice| slice.chunks(AHEAD))
                .flat_map(|run| {
                    crate::memory::read_ahead(run, |c| {
                        c.eval.last().map_or(0, |i| plan.texts.place(i))
                    });
                    run
                });
            if let Err(e) = block(*k, &mut rows, bytes)
                && let Ok(mut f) = failed.lock()
            {
                f.get_or_insert(e);
            }
        },
        out,
    )?;
    match failed.into_inner().ok().flatten() {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// A block's CSV rows, written one after the other through buffers kept
/// for the block. Rows come task by task, so a row's supporting agencies
/// are most often the row before's, and their names are made again only
/// when they differ: at national size there are a million and a half rows.
#[derive(Default)]
struct CsvRow {
    /// The supporting agencies as responsible at the row's deadline, the
    /// row before's, and their names.
    support: Vec<AgencyId>,
    before: Option<Vec<AgencyId>>,
    names: String,
    /// The period, year, three dates and last update as text.
    text: [String; 6],
}

impl CsvRow {
    fn write<W: Write>(
        &mut self,
        w: &mut ::csv::Writer<W>,
        plan: &Plan,
        c: &Classified,
        lang: Lang,
        states: &[String],
    ) -> ::csv::Result<()> {
        let occ = &plan.occurrences[c.occurrence()];
        let task = &plan.tasks[occ.task()];
        let last = c.eval.last().map(|i| plan.text(i));
        super::supporting(plan, c, &mut self.support);
        if self.before.as_ref() != Some(&self.support) {
            self.names = super::names_of(plan, &self.support, lang);
            self.before = Some(self.support.clone());
        }
        let [label, year, deadline, original, completed, update] = &mut self.text;
        label.clear();
        let _ = write!(label, "{}", occ.label());
        year.clear();
        let _ = write!(year, "{}", occ.year());
        iso(deadline, c.eval.deadline);
        iso(original, occ.deadline);
        iso(completed, c.eval.completed);
        update.clear();
        match c.eval.last_key() {
            Some((date, status, percent)) => {
                crate::labels::date_into(update, date);
                update.push_str(": ");
                update.push_str(crate::labels::status_name(status, lang));
                if let Some(p) = percent {
                    let _ = write!(update, " {p}%");
                }
            }
            None => update.push_str(labels(lang).not_reported),
        }
        w.write_record([
            safe(&task.id).as_ref(),
            label,
            year,
            safe(&plan.groups[task.group].id).as_ref(),
            safe(plan.task_title(occ.task(), lang)).as_ref(),
            safe(&plan.agencies[c.agency()].code).as_ref(),
            safe(plan.agency_name(c.agency(), lang)).as_ref(),
            // Whom it was assigned to: a group's member, or the agency a
            // successor took it over from (else the same code again).
            safe(&plan.agencies[occ.lead()].code).as_ref(),
            safe(&self.names).as_ref(),
            deadline,
            original,
            states
                .get(state(c.eval.class, c.eval.status))
                .map_or("", String::as_str),
            completed,
            safe(update).as_ref(),
            safe(last.and_then(|u| u.evidence()).unwrap_or("")).as_ref(),
            safe(last.and_then(|u| u.note()).unwrap_or("")).as_ref(),
        ])
    }
}

/// `d` as `2024-06-30` (chrono's form) into `out`, emptied first; nothing
/// for `None`.
pub(super) fn iso(out: &mut String, d: Option<NaiveDate>) {
    out.clear();
    if let Some(d) = d {
        if (0..=9999).contains(&d.year()) {
            // Digits by hand: three dates a row, over a million rows.
            crate::labels::push_digits(out, d.year().unsigned_abs(), 4);
            out.push('-');
            crate::labels::push_digits(out, d.month(), 2);
            out.push('-');
            crate::labels::push_digits(out, d.day(), 2);
        } else {
            let _ = write!(out, "{d}");
        }
    }
}

#[derive(Serialize)]
struct JsonOcc<'a> {
    task: &'a str,
    period: &'a str,
    year: i32,
    group: &'a str,
    title: &'a str,
    lead: &'a str,
    /// The agency the occurrence was assigned to, when `lead` is not it
    /// (a successor, §9) or the task's lead is a group (its member, §11).
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_to: Option<&'a str>,
    deadline: Option<&'a str>,
    original_deadline: Option<&'a str>,
    /// The class (§6.4), or "ongoing" (§12).
    status: &'static str,
    /// The reported status (§5) as of the date.
    progress: &'static str,
    not_reported: bool,
    completed: Option<&'a str>,
    last_update: Option<JsonUpdate<'a>>,
}

#[derive(Serialize)]
struct JsonUpdate<'a> {
    date: &'a str,
    status: &'static str,
    percent: Option<u8>,
    by: Option<&'a str>,
    evidence: Option<&'a str>,
    note: Option<&'a str>,
}

/// `{"plan", "as_of", "occurrences": [...]}`, each occurrence written as
/// soon as it is ready.
pub fn json(
    plan: &Plan,
    chosen: &Chosen,
    as_of: chrono::NaiveDate,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    write!(
        out,
        "{{\n  \"plan\": {},\n  \"as_of\": \"{as_of}\",\n  \"occurrences\": [",
        serde_json::to_string(&plan.id)?
    )?;
    // Every item but the very first follows a comma.
    in_blocks(plan, chosen, out, |k, rows, bytes| {
        let (mut item, mut text) = (Vec::new(), Default::default());
        for (i, c) in rows.enumerate() {
            json_item(bytes, &mut item, &mut text, plan, c, k == 0 && i == 0)?;
        }
        Ok::<_, serde_json::Error>(())
    })?;
    writeln!(out, "{}]\n}}", if chosen.is_empty() { "" } else { "\n  " })?;
    Ok(())
}

/// One occurrence of `json`'s list, a member of it (`json::list_member`,
/// with `item` to print into). Its period and dates are written into
/// `text`, kept from one item to the next.
fn json_item(
    out: &mut Vec<u8>,
    item: &mut Vec<u8>,
    text: &mut [String; 5],
    plan: &Plan,
    c: &Classified,
    first: bool,
) -> serde_json::Result<()> {
    let occ = &plan.occurrences[c.occurrence()];
    let task = &plan.tasks[occ.task()];
    let last = c.eval.last_key().zip(c.eval.last().map(|i| plan.text(i)));
    let [period, deadline, original, completed, date] = text;
    period.clear();
    let _ = write!(period, "{}", occ.label());
    iso(deadline, c.eval.deadline);
    iso(original, occ.deadline);
    iso(completed, c.eval.completed);
    iso(date, last.map(|((d, _, _), _)| d));
    let value = JsonOcc {
        task: &task.id,
        period,
        year: occ.year(),
        group: &plan.groups[task.group].id,
        title: &task.title,
        lead: &plan.agencies[c.agency()].code,
        assigned_to: (plan.agencies[task.lead].is_group() || occ.lead() != c.agency())
            .then(|| plan.agencies[occ.lead()].code.as_str()),
        deadline: c.eval.deadline.map(|_| deadline.as_str()),
        original_deadline: occ.deadline.map(|_| original.as_str()),
        status: c.eval.class.key(),
        progress: c.eval.status.as_str(),
        not_reported: c.eval.not_reported(),
        completed: c.eval.completed.map(|_| completed.as_str()),
        last_update: last.map(|((_, status, percent), t)| JsonUpdate {
            date,
            status: status.as_str(),
            percent,
            by: t.by(),
            evidence: t.evidence(),
            note: t.note(),
        }),
    };
    super::json::list_member(out, item, &value, first)
}

/// The columns of an occurrence listing: `tasks` and the web view's tables.
pub fn occurrence_headers(lang: Lang) -> Vec<String> {
    let l = labels(lang);
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
    .to_vec()
}

#[cfg(test)]
mod tests {

    /// On a terminal narrower than the listing, its titles and agencies
    /// are wrapped so that it fits — 120 columns — and nothing else
    /// changes: the same rows, the same words in every cell.
    #[test]
    fn the_listing_fits_a_terminal() {
        use crate::render::grid::probe::{sorted_words, table_width};
        let mut narrower = false;
        for (dir, plan) in crate::validate::shipped_plans() {
            let as_of = NaiveDate::from_ymd_opt(2025, 12, 20).unwrap();
            let chosen = crate::report::select(&plan, as_of, &crate::report::Filter::default());
            let draw = |fit| {
                let mut out = Vec::new();
                table(&plan, &chosen, chosen.len(), as_of, Lang::Vi, &mut out, fit).unwrap();
                String::from_utf8(out).unwrap()
            };
            let whole = draw(None);
            assert_eq!(draw(Some(1000)), whole, "{dir}");
            let fitted = draw(Some(120));
            narrower |= table_width(&whole) > 120;
            assert!(table_width(&fitted) <= 120, "{dir}\n{fitted}");
            assert_eq!(sorted_words(&fitted), sorted_words(&whole), "{dir}");
        }
        assert!(narrower);
    }

    use super::*;

    /// Rows put together from pieces are the rows a general table draws
    /// from the same cells: every class, in both languages, wrapped to fit
    /// a terminal or not, on several dates.
    #[test]
    fn rows_from_pieces_are_the_tables_rows() {
        let mut reassigned = false;
        for (dir, plan) in crate::validate::shipped_plans() {
            for as_of in ["2022-03-01", "2024-06-10", "2025-12-20", "2027-01-01"] {
                let as_of = NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
                let chosen = crate::report::select(&plan, as_of, &crate::report::Filter::default());
                reassigned |= chosen
                    .par_iter()
                    .any(|c| c.agency() != plan.occurrences[c.occurrence()].lead());
                for (lang, fit) in [(Lang::Vi, None), (Lang::En, None), (Lang::Vi, Some(100))] {
                    let draw = |pieces| {
                        let mut out = Vec::new();
                        let n = chosen.len();
                        table_drawn(&plan, &chosen, n, as_of, lang, &mut out, fit, pieces).unwrap();
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

    /// No row has a cell wider than `Cells::bound`, which a block's
    /// widths stop at; and but for the periods (from the first year to
    /// the last), the bound is a cell some row has, so that blocks do stop.
    #[test]
    fn the_bound_is_the_widest_cell() {
        for (dir, plan) in crate::validate::shipped_plans() {
            for as_of in ["2022-03-01", "2024-06-10", "2025-12-20", "2027-01-01"] {
                let as_of = NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
                for classes in [
                    None,
                    Some(&[Class::Overdue][..]),
                    Some(&[Class::OnTime][..]),
                ] {
                    let filter = crate::report::Filter {
                        classes,
                        ..Default::default()
                    };
                    let chosen = crate::report::select(&plan, as_of, &filter);
                    for (lang, wraps) in [(Lang::Vi, WRAPS[0]), (Lang::En, WRAPS[5])] {
                        let cells = Cells::new(&plan, &chosen, lang, wraps);
                        let mut widths = [0; 7];
                        for c in chosen.iter() {
                            for (w, cell) in widths.iter_mut().zip(cells.cells(&plan, c)) {
                                *w = (*w).max(cell.width());
                            }
                        }
                        let at = format!("{dir} as of {as_of}, {classes:?}, {lang:?}");
                        for (k, (w, bound)) in widths.iter().zip(cells.bound).enumerate() {
                            if k == 1 {
                                assert!(*w <= bound, "{at}: column {k}");
                            } else {
                                assert_eq!(*w, bound, "{at}: column {k}");
                            }
                        }
                    }
                }
            }
        }
    }

    /// A last update drawn as a date before a rest is drawn as its whole
    /// text, wrapped, would be: every status and percentage, in both
    /// languages, and dates whose year has not four digits.
    #[test]
    fn last_updates_draw_as_their_whole_text() {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let dates = [
            ymd(2021, 1, 1),
            ymd(2025, 12, 31),
            ymd(999, 3, 4),
            ymd(12345, 6, 7),
            ymd(-5, 1, 1),
        ];
        let mut keys: Vec<UpdateKey> = vec![None];
        for &d in &dates {
            for status in Status::ALL {
                for percent in std::iter::once(None).chain((0..=100).map(Some)) {
                    keys.push(Some((d, status, percent)));
                }
            }
        }
        let header = [Measured::new("h".into())];
        let draw = |cell: Cell<'_>| {
            let mut t = Table::new(&header, &[]);
            t.push_row(&[cell]);
            let mut out = Vec::new();
            t.draw(&mut out);
            String::from_utf8(out).unwrap()
        };
        for lang in [Lang::Vi, Lang::En] {
            let days = dates.map(day);
            let odd: FastSet<UpdateKey> = keys.iter().copied().filter(|&k| !regular(k)).collect();
            assert_eq!(odd.len(), 2 * 4 * 102);
            let span = (*days.iter().min().unwrap(), *days.iter().max().unwrap());
            // Days from the first to the last (a wide span: those used).
            let by_map = LastUpdates::new(Some(span), keys.len(), || days.to_vec(), odd, lang);
            let near = (days[0], days[1]);
            let by_table =
                LastUpdates::new(Some(near), keys.len(), Vec::new, FastSet::default(), lang);
            for &key in &keys {
                let whole = Measured::new(crate::text::wrap(
                    &super::super::last_update_words(key, lang),
                    20,
                ));
                assert_eq!(draw(by_map.cell(key)), draw(whole.cell()), "{key:?}");
                if key.is_none_or(|(d, _, _)| d.year() >= 2021) && regular(key) {
                    assert_eq!(draw(by_table.cell(key)), draw(whole.cell()), "{key:?}");
                }
            }
        }
    }

    #[test]
    fn iso_dates_are_chronos() {
        let first = NaiveDate::from_ymd_opt(0, 1, 1).unwrap();
        let mut out = String::from("left over");
        for k in 0..40_000u64 {
            let d = first + chrono::Days::new(97 * k);
            iso(&mut out, Some(d));
            assert_eq!(out, d.to_string());
        }
        let far = NaiveDate::from_ymd_opt(12345, 6, 7).unwrap();
        iso(&mut out, Some(far));
        assert_eq!(out, far.to_string());
        iso(&mut out, None);
        assert_eq!(out, "");
    }
}
