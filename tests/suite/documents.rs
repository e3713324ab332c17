//! Every valid sample, the rapid review pack, the covering letter and the final report, rendered
//! to PDF and Word and read back by independent readers: `pdftotext`, `pdfinfo`, `qpdf`,
//! `python-docx` and LibreOffice. A reader that is missing fails the test: install them with
//! `scripts/install-test-tools` (apt poppler-utils, qpdf, libreoffice-writer-nogui; pip
//! python-docx).

use crate::support::assemble as assemble_support;
use crate::support::word_fill;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use assemble_support::{assembler, case_014_summaries, mandatory_values, normalise, one, samples};
use safeguarding_forms::assemble::model::{Block, Document, plain_text};
use safeguarding_forms::render::{docx::render_docx, pdf::render_pdf};

/// Runs a reader; a reader that is not installed or fails is a test failure.
fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output().unwrap_or_else(|e| {
        panic!("{program} could not be run ({e}): install the document readers (scripts/install-test-tools)")
    });
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Text as `pdftotext` gives it, with the running header and footer lines removed, the
/// invisible word joiners typst puts in contents page numbers dropped, and words split by a
/// hyphen at a line end rejoined.
fn pdf_text(path: &Path, document: &Document) -> String {
    let raw = run(
        "pdftotext",
        &["-raw", "-enc", "UTF-8", &path.to_string_lossy(), "-"],
    );
    let furniture = [document.meta.title.as_str(), document.meta.marking.as_str()];
    let lines: Vec<&str> = raw
        .lines()
        .map(str::trim)
        .filter(|line| !furniture.contains(line))
        .filter(|line| !(line.starts_with("Page ") && line.contains(" of ")))
        .collect();
    normalise(
        &lines
            .join("\n")
            .replace("-\n", "-")
            .replace('\u{2060}', "")
            .replace("\u{c}", " "),
    )
}

/// Whether the words of `value` appear in order within a short stretch of `words`: a table row
/// that the PDF breaks across pages has the running header, the repeated header row and the
/// other cells' text between its two halves.
fn in_order_nearby(words: &[&str], value: &str) -> bool {
    let wanted: Vec<&str> = value.split_whitespace().collect();
    let Some(first) = wanted.first() else {
        return true;
    };
    let window = wanted.len() + 80;
    words.iter().enumerate().any(|(start, word)| {
        word == first && {
            let mut next = wanted.iter().peekable();
            for candidate in words.iter().skip(start).take(window) {
                if next.peek().is_some_and(|w| *w == candidate) {
                    next.next();
                }
            }
            next.peek().is_none()
        }
    })
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

struct Case {
    name: String,
    document: Document,
    /// (what, value) that the rendered document must show.
    expected: Vec<(String, String)>,
}

fn cases() -> Vec<Case> {
    let (registry, assembler) = assembler();
    let mut cases = Vec::new();
    for form in registry.forms() {
        for (path, submission) in samples(form.id()) {
            let document = assembler
                .form_document(&submission)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = path
                .file_stem()
                .map(|s| format!("{}-{}", form.id(), s.to_string_lossy()))
                .unwrap_or_default();
            cases.push(Case {
                name,
                document,
                expected: mandatory_values(&registry, &submission),
            });
        }
    }
    let notification = one("csprp-notification", "2026-014");
    let review = one("rapid-review", "2026-014");
    let summaries = case_014_summaries();
    let pack = assembler
        .rapid_review_pack(&notification, &summaries, &review, &["secamb".to_owned()])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut expected = mandatory_values(&registry, &notification);
    expected.extend(mandatory_values(&registry, &review));
    for summary in &summaries {
        expected.extend(mandatory_values(&registry, summary));
    }
    expected.push((
        "agency not returned".into(),
        "South East Coast Ambulance Service NHS Foundation Trust".into(),
    ));
    cases.push(Case {
        name: "rapid-review-pack".into(),
        document: pack,
        expected,
    });
    let letter = assembler
        .covering_letter(&notification, &review)
        .unwrap_or_else(|e| panic!("{e}"));
    cases.push(Case {
        name: "covering-letter".into(),
        document: letter,
        expected: vec![
            ("decision".into(), text_at(&review, "/decision/reasons")),
            (
                "national".into(),
                text_at(&review, "/national_review/reasons"),
            ),
        ],
    });
    let report = one("final-report", "not-in-full");
    let improvements = assembler
        .improvements_only(&report)
        .unwrap_or_else(|e| panic!("{e}"));
    cases.push(Case {
        name: "improvements-only".into(),
        document: improvements,
        expected: vec![("summary".into(), text_at(&report, "/improvements_summary"))],
    });
    cases
}

fn text_at(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_owned()
}

fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn headings(document: &Document) -> Vec<(u8, String)> {
    document
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Heading { level, text } => Some((*level, plain_text(text))),
            _ => None,
        })
        .collect()
}

