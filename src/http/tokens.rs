//! Token administration over HTTP: admins issue, list and revoke tokens, as
//! `safeguarding-forms token` does; every issue and revocation is audited with it.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::audit::{Auditor, audited};
use super::auth::{Action, Principal};
use super::extract::JsonBody;
use super::problem::Problem;
use crate::store::{AuditCheck, Role, Token};

/// How long a token lasts unless its maker says otherwise.
pub const DEFAULT_LIFETIME_DAYS: u32 = 90;

/// The longest lifetime a token may be given.
pub const MAX_LIFETIME_DAYS: u32 = 3650;

/// When a token made now for `days` stops working (RFC 3339, UTC).
pub fn expiry(days: u32) -> Result<String, Problem> {
    if !(1..=MAX_LIFETIME_DAYS).contains(&days) {
        return Err(Problem::unprocessable(format!(
            "A token lasts from 1 to {MAX_LIFETIME_DAYS} days; {days} is outside that."
        )));
    }
    let end = chrono::Utc::now() + chrono::Duration::days(i64::from(days));
    Ok(end.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
}

/// A token to issue.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// The role.
    pub role: Role,
    /// The agency, for agency tokens only.
    pub agency: Option<String>,
    /// Days until it stops working (1 to 3650; default 90).
    pub expires_in_days: Option<u32>,
}

/// A token just issued: the only time its secret is shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IssuedToken {
    /// The token's public id.
    pub id: String,
    /// Its role.
    pub role: Role,
    /// Its agency.
    pub agency: Option<String>,
    /// When it stops working.
    pub expires_at: Option<String>,
    /// The bearer token to hand over. It is not stored and cannot be shown again.
    pub token: String,
}

/// Issues a token.
#[utoipa::path(post, path = "/tokens", tag = "admin",
    request_body = NewToken,
    responses((status = 201, description = "Issued", body = IssuedToken),
        (status = 422, description = "Role and agency do not fit", body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    auditor: Auditor,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    principal.require(Action::CreateToken)?;
    let request: NewToken = serde_json::from_value(body).map_err(|e| {
        Problem::unprocessable(format!(
            "The token request could not be read: {e}. Send {{\"role\": \"agency\", \"agency\": \"kent-police\"}}."
        ))
    })?;
    let expires_at = expiry(request.expires_in_days.unwrap_or(DEFAULT_LIFETIME_DAYS))?;
    let (token, bearer) = state
        .store
        .create_token(
            crate::store::NewToken {
                role: request.role,
                agency: request.agency,
                created_by: principal.id.clone(),
                expires_at: Some(expires_at),
            },
            &auditor.event("ok"),
        )
        .await?;
    let issued = IssuedToken {
        id: token.id,
        role: token.role,
        agency: token.agency,
        expires_at: token.expires_at,
        token: bearer,
    };
    Ok(audited((StatusCode::CREATED, Json(issued)).into_response()))
}

/// Every token: who made it, when it expires, whether it is revoked (never a secret).
#[utoipa::path(get, path = "/tokens", tag = "admin",
    responses((status = 200, description = "The tokens", body = Vec<Token>)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<Token>>, Problem> {
    principal.require(Action::CreateToken)?;
    Ok(Json(state.store.tokens().await?))
}

/// Revokes a token: it stops working at once.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "admin",
    params(("id" = String, Path, description = "The token's public id")),
    responses((status = 200, description = "Revoked", body = Token),
        (status = 404, description = "No such token", body = Problem)),
    security(("bearer" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    principal: Principal,
    auditor: Auditor,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    principal.require(Action::CreateToken)?;
    let token = state.store.revoke_token(&id, &auditor.event("ok")).await?;
    state.tokens.forget(&token.id);
    Ok(audited(Json(token).into_response()))
}

/// Checks the whole audit log: its hash chain and its seals.
#[utoipa::path(get, path = "/audit/verify", tag = "admin",
    responses((status = 200, description = "The log verifies", body = Object),
        (status = 409, description = "The log has been altered: the first bad entry is named", body = Problem)),
    security(("bearer" = [])))]
pub async fn verify_audit(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<AuditCheck>, Problem> {
    principal.require(Action::CreateToken)?;
    Ok(Json(state.store.check_audit(None).await?))
}
