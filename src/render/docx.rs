//! The report a department files, as a Word document in the form of Decree
//! 30/2020/NĐ-CP (docx-rs): the header block (issuing body over its parent,
//! national motto, number, place and date), "BÁO CÁO" and the subject line,
//! the body — direction, results by task group with the figures and the
//! evidence recorded, shortcomings naming what is overdue or not reported,
//! plans, recommendations, with dotted blanks where only a person can
//! write —, the signature block and "Nơi nhận", then the compliance table
//! (Phụ lục I) and the task list (Phụ lục II) on landscape pages. Times New
//! Roman 13 pt, A4, Decree 30 margins, page numbers from page 2. No program
//! name; the creation date is the as-of date.

use super::{AppendixRow, COLUMN_NUMBERS, ReportView, columns, values};
use crate::labels::{count, date, labels, rate};
use crate::model::{AgencyId, Lang};
use crate::report::Counts;
use crate::status::{Class, attribute};
use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AlignmentType, DocumentChild, Docx, Header, LineSpacing, PageMargin, PageNum,
    PageOrientationType, PageSize, Paragraph, Run, RunFonts, SectionProperty, Table, TableCell,
    TableRow, VAlignType, VMergeType, WidthType,
};
use std::io::Write as _;

const FONT: &str = "Times New Roman";
/// Sizes in half-points.
const BODY: usize = 26;
const TABLE: usize = 22;
const SMALL: usize = 20;
/// A4 in twentieths of a point, and millimetres in them.
const A4_SHORT: u32 = 11906;
const A4_LONG: u32 = 16838;
/// The portrait text width: A4 less the left (30 mm) and right (15 mm) margins.
const TEXT_WIDTH: usize = 9354;
fn mm(v: f64) -> i32 {
    (v / 25.4 * 1440.0).round() as i32
}

/// Values a filed document prints that the plan does not hold.
pub struct DocInfo {
    /// The issuing agency, as it existed on the document date.
    pub issuer: Option<AgencyId>,
    /// The document's date (`--date`, else the as-of date).
    pub date: NaiveDate,
    /// `--number`, e.g. "125/BC-SCT".
    pub number: Option<String>,
    pub signer: Option<String>,
}

/// The issuing agency of a document (§3): `--agency`, else the first focal
/// agency, followed to its successor on the document's date.
pub fn issuer(v: &ReportView<'_>, date: NaiveDate) -> Option<AgencyId> {
    let first = v
        .agencies
        .and_then(|a| a.first().copied())
        .or(v.plan.focal.first().copied())?;
    Some(attribute(v.plan, first, date))
}

/// A dotted blank of `n` characters, for a value only a person can fill in.
fn dots(n: usize) -> String {
    "…".repeat(n)
}

/// A run of text, its line breaks kept as breaks (Word reads a newline in
/// a run's text as a space): "UBND thị xã Mẫu Ba (TP3)" over "(giao cho
/// TP1)" in a table cell.
fn run(text: &str) -> Run {
    let mut r = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            r = r.add_break(docx_rs::BreakType::TextWrapping);
        }
        r = r.add_text(line);
    }
    r
}

fn centered(r: Run) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).add_run(r)
}

fn justified(text: &str) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(docx_rs::SpecialIndentType::FirstLine(mm(10.0))),
            None,
            None,
        )
        .add_run(run(text))
}

/// The task a result line speaks of, in italics, kept with its results.
fn task_line(text: &str) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(docx_rs::SpecialIndentType::FirstLine(mm(10.0))),
            None,
            None,
        )
        .add_run(run(text).italic())
        .keep_next(true)
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .indent(
            None,
            Some(docx_rs::SpecialIndentType::FirstLine(mm(10.0))),
            None,
            None,
        )
        .add_run(run(text).bold())
        .keep_next(true)
}

fn cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa);
    for p in paragraphs {
        c = c.add_paragraph(p);
    }
    c
}

/// "Bình Dương, ngày 05 tháng 12 năm 2024": a leading zero for days below
/// 10 and for January and February (Decree 30).
pub fn date_line(place: Option<&str>, d: NaiveDate, lang: Lang) -> String {
    let place = place.unwrap_or("………");
    match lang {
        Lang::Vi => {
            let month = if d.month() < 3 {
                format!("{:02}", d.month())
            } else {
                d.month().to_string()
            };
            format!(
                "{place}, ngày {:02} tháng {month} năm {}",
                d.day(),
                d.year()
            )
        }
        Lang::En => format!("{place}, {}", date(d)),
    }
}

/// The most task-list rows a Word report takes. Word holds at most 32 MB
/// of text in a document, 512 MB in all; a row is some 150 characters of
/// text and 3 KB of the document's XML, so 200,000 rows are about as much
/// as it opens (and well inside the 4 GB a part of the package may hold
/// without ZIP64, which a national list of 1.4 million rows overran after
/// a minute of work). An agency's report (`--agency`) or a year's is what
/// gets filed at that size; the workbook takes any length.
pub const DOCX_MAX_ROWS: usize = 200_000;

