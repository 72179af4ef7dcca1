//! Stage 4: format-neutral report rows (spec §7). Pure: takes classified
//! occurrences, returns counts; renderers decide how they look.

use crate::model::{AgencyId, IndicatorKind, Label, OccId, PackedLabel, Plan, Status, TaskId};
use crate::status::{Class, Classified, Evaluation, classify_in};
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;

/// Occurrence counts by class, and the rates derived from them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub assigned: u64,
    pub done_on_time: u64,
    pub done_late: u64,
    pub in_progress: u64,
    pub overdue: u64,
    pub cancelled: u64,
    /// Of `assigned`, those with no update as of the date (§7).
    pub not_reported: u64,
}

impl Counts {
    pub fn add(&mut self, eval: &Evaluation) {
        self.assigned += 1;
        self.not_reported += u64::from(eval.not_reported());
        if let Some(n) = self.get_mut(eval.class) {
            *n += 1;
        }
    }

    pub fn get(&self, class: Class) -> u64 {
        match class {
            Class::OnTime => self.done_on_time,
            Class::Late => self.done_late,
            Class::InProgress => self.in_progress,
            Class::Overdue => self.overdue,
            Class::Cancelled => self.cancelled,
            Class::Ongoing | Class::OnRequest => 0,
        }
    }

    fn get_mut(&mut self, class: Class) -> Option<&mut u64> {
        match class {
            Class::OnTime => Some(&mut self.done_on_time),
            Class::Late => Some(&mut self.done_late),
            Class::InProgress => Some(&mut self.in_progress),
            Class::Overdue => Some(&mut self.overdue),
            Class::Cancelled => Some(&mut self.cancelled),
            Class::Ongoing | Class::OnRequest => None,
        }
    }

    pub fn merge(&mut self, other: &Counts) {
        self.assigned += other.assigned;
        self.not_reported += other.not_reported;
        for c in Class::ALL {
            if let Some(n) = self.get_mut(c) {
                *n += other.get(c);
            }
        }
    }

    /// The counts in column order: assigned, the five classes, due.
    pub fn values(&self) -> [u64; 7] {
        [
            self.assigned,
            self.done_on_time,
            self.done_late,
            self.in_progress,
            self.overdue,
            self.cancelled,
            self.due(),
        ]
    }

    /// Occurrences that have fallen due: done (either way) or overdue.
    pub fn due(&self) -> u64 {
        self.done_on_time + self.done_late + self.overdue
    }

    pub fn on_time_rate(&self) -> Option<f64> {
        let due = self.due();
        (due > 0).then(|| self.done_on_time as f64 / due as f64)
    }

    pub fn completion_rate(&self) -> Option<f64> {
        let due = self.due();
        (due > 0).then(|| (self.done_on_time + self.done_late) as f64 / due as f64)
    }
}

/// One row of the compliance table: a year and a lead agency.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub year: i32,
    pub agency: AgencyId,
    pub counts: Counts,
}

/// Ongoing occurrences of a year and agency (§7 `ongoing`, §12).
#[derive(Clone, Debug, PartialEq)]
pub struct OngoingRow {
    pub year: i32,
    pub agency: AgencyId,
    pub assigned: u64,
    /// Those with at least one update as of the date.
    pub reported: u64,
}

/// The compliance report of §7.
#[derive(Clone, Debug, PartialEq)]
pub struct Compliance {
    pub as_of: NaiveDate,
    /// The years shown, ascending; each has a totals entry.
    pub years: Vec<i32>,
    /// Sorted by year, then agencies.toml order.
    pub rows: Vec<Row>,
    /// One per year of `years`.
    pub totals: Vec<(i32, Counts)>,
    /// Per agency over all years shown (tổng hợp giai đoạn), when asked.
    pub summary: Option<Vec<(AgencyId, Counts)>>,
    /// Ongoing occurrences, in the order of `rows`.
    pub ongoing: Vec<OngoingRow>,
}

impl Compliance {
    pub fn summary_total(&self) -> Counts {
        let mut total = Counts::default();
        for (_, c) in self.summary.iter().flatten() {
            total.merge(c);
        }
        total
    }

    /// Whether nothing at all has been reported as of the date, in what the
    /// report shows: its tables then read as "not reported", not "failed".
    pub fn nothing_reported(&self) -> bool {
        let assigned: u64 = self.totals.iter().map(|(_, c)| c.assigned).sum();
        let silent: u64 = self.totals.iter().map(|(_, c)| c.not_reported).sum();
        let ongoing_reported: u64 = self.ongoing.iter().map(|o| o.reported).sum();
        assigned + self.ongoing.iter().map(|o| o.assigned).sum::<u64>() > 0
            && assigned == silent
            && ongoing_reported == 0
    }
}

/// Which years a report shows when `--year` is not given (§10): the as-of
/// year inside the period, every year once it has ended, the first year
/// before it has begun.
pub fn default_years(plan: &Plan, as_of: NaiveDate) -> Vec<i32> {
    let y = as_of.year();
    if y > plan.last_year {
        all_years(plan)
    } else if y < plan.first_year {
        vec![plan.first_year]
    } else {
        vec![y]
    }
}

/// Every plan year, and any year outside the period that an occurrence
/// belongs to.
pub fn all_years(plan: &Plan) -> Vec<i32> {
    let mut years: Vec<i32> = plan.years().collect();
    for o in &plan.occurrences {
        if !plan.years().contains(&o.year()) {
            years.push(o.year());
        }
    }
    years.sort_unstable();
    years.dedup();
    years
}

/// Counts classified occurrences per year and agency. `agencies` filters the
/// rows (and so the totals); `summary` adds the per-agency period summary.
/// Ongoing occurrences are counted apart (§12).
pub fn compliance(
    plan: &Plan,
    classified: &[Classified],
    as_of: NaiveDate,
    years: &[i32],
    agencies: Option<&[AgencyId]>,
    summary: bool,
) -> Compliance {
    let scope = Scope::new(plan, years, agencies);
    let mut tally = Tally::new(&scope);
    for c in classified {
        tally.add(&scope, c);
    }
    rows(tally, &scope, as_of, summary)
}

/// `compliance` classifying as it counts, on all cores, without keeping
/// the classified occurrences: for reports that show only the counts.
pub fn compliance_of(
    plan: &Plan,
    as_of: NaiveDate,
    years: &[i32],
    agencies: Option<&[AgencyId]>,
    summary: bool,
) -> Compliance {
    let scope = Scope::new(plan, years, agencies);
    const PIECE: usize = 16_384;
    let n = plan.occurrences.len();
    let count = |mut t: Tally, range: std::ops::Range<usize>| {
        for c in classify_in(plan, range, as_of, |_| true) {
            t.add(&scope, &c);
        }
        t
    };
    let tally = if n < 20_000 {
        count(Tally::new(&scope), 0..n)
    } else {
        (0..n.div_ceil(PIECE))
            .into_par_iter()
            .map(|k| k * PIECE..n.min((k + 1) * PIECE))
            .fold(|| Tally::new(&scope), count)
            .reduce(|| Tally::new(&scope), Tally::merge)
    };
    rows(tally, &scope, as_of, summary)
}

