//! The web pages' security, over HTTP against the real binary: sessions, one-time sign-in
//! links, CSRF, agency isolation, session fixation, headers, and the audit of page views.

use reqwest::Method;
use reqwest::header::{CONTENT_SECURITY_POLICY, LOCATION, SET_COOKIE};
use serde_json::Value;

use super::support::http_db::Backend;
use super::web_pages::{Site, person_of};

pub(super) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// The session cookie a response sets, as `name=value`.
fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sf_session=") && !v.starts_with("sf_session=;"))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

/// Signs in through a new link; returns the cookie and the CSRF token of its pages.
pub(super) async fn signed_in(
    site: &Site,
    role: &str,
    agency: Option<(&str, &str)>,
) -> (String, String) {
    let link = site.invite(role, agency);
    let response = client().post(&link).send().await.expect("sign-in answers");
    assert_eq!(response.status(), 303);
    let cookie = session_cookie(&response).expect("a session cookie");
    let csrf = csrf_of(site, &cookie).await;
    (cookie, csrf)
}

async fn csrf_of(site: &Site, cookie: &str) -> String {
    let page = client()
        .get(format!("{}/", site.base))
        .header("cookie", cookie)
        .send()
        .await
        .expect("home answers")
        .text()
        .await
        .expect("a page");
    page.split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSRF field on the page")
        .to_owned()
}

