//! Differential test: `report --year all --format json` against the
//! separate Python implementation in bench/report.py (tomllib) — `rows`
//! with `not_reported`, and `ongoing` — on the demo plan month by month, and
//! on a synthetic plan (tests/fixtures/synth, from `synth --tasks 80
//! --agencies 12 --updates 900 --seed 7`: every deadline kind, ongoing
//! tasks, a group lead with a member that ceases, same-date ties,
//! extensions, reopened and cancelled occurrences, reorganised agencies).
//! `due --format json` likewise against bench/due.py: which occurrences
//! are listed, under which agency, in which order, with which days; and
//! `tasks --format json` against bench/tasks.py: every occurrence's class,
//! agency, completion date and last update; and `indicators --format json`
//! against bench/indicators.py.
//! Needs a Python with tomllib (3.11+); without one it skips through
//! `common::skip` (a failure under KEHOACH_REQUIRE_ALL=1).

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

/// Whether Python with tomllib is missing: then `test` skips (through
/// `common::skip`, a failure under KEHOACH_REQUIRE_ALL=1).
fn no_python(test: &str) -> bool {
    let missing = !have("python3", &["-c", "import tomllib"]);
    if missing {
        skip(test, "python3 with tomllib (3.11+) not found");
    }
    missing
}

/// What `bench/SCRIPT PLAN ARGS…` prints, as JSON.
fn python(script: &str, plan: &Path, args: &[&str]) -> Value {
    let o = std::process::Command::new("python3")
        .arg(root().join("bench").join(script))
        .arg(plan)
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// What `kehoach --plan PLAN ARGS…` prints, as JSON.
fn kehoach(plan: &Path, args: &[&str]) -> Value {
    let o = bin().arg("--plan").arg(plan).args(args).output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn rows_agree_with_the_python_reference() {
    if no_python("rows_agree_with_the_python_reference") {
        return;
    }
    let mut cases: Vec<(&str, String)> = Vec::new();
    for year in 2023..=2026 {
        for month in [1, 3, 4, 6, 7, 9, 12] {
            cases.push(("examples/demo", format!("{year}-{month:02}-15")));
        }
    }
    for as_of in [
        "2021-03-31",
        "2021-12-31",
        "2022-06-30",
        "2023-02-28",
        "2023-11-30",
        "2024-02-29",
        "2024-07-01",
        "2025-06-30",
        "2025-12-31",
        "2027-01-01",
    ] {
        cases.push(("tests/fixtures/synth", as_of.to_string()));
    }
    for (plan, as_of) in cases {
        let dir = root().join(plan);
        let py = python("report.py", &dir, &[&as_of]);
        let rs = kehoach(
            &dir,
            &[
                "report", "--year", "all", "--format", "json", "--as-of", &as_of,
            ],
        );
        assert_eq!(rs["rows"], py["rows"], "{plan} as of {as_of}");
        assert_eq!(rs["ongoing"], py["ongoing"], "{plan} as of {as_of}");
    }
}

/// The whole of `due --format json` — counts, and every item with its
/// agency responsible on the as-of date, the agency it was assigned to,
/// its deadlines, days left, kind and whether anyone reported, in the
/// list's order — equals bench/due.py's, on the demo month by month and on
/// the synthetic plan (a reorganisation in mid-2024, group members ceasing)
/// across its period, and on Plan 6418 around its 2025 mergers, for
/// horizons of 0, 30 and 120 days.
#[test]
fn due_agrees_with_the_python_reference() {
    if no_python("due_agrees_with_the_python_reference") {
        return;
    }
    let mut cases: Vec<(&str, String)> = Vec::new();
    for year in 2023..=2026 {
        for month in [1, 3, 6, 7, 9, 12] {
            cases.push(("examples/demo", format!("{year}-{month:02}-15")));
        }
    }
    for as_of in [
        "2021-03-31",
        "2022-06-30",
        "2023-11-30",
        "2024-02-29",
        "2024-06-15",
        "2024-07-01",
        "2025-06-30",
        "2025-12-31",
        "2027-01-01",
    ] {
        cases.push(("tests/fixtures/synth", as_of.to_string()));
    }
    // The real plan: its mergers of 1/3/2025 and 1/7/2025, and its groups.
    for as_of in ["2023-12-10", "2025-06-20", "2025-07-01", "2026-11-30"] {
        cases.push(("plans/6418-KH-UBND", as_of.to_string()));
    }
    let mut listed = 0;
    for (plan, as_of) in cases {
        for within in ["0", "30", "120"] {
            let dir = root().join(plan);
            let py = python("due.py", &dir, &[&as_of, within]);
            let rs = kehoach(
                &dir,
                &[
                    "due", "--format", "json", "--as-of", &as_of, "--within", within,
                ],
            );
            assert_eq!(rs, py, "{plan} as of {as_of} within {within}");
            listed += rs["items"].as_array().map_or(0, Vec::len);
        }
    }
    // Not a comparison of empty lists.
    assert!(listed > 10_000, "{listed}");
}

/// The whole of `tasks --format json` — every occurrence with its class,
/// the agency answerable at its deadline, the member of a group task, its
/// deadlines, completion date and last update (with its text) — equals
/// bench/tasks.py's, whole and filtered by class, on the demo, the
/// synthetic plan and Plan 6418 across their periods.
#[test]
fn tasks_agree_with_the_python_reference() {
    if no_python("tasks_agree_with_the_python_reference") {
        return;
    }
    let mut listed = 0;
    for plan in [
        "examples/demo",
        "tests/fixtures/synth",
        "plans/6418-KH-UBND",
    ] {
        for as_of in [
            "2021-03-31",
            "2023-11-30",
            "2024-02-29",
            "2024-07-01",
            "2025-06-30",
            "2026-01-01",
        ] {
            for status in ["", "overdue", "done_late", "ongoing"] {
                let dir = root().join(plan);
                let filter: &[&str] = if status.is_empty() {
                    &[]
                } else {
                    &["--status", status]
                };
                let py = python("tasks.py", &dir, &[&[as_of][..], filter].concat());
                let rs = kehoach(
                    &dir,
                    &[&["tasks", "--format", "json", "--as-of", as_of][..], filter].concat(),
                );
                assert_eq!(rs, py, "{plan} as of {as_of}, {status:?}");
                listed += rs["occurrences"].as_array().map_or(0, Vec::len);
            }
        }
    }
    assert!(listed > 5_000, "{listed}");
}

/// `indicators --format json` equals bench/indicators.py's on the demo
/// with measurements added for the cases the rule turns on (§8): two on
/// one day in two files (the later file's counts), a value exactly at an
/// `at_least` and an `at_most` target, a measurement for a year without a
/// target, one dated after the as-of date, a correction lowering a value.
#[test]
fn indicators_agree_with_the_python_reference() {
    if no_python("indicators_agree_with_the_python_reference") {
        return;
    }
    let measure = |indicator: &str, year: i32, value: &str, date: &str| {
        format!(
            "\n[[measure]]\nindicator = \"{indicator}\"\nyear = {year}\nvalue = {value}\ndate = {date}\n"
        )
    };
    let t = Test::copy("examples/demo")
        .append(
            "progress/HOI/indicators.toml",
            &(measure("CT2", 2025, "25", "2025-06-30")
                + &measure("CT1", 2025, "89.9", "2025-07-01")),
        )
        .append(
            "progress/SCT/indicators.toml",
            &(measure("CT1", 2025, "90", "2025-07-01")
                + &measure("CT3", 2023, "2", "2023-12-01")
                + &measure("CT3", 2025, "4", "2025-11-30")
                + &measure("CT3", 2025, "3", "2025-12-20")
                + &measure("CT2", 2024, "25", "2025-01-10")),
        );
    let dir = t.dir();
    let mut states = std::collections::BTreeSet::new();
    for as_of in [
        "2023-06-30",
        "2023-12-31",
        "2024-12-31",
        "2025-01-10",
        "2025-06-30",
        "2025-07-01",
        "2025-12-01",
        "2026-01-01",
    ] {
        let py = python("indicators.py", &dir, &[as_of]);
        let rs = kehoach(&dir, &["indicators", "--format", "json", "--as-of", as_of]);
        assert_eq!(rs, py, "as of {as_of}");
        for row in rs["rows"].as_array().unwrap() {
            states.insert(row["state"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(states.len(), 4, "{states:?}");
}

/// `--agency` as bench/due.py and bench/tasks.py read spec §9 and §11:
/// `tasks` keeps the occurrences an agency answers for at their deadline;
/// `due` those it must act on now or answers for at the deadline; a group
/// stands for its members — for agencies that cease, their successors and
/// groups, before, across and after the reorganisations of each plan.
#[test]
fn agency_filters_agree_with_the_python_reference() {
    if no_python("agency_filters_agree_with_the_python_reference") {
        return;
    }
    let mut listed = 0;
    for (plan, codes) in [
        (
            "examples/demo",
            &["STTTT", "SKHCN", "TP1", "TP3", "UBND-HUYEN"][..],
        ),
        ("tests/fixtures/synth", &["A0001", "A0011", "N000"][..]),
        (
            "plans/6418-KH-UBND",
            &["SCT", "STTTT", "SO-NGANH", "UBND-HUYEN"][..],
        ),
    ] {
        let dir = root().join(plan);
        for as_of in ["2024-06-15", "2024-07-01", "2025-06-20", "2025-07-15"] {
            for code in codes {
                let filter = ["--agency", code];
                let rs = kehoach(
                    &dir,
                    &[
                        &["tasks", "--format", "json", "--as-of", as_of][..],
                        &filter,
                    ]
                    .concat(),
                );
                assert_eq!(
                    rs,
                    python("tasks.py", &dir, &[&[as_of][..], &filter].concat()),
                    "tasks {plan} {as_of} --agency {code}"
                );
                listed += rs["occurrences"].as_array().map_or(0, Vec::len);
                let rs = kehoach(
                    &dir,
                    &[
                        &[
                            "due", "--format", "json", "--as-of", as_of, "--within", "90",
                        ][..],
                        &filter,
                    ]
                    .concat(),
                );
                assert_eq!(
                    rs,
                    python("due.py", &dir, &[&[as_of, "90"][..], &filter].concat()),
                    "due {plan} {as_of} --agency {code}"
                );
                listed += rs["items"].as_array().map_or(0, Vec::len);
            }
        }
    }
    assert!(listed > 1_000, "{listed}");
}

/// Tasks done on request, on the demo with two added — one for an agency
/// (asked in 2024, late; asked twice in 2025, the second time extended),
/// one for a group whose members are asked one by one, one of them TP1,
/// which ceases in 2024 — agree with the Python reference in every
/// listing: the report's rows and ongoing entries (an occurrence nobody
/// asked for is in neither), `due`, and `tasks` whole and by class.
#[test]
fn tasks_done_on_request_agree_with_the_python_reference() {
    if no_python("tasks_done_on_request_agree_with_the_python_reference") {
        return;
    }
    let t = Test::copy("examples/demo")
        .append(
            "tasks.toml",
            "\n[[task]]\nid = \"9.1\"\ngroup = \"III\"\ntitle = \"Hợp tác quốc tế khi Bộ yêu cầu\"\nlead = \"SCT\"\ndue = \"on_request\"\n\
             \n[[task]]\nid = \"9.2\"\ngroup = \"III\"\ntitle = \"Phối hợp kiểm tra theo yêu cầu\"\nlead = \"UBND-HUYEN\"\ndue = { every = \"on_request\", first_year = 2024 }\n",
        )
        .write(
            "progress/SCT/requests.toml",
            r#"
[[update]]
task = "9.1"
period = "2024"
date = 2024-03-01
status = "not_started"
new_due = 2024-04-15
decision = "Công văn số 1/BCT"

[[update]]
task = "9.1"
period = "2024"
date = 2024-05-02
status = "done"

[[update]]
task = "9.1"
period = "2025"
date = 2025-02-10
status = "in_progress"
new_due = 2025-03-10
decision = "Công văn số 2/BCT"

[[update]]
task = "9.1"
period = "2025"
date = 2025-03-01
status = "done"
evidence = "Báo cáo số 3/BC-SCT"

[[update]]
task = "9.1"
period = "2025"
date = 2025-08-01
status = "not_started"
new_due = 2025-09-30
decision = "Công văn số 4/BCT"

[[update]]
task = "9.1"
period = "2025"
date = 2025-09-20
status = "in_progress"
new_due = 2025-10-31
decision = "Công văn số 5/BCT gia hạn"
"#,
        )
        .write(
            "progress/TP1/requests.toml",
            r#"
[[update]]
task = "9.2"
period = "2024"
agency = "TP1"
date = 2024-05-01
status = "not_started"
new_due = 2024-08-31
decision = "Công văn số 6/UBND"

[[update]]
task = "9.2"
period = "2024"
agency = "TP2"
date = 2024-06-01
status = "not_started"
new_due = 2024-06-30
decision = "Công văn số 7/UBND"

[[update]]
task = "9.2"
period = "2024"
agency = "TP2"
date = 2024-06-25
status = "done"
"#,
        )
        .with(&["check"])
        .ok()
        .test;
    let dir = t.dir();
    let mut listed = std::collections::BTreeMap::new();
    for as_of in [
        "2024-02-01",
        "2024-04-15",
        "2024-04-16",
        "2024-07-15",
        "2024-09-15",
        "2025-03-05",
        "2025-09-01",
        "2025-10-15",
        "2025-11-01",
        "2026-01-01",
    ] {
        let py = python("report.py", &dir, &[as_of]);
        let rs = kehoach(
            &dir,
            &[
                "report", "--year", "all", "--format", "json", "--as-of", as_of,
            ],
        );
        assert_eq!(rs["rows"], py["rows"], "rows as of {as_of}");
        assert_eq!(rs["ongoing"], py["ongoing"], "ongoing as of {as_of}");
        let py = python("due.py", &dir, &[as_of, "30"]);
        let rs = kehoach(&dir, &["due", "--format", "json", "--as-of", as_of]);
        assert_eq!(rs, py, "due as of {as_of}");
        for status in ["", "overdue", "on_request", "done_late", "in_progress"] {
            let filter: &[&str] = if status.is_empty() {
                &[]
            } else {
                &["--status", status]
            };
            let py = python("tasks.py", &dir, &[&[as_of][..], filter].concat());
            let rs = kehoach(
                &dir,
                &[&["tasks", "--format", "json", "--as-of", as_of][..], filter].concat(),
            );
            assert_eq!(rs, py, "tasks as of {as_of}, {status:?}");
            for o in rs["occurrences"].as_array().into_iter().flatten() {
                if o["task"].as_str().is_some_and(|t| t.starts_with("9.")) {
                    *listed.entry(o["status"].to_string()).or_insert(0) += 1;
                }
            }
        }
    }
    // Every kind the rule makes was compared, not only empty lists.
    for class in [
        "on_request",
        "overdue",
        "in_progress",
        "done_late",
        "done_on_time",
    ] {
        assert!(
            listed.contains_key(&format!("\"{class}\"")),
            "{class}: {listed:?}"
        );
    }
}
