//! Writes a valid synthetic plan of any size, for benchmarks and load tests:
//!
//! ```sh
//! cargo run --release --example synth -- --tasks 10000 --agencies 200 --updates 100000 --seed 1 --out /tmp/plan-m
//! ```
//!
//! Deterministic for a seed. It has every deadline kind and ongoing tasks
//! (§12), reorganised agencies, groups leading tasks with members that
//! cease (§11), extensions (each later than the deadline it moves, §5),
//! reopened occurrences, cancellations with their decisions, same-date
//! ties and Vietnamese text; tasks are spread over tasks/*.toml and updates
//! over progress/<LEAD>/<YEAR>.toml (the member's code for a group task).

use clap::Parser;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 1000)]
    tasks: usize,
    #[arg(long, default_value_t = 50)]
    agencies: usize,
    #[arg(long, default_value_t = 10000)]
    updates: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long)]
    out: PathBuf,
}

/// splitmix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const FIRST: i32 = 2021;
const LAST: i32 = 2025;
const WORDS: [&str; 16] = [
    "Tuyên truyền",
    "pháp luật",
    "bảo vệ",
    "quyền lợi",
    "người tiêu dùng",
    "kiểm tra",
    "thị trường",
    "hàng giả",
    "an toàn thực phẩm",
    "tập huấn",
    "cán bộ",
    "hội nghị",
    "đường dây nóng",
    "thương mại điện tử",
    "giám sát",
    "báo cáo",
];

#[derive(Clone, Copy)]
enum Kind {
    Ongoing,
    Once(i32, u32, u32),
    Year(u32, u32),
    Half(u32),
    Quarter(u32),
    Month(u32),
}

fn days_in(y: i32, m: u32) -> u32 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An occurrence: label, year, deadline (y, m, d).
type Occ = (String, i32, (i32, u32, u32));

/// Every occurrence of a deadline rule.
fn occurrences(kind: Kind) -> Vec<Occ> {
    let mut out = Vec::new();
    let clamp = |y: i32, m: u32, d: u32| (y, m, d.min(days_in(y, m)));
    match kind {
        Kind::Ongoing => {
            for y in FIRST..=LAST {
                out.push((y.to_string(), y, (y, 12, 31)));
            }
        }
        Kind::Once(y, m, d) => out.push((y.to_string(), y, (y, m, d))),
        Kind::Year(m, d) => {
            for y in FIRST..=LAST {
                out.push((y.to_string(), y, clamp(y, m, d)));
            }
        }
        Kind::Half(d) => {
            for y in FIRST..=LAST {
                out.push((format!("{y}-H1"), y, clamp(y, 6, d)));
                out.push((format!("{y}-H2"), y, clamp(y, 12, d)));
            }
        }
        Kind::Quarter(d) => {
            for y in FIRST..=LAST {
                for q in 1..=4 {
                    out.push((format!("{y}-Q{q}"), y, clamp(y, q * 3, d)));
                }
            }
        }
        Kind::Month(d) => {
            for y in FIRST..=LAST {
                for m in 1..=12 {
                    out.push((format!("{y}-{m:02}"), y, clamp(y, m, d)));
                }
            }
        }
    }
    out
}

/// Days since 0000-03-01 and back, for date arithmetic without a library.
fn to_days((y, m, d): (i32, u32, u32)) -> i64 {
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = i64::from(y).div_euclid(400);
    let yoe = i64::from(y) - era * 400;
    let doy = (153 * i64::from(m) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe
}

fn from_days(z: i64) -> (i32, u32, u32) {
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400) as i32 + i32::from(m <= 2);
    (y, m, d)
}

