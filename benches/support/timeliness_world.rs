//! A deterministic set of cases and actions for the timeliness report: `count` cases started
//! over the three years to [`today`], each with its notification, rapid review, local review
//! and timetable steps (on time, late or not done), the actions raised on its final report's
//! recommendations, and 40 actions from national reviews. The same world every run.
//!
//! Shared by `benches/timeliness.rs` and the document tests
//! (`tests/suite/timeliness_documents.rs`), each including it with `#[path]`. The library's own
//! tests keep their generator, which also records what it decided for the independent
//! computation.

#![allow(dead_code)]

use chrono::{Days, NaiveDate};

use safeguarding_forms::actions::{Action, Agency, Closure, Progress, Source, SourceKind, Status};
use safeguarding_forms::timeliness::{CaseRecord, Origin, RapidReview, StepRecord};

/// The day the report is made.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or(NaiveDate::MIN)
}

fn plus(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days)).unwrap_or(d)
}

fn minus(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(days)).unwrap_or(d)
}

/// A small linear congruential generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const CATEGORIES: [&str; 6] = [
    "physical",
    "emotional",
    "sexual",
    "neglect",
    "criminal-exploitation",
    "extra-familial-harm",
];
const DECISIONS: [&str; 3] = ["lcspr", "alternative-learning-review", "no-review"];
/// Steps of the built-in calendar, with their titles.
const RULES: [(&str, &str); 4] = [
    ("notify-panel", "Notify the Panel"),
    (
        "kent-day-10-summaries",
        "Agency summaries returned (Day 10)",
    ),
    ("rapid-review-to-panel", "Rapid review sent to the Panel"),
    ("publish-lcspr", "Local review published"),
];
const AGENCIES: [(&str, &str); 5] = [
    ("kent-police", "Kent Police"),
    (
        "kcc-childrens-social-care",
        "Kent County Council Children's Social Care",
    ),
    ("kchft", "Kent Community Health NHS Foundation Trust"),
    ("icb", "NHS Kent and Medway Integrated Care Board"),
    (
        "ekhuft",
        "East Kent Hospitals University NHS Foundation Trust",
    ),
];

/// `count` cases over the three years to [`today`], and their actions.
pub fn generate(count: usize) -> (Vec<CaseRecord>, Vec<Action>) {
    let mut rng = Lcg(20_261_123);
    let today = today();
    let first = minus(today, 3 * 365);
    let span = (today - first).num_days().unsigned_abs().max(1);
    let mut cases = Vec::with_capacity(count);
    let mut actions = Vec::new();
    for n in 0..count {
        let start = plus(first, rng.below(span));
        let reference = format!("KSCP-{n:04}");
        let notified = (!rng.chance(10)).then(|| plus(start, rng.below(8)));
        let origin = match rng.below(20) {
            0 => None,
            1..=8 => Some(Origin::Death),
            _ => Some(Origin::SeriousHarm),
        };
        let mut categories: Vec<String> = Vec::new();
        for _ in 0..=rng.below(3) {
            let category = (*rng.pick(&CATEGORIES)).to_owned();
            if !categories.contains(&category) {
                categories.push(category);
            }
        }
        let rapid_review = notified
            .filter(|_| rng.chance(85))
            .map(|n| RapidReview {
                decision: (*rng.pick(&DECISIONS)).to_owned(),
                date: plus(n, 10 + rng.below(20)),
            })
            .filter(|r| r.date <= today);
        let commissioned = rapid_review
            .as_ref()
            .filter(|r| r.decision == "lcspr")
            .map(|r| r.date);
        let published = commissioned
            .map(|c| plus(c, 120 + rng.below(200)))
            .filter(|p| *p <= today && rng.chance(80));
        let mut steps = Vec::new();
        for (i, (rule, title)) in RULES.iter().enumerate() {
            if rng.chance(20) {
                continue;
            }
            let due = plus(start, 5 + 20 * i as u64 + rng.below(10));
            let done = match rng.below(20) {
                0..=11 => Some(minus(due, rng.below(4))),
                12..=16 => Some(plus(due, 1 + rng.below(30))),
                _ => None,
            }
            .filter(|d| *d <= today);
            let late_reason = done
                .filter(|d| *d > due && rng.chance(50))
                .map(|_| "Waiting for the police investigation to finish".to_owned());
            steps.push(StepRecord {
                rule: (*rule).to_owned(),
                title: (*title).to_owned(),
                due,
                done,
                late_reason,
            });
        }
        if let Some(raised) = commissioned.map(|c| plus(c, 100)) {
            for r in 0..rng.below(5) {
                action(&mut rng, &mut actions, &reference, r as u32 + 1, raised);
            }
        }
        cases.push(CaseRecord {
            reference,
            origin: notified.and(origin),
            categories: if notified.is_some() {
                categories
            } else {
                Vec::new()
            },
            notified,
            rapid_review,
            review_commissioned: commissioned,
            review_published: published,
            steps,
        });
    }
    for r in 0..40 {
        let raised = plus(first, rng.below(span));
        action(&mut rng, &mut actions, "", r + 1, raised);
    }
    (cases, actions)
}

fn action(rng: &mut Lcg, actions: &mut Vec<Action>, case: &str, number: u32, raised: NaiveDate) {
    let today = today();
    if raised > today {
        return;
    }
    let (id, name) = *rng.pick(&AGENCIES);
    let source = if case.is_empty() {
        Source {
            kind: SourceKind::NationalReview,
            reference: format!("National review {number}"),
            case_reference: None,
            recommendation: None,
        }
    } else {
        Source {
            kind: SourceKind::FinalReportRecommendation,
            reference: format!("{case} final report, recommendation {number}"),
            case_reference: Some(case.to_owned()),
            recommendation: Some(number),
        }
    };
    let mut status = Status::NotStarted;
    let mut progress = Vec::new();
    let mut at = raised;
    let mut completed_date = None;
    let mut closure = None;
    for next in [Status::InProgress, Status::Completed, Status::Closed] {
        if !rng.chance(70) {
            break;
        }
        at = plus(at, 1 + rng.below(150));
        if at > today {
            break;
        }
        match next {
            Status::InProgress => progress.push(Progress {
                date: at,
                author: "A. Lead".into(),
                text: "Started.".into(),
            }),
            Status::Completed => completed_date = Some(at),
            _ => {
                closure = Some(Closure {
                    by: "Partnership manager".into(),
                    date: at,
                })
            }
        }
        status = next;
    }
    actions.push(Action {
        id: format!("{case}:R{number}:{id}:{}", actions.len()),
        source,
        action: "Audit the sharing of information at the front door, and check it changed.".into(),
        agency: Agency {
            id: id.into(),
            name: name.into(),
        },
        lead: Some("A. Lead".into()),
        raised_date: raised,
        due_date: (!rng.chance(10)).then(|| plus(raised, 30 + rng.below(400))),
        status,
        completed_date,
        closure,
        progress,
        impact: status.is_done().then(|| "Audit shows the change.".into()),
    });
}
