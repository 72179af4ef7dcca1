//! Finding the plan directory (spec §10): `--plan`, else `KEHOACH_PLAN`,
//! else the nearest directory at or above the current one with a plan.toml,
//! else the one plan under `./plans/`.

use crate::messages::{Failure, Msg};
use std::path::{Path, PathBuf};

/// A plan directory and how to show its paths to the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanDir {
    pub path: PathBuf,
    pub shown: String,
}

/// Finds the plan. `explicit` is `--plan` or `KEHOACH_PLAN` (clap reads the
/// variable); it may name a plan directory, a file inside one (such as its
/// plan.toml or tasks.toml), or, under `./plans/`, a plan id.
pub fn find_plan(explicit: Option<&str>, cwd: &Path) -> Result<PlanDir, Failure> {
    match explicit {
        Some(given) => explicit_plan(given, cwd),
        None => nearest_plan(cwd),
    }
}

fn explicit_plan(given: &str, cwd: &Path) -> Result<PlanDir, Failure> {
    if given.trim().is_empty() {
        return Err(Failure::usage(Msg::EmptyPlanArgument));
    }
    let path = cwd.join(given);
    let trimmed = given.trim_end_matches(['/', '\\']);
    if path.join("plan.toml").is_file() {
        return Ok(PlanDir {
            path,
            shown: if trimmed.is_empty() {
                ".".into()
            } else {
                trimmed.into()
            },
        });
    }
    // A file inside a plan means that plan.
    if path.is_file()
        && let Some(dir) = path
            .ancestors()
            .skip(1)
            .find(|d| d.join("plan.toml").is_file())
    {
        return Ok(shown_under(cwd, dir));
    }
    // A plan id such as 6418/KH-UBND, looked up under ./plans/.
    let matches: Vec<PathBuf> = plans_under(&cwd.join("plans"))
        .into_iter()
        .filter(|dir| crate::load::plan_id(dir).as_deref() == Some(given))
        .collect();
    match matches.as_slice() {
        [only] => return Ok(shown_under(cwd, only)),
        [] => {}
        many => {
            return Err(Failure::new(Msg::AmbiguousPlanId {
                id: given.to_string(),
                list: list(cwd, many, false),
            }));
        }
    }
    if path.is_dir() {
        let inside = plans_under(&path);
        // A folder holding one plan (`--plan plans`) means that plan.
        if let [only] = inside.as_slice() {
            return Ok(shown_under(cwd, only));
        }
        if !inside.is_empty() {
            return Err(Failure::new(Msg::SeveralPlansIn {
                dir: given.to_string(),
                list: list(cwd, &inside, false),
            }));
        }
        // The loader names what is missing (plan.toml, agencies.toml).
        return Ok(PlanDir {
            path,
            shown: trimmed.to_string(),
        });
    }
    Err(Failure::new(Msg::NoSuchPlan {
        given: given.to_string(),
    }))
}

fn nearest_plan(cwd: &Path) -> Result<PlanDir, Failure> {
    for (ups, d) in cwd.ancestors().enumerate() {
        if d.join("plan.toml").is_file() {
            let shown = if ups == 0 {
                ".".to_string()
            } else {
                vec![".."; ups].join("/")
            };
            return Ok(PlanDir {
                path: d.to_path_buf(),
                shown,
            });
        }
    }
    let found = plans_under(&cwd.join("plans"));
    match found.as_slice() {
        [only] => Ok(shown_under(cwd, only)),
        [] => Err(Failure::new(Msg::NoPlanFound)),
        many => Err(Failure::new(Msg::SeveralPlans {
            list: list(cwd, many, true),
        })),
    }
}

/// "  plans/a  (6418/KH-UBND)" lines.
fn list(cwd: &Path, dirs: &[PathBuf], with_id: bool) -> String {
    dirs.iter()
        .map(|d| {
            let shown = shown_under(cwd, d).shown;
            match crate::load::plan_id(d).filter(|_| with_id) {
                Some(id) => format!("  {shown}  ({id})"),
                None => format!("  {shown}"),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn shown_under(cwd: &Path, dir: &Path) -> PlanDir {
    let shown = dir
        .strip_prefix(cwd)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| dir.to_string_lossy().into_owned());
    PlanDir {
        path: dir.to_path_buf(),
        shown: if shown.is_empty() { ".".into() } else { shown },
    }
}

/// Subdirectories of `plans` holding a plan.toml, sorted by name.
pub fn plans_under(plans: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(plans) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("plan.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// Plan ids that more than one directory under `plans` uses, with those
/// directories (shown relative to `cwd`).
pub fn duplicate_ids(cwd: &Path, dirs: &[PathBuf]) -> Vec<(String, Vec<String>)> {
    let mut by_id: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for d in dirs {
        if let Some(id) = crate::load::plan_id(d) {
            by_id.entry(id).or_default().push(shown_under(cwd, d).shown);
        }
    }
    by_id.into_iter().filter(|(_, v)| v.len() > 1).collect()
}