pub fn document(v: &ReportView<'_>, info: &DocInfo) -> Result<Vec<u8>> {
    let rows: usize = v.appendix().iter().map(|g| g.rows.len()).sum();
    if rows > DOCX_MAX_ROWS {
        return Err(
            crate::messages::Failure::new(crate::messages::Msg::DocxTooLong {
                rows: crate::labels::count(rows as u64, v.lang),
                max: crate::labels::count(DOCX_MAX_ROWS as u64, v.lang),
            })
            .into(),
        );
    }
    let fonts = RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .east_asia(FONT)
        .cs(FONT);
    let created = format!("{}T00:00:00Z", v.report.as_of);
    let page_number = Header::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_page_num(PageNum::new())
            .size(BODY),
    );
    let mut doc = Docx::new()
        .default_fonts(fonts)
        .default_size(BODY)
        .default_line_spacing(LineSpacing::new().after(120).line(276))
        .created_at(&created)
        .updated_at(&created)
        .header(page_number.clone())
        .first_header(Header::new());
    for p in header_block(v, info) {
        doc = doc.add_table(p);
    }
    // Pushed in place: `Docx::add_paragraph` moves the whole document
    // value each time, and a national report's body has 100,000s of
    // paragraphs (none numbered, which is all it adds).
    doc.document.children.extend(
        body(v, info)
            .into_iter()
            .map(|p| DocumentChild::Paragraph(Box::new(p))),
    );
    doc = doc.add_table(signature(v, info));
    // The portrait section ends here: Decree 30 margins, the page number
    // at the top from page 2 (the same header parts as the document's).
    let portrait = SectionProperty::new()
        .page_size(PageSize::new().size(A4_SHORT, A4_LONG))
        .page_margin(
            PageMargin::new()
                .top(mm(20.0))
                .bottom(mm(20.0))
                .left(mm(30.0))
                .right(mm(15.0))
                .header(mm(10.0))
                .footer(mm(10.0)),
        )
        .title_pg()
        .header(page_number, "rIdHeader1")
        .first_header(Header::new(), "rIdHeader2");
    doc = doc.add_paragraph(Paragraph::new().section_property(portrait));
    // The appendices, landscape.
    for item in appendices(v, info) {
        doc = match item {
            Block::P(p) => doc.add_paragraph(*p),
            Block::T(t) => doc.add_table(*t),
        };
    }
    doc = doc
        .page_size(A4_LONG, A4_SHORT)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(
            PageMargin::new()
                .top(mm(20.0))
                .bottom(mm(20.0))
                .left(mm(20.0))
                .right(mm(15.0))
                .header(mm(10.0))
                .footer(mm(10.0)),
        );
    // Only the portrait section has a first page without a number.
    doc.document.section_property.title_pg = false;
    let mut xml = doc.build();
    xml.document = repeat_headings(&xml.document);
    pack(xml, |w| task_rows(v, w))
}

/// Writes the package as docx-rs does (the same parts in the same order),
/// compressed, with the task list's rows (`rows`) written into the last
/// table of the document — the task list, which `Docx` holds with its
/// heading row only. At national size that list has hundreds of thousands
/// of rows: built and held as docx-rs values they took 15 GB; written one
/// by one they take none.
fn pack(
    xml: docx_rs::XMLDocx,
    rows: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<Vec<u8>> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // A fixed time: the same command writes the same bytes.
    let plain = SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
    for dir in ["word/", "word/_rels", "_rels/", "docProps/"] {
        zip.add_directory(dir, plain)?;
    }
    let options = plain
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .unix_permissions(0o755);
    let parts: [(&str, &[u8]); 6] = [
        ("[Content_Types].xml", &xml.content_type),
        ("_rels/.rels", &xml.rels),
        ("docProps/app.xml", &xml.doc_props.app),
        ("docProps/core.xml", &xml.doc_props.core),
        ("docProps/custom.xml", &xml.doc_props.custom),
        ("word/_rels/document.xml.rels", &xml.document_rels),
    ];
    put(&mut zip, &parts, options)?;
    zip.start_file("word/document.xml", options)?;
    const END: &[u8] = b"</w:tbl>";
    let at = xml
        .document
        .windows(END.len())
        .rposition(|w| w == END)
        .unwrap_or(xml.document.len());
    let (before, after) = xml.document.split_at(at);
    zip.write_all(before)?;
    rows(&mut zip)?;
    zip.write_all(after)?;
    let parts: [(&str, &[u8]); 7] = [
        ("word/styles.xml", &xml.styles),
        ("word/settings.xml", &xml.settings),
        ("word/fontTable.xml", &xml.font_table),
        ("word/comments.xml", &xml.comments),
        ("word/numbering.xml", &xml.numberings),
        ("word/commentsExtended.xml", &xml.comments_extended),
        ("word/footnotes.xml", &xml.footnotes),
    ];
    put(&mut zip, &parts, options)?;
    for (kind, parts, rels) in [
        ("header", &xml.headers, &xml.header_rels),
        ("footer", &xml.footers, &xml.footer_rels),
    ] {
        for (i, part) in parts.iter().enumerate() {
            let n = i + 1;
            zip.start_file(format!("word/{kind}{n}.xml"), options)?;
            zip.write_all(part)?;
            if let Some(rels) = rels.get(i) {
                zip.start_file(format!("word/_rels/{kind}{n}.xml.rels"), options)?;
                zip.write_all(rels)?;
            }
        }
    }
    // The report has no pictures, add-ins or custom XML parts.
    debug_assert!(xml.media.is_empty() && xml.taskpanes.is_none() && xml.custom_items.is_empty());
    Ok(zip.finish()?.into_inner())
}

/// Table heading rows repeat on every page (`w:tblHeader`, which docx-rs
/// does not write). Every other row is built with `cant_split`, so the rows
/// without properties are exactly the heading rows.
fn repeat_headings(document: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(document);
    text.replace(
        "<w:trPr />",
        "<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>",
    )
    .into_bytes()
}

