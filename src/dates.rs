//! One home for the dates people read and write: strict ISO dates as the forms store them,
//! the plausible years of a case, the long UK form shown in messages and documents
//! ("14 March 2026"), the short form of Word forms ("14/03/2026"), and the ways people type a
//! date into a form. Below every other module: it knows no form and no rule.

use chrono::{Datelike, NaiveDate};

/// Parses a strict `YYYY-MM-DD` date (2025-02-30 is not a date).
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = &bytes[range];
        digits.iter().all(u8::is_ascii_digit).then(|| {
            digits
                .iter()
                .fold(0, |n, digit| n * 10 + u32::from(digit - b'0'))
        })
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

/// Like [`parse_iso`], for the dates of a case: a year outside 1900-2199 is no date of any
/// case (the plausible-date rule reports it), so no calendar counts from it.
pub fn parse_case_date(text: &str) -> Option<NaiveDate> {
    parse_iso(text).filter(|date| (1900..2200).contains(&date.year()))
}

/// "14 March 2026".
pub fn long(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// "14/03/2026", as a Word form's date picker shows it.
pub fn short(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// A date as people type it into a form: 14/03/2026, 2026-03-14, 14-03-2026, 14.03.2026,
/// 14 March 2026, 14 Mar 2026. `None` for anything else, or a date that does not exist.
pub fn parse_typed(text: &str) -> Option<NaiveDate> {
    const FORMS: [&str; 6] = [
        "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y",
    ];
    let text = text.trim();
    FORMS
        .iter()
        .find_map(|form| NaiveDate::parse_from_str(text, form).ok())
}

/// The day in England of a UTC timestamp (RFC 3339, as the store writes them): British Summer
/// Time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
/// October (the Summer Time Order 2002), GMT otherwise.
pub fn england_day(stamp: &str) -> Option<NaiveDate> {
    let utc = chrono::DateTime::parse_from_rfc3339(stamp)
        .ok()?
        .naive_utc();
    let last_sunday = |month: u32| {
        let last = NaiveDate::from_ymd_opt(utc.year(), month, 31)?;
        let back = i64::from(last.weekday().num_days_from_sunday());
        (last - chrono::Duration::days(back)).and_hms_opt(1, 0, 0)
    };
    let summer = utc >= last_sunday(3)? && utc < last_sunday(10)?;
    Some(
        if summer {
            utc + chrono::Duration::hours(1)
        } else {
            utc
        }
        .date(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timestamp_falls_on_its_day_in_england() {
        let day = |stamp: &str| england_day(stamp).map(|d| d.to_string());
        // Winter: GMT.
        assert_eq!(
            day("2026-01-15T23:30:00.000000Z").as_deref(),
            Some("2026-01-15")
        );
        // Summer: 23:30 UTC is 00:30 the next day in England.
        assert_eq!(
            day("2026-07-15T23:30:00.000000Z").as_deref(),
            Some("2026-07-16")
        );
        // 2026's clocks go forward on 29 March and back on 25 October, at 01:00 UTC.
        assert_eq!(day("2026-03-29T00:59:59Z").as_deref(), Some("2026-03-29"));
        assert_eq!(day("2026-03-28T23:30:00Z").as_deref(), Some("2026-03-28"));
        assert_eq!(day("2026-03-29T23:30:00Z").as_deref(), Some("2026-03-30"));
        assert_eq!(day("2026-10-24T23:30:00Z").as_deref(), Some("2026-10-25"));
        assert_eq!(day("2026-10-25T23:30:00Z").as_deref(), Some("2026-10-25"));
        assert_eq!(day("not a time"), None);
    }

    #[test]
    fn dates_are_read_strictly_and_written_the_uk_way() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 4).expect("a date");
        assert_eq!(parse_iso("2026-03-04"), Some(date));
        assert_eq!(parse_iso("2026-02-30"), None);
        assert_eq!(parse_iso("2026-3-4"), None);
        assert_eq!(parse_case_date("0000-01-01"), None);
        assert_eq!(long(date), "4 March 2026");
        assert_eq!(short(date), "04/03/2026");
        for typed in [
            "04/03/2026",
            "2026-03-04",
            "4 March 2026",
            "4 Mar 2026",
            " 04.03.2026 ",
        ] {
            assert_eq!(parse_typed(typed), Some(date), "{typed}");
        }
        assert_eq!(parse_typed("31/02/2026"), None);
    }
}
