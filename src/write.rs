//! The only code that changes files. An append is: take the plan's lock
//! (before reading the plan, so that what the new block is checked
//! against — the occurrence's history, an update already on record —
//! stays as read until it is written), re-read the target, append one
//! block, re-parse the whole new text, write a temporary file beside the
//! target, fsync it, rename it over the target, fsync the directory. What
//! was in the file stays byte for byte; a file that changed on disk
//! meanwhile is never clobbered.

use crate::messages::{Failure, Msg};
use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

/// The lock file, in the plan directory (hidden: the loader skips it).
pub const LOCK_FILE: &str = ".kehoach.lock";

/// What a plan's `.gitattributes` must say for progress files to merge.
pub const GITATTRIBUTES: &str = "progress/** merge=kehoach\n";

/// What a plan's `.gitignore` must say: the lock and temporary files are
/// never committed.
pub const GITIGNORE: &str = ".kehoach.lock\n.kehoach-*.tmp\n";

/// A TOML basic string, escaped by toml_edit.
pub fn toml_string(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

/// Makes sure `path` holds every line of `needed`, appending what is
/// missing (atomically). Returns the lines added.
pub fn ensure_lines(path: &Path, needed: &str) -> Result<Vec<String>> {
    let old = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(cannot_write(path, &e).into()),
    };
    let text = String::from_utf8_lossy(&old);
    let present: Vec<&str> = text.lines().map(str::trim).collect();
    let missing: Vec<String> = needed
        .lines()
        .filter(|l| !present.contains(l))
        .map(String::from)
        .collect();
    if missing.is_empty() {
        return Ok(missing);
    }
    let mut new = old.clone();
    if !new.is_empty() && !new.ends_with(b"\n") {
        new.push(b'\n');
    }
    for line in &missing {
        new.extend_from_slice(line.as_bytes());
        new.push(b'\n');
    }
    replace_file(path, &new)?;
    Ok(missing)
}

/// How long `record` waits for another writer before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

/// An OS lock on the plan's lock file; released when dropped, and by the
/// OS when the process dies, so a killed writer never blocks the next one.
pub struct PlanLock {
    _file: File,
}

/// Takes the plan's lock, waiting with a jittered retry up to `wait`.
pub fn lock_plan(dir: &Path, wait: Duration) -> Result<PlanLock> {
    lock_plan_saying(dir, wait, |_| {})
}

/// How long a writer waits for the lock before it says so.
const SAY_WAITING: Duration = Duration::from_secs(1);

/// `lock_plan`, calling `waiting` with who holds the lock once it has
/// waited `SAY_WAITING`: another officer's import of many forms, or a
/// record on a national plan, holds it for seconds.
pub fn lock_plan_saying(
    dir: &Path,
    wait: Duration,
    mut waiting: impl FnMut(&str),
) -> Result<PlanLock> {
    let path = dir.join(LOCK_FILE);
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|e| cannot_write(&path, &e))?;
    let start = Instant::now();
    let mut said = false;
    let mut seed = u64::from(std::process::id()).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) => {
                if start.elapsed() >= wait {
                    return Err(Failure::refused(Msg::PlanLocked {
                        holder: holder(&mut file),
                        seconds: wait.as_secs(),
                        path: path.display().to_string(),
                    })
                    .into());
                }
                if !said && start.elapsed() >= SAY_WAITING {
                    said = true;
                    waiting(&holder(&mut file));
                }
                // xorshift: 5–55 ms, so that waiting writers do not wake in step.
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                std::thread::sleep(Duration::from_millis(5 + seed % 50));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(cannot_write(&path, &e).into()),
        }
    }
    // Who holds the lock, for a writer that has to wait: from the start
    // of the file, which this one may have read while it waited.
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = write!(file, "pid {}", std::process::id());
    Ok(PlanLock { _file: file })
}

/// Who holds the lock, as its holder wrote it ("pid 1234"), or "?".
fn holder(file: &mut File) -> String {
    let mut holder = String::new();
    let _ = file.rewind();
    let _ = file.read_to_string(&mut holder);
    match holder.trim() {
        "" => "?".into(),
        h => h.to_string(),
    }
}

fn cannot_write(path: &Path, e: &std::io::Error) -> Failure {
    Failure::refused(Msg::cannot_write(path, e))
}

/// An update to append, as the command line gave it.
#[derive(Clone, Debug, Default)]
pub struct NewUpdate<'a> {
    pub task: &'a str,
    pub period: &'a str,
    /// The member, for a group task (§11).
    pub agency: Option<&'a str>,
    pub date: Option<NaiveDate>,
    pub status: &'a str,
    pub percent: Option<u8>,
    pub by: Option<&'a str>,
    pub evidence: Option<&'a str>,
    pub note: Option<&'a str>,
    pub new_due: Option<NaiveDate>,
    pub decision: Option<&'a str>,
}

