//! `safeguarding-forms validate FILE... [--json]`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use super::CliError;
use safeguarding_forms::forms::Registry;
use safeguarding_forms::validate::{self, Report, input};

/// The outcome for one file.
#[derive(Serialize)]
struct FileOutcome {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<Report>,
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
}

/// Validates each file; exit 0 all valid, 1 any error, 2 any file unreadable or of no known form.
pub fn run(registry: &Registry, files: &[PathBuf], json: bool) -> Result<ExitCode, CliError> {
    let outcomes: Vec<FileOutcome> = files.iter().map(|file| check(registry, file)).collect();
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &outcomes)?;
        writeln!(out)?;
    } else {
        for outcome in &outcomes {
            write_text(&mut out, outcome)?;
        }
    }
    let unreadable = outcomes.iter().any(|o| o.problem.is_some());
    let invalid = outcomes
        .iter()
        .any(|o| o.report.as_ref().is_some_and(|r| !r.valid));
    Ok(if unreadable {
        ExitCode::from(2)
    } else if invalid {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn check(registry: &Registry, file: &Path) -> FileOutcome {
    let name = file.display().to_string();
    let result = std::fs::read(file)
        .map_err(|e| format!("could not be read: {}", io_reason(&e)))
        .and_then(|bytes| input::parse(&bytes).map_err(|e| e.to_string()))
        .and_then(|doc| validate::validate(registry, &doc).map_err(|e| e.to_string()));
    match result {
        Ok(report) => FileOutcome {
            file: name,
            report: Some(report),
            problem: None,
        },
        Err(problem) => FileOutcome {
            file: name,
            report: None,
            problem: Some(problem),
        },
    }
}

fn write_text(out: &mut impl Write, outcome: &FileOutcome) -> std::io::Result<()> {
    match (&outcome.report, &outcome.problem) {
        (Some(report), _) => {
            let verdict = if report.valid && report.warnings == 0 {
                "valid"
            } else if report.valid {
                "valid, with warnings"
            } else {
                "NOT valid"
            };
            writeln!(
                out,
                "{}: {} {}: {verdict}",
                outcome.file, report.form, report.form_version
            )?;
            if !report.findings.is_empty() {
                write!(out, "{report}")?;
            }
        }
        (None, Some(problem)) => writeln!(out, "{}: {problem}", outcome.file)?,
        (None, None) => {}
    }
    writeln!(out)
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "there is no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}
