//! The error catalogue: `tests/errors/<case>/plan/` overlays the valid plan
//! in `tests/errors/_base/` with one mistake (a `delete` file lists files to
//! remove); `tests/errors/<case>/stderr` is the exact message `check` gives.
//! It doubles as the documentation of every error a user can see.

mod common;
use common::*;

#[test]
fn base_plan_is_valid() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("tests/errors/_base"), &tmp.path().join("plan"));
    let o = run_in(tmp.path(), &["--plan", "plan", "check"]);
    assert_eq!(stderr(&o), "");
    assert!(o.status.success());
}

#[test]
fn every_case_fails_with_its_message() {
    let dir = root().join("tests/errors");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "catalogue too small: {}", cases.len());
    for case in cases {
        let tmp = tempfile::tempdir().unwrap();
        let plan = tmp.path().join("plan");
        copy_dir(&dir.join("_base"), &plan);
        // Cases that only delete files have no plan/ (git keeps no empty
        // directories).
        if case.join("plan").is_dir() {
            copy_dir(&case.join("plan"), &plan);
        }
        if let Ok(list) = std::fs::read_to_string(case.join("delete")) {
            for f in list.lines().filter(|l| !l.is_empty()) {
                std::fs::remove_file(plan.join(f)).unwrap();
            }
        }
        let o = run_in(tmp.path(), &["--plan", "plan", "check"]);
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(o.status.code(), Some(1), "{name}: exit status");
        assert_eq!(stdout(&o), "", "{name}: nothing on stdout");
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert_snapshot(&case.join("stderr"), &err);
    }
}