/// What a compliance report counts: the years shown and the agencies kept.
struct Scope<'a> {
    plan: &'a Plan,
    years: &'a [i32],
    contiguous: bool,
    agencies: Option<&'a [AgencyId]>,
}

impl<'a> Scope<'a> {
    fn new(plan: &'a Plan, years: &'a [i32], agencies: Option<&'a [AgencyId]>) -> Scope<'a> {
        Scope {
            plan,
            years,
            contiguous: years.windows(2).all(|w| w[1] == w[0] + 1),
            agencies,
        }
    }

    /// The position of `year` among the years shown.
    fn slot(&self, year: i32) -> Option<usize> {
        if self.contiguous {
            let first = self.years.first().copied().unwrap_or(0);
            usize::try_from(year - first)
                .ok()
                .filter(|&i| i < self.years.len())
        } else {
            self.years.iter().position(|&y| y == year)
        }
    }
}

/// Counts per year shown and agency (`year * agencies + agency`).
struct Tally {
    grid: Vec<Counts>,
    /// Ongoing occurrences: (assigned, reported).
    ongoing: Vec<(u64, u64)>,
}

impl Tally {
    fn new(scope: &Scope) -> Tally {
        let cells = scope.years.len() * scope.plan.agencies.len();
        Tally {
            grid: vec![Counts::default(); cells],
            ongoing: vec![(0, 0); cells],
        }
    }

    fn add(&mut self, scope: &Scope, c: &Classified) {
        let year = scope.plan.occurrences[c.occurrence()].year();
        let Some(i) = scope.slot(year) else { return };
        if !scope.agencies.is_none_or(|keep| keep.contains(&c.agency())) {
            return;
        }
        let cell = i * scope.plan.agencies.len() + c.agency();
        if c.eval.class == Class::OnRequest {
            // Not asked for: nothing owed, nothing to count.
            return;
        }
        if c.eval.class == Class::Ongoing {
            let cell = &mut self.ongoing[cell];
            cell.0 += 1;
            cell.1 += u64::from(!c.eval.not_reported());
        } else {
            self.grid[cell].add(&c.eval);
        }
    }

