//! Indicators (spec §8): the report in every format, the state rules on a
//! plan with ties, and `measure` — refusals, round trip, concurrency.

mod common;
use common::*;
use std::path::Path;

#[test]
fn indicators_in_every_format() {
    let r = demo_snapshot!(
        "indicators_2024",
        &["indicators", "--year", "2024", "--as-of", "2024-12-31"]
    );
    // CT1 2024: 93 measured on 20/12/2024 against at least 90; CT2 27,5
    // days against at most 25.
    assert!(
        r.stdout()
            .contains("≥ 90 ┆        93 ┆ Đạt       ┆ 20/12/2024"),
        "{}",
        r.stdout()
    );
    assert!(
        r.stdout().contains("≤ 25 ┆      27,5 ┆ Không đạt"),
        "{}",
        r.stdout()
    );
    let r = demo_snapshot!(
        "indicators_all_md",
        &[
            "indicators",
            "--year",
            "all",
            "--as-of",
            "2024-12-31",
            "--format",
            "markdown",
            "--lang",
            "en",
        ]
    );
    assert!(r.stdout().contains("| 2024 | CT1 "), "{}", r.stdout());
    let r = demo_snapshot!(
        "indicators_all_csv",
        &[
            "indicators",
            "--year",
            "all",
            "--as-of",
            "2024-12-31",
            "--format",
            "csv",
        ]
    );
    assert!(r.stdout().contains("2024,CT1,"), "{}", r.stdout());
    let r = demo_snapshot!(
        "indicators_all_json",
        &[
            "indicators",
            "--year",
            "all",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
        ]
    );
    let v = r.json();
    let ct1 = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == "CT1" && r["year"] == 2023)
        .unwrap();
    assert_eq!(
        (
            ct1["target"].as_f64(),
            ct1["value"].as_f64(),
            ct1["state"].as_str()
        ),
        (Some(90.0), Some(91.2), Some("met"))
    );
}

fn states(dir: &Path, as_of: &str) -> Vec<(i64, String, String, serde_json::Value)> {
    let o = run_in(
        dir,
        &[
            "indicators",
            "--year",
            "all",
            "--as-of",
            as_of,
            "--format",
            "json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["year"].as_i64().unwrap(),
                r["indicator"].as_str().unwrap().to_string(),
                r["state"].as_str().unwrap().to_string(),
                r["value"].clone(),
            )
        })
        .collect()
}

#[test]
fn latest_measurement_before_the_as_of_date_wins_ties_in_load_order() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("tests/errors/_base"), tmp.path());
    std::fs::write(
        tmp.path().join("indicators.toml"),
        "[[indicator]]\nid = \"CT1\"\ntitle = \"x\"\nunit = \"%\"\nlead = \"A\"\ntarget = 90\n\n\
         [[indicator]]\nid = \"CT2\"\ntitle = \"y\"\nunit = \"ngày\"\nlead = \"B\"\nkind = \"at_most\"\ntargets = { \"2024\" = 10 }\n",
    )
    .unwrap();
    // Files load in path order: a/… before b/…; same date → b's value wins.
    std::fs::create_dir_all(tmp.path().join("progress/a")).unwrap();
    std::fs::create_dir_all(tmp.path().join("progress/b")).unwrap();
    std::fs::write(tmp.path().join("progress/A/2023.toml"), "").unwrap();
    std::fs::write(
        tmp.path().join("progress/a/x.toml"),
        "[[measure]]\nindicator = \"CT1\"\nyear = 2024\nvalue = 95\ndate = 2024-06-01\n\n\
         [[measure]]\nindicator = \"CT1\"\nyear = 2023\nvalue = 80\ndate = 2023-12-01\n\n\
         [[measure]]\nindicator = \"CT2\"\nyear = 2024\nvalue = 10\ndate = 2024-03-01\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("progress/b/y.toml"),
        "[[measure]]\nindicator = \"CT1\"\nyear = 2024\nvalue = 85\ndate = 2024-06-01\n\n\
         [[measure]]\nindicator = \"CT1\"\nyear = 2023\nvalue = 91\ndate = 2024-01-15\n",
    )
    .unwrap();
    let s = states(tmp.path(), "2024-12-31");
    assert_eq!(
        s[0],
        (2023, "CT1".into(), "met".into(), serde_json::json!(91.0))
    );
    assert_eq!(
        s[1],
        (
            2023,
            "CT2".into(),
            "no_target".into(),
            serde_json::Value::Null
        )
    );
    assert_eq!(
        s[2],
        (
            2024,
            "CT1".into(),
            "not_met".into(),
            serde_json::json!(85.0)
        )
    );
    assert_eq!(
        s[3],
        (2024, "CT2".into(), "met".into(), serde_json::json!(10.0))
    );
    // Before the correction of 15/01/2024 the first figure stands; before any
    // measurement, no data.
    let s = states(tmp.path(), "2024-01-14");
    assert_eq!(s[0].2, "not_met");
    assert_eq!(s[2].2, "no_data");
    assert_eq!(s[3].2, "no_data");
}

