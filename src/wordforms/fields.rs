//! The layout of a fillable form, read from the schema index: headings for objects and lists,
//! and one entry for each field that takes a value.

use serde_json::Value;

use crate::forms::schema_index::{FieldInfo, FieldNode, SchemaIndex, escape_segment};

/// How a field's value is entered, and so which content control holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// Free text.
    Text,
    /// A date (`YYYY-MM-DD` in the JSON).
    Date,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// Yes or no, as a drop-down list.
    Boolean,
    /// One code of an enumeration: `(code, title)` pairs.
    Choice(Vec<(String, String)>),
    /// Filled in by the service and not to be changed (the form's name and version).
    Fixed,
}

impl Kind {
    /// The kind of a field from what its schema says.
    pub(crate) fn of(info: &FieldInfo) -> Kind {
        let choices = info.choices();
        if !choices.is_empty() {
            return Kind::Choice(choices);
        }
        match (info.kind.as_deref(), info.format.as_deref()) {
            (_, Some("date")) => Kind::Date,
            (Some("boolean"), _) => Kind::Boolean,
            (Some("integer"), _) => Kind::Integer,
            (Some("number"), _) => Kind::Number,
            _ => Kind::Text,
        }
    }
}

/// One item of the form, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// A section: an object, a list or one entry of a list.
    Heading {
        /// 1 to 3.
        level: u8,
        /// The section's title.
        title: String,
        /// Guidance under the heading.
        guidance: Option<String>,
    },
    /// A field that takes a value.
    Field {
        /// The JSON pointer, also the control's tag.
        pointer: String,
        /// The label shown above the control.
        title: String,
        /// Guidance under the label.
        guidance: Option<String>,
        /// Which control.
        kind: Kind,
    },
}

/// The items of a whole form; every list gets `rows` entries, or as many as `prefill` has.
pub(crate) fn layout(index: &SchemaIndex, rows: usize, prefill: Option<&Value>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut walk = Walk {
        rows,
        prefill,
        items: &mut items,
    };
    for (name, child) in &index.root().properties {
        let pointer = format!("/{}", escape_segment(name));
        walk.node(child, &pointer, 1, None);
    }
    items
}

struct Walk<'a, 'b> {
    rows: usize,
    prefill: Option<&'a Value>,
    items: &'b mut Vec<Item>,
}

impl Walk<'_, '_> {
    fn node(&mut self, node: &FieldNode, pointer: &str, level: u8, entry: Option<usize>) {
        let info = &node.info;
        let base = info
            .title
            .clone()
            .unwrap_or_else(|| fallback_title(pointer));
        let title = match entry {
            Some(n) => format!("{base}, entry {}", n + 1),
            None => base,
        };
        let guidance = info.description.clone();
        if !node.properties.is_empty() {
            self.items.push(Item::Heading {
                level: level.min(3),
                title,
                guidance: if entry.is_some_and(|n| n > 0) {
                    None
                } else {
                    guidance
                },
            });
            for (name, child) in &node.properties {
                let child_pointer = format!("{pointer}/{}", escape_segment(name));
                self.node(child, &child_pointer, level.saturating_add(1), None);
            }
        } else if let Some(items) = &node.items {
            let slots = self.slots(pointer, items);
            let note =
                format!("There is room for {slots} entries; leave the ones you do not need empty.");
            self.items.push(Item::Heading {
                level: level.min(3),
                title,
                guidance: Some(match guidance {
                    Some(text) => format!("{text} {note}"),
                    None => note,
                }),
            });
            for slot in 0..slots {
                let child_pointer = format!("{pointer}/{slot}");
                self.node(items, &child_pointer, level.saturating_add(1), Some(slot));
            }
        } else {
            let kind = if pointer == super::FORM_TAG || pointer == super::VERSION_TAG {
                Kind::Fixed
            } else {
                Kind::of(info)
            };
            self.items.push(Item::Field {
                pointer: pointer.to_owned(),
                title,
                guidance: if entry.is_some_and(|n| n > 0) {
                    None
                } else {
                    guidance
                },
                kind,
            });
        }
    }

    /// Entries for a list: one per choice for a list of codes, else `rows`, never fewer than
    /// the pre-filled values.
    fn slots(&self, pointer: &str, items: &FieldNode) -> usize {
        let filled = self
            .prefill
            .and_then(|value| value.pointer(pointer))
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let codes = items.info.choices().len();
        let wanted = if items.properties.is_empty() && codes > 0 {
            codes
        } else {
            self.rows
        };
        wanted.max(filled).max(1)
    }
}

