//! Assembly: templates to Markdown to the [`model::Document`] every renderer reads.

pub mod model;
