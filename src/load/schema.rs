//! The keys each table of a plan file may hold, with the kind of value each
//! expects, and the slow path that uses them: when the typed parse of a file
//! fails, the file is parsed loosely and every unknown key, missing key and
//! wrong type is listed with its place, the offending keys are dropped, and
//! the rest is read as usual so that validation still checks it.
//!
//! A test ties these lists to the raw structs so they cannot drift.

use super::Diag;
use crate::messages::{Expect, Msg};
use toml::de::{DeTable, DeValue};

/// The kind of value a key holds.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Str,
    Date,
    Int,
    Num,
    StrList,
    Due,
    DueOn,
    YearMap,
    CodeMap,
    Tables(&'static Schema),
    Table(&'static Schema),
}

impl Kind {
    fn expectation(self) -> Expect {
        match self {
            Kind::Str => Expect::Str,
            Kind::Date => Expect::Date,
            Kind::Int => Expect::Int,
            Kind::Num => Expect::Num,
            Kind::StrList => Expect::StrList,
            Kind::Due => Expect::Due,
            Kind::DueOn => Expect::DueOn,
            Kind::YearMap => Expect::YearMap,
            Kind::CodeMap => Expect::CodeMap,
            Kind::Tables(_) => Expect::Tables,
            Kind::Table(_) => Expect::Table,
        }
    }

    /// The value `v` was meant to be, as it should be written, when it is
    /// text that says it: a date in quotes or day first (`"15/12/2024"`:
    /// `2024-12-15`), a whole number in quotes (`"100%"`: `100`); or a
    /// number where text is asked for, quoted (`period = 2024`: `"2024"`,
    /// `task = 1.1`: `"1.1"`); one text where a list is (`["B"]`).
    fn fix(self, v: &DeValue<'_>) -> Option<String> {
        match (self, v) {
            (Kind::Str, v) if let Some(n) = number_text(v) => return Some(format!("\"{n}\"")),
            (Kind::StrList, DeValue::String(s)) => {
                return Some(format!("[{}]", crate::write::toml_string(s)));
            }
            _ => {}
        }
        let DeValue::String(s) = v else {
            return None;
        };
        let s = s.trim();
        match self {
            Kind::Date => crate::cli::parse_date(s)
                .ok()
                .map(|d| d.format("%Y-%m-%d").to_string()),
            Kind::Int | Kind::Num => {
                let digits = s.trim_end_matches('%').trim();
                digits.parse::<i64>().ok().map(|n| n.to_string())
            }
            _ => None,
        }
    }

    /// Whether a value inside a table of this kind is of the kind asked
    /// for (a number of a `YearMap`, a string of a `CodeMap`).
    fn accepts_inside(self, v: &DeValue<'_>) -> bool {
        match self {
            Kind::YearMap => matches!(v, DeValue::Integer(_) | DeValue::Float(_)),
            Kind::CodeMap => matches!(v, DeValue::String(_)),
            _ => true,
        }
    }

    fn accepts(self, v: &DeValue<'_>) -> bool {
        let number = |v: &DeValue<'_>| matches!(v, DeValue::Integer(_) | DeValue::Float(_));
        match (self, v) {
            (Kind::Str, DeValue::String(_))
            | (Kind::Date, DeValue::Datetime(_))
            | (Kind::Int, DeValue::Integer(_))
            | (Kind::Due, DeValue::Datetime(_) | DeValue::String(_) | DeValue::Table(_))
            | (Kind::DueOn, DeValue::Integer(_) | DeValue::String(_))
            | (Kind::Table(_), DeValue::Table(_)) => true,
            (Kind::Num, v) => number(v),
            (Kind::StrList, DeValue::Array(a)) => {
                a.iter().all(|e| matches!(e.get_ref(), DeValue::String(_)))
            }
            (Kind::Tables(_), DeValue::Array(a)) => {
                a.iter().all(|e| matches!(e.get_ref(), DeValue::Table(_)))
            }
            (Kind::YearMap | Kind::CodeMap, DeValue::Table(t)) => {
                t.values().all(|v| self.accepts_inside(v.get_ref()))
            }
            _ => false,
        }
    }
}

/// The keys a table may hold.
#[derive(Debug)]
pub struct Schema {
    /// How the table is named in messages, e.g. `[[task]]`.
    pub name: &'static str,
    pub keys: &'static [(&'static str, Kind)],
    pub required: &'static [&'static str],
}

impl Schema {
    /// Whether `key` holds a list of tables (`[[task]]`).
    pub fn holds_tables(&self, key: &str) -> bool {
        matches!(self.kind(key), Some(Tables(_)))
    }

    pub fn key_names(&self) -> Vec<&'static str> {
        self.keys.iter().map(|(k, _)| *k).collect()
    }

    fn kind(&self, key: &str) -> Option<Kind> {
        self.keys
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, kind)| *kind)
    }
}

