//! Actions and the timeliness report as people use them: a final report sent through the API
//! makes its actions once; agencies update their own; the partnership signs off; the report
//! over HTTP (JSON and CSV) and the command line, against SQLite and PostgreSQL.

use crate::support;

use std::process::Command;

use reqwest::Method;
use serde_json::{Value, json};

use support::http_app::{AGENCIES, App, assert_problem, sample};
use support::http_db::Backend;
use support::served::{BIN, serve, token};

const CASE: &str = "KSCP-2026-014";
const REPORT: &str = "final-report/valid/kscp-2026-014-child-l.json";

/// Today as the service counts it (England), for dates of progress and sign-off.
fn today() -> String {
    safeguarding_forms::http::actions::today().to_string()
}

/// The ids the sample final report's recommendations give, worked out by hand from its text:
/// agencies asked keep their ids, others get one made from their name.
fn expected_ids() -> Vec<String> {
    let mut ids: Vec<String> = [
        "R1:kent-community-health-nhs-ft",
        "R1:nhs-kent-and-medway-integrated-care-board",
        "R1:east-kent-hospitals",
        "R2:kent-police",
        "R2:kcc-childrens-social-care",
        "R2:kent-community-health-nhs-ft",
        "R3:kcc-childrens-social-care",
        "R3:kent-safeguarding-children-multi-agency-partnership",
        "R4:nhs-kent-and-medway-integrated-care-board",
    ]
    .iter()
    .map(|rest| format!("{CASE}:{rest}"))
    .collect();
    ids.sort();
    ids
}

async fn open_with_report(app: &App) {
    let notification = sample("csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json");
    let (status, receipt) = app.post("/cases", "partnership", &notification).await;
    assert_eq!(status, 201, "{receipt}");
    let agencies: Vec<Value> = AGENCIES
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    let (status, asked) = app
        .post(
            &format!("/cases/{CASE}/agencies"),
            "partnership",
            &json!({ "agencies": agencies }),
        )
        .await;
    assert_eq!(status, 200, "{asked}");
    let (status, receipt) = app
        .post(
            &format!("/cases/{CASE}/submissions"),
            "partnership",
            &sample(REPORT),
        )
        .await;
    assert_eq!(status, 201, "{receipt}");
    assert_eq!(receipt["status"], "valid", "{receipt}");
}

async fn put(
    app: &App,
    who: &str,
    id: &str,
    body: &Value,
    if_match: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .client
        .request(Method::PUT, format!("{}/actions/{id}", app.base))
        .bearer_auth(app.token(who))
        .json(body);
    if let Some(version) = if_match {
        request = request.header("if-match", version);
    }
    request.send().await.expect("the service answers")
}

