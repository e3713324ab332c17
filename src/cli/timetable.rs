//! `safeguarding-forms timetable FILE... [--today DATE] [--json] [--config FILE]`: the statutory
//! timetable of one case from its forms (notification, rapid review record, final report).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use super::CliError;
use super::calendar::load_config;
use safeguarding_forms::calendar::Timetable;
use safeguarding_forms::case_file::CaseFile;
use safeguarding_forms::forms::{Form, Registry};
use safeguarding_forms::validate::{self, RuleContext, input};

/// What the command was given.
pub struct Options<'a> {
    /// The form files of the case.
    pub files: &'a [PathBuf],
    /// The day to work statuses out for.
    pub today: NaiveDate,
    /// JSON instead of text.
    pub json: bool,
    /// A partnership's calendar configuration.
    pub config: Option<&'a PathBuf>,
}

#[derive(Serialize)]
struct Output<'a> {
    case_reference: Option<&'a str>,
    used: Vec<String>,
    ignored: Vec<String>,
    #[serde(flatten)]
    timetable: &'a Timetable,
}

/// Prints the timetable; exit 2 (with a message naming the file) when a file cannot be read,
/// names no known form, has a date that is not a real date, or belongs to another case.
pub fn run(registry: &Registry, options: &Options<'_>) -> Result<ExitCode, CliError> {
    let config = load_config(options.config.map(PathBuf::as_path))?;
    let mut loaded: Vec<(String, &Form, Value)> = Vec::new();
    for file in options.files {
        let name = file.display().to_string();
        match read(registry, file) {
            Ok((form, doc)) => loaded.push((name, form, doc)),
            Err(problem) => return Ok(stop(&format!("{name}: {problem}"))),
        }
    }
    let mut references: Vec<&str> = loaded
        .iter()
        .filter_map(|(_, _, doc)| doc.get("case_reference").and_then(Value::as_str))
        .collect();
    references.sort_unstable();
    references.dedup();
    if references.len() > 1 {
        return Ok(stop(&format!(
            "These forms belong to different cases ({}). Please give the forms of one case.",
            references.join(", ")
        )));
    }
    let (used, ignored): (Vec<_>, Vec<_>) = loaded
        .iter()
        .partition(|(_, form, doc)| !form.events(doc).is_empty());
    let context = RuleContext::with_calendar(config.clone());
    for (name, form, doc) in &used {
        let report = validate::validate_form(form, doc, &context);
        if let Some(bad) = report.findings.iter().find(|f| f.rule == "schema.format") {
            return Ok(stop(&format!("{name}: {}", bad.message)));
        }
    }
    let mut file = CaseFile::new(registry);
    for (name, form, doc) in &used {
        if let Err(problem) = file.add(form.id(), doc.clone(), None, 1) {
            return Ok(stop(&format!("{name}: {problem}")));
        }
    }
    let timetable = file.timetable(&config, options.today, None)?;
    let output = Output {
        case_reference: references.first().copied(),
        used: used.iter().map(|(name, ..)| name.clone()).collect(),
        ignored: ignored.iter().map(|(name, ..)| name.clone()).collect(),
        timetable: &timetable,
    };
    let mut out = std::io::stdout().lock();
    if options.json {
        serde_json::to_writer_pretty(&mut out, &output)?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &output)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn read<'r>(registry: &'r Registry, file: &PathBuf) -> Result<(&'r Form, Value), String> {
    let bytes = std::fs::read(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "could not be read: there is no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "could not be read: permission denied".to_owned(),
        _ => format!("could not be read: {e}"),
    })?;
    let doc = input::parse(&bytes).map_err(|e| e.to_string())?;
    let form = registry.detect(&doc).map_err(|e| e.to_string())?;
    Ok((form, doc))
}

fn stop(message: &str) -> ExitCode {
    eprintln!("safeguarding-forms: {message}");
    ExitCode::from(2)
}

fn write_text(out: &mut impl Write, output: &Output<'_>) -> std::io::Result<()> {
    if let Some(reference) = output.case_reference {
        writeln!(out, "Case {reference}")?;
    }
    if output.used.is_empty() {
        writeln!(
            out,
            "From: none of these forms gives a timetable date (the notification, rapid review record and final report do)."
        )?;
    } else {
        writeln!(out, "From: {}", output.used.join(", "))?;
    }
    if !output.ignored.is_empty() {
        writeln!(
            out,
            "Not used (no timetable dates): {}",
            output.ignored.join(", ")
        )?;
    }
    write!(out, "{}", output.timetable)
}
