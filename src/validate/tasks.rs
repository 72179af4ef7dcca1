//! Tasks (§4): ids, groups, lead and supporting agencies, deadlines; and
//! their occurrences, one per period and, for a group lead, per member
//! (§11).

use super::agencies::Agencies;
use super::header::Groups;
use super::{Ctx, FastMap, Head, Known};
use crate::load::RawTasks;
use crate::messages::{Msg, Place, Role, Thing};
use crate::model::{Due, FileId, MAX_INDEX, Occurrence, Task, TaskId, narrow};
use chrono::Datelike;

#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Tasks {
    #[serde(deserialize_with = "crate::cache::exact_vec")]
    pub list: Vec<Task>,
    pub index: FastMap<String, Known<TaskId>>,
    #[serde(with = "crate::cache::in_parts")]
    pub occurrences: Vec<Occurrence>,
    /// Where each id was first defined, for "duplicate" messages.
    #[serde(skip)]
    first_at: FastMap<String, (FileId, usize)>,
}

impl Tasks {
    /// Once every tasks file is checked, where ids were first defined is no
    /// longer needed (a map the size of the task list).
    pub fn checked(&mut self) {
        self.first_at = FastMap::default();
    }

    /// Once the first of `files` tasks files is checked: room for as many
    /// tasks and occurrences again in each of the others, and a tenth
    /// more. The lists then grow once rather than doubling again and again,
    /// each time holding the old list and the new at once (at national
    /// size, tens of megabytes on top of the plan). Room never used is
    /// never touched, so a guess too large costs no memory.
    pub fn make_room(&mut self, files: usize) {
        let more = |n: usize| n.saturating_mul(files.saturating_sub(1)).saturating_mul(11) / 10;
        let (tasks, occurrences) = (more(self.list.len()), more(self.occurrences.len()));
        self.list.reserve(tasks);
        self.occurrences.reserve(occurrences);
        self.index.reserve(tasks);
        self.first_at.reserve(tasks);
    }

    pub fn check_file(
        &mut self,
        ctx: &mut Ctx,
        file: FileId,
        raw: &RawTasks,
        groups: Option<&Groups>,
        agencies: &mut Agencies,
        head: Option<Head>,
    ) {
        for r in &raw.task {
            let Some(id) = &r.id else { continue };
            let at = id.span().start;
            let written = id.get_ref();
            let fixed = super::checked_id(ctx, file, at, Thing::Task, written);
            let id = fixed.as_ref().unwrap_or(written);
            let title = ctx.text(file, "title", &r.title);
            let duplicate = match self.first_at.get(id) {
                Some(&(first_file, first)) => {
                    ctx.err(
                        file,
                        at,
                        Msg::DuplicateId {
                            thing: Thing::Task,
                            id: id.clone(),
                            first: Place::Offset {
                                file: first_file,
                                at: first,
                            },
                        },
                    );
                    true
                }
                None => {
                    self.first_at.insert(id.clone(), (file, at));
                    false
                }
            };
            let group = match (&r.group, groups) {
                (Some(g), Some(groups)) => groups.find(ctx, file, g),
                _ => None,
            };
            let lead = r
                .lead
                .as_ref()
                .and_then(|l| agencies.resolve(ctx, file, Role::Lead, l));
            let support = support(ctx, file, r, agencies);
            let successors = successors(ctx, file, r, agencies);
            let due = r
                .due
                .as_ref()
                .and_then(|d| super::due::check(ctx, file, d, head));
            let (Some(group), Some(lead), Some(due), Some(title), Some(head), false) =
                (group, lead, due, title, head, duplicate)
            else {
                if !duplicate {
                    // Keep the id known so that updates naming it are not
                    // also reported: the task's own problem says enough.
                    self.index.insert(id.clone(), Known::Broken);
                }
                continue;
            };
            let due_at = r.due.as_ref().map_or(at, |d| d.span().start);
            warn_about_dates(ctx, file, due_at, &due, head);
            warn_about_unused(ctx, file, r, id, agencies, lead, &support, &successors);
            let task = self.list.len();
            let start = self.occurrences.len();
            let members = &agencies.list[lead].members;
            let leads: Vec<usize> = if members.is_empty() {
                vec![lead]
            } else {
                members.clone()
            };
            let periods = due.period_count();
            if self.occurrences.len() + periods * leads.len() > MAX_INDEX {
                ctx.err(
                    file,
                    due_at,
                    Msg::TooManyOccurrences {
                        max: MAX_INDEX as u64,
                    },
                );
                self.index.insert(id.clone(), Known::Broken);
                continue;
            }
            for (label, deadline) in due.periods() {
                for &l in &leads {
                    self.occurrences.push(Occurrence {
                        task: narrow(task),
                        packed_label: label.into(),
                        deadline,
                        lead: narrow(l),
                        first_update: 0,
                    });
                }
            }
            self.index.insert(id.clone(), Known::Valid(task));
            self.list.push(Task {
                id: id.clone(),
                group,
                title,
                title_en: r.title_en.clone(),
                lead,
                support,
                due,
                output: r.output.clone(),
                note: r.note.clone(),
                successors,
                occurrences: start..self.occurrences.len(),
                file,
            });
        }
    }
}

