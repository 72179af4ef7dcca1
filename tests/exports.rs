//! Exports leads hand in: the XLSX read back with calamine, the HTML parsed
//! as XML, CSV cells neutralised, and — where Chromium is installed — the
//! page rendered headless.

mod common;
use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;
use std::io::Read;
use std::path::Path;

/// The demo plan plus a task whose title tries formula and script injection.
fn hostile_plan() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("examples/demo"), tmp.path());
    let mut tasks = std::fs::read_to_string(tmp.path().join("tasks.toml")).unwrap();
    tasks.push_str(
        r#"
[[task]]
id = "9.1"
group = "I"
title = "<script>alert(1)</script> & \"trích dẫn\""
lead = "SCT"
due = 2024-05-31

[[task]]
id = "9.2"
group = "I"
title = "=HYPERLINK(\"http://x\",\"bấm\")"
lead = "SCT"
due = 2024-05-31
"#,
    );
    for (i, c) in ["+", "-", "@", "\\t", "\\r", "\\n"].iter().enumerate() {
        tasks.push_str(&format!(
            "\n[[task]]\nid = \"9.{}\"\ngroup = \"I\"\ntitle = \"{c}1+1 nguy hiểm\"\nlead = \"SCT\"\ndue = 2024-05-31\n",
            i + 3
        ));
    }
    std::fs::write(tmp.path().join("tasks.toml"), tasks).unwrap();
    tmp
}

fn xlsx(dir: &Path, out_dir: &Path, args: &[&str]) -> std::path::PathBuf {
    let out = out_dir.join("bao-cao.xlsx");
    let mut full = vec![
        "report",
        "--as-of",
        "2024-12-31",
        "--format",
        "xlsx",
        "--output",
        out.to_str().unwrap(),
    ];
    full.extend_from_slice(args);
    let o = run_in(dir, &full);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

#[test]
fn xlsx_has_typed_cells_and_every_sheet() {
    let tmp = hostile_plan();
    let path = xlsx(tmp.path(), tmp.path(), &["--year", "all"]);
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let names = wb.sheet_names();
    assert_eq!(
        names,
        [
            "Năm 2023",
            "Năm 2024",
            "Năm 2025",
            "Tổng hợp giai đoạn",
            "Phụ lục I",
            "Chỉ tiêu"
        ]
    );

    let y2023 = wb.worksheet_range("Năm 2023").unwrap();
    let text = |r: u32, c: u32| {
        y2023
            .get_value((r, c))
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    let find = |want: &str| {
        (0..40u32)
            .find(|&r| (0..3u32).any(|c| text(r, c) == want))
            .unwrap_or_else(|| panic!("no {want:?}"))
    };
    assert_eq!(text(0, 0), "BÁO CÁO");
    assert!(text(1, 0).starts_with("Kết quả thực hiện Kế hoạch số DEMO-01/KH ngày 10/01/2023"));
    find("TÌNH HÌNH THỰC HIỆN NHIỆM VỤ NĂM 2023");
    find("Cơ quan chủ trì");
    // SCT 2023: 3 assigned, 2 on time, 1 late; rates 2/3 and 1 as numbers.
    let sct = find("Sở Công Thương (SCT)");
    let row: Vec<&Data> = (0..14u32)
        .filter_map(|c| y2023.get_value((sct, c)))
        .collect();
    let numbers: Vec<f64> = row
        .iter()
        .filter_map(|d| {
            if let Data::Float(f) = d {
                Some(*f)
            } else {
                None
            }
        })
        .collect();
    // STT, assigned, on time, late, not yet due, overdue, cancelled, due,
    // on-time rate, completion rate, not reported.
    assert_eq!(
        numbers,
        [1.0, 3.0, 2.0, 1.0, 0.0, 0.0, 0.0, 3.0, 2.0 / 3.0, 1.0, 0.0],
        "{row:?}"
    );
    // Totals row.
    let total = find("Tổng cộng");
    assert!((0..14u32).any(|c| y2023.get_value((total, c)) == Some(&Data::Float(9.0))));

    // The appendix: hostile titles are plain strings, never formulas.
    let appendix = wb.worksheet_range("Phụ lục I").unwrap();
    let titles: Vec<String> = appendix
        .rows()
        .map(|r| r.get(3).map(|c| c.to_string()).unwrap_or_default())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t == "=HYPERLINK(\"http://x\",\"bấm\")"),
        "{titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t == "<script>alert(1)</script> & \"trích dẫn\"")
    );
    // Deadlines are dates, "Thường xuyên" for the ongoing task.
    let deadlines: Vec<&Data> = appendix
        .rows()
        .filter(|r| matches!(r.first(), Some(Data::Float(_))))
        .filter_map(|r| r.get(6))
        .collect();
    assert!(deadlines.len() > 20);
    assert!(
        deadlines
            .iter()
            .all(|d| matches!(d, Data::DateTime(_)) || **d == Data::String("Thường xuyên".into())),
        "{deadlines:?}"
    );
    for name in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "formula in {name}"
        );
    }
    let indicators = wb.worksheet_range("Chỉ tiêu").unwrap();
    let ct1 = indicators
        .rows()
        .position(|r| r.get(1) == Some(&Data::String("CT1".into())))
        .expect("CT1 row");
    let ct1 = indicators.rows().nth(ct1).unwrap();
    assert!(ct1.contains(&Data::Float(91.2)), "{ct1:?}");

    // Rates carry a percentage format; the header row is frozen.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut styles = String::new();
    zip.by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    assert!(styles.contains("formatCode=\"0.0%\""), "{styles}");
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(sheet.contains("state=\"frozen\""));
    assert!(sheet.contains("<col "), "column widths set");
}

