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
        let date = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(today);
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

/// Reports every date field holding a real date outside the plausible range of its kind, and
/// marks it so that the rules reading it stay silent.
pub fn check_plausible(checker: &mut Checker<'_>) {
    let today = checker.context().today();
    let mut implausible = Vec::new();
    checker
        .form()
        .index()
        .for_each_text(checker.doc(), &mut |pointer, info, text| {
            if info.format.as_deref() != Some("date") {
                return;
            }
            let Some(date) = parse_date(text) else { return };
            let kind = DateKind::of(pointer);
            let (first, last) = kind.range(today);
            if date < first || date > last {
                implausible.push((pointer.to_owned(), text, kind, first, last));
            }
        });
    for (pointer, text, kind, first, last) in implausible {
        let until = if last == today {
            format!("today, {}", uk_date(today))
        } else {
            uk_date(last)
        };
        let message = format!(
            "{} is {}, which cannot be right for {}: it should be between {} and {until}. Please check the date, especially the year.",
            checker.label(&pointer),
            words::quote(text),
            kind.words(),
            uk_date(first),
        );
        let source = checker
            .form()
            .index()
            .field(&pointer)
            .and_then(|info| info.source.clone())
            .unwrap_or_else(|| SOURCE.to_owned());
        checker.error(&pointer, RULE, &source, message);
        checker.mark_unusable(&pointer);
    }
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
    }
}
