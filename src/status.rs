//! Stage 3: the status rules of spec §6, §9 and §12, pure. (plan, as-of
//! date) -> the class of every occurrence. No I/O and no clock: every rule
//! is tested with plain values below.

use crate::model::{AgencyId, OccId, Plan, Status, TaskId, Update};
use chrono::NaiveDate;
use rayon::prelude::*;

/// The class of an occurrence as of a date (§6.4); `Ongoing` for an
/// occurrence of an ongoing task, which has no deadline and no class (§12);
/// `OnRequest` for one of a task done only when asked, while no request
/// has set its deadline (nothing is owed yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    OnTime,
    Late,
    InProgress,
    Overdue,
    Cancelled,
    Ongoing,
    OnRequest,
}

impl Class {
    /// The classes counted in the compliance table, in column order.
    pub const ALL: [Class; 5] = [
        Class::OnTime,
        Class::Late,
        Class::InProgress,
        Class::Overdue,
        Class::Cancelled,
    ];

    /// The machine name used in JSON and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Class::OnTime => "done_on_time",
            Class::Late => "done_late",
            Class::InProgress => "in_progress",
            Class::Overdue => "overdue",
            Class::Cancelled => "cancelled",
            Class::Ongoing => "ongoing",
            Class::OnRequest => "on_request",
        }
    }

    /// Reads a class as the command line and forms write it: the machine
    /// name with `_` or `-`, and the short forms `on-time` and `late`.
    pub fn parse(s: &str) -> Option<Class> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        match s.as_str() {
            "on_time" => Some(Class::OnTime),
            "late" => Some(Class::Late),
            _ => [Class::ALL.as_slice(), &[Class::Ongoing, Class::OnRequest]]
                .concat()
                .into_iter()
                .find(|c| c.key() == s),
        }
    }
}

/// What the updates of one occurrence say as of a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub class: Class,
    /// The status of the last update taken into account (§6.3).
    pub status: Status,
    /// The deadline after extensions recorded on or before the as-of date;
    /// `None` for an ongoing occurrence.
    pub deadline: Option<NaiveDate>,
    /// The completion date, for a done occurrence.
    pub completed: Option<NaiveDate>,
    /// The last update taken into account (`last()`), as its index in the
    /// update list plus one: four bytes where an `Option<u32>` takes eight,
    /// in a value made for every occurrence of a national plan.
    pub(crate) last_update: Option<std::num::NonZeroU32>,
    /// That update's date and percentage, kept with the rest: a national
    /// listing shows them on every row, and the update itself lies
    /// anywhere among a million.
    pub last_date: Option<NaiveDate>,
    pub last_percent: Option<u8>,
}

impl Evaluation {
    /// No update dated on or before the as-of date (§7).
    pub fn not_reported(&self) -> bool {
        self.last_update.is_none()
    }

    /// The last update taken into account (an index into the update list);
    /// `None` means nothing was reported as of the date (§7 not_reported).
    pub fn last(&self) -> Option<u32> {
        self.last_update.map(|n| n.get() - 1)
    }

    /// The last update's date, status and percentage: all a listing's
    /// last-update column says.
    pub fn last_key(&self) -> Option<(NaiveDate, Status, Option<u8>)> {
        self.last_date.map(|d| (d, self.status, self.last_percent))
    }
}