pub(super) async fn get(site: &Site, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = client().get(format!("{}{path}", site.base));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("the service answers")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_without_a_working_session_go_to_sign_in() {
    let site = Site::start(Backend::Sqlite).await;
    for path in [
        "/",
        "/case/KSCP-2026-014",
        "/people",
        "/new-case",
        "/reports",
        "/action-plan",
        "/action-plan/A-1",
    ] {
        let response = get(&site, path, None).await;
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(response.headers()[LOCATION], "/sign-in", "{path}");
    }
    let forged = "sf_session=0123456789abcdef.0000000000000000000000000000000000000000000000000000000000000000";
    let response = get(&site, "/", Some(forged)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()[LOCATION], "/sign-in?ended=1");
    // An expired session is refused the same way.
    let (cookie, _) = signed_in(&site, "partnership", None).await;
    assert_eq!(get(&site, "/", Some(&cookie)).await.status(), 200);
    let expired = site
        .db()
        .raw("UPDATE sessions SET idle_until = '2000-01-01T00:00:00.000000Z'")
        .await
        .expect("the session is aged");
    assert_eq!(expired, 1);
    let response = get(&site, "/", Some(&cookie)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()[LOCATION], "/sign-in?ended=1");
    // The sign-in page itself needs no session.
    assert_eq!(get(&site, "/sign-in", None).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_link_works_once_and_a_forged_one_never() {
    let site = Site::start(Backend::Sqlite).await;
    let link = site.invite("partnership", None);
    assert_eq!(
        client().get(&link).send().await.expect("answers").status(),
        200
    );
    let first = client().post(&link).send().await.expect("answers");
    assert_eq!(first.status(), 303);
    assert!(session_cookie(&first).is_some());
    let again = client().post(&link).send().await.expect("answers");
    assert_eq!(again.status(), 404);
    assert!(session_cookie(&again).is_none());
    assert!(
        again.text().await.expect("a page").contains("used already"),
        "the page says why"
    );
    assert_eq!(
        client().get(&link).send().await.expect("answers").status(),
        404
    );
    // The last hex digit changed to another (never to itself: a forged link that happened to
    // equal the real one failed this test one run in sixteen).
    let forge = |real: &str| {
        let mut forged = real.to_owned();
        let last = forged
            .pop()
            .map_or('0', |c| if c == '0' { '1' } else { '0' });
        forged.push(last);
        assert_ne!(forged, real);
        forged
    };
    let forged = forge(&link);
    let other = site.invite("partnership", None);
    let forged_unused = forge(&other);
    for bad in [
        forged,
        forged_unused,
        format!("{}/sign-in/nonsense", site.base),
    ] {
        let response = client().post(&bad).send().await.expect("answers");
        assert_eq!(response.status(), 404, "{bad}");
        assert!(session_cookie(&response).is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_without_the_right_csrf_token_is_refused() {
    let site = Site::start(Backend::Sqlite).await;
    let (cookie, csrf) = signed_in(&site, "partnership", None).await;
    let (other_cookie, other_csrf) = signed_in(&site, "partnership", None).await;
    assert_ne!(csrf, other_csrf, "each session has its own token");
    let post = |token: Option<String>, cookie: String| {
        let url = format!("{}/new-case", site.base);
        async move {
            let mut form = vec![("case_reference", "KSCP-2026-500".to_owned())];
            if let Some(token) = token {
                form.push(("_csrf", token));
            }
            client()
                .post(url)
                .header("cookie", cookie)
                .form(&form)
                .send()
                .await
                .expect("answers")
        }
    };
    assert_eq!(post(None, cookie.clone()).await.status(), 403);
    assert_eq!(
        post(Some("0".repeat(64)), cookie.clone()).await.status(),
        403
    );
    assert_eq!(post(Some(other_csrf), cookie.clone()).await.status(), 403);
    let ok = post(Some(csrf.clone()), cookie.clone()).await;
    assert_eq!(ok.status(), 303);
    // The other session's cookie still works: its token was only refused for this one.
    assert_eq!(get(&site, "/", Some(&other_cookie)).await.status(), 200);
    // Signing out needs the token too, and ends the session.
    let out = client()
        .post(format!("{}/sign-out", site.base))
        .header("cookie", &cookie)
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("answers");
    assert_eq!(out.status(), 303);
    assert_eq!(get(&site, "/", Some(&cookie)).await.status(), 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agency_user_gets_404_for_another_agencys_case_and_return() {
    let site = Site::start(Backend::Sqlite).await;
    site.case_asking("KSCP-2026-014", Some(("kent-police", "Kent Police")))
        .await;
    site.case_asking("KSCP-2026-021", Some(("kent-gp", "GP practice")))
        .await;
    let (police, _) = signed_in(&site, "agency", Some(("kent-police", "Kent Police"))).await;
    let (gp, _) = signed_in(&site, "agency", Some(("kent-gp", "GP practice"))).await;
    for path in [
        "/case/KSCP-2026-021",
        "/case/KSCP-2026-021/form/agency-summary",
        "/case/KSCP-2026-021/form/agency-summary/section/1",
        "/case/KSCP-2026-021/form/agency-summary/check",
        "/case/KSCP-2026-021/form/agency-summary/word",
        "/case/KSCP-2026-999",
        "/case/KSCP-2026-014/form/rapid-review",
        "/case/KSCP-2026-014/form/final-report",
    ] {
        let response = get(&site, path, Some(&police)).await;
        assert_eq!(response.status(), 404, "{path}");
        assert!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html")),
            "{path}: a page, not JSON"
        );
    }
    assert_eq!(
        get(&site, "/case/KSCP-2026-014", Some(&police))
            .await
            .status(),
        200
    );
    assert_eq!(
        get(&site, "/case/KSCP-2026-014", Some(&gp)).await.status(),
        404
    );
    let home = get(&site, "/", Some(&police))
        .await
        .text()
        .await
        .expect("a page");
    assert!(home.contains("KSCP-2026-014") && !home.contains("KSCP-2026-021"));
    // Agencies do not manage people: a page not about a case says so (403).
    assert_eq!(get(&site, "/people", Some(&police)).await.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cookie_set_before_sign_in_is_never_the_session() {
    let site = Site::start(Backend::Sqlite).await;
    let (existing, _) = signed_in(&site, "partnership", None).await;
    let planted = "sf_session=0123456789abcdef.1111111111111111111111111111111111111111111111111111111111111111";
    for before in [planted.to_owned(), existing.clone()] {
        let link = site.invite("partnership", None);
        let response = client()
            .post(&link)
            .header("cookie", &before)
            .send()
            .await
            .expect("answers");
        let after = session_cookie(&response).expect("a new cookie");
        assert_ne!(after, before);
        assert_eq!(get(&site, "/", Some(&after)).await.status(), 200);
    }
    assert_eq!(get(&site, "/", Some(planted)).await.status(), 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_the_security_headers_and_are_audited() {
    let site = Site::start(Backend::Sqlite).await;
    site.case_asking("KSCP-2026-014", Some(("kent-police", "Kent Police")))
        .await;
    let link = site.invite("agency", Some(("kent-police", "Kent Police")));
    let person = person_of(&link);
    let response = client().post(&link).send().await.expect("answers");
    let cookie = session_cookie(&response).expect("a cookie");
    let set = response.headers()[SET_COOKIE]
        .to_str()
        .expect("text")
        .to_owned();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(part), "{set}");
    }
    let response = get(&site, "/case/KSCP-2026-014", Some(&cookie)).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    let csp = headers[CONTENT_SECURITY_POLICY].to_str().expect("text");
    assert!(csp.contains("script-src 'self' 'sha256-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["cache-control"], "no-store");
    let (status, log) = site
        .api(Method::GET, "/cases/KSCP-2026-014/audit", None)
        .await;
    assert_eq!(status, 200, "{log}");
    let entries = log.as_array().expect("entries");
    assert!(
        entries
            .iter()
            .any(|e| e["principal"] == Value::String(person.clone())
                && e["action"] == "GET /case/{id}"),
        "the page view is in the case's audit log: {log}"
    );
}

/// Sections keep what was typed, even when it is wrong: 30 February is kept in its boxes and
/// named as not a real date, linked to the day box.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_impossible_date_is_kept_and_explained() {
    let site = Site::start(Backend::Sqlite).await;
    site.case_asking("KSCP-2026-014", Some(("kent-police", "Kent Police")))
        .await;
    let (cookie, csrf) = signed_in(&site, "agency", Some(("kent-police", "Kent Police"))).await;
    let page = client()
        .post(format!(
            "{}/case/KSCP-2026-014/form/agency-summary/section/1",
            site.base
        ))
        .header("cookie", &cookie)
        .form(&[
            ("_csrf", csrf.as_str()),
            ("_action", "continue"),
            ("/author/name", "DS Mark Ellery"),
            ("/date_returned[day]", "30"),
            ("/date_returned[month]", "2"),
            ("/date_returned[year]", "2026"),
        ])
        .send()
        .await
        .expect("answers");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("a page");
    assert!(
        html.contains("<title>Error: "),
        "the title says there is an error"
    );
    assert!(
        html.contains("Date returned must be a real date"),
        "the message names the field"
    );
    assert!(
        html.contains("href=\"#f-date_returned-day\""),
        "linked to the day box"
    );
    assert!(html.contains("value=\"30\""), "the day typed is kept");
    assert!(
        html.contains("value=\"DS Mark Ellery\""),
        "the other answers are kept"
    );
}

/// Pressing Send twice (or Back and Send again) stores one version.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_the_same_answers_twice_stores_one_version() {
    let site = Site::start(Backend::Sqlite).await;
    let sample = super::support::served::sample(
        "agency-summary/valid/kscp-2026-021-kmpt-no-involvement.json",
    );
    let (id, name) = (
        sample["agency"]["id"].as_str().expect("id"),
        sample["agency"]["name"].as_str().expect("name"),
    );
    site.case_asking("KSCP-2026-021", Some((id, name))).await;
    // The answers arrive as an upload would have left them: the pages start from the last
    // version sent, so an agency's upload is what its draft begins with.
    let (status, _) = site
        .api(
            Method::POST,
            "/cases/KSCP-2026-021/submissions",
            Some(sample.clone()),
        )
        .await;
    assert_eq!(status, 201);
    let (cookie, csrf) = signed_in(&site, "agency", Some((id, name))).await;
    let send = || {
        client()
            .post(format!(
                "{}/case/KSCP-2026-021/form/agency-summary/check",
                site.base
            ))
            .header("cookie", &cookie)
            .form(&[("_csrf", csrf.as_str()), ("_action", "send")])
            .send()
    };
    let first = send().await.expect("answers");
    let second = send().await.expect("answers");
    assert_eq!(first.status(), 303);
    assert_eq!(second.status(), 303);
    assert_eq!(
        first.headers()[LOCATION],
        second.headers()[LOCATION],
        "the same confirmation"
    );
    let (_, versions) = site
        .api(Method::GET, "/cases/KSCP-2026-021/submissions", None)
        .await;
    assert_eq!(
        versions.as_array().map(Vec::len),
        Some(2),
        "the upload and one version sent from the pages: {versions}"
    );
}

/// The partnership's case page: the timetable, asking an agency, each agency's return as it
/// arrives, and the case's documents (a plain reason when a form is missing); none of it for
/// an agency.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_partnership_asks_agencies_follows_returns_and_downloads_documents() {
    let site = Site::start(Backend::Sqlite).await;
    let case = "KSCP-2026-014";
    let mut notification = super::support::served::sample(
        "csprp-notification/valid/kscp-2025-047-care-leaver-death.json",
    );
    notification["case_reference"] = Value::String(case.to_owned());
    let (status, body) = site.api(Method::POST, "/cases", Some(notification)).await;
    assert_eq!(status, 201, "{body}");
    let (cookie, csrf) = signed_in(&site, "partnership", None).await;
    let asked = client()
        .post(format!("{}/case/{case}/agencies", site.base))
        .header("cookie", &cookie)
        .form(&[
            ("_csrf", csrf.as_str()),
            ("agency_id", "kent-police"),
            ("agency_name", "Kent Police"),
        ])
        .send()
        .await
        .expect("answers");
    assert_eq!(asked.status(), 303);
    let page = get(&site, &format!("/case/{case}"), Some(&cookie))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains("Kent Police"), "the agency asked is listed");
    assert!(page.contains("Not started"));
    assert!(page.contains("Day 10"), "the timetable is on the page");
    let summary =
        super::support::served::sample("agency-summary/valid/kscp-2026-014-kent-police.json");
    let (status, _) = site
        .api(
            Method::POST,
            &format!("/cases/{case}/submissions"),
            Some(summary),
        )
        .await;
    assert_eq!(status, 201);
    let page = get(&site, &format!("/case/{case}"), Some(&cookie))
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        page.contains("Sent</strong> (version 1)"),
        "the return arrived"
    );
    // The pack needs the rapid review record: a page says so.
    let missing = get(
        &site,
        &format!("/case/{case}/documents/rapid-review-pack?format=docx"),
        Some(&cookie),
    )
    .await;
    assert_eq!(missing.status(), 409);
    assert!(
        missing
            .text()
            .await
            .expect("a page")
            .contains("rapid review record")
    );
    let record = super::support::served::sample("rapid-review/valid/kscp-2026-014-lcspr.json");
    let (status, _) = site
        .api(
            Method::POST,
            &format!("/cases/{case}/submissions"),
            Some(record),
        )
        .await;
    assert_eq!(status, 201);
    for (format, magic) in [("docx", &b"PK"[..]), ("pdf", &b"%PDF"[..])] {
        let document = get(
            &site,
            &format!("/case/{case}/documents/rapid-review-pack?format={format}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(document.status(), 200, "{format}");
        assert!(
            document.bytes().await.expect("bytes").starts_with(magic),
            "{format}"
        );
    }
    // None of it for an agency.
    let (police, police_csrf) =
        signed_in(&site, "agency", Some(("kent-police", "Kent Police"))).await;
    let page = get(&site, &format!("/case/{case}"), Some(&police))
        .await
        .text()
        .await
        .expect("a page");
    assert!(!page.contains("Agencies asked") && !page.contains("Timetable"));
    let document = get(
        &site,
        &format!("/case/{case}/documents/rapid-review-pack?format=docx"),
        Some(&police),
    )
    .await;
    assert!(matches!(document.status().as_u16(), 403 | 404));
    let ask = client()
        .post(format!("{}/case/{case}/agencies", site.base))
        .header("cookie", &police)
        .form(&[
            ("_csrf", police_csrf.as_str()),
            ("agency_id", "kent-gp"),
            ("agency_name", "GP"),
        ])
        .send()
        .await
        .expect("answers");
    assert!(matches!(ask.status().as_u16(), 403 | 404));
}

/// The partnership's pages are closed to agencies and reviewers: a case they were not asked
/// about is a 404 page, a partnership-only action on their own case a 403, a page not about a
/// case (people, a new case, the case list) 403 or their own list; the reviewer sees only the
/// final report's documents and the check.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_partnerships_pages_are_closed_to_agencies_and_reviewers() {
    let site = Site::start(Backend::Sqlite).await;
    site.case_asking("KSCP-2026-014", Some(("kent-police", "Kent Police")))
        .await;
    site.case_asking("KSCP-2026-021", Some(("kent-gp", "GP practice")))
        .await;
    let (police, police_csrf) =
        signed_in(&site, "agency", Some(("kent-police", "Kent Police"))).await;
    let reviewer_link = site.invite("reviewer", None);
    let (status, body) = site
        .api(
            Method::POST,
            "/cases/KSCP-2026-014/reviewers",
            Some(serde_json::json!({"reviewer": person_of(&reviewer_link)})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let response = client().post(&reviewer_link).send().await.expect("answers");
    let reviewer = session_cookie(&response).expect("a cookie");
    let reviewer_csrf = csrf_of(&site, &reviewer).await;

    let post = |cookie: String, csrf: String, path: String, fields: Vec<(&'static str, String)>| {
        let base = site.base.clone();
        async move {
            let mut form = vec![("_csrf", csrf)];
            form.extend(fields);
            client()
                .post(format!("{base}{path}"))
                .header("cookie", cookie)
                .form(&form)
                .send()
                .await
                .expect("answers")
                .status()
                .as_u16()
        }
    };
    for (cookie, csrf, who) in [
        (&police, &police_csrf, "agency"),
        (&reviewer, &reviewer_csrf, "reviewer"),
    ] {
        // Not about a case: 403 pages.
        for path in ["/people", "/new-case"] {
            assert_eq!(
                get(&site, path, Some(cookie)).await.status(),
                403,
                "{who} {path}"
            );
        }
        let upload = post(
            cookie.clone(),
            csrf.clone(),
            "/new-case/upload".into(),
            vec![],
        )
        .await;
        assert_eq!(upload, 403, "{who}: opening a case by upload");
        // Their own list, never the partnership's.
        let home = get(&site, "/", Some(cookie))
            .await
            .text()
            .await
            .expect("a page");
        assert!(!home.contains("id=\"cases\""), "{who} sees no case list");
        assert!(!home.contains("KSCP-2026-021"), "{who}: a case not theirs");
        // A case not theirs: 404, whatever is asked of it.
        for (path, fields) in [
            (
                "/case/KSCP-2026-021/reviewer",
                vec![("reviewer", "person:x".to_owned())],
            ),
            (
                "/case/KSCP-2026-021/agencies",
                vec![
                    ("agency_id", "x".to_owned()),
                    ("agency_name", "X".to_owned()),
                ],
            ),
        ] {
            assert_eq!(
                post(cookie.clone(), csrf.clone(), path.into(), fields).await,
                404,
                "{who} {path}"
            );
        }
        // Their own case: the partnership's actions are refused.
        let assign = post(
            cookie.clone(),
            csrf.clone(),
            "/case/KSCP-2026-014/reviewer".into(),
            vec![("reviewer", person_of(&reviewer_link))],
        )
        .await;
        assert_eq!(assign, 403, "{who} assigning a reviewer");
        // The audit log as CSV: never theirs, of their own case or another.
        for case in ["KSCP-2026-014", "KSCP-2026-021"] {
            let response = get(&site, &format!("/case/{case}/audit.csv"), Some(cookie)).await;
            assert!(
                matches!(response.status().as_u16(), 403 | 404),
                "{who} {case}: {}",
                response.status()
            );
            assert!(
                !response
                    .text()
                    .await
                    .expect("a page")
                    .contains("When (UTC)")
            );
        }
        let page = get(&site, "/case/KSCP-2026-014", Some(cookie))
            .await
            .text()
            .await
            .expect("a page");
        for partnership_only in [
            "Audit log",
            "Everything received",
            "Agencies asked",
            "Independent reviewer",
        ] {
            assert!(
                !page.contains(partnership_only),
                "{who} sees no {partnership_only}"
            );
        }
    }
    // The reviewer's documents are the publications only.
    let page = get(&site, "/case/KSCP-2026-014", Some(&reviewer))
        .await
        .text()
        .await
        .expect("a page");
    assert!(page.contains("id=\"document-final-report\""));
    assert!(!page.contains("document-rapid-review-pack"));
    let pack = get(
        &site,
        "/case/KSCP-2026-014/documents/rapid-review-pack?format=pdf",
        Some(&reviewer),
    )
    .await;
    assert!(
        matches!(pack.status().as_u16(), 403 | 404),
        "{}",
        pack.status()
    );
}

/// An administrator (invited from the command line) makes a machine token on the page, sees it
/// once, and revokes it; revokes a person, whose session ends at once; nobody else reaches the
/// page. Every change is in the audit log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_makes_and_revokes_tokens_and_people() {
    let site = Site::start(Backend::Sqlite).await;
    let link = site.invite("admin", None);
    let response = client().post(&link).send().await.expect("answers");
    let admin = session_cookie(&response).expect("a cookie");
    let home = get(&site, "/", Some(&admin)).await;
    assert_eq!(
        home.status(),
        303,
        "an administrator's home is the admin page"
    );
    assert_eq!(home.headers()[LOCATION], "/admin");
    let page = get(&site, "/admin", Some(&admin))
        .await
        .text()
        .await
        .expect("a page");
    let csrf = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSRF field")
        .to_owned();
    let post = |path: &str, fields: &[(&str, &str)]| {
        let mut form = vec![("_csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        client()
            .post(format!("{}{path}", site.base))
            .header("cookie", &admin)
            .form(&form)
            .send()
    };

    // A token for an agency's system: an impossible lifetime is explained, then it is made.
    let refused = post(
        "/admin/tokens",
        &[("role", "agency"), ("agency", "kent-police"), ("days", "0")],
    )
    .await
    .expect("answers");
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .expect("a page")
            .contains("Enter a number of days")
    );
    let made = post(
        "/admin/tokens",
        &[
            ("role", "agency"),
            ("agency", "kent-police"),
            ("days", "30"),
        ],
    )
    .await
    .expect("answers")
    .text()
    .await
    .expect("a page");
    let secret = made
        .split("<code id=\"new-token\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the token, shown once")
        .to_owned();
    let cases = |bearer: String| {
        let base = site.base.clone();
        async move {
            client()
                .get(format!("{base}/cases"))
                .bearer_auth(bearer)
                .send()
                .await
                .expect("answers")
                .status()
                .as_u16()
        }
    };
    assert_eq!(cases(secret.clone()).await, 200, "the new token works");
    let id = safeguarding_forms::store::token::split(&secret)
        .map(|(id, _)| id.to_owned())
        .expect("a token's shape");
    assert!(
        made.contains(&format!("id=\"revoke-{id}\"")),
        "listed with a Revoke button"
    );
    let revoked = post(&format!("/admin/tokens/{id}/revoke"), &[])
        .await
        .expect("answers");
    assert_eq!(revoked.status(), 303);
    assert_eq!(cases(secret).await, 401, "a revoked token stops at once");

    // A person revoked is signed out everywhere.
    let (partnership, _) = signed_in(&site, "partnership", None).await;
    assert_eq!(get(&site, "/", Some(&partnership)).await.status(), 200);
    let people = get(&site, "/admin", Some(&admin))
        .await
        .text()
        .await
        .expect("a page");
    let person = people
        .split("action=\"/admin/people/")
        .filter_map(|rest| rest.split('/').next())
        .last()
        .expect("the newest person")
        .to_owned();
    let revoked = post(&format!("/admin/people/{person}/revoke"), &[])
        .await
        .expect("answers");
    assert_eq!(revoked.status(), 303);
    assert_eq!(get(&site, "/", Some(&partnership)).await.status(), 303);

    // Nobody else reaches the page.
    let (police, _) = signed_in(&site, "agency", Some(("kent-police", "Kent Police"))).await;
    assert_eq!(get(&site, "/admin", Some(&police)).await.status(), 403);
    let (other, _) = signed_in(&site, "partnership", None).await;
    assert_eq!(get(&site, "/admin", Some(&other)).await.status(), 403);

    // Entries not about a case are filed under no case.
    let store = safeguarding_forms::store::open(&site.database)
        .await
        .expect("opens");
    let log = store.audit_log("").await.expect("the log reads");
    for action in [
        "POST /admin/tokens",
        "POST /admin/tokens/{id}/revoke",
        "POST /admin/people/{id}/revoke",
        "GET /admin",
    ] {
        assert!(
            log.iter().any(|e| e.action == action && e.role == "admin"),
            "{action} in the audit log"
        );
    }
    assert!(store.verify_audit().await.expect("the log verifies") > 5);
}

/// The reviewer's checklist comes back as Word or PDF from the same upload, read back by
/// python-docx and pdftotext; with the draft checked before, the page says what has changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_downloads_the_checklist_and_sees_what_changed() {
    let site = Site::start(Backend::Sqlite).await;
    let case = "KSCP-2026-014";
    site.case_asking(case, None).await;
    let link = site.invite("reviewer", None);
    let (status, body) = site
        .api(
            Method::POST,
            &format!("/cases/{case}/reviewers"),
            Some(serde_json::json!({"reviewer": person_of(&link)})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let response = client().post(&link).send().await.expect("answers");
    let cookie = session_cookie(&response).expect("a cookie");
    let csrf = csrf_of(&site, &cookie).await;
    let draft = |name: &str| {
        let text = std::fs::read_to_string(format!(
            "{}/tests/fixtures/reports/{name}.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("the fixture");
        super::report_corpus::draft_from_text(&text).docx()
    };
    let (earlier, now) = (
        draft("01-northvale-lcspr-toc-styles"),
        draft("02-eastmere-typed-contents-missing-tor"),
    );
    let send = |action: &'static str, previous: Option<Vec<u8>>| {
        let (cookie, csrf, now) = (cookie.clone(), csrf.clone(), now.clone());
        let url = format!("{}/case/{case}/report-check", site.base);
        async move {
            let file = reqwest::multipart::Part::bytes(now).file_name("draft.docx");
            let mut form = reqwest::multipart::Form::new()
                .text("_csrf", csrf)
                .part("file", file)
                .text("_action", action);
            if let Some(previous) = previous {
                form = form.part(
                    "previous",
                    reqwest::multipart::Part::bytes(previous).file_name("before.docx"),
                );
            }
            client()
                .post(url)
                .header("cookie", cookie)
                .multipart(form)
                .send()
                .await
                .expect("answers")
        }
    };
    let dir = tempfile::tempdir().expect("a folder");
    for (action, magic) in [("docx", &b"PK"[..]), ("pdf", &b"%PDF"[..])] {
        let answer = send(action, None).await;
        assert_eq!(answer.status(), 200, "{action}");
        let disposition = answer.headers()["content-disposition"]
            .to_str()
            .expect("text")
            .to_owned();
        assert!(
            disposition.contains(&format!("{case}-report-checklist.{action}")),
            "{disposition}"
        );
        let bytes = answer.bytes().await.expect("bytes");
        assert!(bytes.starts_with(magic), "{action}");
        let path = dir.path().join(format!("checklist.{action}"));
        std::fs::write(&path, &bytes).expect("written");
        let path = path.to_string_lossy().into_owned();
        let text = if action == "pdf" {
            let output = std::process::Command::new("pdftotext")
                .args(["-enc", "UTF-8", &path, "-"])
                .output()
                .expect("pdftotext must be installed for this test");
            String::from_utf8_lossy(&output.stdout).into_owned()
        } else {
            let output = std::process::Command::new("python3")
                .args([
                    "-c",
                    "import docx, sys\nd = docx.Document(sys.argv[1])\nprint('\\n'.join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells]))",
                    &path,
                ])
                .output()
                .expect("python3 with python-docx must be installed for this test");
            String::from_utf8_lossy(&output.stdout).into_owned()
        };
        assert!(
            text.contains("Terms of reference") && text.contains("Missing"),
            "{action}: the checklist names the missing item: {text}"
        );
    }
    let page = send("check", Some(earlier))
        .await
        .text()
        .await
        .expect("a page");
    let changes = page
        .split("id=\"changes\"")
        .nth(1)
        .expect("a section on what changed");
    assert!(changes.contains("present before, missing now"), "{changes}");
    assert!(
        changes.contains("Identifying details no longer found") && changes.contains("03/05/2008"),
        "{changes}"
    );
    // A draft on its own, from the reviewer's home page: the same check, patterns only.
    let home = get(&site, "/", Some(&cookie))
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        home.contains("action=\"/report-check\""),
        "the home page offers a check"
    );
    let alone = client()
        .post(format!("{}/report-check", site.base))
        .header("cookie", &cookie)
        .multipart(
            reqwest::multipart::Form::new()
                .text("_csrf", csrf.clone())
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(now.clone()).file_name("draft.docx"),
                ),
        )
        .send()
        .await
        .expect("answers");
    assert_eq!(alone.status(), 200);
    let page = alone.text().await.expect("a page");
    assert!(page.contains("A draft on its own") && page.contains("Terms of reference"));
    let (police, police_csrf) =
        signed_in(&site, "agency", Some(("kent-police", "Kent Police"))).await;
    let refused = client()
        .post(format!("{}/report-check", site.base))
        .header("cookie", &police)
        .multipart(
            reqwest::multipart::Form::new()
                .text("_csrf", police_csrf)
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(now).file_name("draft.docx"),
                ),
        )
        .send()
        .await
        .expect("answers");
    assert_eq!(refused.status(), 403, "agencies do not check reports");
}

/// The partnership asks an agency by choosing it from the agencies of the people it has invited
/// (the list it keeps), or by typing its id and name; a chosen agency already asked is not
/// offered again, and a choice that is not on the list is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_partnership_asks_an_agency_from_its_list() {
    let site = Site::start(Backend::Sqlite).await;
    let case = "KSCP-2026-014";
    site.case_asking(case, None).await;
    let _ = site.invite("agency", Some(("kent-gp", "GP practice")));
    let (cookie, csrf) = signed_in(&site, "partnership", None).await;
    let page = get(&site, &format!("/case/{case}"), Some(&cookie))
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        page.contains("<option value=\"kent-gp\">GP practice</option>"),
        "the invited agency is offered"
    );
    let ask = |fields: Vec<(&'static str, &'static str)>| {
        let (cookie, csrf) = (cookie.clone(), csrf.clone());
        let url = format!("{}/case/{case}/agencies", site.base);
        async move {
            let mut form = vec![("_csrf", csrf.as_str().to_owned())];
            form.extend(fields.into_iter().map(|(k, v)| (k, v.to_owned())));
            client()
                .post(url)
                .header("cookie", cookie)
                .form(&form)
                .send()
                .await
                .expect("answers")
                .status()
                .as_u16()
        }
    };
    assert_eq!(ask(vec![("known_agency", "not-on-the-list")]).await, 422);
    assert_eq!(ask(vec![("known_agency", "kent-gp")]).await, 303);
    let (_, asked) = site.api(Method::GET, &format!("/cases/{case}"), None).await;
    assert!(
        asked["agencies"].as_array().is_some_and(|a| a
            .iter()
            .any(|a| a["id"] == "kent-gp" && a["name"] == "GP practice")),
        "{asked}"
    );
    let page = get(&site, &format!("/case/{case}"), Some(&cookie))
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        !page.contains("<option value=\"kent-gp\">"),
        "asked: not offered again"
    );
}

/// A case opened from an uploaded notification: as JSON, and as the filled Word form; a file
/// that is neither is explained and opens nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_opens_from_an_uploaded_notification() {
    let site = Site::start(Backend::Sqlite).await;
    let (cookie, csrf) = signed_in(&site, "partnership", None).await;
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let (cookie, csrf) = (cookie.clone(), csrf.clone());
        let url = format!("{}/new-case/upload", site.base);
        async move {
            let form = reqwest::multipart::Form::new().text("_csrf", csrf).part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
            client()
                .post(url)
                .header("cookie", cookie)
                .multipart(form)
                .send()
                .await
                .expect("answers")
        }
    };
    let junk = upload(b"hello, this is not a form".to_vec(), "notes.txt").await;
    assert_eq!(junk.status(), 422);
    assert!(
        junk.text()
            .await
            .expect("a page")
            .contains("not valid JSON")
    );

    let json = super::support::served::sample(
        "csprp-notification/valid/kscp-2025-047-care-leaver-death.json",
    );
    let opened = upload(
        serde_json::to_vec(&json).expect("encodes"),
        "notification.json",
    )
    .await;
    assert_eq!(opened.status(), 303);
    assert_eq!(opened.headers()[LOCATION], "/case/KSCP-2025-047");

    let sample = super::support::served::sample(
        "csprp-notification/valid/kscp-2026-021-child-m-looked-after-death.json",
    );
    let blank = reqwest::Client::new()
        .get(format!(
            "{}/forms/csprp-notification/blank.docx?rows=10",
            site.base
        ))
        .bearer_auth(&site.partnership)
        .send()
        .await
        .expect("the blank form downloads")
        .bytes()
        .await
        .expect("bytes");
    let filled = super::support::word_fill::fill(&blank, &sample);
    let opened = upload(filled, "notification.docx").await;
    assert_eq!(opened.status(), 303);
    assert_eq!(opened.headers()[LOCATION], "/case/KSCP-2026-021");
    assert_eq!(
        site.stored("KSCP-2026-021", "csprp-notification").await,
        sample
    );
    let (status, _) = site.api(Method::GET, "/cases/KSCP-2025-047", None).await;
    assert_eq!(status, 200);
}

/// The case page's timetable says why a late step was late, as the form gives it, and says so
/// when no form gives a reason yet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_case_page_says_why_a_step_was_late() {
    let site = Site::start(Backend::Sqlite).await;
    let (cookie, csrf) = signed_in(&site, "partnership", None).await;
    let mut late =
        super::support::served::sample("csprp-notification/invalid/late-without-reason.json");
    let reason = "The team manager was on leave & \"cover\" missed it.";
    late["notification"]["lateness_reason"] = serde_json::json!(reason);
    late.as_object_mut().expect("an object").remove("_expect");
    let form = reqwest::multipart::Form::new().text("_csrf", csrf).part(
        "file",
        reqwest::multipart::Part::bytes(serde_json::to_vec(&late).expect("encodes"))
            .file_name("notification.json"),
    );
    let opened = client()
        .post(format!("{}/new-case/upload", site.base))
        .header("cookie", &cookie)
        .multipart(form)
        .send()
        .await
        .expect("answers");
    assert_eq!(opened.status(), 303);
    let page = get(&site, "/case/KSCP-2026-014", Some(&cookie))
        .await
        .text()
        .await
        .expect("the case page");
    let timetable = page
        .split("<h2 class=\"govuk-heading-m\">Timetable</h2>")
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .unwrap_or_else(|| panic!("no timetable on {page}"));
    let notify = timetable
        .split("<tr ")
        .find(|row| row.contains("Local authority notifies the Panel"))
        .unwrap_or_else(|| panic!("no notification step in {timetable}"));
    assert!(notify.contains(" late"), "{notify}");
    assert!(
        notify.contains("Why: The team manager was on leave &amp; &quot;cover&quot; missed it."),
        "{notify}"
    );
    // The steps after it are overdue on today's date, and no form says why yet.
    assert!(timetable.contains("No reason recorded yet"), "{timetable}");
}

/// The partnership downloads a case's whole audit log as CSV from the case page: oldest first,
/// people named, the download itself recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_partnership_downloads_a_cases_audit_log() {
    let site = Site::start(Backend::Sqlite).await;
    site.case_asking("KSCP-2026-014", Some(("kent-police", "Kent Police")))
        .await;
    let (cookie, _) = signed_in(&site, "partnership", None).await;
    let page = get(&site, "/case/KSCP-2026-014", Some(&cookie))
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        page.contains("href=\"/case/KSCP-2026-014/audit.csv\""),
        "linked from the page"
    );
    let response = get(&site, "/case/KSCP-2026-014/audit.csv", Some(&cookie)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("text")
            .contains("KSCP-2026-014-audit-log.csv")
    );
    let text = response.text().await.expect("CSV");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "When (UTC),Who,Role,Agency,What,Outcome,Detail");
    assert!(
        lines[1].ends_with("GET /cases/{id},not-found,") && lines[2].contains("POST /cases"),
        "oldest first: {text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Sam Tester") && l.contains("GET /case/{id},ok")),
        "the page view, by name: {text}"
    );
    // The download is itself in the log.
    let again = get(&site, "/case/KSCP-2026-014/audit.csv", Some(&cookie))
        .await
        .text()
        .await
        .expect("CSV");
    assert!(again.contains("GET /case/{id}/audit.csv,ok"), "{again}");
}
