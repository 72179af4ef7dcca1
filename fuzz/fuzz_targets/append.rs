//! An arbitrary update (arbitrary text fields, status, dates) appended
//! through the write path to an arbitrary existing progress file, then the
//! plan re-loaded: the append is refused with the file untouched, or the
//! file keeps its old bytes as a prefix and loads with the new update.
#![no_main]

use libfuzzer_sys::fuzz_target;

const BASE: [(&str, &str); 4] = [
    ("plan.toml", include_str!("../../tests/errors/_base/plan.toml")),
    ("agencies.toml", include_str!("../../tests/errors/_base/agencies.toml")),
    ("tasks.toml", include_str!("../../tests/errors/_base/tasks.toml")),
    ("indicators.toml", include_str!("../../tests/errors/_base/indicators.toml")),
];

fuzz_target!(|data: &[u8]| {
    // Split the input: existing file bytes | update text fields.
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{1}');
    let existing = parts.next().unwrap_or("").as_bytes().to_vec();
    let note = parts.next().unwrap_or("").to_string();
    let by = parts.next().unwrap_or("").to_string();
    let status = ["not_started", "in_progress", "done", "cancelled", "bogus"][data.len() % 5];
    let tmp = tempfile::tempdir().expect("temp dir");
    for (name, body) in BASE {
        std::fs::write(tmp.path().join(name), body).expect("write");
    }
    std::fs::create_dir_all(tmp.path().join("progress/A")).expect("mkdir");
    let target = tmp.path().join("progress/A/2024.toml");
    std::fs::write(&target, &existing).expect("write");
    let Some(plan) = kehoach::validate::load_plan(tmp.path(), "plan", &kehoach::cache::Cache::Off).plan else {
        // The existing file is itself broken: nothing to append to.
        return;
    };
    let mut table = toml_block(status, &note, &by);
    let lock = kehoach::write::lock_plan(tmp.path(), kehoach::write::LOCK_WAIT).expect("lock");
    let outcome = kehoach::write::append(&lock, tmp.path(), "progress/A/2024.toml", &table, |_, new| {
        let mut diags = Vec::new();
        match kehoach::load::parse_text(new, kehoach::load::FileKind::Progress, 0, &mut diags) {
            Some(_) if diags.is_empty() => Ok(()),
            _ => Err(std::io::Error::other("does not parse").into()),
        }
    });
    let now = std::fs::read(&target).expect("read");
    match outcome {
        Err(_) => assert_eq!(now, existing, "refused append changed the file"),
        Ok(_) => {
            assert!(now.starts_with(&existing), "old bytes lost");
            let checked = kehoach::validate::load_plan(tmp.path(), "plan", &kehoach::cache::Cache::Off);
            if status != "bogus" {
                let plan2 = checked.plan.expect("plan still loads");
                let last = (0..plan2.updates.len() as u32)
                    .find(|&i| plan2.text(i).note() == Some(note.as_str()) || note.trim().is_empty());
                assert!(last.is_some(), "appended update not found");
            }
        }
    }
    drop(plan);
    table.clear();
});

fn toml_block(status: &str, note: &str, by: &str) -> String {
    // The same construction as `record`.
    kehoach::write::update_block(&kehoach::write::NewUpdate {
        task: "1.1",
        period: "2024",
        date: chrono_date(),
        status,
        note: Some(note),
        by: Some(by),
        // As `record` requires: a stop is refused without its document.
        decision: (status == "cancelled").then_some("Quyết định số 1/QĐ-UBND"),
        ..Default::default()
    })
}

fn chrono_date() -> Option<kehoach::NaiveDate> {
    kehoach::NaiveDate::from_ymd_opt(2024, 3, 1)
}
