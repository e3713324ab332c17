//! The shared mechanism of mandatory-content rules: a [`Checker`] that reads a submission by
//! JSON pointer, names fields by their schema titles and collects findings.
//!
//! It knows no form by name; each form's own rules (in [`crate::forms`]) call it.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use super::{Finding, Severity};
use crate::calendar::{CalendarError, Config, Event, Events, Kind, Rule};
use crate::forms::Form;

/// What rules may need beyond the submission itself: the partnership's calendar.
#[derive(Debug, Clone)]
pub struct RuleContext {
    calendar: Result<Arc<Config>, CalendarError>,
    today: Option<NaiveDate>,
}

impl Default for RuleContext {
    /// The built-in calendar, parsed once per process and shared.
    fn default() -> Self {
        RuleContext {
            calendar: Config::embedded(),
            today: None,
        }
    }
}

impl RuleContext {
    /// A context with a partnership's own calendar configuration.
    pub fn with_calendar(calendar: Arc<Config>) -> Self {
        RuleContext {
            calendar: Ok(calendar),
            today: None,
        }
    }

    /// The same context seeing `today` as the current date (for tests and replays).
    #[must_use]
    pub fn with_today(mut self, today: NaiveDate) -> Self {
        self.today = Some(today);
        self
    }

    /// The current date, by which dates in the future are judged: the one set with
    /// [`RuleContext::with_today`], else the machine's local date.
    pub fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The calendar configuration, or why it could not be loaded.
    pub fn calendar(&self) -> Result<&Config, &CalendarError> {
        self.calendar.as_deref()
    }
}

/// A step of a case done after its deadline, as [`Checker::late`] finds it.
#[derive(Debug, Clone)]
pub struct Late<'a> {
    /// The deadline rule.
    pub rule: &'a Rule,
    /// The event that started the clock.
    pub start_event: Event,
    /// The date the clock started.
    pub start: NaiveDate,
    /// The due date.
    pub due: NaiveDate,
    /// The date it was done (or is planned).
    pub done: NaiveDate,
    /// Working days late (at least 1).
    pub working_days: i64,
    /// The rule's length as words, e.g. "5 working days" or "6 months".
    pub length: String,
}

impl Late<'_> {
    /// How the deadline was set, in words: "5 working days after the date the local authority
    /// became aware, 10 February 2026".
    pub fn clock(&self) -> String {
        format!(
            "{} after {}, {}",
            self.length,
            self.start_event.describe(),
            uk_date(self.start)
        )
    }
}

/// Reads one submission for the rules of its form and gathers their findings.
pub struct Checker<'a> {
    form: &'a Form,
    doc: &'a Value,
    context: &'a RuleContext,
    findings: Vec<Finding>,
    /// Fields already reported as unusable (the wrong type of value, an implausible date):
    /// the rules that read them stay silent.
    unusable: super::schema::PointerSet,
    /// The case's dates from this submission, read once (several deadline rules need them).
    events: std::cell::OnceCell<Events>,
}

impl<'a> Checker<'a> {
    /// A checker for `doc`, a submission of `form`.
    pub fn new(form: &'a Form, doc: &'a Value, context: &'a RuleContext) -> Self {
        Checker {
            form,
            doc,
            context,
            findings: Vec::new(),
            unusable: super::schema::PointerSet::default(),
            events: std::cell::OnceCell::new(),
        }
    }

    /// Marks a field as already reported unusable: [`Checker::date`] no longer reads it and
    /// no finding is recorded at it or inside it (the cascade rule).
    pub fn mark_unusable(&mut self, pointer: &str) {
        self.unusable.insert(pointer);
    }

    /// Starts the set of unusable fields from the schema's type errors.
    pub fn set_unusable(&mut self, pointers: super::schema::PointerSet) {
        self.unusable = pointers;
    }

    fn is_unusable(&self, pointer: &str) -> bool {
        self.unusable.holds(pointer)
    }

