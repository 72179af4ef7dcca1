//! Usage errors (exit 2) in the language of the run. clap words them in
//! English, before any plan is read; an officer whose plan is in
//! Vietnamese reads them in Vietnamese (spec §10: messages follow
//! `--lang`, else the plan's `lang`). In English they stay clap's words.

use crate::cli::BadValue;
use crate::model::Lang;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::path::Path;

/// The language of a usage error in `args` (the command line, the
/// program's name first): `--lang` when it is among them, else the `lang`
/// of the plan they name (`--plan`, else `KEHOACH_PLAN`, else the plan
/// found from `cwd`), else Vietnamese.
pub fn lang_of(args: &[String], cwd: &Path) -> Lang {
    match flag_value(args, "--lang").map(|l| l.trim().to_ascii_lowercase()) {
        Some(l) if l == "en" => return Lang::En,
        Some(l) if l == "vi" => return Lang::Vi,
        _ => {}
    }
    let explicit = flag_value(args, "--plan")
        .map(str::to_string)
        .or_else(|| std::env::var("KEHOACH_PLAN").ok())
        .filter(|p| !p.trim().is_empty());
    crate::discover::find_plan(explicit.as_deref(), cwd)
        .map_or(Lang::Vi, |dir| crate::load::plan_lang(&dir.path))
}

/// The value given to `flag` (`--flag VALUE` or `--flag=VALUE`) before any
/// `--`.
fn flag_value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    let mut words = args.iter().skip(1).take_while(|a| a.as_str() != "--");
    while let Some(word) = words.next() {
        if word == flag {
            return words.next().map(String::as_str);
        }
        if let Some(value) = word.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
            return Some(value);
        }
    }
    None
}

