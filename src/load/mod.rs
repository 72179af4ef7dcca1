//! Stage 1: plan directory -> raw serde structs, each with its file and byte
//! spans. Only this module and `write` know TOML. No validation beyond what
//! the TOML grammar and the key lists demand; see `validate` for the rest.
//!
//! Every file is parsed once straight into typed structs (the fast path, as
//! cheap as parsing gets). Only a file that fails is parsed again, loosely,
//! to list *every* unknown key, missing key and wrong type in it rather than
//! the first one (`schema::clean`). This module also places problems on a
//! line and column (`locate`), which needs the files' text again.

mod fast;
pub mod form;
pub mod raw;
pub mod schema;

pub use raw::*;

use crate::messages::{Msg, Place};
use crate::model::{FileId, SourceFile};
use crate::problem::{Problem, Severity, line_col};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// Files above this size are refused: no real plan file comes near it, and
/// a runaway file must not exhaust memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What a plan file holds, by its place in the plan directory (§1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Plan,
    Agencies,
    Tasks,
    Indicators,
    Progress,
    /// A path that is not a loaded file (a directory entry with a problem).
    Other,
}

/// One parsed file.
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
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Diag {
    pub file: FileId,
    /// Byte offset in the file's text (after a leading BOM), or `None` for
    /// the file as a whole.
    pub at: Option<usize>,
    pub warning: bool,
    pub msg: Msg,
}

impl Diag {
    pub fn error(file: FileId, at: Option<usize>, msg: Msg) -> Diag {
        Diag {
            file,
            at,
            warning: false,
            msg,
        }
    }

    pub fn warning(file: FileId, at: Option<usize>, msg: Msg) -> Diag {
        Diag {
            file,
            at,
            warning: true,
            msg,
        }
    }
}

/// Everything read from a plan directory except the progress files, which
/// are read one at a time (see `read_progress`).
#[derive(Debug, Default)]
pub struct Raw {
    pub dir: PathBuf,
    pub files: Vec<SourceFile>,
    /// Parallel to `files`: the file's kind and parsed contents (`None` for
    /// progress files and for files that could not be used at all).
    pub kinds: Vec<FileKind>,
    pub contents: Vec<Option<RawFile>>,
    pub diags: Vec<Diag>,
    /// The progress files, in load order.
    pub progress: Vec<FileId>,
    /// Parallel to `files`: the hash of the bytes parsed (definition files;
    /// `None` when unread), for the parse cache.
    pub hashes: Vec<Option<u128>>,
    /// Tasks files not read yet: the checks read each when they come to it
    /// (`read_deferred`), so that a national plan's tasks are never all in
    /// memory as raw structs at once.
    pub deferred: Vec<FileId>,
}

impl Raw {
    /// Whether a file of this kind could not be read at all: what it defines
    /// is then unknown, and references to it are not reported.
    pub fn unreadable(&self, kind: FileKind) -> bool {
        self.contents
            .iter()
            .zip(&self.kinds)
            .any(|(c, k)| *k == kind && c.is_none())
    }

    /// Reads and parses the deferred file `file`, keeping its hash and
    /// problems.
    pub fn read_deferred(&self, file: FileId) -> (Option<RawFile>, Vec<Diag>, Option<u128>) {
        load_file(
            &self.dir.join(&self.files[file].rel),
            self.kinds[file],
            file,
        )
    }

    /// Reads and parses one progress file; with the hash of the bytes read.
    pub fn read_progress(&self, file: FileId) -> (Option<RawProgress>, Vec<Diag>, Option<u128>) {
        let rel = self.files.get(file).map_or("", |f| f.rel.as_str());
        match load_file(&self.dir.join(rel), FileKind::Progress, file) {
            (Some(RawFile::Progress(p)), diags, hash) => (Some(p), diags, hash),
            (_, diags, hash) => (None, diags, hash),
        }
    }
}

