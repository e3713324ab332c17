//! Fillable Word forms: every valid sample written into its blank form (by editing the
//! content controls' XML, as a person would in Word), read back and compared with the sample;
//! once through LibreOffice; the blank form checked by openxml-audit; hostile files refused.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use regex::Regex;
use serde_json::Value;

use safeguarding_forms::forms::{Form, Registry};
use safeguarding_forms::ooxml::OoxmlError;
use safeguarding_forms::wordforms::{BlankOptions, WordFormError, blank, ingest};

use crate::support::hostile_files;
use crate::support::word_fill;

use hostile_files::{billion_laughs_document, package, zip_bomb};
use word_fill::{fill, longest_list, read_part, with_part, xml_unescape};

fn registry() -> Registry {
    Registry::load().unwrap_or_else(|e| panic!("forms load: {e}"))
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_else(|| panic!("date"))
}

/// Every valid sample of every form: (path, JSON).
fn samples(form: &Form) -> Vec<(PathBuf, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(form.id())
        .join("valid");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no samples for {}", form.id());
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let json =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path, json)
        })
        .collect()
}

fn blank_for(form: &Form, rows: usize) -> Vec<u8> {
    let mut options = BlankOptions::new(date());
    options.rows = rows;
    blank(form, &options).unwrap_or_else(|e| panic!("blank {}: {e}", form.id()))
}

#[test]
fn every_sample_survives_the_round_trip_through_its_word_form() {
    let registry = registry();
    let mut checked = 0;
    for form in registry.forms() {
        for (path, sample) in samples(form) {
            let docx = blank_for(form, longest_list(&sample).max(1));
            let filled = fill(&docx, &sample);
            let read =
                ingest(&registry, &filled).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                read.submission,
                sample,
                "{} did not come back as it went in",
                path.display()
            );
            assert!(read.report.valid, "{}: {}", path.display(), read.report);
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} samples checked");
}

#[test]
fn an_unfilled_form_reads_as_empty_and_findings_name_fields_by_title() {
    let registry = registry();
    let form = registry
        .require("agency-summary")
        .unwrap_or_else(|e| panic!("{e}"));
    let docx = blank_for(form, 2);
    let read = ingest(&registry, &docx).unwrap_or_else(|e| panic!("{e}"));
    // Only the form's name and version: every prompt counts as empty, not as an answer.
    let expected = serde_json::json!({"form": "agency-summary", "form_version": form.version()});
    assert_eq!(read.submission, expected);
    assert!(!read.report.valid);
    let reference = read
        .report
        .findings
        .iter()
        .find(|f| f.message.contains(&form.index().title("/case_reference")))
        .unwrap_or_else(|| panic!("no finding names the case reference: {}", read.report));
    assert!(
        !reference.message.contains("/case_reference"),
        "{reference:?}"
    );
}

