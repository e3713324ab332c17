//! The yearly report's schema, compiled once, and what it says about each section and each
//! body a copy is sent to. The sections are read from the schema in its order: their titles,
//! what the guidance asks of them, their sources, the words they need, the figures that go
//! with them and whether an answer elsewhere decides that they are needed.

use std::sync::LazyLock;

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::YearlyError;
use crate::forms::schema_index::{SchemaIndex, escape_segment};
use crate::validate::text::DEFAULT_MIN_WORDS;
use crate::validate::{Finding, Severity, words};

/// The schema's text, built in.
const TEXT: &str = include_str!("../../schemas/records/yearly-report.schema.json");

/// Where the written sections are, and where the dates of the copies sent are.
const SECTIONS: &str = "sections";
const SENT: &str = "sent";

/// One written section, as the schema describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionSpec {
    /// The section's key in the answers.
    pub key: String,
    /// Its JSON pointer in the answers.
    pub pointer: String,
    /// Its title.
    pub title: String,
    /// What the guidance asks it to say.
    pub description: String,
    /// The guidance it rests on.
    pub source: String,
    /// The fewest words that count as written.
    pub min_words: usize,
    /// The service's figures printed after it (`x-figures`), if any.
    pub figures: Option<String>,
    /// A pointer to a yes-or-no answer that decides whether it is needed (`x-required-if`).
    pub required_if: Option<String>,
}

/// One body a copy of the published report is sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientSpec {
    /// The key in the answers' `sent`.
    pub key: String,
    /// Its JSON pointer in the answers.
    pub pointer: String,
    /// The field's title ("Sent to the ...").
    pub title: String,
    /// The body's name, from the title.
    pub name: String,
}

/// The schema, its validator, its index of titles and what it says of sections and copies.
pub(super) struct Compiled {
    pub(super) schema: Value,
    pub(super) validator: jsonschema::Validator,
    pub(super) index: SchemaIndex,
    pub(super) source: String,
    pub(super) sections: Vec<SectionSpec>,
    pub(super) recipients: Vec<RecipientSpec>,
    /// Calendar days after publication by which each copy is due.
    pub(super) due_days: u64,
    /// The guidance on sending copies.
    pub(super) sending_source: String,
}