/// Applies §6 to one occurrence: `history` holds indices into `updates`,
/// sorted by date with same-date updates in load order; `d0` is the
/// original deadline, `None` for an ongoing occurrence (§12). For a task
/// done on request (`on_request`, also without `d0`), a request sets the
/// deadline: the occurrence is then classified as any other.
pub fn evaluate(
    history: &[u32],
    updates: &[Update],
    d0: Option<NaiveDate>,
    on_request: bool,
    as_of: NaiveDate,
) -> Evaluation {
    // 6.1: only updates dated on or before the as-of date.
    let cut = history.partition_point(|&i| updates[i as usize].date <= as_of);
    let seen = &history[..cut];
    // 6.2: the last extension wins; for a task done on request, the
    // last request (its deadline is a `new_due` too).
    let extended = || seen.iter().rev().find_map(|&i| updates[i as usize].new_due);
    let deadline = match d0 {
        Some(d0) => Some(extended().unwrap_or(d0)),
        None if on_request => extended(),
        None => None,
    };
    let last = seen.last().copied();
    let reported = last.map(|i| &updates[i as usize]);
    let status = reported.map_or(Status::NotStarted, |u| u.status);
    // The first update of the final unbroken run of `done`.
    let completed = (status == Status::Done).then(|| {
        seen.iter()
            .rev()
            .take_while(|&&i| updates[i as usize].status == Status::Done)
            .last()
            .map_or(as_of, |&i| updates[i as usize].date)
    });
    let class = match (deadline, status, completed) {
        (None, ..) if on_request => Class::OnRequest,
        (None, ..) => Class::Ongoing,
        (Some(_), Status::Cancelled, _) => Class::Cancelled,
        (Some(d), Status::Done, Some(c)) if c <= d => Class::OnTime,
        (Some(_), Status::Done, _) => Class::Late,
        (Some(d), Status::NotStarted | Status::InProgress, _) if as_of <= d => Class::InProgress,
        (Some(_), Status::NotStarted | Status::InProgress, _) => Class::Overdue,
    };
    Evaluation {
        class,
        status,
        deadline,
        completed,
        last_update: last
            .and_then(|i| i.checked_add(1))
            .and_then(std::num::NonZeroU32::new),
        last_date: reported.map(|u| u.date),
        last_percent: reported.and_then(|u| u.percent),
    }
}

/// The agency answerable for an obligation due on `deadline` (§9): follow
/// successors while the current agency ceased before that day.
pub fn attribute(plan: &Plan, lead: AgencyId, deadline: NaiveDate) -> AgencyId {
    follow(plan, None, lead, deadline)
}

/// `attribute` for an obligation of task `task`, whose `successors` send
/// it, from an agency that ceased, elsewhere than that agency's own
/// successor (a split of functions).
pub fn attribute_in(plan: &Plan, task: TaskId, lead: AgencyId, deadline: NaiveDate) -> AgencyId {
    follow(plan, Some(task), lead, deadline)
}

fn follow(plan: &Plan, task: Option<TaskId>, lead: AgencyId, deadline: NaiveDate) -> AgencyId {
    let mut agency = lead;
    // Validation guarantees chains end; the bound keeps this total anyway.
    for _ in 0..plan.agencies.len() {
        let a = &plan.agencies[agency];
        match (a.until, a.successor) {
            (Some(until), Some(next)) if until < deadline => {
                // The task is looked at only past an agency that ceased:
                // most obligations never are.
                let split = task.and_then(|t| {
                    let successors = &plan.tasks.get(t)?.successors;
                    successors.iter().find(|(from, _)| *from == agency)
                });
                agency = split.map_or(next, |&(_, to)| to);
            }
            _ => break,
        }
    }
    agency
}

/// One occurrence, classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classified {
    occurrence: u32,
    agency: u32,
    pub eval: Evaluation,
}

impl Classified {
    pub fn new(occurrence: OccId, eval: Evaluation, agency: AgencyId) -> Classified {
        Classified {
            occurrence: crate::model::narrow(occurrence),
            agency: crate::model::narrow(agency),
            eval,
        }
    }

    pub fn occurrence(&self) -> OccId {
        self.occurrence as OccId
    }

    /// The lead agency after reorganisation (§9), from the occurrence's own
    /// lead (the member, for a group task).
    pub fn agency(&self) -> AgencyId {
        self.agency as AgencyId
    }
}

/// Classifies one occurrence.
pub fn classify(plan: &Plan, occurrence: OccId, as_of: NaiveDate) -> Classified {
    let occ = &plan.occurrences[occurrence];
    let on_request = occ.deadline.is_none() && plan.tasks[occ.task()].due.on_request();
    let eval = evaluate(
        plan.history(occurrence),
        &plan.updates,
        occ.deadline,
        on_request,
        as_of,
    );
    let at = eval.deadline.unwrap_or_else(|| occ.nominal_deadline());
    Classified::new(
        occurrence,
        eval,
        attribute_in(plan, occ.task(), occ.lead(), at),
    )
}

/// Classifies every occurrence of the plan, in occurrence order, on all
/// cores (occurrences are independent).
pub fn classify_all(plan: &Plan, as_of: NaiveDate) -> Vec<Classified> {
    const PIECE: usize = 16_384;
    let n = plan.occurrences.len();
    if n < 20_000 {
        return classify_in(plan, 0..n, as_of, |_| true).collect();
    }
    let pieces: Vec<Vec<Classified>> = (0..n.div_ceil(PIECE))
        .into_par_iter()
        .map(|k| classify_in(plan, k * PIECE..n.min((k + 1) * PIECE), as_of, |_| true).collect())
        .collect();
    pieces.concat()
}

