//! Helpers shared by the black-box tests: run the binary, copy plan
//! directories, compare with snapshot files (`KEHOACH_BLESS=1` rewrites them).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kehoach"));
    c.env_remove("KEHOACH_PLAN").env("NO_COLOR", "1");
    c
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs kehoach in `cwd` with `args`.
pub fn run_in(cwd: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run kehoach")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Compares `actual` with the file `path`; with `KEHOACH_BLESS=1` writes it.
pub fn assert_snapshot(path: &Path, actual: &str) {
    if std::env::var_os("KEHOACH_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {}; run with KEHOACH_BLESS=1",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "snapshot {} differs (KEHOACH_BLESS=1 to accept)\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        );
    }
}

/// Runs kehoach on examples/demo from the repository root.
pub fn demo(args: &[&str]) -> Output {
    let mut full = vec!["--plan", "examples/demo"];
    full.extend_from_slice(args);
    run_in(&root(), &full)
}

/// Runs a command on the demo and compares its output with
/// tests/snapshots/NAME.
pub fn snapshot(name: &str, args: &[&str]) {
    let o = demo(args);
    assert!(o.status.success(), "{name}: {}", stderr(&o));
    assert_snapshot(&root().join("tests/snapshots").join(name), &stdout(&o));
}
