//! The cases a person may see, and each case's page: the forms the person fills in, where each
//! stands, and its deadline from the case's timetable.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::form_pages::{fills_on_pages, standing};
use super::html::{self, Esc};
use super::session::{CheckedForm, WebUser};
use super::{PageError, page_response, see_other};
use crate::forms::{CaseRole, Form};
use crate::http::AppState;
use crate::http::audit::{Auditor, audited};
use crate::http::auth::{Action, Principal};
use crate::store::{Role, Scope};

/// The scope of cases a principal sees.
fn scope(principal: &Principal) -> Scope<'_> {
    match principal.role {
        Role::Agency => Scope::Agency(principal.agency.as_deref().unwrap_or("\u{0}")),
        Role::Reviewer => Scope::Reviewer(&principal.id),
        _ => Scope::All,
    }
}

/// The home page: the person's cases (for the partnership, every case with its status).
pub async fn home(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    if principal.role == Role::Partnership {
        return partnership_home(&state, &user, &query).await;
    }
    let person = user.person();
    let mut main = String::new();
    let _ = write!(
        main,
        "<h1 class=\"govuk-heading-l\">Your cases</h1><p class=\"govuk-body\">Signed in as {}{}.</p>",
        Esc(&person.name),
        person
            .agency_name
            .as_ref()
            .map(|a| format!(", {}", Esc(a)))
            .unwrap_or_default()
    );
    if principal.role == Role::Admin {
        // Administrators read no case: their home is the tokens and people.
        return Ok(see_other("/admin"));
    }
    let cases = state
        .store
        .list_cases(scope(&principal))
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    if cases.is_empty() {
        main.push_str("<p class=\"govuk-body\">There are no cases for you yet. When the partnership team asks for your part in a case, it will appear here.</p>");
    } else {
        main.push_str("<table class=\"govuk-table\"><caption class=\"govuk-table__caption govuk-visually-hidden\">Your cases</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Case</th><th scope=\"col\" class=\"govuk-table__header\">Opened</th></tr></thead><tbody class=\"govuk-table__body\">");
        for summary in &cases {
            let _ = write!(
                main,
                "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/case/{id}\">{id}</a></td><td class=\"govuk-table__cell\">{}</td></tr>",
                Esc(&summary.case.created_at.chars().take(10).collect::<String>()),
                id = Esc(&summary.case.id),
            );
        }
        main.push_str("</tbody></table>");
    }
    if principal.role == Role::Agency {
        main.push_str("<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/action-plan\">Your agency's actions on the learning of reviews</a></p>");
    }
    if principal.role == Role::Reviewer {
        // A draft can be checked before it belongs to a case (patterns only).
        super::report_check::upload_form(&mut main, "/report-check", &user.csrf);
    }
    Ok(page_response(
        StatusCode::OK,
        html::page(&user.chrome(&state, None), "Your cases", false, &main),
    ))
}

/// The partnership's home page: the list of every case, overdue first.
async fn partnership_home(
    state: &AppState,
    user: &WebUser,
    query: &HashMap<String, String>,
) -> Result<Response, PageError> {
    let overviews = state
        .store
        .case_overviews(Scope::All)
        .await
        .map_err(|e| PageError::from_store(state, e))?;
    let today = chrono::Utc::now().date_naive();
    let cases = super::case_list::listed(&state.registry, &state.calendar, overviews, today);
    let mut main = String::from(
        "<h1 class=\"govuk-heading-l\">Cases</h1><div class=\"govuk-button-group\"><a class=\"govuk-button\" data-module=\"govuk-button\" href=\"/new-case\">Notify a serious incident</a><a class=\"govuk-link\" href=\"/people\">People and sign-in links</a><a class=\"govuk-link\" href=\"/action-plan\">Action plan</a><a class=\"govuk-link\" href=\"/reports\">Reports</a></div>",
    );
    main.push_str(&super::case_list::render(
        &cases,
        &super::case_list::Filter::from_query(query),
    ));
    Ok(page_response(
        StatusCode::OK,
        html::page(&user.chrome(state, None), "Cases", false, &main),
    ))
}

