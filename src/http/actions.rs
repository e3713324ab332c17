//! The action routes: the partnership's plan on the learning of its reviews. The partnership
//! reads and changes every action and adds actions from other sources; an agency reads and
//! updates the progress of its own (another agency's action is a 404, so not even its existence
//! shows); only the partnership closes an action. Each action is shown with its red, amber or
//! green status for today, counted on the service's calendar.

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AppState;
use super::audit::{Auditor, audited};
use super::auth::{Action as Do, Principal};
use super::extract::JsonBody;
use super::problem::Problem;
use crate::actions::{self, Action, ActionError, Actor, Agency, RagStatus};
use crate::calendar::Config;
use crate::forms::CaseRole;
use crate::store::{AuditEvent, Role, Store, StoredAction};
use crate::validate::{Report, Severity};

/// Working days before its due date from which an open action shows amber, unless the service
/// is configured otherwise.
pub const DUE_SOON_DAYS: u32 = 10;

/// An action as the API shows it: the action, its version (to send back with a change) and its
/// red, amber or green status today.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActionView {
    /// The action (schemas/records/action.schema.json).
    #[schema(value_type = Object)]
    pub action: Action,
    /// Its version: send it back with a change (`If-Match: "3"` or `"version": 3`).
    pub version: i64,
    /// When it was last written (RFC 3339, UTC).
    pub updated_at: String,
    /// Who wrote it last.
    pub updated_by: String,
    /// Red (overdue), amber (due within the window, or no due date), green, or done; none when
    /// the calendar cannot count to its due date.
    #[schema(value_type = Option<Object>)]
    pub rag: Option<RagStatus>,
}

impl ActionView {
    /// The view of a stored action on `today`.
    pub fn of(
        stored: StoredAction,
        today: chrono::NaiveDate,
        due_soon: u32,
        calendar: &Config,
    ) -> Self {
        let rag = actions::rag(&stored.action, today, due_soon, calendar.calendar()).ok();
        ActionView {
            action: stored.action,
            version: stored.version,
            updated_at: stored.updated_at,
            updated_by: stored.updated_by,
            rag,
        }
    }
}

/// Today in England, the day the service's dates are counted from.
pub fn today() -> chrono::NaiveDate {
    crate::dates::england_day(&crate::store::now())
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}

/// Who is changing actions, as the permission rules name them.
pub fn actor(principal: &Principal) -> Actor<'_> {
    match principal.role {
        Role::Partnership => Actor::Partnership,
        Role::Agency => Actor::Agency(principal.agency.as_deref().unwrap_or_default()),
        Role::Reviewer | Role::Admin => Actor::Reviewer,
    }
}

/// Whether an actor may see an action: the partnership every one, an agency its own.
fn may_see(actor: Actor<'_>, action: &Action) -> bool {
    match actor {
        Actor::Partnership => true,
        Actor::Agency(agency) => action.agency.id == agency,
        Actor::Reviewer => false,
    }
}

/// The actions an actor may see, by id.
pub async fn visible(store: &dyn Store, actor: Actor<'_>) -> Result<Vec<StoredAction>, Problem> {
    Ok(match actor {
        Actor::Partnership => store.actions(None).await?,
        Actor::Agency(agency) => store.actions(Some(agency)).await?,
        Actor::Reviewer => Vec::new(),
    })
}

/// The action path segment, percent-decoded (an id may hold `/`, sent as `%2F`).
#[derive(Debug, Clone)]
pub struct ActionId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ActionId {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        let axum::extract::Path(id) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| Problem::no_action(""))?;
        Ok(ActionId(id))
    }
}

/// Every action the principal may see, each with its RAG status today.
#[utoipa::path(get, path = "/actions", tag = "actions",
    responses((status = 200, description = "Actions, by id", body = Vec<ActionView>),
        (status = 403, description = "Reviewers and administrators see no actions", body = Problem)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<ActionView>>, Problem> {
    principal.require(Do::ReadActions)?;
    let today = today();
    let held = visible(state.store.as_ref(), actor(&principal)).await?;
    Ok(Json(
        held.into_iter()
            .map(|stored| ActionView::of(stored, today, state.actions_due_soon, &state.calendar))
            .collect(),
    ))
}

/// One action.
#[utoipa::path(get, path = "/actions/{id}", tag = "actions",
    params(("id" = String, Path, description = "The action's id, e.g. KSCP-2026-014:R2:kent-police")),
    responses((status = 200, description = "The action", body = ActionView),
        (status = 404, description = "No such action that you can see", body = Problem)),
    security(("bearer" = [])))]
