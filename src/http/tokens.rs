//! Token administration over HTTP: admins issue tokens, as `safeguarding-forms token create` does.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::{Action, Principal};
use super::extract::JsonBody;
use super::problem::Problem;
use crate::store::Role;

/// A token to issue.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// The role.
    pub role: Role,
    /// The agency, for agency tokens only.
    pub agency: Option<String>,
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
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<IssuedToken>), Problem> {
    principal.require(Action::CreateToken)?;
    let request: NewToken = serde_json::from_value(body).map_err(|e| {
        Problem::unprocessable(format!(
            "The token request could not be read: {e}. Send {{\"role\": \"agency\", \"agency\": \"kent-police\"}}."
        ))
    })?;
    let (token, bearer) = state
        .store
        .create_token(request.role, request.agency.as_deref())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedToken {
            id: token.id,
            role: token.role,
            agency: token.agency,
            token: bearer,
        }),
    ))
}
