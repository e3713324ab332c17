//! `safeguarding-forms render FILE... --format docx|pdf [-o OUT] [--date DATE] [--marking M]` and
//! `safeguarding-forms pack NOTIFICATION AGENCY_SUMMARY... RAPID_REVIEW --format docx|pdf -o OUT`.
//!
//! Each file's form is read from its `"form"` field, so the files of a pack may come in any
//! order. A submission with errors is refused with a pointer to `validate`, because a document
//! made from it could lack mandatory content. Nothing a form holds is printed: messages name
//! files, never their content.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use serde_json::Value;

use safeguarding_forms::assemble::model::Document;
use safeguarding_forms::assemble::{Assembler, Marking, MetadataBuilder};
use safeguarding_forms::forms::{CaseRole, Registry};
use safeguarding_forms::render::{Format, docx, pdf};
use safeguarding_forms::validate::{self, input};

/// What `render` was asked to do.
#[derive(Debug)]
pub struct RenderOptions<'a> {
    /// The submissions.
    pub files: &'a [PathBuf],
    /// Word or PDF.
    pub format: Format,
    /// A file (one input) or a folder (several inputs); by default the current folder.
    pub output: Option<&'a Path>,
    /// The document date.
    pub date: NaiveDate,
    /// For a final report: the improvements-only publication instead of the full report.
    pub improvements_only: bool,
    /// The protective marking in the header and footer.
    pub marking: Marking,
}

/// What `pack` was asked to do.
#[derive(Debug)]
pub struct PackOptions<'a> {
    /// The notification, the agency returns and the rapid review record, in any order.
    pub files: &'a [PathBuf],
    /// Word or PDF.
    pub format: Format,
    /// The file to write.
    pub output: &'a Path,
    /// The document date.
    pub date: NaiveDate,
    /// Agencies asked for a summary (codes or names); by default every agency the notification
    /// names and every agency the rapid review says is usually expected.
    pub asked: &'a [String],
    /// Also write the covering letter to the Panel to this file.
    pub letter: Option<&'a Path>,
}

/// A problem that stops the command, as a sentence for the person at the keyboard.
type Problem = String;

