//! Stage 3: the status rules of spec §6 and §9, pure. (plan, as-of date) ->
//! the class of every occurrence. No I/O and no clock: every rule is tested
//! with plain values below.

use crate::model::{AgencyId, OccId, Plan, Status, Update};
use chrono::NaiveDate;

/// The class of an occurrence as of a date (§6.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    OnTime,
    Late,
    InProgress,
    Overdue,
    Cancelled,
}

impl Class {
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
        }
    }
}

/// What the updates of one occurrence say as of a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub class: Class,
    /// The deadline after extensions recorded on or before the as-of date.
    pub deadline: NaiveDate,
    /// The completion date, for a done occurrence.
    pub completed: Option<NaiveDate>,
    /// The last update taken into account (an index into the update list).
    pub last: Option<usize>,
}

/// Applies §6 to one occurrence: `history` holds indices into `updates`,
/// sorted by date with same-date updates in load order; `d0` is the
/// original deadline.
pub fn evaluate(
    history: &[usize],
    updates: &[Update],
    d0: NaiveDate,
    as_of: NaiveDate,
) -> Evaluation {
    // 6.1: only updates dated on or before the as-of date.
    let cut = history.partition_point(|&i| updates[i].date <= as_of);
    let seen = &history[..cut];
    // 6.2: the last extension wins.
    let deadline = seen
        .iter()
        .rev()
        .find_map(|&i| updates[i].new_due)
        .unwrap_or(d0);
    let last = seen.last().copied();
    let status = last.map_or(Status::NotStarted, |i| updates[i].status);
    let (class, completed) = match status {
        Status::Cancelled => (Class::Cancelled, None),
        Status::Done => {
            // The first update of the final unbroken run of `done`.
            let run_start = seen
                .iter()
                .rev()
                .take_while(|&&i| updates[i].status == Status::Done)
                .last()
                .map(|&i| updates[i].date);
            let completed = run_start.unwrap_or(as_of);
            let class = if completed <= deadline {
                Class::OnTime
            } else {
                Class::Late
            };
            (class, Some(completed))
        }
        Status::NotStarted | Status::InProgress => {
            if as_of <= deadline {
                (Class::InProgress, None)
            } else {
                (Class::Overdue, None)
            }
        }
    };
    Evaluation {
        class,
        deadline,
        completed,
        last,
    }
}

/// The agency answerable for an obligation due on `deadline` (§9): follow
/// successors while the current agency ceased before that day.
pub fn attribute(plan: &Plan, lead: AgencyId, deadline: NaiveDate) -> AgencyId {
    let mut agency = lead;
    // Validation guarantees chains end; the bound keeps this total anyway.
    for _ in 0..plan.agencies.len() {
        let a = &plan.agencies[agency];
        match (a.until, a.successor) {
            (Some(until), Some(next)) if until < deadline => agency = next,
            _ => break,
        }
    }
    agency
}

/// One occurrence, classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classified {
    pub occurrence: OccId,
    pub eval: Evaluation,
    /// The lead agency after reorganisation (§9).
    pub agency: AgencyId,
}

/// Classifies one occurrence.
pub fn classify(plan: &Plan, occurrence: OccId, as_of: NaiveDate) -> Classified {
    let occ = &plan.occurrences[occurrence];
    let eval = evaluate(plan.history(occurrence), &plan.updates, occ.deadline, as_of);
    let lead = plan.tasks[occ.task].lead;
    Classified {
        occurrence,
        eval,
        agency: attribute(plan, lead, eval.deadline),
    }
}

/// Classifies every occurrence of the plan, in occurrence order, on all
/// cores (occurrences are independent).
pub fn classify_all(plan: &Plan, as_of: NaiveDate) -> Vec<Classified> {
    let n = plan.occurrences.len();
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    if n < 50_000 || threads < 2 {
        return (0..n).map(|o| classify(plan, o, as_of)).collect();
    }
    let chunk = n.div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| {
                scope.spawn(move || {
                    (start..(start + chunk).min(n))
                        .map(|o| classify(plan, o, as_of))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all = Vec::with_capacity(n);
        for part in parts {
            match part.join() {
                Ok(v) => all.extend(v),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn up(date: &str, status: Status, new_due: Option<&str>) -> Update {
        Update {
            task: 0,
            occurrence: 0,
            date: d(date),
            status,
            percent: None,
            new_due: new_due.map(d),
            file: 0,
            text: None,
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
            let mut history: Vec<usize> = (0..updates.len()).collect();
            history.sort_by_key(|&i| updates[i].date);
            let e = evaluate(&history, &updates, d(d0), d(as_of));
            assert_eq!(e.class, class, "{name}");
            assert_eq!(e.deadline, d(deadline), "{name}");
            assert_eq!(e.completed, completed.map(d), "{name}");
        }
    }
}
