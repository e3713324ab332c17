//! The partnership's Reports page: the timeliness and activity report for a period as Word,
//! PDF or CSV, and the yearly report written on the page (checked, downloaded as Word or PDF,
//! kept on the service between visits, or saved to a JSON file and uploaded again). The
//! downloads and the check are the API's own handlers (`GET /reports/timeliness`,
//! `POST /reports/yearly`, `POST /reports/yearly/check`) called with the session's principal,
//! so the figures, the documents and the role rules are the same. The yearly report's answers
//! are kept as one draft of no case (the partnership's; the last saved wins), audited like a
//! form's draft with the SHA-256 of the answers, never their words.
//!
//! The yearly report's sections (titles, what the guidance asks, sources, the words they need,
//! their length limits) come from its schema through [`crate::yearly`]; nothing here names one.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use axum::Json;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::html::{self, Choice, Esc, InputKind, Labelled};
use super::people::only_partnership;
use super::session::{CheckedForm, WebUser};
use super::{PageError, page_response};
use crate::http::AppState;
use crate::http::audit::Auditor;
use crate::http::auth::Principal;
use crate::http::extract::JsonBody;
use crate::store::Draft;
use crate::validate::Severity;
use crate::yearly::{self, SendStatus, Verdict, YearlyCheck, YearlyError};

/// Where the timeliness report's form sends its choices.
const TIMELINESS_DOWNLOAD: &str = "/reports/timeliness/download";
/// Where the yearly report's form is posted.
const YEARLY_DRAFT: &str = "/reports/yearly/draft";
/// Where a file of yearly report answers is uploaded.
const YEARLY_UPLOAD: &str = "/reports/yearly/draft/upload";
/// The yearly report's answers kept between visits: the draft of this "form", of no case,
/// owned by the partnership ('').
const DRAFT_OF: &str = "yearly-report";
/// At most this many answers of an uploaded file that the page does not ask are named.
const LEFT_OUT_NAMED: usize = 10;
/// The yearly report's Word and PDF copies offered: the `marking` asked of the API, and words.
const COPIES: [(&str, &str, &str); 2] = [
    (
        "official-sensitive",
        "The partnership's own copy (OFFICIAL-SENSITIVE)",
        "Everything, with each late step's case and reason and each action's lead. A draft can be downloaded.",
    ),
    (
        "official",
        "The copy to publish (OFFICIAL)",
        "No case reference, no list of late steps with their reasons, no lead's name. Every section must be written.",
    ),
];
/// The input of the copy chosen.
const COPY: &str = "copy";

/// The answers of the yearly report that are not its written sections, by JSON pointer.
const PARTNERSHIP: &str = "/partnership";
const PERIOD_FROM: &str = "/period/from";
const PERIOD_TO: &str = "/period/to";
const PUBLISHED: &str = "/published_date";
const SECURE: &str = "/secure_establishment";

/// The formats the timeliness report is offered in on the page: value and words.
const FORMATS: [(&str, &str); 3] = [("docx", "Word"), ("pdf", "PDF"), ("csv", "CSV")];

/// What kind of input a yearly report answer has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One line of text.
    Text,
    /// A date, written YYYY-MM-DD.
    Date,
    /// Yes or no.
    YesNo,
    /// A written section, with the schema's length limit.
    Section(Option<u64>),
}

/// One answer of the yearly report as the page asks it.
#[derive(Debug, Clone)]
struct Question {
    /// Its JSON pointer in the answers (also the input's name).
    pointer: String,
    /// The label or legend.
    label: String,
    /// The hint.
    hint: Option<String>,
    /// Its input.
    kind: Kind,
}

impl Question {
    /// The input's id: `y` and the pointer with `-` for `/`.
    fn id(&self) -> String {
        id_of(&self.pointer)
    }
}

fn id_of(pointer: &str) -> String {
    format!("y{}", pointer.replace(['/', '~'], "-"))
}

