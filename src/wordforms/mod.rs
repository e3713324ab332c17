//! Fillable Word forms: a blank `.docx` generated from a form's schema, with one content control
//! per field tagged with the field's JSON pointer, and the reading back of a filled one.
//!
//! [`blank`] writes the form (no per-form code: the layout comes from the schema's
//! [`SchemaIndex`](crate::forms::schema_index::SchemaIndex)); [`ingest`] reads a filled form
//! into the form's JSON, restoring types from the schema, and validates it.

pub mod blank;
mod controls;
mod fields;
pub mod ingest;

pub use blank::{BlankOptions, CasePrefill, blank};
pub use ingest::{Ingested, ingest, read};

use thiserror::Error;

use crate::ooxml::OoxmlError;

/// The pointer of the control that names the form.
pub const FORM_TAG: &str = "/form";
/// The pointer of the control that names the form's version.
pub const VERSION_TAG: &str = "/form_version";

/// Why a Word form could not be produced or read.
#[derive(Debug, Error)]
pub enum WordFormError {
    /// The blank form could not be put together (a fault in the software, not in any input).
    #[error(transparent)]
    Render(#[from] crate::render::docx::DocxError),
    /// The blank form could not be finished (a fault in the software, not in any input).
    #[error(
        "The blank Word form could not be finished because of a fault in the system, not in \
         anything you entered. Please try again, and if it happens again tell your system \
         administrator (detail: {0})."
    )]
    Package(String),
    /// The uploaded file could not be read as a Word document.
    #[error(transparent)]
    Unreadable(#[from] OoxmlError),
    /// A Word document that is not one of the fillable forms.
    #[error(
        "This Word document is not one of the fillable forms of this service: it has no form \
         name in it. Please download the blank form for your form, fill it in and send that."
    )]
    NotAForm,
    /// A fillable form of a form this service does not know.
    #[error(
        "This Word form says it is \"{id}\", which is not a form this service knows. Please \
         download a new blank form and fill that in."
    )]
    UnknownForm {
        /// The form id the document names (cut short).
        id: String,
    },
    /// A form filled from an older (or newer) version of the blank form.
    #[error(
        "This Word form was made from version {found} of the {title}, but the current version \
         is {current}. Fields may have changed, so it was not read. Please download a new blank \
         form, copy your answers into it and send it again."
    )]
    WrongVersion {
        /// The form's title.
        title: String,
        /// The version the document carries.
        found: String,
        /// The version the service uses.
        current: String,
    },
}

impl WordFormError {
    /// Whether the fault is in the uploaded document (as opposed to in the service).
    pub fn is_in_document(&self) -> bool {
        !matches!(self, WordFormError::Render(_) | WordFormError::Package(_))
    }
}
