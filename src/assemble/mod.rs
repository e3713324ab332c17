//! Assembly: templates to Markdown to the [`model::Document`] every renderer reads.
//!
//! [`documents::Assembler`] is the entry point: it fills a template in `templates/` with a
//! submission ([`templates`], [`helpers`], [`escape`]), parses the Markdown ([`markdown`]) and
//! returns the [`model::Document`] the Word and PDF backends render.

pub mod documents;
pub mod error;
pub mod escape;
pub mod helpers;
pub mod markdown;
pub mod model;
pub mod templates;

pub use documents::{Assembler, DocumentKind, Marking, MetadataBuilder, UnknownMarking};
pub use error::AssembleError;
pub use templates::Templates;
