//! The case routes: open a case, ask agencies, take submissions, read a case and its audit log.
//! An agency token sees only the cases it was asked about, and only its own returns; for any
//! other case it gets 404, so even a case's existence does not leak.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AppState;
use super::audit::{Auditor, audited};
use super::auth::{Action, Principal};
use super::extract::{FormBody, IdempotencyKey, JsonBody};
use super::params::{self, OpenCase, SubmissionId, is_agency_id, is_case_reference};
use super::problem::Problem;
use super::progress::LatestFindings;
use crate::calendar::{Event, Step, Timetable};
use crate::forms::{CaseRole, Form, Registry};
use crate::store::{
    AgencyAsked, AuditEntry, Case, NewCase, NewSubmission, Origin, Role, Scope, Stored, Submission,
    SubmissionStatus,
};
use crate::validate::{Report, validate_form};
use crate::wordforms;

/// Whether a role may upload a form to a case: its schema's `x-senders` say who may.
pub fn may_submit(role: Role, form: &Form) -> bool {
    role != Role::Admin && form.annotations().may_send(role.as_str())
}

/// The submissions a principal may see on a case.
pub(super) async fn visible_submissions(
    state: &AppState,
    principal: &Principal,
    case: &str,
) -> Result<Vec<Submission>, Problem> {
    let agency = match principal.role {
        Role::Agency => principal.agency.as_deref(),
        _ => None,
    };
    let all = state.store.submissions(case, agency).await?;
    Ok(visible(&state.registry, principal, all))
}

/// The submissions a principal may see.
fn visible(
    registry: &Registry,
    principal: &Principal,
    mut submissions: Vec<Submission>,
) -> Vec<Submission> {
    submissions.retain(|s| may_see(registry, principal, s));
    submissions
}

/// Whether a principal may see a submission: an agency its own returns, a reviewer the forms a
/// reviewer sends (the final report), the partnership everything.
fn may_see(registry: &Registry, principal: &Principal, submission: &Submission) -> bool {
    match principal.role {
        Role::Agency => submission.agency.is_some() && submission.agency == principal.agency,
        Role::Reviewer => registry
            .get(&submission.form)
            .is_some_and(|form| may_submit(Role::Reviewer, form)),
        _ => true,
    }
}

/// A referral of a case that need not be notified to the Panel.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// The case reference to give the case.
    pub case_reference: String,
    /// The referring agency.
    pub agency: AgencyRef,
    /// Why the case is referred: good practice, poor practice, a near miss...
    pub reason: String,
    /// When the referring agency became aware, if it matters for the timetable.
    pub aware_date: Option<chrono::NaiveDate>,
}

/// An agency's id and name.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgencyRef {
    /// Lower-case id with hyphens, e.g. `kent-police`.
    pub id: String,
    /// The agency's name.
    pub name: String,
}

/// One stored version, without its content.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SubmissionMeta {
    /// The store's id of this version.
    pub id: i64,
    /// Form id.
    pub form: String,
    /// Version, from 1.
    pub version: i64,
    /// The agency, when the form belongs to one.
    pub agency: Option<String>,
    /// Valid or draft.
    pub status: SubmissionStatus,
    /// When it arrived.
    pub created_at: String,
    /// Errors its report found.
    pub errors: u64,
    /// Warnings its report found.
    pub warnings: u64,
}

impl From<&Submission> for SubmissionMeta {
    fn from(s: &Submission) -> Self {
        let count = |key: &str| s.report.get(key).and_then(Value::as_u64).unwrap_or(0);
        SubmissionMeta {
            id: s.id,
            form: s.form.clone(),
            version: s.version,
            agency: s.agency.clone(),
            status: s.status,
            created_at: s.created_at.clone(),
            errors: count("errors"),
            warnings: count("warnings"),
        }
    }
}

/// The answer to an upload: where it went and what validation found.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Receipt {
    /// The case.
    pub case: String,
    /// The stored version.
    #[serde(flatten)]
    pub submission: SubmissionMeta,
    /// The validation report.
    #[schema(value_type = Object)]
    pub report: Report,
}

