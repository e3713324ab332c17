//! Where a case stands, worked out from the agencies asked and the submissions received.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::calendar::{Config, Timetable};
use crate::case_file::{Asked, CaseFile};
use crate::forms::{CaseRole, Registry};

use crate::store::{AgencyAsked, Case, Submission, SubmissionStatus};

/// The findings of the latest version of one form from one source.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LatestFindings {
    /// Form id.
    pub form: String,
    /// Agency, when the form belongs to one.
    pub agency: Option<String>,
    /// The version the findings are of.
    pub version: i64,
    /// Its findings.
    pub findings: Vec<Value>,
}

/// The stages a case goes through, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Opened, no agency asked yet.
    Opened,
    /// Agencies asked, some returns outstanding.
    AwaitingReturns,
    /// Every agency asked has returned.
    ReturnsReceived,
    /// The rapid review's record has arrived.
    RapidReviewRecorded,
    /// The final report has arrived.
    FinalReportReceived,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 5] = [
        Stage::Opened,
        Stage::AwaitingReturns,
        Stage::ReturnsReceived,
        Stage::RapidReviewRecorded,
        Stage::FinalReportReceived,
    ];

    /// The stage's name in addresses.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Opened => "opened",
            Stage::AwaitingReturns => "awaiting-returns",
            Stage::ReturnsReceived => "returns-received",
            Stage::RapidReviewRecorded => "rapid-review-recorded",
            Stage::FinalReportReceived => "final-report-received",
        }
    }

    /// The stage in words.
    pub fn words(self) -> &'static str {
        match self {
            Stage::Opened => "opened: no agencies asked yet",
            Stage::AwaitingReturns => "awaiting agency returns",
            Stage::ReturnsReceived => "all agency returns received",
            Stage::RapidReviewRecorded => "rapid review recorded",
            Stage::FinalReportReceived => "final report received",
        }
    }
}

/// A form from a source: (form id, agency).
type Source<'a> = (&'a str, Option<&'a str>);

/// The latest version of each (form, agency) pair on a case.
#[derive(Debug)]
pub struct Progress<'a> {
    asked: &'a [AgencyAsked],
    latest: BTreeMap<Source<'a>, (&'a Submission, Option<CaseRole>)>,
    valid_from: Vec<&'a str>,
}

impl<'a> Progress<'a> {
    /// Gathers a case's progress.
    pub fn of(
        registry: &Registry,
        asked: &'a [AgencyAsked],
        submissions: &'a [Submission],
    ) -> Self {
        let mut latest = BTreeMap::new();
        let mut valid_from = Vec::new();
        for s in submissions {
            let role = registry.get(&s.form).map(|form| form.case_role());
            let key = (s.form.as_str(), s.agency.as_deref());
            let newer = latest
                .get(&key)
                .is_none_or(|(held, _): &(&Submission, _)| held.version < s.version);
            if newer {
                latest.insert(key, (s, role));
            }
            if role.is_some_and(CaseRole::per_agency)
                && s.status == SubmissionStatus::Valid
                && let Some(agency) = s.agency.as_deref()
            {
                valid_from.push(agency);
            }
        }
        Progress {
            asked,
            latest,
            valid_from,
        }
    }

    /// Whether a valid summary or Form B has arrived from an agency.
    pub fn received(&self, agency: &str) -> bool {
        self.valid_from.contains(&agency)
    }

    /// The status of an agency's latest return.
    pub fn latest_status(&self, agency: &str) -> Option<SubmissionStatus> {
        self.latest
            .iter()
            .filter(|((_, from), (_, role))| {
                *from == Some(agency) && role.is_some_and(CaseRole::per_agency)
            })
            .max_by_key(|(_, (s, _))| s.id)
            .map(|(_, (s, _))| s.status)
    }

    /// Agencies asked whose valid return has not arrived.
    pub fn outstanding(&self) -> Vec<String> {
        self.asked
            .iter()
            .filter(|a| !self.received(&a.id))
            .map(|a| a.id.clone())
            .collect()
    }

    fn has_valid(&self, role: CaseRole) -> bool {
        self.latest
            .values()
            .any(|(s, r)| *r == Some(role) && s.status == SubmissionStatus::Valid)
    }

    /// One line saying where the case stands.
    pub fn status(&self) -> String {
        match self.stage() {
            Stage::AwaitingReturns => {
                let outstanding = self.outstanding().len();
                format!(
                    "awaiting agency returns ({} of {} received)",
                    self.asked.len() - outstanding,
                    self.asked.len()
                )
            }
            stage => stage.words().to_owned(),
        }
    }

    /// The stage the case has reached.
    pub fn stage(&self) -> Stage {
        if self.has_valid(CaseRole::FinalReport) {
            Stage::FinalReportReceived
        } else if self.has_valid(CaseRole::RapidReviewRecord) {
            Stage::RapidReviewRecorded
        } else if self.asked.is_empty() {
            Stage::Opened
        } else if self.outstanding().is_empty() {
            Stage::ReturnsReceived
        } else {
            Stage::AwaitingReturns
        }
    }

    /// The findings of each latest version that has any.
    pub fn findings(&self) -> Vec<LatestFindings> {
        self.latest
            .values()
            .filter_map(|(s, _)| {
                let findings = s.report.get("findings")?.as_array()?;
                (!findings.is_empty()).then(|| LatestFindings {
                    form: s.form.clone(),
                    agency: s.agency.clone(),
                    version: s.version,
                    findings: findings.to_vec(),
                })
            })
            .collect()
    }
}

/// The case file of a case: the latest valid version of each form, and the agencies asked.
pub fn case_file<'r>(
    registry: &'r Registry,
    asked: &[AgencyAsked],
    submissions: &[Submission],
) -> CaseFile<'r> {
    let mut file = CaseFile::new(registry);
    for s in submissions
        .iter()
        .filter(|s| s.status == SubmissionStatus::Valid)
    {
        // A form the service no longer knows cannot be filed; the rest of the case still can.
        if file
            .add(&s.form, s.body.clone(), s.agency.as_deref(), s.version)
            .is_err()
        {
            tracing::warn!(case = %s.case, form = %s.form, "a stored form is not known");
        }
    }
    file.set_asked(self::asked(asked));
    file
}

/// The agencies asked, as a case file holds them (the day each was asked, in England).
pub fn asked(asked: &[AgencyAsked]) -> Vec<Asked> {
    asked
        .iter()
        .map(|a| Asked {
            id: a.id.clone(),
            name: a.name.clone(),
            asked_on: crate::dates::england_day(&a.asked_at),
        })
        .collect()
}

/// The case's timetable today, from the dates its valid forms record (and, for a referral, the
/// day it was opened with). The agency summaries count as returned only when every agency
/// asked has sent a valid one. None when the calendar cannot cover the dates; the log says why.
pub fn timetable(
    case: &Case,
    asked: &[AgencyAsked],
    submissions: &[Submission],
    registry: &Registry,
    calendar: &Config,
) -> Option<Timetable> {
    let today = chrono::Utc::now().date_naive();
    match case_file(registry, asked, submissions).timetable(calendar, today, case.aware_date) {
        Ok(timetable) => Some(timetable),
        Err(error) => {
            tracing::warn!(case = %case.id, error = %error, "no timetable");
            None
        }
    }
}
