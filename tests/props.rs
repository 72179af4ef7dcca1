//! Property tests: no input panics the loader; a done occurrence never turns
//! overdue later; the order of tasks and files never changes a report.

mod common;
use chrono::{Days, NaiveDate};
use common::*;
use kehoach::model::{Status, Update};
use kehoach::status::{Class, evaluate};
use proptest::prelude::*;
use std::path::Path;

const FILES: [&str; 5] = [
    "plan.toml",
    "agencies.toml",
    "tasks.toml",
    "indicators.toml",
    "progress/A/2023.toml",
];

/// Applies byte-level edits to a valid file: the inputs a hand edit or a
/// truncated copy produces, most of them still near-valid TOML.
fn mutate(text: &str, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for &(pos, op, byte) in edits {
        let at = if bytes.is_empty() {
            0
        } else {
            pos % (bytes.len() + 1)
        };
        match op % 4 {
            0 => bytes.insert(at, byte),
            1 if at < bytes.len() => {
                bytes.remove(at);
            }
            2 if at < bytes.len() => bytes[at] = byte,
            _ => bytes.truncate(at),
        }
    }
    bytes
}

fn check_dir(dir: &Path) {
    // Must return, never panic; errors are fine.
    let checked = kehoach::validate::load_plan(dir, "plan", &kehoach::cache::Cache::Off);
    if checked.plan.is_none() {
        assert!(checked.errors() > 0, "no plan and no error");
    }
    for p in &checked.problems {
        assert!(
            p.path.starts_with("plan"),
            "{}",
            p.render(kehoach::model::Lang::En, false)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_text_in_any_file_never_panics(which in 0usize..5, text in any::<String>()) {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&root().join("tests/errors/_base"), tmp.path());
        std::fs::write(tmp.path().join(FILES[which]), text).unwrap();
        check_dir(tmp.path());
    }

    #[test]
    fn edited_files_never_panic(
        which in 0usize..5,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..6),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&root().join("tests/errors/_base"), tmp.path());
        let path = tmp.path().join(FILES[which]);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, mutate(&text, &edits)).unwrap();
        check_dir(tmp.path());
    }
}

fn update(date: NaiveDate, status: Status, new_due: Option<NaiveDate>) -> Update {
    Update {
        occurrence: 0,
        date,
        status,
        percent: None,
        new_due,
        file: 0,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn done_never_turns_overdue_later(
        history in proptest::collection::vec((0u64..400, 0usize..4, proptest::option::of(0u64..400)), 0..8),
        as_of in 0u64..500,
        later in 0u64..500,
    ) {
        let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        let d0 = start + Days::new(200);
        let updates: Vec<Update> = history
            .iter()
            .map(|&(day, s, nd)| update(start + Days::new(day), Status::ALL[s], nd.map(|n| start + Days::new(n))))
            .collect();
        let mut order: Vec<u32> = (0..updates.len() as u32).collect();
        order.sort_by_key(|&i| updates[i as usize].date);
        let a = start + Days::new(as_of);
        let b = a + Days::new(later);
        let at_a = evaluate(&order, &updates, Some(d0), false, a);
        let at_b = evaluate(&order, &updates, Some(d0), false, b);
        // With no update between the two dates, a done occurrence stays done
        // the same way, and never becomes overdue.
        let quiet = updates.iter().all(|u| u.date <= a || u.date > b);
        if matches!(at_a.class, Class::OnTime | Class::Late) && quiet {
            prop_assert_eq!(at_b.class, at_a.class);
        }
        if matches!(at_a.class, Class::OnTime | Class::Late) {
            prop_assert!(at_b.class != Class::Overdue || !quiet);
        }
        // An overdue occurrence stays overdue while nothing is reported.
        if at_a.class == Class::Overdue && quiet {
            prop_assert_eq!(at_b.class, Class::Overdue);
        }
    }
}

/// Splits a TOML file into its `[[…]]` blocks (the demo's files have a
/// comment header and then one block per table).
fn blocks(text: &str, header: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.trim() == header {
            out.push(String::new());
        }
        if let Some(last) = out.last_mut()
            && !line.trim_start().starts_with('#')
        {
            last.push_str(line);
            last.push('\n');
        }
    }
    out
}

/// The value of `key = …` in a block, as written.
fn field<'a>(block: &'a str, key: &str) -> &'a str {
    block
        .lines()
        .find_map(|l| {
            l.strip_prefix(key)
                .and_then(|r| r.trim_start().strip_prefix('='))
        })
        .map_or("", str::trim)
}

