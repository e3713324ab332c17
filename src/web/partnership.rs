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
use crate::case_file::CaseFile;
use crate::forms::CaseRole;
use crate::http::AppState;
use crate::http::audit::{Auditor, audited};
use crate::http::auth::{Action, Principal};
use crate::http::extract::{WantFormat, WantMarking};
use crate::http::params::{self, DocumentRef, OpenCase};
use crate::http::problem::Problem;
use crate::store::{AgencyAsked, AuditEntry, Draft, Invitation, Role, Submission};

/// The timetable as a table: each step, its due date, when it was done, where it stands.
pub fn timetable_table(out: &mut String, timetable: &Timetable) {
    out.push_str("<h2 class=\"govuk-heading-m\">Timetable</h2><table class=\"govuk-table\"><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Step</th><th scope=\"col\" class=\"govuk-table__header\">Due</th><th scope=\"col\" class=\"govuk-table__header\">Done</th><th scope=\"col\" class=\"govuk-table__header\">Status</th></tr></thead><tbody class=\"govuk-table__body\">");
    let day = |d: Option<chrono::NaiveDate>| d.map_or_else(String::new, crate::dates::short);
    let late: Vec<&str> = timetable.late().map(|step| step.rule.as_str()).collect();
    for step in &timetable.steps {
        let _ = write!(
            out,
            "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">{}<details class=\"govuk-details govuk-!-margin-bottom-0\"><summary class=\"govuk-details__summary\"><span class=\"govuk-details__summary-text\">Source</span></summary><div class=\"govuk-details__text\">{}</div></details></td><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}",
            Esc(&step.title),
            Esc(&step.source),
            Esc(&day(step.due)),
            Esc(&day(step.done)),
            Esc(&step.status.to_string()),
        );
        // A late step's reason is what the Panel and the yearly report ask for, so the team
        // sees at once whether the forms give one.
        if late.contains(&step.rule.as_str()) {
            match timetable.late_reason(&step.rule) {
                Some(reason) => {
                    let _ = write!(
                        out,
                        "<p class=\"govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0\">Why: {}</p>",
                        Esc(reason)
                    );
                }
                None => out.push_str("<p class=\"govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0\">No reason recorded yet</p>"),
            }
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
    if !timetable.notes.is_empty() {
        out.push_str("<div class=\"govuk-inset-text\"><h3 class=\"govuk-heading-s\">About these dates</h3><ul class=\"govuk-list govuk-list--bullet\">");
        for note in &timetable.notes {
            let _ = write!(out, "<li>{}</li>", Esc(note));
        }
        out.push_str("</ul></div>");
    }
}

/// What the partnership's part of a case page is made from.
#[derive(Debug, Clone, Copy)]
pub struct CaseParts<'a> {
    /// The case reference.
    pub case: &'a str,
    /// The agencies asked.
    pub asked: &'a [AgencyAsked],
    /// Every version of every form received.
    pub submissions: &'a [Submission],
    /// The drafts kept on the pages.
    pub drafts: &'a [Draft],
    /// The people the partnership has invited.
    pub invited: &'a [Invitation],
    /// The page's CSRF token.
    pub csrf: &'a str,
}

/// The agencies asked, each with where its return stands, and the form to ask another.
pub fn agencies_section(out: &mut String, state: &AppState, parts: &CaseParts<'_>) {
    let CaseParts {
        case,
        asked,
        submissions,
        drafts,
        invited,
        csrf,
    } = *parts;
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
        out.push_str("<th scope=\"col\" class=\"govuk-table__header\"><span class=\"govuk-visually-hidden\">People</span></th></tr></thead><tbody class=\"govuk-table__body\">");
        for agency in asked {
            let _ = write!(
                out,
                "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}<br><span class=\"govuk-body-s\">by {}</span></td>",
                Esc(&agency.name),
                Esc(&crate::dates::england_day(&agency.asked_at)
                    .map_or_else(String::new, crate::dates::short)),
                Esc(&who(invited, &agency.asked_by))
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
            let _ = write!(
                out,
                "<td class=\"govuk-table__cell\"><a class=\"govuk-link\" id=\"invite-{id}\" href=\"/people?agency_id={query_id}&amp;agency_name={query_name}#name\">Invite someone<span class=\"govuk-visually-hidden\"> from {name}</span></a></td></tr>",
                id = Esc(&agency.id),
                query_id = Esc(&super::case_list::encode(&agency.id)),
                query_name = Esc(&super::case_list::encode(&agency.name)),
                name = Esc(&agency.name),
            );
        }
        out.push_str("</tbody></table>");
    }
    let _ = write!(
        out,
        "<details class=\"govuk-details\"><summary class=\"govuk-details__summary\"><span class=\"govuk-details__summary-text\">Ask another agency</span></summary><div class=\"govuk-details__text\"><form method=\"post\" action=\"/case/{}/agencies\" novalidate>{}",
        Esc(case),
        html::csrf_field(csrf)
    );
    let known = known_agencies(invited, asked);
    if !known.is_empty() {
        let items: Vec<html::Choice<'_>> = known
            .iter()
            .map(|(id, name)| html::Choice {
                value: id,
                label: name,
                checked: false,
                reveal: None,
            })
            .collect();
        html::select_with_first(
            out,
            &html::Labelled {
                id: "known_agency",
                name: "known_agency",
                label: "An agency whose people the partnership has invited",
                hint: Some("Or type another agency's id and name below."),
                error: None,
            },
            &items,
            "Choose",
        );
    }
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

/// Who a principal is, in words: an invited person's name, or a machine token's role and id.
pub(crate) fn who(invited: &[Invitation], principal: &str) -> String {
    name_of(invited, principal).map_or_else(|| format!("token {principal}"), str::to_owned)
}

/// The name of the invited person a principal id stands for, if it stands for one.
fn name_of<'a>(invited: &'a [Invitation], principal: &str) -> Option<&'a str> {
    invited
        .iter()
        .find(|i| crate::web::session::principal_id(&i.person) == principal)
        .map(|i| i.person.name.as_str())
}

