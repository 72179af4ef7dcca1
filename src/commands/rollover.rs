//! `kehoach init DIR --based-on OLD`: the next period's plan, started from
//! an earlier one (the 2026–2030 programme after 2021–2025).
//!
//! What carries over is what a new plan document usually repeats: the task
//! groups, the agencies, the recurring and ongoing tasks, the indicators.
//! What belonged to the old period does not: agencies that ceased before
//! the new plan was issued give way to their successors (§9), deadlines
//! bounded to part of the old period cover the whole new one, a one-off
//! task is kept commented out until it has a deadline in the new period,
//! indicators lose their targets, and no progress is copied. The files are
//! written afresh from the validated plan, so the old files' comments
//! (sources, derivations) do not carry over as if they held for the new one.

use super::Env;
use crate::cli::InitArgs;
use crate::labels::date;
use crate::messages::{Failure, Msg};
use crate::model::{AgencyId, Due, Plan};
use crate::status::{attribute, attribute_in};
use crate::write::toml_string;
use chrono::NaiveDate;
use std::fmt::Write as _;

/// `path` as the system sees it (`..`, links, the case of names on
/// Windows): the nearest folder above it that exists, resolved, with the
/// rest of the path as given.
fn real(path: &std::path::Path) -> Option<std::path::PathBuf> {
    let base = path.ancestors().find(|a| a.exists())?;
    let rest = path.strip_prefix(base).ok()?;
    Some(std::fs::canonicalize(base).ok()?.join(rest))
}

/// The first `n` of `items`, then how many more: a national plan's list
/// of one-off tasks runs to hundreds.
fn at_most(items: &[String], n: usize) -> String {
    let shown = items[..items.len().min(n)].join(", ");
    match items.len().saturating_sub(n) {
        0 => shown,
        more => format!("{shown} … (+{})", count(more)),
    }
}

/// A summary line, wrapped and indented under the one above.
fn indented(env: &mut Env<'_>, text: &str) -> anyhow::Result<()> {
    for (i, line) in crate::text::wrap(text, 96).lines().enumerate() {
        let pad = if i == 0 { "  " } else { "    " };
        writeln!(env.out, "{pad}{line}")?;
    }
    Ok(())
}

/// A count as the summary writes it, Vietnamese first: "1.641".
fn count(n: usize) -> String {
    crate::labels::count(n as u64, crate::model::Lang::Vi)
}

/// `init DIR --based-on OLD`: the new plan made from an earlier, valid
/// one, and what was done, said.
pub fn run(
    args: &InitArgs,
    based_on: &str,
    from: i32,
    to: i32,
    dir: &std::path::Path,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    let old_dir = crate::discover::find_plan(Some(based_on), env.cwd)?;
    let old = super::load_with(
        &old_dir,
        env,
        Some(super::WARNINGS_SHOWN),
        super::Text::Skip,
    )?;
    let inside = |sub: &str| match (real(&old_dir.path), real(dir)) {
        (Some(old), Some(new)) => new.starts_with(old.join(sub)),
        _ => false,
    };
    if inside("tasks") || inside("progress") {
        return Err(Failure::new(Msg::InsideOldPlan {
            dir: args.dir.display().to_string(),
            old: old.id.clone(),
        })
        .into());
    }
    let new = NewPlan {
        id: args.id.as_deref(),
        title: args.title.as_deref(),
        issued: args.issued,
        from,
        to,
    };
    let rolled = roll(&old, &new);
    super::init::write_plan(args, dir, rolled.files.iter().cloned())?;
    let id = &rolled.id;
    let shown = args.dir.display();
    writeln!(
        env.out,
        "Đã tạo kế hoạch {id} tại {shown} từ kế hoạch {old_id} / created plan {id} in {shown} from plan {old_id}:",
        old_id = old.id
    )?;
    writeln!(
        env.out,
        "  {n} cơ quan còn hoạt động ngày {d} / agencies in existence on {d}",
        n = count(rolled.agencies),
        d = crate::labels::date(args.issued)
    )?;
    if !rolled.replaced.is_empty() {
        let pairs: Vec<String> = rolled
            .replaced
            .iter()
            .map(|(a, b)| format!("{a}→{b}"))
            .collect();
        let text = format!(
            "thay bằng cơ quan tiếp nhận / replaced by their successors: {}",
            at_most(&pairs, 30)
        );
        indented(env, &text)?;
    }
    writeln!(
        env.out,
        "  {n} nhiệm vụ, giai đoạn {from}-{to} / tasks over {from}-{to}",
        n = count(rolled.tasks)
    )?;
    if !rolled.one_off.is_empty() {
        let text = format!(
            "{n} nhiệm vụ một lần để dạng chú thích, cần thời hạn mới / one-off tasks commented out, each needs a new deadline: {ids}",
            n = count(rolled.one_off.len()),
            ids = at_most(&rolled.one_off, 30)
        );
        indented(env, &text)?;
    }
    if rolled.indicators > 0 {
        writeln!(
            env.out,
            "  {n} chỉ tiêu, chưa có giá trị từng năm / indicators, targets still to write",
            n = count(rolled.indicators)
        )?;
    }
    if rolled.renamed {
        writeln!(
            env.out,
            "  tên kế hoạch: giai đoạn {a}-{b} đổi thành {from}-{to} / the plan's title names {from}-{to} instead of {a}-{b}",
            a = old.first_year,
            b = old.last_year
        )?;
    }
    writeln!(env.out, "  không chép tiến độ / no progress copied")?;
    super::init::next_step(args, env)
}

