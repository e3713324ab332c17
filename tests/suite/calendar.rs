//! The statutory calendar against the published bank holidays, its edge cases, its
//! configuration switches and its properties.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Weekday};
use proptest::prelude::*;
use safeguarding_forms::calendar::{
    CalendarError, Config, DayUnit, Event, Events, NotificationClock, Status, Timetable,
    WorkingCalendar, config::EMBEDDED_TOML, holidays,
};
use safeguarding_forms::forms::{self, Registry};
use safeguarding_forms::validate::{self, RuleContext, input};
use serde_json::Value;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| panic!("bad test date {y}-{m}-{day}"))
}

fn config() -> Config {
    Config::embedded()
        .map(|c| (*c).clone())
        .unwrap_or_else(|e| panic!("embedded config: {e}"))
}

/// England and Wales bank holidays 2018-2027 as published on GOV.UK (gov.uk/bank-holidays).
const PUBLISHED: &[(i32, &[(u32, u32)])] = &[
    (
        2018,
        &[
            (1, 1),
            (3, 30),
            (4, 2),
            (5, 7),
            (5, 28),
            (8, 27),
            (12, 25),
            (12, 26),
        ],
    ),
    (
        2019,
        &[
            (1, 1),
            (4, 19),
            (4, 22),
            (5, 6),
            (5, 27),
            (8, 26),
            (12, 25),
            (12, 26),
        ],
    ),
    // 2020: early May moved to Friday 8 May (VE Day); Boxing Day on a Saturday.
    (
        2020,
        &[
            (1, 1),
            (4, 10),
            (4, 13),
            (5, 8),
            (5, 25),
            (8, 31),
            (12, 25),
            (12, 28),
        ],
    ),
    // 2021: Christmas and Boxing Day on a weekend.
    (
        2021,
        &[
            (1, 1),
            (4, 2),
            (4, 5),
            (5, 3),
            (5, 31),
            (8, 30),
            (12, 27),
            (12, 28),
        ],
    ),
    // 2022: New Year on a Saturday; spring moved to 2 June, Platinum Jubilee 3 June, State
    // Funeral 19 September; Christmas on a Sunday.
    (
        2022,
        &[
            (1, 3),
            (4, 15),
            (4, 18),
            (5, 2),
            (6, 2),
            (6, 3),
            (8, 29),
            (9, 19),
            (12, 26),
            (12, 27),
        ],
    ),
    // 2023: New Year on a Sunday; coronation 8 May.
    (
        2023,
        &[
            (1, 2),
            (4, 7),
            (4, 10),
            (5, 1),
            (5, 8),
            (5, 29),
            (8, 28),
            (12, 25),
            (12, 26),
        ],
    ),
    (
        2024,
        &[
            (1, 1),
            (3, 29),
            (4, 1),
            (5, 6),
            (5, 27),
            (8, 26),
            (12, 25),
            (12, 26),
        ],
    ),
    (
        2025,
        &[
            (1, 1),
            (4, 18),
            (4, 21),
            (5, 5),
            (5, 26),
            (8, 25),
            (12, 25),
            (12, 26),
        ],
    ),
    (
        2026,
        &[
            (1, 1),
            (4, 3),
            (4, 6),
            (5, 4),
            (5, 25),
            (8, 31),
            (12, 25),
            (12, 28),
        ],
    ),
    (
        2027,
        &[
            (1, 1),
            (3, 26),
            (3, 29),
            (5, 3),
            (5, 31),
            (8, 30),
            (12, 27),
            (12, 28),
        ],
    ),
];

#[test]
fn every_published_bank_holiday_2018_to_2027() {
    let calendar = WorkingCalendar::default();
    for (year, days) in PUBLISHED {
        let expected: Vec<NaiveDate> = days.iter().map(|(m, day)| d(*year, *m, *day)).collect();
        let by_rule: Vec<NaiveDate> = holidays::bank_holidays(*year)
            .unwrap_or_else(|e| panic!("{year}: {e}"))
            .into_iter()
            .map(|h| h.date)
            .collect();
        assert_eq!(by_rule, expected, "bank holidays of {year}");
        let listed: Vec<NaiveDate> = calendar
            .holidays(*year)
            .unwrap_or_else(|e| panic!("{year}: {e}"))
            .into_iter()
            .map(|h| h.date)
            .collect();
        assert_eq!(listed, expected, "calendar holidays of {year}");
        for date in &expected {
            assert_eq!(calendar.is_working_day(*date).ok(), Some(false), "{date}");
        }
    }
}

