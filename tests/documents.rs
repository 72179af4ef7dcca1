//! The documents an agency files, as a reader sees them: the Word report
//! read back part by part, then every printable export printed the way an
//! office prints it — the .docx and .xlsx by LibreOffice, the HTML by
//! Chromium — and the pages checked word by word: nothing drawn over other
//! text, no page left nearly empty, the Decree 30 page layout, no program
//! name.

mod common;
use common::*;
use serde_json::Value as Json;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A part of a .docx package, as text.
fn part(docx: &Path, name: &str) -> String {
    let file = std::fs::File::open(docx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// Every part of a .docx package, by name.
fn parts(docx: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(docx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

/// The body of a Word document: its paragraphs outside tables, and its
/// tables as rows of cell texts.
#[derive(Default, Debug)]
struct Body {
    paragraphs: Vec<String>,
    tables: Vec<Vec<Vec<String>>>,
}

impl Body {
    fn has_paragraph(&self, text: &str) -> bool {
        self.paragraphs.iter().any(|p| p == text)
    }

    /// Every cell text of every table.
    fn cells(&self) -> impl Iterator<Item = &String> {
        self.tables.iter().flatten().flatten()
    }
}

fn body(document: &str) -> Body {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(document);
    let mut out = Body::default();
    let mut text = String::new();
    let (mut in_table, mut in_text) = (0, false);
    loop {
        match reader.read_event().expect("well-formed document.xml") {
            Event::Start(e) => match e.name().as_ref() {
                "w:tbl" => {
                    in_table += 1;
                    out.tables.push(Vec::new());
                }
                "w:tr" => out.tables.last_mut().unwrap().push(Vec::new()),
                "w:tc" => {
                    let table = out.tables.last_mut().unwrap();
                    table.last_mut().unwrap().push(String::new());
                }
                "w:t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) if e.name().as_ref() == "w:tab" && in_table > 0 => {
                push_cell(&mut out, "\t");
            }
            Event::End(e) => match e.name().as_ref() {
                "w:tbl" => in_table -= 1,
                "w:t" => in_text = false,
                "w:p" if in_table == 0 => out.paragraphs.push(std::mem::take(&mut text)),
                "w:p" => push_cell(&mut out, "\n"),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let s = t.xml10_content().to_string();
                if in_table > 0 {
                    push_cell(&mut out, &s);
                } else {
                    text.push_str(&s);
                }
            }
            Event::GeneralRef(r) if in_text => {
                let c = match r.as_ref() {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => r.resolve_char_ref().unwrap().unwrap(),
                };
                if in_table > 0 {
                    push_cell(&mut out, &c.to_string());
                } else {
                    text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Cell texts: paragraphs joined by newlines, without the last one.
    for cell in out.tables.iter_mut().flatten().flatten() {
        *cell = cell.trim_end_matches('\n').to_string();
    }
    out
}

fn push_cell(out: &mut Body, s: &str) {
    if let Some(cell) = out
        .tables
        .last_mut()
        .and_then(|t| t.last_mut())
        .and_then(|r| r.last_mut())
    {
        cell.push_str(s);
    }
}

/// Runs kehoach in the repository and returns the file it wrote.
fn export(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--output", out.to_str().unwrap()]);
    let o = run_in(&root(), &all);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

fn json(args: &[&str]) -> Json {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--format", "json"]);
    let o = run_in(&root(), &all);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// A count or rate as the Vietnamese tables show it.
fn shown(v: &Json) -> String {
    match v {
        Json::Null => "—".into(),
        Json::Number(n) if n.is_u64() => {
            let digits = n.to_string();
            let mut out = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    out.push('.');
                }
                out.push(c);
            }
            out
        }
        Json::Number(n) => format!("{:.1}%", n.as_f64().unwrap() * 100.0).replace('.', ","),
        other => panic!("not a figure: {other}"),
    }
}

/// The figures of a JSON row, in the order of the compliance table.
fn figures(row: &Json) -> Vec<String> {
    let n = |k: &str| row[k].as_u64().unwrap();
    let due = n("done_on_time") + n("done_late") + n("overdue");
    [
        row["assigned"].clone(),
        row["done_on_time"].clone(),
        row["done_late"].clone(),
        row["in_progress"].clone(),
        row["overdue"].clone(),
        row["cancelled"].clone(),
        Json::from(due),
        row["on_time_rate"].clone(),
        row["completion_rate"].clone(),
        row["not_reported"].clone(),
    ]
    .iter()
    .map(shown)
    .collect()
}

const DEMO_2024: [&str; 7] = [
    "--plan",
    "examples/demo",
    "report",
    "--year",
    "2024",
    "--as-of",
    "2024-12-31",
];

fn demo_docx(dir: &Path) -> PathBuf {
    let mut args = DEMO_2024.to_vec();
    args.extend(["--format", "docx", "--number", "125/BC-SCT"]);
    export(dir, "bao-cao.docx", &args)
}

#[test]
fn docx_is_a_decree_30_report_with_every_figure_of_the_json() {
    let tmp = tempfile::tempdir().unwrap();
    let docx = demo_docx(tmp.path());
    let doc = body(&part(&docx, "word/document.xml"));
    let cells: Vec<&String> = doc.cells().collect();
    // The header block: issuing body over its parent, motto, number, date.
    for text in [
        "UBND TỈNH MẪU\nSỞ CÔNG THƯƠNG\n────────\nSố: 125/BC-SCT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nMẫu, ngày 31 tháng 12 năm 2024",
    ] {
        assert!(
            cells.contains(&&text.to_string()),
            "{text:?} not in {cells:#?}"
        );
    }
    for p in [
        "BÁO CÁO",
        "Kết quả thực hiện Kế hoạch số DEMO-01/KH ngày 10/01/2023 của Ủy ban nhân dân tỉnh Mẫu năm 2024",
        "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
        "Phụ lục I",
        "Phụ lục II",
        "(Kèm theo Báo cáo số 125/BC-SCT ngày 31/12/2024)",
        "ĐVT: nhiệm vụ",
        // Periods mid-sentence in lower case.
        "- Nhiệm vụ 2.2 – Sở Thông tin và Truyền thông (STTTT) (quý II/2024): quá hạn chưa hoàn thành.",
        // The closing sentence names who reports, as the opening does.
        "Trên đây là báo cáo kết quả thực hiện Kế hoạch số DEMO-01/KH ngày 10/01/2023 của Ủy ban nhân dân tỉnh Mẫu năm 2024 của Sở Công Thương./.",
    ] {
        assert!(doc.has_paragraph(p), "no paragraph {p:?}");
    }
    // The figures in the body are the report's.
    assert!(doc.paragraphs.iter().any(|p| p.starts_with(
        "24 nhiệm vụ được giao; đã hoàn thành 11 (đúng hạn 9, quá hạn 2); chưa hoàn thành 13 (trong hạn 0, quá hạn 13)"
    )));
    // Overdue items are named in III, with what nobody reported.
    assert!(doc.paragraphs.iter().any(|p| p
        == "- Nhiệm vụ 1.2 – Sở Y tế (SYT) (6 tháng đầu năm 2024, 6 tháng cuối năm 2024): quá hạn chưa hoàn thành, chưa báo cáo."));
    // Signature block and recipients from [report].
    let signature = cells
        .iter()
        .find(|c| c.starts_with("Nơi nhận:"))
        .expect("recipients");
    assert!(signature.contains("- Lưu: VT, QLTM."), "{signature}");
    assert!(cells.contains(&&"KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n\n\n\nNguyễn Văn Mẫu".to_string()));

    // Phụ lục I: every row and the total of the JSON report, figure by figure.
    let report = json(&DEMO_2024);
    let table = doc
        .tables
        .iter()
        .find(|t| t.len() > 3 && t[0][0] == "STT" && t[0][1] == "Cơ quan chủ trì")
        .expect("compliance table");
    assert_eq!(table[2][0], "(1)");
    assert_eq!(table[2][10], "(11)=((4)+(5))/(9)");
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(table.len(), 3 + rows.len() + 1);
    for (i, row) in rows.iter().enumerate() {
        let line = &table[3 + i];
        let code = row["agency"].as_str().unwrap();
        assert_eq!(line[0], (i + 1).to_string());
        assert!(line[1].ends_with(&format!("({code})")), "{line:?}");
        assert_eq!(line[2..].to_vec(), figures(row), "row of {code}");
    }
    let total = table.last().unwrap();
    assert_eq!(total[1], "Tổng cộng");
    assert_eq!(total[2..].to_vec(), figures(&report["totals"][0]));

    // Phụ lục II: one line per occurrence of the year, ongoing ones included.
    let tasks = doc
        .tables
        .iter()
        .find(|t| t[0].get(3).is_some_and(|h| h == "Nội dung nhiệm vụ"))
        .expect("task table");
    let lines = tasks.iter().skip(1).filter(|r| r.len() > 2).count() as u64;
    let ongoing: u64 = report["ongoing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["assigned"].as_u64().unwrap())
        .sum();
    assert_eq!(
        lines,
        report["totals"][0]["assigned"].as_u64().unwrap() + ongoing
    );
    let groups: Vec<&str> = tasks
        .iter()
        .filter(|r| r.len() == 2)
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(groups, ["I", "II", "III"]);
}

#[test]
fn docx_page_layout_font_and_metadata_follow_decree_30() {
    let tmp = tempfile::tempdir().unwrap();
    let docx = demo_docx(tmp.path());
    let document = part(&docx, "word/document.xml");
    let sections: Vec<&str> = document
        .split("<w:sectPr>")
        .skip(1)
        .map(|s| &s[..s.find("</w:sectPr>").unwrap()])
        .collect();
    assert_eq!(
        sections.len(),
        2,
        "a portrait body and landscape appendices"
    );
    let (portrait, landscape) = (sections[0], sections[1]);
    // A4; top and bottom 20 mm, left 30 mm, right 15 mm (in twentieths of a point).
    assert!(
        portrait.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#),
        "{portrait}"
    );
    assert!(portrait.contains(r#"w:top="1134" w:right="850" w:bottom="1134" w:left="1701""#));
    // No number on the first page: a title page with an empty first header.
    assert!(portrait.contains("<w:titlePg />"));
    assert!(landscape.contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape" />"#));
    assert!(!landscape.contains("<w:titlePg />"));
    let numbered = (1..=2)
        .map(|i| part(&docx, &format!("word/header{i}.xml")))
        .filter(|h| h.contains("PAGE"))
        .count();
    assert_eq!(numbered, 1, "one header with the page number, one empty");
    // Times New Roman 13 pt by default.
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains(r#"w:ascii="Times New Roman""#), "{styles}");
    assert!(styles.contains(r#"<w:sz w:val="26" />"#));
    // Heading rows of the appendices repeat on every page.
    assert!(document.contains("<w:tblHeader />"));
    // Created on the as-of date; no program name in any part.
    let core = part(&docx, "docProps/core.xml");
    assert!(
        core.contains(">2024-12-31T00:00:00Z</dcterms:created>"),
        "{core}"
    );
    for (name, bytes) in parts(&docx) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(!text.contains("kehoach"), "program name in {name}");
    }
    // The same command writes the same bytes.
    let again = export(
        tmp.path(),
        "lai.docx",
        &[
            DEMO_2024.as_slice(),
            &["--format", "docx", "--number", "125/BC-SCT"],
        ]
        .concat(),
    );
    assert_eq!(std::fs::read(&docx).unwrap(), std::fs::read(again).unwrap());
}

/// The header block of a Plan 6418 report by one agency on `date`.
fn header_of(args: &[&str]) -> (String, String, Body) {
    let tmp = tempfile::tempdir().unwrap();
    let mut all = vec!["--plan", "plans/6418-KH-UBND", "report", "--format", "docx"];
    all.extend(args);
    let docx = export(tmp.path(), "r.docx", &all);
    let doc = body(&part(&docx, "word/document.xml"));
    let header = &doc.tables[0][0];
    (header[0].clone(), header[1].clone(), doc)
}

#[test]
fn the_issuer_is_the_agency_as_it_was_on_the_document_date() {
    let (left, right, doc) =
        header_of(&["--agency", "SYT", "--year", "2024", "--as-of", "2024-12-05"]);
    assert_eq!(
        left,
        "UBND TỈNH BÌNH DƯƠNG\nSỞ Y TẾ TỈNH BÌNH DƯƠNG\n────────\nSố:       /BC-SYT"
    );
    assert!(
        right.ends_with("\nBình Dương, ngày 05 tháng 12 năm 2024"),
        "{right}"
    );
    // The plan has no [report] table: blanks are dotted, never invented.
    let sig = doc
        .tables
        .iter()
        .flat_map(|t| t.iter().flatten())
        .find(|c| c.starts_with("Nơi nhận:"))
        .unwrap()
        .clone();
    assert!(sig.contains("\n- ……"), "{sig}");
    // After 1/7/2025 the department is Ho Chi Minh City's.
    let (left, right, _) =
        header_of(&["--agency", "SYT", "--year", "2025", "--as-of", "2025-12-05"]);
    assert!(left.contains("SỞ Y TẾ THÀNH PHỐ HỒ CHÍ MINH"), "{left}");
    assert!(left.starts_with("UBND THÀNH PHỐ HỒ CHÍ MINH"), "{left}");
    assert!(
        right.ends_with("\nThành phố Hồ Chí Minh, ngày 05 tháng 12 năm 2025"),
        "{right}"
    );
    // --date dates the document; --number and --signer fill the blanks.
    let (left, right, doc) = header_of(&[
        "--year",
        "2024",
        "--as-of",
        "2024-12-31",
        "--date",
        "02/01/2025",
        "--number",
        "7/BC-SCT",
        "--signer",
        "Trần Thị B",
    ]);
    assert!(
        left.contains("SỞ CÔNG THƯƠNG TỈNH BÌNH DƯƠNG\n────────\nSố: 7/BC-SCT"),
        "{left}"
    );
    assert!(
        right.ends_with("Bình Dương, ngày 02 tháng 01 năm 2025"),
        "{right}"
    );
    assert!(doc.cells().any(|c| c.ends_with("\nTrần Thị B")));
    assert!(doc.has_paragraph("(Kèm theo Báo cáo số 7/BC-SCT ngày 02/01/2025)"));
}

#[test]
fn docx_options_belong_to_the_docx() {
    Test::in_repo(Some("examples/demo"))
        .args(&["report", "--as-of", "2024-12-31", "--number", "5/BC-SCT"])
        .run()
        .code(2)
        .stderr_has("--format docx");
    // Piped, the bytes flow; English labels with --lang en.
    let o = run_in(
        &root(),
        &[
            "--plan",
            "examples/demo",
            "--lang",
            "en",
            "report",
            "--format",
            "docx",
            "--as-of",
            "2024-12-31",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.starts_with(b"PK"));
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("en.docx");
    std::fs::write(&path, &o.stdout).unwrap();
    let doc = body(&part(&path, "word/document.xml"));
    assert!(doc.has_paragraph("REPORT"));
    assert!(doc.has_paragraph("Appendix II"));
}

/// A PDF's pages, or the reason the test cannot run here.
fn needs(tools: &[(&str, &[&str], &str)]) -> Option<String> {
    tools
        .iter()
        .find(|(p, args, _)| !have(p, args))
        .map(|(_, _, why)| why.to_string())
}

/// 20 mm in points.
const MM20: f64 = 20.0 / 25.4 * 72.0;

const SOFFICE: (&str, &[&str], &str) = (
    "soffice",
    &["--version"],
    "LibreOffice (`soffice`) is not installed",
);
const PDFTOTEXT: (&str, &[&str], &str) = (
    "pdftotext",
    &["-v"],
    "poppler-utils (`pdftotext`) is not installed",
);

/// Every page has text drawn over no other text and more than a running
/// header or footer on it; with `bottom` (the bottom margin in points, for
/// documents without a footer), nothing is drawn in the bottom margin — not
/// even the accents of a heading that moved to the next page.
fn assert_printable(pages: &[Page], what: &str, bottom: Option<f64>) {
    for (i, p) in pages.iter().enumerate() {
        if let Some(margin) = bottom {
            let low: Vec<&Word> = p
                .words
                .iter()
                .filter(|w| w.y1 > p.height - margin + 3.0)
                .collect();
            assert!(
                low.is_empty(),
                "{what}, page {}: text in the bottom margin: {low:?}",
                i + 1
            );
        }
        let over = p.overprinted();
        assert!(
            over.is_empty(),
            "{what}, page {}: text over text: {over:?}",
            i + 1
        );
        assert!(
            p.words.len() > 8,
            "{what}, page {} is nearly empty: {:?}",
            i + 1,
            p.text()
        );
    }
}

/// Text at 9 pt or more once fitted to the page width: the median
/// word's height.
fn assert_readable(pages: &[Page]) {
    let mut heights: Vec<f64> = pages
        .iter()
        .flat_map(|p| p.words.iter().map(|w| w.y1 - w.y0))
        .collect();
    heights.sort_by(f64::total_cmp);
    let median = heights[heights.len() / 2];
    assert!(median >= 9.0, "median word height {median:.1} pt");
}

#[test]
fn docx_prints_in_libreoffice_as_a_fileable_report() {
    if let Some(why) = needs(&[SOFFICE, PDFTOTEXT]) {
        return skip("docx_prints_in_libreoffice_as_a_fileable_report", &why);
    }
    let tmp = tempfile::tempdir().unwrap();
    let pdf = soffice_pdf(&demo_docx(tmp.path()));
    let pages = pdf_pages(&pdf);
    assert!((4..=9).contains(&pages.len()), "{} pages", pages.len());
    assert_printable(&pages, "docx", Some(MM20));
    let first = &pages[0];
    assert!(first.height > first.width, "the report is portrait");
    assert!((first.width - 595.3).abs() < 1.0, "A4: {}", first.width);
    assert!(first.text().contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(first.text().contains("BÁO CÁO"));
    // Page numbers from page 2, at the top.
    assert_ne!(first.words[0].text, "1");
    for (i, p) in pages.iter().enumerate().skip(1) {
        let top = p.words.iter().min_by(|a, b| a.y0.total_cmp(&b.y0)).unwrap();
        assert_eq!(
            top.text,
            (i + 1).to_string(),
            "page {} is numbered at the top",
            i + 1
        );
    }
    // Appendices landscape, starting with Phụ lục I.
    let appendix = pages
        .iter()
        .position(|p| p.text().contains("Phụ lục I "))
        .expect("Phụ lục I");
    assert!(pages[appendix..].iter().all(|p| p.width > p.height));
    assert!(pages[..appendix].iter().all(|p| p.height > p.width));
    // The body text is 13 pt: about 13 pt from the top of a capital to
    // the bottom of a descender.
    let body_words: Vec<&Word> = pages[0]
        .words
        .iter()
        .filter(|w| w.text == "nhiệm")
        .collect();
    assert!(!body_words.is_empty());
    for w in body_words {
        assert!((12.0..17.0).contains(&(w.y1 - w.y0)), "{w:?}");
    }
}

#[test]
fn xlsx_of_plan_6418_prints_without_overprint_at_a_readable_size() {
    if let Some(why) = needs(&[SOFFICE, PDFTOTEXT]) {
        return skip(
            "xlsx_of_plan_6418_prints_without_overprint_at_a_readable_size",
            &why,
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let xlsx = export(
        tmp.path(),
        "bao-cao.xlsx",
        &[
            "--plan",
            "plans/6418-KH-UBND",
            "report",
            "--year",
            "all",
            "--as-of",
            "2025-12-31",
            "--format",
            "xlsx",
        ],
    );
    let pages = pdf_pages(&soffice_pdf(&xlsx));
    assert!(pages.len() >= 3);
    assert_printable(&pages, "xlsx", None);
    assert_readable(&pages);
    // Every agency column names the agency, successor applied.
    let text: String = pages.iter().map(Page::text).collect::<Vec<_>>().join(" ");
    assert!(text.contains("Thành phố Hồ Chí Minh"));
    assert!(!text.to_lowercase().contains("kehoach"));
    assert!(!text.contains("at_least"));
}

/// The due workbook of Plan 6418 prints on A4 landscape with nothing
/// drawn over anything, at a readable size, every item under its agency.
#[test]
fn the_due_workbook_prints_without_overprint_at_a_readable_size() {
    if let Some(why) = needs(&[SOFFICE, PDFTOTEXT]) {
        return skip(
            "the_due_workbook_prints_without_overprint_at_a_readable_size",
            &why,
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "--plan",
        "plans/6418-KH-UBND",
        "due",
        "--as-of",
        "2025-06-20",
    ];
    let xlsx = export(
        tmp.path(),
        "don-doc.xlsx",
        &[&args[..], &["--format", "xlsx"]].concat(),
    );
    let pages = pdf_pages(&soffice_pdf(&xlsx));
    assert!(pages.len() >= 2, "{} pages", pages.len());
    assert_printable(&pages, "due xlsx", None);
    assert!(pages.iter().all(|p| p.width > p.height), "landscape");
    assert_readable(&pages);
    // Every agency the list names, and every task id of its rows, printed.
    let json: serde_json::Value = serde_json::from_slice(
        &run_in(&root(), &[&args[..], &["--format", "json"]].concat()).stdout,
    )
    .unwrap();
    let text: String = pages.iter().map(Page::text).collect::<Vec<_>>().join(" ");
    let items = json["items"].as_array().unwrap();
    assert!(items.len() > 20, "{}", items.len());
    // Nobody has reported on Plan 6418: the workbook says so.
    assert!(
        text.contains("chưa có cơ quan nào báo cáo kết quả"),
        "{text}"
    );
    for item in items {
        let code = format!("({})", item["agency"].as_str().unwrap());
        assert!(text.contains(&code), "{code} not printed");
    }
    assert!(!text.to_lowercase().contains("kehoach"));
    // An extended deadline, a date in a format that says so, is shown
    // whole in both languages, never as "###" for want of room.
    for (lang, mark) in [
        ("vi", "31/12/2024 (gia hạn)"),
        ("en", "31/12/2024 (extended)"),
    ] {
        let name = format!("don-doc-{lang}.xlsx");
        let xlsx = export(
            tmp.path(),
            &name,
            &[
                "--plan",
                "examples/demo",
                "--lang",
                lang,
                "due",
                "--as-of",
                "2024-12-15",
                "--format",
                "xlsx",
            ],
        );
        let pages = pdf_pages(&soffice_pdf(&xlsx));
        assert_printable(&pages, &name, None);
        let text: String = pages.iter().map(Page::text).collect::<Vec<_>>().join(" ");
        assert!(text.contains(mark), "{name}: {text}");
        assert!(!text.contains('#'), "{name}: {text}");
    }
}

/// An agency's form prints inside the paper's margins, both its sheets, in
/// both languages: the instructions sheet's longer lines ran off the page,
/// and its bold title, in a row measured for smaller letters, lost its
/// first line.
#[test]
fn the_agency_form_prints_inside_the_page() {
    if let Some(why) = needs(&[SOFFICE, PDFTOTEXT]) {
        return skip("the_agency_form_prints_inside_the_page", &why);
    }
    let tmp = tempfile::tempdir().unwrap();
    for (lang, title, ends) in [
        (
            "vi",
            "PHIẾU BÁO CÁO",
            ["được bỏ qua.", "luôn cần văn bản cho phép."],
        ),
        (
            "en",
            "REPORT FORM",
            ["status are skipped.", "always needs its decision."],
        ),
    ] {
        let plan = tmp.path().join(format!("plan-{lang}"));
        copy_dir(&root().join("examples/demo"), &plan);
        let toml = std::fs::read_to_string(plan.join("plan.toml")).unwrap();
        std::fs::write(
            plan.join("plan.toml"),
            toml.replace("lang = \"vi\"", &format!("lang = \"{lang}\"")),
        )
        .unwrap();
        let form = tmp.path().join(format!("SCT-{lang}.xlsx"));
        let o = run_in(
            tmp.path(),
            &[
                "--plan",
                plan.to_str().unwrap(),
                "form",
                "--agency",
                "SCT",
                "--as-of",
                "2024-06-15",
                "--output",
                form.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let pages = pdf_pages(&soffice_pdf(&form));
        assert_printable(&pages, &format!("form ({lang})"), None);
        // Nothing where a printer cannot print (the form's 10 mm margins,
        // less a little).
        let outside = |p: &Page, side: f64| -> Vec<Word> {
            p.words
                .iter()
                .filter(|w| w.x0 < side || w.x1 > p.width - side)
                .cloned()
                .collect()
        };
        for (i, p) in pages.iter().enumerate() {
            let out = outside(p, 20.0);
            assert!(
                out.is_empty(),
                "form ({lang}), page {}: off the page: {out:?}",
                i + 1
            );
        }
        let guide = pages
            .iter()
            .find(|p| p.text().contains(title) && !p.text().contains("1.1"))
            .unwrap_or_else(|| panic!("form ({lang}): no instructions page"));
        // The instructions inside their 0.7 in side margins and under the
        // 0.75 in top one: nothing of the title cut off.
        let out = outside(guide, 45.0);
        assert!(out.is_empty(), "form ({lang}): in the margins: {out:?}");
        let high: Vec<&Word> = guide.words.iter().filter(|w| w.y0 < 50.0).collect();
        assert!(
            high.is_empty(),
            "form ({lang}): above the top margin: {high:?}"
        );
        let text = guide.text();
        for end in ends {
            assert!(
                text.contains(end),
                "form ({lang}): {end:?} not printed in {text}"
            );
        }
    }
}

#[test]
fn html_prints_in_chromium_without_near_empty_pages() {
    let Some(chrome) = chromium() else {
        return skip(
            "html_prints_in_chromium_without_near_empty_pages",
            "Chromium is not installed (Debian package `chromium`)",
        );
    };
    if let Some(why) = needs(&[PDFTOTEXT]) {
        return skip("html_prints_in_chromium_without_near_empty_pages", &why);
    }
    let tmp = tempfile::tempdir().unwrap();
    for (name, args, most) in [
        ("demo.html", DEMO_2024.to_vec(), 6),
        (
            "6418.html",
            vec![
                "--plan",
                "plans/6418-KH-UBND",
                "report",
                "--year",
                "2025",
                "--as-of",
                "2025-12-31",
            ],
            16,
        ),
    ] {
        let mut args = args;
        args.extend(["--format", "html"]);
        let page = export(tmp.path(), name, &args);
        let pdf = tmp.path().join(name).with_extension("pdf");
        chromium_pdf(&chrome, &page, &pdf);
        let pages = pdf_pages(&pdf);
        assert!(pages.len() <= most, "{name}: {} pages", pages.len());
        // Portrait pages keep 20 mm at the bottom, landscape ones 15 mm.
        assert_printable(&pages, name, Some(MM20 * 0.75));
        assert!(
            pages[0].height > pages[0].width,
            "{name}: the report is portrait"
        );
        assert!(
            pages.last().unwrap().width > pages.last().unwrap().height,
            "{name}: the appendix is landscape"
        );
        let text: String = pages.iter().map(Page::text).collect::<Vec<_>>().join(" ");
        assert!(!text.to_lowercase().contains("kehoach"), "{name}");
        assert!(!text.contains("file://"), "{name}: browser footer");
    }
}
