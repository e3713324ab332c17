//! The partnership's Reports page: the timeliness report downloaded from a form, the yearly
//! report written, checked, downloaded and carried on from a file of answers; over HTTP against
//! the real binary, and once in Chromium (JavaScript off for the journey, on for axe-core).

use reqwest::header::{CONTENT_TYPE, SET_COOKIE};
use serde_json::Value;

use super::support::browser::{Browser, WCAG_TAGS};
use super::support::http_db::Backend;
use super::web_pages::{Site, person_of, sign_in};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// Signs in through a new link: the link's person, the cookie and the CSRF token of its pages.
async fn signed_in(site: &Site, role: &str) -> (String, String, String) {
    let agency = (role == "agency").then_some(("kent-police", "Kent Police"));
    let link = site.invite(role, agency);
    let response = client().post(&link).send().await.expect("sign-in answers");
    assert_eq!(response.status(), 303);
    let cookie = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sf_session=") && !v.starts_with("sf_session=;"))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let page = client()
        .get(format!("{}/", site.base))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("home answers")
        .text()
        .await
        .expect("a page");
    let csrf = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSRF field")
        .to_owned();
    (person_of(&link), cookie, csrf)
}

async fn get(site: &Site, path: &str, cookie: &str) -> reqwest::Response {
    client()
        .get(format!("{}{path}", site.base))
        .header("cookie", cookie)
        .send()
        .await
        .expect("the service answers")
}

async fn post(
    site: &Site,
    path: &str,
    cookie: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    client()
        .post(format!("{}{path}", site.base))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .expect("the service answers")
}

/// Text as the pages escape it.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn complete() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/yearly-report/complete.json"
    ))
    .expect("the fixture");
    serde_json::from_str(&text).expect("JSON")
}

/// The yearly report's form fields (named by pointer) of a set of answers, with the CSRF token
/// and the button pressed.
fn form_of(answers: &Value, csrf: &str, action: &str) -> Vec<(String, String)> {
    let mut form = vec![
        ("_csrf".to_owned(), csrf.to_owned()),
        ("_action".to_owned(), action.to_owned()),
    ];
    fn walk(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    walk(&format!("{prefix}/{key}"), inner, out);
                }
            }
            Value::String(text) => out.push((prefix.to_owned(), text.clone())),
            Value::Bool(yes) => out.push((prefix.to_owned(), yes.to_string())),
            _ => {}
        }
    }
    walk("", answers, &mut form);
    form
}