/// The receipt of a stored submission: 201 with its address, or 200 when an earlier request
/// with the same idempotency key stored it.
fn receipt(stored: &Stored, report: Report) -> Response {
    let submission = &stored.submission;
    let location = format!("/cases/{}/submissions/{}", submission.case, submission.id);
    let status = if stored.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let response = (
        status,
        [(header::LOCATION, location)],
        Json(Receipt {
            case: submission.case.clone(),
            submission: SubmissionMeta::from(submission),
            report,
        }),
    )
        .into_response();
    audited(response)
}

fn to_value(report: &Report) -> Value {
    serde_json::to_value(report).unwrap_or(Value::Null)
}

/// Opens a case from a CSPRP notification or an agency referral.
#[utoipa::path(post, path = "/cases", tag = "cases",
    request_body(content = Value, content_type = "application/json",
        description = "A csprp-notification form, or {\"referral\": Referral}"),
    responses((status = 201, description = "Case opened", body = Receipt),
        (status = 409, description = "The case exists", body = Problem),
        (status = 422, description = "Neither a notification nor a referral", body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    auditor: Auditor,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    principal.require(Action::CreateCase)?;
    if let Some(referral) = body.get("referral") {
        return refer(&state, &principal, &auditor, referral.clone()).await;
    }
    let (stored, report) = open_with_notification(&state, &principal, &auditor, body).await?;
    Ok(receipt(&stored, report))
}

/// Opens a case with a notification form: the case, then the form as its first version, each
/// with its audit entry. The web pages open cases through here too.
pub(crate) async fn open_with_notification(
    state: &AppState,
    principal: &Principal,
    auditor: &Auditor,
    body: Value,
) -> Result<(Stored, Report), Problem> {
    let form = state
        .registry
        .detect(&body)
        .ok()
        .filter(|form| form.case_role() == CaseRole::Notification)
        .ok_or_else(|| {
            let notifications: Vec<String> = state
                .registry
                .with_role(CaseRole::Notification)
                .map(|form| format!("a {} (a form with \"form\": \"{}\")", form.title(), form.id()))
                .collect();
            Problem::unprocessable(format!(
                "Open a case with {} or with an agency referral ({{\"referral\": {{\"case_reference\", \"agency\", \"reason\"}}}}).",
                notifications.join(" or ")
            ))
        })?;
    let reference = body
        .get("case_reference")
        .and_then(Value::as_str)
        .filter(|id| is_case_reference(id))
        .ok_or_else(|| {
            Problem::unprocessable(
                "The notification needs a case reference (\"case_reference\") of letters, digits and hyphens, such as KSCP-2026-014.",
            )
        })?
        .to_owned();
    let report = validate_form(form, &body, &state.rules);
    let aware_date = form.events(&body).get(&Event::Aware).copied();
    state
        .store
        .create_case(
            NewCase {
                id: reference.clone(),
                origin: Origin::Notification,
                aware_date,
                created_by: principal.id.clone(),
            },
            &auditor.event("ok"),
        )
        .await?;
    let status = status_of(&report);
    let stored = state
        .store
        .add_submission(
            NewSubmission {
                case: reference,
                form: form.id().to_owned(),
                agency: None,
                status,
                report: to_value(&report),
                digest: Some(form.annotations().digest(&body)),
                body,
                created_by: principal.id.clone(),
                idempotency_key: None,
            },
            &auditor.event(status.as_str()),
        )
        .await?;
    Ok((stored, report))
}

fn status_of(report: &Report) -> SubmissionStatus {
    if report.valid {
        SubmissionStatus::Valid
    } else {
        SubmissionStatus::Draft
    }
}

async fn refer(
    state: &AppState,
    principal: &Principal,
    auditor: &Auditor,
    referral: Value,
) -> Result<Response, Problem> {
    let referral: Referral = serde_json::from_value(referral).map_err(|e| {
        Problem::unprocessable(format!(
            "The referral could not be read: {e}. It needs case_reference, agency {{id, name}}, reason and, if known, aware_date (YYYY-MM-DD)."
        ))
    })?;
    if !is_case_reference(&referral.case_reference) {
        return Err(Problem::unprocessable(
            "The case reference must be letters, digits and hyphens, such as KSCP-2026-014.",
        ));
    }
    if !is_agency_id(&referral.agency.id) || referral.agency.name.trim().is_empty() {
        return Err(Problem::unprocessable(
            "The referring agency needs an id of lower-case letters, digits and hyphens (such as kent-police) and a name.",
        ));
    }
    if referral.reason.trim().len() < 10 {
        return Err(Problem::unprocessable(
            "Please say why the case is referred (good practice, poor practice, a near miss...) in a sentence or more.",
        ));
    }
    let case = state
        .store
        .create_case(
            NewCase {
                id: referral.case_reference.clone(),
                origin: Origin::Referral,
                aware_date: referral.aware_date,
                created_by: principal.id.clone(),
            },
            &auditor.event("ok"),
        )
        .await?;
    // The referrer is asked from the start, so it can send its own summary.
    let mut asked = auditor.event("ok");
    asked.case.clone_from(&case.id);
    state
        .store
        .ask_agencies(
            &case.id,
            &[(referral.agency.id.clone(), referral.agency.name.clone())],
            &principal.id,
            &asked,
        )
        .await?;
    Ok(audited((StatusCode::CREATED, Json(&case)).into_response()))
}

/// One line of the case list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CaseLine {
    /// The case.
    #[serde(flatten)]
    pub case: Case,
    /// Where the case stands.
    pub status: String,
    /// The step due next (overdue first), from the case's timetable.
    #[schema(value_type = Option<Object>)]
    pub next_deadline: Option<Step>,
}

