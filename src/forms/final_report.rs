//! Local child safeguarding practice review final report (Working Together 2018, 4.44-4.52;
//! Kent Practice Improvement Framework 2020).

use super::FormSpec;
use crate::validate::rules::Checker;

/// The form's place in the registry.
pub static SPEC: FormSpec = FormSpec {
    id: "final-report",
    schema: include_str!("../../schemas/final-report.schema.json"),
    rules,
};

const SOURCE_RECOMMENDATIONS: &str = "Kent Practice Improvement Framework 2020: recommendations should be clear on what is required of relevant agencies, collectively and individually, and by when";
const SOURCE_SCOPE: &str = "Working Together to Safeguard Children 2018, 4.44";

fn rules(c: &mut Checker<'_>) {
    c.not_before(
        "/scope_period/from",
        "/scope_period/to",
        "final-report.scope-period-order",
        SOURCE_SCOPE,
    );
    for i in 0..c.len("/recommendations") {
        check_recommendation(c, &format!("/recommendations/{i}"));
    }
}

/// Each recommendation names who must act and by when.
fn check_recommendation(c: &mut Checker<'_>, pointer: &str) {
    let number = c.value(&format!("{pointer}/number")).map_or_else(
        || "This recommendation".to_owned(),
        |n| format!("Recommendation {n}"),
    );
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
