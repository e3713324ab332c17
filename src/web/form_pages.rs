//! A form as pages: its task list, one page per section, check your answers, send, and the
//! confirmation; the fillable Word form to download and upload instead. Everything here works
//! for any form from its schema: the sections come from `x-sections`, the inputs from the
//! schema index, the errors from the same validator as the API.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::fields::{self, Fields, Shown, field_id};
use super::html::{self, Chrome, ErrorLink, Esc, Row};
use super::session::{CheckedForm, WebUser};
use super::{PageError, messages, page_response, see_other};
use crate::forms::schema_index::{FieldNode, escape_segment, lookup};
use crate::forms::{CaseRole, Form};
use crate::http::AppState;
use crate::http::audit::{Auditor, audited};
use crate::http::auth::{Action, Principal};
use crate::http::cases::{open_with_notification, read_word_form, store_submission};
use crate::store::{Case, Draft, Role, Submission, SubmissionStatus};
use crate::validate::{Finding, Report, Severity, validate_form};
use crate::wordforms::CasePrefill;

/// One person's form on one case, loaded and authorised.
pub struct FormContext<'s> {
    state: &'s AppState,
    /// Who.
    pub principal: Principal,
    /// The case reference.
    pub case_id: String,
    /// The case, unless this is the notification that will open it.
    pub case: Option<Case>,
    /// The form.
    pub form: &'s Form,
    /// Whose draft: the agency's id, or '' for the partnership's and reviewers' forms.
    pub owner: String,
    /// The agency filling it in, when it is an agency return.
    pub agency: Option<(String, String)>,
    /// The latest version sent of this form by this owner.
    pub latest: Option<Submission>,
    /// The draft, if one is saved.
    pub draft: Option<Draft>,
}

/// Where a form stands for its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Nothing saved or sent.
    NotStarted,
    /// Saved, not sent.
    Draft,
    /// Sent and valid.
    Sent,
    /// Sent (or uploaded) with errors to put right.
    NeedsChanges,
}

impl Standing {
    /// The words and tag colour a page shows.
    pub fn tag(self) -> String {
        match self {
            Standing::NotStarted => html::tag("Not started", Some("grey")),
            Standing::Draft => html::tag("Draft", Some("light-blue")),
            Standing::Sent => html::tag("Sent", Some("green")),
            Standing::NeedsChanges => html::tag("Needs changes", Some("red")),
        }
    }
}

impl<'s> FormContext<'s> {
    /// Loads a form of a case for the signed-in person: 404 when the person may not fill it
    /// in (another agency's case, a form their role does not send), as the API does.
    pub async fn load(
        state: &'s AppState,
        principal: Principal,
        case_id: &str,
        form_id: &str,
    ) -> Result<Self, PageError> {
        let not_found =
            || PageError::from_problem(state, crate::http::problem::Problem::not_found(""));
        let form = state.registry.get(form_id).ok_or_else(not_found)?;
        if !fills_on_pages(principal.role, form) {
            return Err(not_found());
        }
        let case = match crate::http::params::open_case(state, &principal, case_id, Action::Submit)
            .await
        {
            Ok(case) => Some(case),
            Err(problem)
                if problem.status() == StatusCode::NOT_FOUND
                    && principal.role == Role::Partnership
                    && form.case_role() == CaseRole::Notification
                    && crate::http::params::is_case_reference(case_id) =>
            {
                None
            }
            Err(problem) => return Err(PageError::from_problem(state, problem)),
        };
        let (owner, agency) = if form.case_role().per_agency() {
            let id = principal.agency.clone().ok_or_else(not_found)?;
            let asked = state
                .store
                .agencies(case_id)
                .await
                .map_err(|e| PageError::from_store(state, e))?;
            let name = asked
                .into_iter()
                .find(|a| a.id == id)
                .map(|a| a.name)
                .ok_or_else(not_found)?;
            (id.clone(), Some((id, name)))
        } else {
            (String::new(), None)
        };
        // One read of the case's versions of this form (an agency's own only) serves both the
        // notification's once-only rule and the latest version.
        let sent = if case.is_some() {
            let agency = agency.as_ref().map(|a| a.0.as_str());
            state
                .store
                .submissions(case_id, agency)
                .await
                .map_err(|e| PageError::from_store(state, e))?
                .into_iter()
                .filter(|s| s.form == form.id() && s.agency.as_deref() == agency)
                .collect()
        } else {
            Vec::new()
        };
        if form.case_role() == CaseRole::Notification
            && !sent.is_empty()
            && principal.role != Role::Partnership
        {
            // A case is opened by its notification once; later changes go through the API.
            return Err(not_found());
        }
        let latest = sent.into_iter().max_by_key(|s| s.version);
        let draft = state
            .store
            .draft(case_id, form.id(), &owner)
            .await
            .map_err(|e| PageError::from_store(state, e))?;
        Ok(FormContext {
            state,
            principal,
            case_id: case_id.to_owned(),
            case,
            form,
            owner,
            agency,
            latest,
            draft,
        })
    }