/// The supporting agencies: known, not the lead, no repeats.
fn support(
    ctx: &mut Ctx,
    file: FileId,
    r: &crate::load::RawTask,
    agencies: &Agencies,
) -> Vec<usize> {
    let mut support = Vec::new();
    for (i, s) in r.support.iter().enumerate() {
        let code = s.get_ref().clone();
        if r.lead.as_ref().is_some_and(|l| l.get_ref() == s.get_ref()) {
            ctx.err(file, s.span().start, Msg::SupportRepeatsLead { code });
        } else if r.support[..i].iter().any(|o| o.get_ref() == s.get_ref()) {
            ctx.err(file, s.span().start, Msg::SupportTwice { code });
        } else if let Some(a) = agencies.resolve(ctx, file, Role::Support, s) {
            support.push(a);
        }
    }
    support
}

/// `successors`: each from a known agency that ceases to one agency (not a
/// group, not itself), the chains they make with the agencies' own
/// successors ending. Only the good entries are kept.
fn successors(
    ctx: &mut Ctx,
    file: FileId,
    r: &crate::load::RawTask,
    agencies: &Agencies,
) -> Vec<(usize, usize)> {
    let Some(map) = &r.successors else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (from, to) in map.get_ref() {
        let a = agencies.resolve(ctx, file, Role::TaskSuccessors, from);
        let b = agencies.resolve(ctx, file, Role::TaskSuccessors, to);
        let (Some(a), Some(b)) = (a, b) else { continue };
        let code = |x: usize| agencies.list[x].code.clone();
        if agencies.list[a].until.is_none() {
            let msg = Msg::SuccessorsNotCeased { code: code(a) };
            ctx.err(file, from.span().start, msg);
        } else if a == b {
            ctx.err(file, to.span().start, Msg::OwnSuccessor { code: code(a) });
        } else if agencies.list[b].is_group() {
            ctx.err(
                file,
                to.span().start,
                Msg::SuccessorsToGroup { code: code(b) },
            );
        } else {
            out.push((a, b));
        }
    }
    // A chain through these and the agencies' own links must end.
    for &(a, _) in &out {
        let mut chain = vec![a];
        let mut at = a;
        while let Some(next) = next_of(agencies, &out, at) {
            if chain.contains(&next) {
                chain.push(next);
                let codes: Vec<&str> = chain
                    .iter()
                    .map(|&x| agencies.list[x].code.as_str())
                    .collect();
                let at = map.span().start;
                ctx.err(
                    file,
                    at,
                    Msg::SuccessorLoop {
                        chain: codes.join(" → "),
                    },
                );
                return Vec::new();
            }
            chain.push(next);
            at = next;
        }
    }
    out
}

/// Who takes over this task from agency `a`: its entry in `successors`,
/// else its own successor.
fn next_of(agencies: &Agencies, successors: &[(usize, usize)], a: usize) -> Option<usize> {
    successors
        .iter()
        .find(|(from, _)| *from == a)
        .map(|&(_, to)| to)
        .or(agencies.successor_of.get(a).copied().flatten())
}

/// A warning for an entry of `successors` naming an agency the task never
/// reaches: not its lead, a member, a supporting agency or one that takes
/// over from them.
#[allow(clippy::too_many_arguments)]
fn warn_about_unused(
    ctx: &mut Ctx,
    file: FileId,
    r: &crate::load::RawTask,
    id: &str,
    agencies: &Agencies,
    lead: usize,
    support: &[usize],
    successors: &[(usize, usize)],
) {
    let Some(map) = &r.successors else { return };
    let mut reached: Vec<usize> = Vec::new();
    for &start in std::iter::once(&lead).chain(support) {
        let members = &agencies.list[start].members;
        let starts = if members.is_empty() {
            std::slice::from_ref(&start)
        } else {
            members
        };
        for &s in starts {
            let mut at = Some(s);
            while let Some(a) = at {
                if reached.contains(&a) {
                    break;
                }
                reached.push(a);
                at = next_of(agencies, successors, a);
            }
        }
    }
    for &(from, _) in successors {
        if !reached.contains(&from) {
            let at = map
                .get_ref()
                .keys()
                .find(|k| *k.get_ref() == agencies.list[from].code)
                .map_or(map.span().start, |k| k.span().start);
            let msg = Msg::SuccessorsUnused {
                code: agencies.list[from].code.clone(),
                task: id.to_string(),
            };
            ctx.warn(file, at, msg);
        }
    }
}

/// Warnings: an occurrence due before the plan was issued; a one-off
/// deadline outside the plan period.
fn warn_about_dates(ctx: &mut Ctx, file: FileId, at: usize, due: &Due, head: Head) {
    if let Some((label, Some(deadline))) = due
        .periods()
        .find(|(_, d)| d.is_some_and(|d| d < head.issued))
    {
        ctx.warn(
            file,
            at,
            Msg::OccurrenceBeforeIssue {
                label: label.to_string(),
                deadline: crate::labels::date(deadline),
                issued: crate::labels::date(head.issued),
            },
        );
    }
    if let Due::Once(d) = due
        && (d.year() < head.first_year || d.year() > head.last_year)
    {
        ctx.warn(
            file,
            at,
            Msg::DeadlineOutsidePeriod {
                deadline: crate::labels::date(*d),
                first: head.first_year,
                last: head.last_year,
            },
        );
    }
}