/// `e` worded in Vietnamese, for the errors a person makes: a value a
/// flag does not take, an unknown flag or command, a missing or
/// conflicting flag. `None` for the rest, which clap words in English.
pub fn vietnamese(e: &clap::Error) -> Option<String> {
    let text = |kind| e.get(kind).map(ContextValue::to_string);
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let maybe = |kind| {
        text(kind)
            .filter(|s| !s.is_empty())
            .map_or(String::new(), |s| format!("; có phải là \"{s}\"?"))
    };
    let said = match e.kind() {
        ErrorKind::InvalidValue => {
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            let valid = match e.get(ContextKind::ValidValue) {
                Some(ContextValue::Strings(v)) if !v.is_empty() => {
                    format!("; các giá trị: {}", v.join(", "))
                }
                _ => String::new(),
            };
            if value.is_empty() {
                format!("{arg}: thiếu giá trị{valid}")
            } else {
                format!(
                    "{arg}: \"{value}\" không phải là giá trị được dùng{valid}{}",
                    maybe(ContextKind::SuggestedValue)
                )
            }
        }
        ErrorKind::ValueValidation => {
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            match std::error::Error::source(e).and_then(|s| s.downcast_ref::<BadValue>()) {
                Some(bad) => format!("{arg}: {}", bad.0.text(Lang::Vi)),
                None => format!("{arg}: giá trị \"{value}\" không hợp lệ"),
            }
        }
        ErrorKind::UnknownArgument => {
            format!("tham số lạ \"{arg}\"{}", maybe(ContextKind::SuggestedArg))
        }
        ErrorKind::InvalidSubcommand => format!(
            "lệnh lạ \"{}\"{}",
            text(ContextKind::InvalidSubcommand).unwrap_or_default(),
            maybe(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::MissingRequiredArgument => {
            let missing = match e.get(ContextKind::InvalidArg) {
                Some(ContextValue::Strings(v)) => v.join(", "),
                _ => arg,
            };
            format!("thiếu tham số bắt buộc: {missing}")
        }
        ErrorKind::ArgumentConflict => {
            let other = match e.get(ContextKind::PriorArg) {
                Some(ContextValue::Strings(v)) => v.join(", "),
                Some(v) => v.to_string(),
                None => return None,
            };
            format!("{arg} không dùng được cùng với {other}")
        }
        _ => return None,
    };
    Some(said)
}

/// `kehoach COMMAND --help` for the command among `args`, else
/// `kehoach --help`: where to read what the command line takes.
pub fn help_command(args: &[String]) -> String {
    use clap::CommandFactory;
    let cli = crate::cli::Cli::command();
    let command = args
        .iter()
        .skip(1)
        .take_while(|a| a.as_str() != "--")
        .find_map(|a| cli.find_subcommand(a).map(|c| c.get_name().to_string()));
    match command {
        Some(name) => format!("kehoach {name} --help"),
        None => "kehoach --help".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(line: &str) -> Vec<String> {
        std::iter::once("kehoach")
            .chain(line.split_whitespace())
            .map(String::from)
            .collect()
    }

    /// The error `line` makes, in Vietnamese, and where to read more.
    fn worded(line: &str) -> String {
        let argv = args(line);
        let e = match crate::cli::Cli::try_parse_from(&argv) {
            Err(e) => e,
            Ok(_) => panic!("{line} parsed"),
        };
        let text = vietnamese(&e).unwrap_or_else(|| panic!("{line}: {e}"));
        format!("{text}\n\nXem hướng dẫn: {}", help_command(&argv))
    }

    #[test]
    fn every_mistake_a_person_makes_is_worded() {
        let cases = [
            (
                "report --as-of 31/12/23",
                "--as-of <DATE>: \"31/12/23\" không phải là ngày; viết 2023-12-31 hoặc 31/12/2023 (năm đủ bốn chữ số, 1900-2999)\n\nXem hướng dẫn: kehoach report --help",
            ),
            ("report --year 24", "\"24\" không phải là năm"),
            ("report --year 24", "hoặc `all`"),
            (
                "measure CT1 --year 24 --value 1",
                "--year <YEAR>: \"24\" không phải là năm; viết bốn chữ số, 1900-2999 (ví dụ 2024)\n",
            ),
            (
                "measure CT1 --year 2024 --value x",
                "\"x\" không phải là số",
            ),
            (
                "record 1.1 --status done --percent 101",
                "--percent <N>: \"101\" không phải là tỷ lệ phần trăm",
            ),
            (
                "tasks --status overdu",
                "--status <STATUS>: \"overdu\" không phải là giá trị được dùng; các giá trị: ",
            ),
            ("tasks --status overdu", "; có phải là \"overdue\"?"),
            ("report --format pdf", "docx"),
            ("report --frob", "tham số lạ \"--frob\""),
            ("report --formt csv", "có phải là \"--format\"?"),
            (
                "reprot",
                "lệnh lạ \"reprot\"; có phải là \"report\"?\n\nXem hướng dẫn: kehoach --help",
            ),
            (
                "init plans/x",
                "thiếu tham số bắt buộc: --issued <DATE>\n\nXem hướng dẫn: kehoach init --help",
            ),
        ];
        for (line, part) in cases {
            let text = worded(line);
            assert!(text.contains(part), "{line}: {text}");
        }
    }

    #[test]
    fn the_language_is_the_flag_else_the_plan() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let demo = root.join("examples/demo");
        let plan = demo.to_string_lossy();
        assert_eq!(lang_of(&args("report --lang en --as-of x"), root), Lang::En);
        assert_eq!(lang_of(&args("report --lang=en"), root), Lang::En);
        assert_eq!(
            lang_of(&args(&format!("--plan {plan} report --as-of x")), root),
            Lang::Vi
        );
        // An English plan, found from the directory.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("plan.toml"),
            "id = \"X\"\ntitle = \"X\"\nissued = 2024-01-01\nfirst_year = 2024\nlast_year = 2024\nlang = \"en\"\n[[group]]\nid = \"1\"\ntitle = \"G\"\n",
        )
        .unwrap();
        assert_eq!(lang_of(&args("report --as-of x"), dir.path()), Lang::En);
        assert_eq!(
            lang_of(&args("report --lang vi --as-of x"), dir.path()),
            Lang::Vi
        );
        // A flag's value after `--` is not the flag's.
        assert_eq!(lang_of(&args("report -- --lang en"), &demo), Lang::Vi);
    }
}
