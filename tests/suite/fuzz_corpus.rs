//! The fuzzers' corpus (`fuzz/corpus/`: the seeds and anything a fuzzing run kept, crashes
//! included once fixed) replayed through the same calls the fuzz targets make, on every test
//! run: what once broke a parser stays tested. The coverage-guided runs themselves are
//! `scripts/fuzz` (AFL++ through cargo-afl), recorded in `docs/notes/fuzzing.md`.

use std::path::Path;

use safeguarding_forms::assemble::escape::escape_markdown;
use safeguarding_forms::assemble::markdown::parse;
use safeguarding_forms::check::{CaseForms, ReportInput, check_report};
use safeguarding_forms::forms::Registry;
use safeguarding_forms::validate::{RuleContext, input, validate_form};
use safeguarding_forms::wordforms;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus for {target}");
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path.display().to_string(), bytes)
        })
        .collect()
}

#[test]
fn the_validate_corpus_replays_without_a_panic() {
    let registry = Registry::load().expect("forms load");
    let context = RuleContext::default();
    for (name, bytes) in corpus("validate") {
        let Ok(submission) = input::parse(&bytes) else {
            continue;
        };
        if let Ok(form) = registry.detect(&submission) {
            let report = validate_form(form, &submission, &context);
            assert!(
                report.findings.iter().all(|f| !f.message.is_empty()),
                "{name}"
            );
        }
    }
}

#[test]
fn the_word_corpus_replays_without_a_panic() {
    let registry = Registry::load().expect("forms load");
    for (_, bytes) in corpus("word") {
        let _ = check_report(ReportInput::Docx(&bytes), &CaseForms::none());
        let _ = wordforms::read(&registry, &bytes);
    }
}

#[test]
fn the_markdown_corpus_replays_without_a_panic() {
    for (name, bytes) in corpus("markdown") {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let _ = parse(text);
        assert!(parse(&escape_markdown(text)).blocks.len() <= 1, "{name}");
    }
}
