//! Reporting periods, and figures for a period beside the one before it.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;
use thiserror::Error;

/// Why a period cannot be reported on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PeriodError {
    /// The period ends before it starts.
    #[error(
        "The period ends on {to}, before it starts on {from}. Please give the first day, then the last.",
        from = crate::dates::long(*from),
        to = crate::dates::long(*to)
    )]
    EndsBeforeStart {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
    /// The period, or the one before it, reaches past any date that can be counted.
    #[error("That period reaches beyond the dates this service can count. Please check the years.")]
    OutOfRange,
}

/// A period of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Period {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

impl Period {
    /// The period from `from` to `to`, both included.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, PeriodError> {
        if to < from {
            return Err(PeriodError::EndsBeforeStart { from, to });
        }
        Ok(Period { from, to })
    }

    /// The 12 months ending on `today` (the default of the yearly report): from the day after
    /// the same date a year earlier, to `today`.
    pub fn last_12_months(today: NaiveDate) -> Result<Self, PeriodError> {
        let from = today
            .checked_sub_months(Months::new(12))
            .and_then(|d| d.succ_opt())
            .ok_or(PeriodError::OutOfRange)?;
        Period::new(from, today)
    }

    /// Whether `date` falls in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// The number of days in the period.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The period of the same length just before this one. A period of whole months (1 April
    /// to 31 March, 24 November to 23 November) is followed back by the same months, so a
    /// leap day does not shift the previous year by a day; any other by the same number of days.
    pub fn previous(&self) -> Result<Period, PeriodError> {
        let to = self.from.pred_opt().ok_or(PeriodError::OutOfRange)?;
        if let Some(months) = self.whole_months() {
            let from = self
                .from
                .checked_sub_months(Months::new(months))
                .ok_or(PeriodError::OutOfRange)?;
            // A month-end start (31 May back to 30 April) may land on a shorter month's end.
            if from <= to {
                return Period::new(from, to);
            }
        }
        let days = u64::try_from(self.days() - 1).map_err(|_| PeriodError::OutOfRange)?;
        let from = to
            .checked_sub_days(Days::new(days))
            .ok_or(PeriodError::OutOfRange)?;
        Period::new(from, to)
    }

    /// The number of whole months the period spans, when it is exactly that.
    fn whole_months(&self) -> Option<u32> {
        let end = self.to.succ_opt()?;
        let months =
            (end.year() - self.from.year()) * 12 + end.month() as i32 - self.from.month() as i32;
        let months = u32::try_from(months).ok().filter(|m| *m > 0)?;
        (self.from.checked_add_months(Months::new(months)) == Some(end)).then_some(months)
    }

    /// "24 November 2025 to 23 November 2026".
    pub fn words(&self) -> String {
        format!(
            "{} to {}",
            crate::dates::long(self.from),
            crate::dates::long(self.to)
        )
    }
}

/// Which way a figure moved from the previous period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    /// Higher than in the previous period.
    Up,
    /// Lower.
    Down,
    /// The same.
    Same,
}

impl Trend {
    /// The trend from `previous` to `current`.
    pub fn between<T: Ord>(previous: T, current: T) -> Trend {
        match current.cmp(&previous) {
            std::cmp::Ordering::Greater => Trend::Up,
            std::cmp::Ordering::Less => Trend::Down,
            std::cmp::Ordering::Equal => Trend::Same,
        }
    }

    /// The trend in words: "up", "down", "same".
    pub fn words(self) -> &'static str {
        match self {
            Trend::Up => "up",
            Trend::Down => "down",
            Trend::Same => "same",
        }
    }
}

/// A count in this period and the previous one, and which way it moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// In the period reported on.
    pub current: usize,
    /// In the period before it.
    pub previous: usize,
    /// Which way it moved.
    pub trend: Trend,
}

impl Default for Figure {
    fn default() -> Self {
        Figure::new(0, 0)
    }
}

impl Figure {
    /// The figure from a count in each period.
    pub fn new(current: usize, previous: usize) -> Self {
        Figure {
            current,
            previous,
            trend: Trend::between(previous, current),
        }
    }
}

/// A share done on time, as a whole percentage, in this period and the previous one (`None`
/// where there was nothing to count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Share {
    /// In the period reported on.
    pub current: Option<u32>,
    /// In the period before it.
    pub previous: Option<u32>,
    /// Which way it moved, when both are known.
    pub trend: Option<Trend>,
}

impl Share {
    /// The share of `part` in `whole` for each period.
    pub fn new(part: Figure, whole: Figure) -> Self {
        let current = percent(part.current, whole.current);
        let previous = percent(part.previous, whole.previous);
        let trend = match (previous, current) {
            (Some(p), Some(c)) => Some(Trend::between(p, c)),
            _ => None,
        };
        Share {
            current,
            previous,
            trend,
        }
    }
}

/// `part` of `whole` as a whole percentage, rounded half up; `None` when `whole` is 0.
pub fn percent(part: usize, whole: usize) -> Option<u32> {
    if whole == 0 {
        return None;
    }
    let rounded = (part.saturating_mul(100).saturating_add(whole / 2)) / whole;
    u32::try_from(rounded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    #[test]
    fn the_previous_period_is_the_same_length_just_before() {
        let year = Period::last_12_months(date(2026, 11, 23)).expect("a period");
        assert_eq!(
            year,
            Period::new(date(2025, 11, 24), date(2026, 11, 23)).expect("ok")
        );
        assert_eq!(
            year.previous().expect("ok"),
            Period::new(date(2024, 11, 24), date(2025, 11, 23)).expect("ok")
        );
        // A financial year that holds a leap day is followed back by the financial year.
        let leap = Period::new(date(2023, 4, 1), date(2024, 3, 31)).expect("ok");
        assert_eq!(
            leap.previous().expect("ok"),
            Period::new(date(2022, 4, 1), date(2023, 3, 31)).expect("ok")
        );
        let days = Period::new(date(2026, 3, 10), date(2026, 3, 19)).expect("ok");
        assert_eq!(
            days.previous().expect("ok"),
            Period::new(date(2026, 2, 28), date(2026, 3, 9)).expect("ok")
        );
        assert!(Period::new(date(2026, 3, 10), date(2026, 3, 9)).is_err());
    }

    #[test]
    fn shares_round_half_up() {
        assert_eq!(percent(1, 8), Some(13));
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(0, 0), None);
        let share = Share::new(Figure::new(3, 1), Figure::new(4, 2));
        assert_eq!(
            (share.current, share.previous, share.trend),
            (Some(75), Some(50), Some(Trend::Up))
        );
    }
}
