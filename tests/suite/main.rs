//! The integration test suite: one binary, so typst, sqlx and axum are linked once rather than
//! once per file. Each module is one area; `support` holds what several of them share.

mod support;

mod actions;
mod added_form;
mod after_decision;
mod assemble;
mod browser_smoke;
mod calendar;
mod check_report;
mod differential;
mod documents;
mod docx;
mod durability;
mod fuzz_corpus;
mod hostile;
mod http;
mod limits;
mod messages;
mod pdf;
mod python_schemas;
mod queries;
mod report_corpus;
mod report_shapes;
mod samples;
mod store;
mod timeliness_documents;
mod web_actions;
mod web_journey;
mod web_pages;
mod web_reports;
mod web_security;
mod wordforms;
mod yearly_report;