pub async fn read(
    State(state): State<AppState>,
    principal: Principal,
    ActionId(id): ActionId,
) -> Result<Json<ActionView>, Problem> {
    principal.require(Do::ReadActions)?;
    let stored = held(state.store.as_ref(), actor(&principal), &id).await?;
    Ok(Json(ActionView::of(
        stored,
        today(),
        state.actions_due_soon,
        &state.calendar,
    )))
}

/// The action `id` if `actor` may see it, else "no such action" (404): an agency is not told
/// that another agency's action exists.
pub async fn held(store: &dyn Store, actor: Actor<'_>, id: &str) -> Result<StoredAction, Problem> {
    store
        .action(id)
        .await?
        .filter(|stored| may_see(actor, &stored.action))
        .ok_or_else(|| Problem::no_action(id))
}

/// What a change sends: the action, and the version it was made from if the body says.
#[derive(Debug, Deserialize)]
struct Versioned {
    action: Value,
    version: Option<i64>,
}

/// The version in an `If-Match` header: `"3"`, `3` or `W/"3"`.
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, Problem> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    text.trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map(Some)
        .map_err(|_| {
            Problem::bad_request(
                "If-Match should hold the version of the action your change was made from, such as If-Match: \"3\" (GET /actions/{id} gives it).",
            )
        })
}

/// Splits a change into the action and the version it was made from: the body is the action
/// itself, or `{"action": {...}, "version": n}` as GET gives it; the version comes from there
/// or from `If-Match`, and must be given.
pub fn versioned(body: Value, header: Option<i64>) -> Result<(Value, i64), Problem> {
    let (value, in_body) = if body.get("action").is_some_and(Value::is_object) {
        let Versioned { action, version } = serde_json::from_value(body).map_err(|e| {
            Problem::unprocessable(format!(
                "The change could not be read: {e}. Send the action, or {{\"action\": {{...}}, \"version\": 3}}."
            ))
        })?;
        (action, version)
    } else {
        (body, None)
    };
    let version = match (header, in_body) {
        (Some(a), Some(b)) if a != b => {
            return Err(Problem::unprocessable(format!(
                "If-Match says version {a} but the body says version {b}. Send the version your change was made from once."
            )));
        }
        (Some(v), _) | (None, Some(v)) => v,
        (None, None) => {
            return Err(Problem::new(
                StatusCode::PRECONDITION_REQUIRED,
                "Please say which version of the action your change was made from, so that nobody else's change is overwritten: send If-Match: \"3\", or {\"action\": {...}, \"version\": 3}. GET /actions/{id} gives the version.",
            ));
        }
    };
    Ok((value, version))
}

/// Reads an action sent as JSON: 422 with the validator's messages when it is not valid.
pub fn parse(value: &Value, today: chrono::NaiveDate) -> Result<Action, Problem> {
    actions::parse(value, today).map_err(|error| match error {
        ActionError::Invalid(report) => Problem::unprocessable(invalid(&report)),
        ActionError::Schema(reason) => {
            tracing::error!(reason, "the action schema");
            Problem::internal()
        }
    })
}

fn invalid(report: &Report) -> String {
    let errors: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.message.as_str())
        .collect();
    format!(
        "The action was not saved: {} Please correct {} and send it again.",
        errors.join(" "),
        if errors.len() == 1 { "it" } else { "them" }
    )
}

/// Changes an action: `body` (the whole action, or `{"action", "version"}`) replaces the
/// action `id` if `actor` may make that change and the action is still at the version the
/// change was made from. The store writes the change and its audit entry together.
pub async fn change(
    store: &dyn Store,
    actor: Actor<'_>,
    by: &str,
    audit: &AuditEvent,
    id: &str,
    body: Value,
    header_version: Option<i64>,
) -> Result<StoredAction, Problem> {
    let (value, version) = versioned(body, header_version)?;
    let before = held(store, actor, id).await?;
    let after = parse(&value, today())?;
    if after.id != id {
        let shown: String = after.id.chars().take(160).collect();
        return Err(Problem::unprocessable(format!(
            "The action sent has id \"{shown}\" but was sent to the address of action \"{id}\". An action's id cannot be changed."
        )));
    }
    actions::check_change(actor, Some(&before.action), &after)
        .map_err(|refused| Problem::forbidden(refused.to_string()))?;
    Ok(store.update_action(&after, version, by, audit).await?)
}

