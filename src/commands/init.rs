//! `kehoach init DIR`: a new plan from commented templates that pass
//! `check` at once.

use super::Env;
use crate::cli::InitArgs;
use crate::messages::{Failure, Msg};
use chrono::Datelike;

pub fn run(args: &InitArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    let dir = env.cwd.join(&args.dir);
    let not_empty = || {
        Failure::new(Msg::NotEmpty {
            dir: args.dir.display().to_string(),
        })
    };
    if dir.exists()
        && std::fs::read_dir(&dir)
            .map_err(|_| not_empty())?
            .next()
            .is_some()
    {
        return Err(not_empty().into());
    }
    let issued = args.issued;
    let from = args.from.unwrap_or(issued.year());
    let to = args.to.unwrap_or(from.saturating_add(4));
    if !(1900..=2999).contains(&from) || !(1900..=2999).contains(&to) || from > to {
        return Err(Failure::usage(Msg::BadPeriodArgs { from, to }).into());
    }
    if let Some(based_on) = &args.based_on {
        return super::rollover::run(args, based_on, from, to, &dir, env);
    }
    let id = args.id.clone().unwrap_or_else(|| "…/KH-UBND".to_string());
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| format!("Kế hoạch thực hiện ... giai đoạn {from}-{to}"));
    let files = [
        ("plan.toml", plan_toml(&id, &title, issued, from, to)),
        ("agencies.toml", AGENCIES.to_string()),
        ("tasks.toml", tasks_toml(from, to)),
        ("indicators.toml", INDICATORS.to_string()),
    ]
    .map(|(name, text)| (name.to_string(), text));
    write_plan(args, &dir, files.into_iter())?;
    writeln!(
        env.out,
        "Đã tạo kế hoạch {id} tại {} / created plan {id} in {}",
        args.dir.display(),
        args.dir.display()
    )?;
    next_step(args, env)
}

/// Writes the plan's files (relative path, text), and the progress folder
/// with its README and the git settings every plan has.
pub(super) fn write_plan(
    args: &InitArgs,
    dir: &std::path::Path,
    files: impl Iterator<Item = (String, String)>,
) -> anyhow::Result<()> {
    let always = [
        ("progress/README.md", PROGRESS_README),
        (".gitattributes", crate::write::GITATTRIBUTES),
        (".gitignore", crate::write::GITIGNORE),
    ]
    .map(|(name, text)| (name.to_string(), text.to_string()));
    for (name, text) in files.chain(always) {
        let path = dir.join(&name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Failure::new(Msg::CannotCreateDir {
                    path: args.dir.join(&name).display().to_string(),
                    detail: e.to_string(),
                })
            })?;
        }
        crate::write::replace_file(&path, text.as_bytes())?;
    }
    Ok(())
}

pub(super) fn next_step(args: &InitArgs, env: &mut Env<'_>) -> anyhow::Result<()> {
    writeln!(
        env.out,
        "Tiếp theo / next: sửa plan.toml, agencies.toml, tasks.toml rồi chạy / edit them, then run:\n  kehoach --plan {} check",
        args.dir.display()
    )?;
    Ok(())
}

fn plan_toml(id: &str, title: &str, issued: chrono::NaiveDate, from: i32, to: i32) -> String {
    format!(
        r#"# plan.toml — kế hoạch / the plan itself.
# Mọi mục đều được giải thích; mục lạ là lỗi (kehoach check).
# Every key is explained; an unknown key is an error (kehoach check).

# Số, ký hiệu văn bản / official number
id = {id}
# Tên kế hoạch (tiếng Việt) / official title
title = {title}
# Tên tiếng Anh (không bắt buộc) / English title (optional)
# title_en = "Plan on ..."
# Cơ quan ban hành (không bắt buộc) / issuer (optional)
issuer = "UBND tỉnh ..."
# Ngày ban hành: cập nhật trước ngày này là lỗi / date of issue: earlier updates are errors
issued = {issued}
# Giai đoạn thực hiện / plan period
first_year = {from}
last_year = {to}
# Ngôn ngữ mặc định của báo cáo: "vi" hoặc "en" / default output language
lang = "vi"
# Cơ quan đầu mối (mã trong agencies.toml) / focal agencies (codes)
# focal = ["SCT"]

# Căn cứ pháp lý: lặp lại [[basis]] cho mỗi văn bản / legal bases, one [[basis]] each
# [[basis]]
# ref = "Quyết định số .../QĐ-TTg"
# date = 2021-07-12
# title = "..."

# Nhóm nhiệm vụ: ít nhất một [[group]] / task groups: at least one
[[group]]
# Mã nhóm, dùng trong tasks.toml / group id, used in tasks.toml
id = "1"
title = "Nhóm nhiệm vụ thứ nhất"
# title_en = "First task group"
"#,
        id = crate::write::toml_string(id),
        title = crate::write::toml_string(title),
        issued = issued,
    )
}

