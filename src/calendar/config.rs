//! The partnership's calendar configuration: closure days, deadline rules and two switches.
//! The built-in configuration is `config/calendar.toml`.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::CalendarError;
use super::deadlines::{self, Event, Events, Kind, Rule, Unit};
use super::holidays::Holiday;
use super::working_days::WorkingCalendar;

/// The configuration built into the binary.
pub const EMBEDDED_TOML: &str = include_str!("../../config/calendar.toml");

static EMBEDDED: LazyLock<Result<Arc<Config>, CalendarError>> =
    LazyLock::new(|| Config::from_toml_str(EMBEDDED_TOML).map(Arc::new));

/// How rules measured in working days are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DayUnit {
    /// Working days, as the rules say (the statutory reading).
    #[default]
    Working,
    /// Every day counts, for partnerships whose local timetable is in calendar days.
    Calendar,
}

/// When the notification clock (rules starting at `aware`) starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotificationClock {
    /// The date the local authority became aware (Working Together).
    #[default]
    Aware,
    /// The date of the incident (some local timetables).
    Incident,
}

/// A date written either as a TOML string or as a bare TOML date.
#[derive(Deserialize)]
#[serde(untagged)]
enum DateValue {
    Text(String),
    Toml(toml::value::Datetime),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClosureDay {
    date: DateValue,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    day_unit: DayUnit,
    #[serde(default)]
    notification_clock: NotificationClock,
    #[serde(default)]
    closure_days: Vec<ClosureDay>,
    #[serde(default, rename = "rule")]
    rules: Vec<Rule>,
}

/// The calendar and deadline rules one partnership works to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    calendar: WorkingCalendar,
    statutory_calendar: WorkingCalendar,
    day_unit: DayUnit,
    notification_clock: NotificationClock,
    rules: Vec<Rule>,
}

impl Config {
    /// The built-in configuration, parsed once and shared.
    pub fn embedded() -> Result<Arc<Config>, CalendarError> {
        EMBEDDED.clone()
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<Config, CalendarError> {
        let text = std::fs::read_to_string(path).map_err(|e| CalendarError::ConfigFile {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Config::from_toml_str(&text)
    }

    /// Parses a configuration from TOML text.
    pub fn from_toml_str(text: &str) -> Result<Config, CalendarError> {
        let file: File = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|span| {
                text.get(..span.start)
                    .map_or(0, |before| before.matches('\n').count())
                    + 1
            });
            CalendarError::Config {
                reason: match line {
                    Some(line) => format!("line {line}: {}", e.message().trim_end()),
                    None => e.message().trim_end().to_owned(),
                },
            }
        })?;
        let mut closures = Vec::with_capacity(file.closure_days.len());
        for day in file.closure_days {
            let written = match day.date {
                DateValue::Text(text) => text,
                DateValue::Toml(value) => value.to_string(),
            };
            let date = crate::dates::parse_iso(&written).ok_or_else(|| {
                CalendarError::Config {
                    reason: format!(
                        "the closure day \"{}\" has the date \"{written}\", which is not a real date written YYYY-MM-DD",
                        day.name
                    ),
                }
            })?;
            closures.push(Holiday {
                date,
                name: day.name,
            });
        }
        for (i, rule) in file.rules.iter().enumerate() {
            if file.rules[..i].iter().any(|r| r.id == rule.id) {
                return Err(CalendarError::Config {
                    reason: format!("the rule \"{}\" is defined twice", rule.id),
                });
            }
        }
        Ok(Config {
            calendar: WorkingCalendar::new(closures),
            statutory_calendar: WorkingCalendar::default(),
            day_unit: file.day_unit,
            notification_clock: file.notification_clock,
            rules: file.rules,
        })
    }

    /// The working-day calendar (bank holidays and closure days).
    pub fn calendar(&self) -> &WorkingCalendar {
        &self.calendar
    }

    /// The calendar `rule` is counted on: bank holidays only for a statutory deadline, bank
    /// holidays and the partnership's closure days for its local steps.
    pub fn calendar_for(&self, rule: &Rule) -> &WorkingCalendar {
        if rule.statutory {
            &self.statutory_calendar
        } else {
            &self.calendar
        }
    }

    /// The deadline rules, in timetable order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Result<&Rule, CalendarError> {
        self.rules
            .iter()
            .find(|rule| rule.id == id)
            .ok_or_else(|| CalendarError::UnknownRule { id: id.to_owned() })
    }

    /// How working-days rules are counted.
    pub fn day_unit(&self) -> DayUnit {
        self.day_unit
    }

    /// When the notification clock starts.
    pub fn notification_clock(&self) -> NotificationClock {
        self.notification_clock
    }

    /// Sets how working-days rules are counted.
    pub fn set_day_unit(&mut self, unit: DayUnit) {
        self.day_unit = unit;
    }

    /// Sets when the notification clock starts.
    pub fn set_notification_clock(&mut self, clock: NotificationClock) {
        self.notification_clock = clock;
    }

    /// The event that starts `rule`'s clock, after the notification-clock switch.
    pub fn start_event(&self, rule: &Rule) -> Event {
        match (rule.start, self.notification_clock) {
            (Event::Aware, NotificationClock::Incident) => Event::Incident,
            (start, _) => start,
        }
    }

    /// The unit `rule` is counted in, after the working/calendar switch.
    pub fn unit(&self, rule: &Rule) -> Unit {
        match (rule.unit, self.day_unit) {
            (Unit::WorkingDays, DayUnit::Calendar) => Unit::CalendarDays,
            (unit, _) => unit,
        }
    }

    /// The due date of `rule` for a case, or `None` while its start event has no date.
    pub fn deadline_of(
        &self,
        rule: &Rule,
        events: &Events,
    ) -> Result<Option<NaiveDate>, CalendarError> {
        let Some(start) = events.get(&self.start_event(rule)) else {
            return Ok(None);
        };
        deadlines::apply(
            self.calendar_for(rule),
            *start,
            rule.length,
            self.unit(rule),
        )
        .map(Some)
    }

    /// The due date of the rule `rule_id` for a case, or `None` while its start is unknown.
    pub fn deadline(
        &self,
        rule_id: &str,
        events: &Events,
    ) -> Result<Option<NaiveDate>, CalendarError> {
        self.deadline_of(self.rule(rule_id)?, events)
    }

    /// How late the step of `rule_id` was done, in working days: `Some(0)` on time, `None`
    /// while the due date or the done date is unknown. A step done after its due date is at
    /// least 1 late, even when only a weekend or holiday lies between.
    pub fn lateness(&self, rule_id: &str, events: &Events) -> Result<Option<i64>, CalendarError> {
        let rule = self.rule(rule_id)?;
        let done = match (rule.kind, rule.done_by) {
            (Kind::Deadline, Some(event)) => events.get(&event).copied(),
            _ => None,
        };
        let (Some(due), Some(done)) = (self.deadline_of(rule, events)?, done) else {
            return Ok(None);
        };
        self.working_days_late(rule, due, done).map(Some)
    }

    /// Working days (on `rule`'s calendar) from `due` to `done`, 0 when `done` is not after
    /// `due`, at least 1 when it is.
    pub fn working_days_late(
        &self,
        rule: &Rule,
        due: NaiveDate,
        done: NaiveDate,
    ) -> Result<i64, CalendarError> {
        if done <= due {
            return Ok(0);
        }
        Ok(self
            .calendar_for(rule)
            .working_days_between(due, done)?
            .max(1))
    }
}
