//! Deadline rules as data: what starts each clock, how long it runs, what stops it, and the
//! guidance it rests on. The rules themselves live in `config/calendar.toml`.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::CalendarError;
use super::working_days::{WorkingCalendar, check_range};

/// Something that happens on a date in the life of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Event {
    /// The incident (death or serious harm).
    Incident,
    /// The local authority became aware of the incident.
    Aware,
    /// The local authority notified the Panel.
    NotificationSent,
    /// The local authority reported the incident to the partnership.
    PartnershipNotified,
    /// The partnership team sent agency summary requests.
    AgencySummariesRequested,
    /// The last agency summary came back.
    AgencySummariesReturned,
    /// The Rapid Review Group met.
    RapidReviewMeeting,
    /// The decision whether to hold a local review.
    RapidReviewDecision,
    /// The rapid review was sent to the Panel.
    RapidReviewSentToPanel,
    /// The Panel, Ofsted and DfE were told that a local review will be held (with the name of
    /// any reviewer commissioned).
    PanelOfstedDfeTold,
    /// The family was told of the decision and its rationale.
    FamilyTold,
    /// The final report was sent to the Panel.
    FinalReportSentToPanel,
    /// The final report was sent to the Secretary of State.
    FinalReportSentToSecretaryOfState,
    /// The final report (or information about improvements) was sent to Ofsted.
    FinalReportSentToOfsted,
    /// The final report (or information about improvements) was published.
    Publication,
    /// A form records that no rapid review is needed (e.g. a care leaver's death).
    RapidReviewNotRequired,
}

impl Event {
    /// The event in words, for sentences such as "5 working days after …".
    pub fn describe(self) -> &'static str {
        match self {
            Event::Incident => "the incident",
            Event::Aware => "the date the local authority became aware",
            Event::NotificationSent => "the notification to the Panel",
            Event::PartnershipNotified => "the report to the partnership",
            Event::AgencySummariesRequested => "the agency summary requests",
            Event::AgencySummariesReturned => "the return of the agency summaries",
            Event::RapidReviewMeeting => "the Rapid Review Group meeting",
            Event::RapidReviewDecision => "the decision to hold the review",
            Event::RapidReviewSentToPanel => "sending the rapid review to the Panel",
            Event::PanelOfstedDfeTold => "telling the Panel, Ofsted and DfE of the local review",
            Event::FamilyTold => "telling the family of the decision",
            Event::FinalReportSentToPanel => "sending the final report to the Panel",
            Event::FinalReportSentToSecretaryOfState => {
                "sending the final report to the Secretary of State"
            }
            Event::FinalReportSentToOfsted => "sending the final report to Ofsted",
            Event::Publication => "publication",
            Event::RapidReviewNotRequired => "the view that no rapid review is needed",
        }
    }

    /// When several forms give this event different dates, whether the latest counts (the
    /// last agency summary back) rather than the first form's date.
    pub fn latest_wins(self) -> bool {
        self == Event::AgencySummariesReturned
    }

    /// Whether the event happens only once every agency asked has done its part: the
    /// summaries are back when the last agency asked has returned one.
    pub fn needs_every_agency(self) -> bool {
        self == Event::AgencySummariesReturned
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// The dates a case has, by event.
pub type Events = BTreeMap<Event, NaiveDate>;

/// Why the step an event marks done was late, by event, as a case's forms say.
pub type LateReasons = BTreeMap<Event, String>;

/// Adds `more` (from the form called `form`) into `events`. Returns a sentence for each event
/// the two disagree on; the date already held is kept, except for events where the latest wins.
pub fn merge_events(events: &mut Events, more: Events, form: &str) -> Vec<String> {
    let mut conflicts = Vec::new();
    for (event, date) in more {
        match events.get(&event).copied() {
            None => {
                events.insert(event, date);
            }
            Some(held) if event.latest_wins() => {
                events.insert(event, held.max(date));
            }
            Some(held) if held != date => conflicts.push(format!(
                "The forms disagree on the date of {}: {} in an earlier form, {} in the {form}. The timetable uses {}.",
                event.describe(),
                crate::dates::long(held),
                crate::dates::long(date),
                crate::dates::long(held),
            )),
            Some(_) => {}
        }
    }
    conflicts
}

/// How a rule's length is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// Working days (no weekends, bank holidays or closure days).
    WorkingDays,
    /// Every day.
    CalendarDays,
    /// Calendar months (a day missing from the month, such as 31 February, becomes its end).
    Months,
}

impl Unit {
    /// "working days", "calendar days", "months" (singular when `n` is 1).
    pub fn words(self, n: i64) -> &'static str {
        match (self, n.abs() == 1) {
            (Unit::WorkingDays, true) => "working day",
            (Unit::WorkingDays, false) => "working days",
            (Unit::CalendarDays, true) => "calendar day",
            (Unit::CalendarDays, false) => "calendar days",
            (Unit::Months, true) => "month",
            (Unit::Months, false) => "months",
        }
    }
}

/// Whether a rule sets a latest date or a minimum period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Something must be done by the due date.
    #[default]
    Deadline,
    /// Something must last at least until the due date (e.g. a report kept public).
    KeepUntil,
}

/// One statutory or local clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id, e.g. `notify-panel`.
    pub id: String,
    /// What must happen, for people.
    pub title: String,
    /// The event that starts the clock.
    pub start: Event,
    /// How long the clock runs; negative counts back from the start ("at least N before").
    pub length: i64,
    /// The unit of `length`.
    pub unit: Unit,
    /// The event that marks the step done, if any form records one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_by: Option<Event>,
    /// Deadline (the default) or minimum period.
    #[serde(default)]
    pub kind: Kind,
    /// An event that makes the step unnecessary while it has not been done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_required_after: Option<Event>,
    /// The guidance the rule rests on.
    pub source: String,
    /// A deadline set by statute or statutory guidance: counted in working days as Working
    /// Together defines them ("any day which is not a Saturday, Sunday or Bank Holiday"), so a
    /// partnership's own closure days never move it; they move only its local steps.
    #[serde(default)]
    pub statutory: bool,
}

/// `start` moved by `length` units on `calendar`.
pub fn apply(
    calendar: &WorkingCalendar,
    start: NaiveDate,
    length: i64,
    unit: Unit,
) -> Result<NaiveDate, CalendarError> {
    check_range(start)?;
    let moved = match unit {
        Unit::WorkingDays => return calendar.add_working_days(start, length),
        Unit::CalendarDays => {
            let days = Days::new(length.unsigned_abs());
            if length < 0 {
                start.checked_sub_days(days)
            } else {
                start.checked_add_days(days)
            }
        }
        Unit::Months => {
            let months = u32::try_from(length.unsigned_abs())
                .map(Months::new)
                .map_err(|_| CalendarError::DateOverflow)?;
            if length < 0 {
                start.checked_sub_months(months)
            } else {
                start.checked_add_months(months)
            }
        }
    };
    let moved = moved.ok_or(CalendarError::DateOverflow)?;
    check_range(moved)?;
    Ok(moved)
}
