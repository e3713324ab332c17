//! The final report check: is a reviewer's draft complete, and is it safe to publish?
//!
//! A draft arrives as a Word document or as a `final-report` JSON submission; both become an
//! [`outline::Outline`], which every check reads.

pub mod docx;
pub mod outline;
