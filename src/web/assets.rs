//! GOV.UK Frontend's prebuilt CSS and JavaScript (vendored in `assets/govuk-frontend/`, with
//! its licence) and the pages' own small stylesheet, embedded in the binary.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use include_dir::{Dir, include_dir};

static GOVUK: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets/govuk-frontend");
static APP: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets/app");

/// The bytes and content type of an asset by its address under `/assets/`.
pub fn find(name: &str) -> Option<(&'static [u8], &'static str)> {
    let file = match name {
        "govuk-frontend.min.css" | "govuk-frontend.min.js" | "init.js" => GOVUK.get_file(name)?,
        "app.css" => APP.get_file(name)?,
        _ => return None,
    };
    let kind = if name.ends_with(".css") {
        "text/css; charset=utf-8"
    } else {
        "text/javascript; charset=utf-8"
    };
    Some((file.contents(), kind))
}

/// `GET /assets/{file}`: cached for a day (they change only with the binary).
pub async fn serve(Path(file): Path<String>) -> Response {
    match find(&file) {
        Some((bytes, kind)) => {
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
            response
        }
        None => (StatusCode::NOT_FOUND, "").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheets_and_scripts_are_embedded_and_nothing_else_is_served() {
        for name in [
            "govuk-frontend.min.css",
            "govuk-frontend.min.js",
            "init.js",
            "app.css",
        ] {
            assert!(
                find(name).is_some_and(|(bytes, _)| !bytes.is_empty()),
                "{name}"
            );
        }
        assert!(find("../Cargo.toml").is_none());
        assert!(find("LICENSE.txt").is_none());
    }
}
