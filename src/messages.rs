//! Every message a user can see about a problem or a refusal, in one place:
//! one variant per kind of problem, its arguments typed, its Vietnamese and
//! English wording side by side. Stages raise variants; only `text` turns
//! them into words. Messages follow `--lang`, else the plan's `lang` (§10).

use crate::model::Lang;
use std::fmt;

/// The kinds of value a plan file key expects, for "wrong type" messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Expect {
    Str,
    Date,
    Int,
    Num,
    StrList,
    Tables,
    Table,
    Due,
    DueOn,
    YearMap,
    CodeMap,
}

impl Expect {
    fn text(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Vi, Expect::Str) => "một chuỗi (trong dấu ngoặc kép)",
            (Lang::Vi, Expect::Date) => "một ngày như 2023-12-15 (không có dấu ngoặc kép)",
            (Lang::Vi, Expect::Int) => "một số nguyên",
            (Lang::Vi, Expect::Num) => "một số",
            (Lang::Vi, Expect::StrList) => "một mảng chuỗi như [\"A\", \"B\"]",
            (Lang::Vi, Expect::Tables) => "các bảng [[...]]",
            (Lang::Vi, Expect::Table) => "một bảng",
            (Lang::Vi, Expect::Due) => {
                "một ngày như 2023-12-15, \"ongoing\" hoặc một bảng như { every = \"year\", on = \"12-15\" }"
            }
            (Lang::Vi, Expect::DueOn) => "một ngày trong tháng (1–31) hoặc \"MM-DD\"",
            (Lang::Vi, Expect::YearMap) => "một bảng năm = số như { \"2024\" = 90 }",
            (Lang::Vi, Expect::CodeMap) => {
                "một bảng mã cơ quan = mã cơ quan như { STTTT = \"SVHTTDL\" }"
            }
            (Lang::En, Expect::Str) => "a string (in quotes)",
            (Lang::En, Expect::Date) => "a date like 2023-12-15 (without quotes)",
            (Lang::En, Expect::Int) => "an integer",
            (Lang::En, Expect::Num) => "a number",
            (Lang::En, Expect::StrList) => "an array of strings like [\"A\", \"B\"]",
            (Lang::En, Expect::Tables) => "[[...]] tables",
            (Lang::En, Expect::Table) => "a table",
            (Lang::En, Expect::Due) => {
                "a date like 2023-12-15, \"ongoing\" or a table like { every = \"year\", on = \"12-15\" }"
            }
            (Lang::En, Expect::DueOn) => "a day of the month (1–31) or \"MM-DD\"",
            (Lang::En, Expect::YearMap) => "a table of year = number like { \"2024\" = 90 }",
            (Lang::En, Expect::CodeMap) => {
                "a table of agency code = agency code like { STTTT = \"SVHTTDL\" }"
            }
        }
    }
}

/// Where an agency code is used, for "unknown agency" messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Role {
    Lead,
    Support,
    Successor,
    Focal,
    Member,
    UpdateAgency,
    TaskSuccessors,
}

impl Role {
    fn key(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Support => "support",
            Role::Successor => "successor",
            Role::Focal => "focal",
            Role::Member => "members",
            Role::UpdateAgency => "agency",
            Role::TaskSuccessors => "successors",
        }
    }
}

/// What an id names, for id messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Thing {
    Task,
    Indicator,
    Group,
}

impl Thing {
    fn text(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Vi, Thing::Task) => "nhiệm vụ",
            (Lang::Vi, Thing::Indicator) => "chỉ tiêu",
            (Lang::Vi, Thing::Group) => "nhóm",
            (Lang::En, Thing::Task) => "task",
            (Lang::En, Thing::Indicator) => "indicator",
            (Lang::En, Thing::Group) => "group",
        }
    }
}

/// Where something was first defined, named in a "duplicate" message:
/// validation knows the byte offset, `load::locate` turns it into
/// `FILE:LINE` when the problem is shown.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Place {
    Offset { file: usize, at: usize },
    Line(String),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Offset { .. } => f.write_str("?"),
            Place::Line(s) => f.write_str(s),
        }
    }
}

/// One problem or refusal. Arguments are what the user wrote, already
/// formatted where they are dates (`dd/mm/yyyy`) or lists.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Msg {
    // --- files -------------------------------------------------------------
    FileNotFound,
    PermissionDenied,
    CannotRead {
        detail: String,
    },
    IsADirectory,
    FileTooLarge {
        mib: u64,
        max: u64,
    },
    NotUtf8,
    PlanTomlMissing,
    AgenciesTomlMissing,
    ExpectedDirectory,
    CannotReadDirectory,
    NameNotUnicode,
    SymlinkNotFollowed,
    /// `[agency]` repeated where `[[agency]]` is meant.
    TableNotList {
        name: String,
    },
    TomlSyntax {
        detail: String,
        /// The line as it should be written, when it holds a date written
        /// day first (`date = 15/12/2023`: `date = 2023-12-15`).
        fix: Option<String>,
        /// The line as it should be written, when it holds a percentage or
        /// a word without quotes (`status = done`: `status = "done"`).
        write: Option<String>,
    },

    // --- keys and types ----------------------------------------------------
    UnknownKey {
        key: String,
        table: String,
        suggestion: Option<String>,
        allowed: String,
    },
    MissingKey {
        key: String,
        table: String,
    },
    WrongType {
        key: String,
        expected: Expect,
        found: String,
        /// The value as it should be written, when the text found says
        /// it (`"15/12/2024"` for a date: `2024-12-15`).
        fix: Option<String>,
    },
    InvalidValue {
        key: String,
        detail: String,
    },

    // --- plan.toml ---------------------------------------------------------
    Empty {
        key: String,
    },
    NotACalendarDate {
        key: String,
        found: String,
    },
    NotAYear {
        key: String,
        found: i64,
    },
    PeriodBackwards {
        first: i32,
        last: i32,
    },
    UnknownLang {
        found: String,
    },
    NoGroups,
    DuplicateId {
        thing: Thing,
        id: String,
        first: Place,
    },

    // --- agencies ----------------------------------------------------------
    BadAgencyCode {
        code: String,
        /// The code without the spaces around it, when that is valid.
        fix: Option<String>,
    },
    DuplicateAgency {
        code: String,
        first: Place,
    },
    CodeDiffersInCase {
        code: String,
        other: String,
    },
    UntilWithoutSuccessor {
        code: String,
    },
    SuccessorWithoutUntil {
        code: String,
    },
    OwnSuccessor {
        code: String,
    },
    SuccessorLoop {
        chain: String,
    },
    SuccessorsNotCeased {
        code: String,
    },
    SuccessorsToGroup {
        code: String,
    },
    SuccessorsUnused {
        code: String,
        task: String,
    },
    UnknownAgency {
        code: String,
        role: Role,
        suggestion: Option<String>,
        /// The codes of the agencies of that name, when there are several.
        named: Vec<String>,
    },
    AgencyCaseMismatch {
        code: String,
        role: Role,
        meant: String,
    },
    MemberIsGroup {
        member: String,
        group: String,
    },
    MemberTwice {
        member: String,
    },
    GroupWithoutMembers {
        code: String,
    },
    GroupReorganised {
        code: String,
    },

    // --- tasks and deadlines -------------------------------------------------
    BadId {
        thing: Thing,
        id: String,
        /// The id without the spaces around it, when that is valid.
        fix: Option<String>,
    },
    /// More occurrences than the compact index of the model holds.
    TooManyOccurrences {
        max: u64,
    },
    UnknownGroup {
        id: String,
        known: String,
        /// The group meant, when `id` is one with spaces around it.
        fix: Option<String>,
    },
    /// An id defined with spaces around it (`id = "1 "`): `fix` is the
    /// id meant, which the rest of the plan is read with.
    SpacesAroundId {
        thing: Thing,
        id: String,
        fix: String,
    },
    SupportRepeatsLead {
        code: String,
    },
    SupportTwice {
        code: String,
    },
    UnknownEvery {
        found: String,
    },
    UnknownDueWord {
        found: String,
    },
    /// `due = "2023-06-30"`: a date in quotes.
    DueDateQuoted {
        found: String,
        fix: String,
    },
    MissingOn,
    OnNotMonthDay {
        found: String,
    },
    OnNotDay {
        every: String,
        found: String,
    },
    OnWithOngoing,
    DueYearOutside {
        key: String,
        year: i64,
        first: i32,
        last: i32,
    },
    DueYearsBackwards {
        first: i32,
        last: i32,
    },
    OccurrenceBeforeIssue {
        label: String,
        deadline: String,
        issued: String,
    },
    DeadlineOutsidePeriod {
        deadline: String,
        first: i32,
        last: i32,
    },

    // --- indicators --------------------------------------------------------
    UnknownIndicatorKind {
        found: String,
    },
    TargetAndTargets {
        id: String,
    },
    NoTarget {
        id: String,
    },
    NotFinite {
        key: String,
    },
    TargetKeyNotYear {
        found: String,
    },
    YearOutsidePeriod {
        year: i64,
        first: i32,
        last: i32,
    },
    IndicatorLedByGroup {
        code: String,
    },

    // --- progress ----------------------------------------------------------
    UnknownTaskInUpdate {
        id: String,
        suggestion: Option<String>,
    },
    DatedBeforeIssue {
        date: String,
        issued: String,
    },
    UnknownStatus {
        found: String,
        suggestion: Option<String>,
    },
    PercentOutOfRange {
        value: i64,
    },
    DoneBelow100 {
        value: i64,
    },
    NewDueWithoutDecision,
    /// `new_due` on a task done on request, without the request.
    RequestWithoutDecision,
    CancelWithoutDecision,
    DecisionWithoutEffect,
    ExtensionNotLater {
        new_due: String,
        in_force: String,
    },
    ExtensionAfterNewDue {
        date: String,
        new_due: String,
    },
    DoneWithoutEvidence {
        command: String,
    },
    ImportedWithoutEvidence {
        rows: usize,
    },
    NewDueOnOngoing {
        task: String,
    },
    PeriodRequired {
        task: String,
        every: String,
        example: String,
    },
    NotAnOccurrence {
        period: String,
        task: String,
        periods: String,
    },
    AgencyRequired {
        task: String,
        group: String,
        members: String,
    },
    AgencyOnOrdinaryTask {
        task: String,
    },
    NotAMember {
        agency: String,
        group: String,
        members: String,
    },
    UnknownIndicatorInMeasure {
        id: String,
        suggestion: Option<String>,
    },

    // --- finding a plan ----------------------------------------------------
    NoPlanFound,
    SeveralPlans {
        list: String,
    },
    SeveralPlansIn {
        dir: String,
        list: String,
    },
    NoSuchPlan {
        given: String,
    },
    AmbiguousPlanId {
        id: String,
        list: String,
    },
    DuplicatePlanId {
        id: String,
        list: String,
    },
    EmptyPlanArgument,
    NoPlansUnder,
    CannotReadCwd {
        detail: String,
    },

    // --- command-line values malformed in themselves (exit 2) ---------------
    NotADate {
        value: String,
    },
    NotAYearArg {
        value: String,
        /// `--year` also takes `all`.
        or_all: bool,
    },
    NotANumber {
        value: String,
    },
    NotAPercent {
        value: String,
    },
    NotAStatus {
        value: String,
    },
    OutputKindNotWritten {
        ext: String,
        formats: String,
    },

    // --- command-line values the plan decides --------------------------------
    UnknownAgencyArg {
        code: String,
        suggestion: Option<String>,
        known: String,
    },
    UnknownGroupArg {
        id: String,
        known: String,
    },
    YearNotInPlan {
        year: i32,
        first: i32,
        last: i32,
    },
    NoSuchTask {
        id: String,
        plan: String,
        near: String,
    },
    NoSuchIndicator {
        id: String,
        plan: String,
        known: String,
    },
    BinaryOnTerminal {
        format: String,
    },
    DocxOnly,
    DocxTooLong {
        rows: String,
        max: String,
    },
    ServeNeedsToken {
        bind: String,
    },
    CannotListen {
        addr: String,
        detail: String,
    },
    HostRefused {
        host: String,
    },
    TokenRequired,
    BodyTooLarge,
    RequestTooSlow,
    CannotOpenBrowser {
        url: String,
        detail: String,
    },
    RecordNotAllowed,
    CsrfRefused,
    PageNotFound,
    PlanParamNeeded {
        known: String,
    },
    RecordField {
        field: String,
        value: String,
        detail: String,
    },
    AgencyCeased {
        code: String,
        until: String,
        successor: String,
    },
    GroupIsNotAnAgency {
        code: String,
        members: String,
    },

    // --- record, measure ---------------------------------------------------
    DateAfterToday {
        date: String,
        today: String,
    },
    NoOccurrenceForDate {
        task: String,
        date: String,
        periods: String,
    },
    MemberNeeded {
        task: String,
        group: String,
        members: String,
    },
    AgencyNotForTask {
        task: String,
    },
    DidNotReadBack,
    FileHasProblems {
        file: String,
        first: Option<Box<Msg>>,
    },
    PlanLocked {
        holder: String,
        seconds: u64,
        path: String,
    },
    /// A note, not an error: a writer waiting for the plan's lock.
    WaitingForLock {
        holder: String,
    },
    ChangedWhileWriting {
        file: String,
    },
    CannotWrite {
        path: String,
        detail: String,
        why: WriteFailure,
    },
    NoDirForOutput {
        dir: String,
        path: String,
    },
    CannotCreateDir {
        path: String,
        detail: String,
    },
    CannotReplace {
        path: String,
        detail: String,
    },
    IsADirectoryArg {
        path: String,
    },
    CommitNeedsGit,
    NotAGitRepo {
        dir: String,
    },
    GitFailed {
        file: String,
        step: String,
        detail: String,
    },
    SetAside {
        count: usize,
        files: String,
    },
    SetAsideHint,
    PlanHasErrors {
        dir: String,
        errors: usize,
    },

    // --- agency forms (§13) --------------------------------------------------
    FormDamaged {
        detail: String,
    },
    NotAForm,
    FormKeysMissing {
        keys: String,
    },
    FormFormula {
        key: String,
    },
    FormStatusMissing,
    FormOtherPlan {
        found: String,
        expected: String,
    },
    FormVersion {
        found: String,
    },
    FormIdentity {
        key: String,
        found: String,
    },
    FormBadStatus {
        found: String,
        suggestion: Option<String>,
        words: String,
    },
    FormBadDate {
        found: String,
    },
    FormDateMissing,
    FormBadPercent {
        found: String,
    },
    /// A workbook import does not read (.xls, .ods), named by `kind`.
    FormOtherFormat {
        kind: String,
    },
    /// A cell so far from the others that the sheet spans too many.
    FormTooFar,
    FormBadText {
        key: String,
        found: String,
    },
    FormNotOnForm {
        task: String,
        period: String,
        agency: String,
        year: i32,
    },
    FormNeedsOutput,
    FormRowWithoutTask,
    ImportRefused {
        errors: usize,
    },
    /// An import argument, a directory or a pattern, that names no form.
    FormsNoneIn {
        given: String,
    },
    /// An office program's lock file beside an open form, left out.
    FormLockSkipped {
        name: String,
    },

    // --- init, git-setup, merge ------------------------------------------------
    NotEmpty {
        dir: String,
    },
    InsideOldPlan {
        dir: String,
        old: String,
    },
    BadPeriodArgs {
        from: i32,
        to: i32,
    },
    GitSetupFailed {
        detail: String,
    },
    CannotRunGit {
        detail: String,
    },
    MergeConflict {
        file: String,
    },

    /// A refusal of `record`, `measure` or `import`: the cause, then that
    /// nothing was written.
    NothingWritten(Box<Msg>),
    /// Several problems with one input, listed together.
    Several(Vec<Msg>),
    /// More warnings than a reading command shows (§10).
    MoreWarnings {
        count: usize,
    },
}

