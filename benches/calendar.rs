//! Calendar speed: working-day arithmetic, bank holidays by rule, configuration parsing and a
//! case timetable.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use safeguarding_forms::calendar::{Config, Event, Events, config::EMBEDDED_TOML, holidays};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn bench_calendar(c: &mut Criterion) {
    let config = match Config::embedded() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("embedded calendar configuration: {error}");
            return;
        }
    };
    let calendar = config.calendar();
    let mut group = c.benchmark_group("calendar");
    group.bench_function("add_working_days_15_over_christmas", |b| {
        b.iter(|| calendar.add_working_days(black_box(date(2026, 12, 15)), black_box(15)))
    });
    group.bench_function("add_working_days_250", |b| {
        b.iter(|| calendar.add_working_days(black_box(date(2026, 1, 5)), black_box(250)))
    });
    group.bench_function("working_days_between_one_year", |b| {
        b.iter(|| {
            calendar.working_days_between(black_box(date(2026, 1, 5)), black_box(date(2027, 1, 5)))
        })
    });
    group.bench_function("bank_holidays_by_rule_one_year", |b| {
        b.iter(|| holidays::bank_holidays(black_box(2026)))
    });
    group.bench_function("parse_embedded_config", |b| {
        b.iter(|| Config::from_toml_str(black_box(EMBEDDED_TOML)))
    });
    let events = Events::from([
        (Event::Incident, date(2026, 2, 9)),
        (Event::Aware, date(2026, 2, 10)),
        (Event::NotificationSent, date(2026, 2, 13)),
        (Event::RapidReviewMeeting, date(2026, 3, 4)),
        (Event::RapidReviewDecision, date(2026, 3, 4)),
        (Event::RapidReviewSentToPanel, date(2026, 3, 5)),
        (Event::Publication, date(2026, 8, 27)),
    ]);
    group.bench_function("timetable_of_a_case", |b| {
        b.iter(|| config.timetable(black_box(&events), black_box(date(2026, 11, 23))))
    });
    group.finish();
}

criterion_group!(benches, bench_calendar);
criterion_main!(benches);