/// The occurrences of `range` that `keep` keeps, classified in order.
/// Their updates are read a few dozen occurrences ahead, in a loop that
/// does nothing else: an occurrence's updates lie anywhere among a
/// national plan's million, and classifying one after the other waits on
/// memory for each, where reading them side by side fetches many at once.
pub fn classify_in(
    plan: &Plan,
    range: std::ops::Range<usize>,
    as_of: NaiveDate,
    keep: impl Fn(OccId) -> bool + Copy,
) -> impl Iterator<Item = Classified> {
    const AHEAD: usize = 64;
    let end = range.end;
    range.step_by(AHEAD).flat_map(move |start| {
        let batch = start..end.min(start + AHEAD);
        crate::memory::read_ahead(batch.clone().filter(|&o| keep(o)), |o| {
            let history = plan.history(o);
            let update = |i: Option<&u32>| {
                i.and_then(|&i| plan.updates.get(i as usize))
                    .map_or(0, |u| u.occurrence)
            };
            update(history.first()).wrapping_add(update(history.last()))
        });
        batch
            .filter(move |&o| keep(o))
            .map(move |o| classify(plan, o, as_of))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Classifying a range with its updates read ahead is classifying
    /// each occurrence: over several batches (the real plan's 160
    /// occurrences) and with updates (the demo), whatever is kept.
    #[test]
    fn classifying_a_range_ahead_is_classifying_each() {
        for (_, plan) in crate::validate::shipped_plans() {
            let n = plan.occurrences.len();
            for as_of in ["2022-01-01", "2024-06-30", "2026-01-01"].map(d) {
                for (range, odd) in [
                    (0..n, false),
                    (3..n, true),
                    (n / 2..n, false),
                    (0..0, false),
                ] {
                    let keep = move |o: usize| !odd || o % 2 == 1;
                    let ahead: Vec<Classified> =
                        classify_in(&plan, range.clone(), as_of, keep).collect();
                    let each: Vec<Classified> = range
                        .filter(|&o| keep(o))
                        .map(|o| classify(&plan, o, as_of))
                        .collect();
                    assert_eq!(ahead, each);
                    // The last update's date, status and percentage, kept
                    // with the evaluation, are the update's own.
                    for c in &ahead {
                        let update = c.eval.last().map(|i| plan.update(i));
                        assert_eq!(
                            c.eval.last_key(),
                            update.map(|u| (u.date, u.status, u.percent))
                        );
                        assert_eq!(c.eval.not_reported(), update.is_none());
                    }
                }
            }
        }
    }

    fn up(date: &str, status: Status, new_due: Option<&str>) -> Update {
        Update {
            occurrence: 0,
            date: d(date),
            status,
            percent: None,
            new_due: new_due.map(d),
            file: 0,
        }
    }

    use Status::{Cancelled, Done, InProgress, NotStarted};

    /// (case, updates in load order, original deadline, as of, class,
    /// deadline after extensions, completion date)
    type Case<'a> = (
        &'a str,
        Vec<Update>,
        &'a str,
        &'a str,
        Class,
        &'a str,
        Option<&'a str>,
    );

    #[test]
    fn rules_of_section_6() {
        let cases: Vec<Case> = vec![
            (
                "no updates, before deadline",
                vec![],
                "2023-12-15",
                "2023-06-01",
                Class::InProgress,
                "2023-12-15",
                None,
            ),
            (
                "no updates, on the deadline day",
                vec![],
                "2023-12-15",
                "2023-12-15",
                Class::InProgress,
                "2023-12-15",
                None,
            ),
            (
                "no updates, day after",
                vec![],
                "2023-12-15",
                "2023-12-16",
                Class::Overdue,
                "2023-12-15",
                None,
            ),
            (
                "not started counts as in progress",
                vec![up("2023-01-05", NotStarted, None)],
                "2023-12-15",
                "2023-02-01",
                Class::InProgress,
                "2023-12-15",
                None,
            ),
            (
                "done on the deadline day",
                vec![up("2023-12-15", Done, None)],
                "2023-12-15",
                "2023-12-31",
                Class::OnTime,
                "2023-12-15",
                Some("2023-12-15"),
            ),
            (
                "done the day after",
                vec![up("2023-12-16", Done, None)],
                "2023-12-15",
                "2023-12-31",
                Class::Late,
                "2023-12-15",
                Some("2023-12-16"),
            ),
            (
                "done after the as-of date is not seen",
                vec![up("2023-12-10", Done, None)],
                "2023-12-15",
                "2023-12-09",
                Class::InProgress,
                "2023-12-15",
                None,
            ),
            (
                "done late is not seen before it happens",
                vec![up("2024-01-10", Done, None)],
                "2023-12-15",
                "2024-01-09",
                Class::Overdue,
                "2023-12-15",
                None,
            ),
            (
                "in progress past the deadline",
                vec![up("2023-10-01", InProgress, None)],
                "2023-12-15",
                "2023-12-20",
                Class::Overdue,
                "2023-12-15",
                None,
            ),
            (
                "extension recorded before as-of moves the deadline",
                vec![up("2023-12-01", InProgress, Some("2024-01-31"))],
                "2023-12-15",
                "2023-12-20",
                Class::InProgress,
                "2024-01-31",
                None,
            ),
            (
                "extension recorded after as-of is not seen",
                vec![up("2023-12-21", InProgress, Some("2024-01-31"))],
                "2023-12-15",
                "2023-12-20",
                Class::Overdue,
                "2023-12-15",
                None,
            ),
            (
                "done within an extension is on time",
                vec![
                    up("2023-12-01", InProgress, Some("2024-01-31")),
                    up("2024-01-20", Done, None),
                ],
                "2023-12-15",
                "2024-02-01",
                Class::OnTime,
                "2024-01-31",
                Some("2024-01-20"),
            ),
            (
                "extension granted after completion counts",
                vec![
                    up("2023-12-20", Done, None),
                    up("2023-12-22", Done, Some("2023-12-31")),
                ],
                "2023-12-15",
                "2024-01-05",
                Class::OnTime,
                "2023-12-31",
                Some("2023-12-20"),
            ),
            (
                "the last extension wins",
                vec![
                    up("2023-11-01", InProgress, Some("2024-03-31")),
                    up("2023-12-01", InProgress, Some("2024-01-15")),
                ],
                "2023-12-15",
                "2024-02-01",
                Class::Overdue,
                "2024-01-15",
                None,
            ),
            (
                "reopened then done again: the final run counts",
                vec![
                    up("2023-11-01", Done, None),
                    up("2023-11-20", InProgress, None),
                    up("2024-01-05", Done, None),
                    up("2024-01-10", Done, None),
                ],
                "2023-12-15",
                "2024-02-01",
                Class::Late,
                "2023-12-15",
                Some("2024-01-05"),
            ),
            (
                "reopened and still open",
                vec![
                    up("2023-11-01", Done, None),
                    up("2023-11-20", InProgress, None),
                ],
                "2023-12-15",
                "2024-02-01",
                Class::Overdue,
                "2023-12-15",
                None,
            ),
            (
                "reopened, seen before the reopening",
                vec![
                    up("2023-11-01", Done, None),
                    up("2023-11-20", InProgress, None),
                ],
                "2023-12-15",
                "2023-11-10",
                Class::OnTime,
                "2023-12-15",
                Some("2023-11-01"),
            ),
            (
                "same-date tie: load order, done last",
                vec![
                    up("2023-12-01", InProgress, None),
                    up("2023-12-01", Done, None),
                ],
                "2023-12-15",
                "2023-12-31",
                Class::OnTime,
                "2023-12-15",
                Some("2023-12-01"),
            ),
            (
                "same-date tie: load order, in progress last",
                vec![
                    up("2023-12-01", Done, None),
                    up("2023-12-01", InProgress, None),
                ],
                "2023-12-15",
                "2023-12-31",
                Class::Overdue,
                "2023-12-15",
                None,
            ),
            (
                "cancelled",
                vec![up("2023-05-01", Cancelled, None)],
                "2023-12-15",
                "2024-01-01",
                Class::Cancelled,
                "2023-12-15",
                None,
            ),
            (
                "cancelled then resumed",
                vec![
                    up("2023-05-01", Cancelled, None),
                    up("2023-06-01", InProgress, None),
                ],
                "2023-12-15",
                "2024-01-01",
                Class::Overdue,
                "2023-12-15",
                None,
            ),
            (
                "leap-day deadline",
                vec![up("2024-02-29", Done, None)],
                "2024-02-29",
                "2024-03-01",
                Class::OnTime,
                "2024-02-29",
                Some("2024-02-29"),
            ),
        ];
        for (name, updates, d0, as_of, class, deadline, completed) in cases {
            // Updates are listed in load order; sort by date keeping it (§6.1).
            let mut history: Vec<u32> = (0..updates.len() as u32).collect();
            history.sort_by_key(|&i| updates[i as usize].date);
            let e = evaluate(&history, &updates, Some(d(d0)), false, d(as_of));
            assert_eq!(e.class, class, "{name}");
            assert_eq!(e.deadline, Some(d(deadline)), "{name}");
            assert_eq!(e.completed, completed.map(d), "{name}");
        }
    }

    #[test]
    fn ongoing_occurrences_have_a_status_and_no_class() {
        // (case, updates, as of, status, completed, not reported)
        let cases = [
            ("nothing yet", vec![], "2024-12-31", NotStarted, None, true),
            (
                "in progress",
                vec![up("2024-03-01", InProgress, None)],
                "2024-12-31",
                InProgress,
                None,
                false,
            ),
            (
                "done",
                vec![up("2024-03-01", Done, None)],
                "2025-06-30",
                Done,
                Some("2024-03-01"),
                false,
            ),
            (
                "not seen yet",
                vec![up("2024-03-01", Done, None)],
                "2024-02-01",
                NotStarted,
                None,
                true,
            ),
        ];
        for (name, updates, as_of, status, completed, not_reported) in cases {
            let history: Vec<u32> = (0..updates.len() as u32).collect();
            let e = evaluate(&history, &updates, None, false, d(as_of));
            assert_eq!(e.class, Class::Ongoing, "{name}");
            assert_eq!(e.status, status, "{name}");
            assert_eq!(e.deadline, None, "{name}");
            assert_eq!(e.completed, completed.map(d), "{name}");
            assert_eq!(e.not_reported(), not_reported, "{name}");
        }
    }

    #[test]
    fn a_request_gives_an_on_request_occurrence_its_deadline() {
        // (case, updates in load order, as of, class, deadline)
        let cases = [
            ("no request", vec![], "2024-12-31", Class::OnRequest, None),
            (
                "reported without a request",
                vec![up("2024-03-01", Done, None)],
                "2024-12-31",
                Class::OnRequest,
                None,
            ),
            (
                "asked, not yet due",
                vec![up("2024-03-01", NotStarted, Some("2024-04-15"))],
                "2024-04-15",
                Class::InProgress,
                Some("2024-04-15"),
            ),
            (
                "asked, past due",
                vec![up("2024-03-01", NotStarted, Some("2024-04-15"))],
                "2024-04-16",
                Class::Overdue,
                Some("2024-04-15"),
            ),
            (
                "asked, request not yet seen",
                vec![up("2024-03-01", NotStarted, Some("2024-04-15"))],
                "2024-02-28",
                Class::OnRequest,
                None,
            ),
            (
                "done on time",
                vec![
                    up("2024-03-01", NotStarted, Some("2024-04-15")),
                    up("2024-04-10", Done, None),
                ],
                "2024-12-31",
                Class::OnTime,
                Some("2024-04-15"),
            ),
            (
                "done after the request's deadline",
                vec![
                    up("2024-03-01", InProgress, Some("2024-04-15")),
                    up("2024-05-02", Done, None),
                ],
                "2024-12-31",
                Class::Late,
                Some("2024-04-15"),
            ),
            (
                "a later request",
                vec![
                    up("2024-03-01", NotStarted, Some("2024-04-15")),
                    up("2024-04-10", Done, None),
                    up("2024-09-01", NotStarted, Some("2024-10-31")),
                ],
                "2024-11-01",
                Class::Overdue,
                Some("2024-10-31"),
            ),
        ];
        for (name, updates, as_of, class, deadline) in cases {
            let history: Vec<u32> = (0..updates.len() as u32).collect();
            let e = evaluate(&history, &updates, None, true, d(as_of));
            assert_eq!(e.class, class, "{name}");
            assert_eq!(e.deadline, deadline.map(d), "{name}");
        }
    }

    #[test]
    fn classes_read_with_underscore_or_hyphen() {
        for (s, c) in [
            ("done_on_time", Class::OnTime),
            ("done-on-time", Class::OnTime),
            ("on-time", Class::OnTime),
            ("late", Class::Late),
            ("in-progress", Class::InProgress),
            ("overdue", Class::Overdue),
            ("ongoing", Class::Ongoing),
            ("on-request", Class::OnRequest),
        ] {
            assert_eq!(Class::parse(s), Some(c), "{s}");
        }
        assert_eq!(Class::parse("finished"), None);
    }
}
