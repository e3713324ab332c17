//! Signing in with a one-time link, and signing out.
//!
//! Opening a link shows a page with a "Sign in" button rather than signing in at once: mail
//! scanners and link previews open links too, and would use up a one-time link before the
//! person did. Each sign-in starts a new session with a new cookie, whatever cookie the browser
//! sent (no session fixation).

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::html::{self, Chrome, Esc};
use super::session::{self, CheckedForm, WebUser};
use super::{PageError, page_response, see_other};
use crate::http::AppState;
use crate::store::AuditEvent;

fn chrome(state: &AppState) -> Chrome<'_> {
    Chrome {
        partnership: &state.web.partnership,
        ..Chrome::default()
    }
}

/// Why the sign-in page is shown.
#[derive(Debug, Deserialize)]
pub struct Why {
    /// A session ended (idle, expired, revoked).
    ended: Option<String>,
    /// The person signed out.
    out: Option<String>,
}

/// How to sign in: with the link the partnership team gave.
pub async fn explain(State(state): State<AppState>, Query(why): Query<Why>) -> Response {
    let notice = if why.out.is_some() {
        "<div class=\"govuk-notification-banner govuk-notification-banner--success\" role=\"alert\" aria-labelledby=\"banner-title\" data-module=\"govuk-notification-banner\"><div class=\"govuk-notification-banner__header\"><h2 class=\"govuk-notification-banner__title\" id=\"banner-title\">Success</h2></div><div class=\"govuk-notification-banner__content\"><p class=\"govuk-notification-banner__heading\">You have signed out.</p></div></div>"
    } else if why.ended.is_some() {
        "<div class=\"govuk-inset-text\">Your session has ended, either because it was not used for a while or because it was signed out. Anything you saved is kept.</div>"
    } else {
        ""
    };
    let main = format!(
        "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">{notice}<h1 class=\"govuk-heading-l\">Sign in</h1>\
<p class=\"govuk-body\">You sign in with the link the partnership team gave you. Each link works once: if yours has been used or has expired, ask the partnership team for a new one.</p>\
<p class=\"govuk-body\">For your security, you are signed out after {} minutes without using the service, and after {} hours in all.</p></div></div>",
        state.web.sessions.idle.num_minutes(),
        state.web.sessions.absolute.num_hours()
    );
    page_response(
        StatusCode::OK,
        html::page(&chrome(&state), "Sign in", false, &main),
    )
}

fn link_refused(state: &AppState) -> PageError {
    PageError::new(
        state,
        StatusCode::NOT_FOUND,
        "This sign-in link does not work: it has been used already, has expired, or was not copied in full. Ask the partnership team for a new link.",
    )
}

/// The page a sign-in link opens: who it is for, and a button to sign in.
pub async fn confirm(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let invitation = state
        .store
        .invitation(&code)
        .await
        .map_err(|e| PageError::from_store(&state, e))?
        .filter(|i| i.used_at.is_none() && crate::store::now() < i.expires_at)
        .ok_or_else(|| link_refused(&state))?;
    let person = &invitation.person;
    let who = match &person.agency_name {
        Some(agency) => format!("{} ({agency})", person.name),
        None => person.name.clone(),
    };
    let main = format!(
        "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><h1 class=\"govuk-heading-l\">Sign in as {}</h1>\
<p class=\"govuk-body\">This link was made for {} by the partnership team. It works once.</p>\
<form method=\"post\" action=\"/sign-in/{}\" novalidate><button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">Sign in</button></form></div></div>",
        Esc(&who),
        Esc(&person.email),
        Esc(&code)
    );
    Ok(page_response(
        StatusCode::OK,
        html::page(&chrome(&state), "Sign in", false, &main),
    ))
}

/// Uses the link: starts a new session and sets its cookie.
pub async fn sign_in(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let event = AuditEvent {
        principal: String::new(),
        role: crate::store::Role::Agency,
        agency: None,
        action: "POST /sign-in/{code}".to_owned(),
        case: String::new(),
        outcome: "ok".to_owned(),
        detail: String::new(),
    };
    let started = state
        .store
        .redeem_invitation(&code, state.web.sessions, &event)
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    let Some((_, cookie)) = started else {
        if let Ok(Some(invitation)) = state.store.invitation(&code).await {
            let person = invitation.person;
            let refused = AuditEvent {
                principal: session::principal_id(&person),
                role: person.role,
                agency: person.agency,
                outcome: "refused".to_owned(),
                detail: "sign-in link used again or expired".to_owned(),
                ..event
            };
            if let Err(error) = state.store.audit(refused).await {
                tracing::error!(error = %error, "audit of a refused sign-in failed");
            }
        }
        return Err(link_refused(&state));
    };
    let mut response = see_other("/");
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session::set_cookie(&state, &cookie));
    Ok(crate::http::audit::audited(response))
}

/// Ends the session and removes the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    user: WebUser,
    auditor: crate::http::audit::Auditor,
    CheckedForm(_): CheckedForm,
) -> Result<Response, PageError> {
    state
        .store
        .end_session(&user.session.id, &auditor.event("ok"))
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    let mut response = see_other("/sign-in?out=1");
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie());
    Ok(crate::http::audit::audited(response.into_response()))
}
