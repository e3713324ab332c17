//! The shapes of real published reports that the final report check must read (issue 17), each
//! class with focused tests on Word drafts: contents pages, title pages and author attributions,
//! the child's voice, over-credit from one heading, family composition tables, pseudonyms and
//! role labels, organisations' own details, and partnerships other than Kent. And the hostile
//! input that was once quadratic.

use std::time::{Duration, Instant};

use safeguarding_forms::check::{
    CaseForms, CheckConfig, HitKind, ReportCheck, ReportInput, Verdict, check_report,
    check_report_with,
};

use crate::check_report::draft::Draft;
use crate::support::hostile_files::package;

fn run(draft: &Draft) -> ReportCheck {
    check_report(ReportInput::Docx(&draft.docx()), &CaseForms::none()).expect("the draft is read")
}

fn verdict(check: &ReportCheck, id: &str) -> Verdict {
    check
        .items
        .iter()
        .find(|i| i.id == id)
        .map(|i| i.verdict)
        .unwrap_or_else(|| panic!("no item {id}"))
}

fn heading_of(check: &ReportCheck, id: &str) -> Option<String> {
    check
        .items
        .iter()
        .find(|i| i.id == id)
        .and_then(|i| i.location.as_ref())
        .and_then(|l| l.heading.clone())
}

fn found(check: &ReportCheck) -> Vec<(HitKind, &str)> {
    check
        .identifying
        .iter()
        .map(|h| (h.kind, h.text.as_str()))
        .collect()
}

const FINDING: &str = "Police notifications of domestic abuse did not reach the health visitor, and the father was never seen by any practitioner during the nine months of the plan.";

// ---------------------------------------------------------------------------------------------
// Contents lists

#[test]
fn word_contents_entries_are_not_sections() {
    // "Terms of reference" and "Methodology" appear only as TOC 1 / TOC 2 entries.
    let draft = Draft::default()
        .title("Local Child Safeguarding Practice Review: Child T")
        .toc_heading("Contents")
        .toc(1, "1. Introduction", "3")
        .toc(2, "1.1 Terms of reference", "3")
        .toc(1, "2. Methodology", "4")
        .toc(1, "3. Findings", "6")
        .heading(1, "1. Introduction")
        .para(
            "Child T was admitted to hospital after an assault by adults who were exploiting her.",
        )
        .heading(1, "3. Findings")
        .para(FINDING);
    let check = run(&draft);
    assert_eq!(
        verdict(&check, "terms-of-reference"),
        Verdict::Missing,
        "{check}"
    );
    assert_eq!(verdict(&check, "methodology"), Verdict::Missing, "{check}");
    assert_eq!(verdict(&check, "findings"), Verdict::Present, "{check}");
    assert_eq!(
        heading_of(&check, "findings").as_deref(),
        Some("3. Findings")
    );
}

#[test]
fn typed_contents_lines_with_page_numbers_hold_nothing() {
    // Typed entries look like numbered headings; the text after the last one is the body's.
    let draft = Draft::default()
        .para("Contents")
        .para("1. Introduction 3")
        .para("1.2 Terms of Reference ..... 4")
        .para("7. Analysis and themes 21")
        .para("8. Recommendations 30")
        .para("1. Introduction")
        .para("The review was commissioned after Child R was injured. The review considered how agencies shared information about the father and how the baby's care was understood.");
    let check = run(&draft);
    assert_eq!(
        verdict(&check, "recommendations"),
        Verdict::Missing,
        "{check}"
    );
    assert_eq!(
        verdict(&check, "systemic-analysis"),
        Verdict::Missing,
        "{check}"
    );
    // Found in the body by its cue, not under the contents entry.
    assert_eq!(
        verdict(&check, "terms-of-reference"),
        Verdict::Present,
        "{check}"
    );
    assert_eq!(
        heading_of(&check, "terms-of-reference").as_deref(),
        Some("1. Introduction")
    );
}

