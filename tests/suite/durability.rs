//! Durability: the real binary is killed with SIGKILL in the middle of concurrent uploads,
//! restarted on the same SQLite file, and every upload it acknowledged with 201 is there.

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::support::served::{sample, serve, token};

const CASE: &str = "KSCP-2026-014";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_upload_survives_sigkill() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database = format!("sqlite://{}/data/cases.db", dir.path().display());
    let partnership = token(&database, "partnership", None);
    let police = token(&database, "agency", Some("kent-police"));
    let client = reqwest::Client::new();

    let (mut server, base) = serve(&database);
    let notification = sample("csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json");
    let opened = client
        .post(format!("{base}/cases"))
        .bearer_auth(&partnership)
        .json(&notification)
        .send()
        .await
        .expect("opens the case");
    assert_eq!(opened.status().as_u16(), 201);
    let asked = client
        .post(format!("{base}/cases/{CASE}/agencies"))
        .bearer_auth(&partnership)
        .json(&json!({"agencies": [{"id": "kent-police", "name": "Kent Police"}]}))
        .send()
        .await
        .expect("asks");
    assert_eq!(asked.status().as_u16(), 200);

    let summary = Arc::new(sample(
        "agency-summary/valid/kscp-2026-014-kent-police.json",
    ));
    let acknowledged: Arc<Mutex<Vec<i64>>> = Arc::default();
    let mut workers = Vec::new();
    for _ in 0..8 {
        let (client, base, police) = (client.clone(), base.clone(), police.clone());
        let (summary, acknowledged) = (summary.clone(), acknowledged.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let sent = client
                    .post(format!("{base}/cases/{CASE}/submissions"))
                    .bearer_auth(&police)
                    .json(&*summary)
                    .send()
                    .await;
                let Ok(response) = sent else { break };
                if response.status().as_u16() != 201 {
                    continue;
                }
                let Ok(receipt) = response.json::<Value>().await else {
                    break;
                };
                if let Some(id) = receipt["id"].as_i64() {
                    acknowledged.lock().await.push(id);
                }
            }
        }));
    }
    // Reads go on beside them: each answered read must have its audit entry on disk.
    let reads: Arc<Mutex<usize>> = Arc::default();
    for _ in 0..8 {
        let (client, base, partnership) = (client.clone(), base.clone(), partnership.clone());
        let reads = reads.clone();
        workers.push(tokio::spawn(async move {
            loop {
                let read = client
                    .get(format!("{base}/cases/{CASE}"))
                    .bearer_auth(&partnership)
                    .send()
                    .await;
                let Ok(response) = read else { break };
                if response.status().as_u16() != 200 || response.bytes().await.is_err() {
                    continue;
                }
                *reads.lock().await += 1;
            }
        }));
    }
    // Let the uploads and reads run, then kill the server mid-flight.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().expect("SIGKILL");
    server.wait().expect("reaped");
    for worker in workers {
        worker.await.expect("the worker stops on its own");
    }
    let acknowledged = acknowledged.lock().await.clone();
    assert!(
        acknowledged.len() >= 5,
        "uploads were under way: {}",
        acknowledged.len()
    );

    let (mut server, base) = serve(&database);
    let stored: Vec<Value> = client
        .get(format!("{base}/cases/{CASE}/submissions"))
        .bearer_auth(&partnership)
        .send()
        .await
        .expect("lists")
        .json()
        .await
        .expect("JSON");
    let ids: Vec<i64> = stored.iter().filter_map(|s| s["id"].as_i64()).collect();
    let lost: Vec<&i64> = acknowledged.iter().filter(|id| !ids.contains(id)).collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    let mut versions: Vec<i64> = stored
        .iter()
        .filter(|s| s["agency"] == "kent-police")
        .filter_map(|s| s["version"].as_i64())
        .collect();
    versions.sort_unstable();
    let expected: Vec<i64> = (1..=versions.len() as i64).collect();
    assert_eq!(
        versions, expected,
        "versions run 1..n without gaps or repeats"
    );
    server.kill().expect("stops");
    server.wait().expect("reaped");

    let store = safeguarding_forms::store::open(&database)
        .await
        .expect("reopens");
    assert!(store.verify_audit().await.expect("verifies") > acknowledged.len() as i64);
    let reads = *reads.lock().await;
    assert!(reads >= 5, "reads were under way: {reads}");
    let traced = store
        .audit_log(CASE)
        .await
        .expect("reads the log")
        .iter()
        .filter(|entry| entry.action == "GET /cases/{id}" && entry.outcome == "ok")
        .count();
    assert!(
        traced >= reads,
        "{reads} reads answered, {traced} in the audit log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_a_request_in_flight_finish() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let dir = tempfile::tempdir().expect("a temporary folder");
    let database = format!("sqlite://{}/cases.db", dir.path().display());
    let partnership = token(&database, "partnership", None);
    let (mut server, base) = serve(&database);
    let address = base.trim_start_matches("http://").to_owned();

    let body =
        serde_json::to_vec(&sample("agency-summary/valid/kscp-2026-014-gp.json")).expect("encodes");
    let (first, rest) = body.split_at(body.len() / 2);
    let mut stream = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connects");
    let head = format!(
        "POST /forms/agency-summary/validate HTTP/1.1\r\nHost: {address}\r\n\
         Authorization: Bearer {partnership}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("writes");
    stream.write_all(first).await.expect("writes");
    tokio::time::sleep(Duration::from_millis(300)).await;

    let terminated = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(terminated.success());
    tokio::time::sleep(Duration::from_millis(300)).await;

    stream
        .write_all(rest)
        .await
        .expect("the connection is still open");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("reads");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"valid\":true"), "{answer}");

    let status = server.wait().expect("exits");
    assert!(status.success(), "a clean exit after SIGTERM: {status}");
    let refused = reqwest::get(format!("{base}/healthz")).await;
    assert!(refused.is_err(), "no longer listening");
}
