//! Thin entry point: parse arguments, read the clock once, run, print the
//! error chain and map it to an exit status (0 ok, 1 failure, 2 usage).

use clap::Parser;
use kehoach::cli::Cli;
use kehoach::commands::{self, Env, Reported, UsageError};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // The only place the clock is read: every report is as of a date.
    let today = chrono::Local::now().date_naive();
    // Colour only on a terminal, never with NO_COLOR (unless forced).
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = |is_terminal: bool| match cli.color {
        kehoach::cli::ColorArg::Always => true,
        kehoach::cli::ColorArg::Never => false,
        kehoach::cli::ColorArg::Auto => is_terminal && !no_color,
    };
    let color_out = color(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    let color_err = color(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => {
            eprintln!("kehoach: error: cannot read the current directory: {e}");
            return ExitCode::from(1);
        }
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let result = commands::run(
        cli,
        &mut Env {
            cwd: &cwd,
            today,
            out_is_terminal: std::io::IsTerminal::is_terminal(&std::io::stdout()),
            color_out,
            color_err,
            out: &mut out,
            err: &mut err,
        },
    )
    .and_then(|()| out.flush().map_err(Into::into));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`kehoach tasks | head`) is not an error.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            if e.downcast_ref::<Reported>().is_some() {
                return ExitCode::from(1);
            }
            let word = kehoach::problem::paint("error", "1;31", color_err);
            let _ = writeln!(err, "kehoach: {word}: {e:#}");
            if e.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
