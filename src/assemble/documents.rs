//! The documents the partnership produces, assembled from submissions: the public API the
//! command line and the HTTP service call.

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::error::AssembleError;
use super::model::{Document, Metadata};
use super::templates::Templates;
use crate::forms::{CaseRole, FormError, Registry};

/// The documents a case produces from its forms (beside each form's own document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// The notification, agency returns and rapid review record collated into one document.
    RapidReviewPack,
    /// The covering letter to the Panel that goes with the rapid review decision.
    CoveringLetter,
    /// The final report of a local child safeguarding practice review, in publishable form.
    FinalReport,
    /// The information about improvements, published when the full report is not.
    ImprovementsOnly,
}

impl DocumentKind {
    /// Every kind.
    pub const ALL: [DocumentKind; 4] = [
        DocumentKind::RapidReviewPack,
        DocumentKind::CoveringLetter,
        DocumentKind::FinalReport,
        DocumentKind::ImprovementsOnly,
    ];

    /// The slug used in file names and URLs.
    pub fn slug(self) -> &'static str {
        match self {
            DocumentKind::RapidReviewPack => "rapid-review-pack",
            DocumentKind::CoveringLetter => "covering-letter",
            DocumentKind::FinalReport => "final-report",
            DocumentKind::ImprovementsOnly => "improvements-only",
        }
    }

    /// The name people know the document by.
    pub fn display_name(self) -> &'static str {
        match self {
            DocumentKind::RapidReviewPack => "Rapid review pack",
            DocumentKind::CoveringLetter => "Covering letter to the Panel",
            DocumentKind::FinalReport => "Final report",
            DocumentKind::ImprovementsOnly => "Improvements to be made",
        }
    }

    /// The forms the document cannot be made without, by their part in the case.
    pub fn needs(self) -> &'static [CaseRole] {
        match self {
            DocumentKind::RapidReviewPack | DocumentKind::CoveringLetter => {
                &[CaseRole::Notification, CaseRole::RapidReviewRecord]
            }
            DocumentKind::FinalReport | DocumentKind::ImprovementsOnly => &[CaseRole::FinalReport],
        }
    }

    /// Whether the document is published (and so may be marked OFFICIAL once cleared).
    pub fn publication(self) -> bool {
        matches!(
            self,
            DocumentKind::FinalReport | DocumentKind::ImprovementsOnly
        )
    }

    /// The template that assembles the document, given the form of the case it is made from
    /// (the final report is its form's own document).
    fn template(self, form_id: &str) -> &str {
        match self {
            DocumentKind::FinalReport => form_id,
            _ => self.slug(),
        }
    }

    /// The kind with this slug.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|kind| kind.slug() == slug)
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

/// The protective marking printed in a document's header and footer and kept in its properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Marking {
    /// For anything about a child before publication (the default).
    #[default]
    OfficialSensitive,
    /// For a report as published, when the partnership has cleared it for the public.
    Official,
}

impl Marking {
    /// The marking as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Marking::OfficialSensitive => "OFFICIAL-SENSITIVE",
            Marking::Official => "OFFICIAL",
        }
    }
}

/// A marking this service does not print.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not a protective marking this service prints. Use official-sensitive (the \
     default, for anything about a child before publication) or official (for a report as \
     published)."
)]
pub struct UnknownMarking(pub String);

impl std::str::FromStr for Marking {
    type Err = UnknownMarking;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let key: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '_' | ' ' => '-',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        match key.as_str() {
            "official-sensitive" => Ok(Marking::OfficialSensitive),
            "official" => Ok(Marking::Official),
            _ => Err(UnknownMarking(text.chars().take(40).collect())),
        }
    }
}

/// Builds the metadata every document carries: marking "OFFICIAL-SENSITIVE", language en-GB,
/// the partnership as author, and a date the caller fixes so that output is reproducible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataBuilder {
    date: NaiveDate,
    author: String,
    marking: String,
    language: String,
}

impl MetadataBuilder {
    /// Default author when none is given.
    pub const DEFAULT_AUTHOR: &'static str = "Kent Safeguarding Children Multi-Agency Partnership";

    /// Metadata dated `date`, with the default author, marking and language.
    pub fn new(date: NaiveDate) -> Self {
        MetadataBuilder {
            date,
            author: Self::DEFAULT_AUTHOR.to_owned(),
            marking: Marking::default().as_str().to_owned(),
            language: "en-GB".to_owned(),
        }
    }

    /// Sets the author (the partnership or a person).
    pub fn author(mut self, author: impl Into<String>) -> Self {
        self.author = author.into();
        self
    }

    /// Sets the protective marking.
    pub fn marking(mut self, marking: Marking) -> Self {
        self.marking = marking.as_str().to_owned();
        self
    }

