//! The parse cache (spec §14): what checking a plan's files produced, kept
//! between runs under the user's cache directory, so that a report after
//! nothing or one `record` changed does not parse the whole plan again.
//!
//! One folder per plan directory holds the checked definitions (plan.toml,
//! agencies.toml, tasks, indicators.toml) in `defs.bin` and, per progress
//! file, its checked updates and measurements in one of `SHARDS` shard
//! files (by the hash of its path) — each keyed by the hash of the exact
//! bytes that were parsed, and each shard by the definitions it was
//! checked against. After a `record` one small shard is rewritten. A run
//! knows each file by its metadata when that may stand for its bytes (see
//! `settled`), else hashes it; it reuses what matches and checks the rest; the checks that need every file
//! at once (deadline extensions in date order, the plan itself) always run.
//! While the definitions are unchanged a progress file's result depends on
//! that file alone, so the output is byte for byte the output without the
//! cache. Any entry that cannot be read, is damaged or was written by
//! another build is ignored and replaced; writing goes through a temporary
//! file and a rename, so a concurrent run sees the old entry or the new one.

use crate::load::{self, Diag, FileKind, Raw};
use crate::model::{FileId, Plan, SourceFile};
use crate::validate::{Defs, Progress, ProgressWithoutText, Text, check_files, check_one, finish};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The hash that keys a file's cached result: xxh3, 128 bits, of its bytes.
pub fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// Where the cache lives, or that it is not used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Cache {
    #[default]
    Off,
    At(PathBuf),
}

impl Cache {
    /// `--no-cache` or `KEHOACH_NO_CACHE=1`: off. Otherwise
    /// `KEHOACH_CACHE_DIR`, else `kehoach` in the user's cache directory
    /// (`~/.cache`, `%LOCALAPPDATA%`, `~/Library/Caches`).
    pub fn from_env(no_cache: bool) -> Cache {
        let off = std::env::var_os("KEHOACH_NO_CACHE").is_some_and(|v| v != "0" && !v.is_empty());
        if no_cache || off {
            return Cache::Off;
        }
        if let Some(dir) = std::env::var_os("KEHOACH_CACHE_DIR").filter(|d| !d.is_empty()) {
            return Cache::At(PathBuf::from(dir));
        }
        use etcetera::BaseStrategy;
        match etcetera::choose_base_strategy() {
            Ok(base) => Cache::At(base.cache_dir().join("kehoach")),
            Err(_) => Cache::Off,
        }
    }
}

const MAGIC: &[u8; 8] = b"KHCACHE\x02";

/// Progress results are spread over this many files.
const SHARDS: usize = 64;

/// Identifies the layout of what is cached: the sources of every type in
/// it. Another build of kehoach writes entries this one ignores.
fn schema() -> u128 {
    const SOURCES: &[&str] = &[
        env!("CARGO_PKG_VERSION"),
        include_str!("cache.rs"),
        include_str!("model.rs"),
        include_str!("model/calendar.rs"),
        include_str!("messages.rs"),
        include_str!("load/mod.rs"),
        include_str!("load/raw.rs"),
        include_str!("load/schema.rs"),
        include_str!("validate/mod.rs"),
        include_str!("validate/header.rs"),
        include_str!("validate/agencies.rs"),
        include_str!("validate/tasks.rs"),
        include_str!("validate/due.rs"),
        include_str!("validate/indicators.rs"),
        include_str!("validate/progress.rs"),
    ];
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for s in SOURCES {
        h.update(s.as_bytes());
        h.update(&[0]);
    }
    h.digest128()
}

/// The head of `defs.bin`: which definition files, with which bytes, and
/// their metadata when it can stand for the bytes (see `settled`).
#[derive(Serialize, Deserialize, PartialEq, Eq, Debug)]
struct DefsHead {
    schema: u128,
    files: Vec<(String, u128)>,
    stats: Vec<Option<Stat>>,
}

/// What the file system says of a file: device, inode, size, times of
/// modification and of change, to the nanosecond. The change time cannot
/// be set back (`touch -d` sets the modification time only), so a file
/// rewritten with the same size and an old modification time still shows
/// a new change time.
#[derive(Serialize, Deserialize, PartialEq, Eq, Debug, Clone, Copy)]
struct Stat {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

/// The file's `Stat`, when it may stand for its bytes: only when its last
/// change is over 2 s old, since a file changed again within the same tick
/// of a coarse file-system clock would keep the same times (git's "racy"
/// entries). Such files, and every file where there is no change time
/// (Windows), are hashed. `None` when it cannot be used.
#[cfg(unix)]
fn settled(path: &Path, now: std::time::SystemTime) -> Option<Stat> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    let limit = now.checked_sub(std::time::Duration::from_secs(2))?;
    let at = |secs: i64, nanos: i64| {
        let d = std::time::Duration::new(u64::try_from(secs).ok()?, u32::try_from(nanos).ok()?);
        std::time::UNIX_EPOCH.checked_add(d)
    };
    let old = |t: Option<std::time::SystemTime>| t.is_some_and(|t| t < limit);
    (old(at(m.ctime(), m.ctime_nsec())) && old(at(m.mtime(), m.mtime_nsec()))).then_some(Stat {
        dev: m.dev(),
        ino: m.ino(),
        len: m.len(),
        mtime: (m.mtime(), m.mtime_nsec()),
        ctime: (m.ctime(), m.ctime_nsec()),
    })
}

