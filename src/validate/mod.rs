//! Stage 2: raw structs -> the model. Collects *every* problem with its file
//! and place; a `Plan` comes out only when there is no error. One file per
//! thing checked: the plan header, agencies (successors, groups), tasks,
//! deadlines, indicators, progress (updates and measurements). No I/O:
//! progress files arrive through `load::Raw::read_progress`, one at a time.

mod agencies;
mod due;
mod header;
mod indicators;
mod progress;

pub(crate) use progress::{Progress, ProgressWithoutText, check_files, check_one};
mod tasks;

pub use progress::{
    Text, check_new_measure, check_new_update, extension_problems, group_updates, periods_list,
};

use crate::load::{Diag, FileKind, Raw, RawFile, RawTasks};
use crate::messages::Msg;
use crate::model::*;
use crate::problem::Problem;
use chrono::NaiveDate;
use rayon::prelude::*;
use toml::Spanned;
use toml::value::Datetime;

/// A fast map for the id lookups of validation.
pub(crate) type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// What an id in the plan's files stands for: a valid item, or one that
/// has problems of its own (references to it are then not reported again).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Known<T> {
    Valid(T),
    Broken,
}

impl<T: Copy> Known<T> {
    pub fn valid(self) -> Option<T> {
        match self {
            Known::Valid(t) => Some(t),
            Known::Broken => None,
        }
    }
}

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

/// The real plan and the demo, loaded without the cache: the plans unit
/// tests check rules against (every class, extensions, ongoing tasks).
#[cfg(test)]
pub(crate) fn shipped_plans() -> Vec<(&'static str, Plan)> {
    ["plans/6418-KH-UBND", "examples/demo"]
        .into_iter()
        .map(|dir| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            let plan = load_plan(&path, dir, &crate::cache::Cache::Off).plan;
            (dir, plan.unwrap_or_else(|| panic!("{dir} loads")))
        })
        .collect()
}

/// Loads and validates the plan in `dir` (shown to the user as `shown`),
/// through the parse cache (`crate::cache`), and places its problems on
/// lines.
pub fn load_plan(dir: &std::path::Path, shown: &str, cache: &crate::cache::Cache) -> Checked {
    load_plan_with(dir, shown, cache, Text::Keep)
}

/// `load_plan`, keeping the updates' free text or not.
pub fn load_plan_with(
    dir: &std::path::Path,
    shown: &str,
    cache: &crate::cache::Cache,
    text: Text,
) -> Checked {
    let (plan, diags, files) = crate::cache::load(dir, shown, cache, text);
    Checked {
        plan,
        problems: crate::load::locate(dir, &files, diags),
    }
}

/// `load_plan_with` without the cache and without the progress files
/// `skip` names (relative paths): the plan with broken progress files set
/// aside (`--set-aside`).
pub fn load_plan_without(
    dir: &std::path::Path,
    shown: &str,
    text: Text,
    skip: &[String],
) -> Checked {
    let raw = crate::load::load_dir_without(dir, shown, skip);
    let files = raw.files.clone();
    let (plan, diags) = validate(raw, text);
    Checked {
        plan,
        problems: crate::load::locate(dir, &files, diags),
    }
}

/// Problems as they are found, before they are placed on lines.
#[derive(Default)]
pub(crate) struct Ctx {
    pub diags: Vec<Diag>,
}

impl Ctx {
    pub fn err(&mut self, file: FileId, at: usize, msg: Msg) {
        self.diags.push(Diag::error(file, Some(at), msg));
    }

    pub fn warn(&mut self, file: FileId, at: usize, msg: Msg) {
        self.diags.push(Diag::warning(file, Some(at), msg));
    }

    /// A TOML date that must be a plain calendar date.
    pub fn date(
        &mut self,
        file: FileId,
        key: &str,
        value: &Spanned<Datetime>,
    ) -> Option<NaiveDate> {
        let parsed = plain_date(value.get_ref());
        if parsed.is_none() {
            self.err(
                file,
                value.span().start,
                Msg::NotACalendarDate {
                    key: key.to_string(),
                    found: value.get_ref().to_string(),
                },
            );
        }
        parsed
    }