#[test]
fn earlier_one_off_changes() {
    let dates = |year| -> Vec<NaiveDate> {
        holidays::bank_holidays(year)
            .unwrap_or_else(|e| panic!("{year}: {e}"))
            .into_iter()
            .map(|h| h.date)
            .collect()
    };
    let y2002 = dates(2002);
    assert!(y2002.contains(&d(2002, 6, 3)) && y2002.contains(&d(2002, 6, 4)));
    assert!(!y2002.contains(&d(2002, 5, 27)));
    assert!(dates(2011).contains(&d(2011, 4, 29)));
    let y2012 = dates(2012);
    assert!(y2012.contains(&d(2012, 6, 4)) && y2012.contains(&d(2012, 6, 5)));
    assert!(!y2012.contains(&d(2012, 5, 28)));
    assert!(!dates(2020).contains(&d(2020, 5, 4)));
    assert!(!dates(2022).contains(&d(2022, 5, 30)));
}

#[test]
fn an_aware_date_on_a_saturday_counts_from_monday() {
    let cal = WorkingCalendar::default();
    // Friday 13 and Saturday 14 February 2026 both give Friday 20 February.
    assert_eq!(
        cal.add_working_days(d(2026, 2, 13), 5).ok(),
        Some(d(2026, 2, 20))
    );
    assert_eq!(
        cal.add_working_days(d(2026, 2, 14), 5).ok(),
        Some(d(2026, 2, 20))
    );
    assert_eq!(
        cal.add_working_days(d(2026, 2, 15), 5).ok(),
        Some(d(2026, 2, 20))
    );
    assert_eq!(
        cal.add_working_days(d(2026, 2, 16), 5).ok(),
        Some(d(2026, 2, 23))
    );
}

#[test]
fn an_aware_date_on_a_bank_holiday_counts_from_the_next_working_day() {
    let cal = WorkingCalendar::default();
    // Good Friday 3 and Easter Monday 6 April 2026: day 1 is Tuesday 7 April.
    assert_eq!(
        cal.add_working_days(d(2026, 4, 3), 5).ok(),
        Some(d(2026, 4, 13))
    );
    assert_eq!(
        cal.add_working_days(d(2026, 4, 6), 5).ok(),
        Some(d(2026, 4, 13))
    );
    assert_eq!(
        cal.add_working_days(d(2026, 4, 6), 1).ok(),
        Some(d(2026, 4, 7))
    );
}

#[test]
fn deadlines_across_christmas_and_new_year() {
    let cal = WorkingCalendar::default();
    // 25 and 28 December 2026 and 1 January 2027 are bank holidays.
    assert_eq!(
        cal.add_working_days(d(2026, 12, 22), 5).ok(),
        Some(d(2026, 12, 31))
    );
    assert_eq!(
        cal.add_working_days(d(2026, 12, 23), 5).ok(),
        Some(d(2027, 1, 4))
    );
    assert_eq!(
        cal.add_working_days(d(2026, 12, 23), 15).ok(),
        Some(d(2027, 1, 18))
    );
    assert_eq!(
        cal.working_days_between(d(2026, 12, 24), d(2027, 1, 4))
            .ok(),
        Some(4)
    );
    // Backwards over the same holidays: 7 working days before Monday 11 January 2027.
    assert_eq!(
        cal.add_working_days(d(2027, 1, 11), -7).ok(),
        Some(d(2026, 12, 30))
    );
}

#[test]
fn easter_in_march_and_in_april() {
    let cal = WorkingCalendar::default();
    // 2027: Easter Sunday 28 March; Thursday 25 March + 1 working day is Tuesday 30 March.
    assert_eq!(
        cal.add_working_days(d(2027, 3, 25), 1).ok(),
        Some(d(2027, 3, 30))
    );
    // 2025: Easter Sunday 20 April; Thursday 17 April + 1 is Tuesday 22 April.
    assert_eq!(
        cal.add_working_days(d(2025, 4, 17), 1).ok(),
        Some(d(2025, 4, 22))
    );
    assert_eq!(holidays::easter_sunday(2027).ok(), Some(d(2027, 3, 28)));
    assert_eq!(holidays::easter_sunday(2025).ok(), Some(d(2025, 4, 20)));
}

