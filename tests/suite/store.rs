//! The case store: one suite, run against SQLite and against PostgreSQL.

use crate::support;

use std::sync::Arc;

use serde_json::json;

use safeguarding_forms::store::{
    AuditEvent, NewCase, NewSubmission, Origin, Role, Store, StoreError, SubmissionStatus,
};
use support::http_db::{Backend, TestDb};

fn case(id: &str) -> NewCase {
    NewCase {
        id: id.to_owned(),
        origin: Origin::Notification,
        aware_date: "2026-02-10".parse().ok(),
        created_by: "partnership-token".to_owned(),
    }
}

fn upload(case: &str, agency: Option<&str>, n: u32) -> NewSubmission {
    NewSubmission {
        case: case.to_owned(),
        form: "agency-summary".to_owned(),
        agency: agency.map(str::to_owned),
        status: SubmissionStatus::Valid,
        report: json!({"valid": true, "n": n}),
        body: json!({"form": "agency-summary", "n": n}),
        created_by: "agency-token".to_owned(),
    }
}

fn event(case: &str, action: &str) -> AuditEvent {
    AuditEvent {
        principal: "abc".to_owned(),
        role: Role::Partnership,
        agency: None,
        action: action.to_owned(),
        case: case.to_owned(),
        outcome: "ok".to_owned(),
    }
}

async fn cases_open_once_and_read_back(db: TestDb) {
    let store = &db.store;
    let opened = store
        .create_case(case("KSCP-2026-014"))
        .await
        .expect("opens");
    assert_eq!(
        opened.aware_date.map(|d| d.to_string()).as_deref(),
        Some("2026-02-10")
    );
    let again = store.create_case(case("KSCP-2026-014")).await;
    assert!(matches!(again, Err(StoreError::CaseExists(_))), "{again:?}");
    assert_eq!(
        store.case("KSCP-2026-014").await.expect("reads"),
        Some(opened)
    );
    assert_eq!(store.case("KSCP-2026-999").await.expect("reads"), None);
    store.ping().await.expect("pings");
}

async fn agencies_see_only_cases_they_were_asked_about(db: TestDb) {
    let store = &db.store;
    store.create_case(case("KSCP-1")).await.expect("opens");
    store.create_case(case("KSCP-2")).await.expect("opens");
    let police = ("kent-police".to_owned(), "Kent Police".to_owned());
    let gp = ("gp".to_owned(), "GP practice".to_owned());
    let asked = store
        .ask_agencies("KSCP-1", &[police.clone(), gp.clone()], "p")
        .await
        .expect("asks");
    assert_eq!(asked.len(), 2);
    // Asking again keeps one record per agency.
    store
        .ask_agencies("KSCP-1", std::slice::from_ref(&police), "p")
        .await
        .expect("asks");
    assert_eq!(store.agencies("KSCP-1").await.expect("lists").len(), 2);
    let missing = store.ask_agencies("KSCP-404", &[police], "p").await;
    assert!(matches!(missing, Err(StoreError::NoCase(_))), "{missing:?}");

    store
        .add_submission(upload("KSCP-1", Some("kent-police"), 1))
        .await
        .expect("stores");
    store
        .add_submission(upload("KSCP-1", Some("gp"), 2))
        .await
        .expect("stores");

    let all = store.list_cases(None).await.expect("lists");
    assert_eq!(
        all.iter().map(|c| c.case.id.as_str()).collect::<Vec<_>>(),
        ["KSCP-1", "KSCP-2"]
    );
    assert_eq!(all[0].submissions, 2);
    let police_view = store.list_cases(Some("kent-police")).await.expect("lists");
    assert_eq!(police_view.len(), 1);
    assert_eq!(police_view[0].case.id, "KSCP-1");
    assert_eq!(
        police_view[0].submissions, 1,
        "an agency counts only its own returns"
    );
    assert!(
        store
            .list_cases(Some("nobody"))
            .await
            .expect("lists")
            .is_empty()
    );
}

async fn submissions_are_versioned_and_never_overwritten(db: TestDb) {
    let store = &db.store;
    store.create_case(case("KSCP-3")).await.expect("opens");
    let first = store
        .add_submission(upload("KSCP-3", Some("kent-police"), 1))
        .await
        .expect("v1");
    let second = store
        .add_submission(upload("KSCP-3", Some("kent-police"), 2))
        .await
        .expect("v2");
    let other = store
        .add_submission(upload("KSCP-3", Some("gp"), 3))
        .await
        .expect("gp v1");
    assert_eq!((first.version, second.version, other.version), (1, 2, 1));

    let police = store
        .submissions("KSCP-3", Some("kent-police"))
        .await
        .expect("reads");
    assert_eq!(police, vec![first.clone(), second]);
    assert_eq!(police[0].body, json!({"form": "agency-summary", "n": 1}));
    assert_eq!(
        store
            .submissions("KSCP-3", None)
            .await
            .expect("reads")
            .len(),
        3
    );

    let missing = store.add_submission(upload("KSCP-404", None, 4)).await;
    assert!(matches!(missing, Err(StoreError::NoCase(_))), "{missing:?}");

    let update = db.raw("UPDATE submissions SET body = '{}'").await;
    assert!(
        update.is_err(),
        "an update of a stored submission must be refused"
    );
    let delete = db.raw("DELETE FROM submissions").await;
    assert!(
        delete.is_err(),
        "deleting a stored submission must be refused"
    );
    assert_eq!(
        store
            .submissions("KSCP-3", Some("kent-police"))
            .await
            .expect("reads")[0],
        first
    );
}

