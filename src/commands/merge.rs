//! `kehoach merge-driver` and `kehoach git-setup`: progress files shared
//! through git merge without conflict when both sides only appended.

use super::Env;
use crate::cli::MergeDriverArgs;
use crate::load::{FileKind, parse_text};
use crate::messages::{Failure, Msg};

/// Git's merge driver protocol: write the result to %A; exit 0 when clean,
/// non-zero for a conflict (then %A holds git's usual conflict markers).
pub fn driver(args: &MergeDriverArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    let read = |p: &std::path::Path| {
        std::fs::read(p).map_err(|e| {
            Failure::new(Msg::CannotRead {
                detail: format!("{}: {e}", p.display()),
            })
        })
    };
    let (base, ours, theirs) = (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    let write = |bytes: &[u8]| {
        std::fs::write(&args.ours, bytes)
            .map_err(|e| Failure::new(Msg::cannot_write(&args.ours, &e)))
    };
    if let Some(merged) = crate::write::merge_appends(&base, &ours, &theirs) {
        let parses = std::str::from_utf8(&merged).is_ok_and(|text| {
            let mut diags = Vec::new();
            parse_text(text, FileKind::Progress, 0, &mut diags).is_some() && diags.is_empty()
        });
        if parses {
            write(&merged)?;
            return Ok(());
        }
    }
    // Not two appends: git's ordinary three-way merge, conflict markers and all.
    let out = std::process::Command::new("git")
        .args([
            "merge-file",
            "-p",
            "-L",
            "ours",
            "-L",
            "base",
            "-L",
            "theirs",
        ])
        .arg(&args.ours)
        .arg(&args.base)
        .arg(&args.theirs)
        .output()
        .map_err(|e| {
            Failure::new(Msg::CannotRunGit {
                detail: e.to_string(),
            })
        })?;
    write(&out.stdout)?;
    if out.status.success() {
        return Ok(());
    }
    let msg = Msg::MergeConflict {
        file: args.ours.display().to_string(),
    };
    writeln!(env.err, "kehoach merge-driver: {}", msg.text(env.lang))?;
    Err(super::Reported.into())
}

/// Registers the driver in the current clone's config, and makes sure each
/// plan's `.gitattributes` names it and its `.gitignore` keeps the lock
/// file out of git.
pub fn setup(plan: Option<&str>, env: &mut Env<'_>) -> anyhow::Result<()> {
    let exe = std::env::current_exe().map_err(|e| {
        Failure::new(Msg::CannotRunGit {
            detail: e.to_string(),
        })
    })?;
    let driver = format!("\"{}\" merge-driver %O %A %B", exe.display());
    for (key, val) in [
        (
            "merge.kehoach.name",
            "kehoach: keep the updates both sides appended",
        ),
        ("merge.kehoach.driver", driver.as_str()),
    ] {
        let out = std::process::Command::new("git")
            .current_dir(env.cwd)
            .args(["config", key, val])
            .output()
            .map_err(|e| {
                Failure::new(Msg::CannotRunGit {
                    detail: e.to_string(),
                })
            })?;
        if !out.status.success() {
            return Err(Failure::new(Msg::GitSetupFailed {
                detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
            })
            .into());
        }
    }
    writeln!(env.out, "merge driver registered: {driver}")?;
    let plans = match crate::discover::find_plan(plan, env.cwd) {
        Ok(dir) => vec![dir],
        Err(e) => {
            let all = crate::discover::plans_under(&env.cwd.join("plans"));
            if all.is_empty() {
                return Err(e.into());
            }
            all.iter()
                .map(|d| crate::discover::shown_under(env.cwd, d))
                .collect()
        }
    };
    for dir in plans {
        for (name, lines) in [
            (".gitattributes", crate::write::GITATTRIBUTES),
            (".gitignore", crate::write::GITIGNORE),
        ] {
            let added = crate::write::ensure_lines(&dir.path.join(name), lines)?;
            let shown = crate::load::join_shown(&dir.shown, name);
            if added.is_empty() {
                writeln!(env.out, "{shown}: ok")?;
            } else {
                writeln!(env.out, "{shown}: + {}", added.join(", "))?;
            }
        }
    }
    writeln!(
        env.out,
        "progress files marked `merge=kehoach` in .gitattributes now merge without conflict; commit .gitattributes and .gitignore"
    )?;
    Ok(())
}
