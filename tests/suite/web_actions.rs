//! The action plan in the browser: an agency contact sees and updates only its agency's
//! actions (progress, status, evidence of impact), never closes one, and never overwrites a
//! change made since the page was opened; the partnership sees every action and signs off
//! closure. Over HTTP against the real binary, and in Chromium (JavaScript off for the journey,
//! on for axe-core).

use reqwest::Method;
use reqwest::header::LOCATION;
use serde_json::{Value, json};

use super::support::browser::{Browser, WCAG_TAGS};
use super::support::http_db::Backend;
use super::web_pages::{Site, sign_in};
use super::web_security::{client, get, signed_in};

const POLICE: (&str, &str) = ("kent-police", "Kent Police");
const GP: (&str, &str) = ("kent-gp", "GP practice");
/// An id with a `/`, as an audit's reference may make one.
const POLICE_ACTION: &str = "AUDIT-2026/S11:kent-police";
const GP_ACTION: &str = "AUDIT-2026/S11:kent-gp";

fn action(id: &str, (agency, name): (&str, &str), due: &str) -> Value {
    json!({
        "id": id,
        "source": {"kind": "audit", "reference": "Section 11 audit 2026"},
        "action": format!("{name}: refresh the safeguarding supervision policy."),
        "agency": {"id": agency, "name": name},
        "lead": "A. Lead",
        "raised_date": "2026-11-02",
        "due_date": due,
        "status": "not-started"
    })
}

/// The page of an action, as the pages address it.
fn page_of(id: &str) -> String {
    format!("/action-plan/{}", id.replace('/', "%2F"))
}

/// A site with one action of Kent Police (overdue) and one of the GP practice (due later).
async fn site() -> Site {
    let site = Site::start(Backend::Sqlite).await;
    for body in [
        action(POLICE_ACTION, POLICE, "2026-11-20"),
        action(GP_ACTION, GP, "2027-06-30"),
    ] {
        let (status, answer) = site.api(Method::POST, "/actions", Some(body)).await;
        assert_eq!(status, 201, "{answer}");
    }
    site
}

async fn post_update(
    site: &Site,
    cookie: &str,
    csrf: &str,
    id: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = vec![("_csrf", csrf)];
    form.extend_from_slice(fields);
    client()
        .post(format!("{}{}", site.base, page_of(id)))
        .header("cookie", cookie)
        .form(&form)
        .send()
        .await
        .expect("the service answers")
}