async fn a_final_report_makes_its_actions_once(app: App) {
    open_with_report(&app).await;
    let (status, first) = app.get("/actions", "partnership").await;
    assert_eq!(status, 200, "{first}");
    let ids = |list: &Value| -> Vec<String> {
        let mut ids: Vec<String> = list
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| item["action"]["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        ids.sort();
        ids
    };
    assert_eq!(ids(&first), expected_ids());
    let police = &first
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .find(|i| i["action"]["agency"]["id"] == "kent-police")
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(police["version"], 1);
    assert_eq!(police["action"]["status"], "not-started");
    assert_eq!(police["action"]["due_date"], "2026-12-31");
    // Raised on the report's planned publication day (x-actions raised), not the day stored.
    assert_eq!(police["action"]["raised_date"], "2026-08-27");
    assert_eq!(police["action"]["source"]["recommendation"], 2);
    assert_eq!(police["action"]["agency"]["name"], "Kent Police");
    // Due 2026-12-31: more than 10 working days after today (30 November 2026), so green, or
    // amber once within the window; never red before it.
    assert!(
        ["green", "amber"].contains(&police["rag"]["rag"].as_str().unwrap_or_default()),
        "{police}"
    );

    // The same report again: a new version of the report, no new actions, none changed.
    let (status, receipt) = app
        .post(
            &format!("/cases/{CASE}/submissions"),
            "partnership",
            &sample(REPORT),
        )
        .await;
    assert_eq!(status, 201, "{receipt}");
    assert_eq!(receipt["version"], 2, "{receipt}");
    let (_, again) = app.get("/actions", "partnership").await;
    assert_eq!(again, first);

    // Each agency sees its own only; a reviewer none.
    let (status, own) = app.get("/actions", "agency:kent-police").await;
    assert_eq!(status, 200);
    assert_eq!(ids(&own), [format!("{CASE}:R2:kent-police")]);
    let (status, none) = app.get("/actions", "agency:stranger-agency").await;
    assert_eq!((status, none), (200, json!([])));
    let response = app
        .send(Method::GET, "/actions", Some("reviewer"), None)
        .await;
    assert_problem(response, 403, "a reviewer lists actions").await;

    // The additions are in the case's audit log, in the report's transaction.
    let (_, log) = app
        .get(&format!("/cases/{CASE}/audit"), "partnership")
        .await;
    let added: Vec<&Value> = log
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter(|e| {
                    e["detail"]
                        .as_str()
                        .unwrap_or_default()
                        .starts_with("actions added")
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(added.len(), 1, "{log}");
}

async fn agencies_update_their_own_and_the_partnership_signs_off(app: App) {
    open_with_report(&app).await;
    let id = format!("{CASE}:R2:kent-police");
    let (status, view) = app
        .get(&format!("/actions/{id}"), "agency:kent-police")
        .await;
    assert_eq!(status, 200, "{view}");
    let mut action = view["action"].clone();
    action["status"] = json!("in-progress");
    action["lead"] = json!("Detective Inspector A. Example");
    action["progress"] = json!([{
        "date": today(),
        "author": "Kent Police safeguarding lead",
        "text": "Briefing on joint visits written; training for all response officers booked."
    }]);

    // No version: refused, nothing overwritten.
    let response = put(&app, "agency:kent-police", &id, &action, None).await;
    assert_problem(response, 428, "no version").await;
    let response = put(&app, "agency:kent-police", &id, &action, Some("\"1\"")).await;
    assert_eq!(response.status().as_u16(), 200);
    let updated: Value = response.json().await.expect("json");
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["action"]["status"], "in-progress");
    // The same change from the old version is a conflict.
    let response = put(&app, "agency:kent-police", &id, &action, Some("\"1\"")).await;
    let detail = assert_problem(response, 409, "stale").await;
    assert!(detail.contains("now at version 2"), "{detail}");

    // Another agency's action does not exist for it, whatever it sends.
    let other = format!("{CASE}:R2:kcc-childrens-social-care");
    let (_, theirs) = app.get(&format!("/actions/{other}"), "partnership").await;
    let response = put(&app, "agency:kent-police", &other, &theirs, None).await;
    assert_problem(response, 404, "another agency's action").await;
    let response = app
        .send(
            Method::GET,
            &format!("/actions/{other}"),
            Some("agency:kent-police"),
            None,
        )
        .await;
    assert_problem(response, 404, "reading another agency's action").await;

    // Closing is the partnership's sign-off, not the agency's.
    let mut closed = updated["action"].clone();
    closed["status"] = json!("closed");
    closed["completed_date"] = json!(today());
    closed["impact"] =
        json!("An audit of 40 joint visits found every child seen and spoken to alone.");
    closed["closure"] = json!({"by": "Kent Police", "date": today()});
    let response = put(
        &app,
        "agency:kent-police",
        &id,
        &json!({"action": closed, "version": 2}),
        None,
    )
    .await;
    let detail = assert_problem(response, 403, "an agency closes").await;
    assert!(
        detail.contains("Only the partnership can close"),
        "{detail}"
    );
    // The agency may mark it completed with its evidence.
    let mut completed = closed.clone();
    completed["status"] = json!("completed");
    completed.as_object_mut().map(|m| m.remove("closure"));
    let response = put(
        &app,
        "agency:kent-police",
        &id,
        &json!({"action": completed, "version": 2}),
        None,
    )
    .await;
    assert_eq!(
        response.status().as_u16(),
        200,
        "{}",
        response.text().await.unwrap_or_default()
    );
    // The partnership closes it with its sign-off.
    closed["closure"] = json!({"by": "Partnership business manager", "date": today()});
    let response = put(
        &app,
        "partnership",
        &id,
        &json!({"action": closed, "version": 3}),
        None,
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let signed: Value = response.json().await.expect("json");
    assert_eq!(signed["action"]["status"], "closed");
    assert_eq!(signed["rag"]["rag"], "done");
    assert_eq!(signed["version"], 4);
    // Closed and signed off: the agency can no longer change it.
    let response = put(
        &app,
        "agency:kent-police",
        &id,
        &json!({"action": completed, "version": 4}),
        None,
    )
    .await;
    assert_problem(response, 403, "changing a closed action").await;

    // A spreadsheet's empty date is refused with what it is.
    let mut from_audit = json!({
        "id": "AUDIT-2026-S11-1",
        "source": {"kind": "audit", "reference": "Section 11 audit 2026"},
        "action": "Refresh the safeguarding supervision policy.",
        "agency": {"id": "kent-police", "name": "Kent Police"},
        "raised_date": "2026-11-02",
        "due_date": "00/01/1900",
        "status": "not-started"
    });
    let response = app
        .send(
            Method::POST,
            "/actions",
            Some("partnership"),
            Some(&from_audit),
        )
        .await;
    let detail = assert_problem(response, 422, "00/01/1900").await;
    assert!(
        detail.contains(
            "\"Due date\" is \"00/01/1900\", which is not a date: there is no day 0 of a month."
        ),
        "{detail}"
    );
    let response = put(
        &app,
        "partnership",
        &id,
        &json!({"action": {"due_date": "2026-02-30"}, "version": 4}),
        None,
    )
    .await;
    assert_problem(response, 422, "not an action").await;
    from_audit["due_date"] = json!("2027-03-31");
    let (status, added) = app.post("/actions", "partnership", &from_audit).await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["version"], 1);
    let (status, _) = app.post("/actions", "partnership", &from_audit).await;
    assert_eq!(status, 409);
    let response = app
        .send(
            Method::POST,
            "/actions",
            Some("agency:kent-police"),
            Some(&from_audit),
        )
        .await;
    assert_problem(response, 403, "an agency adds").await;
    assert!(app.db.store.verify_audit().await.is_ok());
}

/// Opens the three sample cases through the API with their rapid reviews and the one final
/// report, as the partnership would.
async fn open_three_cases(app: &App) {
    open_with_report(app).await;
    for notification in [
        "kscp-2026-021-child-m-looked-after-death",
        "kscp-2025-047-care-leaver-death",
    ] {
        let body = sample(&format!("csprp-notification/valid/{notification}.json"));
        let (status, receipt) = app.post("/cases", "partnership", &body).await;
        assert_eq!(status, 201, "{receipt}");
    }
    for (case, record) in [
        (CASE, "kscp-2026-014-lcspr"),
        ("KSCP-2026-021", "kscp-2026-021-alternative-learning-review"),
    ] {
        let body = sample(&format!("rapid-review/valid/{record}.json"));
        let (status, receipt) = app
            .post(&format!("/cases/{case}/submissions"), "partnership", &body)
            .await;
        assert_eq!(status, 201, "{receipt}");
        assert_eq!(receipt["status"], "valid", "{receipt}");
    }
}

async fn timeliness_over_http_counts_the_cases_opened(app: App) {
    open_three_cases(&app).await;
    let (status, report) = app
        .get(
            "/reports/timeliness?from=2025-12-01&to=2026-11-30",
            "partnership",
        )
        .await;
    assert_eq!(status, 200, "{report}");
    // Worked out from the samples: KSCP-2026-014 serious harm (physical, neglect), notified
    // 2026-02-13; KSCP-2026-021 a death (sexual exploitation, extra-familial harm), 2026-04-17;
    // KSCP-2025-047 a death notified 2025-02-28, in the period before.
    let n = &report["notifications"];
    let pair = |f: &Value| (f["current"].as_u64(), f["previous"].as_u64());
    assert_eq!(pair(&n["total"]), (Some(2), Some(1)), "{n}");
    assert_eq!(pair(&n["deaths"]), (Some(1), Some(1)));
    assert_eq!(pair(&n["serious_harm"]), (Some(1), Some(0)));
    let keys = |list: &Value| -> Vec<String> {
        list.as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|b| b["key"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        keys(&n["by_category"]),
        [
            "extra-familial-harm",
            "neglect",
            "physical",
            "sexual-exploitation"
        ]
    );
    let rr = &report["rapid_reviews"];
    assert_eq!(pair(&rr["total"]), (Some(2), Some(0)));
    assert_eq!(
        keys(&rr["by_decision"]),
        ["alternative-learning-review", "lcspr"]
    );
    // Each code with the title its form's schema gives it.
    assert_eq!(
        rr["by_decision"][1]["title"],
        "Local child safeguarding practice review"
    );
    let local = &report["local_reviews"];
    assert_eq!(pair(&local["commissioned"]), (Some(1), Some(0)));
    assert_eq!(pair(&local["published"]), (Some(1), Some(0)));
    assert_eq!(pair(&local["open_at_end"]), (Some(0), Some(0)));
    // Both notifications of the period within 5 working days of the aware date.
    let notify = report["steps"]
        .as_array()
        .and_then(|steps| steps.iter().find(|s| s["rule"] == "notify-panel"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(pair(&notify["on_time"]), (Some(2), Some(1)), "{notify}");
    assert_eq!(pair(&notify["late"]), (Some(0), Some(0)));
    assert_eq!(pair(&report["actions"]["raised"]), (Some(9), Some(0)));

    // The same figures as CSV.
    let (status, bytes) = app
        .get_bytes(
            "/reports/timeliness?from=2025-12-01&to=2026-11-30&format=csv",
            "partnership",
        )
        .await;
    assert_eq!(status, 200);
    let csv = String::from_utf8(bytes).expect("UTF-8");
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "section,measure,2025-12-01 to 2026-11-30,2024-12-01 to 2025-11-30,trend"
    );
    for line in [
        "Notifications,All notifications,2,1,up",
        "Notifications,Death,1,1,same",
        "Notifications,Serious harm,1,0,up",
        "Rapid reviews by decision,Local child safeguarding practice review,1,0,up",
        "Local reviews,Published,1,0,up",
        "Actions,Raised,9,0,up",
    ] {
        assert!(lines.contains(&line), "{line} not in\n{csv}");
    }
    let (status, bytes) = app
        .get_bytes(
            "/reports/timeliness?format=csv&table=overdue-actions",
            "partnership",
        )
        .await;
    assert_eq!(status, 200);
    assert!(!bytes.is_empty());

    // The same report as Word and PDF documents, with their media types and file names.
    for (format, media_type, magic) in [
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &b"PK"[..],
        ),
        ("pdf", "application/pdf", &b"%PDF-"[..]),
    ] {
        let response = app
            .send(
                Method::GET,
                &format!("/reports/timeliness?from=2025-12-01&to=2026-11-30&format={format}"),
                Some("partnership"),
                None,
            )
            .await;
        assert_eq!(response.status(), 200, "{format}");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(header("content-type"), media_type);
        assert_eq!(
            header("content-disposition"),
            format!("attachment; filename=\"timeliness-2025-12-01-to-2026-11-30.{format}\"")
        );
        let bytes = response.bytes().await.expect("a body");
        assert!(bytes.starts_with(magic), "{format}");
    }
    let response = app
        .send(
            Method::GET,
            "/reports/timeliness?format=pdf&table=figures",
            Some("partnership"),
            None,
        )
        .await;
    assert_problem(response, 400, "a CSV table asked of a PDF").await;

    // Impossible dates and backwards periods are refused in words.
    for (query, words) in [
        ("from=2026-02-30", "not a real date"),
        ("from=30/11/2025", "YYYY-MM-DD"),
        ("from=2026-11-30&to=2026-01-01", "before it starts"),
    ] {
        let response = app
            .send(
                Method::GET,
                &format!("/reports/timeliness?{query}"),
                Some("partnership"),
                None,
            )
            .await;
        let detail = assert_problem(response, 422, query).await;
        assert!(detail.contains(words), "{query}: {detail}");
    }
    // The default period is the 12 months to today.
    let (status, report) = app.get("/reports/timeliness", "partnership").await;
    assert_eq!(status, 200);
    assert_eq!(report["period"]["to"], today());
    let response = app
        .send(
            Method::GET,
            "/reports/timeliness",
            Some("agency:kent-police"),
            None,
        )
        .await;
    assert_problem(response, 403, "an agency asks for the report").await;
}

fn run(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(BIN)
        .args(args)
        .output()
        .expect("the binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The command line on a database the real service filled: list, update, report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_lists_updates_and_reports() {
    let dir = tempfile::tempdir().expect("a folder");
    let database = format!("sqlite://{}/cases.db", dir.path().display());
    let bearer = token(&database, "partnership", None);
    let (mut server, base) = serve(&database);
    let client = reqwest::Client::new();
    let send = |path: &str, body: Value| {
        client
            .post(format!("{base}{path}"))
            .bearer_auth(&bearer)
            .json(&body)
            .send()
    };
    let notification = sample("csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json");
    assert_eq!(
        send("/cases", notification)
            .await
            .expect("answers")
            .status(),
        201
    );
    let agencies: Vec<Value> = AGENCIES
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    let asked = send(
        &format!("/cases/{CASE}/agencies"),
        json!({ "agencies": agencies }),
    );
    assert_eq!(asked.await.expect("answers").status(), 200);
    let report = send(&format!("/cases/{CASE}/submissions"), sample(REPORT));
    assert_eq!(report.await.expect("answers").status(), 201);
    server.kill().expect("stops");
    let _ = server.wait();

    let (ok, out, err) = run(&[
        "actions",
        "list",
        "--format",
        "json",
        "--database",
        &database,
    ]);
    assert!(ok, "{err}");
    let listed: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(listed.as_array().map(Vec::len), Some(9));

    let (ok, out, err) = run(&[
        "actions",
        "list",
        "--agency",
        "kent-police",
        "--format",
        "csv",
        "--database",
        &database,
    ]);
    assert!(ok, "{err}");
    let rows: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(
        rows[0].starts_with("id,source,case,recommendation,agency_id"),
        "{out}"
    );
    assert!(
        rows[1].starts_with(&format!(
            "{CASE}:R2:kent-police,final-report-recommendation,{CASE},2,kent-police"
        )),
        "{out}"
    );

    // Update from the list's own shape, then again from the now stale copy.
    let mut item = listed
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .find(|i| i["action"]["agency"]["id"] == "kent-police")
        })
        .cloned()
        .unwrap_or_default();
    item["action"]["status"] = json!("in-progress");
    item["action"]["progress"] = json!([{
        "date": today(),
        "author": "Partnership business manager",
        "text": "Kent Police confirmed the briefing is written and training is booked."
    }]);
    let file = dir.path().join("action.json");
    std::fs::write(&file, item.to_string()).expect("writes");
    let path = file.display().to_string();
    let (ok, _, err) = run(&[
        "actions",
        "update",
        "--file",
        &path,
        "--database",
        &database,
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("version 2"), "{err}");
    let (ok, _, err) = run(&[
        "actions",
        "update",
        "--file",
        &path,
        "--database",
        &database,
    ]);
    assert!(!ok);
    assert!(err.contains("has changed since your copy"), "{err}");
    let (ok, out, _) = run(&[
        "actions",
        "list",
        "--agency",
        "kent-police",
        "--database",
        &database,
    ]);
    assert!(ok);
    assert!(out.contains("in-progress"), "{out}");

    let pool = sqlx::SqlitePool::connect(&database).await.expect("opens");
    let by_cli: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit WHERE principal = 'command line' AND action = 'actions update'",
    )
    .fetch_one(&pool)
    .await
    .expect("counts");
    pool.close().await;
    assert_eq!(by_cli, 1);

    let (ok, out, err) = run(&[
        "report",
        "timeliness",
        "--from",
        "2025-12-01",
        "--to",
        "2026-11-30",
        "--database",
        &database,
    ]);
    assert!(ok, "{err}");
    let report: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(report["notifications"]["total"]["current"], 1);
    assert_eq!(report["actions"]["raised"]["current"], 9);
    let (ok, out, err) = run(&[
        "report",
        "timeliness",
        "--from",
        "2025-12-01",
        "--to",
        "2026-11-30",
        "--format",
        "csv",
        "--database",
        &database,
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("Notifications,All notifications,1,0,up\r\n"),
        "{out}"
    );
    for format in ["docx", "pdf"] {
        let file = dir.path().join(format!("report.{format}"));
        let path = file.display().to_string();
        let (ok, _, err) = run(&[
            "report",
            "timeliness",
            "--from",
            "2025-12-01",
            "--to",
            "2026-11-30",
            "--format",
            format,
            "--output",
            &path,
            "--database",
            &database,
        ]);
        assert!(ok, "{err}");
        let bytes = std::fs::read(&file).expect("the document was written");
        let magic: &[u8] = if format == "pdf" { b"%PDF-" } else { b"PK" };
        assert!(bytes.starts_with(magic), "{format}");
    }
    let (ok, _, err) = run(&[
        "report",
        "timeliness",
        "--format",
        "pdf",
        "--database",
        &database,
    ]);
    assert!(!ok);
    assert!(err.contains("--output"), "{err}");
    let (ok, _, err) = run(&[
        "report",
        "timeliness",
        "--from",
        "2026-02-30",
        "--database",
        &database,
    ]);
    assert!(!ok);
    assert!(err.contains("not a real date"), "{err}");
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
    a_final_report_makes_its_actions_once,
    agencies_update_their_own_and_the_partnership_signs_off,
    timeliness_over_http_counts_the_cases_opened,
);
