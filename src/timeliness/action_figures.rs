//! The action figures of one period: raised, completed, by status, agency and source at the
//! period's end, and the overdue ones. An action's status at an earlier date is worked out from
//! its own dates ([`Action::status_on`]), so the previous period has the same figures.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::period::Period;
use crate::actions::{Action, SourceKind, Status};
use crate::calendar::WorkingCalendar;

/// An action overdue at the end of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueAction {
    /// The action's id.
    pub id: String,
    /// The owning agency's name.
    pub agency: String,
    /// The named lead, if any.
    pub lead: Option<String>,
    /// What must be done.
    pub action: String,
    /// Its due date.
    pub due: NaiveDate,
    /// Working days overdue at the period's end (at least 1).
    pub working_days_overdue: Option<i64>,
    /// Its status then.
    pub status: Status,
}

/// Counts of actions of one group (an agency, a source) at a period's end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct GroupTally {
    pub(super) actions: usize,
    pub(super) done: usize,
    pub(super) overdue: usize,
}

/// The action counts of one period.
#[derive(Debug, Clone, Default)]
pub(super) struct ActionTally {
    pub(super) raised: usize,
    pub(super) completed: usize,
    pub(super) by_status: BTreeMap<Status, usize>,
    pub(super) overdue: usize,
    pub(super) by_agency: BTreeMap<String, (String, GroupTally)>,
    pub(super) by_source: BTreeMap<SourceKind, GroupTally>,
    pub(super) overdue_ones: Vec<OverdueAction>,
}

/// The day a period's position is taken: its last day, or `today` if that is earlier (the
/// future is not known yet).
pub(super) fn position_day(period: &Period, today: NaiveDate) -> NaiveDate {
    period.to.min(today)
}

/// Counts the actions for `period`: raised and completed in it; held, done and overdue at its
/// end (overdue: past the due date and not completed or closed, as the red of a RAG table).
pub(super) fn tally(
    actions: &[Action],
    period: &Period,
    today: NaiveDate,
    calendar: &WorkingCalendar,
) -> ActionTally {
    let at = position_day(period, today);
    let mut t = ActionTally::default();
    for action in actions {
        if period.contains(action.raised_date) {
            t.raised += 1;
        }
        if action.done_date().is_some_and(|d| period.contains(d)) {
            t.completed += 1;
        }
        let Some(status) = action.status_on(at, today) else {
            continue;
        };
        *t.by_status.entry(status).or_default() += 1;
        let overdue = !status.is_done() && action.due_date.is_some_and(|due| due < at);
        let (_, agency) = t
            .by_agency
            .entry(action.agency.id.clone())
            .or_insert_with(|| (action.agency.name.clone(), GroupTally::default()));
        let source = t.by_source.entry(action.source.kind).or_default();
        for group in [agency, source] {
            group.actions += 1;
            group.done += usize::from(status.is_done());
            group.overdue += usize::from(overdue);
        }
        if let (true, Some(due)) = (overdue, action.due_date) {
            t.overdue += 1;
            t.overdue_ones.push(OverdueAction {
                id: action.id.clone(),
                agency: action.agency.name.clone(),
                lead: action.lead.clone(),
                action: action.action.clone(),
                due,
                working_days_overdue: calendar
                    .working_days_between(due, at)
                    .ok()
                    .map(|n| n.max(1)),
                status,
            });
        }
    }
    t.overdue_ones
        .sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
    t
}
