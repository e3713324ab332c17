//! The partnership team invites people (a one-time sign-in link to pass on: no mail server is
//! assumed), sees who has signed in, and can sign anyone out.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::html::{self, Choice, Esc, InputKind, Labelled};
use super::session::{CheckedForm, WebUser};
use super::{PageError, page_response, see_other};
use crate::http::AppState;
use crate::http::audit::{Auditor, audited};
use crate::http::auth::Principal;
use crate::store::{NewInvitation, Role, now};

/// Pages that are not about one case answer 403 to anyone but the partnership team (a case's
/// pages answer 404, so that nobody learns which cases exist).
pub fn only_partnership(state: &AppState, principal: &Principal) -> Result<(), PageError> {
    if principal.role == Role::Partnership {
        Ok(())
    } else {
        Err(PageError::new(
            state,
            StatusCode::FORBIDDEN,
            "This page is for the partnership team. If you need someone invited or signed out, ask your partnership's business unit.",
        ))
    }
}

/// What the invitation form holds, to show it again with errors.
#[derive(Debug, Default)]
struct Typed {
    name: String,
    email: String,
    role: String,
    agency_id: String,
    agency_name: String,
}

/// People: the invitation form, the links made, and who is signed in. A case page's "invite
/// someone from this agency" link fills in the agency (`?agency_id=..&agency_name=..`).
pub async fn list(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    only_partnership(&state, &principal)?;
    let given = |name: &str| {
        query
            .get(name)
            .map(|v| v.trim().chars().take(200).collect::<String>())
            .unwrap_or_default()
    };
    let typed = Typed {
        agency_id: given("agency_id"),
        agency_name: given("agency_name"),
        role: if query.contains_key("agency_id") {
            "agency".to_owned()
        } else {
            String::new()
        },
        ..Typed::default()
    };
    page(&state, &user, &typed, &[], None).await
}

async fn page(
    state: &AppState,
    user: &WebUser,
    typed: &Typed,
    errors: &[(&str, String)],
    made: Option<(String, String)>,
) -> Result<Response, PageError> {
    let mut main = String::new();
    let links = html::field_errors(errors);
    html::error_summary(&mut main, &links);
    if let Some((name, link)) = made {
        let _ = write!(
            main,
            "<div class=\"govuk-panel govuk-panel--confirmation\"><h1 class=\"govuk-panel__title\">Sign-in link for {}</h1><div class=\"govuk-panel__body\"><code id=\"sign-in-link\">{}</code></div></div>\
<p class=\"govuk-body\">Pass this link on to them securely. It works once, within 7 days. Nobody can see it again: if it is lost, invite them again.</p>",
            Esc(&name),
            Esc(&link)
        );
    } else {
        main.push_str("<h1 class=\"govuk-heading-l\">People</h1>");
    }
    let error = |id: &str| {
        errors
            .iter()
            .find(|(field, _)| *field == id)
            .map(|(_, m)| m.as_str())
    };
    let _ = write!(
        main,
        "<h2 class=\"govuk-heading-m\">Invite someone</h2><form method=\"post\" action=\"/people\" novalidate>{}",
        html::csrf_field(&user.csrf)
    );
    html::text_input(
        &mut main,
        &Labelled {
            id: "name",
            name: "name",
            label: "Full name",
            hint: None,
            error: error("name"),
        },
        &typed.name,
        InputKind::Text,
    );
    html::text_input(
        &mut main,
        &Labelled {
            id: "email",
            name: "email",
            label: "Work email address",
            hint: None,
            error: error("email"),
        },
        &typed.email,
        InputKind::Email,
    );
    let mut agency = String::new();
    html::text_input(
        &mut agency,
        &Labelled {
            id: "agency_id",
            name: "agency_id",
            label: "Agency id",
            hint: Some("As the partnership asks the agency on a case, for example kent-police"),
            error: error("agency_id"),
        },
        &typed.agency_id,
        InputKind::Text,
    );
    html::text_input(
        &mut agency,
        &Labelled {
            id: "agency_name",
            name: "agency_name",
            label: "Agency name",
            hint: None,
            error: error("agency_name"),
        },
        &typed.agency_name,
        InputKind::Text,
    );
    let roles = [
        ("agency", "Agency single point of contact", Some(agency)),
        ("partnership", "Partnership team", None),
        ("reviewer", "Independent reviewer", None),
    ];
    let choices: Vec<Choice<'_>> = roles
        .into_iter()
        .map(|(value, label, reveal)| Choice {
            value,
            label,
            checked: typed.role == value,
            reveal,
        })
        .collect();
    html::choices(
        &mut main,
        &Labelled {
            id: "role",
            name: "role",
            label: "Role",
            hint: None,
            error: error("role"),
        },
        &choices,
        false,
    );
    html::button(&mut main, "Make a sign-in link", "invite", false);
    main.push_str("</form>");

    let sessions = state
        .store
        .sessions()
        .await
        .map_err(|e| PageError::from_store(state, e))?;
    main.push_str("<h2 class=\"govuk-heading-m\">Signed in now</h2>");
    if sessions.is_empty() {
        main.push_str("<p class=\"govuk-body\">Nobody.</p>");
    }
    for session in &sessions {
        let _ = write!(
            main,
            "<form method=\"post\" action=\"/people/sessions/{}/end\" class=\"govuk-!-margin-bottom-4\">{}<p class=\"govuk-body\">{} ({}, {}) signed in at {} <button type=\"submit\" class=\"govuk-button govuk-button--warning govuk-!-margin-bottom-0\" data-module=\"govuk-button\">Sign out<span class=\"govuk-visually-hidden\"> {}</span></button></p></form>",
            Esc(&session.id),
            html::csrf_field(&user.csrf),
            Esc(&session.person.name),
            Esc(session.person.role.as_str()),
            Esc(session
                .person
                .agency_name
                .as_deref()
                .unwrap_or("partnership")),
            Esc(&session
                .created_at
                .chars()
                .take(16)
                .collect::<String>()
                .replace('T', " ")),
            Esc(&session.person.name),
        );
    }
    let invitations = state
        .store
        .invitations()
        .await
        .map_err(|e| PageError::from_store(state, e))?;
    main.push_str("<h2 class=\"govuk-heading-m\">Sign-in links made</h2><table class=\"govuk-table\"><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Name</th><th scope=\"col\" class=\"govuk-table__header\">Role</th><th scope=\"col\" class=\"govuk-table__header\">Link</th></tr></thead><tbody class=\"govuk-table__body\">");
    let current = now();
    for invitation in invitations.iter().rev() {
        let status = match &invitation.used_at {
            Some(_) => "Used",
            None if invitation.expires_at < current => "Expired",
            None => "Not used yet",
        };
        let _ = write!(
            main,
            "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">{} <span class=\"govuk-hint\">({})</span></td><td class=\"govuk-table__cell\">{}{}</td><td class=\"govuk-table__cell\">{status}</td></tr>",
            Esc(&invitation.person.name),
            Esc(&invitation.person.email),
            Esc(invitation.person.role.as_str()),
            invitation
                .person
                .agency_name
                .as_ref()
                .map(|a| format!(", {}", Esc(a)))
                .unwrap_or_default(),
        );
    }
    main.push_str("</tbody></table>");
    let chrome = user.chrome(state, Some("/"));
    Ok(page_response(
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        html::page(&chrome, "People", !errors.is_empty(), &main),
    ))
}

