//! The case figures of one period: notifications, rapid reviews, local reviews and the
//! timeliness of each statutory step. One pass over the cases per period.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::period::Period;
use super::record::{CaseRecord, Origin, StepRecord};
use crate::calendar::Config;

/// A step done late, or overdue and not done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LateStep {
    /// The case.
    pub case_reference: String,
    /// The due date.
    pub due: NaiveDate,
    /// The date it was done; `None` when it is still not done.
    pub done: Option<NaiveDate>,
    /// Working days late (or overdue, to the report's day), on the rule's own calendar.
    pub working_days_late: Option<i64>,
    /// Why, as a form records it.
    pub reason: Option<String>,
}

/// The counts of one step in one period (steps due in the period).
#[derive(Debug, Clone, Default)]
pub(super) struct StepTally {
    pub(super) title: String,
    pub(super) due: usize,
    pub(super) on_time: usize,
    pub(super) late: usize,
    pub(super) overdue: usize,
    pub(super) not_yet_due: usize,
    pub(super) late_ones: Vec<LateStep>,
}

/// The case counts of one period.
#[derive(Debug, Clone, Default)]
pub(super) struct CaseTally {
    pub(super) notifications: usize,
    pub(super) deaths: usize,
    pub(super) serious_harm: usize,
    pub(super) origin_not_recorded: usize,
    pub(super) categories: BTreeMap<String, usize>,
    pub(super) rapid_reviews: usize,
    pub(super) decisions: BTreeMap<String, usize>,
    pub(super) commissioned: usize,
    pub(super) open_at_end: usize,
    pub(super) published: usize,
    pub(super) steps: BTreeMap<String, StepTally>,
}

/// Counts the cases for `period`, as the records stand on `today`. A notification counts in
/// the period of its date, a rapid review in that of its decision, a step in that of its due
/// date; a local review is open at the period's end when commissioned by then and not
/// published by then.
pub(super) fn tally(
    cases: &[CaseRecord],
    period: &Period,
    today: NaiveDate,
    calendar: &Config,
) -> CaseTally {
    let mut t = CaseTally::default();
    for case in cases {
        if let Some(notified) = case.notified
            && period.contains(notified)
        {
            t.notifications += 1;
            match case.origin {
                Some(Origin::Death) => t.deaths += 1,
                Some(Origin::SeriousHarm) => t.serious_harm += 1,
                None => t.origin_not_recorded += 1,
            }
            let mut counted: Vec<&str> = Vec::with_capacity(case.categories.len());
            for category in &case.categories {
                // A category given twice counts the case once.
                if !counted.contains(&category.as_str()) {
                    counted.push(category);
                    *t.categories.entry(category.clone()).or_default() += 1;
                }
            }
        }
        if let Some(review) = &case.rapid_review
            && period.contains(review.date)
        {
            t.rapid_reviews += 1;
            *t.decisions.entry(review.decision.clone()).or_default() += 1;
        }
        if let Some(commissioned) = case.review_commissioned {
            if period.contains(commissioned) {
                t.commissioned += 1;
            }
            let published_by_end = case.review_published.is_some_and(|p| p <= period.to);
            if commissioned <= period.to && !published_by_end {
                t.open_at_end += 1;
            }
        }
        if case.review_published.is_some_and(|p| period.contains(p)) {
            t.published += 1;
        }
        for step in case.steps.iter().filter(|s| period.contains(s.due)) {
            count_step(&mut t, &case.reference, step, today, calendar);
        }
    }
    t
}

fn count_step(
    t: &mut CaseTally,
    case: &str,
    step: &StepRecord,
    today: NaiveDate,
    calendar: &Config,
) {
    let tally = t
        .steps
        .entry(step.rule.clone())
        .or_insert_with(|| StepTally {
            title: step.title.clone(),
            ..StepTally::default()
        });
    tally.due += 1;
    let until = match step.done {
        Some(done) if done <= step.due => {
            tally.on_time += 1;
            return;
        }
        Some(done) => {
            tally.late += 1;
            done
        }
        None if step.due < today => {
            tally.overdue += 1;
            today
        }
        None => {
            tally.not_yet_due += 1;
            return;
        }
    };
    tally.late_ones.push(LateStep {
        case_reference: case.to_owned(),
        due: step.due,
        done: step.done,
        working_days_late: working_days_late(calendar, &step.rule, step.due, until),
        reason: step.late_reason.clone(),
    });
}

/// Working days from `due` to `until` on the rule's calendar (bank holidays only for a
/// statutory deadline), at least 1; `None` when the dates cannot be counted.
fn working_days_late(
    calendar: &Config,
    rule: &str,
    due: NaiveDate,
    until: NaiveDate,
) -> Option<i64> {
    match calendar.rule(rule) {
        Ok(rule) => calendar.working_days_late(rule, due, until).ok(),
        Err(_) => calendar
            .calendar()
            .working_days_between(due, until)
            .ok()
            .map(|n| n.max(1)),
    }
}
