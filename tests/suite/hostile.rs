//! Hostile and malformed input gets a clear error and never a panic, through the library and
//! through the command line.

use std::path::Path;
use std::process::Command;

use safeguarding_forms::forms::Registry;
use safeguarding_forms::validate::{self, input};
use serde_json::{Value, json};

fn sample(form: &str, name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(form)
        .join("valid")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    input::parse(&bytes).expect("sample parses")
}

fn first_valid(form: &str) -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(form)
        .join("valid");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("samples dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    sample(form, &names[0])
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_safeguarding-forms"))
        .args(args)
        .output()
        .expect("binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sf-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

#[test]
fn a_fifty_megabyte_string_is_reported_not_echoed() {
    let registry = Registry::load().expect("forms");
    let mut doc = first_valid("csprp-notification");
    doc["summary"] = Value::String("x".repeat(50 * 1024 * 1024));
    doc["incident"]["aware_date"] = Value::String("y".repeat(50 * 1024 * 1024));
    let report = validate::validate(&registry, &doc).expect("form detected");
    assert!(!report.valid);
    for finding in &report.findings {
        assert!(
            finding.message.len() < 1_000,
            "message echoes the value: {} bytes",
            finding.message.len()
        );
    }
    assert!(report.rules().contains(&"schema.format"), "{report}");
}

#[test]
fn deep_nesting_invalid_utf8_and_bad_dates_get_plain_errors_from_the_cli() {
    let deep = temp_file(
        "deep.json",
        ("[".repeat(10_000) + &"]".repeat(10_000)).as_bytes(),
    );
    let (code, out, err) = cli(&["validate", deep.to_str().expect("utf-8 path")]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.contains("nests lists or groups too deeply"), "{out}");

    let latin1 = temp_file(
        "latin1.json",
        b"{\"form\": \"csprp-notification\", \"x\": \"caf\xe9\"}",
    );
    let (code, out, _) = cli(&["validate", latin1.to_str().expect("utf-8 path")]);
    assert_eq!(code, 2);
    assert!(out.contains("not a text file"), "{out}");

    let mut doc = first_valid("csprp-notification");
    doc["incident"]["incident_date"] = json!("2025-02-30");
    let bad_date = temp_file("bad-date.json", doc.to_string().as_bytes());
    let (code, out, _) = cli(&["validate", bad_date.to_str().expect("utf-8 path")]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("must be a real date written as YYYY-MM-DD"),
        "{out}"
    );
    assert!(out.contains("\"2025-02-30\" is not"), "{out}");

    let unknown = temp_file("unknown.json", br#"{"form": "form-z"}"#);
    let (code, out, _) = cli(&["validate", unknown.to_str().expect("utf-8 path")]);
    assert_eq!(code, 2);
    assert!(
        out.contains("\"form-z\" is not a form this service knows"),
        "{out}"
    );

    let (code, _, err) = cli(&["validate", "/no/such/file.json"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn numbers_as_strings_and_strings_as_numbers_are_type_errors() {
    let registry = Registry::load().expect("forms");
    let mut doc = first_valid("csprp-notification");
    doc["children"][0]["name"] = json!(12345);
    doc["incident"]["aware_date"] = json!(20260101);
    let report = validate::validate(&registry, &doc).expect("form detected");
    let types: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "schema.type")
        .collect();
    assert_eq!(types.len(), 2, "{report}");
    assert!(types.iter().all(|f| {
        f.message
            .contains("should be text, but it is a whole number")
    }));
}

#[test]
fn non_objects_and_missing_form_ids_are_explained() {
    let registry = Registry::load().expect("forms");
    for doc in [json!([]), json!("form"), json!(null), json!(42)] {
        let error = validate::validate(&registry, &doc).expect_err("not a form");
        assert!(error.to_string().contains("not a form"), "{error}");
    }
    let error = validate::validate(&registry, &json!({"case_reference": "X"})).expect_err("no id");
    assert!(
        error.to_string().contains("does not say which form"),
        "{error}"
    );
}

#[test]
fn cli_exit_codes_follow_the_worst_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let valid = root.join("csprp-notification/valid");
    let mut files: Vec<String> = std::fs::read_dir(&valid)
        .expect("samples")
        .filter_map(Result::ok)
        .map(|e| e.path().display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["validate"];
    args.extend(files.iter().map(String::as_str));
    let (code, out, _) = cli(&args);
    assert_eq!(code, 0, "{out}");

    let (code, out, _) = cli(&["forms"]);
    assert_eq!(code, 0);
    for id in [
        "csprp-notification",
        "agency-summary",
        "rapid-review",
        "cdop-form-b",
        "final-report",
    ] {
        assert!(out.contains(id), "{out}");
    }

    let mut doc = first_valid("rapid-review");
    doc["decision"]["reasons"] = json!("N/A");
    let invalid = temp_file("invalid-rr.json", doc.to_string().as_bytes());
    let (code, out, _) = cli(&["validate", "--json", invalid.to_str().expect("utf-8 path")]);
    assert_eq!(code, 1);
    let parsed: Value = serde_json::from_str(&out).expect("--json prints JSON");
    assert_eq!(parsed[0]["report"]["valid"], json!(false));
    assert_eq!(
        parsed[0]["report"]["findings"][0]["rule"],
        json!("text.substantive")
    );
}