/// A measurement to append.
#[derive(Clone, Debug, Default)]
pub struct NewMeasure<'a> {
    pub indicator: &'a str,
    pub year: i32,
    pub value: f64,
    pub date: Option<NaiveDate>,
    pub by: Option<&'a str>,
    pub evidence: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// One `[[update]]` block, produced by toml_edit so that any text (quotes,
/// newlines, `"""`, backslashes, Vietnamese) is escaped correctly.
pub fn update_block(u: &NewUpdate<'_>) -> String {
    let mut t = Table::new();
    t.insert("task", value(u.task));
    t.insert("period", value(u.period));
    if let Some(a) = u.agency {
        t.insert("agency", value(a));
    }
    if let Some(d) = u.date {
        t.insert("date", value(toml_date(d)));
    }
    t.insert("status", value(u.status));
    if let Some(p) = u.percent {
        t.insert("percent", value(i64::from(p)));
    }
    // A blank one, as an empty form cell, is no value: not written.
    for (key, text) in [("by", u.by), ("evidence", u.evidence), ("note", u.note)] {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            t.insert(key, value(text));
        }
    }
    if let Some(nd) = u.new_due {
        t.insert("new_due", value(toml_date(nd)));
    }
    if let Some(d) = u.decision {
        t.insert("decision", value(d));
    }
    block("update", t)
}

/// One `[[measure]]` block (see `update_block`).
pub fn measure_block(m: &NewMeasure<'_>) -> String {
    let mut t = Table::new();
    t.insert("indicator", value(m.indicator));
    t.insert("year", value(i64::from(m.year)));
    if m.value.fract() == 0.0 && m.value.abs() < 1e15 {
        t.insert("value", value(m.value as i64));
    } else {
        t.insert("value", value(m.value));
    }
    if let Some(d) = m.date {
        t.insert("date", value(toml_date(d)));
    }
    // A blank one, as an empty form cell, is no value: not written.
    for (key, text) in [("by", m.by), ("evidence", m.evidence), ("note", m.note)] {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            t.insert(key, value(text));
        }
    }
    block("measure", t)
}

fn block(name: &str, table: Table) -> String {
    let mut tables = ArrayOfTables::new();
    tables.push(table);
    let mut doc = DocumentMut::new();
    doc.insert(name, Item::ArrayOfTables(tables));
    doc.to_string()
}

fn toml_date(d: NaiveDate) -> toml_edit::Datetime {
    toml_edit::Datetime {
        date: Some(toml_edit::Date {
            year: u16::try_from(d.year()).unwrap_or(0),
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    }
}

/// The text to append after `old` so that `block` starts on a line of its
/// own after one blank line, with the file's own line endings.
pub fn joined(old: &[u8], block: &str) -> Vec<u8> {
    let crlf = old.windows(2).any(|w| w == b"\r\n");
    let block = if crlf {
        block.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        block.to_string()
    };
    let nl: &[u8] = if crlf { b"\r\n" } else { b"\n" };
    let mut out = old.to_vec();
    let trimmed = old
        .iter()
        .rev()
        .take_while(|b| matches!(b, b'\n' | b'\r'))
        .count();
    if !old.is_empty() {
        if trimmed == 0 {
            out.extend_from_slice(nl);
        }
        // One blank line between blocks.
        let blank = old.ends_with(b"\n\n") || old.ends_with(b"\r\n\r\n");
        if !blank {
            out.extend_from_slice(nl);
        }
    }
    out.extend_from_slice(block.as_bytes());
    out
}

/// Appends `block` to `dir/rel` under the plan's lock, which the caller
/// took before it read the plan (`lock`): what it checked the new text
/// against cannot change before the text is written. `check` sees the old
/// and the whole new text and refuses (with an error) anything wrong; then
/// nothing is written.
pub fn append(
    _lock: &PlanLock,
    dir: &Path,
    rel: &str,
    block: &str,
    check: impl FnOnce(&str, &str) -> Result<()>,
) -> Result<PathBuf> {
    let target = dir.join(rel);
    let parent = target
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.to_path_buf());
    let read = |target: &Path| match std::fs::read(target) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Failure::refused(Msg::FileHasProblems {
            file: target.display().to_string(),
            first: Some(Box::new(crate::load::io_message(&e))),
        })),
    };
    let old = read(&target)?;
    let old_bytes = old.clone().unwrap_or_default();
    let problems = |m: Msg| {
        Failure::refused(Msg::FileHasProblems {
            file: target.display().to_string(),
            first: Some(Box::new(m)),
        })
    };
    let old_text = crate::load::decode(old_bytes.clone()).map_err(|(_, m)| problems(m))?;
    let new = joined(&old_bytes, block);
    let new_text = crate::load::decode(new.clone()).map_err(|(_, m)| problems(m))?;
    check(&old_text, &new_text)?;

    std::fs::create_dir_all(&parent).map_err(|e| {
        Failure::refused(Msg::CannotCreateDir {
            path: parent.display().to_string(),
            detail: e.to_string(),
        })
    })?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".kehoach-")
        .suffix(".tmp")
        .tempfile_in(&parent)
        .map_err(|e| cannot_write(&parent, &e))?;
    tmp.write_all(&new)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| cannot_write(&parent, &e))?;
    keep_permissions(old.is_some().then_some(target.as_path()), tmp.as_file())
        .map_err(|e| cannot_write(&target, &e))?;
    // Only kehoach takes the lock: a hand edit since the read would be lost.
    if read(&target)? != old {
        return Err(Failure::refused(Msg::ChangedWhileWriting {
            file: target.display().to_string(),
        })
        .into());
    }
    tmp.persist(&target).map_err(|e| {
        Failure::refused(Msg::CannotReplace {
            path: target.display().to_string(),
            detail: e.error.to_string(),
        })
    })?;
    sync_dir(&parent);
    Ok(target)
}

