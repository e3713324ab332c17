//! The service under abuse: clients that hang up mid-upload, requests that take too long,
//! thousands of idle connections, connections that never send a request, and hundreds of
//! large uploads at once. Nothing is stored without its audit entry, the service keeps
//! answering, and its memory stays bounded.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::http_app::{App, sample};
use crate::support::http_db::Backend;
use crate::support::served::{serve_with, token};
use safeguarding_forms::http::Limits;

const CASE: &str = "KSCP-2026-014";

/// An upload as raw HTTP, so a test can hang up at any byte of it.
fn raw_upload(host: &str, bearer: &str, body: &[u8]) -> Vec<u8> {
    let mut request = format!(
        "POST /cases/{CASE}/submissions HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {bearer}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

/// Every stored submission has the audit entry written with it, naming its number.
async fn every_write_is_audited(app: &App) -> usize {
    let stored = app.db.store.submissions(CASE, None).await.expect("reads");
    let log = app.db.store.audit_log(CASE).await.expect("reads");
    for submission in &stored {
        let named = format!("submission {}:", submission.id);
        assert!(
            log.iter().any(|entry| entry.detail.starts_with(&named)),
            "submission {} was stored without its audit entry",
            submission.id
        );
    }
    stored.len()
}

async fn hanging_up_at_any_point_never_leaves_an_unaudited_write(app: App) {
    let notification = sample("csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json");
    assert_eq!(
        app.post("/cases", "partnership", &notification).await.0,
        201
    );
    let host = app.base.trim_start_matches("http://").to_owned();
    let body = serde_json::to_vec(&sample("rapid-review/valid/kscp-2026-014-lcspr.json"))
        .expect("encodes");
    let request = raw_upload(&host, app.token("partnership"), &body);
    // Hang up after every stretch of the request, and after waiting a little for the answer:
    // some uploads never arrive whole, some are stored as the client goes.
    let mut cut_points: Vec<usize> = (0..request.len()).step_by(request.len() / 40 + 1).collect();
    cut_points.push(request.len());
    for (n, cut) in cut_points.iter().enumerate() {
        for wait_us in [0u64, 200, 1_000, 3_000, 30_000] {
            let Ok(mut stream) = TcpStream::connect(&host).await else {
                continue;
            };
            let _ = stream.write_all(&request[..*cut]).await;
            if wait_us > 0 {
                tokio::time::sleep(Duration::from_micros(wait_us + n as u64 * 37)).await;
            }
            drop(stream);
        }
    }
    // Let every request the service took finish, then count.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stored = every_write_is_audited(&app).await;
    assert!(stored >= 1, "some uploads arrived whole: {stored}");
    assert!(app.db.store.verify_audit().await.is_ok());
}

async fn a_request_that_takes_too_long_is_stopped_and_audited(app: App) {
    let notification = sample("csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json");
    assert_eq!(
        app.post("/cases", "partnership", &notification).await.0,
        201
    );
    let host = app.base.trim_start_matches("http://").to_owned();
    let request = raw_upload(&host, app.token("partnership"), &[b'{'; 1000]);
    let mut stream = TcpStream::connect(&host).await.expect("connects");
    // Only part of the body: the service waits for the rest until its time-out.
    stream
        .write_all(&request[..request.len() - 500])
        .await
        .expect("writes");
    let mut answer = Vec::new();
    let started = Instant::now();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5));
    let log = app.db.store.audit_log(CASE).await.expect("reads");
    assert!(
        log.iter()
            .any(|entry| entry.action == "POST /cases/{id}/submissions"
                && entry.outcome == "refused"),
        "the stopped request is in the audit log: {log:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hanging_up_never_leaves_an_unaudited_write_sqlite() {
    hanging_up_at_any_point_never_leaves_an_unaudited_write(App::start(Backend::Sqlite).await)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hanging_up_never_leaves_an_unaudited_write_postgres() {
    hanging_up_at_any_point_never_leaves_an_unaudited_write(App::start(Backend::Postgres).await)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_request_is_stopped_and_audited() {
    let limits = Limits {
        timeout: Duration::from_millis(700),
        ..Limits::default()
    };
    a_request_that_takes_too_long_is_stopped_and_audited(
        App::start_with(Backend::Sqlite, limits).await,
    )
    .await;
}

/// 5,000 idle connections: the service still answers at once; and an idle connection is closed
/// after the header time-out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_neither_block_the_service_nor_stay_forever() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database = format!("sqlite://{}/cases.db", dir.path().display());
    let (mut server, base) = serve_with(&database, &["--header-timeout-secs", "3"], None);
    let host = base.trim_start_matches("http://").to_owned();
    let mut idle = Vec::with_capacity(5000);
    for _ in 0..5000 {
        match TcpStream::connect(&host).await {
            Ok(stream) => idle.push(stream),
            Err(error) => panic!("connection {} refused: {error}", idle.len()),
        }
    }
    let started = Instant::now();
    let health = reqwest::get(format!("{base}/healthz"))
        .await
        .expect("answers");
    assert_eq!(health.status().as_u16(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // The idle ones are closed by the service once the header time-out has passed.
    let mut first = idle.swap_remove(0);
    let mut byte = [0u8; 1];
    let closed = tokio::time::timeout(Duration::from_secs(8), first.read(&mut byte)).await;
    assert!(matches!(closed, Ok(Ok(0)) | Ok(Err(_))), "{closed:?}");
    drop(idle);
    server.kill().expect("stops");
    server.wait().expect("reaped");
}

/// The peak resident memory of a process, from /proc.
fn peak_rss_mb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// 200 uploads of 10 MB at once: each is answered (done, or 503 with Retry-After when the
/// queue is full), none crashes the service, and its memory stays under 500 MB.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_large_uploads_at_once_keep_memory_bounded() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database = format!("sqlite://{}/cases.db", dir.path().display());
    let partnership = token(&database, "partnership", None);
    let (mut server, base) = serve_with(&database, &[], None);
    let mut big = sample("agency-summary/valid/kscp-2026-014-kent-police.json");
    big["involvement_summary"] = json!("x".repeat(10 * 1024 * 1024 - 8 * 1024));
    let body = axum::body::Bytes::from(serde_json::to_vec(&big).expect("encodes"));
    let client = reqwest::Client::new();
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let (client, base, partnership, body) = (
            client.clone(),
            base.clone(),
            partnership.clone(),
            body.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let response = client
                .post(format!("{base}/forms/agency-summary/validate"))
                .bearer_auth(&partnership)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await;
            match response {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry = response.headers().contains_key("retry-after");
                    let _ = response.bytes().await;
                    (status, retry)
                }
                Err(_) => (0, false),
            }
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("joins"));
    }
    let peak = peak_rss_mb(server.id());
    let health = reqwest::get(format!("{base}/healthz"))
        .await
        .expect("still answers");
    assert_eq!(health.status().as_u16(), 200);
    server.kill().expect("stops");
    server.wait().expect("reaped");
    let count = |wanted: &dyn Fn(u16, bool) -> bool| {
        answers
            .iter()
            .filter(|(status, retry)| wanted(*status, *retry))
            .count()
    };
    let done = count(&|status, _| status == 200);
    let busy = count(&|status, retry| status == 503 && retry);
    let timed_out = count(&|status, _| status == 408);
    // Refused before its body was read, the connection is closed while the client is still
    // sending: the client sees the reset before it can read the 503.
    let reset = count(&|status, _| status == 0);
    assert!(done >= 2, "some were read: {answers:?}");
    assert_eq!(
        done + busy + timed_out + reset,
        200,
        "every one done, busy (with Retry-After), timed out or refused at the door: {answers:?}"
    );
    assert!(peak < 500, "peak resident memory {peak} MB");
    let value: Value = json!({
        "done": done, "busy": busy, "timed_out": timed_out, "reset": reset, "peak_mb": peak
    });
    eprintln!("200 x 10 MB uploads: {value}");
}

/// A Word document whose body is `paragraphs` paragraphs, each a sentence with a postcode,
/// a date and a name-like phrase: slow to check on purpose.
fn long_document(paragraphs: usize) -> Vec<u8> {
    let mut body = String::with_capacity(paragraphs * 200);
    body.push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#);
    for n in 0..paragraphs {
        body.push_str(&format!(
            "<w:p><w:r><w:t>On {} March 2024 Mr Jordan Ellis of CT{} {}QT met the family, born 3 May 2019, at 14 Mill Lane.</w:t></w:r></w:p>",
            n % 28 + 1,
            n % 20 + 1,
            n % 9 + 1
        ));
    }
    body.push_str("</w:body></w:document>");
    crate::support::hostile_files::package(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        ("word/document.xml", &body),
    ])
}