async fn concurrent_uploads_get_distinct_versions(db: TestDb) {
    let store: Arc<dyn Store> = db.store.clone();
    store.create_case(case("KSCP-4")).await.expect("opens");
    let tasks: Vec<_> = (0..12)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move { store.add_submission(upload("KSCP-4", Some("a"), n)).await })
        })
        .collect();
    let mut versions = Vec::new();
    for task in tasks {
        versions.push(task.await.expect("joins").expect("stores").version);
    }
    versions.sort_unstable();
    assert_eq!(versions, (1..=12).collect::<Vec<i64>>());
}

async fn audit_log_is_chained_and_tampering_shows(db: TestDb) {
    let store = &db.store;
    let mut entries = Vec::new();
    for (n, case) in ["KSCP-5", "KSCP-6", "KSCP-5"].into_iter().enumerate() {
        entries.push(
            store
                .audit(event(case, &format!("case.read.{n}")))
                .await
                .expect("audits"),
        );
    }
    assert_eq!(entries[1].prev_hash, entries[0].hash);
    assert_eq!(entries[0].prev_hash, "");
    let log = store.audit_log("KSCP-5").await.expect("reads");
    assert_eq!(log, vec![entries[0].clone(), entries[2].clone()]);
    assert_eq!(store.verify_audit().await.expect("verifies"), 3);

    assert!(db.raw("UPDATE audit SET outcome = 'denied'").await.is_err());
    assert!(db.raw("DELETE FROM audit").await.is_err());

    // Someone with the database owner's rights drops the guard and edits an entry.
    let dropped = match db.raw("DROP TRIGGER audit_no_update").await {
        Ok(_) => true,
        Err(_) => db
            .raw("DROP TRIGGER audit_append_only ON audit")
            .await
            .is_ok(),
    };
    assert!(dropped);
    db.raw("UPDATE audit SET principal = 'someone-else' WHERE seq = 2")
        .await
        .expect("edits once unguarded");
    let verdict = store.verify_audit().await;
    assert!(
        matches!(verdict, Err(StoreError::Tampered { seq: 2 })),
        "{verdict:?}"
    );
}

async fn concurrent_audit_keeps_one_chain(db: TestDb) {
    let store: Arc<dyn Store> = db.store.clone();
    let tasks: Vec<_> = (0..16)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move { store.audit(event("KSCP-7", &format!("a{n}"))).await })
        })
        .collect();
    for task in tasks {
        task.await.expect("joins").expect("audits");
    }
    assert_eq!(store.verify_audit().await.expect("verifies"), 16);
}

async fn tokens_are_stored_hashed_and_checked(db: TestDb) {
    let store = &db.store;
    let (token, bearer) = store
        .create_token(Role::Agency, Some("kent-police"))
        .await
        .expect("mints");
    assert!(bearer.starts_with(&format!("sf_{}_", token.id)));
    let found = store.authenticate(&bearer).await.expect("checks");
    assert_eq!(found, Some(token.clone()));

    let mut forged = bearer.clone();
    let last = if forged.ends_with('0') { "1" } else { "0" };
    forged.replace_range(forged.len() - 1.., last);
    assert_eq!(store.authenticate(&forged).await.expect("checks"), None);
    assert_eq!(store.authenticate("nonsense").await.expect("checks"), None);

    let secret = bearer.rsplit('_').next().unwrap_or_default().to_owned();
    let leaks = db
        .raw(&format!(
            "UPDATE tokens SET role = role WHERE secret_sha256 LIKE '%{secret}%'"
        ))
        .await
        .expect("queries");
    assert_eq!(leaks, 0, "the secret itself must never be stored");

    assert!(store.create_token(Role::Agency, None).await.is_err());
    assert!(
        store
            .create_token(Role::Partnership, Some("kent-police"))
            .await
            .is_err()
    );
    let (admin, _) = store.create_token(Role::Admin, None).await.expect("mints");
    assert_eq!(admin.agency, None);
}

macro_rules! suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(TestDb::new(Backend::Sqlite).await).await;
                }
            )*
        }
        mod postgres {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(TestDb::new(Backend::Postgres).await).await;
                }
            )*
        }
    };
}

suite!(
    cases_open_once_and_read_back,
    agencies_see_only_cases_they_were_asked_about,
    submissions_are_versioned_and_never_overwritten,
    concurrent_uploads_get_distinct_versions,
    audit_log_is_chained_and_tampering_shows,
    concurrent_audit_keeps_one_chain,
    tokens_are_stored_hashed_and_checked,
);