use Kind::*;

pub const BASIS: Schema = Schema {
    name: "[[basis]]",
    keys: &[("ref", Str), ("date", Date), ("title", Str)],
    required: &["ref"],
};
pub const GROUP: Schema = Schema {
    name: "[[group]]",
    keys: &[("id", Str), ("title", Str), ("title_en", Str)],
    required: &["id", "title"],
};
pub const REPORT: Schema = Schema {
    name: "[report]",
    keys: &[
        ("recipients", StrList),
        ("signer_title", Str),
        ("signer", Str),
    ],
    required: &[],
};
pub const PLAN: Schema = Schema {
    name: "plan.toml",
    keys: &[
        ("id", Str),
        ("title", Str),
        ("title_en", Str),
        ("issuer", Str),
        ("issued", Date),
        ("first_year", Int),
        ("last_year", Int),
        ("lang", Str),
        ("focal", StrList),
        ("basis", Tables(&BASIS)),
        ("group", Tables(&GROUP)),
        ("report", Table(&REPORT)),
    ],
    required: &["id", "title", "issued", "first_year", "last_year"],
};
pub const AGENCY: Schema = Schema {
    name: "[[agency]]",
    keys: &[
        ("code", Str),
        ("name", Str),
        ("name_en", Str),
        ("kind", Str),
        ("until", Date),
        ("successor", Str),
        ("members", StrList),
        ("parent", Str),
        ("place", Str),
    ],
    required: &["code", "name"],
};
pub const AGENCIES: Schema = Schema {
    name: "agencies.toml",
    keys: &[("agency", Tables(&AGENCY))],
    required: &[],
};
pub const DUE: Schema = Schema {
    name: "due",
    keys: &[
        ("every", Str),
        ("on", DueOn),
        ("first_year", Int),
        ("last_year", Int),
    ],
    required: &[],
};
pub const TASK: Schema = Schema {
    name: "[[task]]",
    keys: &[
        ("id", Str),
        ("group", Str),
        ("title", Str),
        ("title_en", Str),
        ("lead", Str),
        ("support", StrList),
        ("due", Due),
        ("output", Str),
        ("note", Str),
        ("successors", CodeMap),
    ],
    required: &["id", "group", "title", "lead", "due"],
};
pub const TASKS: Schema = Schema {
    name: "tasks file",
    keys: &[("task", Tables(&TASK))],
    required: &[],
};
pub const INDICATOR: Schema = Schema {
    name: "[[indicator]]",
    keys: &[
        ("id", Str),
        ("title", Str),
        ("unit", Str),
        ("lead", Str),
        ("group", Str),
        ("kind", Str),
        ("target", Num),
        ("targets", YearMap),
    ],
    required: &["id", "title", "unit", "lead"],
};
pub const INDICATORS: Schema = Schema {
    name: "indicators.toml",
    keys: &[("indicator", Tables(&INDICATOR))],
    required: &[],
};
pub const UPDATE: Schema = Schema {
    name: "[[update]]",
    keys: &[
        ("task", Str),
        ("period", Str),
        ("agency", Str),
        ("date", Date),
        ("status", Str),
        ("percent", Int),
        ("by", Str),
        ("evidence", Str),
        ("note", Str),
        ("new_due", Date),
        ("decision", Str),
    ],
    required: &["task", "date", "status"],
};
pub const MEASURE: Schema = Schema {
    name: "[[measure]]",
    keys: &[
        ("indicator", Str),
        ("year", Int),
        ("value", Num),
        ("date", Date),
        ("by", Str),
        ("evidence", Str),
        ("note", Str),
    ],
    required: &["indicator", "year", "value", "date"],
};
pub const PROGRESS: Schema = Schema {
    name: "progress file",
    keys: &[("update", Tables(&UPDATE)), ("measure", Tables(&MEASURE))],
    required: &[],
};