#[test]
fn leap_years() {
    let cal = WorkingCalendar::default();
    assert_eq!(
        cal.add_working_days(d(2024, 2, 28), 1).ok(),
        Some(d(2024, 2, 29))
    );
    assert_eq!(
        cal.add_working_days(d(2028, 2, 28), 1).ok(),
        Some(d(2028, 2, 29))
    );
    // 2100 is not a leap year: Friday 26 February + 1 is Monday 1 March.
    assert_eq!(
        cal.add_working_days(d(2100, 2, 26), 1).ok(),
        Some(d(2100, 3, 1))
    );
    // Six months from 31 August ends on the last day of February.
    let config = config();
    let decided = |date| Events::from([(Event::RapidReviewDecision, date)]);
    assert_eq!(
        config
            .deadline("publish-lcspr", &decided(d(2023, 8, 31)))
            .ok(),
        Some(Some(d(2024, 2, 29)))
    );
    assert_eq!(
        config
            .deadline("publish-lcspr", &decided(d(2025, 8, 31)))
            .ok(),
        Some(Some(d(2026, 2, 28)))
    );
}

#[test]
fn dates_outside_the_table_are_clear_errors() {
    let cal = WorkingCalendar::default();
    let error = cal.is_working_day(d(1999, 12, 31)).err();
    assert_eq!(
        error,
        Some(CalendarError::DateOutOfRange {
            date: d(1999, 12, 31)
        })
    );
    let message = error.map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("31 December 1999"), "{message}");
    assert!(message.contains("2000 to 2100"), "{message}");
    assert!(cal.add_working_days(d(2100, 12, 31), 1).is_err());
    assert!(cal.add_working_days(NaiveDate::MAX, 1).is_err());
    assert!(cal.add_working_days(NaiveDate::MIN, -1).is_err());
    assert!(cal.add_working_days(d(2050, 6, 1), i64::MAX).is_err());
    assert!(
        cal.working_days_between(d(2050, 6, 1), NaiveDate::MAX)
            .is_err()
    );
    assert_eq!(
        cal.holidays(2101).err(),
        Some(CalendarError::YearOutOfRange { year: 2101 })
    );
    assert!(holidays::bank_holidays(i32::MIN).is_err());
    let config = config();
    let far = Events::from([(Event::RapidReviewDecision, d(2100, 10, 1))]);
    assert_eq!(
        config.deadline("publish-lcspr", &far).err(),
        Some(CalendarError::DateOutOfRange {
            date: d(2101, 4, 1)
        })
    );
    assert!(matches!(
        config.deadline("no-such-rule", &far),
        Err(CalendarError::UnknownRule { .. })
    ));
}

#[test]
fn the_notification_clock_and_the_day_unit_are_switches() {
    let events = Events::from([
        (Event::Incident, d(2026, 2, 9)),
        (Event::Aware, d(2026, 2, 10)),
        (Event::NotificationSent, d(2026, 2, 17)),
    ]);
    let mut config = config();
    assert_eq!(config.notification_clock(), NotificationClock::Aware);
    assert_eq!(config.day_unit(), DayUnit::Working);
    assert_eq!(
        config.deadline("notify-panel", &events).ok(),
        Some(Some(d(2026, 2, 17)))
    );
    assert_eq!(config.lateness("notify-panel", &events).ok(), Some(Some(0)));
    config.set_notification_clock(NotificationClock::Incident);
    assert_eq!(
        config.deadline("notify-panel", &events).ok(),
        Some(Some(d(2026, 2, 16)))
    );
    assert_eq!(config.lateness("notify-panel", &events).ok(), Some(Some(1)));
    config.set_day_unit(DayUnit::Calendar);
    assert_eq!(
        config.deadline("notify-panel", &events).ok(),
        Some(Some(d(2026, 2, 14)))
    );
    // Months are months whatever the day unit.
    let decided = Events::from([(Event::RapidReviewDecision, d(2026, 3, 4))]);
    assert_eq!(
        config.deadline("publish-lcspr", &decided).ok(),
        Some(Some(d(2026, 9, 4)))
    );
}

