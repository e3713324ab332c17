//! What a schema says about each field, indexed by the field's place in a submission.
//!
//! The validator, the templates and the Word forms all need to know a field's title, its
//! description, its enumeration titles and whether it must hold substantive text. All of that
//! is written once, in the schema; this index reads it out, following `$ref`s and conditional
//! branches, so that a JSON pointer into a submission (`/children/0/date_of_birth`) finds the
//! schema's words for that field.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

/// How deep `$ref`s may nest before the index stops following them (guards against cycles).
const MAX_DEPTH: usize = 64;

/// Words the schema gives one field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldInfo {
    /// `title`: the field's name as a practitioner knows it.
    pub title: Option<String>,
    /// `description`: what to write there.
    pub description: Option<String>,
    /// `x-source`: the guidance the field rests on.
    pub source: Option<String>,
    /// `x-substantive`: a mandatory free-text item that must hold a real answer.
    pub substantive: bool,
    /// `x-min-words`: fewest words that count as a real answer (when substantive).
    pub min_words: Option<usize>,
    /// `x-enum-titles`: code to the title shown to people.
    pub enum_titles: BTreeMap<String, String>,
    /// `enum`: the codes, in the schema's order (the order people are offered them in).
    pub enum_values: Vec<String>,
    /// `format` (e.g. `date`), when the field has one.
    pub format: Option<String>,
    /// `type`, when the field has a single one.
    pub kind: Option<String>,
    /// `x-identifying`: the kind of detail that identifies a person, when the field holds one.
    pub identifying: Option<super::annotations::Identifying>,
    /// `const`: the one value the field may hold.
    pub constant: Option<Value>,
    /// `maxLength`: the most characters the field may hold.
    pub max_length: Option<u64>,
    /// `uniqueItems`: a list may not repeat an entry.
    pub unique_items: bool,
}

/// An answer that makes more fields of the same object required: `if` one property holds
/// one of `values`, `then` `fields` are required (e.g. "no involvement" requires a statement).
#[derive(Debug, Clone, PartialEq)]
pub struct Reveal {
    /// The property whose answer decides.
    pub field: String,
    /// The answers that make the fields required.
    pub values: Vec<Value>,
    /// The properties then required.
    pub fields: Vec<String>,
}

/// One node of the index: a field, its object properties and its array items.
#[derive(Debug, Clone, Default)]
pub struct FieldNode {
    /// What the schema says of this field.
    pub info: FieldInfo,
    /// Object properties, by name, in the schema's order of declaration.
    pub properties: Vec<(String, FieldNode)>,
    /// The schema of each array item.
    pub items: Option<Box<FieldNode>>,
    /// Whether this field, or one inside it, is substantive text or a date (the fields
    /// [`SchemaIndex::for_each_checked_text`] visits; the others are not walked).
    pub checked: bool,
    /// The properties required whatever the other answers are.
    pub required: Vec<String>,
    /// The properties required only when another property holds a given answer.
    pub reveals: Vec<Reveal>,
}

impl FieldInfo {
    /// The enumeration as `(code, title)` pairs in the schema's order; codes given a title
    /// but not listed in `enum` come last, codes without a title show as themselves.
    pub fn choices(&self) -> Vec<(String, String)> {
        let titled = |code: &String| {
            let title = self.enum_titles.get(code).unwrap_or(code);
            (code.clone(), title.clone())
        };
        let mut choices: Vec<(String, String)> = self.enum_values.iter().map(titled).collect();
        for code in self.enum_titles.keys() {
            if !self.enum_values.contains(code) {
                choices.push(titled(code));
            }
        }
        choices
    }
}

impl FieldNode {
    /// The node of a named property.
    pub fn property(&self, name: &str) -> Option<&FieldNode> {
        self.properties
            .iter()
            .find_map(|(key, node)| (key == name).then_some(node))
    }

    fn property_mut(&mut self, name: &str) -> &mut FieldNode {
        let position = match self.properties.iter().position(|(key, _)| key == name) {
            Some(position) => position,
            None => {
                self.properties
                    .push((name.to_owned(), FieldNode::default()));
                self.properties.len() - 1
            }
        };
        &mut self.properties[position].1
    }
}