    /// The document's date.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The metadata for one document; its title is replaced by the template's `% Title` line.
    pub fn build(&self, title: impl Into<String>, subject: impl Into<String>) -> Metadata {
        Metadata {
            title: title.into(),
            subject: subject.into(),
            author: self.author.clone(),
            marking: self.marking.clone(),
            language: self.language.clone(),
            date: self.date,
        }
    }
}

/// Assembles documents from submissions with the built-in templates.
#[derive(Debug)]
pub struct Assembler {
    templates: Arc<Templates>,
    forms: Vec<KnownForm>,
    meta: MetadataBuilder,
}

/// What the assembler needs to know of each form.
#[derive(Debug, Clone)]
struct KnownForm {
    id: String,
    title: String,
    role: CaseRole,
    agency: Option<String>,
}

impl Assembler {
    /// An assembler using the templates built into the binary.
    pub fn new(registry: &Registry, meta: MetadataBuilder) -> Result<Self, AssembleError> {
        Ok(Self::with_templates(
            registry,
            Templates::embedded(registry)?,
            meta,
        ))
    }

    /// An assembler using the given templates: templates tried out from a folder, or ones
    /// compiled once and shared (a service assembles every document with the same `Arc`).
    pub fn with_templates(
        registry: &Registry,
        templates: impl Into<Arc<Templates>>,
        meta: MetadataBuilder,
    ) -> Self {
        Assembler {
            templates: templates.into(),
            forms: registry
                .forms()
                .map(|form| KnownForm {
                    id: form.id().to_owned(),
                    title: form.title().to_owned(),
                    role: form.case_role(),
                    agency: form.annotations().agency.clone(),
                })
                .collect(),
            meta,
        }
    }

    /// The templates in use.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// The document of any valid submission, by the form its `"form"` field names.
    pub fn form_document(&self, submission: &Value) -> Result<Document, AssembleError> {
        let form = self.form_of(submission)?;
        let data = with_date(submission, self.meta.date());
        self.assemble(&form.id, &form.title, submission, data)
    }

    /// The rapid review pack: the notification, every agency summary agency by agency (with
    /// the agencies asked that have not returned one), and the rapid review record, with a
    /// contents list. `agencies_asked` holds agency codes or names.
    pub fn rapid_review_pack(
        &self,
        notification: &Value,
        agency_summaries: &[Value],
        rapid_review: &Value,
        agencies_asked: &[String],
    ) -> Result<Document, AssembleError> {
        self.expect(notification, "The notification", CaseRole::Notification)?;
        self.expect(
            rapid_review,
            "The rapid review record",
            CaseRole::RapidReviewRecord,
        )?;
        let mut summaries = Vec::with_capacity(agency_summaries.len());
        for summary in agency_summaries {
            self.expect(summary, "Each agency's return", CaseRole::AgencyReturn)?;
            summaries.push(summary.clone());
        }
        let mut returned = Vec::with_capacity(summaries.len());
        for summary in &summaries {
            let (id, name) = self.registry_agency(summary);
            returned.push(Returned { id, name });
        }
        let mut order: Vec<usize> = (0..summaries.len()).collect();
        order.sort_by_key(|&i| returned[i].name.clone());
        let summaries: Vec<Value> = order.into_iter().map(|i| summaries[i].clone()).collect();
        let not_returned = not_returned(notification, rapid_review, &returned, agencies_asked);
        let data = json!({
            "case_reference": notification.get("case_reference").cloned().unwrap_or(Value::Null),
            "document_date": self.meta.date().to_string(),
            "notification": notification,
            "summaries": summaries,
            "not_returned": not_returned,
            "rapid_review": rapid_review,
        });
        self.case_document(DocumentKind::RapidReviewPack, rapid_review, data)
    }

    /// The covering letter to the Panel that goes with the rapid review decision.
    pub fn covering_letter(
        &self,
        notification: &Value,
        rapid_review: &Value,
    ) -> Result<Document, AssembleError> {
        self.expect(notification, "The notification", CaseRole::Notification)?;
        self.expect(
            rapid_review,
            "The rapid review record",
            CaseRole::RapidReviewRecord,
        )?;
        let data = json!({
            "case_reference": rapid_review.get("case_reference").cloned().unwrap_or(Value::Null),
            "document_date": self.meta.date().to_string(),
            "notification": notification,
            "rapid_review": rapid_review,
        });
        self.case_document(DocumentKind::CoveringLetter, rapid_review, data)
    }

    /// The final report in its publishable form.
    pub fn final_report(&self, report: &Value) -> Result<Document, AssembleError> {
        self.expect(report, "The report", CaseRole::FinalReport)?;
        self.case_document(
            DocumentKind::FinalReport,
            report,
            with_date(report, self.meta.date()),
        )
    }

    /// The information about improvements, published when the full report is not.
    pub fn improvements_only(&self, report: &Value) -> Result<Document, AssembleError> {
        self.expect(report, "The report", CaseRole::FinalReport)?;
        self.case_document(
            DocumentKind::ImprovementsOnly,
            report,
            with_date(report, self.meta.date()),
        )
    }