    /// A required string that must not be blank; `None` when missing (load
    /// has said so).
    pub fn text(
        &mut self,
        file: FileId,
        key: &str,
        value: &Option<Spanned<String>>,
    ) -> Option<String> {
        let v = value.as_ref()?;
        if v.get_ref().trim().is_empty() {
            self.err(
                file,
                v.span().start,
                Msg::Empty {
                    key: key.to_string(),
                },
            );
        }
        Some(v.get_ref().clone())
    }

    /// Whether any error has been found.
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| !d.warning)
    }
}

/// A TOML datetime that is a plain date (no time, no offset).
pub fn plain_date(dt: &Datetime) -> Option<NaiveDate> {
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) if d.year >= 1 => {
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        }
        _ => None,
    }
}

/// Task and indicator ids: a letter or digit, then letters, digits, `.`,
/// `_`, `-`; at most 32 characters.
/// Checks a task's or an indicator's `id` as written (at `at`), reporting
/// an invalid one. An id with spaces around it that is valid without them
/// (`"1.1 "`) is returned trimmed, to be read on as the id meant: the
/// updates naming it are then not refused too.
pub(crate) fn checked_id(
    ctx: &mut Ctx,
    file: FileId,
    at: usize,
    thing: crate::messages::Thing,
    written: &str,
) -> Option<String> {
    if valid_id(written) {
        return None;
    }
    let meant = written.trim();
    let fix = (meant != written && valid_id(meant)).then(|| meant.to_string());
    ctx.err(
        file,
        at,
        Msg::BadId {
            thing,
            id: written.to_string(),
            fix: fix.clone(),
        },
    );
    fix
}

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

/// The plan's date of issue and period, once plan.toml gives them.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Head {
    #[serde(with = "crate::cache::day")]
    pub issued: NaiveDate,
    pub first_year: i32,
    pub last_year: i32,
}

/// Checks everything `raw` holds and builds the plan when nothing is wrong.
/// Returns the diagnostics unplaced (see `load::locate`).
pub fn validate(mut raw: Raw, text: Text) -> (Option<Plan>, Vec<Diag>) {
    let defs = Defs::check(&mut raw);
    let progress = progress::check_files(&raw, &raw.progress, &defs.lookup(), text);
    finish(raw, defs, progress)
}

/// The plan header's text, kept for the finished plan.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct PlanText {
    id: Option<String>,
    title: Option<String>,
    title_en: Option<String>,
    issuer: Option<String>,
}

/// What the definition files (plan.toml, agencies.toml, tasks,
/// indicators.toml) yield once checked: everything a progress file is
/// checked against. A function of those files alone, so the parse cache
/// keeps it while they are unchanged.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Defs {
    diags: Vec<Diag>,
    unreadable: progress::Unreadable,
    text: Option<PlanText>,
    header: Option<header::Header>,
    agencies: agencies::Agencies,
    agencies_read: bool,
    focal: Vec<AgencyId>,
    tasks: tasks::Tasks,
    indicators: indicators::Indicators,
}

