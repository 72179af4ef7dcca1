//! Progress files (§5, §8, §11, §12): every `[[update]]` and `[[measure]]`
//! checked against the tasks and indicators. The same checks serve `check`
//! and every writer (`record`, `measure`, `import`, the web form), so what
//! is appended always passes `check`.

use super::{Ctx, FastMap, Head, Known};
use crate::load::{Diag, Raw, RawMeasure, RawUpdate};
use crate::messages::Msg;
use crate::model::*;
use chrono::NaiveDate;
use rayon::prelude::*;
use toml::Spanned;

/// Which definition files could not be read at all: references to what
/// they define are then not reported as unknown.
#[derive(Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Unreadable {
    pub tasks: bool,
    pub agencies: bool,
    pub indicators: bool,
}

/// What checking an update or a measurement needs to know of the plan.
pub(crate) struct Lookup<'a> {
    pub tasks: &'a [Task],
    pub task_index: &'a FastMap<String, Known<TaskId>>,
    pub agencies: &'a [Agency],
    pub agency_index: &'a FastMap<String, Known<AgencyId>>,
    pub indicator_index: &'a FastMap<String, Known<usize>>,
    pub head: Option<Head>,
    pub unreadable: Unreadable,
}

/// Everything a progress file (or all of them) holds, checked.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Progress {
    pub updates: Vec<Update>,
    pub measures: Vec<Measure>,
    /// Updates with `new_due`, and the offset of `new_due` in their file:
    /// the §5 "later" rule needs them once every update is in order.
    pub extensions: Vec<(usize, usize)>,
    pub diags: Vec<Diag>,
    /// The free text of `updates`, by their index here. Last, so that a
    /// reader that does not need it can stop before it.
    pub texts: Texts,
    /// The hash of the bytes checked, for the parse cache.
    #[serde(skip)]
    pub hash: Option<u128>,
}

/// Reads, checks and drops each progress file in `files` on its own, on all
/// cores; one result per file, in the order given. The updates' free text
/// is kept only when `text` says so.
pub(crate) fn check_files(
    raw: &Raw,
    files: &[FileId],
    lookup: &Lookup<'_>,
    text: Text,
) -> Vec<Progress> {
    files
        .par_iter()
        .map(|&file| check_one(raw, file, lookup, text))
        .collect()
}

/// Reads, checks and drops one progress file.
pub(crate) fn check_one(raw: &Raw, file: FileId, lookup: &Lookup<'_>, text: Text) -> Progress {
    let (content, diags, hash) = raw.read_progress(file);
    let mut checked = check_file(file, content, diags, lookup);
    checked.hash = hash;
    checked.keep(text);
    checked
}

/// Whether a command needs the updates' free text (`by`, `evidence`,
/// `note`, `decision`): a report of counts does not, and at national size
/// the text is a sixth of the plan in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    Keep,
    Skip,
}

/// A progress file's cached results without the text (the fields of
/// `Progress` up to `texts`, in its order: postcard reads them and stops).
#[derive(serde::Deserialize)]
pub(crate) struct ProgressWithoutText {
    updates: Vec<Update>,
    measures: Vec<Measure>,
    extensions: Vec<(usize, usize)>,
    diags: Vec<Diag>,
}

impl From<ProgressWithoutText> for Progress {
    fn from(p: ProgressWithoutText) -> Progress {
        Progress {
            updates: p.updates,
            measures: p.measures,
            extensions: p.extensions,
            diags: p.diags,
            texts: Texts::default(),
            hash: None,
        }
    }
}

/// Checks one progress file's parsed contents.
fn check_file(
    file: FileId,
    content: Option<crate::load::RawProgress>,
    diags: Vec<Diag>,
    lookup: &Lookup<'_>,
) -> Progress {
    let mut ctx = Ctx { diags };
    let mut out = Progress::default();
    if let Some(p) = content {
        out.updates.reserve(p.update.len());
        for mut u in p.update {
            if let Some((update, text, extension)) = check_update(&mut ctx, file, &mut u, lookup) {
                let i = out.updates.len();
                if let Some(at) = extension {
                    out.extensions.push((i, at));
                }
                if let Some(text) = text {
                    out.texts.push(narrow(i), &text);
                }
                out.updates.push(update);
            }
        }
        for mut m in p.measure {
            if let Some(measure) = check_measure(&mut ctx, file, &mut m, lookup) {
                out.measures.push(measure);
            }
        }
    }
    out.diags = ctx.diags;
    out
}

