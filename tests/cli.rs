//! Black-box tests of the reading commands on `examples/demo`, always with
//! a fixed `--as-of`. Outputs are insta snapshots (`cargo insta review`
//! after a deliberate change); each also has numbers or dates checked by
//! hand below, so a snapshot accepted by mistake cannot hide a wrong figure.

mod common;
use common::*;

#[test]
fn report_in_every_format() {
    let r = demo_snapshot!(
        "report_table_2024",
        &["report", "--year", "2024", "--as-of", "2024-12-31"]
    );
    // SCT 2024: 1.1 on time (extended to 31/12, done 28/12), 2.1 late.
    assert!(
        r.stdout()
            .contains("│   1 ┆ Sở Công Thương (SCT)       ┆         2 ┆        1 ┆       1 ┆"),
        "{}",
        r.stdout()
    );
    let r = demo_snapshot!(
        "report_table_all_en",
        &[
            "report",
            "--year",
            "all",
            "--as-of",
            "31/12/2024",
            "--lang",
            "en"
        ]
    );
    assert!(
        r.stdout()
            .contains("SUMMARY OF RESULTS FOR THE PERIOD 2023-2025")
    );
    demo_snapshot!(
        "report_markdown",
        &[
            "report",
            "--year",
            "all",
            "--as-of",
            "2024-12-31",
            "--format",
            "markdown"
        ]
    );
    let r = demo_snapshot!(
        "report_csv",
        &[
            "report",
            "--year",
            "all",
            "--as-of",
            "2024-12-31",
            "--format",
            "csv"
        ]
    );
    // Machine format: rates as fractions with a decimal point.
    assert!(
        r.stdout()
            .contains("2023,SCT,Sở Công Thương,3,2,1,0,0,0,3,0.6667,1.0000,0"),
        "{}",
        r.stdout()
    );
    demo_snapshot!(
        "report_json",
        &[
            "report",
            "--year",
            "all",
            "--as-of",
            "2024-12-31",
            "--format",
            "json"
        ]
    );
    demo_snapshot!(
        "report_sct_2023_json",
        &[
            "report",
            "--year",
            "2023",
            "--agency",
            "sct",
            "--as-of",
            "2024-12-31",
            "--format",
            "json"
        ]
    );
}

#[test]
fn report_default_year_follows_the_as_of_date() {
    let years = |as_of: &str| -> (Vec<i64>, bool) {
        let v = Test::demo()
            .with(&["report", "--as-of", as_of, "--format", "json"])
            .ok()
            .json();
        let years = v["totals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["year"].as_i64().unwrap())
            .collect();
        (years, v.get("summary").is_some())
    };
    // Inside the period: the as-of year only.
    assert_eq!(years("2024-06-30"), (vec![2024], false));
    // Period ended: every year and the period summary.
    assert_eq!(years("2026-01-01"), (vec![2023, 2024, 2025], true));
    // Not begun: the first year.
    assert_eq!(years("2023-01-10"), (vec![2023], false));
}

#[test]
fn report_json_numbers_follow_the_spec() {
    let v = Test::demo()
        .with(&[
            "report",
            "--year",
            "2023",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
        ])
        .ok()
        .json();
    assert_eq!(v["plan"], "DEMO-01/KH");
    assert_eq!(v["as_of"], "2024-12-31");
    let sct = &v["rows"][0];
    // 1.1/2023 on time, 1.3 late (20/07 after 30/06), 2.1/2023 on time.
    assert_eq!(sct["agency"], "SCT");
    assert_eq!(sct["assigned"], 3);
    assert_eq!(sct["done_on_time"], 2);
    assert_eq!(sct["done_late"], 1);
    assert_eq!(sct["not_reported"], 0);
    assert_eq!(sct["on_time_rate"].as_f64().unwrap(), 2.0 / 3.0);
    assert_eq!(sct["completion_rate"], 1.0);
    let syt = &v["rows"][1];
    assert_eq!(syt["cancelled"], 1);
    // Group task 1.4/2023 (§11): one row per member; TP3 never reported.
    let row = |code: &str| {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["agency"] == code)
            .cloned()
            .unwrap()
    };
    assert_eq!(row("TP1")["done_on_time"], 1);
    assert_eq!(row("TP2")["done_late"], 1);
    assert_eq!(row("TP3")["overdue"], 1);
    assert_eq!(row("TP3")["not_reported"], 1);
    assert!(
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["agency"] != "UBND-HUYEN")
    );
    // The ongoing task 3.3 is outside the rows, in `ongoing` (§7, §12).
    assert_eq!(
        v["ongoing"],
        serde_json::json!([{"year": 2023, "agency": "HOI", "assigned": 1, "reported": 1}])
    );
    assert_eq!(v["totals"][0]["assigned"], 9);
    assert_eq!(v["totals"][0]["not_reported"], 1);
}