fn plan() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("tests/errors/_base"), tmp.path());
    tmp
}

fn all_files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.to_string_lossy().contains(".kehoach") {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn measure_refusals_leave_every_file_unchanged() {
    let tmp = plan();
    let before = all_files(tmp.path());
    for args in [
        vec![
            "measure",
            "CT9",
            "--year",
            "2024",
            "--value",
            "90",
            "--date",
            "2024-01-01",
        ],
        vec![
            "measure",
            "CT1",
            "--year",
            "2030",
            "--value",
            "90",
            "--date",
            "2024-01-01",
        ],
        vec![
            "measure",
            "CT1",
            "--year",
            "2024",
            "--value",
            "90",
            "--date",
            "2022-01-01",
        ],
        vec![
            "measure",
            "CT1",
            "--year",
            "2024",
            "--value",
            "90",
            "--date",
            "2999-01-01",
        ],
        vec!["measure", "CT1", "--year", "2024", "--value", "NaN"],
        vec!["measure", "CT1", "--year", "2024", "--value", "inf"],
        vec!["measure", "CT1", "--year", "2024", "--value", "chín mươi"],
        vec!["measure", "CT1", "--year", "2024"],
    ] {
        let o = run_in(tmp.path(), &args);
        assert_ne!(o.status.code(), Some(0), "{args:?} accepted");
        assert!(
            !stderr(&o).is_empty() && !stderr(&o).contains("panicked"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert_eq!(all_files(tmp.path()), before, "{args:?} changed a file");
    }
}

#[test]
fn measure_appends_and_reads_back() {
    let tmp = plan();
    let file = tmp.path().join("progress/A/2024.toml");
    std::fs::write(&file, "# số liệu Sở A\n").unwrap();
    let note = "dòng một\n\"\"\" ' \\ cuối";
    let o = run_in(
        tmp.path(),
        &[
            "measure",
            "ct1",
            "--year",
            "2024",
            "--value",
            "92,5",
            "--date",
            "31/12/2024",
            "--note",
            note,
            "--by",
            "-Trần-",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("progress/A/2024.toml: CT1 / 2024: 92,5%"),
        "{out}"
    );
    assert!(out.ends_with("CT1 / 2024: đạt\n"), "{out}");
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("# số liệu Sở A\n")
    );
    let plan = kehoach::validate::load_plan(tmp.path(), "p", &kehoach::cache::Cache::Off)
        .plan
        .unwrap();
    let m = plan.measures.iter().find(|m| m.year == 2024).unwrap();
    assert_eq!(m.value, 92.5);
    assert_eq!(m.note.as_deref(), Some(note));
    assert_eq!(m.by.as_deref(), Some("-Trần-"));
    // The same figure again (another officer): named, not written again.
    let before = std::fs::read(&file).unwrap();
    let o = run_in(
        tmp.path(),
        &[
            "measure",
            "CT1",
            "--year",
            "2024",
            "--value",
            "92.5",
            "--date",
            "2024-12-31",
            "--note",
            note,
            "--by",
            "Lan",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Đã có trong progress/A/2024.toml: CT1 / 2024: 92,5%, ngày 31/12/2024 (số liệu giống hệt đã có, không ghi lại)"),
        "{}",
        stdout(&o)
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn concurrent_measures_lose_nothing() {
    let tmp = plan();
    let dir = tmp.path();
    std::thread::scope(|s| {
        for p in 0..16 {
            s.spawn(move || {
                for i in 0..4 {
                    let v = format!("{}", p * 10 + i);
                    let o = run_in(
                        dir,
                        &[
                            "measure",
                            "CT1",
                            "--year",
                            "2024",
                            "--value",
                            &v,
                            "--date",
                            "2024-05-05",
                        ],
                    );
                    assert!(o.status.success(), "{}", stderr(&o));
                }
            });
        }
    });
    let plan = kehoach::validate::load_plan(dir, "p", &kehoach::cache::Cache::Off)
        .plan
        .unwrap();
    let mut values: Vec<i64> = plan
        .measures
        .iter()
        .filter(|m| m.year == 2024)
        .map(|m| m.value as i64)
        .collect();
    values.sort();
    let mut expected: Vec<i64> = (0..16)
        .flat_map(|p| (0..4).map(move |i| p * 10 + i))
        .collect();
    expected.sort();
    assert_eq!(values, expected);
}
