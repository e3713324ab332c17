//! The safeguarding partners' yearly report: the check of the sample answers, the document in
//! Word and PDF read back by independent readers (python-docx, openxml-audit, pdftotext,
//! pdfinfo, `pdfua check`, pikepdf), the HTTP routes with their roles and audit, and the
//! command line with its exit codes. Every reader must be installed: a missing one fails.

use crate::support;

use std::process::Command;

use chrono::NaiveDate;
use reqwest::Method;
use serde_json::{Value, json};

use safeguarding_forms::actions::{Action, Agency, Progress, Source, SourceKind, Status};
use safeguarding_forms::assemble::model::{Block, plain_text};
use safeguarding_forms::calendar::Config;
use safeguarding_forms::render::docx::render_docx;
use safeguarding_forms::render::pdf::render_pdf;
use safeguarding_forms::timeliness::{Period, timeliness_report};
use safeguarding_forms::yearly::document::yearly_document;
use safeguarding_forms::yearly::{self, Verdict, YearlyReport};

use support::http_app::{App, assert_problem, sample};
use support::http_db::Backend;
use support::served::BIN;

// The generated cases and actions the timeliness documents' tests read.
use crate::timeliness_documents::{
    DUMP_DOCX, FIGURES, charts, openxml_audit_clean, run, squash, timeliness_world,
};