    fn merge(mut self, other: Tally) -> Tally {
        for (a, b) in self.grid.iter_mut().zip(&other.grid) {
            a.merge(b);
        }
        for (a, b) in self.ongoing.iter_mut().zip(&other.ongoing) {
            a.0 += b.0;
            a.1 += b.1;
        }
        self
    }
}

/// The report's rows, totals and summary from the counts.
fn rows(tally: Tally, scope: &Scope, as_of: NaiveDate, summary: bool) -> Compliance {
    let years = scope.years;
    let n = scope.plan.agencies.len();
    let mut rows = Vec::new();
    let mut ongoing_rows = Vec::new();
    let mut totals = Vec::with_capacity(years.len());
    let mut per_agency = vec![Counts::default(); n];
    for (i, &year) in years.iter().enumerate() {
        let mut total = Counts::default();
        for (agency, counts) in tally.grid[i * n..(i + 1) * n].iter().enumerate() {
            if counts.assigned > 0 {
                rows.push(Row {
                    year,
                    agency,
                    counts: *counts,
                });
                total.merge(counts);
                per_agency[agency].merge(counts);
            }
        }
        for (agency, &(assigned, reported)) in tally.ongoing[i * n..(i + 1) * n].iter().enumerate()
        {
            if assigned > 0 {
                ongoing_rows.push(OngoingRow {
                    year,
                    agency,
                    assigned,
                    reported,
                });
            }
        }
        totals.push((year, total));
    }
    let summary = summary.then(|| {
        per_agency
            .into_iter()
            .enumerate()
            .filter(|(_, c)| c.assigned > 0)
            .collect()
    });
    Compliance {
        as_of,
        years: years.to_vec(),
        rows,
        totals,
        summary,
        ongoing: ongoing_rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_follow_section_7() {
        let c = Counts {
            assigned: 5,
            done_on_time: 2,
            done_late: 1,
            in_progress: 1,
            overdue: 1,
            cancelled: 0,
            not_reported: 0,
        };
        assert_eq!(c.due(), 4);
        assert_eq!(c.on_time_rate(), Some(0.5));
        assert_eq!(c.completion_rate(), Some(0.75));
        let none_due = Counts {
            assigned: 2,
            in_progress: 1,
            cancelled: 1,
            ..Counts::default()
        };
        assert_eq!(none_due.on_time_rate(), None);
        assert_eq!(none_due.completion_rate(), None);
    }
}

/// Which occurrences `tasks` lists.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// The agencies responsible (after §9); a group stands for its members.
    pub agencies: Option<Vec<AgencyId>>,
    pub years: Option<Vec<i32>>,
    pub group: Option<usize>,
    /// The classes wanted (`tasks --status`).
    pub classes: Option<&'static [Class]>,
    /// Already folded with `text::fold`.
    pub search: Option<String>,
    /// Only occurrences done (on time or late) with no evidence given
    /// (`evidence_missing`).
    pub without_evidence: bool,
}

/// The classified occurrences that pass the filter, in plan order.
pub fn select(plan: &Plan, as_of: NaiveDate, f: &Filter) -> Chosen {
    select_by(plan, as_of, f, |c| {
        f.agencies.as_ref().is_none_or(|a| a.contains(&c.agency()))
    })
}

/// The occurrences the filter would list but for its agencies, assigned
/// to one of them and attributed (§9) to another: the agencies that took
/// them over, each with how many, in the order of the plan's agencies.
/// Empty without `agencies`.
pub fn taken_over(plan: &Plan, as_of: NaiveDate, f: &Filter) -> Vec<(AgencyId, usize)> {
    let Some(mine) = &f.agencies else {
        return Vec::new();
    };
    let chosen = select_by(plan, as_of, f, |c| {
        mine.contains(&plan.occurrences[c.occurrence()].lead()) && !mine.contains(&c.agency())
    });
    let mut counts = vec![0usize; plan.agencies.len()];
    for c in chosen.iter() {
        counts[c.agency()] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .filter(|&(_, n)| n > 0)
        .collect()
}

/// The classified occurrences that pass the filter but for its agencies,
/// and `keep`, in plan order.
fn select_by(
    plan: &Plan,
    as_of: NaiveDate,
    f: &Filter,
    keep: impl Fn(&Classified) -> bool + Sync,
) -> Chosen {
    // Fold each task's text once, not once per occurrence.
    let matches: Option<Vec<bool>> = f.search.as_ref().map(|needle| {
        plan.tasks
            .par_iter()
            .map(|t| {
                [
                    Some(&t.id),
                    Some(&t.title),
                    t.title_en.as_ref(),
                    t.note.as_ref(),
                    t.output.as_ref(),
                ]
                .into_iter()
                .flatten()
                .any(|s| crate::text::contains_folded(s, needle))
            })
            .collect()
    });
    let wanted = |o: OccId| {
        let occ = &plan.occurrences[o];
        let task = &plan.tasks[occ.task()];
        f.classes.is_none_or(|ks| {
            let on_request = task.due.on_request();
            ks.iter()
                .any(|&k| may_be(k, occ.deadline, on_request, as_of))
        }) && f.years.as_ref().is_none_or(|ys| ys.contains(&occ.year()))
            && f.group.is_none_or(|g| g == task.group)
            && matches.as_ref().is_none_or(|m| m[occ.task()])
    };
    // Classified while chosen, on all cores, a piece of the occurrences
    // at a time and in their order: only the chosen ones are kept.
    const PIECE: usize = 16_384;
    let n = plan.occurrences.len();
    let parts: Vec<Vec<Classified>> = (0..n.div_ceil(PIECE))
        .into_par_iter()
        .map(|k| {
            // Room for the whole piece at once: grown as it fills, a
            // piece is copied a dozen times over, into fresh memory.
            let piece = k * PIECE..n.min((k + 1) * PIECE);
            let mut chosen = Vec::with_capacity(piece.len());
            chosen.extend(
                classify_in(plan, piece, as_of, wanted)
                    .filter(|c| keep(c) && f.classes.is_none_or(|ks| ks.contains(&c.eval.class)))
                    .filter(|c| !f.without_evidence || evidence_missing(plan, c, as_of)),
            );
            chosen
        })
        .collect();
    Chosen {
        parts: parts.into_iter().filter(|p| !p.is_empty()).collect(),
    }
}

/// Whether `c` is done (on time or late) and none of the updates that
/// make it so — the final run of `done` updates as of `as_of`, the first
/// of which gives the completion date (§6) — names its evidence. Evidence
/// given later, in a further `done` update, counts: it does not move the
/// completion date.
pub fn evidence_missing(plan: &Plan, c: &Classified, as_of: NaiveDate) -> bool {
    if !matches!(c.eval.class, Class::OnTime | Class::Late) {
        return false;
    }
    let history = plan.history(c.occurrence());
    !history
        .iter()
        .rev()
        .map(|&u| (u, &plan.updates[u as usize]))
        .skip_while(|(_, u)| u.date > as_of)
        .take_while(|(_, u)| u.status == Status::Done)
        .any(|(u, _)| {
            plan.texts
                .get(u)
                .evidence()
                .is_some_and(|e| !e.trim().is_empty())
        })
}

/// Whether an occurrence whose original deadline is `d0` can be of `class`
/// as of `as_of`, known without reading its updates: a listing of one
/// class classifies only the occurrences that can be of it. An extension
/// only moves a deadline later (§5; an error otherwise, so a plan that
/// breaks it is not listed), so the deadline in force is never before
/// `d0`: an occurrence is overdue only if `d0` has passed, and ongoing only
/// if it has no deadline. One of a task done `on_request` has no `d0` and,
/// once asked, any class.
fn may_be(class: Class, d0: Option<NaiveDate>, on_request: bool, as_of: NaiveDate) -> bool {
    match (class, d0) {
        (Class::Ongoing, d0) => d0.is_none() && !on_request,
        (Class::OnRequest, d0) => d0.is_none() && on_request,
        (_, None) => on_request,
        (Class::Overdue, Some(d0)) => d0 < as_of,
        (Class::OnTime | Class::Late | Class::InProgress | Class::Cancelled, Some(_)) => true,
    }
}

/// What `tasks` lists, in occurrence order, kept in the pieces it was
/// found in rather than copied into one list: at national size the copy
/// was a million classified occurrences, 36 MB of fresh memory.
#[derive(Debug, Default)]
pub struct Chosen {
    /// Never an empty one.
    parts: Vec<Vec<Classified>>,
}

impl Chosen {
    pub fn len(&self) -> usize {
        self.parts.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Classified> {
        self.parts.iter().flatten()
    }

    pub fn par_iter(&self) -> impl ParallelIterator<Item = &Classified> {
        self.parts.par_iter().flat_map_iter(|p| p.iter())
    }

    /// The occurrences in runs of at most `n`, on all cores.
    pub fn par_runs(&self, n: usize) -> impl ParallelIterator<Item = &[Classified]> {
        self.parts
            .par_iter()
            .flat_map_iter(move |p| p.chunks(n.max(1)))
    }

    /// Keeps the first `n`.
    pub fn truncate(&mut self, n: usize) {
        let mut left = n;
        self.parts.retain_mut(|p| {
            p.truncate(left);
            left -= p.len();
            !p.is_empty()
        });
    }

    /// Runs of `n` in order (the last may be shorter), each as the slices
    /// of the pieces it spans.
    pub fn blocks(&self, n: usize) -> Vec<Vec<&[Classified]>> {
        let mut blocks: Vec<Vec<&[Classified]>> = Vec::new();
        let mut room = 0;
        for part in &self.parts {
            let mut rest = part.as_slice();
            while !rest.is_empty() {
                if room == 0 {
                    blocks.push(Vec::new());
                    room = n.max(1);
                }
                let (now, after) = rest.split_at(room.min(rest.len()));
                if let Some(block) = blocks.last_mut() {
                    block.push(now);
                }
                room -= now.len();
                rest = after;
            }
        }
        blocks
    }
}

/// The state of an indicator in a year (§8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndicatorState {
    Met,
    NotMet,
    NoData,
    NoTarget,
}

impl IndicatorState {
    pub fn key(self) -> &'static str {
        match self {
            IndicatorState::Met => "met",
            IndicatorState::NotMet => "not_met",
            IndicatorState::NoData => "no_data",
            IndicatorState::NoTarget => "no_target",
        }
    }
}

/// §8: no target → `no_target`; else no value → `no_data`; else compare.
pub fn indicator_state(
    kind: IndicatorKind,
    target: Option<f64>,
    value: Option<f64>,
) -> IndicatorState {
    match (target, value) {
        (None, _) => IndicatorState::NoTarget,
        (Some(_), None) => IndicatorState::NoData,
        (Some(t), Some(v)) => {
            let met = match kind {
                IndicatorKind::AtLeast => v >= t,
                IndicatorKind::AtMost => v <= t,
            };
            if met {
                IndicatorState::Met
            } else {
                IndicatorState::NotMet
            }
        }
    }
}

/// One row of the indicators report: an indicator in a year.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorRow {
    pub year: i32,
    pub indicator: usize,
    pub target: Option<f64>,
    pub value: Option<f64>,
    /// The measurement that gave the value.
    pub measure: Option<usize>,
    pub state: IndicatorState,
}

