//! What a person reads: each message issue 20 found, before (in the comment) and after (the
//! assertion), on real samples with one field changed. The words come from one place
//! (`validate::words`), so these tests pin the wording the README shows.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use safeguarding_forms::forms::Registry;
use safeguarding_forms::validate::{Finding, Report, RuleContext, input, validate_form};
use serde_json::{Value, json};

/// The day these tests see as today (the plausible-date ranges are measured from it).
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).expect("date")
}

fn sample(path: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(path);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    input::parse(&bytes).expect("sample parses")
}

/// The report of a valid sample with each `(pointer, value)` set.
fn report_with(path: &str, edits: &[(&str, Value)]) -> Report {
    let mut doc = sample(path);
    for (pointer, value) in edits {
        *doc.pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{pointer} is not in {path}")) = value.clone();
    }
    let registry = Registry::load().expect("forms load");
    let form = registry.detect(&doc).expect("form named");
    validate_form(form, &doc, &RuleContext::default().with_today(today()))
}

fn only<'a>(report: &'a Report, pointer: &str) -> &'a Finding {
    let at: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.pointer == pointer)
        .collect();
    assert_eq!(at.len(), 1, "one finding at {pointer}: {report:#?}");
    at[0]
}

const NOTIFICATION: &str = "csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json";
const SUMMARY: &str = "agency-summary/valid/kscp-2026-014-gp.json";
const FORM_B: &str = "cdop-form-b/valid/kmcdop-2026-0087-sudi-non-resident.json";
const FINAL: &str = "final-report/valid/kscp-2026-014-child-l.json";

#[test]
fn list_items_are_counted_from_one_and_named_by_their_list() {
    // Before: "Events: 0 must be one of ..." and "Agencies responsible: 0 is empty or too short".
    let r = report_with(FORM_B, &[("/death/event_triggers/0", json!("drowned"))]);
    let f = only(&r, "/death/event_triggers/0");
    assert_eq!(f.field, "Item 1 of Events");
    assert!(
        f.message.starts_with("Item 1 of Events must be one of: ")
            && f.message
                .ends_with(". It is \"drowned\", which is not one of the options."),
        "{}",
        f.message
    );
    let r = report_with(FINAL, &[("/recommendations/0/owner_agencies/1", json!(""))]);
    let f = only(&r, "/recommendations/0/owner_agencies/1");
    assert_eq!(
        f.message,
        "Item 2 of Agencies responsible is empty or too short. Please fill it in."
    );
}

#[test]
fn numbers_are_written_as_a_person_writes_them() {
    // Before: "Age in years must be at most 17; it is \"1.8446744073709552e+19\"."
    let r = report_with(
        NOTIFICATION,
        &[(
            "/household_children/0/age_years",
            json!(18446744073709551616.0_f64),
        )],
    );
    let f = only(&r, "/household_children/0/age_years");
    assert_eq!(
        f.message,
        "Other children in the household, entry 1: Age in years must be at most 17; it is 18,446,744,073,709,551,616."
    );
    // Before: "... should be a whole number, but it is a number."
    let r = report_with(
        NOTIFICATION,
        &[("/household_children/0/age_years", json!(5e-324))],
    );
    assert_eq!(
        only(&r, "/household_children/0/age_years").message,
        "Other children in the household, entry 1: Age in years should be a whole number, but it is a number just above 0 (closer to 0 than 0.000001)."
    );
    let r = report_with(
        NOTIFICATION,
        &[("/household_children/0/age_years", json!(4.5))],
    );
    assert_eq!(
        only(&r, "/household_children/0/age_years").message,
        "Other children in the household, entry 1: Age in years should be a whole number, but it is 4.5."
    );
    // Before: -0.0 was shown as "-0.0"; it is 0, a whole number, and valid.
    let r = report_with(
        NOTIFICATION,
        &[("/household_children/0/age_years", json!(-0.0))],
    );
    assert!(r.valid, "{r:#?}");
}

#[test]
fn invisible_characters_are_named_and_never_echoed() {
    // Before: "This file was filled in on version \"1.0\" ...; this service reads version \"1.0\"."
    let r = report_with(SUMMARY, &[("/form_version", json!("1.0\u{200b}"))]);
    assert_eq!(
        only(&r, "/form_version").message,
        "This file was filled in on version \"1.0[invisible character U+200B]\" of the Agency summary: initial scoping and information sharing; this service reads version \"1.0\". Please copy the answers into the current version of the form."
    );
    // Before: "... must be an email address such as name@kent.gov.uk; \"lorraine.baker3@nhs.net\" is not."
    let r = report_with(
        SUMMARY,
        &[("/spoc/email", json!("\u{feff}lorraine.baker3@nhs.net"))],
    );
    assert!(
        only(&r, "/spoc/email")
            .message
            .ends_with("; \"[invisible character U+FEFF]lorraine.baker3@nhs.net\" is not."),
        "{r:#?}"
    );
    // Before: the right-to-left override, tab and line break were echoed into the message.
    let r = report_with(
        SUMMARY,
        &[("/agency/id", json!("gp\u{202e}-nhs\t-england\n"))],
    );
    let f = only(&r, "/agency/id");
    assert!(
        f.message
            .contains("\"gp[text-direction character U+202E]-nhs[tab]-england[line break]\""),
        "{}",
        f.message
    );
    assert!(!f.message.chars().any(char::is_control), "{}", f.message);
}

