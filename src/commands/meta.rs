//! `kehoach completions` and `kehoach man`: the tool describing itself.

use super::Env;
use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::messages::{Failure, Msg};
use clap::CommandFactory;
use clap::builder::PossibleValuesParser;

/// Completion script for a shell. Inside a plan, task ids, agency codes and
/// indicator ids become the completions of the arguments that take them,
/// in the shells whose scripts complete values (bash and zsh; fish only
/// options' values; clap's PowerShell and Elvish scripts complete commands
/// and options only).
pub fn completions(
    args: &CompletionsArgs,
    plan: Option<&str>,
    env: &mut Env<'_>,
) -> anyhow::Result<()> {
    let mut cmd = Cli::command();
    let found = crate::discover::find_plan(plan, env.cwd)
        .ok()
        .and_then(|dir| crate::validate::load_plan(&dir.path, &dir.shown, &env.cache).plan);
    if let Some(plan) = found {
        let tasks: Vec<String> = plan.tasks.iter().map(|t| t.id.clone()).collect();
        let agencies: Vec<String> = plan.agencies.iter().map(|a| a.code.clone()).collect();
        let indicators: Vec<String> = plan.indicators.iter().map(|i| i.id.clone()).collect();
        // Every command's argument of that name: `record --agency` (a
        // group's member) and `form --agency` as well as the listings'.
        let lists = [
            ("task", tasks),
            ("agency", agencies),
            ("indicator", indicators),
        ];
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        for sub in names {
            cmd = cmd.mut_subcommand(sub, |mut s| {
                for (arg, values) in &lists {
                    if s.get_arguments().any(|a| a.get_id() == arg) {
                        s = s.mut_arg(arg, |a| {
                            a.value_parser(PossibleValuesParser::new(values.clone()))
                        });
                    }
                }
                s
            });
        }
    }
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "kehoach", &mut out);
    env.out.write_all(&out)?;
    Ok(())
}

/// The manual page: kehoach.1 on standard output, or every page into a
/// directory.
pub fn man(args: &ManArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    let cmd = Cli::command();
    match &args.output {
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            env.out.write_all(&out)?;
        }
        Some(dir) => {
            let dir = env.cwd.join(dir);
            std::fs::create_dir_all(&dir).map_err(|e| {
                Failure::new(Msg::CannotCreateDir {
                    path: dir.display().to_string(),
                    detail: e.to_string(),
                })
            })?;
            let mut pages = vec![("kehoach.1".to_string(), cmd.clone())];
            for sub in cmd.get_subcommands() {
                pages.push((
                    format!("kehoach-{}.1", sub.get_name()),
                    sub.clone().name(format!("kehoach-{}", sub.get_name())),
                ));
            }
            for (name, page) in pages {
                let mut out = Vec::new();
                clap_mangen::Man::new(page).render(&mut out)?;
                crate::write::replace_file(&dir.join(&name), &out)?;
                writeln!(env.out, "{}", dir.join(name).display())?;
            }
        }
    }
    Ok(())
}