/// Working Together's working day is "any day which is not a Saturday, Sunday or Bank Holiday"
/// (2018, footnote 91): a partnership's closure day moves its own Day 10, never the statutory
/// notification deadline or the 7 working days before publication.
#[test]
fn a_closure_day_moves_a_local_step_but_never_a_statutory_deadline() {
    let closed = Config::from_toml_str(&format!(
        "{EMBEDDED_TOML}\n[[closure_days]]\ndate = \"2026-02-18\"\nname = \"Partnership office closed\"\n"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let open = config();
    let events: Events = [
        (Event::Aware, d(2026, 2, 13)),
        (Event::NotificationSent, d(2026, 2, 13)),
        (Event::Publication, d(2026, 3, 2)),
    ]
    .into_iter()
    .collect();
    let due = |config: &Config, rule: &str| {
        config
            .deadline(rule, &events)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(due(&open, "kent-day-10-summaries"), Some(d(2026, 2, 27)));
    assert_eq!(
        due(&closed, "kent-day-10-summaries"),
        Some(d(2026, 3, 2)),
        "the closure day moves the partnership's own Day 10"
    );
    assert_eq!(due(&open, "notify-panel"), Some(d(2026, 2, 20)));
    assert_eq!(
        due(&closed, "notify-panel"),
        Some(d(2026, 2, 20)),
        "the statutory 5 working days ignore the closure day"
    );
    assert_eq!(
        due(&closed, "final-report-to-panel"),
        due(&open, "final-report-to-panel"),
        "so do the 7 working days before publication"
    );
}

#[test]
fn switches_and_closure_days_come_from_toml() {
    let text = r#"
        day_unit = "calendar"
        notification_clock = "incident"
        [[closure_days]]
        date = "2026-02-12"
        name = "Office move"
        [[closure_days]]
        date = 2026-02-13
        name = "Office move, second day"
        [[rule]]
        id = "notify-panel"
        title = "Notify"
        start = "aware"
        length = 5
        unit = "working-days"
        done_by = "notification-sent"
        source = "test"
    "#;
    let config = Config::from_toml_str(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.day_unit(), DayUnit::Calendar);
    assert_eq!(config.notification_clock(), NotificationClock::Incident);
    let cal = config.calendar();
    assert_eq!(cal.is_working_day(d(2026, 2, 12)).ok(), Some(false));
    assert_eq!(cal.day_off(d(2026, 2, 13)), Some("Office move, second day"));
    // Closures count: Tuesday 10 + 5 working days skipping 12 and 13 February.
    assert_eq!(
        cal.add_working_days(d(2026, 2, 10), 5).ok(),
        Some(d(2026, 2, 19))
    );
    let listed = cal.holidays(2026).map(|h| h.len()).ok();
    assert_eq!(listed, Some(10));
}

#[test]
fn bad_configuration_is_explained() {
    let message = |text: &str| {
        Config::from_toml_str(text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let bad_date = message("[[closure_days]]\ndate = \"2026-02-30\"\nname = \"Closed\"\n");
    assert!(
        bad_date.contains("2026-02-30") && bad_date.contains("not a real date"),
        "{bad_date}"
    );
    let bad_switch = message("day_unit = \"fortnights\"\n");
    assert!(
        bad_switch.starts_with(
            "The calendar configuration is not valid: line 1: unknown variant `fortnights`"
        ),
        "{bad_switch}"
    );
    let rule = "[[rule]]\nid = \"a\"\ntitle = \"A\"\nstart = \"aware\"\nlength = 1\nunit = \"months\"\nsource = \"s\"\n";
    let twice = message(&format!("{rule}{rule}"));
    assert!(twice.contains("defined twice"), "{twice}");
    let missing = Config::load(std::path::Path::new("/no/such/calendar.toml"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(missing.contains("/no/such/calendar.toml"), "{missing}");
}

#[test]
fn the_embedded_rules_cite_their_sources() {
    let config = config();
    for id in [
        "notify-panel",
        "rapid-review-to-panel",
        "publish-lcspr",
        "final-report-to-panel",
        "final-report-to-secretary-of-state",
        "keep-published",
        "kent-day-14-meeting",
    ] {
        let rule = config.rule(id).unwrap_or_else(|e| panic!("{e}"));
        let named = [
            "Working Together to Safeguard Children",
            "Kent Practice Improvement Framework 2020",
        ];
        assert!(
            named.iter().any(|document| rule.source.contains(document)),
            "{id} names a public document: {}",
            rule.source
        );
    }
    // Sources shown to people never point into a text copy of a document.
    let line_number = regex::Regex::new(r"\bl\.\s?\d|\bseed\b").expect("a pattern");
    for rule in config.rules() {
        assert!(
            !line_number.is_match(&rule.source),
            "{}: {}",
            rule.id,
            rule.source
        );
    }
    let fifteen = config
        .rule("rapid-review-to-panel")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        fifteen.source.contains("Panel's guidance") && fifteen.source.contains("2023"),
        "the 15 working days are the Panel's guidance and Working Together 2023: {}",
        fifteen.source
    );
}

/// Working Together to Safeguard Children 2018 numbers its paragraphs afresh in each chapter, so
/// a source cites "chapter 4, paragraph 12", never "4.12"; and chapter 4's paragraphs 44 to 51
/// guide the Panel's national reviews, which none of the partnership's local forms rests on.
/// Checked on every source a person is shown: each finding of every sample, each calendar rule,
/// each report-check item, each schema's `x-source` and `description`, and the form rule modules.
#[test]
fn sources_cite_working_together_by_chapter_and_paragraph() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources: Vec<(String, String)> = Vec::new();

    let registry = Registry::load().unwrap_or_else(|e| panic!("{e}"));
    let mut files = Vec::new();
    for form in std::fs::read_dir(root.join("samples")).expect("samples") {
        for kind in ["valid", "invalid"] {
            let dir = form.as_ref().expect("a sample folder").path().join(kind);
            for file in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            {
                let path = file.expect("a sample").path();
                if path.extension().is_some_and(|ext| ext == "json") {
                    files.push(path);
                }
            }
        }
    }
    let mut findings = 0;
    for path in &files {
        let relative = path
            .strip_prefix(root.join("samples"))
            .expect("under samples");
        let doc = sample(&relative.to_string_lossy());
        let report = validate::validate(&registry, &doc).unwrap_or_else(|e| panic!("{e}"));
        for finding in report.findings {
            findings += 1;
            sources.push((
                format!("{} {}", path.display(), finding.rule),
                finding.source,
            ));
        }
    }
    assert!(
        files.len() > 20 && findings > 20,
        "{} samples, {findings} findings",
        files.len()
    );

    for rule in config().rules() {
        sources.push((format!("calendar rule {}", rule.id), rule.source.clone()));
    }
    let check = safeguarding_forms::check::config::CheckConfig::embedded()
        .unwrap_or_else(|e| panic!("{e}"));
    for item in &check.items {
        sources.push((
            format!("report-check item {}", item.id),
            item.source.clone(),
        ));
    }

    fn walk(value: &Value, at: &str, sources: &mut Vec<(String, String)>) {
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("x-source" | "description", Value::String(text)) => {
                            sources.push((format!("{at}/{key}"), text.clone()));
                        }
                        _ => walk(value, &format!("{at}/{key}"), sources),
                    }
                }
            }
            Value::Array(items) => {
                for (i, value) in items.iter().enumerate() {
                    walk(value, &format!("{at}/{i}"), sources);
                }
            }
            _ => {}
        }
    }
    let mut schemas = 0;
    let mut dirs = vec![root.join("schemas")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "json") {
                let text = std::fs::read_to_string(&path).expect("a schema");
                let schema: Value = serde_json::from_str(&text).expect("a schema parses");
                walk(&schema, &path.display().to_string(), &mut sources);
                schemas += 1;
            }
        }
    }
    assert!(schemas >= 5, "{schemas} schemas");

    // The rule modules' SOURCE constants (a rule that no sample triggers is still shown).
    for entry in std::fs::read_dir(root.join("src/forms")).expect("src/forms") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|ext| ext == "rs") {
            let text = std::fs::read_to_string(&path).expect("a rule module");
            for line in text.lines().filter(|line| line.contains("2018")) {
                sources.push((path.display().to_string(), line.to_owned()));
            }
        }
    }

    let dotted = regex::Regex::new(r"(2018|chapter \d+), \d+\.\d+").expect("a pattern");
    let chapter_4 = regex::Regex::new(r"chapter 4, paragraphs? (\d+(?:(?:,| and| to) \d+)*)")
        .expect("a pattern");
    let mut cited = 0;
    for (at, source) in &sources {
        assert!(
            !dotted.is_match(source),
            "{at} cites Working Together by a dotted number: {source}"
        );
        for list in chapter_4.captures_iter(source) {
            cited += 1;
            let mut paragraphs: Vec<u32> = Vec::new();
            let mut range = false;
            for word in list[1].split([' ', ',']).filter(|w| !w.is_empty()) {
                match word {
                    "and" => {}
                    "to" => range = true,
                    number => {
                        let n: u32 = number.parse().expect("a paragraph number");
                        match paragraphs.last() {
                            Some(&from) if range => paragraphs.extend(from + 1..=n),
                            _ => paragraphs.push(n),
                        }
                        range = false;
                    }
                }
            }
            assert!(
                !paragraphs.iter().any(|p| (44..=51).contains(p)),
                "{at} cites chapter 4 paragraphs {paragraphs:?}, of which 44 to 51 are the Panel's national reviews: {source}"
            );
        }
    }
    assert!(cited > 20, "only {cited} chapter 4 citations were found");
}

