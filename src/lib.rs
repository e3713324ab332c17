//! safeguarding-forms: the statutory paperwork of a child safeguarding practice review.
//!
//! A submission travels one way through the crate, one module per stage:
//! [`forms`] (registry of schemas) → [`validate`] (schema and mandatory-content rules, using
//! [`calendar`]) → [`assemble`] (templates to a document model) → `render` (Word and PDF) →
//! `store` (cases, submissions, audit) → `http` (routes and auth) and `web` (pages).
//!
//! After the review: [`actions`] (the action plan on review recommendations, tracked to the
//! partnership's sign-off), [`timeliness`] (the timeliness and activity report for a
//! period, beside the period before it) and [`yearly`] (the partners' yearly report: its
//! written sections checked for completeness, with those figures, as a document).
//!
//! Features: `pdf` (typst, the tagged PDF writer) and `service` (the store, the HTTP API and
//! the web pages; implies `pdf`) are on by default. Without them the crate is the forms, the
//! validator, the templates, the Word writer and readers and the report check: what the fuzz
//! harness builds, instrumented, in minutes rather than the whole service's quarter of an hour.

pub mod actions;
pub mod assemble;
pub mod calendar;
pub mod case_file;
pub mod check;
pub mod dates;
pub mod forms;
#[cfg(feature = "service")]
pub mod http;
pub mod nhs;
pub mod ooxml;
pub mod render;
#[cfg(feature = "service")]
pub mod store;
pub mod timeliness;
pub mod validate;
#[cfg(feature = "service")]
pub mod web;
pub mod wordforms;
pub mod yearly;