/// One row per plan year (of `years`) and indicator, as of `as_of`: the
/// value of the last measurement dated on or before it (same-date ties in
/// load order). Rows by year, then indicators.toml order.
pub fn indicator_rows(
    plan: &Plan,
    as_of: NaiveDate,
    years: &[i32],
    agency: Option<AgencyId>,
) -> Vec<IndicatorRow> {
    let mut rows = Vec::new();
    for &year in years {
        if !plan.years().contains(&year) {
            continue;
        }
        for (i, ind) in plan.indicators.iter().enumerate() {
            if agency.is_some_and(|a| a != ind.lead) {
                continue;
            }
            let target = ind.targets[(year - plan.first_year) as usize];
            let measure = ind
                .measures
                .iter()
                .rev()
                .copied()
                .find(|&m| plan.measures[m].year == year && plan.measures[m].date <= as_of);
            let value = measure.map(|m| plan.measures[m].value);
            rows.push(IndicatorRow {
                year,
                indicator: i,
                target,
                value,
                measure,
                state: indicator_state(ind.kind, target, value),
            });
        }
    }
    rows
}

#[cfg(test)]
mod indicator_tests {
    use super::*;
    use IndicatorKind::{AtLeast, AtMost};
    use IndicatorState::*;

    #[test]
    fn states_of_section_8() {
        let cases = [
            (AtLeast, Some(90.0), Some(90.0), Met),
            (AtLeast, Some(90.0), Some(89.9), NotMet),
            (AtLeast, Some(90.0), None, NoData),
            (AtLeast, None, Some(95.0), NoTarget),
            (AtLeast, None, None, NoTarget),
            (AtMost, Some(5.0), Some(5.0), Met),
            (AtMost, Some(5.0), Some(5.1), NotMet),
            (AtMost, Some(5.0), Some(0.0), Met),
        ];
        for (kind, target, value, state) in cases {
            assert_eq!(
                indicator_state(kind, target, value),
                state,
                "{kind:?} {target:?} {value:?}"
            );
        }
    }
}

/// One line of `due` (§9, version 2): an open occurrence under the agency
/// responsible for it on the as-of date. Kept small (28 bytes): at
/// national size there are a million.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DueItem {
    /// Who must act now: successors followed up to the as-of date.
    now: u32,
    occurrence: u32,
    /// The occurrence's task, period and lead (the agency it was
    /// assigned to), kept here so that drawing a million rows does not
    /// look up a million occurrences.
    task: u32,
    lead: u32,
    label: PackedLabel,
    /// Days from the as-of date to the deadline in force (negative when
    /// overdue); unused for an ongoing task not yet reported this year.
    days: i32,
    /// `Ongoing` (no deadline) for an ongoing task not yet reported this
    /// year.
    pub class: Class,
    /// No update dated on or before the as-of date: an "overdue" that may
    /// only mean nobody has reported yet (§7), which the list says.
    pub unreported: bool,
    /// The deadline in force was extended.
    pub extended: bool,
    /// Listed under another agency than the one it was assigned to (its
    /// successor).
    pub reassigned: bool,
}

impl DueItem {
    pub fn now(&self) -> AgencyId {
        self.now as AgencyId
    }

    pub fn occurrence(&self) -> OccId {
        self.occurrence as OccId
    }

    pub fn task(&self) -> TaskId {
        self.task as TaskId
    }

    /// The agency the occurrence was assigned to (a group's member for a
    /// group task).
    pub fn lead(&self) -> AgencyId {
        self.lead as AgencyId
    }

    pub fn label(&self) -> Label {
        Label::from(self.label)
    }

    pub fn packed_label(&self) -> PackedLabel {
        self.label
    }

    /// Days to the deadline in force; `None` without one.
    pub fn days(&self) -> Option<i32> {
        (!self.ongoing()).then_some(self.days)
    }

    /// An ongoing task's occurrence: no deadline.
    fn ongoing(&self) -> bool {
        self.class == Class::Ongoing
    }

    /// The deadline in force, `as_of` being the date the list is as of.
    pub fn deadline(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        self.days()
            .and_then(|d| as_of.checked_add_signed(chrono::TimeDelta::days(i64::from(d))))
    }

    /// The list's order: by agency responsible now, those with a deadline
    /// first, by deadline, by occurrence.
    fn key(&self) -> (u32, bool, i32, u32) {
        (self.now, self.ongoing(), self.days, self.occurrence)
    }
}

/// What `due` lists: overdue occurrences, those falling due within
/// `within` days, and ongoing tasks of the as-of year with no report yet
/// (once each, without a deadline); grouped by the agency responsible now
/// (agencies.toml order), by deadline.
pub fn due_items(
    plan: &Plan,
    classified: &[Classified],
    as_of: NaiveDate,
    within: u32,
    only: Option<&[AgencyId]>,
) -> Vec<DueItem> {
    let pick = Due::new(plan, as_of, within, only);
    let mut items: Vec<DueItem> = classified.iter().filter_map(|c| pick.item(c)).collect();
    sort_due(&mut items);
    items
}

/// What `due` lists, found on all cores a stretch of occurrences at a
/// time and kept in those stretches: each stretch's items are placed by
/// the agency responsible now, and an agency's list is gathered from the
/// stretches and put in order only when it is drawn. At national size the
/// million items are never copied into one list (fresh memory costs the
/// system zeroing it, a third of `due`'s time when they were).
#[derive(Debug, Default)]
pub struct DueFound {
    stretches: Vec<Stretch>,
    /// How many items each agency responsible now has.
    counts: Vec<usize>,
    /// By task: whether an item names it.
    tasks: Vec<std::sync::atomic::AtomicBool>,
    /// Once `truncate` has cut the list: each agency's counts in the
    /// whole list, which its heading says (empty while nothing is cut).
    whole: Vec<DueCounts>,
}

/// How many of a `due` list's items are of each kind: what a lead reads
/// first, for the whole list and for each agency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DueCounts {
    pub overdue: usize,
    /// Of the overdue, those nobody has reported on (§7).
    pub overdue_unreported: usize,
    /// Falling due within the horizon.
    pub soon: usize,
    /// Ongoing tasks not yet reported this year.
    pub ongoing: usize,
}

