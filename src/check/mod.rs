//! The final report check: is a reviewer's draft complete, and is it safe to publish?
//!
//! A draft arrives as a Word document or as a `final-report` JSON submission; both become an
//! [`outline::Outline`], which every check reads: [`completeness`] (the mandatory items and
//! each recommendation's owner and deadline) and [`identifying`] (details that could identify
//! the child, the family or practitioners). [`checklist`] turns the result into a document.

pub mod budget;
pub mod checklist;
pub mod completeness;
pub mod config;
pub mod contents;
pub mod document;
pub mod docx;
pub mod identifying;
pub mod outline;

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use crate::assemble::{AssembleError, Assembler};
use crate::forms::FormError;
use crate::ooxml::{Limits, OoxmlError};
use crate::validate::input::{self, InputError};
pub use budget::{Budget, CancelOnDrop};
pub use completeness::{ItemCheck, RecommendationCheck, Verdict};
pub use config::{CheckConfig, ConfigError};
pub use identifying::{CaseForms, HitKind, IdentifyingHit};

/// A draft final report to check.
#[derive(Debug, Clone, Copy)]
pub enum ReportInput<'a> {
    /// A Word (`.docx`) file's bytes.
    Docx(&'a [u8]),
    /// A final report JSON submission, checked as the report its template makes (so the
    /// check reads the report as a reader would, and knows no field of the form).
    Json(&'a Value, &'a Assembler),
    /// A final report already assembled from its template.
    Document(&'a crate::assemble::model::Document),
}

/// Which kind of input was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// A Word document.
    Docx,
    /// A JSON submission.
    Json,
}

/// Why a draft could not be checked at all.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum CheckError {
    /// The Word file could not be read.
    #[error(transparent)]
    Word(#[from] OoxmlError),
    /// The JSON could not be read.
    #[error(transparent)]
    Json(#[from] InputError),
    /// The built-in word lists could not be read (a fault of the build, not of the draft).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The check used the time it is given, or the request waiting for it ended.
    #[error(
        "The check of this draft was stopped before its end: it took longer than a report of any real length should. Check that it is the right file; if it is, ask the partnership team to check it from the command line."
    )]
    Stopped,
    /// The submission could not be made into its report (it is not valid for its form).
    #[error(
        "The submission could not be read as a report: {0} Please check it with `safeguarding-forms validate` first."
    )]
    Assemble(String),
    /// The JSON is a submission of another form.
    #[error(
        "This is a \"{form}\" submission, not a final report. Please send the final report, as a Word draft or a \"final-report\" submission."
    )]
    NotAFinalReport {
        /// The form the submission names.
        form: String,
    },
}

/// Counts for a quick view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Mandatory items present.
    pub present: usize,
    /// Mandatory items present but weak.
    pub weak: usize,
    /// Mandatory items missing.
    pub missing: usize,
    /// Recommendations found.
    pub recommendations: usize,
    /// Recommendations that do not say who must act or by when.
    pub recommendations_lacking: usize,
    /// Details that could identify someone.
    pub identifying: usize,
}

/// The result of checking one draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportCheck {
    /// Word draft or JSON submission.
    pub input: InputKind,
    /// The case pseudonym the report uses ("Child L"), if one was found.
    pub case_pseudonym: Option<String>,
    /// How many of the case's forms were searched for identifying details.
    pub case_forms: usize,
    /// True when every item is present, every recommendation says who and by when, and
    /// nothing identifying was found.
    pub ready_to_publish: bool,
    /// Counts.
    pub summary: Summary,
    /// The mandatory items, in report order.
    pub items: Vec<ItemCheck>,
    /// Each recommendation.
    pub recommendations: Vec<RecommendationCheck>,
    /// Each identifying detail, in reading order.
    pub identifying: Vec<IdentifyingHit>,
    /// Organisations' own details (the partnership's or the Panel's address, phone, email on a
    /// cover, contact or copyright page): for information, never a reason not to publish.
    #[serde(default)]
    pub organisation_details: Vec<IdentifyingHit>,
    /// True when the draft held so many identifying details that the list stops early.
    #[serde(default)]
    pub identifying_truncated: bool,
}

