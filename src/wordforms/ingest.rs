//! Reading a filled Word form back into the form's JSON.
//!
//! The document is opened with [`crate::ooxml`] (size caps, no DTD or entities), every content
//! control tagged with a JSON pointer is read, the values get their types back from the schema
//! (dates, numbers, yes/no, enumeration codes), and the submission is validated. Unfilled
//! controls (still showing their prompt) count as empty.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Number, Value};

use super::fields::{BOOKMARK_PREFIX, Bookmarks, FORM_BOOKMARK, Kind, VERSION_BOOKMARK};
use super::{WordFormError, controls};
use crate::forms::schema_index::{FieldNode, pointer_segments};
use crate::forms::{Form, Registry};
use crate::ooxml::{Limits, Node, Package};
use crate::validate::{Report, RuleContext, validate_form};

/// A filled form, read back and validated.
#[derive(Debug, Clone, Serialize)]
pub struct Ingested {
    /// The submission, as the form's JSON.
    pub submission: Value,
    /// What validation found; findings name fields by their title on the form.
    pub report: Report,
}

/// One content control as found in the document.
#[derive(Debug, Default, Clone)]
struct Control {
    tag: String,
    /// The field bookmark on the control's label: the pointer when the tag was lost.
    bookmark: Option<String>,
    text: String,
    showing_placeholder: bool,
    full_date: Option<String>,
    items: Vec<(String, String)>,
}

/// Reads a filled Word form (`.docx` bytes) into its submission and validates it.
///
/// A form made from another version of the blank form is refused ([`WordFormError::WrongVersion`]).
pub fn ingest(registry: &Registry, docx: &[u8]) -> Result<Ingested, WordFormError> {
    let (form, submission) = read(registry, docx)?;
    let report = validate_form(form, &submission, &RuleContext::default());
    Ok(Ingested { submission, report })
}

/// Reads a filled Word form into its form and submission, without validating it.
///
/// A form made from another version of the blank form is refused ([`WordFormError::WrongVersion`]).
pub fn read<'r>(registry: &'r Registry, docx: &[u8]) -> Result<(&'r Form, Value), WordFormError> {
    let mut package = Package::open(docx, Limits::default())?;
    let xml = package.required_part("word/document.xml")?;
    let controls = read_controls(&xml, package.limits().max_depth)?;
    let text_of = |tag: &str| {
        let bookmark = match tag {
            super::FORM_TAG => FORM_BOOKMARK,
            _ => VERSION_BOOKMARK,
        };
        controls
            .iter()
            .find(|c| (c.tag == tag || c.bookmark.as_deref() == Some(bookmark)) && !is_empty(c))
            .map(|c| c.text.trim().to_owned())
    };
    let id = text_of(super::FORM_TAG).ok_or(WordFormError::NotAForm)?;
    let form = registry
        .get(&id)
        .ok_or_else(|| WordFormError::UnknownForm {
            id: id.chars().take(80).collect(),
        })?;
    let found = text_of(super::VERSION_TAG).unwrap_or_else(|| "(none)".to_owned());
    if found != form.version() {
        return Err(WordFormError::WrongVersion {
            title: form.title().to_owned(),
            found: found.chars().take(20).collect(),
            current: form.version().to_owned(),
        });
    }
    Ok((form, submission(form, &controls)))
}

fn is_empty(control: &Control) -> bool {
    let text = control.text.trim();
    control.showing_placeholder || text.is_empty() || controls::PLACEHOLDERS.contains(&text)
}

