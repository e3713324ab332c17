use chrono::NaiveDate;
use serde_json::{Value, json};

use super::*;
use crate::calendar::WorkingCalendar;

const FINAL_REPORT: &str =
    include_str!("../../samples/final-report/valid/kscp-2026-014-child-l.json");
const FINAL_REPORT_SCHEMA: &str = include_str!("../../schemas/final-report.schema.json");

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test date")
}

fn today() -> NaiveDate {
    date(2026, 11, 23)
}

/// Where the final report keeps its recommendations (what its schema's `x-actions` says).
fn fields() -> RecommendationFields {
    RecommendationFields {
        list: "/recommendations".into(),
        number: "/number".into(),
        text: "/text".into(),
        agencies: "/owner_agencies".into(),
        due: "/due_date".into(),
        raised: vec![
            "/publication/published_date".into(),
            "/publication/planned_date".into(),
        ],
    }
}

fn known() -> Vec<Agency> {
    [
        ("kent-police", "Kent Police"),
        (
            "kcc-childrens-social-care",
            "Kent County Council Children's Social Care",
        ),
    ]
    .into_iter()
    .map(|(id, name)| Agency {
        id: id.into(),
        name: name.into(),
    })
    .collect()
}

fn report() -> Value {
    serde_json::from_str(FINAL_REPORT).expect("the sample is JSON")
}

fn derive(report: &Value) -> Derived {
    actions_from_final_report(
        "KSCP-2026-014",
        report,
        &fields(),
        &known(),
        date(2026, 8, 27),
    )
}

/// A valid action of Kent Police, in progress, as JSON.
fn action_json() -> Value {
    json!({
        "id": "KSCP-2026-014:R2:kent-police",
        "source": {
            "kind": "final-report-recommendation",
            "reference": "KSCP-2026-014 final report, recommendation 2",
            "case_reference": "KSCP-2026-014",
            "recommendation": 2
        },
        "action": "Share every domestic abuse notification for a child under one with health visiting within two working days.",
        "agency": {"id": "kent-police", "name": "Kent Police"},
        "lead": "Detective Inspector A. Example",
        "raised_date": "2026-08-27",
        "due_date": "2026-12-31",
        "status": "in-progress",
        "progress": [
            {"date": "2026-10-01", "author": "A. Example", "text": "Process drafted with the health visiting service."}
        ]
    })
}

fn action() -> Action {
    parse(&action_json(), today()).expect("the test action is valid")
}

fn rules_of(report: &crate::validate::Report) -> Vec<&str> {
    report.rules()
}

fn finding<'r>(report: &'r crate::validate::Report, rule: &str) -> &'r crate::validate::Finding {
    report
        .findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no {rule} in {report}"))
}

