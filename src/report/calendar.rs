//! The calendar units reports are made of: ISO weeks (the weekly report) and months (the
//! comparison).

use chrono::{Datelike, NaiveDate, Weekday};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    /// Its first day.
    pub first: NaiveDate,
}

impl Month {
    /// Parses `2026-01`.
    pub fn parse(text: &str) -> Option<Self> {
        let (y, m) = text.trim().split_once('-')?;
        Some(Month { first: NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)? })
    }
    /// `2026-01`.
    pub fn label(self) -> String {
        self.first.format("%Y-%m").to_string()
    }
    /// The next month.
    pub fn next(self) -> Self {
        let (y, m) = if self.first.month() == 12 {
            (self.first.year() + 1, 1)
        } else {
            (self.first.year(), self.first.month() + 1)
        };
        Month { first: NaiveDate::from_ymd_opt(y, m, 1).expect("valid month") }
    }
    /// Its last day.
    pub fn last(self) -> NaiveDate {
        self.next().first.pred_opt().expect("valid date")
    }
    /// Every month from `self` to `to`, inclusive.
    pub fn through(self, to: Month) -> Vec<Month> {
        let mut v = vec![self];
        while *v.last().expect("non-empty") < to {
            let n = v.last().expect("non-empty").next();
            v.push(n);
        }
        v
    }
}

/// An ISO week: its label and its Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Week {
    /// Monday of the week.
    pub monday: NaiveDate,
}

impl Week {
    /// The week containing a date.
    pub fn of(date: NaiveDate) -> Self {
        Week { monday: date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday())) }
    }

    /// Parses `2026-W04`.
    pub fn parse(text: &str) -> Option<Self> {
        let (y, w) = text.trim().split_once("-W")?;
        let monday = NaiveDate::from_isoywd_opt(y.parse().ok()?, w.parse().ok()?, Weekday::Mon)?;
        Some(Week { monday })
    }

    /// Sunday of the week.
    pub fn sunday(self) -> NaiveDate {
        self.monday + chrono::Duration::days(6)
    }

    /// `2026-W04`.
    pub fn label(self) -> String {
        crate::tables::iso_week(self.monday)
    }

    /// The week `n` weeks earlier.
    pub fn minus(self, n: i64) -> Self {
        Week { monday: self.monday - chrono::Duration::weeks(n) }
    }

    /// "19–25 January 2026", "29 December 2025 – 4 January 2026".
    pub fn dates(self) -> String {
        let (a, b) = (self.monday, self.sunday());
        if a.year() != b.year() {
            format!("{} – {}", a.format("%-d %B %Y"), b.format("%-d %B %Y"))
        } else if a.month() != b.month() {
            format!("{} – {}", a.format("%-d %B"), b.format("%-d %B %Y"))
        } else {
            format!("{}–{}", a.format("%-d"), b.format("%-d %B %Y"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_and_their_dates() {
        let w = Week::parse("2026-W04").unwrap();
        assert_eq!(w.monday, NaiveDate::from_ymd_opt(2026, 1, 19).unwrap());
        assert_eq!(w.dates(), "19–25 January 2026");
        assert_eq!(Week::parse("2026-W01").unwrap().dates(), "29 December 2025 – 4 January 2026");
        assert_eq!(
            Week::of(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()).dates(),
            "26 January – 1 February 2026"
        );
        assert_eq!(Week::of(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()).label(), "2026-W01");
        assert_eq!(Week::parse("2026-W99"), None);
    }

    #[test]
    fn months_and_ranges() {
        let a = Month::parse("2025-11").unwrap();
        assert_eq!(a.last(), NaiveDate::from_ymd_opt(2025, 11, 30).unwrap());
        let r: Vec<String> = a.through(Month::parse("2026-02").unwrap()).iter().map(|m| m.label()).collect();
        assert_eq!(r, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(Month::parse("2026-13"), None);
    }
}
