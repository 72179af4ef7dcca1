//! A task's `due` (§4, §12): a date, `"ongoing"`, `"on_request"`, or a
//! rule table. Key and type problems inside the table were listed by
//! `load`; this checks the values. Problems are placed on the `due` key.

use super::{Ctx, Head, plain_date};
use crate::load::{RawDue, RawOn, RawRule, S};
use crate::messages::Msg;
use crate::model::{Due, Every, FileId};
use chrono::NaiveDate;

/// The word of a task done only when asked ("khi có yêu cầu").
pub const ON_REQUEST: &str = "on_request";

/// `on_request`, or `on-request` (`-` works for `_` as in statuses).
fn is_on_request(word: &str) -> bool {
    word == ON_REQUEST || word == "on-request"
}

pub(crate) fn check(
    ctx: &mut Ctx,
    file: FileId,
    due: &S<RawDue>,
    head: Option<Head>,
) -> Option<Due> {
    let at = due.span().start;
    match due.get_ref() {
        RawDue::Date(dt) => match plain_date(dt) {
            Some(d) => Some(Due::Once(d)),
            None => {
                ctx.err(
                    file,
                    at,
                    Msg::NotACalendarDate {
                        key: "due".into(),
                        found: dt.to_string(),
                    },
                );
                None
            }
        },
        RawDue::Word(w) if w == "ongoing" || is_on_request(w) => {
            let h = head?;
            Some(Due::Ongoing {
                first_year: h.first_year,
                last_year: h.last_year,
                on_request: is_on_request(w),
            })
        }
        RawDue::Word(w) => {
            let msg = match crate::cli::parse_date(w) {
                Ok(d) => Msg::DueDateQuoted {
                    found: w.clone(),
                    fix: d.format("%Y-%m-%d").to_string(),
                },
                Err(_) => Msg::UnknownDueWord { found: w.clone() },
            };
            ctx.err(file, at, msg);
            None
        }
        RawDue::Rule(rule) => check_rule(ctx, file, at, rule, head),
    }
}

fn check_rule(
    ctx: &mut Ctx,
    file: FileId,
    at: usize,
    rule: &RawRule,
    head: Option<Head>,
) -> Option<Due> {
    // None: missing (reported here); Some(None): ongoing or on request.
    let every = match rule.every.as_deref() {
        None => {
            ctx.err(
                file,
                at,
                Msg::MissingKey {
                    key: "every".into(),
                    table: "due".into(),
                },
            );
            None
        }
        Some("ongoing") => Some(None),
        Some(w) if is_on_request(w) => Some(None),
        Some(s) => match Every::parse(s) {
            Some(e) => Some(Some(e)),
            None => {
                ctx.err(
                    file,
                    at,
                    Msg::UnknownEvery {
                        found: s.to_string(),
                    },
                );
                None
            }
        },
    };
    let on = match (every, &rule.on) {
        (Some(None), Some(_)) => {
            ctx.err(file, at, Msg::OnWithOngoing);
            None
        }
        (Some(None), None) => Some((0, 0)),
        (Some(Some(_)), None) => {
            ctx.err(file, at, Msg::MissingOn);
            None
        }
        (Some(Some(Every::Year)), Some(RawOn::MonthDay(s))) => {
            let md = month_day(s);
            if md.is_none() {
                ctx.err(
                    file,
                    at,
                    Msg::OnNotMonthDay {
                        found: format!("\"{s}\""),
                    },
                );
            }
            md
        }
        (Some(Some(Every::Year)), Some(on @ RawOn::Day(_))) => {
            ctx.err(
                file,
                at,
                Msg::OnNotMonthDay {
                    found: on.to_string(),
                },
            );
            None
        }
        (Some(Some(_)), Some(RawOn::Day(d))) if (1..=31).contains(d) => Some((0, *d as u32)),
        (Some(Some(e)), Some(on)) => {
            ctx.err(
                file,
                at,
                Msg::OnNotDay {
                    every: e.as_str().into(),
                    found: on.to_string(),
                },
            );
            None
        }
        (None, _) => None,
    };
    let first = year(ctx, file, at, "first_year", rule.first_year, head);
    let last = year(ctx, file, at, "last_year", rule.last_year, head);
    let head = head?;
    let (first_year, last_year) = (
        first?.unwrap_or(head.first_year),
        last?.unwrap_or(head.last_year),
    );
    if first_year > last_year {
        ctx.err(
            file,
            at,
            Msg::DueYearsBackwards {
                first: first_year,
                last: last_year,
            },
        );
        return None;
    }
    let (month, day) = on?;
    Some(match every? {
        None => Due::Ongoing {
            first_year,
            last_year,
            on_request: rule.every.as_deref().is_some_and(is_on_request),
        },
        Some(every) => Due::Every {
            every,
            month,
            day,
            first_year,
            last_year,
        },
    })
}

/// `first_year`/`last_year` of a rule: `Some(None)` when absent, `None`
/// when wrong (reported).
fn year(
    ctx: &mut Ctx,
    file: FileId,
    at: usize,
    key: &str,
    y: Option<i64>,
    head: Option<Head>,
) -> Option<Option<i32>> {
    let Some(y) = y else { return Some(None) };
    match head {
        Some(h) if y < i64::from(h.first_year) || y > i64::from(h.last_year) => {
            ctx.err(
                file,
                at,
                Msg::DueYearOutside {
                    key: key.into(),
                    year: y,
                    first: h.first_year,
                    last: h.last_year,
                },
            );
            None
        }
        _ => i32::try_from(y).ok().map(Some),
    }
}

/// `"MM-DD"`, a day that exists in a leap year.
pub(crate) fn month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.split_once('-')?;
    if m.len() != 2 || d.len() != 2 || !m.bytes().chain(d.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (m, d) = (m.parse().ok()?, d.parse().ok()?);
    NaiveDate::from_ymd_opt(2000, m, d).map(|_| (m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_day_strings() {
        assert_eq!(month_day("12-15"), Some((12, 15)));
        assert_eq!(month_day("02-29"), Some((2, 29)));
        assert_eq!(month_day("02-30"), None);
        assert_eq!(month_day("13-01"), None);
        assert_eq!(month_day("3-15"), None);
        assert_eq!(month_day("+1-15"), None);
    }
}