/// Cases: all of them, or for an agency those it was asked about.
#[utoipa::path(get, path = "/cases", tag = "cases",
    responses((status = 200, description = "Cases with status and next deadline", body = Vec<CaseLine>)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<CaseLine>>, Problem> {
    principal.require(Action::ListCases)?;
    let agency = match principal.role {
        Role::Agency => Some(principal.agency.as_deref().unwrap_or("\u{0}")),
        _ => None,
    };
    let scope = match (principal.role, &agency) {
        (Role::Reviewer, _) => Scope::Reviewer(&principal.id),
        (_, Some(agency)) => Scope::Agency(agency),
        (_, None) => Scope::All,
    };
    let cases = state.store.case_overviews(scope).await?;
    let mut lines = Vec::with_capacity(cases.len());
    for overview in cases {
        let case = &overview.summary.case;
        let filtered: Vec<Submission>;
        let all_visible = overview
            .submissions
            .iter()
            .all(|s| may_see(&state.registry, &principal, s));
        let submissions = if all_visible {
            &overview.submissions
        } else {
            filtered = visible(&state.registry, &principal, overview.submissions.clone());
            &filtered
        };
        let progress = super::progress::Progress::of(&state.registry, &overview.asked, submissions);
        let timetable = super::progress::timetable(
            case,
            &overview.asked,
            &overview.submissions,
            &state.registry,
            &state.calendar,
        );
        lines.push(CaseLine {
            next_deadline: timetable.as_ref().and_then(Timetable::next_due).cloned(),
            status: progress.status(),
            case: overview.summary.case,
        });
    }
    Ok(Json(lines))
}

/// An agency asked, and where its return stands.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AgencyReturn {
    /// Agency id.
    pub id: String,
    /// Agency name.
    pub name: String,
    /// When it was asked.
    pub asked_at: String,
    /// Whether a valid return has arrived.
    pub received: bool,
    /// The status of its latest upload, if any.
    pub latest: Option<SubmissionStatus>,
}

