//! The final report check over HTTP (`POST /reports/check`, `POST /cases/{id}/reports/check`)
//! and blank Word forms (`GET /forms/{id}/blank.docx`, `GET /cases/{id}/forms/{form}/blank.docx`).
//!
//! The check's answer quotes the identifying details it found (the reviewer needs them to
//! redact), so it is returned to the caller only and never logged.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};

use super::AppState;
use super::auth::{Action, Principal};
use super::documents::attachment;
use super::extract::WantRows;
use super::params::{self, FormRef, OpenCase};
use super::problem::Problem;
use super::progress::case_file;
use crate::assemble::{Assembler, MetadataBuilder};
use crate::check::{
    Budget, CancelOnDrop, CaseForms, CheckConfig, CheckError, ReportCheck, check_bytes_within,
};
use crate::forms::CaseRole;
use crate::render::Format;
use crate::wordforms::{BlankOptions, CasePrefill, blank};

/// Runs the check on the blocking pool (a 50-page draft is tens of milliseconds of CPU) within
/// the request's time, and stops it when the request ends, however it ends.
async fn run_check(state: &AppState, body: Bytes, case: CaseForms) -> Result<ReportCheck, Problem> {
    if body.is_empty() {
        return Err(Problem::bad_request(
            "The request has no report in it. Send the draft final report as a Word (.docx) file or as a final-report JSON submission.",
        ));
    }
    let config = CheckConfig::embedded().map_err(|error| {
        tracing::error!(error = %error, "the report check's word lists failed to load");
        Problem::internal()
    })?;
    let config = match state.registry.with_role(CaseRole::FinalReport).next() {
        Some(form) => config.keyed_to(form),
        None => config.as_ref().clone(),
    };
    let cancelled = Arc::new(AtomicBool::new(false));
    let budget = Budget::new(state.limits.timeout, cancelled.clone());
    // Dropped with this future: when the request ends, the check sees the flag and stops.
    let _stop_when_done = CancelOnDrop(cancelled);
    let (registry, templates) = (state.registry.clone(), state.templates.clone());
    state
        .heavy(move || {
            let today = chrono::Utc::now().date_naive();
            let assembler =
                Assembler::with_templates(&registry, templates, MetadataBuilder::new(today));
            check_bytes_within(&body, &case, &config, &budget, &assembler)
        })
        .await?
        .map_err(|error| match error {
            CheckError::Stopped => Problem::new(StatusCode::SERVICE_UNAVAILABLE, error.to_string()),
            other => Problem::new(StatusCode::UNPROCESSABLE_ENTITY, other.to_string()),
        })
}

/// Checks a draft final report (Word or JSON) for completeness and identifying details.
#[utoipa::path(post, path = "/reports/check", tag = "reports",
    request_body(description = "A .docx draft or a final-report JSON submission", content_type = "application/octet-stream"),
    responses((status = 200, description = "The check: verdicts, recommendations, identifying details", body = Object),
        (status = 422, description = "The file is not a readable final report", body = Problem)),
    security(("bearer" = [])))]
pub async fn check(
    State(state): State<AppState>,
    principal: Principal,
    body: Bytes,
) -> Result<Json<ReportCheck>, Problem> {
    principal.require(Action::CheckReport)?;
    Ok(Json(check_alone(&state, body).await?))
}

/// Checks a draft final report against a stored case: its notification and agency summaries
/// give the names, dates of birth, addresses and numbers to look for.
#[utoipa::path(post, path = "/cases/{id}/reports/check", tag = "reports",
    params(("id" = String, Path, description = "Case reference")),
    request_body(description = "A .docx draft or a final-report JSON submission", content_type = "application/octet-stream"),
    responses((status = 200, description = "The check", body = Object),
        (status = 404, description = "No such case", body = Problem),
        (status = 422, description = "The file is not a readable final report", body = Problem)),
    security(("bearer" = [])))]
pub async fn check_case(
    State(state): State<AppState>,
    OpenCase { case, .. }: OpenCase<params::CheckReport>,
    body: Bytes,
) -> Result<Json<ReportCheck>, Problem> {
    Ok(Json(check_against_case(&state, &case.id, body).await?))
}