/// The index of a whole schema.
#[derive(Debug, Clone, Default)]
pub struct SchemaIndex {
    root: FieldNode,
}

impl SchemaIndex {
    /// Reads a schema (already known to be a valid JSON Schema).
    pub fn new(schema: &Value) -> Self {
        let mut root = FieldNode::default();
        collect(schema, schema, &mut root, 0, false);
        mark_checked(&mut root);
        SchemaIndex { root }
    }

    /// The root node (the form itself).
    pub fn root(&self) -> &FieldNode {
        &self.root
    }

    /// The node for a JSON pointer into a submission; array indices step into `items`.
    pub fn node(&self, pointer: &str) -> Option<&FieldNode> {
        let mut node = &self.root;
        for segment in pointer_segments(pointer) {
            node = match node.property(&segment) {
                Some(child) => child,
                None if segment.parse::<usize>().is_ok() => node.items.as_deref()?,
                None => return None,
            };
        }
        Some(node)
    }

    /// What the schema says of the field at `pointer`, if anything.
    pub fn field(&self, pointer: &str) -> Option<&FieldInfo> {
        self.node(pointer).map(|node| &node.info)
    }

    /// The field's title, or a readable fallback made from the last segment of the pointer.
    /// An item of a list is "Item 3 of Events", whatever its schema calls one item.
    pub fn title(&self, pointer: &str) -> String {
        if let Some(item) = self.item_title(pointer) {
            return item;
        }
        if let Some(title) = self.field(pointer).and_then(|info| info.title.clone()) {
            return title;
        }
        pointer_segments(pointer)
            .last()
            .map(|name| crate::validate::words::escape(&humanise(&name)))
            .unwrap_or_else(|| "This form".to_owned())
    }

    /// "Item 3 of Events" for `/death/event_triggers/2`: an index into a list, counted from 1.
    fn item_title(&self, pointer: &str) -> Option<String> {
        let (parent, index) = pointer.rsplit_once('/')?;
        let index = index.parse::<usize>().ok()?;
        let list = self.node(parent)?;
        if list.items.is_none() || list.property(&index.to_string()).is_some() {
            return None;
        }
        Some(format!(
            "Item {} of {}",
            index.saturating_add(1),
            self.title(parent)
        ))
    }

    /// The field's title with its parent's, so that a nested field can be found on the form:
    /// `/agencies/6/absence_reason` → "Agencies, entry 7: Reason for not contributing"; an item
    /// of a list of plain values is "Item 1 of Agencies responsible".
    pub fn label(&self, pointer: &str) -> String {
        let title = self.title(pointer);
        if self.item_title(pointer).is_some() {
            return title;
        }
        let Some((parent, _)) = pointer.rsplit_once('/') else {
            return title;
        };
        if parent.is_empty() {
            return title;
        }
        match parent.rsplit_once('/') {
            Some((array, index)) if index.parse::<usize>().is_ok() => {
                let entry = index.parse::<usize>().map_or(0, |i| i + 1);
                format!("{}, entry {entry}: {title}", self.title(array))
            }
            _ => format!("{}: {title}", self.title(parent)),
        }
    }

    /// Calls `visit` for each string value in `instance` whose field is marked substantive.
    pub fn for_each_substantive<'a>(
        &self,
        instance: &'a Value,
        visit: &mut dyn FnMut(&str, &FieldInfo, &'a str),
    ) {
        self.for_each_checked_text(instance, &mut |pointer, info, text| {
            if info.substantive {
                visit(pointer, info, text);
            }
        });
    }

    /// Calls `visit` for each string value in `instance` at a field that is substantive text or
    /// a date ([`FieldInfo::is_checked`]). Only the parts of the submission that can hold such a
    /// field are walked, and pointers are built in one buffer: this runs on every validation.
    pub fn for_each_checked_text<'a>(
        &self,
        instance: &'a Value,
        visit: &mut dyn FnMut(&str, &FieldInfo, &'a str),
    ) {
        let mut pointer = String::with_capacity(64);
        walk_checked(&self.root, instance, &mut pointer, visit);
    }
}

