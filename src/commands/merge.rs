//! `kehoach merge-driver` and `kehoach git-setup`: progress files shared
//! through git merge without conflict when both sides only appended.

use super::Env;
use crate::cli::MergeDriverArgs;
use crate::load::{FileKind, parse_text};
use anyhow::{Context, bail};

/// Git's merge driver protocol: write the result to %A; exit 0 when clean,
/// non-zero for a conflict (then %A holds git's usual conflict markers).
pub fn driver(args: &MergeDriverArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    let read = |p: &std::path::Path| {
        std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))
    };
    let (base, ours, theirs) = (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    if let Some(merged) = crate::write::merge_appends(&base, &ours, &theirs) {
        let parses = std::str::from_utf8(&merged).is_ok_and(|text| {
            let mut diags = Vec::new();
            parse_text(text, FileKind::Progress, &mut diags).is_some() && diags.is_empty()
        });
        if parses {
            std::fs::write(&args.ours, merged)
                .with_context(|| format!("cannot write {}", args.ours.display()))?;
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
        .context("cannot run git merge-file")?;
    std::fs::write(&args.ours, &out.stdout)
        .with_context(|| format!("cannot write {}", args.ours.display()))?;
    if out.status.success() {
        return Ok(());
    }
    writeln!(
        env.err,
        "kehoach merge-driver: {}: conflict left for you to resolve",
        args.ours.display()
    )?;
    Err(super::Reported.into())
}

/// Registers the driver in the current clone's config.
pub fn setup(env: &mut Env<'_>) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("cannot find the kehoach executable")?;
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
            .context("git-setup needs git, which was not found")?;
        if !out.status.success() {
            bail!(
                "git config failed (run git-setup inside a clone): {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
    }
    writeln!(env.out, "merge driver registered: {driver}")?;
    writeln!(
        env.out,
        "progress files marked `merge=kehoach` in .gitattributes now merge without conflict"
    )?;
    Ok(())
}
