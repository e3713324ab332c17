//! Validation: one [`Report`] for any form, from its schema and its mandatory-content rules.
//!
//! Schema errors come from the `jsonschema` crate and are translated into plain English with
//! each field's title ([`schema`]). Content a schema cannot express (substantive text, dates
//! in order, deadlines, check digits) is checked by small named rules: the shared ones live in
//! [`rules`], [`text`] and [`dates`], the ones that know a form live with that form in
//! [`crate::forms`]. Every submitted value a message shows is put into words by [`words`].

pub mod dates;
pub mod input;
pub mod record;
pub mod rules;

/// The NHS number check, now one level down (`crate::nhs`), under its old name.
pub use crate::nhs;
pub mod schema;
pub mod text;
pub mod words;

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::forms::{Form, FormError, Registry};
pub use rules::RuleContext;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The form cannot be accepted as it is.
    Error,
    /// The form can be accepted, but something needs a look.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One thing wrong with, or worth a look in, a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// JSON pointer to the field, `""` for the whole form.
    pub pointer: String,
    /// The field's title, as the form shows it.
    pub field: String,
    /// What is wrong and what to do, in plain English.
    pub message: String,
    /// Stable rule id, e.g. `csprp-notification.aware-before-incident`.
    pub rule: String,
    /// The guidance the rule rests on.
    pub source: String,
}

/// The result of validating one submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The form id the submission names.
    pub form: String,
    /// The form version the engine validated against.
    pub form_version: String,
    /// True when there is no error (warnings allowed).
    pub valid: bool,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Every finding, errors first, in the order of the form.
    pub findings: Vec<Finding>,
}

impl Report {
    fn new(form: &Form, mut findings: Vec<Finding>) -> Self {
        findings.sort_by_key(|finding| finding.severity);
        let mut seen = std::collections::HashSet::new();
        findings.retain(|f| seen.insert((f.rule.clone(), f.pointer.clone())));
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Report {
            form: form.id().to_owned(),
            form_version: form.version().to_owned(),
            valid: errors == 0,
            errors,
            warnings: findings.len() - errors,
            findings,
        }
    }

    /// The distinct rule ids that fired, sorted.
    pub fn rules(&self) -> Vec<&str> {
        let mut rules: Vec<&str> = self.findings.iter().map(|f| f.rule.as_str()).collect();
        rules.sort_unstable();
        rules.dedup();
        rules
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.findings.is_empty() {
            return writeln!(f, "No problems found.");
        }
        for finding in &self.findings {
            writeln!(f, "- {}: {}", finding.severity, finding.message)?;
            let place = if finding.pointer.is_empty() {
                "the whole form".to_owned()
            } else {
                format!("\"{}\" ({})", finding.field, finding.pointer)
            };
            writeln!(f, "  Where: {place}")?;
            writeln!(f, "  Guidance: {} [{}]", finding.source, finding.rule)?;
        }
        writeln!(f, "{} error(s), {} warning(s).", self.errors, self.warnings)
    }
}

/// Validates a submission against the form it names, with the default calendar.
pub fn validate(registry: &Registry, submission: &Value) -> Result<Report, FormError> {
    let form = registry.detect(submission)?;
    Ok(validate_form(form, submission, &RuleContext::default()))
}

/// Validates a submission against a given form: schema errors first, then the rules. A field
/// holding the wrong type of value, or an implausible date, is reported once: the rules that
/// read it stay silent.
pub fn validate_form(form: &Form, submission: &Value, context: &RuleContext) -> Report {
    let (mut findings, wrong_type) = schema::findings(form, submission);
    let mut checker = rules::Checker::new(form, submission, context);
    checker.set_unusable(wrong_type);
    check_text_fields(&mut checker);
    if let Some(rules) = form.rules() {
        rules(&mut checker);
    }
    findings.extend(checker.into_findings());
    Report::new(form, findings)
}

