//! `safeguarding-forms actions list|update` and `report timeliness`: the action plan and the
//! timeliness report from the command line, through the same functions as the HTTP API. A
//! change made here is the partnership's, audited with the principal `cli`.

use std::path::Path;
use std::process::ExitCode;

use safeguarding_forms::actions::{Actor, Rag};
use safeguarding_forms::calendar::Config;
use safeguarding_forms::forms::Registry;
use safeguarding_forms::http::actions::{self as api, ActionView};
use safeguarding_forms::http::problem::Problem;
use safeguarding_forms::http::timeliness;
use safeguarding_forms::render::{Format, docx::render_docx, pdf::render_pdf};
use safeguarding_forms::store::{AuditEvent, Role};
use safeguarding_forms::timeliness::csv::{field, text_field};
use safeguarding_forms::timeliness::document::timeliness_document;

use super::token::with_store;
use super::{CliError, Database};

/// Who the audit log names for changes to actions made from the command line (as for tokens
/// and invitations).
const CLI: &str = super::token::COMMAND_LINE;

/// How to print a list or a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    /// A table to read.
    Text,
    /// JSON, as the HTTP API gives it.
    Json,
    /// CSV (RFC 4180), for spreadsheets.
    Csv,
}

/// How to print the timeliness report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// JSON, as the HTTP API gives it.
    Json,
    /// One CSV table (RFC 4180), for spreadsheets.
    Csv,
    /// A Word document, with tables and bar charts (needs --output).
    Docx,
    /// A tagged PDF (PDF/UA), with tables and bar charts (needs --output).
    Pdf,
}

fn refused(problem: Problem) -> CliError {
    CliError::Usage(problem.detail)
}