#[test]
fn group_members_are_rated_and_successors_followed_from_the_member() {
    let v = Test::demo()
        .with(&[
            "report",
            "--year",
            "2024",
            "--agency",
            "ubnd-huyen",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
        ])
        .ok()
        .json();
    // TP1 ceased on 30/06/2024: its 2024 occurrence (due 30/11) is TP3's,
    // beside TP3's own; both remain (§11).
    let rows: Vec<(String, i64, i64)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["agency"].as_str().unwrap().to_string(),
                r["assigned"].as_i64().unwrap(),
                r["overdue"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows, [("TP2".to_string(), 1, 0), ("TP3".to_string(), 2, 2)]);
}

#[test]
fn successor_takes_obligations_due_after_reorganisation() {
    let v = Test::demo()
        .with(&[
            "tasks",
            "--search",
            "tuyen truyen",
            "--year",
            "2024",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
        ])
        .ok()
        .json();
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
    let r = demo_snapshot!(
        "tasks_overdue",
        &["tasks", "--status", "overdue", "--as-of", "2024-12-31"]
    );
    // SYT's 1.2 2024-H1 fell due on 20/06/2024 and nobody reported it.
    assert!(r.stdout().contains("20/06/2024"), "{}", r.stdout());
    let r = demo_snapshot!(
        "tasks_search_csv",
        &[
            "tasks",
            "--search",
            "NGAY QUYEN",
            "--as-of",
            "2024-12-31",
            "--format",
            "csv"
        ]
    );
    assert!(
        r.stdout().contains(",2024-03-15,2024-03-15,"),
        "{}",
        r.stdout()
    );
    let r = demo_snapshot!(
        "tasks_hoi_2024_json",
        &[
            "tasks",
            "--agency",
            "hoi",
            "--year",
            "2024",
            "--as-of",
            "2024-12-31",
            "--format",
            "json"
        ]
    );
    let v = r.json();
    let first = &v["occurrences"][0];
    assert_eq!(
        (first["task"].as_str(), first["deadline"].as_str()),
        (Some("3.1"), Some("2024-01-05"))
    );
    let r = demo_snapshot!(
        "tasks_group_en",
        &[
            "tasks",
            "--group",
            "I",
            "--as-of",
            "2023-12-31",
            "--lang",
            "en"
        ]
    );
    assert!(r.stdout().contains("15/12/2023"));
}

#[test]
fn ongoing_tasks_have_a_status_and_no_deadline() {
    let v = Test::demo()
        .with(&[
            "tasks",
            "--status",
            "ongoing",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
        ])
        .ok()
        .json();
    let occ = v["occurrences"].as_array().unwrap();
    assert_eq!(occ.len(), 3);
    for o in occ {
        assert_eq!(o["status"], "ongoing");
        assert!(o["deadline"].is_null());
    }
    let progress: Vec<&str> = occ
        .iter()
        .map(|o| o["progress"].as_str().unwrap())
        .collect();
    assert_eq!(progress, ["done", "in_progress", "not_started"]);
    assert_eq!(occ[2]["not_reported"], true);
    // Never overdue: not among the overdue ones, whatever the date.
    let v = Test::demo()
        .with(&[
            "tasks",
            "--status",
            "overdue",
            "--as-of",
            "2026-06-30",
            "--format",
            "json",
        ])
        .ok()
        .json();
    assert!(
        v["occurrences"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["task"] != "3.3")
    );
}

