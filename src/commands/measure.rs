//! `kehoach measure`: append one measurement through the same safe write
//! path as `record`.

use super::{Env, lang_of};
use crate::cli::MeasureArgs;
use crate::discover::PlanDir;
use crate::labels::{date, number, state_name};
use crate::load::{FileKind, RawFile, parse_text};
use crate::model::Lang;
use crate::report::indicator_rows;
use crate::validate::check_new_measure;
use anyhow::{Context, bail};

pub fn run(
    dir: &PlanDir,
    args: &MeasureArgs,
    cli_lang: Option<crate::cli::LangArg>,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    let mut plan = super::load(dir, env)?;
    let lang = lang_of(cli_lang, &plan);
    let Some(i) = plan
        .indicators
        .iter()
        .position(|x| x.id == args.indicator)
        .or_else(|| {
            plan.indicators
                .iter()
                .position(|x| x.id.eq_ignore_ascii_case(&args.indicator))
        })
    else {
        let known: Vec<&str> = plan.indicators.iter().map(|x| x.id.as_str()).collect();
        bail!(
            "no indicator \"{}\" in plan {} (its indicators: {}); nothing was written",
            args.indicator,
            plan.id,
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        );
    };
    let day = args.date.unwrap_or(env.today);
    if day > env.today {
        bail!(
            "the date {} is after today ({}); record what has happened. Nothing was written",
            date(day),
            date(env.today)
        );
    }
    let id = plan.indicators[i].id.clone();
    let block = crate::write::measure_block(&crate::write::NewMeasure {
        indicator: &id,
        year: args.year,
        value: args.value,
        date: Some(day),
        by: args.by.as_deref(),
        evidence: args.evidence.as_deref(),
        note: args.note.as_deref(),
    });
    let raw = {
        let mut diags = Vec::new();
        match parse_text(&block, FileKind::Progress, &mut diags) {
            Some(RawFile::Progress(mut p)) if diags.is_empty() && p.measure.len() == 1 => p
                .measure
                .pop()
                .context("the measurement did not read back")?,
            _ => bail!("the measurement did not read back as TOML; nothing was written"),
        }
    };
    let m = check_new_measure(&plan, &raw)
        .map_err(|problems| anyhow::anyhow!("{}; nothing was written", problems.join("; ")))?;
    let rel = format!(
        "progress/{}/{}.toml",
        plan.agencies[plan.indicators[i].lead].code, args.year
    );
    crate::write::append_progress(&dir.path, &rel, &block, crate::write::Adds::Measure)?;
    let shown = crate::load::join_shown(&dir.shown, &rel);
    let index = plan.measures.len();
    plan.measures.push(m);
    let list = &mut plan.indicators[i].measures;
    list.push(index);
    list.sort_by_key(|&k| plan.measures[k].date);
    let row = indicator_rows(&plan, env.today, &[args.year], None)
        .into_iter()
        .find(|r| r.indicator == i);
    let unit = &plan.indicators[i].unit;
    let what = format!("{id} / {}: {} {unit}", args.year, number(args.value, lang));
    match lang {
        Lang::Vi => writeln!(env.out, "Đã ghi vào {shown}: {what}, ngày {}", date(day))?,
        Lang::En => writeln!(env.out, "Recorded in {shown}: {what}, on {}", date(day))?,
    }
    if let Some(r) = row {
        writeln!(
            env.out,
            "{id} / {}: {}",
            args.year,
            state_name(r.state, lang).to_lowercase()
        )?;
    }
    Ok(())
}
