//! What the report needs of one case: plain facts, filled by the caller from the case's forms.
//! The dates and the timetable steps, with why a late step was late, come from a case's
//! calendar events and timetable ([`CaseRecord::from_timetable`]; a timetable holds the forms'
//! reasons once [`crate::calendar::Config::explain_late`] has read them); what only a form's
//! fields say (death or serious harm, the categories of abuse, the rapid review's decision) the
//! caller adds.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{Event, Events, Status, Timetable};

/// What happened to the child (Children Act 2004, section 16C).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// The child died.
    Death,
    /// The child was seriously harmed.
    SeriousHarm,
}

/// A rapid review's decision and its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RapidReview {
    /// The decision as the rapid review record codes it, e.g. `lcspr`, `no-review`.
    pub decision: String,
    /// The date of the decision (the Rapid Review Group's meeting).
    pub date: NaiveDate,
}

/// One deadline step of a case's timetable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    /// The calendar rule's id, e.g. `notify-panel`.
    pub rule: String,
    /// The step in words.
    pub title: String,
    /// Its due date.
    pub due: NaiveDate,
    /// The date it was done, if it has been.
    pub done: Option<NaiveDate>,
    /// Why it was late, as a form records it (a `late-reason` of the form's `x-timetable`).
    pub late_reason: Option<String>,
}

/// The facts of one case the timeliness report counts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseRecord {
    /// The case reference.
    pub reference: String,
    /// Death or serious harm, once notified.
    pub origin: Option<Origin>,
    /// The categories of abuse or neglect known or suspected (codes or titles, as given).
    pub categories: Vec<String>,
    /// The date the Panel was notified (none for a case opened by referral).
    pub notified: Option<NaiveDate>,
    /// The rapid review's decision, once made.
    pub rapid_review: Option<RapidReview>,
    /// The date a local review was commissioned (the decision to hold one).
    pub review_commissioned: Option<NaiveDate>,
    /// The date its report was published.
    pub review_published: Option<NaiveDate>,
    /// The deadline steps that can be measured.
    pub steps: Vec<StepRecord>,
}

impl CaseRecord {
    /// The dates and steps of a case from its calendar `events` and its `timetable` on
    /// `today`; origin, categories and the rapid review's decision are left for the caller.
    /// A publication date still in the future is a plan, not a publication.
    pub fn from_timetable(reference: &str, events: &Events, timetable: &Timetable) -> Self {
        let today = timetable.today;
        CaseRecord {
            reference: reference.to_owned(),
            notified: events.get(&Event::NotificationSent).copied(),
            review_commissioned: events.get(&Event::RapidReviewDecision).copied(),
            review_published: events
                .get(&Event::Publication)
                .copied()
                .filter(|d| *d <= today),
            steps: steps_from(timetable),
            ..CaseRecord::default()
        }
    }
}

/// The steps of a timetable whose timeliness can be measured: those with a due date whose
/// completion a form records or which are still open. Left out: minimum periods (a report kept
/// public), steps not required for the case, steps not yet started, and steps no form records.
/// A date in the future on a form is a plan: the step is not done yet. A late step carries
/// the reason the timetable holds for it.
pub fn steps_from(timetable: &Timetable) -> Vec<StepRecord> {
    timetable
        .steps
        .iter()
        .filter_map(|step| {
            let due = step.due?;
            let done = match step.status {
                Status::DoneOnTime | Status::DoneLate { .. } | Status::Done => step.done,
                Status::Planned { .. } | Status::DueIn { .. } | Status::Overdue { .. } => None,
                Status::NotRecorded
                | Status::KeepUntil
                | Status::NotRequired
                | Status::Waiting { .. } => return None,
            };
            Some(StepRecord {
                rule: step.rule.clone(),
                title: step.title.clone(),
                due,
                done,
                late_reason: timetable.late_reason(&step.rule).map(str::to_owned),
            })
        })
        .collect()
}
