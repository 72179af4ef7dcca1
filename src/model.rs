//! Stage 2 output: the validated plan. Everything here has passed every check
//! of `validate`; the rest of the program never sees an unchecked value.
//! No I/O, no TOML. The calendar rules of §4 (which occurrences a deadline
//! rule makes, and which occurrence a date or a label names) live in
//! `calendar`, beside the types they work on.

pub mod calendar;

pub use calendar::{Every, Label, PackedLabel, Part};

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

/// The most tasks, occurrences, updates, agencies or files a plan may have:
/// the model keeps these indexes as `u32` where it holds one per occurrence
/// or update. Validation refuses a plan with more occurrences (a plan with
/// more updates or files could not be read into memory anyway).
pub const MAX_INDEX: usize = u32::MAX as usize;

/// An index as the model keeps it. Callers stay within `MAX_INDEX`; past it
/// the value saturates rather than wrapping.
pub fn narrow(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The updates of occurrence `o` in `order` (see `Occurrence::first_update`).
pub fn history<'a>(occurrences: &[Occurrence], order: &'a [u32], o: OccId) -> &'a [u32] {
    let start = occurrences[o].first_update as usize;
    let end = occurrences
        .get(o + 1)
        .map_or(order.len(), |next| next.first_update as usize);
    &order[start..end]
}

/// Output language.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Default, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
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

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Basis {
    pub reference: String,
    #[serde(with = "crate::cache::day_opt")]
    pub date: Option<NaiveDate>,
    pub title: Option<String>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Group {
    pub id: String,
    pub title: String,
    pub title_en: Option<String>,
}

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Agency {
    pub code: String,
    pub name: String,
    pub name_en: Option<String>,
    pub kind: Option<String>,
    /// Last day the agency existed (§9).
    #[serde(with = "crate::cache::day_opt")]
    pub until: Option<NaiveDate>,
    /// The agency that took over its obligations after `until`.
    pub successor: Option<AgencyId>,
    /// The members of a group (§11); empty for an ordinary agency.
    pub members: Vec<AgencyId>,
    /// The body it belongs to, printed above its name in a document header.
    pub parent: Option<String>,
    /// The place name of its documents' date line.
    pub place: Option<String>,
}

impl Agency {
    /// Whether this agency is a group of members (§11).
    pub fn is_group(&self) -> bool {
        !self.members.is_empty()
    }
}

/// The deadline rule of a task (§4, §12).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Due {
    Once(#[serde(with = "crate::cache::day")] NaiveDate),
    /// `month` is the month of `on` for `Year`, 0 otherwise.
    Every {
        every: Every,
        month: u32,
        day: u32,
        first_year: i32,
        last_year: i32,
    },
    /// Carried out continuously: one occurrence a year, no deadline (§12).
    /// `on_request`: carried out only when asked ("khi có yêu cầu"): the
    /// request sets the year's deadline (`new_due`), and until one comes
    /// nothing is owed.
    Ongoing {
        first_year: i32,
        last_year: i32,
        on_request: bool,
    },
}

impl Due {
    /// Done only when asked (`due = "on_request"`).
    pub fn on_request(&self) -> bool {
        matches!(
            self,
            Due::Ongoing {
                on_request: true,
                ..
            }
        )
    }
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Task {
    pub id: String,
    pub group: usize,
    pub title: String,
    pub title_en: Option<String>,
    /// The lead as written: an agency, or a group whose members each lead
    /// their own occurrence (§11).
    pub lead: AgencyId,
    pub support: Vec<AgencyId>,
    pub due: Due,
    pub output: Option<String>,
    pub note: Option<String>,
    /// Where this task goes when an agency of it ceases, when not to that
    /// agency's own `successor` (`successors` in tasks.toml: a split of
    /// functions on a reorganisation), as (ceased, taking over).
    pub successors: Vec<(AgencyId, AgencyId)>,
    /// This task's occurrences in `Plan::occurrences`: period by period,
    /// and within a period one per member for a group lead.
    pub occurrences: Range<OccId>,
    pub file: FileId,
}

impl Task {
    /// Without a deadline of its own: ongoing, or done on request.
    pub fn is_ongoing(&self) -> bool {
        matches!(self.due, Due::Ongoing { .. })
    }
}

/// One obligation: a task's period, for one lead agency. (`Default` is
/// only a placeholder for a list being read, `cache::in_parts`.)
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Occurrence {
    /// Kept as `u32` (see `task()`): a national plan has over a million
    /// occurrences, and every byte here is a megabyte.
    pub task: u32,
    /// The period (see `label()`), packed: a national plan has over a
    /// million occurrences.
    pub packed_label: PackedLabel,
    /// The original deadline `D0`; `None` for an ongoing task (§12).
    #[serde(with = "crate::cache::day_opt")]
    pub deadline: Option<NaiveDate>,
    /// Who leads it as assigned: the task's lead, or for a group task the
    /// member (§11). Successors are applied later (§9).
    pub lead: u32,
    /// Where this occurrence's updates start in `Plan::update_order`
    /// (sorted by date then load order, §6.1); they end where the next
    /// occurrence's start (see `history`). Set once every update is read,
    /// so not cached.
    #[serde(skip)]
    pub first_update: u32,
}

impl Occurrence {
    pub fn task(&self) -> TaskId {
        self.task as TaskId
    }

    pub fn label(&self) -> Label {
        self.packed_label.into()
    }

    /// Who leads it as assigned (see the field).
    pub fn lead(&self) -> AgencyId {
        self.lead as AgencyId
    }

    /// The year of the label, which the occurrence belongs to in reports.
    pub fn year(&self) -> i32 {
        self.label().year
    }

    /// Whether `deadline`, in force as of a date, extends this
    /// occurrence's own (§6.2). The deadline a request sets, for a task
    /// done on request (no deadline of its own), is not an extension.
    pub fn extended_to(&self, deadline: Option<NaiveDate>) -> bool {
        self.deadline.is_some() && deadline != self.deadline
    }

    /// The date §9 attributes the occurrence at when nothing extends it:
    /// its deadline, or 31 December of its year for an ongoing one (§12).
    pub fn nominal_deadline(&self) -> NaiveDate {
        self.deadline
            .unwrap_or_else(|| calendar::year_end(self.year()))
    }
}

/// Reported status of a task (§5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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

    /// Parses the spelling of plan files, `-` or `_` alike (`in-progress`).
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s || st.as_str().replace('_', "-") == s)
    }
}

