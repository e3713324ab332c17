//! `POST /reports/yearly` and `POST /reports/yearly/check`: the safeguarding partners' yearly
//! report from their answers (`schemas/records/yearly-report.schema.json`) and the service's
//! records, as JSON, Word or PDF; and the check of those answers alone. The partnership's only,
//! audited like the timeliness report. The answers are read, never logged or stored.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde_json::Value;

use super::AppState;
use super::auth::{Action as Do, Principal};
use super::extract::JsonBody;
use super::problem::Problem;
use crate::actions::Action;
use crate::assemble::Marking;
use crate::calendar::Config;
use crate::forms::Registry;
use crate::render::{Format, docx::render_docx, pdf::render_pdf};
use crate::store::Store;
use crate::timeliness::Period;
use crate::yearly::{self, Answers, YearlyCheck, YearlyError, YearlyReport};

/// The answers read and the period worked out, or a problem saying what is wrong.
pub fn answers(
    body: &Value,
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<(Answers, Period), Problem> {
    let answers = yearly::read(body, today).map_err(problem)?;
    let asked = if from.is_some() || to.is_some() {
        Some(super::timeliness::period(from, to, today).map_err(Problem::unprocessable)?)
    } else {
        None
    };
    let period = yearly::period(&answers, asked, today).map_err(problem)?;
    Ok((answers, period))
}

/// The problem of answers that cannot be used.
pub fn problem(error: YearlyError) -> Problem {
    match error {
        YearlyError::Schema(reason) => {
            tracing::error!(reason, "the yearly report schema");
            Problem::internal()
        }
        other => Problem::unprocessable(other.to_string()),
    }
}

async fn all_actions(store: &dyn Store) -> Result<Vec<Action>, Problem> {
    Ok(store
        .actions(None)
        .await?
        .into_iter()
        .map(|stored| stored.action)
        .collect())
}

/// The check of `answers` for `period` with every action in the store, on `today`.
pub async fn check_answers(
    store: &dyn Store,
    calendar: &Config,
    answers: &Answers,
    period: &Period,
    today: NaiveDate,
) -> Result<YearlyCheck, Problem> {
    let actions = all_actions(store).await?;
    yearly::check(answers, period, &actions, today, calendar).map_err(problem)
}

/// The yearly report of `answers` for `period` with every case and action in the store, as
/// the records stand on `today`.
pub async fn report(
    store: &dyn Store,
    registry: &Registry,
    calendar: &Config,
    answers: &Answers,
    period: Period,
    today: NaiveDate,
    due_soon: u32,
) -> Result<YearlyReport, Problem> {
    let timeliness = super::timeliness::report(store, registry, calendar, period, today).await?;
    let actions = all_actions(store).await?;
    yearly::yearly_report(answers, timeliness, &actions, calendar, due_soon).map_err(problem)
}

fn only(query: &HashMap<String, String>, known: &[&str]) -> Result<(), Problem> {
    match query.keys().find(|k| !known.contains(&k.as_str())) {
        Some(unknown) => {
            let shown: String = unknown.chars().take(40).collect();
            Err(Problem::bad_request(format!(
                "\"{shown}\" is not something this report takes: use {}.",
                known.join(", ")
            )))
        }
        None => Ok(()),
    }
}

/// The yearly report from the partnership's answers with the service's figures for the
/// period: the written sections, the record of actions on review recommendations, the actions
/// with little or no progress, the timeliness and activity figures and the copies due.
#[utoipa::path(post, path = "/reports/yearly", tag = "reports",
    params(("format" = Option<String>, Query, description = "json (default), docx (Word) or pdf (tagged PDF/UA)"),
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD, when the answers give no period (default: the answers' period, else 12 months before `to`)"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD, when the answers give no period (default: today)"),
        ("marking" = Option<String>, Query, description = "For docx and pdf only: official-sensitive (default), the partnership's own copy with every case-level detail; or official, the copy for publication, which leaves out every case reference, the late steps' list with their reasons and the leads' names, and is refused while any section is missing")),
    request_body(description = "The partnership's answers (schemas/records/yearly-report.schema.json)", content_type = "application/json"),
    responses((status = 200, description = "The report with its check, as JSON, Word or PDF",
            content((Object = "application/json"),
                (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                (String = "application/pdf"))),
        (status = 400, description = "An unknown format or marking, or a marking asked of JSON", body = Problem),
        (status = 403, description = "The partnership's only", body = Problem),
        (status = 422, description = "Answers that cannot be right: a date that does not exist, a copy sent before publication, a period asked for that is not the answers'; or the copy for publication asked of a report with a section missing", body = Problem)),
    security(("bearer" = [])))]
pub async fn yearly(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<HashMap<String, String>>,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    principal.require(Do::YearlyReport)?;
    only(&query, &["format", "from", "to", "marking"])?;
    let format = query.get("format").map_or("json", String::as_str);
    if !["json", "docx", "pdf"].contains(&format) {
        return Err(Problem::bad_request(
            "The yearly report comes as JSON, Word or PDF: use ?format=json, docx or pdf.",
        ));
    }
    let marking = query
        .get("marking")
        .map(|m| {
            m.parse::<Marking>()
                .map_err(|e| Problem::bad_request(e.to_string()))
        })
        .transpose()?;
    if marking.is_some() && format == "json" {
        return Err(Problem::bad_request(
            "A marking is for the Word or PDF copy of the yearly report, not its JSON: add ?format=docx or pdf, or leave out the marking.",
        ));
    }
    let today = super::actions::today();
    let (answers, period) = answers(
        &body,
        query.get("from").map(String::as_str),
        query.get("to").map(String::as_str),
        today,
    )?;
    let report = report(
        state.store.as_ref(),
        &state.registry,
        &state.calendar,
        &answers,
        period,
        today,
        state.actions_due_soon,
    )
    .await?;
    match format.parse::<Format>() {
        Ok(document_format) => {
            let marking = marking.unwrap_or_default();
            document(&state, report, today, document_format, marking).await
        }
        Err(_) => Ok(Json(report).into_response()),
    }
}

/// Checks the partnership's answers: each section written, weak or missing, with its pointer
/// and source; the copies due seven calendar days after publication; the actions on review
/// recommendations overdue or not started.
#[utoipa::path(post, path = "/reports/yearly/check", tag = "reports",
    params(("from" = Option<String>, Query, description = "First day, YYYY-MM-DD, when the answers give no period"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD, when the answers give no period")),
    request_body(description = "The partnership's answers (schemas/records/yearly-report.schema.json)", content_type = "application/json"),
    responses((status = 200, description = "The check: complete or not, each section's verdict, every finding with its pointer, message and source", body = Object),
        (status = 403, description = "The partnership's only", body = Problem),
        (status = 422, description = "Answers that cannot be right", body = Problem)),
    security(("bearer" = [])))]
pub async fn check(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<HashMap<String, String>>,
    JsonBody(body): JsonBody,
) -> Result<Json<YearlyCheck>, Problem> {
    principal.require(Do::YearlyReport)?;
    only(&query, &["from", "to"])?;
    let today = super::actions::today();
    let (answers, period) = answers(
        &body,
        query.get("from").map(String::as_str),
        query.get("to").map(String::as_str),
        today,
    )?;
    let check = check_answers(
        state.store.as_ref(),
        &state.calendar,
        &answers,
        &period,
        today,
    )
    .await?;
    Ok(Json(check))
}

/// The report's copy with `marking` as a Word or PDF document, laid out on the blocking pool
/// like every document; the copy for publication of an unfinished report is refused (422).
async fn document(
    state: &AppState,
    report: YearlyReport,
    today: NaiveDate,
    format: Format,
    marking: Marking,
) -> Result<Response, Problem> {
    report.ready_for(marking).map_err(problem)?;
    let stem = format!(
        "yearly-report-{}-to-{}{}",
        report.period.from,
        report.period.to,
        match marking {
            Marking::OfficialSensitive => "",
            Marking::Official => "-official",
        }
    );
    let bytes = state
        .heavy(move || {
            let document = yearly::document::yearly_document_marked(&report, today, marking)
                .map_err(|e| e.to_string())?;
            match format {
                Format::Docx => render_docx(&document).map_err(|e| e.to_string()),
                Format::Pdf => render_pdf(&document).map_err(|e| e.to_string()),
            }
        })
        .await?
        .map_err(|detail| {
            // Renderer messages describe the document's structure, not its content.
            tracing::error!(error = %detail, "rendering the yearly report failed");
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
        })?;
    Ok(super::documents::attachment(bytes, format, &stem))
}
