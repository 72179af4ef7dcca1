//! Stage 2: raw structs -> the model. One pass that collects *every*
//! problem with its file and place; a `Plan` comes out only when there is no
//! error. No I/O here except re-reading a file to place a problem on a line.

use crate::load::{Diag, FileKind, Raw, RawFile, RawMeasure, RawPlan, RawUpdate, read_text};
use crate::model::*;
use crate::problem::{Problem, Severity, line_col};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use toml::Spanned;
use toml::value::Datetime;

/// The result of loading and validating a plan directory.
#[derive(Debug)]
pub struct Checked {
    /// The plan, when there is no error (warnings allowed).
    pub plan: Option<Plan>,
    /// Every error and warning, in file order.
    pub problems: Vec<Problem>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.is_error()).count()
    }
}

/// Loads and validates the plan in `dir` (shown to the user as `shown`).
pub fn load_plan(dir: &std::path::Path, shown: &str) -> Checked {
    validate(crate::load::load_dir(dir, shown))
}

struct Ctx {
    diags: Vec<Diag>,
}

/// A fast hash for the id lookups of validation (FxHash: ids are short and
/// come from the plan's own files, so no flooding defence is needed).
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

impl Ctx {
    /// The checked value, or the messages of every error found on the way.
    fn outcome<T>(self, value: Option<T>) -> Result<T, Vec<String>> {
        let errors: Vec<String> = self
            .diags
            .into_iter()
            .filter(|d| !d.warning)
            .map(|d| d.message)
            .collect();
        match value {
            Some(v) if errors.is_empty() => Ok(v),
            _ => Err(errors),
        }
    }

    fn err(&mut self, file: FileId, at: usize, message: impl Into<String>) {
        self.diags.push(Diag {
            file,
            at: Some(at),
            warning: false,
            message: message.into(),
        });
    }

    fn warn(&mut self, file: FileId, at: usize, message: impl Into<String>) {
        self.diags.push(Diag {
            file,
            at: Some(at),
            warning: true,
            message: message.into(),
        });
    }

    /// A TOML date that must be a plain calendar date.
    fn date(&mut self, file: FileId, key: &str, value: &Spanned<Datetime>) -> Option<NaiveDate> {
        let dt = value.get_ref();
        let parsed = match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                    .filter(|_| d.year >= 1)
            }
            _ => None,
        };
        if parsed.is_none() {
            self.err(
                file,
                value.span().start,
                format!("\"{key}\" must be a calendar date like 2023-12-15, found {dt}"),
            );
        }
        parsed
    }

    fn non_empty(&mut self, file: FileId, key: &str, value: &Spanned<String>) {
        if value.get_ref().trim().is_empty() {
            self.err(
                file,
                value.span().start,
                format!("\"{key}\" must not be empty"),
            );
        }
    }
}