/// One progress update (§5), in load order. Kept small (20 bytes): a
/// national plan has a million of them, most without free text, which
/// `Plan::texts` holds apart.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Update {
    /// The occurrence it reports on (its task is the occurrence's); `u32`
    /// like every index kept per update (see `occurrence()`).
    pub occurrence: u32,
    #[serde(with = "crate::cache::day")]
    pub date: NaiveDate,
    pub status: Status,
    pub percent: Option<u8>,
    #[serde(with = "crate::cache::day_opt")]
    pub new_due: Option<NaiveDate>,
    pub file: u32,
}

impl Update {
    /// Whether this update, with its text `text`, says what `other` with
    /// `other_text` says: one report recorded twice (§13: who recorded
    /// it, `by`, is not compared).
    pub fn says_the_same(&self, text: TextRef, other: &Update, other_text: TextRef) -> bool {
        self.status == other.status
            && self.date == other.date
            && self.percent == other.percent
            && self.new_due == other.new_due
            && text.evidence() == other_text.evidence()
            && text.note() == other_text.note()
            && text.decision() == other_text.decision()
    }
}

/// The free text of an update.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UpdateText {
    pub by: Option<String>,
    pub evidence: Option<String>,
    pub note: Option<String>,
    pub decision: Option<String>,
}

impl UpdateText {
    /// `None` when all four are absent.
    pub fn given(self) -> Option<UpdateText> {
        (self != UpdateText::default()).then_some(self)
    }

    pub fn as_ref(&self) -> TextRef<'_> {
        TextRef([
            self.by.as_deref(),
            self.evidence.as_deref(),
            self.note.as_deref(),
            self.decision.as_deref(),
        ])
    }
}

/// The free text of one update, borrowed: `by`, `evidence`, `note`,
/// `decision`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextRef<'a>([Option<&'a str>; 4]);

impl<'a> TextRef<'a> {
    pub fn by(&self) -> Option<&'a str> {
        self.0[0]
    }

    pub fn evidence(&self) -> Option<&'a str> {
        self.0[1]
    }

    pub fn note(&self) -> Option<&'a str> {
        self.0[2]
    }

    pub fn decision(&self) -> Option<&'a str> {
        self.0[3]
    }
}

/// The free text of the updates that have any, by update index: a national
/// plan has hundreds of thousands, so they share one buffer (about 21
/// bytes each beside the text itself, against 96 and an allocation per
/// field as `UpdateText`s).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Texts {
    /// The updates that have text, ascending.
    ids: Vec<u32>,
    /// Per update, which of the four fields are given (bit i for field i).
    given: Vec<u8>,
    /// Per update, where each of its four fields ends in `buf`; a field
    /// starts where the one before it ends.
    ends: Vec<u32>,
    buf: String,
    /// By update index, where it is among `ids`, plus one (0: it has no
    /// text). Made at the first look-up: a listing of every occurrence
    /// looks up a million and a half, which searching `ids` made most of
    /// the cost of writing its rows.
    #[serde(skip)]
    index: std::sync::OnceLock<Vec<u32>>,
}