#[test]
fn contents_without_page_numbers_end_where_the_body_starts() {
    let draft = Draft::default()
        .heading(1, "Table of contents")
        .para("Introduction")
        .para("Methodology")
        .para("Findings")
        .heading(1, "Introduction")
        .para("Child M was seriously injured in a house fire while living in temporary accommodation.")
        .heading(1, "Findings")
        .para(FINDING);
    let check = run(&draft);
    assert_eq!(verdict(&check, "methodology"), Verdict::Missing, "{check}");
    assert_eq!(verdict(&check, "findings"), Verdict::Present, "{check}");
}

// ---------------------------------------------------------------------------------------------
// Title pages and author attributions

#[test]
fn the_reviewer_is_named_on_title_pages_in_the_usual_forms() {
    for lines in [
        &[
            "Overview report prepared by:-",
            "Michael Dunmore, Independent Author",
        ][..],
        &["Independent Author Dr Gillian Fairweather MSc, PhD."],
        &["Mark Allen-Price OBE, Independent Safeguarding Reviewer"],
        &["Written by Jonathan Price"],
        &["Lead reviewer:", "Nasreen Qureshi"],
    ] {
        let mut draft = Draft::default().title("Serious Case Review: Child F");
        for line in lines {
            draft = draft.para(line);
        }
        let check = run(&draft.heading(1, "Findings").para(FINDING));
        assert_eq!(
            verdict(&check, "reviewer"),
            Verdict::Present,
            "{lines:?}: {check}"
        );
    }
}

#[test]
fn reviewers_named_only_in_acknowledgements_foreword_or_about_the_author_count() {
    for (heading, text) in [
        (
            "Acknowledgements",
            "The safeguarding partners thank the independent reviewers, Elspeth Morrow and Daniel Kaye, and everyone who contributed.",
        ),
        (
            "Foreword",
            "This review was led by Panel member Professor Ruth Allnatt, working with an expert reference group.",
        ),
        (
            "About the author",
            "Carol Pennington is an independent social work consultant and a former head of service.",
        ),
    ] {
        let check = run(&Draft::default().heading(1, heading).para(text));
        assert_eq!(
            verdict(&check, "reviewer"),
            Verdict::Present,
            "{heading}: {check}"
        );
    }
    // A label is not a name.
    let check = run(&Draft::default()
        .para("Lead reviewer: the partnership's review group")
        .heading(1, "Findings")
        .para(FINDING));
    assert_ne!(verdict(&check, "reviewer"), Verdict::Present, "{check}");
}

// ---------------------------------------------------------------------------------------------
// The child's voice

#[test]
fn the_childs_voice_under_headings_that_name_the_child() {
    for heading in [
        "Views of Child T",
        "Child T in her own words",
        "What Child T told us",
        "Child T\u{2019}s voice",
    ] {
        let draft = Draft::default()
            .title("LCSPR: Child T")
            .heading(1, heading)
            .para("She told the reviewer that she wanted social workers to talk to her on her own and not in front of her mother's partner.");
        let check = run(&draft);
        assert_eq!(
            verdict(&check, "child-perspective"),
            Verdict::Present,
            "{heading}: {check}"
        );
    }
    // A first-name pseudonym: "Who was Sam?"
    let check = run(
        &Draft::default()
            .heading(1, "Who was Sam?")
            .para("Sam loved football and his dog. His mother described him as kind and funny, a boy who would do anything for his sister."),
    );
    assert_eq!(
        verdict(&check, "child-perspective"),
        Verdict::Present,
        "{check}"
    );
}