/// Writes a whole file (a report) by atomic replace: readers see the old
/// file or the new one, never half of it.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    replace_file_by(path, |out| Ok(out.write_all(bytes)?))
}

/// `replace_file` of what `write` writes, straight into the new file
/// through a buffer: a national task list (hundreds of megabytes) is never
/// held whole in memory. When `write` or the disk fails, the old file
/// stays as it was and the new one is removed.
pub fn replace_file_by(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if path.is_dir() {
        return Err(Failure::new(Msg::IsADirectoryArg {
            path: path.display().to_string(),
        })
        .into());
    }
    if !parent.is_dir() {
        return Err(Failure::new(Msg::NoDirForOutput {
            dir: parent.display().to_string(),
            path: path.display().to_string(),
        })
        .into());
    }
    let failed = |e: &std::io::Error| Failure::new(Msg::cannot_write(path, e));
    let mut tmp = tempfile::Builder::new()
        .prefix(".kehoach-")
        .suffix(".tmp")
        .tempfile_in(&parent)
        .map_err(|e| failed(&e))?;
    {
        let mut out = Noted {
            inner: std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut()),
            error: None,
        };
        let written = write(&mut out).and_then(|()| Ok(out.flush()?));
        if let Some(e) = out.error {
            // The disk's failure, whatever the writer made of it.
            return Err(failed(&e).into());
        }
        written?;
    }
    tmp.as_file().sync_all().map_err(|e| failed(&e))?;
    keep_permissions(path.exists().then_some(path), tmp.as_file()).map_err(|e| failed(&e))?;
    tmp.persist(path).map_err(|e| failed(&e.error))?;
    sync_dir(&parent);
    Ok(())
}

/// A writer that keeps the first error of the one it writes to, so that a
/// full disk is reported as such even when it reaches the caller wrapped
/// in a renderer's error.
struct Noted<W> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> Noted<W> {
    fn noted<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        r.inspect_err(|e| {
            // An interrupted write is tried again by the writer above.
            if self.error.is_none() && e.kind() != std::io::ErrorKind::Interrupted {
                self.error = Some(std::io::Error::new(e.kind(), e.to_string()));
            }
        })
    }
}

impl<W: Write> Write for Noted<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let r = self.inner.write(bytes);
        self.noted(r)
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let r = self.inner.write_all(bytes);
        self.noted(r)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.inner.flush();
        self.noted(r)
    }
}

/// What an append to a progress file adds: this many updates, or one
/// measurement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Adds {
    Update,
    Updates(usize),
    Measure,
}

