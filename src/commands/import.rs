//! `kehoach import`: filled-in agency forms back into the plan (§13). Every
//! row of every file is checked first, as `record` checks an update; then
//! the new rows are appended through the same locked path as `record`, or
//! nothing is written at all.

use super::{Env, Reported};
use crate::cli::ImportArgs;
use crate::discover::PlanDir;
use crate::labels::{date, form_statuses, labels, status_name};
use crate::load::form::{Cell, Form, FormProblem, Row, Value, serial_date};
use crate::messages::{Msg, error_word};
use crate::model::{AgencyId, Label, Lang, OccId, Plan, Status, TaskId, Update, UpdateText};
use crate::render::form::{ID_SHEET, form_sheet};
use crate::status::classify;
use crate::validate::{check_new_update, extension_problems, group_updates};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One row that becomes an update.
struct Candidate {
    /// The form's agency, for the summary.
    agency: AgencyId,
    occurrence: OccId,
    /// Where the row is: file, sheet, and its cells by key.
    file: String,
    sheet: String,
    cells: BTreeMap<&'static str, String>,
    /// The update, as a block to append and as the model holds it.
    block: String,
    update: Update,
    text: UpdateText,
    /// `progress/<LEAD>/<YEAR>.toml`.
    rel: String,
}

/// What import says about each form's agency.
#[derive(Default)]
struct Tally {
    appended: usize,
    unchanged: usize,
    skipped: usize,
}

