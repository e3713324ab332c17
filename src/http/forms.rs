//! The stateless routes: the forms, their schemas, and validation of a submission.

use axum::Json;
use axum::extract::State;
use serde_json::Value;

use super::AppState;
use super::auth::{Action, Principal};
use super::extract::JsonBody;
use super::params::FormRef;
use super::problem::Problem;
use crate::forms::{Form, FormSummary};
use crate::validate::{Report, validate_form};

/// Finds a form by the id in the address.
pub(super) fn form<'a>(state: &'a AppState, id: &str) -> Result<&'a Form, Problem> {
    state
        .registry
        .require(id)
        .map_err(|error| Problem::not_found(error.to_string()))
}

/// Every form the service knows.
#[utoipa::path(get, path = "/forms", tag = "forms",
    responses((status = 200, description = "The forms", body = Vec<FormSummaryDoc>)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<FormSummary>>, Problem> {
    principal.require(Action::ReadForms)?;
    Ok(Json(state.registry.forms().map(Form::summary).collect()))
}

/// One form's JSON Schema.
#[utoipa::path(get, path = "/forms/{id}/schema", tag = "forms",
    params(("id" = String, Path, description = "Form id, e.g. agency-summary")),
    responses((status = 200, description = "The JSON Schema (draft 2020-12)"),
        (status = 404, description = "No such form", body = Problem)),
    security(("bearer" = [])))]
pub async fn schema(
    State(state): State<AppState>,
    principal: Principal,
    FormRef(id): FormRef,
) -> Result<Json<Value>, Problem> {
    principal.require(Action::ReadForms)?;
    Ok(Json(form(&state, &id)?.schema().clone()))
}

/// Validates a submission against a form; nothing is stored.
#[utoipa::path(post, path = "/forms/{id}/validate", tag = "forms",
    params(("id" = String, Path, description = "Form id")),
    request_body(content = Value, content_type = "application/json"),
    responses((status = 200, description = "The validation report", body = ReportDoc),
        (status = 400, description = "Not JSON", body = Problem),
        (status = 404, description = "No such form", body = Problem),
        (status = 415, description = "Not sent as JSON", body = Problem)),
    security(("bearer" = [])))]
pub async fn validate(
    State(state): State<AppState>,
    principal: Principal,
    FormRef(id): FormRef,
    JsonBody(body): JsonBody,
) -> Result<Json<Report>, Problem> {
    principal.require(Action::Validate)?;
    let form = form(&state, &id)?;
    Ok(Json(validate_form(form, &body, &state.rules)))
}

/// The shape of a form summary, for the OpenAPI document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FormSummaryDoc {
    id: String,
    title: String,
    version: String,
    description: String,
}

/// The shape of a validation report, for the OpenAPI document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ReportDoc {
    form: String,
    form_version: String,
    valid: bool,
    errors: u32,
    warnings: u32,
    findings: Vec<Value>,
}
