//! The registry of statutory forms: each form's schema, compiled once, and what it knows of itself.
//!
//! A form is a schema in `schemas/`, a template in `templates/` and a module here holding its
//! own rules. Adding a form is adding those three and one line to [`SPECS`].

pub mod agency_summary;
pub mod cdop_form_b;
pub mod csprp_notification;
pub mod final_report;
pub mod rapid_review;
pub mod schema_index;

use serde::Serialize;
use serde_json::Value;
use thiserror::Error;

use crate::calendar::{Event, Events};
use crate::validate::{nhs, rules::Checker, rules::lookup, rules::parse_case_date};
use schema_index::SchemaIndex;

/// Everything the engine needs to know of one form, fixed at compile time.
#[derive(Debug)]
pub struct FormSpec {
    /// The form id every submission names in `"form"`.
    pub id: &'static str,
    /// The JSON Schema (draft 2020-12) text.
    pub schema: &'static str,
    /// The form's mandatory-content rules, beyond what its schema says.
    pub rules: fn(&mut Checker<'_>),
    /// The dates of the case a submission of this form records, by calendar event.
    pub events: fn(&Value) -> Events,
}

/// The events of a submission from `(event, JSON pointer)` pairs; fields that are absent or
/// not real `YYYY-MM-DD` dates of a case are left out (the schema or the plausible-date rule
/// reports them).
pub fn events_at(submission: &Value, fields: &[(Event, &str)]) -> Events {
    fields
        .iter()
        .filter_map(|(event, pointer)| {
            let date = lookup(submission, pointer)?
                .as_str()
                .and_then(parse_case_date)?;
            Some((*event, date))
        })
        .collect()
}

/// The events of one case from its forms, in any order: each form's dates in the order of the
/// case's journey ([`SPECS`]), the first form to give an event keeping it. Returns the events and
/// a sentence for each date two forms disagree on.
pub fn case_events<'a>(
    submissions: impl IntoIterator<Item = (&'a Form, &'a Value)>,
) -> (Events, Vec<String>) {
    let mut ordered: Vec<(&Form, &Value)> = submissions.into_iter().collect();
    ordered.sort_by_key(|(form, _)| {
        SPECS
            .iter()
            .position(|spec| spec.id == form.id())
            .unwrap_or(SPECS.len())
    });
    let mut events = Events::new();
    let mut notes = Vec::new();
    for (form, submission) in ordered {
        let more = (form.spec().events)(submission);
        notes.extend(crate::calendar::deadlines::merge_events(
            &mut events,
            more,
            form.title(),
        ));
    }
    (events, notes)
}

/// For forms that record no event of the case timetable.
pub fn no_events(_submission: &Value) -> Events {
    Events::new()
}

/// Every form the engine knows, in the order of a case's journey.
pub const SPECS: &[&FormSpec] = &[
    &csprp_notification::SPEC,
    &agency_summary::SPEC,
    &cdop_form_b::SPEC,
    &rapid_review::SPEC,
    &final_report::SPEC,
];

/// Problems naming or loading a form.
#[derive(Debug, Error)]
pub enum FormError {
    /// The submission is not a JSON object.
    #[error(
        "This file is not a form: it should be a JSON object with a \"form\" field naming the form."
    )]
    NotAnObject,
    /// The submission has no `form` field.
    #[error("This file does not say which form it is. Add \"form\" with one of: {known}.")]
    MissingFormId {
        /// The known form ids, comma-separated.
        known: String,
    },
    /// The submission names a form the engine does not know.
    #[error("\"{id}\" is not a form this service knows. The forms are: {known}.")]
    UnknownForm {
        /// The id given (cut short if long, invisible characters named).
        id: String,
        /// The known form ids, comma-separated.
        known: String,
    },
    /// A built-in schema failed to load (a defect of the build, not of any submission).
    #[error("The schema of form \"{id}\" could not be loaded: {reason}")]
    BadSchema {
        /// The form id.
        id: &'static str,
        /// What went wrong.
        reason: String,
    },
}

