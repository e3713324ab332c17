//! Sessions for people: the cookie, the signed-in person on each request, and the CSRF token
//! every state-changing form carries.
//!
//! The cookie holds `<session id>.<secret>`; the store keeps only the secret's hash. The CSRF
//! token is derived from the secret (so it needs no storage and changes with each sign-in) and
//! compared in constant time. A request without a working session is sent to the sign-in page;
//! the session's person becomes the request's [`Principal`], so the API's role rules and audit
//! apply unchanged. Single sign-on (OpenID Connect) would end in the same place: a verified
//! identity starting a session through the store, after which nothing here changes.

use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::fields::Posted;
use super::{PageError, see_other};
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::store::people::at;
use crate::store::token::{same, sha256_hex};
use crate::store::{Person, Session};

/// The session cookie's name.
pub const COOKIE: &str = "sf_session";

/// The signed-in person on a page request.
#[derive(Debug, Clone)]
pub struct WebUser {
    /// The session.
    pub session: Session,
    /// The CSRF token of this session's forms.
    pub csrf: String,
}

impl WebUser {
    /// Who is signed in.
    pub fn person(&self) -> &Person {
        &self.session.person
    }

    /// The page's frame for this person: the partnership's name, who is signed in, the
    /// sign-out form's CSRF token, and the Back link, if any.
    pub fn chrome<'a>(
        &'a self,
        state: &'a crate::http::AppState,
        back: Option<&'a str>,
    ) -> super::html::Chrome<'a> {
        super::html::Chrome {
            partnership: &state.web.partnership,
            signed_in: Some(&self.session.person.name),
            csrf: Some(&self.csrf),
            back,
        }
    }
}

/// The principal id of a person in the audit log.
pub fn principal_id(person: &Person) -> String {
    format!("person:{}", person.id)
}

/// The CSRF token of a session, from its cookie's secret.
fn csrf_of(cookie: &str) -> String {
    sha256_hex(format!("csrf:{cookie}").as_bytes())
}

/// The session cookie's value in a request, if any.
pub fn cookie_value(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim())
}

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Strict, Secure unless the service
/// listens on the loopback address only.
pub fn set_cookie(state: &AppState, value: &str) -> HeaderValue {
    let secure = if state.web.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let max_age = state.web.sessions.absolute.num_seconds();
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("sf_session=; Path=/; Max-Age=0"))
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("sf_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// The working session of a request, if there is one; moves its idle end along when it has
/// been used after a minute or more.
async fn current(state: &AppState, headers: &HeaderMap) -> Result<Option<WebUser>, PageError> {
    let Some(cookie) = cookie_value(headers) else {
        return Ok(None);
    };
    let Some(session) = state
        .store
        .session(cookie)
        .await
        .map_err(|e| PageError::from_store(state, e))?
    else {
        return Ok(None);
    };
    let now = chrono::Utc::now();
    if !session.usable_at(&at(now)) {
        return Ok(None);
    }
    let idle_until = at(now + state.web.sessions.idle);
    let touched_recently = at(now + state.web.sessions.idle - chrono::Duration::minutes(1));
    if session.idle_until < touched_recently {
        state
            .store
            .touch_session(&session.id, &idle_until)
            .await
            .map_err(|e| PageError::from_store(state, e))?;
    }
    Ok(Some(WebUser {
        csrf: csrf_of(cookie),
        session,
    }))
}

/// Lets a request through only with a working session, as its principal; otherwise sends the
/// person to the sign-in page (and drops a cookie that no longer works).
pub async fn require(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    match current(&state, request.headers()).await {
        Ok(Some(user)) => {
            let person = user.person();
            let principal = Principal {
                id: principal_id(person),
                role: person.role,
                agency: person.agency.clone(),
            };
            request.extensions_mut().insert(principal.clone());
            request.extensions_mut().insert(user);
            let mut response = next.run(request).await;
            response.extensions_mut().insert(principal);
            response
        }
        Ok(None) => {
            let had_cookie = cookie_value(request.headers()).is_some();
            let mut response = see_other(if had_cookie {
                "/sign-in?ended=1"
            } else {
                "/sign-in"
            });
            if had_cookie {
                response
                    .headers_mut()
                    .insert(header::SET_COOKIE, clear_cookie());
            }
            response
        }
        Err(error) => error.into_response(),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for WebUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Response> {
        parts
            .extensions
            .get::<WebUser>()
            .cloned()
            .ok_or_else(|| see_other("/sign-in"))
    }
}

/// A posted page form whose CSRF token matched the session's: its fields.
#[derive(Debug)]
pub struct CheckedForm(pub Posted);

/// The answer to a form without the right CSRF token.
pub fn csrf_refused(state: &AppState) -> PageError {
    PageError::new(
        state,
        StatusCode::FORBIDDEN,
        "This form could not be accepted because it was not sent from this service's own page, or the page was open from before you last signed in. Go back, reload the page and try again: your answers were not saved.",
    )
}

impl FromRequest<AppState> for CheckedForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let user = request.extensions().get::<WebUser>().cloned();
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map_err(|_| {
                PageError::new(
                    state,
                    StatusCode::BAD_REQUEST,
                    "The form could not be read. Go back, reload the page and try again.",
                )
                .into_response()
            })?;
        let posted = Posted::new(pairs);
        match (user, posted.one("_csrf")) {
            (Some(user), Some(token)) if same(&user.csrf, token) => Ok(CheckedForm(posted)),
            _ => Err(csrf_refused(state).into_response()),
        }
    }
}