#[test]
fn search_ignores_diacritics_case_and_normalisation() {
    let count = |needle: &str| {
        let v = Test::demo()
            .with(&[
                "tasks",
                "--search",
                needle,
                "--as-of",
                "2024-12-31",
                "--format",
                "json",
            ])
            .ok()
            .json();
        v["occurrences"].as_array().unwrap().len()
    };
    let n = count("tuyên truyền");
    assert!(n > 0);
    assert_eq!(count("TUYEN TRUYEN"), n);
    // NFD: e + combining circumflex + combining grave.
    assert_eq!(count("tuye\u{302}n truye\u{302}\u{300}n"), n);
    assert_eq!(count("dung"), count("DÙNG"));
    assert_eq!(count("đường"), count("duong"));
}

/// A group task's occurrences, one per member a year, are read down a
/// column: their periods, codes, deadlines and states each start where
/// the line above's do, whatever the code's length.
#[test]
fn show_lines_up_a_group_tasks_occurrences() {
    let text = Test::in_repo(Some("plans/6418-KH-UBND"))
        .with(&["show", "1.2", "--as-of", "2025-06-01"])
        .ok()
        .stdout();
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("  Năm ")).collect();
    assert!(lines.len() > 20, "{text}");
    // The display column (characters, all one column wide here) where
    // `word` starts in `line`.
    let column = |line: &str, word: &str| line.find(word).map(|at| line[..at].chars().count());
    for word in ["thời hạn", "Quá hạn", "Đang thực hiện"] {
        let columns: std::collections::BTreeSet<usize> =
            lines.iter().filter_map(|l| column(l, word)).collect();
        assert_eq!(columns.len(), 1, "{word}: {text}");
    }
    assert_eq!(
        column(lines[0], "Quá hạn"),
        column(lines[lines.len() - 1], "Đang thực hiện")
    );
}

