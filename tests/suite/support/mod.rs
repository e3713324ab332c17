//! Helpers shared by the test modules.

pub mod assemble;
pub mod browser;
pub mod hostile_files;
pub mod http_app;
pub mod http_db;
pub mod sample_document;
pub mod served;
pub mod word_fill;
