//! Shared by the assembly and documents tests: the samples, the text of a document, and the
//! value of every mandatory field as a reader should see it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::Value;

use safeguarding_forms::assemble::model::{Block, Document, plain_text};
use safeguarding_forms::assemble::{Assembler, MetadataBuilder};
use safeguarding_forms::forms::Registry;

pub fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 14).unwrap_or_default()
}

pub fn assembler() -> (Registry, Assembler) {
    let registry = Registry::load().unwrap_or_else(|e| panic!("forms load: {e}"));
    let assembler = Assembler::new(&registry, MetadataBuilder::new(date()))
        .unwrap_or_else(|e| panic!("templates load: {e}"));
    (registry, assembler)
}

pub fn samples(form: &str) -> Vec<(PathBuf, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(form)
        .join("valid");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no samples for {form}");
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
            (path, value)
        })
        .collect()
}

/// All the text of a document, blocks joined by newlines.
pub fn document_text(document: &Document) -> String {
    let mut out = String::new();
    for block in &document.blocks {
        block_text(block, &mut out);
    }
    out
}

pub fn block_text(block: &Block, out: &mut String) {
    match block {
        Block::Title { text } | Block::Heading { text, .. } | Block::Paragraph { text } => {
            out.push_str(&plain_text(text));
            out.push('\n');
        }
        Block::List { items, .. } => {
            for item in items {
                for block in item {
                    block_text(block, out);
                }
            }
        }
        Block::Table { header, rows, .. } => {
            for cell in header.iter().chain(rows.iter().flatten()) {
                out.push_str(&plain_text(cell));
                out.push('\n');
            }
        }
        Block::Chart(chart) => {
            out.push_str(&chart.description);
            out.push('\n');
        }
        Block::Contents | Block::PageBreak => {}
    }
}

/// Every value of a mandatory field (following the schema's `required` lists), as a reader
/// should see it: dates in UK style, enumeration codes as their titles, booleans as Yes/No.
pub fn mandatory_values(registry: &Registry, submission: &Value) -> Vec<(String, String)> {
    let form = registry
        .detect(submission)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    walk(form.schema(), form.schema(), submission, "", form, &mut out);
    out
}

pub fn resolve<'a>(schema: &'a Value, root: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|p| root.pointer(p))
            .map_or(schema, |target| resolve(target, root)),
        None => schema,
    }
}

pub fn walk(
    schema: &Value,
    root: &Value,
    value: &Value,
    pointer: &str,
    form: &safeguarding_forms::forms::Form,
    out: &mut Vec<(String, String)>,
) {
    let schema = resolve(schema, root);
    match value {
        Value::Object(map) => {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for name in required {
                let (Some(child), Some(child_schema)) = (
                    map.get(name),
                    schema.pointer(&format!("/properties/{name}")),
                ) else {
                    continue;
                };
                // Agency codes are for machines; the agency's name is what a reader sees.
                if ["form", "form_version", "id"].contains(&name) {
                    continue;
                }
                walk(
                    child_schema,
                    root,
                    child,
                    &format!("{pointer}/{name}"),
                    form,
                    out,
                );
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    walk(
                        item_schema,
                        root,
                        item,
                        &format!("{pointer}/{i}"),
                        form,
                        out,
                    );
                }
            }
        }
        Value::String(text) => {
            let info = form.index().field(pointer);
            let shown = match info {
                Some(info) if info.format.as_deref() == Some("date") => {
                    safeguarding_forms::assemble::helpers::uk_date(value)
                }
                Some(info) => info.enum_titles.get(text).cloned().unwrap_or(text.clone()),
                None => text.clone(),
            };
            out.push((pointer.to_owned(), shown));
        }
        Value::Bool(_) | Value::Number(_) | Value::Null => {}
    }
}

pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn assert_has_mandatory(
    registry: &Registry,
    submission: &Value,
    document: &Document,
    name: &str,
) {
    let text = normalise(&document_text(document));
    for (pointer, value) in mandatory_values(registry, submission) {
        assert!(
            text.contains(&normalise(&value)),
            "{name}: the value of {pointer} ({value:?}) is missing from the document"
        );
    }
}

pub fn one(form: &str, name_part: &str) -> Value {
    samples(form)
        .into_iter()
        .find(|(path, _)| path.to_string_lossy().contains(name_part))
        .map(|(_, value)| value)
        .unwrap_or_else(|| panic!("no {form} sample named {name_part}"))
}

pub fn case_014_summaries() -> Vec<Value> {
    samples("agency-summary")
        .into_iter()
        .filter(|(path, _)| path.to_string_lossy().contains("2026-014"))
        .map(|(_, value)| value)
        .collect()
}
