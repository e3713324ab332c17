//! The service's own costs: one validate request through the whole router (token lookup,
//! body parsing, validation, problem middleware), a token lookup, and a durable submission
//! write to SQLite (WAL, full sync).

use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use tower::ServiceExt;

use safeguarding_forms::forms::Registry;
use safeguarding_forms::http::{AppState, Limits, router};
use safeguarding_forms::store::{
    self, AuditEvent, NewCase, NewSubmission, NewToken, Origin, Role, SubmissionStatus,
};

fn audit(action: &str) -> AuditEvent {
    AuditEvent {
        principal: "bench".into(),
        role: Role::Partnership,
        agency: None,
        action: action.into(),
        case: "KSCP-2026-014".into(),
        outcome: "ok".into(),
        detail: String::new(),
    }
}

fn sample() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/agency-summary/valid/kscp-2026-014-kent-police.json"
    );
    let text = std::fs::read_to_string(path).expect("the sample is readable");
    serde_json::from_str(&text).expect("the sample is JSON")
}

fn service(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}/bench.db", dir.path().display());
    let store = runtime
        .block_on(store::open(&url))
        .expect("the store opens");
    let (_, bearer) = runtime
        .block_on(store.create_token(
            NewToken {
                role: Role::Partnership,
                agency: None,
                created_by: "bench".into(),
                expires_at: None,
            },
            &audit("POST /tokens"),
        ))
        .expect("a token");
    runtime
        .block_on(store.create_case(
            NewCase {
                id: "KSCP-2026-014".into(),
                origin: Origin::Notification,
                aware_date: None,
                created_by: "bench".into(),
            },
            &audit("POST /cases"),
        ))
        .expect("a case");
    let app = router(
        AppState::new(
            Arc::new(Registry::load().expect("forms load")),
            store.clone(),
            safeguarding_forms::calendar::Config::embedded().expect("the calendar loads"),
            Limits::default(),
        )
        .expect("the templates compile"),
    );
    let body = serde_json::to_vec(&sample()).expect("encodes");

    c.bench_function("http: POST /forms/agency-summary/validate", |b| {
        b.iter(|| {
            let request = Request::post("/forms/agency-summary/validate")
                .header("authorization", format!("Bearer {bearer}"))
                .header("content-type", "application/json")
                .body(Body::from(body.clone()))
                .expect("a request");
            let response = runtime
                .block_on(app.clone().oneshot(request))
                .expect("an answer");
            assert_eq!(response.status(), 200);
        })
    });

    c.bench_function("store: authenticate a token (SQLite)", |b| {
        b.iter(|| {
            let found = runtime
                .block_on(store.authenticate(&bearer))
                .expect("looks up");
            assert!(found.is_some());
        })
    });

    c.bench_function(
        "store: add a submission durably (SQLite, WAL, full sync)",
        |b| {
            b.iter(|| {
                runtime
                    .block_on(store.add_submission(
                        NewSubmission {
                            case: "KSCP-2026-014".into(),
                            form: "agency-summary".into(),
                            agency: Some("kent-police".into()),
                            status: SubmissionStatus::Valid,
                            report: json!({"valid": true}),
                            body: sample(),
                            digest: None,
                            created_by: "bench".into(),
                            idempotency_key: None,
                        },
                        &audit("POST /cases/{id}/submissions"),
                    ))
                    .expect("stores")
            })
        },
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = service
}
criterion_main!(benches);