/// Cases for the timeliness figures: enough for every table and chart to have rows.
const CASES: usize = 80;

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/yearly-report/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture_path(name: &str) -> String {
    format!(
        "{}/tests/fixtures/yearly-report/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// Three actions whose every cell can be told apart from the generated ones.
fn marked_actions() -> Vec<Action> {
    let action = |n: u32, kind: SourceKind, status: Status, due: NaiveDate| Action {
        id: format!("MARK-{n}"),
        source: Source {
            kind,
            reference: format!("Marked review {n}"),
            case_reference: (kind == SourceKind::FinalReportRecommendation)
                .then(|| "KSCP-2025-099".to_owned()),
            recommendation: (kind == SourceKind::FinalReportRecommendation).then_some(n),
        },
        action: format!("Marked action {n}: agree the escalation protocol"),
        agency: Agency {
            id: "kent-police".to_owned(),
            name: "Kent Police".to_owned(),
        },
        lead: Some(format!("Lead Person {n}")),
        raised_date: date(2025, 5, 1),
        due_date: Some(due),
        status,
        completed_date: None,
        closure: None,
        progress: Vec::new(),
        impact: None,
    };
    let mut overdue = action(
        1,
        SourceKind::NationalReview,
        Status::InProgress,
        date(2026, 1, 16),
    );
    overdue.progress.push(Progress {
        date: date(2026, 2, 2),
        author: "A. Author".to_owned(),
        text: "Marked progress: two of five teams trained".to_owned(),
    });
    let mut done = action(
        2,
        SourceKind::FinalReportRecommendation,
        Status::Completed,
        date(2026, 2, 27),
    );
    done.completed_date = Some(date(2026, 2, 20));
    done.impact = Some("Marked impact: strategy meetings within a day".to_owned());
    let not_started = action(
        3,
        SourceKind::FinalReportRecommendation,
        Status::NotStarted,
        date(2026, 12, 18),
    );
    vec![overdue, done, not_started]
}

fn report() -> YearlyReport {
    let calendar = Config::embedded().expect("the calendar loads");
    let today = timeliness_world::today();
    let (cases, mut actions) = timeliness_world::generate(CASES);
    actions.extend(marked_actions());
    let answers = yearly::read(&fixture("complete"), today).expect("usable answers");
    let period = yearly::period(&answers, None, today).expect("a period");
    assert_eq!(
        period,
        Period::new(date(2025, 4, 1), date(2026, 3, 31)).expect("ok")
    );
    let timeliness =
        timeliness_report(&cases, &actions, period, today, &calendar).expect("the figures");
    yearly::yearly_report(&answers, timeliness, &actions, &calendar, 10).expect("the report")
}

#[test]
fn the_sample_answers_check_as_expected() {
    let today = timeliness_world::today();
    let calendar = Config::embedded().expect("the calendar loads");
    let answers = yearly::read(&fixture("complete"), today).expect("usable");
    let period = yearly::period(&answers, None, today).expect("a period");
    let check = yearly::check(&answers, &period, &[], today, &calendar).expect("checks");
    assert!(check.complete, "{}", check.text());
    assert_eq!(check.findings.len(), 0, "{}", check.text());

    let answers = yearly::read(&fixture("gaps"), today).expect("usable");
    let check = yearly::check(&answers, &period, &[], today, &calendar).expect("checks");
    assert!(!check.complete);
    let errors: Vec<(&str, &str)> = check
        .findings
        .iter()
        .filter(|f| f.severity == safeguarding_forms::validate::Severity::Error)
        .map(|f| (f.rule.as_str(), f.pointer.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (yearly::WEAK, "/sections/impact"),
            (yearly::MISSING, "/sections/little_or_no_progress"),
            (yearly::WEAK, "/sections/review_decisions_and_actions"),
            (
                yearly::WEAK,
                "/sections/feedback_from_children_and_families"
            ),
            (
                yearly::MISSING,
                "/sections/restraint_in_secure_establishment"
            ),
            (yearly::WEAK, "/sections/updates_to_arrangements"),
        ]
    );
    for finding in &check.findings {
        assert!(
            finding
                .source
                .starts_with("Working Together to Safeguard Children 2018, chapter 3, paragraph 4"),
            "{finding:?}"
        );
        assert!(!finding.message.contains("seed"), "{finding:?}");
    }
}

fn cells(row: &Value) -> Vec<String> {
    row.as_array()
        .map(|cells| {
            cells
                .iter()
                .map(|c| c.as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn table_headed<'a>(tables: &'a [Value], first: &str, second: &str) -> &'a Value {
    tables
        .iter()
        .find(|t| t["rows"][0][0] == first && t["rows"][0][1] == second)
        .unwrap_or_else(|| panic!("no table headed {first}, {second}"))
}

#[test]
fn the_yearly_report_in_word_holds_the_sections_actions_and_copies() {
    let report = report();
    let document = yearly_document(&report, timeliness_world::today());
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("yearly.docx");
    std::fs::write(&path, render_docx(&document).expect("renders")).expect("writes");
    let file = path.to_string_lossy();

    let read: Value =
        serde_json::from_str(&run("python3", &["-c", DUMP_DOCX, &file])).expect("JSON");
    assert_eq!(read["title"], document.meta.title.as_str());
    assert_eq!(
        read["author"],
        "Kent Safeguarding Children Multi-Agency Partnership"
    );
    let paragraphs: Vec<(String, String)> = read["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap_or_default().to_owned(),
                p[1].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    // Every section the schema lists is a Heading 1 with its paragraphs after it, in order.
    let answers = fixture("complete");
    let mut last = 0;
    for spec in yearly::sections().expect("the schema loads") {
        let at = paragraphs
            .iter()
            .position(|(style, text)| style == "Heading 1" && *text == spec.title)
            .unwrap_or_else(|| panic!("no heading {}", spec.title));
        assert!(at > last, "{} out of order", spec.title);
        last = at;
        let written = answers
            .pointer(&spec.pointer)
            .and_then(Value::as_str)
            .expect("the fixture writes every section");
        for line in written.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                paragraphs[at..].iter().any(|(_, text)| text == line.trim()),
                "{}: no paragraph {line}",
                spec.key
            );
        }
    }
    assert!(
        report
            .sections
            .iter()
            .all(|s| s.verdict == Verdict::Present)
    );

    let tables = read["tables"].as_array().expect("tables");
    // The record of actions: one row per action on a review recommendation open in the period.
    let record = table_headed(tables, "Action", "Source");
    let rows = record["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), report.review_actions.len() + 1);
    assert!(report.review_actions.len() > 10, "the world has actions");
    let overdue = rows
        .iter()
        .map(cells)
        .find(|r| r[0].starts_with("Marked action 1"))
        .expect("the marked overdue action");
    assert_eq!(overdue[1], "National review: Marked review 1");
    assert_eq!(overdue[2], "Kent Police: Lead Person 1");
    assert_eq!(overdue[3], "16 January 2026");
    assert_eq!(overdue[4], "In progress");
    assert_eq!(overdue[5], "Red: overdue");
    assert_eq!(
        overdue[6],
        "2 February 2026: Marked progress: two of five teams trained"
    );
    assert_eq!(overdue[7], "None recorded");
    let done = rows
        .iter()
        .map(cells)
        .find(|r| r[0].starts_with("Marked action 2"))
        .expect("the marked completed action");
    assert_eq!((done[4].as_str(), done[5].as_str()), ("Completed", "Done"));
    assert_eq!(done[7], "Marked impact: strategy meetings within a day");

    // Little or no progress: the overdue one and the one not started, not the completed one.
    let gaps = table_headed(tables, "Action", "Agency");
    let gap_rows: Vec<Vec<String>> = gaps["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(cells)
        .collect();
    assert_eq!(gap_rows.len(), report.check.little_progress.len() + 1);
    let why = |n: u32| {
        gap_rows
            .iter()
            .find(|r| r[0].starts_with(&format!("Marked action {n}")))
            .map(|r| r[5].clone())
    };
    assert_eq!(why(1).as_deref(), Some("Overdue since 16 January 2026"));
    assert_eq!(why(3).as_deref(), Some("Not started"));
    assert_eq!(why(2), None);

    // The copies: due seven calendar days after publication on 25 September 2026.
    let copies = table_headed(tables, "Sent to", "Due");
    let copy_rows: Vec<Vec<String>> = copies["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(cells)
        .collect();
    assert_eq!(
        copy_rows[1],
        [
            "Child Safeguarding Practice Review Panel",
            "2 October 2026",
            "28 September 2026",
            "3",
            "On time"
        ]
    );
    assert_eq!(
        copy_rows[2],
        [
            "What Works Centre for Children's Social Care",
            "2 October 2026",
            "2 October 2026",
            "7",
            "On time"
        ]
    );

    // The timeliness figures, one heading level down.
    let n = &report.timeliness.notifications.total;
    assert!(n.current > 0, "the world has notifications in the period");
    assert!(
        tables.iter().any(|t| t["rows"]
            .as_array()
            .into_iter()
            .flatten()
            .map(cells)
            .any(|r| r.len() == 4
                && r[0] == "All notifications"
                && r[1] == n.current.to_string()
                && r[2] == n.previous.to_string())),
        "no notifications row"
    );
    assert!(
        paragraphs
            .iter()
            .any(|(style, text)| style == "Heading 2" && text == "Notifications to the Panel")
    );

    openxml_audit_clean(&file);
}

#[test]
fn the_yearly_report_as_pdf_is_tagged_and_reads_back() {
    let report = report();
    let document = yearly_document(&report, timeliness_world::today());
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("yearly.pdf");
    std::fs::write(&path, render_pdf(&document).expect("renders")).expect("writes");
    let file = path.to_string_lossy();

    let text = squash(&run("pdftotext", &["-raw", "-enc", "UTF-8", &file, "-"]));
    for block in &document.blocks {
        if let Block::Heading { text: heading, .. } = block {
            let heading = squash(&plain_text(heading));
            assert!(text.contains(&heading), "no heading {heading}");
        }
    }
    let answers = fixture("complete");
    for spec in yearly::sections().expect("the schema loads") {
        let written = answers
            .pointer(&spec.pointer)
            .and_then(Value::as_str)
            .expect("written");
        // The first sentence of each section, as the page sets it.
        let first = written.split(". ").next().unwrap_or_default();
        assert!(text.contains(&squash(first)), "{}: {first}", spec.key);
    }
    assert!(text.contains("by 2 October 2026"), "the copies' due date");
    assert!(text.contains("Overdue since 16 January 2026"));
    assert!(text.contains("Marked impact: strategy meetings within a day"));
    let n = &report.timeliness.notifications.total;
    let row = format!("All notifications {} {}", n.current, n.previous);
    assert!(text.contains(&row), "no \"{row}\"");

    let info = run("pdfinfo", &[&file]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains(&format!("Title:           {}", document.meta.title)),
        "{info}"
    );
    run("pdfua", &["check", &file]);
    let alternatives = run("python3", &["-c", FIGURES, &file]);
    let expected: Vec<&str> = charts(&document)
        .iter()
        .map(|c| c.description.as_str())
        .collect();
    assert_eq!(expected.len(), 5, "the timeliness report's charts");
    let found: Vec<&str> = alternatives.lines().collect();
    assert_eq!(found, expected);
}

#[test]
fn a_draft_with_gaps_still_renders_and_says_what_is_missing() {
    let calendar = Config::embedded().expect("the calendar loads");
    let today = timeliness_world::today();
    let answers = yearly::read(&fixture("gaps"), today).expect("usable");
    let period = yearly::period(&answers, None, today).expect("a period");
    let timeliness = timeliness_report(&[], &[], period, today, &calendar).expect("figures");
    let report = yearly::yearly_report(&answers, timeliness, &[], &calendar, 10).expect("report");
    let document = yearly_document(&report, today);
    let dir = tempfile::tempdir().expect("a folder");
    let pdf = dir.path().join("draft.pdf");
    std::fs::write(&pdf, render_pdf(&document).expect("renders")).expect("writes");
    run("pdfua", &["check", &pdf.to_string_lossy()]);
    let text = squash(&run(
        "pdftotext",
        &["-raw", "-enc", "UTF-8", &pdf.to_string_lossy(), "-"],
    ));
    assert!(
        text.contains("Draft: 6 sections are still to write or strengthen"),
        "{text}"
    );
    assert!(text.contains("Not written yet."), "{text}");
    assert!(
        text.contains("No action on a review recommendation was overdue"),
        "{text}"
    );
    let docx = dir.path().join("draft.docx");
    std::fs::write(&docx, render_docx(&document).expect("renders")).expect("writes");
    let out = run(
        "openxml-audit",
        &[
            "--output",
            "json",
            "--max-errors",
            "0",
            &docx.to_string_lossy(),
        ],
    );
    let audit: Value = serde_json::from_str(&out).expect("openxml-audit JSON");
    assert_eq!(audit[0]["error_count"], 0, "{out}");
}

async fn the_yearly_report_over_http_is_the_partnerships_only(app: App) {
    let complete = fixture("complete");
    for path in ["/reports/yearly", "/reports/yearly/check"] {
        for who in ["agency:kent-police", "reviewer", "admin"] {
            let response = app
                .send(Method::POST, path, Some(who), Some(&complete))
                .await;
            assert_problem(response, 403, &format!("{who} on {path}")).await;
        }
        let response = app.send(Method::POST, path, None, Some(&complete)).await;
        assert_problem(response, 401, path).await;
    }

    let (status, report) = app.post("/reports/yearly", "partnership", &complete).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["period"]["from"], "2025-04-01");
    assert_eq!(report["check"]["complete"], true, "{report}");
    assert_eq!(report["check"]["sending"]["due"], "2026-10-02");
    assert_eq!(report["sections"].as_array().map(Vec::len), Some(7));
    assert!(report["timeliness"]["notifications"]["total"].is_object());

    let (status, check) = app
        .post("/reports/yearly/check", "partnership", &fixture("gaps"))
        .await;
    assert_eq!(status, 200, "{check}");
    assert_eq!(check["complete"], false);
    assert_eq!(check["errors"], 6);
    let late = check["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["pointer"] == "/sent/panel")
        .cloned()
        .unwrap_or_default();
    assert_eq!(late["rule"], yearly::SENT_LATE);
    assert_eq!(late["severity"], "warning");
    assert_eq!(
        late["source"],
        "Working Together to Safeguard Children 2018, chapter 3, paragraph 44"
    );
    assert!(
        late["message"]
            .as_str()
            .unwrap_or_default()
            .contains("sent 9 days after publication; the guidance asks for within seven days")
    );

    // Refused: a copy sent before publication, an impossible date, a period not the answers'.
    let mut early = complete.clone();
    early["sent"]["panel"] = json!("2026-09-24");
    let response = app
        .send(
            Method::POST,
            "/reports/yearly/check",
            Some("partnership"),
            Some(&early),
        )
        .await;
    let detail = assert_problem(response, 422, "sent before publication").await;
    assert!(
        detail.contains("before the report was published on 25 September 2026"),
        "{detail}"
    );
    let mut impossible = complete.clone();
    impossible["published_date"] = json!("2026-02-29");
    let response = app
        .send(
            Method::POST,
            "/reports/yearly",
            Some("partnership"),
            Some(&impossible),
        )
        .await;
    let detail = assert_problem(response, 422, "29 February 2026").await;
    assert!(detail.contains("not a real date"), "{detail}");
    let response = app
        .send(
            Method::POST,
            "/reports/yearly?from=2025-01-01&to=2025-12-31",
            Some("partnership"),
            Some(&complete),
        )
        .await;
    assert_problem(response, 422, "a period not the answers'").await;
    let response = app
        .send(
            Method::POST,
            "/reports/yearly?format=odt",
            Some("partnership"),
            Some(&complete),
        )
        .await;
    assert_problem(response, 400, "an unknown format").await;

    let response = app
        .send(
            Method::POST,
            "/reports/yearly?format=docx",
            Some("partnership"),
            Some(&complete),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let bytes = response.bytes().await.expect("a body");
    assert!(bytes.starts_with(b"PK"), "a Word file");

    // Audited like the timeliness report, with no content of the answers.
    let log = app.db.store.audit_log("").await.expect("the audit log");
    let actions: Vec<(&str, &str)> = log
        .iter()
        .filter(|e| e.action.contains("/reports/yearly"))
        .map(|e| (e.action.as_str(), e.outcome.as_str()))
        .collect();
    assert!(
        actions.contains(&("POST /reports/yearly", "ok")),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("POST /reports/yearly/check", "ok")),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("POST /reports/yearly", "denied")),
        "{actions:?}"
    );
    let text = format!("{log:?}");
    assert!(
        !text.contains("children in care council"),
        "no answers in the audit log"
    );
}

/// A Word file as python-docx reads it: its keywords (where the marking is kept), the text of
/// its headers and footers, and every paragraph and table cell of its body.
const DUMP_COPY: &str = r#"
import json, sys
import docx
d = docx.Document(sys.argv[1])
print(json.dumps({
    "keywords": d.core_properties.keywords,
    "header": [p.text for s in d.sections for p in s.header.paragraphs],
    "footer": [p.text for s in d.sections for p in s.footer.paragraphs],
    "body": [p.text for p in d.paragraphs]
        + [c.text for t in d.tables for r in t.rows for c in r.cells],
}))
"#;

/// The reason given for the seeded late step, and the seeded action's lead.
const LATE_REASON: &str = "Marked reason: the family had moved and could not be reached";
const SEEDED_LEAD: &str = "Marked Lead Person";

/// One case with a step done late for a reason (the family told of the rapid review's
/// decision 15 working days after the meeting, the partnership's target being 5) and an
/// overdue action on a recommendation of its local review, with a named lead.
async fn seed_a_case_with_detail(app: &App) {
    let notification = sample("csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json");
    let (status, receipt) = app.post("/cases", "partnership", &notification).await;
    assert_eq!(status, 201, "{receipt}");
    let mut record = sample("rapid-review/valid/kscp-2026-014-lcspr.json");
    record["decision_shared"]["family_told_date"] = json!("2026-03-25");
    record["decision_shared"]["family_late_reason"] = json!(LATE_REASON);
    let (status, receipt) = app
        .post("/cases/KSCP-2026-014/submissions", "partnership", &record)
        .await;
    assert_eq!(status, 201, "{receipt}");
    assert_eq!(receipt["status"], "valid", "{receipt}");
    let action = json!({
        "id": "KSCP-2026-014-R9",
        "source": {
            "kind": "final-report-recommendation",
            "reference": "KSCP-2026-014 final report, recommendation 9",
            "case_reference": "KSCP-2026-014",
            "recommendation": 9
        },
        "action": "Marked action: agree the bruising protocol with every agency",
        "agency": {"id": "kent-police", "name": "Kent Police"},
        "lead": SEEDED_LEAD,
        "raised_date": "2025-06-02",
        "due_date": "2026-01-15",
        "status": "not-started"
    });
    let (status, added) = app.post("/actions", "partnership", &action).await;
    assert_eq!(status, 201, "{added}");
}

/// The yearly report over HTTP with `query`: its status, `Content-Disposition` and bytes.
async fn yearly_bytes(app: &App, query: &str, answers: &Value) -> (u16, String, Vec<u8>) {
    let response = app
        .send(
            Method::POST,
            &format!("/reports/yearly?{query}"),
            Some("partnership"),
            Some(answers),
        )
        .await;
    let status = response.status().as_u16();
    let disposition = response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response.bytes().await.expect("a body").to_vec();
    (status, disposition, bytes)
}

/// The copy for publication (`marking=official`) is marked OFFICIAL and holds none of the
/// case references, reasons for lateness or leads' names the partnership's own copy holds;
/// it is refused while a section is missing, and its marking is refused with JSON.
async fn the_copy_for_publication_over_http_names_no_case(app: App) {
    seed_a_case_with_detail(&app).await;
    let complete = fixture("complete");
    let (status, report) = app.post("/reports/yearly", "partnership", &complete).await;
    assert_eq!(status, 200, "{report}");
    // What the figures hold that a published copy must not.
    let late: Vec<Value> = report["timeliness"]["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["late_ones"].as_array().cloned().unwrap_or_default())
        .collect();
    assert!(
        late.iter().any(|l| l["reason"] == LATE_REASON),
        "the late step and its reason: {late:?}"
    );
    let mut secret: Vec<String> = late
        .iter()
        .filter_map(|l| l["case_reference"].as_str().map(str::to_owned))
        .chain(
            late.iter()
                .filter_map(|l| l["reason"].as_str().map(str::to_owned)),
        )
        .chain(
            report["review_actions"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(
                    report["timeliness"]["actions"]["overdue_actions"]
                        .as_array()
                        .into_iter()
                        .flatten(),
                )
                .filter_map(|a| a["lead"].as_str().map(str::to_owned)),
        )
        .collect();
    secret.push("KSCP-2026-014".to_owned());
    secret.sort();
    secret.dedup();
    assert!(secret.iter().any(|s| s == SEEDED_LEAD), "{secret:?}");

    let dir = tempfile::tempdir().expect("a folder");
    let read = |name: &str, bytes: &[u8]| -> Value {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("writes");
        serde_json::from_str(&run("python3", &["-c", DUMP_COPY, &path.to_string_lossy()]))
            .expect("JSON")
    };
    let text = |read: &Value| read["body"].to_string();

    // The partnership's own copy: OFFICIAL-SENSITIVE, every detail there.
    let (status, own_name, own) = yearly_bytes(&app, "format=docx", &complete).await;
    assert_eq!(status, 200);
    assert!(own_name.ends_with("31.docx\""), "{own_name}");
    let own = read("own.docx", &own);
    assert_eq!(own["keywords"], "OFFICIAL-SENSITIVE");
    for detail in &secret {
        assert!(
            text(&own).contains(detail.as_str()),
            "the OFFICIAL-SENSITIVE copy has no {detail}"
        );
    }

    // The copy for publication: OFFICIAL, none of it.
    let (status, name, published) =
        yearly_bytes(&app, "format=docx&marking=official", &complete).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&published));
    assert!(name.ends_with("-official.docx\""), "{name}");
    let file = dir.path().join("published.docx");
    std::fs::write(&file, &published).expect("writes");
    let copy = read("published.docx", &published);
    assert_eq!(copy["keywords"], "OFFICIAL");
    for part in ["header", "footer"] {
        let lines: Vec<&str> = copy[part]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        assert!(lines.contains(&"OFFICIAL"), "{part}: {lines:?}");
        assert!(
            !lines.iter().any(|l| l.contains("SENSITIVE")),
            "{part}: {lines:?}"
        );
    }
    let body = text(&copy);
    for detail in secret.iter().map(String::as_str).chain(["KSCP-"]) {
        assert!(
            !body.contains(detail),
            "the copy for publication holds {detail}"
        );
    }
    assert!(
        body.contains("is kept in the partnership's own OFFICIAL-SENSITIVE copy of this report"),
        "{body}"
    );
    assert!(body.contains("Marked action: agree the bruising protocol with every agency"));
    assert!(body.contains("Local review recommendation"));
    openxml_audit_clean(&file.to_string_lossy());

    // As PDF: tagged, PDF/UA, marked OFFICIAL, no case named.
    let (status, _, pdf) = yearly_bytes(&app, "format=pdf&marking=official", &complete).await;
    assert_eq!(status, 200);
    let path = dir.path().join("published.pdf");
    std::fs::write(&path, &pdf).expect("writes");
    let file = path.to_string_lossy();
    let info = run("pdfinfo", &[&file]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    run("pdfua", &["check", &file]);
    let words = squash(&run("pdftotext", &["-raw", "-enc", "UTF-8", &file, "-"]));
    // The marking heads every page; OFFICIAL-SENSITIVE only names the partnership's own copy.
    assert!(words.contains("OFFICIAL"), "{words}");
    assert_eq!(
        words.matches("OFFICIAL-SENSITIVE").count(),
        words.matches("OFFICIAL-SENSITIVE copy").count(),
        "{words}"
    );
    for detail in secret.iter().map(|s| squash(s)).chain(["KSCP-".to_owned()]) {
        assert!(
            !words.contains(&detail),
            "the PDF for publication holds {detail}"
        );
    }

    // Refused: an unfinished report, a marking of JSON, a marking not printed.
    let response = app
        .send(
            Method::POST,
            "/reports/yearly?format=docx&marking=official",
            Some("partnership"),
            Some(&fixture("gaps")),
        )
        .await;
    let detail = assert_problem(response, 422, "the copy for publication of a draft").await;
    assert_eq!(
        detail,
        "The copy for publication needs every section written: Areas with little or no evidence of progress on agreed priorities; Review of the use of restraint in the secure establishment. Check lists what each needs."
    );
    let (status, _, _) = yearly_bytes(&app, "format=docx", &fixture("gaps")).await;
    assert_eq!(status, 200, "the partnership's own copy of a draft is made");
    for query in ["marking=official", "format=json&marking=official-sensitive"] {
        let response = app
            .send(
                Method::POST,
                &format!("/reports/yearly?{query}"),
                Some("partnership"),
                Some(&complete),
            )
            .await;
        let detail = assert_problem(response, 400, query).await;
        assert!(detail.contains("format=docx or pdf"), "{detail}");
    }
    let response = app
        .send(
            Method::POST,
            "/reports/yearly?format=pdf&marking=secret",
            Some("partnership"),
            Some(&complete),
        )
        .await;
    let detail = assert_problem(response, 400, "an unknown marking").await;
    assert!(detail.contains("not a protective marking"), "{detail}");
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
    the_yearly_report_over_http_is_the_partnerships_only,
    the_copy_for_publication_over_http_names_no_case,
);

fn cli(args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(BIN)
        .args(args)
        .output()
        .expect("the binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_checks_and_writes_the_yearly_report() {
    let dir = tempfile::tempdir().expect("a folder");
    let database = format!("sqlite://{}/cases.db", dir.path().display());
    let complete = fixture_path("complete");
    let gaps = fixture_path("gaps");

    let (code, out, err) = cli(&[
        "report",
        "yearly",
        "--answers",
        &complete,
        "--check",
        "--database",
        &database,
    ]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("0 error(s), 0 warning(s)"), "{out}");
    assert!(out.contains("by 2 October 2026"), "{out}");

    let (code, out, err) = cli(&[
        "report",
        "yearly",
        "--answers",
        &gaps,
        "--check",
        "--database",
        &database,
    ]);
    assert_eq!(code, Some(1), "missing sections: {out}{err}");
    assert!(out.contains("(/sections/little_or_no_progress)"), "{out}");
    assert!(
        out.contains(
            "Guidance: Working Together to Safeguard Children 2018, chapter 3, paragraph 45"
        ),
        "{out}"
    );

    let (code, out, _) = cli(&[
        "report",
        "yearly",
        "--answers",
        &gaps,
        "--check",
        "--format",
        "json",
        "--database",
        &database,
    ]);
    assert_eq!(code, Some(1));
    let check: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(check["errors"], 6);

    let docx = dir.path().join("yearly.docx");
    let (code, out, err) = cli(&[
        "report",
        "yearly",
        "--answers",
        &complete,
        "--format",
        "docx",
        "--out",
        &docx.to_string_lossy(),
        "--database",
        &database,
    ]);
    assert_eq!(code, Some(0), "{out}{err}");
    let bytes = std::fs::read(&docx).expect("the Word file");
    assert!(bytes.starts_with(b"PK"));

    let (code, out, err) = cli(&[
        "report",
        "yearly",
        "--answers",
        &complete,
        "--database",
        &database,
    ]);
    assert_eq!(code, Some(0), "{err}");
    let report: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        report["partnership"],
        "Kent Safeguarding Children Multi-Agency Partnership"
    );

    // Answers that cannot be right: exit 2, the reason on stderr.
    let bad = dir.path().join("bad.json");
    let mut answers = fixture("complete");
    answers["sent"]["panel"] = json!("2026-09-01");
    std::fs::write(&bad, answers.to_string()).expect("writes");
    let (code, _, err) = cli(&[
        "report",
        "yearly",
        "--answers",
        &bad.to_string_lossy(),
        "--check",
        "--database",
        &database,
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("before the report was published"), "{err}");
    let (code, _, err) = cli(&[
        "report",
        "yearly",
        "--answers",
        &complete,
        "--format",
        "pdf",
        "--database",
        &database,
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--out"), "{err}");
}

#[test]
fn the_command_line_writes_the_copy_for_publication_of_a_finished_report_only() {
    let dir = tempfile::tempdir().expect("a folder");
    let database = format!("sqlite://{}/cases.db", dir.path().display());
    let out = dir.path().join("published.docx");
    let copy = |answers: &str| {
        cli(&[
            "report",
            "yearly",
            "--answers",
            &fixture_path(answers),
            "--format",
            "docx",
            "--marking",
            "official",
            "--out",
            &out.to_string_lossy(),
            "--database",
            &database,
        ])
    };
    let (code, stdout, err) = copy("complete");
    assert_eq!(code, Some(0), "{stdout}{err}");
    let read: Value =
        serde_json::from_str(&run("python3", &["-c", DUMP_COPY, &out.to_string_lossy()]))
            .expect("JSON");
    assert_eq!(read["keywords"], "OFFICIAL");
    assert!(
        read["header"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|line| line == "OFFICIAL"),
        "{read}"
    );

    std::fs::remove_file(&out).expect("removes");
    let (code, _, err) = copy("gaps");
    assert_eq!(code, Some(2), "refused like the command's other refusals");
    assert!(
        err.contains(
            "The copy for publication needs every section written: Areas with little or no evidence of progress on agreed priorities; Review of the use of restraint in the secure establishment."
        ),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");

    // A marking is for the documents, and must be one the service prints.
    let (code, _, err) = cli(&[
        "report",
        "yearly",
        "--answers",
        &fixture_path("complete"),
        "--marking",
        "official",
        "--database",
        &database,
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--format docx or pdf"), "{err}");
    let (code, _, err) = cli(&[
        "report",
        "yearly",
        "--answers",
        &fixture_path("complete"),
        "--format",
        "pdf",
        "--marking",
        "secret",
        "--out",
        &out.to_string_lossy(),
        "--database",
        &database,
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("official-sensitive"), "{err}");
}
