//! Assembly of every document from the samples: the text a reader needs is there, typed text
//! comes through exactly as typed, and the output is deterministic.

use crate::support::assemble as assemble_support;

use std::path::{Path, PathBuf};

use serde_json::Value;

use assemble_support::{
    assembler, assert_has_mandatory, case_014_summaries, date, document_text, normalise, one,
    samples,
};
use safeguarding_forms::assemble::model::{Block, Document, plain_text};
use safeguarding_forms::assemble::{Assembler, MetadataBuilder, Templates};
use safeguarding_forms::forms::Registry;

#[test]
fn every_valid_sample_assembles_with_every_mandatory_value() {
    let (registry, assembler) = assembler();
    let mut count = 0;
    for form in registry
        .forms()
        .filter(|f| assembler.templates().names().iter().any(|n| n == f.id()))
    {
        for (path, submission) in samples(form.id()) {
            let document = assembler
                .form_document(&submission)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(matches!(document.blocks.first(), Some(Block::Title { .. })));
            assert!(!document.meta.title.is_empty());
            assert_has_mandatory(
                &registry,
                &submission,
                &document,
                &path.display().to_string(),
            );
            count += 1;
        }
    }
    assert!(count >= 17, "only {count} samples assembled");
}

#[test]
fn the_pack_collates_every_part_and_lists_agencies_not_returned() {
    let (registry, assembler) = assembler();
    let notification = one("csprp-notification", "2026-014");
    let review = one("rapid-review", "2026-014");
    let summaries = case_014_summaries();
    let asked: Vec<String> = notification["agencies_involved"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|agency| agency["id"].as_str().map(str::to_owned))
        .collect();
    let pack = assembler
        .rapid_review_pack(&notification, &summaries, &review, &asked)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(pack.blocks.contains(&Block::Contents));
    assert_eq!(pack.meta.title, "Rapid review pack: KSCP-2026-014");
    assert_has_mandatory(&registry, &notification, &pack, "pack (notification)");
    assert_has_mandatory(&registry, &review, &pack, "pack (rapid review)");
    for summary in &summaries {
        assert_has_mandatory(&registry, summary, &pack, "pack (agency summary)");
    }
    let text = document_text(&pack);
    let not_returned_at = text
        .find("Agencies asked that have not returned a summary")
        .unwrap_or_else(|| panic!("no list of agencies not returned in:\n{text}"));
    let after = &text[not_returned_at..];
    // Asked in the notification, with no summary among the samples.
    for missing in [
        "South East Coast Ambulance Service NHS Foundation Trust",
        "The Education People",
    ] {
        assert!(
            after.contains(missing),
            "{missing} not listed as not returned"
        );
    }
    let returned: Vec<&str> = summaries
        .iter()
        .filter_map(|s| s["agency"]["name"].as_str())
        .collect();
    let list_end = after.find("Agency summary").unwrap_or(after.len());
    for name in returned {
        assert!(
            !after[..list_end.min(after.len())].contains(&format!("{name}:")),
            "{name} returned a summary but is listed as not returned"
        );
    }
    // Agencies appear agency by agency, alphabetically.
    let headings: Vec<String> = pack
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level: 2, text } => Some(plain_text(text)),
            _ => None,
        })
        .filter(|h| summaries.iter().any(|s| s["agency"]["name"] == h.as_str()))
        .collect();
    let mut sorted = headings.clone();
    sorted.sort_by_key(|h| h.to_lowercase());
    assert_eq!(headings.len(), summaries.len());
    assert_eq!(headings, sorted);
}

#[test]
fn the_pack_refuses_a_file_of_the_wrong_form() {
    let (_, assembler) = assembler();
    let notification = one("csprp-notification", "2026-014");
    let review = one("rapid-review", "2026-014");
    let error = assembler
        .rapid_review_pack(&review, &[], &notification, &[])
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        error.contains("The notification should be a \"csprp-notification\" form"),
        "{error}"
    );
}

#[test]
fn the_covering_letter_gives_the_decision_with_reasons_and_the_national_recommendation() {
    let (_, assembler) = assembler();
    for (notification, review) in [("2026-014", "2026-014"), ("2026-021", "2026-021")] {
        let notification = one("csprp-notification", notification);
        let review = one("rapid-review", review);
        let letter = assembler
            .covering_letter(&notification, &review)
            .unwrap_or_else(|e| panic!("{e}"));
        let text = normalise(&document_text(&letter));
        let met = review["decision"]["lcspr_criteria_met"].as_bool() == Some(true);
        let verdict = if met { "are met" } else { "are not met" };
        for needle in [
            "Child Safeguarding Practice Review Panel".to_owned(),
            format!("the criteria for a local child safeguarding practice review {verdict}"),
            normalise(review["decision"]["reasons"].as_str().unwrap_or("?")),
            normalise(review["national_review"]["reasons"].as_str().unwrap_or("?")),
            "14 March 2026".to_owned(),
            "Yours faithfully".to_owned(),
        ] {
            assert!(text.contains(&needle), "letter lacks {needle:?}:\n{text}");
        }
        for partner in review["sign_off"].as_array().into_iter().flatten() {
            let name = partner["name"].as_str().unwrap_or("?");
            assert!(text.contains(name), "letter not signed by {name}");
        }
    }
}

