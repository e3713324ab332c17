//! The safeguarding partners' yearly report: the written sections Working Together to
//! Safeguard Children 2018, chapter 3, paragraphs 41 to 46 ask for, checked for completeness,
//! and put together with the figures the service already holds into one document.
//!
//! - [`read`]: the partnership's answers (`schemas/records/yearly-report.schema.json`), with
//!   answers that cannot be right refused (a date that does not exist, a copy sent before
//!   publication).
//! - [`check()`]: each section written, weak or missing; the copies to the Panel and the What
//!   Works Centre due seven calendar days after publication; the actions on review
//!   recommendations overdue or not started, as candidate areas of little or no progress.
//! - [`yearly_report`]: all of it with the timeliness and activity report of the period and
//!   the record of actions on review recommendations; [`document`] lays it out for Word and PDF.
//!
//! The sections are the schema's: their titles, what the guidance asks of them, their sources,
//! the words they need, the figures printed after them and the answer that decides whether
//! they are needed are annotations there (`x-source`, `x-min-words`, `x-figures`,
//! `x-required-if`). Nothing here names a section.

mod answers;
mod check;
pub mod document;
mod schema;

use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;

use crate::actions::{Action, Progress, Rag, SourceKind, Status, rag};
use crate::assemble::Marking;
use crate::calendar::Config;
use crate::dates::long;
use crate::timeliness::{Period, PeriodError, TimelinessReport};
use crate::validate::{Finding, Severity};

pub use answers::{Answers, read};
pub use check::{
    MISSING, NOT_SENT, PERIOD, ProgressGap, SENT_LATE, SectionCheck, SendStatus, Sending, SentCopy,
    UNDECIDED, Verdict, WEAK, YearlyCheck,
};
pub use schema::{RecipientSpec, SectionSpec};

/// Why the answers cannot be used.
#[derive(Debug, Clone, Error)]
pub enum YearlyError {
    /// The built-in schema did not load: a defect of the build, never of the answers.
    #[error("The yearly report schema could not be loaded: {0}")]
    Schema(String),
    /// The answers break the schema or hold dates that cannot be right; each finding says how.
    #[error("{}", refusal(.0))]
    Invalid(Vec<Finding>),
    /// The period asked for is not the one the answers give.
    #[error(
        "The answers are for {}, but the report was asked for {}. Please leave out the dates, or change the period in the answers.",
        .answers.words(),
        .asked.words()
    )]
    PeriodConflict {
        /// The answers' period.
        answers: Period,
        /// The period asked for.
        asked: Period,
    },
    /// No period could be worked out.
    #[error(transparent)]
    Period(#[from] PeriodError),
    /// A copy for publication was asked of a report with sections still missing (or whose
    /// need is not yet decided): their titles, in the schema's order.
    #[error(
        "The copy for publication needs every section written: {}. Check lists what each needs.",
        .0.join("; ")
    )]
    Unfinished(Vec<String>),
}

fn refusal(findings: &[Finding]) -> String {
    let errors: Vec<&str> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.message.as_str())
        .collect();
    format!(
        "The yearly report's answers cannot be used as they are: {} Please correct {} and send them again.",
        errors.join(" "),
        if errors.len() == 1 { "it" } else { "them" }
    )
}

/// Every section the schema lists, in its order.
pub fn sections() -> Result<&'static [SectionSpec], YearlyError> {
    Ok(&schema::compiled()?.sections)
}

/// The bodies a copy of the published report goes to, in the schema's order.
pub fn recipients() -> Result<&'static [RecipientSpec], YearlyError> {
    Ok(&schema::compiled()?.recipients)
}

/// The yearly report schema (draft 2020-12).
pub fn schema() -> Result<&'static serde_json::Value, YearlyError> {
    Ok(&schema::compiled()?.record.schema)
}