/// The address people reach the service at, for the sign-in link.
fn origin(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".:-[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = if state.web.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// Makes an invitation and shows its sign-in link once.
pub async fn invite(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    auditor: Auditor,
    headers: HeaderMap,
    CheckedForm(posted): CheckedForm,
) -> Result<Response, PageError> {
    only_partnership(&state, &principal)?;
    let get = |name: &str| posted.one(name).unwrap_or_default().trim().to_owned();
    let typed = Typed {
        name: get("name"),
        email: get("email"),
        role: get("role"),
        agency_id: get("agency_id"),
        agency_name: get("agency_name"),
    };
    let mut errors: Vec<(&str, String)> = Vec::new();
    if typed.name.is_empty() {
        errors.push(("name", "Enter their full name".into()));
    }
    if !typed.email.contains('@') || typed.email.len() > 254 {
        errors.push((
            "email",
            "Enter an email address in the correct format, like name@example.com".into(),
        ));
    }
    let role = match typed.role.parse::<Role>() {
        Ok(role) if role != Role::Admin => Some(role),
        _ => {
            errors.push(("role", "Select their role".into()));
            None
        }
    };
    let agency = if role == Some(Role::Agency) {
        let id_ok = crate::http::params::is_agency_id(&typed.agency_id);
        if !id_ok {
            errors.push((
                "agency_id",
                "Enter the agency id in lower-case letters, digits and hyphens, like kent-police"
                    .into(),
            ));
        }
        if typed.agency_name.is_empty() {
            errors.push(("agency_name", "Enter the agency's name".into()));
        }
        Some((typed.agency_id.clone(), typed.agency_name.clone()))
    } else {
        None
    };
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return page(&state, &user, &typed, &errors, None)
            .await
            .map(audited);
    };
    let (invitation, code) = state
        .store
        .create_invitation(
            NewInvitation {
                name: typed.name.clone(),
                email: typed.email.clone(),
                role,
                agency,
                created_by: principal.id.clone(),
            },
            &auditor.event("ok"),
        )
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    let link = format!("{}/sign-in/{code}", origin(&state, &headers));
    page(
        &state,
        &user,
        &Typed::default(),
        &[],
        Some((invitation.person.name, link)),
    )
    .await
    .map(audited)
}

/// Signs a person out (their session ends at once).
pub async fn end_session(
    State(state): State<AppState>,
    principal: Principal,
    auditor: Auditor,
    Path(session): Path<String>,
    CheckedForm(_): CheckedForm,
) -> Result<Response, PageError> {
    only_partnership(&state, &principal)?;
    state
        .store
        .end_session(&session, &auditor.event("ok"))
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    Ok(audited(see_other("/people")))
}
