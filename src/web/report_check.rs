//! The reviewer's (and the partnership's) check of a draft final report, on a case's page:
//! upload the Word draft, see each mandatory item as present, weak or missing with where it was
//! found and what to add, each recommendation that does not say who or by when, and each detail
//! that could identify someone with what to write instead.

use std::fmt::Write as _;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::html::{self, Esc};
use super::session::{WebUser, read_multipart};
use super::{PageError, page_response};
use crate::check::checklist::checklist;
use crate::check::outline::Location;
use crate::check::{ReportCheck, Verdict};
use crate::http::AppState;
use crate::http::auth::{Action, Principal};
use crate::render::Format;

/// The upload form on a case page: the draft, and optionally the draft checked before it (to see
/// what has changed); the result as a page, or the reviewer's checklist as Word or PDF.
pub fn upload_form(out: &mut String, action: &str, csrf: &str) {
    let _ = write!(
        out,
        "<h2 class=\"govuk-heading-m\">Check a draft final report</h2>\
<form method=\"post\" action=\"{}\" enctype=\"multipart/form-data\" novalidate>{}\
<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"draft\">The draft, as a Word file</label>\
<div id=\"draft-hint\" class=\"govuk-hint\">It is checked for every item the guidance asks for and for details that could identify the child or family, using the case's forms when checked on a case page. Neither file is kept.</div>\
<input class=\"govuk-file-upload\" id=\"draft\" name=\"file\" type=\"file\" aria-describedby=\"draft-hint\" accept=\".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document\"></div>\
<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"previous\">The draft you checked before (optional)</label>\
<div id=\"previous-hint\" class=\"govuk-hint\">To see what has changed since: which items are now present, and which details have gone or are new.</div>\
<input class=\"govuk-file-upload\" id=\"previous\" name=\"previous\" type=\"file\" aria-describedby=\"previous-hint\" accept=\".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document\"></div>\
<div class=\"govuk-button-group\">",
        Esc(action),
        html::csrf_field(csrf)
    );
    html::button(out, "Check the draft", "check", false);
    html::button(out, "Download the checklist (Word)", "docx", true);
    html::button(out, "Download the checklist (PDF)", "pdf", true);
    out.push_str("</div></form>");
}

