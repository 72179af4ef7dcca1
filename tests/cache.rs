//! The parse cache is invisible (spec §14): after every kind of edit a
//! plan's files can undergo — appended, rewritten with the same size and
//! modification time, deleted, added, renamed, definitions changed, an
//! error brought in and taken out — every reading command prints byte for
//! byte what it prints without the cache. A damaged, foreign or unreadable
//! cache is ignored.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The reading commands compared, as of a date inside the plans.
const COMMANDS: &[&[&str]] = &[
    &["check"],
    &[
        "report",
        "--year",
        "all",
        "--format",
        "json",
        "--as-of",
        "2025-06-30",
    ],
    &["report", "--as-of", "2024-12-31"],
    &["tasks", "--format", "csv", "--as-of", "2025-06-30"],
    &["due", "--as-of", "2024-07-01", "--within", "60"],
    &["indicators", "--as-of", "2025-06-30"],
];

fn run(plan: &Path, cache: Option<&Path>, args: &[&str]) -> Output {
    let mut c = bin();
    c.arg("--plan").arg(plan).args(args);
    match cache {
        Some(dir) => c
            .env("KEHOACH_CACHE_DIR", dir)
            .env_remove("KEHOACH_NO_CACHE"),
        None => c.arg("--no-cache"),
    };
    c.output().unwrap()
}

/// Every command, with the cache (run twice: the first run may fill it,
/// the second reads it) and without, gives the same bytes and exit code.
fn same_with_and_without(plan: &Path, cache: &Path, what: &str) {
    for args in COMMANDS {
        let plain = run(plan, None, args);
        for pass in ["first", "second"] {
            let cached = run(plan, Some(cache), args);
            let tell = || format!("after {what}, {pass} cached run of {args:?}");
            assert_eq!(cached.status.code(), plain.status.code(), "{}", tell());
            assert!(cached.stdout == plain.stdout, "{}: stdout differs", tell());
            assert_eq!(stderr(&cached), stderr(&plain), "{}", tell());
        }
    }
}

/// A small deterministic generator, so that a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn progress_files(plan: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![plan.join("progress")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Rewrites a file with other bytes of the same length and gives it back
/// its modification time: a cache keyed by size and time would miss it.
fn same_size_same_time(path: &Path, from: &str, to: &str) -> bool {
    assert_eq!(from.len(), to.len());
    let text = std::fs::read_to_string(path).unwrap();
    if !text.contains(from) {
        return false;
    }
    let mtime = std::fs::metadata(path).unwrap().modified().unwrap();
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(mtime).unwrap();
    assert_eq!(std::fs::metadata(path).unwrap().modified().unwrap(), mtime);
    true
}

/// One random edit of `plan`; returns what it did.
fn edit(plan: &Path, rng: &mut Lcg, step: usize) -> String {
    let files = progress_files(plan);
    let pick = |rng: &mut Lcg| files[rng.below(files.len())].clone();
    match rng.below(9) {
        0 => {
            let f = pick(rng);
            let text = std::fs::read_to_string(&f).unwrap();
            // Repeat the file's first update: valid wherever the file is.
            if let Some(first) = text.split("\n\n").next() {
                std::fs::write(&f, format!("{text}\n{first}\n")).unwrap();
            }
            format!("append to {}", f.display())
        }
        1 => {
            let f = pick(rng);
            let done = same_size_same_time(&f, "status = \"done\"", "status = \"cncl\"")
                || same_size_same_time(&f, "percent = 1", "percent = 2");
            format!("same-size rewrite of {} ({done})", f.display())
        }
        2 => {
            let f = pick(rng);
            let undone = same_size_same_time(&f, "status = \"cncl\"", "status = \"done\"");
            format!("same-size repair of {} ({undone})", f.display())
        }
        3 if files.len() > 3 => {
            let f = pick(rng);
            std::fs::remove_file(&f).unwrap();
            format!("delete {}", f.display())
        }
        4 => {
            let f = pick(rng);
            let to = plan.join(format!("progress/MOI/buoc-{step}.toml"));
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&f, &to).unwrap();
            format!("add {} (copy of {})", to.display(), f.display())
        }
        5 => {
            let f = pick(rng);
            let to = f.with_file_name(format!("0-doi-ten-{step}.toml"));
            std::fs::rename(&f, &to).unwrap();
            format!("rename {} to {}", f.display(), to.display())
        }
        6 => {
            let tasks = std::fs::read_dir(plan.join("tasks"))
                .map(|d| d.flatten().map(|e| e.path()).collect::<Vec<_>>())
                .unwrap_or_default();
            let f = if tasks.is_empty() {
                plan.join("tasks.toml")
            } else {
                tasks[rng.below(tasks.len())].clone()
            };
            let text = std::fs::read_to_string(&f).unwrap();
            std::fs::write(&f, text.replacen("title = \"", "title = \"Sửa: ", 1)).unwrap();
            format!("retitle a task in {}", f.display())
        }
        7 => {
            let f = plan.join("agencies.toml");
            let text = std::fs::read_to_string(&f).unwrap();
            std::fs::write(&f, text.replacen("name = \"", "name = \"Mới ", 1)).unwrap();
            "rename an agency".to_string()
        }
        _ => {
            let f = pick(rng);
            let text = std::fs::read_to_string(&f).unwrap();
            std::fs::write(&f, text.replacen("date = 20", "date = 19", 1)).unwrap();
            format!("date an update before the plan in {}", f.display())
        }
    }
}

