//! Finding the plan directory (spec §10): `--plan`, else `KEHOACH_PLAN`,
//! else the nearest directory at or above the current one with a plan.toml,
//! else the one plan under `./plans/`.

use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// A plan directory and how to show its paths to the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanDir {
    pub path: PathBuf,
    pub shown: String,
}

/// Finds the plan. `explicit` is `--plan` or `KEHOACH_PLAN` (clap reads the
/// variable); it may name a directory or, under `./plans/`, a plan id.
pub fn find_plan(explicit: Option<&str>, cwd: &Path) -> Result<PlanDir> {
    if let Some(given) = explicit {
        let mut path = cwd.join(given);
        let mut given = given;
        // `--plan plans/x/plan.toml` means its directory.
        if path.is_file() && path.file_name().is_some_and(|n| n == "plan.toml") {
            if let Some(parent) = path.parent() {
                path = parent.to_path_buf();
            }
            given = given
                .trim_end_matches("plan.toml")
                .trim_end_matches(['/', '\\']);
            if given.is_empty() {
                given = ".";
            }
        }
        if path.join("plan.toml").is_file() {
            return Ok(PlanDir {
                path,
                shown: given.trim_end_matches(['/', '\\']).to_string(),
            });
        }
        // A plan id such as 6418/KH-UBND, looked up under ./plans/.
        let matches: Vec<PathBuf> = plans_under(&cwd.join("plans"))
            .into_iter()
            .filter(|dir| plan_id(dir).as_deref() == Some(given))
            .collect();
        if let [only] = matches.as_slice() {
            return Ok(shown_under(cwd, only));
        }
        if path.is_dir() {
            let inside = plans_under(&path);
            if !inside.is_empty() {
                let list: Vec<String> = inside
                    .iter()
                    .map(|d| format!("  {}", shown_under(cwd, d).shown))
                    .collect();
                bail!(
                    "{given} holds several plans; choose one with --plan:\n{}",
                    list.join("\n")
                );
            }
            // The loader names what is missing (plan.toml, agencies.toml).
            return Ok(PlanDir {
                path,
                shown: given.trim_end_matches(['/', '\\']).to_string(),
            });
        }
        bail!("{given}: no such plan directory, and no plan with this id under plans/");
    }
    let mut dir = Some(cwd);
    let mut ups = 0;
    while let Some(d) = dir {
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
        dir = d.parent();
        ups += 1;
    }
    let found = plans_under(&cwd.join("plans"));
    match found.as_slice() {
        [only] => Ok(shown_under(cwd, only)),
        [] => bail!(
            "no plan found: no plan.toml here or above, and no plan under ./plans/; \
             name one with --plan DIR or KEHOACH_PLAN"
        ),
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|d| {
                    let shown = shown_under(cwd, d).shown;
                    match plan_id(d) {
                        Some(id) => format!("  {shown}  ({id})"),
                        None => format!("  {shown}"),
                    }
                })
                .collect();
            bail!(
                "several plans under ./plans/; choose one with --plan DIR or --plan ID:\n{}",
                list.join("\n")
            )
        }
    }
}

fn shown_under(cwd: &Path, dir: &Path) -> PlanDir {
    let shown = dir
        .strip_prefix(cwd)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| dir.to_string_lossy().into_owned());
    PlanDir {
        path: dir.to_path_buf(),
        shown,
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

/// The `id` of a plan directory's plan.toml, read cheaply (no validation).
pub fn plan_id(dir: &Path) -> Option<String> {
    let text = crate::load::read_text(&dir.join("plan.toml")).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    table.get("id")?.as_str().map(String::from)
}