/// A case's page: the person's forms on it.
pub async fn case_page(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let case = crate::http::params::open_case(&state, &principal, &id, Action::ReadCase)
        .await
        .map_err(|problem| PageError::from_problem(&state, problem))?;
    let agency = match principal.role {
        Role::Agency => principal.agency.as_deref(),
        _ => None,
    };
    let submissions = state
        .store
        .submissions(&case.id, agency)
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    let asked = state
        .store
        .agencies(&case.id)
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    let drafts = state
        .store
        .drafts(&case.id)
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    let all = state
        .store
        .submissions(&case.id, None)
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    let invited = if principal.role == Role::Partnership {
        state
            .store
            .invitations()
            .await
            .map_err(|e| PageError::from_store(&state, e))?
    } else {
        Vec::new()
    };
    let file = crate::http::progress::case_file(&state.registry, &asked, &all);
    let timetable = file
        .timetable(
            &state.calendar,
            chrono::Utc::now().date_naive(),
            case.aware_date,
        )
        .ok();
    let mut main = String::new();
    let _ = write!(
        main,
        "<span class=\"govuk-caption-l\">Case</span><h1 class=\"govuk-heading-l\">{}</h1>",
        Esc(&case.id)
    );
    // The partnership sees where the case stands first: the clock and the returns.
    if principal.role == Role::Partnership {
        if let Some(timetable) = &timetable {
            super::partnership::timetable_table(&mut main, timetable);
        }
        super::partnership::agencies_section(
            &mut main,
            &state,
            &super::partnership::CaseParts {
                case: &case.id,
                asked: &asked,
                submissions: &all,
                drafts: &drafts,
                invited: &invited,
                csrf: &user.csrf,
            },
        );
        let assigned = state
            .store
            .reviewers(&case.id)
            .await
            .map_err(|e| PageError::from_store(&state, e))?;
        super::partnership::reviewers_section(&mut main, &case.id, &assigned, &invited, &user.csrf);
    }
    main.push_str("<h2 class=\"govuk-heading-m\">Your forms</h2>");
    let forms: Vec<&Form> = state
        .registry
        .forms()
        .filter(|form| fills_on_pages(principal.role, form))
        .filter(|form| {
            form.case_role() != CaseRole::Notification || principal.role == Role::Partnership
        })
        .collect();
    if forms.is_empty() {
        main.push_str(
            "<p class=\"govuk-body\">There is nothing for you to fill in on this case.</p>",
        );
    }
    let owner = agency.unwrap_or_default();
    for form in forms {
        let latest = submissions
            .iter()
            .filter(|s| s.form == form.id() && s.agency.as_deref().unwrap_or_default() == owner)
            .max_by_key(|s| s.version);
        let draft = drafts
            .iter()
            .find(|d| d.form == form.id() && d.owner == owner);
        let state_tag = standing(latest, draft).tag();
        let due = timetable.as_ref().and_then(|t| {
            let given = form.annotations().events_given();
            let rule = state
                .calendar
                .rules()
                .iter()
                .find(|rule| rule.done_by.is_some_and(|e| given.contains(&e)))?;
            t.steps.iter().find(|s| s.rule == rule.id)?.due
        });
        let base = format!("/case/{}/form/{}", Esc(&case.id), Esc(form.id()));
        let _ = write!(
            main,
            "<div class=\"govuk-summary-card\"><div class=\"govuk-summary-card__title-wrapper\"><h3 class=\"govuk-summary-card__title\">{}</h3></div><div class=\"govuk-summary-card__content\"><dl class=\"govuk-summary-list\">\
<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Status</dt><dd class=\"govuk-summary-list__value\">{state_tag}</dd></div>\
<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Due</dt><dd class=\"govuk-summary-list__value\">{}</dd></div></dl>\
<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"{base}\">Fill in online<span class=\"govuk-visually-hidden\"> the {}</span></a></p>\
<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"{base}/word\" download>Download the Word form<span class=\"govuk-visually-hidden\"> for the {}</span></a></p>\
<form method=\"post\" action=\"{base}/word\" enctype=\"multipart/form-data\" novalidate>{}\
<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"upload-{}\">Or upload the filled Word form</label>\
<input class=\"govuk-file-upload\" id=\"upload-{}\" name=\"file\" type=\"file\" accept=\".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document\"></div>\
<button type=\"submit\" class=\"govuk-button govuk-button--secondary\" data-module=\"govuk-button\">Upload<span class=\"govuk-visually-hidden\"> the {}</span></button></form></div></div>",
            Esc(form.title()),
            due.map_or_else(
                || "No date yet".to_owned(),
                |d| Esc(&crate::dates::long(d)).to_string()
            ),
            Esc(form.title()),
            Esc(form.title()),
            html::csrf_field(&user.csrf),
            Esc(form.id()),
            Esc(form.id()),
            Esc(form.title()),
        );
    }
    match principal.role {
        Role::Partnership => {
            super::partnership::documents_section(&mut main, &case.id, principal.role, &file);
            super::report_check::upload_form(
                &mut main,
                &format!("/case/{}/report-check", case.id),
                &user.csrf,
            );
            super::partnership::versions_section(&mut main, &state, &all);
            let entries = state
                .store
                .audit_log(&case.id)
                .await
                .map_err(|e| PageError::from_store(&state, e))?;
            super::partnership::audit_section(&mut main, &case.id, &entries, &invited);
        }
        Role::Reviewer => {
            super::partnership::documents_section(&mut main, &case.id, principal.role, &file);
            super::report_check::upload_form(
                &mut main,
                &format!("/case/{}/report-check", case.id),
                &user.csrf,
            );
        }
        _ => {}
    }
    Ok(page_response(
        StatusCode::OK,
        html::page(&user.chrome(&state, Some("/")), &case.id, false, &main),
    ))
}