#[test]
fn every_document_renders_to_a_tagged_pdf_showing_every_mandatory_value() {
    let dir = out_dir("documents-pdf");
    for case in cases() {
        let bytes = render_pdf(&case.document).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let again = render_pdf(&case.document).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert!(
            bytes == again,
            "{}: PDF output is not deterministic",
            case.name
        );
        let path = dir.join(format!("{}.pdf", case.name));
        std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let file = path.to_string_lossy();

        let info = run("pdfinfo", &[&file]);
        assert!(
            info.lines()
                .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
            "{}: not tagged:\n{info}",
            case.name
        );
        assert!(
            info.lines()
                .any(|l| l.starts_with("Title:") && l.contains(case.document.meta.title.as_str())),
            "{}: title not set:\n{info}",
            case.name
        );
        run("qpdf", &["--check", &file]);

        // Compared without whitespace: a narrow table cell may break a long e-mail address or
        // reference anywhere, and pdftotext then puts a line break inside it.
        let plain = pdf_text(&path, &case.document);
        let text = squash(&plain);
        let words: Vec<&str> = plain.split_whitespace().collect();
        for (what, value) in &case.expected {
            assert!(
                text.contains(&squash(value)) || in_order_nearby(&words, value),
                "{}: {what} ({value:?}) not found by pdftotext in {}",
                case.name,
                path.display()
            );
        }
        for (_, heading) in headings(&case.document) {
            assert!(
                text.contains(&squash(&heading)),
                "{}: heading {heading:?}",
                case.name
            );
        }
    }
}

const PYTHON_DOCX_READER: &str = r#"
import json, sys, docx
out = {}
for path in sys.argv[1:]:
    d = docx.Document(path)
    out[path] = {
        "title": d.core_properties.title,
        "paragraphs": [[p.style.name, p.text] for p in d.paragraphs],
        "cells": [c.text for t in d.tables for r in t.rows for c in r.cells],
    }
print(json.dumps(out))
"#;

#[test]
fn every_document_renders_to_word_that_python_docx_and_libreoffice_read() {
    let dir = out_dir("documents-docx");
    let cases = cases();
    let mut paths = Vec::new();
    for case in &cases {
        let bytes = render_docx(&case.document).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let again = render_docx(&case.document).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert!(
            bytes == again,
            "{}: Word output is not deterministic",
            case.name
        );
        let path = dir.join(format!("{}.docx", case.name));
        std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
        paths.push(path.to_string_lossy().into_owned());
    }

    let mut args = vec!["-c", PYTHON_DOCX_READER];
    args.extend(paths.iter().map(String::as_str));
    let read: Value = serde_json::from_str(&run("python3", &args))
        .unwrap_or_else(|e| panic!("python-docx output: {e}"));
    for (case, path) in cases.iter().zip(&paths) {
        let entry = &read[path.as_str()];
        assert_eq!(
            entry["title"].as_str(),
            Some(case.document.meta.title.as_str()),
            "{}: document title",
            case.name
        );
        let paragraphs: Vec<(String, String)> = entry["paragraphs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| (text_at(p, "/0"), text_at(p, "/1")))
            .collect();
        for (level, heading) in headings(&case.document) {
            let style = format!("Heading {level}");
            assert!(
                paragraphs
                    .iter()
                    .any(|(s, t)| *s == style && t.trim() == heading.trim()),
                "{}: no {style} {heading:?}",
                case.name
            );
        }
        let mut all_text: Vec<String> = paragraphs.into_iter().map(|(_, t)| t).collect();
        all_text.extend(
            entry["cells"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned),
        );
        let text = normalise(&all_text.join("\n"));
        for (what, value) in &case.expected {
            assert!(
                text.contains(&normalise(value)),
                "{}: {what} ({value:?}) not found by python-docx",
                case.name
            );
        }
        let cells = entry["cells"].as_array().map_or(0, Vec::len);
        let tables = case
            .document
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Table { .. }))
            .count();
        assert!(
            tables == 0 || cells > 0,
            "{}: tables have no cells",
            case.name
        );
    }

    // LibreOffice opens every file and converts it (one start for all of them).
    let converted = out_dir("documents-docx-soffice");
    let converted_dir = converted.to_string_lossy().into_owned();
    let mut args = vec![
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        converted_dir.as_str(),
    ];
    args.extend(paths.iter().map(String::as_str));
    run("soffice", &args);
    for case in &cases {
        let pdf = converted.join(format!("{}.pdf", case.name));
        let text = run("pdftotext", &[&pdf.to_string_lossy(), "-"]);
        assert!(
            normalise(&text).contains(&normalise(&case.document.meta.title)),
            "{}: LibreOffice's conversion lacks the title",
            case.name
        );
    }
}

