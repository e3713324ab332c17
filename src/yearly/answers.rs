//! Reading the partnership's answers: the schema, then the dates. Answers that cannot be right
//! (a date that does not exist, a period that ends before it starts, a copy sent before the
//! report was published or after today) are refused with every reason at once; what is only
//! unfinished (a section not yet written) is left to the check.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use serde_json::Value;

use super::YearlyError;
use super::schema::{Compiled, compiled};
use crate::dates::{long, parse_iso};
use crate::timeliness::Period;
use crate::validate::{Finding, Severity, words};

/// Rule of a date that is not a real date, or not written YYYY-MM-DD.
const DATE: &str = "yearly.date";
/// Rule of a date that cannot be right for what it records.
const PLAUSIBLE: &str = "yearly.date-plausible";
/// Rule of a period that ends before it starts.
const PERIOD_ORDER: &str = "yearly.period-order";
/// Rule of a copy recorded as sent before publication, or with no publication date.
const SENT_BEFORE: &str = "yearly.sent-before-publication";

const DATE_SOURCE: &str = "The yearly report record's own question: a real calendar date, written YYYY-MM-DD (ISO 8601), as every record of this service keeps its dates";

/// The earliest plausible date: the statutory scheme dates from 2018; 2000 leaves room.
const EARLIEST: (i32, u32, u32) = (2000, 1, 1);

/// The partnership's answers, read and checked for dates that cannot be right.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answers {
    /// The partnership's name.
    pub partnership: String,
    /// The period the answers give, if they give one.
    pub period: Option<Period>,
    /// The date published, or planned.
    pub published: Option<NaiveDate>,
    /// The date a copy was sent to each body, by the key of `sent` (in the schema's order;
    /// `None`: not recorded as sent).
    pub sent: Vec<(String, Option<NaiveDate>)>,
    /// The answers as sent, for the sections and the answers that decide them.
    #[serde(skip)]
    pub(super) doc: Value,
}

impl Answers {
    /// The text of a field, if it holds text.
    pub(super) fn text(&self, pointer: &str) -> Option<&str> {
        self.doc.pointer(pointer).and_then(Value::as_str)
    }

    /// The value at a pointer.
    pub(super) fn value(&self, pointer: &str) -> Option<&Value> {
        self.doc.pointer(pointer)
    }
}

/// Reads the answers on `today` (what has happened cannot be dated after it): every schema
/// and date problem at once, or the answers.
pub fn read(doc: &Value, today: NaiveDate) -> Result<Answers, YearlyError> {
    let compiled = compiled()?;
    let mut findings = compiled.record.findings(doc);
    let mut dates = Dates {
        compiled,
        doc,
        today,
        findings: Vec::new(),
    };
    let from = dates.read("/period/from", Kind::Period);
    let to = dates.read("/period/to", Kind::Period);
    let published = dates.read("/published_date", Kind::Published);
    let sent: Vec<(String, Option<NaiveDate>)> = compiled
        .recipients
        .iter()
        .map(|r| (r.key.clone(), dates.read(&r.pointer, Kind::Happened)))
        .collect();
    findings.append(&mut dates.findings);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        findings.push(compiled.finding(
            Severity::Error,
            "/period/to",
            PERIOD_ORDER,
            format!(
                "The period ends on {}, before it starts on {}. Please give the first day of the period, then the last.",
                long(to),
                long(from)
            ),
        ));
    }
    for (recipient, (_, date)) in compiled.recipients.iter().zip(&sent) {
        let Some(date) = *date else { continue };
        let message = match published {
            None => format!(
                "\"{}\" is {}, but the answers give no date of publication. A copy is sent once the report is published: please add \"Date published\".",
                recipient.title,
                long(date)
            ),
            Some(published) if date < published => format!(
                "\"{}\" is {}, before the report was published on {}. A copy is sent after publication: please check both dates.",
                recipient.title,
                long(date),
                long(published)
            ),
            Some(_) => continue,
        };
        findings.push(compiled.finding(Severity::Error, &recipient.pointer, SENT_BEFORE, message));
    }
    if findings.iter().any(|f| f.severity == Severity::Error) {
        return Err(YearlyError::Invalid(findings));
    }
    let partnership = doc
        .get("partnership")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned();
    let period = from
        .zip(to)
        .and_then(|(from, to)| Period::new(from, to).ok());
    Ok(Answers {
        partnership,
        period,
        published,
        sent,
        doc: doc.clone(),
    })
}

/// What a date records, for how far from today it can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A period's day: up to a year ahead (a report drafted before its period ends).
    Period,
    /// The date of publication: up to a year ahead (a planned date).
    Published,
    /// Something done: not after today.
    Happened,
}

struct Dates<'a> {
    compiled: &'static Compiled,
    doc: &'a Value,
    today: NaiveDate,
    findings: Vec<Finding>,
}

impl Dates<'_> {
    /// The date at `pointer`, if it is there and can be right; otherwise a finding.
    fn read(&mut self, pointer: &str, kind: Kind) -> Option<NaiveDate> {
        let text = self.doc.pointer(pointer)?.as_str()?;
        let label = self.compiled.label(pointer);
        let Some(date) = parse_iso(text) else {
            let message = if shaped_like_a_date(text) {
                format!(
                    "\"{label}\" is {}, which is not a real date. Please check the day and the month (there is no 30 February and no day 0).",
                    words::quote(text)
                )
            } else {
                format!(
                    "\"{label}\" is {}. Please write the date as YYYY-MM-DD, for example 2026-09-30.",
                    words::quote(text)
                )
            };
            self.push(pointer, DATE, message);
            return None;
        };
        let earliest = NaiveDate::from_ymd_opt(EARLIEST.0, EARLIEST.1, EARLIEST.2)?;
        let latest = match kind {
            Kind::Period | Kind::Published => self
                .today
                .checked_add_months(Months::new(12))
                .unwrap_or(self.today),
            Kind::Happened => self.today,
        };
        if date < earliest {
            self.push(
                pointer,
                PLAUSIBLE,
                format!(
                    "\"{label}\" is {}, before the statutory safeguarding arrangements began. Please check the year.",
                    long(date)
                ),
            );
            return None;
        }
        if date > latest {
            let message = if kind == Kind::Happened {
                format!(
                    "\"{label}\" is {}, which is after today ({}). Please record the copy as sent once it has been sent.",
                    long(date),
                    long(self.today)
                )
            } else {
                format!(
                    "\"{label}\" is {}, more than a year from today. Please check the year (it is {} now).",
                    long(date),
                    self.today.year()
                )
            };
            self.push(pointer, PLAUSIBLE, message);
            return None;
        }
        Some(date)
    }

    fn push(&mut self, pointer: &str, rule: &str, message: String) {
        let finding = self.compiled.finding_with(
            Severity::Error,
            pointer,
            rule,
            DATE_SOURCE.to_owned(),
            message,
        );
        self.findings.push(finding);
    }
}

/// `NNNN-NN-NN`: written as a date, but perhaps not a real one.
fn shaped_like_a_date(text: &str) -> bool {
    text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}
