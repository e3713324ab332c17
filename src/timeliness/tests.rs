use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use super::*;
use crate::actions::{Agency, Closure, Progress, Source};
use crate::calendar::{Event, Events};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test date")
}

fn plus(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days)).expect("in range")
}

fn minus(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(days)).expect("in range")
}

fn calendar() -> std::sync::Arc<Config> {
    Config::embedded().expect("the built-in calendar loads")
}

const TODAY: (i32, u32, u32) = (2026, 11, 23);

fn today() -> NaiveDate {
    let (y, m, d) = TODAY;
    date(y, m, d)
}

/// A small linear congruential generator (Knuth's MMIX constants): the same cases every run.
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
}

const CATEGORIES: [&str; 8] = [
    "physical",
    "emotional",
    "sexual",
    "neglect",
    "criminal-exploitation",
    "sexual-exploitation",
    "extra-familial-harm",
    "other",
];
const DECISIONS: [&str; 3] = ["lcspr", "alternative-learning-review", "no-review"];
/// Four statutory or local steps of the built-in calendar and one it does not know.
const RULES: [&str; 5] = [
    "notify-panel",
    "kent-day-10-summaries",
    "rapid-review-to-panel",
    "publish-lcspr",
    "a-local-step",
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

/// How the generator decided a step went.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Went {
    OnTime,
    Late,
    NotDone,
}

/// The generated world, with the generator's own record of what it decided, which the
/// independent computation reads instead of the records.
struct World {
    cases: Vec<CaseRecord>,
    actions: Vec<Action>,
    /// Per case and step: how it went.
    steps: Vec<(String, String, NaiveDate, Went)>,
    /// Per action: the dates its status changed, in order.
    histories: Vec<Vec<(NaiveDate, Status)>>,
}

