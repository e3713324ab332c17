//! How long rendering a ~30-page report to Word takes.

#[path = "../tests/support/sample_document.rs"]
mod sample_document;

use criterion::{Criterion, criterion_group, criterion_main};
use safeguarding_forms::render::docx::render_docx;

fn render(c: &mut Criterion) {
    let doc = sample_document::sample_document(30);
    c.bench_function("render_docx 30 sections", |b| {
        b.iter(|| render_docx(std::hint::black_box(&doc)))
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
