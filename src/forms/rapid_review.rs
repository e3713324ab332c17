//! Rapid review record: the Rapid Review Group's facts, criteria, decision and reasons
//! (Working Together 2018, 4.12-4.13; Kent Practice Improvement Framework 2020, Appendix B).

use crate::validate::rules::{Checker, uk_date, working_days};

const SOURCE: &str = "Working Together to Safeguard Children 2018, 4.12-4.13";
const SOURCE_DECISION: &str = "Working Together to Safeguard Children 2018, 4.13; Kent Practice Improvement Framework 2020, Appendix B (clear reasons are required)";

/// The form's mandatory-content rules, beyond what its schema says.
pub(super) fn rules(c: &mut Checker<'_>) {
    c.not_before(
        "/notification_date",
        "/meeting_date",
        "rapid-review.meeting-before-notification",
        SOURCE,
    );
    c.not_before(
        "/meeting_date",
        "/sent_to_panel_date",
        "rapid-review.sent-before-meeting",
        SOURCE,
    );
    check_decision_consistent(c);
    check_timeliness(c);
}

/// A rapid review sent to the Panel after its deadline is a warning naming the working days
/// late, unless the record already gives the reason.
fn check_timeliness(c: &mut Checker<'_>) {
    const SENT: &str = "/sent_to_panel_date";
    let Some(late) = c.late("rapid-review-to-panel", SENT) else {
        return;
    };
    if c.has_text("/lateness_reason") {
        return;
    }
    let message = format!(
        "The rapid review was sent to the Panel on {}, {} late: it was due by {}, {}. Please give the reason in \"{}\".",
        uk_date(late.done),
        working_days(late.working_days),
        uk_date(late.due),
        late.clock(),
        c.title("/lateness_reason"),
    );
    let source = late.rule.source.clone();
    c.warning(SENT, "rapid-review.sent-late", &source, message);
}

/// A decision that the criteria are met but no review (or the reverse) needs a second look.
fn check_decision_consistent(c: &mut Checker<'_>) {
    let met = c
        .value("/decision/lcspr_criteria_met")
        .and_then(serde_json::Value::as_bool);
    let review = c.text("/decision/review_type");
    let message = match (met, review) {
        (Some(true), Some("no-review")) => {
            "The record says the criteria for a local child safeguarding practice review are met, but that no review will take place. Meeting the criteria does not require a review, but the reasons must say why none is needed; please check the decision."
        }
        (Some(false), Some("lcspr")) => {
            "The record says the criteria for a local child safeguarding practice review are not met, yet chooses one. Please check the decision and its reasons."
        }
        _ => return,
    };
    c.warning(
        "/decision/review_type",
        "rapid-review.decision-inconsistent",
        SOURCE_DECISION,
        message.to_owned(),
    );
}