/// A TOML type as the user knows it.
fn type_name(found: &str, lang: Lang) -> String {
    let vi = match found {
        "string" => "chuỗi",
        "integer" => "số nguyên",
        "float" => "số thực",
        "boolean" => "giá trị đúng/sai",
        "datetime" => "ngày giờ",
        "array" => "mảng",
        "table" => "bảng",
        other => other,
    };
    match lang {
        Lang::Vi => vi.to_string(),
        Lang::En => found.to_string(),
    }
}

/// How often a task recurs, in words.
fn every_name(every: &str, lang: Lang) -> &str {
    match (lang, every) {
        (Lang::Vi, "year") => "hằng năm",
        (Lang::Vi, "half-year") => "6 tháng một kỳ",
        (Lang::Vi, "quarter") => "hằng quý",
        (Lang::Vi, "month") => "hằng tháng",
        (Lang::Vi, "ongoing") => "thường xuyên, mỗi năm một kỳ",
        (Lang::Vi, "on_request") => "khi có yêu cầu, mỗi năm một kỳ",
        (Lang::En, "year") => "every year",
        (Lang::En, "half-year") => "every half-year",
        (Lang::En, "quarter") => "every quarter",
        (Lang::En, "month") => "every month",
        (Lang::En, "ongoing") => "ongoing, one period a year",
        (Lang::En, "on_request") => "on request, one period a year",
        (_, other) => other,
    }
}

/// `; did you mean "X"?`
/// " hoặc " / " or ".
fn or_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => " hoặc ",
        Lang::En => " or ",
    }
}

fn suggest(s: &Option<String>, lang: Lang) -> String {
    match (s, lang) {
        (None, _) => String::new(),
        (Some(x), Lang::Vi) => format!("; có phải là \"{x}\"?"),
        (Some(x), Lang::En) => format!("; did you mean \"{x}\"?"),
    }
}

macro_rules! tr {
    ($lang:expr, $vi:literal, $en:literal) => {
        match $lang {
            Lang::Vi => format!($vi),
            Lang::En => format!($en),
        }
    };
}

/// Why a file could not be written, as far as the system says: what the
/// message suggests doing depends on it.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum WriteFailure {
    Full,
    /// No permission — on Windows also a file another program holds open.
    Denied,
    Other,
}

impl Msg {
    /// `path` could not be written: `e` says why.
    pub fn cannot_write(path: &std::path::Path, e: &std::io::Error) -> Msg {
        use std::io::ErrorKind;
        // Windows: 32 sharing violation, 33 lock violation (a file open in
        // Excel).
        let why = match (e.kind(), e.raw_os_error()) {
            (ErrorKind::StorageFull | ErrorKind::QuotaExceeded, _) => WriteFailure::Full,
            (ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem, _) => {
                WriteFailure::Denied
            }
            (_, Some(32 | 33)) if cfg!(windows) => WriteFailure::Denied,
            _ => WriteFailure::Other,
        };
        Msg::CannotWrite {
            path: path.display().to_string(),
            detail: e.to_string(),
            why,
        }
    }