#[test]
fn a_final_reports_recommendations_become_actions_exactly_once() {
    let report = report();
    let derived = derive(&report);
    // 3 + 3 + 2 + 1 agencies named across the four recommendations.
    assert_eq!(derived.actions.len(), 9, "{:?}", derived.notes);
    assert!(derived.notes.is_empty(), "{:?}", derived.notes);
    let police = derived
        .actions
        .iter()
        .find(|a| a.id == "KSCP-2026-014:R2:kent-police")
        .expect("recommendation 2 for Kent Police");
    assert_eq!(police.agency, known()[0], "a known agency keeps its id");
    assert_eq!(police.due_date, Some(date(2026, 12, 31)));
    assert_eq!(police.status, Status::NotStarted);
    assert_eq!(police.source.recommendation, Some(2));
    let health = derived
        .actions
        .iter()
        .find(|a| a.source.recommendation == Some(4))
        .expect("recommendation 4");
    assert_eq!(
        health.agency.id,
        "nhs-kent-and-medway-integrated-care-board"
    );
    for action in &derived.actions {
        let checked = check(action, today()).expect("schema loads");
        assert!(checked.valid, "{}: {checked}", action.id);
    }

    let mut held = Vec::new();
    let first = merge(&mut held, derived.actions);
    assert_eq!(first.added.len(), 9);
    // The agency reports progress; then the report is sent again.
    let i = held
        .iter()
        .position(|a| a.id == "KSCP-2026-014:R2:kent-police")
        .expect("held");
    held[i].status = Status::InProgress;
    held[i].progress.push(Progress {
        date: date(2026, 10, 1),
        author: "A. Example".into(),
        text: "Process drafted.".into(),
    });
    let before = held.clone();
    let again = merge(&mut held, derive(&report).actions);
    assert!(again.added.is_empty(), "{again:?}");
    assert!(again.differs.is_empty() && again.no_longer_asked.is_empty());
    assert_eq!(
        held, before,
        "re-deriving changes nothing held, progress included"
    );

    // A re-sent report that rewords one recommendation, adds an agency to another and drops a
    // third: only the new agency's action is added; the others are flagged, not touched.
    let mut changed = report.clone();
    changed["recommendations"][0]["text"] = "Audit the bruising protocol twice a year.".into();
    changed["recommendations"][3]["owner_agencies"] = json!(["Kent Police"]);
    changed["recommendations"]
        .as_array_mut()
        .expect("a list")
        .remove(2);
    let third = merge(&mut held, derive(&changed).actions);
    assert_eq!(third.added, vec!["KSCP-2026-014:R4:kent-police".to_owned()]);
    assert_eq!(
        third.differs.len(),
        3,
        "the three agencies of recommendation 1"
    );
    assert!(third.no_longer_asked.len() == 3, "{third:?}");
    assert_eq!(held.len(), 10);
    assert_eq!(held[i], before[i]);
}

#[test]
fn recommendations_missing_a_number_or_an_agency_are_noted() {
    let mut report = report();
    report["recommendations"][0]
        .as_object_mut()
        .expect("an object")
        .remove("number");
    report["recommendations"][1]["owner_agencies"] = json!([]);
    report["recommendations"][2]["due_date"] = "31/03/2027".into();
    let derived = derive(&report);
    assert_eq!(derived.notes.len(), 3, "{:?}", derived.notes);
    let partnership = derived
        .actions
        .iter()
        .find(|a| a.source.recommendation == Some(2))
        .expect("recommendation 2");
    assert_eq!(partnership.id, "KSCP-2026-014:R2:partnership");
    assert!(
        derived
            .actions
            .iter()
            .filter(|a| a.source.recommendation == Some(3))
            .all(|a| a.due_date.is_none())
    );
}

#[test]
fn the_recommendation_fields_can_come_from_the_form_schema() {
    let mut schema: Value = serde_json::from_str(FINAL_REPORT_SCHEMA).expect("JSON");
    assert_eq!(
        RecommendationFields::from_schema(&schema),
        Ok(Some(fields()))
    );
    // The registry finds them by the final report's case role, not by its id.
    let registry = crate::forms::Registry::load().expect("the built-in forms load");
    assert_eq!(registry.recommendation_fields(), Some(&fields()));
    let without = schema.as_object_mut().and_then(|m| m.remove("x-actions"));
    assert!(without.is_some());
    assert_eq!(RecommendationFields::from_schema(&schema), Ok(None));
    schema["x-actions"] = serde_json::to_value(fields()).expect("serialises");
    schema["x-actions"]["due"] = "/due_by".into();
    let error = RecommendationFields::from_schema(&schema).expect_err("no such field");
    assert!(error.contains("/due_by"), "{error}");
}

