//! `kehoach measure`: append one measurement through the same safe write
//! path as `record`.

use super::Env;
use crate::cli::MeasureArgs;
use crate::discover::PlanDir;
use crate::labels::{date, labels, state_name, with_unit};
use crate::load::{FileKind, RawFile, parse_text};
use crate::messages::{Failure, Msg};
use crate::report::indicator_rows;
use crate::validate::check_new_measure;
use std::sync::Arc;

pub fn run(dir: &PlanDir, args: &MeasureArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    // Held from the read to the write, as in `record`.
    let lock = super::lock_plan(dir, env)?;
    let mut plan = Arc::unwrap_or_clone(super::load(dir, env, Some(super::WARNINGS_SHOWN))?);
    let lang = env.lang;
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
        return Err(Failure::refused(Msg::NoSuchIndicator {
            id: args.indicator.clone(),
            plan: plan.id.clone(),
            known: if known.is_empty() {
                "—".to_string()
            } else {
                known.join(", ")
            },
        })
        .into());
    };
    let day = args.date.unwrap_or(env.today);
    if day > env.today {
        return Err(Failure::refused(Msg::DateAfterToday {
            date: date(day),
            today: date(env.today),
        })
        .into());
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
        match parse_text(&block, FileKind::Progress, 0, &mut diags) {
            Some(RawFile::Progress(mut p)) if diags.is_empty() && p.measure.len() == 1 => {
                p.measure.pop()
            }
            _ => None,
        }
        .ok_or_else(|| Failure::refused(Msg::DidNotReadBack))?
    };
    let m =
        check_new_measure(&plan, &raw).map_err(|problems| Failure::refused(Msg::all(problems)))?;
    let l = labels(lang);
    let what = format!(
        "{id} / {}: {}",
        args.year,
        with_unit(args.value, &plan.indicators[i].unit, lang)
    );
    // The same figure recorded twice (see `record`): not written again.
    let on_record = plan.indicators[i]
        .measures
        .iter()
        .filter_map(|&k| plan.measures.get(k))
        .find(|o| o.says_the_same(&m));
    if let Some(o) = on_record {
        let shown = plan.files.get(o.file).map_or("", |f| f.shown.as_str());
        writeln!(
            env.out,
            "{} {shown}: {what}, {} {} ({})",
            l.already_recorded,
            l.on_date,
            date(day),
            l.not_measured_again
        )?;
        return Ok(());
    }
    let rel = format!(
        "progress/{}/{}.toml",
        plan.agencies[plan.indicators[i].lead].code, args.year
    );
    crate::write::append_progress(&lock, &dir.path, &rel, &block, crate::write::Adds::Measure)?;
    let shown = crate::load::join_shown(&dir.shown, &rel);
    let index = plan.measures.len();
    plan.measures.push(m);
    let list = &mut plan.indicators[i].measures;
    list.push(index);
    list.sort_by_key(|&k| plan.measures[k].date);
    let row = indicator_rows(&plan, env.today, &[args.year], None)
        .into_iter()
        .find(|r| r.indicator == i);
    writeln!(
        env.out,
        "{} {shown}: {what}, {} {}",
        l.recorded_in,
        l.on_date,
        date(day)
    )?;
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
