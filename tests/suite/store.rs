//! The case store: one suite, run against SQLite and against PostgreSQL.

use crate::support;

use std::sync::Arc;

use serde_json::json;

use safeguarding_forms::store::{
    AuditEvent, NewCase, NewSubmission, NewToken, Origin, Role, Scope, Store, StoreError,
    Submission, SubmissionStatus,
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
        digest: None,
        created_by: "agency-token".to_owned(),
        idempotency_key: None,
    }
}

/// Stores an upload with its audit entry, as the service does.
async fn store_upload(
    store: &Arc<dyn Store>,
    upload: NewSubmission,
) -> Result<Submission, StoreError> {
    let audit = event(&upload.case, "POST /cases/{id}/submissions");
    Ok(store.add_submission(upload, &audit).await?.submission)
}

fn new_token(role: Role, agency: Option<&str>) -> NewToken {
    NewToken {
        role,
        agency: agency.map(str::to_owned),
        created_by: "admin-token".to_owned(),
        expires_at: None,
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
        detail: String::new(),
    }
}

async fn cases_open_once_and_read_back(db: TestDb) {
    let store = &db.store;
    let opened = store
        .create_case(
            case("KSCP-2026-014"),
            &event("KSCP-2026-014", "POST /cases"),
        )
        .await
        .expect("opens");
    assert_eq!(
        opened.aware_date.map(|d| d.to_string()).as_deref(),
        Some("2026-02-10")
    );
    let again = store
        .create_case(
            case("KSCP-2026-014"),
            &event("KSCP-2026-014", "POST /cases"),
        )
        .await;
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
    store
        .create_case(case("KSCP-1"), &event("KSCP-1", "POST /cases"))
        .await
        .expect("opens");
    store
        .create_case(case("KSCP-2"), &event("KSCP-2", "POST /cases"))
        .await
        .expect("opens");
    let police = ("kent-police".to_owned(), "Kent Police".to_owned());
    let gp = ("gp".to_owned(), "GP practice".to_owned());
    let asked = store
        .ask_agencies(
            "KSCP-1",
            &[police.clone(), gp.clone()],
            "p",
            &event("KSCP-1", "POST /cases/{id}/agencies"),
        )
        .await
        .expect("asks");
    assert_eq!(asked.len(), 2);
    // Asking again keeps one record per agency.
    store
        .ask_agencies(
            "KSCP-1",
            std::slice::from_ref(&police),
            "p",
            &event("KSCP-1", "POST /cases/{id}/agencies"),
        )
        .await
        .expect("asks");
    assert_eq!(store.agencies("KSCP-1").await.expect("lists").len(), 2);
    let missing = store
        .ask_agencies(
            "KSCP-404",
            &[police],
            "p",
            &event("KSCP-404", "POST /cases/{id}/agencies"),
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NoCase(_))), "{missing:?}");

    store_upload(store, upload("KSCP-1", Some("kent-police"), 1))
        .await
        .expect("stores");
    store_upload(store, upload("KSCP-1", Some("gp"), 2))
        .await
        .expect("stores");

    let all = store.list_cases(Scope::All).await.expect("lists");
    assert_eq!(
        all.iter().map(|c| c.case.id.as_str()).collect::<Vec<_>>(),
        ["KSCP-1", "KSCP-2"]
    );
    assert_eq!(all[0].submissions, 2);
    let police_view = store
        .list_cases(Scope::Agency("kent-police"))
        .await
        .expect("lists");
    assert_eq!(police_view.len(), 1);
    assert_eq!(police_view[0].case.id, "KSCP-1");
    assert_eq!(
        police_view[0].submissions, 1,
        "an agency counts only its own returns"
    );
    assert!(
        store
            .list_cases(Scope::Agency("nobody"))
            .await
            .expect("lists")
            .is_empty()
    );
}