/// What changed between the check of an earlier draft and this one.
pub fn render_changes(before: &ReportCheck, now: &ReportCheck) -> String {
    let mut out = String::from(
        "<h2 class=\"govuk-heading-m\" id=\"changes\">Since the draft you checked before</h2>",
    );
    let mut lines = Vec::new();
    for item in &now.items {
        let Some(earlier) = before.items.iter().find(|b| b.id == item.id) else {
            continue;
        };
        if earlier.verdict != item.verdict {
            lines.push(format!(
                "{}: {} before, {} now",
                item.title,
                verdict_words(earlier.verdict),
                verdict_words(item.verdict)
            ));
        }
    }
    let lacking = |check: &ReportCheck| {
        check
            .recommendations
            .iter()
            .filter(|r| r.message.is_some())
            .count()
    };
    let (was, is) = (lacking(before), lacking(now));
    if was != is {
        lines.push(format!(
            "Recommendations that do not say who or by when: {was} before, {is} now"
        ));
    }
    let texts = |check: &ReportCheck| {
        check
            .identifying
            .iter()
            .map(|hit| hit.text.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (then, now_found) = (texts(before), texts(now));
    let gone: Vec<&String> = then.difference(&now_found).collect();
    let new: Vec<&String> = now_found.difference(&then).collect();
    if !gone.is_empty() {
        lines.push(format!(
            "Identifying details no longer found: {}",
            quoted_list(&gone)
        ));
    }
    if !new.is_empty() {
        lines.push(format!(
            "Identifying details new in this draft: {}",
            quoted_list(&new)
        ));
    }
    if lines.is_empty() {
        out.push_str("<p class=\"govuk-body\">Nothing the check looks at has changed.</p>");
    } else {
        out.push_str("<ul class=\"govuk-list govuk-list--bullet\">");
        for line in lines {
            let _ = write!(out, "<li>{}</li>", Esc(&line));
        }
        out.push_str("</ul>");
    }
    out
}

fn verdict_words(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Present => "present",
        Verdict::Weak => "weak",
        Verdict::Missing => "missing",
    }
}

fn quoted_list(texts: &[&String]) -> String {
    texts
        .iter()
        .map(|t| format!("\u{201c}{t}\u{201d}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn place(location: &Location) -> String {
    match &location.heading {
        Some(heading) => format!(
            "Under \u{201c}{heading}\u{201d}, paragraph {}",
            location.paragraph
        ),
        None => format!("Paragraph {}", location.paragraph),
    }
}

/// The check's result as a page's content.
pub fn render(check: &ReportCheck) -> String {
    let mut out = String::with_capacity(8 * 1024);
    if check.ready_to_publish {
        out.push_str("<div class=\"govuk-panel govuk-panel--confirmation\"><h1 class=\"govuk-panel__title\">Ready to publish</h1><div class=\"govuk-panel__body\">Every item is there, every recommendation says who and by when, and nothing identifying was found.</div></div>");
    } else {
        let summary = &check.summary;
        let _ = write!(
            out,
            "<h1 class=\"govuk-heading-l\">The draft needs more work</h1><p class=\"govuk-body\">{} of the items are present, {} weak and {} missing; {} of {} recommendations do not say who must act or by when; {} details could identify someone.</p>",
            summary.present,
            summary.weak,
            summary.missing,
            summary.recommendations_lacking,
            summary.recommendations,
            summary.identifying
        );
    }
    out.push_str("<h2 class=\"govuk-heading-m\">What the guidance asks for</h2><table class=\"govuk-table\"><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Item</th><th scope=\"col\" class=\"govuk-table__header\">Found</th><th scope=\"col\" class=\"govuk-table__header\">Where, and what to do</th></tr></thead><tbody class=\"govuk-table__body\">");
    for item in &check.items {
        let tag = match item.verdict {
            Verdict::Present => html::tag("Present", Some("green")),
            Verdict::Weak => html::tag("Weak", Some("yellow")),
            Verdict::Missing => html::tag("Missing", Some("red")),
        };
        let _ = write!(
            out,
            "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">{}<br><span class=\"govuk-body-s\">{}</span></td><td class=\"govuk-table__cell\">{tag}</td><td class=\"govuk-table__cell\">{}{}</td></tr>",
            Esc(&item.title),
            Esc(&item.source),
            // The message of a found item usually says where already.
            item.location
                .as_ref()
                .filter(|l| !item.message.contains(&format!("paragraph {}", l.paragraph)))
                .map(|l| format!("{}. ", Esc(&place(l))))
                .unwrap_or_default(),
            Esc(&item.message),
        );
    }
    out.push_str("</tbody></table>");
    let lacking: Vec<_> = check
        .recommendations
        .iter()
        .filter(|r| r.message.is_some())
        .collect();
    if !lacking.is_empty() {
        out.push_str("<h2 class=\"govuk-heading-m\">Recommendations to finish</h2><ul class=\"govuk-list govuk-list--bullet\">");
        for recommendation in lacking {
            let _ = write!(
                out,
                "<li>Recommendation {} ({}): {}</li>",
                recommendation.number,
                Esc(&place(&recommendation.location)),
                Esc(recommendation.message.as_deref().unwrap_or_default())
            );
        }
        out.push_str("</ul>");
    }
    if !check.identifying.is_empty() {
        out.push_str("<h2 class=\"govuk-heading-m\">Details that could identify someone</h2><table class=\"govuk-table\"><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Found</th><th scope=\"col\" class=\"govuk-table__header\">Where</th><th scope=\"col\" class=\"govuk-table__header\">Write instead</th></tr></thead><tbody class=\"govuk-table__body\">");
        for hit in &check.identifying {
            let _ = write!(
                out,
                "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">\u{201c}{}\u{201d} ({}{})</td><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}</td></tr>",
                Esc(&hit.text),
                Esc(hit.kind.describe()),
                if hit.from_case_forms {
                    ", in the case's forms"
                } else {
                    ""
                },
                Esc(&place(&hit.location)),
                Esc(&hit.suggestion)
            );
        }
        out.push_str("</tbody></table>");
        if check.identifying_truncated {
            out.push_str("<p class=\"govuk-body\">There are more: the list stops here. Remove these and check again.</p>");
        }
    }
    out
}

/// Checks an uploaded draft against the case and shows the result.
pub async fn check(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, PageError> {
    let case = crate::http::params::open_case(&state, &principal, &id, Action::CheckReport)
        .await
        .map_err(|problem| PageError::from_problem(&state, problem))?;
    respond(&state, &user, Some(&case.id), request).await
}

/// Checks an uploaded draft on its own (no case's forms to look for details from): the
/// reviewer's and the partnership's check of any draft.
pub async fn check_alone(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    request: Request,
) -> Result<Response, PageError> {
    principal.require(Action::CheckReport).map_err(|_| {
        PageError::new(
            &state,
            StatusCode::FORBIDDEN,
            "Only the partnership team and reviewers check draft final reports.",
        )
    })?;
    respond(&state, &user, None, request).await
}

/// Runs the check of a case's draft, or of a draft alone.
async fn run(
    state: &AppState,
    case: Option<&str>,
    draft: axum::body::Bytes,
) -> Result<ReportCheck, PageError> {
    match case {
        Some(case) => crate::http::reports::check_against_case(state, case, draft).await,
        None => crate::http::reports::check_alone(state, draft).await,
    }
    .map_err(|problem| PageError::from_problem(state, problem))
}

/// The check's answer: the checklist to download, or the result page with what changed since
/// the earlier draft when one was uploaded beside it.
async fn respond(
    state: &AppState,
    user: &WebUser,
    case: Option<&str>,
    request: Request,
) -> Result<Response, PageError> {
    let posted = read_multipart(state, user, request, "Check the draft").await?;
    let Some(draft) = posted.file("file").cloned() else {
        return Err(PageError::new(
            state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose the draft final report (a Word file), then select Check the draft.",
        ));
    };
    let result = run(state, case, draft).await?;
    let format = match posted.field("_action") {
        Some("docx") => Some(Format::Docx),
        Some("pdf") => Some(Format::Pdf),
        _ => None,
    };
    if let Some(format) = format {
        return checklist_download(state, case.unwrap_or("draft"), &result, format).await;
    }
    let changes = match posted.file("previous").cloned() {
        Some(previous) => {
            let before = run(state, case, previous)
                .await
                .map_err(|error| error.prefixed("The draft you checked before: "))?;
            render_changes(&before, &result)
        }
        None => String::new(),
    };
    let back = case.map_or_else(|| "/".to_owned(), |id| format!("/case/{id}"));
    let main = format!(
        "<span class=\"govuk-caption-l\">{}</span>{}{changes}<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"{}\">Back, to check another draft</a></p>",
        Esc(&case.map_or_else(
            || "A draft on its own".to_owned(),
            |id| format!("Case {id}")
        )),
        render(&result),
        Esc(&back)
    );
    let chrome = user.chrome(state, Some(&back));
    Ok(page_response(
        StatusCode::OK,
        html::page(&chrome, "Draft final report check", false, &main),
    ))
}

/// The reviewer's checklist of a check, as a Word or PDF download (made on the blocking pool,
/// like the case's documents).
async fn checklist_download(
    state: &AppState,
    case: &str,
    result: &ReportCheck,
    format: Format,
) -> Result<Response, PageError> {
    let document = checklist(result, chrono::Utc::now().date_naive());
    let made = state
        .heavy(move || match format {
            Format::Docx => crate::render::docx::render_docx(&document).map_err(|e| e.to_string()),
            Format::Pdf => crate::render::pdf::render_pdf(&document).map_err(|e| e.to_string()),
        })
        .await
        .map_err(|problem| PageError::from_problem(state, problem))?;
    match made {
        Ok(bytes) => Ok(crate::http::documents::attachment(
            bytes,
            format,
            &format!("{case}-report-checklist"),
        )),
        Err(error) => {
            tracing::error!(error = %error, "the checklist could not be made");
            Err(PageError::new(
                state,
                StatusCode::INTERNAL_SERVER_ERROR,
                "The checklist could not be made. Try again; if it happens again, tell the service's administrators.",
            ))
        }
    }
}
