//! The action plan in the browser: the actions on the learning of reviews that a person may see
//! (the partnership every one, an agency contact its agency's own), each red, amber or green
//! today, and a page per action where its agency records progress, a new status and the
//! evidence of its impact, and the partnership signs off its closure.
//!
//! The pages read and write through the API's own functions (`http::actions::visible`,
//! `held`, `change`): the same permission rules (an agency changes only the progress of its
//! own open actions; only the partnership closes), the same validation and the same version
//! check, so a change made since the page was opened is never overwritten.

use std::fmt::Write as _;

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use super::html::{self, Choice, Esc, Labelled, Row};
use super::session::{CheckedForm, WebUser};
use super::{PageError, page_response, see_other};
use crate::actions::{Action, Closure, Progress, Rag, Status};
use crate::http::AppState;
use crate::http::actions::{ActionView, actor, today};
use crate::http::audit::{Auditor, audited};
use crate::http::auth::{Action as Do, Principal};
use crate::store::{Role, StoredAction};

/// Where the list is.
const LIST: &str = "/action-plan";
/// The longest progress update or evidence of impact the page takes, in characters (the
/// record's schema sets none; a page holding a whole report would be unreadable).
const MAX_TEXT: u64 = 5_000;

/// The address of an action's page: an id holds letters, digits and `/._:-` (the schema's
/// pattern); anything else is percent-encoded all the same, `/` included.
fn address(id: &str) -> String {
    let mut out = format!("{LIST}/");
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || b"._:-".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn rag_tag(view: &ActionView) -> String {
    match view.rag.as_ref().map(|r| r.rag) {
        Some(rag) => html::tag(
            rag.words(),
            Some(match rag {
                Rag::Red => "red",
                Rag::Amber => "yellow",
                Rag::Green => "green",
                Rag::Done => "grey",
            }),
        ),
        None => html::tag("Not worked out", Some("grey")),
    }
}

/// Only the partnership and agency contacts hold actions.
fn may_read(state: &AppState, principal: &Principal) -> Result<(), PageError> {
    principal.require(Do::ReadActions).map_err(|_| {
        PageError::new(
            state,
            StatusCode::FORBIDDEN,
            "The action plan is for the partnership team and the agencies that hold actions.",
        )
    })
}

/// The actions the person may see, red first, then amber, green and done, each by due date.
pub async fn list(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
) -> Result<Response, PageError> {
    may_read(&state, &principal)?;
    let today = today();
    let held = crate::http::actions::visible(state.store.as_ref(), actor(&principal))
        .await
        .map_err(|problem| PageError::from_problem(&state, problem))?;
    let mut views: Vec<ActionView> = held
        .into_iter()
        .map(|stored| ActionView::of(stored, today, state.actions_due_soon, &state.calendar))
        .collect();
    views.sort_by(|a, b| {
        let rank = |v: &ActionView| v.rag.as_ref().map_or(Rag::Amber, |r| r.rag);
        rank(a)
            .cmp(&rank(b))
            .then(a.action.due_date.cmp(&b.action.due_date))
            .then(a.action.id.cmp(&b.action.id))
    });
    let mut main = String::from("<h1 class=\"govuk-heading-l\">Action plan</h1>");
    main.push_str(if principal.role == Role::Partnership {
        "<p class=\"govuk-body\">Every action on the learning of reviews, overdue first. Agencies record their progress here; the partnership signs off closure.</p>"
    } else {
        "<p class=\"govuk-body\">Your agency's actions on the learning of reviews, overdue first. Open one to record progress, a new status or the evidence of its impact.</p>"
    });
    if views.is_empty() {
        main.push_str("<p class=\"govuk-body\">There are no actions yet.</p>");
    } else {
        main.push_str("<table class=\"govuk-table\" id=\"actions\"><caption class=\"govuk-table__caption govuk-visually-hidden\">Actions</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Action</th><th scope=\"col\" class=\"govuk-table__header\">Agency</th><th scope=\"col\" class=\"govuk-table__header\">Due</th><th scope=\"col\" class=\"govuk-table__header\">Status</th><th scope=\"col\" class=\"govuk-table__header\">RAG</th></tr></thead><tbody class=\"govuk-table__body\">");
        for view in &views {
            let action = &view.action;
            let _ = write!(
                main,
                "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"{}\">{}</a><br><span class=\"govuk-body-s\">{}</span></td><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}</td></tr>",
                Esc(&address(&action.id)),
                Esc(&action.action),
                Esc(&action.source.reference),
                Esc(&action.agency.name),
                Esc(&action
                    .due_date
                    .map_or_else(|| "Not agreed".to_owned(), crate::dates::long)),
                Esc(&action.status.to_string()),
                rag_tag(view),
            );
        }
        main.push_str("</tbody></table>");
    }
    Ok(page_response(
        StatusCode::OK,
        html::page(&user.chrome(&state, Some("/")), "Action plan", false, &main),
    ))
}

/// What the update form holds as typed, and what went wrong with it.
#[derive(Debug, Default)]
struct Typed {
    progress: String,
    status: String,
    impact: String,
    errors: Vec<(String, String)>,
    /// Just saved: the page says so.
    saved: bool,
}

/// An action's page.
pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    may_read(&state, &principal)?;
    let stored = crate::http::actions::held(state.store.as_ref(), actor(&principal), &id)
        .await
        .map_err(|problem| PageError::from_problem(&state, problem))?;
    let typed = Typed {
        status: stored.action.status.code().to_owned(),
        impact: stored.action.impact.clone().unwrap_or_default(),
        saved: query.contains_key("saved"),
        ..Typed::default()
    };
    render(&state, &user, &principal, stored, &typed, StatusCode::OK)
}

