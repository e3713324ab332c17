//! `GET /reports/timeliness`: the partnership's timeliness and activity report for a period
//! across every case, beside the period before it, as JSON, CSV, Word or PDF. The facts of each
//! case come from its forms as its schemas describe them: dates and steps from the timetable
//! (`x-timetable`, with the `late-reason` fields saying why a step was late), death or serious
//! harm, categories and the rapid review's decision from `x-report`.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

use super::AppState;
use super::auth::{Action as Do, Principal};
use super::problem::Problem;
use crate::calendar::{Config, Event};
use crate::forms::Registry;
use crate::render::{Format, docx::render_docx, pdf::render_pdf};
use crate::store::{CaseOverview, Scope, Store};
use crate::timeliness::{self, CaseRecord, Period, RapidReview, TimelinessReport};

/// The facts of each case the report counts, from its latest valid forms on `today`.
pub fn case_records(
    registry: &Registry,
    cases: &[CaseOverview],
    calendar: &Config,
    today: NaiveDate,
) -> Vec<CaseRecord> {
    cases
        .iter()
        .map(|overview| {
            let case = &overview.summary.case;
            let file = super::progress::case_file(registry, &overview.asked, &overview.submissions);
            let (mut events, _) = file.events();
            if let Some(aware) = case.aware_date {
                events.entry(Event::Aware).or_insert(aware);
            }
            let mut record = match calendar.timetable(&events, today) {
                Ok(mut timetable) => {
                    calendar.explain_late(&mut timetable, &file.late_reasons());
                    CaseRecord::from_timetable(&case.id, &events, &timetable)
                }
                Err(error) => {
                    tracing::warn!(case = %case.id, error = %error, "no timetable for the timeliness report");
                    CaseRecord {
                        reference: case.id.clone(),
                        ..CaseRecord::default()
                    }
                }
            };
            let mut decision = None;
            for entry in file.entries() {
                let fields = &entry.form.annotations().report;
                record.origin = record.origin.or_else(|| fields.origin(&entry.body));
                for category in fields.categories(&entry.body) {
                    if !record.categories.contains(&category) {
                        record.categories.push(category);
                    }
                }
                decision = decision.or_else(|| fields.decision(&entry.body));
            }
            // The decision is dated by the Rapid Review Group's meeting that made it.
            record.rapid_review = decision
                .zip(events.get(&Event::RapidReviewMeeting).copied())
                .map(|(decision, date)| RapidReview { decision, date });
            record
        })
        .collect()
}

/// The report on every case and action in the store for `period`, as the records stand on
/// `today`.
pub async fn report(
    store: &dyn Store,
    registry: &Registry,
    calendar: &Config,
    period: Period,
    today: NaiveDate,
) -> Result<TimelinessReport, Problem> {
    let cases = store.case_overviews(Scope::All).await?;
    let records = case_records(registry, &cases, calendar, today);
    let actions: Vec<_> = store
        .actions(None)
        .await?
        .into_iter()
        .map(|stored| stored.action)
        .collect();
    let mut report = timeliness::timeliness_report(&records, &actions, period, today, calendar)
        .map_err(|error| Problem::unprocessable(error.to_string()))?;
    report.name_codes(&registry.report_titles());
    Ok(report)
}

/// A date given as `name`, strictly `YYYY-MM-DD`, or a message saying what is wrong.
pub fn date_param(name: &str, text: &str) -> Result<NaiveDate, String> {
    let shown: String = text.chars().take(40).collect();
    if let Some(date) = crate::dates::parse_iso(text.trim()) {
        return Ok(date);
    }
    let shaped = text.trim().len() == 10
        && text.trim().bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    Err(if shaped {
        format!(
            "\"{name}\" is {shown}, which is not a real date: please check the day and the month (for example, there is no 30 February and no day 0)."
        )
    } else {
        format!("\"{name}\" is \"{shown}\": please write it as YYYY-MM-DD, for example 2025-12-01.")
    })
}

/// The period from optional `from` and `to` dates: by default the 12 months ending `today`;
/// with only `to`, the 12 months ending then; with only `from`, from then to `today`.
pub fn period(from: Option<&str>, to: Option<&str>, today: NaiveDate) -> Result<Period, String> {
    let to = to.map(|t| date_param("to", t)).transpose()?;
    let from = from.map(|f| date_param("from", f)).transpose()?;
    let end = to.unwrap_or(today);
    let start = match from {
        Some(from) => from,
        None => Period::last_12_months(end).map_err(|e| e.to_string())?.from,
    };
    Period::new(start, end).map_err(|e| e.to_string())
}

