//! Agency forms (§13): `form` writes what the spec lays out; a form filled
//! in by a spreadsheet program imports as the same updates `record` would
//! append; importing twice appends nothing; every bad input is refused with
//! its SHEET!CELL and leaves every file as it was; a form saved back by
//! LibreOffice imports the same.

mod common;
use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::io::Read;
use std::path::{Path, PathBuf};

const KEYS: [&str; 13] = [
    "task", "period", "agency", "title", "deadline", "current", "status", "date", "percent",
    "evidence", "note", "new_due", "decision",
];

/// A copy of the demo with HOI's form for 2024, as of 10/06/2024.
fn with_form() -> (Run, PathBuf) {
    let t = Test::copy("examples/demo");
    let form = t.cwd().join("HOI-2024.xlsx");
    let run = t
        .with(&[
            "form",
            "--agency",
            "hoi",
            "--year",
            "2024",
            "--as-of",
            "2024-06-10",
            "--output",
            "HOI-2024.xlsx",
        ])
        .ok();
    (run, form)
}

fn text(d: Option<&Data>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

#[test]
fn the_form_is_laid_out_as_the_spec_says() {
    let (_run, path) = with_form();
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(wb.sheet_names(), ["Phiếu báo cáo", "Hướng dẫn", "kehoach"]);
    let rows = wb.worksheet_range("Phiếu báo cáo").unwrap();
    let keys: Vec<String> = (0..13).map(|c| text(rows.get_value((0, c)))).collect();
    assert_eq!(keys, KEYS);
    assert_eq!(text(rows.get_value((1, 6))), "Tình trạng");
    // HOI in 2024: 3.1 monthly ×12, 3.2 (29/02/2024), 3.3 ongoing.
    let tasks: Vec<String> = (2..rows.height() as u32)
        .map(|r| text(rows.get_value((r, 0))))
        .collect();
    assert_eq!(tasks.len(), 14, "{tasks:?}");
    assert_eq!(tasks.iter().filter(|t| *t == "3.1").count(), 12);
    // The current state as of 10/06/2024, the deadline as a date, the
    // fill-in columns empty.
    assert_eq!(
        text(rows.get_value((2, 5))),
        "Hoàn thành đúng hạn (cập nhật 04/01/2024)"
    );
    assert_eq!(text(rows.get_value((7, 5))), "Chưa báo cáo");
    assert!(matches!(rows.get_value((2, 4)), Some(Data::DateTime(_))));
    assert_eq!(text(rows.get_value((15, 4))), "Thường xuyên");
    for r in 2..16 {
        for c in 6..13 {
            assert!(
                matches!(rows.get_value((r, c)), None | Some(Data::Empty)),
                "({r},{c}) not empty"
            );
        }
    }
    let id = wb.worksheet_range("kehoach").unwrap();
    let pairs: Vec<(String, String)> = (0..5)
        .map(|r| (text(id.get_value((r, 0))), text(id.get_value((r, 1)))))
        .collect();
    assert_eq!(
        pairs,
        [
            ("plan".into(), "DEMO-01/KH".into()),
            ("agency".into(), "HOI".into()),
            ("year".into(), "2024".into()),
            ("as_of".into(), "2024-06-10".into()),
            ("form_version".into(), "1".into()),
        ]
    );
    // Hidden key row and sheet, protection, the status list, the title in
    // the print header.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let sheet = read("xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<row r=\"1\"") && sheet.contains("hidden=\"1\""));
    assert!(sheet.contains("<sheetProtection"));
    assert!(sheet.contains("Chưa triển khai,Đang thực hiện,Đã hoàn thành,Dừng thực hiện"));
    assert!(sheet.contains("type=\"date\"") && sheet.contains("type=\"whole\""));
    assert!(sheet.contains("<oddHeader>") && sheet.contains("PHIẾU BÁO CÁO"));
    assert!(sheet.contains("orientation=\"landscape\""));
    assert!(read("xl/workbook.xml").contains("state=\"hidden\""));
}

#[test]
fn a_group_is_not_an_agency_and_every_agency_gets_a_form() {
    let (run, _) = with_form();
    let run = run
        .then(&[
            "form",
            "--agency",
            "UBND-HUYEN",
            "--year",
            "2024",
            "--output",
            "x.xlsx",
        ])
        .code(2)
        .stderr_has("TP1, TP2, TP3");
    let run = run
        .then(&[
            "form",
            "--all-agencies",
            "--year",
            "2024",
            "--as-of",
            "2024-12-31",
            "--output-dir",
            "phieu",
        ])
        .ok();
    let mut made: Vec<String> = std::fs::read_dir(run.test.cwd().join("phieu"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    made.sort();
    // TP1 ceased on 30/06/2024: its 2024 report is TP3's.
    assert_eq!(
        made,
        [
            "HOI-2024.xlsx",
            "SCT-2024.xlsx",
            "SKHCN-2024.xlsx",
            "STTTT-2024.xlsx",
            "SYT-2024.xlsx",
            "TP2-2024.xlsx",
            "TP3-2024.xlsx"
        ]
    );
}

/// A cell of a filled form.
#[derive(Clone)]
enum V {
    S(&'static str),
    N(f64),
    Date(u16, u8, u8),
    Formula(&'static str),
    /// A number in a cell formatted as a percentage (0.4 shows 40%).
    Pct(f64),
}

/// Writes a filled form as a spreadsheet program would: the generated form's
/// rows and identity, the columns in `order`, `fill` giving (row index from
/// 0, key, value).
fn fill(
    form: &Path,
    out: &Path,
    order: &[usize],
    fill: &[(usize, &str, V)],
    plan_id: Option<&str>,
) {
    let mut wb: Xlsx<_> = open_workbook(form).unwrap();
    let rows = wb.worksheet_range("Phiếu báo cáo").unwrap();
    let id = wb.worksheet_range("kehoach").unwrap();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Phiếu báo cáo").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (pos, &k) in order.iter().enumerate() {
        let col = pos as u16;
        for r in 0..rows.height() as u32 {
            let value = rows.get_value((r, k as u32));
            let key = KEYS[k];
            let filled = fill
                .iter()
                .find(|(i, f, _)| r >= 2 && *i == (r - 2) as usize && *f == key);
            match (filled, value) {
                (Some((_, _, V::S(s))), _) => {
                    ws.write_string(r, col, *s).unwrap();
                }
                (Some((_, _, V::N(n))), _) => {
                    ws.write_number(r, col, *n).unwrap();
                }
                (Some((_, _, V::Date(y, m, d))), _) => {
                    ws.write_datetime_with_format(
                        r,
                        col,
                        ExcelDateTime::from_ymd(*y, *m, *d).unwrap(),
                        &date,
                    )
                    .unwrap();
                }
                (Some((_, _, V::Pct(p))), _) => {
                    let pct = Format::new().set_num_format("0%");
                    ws.write_number_with_format(r, col, *p, &pct).unwrap();
                }
                (Some((_, _, V::Formula(f))), _) => {
                    ws.write_formula(r, col, *f).unwrap();
                }
                (None, Some(Data::String(s))) => {
                    ws.write_string(r, col, s).unwrap();
                }
                (None, Some(Data::DateTime(d))) => {
                    ws.write_number_with_format(r, col, d.as_f64(), &date)
                        .unwrap();
                }
                _ => {}
            }
        }
    }
    let ws = book.add_worksheet();
    ws.set_name("kehoach").unwrap();
    for r in 0..5u32 {
        ws.write_string(r, 0, text(id.get_value((r, 0)))).unwrap();
        match (r, id.get_value((r, 1))) {
            (0, _) if plan_id.is_some() => {
                ws.write_string(r, 1, plan_id.unwrap()).unwrap();
            }
            (_, Some(Data::Float(n))) => {
                ws.write_number(r, 1, *n).unwrap();
            }
            (_, v) => {
                ws.write_string(r, 1, text(v)).unwrap();
            }
        }
    }
    ws.set_hidden(true);
    book.save(out).unwrap();
}

/// Columns moved: the fill-in columns first, the rest after.
const MOVED: [usize; 13] = [6, 7, 8, 9, 10, 11, 12, 0, 1, 2, 3, 4, 5];

/// Rows of HOI's 2024 form: 0–11 are 3.1 January–December, 12 is 3.2, 13
/// is 3.3 (ongoing).
fn good_fill() -> Vec<(usize, &'static str, V)> {
    vec![
        // June, done late, a Vietnamese word and a date cell.
        (5, "status", V::S("Đã hoàn thành")),
        (5, "date", V::Date(2024, 6, 12)),
        (5, "evidence", V::S("Báo cáo số 61/BC-HBV")),
        // July: an extension with its decision, a text date.
        (6, "status", V::S("Đang thực hiện")),
        (6, "date", V::S("01/07/2024")),
        (6, "percent", V::N(40.0)),
        (6, "new_due", V::S("2024-07-20")),
        (6, "decision", V::S("Công văn số 77/SCT")),
        // The ongoing task, an English word and a machine word below.
        (13, "status", V::S("In progress")),
        (13, "date", V::Date(2024, 6, 30)),
        (13, "note", V::S("Tiếp nhận 118 yêu cầu")),
        (8, "status", V::S("not_started")),
        (8, "date", V::S("1/6/2024")),
    ]
}

#[test]
fn a_filled_form_imports_as_the_same_updates_as_record_and_only_once() {
    let (run, form) = with_form();
    let filled = run.test.cwd().join("tra-ve.xlsx");
    fill(&form, &filled, &MOVED, &good_fill(), None);
    let run = run
        .then(&["import", "tra-ve.xlsx", "--dry-run"])
        .ok()
        .stdout_has("HOI: 4 sẽ ghi")
        .unchanged();
    let run = run
        .then(&["import", "tra-ve.xlsx", "--by", "Văn phòng Hội"])
        .ok()
        .stdout_has("HOI: 4 đã ghi, 0 đã có, không ghi lại, 10 bỏ qua")
        // Its one done row names its evidence.
        .stderr_lacks("tài liệu kiểm chứng");
    let run = run
        .then(&[
            "tasks",
            "--agency",
            "HOI",
            "--year",
            "2024",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
        ])
        .ok();
    let imported = run.json();
    // The same by hand with record.
    let by_hand = Test::copy("examples/demo");
    let mut r = by_hand.with(&["check"]).ok();
    for args in [
        &[
            "record",
            "3.1",
            "--period",
            "2024-06",
            "--status",
            "done",
            "--date",
            "2024-06-12",
            "--evidence",
            "Báo cáo số 61/BC-HBV",
        ][..],
        &[
            "record",
            "3.1",
            "--period",
            "2024-07",
            "--status",
            "in_progress",
            "--date",
            "2024-07-01",
            "--percent",
            "40",
            "--new-due",
            "2024-07-20",
            "--decision",
            "Công văn số 77/SCT",
        ],
        &[
            "record",
            "3.1",
            "--period",
            "2024-09",
            "--status",
            "not_started",
            "--date",
            "2024-06-01",
        ],
        &[
            "record",
            "3.3",
            "--period",
            "2024",
            "--status",
            "in_progress",
            "--date",
            "2024-06-30",
            "--note",
            "Tiếp nhận 118 yêu cầu",
        ],
    ] {
        r = r.then(args).ok();
    }
    let recorded = r
        .then(&[
            "tasks",
            "--agency",
            "HOI",
            "--year",
            "2024",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
        ])
        .ok()
        .json();
    let strip = |v: &serde_json::Value| {
        let mut v = v.clone();
        for o in v["occurrences"].as_array_mut().unwrap() {
            if let Some(u) = o.get_mut("last_update") {
                u["by"] = serde_json::Value::Null;
            }
        }
        v
    };
    assert_eq!(strip(&imported), strip(&recorded));
    // 3.1 June done late (12/06 after 05/06), July extended to 20/07.
    let occ = imported["occurrences"].as_array().unwrap();
    assert_eq!(occ[5]["status"], "done_late");
    assert_eq!(occ[6]["deadline"], "2024-07-20");
    // Imported twice: nothing appended, every file as it was.
    run.then(&["import", "tra-ve.xlsx"])
        .ok()
        .stdout_has("HOI: 0 đã ghi, 4 đã có, không ghi lại, 10 bỏ qua")
        .unchanged();
}

/// The same form imported by two officers at the same moment is written
/// once: the second import waits for the plan's lock before it reads the
/// plan, then finds every row on record. Both start while the test holds
/// the lock, so both wait.
#[test]
fn a_form_imported_twice_at_once_is_written_once() {
    let (run, form) = with_form();
    let filled = run.test.cwd().join("tra-ve.xlsx");
    fill(&form, &filled, &MOVED, &good_fill(), None);
    let dir = run.test.dir();
    let lock = kehoach::write::lock_plan(&dir, std::time::Duration::from_secs(5)).unwrap();
    let imports: Vec<std::process::Child> = (0..2)
        .map(|_| {
            bin()
                .current_dir(run.test.cwd())
                .args(["--plan", "plan", "import", "tra-ve.xlsx"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // Long enough for each import to reach the lock.
    std::thread::sleep(std::time::Duration::from_millis(500));
    drop(lock);
    let mut said: Vec<String> = imports
        .into_iter()
        .map(|i| {
            let o = i.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", stderr(&o));
            stdout(&o)
        })
        .collect();
    said.sort_by_key(|s| s.contains("4 đã có"));
    assert!(said[0].contains("HOI: 4 đã ghi, 0 đã có"), "{}", said[0]);
    assert!(said[1].contains("HOI: 0 đã ghi, 4 đã có"), "{}", said[1]);
    let text = std::fs::read_to_string(dir.join("progress/HOI/2024.toml")).unwrap();
    assert_eq!(text.matches("Báo cáo số 61/BC-HBV").count(), 1, "{text}");
}

/// Imports `fill` and expects a refusal at `cell` saying `message`, with
/// every file unchanged.
fn refused(
    fill_rows: &[(usize, &'static str, V)],
    plan_id: Option<&str>,
    cell: &str,
    message: &str,
) {
    let (run, form) = with_form();
    let filled = run.test.cwd().join("tra-ve.xlsx");
    fill(&form, &filled, &MOVED, fill_rows, plan_id);
    run.then(&["import", "tra-ve.xlsx"])
        .code(1)
        .stderr_has(&format!("tra-ve.xlsx:{cell}: lỗi: "))
        .stderr_has(message)
        .stderr_has("không ghi gì")
        .unchanged();
}

#[test]
fn rows_done_without_evidence_are_counted_and_listed() {
    let (run, form) = with_form();
    let filled = run.test.cwd().join("tra-ve.xlsx");
    let rows = vec![
        (5, "status", V::S("Đã hoàn thành")),
        (5, "date", V::Date(2024, 6, 12)),
        (6, "status", V::S("done")),
        (6, "date", V::Date(2024, 7, 4)),
        (6, "evidence", V::S("   ")),
        (8, "status", V::S("Đã hoàn thành")),
        (8, "date", V::Date(2024, 6, 2)),
        (8, "evidence", V::S("Báo cáo số 9/BC-HBV")),
    ];
    fill(&form, &filled, &MOVED, &rows, None);
    let run = run
        .then(&["import", "tra-ve.xlsx"])
        .ok()
        .stdout_has("HOI: 3 đã ghi")
        .stderr_has("2 dòng báo hoàn thành không ghi tài liệu kiểm chứng");
    let run = run
        .then(&[
            "tasks",
            "--without-evidence",
            "--agency",
            "HOI",
            "--as-of",
            "2024-12-31",
            "--format",
            "csv",
        ])
        .ok();
    let listed = run.stdout();
    assert!(
        listed.contains(",2024-06,") && listed.contains(",2024-07,"),
        "{listed}"
    );
}

#[test]
fn bad_rows_are_refused_at_their_cell_and_nothing_is_written() {
    // Columns moved (MOVED): status A, date B, percent C, evidence D,
    // note E, new_due F, decision G, task H; row 3 is the first task.
    let june = |extra: Vec<(usize, &'static str, V)>| {
        let mut v = vec![
            (5, "status", V::S("Đang thực hiện")),
            (5, "date", V::S("12/06/2024")),
        ];
        for e in extra {
            v.retain(|(r, k, _)| !(*r == e.0 && *k == e.1));
            v.push(e);
        }
        v
    };
    refused(
        &june(vec![(5, "status", V::S("xong rồi"))]),
        None,
        "Phiếu báo cáo!A8",
        "tình trạng \"xong rồi\" không hợp lệ",
    );
    refused(
        &june(vec![(5, "date", V::S("31/02/2024"))]),
        None,
        "Phiếu báo cáo!B8",
        "\"31/02/2024\" không phải là ngày",
    );
    refused(
        &june(vec![(5, "date", V::S("12/06/24"))]),
        None,
        "Phiếu báo cáo!B8",
        "\"12/06/24\" không phải là ngày",
    );
    refused(
        &june(vec![(5, "percent", V::N(120.0))]),
        None,
        "Phiếu báo cáo!C8",
        "tỷ lệ \"120\" không hợp lệ",
    );
    refused(
        &june(vec![
            (5, "status", V::S("Đã hoàn thành")),
            (5, "percent", V::N(50.0)),
        ]),
        None,
        "Phiếu báo cáo!C8",
        "trạng thái \"done\" với percent 50",
    );
    refused(
        &june(vec![(5, "new_due", V::S("30/06/2024"))]),
        None,
        "Phiếu báo cáo!F8",
        "gia hạn (new_due) mà không có \"decision\"",
    );
    refused(
        &june(vec![
            (5, "new_due", V::S("01/06/2024")),
            (5, "decision", V::S("CV 1")),
        ]),
        None,
        "Phiếu báo cáo!F8",
        "gia hạn đến 01/06/2024 không muộn hơn thời hạn đang áp dụng (05/06/2024)",
    );
    refused(
        &june(vec![(5, "status", V::S("Dừng thực hiện"))]),
        None,
        "Phiếu báo cáo!A8",
        "dừng thực hiện (cancelled) mà không có \"decision\"",
    );
    refused(
        &june(vec![(5, "date", V::Formula("=TODAY()"))]),
        None,
        "Phiếu báo cáo!B8",
        "chứa công thức",
    );
    refused(
        &june(vec![(5, "date", V::S(""))]),
        None,
        "Phiếu báo cáo!B8",
        "thiếu ngày",
    );
    refused(
        &june(vec![]),
        Some("KHAC/KH"),
        "kehoach!B1",
        "phiếu của kế hoạch \"KHAC/KH\", không phải kế hoạch DEMO-01/KH",
    );
}

#[test]
fn a_row_not_on_the_form_and_broken_workbooks_are_refused() {
    let (run, form) = with_form();
    let dir = run.test.cwd().to_path_buf();
    // Row 1 (3.1 January) rewritten as task 1.1 of SCT.
    let mut wb: Xlsx<_> = open_workbook(&form).unwrap();
    let rows = wb.worksheet_range("Phiếu báo cáo").unwrap();
    let id = wb.worksheet_range("kehoach").unwrap();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Phiếu báo cáo").unwrap();
    for c in 0..13u16 {
        ws.write_string(0, c, KEYS[usize::from(c)]).unwrap();
    }
    for (c, v) in ["1.1", "2024", "SCT"].iter().enumerate() {
        ws.write_string(2, c as u16, *v).unwrap();
    }
    ws.write_string(2, 6, "Đã hoàn thành").unwrap();
    ws.write_string(2, 7, "01/06/2024").unwrap();
    let _ = rows;
    let ws = book.add_worksheet();
    ws.set_name("kehoach").unwrap();
    for r in 0..5u32 {
        ws.write_string(r, 0, text(id.get_value((r, 0)))).unwrap();
        match id.get_value((r, 1)) {
            Some(Data::Float(n)) => ws.write_number(r, 1, *n).unwrap(),
            v => ws.write_string(r, 1, text(v)).unwrap(),
        };
    }
    book.save(dir.join("khac.xlsx")).unwrap();
    let run = run
        .then(&["import", "khac.xlsx"])
        .code(1)
        .stderr_has("khac.xlsx:Phiếu báo cáo!A3: lỗi: nhiệm vụ 1.1 kỳ 2024 không phải nhiệm vụ của HOI năm 2024")
        .unchanged();
    // One entry typed far from the form: read whole, the sheet would span
    // 17 billion cells (the program was killed at 24 GB). Refused at once,
    // at that cell.
    let ws = book.worksheet_from_index(0).unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    book.save(dir.join("xa.xlsx")).unwrap();
    let run = run
        .then(&["import", "xa.xlsx"])
        .code(1)
        .stderr_has("xa.xlsx:Phiếu báo cáo!XFD1048576: lỗi: ô này nằm quá xa vùng của phiếu")
        .unchanged();
    // Not a form at all; a truncated file; a file over 64 MiB.
    let mut plain = Workbook::new();
    plain.add_worksheet().write_string(0, 0, "task").unwrap();
    plain.save(dir.join("plain.xlsx")).unwrap();
    let bytes = std::fs::read(&form).unwrap();
    std::fs::write(dir.join("cut.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
    let big = std::fs::File::create(dir.join("big.xlsx")).unwrap();
    big.set_len(100 * 1024 * 1024).unwrap();
    let run = run
        .then(&["import", "plain.xlsx"])
        .code(1)
        .stderr_has("plain.xlsx:kehoach!A1: lỗi: đây không phải phiếu báo cáo")
        .unchanged();
    let run = run
        .then(&["import", "cut.xlsx"])
        .code(1)
        .stderr_has("cut.xlsx: lỗi: tệp không đọc được")
        .unchanged();
    let run = run
        .then(&["import", "big.xlsx"])
        .code(1)
        .stderr_has("big.xlsx: lỗi: tệp dài 100 MiB")
        .unchanged();
    // The fuzzer's find: one byte of the form changed makes calamine
    // overflow on a cell reference (a panic in a debug build). A damaged
    // file, said once, without a panic message.
    let mut damaged = bytes.clone();
    let at = 0x3c3a % damaged.len();
    damaged[at] = 0xff;
    std::fs::write(dir.join("hong.xlsx"), &damaged).unwrap();
    let run = run
        .then(&["import", "hong.xlsx"])
        .code(1)
        .stderr_has("hong.xlsx: lỗi:")
        .stderr_lacks("panicked")
        .unchanged();
    // Several files are all or nothing: one good, one bad, nothing written.
    fill(&form, &dir.join("tot.xlsx"), &MOVED, &good_fill(), None);
    run.then(&["import", "tot.xlsx", "plain.xlsx"])
        .code(1)
        .unchanged();
}

/// A directory of returned forms imports as its forms named one by one;
/// a pattern does too when no shell expanded it (Windows), and an office
/// program's lock file beside an open form is left out with a word, not
/// refused as a damaged form. A directory or pattern naming no form is an
/// error, and nothing is written.
#[test]
fn a_directory_or_a_pattern_of_forms_imports_its_forms() {
    let (mut run, form) = with_form();
    let dir = run.test.cwd().to_path_buf();
    std::fs::create_dir_all(dir.join("tra-ve")).unwrap();
    fill(
        &form,
        &dir.join("tra-ve/HOI-2024.xlsx"),
        &MOVED,
        &good_fill(),
        None,
    );
    std::fs::write(dir.join("tra-ve/~$HOI-2024.xlsx"), b"\x0bNguyen Van A").unwrap();
    std::fs::write(dir.join("tra-ve/ghi-chu.txt"), "đã nhận 1 phiếu").unwrap();
    run = run
        .then(&["import", "tra-ve/HOI-2024.xlsx", "--dry-run"])
        .ok();
    let one = run.stdout();
    assert!(one.contains("HOI: 4 sẽ ghi"), "{one}");
    for given in ["tra-ve", "tra-ve/*.xlsx", "tra-ve/HOI-????.xlsx"] {
        run = run.then(&["import", given, "--dry-run"]).ok();
        assert_eq!(run.stdout(), one, "{given}");
    }
    // The lock file, named by a shell's expansion, is left out.
    run = run
        .then(&[
            "import",
            "tra-ve/HOI-2024.xlsx",
            "tra-ve/~$HOI-2024.xlsx",
            "--dry-run",
        ])
        .ok()
        .stderr_has("bỏ qua ~$HOI-2024.xlsx: tệp khóa");
    assert_eq!(run.stdout(), one);
    for given in ["tra-ve/*.pdf", "trong"] {
        std::fs::create_dir_all(dir.join("trong")).unwrap();
        run = run
            .then(&["import", "tra-ve/HOI-2024.xlsx", given])
            .code(1)
            .stderr_has(&format!(
                "{given}: lỗi: \"{given}\" không có phiếu nào (.xlsx)"
            ))
            .unchanged();
    }
}

/// `input` converted by LibreOffice with `filter` (`ods:calc8`) into
/// `dir/lo-EXT/`, as an agency saves a form back in its office program.
fn saved_by_libreoffice(dir: &Path, input: &str, filter: &str) -> String {
    let ext = filter.split(':').next().unwrap();
    let out = dir.join(format!("lo-{ext}"));
    std::fs::create_dir_all(&out).unwrap();
    let status = std::process::Command::new("soffice")
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            filter,
            "--outdir",
        ])
        .arg(&out)
        .arg(dir.join(input))
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let name = Path::new(input).with_extension(ext);
    format!("lo-{ext}/{}", name.display())
}

/// A form LibreOffice saved back as .xlsx imports as the form itself
/// does: text, dates, date cells, percentages. Saved in its own format
/// (.ods) or as an old Excel file (.xls), it is refused with what to do,
/// whatever its name, and nothing is written.
#[test]
fn a_form_saved_back_by_libreoffice_imports_the_same() {
    if !have("soffice", &["--version"]) {
        return skip(
            "a_form_saved_back_by_libreoffice_imports_the_same",
            "LibreOffice (`soffice`) is not installed",
        );
    }
    let (mut run, form) = with_form();
    let dir = run.test.cwd().to_path_buf();
    // July's report 40% done and June's 100%, in cells formatted as
    // percentages.
    let mut filled: Vec<_> = good_fill()
        .into_iter()
        .map(|(row, key, v)| match (row, key) {
            (6, "percent") => (row, key, V::Pct(0.4)),
            _ => (row, key, v),
        })
        .collect();
    filled.push((5, "percent", V::Pct(1.0)));
    fill(&form, &dir.join("tra-ve.xlsx"), &MOVED, &filled, None);
    run = run.then(&["import", "tra-ve.xlsx", "--dry-run"]).ok();
    let direct = run.stdout();
    assert!(direct.contains("HOI: 4 sẽ ghi"), "{direct}");
    assert!(
        direct.contains("percent = 40") && direct.contains("percent = 100"),
        "{direct}"
    );
    let saved = saved_by_libreoffice(&dir, "tra-ve.xlsx", "xlsx:Calc MS Excel 2007 XML");
    run = run.then(&["import", &saved, "--dry-run"]).ok();
    assert_eq!(run.stdout(), direct);
    for (filter, kind) in [
        ("ods:calc8", "OpenDocument (.ods)"),
        ("xls:MS Excel 97", "Excel 97-2003 (.xls)"),
    ] {
        let saved = saved_by_libreoffice(&dir, "tra-ve.xlsx", filter);
        // Also under an .xlsx name.
        let renamed = format!("{saved}.xlsx");
        std::fs::copy(dir.join(&saved), dir.join(&renamed)).unwrap();
        for name in [&saved, &renamed] {
            let want = format!(
                "{name}: lỗi: phiếu là tệp {kind}, không nhập được; mở phiếu và lưu lại dạng .xlsx"
            );
            run = run
                .then(&["import", name])
                .code(1)
                .stderr_has(&want)
                .unchanged();
        }
    }
}

/// A task done on request on an agency's form: its deadline cell says
/// "Khi có yêu cầu", the instructions say where a request goes, and a row
/// filled with the request's deadline and document imports as the
/// request — the task is then owed by that date. Without the document
/// the row is refused at its cell, naming a request.
#[test]
fn a_request_comes_back_on_the_form() {
    let task = "\n[[task]]\nid = \"9.1\"\ngroup = \"III\"\ntitle = \"Phối hợp khi Bộ yêu cầu\"\nlead = \"HOI\"\ndue = \"on_request\"\n";
    let run = Test::copy("examples/demo")
        .append("tasks.toml", task)
        .with(&[
            "form",
            "--agency",
            "HOI",
            "--year",
            "2024",
            "--as-of",
            "2024-03-10",
            "--output",
            "HOI-2024.xlsx",
        ])
        .ok();
    let form = run.test.cwd().join("HOI-2024.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&form).unwrap();
    let rows = wb.worksheet_range("Phiếu báo cáo").unwrap();
    // Row 16 (index 14 of the filled rows): 9.1, after 3.1's twelve
    // months, 3.2 and 3.3.
    assert_eq!(text(rows.get_value((16, 0))), "9.1");
    assert_eq!(text(rows.get_value((16, 4))), "Khi có yêu cầu");
    let help = wb.worksheet_range("Hướng dẫn").unwrap();
    let help: Vec<String> = help.rows().map(|r| text(r.first())).collect();
    assert!(
        help.iter()
            .any(|l| l.contains("Khi có yêu cầu") && l.contains("Gia hạn đến ngày")),
        "{help:?}"
    );
    let request = |decision: Option<&'static str>| {
        let mut rows = vec![
            (14, "status", V::S("Chưa triển khai")),
            (14, "date", V::Date(2024, 3, 1)),
            (14, "new_due", V::Date(2024, 4, 15)),
        ];
        if let Some(d) = decision {
            rows.push((14, "decision", V::S(d)));
        }
        rows
    };
    let filled = run.test.cwd().join("tra-ve.xlsx");
    fill(&form, &filled, &MOVED, &request(None), None);
    let run = run
        .then(&["import", "tra-ve.xlsx"])
        .code(1)
        .stderr_has("ghi văn bản yêu cầu")
        .unchanged();
    fill(
        &form,
        &filled,
        &MOVED,
        &request(Some("Công văn số 12/BCT-CT")),
        None,
    );
    let run = run
        .then(&["import", "tra-ve.xlsx"])
        .ok()
        .stdout_has("HOI: 1 đã ghi");
    let due = run
        .then(&[
            "due",
            "--agency",
            "HOI",
            "--as-of",
            "2024-05-01",
            "--format",
            "json",
        ])
        .ok()
        .json();
    let item = due["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["task"] == "9.1")
        .cloned()
        .unwrap_or_default();
    assert_eq!(item["deadline"], "2024-04-15", "{due}");
    assert_eq!(item["kind"], "overdue", "{due}");
    assert_eq!(item["original_deadline"], serde_json::Value::Null, "{due}");
}
