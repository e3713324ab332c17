//! The blank (or pre-filled) Word form of one form, generated from its schema.
//!
//! The labels, headings and guidance go through the report renderer
//! ([`crate::render::docx::render_docx`]), so the form has the same styles, header and
//! properties as every other document; each field is first a marker paragraph, which is then
//! replaced in `word/document.xml` by its content control.

use std::io::{Cursor, Read, Write};

use chrono::NaiveDate;
use serde_json::{Map, Value};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::WordFormError;
use super::controls;
use super::fields::{Bookmarks, Item, layout};
use crate::assemble::model::{Block, Document, Inline, Metadata};
use crate::forms::Form;

/// The main document part.
const DOCUMENT: &str = "word/document.xml";

/// How to generate a blank form.
#[derive(Debug, Clone)]
pub struct BlankOptions {
    /// Entries offered for each list (recommendations, agencies, ...); a list of codes always
    /// offers one entry per code.
    pub rows: usize,
    /// Values written into the controls, shaped like a submission (e.g. the case reference).
    pub prefill: Option<Value>,
    /// The document's date, for its properties.
    pub date: NaiveDate,
}

impl BlankOptions {
    /// Three entries per list, nothing pre-filled.
    pub fn new(date: NaiveDate) -> Self {
        BlankOptions {
            rows: 3,
            prefill: None,
            date,
        }
    }
}

/// What a case knows before an agency fills in its form.
#[derive(Debug, Clone, Default)]
pub struct CasePrefill {
    /// The partnership's case reference, e.g. `KSCP-2026-014`.
    pub case_reference: Option<String>,
    /// The child's pseudonym, e.g. `Child L`.
    pub pseudonym: Option<String>,
    /// The agency filling in the form: its id and name.
    pub agency: Option<(String, String)>,
}

impl CasePrefill {
    /// The pre-fill values for `form`, each where the form's schema says (`x-prefill`).
    pub fn for_form(&self, form: &Form) -> Value {
        let prefill = &form.annotations().prefill;
        let mut out = Value::Object(Map::new());
        if let (Some(reference), Some(pointer)) = (&self.case_reference, &prefill.case_reference) {
            set(&mut out, pointer, Value::String(reference.clone()));
        }
        if let (Some(pseudonym), Some(pointer)) = (&self.pseudonym, &prefill.pseudonym) {
            set(&mut out, pointer, Value::String(pseudonym.clone()));
        }
        if let (Some((id, name)), Some(base)) = (&self.agency, &prefill.agency) {
            set(&mut out, &format!("{base}/id"), Value::String(id.clone()));
            set(
                &mut out,
                &format!("{base}/name"),
                Value::String(name.clone()),
            );
        }
        out
    }
}