/// A document larger than any report is refused at once, with a message saying why.
#[test]
fn a_sixty_megabyte_document_is_refused_quickly() {
    let docx = long_document(500_000);
    assert!(
        docx.len() < 50 * 1024 * 1024,
        "the package itself is accepted"
    );
    let started = Instant::now();
    let error = safeguarding_forms::check::check_report(
        safeguarding_forms::check::ReportInput::Docx(&docx),
        &safeguarding_forms::check::CaseForms::none(),
    )
    .expect_err("refused");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(
        error.to_string().contains("far more than a report needs"),
        "{error}"
    );
}

/// CPU seconds a process has used, from /proc (user and system, in clock ticks of 1/100 s).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc");
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of the file (utime, stime) are 11 and 12 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// A check that outlives its request stops with it: the service's CPU goes quiet once the
/// client has its time-out answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_stops_when_its_request_ends() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database = format!("sqlite://{}/cases.db", dir.path().display());
    let partnership = token(&database, "partnership", None);
    let (mut server, base) = serve_with(&database, &["--request-timeout-secs", "1"], None);
    let docx = long_document(60_000);
    let response = reqwest::Client::new()
        .post(format!("{base}/reports/check"))
        .bearer_auth(&partnership)
        .header("content-type", "application/octet-stream")
        .body(docx)
        .send()
        .await
        .expect("answers");
    let status = response.status().as_u16();
    assert!(
        matches!(status, 408 | 503),
        "stopped, not finished: {status}"
    );
    // Give the check time to notice (it looks at its budget between steps; on a machine busy
    // with other tests, browsers and builds a step of this 60,000-paragraph file can take a
    // second or two), then the service must be idle: a check still running would use about one
    // CPU second a second, an idle service a few hundredths.
    tokio::time::sleep(Duration::from_millis(3000)).await;
    let before = cpu_seconds(server.id());
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let used = cpu_seconds(server.id()) - before;
    server.kill().expect("stops");
    server.wait().expect("reaped");
    assert!(
        used < 0.3,
        "the service went on working for {used} CPU seconds"
    );
}