    /// Where the form stands.
    pub fn standing(&self) -> Standing {
        standing(self.latest.as_ref(), self.draft.as_ref())
    }

    /// The answers so far: the draft, else the last version sent, else nothing; with what the
    /// case fills in.
    pub fn body(&self) -> Value {
        let mut body = match (&self.draft, &self.latest) {
            (Some(draft), Some(latest)) if draft.updated_at < latest.created_at => {
                latest.body.clone()
            }
            (Some(draft), _) => draft.body.clone(),
            (None, Some(latest)) => latest.body.clone(),
            (None, None) => Value::Object(Map::new()),
        };
        self.fill_fixed(&mut body);
        body
    }

    /// Sets the constants (form id, version) and what the case fills in (reference, agency,
    /// and the pseudonym when none is given).
    fn fill_fixed(&self, body: &mut Value) {
        if !body.is_object() {
            *body = Value::Object(Map::new());
        }
        let Value::Object(map) = body else { return };
        let root = self.form.index().root();
        let mut fixed = Map::new();
        for (name, node) in &root.properties {
            if let Some(constant) = &node.info.constant {
                fixed.insert(name.clone(), constant.clone());
            }
        }
        let prefill = CasePrefill {
            case_reference: Some(self.case_id.clone()),
            pseudonym: None,
            agency: self.agency.clone(),
        }
        .for_form(self.form);
        if let Value::Object(values) = prefill {
            for (name, value) in values {
                // A nested pre-fill (the agency inside the reporting section) goes into what
                // the person wrote there, not over it.
                let mut merged = map.get(&name).cloned().unwrap_or(Value::Null);
                merge(&mut merged, value);
                fixed.insert(name, merged);
            }
        }
        // The constants go first, in the schema's order, as a JSON upload has them.
        let rest: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
        for (name, _) in &root.properties {
            if let Some(value) = fixed.remove(name) {
                map.insert(name.clone(), value);
            } else if let Some((_, value)) = rest.iter().find(|(n, _)| n == name) {
                map.insert(name.clone(), value.clone());
            }
        }
        for (name, value) in rest {
            if !map.contains_key(&name) {
                map.insert(name, value);
            }
        }
    }

    fn base(&self) -> String {
        format!("/case/{}/form/{}", self.case_id, self.form.id())
    }

    fn chrome<'a>(&'a self, user: &'a WebUser, back: Option<&'a str>) -> Chrome<'a> {
        user.chrome(self.state, back)
    }

    /// Saves the answers as the draft, with its audit entry.
    async fn save(&self, auditor: &Auditor, body: &Value) -> Result<(), PageError> {
        let draft = Draft {
            case: self.case_id.clone(),
            form: self.form.id().to_owned(),
            owner: self.owner.clone(),
            body: body.clone(),
            updated_at: crate::store::now(),
            updated_by: self.principal.id.clone(),
        };
        let mut event = auditor.event("draft");
        event.case.clone_from(&self.case_id);
        self.state
            .store
            .save_draft(&draft, &event)
            .await
            .map_err(|e| PageError::from_store(self.state, e))
    }

    fn validate(&self, body: &Value) -> Report {
        validate_form(self.form, body, &self.state.rules)
    }
}

