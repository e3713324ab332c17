use chrono::NaiveDate;
use serde_json::{Value, json};

use super::*;

const COMPLETE: &str = include_str!("../../tests/fixtures/yearly-report/complete.json");
const GAPS: &str = include_str!("../../tests/fixtures/yearly-report/gaps.json");

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test date")
}

fn today() -> NaiveDate {
    date(2026, 11, 30)
}

fn complete() -> Value {
    serde_json::from_str(COMPLETE).expect("the fixture is JSON")
}

fn calendar() -> std::sync::Arc<Config> {
    Config::embedded().expect("the calendar loads")
}

fn checked(doc: &Value) -> YearlyCheck {
    let answers = read(doc, today()).expect("the answers are usable");
    let period = period(&answers, None, today()).expect("a period");
    check(&answers, &period, &[], today(), &calendar()).expect("checks")
}

fn rules_at(check: &YearlyCheck) -> Vec<(String, String)> {
    check
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.pointer.clone()))
        .collect()
}

fn action(id: &str, kind: &str, status: &str, due: Option<&str>, raised: &str) -> Action {
    let mut value = json!({
        "id": id,
        "source": {"kind": kind, "reference": format!("{id} source")},
        "action": format!("Do {id}"),
        "agency": {"id": "kent-police", "name": "Kent Police"},
        "raised_date": raised,
        "status": status,
    });
    if kind == "final-report-recommendation" {
        value["source"]["case_reference"] = json!("KSCP-2025-001");
        value["source"]["recommendation"] = json!(1);
    }
    if let Some(due) = due {
        value["due_date"] = json!(due);
    }
    serde_json::from_value(value).expect("an action")
}

#[test]
fn the_sections_come_from_the_schema_in_its_order() {
    let sections = sections().expect("the schema loads");
    assert_eq!(sections.len(), 7);
    assert_eq!(sections[0].pointer, "/sections/activity_and_effectiveness");
    assert_eq!(
        sections[0].source,
        "Working Together to Safeguard Children 2018, chapter 3, paragraph 41"
    );
    for spec in sections {
        assert!(
            spec.source
                .starts_with("Working Together to Safeguard Children 2018, chapter 3, paragraph 4")
        );
        assert!(spec.min_words >= 6, "{}", spec.key);
    }
    let conditional: Vec<&str> = sections
        .iter()
        .filter(|s| s.required_if.is_some())
        .map(|s| s.source.as_str())
        .collect();
    assert_eq!(
        conditional,
        ["Working Together to Safeguard Children 2018, chapter 3, paragraph 45"]
    );
    let recipients = recipients().expect("the schema loads");
    let names: Vec<&str> = recipients.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Child Safeguarding Practice Review Panel",
            "What Works Centre for Children's Social Care"
        ]
    );
}

#[test]
fn complete_answers_have_no_findings() {
    let check = checked(&complete());
    assert_eq!(check.findings, vec![], "{}", check.text());
    assert!(check.complete);
    assert!(check.sections.iter().all(|s| s.verdict == Verdict::Present));
    assert_eq!(check.sending.due, Some(date(2026, 10, 2)));
    assert!(
        check
            .sending
            .copies
            .iter()
            .all(|c| c.status == SendStatus::OnTime)
    );
}

