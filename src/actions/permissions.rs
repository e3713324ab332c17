//! Who may change an action. The plan (what must be done, by whom and by when) is the
//! partnership's; an agency reports the progress of its own actions (status up to completed,
//! dated updates, evidence of impact, its named lead); only the partnership closes an action,
//! because closing is its sign-off that the action has made the difference it was meant to
//! (Working Together to Safeguard Children 2018, chapter 4, paragraph 43).

use thiserror::Error;

use super::record::{Action, Status};

/// Who is changing an action, as the service's roles name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor<'a> {
    /// The partnership team.
    Partnership,
    /// An agency, by its id.
    Agency(&'a str),
    /// A reviewer: reads, never changes, actions.
    Reviewer,
}

/// Why a change to an action is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PermissionError {
    /// Only the partnership adds actions to the plan.
    #[error("Only the partnership adds actions to the plan.")]
    OnlyPartnershipAdds,
    /// An agency may change only its own actions.
    #[error(
        "This action belongs to {owner}. An agency can update only its own actions; please ask the partnership if it should be yours."
    )]
    NotYourAction {
        /// The owning agency's name.
        owner: String,
    },
    /// Only the partnership closes an action.
    #[error(
        "Only the partnership can close an action and sign off its closure. Mark it Completed, with the evidence of its impact, and the partnership will review it."
    )]
    OnlyPartnershipCloses,
    /// A closed action has been signed off.
    #[error(
        "This action has been closed and signed off by the partnership. Please ask the partnership to reopen it if more needs to be done."
    )]
    Closed,
    /// The plan itself is the partnership's.
    #[error(
        "Only the partnership can change {what}. An agency updates the status, progress, evidence of impact and named lead of its own actions."
    )]
    PlanIsThePartnerships {
        /// What the change touched, in words.
        what: &'static str,
    },
    /// Progress updates are a history: added to, never rewritten.
    #[error(
        "Earlier progress updates cannot be changed or removed; please add a new update instead."
    )]
    HistoryRewritten,
    /// Reviewers read actions.
    #[error("A reviewer can read actions but not change them.")]
    ReadOnly,
}

/// Whether `actor` may update `action` at all: the partnership any, an agency its own.
pub fn may_update(actor: Actor<'_>, action: &Action) -> bool {
    match actor {
        Actor::Partnership => true,
        Actor::Agency(id) => action.agency.id == id,
        Actor::Reviewer => false,
    }
}

/// Whether `actor` may close an action and sign off its closure: the partnership only.
pub fn may_close(actor: Actor<'_>) -> bool {
    actor == Actor::Partnership
}

/// Checks that `actor` may turn `before` (`None` for a new action) into `after`. The
/// partnership may make any change (the action must still pass [`super::validate()`]); an
/// agency only the progress of its own open actions.
pub fn check_change(
    actor: Actor<'_>,
    before: Option<&Action>,
    after: &Action,
) -> Result<(), PermissionError> {
    let agency = match actor {
        Actor::Partnership => return Ok(()),
        Actor::Reviewer => return Err(PermissionError::ReadOnly),
        Actor::Agency(agency) => agency,
    };
    let Some(before) = before else {
        return Err(PermissionError::OnlyPartnershipAdds);
    };
    if before.agency.id != agency {
        return Err(PermissionError::NotYourAction {
            owner: before.agency.name.clone(),
        });
    }
    if before.status == Status::Closed {
        return Err(PermissionError::Closed);
    }
    if after.status == Status::Closed || after.closure.is_some() {
        return Err(PermissionError::OnlyPartnershipCloses);
    }
    let plan = [
        (before.id != after.id, "the action's id"),
        (before.source != after.source, "where the action came from"),
        (before.action != after.action, "what the action is"),
        (before.agency != after.agency, "the agency responsible"),
        (before.raised_date != after.raised_date, "the date raised"),
        (before.due_date != after.due_date, "the due date"),
    ];
    if let Some((_, what)) = plan.iter().find(|(changed, _)| *changed) {
        return Err(PermissionError::PlanIsThePartnerships { what });
    }
    if !after.progress.starts_with(&before.progress) {
        return Err(PermissionError::HistoryRewritten);
    }
    Ok(())
}
