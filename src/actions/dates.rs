//! The dates of an action: each must be a real date written YYYY-MM-DD, and plausible for what
//! it records. Action plans kept in spreadsheets carry dates such as "00/01/1900" (what a
//! spreadsheet shows for an empty date cell) and "31/03/2027"; the message says what is wrong
//! and what to write instead.

use chrono::{Datelike, Months, NaiveDate};
use serde_json::Value;

use super::schema::Compiled;
use crate::dates::{long, parse_iso, parse_typed};
use crate::validate::{Finding, Severity, words};

/// A date that is not a real date, or not one at all.
pub(super) const NOT_REAL: &str = "action.date-not-real";
/// A real date written another way than YYYY-MM-DD.
pub(super) const FORMAT: &str = "action.date-format";
/// A real date that cannot be right for what it records.
pub(super) const PLAUSIBLE: &str = "action.date-plausible";

const SOURCE: &str = "The action record's own question: a real calendar date, written YYYY-MM-DD (ISO 8601), as every record of this service keeps its dates";

/// The earliest plausible date of an action: the statutory scheme dates from 2018; 2000 leaves
/// room for an older action plan carried over.
const EARLIEST: (i32, u32, u32) = (2000, 1, 1);
/// How far ahead a due date can be.
const DUE_YEARS_AHEAD: u32 = 10;
/// How far ahead an action can be raised (a report's planned publication).
const RAISED_YEARS_AHEAD: u32 = 1;

/// What one date text is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reading {
    /// A real date written YYYY-MM-DD.
    Iso(NaiveDate),
    /// A real date written another way (31/03/2027, 31 March 2027).
    Other(NaiveDate),
    /// A date with its year cut short (31/03/27), read as in this century.
    ShortYear(NaiveDate),
    /// Day or month 0, or a year of all zeros.
    Zero { what: &'static str, year: i32 },
    /// A month number above 12.
    NoSuchMonth(u32),
    /// A day past the end of its month.
    NoSuchDay { day: u32, month_start: NaiveDate },
    /// Nothing like a date.
    NotADate,
}

fn read(text: &str) -> Reading {
    if let Some(date) = parse_iso(text) {
        return Reading::Iso(date);
    }
    if let Some(date) = parse_typed(text) {
        return match date.year() {
            1000.. => Reading::Other(date),
            year @ 0..100 => date
                .with_year(2000 + year)
                .map_or(Reading::NotADate, Reading::ShortYear),
            _ => Reading::NotADate,
        };
    }
    let trimmed = text.trim();
    let parts: Vec<&str> = trimmed.split(['-', '/', '.']).collect();
    let digits = |p: &&str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() != 3 || !parts.iter().all(digits) {
        return Reading::NotADate;
    }
    let number = |p: &str| p.parse::<u32>().unwrap_or(0);
    // Year first (ISO) or last (as people in the UK write a date).
    let (year, month, day) = match (parts[0].len(), parts[2].len()) {
        (4, _) => (parts[0], parts[1], parts[2]),
        (_, 4) => (parts[2], parts[1], parts[0]),
        _ => return Reading::NotADate,
    };
    let (year_n, month, day) = (number(year), number(month), number(day));
    let year = i32::try_from(year_n).unwrap_or(0);
    if month == 0 {
        return Reading::Zero {
            what: "there is no month 0",
            year,
        };
    }
    if day == 0 {
        return Reading::Zero {
            what: "there is no day 0 of a month",
            year,
        };
    }
    if year == 0 {
        return Reading::Zero {
            what: "there is no year 0",
            year,
        };
    }
    if month > 12 {
        return Reading::NoSuchMonth(month);
    }
    match NaiveDate::from_ymd_opt(year, month, 1) {
        Some(month_start) => match NaiveDate::from_ymd_opt(year, month, day) {
            Some(date) => Reading::Other(date),
            None => Reading::NoSuchDay { day, month_start },
        },
        None => Reading::NotADate,
    }
}

/// What a date field records, which decides the dates it can plausibly hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A date by which something should be done: up to ten years ahead.
    Due,
    /// The date the action was agreed: up to a year ahead (a report about to be published).
    Raised,
    /// Something that has happened (an update, the completion, the sign-off): not after today.
    Happened,
}

impl Kind {
    fn of(pointer: &str) -> Self {
        match pointer.rsplit('/').next().unwrap_or_default() {
            "due_date" => Kind::Due,
            "raised_date" => Kind::Raised,
            _ => Kind::Happened,
        }
    }

    fn range(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let (y, m, d) = EARLIEST;
        let first = NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
        let ahead = |years: u32| {
            today
                .checked_add_months(Months::new(12 * years))
                .unwrap_or(NaiveDate::MAX)
        };
        let last = match self {
            Kind::Due => ahead(DUE_YEARS_AHEAD),
            Kind::Raised => ahead(RAISED_YEARS_AHEAD),
            Kind::Happened => today,
        };
        (first, last)
    }

    fn words(self) -> &'static str {
        match self {
            Kind::Due => "a due date",
            Kind::Raised => "the date an action was agreed",
            Kind::Happened => "something that has already happened",
        }
    }
}

/// Whether `date` can be the day an action was raised (from 2000 to a year after `today`), so a
/// report's publication date can raise its actions.
pub fn plausible_raised(date: NaiveDate, today: NaiveDate) -> bool {
    let (first, last) = Kind::Raised.range(today);
    (first..=last).contains(&date)
}

/// A finding for every date of the action that is not a real, plausible date written
/// YYYY-MM-DD.
pub(super) fn findings(compiled: &Compiled, doc: &Value, today: NaiveDate) -> Vec<Finding> {
    let mut found = Vec::new();
    walk(compiled, doc, &mut String::new(), today, &mut found, 0);
    found
}