#[cfg(not(unix))]
fn settled(_: &Path, _: std::time::SystemTime) -> Option<Stat> {
    None
}

impl DefsHead {
    /// What a shard records of the definitions it was checked against.
    fn key(&self) -> u128 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&self.schema.to_le_bytes());
        for (rel, hash) in &self.files {
            h.update(rel.as_bytes());
            h.update(&[0]);
            h.update(&hash.to_le_bytes());
        }
        h.digest128()
    }
}

/// The head of a shard: progress files' results, checked against
/// definitions `defs`; each file's serialised `Progress` follows the head,
/// `len` bytes each, in order.
#[derive(Serialize, Deserialize)]
struct Shard {
    schema: u128,
    defs: u128,
    files: Vec<ShardFile>,
}

#[derive(Serialize, Deserialize)]
struct ShardFile {
    rel: String,
    hash: u128,
    /// Its metadata when it may stand for the bytes (see `settled`): a
    /// warm run then reads none of the unchanged progress files.
    stat: Option<Stat>,
    len: u64,
}

/// A progress file as a shard keeps it: its path, its metadata taken
/// before it was read (when settled), its results.
type Member<'a> = (&'a str, Option<Stat>, &'a Progress);

fn shard_of(rel: &str) -> usize {
    (xxhash_rust::xxh3::xxh3_64(rel.as_bytes()) % SHARDS as u64) as usize
}

/// Loads and checks the plan in `dir`, reusing and refreshing the cache.
/// Returns what `validate::validate` returns, and the plan's files.
pub fn load(
    dir: &Path,
    shown: &str,
    cache: &Cache,
    text: Text,
) -> (Option<Plan>, Vec<Diag>, Vec<SourceFile>) {
    let Cache::At(root) = cache else {
        return uncached(dir, shown, text);
    };
    let mut walk_problems = Vec::new();
    let listed = load::list_files(dir, &mut walk_problems);
    // Entries the walk could not use are reported by the plain path.
    if !walk_problems.is_empty() {
        return uncached(dir, shown, text);
    }
    let folder = folder_of(root, dir);
    // Taken before any file is read: a file changed after this is seen by
    // the next run.
    let now = std::time::SystemTime::now();
    let def_files: Vec<&String> = listed
        .iter()
        .filter(|(_, k)| *k != FileKind::Progress)
        .map(|(rel, _)| rel)
        .collect();
    // Every file's metadata, before any is read (see `settled`).
    let all_stats: Vec<Option<Stat>> = listed
        .par_iter()
        .map(|(rel, _)| settled(&dir.join(rel), now))
        .collect();
    let stats: Vec<Option<Stat>> = listed
        .iter()
        .zip(&all_stats)
        .filter(|((_, k), _)| *k != FileKind::Progress)
        .map(|(_, s)| *s)
        .collect();
    if let Some((head, defs)) = read_defs(&folder) {
        // The definition files first: if one changed, nothing cached can
        // be used. Their metadata answers when it can, else their bytes.
        let same_names = head.files.len() == def_files.len()
            && head.files.iter().zip(&def_files).all(|((a, _), b)| a == *b);
        let same = same_names
            && ((stats.iter().all(Option::is_some) && stats == head.stats) || {
                let now_defs: Option<Vec<(String, u128)>> = def_files
                    .par_iter()
                    .map(|rel| file_hash(&dir.join(rel)).map(|h| ((*rel).clone(), h)))
                    .collect();
                now_defs.as_ref() == Some(&head.files)
            });
        if same
            && let Some(done) =
                incremental(dir, shown, &listed, &all_stats, &folder, &head, defs, text)
        {
            return done;
        }
    }
    let stats: FxHashMap<&str, Stat> = listed
        .iter()
        .zip(&all_stats)
        .filter_map(|((rel, _), s)| Some((rel.as_str(), (*s)?)))
        .collect();
    full(dir, shown, &folder, &stats, text)
}

