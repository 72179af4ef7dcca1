//! `tasks`: classified occurrences as a terminal table, CSV or JSON.
//! Written row by row to the output, so a national plan's hundreds of
//! thousands of lines never sit in memory as one table.

use super::csv::safe;
use super::grid::{Measured, Memo, Table};
use super::{agency_label, deadline_text, last_update_text};
use crate::labels::{labels, period, state_of};
use crate::model::Status;
use crate::model::{Lang, Plan};
use crate::status::Classified;
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;

/// Rows per terminal table: a table is drawn after measuring all its rows,
/// so long lists are drawn in blocks of this many.
const BLOCK: usize = 2000;

pub fn table(
    plan: &Plan,
    chosen: &[&Classified],
    lang: Lang,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let l = labels(lang);
    if chosen.is_empty() {
        writeln!(out, "{}", l.no_match)?;
        return Ok(());
    }
    // A national listing repeats a few thousand titles, agencies, periods,
    // deadlines and states over hundreds of thousands of rows: each is
    // wrapped and measured once, so drawing a row is copying bytes.
    let mut listed = vec![false; plan.tasks.len()];
    let mut leads = Memo::default();
    let mut periods = Memo::default();
    let mut deadlines = Memo::default();
    let mut states = Memo::default();
    let mut updates = Memo::default();
    for c in chosen {
        let occ = &plan.occurrences[c.occurrence()];
        if let Some(seen) = listed.get_mut(occ.task()) {
            *seen = true;
        }
        leads.fill((c.agency(), occ.lead()), || {
            let mut lead = crate::text::wrap(&agency_label(plan, c.agency(), lang), 24);
            if occ.lead() != c.agency() {
                // Reorganised: the agency it was assigned to.
                lead.push('\n');
                lead.push_str(&format!(
                    "({} {})",
                    l.assigned_to,
                    plan.agencies[occ.lead()].code
                ));
            }
            lead
        });
        periods.fill(occ.label(), || {
            crate::text::wrap(&period(occ.label(), lang), 12)
        });
        deadlines.fill((c.eval.deadline, occ.deadline), || {
            deadline_text(plan, c, lang)
        });
        states.fill((c.eval.class, c.eval.status), || {
            crate::text::wrap(&state_of(c.eval.class, c.eval.status, lang), 18)
        });
        updates.fill(update_key(plan, c), || {
            crate::text::wrap(&last_update_text(plan, c, lang), 20)
        });
    }
    let titles: Vec<Measured> = listed
        .par_iter()
        .enumerate()
        .map(|(task, &seen)| {
            if seen {
                Measured::new(crate::text::wrap(plan.task_title(task, lang), 40))
            } else {
                Measured::default()
            }
        })
        .collect();
    let header: Vec<Measured> = occurrence_headers(lang)
        .into_iter()
        .map(Measured::new)
        .collect();
    // Blocks are drawn on all cores, a few at a time, and written in order.
    let blocks: Vec<&[&Classified]> = chosen.chunks(BLOCK).collect();
    super::grid::draw_in_order(
        &blocks,
        || Table::new(&header, &[]),
        |&block: &&[&Classified], t, bytes: &mut Vec<u8>| {
            for c in block {
                let occ = &plan.occurrences[c.occurrence()];
                t.text(plan.tasks[occ.task()].id.as_str());
                t.measured(periods.get(&occ.label()));
                t.measured(&titles[occ.task()]);
                t.measured(leads.get(&(c.agency(), occ.lead())));
                t.measured(deadlines.get(&(c.eval.deadline, occ.deadline)));
                t.measured(states.get(&(c.eval.class, c.eval.status)));
                t.measured(updates.get(&update_key(plan, c)));
            }
            t.draw(bytes);
            bytes.push(b'\n');
        },
        out,
    )?;
    writeln!(
        out,
        "{} {}",
        crate::labels::count(chosen.len() as u64, lang),
        l.occurrence_count
    )?;
    Ok(())
}

/// What the last-update column says depends on these alone.
fn update_key(plan: &Plan, c: &Classified) -> Option<(chrono::NaiveDate, Status, Option<u8>)> {
    c.eval.last.map(|i| {
        let u = plan.update(i);
        (u.date, u.status, u.percent)
    })
}

