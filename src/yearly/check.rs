//! The completeness check of the yearly report: each section the schema lists is written,
//! weak or missing; each copy sent on time, late or not yet; and, from the action plan, the
//! actions on review recommendations that are overdue or not started, as candidate areas of
//! little or no progress for the partnership to address.

use chrono::{Days, NaiveDate};
use serde::Serialize;
use serde_json::Value;

use super::answers::Answers;
use super::schema::{Compiled, SectionSpec};
use crate::actions::{Action, SourceKind, Status};
use crate::calendar::WorkingCalendar;
use crate::dates::long;
use crate::timeliness::Period;
use crate::validate::text::{Weakness, weakness};
use crate::validate::{Finding, Severity, words};

/// Rule of a needed section not written.
pub const MISSING: &str = "yearly.section-missing";
/// Rule of a section that holds a placeholder or too little.
pub const WEAK: &str = "yearly.section-weak";
/// Rule of a yes-or-no answer that decides whether a section is needed, left unanswered.
pub const UNDECIDED: &str = "yearly.section-undecided";
/// Rule of a copy sent after its due date.
pub const SENT_LATE: &str = "yearly.sent-late";
/// Rule of a copy not recorded as sent after its due date.
pub const NOT_SENT: &str = "yearly.not-sent";
/// Rule of a period longer than 12 months, or not given.
pub const PERIOD: &str = "yearly.period";

/// What the check concluded about one section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Written, and substantive.
    Present,
    /// Written, but a placeholder, a pointer elsewhere or too short.
    Weak,
    /// Needed and not written.
    Missing,
    /// Not needed: the answer it depends on says so.
    NotNeeded,
    /// Whether it is needed depends on an answer not given.
    Undecided,
}

/// The check of one section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionCheck {
    /// The section's key in the answers.
    pub key: String,
    /// Its JSON pointer.
    pub pointer: String,
    /// Its title.
    pub title: String,
    /// Present, weak, missing, not needed or undecided.
    pub verdict: Verdict,
    /// What was found, or what to do, in plain English.
    pub message: String,
    /// The guidance it rests on.
    pub source: String,
}

/// Where a copy of the published report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SendStatus {
    /// Sent by the due date.
    OnTime,
    /// Sent after it.
    Late,
    /// Not recorded as sent, and not yet due.
    NotYetDue,
    /// Not recorded as sent, and past the due date.
    Overdue,
    /// The report has no publication date yet.
    NotPublished,
}

/// One copy of the published report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentCopy {
    /// The key in the answers' `sent`.
    pub key: String,
    /// Its JSON pointer.
    pub pointer: String,
    /// The body it goes to.
    pub to: String,
    /// The date sent.
    pub sent: Option<NaiveDate>,
    /// Calendar days from publication to sending.
    pub days_after_publication: Option<i64>,
    /// On time, late, not yet due, overdue.
    pub status: SendStatus,
}

/// Sending copies of the published report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sending {
    /// The date published.
    pub published: Option<NaiveDate>,
    /// Calendar days after publication by which each copy is due.
    pub due_days: u64,
    /// The due date: publication plus that many calendar days.
    pub due: Option<NaiveDate>,
    /// Each copy.
    pub copies: Vec<SentCopy>,
    /// The guidance.
    pub source: String,
}

/// An action on a review recommendation with little or no progress at the period's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressGap {
    /// The action's id.
    pub id: String,
    /// What must be done.
    pub action: String,
    /// Where it came from.
    pub source: String,
    /// The owning agency's name.
    pub agency: String,
    /// The named lead.
    pub lead: Option<String>,
    /// Its due date.
    pub due: Option<NaiveDate>,
    /// Its status at the period's end.
    pub status: Status,
    /// Working days overdue at the period's end, when overdue.
    pub working_days_overdue: Option<i64>,
    /// Why it is listed, in words.
    pub why: String,
}

/// The whole check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearlyCheck {
    /// True when every needed section is written and substantive (no error).
    pub complete: bool,
    /// Errors: sections missing or weak, answers that decide a section left out.
    pub errors: usize,
    /// Warnings: copies late or overdue, a period over 12 months.
    pub warnings: usize,
    /// Each section, in the schema's order.
    pub sections: Vec<SectionCheck>,
    /// Sending copies.
    pub sending: Sending,
    /// Candidate areas of little or no progress: actions on review recommendations overdue or
    /// not started at the period's end, earliest due first.
    pub little_progress: Vec<ProgressGap>,
    /// Every finding, errors first, each with its pointer, message and source.
    pub findings: Vec<Finding>,
}

/// The day a period's position is taken: its last day, or `today` if that is earlier.
pub(super) fn position_day(period: &Period, today: NaiveDate) -> NaiveDate {
    period.to.min(today)
}