    /// The message in `lang`. Every variant is dispatched here, so a new
    /// one without wording does not compile.
    pub fn text(&self, lang: Lang) -> String {
        use Msg::*;
        match self {
            FileNotFound
            | PermissionDenied
            | CannotRead { .. }
            | IsADirectory
            | FileTooLarge { .. }
            | NotUtf8
            | PlanTomlMissing
            | AgenciesTomlMissing
            | ExpectedDirectory
            | CannotReadDirectory
            | NameNotUnicode
            | SymlinkNotFollowed
            | TomlSyntax { .. }
            | TableNotList { .. } => self.text_files(lang),
            UnknownKey { .. } | MissingKey { .. } | WrongType { .. } | InvalidValue { .. } => {
                self.text_keys(lang)
            }
            Empty { .. }
            | NotACalendarDate { .. }
            | NotAYear { .. }
            | PeriodBackwards { .. }
            | UnknownLang { .. }
            | NoGroups
            | DuplicateId { .. } => self.text_plan(lang),
            BadAgencyCode { .. }
            | DuplicateAgency { .. }
            | CodeDiffersInCase { .. }
            | UntilWithoutSuccessor { .. }
            | SuccessorWithoutUntil { .. }
            | OwnSuccessor { .. }
            | SuccessorLoop { .. }
            | SuccessorsNotCeased { .. }
            | SuccessorsToGroup { .. }
            | SuccessorsUnused { .. }
            | UnknownAgency { .. }
            | AgencyCaseMismatch { .. }
            | MemberIsGroup { .. }
            | MemberTwice { .. }
            | GroupWithoutMembers { .. }
            | GroupReorganised { .. } => self.text_agencies(lang),
            BadId { .. }
            | SpacesAroundId { .. }
            | UnknownGroup { .. }
            | TooManyOccurrences { .. }
            | SupportRepeatsLead { .. }
            | SupportTwice { .. }
            | UnknownEvery { .. }
            | UnknownDueWord { .. }
            | DueDateQuoted { .. }
            | MissingOn
            | OnNotMonthDay { .. }
            | OnNotDay { .. }
            | OnWithOngoing
            | DueYearOutside { .. }
            | DueYearsBackwards { .. }
            | OccurrenceBeforeIssue { .. }
            | DeadlineOutsidePeriod { .. } => self.text_tasks(lang),
            UnknownIndicatorKind { .. }
            | TargetAndTargets { .. }
            | NoTarget { .. }
            | NotFinite { .. }
            | TargetKeyNotYear { .. }
            | YearOutsidePeriod { .. }
            | IndicatorLedByGroup { .. } => self.text_indicators(lang),
            UnknownTaskInUpdate { .. }
            | DatedBeforeIssue { .. }
            | UnknownStatus { .. }
            | PercentOutOfRange { .. }
            | DoneBelow100 { .. }
            | NewDueWithoutDecision
            | RequestWithoutDecision
            | CancelWithoutDecision
            | DecisionWithoutEffect
            | ExtensionNotLater { .. }
            | ExtensionAfterNewDue { .. }
            | DoneWithoutEvidence { .. }
            | ImportedWithoutEvidence { .. }
            | NewDueOnOngoing { .. }
            | PeriodRequired { .. }
            | NotAnOccurrence { .. }
            | AgencyRequired { .. }
            | AgencyOnOrdinaryTask { .. }
            | NotAMember { .. }
            | UnknownIndicatorInMeasure { .. } => self.text_progress(lang),
            NoPlanFound
            | SeveralPlans { .. }
            | SeveralPlansIn { .. }
            | NoSuchPlan { .. }
            | AmbiguousPlanId { .. }
            | DuplicatePlanId { .. }
            | EmptyPlanArgument
            | NoPlansUnder
            | CannotReadCwd { .. } => self.text_discovery(lang),
            NotADate { .. }
            | NotAYearArg { .. }
            | NotANumber { .. }
            | NotAPercent { .. }
            | NotAStatus { .. }
            | OutputKindNotWritten { .. }
            | UnknownAgencyArg { .. }
            | UnknownGroupArg { .. }
            | YearNotInPlan { .. }
            | NoSuchTask { .. }
            | NoSuchIndicator { .. }
            | BinaryOnTerminal { .. }
            | DocxOnly
            | DocxTooLong { .. }
            | AgencyCeased { .. }
            | GroupIsNotAnAgency { .. } => self.text_arguments(lang),
            DateAfterToday { .. }
            | NoOccurrenceForDate { .. }
            | MemberNeeded { .. }
            | AgencyNotForTask { .. }
            | DidNotReadBack
            | FileHasProblems { .. }
            | PlanLocked { .. }
            | WaitingForLock { .. }
            | ChangedWhileWriting { .. }
            | CannotWrite { .. }
            | NoDirForOutput { .. }
            | CannotCreateDir { .. }
            | CannotReplace { .. }
            | IsADirectoryArg { .. }
            | CommitNeedsGit
            | NotAGitRepo { .. }
            | GitFailed { .. }
            | SetAside { .. }
            | SetAsideHint
            | PlanHasErrors { .. } => self.text_writing(lang),
            FormDamaged { .. }
            | NotAForm
            | FormKeysMissing { .. }
            | FormFormula { .. }
            | FormStatusMissing
            | FormOtherPlan { .. }
            | FormVersion { .. }
            | FormIdentity { .. }
            | FormBadStatus { .. }
            | FormBadDate { .. }
            | FormDateMissing
            | FormBadPercent { .. }
            | FormOtherFormat { .. }
            | FormTooFar
            | FormBadText { .. }
            | FormNotOnForm { .. }
            | FormNeedsOutput
            | FormRowWithoutTask
            | ImportRefused { .. }
            | FormsNoneIn { .. }
            | FormLockSkipped { .. } => self.text_forms(lang),
            NotEmpty { .. }
            | InsideOldPlan { .. }
            | BadPeriodArgs { .. }
            | GitSetupFailed { .. }
            | CannotRunGit { .. }
            | MergeConflict { .. } => self.text_setup(lang),
            ServeNeedsToken { .. }
            | CannotListen { .. }
            | HostRefused { .. }
            | TokenRequired
            | BodyTooLarge
            | RequestTooSlow
            | CannotOpenBrowser { .. }
            | RecordNotAllowed
            | CsrfRefused
            | PageNotFound
            | PlanParamNeeded { .. }
            | RecordField { .. } => self.text_serve(lang),
            NothingWritten(..) | Several(..) | MoreWarnings { .. } => self.text_wrappers(lang),
        }
        // Each section words every variant routed to it; should one be
        // missed, the variant's name still says what happened.
        .unwrap_or_else(|| format!("{self:?}"))
    }

    fn text_files(&self, lang: Lang) -> Option<String> {
        use Msg::*;
        Some(match self {
            FileNotFound => tr!(lang, "không tìm thấy tệp", "file not found"),
            PermissionDenied => tr!(
                lang,
                "không có quyền đọc; kiểm tra quyền truy cập tệp",
                "permission denied; check the file's access rights"
            ),
            CannotRead { detail } => tr!(lang, "không đọc được: {detail}", "cannot read: {detail}"),
            IsADirectory => tr!(
                lang,
                "là một thư mục, cần một tệp TOML",
                "is a directory, expected a TOML file"
            ),
            FileTooLarge { mib, max } => tr!(
                lang,
                "tệp dài {mib} MiB; tệp kế hoạch tối đa {max} MiB — hãy tách thành nhiều tệp",
                "file is {mib} MiB; plan files may be at most {max} MiB — split it into several files"
            ),
            NotUtf8 => tr!(
                lang,
                "tệp không phải UTF-8; hãy lưu lại dạng UTF-8 (Notepad: Save As → Encoding: UTF-8)",
                "file is not valid UTF-8; save it as UTF-8 (in Notepad: Save As → Encoding: UTF-8)"
            ),
            PlanTomlMissing => tr!(
                lang,
                "không có plan.toml: thư mục kế hoạch cần plan.toml (bản thân kế hoạch) và agencies.toml",
                "plan.toml not found: a plan directory needs plan.toml (the plan itself) and agencies.toml"
            ),
            AgenciesTomlMissing => tr!(
                lang,
                "không có agencies.toml: thư mục kế hoạch cần agencies.toml liệt kê mọi cơ quan kế hoạch nhắc đến",
                "agencies.toml not found: a plan directory needs agencies.toml listing every agency the plan names"
            ),
            ExpectedDirectory => tr!(lang, "ở đây cần một thư mục", "expected a directory here"),
            CannotReadDirectory => tr!(
                lang,
                "không đọc được thư mục này",
                "cannot read this directory"
            ),
            NameNotUnicode => tr!(
                lang,
                "tên tệp không phải Unicode hợp lệ; bỏ qua",
                "file name is not valid Unicode; skipped"
            ),
            SymlinkNotFollowed => tr!(
                lang,
                "liên kết tượng trưng tới một thư mục hoặc ra ngoài thư mục kế hoạch; không theo",
                "symbolic link to a directory or outside the plan directory; not followed"
            ),
            TableNotList { name } => tr!(
                lang,
                "bảng [{name}] viết với một cặp ngoặc vuông; mỗi mục của danh sách viết [[{name}]] (hai cặp ngoặc vuông)",
                "table [{name}] written with single brackets; write each entry of the list as [[{name}]] (double brackets)"
            ),
            TomlSyntax {
                detail,
                write: Some(write),
                ..
            } => tr!(
                lang,
                "lỗi cú pháp TOML: {detail}; viết {write}",
                "TOML syntax: {detail}; write {write}"
            ),
            TomlSyntax { detail, fix, .. } => match fix {
                Some(fix) => tr!(
                    lang,
                    "lỗi cú pháp TOML: {detail}; ngày viết dạng năm-tháng-ngày, không có dấu ngoặc kép: {fix}",
                    "TOML syntax: {detail}; a date is written year-month-day, without quotes: {fix}"
                ),
                None => tr!(lang, "lỗi cú pháp TOML: {detail}", "TOML syntax: {detail}"),
            },
            _ => return None,
        })
    }

    fn text_keys(&self, lang: Lang) -> Option<String> {
        use Msg::*;
        Some(match self {
            UnknownKey {
                key,
                table,
                suggestion,
                allowed,
            } => {
                let hint = suggest(suggestion, lang);
                tr!(
                    lang,
                    "khóa lạ \"{key}\" trong {table}{hint} (các khóa được dùng: {allowed})",
                    "unknown key \"{key}\" in {table}{hint} (allowed: {allowed})"
                )
            }
            MissingKey { key, table } => tr!(
                lang,
                "thiếu khóa bắt buộc \"{key}\" trong {table}",
                "missing required key \"{key}\" in {table}"
            ),
            WrongType {
                key,
                expected,
                found,
                fix,
            } => {
                let expected = expected.text(lang);
                let found = type_name(found, lang);
                let fix = fix.as_ref().map_or(String::new(), |v| {
                    tr!(lang, "; viết {key} = {v}", "; write {key} = {v}")
                });
                tr!(
                    lang,
                    "sai kiểu cho \"{key}\": cần {expected}, gặp {found}{fix}",
                    "wrong type for \"{key}\": expected {expected}, found {found}{fix}"
                )
            }
            InvalidValue { key, detail } => tr!(
                lang,
                "giá trị không hợp lệ cho \"{key}\": {detail}",
                "invalid value for \"{key}\": {detail}"
            ),
            _ => return None,
        })
    }

