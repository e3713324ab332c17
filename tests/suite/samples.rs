//! Every sample in `samples/` behaves as it says: valid ones raise nothing, each invalid one
//! raises exactly the rules named in its `_expect`.

use std::path::{Path, PathBuf};

use safeguarding_forms::forms::Registry;
use safeguarding_forms::validate::{self, input};
use serde_json::Value;

fn samples(form: &str, kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(form)
        .join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

fn load(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    input::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn valid_samples_raise_nothing() {
    let registry = Registry::load().expect("forms load");
    for form in registry.forms() {
        let files = samples(form.id(), "valid");
        assert!(
            files.len() >= 2,
            "{} needs at least 2 valid samples",
            form.id()
        );
        for path in files {
            let doc = load(&path);
            let report = validate::validate(&registry, &doc).expect("form detected");
            assert_eq!(report.form, form.id(), "{}", path.display());
            assert!(
                report.findings.is_empty(),
                "{} should be valid with no warnings:\n{report}",
                path.display()
            );
        }
    }
}

#[test]
fn invalid_samples_raise_exactly_their_expected_rules() {
    let registry = Registry::load().expect("forms load");
    let mut failures = Vec::new();
    for form in registry.forms() {
        let files = samples(form.id(), "invalid");
        assert!(
            files.len() >= 4,
            "{} needs at least 4 invalid samples",
            form.id()
        );
        for path in files {
            let mut doc = load(&path);
            let expected = doc
                .as_object_mut()
                .and_then(|map| map.remove("_expect"))
                .unwrap_or_else(|| panic!("{} has no _expect", path.display()));
            let mut expected: Vec<String> = serde_json::from_value(expected)
                .unwrap_or_else(|e| panic!("{}: _expect: {e}", path.display()));
            expected.sort();
            expected.dedup();
            assert!(!expected.is_empty(), "{}: _expect is empty", path.display());
            let report = validate::validate(&registry, &doc).expect("form detected");
            let fired: Vec<String> = report.rules().into_iter().map(str::to_owned).collect();
            if fired != expected {
                failures.push(format!(
                    "{}: expected {expected:?}, fired {fired:?}\n{report}",
                    path.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_finding_is_complete() {
    let registry = Registry::load().expect("forms load");
    for form in registry.forms() {
        for path in samples(form.id(), "invalid") {
            let mut doc = load(&path);
            doc.as_object_mut().map(|map| map.remove("_expect"));
            let report = validate::validate(&registry, &doc).expect("form detected");
            for finding in &report.findings {
                assert!(!finding.message.is_empty(), "{finding:?}");
                assert!(!finding.source.is_empty(), "{finding:?}");
                assert!(!finding.field.is_empty(), "{finding:?}");
                assert!(
                    finding.pointer.is_empty() || !finding.message.contains(&finding.pointer),
                    "message should name fields, not pointers: {finding:?}"
                );
            }
        }
    }
}