/// The package with every content control's tag removed, as LibreOffice 7.4 saves it.
fn without_tags(docx: &[u8]) -> Vec<u8> {
    let xml = read_part(docx, "word/document.xml");
    let tag = Regex::new(r#"<w:tag w:val="[^"]*"/>"#).unwrap_or_else(|e| panic!("{e}"));
    assert!(tag.is_match(&xml), "the form has tags to remove");
    let stripped = tag.replace_all(&xml, "");
    with_part(docx, "word/document.xml", &stripped)
}

#[test]
fn every_sample_reads_back_from_its_bookmarks_when_the_tags_are_lost() {
    let registry = registry();
    for form in registry.forms() {
        for (path, sample) in samples(form) {
            let docx = blank_for(form, longest_list(&sample).max(1));
            let filled = without_tags(&fill(&docx, &sample));
            let read =
                ingest(&registry, &filled).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(read.submission, sample, "{}", path.display());
        }
    }
}

#[test]
fn every_sample_survives_a_save_by_libreoffice() {
    let registry = registry();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
    let (sent, saved) = (dir.path().join("sent"), dir.path().join("saved"));
    std::fs::create_dir_all(&sent).unwrap_or_else(|e| panic!("{e}"));
    let mut expected = Vec::new();
    for form in registry.forms() {
        for (n, (path, sample)) in samples(form).into_iter().enumerate() {
            let docx = blank_for(form, longest_list(&sample).max(1));
            let name = format!("{}-{n}.docx", form.id());
            std::fs::write(sent.join(&name), fill(&docx, &sample))
                .unwrap_or_else(|e| panic!("write {name}: {e}"));
            expected.push((name, path, sample));
        }
    }
    // One LibreOffice run for every file: opening and saving each as Word 2007-365.
    let output = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir"])
        .arg(&saved)
        .args(expected.iter().map(|(name, _, _)| sent.join(name)))
        .env("HOME", dir.path())
        .output()
        .unwrap_or_else(|e| {
            panic!("LibreOffice (soffice) must be installed for this test (apt-get install libreoffice-writer-nogui): {e}")
        });
    assert!(output.status.success(), "soffice failed: {output:?}");
    let mut tags_lost = 0;
    for (name, path, sample) in &expected {
        let bytes = std::fs::read(saved.join(name))
            .unwrap_or_else(|e| panic!("LibreOffice did not write {name}: {e}"));
        if !read_part(&bytes, "word/document.xml").contains("<w:tag ") {
            tags_lost += 1;
        }
        let read = ingest(&registry, &bytes)
            .unwrap_or_else(|e| panic!("{} after LibreOffice: {e}", path.display()));
        assert_eq!(
            &read.submission,
            sample,
            "{} changed on its way through LibreOffice",
            path.display()
        );
        assert!(read.report.valid, "{}: {}", path.display(), read.report);
    }
    // Not a requirement, a record: which path through the reader this test exercised.
    eprintln!(
        "{tags_lost} of {} files came back from LibreOffice without their tags",
        expected.len()
    );
}

#[test]
fn a_form_of_another_version_is_refused_with_a_clear_message() {
    let registry = registry();
    let form = registry
        .require("agency-summary")
        .unwrap_or_else(|e| panic!("{e}"));
    let docx = blank_for(form, 1);
    let xml = read_part(&docx, "word/document.xml");
    let current = format!(">{}</w:t>", form.version());
    assert_eq!(xml.matches(&current).count(), 1, "the version control");
    let older = with_part(
        &docx,
        "word/document.xml",
        &xml.replace(&current, ">0.9</w:t>"),
    );
    for file in [older.clone(), without_tags(&older)] {
        let err = ingest(&registry, &file).expect_err("an older form is refused");
        assert!(
            matches!(err, WordFormError::WrongVersion { ref found, .. } if found == "0.9"),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains("version 0.9") && message.contains(form.version()),
            "{message}"
        );
        assert!(message.contains("download a new blank form"), "{message}");
    }
}

#[test]
fn a_word_document_that_is_not_a_form_is_refused() {
    let registry = registry();
    let document = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Our agency's chronology</w:t></w:r></w:p></w:body></w:document>"#;
    let file = package(&[("word/document.xml", document)]);
    let err = ingest(&registry, &file).expect_err("not a form");
    assert!(matches!(err, WordFormError::NotAForm), "{err:?}");
    assert!(err.to_string().contains("download the blank form"), "{err}");
}

#[test]
fn hostile_files_are_refused_before_anything_is_read() {
    let registry = registry();
    let bomb = zip_bomb("word/document.xml", 2, 2 << 30);
    let err = ingest(&registry, &bomb).expect_err("zip bomb");
    assert!(
        matches!(err, WordFormError::Unreadable(OoxmlError::Bomb { .. })),
        "{err:?}"
    );
    assert!(err.is_in_document());

    let liar = zip_bomb("word/document.xml", 2, 1000);
    let err = ingest(&registry, &liar).expect_err("understated zip bomb");
    assert!(
        matches!(
            err,
            WordFormError::Unreadable(OoxmlError::Bomb { .. } | OoxmlError::Damaged { .. })
        ),
        "{err:?}"
    );

    let laughs = package(&[("word/document.xml", &billion_laughs_document())]);
    let err = ingest(&registry, &laughs).expect_err("billion laughs");
    assert!(
        matches!(err, WordFormError::Unreadable(OoxmlError::Declarations)),
        "{err:?}"
    );

    let pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";
    let err = ingest(&registry, pdf).expect_err("a PDF");
    assert!(
        matches!(err, WordFormError::Unreadable(OoxmlError::Pdf)),
        "{err:?}"
    );

    // Damaged copies of a real form: every cut and every flipped byte gives an error or a
    // reading, never a panic.
    let form = registry
        .require("agency-summary")
        .unwrap_or_else(|e| panic!("{e}"));
    let docx = blank_for(form, 1);
    for cut in (0..docx.len()).step_by(997) {
        let _ = ingest(&registry, &docx[..cut]);
    }
    for at in (0..docx.len()).step_by(211) {
        let mut damaged = docx.clone();
        damaged[at] ^= 0x5A;
        let _ = ingest(&registry, &damaged);
    }
}

#[test]
fn drop_down_items_follow_the_schema_order() {
    let registry = registry();
    let sdt = Regex::new(r"(?s)<w:sdt>.*?</w:sdtPr>").unwrap_or_else(|e| panic!("{e}"));
    let tag = Regex::new(r#"<w:tag w:val="([^"]*)"/>"#).unwrap_or_else(|e| panic!("{e}"));
    let value =
        Regex::new(r#"<w:listItem [^>]*w:value="([^"]*)"/>"#).unwrap_or_else(|e| panic!("{e}"));
    let mut lists = 0;
    for form in registry.forms() {
        let xml = read_part(&blank_for(form, 1), "word/document.xml");
        for control in sdt.find_iter(&xml) {
            let Some(pointer) = tag.captures(control.as_str()).map(|c| xml_unescape(&c[1])) else {
                continue;
            };
            let info = form
                .index()
                .field(&pointer)
                .unwrap_or_else(|| panic!("{pointer} is not a field of {}", form.id()));
            if info.enum_values.is_empty() {
                continue;
            }
            let offered: Vec<String> = value
                .captures_iter(control.as_str())
                .map(|c| xml_unescape(&c[1]))
                .collect();
            assert_eq!(
                offered[..info.enum_values.len()],
                info.enum_values[..],
                "{} {pointer}",
                form.id()
            );
            lists += 1;
        }
    }
    assert!(lists >= 10, "only {lists} drop-down lists checked");
}

#[test]
fn openxml_audit_finds_no_schema_error_in_any_blank_form() {
    let registry = registry();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
    let mut paths = Vec::new();
    for form in registry.forms() {
        let path = dir.path().join(format!("{}.docx", form.id()));
        std::fs::write(&path, blank_for(form, 2)).unwrap_or_else(|e| panic!("{e}"));
        paths.push(path);
    }
    for format in ["office2007", "microsoft365"] {
        let output = std::process::Command::new("openxml-audit")
            .args(["--recursive", "--format", format, "--output", "json"])
            .args(["--max-errors", "0"])
            .arg(dir.path())
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "openxml-audit must be installed for this test (pip install openxml-audit): {e}"
                )
            });
        let out = String::from_utf8_lossy(&output.stdout);
        let report: Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("openxml-audit output: {e}\n{out}"));
        let files = report.as_array().unwrap_or_else(|| panic!("{out}"));
        assert_eq!(files.len(), paths.len(), "{out}");
        for file in files {
            assert_eq!(file["error_count"], 0, "{format}: {file}");
            assert_eq!(file["valid"], true, "{format}: {file}");
        }
    }
}