#[test]
fn rag_follows_the_due_date_on_a_fixed_clock() {
    let calendar = WorkingCalendar::default();
    let mut action = action();
    action.due_date = Some(date(2026, 12, 4)); // a Friday
    let at = |action: &Action, y, m, d| rag(action, date(y, m, d), 5, &calendar).expect("counts");
    let seen = at(&action, 2026, 11, 20);
    assert_eq!((seen.rag, seen.working_days_left), (Rag::Green, Some(10)));
    assert_eq!(at(&action, 2026, 11, 26).rag, Rag::Green, "6 working days");
    assert_eq!(at(&action, 2026, 11, 27).rag, Rag::Amber, "5 working days");
    let due_today = at(&action, 2026, 12, 4);
    assert_eq!(
        (due_today.rag, due_today.working_days_left),
        (Rag::Amber, Some(0))
    );
    let saturday = at(&action, 2026, 12, 5);
    assert_eq!(
        (saturday.rag, saturday.working_days_left),
        (Rag::Red, Some(-1))
    );
    assert_eq!(at(&action, 2026, 12, 9).working_days_left, Some(-3));
    // Bank holidays are not working days: 21 December to 29 December 2026 is 4 of them.
    action.due_date = Some(date(2026, 12, 29));
    let christmas = at(&action, 2026, 12, 21);
    assert_eq!(
        (christmas.rag, christmas.working_days_left),
        (Rag::Amber, Some(4))
    );
    action.status = Status::Completed;
    assert_eq!(at(&action, 2027, 6, 1).rag, Rag::Done);
    action.status = Status::InProgress;
    action.due_date = None;
    assert_eq!(at(&action, 2026, 11, 20).rag, Rag::Amber, "no due date");
}

#[test]
fn an_agency_cannot_update_another_agencys_action() {
    let before = action();
    let mut after = before.clone();
    after.progress.push(Progress {
        date: date(2026, 11, 20),
        author: "B. Example".into(),
        text: "Agreed with the health visiting service.".into(),
    });
    let kcc = Actor::Agency("kcc-childrens-social-care");
    let police = Actor::Agency("kent-police");
    assert!(!may_update(kcc, &before));
    assert!(may_update(police, &before));
    assert!(may_update(Actor::Partnership, &before));
    assert!(!may_update(Actor::Reviewer, &before));
    let refused = check_change(kcc, Some(&before), &after).expect_err("not theirs");
    assert!(matches!(refused, PermissionError::NotYourAction { .. }));
    assert!(refused.to_string().contains("belongs to Kent Police"));
    assert_eq!(check_change(police, Some(&before), &after), Ok(()));
    assert_eq!(
        check_change(Actor::Reviewer, Some(&before), &after),
        Err(PermissionError::ReadOnly)
    );
    assert_eq!(
        check_change(police, None, &after),
        Err(PermissionError::OnlyPartnershipAdds)
    );
    let mut later = after.clone();
    later.due_date = Some(date(2027, 6, 30));
    assert_eq!(
        check_change(police, Some(&before), &later),
        Err(PermissionError::PlanIsThePartnerships {
            what: "the due date"
        })
    );
    let mut rewritten = after.clone();
    rewritten.progress.remove(0);
    assert_eq!(
        check_change(police, Some(&before), &rewritten),
        Err(PermissionError::HistoryRewritten)
    );
}

#[test]
fn closure_needs_the_partnership() {
    let before = action();
    let mut closed = before.clone();
    closed.status = Status::Closed;
    closed.completed_date = Some(date(2026, 11, 2));
    closed.impact = Some("Audit of 40 notifications: all shared within two days.".into());
    closed.closure = Some(Closure {
        by: "C. Example, partnership business manager".into(),
        date: date(2026, 11, 20),
    });
    let police = Actor::Agency("kent-police");
    assert!(may_close(Actor::Partnership));
    assert!(!may_close(police));
    assert_eq!(
        check_change(police, Some(&before), &closed),
        Err(PermissionError::OnlyPartnershipCloses)
    );
    assert_eq!(
        check_change(Actor::Partnership, Some(&before), &closed),
        Ok(())
    );
    assert!(check(&closed, today()).expect("loads").valid);
    // Once closed, the agency cannot change it at all.
    let mut reopened = closed.clone();
    reopened.status = Status::InProgress;
    reopened.closure = None;
    assert_eq!(
        check_change(police, Some(&closed), &reopened),
        Err(PermissionError::Closed)
    );
    // A closed action with no sign-off is not valid.
    closed.closure = None;
    let report = check(&closed, today()).expect("loads");
    assert!(!report.valid);
    assert!(
        finding(&report, "action.closed-needs-sign-off")
            .message
            .contains("Only the partnership closes an action")
    );
}

