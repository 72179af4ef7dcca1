//! Stage 1: plan directory -> raw serde structs, each with its file and byte
//! spans. Only this module and `write` know TOML. No validation beyond what
//! the TOML grammar and the key lists demand; see `validate` for the rest.
//!
//! Every file is parsed once straight into typed structs (the fast path, as
//! cheap as parsing gets). Only a file that fails is parsed again, loosely,
//! to find *every* unknown key, missing key and wrong type in it rather than
//! the first one.

use crate::model::{FileId, SourceFile};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::value::Datetime;

/// Files above this size are refused: no real plan file comes near it, and
/// a runaway file must not exhaust memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

type S<T> = Spanned<T>;

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub id: S<String>,
    pub title: S<String>,
    pub title_en: Option<String>,
    pub issuer: Option<String>,
    pub issued: S<Datetime>,
    pub first_year: S<i64>,
    pub last_year: S<i64>,
    pub lang: Option<S<String>>,
    #[serde(default)]
    pub focal: Vec<S<String>>,
    #[serde(default)]
    pub basis: Vec<RawBasis>,
    #[serde(default)]
    pub group: Vec<RawGroup>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawBasis {
    #[serde(rename = "ref")]
    pub reference: S<String>,
    pub date: Option<S<Datetime>>,
    pub title: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub id: S<String>,
    pub title: S<String>,
    pub title_en: Option<String>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct RawAgencies {
    /// Ids (codes) of tables that had a problem and were left out, so that
    /// references to them are not reported again as unknown.
    #[serde(skip)]
    pub broken: Vec<String>,
    #[serde(default)]
    pub agency: Vec<RawAgency>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawAgency {
    pub code: S<String>,
    pub name: S<String>,
    pub name_en: Option<String>,
    pub kind: Option<String>,
    pub until: Option<S<Datetime>>,
    pub successor: Option<S<String>>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct RawTasks {
    /// Ids (codes) of tables that had a problem and were left out, so that
    /// references to them are not reported again as unknown.
    #[serde(skip)]
    pub broken: Vec<String>,
    #[serde(default)]
    pub task: Vec<RawTask>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawTask {
    pub id: S<String>,
    pub group: S<String>,
    pub title: S<String>,
    pub title_en: Option<String>,
    pub lead: S<String>,
    #[serde(default)]
    pub support: Vec<S<String>>,
    pub due: S<toml::Value>,
    pub output: Option<String>,
    pub note: Option<String>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct RawIndicators {
    /// Ids (codes) of tables that had a problem and were left out, so that
    /// references to them are not reported again as unknown.
    #[serde(skip)]
    pub broken: Vec<String>,
    #[serde(default)]
    pub indicator: Vec<RawIndicator>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    pub id: S<String>,
    pub title: S<String>,
    pub unit: S<String>,
    pub lead: S<String>,
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

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawUpdate {
    pub task: S<String>,
    pub period: Option<S<String>>,
    pub date: S<Datetime>,
    pub status: S<String>,
    pub percent: Option<S<i64>>,
    pub by: Option<String>,
    pub evidence: Option<String>,
    pub note: Option<String>,
    pub new_due: Option<S<Datetime>>,
    pub decision: Option<S<String>>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawMeasure {
    pub indicator: S<String>,
    pub year: S<i64>,
    pub value: S<f64>,
    pub date: S<Datetime>,
    pub by: Option<String>,
    pub evidence: Option<String>,
    pub note: Option<String>,
}

/// What a plan file holds, by its place in the plan directory (§1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Plan,
    Agencies,
    Tasks,
    Indicators,
    Progress,
}

/// One parsed file. `None` contents mean the file could not be used at all
/// (its problems are in `Raw::diags`).
#[derive(Debug)]
pub enum RawFile {
    Plan(Box<RawPlan>),
    Agencies(RawAgencies),
    Tasks(RawTasks),
    Indicators(RawIndicators),
    Progress(RawProgress),
}

/// A problem found while loading or validating, before it is placed on a
/// line and column.
#[derive(Clone, Debug)]
pub struct Diag {
    pub file: FileId,
    /// Byte offset in the file's text (after a leading BOM), or `None` for
    /// the file as a whole.
    pub at: Option<usize>,
    pub warning: bool,
    pub message: String,
}

/// Everything read from a plan directory.
#[derive(Debug, Default)]
pub struct Raw {
    pub dir: PathBuf,
    pub files: Vec<SourceFile>,
    /// Parallel to `files`: the file's kind and parsed contents.
    pub kinds: Vec<FileKind>,
    pub contents: Vec<Option<RawFile>>,
    pub diags: Vec<Diag>,
    /// The progress files, in load order; their contents are read by
    /// `read_progress`, not held in `contents`.
    pub progress: Vec<FileId>,
}

/// Lists the plan's files in load order (§1, §6.1): plan.toml, agencies.toml,
/// tasks.toml, tasks/**, indicators.toml, progress/** — each group sorted by
/// its path relative to the plan directory, byte order.
pub fn list_files(dir: &Path, diags: &mut Vec<(String, String)>) -> Vec<(String, FileKind)> {
    let mut out = Vec::new();
    for (name, kind) in [
        ("plan.toml", FileKind::Plan),
        ("agencies.toml", FileKind::Agencies),
        ("tasks.toml", FileKind::Tasks),
    ] {
        if dir.join(name).is_file() || matches!(kind, FileKind::Plan | FileKind::Agencies) {
            out.push((name.to_string(), kind));
        }
    }
    let mut tasks = Vec::new();
    walk_toml(dir, "tasks", &mut tasks, diags);
    tasks.sort();
    out.extend(tasks.into_iter().map(|p| (p, FileKind::Tasks)));
    if dir.join("indicators.toml").is_file() {
        out.push(("indicators.toml".to_string(), FileKind::Indicators));
    }
    let mut progress = Vec::new();
    walk_toml(dir, "progress", &mut progress, diags);
    progress.sort();
    out.extend(progress.into_iter().map(|p| (p, FileKind::Progress)));
    out
}

/// Collects `*.toml` files under `dir/rel`, recursively. Hidden entries (an
/// editor's `.#x.toml`, `.git`) are skipped; symbolic links are followed only
/// to a file inside the plan directory, never to a directory (no loops).
fn walk_toml(root: &Path, rel: &str, out: &mut Vec<String>, diags: &mut Vec<(String, String)>) {
    let path = root.join(rel);
    let Ok(entries) = std::fs::read_dir(&path) else {
        if path.exists() && !path.is_dir() {
            diags.push((rel.to_string(), "expected a directory here".to_string()));
        } else if path.is_dir() {
            diags.push((rel.to_string(), "cannot read this directory".to_string()));
        }
        return;
    };
    let mut names: Vec<(String, std::fs::FileType)> = Vec::new();
    for entry in entries.flatten() {
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        match entry.file_name().into_string() {
            Ok(name) => names.push((name, file_type)),
            Err(name) => diags.push((
                format!("{rel}/{}", name.to_string_lossy()),
                "file name is not valid Unicode; skipped".to_string(),
            )),
        }
    }
    for (name, file_type) in names {
        if name.starts_with('.') {
            continue;
        }
        let child = format!("{rel}/{name}");
        if file_type.is_symlink() {
            if !name.ends_with(".toml") {
                continue;
            }
            let inside = match (root.canonicalize(), root.join(&child).canonicalize()) {
                (Ok(r), Ok(t)) => t.starts_with(&r) && t.is_file(),
                _ => false,
            };
            if inside {
                out.push(child);
            } else {
                diags.push((
                    child,
                    "symbolic link to a directory or outside the plan directory; not followed"
                        .to_string(),
                ));
            }
        } else if file_type.is_dir() {
            walk_toml(root, &child, out, diags);
        } else if name.ends_with(".toml") {
            out.push(child);
        }
    }
}

/// Reads a plan file as text: refuses files above `MAX_FILE_BYTES` and text
/// that is not UTF-8 (with the place of the first bad byte); drops a leading
/// UTF-8 BOM, which Windows editors add.
pub fn read_text(path: &Path) -> Result<String, (Option<usize>, String)> {
    let meta = std::fs::metadata(path).map_err(|e| (None, io_message(&e)))?;
    if meta.is_dir() {
        return Err((None, "is a directory, expected a TOML file".to_string()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err((
            None,
            format!(
                "file is {} MiB; plan files may be at most {} MiB — split it into several files",
                meta.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| (None, io_message(&e)))?;
    decode(bytes)
}

/// UTF-8 decoding with the BOM dropped; the error carries the offset of the
/// first invalid byte.
pub fn decode(bytes: Vec<u8>) -> Result<String, (Option<usize>, String)> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        (
            Some(at),
            "file is not valid UTF-8; save it as UTF-8 (in Notepad: Save As → Encoding: UTF-8)"
                .to_string(),
        )
    })
}

pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".to_string(),
        std::io::ErrorKind::PermissionDenied => {
            "permission denied; check the file's access rights".to_string()
        }
        _ => format!("cannot read: {e}"),
    }
}

/// Loads every file of the plan directory `dir`, shown to the user as
/// `shown_dir`, in parallel.
pub fn load_dir(dir: &Path, shown_dir: &str) -> Raw {
    let mut walk_diags = Vec::new();
    let listed = list_files(dir, &mut walk_diags);
    let files: Vec<SourceFile> = listed
        .iter()
        .map(|(rel, _)| SourceFile {
            rel: rel.clone(),
            shown: join_shown(shown_dir, rel),
        })
        .collect();
    let kinds: Vec<FileKind> = listed.iter().map(|(_, k)| *k).collect();
    // Progress files, the bulk of a plan, are read later, one at a time per
    // core, by `validate` (see `read_progress`): they are never all in
    // memory as raw structs at once.
    let results = parallel_map(&listed, |(rel, kind)| match kind {
        FileKind::Progress => (None, Vec::new()),
        _ => load_file(&dir.join(rel), *kind),
    });
    let progress = (0..listed.len())
        .filter(|&i| listed[i].1 == FileKind::Progress)
        .collect();

    let mut raw = Raw {
        dir: dir.to_path_buf(),
        files,
        kinds,
        contents: Vec::with_capacity(results.len()),
        diags: Vec::new(),
        progress,
    };
    for (rel, message) in walk_diags {
        // Problems with entries that are not loaded files still name a path.
        let file = raw.files.len();
        raw.files.push(SourceFile {
            shown: join_shown(shown_dir, &rel),
            rel,
        });
        raw.kinds.push(FileKind::Progress);
        raw.diags.push(Diag {
            file,
            at: None,
            warning: !message.starts_with("expected a directory"),
            message,
        });
    }
    for (file, (content, diags)) in results.into_iter().enumerate() {
        raw.contents.push(content);
        raw.diags
            .extend(diags.into_iter().map(|(at, message)| Diag {
                file,
                at,
                warning: false,
                message,
            }));
    }
    // The extra entries pushed for walk problems hold no contents.
    raw.contents.resize_with(raw.files.len(), || None);
    raw
}

/// Reads and parses one progress file of `raw`.
pub fn read_progress(raw: &Raw, file: FileId) -> (Option<RawProgress>, FileDiags) {
    let rel = raw.files.get(file).map_or("", |f| f.rel.as_str());
    match load_file(&raw.dir.join(rel), FileKind::Progress) {
        (Some(RawFile::Progress(p)), diags) => (Some(p), diags),
        (_, diags) => (None, diags),
    }
}

pub fn join_shown(dir: &str, rel: &str) -> String {
    if dir.is_empty() || dir == "." {
        rel.to_string()
    } else if dir.ends_with('/') || dir.ends_with('\\') {
        format!("{dir}{rel}")
    } else {
        format!("{dir}/{rel}")
    }
}

/// Maps `f` over `items` on all cores, keeping order. Plan files are
/// independent, so loading scales with the number of cores.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut parts: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for part in parts.drain(..) {
        for (i, r) in part {
            slots[i] = Some(r);
        }
    }
    slots.into_iter().flatten().collect()
}

pub type FileDiags = Vec<(Option<usize>, String)>;

/// Reads and parses one file of the given kind.
pub fn load_file(path: &Path, kind: FileKind) -> (Option<RawFile>, FileDiags) {
    let mut diags = Vec::new();
    let text = match read_text(path) {
        Ok(text) => text,
        Err((at, message)) => {
            let message = if at.is_none() && kind == FileKind::Plan && !path.exists() {
                "plan.toml not found: a plan directory needs plan.toml (the plan itself) \
                 and agencies.toml"
                    .to_string()
            } else if at.is_none() && kind == FileKind::Agencies && !path.exists() {
                "agencies.toml not found: a plan directory needs agencies.toml listing \
                 every agency the plan names"
                    .to_string()
            } else {
                message
            };
            return (None, vec![(at, message)]);
        }
    };
    let content = parse_text(&text, kind, &mut diags);
    (content, diags)
}

/// Parses a file's text as the given kind.
pub fn parse_text(text: &str, kind: FileKind, diags: &mut FileDiags) -> Option<RawFile> {
    match kind {
        FileKind::Plan => {
            parse_whole::<RawPlan>(text, &PLAN, diags).map(|p| RawFile::Plan(Box::new(p)))
        }
        FileKind::Agencies => parse_arrays(text, &AGENCIES, diags, |root, d| {
            let mut broken = Vec::new();
            let agency = elements(root, "agency", "code", d, &mut broken);
            RawAgencies { broken, agency }
        })
        .map(RawFile::Agencies),
        FileKind::Tasks => parse_arrays(text, &TASKS, diags, |root, d| {
            let mut broken = Vec::new();
            let task = elements(root, "task", "id", d, &mut broken);
            RawTasks { broken, task }
        })
        .map(RawFile::Tasks),
        FileKind::Indicators => parse_arrays(text, &INDICATORS, diags, |root, d| {
            let mut broken = Vec::new();
            let indicator = elements(root, "indicator", "id", d, &mut broken);
            RawIndicators { broken, indicator }
        })
        .map(RawFile::Indicators),
        FileKind::Progress => parse_arrays(text, &PROGRESS, diags, |root, d| RawProgress {
            update: elements(root, "update", "", d, &mut Vec::new()),
            measure: elements(root, "measure", "", d, &mut Vec::new()),
        })
        .map(RawFile::Progress),
    }
}

/// The keys a table may hold, for the loose second parse.
pub struct Schema {
    /// How the table is named in messages, e.g. `[[task]]`.
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub required: &'static [&'static str],
    /// Keys holding arrays of tables, with their schema.
    pub arrays: &'static [(&'static str, &'static Schema)],
}

const BASIS: Schema = Schema {
    name: "[[basis]]",
    keys: &["ref", "date", "title"],
    required: &["ref"],
    arrays: &[],
};
const GROUP: Schema = Schema {
    name: "[[group]]",
    keys: &["id", "title", "title_en"],
    required: &["id", "title"],
    arrays: &[],
};
pub const PLAN: Schema = Schema {
    name: "plan.toml",
    keys: &[
        "id",
        "title",
        "title_en",
        "issuer",
        "issued",
        "first_year",
        "last_year",
        "lang",
        "focal",
        "basis",
        "group",
    ],
    required: &["id", "title", "issued", "first_year", "last_year"],
    arrays: &[("basis", &BASIS), ("group", &GROUP)],
};
const AGENCY: Schema = Schema {
    name: "[[agency]]",
    keys: &["code", "name", "name_en", "kind", "until", "successor"],
    required: &["code", "name"],
    arrays: &[],
};
pub const AGENCIES: Schema = Schema {
    name: "agencies file",
    keys: &["agency"],
    required: &[],
    arrays: &[("agency", &AGENCY)],
};
const TASK: Schema = Schema {
    name: "[[task]]",
    keys: &[
        "id", "group", "title", "title_en", "lead", "support", "due", "output", "note",
    ],
    required: &["id", "group", "title", "lead", "due"],
    arrays: &[],
};
pub const TASKS: Schema = Schema {
    name: "tasks file",
    keys: &["task"],
    required: &[],
    arrays: &[("task", &TASK)],
};
const INDICATOR: Schema = Schema {
    name: "[[indicator]]",
    keys: &[
        "id", "title", "unit", "lead", "group", "kind", "target", "targets",
    ],
    required: &["id", "title", "unit", "lead"],
    arrays: &[],
};
pub const INDICATORS: Schema = Schema {
    name: "indicators file",
    keys: &["indicator"],
    required: &[],
    arrays: &[("indicator", &INDICATOR)],
};
const UPDATE: Schema = Schema {
    name: "[[update]]",
    keys: &[
        "task", "period", "date", "status", "percent", "by", "evidence", "note", "new_due",
        "decision",
    ],
    required: &["task", "date", "status"],
    arrays: &[],
};
const MEASURE: Schema = Schema {
    name: "[[measure]]",
    keys: &[
        "indicator",
        "year",
        "value",
        "date",
        "by",
        "evidence",
        "note",
    ],
    required: &["indicator", "year", "value", "date"],
    arrays: &[],
};
pub const PROGRESS: Schema = Schema {
    name: "progress file",
    keys: &["update", "measure"],
    required: &[],
    arrays: &[("update", &UPDATE), ("measure", &MEASURE)],
};

/// A file whose top level is one struct (plan.toml): on failure, every key
/// problem is listed, then the first wrong type.
fn parse_whole<T: DeserializeOwned>(
    text: &str,
    schema: &Schema,
    diags: &mut FileDiags,
) -> Option<T> {
    if let Ok(value) = toml::from_str::<T>(text) {
        return Some(value);
    }
    let root = loose_parse(text, diags)?;
    check_keys(root.get_ref(), root.span().start, schema, diags);
    match T::deserialize(toml::de::Deserializer::from(root.clone())) {
        Ok(value) if diags.is_empty() => Some(value),
        Ok(_) => None,
        Err(e) => {
            if let Some(message) = type_message(&e, root.get_ref()) {
                diags.push((e.span().map(|s| s.start), message));
            }
            None
        }
    }
}

/// A file made of arrays of tables: on failure, every key problem and every
/// wrong type is listed, and the tables without problems are still kept so
/// that validation can go on and find the rest.
fn parse_arrays<T: DeserializeOwned>(
    text: &str,
    schema: &Schema,
    diags: &mut FileDiags,
    build: impl FnOnce(&DeTable<'_>, &mut FileDiags) -> T,
) -> Option<T> {
    match toml::from_str::<T>(text) {
        Ok(value) => Some(value),
        Err(_) => {
            let root = loose_parse(text, diags)?;
            check_keys(root.get_ref(), root.span().start, schema, diags);
            Some(build(root.get_ref(), diags))
        }
    }
}

fn loose_parse<'i>(text: &'i str, diags: &mut FileDiags) -> Option<Spanned<DeTable<'i>>> {
    let (root, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Some(root);
    }
    for e in errors {
        diags.push((
            e.span().map(|s| s.start),
            format!("TOML syntax: {}", e.message()),
        ));
    }
    None
}

/// Deserializes each table of `root[key]` on its own; tables with a problem
/// are left out (the key problems were listed by `check_keys`) and their
/// `id_key` string, if any, goes to `broken`.
fn elements<E: DeserializeOwned>(
    root: &DeTable<'_>,
    key: &str,
    id_key: &str,
    diags: &mut FileDiags,
    broken: &mut Vec<String>,
) -> Vec<E> {
    let Some(value) = root.get(key) else {
        return Vec::new();
    };
    let DeValue::Array(array) = value.get_ref() else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(array.len());
    for element in array.iter() {
        let DeValue::Table(table) = element.get_ref() else {
            continue;
        };
        match E::deserialize(ValueDeserializer::from(element.clone())) {
            Ok(e) => out.push(e),
            Err(e) => {
                if let Some(message) = type_message(&e, table) {
                    diags.push((e.span().map(|s| s.start), message));
                }
                if let Some(DeValue::String(id)) = table.get(id_key).map(|v| v.get_ref()) {
                    broken.push(id.to_string());
                }
            }
        }
    }
    out
}

/// Lists unknown and missing keys of `table` and, recursively, of its arrays
/// of tables.
fn check_keys(table: &DeTable<'_>, at: usize, schema: &Schema, diags: &mut FileDiags) {
    // "[[task]] "1.2"": name the table by its id where it has one.
    let named = ["id", "code", "task", "indicator"]
        .iter()
        .find_map(|k| match table.get(*k).map(|v| v.get_ref()) {
            Some(DeValue::String(id)) => Some(format!("{} \"{id}\"", schema.name)),
            _ => None,
        })
        .unwrap_or_else(|| schema.name.to_string());
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        if !schema.keys.contains(&name) {
            let hint = closest(name, schema.keys)
                .map(|k| format!("; did you mean \"{k}\"?"))
                .unwrap_or_default();
            diags.push((
                Some(key.span().start),
                format!(
                    "unknown key \"{name}\" in {named}{hint} (allowed: {})",
                    schema.keys.join(", ")
                ),
            ));
            continue;
        }
        if let Some((_, sub)) = schema.arrays.iter().find(|(k, _)| *k == name) {
            match value.get_ref() {
                DeValue::Array(array)
                    if array
                        .iter()
                        .all(|e| matches!(e.get_ref(), DeValue::Table(_))) =>
                {
                    for element in array.iter() {
                        if let DeValue::Table(t) = element.get_ref() {
                            check_keys(t, element.span().start, sub, diags);
                        }
                    }
                }
                other => diags.push((
                    Some(value.span().start),
                    format!(
                        "wrong type for \"{name}\": expected [[{name}]] tables, found {}",
                        other.type_str()
                    ),
                )),
            }
        }
    }
    for required in schema.required {
        if !table.iter().any(|(k, _)| k.get_ref() == *required) {
            diags.push((
                Some(at),
                format!("missing required key \"{required}\" in {named}"),
            ));
        }
    }
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
];

/// The key an unknown one probably meant: a known synonym (`dead_line` →
/// `due`), else a known key within edit distance 2 (`lesd` → `lead`).
fn closest<'a>(name: &str, keys: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase().replace('-', "_");
    if let Some(&(_, key)) = SYNONYMS.iter().find(|(word, _)| *word == lower)
        && let Some(k) = keys.iter().find(|k| **k == key)
    {
        return Some(k);
    }
    keys.iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Turns a serde error into a message for the user, or `None` when it is an
/// unknown or missing key (already listed by `check_keys`).
fn type_message(e: &toml::de::Error, table: &DeTable<'_>) -> Option<String> {
    let msg = e.message();
    if msg.starts_with("unknown field") || msg.starts_with("missing field") {
        return None;
    }
    let key = e
        .span()
        .and_then(|span| key_at(table, span.start))
        .map(|k| format!(" for \"{k}\""))
        .unwrap_or_default();
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        let expected = match expected.trim() {
            "i64" | "u64" | "i32" => "an integer",
            "f64" => "a number",
            "a string" => "a string (in quotes)",
            "a sequence" => "an array",
            e if e.contains("datetime") || e.contains("Datetime") => {
                "a date like 2023-12-15 (without quotes)"
            }
            e => e,
        };
        return Some(format!(
            "wrong type{key}: expected {expected}, found {found}"
        ));
    }
    Some(format!("invalid value{key}: {msg}"))
}

