//! In-process benchmarks (divan): loading and classifying the real plan (S)
//! and a synthetic M-size plan, each beside the parse floor measured in the
//! same run. `cargo bench`; whole-command timings are in bench/run.sh.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn main() {
    divan::main();
}

fn real_plan() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("plans/6418-KH-UBND")
}

/// An M-size plan (10,000 tasks, 200 agencies, 100,000 updates), written
/// once per run by the synth example.
fn m_plan() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // Kept under target/ between runs; written once.
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-m");
        if dir.join("plan.toml").exists() {
            return dir;
        }
        let status = std::process::Command::new(env!("CARGO"))
            .args([
                "run",
                "--release",
                "--quiet",
                "--example",
                "synth",
                "--",
                "--tasks",
                "10000",
                "--agencies",
                "200",
                "--updates",
                "100000",
                "--seed",
                "1",
                "--out",
            ])
            .arg(&dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("run synth");
        assert!(status.success());
        dir
    })
}

/// The parse floor: every file read and parsed into plain typed structs,
/// nothing else (single-threaded here; bench/run.sh times the all-core
/// example).
fn floor(dir: &Path) -> usize {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            toml::from_str::<toml::Table>(&text).map_or(0, |t| t.len())
        })
        .sum()
}

/// The plan in `dir`, loaded without the cache.
fn loaded(dir: &Path) -> kehoach::model::Plan {
    kehoach::validate::load_plan(dir, "plan", &kehoach::cache::Cache::Off)
        .plan
        .expect("valid plan")
}

#[divan::bench]
fn s_floor() -> usize {
    floor(&real_plan())
}

#[divan::bench]
fn s_check() -> usize {
    kehoach::validate::load_plan(&real_plan(), "plan", &kehoach::cache::Cache::Off)
        .problems
        .len()
}

#[divan::bench]
fn s_report(bencher: divan::Bencher) {
    let plan = loaded(&real_plan());
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    bencher.bench(|| {
        let classified = kehoach::status::classify_all(&plan, as_of);
        let years = kehoach::report::all_years(&plan);
        kehoach::report::compliance(&plan, &classified, as_of, &years, None, true)
    });
}

#[divan::bench(sample_count = 10)]
fn m_floor() -> usize {
    floor(m_plan())
}

#[divan::bench(sample_count = 10)]
fn m_load() -> usize {
    kehoach::validate::load_plan(m_plan(), "plan", &kehoach::cache::Cache::Off)
        .problems
        .len()
}

#[divan::bench(sample_count = 10)]
fn m_classify_and_report(bencher: divan::Bencher) {
    let plan = loaded(m_plan());
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    bencher.bench(|| {
        let classified = kehoach::status::classify_all(&plan, as_of);
        let years = kehoach::report::all_years(&plan);
        kehoach::report::compliance(&plan, &classified, as_of, &years, None, true)
    });
}

/// `due`'s own work at M, in one process: finding the open items, then
/// drawing the list (some 100,000 rows) to nowhere, as to /dev/null.
/// The whole command at L is timed by bench/run.sh; this is the steadier
/// figure to judge a change to the drawing by.
#[divan::bench(sample_count = 20)]
fn m_due_list(bencher: divan::Bencher) {
    let plan = loaded(m_plan());
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("date");
    bencher.bench_local(|| {
        let found = kehoach::report::due_found(&plan, as_of, 30, None);
        kehoach::render::due::list(
            &plan,
            &found,
            found.kinds(),
            as_of,
            30,
            kehoach::model::Lang::Vi,
            false,
            &mut std::io::sink(),
            kehoach::render::due::Sizes::NATIONAL,
            None,
        )
        .expect("drawn");
        found.len()
    });
}

/// `tasks --status overdue`'s own work at M, in one process: choosing the
/// overdue occurrences, then drawing the listing (some 100,000 rows) to
/// nowhere, as to /dev/null — the steadier figure to judge a change to its
/// drawing by, as `m_due_list` is for `due`'s.
#[divan::bench(sample_count = 20)]
fn m_tasks_table(bencher: divan::Bencher) {
    let plan = loaded(m_plan());
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("date");
    let filter = kehoach::report::Filter {
        classes: Some(&[kehoach::status::Class::Overdue]),
        ..Default::default()
    };
    bencher.bench_local(|| {
        let chosen = kehoach::report::select(&plan, as_of, &filter);
        let n = chosen.len();
        kehoach::render::tasks::table(
            &plan,
            &chosen,
            n,
            as_of,
            kehoach::model::Lang::Vi,
            &mut std::io::sink(),
            None,
        )
        .expect("drawn");
        n
    });
}