/// The header block: issuing body over its parent (left), the national
/// motto (right), then the number and the place and date.
fn header_block(v: &ReportView<'_>, info: &DocInfo) -> Vec<Table> {
    let plan = v.plan;
    let issuer = info.issuer.map(|a| &plan.agencies[a]);
    let body_name = issuer.map_or_else(|| dots(10), |a| plan.agency_name_upper(a, v.lang));
    let code = issuer.map_or("…", |a| a.code.as_str());
    let number = match &info.number {
        Some(n) => format!("Số: {n}"),
        None => format!("Số:       /BC-{code}"),
    };
    let number = if v.lang == Lang::En {
        number.replace("Số:", "No.:")
    } else {
        number
    };
    let mut left = Vec::new();
    if let Some(parent) = issuer.and_then(|a| a.parent.as_deref()) {
        left.push(centered(run(&parent.to_uppercase()).size(24)));
    }
    left.push(centered(run(&body_name).bold().size(24)));
    left.push(centered(run("────────").size(SMALL)));
    left.push(centered(run(&number).size(BODY)));
    let (motto1, motto2) = match v.lang {
        Lang::Vi => (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
        ),
        Lang::En => (
            "SOCIALIST REPUBLIC OF VIETNAM",
            "Independence - Freedom - Happiness",
        ),
    };
    let place = issuer.and_then(|a| a.place.as_deref());
    let right = vec![
        centered(run(motto1).bold().size(24)),
        centered(run(motto2).bold().size(BODY).underline("single")),
        centered(run("")),
        centered(
            run(&date_line(place, info.date, v.lang))
                .italic()
                .size(BODY),
        ),
    ];
    vec![
        Table::without_borders(vec![
            TableRow::new(vec![cell(left, 4300), cell(right, 5500)]).cant_split(),
        ])
        .set_grid(vec![4300, 5500])
        .indent(-220)
        .width(9800, WidthType::Dxa),
    ]
}

/// "Sở Công Thương" → "SỞ CÔNG THƯƠNG", as header blocks write names.
trait UpperName {
    fn agency_name_upper(&self, a: &crate::model::Agency, lang: Lang) -> String;
}

impl UpperName for crate::model::Plan {
    fn agency_name_upper(&self, a: &crate::model::Agency, lang: Lang) -> String {
        match (lang, &a.name_en) {
            (Lang::En, Some(en)) => en.to_uppercase(),
            _ => a.name.to_uppercase(),
        }
    }
}

/// The words of the body, in the document's language.
struct Words {
    report: &'static str,
    subject: &'static str,
    basis: &'static str,
    s1: &'static str,
    s2: &'static str,
    s2_general: &'static str,
    s2_groups: &'static str,
    s3: &'static str,
    s3_cause: &'static str,
    s4: &'static str,
    s5: &'static str,
    closing: &'static str,
    recipients: &'static str,
    keep: &'static str,
    /// How a recipients line about the archive begins ("Lưu").
    keep_prefix: &'static str,
    no_shortcoming: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Vi => Words {
            report: "BÁO CÁO",
            subject: "Kết quả thực hiện Kế hoạch số",
            basis: "Căn cứ Kế hoạch số",
            s1: "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI",
            s2: "II. KẾT QUẢ THỰC HIỆN",
            s2_general: "1. Kết quả chung",
            s2_groups: "2. Kết quả theo nhóm nhiệm vụ",
            s3: "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
            s3_cause: "Nguyên nhân:",
            s4: "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ",
            s5: "V. KIẾN NGHỊ, ĐỀ XUẤT",
            closing: "Trên đây là báo cáo kết quả thực hiện Kế hoạch số",
            recipients: "Nơi nhận:",
            keep: "Lưu: VT.",
            keep_prefix: "Lưu",
            no_shortcoming: "Không có nhiệm vụ quá hạn chưa hoàn thành; các nhiệm vụ thường xuyên đều đã có báo cáo.",
        },
        Lang::En => Words {
            report: "REPORT",
            subject: "Implementation of Plan No.",
            basis: "Pursuant to Plan No.",
            s1: "I. DIRECTION AND DEPLOYMENT",
            s2: "II. RESULTS",
            s2_general: "1. Overall",
            s2_groups: "2. By task group",
            s3: "III. SHORTCOMINGS AND CAUSES",
            s3_cause: "Causes:",
            s4: "IV. DIRECTIONS AND TASKS",
            s5: "V. RECOMMENDATIONS",
            closing: "This is the report on the implementation of Plan No.",
            recipients: "Recipients:",
            keep: "Archived: Office.",
            keep_prefix: "Archiv",
            no_shortcoming: "No task is overdue; every ongoing task has been reported on.",
        },
    }
}

/// The years a document speaks of: "năm 2024" or "giai đoạn 2021-2025".
fn span_words(v: &ReportView<'_>) -> String {
    match (v.lang, v.report.years.len()) {
        (Lang::Vi, 1) => format!("năm {}", v.span()),
        (Lang::Vi, _) => format!("giai đoạn {}", v.span()),
        (Lang::En, 1) => format!("in {}", v.span()),
        (Lang::En, _) => format!("for {}", v.span()),
    }
}

fn plan_reference(v: &ReportView<'_>) -> String {
    let l = labels(v.lang);
    let mut s = format!("{} {} {}", v.plan.id, l.dated, date(v.plan.issued));
    if let Some(issuer) = &v.plan.issuer {
        s.push_str(&format!(
            " {} {}",
            l.of,
            crate::labels::expand_issuer(issuer, v.lang)
        ));
    }
    s
}

/// The totals of everything the document covers.
fn covered(v: &ReportView<'_>) -> Counts {
    let mut total = Counts::default();
    for (_, c) in &v.report.totals {
        total.merge(c);
    }
    total
}

