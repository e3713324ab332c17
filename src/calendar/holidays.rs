//! England and Wales bank holidays, by rule, with the one-off changes kept as data.
//!
//! The rules: New Year's Day, Good Friday, Easter Monday, the early May bank holiday (first
//! Monday of May), the spring bank holiday (last Monday of May), the summer bank holiday (last
//! Monday of August), Christmas Day and Boxing Day. A fixed-date holiday that falls on a weekend
//! is substituted by the next weekday that is not already a holiday. Proclamations that moved or
//! added days are in [`ONE_OFF_CHANGES`].

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::CalendarError;

/// First year the calendar covers.
pub const FIRST_YEAR: i32 = 2000;
/// Last year the calendar covers.
pub const LAST_YEAR: i32 = 2100;

/// One day off: a bank holiday or a partnership's own closure day.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Holiday {
    /// The date.
    pub date: NaiveDate,
    /// Its name, e.g. "Boxing Day (substitute day)".
    pub name: String,
}

/// A change to the rule-based bank holidays made by royal proclamation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneOffChange {
    /// A rule-based holiday moved to another date.
    Moved {
        /// The date the rule gives.
        from: (i32, u32, u32),
        /// The date the holiday was actually taken.
        to: (i32, u32, u32),
    },
    /// An extra bank holiday.
    Added {
        /// The date.
        date: (i32, u32, u32),
        /// Its name.
        name: &'static str,
    },
}

/// Every one-off change to England and Wales bank holidays from 2000 (GOV.UK bank holidays).
pub const ONE_OFF_CHANGES: &[OneOffChange] = &[
    // 2002: spring bank holiday moved for the Golden Jubilee, plus an extra day.
    OneOffChange::Moved {
        from: (2002, 5, 27),
        to: (2002, 6, 4),
    },
    OneOffChange::Added {
        date: (2002, 6, 3),
        name: "Golden Jubilee bank holiday",
    },
    OneOffChange::Added {
        date: (2011, 4, 29),
        name: "Royal wedding",
    },
    // 2012: spring bank holiday moved for the Diamond Jubilee, plus an extra day.
    OneOffChange::Moved {
        from: (2012, 5, 28),
        to: (2012, 6, 4),
    },
    OneOffChange::Added {
        date: (2012, 6, 5),
        name: "Queen's Diamond Jubilee",
    },
    // 2020: early May bank holiday moved to VE Day.
    OneOffChange::Moved {
        from: (2020, 5, 4),
        to: (2020, 5, 8),
    },
    // 2022: spring bank holiday moved for the Platinum Jubilee, an extra day, and the state
    // funeral of Queen Elizabeth II.
    OneOffChange::Moved {
        from: (2022, 5, 30),
        to: (2022, 6, 2),
    },
    OneOffChange::Added {
        date: (2022, 6, 3),
        name: "Platinum Jubilee bank holiday",
    },
    OneOffChange::Added {
        date: (2022, 9, 19),
        name: "Bank holiday for the State Funeral of Queen Elizabeth II",
    },
    OneOffChange::Added {
        date: (2023, 5, 8),
        name: "Bank holiday for the coronation of King Charles III",
    },
];

/// The bank holidays of `year` in England and Wales, in date order.
pub fn bank_holidays(year: i32) -> Result<Vec<Holiday>, CalendarError> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(CalendarError::YearOutOfRange { year });
    }
    let mut days = rule_holidays(year)?;
    for change in ONE_OFF_CHANGES {
        match *change {
            OneOffChange::Moved { from, to } if from.0 == year => {
                let (from, to) = (ymd(from)?, ymd(to)?);
                for day in days.iter_mut().filter(|day| day.date == from) {
                    day.date = to;
                }
            }
            OneOffChange::Added { date, name } if date.0 == year => days.push(Holiday {
                date: ymd(date)?,
                name: name.to_owned(),
            }),
            _ => {}
        }
    }
    days.sort();
    Ok(days)
}

/// Easter Sunday of `year` (Gregorian calendar; the anonymous "Meeus/Jones/Butcher" computus).
pub fn easter_sunday(year: i32) -> Result<NaiveDate, CalendarError> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    let (month, day) = (u32::try_from(month), u32::try_from(day));
    match (month, day) {
        (Ok(month), Ok(day)) => ymd((year, month, day)),
        _ => Err(CalendarError::YearOutOfRange { year }),
    }
}