#[test]
fn each_missing_or_weak_section_is_found_with_its_pointer_and_source() {
    let doc: Value = serde_json::from_str(GAPS).expect("JSON");
    let check = checked(&doc);
    assert!(!check.complete);
    let verdict = |key: &str| {
        check
            .sections
            .iter()
            .find(|s| s.key == key)
            .map(|s| s.verdict)
    };
    assert_eq!(
        verdict("activity_and_effectiveness"),
        Some(Verdict::Present)
    );
    for (key, expected, rule) in [
        ("impact", Verdict::Weak, WEAK),
        ("little_or_no_progress", Verdict::Missing, MISSING),
        ("review_decisions_and_actions", Verdict::Weak, WEAK),
        ("feedback_from_children_and_families", Verdict::Weak, WEAK),
        (
            "restraint_in_secure_establishment",
            Verdict::Missing,
            MISSING,
        ),
        ("updates_to_arrangements", Verdict::Weak, WEAK),
    ] {
        assert_eq!(verdict(key), Some(expected), "{key}");
        let pointer = format!("/sections/{key}");
        let finding = check
            .findings
            .iter()
            .find(|f| f.pointer == pointer)
            .unwrap_or_else(|| panic!("no finding at {pointer}"));
        assert_eq!(finding.rule, rule, "{key}");
        assert_eq!(finding.severity, Severity::Error);
        let spec = sections()
            .expect("schema")
            .iter()
            .find(|s| s.key == key)
            .expect("a section");
        assert_eq!(finding.source, spec.source);
        assert!(finding.message.contains(&spec.title), "{}", finding.message);
    }
    assert_eq!(check.errors, 6);
    let message = |pointer: &str| {
        check
            .findings
            .iter()
            .find(|f| f.pointer == pointer)
            .map(|f| f.message.clone())
            .unwrap_or_default()
    };
    assert!(message("/sections/impact").contains("says only \"TBC\""));
    assert!(message("/sections/updates_to_arrangements").contains("says only \"N/A\""));
    assert!(
        message("/sections/review_decisions_and_actions").contains("points to another document")
    );
    assert!(message("/sections/feedback_from_children_and_families").contains("4 words"));
    assert!(message("/sections/little_or_no_progress").contains(
        "an analysis of any areas where there has been little or no evidence of progress"
    ));
    // Sent to the Panel 9 days after publication; nothing recorded for the What Works Centre,
    // now past its due date.
    assert!(
        message("/sent/panel")
            .contains("sent 9 days after publication; the guidance asks for within seven days")
    );
    assert!(message("/sent/what_works_centre").contains("No copy is recorded as sent"));
    assert_eq!(check.warnings, 2);
}

#[test]
fn placeholders_of_every_kind_are_weak() {
    for placeholder in ["N/A", "TBC", "see attached", "To follow", "  tbc. "] {
        let mut doc = complete();
        doc["sections"]["impact"] = json!(placeholder);
        let check = checked(&doc);
        assert_eq!(
            rules_at(&check),
            [(WEAK.to_owned(), "/sections/impact".to_owned())],
            "{placeholder}"
        );
    }
    let mut doc = complete();
    doc["sections"]["impact"] = json!("   ");
    assert_eq!(
        rules_at(&checked(&doc)),
        [(MISSING.to_owned(), "/sections/impact".to_owned())]
    );
}

#[test]
fn the_restraint_review_is_needed_only_with_a_secure_establishment() {
    let mut doc = complete();
    doc["secure_establishment"] = json!(false);
    doc["sections"]
        .as_object_mut()
        .expect("sections")
        .remove("restraint_in_secure_establishment");
    let check = checked(&doc);
    assert_eq!(check.findings, vec![]);
    assert!(
        check
            .sections
            .iter()
            .any(|s| s.verdict == Verdict::NotNeeded)
    );
    doc.as_object_mut()
        .expect("answers")
        .remove("secure_establishment");
    let check = checked(&doc);
    assert_eq!(
        rules_at(&check),
        [(UNDECIDED.to_owned(), "/secure_establishment".to_owned())]
    );
    assert!(
        check.findings[0]
            .source
            .ends_with("chapter 3, paragraph 45")
    );
}