#[test]
fn spreadsheet_and_impossible_dates_are_refused_with_a_clear_message() {
    let with_due = |due: &str| {
        let mut value = action_json();
        value["due_date"] = due.into();
        validate(&value, today()).expect("loads")
    };
    for zero in ["00/01/1900", "1900-01-00"] {
        let report = with_due(zero);
        assert!(!report.valid, "{zero}");
        let found = finding(&report, "action.date-not-real");
        assert_eq!(found.pointer, "/due_date");
        assert_eq!(
            found.message,
            format!(
                "\"Due date\" is \"{zero}\", which is not a date: there is no day 0 of a month. This is what a spreadsheet shows when a date cell is empty. Write the date as YYYY-MM-DD, for example 2026-11-23. If there is no date yet, leave \"Due date\" out."
            )
        );
        assert_eq!(report.errors, 1, "{report}");
    }
    let report = with_due("2025-02-30");
    assert_eq!(
        finding(&report, "action.date-not-real").message,
        "\"Due date\" is \"2025-02-30\", which is not a date: February 2025 has 28 days, so there is no 30 February 2025. Please check the day, and write the date as YYYY-MM-DD, for example 2025-02-28 for the last day of February 2025."
    );
    let report = with_due("31/03/2027");
    assert_eq!(
        finding(&report, "action.date-format").message,
        "\"Due date\" is written \"31/03/2027\". Please write it as YYYY-MM-DD: 2027-03-31."
    );
    let report = with_due("31/03/27");
    assert_eq!(
        finding(&report, "action.date-format").message,
        "\"Due date\" is written \"31/03/27\". Please write the year in full, and the date as YYYY-MM-DD: if you mean 31 March 2027, write 2027-03-31."
    );
    let report = with_due("31/03/1900");
    assert!(
        finding(&report, "action.date-plausible")
            .message
            .starts_with("\"Due date\" is 31 March 1900, which cannot be right")
    );
    let report = with_due("1900-01-01");
    assert!(
        finding(&report, "action.date-plausible")
            .message
            .starts_with("\"Due date\" is 1 January 1900, which cannot be right for a due date")
    );
    let mut value = action_json();
    value["progress"][0]["date"] = "2026-12-01".into();
    let report = validate(&value, today()).expect("loads");
    let found = finding(&report, "action.date-plausible");
    assert_eq!(found.pointer, "/progress/0/date");
    assert!(
        found
            .message
            .contains("something that has already happened")
    );
    let mut value = action_json();
    value["raised_date"] = "00/01/1900".into();
    let error = parse(&value, today()).expect_err("not a date");
    let text = error.to_string();
    assert!(text.contains("\"Date raised\" is \"00/01/1900\""), "{text}");
    assert!(
        !text.contains("leave"),
        "a required date cannot be left out: {text}"
    );
}

#[test]
fn a_completed_action_shows_what_was_done_and_when() {
    let mut value = action_json();
    value["status"] = "completed".into();
    value.as_object_mut().expect("object").remove("progress");
    let report = validate(&value, today()).expect("loads");
    assert_eq!(
        rules_of(&report),
        ["action.completed-needs-date", "action.done-needs-evidence"]
    );
    value["completed_date"] = "2026-11-02".into();
    value["impact"] = "N/A".into();
    let report = validate(&value, today()).expect("loads");
    assert_eq!(rules_of(&report), ["action.impact-substantive"]);
    value["impact"] = "Every notification in October was shared within two days.".into();
    assert!(validate(&value, today()).expect("loads").valid);
    value["status"] = "in-progress".into();
    let report = validate(&value, today()).expect("loads");
    assert_eq!(rules_of(&report), ["action.completed-date-but-open"]);
}

