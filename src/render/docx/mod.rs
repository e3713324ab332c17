//! Word (DOCX) backend: a pure function from the document model to the bytes of a `.docx`.
//!
//! The document is built with `docx-rs` using Word's built-in style names (Title, Heading 1-3,
//! List Bullet, List Number, Table Grid, TOC 1-3), then the package is post-processed to add
//! what docx-rs cannot write and to put elements in the order the Office Open XML schema
//! requires. The same [`Document`] always gives the same bytes.

mod build;
mod numbering;
mod package;
mod props;
mod schema_order;
mod styles;
mod table;
mod text;
mod theme;
mod xml_fix;

use crate::assemble::model::Document;

/// Why a Word document could not be produced. None of these comes from what a user typed:
/// each is a fault in the software, so the message says so plainly.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// docx-rs could not write the package.
    #[error(
        "The Word document could not be put together because of a fault in the system, not in \
         what you entered. Please try again, and if it happens again tell your system \
         administrator (detail: {0})."
    )]
    Write(#[from] zip::result::ZipError),
    /// The package written by docx-rs could not be read back for finishing.
    #[error(
        "The Word document could not be finished because of a fault in the system, not in \
         what you entered. Please try again, and if it happens again tell your system \
         administrator (detail: part {part}: {detail})."
    )]
    Finish {
        /// The package part being processed, e.g. `word/document.xml`.
        part: String,
        /// What went wrong, in technical terms, for the administrator.
        detail: String,
    },
}

/// Renders `doc` as a Word document and returns the bytes of the `.docx` file.
///
/// Deterministic: the same document gives byte-identical output.
pub fn render_docx(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let mut raw = std::io::Cursor::new(Vec::new());
    build::build(doc).pack(&mut raw)?;
    package::finish(raw.get_ref(), &doc.meta)
}
