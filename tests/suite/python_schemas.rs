//! The schemas and samples checked by a second, independent JSON Schema implementation
//! (Python `jsonschema`), so a bug in the Rust validator cannot hide a bug in a schema.
//! Needs `python3` with the `jsonschema` package (installed by `scripts/install-test-tools`).

use std::process::Command;

#[test]
fn python_jsonschema_agrees_with_every_schema_and_sample() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/check_schemas.py");
    let output = Command::new("python3")
        .arg(script)
        .output()
        .expect("python3 must be installed: run scripts/install-test-tools");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "check_schemas.py failed:\n{stdout}\n{stderr}"
    );
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.ends_with(" passed, 0 failed") && !summary.starts_with("0 passed"),
        "unexpected summary: {summary}"
    );
}
