//! `plans`: the plans under ./plans/ at a glance.

use super::table::{new_table, num};
use crate::labels::{date, labels, rate};
use crate::model::Lang;
use crate::report::Counts;
use comfy_table::Cell;

/// One plan directory as `plans` shows it.
pub struct PlanLine {
    pub dir: String,
    pub id: String,
    /// Title, period, task count and totals of a valid plan; the error
    /// count of a broken one.
    pub state: Result<(String, String, usize, Counts), usize>,
    /// Progress files left out (`--set-aside`).
    pub set_aside: usize,
}

/// The table; on a terminal `fit` columns wide that it does not fit in,
/// each plan as a block of labelled lines instead (eleven columns cannot
/// be wrapped into 80 or 120 columns and stay readable).
pub fn table(
    lines: &[PlanLine],
    as_of: chrono::NaiveDate,
    lang: Lang,
    fit: Option<usize>,
) -> String {
    let l = labels(lang);
    let heads = [
        l.directory,
        l.number,
        l.plan_name,
        l.plan_period,
        l.tasks,
        l.assigned,
        l.due,
        l.on_time_rate,
        l.completion_rate,
        l.not_reported,
        l.data_check,
    ];
    let mut t = new_table(heads.map(|s| crate::text::wrap(s, 14)).to_vec());
    let rows: Vec<[String; 11]> = lines.iter().map(|p| fields(p, lang)).collect();
    for (row, p) in rows.iter().zip(lines) {
        let mut cells: Vec<Cell> = row.iter().map(Cell::new).collect();
        if let Some(title) = cells.get_mut(2) {
            *title = Cell::new(crate::text::wrap(&row[2], 32));
        }
        if p.state.is_ok() {
            for (i, n) in row.iter().enumerate().take(10).skip(4) {
                cells[i] = num(n);
            }
        }
        if let Some(check) = cells.get_mut(10) {
            *check = Cell::new(crate::text::wrap(&row[10], 24));
        }
        t.add_row(cells);
    }
    let text = t.to_string();
    let wide = text.lines().map(super::grid::width).max().unwrap_or(0);
    let heading = format!("{} {}", l.figures_as_of, date(as_of));
    match fit {
        Some(w) if wide > w => format!("{heading}\n{}", blocks(&rows, &heads, w)),
        _ => format!("{heading}\n{text}\n"),
    }
}

/// A plan's eleven values, as the table's columns show them; empty but
/// the first two and the last for a plan with errors.
fn fields(p: &PlanLine, lang: Lang) -> [String; 11] {
    let l = labels(lang);
    let count = |n: u64| crate::labels::count(n, lang);
    match &p.state {
        Ok((title, period, tasks, total)) => [
            p.dir.clone(),
            p.id.clone(),
            title.clone(),
            period.clone(),
            count(*tasks as u64),
            count(total.assigned),
            count(total.due()),
            rate(total.on_time_rate(), lang),
            rate(total.completion_rate(), lang),
            // Of the assigned, those nobody has reported on, as the
            // report counts them (§7): a plan's rates where nobody has
            // reported are not failures.
            count(total.not_reported),
            match p.set_aside {
                0 => l.valid.to_string(),
                n => format!("{n} {}", l.set_aside_files),
            },
        ],
        Err(errors) => {
            let mut f: [String; 11] = Default::default();
            f[0] = p.dir.clone();
            f[1] = p.id.clone();
            f[10] = format!("{errors} {}", l.errors);
            f
        }
    }
}

/// Each plan as "directory — number" and its other values one a line
/// under their headings, the values lined up and wrapped to `width`.
fn blocks(rows: &[[String; 11]], heads: &[&str; 11], width: usize) -> String {
    use std::fmt::Write as _;
    let label = |h: &str| format!("{h}:");
    let room = heads[2..]
        .iter()
        .map(|h| super::grid::width(&label(h)))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for row in rows {
        let _ = writeln!(out, "\n{} — {}", row[0], row[1]);
        for (h, value) in heads.iter().zip(row).skip(2) {
            if value.is_empty() {
                continue;
            }
            let h = label(h);
            let pad = room.saturating_sub(super::grid::width(&h));
            let indent = 2 + room + 1;
            let wrapped = crate::text::wrap(value, width.saturating_sub(indent).max(20));
            for (i, line) in wrapped.lines().enumerate() {
                match i {
                    0 => {
                        let _ = writeln!(out, "  {h}{:pad$} {line}", "");
                    }
                    _ => {
                        let _ = writeln!(out, "{:indent$}{line}", "");
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(dir: &str, set_aside: usize) -> PlanLine {
        let counts = Counts {
            assigned: 111,
            overdue: 111,
            not_reported: 111,
            ..Counts::default()
        };
        PlanLine {
            dir: dir.into(),
            id: "6418/KH-UBND".into(),
            state: Ok((
                "Kế hoạch bảo vệ quyền lợi người tiêu dùng trên địa bàn tỉnh Bình Dương giai đoạn 2021-2025".into(),
                "2021-2025".into(),
                19,
                counts,
            )),
            set_aside,
        }
    }

    #[test]
    fn a_terminal_too_narrow_for_the_table_gets_one_block_a_plan() {
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        let broken = PlanLine {
            dir: "plans/hong".into(),
            id: "1/KH".into(),
            state: Err(3),
            set_aside: 0,
        };
        let lines = [line("plans/6418-KH-UBND", 0), line("plans/b", 2), broken];
        let wide = table(&lines, as_of, Lang::Vi, None);
        assert!(wide.contains("┆ hợp lệ"), "{wide}");
        // As wide as it is, the table is kept on a terminal that holds it.
        let widest = wide
            .lines()
            .map(crate::render::grid::width)
            .max()
            .unwrap_or(0);
        assert_eq!(table(&lines, as_of, Lang::Vi, Some(widest)), wide);
        for (lang, width) in [(Lang::Vi, 80), (Lang::Vi, 120), (Lang::En, 60)] {
            let text = table(&lines, as_of, lang, Some(width));
            let widest = text
                .lines()
                .map(crate::render::grid::width)
                .max()
                .unwrap_or(0);
            assert!(widest <= width, "{width}\n{text}");
            assert!(!text.contains('┆'), "{text}");
            for row in lines.iter().map(|p| fields(p, lang)) {
                assert!(text.contains(&format!("{} — {}", row[0], row[1])), "{text}");
                for value in row.iter().filter(|v| !v.is_empty()) {
                    let first = value.split_whitespace().next().unwrap_or_default();
                    assert!(text.contains(first), "{value}\n{text}");
                }
            }
        }
        let narrow = table(&lines, as_of, Lang::Vi, Some(80));
        assert!(
            narrow.contains("  Kiểm tra dữ liệu:              2 tệp"),
            "{narrow}"
        );
        assert!(
            narrow.contains("  Kiểm tra dữ liệu:              3 lỗi"),
            "{narrow}"
        );
    }
}
