//! Helpers the templates call: dates in UK style, yes/no, lists, defaults, counts and the
//! titles a form's schema gives its fields and enumeration codes.
//!
//! Every helper returns a value that the template engine then escapes, so nothing a helper
//! returns can become Markdown either.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use handlebars::{
    Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, RenderErrorReason,
    ScopedJson,
};
use serde_json::Value;

use crate::calendar::{Config, deadlines};
use crate::forms::schema_index::{FieldNode, SchemaIndex};

/// The schemas' words, by form id, shared by the helpers that need them.
pub(crate) type Schemas = Arc<BTreeMap<String, SchemaIndex>>;

/// Registers every helper.
pub(crate) fn register(hbs: &mut Handlebars<'static>, schemas: &Schemas) {
    hbs.register_helper("uk_date", value_helper(|h| Ok(uk_date(param(h, 0)).into())));
    hbs.register_helper("yes_no", value_helper(yes_no));
    hbs.register_helper("join", value_helper(join));
    hbs.register_helper("default", value_helper(default));
    hbs.register_helper("count", value_helper(count));
    hbs.register_helper("position", value_helper(position));
    let titles = schemas.clone();
    hbs.register_helper("enum_title", value_helper(move |h| enum_title(&titles, h)));
    let fields = schemas.clone();
    hbs.register_helper(
        "field_title",
        value_helper(move |h| field_title(&fields, h)),
    );
}

/// Registers the helpers that count working days, with the partnership's calendar.
pub(crate) fn register_calendar(hbs: &mut Handlebars<'static>, calendar: Arc<Config>) {
    let days = calendar.clone();
    hbs.register_helper(
        "add_working_days",
        value_helper(move |h| add_working_days(&days, h)),
    );
    hbs.register_helper("deadline", value_helper(move |h| deadline(&calendar, h)));
}

/// A helper that computes a value from its parameters. The value goes back to the template
/// engine, which escapes it when it is written out (and lets `(count x)` be used as a value).
struct ValueHelper<F>(F);

impl<F> HelperDef for ValueHelper<F>
where
    F: Fn(&Helper<'_>) -> Result<Value, RenderError> + Send + Sync,
{
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        (self.0)(h).map(ScopedJson::from)
    }
}

