//! `kehoach indicators`: targets and values per year (spec §8).

use super::{Env, resolve_agency, write_output};
use crate::cli::{IndicatorsArgs, TextFormat, YearSel};
use crate::discover::PlanDir;
use crate::messages::{Failure, Msg};
use crate::render::indicators::{self, IndicatorView};
use crate::report::indicator_rows;

pub fn run(dir: &PlanDir, args: &IndicatorsArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    // `--format`, else the one `--output`'s extension names.
    let format = args.format()?;
    // Values and targets only: no update's free text.
    let (plan, as_of) = super::open_with(dir, &args.as_of, env, crate::validate::Text::Skip)?;
    let agency = args
        .agency
        .as_deref()
        .map(|c| resolve_agency(&plan, c))
        .transpose()?;
    let years = match args.year {
        // §8: one row per indicator and plan year.
        Some(YearSel::All) | None => plan.years().collect(),
        Some(YearSel::Year(y)) if plan.years().contains(&y) => vec![y],
        Some(YearSel::Year(y)) => {
            return Err(Failure::usage(Msg::YearNotInPlan {
                year: y,
                first: plan.first_year,
                last: plan.last_year,
            })
            .into());
        }
    };
    let rows = indicator_rows(&plan, as_of, &years, agency);
    let view = IndicatorView {
        plan: &plan,
        rows: &rows,
        as_of,
        lang: env.lang,
    };
    let text = match format {
        // On a terminal, the table fits its width where it can.
        TextFormat::Table => {
            indicators::table(&view, env.out_width.filter(|_| args.output.is_none()))
        }
        TextFormat::Markdown => indicators::markdown(&view),
        TextFormat::Csv => indicators::csv(&view)?,
        TextFormat::Json => indicators::json(&view)?,
    };
    write_output(
        args.output.as_deref(),
        text.as_bytes(),
        format == TextFormat::Csv,
        env,
    )
}