pub fn csv(
    plan: &Plan,
    chosen: &[&Classified],
    lang: Lang,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let l = labels(lang);
    let mut w = ::csv::WriterBuilder::new().flexible(true).from_writer(out);
    w.write_record([
        l.task,
        l.period,
        l.year,
        l.group,
        l.title,
        l.code,
        l.lead,
        l.support,
        l.deadline,
        l.original_deadline,
        l.status,
        l.completed_col,
        l.last_update,
        l.evidence,
        l.note,
    ])?;
    for c in chosen {
        let occ = &plan.occurrences[c.occurrence()];
        let task = &plan.tasks[occ.task()];
        let last = c.eval.last.map(|i| plan.text(i));
        let iso = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        w.write_record([
            safe(&task.id).as_ref(),
            &occ.label().to_string(),
            &occ.year().to_string(),
            safe(&plan.groups[task.group].id).as_ref(),
            safe(plan.task_title(occ.task(), lang)).as_ref(),
            safe(&plan.agencies[c.agency()].code).as_ref(),
            safe(plan.agency_name(c.agency(), lang)).as_ref(),
            safe(&super::support_names(plan, c, lang)).as_ref(),
            &iso(c.eval.deadline),
            &iso(occ.deadline),
            &state_of(c.eval.class, c.eval.status, lang),
            &iso(c.eval.completed),
            safe(&last_update_text(plan, c, lang)).as_ref(),
            safe(last.and_then(|u| u.evidence()).unwrap_or("")).as_ref(),
            safe(last.and_then(|u| u.note()).unwrap_or("")).as_ref(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct JsonOcc<'a> {
    task: &'a str,
    period: String,
    year: i32,
    group: &'a str,
    title: &'a str,
    lead: &'a str,
    /// The member a group task's occurrence belongs to (§11).
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_to: Option<&'a str>,
    deadline: Option<String>,
    original_deadline: Option<String>,
    /// The class (§6.4), or "ongoing" (§12).
    status: &'static str,
    /// The reported status (§5) as of the date.
    progress: &'static str,
    not_reported: bool,
    completed: Option<String>,
    last_update: Option<JsonUpdate<'a>>,
}

#[derive(Serialize)]
struct JsonUpdate<'a> {
    date: String,
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
    chosen: &[&Classified],
    as_of: chrono::NaiveDate,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    write!(
        out,
        "{{\n  \"plan\": {},\n  \"as_of\": \"{as_of}\",\n  \"occurrences\": [",
        serde_json::to_string(&plan.id)?
    )?;
    for (i, c) in chosen.iter().enumerate() {
        let occ = &plan.occurrences[c.occurrence()];
        let task = &plan.tasks[occ.task()];
        let item = JsonOcc {
            task: &task.id,
            period: occ.label().to_string(),
            year: occ.year(),
            group: &plan.groups[task.group].id,
            title: &task.title,
            lead: &plan.agencies[c.agency()].code,
            assigned_to: plan.agencies[task.lead]
                .is_group()
                .then(|| plan.agencies[occ.lead()].code.as_str()),
            deadline: c.eval.deadline.map(|d| d.to_string()),
            original_deadline: occ.deadline.map(|d| d.to_string()),
            status: c.eval.class.key(),
            progress: c.eval.status.as_str(),
            not_reported: c.eval.not_reported(),
            completed: c.eval.completed.map(|d| d.to_string()),
            last_update: c.eval.last.map(|i| {
                let (u, t) = (plan.update(i), plan.text(i));
                JsonUpdate {
                    date: u.date.to_string(),
                    status: u.status.as_str(),
                    percent: u.percent,
                    by: t.by(),
                    evidence: t.evidence(),
                    note: t.note(),
                }
            }),
        };
        let text = serde_json::to_string_pretty(&item)?;
        let indented = text.replace('\n', "\n    ");
        write!(out, "{}\n    {indented}", if i == 0 { "" } else { "," })?;
    }
    writeln!(out, "{}]\n}}", if chosen.is_empty() { "" } else { "\n  " })?;
    Ok(())
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