static COMPILED: LazyLock<Result<Compiled, String>> = LazyLock::new(|| {
    let schema: Value = serde_json::from_str(TEXT).map_err(|e| e.to_string())?;
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| e.to_string())?;
    let index = SchemaIndex::new(&schema);
    let text = |value: &Value, key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let source = text(&schema, "x-source").ok_or("the schema names no x-source")?;
    let sections = properties(&schema, SECTIONS)
        .map(|(key, field)| {
            let pointer = format!("/{SECTIONS}/{}", escape_segment(key));
            Ok(SectionSpec {
                key: key.clone(),
                title: text(field, "title").ok_or(format!("{pointer} has no title"))?,
                description: text(field, "description")
                    .ok_or(format!("{pointer} has no description"))?,
                source: text(field, "x-source").ok_or(format!("{pointer} has no x-source"))?,
                min_words: field
                    .get("x-min-words")
                    .and_then(Value::as_u64)
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(DEFAULT_MIN_WORDS),
                figures: text(field, "x-figures"),
                required_if: text(field, "x-required-if"),
                pointer,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    if sections.is_empty() {
        return Err("the schema has no sections".to_owned());
    }
    let recipients = properties(&schema, SENT)
        .map(|(key, field)| {
            let title = text(field, "title").unwrap_or_else(|| key.clone());
            RecipientSpec {
                key: key.clone(),
                pointer: format!("/{SENT}/{}", escape_segment(key)),
                name: title
                    .strip_prefix("Sent to the ")
                    .or_else(|| title.strip_prefix("Sent to "))
                    .map_or_else(|| title.clone(), str::to_owned),
                title,
            }
        })
        .collect();
    let sent = schema.pointer(&format!("/properties/{SENT}"));
    let due_days = sent
        .and_then(|s| s.get("x-due-calendar-days-after-publication"))
        .and_then(Value::as_u64)
        .ok_or("the schema gives no days for sending copies")?;
    let sending_source = sent
        .and_then(|s| text(s, "x-source"))
        .unwrap_or_else(|| source.clone());
    Ok(Compiled {
        schema,
        validator,
        index,
        source,
        sections,
        recipients,
        due_days,
        sending_source,
    })
});

fn properties<'a>(
    schema: &'a Value,
    container: &str,
) -> impl Iterator<Item = (&'a String, &'a Value)> {
    schema
        .pointer(&format!("/properties/{container}/properties"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

/// The compiled schema.
pub(super) fn compiled() -> Result<&'static Compiled, YearlyError> {
    COMPILED
        .as_ref()
        .map_err(|reason| YearlyError::Schema(reason.clone()))
}

impl Compiled {
    /// The guidance a field rests on: its own `x-source`, else the record's.
    pub(super) fn source_of(&self, pointer: &str) -> String {
        self.index
            .field(pointer)
            .and_then(|info| info.source.clone())
            .unwrap_or_else(|| self.source.clone())
    }

    /// The field's name as people know it.
    pub(super) fn label(&self, pointer: &str) -> String {
        self.index.label(pointer)
    }

    /// An error or warning at `pointer`, with the field's own source.
    pub(super) fn finding(
        &self,
        severity: Severity,
        pointer: &str,
        rule: &str,
        message: String,
    ) -> Finding {
        self.finding_with(severity, pointer, rule, self.source_of(pointer), message)
    }

    /// A finding with a source of its own.
    pub(super) fn finding_with(
        &self,
        severity: Severity,
        pointer: &str,
        rule: &str,
        source: String,
        message: String,
    ) -> Finding {
        Finding {
            severity,
            pointer: pointer.to_owned(),
            field: self.label(pointer),
            message,
            rule: rule.to_owned(),
            source,
        }
    }
}

/// Every schema error of `doc`, in plain English. Dates are judged by `answers`, which says
/// what is wrong with one; an error inside a field that holds the wrong type of value is not
/// reported on top of the type error.
pub(super) fn findings(compiled: &Compiled, doc: &Value) -> Vec<Finding> {
    if compiled.validator.is_valid(doc) {
        return Vec::new();
    }
    let errors: Vec<_> = compiled.validator.iter_errors(doc).collect();
    let wrong_type: Vec<String> = errors
        .iter()
        .filter(|e| matches!(e.kind(), ValidationErrorKind::Type { .. }))
        .map(|e| e.instance_path().as_str().to_owned())
        .collect();
    let mut out = Vec::new();
    for error in &errors {
        let at = error.instance_path().as_str();
        let is_type = matches!(error.kind(), ValidationErrorKind::Type { .. });
        if !is_type
            && wrong_type
                .iter()
                .any(|w| crate::validate::schema::within(at, w))
        {
            continue;
        }
        if let Some(finding) = translate(compiled, at, error.instance(), error.kind()) {
            out.push(finding);
        }
    }
    out
}

fn translate(
    compiled: &Compiled,
    at: &str,
    instance: &Value,
    kind: &ValidationErrorKind,
) -> Option<Finding> {
    let label = |pointer: &str| format!("\"{}\"", compiled.label(pointer));
    let (pointer, rule, message) = match kind {
        ValidationErrorKind::Required { property } => {
            let pointer = format!(
                "{at}/{}",
                escape_segment(property.as_str().unwrap_or_default())
            );
            let message = format!("{} is missing. Please fill it in.", label(&pointer));
            (pointer, "schema.required", message)
        }
        ValidationErrorKind::Type { .. } => {
            let wanted = compiled
                .index
                .field(at)
                .and_then(|info| info.kind.as_deref())
                .map_or("something else", type_words);
            let message = format!(
                "{} should be {wanted}; it is {}.",
                label(at),
                words::value(instance)
            );
            (at.to_owned(), "schema.type", message)
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            // One finding for the first: a file of the wrong kind has many.
            let name = unexpected.first()?;
            let pointer = format!("{at}/{}", escape_segment(name));
            let whole = if at.is_empty() {
                "the yearly report's answers".to_owned()
            } else {
                label(at)
            };
            let message = format!(
                "{} is not a field of {whole}. Please check its spelling, or remove it.",
                words::quote(name)
            );
            (pointer, "schema.unknown-field", message)
        }
        ValidationErrorKind::MinLength { .. } => {
            let message = format!("{} is empty. Please fill it in.", label(at));
            (at.to_owned(), "schema.empty", message)
        }
        ValidationErrorKind::MaxLength { limit } => {
            let message = format!(
                "{} is longer than this service keeps ({} characters at most). Please shorten it, or move detail to an appendix published with the report.",
                label(at),
                words::limit(&Value::from(*limit))
            );
            (at.to_owned(), "schema.too-long", message)
        }
        // A date is judged by `answers`, which says what to write instead.
        ValidationErrorKind::Format { format } if format == "date" => return None,
        _ => {
            let message = format!(
                "{} is {}, which is not a valid answer here.",
                label(at),
                words::value(instance)
            );
            (at.to_owned(), "schema.invalid", message)
        }
    };
    Some(compiled.finding(Severity::Error, &pointer, rule, message))
}

fn type_words(kind: &str) -> &'static str {
    match kind {
        "string" => "text",
        "boolean" => "yes or no (true or false)",
        "object" => "a group of answers",
        "integer" => "a whole number",
        "number" => "a number",
        "array" => "a list",
        _ => "something else",
    }
}