impl DueCounts {
    pub fn of<'i>(items: impl IntoIterator<Item = &'i DueItem>) -> DueCounts {
        let mut counts = DueCounts::default();
        for item in items {
            counts.note(item);
        }
        counts
    }

    fn note(&mut self, item: &DueItem) {
        match item.class {
            Class::Overdue => {
                self.overdue += 1;
                self.overdue_unreported += usize::from(item.unreported);
            }
            Class::Ongoing => self.ongoing += 1,
            _ => self.soon += 1,
        }
    }

    fn add(&mut self, other: &DueCounts) {
        self.overdue += other.overdue;
        self.overdue_unreported += other.overdue_unreported;
        self.soon += other.soon;
        self.ongoing += other.ongoing;
    }

    /// Every item.
    pub fn total(&self) -> usize {
        self.overdue + self.soon + self.ongoing
    }
}

/// What a list's items name, so that its cells can be made before it is
/// drawn: noted while each stretch's items are at hand, not in another
/// pass over a million items.
#[derive(Debug, Default)]
pub struct DueUses {
    /// The first and last year of the items' periods.
    pub years: Option<(i32, i32)>,
    /// The first and last days to a deadline.
    pub days: Option<(i32, i32)>,
    /// The tasks listed under another agency than their lead, with the
    /// lead (a successor's, or a group member's).
    pub reassigned: rustc_hash::FxHashSet<(TaskId, AgencyId)>,
}

/// The first and last of two spans' values (a listing's years or days,
/// gathered on all cores).
pub fn span(a: Option<(i32, i32)>, b: Option<(i32, i32)>) -> Option<(i32, i32)> {
    match (a, b) {
        (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
        (a, b) => a.or(b),
    }
}

impl DueUses {
    fn note(&mut self, item: &DueItem) {
        let year = item.label.year();
        self.years = span(self.years, Some((year, year)));
        if let Some(d) = item.days() {
            self.days = span(self.days, Some((d, d)));
        }
        if item.reassigned {
            self.reassigned.insert((item.task(), item.lead()));
        }
    }

    fn merge(&mut self, other: &DueUses) {
        self.years = span(self.years, other.years);
        self.days = span(self.days, other.days);
        self.reassigned.extend(other.reassigned.iter().copied());
    }
}

/// An item as a stretch keeps it: 16 bytes where a `DueItem` takes 28,
/// so that a national list's million items take 12 MB less of fresh
/// memory. The agency responsible now is the one whose part of the
/// stretch holds it; the agency it was assigned to is the same but for
/// the items listed under another, whose leads the stretch keeps apart.
#[derive(Clone, Copy, Debug, Default)]
struct Kept {
    occurrence: u32,
    task: u32,
    days: i32,
    /// The packed label (a four-digit year, §2, packs under 2^22) in the
    /// low 24 bits; above it the class (its place in `Kept::CLASSES`,
    /// three bits) and the flags `UNREPORTED`, `EXTENDED` and
    /// `REASSIGNED`.
    bits: u32,
}

impl Kept {
    const LABEL: u32 = (1 << 24) - 1;
    const CLASSES: [Class; 7] = [
        Class::OnTime,
        Class::Late,
        Class::InProgress,
        Class::Overdue,
        Class::Cancelled,
        Class::Ongoing,
        Class::OnRequest,
    ];
    const UNREPORTED: u32 = 1 << 27;
    const EXTENDED: u32 = 1 << 28;
    const REASSIGNED: u32 = 1 << 29;

    fn of(item: &DueItem) -> Kept {
        let label = item.label.bits();
        debug_assert!(label <= Kept::LABEL, "a label beyond four-digit years");
        // `CLASSES` is in declaration order (a test checks it).
        let class = item.class as u32;
        let flag = |on: bool, bit: u32| if on { bit } else { 0 };
        Kept {
            occurrence: item.occurrence,
            task: item.task,
            days: item.days,
            bits: (label & Kept::LABEL)
                | (class << 24)
                | flag(item.unreported, Kept::UNREPORTED)
                | flag(item.extended, Kept::EXTENDED)
                | flag(item.reassigned, Kept::REASSIGNED),
        }
    }

    fn class(self) -> Class {
        Kept::CLASSES
            .get(((self.bits >> 24) & 7) as usize)
            .copied()
            .unwrap_or(Class::Overdue)
    }

    fn ongoing(self) -> bool {
        self.class() == Class::Ongoing
    }

    fn reassigned(self) -> bool {
        self.bits & Kept::REASSIGNED != 0
    }

    /// The item, listed under `now` and assigned to `lead`.
    fn item(self, now: u32, lead: u32) -> DueItem {
        DueItem {
            now,
            occurrence: self.occurrence,
            task: self.task,
            lead,
            label: PackedLabel::from_bits(self.bits & Kept::LABEL),
            days: self.days,
            class: self.class(),
            unreported: self.bits & Kept::UNREPORTED != 0,
            extended: self.bits & Kept::EXTENDED != 0,
            reassigned: self.reassigned(),
        }
    }
}

#[derive(Debug, Default)]
struct Stretch {
    items: Vec<Kept>,
    counts: DueCounts,
    /// Agency `a`'s items are `items[starts[a]..starts[a + 1]]`; empty
    /// when the stretch has none.
    starts: Vec<u32>,
    /// For each item listed under another agency than the one it was
    /// assigned to: its place in `items` and that agency, in place order.
    leads: Vec<(u32, u32)>,
    uses: DueUses,
}

/// Agency `now`'s items in one stretch, in occurrence order.
#[derive(Clone, Copy, Debug)]
struct Run<'s> {
    now: u32,
    kept: &'s [Kept],
    /// The leads of its reassigned items, in order.
    leads: &'s [(u32, u32)],
}

impl<'s> Run<'s> {
    fn len(self) -> usize {
        self.kept.len()
    }

    fn items(self) -> impl Iterator<Item = DueItem> + Clone + 's {
        let mut leads = self.leads.iter();
        self.kept.iter().map(move |k| {
            let lead = if k.reassigned() {
                leads.next().map_or(self.now, |&(_, lead)| lead)
            } else {
                self.now
            };
            k.item(self.now, lead)
        })
    }
}

