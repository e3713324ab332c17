//! Actions: the partnership's plan to implement the learning of its reviews, tracked to
//! completion.
//!
//! Working Together to Safeguard Children 2018 asks the safeguarding partners to "regularly audit
//! progress on the implementation of recommended improvements" (chapter 4, paragraph 43) and to
//! record in their yearly report the "decisions and actions taken ... to implement the
//! recommendations of any local and national child safeguarding practice reviews, including any
//! resulting improvements" (chapter 3, paragraph 42). An action is a record defined by a JSON
//! Schema like the forms (`schemas/records/action.schema.json`), kept apart from the forms
//! because it is no part of a case's statutory paperwork.
//!
//! - [`record`]: the [`Action`] type.
//! - [`validate()`]: the schema and the rules (real dates, sign-off, evidence), one
//!   [`Report`](crate::validate::Report) like the forms'.
//! - [`rag`]: red, amber or green from the due date on a fixed day.
//! - [`derive`]: actions made from a final report's recommendations, once, and merged with
//!   those already held.
//! - [`permissions`]: an agency updates only its own actions; only the partnership closes.

mod dates;
pub mod derive;
pub mod permissions;
pub mod rag;
pub mod record;
mod rules;
mod schema;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;
use thiserror::Error;

use crate::validate::{Report, Severity};

pub use derive::{Derived, MergeOutcome, RecommendationFields, actions_from_final_report, merge};
pub use permissions::{Actor, PermissionError, check_change, may_close, may_update};
pub use rag::{Rag, RagStatus, rag};
pub use record::{Action, Agency, Closure, Progress, Source, SourceKind, Status};

/// The name an action's findings give as their form, and its schema's version.
pub const RECORD: &str = "action";
/// The version of the action schema.
pub const RECORD_VERSION: &str = "1.0";

/// Why an action could not be read.
#[derive(Debug, Clone, Error)]
pub enum ActionError {
    /// The built-in action schema did not compile: a defect of the build, never of an action.
    #[error("The action schema could not be loaded: {0}")]
    Schema(String),
    /// The action breaks the schema or the rules; the report says how.
    #[error("The action is not valid: {}", first_error(.0))]
    Invalid(Report),
}

fn first_error(report: &Report) -> String {
    let first = report
        .findings
        .iter()
        .find(|f| f.severity == Severity::Error)
        .map_or("", |f| f.message.as_str());
    match report.errors {
        0 | 1 => first.to_owned(),
        n => format!("{first} (and {} more)", n - 1),
    }
}

/// The action schema (draft 2020-12), for serving to machines and building pages.
pub fn schema() -> Result<&'static Value, ActionError> {
    schema::compiled().map(|compiled| &compiled.schema)
}

/// Validates an action as sent (JSON) against the schema and the rules, on `today` (dates of
/// what has happened may not be after it). Every finding at once, except that the rules on the
/// action's status wait until its fields have the right types and real dates.
pub fn validate(value: &Value, today: NaiveDate) -> Result<Report, ActionError> {
    let compiled = schema::compiled()?;
    let mut findings = compiled.findings(value);
    let date_findings = dates::findings(compiled, value, today);
    let dates_ok = date_findings.is_empty();
    findings.extend(date_findings);
    if let Ok(action) = Action::deserialize(value) {
        findings.extend(rules::findings(compiled, &action, dates_ok));
    }
    Ok(report(findings))
}

/// Reads an action: its JSON validated ([`validate()`]), then typed.
pub fn parse(value: &Value, today: NaiveDate) -> Result<Action, ActionError> {
    let report = validate(value, today)?;
    if !report.valid {
        return Err(ActionError::Invalid(report));
    }
    Action::deserialize(value).map_err(|e| {
        // Unreachable when the schema and the types agree; reported, not panicked on.
        ActionError::Schema(format!("a valid action could not be read: {e}"))
    })
}

/// Validates a typed action (for example one just changed by an update).
pub fn check(action: &Action, today: NaiveDate) -> Result<Report, ActionError> {
    let value = serde_json::to_value(action).map_err(|e| ActionError::Schema(e.to_string()))?;
    validate(&value, today)
}

fn report(mut findings: Vec<crate::validate::Finding>) -> Report {
    findings.sort_by_key(|f| f.severity);
    let mut seen = std::collections::HashSet::new();
    findings.retain(|f| seen.insert((f.rule.clone(), f.pointer.clone())));
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    Report {
        form: RECORD.to_owned(),
        form_version: RECORD_VERSION.to_owned(),
        valid: errors == 0,
        errors,
        warnings: findings.len() - errors,
        findings,
    }
}

#[cfg(test)]
mod tests;