#[test]
fn the_improvements_only_publication_carries_the_improvements_and_no_full_report() {
    let (_, assembler) = assembler();
    let report = one("final-report", "not-in-full");
    let document = assembler
        .improvements_only(&report)
        .unwrap_or_else(|e| panic!("{e}"));
    let text = normalise(&document_text(&document));
    for pointer in [
        "/improvements_summary",
        "/systemic_analysis",
        "/publication/not_in_full_reason",
        "/case_pseudonym",
    ] {
        let value = normalise(
            report
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or("?"),
        );
        assert!(text.contains(&value), "missing {pointer}");
    }
    for recommendation in report["recommendations"].as_array().into_iter().flatten() {
        let value = normalise(recommendation["text"].as_str().unwrap_or("?"));
        assert!(text.contains(&value), "missing recommendation {value}");
    }
    for reviewer in report["reviewers"].as_array().into_iter().flatten() {
        assert!(text.contains(reviewer["name"].as_str().unwrap_or("?")));
    }
    // The findings and the family's story stay out of the improvements-only publication.
    for pointer in ["/child_perspective", "/family_context"] {
        let value = normalise(
            report
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or("?"),
        );
        assert!(!text.contains(&value), "{pointer} should not be published");
    }
}

#[test]
fn the_final_report_has_contents_and_every_finding() {
    let (registry, assembler) = assembler();
    for (_, report) in samples("final-report") {
        let document = assembler
            .final_report(&report)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(document.blocks.contains(&Block::Contents));
        assert_eq!(document.meta.title, report["title"].as_str().unwrap_or("?"));
        assert_has_mandatory(&registry, &report, &document, "final report");
    }
}

const HOSTILE: &[&str] = &[
    "* not a bullet",
    "# not a heading",
    "| not | a | table |",
    "<script>alert(1)</script> & <b>bold</b>",
    "{{case_reference}} and {{{raw}}}",
    "_underscores_ and **stars** and `code`",
    "[a link](https://example.org) and ![image](x.png)",
    "1. not a list",
    "- not a list either",
    "back\\slash \\* escaped",
    "> not a quote",
    "--- not a rule",
    "[[contents]]",
    "[[pagebreak]]",
    "% not a title",
    "    four spaces first",
];

/// Replaces the string at `pointer` with `text`.
fn with_text(submission: &Value, pointer: &str, text: &str) -> Value {
    let mut changed = submission.clone();
    if let Some(slot) = changed.pointer_mut(pointer) {
        *slot = Value::String(text.to_owned());
    } else {
        panic!("no field {pointer}");
    }
    changed
}

fn block_shape(document: &Document) -> Vec<String> {
    fn shape(block: &Block) -> String {
        match block {
            Block::Title { .. } => "title".into(),
            Block::Heading { level, .. } => format!("h{level}"),
            Block::Paragraph { .. } => "p".into(),
            Block::List { ordered, items } => format!(
                "list({ordered}:{})",
                items
                    .iter()
                    .map(|item| item.iter().map(shape).collect::<Vec<_>>().join(","))
                    .collect::<Vec<_>>()
                    .join(";")
            ),
            Block::Table { header, rows, .. } => format!("table({}x{})", header.len(), rows.len()),
            Block::Chart(chart) => format!("chart({})", chart.items.len()),
            Block::Contents => "contents".into(),
            Block::PageBreak => "pagebreak".into(),
        }
    }
    document.blocks.iter().map(shape).collect()
}

#[test]
fn hostile_text_appears_exactly_as_typed_and_adds_no_blocks() {
    let (_, assembler) = assembler();
    let notification = one("csprp-notification", "2026-014");
    let plain = assembler
        .form_document(&notification)
        .unwrap_or_else(|e| panic!("{e}"));
    // A paragraph, a table cell, a list item and a cell of a repeated row.
    for pointer in [
        "/summary",
        "/notifier/role",
        "/agencies_involved/0/name",
        "/household_children/0/immediate_safeguarding_action",
    ] {
        for typed in HOSTILE {
            let changed = with_text(&notification, pointer, typed);
            let document = assembler
                .form_document(&changed)
                .unwrap_or_else(|e| panic!("{pointer} {typed:?}: {e}"));
            assert_eq!(
                block_shape(&document),
                block_shape(&plain),
                "{typed:?} at {pointer} changed the document's structure"
            );
            assert!(
                document_text(&document).contains(typed.trim()),
                "{typed:?} at {pointer} did not come through as typed"
            );
        }
    }
}

