//! The error catalogue: `tests/errors/<case>/plan/` overlays the valid plan
//! in `tests/errors/_base/` with one mistake (a `delete` file lists files to
//! remove); `tests/errors/<case>/stderr.snap` is the exact message `check`
//! gives in the plan's language (Vietnamese), `stderr_en.snap` with
//! `--lang en`. It doubles as the documentation of every error a user can
//! see. Review changes with `cargo insta review`.

mod common;
use common::*;

#[test]
fn base_plan_is_valid() {
    Test::copy("tests/errors/_base")
        .with(&["check"])
        .ok()
        .stderr_is("");
}

#[test]
fn every_case_fails_with_its_message_in_both_languages() {
    let dir = root().join("tests/errors");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    cases.sort();
    assert!(cases.len() >= 60, "catalogue too small: {}", cases.len());
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let mut t = Test::copy("tests/errors/_base");
        // Cases that only delete files have no plan/ (git keeps no empty
        // directories).
        if case.join("plan").is_dir() {
            copy_dir(&case.join("plan"), &t.dir());
        }
        if let Ok(list) = std::fs::read_to_string(case.join("delete")) {
            for f in list.lines().filter(|l| !l.is_empty()) {
                t = t.remove(f);
            }
        }
        let vi = t.with(&["check"]).code(1).stdout_is("");
        let vi_stderr = vi.stderr();
        let en = vi.then(&["--lang", "en", "check"]).code(1).stdout_is("");
        insta::with_settings!({
            snapshot_path => format!("errors/{name}"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => name.clone(),
        }, {
            insta::assert_snapshot!("stderr", vi_stderr);
            insta::assert_snapshot!("stderr_en", en.stderr());
        });
    }
}