/// A case: forms received, agencies asked and outstanding, timetable, findings.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CaseView {
    /// The case.
    #[serde(flatten)]
    pub case: Case,
    /// Where the case stands.
    pub status: String,
    /// Agencies asked and their returns.
    pub agencies: Vec<AgencyReturn>,
    /// Agencies asked whose valid return has not arrived.
    pub outstanding: Vec<String>,
    /// Every version received, without content.
    pub submissions: Vec<SubmissionMeta>,
    /// Findings of the latest versions that have any.
    pub findings: Vec<LatestFindings>,
    /// The case's timetable today: every step with its due date and status.
    #[schema(value_type = Option<Object>)]
    pub timetable: Option<Timetable>,
}

/// One case, as the principal may see it.
#[utoipa::path(get, path = "/cases/{id}", tag = "cases",
    params(("id" = String, Path, description = "Case reference")),
    responses((status = 200, description = "The case", body = CaseView),
        (status = 404, description = "No such case visible to you", body = Problem)),
    security(("bearer" = [])))]
pub async fn read(
    State(state): State<AppState>,
    OpenCase {
        principal, case, ..
    }: OpenCase<params::ReadCase>,
) -> Result<Json<CaseView>, Problem> {
    let submissions = visible_submissions(&state, &principal, &case.id).await?;
    let every_agency = state.store.agencies(&case.id).await?;
    // Deadlines are the case's, not any one form's: worked out from every valid form.
    let all = state.store.submissions(&case.id, None).await?;
    let timetable =
        super::progress::timetable(&case, &every_agency, &all, &state.registry, &state.calendar);
    let mut asked = every_agency;
    if principal.role == Role::Agency {
        asked.retain(|a| Some(&a.id) == principal.agency.as_ref());
    }
    let progress = super::progress::Progress::of(&state.registry, &asked, &submissions);
    let agencies: Vec<AgencyReturn> = asked
        .iter()
        .map(|a| AgencyReturn {
            id: a.id.clone(),
            name: a.name.clone(),
            asked_at: a.asked_at.clone(),
            received: progress.received(&a.id),
            latest: progress.latest_status(&a.id),
        })
        .collect();
    Ok(Json(CaseView {
        status: progress.status(),
        outstanding: progress.outstanding(),
        findings: progress.findings(),
        timetable,
        submissions: submissions.iter().map(SubmissionMeta::from).collect(),
        agencies,
        case,
    }))
}

/// The agencies to ask for summaries.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskAgencies {
    /// The agencies.
    pub agencies: Vec<AgencyRef>,
}

/// Records the agencies asked for summaries on a case.
#[utoipa::path(post, path = "/cases/{id}/agencies", tag = "cases",
    params(("id" = String, Path, description = "Case reference")),
    request_body = AskAgencies,
    responses((status = 200, description = "Every agency asked so far", body = Vec<AgencyAsked>),
        (status = 422, description = "Not a list of agencies", body = Problem)),
    security(("bearer" = [])))]
pub async fn ask(
    State(state): State<AppState>,
    OpenCase {
        principal, case, ..
    }: OpenCase<params::AskAgencies>,
    auditor: Auditor,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let request: AskAgencies = serde_json::from_value(body).map_err(|e| {
        Problem::unprocessable(format!(
            "The list of agencies could not be read: {e}. Send {{\"agencies\": [{{\"id\": \"kent-police\", \"name\": \"Kent Police\"}}]}}."
        ))
    })?;
    if request.agencies.is_empty() {
        return Err(Problem::unprocessable("Name at least one agency to ask."));
    }
    if let Some(bad) = request
        .agencies
        .iter()
        .find(|a| !is_agency_id(&a.id) || a.name.trim().is_empty())
    {
        let shown: String = bad.id.chars().take(64).collect();
        return Err(Problem::unprocessable(format!(
            "\"{shown}\" is not a usable agency: an id is lower-case letters, digits and hyphens (such as kent-police), and every agency needs a name."
        )));
    }
    let pairs: Vec<(String, String)> = request
        .agencies
        .into_iter()
        .map(|a| (a.id, a.name.trim().to_owned()))
        .collect();
    let asked = state
        .store
        .ask_agencies(&case.id, &pairs, &principal.id, &auditor.event("ok"))
        .await?;
    Ok(audited(Json(asked).into_response()))
}

