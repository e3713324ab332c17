//! The action schema, compiled once, and its errors in plain English, each naming the field by
//! its title and the guidance it rests on.

use std::sync::LazyLock;

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::ActionError;
use crate::forms::schema_index::{SchemaIndex, escape_segment, pointer_segments};
use crate::validate::{Finding, Severity, words};

/// The schema's text, built in.
const TEXT: &str = include_str!("../../schemas/records/action.schema.json");

/// The schema, its validator and its index of titles.
pub(super) struct Compiled {
    pub(super) schema: Value,
    pub(super) validator: jsonschema::Validator,
    pub(super) index: SchemaIndex,
    /// The record's own source, for findings of a field that names none.
    pub(super) source: String,
}

static COMPILED: LazyLock<Result<Compiled, String>> = LazyLock::new(|| {
    let schema: Value = serde_json::from_str(TEXT).map_err(|e| e.to_string())?;
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| e.to_string())?;
    let index = SchemaIndex::new(&schema);
    let source = schema
        .get("x-source")
        .and_then(Value::as_str)
        .unwrap_or("Working Together to Safeguard Children 2018, chapter 4, paragraph 43")
        .to_owned();
    Ok(Compiled {
        schema,
        validator,
        index,
        source,
    })
});

/// The compiled schema.
pub(super) fn compiled() -> Result<&'static Compiled, ActionError> {
    COMPILED
        .as_ref()
        .map_err(|reason| ActionError::Schema(reason.clone()))
}

impl Compiled {
    /// The guidance a field rests on: its own `x-source`, else the record's.
    pub(super) fn source_of(&self, pointer: &str) -> String {
        self.index
            .field(pointer)
            .and_then(|info| info.source.clone())
            .unwrap_or_else(|| self.source.clone())
    }

    /// A finding at `pointer`, named by the field's label.
    pub(super) fn finding(
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
            field: self.index.label(pointer),
            message,
            rule: rule.to_owned(),
            source,
        }
    }
}

/// Every schema error of `doc`, in plain English. Dates are left to [`super::dates`], which
/// says what is wrong with one and what to write instead; an error inside a field that holds
/// the wrong type of value is not reported on top of the type error.
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
        if !is_type && wrong_type.iter().any(|w| within(at, w)) {
            continue;
        }
        translate(
            compiled,
            at,
            error.schema_path().as_str(),
            error.instance(),
            error.kind(),
            &mut out,
        );
    }
    out
}

fn within(inner: &str, outer: &str) -> bool {
    inner
        .strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The `x-rule`, `x-message` and `x-source` of the nearest conditional block around the failing
/// keyword, if it names them.
fn own_rule(schema: &Value, schema_path: &str) -> Option<(String, String, String)> {
    let segments: Vec<String> = pointer_segments(schema_path).collect();
    (0..=segments.len()).rev().find_map(|end| {
        let path: String = segments[..end]
            .iter()
            .map(|s| format!("/{}", escape_segment(s)))
            .collect();
        let block = schema.pointer(&path)?;
        let text = |key: &str| block.get(key)?.as_str().map(str::to_owned);
        Some((text("x-rule")?, text("x-message")?, text("x-source")?))
    })
}

fn translate(
    compiled: &Compiled,
    at: &str,
    schema_path: &str,
    instance: &Value,
    kind: &ValidationErrorKind,
    out: &mut Vec<Finding>,
) {
    let index = &compiled.index;
    let label = |pointer: &str| format!("\"{}\"", index.label(pointer));
    let mut push = |pointer: &str, rule: &str, message: String| {
        if let Some((rule, message, source)) = own_rule(&compiled.schema, schema_path) {
            out.push(compiled.finding(Severity::Error, pointer, &rule, source, message));
        } else {
            let source = compiled.source_of(pointer);
            out.push(compiled.finding(Severity::Error, pointer, rule, source, message));
        }
    };
    match kind {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let pointer = format!("{at}/{}", escape_segment(name));
            let message = format!("{} is missing. Please fill it in.", label(&pointer));
            push(&pointer, "schema.required", message);
        }
        ValidationErrorKind::Type { .. } => {
            let wanted = compiled
                .schema
                .pointer(schema_path)
                .and_then(Value::as_str)
                .map_or("something else", type_words);
            let message = format!(
                "{} should be {wanted}; it is {}.",
                label(at),
                words::value(instance)
            );
            push(at, "schema.type", message);
        }
        ValidationErrorKind::Enum { .. } => {
            let choices = index
                .field(at)
                .map(|info| {
                    info.choices()
                        .into_iter()
                        .map(|(code, title)| format!("{title} ({code})"))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let message = format!(
                "{} must be one of: {choices}. It is {}, which is not one of the options.",
                label(at),
                words::value(instance)
            );
            push(at, "schema.enum", message);
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for name in unexpected {
                let pointer = format!("{at}/{}", escape_segment(name));
                let message = format!(
                    "{} is not a field of {}. Please check its spelling, or remove it.",
                    words::quote(name),
                    if at.is_empty() {
                        "an action".to_owned()
                    } else {
                        label(at)
                    }
                );
                push(&pointer, "schema.unknown-field", message);
            }
        }
        ValidationErrorKind::MinLength { .. } => {
            let message = format!("{} is empty. Please fill it in.", label(at));
            push(at, "schema.empty", message);
        }
        ValidationErrorKind::Pattern { .. } => {
            let help = index
                .field(at)
                .and_then(|info| info.description.clone())
                .unwrap_or_default();
            let message = format!(
                "{} is {}, which is not in the form this field needs. {help}",
                label(at),
                words::value(instance)
            );
            push(at, "schema.pattern", message.trim_end().to_owned());
        }
        ValidationErrorKind::Minimum { limit } => {
            let message = format!(
                "{} must be {} or more; it is {}.",
                label(at),
                words::limit(limit),
                words::value(instance)
            );
            push(at, "schema.minimum", message);
        }
        // A date is judged by `dates`, which says what to write instead.
        ValidationErrorKind::Format { format } if format == "date" => {}
        _ => {
            let message = format!(
                "{} is {}, which is not a valid answer here.",
                label(at),
                words::value(instance)
            );
            push(at, "schema.invalid", message);
        }
    }
}

fn type_words(kind: &str) -> &'static str {
    match kind {
        "string" => "text",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "yes or no (true or false)",
        "array" => "a list",
        "object" => "a group of answers",
        _ => "something else",
    }
}
