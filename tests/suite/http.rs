//! The HTTP service over a real socket, against SQLite and against PostgreSQL: a case's whole
//! journey, every role on every route, agencies kept apart, and hostile input.

use crate::support;

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};

use safeguarding_forms::http::auth::{Action, POLICY, allowed};
use safeguarding_forms::http::{Limits, openapi::ApiDoc};
use safeguarding_forms::store::Role;
use support::http_app::{AGENCIES, App, assert_problem, sample};
use support::http_db::Backend;
use utoipa::OpenApi;

const CASE: &str = "KSCP-2026-014";

fn summary_of(agency: &str) -> Value {
    let file = match agency {
        "kcc-childrens-social-care" => "kscp-2026-014-kcc-childrens-social-care",
        "kent-police" => "kscp-2026-014-kent-police",
        "kent-community-health-nhs-ft" => "kscp-2026-014-kent-community-health",
        "gp-nhs-england" => "kscp-2026-014-gp",
        _ => "kscp-2026-014-east-kent-hospitals",
    };
    sample(&format!("agency-summary/valid/{file}.json"))
}

fn agencies_body(ids: &[&str]) -> Value {
    let agencies: Vec<Value> = AGENCIES
        .iter()
        .filter(|(id, _)| ids.contains(id))
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    json!({ "agencies": agencies })
}

/// Opens KSCP-2026-014 from its notification and asks the given agencies.
async fn open_case(app: &App, ids: &[&str]) {
    let notification = sample("csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json");
    let (status, receipt) = app.post("/cases", "partnership", &notification).await;
    assert_eq!(status, 201, "{receipt}");
    assert_eq!(receipt["status"], "valid", "{receipt}");
    let (status, asked) = app
        .post(
            &format!("/cases/{CASE}/agencies"),
            "partnership",
            &agencies_body(ids),
        )
        .await;
    assert_eq!(status, 200, "{asked}");
    app.assign_reviewer(CASE).await;
}