impl Texts {
    /// Adds the text of update `id`, which must be later than any added.
    pub fn push(&mut self, id: u32, text: &UpdateText) {
        let fields = text.as_ref().0;
        let mut given = 0u8;
        for (i, f) in fields.iter().enumerate() {
            if let Some(f) = f {
                given |= 1 << i;
                self.buf.push_str(f);
            }
            self.ends.push(narrow(self.buf.len()));
        }
        self.ids.push(id);
        self.given.push(given);
        self.index = Default::default();
    }

    /// Appends `other`, its update indexes moved up by `base`.
    pub fn append(&mut self, other: &Texts, base: u32) {
        let offset = narrow(self.buf.len());
        self.ids.extend(other.ids.iter().map(|&i| i + base));
        self.given.extend_from_slice(&other.given);
        self.ends.extend(other.ends.iter().map(|&e| e + offset));
        self.buf.push_str(&other.buf);
        self.index = Default::default();
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Where among `ids` update `id` is, if it has text.
    fn find(&self, id: u32) -> Option<usize> {
        let index = self.index.get_or_init(|| {
            let mut index = vec![0; self.ids.last().map_or(0, |&last| last as usize + 1)];
            for (k, &id) in self.ids.iter().enumerate() {
                if let Some(at) = index.get_mut(id as usize) {
                    *at = narrow(k + 1);
                }
            }
            index
        });
        let k = index.get(id as usize)?.checked_sub(1)?;
        Some(k as usize)
    }

    /// Reads where the text of update `id` lies, for reading many ahead
    /// of their use (`memory::read_ahead`).
    pub fn place(&self, id: u32) -> u32 {
        let Some(k) = self.find(id) else {
            return 0;
        };
        let start = k.checked_sub(1).and_then(|k| self.ends.get(4 * k + 3));
        let start = start.copied().unwrap_or(0);
        let first = self.buf.as_bytes().get(start as usize).copied();
        start.wrapping_add(u32::from(first.unwrap_or(0)))
    }

    /// The text of update `id` (all absent when it has none).
    pub fn get(&self, id: u32) -> TextRef<'_> {
        let Some(k) = self.find(id) else {
            return TextRef::default();
        };
        let mut start = if k == 0 { 0 } else { self.ends[4 * k - 1] } as usize;
        let mut fields = [None; 4];
        for (i, field) in fields.iter_mut().enumerate() {
            let end = self.ends[4 * k + i] as usize;
            if self.given[k] & (1 << i) != 0 {
                *field = self.buf.get(start..end);
            }
            start = end;
        }
        TextRef(fields)
    }
}

impl Update {
    pub fn occurrence(&self) -> OccId {
        self.occurrence as OccId
    }

    pub fn file(&self) -> FileId {
        self.file as FileId
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum IndicatorKind {
    AtLeast,
    AtMost,
}

impl IndicatorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::AtLeast => "at_least",
            IndicatorKind::AtMost => "at_most",
        }
    }

    pub fn sign(self) -> &'static str {
        match self {
            IndicatorKind::AtLeast => "≥",
            IndicatorKind::AtMost => "≤",
        }
    }
}

/// A quantitative target (chỉ tiêu, §8).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
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
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Measure {
    pub indicator: usize,
    pub year: i32,
    pub value: f64,
    #[serde(with = "crate::cache::day")]
    pub date: NaiveDate,
    pub by: Option<String>,
    pub evidence: Option<String>,
    pub note: Option<String>,
    pub file: FileId,
}

impl Measure {
    /// Whether this measurement says what `other` says: one figure
    /// recorded twice (who recorded it, `by`, is not compared).
    pub fn says_the_same(&self, other: &Measure) -> bool {
        self.indicator == other.indicator
            && self.year == other.year
            && self.value == other.value
            && self.date == other.date
            && self.evidence == other.evidence
            && self.note == other.note
    }
}