/// Checks everything, and keeps the results.
fn full(
    dir: &Path,
    shown: &str,
    folder: &Path,
    stats: &FxHashMap<&str, Stat>,
    text: Text,
) -> (Option<Plan>, Vec<Diag>, Vec<SourceFile>) {
    let mut raw = load::load_dir(dir, shown);
    let files = raw.files.clone();
    let defs = Defs::check(&mut raw);
    let head: Option<Vec<(String, u128)>> = (0..raw.files.len())
        .filter(|&i| raw.kinds[i] != FileKind::Progress)
        .map(|i| raw.hashes[i].map(|h| (raw.files[i].rel.clone(), h)))
        .collect();
    // A definition file that could not be read, or no cache folder:
    // nothing is kept.
    let Some((head, true)) = head.map(|files| {
        let head = DefsHead {
            schema: schema(),
            stats: files
                .iter()
                .map(|(rel, _)| stats.get(rel.as_str()).copied())
                .collect(),
            files,
        };
        (head, std::fs::create_dir_all(folder).is_ok())
    }) else {
        let per_file = check_files(&raw, &raw.progress, &defs.lookup(), text);
        let (plan, diags) = finish(raw, defs, per_file);
        return (plan, diags, files);
    };
    let key = head.key();
    let mut wanted: Vec<Vec<usize>> = vec![Vec::new(); SHARDS];
    for (k, &f) in raw.progress.iter().enumerate() {
        wanted[shard_of(&raw.files[f].rel)].push(k);
    }
    // Shard by shard, on all cores: check its files, write it (with the
    // text, which the cache always keeps), then keep what this command
    // needs. Only the shards being worked on hold their text.
    let lookup = defs.lookup();
    let there = shards_there(folder);
    let (_, found) = rayon::join(
        || {
            write_defs(folder, &head, &defs);
            // A new entry, or new definitions: the moment to note whose
            // entry this is and to clear away those of plans gone.
            note_plan_dir(folder, dir);
            prune(folder);
        },
        || {
            wanted
                .par_iter()
                .enumerate()
                .map(|(i, ks)| {
                    let mut results: Vec<(usize, Progress)> = ks
                        .iter()
                        .map(|&k| (k, check_one(&raw, raw.progress[k], &lookup, Text::Keep)))
                        .collect();
                    let members: Vec<Member> = results
                        .iter()
                        .map(|(k, p)| {
                            let rel = raw.files[raw.progress[*k]].rel.as_str();
                            (rel, stats.get(rel).copied(), p)
                        })
                        .collect();
                    if there[i] || !members.is_empty() {
                        write_shard(folder, i, key, &members);
                    }
                    for (_, p) in &mut results {
                        p.keep(text);
                    }
                    results
                })
                .collect::<Vec<_>>()
        },
    );
    // What the shards' checking and serialising freed, held by their cores.
    crate::memory::release_freed();
    let mut per_file: Vec<Progress> = raw.progress.iter().map(|_| Progress::default()).collect();
    for (k, p) in found.into_iter().flatten() {
        per_file[k] = p;
    }
    let (plan, diags) = finish(raw, defs, per_file);
    (plan, diags, files)
}

/// What the shards hold for the current progress files: each file's
/// result when its bytes are unchanged, and which shards must be written
/// again (they lack a file, or hold one no longer in the plan).
struct Reused {
    per_file: Vec<Option<Progress>>,
    dirty: [bool; SHARDS],
}

fn reuse(
    dir: &Path,
    listed: &[(String, FileKind)],
    stats: &[Option<Stat>],
    folder: &Path,
    key: u128,
    progress: &[FileId],
    text: Text,
) -> Reused {
    // The progress files of each shard, by their place in `progress`.
    let mut wanted: Vec<Vec<usize>> = vec![Vec::new(); SHARDS];
    for (k, &f) in progress.iter().enumerate() {
        wanted[shard_of(&listed[f].0)].push(k);
    }
    let there = shards_there(folder);
    // A shard is read, used and dropped by one worker: only one per core
    // is in memory at a time.
    let found: Vec<(Vec<(usize, Progress)>, bool)> = wanted
        .par_iter()
        .enumerate()
        .map(|(i, wanted)| {
            let Some((shard, bytes, at)) = there[i]
                .then(|| read_shard(folder, i))
                .flatten()
                .filter(|(s, _, _)| s.defs == key)
            else {
                return (Vec::new(), !wanted.is_empty());
            };
            let mut cached: FxHashMap<&str, (u128, Option<Stat>, &[u8])> = FxHashMap::default();
            let mut at = at;
            for f in &shard.files {
                let end = usize::try_from(f.len).ok().and_then(|n| at.checked_add(n));
                let Some(blob) = end.and_then(|end| bytes.get(at..end)) else {
                    break;
                };
                cached.insert(f.rel.as_str(), (f.hash, f.stat, blob));
                at += blob.len();
            }
            let mut dirty = shard.files.len() != wanted.len();
            let mut same = Vec::with_capacity(wanted.len());
            let mut buf = Vec::new();
            for &k in wanted {
                let rel = listed[progress[k]].0.as_str();
                let now = stats[progress[k]];
                match cached.get(rel) {
                    // Known by its metadata: not read at all.
                    Some(&(hash, stat, blob)) if now.is_some() && stat == now => {
                        same.push((k, hash, blob));
                    }
                    Some(&(hash, stat, blob))
                        if file_hash_with(&dir.join(rel), &mut buf) == Some(hash) =>
                    {
                        same.push((k, hash, blob));
                        // Settled since it was kept: keep its metadata now.
                        dirty |= now.is_some() && stat != now;
                    }
                    _ => dirty = true,
                }
            }
            // A shard written again keeps every file's text, needed here
            // or not. A damaged entry's file is checked again (so its
            // shard is written again too).
            let decode = |with_text: bool| -> Vec<Option<(usize, Progress)>> {
                same.iter()
                    .map(|&(k, hash, blob)| {
                        let mut p: Progress = if with_text {
                            postcard::from_bytes(blob).ok()?
                        } else {
                            postcard::from_bytes::<ProgressWithoutText>(blob)
                                .ok()?
                                .into()
                        };
                        p.renumber(progress[k]);
                        p.hash = Some(hash);
                        Some((k, p))
                    })
                    .collect()
            };
            let mut results = decode(dirty || text == Text::Keep);
            if results.iter().any(Option::is_none) {
                if !dirty && text == Text::Skip {
                    results = decode(true);
                }
                dirty = true;
            }
            let results: Vec<(usize, Progress)> = results.into_iter().flatten().collect();
            (results, dirty)
        })
        .collect();
    let mut per_file: Vec<Option<Progress>> = progress.iter().map(|_| None).collect();
    let mut dirty = [false; SHARDS];
    for (i, (results, d)) in found.into_iter().enumerate() {
        dirty[i] = d;
        for (k, p) in results {
            per_file[k] = Some(p);
        }
    }
    Reused { per_file, dirty }
}

