//! Black-box tests of the command line on `examples/demo`, always with a
//! fixed `--as-of`. Expected outputs live in `tests/snapshots/`
//! (`KEHOACH_BLESS=1 cargo test` rewrites them after a deliberate change).

mod common;
use common::*;

#[test]
fn report_in_every_format() {
    snapshot(
        "report_table_2024.txt",
        &["report", "--year", "2024", "--as-of", "2024-12-31"],
    );
    snapshot(
        "report_table_all_en.txt",
        &[
            "report",
            "--year",
            "all",
            "--as-of",
            "31/12/2024",
            "--lang",
            "en",
        ],
    );
    snapshot(
        "report_markdown.md",
        &[
            "report",
            "--year",
            "all",
            "--as-of",
            "2024-12-31",
            "--format",
            "markdown",
        ],
    );
    snapshot(
        "report.csv",
        &[
            "report",
            "--year",
            "all",
            "--as-of",
            "2024-12-31",
            "--format",
            "csv",
        ],
    );
    snapshot(
        "report.json",
        &[
            "report",
            "--year",
            "all",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
        ],
    );
    snapshot(
        "report_sct_2023.json",
        &[
            "report",
            "--year",
            "2023",
            "--agency",
            "sct",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
        ],
    );
}

#[test]
fn report_default_year_follows_the_as_of_date() {
    // Inside the period: the as-of year only.
    let o = demo(&["report", "--as-of", "2024-06-30", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let years: Vec<i64> = v["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, [2024]);
    assert!(v.get("summary").is_none());
    // Period ended: every year and the period summary.
    let o = demo(&["report", "--as-of", "2026-01-01", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["totals"].as_array().unwrap().len(), 3);
    assert!(v["summary"]["rows"].is_array());
    // Not begun: the first year.
    let o = demo(&["report", "--as-of", "2023-01-10", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["totals"][0]["year"], 2023);
    assert_eq!(v["totals"].as_array().unwrap().len(), 1);
}

#[test]
fn report_json_numbers_follow_the_spec() {
    let o = demo(&[
        "report",
        "--year",
        "2023",
        "--as-of",
        "2024-12-31",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["plan"], "DEMO-01/KH");
    assert_eq!(v["as_of"], "2024-12-31");
    let sct = &v["rows"][0];
    // 1.1/2023 on time, 1.3 late (20/07 after 30/06), 2.1/2023 on time.
    assert_eq!(sct["agency"], "SCT");
    assert_eq!(sct["assigned"], 3);
    assert_eq!(sct["done_on_time"], 2);
    assert_eq!(sct["done_late"], 1);
    assert_eq!(sct["on_time_rate"].as_f64().unwrap(), 2.0 / 3.0);
    assert_eq!(sct["completion_rate"], 1.0);
    let syt = &v["rows"][1];
    assert_eq!(syt["cancelled"], 1);
    assert_eq!(v["totals"][0]["assigned"], 6);
}

#[test]
fn successor_takes_obligations_due_after_reorganisation() {
    let o = demo(&[
        "tasks",
        "--search",
        "tuyen truyen",
        "--year",
        "2024",
        "--as-of",
        "2024-12-31",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let leads: Vec<&str> = v["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["lead"].as_str().unwrap())
        .collect();
    assert_eq!(leads, ["STTTT", "STTTT", "SKHCN", "SKHCN"]);
}

#[test]
fn tasks_in_every_format_and_filter() {
    snapshot(
        "tasks_overdue.txt",
        &["tasks", "--status", "overdue", "--as-of", "2024-12-31"],
    );
    snapshot(
        "tasks_search.csv",
        &[
            "tasks",
            "--search",
            "NGAY QUYEN",
            "--as-of",
            "2024-12-31",
            "--format",
            "csv",
        ],
    );
    snapshot(
        "tasks_hoi_2024.json",
        &[
            "tasks",
            "--agency",
            "hoi",
            "--year",
            "2024",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
        ],
    );
    snapshot(
        "tasks_group_en.txt",
        &[
            "tasks",
            "--group",
            "I",
            "--as-of",
            "2023-12-31",
            "--lang",
            "en",
        ],
    );
}

#[test]
fn search_ignores_diacritics_case_and_normalisation() {
    let count = |needle: &str| {
        let o = demo(&[
            "tasks",
            "--search",
            needle,
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["occurrences"].as_array().unwrap().len()
    };
    let n = count("tuyên truyền");
    assert!(n > 0);
    assert_eq!(count("TUYEN TRUYEN"), n);
    // NFD: e + combining circumflex + combining grave.
    assert_eq!(count("tuye\u{302}n truye\u{302}\u{300}n"), n);
    assert_eq!(count("dung"), count("DÙNG"));
    assert!(count("đường") == count("duong"));
}

#[test]
fn show_and_due() {
    snapshot("show_2_1.txt", &["show", "2.1", "--as-of", "2024-03-15"]);
    snapshot(
        "show_1_1_en.txt",
        &["show", "1.1", "--as-of", "2024-12-31", "--lang", "en"],
    );
    snapshot("due.txt", &["due", "--as-of", "2024-06-10"]);
    snapshot(
        "due_sct.txt",
        &[
            "due",
            "--as-of",
            "2025-03-01",
            "--within",
            "14",
            "--agency",
            "SCT",
        ],
    );
}

#[test]
fn check_both_plans() {
    let o = demo(&["check"]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        "DEMO-01/KH: 3 groups, 8 tasks, 35 occurrences, 5 agencies, 21 updates, 3 indicators, 6 measurements — ok\n"
    );
    let o = run_in(&root(), &["--plan", "plans/6418-KH-UBND", "check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("6418/KH-UBND: 5 groups, "));
    assert_eq!(stderr(&o), "");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["report", "--year", "20x4"],
        vec!["report", "--as-of", "31/02/2024"],
        vec!["report", "--agency", "NOPE", "--as-of", "2024-01-01"],
        vec!["report", "--year", "2031", "--as-of", "2024-01-01"],
        vec!["tasks", "--status", "late-ish"],
        vec!["show", "9.9", "--as-of", "2024-01-01"],
        vec!["frobnicate"],
    ] {
        let o = demo(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty());
    }
}

#[test]
fn output_file_gets_a_bom_for_csv_only() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("r.csv");
    let json = tmp.path().join("r.json");
    let o = demo(&[
        "report",
        "--as-of",
        "2024-12-31",
        "--format",
        "csv",
        "--output",
        csv.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), "");
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let o = demo(&[
        "report",
        "--as-of",
        "2024-12-31",
        "--format",
        "json",
        "--output",
        json.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(std::fs::read(&json).unwrap().starts_with(b"{"));
    // Standard output never carries a BOM.
    let o = demo(&["report", "--as-of", "2024-12-31", "--format", "csv"]);
    assert!(!o.stdout.starts_with(b"\xEF\xBB\xBF"));
}

#[test]
fn invalid_plan_fails_every_command_with_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("examples/demo"), tmp.path());
    std::fs::write(
        tmp.path().join("progress/SCT/bad.toml"),
        "[[update]]\ntask = \"1.1\"\n",
    )
    .unwrap();
    for cmd in ["check", "report", "tasks", "due"] {
        let o = run_in(
            tmp.path(),
            &[cmd, "--as-of", "2024-01-01"][..if cmd == "check" { 1 } else { 3 }],
        );
        assert_eq!(o.status.code(), Some(1), "{cmd}");
        assert!(
            stderr(&o).contains("progress/SCT/bad.toml:1:1: error: missing required key"),
            "{cmd}: {}",
            stderr(&o)
        );
    }
}
