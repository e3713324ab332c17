//! The administrator's page: machine tokens (make one, shown once; revoke one) and the people
//! invited to the pages, with their roles and agencies, each of whom can be revoked (every
//! session ended, an unused link voided). Administrators are invited from the command line only
//! (`invite --role admin`) and read no case.

use std::fmt::Write as _;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::html::{self, Choice, Esc, InputKind, Labelled};
use super::session::{CheckedForm, WebUser};
use super::{PageError, page_response, see_other};
use crate::http::AppState;
use crate::http::audit::{Auditor, audited};
use crate::http::auth::{Action, Principal};
use crate::http::tokens::{DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS, expiry};
use crate::store::{NewToken, Role};

fn only_admin(state: &AppState, principal: &Principal) -> Result<(), PageError> {
    principal.require(Action::CreateToken).map_err(|_| {
        PageError::new(
            state,
            StatusCode::FORBIDDEN,
            "This page is for the service's administrators.",
        )
    })
}

/// What the token form holds, to show it again with errors.
#[derive(Debug, Default)]
struct Typed {
    role: String,
    agency: String,
    days: String,
}

/// The page: the token form (or the token just made), the tokens, the people.
pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
) -> Result<Response, PageError> {
    only_admin(&state, &principal)?;
    render(&state, &user, &Typed::default(), &[], None).await
}

async fn render(
    state: &AppState,
    user: &WebUser,
    typed: &Typed,
    errors: &[(&str, String)],
    made: Option<(String, String)>,
) -> Result<Response, PageError> {
    let mut main = String::new();
    let links = html::field_errors(errors);
    html::error_summary(&mut main, &links);
    match made {
        Some((what, secret)) => {
            let _ = write!(
                main,
                "<div class=\"govuk-panel govuk-panel--confirmation\"><h1 class=\"govuk-panel__title\">Token made: {}</h1><div class=\"govuk-panel__body\"><code id=\"new-token\">{}</code></div></div>\
<p class=\"govuk-body\">Copy it into the system that will use it now: only its hash is kept, and it is not shown again.</p>",
                Esc(&what),
                Esc(&secret)
            );
        }
        None => main.push_str("<h1 class=\"govuk-heading-l\">Administration</h1>"),
    }
    token_form(&mut main, user, typed, errors);
    tokens_table(&mut main, state, user).await?;
    people_table(&mut main, state, user).await?;
    let chrome = user.chrome(state, None);
    Ok(page_response(
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        html::page(&chrome, "Administration", !errors.is_empty(), &main),
    ))
}

fn token_form(out: &mut String, user: &WebUser, typed: &Typed, errors: &[(&str, String)]) {
    let error = |id: &str| {
        errors
            .iter()
            .find(|(field, _)| *field == id)
            .map(|(_, m)| m.as_str())
    };
    let _ = write!(
        out,
        "<h2 class=\"govuk-heading-m\">Make a machine token</h2><form method=\"post\" action=\"/admin/tokens\" novalidate>{}",
        html::csrf_field(&user.csrf)
    );
    let mut agency = String::new();
    html::text_input(
        &mut agency,
        &Labelled {
            id: "agency",
            name: "agency",
            label: "Agency id",
            hint: Some("The agency whose system sends its returns, for example kent-police"),
            error: error("agency"),
        },
        &typed.agency,
        InputKind::Text,
    );
    let roles = [
        ("agency", "An agency's system", Some(agency)),
        ("partnership", "The partnership's system", None),
        ("reviewer", "A reviewer's system", None),
        ("admin", "Administration", None),
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
        out,
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
    let days_hint =
        format!("From 1 to {MAX_LIFETIME_DAYS} days; {DEFAULT_LIFETIME_DAYS} if left empty");
    html::text_input(
        out,
        &Labelled {
            id: "days",
            name: "days",
            label: "Days it works for",
            hint: Some(&days_hint),
            error: error("days"),
        },
        &typed.days,
        InputKind::Whole,
    );
    html::button(out, "Make the token", "make", false);
    out.push_str("</form>");
}

/// A table's opening and head: `headings`, then a last column of Revoke buttons.
fn table_start(out: &mut String, id: &str, headings: &[&str]) {
    let _ = write!(
        out,
        "<table class=\"govuk-table\" id=\"{id}\"><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
    );
    for heading in headings {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"govuk-table__header\">{heading}</th>"
        );
    }
    out.push_str("<th scope=\"col\" class=\"govuk-table__header\"><span class=\"govuk-visually-hidden\">Revoke</span></th></tr></thead><tbody class=\"govuk-table__body\">");
}

fn cell(text: &str) -> String {
    format!("<td class=\"govuk-table__cell\">{}</td>", Esc(text))
}

fn day(stamp: Option<&str>) -> String {
    stamp
        .map(|s| s.chars().take(10).collect())
        .unwrap_or_default()
}

