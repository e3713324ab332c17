//! What can go wrong when assembling a document, in words a partnership team can act on.

use thiserror::Error;

/// A document could not be assembled.
#[derive(Debug, Error)]
pub enum AssembleError {
    /// A template's wording has a mistake (found when the templates are loaded).
    #[error(
        "The template \"{template}\" has a mistake and cannot be used: {reason}. \
         See templates/README.md for how templates are written."
    )]
    BadTemplate {
        /// The template's name, e.g. `rapid-review`.
        template: String,
        /// What is wrong, in plain words.
        reason: String,
    },
    /// No template of that name exists.
    #[error("There is no template called \"{0}\".")]
    UnknownTemplate(String),
    /// Filling in a template failed, usually because it asks for a field the form does not
    /// have, or a mandatory field is missing from the submission.
    #[error(
        "The document \"{template}\" could not be filled in: {reason}. \
         Check that the submission is valid for its form, or correct the template."
    )]
    Render {
        /// The template's name.
        template: String,
        /// What is wrong, in plain words.
        reason: String,
    },
    /// The built-in calendar could not be loaded (a defect of the build).
    #[error("The working-day calendar could not be loaded: {0}")]
    Calendar(String),
    /// The submission does not name a form this service knows.
    #[error(transparent)]
    Form(#[from] crate::forms::FormError),
    /// A submission given for one part of a document is of another form.
    #[error("{role} should be a \"{expected}\" form, but this file is a \"{found}\" form.")]
    WrongForm {
        /// What the file was given as, e.g. "The notification".
        role: String,
        /// The form expected.
        expected: String,
        /// The form found.
        found: String,
    },
}