/// Checks a draft final report on its own (patterns only, no case's forms); the web pages'
/// stand-alone check goes through here.
pub(crate) async fn check_alone(state: &AppState, body: Bytes) -> Result<ReportCheck, Problem> {
    run_check(state, body, CaseForms::none()).await
}

/// Checks a draft final report against a case's forms (their identifying details); the web
/// pages check through here too.
pub(crate) async fn check_against_case(
    state: &AppState,
    case: &str,
    body: Bytes,
) -> Result<ReportCheck, Problem> {
    // The case's own forms are read here for the check only; they are not returned.
    let submissions = state.store.submissions(case, None).await?;
    let asked = state.store.agencies(case).await?;
    let file = case_file(&state.registry, &asked, &submissions);
    // Every form of the case but the report being checked holds details to look for.
    let case_forms = CaseForms::from_forms(
        file.entries()
            .iter()
            .filter(|entry| entry.form.case_role() != CaseRole::FinalReport)
            .map(|entry| (entry.form, &entry.body)),
    );
    run_check(state, body, case_forms).await
}

/// Makes a blank Word form on the blocking pool.
pub(crate) async fn blank_docx(
    state: &AppState,
    form_id: &str,
    rows: usize,
    prefill: Option<CasePrefill>,
) -> Result<Response, Problem> {
    let form_id = super::forms::form(state, form_id)?.id().to_owned();
    let stem = form_id.clone();
    let registry = state.registry.clone();
    let bytes = state
        .heavy(move || {
            let form = registry.get(&form_id).ok_or_else(Problem::internal)?;
            let mut options = BlankOptions::new(chrono::Utc::now().date_naive());
            options.rows = rows;
            options.prefill = prefill.map(|p| p.for_form(form));
            blank(form, &options).map_err(|error| {
                tracing::error!(error = %error, form = %form_id, "blank form failed");
                Problem::internal()
            })
        })
        .await??;
    Ok(attachment(bytes, Format::Docx, &stem).into_response())
}

/// A blank Word form, one content control per field, to fill in and upload.
#[utoipa::path(get, path = "/forms/{id}/blank.docx", tag = "forms",
    params(("id" = String, Path, description = "Form id"),
        ("rows" = Option<usize>, Query, description = "Entries offered for each list, 1 to 50 (default 3)")),
    responses((status = 200, description = "The blank form", content((String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
        (status = 404, description = "No such form", body = Problem)),
    security(("bearer" = [])))]
pub async fn blank_form(
    State(state): State<AppState>,
    principal: Principal,
    FormRef(form): FormRef,
    WantRows(rows): WantRows,
) -> Result<Response, Problem> {
    principal.require(Action::ReadForms)?;
    blank_docx(&state, &form, rows, None).await
}

/// A blank Word form for a case, pre-filled with the case reference, the child's pseudonym and,
/// for an agency, the agency.
#[utoipa::path(get, path = "/cases/{id}/forms/{form}/blank.docx", tag = "cases",
    params(("id" = String, Path, description = "Case reference"),
        ("form" = String, Path, description = "Form id"),
        ("rows" = Option<usize>, Query, description = "Entries offered for each list, 1 to 50 (default 3)")),
    responses((status = 200, description = "The pre-filled form", content((String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
        (status = 404, description = "No such case or form", body = Problem)),
    security(("bearer" = [])))]
pub async fn case_blank_form(
    State(state): State<AppState>,
    OpenCase {
        principal, case, ..
    }: OpenCase<params::Submit>,
    FormRef(form): FormRef,
    WantRows(rows): WantRows,
) -> Result<Response, Problem> {
    let submissions = state.store.submissions(&case.id, None).await?;
    let asked = state.store.agencies(&case.id).await?;
    let file = case_file(&state.registry, &asked, &submissions);
    let pseudonym = file.pseudonym().map(str::to_owned);
    let agency = principal.agency.as_ref().and_then(|id| {
        file.asked()
            .iter()
            .find(|a| &a.id == id)
            .map(|a| (a.id.clone(), a.name.clone()))
    });
    let prefill = CasePrefill {
        case_reference: Some(case.id.clone()),
        pseudonym,
        agency,
    };
    blank_docx(&state, &form, rows, Some(prefill)).await
}