impl Stretch {
    /// `items` placed by agency responsible now, out of `agencies`, their
    /// tasks marked in `tasks`.
    fn new(items: &[DueItem], agencies: usize, tasks: &[std::sync::atomic::AtomicBool]) -> Stretch {
        if items.is_empty() {
            return Stretch::default();
        }
        let mut starts = vec![0u32; agencies + 1];
        let mut uses = DueUses::default();
        let mut counts = DueCounts::default();
        for item in items {
            counts.note(item);
            if let Some(n) = starts.get_mut(item.now() + 1) {
                *n += 1;
            }
            if let Some(flag) = tasks.get(item.task()) {
                flag.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            uses.note(item);
        }
        for a in 1..starts.len() {
            starts[a] += starts[a - 1];
        }
        let mut placed = vec![Kept::default(); items.len()];
        let mut leads = Vec::new();
        let mut next = starts.clone();
        for item in items {
            if let Some(at) = next.get_mut(item.now()) {
                if let Some(slot) = placed.get_mut(*at as usize) {
                    *slot = Kept::of(item);
                }
                if item.reassigned {
                    leads.push((*at, item.lead));
                }
                *at += 1;
            }
        }
        leads.sort_unstable();
        Stretch {
            items: placed,
            counts,
            starts,
            leads,
            uses,
        }
    }

    fn of(&self, a: AgencyId) -> Run<'_> {
        let (b, e) = match (self.starts.get(a), self.starts.get(a + 1)) {
            (Some(&b), Some(&e)) => (b, e),
            _ => (0, 0),
        };
        let (lb, le) = (
            self.leads.partition_point(|&(at, _)| at < b),
            self.leads.partition_point(|&(at, _)| at < e),
        );
        Run {
            now: crate::model::narrow(a),
            kept: self.items.get(b as usize..e as usize).unwrap_or(&[]),
            leads: self.leads.get(lb..le).unwrap_or(&[]),
        }
    }
}

impl DueFound {
    fn of(
        stretches: Vec<Stretch>,
        agencies: usize,
        tasks: Vec<std::sync::atomic::AtomicBool>,
    ) -> DueFound {
        let mut counts = vec![0; agencies];
        for s in &stretches {
            for (a, c) in counts.iter_mut().enumerate() {
                *c += s.of(a).len();
            }
        }
        DueFound {
            stretches,
            counts,
            tasks,
            whole: Vec::new(),
        }
    }

    /// What the items name.
    pub fn uses(&self) -> DueUses {
        let mut uses = DueUses::default();
        for s in &self.stretches {
            uses.merge(&s.uses);
        }
        uses
    }

    /// By task: whether an item names it.
    pub fn tasks(&self) -> &[std::sync::atomic::AtomicBool] {
        &self.tasks
    }

    pub fn len(&self) -> usize {
        self.counts.iter().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many items of each kind.
    pub fn kinds(&self) -> DueCounts {
        let mut counts = DueCounts::default();
        for s in &self.stretches {
            counts.add(&s.counts);
        }
        counts
    }

    /// The agencies responsible now that have items, in agencies.toml
    /// order, each with how many.
    pub fn agencies(&self) -> impl Iterator<Item = (AgencyId, usize)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .map(|(a, &n)| (a, n))
    }

    /// Every item, in no particular order, on all cores.
    pub fn par_iter(&self) -> impl ParallelIterator<Item = DueItem> + '_ {
        let agencies = self.counts.len();
        self.stretches
            .par_iter()
            .flat_map_iter(move |s| (0..agencies).flat_map(|a| s.of(a).items()))
    }

    /// Agency `a`'s items in the list's order, into `out` (emptied first),
    /// with the working space `work`.
    pub fn gather(&self, a: AgencyId, out: &mut Vec<DueItem>, work: &mut Gather) {
        // Each stretch's run found once, not once per pass over them.
        let runs: Vec<Run<'_>> = self
            .stretches
            .iter()
            .map(|s| s.of(a))
            .filter(|r| r.len() > 0)
            .collect();
        work.order(runs.iter().copied(), out);
    }

    /// Agency `a`'s counts in the whole list, its items being `items`: a
    /// list cut by `--limit` still says how much each agency it shows has
    /// to act on, not how much of it fitted.
    pub fn counts_of(&self, a: AgencyId, items: &[DueItem]) -> DueCounts {
        self.whole
            .get(a)
            .copied()
            .unwrap_or_else(|| DueCounts::of(items))
    }

    /// Keeps the first `n` items of the list (each agency's counts in the
    /// whole list are kept too: `counts_of`).
    pub fn truncate(&mut self, n: usize) {
        if n >= self.len() {
            return;
        }
        let mut whole = vec![DueCounts::default(); self.counts.len()];
        for s in &self.stretches {
            for (a, counts) in whole.iter_mut().enumerate() {
                for item in s.of(a).items() {
                    counts.note(&item);
                }
            }
        }
        let mut kept = Vec::with_capacity(n);
        let (mut one, mut work) = (Vec::new(), Gather::default());
        for (a, _) in self.agencies() {
            if kept.len() >= n {
                break;
            }
            self.gather(a, &mut one, &mut work);
            one.truncate(n - kept.len());
            kept.extend_from_slice(&one);
        }
        let agencies = self.counts.len();
        let tasks = unmarked(self.tasks.len());
        *self = DueFound::of(vec![Stretch::new(&kept, agencies, &tasks)], agencies, tasks);
        self.whole = whole;
    }
}

/// The working space that puts an agency's items in order
/// (`DueFound::gather`), kept from one agency to the next by each core.
#[derive(Debug, Default)]
pub struct Gather {
    counts: Vec<u32>,
}

impl Gather {
    /// The items of `runs` into `items` in the list's order. The runs
    /// hold them in the order of their occurrences (stretch after
    /// stretch, each placed without reordering), so a stable counting by
    /// deadline puts them in order: linear, where sorting a million items
    /// took a tenth of `due`'s time, and read from the runs where they
    /// are, not copied together first. Deadlines spread over far more
    /// days than there are items are sorted instead.
    fn order<'i>(&mut self, runs: impl Iterator<Item = Run<'i>> + Clone, items: &mut Vec<DueItem>) {
        let counts = &mut self.counts;
        items.clear();
        let kept = || runs.clone().flat_map(|r| r.kept);
        let all = || runs.clone().flat_map(Run::items);
        let (low, high, n) = kept().fold((i32::MAX, i32::MIN, 0), |(l, h, n), i| {
            (l.min(i.days), h.max(i.days), n + 1)
        });
        let days = usize::try_from(i64::from(high) - i64::from(low) + 1).unwrap_or(0);
        if days == 0 || days > 4 * n + 4096 {
            items.extend(all());
            items.sort_unstable_by_key(DueItem::key);
            return;
        }
        // Dated items first, then those without a deadline; each by days.
        let bucket = |ongoing: bool, d: i32| {
            usize::from(ongoing) * days + usize::try_from(d.abs_diff(low)).unwrap_or(0)
        };
        counts.clear();
        counts.resize(2 * days + 1, 0);
        for k in kept() {
            if let Some(n) = counts.get_mut(bucket(k.ongoing(), k.days) + 1) {
                *n += 1;
            }
        }
        for b in 1..counts.len() {
            counts[b] += counts[b - 1];
        }
        let Some(first) = all().next() else {
            return;
        };
        items.resize(n, first);
        for item in all() {
            if let Some(at) = counts.get_mut(bucket(item.ongoing(), item.days)) {
                if let Some(slot) = items.get_mut(*at as usize) {
                    *slot = item;
                }
                *at += 1;
            }
        }
        debug_assert!(items.is_sorted_by_key(DueItem::key));
    }
}