pub fn run(dir: &PlanDir, args: &ImportArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    // Held from the read to the write, as in `record`: a form imported
    // twice at once is written once. A dry run writes nothing.
    let lock = (!args.dry_run)
        .then(|| super::lock_plan(dir, env))
        .transpose()?;
    let mut plan = Arc::unwrap_or_clone(super::load(dir, env, Some(super::WARNINGS_SHOWN))?);
    let lang = env.lang;
    let sheets = [form_sheet(Lang::Vi), form_sheet(Lang::En)];
    let mut problems: Vec<(String, FormProblem)> = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut tally: BTreeMap<AgencyId, Tally> = BTreeMap::new();
    let (files, unnamed) = forms(&args.files, env.cwd);
    for given in unnamed {
        problems.push((
            given.clone(),
            FormProblem {
                sheet: String::new(),
                cell: String::new(),
                msg: Msg::FormsNoneIn { given },
            },
        ));
    }
    for file in &files {
        if let Some(name) = lock_file(file) {
            writeln!(env.err, "{}", Msg::FormLockSkipped { name }.text(lang))?;
            continue;
        }
        let shown = file.display().to_string();
        let form = match crate::load::form::read(&env.cwd.join(file), &sheets) {
            Ok(form) => form,
            Err(list) => {
                problems.extend(list.into_iter().map(|p| (shown.clone(), p)));
                continue;
            }
        };
        let identity = match identity(&plan, &form) {
            Ok(identity) => identity,
            Err(p) => {
                problems.push((shown.clone(), *p));
                continue;
            }
        };
        tally.entry(identity.agency).or_default().skipped += form.skipped;
        for row in &form.rows {
            match candidate(&plan, &form, &identity, row, args, env.today) {
                Ok(Some(c)) => candidates.push(Candidate {
                    file: shown.clone(),
                    ..c
                }),
                Ok(None) => tally.entry(identity.agency).or_default().unchanged += 1,
                Err(p) => problems.extend(p.into_iter().map(|p| (shown.clone(), p))),
            }
        }
    }
    // Rows already on record (or twice in this import) are not appended.
    let mut new: Vec<Candidate> = Vec::new();
    for c in candidates {
        let seen = plan.on_record(&c.update, c.text.as_ref()).is_some()
            || new.iter().any(|n| {
                n.occurrence == c.occurrence
                    && n.update
                        .says_the_same(n.text.as_ref(), &c.update, c.text.as_ref())
            });
        let t = tally.entry(c.agency).or_default();
        if seen {
            t.unchanged += 1;
        } else {
            t.appended += 1;
            new.push(c);
        }
    }
    if problems.is_empty() {
        problems.extend(extensions_together(&mut plan, &new));
    }
    if !problems.is_empty() {
        for (file, p) in &problems {
            let place = if p.sheet.is_empty() {
                file.clone()
            } else {
                format!("{file}:{}!{}", p.sheet, p.cell)
            };
            let word =
                crate::problem::paint(error_word(lang), crate::problem::red(), env.color_err);
            writeln!(env.err, "{place}: {word}: {}", p.msg.text(lang))?;
        }
        let summary = Msg::ImportRefused {
            errors: problems.len(),
        };
        writeln!(env.err, "{}", summary.text(lang))?;
        return Err(Reported.into());
    }
    if args.commit && !args.dry_run && !new.is_empty() {
        super::record::git_ready(&dir.path)?;
    }
    let l = labels(lang);
    let mut written: Vec<std::path::PathBuf> = Vec::new();
    if let Some(lock) = &lock {
        // One atomic append per target file, in the order of the rows.
        let mut by_file: Vec<(String, Vec<&Candidate>)> = Vec::new();
        for c in &new {
            match by_file.iter_mut().find(|(rel, _)| *rel == c.rel) {
                Some((_, list)) => list.push(c),
                None => by_file.push((c.rel.clone(), vec![c])),
            }
        }
        for (rel, list) in &by_file {
            let blocks: Vec<&str> = list.iter().map(|c| c.block.as_str()).collect();
            let path = crate::write::append_progress(
                lock,
                &dir.path,
                rel,
                &blocks.join("\n"),
                crate::write::Adds::Updates(list.len()),
            )?;
            written.push(path);
        }
        for c in &new {
            let u = &c.update;
            let shown = crate::load::join_shown(&dir.shown, &c.rel);
            writeln!(
                env.out,
                "{} {shown}: {} / {}: {}, {} {}",
                l.recorded_in,
                plan.tasks[plan.occurrences[u.occurrence()].task()].id,
                plan.occurrences[u.occurrence()].label(),
                status_name(u.status, lang),
                l.on_date,
                date(u.date)
            )?;
        }
    } else {
        for c in &new {
            let shown = crate::load::join_shown(&dir.shown, &c.rel);
            writeln!(env.out, "# {shown}\n{}", c.block)?;
        }
    }
    for (agency, t) in &tally {
        writeln!(
            env.out,
            "{}: {} {}, {} {}, {} {}",
            plan.agencies[*agency].code,
            t.appended,
            if args.dry_run {
                l.import_would_append
            } else {
                l.import_appended
            },
            t.unchanged,
            l.import_unchanged,
            t.skipped,
            l.import_skipped
        )?;
    }
    let bare = new
        .iter()
        .filter(|c| {
            c.update.status == crate::model::Status::Done
                && c.text
                    .evidence
                    .as_deref()
                    .is_none_or(|e| e.trim().is_empty())
        })
        .count();
    if bare > 0 {
        let note = Msg::ImportedWithoutEvidence { rows: bare };
        writeln!(env.err, "kehoach: {}", note.text(lang))?;
    }
    if args.commit && !written.is_empty() {
        let files: Vec<&std::path::Path> = written.iter().map(|p| p.as_path()).collect();
        let names: Vec<String> = args.files.iter().map(|f| f.display().to_string()).collect();
        let mut message = format!(
            "kehoach import: {} updates from {}",
            new.len(),
            names.join(", ")
        );
        if let Some(by) = &args.by {
            message.push_str(&format!(" (by {by})"));
        }
        super::record::git_commit(&dir.path, &files, &message)?;
        writeln!(env.out, "git commit: {message}")?;
    }
    Ok(())
}

/// The forms `given` names, in order: a file as it is; a directory, its
/// workbooks by name (.xlsx; .ods and .xls too, to be refused with what
/// to do); a pattern that names no file (`phieu-2024/*.xlsx`), the files
/// it matches by name — as a Unix shell expands it, and where none does,
/// as in Windows' command prompt and PowerShell. With the arguments that
/// name no form.
fn forms(
    given: &[std::path::PathBuf],
    cwd: &std::path::Path,
) -> (Vec<std::path::PathBuf>, Vec<String>) {
    let is_form = |p: &std::path::Path| {
        p.is_file()
            && p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| ["xlsx", "ods", "xls"].contains(&x.to_ascii_lowercase().as_str()))
            && lock_file(p).is_none()
    };
    let (mut files, mut none) = (Vec::new(), Vec::new());
    for g in given {
        let full = cwd.join(g);
        let shown = g.display().to_string();
        let found: Vec<std::path::PathBuf> = if full.is_dir() {
            let mut inside: Vec<std::path::PathBuf> = std::fs::read_dir(&full)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| g.join(e.file_name()))
                .filter(|p| is_form(&cwd.join(p)))
                .collect();
            inside.sort();
            inside
        } else if !full.exists() && shown.contains(['*', '?']) {
            // Relative to the working directory, whose own name is no
            // pattern.
            let pattern = if g.is_absolute() {
                g.to_string_lossy().into_owned()
            } else {
                let base = glob::Pattern::escape(&cwd.to_string_lossy());
                format!("{base}/{}", g.to_string_lossy())
            };
            let mut matched: Vec<std::path::PathBuf> = glob::glob(&pattern)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|p| is_form(p))
                .map(|p| p.strip_prefix(cwd).map(|r| r.to_path_buf()).unwrap_or(p))
                .collect();
            matched.sort();
            matched
        } else {
            vec![g.clone()]
        };
        if found.is_empty() {
            none.push(shown);
        }
        files.extend(found);
    }
    (files, none)
}

