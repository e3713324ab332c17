//! The rules an action meets beyond its schema: a closed action carries the partnership's
//! sign-off, a completed or closed one shows what was done and its impact, and its dates agree
//! with its status.

use super::record::{Action, Status};
use super::schema::Compiled;
use crate::validate::text::{Weakness, weakness};
use crate::validate::{Finding, Severity, words};

/// Safeguarding partners audit progress and follow actions up until they have made a real
/// impact: closure is theirs to sign off.
const SOURCE_FOLLOW_UP: &str = "Working Together to Safeguard Children 2018, chapter 4, paragraph 43: the safeguarding partners should regularly audit progress on the implementation of recommended improvements, sustained through regular monitoring and follow up of actions so that the findings make a real impact";
/// The yearly report records the actions taken in its period and their impact.
const SOURCE_YEARLY_REPORT: &str = "Working Together to Safeguard Children 2018, chapter 3, paragraphs 41 and 42: the yearly report records the decisions and actions taken in the report's period to implement the recommendations of local and national reviews, including any resulting improvements, and evidence of their impact";
/// Recommendations say by when.
const SOURCE_BY_WHEN: &str = "Working Together to Safeguard Children 2018, chapter 4, paragraph 37: recommendations should be clear on what is required of relevant agencies and others, collectively and individually, and by when";

/// The findings of the rules on a well-formed action; `dates_ok` is false when a date was
/// already reported, so that the rules comparing dates stay silent.
pub(super) fn findings(compiled: &Compiled, action: &Action, dates_ok: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut error = |pointer: &str, rule: &str, source: &str, message: String| {
        out.push(compiled.finding(Severity::Error, pointer, rule, source.to_owned(), message));
    };
    let title = |pointer: &str| compiled.index.title(pointer);
    let status = action.status;
    match (&action.closure, status) {
        (None, Status::Closed) => error(
            "/closure",
            "action.closed-needs-sign-off",
            SOURCE_FOLLOW_UP,
            format!(
                "This action is closed, but no sign-off is recorded. Only the partnership closes an action: give who signed it off for the partnership and the date in \"{}\", or set the status back to Completed.",
                title("/closure")
            ),
        ),
        (Some(_), open) if open != Status::Closed => error(
            "/closure",
            "action.sign-off-only-when-closed",
            SOURCE_FOLLOW_UP,
            format!(
                "A closure sign-off is recorded, but the status is \"{open}\". Set the status to Closed, or remove the sign-off."
            ),
        ),
        _ => {}
    }
    if status.is_done() && action.progress.is_empty() && action.impact.is_none() {
        error(
            "/impact",
            "action.done-needs-evidence",
            SOURCE_YEARLY_REPORT,
            format!(
                "This action is marked \"{status}\", but it has no progress update and no evidence of impact. Say what was done in a progress update, and what difference it has made in \"{}\".",
                title("/impact")
            ),
        );
    }
    if status == Status::Completed && action.completed_date.is_none() {
        error(
            "/completed_date",
            "action.completed-needs-date",
            SOURCE_YEARLY_REPORT,
            format!(
                "This action is marked \"Completed\": give the date it was completed in \"{}\", so that the yearly report counts it in the right period.",
                title("/completed_date")
            ),
        );
    }
    if !status.is_done() && action.completed_date.is_some() {
        error(
            "/completed_date",
            "action.completed-date-but-open",
            SOURCE_YEARLY_REPORT,
            format!(
                "A completion date is recorded, but the status is \"{status}\". Set the status to Completed, or remove \"{}\".",
                title("/completed_date")
            ),
        );
    }
    if let Some(impact) = &action.impact
        && let Some(weak) = weakness(impact, 1)
    {
        let what = match weak {
            Weakness::Placeholder(text) => format!("says {}", words::quote(&text)),
            Weakness::PointsElsewhere => "points to another document".to_owned(),
            _ => "says nothing real".to_owned(),
        };
        error(
            "/impact",
            "action.impact-substantive",
            SOURCE_YEARLY_REPORT,
            format!(
                "\"{}\" {what}, which is not evidence of impact. Say what has changed for children and families and how the partnership knows, or leave it out until there is evidence.",
                title("/impact")
            ),
        );
    }
    if dates_ok
        && let (Some(closure), Some(done)) = (&action.closure, action.completed_date)
        && closure.date < done
    {
        error(
            "/closure/date",
            "action.sign-off-before-completion",
            SOURCE_FOLLOW_UP,
            format!(
                "The sign-off is dated {}, before the action was completed on {}. Please check the dates.",
                crate::dates::long(closure.date),
                crate::dates::long(done)
            ),
        );
    }
    if action.due_date.is_none() && !status.is_done() {
        out.push(compiled.finding(
            Severity::Warning,
            "/due_date",
            "action.due-date-agreed",
            SOURCE_BY_WHEN.to_owned(),
            "No due date is recorded. Agree with the agency when the action will be achieved, and record it.".to_owned(),
        ));
    }
    out
}
