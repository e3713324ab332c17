//! A sixth form added from files alone: `tests/fixtures/forms` holds a schema with the
//! annotations (`x-case-role`, `x-senders`, `x-agency`, `x-prefill`, `x-timetable`,
//! `x-identifying`), a template and two submissions, and no Rust names it. The real binary,
//! given the folder with `--forms`, lists it, validates it with its schema's rules, renders it
//! to Word and PDF, gives its blank Word form and reads a filled one back; the service takes it
//! from the role its schema names into the case file and the timetable, and refuses it from
//! another role.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

use crate::support::served::{BIN, sample, serve_with, token};
use crate::support::word_fill::{fill, read_part};

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/forms")
}

fn fixture(name: &str) -> Value {
    let path = folder().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs the binary with the added forms.
fn run(args: &[&str]) -> Output {
    let forms = folder();
    let forms = forms.to_string_lossy();
    Command::new(BIN)
        .args(["--forms", &forms])
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_added_form_is_listed_validated_rendered_and_given_as_a_word_form() {
    let listed = run(&["forms"]);
    assert!(listed.status.success(), "{}", text(&listed));
    assert!(text(&listed).contains("school-return"), "{}", text(&listed));
    // Without the folder the service does not know it.
    let without = Command::new(BIN)
        .args(["validate"])
        .arg(folder().join("school-return.valid.json"))
        .output()
        .expect("runs");
    assert_eq!(without.status.code(), Some(2), "{}", text(&without));

    let valid = folder().join("school-return.valid.json");
    let valid = valid.to_string_lossy();
    let checked = run(&["validate", &valid]);
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked));
    let invalid = folder().join("school-return.invalid.json");
    let refused = run(&["validate", "--json", &invalid.to_string_lossy()]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let report: Value = serde_json::from_slice(&refused.stdout).expect("a JSON report");
    let rules: Vec<&str> = report[0]["report"]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, ["school-return.attendance-details"], "{report}");

    let dir = tempfile::tempdir().expect("a temporary folder");
    let docx = dir.path().join("return.docx");
    let pdf = dir.path().join("return.pdf");
    for (format, out) in [("docx", &docx), ("pdf", &pdf)] {
        let made = run(&[
            "render",
            &valid,
            "--format",
            format,
            "-o",
            &out.to_string_lossy(),
            "--date",
            "2026-03-01",
        ]);
        assert!(made.status.success(), "{format}: {}", text(&made));
    }
    let word = std::fs::read(&docx).expect("the Word file");
    let body = read_part(&word, "word/document.xml");
    assert!(
        body.contains("Seaview Primary School"),
        "the template filled in"
    );
    assert!(
        body.contains("eleven days"),
        "the conditional section is there"
    );
    let shown = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.contains("Education setting return"), "{shown}");
    assert!(shown.contains("Alison Marsh"), "{shown}");

    let blank = dir.path().join("blank.docx");
    let made = run(&["blank", "school-return", "-o", &blank.to_string_lossy()]);
    assert!(made.status.success(), "{}", text(&made));
    let blank = std::fs::read(&blank).expect("the blank form");
    assert!(read_part(&blank, "word/document.xml").contains("Designated safeguarding lead"));
    let filled = dir.path().join("filled.docx");
    let sample = fixture("school-return.valid.json");
    std::fs::write(&filled, fill(&blank, &sample)).expect("writes");
    let back = dir.path().join("back.json");
    let read = run(&[
        "ingest",
        &filled.to_string_lossy(),
        "-o",
        &back.to_string_lossy(),
    ]);
    assert_eq!(read.status.code(), Some(0), "{}", text(&read));
    let back: Value =
        serde_json::from_str(&std::fs::read_to_string(&back).expect("written")).expect("JSON");
    assert_eq!(back, sample);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_takes_the_added_form_into_the_case_file_and_timetable() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database = format!("sqlite://{}/cases.db", dir.path().display());
    let partnership = token(&database, "partnership", None);
    let school = token(&database, "agency", Some("seaview-primary"));
    let reviewer = token(&database, "reviewer", None);
    let forms = folder();
    let (mut server, base) = serve_with(&database, &["--forms", &forms.to_string_lossy()], None);
    let client = reqwest::Client::new();

    let notification = sample("csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json");
    let opened = client
        .post(format!("{base}/cases"))
        .bearer_auth(&partnership)
        .json(&notification)
        .send()
        .await
        .expect("opens");
    assert_eq!(opened.status().as_u16(), 201);
    let asked = client
        .post(format!("{base}/cases/KSCP-2026-014/agencies"))
        .bearer_auth(&partnership)
        .json(&json!({"agencies": [{"id": "seaview-primary", "name": "Seaview Primary School"}]}))
        .send()
        .await
        .expect("asks");
    assert_eq!(asked.status().as_u16(), 200);

    // The reviewer, assigned to the case, sees it but is not among the form's senders.
    let reviewer_id = reviewer.split('_').nth(1).unwrap_or_default();
    let assigned = client
        .post(format!("{base}/cases/KSCP-2026-014/reviewers"))
        .bearer_auth(&partnership)
        .json(&json!({"reviewer": reviewer_id}))
        .send()
        .await
        .expect("assigns");
    assert_eq!(assigned.status().as_u16(), 200);
    let school_return = fixture("school-return.valid.json");
    let refused = client
        .post(format!("{base}/cases/KSCP-2026-014/submissions"))
        .bearer_auth(&reviewer)
        .json(&school_return)
        .send()
        .await
        .expect("answers");
    assert_eq!(
        refused.status().as_u16(),
        403,
        "a reviewer is not among its senders"
    );
    let sent = client
        .post(format!("{base}/cases/KSCP-2026-014/submissions"))
        .bearer_auth(&school)
        .json(&school_return)
        .send()
        .await
        .expect("sends");
    assert_eq!(sent.status().as_u16(), 201);
    let receipt: Value = sent.json().await.expect("a receipt");
    assert_eq!(receipt["status"], "valid", "{receipt}");

    let case: Value = client
        .get(format!("{base}/cases/KSCP-2026-014"))
        .bearer_auth(&partnership)
        .send()
        .await
        .expect("reads")
        .json()
        .await
        .expect("JSON");
    let agency = &case["agencies"][0];
    assert_eq!(agency["id"], "seaview-primary");
    assert_eq!(
        agency["received"], true,
        "the return counts as the agency's: {case}"
    );
    assert_eq!(case["status"], "all agency returns received", "{case}");
    let day_10 = case["timetable"]["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|step| step["rule"] == "kent-day-10-summaries")
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(
        day_10["done"], "2026-02-26",
        "the return's date is Day 10: {day_10}"
    );

    // The school's pre-filled blank form names the case and the school, as its x-prefill says.
    let blank = client
        .get(format!(
            "{base}/cases/KSCP-2026-014/forms/school-return/blank.docx"
        ))
        .bearer_auth(&school)
        .send()
        .await
        .expect("answers");
    assert_eq!(blank.status().as_u16(), 200);
    let blank = blank.bytes().await.expect("the form");
    let xml = read_part(&blank, "word/document.xml");
    assert!(
        xml.contains("Seaview Primary School"),
        "pre-filled with the setting"
    );
    assert!(xml.contains("KSCP-2026-014"), "pre-filled with the case");

    server.kill().expect("stops");
    server.wait().expect("reaped");
}
