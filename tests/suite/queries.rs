//! The case list answers in a fixed number of database queries however many cases there are:
//! counted from the real service's own SQL log (`sqlx::query` at debug level), on SQLite and
//! on PostgreSQL.

use std::path::Path;

use serde_json::{Value, json};

use crate::support::http_db::{Backend, TestDb};
use crate::support::served::{sample, serve_logging, signed_in_partnership, token};

/// The SQL statements the service logged after byte `from` of its log, leaving out the ones
/// that set up a new pooled connection (their number depends on the pool, not the request) and
/// the token's look-up (once every few seconds per token, whatever the request) and a session's
/// idle clock being moved on (at most once a minute per session, whatever the request).
fn statements_since(log: &Path, from: usize) -> usize {
    let text = std::fs::read(log).expect("the log reads");
    String::from_utf8_lossy(&text[from.min(text.len())..])
        .lines()
        .filter(|line| line.contains("sqlx::query"))
        .filter(|line| !line.contains("summary=\"PRAGMA") && !line.contains("summary=\"SET "))
        .filter(|line| !line.contains("FROM tokens WHERE id"))
        .filter(|line| !line.contains("UPDATE sessions SET idle_until"))
        .count()
}

fn log_length(log: &Path) -> usize {
    std::fs::metadata(log).map_or(0, |m| m.len() as usize)
}

/// Opens cases `from..to`, each with two agencies asked and one summary returned.
async fn open_cases(
    client: &reqwest::Client,
    base: &str,
    partnership: &str,
    from: usize,
    to: usize,
) {
    let notification = sample("csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json");
    let summary = sample("agency-summary/valid/kscp-2026-014-kent-police.json");
    for n in from..to {
        let reference = format!("KSCP-2026-{n:04}");
        let mut case = notification.clone();
        case["case_reference"] = json!(reference);
        let opened = client
            .post(format!("{base}/cases"))
            .bearer_auth(partnership)
            .json(&case)
            .send()
            .await
            .expect("opens a case");
        assert_eq!(opened.status().as_u16(), 201, "{reference}");
        let asked = client
            .post(format!("{base}/cases/{reference}/agencies"))
            .bearer_auth(partnership)
            .json(&json!({"agencies": [
                {"id": "kent-police", "name": "Kent Police"},
                {"id": "gp", "name": "GP practice"}
            ]}))
            .send()
            .await
            .expect("asks agencies");
        assert_eq!(asked.status().as_u16(), 200, "{reference}");
        let mut returned = summary.clone();
        returned["case_reference"] = json!(reference);
        let sent = client
            .post(format!("{base}/cases/{reference}/submissions"))
            .bearer_auth(partnership)
            .json(&returned)
            .send()
            .await
            .expect("sends a summary");
        assert_eq!(sent.status().as_u16(), 201, "{reference}");
    }
}

/// Lists the cases as `token` and counts the statements that took.
async fn count_list(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    log: &Path,
    cases: usize,
) -> usize {
    // Let any log lines of the requests before this one reach the file.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let before = log_length(log);
    let list: Vec<Value> = client
        .get(format!("{base}/cases"))
        .bearer_auth(token)
        .send()
        .await
        .expect("lists")
        .json()
        .await
        .expect("a JSON list");
    assert_eq!(list.len(), cases);
    assert!(
        list.iter()
            .all(|line| line["next_deadline"].is_object() || line["next_deadline"].is_null())
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    statements_since(log, before)
}

/// Opens the partnership's case list page as `cookie` and counts the statements that took.
async fn count_page(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    log: &Path,
    cases: usize,
) -> usize {
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let before = log_length(log);
    let page = client
        .get(format!("{base}/"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("the case list answers");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("a page");
    let shown = cases.min(safeguarding_forms::web::case_list::PER_PAGE);
    assert!(
        html.contains(&format!("Showing 1 to {shown} of {cases} cases.")),
        "{html}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    statements_since(log, before)
}

async fn same_number_of_queries_for_10_and_200_cases(database: &str, dir: &Path) {
    let partnership = token(database, "partnership", None);
    let police = token(database, "agency", Some("kent-police"));
    let log = dir.join("service.log");
    let (mut server, base) = serve_logging(database, Some((&log, "warn,sqlx::query=debug")));
    let client = reqwest::Client::new();

    let cookie = signed_in_partnership(database, &base).await;

    open_cases(&client, &base, &partnership, 0, 10).await;
    let partnership_10 = count_list(&client, &base, &partnership, &log, 10).await;
    let police_10 = count_list(&client, &base, &police, &log, 10).await;
    let page_10 = count_page(&client, &base, &cookie, &log, 10).await;
    open_cases(&client, &base, &partnership, 10, 200).await;
    let partnership_200 = count_list(&client, &base, &partnership, &log, 200).await;
    let police_200 = count_list(&client, &base, &police, &log, 200).await;
    let page_200 = count_page(&client, &base, &cookie, &log, 200).await;
    server.kill().expect("stops");
    server.wait().expect("reaped");

    assert!(partnership_10 > 0, "the log counts statements");
    assert_eq!(
        partnership_10, partnership_200,
        "partnership: 10 cases vs 200"
    );
    assert_eq!(police_10, police_200, "agency: 10 cases vs 200");
    assert_eq!(page_10, page_200, "the case list page: 10 cases vs 200");
    assert!(page_200 < 15, "{page_200} statements for the page");
    // Three reads and the audit entry's statements: a handful, not one per case.
    assert!(partnership_200 < 15, "{partnership_200} statements");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_list_queries_do_not_grow_with_cases_sqlite() {
    let db = TestDb::new(Backend::Sqlite).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    same_number_of_queries_for_10_and_200_cases(&db.url, dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_list_queries_do_not_grow_with_cases_postgres() {
    let db = TestDb::new(Backend::Postgres).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    same_number_of_queries_for_10_and_200_cases(&db.url, dir.path()).await;
}