impl Progress {
    /// Files' results concatenated in load order.
    pub(crate) fn merge(per_file: Vec<Progress>) -> Progress {
        let total = per_file.iter().map(|p| p.updates.len()).sum();
        let mut all = Progress {
            updates: Vec::with_capacity(total),
            ..Progress::default()
        };
        for p in per_file {
            let base = all.updates.len();
            all.extensions
                .extend(p.extensions.into_iter().map(|(u, at)| (u + base, at)));
            all.texts.append(&p.texts, narrow(base));
            all.updates.extend(p.updates);
            all.measures.extend(p.measures);
            all.diags.extend(p.diags);
        }
        all
    }

    /// Drops the updates' free text unless `text` keeps it.
    pub(crate) fn keep(&mut self, text: Text) {
        if text == Text::Skip {
            self.texts = Texts::default();
        }
    }

    /// The same results for the same file under another number (a file
    /// added or removed before it in load order).
    pub(crate) fn renumber(&mut self, file: FileId) {
        for u in &mut self.updates {
            u.file = narrow(file);
        }
        for m in &mut self.measures {
            m.file = file;
        }
        for d in &mut self.diags {
            d.file = file;
        }
    }
}

/// Checks one update (§5, §11, §12). Returns the model update, its free
/// text if any and, when it extends the deadline, the offset of its
/// `new_due`.
fn check_update(
    ctx: &mut Ctx,
    file: FileId,
    raw: &mut RawUpdate,
    lookup: &Lookup<'_>,
) -> Option<(Update, Option<UpdateText>, Option<usize>)> {
    let task = raw
        .task
        .as_ref()
        .and_then(|t| task_of(ctx, file, t, lookup));
    let date = raw.date.as_ref().and_then(|d| ctx.date(file, "date", d));
    if let (Some(d), Some(h), Some(at)) =
        (date, lookup.head, raw.date.as_ref().map(|d| d.span().start))
        && d < h.issued
    {
        ctx.err(
            file,
            at,
            Msg::DatedBeforeIssue {
                date: crate::labels::date(d),
                issued: crate::labels::date(h.issued),
            },
        );
    }
    let status = raw.status.as_ref().and_then(|s| {
        let parsed = Status::parse(s.get_ref());
        if parsed.is_none() {
            ctx.err(
                file,
                s.span().start,
                Msg::UnknownStatus {
                    found: s.get_ref().clone(),
                    // A status in words, as the forms and `record` take it
                    // ("đã hoàn thành"), else the nearest machine word.
                    suggestion: crate::labels::parse_status(s.get_ref())
                        .map(|st| st.as_str().to_string())
                        .or_else(|| {
                            crate::messages::nearest(s.get_ref(), Status::ALL.map(Status::as_str))
                        }),
                },
            );
        }
        parsed
    });
    let mut percent = None;
    if let Some(p) = &raw.percent {
        let v = *p.get_ref();
        if !(0..=100).contains(&v) {
            ctx.err(file, p.span().start, Msg::PercentOutOfRange { value: v });
        } else {
            percent = Some(v as u8);
            if status == Some(Status::Done) && v < 100 {
                ctx.err(file, p.span().start, Msg::DoneBelow100 { value: v });
            }
        }
    }
    let new_due = raw
        .new_due
        .as_ref()
        .and_then(|d| ctx.date(file, "new_due", d));
    // A blank decision names no document: a stop or an extension needs
    // one written out, as the evidence of a completion does.
    let decision = raw
        .decision
        .as_ref()
        .is_some_and(|d| !d.get_ref().trim().is_empty());
    if let (Some(nd), false) = (&raw.new_due, decision) {
        let on_request = task.is_some_and(|t| lookup.tasks[t].due.on_request());
        let msg = match on_request {
            true => Msg::RequestWithoutDecision,
            false => Msg::NewDueWithoutDecision,
        };
        ctx.err(file, nd.span().start, msg);
    }
    if let (Some(Status::Cancelled), Some(s), false) = (status, &raw.status, decision) {
        ctx.err(file, s.span().start, Msg::CancelWithoutDecision);
    }
    if let Some(d) = &raw.decision
        && raw.new_due.is_none()
        && status.is_some_and(|s| s != Status::Cancelled)
    {
        ctx.warn(file, d.span().start, Msg::DecisionWithoutEffect);
    }
    let occurrence = task.and_then(|t| occurrence_of(ctx, file, raw, t, lookup));
    if let (Some(t), Some(nd)) = (task, &raw.new_due)
        && lookup.tasks[t].is_ongoing()
        && !lookup.tasks[t].due.on_request()
    {
        ctx.err(
            file,
            nd.span().start,
            Msg::NewDueOnOngoing {
                task: lookup.tasks[t].id.clone(),
            },
        );
        return None;
    }
    let (occurrence, date, status) = (occurrence?, date?, status?);
    let extension = raw.new_due.as_ref().map(|d| d.span().start);
    Some((
        Update {
            occurrence: narrow(occurrence),
            date,
            status,
            percent,
            new_due,
            file: narrow(file),
        },
        UpdateText {
            by: raw.by.take(),
            evidence: raw.evidence.take(),
            note: raw.note.take(),
            decision: raw.decision.take().map(Spanned::into_inner),
        }
        .given(),
        extension,
    ))
}

