//! Validation speed: one submission of each form against its compiled schema and rules.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use safeguarding_forms::forms::Registry;
use safeguarding_forms::validate::{self, input};
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
    let mut group = c.benchmark_group("validate");
    for form in registry.forms() {
        let doc = first_valid(form.id());
        group.bench_function(form.id(), |b| {
            b.iter(|| validate::validate(&registry, std::hint::black_box(&doc)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_validate);
criterion_main!(benches);