/// The definitions are unchanged: reuse their results and every progress
/// file's whose bytes are the same; check the others. `None` when the
/// cached definitions cannot be read after all.
#[allow(clippy::too_many_arguments)]
fn incremental(
    dir: &Path,
    shown: &str,
    listed: &[(String, FileKind)],
    stats: &[Option<Stat>],
    folder: &Path,
    head: &DefsHead,
    defs: Vec<u8>,
    text: Text,
) -> Option<(Option<Plan>, Vec<Diag>, Vec<SourceFile>)> {
    let key = head.key();
    let progress: Vec<FileId> = (0..listed.len())
        .filter(|&i| listed[i].1 == FileKind::Progress)
        .collect();
    // The definitions are read while the progress files' results are.
    let (defs, reused) = rayon::join(
        // The bytes go as soon as they are read: they are as large as
        // the definitions themselves.
        move || postcard::from_bytes::<Defs>(&defs).ok(),
        || reuse(dir, listed, stats, folder, key, &progress, text),
    );
    let defs = defs?;
    let files: Vec<SourceFile> = listed
        .iter()
        .map(|(rel, _)| SourceFile {
            rel: rel.clone(),
            shown: load::join_shown(shown, rel),
        })
        .collect();
    let stale: Vec<FileId> = progress
        .iter()
        .zip(&reused.per_file)
        .filter(|(_, r)| r.is_none())
        .map(|(&f, _)| f)
        .collect();
    let raw = Raw {
        dir: dir.to_path_buf(),
        files: files.clone(),
        kinds: listed.iter().map(|(_, k)| *k).collect(),
        contents: listed.iter().map(|_| None).collect(),
        diags: Vec::new(),
        progress: progress.clone(),
        hashes: Vec::new(),
        deferred: Vec::new(),
    };
    let mut fresh = check_files(&raw, &stale, &defs.lookup(), Text::Keep).into_iter();
    let mut per_file: Vec<Progress> = reused
        .per_file
        .into_iter()
        .map(|p| p.unwrap_or_else(|| fresh.next().unwrap_or_default()))
        .collect();
    if reused.dirty.contains(&true) {
        let list: Vec<Member> = progress
            .iter()
            .zip(&per_file)
            .map(|(&f, p)| (listed[f].0.as_str(), stats[f], p))
            .collect();
        save(folder, key, &list, &reused.dirty);
    }
    for p in &mut per_file {
        p.keep(text);
    }
    let (plan, diags) = finish(raw, defs, per_file);
    Some((plan, diags, files))
}

fn uncached(dir: &Path, shown: &str, text: Text) -> (Option<Plan>, Vec<Diag>, Vec<SourceFile>) {
    let raw = load::load_dir(dir, shown);
    let files = raw.files.clone();
    let (plan, diags) = crate::validate::validate(raw, text);
    (plan, diags, files)
}

fn file_hash(path: &Path) -> Option<u128> {
    file_hash_with(path, &mut Vec::new())
}

