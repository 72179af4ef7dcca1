//! `kehoach due`: the officer's morning view — what is overdue and what
//! falls due within N days, under the agency responsible now.

use super::{Env, select_agencies};
use crate::cli::{DueArgs, DueFormat};
use crate::discover::PlanDir;
use crate::render::due;
use crate::report::due_found;

pub fn run(dir: &PlanDir, args: &DueArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    // `--format`, else the one `--output`'s extension names.
    let format = args.format()?;
    if format == DueFormat::Xlsx {
        super::not_on_terminal("xlsx", args.output.as_deref(), env)?;
    }
    env.keep_freed();
    let (plan, as_of) = super::open_with(dir, &args.as_of, env, crate::validate::Text::Skip)?;
    let only = (!args.agency.is_empty())
        .then(|| select_agencies(&plan, &args.agency))
        .transpose()?;
    let mut found = due_found(&plan, as_of, args.within, only.as_deref());
    // The whole list's counts, said at its top also when `--limit` cuts it.
    let counts = found.kinds();
    let table = format == DueFormat::Table;
    if let Some(n) = super::listing_limit(args.all, args.limit, table, args.output.as_deref(), env)
    {
        found.truncate(n);
    }
    let (lang, within) = (env.lang, args.within);
    // A file gets no colour codes.
    let color = env.color_out && args.output.is_none();
    let output = args.output.as_deref();
    // On a terminal, the tables fit its width where they can.
    let fit = env.out_width.filter(|_| output.is_none());
    let r = match format {
        DueFormat::Xlsx => {
            crate::render::xlsx::due_list(&plan, &found, counts, as_of, within, lang)
                .and_then(|bytes| super::write_output(output, &bytes, false, env))
        }
        _ => super::write_output_by(output, format == DueFormat::Csv, env, |out| match format {
            DueFormat::Csv => due::csv(&plan, &found, as_of, lang, out),
            DueFormat::Json => due::json(&plan, &found, counts, as_of, within, out),
            _ => due::list(
                &plan,
                &found,
                counts,
                as_of,
                within,
                lang,
                color,
                out,
                due::Sizes::NATIONAL,
                fit,
            ),
        }),
    };
    env.release((plan, found));
    r
}
