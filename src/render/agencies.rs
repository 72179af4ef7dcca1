//! `agencies`: each agency with the tasks it leads and supports, its
//! group membership and its reorganisation.

use super::table::new_table;
use crate::labels::{date, labels};
use crate::model::{Lang, Plan};
use comfy_table::Cell;

/// The agencies' table; on a terminal `fit` columns wide, fitted to it.
pub fn table(plan: &Plan, lang: Lang, fit: Option<usize>) -> String {
    let l = labels(lang);
    let mut t = new_table(
        [l.code, l.agency_col, l.leads, l.supports, l.reorganised]
            .map(String::from)
            .to_vec(),
    );
    // Each agency's tasks and groups, found in one pass over the tasks and
    // one over the groups (a national plan has 100,000 tasks and 1,000
    // agencies: asking each agency of each task took seconds).
    let n = plan.agencies.len();
    let (mut leads, mut supports) = (vec![Vec::new(); n], vec![Vec::new(); n]);
    let mut groups: Vec<Vec<&str>> = vec![Vec::new(); n];
    for (g, group) in plan.agencies.iter().enumerate() {
        for &m in &group.members {
            if let Some(list) = groups.get_mut(m)
                && list.last() != Some(&plan.agencies[g].code.as_str())
            {
                list.push(plan.agencies[g].code.as_str());
            }
        }
    }
    for task in &plan.tasks {
        // The lead, or a group's members (in the group's order, each once).
        let mut led: Vec<usize> = vec![task.lead];
        led.extend(plan.agencies[task.lead].members.iter().copied());
        led.sort_unstable();
        led.dedup();
        for a in led {
            leads[a].push(task.id.as_str());
        }
        let mut helped = task.support.clone();
        helped.sort_unstable();
        helped.dedup();
        for a in helped {
            supports[a].push(task.id.as_str());
        }
    }
    let ids = |list: &[&str]| -> String {
        if list.is_empty() {
            l.none.to_string()
        } else {
            crate::text::wrap(&format!("{}: {}", list.len(), list.join(", ")), 36)
        }
    };
    let took_over = super::took_over(plan);
    let split_away = super::split_away(plan);
    for (a, agency) in plan.agencies.iter().enumerate() {
        let groups = &groups[a];
        let mut name = crate::text::wrap(plan.agency_name(a, lang), 40);
        if agency.is_group() {
            let members: Vec<&str> = agency
                .members
                .iter()
                .map(|&m| plan.agencies[m].code.as_str())
                .collect();
            name.push_str(&format!(
                "\n{}: {}",
                l.members,
                crate::text::wrap(&members.join(", "), 40)
            ));
        }
        if !groups.is_empty() {
            name.push_str(&format!("\n({} {})", l.member_of, groups.join(", ")));
        }
        // What it took over, then when it ceased and who took over from it.
        let mut notes: Vec<String> = took_over
            .get(a)
            .into_iter()
            .flatten()
            .map(|(day, codes)| {
                let who = format!("{} {}", l.took_over, codes.join(", "));
                format!(
                    "{}\n{}",
                    crate::text::wrap(&who, 40),
                    super::from_day(*day, lang)
                )
            })
            .collect();
        if let (Some(until), Some(s)) = (agency.until, agency.successor) {
            notes.push(format!("{} {}", l.until, date(until)));
            notes.push(l.successor.to_string());
            notes.push(crate::text::wrap(&super::agency_label(plan, s, lang), 40));
            for (to, ids) in &split_away[a] {
                let line = format!("{} {}: {}", l.task, ids.join(", "), plan.agencies[*to].code);
                notes.push(crate::text::wrap(&line, 40));
            }
        }
        t.add_row(vec![
            Cell::new(&agency.code),
            Cell::new(name),
            Cell::new(ids(&leads[a])),
            Cell::new(ids(&supports[a])),
            Cell::new(notes.join("\n")),
        ]);
    }
    let mut out = super::heading_as(plan, lang, l.agencies_of_plan, l.plan_no).join("\n");
    out.push('\n');
    out.push_str(&super::table::fitted(&mut t, fit));
    out.push('\n');
    out
}