/// A text of the schema about an answer (`title`, `description`), from its pointer.
fn schema_text(pointer: &str, key: &str) -> Option<String> {
    let mut path = String::new();
    for segment in pointer.split('/').skip(1) {
        let _ = write!(path, "/properties/{segment}");
    }
    let _ = write!(path, "/{key}");
    yearly::schema()
        .ok()?
        .pointer(&path)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Every answer the page asks, in order: the partnership, the period, publication, the copies
/// sent, the secure establishment, then each written section in the schema's order.
fn questions() -> Result<Vec<Question>, YearlyError> {
    let label = |pointer: &str, fallback: &str| {
        schema_text(pointer, "title").unwrap_or_else(|| fallback.to_owned())
    };
    let date_hint = |pointer: &str| {
        let said = schema_text(pointer, "description").unwrap_or_default();
        if said.contains("YYYY-MM-DD") {
            said
        } else {
            format!("{said} Write it as YYYY-MM-DD, for example 2026-09-25.")
                .trim()
                .to_owned()
        }
    };
    let mut asked = vec![
        Question {
            pointer: PARTNERSHIP.to_owned(),
            label: label(PARTNERSHIP, "Partnership"),
            hint: schema_text(PARTNERSHIP, "description"),
            kind: Kind::Text,
        },
        Question {
            pointer: PERIOD_FROM.to_owned(),
            label: label(PERIOD_FROM, "First day of the period"),
            hint: Some(format!(
                "{} Leave both days of the period empty for the 12 months to today.",
                date_hint(PERIOD_FROM)
            )),
            kind: Kind::Date,
        },
        Question {
            pointer: PERIOD_TO.to_owned(),
            label: label(PERIOD_TO, "Last day of the period"),
            hint: Some(date_hint(PERIOD_TO)),
            kind: Kind::Date,
        },
        Question {
            pointer: PUBLISHED.to_owned(),
            label: label(PUBLISHED, "Date published"),
            hint: Some(date_hint(PUBLISHED)),
            kind: Kind::Date,
        },
    ];
    for recipient in yearly::recipients()? {
        asked.push(Question {
            pointer: recipient.pointer.clone(),
            label: recipient.title.clone(),
            hint: Some(
                "Leave it empty until the copy is sent. Write it as YYYY-MM-DD, for example 2026-09-28."
                    .to_owned(),
            ),
            kind: Kind::Date,
        });
    }
    asked.push(Question {
        pointer: SECURE.to_owned(),
        label: label(SECURE, "Is there a secure establishment in the area?"),
        hint: Some(
            "A secure children's home, secure training centre or young offender institution in the partnership's area."
                .to_owned(),
        ),
        kind: Kind::YesNo,
    });
    for section in yearly::sections()? {
        let mut hint = format!(
            "{} At least {} words. Source: {}.",
            section.description, section.min_words, section.source
        );
        if let Some(decider) = &section.required_if {
            let question = schema_text(decider, "title").unwrap_or_else(|| decider.clone());
            let _ = write!(
                hint,
                " Needed only when the answer to \u{201c}{question}\u{201d} is Yes."
            );
        }
        asked.push(Question {
            pointer: section.pointer.clone(),
            label: section.title.clone(),
            hint: Some(hint),
            kind: Kind::Section(
                yearly::schema()?
                    .pointer(&format!(
                        "/properties/sections/properties/{}/maxLength",
                        section.key.replace('~', "~0").replace('/', "~1")
                    ))
                    .and_then(Value::as_u64),
            ),
        });
    }
    Ok(asked)
}

/// The yearly report's answers as typed, by pointer (yes or no as `true` / `false`).
type Typed = BTreeMap<String, String>;

/// The answers posted by the yearly report's form: only the questions the page asks, line ends
/// as the store keeps them.
fn typed_from_posted(questions: &[Question], posted: &super::fields::Posted) -> Typed {
    questions
        .iter()
        .filter_map(|q| {
            let value = posted.one(&q.pointer)?;
            let value = if matches!(q.kind, Kind::Section(_)) {
                value.replace("\r\n", "\n")
            } else {
                value.trim().to_owned()
            };
            Some((q.pointer.clone(), value))
        })
        .collect()
}

/// The answers of an uploaded JSON file, for the questions the page asks.
fn typed_from_json(questions: &[Question], doc: &Value) -> Typed {
    questions
        .iter()
        .filter_map(|q| {
            let value = match doc.pointer(&q.pointer)? {
                Value::String(text) => text.clone(),
                Value::Bool(yes) => yes.to_string(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some((q.pointer.clone(), value))
        })
        .collect()
}

/// The answers as the JSON the API and the command line read: empty answers left out.
fn answers_json(questions: &[Question], typed: &Typed) -> Value {
    let mut doc = Map::new();
    for question in questions {
        let Some(text) = typed.get(&question.pointer) else {
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        let value = match (question.kind, text.as_str()) {
            (Kind::YesNo, "true") => Value::Bool(true),
            (Kind::YesNo, "false") => Value::Bool(false),
            (Kind::YesNo, _) => continue,
            _ => Value::String(text.clone()),
        };
        set_at(&mut doc, &question.pointer, value);
    }
    Value::Object(doc)
}

/// Sets `value` at `pointer`, making the objects on the way.
fn set_at(doc: &mut Map<String, Value>, pointer: &str, value: Value) {
    let parts: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let Some((last, parents)) = parts.split_last() else {
        return;
    };
    let mut here = doc;
    for part in parents {
        let entry = here
            .entry(part.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(next) = entry else {
            return;
        };
        here = next;
    }
    here.insert(last.clone(), value);
}

/// What the Reports page shows: the timeliness form as typed with its errors, and the yearly
/// report's answers with their errors and their check.
#[derive(Debug, Default)]
struct View {
    from: String,
    to: String,
    format: String,
    /// The timeliness form's errors: the field's id and the message.
    timeliness_errors: Vec<(String, String)>,
    answers: Typed,
    /// The yearly report's errors: the field's id and the message.
    yearly_errors: Vec<(String, String)>,
    check: Option<YearlyCheck>,
    /// When the answers shown were last kept on the service, and by whom.
    saved: Option<(String, String)>,
    /// The stored moment of the answers the page starts from (sent back with the form, so a
    /// save over answers someone else kept since is noticed).
    saved_at: String,
    /// Someone kept other answers after this page was opened: when and by whom. The answers
    /// posted were not kept.
    conflict: Option<(String, String)>,
    /// Answers of an uploaded file that the page does not ask, so were left out: their places,
    /// the first [`LEFT_OUT_NAMED`], and how many there were.
    left_out: (Vec<String>, usize),
    /// The copy of the Word or PDF document chosen (a value of [`COPIES`]).
    copy: String,
}

/// The Reports page.
pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
) -> Result<Response, PageError> {
    only_partnership(&state, &principal)?;
    let questions = questions().map_err(|e| schema_failed(&state, &e))?;
    let mut view = View::default();
    match state
        .store
        .draft("", DRAFT_OF, "")
        .await
        .map_err(|e| PageError::from_store(&state, e))?
    {
        Some(draft) => {
            view.answers = typed_from_json(&questions, &draft.body);
            view.saved = Some(saved_words(&state, &principal, &draft).await?);
            view.saved_at = draft.updated_at;
        }
        None => {
            view.answers
                .insert(PARTNERSHIP.to_owned(), state.web.partnership.clone());
        }
    }
    render(&state, &user, &view)
}

/// What keeping answers came to.
enum Kept {
    /// Kept: when and by whom in words, and the stored moment.
    Saved((String, String), String),
    /// Not kept: someone kept others after the page was opened (when and by whom in words, and
    /// the stored moment of theirs).
    Conflict((String, String), String),
}

/// Keeps the yearly report's answers on the service, audited in the same transaction, over
/// the answers kept at `opened` (the stored moment the page started from, '' when it started
/// from none; `None` to replace whatever is there, as an uploaded file does). When someone else
/// kept other answers since, these are not kept: checked and written in one statement.
async fn keep(
    state: &AppState,
    principal: &Principal,
    auditor: &Auditor,
    body: &Value,
    opened: Option<&str>,
) -> Result<Kept, PageError> {
    let draft = Draft {
        case: String::new(),
        form: DRAFT_OF.to_owned(),
        owner: String::new(),
        body: body.clone(),
        updated_at: crate::store::now(),
        updated_by: principal.id.clone(),
    };
    let event = auditor.event("draft");
    let saved = match opened {
        None => state.store.save_draft(&draft, &event).await.map(|()| true),
        Some(opened) => {
            let since = Some(opened).filter(|at| !at.is_empty());
            state.store.save_draft_over(&draft, since, &event).await
        }
    }
    .map_err(|e| PageError::from_store(state, e))?;
    if saved {
        return Ok(Kept::Saved(
            saved_words(state, principal, &draft).await?,
            draft.updated_at,
        ));
    }
    let current = state
        .store
        .draft("", DRAFT_OF, "")
        .await
        .map_err(|e| PageError::from_store(state, e))?;
    match current {
        // The same answers sent twice (a second click): kept already.
        Some(current) if current.body == *body => Ok(Kept::Saved(
            saved_words(state, principal, &current).await?,
            current.updated_at,
        )),
        Some(current) => Ok(Kept::Conflict(
            saved_words(state, principal, &current).await?,
            current.updated_at,
        )),
        // Removed in between: nothing to overwrite, so keep these.
        None => {
            state
                .store
                .save_draft(&draft, &event)
                .await
                .map_err(|e| PageError::from_store(state, e))?;
            Ok(Kept::Saved(
                saved_words(state, principal, &draft).await?,
                draft.updated_at,
            ))
        }
    }
}

/// When a draft was saved and by whom, in words: "you" for the person looking.
async fn saved_words(
    state: &AppState,
    principal: &Principal,
    draft: &Draft,
) -> Result<(String, String), PageError> {
    let when =
        crate::dates::england_day(&draft.updated_at).map_or_else(String::new, crate::dates::long);
    let who = if draft.updated_by == principal.id {
        "you".to_owned()
    } else {
        let invited = state
            .store
            .invitations()
            .await
            .map_err(|e| PageError::from_store(state, e))?;
        super::partnership::who(&invited, &draft.updated_by)
    };
    Ok((when, who))
}

/// The places of the answers in an uploaded file that the page does not ask (the first
/// [`LEFT_OUT_NAMED`]), and how many there are. Looks no deeper than the schema goes.
fn left_out(questions: &[Question], doc: &Value) -> (Vec<String>, usize) {
    fn walk(
        questions: &[Question],
        value: &Value,
        pointer: &mut String,
        depth: usize,
        found: &mut (Vec<String>, usize),
    ) {
        let asked = questions.iter().any(|q| q.pointer == *pointer);
        let inside = questions
            .iter()
            .any(|q| q.pointer.starts_with(&format!("{pointer}/")));
        match value {
            Value::Object(map) if !asked && inside && depth < 4 => {
                for (key, inner) in map {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    walk(questions, inner, pointer, depth + 1, found);
                    pointer.truncate(len);
                }
            }
            _ if asked => {}
            _ => {
                if found.0.len() < LEFT_OUT_NAMED {
                    found.0.push(pointer.clone());
                }
                found.1 += 1;
            }
        }
    }
    let mut found = (Vec::new(), 0);
    walk(questions, doc, &mut String::new(), 0, &mut found);
    found
}

/// Checks one date of the timeliness form; `words` names it in the message.
fn date_error(text: &str, words: &str) -> Option<String> {
    if text.is_empty() || crate::http::timeliness::date_param(words, text).is_ok() {
        return None;
    }
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    Some(if shaped {
        format!(
            "The {words} must be a real date, for example 2025-12-01 (there is no 30 February and no day 0)"
        )
    } else {
        format!("Enter the {words} as YYYY-MM-DD, for example 2025-12-01")
    })
}

/// The timeliness and activity report for the period chosen, as the API's
/// `GET /reports/timeliness` makes it; a date that is not a date shows the page again.
pub async fn timeliness_download(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    only_partnership(&state, &principal)?;
    let given = |name: &str| {
        query
            .get(name)
            .map(|v| v.trim().chars().take(100).collect::<String>())
            .unwrap_or_default()
    };
    let mut view = View {
        from: given("from"),
        to: given("to"),
        format: given("format"),
        ..View::default()
    };
    view.answers
        .insert(PARTNERSHIP.to_owned(), state.web.partnership.clone());
    for (id, words) in [("from", "first day"), ("to", "last day")] {
        let text = if id == "from" { &view.from } else { &view.to };
        if let Some(message) = date_error(text, words) {
            view.timeliness_errors.push((id.to_owned(), message));
        }
    }
    if !FORMATS.iter().any(|(value, _)| *value == view.format) {
        view.timeliness_errors
            .push(("format".to_owned(), "Select Word, PDF or CSV".to_owned()));
    }
    if view.timeliness_errors.is_empty() {
        let nonempty = |text: &str| (!text.is_empty()).then(|| text.to_owned());
        if let Err(message) = crate::http::timeliness::period(
            nonempty(&view.from).as_deref(),
            nonempty(&view.to).as_deref(),
            crate::http::actions::today(),
        ) {
            view.timeliness_errors.push(("to".to_owned(), message));
        }
    }
    if !view.timeliness_errors.is_empty() {
        return render(&state, &user, &view);
    }
    let mut asked = HashMap::new();
    for (name, value) in [("from", &view.from), ("to", &view.to)] {
        if !value.is_empty() {
            asked.insert(name.to_owned(), value.clone());
        }
    }
    asked.insert("format".to_owned(), view.format.clone());
    crate::http::timeliness::timeliness(State(state.clone()), principal, Query(asked))
        .await
        .map_err(|problem| PageError::from_problem(&state, problem))
}

/// The yearly report's form posted: Check shows the check on the page with the answers kept;
/// Word and PDF download the report as `POST /reports/yearly` makes it; the answers as JSON
/// download them to carry on later. Nothing is stored.
pub async fn yearly_draft(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    auditor: Auditor,
    CheckedForm(posted): CheckedForm,
) -> Result<Response, PageError> {
    only_partnership(&state, &principal)?;
    let questions = questions().map_err(|e| schema_failed(&state, &e))?;
    let answers = typed_from_posted(&questions, &posted);
    let action = posted.one("_action").unwrap_or("check").to_owned();
    let body = answers_json(&questions, &answers);
    // Whatever the button, what was typed is kept first: a check that finds gaps or a download
    // refused for a wrong date must not lose a morning's writing. Unless someone else of the
    // team kept theirs since this page was opened: then neither is lost, and the page says so.
    let opened = posted.one("_saved_at").unwrap_or_default();
    let copy = posted
        .one(COPY)
        .filter(|c| COPIES.iter().any(|(value, ..)| value == c))
        .unwrap_or(COPIES[0].0)
        .to_owned();
    let mut view = View {
        answers,
        copy: copy.clone(),
        ..View::default()
    };
    match keep(&state, &principal, &auditor, &body, Some(opened)).await? {
        Kept::Saved(words, at) => {
            view.saved = Some(words);
            view.saved_at = at;
        }
        Kept::Conflict(words, at) => {
            view.conflict = Some(words);
            // Sent back with the form: saving again replaces theirs, knowingly.
            view.saved_at = at;
            if action == "save" {
                return render(&state, &user, &view);
            }
        }
    }
    if action == "json" {
        return Ok(answers_download(&body));
    }
    if action == "save" {
        return render(&state, &user, &view);
    }
    let today = crate::http::actions::today();
    match yearly::read(&body, today) {
        Ok(read) => {
            if let Err(error) = yearly::period(&read, None, today) {
                view.yearly_errors
                    .push((id_of(PERIOD_FROM), error.to_string()));
                return render(&state, &user, &view);
            }
        }
        Err(YearlyError::Invalid(findings)) => {
            view.yearly_errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| (field_of(&questions, &f.pointer), f.message.clone()))
                .collect();
            return render(&state, &user, &view);
        }
        Err(error) => return Err(schema_failed(&state, &error)),
    }
    match action.as_str() {
        "docx" | "pdf" => {
            let query = HashMap::from([
                ("format".to_owned(), action.clone()),
                ("marking".to_owned(), copy),
            ]);
            match crate::http::yearly::yearly(
                State(state.clone()),
                principal,
                Query(query),
                JsonBody(body),
            )
            .await
            {
                Ok(response) => Ok(response),
                // The copy to publish of a report with sections missing: said on the page,
                // beside the choice, with the answers as typed.
                Err(problem) if problem.status() == StatusCode::UNPROCESSABLE_ENTITY => {
                    view.yearly_errors.push((COPY.to_owned(), problem.detail));
                    render(&state, &user, &view)
                }
                Err(problem) => Err(PageError::from_problem(&state, problem)),
            }
        }
        _ => {
            let Json(check) = crate::http::yearly::check(
                State(state.clone()),
                principal,
                Query(HashMap::new()),
                JsonBody(body),
            )
            .await
            .map_err(|problem| PageError::from_problem(&state, problem))?;
            view.check = Some(check);
            render(&state, &user, &view)
        }
    }
}

/// A file of answers uploaded (`multipart/form-data` with `_csrf` and `file`): the form filled
/// in with them and kept as the answers on the service, to check, change and download.
pub async fn yearly_upload(
    State(state): State<AppState>,
    user: WebUser,
    principal: Principal,
    auditor: Auditor,
    request: Request,
) -> Result<Response, PageError> {
    only_partnership(&state, &principal)?;
    let questions = questions().map_err(|e| schema_failed(&state, &e))?;
    let bytes = super::session::read_upload(
        &state,
        &user,
        request,
        "a file of answers saved from this page",
        "Upload answers",
    )
    .await?;
    let mut view = View::default();
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(doc @ Value::Object(_)) => {
            view.answers = typed_from_json(&questions, &doc);
            view.left_out = left_out(&questions, &doc);
            let body = answers_json(&questions, &view.answers);
            if let Kept::Saved(words, at) = keep(&state, &principal, &auditor, &body, None).await? {
                view.saved = Some(words);
                view.saved_at = at;
            }
        }
        _ => {
            view.answers
                .insert(PARTNERSHIP.to_owned(), state.web.partnership.clone());
            view.yearly_errors.push((
                "answers-file".to_owned(),
                "The file must be yearly report answers saved from this page (a JSON file): choose that file and select Upload answers".to_owned(),
            ));
        }
    }
    render(&state, &user, &view)
}

/// The answers as a JSON file to keep and upload later.
fn answers_download(body: &Value) -> Response {
    let text = serde_json::to_string_pretty(body).unwrap_or_else(|_| "{}".to_owned());
    let mut response = text.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"yearly-report-answers.json\""),
    );
    response
}