impl Defs {
    /// Checks the definition files `raw` holds (taking their contents).
    pub(crate) fn check(raw: &mut Raw) -> Defs {
        let mut ctx = Ctx {
            diags: std::mem::take(&mut raw.diags),
        };
        // Ascending, as `load_dir` lists them.
        let deferred = std::mem::take(&mut raw.deferred);
        let mut unreadable = progress::Unreadable {
            tasks: raw.contents.iter().enumerate().any(|(i, c)| {
                raw.kinds[i] == FileKind::Tasks
                    && c.is_none()
                    && deferred.binary_search(&i).is_err()
            }),
            agencies: raw.unreadable(FileKind::Agencies),
            indicators: raw.unreadable(FileKind::Indicators),
        };
        let mut plan_raw = None;
        let mut agencies_raw = None;
        let mut task_files = Vec::new();
        let mut indicator_files = Vec::new();
        for (file, content) in std::mem::take(&mut raw.contents).into_iter().enumerate() {
            match content {
                Some(RawFile::Plan(p)) => plan_raw = Some((file, p)),
                Some(RawFile::Agencies(a)) => agencies_raw = Some((file, a)),
                Some(RawFile::Tasks(t)) => task_files.push((file, Some(t))),
                Some(RawFile::Indicators(i)) => indicator_files.push((file, i)),
                Some(RawFile::Progress(_)) | None => {}
            }
        }
        let header = plan_raw
            .as_ref()
            .map(|(file, p)| header::check(&mut ctx, *file, p));
        let head = header.as_ref().and_then(|h| h.head);
        let mut agencies = match &agencies_raw {
            Some((file, a)) => agencies::check(&mut ctx, *file, a, unreadable.agencies),
            None => agencies::Agencies::unreadable(),
        };
        let focal = match (&plan_raw, &header) {
            (Some((file, p)), Some(_)) => p
                .focal
                .iter()
                .filter_map(|code| {
                    agencies.resolve(&mut ctx, *file, crate::messages::Role::Focal, code)
                })
                .collect(),
            _ => Vec::new(),
        };
        let groups = header.as_ref().map(|h| &h.groups);
        let mut tasks = tasks::Tasks::default();
        // Deferred tasks files are read a few at a time on all cores, and
        // each one's parsed text goes once checked: at national size they
        // are as large as the tasks built from them. The next few are read
        // while these are checked (checking is in file order, on one core).
        task_files.extend(deferred.iter().map(|&f| (f, None)));
        task_files.sort_by_key(|(f, _)| *f);
        let batch = 2 * rayon::current_num_threads().max(1);
        let files = task_files.len();
        let raw_ref: &Raw = raw;
        let read_batch = |chunk: &[(FileId, Option<RawTasks>)]| -> Vec<_> {
            chunk
                .par_iter()
                .map(|(f, t)| t.is_none().then(|| raw_ref.read_deferred(*f)))
                .collect()
        };
        let mut hashes = Vec::new();
        let mut chunks = task_files.chunks_mut(batch);
        let mut current = chunks.next().map(|chunk| {
            let read = read_batch(chunk);
            (chunk, read)
        });
        while let Some((chunk, read)) = current {
            let next = chunks.next();
            let ((), next_read) = rayon::join(
                || {
                    for ((file, t), read) in chunk.iter_mut().zip(read) {
                        if let Some((content, diags, hash)) = read {
                            ctx.diags.extend(diags);
                            hashes.push((*file, hash));
                            match content {
                                Some(RawFile::Tasks(parsed)) => *t = Some(parsed),
                                _ => unreadable.tasks = true,
                            }
                        }
                        if let Some(parsed) = t.take() {
                            let first = tasks.list.is_empty();
                            tasks.check_file(&mut ctx, *file, &parsed, groups, &mut agencies, head);
                            if first {
                                tasks.make_room(files);
                            }
                        }
                    }
                },
                || next.as_deref().map(read_batch),
            );
            current = next.zip(next_read);
        }
        for (file, hash) in hashes {
            raw.hashes[file] = hash;
        }
        // The parsed tasks files, made on other cores, were freed here.
        crate::memory::release_freed();
        tasks.checked();
        let mut indicators = indicators::Indicators::default();
        for (file, f) in &indicator_files {
            indicators.check_file(&mut ctx, *file, f, groups, &mut agencies, head);
        }
        let text = plan_raw.map(|(_, p)| {
            let p = *p;
            PlanText {
                id: p.id.map(Spanned::into_inner),
                title: p.title.map(Spanned::into_inner),
                title_en: p.title_en,
                issuer: p.issuer,
            }
        });
        Defs {
            diags: ctx.diags,
            unreadable,
            text,
            header,
            agencies,
            agencies_read: agencies_raw.is_some(),
            focal,
            tasks,
            indicators,
        }
    }

    /// What checking a progress file needs to look up.
    pub(crate) fn lookup(&self) -> progress::Lookup<'_> {
        progress::Lookup {
            tasks: &self.tasks.list,
            task_index: &self.tasks.index,
            agencies: &self.agencies.list,
            agency_index: &self.agencies.index,
            indicator_index: &self.indicators.index,
            head: self.header.as_ref().and_then(|h| h.head),
            unreadable: self.unreadable,
        }
    }
}