#[test]
fn the_cli_renders_and_packs_files_given_in_any_order() {
    let dir = out_dir("documents-cli");
    let binary = env!("CARGO_BIN_EXE_safeguarding-forms");
    let sample = |form: &str, name: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(form)
            .join("valid")
            .join(name)
            .to_string_lossy()
            .into_owned()
    };
    let notification = sample(
        "csprp-notification",
        "kscp-2026-014-child-l-serious-harm.json",
    );
    let review = sample("rapid-review", "kscp-2026-014-lcspr.json");
    let gp = sample("agency-summary", "kscp-2026-014-gp.json");
    let police = sample("agency-summary", "kscp-2026-014-kent-police.json");
    let pack = dir.join("pack.pdf").to_string_lossy().into_owned();
    let letter = dir.join("letter.docx").to_string_lossy().into_owned();
    // Rapid review first, notification in the middle: the order does not matter.
    let output = Command::new(binary)
        .args([
            "pack",
            &review,
            &gp,
            &notification,
            &police,
            "--format",
            "pdf",
            "-o",
            &pack,
            "--date",
            "2026-03-14",
            "--letter",
            &letter,
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = normalise(&run("pdftotext", &[&pack, "-"]));
    assert!(text.contains("Rapid review pack: KSCP-2026-014"));
    assert!(text.contains("14 March 2026"));
    assert!(text.contains("East Kent Hospitals University NHS Foundation Trust"));
    assert!(Path::new(&letter).is_file());

    // Several files into a folder.
    let out = dir.join("rendered");
    let out_text = out.to_string_lossy().into_owned();
    let status = Command::new(binary)
        .args([
            "render",
            &notification,
            &gp,
            "--format",
            "docx",
            "-o",
            &out_text,
            "--date",
            "2026-03-14",
        ])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success());
    assert!(
        out.join("kscp-2026-014-child-l-serious-harm.docx")
            .is_file()
    );
    assert!(out.join("kscp-2026-014-gp.docx").is_file());

    // A final report as published: marked OFFICIAL, not OFFICIAL-SENSITIVE.
    let report = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/final-report/valid/kscp-2026-014-child-l.json")
        .to_string_lossy()
        .into_owned();
    let published = dir.join("published.docx");
    let status = Command::new(binary)
        .args([
            "render",
            &report,
            "--format",
            "docx",
            "--marking",
            "official",
            "-o",
        ])
        .arg(&published)
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success());
    let bytes = std::fs::read(&published).unwrap_or_else(|e| panic!("{e}"));
    let header = word_fill::read_part(&bytes, "word/header1.xml");
    assert!(
        header.contains("OFFICIAL") && !header.contains("OFFICIAL-SENSITIVE"),
        "{header}"
    );
    let output = Command::new(binary)
        .args(["render", &report, "--format", "docx", "--marking", "secret"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("official-sensitive"), "{message}");

    // An invalid submission is refused with a pointer to validate, and nothing of its content.
    let invalid = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/agency-summary/invalid/lorem-ipsum-summary.json")
        .to_string_lossy()
        .into_owned();
    let output = Command::new(binary)
        .args([
            "render",
            &invalid,
            "--format",
            "pdf",
            "-o",
            &dir.join("x.pdf").to_string_lossy(),
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("safeguarding-forms validate"), "{message}");
    assert!(!message.contains("Lorem ipsum"), "{message}");
}