/// Changes an action: the whole action, with the version it was made from.
#[utoipa::path(put, path = "/actions/{id}", tag = "actions",
    params(("id" = String, Path, description = "The action's id"),
        ("If-Match" = Option<String>, Header, description = "The version the change was made from, e.g. \"3\"")),
    request_body(content = Value, content_type = "application/json",
        description = "The whole action (schemas/records/action.schema.json), or {\"action\": {...}, \"version\": 3}"),
    responses((status = 200, description = "The action as stored, with its new version", body = ActionView),
        (status = 403, description = "A change this role may not make (an agency closing an action, changing the plan)", body = Problem),
        (status = 404, description = "No such action that you can see", body = Problem),
        (status = 409, description = "The action has changed since your copy", body = Problem),
        (status = 422, description = "Not a valid action", body = Problem),
        (status = 428, description = "No version given", body = Problem)),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    auditor: Auditor,
    ActionId(id): ActionId,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    principal.require(Do::UpdateAction)?;
    let header_version = if_match(&headers)?;
    let stored = change(
        state.store.as_ref(),
        actor(&principal),
        &principal.id,
        &auditor.event("ok"),
        &id,
        body,
        header_version,
    )
    .await?;
    let view = ActionView::of(stored, today(), state.actions_due_soon, &state.calendar);
    Ok(audited(Json(view).into_response()))
}

/// Adds an action from another source than a final report: a national review, an audit, the
/// independent scrutineer, a rapid review's immediate learning.
#[utoipa::path(post, path = "/actions", tag = "actions",
    request_body(content = Value, content_type = "application/json",
        description = "An action (schemas/records/action.schema.json)"),
    responses((status = 201, description = "Added, at version 1", body = ActionView),
        (status = 409, description = "An action with this id exists", body = Problem),
        (status = 422, description = "Not a valid action", body = Problem)),
    security(("bearer" = [])))]
pub async fn add(
    State(state): State<AppState>,
    principal: Principal,
    auditor: Auditor,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    principal.require(Do::AddAction)?;
    let action = parse(&body, today())?;
    actions::check_change(actor(&principal), None, &action)
        .map_err(|refused| Problem::forbidden(refused.to_string()))?;
    let added = state
        .store
        .add_actions(
            std::slice::from_ref(&action),
            &principal.id,
            &auditor.event("ok"),
        )
        .await?;
    if added == 0 {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            format!(
                "There is already an action \"{}\". To change it, send it to PUT /actions/{{id}} with its version; to add another, give it a new id.",
                action.id
            ),
        ));
    }
    let stored = held(state.store.as_ref(), Actor::Partnership, &action.id).await?;
    let location = format!("/actions/{}", action.id.replace('/', "%2F"));
    let view = ActionView::of(stored, today(), state.actions_due_soon, &state.calendar);
    Ok(audited(
        (
            StatusCode::CREATED,
            [(header::LOCATION, location)],
            Json(view),
        )
            .into_response(),
    ))
}

/// The actions a valid final report gives rise to: one per recommendation and agency named,
/// matched to the agencies asked on the case, raised on the day the report gives for it (its
/// publication, by `x-actions` `raised`) or else `today`. Empty for any other form, or a
/// final report whose schema does not say where its recommendations are (`x-actions`).
pub fn from_report(
    file_role: CaseRole,
    fields: Option<&actions::RecommendationFields>,
    case: &str,
    body: &Value,
    asked: &[(String, String)],
    today: chrono::NaiveDate,
) -> Vec<Action> {
    let Some(fields) = fields.filter(|_| file_role == CaseRole::FinalReport) else {
        return Vec::new();
    };
    let known: Vec<Agency> = asked
        .iter()
        .map(|(id, name)| Agency {
            id: id.clone(),
            name: name.clone(),
        })
        .collect();
    let raised = fields.raised_on(body, today);
    let derived = actions::actions_from_final_report(case, body, fields, &known, raised);
    for note in &derived.notes {
        tracing::info!(case, note, "final report recommendation");
    }
    derived
        .actions
        .into_iter()
        .filter(|action| match actions::check(action, today) {
            Ok(report) if report.valid => true,
            // A recommendation the report holds but an action cannot (an id too long): the
            // report is still stored; the partnership adds the action by hand.
            other => {
                tracing::warn!(case, action = %action.id, valid = ?other.map(|r| r.valid).ok(), "an action made from a final report is not valid; not added");
                false
            }
        })
        .collect()
}
