//! The timetable of a case: every step with its due date, done date and status on a given day.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use super::CalendarError;
use super::config::Config;
use super::deadlines::{Event, Events, Kind, LateReasons, Rule};

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Status {
    /// Done by the due date.
    DoneOnTime,
    /// Done after the due date.
    DoneLate {
        /// Working days late (at least 1).
        working_days: i64,
    },
    /// Done, but the due date cannot be worked out yet.
    Done,
    /// Dated in the future on a form (a plan), on time or late.
    Planned {
        /// Working days the plan is late by (0 = on time).
        late_working_days: i64,
    },
    /// Not done; due today (0) or in this many working days.
    DueIn {
        /// Working days left.
        working_days: i64,
    },
    /// Not done and past its due date.
    Overdue {
        /// Working days overdue (at least 1).
        working_days: i64,
    },
    /// No form records this step, its due date has passed, and the case has moved on (a later
    /// step is done) or no form could record it.
    NotRecorded,
    /// A minimum period: it must last until at least the due date.
    KeepUntil,
    /// Not needed for this case (a form says so), and not done.
    NotRequired,
    /// The clock has not started: the start event has no date yet.
    Waiting {
        /// The event waited for.
        on: Event,
    },
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = |n: i64| {
            if n == 1 {
                "1 working day".to_owned()
            } else {
                format!("{n} working days")
            }
        };
        match self {
            Status::DoneOnTime => f.write_str("done on time"),
            Status::DoneLate { working_days } => write!(f, "done {} late", days(*working_days)),
            Status::Done => f.write_str("done"),
            Status::Planned {
                late_working_days: 0,
            } => f.write_str("planned, on time"),
            Status::Planned { late_working_days } => {
                write!(f, "planned, {} late", days(*late_working_days))
            }
            Status::DueIn { working_days: 0 } => f.write_str("due today"),
            Status::DueIn { working_days } => write!(f, "due in {}", days(*working_days)),
            Status::Overdue { working_days } => write!(f, "OVERDUE by {}", days(*working_days)),
            Status::NotRecorded => f.write_str("past (no form records it)"),
            Status::KeepUntil => f.write_str("keep until at least this date"),
            Status::NotRequired => f.write_str("not required for this case"),
            Status::Waiting { on } => write!(f, "waiting for {on}"),
        }
    }
}

/// One step of a case's timetable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The rule id.
    pub rule: String,
    /// What must happen.
    pub title: String,
    /// The due date, once the clock has started.
    pub due: Option<NaiveDate>,
    /// The date it was done (or is planned), if a form records it.
    pub done: Option<NaiveDate>,
    /// Where it stands.
    #[serde(flatten)]
    pub status: Status,
    /// The guidance the rule rests on.
    pub source: String,
}

/// Every step of a case on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timetable {
    /// The day the statuses are worked out for.
    pub today: NaiveDate,
    /// The steps, in the order of the configuration.
    pub steps: Vec<Step>,
    /// Anything the reader should know, such as forms that disagree on a date.
    pub notes: Vec<String>,
    /// Why late steps were late, by rule id, as the case's forms say
    /// ([`Config::explain_late`]).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub late_reasons: BTreeMap<String, String>,
}

impl Timetable {
    /// The step not yet done with the earliest due date (overdue steps first).
    pub fn next_due(&self) -> Option<&Step> {
        self.steps
            .iter()
            .filter(|step| matches!(step.status, Status::DueIn { .. } | Status::Overdue { .. }))
            .min_by_key(|step| step.due)
    }

    /// Why the step of rule `rule` was late, when a form says.
    pub fn late_reason(&self, rule: &str) -> Option<&str> {
        self.late_reasons.get(rule).map(String::as_str)
    }

    /// The steps done late, overdue or planned late.
    pub fn late(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|step| {
            matches!(
                step.status,
                Status::DoneLate { .. } | Status::Overdue { .. }
            ) || matches!(step.status, Status::Planned { late_working_days } if late_working_days > 0)
        })
    }
}

