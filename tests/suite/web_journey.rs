//! The partnership's and the reviewer's journey through the pages, as the partnership issue
//! asks, in a real Chromium with JavaScript off (every step works without it): a case started
//! from the notification filled on the pages, two agencies asked, a person of one invited who
//! signs in and sends the return on the pages, the case page and the case list following the
//! case (status, Day 10 of the timetable), the rapid review pack downloaded as PDF and Word and
//! read back by pdftotext, pdfinfo and python-docx, a reviewer invited and assigned on the
//! pages, and the reviewer's draft with gaps checked on the case page. The other agency's
//! return and the rapid review record come in through the API, as a machine would send them.

use std::process::Command;

use serde_json::Value;

use super::support::browser::Browser;
use super::support::http_db::Backend;
use super::support::served::sample;
use super::web_pages::{Site, fill_in, sign_in};

const CASE: &str = "KSCP-2026-014";

/// The text of a step's row in the timetable on the partnership's case page.
async fn step(browser: &Browser, title: &str) -> String {
    for row in browser.find_all("tr").await {
        let text = row.text().await.unwrap_or_default();
        if text.contains(title) {
            return text;
        }
    }
    panic!("no {title} step on the case page");
}

async fn day_10(browser: &Browser) -> String {
    step(browser, "Day 10: agency summaries returned").await
}

/// Fetches a link of the current page with the browser's own session cookie.
async fn download(browser: &Browser, site: &Site, css: &str) -> (String, Vec<u8>) {
    let href = browser.attr(css, "href").await.expect("a download link");
    let cookie = browser
        .cookie("sf_session")
        .await
        .expect("a session cookie");
    let response = reqwest::Client::new()
        .get(format!("{}{}", site.base, href.replace("&amp;", "&")))
        .header("cookie", format!("sf_session={}", cookie.value()))
        .send()
        .await
        .expect("the document downloads");
    assert_eq!(response.status().as_u16(), 200, "{href}");
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (kind, response.bytes().await.expect("bytes").to_vec())
}

fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed for this test: {e}"));
    assert!(
        output.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Invites a person on the People page (the form filled as shown) and returns their link.
async fn invite_on_the_page(
    browser: &Browser,
    name: &str,
    email: &str,
    role: Option<&str>,
) -> String {
    browser.fill("#name", name).await;
    browser.fill("#email", email).await;
    if let Some(role) = role {
        browser
            .click(&format!("input[name=role][value={role}]"))
            .await;
    }
    browser.click_to_leave("#button-invite").await;
    browser
        .wait_for("#sign-in-link")
        .await
        .text()
        .await
        .expect("the link")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_partnership_runs_a_case_and_a_reviewer_checks_the_draft() {
    let site = Site::start(Backend::Sqlite).await;
    let shots = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).expect("a folder for screenshots");
    let partnership = Browser::without_javascript().await;
    sign_in(&partnership, &site.invite("partnership", None)).await;

    // The case starts from its notification, filled in on the pages.
    let notification = sample("csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json");
    partnership.goto(&format!("{}/new-case", site.base)).await;
    partnership.fill("#case-reference", CASE).await;
    partnership.click_to_leave("button[value=continue]").await;
    partnership.wait_for(".govuk-task-list").await;
    fill_in(
        &partnership,
        &site.base,
        CASE,
        "csprp-notification",
        &notification,
    )
    .await;
    partnership.goto(&format!("{}/", site.base)).await;
    let listed = partnership.text("#cases").await;
    assert!(listed.contains(CASE), "{listed}");
    // The child's pseudonym comes from the first form that gives one (the final report); the
    // notification names the child, which the list never shows.
    assert!(listed.contains("Not given"), "{listed}");
    assert!(
        !listed.contains("Lily"),
        "no child's name on the list: {listed}"
    );
    assert!(listed.contains("opened: no agencies asked yet"), "{listed}");

    // Two agencies asked from the case page.
    partnership
        .click_to_leave(&format!("a[href='/case/{CASE}']"))
        .await;
    partnership.wait_for("h1").await;
    for (id, name) in [
        ("kent-police", "Kent Police"),
        ("gp-nhs-england", "GP practice (NHS England primary care)"),
    ] {
        partnership.click("details:has(#agency_id) summary").await;
        partnership.fill("#agency_id", id).await;
        partnership.fill("#agency_name", name).await;
        partnership.click_to_leave("#button-ask").await;
        partnership.wait_for(&format!("#invite-{id}")).await;
    }
    assert!(
        !day_10(&partnership).await.contains("done"),
        "nothing returned yet"
    );
    let day_1 = step(&partnership, "Day 1: agency summary requests").await;
    let today = safeguarding_forms::dates::england_day(&chrono::Utc::now().to_rfc3339())
        .expect("today")
        .format("%d/%m/%Y")
        .to_string();
    assert!(
        day_1.contains("done") && day_1.contains(&today),
        "asking the agencies is the Day 1 step: {day_1}"
    );

    // A person of Kent Police invited from the case page, with the agency filled in.
    partnership.click_to_leave("#invite-kent-police").await;
    partnership.wait_for("#name").await;
    assert_eq!(
        partnership.attr("#agency_id", "value").await.as_deref(),
        Some("kent-police")
    );
    let police_link = invite_on_the_page(
        &partnership,
        "Alex Officer",
        "alex.officer@example.org",
        None,
    )
    .await;

    // They sign in and send their summary on the pages.
    let police = Browser::without_javascript().await;
    sign_in(&police, &police_link).await;
    police.goto(&format!("{}/case/{CASE}", site.base)).await;
    let summary = sample("agency-summary/valid/kscp-2026-014-kent-police.json");
    fill_in(&police, &site.base, CASE, "agency-summary", &summary).await;
    assert_eq!(site.stored(CASE, "agency-summary").await, summary);

    // The partnership sees it arrive; the Day 10 step waits for the GP.
    partnership
        .goto(&format!("{}/case/{CASE}", site.base))
        .await;
    let agencies = partnership.source().await;
    assert!(
        agencies.contains("(version 1)"),
        "the police return's version"
    );
    assert!(
        !day_10(&partnership).await.contains("done"),
        "the GP has not returned"
    );
    let pack = partnership.text("#document-rapid-review-pack").await;
    assert!(
        pack.contains("not yet") && pack.contains("ecord"),
        "the pack says what it waits for: {pack}"
    );
    partnership.goto(&format!("{}/", site.base)).await;
    assert!(partnership.text("#cases").await.contains("1 of 2 received"));

    // The GP's summary and the rapid review record come from machines, through the API.
    for path in [
        "agency-summary/valid/kscp-2026-014-gp.json",
        "rapid-review/valid/kscp-2026-014-lcspr.json",
    ] {
        let (status, body) = site
            .api(
                reqwest::Method::POST,
                &format!("/cases/{CASE}/submissions"),
                Some(sample(path)),
            )
            .await;
        assert_eq!(status, 201, "{path}: {body}");
    }
    partnership
        .goto(&format!("{}/case/{CASE}", site.base))
        .await;
    let day = day_10(&partnership).await;
    assert!(day.contains("done"), "every summary is in: {day}");
    partnership
        .screenshot(&shots.join("journey-case.png"))
        .await;
    partnership.goto(&format!("{}/", site.base)).await;
    let listed = partnership.text("#cases").await;
    assert!(listed.contains("rapid review recorded"), "{listed}");
    partnership
        .screenshot(&shots.join("journey-cases.png"))
        .await;

    // The rapid review pack, as PDF and as Word, read back by independent readers.
    partnership
        .goto(&format!("{}/case/{CASE}", site.base))
        .await;
    let report = partnership.text("#document-final-report").await;
    assert!(report.contains("not yet"), "no final report yet: {report}");
    let dir = tempfile::tempdir().expect("a folder");
    let (kind, pdf) = download(
        &partnership,
        &site,
        "a[href*='/documents/rapid-review-pack?format=pdf']",
    )
    .await;
    assert_eq!(kind, "application/pdf");
    let pdf_path = dir.path().join("pack.pdf");
    std::fs::write(&pdf_path, &pdf).expect("written");
    let pdf_path = pdf_path.to_string_lossy().into_owned();
    let text = run("pdftotext", &["-enc", "UTF-8", &pdf_path, "-"]);
    assert!(text.contains(CASE), "pdftotext reads the case reference");
    assert!(text.contains("Kent Police"), "and the agencies' summaries");
    let info = run("pdfinfo", &[&pdf_path]);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
        "{info}"
    );
    let (kind, docx) = download(
        &partnership,
        &site,
        "a[href*='/documents/rapid-review-pack?format=docx']",
    )
    .await;
    assert!(kind.contains("wordprocessingml"), "{kind}");
    let docx_path = dir.path().join("pack.docx");
    std::fs::write(&docx_path, &docx).expect("written");
    let read: Value = serde_json::from_str(&run(
        "python3",
        &[
            "-c",
            "import docx, json, sys\n\
             d = docx.Document(sys.argv[1])\n\
             text = [p.text for p in d.paragraphs]\n\
             cells = [c.text for t in d.tables for r in t.rows for c in r.cells]\n\
             print(json.dumps({'text': '\\n'.join(text + cells)}))",
            &docx_path.to_string_lossy(),
        ],
    ))
    .expect("python-docx's output");
    let words = read["text"].as_str().unwrap_or_default();
    assert!(words.contains(CASE), "python-docx reads the case reference");
    assert!(words.contains("Kent Police"), "and the agencies' summaries");

    // A reviewer invited on the People page and assigned on the case page.
    partnership.goto(&format!("{}/people", site.base)).await;
    let reviewer_link = invite_on_the_page(
        &partnership,
        "Robin Reviewer",
        "robin@example.org",
        Some("reviewer"),
    )
    .await;
    partnership
        .goto(&format!("{}/case/{CASE}", site.base))
        .await;
    partnership.click("#reviewer option:nth-child(2)").await;
    partnership.click_to_leave("#button-assign").await;
    partnership.wait_for("#reviewers").await;
    assert!(
        partnership
            .text("#reviewers")
            .await
            .contains("Robin Reviewer")
    );

    // The reviewer checks a draft with gaps and sees each on the page.
    let reviewer = Browser::without_javascript().await;
    sign_in(&reviewer, &reviewer_link).await;
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/reports/02-eastmere-typed-contents-missing-tor.txt"
    ))
    .expect("the fixture");
    let draft = super::report_corpus::draft_from_text(&text).docx();
    let draft_path = dir.path().join("draft.docx");
    std::fs::write(&draft_path, draft).expect("written");
    reviewer.goto(&format!("{}/case/{CASE}", site.base)).await;
    reviewer
        .find("#draft")
        .await
        .send_keys(&draft_path.display().to_string())
        .await
        .expect("the file is chosen");
    reviewer.click_to_leave("#button-check").await;
    reviewer.wait_for("h1").await;
    assert_eq!(reviewer.text("h1").await, "The draft needs more work");
    reviewer
        .screenshot(&shots.join("journey-report-check.png"))
        .await;
    let result = reviewer.source().await;
    assert!(result.contains("Terms of reference") && result.contains("Missing"));

    // Every page view, download and check is in the case's audit log, shown to the partnership.
    partnership
        .goto(&format!("{}/case/{CASE}", site.base))
        .await;
    let log = partnership.source().await;
    for action in [
        "GET /case/{id}/documents/{kind}",
        "POST /case/{id}/report-check",
        "POST /case/{id}/reviewer",
        "POST /case/{id}/agencies",
        "GET /case/{id}/form/{form}/section/{n}",
    ] {
        assert!(
            log.contains(action),
            "{action} in the audit log on the page"
        );
    }
    assert!(log.contains("Robin Reviewer (reviewer)"), "who, by name");
}

