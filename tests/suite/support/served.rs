//! The real binary as a user runs it: tokens made with `token create`, the service started
//! with `serve` on a port the system picks.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_safeguarding-forms");

/// A sample from `samples/`, by its path under that folder.
pub fn sample(path: &str) -> Value {
    let full = format!("{}/samples/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// A new token for a role (and agency) in a database, as `token create` prints it.
pub fn token(database: &str, role: &str, agency: Option<&str>) -> String {
    let mut command = Command::new(BIN);
    command.args(["token", "create", "--role", role, "--database", database]);
    if let Some(agency) = agency {
        command.args(["--agency", agency]);
    }
    let output = command.output().expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// A partnership person's session cookie (`sf_session=...`) for the service at `base`: invited
/// with `invite`, signed in through the link's button.
pub async fn signed_in_partnership(database: &str, base: &str) -> String {
    let output = Command::new(BIN)
        .args([
            "invite",
            "--name",
            "Pat Partnership",
            "--email",
            "pat@example.org",
            "--role",
            "partnership",
            "--url",
            base,
            "--database",
            database,
        ])
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let link = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let answer = client.post(&link).send().await.expect("signs in");
    assert_eq!(answer.status().as_u16(), 303, "signed in by {link}");
    answer
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

/// Starts `serve` on a port the system picks; returns the process and its base URL. With
/// `log`, the service logs at `filter` into that file; otherwise warnings only, discarded.
pub fn serve_logging(database: &str, log: Option<(&Path, &str)>) -> (Child, String) {
    serve_with(database, &[], log)
}

/// Starts `serve` with extra arguments (such as `--forms DIR`); see [`serve_logging`].
pub fn serve_with(database: &str, extra: &[&str], log: Option<(&Path, &str)>) -> (Child, String) {
    let mut command = Command::new(BIN);
    command
        .args(["serve", "--addr", "127.0.0.1:0", "--database", database])
        .args(extra)
        .stdout(Stdio::piped());
    match log {
        Some((file, filter)) => {
            let file = std::fs::File::create(file).expect("the log file");
            command
                .env("RUST_LOG", filter)
                .env("NO_COLOR", "1")
                .stderr(file);
        }
        None => {
            command.env("RUST_LOG", "warn").stderr(Stdio::null());
        }
    }
    let mut child = command.spawn().expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("reads the banner");
    let base = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    (child, base)
}

/// Starts `serve` quietly; see [`serve_logging`].
pub fn serve(database: &str) -> (Child, String) {
    serve_logging(database, None)
}
