//! The partnership's timeliness and activity report for a period, across all its cases, beside
//! the period before it: notifications, rapid reviews and their decisions, local reviews,
//! each statutory step's share done on time with the late ones and why, and the actions on
//! review recommendations. What the yearly report of Working Together to Safeguard Children
//! 2018, chapter 3, paragraphs 41 and 42, draws on.
//!
//! - [`record`]: the plain facts of one case ([`CaseRecord`]), filled from its forms.
//! - [`period`]: periods, [`Figure`]s with their trend, on-time [`Share`]s.
//! - [`timeliness_report`]: the report, serialisable; [`csv`] writes it as CSV, [`document`]
//!   as a document for Word and PDF.
//!
//! Each period is one pass over the cases and one over the actions: 500 cases over three years,
//! with their actions, take about 3 ms in an unoptimised test build.

mod action_figures;
mod cases;
pub mod csv;
pub mod document;
pub mod period;
pub mod record;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::actions::{Action, SourceKind, Status};
use crate::calendar::Config;
pub use action_figures::OverdueAction;
pub use cases::LateStep;
pub use period::{Figure, Period, PeriodError, Share, Trend};
pub use record::{CaseRecord, Origin, RapidReview, StepRecord, steps_from};

/// A figure for one value of a breakdown (a category, a decision, a status).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breakdown {
    /// The value, as the records give it.
    pub key: String,
    /// What people call it, when the form's schema gives its code a title
    /// ([`TimelinessReport::name_codes`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The figure.
    pub figure: Figure,
}

impl Breakdown {
    /// Its title, or the key made readable ("extra-familial-harm": "Extra familial harm").
    pub fn words(&self) -> String {
        self.title.clone().unwrap_or_else(|| readable(&self.key))
    }
}

/// A code as words when no schema titles it: dashes and underscores as spaces, the first
/// letter capital.
pub fn readable(code: &str) -> String {
    let spaced = code.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// Notifications to the Panel, by the date of notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notifications {
    /// All notifications.
    pub total: Figure,
    /// Of a child's death.
    pub deaths: Figure,
    /// Of serious harm.
    pub serious_harm: Figure,
    /// With neither recorded.
    pub origin_not_recorded: Figure,
    /// By category of abuse or neglect (a case counts once in each of its categories).
    pub by_category: Vec<Breakdown>,
}

/// Rapid reviews, by the date of their decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RapidReviews {
    /// All decisions made.
    pub total: Figure,
    /// By decision.
    pub by_decision: Vec<Breakdown>,
}

/// Local child safeguarding practice reviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalReviews {
    /// Commissioned in the period.
    pub commissioned: Figure,
    /// Commissioned and not published at the period's end.
    pub open_at_end: Figure,
    /// Published in the period.
    pub published: Figure,
}

/// One statutory step's timeliness: the steps due in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepTimeliness {
    /// The calendar rule's id.
    pub rule: String,
    /// The step in words.
    pub title: String,
    /// Steps due in the period.
    pub due: Figure,
    /// Done by the due date.
    pub on_time: Figure,
    /// Done after it.
    pub late: Figure,
    /// Not done, and past the due date.
    pub overdue: Figure,
    /// Not done, and not yet due.
    pub not_yet_due: Figure,
    /// On time out of those done or overdue, as a whole percentage.
    pub on_time_share: Share,
    /// The late and overdue steps of the period reported on, with their reasons.
    pub late_ones: Vec<LateStep>,
}

/// One agency's or one source's actions at the period's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupActions {
    /// The agency's id, or the source kind's code.
    pub key: String,
    /// The agency's name, or the source kind in words.
    pub name: String,
    /// Actions held.
    pub actions: Figure,
    /// Of them, completed or closed.
    pub done: Figure,
    /// Of them, overdue.
    pub overdue: Figure,
}

/// Actions on review recommendations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionFigures {
    /// Raised in the period.
    pub raised: Figure,
    /// Completed in the period.
    pub completed: Figure,
    /// Held at the period's end, by status (key: the status code).
    pub by_status: Vec<Breakdown>,
    /// Overdue at the period's end.
    pub overdue: Figure,
    /// By owning agency.
    pub by_agency: Vec<GroupActions>,
    /// By source.
    pub by_source: Vec<GroupActions>,
    /// The actions overdue at the end of the period reported on, earliest due first.
    pub overdue_actions: Vec<OverdueAction>,
}

/// The timeliness and activity report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelinessReport {
    /// The period reported on.
    pub period: Period,
    /// The period before it, of the same length.
    pub previous_period: Period,
    /// The day the report was made: statuses stand as the records show them that day.
    pub today: NaiveDate,
    /// Notifications.
    pub notifications: Notifications,
    /// Rapid reviews.
    pub rapid_reviews: RapidReviews,
    /// Local reviews.
    pub local_reviews: LocalReviews,
    /// Each step of the timetable that falls due, in the calendar's order.
    pub steps: Vec<StepTimeliness>,
    /// Actions.
    pub actions: ActionFigures,
}

impl TimelinessReport {
    /// Gives each category and decision the title its form's schema gives its code
    /// ([`crate::forms::Registry::report_titles`]); a code without one keeps none.
    pub fn name_codes(&mut self, titles: &BTreeMap<String, String>) {
        for b in self
            .notifications
            .by_category
            .iter_mut()
            .chain(self.rapid_reviews.by_decision.iter_mut())
        {
            b.title = titles.get(&b.key).cloned();
        }
    }
}