async fn submissions_are_versioned_and_never_overwritten(db: TestDb) {
    let store = &db.store;
    store
        .create_case(case("KSCP-3"), &event("KSCP-3", "POST /cases"))
        .await
        .expect("opens");
    let first = store_upload(store, upload("KSCP-3", Some("kent-police"), 1))
        .await
        .expect("v1");
    let second = store_upload(store, upload("KSCP-3", Some("kent-police"), 2))
        .await
        .expect("v2");
    let other = store_upload(store, upload("KSCP-3", Some("gp"), 3))
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

    let missing = store_upload(store, upload("KSCP-404", None, 4)).await;
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
    store
        .create_case(case("KSCP-4"), &event("KSCP-4", "POST /cases"))
        .await
        .expect("opens");
    let tasks: Vec<_> = (0..12)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move { store_upload(&store, upload("KSCP-4", Some("a"), n)).await })
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
        .create_token(
            new_token(Role::Agency, Some("kent-police")),
            &event("", "POST /tokens"),
        )
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

    assert!(
        store
            .create_token(new_token(Role::Agency, None), &event("", "POST /tokens"))
            .await
            .is_err()
    );
    assert!(
        store
            .create_token(
                new_token(Role::Partnership, Some("kent-police")),
                &event("", "POST /tokens")
            )
            .await
            .is_err()
    );
    let (admin, _) = store
        .create_token(new_token(Role::Admin, None), &event("", "POST /tokens"))
        .await
        .expect("mints");
    assert_eq!(admin.agency, None);
}

async fn writes_carry_their_audit_entry(db: TestDb) {
    let store = &db.store;
    store
        .create_case(case("KSCP-8"), &event("KSCP-8", "POST /cases"))
        .await
        .expect("opens");
    let stored = store_upload(store, upload("KSCP-8", Some("gp"), 1))
        .await
        .expect("stores");
    let log = store.audit_log("KSCP-8").await.expect("reads");
    let entry = log
        .iter()
        .find(|e| e.detail.starts_with(&format!("submission {}:", stored.id)))
        .unwrap_or_else(|| panic!("no audit entry for the upload: {log:?}"));
    let body_hash =
        safeguarding_forms::store::token::sha256_hex(stored.body.to_string().as_bytes());
    assert!(entry.detail.ends_with(&body_hash), "{}", entry.detail);
    assert!(!entry.detail.contains("\"n\""), "never the content itself");
    // A write that fails writes no audit entry either.
    let before = store.check_audit(None).await.expect("verifies").entries;
    assert!(
        store_upload(store, upload("KSCP-404", None, 2))
            .await
            .is_err()
    );
    assert_eq!(
        store.check_audit(None).await.expect("verifies").entries,
        before
    );
}

async fn a_retried_upload_with_the_same_key_is_stored_once(db: TestDb) {
    let store = &db.store;
    store
        .create_case(case("KSCP-9"), &event("KSCP-9", "POST /cases"))
        .await
        .expect("opens");
    let keyed = |n| NewSubmission {
        idempotency_key: Some("retry-1".to_owned()),
        ..upload("KSCP-9", Some("gp"), n)
    };
    let audit = event("KSCP-9", "POST /cases/{id}/submissions");
    let first = store
        .add_submission(keyed(1), &audit)
        .await
        .expect("stores");
    let again = store
        .add_submission(keyed(2), &audit)
        .await
        .expect("replays");
    assert!(!first.replayed);
    assert!(again.replayed);
    assert_eq!(
        again.submission, first.submission,
        "the first receipt, not a new version"
    );
    assert_eq!(
        store
            .submissions("KSCP-9", None)
            .await
            .expect("reads")
            .len(),
        1
    );
    // Another principal's key is its own.
    let other = NewSubmission {
        created_by: "another-token".to_owned(),
        ..keyed(3)
    };
    let theirs = store.add_submission(other, &audit).await.expect("stores");
    assert!(!theirs.replayed);
    assert_eq!(theirs.submission.version, 2);
}

async fn reviewers_see_only_cases_they_are_assigned(db: TestDb) {
    let store = &db.store;
    for id in ["KSCP-10", "KSCP-11"] {
        store
            .create_case(case(id), &event(id, "POST /cases"))
            .await
            .expect("opens");
    }
    let (reviewer, _) = store
        .create_token(new_token(Role::Reviewer, None), &event("", "POST /tokens"))
        .await
        .expect("mints");
    let (police, _) = store
        .create_token(
            new_token(Role::Agency, Some("kent-police")),
            &event("", "POST /tokens"),
        )
        .await
        .expect("mints");
    let assign = event("KSCP-10", "POST /cases/{id}/reviewers");
    store
        .assign_reviewer("KSCP-10", &reviewer.id, "p", &assign)
        .await
        .expect("assigns");
    let not_a_reviewer = store
        .assign_reviewer("KSCP-10", &police.id, "p", &assign)
        .await;
    assert!(
        matches!(not_a_reviewer, Err(StoreError::NoToken(_))),
        "{not_a_reviewer:?}"
    );
    assert_eq!(
        store.reviewers("KSCP-10").await.expect("reads"),
        std::slice::from_ref(&reviewer.id)
    );
    let seen = store
        .list_cases(Scope::Reviewer(&reviewer.id))
        .await
        .expect("lists");
    assert_eq!(
        seen.iter().map(|c| c.case.id.as_str()).collect::<Vec<_>>(),
        ["KSCP-10"]
    );
    assert!(
        store
            .list_cases(Scope::Reviewer("nobody"))
            .await
            .expect("lists")
            .is_empty()
    );
}