#[test]
fn a_first_person_quotation_from_the_child_anywhere_is_the_childs_voice() {
    let draft = Draft::default()
        .title("LCSPR: Child K")
        .heading(1, "Findings")
        .para("In a pastoral session Child K said: \u{201c}I don\u{2019}t mind doing it, I just don\u{2019}t want my mum to get in trouble.\u{201d} This was recorded but not shared.");
    let check = run(&draft);
    assert_eq!(
        verdict(&check, "child-perspective"),
        Verdict::Present,
        "{check}"
    );
    // What the review asked about the child's voice is not the voice.
    let draft = Draft::default()
        .title("LCSPR: Child Y")
        .heading(1, "Terms of reference")
        .para("The review set out to consider how the school responded to absences and how Child Y's voice was heard by agencies.");
    let check = run(&draft);
    assert_eq!(
        verdict(&check, "child-perspective"),
        Verdict::Missing,
        "{check}"
    );
}

// ---------------------------------------------------------------------------------------------
// Over-credit from one heading

#[test]
fn one_short_section_cannot_hold_findings_systemic_analysis_and_improvements() {
    let draft = Draft::default()
        .heading(1, "Analysis and conclusions")
        .item("Housing placed the family in a bedsit without a working smoke alarm, the system did not require a visit, and agencies should change how they check placements.");
    let check = run(&draft);
    let present: Vec<&str> = ["findings", "systemic-analysis", "improvements-summary"]
        .into_iter()
        .filter(|id| verdict(&check, id) == Verdict::Present)
        .collect();
    assert!(present.len() <= 1, "{present:?}: {check}");
    // A long enough section may hold all three.
    let long = [FINDING; 4].join(" ")
        + " The underlying reasons are systemic: the procedures do not require fathers to be seen, workloads are high and the culture is to work with mothers. The partnership should change its procedures and needs to make sure that fathers are seen.";
    let check = run(&Draft::default()
        .heading(1, "Analysis and conclusions")
        .para(&long));
    for id in ["findings", "systemic-analysis", "improvements-summary"] {
        assert_eq!(verdict(&check, id), Verdict::Present, "{id}: {check}");
    }
}

#[test]
fn an_authors_biography_is_not_the_methodology() {
    let draft = Draft::default()
        .heading(1, "About the author")
        .para("Carol Pennington has completed over twenty reviews using a systems approach and is accredited in the SCIE Learning Together methodology.")
        .heading(1, "Findings")
        .para(FINDING);
    let check = run(&draft);
    assert_eq!(verdict(&check, "methodology"), Verdict::Missing, "{check}");
    assert_eq!(verdict(&check, "reviewer"), Verdict::Present, "{check}");
    // The same words under a methodology heading are the methodology.
    let check = run(
        &Draft::default()
            .heading(1, "Methodology")
            .para("The review used a systems approach, the SCIE Learning Together methodology, with a case group of practitioners."),
    );
    assert_eq!(verdict(&check, "methodology"), Verdict::Present, "{check}");
}

#[test]
fn systemic_analysis_is_recognised_in_the_text_of_findings() {
    // The Panel's and SCIE's shape: "Finding 1: ..." with the systemic issue in the text.
    let draft = Draft::default()
        .heading(1, "Findings")
        .heading(2, "Finding 1: Engagement is mistaken for change")
        .para("Professionals accepted the mother's attendance at meetings as evidence of change. How widespread is this pattern? The neglect audit found the same across the partnership. The underlying issue is that plans measure attendance, not outcomes, and the procedures reward it.");
    let check = run(&draft);
    assert_eq!(verdict(&check, "findings"), Verdict::Present, "{check}");
    assert_eq!(
        verdict(&check, "systemic-analysis"),
        Verdict::Present,
        "{check}"
    );
    // Findings without any systemic content do not count.
    let check = run(&Draft::default().heading(1, "Findings").para(FINDING));
    assert_eq!(
        verdict(&check, "systemic-analysis"),
        Verdict::Missing,
        "{check}"
    );
}

// ---------------------------------------------------------------------------------------------
// Family composition tables