/// Whether an action answers a review's recommendation: a local review's final report or a
/// national review.
pub(super) fn is_review_recommendation(action: &Action) -> bool {
    matches!(
        action.source.kind,
        SourceKind::FinalReportRecommendation | SourceKind::NationalReview
    )
}

/// Checks `answers` for `period` as the records stand on `today`.
pub(super) fn check(
    compiled: &Compiled,
    answers: &Answers,
    period: &Period,
    actions: &[Action],
    today: NaiveDate,
    calendar: &WorkingCalendar,
) -> YearlyCheck {
    let mut findings = Vec::new();
    let sections = compiled
        .sections
        .iter()
        .map(|spec| section(compiled, spec, answers, &mut findings))
        .collect();
    let sending = sending(compiled, answers, today, &mut findings);
    period_findings(compiled, answers, &mut findings);
    let little_progress = little_progress(actions, period, today, calendar);
    findings.sort_by_key(|f| f.severity);
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    YearlyCheck {
        complete: errors == 0,
        errors,
        warnings: findings.len() - errors,
        sections,
        sending,
        little_progress,
        findings,
    }
}

fn section(
    compiled: &Compiled,
    spec: &SectionSpec,
    answers: &Answers,
    findings: &mut Vec<Finding>,
) -> SectionCheck {
    let title = &spec.title;
    let text = answers.text(&spec.pointer).unwrap_or_default();
    let judged = weakness(text, spec.min_words);
    let needed = match spec.required_if.as_deref() {
        None => Some(true),
        Some(condition) => answers.value(condition).and_then(Value::as_bool),
    };
    let (verdict, message) = match (needed, judged) {
        (_, None) => (Verdict::Present, format!("\"{title}\" is written.")),
        (Some(false), Some(Weakness::Empty)) => (
            Verdict::NotNeeded,
            format!(
                "\"{title}\" is not needed: \"{}\" is answered no.",
                condition_label(compiled, spec)
            ),
        ),
        (None, Some(Weakness::Empty)) => {
            let condition = spec.required_if.as_deref().unwrap_or_default();
            let message = format!(
                "Whether the report needs \"{title}\" depends on \"{}\", which is not answered. Please answer it; if the answer is yes, write this section too.",
                compiled.label(condition)
            );
            findings.push(compiled.finding_with(
                Severity::Error,
                condition,
                UNDECIDED,
                spec.source.clone(),
                message.clone(),
            ));
            (Verdict::Undecided, message)
        }
        (_, Some(Weakness::Empty)) => {
            let message = format!(
                "\"{title}\" is not written yet. {} Please add it before the report is published.",
                spec.description
            );
            findings.push(compiled.finding_with(
                Severity::Error,
                &spec.pointer,
                MISSING,
                spec.source.clone(),
                message.clone(),
            ));
            (Verdict::Missing, message)
        }
        (_, Some(weak)) => {
            let message = weak_message(title, weak);
            findings.push(compiled.finding_with(
                Severity::Error,
                &spec.pointer,
                WEAK,
                spec.source.clone(),
                message.clone(),
            ));
            (Verdict::Weak, message)
        }
    };
    SectionCheck {
        key: spec.key.clone(),
        pointer: spec.pointer.clone(),
        title: title.clone(),
        verdict,
        message,
        source: spec.source.clone(),
    }
}

fn condition_label(compiled: &Compiled, spec: &SectionSpec) -> String {
    spec.required_if
        .as_deref()
        .map(|p| compiled.label(p))
        .unwrap_or_default()
}

fn weak_message(title: &str, weak: Weakness) -> String {
    match weak {
        Weakness::Placeholder(text) => format!(
            "\"{title}\" says only {}, which holds the place of the section rather than writing it. Please write the section; if there is nothing to report, say so in a sentence and why.",
            words::quote(&text)
        ),
        Weakness::PointsElsewhere => format!(
            "\"{title}\" points to another document instead of giving the section. The published report has to stand on its own: please write the section here (it can still refer to the other document for detail)."
        ),
        Weakness::Filler => format!(
            "\"{title}\" still holds filler text (lorem ipsum). Please replace it with the section."
        ),
        Weakness::TooShort { words, needed } => format!(
            "\"{title}\" has {words} word{}, too few to tell a reader what happened. Please write at least {needed} words: what was done, what difference it made and how you know.",
            if words == 1 { "" } else { "s" }
        ),
        Weakness::Empty => format!("\"{title}\" is not written yet."),
    }
}

