//! Hostile input: every case ends with exit status 1 and a message naming
//! the file — or is accepted when it is valid. Never a panic or a hang.

mod common;
use common::*;
use std::path::Path;

/// kehoach run as an unprivileged user in `dir`, for the tests of what
/// permissions forbid: as root through `setpriv` (util-linux) dropping to
/// nobody, with the directory opened up so that only the file under test
/// is out of reach. `None` when that cannot be arranged.
#[cfg(unix)]
pub fn unprivileged(dir: &Path) -> Option<std::process::Command> {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join(".probe");
    std::fs::write(&probe, "x").ok()?;
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).ok()?;
    let root = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).ok()?;
    if !root {
        let mut c = bin();
        c.current_dir(dir);
        return Some(c);
    }
    if !have("setpriv", &["--version"]) {
        return None;
    }
    // Every directory from the temporary directory down to `dir` must be
    // traversable by nobody.
    let tmp = std::env::temp_dir();
    for d in dir
        .ancestors()
        .take_while(|d| d.starts_with(&tmp) && *d != tmp)
    {
        if let Ok(meta) = std::fs::metadata(d) {
            let mode = meta.permissions().mode();
            let _ = std::fs::set_permissions(d, std::fs::Permissions::from_mode(mode | 0o055));
        }
    }
    let mut c = std::process::Command::new("setpriv");
    c.args([
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
    ])
    .arg(env!("CARGO_BIN_EXE_kehoach"))
    .current_dir(dir)
    .env_remove("KEHOACH_PLAN")
    .env("KEHOACH_CACHE_DIR", cache_dir())
    .env("NO_COLOR", "1");
    Some(c)
}

fn base() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("tests/errors/_base"), tmp.path());
    tmp
}

fn check(dir: &Path) -> (Option<i32>, String, String) {
    let o = run_in(dir, &["--lang", "en", "check"]);
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    (o.status.code(), stdout(&o), err)
}

fn fails_naming(dir: &Path, file: &str) -> String {
    let (code, _, err) = check(dir);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains(file), "no mention of {file}: {err}");
    err
}

#[test]
fn bom_and_crlf_are_accepted() {
    let tmp = base();
    for f in [
        "plan.toml",
        "agencies.toml",
        "tasks.toml",
        "progress/A/2023.toml",
    ] {
        let p = tmp.path().join(f);
        let text = std::fs::read_to_string(&p).unwrap().replace('\n', "\r\n");
        std::fs::write(&p, [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()).unwrap();
    }
    let (code, out, err) = check(tmp.path());
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("2 updates"));
    // Problems are still placed right after a BOM and CRLF.
    let p = tmp.path().join("tasks.toml");
    let text = std::fs::read_to_string(&p)
        .unwrap()
        .replace("lead = \"B\"", "lead = \"Z\"");
    std::fs::write(&p, text).unwrap();
    let err = fails_naming(tmp.path(), "tasks.toml:13:8: error: unknown agency \"Z\"");
    assert!(!err.contains('\r'));
}

