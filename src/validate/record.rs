//! The schema of a record that is not a form (an action, the yearly report's answers), compiled
//! once, and its errors in plain English: each names the field by its title, and rests on the
//! field's own `x-source`, else the record's. A conditional block may name its own rule, message
//! and source (`x-rule`, `x-message`, `x-source`), as in the forms. Dates are left to the
//! record's own date reader, which says what is wrong with one and what to write instead.

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::{Finding, Severity, words};
use crate::forms::schema_index::{SchemaIndex, escape_segment, pointer_segments};

/// The most fields a record's answers are told are not its own: a file of the wrong kind has
/// many, and the first few say enough.
const UNKNOWN_FIELDS_TOLD: usize = 10;

/// A record's schema, its validator and its index of titles.
pub struct RecordSchema {
    /// The schema.
    pub schema: Value,
    /// Its validator (JSON Schema 2020-12, formats checked).
    pub validator: jsonschema::Validator,
    /// Its fields' titles, descriptions, choices and sources.
    pub index: SchemaIndex,
    /// The record's own source (`x-source` at its top).
    pub source: String,
    /// The record as a whole, in words: "an action".
    whole: &'static str,
}

impl RecordSchema {
    /// Compiles a record's schema text; `whole` names the record in messages ("an action").
    /// The error says what is wrong with the schema (a defect of the build, not of any input).
    pub fn compile(text: &str, whole: &'static str) -> Result<Self, String> {
        let schema: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&schema)
            .map_err(|e| e.to_string())?;
        let source = schema
            .get("x-source")
            .and_then(Value::as_str)
            .ok_or("the schema names no x-source")?
            .to_owned();
        Ok(RecordSchema {
            index: SchemaIndex::new(&schema),
            schema,
            validator,
            source,
            whole,
        })
    }

    /// The guidance a field rests on: its own `x-source`, else the record's.
    pub fn source_of(&self, pointer: &str) -> String {
        self.index
            .field(pointer)
            .and_then(|info| info.source.clone())
            .unwrap_or_else(|| self.source.clone())
    }

    /// The field's name as people know it.
    pub fn label(&self, pointer: &str) -> String {
        self.index.label(pointer)
    }

    /// A finding at `pointer`, named by the field's label.
    pub fn finding(
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

    /// Every schema error of `doc`, in plain English; an error inside a field that holds the
    /// wrong type of value is not reported on top of the type error.
    pub fn findings(&self, doc: &Value) -> Vec<Finding> {
        if self.validator.is_valid(doc) {
            return Vec::new();
        }
        let errors: Vec<_> = self.validator.iter_errors(doc).collect();
        let wrong_type: Vec<&str> = errors
            .iter()
            .filter(|e| matches!(e.kind(), ValidationErrorKind::Type { .. }))
            .map(|e| e.instance_path().as_str())
            .collect();
        let mut out = Vec::new();
        for error in &errors {
            let at = error.instance_path().as_str();
            let is_type = matches!(error.kind(), ValidationErrorKind::Type { .. });
            if !is_type && wrong_type.iter().any(|w| super::schema::within(at, w)) {
                continue;
            }
            self.translate(
                at,
                error.schema_path().as_str(),
                error.instance(),
                error.kind(),
                &mut out,
            );
        }
        out
    }

    fn translate(
        &self,
        at: &str,
        schema_path: &str,
        instance: &Value,
        kind: &ValidationErrorKind,
        out: &mut Vec<Finding>,
    ) {
        let label = |pointer: &str| format!("\"{}\"", self.label(pointer));
        let mut push = |pointer: &str, rule: &str, message: String| {
            let finding = match own_rule(&self.schema, schema_path) {
                Some((rule, message, source)) => {
                    self.finding(Severity::Error, pointer, &rule, source, message)
                }
                None => self.finding(
                    Severity::Error,
                    pointer,
                    rule,
                    self.source_of(pointer),
                    message,
                ),
            };
            out.push(finding);
        };
        match kind {
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let pointer = format!("{at}/{}", escape_segment(name));
                let message = format!("{} is missing. Please fill it in.", label(&pointer));
                push(&pointer, "schema.required", message);
            }
            ValidationErrorKind::Type { .. } => {
                let wanted = self
                    .index
                    .field(at)
                    .and_then(|info| info.kind.as_deref())
                    .map_or("something else", type_words);
                let message = format!(
                    "{} should be {wanted}; it is {}.",
                    label(at),
                    words::value(instance)
                );
                push(at, "schema.type", message);
            }
            ValidationErrorKind::Enum { .. } => {
                let choices = self
                    .index
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
                let whole = if at.is_empty() {
                    self.whole.to_owned()
                } else {
                    label(at)
                };
                for name in unexpected.iter().take(UNKNOWN_FIELDS_TOLD) {
                    let pointer = format!("{at}/{}", escape_segment(name));
                    let message = format!(
                        "{} is not a field of {whole}. Please check its spelling, or remove it.",
                        words::quote(name)
                    );
                    push(&pointer, "schema.unknown-field", message);
                }
            }
            ValidationErrorKind::MinLength { .. } => {
                let message = format!("{} is empty. Please fill it in.", label(at));
                push(at, "schema.empty", message);
            }
            ValidationErrorKind::MaxLength { limit } => {
                let message = format!(
                    "{} is longer than this service keeps ({} characters at most). Please shorten it, or move detail to an appendix.",
                    label(at),
                    words::limit(&Value::from(*limit))
                );
                push(at, "schema.too-long", message);
            }
            ValidationErrorKind::Pattern { .. } => {
                let help = self
                    .index
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
            // A date is judged by the record's own date reader.
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record() -> RecordSchema {
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "x-source": "A public document, paragraph 1",
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "status": {"title": "Status", "enum": ["open", "closed"]},
                "note": {"title": "Note", "type": "string", "maxLength": 5,
                    "x-source": "A public document, paragraph 2"},
                "closed_by": {"title": "Closed by", "type": "string"}
            },
            "if": {"properties": {"status": {"const": "closed"}}, "required": ["status"]},
            "then": {"required": ["closed_by"], "x-rule": "record.closed-by",
                "x-message": "Say who closed it.", "x-source": "A public document, paragraph 3"}
        });
        RecordSchema::compile(&schema.to_string(), "a record").expect("compiles")
    }

    #[test]
    fn errors_name_the_field_its_source_and_a_conditional_blocks_own_rule() {
        let findings = record().findings(&json!({"status": "closed", "note": "too long"}));
        let rules: Vec<(&str, &str, &str)> = findings
            .iter()
            .map(|f| (f.rule.as_str(), f.pointer.as_str(), f.source.as_str()))
            .collect();
        assert!(rules.contains(&(
            "record.closed-by",
            "/closed_by",
            "A public document, paragraph 3"
        )));
        assert!(rules.contains(&("schema.too-long", "/note", "A public document, paragraph 2")));
        let wrong = record().findings(&json!({"status": "maybe"}));
        assert_eq!(wrong[0].rule, "schema.enum");
        assert!(
            wrong[0].message.starts_with("\"Status\" must be one of:"),
            "{}",
            wrong[0].message
        );
        assert_eq!(wrong[0].source, "A public document, paragraph 1");
    }

    #[test]
    fn a_file_of_another_kind_is_told_of_a_few_unknown_fields_not_all() {
        let mut doc = serde_json::Map::new();
        for n in 0..500 {
            doc.insert(format!("field_{n}"), json!(n));
        }
        let findings = record().findings(&Value::Object(doc));
        assert_eq!(findings.len(), UNKNOWN_FIELDS_TOLD);
        assert!(
            findings[0].message.contains("is not a field of a record"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn a_schema_without_a_source_does_not_compile() {
        let error = RecordSchema::compile("{\"type\": \"object\"}", "a record").err();
        assert_eq!(error.as_deref(), Some("the schema names no x-source"));
    }
}
