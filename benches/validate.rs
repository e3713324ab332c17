//! Validation speed, side by side for each form: `bare` is the compiled JSON Schema's own
//! `is_valid` on a valid submission, `full` is [`validate_form`] (schema findings, the
//! substantive-text check and the form's rules, calendar included) on the same document, in the
//! same process and run, so the ratio of the two is the cost of everything beyond the schema.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use safeguarding_forms::forms::Registry;
use safeguarding_forms::validate::{self, RuleContext, input};
use serde_json::Value;

fn first_valid(form: &str) -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(form)
        .join("valid");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("samples dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    paths.sort();
    let bytes = std::fs::read(&paths[0]).expect("sample");
    input::parse(&bytes).expect("sample parses")
}

fn bench_validate(c: &mut Criterion) {
    let registry = Registry::load().expect("forms load");
    let context = RuleContext::default();
    for form in registry.forms() {
        let doc = first_valid(form.id());
        assert!(form.validator().is_valid(&doc), "{} sample", form.id());
        assert!(
            validate::validate_form(form, &doc, &context).valid,
            "{} sample",
            form.id()
        );
        let mut group = c.benchmark_group(format!("validate/{}", form.id()));
        group.bench_function("bare", |b| {
            b.iter(|| form.validator().is_valid(std::hint::black_box(&doc)))
        });
        group.bench_function("full", |b| {
            b.iter(|| validate::validate_form(form, std::hint::black_box(&doc), &context))
        });
        group.finish();
    }
}

criterion_group!(benches, bench_validate);
criterion_main!(benches);