    fn text_plan(&self, lang: Lang) -> Option<String> {
        use Msg::*;
        Some(match self {
            Empty { key } => tr!(
                lang,
                "\"{key}\" không được để trống",
                "\"{key}\" must not be empty"
            ),
            NotACalendarDate { key, found } => tr!(
                lang,
                "\"{key}\" phải là một ngày như 2023-12-15, gặp {found}",
                "\"{key}\" must be a calendar date like 2023-12-15, found {found}"
            ),
            NotAYear { key, found } => tr!(
                lang,
                "\"{key}\" phải là năm có bốn chữ số, gặp {found}",
                "\"{key}\" must be a four-digit year, found {found}"
            ),
            PeriodBackwards { first, last } => tr!(
                lang,
                "first_year {first} sau last_year {last}; giai đoạn kế hoạch phải theo thứ tự thời gian",
                "first_year {first} is after last_year {last}; the plan period must run forward"
            ),
            UnknownLang { found } => tr!(
                lang,
                "lang \"{found}\" không hợp lệ; dùng \"vi\" hoặc \"en\"",
                "unknown lang \"{found}\"; use \"vi\" or \"en\""
            ),
            NoGroups => tr!(
                lang,
                "plan.toml không có [[group]]; kế hoạch cần ít nhất một nhóm nhiệm vụ",
                "plan.toml has no [[group]]; a plan needs at least one task group"
            ),
            DuplicateId { thing, id, first } => {
                let what = thing.text(lang);
                tr!(
                    lang,
                    "trùng mã {what} \"{id}\" (đã khai báo tại {first})",
                    "duplicate {what} id \"{id}\" (first defined at {first})"
                )
            }
            _ => return None,
        })
    }

    fn text_agencies(&self, lang: Lang) -> Option<String> {
        use Msg::*;
        Some(match self {
            BadAgencyCode { code, fix } => {
                let fix = fix.as_ref().map_or(String::new(), |f| {
                    tr!(lang, "; viết code = \"{f}\"", "; write code = \"{f}\"")
                });
                tr!(
                    lang,
                    "mã cơ quan \"{code}\" không hợp lệ: dùng 1–32 ký tự A-Z, a-z, 0-9, '_', '.', '-'{fix}",
                    "bad agency code \"{code}\": use 1–32 characters of A-Z, a-z, 0-9, '_', '.', '-'{fix}"
                )
            }
            DuplicateAgency { code, first } => tr!(
                lang,
                "trùng mã cơ quan \"{code}\" (đã khai báo tại {first})",
                "duplicate agency code \"{code}\" (first defined at {first})"
            ),
            CodeDiffersInCase { code, other } => tr!(
                lang,
                "mã cơ quan \"{code}\" chỉ khác \"{other}\" ở chữ hoa, chữ thường; dòng lệnh không phân biệt được",
                "agency code \"{code}\" differs from \"{other}\" only in case; the command line could not tell them apart"
            ),
            UntilWithoutSuccessor { code } => tr!(
                lang,
                "cơ quan \"{code}\" có \"until\" nhưng không có \"successor\"; hãy ghi cơ quan tiếp nhận nhiệm vụ",
                "agency \"{code}\" has \"until\" but no \"successor\"; say which agency took over its tasks"
            ),
            SuccessorWithoutUntil { code } => tr!(
                lang,
                "cơ quan \"{code}\" có \"successor\" nhưng không có \"until\"; hãy ghi ngày cuối cùng cơ quan hoạt động",
                "agency \"{code}\" has \"successor\" but no \"until\"; say the last day it existed"
            ),
            OwnSuccessor { code } => tr!(
                lang,
                "cơ quan \"{code}\" tự nhận mình là cơ quan tiếp nhận",
                "agency \"{code}\" names itself as its successor"
            ),
            SuccessorLoop { chain } => tr!(
                lang,
                "vòng lặp cơ quan tiếp nhận: {chain}; chuỗi tiếp nhận phải có điểm kết thúc",
                "successor loop: {chain}; a chain of successors must end"
            ),
            SuccessorsNotCeased { code } => tr!(
                lang,
                "cơ quan \"{code}\" trong successors không có until: cơ quan chưa thôi hoạt động thì không chuyển nhiệm vụ cho ai; ghi until và successor của nó trong agencies.toml",
                "agency \"{code}\" in successors has no until: an agency that never ceases hands nothing over; give it until and successor in agencies.toml"
            ),
            SuccessorsToGroup { code } => tr!(
                lang,
                "\"{code}\" là một nhóm; nhiệm vụ chỉ được chuyển cho một cơ quan",
                "\"{code}\" is a group; a task passes to one agency"
            ),
            SuccessorsUnused { code, task } => tr!(
                lang,
                "cơ quan \"{code}\" trong successors không chủ trì, phối hợp hay tiếp nhận nhiệm vụ \"{task}\", nên dòng này không có tác dụng",
                "agency \"{code}\" in successors neither leads, supports nor takes over task \"{task}\", so the entry has no effect"
            ),
            UnknownAgency {
                code,
                role,
                suggestion,
                named,
            } => {
                let key = role.key();
                let codes = named
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(or_word(lang));
                let hint = match suggestion {
                    _ if !named.is_empty() => tr!(
                        lang,
                        "; có phải là {codes}? (viết mã cơ quan, không phải tên)",
                        "; did you mean {codes}? (write the agency's code, not its name)"
                    ),
                    Some(_) => suggest(suggestion, lang),
                    None => tr!(
                        lang,
                        "; thêm vào agencies.toml hoặc sửa lại mã",
                        "; add it to agencies.toml or correct the code"
                    ),
                };
                tr!(
                    lang,
                    "cơ quan \"{code}\" không có trong agencies.toml (ở {key}){hint}",
                    "unknown agency \"{code}\" in {key}{hint}"
                )
            }
            AgencyCaseMismatch { code, role, meant } => {
                let key = role.key();
                tr!(
                    lang,
                    "cơ quan \"{code}\" không có trong agencies.toml (ở {key}); có phải là \"{meant}\"? (mã trong tệp phải viết đúng chữ hoa, chữ thường)",
                    "unknown agency \"{code}\" in {key}; did you mean \"{meant}\"? (codes in files match exactly)"
                )
            }
            MemberIsGroup { member, group } => tr!(
                lang,
                "\"{member}\" là một nhóm nên không thể là thành viên của nhóm \"{group}\"; hãy liệt kê các cơ quan của nó",
                "\"{member}\" is a group and cannot be a member of group \"{group}\"; list its agencies instead"
            ),
            MemberTwice { member } => tr!(
                lang,
                "cơ quan \"{member}\" được liệt kê hai lần trong members",
                "agency \"{member}\" is listed twice in members"
            ),
            GroupWithoutMembers { code } => tr!(
                lang,
                "nhóm \"{code}\" có members rỗng; một nhóm cần ít nhất một thành viên (hoặc bỏ khóa members)",
                "group \"{code}\" has no members; a group needs at least one (or drop the members key)"
            ),
            GroupReorganised { code } => tr!(
                lang,
                "nhóm \"{code}\" không được có until/successor: ghi các mốc này cho từng thành viên",
                "group \"{code}\" cannot have until/successor: give them to its members"
            ),
            _ => return None,
        })
    }

