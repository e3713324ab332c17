//! Web pages for people: sign-in by one-time link, the cases a person may see, and every form
//! as GOV.UK-styled pages generated from its schema (task list, a page per section, check your
//! answers, send). The pages run through the same role rules, the same store and the same
//! audit log as the JSON API; they are rendered on the server and work with JavaScript off.

pub mod action_plan;
pub mod admin;
pub mod assets;
pub mod case_list;
pub mod cases;
pub mod fields;
pub mod form_pages;
pub mod html;
pub mod messages;
pub mod partnership;
pub mod people;
pub mod report_check;
pub mod reports;
pub mod session;
pub mod signin;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::http::AppState;
use crate::http::problem::Problem;
use crate::store::{SessionLimits, StoreError};
use html::{Chrome, Esc};

/// What the pages need from configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The partnership's name, heading every page.
    pub partnership: String,
    /// Whether the session cookie is marked `Secure` (sent only over HTTPS). Off only for a
    /// service listening on the loopback address, which a browser reaches over plain HTTP.
    pub secure_cookies: bool,
    /// How long sessions last.
    pub sessions: SessionLimits,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            partnership: "Safeguarding Children Partnership".to_owned(),
            secure_cookies: true,
            sessions: SessionLimits::default(),
        }
    }
}

/// The pages' routes, with sign-in required for all but the sign-in pages and the assets.
pub fn router(state: &AppState) -> Router<AppState> {
    let signed_in = Router::new()
        .route("/", get(cases::home))
        .route("/new-case", get(cases::new_case).post(cases::start_case))
        .route("/new-case/upload", post(cases::upload_notification))
        .route("/case/{id}", get(cases::case_page))
        .route("/case/{id}/agencies", post(partnership::ask))
        .route("/case/{id}/reviewer", post(partnership::assign_reviewer))
        .route("/case/{id}/report-check", post(report_check::check))
        .route("/report-check", post(report_check::check_alone))
        .route("/case/{id}/documents/{kind}", get(partnership::document))
        .route("/case/{id}/audit.csv", get(partnership::audit_download))
        .route("/case/{id}/form/{form}", get(form_pages::task_list))
        .route(
            "/case/{id}/form/{form}/section/{n}",
            get(form_pages::section).post(form_pages::save_section),
        )
        .route(
            "/case/{id}/form/{form}/check",
            get(form_pages::check).post(form_pages::send),
        )
        .route("/case/{id}/form/{form}/sent/{n}", get(form_pages::sent))
        .route(
            "/case/{id}/form/{form}/word",
            get(form_pages::word_form).post(form_pages::upload_word_form),
        )
        .route("/people", get(people::list).post(people::invite))
        .route("/admin", get(admin::page))
        .route("/admin/tokens", post(admin::make_token))
        .route("/admin/tokens/{id}/revoke", post(admin::revoke_token))
        .route("/admin/people/{id}/revoke", post(admin::revoke_person))
        .route("/people/sessions/{session}/end", post(people::end_session))
        .route("/reports", get(reports::page))
        .route("/action-plan", get(action_plan::list))
        .route(
            "/action-plan/{id}",
            get(action_plan::page).post(action_plan::update),
        )
        .route(
            "/reports/timeliness/download",
            get(reports::timeliness_download),
        )
        .route("/reports/yearly/draft", post(reports::yearly_draft))
        .route("/reports/yearly/draft/upload", post(reports::yearly_upload))
        .route("/sign-out", post(signin::sign_out))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::http::audit::record,
        ))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            session::require,
        ));
    Router::new()
        .route("/sign-in", get(signin::explain))
        .route(
            "/sign-in/{code}",
            get(signin::confirm).post(signin::sign_in),
        )
        .route("/assets/{*file}", get(assets::serve))
        .merge(signed_in)
}

/// An error as a page: the same status and words as the API's problem.
#[derive(Debug)]
pub struct PageError {
    status: StatusCode,
    detail: String,
    partnership: String,
}

impl PageError {
    /// An error page with this status and explanation.
    pub fn new(state: &AppState, status: StatusCode, detail: impl Into<String>) -> Self {
        PageError {
            status,
            detail: detail.into(),
            partnership: state.web.partnership.clone(),
        }
    }

    /// The page of a problem the API would answer with.
    pub fn from_problem(state: &AppState, problem: Problem) -> Self {
        let status = problem.status();
        let detail = if status == StatusCode::NOT_FOUND {
            "There is nothing here, or it is not shared with you. Check the address, or go back to your cases.".to_owned()
        } else {
            problem.detail
        };
        PageError::new(state, status, detail)
    }

    /// The same error, its explanation starting with `prefix` (which file it is about).
    #[must_use]
    pub fn prefixed(mut self, prefix: &str) -> Self {
        self.detail = format!("{prefix}{}", self.detail);
        self
    }

    /// The page of a store failure.
    pub fn from_store(state: &AppState, error: StoreError) -> Self {
        PageError::from_problem(state, Problem::from(error))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let heading = match self.status {
            StatusCode::NOT_FOUND => "Page not found",
            StatusCode::FORBIDDEN => "You cannot do this",
            StatusCode::PAYLOAD_TOO_LARGE => "The file is too large",
            status if status.is_server_error() => "Sorry, there is a problem with the service",
            _ => "Sorry, this could not be done",
        };
        let main = format!(
            "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><h1 class=\"govuk-heading-l\">{}</h1><p class=\"govuk-body\">{}</p><p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/\">Go to your cases</a></p></div></div>",
            Esc(heading),
            Esc(&self.detail)
        );
        let chrome = Chrome {
            partnership: &self.partnership,
            ..Chrome::default()
        };
        page_response(self.status, html::page(&chrome, heading, false, &main))
    }
}

/// An HTML page answer with the pages' Content-Security-Policy.
pub fn page_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(policy) = HeaderValue::from_str(&html::content_security_policy()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

/// A 303 redirect (after a POST, so Back and refresh do not send it again).
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}