#[test]
fn line_breaks_typed_in_a_table_cell_stay_in_the_cell() {
    let (_, assembler) = assembler();
    let notification = one("csprp-notification", "2026-014");
    let plain = assembler
        .form_document(&notification)
        .unwrap_or_else(|e| panic!("{e}"));
    let changed = with_text(
        &notification,
        "/household_children/0/immediate_safeguarding_action",
        "First line | with a bar\nSecond line\r\n\r\n| Third |",
    );
    let document = assembler
        .form_document(&changed)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(block_shape(&document), block_shape(&plain));
    let text = document_text(&document);
    assert!(
        text.contains("First line | with a bar Second line  | Third |"),
        "{text}"
    );
}

#[test]
fn hostile_text_in_a_heading_stays_one_heading() {
    let (_, assembler) = assembler();
    let summary = one("agency-summary", "2026-014-gp");
    let plain = assembler
        .form_document(&summary)
        .unwrap_or_else(|e| panic!("{e}"));
    for typed in HOSTILE {
        let changed = with_text(&summary, "/agency/name", typed);
        let document = assembler
            .form_document(&changed)
            .unwrap_or_else(|e| panic!("{typed:?}: {e}"));
        assert_eq!(block_shape(&document), block_shape(&plain), "{typed:?}");
        let heading = document.blocks.iter().find_map(|b| match b {
            Block::Heading { level: 2, text } => Some(plain_text(text)),
            _ => None,
        });
        assert_eq!(heading.as_deref(), Some(*typed), "{typed:?}");
    }
}

#[test]
fn output_is_deterministic() {
    let (_, first) = assembler();
    let (_, second) = assembler();
    for (_, report) in samples("final-report") {
        let a = first
            .final_report(&report)
            .unwrap_or_else(|e| panic!("{e}"));
        let b = second
            .final_report(&report)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a, b);
        assert_eq!(a.meta.date, date());
        assert_eq!(a.meta.marking, "OFFICIAL-SENSITIVE");
        assert_eq!(a.meta.language, "en-GB");
    }
}

fn fixture_templates(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/templates")
        .join(name)
}

#[test]
fn a_broken_template_gives_a_clear_error_naming_it() {
    let registry = Registry::load().unwrap_or_else(|e| panic!("{e}"));
    let error = Templates::from_dir(&registry, &fixture_templates("unclosed"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        error.starts_with("The template \"csprp-notification\" has a mistake"),
        "{error}"
    );
    assert!(error.contains("line 7"), "{error}");
    assert!(error.contains("{{/if}}"), "{error}");
    assert!(!error.contains("expected escape"), "{error}");
}

#[test]
fn a_template_using_triple_braces_is_refused() {
    let registry = Registry::load().unwrap_or_else(|e| panic!("{e}"));
    let error = Templates::from_dir(&registry, &fixture_templates("triple-stash"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(error.contains("\"{{{\""), "{error}");
    assert!(error.contains("\"csprp-notification\""), "{error}");
}

#[test]
fn a_template_asking_for_a_missing_field_names_the_field() {
    let registry = Registry::load().unwrap_or_else(|e| panic!("{e}"));
    let templates = Templates::from_dir(&registry, &fixture_templates("missing-field"))
        .unwrap_or_else(|e| panic!("{e}"));
    let assembler = Assembler::with_templates(&registry, templates, MetadataBuilder::new(date()));
    let error = assembler
        .form_document(&one("csprp-notification", "2026-014"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(error.contains("\"incident.weather\""), "{error}");
    assert!(error.contains("\"csprp-notification\""), "{error}");
}

#[test]
fn deadlines_are_counted_in_working_days_from_the_calendar() {
    let (_, assembler) = assembler();
    // Aware Tuesday 10 February 2026: 5 working days later is Tuesday 17 February.
    let notification = one("csprp-notification", "2026-014");
    let text = normalise(&document_text(
        &assembler
            .form_document(&notification)
            .unwrap_or_else(|e| panic!("{e}")),
    ));
    assert!(
        text.contains("Notification due by (5 working days after the local authority became aware) 17 February 2026"),
        "{text}"
    );
    // Notified Friday 13 February 2026: day 15 is Friday 6 March.
    let review = one("rapid-review", "2026-014");
    let pack = assembler
        .rapid_review_pack(&notification, &[], &review, &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let text = normalise(&document_text(&pack));
    assert!(
        text.contains("Day 15: rapid review sent to the Panel 6 March 2026 5 March 2026"),
        "{text}"
    );
}