fn report_json(dir: &Path, as_of: &str) -> String {
    let o = bin()
        .current_dir(dir)
        .args([
            "report", "--year", "all", "--as-of", as_of, "--format", "json",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// Same-date updates of one occurrence, added to the demo's own: their load
/// order decides (§6.1), so they stay together and in order.
const TIES: &str = "[[update]]\ntask = \"1.1\"\nperiod = \"2025\"\ndate = 2025-06-01\nstatus = \"done\"\n\n[[update]]\ntask = \"1.1\"\nperiod = \"2025\"\ndate = 2025-06-01\nstatus = \"in_progress\"\n\n[[update]]\ntask = \"1.4\"\nperiod = \"2024\"\nagency = \"TP3\"\ndate = 2024-12-02\nstatus = \"in_progress\"\n\n[[update]]\ntask = \"1.4\"\nperiod = \"2024\"\nagency = \"TP3\"\ndate = 2024-12-02\nstatus = \"done\"\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// §6.1 says what decides between updates: their dates, and load order
    /// only between same-date updates of one occurrence. So tasks may move
    /// between files and be reordered freely, and so may updates — as long
    /// as each group of same-date updates of one occurrence keeps its order.
    #[test]
    fn task_and_file_order_never_change_a_report(
        seed in proptest::collection::vec(any::<u32>(), 64),
        as_of_day in 0u64..1100,
    ) {
        let demo = root().join("examples/demo");
        let as_of = (NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + Days::new(as_of_day)).to_string();

        let mut tasks = blocks(&std::fs::read_to_string(demo.join("tasks.toml")).unwrap(), "[[task]]");
        let mut updates = Vec::new();
        for f in ["SCT/2023", "SCT/2024", "SYT/2023", "STTTT/2024", "HOI/2023", "HOI/2024", "TP1/2023", "TP2/2023", "TP2/2024"] {
            let text = std::fs::read_to_string(demo.join(format!("progress/{f}.toml"))).unwrap();
            updates.extend(blocks(&text, "[[update]]"));
        }
        updates.extend(blocks(TIES, "[[update]]"));
        // Units: same occurrence and same date stay together, in order.
        let mut units: Vec<String> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        for u in &updates {
            let key = ["task", "period", "agency", "date"].map(|k| field(u, k)).join("|");
            match keys.iter().position(|k| *k == key) {
                Some(i) => units[i].push_str(&format!("\n{u}")),
                None => {
                    keys.push(key);
                    units.push(u.clone());
                }
            }
        }
        assert!(units.len() < updates.len(), "no same-date ties to keep");

        // The baseline: the demo's tasks, its updates and the ties in one file.
        let base = tempfile::tempdir().unwrap();
        for f in ["plan.toml", "agencies.toml", "tasks.toml", "indicators.toml"] {
            std::fs::copy(demo.join(f), base.path().join(f)).unwrap();
        }
        std::fs::create_dir_all(base.path().join("progress")).unwrap();
        std::fs::write(base.path().join("progress/all.toml"), units.join("\n")).unwrap();
        let baseline = report_json(base.path(), &as_of);

        // A deterministic shuffle from the seed.
        let mut k = 0;
        let mut next = || { k += 1; seed[k % seed.len()] as usize };
        for i in (1..tasks.len()).rev() { let j = next() % (i + 1); tasks.swap(i, j); }
        for i in (1..units.len()).rev() { let j = next() % (i + 1); units.swap(i, j); }

        let tmp = tempfile::tempdir().unwrap();
        for f in ["plan.toml", "agencies.toml", "indicators.toml"] {
            std::fs::copy(demo.join(f), tmp.path().join(f)).unwrap();
        }
        std::fs::create_dir_all(tmp.path().join("tasks/x")).unwrap();
        std::fs::create_dir_all(tmp.path().join("progress/a/b")).unwrap();
        let task_files = ["tasks.toml", "tasks/1.toml", "tasks/x/2.toml"];
        for t in &tasks {
            let f = tmp.path().join(task_files[next() % 3]);
            let mut text = std::fs::read_to_string(&f).unwrap_or_default();
            text.push_str(t);
            text.push('\n');
            std::fs::write(f, text).unwrap();
        }
        let progress_files = ["progress/z.toml", "progress/a/1.toml", "progress/a/b/c.toml", "progress/m.toml"];
        for u in &units {
            let f = tmp.path().join(progress_files[next() % 4]);
            let mut text = std::fs::read_to_string(&f).unwrap_or_default();
            text.push_str(u);
            text.push('\n');
            std::fs::write(f, text).unwrap();
        }
        prop_assert_eq!(report_json(tmp.path(), &as_of), baseline);
    }
}

/// The ties do decide: reversing one group changes the report, so the
/// property above is not true by accident.
#[test]
fn same_date_ties_follow_load_order() {
    let demo = root().join("examples/demo");
    let run = |ties: &str| {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&demo, tmp.path());
        std::fs::write(tmp.path().join("progress/ties.toml"), ties).unwrap();
        report_json(tmp.path(), "2025-12-31")
    };
    let forward = run(TIES);
    let mut reversed = blocks(TIES, "[[update]]");
    reversed.swap(0, 1);
    assert_ne!(forward, run(&reversed.join("\n")));
}