    /// The form being checked.
    pub fn form(&self) -> &'a Form {
        self.form
    }

    /// The submission being checked.
    pub fn doc(&self) -> &'a Value {
        self.doc
    }

    /// The rule context (calendar and configuration).
    pub fn context(&self) -> &'a RuleContext {
        self.context
    }

    /// The value at `pointer`, if present and not null.
    pub fn value(&self, pointer: &str) -> Option<&'a Value> {
        lookup(self.doc, pointer).filter(|value| !value.is_null())
    }

    /// The text at `pointer`, if it is a string.
    pub fn text(&self, pointer: &str) -> Option<&'a str> {
        self.value(pointer).and_then(Value::as_str)
    }

    /// Whether `pointer` holds text that is not just spaces (e.g. a reason was given).
    pub fn has_text(&self, pointer: &str) -> bool {
        self.text(pointer)
            .is_some_and(|text| !text.trim().is_empty())
    }

    /// The date at `pointer`, if it is a real `YYYY-MM-DD` date. Anything else is the
    /// schema's to report, so date rules stay silent about it.
    pub fn date(&self, pointer: &str) -> Option<NaiveDate> {
        if self.is_unusable(pointer) {
            return None;
        }
        self.text(pointer).and_then(parse_date)
    }

    /// The number of items of the array at `pointer` (0 when absent).
    pub fn len(&self, pointer: &str) -> usize {
        self.value(pointer)
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    }

    /// The title of the field at `pointer`, from the schema.
    pub fn title(&self, pointer: &str) -> String {
        self.form.index().title(pointer)
    }

    /// The field's title with its parent's, for messages about nested fields.
    pub fn label(&self, pointer: &str) -> String {
        self.form.index().label(pointer)
    }

    /// The guidance a field rests on: its own `x-source`, else the form's.
    pub fn source_of(&self, pointer: &str) -> String {
        self.form
            .index()
            .field(pointer)
            .and_then(|info| info.source.clone())
            .unwrap_or_else(|| self.form.source().to_owned())
    }

    /// The dates of the case this submission records, by event (the form's own mapping).
    pub fn events(&self) -> &Events {
        self.events.get_or_init(|| self.form.events(self.doc))
    }

    /// How late the step of calendar rule `rule_id` is on this submission's dates: `None` when
    /// on time or when a date is missing. A calendar that cannot answer (a date outside the
    /// years it covers) becomes a warning at `pointer`, never a panic.
    pub fn late(&mut self, rule_id: &str, pointer: &str) -> Option<Late<'a>> {
        let context = self.context;
        let events = self.events();
        let result = context.calendar().map_err(Clone::clone).and_then(|config| {
            // As `Config::lateness` counts it, with the deadline worked out once.
            let rule = config.rule(rule_id)?;
            let due = config.deadline_of(rule, events)?;
            let done = match (rule.kind, rule.done_by) {
                (Kind::Deadline, Some(event)) => events.get(&event).copied(),
                _ => None,
            };
            let (Some(due), Some(done)) = (due, done) else {
                return Ok(None);
            };
            let days = config.working_days_late(rule, due, done)?;
            let start_event = config.start_event(rule);
            Ok(match events.get(&start_event).copied() {
                Some(start) if days > 0 => Some(Late {
                    rule,
                    start_event,
                    start,
                    due,
                    done,
                    working_days: days,
                    length: format!(
                        "{} {}",
                        rule.length.abs(),
                        config.unit(rule).words(rule.length)
                    ),
                }),
                _ => None,
            })
        });
        match result {
            Ok(late) => late,
            Err(error) => {
                let source = self.source_of(pointer);
                self.warning(
                    pointer,
                    "calendar.cannot-count",
                    &source,
                    format!("The deadline could not be checked: {error}"),
                );
                None
            }
        }
    }

    /// Records a finding.
    pub fn report(
        &mut self,
        severity: Severity,
        pointer: &str,
        rule: &str,
        source: &str,
        message: String,
    ) {
        if self.is_unusable(pointer) {
            return;
        }
        self.findings.push(Finding {
            severity,
            pointer: pointer.to_owned(),
            field: self.title(pointer),
            message,
            rule: rule.to_owned(),
            source: source.to_owned(),
        });
    }

    /// Records an error.
    pub fn error(&mut self, pointer: &str, rule: &str, source: &str, message: String) {
        self.report(Severity::Error, pointer, rule, source, message);
    }

    /// Records a warning.
    pub fn warning(&mut self, pointer: &str, rule: &str, source: &str, message: String) {
        self.report(Severity::Warning, pointer, rule, source, message);
    }

    /// The date at `later` must not be before the date at `earlier`; an error at `later`
    /// otherwise, worded with both titles. Silent when either date is missing or malformed.
    pub fn not_before(&mut self, earlier: &str, later: &str, rule: &str, source: &str) {
        let (Some(first), Some(second)) = (self.date(earlier), self.date(later)) else {
            return;
        };
        if second < first {
            let message = format!(
                "{} ({}) must not be before {} ({}). Please check both dates.",
                self.label(later),
                uk_date(second),
                lower_first(&self.label(earlier)),
                uk_date(first),
            );
            self.error(later, rule, source, message);
        }
    }

    /// The findings gathered so far.
    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