/// Takes an agency summary, Form B, rapid review record or final report: validated on arrival,
/// stored as a new version, kept as a draft with its report when it has errors.
#[utoipa::path(post, path = "/cases/{id}/submissions", tag = "cases",
    params(("id" = String, Path, description = "Case reference")),
    request_body(description = "The form as JSON, or the filled Word form downloaded from GET /cases/{id}/forms/{form}/blank.docx",
        content((Value = "application/json"), (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
    responses((status = 201, description = "Stored (status valid or draft)", body = Receipt),
        (status = 403, description = "Not a form your role may send, or another agency's", body = Problem),
        (status = 422, description = "Not a form, or for another case", body = Problem)),
    security(("bearer" = [])))]
pub async fn submit(
    State(state): State<AppState>,
    OpenCase {
        principal, case, ..
    }: OpenCase<params::Submit>,
    auditor: Auditor,
    IdempotencyKey(idempotency_key): IdempotencyKey,
    body: FormBody,
) -> Result<Response, Problem> {
    let body = match body {
        FormBody::Json(value) => value,
        FormBody::Docx(bytes) => read_word_form(&state, bytes).await?,
    };
    let (stored, report) =
        store_submission(&state, &principal, &case, &auditor, body, idempotency_key).await?;
    Ok(receipt(&stored, report))
}

/// Validates a form for a case and stores it as a new version with its audit entry, as an
/// upload does: the form must be one the principal's role sends, for this case, and (for an
/// agency) its own agency's. The web pages send through here too.
pub(crate) async fn store_submission(
    state: &AppState,
    principal: &Principal,
    case: &Case,
    auditor: &Auditor,
    body: Value,
    idempotency_key: Option<String>,
) -> Result<(Stored, Report), Problem> {
    let form = state
        .registry
        .detect(&body)
        .map_err(|e| Problem::unprocessable(e.to_string()))?;
    if !may_submit(principal.role, form) {
        return Err(Problem::forbidden(format!(
            "Your access ({} role) does not allow sending a {} form. Ask the partnership team if this is wrong.",
            principal.role,
            form.title()
        )));
    }
    if let Some(named) = body.get("case_reference").and_then(Value::as_str)
        && named != case.id
    {
        let shown: String = named.chars().take(64).collect();
        return Err(Problem::unprocessable(format!(
            "This form is for case {shown} but was sent to case {}. Send it to its own case, or correct its case reference.",
            case.id
        )));
    }
    let named_agency = form.annotations().agency_of(&body).0.map(str::to_owned);
    let agency = match principal.role {
        Role::Agency => {
            let own = principal.agency.clone();
            if let Some(named) = &named_agency
                && Some(named) != own.as_ref()
            {
                return Err(Problem::forbidden(
                    "This return names another agency. You can only send your own agency's returns.",
                ));
            }
            own
        }
        _ => named_agency,
    };
    let report = validate_form(form, &body, &state.rules);
    let status = status_of(&report);
    // A valid final report's recommendations become actions, added in the submission's own
    // transaction; their ids are made from the case, the number and the agency, so sending
    // the report again adds none.
    let derived = if report.valid && form.annotations().actions.is_some() {
        let asked: Vec<(String, String)> = state
            .store
            .agencies(&case.id)
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        super::actions::from_report(
            form.case_role(),
            form.annotations().actions.as_ref(),
            &case.id,
            &body,
            &asked,
            super::actions::today(),
        )
    } else {
        Vec::new()
    };
    let (stored, _added) = state
        .store
        .add_submission_with_actions(
            NewSubmission {
                case: case.id.clone(),
                form: form.id().to_owned(),
                agency,
                status,
                report: to_value(&report),
                digest: Some(form.annotations().digest(&body)),
                body,
                created_by: principal.id.clone(),
                idempotency_key,
            },
            &derived,
            &auditor.event(status.as_str()),
        )
        .await?;
    Ok((stored, report))
}

/// The submission in a filled Word form, read on the blocking pool (it is unzipped and parsed).
pub(crate) async fn read_word_form(
    state: &AppState,
    bytes: axum::body::Bytes,
) -> Result<Value, Problem> {
    let registry = state.registry.clone();
    state
        .heavy(move || wordforms::read(&registry, &bytes).map(|(_, body)| body))
        .await?
        .map_err(|error| {
            if error.is_in_document() {
                Problem::unprocessable(error.to_string())
            } else {
                tracing::error!(error = %error, "reading a Word form failed");
                Problem::internal()
            }
        })
}

/// Every version the principal may see on a case, without content.
#[utoipa::path(get, path = "/cases/{id}/submissions", tag = "cases",
    params(("id" = String, Path, description = "Case reference")),
    responses((status = 200, description = "Versions", body = Vec<SubmissionMeta>)),
    security(("bearer" = [])))]