/// The agencies of the people the partnership has invited (the list it keeps), by id, without
/// those already asked on this case.
fn known_agencies(invited: &[Invitation], asked: &[AgencyAsked]) -> Vec<(String, String)> {
    let mut known: Vec<(String, String)> = invited
        .iter()
        .filter_map(|i| Some((i.person.agency.clone()?, i.person.agency_name.clone()?)))
        .filter(|(id, _)| !asked.iter().any(|a| &a.id == id))
        .collect();
    known.sort();
    known.dedup_by(|a, b| a.0 == b.0);
    known
}

/// The reviewers assigned to the case, and the form to assign one of the reviewers the
/// partnership has invited.
pub fn reviewers_section(
    out: &mut String,
    case: &str,
    assigned: &[String],
    invited: &[Invitation],
    csrf: &str,
) {
    out.push_str("<h2 class=\"govuk-heading-m\">Independent reviewer</h2>");
    let name_of = |id: &str| who(invited, id);
    if assigned.is_empty() {
        out.push_str("<p class=\"govuk-body\" id=\"reviewers\">No reviewer is assigned yet.</p>");
    } else {
        out.push_str("<ul class=\"govuk-list\" id=\"reviewers\">");
        for id in assigned {
            let _ = write!(out, "<li>{}</li>", Esc(&name_of(id)));
        }
        out.push_str("</ul>");
    }
    let choices: Vec<(String, String)> = invited
        .iter()
        .filter(|i| i.person.role == Role::Reviewer)
        .map(|i| {
            (
                crate::web::session::principal_id(&i.person),
                format!("{} ({})", i.person.name, i.person.email),
            )
        })
        .filter(|(id, _)| !assigned.contains(id))
        .collect();
    if choices.is_empty() {
        out.push_str("<p class=\"govuk-body\">To assign a reviewer, first <a class=\"govuk-link\" href=\"/people\">invite them</a> as an independent reviewer.</p>");
        return;
    }
    let _ = write!(
        out,
        "<form method=\"post\" action=\"/case/{}/reviewer\" novalidate>{}",
        Esc(case),
        html::csrf_field(csrf)
    );
    let items: Vec<html::Choice<'_>> = choices
        .iter()
        .map(|(id, label)| html::Choice {
            value: id,
            label,
            checked: false,
            reveal: None,
        })
        .collect();
    html::select(
        out,
        &html::Labelled {
            id: "reviewer",
            name: "reviewer",
            label: "Assign a reviewer",
            hint: Some("They will see this case and its final report, and no other case."),
            error: None,
        },
        &items,
    );
    html::button(out, "Assign reviewer", "assign", true);
    out.push_str("</form>");
}