async fn tokens_table(out: &mut String, state: &AppState, user: &WebUser) -> Result<(), PageError> {
    let tokens = state
        .store
        .tokens()
        .await
        .map_err(|e| PageError::from_store(state, e))?;
    out.push_str("<h2 class=\"govuk-heading-m\">Machine tokens</h2>");
    if tokens.is_empty() {
        out.push_str("<p class=\"govuk-body\">There are no tokens.</p>");
        return Ok(());
    }
    table_start(
        out,
        "tokens",
        &["Token", "Role", "Agency", "Made by", "Made", "Works until"],
    );
    for token in &tokens {
        let revoke = if token.revoked_at.is_some() {
            format!("Revoked {}", day(token.revoked_at.as_deref()))
        } else {
            format!(
                "<form method=\"post\" action=\"/admin/tokens/{id}/revoke\" novalidate>{csrf}<button type=\"submit\" class=\"govuk-button govuk-button--warning govuk-!-margin-bottom-0\" data-module=\"govuk-button\" id=\"revoke-{id}\">Revoke<span class=\"govuk-visually-hidden\"> token {id}</span></button></form>",
                id = Esc(&token.id),
                csrf = html::csrf_field(&user.csrf)
            )
        };
        let _ = write!(
            out,
            "<tr class=\"govuk-table__row\">{}{}{}{}{}{}<td class=\"govuk-table__cell\">{revoke}</td></tr>",
            cell(&token.id),
            cell(token.role.as_str()),
            cell(token.agency.as_deref().unwrap_or("")),
            cell(&token.created_by),
            cell(&day(Some(&token.created_at))),
            cell(&day(token.expires_at.as_deref())),
        );
    }
    out.push_str("</tbody></table>");
    Ok(())
}

async fn people_table(out: &mut String, state: &AppState, user: &WebUser) -> Result<(), PageError> {
    let invited = state
        .store
        .invitations()
        .await
        .map_err(|e| PageError::from_store(state, e))?;
    out.push_str("<h2 class=\"govuk-heading-m\">People</h2><p class=\"govuk-body\">The partnership team invites people on its People page. Revoking someone signs them out everywhere and voids their sign-in link if they have not used it.</p>");
    if invited.is_empty() {
        out.push_str("<p class=\"govuk-body\">Nobody has been invited.</p>");
        return Ok(());
    }
    table_start(
        out,
        "people",
        &["Name", "Email", "Role", "Agency", "Invited", "Signed in"],
    );
    for invitation in &invited {
        let person = &invitation.person;
        let _ = write!(
            out,
            "<tr class=\"govuk-table__row\">{}{}{}{}{}{}<td class=\"govuk-table__cell\"><form method=\"post\" action=\"/admin/people/{id}/revoke\" novalidate>{csrf}<button type=\"submit\" class=\"govuk-button govuk-button--secondary govuk-!-margin-bottom-0\" data-module=\"govuk-button\" id=\"revoke-person-{id}\">Revoke<span class=\"govuk-visually-hidden\"> {name}</span></button></form></td></tr>",
            cell(&person.name),
            cell(&person.email),
            cell(person.role.as_str()),
            cell(person.agency_name.as_deref().unwrap_or("")),
            cell(&day(Some(&invitation.created_at))),
            cell(&day(invitation.used_at.as_deref())),
            id = Esc(&person.id),
            name = Esc(&person.name),
            csrf = html::csrf_field(&user.csrf)
        );
    }
    out.push_str("</tbody></table>");
    Ok(())
}

/// Makes a machine token and shows its secret once.
pub async fn make_token(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    auditor: Auditor,
    CheckedForm(posted): CheckedForm,
) -> Result<Response, PageError> {
    only_admin(&state, &principal)?;
    let get = |name: &str| posted.one(name).unwrap_or_default().trim().to_owned();
    let typed = Typed {
        role: get("role"),
        agency: get("agency"),
        days: get("days"),
    };
    let mut errors: Vec<(&str, String)> = Vec::new();
    let role = typed.role.parse::<Role>().ok();
    if role.is_none() {
        errors.push(("role", "Select the token's role".into()));
    }
    let agency = (role == Some(Role::Agency)).then(|| typed.agency.clone());
    if agency
        .as_deref()
        .is_some_and(|a| !crate::http::params::is_agency_id(a))
    {
        errors.push((
            "agency",
            "Enter the agency id in lower-case letters, digits and hyphens, like kent-police"
                .into(),
        ));
    }
    let days = if typed.days.is_empty() {
        Some(DEFAULT_LIFETIME_DAYS)
    } else {
        typed.days.parse::<u32>().ok()
    };
    let expires_at = days.and_then(|d| expiry(d).ok());
    if expires_at.is_none() {
        errors.push((
            "days",
            format!("Enter a number of days from 1 to {MAX_LIFETIME_DAYS}"),
        ));
    }
    let (Some(role), Some(expires_at), true) = (role, expires_at, errors.is_empty()) else {
        return render(&state, &user, &typed, &errors, None)
            .await
            .map(audited);
    };
    let (token, secret) = state
        .store
        .create_token(
            NewToken {
                role,
                agency,
                created_by: principal.id.clone(),
                expires_at: Some(expires_at),
            },
            &auditor.event("ok"),
        )
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    let what = match &token.agency {
        Some(agency) => format!("{} ({agency})", token.role),
        None => token.role.to_string(),
    };
    render(&state, &user, &Typed::default(), &[], Some((what, secret)))
        .await
        .map(audited)
}

/// Revokes a machine token: it stops working at once.
pub async fn revoke_token(
    State(state): State<AppState>,
    principal: Principal,
    auditor: Auditor,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm,
) -> Result<Response, PageError> {
    only_admin(&state, &principal)?;
    let token = state
        .store
        .revoke_token(&id, &auditor.event("ok"))
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    state.tokens.forget(&token.id);
    Ok(audited(see_other("/admin#tokens")))
}

/// Revokes a person: every session of theirs ends, an unused sign-in link stops working.
pub async fn revoke_person(
    State(state): State<AppState>,
    principal: Principal,
    auditor: Auditor,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm,
) -> Result<Response, PageError> {
    only_admin(&state, &principal)?;
    state
        .store
        .revoke_person(&id, &auditor.event("ok"))
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    Ok(audited(see_other("/admin#people")))
}