#[test]
fn a_field_of_the_wrong_type_is_reported_once() {
    // Before: the type error and seven "complete the supplementary section" errors, because a
    // condition about the items of a list holds when the "list" is text.
    let r = report_with(FORM_B, &[("/death/event_triggers", json!("sudi-sudc"))]);
    assert_eq!(r.rules(), vec!["schema.type"], "{r:#?}");
    assert_eq!(
        only(&r, "/death/event_triggers").message,
        "Circumstances of death: Events should be a list, but it is text."
    );
    // A rule reading a list that is not one stays silent too (it said "does not say which
    // agency or agencies must act on it" on top of the type error).
    let r = report_with(
        FINAL,
        &[("/recommendations/0/owner_agencies", json!("Kent Police"))],
    );
    assert_eq!(r.rules(), vec!["schema.type"], "{r:#?}");
}

#[test]
fn dates_must_be_plausible_for_their_kind() {
    // Before: year 0000 was accepted as a date of birth, and 9999-12-31 passed every rule as
    // the date a summary was returned.
    let r = report_with(
        NOTIFICATION,
        &[("/children/0/date_of_birth", json!("0000-01-01"))],
    );
    assert_eq!(
        only(&r, "/children/0/date_of_birth").message,
        "Children, entry 1: Date of birth is \"0000-01-01\", which cannot be right for a child's date of birth: it should be between 1 January 1990 and today, 30 November 2026. Please check the date, especially the year."
    );
    assert_eq!(r.rules(), vec!["date.plausible"], "{r:#?}");
    let r = report_with(SUMMARY, &[("/date_returned", json!("9999-12-31"))]);
    let f = only(&r, "/date_returned");
    assert_eq!(f.rule, "date.plausible");
    assert!(
        f.message
            .contains("cannot be right for a date in this case: it should be between 1 January 2000 and 30 November 2027."),
        "{}",
        f.message
    );
    assert_eq!(r.rules(), vec!["date.plausible"], "{r:#?}");
    // A deadline may be years ahead.
    let r = report_with(
        FINAL,
        &[("/recommendations/0/due_date", json!("2031-03-31"))],
    );
    assert!(r.valid, "{r:#?}");
}

#[test]
fn the_cli_explains_unreadable_json_in_plain_english_with_line_and_column() {
    // Before: "This is not valid JSON (line 3, column 22): lone leading surrogate in hex escape."
    let dir = tempfile::tempdir().expect("temporary folder");
    let cases = [
        (
            "{\n  \"form\": \"agency-summary\",\n  \"summary\": \"\\udc00\"\n}\n",
            "This is not valid JSON: at line 3, column 20, a \\u code stands for half of a character pair without its other half. Please check the file there, or export it again from the system that made it.",
        ),
        (
            "{\"form\": \"agency-summary\", \"n\": 1e400}",
            "This is not valid JSON: at line 1, column 37, a number is too large to read. Please check the file there, or export it again from the system that made it.",
        ),
        (
            "{\"form\": \"agency-summary\", \"a\": \"\\ud800x\"}",
            "This is not valid JSON: at line 1, column 40, a \\u code stands for half of a character pair without its other half. Please check the file there, or export it again from the system that made it.",
        ),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("case-{i}.json"));
        std::fs::write(&path, text).expect("write");
        let output = Command::new(env!("CARGO_BIN_EXE_safeguarding-forms"))
            .arg("validate")
            .arg(&path)
            .output()
            .expect("run the CLI");
        assert_eq!(output.status.code(), Some(2));
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            stdout.trim_end(),
            format!("{}: {expected}", path.display()),
            "case {i}"
        );
    }
}

#[test]
fn thousands_of_type_errors_cost_time_in_proportion() {
    // The cascade rule looks each error up by its pointer's ancestors, not against every other
    // error: 20,000 wrong items are 20,000 findings, found in well under a second.
    let items: Vec<Value> = (0..20_000).map(|i| json!(i)).collect();
    let started = std::time::Instant::now();
    let r = report_with(FORM_B, &[("/death/event_triggers", Value::Array(items))]);
    let elapsed = started.elapsed();
    assert_eq!(r.errors, 20_000, "{:?}", r.rules());
    assert_eq!(r.findings[0].field, "Item 1 of Events");
    assert!(elapsed < std::time::Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn no_sample_message_shows_a_hidden_character_or_a_programmers_number() {
    use safeguarding_forms::validate::words::{has_invisible, has_programmer_number};
    let registry = Registry::load().expect("forms load");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut checked = 0;
    for form in registry.forms() {
        let invalid = dir.join(form.id()).join("invalid");
        for entry in std::fs::read_dir(&invalid).expect("samples folder") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("sample");
            let mut doc = input::parse(&bytes).expect("sample parses");
            doc.as_object_mut().map(|map| map.remove("_expect"));
            let report = validate_form(form, &doc, &RuleContext::default().with_today(today()));
            for finding in &report.findings {
                for text in [&finding.message, &finding.field] {
                    assert!(!has_invisible(text), "{}: {text:?}", path.display());
                    assert!(!has_programmer_number(text), "{}: {text:?}", path.display());
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 60, "only {checked} findings checked");
}
