//! safeguarding-forms: the statutory paperwork of a child safeguarding practice review.
//!
//! A submission travels one way through the crate, one module per stage:
//! [`forms`] (registry of schemas) → [`validate`] (schema and mandatory-content rules, using
//! [`calendar`]) → [`assemble`] (templates to a document model) → `render` (Word and PDF) →
//! `store` (cases, submissions, audit) → `http` (routes and auth).

pub mod assemble;
pub mod calendar;
pub mod case_file;
pub mod check;
pub mod dates;
pub mod forms;
pub mod http;
pub mod nhs;
pub mod ooxml;
pub mod render;
pub mod store;
pub mod validate;
pub mod web;
pub mod wordforms;