    fn text_tasks(&self, lang: Lang) -> Option<String> {
        use Msg::*;
        Some(match self {
            BadId { thing, id, fix } => {
                let what = thing.text(lang);
                let fix = fix.as_ref().map_or(String::new(), |f| {
                    tr!(lang, "; viết id = \"{f}\"", "; write id = \"{f}\"")
                });
                tr!(
                    lang,
                    "mã {what} \"{id}\" không hợp lệ: mã bắt đầu bằng chữ hoặc số, tiếp theo là chữ, số, '.', '_' hoặc '-', tối đa 32 ký tự{fix}",
                    "bad {what} id \"{id}\": an id starts with a letter or digit, then letters, digits, '.', '_' or '-', at most 32 characters{fix}"
                )
            }
            TooManyOccurrences { max } => tr!(
                lang,
                "kế hoạch có hơn {max} lần thực hiện nhiệm vụ (kỳ × đơn vị chủ trì); hãy tách thành nhiều kế hoạch",
                "the plan has more than {max} task occurrences (periods × leads); split it into several plans"
            ),
            UnknownGroup {
                id,
                known,
                fix: None,
            } => tr!(
                lang,
                "nhóm \"{id}\" không có trong plan.toml; các nhóm: {known}",
                "unknown group \"{id}\"; plan.toml defines: {known}"
            ),
            UnknownGroup {
                id, fix: Some(fix), ..
            } => tr!(
                lang,
                "nhóm \"{id}\" không có trong plan.toml; viết group = \"{fix}\"",
                "unknown group \"{id}\"; write group = \"{fix}\""
            ),
            SpacesAroundId { thing, id, fix } => {
                let what = thing.text(lang);
                tr!(
                    lang,
                    "mã {what} \"{id}\" có khoảng trắng ở đầu hoặc cuối; viết id = \"{fix}\"",
                    "{what} id \"{id}\" has spaces around it; write id = \"{fix}\""
                )
            }
            SupportRepeatsLead { code } => tr!(
                lang,
                "support lặp lại cơ quan chủ trì \"{code}\"",
                "support repeats the lead agency \"{code}\""
            ),
            SupportTwice { code } => tr!(
                lang,
                "cơ quan \"{code}\" được liệt kê hai lần trong support",
                "agency \"{code}\" is listed twice in support"
            ),
            UnknownEvery { found } => tr!(
                lang,
                "every = \"{found}\" không hợp lệ trong due; dùng \"year\", \"half-year\", \"quarter\", \"month\", \"ongoing\" hoặc \"on_request\"",
                "unknown every = \"{found}\" in due; use \"year\", \"half-year\", \"quarter\", \"month\", \"ongoing\" or \"on_request\""
            ),
            DueDateQuoted { found, fix } => tr!(
                lang,
                "due = \"{found}\" là một chuỗi, không phải một ngày: ngày viết không có dấu ngoặc kép; viết due = {fix}",
                "due = \"{found}\" is text, not a date: dates are written without quotes; write due = {fix}"
            ),
            UnknownDueWord { found } => tr!(
                lang,
                "due = \"{found}\" không hợp lệ; dùng một ngày như 2023-12-15 (không có dấu ngoặc kép), \"ongoing\" (thường xuyên), \"on_request\" (khi có yêu cầu) hoặc một bảng như {{ every = \"year\", on = \"12-15\" }}",
                "unknown due = \"{found}\"; use a date like 2023-12-15 (without quotes), \"ongoing\", \"on_request\" or a table like {{ every = \"year\", on = \"12-15\" }}"
            ),
            MissingOn => tr!(
                lang,
                "thiếu \"on\" trong due: ngày đến hạn (hoặc \"MM-DD\" với every = \"year\")",
                "missing \"on\" in due: the day (or \"MM-DD\" for every = \"year\") the deadline falls on"
            ),
            OnNotMonthDay { found } => tr!(
                lang,
                "on = {found} không hợp lệ trong due: với every = \"year\" hãy viết \"MM-DD\", một ngày có thật như \"12-15\" hoặc \"02-29\"",
                "bad on = {found} in due: for every = \"year\" write \"MM-DD\", a real day such as \"12-15\" or \"02-29\""
            ),
            OnNotDay { every, found } => tr!(
                lang,
                "on = {found} không hợp lệ trong due: với every = \"{every}\" hãy viết một ngày trong tháng từ 1 đến 31",
                "bad on = {found} in due: for every = \"{every}\" write a day of the month from 1 to 31"
            ),
            OnWithOngoing => tr!(
                lang,
                "nhiệm vụ thường xuyên (ongoing) hay khi có yêu cầu (on_request) không có ngày đến hạn cố định; bỏ \"on\"",
                "an ongoing or on-request task has no fixed deadline; drop \"on\""
            ),
            DueYearOutside {
                key,
                year,
                first,
                last,
            } => tr!(
                lang,
                "{key} = {year} trong due nằm ngoài giai đoạn kế hoạch {first}-{last}",
                "{key} = {year} in due is outside the plan period {first}-{last}"
            ),
            DueYearsBackwards { first, last } => tr!(
                lang,
                "first_year {first} sau last_year {last} trong due",
                "first_year {first} is after last_year {last} in due"
            ),
            OccurrenceBeforeIssue {
                label,
                deadline,
                issued,
            } => tr!(
                lang,
                "kỳ {label} đến hạn ngày {deadline}, trước ngày ban hành kế hoạch ({issued}); đặt first_year trong due nếu kỳ này không áp dụng",
                "occurrence {label} falls due on {deadline}, before the plan was issued ({issued}); set first_year in due if it does not apply"
            ),
            DeadlineOutsidePeriod {
                deadline,
                first,
                last,
            } => tr!(
                lang,
                "thời hạn {deadline} nằm ngoài giai đoạn kế hoạch {first}-{last}",
                "deadline {deadline} is outside the plan period {first}-{last}"
            ),
            _ => return None,
        })
    }

    fn text_indicators(&self, lang: Lang) -> Option<String> {
        use Msg::*;
        Some(match self {
            UnknownIndicatorKind { found } => tr!(
                lang,
                "kind \"{found}\" không hợp lệ; dùng \"at_least\" (tối thiểu) hoặc \"at_most\" (tối đa)",
                "unknown kind \"{found}\"; use \"at_least\" or \"at_most\""
            ),
            TargetAndTargets { id } => tr!(
                lang,
                "chỉ tiêu \"{id}\" có cả \"target\" và \"targets\"; giữ một",
                "indicator \"{id}\" has both \"target\" and \"targets\"; keep one"
            ),
            NoTarget { id } => tr!(
                lang,
                "chỉ tiêu \"{id}\" không có \"target\" hay \"targets\"",
                "indicator \"{id}\" has neither \"target\" nor \"targets\""
            ),
            NotFinite { key } => tr!(
                lang,
                "\"{key}\" phải là một số hữu hạn",
                "\"{key}\" must be a finite number"
            ),
            TargetKeyNotYear { found } => tr!(
                lang,
                "khóa \"{found}\" trong targets không phải là năm như \"2023\"",
                "targets key \"{found}\" is not a year like \"2023\""
            ),
            YearOutsidePeriod { year, first, last } => tr!(
                lang,
                "năm {year} nằm ngoài giai đoạn kế hoạch {first}-{last}",
                "year {year} is outside the plan period {first}-{last}"
            ),
            IndicatorLedByGroup { code } => tr!(
                lang,
                "\"{code}\" là một nhóm; chỉ tiêu do một cơ quan báo cáo (§11)",
                "\"{code}\" is a group; an indicator is reported by one agency (§11)"
            ),
            _ => return None,
        })
    }

    fn text_progress(&self, lang: Lang) -> Option<String> {
        use Msg::*;
        Some(match self {
            UnknownTaskInUpdate { id, suggestion } => match (lang, suggestion) {
                (Lang::Vi, Some(s)) => format!(
                    "cập nhật cho nhiệm vụ \"{id}\" không có trong kế hoạch; có phải là \"{s}\"? (xem mã trong tasks.toml)"
                ),
                (Lang::En, Some(s)) => format!(
                    "update for unknown task \"{id}\"; did you mean \"{s}\"? (see the ids in tasks.toml)"
                ),
                (Lang::Vi, None) => format!(
                    "cập nhật cho nhiệm vụ \"{id}\" không có trong kế hoạch; kiểm tra mã trong tasks.toml"
                ),
                (Lang::En, None) => {
                    format!("update for unknown task \"{id}\"; check the id in tasks.toml")
                }
            },
            DatedBeforeIssue { date, issued } => tr!(
                lang,
                "ngày {date} trước ngày ban hành kế hoạch ({issued})",
                "dated {date}, before the plan was issued ({issued})"
            ),
            UnknownStatus { found, suggestion } => {
                let hint = suggest(suggestion, lang);
                tr!(
                    lang,
                    "trạng thái \"{found}\" không hợp lệ{hint}; dùng not_started, in_progress, done hoặc cancelled",
                    "unknown status \"{found}\"{hint}; use not_started, in_progress, done or cancelled"
                )
            }
            PercentOutOfRange { value } => tr!(
                lang,
                "percent {value} nằm ngoài khoảng 0–100",
                "percent {value} is outside 0–100"
            ),
            DoneBelow100 { value } => tr!(
                lang,
                "trạng thái \"done\" với percent {value}; nhiệm vụ đã hoàn thành là 100% (hoặc dùng in_progress)",
                "status \"done\" with percent {value}; a done task is 100% (or use in_progress)"
            ),
            NewDueWithoutDecision => tr!(
                lang,
                "gia hạn (new_due) mà không có \"decision\": ghi văn bản cho phép gia hạn",
                "\"new_due\" without \"decision\": name the document that approved the extension"
            ),
            RequestWithoutDecision => tr!(
                lang,
                "thời hạn theo yêu cầu (new_due) mà không có \"decision\": ghi văn bản yêu cầu (số, ngày)",
                "\"new_due\" without \"decision\": name the document that made the request (number, date)"
            ),
            CancelWithoutDecision => tr!(
                lang,
                "dừng thực hiện (cancelled) mà không có \"decision\": ghi văn bản cho phép dừng thực hiện; cơ quan không tự dừng nhiệm vụ của mình",
                "\"cancelled\" without \"decision\": name the document that approved stopping the task; an agency cannot stop its own task"
            ),
            DecisionWithoutEffect => tr!(
                lang,
                "\"decision\" không kèm new_due hay cancelled thì không thay đổi gì",
                "\"decision\" without \"new_due\" or \"cancelled\" changes nothing"
            ),
            ExtensionNotLater { new_due, in_force } => tr!(
                lang,
                "gia hạn đến {new_due} không muộn hơn thời hạn đang áp dụng ({in_force}); gia hạn phải lùi thời hạn về sau",
                "extension to {new_due} is not later than the deadline in force ({in_force}); an extension must move the deadline later"
            ),
            ExtensionAfterNewDue { date, new_due } => tr!(
                lang,
                "gia hạn được ghi ngày {date}, sau chính thời hạn mới ({new_due})",
                "extension recorded on {date}, after its own new deadline ({new_due})"
            ),
            DoneWithoutEvidence { command } => tr!(
                lang,
                "chưa có tài liệu kiểm chứng cho kết quả này; khi có, ghi thêm (ngày hoàn thành không đổi): {command}",
                "no evidence names this result yet; when there is, add it (the completion date stays): {command}"
            ),
            ImportedWithoutEvidence { rows } => tr!(
                lang,
                "{rows} dòng báo hoàn thành không ghi tài liệu kiểm chứng; danh sách: kehoach tasks --without-evidence",
                "{rows} rows report done with no evidence; to list them: kehoach tasks --without-evidence"
            ),
            NewDueOnOngoing { task } => tr!(
                lang,
                "nhiệm vụ \"{task}\" là nhiệm vụ thường xuyên, không có thời hạn để gia hạn (nhiệm vụ chỉ thực hiện khi có yêu cầu: khai báo due = \"on_request\", khi đó new_due là thời hạn theo yêu cầu)",
                "task \"{task}\" is ongoing: it has no deadline to extend (for a task done only when asked, declare due = \"on_request\": new_due is then the deadline asked for)"
            ),
            PeriodRequired {
                task,
                every,
                example,
            } => {
                let every = every_name(every, lang);
                tr!(
                    lang,
                    "nhiệm vụ \"{task}\" lặp lại ({every}): ghi kỳ bằng period = \"…\" (ví dụ \"{example}\")",
                    "task \"{task}\" recurs ({every}): say which occurrence with period = \"…\" (e.g. \"{example}\")"
                )
            }
            NotAnOccurrence {
                period,
                task,
                periods,
            } => tr!(
                lang,
                "kỳ \"{period}\" không phải là một kỳ của nhiệm vụ \"{task}\" (các kỳ: {periods})",
                "period \"{period}\" is not an occurrence of task \"{task}\" (its periods: {periods})"
            ),
            AgencyRequired {
                task,
                group,
                members,
            } => tr!(
                lang,
                "nhiệm vụ \"{task}\" do nhóm \"{group}\" chủ trì: ghi cơ quan thành viên bằng agency = \"…\" ({members})",
                "task \"{task}\" is led by the group \"{group}\": say which member with agency = \"…\" ({members})"
            ),
            AgencyOnOrdinaryTask { task } => tr!(
                lang,
                "nhiệm vụ \"{task}\" không do một nhóm chủ trì: bỏ \"agency\"",
                "task \"{task}\" is not led by a group: drop \"agency\""
            ),
            NotAMember {
                agency,
                group,
                members,
            } => tr!(
                lang,
                "\"{agency}\" không phải thành viên của nhóm \"{group}\" (thành viên: {members})",
                "\"{agency}\" is not a member of group \"{group}\" (members: {members})"
            ),
            UnknownIndicatorInMeasure { id, suggestion } => {
                let hint = suggest(suggestion, lang);
                tr!(
                    lang,
                    "số liệu cho chỉ tiêu \"{id}\" không có trong kế hoạch{hint}",
                    "measurement for unknown indicator \"{id}\"{hint}"
                )
            }
            _ => return None,
        })
    }