/// The period to report on: the answers' own, or `asked` when they give none, else the 12
/// months to `today`. A period asked for that is not the answers' own is refused.
pub fn period(
    answers: &Answers,
    asked: Option<Period>,
    today: NaiveDate,
) -> Result<Period, YearlyError> {
    match (answers.period, asked) {
        (Some(answers), Some(asked)) if answers != asked => {
            Err(YearlyError::PeriodConflict { answers, asked })
        }
        (Some(period), _) | (None, Some(period)) => Ok(period),
        (None, None) => Ok(Period::last_12_months(today)?),
    }
}

/// Checks `answers` for `period` as the records stand on `today`, with `actions` (the
/// partnership's whole plan; only those on review recommendations are read) and working days
/// counted on `calendar`.
pub fn check(
    answers: &Answers,
    period: &Period,
    actions: &[Action],
    today: NaiveDate,
    calendar: &Config,
) -> Result<YearlyCheck, YearlyError> {
    let compiled = schema::compiled()?;
    Ok(check::check(
        compiled,
        answers,
        period,
        actions,
        today,
        calendar.calendar(),
    ))
}

/// One written section as the report prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WrittenSection {
    /// The section's key in the answers.
    pub key: String,
    /// Its title.
    pub title: String,
    /// The guidance it rests on.
    pub source: String,
    /// What the check found.
    pub verdict: Verdict,
    /// The text as written, if any.
    pub text: Option<String>,
    /// The service's figures printed after it (`x-figures`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figures: Option<String>,
}

/// One action on a review recommendation, as the record of decisions and actions prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionLine {
    /// The action's id.
    pub id: String,
    /// What must be done.
    pub action: String,
    /// Where it came from, in words.
    pub source: String,
    /// What kind of source it came from: a local review's reference names its case, so the
    /// copy for publication gives the kind alone.
    pub source_kind: SourceKind,
    /// The owning agency's name.
    pub agency: String,
    /// The named lead.
    pub lead: Option<String>,
    /// Its due date.
    pub due: Option<NaiveDate>,
    /// Its status at the period's end.
    pub status: Status,
    /// Red, amber, green or done at the period's end.
    pub rag: Rag,
    /// The latest progress update written by the period's end.
    pub latest_progress: Option<Progress>,
    /// Evidence of its impact.
    pub impact: Option<String>,
}

/// The yearly report: the answers, their check, the record of actions on review
/// recommendations and the timeliness and activity report of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearlyReport {
    /// The partnership's name.
    pub partnership: String,
    /// The period reported on.
    pub period: Period,
    /// The day the report was made: figures stand as the records showed them that day.
    pub today: NaiveDate,
    /// The date published, or planned.
    pub published: Option<NaiveDate>,
    /// The written sections, in the schema's order.
    pub sections: Vec<WrittenSection>,
    /// The completeness check.
    pub check: YearlyCheck,
    /// Actions on the recommendations of local and national reviews open during the period,
    /// by source and id.
    pub review_actions: Vec<ActionLine>,
    /// The timeliness and activity report for the period.
    pub timeliness: TimelinessReport,
}

impl YearlyReport {
    /// The titles of the sections a copy for publication cannot go without, in the schema's
    /// order: those the guidance asks for that are not written, and the one whose need waits
    /// on an answer not yet given. A weak section is written, if thinly, and is not listed.
    pub fn unwritten(&self) -> Vec<&str> {
        self.sections
            .iter()
            .filter(|s| matches!(s.verdict, Verdict::Missing | Verdict::Undecided))
            .map(|s| s.title.as_str())
            .collect()
    }

    /// Whether a copy with `marking` can be made: the partnership's own OFFICIAL-SENSITIVE
    /// copy always can, a draft included; the OFFICIAL copy for publication only when no
    /// section is [`unwritten`](Self::unwritten), else [`YearlyError::Unfinished`] names them.
    pub fn ready_for(&self, marking: Marking) -> Result<(), YearlyError> {
        match marking {
            Marking::OfficialSensitive => Ok(()),
            Marking::Official => {
                let unwritten = self.unwritten();
                if unwritten.is_empty() {
                    Ok(())
                } else {
                    Err(YearlyError::Unfinished(
                        unwritten.into_iter().map(str::to_owned).collect(),
                    ))
                }
            }
        }
    }
}