fn generate(count: usize) -> World {
    let mut rng = Lcg(20_261_123);
    let first = date(2023, 11, 24);
    let span = (today() - first).num_days().unsigned_abs();
    let mut world = World {
        cases: Vec::new(),
        actions: Vec::new(),
        steps: Vec::new(),
        histories: Vec::new(),
    };
    for n in 0..count {
        let start = plus(first, rng.below(span));
        let reference = format!("KSCP-{n:04}");
        let notified = (!rng.chance(10)).then(|| plus(start, rng.below(8)));
        let origin = match rng.below(20) {
            0 => None,
            1..=8 => Some(Origin::Death),
            _ => Some(Origin::SeriousHarm),
        };
        let mut categories = Vec::new();
        for _ in 0..=rng.below(3) {
            categories.push(CATEGORIES[rng.below(8) as usize].to_owned());
        }
        let rapid_review = notified
            .filter(|_| rng.chance(85))
            .map(|n| RapidReview {
                decision: DECISIONS[rng.below(3) as usize].to_owned(),
                date: plus(n, 10 + rng.below(20)),
            })
            .filter(|r| r.date <= today());
        let commissioned = rapid_review
            .as_ref()
            .filter(|r| r.decision == "lcspr")
            .map(|r| r.date);
        let published = commissioned
            .map(|c| plus(c, 120 + rng.below(200)))
            .filter(|p| *p <= today() && rng.chance(80));
        let mut steps = Vec::new();
        for (i, rule) in RULES.iter().enumerate() {
            if rng.chance(20) {
                continue;
            }
            let due = plus(start, 5 + 20 * i as u64 + rng.below(10));
            let went = match rng.below(20) {
                0..=11 => Went::OnTime,
                12..=16 => Went::Late,
                _ => Went::NotDone,
            };
            let done = match went {
                Went::OnTime => Some(minus(due, rng.below(4))),
                Went::Late => Some(plus(due, 1 + rng.below(30))),
                Went::NotDone => None,
            }
            .filter(|d| *d <= today());
            // A step planned for later than today is not done yet.
            let went = if done.is_none() { Went::NotDone } else { went };
            let late_reason = (went == Went::Late && rng.chance(50))
                .then(|| "Waiting for the police, \"Operation X\", to finish".to_owned());
            world
                .steps
                .push((reference.clone(), (*rule).to_owned(), due, went));
            steps.push(StepRecord {
                rule: (*rule).to_owned(),
                title: format!("Step {rule}"),
                due,
                done,
                late_reason,
            });
        }
        if let Some(raised) = commissioned.map(|c| plus(c, 100)) {
            for r in 0..rng.below(5) {
                generate_action(&mut rng, &mut world, &reference, r as u32 + 1, raised);
            }
        }
        world.cases.push(CaseRecord {
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
    // Actions from national reviews, owned by the partnership's agencies too.
    for r in 0..40 {
        let raised = plus(first, rng.below(span));
        generate_action(&mut rng, &mut world, "", r + 1, raised);
    }
    world
}

fn generate_action(rng: &mut Lcg, world: &mut World, case: &str, number: u32, raised: NaiveDate) {
    if raised > today() {
        return;
    }
    let (id, name) = AGENCIES[rng.below(5) as usize];
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
    let mut history = vec![(raised, Status::NotStarted)];
    let mut progress = Vec::new();
    let mut at = raised;
    let mut completed_date = None;
    let mut closure = None;
    for next in [Status::InProgress, Status::Completed, Status::Closed] {
        if !rng.chance(70) {
            break;
        }
        at = plus(at, 1 + rng.below(150));
        if at > today() {
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
        history.push((at, next));
    }
    let status = history.last().map_or(Status::NotStarted, |(_, s)| *s);
    world.actions.push(Action {
        id: format!("{case}:R{number}:{id}:{}", world.actions.len()),
        source,
        action: "Do the thing, and check it was done.".into(),
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
    world.histories.push(history);
}

/// The periods of the report, written out by hand: the 12 months to today and the 12 before.
const CURRENT: ((i32, u32, u32), (i32, u32, u32)) = ((2025, 11, 24), (2026, 11, 23));
const PREVIOUS: ((i32, u32, u32), (i32, u32, u32)) = ((2024, 11, 24), (2025, 11, 23));

fn within(d: NaiveDate, (from, to): ((i32, u32, u32), (i32, u32, u32))) -> bool {
    let (from, to) = (date(from.0, from.1, from.2), date(to.0, to.1, to.2));
    d >= from && d <= to
}

fn end_of(period: ((i32, u32, u32), (i32, u32, u32))) -> NaiveDate {
    let (y, m, d) = period.1;
    date(y, m, d)
}

/// The status an action had at the end of `day`, from the generator's own history.
fn truth(history: &[(NaiveDate, Status)], day: NaiveDate) -> Option<Status> {
    history
        .iter()
        .rev()
        .find(|(d, _)| *d <= day)
        .map(|(_, s)| *s)
}

fn pct(part: usize, whole: usize) -> Option<u32> {
    (whole > 0).then(|| (100.0 * part as f64 / whole as f64).round() as u32)
}

/// Every figure of the report, worked out again with plain loops over the generated world.
fn check_against_simple_counts(world: &World, report: &TimelinessReport) {
    for (which, period) in [("current", CURRENT), ("previous", PREVIOUS)] {
        let pick = |f: &Figure| {
            if which == "current" {
                f.current
            } else {
                f.previous
            }
        };
        let notified: Vec<&CaseRecord> = world
            .cases
            .iter()
            .filter(|c| c.notified.is_some_and(|d| within(d, period)))
            .collect();
        let n = &report.notifications;
        assert_eq!(pick(&n.total), notified.len(), "{which} notifications");
        let of = |o: Option<Origin>| notified.iter().filter(|c| c.origin == o).count();
        assert_eq!(pick(&n.deaths), of(Some(Origin::Death)), "{which} deaths");
        assert_eq!(pick(&n.serious_harm), of(Some(Origin::SeriousHarm)));
        assert_eq!(pick(&n.origin_not_recorded), of(None));
        for category in CATEGORIES {
            let expected = notified
                .iter()
                .filter(|c| c.categories.iter().any(|k| k == category))
                .count();
            let got = n
                .by_category
                .iter()
                .find(|b| b.key == category)
                .map_or(0, |b| pick(&b.figure));
            assert_eq!(got, expected, "{which} {category}");
        }
        let decided: Vec<&RapidReview> = world
            .cases
            .iter()
            .filter_map(|c| c.rapid_review.as_ref())
            .filter(|r| within(r.date, period))
            .collect();
        assert_eq!(pick(&report.rapid_reviews.total), decided.len());
        for decision in DECISIONS {
            let expected = decided.iter().filter(|r| r.decision == decision).count();
            let got = report
                .rapid_reviews
                .by_decision
                .iter()
                .find(|b| b.key == decision)
                .map_or(0, |b| pick(&b.figure));
            assert_eq!(got, expected, "{which} {decision}");
        }
        let end = end_of(period);
        let l = &report.local_reviews;
        let commissioned = world
            .cases
            .iter()
            .filter(|c| c.review_commissioned.is_some_and(|d| within(d, period)))
            .count();
        let published = world
            .cases
            .iter()
            .filter(|c| c.review_published.is_some_and(|d| within(d, period)))
            .count();
        let open = world
            .cases
            .iter()
            .filter(|c| match (c.review_commissioned, c.review_published) {
                (Some(c), Some(p)) => c <= end && p > end,
                (Some(c), None) => c <= end,
                _ => false,
            })
            .count();
        assert_eq!(
            (
                pick(&l.commissioned),
                pick(&l.published),
                pick(&l.open_at_end)
            ),
            (commissioned, published, open),
            "{which} local reviews"
        );
        for rule in RULES {
            let due: Vec<&(String, String, NaiveDate, Went)> = world
                .steps
                .iter()
                .filter(|(_, r, d, _)| r == rule && within(*d, period))
                .collect();
            let went = |w: Went| due.iter().filter(|s| s.3 == w).count();
            let overdue = due
                .iter()
                .filter(|s| s.3 == Went::NotDone && s.2 < today())
                .count();
            let step = report
                .steps
                .iter()
                .find(|s| s.rule == rule)
                .expect("every rule has steps");
            assert_eq!(pick(&step.due), due.len(), "{which} {rule} due");
            assert_eq!(pick(&step.on_time), went(Went::OnTime), "{which} {rule}");
            assert_eq!(pick(&step.late), went(Went::Late), "{which} {rule}");
            assert_eq!(pick(&step.overdue), overdue, "{which} {rule}");
            assert_eq!(
                pick(&step.not_yet_due),
                went(Went::NotDone) - overdue,
                "{which} {rule}"
            );
            let share = pct(
                went(Went::OnTime),
                went(Went::OnTime) + went(Went::Late) + overdue,
            );
            let got = if which == "current" {
                step.on_time_share.current
            } else {
                step.on_time_share.previous
            };
            assert_eq!(got, share, "{which} {rule} share");
            if which == "current" {
                assert_eq!(step.late_ones.len(), went(Went::Late) + overdue);
            }
        }
        // Actions, from the generator's history rather than the records.
        let at = end.min(today());
        let a = &report.actions;
        let raised = world
            .actions
            .iter()
            .filter(|x| within(x.raised_date, period))
            .count();
        let completed = world
            .histories
            .iter()
            .filter(|h| {
                h.iter()
                    .any(|(d, s)| *s == Status::Completed && within(*d, period))
            })
            .count();
        assert_eq!((pick(&a.raised), pick(&a.completed)), (raised, completed));
        let mut by_status: BTreeMap<Status, usize> = BTreeMap::new();
        let mut by_agency: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
        let mut overdue_total = 0;
        for (action, history) in world.actions.iter().zip(&world.histories) {
            let Some(status) = truth(history, at) else {
                continue;
            };
            *by_status.entry(status).or_default() += 1;
            let done = status == Status::Completed || status == Status::Closed;
            let overdue = !done && action.due_date.is_some_and(|d| d < at);
            overdue_total += usize::from(overdue);
            let entry = by_agency.entry(action.agency.id.as_str()).or_default();
            entry.0 += 1;
            entry.1 += usize::from(done);
            entry.2 += usize::from(overdue);
        }
        assert_eq!(pick(&a.overdue), overdue_total, "{which} overdue actions");
        for status in Status::ALL {
            let got = a
                .by_status
                .iter()
                .find(|b| b.key == status.code())
                .map_or(0, |b| pick(&b.figure));
            assert_eq!(
                got,
                by_status.get(&status).copied().unwrap_or(0),
                "{which} {status}"
            );
        }
        for (id, (actions, done, overdue)) in by_agency {
            let group = a
                .by_agency
                .iter()
                .find(|g| g.key == id)
                .expect("every agency");
            assert_eq!(
                (
                    pick(&group.actions),
                    pick(&group.done),
                    pick(&group.overdue)
                ),
                (actions, done, overdue),
                "{which} {id}"
            );
        }
        if which == "current" {
            assert_eq!(a.overdue_actions.len(), overdue_total);
        }
    }
}

#[test]
fn the_report_of_500_cases_over_3_years_matches_a_simple_count() {
    let world = generate(500);
    assert_eq!(world.cases.len(), 500);
    assert!(world.actions.len() > 200, "{} actions", world.actions.len());
    let calendar = calendar();
    let period = Period::last_12_months(today()).expect("a period");
    let started = std::time::Instant::now();
    let report = timeliness_report(&world.cases, &world.actions, period, today(), &calendar)
        .expect("a report");
    let took = started.elapsed();
    // An unoptimised test build on a busy machine; a release build takes a fraction of this.
    assert!(took.as_millis() < 200, "took {took:?}");
    assert_eq!(
        (report.previous_period.from, report.previous_period.to),
        (date(2024, 11, 24), date(2025, 11, 23))
    );
    // The generated world has something in every corner the report counts.
    assert!(report.notifications.total.current > 100);
    assert!(report.local_reviews.published.previous > 0);
    assert!(report.actions.overdue.current > 0);
    assert!(report.steps.iter().any(|s| s.overdue.current > 0));
    check_against_simple_counts(&world, &report);
    // The steps come in the calendar's order, the one it does not know last.
    let order: Vec<&str> = report.steps.iter().map(|s| s.rule.as_str()).collect();
    assert_eq!(order, RULES);
    // The report serialises (the JSON the service sends).
    let json = serde_json::to_value(&report).expect("serialises");
    assert_eq!(json["period"]["from"], "2025-11-24");
    assert_eq!(
        json["notifications"]["total"]["current"],
        report.notifications.total.current
    );
    assert!(json["notifications"]["total"]["trend"].is_string());
}

#[test]
fn a_small_report_reads_as_expected_and_writes_csv() {
    let cases = vec![CaseRecord {
        reference: "KSCP-2026-014".into(),
        origin: Some(Origin::SeriousHarm),
        categories: vec!["physical".into(), "physical".into()],
        notified: Some(date(2026, 2, 13)),
        rapid_review: Some(RapidReview {
            decision: "lcspr".into(),
            date: date(2026, 3, 4),
        }),
        review_commissioned: Some(date(2026, 3, 4)),
        review_published: None,
        steps: vec![
            StepRecord {
                rule: "notify-panel".into(),
                title: "Local authority notifies the Panel".into(),
                due: date(2026, 2, 17),
                done: Some(date(2026, 2, 20)),
                late_reason: Some("The social worker was off sick, and \"cover\" was late".into()),
            },
            StepRecord {
                rule: "publish-lcspr".into(),
                title: "Local review completed and published".into(),
                due: date(2026, 9, 4),
                done: None,
                late_reason: None,
            },
        ],
    }];
    let actions = vec![Action {
        id: "KSCP-2026-014:R1:kent-police".into(),
        source: Source {
            kind: SourceKind::FinalReportRecommendation,
            reference: "KSCP-2026-014 final report, recommendation 1".into(),
            case_reference: Some("KSCP-2026-014".into()),
            recommendation: Some(1),
        },
        action: "=cmd|' /C calc'!A0, then audit".into(),
        agency: Agency {
            id: "kent-police".into(),
            name: "Kent Police".into(),
        },
        lead: None,
        raised_date: date(2026, 3, 10),
        due_date: Some(date(2026, 10, 30)),
        status: Status::InProgress,
        completed_date: None,
        closure: None,
        progress: Vec::new(),
        impact: None,
    }];
    let period = Period::last_12_months(today()).expect("a period");
    let report =
        timeliness_report(&cases, &actions, period, today(), &calendar()).expect("a report");
    assert_eq!(report.notifications.total, Figure::new(1, 0));
    assert_eq!(report.notifications.total.trend, Trend::Up);
    assert_eq!(report.notifications.by_category.len(), 1);
    assert_eq!(report.notifications.by_category[0].figure.current, 1);
    assert_eq!(report.local_reviews.open_at_end, Figure::new(1, 0));
    let notify = &report.steps[0];
    assert_eq!(notify.late.current, 1);
    assert_eq!(notify.on_time_share.current, Some(0));
    // Tuesday 17 to Friday 20 February 2026: 3 working days late.
    assert_eq!(notify.late_ones[0].working_days_late, Some(3));
    let publish = &report.steps[1];
    assert_eq!(publish.overdue.current, 1);
    // Friday 4 September to Monday 23 November 2026 (the summer bank holiday is before it).
    assert_eq!(publish.late_ones[0].working_days_late, Some(56));
    assert_eq!(report.actions.overdue.current, 1);
    assert_eq!(
        report.actions.overdue_actions[0].working_days_overdue,
        Some(16)
    );

    let figures = csv::figures(&report);
    let mut lines = figures.split("\r\n");
    assert_eq!(
        lines.next(),
        Some("section,measure,2025-11-24 to 2026-11-23,2024-11-24 to 2025-11-23,trend")
    );
    assert_eq!(lines.next(), Some("Notifications,All notifications,1,0,up"));
    assert!(
        figures.contains("\r\nStep: Local authority notifies the Panel,Done on time (%),0,,\r\n")
    );
    assert!(figures.ends_with("\r\n"));
    let late = csv::late_steps(&report);
    assert!(late.contains(
        "KSCP-2026-014,Local authority notifies the Panel,2026-02-17,2026-02-20,3,\"The social worker was off sick, and \"\"cover\"\" was late\"\r\n"
    ), "{late}");
    let overdue = csv::overdue_actions(&report);
    assert!(overdue.contains(
        "KSCP-2026-014:R1:kent-police,Kent Police,,\"'=cmd|' /C calc'!A0, then audit\",2026-10-30,16,In progress\r\n"
    ), "{overdue}");
}

#[test]
fn a_case_record_takes_its_dates_and_steps_from_the_timetable() {
    let calendar = calendar();
    let events: Events = [
        (Event::Aware, date(2026, 2, 9)),
        (Event::NotificationSent, date(2026, 2, 13)),
        (Event::RapidReviewMeeting, date(2026, 3, 4)),
        (Event::RapidReviewDecision, date(2026, 3, 4)),
        (Event::Publication, date(2027, 1, 15)),
    ]
    .into_iter()
    .collect();
    let timetable = calendar.timetable(&events, today()).expect("a timetable");
    let record = CaseRecord::from_timetable("KSCP-2026-014", &events, &timetable);
    assert_eq!(record.notified, Some(date(2026, 2, 13)));
    assert_eq!(record.review_commissioned, Some(date(2026, 3, 4)));
    assert_eq!(record.review_published, None, "planned, not yet published");
    let rules: Vec<&str> = record.steps.iter().map(|s| s.rule.as_str()).collect();
    assert!(rules.contains(&"notify-panel"), "{rules:?}");
    assert!(
        !rules.contains(&"keep-published"),
        "a minimum period is no deadline"
    );
    assert!(
        !rules.contains(&"kent-day-11-collated"),
        "no form records it"
    );
    let publish = record
        .steps
        .iter()
        .find(|s| s.rule == "publish-lcspr")
        .expect("publication is due");
    assert_eq!(publish.done, None, "a planned date is not a done date");
    let notify = record
        .steps
        .iter()
        .find(|s| s.rule == "notify-panel")
        .expect("the notification");
    assert_eq!(notify.done, Some(date(2026, 2, 13)));
}