/// Lists every unknown key, missing key and wrong type of `table` and of
/// the tables inside it, and drops the offending keys so that what remains
/// reads as the raw struct. `at` is where the table starts.
pub fn clean(
    table: &mut DeTable<'_>,
    at: usize,
    schema: &Schema,
    file: usize,
    diags: &mut Vec<Diag>,
) {
    let named = table_name(table, schema);
    let mut drop: Vec<String> = Vec::new();
    // `[[tasks]]` for `[[task]]`: (as written, as meant).
    let mut plural: Option<(String, String)> = None;
    for (key, value) in table.iter_mut() {
        let name: &str = key.get_ref();
        let Some(kind) = schema.kind(name) else {
            let singular = schema
                .key_names()
                .into_iter()
                .find(|k| is_plural_of(name, k))
                .map(str::to_string);
            let suggestion = singular.clone().or_else(|| closest(name, schema));
            diags.push(Diag::error(
                file,
                Some(key.span().start),
                Msg::UnknownKey {
                    key: name.to_string(),
                    table: named.clone(),
                    suggestion: suggestion.clone(),
                    allowed: schema.key_names().join(", "),
                },
            ));
            match singular {
                Some(meant) if plural.is_none() => plural = Some((name.to_string(), meant)),
                _ => drop.push(name.to_string()),
            }
            continue;
        };
        // A table of years or of codes: each wrong value is placed at
        // itself, named by its key ("targets.2024", found a string — not
        // "found a table" where a table is asked for), and dropped alone,
        // so that the rest is still read.
        if let (YearMap | CodeMap, DeValue::Table(t)) = (kind, value.get_mut()) {
            let mut bad: Vec<String> = Vec::new();
            for (k, v) in t.iter().filter(|(_, v)| !kind.accepts_inside(v.get_ref())) {
                diags.push(Diag::error(
                    file,
                    Some(v.span().start),
                    Msg::WrongType {
                        key: format!("{name}.{}", k.get_ref()),
                        expected: kind.expectation(),
                        found: v.get_ref().type_str().to_string(),
                        // "90%" for a year's target: 90.
                        fix: Kind::Num.fix(v.get_ref()),
                    },
                ));
                bad.push(k.get_ref().to_string());
            }
            for k in &bad {
                t.remove(k.as_str());
            }
            continue;
        }
        if !kind.accepts(value.get_ref()) {
            let fix = kind.fix(value.get_ref());
            let msg = match (kind, value.get_ref()) {
                // `[task]` where `[[task]]` is meant.
                (Tables(_), DeValue::Table(_)) => Msg::TableNotList {
                    name: name.to_string(),
                },
                _ => Msg::WrongType {
                    key: name.to_string(),
                    expected: kind.expectation(),
                    found: value.get_ref().type_str().to_string(),
                    fix,
                },
            };
            diags.push(Diag::error(file, Some(value.span().start), msg));
            // A number where an id, a task or a period is asked for (`id
            // = 1` of a group) is read on as the text it was meant to be,
            // so that what refers to it does not fail too (every task of
            // group "1"); the error above still refuses the plan. Other
            // keys are dropped: an agency "5" would only add an error.
            const READ_ON: [&str; 4] = ["id", "task", "period", "group"];
            match number_text(value.get_ref()) {
                Some(text) if matches!(kind, Str) && READ_ON.contains(&name) => {
                    *value.get_mut() = DeValue::String(text.into());
                }
                _ => drop.push(name.to_string()),
            }
            continue;
        }
        let start = value.span().start;
        match (kind, value.get_mut()) {
            (Tables(sub), DeValue::Array(array)) => {
                for element in array.iter_mut() {
                    let start = element.span().start;
                    if let DeValue::Table(t) = element.get_mut() {
                        clean(t, start, sub, file, diags);
                    }
                }
            }
            (Table(sub), DeValue::Table(t)) => clean(t, start, sub, file, diags),
            (Due, DeValue::Table(t)) => clean(t, start, &DUE, file, diags),
            _ => {}
        }
    }
    // Tables of a list written in the plural (`[[tasks]]`, `[[updates]]`)
    // are read on as what they were meant to be, so that nothing naming
    // them is refused too (every update of every task); the error above
    // still refuses the file. Only where the singular is not used as well.
    if let Some((written, meant)) = plural
        && let Some((key, mut value)) = table.remove_entry(written.as_str())
        && let (Some(Tables(sub)), DeValue::Array(array)) = (schema.kind(&meant), value.get_mut())
        && !table.contains_key(meant.as_str())
    {
        for element in array.iter_mut() {
            let start = element.span().start;
            if let DeValue::Table(t) = element.get_mut() {
                clean(t, start, sub, file, diags);
            }
        }
        table.insert(toml::Spanned::new(key.span(), meant.into()), value);
    }
    for required in schema.required {
        if !table.iter().any(|(k, _)| k.get_ref() == *required) {
            diags.push(Diag::error(
                file,
                Some(at),
                Msg::MissingKey {
                    key: required.to_string(),
                    table: named.clone(),
                },
            ));
        }
    }
    for key in &drop {
        table.remove(key.as_str());
    }
}

/// A number as written (`1.1`, `2024`), in base ten.
fn number_text(v: &DeValue<'_>) -> Option<String> {
    match v {
        DeValue::Integer(n) if n.radix() == 10 => Some(n.as_str().to_string()),
        DeValue::Float(f) => Some(f.as_str().to_string()),
        _ => None,
    }
}