/// One form, ready to validate: its schema parsed and compiled, its fields indexed.
pub struct Form {
    spec: &'static FormSpec,
    schema: Value,
    validator: jsonschema::Validator,
    index: SchemaIndex,
    title: String,
    version: String,
    source: String,
}

impl std::fmt::Debug for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Form")
            .field("id", &self.spec.id)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl Form {
    /// Parses and compiles a form's schema.
    pub fn load(spec: &'static FormSpec) -> Result<Self, FormError> {
        let bad = |reason: String| FormError::BadSchema {
            id: spec.id,
            reason,
        };
        let schema: Value = serde_json::from_str(spec.schema).map_err(|e| bad(e.to_string()))?;
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_format("nhs-number", nhs::format_check)
            .build(&schema)
            .map_err(|e| bad(e.to_string()))?;
        let text = |key: &str| schema.get(key).and_then(Value::as_str).map(str::to_owned);
        let declared_id = text("x-form-id");
        if declared_id.as_deref() != Some(spec.id) {
            return Err(bad(format!("it declares x-form-id {declared_id:?}")));
        }
        let version = text("x-form-version").ok_or_else(|| bad("no x-form-version".into()))?;
        let title = text("title").ok_or_else(|| bad("no title".into()))?;
        let source =
            text("x-source").unwrap_or_else(|| "Working Together to Safeguard Children".into());
        let index = SchemaIndex::new(&schema);
        Ok(Form {
            spec,
            schema,
            validator,
            index,
            title,
            version,
            source,
        })
    }

    /// The form id, e.g. `rapid-review`.
    pub fn id(&self) -> &'static str {
        self.spec.id
    }

    /// The form's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The form's version, e.g. `1.0`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The guidance the form as a whole rests on.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The parsed schema.
    pub fn schema(&self) -> &Value {
        &self.schema
    }

    /// The compiled validator.
    pub fn validator(&self) -> &jsonschema::Validator {
        &self.validator
    }

    /// What the schema says of each field.
    pub fn index(&self) -> &SchemaIndex {
        &self.index
    }

    /// The compile-time description of the form.
    pub fn spec(&self) -> &'static FormSpec {
        self.spec
    }

    /// A short summary for listings.
    pub fn summary(&self) -> FormSummary {
        FormSummary {
            id: self.spec.id.to_owned(),
            title: self.title.clone(),
            version: self.version.clone(),
            description: self
                .schema
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        }
    }
}

/// A form's id, title, version and description, for listings.
#[derive(Debug, Clone, Serialize)]
pub struct FormSummary {
    /// Form id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Version.
    pub version: String,
    /// What the form is for.
    pub description: String,
}

/// Every form, loaded once at start-up.
#[derive(Debug)]
pub struct Registry {
    forms: Vec<Form>,
}

impl Registry {
    /// Loads and compiles every built-in form.
    pub fn load() -> Result<Self, FormError> {
        let forms = SPECS
            .iter()
            .map(|spec| Form::load(spec))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Registry { forms })
    }

    /// The form with this id.
    pub fn get(&self, id: &str) -> Option<&Form> {
        self.forms.iter().find(|form| form.id() == id)
    }

    /// The form with this id, or a plain-English error naming the known ones.
    pub fn require(&self, id: &str) -> Result<&Form, FormError> {
        self.get(id).ok_or_else(|| FormError::UnknownForm {
            id: crate::validate::words::escape(id),
            known: self.known(),
        })
    }

    /// Every form, in the order of a case's journey.
    pub fn forms(&self) -> impl Iterator<Item = &Form> {
        self.forms.iter()
    }

    /// The form a submission names in its `"form"` field.
    pub fn detect(&self, submission: &Value) -> Result<&Form, FormError> {
        let map = submission.as_object().ok_or(FormError::NotAnObject)?;
        match map.get("form").and_then(Value::as_str) {
            Some(id) => self.require(id),
            None => Err(FormError::MissingFormId {
                known: self.known(),
            }),
        }
    }

    fn known(&self) -> String {
        self.forms
            .iter()
            .map(|form| form.id())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