/// "N nhiệm vụ được giao; đã hoàn thành X (đúng hạn A, quá hạn B); …".
fn figures(c: &Counts, lang: Lang) -> String {
    let n = |x: u64| count(x, lang);
    let counts = match lang {
        Lang::Vi => format!(
            "{} nhiệm vụ được giao; đã hoàn thành {} (đúng hạn {}, quá hạn {}); chưa hoàn thành {} (trong hạn {}, quá hạn {}); dừng thực hiện {}; {} nhiệm vụ chưa báo cáo.",
            n(c.assigned),
            n(c.done_on_time + c.done_late),
            n(c.done_on_time),
            n(c.done_late),
            n(c.in_progress + c.overdue),
            n(c.in_progress),
            n(c.overdue),
            n(c.cancelled),
            n(c.not_reported),
        ),
        Lang::En => format!(
            "{} tasks assigned; {} done ({} on time, {} late); {} not done ({} not yet due, {} overdue); {} cancelled; {} not reported.",
            n(c.assigned),
            n(c.done_on_time + c.done_late),
            n(c.done_on_time),
            n(c.done_late),
            n(c.in_progress + c.overdue),
            n(c.in_progress),
            n(c.overdue),
            n(c.cancelled),
            n(c.not_reported),
        ),
    };
    let rates = match (c.due(), lang) {
        (0, Lang::Vi) => "Chưa có nhiệm vụ đến hạn.".to_string(),
        (0, Lang::En) => "No task is due yet.".to_string(),
        (due, Lang::Vi) => format!(
            "Số nhiệm vụ đến hạn {}: tỷ lệ hoàn thành đúng hạn {}, tỷ lệ hoàn thành {}.",
            n(due),
            rate(c.on_time_rate(), lang),
            rate(c.completion_rate(), lang)
        ),
        (due, Lang::En) => format!(
            "Of {} due: on-time rate {}, completion rate {}.",
            n(due),
            rate(c.on_time_rate(), lang),
            rate(c.completion_rate(), lang)
        ),
    };
    format!("{counts} {rates}")
}

fn body(v: &ReportView<'_>, info: &DocInfo) -> Vec<Paragraph> {
    let w = words(v.lang);
    let span = span_words(v);
    let mut out = vec![
        centered(run("")),
        centered(run(w.report).bold().size(28)),
        centered(
            run(&format!("{} {} {span}", w.subject, plan_reference(v)))
                .bold()
                .size(BODY),
        ),
        centered(run(v.plan.plan_title(v.lang)).italic().size(BODY)),
        centered(run("────────").size(SMALL)),
    ];
    let issuer_name = info
        .issuer
        .map_or_else(|| dots(10), |a| v.plan.agency_name(a, v.lang).to_string());
    out.push(justified(&match v.lang {
        Lang::Vi => format!(
            "{} {}, {issuer_name} báo cáo kết quả thực hiện {span} (số liệu tính đến ngày {}) như sau:",
            w.basis,
            plan_reference(v),
            date(v.report.as_of)
        ),
        Lang::En => format!(
            "{} {}, {issuer_name} reports on its implementation {span} (figures as of {}):",
            w.basis,
            plan_reference(v),
            date(v.report.as_of)
        ),
    }));
    out.push(heading(w.s1));
    out.extend([blank(""), blank("")]);
    out.push(heading(w.s2));
    out.push(heading(w.s2_general));
    out.push(justified(&figures(&covered(v), v.lang)));
    let ongoing: u64 = v.report.ongoing.iter().map(|o| o.assigned).sum();
    if ongoing > 0 {
        let reported: u64 = v.report.ongoing.iter().map(|o| o.reported).sum();
        out.push(justified(&match v.lang {
            Lang::Vi => format!(
                "Nhiệm vụ thường xuyên: {} nhiệm vụ, {} đã báo cáo kết quả, {} chưa báo cáo.",
                count(ongoing, v.lang),
                count(reported, v.lang),
                count(ongoing - reported, v.lang)
            ),
            Lang::En => format!(
                "Ongoing tasks: {}, {} reported on, {} not reported.",
                count(ongoing, v.lang),
                count(reported, v.lang),
                count(ongoing - reported, v.lang)
            ),
        }));
    }
    if let Some(notice) = v.notice() {
        out.push(justified(notice));
    }
    out.push(heading(w.s2_groups));
    let groups = v.appendix();
    let rows: Vec<Vec<AppendixRow>> = groups.iter().map(|g| v.appendix_rows(g)).collect();
    for (i, (g, rows)) in groups.iter().zip(&rows).enumerate() {
        out.push(heading(&format!("2.{}. {}", i + 1, g.title)));
        let mut c = Counts::default();
        for r in rows {
            count_row(&mut c, r);
        }
        if c.assigned > 0 {
            out.push(justified(&figures(&c, v.lang)));
        }
        for t in by_task(rows) {
            out.push(task_line(&format!(
                "{} {}: {}",
                labels(v.lang).task,
                t[0].task,
                t[0].title
            )));
            for lead in by_lead(&t) {
                out.push(justified(&result_line(&lead, v.lang)));
            }
        }
    }
    out.push(heading(w.s3));
    let lines = shortcomings(&rows, v.lang);
    if lines.is_empty() {
        out.push(justified(w.no_shortcoming));
    }
    out.extend(lines.iter().map(|s| justified(s)));
    out.push(blank(w.s3_cause));
    out.push(heading(format!("{} {}", w.s4, next_period(v)).trim_end()));
    out.extend([blank(""), blank("")]);
    out.push(heading(w.s5));
    out.extend([blank(""), blank("")]);
    // The closing sentence stays on the page of the signature block:
    // "Trên đây là báo cáo kết quả thực hiện Kế hoạch số … năm 2024 của Sở
    // Công Thương./.".
    out.push(
        justified(&format!(
            "{} {} {span} {} {issuer_name}./.",
            w.closing,
            plan_reference(v),
            labels(v.lang).of
        ))
        .keep_next(true),
    );
    out
}

/// A line to fill in by hand: `prefix` then dots to the right margin (a
/// tab with a dot leader, so the dots stop exactly at the margin).
fn blank(prefix: &str) -> Paragraph {
    let tab = docx_rs::Tab::new()
        .val(docx_rs::TabValueType::Right)
        .leader(docx_rs::TabLeaderType::Dot)
        .pos(TEXT_WIDTH);
    let mut p = Paragraph::new()
        .indent(
            None,
            Some(docx_rs::SpecialIndentType::FirstLine(mm(10.0))),
            None,
            None,
        )
        .add_tab(tab);
    if !prefix.is_empty() {
        p = p.add_run(run(prefix).add_text(" "));
    }
    p.add_run(Run::new().add_tab())
}

