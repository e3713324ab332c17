//! Documents on demand: any valid form rendered (`POST /forms/{id}/render`) and a case's drafts
//! (`GET /cases/{id}/documents/{kind}`). Assembly and rendering run on the blocking pool, so a
//! PDF never stalls the uploads being served alongside it.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::AppState;
use super::auth::{Action, Principal};
use super::cases::visible_submissions;
use super::extract::{JsonBody, WantFormat, WantMarking};
use super::params::{self, DocumentRef, FormRef, OpenCase};
use super::problem::Problem;
use super::progress::case_file;
use crate::assemble::documents::{Assembler, DocumentKind, Marking, MetadataBuilder};
use crate::assemble::model::Document;
use crate::forms::CaseRole;
use crate::render::{Format, docx::render_docx, pdf::render_pdf};
use crate::store::Role;
use crate::validate::{Severity, validate_form};

/// Renders a document in a format, on the blocking pool.
async fn render(
    state: &AppState,
    format: Format,
    marking: Marking,
    build: impl FnOnce(&Assembler) -> Result<Document, Problem> + Send + 'static,
) -> Result<Vec<u8>, Problem> {
    let registry = state.registry.clone();
    let templates = state.templates.clone();
    let task = state.heavy(move || {
        let today = chrono::Utc::now().date_naive();
        let assembler = Assembler::with_templates(
            &registry,
            templates,
            MetadataBuilder::new(today).marking(marking),
        );
        let document = build(&assembler)?;
        match format {
            Format::Docx => render_docx(&document).map_err(|e| e.to_string()),
            Format::Pdf => render_pdf(&document).map_err(|e| e.to_string()),
        }
        .map_err(|detail| {
            // Renderer messages describe the document's structure, not its content.
            tracing::error!(error = %detail, "rendering failed");
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
        })
    });
    task.await?
}

/// A file download: the right media type and a safe file name.
pub(crate) fn attachment(bytes: Vec<u8>, format: Format, stem: &str) -> Response {
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(100)
        .collect();
    let disposition = format!("attachment; filename=\"{stem}.{}\"", format.extension());
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

fn assembly_problem(error: impl std::fmt::Display) -> Problem {
    Problem::unprocessable(error.to_string())
}

/// Renders one valid submission of a form as Word or PDF; nothing is stored.
#[utoipa::path(post, path = "/forms/{id}/render", tag = "forms",
    params(("id" = String, Path, description = "Form id"),
        ("format" = Option<String>, Query, description = "docx (default) or pdf")),
    request_body(content = Value, content_type = "application/json"),
    responses((status = 200, description = "The document", content((String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (String = "application/pdf"))),
        (status = 422, description = "The submission has errors", body = Problem)),
    security(("bearer" = [])))]
pub async fn render_form(
    State(state): State<AppState>,
    principal: Principal,
    FormRef(form): FormRef,
    WantFormat(format): WantFormat,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    principal.require(Action::Render)?;
    let form = super::forms::form(&state, &form)?;
    if body.get("form").and_then(Value::as_str) != Some(form.id()) {
        return Err(Problem::unprocessable(format!(
            "This is not a {} form: its \"form\" field should say \"{}\".",
            form.title(),
            form.id()
        )));
    }
    let report = validate_form(form, &body, &state.rules);
    if !report.valid {
        let first: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .take(3)
            .map(|f| f.message.as_str())
            .collect();
        return Err(Problem::unprocessable(format!(
            "The form has {} error(s), so it cannot be made into a document yet. First: {} POST /forms/{}/validate lists them all.",
            report.errors,
            first.join(" "),
            form.id()
        )));
    }
    let stem = format!(
        "{}-{}",
        body.get("case_reference")
            .and_then(Value::as_str)
            .unwrap_or("form"),
        form.id()
    );
    let bytes = render(&state, format, Marking::default(), move |assembler| {
        assembler.form_document(&body).map_err(assembly_problem)
    })
    .await?;
    Ok(attachment(bytes, format, &stem))
}

fn missing(case: &str, role: CaseRole) -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        format!(
            "Case {case} has no valid {} yet, so this document cannot be made. Upload it first.",
            role.describe().trim_start_matches("the ")
        ),
    )
}

/// A draft of one of the case's documents, from the latest valid version of each form.
#[utoipa::path(get, path = "/cases/{id}/documents/{kind}", tag = "cases",
    params(("id" = String, Path, description = "Case reference"),
        ("kind" = String, Path, description = "rapid-review-pack, covering-letter, final-report or improvements-only"),
        ("format" = Option<String>, Query, description = "docx (default) or pdf"),
        ("marking" = Option<String>, Query, description = "official-sensitive (default) or, for final-report and improvements-only as published, official")),
    responses((status = 200, description = "The document", content((String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (String = "application/pdf"))),
        (status = 404, description = "No such case or document", body = Problem),
        (status = 409, description = "A form the document needs has not arrived", body = Problem)),
    security(("bearer" = [])))]
pub async fn case_document(
    State(state): State<AppState>,
    OpenCase {
        principal, case, ..
    }: OpenCase<params::ReadDocument>,
    DocumentRef(kind): DocumentRef,
    WantFormat(format): WantFormat,
    WantMarking(marking): WantMarking,
) -> Result<Response, Problem> {
    let publication = kind.publication();
    if principal.role == Role::Reviewer && !publication {
        return Err(Problem::forbidden(
            "Reviewers can produce the final report and the improvements-only publication, not the rapid review papers.",
        ));
    }
    if marking != Marking::OfficialSensitive && !publication {
        return Err(Problem::bad_request(
            "The rapid review papers are always marked OFFICIAL-SENSITIVE: only the final report and the improvements-only publication can be marked official, for publication.",
        ));
    }
    let submissions = visible_submissions(&state, &principal, &case.id).await?;
    let asked = state.store.agencies(&case.id).await?;
    let file = case_file(&state.registry, &asked, &submissions);
    let mut needed = Vec::new();
    for role in kind.needs() {
        let entry = file.one(*role).ok_or_else(|| missing(&case.id, *role))?;
        needed.push(entry.body.clone());
    }
    let returns: Vec<Value> = file
        .all(CaseRole::AgencyReturn)
        .into_iter()
        .map(|entry| entry.body.clone())
        .collect();
    let asked: Vec<String> = file.asked().iter().map(|a| a.id.clone()).collect();
    let stem = format!("{}-{}", case.id, kind.slug());
    let bytes = render(&state, format, marking, move |assembler| {
        match (kind, needed.as_slice()) {
            (DocumentKind::RapidReviewPack, [notification, record]) => {
                assembler.rapid_review_pack(notification, &returns, record, &asked)
            }
            (DocumentKind::CoveringLetter, [notification, record]) => {
                assembler.covering_letter(notification, record)
            }
            (DocumentKind::FinalReport, [report]) => assembler.final_report(report),
            (DocumentKind::ImprovementsOnly, [report]) => assembler.improvements_only(report),
            _ => return Err(Problem::internal()),
        }
        .map_err(assembly_problem)
    })
    .await?;
    Ok(attachment(bytes, format, &stem))
}
