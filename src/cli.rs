//! Command-line types (clap derive) and nothing else: parsing of values that
//! the command line alone decides (dates, years, formats).

use crate::messages::Msg;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
The order of an officer's work:
  kehoach init plans/1234-KH-UBND    start a plan from commented templates
  kehoach check                      is the plan valid? (run after every hand edit)
  kehoach due                        what is overdue, what falls due in 30 days
  kehoach record 1.2 --period 2024 --status done --evidence \"Báo cáo số 12/BC-SCT\"
  kehoach form --all-agencies --output-dir phieu-2024   forms for agencies to fill in
  kehoach import phieu-2024/*.xlsx   record the returned forms
  kehoach tasks --search \"tuyen truyen\"   find tasks, diacritics optional
  kehoach show 1.2                   one task with its full history
  kehoach report --year 2024         the yearly compliance table per agency
  kehoach report --year all --output bao-cao.xlsx   the format from the extension

The plan is found from --plan, else KEHOACH_PLAN, else the nearest directory
at or above this one with a plan.toml, else the one plan under ./plans/.
Dates are written 2024-12-31 or 31/12/2024, the year in four digits.";

/// kehoach — theo dõi thực hiện kế hoạch: which agency did what it was
/// assigned, on time or late.
#[derive(Parser, Debug)]
#[command(name = "kehoach", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Plan directory, or a plan id under ./plans/ (e.g. 6418/KH-UBND)
    #[arg(long, global = true, env = "KEHOACH_PLAN", value_name = "DIR|ID")]
    pub plan: Option<String>,

    /// Language of labels in output: vi (Vietnamese) or en; default: the plan's `lang`
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,

    /// Colour: auto (only on a terminal, and not when NO_COLOR is set), always or never
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Read every file again instead of reusing the parse cache (also
    /// KEHOACH_NO_CACHE=1); the output is the same either way
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// Reading commands: leave out progress files that have errors, each
    /// named with its errors, instead of refusing the whole plan (the
    /// definitions must still be valid)
    #[arg(long, global = true)]
    pub set_aside: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Start a new plan: commented templates of every file, valid at once
    #[command(
        after_help = "Examples:\n  kehoach init plans/1234-KH-UBND --issued 15/01/2026 --id 1234/KH-UBND --title \"Kế hoạch ...\" --from 2026 --to 2030\n  kehoach init ke-hoach-moi --issued 2026-01-15\n  kehoach init plans/120-KH-UBND --issued 15/01/2026 --based-on 6418/KH-UBND\n\nRefuses a directory that is not empty. Every key of every file is explained\nin Vietnamese and English in the templates.\n\nWith --based-on, the new plan starts as a copy of the earlier one's groups,\nagencies, tasks and indicators: agencies that ceased before --issued are\nreplaced by their successors, tasks cover the new period, one-off tasks are\nleft commented out until they have a deadline in it, indicators have no\ntargets yet, and no progress is copied. The period in the plan's title\n(\"giai đoạn 2021-2025\") becomes the new one."
    )]
    Init(InitArgs),

    /// Validate the whole plan and list every problem with file:line:column
    #[command(
        after_help = "Examples:\n  kehoach check\n  kehoach --plan plans/6418-KH-UBND check\n\nExit status: 0 when the plan is valid, 1 when there is any error."
    )]
    Check,

    /// The morning view: what is overdue and what falls due soon, per agency; also a workbook to send
    #[command(
        after_help = "Examples:\n  kehoach due                        overdue, and due in the next 30 days\n  kehoach due --within 7 --agency SCT\n  kehoach due --output don-doc.xlsx  the list as a workbook, to attach to a reminder\n\nCSV and JSON are machine formats: ISO dates, days left as a number (negative\nwhen overdue), one row per item in the order of the table."
    )]
    Due(DueArgs),

    /// Append one progress update (safely: lock, check, atomic replace)
    #[command(after_help = RECORD_HELP)]
    Record(RecordArgs),

    /// Write an agency's report form (phiếu báo cáo, .xlsx) to fill in and send back
    #[command(after_help = FORM_HELP)]
    Form(FormArgs),

    /// Import filled-in forms: every row checked as `record` would, then all appended or nothing
    #[command(after_help = IMPORT_HELP)]
    Import(ImportArgs),

    /// Append one measurement of an indicator (chỉ tiêu), as safely as `record`
    #[command(
        after_help = "Examples:\n  kehoach measure CT1 --year 2024 --value 92,5 --evidence \"Báo cáo số 301/BC-SCT\"\n  kehoach measure CT3 --year 2025 --value 1 --date 15/03/2025\n\nThe measurement goes to progress/<LEAD>/<YEAR>.toml. It is refused (exit 1,\nevery file unchanged) when `check` would reject it or its date is after today.\nValues may use a decimal comma (92,5) or point (92.5)."
    )]
    Measure(MeasureArgs),

    /// List occurrences with their status, deadline, lead and last update
    #[command(
        after_help = "Examples:\n  kehoach tasks --year 2024 --status overdue\n  kehoach tasks --agency SCT --search \"tuyen truyen\"\n  kehoach tasks --format csv --output nhiem-vu.csv\n  kehoach tasks --year 2024 --without-evidence   done, but no document names it\n\n--search ignores case and Vietnamese diacritics: \"tuyen truyen\" finds \"Tuyên truyền\".\n--without-evidence lists what was reported done with no `evidence` in the\nupdates that make it done; a later `record … --status done --evidence …`\nadds it without moving the completion date."
    )]
    Tasks(TasksArgs),

    /// One task: its agencies, every occurrence with its status, and the full history of updates
    #[command(after_help = "Example:\n  kehoach show 1.2 --as-of 2024-12-31")]
    Show(ShowArgs),

    /// The yearly compliance table per lead agency (báo cáo tình hình thực hiện)
    #[command(
        after_help = "Examples:\n  kehoach report                         this year, as of today\n  kehoach report --year 2024 --as-of 31/12/2024\n  kehoach report --year all --format csv --output bao-cao.csv\n  kehoach report --agency SCT --format markdown\n  kehoach report --year all --output bao-cao.xlsx    (the format from the extension)\n  kehoach report --year 2024 --output bao-cao.docx   (a Word report, Decree 30)\n  kehoach report --year 2024 --format html --output bao-cao.html\n\nWithout --year: the as-of year inside the plan period, every year once the\nperiod has ended, the first year before it has begun.\nCSV written with --output starts with a UTF-8 BOM so that Excel shows\nVietnamese correctly; CSV on standard output has none. Cells that a\nspreadsheet could take for a formula (=, +, -, @, tab, CR, LF first) get a\nleading apostrophe. xlsx needs --output on a terminal."
    )]
    Report(ReportArgs),

    /// Indicators per year: target, value as of the date, met or not
    #[command(
        after_help = "Examples:\n  kehoach indicators --year 2024 --as-of 31/12/2024\n  kehoach indicators --year all --format json\n\nStates: met (đạt), not met (không đạt), no data (chưa có số liệu),\nno target (không đặt chỉ tiêu)."
    )]
    Indicators(IndicatorsArgs),

    /// Agencies: the tasks each leads and supports, and reorganisations
    #[command(after_help = "Example:\n  kehoach agencies --lang en")]
    Agencies,

    /// The plan as web pages and a JSON API, for leads and colleagues
    #[command(after_help = SERVE_HELP)]
    Serve(ServeArgs),

    /// The plans under ./plans/: period, tasks, rates so far and what is not reported
    #[command(
        after_help = "Examples:\n  kehoach plans\n  kehoach plans --as-of 31/12/2025\n\nChoose one for other commands with --plan DIR or --plan ID."
    )]
    Plans(AsOfArg),

    /// Register the merge driver for progress files in this git clone
    #[command(
        after_help = "Example (once in each clone of a repository holding plans):\n  kehoach git-setup\nThe plan's .gitattributes line `progress/** merge=kehoach` names the driver."
    )]
    GitSetup,

    /// Shell completion script (task ids and agency codes from the plan)
    #[command(
        after_help = "Examples:\n  kehoach completions bash > ~/.local/share/bash-completion/completions/kehoach\n  kehoach completions zsh > ~/.zfunc/_kehoach\n  kehoach completions fish > ~/.config/fish/completions/kehoach.fish\n  kehoach completions powershell >> $PROFILE\n\nRun it inside a plan (or with --plan) to complete that plan's task ids\nand indicator ids (bash, zsh) and agency codes (bash, zsh, fish); PowerShell\nand Elvish complete commands and options. Run it again after adding tasks."
    )]
    Completions(CompletionsArgs),

    /// The manual page (roff), to standard output or as files in a directory
    #[command(
        after_help = "Examples:\n  kehoach man | man -l -\n  kehoach man --output /usr/local/share/man/man1"
    )]
    Man(ManArgs),

    /// Git merge driver for progress files: keeps both sides' appended updates
    #[command(
        after_help = "Registered by `kehoach git-setup`; git calls it as\n  kehoach merge-driver %O %A %B\nWhen both sides only appended updates to a common file, the result is the\ncommon part, our updates, then theirs. Anything else is left to git's\nordinary merge, which reports a conflict."
    )]
    MergeDriver(MergeDriverArgs),
}

const RECORD_HELP: &str = "\
Examples:
  kehoach record 1.3 --period 2024 --status done --evidence \"Báo cáo số 301/BC-SCT ngày 28/12/2024\"
  kehoach record 2.1 --status in-progress --percent 60 --date 10/03/2025 --by \"Nguyễn Văn An\"
  kehoach record 1.1 --period 2024 --status in-progress --new-due 2025-01-31 --decision \"Công văn số 12/UBND-KT\"
  kehoach record 2.3 --status cancelled --decision \"Quyết định số 45/QĐ-UBND\"
  kehoach record 1.2 --period 2024 --agency TDM --status done --date 28/11/2024
  kehoach record 1.3 --period 2024 --status done --commit

The update goes to progress/<LEAD>/<YEAR>.toml, appended after what is
there (comments and all stay byte for byte). It is refused — exit status 1,
every file unchanged — when `check` would reject it or its date is after
today. --period defaults to the task's only occurrence, else to the one whose
period contains --date (which defaults to today). An extension (--new-due)
must move the deadline later and, like a stop (--status cancelled), needs
--decision. A task led by a group needs --agency: the member reporting.";

#[derive(Args, Debug)]
pub struct RecordArgs {
    /// Task id, e.g. 1.2
    pub task: String,
    /// Occurrence label: 2024, 2024-H1, 2024-Q2, 2024-05
    #[arg(long, value_name = "LABEL")]
    pub period: Option<String>,
    /// not_started, in_progress, done or cancelled — or the agency form's
    /// words, Vietnamese or English, any case, diacritics optional
    /// ("Đang thực hiện", "dang thuc hien", "In progress")
    #[arg(long, value_parser = parse_status, value_name = "STATUS")]
    pub status: crate::model::Status,
    /// Date the status became true (2024-12-31 or 31/12/2024); default today
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub date: Option<NaiveDate>,
    /// Percent complete, 0–100
    #[arg(long, value_parser = parse_percent, value_name = "N")]
    pub percent: Option<u8>,
    /// Who reported it
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub by: Option<String>,
    /// The document proving it, e.g. "Báo cáo số 123/BC-SCT ngày 10/12/2024"
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub evidence: Option<String>,
    /// Anything else worth keeping with the update, e.g. "Đã tổ chức 2 hội nghị"
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub note: Option<String>,
    /// An approved extension of the deadline (needs --decision)
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub new_due: Option<NaiveDate>,
    /// The document approving an extension (--new-due) or a stop (--status cancelled)
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub decision: Option<String>,
    /// For a task led by a group: the member agency the update is about
    #[arg(long, value_name = "CODE")]
    pub agency: Option<String>,
    /// Commit the changed file to git with a message naming task, period and status
    #[arg(long)]
    pub commit: bool,
}

const SERVE_HELP: &str = "\
Examples:
  kehoach serve                               http://127.0.0.1:8080 for yourself
  kehoach serve --port 0                      any free port (the URL is printed)
  kehoach serve --allow-record                colleagues at this computer may record
  kehoach serve --open                        and open it in the web browser
  kehoach serve --bind 192.168.1.20 --token MẬT-KHẨU --allow-host may-chu.so-ct.local

Listens on this computer only (127.0.0.1) unless --bind names another
address, which needs --token: every request must then carry
`Authorization: Bearer TOKEN` or `?token=TOKEN`. The files stay the source
of truth: every page and the API read them as they are (a `record` from the
terminal or a `git pull` shows within 2 seconds). JSON: /api/report, /api/tasks and
/api/indicators print what `report`, `tasks` and `indicators --format json`
print for the same options. Stop with Ctrl-C.";

const FORM_HELP: &str = "\
Examples:
  kehoach form --agency SYT --year 2024 --output SYT-2024.xlsx
  kehoach form --all-agencies --year 2024 --output-dir phieu-2024

One row per task of the agency that year (tasks of its groups and of the
agencies it succeeded included), with the deadline and what is on record so
far. The agency fills in Tình trạng, Ngày, Tỷ lệ, the evidence and, for an
extension or a stop, the new deadline and the decision; everything else is
locked. --all-agencies writes CODE-YEAR.xlsx for every agency with tasks
that year. A group is not an agency: name one of its members.";

const IMPORT_HELP: &str = "\
Examples:
  kehoach import SYT-2024.xlsx --dry-run     what would be recorded, nothing written
  kehoach import phieu-2024/*.xlsx --by \"Văn phòng Sở Y tế\"
  kehoach import SYT-2024.xlsx --commit

Columns are read by their key (hidden row 1), so moved columns still import.
Every row of every file is checked as `record` checks an update; if anything
is wrong, each problem is named as FILE.xlsx:SHEET!CELL and nothing is
written (exit 1). Rows with an empty status are skipped; a row already on
record is not appended again, so importing a form twice appends nothing the
second time. Forms of another plan are refused.";

#[derive(Args, Debug)]
pub struct FormArgs {
    /// The agency the form is for (code, any case)
    #[arg(
        long,
        value_name = "CODE",
        required_unless_present = "all_agencies",
        conflicts_with = "all_agencies"
    )]
    pub agency: Option<String>,
    /// One form for every agency with tasks that year
    #[arg(long)]
    pub all_agencies: bool,
    /// The year of the tasks; default: the as-of year
    #[arg(long, value_parser = parse_year, value_name = "YEAR")]
    pub year: Option<i32>,
    #[command(flatten)]
    pub as_of: AsOfArg,
    /// The form file to write
    #[arg(long, short, value_name = "FILE.xlsx", conflicts_with = "all_agencies")]
    pub output: Option<PathBuf>,
    /// With --all-agencies: the directory to write CODE-YEAR.xlsx into
    #[arg(long, value_name = "DIR", requires = "all_agencies")]
    pub output_dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Filled-in forms (.xlsx):
    /// files, directories of them, or patterns such as phieu-2024/*.xlsx
    /// (expanded here too, for Windows' command prompt and PowerShell)
    #[arg(required = true, value_name = "FILE.xlsx|DIR")]
    pub files: Vec<PathBuf>,
    /// Check and show what would be appended; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Who reported it, written as `by` of every imported update
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub by: Option<String>,
    /// Commit the changed files to git
    #[arg(long)]
    pub commit: bool,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The new plan's directory (created; must be empty if it exists)
    pub dir: PathBuf,
    /// Official number, e.g. 1234/KH-UBND
    #[arg(long)]
    pub id: Option<String>,
    /// Official title
    #[arg(long)]
    pub title: Option<String>,
    /// First year of the plan period (default: the year of --issued)
    #[arg(long, value_parser = parse_year, value_name = "YEAR")]
    pub from: Option<i32>,
    /// Last year of the plan period (default: four years after --from)
    #[arg(long, value_parser = parse_year, value_name = "YEAR")]
    pub to: Option<i32>,
    /// Date of issue of the plan document (2026-01-15 or 15/01/2026)
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub issued: NaiveDate,
    /// Start from an earlier plan (directory or plan id): its groups, its
    /// agencies as they are on --issued, its recurring and ongoing tasks,
    /// its indicators without targets; no progress
    #[arg(long, value_name = "DIR|ID")]
    pub based_on: Option<String>,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for: on Windows, powershell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// Write kehoach.1 and one page per command into this directory
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct MeasureArgs {
    /// Indicator id, e.g. CT1
    pub indicator: String,
    /// The plan year the value is for
    #[arg(long, value_parser = parse_year, value_name = "YEAR")]
    pub year: i32,
    /// The measured value (92.5 or 92,5)
    #[arg(long, value_parser = parse_number, value_name = "NUMBER", allow_hyphen_values = true)]
    pub value: f64,
    /// Date of the measurement (2024-12-31 or 31/12/2024); default today
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub date: Option<NaiveDate>,
    /// Who reported it
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub by: Option<String>,
    /// The document the value comes from, e.g. "Báo cáo số 45/BC-HBV ngày 28/12/2023"
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub evidence: Option<String>,
    /// Anything else worth keeping with the measurement
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub note: Option<String>,
}

#[derive(Args, Debug)]
pub struct IndicatorsArgs {
    /// A year of the plan, or `all` (the default: one row per indicator and plan year)
    #[arg(long, value_parser = parse_year_sel, value_name = "YEAR|all")]
    pub year: Option<YearSel>,
    /// Only indicators reported by this agency
    #[arg(long, value_name = "CODE")]
    pub agency: Option<String>,
    #[command(flatten)]
    pub as_of: AsOfArg,
    /// Output format [default: the one --output's extension names (.md, .csv,
    /// .json), else table]
    #[arg(long, value_enum)]
    pub format: Option<TextFormat>,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl IndicatorsArgs {
    /// `--format`, else the one `--output`'s extension names, else a table.
    pub fn format(&self) -> Result<TextFormat, crate::messages::Failure> {
        let named = |ext: &str| match ext {
            "md" | "markdown" => Some(TextFormat::Markdown),
            "csv" => Some(TextFormat::Csv),
            "json" => Some(TextFormat::Json),
            _ => None,
        };
        chosen(
            self.format,
            &self.output,
            named,
            "table, markdown, csv, json",
        )
    }
}

impl ReportArgs {
    /// `--format`, else the one `--output`'s extension names, else a table:
    /// `--output bao-cao.xlsx` alone writes a workbook, not a text table
    /// that Excel would refuse to open.
    pub fn format(&self) -> Result<ReportFormat, crate::messages::Failure> {
        let named = |ext: &str| match ext {
            "md" | "markdown" => Some(ReportFormat::Markdown),
            "csv" => Some(ReportFormat::Csv),
            "json" => Some(ReportFormat::Json),
            "html" | "htm" => Some(ReportFormat::Html),
            "xlsx" => Some(ReportFormat::Xlsx),
            "docx" => Some(ReportFormat::Docx),
            _ => None,
        };
        let formats = "table, markdown, csv, json, html, xlsx, docx";
        chosen(self.format, &self.output, named, formats)
    }
}

impl TasksArgs {
    /// `--format`, else the one `--output`'s extension names, else a table.
    pub fn format(&self) -> Result<ListFormat, crate::messages::Failure> {
        let named = |ext: &str| match ext {
            "csv" => Some(ListFormat::Csv),
            "json" => Some(ListFormat::Json),
            _ => None,
        };
        chosen(self.format, &self.output, named, "table, csv, json")
    }
}

impl DueArgs {
    /// `--format`, else the one `--output`'s extension names, else a table.
    pub fn format(&self) -> Result<DueFormat, crate::messages::Failure> {
        let named = |ext: &str| match ext {
            "xlsx" => Some(DueFormat::Xlsx),
            "csv" => Some(DueFormat::Csv),
            "json" => Some(DueFormat::Json),
            _ => None,
        };
        chosen(self.format, &self.output, named, "table, csv, json, xlsx")
    }
}

/// `format` when given, else the one `output`'s extension names (`named`),
/// else a table (`F::default()`) — unless the extension names a document
/// kind (a workbook, a page, a PDF) the command does not write: a text
/// table in a file called `.xlsx` or `.pdf` is a file its program refuses
/// to open, so that is refused (exit 2), naming what the command writes
/// (`formats`).
fn chosen<F: Copy + Default>(
    format: Option<F>,
    output: &Option<PathBuf>,
    named: impl Fn(&str) -> Option<F>,
    formats: &str,
) -> Result<F, crate::messages::Failure> {
    const DOCUMENTS: &[&str] = &[
        "xlsx", "xls", "xlsm", "ods", "docx", "doc", "odt", "rtf", "pdf", "html", "htm", "pptx",
    ];
    if let Some(format) = format {
        return Ok(format);
    }
    let Some(ext) = extension(output) else {
        return Ok(F::default());
    };
    match named(&ext) {
        Some(format) => Ok(format),
        None if DOCUMENTS.contains(&ext.as_str()) => {
            Err(crate::messages::Failure::usage(Msg::OutputKindNotWritten {
                ext,
                formats: formats.to_string(),
            }))
        }
        None => Ok(F::default()),
    }
}

/// The extension of `output`, in lower case: `--output Bao-cao.XLSX` is
/// asking for a workbook as much as `bao-cao.xlsx` is.
fn extension(output: &Option<PathBuf>) -> Option<String> {
    output
        .as_deref()
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy().to_lowercase())
}

#[derive(Args, Debug)]
pub struct MergeDriverArgs {
    /// The common ancestor's version (%O)
    pub base: std::path::PathBuf,
    /// Our version, replaced by the result (%A)
    pub ours: std::path::PathBuf,
    /// Their version (%B)
    pub theirs: std::path::PathBuf,
}

#[derive(Args, Debug, Clone)]
pub struct AsOfArg {
    /// Compute as of this date (2024-12-31 or 31/12/2024); default today
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// A year of the plan, or `all`
    #[arg(long, value_parser = parse_year_sel, value_name = "YEAR|all")]
    pub year: Option<YearSel>,
    /// Only these lead agencies (code, any case); repeat for several
    #[arg(long, value_name = "CODE")]
    pub agency: Vec<String>,
    #[command(flatten)]
    pub as_of: AsOfArg,
    /// Output format [default: the one --output's extension names (.md, .csv,
    /// .json, .html, .xlsx, .docx), else table]
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// docx: the report's number, e.g. "125/BC-SCT" (dotted blank if absent)
    #[arg(long, value_name = "NUMBER")]
    pub number: Option<String>,
    /// docx: the report's date (default the as-of date)
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub date: Option<NaiveDate>,
    /// docx: who signs, e.g. "Nguyễn Văn A" (else `[report] signer`, else a dotted blank)
    #[arg(long, value_name = "NAME")]
    pub signer: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Port to listen on; 0 picks a free one
    #[arg(long, default_value_t = 8080, value_name = "N")]
    pub port: u16,
    /// Address to listen on; anything but 127.0.0.1 or ::1 needs --token
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// Let visitors record progress from a task's page (same checks as `record`)
    #[arg(long)]
    pub allow_record: bool,
    /// Require this token on every request (Authorization: Bearer TOKEN, or ?token=TOKEN)
    #[arg(
        long,
        value_name = "TOKEN",
        env = "KEHOACH_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Also accept requests addressed to this host name (repeatable), e.g. behind a proxy
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// Open the overview in the default web browser (BROWSER if set) once ready
    #[arg(long)]
    pub open: bool,
    /// Show every page as of this date instead of today
    #[command(flatten)]
    pub as_of: AsOfArg,
}

#[derive(Args, Debug)]
pub struct TasksArgs {
    /// Only occurrences led by this agency (after reorganisation; a group
    /// means its members); repeat for several
    #[arg(long, value_name = "CODE")]
    pub agency: Vec<String>,
    /// Only occurrences of this year
    #[arg(long, value_parser = parse_year_sel, value_name = "YEAR|all")]
    pub year: Option<YearSel>,
    /// Only tasks of this group id
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
    /// Only occurrences in this class (or `ongoing`, or `on_request`: tasks
    /// done on request that nobody asked for yet)
    #[arg(long, value_enum)]
    pub status: Option<ClassArg>,
    /// Show at most N occurrences; a table cut short says how many there
    /// are. On a terminal the table shows the first 1,000 unless given
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Show every occurrence, also on a terminal (overrides --limit)
    #[arg(long)]
    pub all: bool,
    /// Only tasks whose id, title, note or output contain TEXT (case and diacritics ignored)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only occurrences reported done with no evidence (tài liệu kiểm chứng)
    /// in the updates that make them done
    #[arg(long)]
    pub without_evidence: bool,
    #[command(flatten)]
    pub as_of: AsOfArg,
    /// Output format [default: the one --output's extension names (.csv,
    /// .json), else table]
    #[arg(long, value_enum)]
    pub format: Option<ListFormat>,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Task id, e.g. 1.2
    pub task: String,
    #[command(flatten)]
    pub as_of: AsOfArg,
}

#[derive(Args, Debug)]
pub struct DueArgs {
    /// Look this many days ahead of the as-of date
    #[arg(long, default_value_t = 30, value_name = "DAYS")]
    pub within: u32,
    /// Only this agency (code, any case; a group means its members); repeat for several
    #[arg(long, value_name = "CODE")]
    pub agency: Vec<String>,
    /// Show at most N items; a list cut short says how many there are. On
    /// a terminal the list shows the first 1,000 unless given
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Show every item, also on a terminal (overrides --limit)
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub as_of: AsOfArg,
    /// Output format [default: the one --output's extension names (.xlsx,
    /// .csv, .json), else table]
    #[arg(long, value_enum)]
    pub format: Option<DueFormat>,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Vi,
    En,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    #[default]
    Table,
    #[value(alias = "md")]
    Markdown,
    Csv,
    Json,
    /// One self-contained page that prints on A4 (report only)
    Html,
    /// An Excel workbook; needs --output unless piped (report only)
    Xlsx,
    /// A Word report in the form of Decree 30/2020/NĐ-CP, with the tables as
    /// appendices (a task list of at most 200,000 rows); needs --output
    /// unless piped (report only)
    Docx,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    #[default]
    Table,
    #[value(alias = "md")]
    Markdown,
    Csv,
    Json,
}

/// The formats of `due`: a listing's, and a workbook to send with a
/// reminder.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum DueFormat {
    #[default]
    Table,
    Csv,
    Json,
    /// An Excel workbook, a table per agency; needs --output unless piped
    Xlsx,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    #[default]
    Table,
    Csv,
    Json,
}

/// The classes of §6 (and `ongoing`, §12, and `on_request`), as named in
/// JSON, with `_` or `-`; `on-time` and `late` are short forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ClassArg {
    #[value(name = "done_on_time", aliases = ["done-on-time", "on-time", "on_time"])]
    OnTime,
    #[value(name = "done_late", aliases = ["done-late", "late"])]
    Late,
    /// Either of the two: done, on time or late
    Done,
    #[value(name = "in_progress", alias = "in-progress")]
    InProgress,
    Overdue,
    Cancelled,
    /// A task carried out continuously (no deadline)
    Ongoing,
    /// A task done only when asked, not asked for yet
    #[value(name = "on_request", alias = "on-request")]
    OnRequest,
}

impl ClassArg {
    /// The classes it names: one, or both done ones for `done`.
    pub fn classes(self) -> &'static [crate::status::Class] {
        use crate::status::Class;
        match self {
            ClassArg::OnTime => &[Class::OnTime],
            ClassArg::Late => &[Class::Late],
            ClassArg::Done => &[Class::OnTime, Class::Late],
            ClassArg::InProgress => &[Class::InProgress],
            ClassArg::Overdue => &[Class::Overdue],
            ClassArg::Cancelled => &[Class::Cancelled],
            ClassArg::Ongoing => &[Class::Ongoing],
            ClassArg::OnRequest => &[Class::OnRequest],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearSel {
    Year(i32),
    All,
}

/// A command-line value its flag does not take, worded in both languages:
/// clap prints it in English (`Display`); a usage error in Vietnamese
/// (`crate::usage`) words `0` in Vietnamese.
#[derive(Debug, Clone, PartialEq)]
pub struct BadValue(pub Msg);

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.text(crate::model::Lang::En))
    }
}

impl std::error::Error for BadValue {}

/// Dates as `2023-12-31` or `31/12/2023` (also `1/6/2024`); the year always
/// has four digits, 1900–2999 (§10): `10/06/24` is never the year 24.
pub fn parse_date(s: &str) -> Result<NaiveDate, BadValue> {
    let t = s.trim();
    let bad = || {
        BadValue(Msg::NotADate {
            value: t.to_string(),
        })
    };
    let (y, m, d) = if let Some((y, rest)) = t.split_once('-') {
        let (m, d) = rest.split_once('-').ok_or_else(bad)?;
        (y, m, d)
    } else {
        let mut parts = t.split('/');
        let (d, m, y) = (parts.next(), parts.next(), parts.next());
        match (d, m, y, parts.next()) {
            (Some(d), Some(m), Some(y), None) => (y, m, d),
            _ => return Err(bad()),
        }
    };
    let digits = |x: &str, min: usize, max: usize| {
        (min..=max).contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(y, 4, 4) || !digits(m, 1, 2) || !digits(d, 1, 2) {
        return Err(bad());
    }
    let year: i32 = y.parse().map_err(|_| bad())?;
    if !(1900..=2999).contains(&year) {
        return Err(bad());
    }
    let (m, d): (u32, u32) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    NaiveDate::from_ymd_opt(year, m, d).ok_or_else(bad)
}

/// A year: four digits, 1900–2999 (§10).
pub fn parse_year(s: &str) -> Result<i32, BadValue> {
    let t = s.trim();
    match t.parse::<i32>() {
        Ok(y) if t.len() == 4 && (1900..=2999).contains(&y) => Ok(y),
        _ => Err(BadValue(Msg::NotAYearArg {
            value: t.to_string(),
            or_all: false,
        })),
    }
}

/// A finite number, with a decimal point or a decimal comma.
pub fn parse_number(s: &str) -> Result<f64, BadValue> {
    let t = s.trim();
    let t = if t.contains(',') && !t.contains('.') {
        t.replace(',', ".")
    } else {
        t.to_string()
    };
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(BadValue(Msg::NotANumber {
            value: s.to_string(),
        })),
    }
}

/// A percentage: a whole number from 0 to 100.
pub fn parse_percent(s: &str) -> Result<u8, BadValue> {
    match s.trim().parse::<u8>() {
        Ok(n) if n <= 100 => Ok(n),
        _ => Err(BadValue(Msg::NotAPercent {
            value: s.trim().to_string(),
        })),
    }
}

/// A status as `record` takes it: the machine word of §5 (with `_` or
/// `-`) or a word of the agency form's list in either language (§13), as
/// `import` reads them.
pub fn parse_status(s: &str) -> Result<crate::model::Status, BadValue> {
    crate::labels::parse_status(s).ok_or_else(|| {
        BadValue(Msg::NotAStatus {
            value: s.trim().to_string(),
        })
    })
}

pub fn parse_year_sel(s: &str) -> Result<YearSel, BadValue> {
    if s.trim().eq_ignore_ascii_case("all") {
        return Ok(YearSel::All);
    }
    parse_year(s).map(YearSel::Year).map_err(|_| {
        BadValue(Msg::NotAYearArg {
            value: s.trim().to_string(),
            or_all: true,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_forms_with_four_digit_years() {
        let d = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
        assert_eq!(parse_date("2023-12-31"), Ok(d));
        assert_eq!(parse_date("31/12/2023"), Ok(d));
        assert_eq!(
            parse_date(" 1/6/2024 ").ok(),
            NaiveDate::from_ymd_opt(2024, 6, 1)
        );
        for bad in [
            "31/02/2023",
            "2023/12/31",
            "10/06/24",
            "10/06/0024",
            "0024-06-10",
            "24-06-10",
            "10/06/3024",
            "10/06/1899",
            "+2024-01-01",
            "2024-1-1x",
            "",
            "10/06/2024/1",
        ] {
            let e = parse_date(bad).expect_err(bad);
            assert!(e.to_string().contains("31/12/2023"), "{e}");
        }
        assert_eq!(parse_year("2024"), Ok(2024));
        for bad in ["24", "2147483647", "0024", "1899", "3000", "-2024", "all"] {
            assert!(parse_year(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_year_sel("ALL"), Ok(YearSel::All));
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    /// `--help` says what every option and argument of every command is:
    /// an officer learns the tool from it.
    #[test]
    fn every_option_is_explained() {
        use clap::CommandFactory;
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let path = format!("{path} {}", cmd.get_name());
            for arg in cmd.get_arguments() {
                let explained = arg.get_help().or(arg.get_long_help()).is_some();
                if !explained && !arg.is_hide_set() {
                    missing.push(format!("{path} {}", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "options without help: {missing:?}");
    }
}
