//! The registry of statutory forms: each form's schema, compiled once, and what it knows of itself.
//!
//! A form is a schema in `schemas/` (its fields, titles, rules and `x-` annotations: its part in
//! a case, who may send it, where it names its agency, what pre-fills it, which fields identify a
//! person, which dates feed the timetable), a template in `templates/` named after its id and,
//! when the schema cannot say everything, a module here holding its own rules, listed in
//! [`RULES`]. No other module names a form.

pub mod agency_summary;
pub mod annotations;
pub mod cdop_form_b;
pub mod csprp_notification;
pub mod final_report;
pub mod rapid_review;
pub mod schema_index;

use std::path::Path;

use include_dir::{Dir, include_dir};
use serde::Serialize;
use serde_json::Value;
use thiserror::Error;

use crate::calendar::{Events, LateReasons};
use crate::nhs;
use crate::validate::rules::Checker;
pub use annotations::{Annotations, CaseRole, Identifying};
use schema_index::SchemaIndex;

/// The schemas built into the binary.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/schemas");

/// The suffix of a schema's file name.
const SCHEMA_SUFFIX: &str = ".schema.json";

/// A form's mandatory-content rules, beyond what its schema says.
pub type Rules = fn(&mut Checker<'_>);

/// The forms whose rules are written in Rust, by form id. A form not listed has its schema's
/// rules only.
pub const RULES: &[(&str, Rules)] = &[
    ("csprp-notification", csprp_notification::rules),
    ("agency-summary", agency_summary::rules),
    ("cdop-form-b", cdop_form_b::rules),
    ("rapid-review", rapid_review::rules),
    ("final-report", final_report::rules),
];

/// A form defined in code (for tests and tools): its id, schema text and rules.
#[derive(Debug)]
pub struct FormSpec {
    /// The form id every submission names in `"form"`.
    pub id: &'static str,
    /// The JSON Schema (draft 2020-12) text.
    pub schema: &'static str,
    /// The form's mandatory-content rules, beyond what its schema says.
    pub rules: Rules,
}

/// The events of one case from its forms, in any order: each form's dates in the order of the
/// case's journey (by case role), the first form to give an event keeping it. Returns the
/// events and a sentence for each date two forms disagree on.
pub fn case_events<'a>(
    submissions: impl IntoIterator<Item = (&'a Form, &'a Value)>,
) -> (Events, Vec<String>) {
    let mut ordered: Vec<(&Form, &Value)> = submissions.into_iter().collect();
    ordered.sort_by(|(a, _), (b, _)| a.journey_key().cmp(&b.journey_key()));
    let mut events = Events::new();
    let mut notes = Vec::new();
    for (form, submission) in ordered {
        notes.extend(crate::calendar::deadlines::merge_events(
            &mut events,
            form.events(submission),
            form.title(),
        ));
    }
    (events, notes)
}

/// Why steps of one case were late, from its forms in any order: each form's `late-reason`
/// fields (`x-timetable`), in the order of the case's journey, the first form to give a reason
/// for an event keeping it.
pub fn case_late_reasons<'a>(
    submissions: impl IntoIterator<Item = (&'a Form, &'a Value)>,
) -> LateReasons {
    let mut ordered: Vec<(&Form, &Value)> = submissions.into_iter().collect();
    ordered.sort_by(|(a, _), (b, _)| a.journey_key().cmp(&b.journey_key()));
    let mut reasons = LateReasons::new();
    for (form, submission) in ordered {
        for (event, reason) in form.annotations().late_reasons(submission) {
            reasons.entry(event).or_insert(reason);
        }
    }
    reasons
}

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
    /// A schema failed to load (a defect of the build or of a form added by configuration, not
    /// of any submission).
    #[error("The schema of form \"{id}\" could not be loaded: {reason}")]
    BadSchema {
        /// The form id, or the file name when the schema names none.
        id: String,
        /// What went wrong.
        reason: String,
    },
    /// Two schemas declare the same form id.
    #[error("Two schemas declare the form \"{0}\".")]
    Duplicate(String),
    /// A folder of extra forms could not be read.
    #[error("The forms in {path} could not be read: {reason}")]
    Folder {
        /// The folder.
        path: String,
        /// What went wrong.
        reason: String,
    },
}

