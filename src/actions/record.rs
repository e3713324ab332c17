//! The action record as Rust types, matching `schemas/records/action.schema.json` field for
//! field. A value reaches these types only after [`super::validate()`] has accepted it, so a
//! date here is always a real date.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What asked for an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A recommendation of a local review's final report.
    FinalReportRecommendation,
    /// Immediate learning from a rapid review.
    RapidReviewLearning,
    /// A national child safeguarding practice review.
    NationalReview,
    /// An audit.
    Audit,
    /// The independent scrutineer.
    IndependentScrutineer,
}

impl SourceKind {
    /// Every kind, in the schema's order.
    pub const ALL: [SourceKind; 5] = [
        SourceKind::FinalReportRecommendation,
        SourceKind::RapidReviewLearning,
        SourceKind::NationalReview,
        SourceKind::Audit,
        SourceKind::IndependentScrutineer,
    ];

    /// The code the schema uses, e.g. `national-review`.
    pub fn code(self) -> &'static str {
        match self {
            SourceKind::FinalReportRecommendation => "final-report-recommendation",
            SourceKind::RapidReviewLearning => "rapid-review-learning",
            SourceKind::NationalReview => "national-review",
            SourceKind::Audit => "audit",
            SourceKind::IndependentScrutineer => "independent-scrutineer",
        }
    }

    /// The kind in words, for tables.
    pub fn title(self) -> &'static str {
        match self {
            SourceKind::FinalReportRecommendation => "Local review recommendation",
            SourceKind::RapidReviewLearning => "Rapid review immediate learning",
            SourceKind::NationalReview => "National review",
            SourceKind::Audit => "Audit",
            SourceKind::IndependentScrutineer => "Independent scrutineer",
        }
    }
}

/// Where an action came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// What asked for it.
    pub kind: SourceKind,
    /// Where to find it, e.g. "KSCP-2026-014 final report, recommendation 2".
    pub reference: String,
    /// The case whose review asked for it (a recommendation or a rapid review's learning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_reference: Option<String>,
    /// The recommendation's number in the final report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<u32>,
}

/// The agency that owns an action.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// The agency's id in the service, e.g. `kent-police`.
    pub id: String,
    /// The agency's name.
    pub name: String,
}

/// How far an action has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Not started.
    NotStarted,
    /// In progress.
    InProgress,
    /// Completed by the agency, not yet signed off.
    Completed,
    /// Signed off by the partnership.
    Closed,
}

impl Status {
    /// Every status, in the order an action moves through them.
    pub const ALL: [Status; 4] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Completed,
        Status::Closed,
    ];

    /// Completed or closed: nothing more is due from the agency.
    pub fn is_done(self) -> bool {
        matches!(self, Status::Completed | Status::Closed)
    }

    /// The code the schema uses, e.g. `in-progress`.
    pub fn code(self) -> &'static str {
        match self {
            Status::NotStarted => "not-started",
            Status::InProgress => "in-progress",
            Status::Completed => "completed",
            Status::Closed => "closed",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::NotStarted => "Not started",
            Status::InProgress => "In progress",
            Status::Completed => "Completed",
            Status::Closed => "Closed",
        })
    }
}

/// The partnership's sign-off of a closed action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    /// Who signed it off for the partnership (name and role).
    pub by: String,
    /// When.
    pub date: NaiveDate,
}

/// One dated progress update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// The date of the update.
    pub date: NaiveDate,
    /// Who wrote it.
    pub author: String,
    /// What has been done.
    pub text: String,
}

/// One action of the partnership's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// The action's reference; derived actions have `CASE:R<n>:<agency>`.
    pub id: String,
    /// Where it came from.
    pub source: Source,
    /// What must be done.
    pub action: String,
    /// The agency that owns it.
    pub agency: Agency,
    /// The named lead in the agency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// The date it was agreed.
    pub raised_date: NaiveDate,
    /// The date it should be achieved by, once agreed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
    /// How far it has got.
    pub status: Status,
    /// The date the agency completed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_date: Option<NaiveDate>,
    /// The partnership's sign-off (closed actions only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure: Option<Closure>,
    /// Dated progress updates, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub progress: Vec<Progress>,
    /// Evidence of its impact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<String>,
}

impl Action {
    /// The date the action was done, for reporting: the completion date, else the closure
    /// sign-off (a closed action was done by then at the latest).
    pub fn done_date(&self) -> Option<NaiveDate> {
        self.completed_date
            .or_else(|| self.closure.as_ref().map(|c| c.date))
    }

    /// The action's status as it stood at the end of `date`, worked out from its dates: not
    /// yet raised (`None`), closed once signed off, completed once completed, in progress once
    /// a progress update was written, else not started. `today` is the day the record is read:
    /// on or after it the recorded status stands, because the dates only say when a step was
    /// taken, never that it was undone.
    pub fn status_on(&self, date: NaiveDate, today: NaiveDate) -> Option<Status> {
        if self.raised_date > date {
            return None;
        }
        if date >= today {
            return Some(self.status);
        }
        let by = |d: Option<NaiveDate>| d.is_some_and(|d| d <= date);
        let status = if by(self.closure.as_ref().map(|c| c.date)) {
            Status::Closed
        } else if by(self.done_date()) {
            Status::Completed
        } else if self.progress.iter().any(|p| p.date <= date) {
            Status::InProgress
        } else {
            Status::NotStarted
        };
        // A record never shows more progress in the past than it shows now.
        Some(status.min(self.status))
    }
}
