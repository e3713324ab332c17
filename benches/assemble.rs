//! Assembly speed: a 30-page final report (about 15,000 words) from template to document
//! model, and the rapid review pack of case KSCP-2026-014.

use std::path::Path;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use safeguarding_forms::assemble::model::{Block, plain_text};
use safeguarding_forms::assemble::{Assembler, MetadataBuilder};
use safeguarding_forms::forms::Registry;
use serde_json::Value;

fn sample(form: &str, name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(form)
        .join("valid")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("sample");
    serde_json::from_str(&text).expect("sample parses")
}

/// The KSCP-2026-014 final report with its findings and recommendations repeated until it
/// holds about 15,000 words, some 30 pages of A4.
fn long_report() -> Value {
    let mut report = sample("final-report", "kscp-2026-014-child-l.json");
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    let recommendations = report["recommendations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut all_findings = Vec::new();
    let mut all_recommendations = Vec::new();
    for round in 0..40 {
        all_findings.extend(findings.iter().cloned());
        for recommendation in &recommendations {
            let mut recommendation = recommendation.clone();
            recommendation["number"] = Value::from(all_recommendations.len() + 1);
            all_recommendations.push(recommendation);
        }
        if round % 4 == 0 {
            let extra = format!("{} {}", report["systemic_analysis"], report["methodology"]);
            report["systemic_analysis"] = Value::String(extra.replace('"', ""));
        }
    }
    report["findings"] = Value::Array(all_findings);
    report["recommendations"] = Value::Array(all_recommendations);
    report
}

fn words(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .map(|block| match block {
            Block::Paragraph { text } | Block::Heading { text, .. } => {
                plain_text(text).split_whitespace().count()
            }
            Block::Table { rows, .. } => rows
                .iter()
                .flatten()
                .map(|cell| plain_text(cell).split_whitespace().count())
                .sum(),
            Block::List { items, .. } => items.iter().map(|item| words(item)).sum(),
            _ => 0,
        })
        .sum()
}

fn bench_assemble(c: &mut Criterion) {
    let registry = Registry::load().expect("forms load");
    let date = NaiveDate::from_ymd_opt(2026, 3, 14).expect("date");
    let assembler = Assembler::new(&registry, MetadataBuilder::new(date)).expect("templates");
    let report = long_report();
    let document = assembler.final_report(&report).expect("assembles");
    println!(
        "final report: {} words in {} blocks",
        words(&document.blocks),
        document.blocks.len()
    );
    let notification = sample(
        "csprp-notification",
        "kscp-2026-014-child-l-serious-harm.json",
    );
    let review = sample("rapid-review", "kscp-2026-014-lcspr.json");
    let summaries: Vec<Value> = [
        "kscp-2026-014-east-kent-hospitals.json",
        "kscp-2026-014-gp.json",
        "kscp-2026-014-kcc-childrens-social-care.json",
        "kscp-2026-014-kent-community-health.json",
        "kscp-2026-014-kent-police.json",
    ]
    .iter()
    .map(|name| sample("agency-summary", name))
    .collect();

    let mut group = c.benchmark_group("assemble");
    group.bench_function("final-report-30-pages", |b| {
        b.iter(|| assembler.final_report(&report).expect("assembles"))
    });
    group.bench_function("rapid-review-pack", |b| {
        b.iter(|| {
            assembler
                .rapid_review_pack(&notification, &summaries, &review, &[])
                .expect("assembles")
        })
    });
    group.bench_function("templates-load", |b| {
        b.iter(|| Assembler::new(&registry, MetadataBuilder::new(date)).expect("templates"))
    });
    group.finish();
}

criterion_group!(benches, bench_assemble);
criterion_main!(benches);
