//! `kehoach plans`: the plans under ./plans/ at a glance.

use super::Env;
use crate::cli::AsOfArg;
use crate::labels::{labels, rate};
use crate::model::Lang;
use crate::render::table::new_table;
use crate::report::{Counts, all_years, compliance};
use crate::status::classify_all;
use comfy_table::{Cell, CellAlignment};

pub fn run(
    args: &AsOfArg,
    cli_lang: Option<crate::cli::LangArg>,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    let as_of = args.as_of.unwrap_or(env.today);
    let lang = match cli_lang {
        Some(crate::cli::LangArg::En) => Lang::En,
        _ => Lang::Vi,
    };
    let l = labels(lang);
    let dirs = crate::discover::plans_under(&env.cwd.join("plans"));
    if dirs.is_empty() {
        anyhow::bail!("no plan under ./plans/ (create one with `kehoach init plans/NAME`)");
    }
    let (dir_h, period_h, tasks_h, state_h) = match lang {
        Lang::Vi => ("Thư mục", "Giai đoạn", "Nhiệm vụ", "Tình trạng dữ liệu"),
        Lang::En => ("Directory", "Period", "Tasks", "Data"),
    };
    let mut t = new_table(
        [
            dir_h,
            "Số / No.",
            l.title,
            period_h,
            tasks_h,
            l.due,
            l.on_time_rate,
            l.completion_rate,
            state_h,
        ]
        .map(String::from)
        .to_vec(),
    );
    for dir in dirs {
        let shown = dir
            .strip_prefix(env.cwd)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| dir.display().to_string());
        let checked = crate::validate::load_plan(&dir, &shown);
        match &checked.plan {
            Some(plan) => {
                let classified = classify_all(plan, as_of);
                let report = compliance(plan, &classified, as_of, &all_years(plan), None, false);
                let mut total = Counts::default();
                for (_, c) in &report.totals {
                    total.merge(c);
                }
                t.add_row(vec![
                    Cell::new(&shown),
                    Cell::new(&plan.id),
                    Cell::new(crate::text::wrap(plan.plan_title(lang), 40)),
                    Cell::new(format!("{}–{}", plan.first_year, plan.last_year)),
                    Cell::new(plan.tasks.len()).set_alignment(CellAlignment::Right),
                    Cell::new(total.due()).set_alignment(CellAlignment::Right),
                    Cell::new(rate(total.on_time_rate(), lang)).set_alignment(CellAlignment::Right),
                    Cell::new(rate(total.completion_rate(), lang))
                        .set_alignment(CellAlignment::Right),
                    Cell::new(match lang {
                        Lang::Vi => "hợp lệ",
                        Lang::En => "valid",
                    }),
                ]);
            }
            None => {
                let id = crate::discover::plan_id(&dir).unwrap_or_default();
                t.add_row(vec![
                    Cell::new(&shown),
                    Cell::new(id),
                    Cell::new(""),
                    Cell::new(""),
                    Cell::new(""),
                    Cell::new(""),
                    Cell::new(""),
                    Cell::new(""),
                    Cell::new(match lang {
                        Lang::Vi => format!("{} lỗi (kehoach check)", checked.errors()),
                        Lang::En => format!("{} errors (kehoach check)", checked.errors()),
                    }),
                ]);
            }
        }
    }
    writeln!(env.out, "{} {}", l.as_of, crate::labels::date(as_of))?;
    writeln!(env.out, "{t}")?;
    Ok(())
}