fn sample(path: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(path);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut doc = input::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    doc.as_object_mut().map(|map| map.remove("_expect"));
    doc
}

const CASE_014: [&str; 3] = [
    "final-report/valid/kscp-2026-014-child-l.json",
    "csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json",
    "rapid-review/valid/kscp-2026-014-lcspr.json",
];

fn timetable_of(docs: &[Value], today: NaiveDate) -> Timetable {
    let registry = Registry::load().unwrap_or_else(|e| panic!("{e}"));
    let forms: Vec<_> = docs
        .iter()
        .map(|doc| (registry.detect(doc).unwrap_or_else(|e| panic!("{e}")), doc))
        .collect();
    let (events, notes) = forms::case_events(forms);
    let mut timetable = config()
        .timetable(&events, today)
        .unwrap_or_else(|e| panic!("{e}"));
    timetable.notes = notes;
    timetable
}

fn status(timetable: &Timetable, rule: &str) -> Status {
    timetable
        .steps
        .iter()
        .find(|step| step.rule == rule)
        .map(|step| step.status)
        .unwrap_or_else(|| panic!("no step {rule}"))
}

#[test]
fn the_timetable_of_a_finished_case() {
    let docs: Vec<Value> = CASE_014.iter().map(|path| sample(path)).collect();
    let timetable = timetable_of(&docs, d(2026, 11, 23));
    assert_eq!(status(&timetable, "notify-panel"), Status::DoneOnTime);
    assert_eq!(
        status(&timetable, "kent-day-1-requests"),
        Status::NotRecorded
    );
    assert_eq!(
        status(&timetable, "kent-day-14-meeting"),
        Status::DoneOnTime
    );
    assert_eq!(
        status(&timetable, "rapid-review-to-panel"),
        Status::DoneOnTime
    );
    assert_eq!(status(&timetable, "publish-lcspr"), Status::DoneOnTime);
    assert_eq!(
        status(&timetable, "final-report-to-panel"),
        Status::DoneOnTime
    );
    assert_eq!(status(&timetable, "keep-published"), Status::KeepUntil);
    let keep = timetable.steps.iter().find(|s| s.rule == "keep-published");
    assert_eq!(keep.and_then(|s| s.due), Some(d(2027, 8, 27)));
    assert!(timetable.next_due().is_none());
    assert!(timetable.notes.is_empty(), "{:?}", timetable.notes);
    let text = timetable.to_string();
    assert!(text.contains("Nothing is due."), "{text}");
}

