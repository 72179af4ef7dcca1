//! init, plans, agencies, completions, man page, colour.

mod common;
use common::*;

#[test]
fn init_makes_a_plan_that_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(
        tmp.path(),
        &[
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
            "2026-01-05",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "plan.toml",
        "agencies.toml",
        "tasks.toml",
        "indicators.toml",
        ".gitattributes",
        ".gitignore",
        "progress/README.md",
    ] {
        assert!(tmp.path().join("plans/moi").join(f).exists(), "{f}");
    }
    let o = run_in(tmp.path(), &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "99/KH-UBND: 1 groups, 0 tasks, 0 occurrences, 1 agencies, 0 updates — ok\n"
    );
    assert_eq!(stderr(&o), "");
    // The commented example task works once uncommented.
    let tasks = tmp.path().join("plans/moi/tasks.toml");
    let text = std::fs::read_to_string(&tasks).unwrap();
    let example: String = text
        .lines()
        .skip_while(|l| !l.starts_with("# [[task]]"))
        .map(|l| l.trim_start_matches("# "))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&tasks, format!("{text}\n{example}\n")).unwrap();
    let o = run_in(tmp.path(), &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("1 tasks, 5 occurrences"),
        "{}",
        stdout(&o)
    );
    // Refuses a directory that is not empty.
    let o = run_in(tmp.path(), &["init", "plans/moi"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not empty"));
}

#[test]
fn plans_lists_every_plan() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("plans/6418-KH-UBND"),
        &tmp.path().join("plans/6418"),
    );
    copy_dir(
        &root().join("examples/demo"),
        &tmp.path().join("plans/demo"),
    );
    let o = run_in(tmp.path(), &["plans", "--as-of", "2024-12-31"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("6418/KH-UBND") && out.contains("DEMO-01/KH"),
        "{out}"
    );
    assert!(out.contains("2021–2025") && out.contains("2023–2025"));
    // Several plans: other commands ask which, and accept a plan id.
    let o = run_in(tmp.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let o = run_in(tmp.path(), &["--plan", "DEMO-01/KH", "check"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn agencies_show_tasks_and_successors() {
    let o = run_in(&root(), &["--plan", "examples/demo", "agencies"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("STTTT") && out.contains("kế thừa bởi SKHCN"),
        "{out}"
    );
    assert!(out.contains("3: 1.1, 1.3, 2.1"), "{out}");
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = run_in(&root(), &["--plan", "examples/demo", "completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
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
    }
    // Outside any plan, the generic script.
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(tmp.path(), &["completions", "bash"]);
    assert!(o.status.success());
}

#[test]
fn man_page() {
    let o = run_in(&root(), &["man"]);
    assert!(o.status.success());
    let page = stdout(&o);
    assert!(
        page.starts_with(".ie") || page.contains(".TH kehoach"),
        "{}",
        &page[..200.min(page.len())]
    );
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(&root(), &["man", "--output", tmp.path().to_str().unwrap()]);
    assert!(o.status.success());
    assert!(tmp.path().join("kehoach.1").exists());
    assert!(tmp.path().join("kehoach-report.1").exists());
}

#[test]
fn help_teaches() {
    let o = run_in(&root(), &["--help"]);
    let help = stdout(&o);
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
        let o = run_in(&root(), &[cmd, "--help"]);
        assert!(
            stdout(&o).contains("Example"),
            "{cmd} --help has no example"
        );
    }
}

fn broken() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("tests/errors/unknown_status/plan"), tmp.path());
    copy_dir(&root().join("tests/errors/_base"), &tmp.path().join("base"));
    // unknown_status only holds the changed file: start from the base.
    copy_dir(&tmp.path().join("base"), tmp.path());
    copy_dir(&root().join("tests/errors/unknown_status/plan"), tmp.path());
    tmp
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let tmp = broken();
    // Piped: plain.
    let o = run_in(tmp.path(), &["check"]);
    assert!(!stderr(&o).contains('\x1b'));
    // Forced.
    let o = run_in(tmp.path(), &["--color", "always", "check"]);
    assert!(
        stderr(&o).contains("\x1b[1;31merror\x1b[0m"),
        "{}",
        stderr(&o)
    );
    // On a terminal (a pseudo-terminal from `script`), with and without NO_COLOR.
    let Ok(probe) = std::process::Command::new("script")
        .arg("--version")
        .output()
    else {
        eprintln!("SKIPPED terminal part: `script` (util-linux) is not installed");
        return;
    };
    if !probe.status.success() {
        return;
    }
    let cmd = format!("{} check", env!("CARGO_BIN_EXE_kehoach"));
    let tty = |no_color: bool| {
        let mut c = std::process::Command::new("script");
        c.current_dir(tmp.path())
            .args(["-qec", &cmd, "/dev/null"])
            .env_remove("NO_COLOR");
        if no_color {
            c.env("NO_COLOR", "1");
        }
        String::from_utf8_lossy(&c.output().unwrap().stdout).into_owned()
    };
    assert!(tty(false).contains("\x1b[1;31m"), "no colour on a terminal");
    assert!(!tty(true).contains("\x1b["), "colour despite NO_COLOR");
}