    /// A case document made from `source` (the form that gives it its template and reference).
    fn case_document(
        &self,
        kind: DocumentKind,
        source: &Value,
        data: Value,
    ) -> Result<Document, AssembleError> {
        let form = self.form_of(source)?;
        self.assemble(kind.template(&form.id), kind.display_name(), source, data)
    }

    fn assemble(
        &self,
        template: &str,
        title: &str,
        source: &Value,
        data: Value,
    ) -> Result<Document, AssembleError> {
        let reference = source
            .get("case_reference")
            .and_then(Value::as_str)
            .unwrap_or("no case reference");
        let subject = format!("{title}, case {reference}");
        let meta = self.meta.build(title, subject);
        self.templates.render(template, &data, &meta)
    }

    fn form_of(&self, submission: &Value) -> Result<&KnownForm, AssembleError> {
        let map = submission.as_object().ok_or(FormError::NotAnObject)?;
        match map.get("form").and_then(Value::as_str) {
            Some(id) => self
                .forms
                .iter()
                .find(|form| form.id == id)
                .ok_or_else(|| self.unknown(id)),
            None => Err(FormError::MissingFormId {
                known: self.known(),
            }
            .into()),
        }
    }

    /// The submission is of a form playing `role` in the case.
    fn expect(&self, submission: &Value, what: &str, role: CaseRole) -> Result<(), AssembleError> {
        let found = self.form_of(submission)?;
        if found.role == role {
            return Ok(());
        }
        let expected: Vec<&str> = self
            .forms
            .iter()
            .filter(|form| form.role == role)
            .map(|form| form.id.as_str())
            .collect();
        Err(AssembleError::WrongForm {
            role: what.to_owned(),
            expected: expected.join("\" or \""),
            found: found.id.clone(),
        })
    }

    /// The agency an agency's return names, lower-cased: `(id, name)`.
    fn registry_agency(&self, submission: &Value) -> (String, String) {
        let pointer = self
            .form_of(submission)
            .ok()
            .and_then(|form| form.agency.clone())
            .unwrap_or_default();
        let at = |key: &str| {
            submission
                .pointer(&format!("{pointer}/{key}"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_lowercase()
        };
        (at("id"), at("name"))
    }

    fn known(&self) -> String {
        let ids: Vec<&str> = self.forms.iter().map(|form| form.id.as_str()).collect();
        ids.join(", ")
    }

    fn unknown(&self, id: &str) -> AssembleError {
        FormError::UnknownForm {
            id: id.chars().take(80).collect(),
            known: self.known(),
        }
        .into()
    }
}

/// The submission with the document's date added as `document_date`.
fn with_date(submission: &Value, date: NaiveDate) -> Value {
    let mut map = submission.as_object().cloned().unwrap_or_else(Map::new);
    map.insert("document_date".into(), Value::String(date.to_string()));
    Value::Object(map)
}

/// The agency an agency's return comes from: `(id, name)`, lower-cased for matching.
#[derive(Debug, Clone)]
struct Returned {
    id: String,
    name: String,
}

/// The agencies asked that returned nothing, each with its name and, when the rapid review
/// recorded one, the reason.
fn not_returned(
    notification: &Value,
    rapid_review: &Value,
    returned: &[Returned],
    asked: &[String],
) -> Vec<Value> {
    let known = known_agencies(notification, rapid_review);
    let mut out = Vec::new();
    for wanted in asked {
        let key = wanted.trim().to_lowercase();
        if returned.iter().any(|r| r.id == key || r.name == key) {
            continue;
        }
        let entry = known
            .iter()
            .find(|(id, name, _)| id.to_lowercase() == key || name.to_lowercase() == key);
        let (name, reason) = match entry {
            Some((_, name, reason)) => (name.clone(), reason.clone()),
            None => (wanted.trim().to_owned(), None),
        };
        if out.iter().any(|v: &Value| v["name"] == name.as_str()) {
            continue;
        }
        out.push(json!({ "name": name, "reason": reason }));
    }
    out
}

/// (code, name, reason for not contributing) of every agency the notification or the rapid
/// review names.
fn known_agencies(
    notification: &Value,
    rapid_review: &Value,
) -> Vec<(String, String, Option<String>)> {
    let text = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_owned);
    let mut out = Vec::new();
    if let Some(Value::Array(entries)) = rapid_review.get("agencies") {
        for entry in entries {
            if let (Some(id), Some(name)) = (text(entry, "/agency/id"), text(entry, "/agency/name"))
            {
                out.push((id, name, text(entry, "/absence_reason")));
            }
        }
    }
    if let Some(Value::Array(entries)) = notification.get("agencies_involved") {
        for entry in entries {
            if let (Some(id), Some(name)) = (text(entry, "/id"), text(entry, "/name")) {
                out.push((id, name, None));
            }
        }
    }
    out
}