/// Every version of every form received, with its validation findings.
pub fn versions_section(out: &mut String, state: &AppState, submissions: &[Submission]) {
    out.push_str("<h2 class=\"govuk-heading-m\">Everything received</h2>");
    if submissions.is_empty() {
        out.push_str("<p class=\"govuk-body\">Nothing has been received yet.</p>");
        return;
    }
    out.push_str("<table class=\"govuk-table\" id=\"versions\"><caption class=\"govuk-table__caption govuk-visually-hidden\">Every version received, newest first</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
    for heading in ["Form", "From", "Version", "Received", "Check"] {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"govuk-table__header\">{heading}</th>"
        );
    }
    out.push_str("</tr></thead><tbody class=\"govuk-table__body\">");
    let mut newest_first: Vec<&Submission> = submissions.iter().collect();
    newest_first.sort_by_key(|s| std::cmp::Reverse(s.id));
    for submission in newest_first {
        let title = state
            .registry
            .get(&submission.form)
            .map_or(submission.form.as_str(), |form| form.title());
        let findings: Vec<&serde_json::Value> = submission
            .report
            .get("findings")
            .and_then(serde_json::Value::as_array)
            .map(|all| all.iter().collect())
            .unwrap_or_default();
        let verdict = match submission.status {
            crate::store::SubmissionStatus::Valid => html::tag("Valid", Some("green")),
            _ => html::tag("Needs changes", Some("red")),
        };
        let mut check = verdict;
        if !findings.is_empty() {
            let _ = write!(
                check,
                "<details class=\"govuk-details govuk-!-margin-bottom-0\"><summary class=\"govuk-details__summary\"><span class=\"govuk-details__summary-text\">{} finding{}</span></summary><div class=\"govuk-details__text\"><ul class=\"govuk-list govuk-list--bullet\">",
                findings.len(),
                if findings.len() == 1 { "" } else { "s" }
            );
            for finding in findings {
                let text = |key: &str| {
                    finding
                        .get(key)
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or_default()
                };
                let _ = write!(
                    check,
                    "<li><strong>{}</strong>: {} <span class=\"govuk-hint\">({})</span></li>",
                    Esc(if text("field").is_empty() {
                        text("pointer")
                    } else {
                        text("field")
                    }),
                    Esc(text("message")),
                    Esc(text("source"))
                );
            }
            check.push_str("</ul></div></details>");
        }
        let _ = write!(
            out,
            "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{check}</td></tr>",
            Esc(title),
            Esc(submission.agency.as_deref().unwrap_or("Partnership")),
            submission.version,
            Esc(&submission
                .created_at
                .replace('T', " ")
                .chars()
                .take(16)
                .collect::<String>()),
        );
    }
    out.push_str("</tbody></table>");
}

/// The most audit entries a case page shows (the API and `audit` give the whole log).
const AUDIT_SHOWN: usize = 200;