/// The yearly report of `answers` over `timeliness`'s period, as the records stood on its
/// day; `actions` is the partnership's whole plan, `due_soon` the working days before its due
/// date from which an open action shows amber.
pub fn yearly_report(
    answers: &Answers,
    timeliness: TimelinessReport,
    actions: &[Action],
    calendar: &Config,
    due_soon: u32,
) -> Result<YearlyReport, YearlyError> {
    let compiled = schema::compiled()?;
    let period = timeliness.period;
    let today = timeliness.today;
    let check = check::check(
        compiled,
        answers,
        &period,
        actions,
        today,
        calendar.calendar(),
    );
    let sections = compiled
        .sections
        .iter()
        .zip(&check.sections)
        .map(|(spec, checked)| WrittenSection {
            key: spec.key.clone(),
            title: spec.title.clone(),
            source: spec.source.clone(),
            verdict: checked.verdict,
            text: answers
                .text(&spec.pointer)
                .filter(|t| !t.trim().is_empty())
                .map(str::to_owned),
            figures: spec.figures.clone(),
        })
        .collect();
    Ok(YearlyReport {
        partnership: answers.partnership.clone(),
        period,
        today,
        published: answers.published,
        sections,
        check,
        review_actions: review_actions(actions, &period, today, calendar, due_soon),
        timeliness,
    })
}

/// The actions on review recommendations that were open at some time in the period: raised by
/// its end and not done before it began.
fn review_actions(
    actions: &[Action],
    period: &Period,
    today: NaiveDate,
    calendar: &Config,
    due_soon: u32,
) -> Vec<ActionLine> {
    let at = check::position_day(period, today);
    let mut lines: Vec<ActionLine> = actions
        .iter()
        .filter(|a| check::is_review_recommendation(a))
        .filter(|a| a.done_date().is_none_or(|done| done >= period.from))
        .filter_map(|action| {
            let status = action.status_on(at, today)?;
            let as_then = Action {
                status,
                ..action.clone()
            };
            let rag =
                rag(&as_then, at, due_soon, calendar.calendar()).map_or(Rag::Amber, |r| r.rag);
            Some(ActionLine {
                id: action.id.clone(),
                action: action.action.clone(),
                source: check::source_words(action),
                source_kind: action.source.kind,
                agency: action.agency.name.clone(),
                lead: action.lead.clone(),
                due: action.due_date,
                status,
                rag,
                latest_progress: action
                    .progress
                    .iter()
                    .filter(|p| p.date <= at)
                    .max_by_key(|p| p.date)
                    .cloned(),
                impact: action.impact.clone(),
            })
        })
        .collect();
    lines.sort_by(|a, b| (&a.source, &a.id).cmp(&(&b.source, &b.id)));
    lines
}

impl YearlyCheck {
    /// The check as text for a terminal: each finding with where it is and its source.
    pub fn text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        for finding in &self.findings {
            let _ = writeln!(
                out,
                "- {}: {}\n  Where: \"{}\" ({})\n  Guidance: {}",
                finding.severity, finding.message, finding.field, finding.pointer, finding.source
            );
        }
        if let Some(due) = self.sending.due {
            let _ = writeln!(
                out,
                "Copies of the published report are due within {} calendar days of publication: by {}.",
                self.sending.due_days,
                long(due)
            );
        }
        if !self.little_progress.is_empty() {
            let _ = writeln!(
                out,
                "Actions on review recommendations with little or no progress (candidates for the analysis of areas with little or no progress):"
            );
            for gap in &self.little_progress {
                let _ = writeln!(
                    out,
                    "- {}: {} ({}, {})",
                    gap.id, gap.action, gap.agency, gap.why
                );
            }
        }
        let _ = writeln!(
            out,
            "{} error(s), {} warning(s): {}.",
            self.errors,
            self.warnings,
            if self.complete {
                "every section the guidance asks for is written"
            } else {
                "the report is not complete yet"
            }
        );
        out
    }
}

#[cfg(test)]
mod tests;