/// Checks a draft final report for completeness and publication safety, with the built-in
/// (national) word lists.
pub fn check_report(input: ReportInput<'_>, case: &CaseForms) -> Result<ReportCheck, CheckError> {
    check_report_with(input, case, CheckConfig::embedded()?.as_ref())
}

/// Checks a draft final report with a partnership's word lists.
pub fn check_report_with(
    input: ReportInput<'_>,
    case: &CaseForms,
    config: &CheckConfig,
) -> Result<ReportCheck, CheckError> {
    check_report_within(input, case, config, &Budget::unlimited())
}

/// The largest document part a check reads: a 300-page report's is a few MB.
const MAX_DOCUMENT_BYTES: u64 = 16 * 1024 * 1024;

/// Checks a draft within a budget: it stops with [`CheckError::Stopped`] when its time is up
/// or its caller stops waiting.
pub fn check_report_within(
    input: ReportInput<'_>,
    case: &CaseForms,
    config: &CheckConfig,
    budget: &Budget,
) -> Result<ReportCheck, CheckError> {
    let (kind, outline, pseudonym) = match input {
        ReportInput::Docx(bytes) => {
            let limits = Limits {
                max_part_bytes: MAX_DOCUMENT_BYTES,
                ..Limits::default()
            };
            let outline = docx::read_outline(bytes, limits)?;
            let pseudonym = identifying::find_pseudonym(&outline);
            (InputKind::Docx, outline, pseudonym)
        }
        ReportInput::Json(doc, assembler) => {
            let document = assembler.final_report(doc).map_err(|error| match error {
                AssembleError::WrongForm { found, .. } => {
                    CheckError::NotAFinalReport { form: found }
                }
                AssembleError::Form(FormError::MissingFormId { .. }) => {
                    CheckError::NotAFinalReport {
                        form: "unknown".to_owned(),
                    }
                }
                other => CheckError::Assemble(other.to_string()),
            })?;
            let outline = document::outline(&document);
            let pseudonym = identifying::find_pseudonym(&outline);
            (InputKind::Json, outline, pseudonym)
        }
        ReportInput::Document(document) => {
            let outline = document::outline(document);
            let pseudonym = identifying::find_pseudonym(&outline);
            (InputKind::Json, outline, pseudonym)
        }
    };
    budget.check().map_err(|_| CheckError::Stopped)?;
    check_outline(kind, outline, pseudonym, case, config, budget)
}

/// Checks bytes that hold either a `.docx` or a JSON submission (told apart by their content).
pub fn check_bytes(
    bytes: &[u8],
    case: &CaseForms,
    assembler: &Assembler,
) -> Result<ReportCheck, CheckError> {
    check_bytes_with(bytes, case, CheckConfig::embedded()?.as_ref(), assembler)
}

/// [`check_bytes`] with a partnership's word lists.
pub fn check_bytes_with(
    bytes: &[u8],
    case: &CaseForms,
    config: &CheckConfig,
    assembler: &Assembler,
) -> Result<ReportCheck, CheckError> {
    check_bytes_within(bytes, case, config, &Budget::unlimited(), assembler)
}

/// [`check_bytes_with`] within a budget (see [`check_report_within`]).
pub fn check_bytes_within(
    bytes: &[u8],
    case: &CaseForms,
    config: &CheckConfig,
    budget: &Budget,
    assembler: &Assembler,
) -> Result<ReportCheck, CheckError> {
    let first = bytes
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace() && ![0xEF, 0xBB, 0xBF].contains(b));
    if first == Some(b'{') {
        let doc = input::parse(bytes)?;
        check_report_within(ReportInput::Json(&doc, assembler), case, config, budget)
    } else {
        check_report_within(ReportInput::Docx(bytes), case, config, budget)
    }
}