/// The first step of a new case: its reference, before the notification's pages.
pub async fn new_case(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
) -> Result<Response, PageError> {
    new_case_page(&state, &user, &principal, "", None)
}

fn new_case_page(
    state: &AppState,
    user: &WebUser,
    principal: &Principal,
    typed: &str,
    error: Option<&str>,
) -> Result<Response, PageError> {
    if principal.role != Role::Partnership {
        return Err(PageError::new(
            state,
            StatusCode::FORBIDDEN,
            "Only the partnership team opens cases.",
        ));
    }
    let mut main =
        String::from("<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    if let Some(error) = error {
        html::error_summary(
            &mut main,
            &[html::ErrorLink {
                message: error.to_owned(),
                href: "#case-reference".to_owned(),
            }],
        );
    }
    let _ = write!(
        main,
        "<h1 class=\"govuk-heading-l\">Notify a serious incident</h1><form method=\"post\" action=\"/new-case\" novalidate>{}",
        html::csrf_field(&user.csrf)
    );
    html::text_input(
        &mut main,
        &html::Labelled {
            id: "case-reference",
            name: "case_reference",
            label: "Case reference",
            hint: Some(
                "The partnership's reference for the case, for example KSCP-2026-014. Use letters, digits and hyphens.",
            ),
            error,
        },
        typed,
        html::InputKind::Text,
    );
    html::button(&mut main, "Continue", "continue", false);
    let _ = write!(
        main,
        "</form><h2 class=\"govuk-heading-m\">Or upload a notification</h2>\
<form method=\"post\" action=\"/new-case/upload\" enctype=\"multipart/form-data\" novalidate>{}\
<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"notification-file\">A filled notification: the Word form or a JSON file</label>\
<div id=\"notification-file-hint\" class=\"govuk-hint\">The case opens with the reference the notification gives. The Word form is on the notification's pages once you continue above.</div>\
<input class=\"govuk-file-upload\" id=\"notification-file\" name=\"file\" type=\"file\" aria-describedby=\"notification-file-hint\" accept=\".docx,.json,application/json,application/vnd.openxmlformats-officedocument.wordprocessingml.document\"></div>",
        html::csrf_field(&user.csrf)
    );
    html::button(&mut main, "Upload and open the case", "upload", true);
    main.push_str("</form></div></div>");
    Ok(page_response(
        if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        html::page(
            &user.chrome(state, Some("/")),
            "Notify a serious incident",
            error.is_some(),
            &main,
        ),
    ))
}

/// Takes the new case's reference and goes to its notification's pages.
pub async fn start_case(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    CheckedForm(posted): CheckedForm,
) -> Result<Response, PageError> {
    let typed = posted
        .one("case_reference")
        .unwrap_or_default()
        .trim()
        .to_owned();
    if !crate::http::params::is_case_reference(&typed) {
        return new_case_page(
            &state,
            &user,
            &principal,
            &typed,
            Some("Enter a case reference of letters, digits and hyphens, like KSCP-2026-014"),
        );
    }
    if state
        .store
        .case(&typed)
        .await
        .map_err(|e| PageError::from_store(&state, e))?
        .is_some()
    {
        return new_case_page(
            &state,
            &user,
            &principal,
            &typed,
            Some("There is already a case with this reference: enter a new one"),
        );
    }
    let Some(form) = state.registry.with_role(CaseRole::Notification).next() else {
        return Err(PageError::new(
            &state,
            StatusCode::NOT_FOUND,
            "No notification form is set up.",
        ));
    };
    Ok(see_other(&format!("/case/{typed}/form/{}", form.id())))
}

/// Opens a case from an uploaded notification (the Word form or JSON), through the same path
/// as the API's `POST /cases`; the case page then shows it, with anything to put right.
pub async fn upload_notification(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    auditor: Auditor,
    request: Request,
) -> Result<Response, PageError> {
    if principal.role != Role::Partnership {
        return Err(PageError::new(
            &state,
            StatusCode::FORBIDDEN,
            "Only the partnership team opens cases.",
        ));
    }
    let bytes = super::session::read_upload(
        &state,
        &user,
        request,
        "the filled notification (a Word or JSON file)",
        "Upload and open the case",
    )
    .await?;
    let body = if bytes.starts_with(b"PK") {
        crate::http::cases::read_word_form(&state, bytes)
            .await
            .map_err(|problem| PageError::from_problem(&state, problem))?
    } else {
        crate::validate::input::parse(&bytes).map_err(|error| {
            PageError::new(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{error} (A notification is uploaded as its Word form or as JSON.)"),
            )
        })?
    };
    let (stored, _) =
        crate::http::cases::open_with_notification(&state, &principal, &auditor, body)
            .await
            .map_err(|problem| PageError::from_problem(&state, problem))?;
    Ok(audited(see_other(&format!(
        "/case/{}",
        stored.submission.case
    ))))
}
