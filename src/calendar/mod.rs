//! The statutory calendar: working days in England and Wales, deadline rules as data, and the
//! timetable of a case. Pure functions over [`chrono::NaiveDate`]; the years 2000 to 2100.
//!
//! - [`holidays`]: bank holidays by rule, with the one-off changes as data.
//! - [`working_days`]: [`WorkingCalendar`], adding and counting working days.
//! - [`deadlines`]: [`Event`]s of a case and deadline [`Rule`]s.
//! - [`config`]: a partnership's [`Config`] (closure days, rules, switches) from TOML.
//! - [`timetable`]: every step of a case with its status on a given day.

pub mod config;
pub mod deadlines;
pub mod holidays;
pub mod timetable;
pub mod working_days;

use chrono::NaiveDate;
use thiserror::Error;

pub use config::{Config, DayUnit, NotificationClock};
pub use deadlines::{Event, Events, Kind, LateReasons, Rule, Unit};
pub use holidays::Holiday;
pub use timetable::{Status, Step, Timetable};
pub use working_days::WorkingCalendar;

/// Why a calendar question could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    /// A year the calendar does not cover.
    #[error(
        "The calendar covers the years {first} to {last}; {year} is outside them, so its bank holidays are not known.",
        first = holidays::FIRST_YEAR,
        last = holidays::LAST_YEAR
    )]
    YearOutOfRange {
        /// The year asked for.
        year: i32,
    },
    /// A date (given or reached by counting) the calendar does not cover.
    #[error(
        "{date} is outside the years the calendar covers ({first} to {last}), so working days cannot be counted there. Please check the date.",
        date = crate::dates::long(*date),
        first = holidays::FIRST_YEAR,
        last = holidays::LAST_YEAR
    )]
    DateOutOfRange {
        /// The date.
        date: NaiveDate,
    },
    /// Counting went past any date the calendar can hold.
    #[error(
        "That count goes beyond any date the calendar can work with. Please check the number of days."
    )]
    DateOverflow,
    /// A deadline rule id not in the configuration.
    #[error("There is no deadline rule called \"{id}\" in the calendar configuration.")]
    UnknownRule {
        /// The id asked for.
        id: String,
    },
    /// The configuration text is not valid.
    #[error("The calendar configuration is not valid: {reason}.")]
    Config {
        /// What is wrong.
        reason: String,
    },
    /// The configuration file cannot be read.
    #[error("The calendar configuration file {path} could not be read: {reason}.")]
    ConfigFile {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}
