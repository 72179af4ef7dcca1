//! Plan discovery (spec §10): --plan, KEHOACH_PLAN, the nearest plan.toml
//! at or above the current directory, the one plan under ./plans/.

mod common;
use common::*;
use std::path::Path;

fn plan_in(dir: &Path, id: &str) {
    copy_dir(&root().join("tests/errors/_base"), dir);
    let text = std::fs::read_to_string(dir.join("plan.toml")).unwrap();
    std::fs::write(dir.join("plan.toml"), text.replace("T-1/KH", id)).unwrap();
}

fn check_id(cwd: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut full = vec!["--lang", "en"];
    full.extend_from_slice(args);
    full.push("check");
    let o = run_in(cwd, &full);
    (o.status.code(), stdout(&o), stderr(&o))
}

#[test]
fn explicit_plan_directory_and_environment() {
    let tmp = tempfile::tempdir().unwrap();
    plan_in(&tmp.path().join("a"), "A/KH");
    let (code, out, _) = check_id(tmp.path(), &["--plan", "a"]);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("A/KH:"));
    let o = bin()
        .current_dir(tmp.path())
        .env("KEHOACH_PLAN", "a")
        .arg("check")
        .output()
        .unwrap();
    assert!(stdout(&o).starts_with("A/KH:"));
    // A path to plan.toml, or to any file inside a plan, means its directory.
    for file in ["a/plan.toml", "a/agencies.toml", "a/progress/A/2023.toml"] {
        let (code, out, err) = check_id(tmp.path(), &["--plan", file]);
        assert_eq!(code, Some(0), "{file}: {err}");
        assert!(out.starts_with("A/KH:"), "{file}");
    }
    // An empty --plan is a usage error, not "the current directory".
    let (code, _, err) = check_id(tmp.path(), &["--plan", ""]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--plan is empty"), "{err}");
    // --plan wins over the environment.
    plan_in(&tmp.path().join("b"), "B/KH");
    let o = bin()
        .current_dir(tmp.path())
        .env("KEHOACH_PLAN", "a")
        .args(["--plan", "b", "check"])
        .output()
        .unwrap();
    assert!(stdout(&o).starts_with("B/KH:"));
}

#[test]
fn nearest_plan_at_or_above_the_current_directory() {
    let tmp = tempfile::tempdir().unwrap();
    plan_in(tmp.path(), "UP/KH");
    let (_, out, _) = check_id(tmp.path(), &[]);
    assert!(out.starts_with("UP/KH:"));
    let (_, out, _) = check_id(&tmp.path().join("progress/A"), &[]);
    assert!(out.starts_with("UP/KH:"));
    // Problems are shown relative to where the command runs.
    std::fs::write(tmp.path().join("progress/A/x.toml"), "[[update]]\n").unwrap();
    let (code, _, err) = check_id(&tmp.path().join("progress/A"), &[]);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with("../../progress/A/x.toml:1:1: error:"),
        "{err}"
    );
}

#[test]
fn zero_one_and_two_plans_under_plans() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = check_id(tmp.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no plan found"), "{err}");

    plan_in(&tmp.path().join("plans/one"), "1/KH");
    let (code, out, _) = check_id(tmp.path(), &[]);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("1/KH:"));

    plan_in(&tmp.path().join("plans/two"), "2/KH");
    let (code, _, err) = check_id(tmp.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(err.contains("several plans"), "{err}");
    assert!(
        err.contains("plans/one  (1/KH)") && err.contains("plans/two  (2/KH)"),
        "{err}"
    );

    // A plan id chooses among them.
    let (code, out, _) = check_id(tmp.path(), &["--plan", "2/KH"]);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("2/KH:"));
    let (code, _, err) = check_id(tmp.path(), &["--plan", "3/KH"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no such plan directory"), "{err}");
}

#[test]
fn the_repository_plan_is_found_from_the_top_level() {
    let (code, out, err) = check_id(&root(), &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("6418/KH-UBND:"));
}

#[test]
fn two_plans_with_one_id_are_ambiguous_not_missing() {
    let tmp = tempfile::tempdir().unwrap();
    plan_in(&tmp.path().join("plans/a"), "SAME/KH");
    plan_in(&tmp.path().join("plans/b"), "SAME/KH");
    let (code, _, err) = check_id(tmp.path(), &["--plan", "SAME/KH"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("several plans under plans/ have the id \"SAME/KH\""),
        "{err}"
    );
    assert!(err.contains("plans/a") && err.contains("plans/b"), "{err}");
    // `plans` warns about it.
    let o = run_in(
        tmp.path(),
        &["--lang", "en", "plans", "--as-of", "2024-01-01"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: several plans have the id \"SAME/KH\" (plans/a, plans/b)"),
        "{}",
        stderr(&o)
    );
}
