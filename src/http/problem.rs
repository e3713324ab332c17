//! Errors as `application/problem+json` (RFC 9457) with a plain-English `detail`, and the
//! middleware that turns every other error response (from axum or tower) into one.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::store::StoreError;

/// The media type of a problem.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error response: status, a short title and what the person can do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The status's reason phrase.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong and what to do, in plain English.
    pub detail: String,
    /// Seconds to wait before trying again, sent as `Retry-After`.
    #[serde(skip)]
    pub retry_after: Option<u32>,
}

impl Problem {
    /// A problem with this status and explanation.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            retry_after: None,
        }
    }

    /// 503 with `Retry-After`: every place for heavy work is taken and the queue is full.
    pub fn busy(seconds: u32) -> Self {
        Problem {
            retry_after: Some(seconds),
            ..Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "The service is busy making other documents and reading other files. Nothing was stored; please try again in {seconds} seconds."
                ),
            )
        }
    }

    /// 400: the request cannot be understood.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, detail)
    }

    /// 403: the token's role does not allow this.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::FORBIDDEN, detail)
    }

    /// 404: nothing here (or nothing this token may know of).
    pub fn not_found(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::NOT_FOUND, detail)
    }

    /// 404 for an action that does not exist or that this principal may not see.
    pub fn no_action(id: &str) -> Self {
        let shown: String = id.chars().take(160).collect();
        Problem::not_found(format!(
            "There is no action \"{shown}\" that you can see. Check the action's id (GET /actions lists yours)."
        ))
    }

    /// 404 for a case that does not exist or that this token may not know exists.
    pub fn no_case(id: &str) -> Self {
        let shown: String = id.chars().take(64).collect();
        Problem::not_found(format!(
            "There is no case \"{shown}\" that you can see. Check the case reference."
        ))
    }

    /// 422: understood, but not acceptable.
    pub fn unprocessable(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
    }

    /// 503: a dependency (the database) is not available.
    pub fn unavailable() -> Self {
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "The case database is not available right now. Nothing was lost; please try again in a few minutes.",
        )
    }

    /// 500: a defect of the service; the detail stays vague and the cause goes to the log.
    pub fn internal() -> Self {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong inside the service. Please try again; if it keeps happening, tell the partnership team.",
        )
    }

    /// The status as a code.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<StoreError> for Problem {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::CaseExists(_) => Problem::new(StatusCode::CONFLICT, error.to_string()),
            StoreError::NoCase(id) => Problem::no_case(&id),
            StoreError::Invalid(detail) => Problem::unprocessable(detail),
            StoreError::NoToken(_) => Problem::not_found(error.to_string()),
            StoreError::NoAction(id) => Problem::no_action(&id),
            StoreError::StaleAction { .. } => Problem::new(StatusCode::CONFLICT, error.to_string()),
            StoreError::Tampered { .. }
            | StoreError::Unsealed { .. }
            | StoreError::Truncated { .. } => {
                tracing::error!(error = %error, "the audit log does not verify");
                Problem::new(StatusCode::CONFLICT, error.to_string())
            }
            StoreError::Database(_) => {
                // The cause may name tables or hosts, never form content.
                tracing::error!(error = %error, "database error");
                Problem::unavailable()
            }
            other => {
                tracing::error!(error = %other, "store error");
                Problem::internal()
            }
        }
    }
}

/// What to tell a person for an error status that reached us without a problem body.
fn default_detail(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => {
            "There is nothing at this address. GET /openapi.json lists every address the service answers."
        }
        StatusCode::METHOD_NOT_ALLOWED => {
            "This address does not take that kind of request. GET /openapi.json lists the methods each address takes."
        }
        StatusCode::PAYLOAD_TOO_LARGE => {
            "The upload is larger than this service accepts. A form is a small JSON file: check that the right file was sent."
        }
        StatusCode::REQUEST_TIMEOUT => {
            "The request took too long and was stopped. Please try again; if it keeps happening, tell the partnership team."
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            "Send the form as JSON, with the header Content-Type: application/json."
        }
        status if status.is_server_error() => {
            "Something went wrong inside the service. Please try again; if it keeps happening, tell the partnership team."
        }
        _ => "The request could not be handled as sent.",
    }
}

/// Makes every error response a problem: axum's and tower's own rejections (unknown routes,
/// wrong method, body limit, timeout) arrive here without one.
pub async fn ensure_problem(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| {
            value.as_bytes() == PROBLEM_JSON.as_bytes()
                || value.as_bytes().starts_with(b"text/html")
        });
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let problem = Problem::new(status, default_detail(status));
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_carry_status_title_and_detail() {
        let problem = Problem::not_found("Nothing here.");
        assert_eq!(problem.title, "Not Found");
        let response = problem.into_response();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            response
                .headers()
                .get(header::CONTENT_TYPE)
                .map(|v| v.as_bytes()),
            Some(PROBLEM_JSON.as_bytes())
        );
    }

    #[test]
    fn store_errors_become_plain_problems() {
        let exists = Problem::from(StoreError::CaseExists("KSCP-1".into()));
        assert_eq!(exists.status, 409);
        assert!(exists.detail.contains("KSCP-1"));
        assert_eq!(Problem::from(StoreError::NoCase("x".into())).status, 404);
    }
}
