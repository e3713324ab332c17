//! CSPRP serious incident notification: the local authority's notice to the Child Safeguarding
//! Practice Review Panel (Children Act 2004 s16C; Working Together to Safeguard Children 2018,
//! chapter 4, paragraphs 10 to 14).

use crate::validate::rules::{Checker, age_on, uk_date, working_days};

const SOURCE_NOTIFY: &str = "Working Together to Safeguard Children 2018, chapter 4, paragraphs 10 to 12; Kent Practice Improvement Framework 2020";
const SOURCE_AGE: &str = "Children Act 2004 s16C (a child is a person under 18); Working Together to Safeguard Children 2023 (care leavers up to and including age 24)";

/// Oldest age at which a care leaver's death is still notified (Working Together 2023).
const CARE_LEAVER_MAX_AGE: i32 = 24;

/// The form's mandatory-content rules, beyond what its schema says.
pub(super) fn rules(c: &mut Checker<'_>) {
    c.not_before(
        "/incident/incident_date",
        "/incident/aware_date",
        "csprp-notification.aware-before-incident",
        SOURCE_NOTIFY,
    );
    c.not_before(
        "/incident/aware_date",
        "/notification/date",
        "csprp-notification.notified-before-aware",
        SOURCE_NOTIFY,
    );
    c.not_before(
        "/incident/incident_date",
        "/incident/date_of_death",
        "csprp-notification.death-before-incident",
        SOURCE_NOTIFY,
    );
    check_timeliness(c);
    for i in 0..c.len("/children") {
        let child = format!("/children/{i}");
        check_child_age(c, &child);
    }
}

/// A child was born on or before the incident and was under 18 then (a care leaver: up to 24).
fn check_child_age(c: &mut Checker<'_>, child: &str) {
    let Some(incident) = c.date("/incident/incident_date") else {
        return;
    };
    let dob_pointer = format!("{child}/date_of_birth");
    let age = match c.date(&dob_pointer) {
        Some(born) if born > incident => {
            let message = format!(
                "{} ({}) is after the date of the incident ({}). Please check both dates.",
                c.label(&dob_pointer),
                uk_date(born),
                uk_date(incident)
            );
            c.error(
                &dob_pointer,
                "csprp-notification.born-after-incident",
                SOURCE_NOTIFY,
                message,
            );
            return;
        }
        Some(born) => Some((age_on(born, incident), dob_pointer)),
        None => c
            .value(&format!("{child}/age_years"))
            .and_then(serde_json::Value::as_i64)
            .and_then(|age| i32::try_from(age).ok())
            .map(|age| (age, format!("{child}/age_years"))),
    };
    let Some((age, pointer)) = age else { return };
    let care_leaver = c.text(&format!("{child}/status")) == Some("care-leaver");
    if age >= 18 && !(care_leaver && age <= CARE_LEAVER_MAX_AGE) {
        let message = if care_leaver {
            format!(
                "The child was {age} at the incident. A care leaver's death is notified up to and including age {CARE_LEAVER_MAX_AGE}; please check the date of birth or age."
            )
        } else {
            format!(
                "The child was {age} at the incident, but this notification is for children under 18 (or care leavers up to {CARE_LEAVER_MAX_AGE}). Please check the date of birth or age, and the child's status."
            )
        };
        c.error(&pointer, "child.under-18", SOURCE_AGE, message);
    }
}

/// A notification after its deadline (5 working days from becoming aware) needs a reason.
fn check_timeliness(c: &mut Checker<'_>) {
    const REASON: &str = "/notification/lateness_reason";
    let Some(late) = c.late("notify-panel", "/notification/date") else {
        return;
    };
    if c.has_text(REASON) {
        return;
    }
    let message = format!(
        "The Panel was notified on {}, {} after the deadline of {} ({}). Please give the reason in \"{}\".",
        uk_date(late.done),
        working_days(late.working_days),
        uk_date(late.due),
        late.clock(),
        c.title(REASON),
    );
    let source = late.rule.source.clone();
    c.error(
        REASON,
        "csprp-notification.late-without-reason",
        &source,
        message,
    );
}
