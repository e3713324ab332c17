//! The browser harness itself (`support::browser`): Chromium opens pages styled with the vendored
//! GOV.UK Frontend from a small local server, types, moves focus with the keyboard, submits,
//! takes a screenshot, keeps cookies, runs axe-core, and can run with JavaScript off.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse};
use axum::routing::get;

use crate::support::browser::{Browser, WCAG_TAGS};

/// The CSP hash of GOV.UK Frontend's one inline line (see `assets/govuk-frontend/README.md`).
const JS_ENABLED_HASH: &str = "sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw=";

/// GOV.UK Frontend's inline line, exactly as its page template writes it.
const JS_ENABLED_LINE: &str = "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');";

/// A GOV.UK page around `main`, with the vendored stylesheet and scripts.
fn page(title: &str, main: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en-GB" class="govuk-template">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="stylesheet" href="/assets/govuk-frontend/govuk-frontend.min.css">
</head>
<body class="govuk-template__body">
  <script>{JS_ENABLED_LINE}</script>
  <div class="govuk-width-container">
    <main class="govuk-main-wrapper" id="main-content">
{main}
    </main>
  </div>
  <script type="module" src="/assets/govuk-frontend/init.js"></script>
</body>
</html>"#
    )
}

fn form_page() -> String {
    page(
        "Tell us about the review – Smoke test",
        r#"<h1 class="govuk-heading-l">Tell us about the review</h1>
<form method="get" action="/submitted" novalidate>
  <div class="govuk-form-group">
    <label class="govuk-label" for="full-name">Full name</label>
    <input class="govuk-input" id="full-name" name="full-name" type="text" autocomplete="name">
  </div>
  <div class="govuk-form-group">
    <label class="govuk-label" for="role">Role</label>
    <input class="govuk-input" id="role" name="role" type="text">
  </div>
  <div class="govuk-form-group govuk-character-count" data-module="govuk-character-count" data-maxlength="200">
    <label class="govuk-label" for="summary">Summary</label>
    <textarea class="govuk-textarea govuk-js-character-count" id="summary" name="summary" rows="3" aria-describedby="summary-info"></textarea>
    <div id="summary-info" class="govuk-hint govuk-character-count__message">You can enter up to 200 characters</div>
  </div>
  <button type="submit" class="govuk-button" data-module="govuk-button" id="continue">Continue</button>
</form>"#,
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The small site the tests browse; returns its base URL. It runs on the test's runtime.
async fn site() -> String {
    let csp = format!(
        "default-src 'self'; script-src 'self' '{JS_ENABLED_HASH}'; style-src 'self'; \
         img-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    let form = move || {
        let csp = csp.clone();
        async move {
            (
                [
                    (header::CONTENT_SECURITY_POLICY, csp),
                    (
                        header::SET_COOKIE,
                        "seen=yes; Path=/; HttpOnly; SameSite=Lax".into(),
                    ),
                ],
                Html(form_page()),
            )
        }
    };
    let submitted = |Query(query): Query<HashMap<String, String>>| async move {
        let name = escape(query.get("full-name").map_or("", String::as_str));
        Html(page(
            "Submitted – Smoke test",
            &format!(r#"<h1 class="govuk-heading-l" id="thanks">Thank you, {name}</h1>"#),
        ))
    };
    let bad = || async {
        Html(page(
            "No label – Smoke test",
            r#"<h1 class="govuk-heading-l">No label</h1>
<form method="get" action="/submitted"><input class="govuk-input" id="nameless" name="x" type="text"></form>"#,
        ))
    };
    let noscript = || async {
        Html(page(
            "Without JavaScript – Smoke test",
            r#"<h1 class="govuk-heading-l">Without JavaScript</h1>
<noscript><p class="govuk-body" id="noscript-marker">JavaScript is off</p></noscript>
<p class="govuk-body" id="script-marker">No script ran</p>
<form method="get" action="/submitted">
  <div class="govuk-form-group">
    <label class="govuk-label" for="full-name">Full name</label>
    <input class="govuk-input" id="full-name" name="full-name" type="text">
  </div>
  <div class="govuk-form-group">
    <label class="govuk-label" for="role">Role</label>
    <input class="govuk-input" id="role" name="role" type="text">
  </div>
  <button type="submit" class="govuk-button" id="send">Send</button>
</form>
<script src="/marker.js"></script>"#,
        ))
    };
    let marker = || async {
        (
            [(header::CONTENT_TYPE, "text/javascript")],
            "document.getElementById('script-marker').textContent = 'A script ran';",
        )
    };
    let asset = |Path(file): Path<String>| async move {
        let kind = match file.rsplit('.').next() {
            Some("css") => "text/css",
            Some("js") => "text/javascript",
            _ => return StatusCode::NOT_FOUND.into_response(),
        };
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/govuk-frontend");
        if file.contains('/') || file.starts_with('.') {
            return StatusCode::NOT_FOUND.into_response();
        }
        match std::fs::read(format!("{dir}/{file}")) {
            Ok(bytes) => ([(header::CONTENT_TYPE, kind)], bytes).into_response(),
            Err(_) => StatusCode::NOT_FOUND.into_response(),
        }
    };
    let app = Router::new()
        .route("/form", get(form))
        .route("/submitted", get(submitted))
        .route("/bad", get(bad))
        .route("/noscript", get(noscript))
        .route("/marker.js", get(marker))
        .route("/assets/govuk-frontend/{file}", get(asset));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("the address"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("the test site") });
    base
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_types_tabs_submits_screenshots_and_keeps_cookies() {
    let base = site().await;
    let browser = Browser::start().await;
    assert!(browser.javascript());
    browser.goto(&format!("{base}/form")).await;
    assert_eq!(
        browser.title().await,
        "Tell us about the review – Smoke test"
    );

    // The inline line ran under the CSP (its hash is right) and init.js started the components.
    browser
        .wait_for("[data-module='govuk-character-count'][data-govuk-character-count-init]")
        .await;
    let body_class = browser.attr("body", "class").await.unwrap_or_default();
    assert!(
        body_class.contains("js-enabled") && body_class.contains("govuk-frontend-supported"),
        "{body_class}"
    );
    // The stylesheet applies: a GOV.UK button is not the browser's grey default.
    let button = browser.find(".govuk-button").await;
    let background = button
        .css_value("background-color")
        .await
        .expect("a colour");
    assert_ne!(background, "rgb(239, 239, 239)", "{background}");

    browser.fill("#full-name", "Ada Lovelace").await;
    assert_eq!(browser.active_id().await.as_deref(), Some("full-name"));
    browser.press_tab().await;
    assert_eq!(browser.active_id().await.as_deref(), Some("role"));
    browser.press_shift_tab().await;
    assert_eq!(browser.active_id().await.as_deref(), Some("full-name"));
    browser.press_tab().await;
    browser.fill("#role", "Reviewer").await;

    let dir = tempfile::tempdir().expect("a folder");
    let shot = dir.path().join("form.png");
    let png = browser.screenshot(&shot).await;
    assert_eq!(std::fs::read(&shot).expect("the file"), png);
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(png.len() > 1024, "{} bytes", png.len());

    // The server's cookie, and one set, read and deleted through WebDriver.
    let seen = browser.cookie("seen").await.expect("the server's cookie");
    assert_eq!(seen.value(), "yes");
    assert_eq!(seen.http_only(), Some(true));
    assert!(browser.cookie("theme").await.is_none());
    browser.set_cookie("theme", "plain").await;
    let names: Vec<String> = browser
        .cookies()
        .await
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert!(names.contains(&"theme".to_owned()), "{names:?}");
    browser.delete_cookie("theme").await;
    assert!(browser.cookie("theme").await.is_none());
    browser.set_cookie("theme", "plain").await;
    browser.delete_all_cookies().await;
    assert!(browser.cookies().await.is_empty());
    browser.set_cookie("seen", "yes").await;

    // Enter in a text field submits the form.
    browser.press_enter().await;
    assert_eq!(
        browser.wait_for("#thanks").await.text().await.unwrap(),
        "Thank you, Ada Lovelace"
    );
    let url = browser.current_url().await;
    assert!(
        url.starts_with(&format!("{base}/submitted?"))
            && url.contains("full-name=Ada+Lovelace")
            && url.contains("role=Reviewer"),
        "{url}"
    );
    assert!(browser.source().await.contains("Thank you, Ada Lovelace"));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_axe_finds_a_missing_label_and_passes_a_govuk_form() {
    let base = site().await;
    let browser = Browser::start().await;

    browser.goto(&format!("{base}/bad")).await;
    let violations = browser.axe(WCAG_TAGS).await;
    let label = violations
        .iter()
        .find(|v| v.id == "label")
        .unwrap_or_else(|| panic!("no label violation in {violations:?}"));
    assert_eq!(label.targets, ["#nameless"]);
    assert!(label.impact.is_some() && !label.help.is_empty(), "{label}");

    browser.goto(&format!("{base}/form")).await;
    browser.wait_for("[data-govuk-character-count-init]").await;
    assert_eq!(browser.axe(WCAG_TAGS).await, []);
    browser.assert_accessible().await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_without_javascript_runs_no_page_script() {
    let base = site().await;
    let browser = Browser::without_javascript().await;
    assert!(!browser.javascript());

    browser.goto(&format!("{base}/noscript")).await;
    let noscript = browser.find("#noscript-marker").await;
    assert!(noscript.is_displayed().await.unwrap());
    assert_eq!(browser.text("#noscript-marker").await, "JavaScript is off");
    assert_eq!(browser.text("#script-marker").await, "No script ran");
    let body_class = browser.attr("body", "class").await.unwrap_or_default();
    assert!(!body_class.contains("js-enabled"), "{body_class}");

    // WebDriver's own commands still work without page scripts.
    browser.fill("#full-name", "Grace Hopper").await;
    browser.press_tab().await;
    assert_eq!(browser.active_id().await.as_deref(), Some("role"));
    browser.press_enter().await;
    browser.wait_for("#thanks").await;
    assert_eq!(browser.text("#thanks").await, "Thank you, Grace Hopper");
    browser.client().back().await.expect("back to the form");
    assert_eq!(browser.find_all("label.govuk-label").await.len(), 2);
    browser.fill("#full-name", "Katherine Johnson").await;
    browser.click_to_leave("#send").await;
    browser.wait_for("#thanks").await;
    assert_eq!(
        browser.text("#thanks").await,
        "Thank you, Katherine Johnson"
    );

    // So does a synchronous "execute script" (chromedriver runs it through DevTools); timers
    // never fire, which is why axe-core cannot run here (see `Browser::axe`).
    assert_eq!(
        browser.execute("return 6 * 7;", vec![]).await,
        serde_json::json!(42)
    );
    browser.goto(&format!("{base}/form")).await;
    assert!(
        browser
            .try_find("[data-govuk-character-count-init]")
            .await
            .is_none(),
        "GOV.UK Frontend started without JavaScript"
    );
    browser.close().await;
}