/// The innermost key whose value contains byte `offset`.
fn key_at(table: &DeTable<'_>, offset: usize) -> Option<String> {
    for (key, value) in table.iter() {
        if value.span().contains(&offset) || value.span().start == offset {
            if let DeValue::Table(inner) = value.get_ref()
                && let Some(k) = key_at(inner, offset)
            {
                return Some(k);
            }
            return Some(key.get_ref().to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diags(text: &str, kind: FileKind) -> Vec<(Option<usize>, String)> {
        let mut d = Vec::new();
        parse_text(text, kind, &mut d);
        d
    }

    #[test]
    fn every_unknown_key_in_a_file_is_listed() {
        let text = "[[task]]\nid = \"1\"\ngroup = \"I\"\ntitle = \"x\"\nlead = \"A\"\ndead_line = 2022-01-01\n\n[[task]]\nid = \"2\"\ngroup = \"I\"\ntitle = \"x\"\nlesd = \"A\"\ndue = 2022-01-01\n";
        let d = diags(text, FileKind::Tasks);
        let messages: Vec<&str> = d.iter().map(|(_, m)| m.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("unknown key \"dead_line\"")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(
                |m| m.contains("unknown key \"lesd\" in [[task]] \"2\"; did you mean \"lead\"")
            )
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("missing required key \"due\""))
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("missing required key \"lead\""))
        );
    }

    #[test]
    fn wrong_types_name_the_key() {
        let text = "[[update]]\ntask = \"1\"\ndate = \"2023-01-01\"\nstatus = \"done\"\n\n[[update]]\ntask = \"1\"\ndate = 2023-01-01\nstatus = \"done\"\npercent = \"80\"\n";
        let d = diags(text, FileKind::Progress);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d[0].1.contains("\"date\"") && d[0].1.contains("without quotes"),
            "{d:?}"
        );
        assert!(
            d[1].1.contains("\"percent\"") && d[1].1.contains("an integer"),
            "{d:?}"
        );
    }

    #[test]
    fn syntax_errors_are_reported_with_a_place() {
        let d = diags("[[task]\nid = 1", FileKind::Tasks);
        assert!(!d.is_empty());
        assert!(d[0].0.is_some());
        assert!(d[0].1.starts_with("TOML syntax"));
    }

    #[test]
    fn bom_is_dropped_and_bad_utf8_located() {
        assert_eq!(decode(b"\xEF\xBB\xBFa = 1".to_vec()).unwrap(), "a = 1");
        let err = decode(b"ab\xFFcd".to_vec()).unwrap_err();
        assert_eq!(err.0, Some(2));
    }

    #[test]
    fn edit_distance_is_levenshtein() {
        assert_eq!(edit_distance("lesd", "lead"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
