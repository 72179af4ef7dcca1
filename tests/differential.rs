//! Differential test: `report --year all --format json` against the
//! separate Python implementation in bench/report.py (tomllib), on the demo
//! plan, month by month through its period. Skipped, saying so, without a
//! Python that has tomllib (3.11+).

mod common;
use common::*;

#[test]
fn rows_agree_with_the_python_reference() {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import tomllib"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("SKIPPED rows_agree_with_the_python_reference: python3 with tomllib not found");
        return;
    }
    let demo = root().join("examples/demo");
    for year in 2023..=2026 {
        for month in [1, 3, 4, 6, 7, 9, 12] {
            let as_of = format!("{year}-{month:02}-15");
            let py = std::process::Command::new("python3")
                .arg(root().join("bench/report.py"))
                .arg(&demo)
                .arg(&as_of)
                .output()
                .unwrap();
            assert!(
                py.status.success(),
                "{}",
                String::from_utf8_lossy(&py.stderr)
            );
            let py: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
            let o = run_in(
                &root(),
                &[
                    "--plan",
                    "examples/demo",
                    "report",
                    "--year",
                    "all",
                    "--format",
                    "json",
                    "--as-of",
                    &as_of,
                ],
            );
            assert!(o.status.success());
            let rs: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            assert_eq!(rs["rows"], py["rows"], "as of {as_of}");
        }
    }
}