async fn whole_journey_from_notification_to_rapid_review(app: App) {
    let all: Vec<&str> = AGENCIES.iter().map(|(id, _)| *id).collect();
    open_case(&app, &all).await;

    let (_, case) = app.get(&format!("/cases/{CASE}"), "partnership").await;
    assert_eq!(
        case["outstanding"].as_array().map(Vec::len),
        Some(5),
        "{case}"
    );
    assert_eq!(case["status"], "awaiting agency returns (0 of 5 received)");

    // A first attempt with an error is kept as a draft, with its report.
    let draft = sample("agency-summary/invalid/period-order.json");
    let path = format!("/cases/{CASE}/submissions");
    let (status, receipt) = app.post(&path, "agency:kent-police", &draft).await;
    assert_eq!(status, 201, "{receipt}");
    assert_eq!(receipt["status"], "draft");
    assert_eq!(receipt["version"], 1);
    assert!(receipt["report"]["errors"].as_u64() > Some(0), "{receipt}");

    // Day 10 of the timetable is done only when the last agency asked has returned its summary.
    let day_10 = |case: &Value| {
        case["timetable"]["steps"]
            .as_array()
            .and_then(|steps| steps.iter().find(|s| s["rule"] == "kent-day-10-summaries"))
            .map(|step| step["done"].clone())
            .unwrap_or_else(|| panic!("no Day 10 step: {case}"))
    };
    for (n, (agency, _)) in AGENCIES.iter().enumerate() {
        let (status, receipt) = app
            .post(&path, &format!("agency:{agency}"), &summary_of(agency))
            .await;
        assert_eq!(status, 201, "{agency}: {receipt}");
        assert_eq!(receipt["status"], "valid", "{agency}: {receipt}");
        assert_eq!(receipt["agency"], *agency);
        let expected_version = if *agency == "kent-police" { 2 } else { 1 };
        assert_eq!(receipt["version"], expected_version, "{agency}");
        if n + 1 < AGENCIES.len() {
            let (_, case) = app.get(&format!("/cases/{CASE}"), "partnership").await;
            assert_eq!(day_10(&case), Value::Null, "{} of 5 back", n + 1);
        }
    }

    let (_, case) = app.get(&format!("/cases/{CASE}"), "partnership").await;
    assert_eq!(
        day_10(&case),
        "2026-02-27",
        "the last summary came back on 27 February"
    );
    assert_eq!(case["outstanding"], json!([]), "{case}");
    assert_eq!(case["status"], "all agency returns received");
    let versions = case["submissions"].as_array().map(Vec::len);
    assert_eq!(
        versions,
        Some(7),
        "notification + draft + five summaries: {case}"
    );
    assert!(
        case["agencies"]
            .as_array()
            .is_some_and(|a| a.iter().all(|a| a["received"] == true))
    );

    let record = sample("rapid-review/valid/kscp-2026-014-lcspr.json");
    let (status, receipt) = app.post(&path, "partnership", &record).await;
    assert_eq!(status, 201, "{receipt}");
    assert_eq!(receipt["status"], "valid", "{receipt}");
    let (_, case) = app.get(&format!("/cases/{CASE}"), "partnership").await;
    assert_eq!(case["status"], "rapid review recorded");
    let steps = case["timetable"]["steps"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!steps.is_empty(), "the case has a timetable: {case}");
    assert!(
        steps.iter().any(|step| step["due"].is_string()),
        "{steps:?}"
    );

    // The rapid review pack, in both formats, from the latest valid version of each return.
    for (format, media, magic) in [
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &b"PK"[..],
        ),
        ("pdf", "application/pdf", &b"%PDF"[..]),
    ] {
        let path = format!("/cases/{CASE}/documents/rapid-review-pack?format={format}");
        let response = app
            .send(Method::GET, &path, Some("partnership"), None)
            .await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let headers = response.headers().clone();
        assert_eq!(
            headers.get("content-type").and_then(|v| v.to_str().ok()),
            Some(media)
        );
        let disposition = headers
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            disposition.contains(&format!("KSCP-2026-014-rapid-review-pack.{format}")),
            "{disposition}"
        );
        let bytes = response.bytes().await.expect("the document");
        assert!(
            bytes.starts_with(magic),
            "{format} starts with its signature"
        );
        assert!(bytes.len() > 2000, "{format}: {} bytes", bytes.len());
    }
    let response = app
        .send(
            Method::GET,
            &format!("/cases/{CASE}/documents/rapid-review-pack"),
            Some("reviewer"),
            None,
        )
        .await;
    assert_problem(
        response,
        403,
        "a reviewer asking for the rapid review papers",
    )
    .await;
    let response = app
        .send(
            Method::GET,
            &format!("/cases/{CASE}/documents/final-report"),
            Some("partnership"),
            None,
        )
        .await;
    assert_problem(response, 409, "a final report before one is uploaded").await;
    let response = app
        .send(
            Method::GET,
            &format!("/cases/{CASE}/documents/..%2fsecrets"),
            Some("partnership"),
            None,
        )
        .await;
    assert_problem(response, 404, "an unknown document").await;

    let (_, list) = app.get("/cases", "partnership").await;
    assert_eq!(list[0]["id"], CASE);
    assert_eq!(list[0]["status"], "rapid review recorded");
    assert!(list[0].get("next_deadline").is_some(), "{list}");

    let (status, log) = app
        .get(&format!("/cases/{CASE}/audit"), "partnership")
        .await;
    assert_eq!(status, 200);
    let entries = log.as_array().cloned().unwrap_or_default();
    assert!(
        entries.len() >= 11,
        "every read and write recorded: {}",
        entries.len()
    );
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "POST /cases/{id}/submissions"
                && e["agency"] == "kent-police"
                && e["outcome"] == "draft")
    );
    let text = log.to_string();
    assert!(!text.contains("Lily"), "no form content in the audit log");
    assert!(app.db.store.verify_audit().await.is_ok());
}

