//! Thin entry point: parse arguments, read the clock once, run, print the
//! error in the message language and map it to an exit status (0 ok,
//! 1 failure, 2 usage).

use clap::Parser;
use kehoach::cli::Cli;
use kehoach::commands::{self, Env, Reported};
use kehoach::messages::{Exit, Failure, Msg, error_word};
use std::io::Write;
use std::process::ExitCode;

/// mimalloc (its version 2, which hands freed memory back to the system
/// after 10 ms): loading a national plan makes and frees millions of small
/// values on both cores, where it is markedly faster than the system
/// allocator — at L, the warm report 0.55 → 0.31 s and the uncached one
/// 2.8 → 2.2 s, at the same peak memory.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    // The only place the clock is read: every report is as of a date.
    let today = clock();
    // Colour only on a terminal, never with NO_COLOR (unless forced).
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = |is_terminal: bool| match cli.color {
        kehoach::cli::ColorArg::Always => true,
        kehoach::cli::ColorArg::Never => false,
        kehoach::cli::ColorArg::Auto => is_terminal && !no_color,
    };
    let color_out = color(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    let color_err = color(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let lang = commands::lang_arg(cli.lang);
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    // Line by line on a terminal; through a buffer into a pipe or file,
    // where a line-buffered writer would make a system call per line of a
    // listing that can run to millions of lines.
    let mut out: Box<dyn Write> = if std::io::IsTerminal::is_terminal(&stdout) {
        Box::new(stdout.lock())
    } else {
        Box::new(std::io::BufWriter::with_capacity(1 << 16, stdout.lock()))
    };
    let mut err = stderr.lock();
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => {
            let msg = Msg::CannotReadCwd {
                detail: e.to_string(),
            };
            let lang = lang.unwrap_or_default();
            let _ = writeln!(err, "kehoach: {}: {}", error_word(lang), msg.text(lang));
            return ExitCode::from(1);
        }
    };
    let mut env = Env {
        cwd: &cwd,
        today,
        clock,
        out_is_terminal: std::io::IsTerminal::is_terminal(&std::io::stdout()),
        out_width: terminal_size::terminal_size_of(std::io::stdout())
            .map(|(terminal_size::Width(w), _)| usize::from(w)),
        color_out,
        color_err,
        lang: lang.unwrap_or_default(),
        lang_given: lang.is_some(),
        out: &mut out,
        err: &mut err,
        cache: kehoach::cache::Cache::from_env(cli.no_cache),
        set_aside: cli.set_aside,
        loaded: None,
        exits: true,
    };
    let result = commands::run(cli, &mut env).and_then(|()| env.out.flush().map_err(Into::into));
    let lang = env.lang;

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
            let word =
                kehoach::problem::paint(error_word(lang), kehoach::problem::red(), color_err);
            match e.downcast_ref::<Failure>() {
                Some(f) => {
                    let _ = writeln!(err, "kehoach: {word}: {}", f.msg.text(lang));
                    ExitCode::from(match f.exit {
                        Exit::Usage => 2,
                        Exit::Failure => 1,
                    })
                }
                None => {
                    let _ = writeln!(err, "kehoach: {word}: {e:#}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// A command line clap refused (exit 2), or help and version (exit 0):
/// in Vietnamese when the run's language is (`kehoach::usage`), else as
/// clap words it.
fn usage_error(e: &clap::Error) -> ExitCode {
    if !e.use_stderr() {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let cwd = std::env::current_dir().unwrap_or_default();
    let lang = kehoach::usage::lang_of(&args, &cwd);
    match kehoach::usage::worded(e, &args, lang) {
        Some(text) => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let color = std::io::IsTerminal::is_terminal(&std::io::stderr()) && !no_color;
            let word = kehoach::problem::paint(error_word(lang), kehoach::problem::red(), color);
            let see = match lang {
                kehoach::model::Lang::Vi => "Xem hướng dẫn",
                kehoach::model::Lang::En => "See",
            };
            let _ = writeln!(
                std::io::stderr(),
                "kehoach: {word}: {text}\n\n{see}: {}",
                kehoach::usage::help_command(&args)
            );
        }
        None => {
            let _ = e.print();
        }
    }
    ExitCode::from(2)
}

/// The clock: read here only — once per run, and per request by `serve`.
fn clock() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
