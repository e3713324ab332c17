//! `safeguarding-forms report yearly`: the safeguarding partners' yearly report from their
//! answers and the store's records, or (`--check`) the check of the answers alone, through the
//! same functions as `POST /reports/yearly` and `POST /reports/yearly/check`.

use std::path::Path;
use std::process::ExitCode;

use safeguarding_forms::assemble::Marking;
use safeguarding_forms::calendar::Config;
use safeguarding_forms::forms::Registry;
use safeguarding_forms::http::actions as api;
use safeguarding_forms::http::problem::Problem;
use safeguarding_forms::http::yearly;
use safeguarding_forms::render::{Format, docx::render_docx, pdf::render_pdf};
use safeguarding_forms::validate::input;
use safeguarding_forms::yearly::document::yearly_document_marked;

use super::token::with_store;
use super::{CliError, Database};

/// The largest answers file read: the service's default body limit.
const MAX_ANSWERS_BYTES: u64 = 10 * 1024 * 1024;

/// How to give the yearly report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum YearlyFormat {
    /// JSON, as the HTTP API gives it.
    Json,
    /// A Word document (needs --out).
    Docx,
    /// A tagged PDF (PDF/UA) (needs --out).
    Pdf,
}

/// What `report yearly` was given.
pub struct Options<'a> {
    /// The partnership's answers (JSON).
    pub answers: &'a Path,
    /// The first day, YYYY-MM-DD, when the answers give no period.
    pub from: Option<&'a str>,
    /// The last day, YYYY-MM-DD, when the answers give no period.
    pub to: Option<&'a str>,
    /// Only check the answers.
    pub check: bool,
    /// JSON, Word or PDF (`None`: JSON for the report, text for the check).
    pub format: Option<YearlyFormat>,
    /// Where to write the report.
    pub out: Option<&'a Path>,
    /// The copy of a Word or PDF document (`None`: the OFFICIAL-SENSITIVE one).
    pub marking: Option<Marking>,
    /// Working days before its due date from which an open action shows amber.
    pub due_soon: u32,
}

fn refused(problem: Problem) -> CliError {
    CliError::Usage(problem.detail)
}

fn read_answers(path: &Path) -> Result<serde_json::Value, CliError> {
    let cannot = |e: std::io::Error| {
        CliError::Usage(format!(
            "The answers could not be read from {}: {e}",
            path.display()
        ))
    };
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    if size > MAX_ANSWERS_BYTES {
        return Err(CliError::Usage(format!(
            "{} is larger than a yearly report's answers can be (10 MB at most): check that it is the right file.",
            path.display()
        )));
    }
    let bytes = std::fs::read(path).map_err(cannot)?;
    input::parse(&bytes).map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))
}

/// Checks the answers (exit 0 when every section the guidance asks for is written, 1 when any
/// is missing or weak), or writes the report (`--marking official`: the copy for publication);
/// exit 2 when the answers cannot be used or the copy for publication is asked of a report with
/// a section missing.
pub fn run(
    db: &Database,
    registry: &Registry,
    options: &Options<'_>,
) -> Result<ExitCode, CliError> {
    let document_format = match options.format {
        Some(YearlyFormat::Docx) => Some(Format::Docx),
        Some(YearlyFormat::Pdf) => Some(Format::Pdf),
        Some(YearlyFormat::Json) | None => None,
    };
    if options.check && document_format.is_some() {
        return Err(CliError::Usage(
            "--check prints the check as text or JSON: leave out --format docx or pdf, or --check."
                .to_owned(),
        ));
    }
    if options.marking.is_some() && document_format.is_none() {
        return Err(CliError::Usage(
            "--marking is for the Word or PDF copy of the yearly report: add --format docx or pdf, or leave out --marking."
                .to_owned(),
        ));
    }
    if let (Some(format), None) = (document_format, options.out) {
        return Err(CliError::Usage(format!(
            "A {format} document needs a file to go to: add --out yearly-report.{format}."
        )));
    }
    let body = read_answers(options.answers)?;
    let today = api::today();
    let (answers, period) =
        yearly::answers(&body, options.from, options.to, today).map_err(refused)?;
    let calendar = Config::embedded()?;
    if options.check {
        let check = with_store(db, async |store| {
            yearly::check_answers(store.as_ref(), &calendar, &answers, &period, today)
                .await
                .map_err(refused)
        })?;
        let text = if options.format == Some(YearlyFormat::Json) {
            format!("{}\n", serde_json::to_string_pretty(&check)?)
        } else {
            check.text()
        };
        write_or_print(options.out, text.as_bytes())?;
        return Ok(if check.complete {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    let report = with_store(db, async |store| {
        yearly::report(
            store.as_ref(),
            registry,
            &calendar,
            &answers,
            period,
            today,
            options.due_soon,
        )
        .await
        .map_err(refused)
    })?;
    let bytes = match document_format {
        Some(format) => {
            // The copy for publication of an unfinished report is refused here, exit 2.
            let marking = options.marking.unwrap_or_default();
            let document = yearly_document_marked(&report, today, marking)
                .map_err(|e| CliError::Usage(e.to_string()))?;
            match format {
                Format::Docx => render_docx(&document).map_err(|e| e.to_string()),
                Format::Pdf => render_pdf(&document).map_err(|e| e.to_string()),
            }
            .map_err(CliError::Usage)?
        }
        None => format!("{}\n", serde_json::to_string_pretty(&report)?).into_bytes(),
    };
    if !report.check.complete {
        eprintln!(
            "This is a draft: {} section(s) still to write or strengthen. `report yearly --check` lists them.",
            report.check.errors
        );
    }
    write_or_print(options.out, &bytes)?;
    Ok(ExitCode::SUCCESS)
}

fn write_or_print(out: Option<&Path>, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write as _;
    match out {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| {
                CliError::Usage(format!(
                    "The report could not be written to {}: {e}",
                    path.display()
                ))
            })?;
            eprintln!("Wrote {}", path.display());
        }
        None => std::io::stdout().write_all(bytes)?,
    }
    Ok(())
}
