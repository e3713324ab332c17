//! A form's fields as web page inputs, and the posted inputs back as the form's JSON: both
//! driven by the schema's index, so no form is written by hand. A field's input is named by its
//! JSON pointer (`/children/0/date_of_birth`) and its id is the pointer with `-` for `/`
//! (`f-children-0-date_of_birth`), so a finding's pointer finds its field on the page.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use serde_json::{Map, Number, Value};

use super::html::{self, Choice, Esc, InputKind, Labelled};
use crate::forms::Form;
use crate::forms::schema_index::{FieldNode, Reveal, escape_segment, lookup};

/// The most entries a list on a page may have: bounds the work a tampered count can cause.
pub const MAX_ENTRIES: usize = 100;

/// Radios for up to this many choices; a select above.
const MAX_RADIOS: usize = 12;

/// The id of a field's input (or first input) for a JSON pointer.
pub fn field_id(pointer: &str) -> String {
    let mut id = String::with_capacity(pointer.len() + 1);
    id.push('f');
    for c in pointer.chars() {
        id.push(if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        });
    }
    id
}

/// How a field is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Widget {
    /// Not asked: a constant, or what the case fills in.
    Fixed,
    /// A group of fields.
    Group,
    /// A list of entries, with "Add another".
    List,
    /// A list of choices, any number ticked.
    Checkboxes,
    /// One of a list of choices.
    Choices,
    /// Yes or No.
    YesNo,
    /// Day, month and year.
    Date,
    /// A whole number.
    Whole,
    /// A number.
    Decimal,
    /// An email address.
    Email,
    /// Free text over several lines.
    LongText,
    /// A line of text.
    Text,
}

/// How the field at `pointer` is asked for.
pub fn widget(form: &Form, node: &FieldNode, pointer: &str) -> Widget {
    let info = &node.info;
    if info.constant.is_some() || form.annotations().prefill.fills(pointer) {
        return Widget::Fixed;
    }
    match info.kind.as_deref() {
        Some("object") => return Widget::Group,
        Some("array") => {
            return match node.items.as_deref() {
                Some(items) if !items.info.enum_values.is_empty() => Widget::Checkboxes,
                _ => Widget::List,
            };
        }
        Some("boolean") => return Widget::YesNo,
        Some("integer") => return Widget::Whole,
        Some("number") => return Widget::Decimal,
        _ => {}
    }
    if !node.properties.is_empty() {
        return Widget::Group;
    }
    if !info.enum_values.is_empty() {
        return Widget::Choices;
    }
    match info.format.as_deref() {
        Some("date") => Widget::Date,
        Some("email") => Widget::Email,
        _ if info.substantive || info.max_length.is_some_and(|n| n > 250) => Widget::LongText,
        _ => Widget::Text,
    }
}

/// The answers posted by a page: each name with its values, in the order sent.
#[derive(Debug, Default)]
pub struct Posted {
    values: HashMap<String, Vec<String>>,
}

impl Posted {
    /// Reads `application/x-www-form-urlencoded` pairs.
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        let mut values: HashMap<String, Vec<String>> = HashMap::new();
        for (name, value) in pairs {
            values.entry(name).or_default().push(value);
        }
        Posted { values }
    }

    /// The first value sent under `name`.
    pub fn one(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    fn all(&self, name: &str) -> &[String] {
        self.values.get(name).map_or(&[], Vec::as_slice)
    }
}

/// Renders and reads one form's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    /// The form.
    pub form: &'a Form,
}

/// What a page shows besides the answers: messages by pointer, and lists given extra blank
/// entries ("Add another").
#[derive(Debug, Default)]
pub struct Shown {
    /// The message beside each field with an error, by pointer.
    pub errors: BTreeMap<String, String>,
    /// Blank entries to add to a list, by the list's pointer.
    pub extra: BTreeMap<String, usize>,
}