fn differential(of: &str, seed: u64, steps: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan");
    copy_dir(&root().join(of), &plan);
    let cache = tmp.path().join("cache");
    same_with_and_without(&plan, &cache, "nothing");
    let mut rng = Lcg(seed);
    for step in 0..steps {
        let what = edit(&plan, &mut rng, step);
        same_with_and_without(&plan, &cache, &what);
    }
    assert!(cache.exists(), "the cache was never written");
}

#[test]
fn every_command_prints_the_same_with_and_without_the_cache_after_random_edits() {
    differential("tests/fixtures/synth", 7, 24);
}

#[test]
fn the_demo_with_indicators_and_groups_too() {
    differential("examples/demo", 11, 12);
}

/// Every file of the cache folder, damaged in turn in several ways, is
/// ignored: same output, no error, and the cache works again after.
#[test]
fn a_damaged_or_foreign_cache_is_ignored_and_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan");
    copy_dir(&root().join("tests/fixtures/synth"), &plan);
    let cache = tmp.path().join("cache");
    let args: &[&str] = &[
        "report",
        "--year",
        "all",
        "--format",
        "json",
        "--as-of",
        "2025-06-30",
    ];
    let plain = run(&plan, None, args);
    assert!(run(&plan, Some(&cache), args).status.success());
    let mut cache_files: Vec<PathBuf> = Vec::new();
    for folder in std::fs::read_dir(&cache).unwrap().flatten() {
        for f in std::fs::read_dir(folder.path()).unwrap().flatten() {
            cache_files.push(f.path());
        }
    }
    assert!(cache_files.len() > 2, "{cache_files:?}");
    type Damage = fn(&[u8]) -> Vec<u8>;
    let damages: [(&str, Damage); 5] = [
        ("emptied", |_| Vec::new()),
        ("truncated", |b| b[..b.len() / 2].to_vec()),
        ("bytes flipped", |b| {
            b.iter()
                .enumerate()
                .map(|(i, x)| if i % 7 == 3 { !x } else { *x })
                .collect()
        }),
        ("another format", |_| b"KHCACHE\x01 an older entry".to_vec()),
        ("huge length", |b| {
            let mut v = b[..8.min(b.len())].to_vec();
            v.extend_from_slice(&u64::MAX.to_le_bytes());
            v
        }),
    ];
    for f in &cache_files {
        let good = std::fs::read(f).unwrap();
        for (how, damage) in &damages {
            std::fs::write(f, damage(&good)).unwrap();
            let o = run(&plan, Some(&cache), args);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{} {how}: {}",
                f.display(),
                stderr(&o)
            );
            assert!(
                o.stdout == plain.stdout,
                "{} {how}: output differs",
                f.display()
            );
            assert!(o.stderr.is_empty(), "{} {how}: {}", f.display(), stderr(&o));
        }
    }
    // A cache folder that cannot be created is no cache at all.
    let blocked = tmp.path().join("a-file");
    std::fs::write(&blocked, "not a folder").unwrap();
    let o = run(&plan, Some(&blocked), args);
    assert!(o.status.success() && o.stdout == plain.stdout && o.stderr.is_empty());
    // KEHOACH_NO_CACHE=1 writes nothing.
    let unused = tmp.path().join("unused");
    let o = bin()
        .arg("--plan")
        .arg(&plan)
        .args(args)
        .env("KEHOACH_CACHE_DIR", &unused)
        .env("KEHOACH_NO_CACHE", "1")
        .output()
        .unwrap();
    assert!(o.status.success() && o.stdout == plain.stdout);
    assert!(!unused.exists(), "KEHOACH_NO_CACHE=1 wrote a cache");
}

