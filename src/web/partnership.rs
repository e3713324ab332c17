//! What the partnership team (and, for the final report, the reviewer) sees on a case page
//! beyond their own forms: the statutory timetable, the agencies asked and their returns, asking
//! another agency, assigning a reviewer, and the case's documents as Word and PDF.

use std::fmt::Write as _;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::form_pages::standing;
use super::html::{self, Esc};
use super::session::CheckedForm;
use super::{PageError, see_other};
use crate::assemble::DocumentKind;
use crate::calendar::Timetable;
use crate::forms::CaseRole;
use crate::http::AppState;
use crate::http::audit::{Auditor, audited};
use crate::http::auth::{Action, Principal};
use crate::http::extract::{WantFormat, WantMarking};
use crate::http::params::{self, DocumentRef, OpenCase};
use crate::http::problem::Problem;
use crate::store::{AgencyAsked, Draft, Role, Submission};

/// The timetable as a table: each step, its due date, when it was done, where it stands.
pub fn timetable_table(out: &mut String, timetable: &Timetable) {
    out.push_str("<h2 class=\"govuk-heading-m\">Timetable</h2><table class=\"govuk-table\"><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Step</th><th scope=\"col\" class=\"govuk-table__header\">Due</th><th scope=\"col\" class=\"govuk-table__header\">Done</th><th scope=\"col\" class=\"govuk-table__header\">Status</th></tr></thead><tbody class=\"govuk-table__body\">");
    let day = |d: Option<chrono::NaiveDate>| d.map_or_else(String::new, crate::dates::short);
    for step in &timetable.steps {
        let _ = write!(
            out,
            "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">{}<details class=\"govuk-details govuk-!-margin-bottom-0\"><summary class=\"govuk-details__summary\"><span class=\"govuk-details__summary-text\">Source</span></summary><div class=\"govuk-details__text\">{}</div></details></td><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}</td></tr>",
            Esc(&step.title),
            Esc(&step.source),
            Esc(&day(step.due)),
            Esc(&day(step.done)),
            Esc(&step.status.to_string()),
        );
    }
    out.push_str("</tbody></table>");
}

