//! What a field's content control shows: its prompt, its drop-down items and how a JSON value
//! is displayed in it. The control itself is written by the Word writer
//! ([`crate::render::docx::FormField`]).

use serde_json::Value;

use super::fields::Kind;
use crate::render::docx::Control;

/// The text shown in an empty control, by kind.
pub(crate) fn placeholder(kind: &Kind) -> &'static str {
    match kind {
        Kind::Date => "Click or tap to enter a date.",
        Kind::Boolean | Kind::Choice(_) => "Choose an item.",
        _ => "Click or tap here to enter text.",
    }
}

/// Every placeholder text, to recognise one that lost its placeholder mark.
pub(crate) const PLACEHOLDERS: &[&str] = &[
    "Click or tap to enter a date.",
    "Choose an item.",
    "Click or tap here to enter text.",
];

/// Drop-down items of a yes/no field: (display text, value).
pub(crate) const YES_NO: &[(&str, &str)] = &[("Yes", "true"), ("No", "false")];

/// The display text for a JSON value in a control of this kind; `None` when empty.
pub(crate) fn display(kind: &Kind, value: &Value) -> Option<String> {
    let text = match (kind, value) {
        (_, Value::Null) => return None,
        (Kind::Boolean, Value::Bool(true)) => "Yes".to_owned(),
        (Kind::Boolean, Value::Bool(false)) => "No".to_owned(),
        (Kind::Choice(choices), Value::String(code)) => choices
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| code.clone(), |(_, title)| title.clone()),
        (Kind::Date, Value::String(iso)) => uk_date(iso).unwrap_or_else(|| iso.clone()),
        (_, Value::String(text)) => text.clone(),
        (_, other) => other.to_string(),
    };
    (!text.is_empty()).then_some(text)
}

/// `2026-03-04` → `04/03/2026`.
fn uk_date(iso: &str) -> Option<String> {
    crate::dates::parse_iso(iso).map(crate::dates::short)
}

/// The content control for a field of this kind holding `value`.
pub(crate) fn control<'a>(kind: &'a Kind, value: Option<&'a Value>) -> Control<'a> {
    match kind {
        Kind::Date => Control::Date {
            iso: value
                .and_then(Value::as_str)
                .filter(|iso| crate::dates::parse_iso(iso).is_some()),
        },
        Kind::Boolean => Control::DropDown(YES_NO.to_vec()),
        Kind::Choice(choices) => Control::DropDown(
            choices
                .iter()
                .map(|(code, title)| (title.as_str(), code.as_str()))
                .collect(),
        ),
        _ => Control::Text,
    }
}