/// Whether `written` is the plural of the key `meant` (`tasks`, `agencies`).
fn is_plural_of(written: &str, meant: &str) -> bool {
    written.strip_suffix('s') == Some(meant)
        || meant
            .strip_suffix('y')
            .is_some_and(|stem| written.strip_suffix("ies") == Some(stem))
}

/// `[[task]] "1.2"`: a table named by its id where it has one.
fn table_name(table: &DeTable<'_>, schema: &Schema) -> String {
    ["id", "code", "task", "indicator"]
        .iter()
        .find_map(|k| match table.get(*k).map(|v| v.get_ref()) {
            Some(DeValue::String(id)) => Some(format!("{} \"{id}\"", schema.name)),
            _ => None,
        })
        .unwrap_or_else(|| schema.name.to_string())
}

/// Words officers reach for instead of a key (English and unaccented
/// Vietnamese), and the key they mean.
const SYNONYMS: &[(&str, &str)] = &[
    ("deadline", "due"),
    ("dead_line", "due"),
    ("due_date", "due"),
    ("han", "due"),
    ("thoi_han", "due"),
    ("chu_tri", "lead"),
    ("phoi_hop", "support"),
    ("trang_thai", "status"),
    ("ngay", "date"),
    ("ky", "period"),
    ("tien_do", "percent"),
    ("minh_chung", "evidence"),
    ("ghi_chu", "note"),
    ("gia_han", "new_due"),
    ("quyet_dinh", "decision"),
    ("ten", "name"),
    ("ma", "code"),
    ("nhom", "group"),
    ("co_quan", "agency"),
    ("thanh_vien", "members"),
];

/// The key an unknown one probably meant: a known synonym (`dead_line` →
/// `due`), else the nearest known key.
fn closest(name: &str, schema: &Schema) -> Option<String> {
    let lower = name.to_ascii_lowercase().replace('-', "_");
    if let Some(&(_, key)) = SYNONYMS.iter().find(|(word, _)| *word == lower)
        && schema.kind(key).is_some()
    {
        return Some(key.to_string());
    }
    crate::messages::nearest(name, schema.key_names())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::*;
    use serde::de::DeserializeOwned;

    /// A sample TOML value of each kind.
    fn sample(kind: Kind) -> String {
        match kind {
            Str => "\"x\"".into(),
            Date => "2024-01-01".into(),
            Int | DueOn => "5".into(),
            Num => "1.5".into(),
            StrList => "[\"A\"]".into(),
            Due => "{ every = \"year\", on = \"12-15\" }".into(),
            YearMap => "{ \"2024\" = 1 }".into(),
            CodeMap => "{ A = \"B\" }".into(),
            Tables(_) => "[]".into(),
            Table(_) => "{}".into(),
        }
    }

    /// Every schema key reads into the struct with its kind, and the struct
    /// knows no key the schema does not list (serde names its fields when
    /// refusing an unknown one).
    fn agrees<T: DeserializeOwned>(schema: &Schema) {
        let text: String = schema
            .keys
            .iter()
            .map(|(k, kind)| format!("{k} = {}\n", sample(*kind)))
            .collect();
        if let Err(e) = toml::from_str::<T>(&text) {
            panic!("{}: {e}\n{text}", schema.name);
        }
        let e = toml::from_str::<T>("zzz_not_a_key = 1")
            .err()
            .map(|e| e.to_string());
        let e = e.unwrap_or_default();
        let list = e.split("expected ").nth(1).unwrap_or("");
        let list = list.strip_prefix("one of ").unwrap_or(list);
        let fields: Vec<&str> = list
            .lines()
            .next()
            .unwrap_or("")
            .split(", ")
            .flat_map(|f| f.split(" or "))
            .map(|f| f.trim_matches('`').trim())
            .filter(|f| !f.is_empty())
            .collect();
        let mut fields = fields;
        fields.sort_unstable();
        let mut keys = schema.key_names();
        keys.sort_unstable();
        assert_eq!(
            fields, keys,
            "{}: struct fields and schema keys differ",
            schema.name
        );
    }

    #[test]
    fn schemas_agree_with_the_structs() {
        agrees::<RawPlan>(&PLAN);
        agrees::<RawBasis>(&BASIS);
        agrees::<RawGroup>(&GROUP);
        agrees::<RawReport>(&REPORT);
        agrees::<RawAgencies>(&AGENCIES);
        agrees::<RawAgency>(&AGENCY);
        agrees::<RawTasks>(&TASKS);
        agrees::<RawTask>(&TASK);
        agrees::<RawRule>(&DUE);
        agrees::<RawIndicators>(&INDICATORS);
        agrees::<RawIndicator>(&INDICATOR);
        agrees::<RawProgress>(&PROGRESS);
        agrees::<RawUpdate>(&UPDATE);
        agrees::<RawMeasure>(&MEASURE);
    }
}
