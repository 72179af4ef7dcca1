//! init, plans, agencies, completions, man page, colour, git-setup.

mod common;
use common::*;

#[test]
fn init_makes_a_plan_that_passes_check() {
    let t = Test::empty();
    let r = t
        .with(&[
            "init",
            "plans/moi",
            "--id",
            "99/KH-UBND",
            "--title",
            "Kế hoạch \"mới\" \\ thử",
            "--from",
            "2026",
            "--to",
            "2030",
            "--issued",
            "05/01/2026",
        ])
        .ok();
    for f in [
        "plan.toml",
        "agencies.toml",
        "tasks.toml",
        "indicators.toml",
        ".gitattributes",
        ".gitignore",
        "progress/README.md",
    ] {
        assert!(r.test.cwd().join("plans/moi").join(f).exists(), "{f}");
    }
    let r = r
        .then(&["check"])
        .ok()
        .stdout_is(
            "99/KH-UBND: 1 nhóm, 0 nhiệm vụ, 0 kỳ thực hiện, 1 cơ quan, 0 cập nhật — hợp lệ\n",
        )
        .stderr_is("");
    // The commented examples work once uncommented: a yearly task, a task
    // led by a group of two members, an ongoing task.
    for file in ["tasks.toml", "agencies.toml"] {
        let path = r.test.cwd().join("plans/moi").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let example: String = text
            .lines()
            .skip_while(|l| !l.starts_with("# [["))
            .map(|l| l.strip_prefix("# ").unwrap_or(l))
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&path, format!("{text}\n{example}\n")).unwrap();
    }
    let r = r.then(&["check"]).ok();
    // 5 yearly + 2 members × 5 + 5 ongoing.
    assert!(
        r.stdout().contains("3 nhiệm vụ, 20 kỳ thực hiện"),
        "{}",
        r.stdout()
    );
    // Refuses a directory that is not empty; --issued is required; years
    // are four digits.
    let r = r
        .then(&["init", "plans/moi", "--issued", "2026-01-05"])
        .code(1)
        .stderr_has("không trống");
    let r = r
        .then(&["init", "plans/khac"])
        .code(2)
        .stderr_has("--issued");
    r.then(&[
        "init",
        "plans/khac",
        "--issued",
        "2026-01-05",
        "--from",
        "2147483647",
    ])
    .code(2)
    .stderr_has("1900-2999")
    .unchanged();
}