/// Which CSV table: the figures, the late steps or the overdue actions.
pub fn csv_table(report: &TimelinessReport, table: &str) -> Result<String, String> {
    match table {
        "figures" => Ok(timeliness::csv::figures(report)),
        "late-steps" => Ok(timeliness::csv::late_steps(report)),
        "overdue-actions" => Ok(timeliness::csv::overdue_actions(report)),
        other => {
            let shown: String = other.chars().take(40).collect();
            Err(format!(
                "\"{shown}\" is not a table of the report: use figures, late-steps or overdue-actions."
            ))
        }
    }
}

/// The timeliness and activity report for a period (default: the last 12 months), beside the
/// period before it.
#[utoipa::path(get, path = "/reports/timeliness", tag = "reports",
    params(("from" = Option<String>, Query, description = "First day, YYYY-MM-DD (default: 12 months before `to`)"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD (default: today)"),
        ("format" = Option<String>, Query, description = "json (default), csv, docx (Word) or pdf (tagged PDF/UA): the documents hold the figures as tables with bar charts, the late steps and the overdue actions"),
        ("table" = Option<String>, Query, description = "For CSV: figures (default), late-steps or overdue-actions")),
    responses((status = 200, description = "The report, as JSON, CSV, Word or PDF",
            content((Object = "application/json"), (String = "text/csv"),
                (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                (String = "application/pdf"))),
        (status = 403, description = "The partnership's only", body = Problem),
        (status = 422, description = "A date that is not a date, or a period ending before it starts", body = Problem)),
    security(("bearer" = [])))]
pub async fn timeliness(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Problem> {
    principal.require(Do::ReadTimeliness)?;
    if let Some(unknown) = query
        .keys()
        .find(|k| !["from", "to", "format", "table"].contains(&k.as_str()))
    {
        let shown: String = unknown.chars().take(40).collect();
        return Err(Problem::bad_request(format!(
            "\"{shown}\" is not something this report takes: use from, to, format and table."
        )));
    }
    let today = super::actions::today();
    let period = period(
        query.get("from").map(String::as_str),
        query.get("to").map(String::as_str),
        today,
    )
    .map_err(Problem::unprocessable)?;
    let format = query.get("format").map_or("json", String::as_str);
    if !["json", "csv", "docx", "pdf"].contains(&format) {
        return Err(Problem::bad_request(
            "The report comes as JSON, CSV, Word or PDF: use ?format=json, csv, docx or pdf.",
        ));
    }
    let table = query.get("table").map_or("figures", String::as_str);
    if format != "csv" && query.contains_key("table") {
        return Err(Problem::bad_request(
            "table chooses one of the CSV tables: use it with ?format=csv.",
        ));
    }
    let report = report(
        state.store.as_ref(),
        &state.registry,
        &state.calendar,
        period,
        today,
    )
    .await?;
    if format == "json" {
        return Ok(Json(report).into_response());
    }
    if let Ok(document_format) = format.parse::<Format>() {
        return document(&state, report, today, document_format).await;
    }
    let text = csv_table(&report, table).map_err(Problem::bad_request)?;
    let name = format!(
        "timeliness-{}-to-{}-{table}.csv",
        report.period.from, report.period.to
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        text,
    )
        .into_response())
}

/// The report as a Word or PDF document, laid out on the blocking pool like every document.
async fn document(
    state: &AppState,
    report: TimelinessReport,
    today: NaiveDate,
    format: Format,
) -> Result<Response, Problem> {
    let stem = format!("timeliness-{}-to-{}", report.period.from, report.period.to);
    let bytes = state
        .heavy(move || {
            let document = timeliness::document::timeliness_document(&report, today);
            match format {
                Format::Docx => render_docx(&document).map_err(|e| e.to_string()),
                Format::Pdf => render_pdf(&document).map_err(|e| e.to_string()),
            }
        })
        .await?
        .map_err(|detail| {
            // Renderer messages describe the document's structure, not its content.
            tracing::error!(error = %detail, "rendering the timeliness report failed");
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
        })?;
    Ok(super::documents::attachment(bytes, format, &stem))
}