#[test]
fn every_date_in_a_date_of_birth_column_is_a_date_of_birth() {
    let draft = Draft::default().heading(1, "Family composition").table(&[
        &["Family member", "D.O.B.", "Relationship"],
        &["Child F", "11.02.08", "Subject"],
        &["Ms B", "23.07.88", "Mother"],
        &["Mr C", "1981", "Mother's partner"],
        &["Sibling 1", "Sept 2005", "Half-sister"],
        &["Sibling 2", "N/A", "Half-brother"],
    ]);
    let check = run(&draft);
    assert_eq!(
        found(&check),
        vec![
            (HitKind::DateOfBirth, "11.02.08"),
            (HitKind::DateOfBirth, "23.07.88"),
            (HitKind::DateOfBirth, "1981"),
            (HitKind::DateOfBirth, "Sept 2005"),
        ],
        "{check}"
    );
}

#[test]
fn dates_beside_a_relationship_word_are_dates_of_birth_but_chronology_dates_are_not() {
    let draft = Draft::default()
        .table(&[
            &["Dawn", "17/09/1984", "F", "Mother"],
            &["Craig", "3 March 1982", "M", "Father"],
            &["Child P", "2021-06-14", "M", "Subject"],
        ])
        .para("The names used for family members are pseudonyms.")
        .heading(1, "Key events")
        .table(&[
            &["Date", "Agency", "Event"],
            &[
                "14/03/2023",
                "Children's social care",
                "Move to supported accommodation",
            ],
            &[
                "19/01/2024",
                "Emergency department",
                "Attendance after overdose",
            ],
        ])
        .para("Mother \u{2013} 17.09.84");
    let check = run(&draft);
    assert_eq!(
        found(&check),
        vec![
            (HitKind::DateOfBirth, "17/09/1984"),
            (HitKind::DateOfBirth, "3 March 1982"),
            (HitKind::DateOfBirth, "2021-06-14"),
            (HitKind::DateOfBirth, "17.09.84"),
        ],
        "{check}"
    );
}

// ---------------------------------------------------------------------------------------------
// Pseudonyms and role labels

#[test]
fn role_labels_are_not_names() {
    let draft = Draft::default().para(
        "Child T lived with her mother, Adult 1, and her brothers, Child 2 and Sibling 4. The mother's partner, Adult 3, moved in. The social worker, Practitioner A, and the GP, GP 1, saw her; the health visitor, Hospital 1, and the family at Address 4.",
    );
    let check = run(&draft);
    assert!(check.identifying.is_empty(), "{check}");
}

#[test]
fn a_title_and_one_initial_is_a_pseudonym_but_a_real_name_is_still_found() {
    let check = run(&Draft::default().para(
        "Her father, Mr D, had left. The social worker, Ms K, visited. The mother, Mrs Z, met the reviewer.",
    ));
    assert!(check.identifying.is_empty(), "{check}");
    let check = run(&Draft::default().para(
        "The social worker, Ms K, visited. The maternal grandmother, Brenda Hollis, also contributed.",
    ));
    assert_eq!(
        found(&check),
        vec![(HitKind::NameWithRole, "Brenda Hollis")],
        "{check}"
    );
}

#[test]
fn names_the_report_declares_as_pseudonyms_are_not_reported() {
    let check = run(
        &Draft::default()
            .para("In this report the child is referred to as Sam; his mother is referred to as Dawn. These are pseudonyms.")
            .para("Sam's mother, Dawn, met the reviewer three times."),
    );
    assert!(check.identifying.is_empty(), "{check}");
}

// ---------------------------------------------------------------------------------------------
// Organisations' own details

#[test]
fn the_partnerships_cover_and_contact_details_are_information_only() {
    let draft = crate::check_report::complete_draft()
        .para("Published by Bassingford Safeguarding Children Partnership, PO Box 412, Bassingford BF4 9ZX")
        .para("www.bassingfordscp.org.uk | enquiries@bassingfordscp.org.uk | 01632 960777")
        .heading(1, "Contact us")
        .para("Fenwick Safeguarding Children Partnership Business Unit")
        .para("Town Hall, Fenwick FW1 2AB")
        .para("Telephone: 01632 961234");
    let check = run(&draft);
    assert!(check.identifying.is_empty(), "{check}");
    let info: Vec<&str> = check
        .organisation_details
        .iter()
        .map(|h| h.text.as_str())
        .collect();
    assert_eq!(
        info,
        [
            "BF4 9ZX",
            "enquiries@bassingfordscp.org.uk",
            "01632 960777",
            "FW1 2AB",
            "01632 961234"
        ]
    );
    assert!(check.ready_to_publish, "{check}");
    assert!(
        check.organisation_details[0]
            .message
            .contains("does not stop publication"),
        "{}",
        check.organisation_details[0].message
    );
}