/// `tasks --agency SCT` lists what is attributed to SCT (§9); what was
/// assigned to it and falls to the agency that took it over is said under
/// the table, with that agency and how many — as many as that agency's
/// list marks assigned to SCT. A machine format lists only what was asked.
#[test]
fn tasks_of_an_agency_say_what_its_successor_took_over() {
    let real = || Test::in_repo(Some("plans/6418-KH-UBND"));
    let args = ["tasks", "--year", "2025", "--as-of", "2025-06-01"];
    let table = real()
        .with(&[&args[..], &["--agency", "sct"]].concat())
        .ok()
        .stdout();
    let taken: serde_json::Value = serde_json::from_str(
        &real()
            .with(&[&args[..], &["--agency", "SCT-HCM", "--format", "json"]].concat())
            .ok()
            .stdout(),
    )
    .unwrap();
    let n = taken["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["assigned_to"] == "SCT")
        .count();
    assert!(n > 0);
    let line = format!(
        "Ngoài ra, {n} kỳ thực hiện được giao cho SCT tính cho cơ quan tiếp nhận nhiệm vụ: SCT-HCM ({n})"
    );
    assert_eq!(table.lines().last(), Some(line.as_str()), "{table}");
    let en = real()
        .with(&[&args[..], &["--agency", "SCT", "--lang", "en"]].concat())
        .ok()
        .stdout();
    assert!(
        en.ends_with(&format!(
            "the agencies that took them over: SCT-HCM ({n})\n"
        )),
        "{en}"
    );
    // Not without `--agency`, nor where nothing was taken over, nor in CSV.
    assert!(!real().with(&args).ok().stdout().contains("Ngoài ra"));
    let hcm = real()
        .with(&[&args[..], &["--agency", "SCT-HCM"]].concat())
        .ok()
        .stdout();
    assert!(!hcm.contains("Ngoài ra"), "{hcm}");
    let csv = real()
        .with(&[&args[..], &["--agency", "SCT", "--format", "csv"]].concat())
        .ok()
        .stdout();
    assert!(!csv.contains("Ngoài ra"), "{csv}");
}

#[test]
fn show_and_due() {
    let r = demo_snapshot!("show_2_1", &["show", "2.1", "--as-of", "2024-03-15"]);
    assert!(
        r.stdout().contains("Năm 2024  thời hạn 15/03/2024"),
        "{}",
        r.stdout()
    );
    let r = demo_snapshot!(
        "show_1_1_en",
        &["show", "1.1", "--as-of", "2024-12-31", "--lang", "en"]
    );
    assert!(
        r.stdout()
            .contains("deadline 31/12/2024 (original deadline 15/12/2024)"),
        "{}",
        r.stdout()
    );
    let r = demo_snapshot!("due", &["due", "--as-of", "2024-06-10"]);
    // 3.1 2024-06 was due 05/06: 5 days late on 10/06.
    assert!(r.stdout().contains("Quá hạn 5 ngày"), "{}", r.stdout());
    let r = demo_snapshot!(
        "due_sct",
        &[
            "due",
            "--as-of",
            "2025-03-01",
            "--within",
            "14",
            "--agency",
            "SCT"
        ]
    );
    assert!(r.stdout().contains("15/03/2025"), "{}", r.stdout());
}

#[test]
fn due_says_when_nobody_has_reported() {
    // 2.2 Q2/2024 (due 25/06) was reported in progress on 20/06: before
    // that date nobody had reported; after the deadline it is overdue, as
    // reported, and "not reported" no longer shows.
    let state = |as_of: &str, lang: &str| {
        let out = Test::demo()
            .with(&["due", "--as-of", as_of, "--agency", "STTTT", "--lang", lang])
            .ok()
            .stdout();
        let lines: Vec<&str> = out
            .lines()
            .skip_while(|l| !l.contains("25/06/2024"))
            .take(2)
            .collect();
        // The state column: the last cell of the row's two lines.
        lines
            .iter()
            .map(|l| {
                l.trim_end_matches('│')
                    .rsplit('┆')
                    .next()
                    .unwrap_or("")
                    .trim()
            })
            .collect::<Vec<_>>()
            .join("/")
    };
    assert_eq!(state("2024-06-15", "vi"), "Còn 10 ngày/Chưa báo cáo");
    assert_eq!(state("2024-06-15", "en"), "10 days left/Not reported");
    assert_eq!(state("2024-07-01", "vi"), "Quá hạn 6 ngày/");
    // Where nobody has reported anything yet — Plan 6418, whose progress
    // nobody has published — the list says so above its counts, as the
    // report does, in the table, the workbook and the web view's page;
    // the demo, where agencies have reported, does not.
    const NOTICE: &str = "Lưu ý: đến ngày tính số liệu chưa có cơ quan nào báo cáo kết quả";
    let real = Test::in_repo(Some("plans/6418-KH-UBND"))
        .with(&["due", "--as-of", "2025-06-20"])
        .ok()
        .stdout();
    let notice = real.lines().position(|l| l.starts_with(NOTICE));
    let counts = real.lines().position(|l| l.starts_with("Tổng cộng: "));
    assert!(notice.is_some() && notice < counts, "{real}");
    let demo = Test::demo()
        .with(&["due", "--as-of", "2024-06-15"])
        .ok()
        .stdout();
    assert!(!demo.contains(NOTICE), "{demo}");
    // Before anything falls due there is nothing to say it of.
    let early = Test::in_repo(Some("plans/6418-KH-UBND"))
        .with(&["due", "--as-of", "2021-12-01"])
        .ok()
        .stdout();
    assert!(!early.contains(NOTICE), "{early}");
}

/// `tasks` says it too, above its table, where nobody has reported
/// anything; not where agencies have, nor above a list with no rows.
#[test]
fn tasks_say_when_nobody_has_reported() {
    const NOTICE: &str = "Lưu ý: đến ngày tính số liệu chưa có cơ quan nào báo cáo kết quả";
    let real = Test::in_repo(Some("plans/6418-KH-UBND"))
        .with(&["tasks", "--as-of", "2025-06-20", "--status", "overdue"])
        .ok()
        .stdout();
    assert!(real.starts_with(NOTICE), "{real}");
    let en = Test::in_repo(Some("plans/6418-KH-UBND"))
        .with(&["--lang", "en", "tasks", "--as-of", "2025-06-20"])
        .ok()
        .stdout();
    assert!(
        en.starts_with("Note: no agency has reported any result"),
        "{en}"
    );
    let none = Test::in_repo(Some("plans/6418-KH-UBND"))
        .with(&["tasks", "--as-of", "2025-06-20", "--status", "cancelled"])
        .ok()
        .stdout();
    assert!(!none.contains(NOTICE), "{none}");
    let demo = Test::demo()
        .with(&["tasks", "--as-of", "2024-06-15"])
        .ok()
        .stdout();
    assert!(!demo.contains(NOTICE), "{demo}");
}

#[test]
fn due_lists_under_who_is_responsible_now() {
    // On 10/06/2024 TP1 still exists; on 15/12/2024 its overdue 2024 report
    // is listed under TP3, naming TP1 as the agency it was assigned to.
    let out = Test::demo()
        .with(&["due", "--as-of", "2024-12-15", "--agency", "TP3"])
        .ok()
        .stdout();
    assert!(out.contains("UBND thị xã Mẫu Ba (TP3)"), "{out}");
    assert!(
        out.contains("(giao cho UBND thành phố Mẫu Một (TP1))"),
        "{out}"
    );
    // On 15/06/2024 STTTT still exists: its report due 25/09/2024, after
    // it merges into SKHCN on 01/07/2024, is STTTT's to act on now, not
    // SKHCN's (§9: the agency responsible on the as-of date).
    let due = |as_of: &str| {
        Test::demo()
            .with(&[
                "due", "--as-of", as_of, "--within", "120", "--agency", "STTTT", "--agency",
                "SKHCN",
            ])
            .ok()
            .stdout()
    };
    let out = due("2024-06-15");
    assert!(!out.contains("(SKHCN)"), "{out}");
    assert!(!out.contains("giao cho"), "{out}");
    assert_eq!(
        out.matches("Sở Thông tin và Truyền thông (STTTT)\n")
            .count(),
        1,
        "{out}"
    );
    assert!(out.contains("Quý III/2024"), "{out}");
    // From 01/07/2024 it is SKHCN's, naming STTTT.
    let out = due("2024-07-01");
    assert!(out.contains("Sở Khoa học và Công nghệ (SKHCN)\n"), "{out}");
    assert!(
        !out.contains("Sở Thông tin và Truyền thông (STTTT)\n"),
        "{out}"
    );
    assert!(
        out.contains("(giao cho Sở Thông tin và Truyền thông (STTTT))"),
        "{out}"
    );
    // The ongoing task with no report yet this year is listed once.
    let out = Test::demo()
        .with(&["due", "--as-of", "2025-02-01", "--agency", "HOI"])
        .ok()
        .stdout();
    assert_eq!(out.matches("3.3").count(), 1, "{out}");
}

#[test]
fn check_both_plans() {
    Test::demo()
        .with(&["check"])
        .ok()
        .stdout_is("DEMO-01/KH: 3 nhóm, 10 nhiệm vụ, 47 kỳ thực hiện, 9 cơ quan, 26 cập nhật, 3 chỉ tiêu, 6 số liệu — hợp lệ\n")
        .then(&["--lang", "en", "check"])
        .ok()
        .stdout_has("10 tasks, 47 occurrences");
    Test::in_repo(Some("plans/6418-KH-UBND"))
        .with(&["check"])
        .ok()
        .stdout_has("6418/KH-UBND: 5 nhóm, ")
        .stderr_is("");
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
        let r = Test::demo().with(&args).code(2);
        assert!(!r.stderr().is_empty());
    }
}

