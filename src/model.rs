//! Stage 2 output: the validated plan. Everything here has passed every check
//! of `validate`; the rest of the program never sees an unchecked value.
//! No I/O, no TOML.

use chrono::NaiveDate;
use std::ops::Range;

/// Index of an agency in `Plan::agencies` (the order of agencies.toml).
pub type AgencyId = usize;
/// Index of a task in `Plan::tasks` (load order).
pub type TaskId = usize;
/// Index of an occurrence in `Plan::occurrences`.
pub type OccId = usize;
/// Index of a loaded file in `Plan::files`.
pub type FileId = usize;

/// Output language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

/// One file of the plan directory, as it was loaded.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the plan directory, with `/` separators (the sort key
    /// for load order).
    pub rel: String,
    /// Path as shown to the user (the plan directory joined with `rel`).
    pub shown: String,
}

#[derive(Clone, Debug)]
pub struct Basis {
    pub reference: String,
    pub date: Option<NaiveDate>,
    pub title: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Group {
    pub id: String,
    pub title: String,
    pub title_en: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Agency {
    pub code: String,
    pub name: String,
    pub name_en: Option<String>,
    pub kind: Option<String>,
    /// Last day the agency existed (§9).
    pub until: Option<NaiveDate>,
    /// The agency that took over its obligations after `until`.
    pub successor: Option<AgencyId>,
}

/// How often a recurring task falls due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Every {
    Year,
    HalfYear,
    Quarter,
    Month,
}

impl Every {
    pub fn as_str(self) -> &'static str {
        match self {
            Every::Year => "year",
            Every::HalfYear => "half-year",
            Every::Quarter => "quarter",
            Every::Month => "month",
        }
    }
}

/// The deadline rule of a task (§4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Due {
    Once(NaiveDate),
    /// `on` is (month, day) for `Year`, (0, day) otherwise.
    Every {
        every: Every,
        month: u32,
        day: u32,
        first_year: i32,
        last_year: i32,
    },
}

#[derive(Clone, Debug)]
pub struct Task {
    pub id: String,
    pub group: usize,
    pub title: String,
    pub title_en: Option<String>,
    pub lead: AgencyId,
    pub support: Vec<AgencyId>,
    pub due: Due,
    pub output: Option<String>,
    pub note: Option<String>,
    /// This task's occurrences in `Plan::occurrences`.
    pub occurrences: Range<OccId>,
    pub file: FileId,
}

/// The part of a year an occurrence covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Year,
    Half(u8),
    Quarter(u8),
    Month(u8),
}

/// A period label: `"2023"`, `"2023-H1"`, `"2023-Q2"` or `"2023-05"`. Kept
/// compact (a national plan has millions of occurrences) and written out
/// when shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label {
    pub year: i32,
    pub part: Part,
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let y = self.year;
        match self.part {
            Part::Year => write!(f, "{y}"),
            Part::Half(h) => write!(f, "{y}-H{h}"),
            Part::Quarter(q) => write!(f, "{y}-Q{q}"),
            Part::Month(m) => write!(f, "{y}-{m:02}"),
        }
    }
}

impl PartialEq<&str> for Label {
    fn eq(&self, other: &&str) -> bool {
        let mut buf = String::with_capacity(8);
        let _ = std::fmt::Write::write_fmt(&mut buf, format_args!("{self}"));
        buf == *other
    }
}

/// One deadline of a task: a period label and its original deadline.
#[derive(Clone, Debug)]
pub struct Occurrence {
    pub task: TaskId,
    pub label: Label,
    /// The original deadline `D0`.
    pub deadline: NaiveDate,
    /// This occurrence's updates: a range of `Plan::update_order`, sorted by
    /// date then load order (§6.1).
    pub updates: Range<usize>,
}

impl Occurrence {
    /// The year of the label, which the occurrence belongs to in reports.
    pub fn year(&self) -> i32 {
        self.label.year
    }
}

/// Reported status of a task (§5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    NotStarted,
    InProgress,
    Done,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Done,
        Status::Cancelled,
    ];

    /// The spelling used in plan files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
    }

    /// Parses the spelling of plan files; the command line also accepts `-`
    /// for `_` (see `cli`).
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// One progress update (§5), in load order. Kept small: a national plan
/// has a million of them, most without free text.
#[derive(Clone, Debug)]
pub struct Update {
    pub task: TaskId,
    pub occurrence: OccId,
    pub date: NaiveDate,
    pub status: Status,
    pub percent: Option<u8>,
    pub new_due: Option<NaiveDate>,
    pub file: FileId,
    /// `by`, `evidence`, `note` and `decision`, when any is given.
    pub text: Option<Box<UpdateText>>,
}