/// The name of `path` when it is an office program's lock file beside an
/// open form (Excel's `~$SCT-2024.xlsx`, LibreOffice's
/// `.~lock.SCT-2024.xlsx#`).
fn lock_file(path: &std::path::Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy();
    (name.starts_with("~$") || name.starts_with(".~lock.")).then(|| name.into_owned())
}

/// What a form says it is (`kehoach!B1:B5`).
struct Identity {
    agency: AgencyId,
    year: i32,
    as_of: NaiveDate,
}

fn identity(plan: &Plan, form: &Form) -> Result<Identity, Box<FormProblem>> {
    let at = |cell: &str, msg: Msg| {
        Box::new(FormProblem {
            sheet: ID_SHEET.to_string(),
            cell: cell.to_string(),
            msg,
        })
    };
    let shown = |v: &Value| match v {
        Value::Text(s) | Value::Other(s) => s.clone(),
        Value::Number(n) | Value::Percent(n) | Value::Date(n) => n.to_string(),
        Value::Empty => "—".to_string(),
    };
    match &form.plan {
        Value::Text(id) if *id == plan.id => {}
        other => {
            return Err(at(
                "B1",
                Msg::FormOtherPlan {
                    found: shown(other),
                    expected: plan.id.clone(),
                },
            ));
        }
    }
    if form.version != Value::Number(f64::from(crate::render::form::FORM_VERSION)) {
        return Err(at(
            "B5",
            Msg::FormVersion {
                found: shown(&form.version),
            },
        ));
    }
    let bad = |cell: &str, key: &str, v: &Value| {
        at(
            cell,
            Msg::FormIdentity {
                key: key.to_string(),
                found: shown(v),
            },
        )
    };
    let agency = match &form.agency {
        Value::Text(code) => plan
            .agency_by_code(code)
            .filter(|&a| !plan.agencies[a].is_group())
            .ok_or_else(|| bad("B2", "agency", &form.agency))?,
        other => return Err(bad("B2", "agency", other)),
    };
    let year = match form.year {
        Value::Number(y) if y.fract() == 0.0 && plan.years().contains(&(y as i32)) => y as i32,
        ref other => return Err(bad("B3", "year", other)),
    };
    let as_of = match &form.as_of {
        Value::Text(s) => crate::cli::parse_date(s).ok(),
        Value::Date(d) => serial_date(*d),
        _ => None,
    }
    .ok_or_else(|| bad("B4", "as_of", &form.as_of))?;
    Ok(Identity {
        agency,
        year,
        as_of,
    })
}

/// A cell's text, for the text columns.
fn text(cell: Option<&Cell>) -> Option<String> {
    match &cell?.value {
        Value::Empty => None,
        Value::Text(s) | Value::Other(s) => Some(s.clone()),
        Value::Number(n) | Value::Percent(n) | Value::Date(n) => {
            Some(crate::labels::number(*n, Lang::En))
        }
    }
}

/// A date cell, or a date written as text (`31/12/2024`, `2024-12-31`).
fn date_of(cell: &Cell) -> Result<Option<NaiveDate>, Msg> {
    match &cell.value {
        Value::Empty => Ok(None),
        Value::Date(d) => serial_date(*d).map(Some).ok_or(Msg::FormBadDate {
            found: d.to_string(),
        }),
        Value::Text(s) => crate::cli::parse_date(s)
            .map(Some)
            .map_err(|_| Msg::FormBadDate { found: s.clone() }),
        Value::Number(n) | Value::Percent(n) => Err(Msg::FormBadDate {
            found: n.to_string(),
        }),
        Value::Other(s) => Err(Msg::FormBadDate { found: s.clone() }),
    }
}