/// Writes `from` into `into`: objects key by key, anything else replaced.
fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(target), Value::Object(source)) => {
            for (key, value) in source {
                merge(target.entry(key).or_insert(Value::Null), value);
            }
        }
        (slot, value) => *slot = value,
    }
}

/// Where a form stands, from its latest version and its draft.
pub fn standing(latest: Option<&Submission>, draft: Option<&Draft>) -> Standing {
    match (latest, draft) {
        (Some(latest), Some(draft)) if draft.updated_at > latest.created_at => Standing::Draft,
        (None, Some(_)) => Standing::Draft,
        (Some(latest), _) if latest.status == SubmissionStatus::Valid => Standing::Sent,
        (Some(_), _) => Standing::NeedsChanges,
        (None, None) => Standing::NotStarted,
    }
}

/// Whether a role fills in a form on the pages: agencies their returns, the partnership the
/// case's own records, reviewers the final report (each as the form's `x-senders` allow).
pub fn fills_on_pages(role: Role, form: &Form) -> bool {
    crate::http::cases::may_submit(role, form)
        && match role {
            Role::Agency => form.case_role().per_agency(),
            _ => !form.case_role().per_agency(),
        }
}

/// The top-level fields that do not apply given the answers: fields required only under an
/// answer (a `then`), whose deciding question has been answered otherwise.
fn not_applicable(form: &Form, body: &Value) -> BTreeSet<String> {
    let root = form.index().root();
    let mut out = BTreeSet::new();
    for (name, _) in &root.properties {
        if root.required.contains(name) {
            continue;
        }
        let deciders: Vec<_> = root
            .reveals
            .iter()
            .filter(|r| r.fields.contains(name))
            .collect();
        if !deciders.is_empty()
            && deciders.iter().all(|r| {
                body.get(&r.field)
                    .is_some_and(|answer| !r.values.contains(answer))
            })
        {
            out.insert(name.clone());
        }
    }
    out
}

/// The sections a person goes through, numbered from 1, with whether each is skipped.
fn sections<'f>(
    form: &'f Form,
    body: &Value,
) -> Vec<(usize, &'f crate::forms::annotations::Section, bool)> {
    let skip = not_applicable(form, body);
    form.annotations()
        .sections
        .iter()
        .enumerate()
        .map(|(n, section)| {
            let skipped = section.fields.iter().all(|f| skip.contains(f));
            (n + 1, section, skipped)
        })
        .collect()
}

/// Whether a finding is about one of `names` (top-level fields).
fn in_section(finding: &Finding, names: &[String]) -> bool {
    let first = finding
        .pointer
        .split('/')
        .nth(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .unwrap_or_default();
    names.contains(&first)
}

/// The section a finding's field is on.
fn section_of(form: &Form, finding: &Finding) -> Option<usize> {
    form.annotations()
        .sections
        .iter()
        .position(|s| in_section(finding, &s.fields))
        .map(|n| n + 1)
}

fn errors_of(report: &Report) -> impl Iterator<Item = &Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
}