/// The page of the yearly report's schema failing to load (a defect of the build).
fn schema_failed(state: &AppState, error: &YearlyError) -> PageError {
    tracing::error!(error = %error, "the yearly report schema");
    PageError::new(
        state,
        StatusCode::INTERNAL_SERVER_ERROR,
        "The yearly report cannot be written on the page just now. Tell the service's administrators.",
    )
}

/// The id of the input a finding is about: its own, or the first input inside it (the period
/// as a whole is its first day), or the yearly report's heading.
fn field_of(questions: &[Question], pointer: &str) -> String {
    questions
        .iter()
        .find(|q| q.pointer == pointer)
        .or_else(|| {
            questions
                .iter()
                .find(|q| !pointer.is_empty() && q.pointer.starts_with(&format!("{pointer}/")))
        })
        .map_or_else(|| "yearly-report".to_owned(), Question::id)
}

fn render(state: &AppState, user: &WebUser, view: &View) -> Result<Response, PageError> {
    let questions = questions().map_err(|e| schema_failed(state, &e))?;
    let mut main = String::new();
    let mut errors = html::field_errors(&view.timeliness_errors);
    errors.extend(html::field_errors(&view.yearly_errors));
    html::error_summary(&mut main, &errors);
    main.push_str("<h1 class=\"govuk-heading-l\">Reports</h1>");
    timeliness_form(&mut main, view);
    yearly_form(&mut main, user, view, &questions);
    let chrome = user.chrome(state, Some("/"));
    Ok(page_response(
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        html::page(&chrome, "Reports", !errors.is_empty(), &main),
    ))
}