/// What `due_items` lists, found while classifying on all cores (no
/// classification per occurrence is kept), and kept as `DueFound`.
pub fn due_found(
    plan: &Plan,
    as_of: NaiveDate,
    within: u32,
    only: Option<&[AgencyId]>,
) -> DueFound {
    let pick = Due::new(plan, as_of, within, only);
    let agencies = plan.agencies.len();
    let tasks = unmarked(plan.tasks.len());
    const STRETCH: usize = 32_768;
    let n = plan.occurrences.len();
    // Each core finds a stretch's items in a list it keeps from one
    // stretch to the next, then places them, exactly sized, by agency.
    // The list has room for a whole stretch from the start: rayon may
    // make it again for each stretch, and one grown item by item is
    // copied a dozen times over.
    let stretches: Vec<Stretch> = (0..n.div_ceil(STRETCH))
        .into_par_iter()
        .map_init(
            || Vec::with_capacity(STRETCH.min(n)),
            |found: &mut Vec<DueItem>, k| {
                found.clear();
                found.extend(
                    classify_in(plan, k * STRETCH..n.min((k + 1) * STRETCH), as_of, |o| {
                        pick.may_list(o)
                    })
                    .filter_map(|c| pick.item(&c)),
                );
                Stretch::new(found, agencies, &tasks)
            },
        )
        .collect();
    DueFound::of(stretches, agencies, tasks)
}

/// Whether no agency has reported anything on or before `as_of` in a plan
/// with occurrences: a `due` list then holds only what nobody has reported
/// yet, which it says, as the report does (`Compliance::nothing_reported`).
pub fn nothing_reported(plan: &Plan, as_of: NaiveDate) -> bool {
    !plan.occurrences.is_empty() && !plan.updates.iter().any(|u| u.date <= as_of)
}

/// `n` tasks, none marked.
fn unmarked(n: usize) -> Vec<std::sync::atomic::AtomicBool> {
    (0..n)
        .map(|_| std::sync::atomic::AtomicBool::new(false))
        .collect()
}

/// Which classified occurrences `due` lists, and as what.
struct Due<'a> {
    plan: &'a Plan,
    as_of: NaiveDate,
    /// `as_of` as a day number (`num_days_from_ce`): an item's days to
    /// its deadline are one subtraction, where the dates' difference is
    /// worked out from their years each time.
    as_of_day: i32,
    horizon: NaiveDate,
    only: Option<&'a [AgencyId]>,
}

impl<'a> Due<'a> {
    fn new(plan: &'a Plan, as_of: NaiveDate, within: u32, only: Option<&'a [AgencyId]>) -> Due<'a> {
        let horizon = as_of
            .checked_add_days(chrono::Days::new(u64::from(within)))
            .unwrap_or(NaiveDate::MAX);
        Due {
            plan,
            as_of,
            as_of_day: as_of.num_days_from_ce(),
            horizon,
            only,
        }
    }

    /// Whether occurrence `o` can be listed at all, known without
    /// classifying it: not when its original deadline lies past the
    /// horizon, since the deadline in force is never earlier (`may_be`).
    fn may_list(&self, o: OccId) -> bool {
        self.plan.occurrences[o]
            .deadline
            .is_none_or(|d0| d0 <= self.horizon)
    }

    fn item(&self, c: &Classified) -> Option<DueItem> {
        let listed = match (c.eval.class, c.eval.deadline) {
            (Class::Overdue, _) => true,
            (Class::InProgress, Some(d)) => d <= self.horizon,
            (Class::Ongoing, _) => {
                c.eval.not_reported()
                    && self.plan.occurrences[c.occurrence()].year() == self.as_of.year()
            }
            _ => false,
        };
        if !listed {
            return None;
        }
        let occ = &self.plan.occurrences[c.occurrence()];
        // §9: the agency responsible on the as-of date, followed from the
        // one the occurrence was assigned to — not from the one answerable
        // at its deadline, which for an item falling due after a
        // reorganisation may not have taken over yet.
        let now = crate::status::attribute_in(self.plan, occ.task(), occ.lead(), self.as_of);
        if !self
            .only
            .is_none_or(|keep| keep.contains(&now) || keep.contains(&c.agency()))
        {
            return None;
        }
        let days = c
            .eval
            .deadline
            .map(|d| d.num_days_from_ce() - self.as_of_day);
        Some(DueItem {
            now: crate::model::narrow(now),
            occurrence: crate::model::narrow(c.occurrence()),
            task: crate::model::narrow(occ.task()),
            lead: crate::model::narrow(occ.lead()),
            label: occ.packed_label,
            days: days.unwrap_or(0),
            class: c.eval.class,
            unreported: c.eval.not_reported(),
            extended: occ.extended_to(c.eval.deadline),
            reassigned: now != occ.lead(),
        })
    }
}

fn sort_due(items: &mut [DueItem]) {
    items.par_sort_unstable_by_key(DueItem::key);
}

#[cfg(test)]
mod chosen_tests {
    use super::*;
    use crate::model::Status;
    use crate::status::Evaluation;

    fn chosen(sizes: &[usize]) -> Chosen {
        let mut next = 0;
        let parts = sizes
            .iter()
            .map(|&n| {
                (0..n)
                    .map(|_| {
                        next += 1;
                        let eval = Evaluation {
                            class: Class::Overdue,
                            status: Status::NotStarted,
                            deadline: None,
                            completed: None,
                            last_update: None,
                            last_date: None,
                            last_percent: None,
                        };
                        Classified::new(next - 1, eval, 0)
                    })
                    .collect()
            })
            .collect();
        Chosen { parts }
    }

