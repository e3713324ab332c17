//! `safeguarding-forms check-report FILE [--case FILE...] [--json] [--format docx|pdf -o OUT]`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::CliError;
use safeguarding_forms::assemble::model::Document;
use safeguarding_forms::assemble::{Assembler, MetadataBuilder};
use safeguarding_forms::check::{CaseForms, CheckConfig, check_bytes_with, checklist::checklist};
use safeguarding_forms::forms::{CaseRole, Registry};
use safeguarding_forms::render::Format;
use safeguarding_forms::render::docx::render_docx;
use safeguarding_forms::render::pdf::render_pdf;
use safeguarding_forms::validate::input;

/// What to check and how to answer.
#[derive(Debug)]
pub struct Options<'a> {
    /// The draft: a `.docx` or a `final-report` JSON submission.
    pub file: &'a Path,
    /// The case's own forms (JSON), searched for identifying details.
    pub case: &'a [PathBuf],
    /// Print the report as JSON.
    pub json: bool,
    /// Also write the reviewer's checklist in this format ...
    pub format: Option<Format>,
    /// ... to this file.
    pub output: Option<&'a Path>,
    /// A partnership's word lists instead of the built-in ones.
    pub config: Option<&'a Path>,
    /// The forms, to read the case's forms by their schemas.
    pub registry: &'a Registry,
}

/// Checks the draft; exit 0 ready to publish, 1 anything to fix, 2 a file cannot be read.
pub fn run(options: &Options<'_>) -> Result<ExitCode, CliError> {
    match check(options) {
        Ok((code, document)) => {
            if let (Some(format), Some(output), Some(document)) =
                (options.format, options.output, document)
                && let Err(problem) = write_checklist(&document, format, output)
            {
                eprintln!("safeguarding-forms: {problem}");
                return Ok(ExitCode::from(2));
            }
            Ok(code)
        }
        Err(Problem::Output(e)) => Err(CliError::Output(e)),
        Err(Problem::Encode(e)) => Err(CliError::Encode(e)),
        Err(Problem::Unreadable(problem)) => {
            eprintln!("safeguarding-forms: {problem}");
            Ok(ExitCode::from(2))
        }
    }
}

enum Problem {
    Unreadable(String),
    Output(std::io::Error),
    Encode(serde_json::Error),
}

fn check(options: &Options<'_>) -> Result<(ExitCode, Option<Document>), Problem> {
    let mut forms = Vec::with_capacity(options.case.len());
    for path in options.case {
        let bytes = read(path)?;
        let unreadable = |e: String| {
            Problem::Unreadable(format!(
                "the case form {} could not be read: {e}",
                path.display()
            ))
        };
        let body = input::parse(&bytes).map_err(|e| unreadable(e.to_string()))?;
        let form = options
            .registry
            .detect(&body)
            .map_err(|e| unreadable(e.to_string()))?;
        forms.push((form, body));
    }
    let case = CaseForms::from_forms(forms.iter().map(|(form, body)| (*form, body)));
    let config = match options.config {
        Some(path) => CheckConfig::load(path),
        None => CheckConfig::embedded().map(|c| c.as_ref().clone()),
    }
    .map_err(|e| Problem::Unreadable(e.to_string()))?;
    let config = match options.registry.with_role(CaseRole::FinalReport).next() {
        Some(form) => config.keyed_to(form),
        None => config,
    };
    let bytes = read(options.file)?;
    let assembler = Assembler::new(
        options.registry,
        MetadataBuilder::new(chrono::Local::now().date_naive()),
    )
    .map_err(|e| Problem::Unreadable(e.to_string()))?;
    let report = check_bytes_with(&bytes, &case, &config, &assembler).map_err(|e| {
        Problem::Unreadable(format!(
            "{} could not be checked. {e}",
            options.file.display()
        ))
    })?;
    let mut out = std::io::stdout().lock();
    if options.json {
        serde_json::to_writer_pretty(&mut out, &report).map_err(Problem::Encode)?;
        writeln!(out).map_err(Problem::Output)?;
    } else {
        write!(out, "{}\n{report}", options.file.display()).map_err(Problem::Output)?;
    }
    let code = if report.ready_to_publish {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    let document = options
        .format
        .map(|_| checklist(&report, chrono::Local::now().date_naive()));
    Ok((code, document))
}

fn read(path: &Path) -> Result<Vec<u8>, Problem> {
    std::fs::read(path).map_err(|e| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "there is no such file".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => e.to_string(),
        };
        Problem::Unreadable(format!("{} could not be read: {reason}", path.display()))
    })
}

/// Renders the checklist with the document pipeline and writes it.
fn write_checklist(document: &Document, format: Format, output: &Path) -> Result<(), String> {
    let bytes = render(document, format)?;
    std::fs::write(output, bytes)
        .map_err(|e| format!("could not write the checklist to {}: {e}", output.display()))
}

fn render(document: &Document, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Docx => render_docx(document).map_err(|e| e.to_string()),
        Format::Pdf => render_pdf(document).map_err(|e| e.to_string()),
    }
}