/// The task an update names.
fn task_of(
    ctx: &mut Ctx,
    file: FileId,
    id: &Spanned<String>,
    lookup: &Lookup<'_>,
) -> Option<TaskId> {
    known(
        ctx,
        file,
        id,
        lookup.task_index,
        lookup.unreadable.tasks,
        |id, suggestion| Msg::UnknownTaskInUpdate { id, suggestion },
    )
}

/// What `id` names in `index`. An id `index` does not hold is an error
/// (`unknown`, given the id and the nearest one it holds), unless the file
/// that defines them could not be read (`unreadable`), which is an error
/// of its own; an id defined wrongly was an error where it was defined.
fn known<T: Copy>(
    ctx: &mut Ctx,
    file: FileId,
    id: &Spanned<String>,
    index: &FastMap<String, Known<T>>,
    unreadable: bool,
    unknown: impl FnOnce(String, Option<String>) -> Msg,
) -> Option<T> {
    match index.get(id.get_ref()) {
        Some(Known::Valid(t)) => Some(*t),
        Some(Known::Broken) => None,
        None if unreadable => None,
        None => {
            let suggestion =
                crate::messages::nearest(id.get_ref(), index.keys().map(String::as_str));
            ctx.err(
                file,
                id.span().start,
                unknown(id.get_ref().clone(), suggestion),
            );
            None
        }
    }
}