impl SchemaIndex {
    /// Calls `visit` for each string value in `instance` at any field the schema declares, with
    /// its pointer and what the schema says of it (the report check reads identifying fields
    /// this way; validation uses the pruned [`SchemaIndex::for_each_checked_text`]).
    pub fn for_each_text<'a>(
        &self,
        instance: &'a Value,
        visit: &mut dyn FnMut(&str, &FieldInfo, &'a str),
    ) {
        let mut pointer = String::with_capacity(64);
        walk_text(&self.root, instance, &mut pointer, visit);
    }
}

fn walk_text<'a>(
    node: &FieldNode,
    instance: &'a Value,
    pointer: &mut String,
    visit: &mut dyn FnMut(&str, &FieldInfo, &'a str),
) {
    match instance {
        Value::String(text) => visit(pointer, &node.info, text),
        Value::Object(map) => {
            for (name, child) in &node.properties {
                if let Some(value) = map.get(name) {
                    let len = pointer.len();
                    pointer.push('/');
                    push_escaped_segment(pointer, name);
                    walk_text(child, value, pointer, visit);
                    pointer.truncate(len);
                }
            }
        }
        Value::Array(values) => {
            if let Some(items) = node.items.as_deref() {
                for (index, value) in values.iter().enumerate() {
                    let len = pointer.len();
                    let _ = write!(pointer, "/{index}");
                    walk_text(items, value, pointer, visit);
                    pointer.truncate(len);
                }
            }
        }
        _ => {}
    }
}

impl FieldInfo {
    /// Substantive text or a date: the string fields checked beyond the schema.
    pub fn is_checked(&self) -> bool {
        self.substantive || self.format.as_deref() == Some("date")
    }
}

fn mark_checked(node: &mut FieldNode) -> bool {
    let mut checked = node.info.is_checked();
    for (_, child) in &mut node.properties {
        checked |= mark_checked(child);
    }
    if let Some(items) = &mut node.items {
        checked |= mark_checked(items);
    }
    node.checked = checked;
    checked
}

fn walk_checked<'a>(
    node: &FieldNode,
    instance: &'a Value,
    pointer: &mut String,
    visit: &mut dyn FnMut(&str, &FieldInfo, &'a str),
) {
    match instance {
        Value::String(text) if node.info.is_checked() => visit(pointer, &node.info, text),
        Value::Object(map) => {
            for (name, child) in node.properties.iter().filter(|(_, child)| child.checked) {
                if let Some(value) = map.get(name) {
                    let len = pointer.len();
                    pointer.push('/');
                    push_escaped_segment(pointer, name);
                    walk_checked(child, value, pointer, visit);
                    pointer.truncate(len);
                }
            }
        }
        Value::Array(values) => {
            if let Some(items) = node.items.as_deref().filter(|items| items.checked) {
                for (index, value) in values.iter().enumerate() {
                    let len = pointer.len();
                    let _ = write!(pointer, "/{index}");
                    walk_checked(items, value, pointer, visit);
                    pointer.truncate(len);
                }
            }
        }
        _ => {}
    }
}

/// Appends one segment to a JSON pointer, escaped, without a new allocation.
fn push_escaped_segment(pointer: &mut String, segment: &str) {
    if segment.contains(['~', '/']) {
        pointer.push_str(&escape_segment(segment));
    } else {
        pointer.push_str(segment);
    }
}

fn collect(schema: &Value, root: &Value, node: &mut FieldNode, depth: usize, conditional: bool) {
    let Value::Object(map) = schema else { return };
    if depth > MAX_DEPTH {
        return;
    }
    merge_info(&mut node.info, map);
    if !conditional && let Some(Value::Array(required)) = map.get("required") {
        for name in required.iter().filter_map(Value::as_str) {
            if !node.required.iter().any(|r| r == name) {
                node.required.push(name.to_owned());
            }
        }
    }
    if let Some(reveal) = reveal_of(map) {
        node.reveals.push(reveal);
    }
    if let Some(Value::String(reference)) = map.get("$ref")
        && let Some(target) = reference
            .strip_prefix('#')
            .and_then(|pointer| root.pointer(pointer))
    {
        collect(target, root, node, depth + 1, conditional);
    }
    if let Some(Value::Object(properties)) = map.get("properties") {
        for (name, property) in properties {
            // What a conditional branch says of a property is conditional too.
            collect(
                property,
                root,
                node.property_mut(name),
                depth + 1,
                conditional,
            );
        }
    }
    if let Some(items) = map.get("items").filter(|items| items.is_object()) {
        let child = node.items.get_or_insert_with(Default::default);
        collect(items, root, child, depth + 1, conditional);
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = map.get(key) {
            for branch in branches {
                collect(branch, root, node, depth + 1, conditional || key != "allOf");
            }
        }
    }
    for key in ["then", "else"] {
        if let Some(branch) = map.get(key) {
            collect(branch, root, node, depth + 1, true);
        }
    }
}