#[test]
fn crown_copyright_and_licence_pages_are_information_but_personal_details_are_not() {
    let draft = Draft::default()
        .para("\u{a9} Crown copyright 2021")
        .para("This publication is licensed under the terms of the Open Government Licence v3.0. To view this licence, write to the Information Policy Team, The National Archives, Kew, London TW9 4DU, or email: psi@nationalarchives.gsi.gov.uk.")
        .para("The independent reviewing officer raised concerns by email from j.hamlin@fenwick.gov.uk but the council did not escalate them.")
        .para("The family lived at 8 Wheatsheaf Road, Bassingford BF2 7LN.");
    let check = run(&draft);
    let info: Vec<&str> = check
        .organisation_details
        .iter()
        .map(|h| h.text.as_str())
        .collect();
    assert_eq!(info, ["TW9 4DU", "psi@nationalarchives.gsi.gov.uk"]);
    assert_eq!(
        found(&check),
        vec![
            (HitKind::Email, "j.hamlin@fenwick.gov.uk"),
            (HitKind::Address, "8 Wheatsheaf Road"),
            (HitKind::Postcode, "BF2 7LN"),
        ],
        "{check}"
    );
}

// ---------------------------------------------------------------------------------------------
// Other partnerships than Kent

#[test]
fn agencies_of_any_partnership_and_national_bodies_can_own_a_recommendation() {
    let draft = crate::check_report::complete_front()
        .heading(1, "Recommendations")
        .item("Greater Manchester Police should share domestic abuse notifications with health visitors by March 2026.")
        .item("Leeds City Council should audit child in need closures within six months.")
        .item("The Department for Education should publish national standards by the end of 2026.")
        .item("Local authorities should visit every child placed out of area within six months.")
        .item("The substance misuse service should stop discharging children for missed appointments by 31 March 2026.");
    let check = run(&draft);
    let owners: Vec<bool> = check.recommendations.iter().map(|r| r.has_owner).collect();
    assert_eq!(owners, [true; 5], "{check}");
    assert_eq!(
        verdict(&check, "recommendations"),
        Verdict::Present,
        "{check}"
    );
}

#[test]
fn a_partnerships_own_word_lists_come_from_its_configuration() {
    let draft = crate::check_report::complete_front()
        .heading(1, "Recommendations")
        .item(
            "The KSCMP should publish a briefing for designated safeguarding leads by June 2026.",
        );
    // National defaults: the KSCMP is Kent's own partnership, not a national body.
    let national = run(&draft);
    assert!(!national.recommendations[0].has_owner, "{national}");
    let kent =
        CheckConfig::from_toml_str("local_agencies = [\"KSCMP\", \"The Education People\"]\n")
            .expect("a partnership file");
    let local = check_report_with(ReportInput::Docx(&draft.docx()), &CaseForms::none(), &kent)
        .expect("checks");
    assert!(local.recommendations[0].has_owner, "{local}");
    assert!(local.ready_to_publish, "{local}");
}

// ---------------------------------------------------------------------------------------------
// Bounded work

