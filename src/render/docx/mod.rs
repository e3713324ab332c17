//! Word (DOCX) backend: a pure function from the document model to the bytes of a `.docx`.
//!
//! The package is written in one pass, as pandoc does with its reference document: the parts
//! that do not depend on the document (styles under Word's built-in names, list definitions,
//! theme, settings, font table, header and footer) are files in `parts/` with a few values
//! filled in; `document.xml` is written block by block in schema order; the fillable Word
//! forms' content controls ([`Piece::Field`]) are written by the same writer. The same input
//! always gives the same bytes.

mod body;
mod chart;
mod field;
mod package;
mod props;
mod runs;
mod table;
mod xml;

use std::borrow::Cow;

use crate::assemble::model::{Block, Document, Metadata};

/// Why a Word document could not be produced. None of these comes from what a user typed:
/// each is a fault in the software, so the message says so plainly.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// The zip archive could not be written.
    #[error(
        "The Word document could not be put together because of a fault in the system, not in \
         what you entered. Please try again, and if it happens again tell your system \
         administrator (detail: {0})."
    )]
    Write(#[from] zip::result::ZipError),
    /// One part of the package could not be written.
    #[error(
        "The Word document could not be finished because of a fault in the system, not in \
         what you entered. Please try again, and if it happens again tell your system \
         administrator (detail: part {part}: {detail})."
    )]
    Part {
        /// The package part being written, e.g. `word/document.xml`.
        part: &'static str,
        /// What went wrong, in technical terms, for the administrator.
        detail: String,
    },
}

/// One thing in a Word document's body: a block of the model, or a fillable form field.
#[derive(Debug, Clone)]
pub enum Piece<'a> {
    /// A block of the document model.
    Block(Cow<'a, Block>),
    /// A field of a fillable form.
    Field(FormField<'a>),
}

/// A fillable form field: a bold label carrying a bookmark, optional guidance, and a content
/// control holding the value or a prompt.
#[derive(Debug, Clone)]
pub struct FormField<'a> {
    /// The control's tag (the field's JSON pointer).
    pub tag: &'a str,
    /// The bookmark on the label, which names the field when a word processor drops the tag.
    pub bookmark: String,
    /// The label above the control, also the control's title.
    pub label: &'a str,
    /// Guidance under the label.
    pub guidance: Option<&'a str>,
    /// Which kind of control.
    pub control: Control<'a>,
    /// Whether the content may not be changed.
    pub locked: bool,
    /// The text shown in the control; `None` shows the prompt.
    pub value: Option<String>,
    /// The prompt shown in grey while the control is empty.
    pub prompt: &'a str,
}

/// The kind of a content control.
#[derive(Debug, Clone, PartialEq)]
pub enum Control<'a> {
    /// Plain text, several lines allowed.
    Text,
    /// A date picker showing day/month/year; `iso` (`YYYY-MM-DD`) is the date it holds.
    Date {
        /// The date held, if any.
        iso: Option<&'a str>,
    },
    /// A drop-down list of (display text, value) pairs.
    DropDown(Vec<(&'a str, &'a str)>),
}

/// Renders `doc` as a Word document and returns the bytes of the `.docx` file.
///
/// Deterministic: the same document gives byte-identical output.
pub fn render_docx(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let pieces: Vec<Piece<'_>> = doc
        .blocks
        .iter()
        .map(|block| Piece::Block(Cow::Borrowed(block)))
        .collect();
    render_pieces(&doc.meta, &pieces)
}

/// Renders a body of blocks and form fields as a Word document (see [`render_docx`]).
pub fn render_pieces(meta: &Metadata, pieces: &[Piece<'_>]) -> Result<Vec<u8>, DocxError> {
    let (document, numbered) = body::document(pieces);
    package::write(meta, &document, &numbered)
}
