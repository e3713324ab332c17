//! Working days: every day but Saturday, Sunday, a bank holiday in England and Wales, or one of
//! the partnership's own closure days.
//!
//! Counting convention (how "within 5 working days of becoming aware" is read): the day of the
//! start event is day 0 and is never counted; day 1 is the first working day *after* it. A start
//! on a Saturday or a bank holiday therefore counts from the next working day, and has the same
//! deadline as a start on the working day before it.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};

use super::CalendarError;
use super::holidays::{self, FIRST_YEAR, Holiday, LAST_YEAR};

/// The working-day calendar of a partnership: bank holidays plus its own closure days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingCalendar {
    days_off: BTreeMap<NaiveDate, String>,
}

impl Default for WorkingCalendar {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl WorkingCalendar {
    /// The bank holidays of every covered year, plus `closures` (dates outside the covered
    /// years are kept but never reached).
    pub fn new(closures: Vec<Holiday>) -> Self {
        let mut days_off = BTreeMap::new();
        for year in FIRST_YEAR..=LAST_YEAR {
            // Every covered year has bank holidays; an error here is impossible by range.
            for day in holidays::bank_holidays(year).unwrap_or_default() {
                days_off.insert(day.date, day.name);
            }
        }
        for day in closures {
            days_off.entry(day.date).or_insert(day.name);
        }
        WorkingCalendar { days_off }
    }

    /// True when `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        check_range(date)?;
        Ok(!holidays::is_weekend(date) && !self.days_off.contains_key(&date))
    }

    /// The date `n` working days after `start` (before it when `n` is negative); `start` itself
    /// when `n` is 0. For any `start` and `n`, `working_days_between(start, result) == n`.
    pub fn add_working_days(&self, start: NaiveDate, n: i64) -> Result<NaiveDate, CalendarError> {
        check_range(start)?;
        let step = if n < 0 { -1 } else { 1 };
        let mut date = start;
        let mut left = n.unsigned_abs();
        while left > 0 {
            date = step_day(date, step)?;
            if self.is_working_day(date)? {
                left -= 1;
            }
        }
        Ok(date)
    }

    /// The number of working days from `from` to `to`: those after `from` up to and including
    /// `to`; negative (those from `to` up to but excluding `from`) when `to` is earlier.
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<i64, CalendarError> {
        check_range(from)?;
        check_range(to)?;
        let (low, high, sign) = if to >= from {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        if low == high {
            return Ok(0);
        }
        // Count working days in (low, high] when going forward, [low, high) going back.
        let (first, last) = if sign > 0 {
            (step_day(low, 1)?, high)
        } else {
            (low, step_day(high, -1)?)
        };
        let weekdays = weekdays_in(first, last);
        let off = self
            .days_off
            .range(first..=last)
            .filter(|(date, _)| !holidays::is_weekend(**date))
            .count();
        let off = i64::try_from(off).map_err(|_| CalendarError::DateOverflow)?;
        Ok(sign * (weekdays - off))
    }

    /// Every non-working day of `year` other than weekends: bank holidays and closure days.
    pub fn holidays(&self, year: i32) -> Result<Vec<Holiday>, CalendarError> {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(CalendarError::YearOutOfRange { year });
        }
        let start = NaiveDate::from_ymd_opt(year, 1, 1);
        let end = NaiveDate::from_ymd_opt(year, 12, 31);
        let (Some(start), Some(end)) = (start, end) else {
            return Err(CalendarError::YearOutOfRange { year });
        };
        Ok(self
            .days_off
            .range(start..=end)
            .map(|(date, name)| Holiday {
                date: *date,
                name: name.clone(),
            })
            .collect())
    }

    /// The name of the bank holiday or closure on `date`, if any.
    pub fn day_off(&self, date: NaiveDate) -> Option<&str> {
        self.days_off.get(&date).map(String::as_str)
    }
}

/// Monday-to-Friday days from `first` to `last` inclusive (0 when `last` is before `first`).
fn weekdays_in(first: NaiveDate, last: NaiveDate) -> i64 {
    if last < first {
        return 0;
    }
    let days = (last - first).num_days() + 1;
    let full_weeks = days / 7;
    let mut count = full_weeks * 5;
    let start = i64::from(first.weekday().num_days_from_monday());
    for offset in 0..days % 7 {
        if (start + offset) % 7 < 5 {
            count += 1;
        }
    }
    count
}

fn step_day(date: NaiveDate, step: i64) -> Result<NaiveDate, CalendarError> {
    let next = if step < 0 {
        date.checked_sub_days(Days::new(1))
    } else {
        date.checked_add_days(Days::new(1))
    };
    let next = next.ok_or(CalendarError::DateOverflow)?;
    check_range(next)?;
    Ok(next)
}

/// An error for a date outside the years the calendar knows.
pub(crate) fn check_range(date: NaiveDate) -> Result<(), CalendarError> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        Ok(())
    } else {
        Err(CalendarError::DateOutOfRange { date })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    #[test]
    fn counting_agrees_with_stepping() {
        let cal = WorkingCalendar::default();
        let start = date(2025, 12, 20);
        for n in -40..40 {
            let end = cal.add_working_days(start, n).expect("in range");
            assert_eq!(
                cal.working_days_between(start, end).ok(),
                Some(n),
                "n = {n}"
            );
        }
    }

    #[test]
    fn weekdays_are_counted_by_arithmetic() {
        // Monday 2 to Sunday 15 March 2026: ten weekdays.
        assert_eq!(weekdays_in(date(2026, 3, 2), date(2026, 3, 15)), 10);
        assert_eq!(weekdays_in(date(2026, 3, 7), date(2026, 3, 8)), 0);
        assert_eq!(weekdays_in(date(2026, 3, 8), date(2026, 3, 7)), 0);
    }

    #[test]
    fn the_edge_of_the_range_is_an_error_not_a_panic() {
        let cal = WorkingCalendar::default();
        assert!(cal.add_working_days(date(2100, 12, 30), 5).is_err());
        assert!(cal.add_working_days(date(2000, 1, 4), -5).is_err());
        assert!(cal.add_working_days(date(2026, 1, 5), i64::MAX).is_err());
        assert!(cal.add_working_days(date(2026, 1, 5), i64::MIN).is_err());
        assert!(cal.is_working_day(NaiveDate::MAX).is_err());
        assert!(
            cal.working_days_between(NaiveDate::MIN, date(2026, 1, 1))
                .is_err()
        );
    }
}