/// A whole percent 0–100: a number, digits, "50%", or 0.5 in a cell
/// formatted as a percentage.
fn percent_of(cell: &Cell) -> Result<Option<u8>, Msg> {
    let bad = |found: String| Msg::FormBadPercent { found };
    let n = match &cell.value {
        Value::Empty => return Ok(None),
        Value::Number(n) => *n,
        Value::Percent(p) => (p * 100.0 * 1e6).round() / 1e6,
        Value::Text(s) => s
            .trim()
            .trim_end_matches('%')
            .trim()
            .replace(',', ".")
            .parse::<f64>()
            .map_err(|_| bad(s.clone()))?,
        Value::Date(d) => return Err(bad(d.to_string())),
        Value::Other(s) => return Err(bad(s.clone())),
    };
    if n.fract() == 0.0 && (0.0..=100.0).contains(&n) {
        Ok(Some(n as u8))
    } else {
        Err(bad(crate::labels::number(n, Lang::En)))
    }
}

/// A status word of either form list or of §5, with the nearest one when
/// it is none of them.
fn status_of(cell: &Cell) -> Result<Status, Msg> {
    let found = match &cell.value {
        Value::Text(s) | Value::Other(s) => s.clone(),
        Value::Number(n) | Value::Percent(n) | Value::Date(n) => n.to_string(),
        Value::Empty => String::new(),
    };
    crate::labels::parse_status(&found).ok_or_else(|| {
        let mut words: Vec<&str> = form_statuses(Lang::Vi).to_vec();
        words.extend(form_statuses(Lang::En));
        words.extend(Status::ALL.map(Status::as_str));
        let folded: Vec<String> = words.iter().map(|w| crate::text::fold(w)).collect();
        let suggestion = crate::messages::nearest(
            &crate::text::fold(&found),
            folded.iter().map(String::as_str),
        )
        .and_then(|f| {
            folded
                .iter()
                .position(|x| *x == f)
                .map(|i| words[i].to_string())
        });
        Msg::FormBadStatus {
            found,
            suggestion,
            words: words.join(", "),
        }
    })
}

/// Turns one filled row into an update (`None` when it is already on
/// record), or lists every problem of it.
fn candidate(
    plan: &Plan,
    form: &Form,
    id: &Identity,
    row: &Row,
    args: &ImportArgs,
    today: NaiveDate,
) -> Result<Option<Candidate>, Vec<FormProblem>> {
    let cell_name = |key: &str| row.get(key).map_or_else(String::new, |c| c.name.clone());
    let mut problems = Vec::new();
    let mut fail = |key: &str, msg: Msg| {
        problems.push(FormProblem {
            sheet: form.sheet.clone(),
            cell: cell_name(key),
            msg,
        })
    };
    let task_text = text(row.get("task")).unwrap_or_default();
    let period_text = text(row.get("period")).unwrap_or_default();
    let occurrence = locate(
        plan,
        id,
        &task_text,
        &period_text,
        text(row.get("agency")).as_deref(),
    );
    if task_text.is_empty() {
        fail("task", Msg::FormRowWithoutTask);
    } else if occurrence.is_none() {
        fail(
            "task",
            Msg::FormNotOnForm {
                task: task_text.clone(),
                period: period_text.clone(),
                agency: plan.agencies[id.agency].code.clone(),
                year: id.year,
            },
        );
    }
    let status = row
        .get("status")
        .map(status_of)
        .transpose()
        .unwrap_or_else(|m| {
            fail("status", m);
            None
        });
    let day = match row.get("date").map(date_of) {
        None | Some(Ok(None)) => {
            fail("date", Msg::FormDateMissing);
            None
        }
        Some(Ok(Some(d))) if d > today => {
            fail(
                "date",
                Msg::DateAfterToday {
                    date: date(d),
                    today: date(today),
                },
            );
            None
        }
        Some(Ok(Some(d))) => Some(d),
        Some(Err(m)) => {
            fail("date", m);
            None
        }
    };
    let percent = row
        .get("percent")
        .map(percent_of)
        .transpose()
        .unwrap_or_else(|m| {
            fail("percent", m);
            None
        });
    let new_due = row
        .get("new_due")
        .map(date_of)
        .transpose()
        .unwrap_or_else(|m| {
            fail("new_due", m);
            None
        });
    let (Some((t, occ, member)), Some(status), Some(day)) = (occurrence, status, day) else {
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let label = plan.occurrences[occ].label().to_string();
    let member_code = member.map(|m| plan.agencies[m].code.clone());
    let (evidence, note, decision) = (
        text(row.get("evidence")),
        text(row.get("note")),
        text(row.get("decision")),
    );
    // Already on record (importing a form twice): nothing to check or add.
    let on_record = plan.history(occ).iter().any(|&i| {
        let (u, t) = (plan.update(i), plan.text(i));
        u.status == status
            && u.date == day
            && u.percent == percent.flatten()
            && t.evidence() == evidence.as_deref()
            && t.note() == note.as_deref()
            && u.new_due == new_due.flatten()
            && t.decision() == decision.as_deref()
    });
    if on_record {
        return Ok(None);
    }
    let block = crate::write::update_block(&crate::write::NewUpdate {
        task: &plan.tasks[t].id,
        period: &label,
        agency: member_code.as_deref(),
        date: Some(day),
        status: status.as_str(),
        percent: percent.flatten(),
        by: args.by.as_deref(),
        evidence: evidence.as_deref(),
        note: note.as_deref(),
        new_due: new_due.flatten(),
        decision: decision.as_deref(),
    });
    let checked = super::record::parse_block(&block)
        .map_err(|f| vec![problem(form, &cell_name("task"), f.msg)])
        .and_then(|raw| {
            check_new_update(plan, &raw).map_err(|msgs| {
                msgs.into_iter()
                    .map(|m| {
                        let key = cell_for(&m);
                        problem(form, &cell_name(key), m)
                    })
                    .collect()
            })
        })?;
    let cells = crate::load::form::READ
        .iter()
        .filter_map(|k| row.get(k).map(|c| (*k, c.name.clone())))
        .collect();
    Ok(Some(Candidate {
        agency: id.agency,
        occurrence: occ,
        file: String::new(),
        sheet: form.sheet.clone(),
        cells,
        block,
        update: checked.0,
        text: checked.1,
        rel: super::record::progress_file(plan, occ),
    }))
}

fn problem(form: &Form, cell: &str, msg: Msg) -> FormProblem {
    FormProblem {
        sheet: form.sheet.clone(),
        cell: cell.to_string(),
        msg,
    }
}

/// The column a problem of the plan rules is about.
fn cell_for(m: &Msg) -> &'static str {
    match m {
        Msg::DatedBeforeIssue { .. } => "date",
        Msg::DoneBelow100 { .. } | Msg::PercentOutOfRange { .. } => "percent",
        Msg::NewDueWithoutDecision
        | Msg::RequestWithoutDecision
        | Msg::ExtensionNotLater { .. }
        | Msg::NewDueOnOngoing { .. } => "new_due",
        Msg::CancelWithoutDecision | Msg::UnknownStatus { .. } => "status",
        Msg::NotAMember { .. } | Msg::AgencyRequired { .. } => "agency",
        _ => "task",
    }
}

