//! The steps after a rapid review's decision (the Panel, Ofsted and DfE told, the family told,
//! the final report sent to Ofsted) and the reasons forms give for late steps, carried from a
//! form's `x-timetable` `late-reason` to the case timetable and the timeliness report.

use std::path::Path;

use chrono::NaiveDate;
use safeguarding_forms::calendar::{Config, Event, Status, Timetable, config::EMBEDDED_TOML};
use safeguarding_forms::case_file::CaseFile;
use safeguarding_forms::forms::Registry;
use safeguarding_forms::forms::annotations::Annotations;
use safeguarding_forms::forms::schema_index::SchemaIndex;
use safeguarding_forms::timeliness::{self, CaseRecord, Period, csv, document};
use safeguarding_forms::validate::input;
use safeguarding_forms::web::fields::{Fields, Posted, Shown};
use serde_json::{Value, json};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| panic!("bad test date {y}-{m}-{day}"))
}

fn config() -> Config {
    Config::embedded()
        .map(|c| (*c).clone())
        .unwrap_or_else(|e| panic!("embedded config: {e}"))
}

fn registry() -> Registry {
    Registry::load().unwrap_or_else(|e| panic!("the forms load: {e}"))
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

const NOTIFICATION: &str = "csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json";
const RECORD: &str = "rapid-review/valid/kscp-2026-014-lcspr.json";
const REPORT: &str = "final-report/valid/kscp-2026-014-child-l.json";

/// The case file of `docs`, and its timetable on `today`.
fn timetable(registry: &Registry, docs: Vec<Value>, today: NaiveDate) -> Timetable {
    let mut file = CaseFile::new(registry);
    for doc in docs {
        let form = doc["form"].as_str().unwrap_or_default().to_owned();
        file.add(&form, doc, None, 1)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    file.timetable(&config(), today, None)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn step<'t>(timetable: &'t Timetable, rule: &str) -> &'t safeguarding_forms::calendar::Step {
    timetable
        .steps
        .iter()
        .find(|step| step.rule == rule)
        .unwrap_or_else(|| panic!("no step {rule}"))
}

#[test]
fn a_case_timetable_shows_the_steps_after_the_decision() {
    let registry = registry();
    let docs = vec![sample(NOTIFICATION), sample(RECORD), sample(REPORT)];
    let timetable = timetable(&registry, docs, d(2026, 11, 23));
    // The decision on Wednesday 4 March 2026: the partnership's own targets of 1 and 5 working
    // days.
    let told = step(&timetable, "tell-panel-ofsted-dfe");
    assert_eq!(told.due, Some(d(2026, 3, 5)));
    assert_eq!(told.done, Some(d(2026, 3, 5)));
    assert_eq!(told.status, Status::DoneOnTime);
    let family = step(&timetable, "tell-family");
    assert_eq!(family.due, Some(d(2026, 3, 11)));
    assert_eq!(family.done, Some(d(2026, 3, 9)));
    assert_eq!(family.status, Status::DoneOnTime);
    // Ofsted has the report in the same timescale as the Panel: 7 working days before
    // publication on Thursday 27 August 2026.
    let ofsted = step(&timetable, "final-report-to-ofsted");
    let panel = step(&timetable, "final-report-to-panel");
    assert_eq!(ofsted.due, Some(d(2026, 8, 18)));
    assert_eq!(ofsted.due, panel.due);
    assert_eq!(ofsted.status, Status::DoneOnTime);
    assert!(timetable.next_due().is_none(), "{timetable}");
    let text = timetable.to_string();
    assert!(
        text.contains("Panel, Ofsted and DfE told of the local review (partnership's target)"),
        "{text}"
    );
}

#[test]
fn the_panel_ofsted_and_dfe_are_told_only_of_a_local_review() {
    let registry = registry();
    let notification =
        sample("csprp-notification/valid/kscp-2026-021-child-m-looked-after-death.json");
    let record = sample("rapid-review/valid/kscp-2026-021-alternative-learning-review.json");
    let timetable = timetable(&registry, vec![notification, record], d(2026, 11, 23));
    assert_eq!(
        step(&timetable, "tell-panel-ofsted-dfe").status,
        Status::Waiting {
            on: Event::RapidReviewDecision
        },
        "an alternative learning review is no local review"
    );
    // The family is told whatever the decision: the meeting on Wednesday 6 May 2026.
    let family = step(&timetable, "tell-family");
    assert_eq!(family.due, Some(d(2026, 5, 13)));
    assert_eq!(family.status, Status::DoneOnTime);
    // A date given with another decision tells the timetable nothing.
    let mut other = sample(RECORD);
    other["decision"]["review_type"] = json!("no-review");
    let form = registry.detect(&other).unwrap_or_else(|e| panic!("{e}"));
    assert!(!form.events(&other).contains_key(&Event::PanelOfstedDfeTold));
    assert!(form.events(&other).contains_key(&Event::FamilyTold));
}

/// Working Together's working day ignores the partnership's closure days (2018, footnote 91):
/// a closure day moves the partnership's own targets, never the 7 working days before
/// publication for Ofsted, the Panel or the Secretary of State.
#[test]
fn closure_days_move_the_partnerships_targets_but_not_the_statutory_steps() {
    let closed = Config::from_toml_str(&format!(
        "{EMBEDDED_TOML}\n[[closure_days]]\ndate = \"2026-03-05\"\nname = \"Partnership away day\"\n\n[[closure_days]]\ndate = \"2026-08-20\"\nname = \"Partnership office closed\"\n"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let open = config();
    let events = [
        (Event::RapidReviewMeeting, d(2026, 3, 4)),
        (Event::RapidReviewDecision, d(2026, 3, 4)),
        (Event::Publication, d(2026, 8, 27)),
    ]
    .into_iter()
    .collect();
    let due = |config: &Config, rule: &str| {
        config
            .deadline(rule, &events)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    for rule in [
        "final-report-to-ofsted",
        "final-report-to-panel",
        "final-report-to-secretary-of-state",
    ] {
        assert_eq!(due(&open, rule), Some(d(2026, 8, 18)), "{rule}");
        assert_eq!(due(&closed, rule), Some(d(2026, 8, 18)), "{rule}");
    }
    assert_eq!(due(&open, "tell-panel-ofsted-dfe"), Some(d(2026, 3, 5)));
    assert_eq!(
        due(&closed, "tell-panel-ofsted-dfe"),
        Some(d(2026, 3, 6)),
        "the away day moves the partnership's own target"
    );
    assert_eq!(due(&closed, "tell-family"), Some(d(2026, 3, 12)));
}

#[test]
fn the_new_rules_say_what_rests_on_guidance_and_what_is_the_partnerships_own() {
    let config = config();
    let rule = |id: &str| config.rule(id).unwrap_or_else(|e| panic!("{e}"));
    let ofsted = rule("final-report-to-ofsted");
    let panel = rule("final-report-to-panel");
    assert!(ofsted.statutory);
    assert_eq!(
        (ofsted.start, ofsted.length, ofsted.unit),
        (panel.start, panel.length, panel.unit)
    );
    assert_eq!(ofsted.done_by, Some(Event::FinalReportSentToOfsted));
    assert!(
        ofsted
            .source
            .contains("Working Together to Safeguard Children 2018, chapter 4, paragraph 40"),
        "{}",
        ofsted.source
    );
    for (id, paragraph) in [
        ("tell-panel-ofsted-dfe", "paragraph 21"),
        ("tell-family", "paragraph 17"),
    ] {
        let target = rule(id);
        assert!(
            !target.statutory,
            "{id}: the guidance sets no number of days"
        );
        assert!(
            target.title.contains("partnership's target"),
            "{id}: {}",
            target.title
        );
        assert!(
            target.source.contains(&format!(
                "Working Together to Safeguard Children 2018, chapter 4, {paragraph}"
            )) && target.source.contains("sets no number of days")
                && target.source.contains("this partnership's own target"),
            "{id}: {}",
            target.source
        );
    }
}

/// The fields a person fills in on the new page, as the browser would post them.
fn posted(pointer: &str, value: &Value, pairs: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (name, inner) in map {
                posted(&format!("{pointer}/{name}"), inner, pairs);
            }
        }
        Value::String(text) if text.len() == 10 && text.as_bytes()[4] == b'-' => {
            let mut parts = text.splitn(3, '-');
            let (year, month, day) = (parts.next(), parts.next(), parts.next());
            for (part, typed) in [("day", day), ("month", month), ("year", year)] {
                pairs.push((
                    format!("{pointer}[{part}]"),
                    typed.unwrap_or_default().to_owned(),
                ));
            }
        }
        Value::String(text) => pairs.push((pointer.to_owned(), text.clone())),
        other => pairs.push((pointer.to_owned(), other.to_string())),
    }
}

#[test]
fn the_web_form_asks_for_the_new_answers_on_one_page_and_reads_them_back() {
    let registry = registry();
    for (form_id, field) in [
        ("rapid-review", "decision_shared"),
        ("final-report", "publication"),
    ] {
        let form = registry
            .get(form_id)
            .unwrap_or_else(|| panic!("no form {form_id}"));
        let pages: Vec<_> = form
            .annotations()
            .sections
            .iter()
            .filter(|section| section.fields.iter().any(|f| f == field))
            .collect();
        assert_eq!(pages.len(), 1, "{form_id}: {field} is on exactly one page");
    }
    for path in [
        RECORD,
        "rapid-review/valid/kscp-2026-021-alternative-learning-review.json",
        REPORT,
        "final-report/valid/kscp-2025-031-child-k-delayed-not-in-full.json",
    ] {
        let doc = sample(path);
        let form = registry.detect(&doc).unwrap_or_else(|e| panic!("{e}"));
        let field = if form.id() == "rapid-review" {
            "decision_shared"
        } else {
            "publication"
        };
        let names = vec![field.to_owned()];
        let fields = Fields { form };
        let mut html = String::new();
        fields.render_section(&mut html, &names, &doc, &Shown::default());
        for name in [
            "sent_to_ofsted_date",
            "panel_ofsted_dfe_told_date",
            "family_told_date",
        ] {
            if doc[field].get(name).is_some() {
                assert!(
                    html.contains(&format!("name=\"/{field}/{name}[day]\"")),
                    "{path}: {name}"
                );
            }
        }
        let mut pairs = Vec::new();
        posted(&format!("/{field}"), &doc[field], &mut pairs);
        let mut body = json!({});
        fields.read_section(&names, &Posted::new(pairs), &mut body);
        assert_eq!(body[field], doc[field], "{path}");
    }
}

#[test]
fn a_late_reason_must_name_a_text_field_of_the_form() {
    let schema = |late_reason: Value| {
        json!({
            "x-form-id": "t",
            "x-form-version": "1.0",
            "x-case-role": "notification",
            "x-senders": ["partnership"],
            "x-timetable": [
                {"event": "notification-sent", "date": "/sent", "late-reason": late_reason}
            ],
            "properties": {
                "sent": {"type": "string", "format": "date"},
                "why": {"type": "string"},
                "also": {"type": "string"},
                "flag": {"type": "boolean"}
            }
        })
    };
    let read = |late_reason: Value| {
        let schema = schema(late_reason);
        Annotations::read(&schema, &SchemaIndex::new(&schema))
    };
    let one = read(json!("/why")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(one.timetable[0].late_reason, vec!["/why".to_owned()]);
    let two = read(json!(["/why", "/also"])).unwrap_or_else(|e| panic!("{e}"));
    let reasons =
        two.late_reasons(&json!({"sent": "2026-02-20", "why": "  ", "also": " Off sick. "}));
    assert_eq!(
        reasons.get(&Event::NotificationSent).map(String::as_str),
        Some("Off sick."),
        "the first field holding text, trimmed"
    );
    assert!(
        two.pointers_read().contains(&"/also"),
        "the digest keeps it"
    );
    let missing = read(json!("/nowhere")).err().unwrap_or_default();
    assert!(missing.contains("\"/nowhere\" is not a field"), "{missing}");
    let flag = read(json!("/flag")).err().unwrap_or_default();
    assert!(flag.contains("must be a text field"), "{flag}");
    let number = read(json!(3)).err().unwrap_or_default();
    assert!(
        number.contains("late-reason: give the JSON pointer"),
        "{number}"
    );
}

/// Every reading of the reasons gives the same answer on a submission's digest as on the whole.
#[test]
fn late_reasons_read_the_same_from_a_digest() {
    let registry = registry();
    let mut late = sample("csprp-notification/invalid/late-without-reason.json");
    late["notification"]["lateness_reason"] = json!("The team manager was on leave.");
    let delayed = sample("final-report/valid/kscp-2025-031-child-k-delayed-not-in-full.json");
    for doc in [late, delayed] {
        let form = registry.detect(&doc).unwrap_or_else(|e| panic!("{e}"));
        let notes = form.annotations();
        let whole = notes.late_reasons(&doc);
        assert!(!whole.is_empty());
        assert_eq!(notes.late_reasons(&notes.digest(&doc)), whole);
    }
}

/// A notification three working days late, with `reason` as the form's reason if any.
fn late_notification(reason: Option<&str>) -> Value {
    let mut late = sample("csprp-notification/invalid/late-without-reason.json");
    if let Some(reason) = reason {
        late["notification"]["lateness_reason"] = json!(reason);
    }
    late
}

fn report_on(
    registry: &Registry,
    cases: Vec<(&str, Vec<Value>)>,
    today: NaiveDate,
) -> timeliness::TimelinessReport {
    let calendar = config();
    let records: Vec<CaseRecord> = cases
        .into_iter()
        .map(|(reference, docs)| {
            let mut file = CaseFile::new(registry);
            for doc in docs {
                let form = doc["form"].as_str().unwrap_or_default().to_owned();
                file.add(&form, doc, None, 1)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            let (events, _) = file.events();
            let timetable = file
                .timetable(&calendar, today, None)
                .unwrap_or_else(|e| panic!("{e}"));
            CaseRecord::from_timetable(reference, &events, &timetable)
        })
        .collect();
    let period = Period::last_12_months(today).unwrap_or_else(|e| panic!("{e}"));
    timeliness::timeliness_report(&records, &[], period, today, &calendar)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_late_step_shows_its_reason_in_the_report_and_says_when_none_was_given() {
    let registry = registry();
    let today = d(2026, 6, 1);
    let reason = "The social worker was off sick; the \"cover\" manager sent it on her return.";
    let report = report_on(
        &registry,
        vec![
            ("KSCP-2026-014", vec![late_notification(Some(reason))]),
            ("KSCP-2026-099", vec![late_notification(None)]),
        ],
        today,
    );
    let notify = report
        .steps
        .iter()
        .find(|s| s.rule == "notify-panel")
        .unwrap_or_else(|| panic!("the notification step"));
    assert_eq!(notify.late_ones.len(), 2);
    let reason_of = |case: &str| {
        notify
            .late_ones
            .iter()
            .find(|l| l.case_reference == case)
            .and_then(|l| l.reason.clone())
    };
    assert_eq!(reason_of("KSCP-2026-014").as_deref(), Some(reason));
    assert_eq!(reason_of("KSCP-2026-099"), None);

    let json = serde_json::to_value(&report).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        json.to_string().contains("the \\\"cover\\\" manager"),
        "{json}"
    );

    let csv = csv::late_steps(&report);
    assert!(
        csv.contains(
            "KSCP-2026-014,Local authority notifies the Panel,2026-02-17,2026-02-20,3,\"The social worker was off sick; the \"\"cover\"\" manager sent it on her return.\"\r\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains(
            "KSCP-2026-099,Local authority notifies the Panel,2026-02-17,2026-02-20,3,\r\n"
        ),
        "{csv}"
    );

    let doc = document::timeliness_document(&report, today);
    let text = serde_json::to_string(&doc).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("the \\\"cover\\\" manager"), "{text}");
    assert!(text.contains("None given"), "{text}");
}

#[test]
fn a_delayed_publication_gives_its_reason_and_a_step_on_time_needs_none() {
    let registry = registry();
    let today = d(2026, 11, 23);
    let mut report = sample("final-report/valid/kscp-2025-031-child-k-delayed-not-in-full.json");
    let timetable_now =
        |registry: &Registry, report: &Value| timetable(registry, vec![report.clone()], today);
    let delayed = timetable_now(&registry, &report);
    assert!(
        matches!(
            step(&delayed, "publish-lcspr").status,
            Status::DoneLate { .. }
        ),
        "{delayed}"
    );
    assert_eq!(
        delayed.late_reason("publish-lcspr"),
        report["publication"]["reason_for_delay"].as_str()
    );
    assert!(
        delayed
            .to_string()
            .contains("(reason given: Publication was held back")
    );
    // Without its own reason, the reason given to the Panel and the Secretary of State
    // (Working Together 2018, chapter 4, paragraph 41) stands.
    report["publication"]
        .as_object_mut()
        .map(|p| p.remove("reason_for_delay"));
    let given = timetable_now(&registry, &report);
    assert_eq!(
        given.late_reason("publish-lcspr"),
        report["publication"]["delay_reason_given_to_panel"].as_str()
    );

    // A reason beside a step done on time explains nothing.
    let mut record = sample(RECORD);
    record["lateness_reason"] = json!("We were a day late with the papers.");
    let on_time = timetable(&registry, vec![sample(NOTIFICATION), record], today);
    assert_eq!(
        step(&on_time, "rapid-review-to-panel").status,
        Status::DoneOnTime
    );
    assert_eq!(on_time.late_reason("rapid-review-to-panel"), None);
    assert!(on_time.late_reasons.is_empty());
}

/// The day a final report was published, once given, is publication's day in the timetable
/// (the Panel's and the Secretary of State's notice counted back from it), not the planned day;
/// before it is given, the planned day counts.
#[test]
fn the_day_published_replaces_the_planned_day() {
    let registry = registry();
    let planned = timetable(
        &registry,
        vec![sample(NOTIFICATION), sample(RECORD), sample(REPORT)],
        d(2026, 11, 23),
    );
    assert_eq!(step(&planned, "publish-lcspr").done, Some(d(2026, 8, 27)));
    // The day planned has passed and no day published is given: the timetable says so, and
    // where to give it.
    let note = planned
        .notes
        .iter()
        .find(|n| n.contains("day planned"))
        .unwrap_or_else(|| panic!("{:?}", planned.notes));
    assert!(
        note.starts_with("The timetable counts publication as done on the day planned, ")
            && note.contains("27 August 2026")
            && note.contains("\"Date published\""),
        "{note}"
    );
    let before = timetable(
        &registry,
        vec![sample(NOTIFICATION), sample(RECORD), sample(REPORT)],
        d(2026, 8, 20),
    );
    assert!(
        !before.notes.iter().any(|n| n.contains("day planned")),
        "{:?}",
        before.notes
    );
    let mut report = sample(REPORT);
    report["publication"]["published_date"] = json!("2026-09-01");
    let published = timetable(
        &registry,
        vec![sample(NOTIFICATION), sample(RECORD), report.clone()],
        d(2026, 11, 23),
    );
    let publish = step(&published, "publish-lcspr");
    assert_eq!(publish.done, Some(d(2026, 9, 1)));
    assert!(
        !published.notes.iter().any(|n| n.contains("day planned")),
        "{:?}",
        published.notes
    );
    // The Panel's copy: 7 working days before the day it was published (Monday 31 August 2026
    // is the summer bank holiday).
    assert_eq!(
        step(&published, "final-report-to-panel").due,
        Some(d(2026, 8, 20))
    );
    // The form is still valid, and its own checks count from the day published.
    let checked = safeguarding_forms::validate::validate(&registry, &report).expect("a form");
    assert!(checked.valid, "{checked}");
}

/// A day published that has not come yet is refused, in words that say what to give instead;
/// the same day once it has come is fine.
#[test]
fn a_day_published_after_today_is_refused() {
    use safeguarding_forms::validate::{RuleContext, validate_form};
    let registry = registry();
    let form = registry.get("final-report").expect("the final report form");
    let mut report = sample(REPORT);
    report["publication"]["published_date"] = json!("2026-09-01");
    let on =
        |today: NaiveDate| validate_form(form, &report, &RuleContext::default().with_today(today));
    let before = on(d(2026, 8, 31));
    assert!(!before.valid);
    let finding = before
        .findings
        .iter()
        .find(|f| f.rule == "final-report.published-after-today")
        .unwrap_or_else(|| panic!("{before}"));
    assert_eq!(finding.pointer, "/publication/published_date");
    assert!(
        finding.message.contains("which has not come yet"),
        "{}",
        finding.message
    );
    assert!(finding.source.contains("chapter 4, paragraph 38"));
    let after = on(d(2026, 9, 1));
    assert!(after.valid, "{after}");
}
