//! `agencies`: each agency with the tasks it leads and supports, its
//! group membership and its reorganisation.

use super::table::new_table;
use crate::labels::{date, labels};
use crate::model::{Lang, Plan, Task};
use comfy_table::Cell;

pub fn table(plan: &Plan, lang: Lang) -> String {
    let l = labels(lang);
    let mut t = new_table(
        [l.code, l.agency_col, l.leads, l.supports, l.reorganised]
            .map(String::from)
            .to_vec(),
    );
    for (a, agency) in plan.agencies.iter().enumerate() {
        let ids = |f: &dyn Fn(&Task) -> bool| -> String {
            let list: Vec<&str> = plan
                .tasks
                .iter()
                .filter(|t| f(t))
                .map(|t| t.id.as_str())
                .collect();
            if list.is_empty() {
                l.none.to_string()
            } else {
                crate::text::wrap(&format!("{}: {}", list.len(), list.join(", ")), 36)
            }
        };
        let groups: Vec<&str> = plan
            .agencies
            .iter()
            .filter(|g| g.members.contains(&a))
            .map(|g| g.code.as_str())
            .collect();
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
        let mut notes = Vec::new();
        if let (Some(until), Some(s)) = (agency.until, agency.successor) {
            notes.push(format!("{} {}", l.until, date(until)));
            notes.push(l.successor.to_string());
            notes.push(crate::text::wrap(&super::agency_label(plan, s, lang), 40));
        }
        let led_via_group = |t: &Task| plan.agencies[t.lead].members.contains(&a);
        t.add_row(vec![
            Cell::new(&agency.code),
            Cell::new(name),
            Cell::new(ids(&|t| t.lead == a || led_via_group(t))),
            Cell::new(ids(&|t| t.support.contains(&a))),
            Cell::new(notes.join("\n")),
        ]);
    }
    let mut out = super::heading(plan, lang).join("\n");
    out.push('\n');
    out.push_str(&t.to_string());
    out.push('\n');
    out
}
