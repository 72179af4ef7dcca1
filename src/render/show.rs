//! `show TASK`: one task, its agencies, every occurrence with its state,
//! and the full history of updates.

use super::agency_label;
use super::grid::width;
use crate::labels::{date, due_rule, labels, period, state_of, status_name};
use crate::model::{Lang, Plan, TaskId};
use crate::status::classify;
use std::fmt::Write as _;

pub fn task(plan: &Plan, t: TaskId, as_of: chrono::NaiveDate, lang: Lang) -> String {
    let l = labels(lang);
    let task = &plan.tasks[t];
    let mut s = String::new();
    let _ = writeln!(s, "{} {}: {}", l.task, task.id, plan.task_title(t, lang));
    let _ = writeln!(
        s,
        "{}: {} — {}",
        l.group,
        plan.groups[task.group].id,
        plan.group_title(task.group, lang)
    );
    let _ = writeln!(s, "{}: {}", l.lead, agency_label(plan, task.lead, lang));
    let leads = plan.leads_of(t);
    if plan.agencies[task.lead].is_group() {
        let names: Vec<String> = leads.iter().map(|a| agency_label(plan, *a, lang)).collect();
        let _ = writeln!(s, "{}: {}", l.members, names.join("; "));
    }
    if !task.support.is_empty() {
        let names: Vec<String> = task
            .support
            .iter()
            .map(|a| agency_label(plan, *a, lang))
            .collect();
        let _ = writeln!(s, "{}: {}", l.support, names.join("; "));
    }
    let _ = writeln!(s, "{}: {}", l.deadline, due_rule(&task.due, lang));
    if let Some(o) = &task.output {
        let _ = writeln!(s, "{}: {o}", l.output);
    }
    if let Some(n) = &task.note {
        let _ = writeln!(s, "{}: {n}", l.note);
    }
    let _ = writeln!(
        s,
        "\n{} ({} {}):",
        l.occurrences,
        l.figures_as_of.to_lowercase(),
        date(as_of)
    );
    // Each occurrence's line in columns — period, agency, deadline — each
    // as wide as its widest, so that the states line up below each other
    // (a group task's many members). An extended deadline, followed by
    // the original one, is let run past the deadlines' column.
    let several = leads.len() > 1 || plan.agencies[task.lead].is_group();
    let lines: Vec<[String; 5]> = task
        .occurrences
        .clone()
        .map(|o| {
            let occ = &plan.occurrences[o];
            let c = classify(plan, o, as_of);
            let code = if several {
                plan.agencies[occ.lead()].code.clone()
            } else {
                String::new()
            };
            let mut deadline = String::new();
            if let Some(d) = c.eval.deadline {
                let _ = write!(deadline, "{} {}", l.deadline.to_lowercase(), date(d));
            }
            let mut was = String::new();
            if let (Some(d), Some(d0)) = (c.eval.deadline, occ.deadline)
                && d != d0
            {
                let _ = write!(
                    was,
                    " ({} {})",
                    l.original_deadline.to_lowercase(),
                    date(d0)
                );
            }
            let mut state = state_of(c.eval.class, c.eval.status, lang);
            if let Some(done) = c.eval.completed {
                let _ = write!(state, " ({} {})", l.completed_on, date(done));
            }
            // Not asked for: there was nothing to report.
            if c.eval.not_reported() && c.eval.class != crate::status::Class::OnRequest {
                let _ = write!(state, " — {}", l.not_reported);
            }
            if crate::report::evidence_missing(plan, &c, as_of) {
                let _ = write!(state, " — {}", l.no_evidence);
            }
            if c.agency() != occ.lead() {
                let _ = write!(state, "  → {}", agency_label(plan, c.agency(), lang));
            }
            [period(occ.label(), lang), code, deadline, was, state]
        })
        .collect();
    let widest = |k: usize| lines.iter().map(|f| width(&f[k])).max().unwrap_or(0);
    let widths = [widest(0), widest(1), widest(2)];
    for (o, [period, code, deadline, was, state]) in task.occurrences.clone().zip(&lines) {
        let mut line = String::from("  ");
        for (k, (field, &w)) in [period, code, deadline]
            .into_iter()
            .zip(&widths)
            .enumerate()
        {
            if w == 0 {
                continue;
            }
            line.push_str(field);
            if k == 2 && !was.is_empty() {
                line.push_str(was);
            } else {
                let _ = write!(line, "{:1$}", "", w.saturating_sub(width(field)));
            }
            line.push_str("  ");
        }
        line.push_str(state);
        let _ = writeln!(s, "{line}");
        for &i in plan.history(o) {
            let (u, t) = (plan.update(i), plan.text(i));
            let mut entry = format!("      {}  {}", date(u.date), status_name(u.status, lang));
            if let Some(p) = u.percent {
                let _ = write!(entry, " {p}%");
            }
            if let Some(nd) = u.new_due {
                let to = crate::labels::new_due_words(&task.due, lang);
                let _ = write!(entry, "; {to} {}", date(nd));
                if let Some(dec) = t.decision() {
                    let _ = write!(entry, " {} {dec}", l.decision);
                }
            } else if let Some(dec) = t.decision() {
                let _ = write!(entry, " {} {dec}", l.decision);
            }
            if let Some(by) = t.by() {
                let _ = write!(entry, "; {}: {by}", l.by);
            }
            if let Some(e) = t.evidence() {
                let _ = write!(entry, "; {}: {e}", l.evidence);
            }
            if let Some(n) = t.note() {
                let _ = write!(entry, "; {}: {}", l.note, n.replace('\n', " "));
            }
            if u.date > as_of {
                let _ = write!(entry, "  [{}]", l.after_as_of);
            }
            let _ = writeln!(s, "{entry}");
        }
    }
    s
}