impl Fields<'_> {
    /// Writes the inputs of the top-level `names` (one section), with the answers in `body`.
    pub fn render_section(&self, out: &mut String, names: &[String], body: &Value, shown: &Shown) {
        let root = self.form.index().root();
        let present: BTreeSet<&str> = names.iter().map(String::as_str).collect();
        let placed = revealed_here(root, &present);
        for name in names {
            if placed.contains(name.as_str()) {
                continue;
            }
            if let Some(node) = root.property(name) {
                let pointer = format!("/{}", escape_segment(name));
                self.render(out, root, name, node, &pointer, body, shown, &present, 1);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn render(
        &self,
        out: &mut String,
        parent: &FieldNode,
        name: &str,
        node: &FieldNode,
        pointer: &str,
        body: &Value,
        shown: &Shown,
        siblings: &BTreeSet<&str>,
        depth: usize,
    ) {
        let info = &node.info;
        let title = info
            .title
            .clone()
            .unwrap_or_else(|| self.form.index().title(pointer));
        let id = field_id(pointer);
        let value = lookup(body, pointer);
        let labelled = Labelled {
            id: &id,
            name: pointer,
            label: &title,
            hint: info.description.as_deref(),
            error: shown.errors.get(pointer).map(String::as_str),
        };
        match widget(self.form, node, pointer) {
            Widget::Fixed => {}
            Widget::Group => {
                let size = if depth <= 1 { "m" } else { "s" };
                let _ = write!(
                    out,
                    "<div class=\"govuk-form-group{}\"><fieldset class=\"govuk-fieldset\" id=\"{}\" tabindex=\"-1\"><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--{size}\">{}</legend>",
                    if labelled.error.is_some() {
                        " govuk-form-group--error"
                    } else {
                        ""
                    },
                    Esc(&id),
                    Esc(&title)
                );
                labelled.hint_and_error(out);
                self.render_children(out, node, pointer, body, shown, depth);
                out.push_str("</fieldset></div>");
            }
            Widget::List => {
                self.render_list(out, node, pointer, &title, &labelled, body, shown, depth)
            }
            Widget::Checkboxes => {
                let chosen: Vec<&str> = value
                    .and_then(Value::as_array)
                    .map(|v| v.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let choices = node
                    .items
                    .as_deref()
                    .map(|i| i.info.choices())
                    .unwrap_or_default();
                let items: Vec<Choice<'_>> = choices
                    .iter()
                    .map(|(code, label)| Choice {
                        value: code,
                        label,
                        checked: chosen.contains(&code.as_str()),
                        reveal: None,
                    })
                    .collect();
                html::choices(out, &labelled, &items, true);
            }
            Widget::Choices | Widget::YesNo => {
                let options: Vec<(String, String, Value)> =
                    if widget(self.form, node, pointer) == Widget::YesNo {
                        vec![
                            ("true".into(), "Yes".into(), Value::Bool(true)),
                            ("false".into(), "No".into(), Value::Bool(false)),
                        ]
                    } else {
                        info.choices()
                            .into_iter()
                            .map(|(code, label)| (code.clone(), label, Value::String(code)))
                            .collect()
                    };
                let current = value.map(posted_text);
                let reveals = single_reveals(parent, name, siblings);
                let items: Vec<Choice<'_>> = options
                    .iter()
                    .map(|(code, label, json)| Choice {
                        value: code,
                        label,
                        checked: current.as_deref() == Some(code.as_str()),
                        reveal: reveals.get(json.to_string().as_str()).map(|fields| {
                            let mut inner = String::new();
                            for field in fields {
                                if let Some(child) = parent.property(field) {
                                    let parent_pointer =
                                        pointer.rsplit_once('/').map_or("", |(p, _)| p);
                                    let child_pointer =
                                        format!("{parent_pointer}/{}", escape_segment(field));
                                    self.render(
                                        &mut inner,
                                        parent,
                                        field,
                                        child,
                                        &child_pointer,
                                        body,
                                        shown,
                                        siblings,
                                        depth + 1,
                                    );
                                }
                            }
                            inner
                        }),
                    })
                    .collect();
                if items.len() > MAX_RADIOS && reveals.is_empty() {
                    html::select(out, &labelled, &items);
                } else {
                    html::choices(out, &labelled, &items, false);
                }
            }
            Widget::Date => {
                let text = value.map(posted_text).unwrap_or_default();
                let parts = date_parts(&text);
                html::date_input(out, &labelled, [&parts[0], &parts[1], &parts[2]]);
            }
            Widget::Whole | Widget::Decimal | Widget::Email | Widget::Text => {
                let kind = match widget(self.form, node, pointer) {
                    Widget::Whole => InputKind::Whole,
                    Widget::Decimal => InputKind::Decimal,
                    Widget::Email => InputKind::Email,
                    _ => InputKind::Text,
                };
                let text = value.map(posted_text).unwrap_or_default();
                html::text_input(out, &labelled, &text, kind);
            }
            Widget::LongText => {
                let text = value.map(posted_text).unwrap_or_default();
                html::textarea(out, &labelled, &text, info.max_length);
            }
        }
    }

    /// The fields of a group (or of one list entry) at `pointer`, each in its place or under the
    /// answer that reveals it.
    fn render_children(
        &self,
        out: &mut String,
        node: &FieldNode,
        pointer: &str,
        body: &Value,
        shown: &Shown,
        depth: usize,
    ) {
        let names: BTreeSet<&str> = node.properties.iter().map(|(n, _)| n.as_str()).collect();
        let placed = revealed_here(node, &names);
        for (child_name, child) in &node.properties {
            if placed.contains(child_name.as_str()) {
                continue;
            }
            let child_pointer = format!("{pointer}/{}", escape_segment(child_name));
            self.render(
                out,
                node,
                child_name,
                child,
                &child_pointer,
                body,
                shown,
                &names,
                depth + 1,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn render_list(
        &self,
        out: &mut String,
        node: &FieldNode,
        pointer: &str,
        title: &str,
        labelled: &Labelled<'_>,
        body: &Value,
        shown: &Shown,
        depth: usize,
    ) {
        let Some(items) = node.items.as_deref() else {
            return;
        };
        let existing = lookup(body, pointer)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let count =
            (existing.max(1) + shown.extra.get(pointer).copied().unwrap_or(0)).min(MAX_ENTRIES);
        let id = field_id(pointer);
        let size = if depth <= 1 { "m" } else { "s" };
        let _ = write!(
            out,
            "<div class=\"govuk-form-group{}\" id=\"{}\" tabindex=\"-1\"><h{h} class=\"govuk-heading-{size}\">{}</h{h}>",
            if labelled.error.is_some() {
                " govuk-form-group--error"
            } else {
                ""
            },
            Esc(&id),
            Esc(title),
            h = (depth + 1).min(4),
        );
        labelled.hint_and_error(out);
        let _ = write!(
            out,
            "<input type=\"hidden\" name=\"_count{}\" value=\"{count}\">",
            Esc(pointer)
        );
        let item_title = items.info.title.as_deref().unwrap_or(title);
        for index in 0..count {
            let entry = format!("{pointer}/{index}");
            let _ = write!(
                out,
                "<div class=\"app-entry\"><fieldset class=\"govuk-fieldset\"><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">{} {}</legend>",
                Esc(item_title),
                index + 1
            );
            if items.properties.is_empty() {
                let entry_id = field_id(&entry);
                let label = format!("{item_title} {}", index + 1);
                let entry_label = Labelled {
                    id: &entry_id,
                    name: &entry,
                    label: &label,
                    hint: None,
                    error: shown.errors.get(&entry).map(String::as_str),
                };
                let text = lookup(body, &entry).map(posted_text).unwrap_or_default();
                html::text_input(out, &entry_label, &text, InputKind::Text);
            } else {
                self.render_children(out, items, &entry, body, shown, depth);
            }
            let _ = write!(
                out,
                "</fieldset><button type=\"submit\" name=\"_action\" value=\"remove:{}\" class=\"govuk-button govuk-button--warning govuk-!-margin-bottom-4\" data-module=\"govuk-button\">Remove<span class=\"govuk-visually-hidden\"> {} {}</span></button></div>",
                Esc(&entry),
                Esc(item_title),
                index + 1
            );
        }
        if count < MAX_ENTRIES {
            let _ = write!(
                out,
                "<button type=\"submit\" name=\"_action\" value=\"add:{}\" class=\"govuk-button govuk-button--secondary\" data-module=\"govuk-button\">Add another<span class=\"govuk-visually-hidden\"> {}</span></button>",
                Esc(pointer),
                Esc(item_title)
            );
        }
        out.push_str("</div>");
    }

    /// Reads the posted answers to the top-level `names` into `body`, replacing what it held
    /// for them; answers revealed under a choice that is not chosen are dropped.
    pub fn read_section(&self, names: &[String], posted: &Posted, body: &mut Value) {
        let root = self.form.index().root();
        if !body.is_object() {
            *body = Value::Object(Map::new());
        }
        let mut read = Map::new();
        for name in names {
            if let Some(node) = root.property(name) {
                let pointer = format!("/{}", escape_segment(name));
                if let Some(value) = self.read(node, &pointer, posted, root.required.contains(name))
                {
                    read.insert(name.clone(), value);
                }
            }
        }
        let present: BTreeSet<&str> = names.iter().map(String::as_str).collect();
        drop_hidden(root, &present, &mut read);
        if let Value::Object(map) = body {
            for name in names {
                match read.remove(name) {
                    Some(value) => {
                        map.insert(name.clone(), value);
                    }
                    None => {
                        map.remove(name);
                    }
                }
            }
        }
    }

    /// The answer to one field; `required` says whether its object requires it (a required
    /// list left with no entries is an empty list: "none").
    fn read(
        &self,
        node: &FieldNode,
        pointer: &str,
        posted: &Posted,
        required: bool,
    ) -> Option<Value> {
        match widget(self.form, node, pointer) {
            Widget::Fixed => None,
            Widget::Group => {
                let mut map = Map::new();
                for (name, child) in &node.properties {
                    let child_pointer = format!("{pointer}/{}", escape_segment(name));
                    if let Some(value) =
                        self.read(child, &child_pointer, posted, node.required.contains(name))
                    {
                        map.insert(name.clone(), value);
                    }
                }
                let names: BTreeSet<&str> =
                    node.properties.iter().map(|(n, _)| n.as_str()).collect();
                drop_hidden(node, &names, &mut map);
                // A required group left empty is kept as an empty group, so that each of its
                // questions is reported on its own field rather than once for the group.
                (!map.is_empty() || required).then_some(Value::Object(map))
            }
            Widget::List => {
                let items = node.items.as_deref()?;
                let marker = posted.one(&format!("_count{pointer}"));
                let count = marker
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap_or(0)
                    .min(MAX_ENTRIES);
                let entries: Vec<Value> = (0..count)
                    .filter_map(|index| {
                        let entry = format!("{pointer}/{index}");
                        if items.properties.is_empty() {
                            text(posted.one(&entry)?).map(Value::String)
                        } else {
                            self.read(items, &entry, posted, false)
                        }
                    })
                    .collect();
                (!entries.is_empty() || (required && marker.is_some()))
                    .then_some(Value::Array(entries))
            }
            Widget::Checkboxes => {
                let chosen: Vec<Value> = posted
                    .all(pointer)
                    .iter()
                    .filter(|v| !v.is_empty())
                    .map(|v| Value::String(v.clone()))
                    .collect();
                (!chosen.is_empty()).then_some(Value::Array(chosen))
            }
            Widget::YesNo => {
                let answer = posted.one(pointer)?;
                Some(match answer {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "" => return None,
                    other => Value::String(other.to_owned()),
                })
            }
            Widget::Whole | Widget::Decimal => {
                let typed = text(posted.one(pointer)?)?;
                let trimmed = typed.trim().replace(',', "");
                let number = if widget(self.form, node, pointer) == Widget::Whole {
                    trimmed.parse::<i64>().ok().map(Number::from)
                } else {
                    trimmed
                        .parse::<i64>()
                        .ok()
                        .map(Number::from)
                        .or_else(|| trimmed.parse::<f64>().ok().and_then(Number::from_f64))
                };
                Some(number.map_or(Value::String(typed), Value::Number))
            }
            Widget::Date => {
                let part = |p: &str| {
                    posted
                        .one(&format!("{pointer}[{p}]"))
                        .unwrap_or_default()
                        .trim()
                        .to_owned()
                };
                let (day, month, year) = (part("day"), part("month"), part("year"));
                if day.is_empty() && month.is_empty() && year.is_empty() {
                    return None;
                }
                Some(Value::String(join_date(&day, &month, &year)))
            }
            Widget::Choices | Widget::Email | Widget::Text | Widget::LongText => {
                text(posted.one(pointer)?).map(Value::String)
            }
        }
    }
}

/// Typed text as the form stores it: browsers send line ends as CRLF; an answer of only
/// spaces is no answer.
fn text(typed: &str) -> Option<String> {
    let text = typed.replace("\r\n", "\n");
    (!text.trim().is_empty()).then_some(text)
}

/// A stored value as its input shows it.
fn posted_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `YYYY-MM-DD` from three boxes when each is a number; otherwise what was typed, joined, so
/// the person's input is kept and the validator says what is wrong.
fn join_date(day: &str, month: &str, year: &str) -> String {
    let numeric = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if numeric(day) && numeric(month) && numeric(year) && year.len() == 4 {
        format!("{year}-{month:0>2}-{day:0>2}")
    } else {
        format!("{year}-{month}-{day}")
    }
}

/// The day, month and year boxes of a stored date (or of what was typed).
pub fn date_parts(text: &str) -> [String; 3] {
    let mut parts = text.splitn(3, '-');
    let year = parts.next().unwrap_or_default().to_owned();
    let month = parts.next().unwrap_or_default().to_owned();
    let day = parts.next().unwrap_or_default().to_owned();
    [day, month, year]
}

/// Reveals of one answer whose deciding field and revealed fields are all among `names` (so
/// they are on the same page), keyed by the deciding answer's JSON; a field is revealed under
/// one answer at most.
fn single_reveals<'n>(
    node: &'n FieldNode,
    deciding: &str,
    names: &BTreeSet<&str>,
) -> BTreeMap<String, Vec<&'n str>> {
    let mut out: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut placed = BTreeSet::new();
    for reveal in usable_reveals(node, names) {
        if reveal.field != deciding {
            continue;
        }
        let key = reveal.values[0].to_string();
        for field in &reveal.fields {
            if placed.insert(field.as_str()) {
                out.entry(key.clone()).or_default().push(field.as_str());
            }
        }
    }
    out
}

/// The reveals the page can show: one answer, of a choice field, with the deciding and the
/// revealed fields on the page, and no field revealed by two answers.
fn usable_reveals<'n>(
    node: &'n FieldNode,
    names: &BTreeSet<&str>,
) -> impl Iterator<Item = &'n Reveal> {
    node.reveals.iter().filter(move |reveal| {
        reveal.values.len() == 1
            && names.contains(reveal.field.as_str())
            && reveal
                .fields
                .iter()
                .all(|f| names.contains(f.as_str()) && f != &reveal.field)
            && node.property(&reveal.field).is_some_and(|decider| {
                decider.info.kind.as_deref() == Some("boolean")
                    || !decider.info.enum_values.is_empty()
            })
            && !reveal.fields.iter().any(|f| {
                node.reveals.iter().any(|other| {
                    !std::ptr::eq(other, *reveal)
                        && other.fields.contains(f)
                        && (other.field != reveal.field || other.values != reveal.values)
                })
            })
    })
}

/// The fields among `names` shown under an answer rather than in their own place.
fn revealed_here<'n>(node: &'n FieldNode, names: &BTreeSet<&str>) -> BTreeSet<&'n str> {
    usable_reveals(node, names)
        .flat_map(|reveal| reveal.fields.iter().map(String::as_str))
        .collect()
}

