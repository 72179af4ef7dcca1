// One case of the `read` fuzz target, shared with its replay in
// tests/fuzz_corpus.rs (both `include!` this file): arbitrary bytes as one
// file of a small valid plan, then reading commands on it, in process, as
// the command line runs them. Each must print its output or fail with a
// message — never panic, whatever the plan holds (dates centuries apart,
// odd periods, long or empty titles, reorganised agencies, groups).

include!("base_plan.rs");

/// The reading commands, each with the options that change what it draws.
const READ_COMMANDS: &[&[&str]] = &[
    &["due"],
    &["due", "--within", "400"],
    &["due", "--agency", "A", "--limit", "3"],
    &["tasks"],
    &["tasks", "--status", "overdue"],
    &["tasks", "--format", "csv"],
    &["tasks", "--format", "json"],
    &["tasks", "--search", "bao cao"],
    &["report", "--year", "all"],
    &["report", "--year", "all", "--format", "json"],
    &["report", "--year", "all", "--format", "csv"],
    &["report", "--year", "all", "--format", "markdown"],
    &["report", "--year", "all", "--format", "html"],
    &["report", "--year", "2023", "--format", "xlsx", "--output", "r.xlsx"],
    &["report", "--year", "2023", "--format", "docx", "--output", "r.docx"],
    &["show", "1.1"],
    &["show", "1.3"],
    &["indicators", "--year", "all"],
    &["agencies"],
    &["form", "--agency", "A", "--year", "2023", "--output", "f.xlsx"],
];

const READ_AS_OF: [&str; 4] = ["2021-01-01", "2023-12-20", "2026-06-30", "2999-12-31"];

/// The first byte of `data` picks the file, the as-of date and the
/// language; the second, the command (every one, one value in twenty-one);
/// the rest is the file's bytes. `dir` is emptied of nothing: every plan
/// file is written afresh.
fn read_case(dir: &std::path::Path, data: &[u8]) {
    use clap::Parser;
    let [choice, pick, bytes @ ..] = data else { return };
    let (choice, pick) = (*choice, usize::from(*pick) % (READ_COMMANDS.len() + 1));
    let which = usize::from(choice) % FILES.len();
    let as_of = READ_AS_OF[usize::from(choice / 5) % READ_AS_OF.len()];
    let lang = if choice >= 128 { "en" } else { "vi" };
    std::fs::create_dir_all(dir.join("progress/A")).expect("mkdir");
    for (i, (name, base)) in FILES.iter().zip(BASE).enumerate() {
        let body = if i == which { bytes } else { base.as_bytes() };
        std::fs::write(dir.join(name), body).expect("write");
    }
    let plan = dir.to_string_lossy().into_owned();
    for command in READ_COMMANDS.get(pick..=pick).unwrap_or(READ_COMMANDS) {
        let mut argv = vec!["kehoach", "--plan", &plan, "--lang", lang, "--no-cache"];
        argv.extend_from_slice(command);
        if command != &["agencies"] {
            argv.extend_from_slice(&["--as-of", as_of]);
        }
        let cli = kehoach::cli::Cli::try_parse_from(&argv)
            .unwrap_or_else(|e| panic!("a wrong command line {argv:?}: {e}"));
        let today = || chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut env = kehoach::commands::Env {
            cwd: dir,
            today: today(),
            clock: today,
            out_is_terminal: false,
            out_width: None,
            color_out: false,
            color_err: false,
            lang: kehoach::model::Lang::Vi,
            lang_given: true,
            out: &mut out,
            err: &mut err,
            cache: kehoach::cache::Cache::Off,
            set_aside: false,
            loaded: None,
            exits: false,
        };
        // An error is an answer; only a panic is a finding.
        let _ = kehoach::commands::run(cli, &mut env);
    }
}