/// An appendix row's contribution to a group's figures (ongoing
/// occurrences are counted apart, as in the report).
fn count_row(c: &mut Counts, r: &AppendixRow) {
    if matches!(r.kind, Class::Ongoing | Class::OnRequest) {
        return;
    }
    c.assigned += 1;
    c.not_reported += u64::from(r.not_reported);
    match r.kind {
        Class::OnTime => c.done_on_time += 1,
        Class::Late => c.done_late += 1,
        Class::InProgress => c.in_progress += 1,
        Class::Overdue => c.overdue += 1,
        Class::Cancelled => c.cancelled += 1,
        Class::Ongoing | Class::OnRequest => {}
    }
}

/// Consecutive rows of the same task.
fn by_task(rows: &[AppendixRow]) -> Vec<Vec<&AppendixRow>> {
    runs(rows.iter(), |a, b| a.task == b.task)
}

/// A task's rows by lead agency, in order of first appearance.
fn by_lead<'r>(rows: &[&'r AppendixRow]) -> Vec<Vec<&'r AppendixRow>> {
    let mut out: Vec<Vec<&AppendixRow>> = Vec::new();
    for r in rows {
        match out.iter_mut().find(|g| g[0].lead == r.lead) {
            Some(g) => g.push(r),
            None => out.push(vec![r]),
        }
    }
    out
}

fn runs<'r>(
    rows: impl Iterator<Item = &'r AppendixRow>,
    same: impl Fn(&AppendixRow, &AppendixRow) -> bool,
) -> Vec<Vec<&'r AppendixRow>> {
    let mut out: Vec<Vec<&AppendixRow>> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some(g) if same(g[0], r) => g.push(r),
            _ => out.push(vec![r]),
        }
    }
    out
}

/// "- Sở Y tế (SYT), 6 tháng đầu năm 2024: quá hạn chưa hoàn thành (chưa
/// báo cáo)." for one occurrence; for several, the count of each class and
/// the results recorded, period by period.
fn result_line(rows: &[&AppendixRow], lang: Lang) -> String {
    let l = labels(lang);
    let lead = &rows[0].lead;
    let state = |r: &AppendixRow| {
        let mut s = lower_first(&r.class);
        // Not asked for: there was nothing to report.
        if r.not_reported && !matches!(r.kind, Class::InProgress | Class::OnRequest) {
            s.push_str(&format!(" ({})", l.not_reported.to_lowercase()));
        }
        s
    };
    if let [r] = rows {
        let mut line = format!("- {lead}, {}: {}", lower_first(&r.period), state(r));
        if !r.note.is_empty() {
            line.push_str(&format!("; {}", r.note));
        }
        line.push('.');
        return line;
    }
    let mut classes: Vec<(String, usize)> = Vec::new();
    for r in rows {
        let s = state(r);
        match classes.iter_mut().find(|(c, _)| *c == s) {
            Some((_, n)) => *n += 1,
            None => classes.push((s, 1)),
        }
    }
    let periods = |n: usize| match lang {
        Lang::Vi => format!("{n} kỳ"),
        Lang::En if n == 1 => "1 period".to_string(),
        Lang::En => format!("{n} periods"),
    };
    let mut line = format!("- {lead}, {}: ", periods(rows.len()));
    if let [(only, _)] = classes.as_slice() {
        line.push_str(only);
    } else {
        let tally: Vec<String> = classes
            .iter()
            .map(|(c, n)| format!("{} {c}", periods(*n)))
            .collect();
        line.push_str(&tally.join(", "));
    }
    let notes: Vec<String> = rows
        .iter()
        .filter(|r| !r.note.is_empty())
        .map(|r| format!("{}: {}", r.period, r.note))
        .collect();
    if !notes.is_empty() {
        line.push_str(&format!(". {}", notes.join("; ")));
    }
    line.push('.');
    line
}

/// "Tháng 6/2024, Tháng 7/2024"; an occurrence taken over from a ceased
/// agency can share its period with the successor's own: "2 kỳ Năm 2024".
fn period_list(rows: &[&&AppendixRow], lang: Lang) -> String {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for r in rows {
        match seen.iter_mut().find(|(p, _)| *p == r.period) {
            Some((_, n)) => *n += 1,
            None => seen.push((&r.period, 1)),
        }
    }
    let parts: Vec<String> = seen
        .iter()
        .map(|(p, n)| match (n, lang) {
            // Mid-sentence: "(năm 2024)", "(quý II/2024)".
            (1, Lang::Vi) => lower_first(p),
            (1, Lang::En) => p.to_string(),
            (n, Lang::Vi) => format!("{n} kỳ {}", lower_first(p)),
            (n, Lang::En) => format!("{n} × {p}"),
        })
        .collect();
    parts.join(", ")
}

/// "Quá hạn chưa hoàn thành" → "quá hạn chưa hoàn thành", for a class
/// inside a sentence.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "NĂM 2025" after a year's report, or nothing after the whole period.
fn next_period(v: &ReportView<'_>) -> String {
    match (v.report.years.last(), v.lang) {
        (Some(y), Lang::Vi) if *y < v.plan.last_year => format!("NĂM {}", y + 1),
        (Some(y), Lang::En) if *y < v.plan.last_year => format!("FOR {}", y + 1),
        _ => String::new(),
    }
}

