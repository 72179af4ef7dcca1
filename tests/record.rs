//! `kehoach record`: refusals leave every file unchanged, what is written
//! loads back exactly, concurrent and killed writers lose nothing, clones
//! merge through the merge driver.

mod common;
use common::*;
use kehoach::model::Status;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A fresh copy of the small valid plan of the error catalogue, as `plan/`
/// in a temporary directory (which is what `path()` below means).
struct PlanCopy {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl PlanCopy {
    fn path(&self) -> &Path {
        &self.dir
    }
}

fn plan() -> PlanCopy {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("plan");
    copy_dir(&root().join("tests/errors/_base"), &dir);
    PlanCopy { _tmp: tmp, dir }
}

/// `kehoach --plan plan record ARGS` beside the plan, so messages name
/// `plan/…`.
fn record(dir: &Path, args: &[&str]) -> std::process::Output {
    record_command(dir, args).output().expect("run kehoach")
}

/// The command `record` runs, to start without waiting for it.
fn record_command(dir: &Path, args: &[&str]) -> Command {
    let mut command = bin();
    command
        .current_dir(dir.parent().unwrap())
        .args(["--plan", "plan", "record"])
        .args(args);
    command
}

/// Every file under `dir` with its bytes.
fn snapshot_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if !p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".kehoach")
            {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    walk(dir, &mut out);
    out
}

/// Every update on record with its free text, in load order.
fn updates_in(dir: &Path) -> Vec<(kehoach::model::Update, kehoach::model::UpdateText)> {
    let checked = kehoach::validate::load_plan(dir, "plan", &kehoach::cache::Cache::Off);
    assert_eq!(checked.errors(), 0, "{:?}", checked.problems);
    let plan = checked.plan.unwrap();
    (0..plan.updates.len() as u32)
        .map(|i| {
            let t = plan.text(i);
            let text = kehoach::model::UpdateText {
                by: t.by().map(String::from),
                evidence: t.evidence().map(String::from),
                note: t.note().map(String::from),
                decision: t.decision().map(String::from),
            };
            (plan.update(i).clone(), text)
        })
        .collect()
}