fn check_outline(
    input: InputKind,
    mut outline: outline::Outline,
    pseudonym: Option<String>,
    case: &CaseForms,
    config: &CheckConfig,
    budget: &Budget,
) -> Result<ReportCheck, CheckError> {
    let stopped = |_| CheckError::Stopped;
    contents::mark_contents(&mut outline, config);
    contents::promote_plain_headings(&mut outline, config);
    budget.check().map_err(stopped)?;
    let mut pseudonyms = identifying::child_pseudonyms(&outline);
    pseudonyms.extend(pseudonym.clone());
    let reading = completeness::Reading::new(&outline, config, &pseudonyms).within(budget.clone());
    budget.check().map_err(stopped)?;
    let (items, recommendations) = completeness::check(&reading);
    budget.check().map_err(stopped)?;
    let case_with_pseudonym = case.clone().with_pseudonym(pseudonym.clone());
    let scan = case_with_pseudonym
        .scan_within(&outline, config, budget)
        .map_err(stopped)?;
    let identifying = scan.hits;
    let count = |v: Verdict| items.iter().filter(|i| i.verdict == v).count();
    let summary = Summary {
        present: count(Verdict::Present),
        weak: count(Verdict::Weak),
        missing: count(Verdict::Missing),
        recommendations: recommendations.len(),
        recommendations_lacking: recommendations
            .iter()
            .filter(|r| r.message.is_some())
            .count(),
        identifying: identifying.len(),
    };
    Ok(ReportCheck {
        input,
        case_pseudonym: pseudonym,
        case_forms: case.len(),
        ready_to_publish: summary.weak == 0
            && summary.missing == 0
            && summary.recommendations_lacking == 0
            && summary.identifying == 0,
        summary,
        items,
        recommendations,
        identifying,
        organisation_details: scan.organisation,
        identifying_truncated: scan.truncated,
    })
}

impl fmt::Display for ReportCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Mandatory content:")?;
        for item in &self.items {
            let mark = match item.verdict {
                Verdict::Present => "present",
                Verdict::Weak => "WEAK",
                Verdict::Missing => "MISSING",
            };
            writeln!(f, "- [{mark}] {}: {}", item.title, item.message)?;
        }
        let lacking: Vec<&RecommendationCheck> = self
            .recommendations
            .iter()
            .filter(|r| r.message.is_some())
            .collect();
        if !lacking.is_empty() {
            writeln!(f, "\nRecommendations to complete:")?;
            for r in lacking {
                writeln!(
                    f,
                    "- {} (paragraph {}: \"{}\")",
                    r.message.as_deref().unwrap_or(""),
                    r.location.paragraph,
                    r.location.quote
                )?;
            }
        }
        if !self.identifying.is_empty() {
            writeln!(f, "\nCould identify someone (remove before publication):")?;
            for hit in &self.identifying {
                let heading = hit
                    .location
                    .heading
                    .as_deref()
                    .map(|h| format!("under \"{h}\", "))
                    .unwrap_or_default();
                writeln!(
                    f,
                    "- {} [{heading}paragraph {}]",
                    hit.message, hit.location.paragraph
                )?;
            }
        }
        if self.identifying_truncated {
            writeln!(
                f,
                "- The draft holds so many identifying details that only the first {} are listed.",
                identifying::MAX_HITS
            )?;
        }
        if !self.organisation_details.is_empty() {
            writeln!(
                f,
                "\nOrganisations' own details (for information; they do not stop publication):"
            )?;
            for hit in &self.organisation_details {
                writeln!(
                    f,
                    "- \"{}\" ({}) [paragraph {}]",
                    hit.text,
                    hit.kind.describe(),
                    hit.location.paragraph
                )?;
            }
        }
        let s = &self.summary;
        writeln!(
            f,
            "\n{} present, {} weak, {} missing; {} recommendation(s), {} lacking who or when; {} identifying detail(s).",
            s.present,
            s.weak,
            s.missing,
            s.recommendations,
            s.recommendations_lacking,
            s.identifying
        )?;
        if self.ready_to_publish {
            writeln!(f, "Ready to send to the Panel and to publish.")
        } else {
            writeln!(
                f,
                "Not ready to publish: please deal with the points above."
            )
        }
    }
}
