//! Extractors whose every rejection is a problem a person can act on: a JSON body, a form as
//! JSON or Word, a document format and marking, a number of rows.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde_json::Value;

use super::problem::Problem;
use crate::assemble::Marking;
use crate::render::Format;
use crate::validate::input;

/// A JSON request body, read with the body limit and parsed with plain-English errors.
#[derive(Debug, Clone)]
pub struct JsonBody(pub Value);

/// Whether a media type (without parameters, lower case) is JSON.
fn is_json(essence: &str) -> bool {
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn content_type(request: &Request) -> String {
    essence(
        request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default(),
    )
}

/// A media type without its parameters, in lower case.
fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The whole body, within the body limit, with plain-English errors.
async fn body_bytes<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, Problem> {
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "The upload is larger than this service accepts. A form is a small file: check that the right file was sent.",
            ),
            _ => Problem::bad_request("The upload could not be read in full. Please send it again."),
        })
}

fn parse_json(bytes: &[u8]) -> Result<Value, Problem> {
    input::parse(bytes).map_err(|error| Problem::bad_request(error.to_string()))
}

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&content_type(&request)) {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send the form as JSON, with the header Content-Type: application/json.",
            ));
        }
        let bytes = body_bytes(request, state).await?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// The media type of a Word document.
pub const DOCX_MEDIA_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A form as JSON, or a filled Word form to be read.
#[derive(Debug, Clone)]
pub enum FormBody {
    /// A JSON submission.
    Json(Value),
    /// The bytes of a `.docx` (not yet opened: reading it is work for the blocking pool).
    Docx(Bytes),
}

impl<S: Send + Sync> FromRequest<S> for FormBody {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let kind = content_type(&request);
        if is_json(&kind) {
            let bytes = body_bytes(request, state).await?;
            return parse_json(&bytes).map(FormBody::Json);
        }
        if kind == DOCX_MEDIA_TYPE || kind == "application/octet-stream" {
            let bytes = body_bytes(request, state).await?;
            if bytes.is_empty() {
                return Err(Problem::bad_request(
                    "The upload is empty. Attach the filled Word form and send it again.",
                ));
            }
            return Ok(FormBody::Docx(bytes));
        }
        Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "Send the form as JSON (Content-Type: application/json) or as the filled Word \
                 form (Content-Type: {DOCX_MEDIA_TYPE})."
            ),
        ))
    }
}

/// One optional query parameter, parsed by its type; `usage` says how to write the query when
/// it cannot be read at all.
async fn query_param<S: Send + Sync, T: FromStr>(
    parts: &mut Parts,
    state: &S,
    name: &str,
    usage: &str,
) -> Result<Option<T>, Problem>
where
    T::Err: fmt::Display,
{
    let Query(query) = Query::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map_err(|_| {
            Problem::bad_request(format!("The address's query could not be read: {usage}."))
        })?;
    query
        .get(name)
        .map(|value| {
            value
                .parse()
                .map_err(|e: T::Err| Problem::bad_request(e.to_string()))
        })
        .transpose()
}

/// `?marking=official-sensitive|official`, official-sensitive when absent.
#[derive(Debug, Clone, Copy)]
pub struct WantMarking(pub Marking);

impl<S: Send + Sync> FromRequestParts<S> for WantMarking {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let usage = "use ?marking=official-sensitive or ?marking=official";
        let marking = query_param(parts, state, "marking", usage).await?;
        Ok(WantMarking(marking.unwrap_or_default()))
    }
}

/// `?rows=N`: entries a blank Word form offers for each list, 1 to [`MAX_ROWS`] (3 when absent).
#[derive(Debug, Clone, Copy)]
pub struct WantRows(pub usize);

/// The most entries a blank Word form offers for a list.
pub const MAX_ROWS: usize = 50;

struct Rows(usize);

impl FromStr for Rows {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().parse::<usize>() {
            Ok(n) if (1..=MAX_ROWS).contains(&n) => Ok(Rows(n)),
            _ => Err(format!(
                "rows is the number of entries each list offers: a whole number from 1 to {MAX_ROWS}."
            )),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for WantRows {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let usage = "use ?rows=5 for five entries in each list";
        let rows: Option<Rows> = query_param(parts, state, "rows", usage).await?;
        Ok(WantRows(rows.map_or(3, |Rows(n)| n)))
    }
}

/// `?format=docx|pdf`, docx when absent.
#[derive(Debug, Clone, Copy)]
pub struct WantFormat(pub Format);

impl<S: Send + Sync> FromRequestParts<S> for WantFormat {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let usage = "use ?format=docx or ?format=pdf";
        let format = query_param(parts, state, "format", usage).await?;
        Ok(WantFormat(format.unwrap_or(Format::Docx)))
    }
}

/// The client's `Idempotency-Key` header, if any: letters, digits and `-_.:`, at most 128.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get("idempotency-key") else {
            return Ok(IdempotencyKey(None));
        };
        let key = value.to_str().unwrap_or_default().trim();
        let usable = !key.is_empty()
            && key.len() <= 128
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
        if usable {
            Ok(IdempotencyKey(Some(key.to_owned())))
        } else {
            Err(Problem::bad_request(
                "The Idempotency-Key header should be up to 128 letters, digits, hyphens, underscores, dots or colons, such as a UUID.",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types_are_recognised() {
        assert!(is_json("application/json"));
        assert!(is_json(&essence("Application/JSON; charset=utf-8")));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json(""));
    }
}