/// Lists the plan's files in load order (§1, §6.1): plan.toml, agencies.toml,
/// tasks.toml, tasks/**, indicators.toml, progress/** — each group sorted by
/// its path relative to the plan directory, byte order.
pub fn list_files(dir: &Path, problems: &mut Vec<(String, Msg, bool)>) -> Vec<(String, FileKind)> {
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
    walk_toml(dir, "tasks", &mut tasks, problems);
    tasks.sort();
    out.extend(tasks.into_iter().map(|p| (p, FileKind::Tasks)));
    if dir.join("indicators.toml").is_file() {
        out.push(("indicators.toml".to_string(), FileKind::Indicators));
    }
    let mut progress = Vec::new();
    walk_toml(dir, "progress", &mut progress, problems);
    progress.sort();
    out.extend(progress.into_iter().map(|p| (p, FileKind::Progress)));
    out
}

/// Collects `*.toml` files under `dir/rel`, recursively. Hidden entries (an
/// editor's `.#x.toml`, `.git`) are skipped; symbolic links are followed only
/// to a file inside the plan directory, never to a directory (no loops).
/// Problems are (path, message, is_warning).
fn walk_toml(
    root: &Path,
    rel: &str,
    out: &mut Vec<String>,
    problems: &mut Vec<(String, Msg, bool)>,
) {
    let path = root.join(rel);
    let Ok(entries) = std::fs::read_dir(&path) else {
        if path.exists() && !path.is_dir() {
            problems.push((rel.to_string(), Msg::ExpectedDirectory, false));
        } else if path.is_dir() {
            problems.push((rel.to_string(), Msg::CannotReadDirectory, true));
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
            Err(name) => problems.push((
                format!("{rel}/{}", name.to_string_lossy()),
                Msg::NameNotUnicode,
                true,
            )),
        }
    }
    // A national plan keeps its progress in a folder per agency: a
    // thousand folders, each read on whichever core is free, their files
    // and problems then put together in the order of a walk on one core.
    let folders = names.iter().filter(|(_, t)| t.is_dir()).count();
    if folders >= 16 {
        use rayon::prelude::*;
        let found: Vec<(Vec<String>, Vec<WalkProblem>)> = names
            .into_par_iter()
            .map(|(name, file_type)| {
                let (mut out, mut problems) = (Vec::new(), Vec::new());
                walk_entry(root, rel, &name, file_type, &mut out, &mut problems);
                (out, problems)
            })
            .collect();
        for (files, more) in found {
            out.extend(files);
            problems.extend(more);
        }
        return;
    }
    for (name, file_type) in names {
        walk_entry(root, rel, &name, file_type, out, problems);
    }
}

/// A problem met while listing: the path, the message, whether it is
/// only a warning.
type WalkProblem = (String, Msg, bool);

/// One entry of the folder `rel` (`walk_toml`).
fn walk_entry(
    root: &Path,
    rel: &str,
    name: &str,
    file_type: std::fs::FileType,
    out: &mut Vec<String>,
    problems: &mut Vec<(String, Msg, bool)>,
) {
    if name.starts_with('.') {
        return;
    }
    let child = format!("{rel}/{name}");
    if file_type.is_symlink() {
        if !name.ends_with(".toml") {
            return;
        }
        let inside = match (root.canonicalize(), root.join(&child).canonicalize()) {
            (Ok(r), Ok(t)) => t.starts_with(&r) && t.is_file(),
            _ => false,
        };
        if inside {
            out.push(child);
        } else {
            problems.push((child, Msg::SymlinkNotFollowed, true));
        }
    } else if file_type.is_dir() {
        walk_toml(root, &child, out, problems);
    } else if name.ends_with(".toml") {
        out.push(child);
    }
}

/// Reads a plan file as text: refuses files above `MAX_FILE_BYTES` and text
/// that is not UTF-8 (with the place of the first bad byte); drops a leading
/// UTF-8 BOM, which Windows editors add.
pub fn read_text(path: &Path) -> Result<String, (Option<usize>, Msg)> {
    read_text_hashed(path).map(|(text, _)| text)
}