/// The agencies asked, each with where its return stands, and the form to ask another.
pub fn agencies_section(
    out: &mut String,
    state: &AppState,
    case: &str,
    asked: &[AgencyAsked],
    submissions: &[Submission],
    drafts: &[Draft],
    csrf: &str,
) {
    out.push_str("<h2 class=\"govuk-heading-m\">Agencies asked</h2>");
    let returns: Vec<&crate::forms::Form> =
        state.registry.with_role(CaseRole::AgencyReturn).collect();
    if asked.is_empty() {
        out.push_str("<p class=\"govuk-body\">No agency has been asked yet.</p>");
    } else {
        out.push_str("<table class=\"govuk-table\"><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Agency</th><th scope=\"col\" class=\"govuk-table__header\">Asked</th>");
        for form in &returns {
            let _ = write!(
                out,
                "<th scope=\"col\" class=\"govuk-table__header\">{}</th>",
                Esc(form.title())
            );
        }
        out.push_str("</tr></thead><tbody class=\"govuk-table__body\">");
        for agency in asked {
            let _ = write!(
                out,
                "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}</td>",
                Esc(&agency.name),
                Esc(&agency.asked_at.chars().take(10).collect::<String>())
            );
            for form in &returns {
                let latest = submissions
                    .iter()
                    .filter(|s| s.form == form.id() && s.agency.as_deref() == Some(&agency.id))
                    .max_by_key(|s| s.version);
                let draft = drafts
                    .iter()
                    .find(|d| d.form == form.id() && d.owner == agency.id);
                let version = latest.map(|s| format!(" (version {})", s.version));
                let _ = write!(
                    out,
                    "<td class=\"govuk-table__cell\">{}{}</td>",
                    standing(latest, draft).tag(),
                    Esc(&version.unwrap_or_default())
                );
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
    }
    let _ = write!(
        out,
        "<details class=\"govuk-details\"><summary class=\"govuk-details__summary\"><span class=\"govuk-details__summary-text\">Ask another agency</span></summary><div class=\"govuk-details__text\"><form method=\"post\" action=\"/case/{}/agencies\" novalidate>{}",
        Esc(case),
        html::csrf_field(csrf)
    );
    for (id, label, hint) in [
        (
            "agency_id",
            "Agency id",
            Some("Lower-case letters, digits and hyphens, for example kent-police"),
        ),
        ("agency_name", "Agency name", None),
    ] {
        html::text_input(
            out,
            &html::Labelled {
                id,
                name: id,
                label,
                hint,
                error: None,
            },
            "",
            html::InputKind::Text,
        );
    }
    html::button(out, "Ask this agency", "ask", false);
    out.push_str("</form></div></details>");
}

/// The documents the case can produce, each as Word and PDF.
pub fn documents_section(out: &mut String, case: &str, role: Role) {
    out.push_str("<h2 class=\"govuk-heading-m\">Documents</h2><ul class=\"govuk-list\">");
    for kind in DocumentKind::ALL {
        if role == Role::Reviewer && !kind.publication() {
            continue;
        }
        let _ = write!(
            out,
            "<li>{name}: <a class=\"govuk-link\" href=\"/case/{case}/documents/{slug}?format=docx\" download>Word<span class=\"govuk-visually-hidden\"> {name}</span></a> | <a class=\"govuk-link\" href=\"/case/{case}/documents/{slug}?format=pdf\" download>PDF<span class=\"govuk-visually-hidden\"> {name}</span></a></li>",
            name = Esc(kind.display_name()),
            case = Esc(case),
            slug = kind.slug(),
        );
    }
    out.push_str("</ul><p class=\"govuk-body\">A document needs the forms it is made from: if one has not arrived yet, the link says which.</p>");
}

/// Asks an agency for its returns (the same store write and audit as the API's).
pub async fn ask(
    State(state): State<AppState>,
    principal: Principal,
    auditor: Auditor,
    Path(id): Path<String>,
    CheckedForm(posted): CheckedForm,
) -> Result<Response, PageError> {
    let case = params::open_case(&state, &principal, &id, Action::AskAgencies)
        .await
        .map_err(|problem| PageError::from_problem(&state, problem))?;
    let agency_id = posted
        .one("agency_id")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let agency_name = posted
        .one("agency_name")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let usable = !agency_id.is_empty()
        && agency_id.len() <= 64
        && agency_id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !agency_id.starts_with('-')
        && !agency_name.is_empty();
    if !usable {
        return Err(PageError::new(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Enter the agency's id in lower-case letters, digits and hyphens (like kent-police) and its name, then select Ask this agency.",
        ));
    }
    state
        .store
        .ask_agencies(
            &case.id,
            &[(agency_id, agency_name)],
            &principal.id,
            &auditor.event("ok"),
        )
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    Ok(audited(see_other(&format!("/case/{}", case.id))))
}

/// One of the case's documents, as the API makes it; a refusal (a form not yet arrived) is a
/// page saying so.
pub async fn document(
    State(state): State<AppState>,
    open: Result<OpenCase<params::ReadDocument>, Problem>,
    kind: Result<DocumentRef, Problem>,
    format: Result<WantFormat, Problem>,
    marking: Result<WantMarking, Problem>,
) -> Response {
    let made = match (open, kind, format, marking) {
        (Ok(open), Ok(kind), Ok(format), Ok(marking)) => {
            crate::http::documents::case_document(State(state.clone()), open, kind, format, marking)
                .await
        }
        (Err(problem), ..) | (_, Err(problem), ..) | (.., Err(problem), _) | (.., Err(problem)) => {
            Err(problem)
        }
    };
    match made {
        Ok(response) => response,
        Err(problem) => PageError::from_problem(&state, problem).into_response(),
    }
}
