//! Checking a 50-page final report draft: reading the Word file, completeness, recommendations
//! and identifying details (with the case's forms), and the same report as JSON.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use safeguarding_forms::assemble::model::{Block, Document, Inline, Metadata};
use safeguarding_forms::check::{CaseForms, ReportInput, check_report};
use safeguarding_forms::render::docx::render_docx;
use serde_json::{Value, json};

const SENTENCE: &str = "The health visitor saw the family at home and recorded that the baby was unsettled, while police information about arguments at home stayed in a record that health staff could not see.";

fn text(s: &str) -> Vec<Inline> {
    vec![Inline::text(s)]
}

fn heading(level: u8, s: &str) -> Block {
    Block::Heading {
        level,
        text: text(s),
    }
}

fn paragraph(s: &str) -> Block {
    Block::Paragraph { text: text(s) }
}

/// About 28,000 words (some 55 pages of A4): ten chapters of five sections of eight
/// paragraphs, then the mandatory sections and thirty recommendations, a third in a table.
fn fifty_pages() -> Document {
    let body = [SENTENCE; 4].join(" ");
    let mut blocks = vec![
        Block::Title {
            text: text("Local Child Safeguarding Practice Review: Child Q"),
        },
        paragraph("Independent lead reviewer: Dr Amira Patel"),
        heading(1, "Terms of reference"),
        paragraph(
            "The review asked how agencies recognised and responded to signs of physical harm, and how information about domestic abuse was shared. The review covers the period from 1 March 2025 to 31 January 2026.",
        ),
        heading(1, "Methodology"),
        paragraph(
            "The review used a systems approach: agency records were read, practitioners were interviewed and findings were tested with the Practice Review Group.",
        ),
        heading(1, "Involvement of practitioners and family"),
        paragraph(
            "Twelve practitioners and managers took part in a learning event. Child Q's mother met the reviewer twice; the father declined to take part.",
        ),
        heading(1, "Child Q's lived experience"),
        paragraph(
            "Child Q was a baby who could not speak for herself; records rarely describe what her day was like or who held her.",
        ),
    ];
    for chapter in 1..=10 {
        blocks.push(heading(1, &format!("Findings, part {chapter}")));
        for section in 1..=5 {
            blocks.push(heading(
                2,
                &format!("Key practice episode {chapter}.{section}"),
            ));
            for _ in 0..8 {
                blocks.push(paragraph(&body));
            }
        }
    }
    blocks.push(heading(1, "Systemic and underlying reasons"));
    blocks.push(paragraph(&body));
    blocks.push(heading(1, "Summary of recommended improvements"));
    blocks.push(paragraph(&body));
    blocks.push(heading(1, "Recommendations"));
    let recommendation = |n: usize| {
        format!(
            "Kent Police and Kent Community Health NHS Foundation Trust should agree how notification {n} is shared with health visitors, by 31 March 2027."
        )
    };
    blocks.push(Block::List {
        ordered: true,
        items: (1..=20)
            .map(|n| vec![paragraph(&recommendation(n))])
            .collect(),
    });
    blocks.push(Block::Table {
        header: vec![text("Recommendation"), text("Who"), text("By when")],
        rows: (21..=30)
            .map(|n| {
                vec![
                    text(&format!(
                        "Audit the sharing of notification {n} with health visitors."
                    )),
                    text("Kent County Council Children's Social Care"),
                    text("Q2 2027"),
                ]
            })
            .collect(),
        widths: Vec::new(),
    });
    Document {
        meta: Metadata {
            title: "Local Child Safeguarding Practice Review: Child Q".to_owned(),
            subject: "Final report".to_owned(),
            author: "Dr Amira Patel".to_owned(),
            marking: "OFFICIAL-SENSITIVE".to_owned(),
            language: "en-GB".to_owned(),
            date: NaiveDate::from_ymd_opt(2026, 8, 10).unwrap_or(NaiveDate::MIN),
        },
        blocks,
    }
}

/// Identifying details as the notification and the rapid review record hold them.
fn case_forms() -> Vec<(&'static str, Value)> {
    vec![
        (
            "csprp-notification",
            json!({
                "children": [{"name": "Quinn Hughes", "date_of_birth": "2019-05-03"}],
                "household_children": [{"name": "Mason Hughes", "relationship": "brother"}],
                "notifier": {"name": "Joanne Price", "email": "joanne.price@kent.gov.uk", "phone": "03000 412345"}
            }),
        ),
        (
            "rapid-review",
            json!({"identifying_details": {
                "child_name": "Quinn Hughes",
                "date_of_birth": "2019-05-03",
                "address": "14 Mill Lane, Margate",
                "family_members": [{"name": "Kelly Hughes", "relationship": "mother"}]
            }}),
        ),
    ]
}

fn bench_check_report(c: &mut Criterion) {
    let docx = match render_docx(&fifty_pages()) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("could not build the draft: {error}");
            return;
        }
    };
    let registry = safeguarding_forms::forms::Registry::load().expect("forms load");
    let forms = case_forms();
    let case = CaseForms::from_forms(
        forms
            .iter()
            .filter_map(|(id, body)| Some((registry.get(id)?, body))),
    );
    match check_report(ReportInput::Docx(&docx), &case) {
        Ok(check) if check.ready_to_publish && check.recommendations.len() == 30 => {}
        other => {
            eprintln!("the 50-page draft did not check as expected: {other:?}");
            return;
        }
    }
    let json_report: Value =
        match std::fs::read_to_string("samples/final-report/valid/kscp-2026-014-child-l.json")
            .map(|t| serde_json::from_str(&t))
        {
            Ok(Ok(value)) => value,
            _ => Value::Null,
        };
    let assembler = match safeguarding_forms::assemble::Assembler::new(
        &registry,
        safeguarding_forms::assemble::MetadataBuilder::new(NaiveDate::MIN),
    ) {
        Ok(assembler) => assembler,
        Err(error) => {
            eprintln!("the templates did not compile: {error}");
            return;
        }
    };
    let mut group = c.benchmark_group("check_report");
    group.bench_function("docx_50_pages_with_case_forms", |b| {
        b.iter(|| check_report(ReportInput::Docx(black_box(&docx)), &case))
    });
    group.bench_function("docx_50_pages_patterns_only", |b| {
        b.iter(|| check_report(ReportInput::Docx(black_box(&docx)), &CaseForms::none()))
    });
    group.bench_function("json_sample_with_case_forms", |b| {
        b.iter(|| {
            check_report(
                ReportInput::Json(black_box(&json_report), &assembler),
                &case,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench_check_report);
criterion_main!(benches);