    fn text_discovery(&self, lang: Lang) -> Option<String> {
        use Msg::*;
        Some(match self {
            NoPlanFound => tr!(
                lang,
                "không tìm thấy kế hoạch: không có plan.toml ở đây hay thư mục trên, không có kế hoạch trong ./plans/; chỉ rõ bằng --plan THƯ-MỤC hoặc KEHOACH_PLAN",
                "no plan found: no plan.toml here or above, and no plan under ./plans/; name one with --plan DIR or KEHOACH_PLAN"
            ),
            SeveralPlans { list } => tr!(
                lang,
                "có nhiều kế hoạch trong ./plans/; chọn một bằng --plan THƯ-MỤC hoặc --plan SỐ-HIỆU:\n{list}",
                "several plans under ./plans/; choose one with --plan DIR or --plan ID:\n{list}"
            ),
            SeveralPlansIn { dir, list } => tr!(
                lang,
                "{dir} chứa nhiều kế hoạch; chọn một bằng --plan:\n{list}",
                "{dir} holds several plans; choose one with --plan:\n{list}"
            ),
            NoSuchPlan { given } => tr!(
                lang,
                "{given}: không có thư mục kế hoạch này, cũng không có kế hoạch nào mang số hiệu này trong plans/",
                "{given}: no such plan directory, and no plan with this id under plans/"
            ),
            AmbiguousPlanId { id, list } => tr!(
                lang,
                "nhiều kế hoạch trong plans/ cùng số hiệu \"{id}\"; chọn một bằng --plan THƯ-MỤC:\n{list}",
                "several plans under plans/ have the id \"{id}\"; choose one with --plan DIR:\n{list}"
            ),
            DuplicatePlanId { id, list } => tr!(
                lang,
                "nhiều kế hoạch cùng số hiệu \"{id}\" ({list}); --plan {id} không chọn được, hãy dùng --plan THƯ-MỤC",
                "several plans have the id \"{id}\" ({list}); --plan {id} cannot choose, use --plan DIR"
            ),
            EmptyPlanArgument => tr!(
                lang,
                "--plan rỗng; ghi thư mục hoặc số hiệu kế hoạch",
                "--plan is empty; give a plan directory or id"
            ),
            NoPlansUnder => tr!(
                lang,
                "không có kế hoạch nào trong ./plans/ (tạo bằng `kehoach init plans/TÊN`)",
                "no plan under ./plans/ (create one with `kehoach init plans/NAME`)"
            ),
            CannotReadCwd { detail } => tr!(
                lang,
                "không đọc được thư mục hiện tại: {detail}",
                "cannot read the current directory: {detail}"
            ),
            _ => return None,
        })
    }

    fn text_arguments(&self, lang: Lang) -> Option<String> {
        use Msg::*;
        Some(match self {
            UnknownAgencyArg {
                code,
                suggestion,
                known,
            } => {
                let hint = suggest(suggestion, lang);
                tr!(
                    lang,
                    "không có cơ quan \"{code}\"{hint}; các cơ quan của kế hoạch: {known}",
                    "unknown agency \"{code}\"{hint}; the plan's agencies: {known}"
                )
            }
            NotADate { value } => tr!(
                lang,
                "\"{value}\" không phải là ngày; viết 2023-12-31 hoặc 31/12/2023 (năm đủ bốn chữ số, 1900-2999)",
                "\"{value}\" is not a date; write 2023-12-31 or 31/12/2023 (the year in four digits, 1900-2999)"
            ),
            NotAYearArg {
                value,
                or_all: false,
            } => tr!(
                lang,
                "\"{value}\" không phải là năm; viết bốn chữ số, 1900-2999 (ví dụ 2024)",
                "\"{value}\" is not a year; write four digits, 1900-2999 (e.g. 2024)"
            ),
            NotAYearArg {
                value,
                or_all: true,
            } => tr!(
                lang,
                "\"{value}\" không phải là năm; viết bốn chữ số, 1900-2999 (ví dụ 2024), hoặc `all` (cả giai đoạn)",
                "\"{value}\" is not a year; write four digits, 1900-2999 (e.g. 2024), or `all`"
            ),
            NotANumber { value } => tr!(
                lang,
                "\"{value}\" không phải là số; viết ví dụ 92.5 hoặc 92,5",
                "\"{value}\" is not a number; write e.g. 92.5 or 92,5"
            ),
            NotAPercent { value } => tr!(
                lang,
                "\"{value}\" không phải là tỷ lệ phần trăm; viết một số nguyên từ 0 đến 100",
                "\"{value}\" is not a percentage; write a whole number from 0 to 100"
            ),
            NotAStatus { value } => tr!(
                lang,
                "\"{value}\" không phải là một trạng thái; dùng not_started, in_progress, done hoặc cancelled, hay chữ trên phiếu: Chưa triển khai, Đang thực hiện, Đã hoàn thành, Dừng thực hiện",
                "\"{value}\" is not a status; use not_started, in_progress, done or cancelled, or the form's words: Not started, In progress, Done, Cancelled"
            ),
            OutputKindNotWritten { ext, formats } => {
                let sheet = matches!(ext.as_str(), "xlsx" | "xls" | "xlsm" | "ods")
                    && !formats.contains("xlsx");
                let pdf = match (ext.as_str(), lang) {
                    ("pdf", Lang::Vi) => {
                        "; muốn bản PDF: `report --format html` rồi in ra PDF từ trình duyệt, hoặc `report --format docx`"
                    }
                    ("pdf", Lang::En) => {
                        "; for a PDF: `report --format html` and print it to PDF from the browser, or `report --format docx`"
                    }
                    (_, Lang::Vi) if sheet => {
                        "; để mở bằng Excel: `--output ….csv`, hoặc `report --output ….xlsx` (có cả danh sách nhiệm vụ và chỉ tiêu)"
                    }
                    (_, Lang::En) if sheet => {
                        "; to open in Excel: `--output ….csv`, or `report --output ….xlsx` (with the task list and the indicators)"
                    }
                    _ => "",
                };
                tr!(
                    lang,
                    "lệnh này không ghi được tệp .{ext}; nó ghi: {formats} (chọn bằng --format hoặc đuôi tệp){pdf}",
                    "this command does not write .{ext} files; it writes {formats} (chosen with --format or the file's extension){pdf}"
                )
            }
            UnknownGroupArg { id, known } => tr!(
                lang,
                "không có nhóm \"{id}\"; các nhóm của kế hoạch: {known}",
                "unknown group \"{id}\"; the plan's groups: {known}"
            ),
            YearNotInPlan { year, first, last } => tr!(
                lang,
                "năm {year} nằm ngoài giai đoạn kế hoạch {first}-{last}",
                "year {year} is outside the plan period {first}-{last}"
            ),
            NoSuchTask { id, plan, near } => tr!(
                lang,
                "kế hoạch {plan} không có nhiệm vụ \"{id}\"; các nhiệm vụ: {near} (xem `kehoach tasks`)",
                "no task \"{id}\" in plan {plan}; tasks include: {near} (see `kehoach tasks`)"
            ),
            NoSuchIndicator { id, plan, known } => tr!(
                lang,
                "kế hoạch {plan} không có chỉ tiêu \"{id}\" (các chỉ tiêu: {known})",
                "no indicator \"{id}\" in plan {plan} (its indicators: {known})"
            ),
            BinaryOnTerminal { format } => tr!(
                lang,
                "{format} là tệp nhị phân mà đầu ra là màn hình: ghi tên tệp bằng --output, ví dụ --output bao-cao.{format}",
                "{format} is a binary file and this is a terminal: name a file with --output, e.g. --output bao-cao.{format}"
            ),
            DocxTooLong { rows, max } => tr!(
                lang,
                "phụ lục nhiệm vụ có {rows} dòng, quá dài cho một văn bản Word (tối đa {max} dòng; Word không mở được văn bản lớn hơn): thu hẹp bằng --year hoặc --agency, hoặc lấy danh sách bằng --format xlsx",
                "the task list has {rows} rows, too long for a Word document (at most {max}; Word does not open a larger one): narrow it with --year or --agency, or take the list as --format xlsx"
            ),
            DocxOnly => tr!(
                lang,
                "--number, --date và --signer chỉ dùng cho báo cáo Word: thêm --format docx --output bao-cao.docx",
                "--number, --date and --signer are for the Word report only: add --format docx --output bao-cao.docx"
            ),
            AgencyCeased {
                code,
                until,
                successor,
            } => tr!(
                lang,
                "{code} hoạt động đến hết ngày {until}: các nhiệm vụ đến hạn sau ngày đó được tính cho cơ quan tiếp nhận {successor}",
                "{code} existed until {until}: its occurrences due after that day are attributed to its successor {successor}"
            ),
            GroupIsNotAnAgency { code, members } => tr!(
                lang,
                "\"{code}\" là một nhóm; chọn một thành viên: {members}",
                "\"{code}\" is a group; choose one of its members: {members}"
            ),
            _ => return None,
        })
    }