/// The checks that need every file (§5 extensions in date order) and the
/// plan itself, from the definitions and each progress file's results (in
/// load order).
pub(crate) fn finish(
    raw: Raw,
    defs: Defs,
    per_file: Vec<progress::Progress>,
) -> (Option<Plan>, Vec<Diag>) {
    // The lookups progress files were checked with are done with.
    drop(defs.tasks.index);
    let progress = progress::Progress::merge(per_file);
    crate::memory::release_freed();
    let mut ctx = Ctx { diags: defs.diags };
    ctx.diags.extend(progress.diags);
    // Extensions are checked also when other files have errors, on the
    // tasks and updates that are valid: a plan refused for one mistake
    // lists every other one at once, not on the next run, and
    // `--set-aside` leaves out every broken progress file in one go.
    let mut occurrences = defs.tasks.occurrences;
    let updates = progress.updates;
    let update_order = group_updates(&updates, &mut occurrences);
    check_extensions(
        &mut ctx,
        &occurrences,
        &updates,
        &update_order,
        &progress.extensions,
    );
    let head = defs.header.as_ref().and_then(|h| h.head);
    let (Some(p), Some(header), Some(head), true) =
        (defs.text, defs.header, head, defs.agencies_read)
    else {
        return (None, ctx.diags);
    };
    if ctx.has_errors() {
        return (None, ctx.diags);
    }
    let mut measures = progress.measures;
    let mut inds = defs.indicators;
    inds.attach(&mut measures);
    let mut agencies = defs.agencies;
    agencies.finish();
    let plan = Plan {
        dir: raw.dir,
        files: raw.files,
        id: p.id.unwrap_or_default(),
        title: p.title.unwrap_or_default(),
        title_en: p.title_en,
        issuer: p.issuer,
        issued: head.issued,
        first_year: head.first_year,
        last_year: head.last_year,
        lang: header.lang,
        focal: defs.focal,
        basis: header.basis,
        groups: header.groups.list,
        report_info: header.report_info,
        agencies: agencies.list,
        tasks: defs.tasks.list,
        occurrences,
        updates,
        texts: progress.texts,
        update_order,
        indicators: inds.list,
        measures,
    };
    (Some(plan), ctx.diags)
}