#[test]
fn a_small_word_file_repeating_a_postcode_is_checked_quickly() {
    // One paragraph of 200,000 postcodes: about 1.6 MB of text in a zip of a few kilobytes.
    let text = "CT9 2QT ".repeat(200_000);
    let document = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>"#,
        "The mother, Jane Smith, CT9 2QT. ".repeat(20_000)
    );
    let file = package(&[("word/document.xml", &document)]);
    assert!(file.len() < 64 * 1024, "{} bytes", file.len());
    let started = Instant::now();
    let check = check_report(ReportInput::Docx(&file), &CaseForms::none()).expect("read");
    let took = started.elapsed();
    assert!(check.identifying_truncated);
    assert_eq!(check.identifying.len(), 2_000);
    // Debug build on a shared 2-core machine; the quadratic version took 43 CPU-seconds.
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

// ---------------------------------------------------------------------------------------------
// The command line with a partnership's configuration

#[test]
fn the_command_line_takes_a_partnerships_word_lists() {
    let dir = std::env::temp_dir().join(format!("check-report-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let draft = dir.join("draft.docx");
    let with_local_owner = crate::check_report::complete_front()
        .heading(1, "Recommendations")
        .item("The KSCMP should publish a briefing for designated safeguarding leads by June 2026.")
        .para("Kent Safeguarding Children Multi-Agency Partnership, Sessions House, Maidstone ME14 1XQ")
        .para("kscmp@kent.gov.uk | 03000 421126");
    std::fs::write(&draft, with_local_owner.docx()).expect("write draft");
    let config = dir.join("kent.toml");
    std::fs::write(&config, "local_agencies = [\"KSCMP\"]\n").expect("write config");
    let run = |extra: &[&std::ffi::OsStr]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_safeguarding-forms"))
            .arg("check-report")
            .arg(&draft)
            .args(extra)
            .output()
            .expect("run the binary")
    };
    let national = run(&[]);
    assert_eq!(national.status.code(), Some(1), "{national:?}");
    let local = run(&["--config".as_ref(), config.as_os_str()]);
    assert_eq!(local.status.code(), Some(0), "{local:?}");
    let out = String::from_utf8_lossy(&local.stdout);
    assert!(
        out.contains("Organisations' own details (for information; they do not stop publication):"),
        "{out}"
    );
    assert!(out.contains("\"ME14 1XQ\" (a postcode)"), "{out}");
    std::fs::write(&config, "[[item]]\nid = \"summary\"\n").expect("write config");
    let bad = run(&["--config".as_ref(), config.as_os_str()]);
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("there is no item \"summary\""),
        "{bad:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_fifty_page_draft_is_checked_quickly_in_a_debug_build() {
    // About 28,000 words, as benches/check_report.rs; the release figure is in the README.
    let sentence = "The health visitor saw the family at home and recorded that the baby was unsettled, while police information about arguments at home stayed in a record that health staff could not see.";
    let body = [sentence; 4].join(" ");
    let mut draft = crate::check_report::complete_front()
        .toc_heading("Contents")
        .toc(1, "1. Findings, part 1", "4");
    for chapter in 1..=10 {
        draft = draft.heading(1, &format!("Findings, part {chapter}"));
        for section in 1..=5 {
            draft = draft.heading(2, &format!("Key practice episode {chapter}.{section}"));
            for _ in 0..8 {
                draft = draft.para(&body);
            }
        }
    }
    draft = draft.heading(1, "Recommendations");
    for n in 1..=30 {
        draft = draft.item(&format!(
            "Kent Police and the NHS trust should agree how notification {n} is shared with health visitors, by 31 March 2027."
        ));
    }
    let file = draft.docx();
    let started = Instant::now();
    let outline =
        safeguarding_forms::check::docx::read_outline(&file, Default::default()).expect("read");
    let read = started.elapsed();
    let config = CheckConfig::embedded().expect("config");
    let started2 = Instant::now();
    let scan = CaseForms::none().scan(&outline, &config);
    let scanned = started2.elapsed();
    let started = Instant::now();
    let check = check_report(ReportInput::Docx(&file), &CaseForms::none()).expect("read");
    let took = started.elapsed();
    println!(
        "50-page draft checked in {took:?} (debug build); reading {read:?}, identifying {scanned:?} ({} hits)",
        scan.hits.len()
    );
    assert!(check.ready_to_publish, "{check}");
    assert_eq!(check.recommendations.len(), 30);
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

#[test]
fn promises_and_a_practitioners_quotation_are_not_evidence() {
    let draft = Draft::default()
        .heading(1, "Foreword by the independent scrutineer")
        .para("This review will use a systemic lens, listen to the voice of the child and involve the family and practitioners across the partnership.")
        .heading(1, "Next steps")
        .para("The reviewer will hold a learning event for practitioners in the autumn, and the family will be invited to contribute to the review.")
        .heading(1, "What practitioners told us")
        .para("One social worker said, \"I felt I was always playing catch-up and I never had time to see the children on their own.\"");
    let check = run(&draft);
    for id in [
        "systemic-analysis",
        "child-perspective",
        "family-involvement",
    ] {
        assert_eq!(verdict(&check, id), Verdict::Missing, "{id}: {check}");
    }
    // What practitioners told the review is their involvement, and is found under its heading,
    // not in the promise of a learning event.
    assert_eq!(
        heading_of(&check, "practitioner-involvement").as_deref(),
        Some("What practitioners told us")
    );
}

#[test]
fn a_contents_page_written_by_libreoffice_is_read_as_contents() {
    // A real writer: LibreOffice turns an OpenDocument table of contents into Word's TOC field
    // with "TOC Heading" and "TOC 1" styles (ids "ContentsHeading", "Contents1").
    let dir = std::env::temp_dir().join(format!("check-report-lo-toc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let fodt = dir.join("draft.fodt");
    std::fs::write(
        &fodt,
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>
<style:style style:name="Contents_20_Heading" style:display-name="Contents Heading" style:family="paragraph" style:class="index"/>
<style:style style:name="Contents_20_1" style:display-name="Contents 1" style:family="paragraph" style:class="index"/>
</office:styles>
<office:body><office:text>
<text:table-of-content text:name="Table of Contents1">
<text:table-of-content-source text:outline-level="2"><text:index-title-template text:style-name="Contents_20_Heading">Contents</text:index-title-template></text:table-of-content-source>
<text:index-body>
<text:index-title text:name="Table of Contents1_Head"><text:p text:style-name="Contents_20_Heading">Contents</text:p></text:index-title>
<text:p text:style-name="Contents_20_1">Terms of reference<text:tab/>2</text:p>
<text:p text:style-name="Contents_20_1">Findings<text:tab/>3</text:p>
</text:index-body>
</text:table-of-content>
<text:h text:outline-level="1">Findings</text:h>
<text:p>{FINDING}</text:p>
</office:text></office:body></office:document>"#
        ),
    )
    .expect("write fodt");
    let status = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir"])
        .arg(&dir)
        .arg(&fodt)
        .env("HOME", &dir)
        .output()
        .expect("LibreOffice (soffice) must be installed for this test: apt-get install libreoffice-writer-nogui");
    assert!(status.status.success(), "soffice failed: {status:?}");
    let bytes = std::fs::read(dir.join("draft.docx")).expect("LibreOffice wrote draft.docx");
    let _ = std::fs::remove_dir_all(&dir);
    let outline = safeguarding_forms::check::docx::read_outline(&bytes, Default::default())
        .expect("reads LibreOffice's docx");
    let contents: Vec<&str> = outline
        .blocks
        .iter()
        .filter(|b| b.kind == safeguarding_forms::check::outline::BlockKind::Contents)
        .map(|b| b.text.as_str())
        .collect();
    assert_eq!(contents, ["Contents", "Terms of reference 2", "Findings 3"]);
    let check = check_report(ReportInput::Docx(&bytes), &CaseForms::none()).expect("checks");
    assert_eq!(
        verdict(&check, "terms-of-reference"),
        Verdict::Missing,
        "{check}"
    );
    assert_eq!(verdict(&check, "findings"), Verdict::Present, "{check}");
    assert_eq!(heading_of(&check, "findings").as_deref(), Some("Findings"));
}