/// The overdue occurrences and the ongoing tasks nobody reported on,
/// named task by task and agency by agency, with their periods.
fn shortcomings(groups: &[Vec<AppendixRow>], lang: Lang) -> Vec<String> {
    let l = labels(lang);
    let mut out = Vec::new();
    for rows in groups {
        for t in by_task(rows) {
            for lead in by_lead(&t) {
                let overdue: Vec<&&AppendixRow> =
                    lead.iter().filter(|r| r.kind == Class::Overdue).collect();
                let silent: Vec<&&AppendixRow> = lead
                    .iter()
                    .filter(|r| r.kind == Class::Ongoing && r.not_reported)
                    .collect();
                let what = format!("- {} {} – {}", l.task, t[0].task, lead[0].lead);
                if !overdue.is_empty() {
                    let periods = period_list(&overdue, lang);
                    let unreported = overdue.iter().filter(|r| r.not_reported).count();
                    let tail = match (unreported, lang) {
                        (0, _) => String::new(),
                        (n, _) if n == overdue.len() => {
                            format!(", {}", l.not_reported.to_lowercase())
                        }
                        (n, Lang::Vi) => format!(", {n} kỳ chưa báo cáo"),
                        (n, Lang::En) => format!(", {n} not reported"),
                    };
                    out.push(format!(
                        "{what} ({periods}): {}{tail}.",
                        lower_first(&overdue[0].class)
                    ));
                }
                if !silent.is_empty() {
                    let periods = period_list(&silent, lang);
                    out.push(format!(
                        "{what} ({periods}): {}, {}.",
                        lower_first(&silent[0].class),
                        l.not_reported.to_lowercase()
                    ));
                }
            }
        }
    }
    out
}

/// The signature block (right) and "Nơi nhận" (left).
fn signature(v: &ReportView<'_>, info: &DocInfo) -> Table {
    let w = words(v.lang);
    let ri = &v.plan.report_info;
    let mut left = vec![Paragraph::new().add_run(run(w.recipients).bold().italic().size(24))];
    let mut lines: Vec<String> = if ri.recipients.is_empty() {
        vec![dots(7)]
    } else {
        ri.recipients.clone()
    };
    if !lines.iter().any(|r| r.starts_with(w.keep_prefix)) {
        lines.push(w.keep.trim_end_matches('.').to_string());
    }
    let last = lines.len() - 1;
    for (i, r) in lines.iter().enumerate() {
        let end = if i == last { "." } else { ";" };
        let text = format!("- {}{end}", r.trim_end_matches(['.', ';']));
        left.push(
            Paragraph::new()
                .line_spacing(LineSpacing::new().after(0))
                .add_run(run(&text).size(SMALL + 2)),
        );
    }
    let mut right = Vec::new();
    let title = ri.signer_title.clone().unwrap_or_else(|| dots(8));
    for line in title.split('\n') {
        right.push(centered(run(line).bold().size(BODY)));
    }
    for _ in 0..4 {
        right.push(centered(run("")));
    }
    let signer = info
        .signer
        .clone()
        .or_else(|| ri.signer.clone())
        .unwrap_or_else(|| dots(8));
    right.push(centered(run(&signer).bold().size(BODY)));
    Table::without_borders(vec![
        TableRow::new(vec![cell(left, 4800), cell(right, 4800)]).cant_split(),
    ])
    .set_grid(vec![4800, 4800])
    .width(9600, WidthType::Dxa)
}

enum Block {
    P(Box<Paragraph>),
    T(Box<Table>),
}

/// A table cell with text at a size, bold or not, centred or not.
fn tcell(text: &str, width: usize, size: usize, bold: bool, center: bool) -> TableCell {
    let mut r = run(text).size(size);
    if bold {
        r = r.bold();
    }
    let mut p = Paragraph::new()
        .add_run(r)
        .line_spacing(LineSpacing::new().after(0).before(0));
    if center {
        p = p.align(AlignmentType::Center);
    } else {
        p = p.align(AlignmentType::Left);
    }
    TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(if bold && center {
            VAlignType::Center
        } else {
            VAlignType::Top
        })
        .add_paragraph(p)
}

fn tnum(text: &str, width: usize, bold: bool) -> TableCell {
    let mut r = run(text).size(TABLE);
    if bold {
        r = r.bold();
    }
    TableCell::new().width(width, WidthType::Dxa).add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Right)
            .line_spacing(LineSpacing::new().after(0).before(0))
            .add_run(r),
    )
}

fn appendices(v: &ReportView<'_>, info: &DocInfo) -> Vec<Block> {
    let l = labels(v.lang);
    let attached = match (&info.number, v.lang) {
        (Some(n), Lang::Vi) => format!("(Kèm theo Báo cáo số {n} ngày {})", date(info.date)),
        (Some(n), Lang::En) => format!("(Attached to Report No. {n} of {})", date(info.date)),
        (None, _) => l.attached_to.to_string(),
    };
    let appendix2 = match v.lang {
        Lang::Vi => "Phụ lục II",
        Lang::En => "Appendix II",
    };
    let summary_title = match v.lang {
        Lang::Vi => "BẢNG TỔNG HỢP KẾT QUẢ THỰC HIỆN NHIỆM VỤ",
        Lang::En => "COMPLIANCE TABLE",
    };
    let span = v.span();
    let mut out = vec![
        Block::P(Box::new(
            centered(run(l.appendix).bold()).page_break_before(true),
        )),
        Block::P(Box::new(centered(
            run(&format!("{summary_title} {span}")).bold(),
        ))),
        Block::P(Box::new(centered(run(&attached).italic()))),
        Block::P(Box::new(centered(run(&v.as_of_line()).italic()))),
    ];
    for (year, total) in &v.report.totals {
        if v.report.totals.len() > 1 {
            out.push(Block::P(Box::new(
                Paragraph::new()
                    .add_run(run(&v.year_title(*year)).bold())
                    .keep_next(true),
            )));
        }
        let rows: Vec<(String, &Counts)> = v
            .report
            .rows
            .iter()
            .filter(|r| r.year == *year)
            .map(|r| (v.agency(r.agency), &r.counts))
            .collect();
        out.push(Block::P(Box::new(unit_line(v.lang))));
        out.push(Block::T(Box::new(compliance_table(v, &rows, total))));
    }
    if let Some(summary) = &v.report.summary {
        out.push(Block::P(Box::new(
            Paragraph::new()
                .add_run(run(&v.summary_title()).bold())
                .keep_next(true),
        )));
        let rows: Vec<(String, &Counts)> = summary.iter().map(|(a, c)| (v.agency(*a), c)).collect();
        out.push(Block::P(Box::new(unit_line(v.lang))));
        out.push(Block::T(Box::new(compliance_table(
            v,
            &rows,
            &v.report.summary_total(),
        ))));
    }
    out.push(Block::P(Box::new(
        centered(run(appendix2).bold()).page_break_before(true),
    )));
    out.push(Block::P(Box::new(centered(
        run(&format!("{} {span}", l.appendix_title)).bold(),
    ))));
    out.push(Block::P(Box::new(centered(run(&attached).italic()))));
    out.push(Block::T(Box::new(task_table(v))));
    out
}