    fn text_writing(&self, lang: Lang) -> Option<String> {
        use Msg::*;
        Some(match self {
            DateAfterToday { date, today } => tr!(
                lang,
                "ngày {date} sau hôm nay ({today}); chỉ ghi điều đã xảy ra",
                "the date {date} is after today ({today}); record what has happened"
            ),
            NoOccurrenceForDate {
                task,
                date,
                periods,
            } => tr!(
                lang,
                "nhiệm vụ {task} không có kỳ nào chứa ngày {date}; ghi rõ bằng --period (các kỳ: {periods})",
                "task {task} has no occurrence for {date}; say which with --period (its periods: {periods})"
            ),
            MemberNeeded {
                task,
                group,
                members,
            } => tr!(
                lang,
                "nhiệm vụ {task} do nhóm {group} chủ trì: ghi cơ quan thành viên bằng --agency ({members})",
                "task {task} is led by the group {group}: say which member with --agency ({members})"
            ),
            AgencyNotForTask { task } => tr!(
                lang,
                "nhiệm vụ {task} không do một nhóm chủ trì: bỏ --agency",
                "task {task} is not led by a group: drop --agency"
            ),
            DidNotReadBack => tr!(
                lang,
                "nội dung ghi thêm không đọc lại được",
                "the appended text did not read back"
            ),
            FileHasProblems { file, first } => {
                let first = first
                    .as_ref()
                    .map_or_else(String::new, |m| format!(" ({})", m.text(lang)));
                tr!(
                    lang,
                    "{file} có lỗi riêng{first}; sửa trước (kehoach check)",
                    "{file} has problems of its own{first}; fix them first (kehoach check)"
                )
            }
            PlanLocked {
                holder,
                seconds,
                path,
            } => tr!(
                lang,
                "kế hoạch đang bị một kehoach khác ({holder}) khóa quá {seconds} giây; thử lại, nếu vẫn vậy hãy xem tiến trình nào giữ {path}",
                "the plan is locked by another kehoach ({holder}) for more than {seconds} s; try again, and if it persists see which process holds {path}"
            ),
            WaitingForLock { holder } => tr!(
                lang,
                "đang chờ một kehoach khác ({holder}) ghi xong…",
                "waiting for another kehoach ({holder}) to finish writing…"
            ),
            ChangedWhileWriting { file } => tr!(
                lang,
                "{file} bị thay đổi trong lúc ghi (sửa tay?); chạy lại lệnh",
                "{file} changed on disk while the update was being written (edited by hand?); run the command again"
            ),
            CannotWrite {
                path,
                detail,
                why: WriteFailure::Full,
            } => tr!(
                lang,
                "không ghi được {path}: ổ đĩa đầy ({detail})",
                "cannot write {path}: the disk is full ({detail})"
            ),
            CannotWrite {
                path,
                detail,
                why: WriteFailure::Denied,
            } => tr!(
                lang,
                "không ghi được {path}: không có quyền ghi — tệp đang mở trong chương trình khác (Excel, Word?) hoặc chỉ cho đọc; đóng tệp rồi chạy lại ({detail})",
                "cannot write {path}: permission denied — is the file open in another program (Excel, Word?) or read-only? Close it and run again ({detail})"
            ),
            CannotWrite {
                path,
                detail,
                why: WriteFailure::Other,
            } => tr!(
                lang,
                "không ghi được {path}: {detail}",
                "cannot write {path}: {detail}"
            ),
            NoDirForOutput { dir, path } => tr!(
                lang,
                "không có thư mục {dir} để ghi {path}; tạo thư mục đó trước hoặc chọn chỗ khác",
                "there is no directory {dir} to write {path} in; create it first or choose another place"
            ),
            CannotCreateDir { path, detail } => tr!(
                lang,
                "không tạo được thư mục {path}: {detail}",
                "cannot create the directory {path}: {detail}"
            ),
            CannotReplace { path, detail } => tr!(
                lang,
                "không thay được {path}: {detail}",
                "cannot replace {path}: {detail}"
            ),
            IsADirectoryArg { path } => tr!(
                lang,
                "{path} là một thư mục; hãy ghi tên tệp",
                "{path} is a directory; name a file"
            ),
            CommitNeedsGit => tr!(
                lang,
                "--commit cần git, nhưng không tìm thấy git",
                "--commit needs git, which was not found"
            ),
            NotAGitRepo { dir } => tr!(
                lang,
                "--commit: {dir} không nằm trong kho git (ghi không kèm --commit, hoặc sao kế hoạch bằng git clone)",
                "--commit: {dir} is not inside a git repository (record without --commit, or clone the plan with git)"
            ),
            GitFailed { file, step, detail } => tr!(
                lang,
                "đã ghi vào {file} nhưng git {step} thất bại: {detail}",
                "the update was recorded in {file} but git {step} failed: {detail}"
            ),
            SetAside { count, files } => tr!(
                lang,
                "để riêng {count} tệp tiến độ có lỗi, không tính vào kết quả này (các cập nhật trong đó coi như chưa có): {files}; sửa rồi chạy lại",
                "set aside {count} progress file(s) with errors, not counted in this output (their updates read as absent): {files}; fix them and run again"
            ),
            SetAsideHint => tr!(
                lang,
                "chỉ các tệp tiến độ có lỗi: thêm --set-aside để lập kết quả mà không tính các tệp đó",
                "only progress files have errors: add --set-aside to get this output without them"
            ),
            PlanHasErrors { dir, errors } => tr!(
                lang,
                "{dir}: {errors} lỗi; chưa dùng được kế hoạch cho đến khi sửa xong (chạy `kehoach check`)",
                "{dir}: {errors} error(s); the plan cannot be used until they are fixed (run `kehoach check`)"
            ),
            _ => return None,
        })
    }

    fn text_forms(&self, lang: Lang) -> Option<String> {
        use Msg::*;
        Some(match self {
            FormDamaged { detail } => tr!(
                lang,
                "tệp không đọc được như một bảng tính .xlsx (hỏng hoặc không phải .xlsx): {detail}",
                "cannot be read as an .xlsx workbook (damaged, or not .xlsx): {detail}"
            ),
            NotAForm => tr!(
                lang,
                "đây không phải phiếu báo cáo của kehoach (thiếu trang \"kehoach\"); dùng phiếu do `kehoach form` tạo",
                "not a kehoach form (no \"kehoach\" sheet); use a form made by `kehoach form`"
            ),
            FormKeysMissing { keys } => tr!(
                lang,
                "dòng 1 (ẩn) thiếu khóa cột: {keys}; không xóa hay đổi tên cột của phiếu",
                "row 1 (hidden) lacks the column keys: {keys}; do not delete or rename the form's columns"
            ),
            FormFormula { key } => tr!(
                lang,
                "ô \"{key}\" chứa công thức; hãy nhập giá trị",
                "the \"{key}\" cell holds a formula; type the value instead"
            ),
            FormStatusMissing => tr!(
                lang,
                "dòng có nội dung nhưng chưa chọn \"Tình trạng\"",
                "the row has entries but no status"
            ),
            FormOtherPlan { found, expected } => tr!(
                lang,
                "phiếu của kế hoạch \"{found}\", không phải kế hoạch {expected}",
                "a form of plan \"{found}\", not of plan {expected}"
            ),
            FormVersion { found } => tr!(
                lang,
                "phiên bản phiếu {found} không đọc được (cần 1); lập phiếu mới bằng `kehoach form`",
                "form version {found} cannot be read (1 expected); make a new form with `kehoach form`"
            ),
            FormIdentity { key, found } => tr!(
                lang,
                "giá trị \"{key}\" của phiếu không hợp lệ: {found}; lập phiếu mới bằng `kehoach form`",
                "the form's \"{key}\" is not valid: {found}; make a new form with `kehoach form`"
            ),
            FormBadStatus {
                found,
                suggestion,
                words,
            } => {
                let hint = suggest(suggestion, lang);
                tr!(
                    lang,
                    "tình trạng \"{found}\" không hợp lệ{hint}; chọn: {words}",
                    "unknown status \"{found}\"{hint}; choose: {words}"
                )
            }
            FormBadDate { found } => tr!(
                lang,
                "\"{found}\" không phải là ngày; nhập dạng 31/12/2024 (năm đủ bốn chữ số)",
                "\"{found}\" is not a date; write it as 31/12/2024 (a four-digit year)"
            ),
            FormDateMissing => tr!(
                lang,
                "thiếu ngày: ghi ngày có kết quả, dạng 31/12/2024",
                "the date is missing: when did it happen (31/12/2024)?"
            ),
            FormBadPercent { found } => tr!(
                lang,
                "tỷ lệ \"{found}\" không hợp lệ; nhập số nguyên từ 0 đến 100",
                "percent \"{found}\" is not valid; write a whole number from 0 to 100"
            ),
            FormOtherFormat { kind } => tr!(
                lang,
                "phiếu là tệp {kind}, không nhập được; mở phiếu và lưu lại dạng .xlsx (Excel: Tệp > Lưu thành > Sổ làm việc Excel; LibreOffice: Tệp > Lưu thành, chọn Excel 2007-365) rồi nhập",
                "the form is an {kind} file, which cannot be imported; open it and save it as .xlsx (Excel: File > Save As > Excel Workbook; LibreOffice: File > Save As, Excel 2007-365), then import it"
            ),
            FormTooFar => tr!(
                lang,
                "ô này nằm quá xa vùng của phiếu (bảng tính trải trên quá nhiều ô để đọc); xóa nội dung và định dạng của các ô thừa ngoài phiếu rồi nhập lại",
                "this cell lies too far from the form (the sheet would span too many cells to read); clear the contents and formats of the stray cells outside the form, then import again"
            ),
            FormBadText { key, found } => tr!(
                lang,
                "ô \"{key}\" không hợp lệ: {found}",
                "the \"{key}\" cell is not valid: {found}"
            ),
            FormNotOnForm {
                task,
                period,
                agency,
                year,
            } => tr!(
                lang,
                "nhiệm vụ {task} kỳ {period} không phải nhiệm vụ của {agency} năm {year} (phiếu này chỉ ghi nhận nhiệm vụ của cơ quan đó)",
                "task {task} period {period} is not a task of {agency} in {year} (this form records that agency's tasks only)"
            ),
            FormRowWithoutTask => tr!(
                lang,
                "dòng này không có nhiệm vụ: phiếu chỉ ghi nhận các dòng đã in sẵn, không thêm dòng mới",
                "this row has no task: a form records the rows it was made with, not added ones"
            ),
            FormsNoneIn { given } => tr!(
                lang,
                "\"{given}\" không có phiếu nào (.xlsx)",
                "\"{given}\" holds no form (.xlsx)"
            ),
            FormLockSkipped { name } => tr!(
                lang,
                "bỏ qua {name}: tệp khóa do Excel hoặc LibreOffice tạo khi phiếu đang mở, không phải phiếu",
                "skipped {name}: a lock file Excel or LibreOffice makes while a form is open, not a form"
            ),
            ImportRefused { errors } => tr!(
                lang,
                "{errors} lỗi trong phiếu; không ghi gì (sửa phiếu rồi nhập lại)",
                "{errors} error(s) in the forms; nothing was written (correct them and import again)"
            ),
            FormNeedsOutput => tr!(
                lang,
                "ghi tệp phiếu bằng --output TỆP.xlsx (hoặc --all-agencies --output-dir THƯ-MỤC)",
                "name the form file with --output FILE.xlsx (or --all-agencies --output-dir DIR)"
            ),
            _ => return None,
        })
    }

