//! Schema errors in plain English.
//!
//! The `jsonschema` crate says what failed in schema terms ("/aware_date: format"). This module
//! says it as a colleague would, naming the field by its `title`, and attaches a rule id and the
//! guidance it rests on. A conditional block may name its own rule, message and source with the
//! annotations `x-rule`, `x-message` and `x-source`; the nearest such block around the failing
//! keyword wins.

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::{Finding, Severity, nhs, words};
use crate::forms::Form;
use crate::forms::schema_index::{escape_segment, pointer_segments};

/// Every schema error of `doc` against `form`, as findings, and the pointers of the fields that
/// hold the wrong type of value (the rules that read them stay silent: see [`cascades`]).
pub fn findings(form: &Form, doc: &Value) -> (Vec<Finding>, PointerSet) {
    // Most submissions are valid: the boolean check is several times cheaper than collecting
    // errors, and gives the same answer.
    if form.validator().is_valid(doc) {
        return (Vec::new(), PointerSet::default());
    }
    let errors: Vec<_> = form.validator().iter_errors(doc).collect();
    let mut wrong_type = PointerSet::default();
    for error in &errors {
        if matches!(error.kind(), ValidationErrorKind::Type { .. }) {
            wrong_type.insert(error.instance_path().as_str());
        }
    }
    let mut out = Vec::new();
    for error in &errors {
        let instance_path = error.instance_path().as_str();
        let schema_path = error.schema_path().as_str();
        let is_type = matches!(error.kind(), ValidationErrorKind::Type { .. });
        if !is_type && cascades(form.schema(), schema_path, instance_path, &wrong_type) {
            continue;
        }
        let translator = Translator {
            form,
            instance_path,
            schema_path,
            instance: error.instance(),
        };
        translator.translate(error.kind(), &mut out);
    }
    (out, wrong_type)
}

/// True when pointer `inner` is `outer` or a place inside it.
pub fn within(inner: &str, outer: &str) -> bool {
    inner
        .strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// True when pointer `a` is `b`, inside it or holds it: reading one reads the other.
pub fn overlaps(a: &str, b: &str) -> bool {
    within(a, b) || within(b, a)
}

/// A set of JSON pointers, asked about places at, inside or around its members in time that
/// grows with the depth of a pointer, not the size of the set (a hostile submission can hold
/// thousands of fields of the wrong type).
#[derive(Debug, Clone, Default)]
pub struct PointerSet(std::collections::BTreeSet<String>);

impl PointerSet {
    /// Adds a pointer.
    pub fn insert(&mut self, pointer: &str) {
        self.0.insert(pointer.to_owned());
    }

    /// True when the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when `pointer` is a member or lies inside one.
    pub fn holds(&self, pointer: &str) -> bool {
        if self.0.is_empty() {
            return false;
        }
        let mut end = pointer.len();
        loop {
            if self.0.contains(&pointer[..end]) {
                return true;
            }
            match pointer[..end].rfind('/') {
                Some(slash) => end = slash,
                None => return false,
            }
        }
    }

    /// True when `pointer` is a member, lies inside one or holds one.
    pub fn touches(&self, pointer: &str) -> bool {
        if self.holds(pointer) {
            return true;
        }
        let inside = format!("{pointer}/");
        self.0
            .range(inside.clone()..)
            .next()
            .is_some_and(|member| member.starts_with(&inside))
    }
}

/// The cascade rule: an error that follows from a field holding the wrong type of value is not
/// reported on top of the type error. That is an error at (or inside) such a field, or an error
/// of a conditional block (`if`/`then`) whose condition reads such a field: a condition about
/// the items of a list holds vacuously when the "list" is text, and its `then` would otherwise
/// demand sections the person never meant to open.
fn cascades(
    schema: &Value,
    schema_path: &str,
    instance_path: &str,
    wrong_type: &PointerSet,
) -> bool {
    if wrong_type.is_empty() {
        return false;
    }
    if wrong_type.holds(instance_path) {
        return true;
    }
    let segments: Vec<String> = pointer_segments(schema_path).collect();
    // The nearest enclosing `then`/`else` whose parent has an `if`.
    let Some(branch) = (0..segments.len()).rev().find(|&i| {
        matches!(segments[i].as_str(), "then" | "else")
            && schema
                .pointer(&join(&segments[..i]))
                .is_some_and(|block| block.get("if").is_some())
    }) else {
        return false;
    };
    let Some(condition) = schema.pointer(&format!("{}/if", join(&segments[..branch]))) else {
        return false;
    };
    // Where the block applies in the submission: the error's place, less the steps into the
    // submission the schema took after the branch.
    let mut steps = 0;
    let mut rest = segments[branch + 1..].iter();
    while let Some(segment) = rest.next() {
        match segment.as_str() {
            "properties" | "patternProperties" | "prefixItems" => {
                rest.next();
                steps += 1;
            }
            "items" | "additionalProperties" | "contains" => steps += 1,
            _ => {}
        }
    }
    let mut base: Vec<&str> = instance_path.split('/').skip(1).collect();
    if steps > base.len() {
        return false;
    }
    base.truncate(base.len() - steps);
    let base = base.iter().map(|s| format!("/{s}")).collect::<String>();
    let mut reads = Vec::new();
    condition_reads(condition, &base, &mut reads, 0);
    reads.iter().any(|read| wrong_type.touches(read))
}

/// The fields a condition looks at, as pointers under `base`.
fn condition_reads(condition: &Value, base: &str, reads: &mut Vec<String>, depth: usize) {
    const MAX_DEPTH: usize = 32;
    let Value::Object(map) = condition else {
        return;
    };
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(Value::Object(properties)) = map.get("properties") {
        for (name, sub) in properties {
            let pointer = format!("{base}/{}", escape_segment(name));
            condition_reads(sub, &pointer, reads, depth + 1);
            reads.push(pointer);
        }
    }
    if let Some(Value::Array(names)) = map.get("required") {
        reads.extend(
            names
                .iter()
                .filter_map(Value::as_str)
                .map(|name| format!("{base}/{}", escape_segment(name))),
        );
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = map.get(key) {
            for branch in branches {
                condition_reads(branch, base, reads, depth + 1);
            }
        }
    }
    if let Some(not) = map.get("not") {
        condition_reads(not, base, reads, depth + 1);
    }
}

fn join(segments: &[String]) -> String {
    segments
        .iter()
        .map(|segment| format!("/{}", escape_segment(segment)))
        .collect()
}

/// What a conditional block (or any enclosing subschema) says about its own failures.
#[derive(Default)]
struct BlockAnnotations {
    rule: Option<String>,
    message: Option<String>,
    source: Option<String>,
}

struct Translator<'a> {
    form: &'a Form,
    instance_path: &'a str,
    schema_path: &'a str,
    instance: &'a Value,
}