/// The task list: the form's sections and where each stands.
pub async fn task_list(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    Path((case_id, form_id)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let ctx = FormContext::load(&state, principal, &case_id, &form_id).await?;
    let body = ctx.body();
    let report = ctx.validate(&body);
    let mut main = String::new();
    if query.saved.is_some() {
        main.push_str("<div class=\"govuk-notification-banner govuk-notification-banner--success\" role=\"alert\" aria-labelledby=\"saved-title\" data-module=\"govuk-notification-banner\"><div class=\"govuk-notification-banner__header\"><h2 class=\"govuk-notification-banner__title\" id=\"saved-title\">Success</h2></div><div class=\"govuk-notification-banner__content\"><p class=\"govuk-notification-banner__heading\">Your answers have been saved. You can come back to them at any time.</p></div></div>");
    }
    let _ = write!(
        main,
        "<span class=\"govuk-caption-l\">Case {}</span><h1 class=\"govuk-heading-l\">{}</h1><p class=\"govuk-body\">{}</p>",
        Esc(&ctx.case_id),
        Esc(ctx.form.title()),
        ctx.standing().tag()
    );
    main.push_str("<ul class=\"govuk-task-list\">");
    let base = ctx.base();
    for (n, section, skipped) in sections(ctx.form, &body) {
        let answered = section.fields.iter().any(|f| body.get(f).is_some());
        let errors = errors_of(&report).any(|f| in_section(f, &section.fields));
        let (status, link) = match (skipped, answered, errors) {
            (true, _, _) => ("<div class=\"govuk-task-list__status govuk-task-list__status--cannot-start-yet\">Not needed</div>".to_owned(), false),
            (false, false, _) => (format!("<div class=\"govuk-task-list__status\">{}</div>", html::tag("Not yet started", Some("blue"))), true),
            (false, true, true) => (format!("<div class=\"govuk-task-list__status\">{}</div>", html::tag("Incomplete", Some("light-blue"))), true),
            (false, true, false) => ("<div class=\"govuk-task-list__status\">Completed</div>".to_owned(), true),
        };
        let name = if link {
            format!(
                "<a class=\"govuk-link govuk-task-list__link\" href=\"{base}/section/{n}\" aria-describedby=\"section-{n}-status\">{}</a>",
                Esc(&section.title)
            )
        } else {
            Esc(&section.title).to_string()
        };
        let _ = write!(
            main,
            "<li class=\"govuk-task-list__item{}\"><div class=\"govuk-task-list__name-and-hint\">{name}</div><div id=\"section-{n}-status\">{status}</div></li>",
            if link {
                " govuk-task-list__item--with-link"
            } else {
                ""
            },
        );
    }
    main.push_str("</ul>");
    let _ = write!(
        main,
        "<a class=\"govuk-button\" data-module=\"govuk-button\" href=\"{base}/check\">Check your answers and send</a>"
    );
    let back = format!("/case/{}", ctx.case_id);
    let chrome = ctx.chrome(&user, Some(&back));
    Ok(page_response(
        StatusCode::OK,
        html::page(&chrome, ctx.form.title(), false, &main),
    ))
}

/// What a page's address may ask for.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    /// Show the section's errors (arriving from an error link).
    errors: Option<String>,
    /// A list given one more blank entry ("Add another").
    add: Option<String>,
    /// Return to check your answers after saving.
    #[serde(rename = "return")]
    back_to: Option<String>,
    /// The draft was just saved.
    saved: Option<String>,
}

/// The messages beside each field, from a report, for the fields of `names`.
fn shown_errors(form: &Form, report: &Report, names: &[String]) -> (Shown, Vec<ErrorLink>) {
    let mut shown = Shown::default();
    let mut links = Vec::new();
    for finding in errors_of(report).filter(|f| in_section(f, names)) {
        let message = messages::for_page(form, finding);
        let anchor = fields::anchor(form, &finding.pointer);
        if !links
            .iter()
            .any(|l: &ErrorLink| l.href == format!("#{anchor}"))
        {
            links.push(ErrorLink {
                message: message.clone(),
                href: format!("#{anchor}"),
            });
        }
        let target = nearest_shown(form, &finding.pointer);
        shown.errors.entry(target).or_insert(message);
    }
    (shown, links)
}

/// The pointer of the field that shows a message about `pointer`: itself when the schema
/// knows it, else its nearest known parent.
fn nearest_shown(form: &Form, pointer: &str) -> String {
    let mut current = pointer.to_owned();
    while form.index().node(&current).is_none() {
        match current.rsplit_once('/') {
            Some((parent, _)) if !parent.is_empty() => current = parent.to_owned(),
            _ => break,
        }
    }
    current
}