/// `file_hash`, reading into `buf`: a worker checking thousands of files
/// reuses one buffer rather than faulting in fresh memory for each.
fn file_hash_with(path: &Path, buf: &mut Vec<u8>) -> Option<u128> {
    use std::io::Read;
    buf.clear();
    std::fs::File::open(path).ok()?.read_to_end(buf).ok()?;
    Some(hash(buf))
}

/// The cache folder of a plan directory: named by the hash of its
/// absolute path.
fn folder_of(root: &Path, dir: &Path) -> PathBuf {
    let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let key = hash(abs.to_string_lossy().as_bytes());
    root.join(format!("{key:032x}"))
}

/// The file in each entry that names its plan directory, as the entry's
/// folder name is a hash of it.
const PLAN_DIR: &str = "plan-dir";

/// Entries of plans gone, or of builds from before `PLAN_DIR`, are kept
/// this long after they were last written.
const KEEP_UNKNOWN: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

/// Writes the plan directory's absolute path into its entry (`PLAN_DIR`),
/// unless it is there already.
fn note_plan_dir(folder: &Path, dir: &Path) {
    let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let text = abs.to_string_lossy();
    if std::fs::read_to_string(folder.join(PLAN_DIR)).is_ok_and(|t| t == text) {
        return;
    }
    let _ = write_atomically(folder, PLAN_DIR, |w| w.write_all(text.as_bytes()));
}

/// Clears away, next to `ours`, the entries no run will use again: each
/// entry whose plan directory no longer exists (a copy deleted, a folder
/// renamed — its new name has an entry of its own), and each entry that
/// does not say whose it is and was last written over `KEEP_UNKNOWN` ago.
/// Only folders named as entries are looked at, and only the files
/// kehoach writes are removed from them: a cache directory shared with
/// other files (`KEHOACH_CACHE_DIR`) loses nothing else. A plan on a drive not
/// mounted just now loses its entry, which its next run rebuilds.
fn prune(ours: &Path) {
    let (Some(root), Some(own)) = (ours.parent(), ours.file_name()) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_entry = name.len() == 32
            && name
                .to_str()
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_hexdigit()));
        if !is_entry || name == own || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let folder = entry.path();
        let gone = match std::fs::read_to_string(folder.join(PLAN_DIR)) {
            Ok(dir) => {
                !dir.is_empty()
                    && !dir.contains(char::REPLACEMENT_CHARACTER)
                    && std::fs::symlink_metadata(&dir)
                        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > KEEP_UNKNOWN)),
            Err(_) => false,
        };
        if gone {
            remove_entry(&folder);
        }
    }
}

/// Removes an entry's files — `defs.bin`, the shards, `PLAN_DIR`, the
/// temporary files of a write cut short — then its folder, if nothing
/// else is left in it.
fn remove_entry(folder: &Path) {
    let Ok(files) = std::fs::read_dir(folder) else {
        return;
    };
    for f in files.flatten() {
        let name = f.file_name();
        let Some(name) = name.to_str() else { continue };
        let shard = name.len() == 7
            && name.starts_with('p')
            && name.ends_with(".bin")
            && name
                .as_bytes()
                .get(1..3)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit));
        if name == "defs.bin" || name == PLAN_DIR || shard || name.starts_with(".tmp") {
            let _ = std::fs::remove_file(f.path());
        }
    }
    let _ = std::fs::remove_dir(folder);
}

/// A cache file: `MAGIC`, the length of its head, the head (postcard),
/// then its payload. Returns the head and where the payload starts;
/// anything else is no file.
fn read_framed<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Option<(T, usize)> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (len, rest) = rest.split_first_chunk::<8>()?;
    let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
    let head = postcard::from_bytes(rest.get(..len)?).ok()?;
    Some((head, MAGIC.len() + 8 + len))
}

fn framed<T: Serialize>(head: &T, payload: &[&[u8]]) -> Option<Vec<u8>> {
    let head = postcard::to_allocvec(head).ok()?;
    let size = payload.iter().map(|p| p.len()).sum::<usize>();
    let mut out = Vec::with_capacity(MAGIC.len() + 8 + head.len() + size);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(head.len() as u64).to_le_bytes());
    out.extend_from_slice(&head);
    for p in payload {
        out.extend_from_slice(p);
    }
    Some(out)
}

/// `defs.bin`: its head, if it is this build's, and the serialised
/// definitions.
fn read_defs(folder: &Path) -> Option<(DefsHead, Vec<u8>)> {
    let mut bytes = std::fs::read(folder.join("defs.bin")).ok()?;
    let (head, at): (DefsHead, usize) = read_framed(&bytes)?;
    // The head is small: moving the rest down beats a second buffer.
    bytes.drain(..at);
    (head.schema == schema()).then_some((head, bytes))
}