/// `read_text`, with the hash of the bytes read (`crate::cache::hash`).
pub fn read_text_hashed(path: &Path) -> Result<(String, u128), (Option<usize>, Msg)> {
    let meta = std::fs::metadata(path).map_err(|e| (None, io_message(&e)))?;
    if meta.is_dir() {
        return Err((None, Msg::IsADirectory));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err((
            None,
            Msg::FileTooLarge {
                mib: meta.len() / (1024 * 1024),
                max: MAX_FILE_BYTES / (1024 * 1024),
            },
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| (None, io_message(&e)))?;
    let hash = crate::cache::hash(&bytes);
    decode(bytes).map(|text| (text, hash))
}

/// UTF-8 decoding with the BOM dropped; the error carries the offset of the
/// first invalid byte.
pub fn decode(bytes: Vec<u8>) -> Result<String, (Option<usize>, Msg)> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| (Some(e.utf8_error().valid_up_to()), Msg::NotUtf8))
}

pub fn io_message(e: &std::io::Error) -> Msg {
    match e.kind() {
        std::io::ErrorKind::NotFound => Msg::FileNotFound,
        std::io::ErrorKind::PermissionDenied => Msg::PermissionDenied,
        _ => Msg::CannotRead {
            detail: e.to_string(),
        },
    }
}

/// Loads every file of the plan directory `dir`, shown to the user as
/// `shown_dir`, except the progress files, on all cores.
pub fn load_dir(dir: &Path, shown_dir: &str) -> Raw {
    load_dir_without(dir, shown_dir, &[])
}

