//! The partnership's case list with 1,000 generated cases: read from the store (SQLite), each
//! case's stage, timetable and red / amber / green worked out, and the first page rendered.

use criterion::{Criterion, criterion_group, criterion_main};

use safeguarding_forms::calendar::Config;
use safeguarding_forms::forms::Registry;
use safeguarding_forms::store::{self, Scope};
use safeguarding_forms::web::case_list::{Filter, listed, render};

#[path = "support/many_cases.rs"]
mod many_cases;

const CASES: usize = 1_000;

fn case_list(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}/bench.db", dir.path().display());
    let store = runtime
        .block_on(store::open(&url))
        .expect("the store opens");
    let registry = Registry::load().expect("forms load");
    let calendar = Config::embedded().expect("the calendar loads");
    let today = chrono::Utc::now().date_naive();
    runtime.block_on(many_cases::generate(&*store, &registry, CASES, today));
    let filter = Filter {
        page: 1,
        ..Filter::default()
    };

    let overviews = runtime
        .block_on(store.case_overviews(Scope::All))
        .expect("the cases read");
    assert_eq!(overviews.len(), CASES);
    let mut group = c.benchmark_group("case list, 1,000 cases");
    group.sample_size(20);
    group.bench_function("read from the store", |b| {
        b.iter(|| {
            runtime
                .block_on(store.case_overviews(Scope::All))
                .expect("the cases read")
        });
    });
    group.bench_function("worked out and rendered", |b| {
        b.iter_batched(
            || overviews.clone(),
            |overviews| render(&listed(&registry, &calendar, overviews, today), &filter),
            criterion::BatchSize::LargeInput,
        );
    });
    group.bench_function("whole page on the server", |b| {
        b.iter(|| {
            let overviews = runtime
                .block_on(store.case_overviews(Scope::All))
                .expect("the cases read");
            render(&listed(&registry, &calendar, overviews, today), &filter)
        });
    });
    group.finish();
}

criterion_group!(benches, case_list);
criterion_main!(benches);