/// The occurrence a row names, if it is one the form's agency answers for
/// in the form's year, as attributed on the form's date.
fn locate(
    plan: &Plan,
    id: &Identity,
    task: &str,
    period: &str,
    agency: Option<&str>,
) -> Option<(TaskId, OccId, Option<AgencyId>)> {
    let t = plan.tasks.iter().position(|x| x.id == task)?;
    let label = Label::parse(period)?;
    let member = match plan.agencies[plan.tasks[t].lead].is_group() {
        true => Some(plan.agency_by_code(agency?)?),
        false => None,
    };
    let occ = plan.occurrence_of(t, label, member)?;
    let on_form = plan.occurrences[occ].year() == id.year
        && classify(plan, occ, id.as_of).agency() == id.agency;
    on_form.then_some((t, occ, member))
}

/// §5 over everything this import adds at once: an extension must still be
/// later than the deadline in force with the other new rows in place.
fn extensions_together(plan: &mut Plan, new: &[Candidate]) -> Vec<(String, FormProblem)> {
    let base = plan.updates.len();
    plan.updates.extend(new.iter().map(|c| c.update.clone()));
    plan.update_order = group_updates(&plan.updates, &mut plan.occurrences);
    let mut problems = Vec::new();
    for (i, c) in new.iter().enumerate() {
        let d0 = plan.occurrences[c.occurrence].deadline;
        let history = plan.history(c.occurrence);
        if let Some((_, in_force)) = extension_problems(history, &plan.updates, d0)
            .into_iter()
            .find(|(u, _)| *u == base + i)
        {
            problems.push((
                c.file.clone(),
                FormProblem {
                    sheet: c.sheet.clone(),
                    cell: c.cells.get("new_due").cloned().unwrap_or_default(),
                    msg: Msg::ExtensionNotLater {
                        new_due: c.update.new_due.map(date).unwrap_or_default(),
                        in_force: date(in_force),
                    },
                },
            ));
        }
    }
    problems
}