/// The routes, each with the action the policy table knows it by.
fn routes(police_submission: i64, throwaway: &str) -> Vec<(Method, String, Action)> {
    let case = |rest: &str| format!("/cases/{CASE}{rest}");
    vec![
        (Method::GET, "/forms".into(), Action::ReadForms),
        (
            Method::GET,
            "/forms/agency-summary/schema".into(),
            Action::ReadForms,
        ),
        (
            Method::POST,
            "/forms/agency-summary/validate".into(),
            Action::Validate,
        ),
        (Method::POST, "/cases".into(), Action::CreateCase),
        (Method::GET, "/cases".into(), Action::ListCases),
        (Method::GET, case(""), Action::ReadCase),
        (Method::POST, case("/agencies"), Action::AskAgencies),
        (Method::POST, case("/submissions"), Action::Submit),
        (Method::GET, case("/submissions"), Action::ReadSubmissions),
        (
            Method::GET,
            case(&format!("/submissions/{police_submission}")),
            Action::ReadSubmissions,
        ),
        (Method::GET, case("/audit"), Action::ReadAudit),
        (
            Method::GET,
            case("/documents/final-report?format=docx"),
            Action::ReadDocument,
        ),
        (
            Method::POST,
            "/forms/agency-summary/render?format=docx".into(),
            Action::Render,
        ),
        (
            Method::GET,
            "/forms/agency-summary/blank.docx".into(),
            Action::ReadForms,
        ),
        (
            Method::GET,
            case("/forms/agency-summary/blank.docx"),
            Action::Submit,
        ),
        (Method::POST, "/reports/check".into(), Action::CheckReport),
        (Method::POST, case("/reports/check"), Action::CheckReport),
        (Method::POST, case("/reviewers"), Action::AssignReviewer),
        (Method::POST, "/tokens".into(), Action::CreateToken),
        (Method::GET, "/tokens".into(), Action::CreateToken),
        (
            Method::DELETE,
            format!("/tokens/{throwaway}"),
            Action::CreateToken,
        ),
        (Method::GET, "/audit/verify".into(), Action::CreateToken),
        (Method::GET, "/actions".into(), Action::ReadActions),
        (Method::POST, "/actions".into(), Action::AddAction),
        (
            Method::GET,
            format!("/actions/{POLICE_ACTION}"),
            Action::ReadActions,
        ),
        (
            Method::PUT,
            format!("/actions/{POLICE_ACTION}"),
            Action::UpdateAction,
        ),
        (
            Method::GET,
            "/reports/timeliness?format=csv".into(),
            Action::ReadTimeliness,
        ),
        (
            Method::POST,
            "/reports/yearly?format=json".into(),
            Action::YearlyReport,
        ),
        (
            Method::POST,
            "/reports/yearly/check".into(),
            Action::YearlyReport,
        ),
    ]
}

/// The action the sample final report's recommendation 2 gives Kent Police.
const POLICE_ACTION: &str = "KSCP-2026-014:R2:kent-police";

/// A body each role could rightly send to a route.
fn body_for(action: Action, who: &str, n: usize) -> Option<Value> {
    Some(match action {
        Action::Validate | Action::Render => summary_of("kent-police"),
        Action::CreateCase => json!({"referral": {
            "case_reference": format!("KSCP-REF-{n}"),
            "agency": {"id": "the-education-people", "name": "The Education People"},
            "reason": "A near miss in a school's response to a disclosure, referred for learning."
        }}),
        Action::AskAgencies => agencies_body(&["kent-police"]),
        Action::Submit => match who {
            "reviewer" => sample("final-report/valid/kscp-2026-014-child-l.json"),
            "partnership" => sample("rapid-review/valid/kscp-2026-014-lcspr.json"),
            _ => summary_of("kent-police"),
        },
        Action::CreateToken => json!({"role": "reviewer"}),
        Action::CheckReport => sample("final-report/valid/kscp-2026-014-child-l.json"),
        Action::YearlyReport => {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/yearly-report/complete.json"
            );
            let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
        }
        Action::AddAction => json!({
            "id": format!("NR-2026-{n}"),
            "source": {"kind": "national-review", "reference": "Child Protection in England (2022)"},
            "action": "Review the multi-agency response to domestic abuse referrals.",
            "agency": {"id": "kent-police", "name": "Kent Police"},
            "raised_date": "2026-11-02",
            "status": "not-started"
        }),
        _ => return None,
    })
}