/// Renders each file; exit 0 when all were written, 2 when any could not be.
pub fn run_render(registry: &Registry, options: &RenderOptions<'_>) -> ExitCode {
    let assembler = match assembler(registry, options.date, options.marking) {
        Ok(assembler) => assembler,
        Err(problem) => return fail(&problem),
    };
    let several = options.files.len() > 1;
    if several
        && let Some(dir) = options.output
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        return fail(&format!(
            "The folder {} could not be made: {e}",
            dir.display()
        ));
    }
    let mut failed = false;
    for file in options.files {
        let result = read_valid(registry, file).and_then(|submission| {
            let document = if options.improvements_only {
                assembler.improvements_only(&submission)
            } else {
                assembler.form_document(&submission)
            }
            .map_err(|e| format!("{}: {e}", file.display()))?;
            let target = target(file, options, several);
            write(&document, options.format, &target)?;
            Ok(target)
        });
        match result {
            Ok(target) => println!("{} -> {}", file.display(), target.display()),
            Err(problem) => {
                eprintln!("safeguarding-forms: {problem}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// Assembles and writes the rapid review pack (and the covering letter when asked).
pub fn run_pack(registry: &Registry, options: &PackOptions<'_>) -> ExitCode {
    match pack(registry, options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => fail(&problem),
    }
}

fn pack(registry: &Registry, options: &PackOptions<'_>) -> Result<(), Problem> {
    let assembler = assembler(registry, options.date, Marking::default())?;
    let mut notifications = Vec::new();
    let mut reviews = Vec::new();
    let mut returns = Vec::new();
    for file in options.files {
        let submission = read_valid(registry, file)?;
        let form = registry
            .detect(&submission)
            .map_err(|e| format!("{}: {e}", file.display()))?;
        match form.case_role() {
            CaseRole::Notification => notifications.push((file, submission)),
            CaseRole::RapidReviewRecord => reviews.push((file, submission)),
            CaseRole::AgencyReturn => returns.push(submission),
            CaseRole::FinalReport => {
                return Err(format!(
                    "{} is a \"{}\" form, which does not belong in a rapid review pack. \
                     Give the notification, the agency summaries (or child death reporting \
                     forms) and the rapid review record.",
                    file.display(),
                    form.id()
                ));
            }
        }
    }
    let notification = exactly_one(notifications, "serious incident notification")?;
    let review = exactly_one(reviews, "rapid review record")?;
    let asked = if options.asked.is_empty() {
        default_asked(&notification, &review)
    } else {
        options.asked.to_vec()
    };
    let document = assembler
        .rapid_review_pack(&notification, &returns, &review, &asked)
        .map_err(|e| e.to_string())?;
    write(&document, options.format, options.output)?;
    println!("rapid review pack -> {}", options.output.display());
    if let Some(letter_path) = options.letter {
        let letter = assembler
            .covering_letter(&notification, &review)
            .map_err(|e| e.to_string())?;
        write(&letter, options.format, letter_path)?;
        println!("covering letter -> {}", letter_path.display());
    }
    Ok(())
}

fn assembler(registry: &Registry, date: NaiveDate, marking: Marking) -> Result<Assembler, Problem> {
    Assembler::new(registry, MetadataBuilder::new(date).marking(marking)).map_err(|e| e.to_string())
}

fn fail(problem: &str) -> ExitCode {
    eprintln!("safeguarding-forms: {problem}");
    ExitCode::from(2)
}

/// Reads a submission and checks it is valid for its form.
fn read_valid(registry: &Registry, file: &Path) -> Result<Value, Problem> {
    let bytes = std::fs::read(file).map_err(|e| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "there is no such file".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => e.to_string(),
        };
        format!("{} could not be read: {reason}", file.display())
    })?;
    let submission = input::parse(&bytes).map_err(|e| format!("{}: {e}", file.display()))?;
    let report = validate::validate(registry, &submission)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    if !report.valid {
        return Err(format!(
            "{} has errors, so a document made from it could leave out what the form must say. \
             Run `safeguarding-forms validate {}` to see them.",
            file.display(),
            file.display()
        ));
    }
    Ok(submission)
}

fn exactly_one(found: Vec<(&PathBuf, Value)>, what: &str) -> Result<Value, Problem> {
    if found.len() > 1 {
        let files: Vec<String> = found
            .iter()
            .map(|(path, _)| path.display().to_string())
            .collect();
        return Err(format!(
            "A rapid review pack takes one {what}; {} were given: {}.",
            files.len(),
            files.join(", ")
        ));
    }
    found
        .into_iter()
        .next()
        .map(|(_, value)| value)
        .ok_or_else(|| format!("A rapid review pack needs the {what}; none was given."))
}

/// Every agency the notification names, and every agency the rapid review says is usually
/// expected to contribute.
fn default_asked(notification: &Value, review: &Value) -> Vec<String> {
    let mut asked: Vec<String> = Vec::new();
    let mut add = |id: Option<&str>| {
        if let Some(id) = id
            && !asked.iter().any(|a| a == id)
        {
            asked.push(id.to_owned());
        }
    };
    for agency in notification["agencies_involved"]
        .as_array()
        .into_iter()
        .flatten()
    {
        add(agency["id"].as_str());
    }
    for entry in review["agencies"].as_array().into_iter().flatten() {
        if entry["expected"].as_bool() == Some(true) {
            add(entry["agency"]["id"].as_str());
        }
    }
    asked
}

/// Where one input's document goes.
fn target(file: &Path, options: &RenderOptions<'_>, several: bool) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document".to_owned());
    let suffix = if options.improvements_only {
        "-improvements-only"
    } else {
        ""
    };
    let name = format!("{stem}{suffix}.{}", options.format.extension());
    match options.output {
        Some(out) if !several && !out.is_dir() => out.to_path_buf(),
        Some(dir) => dir.join(name),
        None => PathBuf::from(name),
    }
}

/// Renders a document and writes it.
fn write(document: &Document, format: Format, target: &Path) -> Result<(), Problem> {
    let bytes = match format {
        Format::Docx => docx::render_docx(document).map_err(|e| e.to_string()),
        Format::Pdf => pdf::render_pdf(document).map_err(|e| e.to_string()),
    }
    .map_err(|e| format!("The {format} document could not be made: {e}"))?;
    std::fs::write(target, bytes)
        .map_err(|e| format!("{} could not be written: {e}", target.display()))
}
