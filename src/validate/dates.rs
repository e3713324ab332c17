//! Plausible dates: RFC 3339 allows any date from year 0000 to 9999, but no form means a child
//! born in the year 0 or a report returned on 31 December 9999. Each date field has a kind (a
//! date of birth, an event of the case, a deadline or planned date) and each kind a range; a date
//! outside it is an error that says the range, and the rules that read the date stay silent.

use chrono::NaiveDate;

use super::rules::{Checker, parse_date, uk_date};
use super::words;

/// Rule id of the plausible-date check.
pub const RULE: &str = "date.plausible";

const SOURCE: &str =
    "The form's own question: a date of the child's life or of the review of their case";

/// What a date field records, which decides the dates it can plausibly hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    /// A child's (or a household member's) date of birth: from 1990, and not in the future.
    Birth,
    /// Something that happened or is about to: from 2000 to a year from today.
    Event,
    /// A deadline or a planned date: from 2000 to ten years from today.
    Planned,
}

/// Earliest plausible date of birth: a care leaver is notified up to age 24, and reviews look
/// back at most a few years, so a child in any form was born well after this.
const EARLIEST_BIRTH: (i32, u32, u32) = (1990, 1, 1);
/// Earliest plausible event: the statutory scheme the forms belong to dates from 2017-2018;
/// 2000 leaves room for a chronology that looks back.
const EARLIEST_EVENT: (i32, u32, u32) = (2000, 1, 1);
/// How far ahead an event (a form's dates of sending, meeting, returning) can be: a year.
const EVENT_YEARS_AHEAD: i32 = 1;
/// How far ahead a deadline or a planned date can be: ten years.
const PLANNED_YEARS_AHEAD: i32 = 10;

impl DateKind {
    /// The kind of the date field named by the last segment of `pointer`.
    pub fn of(pointer: &str) -> Self {
        let name = pointer.rsplit('/').next().unwrap_or_default();
        if name.contains("birth") {
            DateKind::Birth
        } else if ["due", "planned", "deadline", "review_by"]
            .iter()
            .any(|word| name.contains(word))
        {
            DateKind::Planned
        } else {
            DateKind::Event
        }
    }

    /// The first and last plausible date of this kind, seen from `today`.
    pub fn range(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let date = ymd;
        let ahead = |years: i32| today.with_year_offset(years).unwrap_or(NaiveDate::MAX);
        match self {
            DateKind::Birth => (date(EARLIEST_BIRTH), today),
            DateKind::Event => (date(EARLIEST_EVENT), ahead(EVENT_YEARS_AHEAD)),
            DateKind::Planned => (date(EARLIEST_EVENT), ahead(PLANNED_YEARS_AHEAD)),
        }
    }

    fn words(self) -> &'static str {
        match self {
            DateKind::Birth => "a child's date of birth",
            DateKind::Event => "a date in this case",
            DateKind::Planned => "a deadline or planned date",
        }
    }
}

fn ymd((year, month, day): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

trait YearOffset: Sized {
    fn with_year_offset(self, years: i32) -> Option<Self>;
}

impl YearOffset for NaiveDate {
    /// The same day `years` later (28 February for 29 February in a common year).
    fn with_year_offset(self, years: i32) -> Option<Self> {
        let months = u32::try_from(years.checked_mul(12)?).ok()?;
        self.checked_add_months(chrono::Months::new(months))
    }
}

/// A date outside the plausible range of its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Implausible {
    /// What the field records.
    pub kind: DateKind,
    /// The first plausible date.
    pub first: NaiveDate,
    /// The last plausible date.
    pub last: NaiveDate,
}

/// Judges the date field at `pointer` holding `text`: `None` when it is no real date (the
/// schema's to report) or a plausible one. `today` is asked for only when a date is found.
pub fn judge(
    pointer: &str,
    text: &str,
    today: &mut impl FnMut() -> NaiveDate,
) -> Option<Implausible> {
    let date = parse_date(text)?;
    // Every kind accepts a date from 2000 up to today: most dates are settled here.
    if date >= ymd(EARLIEST_EVENT) && date <= today() {
        return None;
    }
    let kind = DateKind::of(pointer);
    let (first, last) = kind.range(today());
    (date < first || date > last).then_some(Implausible { kind, first, last })
}

/// Records the finding for one implausible date and marks the field unusable.
pub fn report(checker: &mut Checker<'_>, pointer: &str, text: &str, found: &Implausible) {
    let today = checker.context().today();
    let until = if found.last == today {
        format!("today, {}", uk_date(today))
    } else {
        uk_date(found.last)
    };
    let message = format!(
        "{} is {}, which cannot be right for {}: it should be between {} and {until}. Please check the date, especially the year.",
        checker.label(pointer),
        words::quote(text),
        found.kind.words(),
        uk_date(found.first),
    );
    let source = checker
        .form()
        .index()
        .field(pointer)
        .and_then(|info| info.source.clone())
        .unwrap_or_else(|| SOURCE.to_owned());
    checker.error(pointer, RULE, &source, message);
    checker.mark_unusable(pointer);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        parse_date(text).expect("test date")
    }

    #[test]
    fn kinds_follow_the_field_name() {
        assert_eq!(DateKind::of("/children/0/date_of_birth"), DateKind::Birth);
        assert_eq!(
            DateKind::of("/recommendations/2/due_date"),
            DateKind::Planned
        );
        assert_eq!(DateKind::of("/publication/planned_date"), DateKind::Planned);
        assert_eq!(DateKind::of("/date_returned"), DateKind::Event);
        assert_eq!(DateKind::of("/incident/aware_date"), DateKind::Event);
    }

    #[test]
    fn ranges_are_seen_from_today() {
        let today = date("2026-03-14");
        assert_eq!(DateKind::Birth.range(today), (date("1990-01-01"), today));
        assert_eq!(
            DateKind::Event.range(today),
            (date("2000-01-01"), date("2027-03-14"))
        );
        assert_eq!(
            DateKind::Planned.range(date("2028-02-29")).1,
            date("2038-02-28")
        );
        // The shortcut in `judge`: every kind accepts 2000-01-01 up to today.
        for kind in [DateKind::Birth, DateKind::Event, DateKind::Planned] {
            let (first, last) = kind.range(today);
            assert!(first <= ymd(EARLIEST_EVENT) && last >= today, "{kind:?}");
        }
    }
}
