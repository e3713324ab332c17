//! Middleware that protects the service and what it holds: security headers on every answer,
//! and large uploads read a few at a time, so a burst of big requests cannot take the
//! process's memory.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{AppState, Waiting};

/// A body at least this large (or of unknown length) waits for an upload place.
pub const LARGE_UPLOAD_BYTES: u64 = 256 * 1024;

/// Case data must not be kept by browsers or proxies, sniffed into another type, or framed.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // The web pages set their own policy; everything else is data, never a page.
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; frame-ancestors 'none'",
        ));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// A request with a large body (or one whose length is not given) waits for one of the upload
/// places before its body is read, and keeps it until it is answered; when as many are already
/// waiting as the heavy-work queue allows, it gets 503 with Retry-After.
pub async fn large_uploads(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let has_body = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::DELETE
    );
    let length = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    let large = has_body && length.is_none_or(|n| n >= LARGE_UPLOAD_BYTES);
    if !large {
        return next.run(request).await;
    }
    let permit = match state.uploads.clone().try_acquire_owned() {
        Ok(permit) => permit,
        Err(_) => {
            let Some(waiting) = Waiting::join(&state.waiting, state.limits.heavy_queue) else {
                return super::problem::Problem::busy(2).into_response();
            };
            let Ok(permit) = state.uploads.clone().acquire_owned().await else {
                return super::problem::Problem::internal().into_response();
            };
            drop(waiting);
            permit
        }
    };
    let response = next.run(request).await;
    drop(permit);
    response
}