/// The partnership corrects a notification on the pages after it has opened the case: the
/// case page offers it, the pages start from the version sent, and sending stores a second
/// version with the correction and the rest unchanged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_partnership_corrects_the_notification_on_the_pages() {
    let site = Site::start(Backend::Sqlite).await;
    let partnership = Browser::without_javascript().await;
    sign_in(&partnership, &site.invite("partnership", None)).await;
    let notification = sample("csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json");
    fill_in(
        &partnership,
        &site.base,
        CASE,
        "csprp-notification",
        &notification,
    )
    .await;
    partnership
        .goto(&format!("{}/case/{CASE}", site.base))
        .await;
    let href = format!("/case/{CASE}/form/csprp-notification");
    partnership
        .click_to_leave(&format!("a[href='{href}']"))
        .await;
    partnership.wait_for(".govuk-task-list").await;
    let last = partnership
        .find_all(&format!("a[href^='{href}/section/']"))
        .await
        .len();
    partnership
        .goto(&format!("{}{href}/section/{last}", site.base))
        .await;
    let summary = "[name='/summary']";
    assert_eq!(
        partnership.text(summary).await,
        notification["summary"].as_str().expect("a summary"),
        "the pages start from the version sent"
    );
    let corrected = "Corrected after the strategy meeting: the injuries were found on 9 February.";
    partnership.fill(summary, corrected).await;
    partnership.click_to_leave("button[value=continue]").await;
    partnership
        .goto(&format!("{}{href}/check", site.base))
        .await;
    partnership.click_to_leave("button[value=send]").await;
    partnership.wait_for("#reference").await;

    let mut expected = notification.clone();
    expected["summary"] = Value::String(corrected.to_owned());
    assert_eq!(site.stored(CASE, "csprp-notification").await, expected);
    let (_, versions) = site
        .api(
            reqwest::Method::GET,
            &format!("/cases/{CASE}/submissions"),
            None,
        )
        .await;
    let notifications = versions
        .as_array()
        .expect("a list")
        .iter()
        .filter(|v| v["form"] == "csprp-notification")
        .count();
    assert_eq!(notifications, 2, "{versions}");
}