/// The case's audit log, newest first: who did what, when, and how it ended.
pub fn audit_section(out: &mut String, case: &str, entries: &[AuditEntry], invited: &[Invitation]) {
    out.push_str("<h2 class=\"govuk-heading-m\">Audit log</h2>");
    let _ = write!(
        out,
        "<details class=\"govuk-details\" id=\"audit\"><summary class=\"govuk-details__summary\"><span class=\"govuk-details__summary-text\">Every access to this case ({} entr{})</span></summary><div class=\"govuk-details__text\">",
        entries.len(),
        if entries.len() == 1 { "y" } else { "ies" }
    );
    if entries.len() > AUDIT_SHOWN {
        let _ = write!(
            out,
            "<p class=\"govuk-body\">The newest {AUDIT_SHOWN} are shown.</p>"
        );
    }
    let _ = write!(
        out,
        "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/case/{}/audit.csv\" download>Download the whole audit log (CSV)</a></p>",
        Esc(case)
    );
    out.push_str("<table class=\"govuk-table\"><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">When (UTC)</th><th scope=\"col\" class=\"govuk-table__header\">Who</th><th scope=\"col\" class=\"govuk-table__header\">What</th><th scope=\"col\" class=\"govuk-table__header\">Outcome</th></tr></thead><tbody class=\"govuk-table__body\">");
    for entry in entries.iter().rev().take(AUDIT_SHOWN) {
        let _ = write!(
            out,
            "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}</td><td class=\"govuk-table__cell\">{}</td></tr>",
            Esc(&when(entry)),
            Esc(&audit_who(invited, entry)),
            Esc(&entry.action),
            Esc(&entry.outcome),
        );
    }
    out.push_str("</tbody></table></div></details>");
}

/// When an audit entry was made, to the second, as the page and the CSV show it (UTC).
fn when(entry: &AuditEntry) -> String {
    entry.at.replace('T', " ").chars().take(19).collect()
}

/// Who made an audit entry: the invited person's name and role, or the role and token id.
fn audit_who(invited: &[Invitation], entry: &AuditEntry) -> String {
    name_of(invited, &entry.principal).map_or_else(
        || format!("{} token {}", entry.role, entry.principal),
        |name| format!("{name} ({})", entry.role),
    )
}

/// The case's whole audit log as CSV (RFC 4180, oldest first, people named as on the page),
/// for the partnership: the page shows the newest entries only.
pub async fn audit_download(
    State(state): State<AppState>,
    open: Result<OpenCase<params::ReadAudit>, Problem>,
) -> Result<Response, PageError> {
    let OpenCase { case, .. } = open.map_err(|problem| PageError::from_problem(&state, problem))?;
    let (entries, invited) =
        tokio::try_join!(state.store.audit_log(&case.id), state.store.invitations())
            .map_err(|e| PageError::from_store(&state, e))?;
    use crate::timeliness::csv::{field, text_field};
    let mut text = String::from("When (UTC),Who,Role,Agency,What,Outcome,Detail\r\n");
    for entry in &entries {
        let row = [
            field(&when(entry)),
            text_field(
                &name_of(&invited, &entry.principal)
                    .map_or_else(|| format!("token {}", entry.principal), str::to_owned),
            ),
            field(&entry.role),
            text_field(&entry.agency),
            field(&entry.action),
            field(&entry.outcome),
            text_field(&entry.detail),
        ];
        text.push_str(&row.join(","));
        text.push_str("\r\n");
    }
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}-audit-log.csv\"", case.id),
            ),
        ],
        text,
    )
        .into_response())
}

/// Assigns one of the invited reviewers to the case (the same store write and audit as the
/// API's).
pub async fn assign_reviewer(
    State(state): State<AppState>,
    principal: Principal,
    auditor: Auditor,
    Path(id): Path<String>,
    CheckedForm(posted): CheckedForm,
) -> Result<Response, PageError> {
    let case = params::open_case(&state, &principal, &id, Action::AssignReviewer)
        .await
        .map_err(|problem| PageError::from_problem(&state, problem))?;
    let chosen = posted.one("reviewer").unwrap_or_default().trim().to_owned();
    let invited = state
        .store
        .invitations()
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    let known = invited.iter().any(|i| {
        i.person.role == Role::Reviewer && crate::web::session::principal_id(&i.person) == chosen
    });
    if !known {
        return Err(PageError::new(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose one of the reviewers the partnership has invited, then select Assign reviewer.",
        ));
    }
    state
        .store
        .assign_reviewer(&case.id, &chosen, &principal.id, &auditor.event("ok"))
        .await
        .map_err(|e| PageError::from_store(&state, e))?;
    Ok(audited(see_other(&format!("/case/{}#reviewers", case.id))))
}

