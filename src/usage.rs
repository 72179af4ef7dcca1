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

/// `e` worded in the run's language, for the errors a person makes. In
/// Vietnamese: a value a flag does not take, an unknown flag or command, a
/// missing or conflicting flag. In English, clap's words serve, except for
/// a word where the command takes no such word, which is worded here with
/// the option it was meant for (`stray`). `None` for the rest, which clap
/// words in English.
pub fn worded(e: &clap::Error, args: &[String], lang: Lang) -> Option<String> {
    match lang {
        Lang::Vi => vietnamese(e, args),
        Lang::En => {
            let (word, option) = stray(e, args)?;
            Some(format!(
                "unexpected argument \"{word}\"; did you mean \"{option}\"?"
            ))
        }
    }
}

/// A word given where the command takes none (`kehoach form SCT`), with
/// the option it most likely belongs to (`--agency SCT`): a date is the
/// date of `--date` or `--as-of`, a year the `--year` (or a `record`'s
/// `--period`), a status, format or file name the `--status`, `--format`
/// or `--output`, a code the `--agency`, other words a `--search`. `None`
/// for a flag, or a word the command has no option for.
fn stray(e: &clap::Error, args: &[String]) -> Option<(String, String)> {
    if e.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let word = e.get(ContextKind::InvalidArg)?.to_string();
    if word.starts_with('-') || word.trim().is_empty() {
        return None;
    }
    let command = command_of(args)?;
    let option = |name: &str| command.get_arguments().find(|a| a.get_long() == Some(name));
    // Whether option `name` lists `value` among the values it takes.
    let offers = |name: &str, value: &str| {
        option(name).is_some_and(|a| {
            a.get_possible_values()
                .iter()
                .any(|v| v.matches(value, true))
        })
    };
    let w = word.trim();
    let is_date = (w.contains('-') || w.contains('/')) && crate::cli::parse_date(w).is_ok();
    let is_year = crate::cli::parse_year(w).is_ok() || w.eq_ignore_ascii_case("all");
    let is_period = w.len() > 4 && w.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    let is_file = std::path::Path::new(w)
        .extension()
        .is_some_and(|x| offers("format", &x.to_string_lossy()));
    // `tasks --status` lists its classes; `record --status` parses words.
    let is_status = offers("status", w)
        || (option("status").is_some_and(|a| a.get_possible_values().is_empty())
            && crate::cli::parse_status(w).is_ok());
    let is_code = w.len() <= 24
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && w.chars().any(|c| c.is_ascii_alphabetic());
    let upper = w.chars().all(|c| !c.is_lowercase());
    let name = if is_date && option("date").is_some() {
        "date"
    } else if is_date && option("as-of").is_some() {
        "as-of"
    } else if is_year && option("year").is_some() {
        "year"
    } else if (is_year || is_period) && option("period").is_some() {
        "period"
    } else if is_status {
        "status"
    } else if offers("format", w) {
        "format"
    } else if is_file && option("output").is_some() {
        "output"
    } else if is_code && option("agency").is_some() && (upper || option("search").is_none()) {
        "agency"
    } else if option("search").is_some() {
        "search"
    } else {
        return None;
    };
    let value = if w.contains(char::is_whitespace) {
        format!("\"{w}\"")
    } else {
        w.to_string()
    };
    Some((word.clone(), format!("--{name} {value}")))
}

/// `e` worded in Vietnamese, for the errors a person makes: a value a
/// flag does not take, an unknown flag or command, a missing or
/// conflicting flag. `None` for the rest, which clap words in English.
pub fn vietnamese(e: &clap::Error, args: &[String]) -> Option<String> {
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
        ErrorKind::UnknownArgument => match stray(e, args) {
            Some((word, option)) => format!("tham số lạ \"{word}\"; có phải là \"{option}\"?"),
            None => format!("tham số lạ \"{arg}\"{}", maybe(ContextKind::SuggestedArg)),
        },
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
    match command_of(args) {
        Some(c) => format!("kehoach {} --help", c.get_name()),
        None => "kehoach --help".to_string(),
    }
}

/// The command among `args` (the command line, the program's name first),
/// before any `--`.
fn command_of(args: &[String]) -> Option<clap::Command> {
    use clap::CommandFactory;
    let cli = crate::cli::Cli::command();
    args.iter()
        .skip(1)
        .take_while(|a| a.as_str() != "--")
        .find_map(|a| cli.find_subcommand(a).cloned())
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
        let text = vietnamese(&e, &argv).unwrap_or_else(|| panic!("{line}: {e}"));
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

    /// A word where the command takes none is named with the option it
    /// was most likely meant for, in both languages; a word no option of
    /// the command takes is only called unexpected.
    #[test]
    fn a_stray_word_is_given_its_option() {
        let cases = [
            ("form SCT", Some("--agency SCT")),
            ("report --year 2024 sct", Some("--agency sct")),
            ("report 2024", Some("--year 2024")),
            ("report all", Some("--year all")),
            ("report bao-cao.xlsx", Some("--output bao-cao.xlsx")),
            ("report docx", Some("--format docx")),
            ("due 31/12/2024", Some("--as-of 31/12/2024")),
            ("tasks overdue", Some("--status overdue")),
            ("tasks SYT", Some("--agency SYT")),
            ("tasks tuyen", Some("--search tuyen")),
            ("record 1.1 done", Some("--status done")),
            ("record 1.1 2024-Q2", Some("--period 2024-Q2")),
            ("record 1.1 2024-12-15", Some("--date 2024-12-15")),
            ("measure CT1 2024 --value 3", Some("--year 2024")),
            ("check x", None),
            ("show 1.1 2024", None),
        ];
        for (line, option) in cases {
            let argv = args(line);
            let e = crate::cli::Cli::try_parse_from(&argv).unwrap_err();
            let vi = super::worded(&e, &argv, Lang::Vi).unwrap();
            let en = super::worded(&e, &argv, Lang::En);
            match option {
                Some(option) => {
                    assert!(
                        vi.ends_with(&format!("; có phải là \"{option}\"?")),
                        "{line}: {vi}"
                    );
                    let en = en.unwrap_or_default();
                    assert!(
                        en.ends_with(&format!("; did you mean \"{option}\"?")),
                        "{line}: {en}"
                    );
                }
                None => {
                    assert!(!vi.contains("có phải"), "{line}: {vi}");
                    assert_eq!(en, None, "{line}");
                }
            }
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
