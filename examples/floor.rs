//! The parse floor of a plan directory: read every file and parse it into
//! typed serde structs with the `toml` crate, on all cores, and nothing
//! else. kehoach's own commands are measured against it (see bench/run.sh).
//! By default every parsed file is kept until the end, as a program that
//! then works on the plan would; with `--drop` each is dropped once parsed
//! (counted and discarded), the lowest cost of reading the plan at all.
//!
//! ```sh
//! cargo run --release --example floor -- /tmp/plan-m
//! cargo run --release --example floor -- /tmp/plan-m --drop
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::value::Datetime;

#[allow(dead_code)]
#[derive(Deserialize)]
struct Plan {
    id: String,
    title: String,
    title_en: Option<String>,
    issuer: Option<String>,
    issued: Datetime,
    first_year: i64,
    last_year: i64,
    lang: Option<String>,
    #[serde(default)]
    focal: Vec<String>,
    #[serde(default)]
    basis: Vec<toml::Table>,
    #[serde(default)]
    group: Vec<Group>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Group {
    id: String,
    title: String,
    title_en: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Agencies {
    #[serde(default)]
    agency: Vec<Agency>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Agency {
    code: String,
    name: String,
    name_en: Option<String>,
    kind: Option<String>,
    until: Option<Datetime>,
    successor: Option<String>,
    #[serde(default)]
    members: Vec<String>,
    parent: Option<String>,
    place: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Tasks {
    #[serde(default)]
    task: Vec<Task>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Task {
    id: String,
    group: String,
    title: String,
    title_en: Option<String>,
    lead: String,
    #[serde(default)]
    support: Vec<String>,
    due: toml::Value,
    output: Option<String>,
    note: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Progress {
    #[serde(default)]
    update: Vec<Update>,
    #[serde(default)]
    measure: Vec<toml::Table>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Update {
    task: String,
    period: Option<String>,
    agency: Option<String>,
    date: Datetime,
    status: String,
    percent: Option<i64>,
    by: Option<String>,
    evidence: Option<String>,
    note: Option<String>,
    new_due: Option<Datetime>,
    decision: Option<String>,
}

#[allow(dead_code)]
enum Parsed {
    Plan(Box<Plan>),
    Agencies(Agencies),
    Tasks(Tasks),
    Progress(Progress),
    Other,
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: floor PLAN_DIR [--drop]"),
    );
    let drop_each = std::env::args().nth(2).is_some_and(|a| a == "--drop");
    let mut files = vec![dir.join("plan.toml"), dir.join("agencies.toml")];
    if dir.join("tasks.toml").exists() {
        files.push(dir.join("tasks.toml"));
    }
    walk(&dir.join("tasks"), &mut files);
    walk(&dir.join("progress"), &mut files);
    let parse = |path: &PathBuf| -> Parsed {
        let text = std::fs::read_to_string(path).expect("read");
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let rel = path.strip_prefix(&dir).unwrap_or(path);
        if name == "plan.toml" && rel == Path::new("plan.toml") {
            Parsed::Plan(Box::new(toml::from_str(&text).expect("plan")))
        } else if rel == Path::new("agencies.toml") {
            Parsed::Agencies(toml::from_str(&text).expect("agencies"))
        } else if rel.starts_with("tasks") || rel == Path::new("tasks.toml") {
            Parsed::Tasks(toml::from_str(&text).expect("tasks"))
        } else if rel.starts_with("progress") {
            Parsed::Progress(toml::from_str(&text).expect("progress"))
        } else {
            Parsed::Other
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let parsed: Vec<(Vec<Parsed>, usize, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    let (mut tasks, mut updates) = (0, 0);
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(f) = files.get(i) else { break };
                        let parsed = parse(f);
                        if drop_each {
                            match &parsed {
                                Parsed::Tasks(t) => tasks += t.task.len(),
                                Parsed::Progress(p) => updates += p.update.len(),
                                _ => {}
                            }
                        } else {
                            mine.push(parsed);
                        }
                    }
                    (mine, tasks, updates)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let (mut tasks, mut updates) = (0, 0);
    for (_, t, u) in &parsed {
        tasks += t;
        updates += u;
    }
    for p in parsed.iter().flat_map(|(kept, _, _)| kept) {
        match p {
            Parsed::Tasks(t) => tasks += t.task.len(),
            Parsed::Progress(p) => updates += p.update.len(),
            Parsed::Plan(_) | Parsed::Agencies(_) | Parsed::Other => {}
        }
    }
    println!("{} files, {tasks} tasks, {updates} updates", files.len());
}