async fn every_role_on_every_route(app: App) {
    open_case(&app, &["kent-police"]).await;
    let (_, receipt) = app
        .post(
            &format!("/cases/{CASE}/submissions"),
            "agency:kent-police",
            &summary_of("kent-police"),
        )
        .await;
    let police_submission = receipt["id"].as_i64().unwrap_or_default();
    // The final report's recommendations become the actions the action routes are tried on.
    let (status, receipt) = app
        .post(
            &format!("/cases/{CASE}/submissions"),
            "partnership",
            &sample("final-report/valid/kscp-2026-014-child-l.json"),
        )
        .await;
    assert_eq!(status, 201, "{receipt}");
    let table = routes(police_submission, app.token_id("throwaway"));

    let routed: HashSet<Action> = table.iter().map(|(_, _, a)| *a).collect();
    for (action, _) in POLICY {
        assert!(
            routed.contains(action),
            "{action:?} has no route in the test table"
        );
    }

    // The table itself, pinned: who must never do what, whatever the table is edited to say.
    for (action, role) in [
        (Action::ReadCase, Role::Admin),
        (Action::ReadAudit, Role::Agency),
        (Action::ReadAudit, Role::Reviewer),
        (Action::CreateCase, Role::Agency),
        (Action::AskAgencies, Role::Agency),
        (Action::AssignReviewer, Role::Agency),
        (Action::AssignReviewer, Role::Reviewer),
        (Action::CreateToken, Role::Partnership),
        (Action::CreateToken, Role::Agency),
        (Action::ReadTimeliness, Role::Agency),
        (Action::ReadTimeliness, Role::Reviewer),
        (Action::YearlyReport, Role::Agency),
        (Action::YearlyReport, Role::Reviewer),
        (Action::YearlyReport, Role::Admin),
        (Action::AddAction, Role::Agency),
        (Action::ReadActions, Role::Reviewer),
        (Action::UpdateAction, Role::Reviewer),
    ] {
        assert!(!allowed(action, role), "{role} must not {action:?}");
    }

    let who: [(Option<&str>, Option<Role>); 9] = [
        (None, None),
        (Some("expired"), None),
        (Some("revoked"), None),
        (Some("partnership"), Some(Role::Partnership)),
        (Some("reviewer"), Some(Role::Reviewer)),
        (Some("reviewer:unassigned"), Some(Role::Reviewer)),
        (Some("admin"), Some(Role::Admin)),
        (Some("agency:kent-police"), Some(Role::Agency)),
        (Some("agency:stranger-agency"), Some(Role::Agency)),
    ];
    let assign = json!({"reviewer": app.token_id("reviewer")});
    let mut n = 0;
    for (method, path, action) in &table {
        for (name, role) in who {
            n += 1;
            let what = format!("{method} {path} as {name:?}");
            let body = match action {
                Action::AssignReviewer => Some(assign.clone()),
                // The action as it stands, unchanged: a change any who may update may make.
                Action::UpdateAction => Some(app.get(path, "partnership").await.1),
                _ => body_for(*action, name.unwrap_or_default(), n),
            };
            let response = app.send(method.clone(), path, name, body.as_ref()).await;
            let status = response.status().as_u16();
            let on_case = path.starts_with("/cases/");
            let Some(role) = role else {
                assert_problem(response, 401, &what).await;
                continue;
            };
            let outsider = matches!(name, Some("agency:stranger-agency" | "reviewer:unassigned"));
            if (outsider && on_case)
                || (name == Some("agency:stranger-agency") && path.starts_with("/actions/"))
            {
                // Not asked about the case, not assigned to it, or another agency's action: not
                // even its existence may show.
                assert_problem(response, 404, &what).await;
            } else if !allowed(*action, role) {
                assert_problem(response, 403, &what).await;
            } else if role == Role::Reviewer && path.contains("/submissions/") {
                // Reviewers see final reports only.
                assert_problem(response, 404, &what).await;
            } else {
                assert!(
                    (200..300).contains(&status),
                    "{what}: allowed, got {status}"
                );
            }
        }
    }
}