impl Config {
    /// The timetable of a case from the dates it has, as it stands on `today`.
    pub fn timetable(&self, events: &Events, today: NaiveDate) -> Result<Timetable, CalendarError> {
        self.calendar().is_working_day(today)?;
        let mut steps = self
            .rules()
            .iter()
            .map(|rule| self.step(rule, events, today))
            .collect::<Result<Vec<_>, _>>()?;
        // The case has moved past a step no form records when a later step is done: that step
        // is not recorded rather than overdue.
        for i in 0..steps.len() {
            let later_done = steps[i + 1..].iter().any(|step| step.done.is_some());
            if later_done && matches!(steps[i].status, Status::Overdue { .. }) {
                steps[i].status = Status::NotRecorded;
            }
        }
        Ok(Timetable {
            today,
            steps,
            notes: Vec::new(),
            late_reasons: BTreeMap::new(),
        })
    }

    /// Records on `timetable` why its late steps were late: the reason the forms give for the
    /// event that marks a step done, kept only for a step done late, overdue or planned late
    /// (a reason beside a step on time explains nothing).
    pub fn explain_late(&self, timetable: &mut Timetable, reasons: &LateReasons) {
        let explained: Vec<(String, String)> = timetable
            .late()
            .filter_map(|step| {
                let event = self.rule(&step.rule).ok()?.done_by?;
                let reason = reasons.get(&event)?;
                Some((step.rule.clone(), reason.clone()))
            })
            .collect();
        timetable.late_reasons.extend(explained);
    }

    fn step(&self, rule: &Rule, events: &Events, today: NaiveDate) -> Result<Step, CalendarError> {
        let due = self.deadline_of(rule, events)?;
        let done = rule.done_by.and_then(|event| events.get(&event).copied());
        let calendar = self.calendar_for(rule);
        let not_required = rule
            .not_required_after
            .is_some_and(|event| events.contains_key(&event));
        let status = match (due, done) {
            (_, None) if not_required => Status::NotRequired,
            (None, Some(_)) => Status::Done,
            (None, None) => Status::Waiting {
                on: self.start_event(rule),
            },
            (Some(_), _) if rule.kind == Kind::KeepUntil => Status::KeepUntil,
            (Some(due), Some(done)) if done > today => Status::Planned {
                late_working_days: self.working_days_late(rule, due, done)?,
            },
            (Some(due), Some(done)) => match self.working_days_late(rule, due, done)? {
                0 => Status::DoneOnTime,
                late => Status::DoneLate { working_days: late },
            },
            (Some(due), None) if due >= today => Status::DueIn {
                working_days: calendar.working_days_between(today, due)?,
            },
            (Some(_), None) if rule.done_by.is_none() => Status::NotRecorded,
            (Some(due), None) => Status::Overdue {
                working_days: self.working_days_late(rule, due, today)?,
            },
        };
        Ok(Step {
            rule: rule.id.clone(),
            title: rule.title.clone(),
            due,
            done,
            status,
            source: rule.source.clone(),
        })
    }
}

fn short(date: Option<NaiveDate>) -> String {
    date.map_or_else(|| "-".to_owned(), |d| d.format("%a %-d %b %Y").to_string())
}

impl fmt::Display for Timetable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .steps
            .iter()
            .map(|s| s.title.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        writeln!(f, "Timetable as at {}", self.today.format("%A %-d %B %Y"))?;
        writeln!(f)?;
        writeln!(
            f,
            "{:<width$}  {:<16}  {:<16}  Status",
            "Step", "Due", "Done"
        )?;
        for step in &self.steps {
            writeln!(
                f,
                "{:<width$}  {:<16}  {:<16}  {}",
                step.title,
                short(step.due),
                short(step.done),
                step.status
            )?;
        }
        writeln!(f)?;
        match self.next_due() {
            Some(step) => writeln!(
                f,
                "Next due: {} by {} ({}).",
                step.title,
                short(step.due),
                step.status
            )?,
            None => writeln!(f, "Nothing is due.")?,
        }
        let late: Vec<String> = self
            .late()
            .map(|s| match self.late_reason(&s.rule) {
                Some(reason) => format!("{} (reason given: {reason})", s.title),
                None => s.title.clone(),
            })
            .collect();
        if !late.is_empty() {
            writeln!(f, "Late: {}.", late.join("; "))?;
        }
        for note in &self.notes {
            writeln!(f, "Note: {note}")?;
        }
        Ok(())
    }
}