fn error_of<'a>(errors: &'a [(String, String)], id: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|(field, _)| field == id)
        .map(|(_, message)| message.as_str())
}

fn timeliness_form(out: &mut String, view: &View) {
    let _ = write!(
        out,
        "<h2 class=\"govuk-heading-m\" id=\"timeliness-report\">Timeliness and activity report</h2>\
<p class=\"govuk-body\">Every case and action for a period, beside the period before it: notifications, rapid reviews and their decisions, local reviews, each statutory step's share done on time, and the actions by status, agency and source.</p>\
<form method=\"get\" action=\"{TIMELINESS_DOWNLOAD}\" novalidate>"
    );
    for (id, label, hint) in [
        (
            "from",
            "First day (optional)",
            "Write it as YYYY-MM-DD, for example 2025-12-01. Leave it empty for 12 months before the last day.",
        ),
        (
            "to",
            "Last day (optional)",
            "Write it as YYYY-MM-DD, for example 2026-11-30. Leave it empty for today. With both days empty, the report covers the last 12 months.",
        ),
    ] {
        html::text_input(
            out,
            &Labelled {
                id,
                name: id,
                label,
                hint: Some(hint),
                error: error_of(&view.timeliness_errors, id),
            },
            if id == "from" { &view.from } else { &view.to },
            InputKind::IsoDate,
        );
    }
    let chosen = if FORMATS.iter().any(|(v, _)| *v == view.format) {
        view.format.as_str()
    } else {
        "docx"
    };
    let items: Vec<Choice<'_>> = FORMATS
        .iter()
        .map(|(value, label)| Choice {
            value,
            label,
            checked: *value == chosen,
            reveal: None,
        })
        .collect();
    html::choices(
        out,
        &Labelled {
            id: "format",
            name: "format",
            label: "Format",
            hint: Some(
                "Word and PDF hold the figures as tables with bar charts, the late steps and the overdue actions. CSV holds the figures, for a spreadsheet.",
            ),
            error: error_of(&view.timeliness_errors, "format"),
        },
        &items,
        false,
    );
    html::button(out, "Download the timeliness report", "timeliness", false);
    out.push_str("</form>");
}