fn sending(
    compiled: &Compiled,
    answers: &Answers,
    today: NaiveDate,
    findings: &mut Vec<Finding>,
) -> Sending {
    let due_days = compiled.due_days;
    let published = answers.published;
    let due = published.and_then(|p| p.checked_add_days(Days::new(due_days)));
    let source = compiled.sending_source.clone();
    let copies = compiled
        .recipients
        .iter()
        .zip(&answers.sent)
        .map(|(recipient, (_, sent))| {
            let days_after = published.zip(*sent).map(|(p, s)| (s - p).num_days());
            let status = match (due, sent) {
                (None, _) => SendStatus::NotPublished,
                (Some(due), Some(sent)) if *sent <= due => SendStatus::OnTime,
                (Some(_), Some(_)) => SendStatus::Late,
                (Some(due), None) if today <= due => SendStatus::NotYetDue,
                (Some(_), None) => SendStatus::Overdue,
            };
            let name = &recipient.name;
            let message = match (status, published, due, sent) {
                (SendStatus::Late, Some(p), Some(due), Some(s)) => Some((
                    SENT_LATE,
                    format!(
                        "The copy to the {name} was sent {} days after publication; the guidance asks for within {}. The report was published on {} and the copy sent on {}, so it was due by {}. Nothing can change that now, but the partnership may want to say why, and to send the next report's copies within {} calendar days.",
                        days_after.unwrap_or_default(),
                        seven(due_days),
                        long(p),
                        long(*s),
                        long(due),
                        due_days
                    ),
                )),
                (SendStatus::Overdue, Some(p), Some(due), None) => Some((
                    NOT_SENT,
                    format!(
                        "No copy is recorded as sent to the {name}. The report was published on {}, so a copy was due by {} ({} calendar days later). Please send it now and record the date.",
                        long(p),
                        long(due),
                        due_days
                    ),
                )),
                _ => None,
            };
            if let Some((rule, message)) = message {
                findings.push(compiled.finding_with(
                    Severity::Warning,
                    &recipient.pointer,
                    rule,
                    source.clone(),
                    message,
                ));
            }
            SentCopy {
                key: recipient.key.clone(),
                pointer: recipient.pointer.clone(),
                to: name.clone(),
                sent: *sent,
                days_after_publication: days_after,
                status,
            }
        })
        .collect();
    Sending {
        published,
        due_days,
        due,
        copies,
        source,
    }
}

/// "seven days", as the guidance writes it.
fn seven(days: u64) -> String {
    match days {
        7 => "seven days".to_owned(),
        1 => "one day".to_owned(),
        n => format!("{n} days"),
    }
}

fn period_findings(compiled: &Compiled, answers: &Answers, findings: &mut Vec<Finding>) {
    let Some(period) = answers.period else {
        findings.push(compiled.finding(
            Severity::Warning,
            "/period",
            PERIOD,
            "The answers give no period, so the figures are worked out for the 12 months to today (or the dates asked for). Please add the period the report covers.".to_owned(),
        ));
        return;
    };
    let twelve_months_on = period
        .from
        .checked_add_months(chrono::Months::new(12))
        .unwrap_or(period.from);
    if period.to >= twelve_months_on {
        findings.push(compiled.finding(
            Severity::Warning,
            "/period/to",
            PERIOD,
            format!(
                "The period runs from {} to {}, more than 12 months. The partners must publish a report at least once in every 12-month period: please check the dates.",
                long(period.from),
                long(period.to)
            ),
        ));
    }
}

/// The actions on review recommendations overdue or not started at the period's end (or
/// today, if sooner), earliest due first.
pub(super) fn little_progress(
    actions: &[Action],
    period: &Period,
    today: NaiveDate,
    calendar: &WorkingCalendar,
) -> Vec<ProgressGap> {
    let at = position_day(period, today);
    let mut gaps: Vec<ProgressGap> = actions
        .iter()
        .filter(|a| is_review_recommendation(a))
        .filter_map(|action| {
            let status = action.status_on(at, today)?;
            if status.is_done() {
                return None;
            }
            let overdue = action.due_date.filter(|due| *due < at);
            let not_started = status == Status::NotStarted;
            if overdue.is_none() && !not_started {
                return None;
            }
            let working_days_overdue = overdue.and_then(|due| {
                calendar
                    .working_days_between(due, at)
                    .ok()
                    .map(|n| n.max(1))
            });
            let why = match (overdue, not_started) {
                (Some(due), true) => format!("Not started, and overdue since {}", long(due)),
                (Some(due), false) => format!("Overdue since {}", long(due)),
                (None, _) => "Not started".to_owned(),
            };
            Some(ProgressGap {
                id: action.id.clone(),
                action: action.action.clone(),
                source: source_words(action),
                agency: action.agency.name.clone(),
                lead: action.lead.clone(),
                due: action.due_date,
                status,
                working_days_overdue,
                why,
            })
        })
        .collect();
    gaps.sort_by(|a, b| (a.due.is_none(), a.due, &a.id).cmp(&(b.due.is_none(), b.due, &b.id)));
    gaps
}

/// Where an action came from, in words: "Local review recommendation: KSCP-2026-014 final
/// report, recommendation 2".
pub(super) fn source_words(action: &Action) -> String {
    format!(
        "{}: {}",
        action.source.kind.title(),
        action.source.reference
    )
}