/// How many audit entries a person has for an action.
async fn audited(site: &Site, person: &str, action: &str) -> i64 {
    let pool = sqlx::SqlitePool::connect(&site.database)
        .await
        .expect("opens");
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit WHERE principal = ? AND action = ?")
            .bind(person)
            .bind(action)
            .fetch_one(&pool)
            .await
            .expect("counts");
    pool.close().await;
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_partnership_downloads_the_timeliness_report_from_the_page() {
    let site = Site::start(Backend::Sqlite).await;
    let (person, cookie, _) = signed_in(&site, "partnership").await;
    let home = get(&site, "/", &cookie).await.text().await.expect("a page");
    assert!(
        home.contains("href=\"/reports\""),
        "the case list links to Reports"
    );
    let page = get(&site, "/reports", &cookie).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.expect("a page");
    for words in [
        "Timeliness and activity report",
        "Yearly report",
        "the last 12 months",
        "kept on the service",
    ] {
        assert!(page.contains(words), "{words}");
    }
    for (format, content_type, magic) in [
        ("docx", DOCX, &b"PK"[..]),
        ("pdf", "application/pdf", &b"%PDF"[..]),
    ] {
        let response = get(
            &site,
            &format!(
                "/reports/timeliness/download?from=2025-12-01&to=2026-11-30&format={format}&_action=timeliness"
            ),
            &cookie,
        )
        .await;
        assert_eq!(response.status(), 200, "{format}");
        assert_eq!(response.headers()[CONTENT_TYPE], content_type);
        let bytes = response.bytes().await.expect("a file");
        assert!(bytes.starts_with(magic), "{format}: a real file");
    }
    // Both days left empty: the last 12 months, as CSV.
    let response = get(
        &site,
        "/reports/timeliness/download?from=&to=&format=csv",
        &cookie,
    )
    .await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .expect("text")
            .starts_with("text/csv")
    );
    // Audited once each, as the page's route.
    assert_eq!(audited(&site, &person, "GET /reports").await, 1);
    assert_eq!(
        audited(&site, &person, "GET /reports/timeliness/download").await,
        3
    );
    assert_eq!(audited(&site, &person, "GET /reports/timeliness").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_date_shows_the_page_again_with_the_input_kept() {
    let site = Site::start(Backend::Sqlite).await;
    let (_, cookie, _) = signed_in(&site, "partnership").await;
    let response = get(
        &site,
        "/reports/timeliness/download?from=2025-02-30&to=next+week&format=pdf",
        &cookie,
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("a page");
    assert!(page.contains("<title>Error: Reports"), "the title says so");
    assert!(page.contains("govuk-error-summary"));
    assert!(page.contains("href=\"#from\""), "linked to the first day");
    assert!(page.contains("href=\"#to\""), "linked to the last day");
    assert!(page.contains("must be a real date"));
    assert!(page.contains("Enter the last day as YYYY-MM-DD"));
    assert!(page.contains("value=\"2025-02-30\""), "the input is kept");
    assert!(page.contains("value=\"next week\""), "the input is kept");
    assert!(
        page.contains("value=\"pdf\" checked"),
        "the format chosen is kept"
    );
    // A period ending before it starts.
    let page = get(
        &site,
        "/reports/timeliness/download?from=2026-12-01&to=2025-12-01&format=docx",
        &cookie,
    )
    .await
    .text()
    .await
    .expect("a page");
    assert!(page.contains("href=\"#to\""), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agencies_and_reviewers_cannot_use_the_reports_page() {
    let site = Site::start(Backend::Sqlite).await;
    site.case_asking("KSCP-2026-014", Some(("kent-police", "Kent Police")))
        .await;
    for role in ["agency", "reviewer"] {
        let (_, cookie, csrf) = signed_in(&site, role).await;
        assert_eq!(
            get(&site, "/reports", &cookie).await.status(),
            403,
            "{role}"
        );
        assert_eq!(
            get(&site, "/reports/timeliness/download?format=docx", &cookie)
                .await
                .status(),
            403,
            "{role}"
        );
        let form = form_of(&complete(), &csrf, "docx");
        assert_eq!(
            post(&site, "/reports/yearly/draft", &cookie, &form)
                .await
                .status(),
            403,
            "{role}"
        );
        let home = get(&site, "/", &cookie).await.text().await.expect("a page");
        assert!(!home.contains("href=\"/reports\""), "{role}: no link");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_yearly_check_shows_missing_sections_and_keeps_the_answers() {
    let site = Site::start(Backend::Sqlite).await;
    let (person, cookie, csrf) = signed_in(&site, "partnership").await;
    let mut answers = complete();
    let sections = answers["sections"].as_object_mut().expect("sections");
    let kept: Vec<(String, String)> = sections
        .iter()
        .take(2)
        .map(|(k, v)| (k.clone(), v.as_str().expect("text").to_owned()))
        .collect();
    let dropped: Vec<String> = sections.keys().skip(2).cloned().collect();
    sections.retain(|k, _| kept.iter().any(|(kept, _)| kept == k));
    let response = post(
        &site,
        "/reports/yearly/draft",
        &cookie,
        &form_of(&answers, &csrf, "check"),
    )
    .await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("a page");
    let results = page
        .split("id=\"check-results\"")
        .nth(1)
        .expect("the check is on the page");
    assert!(results.contains("Missing"), "gaps are named");
    assert!(results.contains("Present"), "written sections are named");
    assert!(results.contains("Source: Working Together"), "with sources");
    for key in &dropped {
        assert!(
            results.contains(&format!("href=\"#y-sections-{key}\"")),
            "{key} is missing and linked to its field"
        );
    }
    for (_, text) in &kept {
        assert!(page.contains(&esc(text)), "the answer is kept in its field");
    }
    assert!(page.contains("value=\"Kent Safeguarding Children Multi-Agency Partnership\""));
    assert!(page.contains("value=\"2025-04-01\""));
    assert!(page.contains("name=\"/secure_establishment\" type=\"radio\" value=\"true\" checked"));
    // The request, and the answers kept (in the same transaction as their write).
    assert_eq!(
        audited(&site, &person, "POST /reports/yearly/draft").await,
        2
    );

    // The copy to publish of a report with sections missing: refused on the page, beside the
    // choice, naming them, the answers kept.
    let mut form = form_of(&answers, &csrf, "docx");
    form.push(("copy".to_owned(), "official".to_owned()));
    let response = post(&site, "/reports/yearly/draft", &cookie, &form).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("a page");
    assert!(page.contains("href=\"#copy\""), "linked to the choice");
    assert!(page.contains("The copy for publication needs every section written"));
    assert!(page.contains("id=\"copy-2\" name=\"copy\" type=\"radio\" value=\"official\" checked"));
    assert!(page.contains(&esc(&kept[0].1)));

    // An answer that cannot be right is an error on its field, the rest kept.
    let mut wrong = answers.clone();
    wrong["published_date"] = Value::String("2026-02-30".to_owned());
    let response = post(
        &site,
        "/reports/yearly/draft",
        &cookie,
        &form_of(&wrong, &csrf, "check"),
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("a page");
    assert!(page.contains("href=\"#y-published_date\""), "{page}");
    assert!(page.contains("value=\"2026-02-30\""));
    assert!(page.contains(&esc(&kept[0].1)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complete_yearly_report_downloads_and_its_answers_round_trip() {
    let site = Site::start(Backend::Sqlite).await;
    let (_, cookie, csrf) = signed_in(&site, "partnership").await;
    let answers = complete();
    let response = post(
        &site,
        "/reports/yearly/draft",
        &cookie,
        &form_of(&answers, &csrf, "check"),
    )
    .await;
    let page = response.text().await.expect("a page");
    assert!(
        page.contains("Every section the guidance asks for is written"),
        "complete"
    );
    let response = post(
        &site,
        "/reports/yearly/draft",
        &cookie,
        &form_of(&answers, &csrf, "docx"),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[CONTENT_TYPE], DOCX);
    assert!(response.bytes().await.expect("a file").starts_with(b"PK"));
    // The copy to publish, chosen on the page.
    let mut form = form_of(&answers, &csrf, "pdf");
    form.push(("copy".to_owned(), "official".to_owned()));
    let response = post(&site, "/reports/yearly/draft", &cookie, &form).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("text")
            .contains("-official.pdf"),
        "{:?}",
        response.headers()
    );
    assert!(response.bytes().await.expect("a file").starts_with(b"%PDF"));
    // The answers as JSON, and that file uploaded fills in the form.
    let response = post(
        &site,
        "/reports/yearly/draft",
        &cookie,
        &form_of(&answers, &csrf, "json"),
    )
    .await;
    assert_eq!(response.status(), 200);
    let saved: Value = response.json().await.expect("JSON");
    assert_eq!(saved, answers, "the file holds the answers as given");
    let upload = |csrf: Option<&str>, bytes: Vec<u8>| {
        let mut form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("answers.json"),
        );
        if let Some(csrf) = csrf {
            form = form.text("_csrf", csrf.to_owned());
        }
        client()
            .post(format!("{}/reports/yearly/draft/upload", site.base))
            .header("cookie", &cookie)
            .multipart(form)
            .send()
    };
    let bytes = serde_json::to_vec(&saved).expect("JSON");
    let response = upload(Some(&csrf), bytes.clone()).await.expect("answers");
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("a page");
    for text in answers["sections"].as_object().expect("sections").values() {
        assert!(page.contains(&esc(text.as_str().expect("text"))));
    }
    assert!(page.contains("value=\"2026-10-02\""), "a copy's date");
    // Not JSON: said on the page.
    let response = upload(Some(&csrf), b"not json".to_vec())
        .await
        .expect("answers");
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .expect("a page")
            .contains("href=\"#answers-file\"")
    );
    // Without the CSRF token: refused.
    let response = upload(None, bytes).await.expect("answers");
    assert_eq!(response.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_yearly_post_without_the_right_csrf_token_is_refused() {
    let site = Site::start(Backend::Sqlite).await;
    let (_, cookie, _) = signed_in(&site, "partnership").await;
    let mut form = form_of(&complete(), "0".repeat(64).as_str(), "docx");
    let response = post(&site, "/reports/yearly/draft", &cookie, &form).await;
    assert_eq!(response.status(), 403);
    form.retain(|(name, _)| name != "_csrf");
    let response = post(&site, "/reports/yearly/draft", &cookie, &form).await;
    assert_eq!(response.status(), 403);
    // Another session's token is not this one's.
    let (_, _, other) = signed_in(&site, "partnership").await;
    let form = form_of(&complete(), &other, "check");
    let response = post(&site, "/reports/yearly/draft", &cookie, &form).await;
    assert_eq!(response.status(), 403);
}

/// In Chromium: the page works with JavaScript off (a bad date, then a check with the answers
/// kept), and axe-core (which needs JavaScript) finds no WCAG 2.2 A or AA violation on the page
/// empty, with errors, and with a check's results.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reports_page_works_without_javascript_and_passes_axe() {
    let site = Site::start(Backend::Sqlite).await;
    let reports = format!("{}/reports", site.base);
    let plain = Browser::without_javascript().await;
    sign_in(&plain, &site.invite("partnership", None)).await;
    plain.goto(&reports).await;
    plain.fill("#from", "2025-02-30").await;
    plain.click_to_leave("#button-timeliness").await;
    plain.wait_for(".govuk-error-summary").await;
    assert!(
        plain
            .text(".govuk-error-summary")
            .await
            .contains("must be a real date")
    );
    assert_eq!(
        plain.attr("#from", "value").await.as_deref(),
        Some("2025-02-30")
    );
    let first = yearly_first_section(&plain).await;
    plain
        .fill(&format!("#{first}"), "Written on the page.")
        .await;
    plain.click_to_leave("#button-check").await;
    plain.wait_for("#check-results").await;
    assert!(plain.text("#check-results").await.contains("Missing"));
    assert_eq!(
        plain.text(&format!("#{first}")).await,
        "Written on the page."
    );
    let shots = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).expect("a folder for screenshots");
    plain
        .execute(
            "document.getElementById('yearly-report').scrollIntoView();",
            vec![],
        )
        .await;
    plain.screenshot(&shots.join("reports.png")).await;
    // Away and back another day: the answers are still there.
    plain.goto(&format!("{}/", site.base)).await;
    plain.goto(&reports).await;
    assert_eq!(
        plain.text(&format!("#{first}")).await,
        "Written on the page."
    );
    assert!(plain.text("#yearly-saved").await.contains("by you"));

    let browser = Browser::start().await;
    sign_in(&browser, &site.invite("partnership", None)).await;
    let check = |page: &'static str| {
        let browser = &browser;
        async move {
            let violations: Vec<_> = browser
                .axe(WCAG_TAGS)
                .await
                .into_iter()
                .filter(|v| v.id != "aria-allowed-attr")
                .collect();
            assert!(
                violations.is_empty(),
                "{page}: {}",
                violations
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    };
    browser.goto(&reports).await;
    check("reports").await;
    browser.fill("#to", "yesterday").await;
    browser.click_to_leave("#button-timeliness").await;
    browser.wait_for(".govuk-error-summary").await;
    check("reports with an error").await;
    browser.goto(&reports).await;
    browser.click_to_leave("#button-check").await;
    browser.wait_for("#check-results").await;
    check("reports with a check").await;
}

/// The id of the first written section's textarea.
async fn yearly_first_section(browser: &Browser) -> String {
    browser
        .attr("textarea[name^='/sections/']", "id")
        .await
        .expect("a section's textarea")
}

/// The yearly report's answers are kept on the service: half done (with a date that cannot be
/// right) and saved by one person, they are there for another of the team, who is told when and
/// by whom; the audit log has the SHA-256 of the answers, never their words. A file of answers
/// with answers the page does not ask is read, and the page names those it left out.
async fn the_yearly_answers_are_kept_for_the_team(backend: Backend) {
    let site = Site::start(backend).await;
    let (first, cookie, csrf) = signed_in(&site, "partnership").await;
    let page = get(&site, "/reports", &cookie)
        .await
        .text()
        .await
        .expect("a page");
    assert!(!page.contains("id=\"yearly-saved\""), "nothing kept yet");
    let mut answers = complete();
    let sections = answers["sections"].as_object_mut().expect("sections");
    let (key, text) = sections
        .iter()
        .next()
        .map(|(k, v)| (k.clone(), v.as_str().expect("text").to_owned()))
        .expect("a section");
    sections.retain(|k, _| *k == key);
    answers["published_date"] = Value::String("2026-02-30".to_owned());
    let response = post(
        &site,
        "/reports/yearly/draft",
        &cookie,
        &form_of(&answers, &csrf, "save"),
    )
    .await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("a page");
    assert!(page.contains("Answers last saved on"), "{page}");
    assert!(page.contains("by you."));

    // Another of the team opens the page another day: the answers as left, and who left them.
    let (_, other, other_csrf) = signed_in(&site, "partnership").await;
    let page = get(&site, "/reports", &other)
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains(&esc(&text)), "the section written");
    assert!(page.contains("value=\"2026-02-30\""), "the date as typed");
    let saved = page
        .split("id=\"yearly-saved\">")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .expect("when and by whom");
    assert!(
        saved.starts_with("Answers last saved on ") && !saved.contains("by you"),
        "{saved}"
    );
    assert!(!saved.contains("token "), "named, not a token: {saved}");

    // Both open the page; the first saves a change; the second's save would overwrite it
    // unseen, so it is not kept and the page says so; saving again knowingly replaces it.
    let opened = |page: &str| {
        page.split("name=\"_saved_at\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the moment the page started from")
            .to_owned()
    };
    let first_opened = opened(
        &get(&site, "/reports", &cookie)
            .await
            .text()
            .await
            .expect("a page"),
    );
    assert_eq!(
        opened(&page),
        first_opened,
        "both start from the same answers"
    );
    let with = |answers: &Value, csrf: &str, at: &str| {
        let mut form = form_of(answers, csrf, "save");
        form.push(("_saved_at".to_owned(), at.to_owned()));
        form
    };
    let mut firsts = answers.clone();
    firsts["partnership"] = Value::String("First's partnership".to_owned());
    let response = post(
        &site,
        "/reports/yearly/draft",
        &cookie,
        &with(&firsts, &csrf, &first_opened),
    )
    .await;
    assert!(response.text().await.expect("a page").contains("by you."));
    let mut seconds = answers.clone();
    seconds["partnership"] = Value::String("Second's partnership".to_owned());
    let response = post(
        &site,
        "/reports/yearly/draft",
        &other,
        &with(&seconds, &other_csrf, &opened(&page)),
    )
    .await;
    let warned = response.text().await.expect("a page");
    assert!(warned.contains("id=\"yearly-conflict\""), "{warned}");
    assert!(
        warned.contains("Second&#39;s partnership"),
        "the answers typed are on the page"
    );
    let kept = get(&site, "/reports", &cookie)
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        kept.contains("First&#39;s partnership"),
        "the first's answers are not overwritten"
    );
    let response = post(
        &site,
        "/reports/yearly/draft",
        &other,
        &with(&seconds, &other_csrf, &opened(&warned)),
    )
    .await;
    let page = response.text().await.expect("a page");
    assert!(!page.contains("id=\"yearly-conflict\""), "{page}");
    let kept = get(&site, "/reports", &cookie)
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        kept.contains("Second&#39;s partnership"),
        "saved again, knowingly"
    );

    // An agency user cannot save or see them.
    let (_, agency, agency_csrf) = signed_in(&site, "agency").await;
    let response = post(
        &site,
        "/reports/yearly/draft",
        &agency,
        &form_of(&answers, &agency_csrf, "save"),
    )
    .await;
    assert_eq!(response.status(), 403);
    assert!(!response.text().await.expect("a page").contains(&esc(&text)));

    // A file with answers the page does not ask: the rest read and kept, those named.
    let mut file = complete();
    file["form"] = Value::String("agency-summary".to_owned());
    file["sections"]["not_a_section"] = Value::String("Stray words.".to_owned());
    let form = reqwest::multipart::Form::new()
        .text("_csrf", other_csrf)
        .part(
            "file",
            reqwest::multipart::Part::bytes(serde_json::to_vec(&file).expect("JSON"))
                .file_name("answers.json"),
        );
    let response = client()
        .post(format!("{}/reports/yearly/draft/upload", site.base))
        .header("cookie", &other)
        .multipart(form)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("a page");
    let warning = page
        .split("id=\"yearly-left-out\"")
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("the answers left out are named");
    assert!(warning.contains("2 answers"), "{warning}");
    assert!(
        warning.contains("/form") && warning.contains("/sections/not_a_section"),
        "{warning}"
    );
    let page = get(&site, "/reports", &cookie)
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        page.contains("value=\"2025-04-01\""),
        "the file's answers are now kept"
    );
    assert!(!page.contains("Stray words."));

    // What the audit log holds of it: who, and a hash.
    let details: Vec<String> = site
        .db()
        .store
        .audit_log("")
        .await
        .expect("the audit log")
        .into_iter()
        .filter(|e| e.principal == first && e.outcome == "draft")
        .map(|e| e.detail)
        .collect();
    assert_eq!(details.len(), 2, "the first's two saves: {details:?}");
    for detail in &details {
        assert!(
            detail.starts_with("draft of yearly-report saved, sha256 ") && !detail.contains(&text),
            "{details:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_yearly_answers_are_kept_for_the_team_sqlite() {
    the_yearly_answers_are_kept_for_the_team(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_yearly_answers_are_kept_for_the_team_postgres() {
    the_yearly_answers_are_kept_for_the_team(Backend::Postgres).await;
}