    fn text_setup(&self, lang: Lang) -> Option<String> {
        use Msg::*;
        Some(match self {
            NotEmpty { dir } => tr!(
                lang,
                "{dir} không trống; init chỉ tạo kế hoạch mới (chọn thư mục mới)",
                "{dir} is not empty; init only creates a new plan (choose a new directory)"
            ),
            InsideOldPlan { dir, old } => tr!(
                lang,
                "{dir} nằm trong thư mục tasks/ hoặc progress/ của kế hoạch {old}, nên các tệp của kế hoạch mới sẽ thành tệp của kế hoạch cũ; chọn thư mục bên ngoài, ví dụ plans/<SỐ-KẾ-HOẠCH>",
                "{dir} is inside the tasks/ or progress/ folder of plan {old}, so the new plan's files would become the old plan's; choose a folder outside it, e.g. plans/<PLAN-NUMBER>"
            ),
            BadPeriodArgs { from, to } => tr!(
                lang,
                "--from {from} --to {to}: giai đoạn kế hoạch gồm các năm 1900–2999, năm đầu không sau năm cuối",
                "--from {from} --to {to}: give a plan period of years 1900–2999, the first not after the last"
            ),
            GitSetupFailed { detail } => tr!(
                lang,
                "git config thất bại (chạy git-setup trong một bản sao git): {detail}",
                "git config failed (run git-setup inside a clone): {detail}"
            ),
            CannotRunGit { detail } => tr!(
                lang,
                "không chạy được git: {detail}",
                "cannot run git: {detail}"
            ),
            MergeConflict { file } => tr!(
                lang,
                "{file}: xung đột để lại cho bạn giải quyết",
                "{file}: conflict left for you to resolve"
            ),
            _ => return None,
        })
    }

    fn text_serve(&self, lang: Lang) -> Option<String> {
        use Msg::*;
        Some(match self {
            ServeNeedsToken { bind } => tr!(
                lang,
                "--bind {bind} cho phép máy khác truy cập: cần --token MẬT-KHẨU (mọi yêu cầu phải kèm mật khẩu này)",
                "--bind {bind} lets other computers in: add --token SECRET (every request must then carry it)"
            ),
            CannotListen { addr, detail } => tr!(
                lang,
                "không mở được {addr}: {detail} (cổng đang được dùng? thử --port 0)",
                "cannot listen on {addr}: {detail} (port in use? try --port 0)"
            ),
            HostRefused { host } => tr!(
                lang,
                "máy chủ không phục vụ tên \"{host}\"; khi chạy cho cả cơ quan, thêm --allow-host TÊN",
                "this server does not answer to \"{host}\"; for an office, start it with --allow-host NAME"
            ),
            TokenRequired => tr!(
                lang,
                "cần mật khẩu: gửi Authorization: Bearer MẬT-KHẨU hoặc thêm ?token=MẬT-KHẨU",
                "a token is required: send Authorization: Bearer TOKEN or add ?token=TOKEN"
            ),
            BodyTooLarge => tr!(
                lang,
                "yêu cầu quá lớn (tối đa 1 MiB); không có gì được ghi",
                "request too large (at most 1 MiB); nothing was written"
            ),
            CannotOpenBrowser { url, detail } => tr!(
                lang,
                "không mở được trình duyệt ({detail}); hãy tự mở {url}",
                "could not open a web browser ({detail}); open {url} yourself"
            ),
            RequestTooSlow => tr!(
                lang,
                "yêu cầu gửi quá chậm (quá 10 giây); không có gì được ghi, hãy gửi lại",
                "the request came too slowly (over 10 seconds); nothing was written, send it again"
            ),
            RecordNotAllowed => tr!(
                lang,
                "máy chủ này chỉ để xem: khởi động với --allow-record để cho phép cập nhật; không có gì được ghi",
                "this server is read-only: start it with --allow-record to allow updates; nothing was written"
            ),
            CsrfRefused => tr!(
                lang,
                "biểu mẫu đã cũ hoặc không đến từ trang này (csrf): mở lại trang nhiệm vụ và gửi lại; không có gì được ghi",
                "the form is stale or did not come from this site (csrf): reload the task page and send it again; nothing was written"
            ),
            PageNotFound => tr!(lang, "không có trang này", "no such page"),
            PlanParamNeeded { known } => tr!(
                lang,
                "có nhiều kế hoạch: chọn một bằng plan=MÃ ({known})",
                "several plans are served: choose one with plan=ID ({known})"
            ),
            RecordField {
                field,
                value,
                detail,
            } => tr!(
                lang,
                "trường {field} = \"{value}\": {detail}",
                "field {field} = \"{value}\": {detail}"
            ),
            _ => return None,
        })
    }

    fn text_wrappers(&self, lang: Lang) -> Option<String> {
        use Msg::*;
        Some(match self {
            NothingWritten(cause) => {
                let cause = cause.text(lang);
                tr!(
                    lang,
                    "{cause}; không ghi gì",
                    "{cause}; nothing was written"
                )
            }
            Several(list) => list
                .iter()
                .map(|m| m.text(lang))
                .collect::<Vec<_>>()
                .join("; "),
            MoreWarnings { count } => tr!(
                lang,
                "… và {count} cảnh báo khác (chạy kehoach check để xem hết)",
                "… and {count} more warning(s) (run kehoach check to see them all)"
            ),
            _ => return None,
        })
    }

    /// One message for a list of problems.
    pub fn all(mut list: Vec<Msg>) -> Msg {
        if list.len() == 1 {
            list.remove(0)
        } else {
            Msg::Several(list)
        }
    }

    /// Wraps a refusal: "…; nothing was written".
    pub fn nothing_written(self) -> Msg {
        match self {
            Msg::NothingWritten(_) => self,
            other => Msg::NothingWritten(Box::new(other)),
        }
    }
}

impl fmt::Display for Msg {
    /// English, for logs and `Debug`-like contexts; users see `text(lang)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// Whether a failure is the command line's fault (exit 2) or anything
/// else (exit 1), spec §10.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Usage,
    Failure,
}

/// A failure with its message from the catalogue; `main` prints it in the
/// message language and exits with its code.
#[derive(Debug)]
pub struct Failure {
    pub msg: Msg,
    pub exit: Exit,
}

impl Failure {
    pub fn usage(msg: Msg) -> Failure {
        Failure {
            msg,
            exit: Exit::Usage,
        }
    }

    pub fn new(msg: Msg) -> Failure {
        Failure {
            msg,
            exit: Exit::Failure,
        }
    }

    /// A refusal by the plan rules: exit 1, "nothing was written".
    pub fn refused(msg: Msg) -> Failure {
        Failure::new(msg.nothing_written())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.msg, f)
    }
}

impl std::error::Error for Failure {}

/// The word before a message: `lỗi`/`error`, `cảnh báo`/`warning`.
pub fn error_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "lỗi",
        Lang::En => "error",
    }
}

pub fn warning_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "cảnh báo",
        Lang::En => "warning",
    }
}

/// The nearest of `candidates` to `word` (Levenshtein distance at most 2,
/// or a third of the word for long ones), for "did you mean".
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| *d <= limit && *d > 0 && !c.is_empty())
        .min()
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_and_nothing_written() {
        let m = Msg::MissingKey {
            key: "due".into(),
            table: "[[task]] \"1.3\"".into(),
        };
        assert_eq!(
            m.text(Lang::Vi),
            "thiếu khóa bắt buộc \"due\" trong [[task]] \"1.3\""
        );
        assert_eq!(
            m.text(Lang::En),
            "missing required key \"due\" in [[task]] \"1.3\""
        );
        let r = Msg::DateAfterToday {
            date: "02/01/2025".into(),
            today: "01/01/2025".into(),
        }
        .nothing_written();
        assert!(r.text(Lang::En).ends_with("; nothing was written"));
        assert!(r.text(Lang::Vi).ends_with("; không ghi gì"));
    }

    #[test]
    fn nearest_word() {
        assert_eq!(nearest("SCTT", ["SCT", "SYT", "HOI"]), Some("SCT".into()));
        assert_eq!(nearest("finished", ["done", "in_progress"]), None);
        assert_eq!(nearest("SCT", ["SCT"]), None);
    }
}