/// After `record`, the next report reads the new update: the cache never
/// hides a write.
#[test]
fn a_recorded_update_shows_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan");
    copy_dir(&root().join("examples/demo"), &plan);
    let cache = tmp.path().join("cache");
    let show = |args: &[&str]| stdout(&run(&plan, Some(&cache), args));
    let before = show(&["show", "1.2", "--as-of", "2024-12-31"]);
    let o = bin()
        .arg("--plan")
        .arg(&plan)
        .env("KEHOACH_CACHE_DIR", &cache)
        .args([
            "record",
            "1.2",
            "--period",
            "2024-H2",
            "--status",
            "done",
            "--date",
            "2024-12-20",
            "--by",
            "Phòng Quản lý",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let after = show(&["show", "1.2", "--as-of", "2024-12-31"]);
    assert_ne!(before, after);
    assert!(after.contains("20/12/2024"), "{after}");
    assert_eq!(
        after,
        stdout(&run(&plan, None, &["show", "1.2", "--as-of", "2024-12-31"]))
    );
}

#[test]
fn files_known_by_their_metadata_are_still_seen_when_rewritten() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan");
    copy_dir(&root().join("examples/demo"), &plan);
    let cache = tmp.path().join("cache");
    // Files changed over 2 s ago are known by their metadata, not hashed.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let args = ["tasks", "--as-of", "2024-12-31", "--format", "csv"];
    let first = run(&plan, Some(&cache), &args);
    assert_eq!(first.stdout, run(&plan, Some(&cache), &args).stdout);
    // Same size, same inode, modification time given back: only the
    // change time tells.
    seen_when_rewritten(
        &plan,
        &cache,
        ("tasks.toml", "an toàn thực phẩm", "AN TOÀN THỰC PHẨM"),
        (&args, "AN TOÀN THỰC PHẨM"),
        "a rewrite of tasks.toml known by its metadata",
    );
    // A progress file, the definitions unchanged: the same again.
    let show = ["show", "1.1", "--as-of", "2024-12-31"];
    let before = stdout(&run(&plan, Some(&cache), &show));
    assert!(
        before.contains("80%") && !before.contains("85%"),
        "{before}"
    );
    seen_when_rewritten(
        &plan,
        &cache,
        ("progress/SCT/2024.toml", "percent = 80", "percent = 85"),
        (&show, "85%"),
        "a rewrite of a progress file known by its metadata",
    );
}

/// Rewrites `file` of `plan` in place, `from` becoming `to` (same size,
/// modification time given back); once the rewrite is over 2 s old (known
/// by its metadata too), `args` shows `shows`, with the cache as without
/// it, and every reading command agrees with and without the cache.
fn seen_when_rewritten(
    plan: &Path,
    cache: &Path,
    (file, from, to): (&str, &str, &str),
    (args, shows): (&[&str], &str),
    what: &str,
) {
    assert!(same_size_same_time(&plan.join(file), from, to));
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let after = stdout(&run(plan, Some(cache), args));
    assert!(after.contains(shows), "{after}");
    assert_eq!(after, stdout(&run(plan, None, args)));
    same_with_and_without(plan, cache, what);
}

/// The cache does not grow without end: when a plan's entry is written,
/// the entries of plan directories no longer there are cleared away, and
/// those that do not say whose they are (written by an earlier build)
/// once they are a month old. Entries of plans still there, and anything
/// in the cache directory kehoach did not write, stay.
#[test]
fn entries_of_plans_gone_are_cleared_away() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let plans: Vec<PathBuf> = ["a", "b", "c"]
        .iter()
        .map(|name| tmp.path().join(name))
        .collect();
    for plan in &plans {
        copy_dir(&root().join("examples/demo"), plan);
    }
    let args: &[&str] = &["report", "--as-of", "2024-12-31"];
    let plain = run(&plans[0], None, args);
    // The entry of a plan: the folder whose plan-dir names it.
    let entry_of = |plan: &Path| -> Option<PathBuf> {
        let plan = std::fs::canonicalize(plan).ok()?;
        std::fs::read_dir(&cache).ok()?.flatten().find_map(|e| {
            let named = std::fs::read_to_string(e.path().join("plan-dir")).ok()?;
            (Path::new(&named) == plan).then(|| e.path())
        })
    };
    for plan in &plans[..2] {
        assert!(run(plan, Some(&cache), args).status.success());
    }
    let (a, b) = (entry_of(&plans[0]).unwrap(), entry_of(&plans[1]).unwrap());
    // What kehoach did not write: a folder of its own, a folder named as
    // an entry holding another program's file, and an entry from before
    // plan-dir, two months old.
    let others = cache.join("notes");
    std::fs::create_dir_all(&others).unwrap();
    std::fs::write(others.join("defs.bin"), "not ours").unwrap();
    let foreign = cache.join("0123456789abcdef0123456789abcdef");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "not ours").unwrap();
    let old = cache.join("fedcba9876543210fedcba9876543210");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::copy(a.join("defs.bin"), old.join("defs.bin")).unwrap();
    let two_months = std::time::SystemTime::now() - std::time::Duration::from_secs(60 * 24 * 3600);
    std::fs::File::open(&old)
        .unwrap()
        .set_modified(two_months)
        .unwrap();
    std::fs::File::open(&foreign)
        .unwrap()
        .set_modified(two_months)
        .unwrap();
    // Plan a is deleted; plan c's first run writes its entry.
    std::fs::remove_dir_all(&plans[0]).unwrap();
    let o = run(&plans[2], Some(&cache), args);
    assert!(
        o.status.success() && o.stdout == plain.stdout,
        "{}",
        stderr(&o)
    );
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    assert!(!a.exists(), "the entry of a deleted plan is still there");
    assert!(
        !old.exists(),
        "a month-old entry of an earlier build is still there"
    );
    assert!(b.join("defs.bin").exists() && entry_of(&plans[2]).is_some());
    assert!(others.join("defs.bin").exists());
    assert!(foreign.join("keep.txt").exists());
    // A warm run of a plan still there writes nothing and keeps its entry.
    let o = run(&plans[1], Some(&cache), args);
    assert!(o.status.success() && o.stdout == plain.stdout);
    assert!(b.join("defs.bin").exists());
}
