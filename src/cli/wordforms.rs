//! `safeguarding-forms blank FORM_ID -o form.docx [--prefill JSON]` and
//! `safeguarding-forms ingest form.docx [--json] [-o out.json]`.

use std::path::Path;
use std::process::ExitCode;

use super::CliError;
use safeguarding_forms::forms::Registry;
use safeguarding_forms::validate::input;
use safeguarding_forms::wordforms::{BlankOptions, blank, ingest};

/// Writes the blank Word form of `form_id`; exit 2 for an unknown form or unreadable pre-fill.
pub fn run_blank(
    registry: &Registry,
    form_id: &str,
    output: &Path,
    prefill: Option<&Path>,
    rows: usize,
) -> Result<ExitCode, CliError> {
    let Some(form) = registry.get(form_id) else {
        let known: Vec<&str> = registry.forms().map(|f| f.id()).collect();
        eprintln!(
            "safeguarding-forms: \"{form_id}\" is not a form this service knows. The forms are: {}.",
            known.join(", ")
        );
        return Ok(ExitCode::from(2));
    };
    let mut options = BlankOptions::new(chrono::Local::now().date_naive());
    options.rows = rows.clamp(1, 50);
    if let Some(path) = prefill {
        match std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| input::parse(&bytes).map_err(|e| e.to_string()))
        {
            Ok(values) => options.prefill = Some(values),
            Err(problem) => {
                eprintln!(
                    "safeguarding-forms: {} cannot be used to pre-fill the form: {problem}",
                    path.display()
                );
                return Ok(ExitCode::from(2));
            }
        }
    }
    match blank(form, &options) {
        Ok(bytes) => {
            std::fs::write(output, bytes)?;
            println!(
                "{}: blank {} ({})",
                output.display(),
                form.title(),
                form.id()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(problem) => {
            eprintln!("safeguarding-forms: {problem}");
            Ok(ExitCode::from(2))
        }
    }
}

/// Reads a filled Word form back into its JSON and validates it: exit 0 valid, 1 errors,
/// 2 the file is not a readable form.
pub fn run_ingest(
    registry: &Registry,
    file: &Path,
    json: bool,
    output: Option<&Path>,
) -> Result<ExitCode, CliError> {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!(
                "safeguarding-forms: {} cannot be read: {error}",
                file.display()
            );
            return Ok(ExitCode::from(2));
        }
    };
    let ingested = match ingest(registry, &bytes) {
        Ok(ingested) => ingested,
        Err(problem) => {
            eprintln!("safeguarding-forms: {}: {problem}", file.display());
            return Ok(ExitCode::from(2));
        }
    };
    if let Some(path) = output {
        std::fs::write(path, serde_json::to_vec_pretty(&ingested.submission)?)?;
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&ingested)?);
    } else {
        let report = &ingested.report;
        println!(
            "{}: {} {}: {}",
            file.display(),
            report.form,
            report.form_version,
            if report.valid { "valid" } else { "NOT valid" }
        );
        print!("{report}");
    }
    Ok(if ingested.report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