/// "ĐVT: nhiệm vụ", right-aligned above a compliance table.
fn unit_line(lang: Lang) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Right)
        .keep_next(true)
        .add_run(run(labels(lang).unit_tasks).italic().size(TABLE))
}

/// The compliance table with the two-level heading (gridSpan and vMerge).
fn compliance_table(v: &ReportView<'_>, rows: &[(String, &Counts)], total: &Counts) -> Table {
    let l = labels(v.lang);
    let cols = columns(v.lang);
    // STT, agency, then ten numbers.
    let widths: Vec<usize> = [600, 3400]
        .into_iter()
        .chain(std::iter::repeat_n(1050, cols.len()))
        .collect();
    let head = |text: &str, w: usize| tcell(text, w, SMALL, true, true);
    let mut top = vec![
        head(l.stt, widths[0]).vertical_merge(VMergeType::Restart),
        head(l.agency, widths[1]).vertical_merge(VMergeType::Restart),
    ];
    let mut sub = vec![
        TableCell::new()
            .width(widths[0], WidthType::Dxa)
            .vertical_merge(VMergeType::Continue),
        TableCell::new()
            .width(widths[1], WidthType::Dxa)
            .vertical_merge(VMergeType::Continue),
    ];
    let mut i = 0;
    while i < cols.len() {
        let w = widths[2 + i];
        match cols[i].group {
            Some(g) => {
                let span = cols[i..].iter().take_while(|c| c.group == Some(g)).count();
                top.push(head(g, w * span).grid_span(span));
                for c in &cols[i..i + span] {
                    sub.push(head(c.label, w));
                }
                i += span;
            }
            None => {
                top.push(head(cols[i].label, w).vertical_merge(VMergeType::Restart));
                sub.push(
                    TableCell::new()
                        .width(w, WidthType::Dxa)
                        .vertical_merge(VMergeType::Continue),
                );
                i += 1;
            }
        }
    }
    let numbers: Vec<TableCell> = COLUMN_NUMBERS
        .iter()
        .zip(&widths)
        .map(|(n, w)| tcell(n, *w, 14, false, true))
        .collect();
    let mut table_rows = vec![
        TableRow::new(top),
        TableRow::new(sub),
        TableRow::new(numbers),
    ];
    for (k, (name, c)) in rows.iter().enumerate() {
        let mut cells = vec![
            tnum(&(k + 1).to_string(), widths[0], false),
            tcell(name, widths[1], TABLE, false, false),
        ];
        cells.extend(
            values(c)
                .iter()
                .enumerate()
                .map(|(j, x)| tnum(&x.text(v.lang), widths[2 + j], false)),
        );
        table_rows.push(TableRow::new(cells).cant_split());
    }
    let mut cells = vec![
        tnum("", widths[0], true),
        tcell(l.total, widths[1], TABLE, true, false),
    ];
    cells.extend(
        values(total)
            .iter()
            .enumerate()
            .map(|(j, x)| tnum(&x.text(v.lang), widths[2 + j], true)),
    );
    table_rows.push(TableRow::new(cells).cant_split());
    Table::new(table_rows)
        .set_grid(widths)
        .width(14500, WidthType::Dxa)
}

/// The task list by task group, with Roman numerals.
/// Package parts, each a file of the archive.
fn put<W: std::io::Write + std::io::Seek>(
    zip: &mut zip::ZipWriter<W>,
    parts: &[(&str, &[u8])],
    options: zip::write::SimpleFileOptions,
) -> zip::result::ZipResult<()> {
    use std::io::Write;
    for (name, bytes) in parts {
        zip.start_file(*name, options)?;
        zip.write_all(bytes)?;
    }
    Ok(())
}

/// Phụ lục II's columns: widths in twentieths of a point, headings.
const TASK_WIDTHS: [usize; 9] = [600, 950, 1400, 3350, 2000, 1900, 1300, 1500, 1500];

/// Phụ lục II's table, with its heading row only: its rows are written
/// into the package one by one (`task_rows`, `pack`).
fn task_table(v: &ReportView<'_>) -> Table {
    let l = labels(v.lang);
    let heads = [
        l.stt,
        l.task,
        l.period,
        l.title,
        l.lead,
        l.support,
        l.deadline,
        l.status,
        l.note_evidence,
    ];
    let heading = TableRow::new(
        heads
            .iter()
            .zip(TASK_WIDTHS)
            .map(|(h, w)| tcell(h, w, SMALL, true, true))
            .collect(),
    );
    Table::new(vec![heading])
        .set_grid(TASK_WIDTHS.to_vec())
        .width(14500, WidthType::Dxa)
}