fn render_section(
    ctx: &FormContext<'_>,
    user: &WebUser,
    n: usize,
    body: &Value,
    shown: &Shown,
    links: &[ErrorLink],
    back_to_check: bool,
) -> Result<Response, PageError> {
    let section = ctx
        .form
        .annotations()
        .sections
        .get(n.wrapping_sub(1))
        .ok_or_else(|| {
            PageError::from_problem(ctx.state, crate::http::problem::Problem::not_found(""))
        })?;
    let base = ctx.base();
    let mut main = String::with_capacity(16 * 1024);
    main.push_str("<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
    html::error_summary(&mut main, links);
    let _ = write!(
        main,
        "<span class=\"govuk-caption-l\">{}</span><h1 class=\"govuk-heading-l\">{}</h1>\
<form method=\"post\" action=\"{base}/section/{n}\" novalidate>{}",
        Esc(ctx.form.title()),
        Esc(&section.title),
        html::csrf_field(&user.csrf)
    );
    if back_to_check {
        main.push_str("<input type=\"hidden\" name=\"_return\" value=\"check\">");
    }
    Fields { form: ctx.form }.render_section(&mut main, &section.fields, body, shown);
    main.push_str("<div class=\"govuk-button-group\">");
    html::button(&mut main, "Save and continue", "continue", false);
    html::button(&mut main, "Save and come back later", "save", true);
    main.push_str("</div></form></div></div>");
    let chrome = ctx.chrome(user, Some(&base));
    Ok(page_response(
        StatusCode::OK,
        html::page(&chrome, &section.title, !links.is_empty(), &main),
    ))
}

/// A section's page.
pub async fn section(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    Path((case_id, form_id, n)): Path<(String, String, usize)>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let ctx = FormContext::load(&state, principal, &case_id, &form_id).await?;
    let body = ctx.body();
    let names = ctx
        .form
        .annotations()
        .sections
        .get(n.wrapping_sub(1))
        .map(|s| s.fields.clone())
        .unwrap_or_default();
    let (mut shown, links) = if query.errors.is_some() {
        shown_errors(ctx.form, &ctx.validate(&body), &names)
    } else {
        (Shown::default(), Vec::new())
    };
    if let Some(list) = query.add {
        shown.extra.insert(list, 1);
    }
    render_section(
        &ctx,
        &user,
        n,
        &body,
        &shown,
        &links,
        query.back_to.is_some(),
    )
}

/// Saves a section: "Save and continue" checks it and goes on; "Save and come back later"
/// keeps the answers, whatever they are; "Add another" and "Remove" change a list.
pub async fn save_section(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    auditor: Auditor,
    Path((case_id, form_id, n)): Path<(String, String, usize)>,
    CheckedForm(posted): CheckedForm,
) -> Result<Response, PageError> {
    let ctx = FormContext::load(&state, principal, &case_id, &form_id).await?;
    let Some(section) = ctx.form.annotations().sections.get(n.wrapping_sub(1)) else {
        return Err(PageError::from_problem(
            &state,
            crate::http::problem::Problem::not_found(""),
        ));
    };
    let mut body = ctx.body();
    Fields { form: ctx.form }.read_section(&section.fields, &posted, &mut body);
    let action = posted.one("_action").unwrap_or("continue").to_owned();
    if let Some(entry) = action.strip_prefix("remove:") {
        remove_entry(&mut body, entry);
    }
    ctx.fill_fixed(&mut body);
    ctx.save(&auditor, &body).await?;
    let base = ctx.base();
    let back_to_check = posted.one("_return") == Some("check");
    let response = if let Some(list) = action.strip_prefix("add:") {
        let index = lookup(&body, list)
            .and_then(Value::as_array)
            .map_or(1, |v| v.len().max(1));
        see_other(&format!(
            "{base}/section/{n}?add={}#{}",
            percent(list),
            field_id(&format!("{list}/{index}"))
        ))
    } else if let Some(entry) = action.strip_prefix("remove:") {
        let list = entry.rsplit_once('/').map_or(entry, |(l, _)| l);
        see_other(&format!("{base}/section/{n}#{}", field_id(list)))
    } else if action == "save" {
        see_other(&format!("{base}?saved=1"))
    } else {
        let report = ctx.validate(&body);
        let (shown, links) = shown_errors(ctx.form, &report, &section.fields);
        if !links.is_empty() {
            return Ok(audited(render_section(
                &ctx,
                &user,
                n,
                &body,
                &shown,
                &links,
                back_to_check,
            )?));
        }
        let next = sections(ctx.form, &body)
            .into_iter()
            .find(|(m, _, skipped)| *m > n && !skipped)
            .map(|(m, _, _)| m);
        match (back_to_check, next) {
            (false, Some(m)) => see_other(&format!("{base}/section/{m}")),
            _ => see_other(&format!("{base}/check")),
        }
    };
    Ok(audited(response))
}

/// Removes one entry of a list, by its pointer (`/children/1`).
fn remove_entry(body: &mut Value, entry: &str) {
    let Some((list, index)) = entry.rsplit_once('/') else {
        return;
    };
    let Ok(index) = index.parse::<usize>() else {
        return;
    };
    if let Some(Value::Array(items)) = body.pointer_mut(list)
        && index < items.len()
    {
        items.remove(index);
    }
}

/// A pointer made safe for an address's query.
fn percent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'/') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Check your answers: every answer by section, with Change links; the errors still to put
/// right, each linked to its field; the Send button.
pub async fn check(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    Path((case_id, form_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let ctx = FormContext::load(&state, principal, &case_id, &form_id).await?;
    let body = ctx.body();
    let report = ctx.validate(&body);
    check_page(&ctx, &user, &body, &report, StatusCode::OK)
}

fn check_page(
    ctx: &FormContext<'_>,
    user: &WebUser,
    body: &Value,
    report: &Report,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (main, has_errors) = render_check(ctx.form, &ctx.case_id, body, report, &user.csrf);
    let base = ctx.base();
    let chrome = ctx.chrome(user, Some(&base));
    Ok(page_response(
        status,
        html::page(&chrome, "Check your answers", has_errors, &main),
    ))
}

/// The check-your-answers page's content for a form's answers and their report: the error
/// summary, what the case fills in, each section's answers with Change links, and Send.
/// Returns the HTML of `<main>` and whether it shows errors.
pub fn render_check(
    form: &Form,
    case_id: &str,
    body: &Value,
    report: &Report,
    csrf: &str,
) -> (String, bool) {
    let base = format!("/case/{case_id}/form/{}", form.id());
    let root = form.index().root();
    let links: Vec<ErrorLink> = errors_of(report)
        .map(|finding| {
            let anchor = fields::anchor(form, &finding.pointer);
            let first = finding.pointer.split('/').nth(1).unwrap_or_default();
            let on_this_page = root.property(first).is_some_and(|node| {
                fields::widget(form, node, &format!("/{first}")) == fields::Widget::Fixed
                    && node.info.constant.is_none()
            });
            let href = match section_of(form, finding) {
                Some(n) => format!("{base}/section/{n}?errors=1&return=check#{anchor}"),
                None if on_this_page => format!("#{anchor}"),
                // A field the form does not have is on no page: the top of this one.
                None => "#main-content".to_owned(),
            };
            ErrorLink {
                message: messages::for_page(form, finding),
                href,
            }
        })
        .collect();
    let mut main = String::with_capacity(32 * 1024);
    html::error_summary(&mut main, &links);
    let _ = write!(
        main,
        "<span class=\"govuk-caption-l\">Case {}</span><h1 class=\"govuk-heading-l\">Check your answers: {}</h1>",
        Esc(case_id),
        Esc(form.title())
    );
    // What the case fills in: shown, not asked; errors about it link here.
    let index = form.index();
    let mut fixed_rows = Vec::new();
    for (name, node) in &root.properties {
        let pointer = format!("/{}", escape_segment(name));
        if fields::widget(form, node, &pointer) == fields::Widget::Fixed
            && node.info.constant.is_none()
        {
            fixed_rows.push(Row {
                key: index.title(&pointer),
                value_html: format!(
                    "<span id=\"{}\">{}</span>",
                    field_id(&pointer),
                    answer_html(node, &pointer, body)
                ),
                change: None,
            });
        }
    }
    html::summary_list(&mut main, &fixed_rows);
    for (n, section, skipped) in sections(form, body) {
        if skipped {
            continue;
        }
        let _ = write!(
            main,
            "<h2 class=\"govuk-heading-m\">{}</h2>",
            Esc(&section.title)
        );
        let mut rows = Vec::new();
        for name in &section.fields {
            let Some(node) = root.property(name) else {
                continue;
            };
            let pointer = format!("/{}", escape_segment(name));
            if fields::widget(form, node, &pointer) == fields::Widget::Fixed {
                continue;
            }
            let title = index.title(&pointer);
            rows.push(Row {
                value_html: answer_html(node, &pointer, body),
                change: Some((
                    format!(
                        "{base}/section/{n}?return=check#{}",
                        fields::anchor(form, &pointer)
                    ),
                    title.to_lowercase(),
                )),
                key: title,
            });
        }
        html::summary_list(&mut main, &rows);
    }
    let _ = write!(
        main,
        "<h2 class=\"govuk-heading-m\">Now send your form</h2><p class=\"govuk-body\">By sending this form you confirm that, to the best of your knowledge, the details you are providing are correct.</p>\
<form method=\"post\" action=\"{base}/check\" novalidate>{}",
        html::csrf_field(csrf)
    );
    html::button(&mut main, "Send", "send", false);
    main.push_str("</form>");
    (main, !links.is_empty())
}

/// An answer as the check-your-answers page shows it.
fn answer_html(node: &FieldNode, pointer: &str, body: &Value) -> String {
    let Some(value) = lookup(body, pointer) else {
        return "<span class=\"govuk-hint\">Not answered</span>".to_owned();
    };
    let mut out = String::new();
    write_answer(&mut out, node, value, 0);
    out
}

fn write_answer(out: &mut String, node: &FieldNode, value: &Value, depth: usize) {
    if depth > 16 {
        return;
    }
    match value {
        Value::Object(map) => {
            out.push_str("<dl class=\"app-answers\">");
            for (name, child) in &node.properties {
                if let Some(inner) = map.get(name) {
                    let title = child.info.title.clone().unwrap_or_else(|| name.clone());
                    let _ = write!(
                        out,
                        "<dt class=\"govuk-!-font-weight-bold\">{}</dt><dd class=\"govuk-!-margin-left-0 govuk-!-margin-bottom-2\">",
                        Esc(&title)
                    );
                    write_answer(out, child, inner, depth + 1);
                    out.push_str("</dd>");
                }
            }
            out.push_str("</dl>");
        }
        Value::Array(items) => {
            let item_node = node.items.as_deref();
            out.push_str("<ol class=\"govuk-list govuk-list--number\">");
            for item in items {
                out.push_str("<li>");
                match item_node {
                    Some(inner) => write_answer(out, inner, item, depth + 1),
                    None => {
                        let _ = write!(out, "{}", Esc(&item.to_string()));
                    }
                }
                out.push_str("</li>");
            }
            out.push_str("</ol>");
        }
        Value::Bool(true) => out.push_str("Yes"),
        Value::Bool(false) => out.push_str("No"),
        Value::String(text) => {
            let shown = node
                .info
                .enum_titles
                .get(text)
                .map_or(text.as_str(), String::as_str);
            if node.info.format.as_deref() == Some("date")
                && let Some(day) = crate::dates::parse_iso(text)
            {
                let _ = write!(out, "{}", Esc(&crate::dates::long(day)));
            } else {
                out.push_str(&html::paragraphs(shown).replace(
                    "<p class=\"govuk-body\">",
                    "<p class=\"govuk-body app-pre\">",
                ));
            }
        }
        other => {
            let _ = write!(out, "{}", Esc(&other.to_string()));
        }
    }
}

/// Sends the form: validated as a whole; with errors, the check page again with the errors;
/// without, stored as a new version exactly as an upload is, and the draft removed.
pub async fn send(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    auditor: Auditor,
    Path((case_id, form_id)): Path<(String, String)>,
    CheckedForm(_): CheckedForm,
) -> Result<Response, PageError> {
    let ctx = FormContext::load(&state, principal.clone(), &case_id, &form_id).await?;
    let mut body = ctx.body();
    if let Value::Object(map) = &mut body {
        for name in not_applicable(ctx.form, &Value::Object(map.clone())) {
            map.remove(&name);
        }
    }
    let report = ctx.validate(&body);
    if !report.valid {
        return check_page(
            &ctx,
            &user,
            &body,
            &report,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .map(audited);
    }
    // The same answers sent twice (a double click, Back and send again) give one version.
    let key = format!(
        "web-{}",
        &crate::store::token::sha256_hex(body.to_string().as_bytes())[..32]
    );
    let (stored, _) = match &ctx.case {
        Some(case) => store_submission(&state, &principal, case, &auditor, body, Some(key)).await,
        None => open_with_notification(&state, &principal, &auditor, body).await,
    }
    .map_err(|problem| PageError::from_problem(&state, problem))?;
    if let Err(error) = state
        .store
        .delete_draft(&case_id, ctx.form.id(), &ctx.owner)
        .await
    {
        tracing::warn!(error = %error, "a sent form's draft could not be removed");
    }
    Ok(audited(see_other(&format!(
        "{}/sent/{}",
        ctx.base(),
        stored.submission.version
    ))))
}

/// The confirmation: the form's reference.
pub async fn sent(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    Path((case_id, form_id, version)): Path<(String, String, i64)>,
) -> Result<Response, PageError> {
    let ctx = FormContext::load(&state, principal, &case_id, &form_id).await?;
    let Some(latest) = ctx.latest.as_ref().filter(|l| l.version >= version) else {
        return Err(PageError::from_problem(
            &state,
            crate::http::problem::Problem::not_found(""),
        ));
    };
    let reference = format!("{}-{}-v{version}", ctx.case_id, ctx.form.id());
    let main = format!(
        "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><div class=\"govuk-panel govuk-panel--confirmation\"><h1 class=\"govuk-panel__title\">Form sent</h1><div class=\"govuk-panel__body\">Your reference<br><strong id=\"reference\">{}</strong></div></div>\
<p class=\"govuk-body\">The partnership team can now see your {}. It was received on {}.</p>\
<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/case/{}\">Back to case {}</a></p></div></div>",
        Esc(&reference),
        Esc(ctx.form.title()),
        Esc(&latest.created_at.chars().take(10).collect::<String>()),
        Esc(&ctx.case_id),
        Esc(&ctx.case_id)
    );
    let chrome = ctx.chrome(&user, None);
    Ok(page_response(
        StatusCode::OK,
        html::page(&chrome, "Form sent", false, &main),
    ))
}

/// The fillable Word form for this case, pre-filled.
pub async fn word_form(
    State(state): State<AppState>,
    principal: Principal,
    Path((case_id, form_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let ctx = FormContext::load(&state, principal, &case_id, &form_id).await?;
    let prefill = CasePrefill {
        case_reference: Some(ctx.case_id.clone()),
        pseudonym: None,
        agency: ctx.agency.clone(),
    };
    crate::http::reports::blank_docx(&state, ctx.form.id(), 3, Some(prefill))
        .await
        .map_err(|problem| PageError::from_problem(&state, problem))
}

/// A filled Word form uploaded instead of the pages: stored as an upload is; the person then
/// sees the answers it gave, with anything to put right.
pub async fn upload_word_form(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    auditor: Auditor,
    Path((case_id, form_id)): Path<(String, String)>,
    request: Request,
) -> Result<Response, PageError> {
    let ctx = FormContext::load(&state, principal.clone(), &case_id, &form_id).await?;
    let Some(case) = ctx.case.clone() else {
        return Err(PageError::new(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Fill in the notification on these pages: a case is opened by its notification.",
        ));
    };
    let bytes = super::session::read_upload(
        &state,
        &user,
        request,
        "the filled Word form to upload",
        "Upload",
    )
    .await?;
    let body = read_word_form(&state, bytes)
        .await
        .map_err(|problem| PageError::from_problem(&state, problem))?;
    if body.get("form").and_then(Value::as_str) != Some(ctx.form.id()) {
        return Err(PageError::new(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "This Word file is not a {}. Download the form from this page, fill it in and upload that.",
                ctx.form.title()
            ),
        ));
    }
    let (stored, report) = store_submission(&state, &principal, &case, &auditor, body, None)
        .await
        .map_err(|problem| PageError::from_problem(&state, problem))?;
    if let Err(error) = state
        .store
        .delete_draft(&case_id, ctx.form.id(), &ctx.owner)
        .await
    {
        tracing::warn!(error = %error, "a draft could not be removed after an upload");
    }
    let location = if report.valid {
        format!("{}/sent/{}", ctx.base(), stored.submission.version)
    } else {
        format!("{}/check", ctx.base())
    };
    Ok(audited(see_other(&location)))
}