#[test]
fn two_digit_years_are_usage_errors_everywhere() {
    for args in [
        vec!["report", "--as-of", "10/06/24"],
        vec!["tasks", "--as-of", "10/06/24"],
        vec!["due", "--as-of", "10/06/24"],
        vec!["show", "1.1", "--as-of", "24-06-10"],
        vec!["indicators", "--as-of", "10/06/0024"],
        vec!["report", "--year", "24"],
        vec!["tasks", "--year", "3024"],
        vec!["record", "1.1", "--status", "done", "--date", "10/06/24"],
        vec!["measure", "CT1", "--year", "24", "--value", "1"],
    ] {
        Test::demo()
            .with(&args)
            .code(2)
            .stderr_has("1900-2999")
            .unchanged();
    }
}

#[test]
fn wrong_words_get_the_nearest_suggestion() {
    Test::demo()
        .with(&["tasks", "--status", "overdu", "--as-of", "2024-01-01"])
        .code(2)
        .stderr_has("overdue");
    Test::demo()
        .with(&["report", "--agency", "SCTT", "--as-of", "2024-01-01"])
        .code(2)
        .stderr_has("có phải là \"SCT\"");
    for word in [
        "done-on-time",
        "done_on_time",
        "on-time",
        "in-progress",
        "in_progress",
    ] {
        Test::demo()
            .with(&["tasks", "--status", word, "--as-of", "2024-12-31"])
            .ok();
    }
}

