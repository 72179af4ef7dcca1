//! The calendar rules of §4 and §12: the periods a deadline rule makes, the
//! deadline of each, which period a label or a date names. Pure; used by
//! validation, `record`, the forms and everything that shows a period.

use super::Due;
use chrono::{Datelike, NaiveDate};

/// How often a recurring task falls due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Every {
    Year,
    HalfYear,
    Quarter,
    Month,
}

impl Every {
    pub const ALL: [Every; 4] = [Every::Year, Every::HalfYear, Every::Quarter, Every::Month];

    /// The spelling of plan files (`every = "half-year"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Every::Year => "year",
            Every::HalfYear => "half-year",
            Every::Quarter => "quarter",
            Every::Month => "month",
        }
    }

    pub fn parse(s: &str) -> Option<Every> {
        Every::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// Periods in one year.
    pub fn per_year(self) -> usize {
        match self {
            Every::Year => 1,
            Every::HalfYear => 2,
            Every::Quarter => 4,
            Every::Month => 12,
        }
    }

    /// The part of the year that holds `month` (1–12).
    fn part_of(self, month: u32) -> Part {
        let m = month.clamp(1, 12) as u8;
        match self {
            Every::Year => Part::Year,
            Every::HalfYear => Part::Half(if m <= 6 { 1 } else { 2 }),
            Every::Quarter => Part::Quarter((m - 1) / 3 + 1),
            Every::Month => Part::Month(m),
        }
    }

    /// The `i`-th part of a year (0-based).
    fn nth_part(self, i: usize) -> Part {
        let n = (i + 1) as u8;
        match self {
            Every::Year => Part::Year,
            Every::HalfYear => Part::Half(n),
            Every::Quarter => Part::Quarter(n),
            Every::Month => Part::Month(n),
        }
    }
}

/// The part of a year an occurrence covers.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Part {
    Year,
    Half(u8),
    Quarter(u8),
    Month(u8),
}

/// A period label: `"2023"`, `"2023-H1"`, `"2023-Q2"` or `"2023-05"`. Kept
/// compact (a national plan has millions of occurrences) and written out
/// when shown.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Label {
    pub year: i32,
    pub part: Part,
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let y = self.year;
        match self.part {
            Part::Year => write!(f, "{y}"),
            Part::Half(h) => write!(f, "{y}-H{h}"),
            Part::Quarter(q) => write!(f, "{y}-Q{q}"),
            Part::Month(m) => write!(f, "{y}-{m:02}"),
        }
    }
}

impl Label {
    /// The labels of a year: the year, its halves, quarters and months.
    pub fn all_of(year: i32) -> impl Iterator<Item = Label> {
        [Part::Year]
            .into_iter()
            .chain((1..=2).map(Part::Half))
            .chain((1..=4).map(Part::Quarter))
            .chain((1..=12).map(Part::Month))
            .map(move |part| Label { year, part })
    }
}

impl PartialEq<&str> for Label {
    fn eq(&self, other: &&str) -> bool {
        Label::parse(other) == Some(*self)
    }
}

/// A label in four bytes, as an occurrence keeps it: the year above the
/// part (`0` a year, `0x1h` a half, `0x2q` a quarter, `0x3m` a month).
/// (`Default`, the year 0, is only a placeholder for a list being read.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PackedLabel(u32);

impl PackedLabel {
    /// The label's year.
    pub fn year(self) -> i32 {
        (self.0 as i32) >> 8
    }

    /// The label's part as a number below `PackedLabel::PARTS`, the same
    /// for the same part of any year.
    pub fn part(self) -> usize {
        (self.0 & 0x3f) as usize
    }

    /// How many numbers `part` may take.
    pub const PARTS: usize = 64;

    /// The four bytes themselves, to be kept packed with others.
    pub fn bits(self) -> u32 {
        self.0
    }

    /// The label of `bits` (`PackedLabel::bits`).
    pub fn from_bits(bits: u32) -> PackedLabel {
        PackedLabel(bits)
    }
}

impl From<Label> for PackedLabel {
    fn from(l: Label) -> PackedLabel {
        let part = match l.part {
            Part::Year => 0,
            Part::Half(h) => 0x10 | u32::from(h & 0xf),
            Part::Quarter(q) => 0x20 | u32::from(q & 0xf),
            Part::Month(m) => 0x30 | u32::from(m & 0xf),
        };
        // Plan years are four-digit years (§2): they fit in 24 bits.
        PackedLabel(((l.year as u32) << 8) | part)
    }
}