const AGENCIES: &str = r#"# agencies.toml — mọi cơ quan kế hoạch nhắc đến / every agency the plan names.
# code: 1–32 ký tự A-Z a-z 0-9 _ . - (duy nhất) / 1–32 characters, unique
# name: tên đầy đủ / full name; name_en: tên tiếng Anh / English name
# kind: loại cơ quan (tùy ý) / kind (free text)
# parent, place: cơ quan cấp trên và địa danh, in trên văn bản (báo cáo Word)
#   / the body above it and the place name printed on its documents
# until + successor: cơ quan thôi hoạt động sau ngày until, successor tiếp nhận
#   nhiệm vụ / the agency ceased after `until`; `successor` takes over.
# members: một nhóm cơ quan (như "UBND các huyện"); nhiệm vụ do nhóm chủ trì
#   được tính cho từng thành viên / a group: each member answers for itself.

[[agency]]
code = "VP"
name = "Văn phòng UBND tỉnh"
name_en = "Office of the Provincial People's Committee"
kind = "Văn phòng"
# parent = "UBND TỈNH ..."
# place = "..."

# Ví dụ (bỏ dấu # để dùng) / example (remove the # to use it):
#
# [[agency]]
# code = "SCT"
# name = "Sở Công Thương"
# until = 2030-06-30
# successor = "SCT-MOI"
#
# [[agency]]
# code = "SCT-MOI"
# name = "Sở Công Thương (sau sắp xếp)"
#
# [[agency]]
# code = "H1"
# name = "UBND huyện Một"
#
# [[agency]]
# code = "H2"
# name = "UBND huyện Hai"
#
# [[agency]]
# code = "UBND-HUYEN"
# name = "UBND các huyện"
# members = ["H1", "H2"]
"#;

fn tasks_toml(from: i32, to: i32) -> String {
    format!(
        r#"# tasks.toml — nhiệm vụ / tasks (also every *.toml under tasks/).
# id: mã nhiệm vụ, duy nhất (chữ, số, . _ -) / unique id
# group: mã nhóm trong plan.toml / a group id
# title, title_en: nội dung / title
# lead: cơ quan chủ trì (một cơ quan hoặc một nhóm) / lead agency (or a group)
# support: cơ quan phối hợp / supporting agencies
# due: thời hạn / deadline:
#   due = {from}-06-30                              một lần / once
#   due = {{ every = "year", on = "12-15" }}          hằng năm / every year
#   due = {{ every = "half-year", on = 20 }}          6 tháng / every half-year (June, December)
#   due = {{ every = "quarter", on = 20 }}            hằng quý / every quarter
#   due = {{ every = "month", on = 5 }}               hằng tháng / every month
#   due = "ongoing"                                 thường xuyên, không có hạn / ongoing, no deadline
#   due = "on_request"                              khi có yêu cầu: thời hạn theo văn bản yêu cầu
#                                                   (new_due) / on request: the request sets the deadline
#   first_year / last_year trong due: chỉ một phần giai đoạn / part of the period only
# output: sản phẩm / expected product; note: ghi chú / note
# successors = {{ A = "B" }}: khi cơ quan A thôi hoạt động, nhiệm vụ này chuyển
#   cho B thay vì successor của A (tách chức năng) / when A ceases, this task
#   goes to B rather than A's successor (functions split)
#
# Ví dụ (bỏ dấu # để dùng; nhiệm vụ 1.2 cần nhóm UBND-HUYEN trong
# agencies.toml) / examples (remove the # to use them; 1.2 needs the group
# UBND-HUYEN of agencies.toml):
#
# [[task]]
# id = "1.1"
# group = "1"
# title = "Báo cáo tình hình thực hiện kế hoạch hằng năm"
# lead = "VP"
# support = []
# due = {{ every = "year", on = "12-15", first_year = {from}, last_year = {to} }}
# output = "Báo cáo"
#
# [[task]]
# id = "1.2"
# group = "1"
# title = "Báo cáo kết quả thực hiện trên địa bàn huyện"
# lead = "UBND-HUYEN"
# due = {{ every = "year", on = "11-30" }}
#
# [[task]]
# id = "1.3"
# group = "1"
# title = "Tiếp nhận, giải quyết phản ánh của người dân"
# lead = "VP"
# due = "ongoing"
"#
    )
}

const INDICATORS: &str = r#"# indicators.toml — chỉ tiêu / quantitative targets (optional file).
# id, title, unit (đơn vị tính), lead (cơ quan báo cáo) bắt buộc / required
# group: mã nhóm (tùy chọn); kind: "at_least" (mặc định, ≥) hoặc "at_most" (≤)
# target = 90 cho mọi năm / every year, hoặc / or targets = { "2026" = 80, "2027" = 85 }
# Số liệu ghi bằng / measurements: kehoach measure ID --year YEAR --value N
#
# [[indicator]]
# id = "CT1"
# title = "Tỷ lệ khiếu nại được tiếp nhận, hỗ trợ"
# unit = "%"
# lead = "VP"
# target = 90
"#;

const PROGRESS_README: &str = "Tiến độ / progress: `kehoach record` và `kehoach measure` ghi vào\n\
progress/<CƠ-QUAN>/<NĂM>.toml; không sửa cập nhật cũ, ghi cập nhật mới.\n\
Updates are append-only: record a correction as a new update.\n";