#[test]
fn a_ceased_agency_says_where_its_tasks_went() {
    Test::demo()
        .with(&[
            "report",
            "--year",
            "2025",
            "--agency",
            "STTTT",
            "--as-of",
            "2025-12-31",
        ])
        .ok()
        .stderr_has("STTTT hoạt động đến hết ngày 30/06/2024")
        .stderr_has("Sở Khoa học và Công nghệ (SKHCN)");
}

#[test]
fn output_file_gets_a_bom_for_csv_only() {
    let t = Test::empty();
    let csv = t.cwd().join("r.csv");
    let json = t.cwd().join("r.json");
    let demo = root().join("examples/demo");
    let demo = demo.to_str().unwrap();
    let r = t
        .with(&[
            "--plan",
            demo,
            "report",
            "--as-of",
            "2024-12-31",
            "--format",
            "csv",
            "--output",
            "r.csv",
        ])
        .ok()
        .stdout_is("");
    assert!(std::fs::read(&csv).unwrap().starts_with(b"\xEF\xBB\xBF"));
    let _r = r
        .then(&[
            "--plan",
            demo,
            "report",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
            "--output",
            "r.json",
        ])
        .ok();
    assert!(std::fs::read(&json).unwrap().starts_with(b"{"));
    // Standard output never carries a BOM.
    let r = Test::demo()
        .with(&["report", "--as-of", "2024-12-31", "--format", "csv"])
        .ok();
    assert!(!r.output.stdout.starts_with(b"\xEF\xBB\xBF"));
}

#[test]
fn invalid_plan_fails_every_command_with_exit_1() {
    let t =
        Test::copy("examples/demo").write("progress/SCT/bad.toml", "[[update]]\ntask = \"1.1\"\n");
    let mut run = t.with(&["check"]);
    for cmd in [
        &["check"][..],
        &["report", "--as-of", "2024-01-01"],
        &["tasks", "--as-of", "2024-01-01"],
        &["due", "--as-of", "2024-01-01"],
    ] {
        run = run
            .then(cmd)
            .code(1)
            .stderr_has("plan/progress/SCT/bad.toml:1:1: lỗi: thiếu khóa bắt buộc \"date\"");
    }
    run.then(&["--lang", "en", "check"])
        .code(1)
        .stderr_has("plan/progress/SCT/bad.toml:1:1: error: missing required key \"date\"");
}