async fn tokens_expire_and_are_revoked(db: TestDb) {
    let store = &db.store;
    let soon = NewToken {
        expires_at: Some("2000-01-01T00:00:00.000000Z".to_owned()),
        ..new_token(Role::Partnership, None)
    };
    let (expired, bearer) = store
        .create_token(soon, &event("", "POST /tokens"))
        .await
        .expect("mints");
    let found = store
        .authenticate(&bearer)
        .await
        .expect("checks")
        .expect("known");
    assert!(
        !found.usable_at(&safeguarding_forms::store::now()),
        "expired"
    );
    let (live, live_bearer) = store
        .create_token(new_token(Role::Reviewer, None), &event("", "POST /tokens"))
        .await
        .expect("mints");
    assert_eq!(live.created_by, "admin-token");
    let revoked = store
        .revoke_token(&live.id, &event("", "DELETE /tokens/{id}"))
        .await
        .expect("revokes");
    assert!(revoked.revoked_at.is_some());
    let found = store
        .authenticate(&live_bearer)
        .await
        .expect("checks")
        .expect("known");
    assert!(
        !found.usable_at(&safeguarding_forms::store::now()),
        "revoked"
    );
    let listed = store.tokens().await.expect("lists");
    assert_eq!(
        listed.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        [expired.id.as_str(), live.id.as_str()]
    );
    let missing = store
        .revoke_token("0000000000000000", &event("", "DELETE /tokens/{id}"))
        .await;
    assert!(
        matches!(missing, Err(StoreError::NoToken(_))),
        "{missing:?}"
    );
    // Issuing and revoking are in the audit log, with the token's id (never its secret).
    let log = store.audit_log("").await.expect("reads");
    let details: Vec<&str> = log.iter().map(|e| e.detail.as_str()).collect();
    assert!(
        details
            .iter()
            .any(|d| d.starts_with(&format!("token {} (reviewer", live.id))),
        "{details:?}"
    );
    assert!(
        details.contains(&format!("token {} revoked", live.id).as_str()),
        "{details:?}"
    );
    assert!(
        !details.iter().any(|d| d.contains(&live_bearer)),
        "never a secret"
    );
}

/// Drops the append-only guard on the audit table, as a database owner could.
async fn unguard(db: &TestDb) {
    let dropped = match db.raw("DROP TRIGGER audit_no_update").await {
        Ok(_) => db.raw("DROP TRIGGER audit_no_delete").await.is_ok(),
        Err(_) => db
            .raw("DROP TRIGGER audit_append_only ON audit")
            .await
            .is_ok(),
    };
    assert!(dropped);
}