async fn agencies_cannot_see_or_overwrite_each_other(app: App) {
    open_case(&app, &["kent-police", "gp-nhs-england"]).await;
    let other = sample("csprp-notification/valid/kscp-2026-021-child-m-looked-after-death.json");
    let (status, _) = app.post("/cases", "partnership", &other).await;
    assert_eq!(status, 201);
    let (status, _) = app
        .post(
            "/cases/KSCP-2026-021/agencies",
            "partnership",
            &agencies_body(&["kcc-childrens-social-care"]),
        )
        .await;
    assert_eq!(status, 200);

    let submissions = format!("/cases/{CASE}/submissions");
    let (_, gp) = app
        .post(
            &submissions,
            "agency:gp-nhs-england",
            &summary_of("gp-nhs-england"),
        )
        .await;
    let (_, police) = app
        .post(
            &submissions,
            "agency:kent-police",
            &summary_of("kent-police"),
        )
        .await;
    let gp_id = gp["id"].as_i64().unwrap_or_default();

    let police_token = "agency:kent-police";
    let (_, list) = app.get("/cases", police_token).await;
    let ids: Vec<&str> = list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(ids, [CASE], "an agency lists only cases it was asked about");

    for path in [
        "/cases/KSCP-2026-021",
        "/cases/KSCP-2026-021/submissions",
        "/cases/KSCP-2026-021/audit",
    ] {
        let response = app.send(Method::GET, path, Some(police_token), None).await;
        assert_problem(response, 404, path).await;
    }
    let response = app
        .send(
            Method::POST,
            "/cases/KSCP-2026-021/submissions",
            Some(police_token),
            Some(&summary_of("kent-police")),
        )
        .await;
    assert_problem(response, 404, "upload to a case not asked about").await;

    let (_, own) = app.get(&submissions, police_token).await;
    let own = own.as_array().cloned().unwrap_or_default();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["id"], police["id"]);

    let response = app
        .send(
            Method::GET,
            &format!("{submissions}/{gp_id}"),
            Some(police_token),
            None,
        )
        .await;
    assert_problem(response, 404, "another agency's return").await;
    let (status, mine) = app
        .get(&format!("{submissions}/{}", police["id"]), police_token)
        .await;
    assert_eq!(status, 200);
    assert_eq!(mine["body"]["agency"]["id"], "kent-police");

    let response = app
        .send(
            Method::POST,
            &submissions,
            Some(police_token),
            Some(&summary_of("gp-nhs-england")),
        )
        .await;
    assert_problem(response, 403, "a return naming another agency").await;
    let gp_versions = app
        .db
        .store
        .submissions(CASE, Some("gp-nhs-england"))
        .await
        .expect("reads");
    assert_eq!(gp_versions.len(), 1, "the GP's return is untouched");

    let (_, case) = app.get(&format!("/cases/{CASE}"), police_token).await;
    let agencies: Vec<&str> = case["agencies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["id"].as_str())
        .collect();
    assert_eq!(agencies, ["kent-police"]);
    assert!(
        case["submissions"]
            .as_array()
            .is_some_and(|s| s.iter().all(|s| s["agency"] == "kent-police"))
    );
}

async fn bad_input_gets_problems_never_500(app: App) {
    open_case(&app, &["kent-police"]).await;
    let token = app.token("partnership").to_owned();
    let url = |path: &str| format!("{}{path}", app.base);
    let submissions = url(&format!("/cases/{CASE}/submissions"));
    let raw = |target: String, content_type: &'static str, body: Vec<u8>| {
        app.client
            .post(target)
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(body)
    };

    let response = raw(
        submissions.clone(),
        "application/json",
        b"{\"form\": ".to_vec(),
    )
    .send()
    .await
    .expect("answers");
    let detail = assert_problem(response, 400, "malformed JSON").await;
    assert!(detail.contains("line 1"), "{detail}");

    let response = raw(submissions.clone(), "text/plain", b"{}".to_vec())
        .send()
        .await
        .expect("answers");
    assert_problem(response, 415, "wrong content type").await;

    let response = raw(
        submissions.clone(),
        "application/json",
        vec![0xff, 0xfe, b'{'],
    )
    .send()
    .await
    .expect("answers");
    assert_problem(response, 400, "not UTF-8").await;

    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    let response = raw(submissions.clone(), "application/json", deep.into_bytes())
        .send()
        .await
        .expect("answers");
    assert_problem(response, 400, "nested too deep").await;

    let (status, head, body) = hundred_megabytes(&app, &token).await;
    assert_eq!(status, 413, "a 100 MB body: {head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/problem+json"),
        "{head}"
    );
    assert!(body.contains("larger than this service accepts"), "{body}");

    let response = app
        .send(
            Method::POST,
            "/forms/no-such-form/validate",
            Some("partnership"),
            Some(&json!({})),
        )
        .await;
    assert_problem(response, 404, "unknown form").await;
    let response = app
        .send(
            Method::POST,
            &format!("/cases/{CASE}/submissions"),
            Some("partnership"),
            Some(&json!({"form": "no-such-form"})),
        )
        .await;
    assert_problem(response, 422, "submission of an unknown form").await;
    let response = app
        .send(
            Method::POST,
            &format!("/cases/{CASE}/submissions"),
            Some("partnership"),
            Some(&json!([1, 2])),
        )
        .await;
    assert_problem(response, 422, "not an object").await;

    for path in [
        "/cases/..%2f..%2fetc%2fpasswd",
        "/cases/..%2f..%2fetc%2fpasswd/audit",
        "/cases/%2e%2e/submissions",
        "/forms/..%2f..%2fschemas%2fagency-summary/schema",
        "/cases/KSCP-2026-014%00/audit",
        "/no/such/route",
    ] {
        let response = app.send(Method::GET, path, Some("partnership"), None).await;
        assert_problem(response, 404, path).await;
    }
    let response = app
        .send(
            Method::DELETE,
            &format!("/cases/{CASE}"),
            Some("partnership"),
            None,
        )
        .await;
    assert_problem(response, 405, "DELETE of a case").await;

    let bad_date = json!({"referral": {
        "case_reference": "KSCP-REF-1",
        "agency": {"id": "kent-police", "name": "Kent Police"},
        "reason": "A near miss worth learning from, referred by the police.",
        "aware_date": "2025-02-30"
    }});
    let response = app
        .send(Method::POST, "/cases", Some("partnership"), Some(&bad_date))
        .await;
    assert_problem(response, 422, "a referral dated 30 February").await;

    let mut notification =
        sample("csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json");
    notification["incident"]["aware_date"] = json!("2025-02-30");
    let (status, report) = app
        .post(
            "/forms/csprp-notification/validate",
            "partnership",
            &notification,
        )
        .await;
    assert_eq!(
        status, 200,
        "validation reports a bad date rather than failing"
    );
    assert_eq!(report["valid"], false, "{report}");

    let (status, _) = app
        .post(
            "/cases",
            "partnership",
            &sample("csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json"),
        )
        .await;
    assert_eq!(status, 409, "the same case twice");
    let (status, _) = app.get("/healthz", "partnership").await;
    assert_eq!(status, 200, "still up after all that");
}