impl Translator<'_> {
    fn translate(&self, kind: &ValidationErrorKind, out: &mut Vec<Finding>) {
        let block = self.block_annotations();
        match kind {
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let pointer = format!("{}/{}", self.instance_path, escape_segment(name));
                let title = self.label(&pointer);
                let message = block
                    .message
                    .clone()
                    .unwrap_or_else(|| format!("{title} is missing. Please fill it in."));
                let source = block
                    .source
                    .clone()
                    .or_else(|| self.field_source(&pointer))
                    .unwrap_or_else(|| self.form.source().to_owned());
                let rule = block.rule.unwrap_or_else(|| "schema.required".to_owned());
                out.push(self.finding(&pointer, rule, source, message));
            }
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                let owner = if self.instance_path.is_empty() {
                    format!("the {}", self.form.title())
                } else {
                    format!("\"{}\"", self.label(self.instance_path))
                };
                for name in unexpected {
                    let pointer = format!("{}/{}", self.instance_path, escape_segment(name));
                    let message = format!(
                        "{} is not a field of {owner}. Please check the spelling against the form, or remove it.",
                        words::quote(name)
                    );
                    let source = self.form.source().to_owned();
                    out.push(self.finding(
                        &pointer,
                        "schema.additional-property".to_owned(),
                        source,
                        message,
                    ));
                }
            }
            other => {
                let (rule, message) = self.describe(other);
                let rule = match (block.rule, rule.as_str()) {
                    (_, "nhs-number.check-digit") | (None, _) => rule,
                    (Some(block_rule), _) => block_rule,
                };
                let message = block.message.unwrap_or(message);
                let source = if rule == "nhs-number.check-digit" {
                    nhs::SOURCE.to_owned()
                } else {
                    block
                        .source
                        .or_else(|| self.field_source(self.instance_path))
                        .unwrap_or_else(|| self.form.source().to_owned())
                };
                out.push(self.finding(self.instance_path, rule, source, message));
            }
        }
    }

    /// Rule id and message for a failing keyword other than `required`.
    fn describe(&self, kind: &ValidationErrorKind) -> (String, String) {
        let pointer = self.instance_path;
        let title = self.label(pointer);
        let keyword_value = self.form.schema().pointer(self.schema_path);
        let shown = words::value(self.instance);
        let (rule, message) = match kind {
            ValidationErrorKind::Type { .. } => {
                let expected =
                    keyword_value.map_or_else(|| "something else".to_owned(), expected_type);
                // A number that is not whole, where a whole number is due, is shown: "it is a
                // number" would tell the person nothing.
                let actual = match self.instance {
                    Value::Number(n) if n.as_f64().is_some_and(|x| x.fract() != 0.0) => {
                        shown.clone()
                    }
                    other => actual_type(other).to_owned(),
                };
                (
                    "schema.type",
                    format!("{title} should be {expected}, but it is {actual}."),
                )
            }
            ValidationErrorKind::Format { format } => match format.as_str() {
                "nhs-number" => (
                    "nhs-number.check-digit",
                    format!(
                        "{title} {shown} is not a valid NHS number: its last digit (the check digit) does not match the others. Please copy it again from the child's record."
                    ),
                ),
                "date" => (
                    "schema.format",
                    format!(
                        "{title} must be a real date written as YYYY-MM-DD (for example 2026-03-14); {shown} is not."
                    ),
                ),
                "email" => (
                    "schema.format",
                    format!(
                        "{title} must be an email address such as name@kent.gov.uk; {shown} is not."
                    ),
                ),
                other => (
                    "schema.format",
                    format!("{title} must be written as a {other}; {shown} is not."),
                ),
            },
            ValidationErrorKind::Enum { .. } => {
                let choices = self.choices(keyword_value);
                (
                    "schema.enum",
                    format!(
                        "{title} must be one of: {choices}. It is {shown}, which is not one of the options."
                    ),
                )
            }
            ValidationErrorKind::Constant { expected_value } => {
                if pointer == "/form_version" {
                    (
                        "schema.const",
                        format!(
                            "This file was filled in on version {shown} of the {}; this service reads version {}. Please copy the answers into the current version of the form.",
                            self.form.title(),
                            words::value(expected_value)
                        ),
                    )
                } else {
                    (
                        "schema.const",
                        format!("{title} must be {}.", words::value(expected_value)),
                    )
                }
            }
            ValidationErrorKind::MinItems { limit } => (
                "schema.min-items",
                format!(
                    "{title} needs at least {}.",
                    words::count(*limit, "entry", "entries")
                ),
            ),
            ValidationErrorKind::MaxItems { limit } => (
                "schema.max-items",
                format!(
                    "{title} can hold at most {}; it has {}. Put any more in the free-text summary.",
                    words::count(*limit, "entry", "entries"),
                    self.instance.as_array().map_or(0, Vec::len)
                ),
            ),
            ValidationErrorKind::Pattern { .. } => {
                let hint = self
                    .description(pointer)
                    .map(|d| format!(" {d}"))
                    .unwrap_or_default();
                (
                    "schema.pattern",
                    format!("{title} is not in the expected form ({shown}).{hint}"),
                )
            }
            ValidationErrorKind::Minimum { limit }
            | ValidationErrorKind::ExclusiveMinimum { limit } => (
                "schema.minimum",
                format!(
                    "{title} must be at least {}; it is {shown}.",
                    words::limit(limit)
                ),
            ),
            ValidationErrorKind::Maximum { limit }
            | ValidationErrorKind::ExclusiveMaximum { limit } => (
                "schema.maximum",
                format!(
                    "{title} must be at most {}; it is {shown}.",
                    words::limit(limit)
                ),
            ),
            ValidationErrorKind::MinLength { .. } => (
                "schema.min-length",
                format!("{title} is empty or too short. Please fill it in."),
            ),
            ValidationErrorKind::MaxLength { limit } => (
                "schema.max-length",
                format!(
                    "{title} is too long: it can hold at most {}.",
                    words::count(*limit, "character", "characters")
                ),
            ),
            ValidationErrorKind::Contains => (
                "schema.contains",
                format!("{title} does not include an entry the form needs."),
            ),
            ValidationErrorKind::UniqueItems => (
                "schema.unique-items",
                format!("{title} lists the same entry more than once."),
            ),
            ValidationErrorKind::OneOfNotValid { .. }
            | ValidationErrorKind::OneOfMultipleValid { .. }
            | ValidationErrorKind::AnyOf { .. } => (
                "schema.alternatives",
                format!("{title} is not filled in in one of the ways the form allows."),
            ),
            _ => (
                "schema.other",
                format!("{title} is not filled in in the way the form expects."),
            ),
        };
        (rule.to_owned(), message)
    }

    /// The annotations of the nearest enclosing subschema that names a rule or a message.
    fn block_annotations(&self) -> BlockAnnotations {
        let schema = self.form.schema();
        let segments: Vec<String> = pointer_segments(self.schema_path).collect();
        for end in (0..segments.len()).rev() {
            let prefix: String = segments[..end]
                .iter()
                .map(|segment| format!("/{}", escape_segment(segment)))
                .collect();
            let Some(Value::Object(map)) = schema.pointer(&prefix) else {
                continue;
            };
            let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
            if map.contains_key("x-rule") || map.contains_key("x-message") {
                return BlockAnnotations {
                    rule: text("x-rule"),
                    message: text("x-message"),
                    source: text("x-source"),
                };
            }
        }
        BlockAnnotations::default()
    }

    fn finding(&self, pointer: &str, rule: String, source: String, message: String) -> Finding {
        Finding {
            severity: Severity::Error,
            pointer: pointer.to_owned(),
            field: self.title(pointer),
            message,
            rule,
            source,
        }
    }

    fn title(&self, pointer: &str) -> String {
        self.form.index().title(pointer)
    }

    fn label(&self, pointer: &str) -> String {
        self.form.index().label(pointer)
    }

    fn description(&self, pointer: &str) -> Option<String> {
        self.form
            .index()
            .field(pointer)
            .and_then(|f| f.description.clone())
    }

    fn field_source(&self, pointer: &str) -> Option<String> {
        self.form
            .index()
            .field(pointer)
            .and_then(|f| f.source.clone())
    }

    /// "Physical abuse (physical), Neglect (neglect)".
    fn choices(&self, options: Option<&Value>) -> String {
        let titles = self
            .form
            .index()
            .field(self.instance_path)
            .map(|f| &f.enum_titles);
        let Some(Value::Array(options)) = options else {
            return "the options listed on the form".to_owned();
        };
        options
            .iter()
            .map(|option| {
                let code = option
                    .as_str()
                    .map_or_else(|| words::value(option), str::to_owned);
                match titles.and_then(|t| t.get(&code)) {
                    Some(title) if title != &code => format!("{title} ({code})"),
                    _ => code,
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The schema's `type` in words.
fn expected_type(types: &Value) -> String {
    let one = |name: &str| match name {
        "string" => "text",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "yes or no (true or false)",
        "array" => "a list",
        "object" => "a group of answers",
        "null" => "empty",
        _ => "something else",
    };
    match types {
        Value::String(name) => one(name).to_owned(),
        Value::Array(names) => names
            .iter()
            .filter_map(Value::as_str)
            .map(one)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "something else".to_owned(),
    }
}

/// The submitted value's type in words.
fn actual_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty (null)",
        Value::Bool(_) => "yes or no",
        Value::Number(n)
            if n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|x| x.fract() == 0.0) =>
        {
            "a whole number"
        }
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a group of answers",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_overlap_by_whole_segments() {
        assert!(overlaps("/death/event_triggers", "/death"));
        assert!(overlaps("/death", "/death/event_triggers/0"));
        assert!(!overlaps("/death_date", "/death"));
        assert!(within("/a/b", "/a") && !within("/a", "/a/b"));
        let mut set = PointerSet::default();
        set.insert("/death");
        set.insert("/x/0");
        assert!(set.holds("/death") && set.holds("/death/event_triggers/0"));
        assert!(!set.holds("/death_date") && !set.holds("") && !set.holds("/x"));
        assert!(set.touches("/x") && set.touches("") && !set.touches("/de"));
        set.insert("");
        assert!(set.holds("/anything"));
    }

    #[test]
    fn types_in_words() {
        assert_eq!(
            expected_type(&serde_json::json!(["string", "null"])),
            "text or empty"
        );
        assert_eq!(actual_type(&serde_json::json!(3)), "a whole number");
    }
}