/// `load_dir`, leaving out the progress files `skip` names (relative
/// paths): those set aside (`--set-aside`).
pub fn load_dir_without(dir: &Path, shown_dir: &str, skip: &[String]) -> Raw {
    let mut walk_problems = Vec::new();
    let mut listed = list_files(dir, &mut walk_problems);
    listed.retain(|(rel, kind)| *kind != FileKind::Progress || !skip.contains(rel));
    let mut raw = Raw {
        dir: dir.to_path_buf(),
        files: listed
            .iter()
            .map(|(rel, _)| SourceFile {
                rel: rel.clone(),
                shown: join_shown(shown_dir, rel),
            })
            .collect(),
        kinds: listed.iter().map(|(_, k)| *k).collect(),
        ..Raw::default()
    };
    // Progress files, the bulk of a plan, are read later, one at a time per
    // core, while they are checked: they are never all in memory as raw
    // structs at once.
    // Tasks files likewise, while the tasks are checked.
    let results: Vec<(Option<RawFile>, Vec<Diag>, Option<u128>)> = listed
        .par_iter()
        .enumerate()
        .map(|(file, (rel, kind))| match kind {
            FileKind::Progress | FileKind::Tasks => (None, Vec::new(), None),
            _ => load_file(&dir.join(rel), *kind, file),
        })
        .collect();
    raw.deferred = (0..listed.len())
        .filter(|&i| listed[i].1 == FileKind::Tasks)
        .collect();
    raw.progress = (0..listed.len())
        .filter(|&i| listed[i].1 == FileKind::Progress)
        .collect();
    for (content, diags, hash) in results {
        raw.contents.push(content);
        raw.diags.extend(diags);
        raw.hashes.push(hash);
    }
    for (rel, msg, warning) in walk_problems {
        // Problems with entries that are not loaded files still name a path.
        let file = raw.files.len();
        raw.files.push(SourceFile {
            shown: join_shown(shown_dir, &rel),
            rel,
        });
        raw.kinds.push(FileKind::Other);
        raw.contents.push(None);
        raw.hashes.push(None);
        raw.diags.push(Diag {
            file,
            at: None,
            warning,
            msg,
        });
    }
    raw
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

/// Reads and parses one file of the given kind; with the hash of the bytes
/// read, when they could be read.
pub fn load_file(
    path: &Path,
    kind: FileKind,
    file: FileId,
) -> (Option<RawFile>, Vec<Diag>, Option<u128>) {
    let (text, hash) = match read_text_hashed(path) {
        Ok(read) => read,
        Err((at, msg)) => {
            let msg = match (kind, &msg) {
                (FileKind::Plan, Msg::FileNotFound) => Msg::PlanTomlMissing,
                (FileKind::Agencies, Msg::FileNotFound) => Msg::AgenciesTomlMissing,
                _ => msg,
            };
            return (None, vec![Diag::error(file, at, msg)], None);
        }
    };
    let mut diags = Vec::new();
    let content = parse_text(&text, kind, file, &mut diags);
    (content, diags, Some(hash))
}

/// Parses a file's text as the given kind.
pub fn parse_text(
    text: &str,
    kind: FileKind,
    file: FileId,
    diags: &mut Vec<Diag>,
) -> Option<RawFile> {
    use schema::*;
    match kind {
        FileKind::Plan => {
            parse::<RawPlan>(text, &PLAN, file, diags).map(|p| RawFile::Plan(Box::new(p)))
        }
        FileKind::Agencies => parse(text, &AGENCIES, file, diags).map(RawFile::Agencies),
        FileKind::Tasks => parse(text, &TASKS, file, diags).map(RawFile::Tasks),
        FileKind::Indicators => parse(text, &INDICATORS, file, diags).map(RawFile::Indicators),
        FileKind::Progress => match fast::progress(text) {
            Some(p) if p.complete() => Some(RawFile::Progress(p)),
            _ => parse(text, &PROGRESS, file, diags).map(RawFile::Progress),
        },
        FileKind::Other => None,
    }
}

/// The key and value written on the line of `text` holding byte `at`.
fn key_value(text: &str, at: usize) -> Option<(&str, &str)> {
    let start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(start..)?.lines().next()?;
    let (key, value) = line.split_once('=')?;
    Some((key.trim(), value.split('#').next()?.trim()))
}

/// `key = 2023-12-15` for the line of `text` at byte `at` when it reads
/// `key = 15/12/2023` or `key = 2023-6-1`: a date written day first, as an
/// officer writes one, or without its zeros, which TOML does not read.
fn date_as_meant(text: &str, at: usize) -> Option<String> {
    let (key, value) = key_value(text, at)?;
    let value = value.trim_matches('"');
    let date = crate::cli::parse_date(value).ok()?;
    let iso = date.format("%Y-%m-%d").to_string();
    (value != iso).then(|| format!("{key} = {iso}"))
}

/// The line to write for a value TOML reads as nothing: a percentage
/// (`percent = 50%`: `percent = 50`), a word without quotes (`status =
/// done`: `status = "done"`).
fn unquoted_value(text: &str, at: usize) -> Option<String> {
    let (key, value) = key_value(text, at)?;
    if let Some(n) = value.strip_suffix('%')
        && n.trim().parse::<f64>().is_ok()
    {
        return Some(format!("{key} = {}", n.trim()));
    }
    let word = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '));
    word.then(|| format!("{key} = {}", crate::write::toml_string(value)))
}

/// A table heading (`[name]`, or `[[name]]` when `double`) on a line.
struct Heading {
    name: String,
    double: bool,
    /// The bytes of the lines under it, up to the next heading.
    body: std::ops::Range<usize>,
}

/// The heading on the line holding byte `at`, if that line is one.
fn heading(text: &str, at: usize) -> Option<Heading> {
    let start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let end = text.get(at..)?.find('\n').map_or(text.len(), |i| at + i);
    let line = text.get(start..end)?.trim();
    let inner = line.strip_prefix('[')?.strip_suffix(']')?;
    let (name, double) = match inner.strip_prefix('[').and_then(|i| i.strip_suffix(']')) {
        Some(name) => (name.trim(), true),
        None => (inner.trim(), false),
    };
    if name.is_empty() || name.contains(['[', ']']) {
        return None;
    }
    let mut body_end = text.len();
    let mut offset = end;
    for l in text.get(end..)?.split_inclusive('\n') {
        if offset > end && l.trim_start().starts_with('[') {
            body_end = offset;
            break;
        }
        offset += l.len();
    }
    Some(Heading {
        name: name.to_string(),
        double,
        body: end..body_end,
    })
}

/// The fast path, then, if it fails or a required key is missing, the slow
/// one that lists every problem and reads what is left.
fn parse<T: DeserializeOwned + Complete>(
    text: &str,
    schema: &schema::Schema,
    file: FileId,
    diags: &mut Vec<Diag>,
) -> Option<T> {
    if let Ok(value) = toml::from_str::<T>(text)
        && value.complete()
    {
        return Some(value);
    }
    let (mut root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        // `[agency]` written for each agency where `[[agency]]` is meant:
        // one error at each repeated heading, none for the keys under it.
        // A `[[agency]]` after a `[agency]`: one error, at the latter.
        let mut repeated: Option<std::ops::Range<usize>> = None;
        let mut named: Vec<String> = Vec::new();
        for e in errors {
            let at = e.span().map(|s| s.start);
            let duplicate = e.message() == "duplicate key";
            if duplicate
                && let Some(body) = &repeated
                && at.is_some_and(|a| body.contains(&a))
            {
                continue;
            }
            let heading = at
                .filter(|_| duplicate)
                .and_then(|a| heading(text, a))
                .filter(|h| schema.holds_tables(&h.name));
            // Where `[name]` first stands in single brackets.
            let first_single = |name: &str| {
                let single = format!("[{name}]");
                text.match_indices(&single)
                    .map(|(i, _)| i)
                    .find(|&i| text.get(i.saturating_sub(1)..i) != Some("["))
            };
            let (at, msg) = match heading {
                Some(h) if !h.double => {
                    repeated = Some(h.body);
                    if !named.contains(&h.name) {
                        // The first of them is wrong too, though read.
                        let first = first_single(&h.name).filter(|&f| at.is_some_and(|a| f < a));
                        if first.is_some() {
                            let name = h.name.clone();
                            diags.push(Diag::error(file, first, Msg::TableNotList { name }));
                        }
                        named.push(h.name.clone());
                    }
                    (at, Msg::TableNotList { name: h.name })
                }
                Some(h) if named.contains(&h.name) => continue,
                Some(h) => {
                    named.push(h.name.clone());
                    (
                        first_single(&h.name).or(at),
                        Msg::TableNotList { name: h.name },
                    )
                }
                None => {
                    let fix = at.and_then(|a| date_as_meant(text, a));
                    let detail = e.message().to_string();
                    let write = at
                        .filter(|_| fix.is_none() && detail.contains("must be quoted"))
                        .and_then(|a| unquoted_value(text, a));
                    (at, Msg::TomlSyntax { detail, fix, write })
                }
            };
            diags.push(Diag::error(file, at, msg));
        }
        return None;
    }
    let start = root.span().start;
    schema::clean(root.get_mut(), start, schema, file, diags);
    // Kept to name the key of a value `clean` could not judge (slow path
    // only, so the copy costs nothing on valid files).
    let snapshot = root.get_ref().clone();
    match T::deserialize(toml::de::Deserializer::from(root)) {
        Ok(value) => Some(value),
        Err(e) => {
            let at = e.span().map(|s| s.start);
            diags.push(Diag::error(
                file,
                at,
                Msg::InvalidValue {
                    key: at.and_then(|a| key_at(&snapshot, a)).unwrap_or_default(),
                    detail: e.message().to_string(),
                },
            ));
            None
        }
    }
}

/// The innermost key whose value contains byte `offset`.
fn key_at(table: &DeTable<'_>, offset: usize) -> Option<String> {
    for (key, value) in table.iter() {
        if value.span().contains(&offset) || value.span().start == offset {
            match value.get_ref() {
                DeValue::Table(inner) => {
                    if let Some(k) = key_at(inner, offset) {
                        return Some(k);
                    }
                }
                DeValue::Array(items) => {
                    for item in items.iter() {
                        if let DeValue::Table(inner) = item.get_ref()
                            && let Some(k) = key_at(inner, offset)
                        {
                            return Some(k);
                        }
                    }
                }
                _ => {}
            }
            return Some(key.get_ref().to_string());
        }
    }
    None
}

/// Turns diagnostics into problems with line and column, in file order.
/// Re-reads only the files that have a problem with a position.
pub fn locate(dir: &Path, files: &[SourceFile], mut diags: Vec<Diag>) -> Vec<Problem> {
    diags.sort_by_key(|d| (d.file, d.at.unwrap_or(0)));
    let mut text: Option<(FileId, Option<String>)> = None;
    diags
        .into_iter()
        .map(|d| {
            let file = files.get(d.file);
            let position = d.at.and_then(|at| {
                if text.as_ref().is_none_or(|(f, _)| *f != d.file) {
                    let path = dir.join(file.map_or("", |f| f.rel.as_str()));
                    let content = read_text(&path).ok().or_else(|| {
                        // A file that is not UTF-8 is placed on its bytes.
                        std::fs::read(&path)
                            .ok()
                            .map(|b| String::from_utf8_lossy(&b).into_owned())
                    });
                    text = Some((d.file, content));
                }
                let (_, content) = text.as_ref()?;
                content.as_deref().map(|t| line_col(t, at))
            });
            let mut msg = d.msg;
            if let Msg::DuplicateId { first, .. } | Msg::DuplicateAgency { first, .. } = &mut msg
                && let Place::Offset { file: f, at } = *first
            {
                let path = files.get(f).map_or("", |s| s.rel.as_str());
                let line = read_text(&dir.join(path))
                    .ok()
                    .map_or(0, |t| line_col(&t, at).0);
                *first = Place::Line(format!(
                    "{}:{line}",
                    files.get(f).map_or("", |s| s.shown.as_str())
                ));
            }
            Problem {
                path: file.map_or_else(String::new, |f| f.shown.clone()),
                position,
                severity: if d.warning {
                    Severity::Warning
                } else {
                    Severity::Error
                },
                msg,
            }
        })
        .collect()
}

/// The `id` and `lang` of a plan directory's plan.toml, read cheaply (no
/// validation): to find a plan by id, and to speak its language even when
/// it has errors.
#[derive(serde::Deserialize, Default)]
struct PlanIdentity {
    id: Option<String>,
    lang: Option<String>,
}

fn identity(dir: &Path) -> PlanIdentity {
    read_text(&dir.join("plan.toml"))
        .ok()
        .and_then(|text| toml::from_str::<toml::Table>(&text).ok())
        .and_then(|table| table.try_into().ok())
        .unwrap_or_default()
}

pub fn plan_id(dir: &Path) -> Option<String> {
    identity(dir).id
}

/// The plan's `lang` (`vi` when absent or unreadable).
pub fn plan_lang(dir: &Path) -> crate::model::Lang {
    match identity(dir).lang.as_deref() {
        Some("en") => crate::model::Lang::En,
        _ => crate::model::Lang::Vi,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diags(text: &str, kind: FileKind) -> Vec<Diag> {
        let mut d = Vec::new();
        parse_text(text, kind, 0, &mut d);
        d
    }

    fn messages(d: &[Diag]) -> Vec<String> {
        d.iter()
            .map(|d| d.msg.text(crate::model::Lang::En))
            .collect()
    }

    /// A folder of many folders is read on all cores, and lists what a
    /// walk on one core lists: every `.toml` file, nested or not, sorted;
    /// no hidden entry, no other file; a link leaving the plan reported.
    #[test]
    fn many_folders_list_what_one_lists() {
        for folders in [3, 40] {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            std::fs::write(root.join("plan.toml"), "").unwrap();
            let mut expected = Vec::new();
            for a in 0..folders {
                let folder = root.join(format!("progress/A{a:02}"));
                std::fs::create_dir_all(folder.join("cu")).unwrap();
                for name in [
                    "2024.toml",
                    "2025.toml",
                    ".#2025.toml",
                    "ghi-chu.txt",
                    "cu/2021.toml",
                ] {
                    std::fs::write(folder.join(name), "").unwrap();
                }
                for name in ["2024.toml", "2025.toml", "cu/2021.toml"] {
                    expected.push(format!("progress/A{a:02}/{name}"));
                }
            }
            std::fs::create_dir_all(root.join("progress/.git")).unwrap();
            std::fs::write(root.join("progress/.git/x.toml"), "").unwrap();
            std::fs::write(root.join("progress/top.toml"), "").unwrap();
            expected.push("progress/top.toml".to_string());
            let outside = tempfile::tempdir().unwrap();
            std::fs::write(outside.path().join("x.toml"), "").unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(
                outside.path().join("x.toml"),
                root.join("progress/A00/link.toml"),
            )
            .unwrap();
            expected.sort();
            let mut problems = Vec::new();
            let listed: Vec<String> = list_files(root, &mut problems)
                .into_iter()
                .filter(|(_, k)| *k == FileKind::Progress)
                .map(|(rel, _)| rel)
                .collect();
            assert_eq!(listed, expected);
            let reported: Vec<&str> = problems.iter().map(|(p, _, _)| p.as_str()).collect();
            if cfg!(unix) {
                assert_eq!(reported, ["progress/A00/link.toml"]);
            }
        }
    }

    #[test]
    fn every_unknown_key_in_a_file_is_listed() {
        let text = "[[task]]\nid = \"1\"\ngroup = \"I\"\ntitle = \"x\"\nlead = \"A\"\ndead_line = 2022-01-01\n\n[[task]]\nid = \"2\"\ngroup = \"I\"\ntitle = \"x\"\nlesd = \"A\"\ndue = 2022-01-01\n";
        let m = messages(&diags(text, FileKind::Tasks));
        assert!(
            m.iter().any(|m| m.contains("unknown key \"dead_line\"")),
            "{m:?}"
        );
        assert!(
            m.iter().any(
                |m| m.contains("unknown key \"lesd\" in [[task]] \"2\"; did you mean \"lead\"")
            )
        );
        assert!(m.iter().any(|m| m.contains("missing required key \"due\"")));
        assert!(
            m.iter()
                .any(|m| m.contains("missing required key \"lead\""))
        );
    }

    #[test]
    fn every_wrong_type_of_a_table_is_listed_and_the_rest_kept() {
        let text = "[[update]]\ntask = \"1\"\ndate = \"2023-01-01\"\nstatus = \"done\"\npercent = \"80\"\n";
        let mut d = Vec::new();
        let parsed = parse_text(text, FileKind::Progress, 0, &mut d);
        let m = messages(&d);
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(
            m[0].contains("\"date\"") && m[0].contains("without quotes"),
            "{m:?}"
        );
        assert!(
            m[1].contains("\"percent\"") && m[1].contains("an integer"),
            "{m:?}"
        );
        // The update is still read, without the two bad keys.
        let Some(RawFile::Progress(p)) = parsed else {
            panic!("not read")
        };
        assert_eq!(p.update.len(), 1);
        assert!(p.update[0].date.is_none() && p.update[0].status.is_some());
    }

    #[test]
    fn problems_inside_due_are_placed_on_their_key() {
        let text = "[[task]]\nid = \"1\"\ngroup = \"I\"\ntitle = \"x\"\nlead = \"A\"\ndue = { every = \"year\", onn = \"12-15\" }\n";
        let d = diags(text, FileKind::Tasks);
        let m = messages(&d);
        assert!(
            m[0].contains("unknown key \"onn\" in due; did you mean \"on\""),
            "{m:?}"
        );
        assert_eq!(d[0].at, text.find("onn"));
    }

    #[test]
    fn syntax_errors_are_reported_with_a_place() {
        let d = diags("[[task]\nid = 1", FileKind::Tasks);
        assert!(!d.is_empty());
        assert!(d[0].at.is_some());
        assert!(matches!(d[0].msg, Msg::TomlSyntax { .. }));
    }

    #[test]
    fn bom_is_dropped_and_bad_utf8_located() {
        assert_eq!(decode(b"\xEF\xBB\xBFa = 1".to_vec()).unwrap(), "a = 1");
        let err = decode(b"ab\xFFcd".to_vec()).unwrap_err();
        assert_eq!(err.0, Some(2));
    }
}