#[test]
fn xlsx_of_the_real_plan_and_a_single_year() {
    let tmp = tempfile::tempdir().unwrap();
    let path = xlsx(&root(), tmp.path(), &["--year", "2025", "--lang", "en"]);
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(wb.sheet_names(), ["Year 2025", "Appendix I", "Indicators"]);
    // 2025 obligations after 30/06/2025 fall to the Ho Chi Minh City successors.
    let year = wb.worksheet_range("Year 2025").unwrap();
    let cells: Vec<String> = year
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(
        cells.iter().any(|c| c.ends_with("(SCT)"))
            && cells.iter().any(|c| c.ends_with("(SCT-HCM)")),
        "{cells:?}"
    );
}

/// Walks the page as XML: it must be well formed; returns (element names,
/// all text).
fn parse_html(html: &str) -> (Vec<String>, String) {
    let body = html.trim_start_matches("<!DOCTYPE html>");
    let mut reader = quick_xml::Reader::from_str(body);
    reader.config_mut().check_end_names = true;
    let mut names = Vec::new();
    let mut text = String::new();
    let mut depth: i64 = 0;
    loop {
        match reader.read_event().expect("well-formed HTML") {
            quick_xml::events::Event::Start(e) => {
                depth += 1;
                names.push(e.name().as_ref().to_string());
            }
            quick_xml::events::Event::Empty(e) => names.push(e.name().as_ref().to_string()),
            quick_xml::events::Event::End(_) => depth -= 1,
            quick_xml::events::Event::Text(t) => text.push_str(&t.xml10_content()),
            quick_xml::events::Event::GeneralRef(r) => {
                let name = r.as_ref().to_string();
                let named = match name.as_str() {
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "amp" => Some('&'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => None,
                };
                match named.or_else(|| r.resolve_char_ref().unwrap()) {
                    Some(c) => text.push(c),
                    None => panic!("unknown entity {name}"),
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unbalanced tags");
    (names, text)
}

#[test]
fn html_is_self_contained_escaped_and_charted() {
    let tmp = hostile_plan();
    let out = tmp.path().join("bao-cao.html");
    let o = run_in(
        tmp.path(),
        &[
            "report",
            "--year",
            "all",
            "--as-of",
            "2024-12-31",
            "--format",
            "html",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    let (names, text) = parse_html(&html);
    assert!(
        !names.iter().any(|n| n == "script"),
        "a script element got through"
    );
    assert!(
        text.contains("<script>alert(1)</script> & \"trích dẫn\""),
        "title shown as text"
    );
    assert!(
        !names.iter().any(|n| n == "link" || n == "img"),
        "external resources"
    );
    assert!(!html.contains("src="), "no external sources");
    for link in ["href=", "url(", "@import"] {
        assert!(!html.contains(link), "a link to outside: {link}");
    }
    assert_eq!(
        names.iter().filter(|n| *n == "table").count(),
        3 + 3 + 1 + 1 + 1,
        "3 years, their ongoing tasks, summary, indicators, appendix"
    );
    assert_eq!(names.iter().filter(|n| *n == "svg").count(), 1);
    // Two bars per agency of the period summary that has something due.
    let json = run_in(
        tmp.path(),
        &[
            "report",
            "--year",
            "all",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let charted = v["summary"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["on_time_rate"].is_number())
        .count();
    assert!(charted >= 5);
    assert_eq!(names.iter().filter(|n| *n == "rect").count(), 2 * charted);
    assert!(text.contains("TỔNG HỢP KẾT QUẢ THỰC HIỆN GIAI ĐOẠN 2023-2025"));
    assert!(text.contains("(Số liệu tính đến ngày 31/12/2024)"));
    assert!(text.contains("Phụ lục I"));
    assert!(
        !text.contains("kehoach"),
        "no program name in a filed document"
    );
    assert!(html.contains("@page { size: A4"));
}

fn screenshot(chrome: &Path, page: &Path, png: &Path, profile: &Path) {
    let status = chromium_cmd(chrome, profile)
        .arg("--window-size=1200,1600")
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn html_renders_in_headless_chromium() {
    let Some(chrome) = chromium() else {
        return skip(
            "html_renders_in_headless_chromium",
            "Chromium is not installed (Debian package `chromium`)",
        );
    };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("r.html");
    let o = run_in(
        &root(),
        &[
            "--plan",
            "examples/demo",
            "report",
            "--year",
            "all",
            "--as-of",
            "2024-12-31",
            "--format",
            "html",
            "--output",
            page.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let blank = tmp.path().join("blank.html");
    std::fs::write(&blank, "<!DOCTYPE html><html><body></body></html>").unwrap();
    let (png, blank_png) = (tmp.path().join("r.png"), tmp.path().join("blank.png"));
    screenshot(&chrome, &page, &png, &tmp.path().join("p1"));
    screenshot(&chrome, &blank, &blank_png, &tmp.path().join("p2"));
    let (size, blank_size) = (
        std::fs::metadata(&png).unwrap().len(),
        std::fs::metadata(&blank_png).unwrap().len(),
    );
    assert!(
        size > 10 * blank_size.max(1) && size > 50_000,
        "page looks blank: {size} bytes vs {blank_size}"
    );
}

#[test]
fn csv_cells_cannot_become_formulas() {
    let tmp = hostile_plan();
    let o = run_in(
        tmp.path(),
        &[
            "tasks",
            "--search",
            "nguy hiem",
            "--as-of",
            "2024-12-31",
            "--format",
            "csv",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut reader = csv::ReaderBuilder::new().from_reader(o.stdout.as_slice());
    let titles: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[4].to_string())
        .collect();
    assert_eq!(titles.len(), 6);
    for t in &titles {
        assert!(t.starts_with('\''), "not neutralised: {t:?}");
    }
    let o = run_in(
        tmp.path(),
        &[
            "tasks",
            "--search",
            "hyperlink",
            "--as-of",
            "2024-12-31",
            "--format",
            "csv",
        ],
    );
    let text = stdout(&o);
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(!o.stdout.starts_with(b"\xEF\xBB\xBF"));
    // Written to a file: a BOM for Excel on Windows.
    let out = tmp.path().join("t.csv");
    let o = run_in(
        tmp.path(),
        &[
            "tasks",
            "--as-of",
            "2024-12-31",
            "--format",
            "csv",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success());
    assert!(std::fs::read(&out).unwrap().starts_with(b"\xEF\xBB\xBF"));
}

#[test]
fn xlsx_and_docx_are_refused_on_a_terminal() {
    // `script` gives the command a pseudo-terminal as standard output.
    if !have("script", &["--version"]) {
        return skip(
            "xlsx_and_docx_are_refused_on_a_terminal",
            "`script` (util-linux) is not installed",
        );
    }
    for (command, format) in [("report", "xlsx"), ("report", "docx"), ("due", "xlsx")] {
        let cmd = format!(
            "{} --plan examples/demo {command} --format {format} --as-of 2024-12-31",
            env!("CARGO_BIN_EXE_kehoach")
        );
        let o = std::process::Command::new("script")
            .current_dir(root())
            .args(["-qec", &cmd, "/dev/null"])
            .env("KEHOACH_CACHE_DIR", cache_dir())
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(2), "{out}");
        assert!(out.contains(&format!("--output bao-cao.{format}")), "{out}");
        // Piped, the bytes flow.
        let o = run_in(
            &root(),
            &[
                "--plan",
                "examples/demo",
                command,
                "--format",
                format,
                "--as-of",
                "2024-12-31",
            ],
        );
        assert!(o.status.success());
        assert!(o.stdout.starts_with(b"PK"));
    }
}

#[test]
fn same_command_same_bytes() {
    // The workbook's creation date is the as-of date, never the clock.
    let run = || {
        Test::demo()
            .with(&[
                "report",
                "--year",
                "all",
                "--as-of",
                "2024-12-31",
                "--format",
                "xlsx",
            ])
            .ok()
            .output
            .stdout
    };
    let first = run();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(first == run(), "two runs gave different bytes");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(first)).unwrap();
    let mut core = String::new();
    zip.by_name("docProps/core.xml")
        .unwrap()
        .read_to_string(&mut core)
        .unwrap();
    assert!(core.contains("2024-12-31T00:00:00Z"), "{core}");
    assert!(
        !core.to_lowercase().contains("kehoach"),
        "no program name: {core}"
    );
}

/// A Word report's task list has at most 200,000 rows: a longer one is
/// refused at once, in the user's language, with what to do instead —
/// not after a minute's work with a message from the zip library. A task
/// less, within the limit, and the document is written.
#[test]
fn a_task_list_too_long_for_word_is_refused_with_what_to_do() {
    let base = Test::demo()
        .with(&["tasks", "--as-of", "2025-12-31", "--format", "csv"])
        .ok()
        .stdout()
        .lines()
        .count()
        - 1;
    // Monthly tasks over the demo's three years, 36 occurrences each, on
    // top of the demo's own: just past the limit, then just within it.
    let monthly = |n: usize| -> String {
        (0..n)
            .map(|i| {
                format!(
                    "\n[[task]]\nid = \"M{i}\"\ngroup = \"I\"\ntitle = \"Báo cáo tháng {i}\"\nlead = \"SCT\"\ndue = {{ every = \"month\", on = 20 }}\n"
                )
            })
            .collect()
    };
    /// The whole period's Word report in `lang`, then `extra`.
    fn docx<'a>(lang: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec![
            "--lang",
            lang,
            "report",
            "--year",
            "all",
            "--as-of",
            "2025-12-31",
        ];
        args.extend(["--format", "docx"]);
        args.extend_from_slice(extra);
        args
    }
    let n = (200_001 - base).div_ceil(36);
    let rows = base + 36 * n;
    assert!(rows > 200_000 && rows - 36 <= 200_000, "{rows}");
    let dotted = |n: usize, sep: &str| {
        let digits = n.to_string();
        let groups: Vec<&str> = digits
            .as_bytes()
            .rchunks(3)
            .rev()
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        groups.join(sep)
    };
    for (lang, said) in [
        (
            "vi",
            [
                format!("phụ lục nhiệm vụ có {} dòng", dotted(rows, ".")),
                "tối đa 200.000 dòng".to_string(),
            ],
        ),
        (
            "en",
            [
                format!("the task list has {} rows", dotted(rows, ",")),
                "at most 200,000".to_string(),
            ],
        ),
    ] {
        let test = Test::copy("examples/demo").append("tasks.toml", &monthly(n));
        let out = test.dir().join("bao-cao.docx");
        let out_arg = out.to_string_lossy().to_string();
        let run = test
            .with(&docx(lang, &["--output", &out_arg]))
            .code(1)
            .stderr_has(&said[0])
            .stderr_has(&said[1])
            .stderr_has("--format xlsx");
        assert!(!out.exists(), "nothing written");
        drop(run);
    }
    let test = Test::copy("examples/demo").append("tasks.toml", &monthly(n - 1));
    let run = test.with(&docx("vi", &[])).ok();
    assert!(run.output.stdout.starts_with(b"PK"));
}

/// Without `--format`, `--output`'s extension names the format — the same
/// bytes as asking for it — so that `--output bao-cao.xlsx` alone is a
/// workbook and not a text table Excel refuses; `--format` given wins, and
/// an extension kehoach does not write means a table.
#[test]
fn the_output_extension_names_the_format() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = root().join("examples/demo");
    let plan = demo.to_string_lossy().to_string();
    let write = |command: &str, name: &str, format: Option<&str>| {
        let out = tmp.path().join(name);
        let out_arg = out.to_string_lossy().to_string();
        let mut args = vec!["--plan", &plan, command, "--as-of", "2024-12-31"];
        args.extend(["--output", &out_arg]);
        if let Some(f) = format {
            args.extend(["--format", f]);
        }
        let o = bin().args(&args).output().unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        std::fs::read(&out).unwrap()
    };
    for (command, ext, format) in [
        ("report", "xlsx", "xlsx"),
        ("report", "DOCX", "docx"),
        ("report", "html", "html"),
        ("report", "json", "json"),
        ("report", "csv", "csv"),
        ("report", "md", "markdown"),
        ("report", "txt", "table"),
        ("tasks", "csv", "csv"),
        ("tasks", "json", "json"),
        ("due", "csv", "csv"),
        ("due", "json", "json"),
        ("due", "xlsx", "xlsx"),
        ("due", "txt", "table"),
        ("indicators", "md", "markdown"),
        ("indicators", "json", "json"),
    ] {
        let inferred = write(command, &format!("a.{ext}"), None);
        let asked = write(command, &format!("b.{ext}"), Some(format));
        assert_eq!(inferred, asked, "{command} .{ext}");
    }
    assert!(write("report", "c.xlsx", None).starts_with(b"PK"));
    // `--format` given wins over the extension.
    let json = write("report", "d.csv", Some("json"));
    assert!(json.starts_with(b"{"), "{}", String::from_utf8_lossy(&json));
    // A document the command does not write is refused (exit 2, nothing
    // written), not filled with a text table its program cannot open.
    for (command, name, said) in [
        ("report", "e.pdf", "in ra PDF từ trình duyệt"),
        ("tasks", "e.xlsx", "nó ghi: table, csv, json"),
        ("due", "e.pdf", "nó ghi: table, csv, json, xlsx"),
        ("indicators", "e.docx", "lệnh này không ghi được tệp .docx"),
    ] {
        let out = tmp.path().join(name);
        let o = bin()
            .args([
                "--plan",
                &plan,
                command,
                "--as-of",
                "2024-12-31",
                "--output",
            ])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{command} {name}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(said), "{command} {name}: {err}");
        assert!(!out.exists(), "{command} {name}");
    }
}

/// `--output` into a directory that does not exist says so and what to do
/// (it said "disk full?"), exit 1, and leaves nothing behind.
#[test]
fn an_output_in_a_missing_directory_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("khong-co").join("bao-cao.xlsx");
    let out_arg = out.to_string_lossy().to_string();
    let plan = root().join("examples/demo");
    let o = bin()
        .args([
            "--plan",
            &plan.to_string_lossy(),
            "report",
            "--as-of",
            "2024-12-31",
        ])
        .args(["--output", &out_arg])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("không có thư mục")
            && err.contains("khong-co")
            && err.contains("tạo thư mục đó"),
        "{err}"
    );
    assert!(!err.contains("đĩa đầy"), "{err}");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

/// `due` as CSV and JSON, for the reminder a lead sends: a row per item
/// in the table's order, headings in the plan's language, ISO dates and
/// days left as numbers; plan text never a formula; a BOM only in a file;
/// `--limit` cuts the items, never the counts.
#[test]
fn the_due_list_as_csv_and_json() {
    let tmp = hostile_plan();
    let due = |args: &[&str]| {
        let mut all = vec!["due", "--as-of", "2024-07-01"];
        all.extend(args);
        let o = run_in(tmp.path(), &all);
        assert!(o.status.success(), "{all:?}: {}", stderr(&o));
        o.stdout
    };
    let csv_of = |bytes: &[u8]| -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(bytes)
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    };
    let rows = csv_of(&due(&["--format", "csv"]));
    assert_eq!(
        rows[0].join("|"),
        "Mã cơ quan|Cơ quan thực hiện|Nhiệm vụ|Kỳ|Năm|Nội dung nhiệm vụ|Mã cơ quan được giao|Thời hạn|Thời hạn ban đầu|Số ngày còn lại|Tình trạng|Chưa báo cáo"
    );
    let json: serde_json::Value = serde_json::from_slice(&due(&["--format", "json"])).unwrap();
    let items = json["items"].as_array().unwrap();
    assert_eq!(rows.len(), items.len() + 1);
    assert_eq!(json["counts"]["total"], items.len());
    // Row for row the same items, in the same order.
    for (row, item) in rows[1..].iter().zip(items) {
        assert_eq!(row[0], item["agency"], "{row:?}");
        assert_eq!(row[2], item["task"], "{row:?}");
        assert_eq!(row[3], item["period"], "{row:?}");
        assert_eq!(row[6], item["assigned_to"], "{row:?}");
        assert_eq!(row[9], item["days"].to_string(), "{row:?}");
        assert_eq!(row[11] == "x", item["not_reported"] == true, "{row:?}");
    }
    // STTTT merged into SKHCN on 01/07/2024: its Q2 report, overdue
    // (reported in progress), is SKHCN's to act on, naming STTTT.
    let merged = rows
        .iter()
        .find(|r| r[2] == "2.2" && r[3] == "2024-Q2")
        .unwrap();
    assert_eq!(
        merged[..12].join("|"),
        "SKHCN|Sở Khoa học và Công nghệ|2.2|2024-Q2|2024|Tuyên truyền pháp luật về bảo vệ người tiêu dùng trên báo, đài|STTTT|2024-06-25|2024-06-25|-6|Quá hạn|"
    );
    // The hostile titles, overdue since 31/05/2024, are text.
    let titles: Vec<&String> = rows
        .iter()
        .filter(|r| r[2].starts_with("9."))
        .map(|r| &r[5])
        .collect();
    assert_eq!(titles.len(), 8, "{rows:?}");
    for t in titles.iter().filter(|t| !t.starts_with("<script>")) {
        assert!(t.starts_with('\''), "not neutralised: {t:?}");
    }
    assert!(!due(&["--format", "csv"]).starts_with(b"\xEF\xBB\xBF"));
    let out = tmp.path().join("don-doc.csv");
    due(&["--output", out.to_str().unwrap()]);
    let file = std::fs::read(&out).unwrap();
    assert_eq!(
        file.strip_prefix(b"\xEF\xBB\xBF"),
        Some(&due(&["--format", "csv"])[..])
    );
    // English headings and words.
    let en = csv_of(&due(&["--format", "csv", "--lang", "en"]));
    assert_eq!(en[0][1], "Agency responsible");
    assert!(en.iter().any(|r| r[10] == "Overdue"), "{en:?}");
    // `--limit` cuts the items; the counts stay the whole list's.
    let cut: serde_json::Value =
        serde_json::from_slice(&due(&["--format", "json", "--limit", "2"])).unwrap();
    assert_eq!(cut["counts"], json["counts"]);
    assert_eq!(cut["items"].as_array().unwrap()[..], items[..2]);
    let none: serde_json::Value =
        serde_json::from_slice(&due(&["--format", "json", "--limit", "0"])).unwrap();
    assert_eq!(none["items"], serde_json::json!([]));
    assert_eq!(csv_of(&due(&["--format", "csv", "--limit", "1"])).len(), 2);
    // The workbook of a cut list says so under its counts.
    let cut = tmp.path().join("cut.xlsx");
    due(&["--limit", "2", "--output", cut.to_str().unwrap()]);
    let mut book: Xlsx<_> = open_workbook(&cut).unwrap();
    let range = book.worksheet_range("Quá hạn, sắp đến hạn").unwrap();
    // Its agencies' title rows give their counts in the whole list.
    let whole = tmp.path().join("whole.xlsx");
    due(&["--output", whole.to_str().unwrap()]);
    let mut whole: Xlsx<_> = open_workbook(&whole).unwrap();
    let whole = whole.worksheet_range("Quá hạn, sắp đến hạn").unwrap();
    let titles = |range: &calamine::Range<Data>| -> Vec<String> {
        (6..range.height() as u32)
            .map(|r| {
                range
                    .get_value((r, 0))
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            })
            .filter(|t| t.contains(" — "))
            .collect()
    };
    let (cut_titles, whole_titles) = (titles(&range), titles(&whole));
    assert!(!cut_titles.is_empty() && whole_titles.len() > cut_titles.len());
    assert_eq!(cut_titles[..], whole_titles[..cut_titles.len()]);
    let counts = range[(3, 0)].to_string();
    assert!(
        counts.starts_with("Tổng cộng: ")
            && counts.ends_with(&format!(
                "\nHiển thị 2 trên tổng số {} kỳ thực hiện; thêm --all để xem tất cả",
                items.len()
            )),
        "{counts}"
    );
}

/// A title or a note longer than an Excel cell holds (32,767 characters —
/// a report pasted whole into an update) is cut to the limit, ending in
/// "…", in every workbook — the report, the due list, an agency's form —
/// which used to fail; the plan's files keep the whole text.
#[test]
fn text_longer_than_a_cell_is_cut_in_workbooks() {
    let long_title = "Tuyên truyền ".repeat(3_000);
    let long_note = "Đã tổ chức ".repeat(4_000);
    let t = Test::copy("examples/demo")
        .append(
            "tasks.toml",
            &format!(
                "\n[[task]]\nid = \"9.9\"\ngroup = \"I\"\ntitle = \"{long_title}\"\nlead = \"SCT\"\ndue = 2024-05-31\n"
            ),
        )
        .append(
            "progress/SCT/2024.toml",
            &format!(
                "\n[[update]]\ntask = \"9.9\"\ndate = 2024-05-20\nstatus = \"in_progress\"\nnote = \"{long_note}\"\n"
            ),
        );
    let dir = t.dir();
    let out = tempfile::tempdir().unwrap();
    for (name, args) in [
        ("bao-cao.xlsx", vec!["report", "--year", "2024"]),
        ("don-doc.xlsx", vec!["due"]),
        (
            "phieu.xlsx",
            vec!["form", "--agency", "SCT", "--year", "2024"],
        ),
    ] {
        let path = out.path().join(name);
        let o = bin()
            .arg("--plan")
            .arg(&dir)
            .args(&args)
            .args(["--as-of", "2024-12-15", "--output"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        let mut cut = 0;
        for sheet in book.sheet_names() {
            let range = book.worksheet_range(&sheet).unwrap();
            for cell in range.used_cells() {
                let text = cell.2.to_string();
                let n = text.chars().count();
                assert!(n <= 32_767, "{name} {sheet}: {n} characters");
                if n == 32_767 {
                    assert!(text.ends_with('…'), "{name} {sheet}");
                    assert!(text.starts_with("Tuyên truyền") || text.contains("Đã tổ chức"));
                    cut += 1;
                }
            }
        }
        assert!(cut >= 1, "{name}: no cell was cut");
    }
    // The plan keeps the whole text.
    let o = bin()
        .arg("--plan")
        .arg(&dir)
        .args([
            "tasks",
            "--format",
            "json",
            "--search",
            "9.9",
            "--as-of",
            "2024-12-15",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["occurrences"][0]["title"], long_title.as_str());
    assert_eq!(
        json["occurrences"][0]["last_update"]["note"],
        long_note.as_str()
    );
}

/// The column headings of a listing's output: a CSV's first record, each
/// box table's heading line, each Markdown table's heading row.
fn headings(out: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = out.lines().collect();
    let cells = |line: &str, sep: &[char]| -> Vec<String> {
        line.split(sep)
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect()
    };
    let mut tables = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with('┌') {
            // A heading may take several lines: each column's words are
            // the pieces at its place on every line up to the rule.
            let mut columns: Vec<String> = Vec::new();
            for head in lines[i + 1..].iter().take_while(|l| !l.starts_with('╞')) {
                let inner = head.trim_start_matches('│').trim_end_matches('│');
                for (j, piece) in inner.split('┆').enumerate() {
                    if columns.len() <= j {
                        columns.push(String::new());
                    }
                    let piece = piece.trim();
                    if !piece.is_empty() {
                        if !columns[j].is_empty() {
                            columns[j].push(' ');
                        }
                        columns[j].push_str(piece);
                    }
                }
            }
            tables.push(columns);
        } else if line.starts_with("|---") && i > 0 {
            tables.push(cells(lines[i - 1], &['|']));
        }
    }
    if tables.is_empty() {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(out.as_bytes());
        if let Some(Ok(first)) = reader.records().next() {
            tables.push(first.iter().map(String::from).collect());
        }
    }
    tables
}

/// No table or CSV names two of its columns alike, in either language: a
/// reader must tell a task's number from its title, and a script reading
/// a CSV by its headings must find each column (English once headed both
/// "Task").
#[test]
fn every_column_heading_is_said_once() {
    let listings: &[&[&str]] = &[
        &["report", "--format", "csv"],
        &["report", "--year", "all", "--format", "markdown"],
        &["tasks"],
        &["tasks", "--format", "csv"],
        &["due", "--within", "3650"],
        &["due", "--within", "3650", "--format", "csv"],
        &["indicators"],
        &["indicators", "--format", "csv"],
        &["agencies"],
        &["plans"],
    ];
    for lang in ["vi", "en"] {
        for listing in listings {
            let mut args = vec!["--lang", lang];
            args.extend_from_slice(listing);
            if listing != &["agencies"] {
                args.extend_from_slice(&["--as-of", "2024-06-15"]);
            }
            let out = Test::demo().with(&args).ok().stdout();
            let tables = headings(&out);
            assert!(!tables.is_empty(), "{args:?}: no headings in\n{out}");
            for heading in tables {
                let mut seen = std::collections::BTreeSet::new();
                for h in &heading {
                    assert!(seen.insert(h), "{args:?}: \"{h}\" twice in {heading:?}");
                }
            }
        }
    }
}

/// A successor's occurrence names, in the task list's CSV and JSON, the
/// agency it was assigned to: TP1's 2024 report, answered by TP3 after the
/// merger, no longer reads as a second copy of TP3's own, and STTTT's
/// third quarter, SKHCN's to answer, says it was STTTT's.
#[test]
fn a_successor_row_names_whom_it_was_assigned_to() {
    let args = ["tasks", "--as-of", "2024-12-31", "--format"];
    let csv = Test::demo()
        .with(&[&args[..], &["csv"]].concat())
        .ok()
        .stdout();
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let at = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let (code, assigned) = (at("Mã cơ quan"), at("Mã cơ quan được giao"));
    let mut pairs: Vec<(&str, &str)> = rows[1..]
        .iter()
        .filter(|r| r[0] == "1.4" && r[1] == "2024")
        .map(|r| (r[code].as_str(), r[assigned].as_str()))
        .collect();
    pairs.sort();
    assert_eq!(pairs, [("TP2", "TP2"), ("TP3", "TP1"), ("TP3", "TP3")]);
    let json: serde_json::Value = serde_json::from_str(
        &Test::demo()
            .with(&[&args[..], &["json"]].concat())
            .ok()
            .stdout(),
    )
    .unwrap();
    let q3 = json["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["task"] == "2.2" && o["period"] == "2024-Q3")
        .unwrap();
    assert_eq!(
        (&q3["lead"], &q3["assigned_to"]),
        (&"SKHCN".into(), &"STTTT".into())
    );
    // Not said where the lead is the one assigned.
    let q1 = json["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["task"] == "2.2" && o["period"] == "2024-Q1")
        .unwrap();
    assert!(q1.get("assigned_to").is_none(), "{q1}");
    // The report's task list too, in every document that has it.
    let tmp = tempfile::tempdir().unwrap();
    let cell = "UBND thị xã Mẫu Ba (TP3)\n(giao cho TP1)";
    let report = ["report", "--as-of", "2024-12-31", "--format"];
    let html = Test::demo()
        .with(&[&report[..], &["html"]].concat())
        .ok()
        .stdout();
    assert!(html.contains(cell), "{html}");
    let path = tmp.path().join("r.xlsx");
    Test::demo()
        .with(&[&report[..], &["xlsx", "--output", path.to_str().unwrap()]].concat())
        .ok();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let names = book.sheet_names();
    let found = names.iter().any(|n| {
        book.worksheet_range(n)
            .unwrap()
            .cells()
            .any(|(_, _, v)| matches!(v, Data::String(s) if s == cell))
    });
    assert!(found, "no cell {cell:?} in {names:?}");
    let path = tmp.path().join("r.docx");
    Test::demo()
        .with(&[&report[..], &["docx", "--output", path.to_str().unwrap()]].concat())
        .ok();
    let mut xml = String::new();
    zip::ZipArchive::new(std::fs::File::open(&path).unwrap())
        .unwrap()
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(
        xml.contains("Mẫu Ba (TP3)</w:t><w:br w:type=\"textWrapping\" /><w:t xml:space=\"preserve\">(giao cho TP1)"),
        "no broken line in the docx"
    );
}