/// Appends one `[[update]]` or `[[measure]]` block to a progress file
/// (`append`), refusing when the file has problems of its own or when the
/// new text does not read back as exactly one more table of that kind.
pub fn append_progress(
    lock: &PlanLock,
    dir: &Path,
    rel: &str,
    block: &str,
    adds: Adds,
) -> Result<PathBuf> {
    let (count, added): (fn(&crate::load::RawProgress) -> usize, usize) = match adds {
        Adds::Update => (|p| p.update.len(), 1),
        Adds::Updates(n) => (|p| p.update.len(), n),
        Adds::Measure => (|p| p.measure.len(), 1),
    };
    append(lock, dir, rel, block, |old, new| {
        let tables = |text: &str| -> Result<usize, Failure> {
            let mut diags = Vec::new();
            match crate::load::parse_text(text, crate::load::FileKind::Progress, 0, &mut diags) {
                Some(crate::load::RawFile::Progress(p)) if diags.is_empty() => Ok(count(&p)),
                _ => Err(Failure::refused(Msg::FileHasProblems {
                    file: rel.to_string(),
                    first: diags.into_iter().next().map(|d| Box::new(d.msg)),
                })),
            }
        };
        if tables(new)? != tables(old)? + added {
            return Err(Failure::refused(Msg::DidNotReadBack).into());
        }
        Ok(())
    })
}

/// A new file gets ordinary permissions (rw-r--r--), an existing one keeps
/// its own: the temporary file starts private.
fn keep_permissions(old: Option<&Path>, tmp: &File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match old {
            Some(path) => std::fs::metadata(path)?.permissions().mode(),
            None => 0o644,
        };
        tmp.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    {
        let _ = (old, tmp);
    }
    Ok(())
}

/// Makes the rename durable (POSIX); a no-op where directories cannot be
/// opened (Windows).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Merges two versions of a progress file that both only appended to a
/// common base: the base, then ours' blocks, then theirs'. `None` when
/// either side changed the base (then git's ordinary merge decides).
pub fn merge_appends(base: &[u8], ours: &[u8], theirs: &[u8]) -> Option<Vec<u8>> {
    let ours_added = ours.strip_prefix(base)?;
    let theirs_added = theirs.strip_prefix(base)?;
    if theirs_added.is_empty() || ours_added == theirs_added {
        return Some(ours.to_vec());
    }
    if ours_added.is_empty() {
        return Some(theirs.to_vec());
    }
    let theirs_block = std::str::from_utf8(theirs_added).ok()?;
    let theirs_block = theirs_block.trim_start_matches(['\r', '\n']);
    Some(joined(ours, theirs_block))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_keeps_one_blank_line_and_line_endings() {
        assert_eq!(joined(b"", "[[update]]\n"), b"[[update]]\n");
        assert_eq!(joined(b"a = 1", "b\n"), b"a = 1\n\nb\n");
        assert_eq!(joined(b"a = 1\n", "b\n"), b"a = 1\n\nb\n");
        assert_eq!(joined(b"a = 1\n\n", "b\n"), b"a = 1\n\nb\n");
        assert_eq!(joined(b"a = 1\r\n", "b\nc\n"), b"a = 1\r\n\r\nb\r\nc\r\n");
    }

    /// A blank `by`, `evidence` or `note` (`record --by ""`, a cell of
    /// spaces) is not written, in an update as in a measurement.
    #[test]
    fn blank_texts_are_not_written() {
        let u = NewUpdate {
            task: "1.1",
            period: "2024",
            status: "done",
            by: Some(""),
            evidence: Some("  "),
            note: Some("Đã xong"),
            ..Default::default()
        };
        assert_eq!(
            update_block(&u),
            "[[update]]\ntask = \"1.1\"\nperiod = \"2024\"\nstatus = \"done\"\nnote = \"Đã xong\"\n"
        );
        let m = NewMeasure {
            indicator: "CT1",
            year: 2024,
            value: 90.0,
            date: None,
            by: Some(" "),
            evidence: None,
            note: Some(""),
        };
        assert_eq!(
            measure_block(&m),
            "[[measure]]\nindicator = \"CT1\"\nyear = 2024\nvalue = 90\n"
        );
    }

    #[test]
    fn merge_takes_both_appends() {
        let base = b"# x\n\n[[update]]\na = 1\n";
        let ours = [&base[..], b"\n[[update]]\nb = 2\n"].concat();
        let theirs = [&base[..], b"\n[[update]]\nc = 3\n"].concat();
        let merged = merge_appends(base, &ours, &theirs).unwrap();
        assert_eq!(
            String::from_utf8(merged).unwrap(),
            "# x\n\n[[update]]\na = 1\n\n[[update]]\nb = 2\n\n[[update]]\nc = 3\n"
        );
        assert_eq!(merge_appends(base, base, &theirs).unwrap(), theirs);
        assert_eq!(merge_appends(base, &ours, base).unwrap(), ours);
        // A side that edited the base is not ours to merge.
        assert!(merge_appends(base, b"# y\n", &theirs).is_none());
    }
}