pub use crate::forms::schema_index::lookup;

pub use crate::dates::{parse_case_date, parse_iso as parse_date};

/// Whole years of age on `on` for a child born on `born` (negative if not yet born).
pub fn age_on(born: NaiveDate, on: NaiveDate) -> i32 {
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    years
}

/// "1 working day", "3 working days".
pub fn working_days(n: i64) -> String {
    if n == 1 {
        "1 working day".to_owned()
    } else {
        format!("{n} working days")
    }
}

pub use crate::dates::long as uk_date;

/// "Date of the incident" → "date of the incident", for a title inside a sentence.
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if !chars.clone().next().is_some_and(char::is_uppercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        parse_date(text).expect("test date")
    }

    #[test]
    fn strict_dates() {
        assert!(parse_date("2025-02-30").is_none());
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2025-2-3").is_none());
        assert!(parse_date("14/03/2026").is_none());
        assert!(parse_date("2026-03-1x").is_none());
        assert!(parse_date("+202-03-14").is_none());
        assert_eq!(
            parse_date("2026-03-14"),
            NaiveDate::from_ymd_opt(2026, 3, 14)
        );
        // Year 0000 is a date to RFC 3339, but no date of a case.
        assert!(parse_date("0000-01-01").is_some());
        assert!(parse_case_date("0000-01-01").is_none());
        assert!(parse_case_date("9999-12-31").is_none());
    }

    #[test]
    fn lookup_reads_as_serde_json_pointer_does() {
        let doc = serde_json::json!({"a": [{"b/c": 1, "d~e": 2, "": 3}], "01": 4});
        for pointer in [
            "",
            "/a",
            "/a/0",
            "/a/0/b~1c",
            "/a/0/d~0e",
            "/a/0/",
            "/a/00",
            "/a/+0",
            "/a/1",
            "/01",
            "a",
            "/a/0/b/c",
            "/x",
        ] {
            assert_eq!(lookup(&doc, pointer), doc.pointer(pointer), "{pointer}");
        }
    }

    #[test]
    fn ages_turn_on_the_birthday() {
        assert_eq!(age_on(date("2008-03-14"), date("2026-03-13")), 17);
        assert_eq!(age_on(date("2008-03-14"), date("2026-03-14")), 18);
        assert_eq!(age_on(date("2008-02-29"), date("2026-02-28")), 17);
        assert_eq!(age_on(date("2026-05-01"), date("2026-04-01")), -1);
    }

    #[test]
    fn words_for_people() {
        assert_eq!(uk_date(date("2026-03-04")), "4 March 2026");
        assert_eq!(lower_first("Date of the incident"), "date of the incident");
        assert_eq!(lower_first("NHS number"), "NHS number");
    }
}