/// Whether a CSRF token (from a multipart upload) is the session's.
pub fn csrf_matches(user: &WebUser, token: &str) -> bool {
    same(&user.csrf, token)
}

/// What a page's `multipart/form-data` post held: its files (empty ones left out) and its other
/// fields, once the CSRF token has been found to be the session's.
#[derive(Debug, Default)]
pub struct Uploaded {
    /// Each non-empty file, by its input's name.
    pub files: Vec<(String, axum::body::Bytes)>,
    /// Each other field (the button pressed among them).
    pub fields: Vec<(String, String)>,
}

impl Uploaded {
    /// The file of an input, if one was chosen.
    pub fn file(&self, name: &str) -> Option<&axum::body::Bytes> {
        self.files.iter().find(|(n, _)| n == name).map(|(_, b)| b)
    }

    /// A field's value.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads a page's `multipart/form-data` post; `button` is the words on the page's button, for
/// the message when the post cannot be read.
pub async fn read_multipart(
    state: &AppState,
    user: &WebUser,
    request: Request,
    button: &str,
) -> Result<Uploaded, PageError> {
    let unreadable = || {
        PageError::new(
            state,
            StatusCode::BAD_REQUEST,
            format!("The upload could not be read. Choose the file again and select {button}."),
        )
    };
    let mut multipart = axum::extract::Multipart::from_request(request, state)
        .await
        .map_err(|_| unreadable())?;
    let (mut csrf_ok, mut posted) = (false, Uploaded::default());
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "_csrf" {
            csrf_ok = csrf_matches(user, &field.text().await.map_err(|_| unreadable())?);
        } else if field.file_name().is_some() {
            let bytes = field.bytes().await.map_err(|_| unreadable())?;
            if !bytes.is_empty() {
                posted.files.push((name, bytes));
            }
        } else if posted.fields.len() < 16 {
            let value = field.text().await.map_err(|_| unreadable())?;
            posted
                .fields
                .push((name, value.chars().take(200).collect()));
        }
    }
    if !csrf_ok {
        return Err(csrf_refused(state));
    }
    Ok(posted)
}

/// Reads a page's file upload (`multipart/form-data` with `_csrf` and `file`): the file's
/// bytes once the CSRF token is the session's. `button` is the words on the page's button, for
/// the messages ("Choose the file again and select Upload").
pub async fn read_upload(
    state: &AppState,
    user: &WebUser,
    request: Request,
    what: &str,
    button: &str,
) -> Result<axum::body::Bytes, PageError> {
    let posted = read_multipart(state, user, request, button).await?;
    posted.file("file").cloned().ok_or_else(|| {
        PageError::new(
            state,
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Choose {what}, then select {button}."),
        )
    })
}