impl From<PackedLabel> for Label {
    fn from(p: PackedLabel) -> Label {
        let n = (p.0 & 0xf) as u8;
        let part = match (p.0 >> 4) & 0xf {
            1 => Part::Half(n),
            2 => Part::Quarter(n),
            3 => Part::Month(n),
            _ => Part::Year,
        };
        Label {
            year: (p.0 as i32) >> 8,
            part,
        }
    }
}

impl Label {
    pub fn year(year: i32) -> Label {
        Label {
            year,
            part: Part::Year,
        }
    }

    /// Reads a label as written in files and on the command line.
    pub fn parse(s: &str) -> Option<Label> {
        let digits = s.get(..4)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = digits.parse().ok()?;
        let part = match &s[4..] {
            "" => Part::Year,
            "-H1" => Part::Half(1),
            "-H2" => Part::Half(2),
            "-Q1" => Part::Quarter(1),
            "-Q2" => Part::Quarter(2),
            "-Q3" => Part::Quarter(3),
            "-Q4" => Part::Quarter(4),
            rest => {
                let m = rest.strip_prefix('-').filter(|m| m.len() == 2)?;
                if !m.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let m: u8 = m.parse().ok()?;
                if !(1..=12).contains(&m) {
                    return None;
                }
                Part::Month(m)
            }
        };
        Some(Label { year, part })
    }
}

/// 31 December of `year`.
pub fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// Day `day` of the month, or the month's last day when it is shorter.
pub fn clamped(year: i32, month: u32, day: u32) -> NaiveDate {
    let mut d = day.clamp(1, 31);
    loop {
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, d) {
            return date;
        }
        if d <= 28 {
            // Only a year outside chrono's range gets here.
            return NaiveDate::MAX;
        }
        d -= 1;
    }
}