/// The copies are due seven calendar days after publication, weekends and bank holidays
/// included: a working-day count would give later dates in every case here.
#[test]
fn copies_are_due_seven_calendar_days_after_publication() {
    let sent = |published: &str, panel: &str| {
        let mut doc = complete();
        doc["published_date"] = json!(published);
        doc["sent"] = json!({"panel": panel, "what_works_centre": panel});
        checked(&doc)
    };
    // Published Friday 21 August 2026: due Friday 28 August, over a weekend. The summer bank
    // holiday is Monday 31 August, which a working-day count would skip.
    let on_time = sent("2026-08-21", "2026-08-28");
    assert_eq!(on_time.sending.due, Some(date(2026, 8, 28)));
    assert_eq!(on_time.findings, vec![]);
    assert_eq!(on_time.sending.copies[0].days_after_publication, Some(7));
    let late = sent("2026-08-21", "2026-09-01");
    assert_eq!(late.sending.copies[0].status, SendStatus::Late);
    assert!(
        late.findings[0]
            .message
            .contains("sent 11 days after publication; the guidance asks for within seven days"),
        "{}",
        late.findings[0].message
    );
    assert_eq!(late.findings[0].rule, SENT_LATE);
    assert_eq!(late.findings[0].severity, Severity::Warning);
    assert!(late.findings[0].source.ends_with("chapter 3, paragraph 44"));
    // Published Thursday 18 December 2025: due on Christmas Day itself. Sent Monday 29
    // December is late, though within seven working days (19, 22, 23, 24, 29 December).
    let christmas = sent("2025-12-18", "2025-12-29");
    assert_eq!(christmas.sending.due, Some(date(2025, 12, 25)));
    assert_eq!(christmas.sending.copies[0].status, SendStatus::Late);
    let on_christmas_eve = sent("2025-12-18", "2025-12-24");
    assert_eq!(on_christmas_eve.findings, vec![]);
    // Sent the day of publication: on time.
    let same_day = sent("2025-12-18", "2025-12-18");
    assert_eq!(same_day.sending.copies[1].days_after_publication, Some(0));
    assert_eq!(same_day.sending.copies[1].status, SendStatus::OnTime);
}

#[test]
fn impossible_dates_and_sending_before_publication_are_refused() {
    let refused = |change: &dyn Fn(&mut Value)| {
        let mut doc = complete();
        change(&mut doc);
        match read(&doc, today()) {
            Err(YearlyError::Invalid(findings)) => findings,
            other => panic!("not refused: {other:?}"),
        }
    };
    let findings = refused(&|d| d["sent"]["panel"] = json!("2026-09-20"));
    assert_eq!(findings[0].pointer, "/sent/panel");
    assert!(
        findings[0]
            .message
            .contains("before the report was published on 25 September 2026")
    );
    let findings = refused(&|d| d["published_date"] = json!("2026-02-30"));
    assert_eq!(findings[0].pointer, "/published_date");
    assert!(findings[0].message.contains("not a real date"));
    let findings = refused(&|d| d["period"]["from"] = json!("01/04/2025"));
    assert!(findings[0].message.contains("YYYY-MM-DD"));
    let findings = refused(&|d| d["period"] = json!({"from": "2026-04-01", "to": "2025-03-31"}));
    assert_eq!(findings[0].rule, "yearly.period-order");
    let findings = refused(&|d| d["sent"]["what_works_centre"] = json!("2026-12-25"));
    assert!(findings[0].message.contains("after today"));
    let findings = refused(&|d| {
        d.as_object_mut().expect("answers").remove("published_date");
    });
    assert!(
        findings
            .iter()
            .all(|f| f.message.contains("no date of publication"))
    );
    assert_eq!(findings.len(), 2);
    let findings = refused(&|d| d["sections"]["impact"] = json!(42));
    assert_eq!(findings[0].rule, "schema.type");
    let findings = refused(&|d| d["sections"]["impakt"] = json!("text"));
    assert_eq!(findings[0].pointer, "/sections/impakt");
    // The error says every reason at once.
    let error = read(
        &json!({"partnership": "P", "published_date": "2026-13-01", "sent": {"panel": "x"}}),
        today(),
    )
    .expect_err("refused");
    let text = error.to_string();
    assert!(
        text.contains("\"Date published\"")
            && text.contains("Sent to the Child Safeguarding Practice Review Panel\""),
        "{text}"
    );
}