async fn a_sealed_log_shows_edits_recomputed_chains_and_cut_ends(db: TestDb) {
    let key = safeguarding_forms::store::AuditKey::from_bytes(&[7u8; 32], 0).expect("a key");
    let sealed = safeguarding_forms::store::open_sealed(&db.url, Some(key))
        .await
        .expect("opens sealed");
    for n in 0..5 {
        sealed
            .audit(event("KSCP-12", &format!("case.read.{n}")))
            .await
            .expect("audits");
    }
    let check = sealed.check_audit(None).await.expect("verifies");
    assert_eq!((check.entries, check.sealed_from), (5, Some(1)));
    let checkpoint = check.head.expect("a head");

    unguard(&db).await;
    // Cut the last entry off: the chain still holds, the checkpoint does not.
    db.raw("DELETE FROM audit WHERE seq = 5")
        .await
        .expect("deletes");
    db.raw("UPDATE audit_head SET seq = 4")
        .await
        .expect("rewinds");
    assert!(
        sealed.check_audit(None).await.is_ok(),
        "a cut end passes the chain alone"
    );
    let cut = sealed.check_audit(Some(&checkpoint)).await;
    assert!(
        matches!(cut, Err(StoreError::Truncated { seq: 5, .. })),
        "{cut:?}"
    );

    // Edit entry 2 and recompute the chain from there, as someone without the key would.
    let mut log = sealed.audit_log("KSCP-12").await.expect("reads");
    log[1].principal = "someone-else".to_owned();
    let mut prev = log[0].hash.clone();
    for entry in log.iter_mut().skip(1) {
        entry.prev_hash.clone_from(&prev);
        entry.hash = safeguarding_forms::store::audit_hash(entry);
        prev.clone_from(&entry.hash);
        db.raw(&format!(
            "UPDATE audit SET principal = '{}', prev_hash = '{}', hash = '{}' WHERE seq = {}",
            entry.principal, entry.prev_hash, entry.hash, entry.seq
        ))
        .await
        .expect("rewrites");
    }
    let unsealed = safeguarding_forms::store::open(&db.url)
        .await
        .expect("opens");
    assert!(
        unsealed.check_audit(None).await.is_ok(),
        "without the key it looks whole"
    );
    let recomputed = sealed.check_audit(None).await;
    assert!(
        matches!(recomputed, Err(StoreError::Unsealed { seq: 2 })),
        "{recomputed:?}"
    );
    // Blanking the seals does not pass for a log that was never sealed.
    db.raw("UPDATE audit SET mac = ''").await.expect("blanks");
    let blanked = sealed.check_audit(None).await;
    assert!(
        matches!(blanked, Err(StoreError::Unsealed { seq: 1 })),
        "{blanked:?}"
    );
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

fn action(id: &str, agency: &str) -> safeguarding_forms::actions::Action {
    serde_json::from_value(json!({
        "id": id,
        "source": {"kind": "audit", "reference": "Section 11 audit 2026"},
        "action": "Refresh the safeguarding supervision policy.",
        "agency": {"id": agency, "name": agency},
        "raised_date": "2026-11-02",
        "due_date": "2027-03-31",
        "status": "not-started"
    }))
    .expect("an action")
}

async fn actions_are_added_once_and_updated_from_their_latest_version(db: TestDb) {
    let store = &db.store;
    let audit = event("", "POST /actions");
    let first = [
        action("A-1", "kent-police"),
        action("A-2", "gp-nhs-england"),
    ];
    assert_eq!(
        store.add_actions(&first, "p", &audit).await.expect("adds"),
        2
    );
    let again = [action("A-1", "kent-police"), action("A-3", "kent-police")];
    assert_eq!(
        store.add_actions(&again, "p", &audit).await.expect("adds"),
        1
    );
    assert_eq!(
        store.add_actions(&first, "p", &audit).await.expect("adds"),
        0
    );
    assert_eq!(store.actions(None).await.expect("lists").len(), 3);
    let police = store.actions(Some("kent-police")).await.expect("lists");
    let ids: Vec<&str> = police.iter().map(|s| s.action.id.as_str()).collect();
    assert_eq!(ids, ["A-1", "A-3"]);

    let mut changed = action("A-1", "kent-police");
    changed.status = safeguarding_forms::actions::Status::InProgress;
    let stored = store
        .update_action(&changed, 1, "agency-token", &event("", "PUT /actions/{id}"))
        .await
        .expect("updates");
    assert_eq!(stored.version, 2);
    let held = store.action("A-1").await.expect("reads").expect("held");
    assert_eq!(held.version, 2);
    assert_eq!(held.action, changed);
    assert_eq!(held.updated_by, "agency-token");
    // A change made from version 1 again is refused: someone else's change is not overwritten.
    let stale = store
        .update_action(&changed, 1, "other", &event("", "PUT /actions/{id}"))
        .await
        .expect_err("stale");
    assert!(
        matches!(
            stale,
            StoreError::StaleAction {
                sent: 1,
                held: 2,
                ..
            }
        ),
        "{stale}"
    );
    assert!(stale.to_string().contains("now at version 2"), "{stale}");
    let missing = store
        .update_action(&action("A-9", "x"), 1, "p", &audit)
        .await
        .expect_err("none");
    assert!(matches!(missing, StoreError::NoAction(_)), "{missing}");
    assert!(store.action("A-9").await.expect("reads").is_none());

    // Each write has its entry: two adds that added, one update; none for the add of nothing or
    // the refused updates.
    let log = store.check_audit(None).await.expect("verifies");
    assert_eq!(log.entries, 3);
}

async fn a_final_report_and_its_actions_share_a_transaction(db: TestDb) {
    let store = &db.store;
    store
        .create_case(
            case("KSCP-2026-014"),
            &event("KSCP-2026-014", "POST /cases"),
        )
        .await
        .expect("opens");
    let derived = [action("KSCP-2026-014:R1:kent-police", "kent-police")];
    let mut report = upload("KSCP-2026-014", None, 1);
    report.idempotency_key = Some("k1".to_owned());
    let audit = event("KSCP-2026-014", "POST /cases/{id}/submissions");
    let (stored, added) = store
        .add_submission_with_actions(report.clone(), &derived, &audit)
        .await
        .expect("stores");
    assert_eq!(added, 1);
    assert!(!stored.replayed);
    // The retried upload is the first one back, and adds nothing.
    let (_, added) = store
        .add_submission_with_actions(report.clone(), &derived, &audit)
        .await
        .expect("replays");
    assert_eq!(added, 0);
    // A new version of the report with the same recommendations adds nothing either.
    report.idempotency_key = None;
    let (stored, added) = store
        .add_submission_with_actions(report, &derived, &audit)
        .await
        .expect("stores");
    assert_eq!((stored.submission.version, added), (2, 0));
    // A case that does not exist stores neither the report nor its actions.
    let orphan = upload("KSCP-NONE", None, 1);
    let other = [action("KSCP-NONE:R1:kent-police", "kent-police")];
    assert!(
        store
            .add_submission_with_actions(orphan, &other, &audit)
            .await
            .is_err()
    );
    assert!(
        store
            .action("KSCP-NONE:R1:kent-police")
            .await
            .expect("reads")
            .is_none()
    );
    let log = store.audit_log("KSCP-2026-014").await.expect("log");
    let details: Vec<&str> = log.iter().map(|e| e.detail.as_str()).collect();
    assert!(
        details.contains(&"actions added: KSCP-2026-014:R1:kent-police"),
        "{details:?}"
    );
}

suite!(
    actions_are_added_once_and_updated_from_their_latest_version,
    a_final_report_and_its_actions_share_a_transaction,
    cases_open_once_and_read_back,
    agencies_see_only_cases_they_were_asked_about,
    submissions_are_versioned_and_never_overwritten,
    concurrent_uploads_get_distinct_versions,
    audit_log_is_chained_and_tampering_shows,
    concurrent_audit_keeps_one_chain,
    tokens_are_stored_hashed_and_checked,
    writes_carry_their_audit_entry,
    a_retried_upload_with_the_same_key_is_stored_once,
    reviewers_see_only_cases_they_are_assigned,
    tokens_expire_and_are_revoked,
    a_sealed_log_shows_edits_recomputed_chains_and_cut_ends,
    audit_entries_arriving_together_share_a_transaction,
    a_list_of_cases_reads_each_forms_digest,
    a_draft_is_saved_only_over_the_one_its_writer_started_from,
);

/// The case overviews read each current form's digest, kept beside its whole answers; the
/// case's own reads give the whole answers; a form stored without a digest (before digests
/// were kept) is read whole.
async fn a_list_of_cases_reads_each_forms_digest(db: TestDb) {
    let store = &db.store;
    store
        .create_case(case("KSCP-12"), &event("KSCP-12", "POST /cases"))
        .await
        .expect("opens");
    let digested = NewSubmission {
        digest: Some(json!({"date_returned": "2026-02-20"})),
        ..upload("KSCP-12", Some("gp"), 1)
    };
    store_upload(store, digested).await.expect("stores");
    store_upload(store, upload("KSCP-12", Some("kent-police"), 2))
        .await
        .expect("stores");
    let overviews = store.case_overviews(Scope::All).await.expect("reads");
    let bodies: Vec<_> = overviews[0]
        .submissions
        .iter()
        .map(|s| (s.agency.clone(), s.body.clone()))
        .collect();
    assert_eq!(
        bodies,
        vec![
            (Some("gp".into()), json!({"date_returned": "2026-02-20"})),
            (
                Some("kent-police".into()),
                json!({"form": "agency-summary", "n": 2})
            ),
        ]
    );
    let whole = store
        .submissions("KSCP-12", Some("gp"))
        .await
        .expect("reads");
    assert_eq!(whole[0].body, json!({"form": "agency-summary", "n": 1}));
}

/// Reads' audit entries arriving together are committed together, in one chain, each reader
/// answered with its own entry.
async fn audit_entries_arriving_together_share_a_transaction(db: TestDb) {
    use safeguarding_forms::store::group_commit::AuditQueue;

    let queue = Arc::new(AuditQueue::new(db.store.clone()));
    let readers = 200;
    let mut waiting = Vec::new();
    for n in 0..readers {
        let queue = queue.clone();
        waiting.push(tokio::spawn(async move {
            queue
                .record(event(&format!("KSCP-{n}"), "GET /cases/{id}"))
                .await
        }));
    }
    let mut seqs = Vec::new();
    for (n, reader) in waiting.into_iter().enumerate() {
        let entry = reader
            .await
            .expect("the reader finishes")
            .expect("recorded");
        assert_eq!(
            entry.case,
            format!("KSCP-{n}"),
            "each reader gets its own entry"
        );
        seqs.push(entry.seq);
    }
    seqs.sort_unstable();
    seqs.dedup();
    assert_eq!(seqs.len(), readers, "every entry has a place of its own");
    assert_eq!(
        db.store.verify_audit().await.expect("verifies"),
        readers as i64
    );
    let transactions = queue.transactions();
    assert!(
        transactions < readers as u64 / 2,
        "{transactions} transactions for {readers} entries"
    );

    // When the transaction fails, every reader in it hears so and nothing of it is kept.
    let failing = match db.raw("ALTER TABLE audit RENAME TO audit_away").await {
        Ok(_) => queue.record(event("KSCP-x", "GET /cases/{id}")).await,
        Err(error) => panic!("the audit table can be moved away for the test: {error}"),
    };
    assert!(
        matches!(failing, Err(StoreError::AuditNotWritten(_))),
        "{failing:?}"
    );
    db.raw("ALTER TABLE audit_away RENAME TO audit")
        .await
        .expect("moves back");
    assert_eq!(
        db.store.verify_audit().await.expect("verifies"),
        readers as i64
    );
}

/// Two people start from the same draft (or from none) and save at once: exactly one is kept,
/// the other told; each save kept has its audit entry, the one refused none.
async fn a_draft_is_saved_only_over_the_one_its_writer_started_from(db: TestDb) {
    let store = &db.store;
    let draft = |by: &str, at: &str| safeguarding_forms::store::Draft {
        case: String::new(),
        form: "yearly-report".to_owned(),
        owner: String::new(),
        body: json!({"by": by}),
        updated_at: at.to_owned(),
        updated_by: by.to_owned(),
    };
    let audit = event("", "POST /reports/yearly/draft");
    for (since, at) in [
        (None, "2026-11-30T10:00:00.000001Z"),
        (
            Some("2026-11-30T10:00:00.000001Z"),
            "2026-11-30T10:00:01.000001Z",
        ),
    ] {
        let writers: Vec<_> = ["first", "second", "third"]
            .into_iter()
            .map(|by| {
                let store = Arc::clone(store);
                let audit = audit.clone();
                let draft = draft(by, at);
                let since = since.map(str::to_owned);
                tokio::spawn(async move {
                    store
                        .save_draft_over(&draft, since.as_deref(), &audit)
                        .await
                        .expect("no store error")
                })
            })
            .collect();
        let mut kept = 0;
        for writer in writers {
            if writer.await.expect("the writer ends") {
                kept += 1;
            }
        }
        assert_eq!(kept, 1, "from {since:?}: exactly one writer is kept");
        let held = store
            .draft("", "yearly-report", "")
            .await
            .expect("reads")
            .expect("a draft");
        assert_eq!(held.updated_at, at);
    }
    // From a moment no longer current: refused, the draft as it was.
    let stale = store
        .save_draft_over(
            &draft("late", "2026-11-30T11:00:00Z"),
            Some("2026-11-30T10:00:00.000001Z"),
            &audit,
        )
        .await
        .expect("no store error");
    assert!(!stale);
    let saves = store
        .audit_log("")
        .await
        .expect("the log")
        .into_iter()
        .filter(|e| e.detail.starts_with("draft of yearly-report saved"))
        .count();
    assert_eq!(saves, 2, "one entry per save kept");
}
