//! Fillable Word forms: generating the largest blank form (CDOP Form B) and reading a filled
//! agency summary back (unzip, parse, types, validation).

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use safeguarding_forms::forms::Registry;
use safeguarding_forms::wordforms::{BlankOptions, CasePrefill, blank, ingest};

fn benches(c: &mut Criterion) {
    let registry = Registry::load().expect("the built-in forms load");
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
    let form_b = registry.require("cdop-form-b").expect("Form B");
    c.bench_function("blank_cdop_form_b", |b| {
        b.iter(|| blank(black_box(form_b), &BlankOptions::new(date)).expect("blank"))
    });

    // A pre-filled agency summary stands in for a filled one: same controls, same reader path.
    let summary = registry.require("agency-summary").expect("agency summary");
    let mut options = BlankOptions::new(date);
    options.prefill = Some(
        CasePrefill {
            case_reference: Some("KSCP-2026-014".into()),
            pseudonym: Some("Child L".into()),
            agency: Some(("kent-police".into(), "Kent Police".into())),
        }
        .for_form(summary),
    );
    let docx = blank(summary, &options).expect("blank");
    c.bench_function("ingest_agency_summary", |b| {
        b.iter(|| ingest(&registry, black_box(&docx)).expect("ingest"))
    });
}

criterion_group!(wordforms, benches);
criterion_main!(wordforms);
