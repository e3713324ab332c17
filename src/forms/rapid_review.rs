//! Rapid review record: the Rapid Review Group's facts, criteria, decision and reasons
//! (Working Together to Safeguard Children 2018, chapter 4, paragraphs 15 to 21; Kent Practice
//! Improvement Framework 2020, Appendix B).

use crate::validate::rules::{Checker, uk_date, working_days};

const SOURCE: &str = "Working Together to Safeguard Children 2018, chapter 4, paragraphs 20 and 21";
const SOURCE_SHARED: &str =
    "Working Together to Safeguard Children 2018, chapter 4, paragraphs 17, 21 and 25";
const SOURCE_DECISION: &str = "Working Together to Safeguard Children 2018, chapter 4, paragraphs 17 and 18; Kent Practice Improvement Framework 2020, Appendix B (clear reasons are required)";

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
    for told in [
        "/decision_shared/panel_ofsted_dfe_told_date",
        "/decision_shared/panel_response_date",
        "/decision_shared/family_told_date",
    ] {
        c.not_before(
            "/meeting_date",
            told,
            "rapid-review.decision-shared-before-meeting",
            SOURCE_SHARED,
        );
    }
    check_decision_consistent(c);
    check_timeliness(c);
    check_target(
        c,
        "tell-panel-ofsted-dfe",
        "/decision_shared/panel_ofsted_dfe_told_date",
        "/decision_shared/panel_ofsted_dfe_late_reason",
        "rapid-review.panel-ofsted-dfe-told-late",
        "The Panel, Ofsted and DfE were told of the local review",
    );
    check_target(
        c,
        "tell-family",
        "/decision_shared/family_told_date",
        "/decision_shared/family_late_reason",
        "rapid-review.family-told-late",
        "The family was told of the decision",
    );
}

/// A step the guidance asks for "as soon as" or "appropriately", done later than the
/// partnership's own target for it, is a warning naming the target, unless the record gives
/// the reason.
fn check_target(
    c: &mut Checker<'_>,
    rule_id: &str,
    date: &str,
    reason: &str,
    rule: &str,
    what: &str,
) {
    let Some(late) = c.late(rule_id, date) else {
        return;
    };
    if c.has_text(reason) {
        return;
    }
    let target = if late.rule.statutory {
        "it was due by"
    } else {
        "the partnership's own target was"
    };
    let message = format!(
        "{what} on {}, {} late: {target} {}, {}. Please give the reason in \"{}\".",
        uk_date(late.done),
        working_days(late.working_days),
        uk_date(late.due),
        late.clock(),
        c.title(reason),
    );
    let source = late.rule.source.clone();
    c.warning(date, rule, &source, message);
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
