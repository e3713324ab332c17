//! Bearer-token authentication and the per-route policy: which roles may do what. The policy
//! is a table, so the denials are data the tests walk through.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::problem::Problem;
use crate::store::{Role, Token};

/// Who is making a request: the token's id, role and agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The token id (public part), used in logs and the audit log.
    pub id: String,
    /// The role.
    pub role: Role,
    /// The agency, for agency tokens.
    pub agency: Option<String>,
}

impl From<Token> for Principal {
    fn from(token: Token) -> Self {
        Principal {
            id: token.id,
            role: token.role,
            agency: token.agency,
        }
    }
}

/// Everything a route can do, for the policy table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// GET /forms, GET /forms/{id}/schema.
    ReadForms,
    /// POST /forms/{id}/validate.
    Validate,
    /// POST /forms/{id}/render.
    Render,
    /// POST /cases.
    CreateCase,
    /// GET /cases.
    ListCases,
    /// GET /cases/{id}.
    ReadCase,
    /// POST /cases/{id}/agencies.
    AskAgencies,
    /// POST /cases/{id}/submissions.
    Submit,
    /// GET /cases/{id}/submissions and /cases/{id}/submissions/{n}.
    ReadSubmissions,
    /// GET /cases/{id}/documents/{kind}.
    ReadDocument,
    /// GET /cases/{id}/audit.
    ReadAudit,
    /// POST /reports/check and /cases/{id}/reports/check.
    CheckReport,
    /// POST /cases/{id}/reviewers.
    AssignReviewer,
    /// POST /tokens, GET /tokens, DELETE /tokens/{id}, GET /audit/verify.
    CreateToken,
    /// GET /actions, GET /actions/{id} (an agency: its own actions only).
    ReadActions,
    /// PUT /actions/{id} (an agency: the progress of its own actions only).
    UpdateAction,
    /// POST /actions.
    AddAction,
    /// GET /reports/timeliness.
    ReadTimeliness,
    /// POST /reports/yearly and /reports/yearly/check.
    YearlyReport,
}

use Role::{Admin, Agency, Partnership, Reviewer};

/// Which roles may take each action. Finer rules (an agency's own returns only, a reviewer's
/// final reports only) are applied by the route on top of this table.
pub const POLICY: &[(Action, &[Role])] = &[
    (Action::ReadForms, &[Agency, Partnership, Reviewer, Admin]),
    (Action::Validate, &[Agency, Partnership, Reviewer, Admin]),
    (Action::Render, &[Agency, Partnership, Reviewer, Admin]),
    (Action::CreateCase, &[Partnership]),
    (Action::CheckReport, &[Partnership, Reviewer]),
    (Action::ListCases, &[Agency, Partnership, Reviewer]),
    (Action::ReadCase, &[Agency, Partnership, Reviewer]),
    (Action::AskAgencies, &[Partnership]),
    (Action::AssignReviewer, &[Partnership]),
    (Action::Submit, &[Agency, Partnership, Reviewer]),
    (Action::ReadSubmissions, &[Agency, Partnership, Reviewer]),
    (Action::ReadDocument, &[Partnership, Reviewer]),
    (Action::ReadAudit, &[Partnership]),
    (Action::CreateToken, &[Admin]),
    (Action::ReadActions, &[Agency, Partnership]),
    (Action::UpdateAction, &[Agency, Partnership]),
    (Action::AddAction, &[Partnership]),
    (Action::ReadTimeliness, &[Partnership]),
    (Action::YearlyReport, &[Partnership]),
];

/// Whether a role may take an action at all.
pub fn allowed(action: Action, role: Role) -> bool {
    POLICY
        .iter()
        .any(|(a, roles)| *a == action && roles.contains(&role))
}

impl Principal {
    /// Refuses with 403 when the role may not take the action.
    pub fn require(&self, action: Action) -> Result<(), Problem> {
        if allowed(action, self.role) {
            Ok(())
        } else {
            Err(Problem::forbidden(format!(
                "Your access ({} role) does not allow this. Ask the partnership team if you need it.",
                self.role
            )))
        }
    }
}

/// 401 with the header that tells a client to send a bearer token.
fn unauthorized(detail: &str) -> Response {
    let mut response = Problem::new(StatusCode::UNAUTHORIZED, detail).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"safeguarding-forms\""),
    );
    response
}

/// Resolves the bearer token into a [`Principal`] for the routes, or answers 401.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(bearer) = bearer else {
        return unauthorized(
            "This needs an access token: send it as Authorization: Bearer <token>. The partnership team can issue one.",
        );
    };
    let key = super::token_cache::TokenCache::key(bearer);
    let looked_up = match state.tokens.get(&key) {
        Some(token) => Ok(Some(token)),
        None => state.store.authenticate(bearer).await.inspect(|found| {
            if let Some(token) = found {
                state.tokens.put(key, token.clone());
            }
        }),
    };
    match looked_up {
        Ok(Some(token)) if token.revoked_at.is_some() => unauthorized(
            "This access token has been revoked. Ask the partnership team for a new one.",
        ),
        Ok(Some(token)) if !token.usable_at(&crate::store::now()) => {
            unauthorized("This access token has expired. Ask the partnership team for a new one.")
        }
        Ok(Some(token)) => {
            let principal = Principal::from(token);
            request.extensions_mut().insert(principal.clone());
            let mut response = next.run(request).await;
            // For the request log, which runs outside this middleware.
            response.extensions_mut().insert(principal);
            response
        }
        Ok(None) => unauthorized(
            "This access token is not recognised. Check it was copied in full, or ask the partnership team for a new one.",
        ),
        Err(error) => Problem::from(error).into_response(),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Principal>().cloned().ok_or_else(|| {
            tracing::error!("route reached without authentication");
            Problem::internal()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_policy_row_and_admin_never_reads_cases() {
        for (action, _) in POLICY {
            assert_eq!(POLICY.iter().filter(|(a, _)| a == action).count(), 1);
        }
        assert!(!allowed(Action::ReadCase, Admin));
        assert!(!allowed(Action::ReadAudit, Agency));
        assert!(allowed(Action::CreateCase, Partnership));
        assert!(!allowed(Action::CreateToken, Partnership));
    }
}