fn walk(
    compiled: &Compiled,
    value: &Value,
    pointer: &mut String,
    today: NaiveDate,
    found: &mut Vec<Finding>,
    depth: usize,
) {
    // The schema is three levels deep; anything deeper is not an action's field.
    if depth > 4 {
        return;
    }
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointer.push('/');
                pointer.push_str(&crate::forms::schema_index::escape_segment(key));
                walk(compiled, child, pointer, today, found, depth + 1);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                walk(compiled, child, pointer, today, found, depth + 1);
                pointer.truncate(len);
            }
        }
        Value::String(text) => {
            let is_date = compiled
                .index
                .field(pointer)
                .is_some_and(|info| info.format.as_deref() == Some("date"));
            if is_date && let Some(finding) = judge(compiled, pointer, text, today) {
                found.push(finding);
            }
        }
        _ => {}
    }
}

/// The finding for one date field, if its text is not a plausible date written YYYY-MM-DD.
fn judge(compiled: &Compiled, pointer: &str, text: &str, today: NaiveDate) -> Option<Finding> {
    let title = compiled.index.title(pointer);
    let label = format!("\"{}\"", compiled.index.label(pointer));
    let quoted = words::quote(text);
    let write = |example: NaiveDate| {
        format!(
            "Write the date as YYYY-MM-DD, for example {}.",
            example.format("%Y-%m-%d")
        )
    };
    let leave_out = if optional(compiled, pointer) {
        format!(" If there is no date yet, leave \"{title}\" out.")
    } else {
        String::new()
    };
    let reading = read(text);
    let (rule, message) = match reading {
        Reading::Iso(date) | Reading::Other(date) => {
            let kind = Kind::of(pointer);
            let (first, last) = kind.range(today);
            let iso = date.format("%Y-%m-%d");
            if (first..=last).contains(&date) {
                if matches!(reading, Reading::Iso(_)) {
                    return None;
                }
                (
                    FORMAT,
                    format!("{label} is written {quoted}. Please write it as YYYY-MM-DD: {iso}."),
                )
            } else {
                let until = if last == today {
                    format!("today, {}", long(today))
                } else {
                    long(last)
                };
                let message = format!(
                    "{label} is {}, which cannot be right for {}: it should be between {} and {until}. Please check the date, especially the year.{leave_out}",
                    long(date),
                    kind.words(),
                    long(first),
                );
                (PLAUSIBLE, message)
            }
        }
        Reading::ShortYear(date) => (
            FORMAT,
            format!(
                "{label} is written {quoted}. Please write the year in full, and the date as YYYY-MM-DD: if you mean {}, write {}.",
                long(date),
                date.format("%Y-%m-%d")
            ),
        ),
        Reading::Zero { what, year } => {
            let spreadsheet = if year == 1900 || year == 0 {
                " This is what a spreadsheet shows when a date cell is empty."
            } else {
                ""
            };
            (
                NOT_REAL,
                format!(
                    "{label} is {quoted}, which is not a date: {what}.{spreadsheet} {}{leave_out}",
                    write(today)
                ),
            )
        }
        Reading::NoSuchMonth(month) => (
            NOT_REAL,
            format!(
                "{label} is {quoted}, which is not a date: there are 12 months in a year, so there is no month {month}. {}{leave_out}",
                write(today)
            ),
        ),
        Reading::NoSuchDay { day, month_start } => {
            let last = month_start
                .checked_add_months(Months::new(1))
                .and_then(|next| next.pred_opt())
                .unwrap_or(month_start);
            (
                NOT_REAL,
                format!(
                    "{label} is {quoted}, which is not a date: {} has {} days, so there is no {day} {}. Please check the day, and write the date as YYYY-MM-DD, for example {} for the last day of {}.",
                    month_start.format("%B %Y"),
                    last.day(),
                    month_start.format("%B %Y"),
                    last.format("%Y-%m-%d"),
                    month_start.format("%B %Y"),
                ),
            )
        }
        Reading::NotADate => (
            NOT_REAL,
            format!(
                "{label} is {quoted}, which is not a date. {}{leave_out}",
                write(today)
            ),
        ),
    };
    Some(compiled.finding(Severity::Error, pointer, rule, SOURCE.to_owned(), message))
}

/// Whether the field at `pointer` may be left out.
fn optional(compiled: &Compiled, pointer: &str) -> bool {
    let Some((parent, name)) = pointer.rsplit_once('/') else {
        return false;
    };
    compiled
        .index
        .node(parent)
        .is_some_and(|node| !node.required.iter().any(|r| r == name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    #[test]
    fn date_texts_are_read_the_way_people_write_them() {
        assert_eq!(read("2026-03-31"), Reading::Iso(date(2026, 3, 31)));
        assert_eq!(read("31/03/2026"), Reading::Other(date(2026, 3, 31)));
        assert_eq!(read("2026-3-31"), Reading::Other(date(2026, 3, 31)));
        assert!(matches!(
            read("00/01/1900"),
            Reading::Zero { year: 1900, .. }
        ));
        assert!(matches!(
            read("1900-01-00"),
            Reading::Zero { year: 1900, .. }
        ));
        assert!(matches!(read("0000-00-00"), Reading::Zero { .. }));
        assert_eq!(read("2026-13-01"), Reading::NoSuchMonth(13));
        assert_eq!(
            read("2025-02-30"),
            Reading::NoSuchDay {
                day: 30,
                month_start: date(2025, 2, 1)
            }
        );
        assert_eq!(read("next week"), Reading::NotADate);
        assert_eq!(read("31/03/27"), Reading::ShortYear(date(2027, 3, 31)));
        assert_eq!(read(""), Reading::NotADate);
    }
}
