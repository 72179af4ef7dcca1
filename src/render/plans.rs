//! `plans`: the plans under ./plans/ at a glance.

use super::table::{new_table, num};
use crate::labels::{date, labels, rate};
use crate::model::Lang;
use crate::report::Counts;
use comfy_table::Cell;

/// One plan directory as `plans` shows it.
pub struct PlanLine {
    pub dir: String,
    pub id: String,
    /// Title, period, task count and totals of a valid plan; the error
    /// count of a broken one.
    pub state: Result<(String, String, usize, Counts), usize>,
    /// Progress files left out (`--set-aside`).
    pub set_aside: usize,
}

pub fn table(lines: &[PlanLine], as_of: chrono::NaiveDate, lang: Lang) -> String {
    let l = labels(lang);
    let mut t = new_table(
        [
            l.directory,
            l.number,
            l.plan_name,
            l.plan_period,
            l.tasks,
            l.assigned,
            l.due,
            l.on_time_rate,
            l.completion_rate,
            l.not_reported,
            l.data_check,
        ]
        .map(|s| crate::text::wrap(s, 14))
        .to_vec(),
    );
    for p in lines {
        match &p.state {
            Ok((title, period, tasks, total)) => t.add_row(vec![
                Cell::new(&p.dir),
                Cell::new(&p.id),
                Cell::new(crate::text::wrap(title, 32)),
                Cell::new(period),
                num(crate::labels::count(*tasks as u64, lang)),
                num(crate::labels::count(total.assigned, lang)),
                num(crate::labels::count(total.due(), lang)),
                num(rate(total.on_time_rate(), lang)),
                num(rate(total.completion_rate(), lang)),
                // Of the assigned, those nobody has reported on, as the
                // report counts them (§7): a plan's rates where nobody has
                // reported are not failures.
                num(crate::labels::count(total.not_reported, lang)),
                Cell::new(match p.set_aside {
                    0 => l.valid.to_string(),
                    n => crate::text::wrap(&format!("{n} {}", l.set_aside_files), 24),
                }),
            ]),
            Err(errors) => t.add_row(vec![
                Cell::new(&p.dir),
                Cell::new(&p.id),
                Cell::new(""),
                Cell::new(""),
                Cell::new(""),
                Cell::new(""),
                Cell::new(""),
                Cell::new(""),
                Cell::new(""),
                Cell::new(""),
                Cell::new(format!("{errors} {}", l.errors)),
            ]),
        };
    }
    format!("{} {}\n{t}\n", l.figures_as_of, date(as_of))
}