pub async fn submissions(
    State(state): State<AppState>,
    OpenCase {
        principal, case, ..
    }: OpenCase<params::ReadSubmissions>,
) -> Result<Json<Vec<SubmissionMeta>>, Problem> {
    let all = visible_submissions(&state, &principal, &case.id).await?;
    Ok(Json(all.iter().map(SubmissionMeta::from).collect()))
}

/// One stored version with its content and report.
#[utoipa::path(get, path = "/cases/{id}/submissions/{n}", tag = "cases",
    params(("id" = String, Path, description = "Case reference"),
        ("n" = i64, Path, description = "Submission id")),
    responses((status = 200, description = "The submission", body = Submission),
        (status = 404, description = "No such submission visible to you", body = Problem)),
    security(("bearer" = [])))]
pub async fn submission(
    State(state): State<AppState>,
    OpenCase {
        principal, case, ..
    }: OpenCase<params::ReadSubmissions>,
    SubmissionId(wanted): SubmissionId,
) -> Result<Json<Submission>, Problem> {
    visible_submissions(&state, &principal, &case.id)
        .await?
        .into_iter()
        .find(|s| s.id == wanted)
        .map(Json)
        .ok_or_else(|| {
            Problem::not_found(format!(
                "Case {} has no submission {wanted} that you can see.",
                case.id
            ))
        })
}

/// The audit log of a case.
#[utoipa::path(get, path = "/cases/{id}/audit", tag = "cases",
    params(("id" = String, Path, description = "Case reference")),
    responses((status = 200, description = "Entries, oldest first", body = Vec<AuditEntry>)),
    security(("bearer" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    OpenCase { case, .. }: OpenCase<params::ReadAudit>,
) -> Result<Json<Vec<AuditEntry>>, Problem> {
    Ok(Json(state.store.audit_log(&case.id).await?))
}

/// The reviewer to assign to a case.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignReviewer {
    /// The reviewer's token id (as `token list` shows it).
    pub reviewer: String,
}

/// Assigns a reviewer to a case: the reviewer then sees this case, and only the cases it is
/// assigned to.
#[utoipa::path(post, path = "/cases/{id}/reviewers", tag = "cases",
    params(("id" = String, Path, description = "Case reference")),
    request_body = AssignReviewer,
    responses((status = 200, description = "The case's reviewers", body = Vec<String>),
        (status = 404, description = "No such case, or no such reviewer token", body = Problem)),
    security(("bearer" = [])))]
pub async fn assign_reviewer(
    State(state): State<AppState>,
    OpenCase {
        principal, case, ..
    }: OpenCase<params::AssignReviewer>,
    auditor: Auditor,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let request: AssignReviewer = serde_json::from_value(body).map_err(|e| {
        Problem::unprocessable(format!(
            "The reviewer could not be read: {e}. Send {{\"reviewer\": \"<the reviewer's token id>\"}}."
        ))
    })?;
    state
        .store
        .assign_reviewer(
            &case.id,
            &request.reviewer,
            &principal.id,
            &auditor.event("ok"),
        )
        .await?;
    let reviewers = state.store.reviewers(&case.id).await?;
    Ok(audited(Json(reviewers).into_response()))
}