/// One form, ready to validate: its schema parsed and compiled, its fields indexed.
pub struct Form {
    id: String,
    rules: Option<Rules>,
    annotations: Annotations,
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
            .field("id", &self.id)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl Form {
    /// Parses and compiles a form defined in code; its schema must declare the same id.
    pub fn load(spec: &FormSpec) -> Result<Self, FormError> {
        let form = Self::from_schema(spec.schema, Some(spec.rules), spec.id)?;
        if form.id != spec.id {
            return Err(FormError::BadSchema {
                id: spec.id.to_owned(),
                reason: format!("it declares x-form-id \"{}\"", form.id),
            });
        }
        Ok(form)
    }

    /// Parses and compiles a schema's text; `rules` are its rules written in Rust, if any;
    /// `origin` names it in errors (a file name) until its id is known.
    pub fn from_schema(text: &str, rules: Option<Rules>, origin: &str) -> Result<Self, FormError> {
        let mut id = origin.to_owned();
        let bad = |id: &str, reason: String| FormError::BadSchema {
            id: id.to_owned(),
            reason,
        };
        let schema: Value = serde_json::from_str(text).map_err(|e| bad(&id, e.to_string()))?;
        let text = |key: &str| schema.get(key).and_then(Value::as_str).map(str::to_owned);
        id = text("x-form-id").ok_or_else(|| bad(&id, "it has no x-form-id".into()))?;
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_format("nhs-number", nhs::format_check)
            .build(&schema)
            .map_err(|e| bad(&id, e.to_string()))?;
        let version = text("x-form-version").ok_or_else(|| bad(&id, "no x-form-version".into()))?;
        let title = text("title").ok_or_else(|| bad(&id, "no title".into()))?;
        let source =
            text("x-source").unwrap_or_else(|| "Working Together to Safeguard Children".into());
        let index = SchemaIndex::new(&schema);
        let annotations = Annotations::read(&schema, &index).map_err(|reason| bad(&id, reason))?;
        Ok(Form {
            id,
            rules,
            annotations,
            schema,
            validator,
            index,
            title,
            version,
            source,
        })
    }

    /// The form id, e.g. `rapid-review`.
    pub fn id(&self) -> &str {
        &self.id
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

    /// What the schema says of the form's part in a case.
    pub fn annotations(&self) -> &Annotations {
        &self.annotations
    }

    /// The form's part in a case.
    pub fn case_role(&self) -> CaseRole {
        self.annotations.case_role
    }

    /// The form's mandatory-content rules written in Rust, if it has any.
    pub fn rules(&self) -> Option<Rules> {
        self.rules
    }

    /// The dates of the case a submission of this form records, by calendar event.
    pub fn events(&self, submission: &Value) -> Events {
        self.annotations.events(submission)
    }

    /// Where the form sits in a case's journey, for ordering.
    fn journey_key(&self) -> (CaseRole, &str) {
        (self.annotations.case_role, &self.id)
    }

    /// A short summary for listings.
    pub fn summary(&self) -> FormSummary {
        FormSummary {
            id: self.id.clone(),
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
    extra: Option<std::path::PathBuf>,
}

impl Registry {
    /// Loads and compiles every built-in form.
    pub fn load() -> Result<Self, FormError> {
        Self::load_adding(None)
    }

    /// Loads the built-in forms and, from the folder `extra`, the forms a partnership adds:
    /// each is a schema (`<id>.schema.json`) and a template (`<id>.md.hbs`) side by side. A
    /// form added this way has its schema's rules only.
    pub fn load_adding(extra: Option<&Path>) -> Result<Self, FormError> {
        let mut forms = Vec::new();
        for file in EMBEDDED.files() {
            let name = file.path().to_string_lossy();
            if let (Some(stem), Some(text)) =
                (name.strip_suffix(SCHEMA_SUFFIX), file.contents_utf8())
            {
                forms.push(Form::from_schema(text, None, stem)?);
            }
        }
        if let Some(dir) = extra {
            let folder = |reason: String| FormError::Folder {
                path: dir.display().to_string(),
                reason,
            };
            let entries = std::fs::read_dir(dir).map_err(|e| folder(e.to_string()))?;
            let mut paths: Vec<_> = entries.flatten().map(|entry| entry.path()).collect();
            paths.sort();
            for path in paths {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                let Some(stem) = name.as_deref().and_then(|n| n.strip_suffix(SCHEMA_SUFFIX)) else {
                    continue;
                };
                let text = std::fs::read_to_string(&path).map_err(|e| folder(e.to_string()))?;
                forms.push(Form::from_schema(&text, None, stem)?);
            }
        }
        for form in &mut forms {
            form.rules = RULES
                .iter()
                .find(|(id, _)| *id == form.id)
                .map(|(_, rules)| *rules);
        }
        let mut ids = std::collections::BTreeSet::new();
        if let Some(twice) = forms.iter().find(|form| !ids.insert(form.id.as_str())) {
            return Err(FormError::Duplicate(twice.id.clone()));
        }
        forms.sort_by(|a, b| a.journey_key().cmp(&b.journey_key()));
        Ok(Registry {
            forms,
            extra: extra.map(Path::to_path_buf),
        })
    }

    /// The folder of forms a partnership added, if any: their templates are there too.
    pub fn extra_folder(&self) -> Option<&Path> {
        self.extra.as_deref()
    }

    /// The forms of one part in a case, in the registry's order.
    pub fn with_role(&self, role: CaseRole) -> impl Iterator<Item = &Form> {
        self.forms
            .iter()
            .filter(move |form| form.case_role() == role)
    }

    /// Where the final report holds its recommendations (its schema's `x-actions`): the first
    /// form of the final-report role that says.
    pub fn recommendation_fields(&self) -> Option<&crate::actions::RecommendationFields> {
        self.with_role(CaseRole::FinalReport)
            .find_map(|form| form.annotations().actions.as_ref())
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

    /// The titles of the codes the forms give the timeliness report (categories of abuse or
    /// neglect, rapid review decisions), from their fields' `x-enum-titles`.
    pub fn report_titles(&self) -> std::collections::BTreeMap<String, String> {
        self.forms
            .iter()
            .flat_map(|form| form.annotations().report.titles.clone())
            .collect()
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
