//! Generates a partnership's worth of cases for benchmarks and tests: each case opened from a
//! sample notification whose dates are moved so that cases were notified on different days
//! (some overdue, some due soon, some on track), with agencies asked, some returns in and some
//! rapid reviews recorded. Written straight to the store, each write with its audit entry.

#![allow(dead_code)]

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};

use safeguarding_forms::calendar::Event;
use safeguarding_forms::forms::Registry;
use safeguarding_forms::store::{
    AuditEvent, NewCase, NewSubmission, Origin, Role, Store, SubmissionStatus,
};

/// The agencies a generated case asks: (id, name).
pub const AGENCIES: [(&str, &str); 3] = [
    ("kent-police", "Kent Police"),
    ("gp-nhs-england", "GP practice (NHS England primary care)"),
    (
        "kcc-childrens-social-care",
        "Kent County Council Children's Social Care",
    ),
];

fn sample(path: &str) -> Value {
    let full = format!("{}/samples/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(full).expect("a sample")).expect("JSON")
}

/// Every `YYYY-MM-DD` date in `value` (alone or at the start of a date-time) moved by `days`.
fn shift_dates(value: &mut Value, days: i64) {
    match value {
        Value::String(text) => {
            if let Some(date) = text
                .get(..10)
                .and_then(|head| NaiveDate::parse_from_str(head, "%Y-%m-%d").ok())
            {
                let moved = (date + Duration::days(days)).format("%Y-%m-%d").to_string();
                text.replace_range(..10, &moved);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| shift_dates(item, days)),
        Value::Object(fields) => fields.values_mut().for_each(|v| shift_dates(v, days)),
        _ => {}
    }
}

fn audit(case: &str, action: &str) -> AuditEvent {
    AuditEvent {
        principal: "fixture".into(),
        role: Role::Partnership,
        agency: None,
        action: action.into(),
        case: case.into(),
        outcome: "ok".into(),
        detail: String::new(),
    }
}

/// Opens `count` cases named `GEN-<n>`, the n-th notified `n * 3 % 120` days before `today`;
/// each asks [`AGENCIES`], has `n % 4` of their returns (at most all three) and, for every
/// fifth case, a rapid review record.
pub async fn generate(store: &dyn Store, registry: &Registry, count: usize, today: NaiveDate) {
    let notification = sample("csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json");
    let summary = sample("agency-summary/valid/kscp-2026-014-kent-police.json");
    let record = sample("rapid-review/valid/kscp-2026-014-lcspr.json");
    let form = registry
        .detect(&notification)
        .expect("the notification's form");
    let aware = *form
        .events(&notification)
        .get(&Event::Aware)
        .expect("the sample gives the day the partnership became aware");
    for n in 0..count {
        let reference = format!("GEN-{n:05}");
        let notified = today - Duration::days((n as i64 * 3) % 120);
        let days = (notified - aware).num_days();
        let mut opened = notification.clone();
        shift_dates(&mut opened, days);
        opened["case_reference"] = json!(reference);
        store
            .create_case(
                NewCase {
                    id: reference.clone(),
                    origin: Origin::Notification,
                    aware_date: Some(notified),
                    created_by: "fixture".into(),
                },
                &audit(&reference, "POST /cases"),
            )
            .await
            .expect("opens a generated case");
        let mut submissions = vec![(opened, None)];
        let agencies: Vec<(String, String)> = AGENCIES
            .iter()
            .map(|(id, name)| ((*id).to_owned(), (*name).to_owned()))
            .collect();
        store
            .ask_agencies(
                &reference,
                &agencies,
                "fixture",
                &audit(&reference, "POST /cases/{id}/agencies"),
            )
            .await
            .expect("asks the agencies");
        for (id, _) in AGENCIES.iter().take(n % 4) {
            let mut returned = summary.clone();
            shift_dates(&mut returned, days);
            returned["case_reference"] = json!(reference);
            submissions.push((returned, Some((*id).to_owned())));
        }
        if n % 5 == 0 {
            let mut recorded = record.clone();
            shift_dates(&mut recorded, days);
            recorded["case_reference"] = json!(reference);
            submissions.push((recorded, None));
        }
        for (body, agency) in submissions {
            let form = registry.detect(&body).expect("a known form");
            store
                .add_submission(
                    NewSubmission {
                        case: reference.clone(),
                        form: form.id().to_owned(),
                        agency,
                        status: SubmissionStatus::Valid,
                        report: json!({"valid": true, "findings": []}),
                        digest: Some(form.annotations().digest(&body)),
                        body,
                        created_by: "fixture".into(),
                        idempotency_key: None,
                    },
                    &audit(&reference, "POST /cases/{id}/submissions"),
                )
                .await
                .expect("stores a generated form");
        }
    }
}
