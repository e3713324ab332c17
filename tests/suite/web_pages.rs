//! The web pages as people use them, in a real Chromium over WebDriver against the real binary
//! on SQLite and PostgreSQL: every valid sample of every form entered field by field (with and
//! without JavaScript) and stored exactly as the sample; every invalid sample's rules in the
//! error summary, each linked to a field on the page it links to; a keyboard-only journey; and
//! axe-core on every kind of page.

use std::collections::BTreeMap;
use std::process::{Child, Command};

use serde_json::{Value, json};

use super::support::browser::Browser;
use super::support::http_db::{Backend, TestDb};
use super::support::served::{BIN, serve, token};

/// Every sample of a form, by file name.
fn samples(form: &str, kind: &str) -> Vec<(String, Value)> {
    let dir = format!("{}/samples/{form}/{kind}", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(Result::ok)
        .map(|entry| {
            let path = entry.path();
            let text = std::fs::read_to_string(&path).expect("a sample");
            (
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                serde_json::from_str(&text).expect("JSON"),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The form's schema, as the service embeds it.
fn schema(form: &str) -> Value {
    let path = format!("{}/schemas/{form}.schema.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("JSON")
}

/// The running service, its database and an API token for the partnership.
pub struct Site {
    _child: KillOnDrop,
    /// Base URL.
    pub base: String,
    /// The database URL.
    pub database: String,
    /// A partnership API token.
    pub partnership: String,
    http: reqwest::Client,
    _db: TestDb,
}

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Site {
    /// Starts the service on a fresh database.
    pub async fn start(backend: Backend) -> Site {
        let db = TestDb::new(backend).await;
        let partnership = token(&db.url, "partnership", None);
        let (child, base) = serve(&db.url);
        Site {
            _child: KillOnDrop(child),
            base,
            database: db.url.clone(),
            partnership,
            http: reqwest::Client::new(),
            _db: db,
        }
    }

    /// A one-time sign-in link for a new person, made with `invite`.
    pub fn invite(&self, role: &str, agency: Option<(&str, &str)>) -> String {
        let mut command = Command::new(BIN);
        command.args([
            "invite",
            "--name",
            "Sam Tester",
            "--email",
            "sam@example.org",
            "--role",
            role,
            "--url",
            &self.base,
            "--database",
            &self.database,
        ]);
        if let Some((id, name)) = agency {
            command.args(["--agency", id, "--agency-name", name]);
        }
        let output = command.output().expect("invite runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// The database, to reach its tables directly.
    pub fn db(&self) -> &TestDb {
        &self._db
    }

    /// Calls the API as the partnership.
    pub async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.partnership);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the API answers");
        let status = response.status().as_u16();
        let value = response.json().await.unwrap_or(Value::Null);
        (status, value)
    }

    /// Opens a case by referral (unless it exists) and asks an agency.
    pub async fn case_asking(&self, case: &str, agency: Option<(&str, &str)>) {
        let (status, _) = self
            .api(reqwest::Method::GET, &format!("/cases/{case}"), None)
            .await;
        if status == 404 {
            let (id, name) = agency.unwrap_or(("kent-police", "Kent Police"));
            let (status, body) = self
                .api(
                    reqwest::Method::POST,
                    "/cases",
                    Some(json!({"referral": {"case_reference": case, "agency": {"id": id, "name": name},
                        "reason": "A referral made to test the web pages."}})),
                )
                .await;
            assert_eq!(status, 201, "{body}");
        }
        if let Some((id, name)) = agency {
            let (status, body) = self
                .api(
                    reqwest::Method::POST,
                    &format!("/cases/{case}/agencies"),
                    Some(json!({"agencies": [{"id": id, "name": name}]})),
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
    }

    /// The latest stored version of a form on a case, through the API.
    pub async fn stored(&self, case: &str, form: &str) -> Value {
        let (_, list) = self
            .api(
                reqwest::Method::GET,
                &format!("/cases/{case}/submissions"),
                None,
            )
            .await;
        let id = list
            .as_array()
            .expect("a list")
            .iter()
            .filter(|s| s["form"] == form)
            .max_by_key(|s| s["version"].as_i64())
            .map(|s| s["id"].as_i64().unwrap_or_default())
            .unwrap_or_else(|| panic!("no {form} stored on {case}"));
        let (_, submission) = self
            .api(
                reqwest::Method::GET,
                &format!("/cases/{case}/submissions/{id}"),
                None,
            )
            .await;
        submission["body"].clone()
    }
}

/// The audit log's id of the person a sign-in link was made for.
pub fn person_of(link: &str) -> String {
    let code = link.rsplit('/').next().unwrap_or_default();
    format!("person:{}", code.split('.').next().unwrap_or_default())
}

/// Signs in with a link: the link's page, then its button.
pub async fn sign_in(browser: &Browser, link: &str) {
    browser.goto(link).await;
    browser
        .click_to_leave("form[action^='/sign-in/'] button")
        .await;
    browser.wait_for("h1").await;
    assert!(
        browser.text("h1").await.ends_with("ases"),
        "signed in (\"Your cases\", or \"Cases\" for the partnership): {}",
        browser.text("h1").await
    );
}

/// Who fills a form in on the pages, and for which agency.
fn person_for(form: &str, sample: &Value) -> (&'static str, Option<(String, String)>) {
    let schema = schema(form);
    let agency = schema["x-agency"].as_str().and_then(|pointer| {
        let at = sample.pointer(pointer)?;
        Some((
            at["id"].as_str()?.to_owned(),
            at["name"].as_str()?.to_owned(),
        ))
    });
    let senders: Vec<&str> = schema["x-senders"]
        .as_array()
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if agency.is_some() {
        ("agency", agency)
    } else if senders.contains(&"reviewer") {
        ("reviewer", None)
    } else {
        ("partnership", None)
    }
}

/// CSS for an attribute value.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// What kind of input a field's name has on the page, in one round trip.
async fn kind(browser: &Browser, name: &str) -> String {
    let script = "const n = arguments[0];\
        if (document.getElementsByName(n + '[day]').length) return 'date';\
        const e = document.getElementsByName(n)[0];\
        if (!e) return 'none';\
        if (e.tagName === 'SELECT') return 'select';\
        return e.type || e.tagName.toLowerCase();";
    browser
        .execute(script, vec![Value::String(name.to_owned())])
        .await
        .as_str()
        .unwrap_or("none")
        .to_owned()
}

/// Enters one answer into the page, as a person would: a choice clicked, text typed (long text
/// set in one go, to keep the suite quick), a date in its three boxes, list entries added one
/// by one with "Add another".
async fn enter(browser: &Browser, pointer: &str, value: &Value, fixed: &[String]) {
    if fixed.iter().any(|f| f == pointer) {
        return;
    }
    match value {
        Value::Object(map) => {
            for (name, inner) in map {
                Box::pin(enter(browser, &format!("{pointer}/{name}"), inner, fixed)).await;
            }
        }
        Value::Array(items) => {
            let checkbox = format!("input[type=checkbox][name={}]", quoted(pointer));
            if kind(browser, pointer).await == "checkbox" {
                for item in items {
                    let text = item.as_str().unwrap_or_default();
                    browser
                        .click(&format!("{checkbox}[value={}]", quoted(text)))
                        .await;
                }
                return;
            }
            let count_css = format!("input[name={}]", quoted(&format!("_count{pointer}")));
            for (index, item) in items.iter().enumerate() {
                let count: usize = browser
                    .attr(&count_css, "value")
                    .await
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                if count <= index {
                    browser
                        .click_to_leave(&format!(
                            "button[value={}]",
                            quoted(&format!("add:{pointer}"))
                        ))
                        .await;
                    browser.wait_for(&count_css).await;
                }
                Box::pin(enter(browser, &format!("{pointer}/{index}"), item, fixed)).await;
            }
        }
        Value::Bool(answer) => {
            browser
                .click(&format!(
                    "input[name={}][value=\"{answer}\"]",
                    quoted(pointer)
                ))
                .await;
        }
        Value::Number(number) => {
            browser
                .fill(&format!("[name={}]", quoted(pointer)), &number.to_string())
                .await;
        }
        Value::String(text) => {
            let name = quoted(pointer);
            let kind = kind(browser, pointer).await;
            if kind == "date" {
                let mut parts = text.splitn(3, '-');
                let (year, month, day) = (
                    parts.next().unwrap_or_default(),
                    parts.next().unwrap_or_default(),
                    parts.next().unwrap_or_default(),
                );
                for (part, typed) in [("day", day), ("month", month), ("year", year)] {
                    browser
                        .fill(
                            &format!("input[name={}]", quoted(&format!("{pointer}[{part}]"))),
                            typed,
                        )
                        .await;
                }
            } else if kind == "radio" {
                browser
                    .click(&format!(
                        "input[type=radio][name={name}][value={}]",
                        quoted(text)
                    ))
                    .await;
            } else if kind == "select" {
                browser
                    .click(&format!(
                        "select[name={name}] option[value={}]",
                        quoted(text)
                    ))
                    .await;
            } else if text.len() > 60 || text.contains('\n') {
                let css = format!("[name={name}]");
                let field = browser.find(&css).await;
                browser
                    .execute(
                        "arguments[0].value = arguments[1];",
                        vec![
                            serde_json::to_value(&field).expect("an element reference"),
                            Value::String(text.clone()),
                        ],
                    )
                    .await;
            } else {
                browser.fill(&format!("[name={name}]"), text).await;
            }
        }
        Value::Null => {}
    }
}

/// The top-level fields of each section, from the schema's `x-sections`.
fn sections(form: &str) -> Vec<Vec<String>> {
    schema(form)["x-sections"]
        .as_array()
        .expect("x-sections")
        .iter()
        .map(|s| {
            s["fields"]
                .as_array()
                .expect("fields")
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// Goes through a form's sections entering a sample, then checks and sends it.
pub async fn fill_in(browser: &Browser, base: &str, case: &str, form: &str, sample: &Value) {
    let form_url = format!("{base}/case/{case}/form/{form}");
    // What the case fills in is not asked for.
    let fixed: Vec<String> = schema(form)["x-prefill"]
        .as_object()
        .map(|p| {
            p.iter()
                .filter(|(k, _)| *k != "pseudonym")
                .filter_map(|(_, v)| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for (n, fields) in sections(form).iter().enumerate() {
        let answers: Vec<(&String, &Value)> = fields
            .iter()
            .filter_map(|f| sample.get(f).map(|v| (f, v)))
            .collect();
        if answers.is_empty() {
            continue;
        }
        browser.goto(&format!("{form_url}/section/{}", n + 1)).await;
        for (field, value) in answers {
            enter(browser, &format!("/{field}"), value, &fixed).await;
        }
        browser.click_to_leave("button[value=continue]").await;
        browser.wait_for("h1").await;
        if let Some(summary) = browser.try_find(".govuk-error-summary").await {
            panic!(
                "{form} section {}: {}",
                n + 1,
                summary.text().await.unwrap_or_default()
            );
        }
    }
    browser.goto(&format!("{form_url}/check")).await;
    if let Some(summary) = browser.try_find(".govuk-error-summary").await {
        panic!("{form}: {}", summary.text().await.unwrap_or_default());
    }
    browser.click_to_leave("button[value=send]").await;
    browser.wait_for("#reference").await;
}

/// Enters every valid sample of every form through the pages and compares what was stored.
async fn every_valid_sample(backend: Backend, javascript: bool) {
    let site = Site::start(backend).await;
    let forms = [
        "csprp-notification",
        "agency-summary",
        "cdop-form-b",
        "rapid-review",
        "final-report",
    ];
    let mut people: BTreeMap<String, (Browser, String)> = BTreeMap::new();
    let mut entered = 0;
    for form in forms {
        for (name, sample) in samples(form, "valid") {
            let case = sample["case_reference"]
                .as_str()
                .expect("a case reference")
                .to_owned();
            let (role, agency) = person_for(form, &sample);
            let agency = agency.as_ref().map(|(i, n)| (i.as_str(), n.as_str()));
            let key = format!("{role}:{}", agency.map_or("", |a| a.0));
            if form != "csprp-notification" {
                site.case_asking(&case, agency).await;
            }
            if !people.contains_key(&key) {
                let browser = if javascript {
                    Browser::start().await
                } else {
                    Browser::without_javascript().await
                };
                let link = site.invite(role, agency);
                sign_in(&browser, &link).await;
                people.insert(key.clone(), (browser, person_of(&link)));
            }
            let (browser, person) = &people[&key];
            if role == "reviewer" {
                let (status, body) = site
                    .api(
                        reqwest::Method::POST,
                        &format!("/cases/{case}/reviewers"),
                        Some(json!({"reviewer": person})),
                    )
                    .await;
                assert_eq!(status, 200, "{body}");
            }
            if form == "csprp-notification" {
                browser.goto(&format!("{}/new-case", site.base)).await;
                browser.fill("#case-reference", &case).await;
                browser.click_to_leave("button[value=continue]").await;
                browser.wait_for(".govuk-task-list").await;
            }
            fill_in(browser, &site.base, &case, form, &sample).await;
            let stored = site.stored(&case, form).await;
            assert_eq!(
                stored, sample,
                "{form}/{name}: what the pages stored differs from the sample"
            );
            entered += 1;
        }
    }
    assert!(entered >= 15, "{entered} samples entered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_valid_sample_entered_through_the_pages_is_stored_as_the_sample_sqlite() {
    every_valid_sample(Backend::Sqlite, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_valid_sample_entered_without_javascript_is_stored_as_the_sample_sqlite() {
    every_valid_sample(Backend::Sqlite, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_valid_sample_entered_through_the_pages_is_stored_as_the_sample_postgres() {
    every_valid_sample(Backend::Postgres, true).await;
}

/// Rules the pages cannot show as a finding on a field, each for a reason: the pages write the
/// form's constants and what the case fills in themselves (so an upload's wrong version or
/// case reference is put right, not reported), and a field the form does not have is on no
/// page (the summary links it to the top of the check page).
fn shown_on_a_field(form: &safeguarding_forms::forms::Form, pointer: &str, rule: &str) -> bool {
    let first = pointer.split('/').nth(1).unwrap_or_default();
    let node = form.index().root().property(first);
    let fixed = node.is_some_and(|n| n.info.constant.is_some())
        || form.annotations().prefill.fills(&format!("/{first}"))
        || form
            .annotations()
            .prefill
            .agency
            .as_deref()
            .is_some_and(|a| pointer.starts_with(a));
    !fixed && rule != "schema.additional-property"
}

/// Every invalid sample, uploaded as the API takes it, shows its expected rules in the check
/// page's error summary, each linked to a field that exists on the page it links to.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_invalid_samples_rules_are_in_the_error_summary_linked_to_their_fields() {
    let site = Site::start(Backend::Sqlite).await;
    let registry = safeguarding_forms::forms::Registry::load().expect("forms load");
    let partnership = Browser::start().await;
    sign_in(&partnership, &site.invite("partnership", None)).await;
    let mut agencies: BTreeMap<String, Browser> = BTreeMap::new();
    let mut checked = 0;
    let mut uploaded = 0;
    let mut skipped: Vec<String> = Vec::new();
    for form_id in [
        "csprp-notification",
        "agency-summary",
        "cdop-form-b",
        "rapid-review",
        "final-report",
    ] {
        let form = registry.get(form_id).expect("a form");
        for (name, mut sample) in samples(form_id, "invalid") {
            let expected: Vec<String> = sample["_expect"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            if let Value::Object(map) = &mut sample {
                map.remove("_expect");
            }
            // Each sample on a case of its own, so the latest version is this one.
            uploaded += 1;
            let case = format!("WEB-{uploaded}");
            if let Value::Object(map) = &mut sample {
                map.insert("case_reference".into(), Value::String(case.clone()));
            }
            let (role, agency) = person_for(form_id, &sample);
            let agency = agency.filter(|(id, _)| {
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            });
            let (status, receipt) = if form_id == "csprp-notification" {
                site.api(reqwest::Method::POST, "/cases", Some(sample.clone()))
                    .await
            } else {
                site.case_asking(
                    &case,
                    agency.as_ref().map(|(i, n)| (i.as_str(), n.as_str())),
                )
                .await;
                site.api(
                    reqwest::Method::POST,
                    &format!("/cases/{case}/submissions"),
                    Some(sample.clone()),
                )
                .await
            };
            if status != 201 {
                // Refused at the door (the API says why); nothing reaches the pages.
                assert!(
                    status == 422 || status == 403,
                    "{form_id}/{name}: {status} {receipt}"
                );
                skipped.push(format!("{form_id}/{name}: refused by the API ({status})"));
                continue;
            }
            let browser = match (role, &agency) {
                ("agency", Some((id, agency_name))) => {
                    if !agencies.contains_key(id) {
                        let browser = Browser::start().await;
                        sign_in(&browser, &site.invite("agency", Some((id, agency_name)))).await;
                        agencies.insert(id.clone(), browser);
                    }
                    &agencies[id]
                }
                ("agency", None) => {
                    // Stored, but for no agency a person can belong to.
                    skipped.push(format!("{form_id}/{name}: names no usable agency"));
                    continue;
                }
                _ => &partnership,
            };
            let findings = receipt["report"]["findings"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let check = format!("{}/case/{case}/form/{form_id}/check", site.base);
            browser.goto(&check).await;
            let links: Vec<(String, String)> = {
                let mut out = Vec::new();
                for link in browser.find_all(".govuk-error-summary__list a").await {
                    let href = link.attr("href").await.ok().flatten().unwrap_or_default();
                    let text = link.text().await.unwrap_or_default();
                    out.push((href, text));
                }
                out
            };
            for rule in &expected {
                let relevant: Vec<&Value> = findings
                    .iter()
                    .filter(|f| f["rule"] == rule.as_str() && f["severity"] == "error")
                    .filter(|f| {
                        shown_on_a_field(form, f["pointer"].as_str().unwrap_or_default(), rule)
                    })
                    .collect();
                for finding in relevant {
                    let pointer = finding["pointer"].as_str().unwrap_or_default();
                    let anchor = safeguarding_forms::web::fields::anchor(form, pointer);
                    let (href, _) = links
                        .iter()
                        .find(|(href, _)| href.ends_with(&format!("#{anchor}")))
                        .unwrap_or_else(|| {
                            panic!("{form_id}/{name}: no summary link to #{anchor} for {rule} at {pointer}: {links:?}")
                        });
                    browser
                        .goto(&if href.starts_with('#') {
                            format!("{check}{href}")
                        } else {
                            format!("{}{href}", site.base)
                        })
                        .await;
                    assert!(
                        browser
                            .try_find(&format!("[id={}]", quoted(&anchor)))
                            .await
                            .is_some(),
                        "{form_id}/{name}: #{anchor} is not on {href}"
                    );
                    browser.goto(&check).await;
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 40, "{checked} findings followed to their fields");
    // The samples that never reach a page, each for its reason: a change here is a change in
    // what the API takes, and must be looked at.
    assert_eq!(
        skipped,
        vec!["agency-summary/agency-code-not-kebab.json: names no usable agency".to_owned()],
        "samples that reached no page"
    );
}

/// axe-core finds no WCAG 2.2 A or AA violation on any kind of page. The one exception is
/// GOV.UK Frontend's `aria-expanded` on radios and checkboxes that reveal a question, which
/// GOV.UK keeps on purpose (alphagov/govuk-frontend #979, #1972); screenshots of a person's
/// journey are kept for the README.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_page_passes_axe() {
    let site = Site::start(Backend::Sqlite).await;
    let browser = Browser::start().await;
    let shots = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).expect("a folder for screenshots");
    let check = |page: &'static str| {
        let browser = &browser;
        async move {
            let violations: Vec<_> = browser
                .axe(super::support::browser::WCAG_TAGS)
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
    browser.goto(&format!("{}/sign-in", site.base)).await;
    check("sign-in").await;
    let link = site.invite("partnership", None);
    browser.goto(&link).await;
    check("sign-in link").await;
    browser
        .click_to_leave("form[action^='/sign-in/'] button")
        .await;
    browser.wait_for("h1").await;
    check("your cases").await;
    browser.goto(&format!("{}/people", site.base)).await;
    check("people").await;
    browser.goto(&format!("{}/new-case", site.base)).await;
    check("new case").await;
    browser.click_to_leave("button[value=continue]").await;
    browser.wait_for(".govuk-error-summary").await;
    check("new case with an error").await;
    browser
        .goto(&format!("{}/case/NOWHERE-1/form/rapid-review", site.base))
        .await;
    check("page not found").await;

    let sample =
        super::support::served::sample("agency-summary/valid/kscp-2026-014-kent-police.json");
    let case = "KSCP-2026-014";
    site.case_asking(case, Some(("kent-police", "Kent Police")))
        .await;
    let agency = Browser::start().await;
    sign_in(
        &agency,
        &site.invite("agency", Some(("kent-police", "Kent Police"))),
    )
    .await;
    let check_agency = |page: &'static str| {
        let agency = &agency;
        async move {
            let violations: Vec<_> = agency
                .axe(super::support::browser::WCAG_TAGS)
                .await
                .into_iter()
                .filter(|v| v.id != "aria-allowed-attr")
                .collect();
            assert!(violations.is_empty(), "{page}: {violations:?}");
        }
    };
    agency.goto(&format!("{}/case/{case}", site.base)).await;
    check_agency("case").await;
    agency.screenshot(&shots.join("case.png")).await;
    let form = format!("{}/case/{case}/form/agency-summary", site.base);
    agency.goto(&form).await;
    check_agency("task list").await;
    agency.goto(&format!("{form}/section/1")).await;
    check_agency("section").await;
    agency.click_to_leave("button[value=continue]").await;
    agency.wait_for(".govuk-error-summary").await;
    check_agency("section with errors").await;
    agency.screenshot(&shots.join("section-errors.png")).await;
    agency.goto(&format!("{form}/section/2")).await;
    agency.click("input[name='/involved'][value=true]").await;
    check_agency("section with a revealed question").await;
    fill_in(&agency, &site.base, case, "agency-summary", &sample).await;
    check_agency("confirmation").await;
    agency.goto(&format!("{form}/check")).await;
    check_agency("check your answers").await;
    agency.screenshot(&shots.join("check-answers.png")).await;
    agency.goto(&format!("{form}/section/6")).await;
    check_agency("add another").await;
    browser.goto(&format!("{}/case/{case}", site.base)).await;
    check("the partnership's case page").await;
    browser
        .screenshot(&shots.join("partnership-case.png"))
        .await;
    browser.goto(&format!("{}/", site.base)).await;
    check("the case list").await;
    browser
        .goto(&format!("{}/?status=overdue&page=9", site.base))
        .await;
    check("the case list, filtered").await;

    let admin = Browser::start().await;
    admin.goto(&site.invite("admin", None)).await;
    admin
        .click_to_leave("form[action^='/sign-in/'] button")
        .await;
    admin.wait_for("#tokens").await;
    admin.click_to_leave("#button-make").await;
    admin.wait_for(".govuk-error-summary").await;
    let violations: Vec<_> = admin
        .axe(super::support::browser::WCAG_TAGS)
        .await
        .into_iter()
        .filter(|v| v.id != "aria-allowed-attr")
        .collect();
    assert!(violations.is_empty(), "the admin page: {violations:?}");
}

/// Tab and Enter (and the arrow keys and space bar within a set of radios) through one whole
/// form, from the task list to the confirmation, without the mouse.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keyboard_only_journey_sends_a_whole_form() {
    use fantoccini::key::Key;
    let site = Site::start(Backend::Sqlite).await;
    let sample = super::support::served::sample(
        "agency-summary/valid/kscp-2026-021-kmpt-no-involvement.json",
    );
    let (id, name) = (
        sample["agency"]["id"].as_str().expect("id"),
        sample["agency"]["name"].as_str().expect("name"),
    );
    let case = "KSCP-2026-021";
    site.case_asking(case, Some((id, name))).await;
    let browser = Browser::start().await;
    sign_in(&browser, &site.invite("agency", Some((id, name)))).await;
    browser
        .goto(&format!("{}/case/{case}/form/agency-summary", site.base))
        .await;
    let tab_to = |target: String| {
        let browser = &browser;
        async move {
            for _ in 0..200 {
                browser.press_tab().await;
                if browser.active_id().await.as_deref() == Some(target.as_str()) {
                    return;
                }
            }
            panic!("Tab never reached #{target}");
        }
    };
    let type_text = |text: String| {
        let browser = &browser;
        async move {
            browser
                .client()
                .active_element()
                .await
                .expect("a focused field")
                .send_keys(&text)
                .await
                .expect("typing");
        }
    };
    // The first section's link, by Tab, then Enter.
    for _ in 0..100 {
        browser.press_tab().await;
        let href = browser
            .execute(
                "return document.activeElement.getAttribute('href');",
                vec![],
            )
            .await;
        if href.as_str().is_some_and(|h| h.ends_with("/section/1")) {
            break;
        }
    }
    browser.press_enter().await;
    browser.wait_for("#f-author-name").await;
    for (field, value) in [
        ("f-author-name", sample["author"]["name"].clone()),
        ("f-author-role", sample["author"]["role"].clone()),
        ("f-author-email", sample["author"]["email"].clone()),
        ("f-spoc-name", sample["spoc"]["name"].clone()),
        ("f-spoc-email", sample["spoc"]["email"].clone()),
    ] {
        tab_to(field.to_owned()).await;
        type_text(value.as_str().unwrap_or_default().to_owned()).await;
    }
    let date = sample["date_returned"].as_str().expect("a date");
    let parts: Vec<&str> = date.split('-').collect();
    tab_to("f-date_returned-day".to_owned()).await;
    type_text(parts[2].to_owned()).await;
    browser.press_tab().await;
    type_text(parts[1].to_owned()).await;
    browser.press_tab().await;
    type_text(parts[0].to_owned()).await;
    tab_to("button-continue".to_owned()).await;
    browser.press_enter().await;
    browser.wait_for("#f-involved").await;
    // "No": the first radio, then the down arrow, which chooses the next one.
    tab_to("f-involved".to_owned()).await;
    browser.press(Key::Down).await;
    tab_to("f-no_involvement_statement".to_owned()).await;
    type_text(
        sample["no_involvement_statement"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
    .await;
    tab_to("button-continue".to_owned()).await;
    browser.press_enter().await;
    browser.wait_for("button[value=send]").await;
    tab_to("button-send".to_owned()).await;
    browser.press_enter().await;
    browser.wait_for("#reference").await;
    assert_eq!(site.stored(case, "agency-summary").await, sample);
}

/// An agency downloads its pre-filled Word form from the case page, fills it in Word's way and
/// uploads it on the same page instead of the web form: stored as the sample.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filled_word_form_uploaded_on_the_case_page_is_stored() {
    let site = Site::start(Backend::Sqlite).await;
    let sample =
        super::support::served::sample("agency-summary/valid/kscp-2026-014-kent-police.json");
    let case = "KSCP-2026-014";
    site.case_asking(case, Some(("kent-police", "Kent Police")))
        .await;
    let browser = Browser::start().await;
    sign_in(
        &browser,
        &site.invite("agency", Some(("kent-police", "Kent Police"))),
    )
    .await;
    browser.goto(&format!("{}/case/{case}", site.base)).await;
    // The download link's address, fetched with the browser's own session cookie.
    let href = browser
        .attr("a[href$='/form/agency-summary/word']", "href")
        .await
        .expect("a download link");
    let cookie = browser
        .cookie("sf_session")
        .await
        .expect("a session cookie");
    let blank = reqwest::Client::new()
        .get(format!("{}{href}", site.base))
        .header("cookie", format!("sf_session={}", cookie.value()))
        .send()
        .await
        .expect("the form downloads")
        .bytes()
        .await
        .expect("bytes");
    assert!(blank.starts_with(b"PK"), "a Word file");
    let filled = super::support::word_fill::fill(&blank, &sample);
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("agency-summary.docx");
    std::fs::write(&path, filled).expect("written");
    browser
        .find("#upload-agency-summary")
        .await
        .send_keys(&path.display().to_string())
        .await
        .expect("the file is chosen");
    browser
        .click_to_leave("form[action$='/form/agency-summary/word'] button")
        .await;
    browser.wait_for("#reference").await;
    assert_eq!(site.stored(case, "agency-summary").await, sample);
}

/// A reviewer assigned to a case uploads a draft with gaps on the case page and sees each gap,
/// each recommendation without an owner or a date, and the page passes axe.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_sees_each_gap_of_a_draft_on_the_page() {
    let site = Site::start(Backend::Sqlite).await;
    let case = "KSCP-2026-014";
    site.case_asking(case, None).await;
    let link = site.invite("reviewer", None);
    let (status, body) = site
        .api(
            reqwest::Method::POST,
            &format!("/cases/{case}/reviewers"),
            Some(json!({"reviewer": person_of(&link)})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let browser = Browser::start().await;
    sign_in(&browser, &link).await;
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/reports/02-eastmere-typed-contents-missing-tor.txt"
    ))
    .expect("the fixture");
    let docx = super::report_corpus::draft_from_text(&text).docx();
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("draft.docx");
    std::fs::write(&path, docx).expect("written");
    browser.goto(&format!("{}/case/{case}", site.base)).await;
    browser
        .find("#draft")
        .await
        .send_keys(&path.display().to_string())
        .await
        .expect("the file is chosen");
    browser.click_to_leave("#button-check").await;
    browser.wait_for("h1").await;
    assert_eq!(browser.text("h1").await, "The draft needs more work");
    let page = browser.source().await;
    assert!(page.contains("Terms of reference"), "the item is named");
    assert!(page.contains("Missing"), "a gap is shown");
    let violations: Vec<_> = browser
        .axe(super::support::browser::WCAG_TAGS)
        .await
        .into_iter()
        .filter(|v| v.id != "aria-allowed-attr")
        .collect();
    assert!(violations.is_empty(), "{violations:?}");
    // A reviewer not assigned to the case cannot check against it.
    let other = Browser::start().await;
    sign_in(&other, &site.invite("reviewer", None)).await;
    other.goto(&format!("{}/case/{case}", site.base)).await;
    assert_eq!(other.text("h1").await, "Page not found");
}