fn date((y, m, d): (i32, u32, u32)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let mut rng = Rng(args.seed);
    let out = &args.out;
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        eprintln!("{} is not empty; choose a new directory", out.display());
        std::process::exit(2);
    }
    std::fs::create_dir_all(out.join("tasks"))?;
    let issued = (FIRST - 1, 12, 1);
    let groups = 10;

    let mut plan = format!(
        "# Synthetic plan (seed {}): {} tasks, {} agencies, {} updates.\n\nid = \"SYN-{}/KH\"\ntitle = \"Kế hoạch tổng hợp thử nghiệm quy mô lớn\"\nissued = {}\nfirst_year = {FIRST}\nlast_year = {LAST}\n",
        args.seed,
        args.tasks,
        args.agencies,
        args.updates,
        args.seed,
        date(issued)
    );
    for g in 1..=groups {
        let _ = write!(
            plan,
            "\n[[group]]\nid = \"G{g}\"\ntitle = \"Nhóm nhiệm vụ {g}: {}\"\n",
            WORDS[g % WORDS.len()]
        );
    }
    std::fs::write(out.join("plan.toml"), plan)?;

    // Agencies: the last tenth never cease; 5% of the others are merged
    // into one of them on 30/06/2024.
    let n_agencies = args.agencies.max(2);
    let stable_from = n_agencies - (n_agencies / 10).max(1);
    let mut agencies = String::new();
    let mut ceasing = Vec::new();
    for a in 0..n_agencies {
        let _ = write!(
            agencies,
            "[[agency]]\ncode = \"A{a:04}\"\nname = \"Sở {} số {a}\"\n",
            WORDS[a % WORDS.len()]
        );
        if a < stable_from && rng.chance(5) {
            let successor = stable_from + rng.below(n_agencies - stable_from);
            ceasing.push(a);
            let _ = write!(
                agencies,
                "until = 2024-06-30\nsuccessor = \"A{successor:04}\"\n"
            );
        }
        agencies.push('\n');
    }
    // Groups (§11): collective leads such as "UBND các huyện", each member
    // answering for itself; members may be agencies that cease.
    let n_groups = (n_agencies / 50).max(1);
    let mut group_members: Vec<Vec<usize>> = Vec::new();
    for g in 0..n_groups {
        // Each group has a member that ceases, when any does.
        let mut members: Vec<usize> = ceasing
            .get(g % ceasing.len().max(1))
            .copied()
            .into_iter()
            .collect();
        let want = (3 + rng.below(7)).min(n_agencies);
        while members.len() < want {
            let m = rng.below(n_agencies);
            if !members.contains(&m) {
                members.push(m);
            }
        }
        let codes: Vec<String> = members.iter().map(|m| format!("\"A{m:04}\"")).collect();
        let _ = write!(
            agencies,
            "[[agency]]\ncode = \"N{g:03}\"\nname = \"UBND các huyện, nhóm {g}\"\nmembers = [{}]\n\n",
            codes.join(", ")
        );
        group_members.push(members);
    }
    std::fs::write(out.join("agencies.toml"), agencies)?;

    // Tasks, 1000 a file: (the agencies leading its occurrences, whether it
    // is ongoing, its periods).
    let mut tasks: Vec<(Vec<usize>, bool, Vec<Occ>)> = Vec::with_capacity(args.tasks);
    let mut text = String::new();
    for t in 0..args.tasks {
        let mut lead = rng.below(n_agencies);
        let group = rng.chance(5).then(|| rng.below(n_groups));
        let lead_code = match group {
            Some(g) => format!("N{g:03}"),
            None => format!("A{lead:04}"),
        };
        let leads = match group {
            Some(g) => group_members[g].clone(),
            None => vec![lead],
        };
        if group.is_some() {
            // Support is checked against the lead as written.
            lead = usize::MAX;
        }
        let kind = if rng.chance(8) {
            Kind::Ongoing
        } else {
            match t % 10 {
                0..=3 => Kind::Year(1 + rng.below(12) as u32, 1 + rng.below(28) as u32),
                4 | 5 => Kind::Half(1 + rng.below(31) as u32),
                6 => Kind::Quarter(1 + rng.below(31) as u32),
                7 => Kind::Month(1 + rng.below(31) as u32),
                _ => {
                    let y = FIRST + rng.below(5) as i32;
                    let m = 1 + rng.below(12) as u32;
                    Kind::Once(y, m, 1 + rng.below(days_in(y, m) as usize) as u32)
                }
            }
        };
        let due = match kind {
            Kind::Ongoing => "\"ongoing\"".to_string(),
            Kind::Once(y, m, d) => date((y, m, d)),
            Kind::Year(m, d) => format!("{{ every = \"year\", on = \"{m:02}-{d:02}\" }}"),
            Kind::Half(d) => format!("{{ every = \"half-year\", on = {d} }}"),
            Kind::Quarter(d) => format!("{{ every = \"quarter\", on = {d} }}"),
            Kind::Month(d) => format!("{{ every = \"month\", on = {d} }}"),
        };
        let mut support = Vec::new();
        for _ in 0..rng.below(3) {
            let s = rng.below(n_agencies);
            if s != lead && !support.contains(&s) {
                support.push(s);
            }
        }
        let support: Vec<String> = support.iter().map(|s| format!("\"A{s:04}\"")).collect();
        let _ = write!(
            text,
            "[[task]]\nid = \"T{t}\"\ngroup = \"G{}\"\ntitle = \"{} {} — nhiệm vụ {t}\"\nlead = \"{lead_code}\"\nsupport = [{}]\ndue = {due}\n\n",
            1 + t % groups,
            WORDS[rng.below(WORDS.len())],
            WORDS[rng.below(WORDS.len())],
            support.join(", ")
        );
        tasks.push((leads, matches!(kind, Kind::Ongoing), occurrences(kind)));
        if (t + 1) % 1000 == 0 || t + 1 == args.tasks {
            std::fs::write(out.join(format!("tasks/{:04}.toml", t / 1000)), &text)?;
            text.clear();
        }
    }

    // Updates into progress/<LEAD>/<YEAR>.toml.
    let mut files: std::collections::BTreeMap<(usize, i32), String> = Default::default();
    let statuses = [
        "done",
        "done",
        "done",
        "in_progress",
        "in_progress",
        "not_started",
        "cancelled",
    ];
    let mut last_date: Option<String> = None;
    // Occurrences already extended once: a second extension could fall
    // before the first in date order and shorten it (§5 forbids that).
    let mut extended: std::collections::HashSet<(usize, usize, usize)> = Default::default();
    for u in 0..args
        .updates
        .min(if args.tasks == 0 { 0 } else { usize::MAX })
    {
        let t = rng.below(args.tasks);
        let (leads, ongoing, occ) = &tasks[t];
        let slot = rng.below(occ.len());
        let (label, year, deadline) = &occ[slot];
        let member = rng.below(leads.len());
        let lead = &leads[member];
        let offset = if *ongoing {
            -(rng.below(300) as i64)
        } else {
            rng.below(120) as i64 - 80
        };
        let mut day = from_days(to_days(*deadline) + offset);
        if to_days(day) < to_days(issued) {
            day = issued;
        }
        let mut when = date(day);
        // Same-date ties now and then.
        if rng.chance(3)
            && let Some(prev) = &last_date
        {
            when = prev.clone();
        }
        let status = statuses[rng.below(statuses.len())];
        let file = files.entry((*lead, *year)).or_default();
        let _ = write!(file, "[[update]]\ntask = \"T{t}\"\nperiod = \"{label}\"\n");
        if leads.len() > 1 || tasks_led_by_group(&tasks[t]) {
            let _ = writeln!(file, "agency = \"A{lead:04}\"");
        }
        let _ = write!(file, "date = {when}\nstatus = \"{status}\"\n");
        if status == "cancelled" {
            let _ = writeln!(
                file,
                "decision = \"Quyết định số {u}/QĐ-UBND dừng thực hiện\""
            );
        }
        if status == "done" {
            file.push_str("percent = 100\n");
        } else if status == "in_progress" {
            let _ = writeln!(file, "percent = {}", rng.below(100));
        }
        if rng.chance(10) {
            let _ = writeln!(file, "by = \"Chuyên viên {}\"", u % 97);
        }
        if rng.chance(20) {
            let _ = writeln!(file, "evidence = \"Báo cáo số {u}/BC ngày {}\"", when);
        }
        if !*ongoing && status != "cancelled" && rng.chance(5) && extended.insert((t, slot, member))
        {
            let extended = from_days(to_days(*deadline) + 15 + rng.below(60) as i64);
            let _ = write!(
                file,
                "new_due = {}\ndecision = \"Công văn số {u}/UBND gia hạn\"\n",
                date(extended)
            );
        }
        file.push('\n');
        last_date = Some(when);
    }
    for ((lead, year), text) in files {
        let dir = out.join(format!("progress/A{lead:04}"));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("{year}.toml")), text)?;
    }
    Ok(())
}

/// Whether a task's lead is a group (even of one member).
fn tasks_led_by_group(task: &(Vec<usize>, bool, Vec<Occ>)) -> bool {
    task.0.len() != 1
}

#[cfg(test)]
mod tests {
    #[test]
    fn day_numbers_round_trip() {
        for d in [(2024, 2, 29), (2021, 1, 1), (2025, 12, 31), (2000, 3, 1)] {
            assert_eq!(super::from_days(super::to_days(d)), d);
        }
    }
}
