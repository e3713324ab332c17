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
        if !info.enum_titles.is_empty() {
            let choices = info
                .enum_titles
                .iter()
                .map(|(code, title)| (code.clone(), title.clone()))
                .collect();
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
        let wanted = if items.properties.is_empty() && !items.info.enum_titles.is_empty() {
            items.info.enum_titles.len()
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