/// Which shard files the entry holds, from one listing of its folder: a
/// small plan's progress files fall in a few of the shards, and the others
/// are then neither opened nor removed one by one. Every one, when the
/// folder cannot be listed.
fn shards_there(folder: &Path) -> [bool; SHARDS] {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return [true; SHARDS];
    };
    let names: rustc_hash::FxHashSet<std::ffi::OsString> =
        entries.flatten().map(|e| e.file_name()).collect();
    std::array::from_fn(|i| names.contains(std::ffi::OsStr::new(&shard_name(i))))
}

/// Shard `i`'s file name in its entry's folder.
fn shard_name(i: usize) -> String {
    format!("p{i:02}.bin")
}

fn read_shard(folder: &Path, i: usize) -> Option<(Shard, Vec<u8>, usize)> {
    let bytes = std::fs::read(folder.join(shard_name(i))).ok()?;
    let (shard, at): (Shard, usize) = read_framed(&bytes)?;
    (shard.schema == schema()).then_some((shard, bytes, at))
}

/// Serialises what changed — the definitions when given, and the shards
/// marked `dirty` — and writes it on another thread, each file through a
/// temporary file renamed into place; the caller joins it before exiting.
/// Any failure leaves the cache as it was: a cache is never needed.
fn save(folder: &Path, key: u128, progress: &[Member], dirty: &[bool; SHARDS]) {
    if std::fs::create_dir_all(folder).is_err() {
        return;
    }
    let mut members: Vec<Vec<Member>> = (0..SHARDS).map(|_| Vec::new()).collect();
    for &m in progress {
        if dirty[shard_of(m.0)] {
            members[shard_of(m.0)].push(m);
        }
    }
    members
        .par_iter()
        .enumerate()
        .filter(|(i, _)| dirty[*i])
        .for_each(|(i, files)| write_shard(folder, i, key, files));
}

/// Writes shard `i` with `files`' results, each serialised and written by
/// one worker, then dropped: at most one shard per core is in memory,
/// never the whole cache. A file whose bytes could not be read has no hash
/// and is not kept; a shard no file falls in is removed rather than written
/// empty (a small plan has fewer progress files than shards).
fn write_shard(folder: &Path, i: usize, key: u128, files: &[Member]) {
    let name = shard_name(i);
    let files: Vec<Member> = files
        .iter()
        .copied()
        .filter(|(_, _, p)| p.hash.is_some())
        .collect();
    if files.is_empty() {
        let _ = std::fs::remove_file(folder.join(name));
        return;
    }
    let _ = shard_bytes(key, &files)
        .ok_or_else(unserialisable)
        .and_then(|bytes| write_atomically(folder, &name, |w| w.write_all(&bytes)));
}

/// `defs.bin`, serialised straight into its file.
fn write_defs(folder: &Path, head: &DefsHead, defs: &Defs) {
    let _ = write_atomically(folder, "defs.bin", |w| {
        w.write_all(&framed(head, &[]).ok_or_else(unserialisable)?)?;
        postcard::to_io(defs, w).map_err(std::io::Error::other)?;
        Ok(())
    });
}

fn unserialisable() -> std::io::Error {
    std::io::Error::other("not serialisable")
}

/// A shard file: its head (each file's name, hash and length), then each
/// file's results.
fn shard_bytes(key: u128, files: &[Member]) -> Option<Vec<u8>> {
    let mut payload = Vec::new();
    let mut heads = Vec::with_capacity(files.len());
    for &(rel, stat, p) in files {
        let before = payload.len();
        payload = postcard::to_extend(p, payload).ok()?;
        heads.push(ShardFile {
            rel: rel.to_string(),
            hash: p.hash?,
            stat,
            len: (payload.len() - before) as u64,
        });
    }
    let shard = Shard {
        schema: schema(),
        defs: key,
        files: heads,
    };
    framed(&shard, &[&payload])
}

/// Writes `name` in `folder` through a temporary file renamed into place:
/// a reader sees the old file or the whole new one.
fn write_atomically(
    folder: &Path,
    name: &str,
    write: impl FnOnce(&mut std::io::BufWriter<&mut std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut tmp = tempfile::NamedTempFile::new_in(folder)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
    write(&mut w)?;
    w.flush()?;
    drop(w);
    tmp.persist(folder.join(name)).map_err(|e| e.error)?;
    Ok(())
}

/// Dates in the cache as day numbers, not text: a national plan has
/// millions of them.
pub(crate) mod day {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer};
    use std::sync::OnceLock;

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(d.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let n = i32::deserialize(d)?;
        date(n).ok_or_else(|| serde::de::Error::custom("day out of range"))
    }

    /// Days in a block of `date`'s table.
    pub(super) const BLOCK: i32 = 256;
    /// The table's first day, 1/1/1990, and its blocks: to the end of 2117.
    pub(super) const FIRST: i32 = 726_468;
    pub(super) const BLOCKS: usize = 183;

    /// The date of day number `n` (from 1/1/1 as day 1). The days of a
    /// plan's years come from a table, a block of 256 days made the first
    /// time one of them is asked for: a national plan's cache holds
    /// millions of dates over a few years, and working each out anew was a
    /// twentieth of a warm run.
    pub fn date(n: i32) -> Option<NaiveDate> {
        static TABLE: [OnceLock<Vec<NaiveDate>>; BLOCKS] = [const { OnceLock::new() }; BLOCKS];
        let at = n.checked_sub(FIRST).and_then(|k| usize::try_from(k).ok());
        let Some(block) = at.and_then(|k| TABLE.get(k / BLOCK as usize)) else {
            return NaiveDate::from_num_days_from_ce_opt(n);
        };
        let start = n - n.wrapping_sub(FIRST).rem_euclid(BLOCK);
        block
            .get_or_init(|| {
                (start..start + BLOCK)
                    .map_while(NaiveDate::from_num_days_from_ce_opt)
                    .collect()
            })
            .get(usize::try_from(n - start).ok()?)
            .copied()
    }
}

