//! How long rendering a report to Word takes: the shared sample with 23 sections, which
//! LibreOffice lays out as 30 A4 pages (checked by hand; see docs/notes/docx.md).

#[path = "../tests/suite/support/sample_document.rs"]
mod sample_document;

use criterion::{Criterion, criterion_group, criterion_main};
use safeguarding_forms::render::docx::render_docx;

fn render(c: &mut Criterion) {
    let doc = sample_document::sample_document(23);
    c.bench_function("render_docx 30 pages", |b| {
        b.iter(|| render_docx(std::hint::black_box(&doc)))
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
