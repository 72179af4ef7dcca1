//! The raw shapes of plan files, as serde reads them: every value with its
//! byte span, nothing checked beyond its TOML type. Required keys are
//! `Option` here so that a table missing one is still read and its other
//! keys still checked; `load` lists what is missing, `validate` skips it.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;
use toml::value::Datetime;

pub type S<T> = Spanned<T>;

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub id: Option<S<String>>,
    pub title: Option<S<String>>,
    pub title_en: Option<String>,
    pub issuer: Option<String>,
    pub issued: Option<S<Datetime>>,
    pub first_year: Option<S<i64>>,
    pub last_year: Option<S<i64>>,
    pub lang: Option<S<String>>,
    #[serde(default)]
    pub focal: Vec<S<String>>,
    #[serde(default)]
    pub basis: Vec<RawBasis>,
    #[serde(default)]
    pub group: Vec<RawGroup>,
    pub report: Option<RawReport>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawBasis {
    #[serde(rename = "ref")]
    pub reference: Option<S<String>>,
    pub date: Option<S<Datetime>>,
    pub title: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub id: Option<S<String>>,
    pub title: Option<S<String>>,
    pub title_en: Option<String>,
}

/// `[report]` in plan.toml (§2): values for documents.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    #[serde(default)]
    pub recipients: Vec<String>,
    pub signer_title: Option<String>,
    pub signer: Option<String>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct RawAgencies {
    #[serde(default)]
    pub agency: Vec<RawAgency>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawAgency {
    pub code: Option<S<String>>,
    pub name: Option<S<String>>,
    pub name_en: Option<String>,
    pub kind: Option<String>,
    pub until: Option<S<Datetime>>,
    pub successor: Option<S<String>>,
    pub members: Option<S<Vec<S<String>>>>,
    pub parent: Option<String>,
    pub place: Option<String>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct RawTasks {
    #[serde(default)]
    pub task: Vec<RawTask>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawTask {
    pub id: Option<S<String>>,
    pub group: Option<S<String>>,
    pub title: Option<S<String>>,
    pub title_en: Option<String>,
    pub lead: Option<S<String>>,
    #[serde(default)]
    pub support: Vec<S<String>>,
    pub due: Option<S<RawDue>>,
    pub output: Option<String>,
    pub note: Option<String>,
    /// Where this task goes when an agency of it ceases, when not to that
    /// agency's own `successor` (a split of functions, §9 as kehoach
    /// extends it).
    pub successors: Option<S<BTreeMap<S<String>, S<String>>>>,
}

/// A task's `due` (§4, §12): a date, the word `"ongoing"`, or a rule table.
#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
pub enum RawDue {
    Date(Datetime),
    Word(String),
    Rule(RawRule),
}

/// `{ every = …, on = …, first_year = …, last_year = … }`. Its problems are
/// placed on the `due` key: serde keeps no spans inside an untagged enum.
#[derive(Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub every: Option<String>,
    pub on: Option<RawOn>,
    pub first_year: Option<i64>,
    pub last_year: Option<i64>,
}

/// `on`: a day of the month, or `"MM-DD"` for a yearly rule.
#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
pub enum RawOn {
    Day(i64),
    MonthDay(String),
}

impl std::fmt::Display for RawOn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RawOn::Day(d) => write!(f, "{d}"),
            RawOn::MonthDay(s) => write!(f, "\"{s}\""),
        }
    }
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct RawIndicators {
    #[serde(default)]
    pub indicator: Vec<RawIndicator>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    pub id: Option<S<String>>,
    pub title: Option<S<String>>,
    pub unit: Option<S<String>>,
    pub lead: Option<S<String>>,
    pub group: Option<S<String>>,
    pub kind: Option<S<String>>,
    pub target: Option<S<f64>>,
    pub targets: Option<S<BTreeMap<S<String>, S<f64>>>>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct RawProgress {
    #[serde(default)]
    pub update: Vec<RawUpdate>,
    #[serde(default)]
    pub measure: Vec<RawMeasure>,
}

#[derive(Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct RawUpdate {
    pub task: Option<S<String>>,
    pub period: Option<S<String>>,
    pub agency: Option<S<String>>,
    pub date: Option<S<Datetime>>,
    pub status: Option<S<String>>,
    pub percent: Option<S<i64>>,
    pub by: Option<String>,
    pub evidence: Option<String>,
    pub note: Option<String>,
    pub new_due: Option<S<Datetime>>,
    pub decision: Option<S<String>>,
}

#[derive(Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct RawMeasure {
    pub indicator: Option<S<String>>,
    pub year: Option<S<i64>>,
    pub value: Option<S<f64>>,
    pub date: Option<S<Datetime>>,
    pub by: Option<String>,
    pub evidence: Option<String>,
    pub note: Option<String>,
}

/// Whether every required key is present: the fast path hands a file with
/// a missing key to the slow path, which says where.
pub trait Complete {
    fn complete(&self) -> bool;
}

impl Complete for RawPlan {
    fn complete(&self) -> bool {
        self.id.is_some()
            && self.title.is_some()
            && self.issued.is_some()
            && self.first_year.is_some()
            && self.last_year.is_some()
            && self.basis.iter().all(|b| b.reference.is_some())
            && self
                .group
                .iter()
                .all(|g| g.id.is_some() && g.title.is_some())
    }
}

impl Complete for RawAgencies {
    fn complete(&self) -> bool {
        self.agency
            .iter()
            .all(|a| a.code.is_some() && a.name.is_some())
    }
}

impl Complete for RawTasks {
    fn complete(&self) -> bool {
        self.task.iter().all(|t| {
            t.id.is_some()
                && t.group.is_some()
                && t.title.is_some()
                && t.lead.is_some()
                && t.due.is_some()
        })
    }
}

impl Complete for RawIndicators {
    fn complete(&self) -> bool {
        self.indicator
            .iter()
            .all(|i| i.id.is_some() && i.title.is_some() && i.unit.is_some() && i.lead.is_some())
    }
}

impl Complete for RawProgress {
    fn complete(&self) -> bool {
        self.update
            .iter()
            .all(|u| u.task.is_some() && u.date.is_some() && u.status.is_some())
            && self.measure.iter().all(|m| {
                m.indicator.is_some() && m.year.is_some() && m.value.is_some() && m.date.is_some()
            })
    }
}