/// `{"if": {"properties": {"f": {"const": v}}, "required": ["f"]}, "then": {"required": [..]}}`
/// (or `enum` in place of `const`) as a [`Reveal`]; other conditions are not one answer.
fn reveal_of(map: &serde_json::Map<String, Value>) -> Option<Reveal> {
    let condition = map.get("if")?.as_object()?;
    let then = map.get("then")?.as_object()?;
    let properties = condition.get("properties")?.as_object()?;
    if properties.len() != 1 {
        return None;
    }
    let (field, wanted) = properties.iter().next()?;
    let values = match (wanted.get("const"), wanted.get("enum")) {
        (Some(value), _) => vec![value.clone()],
        (None, Some(Value::Array(values))) => values.clone(),
        _ => return None,
    };
    let fields: Vec<String> = then
        .get("required")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    (!fields.is_empty()).then(|| Reveal {
        field: field.clone(),
        values,
        fields,
    })
}

/// Fills what is not yet known: the words nearest the field (beside a `$ref`) win.
fn merge_info(info: &mut FieldInfo, map: &serde_json::Map<String, Value>) {
    let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
    if info.title.is_none() {
        info.title = text("title");
    }
    if info.description.is_none() {
        info.description = text("description");
    }
    if info.source.is_none() {
        info.source = text("x-source");
    }
    if info.format.is_none() {
        info.format = text("format");
    }
    if info.kind.is_none() {
        info.kind = text("type");
    }
    if info.identifying.is_none() {
        info.identifying = map
            .get("x-identifying")
            .and_then(|v| serde_json::from_value(v.clone()).ok());
    }
    if info.constant.is_none() {
        info.constant = map.get("const").cloned();
    }
    if info.max_length.is_none() {
        info.max_length = map.get("maxLength").and_then(Value::as_u64);
    }
    if map.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
        info.unique_items = true;
    }
    if map.get("x-substantive").and_then(Value::as_bool) == Some(true) {
        info.substantive = true;
    }
    if info.min_words.is_none() {
        info.min_words = map
            .get("x-min-words")
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok());
    }
    if info.enum_values.is_empty()
        && let Some(Value::Array(codes)) = map.get("enum")
    {
        info.enum_values = codes
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
    }
    if let Some(Value::Object(titles)) = map.get("x-enum-titles") {
        for (code, title) in titles {
            if let Some(title) = title.as_str() {
                info.enum_titles
                    .entry(code.clone())
                    .or_insert_with(|| title.to_owned());
            }
        }
    }
}

/// The value at a JSON pointer, as `Value::pointer` finds it, without allocating for each
/// segment (only a segment holding `~` is unescaped into a new string).
pub fn lookup<'v>(doc: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(doc);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut target = doc;
    for raw in rest.split('/') {
        let unescaped;
        let segment = if raw.contains('~') {
            unescaped = raw.replace("~1", "/").replace("~0", "~");
            unescaped.as_str()
        } else {
            raw
        };
        target = match target {
            Value::Object(map) => map.get(segment)?,
            Value::Array(items) => items.get(array_index(segment)?)?,
            _ => return None,
        };
    }
    Some(target)
}

/// An array index as a JSON pointer writes it: digits, no sign, no leading zero.
fn array_index(segment: &str) -> Option<usize> {
    if segment.starts_with('+') || (segment.starts_with('0') && segment.len() != 1) {
        return None;
    }
    segment.parse().ok()
}

/// The unescaped segments of a JSON pointer (`~1` is `/`, `~0` is `~`).
pub fn pointer_segments(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
}