/// Prints the actions, or one agency's, each with its RAG status today.
pub fn list(
    db: &Database,
    agency: Option<&str>,
    format: Output,
    due_soon: u32,
) -> Result<ExitCode, CliError> {
    let calendar = Config::embedded()?;
    with_store(db, async |store| {
        let today = api::today();
        let views: Vec<ActionView> = store
            .actions(agency)
            .await?
            .into_iter()
            .map(|stored| ActionView::of(stored, today, due_soon, &calendar))
            .collect();
        match format {
            Output::Json => println!("{}", serde_json::to_string_pretty(&views)?),
            Output::Csv => print!("{}", csv(&views)),
            Output::Text => print!("{}", table(&views)),
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn rag_words(view: &ActionView) -> &'static str {
    view.rag.map_or("unknown", |r| match r.rag {
        Rag::Red => "red",
        Rag::Amber => "amber",
        Rag::Green => "green",
        Rag::Done => "done",
    })
}

fn csv(views: &[ActionView]) -> String {
    let mut out = String::from(
        "id,source,case,recommendation,agency_id,agency,lead,action,raised,due,status,rag,working_days_left,version\r\n",
    );
    for view in views {
        let a = &view.action;
        let fields = [
            field(&a.id),
            field(a.source.kind.code()),
            field(a.source.case_reference.as_deref().unwrap_or_default()),
            a.source
                .recommendation
                .map(|n| n.to_string())
                .unwrap_or_default(),
            field(&a.agency.id),
            text_field(&a.agency.name),
            text_field(a.lead.as_deref().unwrap_or_default()),
            text_field(&a.action),
            a.raised_date.to_string(),
            a.due_date.map(|d| d.to_string()).unwrap_or_default(),
            a.status.code().to_owned(),
            rag_words(view).to_owned(),
            view.rag
                .and_then(|r| r.working_days_left)
                .map(|n| n.to_string())
                .unwrap_or_default(),
            view.version.to_string(),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

fn table(views: &[ActionView]) -> String {
    let mut out = format!(
        "{:<40} {:<28} {:<11} {:<12} {:<6} version\n",
        "id", "agency", "due", "status", "rag"
    );
    for view in views {
        let a = &view.action;
        out.push_str(&format!(
            "{:<40} {:<28} {:<11} {:<12} {:<6} {}\n",
            a.id,
            a.agency.id,
            a.due_date.map_or("-".to_owned(), |d| d.to_string()),
            a.status.code(),
            rag_words(view),
            view.version
        ));
    }
    out.push_str(&format!("{} action(s).\n", views.len()));
    out
}

/// Replaces an action with the one in `file` (the action, or `{"action", "version"}` as
/// `actions list --format json` gives each), as the partnership, if it is still at the version
/// the change was made from (in the file, or `--version`).
pub fn update(db: &Database, file: &Path, version: Option<i64>) -> Result<ExitCode, CliError> {
    let text = std::fs::read_to_string(file)?;
    let body: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| CliError::Usage(format!("{} is not JSON: {e}", file.display())))?;
    let id = body
        .get("action")
        .filter(|a| a.is_object())
        .unwrap_or(&body)
        .get("id")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| CliError::Usage(format!("{} holds no action id (\"id\").", file.display())))?
        .to_owned();
    let audit = AuditEvent {
        principal: CLI.to_owned(),
        role: Role::Partnership,
        agency: None,
        action: "actions update".to_owned(),
        case: String::new(),
        outcome: "ok".to_owned(),
        detail: String::new(),
    };
    with_store(db, async |store| {
        let stored = api::change(
            store.as_ref(),
            Actor::Partnership,
            CLI,
            &audit,
            &id,
            body,
            version,
        )
        .await
        .map_err(refused)?;
        eprintln!(
            "Updated action {} to version {} (status {}).",
            stored.action.id,
            stored.version,
            stored.action.status.code()
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// What `report timeliness` was given.
pub struct ReportOptions<'a> {
    /// The first day, YYYY-MM-DD.
    pub from: Option<&'a str>,
    /// The last day, YYYY-MM-DD.
    pub to: Option<&'a str>,
    /// JSON or CSV.
    pub format: ReportFormat,
    /// The CSV table: figures, late-steps or overdue-actions.
    pub table: &'a str,
    /// Where to write a Word or PDF document.
    pub output: Option<&'a Path>,
}

/// Prints the timeliness and activity report for a period across every case in the store.
pub fn report(
    db: &Database,
    registry: &Registry,
    options: &ReportOptions<'_>,
) -> Result<ExitCode, CliError> {
    let today = api::today();
    let period = timeliness::period(options.from, options.to, today).map_err(CliError::Usage)?;
    let document_format = match options.format {
        ReportFormat::Docx => Some(Format::Docx),
        ReportFormat::Pdf => Some(Format::Pdf),
        ReportFormat::Json | ReportFormat::Csv => None,
    };
    // A document is checked for somewhere to go before the store is read: bytes of Word or PDF
    // printed to a terminal help nobody.
    let output = match (document_format, options.output) {
        (Some(format), None) => {
            return Err(CliError::Usage(format!(
                "A {format} document needs a file to go to: add --output report.{format}."
            )));
        }
        (None, Some(_)) => {
            return Err(CliError::Usage(
                "--output is for --format docx or pdf; JSON and CSV are printed.".to_owned(),
            ));
        }
        (Some(format), Some(path)) => Some((format, path)),
        (None, None) => None,
    };
    let calendar = Config::embedded()?;
    let report = with_store(db, async |store| {
        timeliness::report(store.as_ref(), registry, &calendar, period, today)
            .await
            .map_err(refused)
    })?;
    match (options.format, output) {
        (_, Some((format, path))) => {
            let document = timeliness_document(&report, today);
            let bytes = match format {
                Format::Docx => render_docx(&document).map_err(|e| e.to_string()),
                Format::Pdf => render_pdf(&document).map_err(|e| e.to_string()),
            }
            .map_err(CliError::Usage)?;
            std::fs::write(path, bytes).map_err(|e| {
                CliError::Usage(format!(
                    "The report could not be written to {}: {e}",
                    path.display()
                ))
            })?;
            eprintln!("Wrote {}", path.display());
        }
        (ReportFormat::Csv, None) => print!(
            "{}",
            timeliness::csv_table(&report, options.table).map_err(CliError::Usage)?
        ),
        (_, None) => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(ExitCode::SUCCESS)
}