/// The occurrence an update names: its `period` (optional for a one-off
/// task) and, for a group task, its `agency` (§11).
fn occurrence_of(
    ctx: &mut Ctx,
    file: FileId,
    raw: &RawUpdate,
    t: TaskId,
    lookup: &Lookup<'_>,
) -> Option<OccId> {
    let task = &lookup.tasks[t];
    let task_at = raw.task.as_ref().map_or(0, |s| s.span().start);
    let period = match (&raw.period, &task.due) {
        (None, Due::Once(_)) => Some(0),
        (None, due) => {
            let example = due.period(0).0.to_string();
            let every = match due {
                Due::Every { every, .. } => every.as_str(),
                Due::Ongoing {
                    on_request: true, ..
                } => crate::validate::due::ON_REQUEST,
                _ => "ongoing",
            };
            ctx.err(
                file,
                task_at,
                Msg::PeriodRequired {
                    task: task.id.clone(),
                    every: every.to_string(),
                    example,
                },
            );
            None
        }
        (Some(p), due) => {
            let index = Label::parse(p.get_ref()).and_then(|l| due.period_index(l));
            if index.is_none() {
                ctx.err(
                    file,
                    p.span().start,
                    Msg::NotAnOccurrence {
                        period: p.get_ref().clone(),
                        task: task.id.clone(),
                        periods: periods_list(due),
                    },
                );
            }
            index
        }
    };
    let lead = &lookup.agencies[task.lead];
    let slot = match (&raw.agency, lead.is_group()) {
        (None, false) => Some(0),
        (Some(a), false) => {
            ctx.err(
                file,
                a.span().start,
                Msg::AgencyOnOrdinaryTask {
                    task: task.id.clone(),
                },
            );
            None
        }
        (None, true) => {
            ctx.err(
                file,
                task_at,
                Msg::AgencyRequired {
                    task: task.id.clone(),
                    group: lead.code.clone(),
                    members: codes(lookup.agencies, &lead.members),
                },
            );
            None
        }
        (Some(a), true) => {
            let member = match lookup.agency_index.get(a.get_ref()) {
                Some(Known::Valid(id)) => lead.members.iter().position(|m| m == id),
                _ => None,
            };
            if member.is_none() {
                ctx.err(
                    file,
                    a.span().start,
                    Msg::NotAMember {
                        agency: a.get_ref().clone(),
                        group: lead.code.clone(),
                        members: codes(lookup.agencies, &lead.members),
                    },
                );
            }
            member
        }
    };
    let width = lead.members.len().max(1);
    let occ = task.occurrences.start + period? * width + slot?;
    (occ < task.occurrences.end).then_some(occ)
}

