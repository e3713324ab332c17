//! The engine against a second validator (Python `jsonschema`, format assertion on) on
//! thousands of seeded mutants of every valid sample: `tests/python/differential.py` says what
//! fails the run (a document Python rejects that the engine accepts, a schema error only the
//! engine sees and nobody explained, an exit 2 for a JSON document naming a form, a message
//! with a control character, a programmer's number or a raw index). Bounded for CI: 200 mutants
//! per sample, one seed; `docs/notes/validate.md` records a larger run.

use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn engine_and_python_jsonschema_agree_on_mutated_submissions() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/differential.py");
    let keep = tempfile::tempdir().expect("temporary folder");
    let started = Instant::now();
    let output = Command::new("python3")
        .arg(script)
        .args(["--binary", env!("CARGO_BIN_EXE_safeguarding-forms")])
        .args(["--seed", "20", "--per-sample", "200"])
        .arg("--keep")
        .arg(keep.path())
        .output()
        .expect("python3 must be installed: run scripts/install-test-tools");
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "differential.py failed:\n{stdout}\n{stderr}"
    );
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with("differential: ") && summary.contains(", 0 failures;"),
        "unexpected summary: {summary}"
    );
    // The mutants really were made and checked (not an empty run that passes vacuously).
    let mutants: usize = summary
        .trim_start_matches("differential: ")
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(mutants >= 3_000, "{summary}");
    assert!(
        elapsed < Duration::from_secs(60),
        "took {elapsed:?}: {summary}"
    );
}