#[test]
fn init_based_on_an_earlier_plan_starts_the_next_period() {
    let t = Test::empty();
    copy_dir(
        &root().join("plans/6418-KH-UBND"),
        &t.cwd().join("plans/6418"),
    );
    // Progress of the old plan, which must not be copied.
    let t = t
        .with(&[
            "--plan",
            "plans/6418",
            "record",
            "1.1",
            "--period",
            "2024",
            "--status",
            "done",
            "--date",
            "2024-12-10",
        ])
        .ok()
        .test;
    let old = files(&t.cwd().join("plans/6418"));
    let r = t
        .with(&[
            "init",
            "plans/120",
            "--issued",
            "15/01/2026",
            "--id",
            "120/KH-UBND",
            "--based-on",
            "6418/KH-UBND",
        ])
        .ok()
        .stdout_has("12 cơ quan còn hoạt động ngày 15/01/2026")
        .stdout_has("SCT→SCT-HCM")
        // Chains are followed to the agency of the day.
        .stdout_has("STTTT→SKHCN-HCM")
        .stdout_has("16 nhiệm vụ, giai đoạn 2026-2030")
        .stdout_has("1.4, 4.1, 4.2");
    let dir = r.test.cwd().join("plans/120");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    assert_eq!(
        old,
        files(&r.test.cwd().join("plans/6418")),
        "old plan changed"
    );
    // Valid at once, with no progress.
    let r = r
        .then(&["--plan", "plans/120", "check"])
        .ok()
        .stdout_is("120/KH-UBND: 5 nhóm, 16 nhiệm vụ, 110 kỳ thực hiện, 12 cơ quan, 0 cập nhật, 3 chỉ tiêu, 0 số liệu — hợp lệ\n");
    let progress: Vec<_> = std::fs::read_dir(dir.join("progress"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(progress, ["README.md"]);
    // The plan's title names the new period; a task's title is as written
    // ("review of 2021-2025, proposals for 2026-2030").
    let plan = read("plan.toml");
    assert!(plan.contains("giai đoạn 2026-2030\""), "{plan}");
    assert!(
        plan.contains("focal = [\"SCT-HCM\", \"HBVNTD-HCM\"]"),
        "{plan}"
    );
    let tasks = read("tasks.toml");
    assert!(
        tasks.contains("giai đoạn 2021-2025, đề xuất nhiệm vụ giai đoạn 2026-2030"),
        "{tasks}"
    );
    // Agencies that ceased are gone, everywhere; what they were is said.
    let agencies = read("agencies.toml");
    for text in [&agencies, &tasks, &read("indicators.toml")] {
        assert!(!text.contains("\ncode = \"SCT\"\n"), "{text}");
        assert!(!text.contains("\nlead = \"SCT\"\n"), "{text}");
    }
    assert!(
        tasks.contains("# kế hoạch trước / previous plan: lead = \"STTTT\""),
        "{tasks}"
    );
    assert!(
        agencies.contains("members = [\"UBND-XA-HCM\"]"),
        "{agencies}"
    );
    // Bounds of the old period are gone: 2026–2030 whole.
    assert!(!tasks.contains("first_year"), "{tasks}");
    // Indicators keep no target of the old period.
    let r = r
        .then(&[
            "--plan",
            "plans/120",
            "indicators",
            "--as-of",
            "2026-12-31",
            "--format",
            "json",
        ])
        .ok();
    let json = r.json();
    let rows = json["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|row| row["state"] == "no_target"), "{json}");
    // The one-off tasks work once given a deadline in the new period and
    // uncommented.
    let uncommented: String = tasks
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            // TOML lines only: a table header or `key = value`.
            Some(rest)
                if rest.starts_with("[[")
                    || rest.split_once(" = ").is_some_and(|(k, _)| {
                        k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    }) =>
            {
                rest
            }
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
        .replace("due = 2025-12-15", "due = 2030-12-15")
        .replace("due = 2022-", "due = 2027-");
    std::fs::write(dir.join("tasks.toml"), uncommented).unwrap();
    let r = r
        .then(&["--plan", "plans/120", "check"])
        .ok()
        .stdout_has("19 nhiệm vụ, 113 kỳ thực hiện");
    // Refused: inside the old plan's progress/ or tasks/ (whose files the
    // new plan's would become), an invalid old plan, a directory in use.
    let r = r
        .then(&[
            "init",
            "plans/6418/progress/moi",
            "--issued",
            "15/01/2026",
            "--based-on",
            "plans/6418",
        ])
        .code(1)
        .stderr_has("progress/")
        .unchanged();
    let r = r
        .then(&[
            "init",
            "plans/120",
            "--issued",
            "15/01/2026",
            "--based-on",
            "plans/6418",
        ])
        .code(1)
        .stderr_has("không trống")
        .unchanged();
    let broken = r.test.cwd().join("plans/6418/tasks.toml");
    let text = std::fs::read_to_string(&broken).unwrap();
    std::fs::write(
        &broken,
        text.replacen("lead = \"SCT\"", "lead = \"KHONG-CO\"", 1),
    )
    .unwrap();
    r.then(&[
        "--lang",
        "en",
        "init",
        "plans/moi",
        "--issued",
        "15/01/2026",
        "--based-on",
        "plans/6418",
    ])
    .code(1)
    .stderr_has("KHONG-CO")
    .unchanged();
}

#[test]
fn plans_lists_every_plan() {
    let t = Test::empty();
    copy_dir(
        &root().join("plans/6418-KH-UBND"),
        &t.cwd().join("plans/6418"),
    );
    copy_dir(&root().join("examples/demo"), &t.cwd().join("plans/demo"));
    let cwd = t.cwd().to_path_buf();
    let r = t.with(&["plans", "--as-of", "2024-12-31"]).ok();
    let out = r.stdout();
    assert!(
        out.contains("6418/KH-UBND") && out.contains("DEMO-01/KH"),
        "{out}"
    );
    assert!(out.contains("2021-2025") && out.contains("2023-2025"));
    // Each plan's figures are its report's totals over every year: the
    // occurrences assigned, due, the rates, and those nobody has reported
    // on — so that the rates of a plan nobody reports on (6418, 0%) are
    // read beside "not reported", not as failures.
    assert!(
        out.contains("Tên kế hoạch") && out.contains("Chưa báo cáo"),
        "{out}"
    );
    for (dir, id) in [("plans/6418", "6418/KH-UBND"), ("plans/demo", "DEMO-01/KH")] {
        let args = format!("--plan {dir} report --year all --format json --as-of 2024-12-31");
        let report = run_in(&cwd, &args.split(' ').collect::<Vec<_>>());
        let json: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
        let sum = |key: &str| -> u64 {
            json["totals"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t[key].as_u64().unwrap())
                .sum()
        };
        let row: Vec<String> = out
            .lines()
            .find(|l| l.contains(id))
            .unwrap()
            .split(['│', '┆'])
            .map(|c| c.trim().to_string())
            .collect();
        // Empty, directory, id, title, period, tasks, assigned, due, two
        // rates, not reported, check.
        assert_eq!(row[6], sum("assigned").to_string(), "{id}: {row:?}");
        let due = sum("done_on_time") + sum("done_late") + sum("overdue");
        assert_eq!(row[7], due.to_string(), "{id}: {row:?}");
        assert_eq!(row[10], sum("not_reported").to_string(), "{id}: {row:?}");
    }
    // Several plans: other commands ask which, and accept a plan id.
    r.then(&["check"])
        .code(1)
        .then(&["--plan", "DEMO-01/KH", "check"])
        .ok();
}

#[test]
fn agencies_show_tasks_groups_and_successors() {
    let out = Test::demo().with(&["agencies"]).ok().stdout();
    // A listing of the plan's agencies, not a report.
    assert!(
        out.starts_with("CƠ QUAN THỰC HIỆN KẾ HOẠCH\nKế hoạch số DEMO-01/KH ngày 10/01/2023"),
        "{out}"
    );
    assert!(out.contains("hoạt động đến hết ngày 30/06/2024"), "{out}");
    assert!(
        out.contains("cơ quan tiếp nhận nhiệm vụ:")
            && out.contains("Sở Khoa học và Công nghệ (SKHCN)"),
        "{out}"
    );
    assert!(out.contains("3: 1.1, 1.3, 2.1"), "{out}");
    assert!(out.contains("Thành viên: TP1, TP2, TP3"), "{out}");
    assert!(out.contains("(thành viên của UBND-HUYEN)"), "{out}");
    // The successor says what it took over and from when: without it,
    // SKHCN reads as leading nothing while `due` lists STTTT's tasks
    // under it.
    let skhcn = out
        .lines()
        .skip_while(|l| !l.starts_with("│ SKHCN"))
        .take(2)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        skhcn.contains("tiếp nhận nhiệm vụ của STTTT") && skhcn.contains("từ ngày 01/07/2024"),
        "{out}"
    );
    let en = Test::demo()
        .with(&["--lang", "en", "agencies"])
        .ok()
        .stdout();
    assert!(
        en.contains("took over the tasks of STTTT") && en.contains("on 01/07/2024"),
        "{en}"
    );
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = Test::demo().with(&["completions", shell]).ok().stdout();
        assert!(script.len() > 1000, "{shell}");
        assert!(script.contains("report"), "{shell}");
        // Task ids and agency codes of the plan are offered where the
        // shell's completion takes values.
        if matches!(shell, "bash" | "zsh" | "fish") {
            assert!(script.contains("SKHCN"), "{shell}: no agency codes");
        }
        if matches!(shell, "bash" | "zsh") {
            assert!(script.contains("3.2"), "{shell}: no task ids");
        }
        // Every command that takes an agency completes the codes, the
        // form and `record --agency` too.
        if shell == "bash" {
            for command in ["due", "form", "indicators", "record", "report", "tasks"] {
                let at = format!("        kehoach__subcmd__{command})");
                let start = script.find(&at).unwrap_or_else(|| panic!("{at}"));
                let end = script[start + at.len()..]
                    .find("\n        kehoach__")
                    .map_or(script.len(), |e| start + at.len() + e);
                assert!(
                    script[start..end].contains("SKHCN"),
                    "{command}: no agency codes"
                );
            }
        }
    }
    // Outside any plan, the generic script.
    Test::empty().with(&["completions", "bash"]).ok();
}

#[test]
fn man_page() {
    let page = Test::in_repo(None).with(&["man"]).ok().stdout();
    assert!(
        page.starts_with(".ie") || page.contains(".TH kehoach"),
        "{}",
        &page[..200.min(page.len())]
    );
    let t = Test::empty();
    let dir = t.cwd().to_path_buf();
    let _run = t.with(&["man", "--output", "pages"]).ok();
    assert!(dir.join("pages/kehoach.1").exists());
    assert!(dir.join("pages/kehoach-report.1").exists());
}

#[test]
fn help_teaches() {
    let help = Test::in_repo(None).with(&["--help"]).ok().stdout();
    let order = [
        "init", "check", "due", "record", "measure", "tasks", "show", "report",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|c| {
            help.find(&format!("  {c} "))
                .unwrap_or_else(|| panic!("{c}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "commands not in the order of work"
    );
    for cmd in [
        "init",
        "check",
        "due",
        "record",
        "measure",
        "tasks",
        "show",
        "report",
        "indicators",
        "agencies",
        "plans",
        "completions",
        "man",
        "git-setup",
    ] {
        let out = Test::in_repo(None).with(&[cmd, "--help"]).ok().stdout();
        assert!(out.contains("Example"), "{cmd} --help has no example");
    }
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let t = Test::copy("tests/errors/_base").write(
        "progress/A/2023.toml",
        "[[update]]\ntask = \"1.1\"\nperiod = \"2023\"\ndate = 2023-05-01\nstatus = \"finished\"\n",
    );
    // Piped: plain.
    let r = t.with(&["check"]).code(1);
    assert!(!r.stderr().contains('\x1b'));
    // Forced.
    let r = r.then(&["--color", "always", "check"]).code(1);
    assert!(
        r.stderr().contains("\x1b[") && r.stderr().contains("lỗi"),
        "{}",
        r.stderr()
    );
    // On a terminal (a pseudo-terminal from `script`), with and without NO_COLOR.
    if !have("script", &["--version"]) {
        return skip(
            "colour on a terminal",
            "`script` (util-linux) is not installed",
        );
    }
    let cmd = format!("{} --plan plan check", env!("CARGO_BIN_EXE_kehoach"));
    let tty = |no_color: bool| {
        let mut c = std::process::Command::new("script");
        c.current_dir(r.test.cwd())
            .args(["-qec", &cmd, "/dev/null"])
            .env("KEHOACH_CACHE_DIR", cache_dir())
            .env_remove("NO_COLOR");
        if no_color {
            c.env("NO_COLOR", "1");
        }
        String::from_utf8_lossy(&c.output().unwrap().stdout).into_owned()
    };
    assert!(tty(false).contains("\x1b["), "no colour on a terminal");
    assert!(!tty(true).contains("\x1b["), "colour despite NO_COLOR");
}

fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let o = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn git_setup_writes_what_merging_needs_and_two_clones_merge() {
    if !have("git", &["--version"]) {
        return skip("git_setup", "git is not installed");
    }
    // A plan made by hand: no .gitattributes, no .gitignore.
    let t = Test::copy("tests/errors/_base");
    let origin = t.cwd().join("origin");
    std::fs::rename(t.dir(), &origin).unwrap();
    git(&origin, &["init", "-q", "-b", "main"]);
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "-qm", "plan"]);
    git(
        &origin,
        &["config", "receive.denyCurrentBranch", "updateInstead"],
    );
    let clone = |name: &str| {
        git(t.cwd(), &["clone", "-q", "origin", name]);
        let dir = t.cwd().join(name);
        let o = run_in(&dir, &["git-setup"]);
        assert!(o.status.success(), "{}", stderr(&o));
        (dir, stdout(&o))
    };
    let (a, out) = clone("a");
    assert!(
        out.contains(".gitattributes: + progress/** merge=kehoach"),
        "{out}"
    );
    assert!(
        out.contains(".gitignore: + .kehoach.lock, .kehoach-*.tmp"),
        "{out}"
    );
    git(&a, &["add", ".gitattributes", ".gitignore"]);
    git(&a, &["commit", "-qm", "git-setup"]);
    git(&a, &["push", "-q", "origin", "main"]);
    // Already set up: nothing more to add, and the lock file is ignored.
    let (b, out) = clone("b");
    assert!(out.contains(".gitattributes: ok"), "{out}");
    for (dir, date) in [(&a, "2023-05-01"), (&b, "2023-06-01")] {
        let o = run_in(
            dir,
            &[
                "record",
                "1.1",
                "--period",
                "2023",
                "--status",
                "in-progress",
                "--date",
                date,
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(!git(dir, &["status", "--porcelain"]).contains(".kehoach.lock"));
        git(dir, &["commit", "-qam", "record"]);
    }
    git(&a, &["push", "-q", "origin", "main"]);
    git(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
    let o = run_in(&b, &["--lang", "en", "check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("4 updates"), "{}", stdout(&o));
}

/// A list cut by `--limit` says how many there are, so that a short table
/// at a terminal never reads as the whole list; uncut, it reads as before.
#[test]
fn a_list_cut_by_limit_says_how_many_there_are() {
    let run = |args: &[&str]| Test::demo().with(args).ok().stdout();
    let as_of = ["--as-of", "2024-12-01"];
    let due = run(&[&["due", "--limit", "2"][..], &as_of].concat());
    assert!(
        due.ends_with("\nHiển thị 2 trên tổng số 15 kỳ thực hiện; thêm --all để xem tất cả\n"),
        "{due}"
    );
    let rows = due
        .lines()
        .filter(|l| {
            l.strip_prefix("│ ")
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        })
        .count();
    assert_eq!(rows, 2, "{due}");
    // Each agency it shows says what it has to act on in the whole list,
    // not how much of it fitted: its heading and counts as uncut.
    let whole = run(&[&["due"][..], &as_of].concat());
    let headings = |list: &str| -> Vec<String> {
        let lines: Vec<&str> = list.lines().collect();
        (1..lines.len().saturating_sub(2))
            .filter(|&i| lines[i - 1].is_empty() && lines[i + 2].starts_with('┌'))
            .map(|i| format!("{}\n{}", lines[i], lines[i + 1]))
            .collect()
    };
    let (cut, uncut) = (headings(&due), headings(&whole));
    assert_eq!(cut[..], uncut[..2], "{due}");
    // The second agency's table is cut to its first item.
    assert_eq!(
        cut[1],
        "Sở Y tế (SYT)\n1 quá hạn (1 chưa báo cáo), 1 sắp đến hạn"
    );
    let tasks = run(&[&["tasks", "--limit", "2", "--lang", "en"][..], &as_of].concat());
    assert!(
        tasks.ends_with("\nShowing 2 of 47 occurrences; add --all to see them all\n"),
        "{tasks}"
    );
    // Nothing shown: still not "nothing to show".
    let none = run(&[&["due", "--limit", "0"][..], &as_of].concat());
    assert!(none.contains("Hiển thị 0 trên tổng số 15") && !none.contains("Không có nhiệm vụ"));
    let none = run(&[&["tasks", "--limit", "0"][..], &as_of].concat());
    assert!(none.contains("Hiển thị 0 trên tổng số 47") && !none.contains("Không có nhiệm vụ"));
    // A limit the list does not reach changes nothing.
    for command in ["due", "tasks"] {
        assert_eq!(
            run(&[&[command, "--limit", "1000"][..], &as_of].concat()),
            run(&[&[command][..], &as_of].concat())
        );
    }
    assert!(run(&[&["tasks"][..], &as_of].concat()).ends_with("\n47 kỳ thực hiện\n"));
}

/// The occurrences `tasks … --format json` lists for `args`, each as
/// "task period", or "task period → lead" with `lead`.
fn listed(r: Run, args: &[&str], lead: bool) -> (Run, Vec<String>) {
    let mut all = vec!["tasks", "--format", "json"];
    all.extend(args);
    let r = r.then(&all).ok();
    let rows = r.json()["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let text = |k: &str| o[k].as_str().unwrap().to_string();
            match lead {
                true => format!("{} {} → {}", text("task"), text("period"), text("lead")),
                false => format!("{} {}", text("task"), text("period")),
            }
        })
        .collect();
    (r, rows)
}

/// The occurrences `tasks --without-evidence` lists, as "task period".
fn without_evidence(r: Run, year: &str, as_of: &str) -> (Run, Vec<String>) {
    listed(
        r,
        &["--without-evidence", "--year", year, "--as-of", as_of],
        false,
    )
}

#[test]
fn done_without_evidence_is_flagged_and_listed() {
    let t = Test::copy("examples/demo");
    let record = |r: Run, task: &str, period: &str, status: &str, date: &str, evidence: &str| {
        let mut args = vec![
            "record", task, "--period", period, "--status", status, "--date", date,
        ];
        if !evidence.is_empty() {
            args.extend(["--evidence", evidence]);
        }
        r.then(&args).ok()
    };
    let r = t.with(&["check"]).ok();
    let (r, before) = without_evidence(r, "2025", "2025-12-31");
    // Done with no evidence: said at once, with the command that adds it.
    let r = record(r, "1.1", "2025", "done", "2025-06-01", "")
        .stderr_has("chưa có tài liệu kiểm chứng")
        .stderr_has("kehoach record 1.1 --period 2025 --status done --evidence");
    let (r, listed) = without_evidence(r, "2025", "2025-12-31");
    assert_eq!(
        listed.iter().filter(|o| *o == "1.1 2025").count(),
        1,
        "{listed:?}"
    );
    assert!(!before.contains(&"1.1 2025".to_string()), "{before:?}");
    // Evidence given later, in a further done update: no longer listed,
    // the completion date is the first done's.
    let r = record(
        r,
        "1.1",
        "2025",
        "done",
        "2025-12-20",
        "Báo cáo số 5/BC-SCT",
    )
    .stderr_lacks("tài liệu kiểm chứng");
    let (r, listed) = without_evidence(r, "2025", "2025-12-31");
    assert!(!listed.contains(&"1.1 2025".to_string()), "{listed:?}");
    // As of a day before the evidence, it was still without.
    let (r, listed) = without_evidence(r, "2025", "2025-12-19");
    assert!(listed.contains(&"1.1 2025".to_string()), "{listed:?}");
    let r = r
        .then(&["show", "1.1", "--as-of", "2025-12-31"])
        .ok()
        .stdout_has("(hoàn thành ngày 01/06/2025)");
    assert!(
        !r.stdout().contains("Chưa có tài liệu kiểm chứng"),
        "{}",
        r.stdout()
    );
    let r = r
        .then(&["show", "1.1", "--as-of", "2025-12-19"])
        .ok()
        .stdout_has("(hoàn thành ngày 01/06/2025) — Chưa có tài liệu kiểm chứng");
    // Reopened and done again without evidence: the evidence of the run
    // before does not carry over.
    let r = record(r, "1.1", "2025", "in_progress", "2025-12-21", "");
    let r = record(r, "1.1", "2025", "done", "2025-12-22", "")
        .stderr_has("chưa có tài liệu kiểm chứng");
    let (r, listed) = without_evidence(r, "2025", "2025-12-31");
    assert!(listed.contains(&"1.1 2025".to_string()), "{listed:?}");
    // Only done occurrences, and `--status done` is both done classes.
    let count = |r: Run, status: &str| {
        let r = r
            .then(&[
                "tasks",
                "--status",
                status,
                "--as-of",
                "2025-12-31",
                "--format",
                "json",
            ])
            .ok();
        let n = r.json()["occurrences"].as_array().unwrap().len();
        (r, n)
    };
    let (r, done) = count(r, "done");
    let (r, on_time) = count(r, "done_on_time");
    let (r, late) = count(r, "done_late");
    assert_eq!(done, on_time + late);
    assert!(on_time > 0 && late > 0);
    let r = r
        .then(&[
            "tasks",
            "--without-evidence",
            "--status",
            "overdue",
            "--as-of",
            "2025-12-31",
        ])
        .ok()
        .stdout_is("Không có nhiệm vụ nào phù hợp.\n");
    // In English too.
    record(r, "1.1", "2025", "done", "2025-12-23", "")
        .then(&[
            "--lang",
            "en",
            "record",
            "2.1",
            "--period",
            "2025",
            "--status",
            "done",
            "--date",
            "2025-03-10",
        ])
        .ok()
        .stderr_has("no evidence names this result yet");
}

/// "task period → lead" of every occurrence `tasks` lists for `args`.
fn leads(r: Run, args: &[&str]) -> (Run, Vec<String>) {
    let mut all = vec!["--as-of", "2025-12-31"];
    all.extend(args);
    listed(r, &all, true)
}

#[test]
fn a_split_sends_one_task_elsewhere_than_the_successor() {
    // The demo's STTTT ceased on 30/06/2024 and SKHCN took over its work;
    // here its media task 2.2 goes to a culture department instead.
    let (r, before) = leads(Test::copy("examples/demo").with(&["check"]).ok(), &[]);
    let r = r
        .test
        .append(
            "agencies.toml",
            "\n[[agency]]\ncode = \"SVH\"\nname = \"Sở Văn hóa, Thể thao và Du lịch\"\n",
        )
        .edit(
            "tasks.toml",
            "due = { every = \"quarter\", on = 25, first_year = 2024, last_year = 2025 }",
            "due = { every = \"quarter\", on = 25, first_year = 2024, last_year = 2025 }\nsuccessors = { STTTT = \"SVH\" }",
        )
        .with(&["check"])
        .ok()
        .stderr_is("");
    let (r, after) = leads(r, &[]);
    // Exactly the 2.2 occurrences SKHCN answered for are SVH's now;
    // everything else is as before (2.1, which STTTT supports, included).
    let moved: Vec<String> = before
        .iter()
        .filter(|o| o.starts_with("2.2 ") && o.ends_with("→ SKHCN"))
        .map(|o| o.replace("→ SKHCN", "→ SVH"))
        .collect();
    assert_eq!(moved.len(), 6, "{before:?}");
    let expected: Vec<String> = before
        .iter()
        .map(|o| {
            if o.starts_with("2.2 ") {
                o.replace("→ SKHCN", "→ SVH")
            } else {
                o.clone()
            }
        })
        .collect();
    assert_eq!(after, expected);
    let (r, svh) = leads(r, &["--agency", "SVH"]);
    assert_eq!(svh, moved);
    // The yearly table has its row; the due list puts its items under it;
    // the agencies say who took what.
    let r = r
        .then(&[
            "report",
            "--year",
            "2025",
            "--as-of",
            "2025-12-31",
            "--format",
            "json",
        ])
        .ok();
    let rows = r.json()["rows"].as_array().unwrap().clone();
    let row = rows.iter().find(|x| x["agency"] == "SVH").unwrap();
    assert_eq!(row["assigned"], 4, "{row}");
    let r = r
        .then(&[
            "report",
            "--agency",
            "STTTT",
            "--year",
            "2025",
            "--as-of",
            "2025-12-31",
        ])
        .ok()
        .stderr_has("(SKHCN); nhiệm vụ 2.2: Sở Văn hóa, Thể thao và Du lịch (SVH)");
    let r = r
        .then(&[
            "due",
            "--agency",
            "SVH",
            "--as-of",
            "2025-09-01",
            "--format",
            "json",
        ])
        .ok();
    let items = r.json()["items"].as_array().unwrap().clone();
    assert!(
        !items.is_empty() && items.iter().all(|i| i["task"] == "2.2"),
        "{items:?}"
    );
    let r = r
        .then(&["agencies"])
        .ok()
        .stdout_has("STTTT (2.2)")
        .stdout_has("Nhiệm vụ 2.2: SVH");
    // The next plan starts with 2.2 at SVH, 2.1's support at SKHCN.
    let r = r
        .then(&[
            "init",
            "next",
            "--issued",
            "2026-01-15",
            "--based-on",
            "plan",
        ])
        .ok();
    let tasks = std::fs::read_to_string(r.test.cwd().join("next/tasks.toml")).unwrap();
    assert!(tasks.contains("title_en = \"Media campaign on consumer law\"\n# kế hoạch trước / previous plan: lead = \"STTTT\", support = []\nlead = \"SVH\"\n"), "{tasks}");
    assert!(tasks.contains("support = [\"SKHCN\", \"HOI\"]"), "{tasks}");
    assert!(!tasks.contains("successors"), "{tasks}");
    let next = run_in(r.test.cwd(), &["--plan", "next", "check"]);
    assert!(next.status.success(), "{}", stderr(&next));
    // With the cache and without, the same.
    let cached = r
        .then(&["tasks", "--as-of", "2025-12-31", "--format", "csv"])
        .ok();
    let out = cached.stdout();
    cached
        .then(&[
            "--no-cache",
            "tasks",
            "--as-of",
            "2025-12-31",
            "--format",
            "csv",
        ])
        .ok()
        .stdout_is(&out);
}

#[test]
fn set_aside_leaves_out_broken_progress_files_only_when_asked() {
    // SYT's 2023 file gets an update with a day-first date.
    let broken = "\n[[update]]\ntask = \"1.2\"\nperiod = \"2023-H2\"\nstatus = \"done\"\ndate = 15/12/2023\n";
    let report = [
        "report",
        "--year",
        "all",
        "--as-of",
        "2024-12-31",
        "--format",
        "json",
    ];
    let r = Test::copy("examples/demo")
        .append("progress/SYT/2023.toml", broken)
        .with(&report)
        .code(1)
        .stdout_is("")
        .stderr_has("plan/progress/SYT/2023.toml:")
        .stderr_has("thêm --set-aside");
    let mut aside = vec!["--set-aside"];
    aside.extend(report);
    let r = r
        .then(&aside)
        .ok()
        .stderr_has("plan/progress/SYT/2023.toml:")
        .stderr_has("để riêng 1 tệp tiến độ có lỗi, không tính vào kết quả này")
        .unchanged();
    let with_aside = r.stdout();
    // What it counts is the plan without that file.
    let without = Test::copy("examples/demo")
        .remove("progress/SYT/2023.toml")
        .with(&report)
        .ok();
    assert_eq!(with_aside, without.stdout());
    // Every reading command takes it; check and record stay strict.
    let r = r
        .then(&[
            "--set-aside",
            "--lang",
            "en",
            "due",
            "--as-of",
            "2024-12-31",
        ])
        .ok()
        .stderr_has("set aside 1 progress file(s) with errors");
    let r = r
        .then(&["--set-aside", "tasks", "--as-of", "2024-12-31"])
        .ok();
    let r = r.then(&["--set-aside", "check"]).code(1);
    let r = r
        .then(&[
            "--set-aside",
            "record",
            "1.1",
            "--period",
            "2024",
            "--status",
            "done",
            "--date",
            "2024-12-01",
        ])
        .code(1)
        .unchanged();
    // An error in a definition file cannot be set aside, and no hint.
    r.test
        .edit("tasks.toml", "lead = \"SCT\"", "lead = \"KHONG\"")
        .with(&aside)
        .code(1)
        .stderr_lacks("--set-aside")
        .stderr_lacks("để riêng");
}

/// An extension that does not move the deadline later is found on the
/// same run as the other files' mistakes: `check` lists both, and
/// `--set-aside` leaves out both files at once (it had refused the plan,
/// the extension being checked only once every other file was valid).
#[test]
fn set_aside_leaves_out_a_bad_extension_with_the_other_broken_files() {
    let slip = "\n[[update]]\ntask = \"1.2\"\nperiod = \"2023-H2\"\nstatus = \"done\"\ndate = 15/12/2023\n";
    let earlier = "\n[[update]]\ntask = \"1.1\"\nperiod = \"2024\"\nstatus = \"in_progress\"\ndate = 2024-08-01\nnew_due = 2024-07-01\ndecision = \"Công văn số 1/UBND\"\n";
    let report = [
        "report",
        "--year",
        "all",
        "--as-of",
        "2024-12-31",
        "--format",
        "json",
    ];
    let r = Test::copy("examples/demo")
        .append("progress/SYT/2023.toml", slip)
        .append("progress/SCT/2024.toml", earlier)
        .with(&["check"])
        .code(1)
        .stderr_has("plan/progress/SYT/2023.toml:")
        .stderr_has("plan/progress/SCT/2024.toml:")
        .stderr_has("không muộn hơn thời hạn đang áp dụng");
    let mut aside = vec!["--set-aside"];
    aside.extend(report);
    let with_aside = r
        .then(&aside)
        .ok()
        .stderr_has("để riêng 2 tệp tiến độ có lỗi")
        .unchanged()
        .stdout();
    let without = Test::copy("examples/demo")
        .remove("progress/SYT/2023.toml")
        .remove("progress/SCT/2024.toml")
        .with(&report)
        .ok();
    assert_eq!(with_aside, without.stdout());
}

#[test]
fn plans_counts_a_plan_with_broken_progress_when_asked() {
    let t = Test::empty();
    let plan = t.cwd().join("plans/demo");
    copy_dir(&root().join("examples/demo"), &plan);
    let file = plan.join("progress/SYT/2023.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\n[[update]]\ntask = \"1.2\"\n")).unwrap();
    let r = t
        .with(&["plans", "--as-of", "2024-12-31"])
        .ok()
        .stdout_has("lỗi (kehoach check)");
    assert!(!r.stdout().contains("40,6%"), "{}", r.stdout());
    r.then(&["--set-aside", "plans", "--as-of", "2024-12-31"])
        .ok()
        .stdout_has("1 tệp tiến độ có lỗi để")
        .stdout_has("2023-2025")
        .unchanged();
}

/// A task done on request ("khi có yêu cầu", `due = "on_request"`) owes
/// nothing until a request is recorded: not chased, not in the report's
/// rows; `record --new-due --decision` records the request, and from then
/// on its year is owed by that date — chased, counted, and late if done
/// after it. `show` words the request as one, and a later request may
/// not come before the one in force.
#[test]
fn a_task_done_on_request_is_owed_only_once_asked() {
    let task = "\n[[task]]\nid = \"9.1\"\ngroup = \"III\"\ntitle = \"Hợp tác quốc tế do Bộ tổ chức\"\nlead = \"SCT\"\ndue = \"on-request\"\n";
    let r = Test::copy("examples/demo")
        .append("tasks.toml", task)
        .with(&["check"])
        .ok();
    let assigned = |r: &Run| {
        r.json()["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["year"] == 2024 && row["agency"] == "SCT")
            .map(|row| row["assigned"].as_u64().unwrap())
    };
    let report = [
        "report",
        "--year",
        "2024",
        "--format",
        "json",
        "--as-of",
        "2024-12-31",
    ];
    let r = r.then(&report).ok();
    let before = assigned(&r);
    // Not asked: nothing to chase, a class of its own in listings.
    let r = r
        .then(&["due", "--as-of", "2024-05-01"])
        .ok()
        .stdout_lacks("9.1");
    let (r, asked) = listed(
        r,
        &["--status", "on_request", "--as-of", "2024-05-01"],
        false,
    );
    assert_eq!(asked, ["9.1 2023", "9.1 2024", "9.1 2025"]);
    // The Ministry asks on 1/3/2024, by 15/4/2024.
    let r = r
        .then(&[
            "record",
            "9.1",
            "--period",
            "2024",
            "--status",
            "not_started",
            "--date",
            "2024-03-01",
            "--new-due",
            "2024-04-15",
            "--decision",
            "Công văn số 12/BCT-CT ngày 28/02/2024",
        ])
        .ok()
        .stdout_has("chưa triển khai, ngày 01/03/2024; yêu cầu thực hiện đến ngày 15/04/2024");
    let r = r
        .then(&["due", "--as-of", "2024-05-01"])
        .ok()
        .stdout_has("15/04/2024 ┆ 9.1")
        .stdout_has("Quá hạn 16 ngày");
    let r = r.then(&report).ok();
    assert_eq!(assigned(&r), before.map(|n| n + 1));
    let r = r
        .then(&["show", "9.1", "--as-of", "2024-12-31"])
        .ok()
        .stdout_has("Thời hạn: khi có yêu cầu (2023-2025)")
        .stdout_has("Năm 2023                       Khi có yêu cầu (chưa có yêu cầu)")
        .stdout_has(
            "yêu cầu thực hiện đến ngày 15/04/2024 theo Công văn số 12/BCT-CT ngày 28/02/2024",
        );
    // Done after the request's date: late.
    let r = r
        .then(&[
            "record",
            "9.1",
            "--period",
            "2024",
            "--status",
            "done",
            "--date",
            "2024-05-02",
            "--evidence",
            "Báo cáo số 7/BC-SCT",
        ])
        .ok();
    let (r, late) = listed(
        r,
        &["--status", "done_late", "--as-of", "2024-12-31"],
        false,
    );
    assert!(late.contains(&"9.1 2024".to_string()), "{late:?}");
    // A deadline earlier than the one in force is refused, as for an
    // extension; an ongoing task still takes none, and says what to use.
    r.then(&[
        "record",
        "9.1",
        "--period",
        "2024",
        "--status",
        "in_progress",
        "--date",
        "2024-06-01",
        "--new-due",
        "2024-04-01",
        "--decision",
        "Công văn số 13/BCT-CT",
    ])
    .code(1)
    .stderr_has("không muộn hơn thời hạn đang áp dụng (15/04/2024)")
    .then(&[
        "record",
        "3.3",
        "--period",
        "2024",
        "--status",
        "in_progress",
        "--date",
        "2024-06-01",
        "--new-due",
        "2024-09-01",
        "--decision",
        "Công văn số 14/UBND",
    ])
    .code(1)
    .stderr_has("due = \"on_request\"");
}

/// On a terminal, `due` and `tasks` show the first 1,000 rows of a longer
/// list and say how many there are; `--all` shows every one, `--limit` its
/// own number, and a pipe or a file gets the whole list. A list that fits
/// is shown whole.
#[test]
fn long_listings_show_the_first_thousand_rows_on_a_terminal() {
    if !have("script", &["--version"]) {
        return skip(
            "long listings on a terminal",
            "`script` (util-linux) is not installed",
        );
    }
    // One monthly task led by a group of 50 communes: 24 months × 50 =
    // 1,200 occurrences, every one overdue by 2026.
    let members: Vec<String> = (1..=50).map(|i| format!("M{i:02}")).collect();
    let mut agencies = String::from("[[agency]]\ncode = \"A\"\nname = \"Sở A\"\n");
    for m in &members {
        agencies += &format!("\n[[agency]]\ncode = \"{m}\"\nname = \"UBND xã {m}\"\n");
    }
    let quoted: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    agencies += &format!(
        "\n[[agency]]\ncode = \"G\"\nname = \"UBND các xã\"\nmembers = [{}]\n",
        quoted.join(", ")
    );
    let tasks = "[[task]]\nid = \"1.1\"\ngroup = \"1\"\ntitle = \"Báo cáo tháng\"\nlead = \"G\"\ndue = { every = \"month\", on = 5 }\n";
    let r = Test::copy("tests/errors/_base")
        .remove("progress/A/2023.toml")
        .write("agencies.toml", &agencies)
        .write("tasks.toml", tasks)
        .with(&["check"])
        .ok();
    let cwd = r.test.cwd().to_path_buf();
    let tty = |args: &str| {
        let cmd = format!(
            "stty cols 200; {} --plan plan {args} --as-of 2026-01-01",
            env!("CARGO_BIN_EXE_kehoach")
        );
        let o = std::process::Command::new("script")
            .current_dir(&cwd)
            .args(["-qec", &cmd, "/dev/null"])
            .env("NO_COLOR", "1")
            .env("KEHOACH_CACHE_DIR", cache_dir())
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
        String::from_utf8_lossy(&o.stdout).replace("\r\n", "\n")
    };
    // Rows of a list: its lines that start with a deadline or a task id.
    let rows = |text: &str, first: &str| text.lines().filter(|l| l.starts_with(first)).count();
    let due = tty("due");
    assert!(
        due.contains("Tổng cộng: 1.200 kỳ thực hiện")
            && due.trim_end().ends_with(
                "Hiển thị 1.000 trên tổng số 1.200 kỳ thực hiện; thêm --all để xem tất cả"
            ),
        "{due}"
    );
    assert_eq!(rows(&due, "│ 05/"), 1_000, "{due}");
    assert_eq!(rows(&tty("due --all"), "│ 05/"), 1_200);
    assert_eq!(rows(&tty("due --limit 7 --all"), "│ 05/"), 1_200);
    assert_eq!(rows(&tty("due --limit 7"), "│ 05/"), 7);
    let tasks = tty("--lang en tasks --status overdue");
    assert!(
        tasks
            .trim_end()
            .ends_with("Showing 1,000 of 1,200 occurrences; add --all to see them all"),
        "{tasks}"
    );
    assert_eq!(rows(&tasks, "│ 1.1"), 1_000);
    assert_eq!(rows(&tty("tasks --status overdue --all"), "│ 1.1"), 1_200);
    // Piped or written to a file, the whole list.
    let r = r.then(&["due", "--as-of", "2026-01-01"]).ok();
    assert_eq!(rows(&r.stdout(), "│ 05/"), 1_200);
    let r = r
        .then(&["tasks", "--as-of", "2026-01-01", "--output", "t.txt"])
        .ok();
    let file = std::fs::read_to_string(r.test.cwd().join("t.txt")).unwrap();
    assert_eq!(rows(&file, "│ 1.1"), 1_200);
    // A list that fits is shown whole, with no such line.
    let few = tty("due --agency M01");
    assert_eq!(rows(&few, "│ 05/"), 24, "{few}");
    assert!(!few.contains("--all"), "{few}");
}