fn rule_holidays(year: i32) -> Result<Vec<Holiday>, CalendarError> {
    let easter = easter_sunday(year)?;
    let day = |date: NaiveDate, name: &str| Holiday {
        date,
        name: name.to_owned(),
    };
    let mut days = vec![
        day(shift(easter, -2)?, "Good Friday"),
        day(shift(easter, 1)?, "Easter Monday"),
        day(first_monday(year, 5)?, "Early May bank holiday"),
        day(last_monday(year, 5)?, "Spring bank holiday"),
        day(last_monday(year, 8)?, "Summer bank holiday"),
    ];
    // Fixed dates on a weekday keep their day; those on a weekend take the next free weekday,
    // so Boxing Day on a Monday keeps it and a Sunday Christmas moves to the Tuesday.
    let fixed = [
        (ymd((year, 1, 1))?, "New Year's Day"),
        (ymd((year, 12, 25))?, "Christmas Day"),
        (ymd((year, 12, 26))?, "Boxing Day"),
    ];
    for (date, name) in fixed.iter().filter(|(date, _)| !is_weekend(*date)) {
        days.push(day(*date, name));
    }
    for (date, name) in fixed.iter().filter(|(date, _)| is_weekend(*date)) {
        let mut substitute = *date;
        while is_weekend(substitute) || days.iter().any(|d| d.date == substitute) {
            substitute = shift(substitute, 1)?;
        }
        days.push(day(substitute, &format!("{name} (substitute day)")));
    }
    Ok(days)
}

/// True on Saturday and Sunday.
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn first_monday(year: i32, month: u32) -> Result<NaiveDate, CalendarError> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 1)
        .ok_or(CalendarError::YearOutOfRange { year })
}

fn last_monday(year: i32, month: u32) -> Result<NaiveDate, CalendarError> {
    let last = NaiveDate::from_ymd_opt(year, month + 1, 1)
        .and_then(|first| first.pred_opt())
        .ok_or(CalendarError::YearOutOfRange { year })?;
    let back = u64::from(last.weekday().num_days_from_monday());
    last.checked_sub_days(Days::new(back))
        .ok_or(CalendarError::YearOutOfRange { year })
}

fn ymd((year, month, day): (i32, u32, u32)) -> Result<NaiveDate, CalendarError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or(CalendarError::YearOutOfRange { year })
}

fn shift(date: NaiveDate, days: i64) -> Result<NaiveDate, CalendarError> {
    let magnitude = Days::new(days.unsigned_abs());
    let moved = if days < 0 {
        date.checked_sub_days(magnitude)
    } else {
        date.checked_add_days(magnitude)
    };
    moved.ok_or(CalendarError::DateOverflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    #[test]
    fn easter_in_march_and_april() {
        assert_eq!(easter_sunday(2016).ok(), Some(date(2016, 3, 27)));
        assert_eq!(easter_sunday(2008).ok(), Some(date(2008, 3, 23)));
        assert_eq!(easter_sunday(2019).ok(), Some(date(2019, 4, 21)));
        assert_eq!(easter_sunday(2038).ok(), Some(date(2038, 4, 25)));
        assert_eq!(easter_sunday(2100).ok(), Some(date(2100, 3, 28)));
    }

    #[test]
    fn christmas_on_a_weekend_is_substituted() {
        // 2021: Christmas Saturday, Boxing Day Sunday → Monday 27 and Tuesday 28.
        let days: Vec<NaiveDate> = bank_holidays(2021)
            .expect("2021")
            .into_iter()
            .map(|h| h.date)
            .collect();
        assert!(days.contains(&date(2021, 12, 27)));
        assert!(days.contains(&date(2021, 12, 28)));
        // 2022: Christmas Sunday: Boxing Day keeps Monday 26, Christmas moves to Tuesday 27.
        let days = bank_holidays(2022).expect("2022");
        let boxing = days.iter().find(|h| h.date == date(2022, 12, 26));
        assert_eq!(boxing.map(|h| h.name.as_str()), Some("Boxing Day"));
        let christmas = days.iter().find(|h| h.date == date(2022, 12, 27));
        assert_eq!(
            christmas.map(|h| h.name.as_str()),
            Some("Christmas Day (substitute day)")
        );
    }

    #[test]
    fn years_outside_the_table_are_refused() {
        assert!(matches!(
            bank_holidays(1999),
            Err(CalendarError::YearOutOfRange { year: 1999 })
        ));
        assert!(bank_holidays(2101).is_err());
        assert!(bank_holidays(i32::MAX).is_err());
        assert_eq!(bank_holidays(2100).map(|d| d.len()).ok(), Some(8));
    }
}