/// "2021, 2022, …" or "2021-01, …, 2025-12".
pub fn periods_list(due: &Due) -> String {
    let n = due.period_count();
    if n <= 6 {
        due.periods()
            .map(|(l, _)| l.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        format!("{}, …, {}", due.period(0).0, due.period(n - 1).0)
    }
}

fn codes(agencies: &[Agency], ids: &[AgencyId]) -> String {
    ids.iter()
        .map(|&i| agencies[i].code.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks one measurement (§8).
fn check_measure(
    ctx: &mut Ctx,
    file: FileId,
    raw: &mut RawMeasure,
    lookup: &Lookup<'_>,
) -> Option<Measure> {
    let indicator = raw.indicator.as_ref().and_then(|i| {
        known(
            ctx,
            file,
            i,
            lookup.indicator_index,
            lookup.unreadable.indicators,
            |id, suggestion| Msg::UnknownIndicatorInMeasure { id, suggestion },
        )
    });
    let year = raw.year.as_ref().and_then(|y| {
        let v = *y.get_ref();
        let h = lookup.head?;
        if v < i64::from(h.first_year) || v > i64::from(h.last_year) {
            ctx.err(
                file,
                y.span().start,
                Msg::YearOutsidePeriod {
                    year: v,
                    first: h.first_year,
                    last: h.last_year,
                },
            );
            return None;
        }
        Some(v as i32)
    });
    let date = raw.date.as_ref().and_then(|d| ctx.date(file, "date", d));
    if let (Some(d), Some(h), Some(at)) =
        (date, lookup.head, raw.date.as_ref().map(|d| d.span().start))
        && d < h.issued
    {
        ctx.err(
            file,
            at,
            Msg::DatedBeforeIssue {
                date: crate::labels::date(d),
                issued: crate::labels::date(h.issued),
            },
        );
    }
    let value = raw.value.as_ref().and_then(|v| {
        if v.get_ref().is_finite() {
            Some(*v.get_ref())
        } else {
            ctx.err(
                file,
                v.span().start,
                Msg::NotFinite {
                    key: "value".into(),
                },
            );
            None
        }
    });
    Some(Measure {
        indicator: indicator?,
        year: year?,
        value: value?,
        date: date?,
        by: raw.by.take(),
        evidence: raw.evidence.take(),
        note: raw.note.take(),
        file,
    })
}

/// Groups updates by occurrence once (a counting sort, linear), then sorts
/// each occurrence's few updates by date; the sort is stable, so same-date
/// updates keep load order (§6.1).
pub fn group_updates(updates: &[Update], occurrences: &mut [Occurrence]) -> Vec<u32> {
    // The occurrences in a few stretches (four per core), each
    // grouped on its own core: the updates are first put by stretch, in
    // load order (two quick passes), so a core reads only its own
    // updates and touches only its own part of the occurrences. Within a
    // stretch, `first_update` counts each occurrence's updates, then
    // serves as its cursor while they are placed, ending where the next
    // one starts; a shift by one then makes it the start.
    let n = occurrences.len();
    let stretches = (4 * rayon::current_num_threads())
        .min(n.div_ceil(16_384))
        .max(1);
    let size = n.div_ceil(stretches).max(1);
    let mut starts = vec![0u32; n.div_ceil(size) + 1];
    for u in updates {
        if let Some(count) = starts.get_mut(u.occurrence() / size + 1) {
            *count += 1;
        }
    }
    for s in 1..starts.len() {
        starts[s] += starts[s - 1];
    }
    let total = starts.last().map_or(0, |&t| t as usize);
    let mut by_stretch = vec![0u32; total];
    let mut cursor = starts.clone();
    for (i, u) in updates.iter().enumerate() {
        if let Some(at) = cursor.get_mut(u.occurrence() / size) {
            if let Some(slot) = by_stretch.get_mut(*at as usize) {
                *slot = narrow(i);
            }
            *at += 1;
        }
    }
    let mut order = vec![0u32; total];
    let mut parts = Vec::with_capacity(starts.len());
    let (mut from, mut to) = (&by_stretch[..], &mut order[..]);
    for w in starts.windows(2) {
        let len = (w[1] - w[0]) as usize;
        let (mine, rest) = from.split_at(len);
        let (part, after) = std::mem::take(&mut to).split_at_mut(len);
        parts.push((mine, part, w[0]));
        (from, to) = (rest, after);
    }
    occurrences
        .par_chunks_mut(size)
        .zip(parts)
        .enumerate()
        .for_each(|(j, (occs, (mine, part, base)))| {
            let low = j * size;
            let local = |i: u32| updates[i as usize].occurrence() - low;
            for occ in occs.iter_mut() {
                occ.first_update = 0;
            }
            for &i in mine {
                if let Some(occ) = occs.get_mut(local(i)) {
                    occ.first_update += 1;
                }
            }
            let mut at = 0u32;
            for occ in occs.iter_mut() {
                let n = occ.first_update;
                occ.first_update = at;
                at += n;
            }
            for &i in mine {
                if let Some(occ) = occs.get_mut(local(i)) {
                    if let Some(slot) = part.get_mut(occ.first_update as usize) {
                        *slot = i;
                    }
                    occ.first_update += 1;
                }
            }
            for o in (1..occs.len()).rev() {
                occs[o].first_update = occs[o - 1].first_update;
            }
            if let Some(first) = occs.first_mut() {
                first.first_update = 0;
            }
            for o in 0..occs.len() {
                let history = crate::model::history(occs, part, o);
                if history.len() > 1 {
                    let (a, b) = (occs[o].first_update as usize, history.len());
                    part[a..a + b].sort_by_key(|&i| updates[i as usize].date);
                }
            }
            for occ in occs.iter_mut() {
                occ.first_update += base;
            }
        });
    order
}

/// §5: each extension must move the deadline later than the one in force
/// just before it (§6.2 over the updates that precede it in §6.1 order).
/// Returns the offending updates with the deadline then in force.
pub fn extension_problems(
    history: &[u32],
    updates: &[Update],
    d0: Option<NaiveDate>,
) -> Vec<(usize, NaiveDate)> {
    // Without `d0` (a task done on request), the first `new_due` is the
    // request's deadline, later than nothing.
    let mut in_force = d0;
    let mut bad = Vec::new();
    for &i in history {
        let i = i as usize;
        if let Some(nd) = updates[i].new_due {
            if let Some(d) = in_force.filter(|&d| nd <= d) {
                bad.push((i, d));
            }
            in_force = Some(nd);
        }
    }
    bad
}

/// The indexes and lookup of a valid plan, for checking one new item.
struct PlanIndex {
    tasks: FastMap<String, Known<TaskId>>,
    agencies: FastMap<String, Known<AgencyId>>,
    indicators: FastMap<String, Known<usize>>,
}

impl PlanIndex {
    fn of(plan: &Plan) -> PlanIndex {
        PlanIndex {
            tasks: plan
                .tasks
                .iter()
                .enumerate()
                .map(|(i, t)| (t.id.clone(), Known::Valid(i)))
                .collect(),
            agencies: plan
                .agencies
                .iter()
                .enumerate()
                .map(|(i, a)| (a.code.clone(), Known::Valid(i)))
                .collect(),
            indicators: plan
                .indicators
                .iter()
                .enumerate()
                .map(|(i, x)| (x.id.clone(), Known::Valid(i)))
                .collect(),
        }
    }

    fn lookup<'a>(&'a self, plan: &'a Plan) -> Lookup<'a> {
        Lookup {
            tasks: &plan.tasks,
            task_index: &self.tasks,
            agencies: &plan.agencies,
            agency_index: &self.agencies,
            indicator_index: &self.indicators,
            head: Some(Head {
                issued: plan.issued,
                first_year: plan.first_year,
                last_year: plan.last_year,
            }),
            unreadable: Unreadable::default(),
        }
    }
}

fn outcome<T>(ctx: Ctx, value: Option<T>) -> Result<T, Vec<Msg>> {
    let errors: Vec<Msg> = ctx
        .diags
        .into_iter()
        .filter(|d| !d.warning)
        .map(|d| d.msg)
        .collect();
    match value {
        Some(v) if errors.is_empty() => Ok(v),
        _ => Err(errors),
    }
}

/// Checks an update a writer is about to append against a valid plan, with
/// exactly the checks `check` applies, the §5 extension rule included
/// (against the occurrence's history with the new update in its place).
pub fn check_new_update(plan: &Plan, raw: &RawUpdate) -> Result<(Update, UpdateText), Vec<Msg>> {
    let index = PlanIndex::of(plan);
    let lookup = index.lookup(plan);
    let mut ctx = Ctx::default();
    let mut raw = raw.clone();
    let checked = check_update(&mut ctx, 0, &mut raw, &lookup);
    let (update, text) = outcome(ctx, checked.map(|(u, t, _)| (u, t.unwrap_or_default())))?;
    // The new update takes its place among the occurrence's updates (by
    // date, after those of the same date): neither it nor a later extension
    // may then break the rule.
    if update.new_due.is_some() {
        let d0 = plan.occurrences[update.occurrence()].deadline;
        let mut updates: Vec<Update> = plan
            .history(update.occurrence())
            .iter()
            .map(|&i| plan.updates[i as usize].clone())
            .collect();
        let before: Vec<usize> = extension_problems(
            &(0..narrow(updates.len())).collect::<Vec<_>>(),
            &updates,
            d0,
        )
        .into_iter()
        .map(|(i, _)| i)
        .collect();
        updates.push(update.clone());
        let mut history: Vec<u32> = (0..narrow(updates.len())).collect();
        history.sort_by_key(|&i| updates[i as usize].date);
        let after = extension_problems(&history, &updates, d0);
        if let Some(&(i, in_force)) = after.iter().find(|(i, _)| !before.contains(i)) {
            return Err(vec![Msg::ExtensionNotLater {
                new_due: updates[i]
                    .new_due
                    .map(crate::labels::date)
                    .unwrap_or_default(),
                in_force: crate::labels::date(in_force),
            }]);
        }
    }
    Ok((update, text))
}

/// Checks a measurement a writer is about to append against a valid plan.
pub fn check_new_measure(plan: &Plan, raw: &RawMeasure) -> Result<Measure, Vec<Msg>> {
    let index = PlanIndex::of(plan);
    let lookup = index.lookup(plan);
    let mut ctx = Ctx::default();
    let mut raw = raw.clone();
    let checked = check_measure(&mut ctx, 0, &mut raw, &lookup);
    outcome(ctx, checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn cached_results_read_without_text_are_the_same_but_the_text() {
        let mut p = Progress {
            updates: vec![up("2024-01-02", None), up("2024-03-04", Some("2024-12-31"))],
            extensions: vec![(1, 120)],
            ..Progress::default()
        };
        p.texts.push(
            1,
            &UpdateText {
                note: Some("ghi chú".into()),
                ..UpdateText::default()
            },
        );
        let bytes = postcard::to_allocvec(&p).unwrap();
        let lean: Progress = postcard::from_bytes::<ProgressWithoutText>(&bytes)
            .unwrap()
            .into();
        assert_eq!(format!("{:?}", lean.updates), format!("{:?}", p.updates));
        assert_eq!(lean.extensions, p.extensions);
        assert!(lean.texts.is_empty());
        let whole: Progress = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(whole.texts.get(1).note(), Some("ghi chú"));
    }

    fn up(date: &str, new_due: Option<&str>) -> Update {
        Update {
            occurrence: 0,
            date: d(date),
            status: Status::InProgress,
            percent: None,
            new_due: new_due.map(d),
            file: 0,
        }
    }

    /// Every occurrence's updates, by date then load order, whatever
    /// the number of occurrences (one stretch or many) and of updates.
    #[test]
    fn updates_are_grouped_by_occurrence_then_date_then_load_order() {
        let mut seed = 7u64;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for (occurrences, updates) in [(0, 0), (1, 0), (1, 5), (3, 40), (100_000, 250_000)] {
            let mut occs: Vec<Occurrence> = (0..occurrences)
                .map(|_| Occurrence {
                    task: 0,
                    packed_label: PackedLabel::from(Label {
                        year: 2024,
                        part: Part::Year,
                    }),
                    deadline: None,
                    lead: 0,
                    first_update: 99,
                })
                .collect();
            let ups: Vec<Update> = (0..updates)
                .map(|_| Update {
                    occurrence: next(occurrences as u64) as u32,
                    // Few dates: many ties, kept in load order.
                    date: d("2024-01-01") + chrono::Days::new(next(5)),
                    ..up("2024-01-01", None)
                })
                .collect();
            let order = group_updates(&ups, &mut occs);
            let mut expected: Vec<u32> = (0..updates as u32).collect();
            expected.sort_by_key(|&i| (ups[i as usize].occurrence, ups[i as usize].date, i));
            assert_eq!(order, expected);
            for o in 0..occurrences {
                let history = crate::model::history(&occs, &order, o);
                assert!(history.iter().all(|&i| ups[i as usize].occurrence() == o));
            }
        }
    }

    #[test]
    fn extensions_must_move_the_deadline_later() {
        // (case, updates in order, original deadline, offending updates)
        let cases: Vec<(&str, Vec<Update>, &str, Vec<usize>)> = vec![
            (
                "later is fine",
                vec![up("2024-08-01", Some("2024-09-30"))],
                "2024-08-05",
                vec![],
            ),
            (
                "earlier is refused",
                vec![up("2024-08-01", Some("2024-07-01"))],
                "2024-08-05",
                vec![0],
            ),
            (
                "the same day is refused",
                vec![up("2024-08-01", Some("2024-08-05"))],
                "2024-08-05",
                vec![0],
            ),
            (
                "each against the one in force before it",
                vec![
                    up("2024-08-01", Some("2024-09-30")),
                    up("2024-09-01", Some("2024-09-15")),
                    up("2024-09-10", Some("2024-10-31")),
                ],
                "2024-08-05",
                vec![1],
            ),
            (
                "a chain of later extensions",
                vec![
                    up("2024-08-01", Some("2024-09-30")),
                    up("2024-09-20", Some("2024-10-31")),
                ],
                "2024-08-05",
                vec![],
            ),
        ];
        for (name, updates, d0, bad) in cases {
            let history: Vec<u32> = (0..updates.len() as u32).collect();
            let found: Vec<usize> = extension_problems(&history, &updates, Some(d(d0)))
                .into_iter()
                .map(|(i, _)| i)
                .collect();
            assert_eq!(found, bad, "{name}");
        }
        // A task done on request: the first request's deadline is later
        // than nothing; each after it is held to the one in force.
        let asked = [
            up("2024-03-01", Some("2024-04-15")),
            up("2024-04-01", Some("2024-04-10")),
        ];
        let found = extension_problems(&[0, 1], &asked, None);
        assert_eq!(found, vec![(1, d("2024-04-15"))]);
    }
}