/// The free text of an update.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateText {
    pub by: Option<String>,
    pub evidence: Option<String>,
    pub note: Option<String>,
    pub decision: Option<String>,
}

impl UpdateText {
    /// `None` when all four are absent.
    pub fn boxed(self) -> Option<Box<UpdateText>> {
        (self != UpdateText::default()).then(|| Box::new(self))
    }
}

impl Update {
    pub fn by(&self) -> Option<&str> {
        self.text.as_ref()?.by.as_deref()
    }
    pub fn evidence(&self) -> Option<&str> {
        self.text.as_ref()?.evidence.as_deref()
    }
    pub fn note(&self) -> Option<&str> {
        self.text.as_ref()?.note.as_deref()
    }
    pub fn decision(&self) -> Option<&str> {
        self.text.as_ref()?.decision.as_deref()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndicatorKind {
    AtLeast,
    AtMost,
}

/// A quantitative target (chỉ tiêu, §8).
#[derive(Clone, Debug)]
pub struct Indicator {
    pub id: String,
    pub title: String,
    pub unit: String,
    pub lead: AgencyId,
    pub group: Option<usize>,
    pub kind: IndicatorKind,
    /// Target per plan year, `None` where that year has none; index 0 is the
    /// plan's first year.
    pub targets: Vec<Option<f64>>,
    /// Indices into `Plan::measures`, sorted by date then load order.
    pub measures: Vec<usize>,
}

/// One measurement of an indicator (§8), in load order.
#[derive(Clone, Debug)]
pub struct Measure {
    pub indicator: usize,
    pub year: i32,
    pub value: f64,
    pub date: NaiveDate,
    pub by: Option<String>,
    pub evidence: Option<String>,
    pub note: Option<String>,
    pub file: FileId,
}

/// A whole validated plan.
#[derive(Clone, Debug)]
pub struct Plan {
    pub dir: std::path::PathBuf,
    pub files: Vec<SourceFile>,
    pub id: String,
    pub title: String,
    pub title_en: Option<String>,
    pub issuer: Option<String>,
    pub issued: NaiveDate,
    pub first_year: i32,
    pub last_year: i32,
    pub lang: Lang,
    pub focal: Vec<AgencyId>,
    pub basis: Vec<Basis>,
    pub groups: Vec<Group>,
    pub agencies: Vec<Agency>,
    pub tasks: Vec<Task>,
    pub occurrences: Vec<Occurrence>,
    pub updates: Vec<Update>,
    /// Indices into `updates`, grouped by occurrence (see
    /// `Occurrence::updates`).
    pub update_order: Vec<usize>,
    pub indicators: Vec<Indicator>,
    pub measures: Vec<Measure>,
}

impl Plan {
    /// The plan years, first to last.
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.first_year..=self.last_year
    }

    /// Finds an agency by code, ignoring ASCII case (command-line rule of §3).
    pub fn agency_by_code(&self, code: &str) -> Option<AgencyId> {
        self.agencies
            .iter()
            .position(|a| a.code == code)
            .or_else(|| {
                self.agencies
                    .iter()
                    .position(|a| a.code.eq_ignore_ascii_case(code))
            })
    }

    /// Finds a task by id: exactly, else ignoring ASCII case.
    pub fn task_by_id(&self, id: &str) -> Option<TaskId> {
        self.tasks.iter().position(|t| t.id == id).or_else(|| {
            self.tasks
                .iter()
                .position(|t| t.id.eq_ignore_ascii_case(id))
        })
    }

    /// The agency's name in the given language.
    pub fn agency_name(&self, a: AgencyId, lang: Lang) -> &str {
        let agency = &self.agencies[a];
        match (lang, &agency.name_en) {
            (Lang::En, Some(en)) => en,
            _ => &agency.name,
        }
    }

    pub fn task_title(&self, t: TaskId, lang: Lang) -> &str {
        let task = &self.tasks[t];
        match (lang, &task.title_en) {
            (Lang::En, Some(en)) => en,
            _ => &task.title,
        }
    }

    pub fn group_title(&self, g: usize, lang: Lang) -> &str {
        let group = &self.groups[g];
        match (lang, &group.title_en) {
            (Lang::En, Some(en)) => en,
            _ => &group.title,
        }
    }

    /// The updates of an occurrence, by date then load order.
    pub fn history(&self, occ: OccId) -> &[usize] {
        &self.update_order[self.occurrences[occ].updates.clone()]
    }

    pub fn plan_title(&self, lang: Lang) -> &str {
        match (lang, &self.title_en) {
            (Lang::En, Some(en)) => en,
            _ => &self.title,
        }
    }
}