#[test]
fn refused_updates_leave_every_file_unchanged() {
    let tmp = plan();
    // Updates on record: 1.1/2024 extended to 31/01/2025, then 1.3 (a group
    // task) for member C, and 1.4 (ongoing).
    let setup: [&[&str]; 1] = [&[
        "1.1",
        "--period",
        "2024",
        "--status",
        "in_progress",
        "--date",
        "2024-12-01",
        "--new-due",
        "2025-01-31",
        "--decision",
        "CV 1",
    ]];
    for args in setup {
        let o = record(tmp.path(), args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    let before = snapshot_files(tmp.path());
    // (arguments, exit status): 2 for what the command line alone rejects,
    // 1 for what the plan rules refuse.
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["9.9", "--status", "done", "--date", "2024-01-01"], 1),
        (
            vec![
                "1.1",
                "--period",
                "2030",
                "--status",
                "done",
                "--date",
                "2024-01-01",
            ],
            1,
        ),
        (
            vec![
                "1.1",
                "--period",
                "2023-Q1",
                "--status",
                "done",
                "--date",
                "2024-01-01",
            ],
            1,
        ),
        (
            vec![
                "1.1",
                "--period",
                "2023",
                "--status",
                "done",
                "--percent",
                "80",
                "--date",
                "2024-01-01",
            ],
            1,
        ),
        (
            vec![
                "1.1",
                "--period",
                "2023",
                "--status",
                "done",
                "--date",
                "2022-12-31",
            ],
            1,
        ),
        (
            vec![
                "1.1",
                "--period",
                "2023",
                "--status",
                "done",
                "--date",
                "2999-01-01",
            ],
            1,
        ),
        (
            vec![
                "1.1",
                "--period",
                "2023",
                "--status",
                "finished",
                "--date",
                "2024-01-01",
            ],
            2,
        ),
        (
            vec![
                "1.1",
                "--period",
                "2023",
                "--status",
                "done",
                "--percent",
                "101",
            ],
            2,
        ),
        (
            vec![
                "1.1", "--period", "2023", "--status", "done", "--date", "01/06/24",
            ],
            2,
        ),
        // An extension needs its decision, and must move the deadline later
        // than the one in force (15/12/2023 here; 31/01/2025 for 2024).
        (
            vec![
                "1.1",
                "--period",
                "2023",
                "--status",
                "done",
                "--new-due",
                "2024-02-01",
                "--date",
                "2023-12-01",
            ],
            1,
        ),
        (
            vec![
                "1.1",
                "--period",
                "2023",
                "--status",
                "in_progress",
                "--new-due",
                "2023-12-01",
                "--decision",
                "CV 2",
                "--date",
                "2023-11-01",
            ],
            1,
        ),
        (
            vec![
                "1.1",
                "--period",
                "2023",
                "--status",
                "in_progress",
                "--new-due",
                "2023-12-15",
                "--decision",
                "CV 2",
                "--date",
                "2023-11-01",
            ],
            1,
        ),
        (
            vec![
                "1.1",
                "--period",
                "2024",
                "--status",
                "in_progress",
                "--new-due",
                "2025-01-15",
                "--decision",
                "CV 3",
                "--date",
                "2024-12-20",
            ],
            1,
        ),
        // An earlier extension must not undercut a later one on record.
        (
            vec![
                "1.1",
                "--period",
                "2024",
                "--status",
                "in_progress",
                "--new-due",
                "2025-03-01",
                "--decision",
                "CV 4",
                "--date",
                "2024-11-01",
            ],
            1,
        ),
        // A stop needs its decision: an agency cannot cancel its own task.
        (
            vec!["1.2", "--status", "cancelled", "--date", "2023-06-01"],
            1,
        ),
        (
            vec![
                "1.1",
                "--period",
                "2023",
                "--status",
                "cancelled",
                "--date",
                "2023-11-01",
            ],
            1,
        ),
        // A blank decision names no document.
        (
            vec![
                "1.1",
                "--period",
                "2023",
                "--status",
                "cancelled",
                "--decision",
                "  ",
                "--date",
                "2023-11-01",
            ],
            1,
        ),
        // Group tasks name their member; other tasks do not.
        (
            vec![
                "1.3",
                "--period",
                "2023",
                "--status",
                "done",
                "--date",
                "2023-11-01",
            ],
            1,
        ),
        (
            vec![
                "1.3",
                "--period",
                "2023",
                "--agency",
                "A",
                "--status",
                "done",
                "--date",
                "2023-11-01",
            ],
            1,
        ),
        (
            vec![
                "1.1",
                "--period",
                "2023",
                "--agency",
                "A",
                "--status",
                "done",
                "--date",
                "2023-11-01",
            ],
            1,
        ),
        // An ongoing task has no deadline to extend.
        (
            vec![
                "1.4",
                "--period",
                "2023",
                "--status",
                "in_progress",
                "--new-due",
                "2024-01-31",
                "--decision",
                "CV",
                "--date",
                "2023-11-01",
            ],
            1,
        ),
        (
            vec![
                "1.1",
                "--period",
                "2023",
                "--status",
                "done",
                "--date",
                "2023-12-01",
                "--commit",
            ],
            1,
        ),
    ];
    for (args, code) in cases {
        let o = record(tmp.path(), &args);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty(), "{args:?}: no message");
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
        if code == 1 {
            assert!(
                stderr(&o).contains("không ghi gì"),
                "{args:?}: {}",
                stderr(&o)
            );
        }
        assert_eq!(
            snapshot_files(tmp.path()),
            before,
            "{args:?} changed a file"
        );
    }
    // The same refusals in English.
    let o = run_in(
        tmp.path(),
        &[
            "--lang",
            "en",
            "record",
            "1.2",
            "--status",
            "cancelled",
            "--date",
            "2023-06-01",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("kehoach: error: \"cancelled\" without \"decision\""),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).ends_with("; nothing was written\n"),
        "{}",
        stderr(&o)
    );
    // With their decisions they are accepted; a late-recorded extension
    // gets a warning.
    for args in [
        &[
            "1.2",
            "--status",
            "cancelled",
            "--decision",
            "QĐ 9",
            "--date",
            "2023-06-01",
        ][..],
        &[
            "1.3",
            "--period",
            "2023",
            "--agency",
            "c",
            "--status",
            "done",
            "--date",
            "2023-11-01",
        ],
        &["1.4", "--status", "in_progress", "--date", "2023-11-01"],
    ] {
        let o = record(tmp.path(), args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    let o = record(
        tmp.path(),
        &[
            "1.1",
            "--period",
            "2023",
            "--status",
            "in_progress",
            "--new-due",
            "2023-12-31",
            "--decision",
            "CV 5",
            "--date",
            "2023-12-31",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let o = record(
        tmp.path(),
        &[
            "1.1",
            "--period",
            "2023",
            "--status",
            "in_progress",
            "--new-due",
            "2024-01-05",
            "--decision",
            "CV 6",
            "--date",
            "2024-01-10",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "cảnh báo: gia hạn được ghi ngày 10/01/2024, sau chính thời hạn mới (05/01/2024)"
        ),
        "{}",
        stderr(&o)
    );
    let text = std::fs::read_to_string(tmp.path().join("progress/C/2023.toml")).unwrap();
    assert!(text.contains("agency = \"C\""), "{text}");
    // A target file that is itself broken is never appended to.
    let broken = tmp.path().join("progress/A/2024.toml");
    std::fs::write(&broken, "[[update]\n").unwrap();
    let o = record(
        tmp.path(),
        &[
            "1.1",
            "--period",
            "2024",
            "--status",
            "done",
            "--date",
            "2024-12-01",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(&broken).unwrap(), b"[[update]\n");
}

#[test]
fn appends_keep_the_file_byte_for_byte() {
    let tmp = plan();
    let file = tmp.path().join("progress/A/2024.toml");
    let original = "# Sở A — ghi chép tay, không được mất\r\n[[update]]\r\ntask = \"1.1\"\r\nperiod = \"2024\"\r\ndate = 2024-03-01\r\nstatus = \"in_progress\"   # trailing comment";
    std::fs::write(&file, original).unwrap();
    let o = record(
        tmp.path(),
        &[
            "1.1",
            "--period",
            "2024",
            "--status",
            "done",
            "--date",
            "2024-12-01",
            "--evidence",
            "BC 1",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with(original), "{text}");
    assert!(
        text.contains("\r\n[[update]]\r\ntask = \"1.1\""),
        "CRLF kept: {text:?}"
    );
    let out = stdout(&o);
    assert!(out.contains("progress/A/2024.toml"), "{out}");
    assert!(out.ends_with("1.1 / 2024: hoàn thành đúng hạn\n"), "{out}");
    assert!(
        out.starts_with(
            "Đã ghi vào plan/progress/A/2024.toml: 1.1 / 2024: đã hoàn thành, ngày 01/12/2024"
        ),
        "{out}"
    );
    let u = updates_in(tmp.path());
    assert_eq!(u.last().unwrap().1.evidence.as_deref(), Some("BC 1"));
}

#[test]
fn defaults_pick_the_occurrence_and_today() {
    let tmp = plan();
    // One-off task: its only occurrence.
    let o = record(
        tmp.path(),
        &["1.2", "--status", "done", "--date", "30/06/2023"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1.2 / 2023: hoàn thành đúng hạn"));
    // Recurring task: the occurrence whose period holds the date; `in-progress` spelling.
    let o = record(
        tmp.path(),
        &["1.1", "--status", "in-progress", "--date", "2024-05-05"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1.1 / 2024"));
    // No --date: today, which is after the plan's period here → no occurrence.
    let o = record(tmp.path(), &["1.1", "--status", "done"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--period"), "{}", stderr(&o));
    let o = record(tmp.path(), &["1.1", "--period", "2024", "--status", "done"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let today = chrono::Local::now().date_naive();
    assert!(updates_in(tmp.path()).iter().any(|(u, _)| u.date == today));
}

/// A task id pasted with spaces around it names the task; the file gets
/// the plan's own id.
#[test]
fn a_pasted_task_id_with_spaces_names_the_task() {
    let tmp = plan();
    let o = record(
        tmp.path(),
        &[" 1.2 ", "--status", "done", "--date", "30/06/2023"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(tmp.path().join("progress/B/2023.toml")).unwrap();
    assert!(
        written
            .ends_with("task = \"1.2\"\nperiod = \"2023\"\ndate = 2023-06-30\nstatus = \"done\"\n"),
        "{written}"
    );
}

/// `--status` takes the agency form's words as `import` does — Vietnamese
/// or English, any case, diacritics optional — and writes the machine word;
/// anything else is a usage error that names the words, nothing written.
#[test]
fn the_status_in_the_forms_words() {
    let tmp = plan();
    for (day, (word, status)) in [
        ("Đang thực hiện", Status::InProgress),
        ("dang thuc hien", Status::InProgress),
        ("ĐÃ HOÀN THÀNH", Status::Done),
        ("Not started", Status::NotStarted),
        ("IN-PROGRESS", Status::InProgress),
    ]
    .into_iter()
    .enumerate()
    {
        // Each on a day of its own: the same update twice is recorded once.
        let date = format!("2024-05-{:02}", day + 5);
        let o = record(
            tmp.path(),
            &["1.1", "--period", "2024", "--status", word, "--date", &date],
        );
        assert!(o.status.success(), "{word}: {}", stderr(&o));
        assert_eq!(
            updates_in(tmp.path()).last().map(|(u, _)| u.status),
            Some(status),
            "{word}"
        );
    }
    let text = std::fs::read_to_string(tmp.path().join("progress/A/2024.toml")).unwrap();
    assert!(
        !text.contains("thực hiện") && text.contains("status = \"in_progress\""),
        "{text}"
    );
    let before = snapshot_files(tmp.path());
    let o = record(
        tmp.path(),
        &[
            "1.1",
            "--period",
            "2024",
            "--status",
            "xong",
            "--date",
            "2024-05-05",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("\"xong\" không phải là một trạng thái")
            && stderr(&o).contains("Đang thực hiện"),
        "{}",
        stderr(&o)
    );
    assert_eq!(snapshot_files(tmp.path()), before);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn what_is_recorded_loads_back_exactly(
        by in any::<String>(),
        evidence in "(\"|'|\\\\|\n|\r\n|\"\"\"|'''|[a-zđươăâêô ]|Tuyên truyền|#|=|\\[\\[update\\]\\]){0,12}",
        note in any::<String>(),
        // A decision names a document: never blank (a blank one is refused).
        decision in "(\"\"\"|\\\\u00e9|\t|[0-9]|/|Công văn){0,8}[0-9]",
    ) {
        // The command line cannot carry NUL; everything else must survive.
        prop_assume!(!by.contains('\0') && !note.contains('\0'));
        let tmp = plan();
        let o = record(tmp.path(), &[
            "1.1", "--period", "2024", "--status", "in_progress", "--date", "2024-02-02",
            "--by", &by, "--evidence", &evidence, "--note", &note,
            "--new-due", "2025-01-31", "--decision", &decision,
        ]);
        prop_assert!(o.status.success(), "{}", stderr(&o));
        let u = updates_in(tmp.path());
        let (last, text) = u.last().unwrap();
        prop_assert_eq!(last.status, Status::InProgress);
        // A blank one is not written, as an empty form cell.
        let given = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
        prop_assert_eq!(text.by.clone(), given(&by));
        prop_assert_eq!(text.evidence.clone(), given(&evidence));
        prop_assert_eq!(text.note.clone(), given(&note));
        prop_assert_eq!(text.decision.as_deref(), Some(decision.as_str()));
        prop_assert_eq!(last.new_due, chrono::NaiveDate::from_ymd_opt(2025, 1, 31));
    }
}

/// `processes` writers, each recording `each` updates in turn, all into
/// progress/A/2024.toml.
fn hammer(dir: &Path, processes: usize, each: usize) {
    let file = dir.join("progress/A/2024.toml");
    std::fs::write(&file, "# nhật ký Sở A — phải còn nguyên\n").unwrap();
    std::thread::scope(|s| {
        for p in 0..processes {
            s.spawn(move || {
                for i in 0..each {
                    let note = format!("p{p} i{i}");
                    let o = record(
                        dir,
                        &[
                            "1.1",
                            "--period",
                            "2024",
                            "--status",
                            "in_progress",
                            "--date",
                            "2024-03-03",
                            "--note",
                            &note,
                        ],
                    );
                    assert!(o.status.success(), "{note}: {}", stderr(&o));
                }
            });
        }
    });
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("# nhật ký Sở A — phải còn nguyên\n"));
    let notes: std::collections::BTreeSet<String> = updates_in(dir)
        .iter()
        .filter_map(|(_, t)| t.note.as_deref().map(String::from))
        .collect();
    assert_eq!(notes.len(), processes * each, "lost updates");
    for p in 0..processes {
        for i in 0..each {
            assert!(notes.contains(&format!("p{p} i{i}")));
        }
    }
}

#[test]
fn sixteen_writers_times_ten_lose_nothing() {
    let tmp = plan();
    hammer(tmp.path(), 16, 10);
}

#[test]
fn sixty_four_concurrent_writers_lose_nothing() {
    let tmp = plan();
    hammer(tmp.path(), 64, 1);
}

#[test]
fn killed_writers_leave_old_or_new_content() {
    let tmp = plan();
    let file = tmp.path().join("progress/A/2024.toml");
    std::fs::write(&file, "# đầu tệp\n").unwrap();
    let mut previous = std::fs::read(&file).unwrap();
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for round in 0..60 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut child = bin()
            .current_dir(tmp.path())
            .args([
                "record",
                "1.1",
                "--period",
                "2024",
                "--status",
                "in_progress",
                "--date",
                "2024-04-04",
                "--note",
            ])
            .arg(format!("round {round}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(seed % 4000));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = std::fs::read(&file).unwrap();
        assert!(
            now.starts_with(&previous),
            "round {round}: old content changed"
        );
        let grew = now.len() - previous.len();
        assert!(
            grew == 0
                || String::from_utf8_lossy(&now[previous.len()..])
                    .contains(&format!("round {round}"))
        );
        updates_in(tmp.path());
        previous = now;
    }
    // No temporary file is left behind where the loader would read it.
    for e in std::fs::read_dir(tmp.path().join("progress/A")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name.ends_with(".toml") || name.starts_with(".kehoach-"),
            "{name}"
        );
    }
}

#[test]
fn unwritable_plan_directory_gives_a_clear_error() {
    let tmp = plan();
    let before = snapshot_files(tmp.path());
    // Root writes through permission bits, so block the way with a file
    // where the agency's directory should be.
    std::fs::write(tmp.path().join("progress/B"), "not a directory").unwrap();
    let o = record(
        tmp.path(),
        &["1.2", "--status", "done", "--date", "2023-06-30"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("progress/B"), "{}", stderr(&o));
    std::fs::remove_file(tmp.path().join("progress/B")).unwrap();
    assert_eq!(snapshot_files(tmp.path()), before);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = tmp.path().join("progress/A");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        let probe = std::fs::write(dir.join("probe"), "x").is_ok();
        if !probe {
            let o = record(
                tmp.path(),
                &[
                    "1.1",
                    "--period",
                    "2023",
                    "--status",
                    "done",
                    "--date",
                    "2023-12-01",
                ],
            );
            assert_eq!(o.status.code(), Some(1));
            assert!(stderr(&o).contains("progress/A"), "{}", stderr(&o));
            assert_eq!(snapshot_files(tmp.path()), before);
        }
        let _ = std::fs::remove_file(dir.join("probe"));
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Chuyên viên")
        .env("GIT_AUTHOR_EMAIL", "cv@example.org")
        .env("GIT_COMMITTER_NAME", "Chuyên viên")
        .env("GIT_COMMITTER_EMAIL", "cv@example.org")
        .output()
        .expect("git");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn record_git(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut full = vec!["record"];
    full.extend_from_slice(args);
    bin()
        .current_dir(dir)
        .args(&full)
        .env("GIT_AUTHOR_NAME", "Chuyên viên")
        .env("GIT_AUTHOR_EMAIL", "cv@example.org")
        .env("GIT_COMMITTER_NAME", "Chuyên viên")
        .env("GIT_COMMITTER_EMAIL", "cv@example.org")
        .output()
        .unwrap()
}

#[test]
fn two_clones_merge_through_the_driver() {
    let tmp = tempfile::tempdir().unwrap();
    let origin = tmp.path().join("origin");
    copy_dir(&root().join("tests/errors/_base"), &origin);
    std::fs::write(origin.join(".gitattributes"), "progress/** merge=kehoach\n").unwrap();
    git(&origin, &["init", "-q", "-b", "main"]);
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "-q", "-m", "plan"]);
    git(
        &origin,
        &["config", "receive.denyCurrentBranch", "updateInstead"],
    );
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let c = tmp.path().join("c");
    git(tmp.path(), &["clone", "-q", "origin", "a"]);
    git(tmp.path(), &["clone", "-q", "origin", "b"]);
    git(tmp.path(), &["clone", "-q", "origin", "c"]);
    for clone in [&a, &b] {
        let o = bin().current_dir(clone).arg("git-setup").output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = record_git(
        &a,
        &[
            "1.1",
            "--period",
            "2024",
            "--status",
            "done",
            "--date",
            "2024-12-01",
            "--by",
            "Văn phòng A",
            "--commit",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(git(&a, &["log", "-1", "--format=%s"]).contains("1.1 2024 done (by Văn phòng A)"));
    let o = record_git(
        &b,
        &[
            "1.1",
            "--period",
            "2024",
            "--status",
            "in_progress",
            "--date",
            "2024-06-01",
            "--note",
            "Văn phòng B\nhai dòng",
            "--commit",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    git(&a, &["push", "-q", "origin", "main"]);
    git(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
    let u = updates_in(&b);
    assert!(
        u.iter()
            .any(|(_, t)| t.by.as_deref() == Some("Văn phòng A"))
    );
    assert!(
        u.iter()
            .any(|(_, t)| t.note.as_deref() == Some("Văn phòng B\nhai dòng"))
    );

    // Without the driver (clone c never ran git-setup) git reports a
    // conflict instead of merging silently.
    let o = record_git(
        &c,
        &[
            "1.1",
            "--period",
            "2024",
            "--status",
            "cancelled",
            "--decision",
            "QĐ 1",
            "--date",
            "2024-07-01",
            "--commit",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = Command::new("git")
        .current_dir(&c)
        .args([
            "-c",
            "user.name=x",
            "-c",
            "user.email=x@x",
            "pull",
            "-q",
            "--no-rebase",
            "origin",
            "main",
        ])
        .output()
        .unwrap();
    assert!(!o.status.success(), "merged without the driver");
    assert!(git(&c, &["status", "--short"]).contains("AA progress/A/2024.toml"));
}

/// The same report recorded twice — by two officers, from the shell's
/// history, or a web form sent twice — is on record once: the second
/// `record` says where it is and writes nothing (as `import` does with a
/// form returned twice). Who records it (`by`) does not make it another;
/// anything it says does.
#[test]
fn the_same_update_is_not_recorded_twice() {
    let tmp = plan();
    let at_first = updates_in(tmp.path()).len();
    let args = [
        "1.1",
        "--period",
        "2024",
        "--status",
        "done",
        "--date",
        "2024-12-01",
        "--evidence",
        "Báo cáo số 12/BC-A",
    ];
    let o = record(tmp.path(), &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot_files(tmp.path());
    let mut again = args.to_vec();
    again.extend(["--by", "Phòng khác"]);
    let o = record(tmp.path(), &again);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("Đã có trong plan/progress/A/2024.toml: 1.1 / 2024: đã hoàn thành, ngày 01/12/2024 (cập nhật giống hệt đã có, không ghi lại)"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        snapshot_files(tmp.path()),
        before,
        "a second copy was written"
    );
    // Another date, or other evidence, is another update.
    let mut later = args.to_vec();
    later[6] = "2024-12-02";
    assert!(record(tmp.path(), &later).status.success());
    let mut other = args.to_vec();
    other[8] = "Báo cáo số 13/BC-A";
    assert!(record(tmp.path(), &other).status.success());
    assert_eq!(updates_in(tmp.path()).len(), at_first + 3);
}

/// Two officers recording the same report at the same moment: the second
/// waits for the first's write before it reads the plan, finds the update
/// on record, and writes nothing; a writer kept waiting says so. Both writers start while the test holds
/// the plan's lock, so both are waiting when it is let go: had they read
/// the plan before waiting, both would find nothing on record and both
/// append.
#[test]
fn the_same_update_recorded_at_once_is_written_once() {
    let tmp = plan();
    let at_first = updates_in(tmp.path()).len();
    let lock = kehoach::write::lock_plan(tmp.path(), std::time::Duration::from_secs(5)).unwrap();
    let writers: Vec<std::process::Child> = (0..3)
        .map(|_| {
            record_command(
                tmp.path(),
                &[
                    "1.1",
                    "--period",
                    "2024",
                    "--status",
                    "done",
                    "--date",
                    "2024-12-01",
                ],
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    // Long enough for each writer to reach the lock (a few milliseconds)
    // and, after a second of waiting, to say so.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    drop(lock);
    let outputs: Vec<std::process::Output> = writers
        .into_iter()
        .map(|w| w.wait_with_output().unwrap())
        .collect();
    let waiting = format!(
        "kehoach: đang chờ một kehoach khác (pid {}) ghi xong…\n",
        std::process::id()
    );
    for o in &outputs {
        assert!(o.status.success(), "{}", stderr(o));
        assert!(stderr(o).starts_with(&waiting), "{}", stderr(o));
        assert_eq!(stderr(o).matches("đang chờ").count(), 1);
    }
    let said = |start: &str| {
        outputs
            .iter()
            .filter(|o| stdout(o).starts_with(start))
            .count()
    };
    assert_eq!(said("Đã ghi vào plan/progress/A/2024.toml"), 1);
    assert_eq!(said("Đã có trong plan/progress/A/2024.toml"), 2);
    assert_eq!(updates_in(tmp.path()).len(), at_first + 1);
    // The last writer, which read who held the lock while it waited,
    // still names itself in the lock file, and nothing else.
    let holder = std::fs::read_to_string(tmp.path().join(".kehoach.lock")).unwrap();
    assert!(
        holder
            .strip_prefix("pid ")
            .is_some_and(|n| n.parse::<u32>().is_ok()),
        "{holder:?}"
    );
}