#[test]
fn agency_summaries_are_back_on_the_date_of_the_last_one() {
    const SUMMARIES: [&str; 5] = [
        "agency-summary/valid/kscp-2026-014-gp.json",
        "agency-summary/valid/kscp-2026-014-kent-community-health.json",
        "agency-summary/valid/kscp-2026-014-east-kent-hospitals.json",
        "agency-summary/valid/kscp-2026-014-kent-police.json",
        "agency-summary/valid/kscp-2026-014-kcc-childrens-social-care.json",
    ];
    let mut docs: Vec<Value> = vec![sample(CASE_014[1])];
    docs.extend(SUMMARIES.iter().map(|path| sample(path)));
    let timetable = timetable_of(&docs, d(2026, 11, 23));
    let day_10 = timetable
        .steps
        .iter()
        .find(|step| step.rule == "kent-day-10-summaries")
        .unwrap_or_else(|| panic!("no Day 10 step"));
    // Returned 26, 25, 27, 26 and 27 February; Day 10 is Friday 27 February.
    assert_eq!(day_10.done, Some(d(2026, 2, 27)));
    assert_eq!(day_10.status, Status::DoneOnTime);
    assert!(timetable.notes.is_empty(), "{:?}", timetable.notes);
}

#[test]
fn the_timetable_of_a_case_under_way() {
    let notification = sample(CASE_014[1]);
    // Notified Friday 13 February 2026; as at Friday 20 February.
    let timetable = timetable_of(&[notification], d(2026, 2, 20));
    assert_eq!(
        status(&timetable, "kent-day-1-requests"),
        Status::Overdue { working_days: 4 }
    );
    assert_eq!(
        status(&timetable, "rapid-review-to-panel"),
        Status::DueIn { working_days: 10 }
    );
    assert_eq!(
        status(&timetable, "publish-lcspr"),
        Status::Waiting {
            on: Event::RapidReviewDecision
        }
    );
    let next = timetable.next_due().map(|step| step.rule.as_str());
    assert_eq!(next, Some("kent-day-1-requests"));
    // A final report dated ahead is a plan.
    let report = sample(CASE_014[0]);
    let planned = timetable_of(&[report], d(2026, 8, 1));
    assert_eq!(
        status(&planned, "publish-lcspr"),
        Status::Planned {
            late_working_days: 0
        }
    );
}