/// The new plan's values given on the command line.
pub struct NewPlan<'a> {
    pub id: Option<&'a str>,
    pub title: Option<&'a str>,
    pub issued: NaiveDate,
    pub from: i32,
    pub to: i32,
}

/// The files of the new plan (path relative to its directory, text) and
/// what was done, for the summary.
pub struct Rolled {
    pub files: Vec<(String, String)>,
    pub agencies: usize,
    /// Agencies that ceased before the new plan, each with the one that
    /// stands for it now.
    pub replaced: Vec<(String, String)>,
    pub tasks: usize,
    /// One-off tasks left commented out.
    pub one_off: Vec<String>,
    pub indicators: usize,
    /// Whether the plan's title had the old period replaced by the new.
    pub renamed: bool,
    pub id: String,
}

pub fn roll(old: &Plan, new: &NewPlan<'_>) -> Rolled {
    let mut r = Roller {
        old,
        new,
        renamed: false,
    };
    // Every reference names the agency that stands on the day the new plan
    // is issued.
    let now = |a: AgencyId| attribute(old, a, new.issued);
    let kept: Vec<AgencyId> = (0..old.agencies.len()).filter(|&a| now(a) == a).collect();
    let replaced = (0..old.agencies.len())
        .filter(|&a| now(a) != a)
        .map(|a| {
            (
                old.agencies[a].code.clone(),
                old.agencies[now(a)].code.clone(),
            )
        })
        .collect();
    let id = new
        .id
        .map_or_else(|| "…/KH-UBND".to_string(), str::to_string);
    let plan_toml = r.plan_toml(&id, &now);
    let agencies_toml = r.agencies_toml(&kept, &now);
    let (task_files, one_off) = r.task_files(&now);
    let indicators_toml = r.indicators_toml(&now);
    let mut files = vec![
        ("plan.toml".to_string(), plan_toml),
        ("agencies.toml".to_string(), agencies_toml),
    ];
    let tasks = old.tasks.len() - one_off.len();
    files.extend(task_files);
    if let Some(text) = indicators_toml {
        files.push(("indicators.toml".to_string(), text));
    }
    Rolled {
        files,
        agencies: kept.len(),
        replaced,
        tasks,
        one_off,
        indicators: old.indicators.len(),
        renamed: r.renamed,
        id,
    }
}

struct Roller<'a> {
    old: &'a Plan,
    new: &'a NewPlan<'a>,
    /// Whether the plan's title had the old period replaced.
    renamed: bool,
}