/// The update sent from an action's page: a progress update, a status, the evidence of impact,
/// made from the version the page showed.
pub async fn update(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    auditor: Auditor,
    Path(id): Path<String>,
    CheckedForm(posted): CheckedForm,
) -> Result<Response, PageError> {
    may_read(&state, &principal)?;
    let actor = actor(&principal);
    let before = crate::http::actions::held(state.store.as_ref(), actor, &id)
        .await
        .map_err(|problem| PageError::from_problem(&state, problem))?;
    let mut typed = Typed {
        progress: posted
            .one("progress")
            .unwrap_or_default()
            .replace("\r\n", "\n"),
        status: posted.one("status").unwrap_or_default().to_owned(),
        impact: posted
            .one("impact")
            .unwrap_or_default()
            .replace("\r\n", "\n"),
        ..Typed::default()
    };
    let version: Option<i64> = posted.one("version").and_then(|v| v.trim().parse().ok());
    let status = Status::ALL
        .iter()
        .copied()
        .find(|s| s.code() == typed.status);
    for (field, text, what) in [
        ("progress", &typed.progress, "The progress update"),
        ("impact", &typed.impact, "The evidence of impact"),
    ] {
        let length = text.chars().count();
        if length > MAX_TEXT as usize {
            typed.errors.push((
                field.to_owned(),
                format!(
                    "{what} is {length} characters long: please keep it to {MAX_TEXT} or fewer (put the detail in your agency's own records)"
                ),
            ));
        }
    }
    if status.is_none() {
        typed.errors.push((
            "status".to_owned(),
            "Choose where the action stands".to_owned(),
        ));
    }
    let (Some(status), true) = (status, typed.errors.is_empty()) else {
        return render(
            &state,
            &user,
            &principal,
            before,
            &typed,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let Some(version) = version else {
        return Err(PageError::new(
            &state,
            StatusCode::BAD_REQUEST,
            "The page was sent without the version of the action it showed. Open the action again and make your change there.",
        ));
    };
    let today = today();
    let after = changed(
        &before.action,
        status,
        &typed,
        &user.session.person.name,
        today,
    );
    let body = serde_json::json!({"action": after, "version": version});
    let done = crate::http::actions::change(
        state.store.as_ref(),
        actor,
        &principal.id,
        &auditor.event("ok"),
        &id,
        body,
        None,
    )
    .await;
    match done {
        Ok(_) => Ok(audited(see_other(&format!("{}?saved=1", address(&id))))),
        Err(problem) => {
            let status = problem.status();
            let message = if status == StatusCode::CONFLICT {
                "Someone changed this action after you opened it, so your update was not saved. The action as it is now is shown; your words are kept below: check them and save again.".to_owned()
            } else {
                problem.detail
            };
            typed.errors.push(("progress".to_owned(), message));
            // Show the action as it stands now, with the version to make the change from.
            let now = crate::http::actions::held(state.store.as_ref(), actor, &id)
                .await
                .map_err(|problem| PageError::from_problem(&state, problem))?;
            render(&state, &user, &principal, now, &typed, status)
        }
    }
}

/// The action with the page's update applied: a dated progress update by the person (when
/// they wrote one), the status with the dates it needs (completed today; closed and signed
/// off today by the person, which only the partnership may do), the evidence of impact.
fn changed(
    before: &Action,
    status: Status,
    typed: &Typed,
    by: &str,
    today: chrono::NaiveDate,
) -> Value {
    let mut after = before.clone();
    let progress = typed.progress.trim();
    if !progress.is_empty() {
        after.progress.push(Progress {
            date: today,
            author: by.to_owned(),
            text: progress.to_owned(),
        });
    }
    let impact = typed.impact.trim();
    after.impact = (!impact.is_empty()).then(|| impact.to_owned());
    after.status = status;
    match status {
        Status::NotStarted | Status::InProgress => {
            after.completed_date = None;
            after.closure = None;
        }
        Status::Completed => {
            after.completed_date = before.completed_date.or(Some(today));
            after.closure = None;
        }
        Status::Closed => {
            after.closure = before.closure.clone().or_else(|| {
                Some(Closure {
                    by: by.to_owned(),
                    date: today,
                })
            });
        }
    }
    serde_json::to_value(&after).unwrap_or(Value::Null)
}

fn render(
    state: &AppState,
    user: &WebUser,
    principal: &Principal,
    stored: StoredAction,
    typed: &Typed,
    status: StatusCode,
) -> Result<Response, PageError> {
    let view = ActionView::of(stored, today(), state.actions_due_soon, &state.calendar);
    let action = &view.action;
    let mut main = String::new();
    let errors = html::field_errors(&typed.errors);
    html::error_summary(&mut main, &errors);
    if typed.saved {
        main.push_str("<div class=\"govuk-notification-banner govuk-notification-banner--success\" role=\"alert\" aria-labelledby=\"saved-title\" data-module=\"govuk-notification-banner\" id=\"saved\"><div class=\"govuk-notification-banner__header\"><h2 class=\"govuk-notification-banner__title\" id=\"saved-title\">Success</h2></div><div class=\"govuk-notification-banner__content\"><p class=\"govuk-notification-banner__heading\">Your update has been saved.</p></div></div>");
    }
    let _ = write!(
        main,
        "<span class=\"govuk-caption-l\">{}</span><h1 class=\"govuk-heading-l\">{}</h1>",
        Esc(&action.agency.name),
        Esc(&action.action)
    );
    let day = |d: Option<chrono::NaiveDate>, none: &str| {
        Esc(&d.map_or_else(|| none.to_owned(), crate::dates::long)).to_string()
    };
    let mut rows = vec![
        Row {
            key: "Where it came from".to_owned(),
            value_html: format!(
                "{}<br>{}",
                Esc(action.source.kind.title()),
                Esc(&action.source.reference)
            ),
            change: None,
        },
        Row {
            key: "Lead".to_owned(),
            value_html: Esc(action.lead.as_deref().unwrap_or("Not named")).to_string(),
            change: None,
        },
        Row {
            key: "Raised".to_owned(),
            value_html: day(Some(action.raised_date), ""),
            change: None,
        },
        Row {
            key: "Due".to_owned(),
            value_html: day(action.due_date, "Not agreed"),
            change: None,
        },
        Row {
            key: "Status".to_owned(),
            value_html: format!("{} {}", Esc(&action.status.to_string()), rag_tag(&view)),
            change: None,
        },
    ];
    if let Some(done) = action.completed_date {
        rows.push(Row {
            key: "Completed".to_owned(),
            value_html: day(Some(done), ""),
            change: None,
        });
    }
    if let Some(closure) = &action.closure {
        rows.push(Row {
            key: "Closure signed off".to_owned(),
            value_html: format!("{} by {}", day(Some(closure.date), ""), Esc(&closure.by)),
            change: None,
        });
    }
    rows.push(Row {
        key: "Evidence of impact".to_owned(),
        value_html: action
            .impact
            .as_deref()
            .map_or_else(|| "None recorded yet".to_owned(), html::paragraphs),
        change: None,
    });
    html::summary_list(&mut main, &rows);
    main.push_str("<h2 class=\"govuk-heading-m\">Progress</h2>");
    if action.progress.is_empty() {
        main.push_str("<p class=\"govuk-body\">No progress recorded yet.</p>");
    } else {
        main.push_str("<ol class=\"govuk-list\" id=\"progress-updates\">");
        for update in action.progress.iter().rev() {
            let _ = write!(
                main,
                "<li><h3 class=\"govuk-heading-s govuk-!-margin-bottom-1\">{} by {}</h3>{}</li>",
                Esc(&crate::dates::long(update.date)),
                Esc(&update.author),
                html::paragraphs(&update.text)
            );
        }
        main.push_str("</ol>");
    }
    let closed = action.status == Status::Closed;
    if closed && principal.role != Role::Partnership {
        main.push_str("<p class=\"govuk-body\">The partnership has signed off this action's closure: it cannot be changed here. Ask the partnership team if something needs to change.</p>");
    } else {
        form(&mut main, user, principal, &view, typed);
    }
    let title = if errors.is_empty() {
        "Action".to_owned()
    } else {
        "Error: Action".to_owned()
    };
    Ok(page_response(
        status,
        html::page(
            &user.chrome(state, Some(LIST)),
            &title,
            !errors.is_empty(),
            &main,
        ),
    ))
}

fn form(out: &mut String, user: &WebUser, principal: &Principal, view: &ActionView, typed: &Typed) {
    let error = |id: &str| {
        typed
            .errors
            .iter()
            .find(|(field, _)| field == id)
            .map(|(_, m)| m.as_str())
    };
    let _ = write!(
        out,
        "<h2 class=\"govuk-heading-m\">Record progress</h2><form method=\"post\" action=\"{}\" novalidate>{}<input type=\"hidden\" name=\"version\" value=\"{}\">",
        Esc(&address(&view.action.id)),
        html::csrf_field(&user.csrf),
        view.version
    );
    html::textarea(
        out,
        &Labelled {
            id: "progress",
            name: "progress",
            label: "What has been done since the last update (optional)",
            hint: Some(
                "It is added to the progress with today's date and your name. Earlier updates are kept as they are.",
            ),
            error: error("progress"),
        },
        &typed.progress,
        Some(MAX_TEXT),
    );
    let partnership = principal.role == Role::Partnership;
    let items: Vec<Choice<'_>> = Status::ALL
        .iter()
        .filter(|s| partnership || **s != Status::Closed)
        .map(|s| Choice {
            value: s.code(),
            label: match s {
                Status::NotStarted => "Not started",
                Status::InProgress => "In progress",
                Status::Completed => "Completed",
                Status::Closed => "Closed: signed off by the partnership",
            },
            checked: typed.status == s.code(),
            reveal: None,
        })
        .collect();
    html::choices(
        out,
        &Labelled {
            id: "status",
            name: "status",
            label: "Where the action stands",
            hint: Some(if partnership {
                "Completed is dated today. Closed records your sign-off, dated today."
            } else {
                "Completed is dated today; the partnership then reviews it and signs off its closure."
            }),
            error: error("status"),
        },
        &items,
        false,
    );
    html::textarea(
        out,
        &Labelled {
            id: "impact",
            name: "impact",
            label: "Evidence of impact",
            hint: Some(
                "What difference the action has made for children and families, and how you know. A completed action needs a progress update or this.",
            ),
            error: error("impact"),
        },
        &typed.impact,
        Some(MAX_TEXT),
    );
    html::button(out, "Save", "save", false);
    out.push_str("</form>");
}