#[test]
fn a_care_leavers_death_needs_no_rapid_review() {
    let notification = sample("csprp-notification/valid/kscp-2025-047-care-leaver-death.json");
    let timetable = timetable_of(&[notification], d(2025, 3, 10));
    assert_eq!(status(&timetable, "notify-panel"), Status::DoneOnTime);
    for rule in [
        "kent-day-1-requests",
        "kent-day-14-meeting",
        "rapid-review-to-panel",
    ] {
        assert_eq!(status(&timetable, rule), Status::NotRequired, "{rule}");
    }
    assert!(timetable.next_due().is_none());
}

#[test]
fn late_steps_and_disagreeing_forms_are_shown() {
    let late = sample("csprp-notification/invalid/late-without-reason.json");
    let timetable = timetable_of(&[late], d(2026, 6, 1));
    assert_eq!(
        status(&timetable, "notify-panel"),
        Status::DoneLate { working_days: 3 }
    );
    assert!(timetable.to_string().contains("done 3 working days late"));
    let notification = sample(CASE_014[1]);
    let mut review = sample(CASE_014[2]);
    if let Some(date) = review.pointer_mut("/notification_date") {
        *date = Value::from("2026-02-16");
    }
    let timetable = timetable_of(&[review, notification], d(2026, 11, 23));
    assert_eq!(timetable.notes.len(), 1, "{:?}", timetable.notes);
    assert!(
        timetable.notes[0].contains("13 February 2026")
            && timetable.notes[0].contains("16 February 2026"),
        "{}",
        timetable.notes[0]
    );
}