/// Task and indicator ids: a letter or digit, then letters, digits, `.`,
/// `_`, `-`; at most 32 characters.
pub fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_alphanumeric())
        && id.chars().count() <= 32
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Agency codes: 1–32 characters of `A-Z a-z 0-9 _ . -`.
pub fn valid_code(code: &str) -> bool {
    (1..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

const ID_RULE: &str =
    "starts with a letter or digit, then letters, digits, '.', '_' or '-', at most 32 characters";

struct PlanHead {
    issued: NaiveDate,
    first_year: i32,
    last_year: i32,
}

pub fn validate(mut input: Raw) -> Checked {
    let mut ctx = Ctx {
        diags: std::mem::take(&mut input.diags),
    };
    let contents = std::mem::take(&mut input.contents);
    // A file that could not be read at all hides what it defines: references
    // to its kind of thing are then not reported as unknown.
    let unreadable = |kind: FileKind| {
        contents
            .iter()
            .zip(&input.kinds)
            .any(|(c, k)| *k == kind && c.is_none())
    };
    let (tasks_unreadable, agencies_unreadable, indicators_unreadable) = (
        unreadable(FileKind::Tasks),
        unreadable(FileKind::Agencies),
        unreadable(FileKind::Indicators),
    );
    let mut plan_raw: Option<(FileId, RawPlan)> = None;
    let mut agencies_raw = None;
    let mut task_files = Vec::new();
    let mut indicator_files = Vec::new();
    let mut progress_files = Vec::new();
    for (file, content) in contents.into_iter().enumerate() {
        match content {
            Some(RawFile::Plan(p)) => plan_raw = Some((file, *p)),
            Some(RawFile::Agencies(a)) => agencies_raw = Some((file, a)),
            Some(RawFile::Tasks(t)) => task_files.push((file, t)),
            Some(RawFile::Indicators(i)) => indicator_files.push((file, i)),
            Some(RawFile::Progress(p)) => progress_files.push((file, p)),
            None => {}
        }
    }

    // plan.toml
    let mut head = None;
    let mut lang = Lang::Vi;
    let mut groups: Vec<Group> = Vec::new();
    let mut group_index: HashMap<String, usize> = HashMap::new();
    let mut basis = Vec::new();
    if let Some((file, p)) = &plan_raw {
        let file = *file;
        ctx.non_empty(file, "id", &p.id);
        ctx.non_empty(file, "title", &p.title);
        let issued = ctx.date(file, "issued", &p.issued);
        let year = |ctx: &mut Ctx, key: &str, v: &Spanned<i64>| {
            let y = *v.get_ref();
            if (1000..=9999).contains(&y) {
                Some(y as i32)
            } else {
                ctx.err(
                    file,
                    v.span().start,
                    format!("\"{key}\" must be a four-digit year, found {y}"),
                );
                None
            }
        };
        let first = year(&mut ctx, "first_year", &p.first_year);
        let last = year(&mut ctx, "last_year", &p.last_year);
        if let (Some(f), Some(l)) = (first, last) {
            if f > l {
                ctx.err(
                    file,
                    p.first_year.span().start,
                    format!(
                        "first_year {f} is after last_year {l}; the plan period must run forward"
                    ),
                );
            } else if let Some(issued) = issued {
                head = Some(PlanHead {
                    issued,
                    first_year: f,
                    last_year: l,
                });
            }
        }
        if let Some(l) = &p.lang {
            match l.get_ref().as_str() {
                "vi" => lang = Lang::Vi,
                "en" => lang = Lang::En,
                other => ctx.err(
                    file,
                    l.span().start,
                    format!("unknown lang \"{other}\"; use \"vi\" or \"en\""),
                ),
            }
        }
        if p.group.is_empty() {
            ctx.err(
                file,
                0,
                "plan.toml has no [[group]]; a plan needs at least one task group",
            );
        }
        for g in &p.group {
            ctx.non_empty(file, "id", &g.id);
            ctx.non_empty(file, "title", &g.title);
            let id = g.id.get_ref().clone();
            if group_index.contains_key(&id) {
                ctx.err(
                    file,
                    g.id.span().start,
                    format!("duplicate group id \"{id}\""),
                );
                continue;
            }
            group_index.insert(id.clone(), groups.len());
            groups.push(Group {
                id,
                title: g.title.get_ref().clone(),
                title_en: g.title_en.clone(),
            });
        }
        for b in &p.basis {
            ctx.non_empty(file, "ref", &b.reference);
            let date = b.date.as_ref().and_then(|d| ctx.date(file, "date", d));
            basis.push(Basis {
                reference: b.reference.get_ref().clone(),
                date,
                title: b.title.clone(),
            });
        }
    }

    // agencies.toml
    let mut agencies: Vec<Agency> = Vec::new();
    let mut agency_index: FastMap<String, AgencyId> = FastMap::default();
    let mut lower_index: HashMap<String, AgencyId> = HashMap::new();
    if let Some((file, a)) = &agencies_raw {
        let file = *file;
        for raw in &a.agency {
            let code = raw.code.get_ref();
            ctx.non_empty(file, "name", &raw.name);
            if !valid_code(code) {
                ctx.err(
                    file,
                    raw.code.span().start,
                    format!("bad agency code \"{code}\": use 1–32 characters of A-Z, a-z, 0-9, '_', '.', '-'"),
                );
            }
            if agency_index.contains_key(code) {
                ctx.err(
                    file,
                    raw.code.span().start,
                    format!("duplicate agency code \"{code}\""),
                );
            } else if let Some(&other) = lower_index.get(&code.to_ascii_lowercase()) {
                ctx.err(
                    file,
                    raw.code.span().start,
                    format!(
                        "agency code \"{code}\" differs from \"{}\" only in case; the command line could not tell them apart",
                        agencies[other].code
                    ),
                );
            }
            let until = raw.until.as_ref().and_then(|d| ctx.date(file, "until", d));
            if raw.until.is_some() != raw.successor.is_some() {
                let (at, message) = match &raw.until {
                    Some(u) => (
                        u.span().start,
                        format!(
                            "agency \"{code}\" has \"until\" but no \"successor\"; say which agency took over its tasks"
                        ),
                    ),
                    None => (
                        raw.code.span().start,
                        format!(
                            "agency \"{code}\" has \"successor\" but no \"until\"; say the last day it existed"
                        ),
                    ),
                };
                ctx.err(file, at, message);
            }
            let id = agencies.len();
            agency_index.entry(code.clone()).or_insert(id);
            lower_index.entry(code.to_ascii_lowercase()).or_insert(id);
            agencies.push(Agency {
                code: code.clone(),
                name: raw.name.get_ref().clone(),
                name_en: raw.name_en.clone(),
                kind: raw.kind.clone(),
                until,
                successor: None,
            });
        }
    }
    let broken_agencies: Vec<String> = agencies_raw
        .as_ref()
        .map(|(_, a)| a.broken.clone())
        .unwrap_or_default();
    let agency_ref =
        |ctx: &mut Ctx, file: FileId, what: &str, code: &Spanned<String>| -> Option<AgencyId> {
            if let Some(&id) = agency_index.get(code.get_ref()) {
                return Some(id);
            }
            if agencies_unreadable || broken_agencies.contains(code.get_ref()) {
                return None;
            }
            let hint = match lower_index.get(&code.get_ref().to_ascii_lowercase()) {
                Some(&id) => format!(
                    "; did you mean \"{}\"? (codes in files match exactly)",
                    agencies[id].code
                ),
                None => "; add it to agencies.toml or correct the code".to_string(),
            };
            ctx.err(
                file,
                code.span().start,
                format!("unknown agency \"{}\" in {what}{hint}", code.get_ref()),
            );
            None
        };
    let mut successor_of: Vec<Option<AgencyId>> = vec![None; agencies.len()];
    if let Some((file, a)) = &agencies_raw {
        let file = *file;
        for (raw, id) in a.agency.iter().zip(0..) {
            if let Some(s) = &raw.successor {
                if s.get_ref() == raw.code.get_ref() {
                    ctx.err(
                        file,
                        s.span().start,
                        format!(
                            "agency \"{}\" names itself as its successor",
                            raw.code.get_ref()
                        ),
                    );
                } else if let Some(succ) = agency_ref(&mut ctx, file, "successor", s)
                    && id < successor_of.len()
                {
                    successor_of[id] = Some(succ);
                }
            }
        }
        // A successor chain must end. Each loop is reported once, at its
        // first agency in file order.
        for (raw, start) in a.agency.iter().zip(0..successor_of.len()) {
            let mut chain = vec![start];
            let mut current = start;
            let mut in_loop = false;
            for _ in 0..successor_of.len() {
                match successor_of[current] {
                    Some(next) if next == start => {
                        in_loop = true;
                        break;
                    }
                    Some(next) => {
                        current = next;
                        chain.push(next);
                    }
                    None => break,
                }
            }
            if in_loop && chain.iter().all(|&m| m >= start) {
                let at = raw
                    .successor
                    .as_ref()
                    .map_or(raw.code.span().start, |s| s.span().start);
                chain.push(start);
                let codes: Vec<&str> = chain.iter().map(|&i| agencies[i].code.as_str()).collect();
                ctx.err(
                    file,
                    at,
                    format!(
                        "successor loop: {}; a chain of successors must end",
                        codes.join(" → ")
                    ),
                );
            }
        }
    }
    let mut focal = Vec::new();
    if let Some((file, p)) = &plan_raw {
        for code in &p.focal {
            if let Some(id) = agency_ref(&mut ctx, *file, "focal", code) {
                focal.push(id);
            }
        }
    }

    // Tasks and their occurrences.
    let mut tasks: Vec<Task> = Vec::new();
    let mut occurrences: Vec<Occurrence> = Vec::new();
    let mut task_index: FastMap<String, TaskId> = FastMap::default();
    for (file, t) in &task_files {
        let file = *file;
        for id in &t.broken {
            task_index.entry(id.clone()).or_insert(usize::MAX);
        }
        for raw in &t.task {
            let id = raw.id.get_ref();
            if !valid_id(id) {
                ctx.err(
                    file,
                    raw.id.span().start,
                    format!("bad task id \"{id}\": an id {ID_RULE}"),
                );
            }
            ctx.non_empty(file, "title", &raw.title);
            let duplicate = task_index.contains_key(id);
            if duplicate {
                // The first task may itself have had problems and not be in
                // `tasks` (its index is the usize::MAX marker).
                let first = task_index
                    .get(id)
                    .and_then(|&i| tasks.get(i))
                    .map(|other| {
                        format!(
                            " (first defined in {})",
                            raw_file_name(&input.files, other.file)
                        )
                    })
                    .unwrap_or_default();
                ctx.err(
                    file,
                    raw.id.span().start,
                    format!("duplicate task id \"{id}\"{first}"),
                );
            }
            let group = match group_index.get(raw.group.get_ref()) {
                Some(&g) => Some(g),
                None => {
                    if plan_raw.is_some() {
                        let known: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
                        ctx.err(
                            file,
                            raw.group.span().start,
                            format!(
                                "unknown group \"{}\"; plan.toml defines: {}",
                                raw.group.get_ref(),
                                known.join(", ")
                            ),
                        );
                    }
                    None
                }
            };
            let lead = agency_ref(&mut ctx, file, "lead", &raw.lead);
            let mut support = Vec::new();
            for s in &raw.support {
                if s.get_ref() == raw.lead.get_ref() {
                    ctx.err(
                        file,
                        s.span().start,
                        format!("support repeats the lead agency \"{}\"", s.get_ref()),
                    );
                    continue;
                }
                if raw
                    .support
                    .iter()
                    .take_while(|o| o.span() != s.span())
                    .any(|o| o.get_ref() == s.get_ref())
                {
                    ctx.err(
                        file,
                        s.span().start,
                        format!("agency \"{}\" is listed twice in support", s.get_ref()),
                    );
                    continue;
                }
                if let Some(a) = agency_ref(&mut ctx, file, "support", s) {
                    support.push(a);
                }
            }
            let due = parse_due(&mut ctx, file, &raw.due, head.as_ref());
            if let (Some(group), Some(lead), Some(due), Some(head), false) =
                (group, lead, due, &head, duplicate)
            {
                let task_id = tasks.len();
                let start = occurrences.len();
                expand(&due, task_id, &mut occurrences);
                if let Some(early) = occurrences[start..]
                    .iter()
                    .find(|o| o.deadline < head.issued)
                {
                    ctx.warn(
                        file,
                        raw.due.span().start,
                        format!(
                            "occurrence {} falls due on {}, before the plan was issued ({}); set first_year in due if it does not apply",
                            early.label,
                            early.deadline.format("%d/%m/%Y"),
                            head.issued.format("%d/%m/%Y")
                        ),
                    );
                }
                if let Due::Once(d) = due
                    && (d.year() < head.first_year || d.year() > head.last_year)
                {
                    ctx.warn(
                        file,
                        raw.due.span().start,
                        format!(
                            "deadline {} is outside the plan period {}–{}",
                            d.format("%d/%m/%Y"),
                            head.first_year,
                            head.last_year
                        ),
                    );
                }
                task_index.insert(id.clone(), task_id);
                tasks.push(Task {
                    id: id.clone(),
                    group,
                    title: raw.title.get_ref().clone(),
                    title_en: raw.title_en.clone(),
                    lead,
                    support,
                    due,
                    output: raw.output.clone(),
                    note: raw.note.clone(),
                    occurrences: start..occurrences.len(),
                    file,
                });
            } else if !duplicate {
                // Keep the id known so that updates naming it are not also
                // reported as unknown: the task's own problem says enough.
                task_index.entry(id.clone()).or_insert(usize::MAX);
            }
        }
    }

    // Indicators.
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut indicator_index: FastMap<String, usize> = FastMap::default();
    for (file, f) in &indicator_files {
        let file = *file;
        for id in &f.broken {
            indicator_index.entry(id.clone()).or_insert(usize::MAX);
        }
        for raw in &f.indicator {
            let id = raw.id.get_ref();
            if !valid_id(id) {
                ctx.err(
                    file,
                    raw.id.span().start,
                    format!("bad indicator id \"{id}\": an id {ID_RULE}"),
                );
            }
            ctx.non_empty(file, "title", &raw.title);
            ctx.non_empty(file, "unit", &raw.unit);
            let duplicate = indicator_index.contains_key(id);
            if duplicate {
                ctx.err(
                    file,
                    raw.id.span().start,
                    format!("duplicate indicator id \"{id}\""),
                );
            }
            let lead = agency_ref(&mut ctx, file, "lead", &raw.lead);
            let group = match &raw.group {
                None => Some(None),
                Some(g) => match group_index.get(g.get_ref()) {
                    Some(&i) => Some(Some(i)),
                    None => {
                        ctx.err(
                            file,
                            g.span().start,
                            format!("unknown group \"{}\"", g.get_ref()),
                        );
                        None
                    }
                },
            };
            let kind = match raw
                .kind
                .as_ref()
                .map(|k| (k.get_ref().as_str(), k.span().start))
            {
                None | Some(("at_least", _)) => Some(IndicatorKind::AtLeast),
                Some(("at_most", _)) => Some(IndicatorKind::AtMost),
                Some((other, at)) => {
                    ctx.err(
                        file,
                        at,
                        format!("unknown kind \"{other}\"; use \"at_least\" or \"at_most\""),
                    );
                    None
                }
            };
            let mut targets = None;
            match (&raw.target, &raw.targets) {
                (Some(_), Some(t)) => ctx.err(
                    file,
                    t.span().start,
                    format!("indicator \"{id}\" has both \"target\" and \"targets\"; keep one"),
                ),
                (None, None) => ctx.err(
                    file,
                    raw.id.span().start,
                    format!("indicator \"{id}\" has neither \"target\" nor \"targets\""),
                ),
                (Some(t), None) => {
                    if !t.get_ref().is_finite() {
                        ctx.err(file, t.span().start, "target must be a finite number");
                    } else if let Some(h) = &head {
                        targets = Some(vec![
                            Some(*t.get_ref());
                            (h.last_year - h.first_year + 1) as usize
                        ]);
                    }
                }
                (None, Some(map)) => {
                    let mut per_year = head
                        .as_ref()
                        .map(|h| vec![None; (h.last_year - h.first_year + 1) as usize]);
                    for (year, value) in map.get_ref() {
                        let parsed = year
                            .get_ref()
                            .parse::<i32>()
                            .ok()
                            .filter(|_| year.get_ref().len() == 4);
                        match (parsed, &head) {
                            (None, _) => ctx.err(
                                file,
                                year.span().start,
                                format!(
                                    "targets key \"{}\" is not a year like \"2023\"",
                                    year.get_ref()
                                ),
                            ),
                            (Some(y), Some(h)) if y < h.first_year || y > h.last_year => ctx.err(
                                file,
                                year.span().start,
                                format!(
                                    "target year {y} is outside the plan period {}–{}",
                                    h.first_year, h.last_year
                                ),
                            ),
                            (Some(y), Some(h)) => {
                                if !value.get_ref().is_finite() {
                                    ctx.err(
                                        file,
                                        value.span().start,
                                        "target must be a finite number",
                                    );
                                } else if let Some(v) = per_year.as_mut() {
                                    v[(y - h.first_year) as usize] = Some(*value.get_ref());
                                }
                            }
                            (Some(_), None) => {}
                        }
                    }
                    targets = per_year;
                }
            }
            if let (Some(lead), Some(group), Some(kind), Some(targets), false) =
                (lead, group, kind, targets, duplicate)
            {
                indicator_index.insert(id.clone(), indicators.len());
                indicators.push(Indicator {
                    id: id.clone(),
                    title: raw.title.get_ref().clone(),
                    unit: raw.unit.get_ref().clone(),
                    lead,
                    group,
                    kind,
                    targets,
                    measures: Vec::new(),
                });
            } else if !duplicate {
                indicator_index.entry(id.clone()).or_insert(usize::MAX);
            }
        }
    }

    // Progress: updates and measurements, in load order. Each file is read,
    // checked and dropped on its own, on all cores.
    let issued = head.as_ref().map(|h| h.issued);
    let period = head.as_ref().map(|h| (h.issued, h.first_year, h.last_year));
    let per_file = crate::load::parallel_map(&input.progress, |&file| {
        let (content, file_diags) = crate::load::read_progress(&input, file);
        let mut ctx = Ctx {
            diags: file_diags
                .into_iter()
                .map(|(at, message)| Diag {
                    file,
                    at,
                    warning: false,
                    message,
                })
                .collect(),
        };
        let mut updates = Vec::new();
        let mut measures = Vec::new();
        let Some(p) = content else {
            return (updates, measures, ctx.diags);
        };
        updates.reserve(p.update.len());
        for mut raw in p.update {
            let task = match task_index.get(raw.task.get_ref()) {
                Some(&t) => Some(t),
                None if tasks_unreadable => None,
                None => {
                    ctx.err(
                        file,
                        raw.task.span().start,
                        format!(
                            "update for unknown task \"{}\"; check the id in tasks.toml",
                            raw.task.get_ref()
                        ),
                    );
                    None
                }
            };
            if let Some(u) =
                check_update(&mut ctx, file, &mut raw, task, issued, &tasks, &occurrences)
            {
                updates.push(u);
            }
        }
        for mut raw in p.measure {
            let indicator = match indicator_index.get(raw.indicator.get_ref()) {
                Some(&i) => Some(i),
                None if indicators_unreadable => None,
                None => {
                    ctx.err(
                        file,
                        raw.indicator.span().start,
                        format!(
                            "measurement for unknown indicator \"{}\"",
                            raw.indicator.get_ref()
                        ),
                    );
                    None
                }
            };
            if let Some(m) = check_measure(&mut ctx, file, &mut raw, indicator, period) {
                measures.push(m);
            }
        }
        (updates, measures, ctx.diags)
    });
    let total: usize = per_file.iter().map(|(u, _, _)| u.len()).sum();
    let mut updates: Vec<Update> = Vec::with_capacity(total);
    let mut measures: Vec<Measure> = Vec::new();
    for (u, m, d) in per_file {
        updates.extend(u);
        measures.extend(m);
        ctx.diags.extend(d);
    }

    let problems = place(&input, ctx.diags);
    let has_error = problems.iter().any(Problem::is_error);
    let plan = match (plan_raw, head, has_error || agencies_raw.is_none()) {
        (Some((_, p)), Some(h), false) => {
            let update_order = group_updates(&updates, &mut occurrences);
            for (i, m) in measures.iter().enumerate() {
                indicators[m.indicator].measures.push(i);
            }
            for ind in &mut indicators {
                ind.measures.sort_by_key(|&i| measures[i].date);
            }
            for (agency, successor) in agencies.iter_mut().zip(successor_of) {
                agency.successor = successor;
            }
            Some(Plan {
                dir: input.dir,
                files: input.files,
                id: p.id.into_inner(),
                title: p.title.into_inner(),
                title_en: p.title_en,
                issuer: p.issuer,
                issued: h.issued,
                first_year: h.first_year,
                last_year: h.last_year,
                lang,
                focal,
                basis,
                groups,
                agencies,
                tasks,
                occurrences,
                updates,
                update_order,
                indicators,
                measures,
            })
        }
        _ => None,
    };
    Checked { plan, problems }
}

fn raw_file_name(files: &[crate::model::SourceFile], file: FileId) -> String {
    files.get(file).map_or_else(String::new, |f| f.rel.clone())
}

/// Checks one update against the plan's tasks (§5). `task` is the task it
/// names if known (`usize::MAX` for a task that exists but has problems of
/// its own); `issued` the plan's date of issue. Shared by `validate` and by
/// `record`, so a recorded update passes exactly the checks of `check`.
fn check_update(
    ctx: &mut Ctx,
    file: FileId,
    raw: &mut RawUpdate,
    task: Option<TaskId>,
    issued: Option<NaiveDate>,
    tasks: &[Task],
    occurrences: &[Occurrence],
) -> Option<Update> {
    let date = ctx.date(file, "date", &raw.date);
    if let (Some(d), Some(h)) = (date, issued)
        && d < h
    {
        ctx.err(
            file,
            raw.date.span().start,
            format!(
                "update dated {} is before the plan was issued ({})",
                d.format("%d/%m/%Y"),
                h.format("%d/%m/%Y")
            ),
        );
    }
    let status = Status::parse(raw.status.get_ref());
    if status.is_none() {
        ctx.err(
            file,
            raw.status.span().start,
            format!(
                "unknown status \"{}\"; use not_started, in_progress, done or cancelled",
                raw.status.get_ref()
            ),
        );
    }
    let mut percent = None;
    if let Some(p) = &raw.percent {
        let v = *p.get_ref();
        if !(0..=100).contains(&v) {
            ctx.err(
                file,
                p.span().start,
                format!("percent {v} is outside 0–100"),
            );
        } else {
            percent = Some(v as u8);
            if status == Some(Status::Done) && v < 100 {
                ctx.err(
                    file,
                    p.span().start,
                    format!(
                        "status \"done\" with percent {v}; a done task is 100% (or use in_progress)"
                    ),
                );
            }
        }
    }
    let new_due = raw
        .new_due
        .as_ref()
        .and_then(|d| ctx.date(file, "new_due", d));
    if let Some(nd) = &raw.new_due {
        if raw.decision.is_none() {
            ctx.err(
                file,
                nd.span().start,
                "\"new_due\" without \"decision\": name the document that approved the extension",
            );
        }
    } else if let Some(d) = &raw.decision {
        ctx.warn(
            file,
            d.span().start,
            "\"decision\" without \"new_due\" changes no deadline",
        );
    }
    let occurrence = match task {
        Some(t) if t != usize::MAX => find_occurrence(ctx, file, raw, &tasks[t], occurrences),
        _ => None,
    };
    if let (Some(task), Some(occurrence), Some(date), Some(status)) =
        (task, occurrence, date, status)
    {
        return Some(Update {
            task,
            occurrence,
            date,
            status,
            percent,
            new_due,
            file,
            text: UpdateText {
                by: raw.by.take(),
                evidence: raw.evidence.take(),
                note: raw.note.take(),
                decision: raw.decision.take().map(Spanned::into_inner),
            }
            .boxed(),
        });
    }
    None
}

/// Groups updates by occurrence once (a counting sort, linear), then sorts
/// each occurrence's few updates by date; the sort is stable, so same-date
/// updates keep load order (§6.1).
pub fn group_updates(updates: &[Update], occurrences: &mut [Occurrence]) -> Vec<usize> {
    let mut start = vec![0usize; occurrences.len() + 1];
    for u in updates {
        start[u.occurrence + 1] += 1;
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut next = start.clone();
    let mut order = vec![0usize; updates.len()];
    for (i, u) in updates.iter().enumerate() {
        order[next[u.occurrence]] = i;
        next[u.occurrence] += 1;
    }
    for (o, occ) in occurrences.iter_mut().enumerate() {
        occ.updates = start[o]..start[o + 1];
        if occ.updates.len() > 1 {
            order[occ.updates.clone()].sort_by_key(|&i| updates[i].date);
        }
    }
    order
}

/// Parses a `due` value (§4).
fn parse_due(
    ctx: &mut Ctx,
    file: FileId,
    due: &Spanned<toml::Value>,
    head: Option<&PlanHead>,
) -> Option<Due> {
    let at = due.span().start;
    match due.get_ref() {
        toml::Value::Datetime(dt) => ctx
            .date(file, "due", &Spanned::new(due.span(), *dt))
            .map(Due::Once),
        toml::Value::Table(table) => {
            let mut ok = true;
            for key in table.keys() {
                if !["every", "on", "first_year", "last_year"].contains(&key.as_str()) {
                    ctx.err(file, at, format!("unknown key \"{key}\" in due (allowed: every, on, first_year, last_year)"));
                    ok = false;
                }
            }
            let every = match table.get("every") {
                Some(toml::Value::String(s)) => match s.as_str() {
                    "year" => Some(Every::Year),
                    "half-year" => Some(Every::HalfYear),
                    "quarter" => Some(Every::Quarter),
                    "month" => Some(Every::Month),
                    other => {
                        ctx.err(file, at, format!("unknown every = \"{other}\" in due; use \"year\", \"half-year\", \"quarter\" or \"month\""));
                        None
                    }
                },
                Some(other) => {
                    ctx.err(
                        file,
                        at,
                        format!(
                            "wrong type for \"every\" in due: expected a string, found {}",
                            other.type_str()
                        ),
                    );
                    None
                }
                None => {
                    ctx.err(
                        file,
                        at,
                        "missing \"every\" in due; e.g. due = { every = \"year\", on = \"12-15\" }",
                    );
                    None
                }
            };
            let (month, day) = match (every, table.get("on")) {
                (_, None) => {
                    ctx.err(file, at, "missing \"on\" in due: the day (or \"MM-DD\" for every = \"year\") the deadline falls on");
                    (None, None)
                }
                (Some(Every::Year), Some(toml::Value::String(s))) => match parse_month_day(s) {
                    Some((m, d)) => (Some(m), Some(d)),
                    None => {
                        ctx.err(file, at, format!("bad on = \"{s}\" in due: for every = \"year\" write \"MM-DD\", a real day such as \"12-15\" or \"02-29\""));
                        (None, None)
                    }
                },
                (Some(Every::Year), Some(other)) => {
                    ctx.err(file, at, format!("bad on = {other} in due: for every = \"year\" write a string \"MM-DD\", e.g. \"12-15\""));
                    (None, None)
                }
                (Some(_), Some(toml::Value::Integer(d))) if (1..=31).contains(d) => {
                    (Some(0), Some(*d as u32))
                }
                (Some(e), Some(other)) => {
                    ctx.err(file, at, format!("bad on = {other} in due: for every = \"{}\" write a day of the month from 1 to 31", e.as_str()));
                    (None, None)
                }
                (None, Some(_)) => (None, None),
            };
            let year_key = |ctx: &mut Ctx, key: &str| -> Option<Option<i32>> {
                match table.get(key) {
                    None => Some(None),
                    Some(toml::Value::Integer(y)) => match head {
                        Some(h) if *y < i64::from(h.first_year) || *y > i64::from(h.last_year) => {
                            ctx.err(
                                file,
                                at,
                                format!(
                                    "{key} = {y} in due is outside the plan period {}–{}",
                                    h.first_year, h.last_year
                                ),
                            );
                            None
                        }
                        _ => Some(Some(*y as i32)),
                    },
                    Some(other) => {
                        ctx.err(
                            file,
                            at,
                            format!(
                                "wrong type for \"{key}\" in due: expected a year, found {}",
                                other.type_str()
                            ),
                        );
                        None
                    }
                }
            };
            let first = year_key(ctx, "first_year");
            let last = year_key(ctx, "last_year");
            let head = head?;
            let (first, last) = (first?, last?);
            let first_year = first.unwrap_or(head.first_year);
            let last_year = last.unwrap_or(head.last_year);
            if first_year > last_year {
                ctx.err(
                    file,
                    at,
                    format!("first_year {first_year} is after last_year {last_year} in due"),
                );
                return None;
            }
            match (ok, every, month, day) {
                (true, Some(every), Some(month), Some(day)) => Some(Due::Every {
                    every,
                    month,
                    day,
                    first_year,
                    last_year,
                }),
                _ => None,
            }
        }
        other => {
            ctx.err(
                file,
                at,
                format!(
                    "wrong type for \"due\": expected a date like 2023-12-15 or a table like {{ every = \"year\", on = \"12-15\" }}, found {}",
                    other.type_str()
                ),
            );
            None
        }
    }
}

/// `"MM-DD"`, a day that exists in a leap year.
fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.split_once('-')?;
    if m.len() != 2 || d.len() != 2 || !m.bytes().chain(d.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (m, d) = (m.parse().ok()?, d.parse().ok()?);
    NaiveDate::from_ymd_opt(2000, m, d).map(|_| (m, d))
}

/// Day `day` of the month, or the month's last day when it is shorter.
pub fn clamped(year: i32, month: u32, day: u32) -> NaiveDate {
    let mut d = day.min(31);
    loop {
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, d) {
            return date;
        }
        d -= 1;
    }
}

/// Appends the task's occurrences (§4).
fn expand(due: &Due, task: TaskId, out: &mut Vec<Occurrence>) {
    let mut push = |year: i32, part: Part, deadline: NaiveDate| {
        out.push(Occurrence {
            task,
            label: Label { year, part },
            deadline,
            updates: 0..0,
        })
    };
    match *due {
        Due::Once(d) => push(d.year(), Part::Year, d),
        Due::Every {
            every,
            month,
            day,
            first_year,
            last_year,
        } => {
            for y in first_year..=last_year {
                match every {
                    Every::Year => push(y, Part::Year, clamped(y, month, day)),
                    Every::HalfYear => {
                        push(y, Part::Half(1), clamped(y, 6, day));
                        push(y, Part::Half(2), clamped(y, 12, day));
                    }
                    Every::Quarter => {
                        for q in 1..=4u8 {
                            push(y, Part::Quarter(q), clamped(y, u32::from(q) * 3, day));
                        }
                    }
                    Every::Month => {
                        for m in 1..=12u8 {
                            push(y, Part::Month(m), clamped(y, u32::from(m), day));
                        }
                    }
                }
            }
        }
    }
}

/// The occurrence an update names (§5): its `period`, or the only one of a
/// one-off task.
fn find_occurrence(
    ctx: &mut Ctx,
    file: FileId,
    raw: &crate::load::RawUpdate,
    task: &Task,
    occurrences: &[Occurrence],
) -> Option<OccId> {
    let range = task.occurrences.clone();
    match (&raw.period, &task.due) {
        (None, Due::Once(_)) => Some(range.start),
        (None, Due::Every { every, .. }) => {
            let first = occurrences
                .get(range.start)
                .map_or(String::new(), |o| o.label.to_string());
            ctx.err(
                file,
                raw.task.span().start,
                format!(
                    "task \"{}\" recurs every {}: say which occurrence with period = \"…\" (e.g. \"{first}\")",
                    task.id,
                    every.as_str()
                ),
            );
            None
        }
        (Some(p), _) => {
            let label = p.get_ref();
            if let Some(i) = occurrence_index(task, label) {
                return Some(i);
            }
            let labels = &occurrences[range];
            let listed = if labels.len() <= 6 {
                labels
                    .iter()
                    .map(|o| o.label.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                format!("{}, …, {}", labels[0].label, labels[labels.len() - 1].label)
            };
            ctx.err(
                file,
                p.span().start,
                format!("period \"{label}\" is not an occurrence of task \"{}\" (its periods: {listed})", task.id),
            );
            None
        }
    }
}

/// Finds an occurrence by label without scanning: labels follow from the
/// rule, so the index is computed and the label compared once.
pub fn occurrence_index(task: &Task, label: &str) -> Option<OccId> {
    let range = task.occurrences.clone();
    let offset = match task.due {
        Due::Once(d) => (label == d.year().to_string()).then_some(0)?,
        Due::Every {
            every,
            first_year,
            last_year,
            ..
        } => {
            let year: i32 = label.get(..4)?.parse().ok()?;
            if year < first_year || year > last_year {
                return None;
            }
            let rest = &label[4..];
            let (per_year, sub) = match every {
                Every::Year => (1, rest.is_empty().then_some(0)?),
                Every::HalfYear => (
                    2,
                    match rest {
                        "-H1" => 0,
                        "-H2" => 1,
                        _ => return None,
                    },
                ),
                Every::Quarter => (
                    4,
                    match rest {
                        "-Q1" => 0,
                        "-Q2" => 1,
                        "-Q3" => 2,
                        "-Q4" => 3,
                        _ => return None,
                    },
                ),
                Every::Month => {
                    let m: usize = rest
                        .strip_prefix('-')
                        .filter(|m| m.len() == 2)?
                        .parse()
                        .ok()?;
                    (12, (1..=12).contains(&m).then(|| m - 1)?)
                }
            };
            (year - first_year) as usize * per_year + sub
        }
    };
    (offset < range.len()).then_some(range.start + offset)
}

/// Turns diagnostics into problems with line and column, in file order.
fn place(raw: &Raw, mut diags: Vec<Diag>) -> Vec<Problem> {
    diags.sort_by_key(|d| (d.file, d.at.unwrap_or(0)));
    let mut texts: HashMap<FileId, Option<String>> = HashMap::new();
    diags
        .into_iter()
        .map(|d| {
            let file = raw.files.get(d.file);
            let position = d.at.and_then(|at| {
                let text = texts.entry(d.file).or_insert_with(|| {
                    let path = raw.dir.join(file.map_or("", |f| f.rel.as_str()));
                    match raw.kinds.get(d.file) {
                        Some(
                            FileKind::Plan
                            | FileKind::Agencies
                            | FileKind::Tasks
                            | FileKind::Indicators
                            | FileKind::Progress,
                        ) => {}
                        None => return None,
                    }
                    read_text(&path).ok().or_else(|| {
                        // A file that is not UTF-8 is placed on its bytes.
                        std::fs::read(&path)
                            .ok()
                            .map(|b| String::from_utf8_lossy(&b).into_owned())
                    })
                });
                text.as_deref().map(|t| line_col(t, at))
            });
            Problem {
                path: file.map_or_else(String::new, |f| f.shown.clone()),
                position,
                severity: if d.warning {
                    Severity::Warning
                } else {
                    Severity::Error
                },
                message: d.message,
            }
        })
        .collect()
}

/// Checks an update that `record` is about to append against a valid plan,
/// with exactly the checks `check` applies. Returns the model update, or the
/// messages of every problem.
pub fn check_new_update(plan: &Plan, raw: &RawUpdate) -> Result<Update, Vec<String>> {
    let raw = &mut raw.clone();
    let Some(task) = plan.tasks.iter().position(|t| t.id == *raw.task.get_ref()) else {
        return Err(vec![format!("unknown task \"{}\"", raw.task.get_ref())]);
    };
    let mut ctx = Ctx { diags: Vec::new() };
    let update = check_update(
        &mut ctx,
        0,
        raw,
        Some(task),
        Some(plan.issued),
        &plan.tasks,
        &plan.occurrences,
    );
    ctx.outcome(update)
}

/// Checks one measurement (§8). `indicator` is the indicator it names if
/// known (`usize::MAX` for one with problems of its own); `period` the plan's
/// date of issue and years. Shared by `validate` and by `measure`.
fn check_measure(
    ctx: &mut Ctx,
    file: FileId,
    raw: &mut RawMeasure,
    indicator: Option<usize>,
    period: Option<(NaiveDate, i32, i32)>,
) -> Option<Measure> {
    let y = *raw.year.get_ref();
    let year = match period {
        Some((_, first, last)) if y < i64::from(first) || y > i64::from(last) => {
            ctx.err(
                file,
                raw.year.span().start,
                format!("year {y} is outside the plan period {first}–{last}"),
            );
            None
        }
        Some(_) => Some(y as i32),
        None => None,
    };
    let date = ctx.date(file, "date", &raw.date);
    if let (Some(d), Some((issued, _, _))) = (date, period)
        && d < issued
    {
        ctx.err(
            file,
            raw.date.span().start,
            format!(
                "measurement dated {} is before the plan was issued ({})",
                d.format("%d/%m/%Y"),
                issued.format("%d/%m/%Y")
            ),
        );
    }
    let value = *raw.value.get_ref();
    if !value.is_finite() {
        ctx.err(
            file,
            raw.value.span().start,
            "value must be a finite number",
        );
    }
    match (indicator, year, date) {
        (Some(indicator), Some(year), Some(date))
            if indicator != usize::MAX && value.is_finite() =>
        {
            Some(Measure {
                indicator,
                year,
                value,
                date,
                by: raw.by.take(),
                evidence: raw.evidence.take(),
                note: raw.note.take(),
                file,
            })
        }
        _ => None,
    }
}

/// Checks a measurement that `measure` is about to append against a valid
/// plan, with exactly the checks `check` applies.
pub fn check_new_measure(plan: &Plan, raw: &RawMeasure) -> Result<Measure, Vec<String>> {
    let raw = &mut raw.clone();
    let Some(indicator) = plan
        .indicators
        .iter()
        .position(|i| i.id == *raw.indicator.get_ref())
    else {
        return Err(vec![format!(
            "unknown indicator \"{}\"",
            raw.indicator.get_ref()
        )]);
    };
    let mut ctx = Ctx { diags: Vec::new() };
    let measure = check_measure(
        &mut ctx,
        0,
        raw,
        Some(indicator),
        Some((plan.issued, plan.first_year, plan.last_year)),
    );
    ctx.outcome(measure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_codes() {
        assert!(valid_id("1.2"));
        assert!(valid_id("T-01_a"));
        assert!(valid_id("Đ1"));
        assert!(!valid_id(".1"));
        assert!(!valid_id("a b"));
        assert!(!valid_id(""));
        assert!(!valid_id(&"a".repeat(33)));
        assert!(valid_code("SCT"));
        assert!(valid_code("HoiBVQLNTD.tinh"));
        assert!(!valid_code("Sở"));
        assert!(!valid_code(""));
        assert!(!valid_code(&"A".repeat(33)));
    }

    #[test]
    fn month_day() {
        assert_eq!(parse_month_day("12-15"), Some((12, 15)));
        assert_eq!(parse_month_day("02-29"), Some((2, 29)));
        assert_eq!(parse_month_day("02-30"), None);
        assert_eq!(parse_month_day("13-01"), None);
        assert_eq!(parse_month_day("3-15"), None);
        assert_eq!(parse_month_day("+1-15"), None);
    }

    #[test]
    fn clamping() {
        assert_eq!(
            clamped(2023, 2, 31),
            NaiveDate::from_ymd_opt(2023, 2, 28).unwrap()
        );
        assert_eq!(
            clamped(2024, 2, 31),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert_eq!(
            clamped(2023, 6, 31),
            NaiveDate::from_ymd_opt(2023, 6, 30).unwrap()
        );
        assert_eq!(
            clamped(2023, 12, 31),
            NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()
        );
    }

    fn task_with(due: Due, occ: &mut Vec<Occurrence>) -> Task {
        let start = occ.len();
        expand(&due, 0, occ);
        Task {
            id: "t".into(),
            group: 0,
            title: "t".into(),
            title_en: None,
            lead: 0,
            support: vec![],
            due,
            output: None,
            note: None,
            occurrences: start..occ.len(),
            file: 0,
        }
    }

    #[test]
    fn every_kind_expands_and_labels_index_back() {
        for (every, month, per_year) in [
            (Every::Year, 2, 1),
            (Every::HalfYear, 0, 2),
            (Every::Quarter, 0, 4),
            (Every::Month, 0, 12),
        ] {
            let mut occ = Vec::new();
            let due = Due::Every {
                every,
                month,
                day: 29,
                first_year: 2023,
                last_year: 2024,
            };
            let task = task_with(due, &mut occ);
            assert_eq!(occ.len(), 2 * per_year);
            for (i, o) in occ.iter().enumerate() {
                assert_eq!(
                    occurrence_index(&task, &o.label.to_string()),
                    Some(i),
                    "{}",
                    o.label
                );
            }
            assert_eq!(occurrence_index(&task, "2025"), None);
            assert_eq!(occurrence_index(&task, "2023-13"), None);
            assert_eq!(occurrence_index(&task, "2023-Q5"), None);
        }
        let mut occ = Vec::new();
        let task = task_with(
            Due::Every {
                every: Every::Year,
                month: 2,
                day: 29,
                first_year: 2023,
                last_year: 2024,
            },
            &mut occ,
        );
        assert_eq!(
            occ[0].deadline,
            NaiveDate::from_ymd_opt(2023, 2, 28).unwrap()
        );
        assert_eq!(
            occ[1].deadline,
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert_eq!(occ[1].label, "2024");
        let _ = task;
        let mut occ = Vec::new();
        task_with(
            Due::Every {
                every: Every::Quarter,
                month: 0,
                day: 31,
                first_year: 2023,
                last_year: 2023,
            },
            &mut occ,
        );
        let deadlines: Vec<String> = occ.iter().map(|o| o.deadline.to_string()).collect();
        assert_eq!(
            deadlines,
            ["2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31"]
        );
        assert_eq!(occ[1].label, "2023-Q2");
        let mut occ = Vec::new();
        task_with(
            Due::Every {
                every: Every::Month,
                month: 0,
                day: 30,
                first_year: 2023,
                last_year: 2023,
            },
            &mut occ,
        );
        assert_eq!(occ[1].label, "2023-02");
        assert_eq!(
            occ[1].deadline,
            NaiveDate::from_ymd_opt(2023, 2, 28).unwrap()
        );
        let mut occ = Vec::new();
        task_with(
            Due::Every {
                every: Every::HalfYear,
                month: 0,
                day: 31,
                first_year: 2023,
                last_year: 2023,
            },
            &mut occ,
        );
        assert_eq!(occ[0].label, "2023-H1");
        assert_eq!(
            occ[0].deadline,
            NaiveDate::from_ymd_opt(2023, 6, 30).unwrap()
        );
        assert_eq!(
            occ[1].deadline,
            NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()
        );
    }
}
