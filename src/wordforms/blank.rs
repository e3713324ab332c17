//! The blank (or pre-filled) Word form of one form, generated from its schema.
//!
//! The form goes through the report writer ([`crate::render::docx::render_pieces`]) in one
//! pass: headings and guidance as blocks, each field as a [`FormField`] (label, guidance and
//! content control), so the form has the same styles, header and properties as every other
//! document.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::WordFormError;
use super::controls;
use super::fields::{Bookmarks, Item, Kind, layout};
use crate::assemble::model::{Block, Inline, Metadata};
use crate::forms::Form;
use crate::render::docx::{FormField, Piece, render_pieces};

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
    let index = form.index();
    let bookmarks = Bookmarks::new(index);
    let paragraph =
        |inline: Inline| Piece::Block(Cow::Owned(Block::Paragraph { text: vec![inline] }));
    let mut pieces = vec![
        Piece::Block(Cow::Owned(Block::Title {
            text: vec![Inline::text(form.title())],
        })),
        paragraph(Inline::text(format!(
            "Fill in this form in Word and send it back as it is (.docx). Each answer goes in \
             the box under its question; grey text in a box is a prompt, not an answer. Dates \
             are day/month/year. Lists have a fixed number of entries: leave the ones you do \
             not need empty. Form {} version {}.",
            form.id(),
            form.version()
        ))),
    ];
    for item in &items {
        match item {
            Item::Heading {
                level,
                title,
                guidance,
            } => {
                pieces.push(Piece::Block(Cow::Owned(Block::Heading {
                    level: *level,
                    text: vec![Inline::text(title)],
                })));
                if let Some(text) = guidance {
                    pieces.push(paragraph(Inline::Emphasis {
                        content: vec![Inline::text(text)],
                    }));
                }
            }
            Item::Field {
                pointer,
                title,
                guidance,
                kind,
            } => {
                let bookmark = bookmarks.name(index, pointer).ok_or_else(|| {
                    WordFormError::Package(format!("no bookmark for the field at {pointer}"))
                })?;
                let value = fixed.pointer(pointer);
                pieces.push(Piece::Field(FormField {
                    tag: pointer,
                    bookmark,
                    label: title,
                    guidance: guidance.as_deref(),
                    control: controls::control(kind, value),
                    locked: *kind == Kind::Fixed,
                    value: value.and_then(|v| controls::display(kind, v)),
                    prompt: controls::placeholder(kind),
                }));
            }
        }
    }
    let meta = Metadata {
        title: form.title().to_owned(),
        subject: format!("Fillable form {} version {}", form.id(), form.version()),
        author: "Safeguarding partnership".to_owned(),
        marking: "OFFICIAL-SENSITIVE when completed".to_owned(),
        language: "en-GB".to_owned(),
        date: options.date,
    };
    Ok(render_pieces(&meta, &pieces)?)
}