impl Due {
    /// The years the rule covers.
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        match *self {
            Due::Once(d) => d.year()..=d.year(),
            Due::Every {
                first_year,
                last_year,
                ..
            }
            | Due::Ongoing {
                first_year,
                last_year,
                ..
            } => first_year..=last_year,
        }
    }

    fn per_year(&self) -> usize {
        match self {
            Due::Every { every, .. } => every.per_year(),
            Due::Once(_) | Due::Ongoing { .. } => 1,
        }
    }

    /// How many periods the rule makes.
    pub fn period_count(&self) -> usize {
        let years = self.years();
        let n = (i64::from(*years.end()) - i64::from(*years.start()) + 1).max(0) as usize;
        n * self.per_year()
    }

    /// The periods, in order, with their original deadlines (none for an
    /// ongoing task).
    pub fn periods(&self) -> impl Iterator<Item = (Label, Option<NaiveDate>)> + '_ {
        (0..self.period_count()).map(|i| self.period(i))
    }

    /// The `i`-th period and its deadline.
    pub fn period(&self, i: usize) -> (Label, Option<NaiveDate>) {
        match *self {
            Due::Once(d) => (Label::year(d.year()), Some(d)),
            Due::Ongoing { first_year, .. } => (Label::year(first_year + i as i32), None),
            Due::Every {
                every,
                month,
                day,
                first_year,
                ..
            } => {
                let per = every.per_year();
                let year = first_year + (i / per) as i32;
                let part = every.nth_part(i % per);
                let deadline_month = match part {
                    Part::Year => month,
                    Part::Half(h) => u32::from(h) * 6,
                    Part::Quarter(q) => u32::from(q) * 3,
                    Part::Month(m) => u32::from(m),
                };
                (
                    Label { year, part },
                    Some(clamped(year, deadline_month, day)),
                )
            }
        }
    }

    /// The index of the period `label` names, if the rule has it.
    pub fn period_index(&self, label: Label) -> Option<usize> {
        let years = self.years();
        if !years.contains(&label.year) {
            return None;
        }
        let offset = (label.year - years.start()) as usize;
        let sub = match (self, label.part) {
            (Due::Once(_) | Due::Ongoing { .. }, Part::Year) => 0,
            (Due::Every { every, .. }, part) => match (every, part) {
                (Every::Year, Part::Year) => 0,
                (Every::HalfYear, Part::Half(h)) => usize::from(h) - 1,
                (Every::Quarter, Part::Quarter(q)) => usize::from(q) - 1,
                (Every::Month, Part::Month(m)) => usize::from(m) - 1,
                _ => return None,
            },
            _ => return None,
        };
        Some(offset * self.per_year() + sub)
    }

    /// The label of the period that holds `date` (§10: `record` without
    /// `--period`), whether or not the rule covers that year.
    pub fn label_for(&self, date: NaiveDate) -> Label {
        let part = match self {
            Due::Every { every, .. } => every.part_of(date.month()),
            Due::Once(_) | Due::Ongoing { .. } => Part::Year,
        };
        Label {
            year: date.year(),
            part,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn clamping() {
        assert_eq!(clamped(2023, 2, 31), d(2023, 2, 28));
        assert_eq!(clamped(2024, 2, 31), d(2024, 2, 29));
        assert_eq!(clamped(2023, 6, 31), d(2023, 6, 30));
        assert_eq!(clamped(2023, 12, 31), d(2023, 12, 31));
    }

    #[test]
    fn labels_read_back() {
        for s in [
            "2023", "2023-H1", "2023-H2", "2023-Q4", "2023-01", "2023-12",
        ] {
            assert_eq!(Label::parse(s).unwrap().to_string(), s);
        }
        for s in [
            "", "23", "2023-13", "2023-Q5", "2023-H3", "2023-1", "+023", "2023-",
        ] {
            assert_eq!(Label::parse(s), None, "{s}");
        }
    }

    #[test]
    fn every_kind_expands_and_labels_index_back() {
        for (every, month, per_year) in [
            (Every::Year, 2, 1),
            (Every::HalfYear, 0, 2),
            (Every::Quarter, 0, 4),
            (Every::Month, 0, 12),
        ] {
            let due = Due::Every {
                every,
                month,
                day: 29,
                first_year: 2023,
                last_year: 2024,
            };
            let periods: Vec<_> = due.periods().collect();
            assert_eq!(periods.len(), 2 * per_year);
            for (i, (label, deadline)) in periods.iter().enumerate() {
                assert_eq!(due.period_index(*label), Some(i), "{label}");
                assert_eq!(due.label_for(deadline.unwrap()), *label, "{label}");
            }
            assert_eq!(due.period_index(Label::year(2025)), None);
        }
        let yearly = Due::Every {
            every: Every::Year,
            month: 2,
            day: 29,
            first_year: 2023,
            last_year: 2024,
        };
        let p: Vec<_> = yearly.periods().collect();
        assert_eq!(p[0].1, Some(d(2023, 2, 28)));
        assert_eq!(p[1].1, Some(d(2024, 2, 29)));
        let quarterly = Due::Every {
            every: Every::Quarter,
            month: 0,
            day: 31,
            first_year: 2023,
            last_year: 2023,
        };
        let deadlines: Vec<String> = quarterly
            .periods()
            .map(|(_, d)| d.unwrap().to_string())
            .collect();
        assert_eq!(
            deadlines,
            ["2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31"]
        );
        let monthly = Due::Every {
            every: Every::Month,
            month: 0,
            day: 30,
            first_year: 2023,
            last_year: 2023,
        };
        assert_eq!(
            monthly.period(1),
            (Label::parse("2023-02").unwrap(), Some(d(2023, 2, 28)))
        );
        let half = Due::Every {
            every: Every::HalfYear,
            month: 0,
            day: 31,
            first_year: 2023,
            last_year: 2023,
        };
        assert_eq!(half.period(0).1, Some(d(2023, 6, 30)));
        assert_eq!(half.period(1).1, Some(d(2023, 12, 31)));
    }

    #[test]
    fn ongoing_has_a_period_a_year_without_deadline() {
        let due = Due::Ongoing {
            first_year: 2022,
            last_year: 2025,
            on_request: false,
        };
        let p: Vec<_> = due.periods().collect();
        assert_eq!(p.len(), 4);
        assert!(p.iter().all(|(_, d)| d.is_none()));
        assert_eq!(due.period_index(Label::year(2024)), Some(2));
        assert_eq!(due.period_index(Label::parse("2024-Q1").unwrap()), None);
        assert_eq!(due.label_for(d(2024, 5, 1)), Label::year(2024));
    }

    #[test]
    fn once_is_one_period_in_its_year() {
        let due = Due::Once(d(2023, 6, 30));
        assert_eq!(
            due.periods().collect::<Vec<_>>(),
            [(Label::year(2023), Some(d(2023, 6, 30)))]
        );
        assert_eq!(due.period_index(Label::year(2023)), Some(0));
        assert_eq!(due.period_index(Label::year(2024)), None);
    }
}