/// Every content control of the main document part, innermost first where they nest.
fn read_controls(xml: &str, max_depth: usize) -> Result<Vec<Control>, WordFormError> {
    let mut reader = crate::ooxml::SafeXml::new(xml, "word/document.xml", max_depth);
    let mut open: Vec<(Control, Section)> = Vec::new();
    let mut label: Option<String> = None;
    let mut found = Vec::new();
    let (mut in_text, mut in_run) = (false, false);
    while let Some(node) = reader.next_node()? {
        match node {
            // A self-closing w:sdt holds nothing, so only an opening one starts a control.
            Node::Start(element) if element.name() == "sdt" => {
                // The field's bookmark is on its label, the last one before the control.
                let control = Control {
                    bookmark: label.take(),
                    ..Control::default()
                };
                open.push((control, Section::None));
            }
            Node::Start(element) | Node::Empty(element)
                if open.is_empty() && element.name() == "bookmarkStart" =>
            {
                if let Some(name) = field_bookmark(&element) {
                    label = Some(name);
                }
            }
            Node::End(end) if end.name() == "sdt" => {
                if let Some((control, _)) = open.pop() {
                    found.push(control);
                }
            }
            Node::Start(element) => {
                let Some((control, section)) = open.last_mut() else {
                    continue;
                };
                match (element.name(), *section) {
                    ("sdtPr", _) => *section = Section::Properties,
                    ("sdtContent", _) => *section = Section::Content,
                    ("t", Section::Content) => in_text = true,
                    ("bookmarkStart", Section::Content) => bookmark(control, &element),
                    ("r", Section::Content) => in_run = true,
                    ("p", Section::Content) => {
                        if control.text.is_empty() {
                            control.text.push('\u{0}');
                        } else {
                            control.text.push('\n');
                        }
                    }
                    (_, Section::Properties) => property(control, &element),
                    _ => {}
                }
            }
            Node::Empty(element) => {
                let Some((control, section)) = open.last_mut() else {
                    continue;
                };
                match (element.name(), *section) {
                    (_, Section::Properties) => property(control, &element),
                    ("bookmarkStart", Section::Content) => bookmark(control, &element),
                    ("br" | "cr", Section::Content) if in_run => control.text.push('\n'),
                    ("tab", Section::Content) if in_run => control.text.push('\t'),
                    _ => {}
                }
            }
            Node::End(end) => match end.name() {
                "t" => in_text = false,
                "r" => in_run = false,
                "sdtPr" | "sdtContent" => {
                    if let Some((_, section)) = open.last_mut() {
                        *section = Section::None;
                    }
                }
                _ => {}
            },
            Node::Text(text) => {
                if in_text && let Some((control, Section::Content)) = open.last_mut() {
                    control.text.push_str(&text);
                }
            }
        }
    }
    for control in &mut found {
        control.text = control.text.replace('\u{0}', "");
    }
    Ok(found)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Section {
    None,
    Properties,
    Content,
}

/// The name of a bookmark start if it is one of the service's field bookmarks.
fn field_bookmark(element: &crate::ooxml::Element<'_>) -> Option<String> {
    element
        .attribute("name")
        .filter(|n| n.starts_with(BOOKMARK_PREFIX))
}

/// A field bookmark inside the control, if its label had none (a word processor moved it).
fn bookmark(control: &mut Control, element: &crate::ooxml::Element<'_>) {
    if control.bookmark.is_none() {
        control.bookmark = field_bookmark(element);
    }
}

fn property(control: &mut Control, element: &crate::ooxml::Element<'_>) {
    match element.name() {
        "tag" => control.tag = element.attribute("val").unwrap_or_default(),
        "showingPlcHdr" => {
            control.showing_placeholder = element.attribute("val").is_none_or(|v| on(&v));
        }
        "date" => control.full_date = element.attribute("fullDate"),
        "listItem" => {
            let value = element.attribute("value").unwrap_or_default();
            let display = element
                .attribute("displayText")
                .unwrap_or_else(|| value.clone());
            control.items.push((display, value));
        }
        _ => {}
    }
}

fn on(value: &str) -> bool {
    matches!(value, "1" | "true" | "on")
}

/// The submission from the controls: typed values at their pointers, empty ones left out.
fn submission(form: &Form, controls: &[Control]) -> Value {
    let index = form.index();
    let bookmarks = Bookmarks::new(index);
    let mut tree = Value::Object(Map::new());
    for control in controls {
        if is_empty(control) {
            continue;
        }
        // The tag names the field; a word processor that dropped it left the bookmark.
        let pointer = Some(control.tag.clone())
            .filter(|tag| tag.starts_with('/') && index.node(tag).is_some())
            .or_else(|| bookmarks.pointer(control.bookmark.as_deref()?));
        let Some(pointer) = pointer else { continue };
        let Some(node) = index.node(&pointer) else {
            continue;
        };
        if !node.properties.is_empty() || node.items.is_some() {
            continue;
        }
        let kind = if pointer == super::FORM_TAG || pointer == super::VERSION_TAG {
            Kind::Fixed
        } else {
            Kind::of(&node.info)
        };
        let value = typed(&kind, control);
        insert(&mut tree, &pointer, value);
    }
    finish(tree, index.root(), Some(form.schema()), form.schema()).unwrap_or_default()
}

/// Puts `value` at `pointer`; array indices become object keys until [`finish`].
fn insert(tree: &mut Value, pointer: &str, value: Value) {
    let segments: Vec<String> = pointer_segments(pointer).collect();
    let mut node = tree;
    for (n, segment) in segments.iter().enumerate() {
        let Value::Object(map) = node else { return };
        if n + 1 == segments.len() {
            map.insert(segment.clone(), value);
            return;
        }
        node = map
            .entry(segment.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

/// Lists from their numbered entries, in order; empty objects and lists dropped unless the
/// schema requires the list (an empty required list means "none").
fn finish(value: Value, node: &FieldNode, schema: Option<&Value>, root: &Value) -> Option<Value> {
    let Value::Object(map) = value else {
        return Some(value);
    };
    if let Some(items) = &node.items {
        let item_schema = schema.and_then(|s| subschema(s, root, &|s| s.get("items")));
        let entries: BTreeMap<usize, Value> = map
            .into_iter()
            .filter_map(|(key, value)| Some((key.parse().ok()?, value)))
            .collect();
        let list: Vec<Value> = entries
            .into_values()
            .filter_map(|entry| finish(entry, items, item_schema, root))
            .collect();
        return (!list.is_empty()).then_some(Value::Array(list));
    }
    let mut out = Map::new();
    for (name, child) in &node.properties {
        let child_schema = schema
            .and_then(|s| subschema(s, root, &|s| s.get("properties").and_then(|p| p.get(name))));
        let finished = map
            .get(name)
            .cloned()
            .and_then(|value| finish(value, child, child_schema, root));
        match finished {
            Some(value) => {
                out.insert(name.clone(), value);
            }
            None if child.items.is_some() && schema.is_some_and(|s| required(s, root, name, 0)) => {
                out.insert(name.clone(), Value::Array(Vec::new()));
            }
            None => {}
        }
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// The first subschema `pick` finds in `schema`, following `$ref` and `allOf`.
fn subschema<'a>(
    schema: &'a Value,
    root: &'a Value,
    pick: &dyn Fn(&'a Value) -> Option<&'a Value>,
) -> Option<&'a Value> {
    fn go<'a>(
        schema: &'a Value,
        root: &'a Value,
        pick: &dyn Fn(&'a Value) -> Option<&'a Value>,
        depth: usize,
    ) -> Option<&'a Value> {
        if depth > 32 {
            return None;
        }
        if let Some(found) = pick(schema) {
            return Some(found);
        }
        if let Some(target) = reference(schema, root)
            && let Some(found) = go(target, root, pick, depth + 1)
        {
            return Some(found);
        }
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find_map(|branch| go(branch, root, pick, depth + 1))
    }
    go(schema, root, pick, 0)
}

fn reference<'a>(schema: &'a Value, root: &'a Value) -> Option<&'a Value> {
    let target = schema.get("$ref")?.as_str()?.strip_prefix('#')?;
    root.pointer(target)
}

/// Whether `name` is always required by `schema` (conditional requirements are not counted).
fn required(schema: &Value, root: &Value, name: &str, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    let listed = schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|names| names.iter().any(|n| n.as_str() == Some(name)));
    listed
        || reference(schema, root).is_some_and(|target| required(target, root, name, depth + 1))
        || schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|branches| {
                branches
                    .iter()
                    .any(|branch| required(branch, root, name, depth + 1))
            })
}

/// The value of one filled control, typed as its schema says; text that does not fit the
/// type is kept as typed, so that validation names the field.
fn typed(kind: &Kind, control: &Control) -> Value {
    let text = control.text.trim();
    let listed = control
        .items
        .iter()
        .find(|(display, _)| display == text)
        .map(|(_, value)| value.as_str());
    let raw = || Value::String(text.to_owned());
    match kind {
        Kind::Text | Kind::Fixed => raw(),
        Kind::Date => parse_date(text)
            .or_else(|| control.full_date.as_deref().and_then(full_date))
            .map_or_else(raw, Value::String),
        Kind::Boolean => {
            let answer = listed.unwrap_or(text).to_lowercase();
            match answer.as_str() {
                "true" | "yes" | "y" | "\u{2612}" => Value::Bool(true),
                "false" | "no" | "n" | "\u{2610}" => Value::Bool(false),
                _ => raw(),
            }
        }
        Kind::Choice(choices) => {
            let by_value = listed.filter(|v| choices.iter().any(|(code, _)| code == v));
            let by_text = choices
                .iter()
                .find(|(code, title)| code == text || title.eq_ignore_ascii_case(text))
                .map(|(code, _)| code.as_str());
            by_value
                .or(by_text)
                .map_or_else(raw, |code| Value::String(code.to_owned()))
        }
        Kind::Integer => integer(text).map_or_else(raw, Value::Number),
        Kind::Number => integer(text)
            .or_else(|| {
                let cleaned: String = text.chars().filter(|c| !matches!(c, ',' | ' ')).collect();
                cleaned.parse::<f64>().ok().and_then(Number::from_f64)
            })
            .map_or_else(raw, Value::Number),
    }
}

fn integer(text: &str) -> Option<Number> {
    let cleaned: String = text.chars().filter(|c| !matches!(c, ',' | ' ')).collect();
    cleaned.parse::<i64>().ok().map(Number::from)
}

/// A date typed as day/month/year (UK order) or ISO, as `YYYY-MM-DD`.
fn parse_date(text: &str) -> Option<String> {
    crate::dates::parse_typed(text).map(|date| date.to_string())
}

/// The date of a `w:fullDate` such as `2026-03-04T00:00:00Z`.
fn full_date(value: &str) -> Option<String> {
    crate::dates::parse_iso(value.get(..10)?).map(|date| date.to_string())
}