fn fallback_title(pointer: &str) -> String {
    let last = pointer.rsplit('/').next().unwrap_or_default();
    let spaced = last.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// Bookmark names that carry each control's pointer alongside its tag.
///
/// LibreOffice (7.4) keeps a content control's text, and the bookmarks inside it, but drops
/// its tag when it saves a `.docx`; so every control also holds a bookmark whose name gives
/// the field. Word limits names to 40 letters, digits and underscores, too few for a pointer,
/// so a name is the field's number in the schema's order with the entry numbers of the lists
/// it is in: `_sf12_0_3` is field 12 of entry 3 of entry 0. The leading underscore keeps the
/// bookmarks out of Word's bookmark list. The form and its version, which must be known before
/// the fields can be numbered, have names of their own.
#[derive(Debug, Clone)]
pub(crate) struct Bookmarks {
    /// Each field's pointer, with `*` where a list entry number goes.
    templates: Vec<String>,
}

/// The bookmark of the control that names the form.
pub(crate) const FORM_BOOKMARK: &str = "_sf_form";
/// The bookmark of the control that names the form's version.
pub(crate) const VERSION_BOOKMARK: &str = "_sf_version";
/// What every field bookmark's name starts with.
pub(crate) const BOOKMARK_PREFIX: &str = "_sf";
/// Word's longest bookmark name.
const MAX_NAME: usize = 40;

impl Bookmarks {
    /// The numbering of the fields of a form's schema.
    pub(crate) fn new(index: &SchemaIndex) -> Self {
        fn walk(node: &FieldNode, pointer: &mut String, out: &mut Vec<String>) {
            if !node.properties.is_empty() {
                for (name, child) in &node.properties {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&escape_segment(name));
                    walk(child, pointer, out);
                    pointer.truncate(len);
                }
            } else if let Some(items) = &node.items {
                let len = pointer.len();
                pointer.push_str("/*");
                walk(items, pointer, out);
                pointer.truncate(len);
            } else {
                out.push(pointer.clone());
            }
        }
        let mut templates = Vec::new();
        walk(index.root(), &mut String::new(), &mut templates);
        Bookmarks { templates }
    }

    /// The bookmark name for the field at `pointer`, if the form has that field.
    pub(crate) fn name(&self, index: &SchemaIndex, pointer: &str) -> Option<String> {
        match pointer {
            super::FORM_TAG => return Some(FORM_BOOKMARK.to_owned()),
            super::VERSION_TAG => return Some(VERSION_BOOKMARK.to_owned()),
            _ => {}
        }
        let mut node = index.root();
        let mut template = String::new();
        let mut entries = Vec::new();
        for segment in pointer.split('/').skip(1) {
            match &node.items {
                Some(items) if node.properties.is_empty() => {
                    entries.push(segment.parse::<usize>().ok()?);
                    template.push_str("/*");
                    node = items;
                }
                _ => {
                    let name = segment.replace("~1", "/").replace("~0", "~");
                    node = node.property(&name)?;
                    template.push('/');
                    template.push_str(segment);
                }
            }
        }
        let number = self.templates.iter().position(|t| *t == template)?;
        let mut name = format!("{BOOKMARK_PREFIX}{number}");
        for entry in entries {
            name.push('_');
            name.push_str(&entry.to_string());
        }
        (name.len() <= MAX_NAME).then_some(name)
    }

    /// The pointer of the field a bookmark names, if it is one of this form's.
    pub(crate) fn pointer(&self, name: &str) -> Option<String> {
        match name {
            FORM_BOOKMARK => return Some(super::FORM_TAG.to_owned()),
            VERSION_BOOKMARK => return Some(super::VERSION_TAG.to_owned()),
            _ => {}
        }
        let mut parts = name.strip_prefix(BOOKMARK_PREFIX)?.split('_');
        let number: usize = parts.next()?.parse().ok()?;
        let template = self.templates.get(number)?;
        let mut entries = parts.map(|part| part.parse::<usize>().ok());
        let mut pointer = String::with_capacity(template.len());
        for segment in template.split('/').skip(1) {
            pointer.push('/');
            if segment == "*" {
                pointer.push_str(&entries.next()??.to_string());
            } else {
                pointer.push_str(segment);
            }
        }
        entries.next().is_none().then_some(pointer)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn index() -> SchemaIndex {
        SchemaIndex::new(&json!({
            "properties": {
                "form": {"type": "string"},
                "form_version": {"type": "string"},
                "case_reference": {"type": "string"},
                "periods": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "from": {"type": "string", "format": "date"},
                        "notes": {"type": "array", "items": {"type": "string"}}
                    }
                }},
                "a/b": {"type": "string"},
                "kind": {"type": "string", "enum": ["z", "a", "m"], "x-enum-titles": {"a": "Alpha"}}
            }
        }))
    }

    #[test]
    fn bookmark_names_and_pointers_are_inverse() {
        let index = index();
        let bookmarks = Bookmarks::new(&index);
        for pointer in [
            "/form",
            "/form_version",
            "/case_reference",
            "/periods/0/from",
            "/periods/12/notes/3",
            "/a~1b",
        ] {
            let name = bookmarks
                .name(&index, pointer)
                .unwrap_or_else(|| panic!("{pointer} has a name"));
            assert!(name.starts_with("_sf") && name.len() <= 40, "{name}");
            assert!(
                name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{name}"
            );
            assert_eq!(bookmarks.pointer(&name).as_deref(), Some(pointer), "{name}");
        }
        assert_eq!(
            bookmarks.name(&index, "/periods/1/notes/2").as_deref(),
            Some("_sf4_1_2")
        );
    }

    #[test]
    fn names_that_are_not_fields_give_nothing() {
        let index = index();
        let bookmarks = Bookmarks::new(&index);
        assert_eq!(bookmarks.name(&index, "/nope"), None);
        assert_eq!(bookmarks.name(&index, "/periods/x/from"), None);
        for name in [
            "_Toc0001", "_sf", "_sf99", "_sf3", "_sf3_1_2", "_sf4_1", "_sfx", "_sf2_1",
        ] {
            assert_eq!(bookmarks.pointer(name), None, "{name}");
        }
    }

    #[test]
    fn choices_follow_the_schema_order() {
        let index = index();
        let kind = index.field("/kind").map(Kind::of);
        let expected = [("z", "z"), ("a", "Alpha"), ("m", "m")]
            .map(|(c, t)| (c.to_owned(), t.to_owned()))
            .to_vec();
        assert_eq!(kind, Some(Kind::Choice(expected)));
    }
}