/// `Option<NaiveDate>` as an optional day number.
pub(crate) mod day_opt {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&d.num_days_from_ce()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<i32>::deserialize(d)? {
            Some(n) => super::day::date(n)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("day out of range")),
            None => Ok(None),
        }
    }
}

/// A long list written in parts of `PART` items, each its own run of
/// bytes, and read back on all cores straight into its place. The
/// occurrences of a national plan are most of `defs.bin`: read in one
/// piece, they took twice as long as every progress file's results read
/// beside them, and the other core waited.
pub(crate) mod in_parts {
    use rayon::prelude::*;
    use serde::de::{Error as _, SeqAccess, Visitor};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    const PART: usize = 16_384;

    /// The parts' bytes, each written as bytes (a length, then the bytes).
    struct Parts<'a>(&'a [Vec<u8>]);

    impl Serialize for Parts<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            struct Bytes<'a>(&'a [u8]);
            impl Serialize for Bytes<'_> {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_bytes(self.0)
                }
            }
            s.collect_seq(self.0.iter().map(|p| Bytes(p)))
        }
    }

    /// The list's length, then its parts.
    #[allow(clippy::ptr_arg)] // serde passes the field itself
    pub fn serialize<S, T>(list: &Vec<T>, s: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: Serialize + Sync,
    {
        let parts: Vec<Vec<u8>> = list
            .par_chunks(PART)
            .map(postcard::to_allocvec)
            .collect::<Result<_, _>>()
            .map_err(serde::ser::Error::custom)?;
        (list.len(), Parts(&parts)).serialize(s)
    }

    /// The list made at its length (placeholders, `T::default()`), each
    /// part then read into its place on any core. Parts that do not add
    /// up to the length, or do not hold exactly their items (a damaged
    /// entry), are an error.
    pub fn deserialize<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + Default + Send,
    {
        let (n, parts) = <(usize, Vec<&'de [u8]>)>::deserialize(d)?;
        if !plausible(n, &parts) {
            return Err(D::Error::custom("parts do not match the length"));
        }
        let mut list = Vec::new();
        list.try_reserve_exact(n).map_err(D::Error::custom)?;
        list.resize_with(n, T::default);
        list.par_chunks_mut(PART)
            .zip(parts)
            .try_for_each(|(slots, bytes)| read_into(slots, bytes))
            .map_err(D::Error::custom)?;
        Ok(list)
    }

    /// Whether `parts` can hold `n` items: one part per `PART` items, and
    /// a byte at least per item — so that a damaged length is refused
    /// before memory is given for it.
    fn plausible(n: usize, parts: &[&[u8]]) -> bool {
        let bytes: usize = parts.iter().map(|p| p.len()).sum();
        n.div_ceil(PART) == parts.len() && n <= bytes
    }

    /// Reads a part, which must hold exactly `slots.len()` items and
    /// nothing after them, into `slots`.
    fn read_into<'de, T: Deserialize<'de>>(
        slots: &mut [T],
        bytes: &'de [u8],
    ) -> postcard::Result<()> {
        struct Into<'s, T>(&'s mut [T]);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Into<'_, T> {
            type Value = ();

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "a sequence of {} items", self.0.len())
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
                if seq.size_hint() != Some(self.0.len()) {
                    return Err(A::Error::invalid_length(
                        seq.size_hint().unwrap_or(0),
                        &self,
                    ));
                }
                for (i, slot) in self.0.iter_mut().enumerate() {
                    *slot = seq
                        .next_element()?
                        .ok_or_else(|| A::Error::invalid_length(i, &"more items"))?;
                }
                Ok(())
            }
        }
        let mut de = postcard::Deserializer::from_bytes(bytes);
        de.deserialize_seq(Into(slots))?;
        if de.finalize()?.is_empty() {
            Ok(())
        } else {
            Err(postcard::Error::DeserializeBadEncoding)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::{PART, Parts, plausible};

        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct Listed {
            #[serde(with = "super")]
            list: Vec<(u32, String)>,
            after: u8,
        }

        /// A length is taken only when its parts could hold it: as many
        /// parts as it takes, and as many bytes as items at least.
        #[test]
        fn a_length_its_parts_cannot_hold_is_refused() {
            let (byte, part) = ([0u8; 1], [0u8; PART]);
            assert!(plausible(0, &[]));
            assert!(plausible(1, &[&byte]));
            assert!(plausible(PART + 1, &[&part, &byte]));
            assert!(!plausible(2, &[&byte]), "more items than bytes");
            assert!(
                !plausible(2 * PART, &[&part, &byte]),
                "more items than bytes"
            );
            assert!(!plausible(PART + 1, &[&part]), "a part missing");
            assert!(!plausible(1, &[&byte, &byte]), "a part too many");
            assert!(!plausible(usize::MAX, &[&byte]));
        }

        /// A list written in parts reads back the same at every length
        /// around a part's, and what follows it reads as before.
        #[test]
        fn a_list_in_parts_reads_back_whole() {
            for n in [0, 1, 2, PART - 1, PART, PART + 1, 3 * PART + 5] {
                let listed = Listed {
                    list: (0..n as u32).map(|i| (i, i.to_string())).collect(),
                    after: 7,
                };
                let bytes = postcard::to_allocvec(&listed).unwrap();
                assert_eq!(
                    postcard::from_bytes::<Listed>(&bytes).unwrap(),
                    listed,
                    "{n} items"
                );
            }
        }

        /// A damaged entry — a length its parts do not add up to, a part
        /// with fewer or more items than its place, bytes after a part's
        /// items, a part cut short — is an error, never a panic or a
        /// list of another length.
        #[test]
        fn a_damaged_list_in_parts_is_an_error() {
            let part = |items: std::ops::Range<u32>| {
                let list: Vec<(u32, String)> = items.map(|i| (i, "x".into())).collect();
                postcard::to_allocvec(&list).unwrap()
            };
            let edited = |mut bytes: Vec<u8>, edit: fn(&mut Vec<u8>)| {
                edit(&mut bytes);
                bytes
            };
            let whole = PART as u32;
            let cases: Vec<(&str, usize, Vec<Vec<u8>>)> = vec![
                ("fewer items", 5, vec![part(0..4)]),
                ("more items", 5, vec![part(0..6)]),
                ("a part missing", PART + 1, vec![part(0..whole)]),
                ("a part too many", 5, vec![part(0..5), part(0..1)]),
                (
                    "a short first part",
                    PART + 1,
                    vec![part(0..5), part(0..whole - 4)],
                ),
                ("bytes after", 5, vec![edited(part(0..5), |b| b.push(0))]),
                (
                    "cut short",
                    5,
                    vec![edited(part(0..5), |b| {
                        b.pop();
                    })],
                ),
                ("no memory holds it", usize::MAX, vec![]),
            ];
            for (case, n, parts) in cases {
                let bytes = postcard::to_allocvec(&(n, Parts(&parts), 7u8)).unwrap();
                assert!(postcard::from_bytes::<Listed>(&bytes).is_err(), "{case}");
            }
            // The same parts, the length right: read.
            let bytes = postcard::to_allocvec(&(5usize, Parts(&[part(0..5)]), 7u8)).unwrap();
            let listed = postcard::from_bytes::<Listed>(&bytes).unwrap();
            assert_eq!(listed.list.len(), 5);
        }
    }
}