#[test]
fn the_validator_follows_the_partnerships_rules() {
    let registry = Registry::load().unwrap_or_else(|e| panic!("{e}"));
    let doc = sample("csprp-notification/invalid/late-without-reason.json");
    let form = registry.detect(&doc).unwrap_or_else(|e| panic!("{e}"));
    let builtin = validate::validate_form(form, &doc, &RuleContext::default());
    assert_eq!(
        builtin.rules(),
        vec!["csprp-notification.late-without-reason"]
    );
    let ten_days = EMBEDDED_TOML.replacen("length = 5", "length = 10", 1);
    let config = Config::from_toml_str(&ten_days).unwrap_or_else(|e| panic!("{e}"));
    let context = RuleContext::with_calendar(Arc::new(config));
    let local = validate::validate_form(form, &doc, &context);
    assert!(local.findings.is_empty(), "{local}");
    // A date the calendar cannot count is a warning, not a panic.
    let mut old = doc.clone();
    if let Some(incident) = old.pointer_mut("/incident") {
        incident["incident_date"] = Value::from("1999-12-20");
        incident["aware_date"] = Value::from("1999-12-21");
    }
    let report = validate::validate_form(form, &old, &RuleContext::default());
    assert!(
        report.rules().contains(&"calendar.cannot-count"),
        "{report}"
    );
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_safeguarding-forms"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("run the binary: {e}"))
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

#[test]
fn cli_counts_working_days() {
    let out = run(&["calendar", "add-working-days", "2026-02-14", "5"]);
    assert_eq!(
        (out.status.code(), stdout(&out)),
        (Some(0), "2026-02-20\n".into())
    );
    let out = run(&["calendar", "add-working-days", "2026-01-11", "-7"]);
    assert_eq!(stdout(&out), "2025-12-31\n");
    let out = run(&[
        "calendar",
        "working-days-between",
        "2026-12-24",
        "2027-01-04",
    ]);
    assert_eq!(stdout(&out), "4\n");
    let out = run(&["calendar", "add-working-days", "2025-02-30", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a real date"), "{}", stderr(&out));
    let out = run(&["calendar", "add-working-days", "2100-12-30", "5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("2000 to 2100"), "{}", stderr(&out));
}

#[test]
fn cli_lists_holidays_with_the_partnerships_closures() {
    let out = run(&["calendar", "holidays", "2022"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 10, "{text}");
    assert!(text.contains("2022-09-19  Monday"), "{text}");
    let out = run(&["calendar", "holidays", "1999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("1999 is outside"), "{}", stderr(&out));
    let config = temp_file(
        "closures.toml",
        "[[closure_days]]\ndate = \"2026-12-24\"\nname = \"Partnership office closed\"\n",
    );
    let config = config.to_string_lossy().into_owned();
    let out = run(&["calendar", "holidays", "2026", "--config", &config]);
    assert!(
        stdout(&out).contains("2026-12-24  Thursday   Partnership office closed"),
        "{}",
        stdout(&out)
    );
    let out = run(&[
        "calendar",
        "--config",
        &config,
        "add-working-days",
        "2026-12-23",
        "1",
    ]);
    assert_eq!(stdout(&out), "2026-12-29\n");
    let out = run(&["calendar", "holidays", "2026", "--config", "/no/such.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/no/such.toml"), "{}", stderr(&out));
}

#[test]
fn cli_prints_the_timetable_of_a_case() {
    let mut args = vec!["timetable", "--today", "2026-11-23"];
    let files: Vec<String> = CASE_014.iter().map(|p| format!("samples/{p}")).collect();
    args.extend(files.iter().map(String::as_str));
    args.push("samples/agency-summary/valid/kscp-2026-014-gp.json");
    let out = run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Case KSCP-2026-014"), "{text}");
    // The summary given is counted as the last one back (the command knows no other).
    assert!(!text.contains("Not used"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("Day 10: agency summaries returned")
                && l.contains("Thu 26 Feb 2026")
                && l.ends_with("done on time")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("Local authority notifies the Panel")
                && l.ends_with("done on time")),
        "{text}"
    );
    args.push("--json");
    let out = run(&args);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["steps"][0]["rule"], "notify-panel");
    assert_eq!(json["steps"][0]["status"], "done-on-time");
    assert_eq!(json["steps"][0]["due"], "2026-02-17");
    assert_eq!(json["case_reference"], "KSCP-2026-014");
}

#[test]
fn cli_timetable_refuses_what_it_cannot_use() {
    let out = run(&["timetable", "samples/no-such-form.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no such file"), "{}", stderr(&out));
    let mut doc = sample(CASE_014[1]);
    if let Some(aware) = doc.pointer_mut("/incident/aware_date") {
        *aware = Value::from("2025-02-30");
    }
    let bad = temp_file("bad-date.json", &doc.to_string());
    let out = run(&["timetable", &bad.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message.contains("bad-date.json") && message.contains("real date"),
        "{message}"
    );
    let out = run(&[
        "timetable",
        "samples/csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json",
        "samples/rapid-review/valid/kscp-2026-021-alternative-learning-review.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("different cases"), "{}", stderr(&out));
    let out = run(&["timetable", "--today", "2026-02-30", CASE_014[0]]);
    assert_eq!(out.status.code(), Some(2));
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    // 2002-01-01 .. 2098-12-31, far enough from the edges for 400 working days either way.
    (730_851i32..766_281)
        .prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).unwrap_or(NaiveDate::MIN))
}

proptest! {
    #[test]
    fn adding_then_counting_gives_n(start in any_date(), n in -400i64..400) {
        let cal = WorkingCalendar::default();
        let end = cal.add_working_days(start, n).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(cal.working_days_between(start, end).ok(), Some(n));
    }

    #[test]
    fn the_result_is_a_working_day(start in any_date(), n in 1i64..400) {
        let cal = WorkingCalendar::default();
        for n in [n, -n] {
            let end = cal.add_working_days(start, n).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(!matches!(end.weekday(), Weekday::Sat | Weekday::Sun));
            prop_assert_eq!(cal.is_working_day(end).ok(), Some(true));
            prop_assert!(cal.day_off(end).is_none());
        }
    }

    #[test]
    fn going_there_and_back_returns_to_a_working_day(start in any_date(), n in -400i64..400) {
        let cal = WorkingCalendar::default();
        let start = cal.add_working_days(start, 1).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let there = cal.add_working_days(start, n).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(cal.add_working_days(there, -n).ok(), Some(start));
    }

    #[test]
    fn counting_is_antisymmetric_and_matches_day_by_day(a in any_date(), span in 0i64..200) {
        let cal = WorkingCalendar::default();
        let b = a + chrono::Days::new(span.unsigned_abs());
        let forward = cal.working_days_between(a, b).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let by_hand = a.iter_days().skip(1).take_while(|day| *day <= b)
            .filter(|day| cal.is_working_day(*day).unwrap_or(false)).count();
        prop_assert_eq!(forward, i64::try_from(by_hand).unwrap_or(-1));
        let back = cal.working_days_between(b, a).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back_by_hand = a.iter_days().take_while(|day| *day < b)
            .filter(|day| cal.is_working_day(*day).unwrap_or(false)).count();
        prop_assert_eq!(back, -i64::try_from(back_by_hand).unwrap_or(-1));
    }
}