fn yearly_form(out: &mut String, user: &WebUser, view: &View, questions: &[Question]) {
    out.push_str(
        "<h2 class=\"govuk-heading-m\" id=\"yearly-report\">Yearly report</h2>\
<p class=\"govuk-body\">Write the safeguarding partners' yearly report here. Select Check to see which sections are written, weak or still missing; the service adds its own figures for the period when it makes the Word or PDF document.</p>\
<div class=\"govuk-inset-text\">Your answers are kept on the service for the partnership team each time you select Save answers, Check or a download, so anyone in the team can carry on. One set of answers is kept: the last saved replaces the one before.</div>",
    );
    if let Some((when, who)) = &view.conflict {
        html::warning(
            out,
            "yearly-conflict",
            &format!(
                "Your answers below have not been saved: {who} saved other answers on {when} after you opened this page. To keep yours instead of theirs, select Save answers again. To see theirs, open Reports again (yours will be lost unless you download them first)."
            ),
        );
    }
    if let Some((when, who)) = &view.saved {
        let _ = write!(
            out,
            "<p class=\"govuk-body\" id=\"yearly-saved\">Answers last saved on {} by {}.</p>",
            Esc(when),
            Esc(who)
        );
    }
    let (named, count) = &view.left_out;
    if *count > 0 {
        html::warning(
            out,
            "yearly-left-out",
            &format!(
                "The file had {count} {} this page does not ask for, so {} left out: {}{}. Check you uploaded the yearly report's answers.",
                if *count == 1 { "answer" } else { "answers" },
                if *count == 1 { "it was" } else { "they were" },
                named.join(", "),
                if *count > named.len() {
                    format!(" and {} more", count - named.len())
                } else {
                    String::new()
                },
            ),
        );
    }
    if let Some(check) = &view.check {
        check_results(out, check);
    }
    let _ = write!(
        out,
        "<form method=\"post\" action=\"{YEARLY_DRAFT}\" novalidate>{}<input type=\"hidden\" name=\"_saved_at\" value=\"{}\">",
        html::csrf_field(&user.csrf),
        Esc(&view.saved_at)
    );
    let mut sections_started = false;
    for question in questions {
        let id = question.id();
        let value = view
            .answers
            .get(&question.pointer)
            .map_or("", String::as_str);
        let field = Labelled {
            id: &id,
            name: &question.pointer,
            label: &question.label,
            hint: question.hint.as_deref(),
            error: error_of(&view.yearly_errors, &id),
        };
        match question.kind {
            Kind::Text => html::text_input(out, &field, value, InputKind::Text),
            Kind::Date => html::text_input(out, &field, value, InputKind::IsoDate),
            Kind::YesNo => {
                let items = [
                    Choice {
                        value: "true",
                        label: "Yes",
                        checked: value == "true",
                        reveal: None,
                    },
                    Choice {
                        value: "false",
                        label: "No",
                        checked: value == "false",
                        reveal: None,
                    },
                ];
                html::choices(out, &field, &items, false);
            }
            Kind::Section(limit) => {
                if !sections_started {
                    out.push_str("<h3 class=\"govuk-heading-s\">Sections of the report</h3>");
                    sections_started = true;
                }
                html::textarea(out, &field, value, limit);
            }
        }
    }
    let chosen = if COPIES.iter().any(|(value, ..)| *value == view.copy) {
        view.copy.as_str()
    } else {
        COPIES[0].0
    };
    let items: Vec<Choice<'_>> = COPIES
        .iter()
        .map(|(value, label, _)| Choice {
            value,
            label,
            checked: *value == chosen,
            reveal: None,
        })
        .collect();
    let hint = COPIES
        .iter()
        .map(|(_, label, hint)| format!("{label}: {hint}"))
        .collect::<Vec<_>>()
        .join(" ");
    html::choices(
        out,
        &Labelled {
            id: COPY,
            name: COPY,
            label: "Which copy to download as Word or PDF",
            hint: Some(&hint),
            error: error_of(&view.yearly_errors, COPY),
        },
        &items,
        false,
    );
    out.push_str("<div class=\"govuk-button-group\">");
    html::button(out, "Save answers", "save", false);
    html::button(out, "Check", "check", true);
    html::button(out, "Download Word", "docx", true);
    html::button(out, "Download PDF", "pdf", true);
    html::button(out, "Download answers (JSON)", "json", true);
    out.push_str("</div></form>");
    let _ = write!(
        out,
        "<h3 class=\"govuk-heading-s\">Carry on from a file of answers</h3>\
<form method=\"post\" action=\"{YEARLY_UPLOAD}\" enctype=\"multipart/form-data\" novalidate>{}\
<div class=\"govuk-form-group{group}\"><label class=\"govuk-label\" for=\"answers-file\">A file of answers downloaded from this page</label>\
<div id=\"answers-file-hint\" class=\"govuk-hint\">It fills in the form above and is kept as the answers, replacing what is there.</div>{error}\
<input class=\"govuk-file-upload{input}\" id=\"answers-file\" name=\"file\" type=\"file\" aria-describedby=\"answers-file-hint{described}\" accept=\".json,application/json\"></div>",
        html::csrf_field(&user.csrf),
        group = if error_of(&view.yearly_errors, "answers-file").is_some() {
            " govuk-form-group--error"
        } else {
            ""
        },
        error = error_of(&view.yearly_errors, "answers-file").map_or_else(String::new, |m| format!(
            "<p id=\"answers-file-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> {}</p>",
            Esc(m)
        )),
        input = if error_of(&view.yearly_errors, "answers-file").is_some() {
            " govuk-file-upload--error"
        } else {
            ""
        },
        described = if error_of(&view.yearly_errors, "answers-file").is_some() {
            " answers-file-error"
        } else {
            ""
        },
    );
    html::button(out, "Upload answers", "upload", true);
    out.push_str("</form>");
}