    fn order(blocks: &[Vec<&[Classified]>]) -> Vec<Vec<usize>> {
        blocks
            .iter()
            .map(|b| {
                b.iter()
                    .copied()
                    .flatten()
                    .map(|c| c.occurrence())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn blocks_run_across_pieces_in_order() {
        let c = chosen(&[3, 5, 1, 4]);
        assert_eq!(c.len(), 13);
        let blocks = c.blocks(4);
        assert_eq!(
            order(&blocks),
            [
                vec![0, 1, 2, 3],
                vec![4, 5, 6, 7],
                vec![8, 9, 10, 11],
                vec![12]
            ]
        );
        assert_eq!(blocks[2].len(), 2, "a block spanning two pieces");
        let blocks = c.blocks(5);
        assert_eq!(
            order(&blocks),
            [vec![0, 1, 2, 3, 4], vec![5, 6, 7, 8, 9], vec![10, 11, 12]]
        );
        assert_eq!(blocks[1].len(), 3, "a block spanning three pieces");
        assert_eq!(order(&c.blocks(100)), [(0..13).collect::<Vec<_>>()]);
        assert!(chosen(&[]).blocks(4).is_empty());
    }

    #[test]
    fn truncating_keeps_the_first_and_no_empty_piece() {
        for n in [0, 2, 3, 8, 9, 12, 13, 20] {
            let mut c = chosen(&[3, 5, 1, 4]);
            c.truncate(n);
            assert_eq!(c.len(), n.min(13));
            assert!(c.parts.iter().all(|p| !p.is_empty()));
            assert_eq!(c.is_empty(), n == 0);
            let got: Vec<usize> = c.iter().map(Classified::occurrence).collect();
            assert_eq!(got, (0..n.min(13)).collect::<Vec<_>>());
        }
    }
}

#[cfg(test)]
mod due_found_tests {
    use super::*;
    use crate::model::Part;
    use proptest::prelude::*;

    /// What is left out before classifying — occurrences a due list's
    /// horizon has not reached, those a listing of one class cannot hold
    /// (`may_be`) — is what classifying every occurrence would leave out:
    /// on the real plan and the demo (extensions, ongoing tasks, every
    /// class), at dates across their years.
    #[test]
    fn what_is_not_classified_would_not_be_listed() {
        for (dir, plan) in crate::validate::shipped_plans() {
            let n = plan.occurrences.len();
            for as_of in [
                "2021-12-31",
                "2023-03-15",
                "2024-06-10",
                "2025-06-01",
                "2027-01-01",
            ] {
                let as_of = NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
                let all: Vec<Classified> = (0..n)
                    .map(|o| crate::status::classify(&plan, o, as_of))
                    .collect();
                for arg in <crate::cli::ClassArg as clap::ValueEnum>::value_variants() {
                    let classes = arg.classes();
                    let f = Filter {
                        agencies: None,
                        years: None,
                        group: None,
                        classes: Some(classes),
                        search: None,
                        without_evidence: false,
                    };
                    let chosen: Vec<Classified> =
                        select(&plan, as_of, &f).iter().copied().collect();
                    let every: Vec<Classified> = all
                        .iter()
                        .filter(|c| classes.contains(&c.eval.class))
                        .copied()
                        .collect();
                    assert_eq!(chosen, every, "{dir} {as_of} {arg:?}");
                }
                for within in [0, 30, 400] {
                    let pick = Due::new(&plan, as_of, within, None);
                    let mut every: Vec<DueItem> = all.iter().filter_map(|c| pick.item(c)).collect();
                    sort_due(&mut every);
                    let found = due_found(&plan, as_of, within, None);
                    let (mut listed, mut one, mut work) =
                        (Vec::new(), Vec::new(), Gather::default());
                    for (a, _) in found.agencies() {
                        found.gather(a, &mut one, &mut work);
                        listed.extend_from_slice(&one);
                    }
                    assert_eq!(listed, every, "{dir} {as_of} within {within}");
                }
            }
        }
    }

    /// An item listed under `now`; with `flags`, also unreported (1),
    /// extended (2) or assigned to the next agency (4), and of a year
    /// from 1000 to 9999 by its occurrence.
    fn item(now: u32, occurrence: u32, days: i32, ongoing: bool, flags: u8) -> DueItem {
        let reassigned = flags & 4 != 0;
        let year = 1000 + (occurrence * 997 % 9000) as i32;
        DueItem {
            now,
            occurrence,
            task: occurrence / 3,
            lead: if reassigned { (now + 1) % 6 } else { now },
            label: PackedLabel::from(Label {
                year,
                part: [Part::Year, Part::Half(2), Part::Quarter(4), Part::Month(12)]
                    [occurrence as usize % 4],
            }),
            days,
            class: match (ongoing, days >= 0) {
                (true, _) => Class::Ongoing,
                (false, true) => Class::InProgress,
                (false, false) => Class::Overdue,
            },
            unreported: flags & 1 != 0,
            extended: flags & 2 != 0,
            reassigned,
        }
    }

    #[test]
    fn kept_items_are_the_items() {
        for (c, class) in Kept::CLASSES.iter().enumerate() {
            assert_eq!(*class as usize, c);
        }
        for o in 0..4000 {
            for flags in 0..8 {
                let i = item(o % 6, o, o as i32 - 2000, o % 7 == 0, flags);
                assert_eq!(Kept::of(&i).item(i.now, i.lead), i);
            }
        }
    }

    proptest! {
        /// Found in stretches, gathered agency by agency, the items are
        /// the list `due_items` sorts in one piece; truncated, its start.
        #[test]
        fn gathered_as_one_sorted_list(
            rows in proptest::collection::vec((0u32..6, -5i32..5, any::<bool>(), 0u8..8), 0..200),
            cuts in proptest::collection::vec(0usize..200, 0..6),
            keep in 0usize..220,
        ) {
            let items: Vec<DueItem> = rows
                .iter()
                .enumerate()
                .map(|(o, &(now, days, ongoing, flags))| item(now, o as u32, days, ongoing, flags))
                .collect();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(items.len())).collect();
            cuts.extend([0, items.len()]);
            cuts.sort_unstable();
            let tasks = unmarked(80);
            let stretches = cuts
                .windows(2)
                .map(|w| Stretch::new(&items[w[0]..w[1]], 6, &tasks))
                .collect();
            let mut found = DueFound::of(stretches, 6, tasks);
            let mut sorted = items.clone();
            sort_due(&mut sorted);
            // What the items name: their tasks, and the span of their days.
            let uses = |found: &DueFound, items: &[DueItem]| {
                let marked: Vec<usize> = (0..80)
                    .filter(|&t| found.tasks()[t].load(std::sync::atomic::Ordering::Relaxed))
                    .collect();
                let mut named: Vec<usize> = items.iter().map(DueItem::task).collect();
                named.sort_unstable();
                named.dedup();
                prop_assert_eq!(marked, named);
                let days = items.iter().filter_map(DueItem::days);
                let span = days.clone().min().zip(days.max());
                prop_assert_eq!(found.uses().days, span);
                Ok(())
            };
            let gathered = |found: &DueFound| {
                let mut all = Vec::new();
                let (mut one, mut work) = (Vec::new(), Gather::default());
                for (a, n) in found.agencies() {
                    found.gather(a, &mut one, &mut work);
                    prop_assert_eq!(one.len(), n);
                    prop_assert!(one.iter().all(|i| i.now() == a));
                    all.extend_from_slice(&one);
                }
                Ok(all)
            };
            prop_assert_eq!(found.len(), items.len());
            prop_assert_eq!(&gathered(&found)?, &sorted);
            uses(&found, &items)?;
            found.truncate(keep);
            sorted.truncate(keep);
            prop_assert_eq!(found.len(), sorted.len());
            uses(&found, &sorted)?;
            prop_assert_eq!(gathered(&found)?, sorted);
        }
    }
}