#[test]
fn schema_errors_are_in_plain_english() {
    let mut value = action_json();
    value["status"] = "done".into();
    value["source"]
        .as_object_mut()
        .expect("object")
        .remove("recommendation");
    value.as_object_mut().expect("object").remove("agency");
    value["colour"] = "red".into();
    let report = validate(&value, today()).expect("loads");
    assert!(
        finding(&report, "schema.enum")
            .message
            .contains("must be one of: Not started (not-started), In progress (in-progress)")
    );
    assert_eq!(
        finding(&report, "schema.required").message,
        "\"Agency responsible\" is missing. Please fill it in."
    );
    assert_eq!(
        finding(&report, "action.recommendation-source").pointer,
        "/source/recommendation"
    );
    assert!(
        finding(&report, "schema.unknown-field")
            .message
            .contains("\"colour\"")
    );
    let mut value = action_json();
    value["progress"] = "lots".into();
    let report = validate(&value, today()).expect("loads");
    assert_eq!(rules_of(&report), ["schema.type"]);
    assert_eq!(
        finding(&report, "schema.type").message,
        "\"Progress updates\" should be a list; it is \"lots\"."
    );
}

#[test]
fn the_status_at_an_earlier_date_comes_from_the_actions_dates() {
    let mut action = action();
    action.status = Status::Closed;
    action.completed_date = Some(date(2026, 11, 2));
    action.closure = Some(Closure {
        by: "C. Example".into(),
        date: date(2026, 11, 20),
    });
    let on = |y, m, d| action.status_on(date(y, m, d), today());
    assert_eq!(on(2026, 8, 26), None, "not raised yet");
    assert_eq!(on(2026, 9, 30), Some(Status::NotStarted));
    assert_eq!(on(2026, 10, 1), Some(Status::InProgress));
    assert_eq!(on(2026, 11, 2), Some(Status::Completed));
    assert_eq!(on(2026, 11, 20), Some(Status::Closed));
    assert_eq!(on(2026, 12, 31), Some(Status::Closed));
}

#[test]
fn a_reports_actions_are_raised_on_its_publication_day_when_it_gives_a_plausible_one() {
    let fields = fields();
    let today = date(2026, 11, 30);
    let mut report = report();
    assert_eq!(
        report.pointer("/publication/planned_date"),
        Some(&json!("2026-08-27"))
    );
    assert_eq!(fields.raised_on(&report, today), date(2026, 8, 27));
    // Planned within the year ahead: raised then (not yet raised until that day).
    report["publication"]["planned_date"] = json!("2027-02-01");
    assert_eq!(fields.raised_on(&report, today), date(2027, 2, 1));
    // Published: the day it was, whatever was planned.
    report["publication"]["published_date"] = json!("2026-09-03");
    assert_eq!(fields.raised_on(&report, today), date(2026, 9, 3));
    report["publication"]["published_date"] = json!("not yet");
    assert_eq!(fields.raised_on(&report, today), date(2027, 2, 1));
    // No plausible day there: the day it is stored.
    for planned in [
        json!("2099-01-01"),
        json!("1900-01-00"),
        json!("27/08/2026"),
        json!(3),
    ] {
        report["publication"]["planned_date"] = planned.clone();
        assert_eq!(fields.raised_on(&report, today), today, "{planned}");
    }
    report["publication"]
        .as_object_mut()
        .expect("an object")
        .remove("planned_date");
    assert_eq!(fields.raised_on(&report, today), today);
    let undated = RecommendationFields {
        raised: Vec::new(),
        ..fields.clone()
    };
    assert_eq!(undated.raised_on(&self::report(), today), today);
}

#[test]
fn x_actions_raised_must_be_a_field_of_the_form() {
    let schema = |raised: &str| {
        json!({
            "type": "object",
            "properties": {
                "published": {"type": "string"},
                "recommendations": {"type": "array", "items": {"type": "object", "properties": {
                    "number": {"type": "integer"}, "text": {"type": "string"},
                    "owner_agencies": {"type": "array"}, "due_date": {"type": "string"}
                }}}
            },
            "x-actions": {"list": "/recommendations", "number": "/number", "text": "/text",
                "agencies": "/owner_agencies", "due": "/due_date", "raised": raised}
        })
    };
    let read = RecommendationFields::from_schema(&schema("/published"))
        .expect("valid")
        .expect("x-actions");
    assert_eq!(read.raised, ["/published"]);
    let error =
        RecommendationFields::from_schema(&schema("/publication/date")).expect_err("not a field");
    assert!(error.contains("raised \"/publication/date\""), "{error}");
}
