//! How long rendering to Word takes: the shared sample with 23 sections, which LibreOffice lays
//! out as 30 A4 pages (checked by hand; see docs/notes/docx.md), and one agency summary, the
//! small document the service renders most often.

#[path = "../tests/suite/support/sample_document.rs"]
mod sample_document;

use std::hint::black_box;
use std::path::Path;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use safeguarding_forms::assemble::{Assembler, MetadataBuilder};
use safeguarding_forms::forms::Registry;
use safeguarding_forms::render::docx::render_docx;

fn render(c: &mut Criterion) {
    let doc = sample_document::sample_document(23);
    c.bench_function("render_docx 30 pages", |b| {
        b.iter(|| render_docx(black_box(&doc)))
    });

    let registry = Registry::load().expect("the built-in forms load");
    let date = NaiveDate::from_ymd_opt(2026, 3, 14).expect("a date");
    let assembler = Assembler::new(&registry, MetadataBuilder::new(date)).expect("templates");
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/agency-summary/valid/kscp-2026-014-kent-police.json");
    let text = std::fs::read_to_string(path).expect("the sample reads");
    let submission = serde_json::from_str(&text).expect("the sample parses");
    let summary = assembler.form_document(&submission).expect("assembles");
    c.bench_function("render_docx agency summary", |b| {
        b.iter(|| render_docx(black_box(&summary)))
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