/// Drops answers revealed under an answer that was not given (GOV.UK still posts hidden
/// inputs): a hidden field never holds an answer the person cannot see.
fn drop_hidden(node: &FieldNode, names: &BTreeSet<&str>, map: &mut Map<String, Value>) {
    let hidden: Vec<String> = usable_reveals(node, names)
        .filter(|reveal| map.get(&reveal.field) != Some(&reveal.values[0]))
        .flat_map(|reveal| reveal.fields.iter().cloned())
        .collect();
    for field in hidden {
        map.remove(&field);
    }
}

/// Where an error about `pointer` links: the id of its input (a date's day box, a group's or
/// list's container), or of the nearest field that is on the page.
pub fn anchor(form: &Form, pointer: &str) -> String {
    let index = form.index();
    let mut current = pointer.to_owned();
    loop {
        // An entry of a list of tick boxes is the list's boxes.
        if let Some((parent, _)) = current.rsplit_once('/')
            && let Some(node) = index.node(parent)
            && widget(form, node, parent) == Widget::Checkboxes
        {
            return field_id(parent);
        }
        if let Some(node) = index.node(&current) {
            return match widget(form, node, &current) {
                Widget::Date => format!("{}-day", field_id(&current)),
                _ => field_id(&current),
            };
        }
        match current.rsplit_once('/') {
            Some((parent, _)) if !parent.is_empty() => current = parent.to_owned(),
            _ => return field_id(pointer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_pointers() {
        assert_eq!(
            field_id("/children/0/date_of_birth"),
            "f-children-0-date_of_birth"
        );
    }

    #[test]
    fn dates_keep_what_was_typed() {
        assert_eq!(join_date("3", "2", "2026"), "2026-02-03");
        assert_eq!(join_date("30", "2", "2026"), "2026-02-30");
        assert_eq!(join_date("3x", "", "26"), "26--3x");
        assert_eq!(
            date_parts("26--3x"),
            ["3x".to_owned(), String::new(), "26".to_owned()]
        );
        assert_eq!(
            date_parts("2026-02-03"),
            ["03", "02", "2026"].map(str::to_owned)
        );
    }

    #[test]
    fn text_from_a_browser_loses_its_carriage_returns() {
        assert_eq!(text("a\r\nb").as_deref(), Some("a\nb"));
        assert_eq!(text("   "), None);
    }
}