/// The checks of text fields beyond the schema, in one walk of the submission: plausible dates
/// ([`dates`]) and substantive answers ([`text`]). Nothing is allocated unless a field fails.
fn check_text_fields(checker: &mut rules::Checker<'_>) {
    let context = checker.context();
    let mut today_once = None;
    let mut today = || *today_once.get_or_insert_with(|| context.today());
    let mut implausible = Vec::new();
    let mut weak = Vec::new();
    checker
        .form()
        .index()
        .for_each_checked_text(checker.doc(), &mut |pointer, info, value| {
            if info.format.as_deref() == Some("date")
                && let Some(found) = dates::judge(pointer, value, &mut today)
            {
                implausible.push((pointer.to_owned(), value, found));
            }
            if info.substantive
                && let Some(weakness) = text::judge(info, value)
            {
                weak.push((pointer.to_owned(), weakness, info.source.clone()));
            }
        });
    for (pointer, value, found) in implausible {
        dates::report(checker, &pointer, value, &found);
    }
    for (pointer, weakness, source) in weak {
        text::report(checker, &pointer, weakness, source);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::FormSpec;
    use serde_json::json;

    static SPEC: FormSpec = FormSpec {
        id: "test-form",
        schema: r##"{
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "Test notification",
          "x-form-id": "test-form",
          "x-form-version": "1.0",
          "x-source": "Test guidance",
          "x-case-role": "notification",
          "x-senders": ["partnership"],
          "type": "object",
          "additionalProperties": false,
          "$defs": {
            "child": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "nhs_number": {"type": "string", "title": "NHS number", "pattern": "^[0-9]{10}$", "format": "nhs-number"},
                "sex": {"title": "Sex", "enum": ["female", "male"], "x-enum-titles": {"female": "Female", "male": "Male"}}
              }
            }
          },
          "properties": {
            "form": {"const": "test-form", "title": "Form"},
            "form_version": {"const": "1.0", "title": "Form version"},
            "nature": {"title": "Nature of the incident", "enum": ["death", "serious-harm"]},
            "date_of_death": {"title": "Date of death", "type": "string", "format": "date", "x-source": "WT18 4.8"},
            "summary": {"title": "Summary", "type": "string", "x-substantive": true},
            "child": {"$ref": "#/$defs/child", "title": "The child"}
          },
          "required": ["form", "form_version", "nature"],
          "allOf": [{
            "x-rule": "test-form.date-of-death",
            "x-message": "Because the child died, give the date of death.",
            "x-source": "WT18 4.9",
            "if": {"properties": {"nature": {"const": "death"}}, "required": ["nature"]},
            "then": {"required": ["date_of_death"]}
          }]
        }"##,
        rules: |_| {},
    };

    fn report(doc: serde_json::Value) -> Report {
        let form = Form::load(&SPEC).expect("test schema loads");
        validate_form(&form, &doc, &RuleContext::default())
    }

    fn finding<'a>(report: &'a Report, rule: &str) -> &'a Finding {
        report
            .findings
            .iter()
            .find(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("no {rule} in {report:#?}"))
    }

    #[test]
    fn a_good_submission_has_no_findings() {
        let r = report(
            json!({"form": "test-form", "form_version": "1.0", "nature": "serious-harm",
            "summary": "The child was taken to hospital with a head injury.",
            "child": {"nhs_number": "9434765919", "sex": "female"}}),
        );
        assert!(r.valid, "{r:#?}");
        assert!(r.findings.is_empty());
    }

    #[test]
    fn conditional_requirement_uses_the_blocks_rule_message_and_source() {
        let r = report(json!({"form": "test-form", "form_version": "1.0", "nature": "death"}));
        let f = finding(&r, "test-form.date-of-death");
        assert_eq!(f.pointer, "/date_of_death");
        assert_eq!(f.field, "Date of death");
        assert_eq!(f.message, "Because the child died, give the date of death.");
        assert_eq!(f.source, "WT18 4.9");
        assert!(!r.valid);
    }

    #[test]
    fn every_problem_is_reported_at_once_in_plain_english() {
        let r = report(
            json!({"form": "test-form", "form_version": "0.9", "nature": "drowned",
            "date_of_death": "2025-02-30", "summary": "TBC", "colour": "red",
            "child": {"nhs_number": "9434765918", "sex": "f"}}),
        );
        assert_eq!(
            r.rules(),
            vec![
                "nhs-number.check-digit",
                "schema.additional-property",
                "schema.const",
                "schema.enum",
                "schema.format",
                "text.substantive"
            ]
        );
        let date = finding(&r, "schema.format");
        assert_eq!(date.pointer, "/date_of_death");
        assert_eq!(date.source, "WT18 4.8");
        assert!(
            date.message
                .starts_with("Date of death must be a real date"),
            "{}",
            date.message
        );
        let nhs = finding(&r, "nhs-number.check-digit");
        assert_eq!(nhs.pointer, "/child/nhs_number");
        assert_eq!(nhs.field, "NHS number");
        let sex = r
            .findings
            .iter()
            .find(|f| f.pointer == "/child/sex")
            .expect("sex finding");
        assert!(sex.message.contains("Female (female)"), "{}", sex.message);
        let extra = finding(&r, "schema.additional-property");
        assert_eq!(extra.pointer, "/colour");
        let version = finding(&r, "schema.const");
        assert!(
            version.message.contains("version \"0.9\""),
            "{}",
            version.message
        );
        assert!(
            finding(&r, "text.substantive")
                .message
                .contains("placeholder")
        );
    }

    #[test]
    fn a_missing_field_is_named_by_its_title() {
        let r = report(json!({"form": "test-form", "form_version": "1.0"}));
        let f = finding(&r, "schema.required");
        assert_eq!(f.pointer, "/nature");
        assert_eq!(
            f.message,
            "Nature of the incident is missing. Please fill it in."
        );
        assert_eq!(f.source, "Test guidance");
    }

    #[test]
    fn wrong_types_are_explained() {
        let r = report(
            json!({"form": "test-form", "form_version": "1.0", "nature": "death",
            "date_of_death": 20250101}),
        );
        let f = finding(&r, "schema.type");
        assert_eq!(
            f.message,
            "Date of death should be text, but it is a whole number."
        );
    }
}
