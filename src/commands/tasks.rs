//! `kehoach tasks`: occurrences with their class, filtered.

use super::{Env, select_agencies};
use crate::cli::{ListFormat, TasksArgs, YearSel};
use crate::discover::PlanDir;
use crate::messages::{Failure, Msg};
use crate::model::Plan;
use crate::render;
use crate::report::{Filter, select};

pub fn run(dir: &PlanDir, args: &TasksArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    // `--format`, else the one `--output`'s extension names.
    let format = args.format()?;
    // The table shows no update's text; CSV and JSON show the last one's.
    // `--without-evidence` reads every update's.
    let text = match format {
        ListFormat::Table if !args.without_evidence => crate::validate::Text::Skip,
        _ => crate::validate::Text::Keep,
    };
    env.keep_freed();
    let (plan, as_of) = super::open_with(dir, &args.as_of, env, text)?;
    let lang = env.lang;
    let filter = Filter {
        agencies: (!args.agency.is_empty())
            .then(|| select_agencies(&plan, &args.agency))
            .transpose()?,
        years: match args.year {
            Some(YearSel::Year(y)) => Some(vec![super::report::check_year(&plan, y)?]),
            _ => None,
        },
        group: args
            .group
            .as_deref()
            .map(|g| resolve_group(&plan, g))
            .transpose()?,
        classes: args.status.map(crate::cli::ClassArg::classes),
        search: args.search.as_deref().map(crate::text::fold),
        without_evidence: args.without_evidence,
    };
    let mut chosen = select(&plan, as_of, &filter);
    // What `--agency` leaves out because another agency took it over,
    // said under the table (a machine format lists what was asked).
    let taken = match format {
        ListFormat::Table => crate::report::taken_over(&plan, as_of, &filter),
        ListFormat::Csv | ListFormat::Json => Vec::new(),
    };
    // How many there are: a table cut by `--limit` says so.
    let total = chosen.len();
    let table = format == ListFormat::Table;
    if let Some(n) = super::listing_limit(args.all, args.limit, table, args.output.as_deref(), env)
    {
        chosen.truncate(n);
    }
    // On a terminal, the table fits its width where it can.
    let fit = env.out_width.filter(|_| args.output.is_none());
    // Row by row, to standard output or straight into the new file.
    let r = super::write_output_by(
        args.output.as_deref(),
        format == ListFormat::Csv,
        env,
        |out| match format {
            ListFormat::Table => {
                render::tasks::table(&plan, &chosen, total, as_of, lang, out, fit)?;
                if !taken.is_empty() {
                    let codes: Vec<String> = args
                        .agency
                        .iter()
                        .map(|a| a.trim().to_uppercase())
                        .collect();
                    let line = crate::labels::taken_over_tasks(&plan, &codes, &taken, lang);
                    writeln!(out, "{line}")?;
                }
                Ok(())
            }
            ListFormat::Csv => render::tasks::csv(&plan, &chosen, lang, out),
            ListFormat::Json => render::tasks::json(&plan, &chosen, as_of, out),
        },
    );
    env.release((plan, chosen));
    r
}

fn resolve_group(plan: &Plan, g: &str) -> Result<usize, Failure> {
    plan.groups.iter().position(|x| x.id == g).ok_or_else(|| {
        let known: Vec<&str> = plan.groups.iter().map(|g| g.id.as_str()).collect();
        Failure::usage(Msg::UnknownGroupArg {
            id: g.to_string(),
            known: known.join(", "),
        })
    })
}
