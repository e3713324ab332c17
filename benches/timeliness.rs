//! The timeliness and activity report for 500 generated cases over three years with their
//! actions (issue 18 asks for it in under 200 ms): both periods counted, and the CSV and the
//! document model made from the report.

use criterion::{Criterion, criterion_group, criterion_main};

use safeguarding_forms::calendar::Config;
use safeguarding_forms::timeliness::{self, Period};

#[path = "support/timeliness_world.rs"]
mod timeliness_world;

const CASES: usize = 500;

fn report(c: &mut Criterion) {
    let calendar = Config::embedded().expect("the calendar loads");
    let today = timeliness_world::today();
    let (cases, actions) = timeliness_world::generate(CASES);
    let period = Period::last_12_months(today).expect("a period");
    let made = || {
        timeliness::timeliness_report(&cases, &actions, period, today, &calendar)
            .expect("the report")
    };
    let report = made();
    let mut group = c.benchmark_group("timeliness report, 500 cases over 3 years");
    group.bench_function("figures", |b| b.iter(made));
    group.bench_function("csv", |b| b.iter(|| timeliness::csv::figures(&report)));
    group.bench_function("document model", |b| {
        b.iter(|| timeliness::document::timeliness_document(&report, today))
    });
    group.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