/// The report on `cases` and `actions` for `period` and the period before it, as the records
/// stand on `today`. Working days (how late a step is) are counted on `calendar`: a statutory
/// deadline on bank holidays only, the partnership's own steps with its closure days too.
pub fn timeliness_report(
    cases: &[CaseRecord],
    actions: &[Action],
    period: Period,
    today: NaiveDate,
    calendar: &Config,
) -> Result<TimelinessReport, PeriodError> {
    let previous_period = period.previous()?;
    let now = cases::tally(cases, &period, today, calendar);
    let before = cases::tally(cases, &previous_period, today, calendar);
    let acts_now = action_figures::tally(actions, &period, today, calendar.calendar());
    let acts_before = action_figures::tally(actions, &previous_period, today, calendar.calendar());
    let fig = Figure::new;
    Ok(TimelinessReport {
        period,
        previous_period,
        today,
        notifications: Notifications {
            total: fig(now.notifications, before.notifications),
            deaths: fig(now.deaths, before.deaths),
            serious_harm: fig(now.serious_harm, before.serious_harm),
            origin_not_recorded: fig(now.origin_not_recorded, before.origin_not_recorded),
            by_category: breakdown(&now.categories, &before.categories),
        },
        rapid_reviews: RapidReviews {
            total: fig(now.rapid_reviews, before.rapid_reviews),
            by_decision: breakdown(&now.decisions, &before.decisions),
        },
        local_reviews: LocalReviews {
            commissioned: fig(now.commissioned, before.commissioned),
            open_at_end: fig(now.open_at_end, before.open_at_end),
            published: fig(now.published, before.published),
        },
        steps: steps(now.steps, &before.steps, calendar),
        actions: action_section(acts_now, &acts_before),
    })
}

/// A breakdown over every key either period has, in key order.
fn breakdown<K: Ord + ToString>(
    now: &BTreeMap<K, usize>,
    before: &BTreeMap<K, usize>,
) -> Vec<Breakdown> {
    let keys: BTreeSet<&K> = now.keys().chain(before.keys()).collect();
    keys.into_iter()
        .map(|key| Breakdown {
            key: key.to_string(),
            title: None,
            figure: Figure::new(
                now.get(key).copied().unwrap_or(0),
                before.get(key).copied().unwrap_or(0),
            ),
        })
        .collect()
}

fn steps(
    mut now: BTreeMap<String, cases::StepTally>,
    before: &BTreeMap<String, cases::StepTally>,
    calendar: &Config,
) -> Vec<StepTimeliness> {
    let empty = cases::StepTally::default();
    let mut rules: Vec<&String> = now.keys().chain(before.keys()).collect();
    rules.sort_by_key(|rule| {
        let position = calendar.rules().iter().position(|r| &r.id == *rule);
        (position.unwrap_or(usize::MAX), (*rule).clone())
    });
    rules.dedup();
    let rules: Vec<String> = rules.into_iter().cloned().collect();
    rules
        .into_iter()
        .map(|rule| {
            let current = now.remove(&rule).unwrap_or_default();
            let previous = before.get(&rule).unwrap_or(&empty);
            let fig = |f: fn(&cases::StepTally) -> usize| Figure::new(f(&current), f(previous));
            let measured = |t: &cases::StepTally| t.on_time + t.late + t.overdue;
            let title = if current.title.is_empty() {
                previous.title.clone()
            } else {
                current.title.clone()
            };
            StepTimeliness {
                rule,
                title,
                due: fig(|t| t.due),
                on_time: fig(|t| t.on_time),
                late: fig(|t| t.late),
                overdue: fig(|t| t.overdue),
                not_yet_due: fig(|t| t.not_yet_due),
                on_time_share: Share::new(fig(|t| t.on_time), fig(measured)),
                late_ones: current.late_ones,
            }
        })
        .collect()
}

fn action_section(
    now: action_figures::ActionTally,
    before: &action_figures::ActionTally,
) -> ActionFigures {
    let by_status = Status::ALL
        .iter()
        .map(|status| Breakdown {
            key: status.code().to_owned(),
            title: None,
            figure: Figure::new(
                now.by_status.get(status).copied().unwrap_or(0),
                before.by_status.get(status).copied().unwrap_or(0),
            ),
        })
        .collect();
    let group = |key: String,
                 name: String,
                 n: action_figures::GroupTally,
                 b: action_figures::GroupTally| {
        GroupActions {
            key,
            name,
            actions: Figure::new(n.actions, b.actions),
            done: Figure::new(n.done, b.done),
            overdue: Figure::new(n.overdue, b.overdue),
        }
    };
    let agencies: BTreeSet<&String> = now
        .by_agency
        .keys()
        .chain(before.by_agency.keys())
        .collect();
    let by_agency = agencies
        .into_iter()
        .map(|id| {
            let (name, n) = now.by_agency.get(id).cloned().unwrap_or_default();
            let (old_name, b) = before.by_agency.get(id).cloned().unwrap_or_default();
            let name = if name.is_empty() { old_name } else { name };
            group(id.clone(), name, n, b)
        })
        .collect();
    let by_source = SourceKind::ALL
        .iter()
        .filter(|kind| now.by_source.contains_key(kind) || before.by_source.contains_key(kind))
        .map(|kind| {
            let n = now.by_source.get(kind).copied().unwrap_or_default();
            let b = before.by_source.get(kind).copied().unwrap_or_default();
            group(kind.code().to_owned(), kind.title().to_owned(), n, b)
        })
        .collect();
    ActionFigures {
        raised: Figure::new(now.raised, before.raised),
        completed: Figure::new(now.completed, before.completed),
        by_status,
        overdue: Figure::new(now.overdue, before.overdue),
        by_agency,
        by_source,
        overdue_actions: now.overdue_ones,
    }
}

#[cfg(test)]
mod tests;