/// The words and tag colour of a section's verdict.
fn verdict_tag(verdict: Verdict) -> String {
    let (words, colour) = match verdict {
        Verdict::Present => ("Present", "green"),
        Verdict::Weak => ("Weak", "yellow"),
        Verdict::Missing => ("Missing", "red"),
        Verdict::NotNeeded => ("Not needed", "grey"),
        Verdict::Undecided => ("Not decided", "orange"),
    };
    html::tag(words, Some(colour))
}

fn send_words(status: SendStatus) -> &'static str {
    match status {
        SendStatus::OnTime => "Sent on time",
        SendStatus::Late => "Sent late",
        SendStatus::NotYetDue => "Not sent yet, not yet due",
        SendStatus::Overdue => "Not sent, overdue",
        SendStatus::NotPublished => "Not published yet",
    }
}

/// The check on the page: each section present, weak or missing with its message and source;
/// the copies sent; the actions with little or no progress; anything else to look at.
fn check_results(out: &mut String, check: &YearlyCheck) {
    let _ = write!(
        out,
        "<div id=\"check-results\"><h3 class=\"govuk-heading-m\">{}</h3>",
        if check.complete {
            "Every section the guidance asks for is written".to_owned()
        } else {
            let to_do = check
                .sections
                .iter()
                .filter(|s| {
                    matches!(
                        s.verdict,
                        Verdict::Missing | Verdict::Weak | Verdict::Undecided
                    )
                })
                .count();
            format!(
                "{to_do} {} still to write or decide",
                if to_do == 1 {
                    "section is"
                } else {
                    "sections are"
                }
            )
        }
    );
    let rows: Vec<html::Row> = check
        .sections
        .iter()
        .map(|section| html::Row {
            key: section.title.clone(),
            value_html: format!(
                "{}<p class=\"govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-1\">{}</p><p class=\"govuk-body-s govuk-!-margin-bottom-0\">Source: {}</p>",
                verdict_tag(section.verdict),
                Esc(&section.message),
                Esc(&section.source)
            ),
            change: (section.verdict != Verdict::Present)
                .then(|| (format!("#{}", id_of(&section.pointer)), section.title.clone())),
        })
        .collect();
    html::summary_list(out, &rows);
    out.push_str("<h4 class=\"govuk-heading-s\">Copies of the published report</h4><ul class=\"govuk-list\">");
    for copy in &check.sending.copies {
        let _ = write!(
            out,
            "<li>{}: {}{}</li>",
            Esc(&copy.to),
            send_words(copy.status),
            Esc(&copy
                .sent
                .map(|d| format!(" ({})", crate::dates::long(d)))
                .unwrap_or_default())
        );
    }
    let _ = write!(
        out,
        "</ul><p class=\"govuk-body-s\">{}Source: {}.</p>",
        Esc(&check.sending.due.map_or_else(String::new, |due| format!(
            "Copies are due by {}. ",
            crate::dates::long(due)
        ))),
        Esc(&check.sending.source)
    );
    if !check.little_progress.is_empty() {
        out.push_str("<h4 class=\"govuk-heading-s\">Actions on review recommendations with little or no progress</h4><ul class=\"govuk-list govuk-list--bullet\">");
        for gap in &check.little_progress {
            let _ = write!(
                out,
                "<li>{} ({}): {}</li>",
                Esc(&gap.action),
                Esc(&gap.agency),
                Esc(&gap.why)
            );
        }
        out.push_str("</ul>");
    }
    let others: Vec<_> = check
        .findings
        .iter()
        .filter(|f| !check.sections.iter().any(|s| s.pointer == f.pointer))
        .collect();
    if !others.is_empty() {
        out.push_str("<h4 class=\"govuk-heading-s\">Also to look at</h4><ul class=\"govuk-list govuk-list--bullet\">");
        for finding in others {
            let _ = write!(
                out,
                "<li>{} <span class=\"govuk-body-s\">Source: {}.</span></li>",
                Esc(&finding.message),
                Esc(&finding.source)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</div>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_go_into_the_schema_shape_and_come_back() {
        let questions = questions().expect("the schema loads");
        let doc = serde_json::json!({
            "partnership": "Kent",
            "period": {"from": "2025-04-01", "to": "2026-03-31"},
            "secure_establishment": false,
            "sent": {"panel": "2026-09-28"},
        });
        let typed = typed_from_json(&questions, &doc);
        assert_eq!(typed.get(SECURE).map(String::as_str), Some("false"));
        assert_eq!(answers_json(&questions, &typed), doc);
        assert!(
            questions
                .iter()
                .any(|q| matches!(q.kind, Kind::Section(Some(_))))
        );
    }

    #[test]
    fn a_finding_finds_its_field() {
        let questions = questions().expect("the schema loads");
        assert_eq!(field_of(&questions, "/period"), "y-period-from");
        assert_eq!(field_of(&questions, "/partnership"), "y-partnership");
        assert_eq!(field_of(&questions, ""), "yearly-report");
    }
}
