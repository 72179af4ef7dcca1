//! `kehoach agencies`: each agency with the tasks it leads and supports,
//! and its reorganisation.

use super::{Env, lang_of};
use crate::discover::PlanDir;
use crate::labels::{date, labels};
use crate::model::Lang;
use crate::render::table::new_table;
use comfy_table::{Cell, CellAlignment};

pub fn run(
    dir: &PlanDir,
    cli_lang: Option<crate::cli::LangArg>,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    let plan = super::load(dir, env)?;
    let lang = lang_of(cli_lang, &plan);
    let l = labels(lang);
    let (led, supported, reorg) = match lang {
        Lang::Vi => ("Chủ trì", "Phối hợp", "Tổ chức lại"),
        Lang::En => ("Leads", "Supports", "Reorganised"),
    };
    let agency_heading = match lang {
        Lang::Vi => "Cơ quan",
        Lang::En => "Agency",
    };
    let mut t = new_table(
        [l.code, agency_heading, led, supported, reorg]
            .map(String::from)
            .to_vec(),
    );
    for (a, agency) in plan.agencies.iter().enumerate() {
        let ids = |f: &dyn Fn(&crate::model::Task) -> bool| -> String {
            let list: Vec<&str> = plan
                .tasks
                .iter()
                .filter(|t| f(t))
                .map(|t| t.id.as_str())
                .collect();
            if list.is_empty() {
                "—".to_string()
            } else {
                crate::text::wrap(&format!("{}: {}", list.len(), list.join(", ")), 36)
            }
        };
        let reorganised = match (agency.until, agency.successor) {
            (Some(until), Some(s)) => format!(
                "{} {} → {} {}",
                l.until,
                date(until),
                l.successor,
                plan.agencies[s].code
            ),
            _ => String::new(),
        };
        t.add_row(vec![
            Cell::new(&agency.code),
            Cell::new(crate::text::wrap(plan.agency_name(a, lang), 40)),
            Cell::new(ids(&|t| t.lead == a)).set_alignment(CellAlignment::Left),
            Cell::new(ids(&|t| t.support.contains(&a))),
            Cell::new(crate::text::wrap(&reorganised, 50)),
        ]);
    }
    writeln!(
        env.out,
        "{}",
        crate::render::heading(&plan, lang).join("\n")
    )?;
    writeln!(env.out, "{t}")?;
    Ok(())
}