/// Sets a value at a pointer made of object keys, creating the objects on the way.
fn set(root: &mut Value, pointer: &str, value: Value) {
    let mut node = root;
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    for (n, segment) in segments.iter().enumerate() {
        let Value::Object(map) = node else { return };
        if n + 1 == segments.len() {
            map.insert((*segment).to_owned(), value);
            return;
        }
        node = map
            .entry((*segment).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

/// The `.docx` bytes of the fillable form of `form`.
///
/// Deterministic: the same form and options give the same bytes.
pub fn blank(form: &Form, options: &BlankOptions) -> Result<Vec<u8>, WordFormError> {
    let mut fixed = options.prefill.clone().unwrap_or(Value::Null);
    if !fixed.is_object() {
        fixed = Value::Object(Map::new());
    }
    set(
        &mut fixed,
        super::FORM_TAG,
        Value::String(form.id().to_owned()),
    );
    set(
        &mut fixed,
        super::VERSION_TAG,
        Value::String(form.version().to_owned()),
    );
    let items = layout(form.index(), options.rows, Some(&fixed));
    let (doc, fields) = document(form, &items, options.date);
    let rendered = crate::render::docx::render_docx(&doc)?;
    let bookmarks = Bookmarks::new(form.index());
    let mut controls = Vec::with_capacity(fields.len());
    for (n, item) in fields.into_iter().enumerate() {
        let Item::Field {
            pointer,
            title,
            guidance,
            kind,
        } = item
        else {
            return Err(WordFormError::Package(format!("item {n} is not a field")));
        };
        let bookmark = bookmarks
            .name(form.index(), pointer)
            .ok_or_else(|| WordFormError::Package(format!("no bookmark for field {n}")))?;
        let field = controls::Field {
            pointer,
            bookmark: &bookmark,
            title,
            guidance: guidance.as_deref(),
            kind,
        };
        let mut xml = String::new();
        controls::control(&mut xml, n + 1, &field, fixed.pointer(pointer));
        controls.push(xml);
    }
    replace_markers(&rendered, &controls)
}

/// The marker paragraph of field `n`, replaced by its control after rendering.
fn marker(n: usize) -> String {
    format!("WORDFORMFIELD{n:06}")
}

fn document<'a>(form: &Form, items: &'a [Item], date: NaiveDate) -> (Document, Vec<&'a Item>) {
    let paragraph = |inline: Inline| Block::Paragraph { text: vec![inline] };
    let mut blocks = vec![
        Block::Title {
            text: vec![Inline::text(form.title())],
        },
        paragraph(Inline::text(format!(
            "Fill in this form in Word and send it back as it is (.docx). Each answer goes in \
             the box under its question; grey text in a box is a prompt, not an answer. Dates \
             are day/month/year. Lists have a fixed number of entries: leave the ones you do \
             not need empty. Form {} version {}.",
            form.id(),
            form.version()
        ))),
    ];
    let mut fields = Vec::new();
    for item in items {
        match item {
            Item::Heading {
                level,
                title,
                guidance,
            } => {
                blocks.push(Block::Heading {
                    level: *level,
                    text: vec![Inline::text(title)],
                });
                if let Some(text) = guidance {
                    blocks.push(paragraph(Inline::Emphasis {
                        content: vec![Inline::text(text)],
                    }));
                }
            }
            Item::Field { .. } => {
                // The label, guidance and control are written in place of this marker.
                blocks.push(paragraph(Inline::text(marker(fields.len()))));
                fields.push(item);
            }
        }
    }
    let meta = Metadata {
        title: form.title().to_owned(),
        subject: format!("Fillable form {} version {}", form.id(), form.version()),
        author: "Safeguarding partnership".to_owned(),
        marking: "OFFICIAL-SENSITIVE when completed".to_owned(),
        language: "en-GB".to_owned(),
        date,
    };
    (Document { meta, blocks }, fields)
}

/// Copies the package, replacing each marker paragraph of `word/document.xml` by its control.
fn replace_markers(docx: &[u8], controls: &[String]) -> Result<Vec<u8>, WordFormError> {
    let fault = |detail: &dyn std::fmt::Display| WordFormError::Package(detail.to_string());
    let mut archive = ZipArchive::new(Cursor::new(docx)).map_err(|e| fault(&e))?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(docx.len() * 2)));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| fault(&e))?;
        let name = entry.name().to_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| fault(&e))?;
        if name == DOCUMENT {
            let xml = String::from_utf8(bytes).map_err(|e| fault(&e))?;
            bytes = with_controls(&xml, controls)?.into_bytes();
        }
        out.start_file(name.as_str(), options)
            .map_err(|e| fault(&e))?;
        out.write_all(&bytes).map_err(|e| fault(&e))?;
    }
    Ok(out.finish().map_err(|e| fault(&e))?.into_inner())
}

fn with_controls(xml: &str, controls: &[String]) -> Result<String, WordFormError> {
    let mut out =
        String::with_capacity(xml.len() + controls.iter().map(String::len).sum::<usize>());
    let mut rest = xml;
    for (n, control) in controls.iter().enumerate() {
        let mark = marker(n);
        let missing = || WordFormError::Package(format!("field marker {n} not found"));
        let at = rest.find(&mark).ok_or_else(missing)?;
        let before = &rest[..at];
        let start = [before.rfind("<w:p>"), before.rfind("<w:p ")]
            .into_iter()
            .flatten()
            .max()
            .ok_or_else(missing)?;
        let end = rest[at..].find("</w:p>").ok_or_else(missing)? + at + "</w:p>".len();
        out.push_str(&rest[..start]);
        out.push_str(control);
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok(out)
}