/// Values for the documents of §7 (`[report]` in plan.toml, §2).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ReportInfo {
    pub recipients: Vec<String>,
    pub signer_title: Option<String>,
    pub signer: Option<String>,
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
    pub report_info: ReportInfo,
    pub agencies: Vec<Agency>,
    pub tasks: Vec<Task>,
    pub occurrences: Vec<Occurrence>,
    pub updates: Vec<Update>,
    /// The free text of `updates`.
    pub texts: Texts,
    /// Indices into `updates`, grouped by occurrence (see
    /// `Occurrence::updates`).
    pub update_order: Vec<u32>,
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
        // Codes have no spaces: one pasted with a space around still names it.
        let code = code.trim();
        self.agencies
            .iter()
            .position(|a| a.code == code)
            .or_else(|| {
                self.agencies
                    .iter()
                    .position(|a| a.code.eq_ignore_ascii_case(code))
            })
    }

    /// Finds a task by id: exactly, else ignoring ASCII case (and the
    /// spaces around an id pasted from a spreadsheet).
    pub fn task_by_id(&self, id: &str) -> Option<TaskId> {
        let id = id.trim();
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

    /// An update by the index `update_order` and `Evaluation::last` hold.
    pub fn update(&self, i: u32) -> &Update {
        &self.updates[i as usize]
    }

    /// The free text of the update `update_order` or `Evaluation::last`
    /// names.
    pub fn text(&self, i: u32) -> TextRef<'_> {
        self.texts.get(i)
    }

    /// An update already on record that says what `update` (with its
    /// text) says, of the same occurrence (`Update::says_the_same`).
    pub fn on_record(&self, update: &Update, text: TextRef) -> Option<u32> {
        self.history(update.occurrence())
            .iter()
            .copied()
            .find(|&i| self.update(i).says_the_same(self.text(i), update, text))
    }

    /// The updates of an occurrence, by date then load order.
    pub fn history(&self, occ: OccId) -> &[u32] {
        history(&self.occurrences, &self.update_order, occ)
    }

    pub fn plan_title(&self, lang: Lang) -> &str {
        match (lang, &self.title_en) {
            (Lang::En, Some(en)) => en,
            _ => &self.title,
        }
    }

    /// The agencies that lead a task's occurrences: the lead, or its members.
    pub fn leads_of(&self, task: TaskId) -> &[AgencyId] {
        let lead = self.tasks[task].lead;
        let members = &self.agencies[lead].members;
        if members.is_empty() {
            std::slice::from_ref(&self.tasks[task].lead)
        } else {
            members
        }
    }

    /// The occurrence of `task` for period `label` and, for a group task,
    /// the member `member` (§11). Computed, not searched: labels follow from
    /// the deadline rule.
    pub fn occurrence_of(
        &self,
        task: TaskId,
        label: Label,
        member: Option<AgencyId>,
    ) -> Option<OccId> {
        let t = &self.tasks[task];
        let leads = self.leads_of(task);
        let slot = match member {
            None if leads.len() == 1 && leads[0] == t.lead => 0,
            None => return None,
            Some(m) => leads.iter().position(|&a| a == m)?,
        };
        let period = t.due.period_index(label)?;
        let occ = t.occurrences.start + period * leads.len() + slot;
        (occ < t.occurrences.end).then_some(occ)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(fields: [Option<&str>; 4]) -> UpdateText {
        let [by, evidence, note, decision] = fields.map(|f| f.map(String::from));
        UpdateText {
            by,
            evidence,
            note,
            decision,
        }
    }

    #[test]
    fn packed_labels_unpack_to_the_same_label() {
        for year in [0, 1, 1900, 2021, 2999, 9999] {
            let mut parts = Vec::new();
            for label in Label::all_of(year) {
                let packed = PackedLabel::from(label);
                assert_eq!(Label::from(packed), label);
                assert_eq!(packed.year(), year);
                assert!(packed.part() < PackedLabel::PARTS);
                parts.push(packed.part());
            }
            // Each part of a year its own number.
            assert_eq!(parts.len(), 19);
            parts.sort_unstable();
            parts.dedup();
            assert_eq!(parts.len(), 19);
        }
    }

    #[test]
    fn texts_give_back_each_field_as_given() {
        let given = [
            (2, [Some("Sở A"), None, Some("ghi chú\nhai dòng"), None]),
            (5, [None, Some(""), None, Some("QĐ 12")]),
            (9, [Some("x"), Some("y"), Some("z"), Some("w")]),
        ];
        let mut first = Texts::default();
        first.push(given[0].0, &text(given[0].1));
        // Looked up before the others are added: the table of places is
        // made again for them.
        assert_eq!(first.get(2), TextRef(given[0].1));
        assert_eq!(first.get(9), TextRef::default());
        let mut second = Texts::default();
        second.push(0, &text(given[1].1));
        second.push(4, &text(given[2].1));
        // The second file's updates come after the first file's five.
        first.append(&second, 5);
        assert_eq!(first.len(), 3);
        for (id, fields) in given {
            assert_eq!(first.get(id), TextRef(fields), "update {id}");
        }
        for id in [0, 1, 3, 4, 6, 10, u32::MAX] {
            assert_eq!(first.get(id), TextRef::default(), "update {id}");
            assert_eq!(first.place(id), 0, "update {id}");
        }
    }
}