fn value_helper<F>(compute: F) -> Box<dyn HelperDef + Send + Sync>
where
    F: Fn(&Helper<'_>) -> Result<Value, RenderError> + Send + Sync + 'static,
{
    Box::new(ValueHelper(compute))
}

/// What a date helper shows when its start date is missing or not a date.
const NOT_KNOWN: &str = "not known";

fn parse_date(value: &Value) -> Option<NaiveDate> {
    value.as_str().and_then(crate::dates::parse_iso)
}

fn calendar_error(helper: &str, error: impl std::fmt::Display) -> RenderError {
    RenderErrorReason::Other(format!("\"{helper}\" could not count the days: {error}")).into()
}

/// `{{add_working_days date 5}}`: the date that many working days (England and Wales bank
/// holidays and the partnership's closure days excluded) after `date`, in UK style.
fn add_working_days(config: &Config, h: &Helper<'_>) -> Result<Value, RenderError> {
    let days = param(h, 1)
        .as_i64()
        .ok_or_else(|| missing_param("add_working_days", "a date and a number of days"))?;
    let text = match parse_date(param(h, 0)) {
        Some(start) => config
            .calendar()
            .add_working_days(start, days)
            .map(format_uk_date)
            .map_err(|e| calendar_error("add_working_days", e))?,
        None => NOT_KNOWN.to_owned(),
    };
    Ok(Value::String(text))
}

/// `{{deadline "rapid-review-to-panel" notification_date}}`: the due date of a deadline rule
/// of the calendar configuration, counted from the date given for the rule's start.
fn deadline(config: &Config, h: &Helper<'_>) -> Result<Value, RenderError> {
    let id = param(h, 0)
        .as_str()
        .ok_or_else(|| missing_param("deadline", "a rule id and a start date"))?;
    let rule = config.rule(id).map_err(|e| calendar_error("deadline", e))?;
    let text = match parse_date(param(h, 1)) {
        Some(start) => deadlines::apply(
            config.calendar_for(rule),
            start,
            rule.length,
            config.unit(rule),
        )
        .map(format_uk_date)
        .map_err(|e| calendar_error("deadline", e))?,
        None => NOT_KNOWN.to_owned(),
    };
    Ok(Value::String(text))
}

/// A date as `14 March 2026`; anything that is not an ISO date is shown as it was typed.
pub fn uk_date(value: &Value) -> String {
    match value {
        Value::String(text) => match crate::dates::parse_iso(text) {
            Some(date) => crate::dates::long(date),
            None => text.clone(),
        },
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A date as `14 March 2026`.
pub fn format_uk_date(date: NaiveDate) -> String {
    crate::dates::long(date)
}

fn param<'a>(h: &'a Helper<'_>, at: usize) -> &'a Value {
    h.param(at).map_or(&Value::Null, |p| p.value())
}

fn missing_param(helper: &str, what: &str) -> RenderError {
    RenderErrorReason::Other(format!("\"{helper}\" needs {what}")).into()
}

/// Plain text of a scalar value (strings as they are, null as nothing).
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `{{yes_no flag}}`: Yes or No for a boolean, anything else as it is.
fn yes_no(h: &Helper<'_>) -> Result<Value, RenderError> {
    let text = match param(h, 0) {
        Value::Bool(true) => "Yes".to_owned(),
        Value::Bool(false) => "No".to_owned(),
        other => scalar_text(other),
    };
    Ok(Value::String(text))
}

/// `{{join list ", "}}`: a list's values joined by the separator (", " by default).
fn join(h: &Helper<'_>) -> Result<Value, RenderError> {
    let separator = match param(h, 1) {
        Value::String(sep) => sep.as_str(),
        _ => ", ",
    };
    let text = match param(h, 0) {
        Value::Array(values) => values
            .iter()
            .map(scalar_text)
            .collect::<Vec<_>>()
            .join(separator),
        other => scalar_text(other),
    };
    Ok(Value::String(text))
}

/// `{{default value "fallback"}}`: the value, or the fallback when it is empty.
fn default(h: &Helper<'_>) -> Result<Value, RenderError> {
    let value = param(h, 0);
    let empty = match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(values) => values.is_empty(),
        _ => false,
    };
    let chosen = if empty { param(h, 1) } else { value };
    Ok(Value::String(scalar_text(chosen)))
}

/// `{{count list}}`: how many items a list or object has (a single value counts 1).
fn count(h: &Helper<'_>) -> Result<Value, RenderError> {
    let n = match param(h, 0) {
        Value::Array(values) => values.len(),
        Value::Object(map) => map.len(),
        Value::Null => 0,
        _ => 1,
    };
    Ok(Value::from(n))
}

/// `{{position @index}}`: the place in a list counted from 1, for numbering.
fn position(h: &Helper<'_>) -> Result<Value, RenderError> {
    let index = param(h, 0)
        .as_u64()
        .ok_or_else(|| missing_param("position", "a list position such as @index"))?;
    Ok(Value::from(index.saturating_add(1)))
}

/// Finds a field by a dotted path (`children.sex`), stepping into array items as needed.
fn field<'a>(
    schemas: &'a Schemas,
    helper: &str,
    form: &Value,
    path: &Value,
) -> Result<&'a FieldNode, RenderError> {
    let form = form
        .as_str()
        .ok_or_else(|| missing_param(helper, "a form id first, e.g. \"rapid-review\""))?;
    let path = path
        .as_str()
        .ok_or_else(|| missing_param(helper, "a field path second, e.g. \"incident.nature\""))?;
    let index = schemas.get(form).ok_or_else(|| {
        RenderError::from(RenderErrorReason::Other(format!(
            "\"{helper}\" names the form \"{form}\", which does not exist"
        )))
    })?;
    let mut node = index.root();
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        node = node
            .property(segment)
            .or_else(|| node.items.as_deref().and_then(|items| items.property(segment)))
            .ok_or_else(|| {
                RenderError::from(RenderErrorReason::Other(format!(
                    "\"{helper}\" asks for the field \"{path}\", which the form \"{form}\" does not have"
                )))
            })?;
    }
    Ok(node)
}

/// `{{enum_title "form" "field.path" code}}`: the title the schema gives a code (or codes).
fn enum_title(schemas: &Schemas, h: &Helper<'_>) -> Result<Value, RenderError> {
    let node = field(schemas, "enum_title", param(h, 0), param(h, 1))?;
    let titles = if node.info.enum_titles.is_empty() {
        node.items
            .as_deref()
            .map_or(&node.info.enum_titles, |items| &items.info.enum_titles)
    } else {
        &node.info.enum_titles
    };
    let title_of = |value: &Value| {
        let code = scalar_text(value);
        titles.get(&code).cloned().unwrap_or(code)
    };
    let text = match param(h, 2) {
        Value::Array(codes) => codes.iter().map(title_of).collect::<Vec<_>>().join(", "),
        other => title_of(other),
    };
    Ok(Value::String(text))
}

/// `{{field_title "form" "field.path"}}`: the field's title in the schema.
fn field_title(schemas: &Schemas, h: &Helper<'_>) -> Result<Value, RenderError> {
    let node = field(schemas, "field_title", param(h, 0), param(h, 1))?;
    Ok(Value::String(node.info.title.clone().unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_are_shown_in_uk_style_or_as_typed() {
        assert_eq!(uk_date(&json!("2026-03-14")), "14 March 2026");
        assert_eq!(uk_date(&json!("2026-02-30")), "2026-02-30");
        assert_eq!(uk_date(&json!("next week")), "next week");
        assert_eq!(uk_date(&Value::Null), "");
    }
}
