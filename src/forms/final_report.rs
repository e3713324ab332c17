//! Local child safeguarding practice review final report (Working Together to Safeguard Children
//! 2018, chapter 4, paragraphs 30 to 41; Kent Practice Improvement Framework 2020).

use crate::validate::Severity;
use crate::validate::rules::{Checker, uk_date, working_days};
use crate::validate::words;

const SOURCE_RECOMMENDATIONS: &str = "Kent Practice Improvement Framework 2020: recommendations should be clear on what is required of relevant agencies, collectively and individually, and by when";
const SOURCE_SCOPE: &str =
    "Working Together to Safeguard Children 2018, chapter 4, paragraphs 32 and 33";

/// The form's mandatory-content rules, beyond what its schema says.
pub(super) fn rules(c: &mut Checker<'_>) {
    c.not_before(
        "/scope_period/from",
        "/scope_period/to",
        "final-report.scope-period-order",
        SOURCE_SCOPE,
    );
    for i in 0..c.len("/recommendations") {
        check_recommendation(c, &format!("/recommendations/{i}"));
    }
    check_publication_delay(c);
    check_published(c);
    let must = Notice {
        severity: Severity::Error,
        rule: "final-report.panel-notice-too-short",
        verb: "must",
    };
    check_notice(
        c,
        "final-report-to-panel",
        "/publication/sent_to_panel_date",
        "the Panel",
        &must,
    );
    check_notice(
        c,
        "final-report-to-secretary-of-state",
        "/publication/sent_to_secretary_of_state_date",
        "the Secretary of State",
        &must,
    );
    // Working Together says the partners "should" send it to Ofsted in the same timescale,
    // where the Panel and the Secretary of State "must" have it: a warning, not an error.
    check_notice(
        c,
        "final-report-to-ofsted",
        "/publication/sent_to_ofsted_date",
        "Ofsted",
        &Notice {
            severity: Severity::Warning,
            rule: "final-report.ofsted-notice-too-short",
            verb: "should",
        },
    );
}

/// The day a report was published cannot be after today: until it is, the planned day stands.
fn check_published(c: &mut Checker<'_>) {
    const PUBLISHED: &str = "/publication/published_date";
    let Some(published) = c.date(PUBLISHED) else {
        return;
    };
    if published <= c.context().today() {
        return;
    }
    let message = format!(
        "\"{}\" is {}, which has not come yet. Give it once the report is published; until then, give the day planned in \"{}\".",
        c.title(PUBLISHED),
        uk_date(published),
        c.title("/publication/planned_date"),
    );
    c.error(
        PUBLISHED,
        "final-report.published-after-today",
        "Working Together to Safeguard Children 2018, chapter 4, paragraph 38",
        message,
    );
}

/// How a notice before publication given too late is reported.
struct Notice {
    severity: Severity,
    rule: &'static str,
    /// "must" or "should", as the guidance words it.
    verb: &'static str,
}

/// Publication more than 6 months after the decision needs the reason for the delay (either
/// the report's own reason or the reason given to the Panel for delay by other proceedings).
fn check_publication_delay(c: &mut Checker<'_>) {
    const REASON: &str = "/publication/reason_for_delay";
    let Some(late) = c.late("publish-lcspr", "/publication/planned_date") else {
        return;
    };
    let explained = [REASON, "/publication/delay_reason_given_to_panel"]
        .iter()
        .any(|pointer| c.has_text(pointer));
    if explained {
        return;
    }
    let when = if c.has_text("/publication/published_date") {
        "The report was published on"
    } else {
        "Publication is planned for"
    };
    let message = format!(
        "{when} {}, more than {}: it was due by {}. Please give the reason in \"{}\".",
        uk_date(late.done),
        late.clock(),
        uk_date(late.due),
        c.title(REASON),
    );
    let source = late.rule.source.clone();
    c.error(
        REASON,
        "final-report.publication-delay-reason",
        &source,
        message,
    );
}

/// The full report must (or should) reach `whom` at least the rule's working days before
/// publication.
fn check_notice(c: &mut Checker<'_>, rule_id: &str, sent: &str, whom: &str, notice_of: &Notice) {
    let Some(late) = c.late(rule_id, sent) else {
        return;
    };
    let notice = late
        .start
        .signed_duration_since(late.done)
        .num_days()
        .max(0);
    let gap = match c.context().calendar() {
        Ok(config) => config
            .calendar_for(late.rule)
            .working_days_between(late.done, late.start)
            .unwrap_or(notice),
        Err(_) => notice,
    };
    let gap = if gap <= 0 {
        "no working days".to_owned()
    } else {
        format!("only {}", working_days(gap))
    };
    let message = format!(
        "The full report is sent to {whom} on {}, {gap} before publication on {}. It {} reach {whom} at least {} before publication, so by {}: please send it earlier or move the publication date.",
        uk_date(late.done),
        uk_date(late.start),
        notice_of.verb,
        late.length,
        uk_date(late.due),
    );
    let source = late.rule.source.clone();
    c.report(notice_of.severity, sent, notice_of.rule, &source, message);
}

/// Each recommendation names who must act and by when.
fn check_recommendation(c: &mut Checker<'_>, pointer: &str) {
    let number = match c.value(&format!("{pointer}/number")) {
        Some(serde_json::Value::String(n)) => format!("Recommendation {}", words::escape(n)),
        Some(serde_json::Value::Number(n)) => format!("Recommendation {}", words::number(n)),
        _ => "This recommendation".to_owned(),
    };
    let owners = format!("{pointer}/owner_agencies");
    let named = c
        .value(&owners)
        .and_then(serde_json::Value::as_array)
        .is_some_and(|agencies| {
            agencies
                .iter()
                .any(|a| a.as_str().is_some_and(|name| !name.trim().is_empty()))
        });
    if !named {
        c.error(
            &owners,
            "final-report.recommendation-owner",
            SOURCE_RECOMMENDATIONS,
            format!(
                "{number} does not say which agency or agencies must act on it. Please name them."
            ),
        );
    }
    let due = format!("{pointer}/due_date");
    if c.value(&due).is_none() {
        c.error(
            &due,
            "final-report.recommendation-date",
            SOURCE_RECOMMENDATIONS,
            format!("{number} does not say by when it must be done. Please give a date."),
        );
    }
}