/// Sends a 100 MB upload over a plain socket, writing while reading, since the service answers
/// 413 and closes the connection long before the body is sent (an HTTP client would report a
/// broken pipe instead of the answer). Returns status, head and body of the answer.
async fn hundred_megabytes(app: &App, token: &str) -> (u16, String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    const SIZE: usize = 100 * 1024 * 1024;
    let address = app.base.trim_start_matches("http://").to_owned();
    let stream = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connects");
    let (mut reader, mut writer) = stream.into_split();
    let head = format!(
        "POST /cases/{CASE}/submissions HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {SIZE}\r\nConnection: close\r\n\r\n"
    );
    let sender = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..100 {
            writer.write_all(&chunk).await?;
        }
        Ok::<(), std::io::Error>(())
    });
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        reader.read_to_end(&mut answer),
    )
    .await;
    sender.abort();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

async fn openapi_describes_every_route(app: App) {
    let (status, document) = app.get("/openapi.json", "partnership").await;
    assert_eq!(status, 200);
    let paths = document["paths"].as_object().cloned().unwrap_or_default();
    for path in [
        "/healthz",
        "/forms",
        "/forms/{id}/schema",
        "/forms/{id}/validate",
        "/cases",
        "/cases/{id}",
        "/cases/{id}/agencies",
        "/cases/{id}/submissions",
        "/cases/{id}/submissions/{n}",
        "/cases/{id}/audit",
        "/tokens",
        "/actions",
        "/actions/{id}",
        "/reports/timeliness",
        "/reports/yearly",
        "/reports/yearly/check",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from the OpenAPI document"
        );
    }
    assert_eq!(
        document,
        serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()
    );
}