async fn held(site: &Site, id: &str) -> Value {
    let (status, view) = site
        .api(
            Method::GET,
            &format!("/actions/{}", id.replace('/', "%2F")),
            None,
        )
        .await;
    assert_eq!(status, 200, "{view}");
    view
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agency_updates_its_own_actions_and_the_partnership_signs_off() {
    let site = site().await;
    let (police, police_csrf) = signed_in(&site, "agency", Some(POLICE)).await;

    // Its home links to its actions; the list holds its own only.
    let home = get(&site, "/", Some(&police))
        .await
        .text()
        .await
        .expect("a page");
    assert!(home.contains("href=\"/action-plan\""));
    let list = get(&site, "/action-plan", Some(&police)).await;
    assert_eq!(list.status(), 200);
    let list = list.text().await.expect("a page");
    assert!(list.contains("Kent Police: refresh"), "{list}");
    assert!(
        list.contains("Red: overdue"),
        "due 20 November 2026: overdue"
    );
    assert!(
        !list.contains("GP practice"),
        "another agency's action is not shown"
    );
    assert!(list.contains(&format!("href=\"{}\"", page_of(POLICE_ACTION))));
    // Another agency's action: not found, as if it did not exist.
    let other = get(&site, &page_of(GP_ACTION), Some(&police)).await;
    assert_eq!(other.status(), 404);

    // The page: no Closed choice for an agency.
    let page = get(&site, &page_of(POLICE_ACTION), Some(&police))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains("name=\"version\" value=\"1\""));
    assert!(
        !page.contains("value=\"closed\""),
        "an agency is not offered closure"
    );

    // A progress update, in progress: saved, then shown with today's date and the person.
    let saved = post_update(
        &site,
        &police,
        &police_csrf,
        POLICE_ACTION,
        &[
            (
                "progress",
                "Draft policy shared with the designated safeguarding leads.",
            ),
            ("status", "in-progress"),
            ("impact", ""),
            ("version", "1"),
        ],
    )
    .await;
    assert_eq!(saved.status(), 303);
    let location = saved.headers()[LOCATION].to_str().expect("text").to_owned();
    assert_eq!(location, format!("{}?saved=1", page_of(POLICE_ACTION)));
    let page = get(&site, &location, Some(&police))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains("Your update has been saved."));
    assert!(page.contains("Draft policy shared with the designated safeguarding leads."));
    assert!(page.contains("by Sam Tester"));
    let view = held(&site, POLICE_ACTION).await;
    assert_eq!(view["version"], 2);
    assert_eq!(view["action"]["status"], "in-progress");
    assert_eq!(view["action"]["progress"][0]["author"], "Sam Tester");

    // The same page sent again (Back, then Save): made from version 1, refused, words kept.
    let stale = post_update(
        &site,
        &police,
        &police_csrf,
        POLICE_ACTION,
        &[
            ("progress", "A second update typed on the old page."),
            ("status", "in-progress"),
            ("version", "1"),
        ],
    )
    .await;
    assert_eq!(stale.status(), 409);
    let page = stale.text().await.expect("a page");
    assert!(page.contains("Someone changed this action after you opened it"));
    assert!(page.contains("A second update typed on the old page."));
    assert!(
        page.contains("name=\"version\" value=\"2\""),
        "now made from the current version"
    );
    assert_eq!(held(&site, POLICE_ACTION).await["version"], 2);

    // A progress update longer than the page takes: refused on its field, nothing saved.
    let long = "x".repeat(5_001);
    let refused = post_update(
        &site,
        &police,
        &police_csrf,
        POLICE_ACTION,
        &[
            ("progress", &long),
            ("status", "in-progress"),
            ("version", "2"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("a page");
    assert!(page.contains("href=\"#progress\""));
    assert!(page.contains("5001 characters long"), "{page}");
    assert_eq!(held(&site, POLICE_ACTION).await["version"], 2);

    // A closure forced into the form: refused, in words.
    let forced = post_update(
        &site,
        &police,
        &police_csrf,
        POLICE_ACTION,
        &[("status", "closed"), ("version", "2")],
    )
    .await;
    assert_eq!(forced.status(), 403);
    assert!(
        forced
            .text()
            .await
            .expect("a page")
            .contains("Only the partnership can close an action")
    );
    // Completed with evidence: dated today.
    let completed = post_update(
        &site,
        &police,
        &police_csrf,
        POLICE_ACTION,
        &[
            ("status", "completed"),
            (
                "impact",
                "Supervision records audited in January show the new policy in use.",
            ),
            ("version", "2"),
        ],
    )
    .await;
    assert_eq!(completed.status(), 303);
    let view = held(&site, POLICE_ACTION).await;
    assert_eq!(view["action"]["status"], "completed");
    assert!(view["action"]["completed_date"].is_string(), "{view}");

    // Without the page's CSRF token: refused.
    let no_token = client()
        .post(format!("{}{}", site.base, page_of(POLICE_ACTION)))
        .header("cookie", &police)
        .form(&[("status", "in-progress"), ("version", "3")])
        .send()
        .await
        .expect("answers");
    assert_eq!(no_token.status(), 403);

    // The partnership sees both, and signs off the closure.
    let (partnership, partnership_csrf) = signed_in(&site, "partnership", None).await;
    let list = get(&site, "/action-plan", Some(&partnership))
        .await
        .text()
        .await
        .expect("a page");
    assert!(list.contains("Kent Police: refresh") && list.contains("GP practice: refresh"));
    let home = get(&site, "/", Some(&partnership))
        .await
        .text()
        .await
        .expect("a page");
    assert!(home.contains("href=\"/action-plan\""));
    let closed = post_update(
        &site,
        &partnership,
        &partnership_csrf,
        POLICE_ACTION,
        &[
            ("status", "closed"),
            (
                "impact",
                "Supervision records audited in January show the new policy in use.",
            ),
            ("version", "3"),
        ],
    )
    .await;
    assert_eq!(closed.status(), 303);
    let view = held(&site, POLICE_ACTION).await;
    assert_eq!(view["action"]["status"], "closed");
    assert_eq!(view["action"]["closure"]["by"], "Sam Tester");
    // Once closed, the agency can read it but not change it.
    let page = get(&site, &page_of(POLICE_ACTION), Some(&police))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains("has signed off this action"));
    assert!(!page.contains("name=\"progress\""));

    // A reviewer holds no actions.
    let (reviewer, _) = signed_in(&site, "reviewer", None).await;
    assert_eq!(
        get(&site, "/action-plan", Some(&reviewer)).await.status(),
        403
    );

    // Every view and change is in the audit log, without the words written.
    let log = site.db().store.audit_log("").await.expect("the log");
    assert!(log.iter().any(|e| e.action == "GET /action-plan/{id}"));
    assert!(
        log.iter()
            .any(|e| e.action == "POST /action-plan/{id}" && e.outcome == "ok")
    );
    assert!(!log.iter().any(|e| e.detail.contains("Draft policy shared")));
}

/// In Chromium with JavaScript off: an agency contact opens its action from the list, writes
/// an update and saves it; axe-core finds no WCAG 2.2 A or AA violation on the list, the page,
/// and the page with an error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_action_plan_works_without_javascript_and_passes_axe() {
    let site = site().await;
    let plain = Browser::without_javascript().await;
    sign_in(&plain, &site.invite("agency", Some(POLICE))).await;
    plain.goto(&format!("{}/action-plan", site.base)).await;
    plain.click_to_leave("#actions a").await;
    plain.wait_for("#progress").await;
    plain
        .fill("#progress", "Policy drafted and shared for comment.")
        .await;
    plain.click("#status-2").await;
    plain.click_to_leave("#button-save").await;
    plain.wait_for("#saved").await;
    assert!(
        plain
            .text("#progress-updates")
            .await
            .contains("Policy drafted and shared for comment.")
    );
    assert_eq!(
        held(&site, POLICE_ACTION).await["action"]["status"],
        "in-progress"
    );
    let shots = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).expect("a folder for screenshots");
    plain.screenshot(&shots.join("action.png")).await;

    let browser = Browser::start().await;
    sign_in(&browser, &site.invite("agency", Some(POLICE))).await;
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
    browser.goto(&format!("{}/action-plan", site.base)).await;
    check("action plan").await;
    browser
        .goto(&format!("{}{}", site.base, page_of(POLICE_ACTION)))
        .await;
    check("action").await;
    // No status chosen is impossible on the page; a stale version is the error a person meets.
    browser
        .execute(
            "document.querySelector('input[name=version]').value = '1';",
            vec![],
        )
        .await;
    browser.click_to_leave("#button-save").await;
    browser.wait_for(".govuk-error-summary").await;
    check("action with an error").await;
}