/// The documents the case can produce now, each as Word and PDF (a publication with its
/// marking chosen first), and for each that cannot be made yet, which form it is waiting for.
pub fn documents_section(out: &mut String, case: &str, role: Role, file: &CaseFile<'_>) {
    out.push_str(
        "<h2 class=\"govuk-heading-m\">Documents</h2><ul class=\"govuk-list\" id=\"documents\">",
    );
    for kind in DocumentKind::ALL {
        if role == Role::Reviewer && !kind.publication() {
            continue;
        }
        let name = Esc(kind.display_name());
        let waiting: Vec<&str> = kind
            .needs()
            .iter()
            .filter(|needed| file.one(**needed).is_none())
            .map(|needed| file.title_of(*needed))
            .collect();
        if !waiting.is_empty() {
            let _ = write!(
                out,
                "<li id=\"document-{slug}\">{name}: not yet. It waits for {}, not yet received.</li>",
                Esc(&waiting.join(" and ")),
                slug = kind.slug(),
            );
            continue;
        }
        if kind.publication() {
            let _ = write!(
                out,
                "<li id=\"document-{slug}\"><form method=\"get\" action=\"/case/{case}/documents/{slug}\" novalidate>\
<div class=\"govuk-form-group\"><fieldset class=\"govuk-fieldset\"><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">{name}: its marking</legend>\
<div class=\"govuk-radios govuk-radios--small\" data-module=\"govuk-radios\">\
<div class=\"govuk-radios__item\"><input class=\"govuk-radios__input\" id=\"{slug}-marking\" name=\"marking\" type=\"radio\" value=\"official-sensitive\" checked><label class=\"govuk-label govuk-radios__label\" for=\"{slug}-marking\">OFFICIAL-SENSITIVE (a draft, before it is cleared)</label></div>\
<div class=\"govuk-radios__item\"><input class=\"govuk-radios__input\" id=\"{slug}-marking-2\" name=\"marking\" type=\"radio\" value=\"official\"><label class=\"govuk-label govuk-radios__label\" for=\"{slug}-marking-2\">OFFICIAL (cleared for publication)</label></div>\
</div></fieldset></div><div class=\"govuk-button-group\">\
<button type=\"submit\" name=\"format\" value=\"docx\" class=\"govuk-button govuk-button--secondary\" data-module=\"govuk-button\">Word<span class=\"govuk-visually-hidden\"> {name}</span></button>\
<button type=\"submit\" name=\"format\" value=\"pdf\" class=\"govuk-button govuk-button--secondary\" data-module=\"govuk-button\">PDF<span class=\"govuk-visually-hidden\"> {name}</span></button></div></form></li>",
                case = Esc(case),
                slug = kind.slug(),
            );
        } else {
            let _ = write!(
                out,
                "<li id=\"document-{slug}\">{name}: <a class=\"govuk-link\" href=\"/case/{case}/documents/{slug}?format=docx\" download>Word<span class=\"govuk-visually-hidden\"> {name}</span></a> | <a class=\"govuk-link\" href=\"/case/{case}/documents/{slug}?format=pdf\" download>PDF<span class=\"govuk-visually-hidden\"> {name}</span></a></li>",
                case = Esc(case),
                slug = kind.slug(),
            );
        }
    }
    out.push_str("</ul>");
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
    let mut agency_id = posted
        .one("agency_id")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let mut agency_name = posted
        .one("agency_name")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let chosen = posted.one("known_agency").unwrap_or_default().trim();
    if !chosen.is_empty() && agency_id.is_empty() {
        let invited = state
            .store
            .invitations()
            .await
            .map_err(|e| PageError::from_store(&state, e))?;
        if let Some((id, name)) = known_agencies(&invited, &[])
            .into_iter()
            .find(|(id, _)| id == chosen)
        {
            (agency_id, agency_name) = (id, name);
        }
    }
    let usable = params::is_agency_id(&agency_id) && !agency_name.is_empty();
    if !usable {
        return Err(PageError::new(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose an agency, or enter the agency's id in lower-case letters, digits and hyphens (like kent-police) and its name, then select Ask this agency.",
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
