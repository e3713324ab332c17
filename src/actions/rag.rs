//! Red, amber or green: where an action stands against its due date on a given day, as the
//! partnership's boards and scrutiny committees read an action plan.

use chrono::NaiveDate;
use serde::Serialize;

use super::record::Action;
use crate::calendar::{CalendarError, WorkingCalendar};

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rag {
    /// Overdue: past its due date and not completed or closed.
    Red,
    /// Due within the window (today included), or no due date agreed yet.
    Amber,
    /// On track: due after the window.
    Green,
    /// Completed or closed.
    Done,
}

impl Rag {
    /// The status in words.
    pub fn words(self) -> &'static str {
        match self {
            Rag::Red => "Red: overdue",
            Rag::Amber => "Amber: due soon",
            Rag::Green => "Green: on track",
            Rag::Done => "Done",
        }
    }
}

/// An action's RAG status with the working days to its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RagStatus {
    /// Red, amber, green or done.
    pub rag: Rag,
    /// Working days from today to the due date: 0 when due today, negative when overdue (at
    /// least 1 overdue the day after), `None` when done or no due date is agreed.
    pub working_days_left: Option<i64>,
}

/// The RAG status of `action` on `today`: red when overdue and not completed or closed, amber
/// when due within `due_soon` working days (counted on the partnership's `calendar`, so its
/// closure days count as they do for its own steps), green otherwise, done when completed or
/// closed. An action with no due date is amber: recommendations should say by when (Working
/// Together to Safeguard Children 2018, chapter 4, paragraph 37), so it needs attention.
pub fn rag(
    action: &Action,
    today: NaiveDate,
    due_soon: u32,
    calendar: &WorkingCalendar,
) -> Result<RagStatus, CalendarError> {
    if action.status.is_done() {
        return Ok(RagStatus {
            rag: Rag::Done,
            working_days_left: None,
        });
    }
    let Some(due) = action.due_date else {
        return Ok(RagStatus {
            rag: Rag::Amber,
            working_days_left: None,
        });
    };
    let left = calendar.working_days_between(today, due)?;
    let (rag, left) = if due < today {
        // Due on a Sunday and seen on the Monday is still a day overdue.
        (Rag::Red, left.min(-1))
    } else if left <= i64::from(due_soon) {
        (Rag::Amber, left)
    } else {
        (Rag::Green, left)
    };
    Ok(RagStatus {
        rag,
        working_days_left: Some(left),
    })
}