/// Phụ lục II's rows, by task group, each written as soon as it is built.
fn task_rows(v: &ReportView<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use docx_rs::BuildXML;
    let l = labels(v.lang);
    let widths = TASK_WIDTHS;
    let (mut bytes, mut id) = (Vec::new(), TASK_ROW_IDS);
    for g in v.appendix() {
        let title = TableRow::new(vec![
            tcell(&g.numeral, widths[0], TABLE, true, true),
            tcell(&g.title, widths[1..].iter().sum(), TABLE, true, false)
                .grid_span(widths.len() - 1),
        ])
        .cant_split();
        out.write_all(&title.build())?;
        for (i, r) in g.rows.iter().filter_map(|&r| v.appendix_row(r)).enumerate() {
            let status = if r.result == l.not_reported && r.kind != Class::OnRequest {
                format!("{} ({})", r.class, l.not_reported.to_lowercase())
            } else {
                r.class.clone()
            };
            let texts = [
                (i + 1).to_string(),
                r.task.clone(),
                r.period.clone(),
                r.title.clone(),
                r.lead_cell(),
                r.support.clone(),
                r.deadline_text.clone(),
                status,
                r.note.clone(),
            ];
            bytes.clear();
            task_row(&mut bytes, &texts, &mut id);
            out.write_all(&bytes)?;
        }
    }
    Ok(())
}

/// Paragraph ids of the task list's rows: above any docx-rs gives (it
/// counts from 1), below the largest Word allows (0x80000000).
const TASK_ROW_IDS: u32 = 0x4000_0000;

/// One row of the task list exactly as docx-rs writes it (each cell a
/// `tcell` at `SMALL`, not bold, the first centred, the others left; the
/// row kept on one page), but written straight out: docx-rs builds each
/// of a national list's millions of cells as a tree of values and moves
/// its writer through every element, which took half a minute. The test
/// `task_rows_are_what_docx_rs_writes` holds the two equal.
fn task_row(out: &mut Vec<u8>, texts: &[String; 9], id: &mut u32) {
    out.extend_from_slice(b"<w:tr><w:trPr><w:cantSplit /></w:trPr>");
    for (k, (text, width)) in texts.iter().zip(TASK_WIDTHS).enumerate() {
        let jc = if k == 0 { "center" } else { "left" };
        // Writing to a Vec cannot fail.
        let _ = write!(
            out,
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\" /><w:vAlign w:val=\"top\" /></w:tcPr>\
             <w:p w14:paraId=\"{:08x}\"><w:pPr><w:rPr /><w:jc w:val=\"{jc}\" />\
             <w:spacing w:before=\"0\" w:after=\"0\" /></w:pPr><w:r><w:rPr><w:sz w:val=\"{SMALL}\" />\
             <w:szCs w:val=\"{SMALL}\" /></w:rPr><w:t xml:space=\"preserve\">",
            *id
        );
        *id += 1;
        escape_into(out, text);
        out.extend_from_slice(b"</w:t></w:r></w:p></w:tc>");
    }
    out.extend_from_slice(b"</w:tr>");
}

/// Text as docx-rs escapes it for `w:t`.
fn escape_into(out: &mut Vec<u8>, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '"' => out.extend_from_slice(b"&quot;"),
            '\'' => out.extend_from_slice(b"&apos;"),
            // A line break as `run` makes it, a carriage return dropped
            // (as docx-rs drops it from a run's text).
            '\n' => out.extend_from_slice(
                b"</w:t><w:br w:type=\"textWrapping\" /><w:t xml:space=\"preserve\">",
            ),
            '\r' => {}
            c => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paragraph ids differ between the two (each counts on its own).
    fn without_ids(xml: &[u8]) -> String {
        let text = String::from_utf8(xml.to_vec()).unwrap();
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("w14:paraId=\"") {
            out.push_str(&rest[..at]);
            rest = &rest[at + "w14:paraId=\"".len() + 9..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn task_rows_are_what_docx_rs_writes() {
        use docx_rs::BuildXML;
        let rows: [[&str; 9]; 3] = [
            [
                "1",
                "1.1",
                "Năm 2024",
                "Tuyên truyền",
                "Sở Công Thương (SCT)",
                "",
                "31/12/2024",
                "Quá hạn",
                "",
            ],
            [
                "12",
                "T<&>",
                "Quý I/2025",
                "a \"b\" 'c'\nd\r\ne",
                "A & B",
                "x; y",
                "",
                "—",
                "BC số 1/BC & QĐ <2>",
            ],
            ["", "", "", "", "", "", "", "", ""],
        ];
        let mut id = TASK_ROW_IDS;
        for texts in rows {
            let texts = texts.map(String::from);
            let ours = {
                let mut out = Vec::new();
                task_row(&mut out, &texts, &mut id);
                out
            };
            let theirs = TableRow::new(
                texts
                    .iter()
                    .zip(TASK_WIDTHS)
                    .enumerate()
                    .map(|(k, (t, w))| tcell(t, w, SMALL, false, k == 0))
                    .collect(),
            )
            .cant_split()
            .build();
            assert_eq!(without_ids(&ours), without_ids(&theirs));
            assert_eq!(
                String::from_utf8(ours)
                    .unwrap()
                    .matches("w14:paraId=")
                    .count(),
                9
            );
        }
        assert_eq!(id, TASK_ROW_IDS + 27, "one id per paragraph, each once");
    }

    #[test]
    fn date_lines_as_decree_30_writes_them() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            date_line(Some("Bình Dương"), d(2024, 12, 5), Lang::Vi),
            "Bình Dương, ngày 05 tháng 12 năm 2024"
        );
        assert_eq!(
            date_line(Some("Hà Nội"), d(2025, 2, 15), Lang::Vi),
            "Hà Nội, ngày 15 tháng 02 năm 2025"
        );
        assert_eq!(
            date_line(Some("Hà Nội"), d(2025, 3, 1), Lang::Vi),
            "Hà Nội, ngày 01 tháng 3 năm 2025"
        );
        assert_eq!(
            date_line(None, d(2025, 3, 1), Lang::Vi),
            "………, ngày 01 tháng 3 năm 2025"
        );
    }
}