/// Escapes one segment for a JSON pointer.
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `date_of_birth` → `Date of birth`, for fields a schema left untitled.
fn humanise(name: &str) -> String {
    let spaced = name.replace(['_', '-'], " ");
    let spaced = match spaced.trim() {
        "" => name.to_owned(),
        trimmed => trimmed.to_owned(),
    };
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "title": "Test form",
            "$defs": {
                "person": {
                    "type": "object",
                    "title": "Person",
                    "properties": {"name": {"type": "string", "title": "Full name"}}
                }
            },
            "properties": {
                "notifier": {"$ref": "#/$defs/person", "title": "Person notifying"},
                "children": {
                    "type": "array",
                    "title": "Children",
                    "items": {
                        "type": "object",
                        "properties": {
                            "sex": {"enum": ["f", "m"], "x-enum-titles": {"f": "Female", "m": "Male"}},
                            "story": {"type": "string", "title": "Story", "x-substantive": true, "x-min-words": 5}
                        }
                    }
                }
            },
            "allOf": [{"if": {"required": ["x"]}, "then": {"properties": {"extra": {"title": "Extra"}}}}]
        })
    }

    #[test]
    fn titles_follow_refs_and_array_items() {
        let index = SchemaIndex::new(&schema());
        assert_eq!(index.title("/notifier"), "Person notifying");
        assert_eq!(index.title("/notifier/name"), "Full name");
        assert_eq!(index.title("/children/3/story"), "Story");
        assert_eq!(index.title("/extra"), "Extra");
        assert_eq!(index.title("/children/0/unknown_field"), "Unknown field");
        assert_eq!(index.title("/_expect"), "Expect");
        assert_eq!(index.title("/__"), "__");
        assert_eq!(index.title(""), "Test form");
        assert_eq!(index.label("/children/3/story"), "Children, entry 4: Story");
        assert_eq!(index.label("/notifier/name"), "Person notifying: Full name");
        assert_eq!(index.label("/notifier"), "Person notifying");
        // Before: "Children: 0"; a raw 0-based index read as if it were a name.
        assert_eq!(index.title("/children/0"), "Item 1 of Children");
        assert_eq!(index.label("/children/0"), "Item 1 of Children");
        let sex = index.field("/children/0/sex").expect("indexed");
        assert_eq!(sex.enum_titles.get("f").map(String::as_str), Some("Female"));
    }

    #[test]
    fn substantive_fields_are_found_in_arrays() {
        let index = SchemaIndex::new(&schema());
        let doc = json!({"children": [{"story": "a"}, {"story": "b", "sex": "f"}]});
        let mut seen = Vec::new();
        index.for_each_substantive(&doc, &mut |pointer, info, text| {
            seen.push((pointer.to_owned(), info.min_words, text.to_owned()));
        });
        assert_eq!(
            seen,
            vec![
                ("/children/0/story".to_owned(), Some(5), "a".to_owned()),
                ("/children/1/story".to_owned(), Some(5), "b".to_owned()),
            ]
        );
    }

    #[test]
    fn required_and_revealed_fields_are_told_apart() {
        let schema = json!({
            "type": "object",
            "required": ["involved"],
            "properties": {
                "involved": {"type": "boolean"},
                "statement": {"type": "string", "maxLength": 500},
                "kind": {"enum": ["a", "b"]}
            },
            "allOf": [
                {"if": {"properties": {"involved": {"const": false}}, "required": ["involved"]},
                 "then": {"required": ["statement"]}},
                {"if": {"not": {"required": ["kind"]}}, "then": {"required": ["statement"]}}
            ]
        });
        let index = SchemaIndex::new(&schema);
        assert_eq!(index.root().required, vec!["involved".to_owned()]);
        assert_eq!(
            index.root().reveals,
            vec![Reveal {
                field: "involved".into(),
                values: vec![json!(false)],
                fields: vec!["statement".into()],
            }]
        );
        assert_eq!(
            index.field("/statement").and_then(|f| f.max_length),
            Some(500)
        );
    }

    #[test]
    fn ref_cycles_terminate() {
        let cyclic = json!({"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"});
        let index = SchemaIndex::new(&cyclic);
        assert_eq!(index.title("/x"), "X");
    }
}