impl Roller<'_> {
    /// The header every written file starts with.
    fn header(&self, file: &str, what: &str) -> String {
        let old = self.old;
        format!(
            "# {file} — {what}\n\
             # Lập từ kế hoạch {id} ngày {issued} (kehoach init --based-on):\n\
             # kiểm tra từng mục theo văn bản kế hoạch mới.\n\
             # Made from plan {id} of {issued} (kehoach init --based-on):\n\
             # check every entry against the new plan document.\n",
            id = old.id,
            issued = date(old.issued),
        )
    }

    /// The plan's own title with the old period ("2021-2025", "2021–2025")
    /// replaced by the new one, as TOML. Only the plan's title names its
    /// period by definition: a task's "review of 2021-2025, proposals for
    /// 2026-2030" must not become "review of 2026-2030", so other titles
    /// are copied as written, and so is a title that names the new period
    /// already.
    fn plan_title(&mut self, text: &str) -> String {
        let (a, b) = (self.old.first_year, self.old.last_year);
        let (c, d) = (self.new.from, self.new.to);
        let names = |y: i32, z: i32| ["-", "–"].map(|dash| format!("{y}{dash}{z}"));
        if names(c, d).iter().any(|n| text.contains(n.as_str())) {
            return toml_string(text);
        }
        let mut out = text.to_string();
        for (old, new) in names(a, b).iter().zip(names(c, d)) {
            out = out.replace(old.as_str(), &new);
        }
        self.renamed |= out != text;
        toml_string(&out)
    }

    fn codes(&self, agencies: &[AgencyId]) -> String {
        let codes: Vec<String> = agencies
            .iter()
            .map(|&a| toml_string(&self.old.agencies[a].code))
            .collect();
        format!("[{}]", codes.join(", "))
    }

    fn plan_toml(&mut self, id: &str, now: &impl Fn(AgencyId) -> AgencyId) -> String {
        let old = self.old;
        let mut s = self.header("plan.toml", "kế hoạch / the plan itself");
        let title = match self.new.title {
            Some(t) => toml_string(t),
            None => self.plan_title(&old.title),
        };
        let _ = writeln!(s, "\nid = {}", toml_string(id));
        let _ = writeln!(s, "title = {title}");
        if let Some(en) = &old.title_en {
            let en = self.plan_title(en);
            let _ = writeln!(s, "title_en = {en}");
        }
        if let Some(issuer) = &old.issuer {
            let _ = writeln!(s, "issuer = {}", toml_string(issuer));
        }
        let _ = writeln!(s, "issued = {}", self.new.issued);
        let _ = writeln!(
            s,
            "first_year = {}\nlast_year = {}",
            self.new.from, self.new.to
        );
        let _ = writeln!(s, "lang = {}", toml_string(old.lang.code()));
        if !old.focal.is_empty() {
            let focal = distinct(old.focal.iter().map(|&a| now(a)), None);
            let _ = writeln!(s, "focal = {}", self.codes(&focal));
        }
        let _ = write!(
            s,
            "\n# Căn cứ pháp lý của kế hoạch mới: lặp lại [[basis]] cho mỗi văn bản\n\
             # / the new plan's legal bases, one [[basis]] each:\n\
             # [[basis]]\n\
             # ref = \"Quyết định số .../QĐ-...\"\n\
             # date = {}-01-01\n\
             # title = \"...\"\n",
            self.new.from
        );
        for g in &old.groups {
            let _ = write!(s, "\n[[group]]\nid = {}\n", toml_string(&g.id));
            let title = toml_string(&g.title);
            let _ = writeln!(s, "title = {title}");
            if let Some(en) = &g.title_en {
                let en = toml_string(en);
                let _ = writeln!(s, "title_en = {en}");
            }
        }
        let info = &old.report_info;
        if !info.recipients.is_empty() || info.signer_title.is_some() || info.signer.is_some() {
            s.push_str(
                "\n# Nơi nhận và người ký của kế hoạch trước / the previous plan's recipients and signer\n[report]\n",
            );
            if !info.recipients.is_empty() {
                let r: Vec<String> = info.recipients.iter().map(|r| toml_string(r)).collect();
                let _ = writeln!(s, "recipients = [{}]", r.join(", "));
            }
            if let Some(t) = &info.signer_title {
                let _ = writeln!(s, "signer_title = {}", toml_string(t));
            }
            if let Some(n) = &info.signer {
                let _ = writeln!(s, "signer = {}", toml_string(n));
            }
        }
        s
    }

    fn agencies_toml(&self, kept: &[AgencyId], now: &impl Fn(AgencyId) -> AgencyId) -> String {
        let old = self.old;
        let mut s = self.header("agencies.toml", "cơ quan / agencies");
        let _ = write!(
            s,
            "# Cơ quan còn hoạt động ngày {d}; cơ quan thôi hoạt động trước ngày đó\n\
             # được thay bằng cơ quan tiếp nhận nhiệm vụ.\n\
             # The agencies in existence on {d}; those that ceased before it are\n\
             # replaced by their successors.\n",
            d = date(self.new.issued)
        );
        for &a in kept {
            let agency = &old.agencies[a];
            let _ = write!(s, "\n[[agency]]\ncode = {}\n", toml_string(&agency.code));
            let _ = writeln!(s, "name = {}", toml_string(&agency.name));
            let text = [
                ("name_en", &agency.name_en),
                ("kind", &agency.kind),
                ("parent", &agency.parent),
                ("place", &agency.place),
            ];
            for (key, value) in text {
                if let Some(v) = value {
                    let _ = writeln!(s, "{key} = {}", toml_string(v));
                }
            }
            if let (Some(until), Some(next)) = (agency.until, agency.successor) {
                let _ = writeln!(s, "until = {until}");
                let _ = writeln!(
                    s,
                    "successor = {}",
                    toml_string(&old.agencies[now(next)].code)
                );
            }
            if agency.is_group() {
                let members = distinct(agency.members.iter().map(|&m| now(m)), None);
                if members != agency.members {
                    let _ = writeln!(
                        s,
                        "# kế hoạch trước / previous plan: members = {}",
                        self.codes(&agency.members)
                    );
                }
                let _ = writeln!(s, "members = {}", self.codes(&members));
            }
        }
        s
    }

    /// The tasks, each in the file it was in (tasks.toml or under tasks/),
    /// and the ids of the one-off tasks left commented out.
    fn task_files(
        &self,
        now: &impl Fn(AgencyId) -> AgencyId,
    ) -> (Vec<(String, String)>, Vec<String>) {
        let old = self.old;
        // tasks.toml first, and always, if only with its header; then the
        // files under tasks/ in load order.
        let mut files: Vec<(String, String)> = vec![("tasks.toml".to_string(), String::new())];
        let mut one_off = Vec::new();
        for (ti, task) in old.tasks.iter().enumerate() {
            let mut t = String::new();
            // This task's own splits (`successors`) count too.
            let now_here = |a: AgencyId| attribute_in(old, ti, a, self.new.issued);
            let lead = now_here(task.lead);
            let support = distinct(task.support.iter().map(|&a| now_here(a)), Some(lead));
            let _ = write!(t, "\n[[task]]\nid = {}\n", toml_string(&task.id));
            let _ = writeln!(t, "group = {}", toml_string(&old.groups[task.group].id));
            let title = toml_string(&task.title);
            let _ = writeln!(t, "title = {title}");
            if let Some(en) = &task.title_en {
                let en = toml_string(en);
                let _ = writeln!(t, "title_en = {en}");
            }
            if lead != task.lead || support != task.support {
                let _ = writeln!(
                    t,
                    "# kế hoạch trước / previous plan: lead = {}, support = {}",
                    toml_string(&old.agencies[task.lead].code),
                    self.codes(&task.support)
                );
            }
            let _ = writeln!(t, "lead = {}", toml_string(&old.agencies[lead].code));
            if !support.is_empty() {
                let _ = writeln!(t, "support = {}", self.codes(&support));
            }
            // Splits still ahead on the new plan's day of issue.
            let ahead: Vec<String> = task
                .successors
                .iter()
                .filter(|&&(from, _)| now(from) == from)
                .map(|&(from, to)| {
                    let code = |a: AgencyId| old.agencies[a].code.as_str();
                    format!("{} = {}", toml_key(code(from)), toml_string(code(now(to))))
                })
                .collect();
            if !ahead.is_empty() {
                let _ = writeln!(t, "successors = {{ {} }}", ahead.join(", "));
            }
            // The old deadline of a one-off task outside the new period.
            let mut ended = None;
            match task.due {
                Due::Once(d) => {
                    let _ = writeln!(t, "due = {d}");
                    if !(self.new.from..=self.new.to).contains(&chrono::Datelike::year(&d)) {
                        ended = Some(d);
                    }
                }
                Due::Every {
                    every, month, day, ..
                } => {
                    let on = match every {
                        crate::model::Every::Year => toml_string(&format!("{month:02}-{day:02}")),
                        _ => day.to_string(),
                    };
                    let _ = writeln!(t, "due = {{ every = \"{}\", on = {on} }}", every.as_str());
                }
                Due::Ongoing {
                    on_request: false, ..
                } => t.push_str("due = \"ongoing\"\n"),
                Due::Ongoing {
                    on_request: true, ..
                } => t.push_str("due = \"on_request\"\n"),
            }
            for (key, value) in [("output", &task.output), ("note", &task.note)] {
                if let Some(v) = value {
                    let _ = writeln!(t, "{key} = {}", toml_string(v));
                }
            }
            if let Some(d) = ended {
                one_off.push(task.id.clone());
                let mut commented = format!(
                    "\n# Nhiệm vụ một lần, thời hạn {} trong kế hoạch trước: ghi thời hạn mới\n\
                     # trong giai đoạn {}-{} rồi bỏ dấu # để dùng.\n\
                     # One-off task, due {} in the previous plan: give it a deadline in\n\
                     # {}-{}, then remove the # to use it.\n",
                    date(d),
                    self.new.from,
                    self.new.to,
                    date(d),
                    self.new.from,
                    self.new.to
                );
                for line in t.lines().skip(1) {
                    let _ = writeln!(commented, "# {line}");
                }
                t = commented;
            }
            let rel = &old.files[task.file].rel;
            match files.iter_mut().find(|(name, _)| name == rel) {
                Some((_, body)) => body.push_str(&t),
                None => files.push((rel.clone(), t)),
            }
        }
        let written = files
            .into_iter()
            .map(|(rel, body)| {
                let head = self.header(&rel, "nhiệm vụ / tasks");
                (rel, head + &body)
            })
            .collect();
        (written, one_off)
    }

    fn indicators_toml(&self, now: &impl Fn(AgencyId) -> AgencyId) -> Option<String> {
        let old = self.old;
        if old.indicators.is_empty() {
            return None;
        }
        let mut s = self.header("indicators.toml", "chỉ tiêu / indicators");
        s.push_str(
            "# Chỉ tiêu từng năm của kế hoạch mới chưa có: ghi target = … hoặc\n\
             # targets = { \"YEAR\" = … } theo văn bản.\n\
             # The new plan's targets are not known yet: write target = … or\n\
             # targets = { \"YEAR\" = … } from the plan document.\n",
        );
        for ind in &old.indicators {
            let _ = write!(s, "\n[[indicator]]\nid = {}\n", toml_string(&ind.id));
            let title = toml_string(&ind.title);
            let _ = writeln!(s, "title = {title}");
            let _ = writeln!(s, "unit = {}", toml_string(&ind.unit));
            let _ = writeln!(
                s,
                "lead = {}",
                toml_string(&old.agencies[now(ind.lead)].code)
            );
            if let Some(g) = ind.group {
                let _ = writeln!(s, "group = {}", toml_string(&old.groups[g].id));
            }
            let _ = writeln!(s, "kind = \"{}\"", ind.kind.as_str());
            let before: Vec<String> = old
                .years()
                .zip(&ind.targets)
                .filter_map(|(y, t)| t.map(|t| format!("{y}: {t}")))
                .collect();
            if !before.is_empty() {
                let _ = writeln!(s, "# kế hoạch trước / previous plan: {}", before.join(", "));
            }
            s.push_str("targets = {}\n");
        }
        Some(s)
    }
}

/// An agency code as a TOML key: bare when it can be (`STTTT`), else
/// quoted (`"SỞ.A"`).
fn toml_key(code: &str) -> String {
    let bare = !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        code.to_string()
    } else {
        toml_string(code)
    }
}

/// `agencies` in order without repeats, and without `but`.
fn distinct(agencies: impl Iterator<Item = AgencyId>, but: Option<AgencyId>) -> Vec<AgencyId> {
    let mut out: Vec<AgencyId> = Vec::new();
    for a in agencies {
        if Some(a) != but && !out.contains(&a) {
            out.push(a);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_says_how_many_more() {
        let ids: Vec<String> = (1..=1205).map(|i| format!("T{i}")).collect();
        assert_eq!(at_most(&ids[..3], 30), "T1, T2, T3");
        let text = at_most(&ids, 30);
        assert!(
            text.starts_with("T1, T2,") && text.contains("T30 … (+1.175)"),
            "{text}"
        );
        assert!(!text.contains("T31"), "{text}");
    }
}
