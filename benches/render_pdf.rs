//! PDF rendering speed for a report of about 30 pages (title, contents, 25 sections each with
//! headings, lists and a 12-row table).
//!
//! - `cold`: the first render in the process, printed once before criterion starts (fonts,
//!   library and typst's caches all built from nothing);
//! - `render_pdf/unchanged`: the same document again (typst's memoised layout reused);
//! - `render_pdf/edited`: a document whose text differs on every iteration, as in a service
//!   rendering one submission after another;
//! - `render_pdf/chronology_400_rows`: one long multi-agency chronology table (a known slow
//!   path in typst is very long tables).

#[path = "../tests/suite/support/sample_document.rs"]
mod sample_document;

use std::hint::black_box;
use std::time::Instant;

use criterion::{BatchSize, Criterion};
use safeguarding_forms::assemble::model::{Block, Document, Inline};
use safeguarding_forms::render::pdf::render_pdf;
use sample_document::{sample_document, sample_metadata};

/// Sections in the benchmark document: about 30 A4 pages.
const SECTIONS: usize = 25;

fn bench_render(c: &mut Criterion) {
    let doc = sample_document(SECTIONS);
    let mut group = c.benchmark_group("render_pdf");
    group.sample_size(20);
    group.bench_function("unchanged", |b| {
        b.iter(|| render_pdf(black_box(&doc)).expect("render"))
    });
    let mut edit = 0u64;
    group.bench_function("edited", |b| {
        b.iter_batched(
            || {
                edit += 1;
                let mut edited = doc.clone();
                edited.blocks.push(Block::Paragraph {
                    text: vec![Inline::text(format!("Revision {edit}"))],
                });
                edited
            },
            |edited| render_pdf(&edited).expect("render"),
            BatchSize::SmallInput,
        )
    });
    let chronology = chronology(400);
    group.bench_function("chronology_400_rows", |b| {
        b.iter(|| render_pdf(black_box(&chronology)).expect("render"))
    });
    group.finish();
}

fn chronology(rows: usize) -> Document {
    let cell = |s: String| vec![Inline::text(s)];
    let rows = (1..=rows)
        .map(|n| {
            vec![
                cell(format!("{:02} March 2025", n % 28 + 1)),
                cell(
                    if n % 3 == 0 {
                        "Kent Police"
                    } else {
                        "Health visiting"
                    }
                    .to_owned(),
                ),
                cell(format!(
                    "Event {n}: contact with the family recorded; no referral made."
                )),
            ]
        })
        .collect();
    Document {
        meta: sample_metadata("Multi-agency chronology"),
        blocks: vec![Block::Table {
            header: vec![
                cell("Date".to_owned()),
                cell("Agency".to_owned()),
                cell("Event".to_owned()),
            ],
            rows,
            widths: Vec::new(),
        }],
    }
}

fn main() {
    let doc = sample_document(SECTIONS);
    let start = Instant::now();
    let pdf = render_pdf(&doc).expect("render");
    println!(
        "render_pdf/cold: {:.1} ms for {} bytes (first render in this process)",
        start.elapsed().as_secs_f64() * 1000.0,
        pdf.len()
    );
    let mut criterion = Criterion::default().configure_from_args();
    bench_render(&mut criterion);
    criterion.final_summary();
}
