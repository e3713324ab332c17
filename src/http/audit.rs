//! One middleware records every request on a case in the audit log (who, role, agency, action,
//! case, outcome: never form content) and writes one log line per request.

use std::time::Instant;

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::auth::Principal;
use super::problem::Problem;
use crate::store::AuditEvent;

/// What a route adds to its audit entry: the case it created, or a finer outcome.
#[derive(Debug, Clone, Default)]
pub struct AuditNote {
    /// The case, when it is not in the address (a case just opened).
    pub case: Option<String>,
    /// A finer outcome than the status gives, e.g. `draft`.
    pub outcome: Option<&'static str>,
}

/// The audit entry of a route that writes: the route records it in the same transaction as
/// its write (so a write is never stored without its entry, however the request ends), and
/// marks its response [`Audited`] so the middleware does not record it twice.
#[derive(Debug, Clone)]
pub struct Auditor {
    event: AuditEvent,
}

impl Auditor {
    /// The entry, with its outcome.
    pub fn event(&self, outcome: &str) -> AuditEvent {
        AuditEvent {
            outcome: outcome.to_owned(),
            ..self.event.clone()
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Auditor {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        let principal = Principal::from_request_parts(parts, state).await?;
        let route = parts
            .extensions
            .get::<MatchedPath>()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default();
        Ok(Auditor {
            event: AuditEvent {
                principal: principal.id,
                role: principal.role,
                agency: principal.agency,
                action: format!("{} {route}", parts.method),
                case: case_in(parts.uri.path()),
                outcome: String::new(),
                detail: String::new(),
            },
        })
    }
}

/// Marks a response whose audit entry was written in the same transaction as its write.
#[derive(Debug, Clone, Copy)]
pub struct Audited;

/// A response marked [`Audited`].
pub fn audited(mut response: Response) -> Response {
    response.extensions_mut().insert(Audited);
    response
}

fn outcome(status: axum::http::StatusCode) -> &'static str {
    match status.as_u16() {
        200..=299 => "ok",
        403 => "denied",
        404 => "not-found",
        400..=499 => "refused",
        _ => "failed",
    }
}

/// The case reference in a `/cases/{id}/...` address, as sent (cut short).
fn case_in(path: &str) -> String {
    path.strip_prefix("/cases/")
        .or_else(|| path.strip_prefix("/case/"))
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
        .chars()
        .take(64)
        .collect()
}

/// Records the request in the audit log once the route has answered (reads, refusals, errors
/// and time-outs; a write has recorded itself with its write). If the record cannot be written,
/// the answer is withheld: no case is read without a trace.
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(principal) = request.extensions().get::<Principal>().cloned() else {
        return next.run(request).await;
    };
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let audited_routes = [
        "/cases",
        "/case/",
        "/tokens",
        "/audit",
        "/people",
        "/new-case",
        "/admin",
        "/report-check",
        "/actions",
        "/action-plan",
        "/reports/timeliness",
        "/reports/yearly",
    ];
    // The pages' home and Reports page are audited by their exact route: a prefix would take
    // in API routes such as `/reports/check`.
    if !["/", "/reports"].contains(&route.as_str())
        && !audited_routes
            .iter()
            .any(|prefix| route.starts_with(prefix))
    {
        return next.run(request).await;
    }
    let action = format!("{} {route}", request.method());
    let path_case = case_in(request.uri().path());
    let response = next.run(request).await;
    if response.extensions().get::<Audited>().is_some() {
        return response;
    }
    let note = response
        .extensions()
        .get::<AuditNote>()
        .cloned()
        .unwrap_or_default();
    let event = AuditEvent {
        principal: principal.id,
        role: principal.role,
        agency: principal.agency,
        action,
        case: note.case.unwrap_or(path_case),
        outcome: note
            .outcome
            .unwrap_or(outcome(response.status()))
            .to_owned(),
        detail: String::new(),
    };
    match state.audit.record(event).await {
        Ok(_) => response,
        Err(error) => {
            tracing::error!(error = %error, "audit log write failed; response withheld");
            Problem::unavailable().into_response()
        }
    }
}

/// Logs method, route, status, latency and token id: never bodies, never form content.
pub async fn log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "(unmatched)".to_owned());
    let response = next.run(request).await;
    let principal = response
        .extensions()
        .get::<Principal>()
        .map(|p| p.id.clone())
        .unwrap_or_default();
    tracing::info!(
        %method,
        route,
        status = response.status().as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        principal,
        "request"
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_case_comes_from_the_address() {
        assert_eq!(case_in("/cases/KSCP-1/audit"), "KSCP-1");
        assert_eq!(case_in("/cases/KSCP-1"), "KSCP-1");
        assert_eq!(case_in("/cases"), "");
        assert_eq!(outcome(axum::http::StatusCode::FORBIDDEN), "denied");
    }
}