#[test]
fn a_long_section_is_refused_and_judged_without_running_through_it() {
    let mut doc = complete();
    doc["sections"]["impact"] = json!("word ".repeat(9000));
    let error = read(&doc, today()).expect_err("over 40,000 characters");
    assert!(error.to_string().contains("40,000 characters"), "{error}");
    // Just under the limit: present, judged quickly.
    doc["sections"]["impact"] = json!("word ".repeat(7999));
    let started = std::time::Instant::now();
    assert!(checked(&doc).complete);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

#[test]
fn the_period_comes_from_the_answers_or_is_asked_for() {
    let answers = read(&complete(), today()).expect("usable");
    let theirs = Period::new(date(2025, 4, 1), date(2026, 3, 31)).expect("a period");
    assert_eq!(period(&answers, None, today()).expect("ok"), theirs);
    assert_eq!(period(&answers, Some(theirs), today()).expect("ok"), theirs);
    let other = Period::new(date(2025, 1, 1), date(2025, 12, 31)).expect("a period");
    assert!(matches!(
        period(&answers, Some(other), today()),
        Err(YearlyError::PeriodConflict { .. })
    ));
    let mut doc = complete();
    doc.as_object_mut().expect("answers").remove("period");
    let answers = read(&doc, today()).expect("usable");
    assert_eq!(period(&answers, Some(other), today()).expect("ok"), other);
    let check = check(&answers, &other, &[], today(), &calendar()).expect("checks");
    assert_eq!(
        rules_at(&check),
        [(PERIOD.to_owned(), "/period".to_owned())]
    );
    let mut doc = complete();
    doc["period"] = json!({"from": "2025-01-01", "to": "2026-03-31"});
    assert_eq!(
        rules_at(&checked(&doc)),
        [(PERIOD.to_owned(), "/period/to".to_owned())]
    );
}

#[test]
fn overdue_and_not_started_review_actions_are_candidate_areas_of_little_progress() {
    let actions = [
        // Overdue at the period's end (31 March 2026), in progress.
        action(
            "A",
            "national-review",
            "in-progress",
            Some("2026-01-15"),
            "2025-06-01",
        ),
        // Not started, due later.
        action(
            "B",
            "final-report-recommendation",
            "not-started",
            Some("2026-09-30"),
            "2025-06-01",
        ),
        // Completed: not listed.
        action(
            "C",
            "final-report-recommendation",
            "completed",
            Some("2026-01-15"),
            "2025-06-01",
        ),
        // An audit's action: not a review recommendation.
        action(
            "D",
            "audit",
            "not-started",
            Some("2026-01-15"),
            "2025-06-01",
        ),
        // Raised after the period.
        action(
            "E",
            "national-review",
            "not-started",
            Some("2026-06-15"),
            "2026-05-01",
        ),
    ];
    let mut actions = actions.to_vec();
    actions[1].lead = Some("Sam Lead".to_owned());
    actions[2].completed_date = Some(date(2026, 1, 10));
    actions[2].impact = Some("Referrals now name the child's voice.".to_owned());
    actions[0].progress.push(Progress {
        date: date(2025, 12, 1),
        author: "A. Author".to_owned(),
        text: "Half the teams trained.".to_owned(),
    });
    let answers = read(&complete(), today()).expect("usable");
    let period = period(&answers, None, today()).expect("a period");
    let check = check(&answers, &period, &actions, today(), &calendar()).expect("checks");
    let listed: Vec<(&str, &str)> = check
        .little_progress
        .iter()
        .map(|g| (g.id.as_str(), g.why.as_str()))
        .collect();
    assert_eq!(
        listed,
        [("A", "Overdue since 15 January 2026"), ("B", "Not started")]
    );
    assert!(check.little_progress[0].working_days_overdue.unwrap_or(0) > 40);
    // Listed for the partnership to address, never a finding of their analysis.
    assert_eq!(check.findings, vec![]);

    let timeliness =
        crate::timeliness::timeliness_report(&[], &actions, period, today(), &calendar())
            .expect("the figures");
    let report = yearly_report(&answers, timeliness, &actions, &calendar(), 10).expect("builds");
    let ids: Vec<&str> = report
        .review_actions
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    assert_eq!(ids, ["B", "C", "A"], "by source, then id");
    let a = report
        .review_actions
        .iter()
        .find(|l| l.id == "A")
        .expect("A");
    assert_eq!(a.rag, Rag::Red);
    assert_eq!(
        a.latest_progress.as_ref().map(|p| p.text.as_str()),
        Some("Half the teams trained.")
    );
    let c = report
        .review_actions
        .iter()
        .find(|l| l.id == "C")
        .expect("C");
    assert_eq!((c.status, c.rag), (Status::Completed, Rag::Done));

    let document = document::yearly_document(&report, today());
    let text = format!("{:?}", document.blocks);
    for wanted in [
        "Actions on the recommendations of local and national reviews",
        "Actions with little or no progress",
        "Referrals now name the child's voice.",
        "Overdue since 15 January 2026",
        "Activity and timeliness in figures",
        "by 2 October 2026",
    ] {
        assert!(text.contains(wanted), "no {wanted}");
    }
    // The timeliness report's headings sit one level down, under this report's.
    assert!(
        document
            .blocks
            .iter()
            .filter_map(|b| match b {
                crate::assemble::model::Block::Heading { level, text } => Some((level, text)),
                _ => None,
            })
            .any(|(level, text)| *level == 2
                && crate::assemble::model::plain_text(text) == "Notifications to the Panel")
    );
    assert_eq!(
        document
            .blocks
            .iter()
            .filter(|b| matches!(b, crate::assemble::model::Block::Title { .. }))
            .count(),
        1
    );
}

/// Every word a reader of `document` sees: its metadata, headings, paragraphs, table cells
/// and charts' labels and descriptions.
fn document_text(document: &crate::assemble::model::Document) -> String {
    use crate::assemble::model::{Block, plain_text};
    fn walk(block: &Block, out: &mut String) {
        match block {
            Block::Title { text } | Block::Heading { text, .. } | Block::Paragraph { text } => {
                out.push_str(&plain_text(text));
                out.push('\n');
            }
            Block::List { items, .. } => {
                for block in items.iter().flatten() {
                    walk(block, out);
                }
            }
            Block::Table { header, rows, .. } => {
                for cell in header.iter().chain(rows.iter().flatten()) {
                    out.push_str(&plain_text(cell));
                    out.push('\n');
                }
            }
            Block::Chart(chart) => {
                out.push_str(&chart.title);
                out.push('\n');
                out.push_str(&chart.description);
                out.push('\n');
                for item in &chart.items {
                    out.push_str(&item.label);
                    out.push('\n');
                }
            }
            Block::Contents | Block::PageBreak => {}
        }
    }
    let meta = &document.meta;
    let mut out = format!(
        "{}\n{}\n{}\n{}\n",
        meta.title, meta.subject, meta.author, meta.marking
    );
    for block in &document.blocks {
        walk(block, &mut out);
    }
    out
}

/// The rows of the first table whose header begins with `start`, as text.
fn table_rows(document: &crate::assemble::model::Document, start: &[&str]) -> Vec<Vec<String>> {
    use crate::assemble::model::{Block, plain_text};
    document
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Table { header, rows, .. }
                if header.len() >= start.len()
                    && header.iter().zip(start).all(|(h, s)| plain_text(h) == *s) =>
            {
                Some(
                    rows.iter()
                        .map(|row| row.iter().map(|c| plain_text(c)).collect())
                        .collect(),
                )
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no table headed {start:?}"))
}

const LATE_CASE: &str = "KSCP-2025-031";
const OVERDUE_CASE: &str = "KSCP-2025-032";
const RECOMMENDING_CASE: &str = "KSCP-2024-117";
const REASON: &str = "Marked reason: the strategy meeting waited for the police interview";
const LEADS: [&str; 2] = ["Priya Marked-Lead", "Sam Marked-Lead"];

/// A report on the complete answers whose figures hold case-level detail: a step done late
/// with its reason, a step still overdue, and actions with named leads, one on a local
/// review's recommendation whose source names its case.
fn detailed_report(answers: &Value) -> YearlyReport {
    use crate::timeliness::{CaseRecord, StepRecord, timeliness_report};
    let step = |rule: &str, title: &str, due, done, reason: Option<&str>| StepRecord {
        rule: rule.to_owned(),
        title: title.to_owned(),
        due,
        done,
        late_reason: reason.map(str::to_owned),
    };
    let cases = [
        CaseRecord {
            reference: LATE_CASE.to_owned(),
            notified: Some(date(2025, 6, 12)),
            categories: vec!["neglect".to_owned()],
            steps: vec![step(
                "notify-panel",
                "Notify the Panel",
                date(2025, 6, 5),
                Some(date(2025, 6, 12)),
                Some(REASON),
            )],
            ..CaseRecord::default()
        },
        CaseRecord {
            reference: OVERDUE_CASE.to_owned(),
            notified: Some(date(2025, 9, 1)),
            categories: vec!["physical".to_owned()],
            steps: vec![
                step(
                    "notify-panel",
                    "Notify the Panel",
                    date(2025, 9, 3),
                    Some(date(2025, 9, 1)),
                    None,
                ),
                step(
                    "rapid-review-to-panel",
                    "Rapid review sent to the Panel",
                    date(2025, 10, 1),
                    None,
                    None,
                ),
            ],
            ..CaseRecord::default()
        },
    ];
    let mut local = action(
        "L",
        "final-report-recommendation",
        "in-progress",
        Some("2026-01-15"),
        "2025-06-01",
    );
    local.source.reference = format!("{RECOMMENDING_CASE} final report, recommendation 2");
    local.source.case_reference = Some(RECOMMENDING_CASE.to_owned());
    local.lead = Some(LEADS[0].to_owned());
    let mut national = action(
        "N",
        "national-review",
        "not-started",
        Some("2026-02-27"),
        "2025-06-01",
    );
    national.lead = Some(LEADS[1].to_owned());
    let actions = [local, national];
    let answers = read(answers, today()).expect("usable answers");
    let period = period(&answers, None, today()).expect("a period");
    let timeliness =
        timeliness_report(&cases, &actions, period, today(), &calendar()).expect("the figures");
    yearly_report(&answers, timeliness, &actions, &calendar(), 10).expect("the report")
}

#[test]
fn the_copy_for_publication_holds_no_case_reference_reason_or_lead() {
    use crate::assemble::Marking;
    let report = detailed_report(&complete());
    // The figures do hold the detail the published copy must leave out.
    let late: Vec<&crate::timeliness::LateStep> = report
        .timeliness
        .steps
        .iter()
        .flat_map(|s| &s.late_ones)
        .collect();
    assert_eq!(late.len(), 2, "{late:?}");
    assert!(late.iter().any(|l| l.reason.as_deref() == Some(REASON)));
    assert_eq!(report.timeliness.actions.overdue_actions.len(), 2);
    assert_eq!(report.check.little_progress.len(), 2);

    let secret = [
        LATE_CASE,
        OVERDUE_CASE,
        RECOMMENDING_CASE,
        REASON,
        LEADS[0],
        LEADS[1],
    ];
    let sensitive = document::yearly_document_marked(&report, today(), Marking::OfficialSensitive)
        .expect("a draft or not, the partnership's own copy is made");
    assert_eq!(sensitive, document::yearly_document(&report, today()));
    assert_eq!(sensitive.meta.marking, "OFFICIAL-SENSITIVE");
    let text = document_text(&sensitive);
    for wanted in secret {
        assert!(
            text.contains(wanted),
            "the OFFICIAL-SENSITIVE copy has no {wanted}"
        );
    }

    let published = document::yearly_document_marked(&report, today(), Marking::Official)
        .expect("every section is written");
    assert_eq!(published.meta.marking, "OFFICIAL");
    let text = document_text(&published);
    for unwanted in secret.iter().chain(&["KSCP-"]) {
        assert!(
            !text.contains(unwanted),
            "the copy for publication holds {unwanted}:\n{text}"
        );
    }
    assert!(
        text.contains(
            "The case-by-case list of these steps, with the reason given for each, is kept in the partnership's own OFFICIAL-SENSITIVE copy of this report."
        ),
        "{text}"
    );
    // The per-step counts and their chart stay, the same in both copies.
    let counts = table_rows(&published, &["Step", "Due"]);
    assert_eq!(counts, table_rows(&sensitive, &["Step", "Due"]));
    let notify = counts
        .iter()
        .find(|r| r[0] == "Notify the Panel")
        .expect("the Panel's step");
    assert_eq!(
        notify[1..5],
        ["2", "1", "1", "0"],
        "due, on time, late, overdue"
    );
    assert!(text.contains("Bar chart of share of steps done on time."));
    assert!(!table_rows(&sensitive, &["Case", "Step"]).is_empty());
    // The actions keep their agency and the kind of source; the lead's column goes.
    let record = table_rows(&published, &["Action", "Source"]);
    let local = record
        .iter()
        .find(|r| r[0] == "Do L")
        .expect("the local review's action");
    assert_eq!(local[1], "Local review recommendation");
    assert_eq!(local[2], "Kent Police");
    let national = record
        .iter()
        .find(|r| r[0] == "Do N")
        .expect("the national review's action");
    assert_eq!(national[1], "National review: N source");
    let gaps = table_rows(&published, &["Action", "Agency", "Due"]);
    assert_eq!(gaps.len(), 2);
    assert_eq!(
        table_rows(&sensitive, &["Action", "Agency", "Lead"]).len(),
        2
    );
    let overdue = table_rows(&published, &["Agency", "Action"]);
    assert_eq!(overdue.len(), 2);
    assert!(
        overdue
            .iter()
            .all(|r| r.len() == 5 && r[0] == "Kent Police")
    );
    assert!(overdue.iter().any(|r| r[1] == "Do L"), "{overdue:?}");
    assert_eq!(
        published.blocks.len(),
        sensitive.blocks.len(),
        "the same sections, tables and charts: only their detail differs"
    );
}

#[test]
fn the_copy_for_publication_of_an_unfinished_report_is_refused() {
    use crate::assemble::Marking;
    let gaps: Value = serde_json::from_str(GAPS).expect("JSON");
    let report = detailed_report(&gaps);
    assert!(!report.check.complete);
    assert!(report.ready_for(Marking::OfficialSensitive).is_ok());
    let draft = document::yearly_document_marked(&report, today(), Marking::OfficialSensitive)
        .expect("a draft still renders");
    assert!(document_text(&draft).contains("Draft: 6 sections are still to write or strengthen"));

    let error = document::yearly_document_marked(&report, today(), Marking::Official)
        .expect_err("two sections are missing");
    // Only the missing sections are named: the four weak ones are written, if thinly.
    assert_eq!(
        error.to_string(),
        "The copy for publication needs every section written: Areas with little or no evidence of progress on agreed priorities; Review of the use of restraint in the secure establishment. Check lists what each needs."
    );
    assert!(matches!(&error, YearlyError::Unfinished(titles) if titles.len() == 2));

    // A section whose need is not decided is not written either.
    let mut undecided = complete();
    undecided
        .as_object_mut()
        .expect("answers")
        .remove("secure_establishment");
    undecided["sections"]
        .as_object_mut()
        .expect("sections")
        .remove("restraint_in_secure_establishment");
    let report = detailed_report(&undecided);
    assert!(
        report
            .sections
            .iter()
            .any(|s| s.verdict == Verdict::Undecided)
    );
    assert_eq!(
        report.unwritten(),
        ["Review of the use of restraint in the secure establishment"]
    );
    assert!(matches!(
        report.ready_for(Marking::Official),
        Err(YearlyError::Unfinished(_))
    ));

    // Weak sections are allowed: the partnership decides whether they are enough.
    let mut weak = complete();
    weak["sections"]["impact"] = json!("TBC");
    let report = detailed_report(&weak);
    assert!(!report.check.complete);
    let published = document::yearly_document_marked(&report, today(), Marking::Official)
        .expect("weak is not missing");
    assert_eq!(published.meta.marking, "OFFICIAL");
    assert!(
        !document_text(&published).contains("Draft:"),
        "a published copy is not called a draft"
    );
    let own = document::yearly_document(&report, today());
    assert!(document_text(&own).contains("Draft: one section is still to write or strengthen"));
}