/// A long list read at its length at once, rather than grown by doubling
/// from serde's cautious first guess: the occurrences of a national plan
/// are tens of megabytes, and each doubling copies them. A length the
/// memory cannot hold (a damaged entry) falls back to growing, which then
/// stops at the end of the bytes.
pub(crate) fn exact_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Exact<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Exact<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a sequence")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut v = Vec::new();
            if let Some(n) = seq.size_hint() {
                let _ = v.try_reserve_exact(n);
            }
            while let Some(x) = seq.next_element()? {
                v.push(x);
            }
            Ok(v)
        }
    }
    d.deserialize_seq(Exact(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::day;
    use chrono::NaiveDate;

    /// The table gives chrono's dates, inside it, at its edges and
    /// outside it, whatever the order the blocks are first asked for in.
    #[test]
    fn a_day_number_is_chronos_date() {
        let (first, last) = (day::FIRST, day::FIRST + day::BLOCKS as i32 * day::BLOCK);
        let mut days: Vec<i32> = (first - 600..last + 600).rev().collect();
        days.extend([i32::MIN, -1, 0, 1, 2, i32::MAX, first, last - 1, last]);
        for n in days {
            assert_eq!(
                day::date(n),
                NaiveDate::from_num_days_from_ce_opt(n),
                "day {n}"
            );
        }
    }
}