/// §5: an extension must move the deadline later. Needs every update of
/// an occurrence in order, so it is checked once all files are read.
fn check_extensions(
    ctx: &mut Ctx,
    occurrences: &[Occurrence],
    updates: &[Update],
    order: &[u32],
    extensions: &[(usize, usize)],
) {
    for &(u, at) in extensions {
        let Some(occurrence) = updates.get(u).map(Update::occurrence) else {
            continue;
        };
        let Some(d0) = occurrences.get(occurrence).map(|o| o.deadline) else {
            continue;
        };
        let history = crate::model::history(occurrences, order, occurrence);
        if let Some((_, in_force)) = extension_problems(history, updates, d0)
            .into_iter()
            .find(|(bad, _)| *bad == u)
        {
            ctx.err(
                updates[u].file(),
                at,
                Msg::ExtensionNotLater {
                    new_due: updates[u]
                        .new_due
                        .map(crate::labels::date)
                        .unwrap_or_default(),
                    in_force: crate::labels::date(in_force),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::Role;

    const PLAN: &str = "id = \"T/KH\"\ntitle = \"t\"\nissued = 2023-01-10\nfirst_year = 2023\nlast_year = 2024\n[[group]]\nid = \"1\"\ntitle = \"g\"\n";
    const AGENCIES: &str = "[[agency]]\ncode = \"A\"\nname = \"a\"\n[[agency]]\ncode = \"C\"\nname = \"c\"\n[[agency]]\ncode = \"G\"\nname = \"g\"\nmembers = [\"A\", \"C\"]\n";

    /// The problems of a plan held in memory (no progress files).
    fn problems(agencies: &str, tasks: &str) -> Vec<Msg> {
        let mut raw = Raw::default();
        for (i, (text, kind)) in [
            (PLAN, FileKind::Plan),
            (agencies, FileKind::Agencies),
            (tasks, FileKind::Tasks),
        ]
        .into_iter()
        .enumerate()
        {
            raw.files.push(SourceFile {
                rel: format!("{i}.toml"),
                shown: format!("{i}.toml"),
            });
            raw.kinds.push(kind);
            let content = crate::load::parse_text(text, kind, i, &mut raw.diags);
            raw.contents.push(content);
        }
        let (_, diags) = validate(raw, Text::Keep);
        diags.into_iter().map(|d| d.msg).collect()
    }

    fn task(lead: &str, due: &str) -> String {
        format!(
            "[[task]]\nid = \"1.1\"\ngroup = \"1\"\ntitle = \"t\"\nlead = \"{lead}\"\ndue = {due}\n"
        )
    }

    #[test]
    fn each_rule_raises_its_message() {
        let cases: Vec<(&str, String, String, Msg)> = vec![
            (
                "a member that is a group",
                format!("{AGENCIES}[[agency]]\ncode = \"H\"\nname = \"h\"\nmembers = [\"G\"]\n"),
                task("A", "2023-06-30"),
                Msg::MemberIsGroup {
                    member: "G".into(),
                    group: "H".into(),
                },
            ),
            (
                "a group without members",
                format!("{AGENCIES}[[agency]]\ncode = \"E\"\nname = \"e\"\nmembers = []\n"),
                task("A", "2023-06-30"),
                Msg::GroupWithoutMembers { code: "E".into() },
            ),
            (
                "an unknown member, with the nearest code",
                AGENCIES.replace("[\"A\", \"C\"]", "[\"A\", \"CC\"]"),
                task("A", "2023-06-30"),
                Msg::UnknownAgency {
                    code: "CC".into(),
                    role: Role::Member,
                    suggestion: Some("C".into()),
                    named: Vec::new(),
                },
            ),
            (
                "an ongoing rule with a day",
                AGENCIES.to_string(),
                task("A", "{ every = \"ongoing\", on = 5 }"),
                Msg::OnWithOngoing,
            ),
            (
                "an unknown due word",
                AGENCIES.to_string(),
                task("A", "\"weekly\""),
                Msg::UnknownDueWord {
                    found: "weekly".into(),
                },
            ),
            (
                "a rule year outside the period",
                AGENCIES.to_string(),
                task(
                    "A",
                    "{ every = \"year\", on = \"12-15\", first_year = 2030 }",
                ),
                Msg::DueYearOutside {
                    key: "first_year".into(),
                    year: 2030,
                    first: 2023,
                    last: 2024,
                },
            ),
        ];
        for (name, agencies, tasks, expected) in cases {
            let found = problems(&agencies, &tasks);
            assert!(found.contains(&expected), "{name}: {found:?}");
        }
    }

    #[test]
    fn a_group_task_has_an_occurrence_per_member_and_period() {
        let mut raw = Raw::default();
        let tasks = task("G", "{ every = \"year\", on = \"11-30\" }")
            + &task("A", "\"ongoing\"").replace("1.1", "1.2");
        for (i, (text, kind)) in [
            (PLAN, FileKind::Plan),
            (AGENCIES, FileKind::Agencies),
            (tasks.as_str(), FileKind::Tasks),
        ]
        .into_iter()
        .enumerate()
        {
            raw.files.push(SourceFile {
                rel: format!("{i}"),
                shown: format!("{i}"),
            });
            raw.kinds.push(kind);
            let content = crate::load::parse_text(text, kind, i, &mut raw.diags);
            raw.contents.push(content);
        }
        let (plan, diags) = validate(raw, Text::Keep);
        assert!(diags.is_empty(), "{diags:?}");
        let plan = plan.unwrap();
        // 2 years × 2 members, then the ongoing task's 2 years.
        assert_eq!(plan.occurrences.len(), 6);
        let leads: Vec<&str> = plan.occurrences[..4]
            .iter()
            .map(|o| plan.agencies[o.lead()].code.as_str())
            .collect();
        assert_eq!(leads, ["A", "C", "A", "C"]);
        assert!(plan.occurrences[4..].iter().all(|o| o.deadline.is_none()));
        let l2024 = Label::year(2024);
        assert_eq!(plan.occurrence_of(0, l2024, Some(1)), Some(3));
        assert_eq!(
            plan.occurrence_of(0, l2024, None),
            None,
            "a group task needs its member"
        );
        assert_eq!(plan.occurrence_of(1, l2024, None), Some(5));
    }

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
}