#[test]
fn reading_commands_show_at_most_ten_warnings() {
    // Fifteen one-off tasks due before the plan was issued: fifteen warnings.
    let mut tasks = String::new();
    for i in 0..15 {
        tasks.push_str(&format!(
            "\n[[task]]\nid = \"W{i}\"\ngroup = \"I\"\ntitle = \"w\"\nlead = \"SCT\"\ndue = 2023-01-0{}\n",
            1 + i % 9
        ));
    }
    let t = Test::copy("examples/demo").append("tasks.toml", &tasks);
    let r = t.with(&["report", "--as-of", "2024-12-31"]).ok();
    assert_eq!(
        r.stderr().matches("cảnh báo:").count(),
        10,
        "{}",
        r.stderr()
    );
    let r = r
        .stderr_has("… và 5 cảnh báo khác (chạy kehoach check để xem hết)")
        .then(&["check"])
        .ok();
    assert_eq!(r.stderr().matches("cảnh báo:").count(), 15);
}

#[test]
fn status_words_take_underscore_or_hyphen_in_files_too() {
    Test::copy("tests/errors/_base")
        .write(
            "progress/A/2024.toml",
            "[[update]]\ntask = \"1.1\"\nperiod = \"2024\"\ndate = 2024-05-01\nstatus = \"in-progress\"\n\n[[update]]\ntask = \"1.2\"\ndate = 2023-05-01\nstatus = \"not-started\"\n",
        )
        .with(&["check"])
        .ok()
        .stderr_is("")
        .then(&["--lang", "en", "tasks", "--status", "in-progress", "--year", "2024", "--as-of", "2024-06-01", "--format", "json"])
        .ok()
        .stdout_has("\"progress\": \"in_progress\"");
    // A wrong word in a file gets the nearest one.
    Test::copy("tests/errors/_base")
        .write(
            "progress/A/2024.toml",
            "[[update]]\ntask = \"1.1\"\nperiod = \"2024\"\ndate = 2024-05-01\nstatus = \"in_progres\"\n",
        )
        .with(&["check"])
        .code(1)
        .stderr_has("trạng thái \"in_progres\" không hợp lệ; có phải là \"in_progress\"?");
}

/// A command line kehoach refuses is worded in the run's language: the
/// plan's (Vietnamese for the demo), or `--lang`'s; exit 2 either way, and
/// nothing written.
#[test]
fn usage_errors_speak_the_plans_language() {
    Test::demo()
        .with(&["report", "--as-of", "31/12/23"])
        .code(2)
        .stderr_is(
            "kehoach: lỗi: --as-of <DATE>: \"31/12/23\" không phải là ngày; viết 2023-12-31 hoặc 31/12/2023 (năm đủ bốn chữ số, 1900-2999)\n\nXem hướng dẫn: kehoach report --help\n",
        );
    Test::demo()
        .with(&["record", "1.1", "--status", "xong", "--date", "2024-01-01"])
        .code(2)
        .stderr_has("--status <STATUS>: \"xong\" không phải là một trạng thái; dùng not_started")
        .unchanged();
    Test::demo()
        .with(&["tasks", "--status", "xong"])
        .code(2)
        .stderr_has("--status <STATUS>: \"xong\" không phải là giá trị được dùng; các giá trị: ");
    Test::demo()
        .with(&["reprot"])
        .code(2)
        .stderr_has("kehoach: lỗi: lệnh lạ \"reprot\"; có phải là \"report\"?");
    // In English, clap's words.
    Test::demo()
        .with(&["--lang", "en", "report", "--as-of", "31/12/23"])
        .code(2)
        .stderr_has(
            "error: invalid value '31/12/23' for '--as-of <DATE>': \"31/12/23\" is not a date",
        );
    Test::demo()
        .with(&[
            "record",
            "1.1",
            "--status",
            "done",
            "--percent",
            "120",
            "--lang",
            "en",
        ])
        .code(2)
        .stderr_has("\"120\" is not a percentage; write a whole number from 0 to 100")
        .unchanged();
}