#[test]
fn invalid_utf8_is_located() {
    let tmp = base();
    std::fs::write(
        tmp.path().join("progress/A/2023.toml"),
        b"[[update]]\ntask = \"1.1\xC0\"\n",
    )
    .unwrap();
    fails_naming(
        tmp.path(),
        "progress/A/2023.toml:2:12: error: file is not valid UTF-8",
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let tmp = base();
    let deep = format!("x = {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    std::fs::write(tmp.path().join("progress/A/deep.toml"), &deep).unwrap();
    fails_naming(tmp.path(), "progress/A/deep.toml");
    let deep_tables = format!("x = {}1{}\n", "{ a = ".repeat(10_000), " }".repeat(10_000));
    std::fs::write(tmp.path().join("progress/A/deep.toml"), &deep_tables).unwrap();
    fails_naming(tmp.path(), "progress/A/deep.toml");
}

#[test]
fn files_above_the_size_limit_are_refused() {
    let tmp = base();
    let big = tmp.path().join("progress/A/big.toml");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap(); // sparse: no 100 MB write
    let err = fails_naming(tmp.path(), "progress/A/big.toml");
    assert!(err.contains("at most 64 MiB"), "{err}");
}

#[test]
fn huge_numbers_and_impossible_dates() {
    for (file, from, to, expect) in [
        (
            "progress/A/2023.toml",
            "percent = 50",
            "percent = 99999999999999999999999",
            "progress/A/2023.toml:11:",
        ),
        (
            "progress/A/2023.toml",
            "percent = 50",
            "percent = -9223372036854775808",
            "percent -9223372036854775808 is outside 0–100",
        ),
        (
            "plan.toml",
            "last_year = 2024",
            "last_year = 99999999",
            "\"last_year\" must be a four-digit year",
        ),
        (
            "progress/A/2023.toml",
            "date = 2023-06-01",
            "date = 2023-02-30",
            "progress/A/2023.toml:9:8:",
        ),
        (
            "progress/A/2023.toml",
            "date = 2023-06-01",
            "date = 0000-01-01",
            "must be a calendar date",
        ),
        (
            "progress/A/2023.toml",
            "date = 2023-06-01",
            "date = 2023-06-01T10:00:00",
            "must be a calendar date",
        ),
        (
            "progress/A/2023.toml",
            "value = 92.5",
            "value = nan",
            "\"value\" must be a finite number",
        ),
        (
            "indicators.toml",
            "target = 90",
            "target = inf",
            "\"target\" must be a finite number",
        ),
    ] {
        let tmp = base();
        let p = tmp.path().join(file);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{from}");
        std::fs::write(&p, text.replace(from, to)).unwrap();
        let err = fails_naming(tmp.path(), file);
        assert!(err.contains(expect), "{to}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed_out_or_around() {
    let tmp = base();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("x.toml"),
        "[[update]]\ntask = \"9.9\"\ndate = 2023-05-05\nstatus = \"done\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("x.toml"),
        tmp.path().join("progress/A/outside.toml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        tmp.path().join("progress"),
        tmp.path().join("progress/A/loop"),
    )
    .unwrap();
    // A link to a file inside the plan is followed.
    std::fs::create_dir_all(tmp.path().join("store")).unwrap();
    std::fs::write(
        tmp.path().join("store/in.toml"),
        "[[update]]\ntask = \"1.2\"\ndate = 2023-06-02\nstatus = \"done\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        tmp.path().join("store/in.toml"),
        tmp.path().join("progress/A/inside.toml"),
    )
    .unwrap();
    let (code, out, err) = check(tmp.path());
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("3 updates"), "{out}");
    assert!(
        err.contains("progress/A/outside.toml: warning: symbolic link"),
        "{err}"
    );
    assert!(
        !err.contains("9.9"),
        "followed a link out of the plan: {err}"
    );
}

#[test]
fn a_directory_named_like_a_file() {
    let tmp = base();
    std::fs::create_dir_all(tmp.path().join("progress/A/x.toml")).unwrap();
    let (code, _, err) = check(tmp.path());
    assert_eq!(code, Some(0), "{err}");
    std::fs::remove_file(tmp.path().join("tasks.toml")).unwrap();
    std::fs::create_dir_all(tmp.path().join("tasks.toml")).unwrap();
    // Updates now name tasks that do not exist.
    fails_naming(tmp.path(), "progress/A/2023.toml");
    let tmp = base();
    std::fs::remove_file(tmp.path().join("agencies.toml")).unwrap();
    std::fs::create_dir_all(tmp.path().join("agencies.toml")).unwrap();
    let err = fails_naming(tmp.path(), "agencies.toml: error:");
    assert!(err.contains("is a directory"), "{err}");
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = base();
    let p = tmp.path().join("progress/A/2023.toml");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    let o = match unprivileged(tmp.path()) {
        Some(mut cmd) => cmd.args(["--lang", "en", "check"]).output().unwrap(),
        None => {
            return skip(
                "unreadable_file",
                "root reads through permissions and `setpriv` cannot drop them",
            );
        }
    };
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("progress/A/2023.toml: error: permission denied"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn empty_plan_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(tmp.path(), &["--lang", "en", "--plan", ".", "check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("plan.toml: error: plan.toml not found"),
        "{err}"
    );
    assert!(
        err.contains("agencies.toml: error: agencies.toml not found"),
        "{err}"
    );
}

#[test]
fn a_stale_lock_file_never_blocks() {
    let tmp = base();
    // Left by a writer killed long ago: the OS lock died with it.
    std::fs::write(tmp.path().join(".kehoach.lock"), "pid 999999").unwrap();
    let o = run_in(
        tmp.path(),
        &["record", "1.2", "--status", "done", "--date", "2023-06-30"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Makes `dir` and mounts a 16 KiB tmpfs on it (unmounted by the test),
/// or skips `test` where that needs a root this run does not have.
#[cfg(target_os = "linux")]
fn small_disk(dir: &std::path::Path, test: &str) -> bool {
    std::fs::create_dir_all(dir).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=16k", "tmpfs"])
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        skip(test, "cannot mount a small tmpfs here (needs root)");
    }
    mounted
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_leaves_the_file_intact() {
    let tmp = base();
    let progress = tmp.path().join("progress/B");
    if !small_disk(&progress, "a_full_disk_leaves_the_file_intact") {
        return;
    }
    let file = progress.join("2023.toml");
    let original =
        "# nhật ký\n[[update]]\ntask = \"1.2\"\ndate = 2023-05-01\nstatus = \"in_progress\"\n";
    std::fs::write(&file, original).unwrap();
    // Fill the disk.
    let _ = std::fs::write(progress.join("filler"), vec![b'x'; 64 * 1024]);
    let note = "x".repeat(8 * 1024);
    let o = run_in(
        tmp.path(),
        &[
            "--lang",
            "en",
            "record",
            "1.2",
            "--status",
            "done",
            "--date",
            "2023-06-30",
            "--note",
            &note,
        ],
    );
    let after = std::fs::read_to_string(&file);
    let leftovers: Vec<String> = std::fs::read_dir(&progress)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    let _ = std::process::Command::new("umount").arg(&progress).status();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("disk full") || stderr(&o).contains("cannot write"),
        "{}",
        stderr(&o)
    );
    assert_eq!(after.unwrap(), original, "the original changed");
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn an_export_that_fills_the_disk_leaves_the_old_file() {
    // Lists and pages go straight into the new file as they are made; a
    // disk that fills meanwhile is named as such, the old file stays, no
    // temporary file is left.
    let tmp = base();
    let out = tmp.path().join("out");
    if !small_disk(&out, "an_export_that_fills_the_disk_leaves_the_old_file") {
        return;
    }
    let file = out.join("list.csv");
    std::fs::write(&file, "last week's list\n").unwrap();
    let _ = std::fs::write(out.join("filler"), vec![b'x'; 64 * 1024]);
    let runs: Vec<_> = [
        &["tasks", "--format", "csv"][..],
        &["tasks", "--format", "json"],
        &["report", "--year", "all", "--format", "html"],
    ]
    .iter()
    .map(|args| {
        let mut all = vec!["--lang", "en"];
        all.extend_from_slice(args);
        all.extend(["--as-of", "2023-12-31", "--output", "out/list.csv"]);
        run_in(tmp.path(), &all)
    })
    .collect();
    let after = std::fs::read_to_string(&file);
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    let _ = std::process::Command::new("umount").arg(&out).status();
    for o in runs {
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("cannot write") && stderr(&o).contains("list.csv"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(after.unwrap(), "last week's list\n", "the old file changed");
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn deadlines_centuries_apart_are_listed_as_any_other() {
    // A one-off deadline typed centuries off is a warning, not an error:
    // the listings still show it, and a table by day from year 1000 to
    // 9999 (millions of days) is not made to do so.
    let tmp = base();
    let tasks = tmp.path().join("tasks.toml");
    let mut text = std::fs::read_to_string(&tasks).unwrap();
    text.push_str(concat!(
        "\n[[task]]\nid = \"9.1\"\ngroup = \"1\"\ntitle = \"Far past\"\n",
        "lead = \"A\"\ndue = 1000-01-02\n",
        "\n[[task]]\nid = \"9.2\"\ngroup = \"1\"\ntitle = \"Far future\"\n",
        "lead = \"A\"\ndue = 9999-12-30\n",
    ));
    std::fs::write(&tasks, text).unwrap();
    let due = run_in(
        tmp.path(),
        &["--lang", "en", "due", "--as-of", "2024-01-01"],
    );
    assert_eq!(due.status.code(), Some(0), "{}", stderr(&due));
    let out = stdout(&due);
    assert!(out.contains("02/01/1000"), "{out}");
    assert!(out.contains("374,007 days late"), "{out}");
    let listed = run_in(
        tmp.path(),
        &["--lang", "en", "tasks", "--as-of", "2024-01-01"],
    );
    assert_eq!(listed.status.code(), Some(0), "{}", stderr(&listed));
    let out = stdout(&listed);
    assert!(
        out.contains("02/01/1000") && out.contains("30/12/9999"),
        "{out}"
    );
}