async fn small_body_limit_is_honoured(app: App) {
    let body = json!({"padding": "x".repeat(4096)});
    let response = app
        .send(
            Method::POST,
            "/forms/agency-summary/validate",
            Some("partnership"),
            Some(&body),
        )
        .await;
    assert_problem(response, 413, "over a 1 KiB limit").await;
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// An agency downloads its pre-filled Word form, fills it in and uploads it; the service reads
/// it, validates it and stores the JSON. Other agencies' forms and hostile files are refused.
async fn word_form_filled_in_and_uploaded(app: App) {
    use support::hostile_files::{package, zip_bomb};
    use support::word_fill::{fill, read_part, with_part};

    open_case(&app, &["kent-police", "gp-nhs-england"]).await;
    let police = "agency:kent-police";
    let (status, blank) = app
        .get_bytes(
            &format!("/cases/{CASE}/forms/agency-summary/blank.docx"),
            police,
        )
        .await;
    assert_eq!(status, 200);
    let prefilled = read_part(&blank, "word/document.xml");
    assert!(prefilled.contains(CASE) && prefilled.contains("Kent Police"));

    // More entries for each list on request; a silly number is refused.
    let controls = |docx: &[u8]| {
        read_part(docx, "word/document.xml")
            .matches("<w:sdt>")
            .count()
    };
    let (status, roomy) = app
        .get_bytes(
            &format!("/cases/{CASE}/forms/agency-summary/blank.docx?rows=6"),
            police,
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        controls(&roomy) > controls(&blank),
        "rows=6 gives more entries"
    );
    for rows in ["0", "51", "lots"] {
        let response = app
            .send(
                Method::GET,
                &format!("/forms/agency-summary/blank.docx?rows={rows}"),
                Some(police),
                None,
            )
            .await;
        let detail = assert_problem(response, 400, "a silly number of rows").await;
        assert!(detail.contains("1 to 50"), "{detail}");
    }

    let sample = summary_of("kent-police");
    let filled = fill(&blank, &sample);
    let path = format!("/cases/{CASE}/submissions");
    let response = app.post_bytes(&path, police, DOCX, filled.clone()).await;
    assert_eq!(response.status().as_u16(), 201);
    let receipt: Value = response.json().await.expect("a receipt");
    assert_eq!(receipt["status"], "valid", "{receipt}");
    assert_eq!(receipt["form"], "agency-summary", "{receipt}");
    let id = receipt["id"].as_i64().expect("an id");
    let (status, stored) = app.get(&format!("{path}/{id}"), police).await;
    assert_eq!(status, 200, "{stored}");
    assert_eq!(
        stored["body"], sample,
        "the stored JSON is what was filled in"
    );

    // A half-filled form is stored as a draft whose findings name the fields by title.
    let (_, blank) = app
        .get_bytes(
            &format!("/cases/{CASE}/forms/agency-summary/blank.docx"),
            police,
        )
        .await;
    let response = app.post_bytes(&path, police, DOCX, blank).await;
    assert_eq!(response.status().as_u16(), 201);
    let receipt: Value = response.json().await.expect("a receipt");
    assert_eq!(receipt["status"], "draft", "{receipt}");
    let findings = receipt["report"]["findings"].as_array().expect("findings");
    assert!(!findings.is_empty(), "{receipt}");
    for finding in findings {
        let title = finding["field"].as_str().unwrap_or_default();
        assert!(!title.is_empty() && !title.starts_with('/'), "{finding}");
    }

    // The GP may not send the police's return, even as a Word form.
    let response = app
        .post_bytes(&path, "agency:gp-nhs-england", DOCX, filled.clone())
        .await;
    let detail = assert_problem(response, 403, "another agency's Word form").await;
    assert!(detail.contains("another agency"), "{detail}");

    // A form from an older blank is refused with what to do about it.
    let xml = read_part(&filled, "word/document.xml");
    let version = sample["form_version"].as_str().expect("a version");
    let older = with_part(
        &filled,
        "word/document.xml",
        &xml.replace(&format!(">{version}</w:t>"), ">0.9</w:t>"),
    );
    let response = app.post_bytes(&path, police, DOCX, older).await;
    let detail = assert_problem(response, 422, "an older form").await;
    assert!(detail.contains("version 0.9"), "{detail}");

    // Hostile and wrong files: a problem each, nothing stored.
    let before = app.get(&path, police).await.1;
    let not_a_form = package(&[(
        "word/document.xml",
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>"#,
    )]);
    for (what, bytes) in [
        ("a zip bomb", zip_bomb("word/document.xml", 1, 1 << 30)),
        ("a Word document that is not a form", not_a_form),
        ("random bytes", b"PK\x03\x04 not really a zip".to_vec()),
    ] {
        let response = app.post_bytes(&path, police, DOCX, bytes).await;
        assert_problem(response, 422, what).await;
    }
    let response = app
        .post_bytes(&path, police, "text/plain", b"hello".to_vec())
        .await;
    let detail = assert_problem(response, 415, "plain text").await;
    assert!(detail.contains("Word"), "{detail}");
    assert_eq!(app.get(&path, police).await.1, before, "nothing was stored");
}

/// The final report is OFFICIAL-SENSITIVE unless the partnership asks for the published
/// marking; the rapid review papers cannot be marked for publication.
async fn published_report_marking(app: App) {
    use support::word_fill::read_part;

    open_case(&app, &["kent-police"]).await;
    let report = sample("final-report/valid/kscp-2026-014-child-l.json");
    let (status, receipt) = app
        .post(&format!("/cases/{CASE}/submissions"), "reviewer", &report)
        .await;
    assert_eq!(status, 201, "{receipt}");
    let header = |docx: &[u8]| read_part(docx, "word/header1.xml");
    let path = format!("/cases/{CASE}/documents/final-report?format=docx");
    let (status, draft) = app.get_bytes(&path, "reviewer").await;
    assert_eq!(status, 200);
    assert!(header(&draft).contains("OFFICIAL-SENSITIVE"));
    let (status, published) = app
        .get_bytes(&format!("{path}&marking=official"), "reviewer")
        .await;
    assert_eq!(status, 200);
    let text = header(&published);
    assert!(
        text.contains("OFFICIAL") && !text.contains("OFFICIAL-SENSITIVE"),
        "{text}"
    );
    let response = app
        .send(
            Method::GET,
            &format!("{path}&marking=secret"),
            Some("reviewer"),
            None,
        )
        .await;
    let detail = assert_problem(response, 400, "an unknown marking").await;
    assert!(detail.contains("official-sensitive"), "{detail}");
    let response = app
        .send(
            Method::GET,
            &format!("/cases/{CASE}/documents/rapid-review-pack?marking=official"),
            Some("partnership"),
            None,
        )
        .await;
    assert_problem(response, 400, "rapid review papers marked official").await;
}

/// A token revoked by an admin stops working at once, even just after it was used (the
/// service keeps recently used tokens for a few seconds); an upload retried with the same
/// Idempotency-Key gets its first receipt; answers carry the security headers.
async fn revocation_idempotency_and_headers(app: App) {
    open_case(&app, &["kent-police"]).await;
    let (status, _) = app.get("/cases", "reviewer").await;
    assert_eq!(
        status, 200,
        "the reviewer's token works and is now remembered"
    );
    let revoked = app
        .send(
            Method::DELETE,
            &format!("/tokens/{}", app.token_id("reviewer")),
            Some("admin"),
            None,
        )
        .await;
    assert_eq!(revoked.status().as_u16(), 200);
    let response = app
        .send(Method::GET, "/cases", Some("reviewer"), None)
        .await;
    let detail = assert_problem(response, 401, "a revoked token").await;
    assert!(detail.contains("revoked"), "{detail}");

    let path = format!("/cases/{CASE}/submissions");
    let summary = summary_of("kent-police");
    let send = |key: &'static str| {
        app.client
            .post(format!("{}{path}", app.base))
            .bearer_auth(app.token("agency:kent-police"))
            .header("idempotency-key", key)
            .json(&summary)
            .send()
    };
    let first = send("upload-1").await.expect("answers");
    assert_eq!(first.status().as_u16(), 201);
    assert_eq!(first.headers()["cache-control"], "no-store");
    assert_eq!(first.headers()["x-content-type-options"], "nosniff");
    let first: Value = first.json().await.expect("a receipt");
    let again = send("upload-1").await.expect("answers");
    assert_eq!(again.status().as_u16(), 200, "a retry is not a new upload");
    let again: Value = again.json().await.expect("a receipt");
    assert_eq!(again["id"], first["id"]);
    let (_, versions) = app.get(&path, "partnership").await;
    assert_eq!(
        versions.as_array().map(Vec::len),
        Some(2),
        "the notification and one summary"
    );

    // An address that does not exist: a problem for a machine, a page for a browser.
    let response = app
        .send(Method::GET, "/no-such-address", Some("partnership"), None)
        .await;
    assert_problem(response, 404, "an unknown address").await;
    let page = app
        .client
        .get(format!("{}/no-such-address", app.base))
        .header("accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
        .send()
        .await
        .expect("answers");
    assert_eq!(page.status().as_u16(), 404);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/html"),
        "a page for a browser"
    );
    let text = page.text().await.expect("a page");
    assert!(
        text.contains("Page not found") && text.contains("href=\"/\""),
        "{text}"
    );
}

macro_rules! suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(App::start(Backend::Sqlite).await).await;
                }
            )*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn small_body_limit_is_honoured() {
                let limits = Limits { body_bytes: 1024, ..Limits::default() };
                super::small_body_limit_is_honoured(App::start_with(Backend::Sqlite, limits).await).await;
            }
        }
        mod postgres {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(App::start(Backend::Postgres).await).await;
                }
            )*
        }
    };
}

suite!(
    whole_journey_from_notification_to_rapid_review,
    every_role_on_every_route,
    agencies_cannot_see_or_overwrite_each_other,
    bad_input_gets_problems_never_500,
    openapi_describes_every_route,
    word_form_filled_in_and_uploaded,
    published_report_marking,
    revocation_idempotency_and_headers,
);
