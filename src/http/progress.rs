//! Where a case stands, worked out from the agencies asked and the submissions received.

use std::collections::BTreeMap;

use crate::calendar::{Config, Event, Timetable};
use crate::forms::{self, Form, Registry};

use super::cases::LatestFindings;
use crate::store::{AgencyAsked, Case, Submission, SubmissionStatus};

/// The latest version of each (form, agency) pair on a case.
#[derive(Debug)]
pub struct Progress<'a> {
    asked: &'a [AgencyAsked],
    latest: BTreeMap<(&'a str, Option<&'a str>), &'a Submission>,
    valid_from: Vec<&'a str>,
}

impl<'a> Progress<'a> {
    /// Gathers a case's progress.
    pub fn of(_case: &'a Case, asked: &'a [AgencyAsked], submissions: &'a [Submission]) -> Self {
        let mut latest = BTreeMap::new();
        let mut valid_from = Vec::new();
        for s in submissions {
            let key = (s.form.as_str(), s.agency.as_deref());
            let newer = latest
                .get(&key)
                .is_none_or(|held: &&Submission| held.version < s.version);
            if newer {
                latest.insert(key, s);
            }
            let agency_return = matches!(s.form.as_str(), "agency-summary" | "cdop-form-b");
            if agency_return
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
            .filter(|((form, from), _)| {
                *from == Some(agency) && matches!(*form, "agency-summary" | "cdop-form-b")
            })
            .max_by_key(|(_, s)| s.id)
            .map(|(_, s)| s.status)
    }

    /// Agencies asked whose valid return has not arrived.
    pub fn outstanding(&self) -> Vec<String> {
        self.asked
            .iter()
            .filter(|a| !self.received(&a.id))
            .map(|a| a.id.clone())
            .collect()
    }

    fn has_valid(&self, form: &str) -> bool {
        self.latest
            .iter()
            .any(|((f, _), s)| *f == form && s.status == SubmissionStatus::Valid)
    }

    /// One line saying where the case stands.
    pub fn status(&self) -> String {
        if self.has_valid("final-report") {
            return "final report received".to_owned();
        }
        if self.has_valid("rapid-review") {
            return "rapid review recorded".to_owned();
        }
        if self.asked.is_empty() {
            return "opened: no agencies asked yet".to_owned();
        }
        let outstanding = self.outstanding().len();
        if outstanding == 0 {
            "all agency returns received".to_owned()
        } else {
            format!(
                "awaiting agency returns ({} of {} received)",
                self.asked.len() - outstanding,
                self.asked.len()
            )
        }
    }

    /// The findings of each latest version that has any.
    pub fn findings(&self) -> Vec<LatestFindings> {
        self.latest
            .values()
            .filter_map(|s| {
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

/// The latest valid version of each form (and agency) on a case.
pub fn latest_valid(submissions: &[Submission]) -> Vec<&Submission> {
    let mut latest: Vec<&Submission> = Vec::new();
    for s in submissions
        .iter()
        .filter(|s| s.status == SubmissionStatus::Valid)
    {
        match latest
            .iter_mut()
            .find(|held| held.form == s.form && held.agency == s.agency)
        {
            Some(held) if held.version < s.version => *held = s,
            Some(_) => {}
            None => latest.push(s),
        }
    }
    latest
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
    let latest = latest_valid(submissions);
    let pairs: Vec<(&Form, &serde_json::Value)> = latest
        .iter()
        .filter_map(|s| Some((registry.get(&s.form)?, &s.body)))
        .collect();
    let (mut events, notes) = forms::case_events(pairs);
    let returned = |agency: &str| {
        latest
            .iter()
            .any(|s| s.form == "agency-summary" && s.agency.as_deref() == Some(agency))
    };
    if asked.iter().any(|a| !returned(&a.id)) {
        events.remove(&Event::AgencySummariesReturned);
    }
    if let Some(aware) = case.aware_date {
        events.entry(Event::Aware).or_insert(aware);
    }
    let today = chrono::Utc::now().date_naive();
    match calendar.timetable(&events, today) {
        Ok(mut timetable) => {
            timetable.notes.extend(notes);
            Some(timetable)
        }
        Err(error) => {
            tracing::warn!(case = %case.id, error = %error, "no timetable");
            None
        }
    }
}
