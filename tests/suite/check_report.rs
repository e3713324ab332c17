//! The final report check end to end: Word drafts built here for the purpose, one written by
//! LibreOffice, the JSON samples, and hostile files.

use std::io::Write;

use proptest::prelude::*;

use serde_json::{Value, json};

use safeguarding_forms::check::docx::read_outline;
use safeguarding_forms::check::{
    CaseForms, CheckError, HitKind, ReportCheck, ReportInput, Verdict, check_bytes, check_report,
};
use safeguarding_forms::ooxml::{Limits, OoxmlError};

use crate::support::hostile_files;

/// A Word draft written with the `zip` crate: real OOXML parts, the styles Word uses.
pub(crate) mod draft {
    use super::hostile_files::package;

    const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;
    const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="Heading1"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="TOC2"><w:name w:val="toc 2"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="TOC3"><w:name w:val="toc 3"/><w:basedOn w:val="Normal"/></w:style></w:styles>"#;

    /// A draft under construction.
    #[derive(Default, Clone)]
    pub struct Draft {
        body: String,
    }

    fn escape(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }

    fn paragraph(properties: &str, text: &str) -> String {
        format!(
            r#"<w:p><w:pPr>{properties}</w:pPr><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
            escape(text)
        )
    }

    impl Draft {
        /// A paragraph in the Title style.
        pub fn title(mut self, text: &str) -> Self {
            self.body += &paragraph(r#"<w:pStyle w:val="Title"/>"#, text);
            self
        }

        /// A heading in Word's "Heading N" style.
        pub fn heading(mut self, level: u8, text: &str) -> Self {
            self.body += &paragraph(&format!(r#"<w:pStyle w:val="Heading{level}"/>"#), text);
            self
        }

        /// A paragraph of body text.
        pub fn para(mut self, text: &str) -> Self {
            self.body += &paragraph("", text);
            self
        }

        /// A numbered list item.
        pub fn item(mut self, text: &str) -> Self {
            self.body += &paragraph(
                r#"<w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>"#,
                text,
            );
            self
        }

        /// A bold paragraph: a heading typed by hand.
        pub fn bold(mut self, text: &str) -> Self {
            self.body += &format!(
                r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
                escape(text)
            );
            self
        }

        /// The "Contents" title in Word's "TOC Heading" style.
        pub fn toc_heading(mut self, text: &str) -> Self {
            self.body += &paragraph(r#"<w:pStyle w:val="TOCHeading"/>"#, text);
            self
        }

        /// A contents entry in Word's "TOC N" style: the entry, a tab with a dot leader, and
        /// the page number as a PAGEREF field's result (`page` may be empty: no number).
        pub fn toc(mut self, level: u8, entry: &str, page: &str) -> Self {
            let page_runs = if page.is_empty() {
                String::new()
            } else {
                format!(
                    r#"<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
                    escape(page)
                )
            };
            self.body += &format!(
                r#"<w:p><w:pPr><w:pStyle w:val="TOC{level}"/><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9016"/></w:tabs></w:pPr><w:r><w:t xml:space="preserve">{}</w:t></w:r>{page_runs}</w:p>"#,
                escape(entry)
            );
            self
        }

        /// A table, one slice per row.
        pub fn table(self, rows: &[&[&str]]) -> Self {
            let rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
                .collect();
            self.table_owned(&rows)
        }

        /// A table from owned cells, one vector per row.
        pub fn table_owned(mut self, rows: &[Vec<String>]) -> Self {
            self.body += "<w:tbl>";
            for row in rows {
                self.body += "<w:tr>";
                for cell in row {
                    self.body += &format!("<w:tc>{}</w:tc>", paragraph("", cell));
                }
                self.body += "</w:tr>";
            }
            self.body += "</w:tbl>";
            self
        }

        /// The `word/document.xml` part.
        pub fn document_xml(&self) -> String {
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}<w:sectPr/></w:body></w:document>"#,
                self.body
            )
        }

        /// The whole `.docx` file.
        pub fn docx(&self) -> Vec<u8> {
            package(&[
                ("[Content_Types].xml", CONTENT_TYPES),
                ("_rels/.rels", RELS),
                ("word/_rels/document.xml.rels", DOC_RELS),
                ("word/styles.xml", STYLES),
                ("word/document.xml", &self.document_xml()),
            ])
        }
    }
}

use draft::Draft;
use hostile_files::{billion_laughs_document, package, zip_bomb};

// ---------------------------------------------------------------------------------------------
// Hostile files

#[test]
fn a_zip_bomb_is_refused_by_its_declared_size() {
    let bomb = zip_bomb("word/document.xml", 2, 2 << 30);
    assert!(bomb.len() < 4 << 20, "the test bomb itself stays small");
    let err = read_outline(&bomb, Limits::default()).unwrap_err();
    assert_eq!(err, OoxmlError::Bomb { max_mb: 64 });
    assert!(
        err.to_string().contains("unpacks to more than 64 MB"),
        "{err}"
    );
}

#[test]
fn a_zip_bomb_that_understates_its_size_is_stopped_while_reading() {
    let bomb = zip_bomb("word/document.xml", 2, 1000);
    let limits = Limits {
        max_part_bytes: 8 << 20,
        ..Limits::default()
    };
    let err = read_outline(&bomb, limits).unwrap_err();
    // Either the reader's cap or the zip's own size check stops it; nothing is unpacked in full.
    assert!(
        matches!(err, OoxmlError::Bomb { .. } | OoxmlError::Damaged { .. }),
        "{err:?}"
    );
}

#[test]
fn billion_laughs_is_refused() {
    let document = billion_laughs_document();
    let file = package(&[("word/document.xml", &document)]);
    let err = read_outline(&file, Limits::default()).unwrap_err();
    assert_eq!(err, OoxmlError::Declarations);
    assert!(err.to_string().contains("DOCTYPE or ENTITY"), "{err}");
}

#[test]
fn a_package_without_its_document_part_is_refused() {
    let file = package(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/styles.xml", "<w:styles xmlns:w=\"w\"/>"),
    ]);
    let err = read_outline(&file, Limits::default()).unwrap_err();
    assert_eq!(
        err,
        OoxmlError::MissingPart {
            part: "word/document.xml".into()
        }
    );
    assert!(err.to_string().contains("no main document part"), "{err}");
}

#[test]
fn a_pdf_renamed_docx_is_named_as_a_pdf() {
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";
    let err = read_outline(pdf, Limits::default()).unwrap_err();
    assert_eq!(err, OoxmlError::Pdf);
    assert!(
        err.to_string()
            .starts_with("This file is a PDF, not a Word document.")
    );
}

proptest! {
    /// Bytes that are not a zip at all are refused as not a Word document, never a panic.
    #[test]
    fn random_bytes_are_refused_as_not_a_package(bytes in proptest::collection::vec(any::<u8>(), 1..100_000)) {
        // A random buffer starting with the zip signature is vanishingly rare, but say so.
        prop_assume!(!bytes.starts_with(b"PK"));
        prop_assert_eq!(read_outline(&bytes, Limits::default()).unwrap_err(), OoxmlError::NotAPackage);
    }
}

#[test]
fn damaged_zips_give_clear_errors_never_a_panic() {
    // A real draft with bytes flipped or cut short.
    let good = Draft::default().heading(1, "Findings").para("Text.").docx();
    for cut in [10, good.len() / 2, good.len() - 10] {
        let err = read_outline(&good[..cut], Limits::default()).unwrap_err();
        assert!(!err.to_string().is_empty());
    }
    for position in (30..good.len()).step_by(37) {
        let mut bad = good.clone();
        bad[position] ^= 0xFF;
        // Either it still reads (the flip hit slack) or it fails with a message.
        if let Err(err) = read_outline(&bad, Limits::default()) {
            assert!(err.to_string().ends_with('.'), "{err}");
        }
    }
}

#[test]
fn too_many_entries_and_deep_nesting_are_refused() {
    let names: Vec<String> = (0..30).map(|i| format!("word/media/{i}.xml")).collect();
    let mut parts: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "<x/>")).collect();
    parts.push(("word/document.xml", "<w:document xmlns:w=\"w\"/>"));
    let limits = Limits {
        max_entries: 20,
        ..Limits::default()
    };
    assert_eq!(
        read_outline(&package(&parts), limits).unwrap_err(),
        OoxmlError::TooManyEntries { count: 31, max: 20 }
    );
    let deep = format!(
        "<w:document xmlns:w=\"w\">{}{}</w:document>",
        "<w:sdt>".repeat(300),
        "</w:sdt>".repeat(300)
    );
    let err =
        read_outline(&package(&[("word/document.xml", &deep)]), Limits::default()).unwrap_err();
    assert_eq!(err, OoxmlError::TooDeep { max: 256 });
}

// ---------------------------------------------------------------------------------------------
// Reading real drafts

#[test]
fn a_docx_written_by_libreoffice_is_read_correctly() {
    let dir = std::env::temp_dir().join(format!("check-report-lo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let html = dir.join("draft.html");
    let mut file = std::fs::File::create(&html).expect("create html");
    file.write_all(
        br#"<html><head><meta charset="utf-8"><title>Draft</title></head><body>
<h1>Child safeguarding practice review: Child Q</h1>
<h2>Terms of reference</h2><p>The review covers 1 March 2025 to 31 January 2026.</p>
<h2>Recommendations</h2>
<ol><li>Kent Police should review domestic abuse referrals by 31 March 2027.</li>
<li>Share learning widely.</li></ol>
<table><tr><td>Agency</td><td>Action</td></tr><tr><td>Kent Police</td><td>Audit</td></tr></table>
</body></html>"#,
    )
    .expect("write html");
    drop(file);
    let status = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir"])
        .arg(&dir)
        .arg(&html)
        .env("HOME", &dir)
        .output()
        .expect("LibreOffice (soffice) must be installed for this test: apt-get install libreoffice-writer-nogui");
    assert!(status.status.success(), "soffice failed: {status:?}");
    let bytes = std::fs::read(dir.join("draft.docx")).expect("LibreOffice wrote draft.docx");
    let outline = read_outline(&bytes, Limits::default()).expect("reads LibreOffice's docx");
    let blocks: Vec<(String, String)> = outline
        .blocks
        .iter()
        .map(|b| (format!("{:?}", b.kind), b.text.clone()))
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        blocks,
        vec![
            (
                "Heading { level: 1, number: None }".into(),
                "Child safeguarding practice review: Child Q".into()
            ),
            (
                "Heading { level: 2, number: None }".into(),
                "Terms of reference".into()
            ),
            (
                "Paragraph".into(),
                "The review covers 1 March 2025 to 31 January 2026.".into()
            ),
            (
                "Heading { level: 2, number: None }".into(),
                "Recommendations".into()
            ),
            (
                "ListItem { level: 0 }".into(),
                "Kent Police should review domestic abuse referrals by 31 March 2027.".into()
            ),
            (
                "ListItem { level: 0 }".into(),
                "Share learning widely.".into()
            ),
            ("TableRow".into(), "Agency | Action".into()),
            ("TableRow".into(), "Kent Police | Audit".into()),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Completeness and publication safety on drafts built for the purpose

const RECOMMENDATIONS: &[&str] = &[
    "Kent Police and Kent County Council Children's Social Care should agree how every domestic abuse notification about a child under one reaches the health visiting service, by 31 March 2027.",
    "Kent Community Health NHS Foundation Trust should audit the use of the bruising protocol in non-mobile babies within six months of publication.",
];

/// Everything up to the recommendations of a complete draft.
pub(crate) fn complete_front() -> Draft {
    Draft::default()
        .title("Local Child Safeguarding Practice Review: Child Q")
        .para("Independent lead reviewer: Dr Amira Patel")
        .heading(1, "Terms of reference")
        .para("The review asked how agencies recognised and responded to signs of physical harm, and how information about domestic abuse was shared.")
        .para("The review covers the period from 1 March 2025 to 31 January 2026.")
        .heading(1, "Methodology")
        .para("The review used a systems approach: agency records were read, practitioners were interviewed and findings were tested with the Practice Review Group.")
        .heading(1, "Involvement of practitioners and family")
        .heading(2, "Practitioners")
        .para("Twelve practitioners and managers took part in a learning event in May 2026 and commented on the draft.")
        .heading(2, "Family")
        .para("Child Q's mother met the reviewer twice; the father declined to take part because of the criminal proceedings.")
        .heading(1, "Child Q\u{2019}s lived experience")
        .para("Child Q was a baby who could not speak for herself; records rarely describe what her day was like or who held her.")
        .heading(1, "Findings")
        .para("A bruise on a non-mobile baby was not referred because a plausible explanation was accepted. Police notifications of domestic abuse did not reach the health visitor, and the father was not seen.")
        .heading(1, "Why did this happen? Systemic and underlying reasons")
        .para("Practitioners worked in a system that rewarded engagement with mothers and made announced visits the norm. Police information sat in a record that health staff could not see.")
        .heading(1, "Summary of recommended improvements")
        .para("Every bruise on a non-mobile baby should be referred, and domestic abuse notifications should reach health visitors.")
}

pub(crate) fn complete_draft() -> Draft {
    complete_front()
        .heading(1, "Recommendations")
        .para("The partnership makes the following recommendations.")
        .item(RECOMMENDATIONS[0])
        .item(RECOMMENDATIONS[1])
        .table(&[
            &["Recommendation", "Who", "By when"],
            &[
                "Include an assessment of each father in every child protection plan for a baby.",
                "Kent County Council Children's Social Care",
                "Q2 2027",
            ],
        ])
}

fn check_docx(draft: &Draft, case: &CaseForms) -> ReportCheck {
    check_report(ReportInput::Docx(&draft.docx()), case).expect("the draft is read")
}

fn verdicts(check: &ReportCheck) -> Vec<(String, Verdict)> {
    check
        .items
        .iter()
        .map(|i| (i.id.clone(), i.verdict))
        .collect()
}

fn expect_verdicts(check: &ReportCheck, expected: &[(&str, Verdict)]) {
    let expected: Vec<(String, Verdict)> = expected
        .iter()
        .map(|(id, v)| ((*id).to_owned(), *v))
        .collect();
    assert_eq!(verdicts(check), expected, "{check}");
}

use Verdict::{Missing, Present, Weak};

#[test]
fn a_complete_draft_is_ready_to_publish() {
    let check = check_docx(&complete_draft(), &CaseForms::none());
    expect_verdicts(
        &check,
        &[
            ("reviewer", Present),
            ("methodology", Present),
            ("terms-of-reference", Present),
            ("period-under-review", Present),
            ("child-perspective", Present),
            ("family-involvement", Present),
            ("practitioner-involvement", Present),
            ("findings", Present),
            ("systemic-analysis", Present),
            ("improvements-summary", Present),
            ("recommendations", Present),
        ],
    );
    assert_eq!(check.recommendations.len(), 3, "{check}");
    assert!(check.identifying.is_empty(), "{check}");
    assert!(check.ready_to_publish);
    assert_eq!(check.case_pseudonym.as_deref(), Some("Child Q"));
    let methodology = &check.items[1];
    let location = methodology.location.as_ref().expect("located");
    assert_eq!(location.heading.as_deref(), Some("Methodology"));
    assert_eq!(location.paragraph, 7);
    assert!(
        location
            .quote
            .starts_with("The review used a systems approach")
    );
    assert_eq!(
        check.items[4]
            .location
            .as_ref()
            .and_then(|l| l.heading.as_deref()),
        Some("Child Q\u{2019}s lived experience")
    );
}

#[test]
fn missing_and_placeholder_sections_are_named() {
    let draft = Draft::default()
        .title("Local Child Safeguarding Practice Review: Child Q")
        .heading(1, "Introduction")
        .para("This review was commissioned after Child Q was seriously injured at home.")
        .heading(1, "Methodology")
        .para("TBC")
        .heading(1, "Key findings")
        .para("Information about domestic abuse was held by the police but was not shared with the health visitor or discussed by the core group during the plan.")
        .heading(1, "Analysis")
        .heading(1, "Recommendations")
        .item(RECOMMENDATIONS[0]);
    let check = check_docx(&draft, &CaseForms::none());
    expect_verdicts(
        &check,
        &[
            ("reviewer", Missing),
            ("methodology", Weak),
            ("terms-of-reference", Missing),
            ("period-under-review", Missing),
            ("child-perspective", Missing),
            ("family-involvement", Missing),
            ("practitioner-involvement", Missing),
            ("findings", Present),
            ("systemic-analysis", Weak),
            ("improvements-summary", Missing),
            ("recommendations", Present),
        ],
    );
    assert!(!check.ready_to_publish);
    let methodology = &check.items[1];
    assert!(
        methodology
            .message
            .contains("says only \"TBC\", which is a placeholder"),
        "{}",
        methodology.message
    );
    assert!(
        check.items[8]
            .message
            .contains("the heading has nothing under it"),
        "{}",
        check.items[8].message
    );
    assert!(
        check.items[9]
            .message
            .starts_with("Summary of recommended improvements is missing.")
    );
    assert_eq!(
        (
            check.summary.present,
            check.summary.weak,
            check.summary.missing
        ),
        (2, 2, 7)
    );
}

#[test]
fn headings_vary_and_content_is_found_without_them() {
    let draft = complete_front()
        .heading(1, "What needs to change")
        .para("1. Kent Police should share notifications with health visitors by June 2027.")
        .para("2. The Education People should brief designated safeguarding leads by the end of 2027.");
    let check = check_docx(&draft, &CaseForms::none());
    assert_eq!(check.items[10].verdict, Present, "{check}");
    assert_eq!(check.recommendations.len(), 2);
    // No reviewer heading: the name is found on the title page by its cue.
    let reviewer = check.items[0].location.as_ref().expect("reviewer located");
    assert_eq!(reviewer.paragraph, 2);
    assert!(reviewer.quote.contains("Dr Amira Patel"));
}

#[test]
fn recommendations_without_owners_or_dates_are_flagged_each() {
    let draft = complete_front()
        .heading(1, "Recommendations")
        .item(RECOMMENDATIONS[0])
        .item("Practitioners should be reminded to see fathers and men in the household within six months.")
        .item("The safeguarding partnership should commission training on bruising in non-mobile babies.")
        .item("Learning from this review should be shared widely.");
    let check = check_docx(&draft, &CaseForms::none());
    let flags: Vec<(usize, bool, bool)> = check
        .recommendations
        .iter()
        .map(|r| (r.number, r.has_owner, r.has_deadline))
        .collect();
    assert_eq!(
        flags,
        vec![
            (1, true, true),
            (2, false, true),
            (3, true, false),
            (4, false, false)
        ]
    );
    assert_eq!(check.items[10].verdict, Weak);
    assert!(
        check.items[10]
            .message
            .starts_with("3 of 4 recommendations under \"Recommendations\""),
        "{}",
        check.items[10].message
    );
    assert_eq!(
        check.recommendations[3].message.as_deref(),
        Some(
            "Recommendation 4 says neither who must act nor by when. Please name the agency or agencies responsible and give a date or a time frame."
        )
    );
    assert_eq!(check.summary.recommendations_lacking, 3);
    assert!(!check.ready_to_publish);
}

fn identifying_draft() -> Draft {
    complete_draft()
        .heading(1, "Background")
        .para("Child Q lived with her mother, Kelly Hughes, and went to Oakwood Primary School.")
        .para("The family lived at 14 Mill Lane, Margate CT9 2QT.")
        .para("Child Q (date of birth 3 May 2019, NHS number 401 023 2137) was known to services.")
        .para("The health visitor, Sarah Jones, was on 01843 555123 or sarah.jones@example.nhs.uk.")
        .para("Quinn was seen at school on 4 June 2025.")
}

fn hits(check: &ReportCheck) -> Vec<(HitKind, String, String, usize)> {
    check
        .identifying
        .iter()
        .map(|h| {
            (
                h.kind,
                h.text.clone(),
                h.suggestion.clone(),
                h.location.paragraph,
            )
        })
        .collect()
}

fn hit(
    kind: HitKind,
    text: &str,
    suggestion: &str,
    paragraph: usize,
) -> (HitKind, String, String, usize) {
    (kind, text.to_owned(), suggestion.to_owned(), paragraph)
}

#[test]
fn identifying_details_are_found_by_pattern_without_case_forms() {
    let check = check_docx(&identifying_draft(), &CaseForms::none());
    assert_eq!(
        hits(&check),
        vec![
            hit(HitKind::NameWithRole, "Kelly Hughes", "the mother", 28),
            hit(HitKind::Address, "14 Mill Lane", "[address]", 29),
            hit(HitKind::Postcode, "CT9 2QT", "[postcode]", 29),
            hit(HitKind::DateOfBirth, "3 May 2019", "[date]", 30),
            hit(HitKind::NhsNumber, "401 023 2137", "[NHS number]", 30),
            hit(
                HitKind::NameWithRole,
                "Sarah Jones",
                "the health visitor",
                31
            ),
            hit(HitKind::Phone, "01843 555123", "[phone number]", 31),
            hit(
                HitKind::Email,
                "sarah.jones@example.nhs.uk",
                "[email address]",
                31
            ),
        ]
    );
    assert!(!check.ready_to_publish);
    let first = &check.identifying[0];
    assert_eq!(first.location.heading.as_deref(), Some("Background"));
    assert!(
        first.location.quote.contains("Kelly Hughes"),
        "{}",
        first.location.quote
    );
}

/// What the case's forms record, in the fields their schemas mark as identifying (parts of
/// forms: the check reads any field the schema knows, valid or not).
fn case_forms() -> Vec<(&'static str, Value)> {
    vec![
        (
            "csprp-notification",
            json!({
                "children": [{"name": "Quinn Hughes", "date_of_birth": "2019-05-03", "address_area": "Thanet"}],
                "household_children": [{"name": "Mason Hughes", "relationship": "brother"}],
                "notifier": {"name": "Joanne Price", "email": "joanne.price@kent.gov.uk", "phone": "03000 412345"},
                "agencies_involved": [{"id": "kent-police", "name": "Kent Police"}]
            }),
        ),
        (
            "rapid-review",
            json!({"identifying_details": {
                "child_name": "Quinn Hughes",
                "date_of_birth": "2019-05-03",
                "address": "14 Mill Lane, Margate",
                "family_members": [{"name": "Kelly Hughes", "relationship": "Mother"}]
            }}),
        ),
        (
            "cdop-form-b",
            json!({"child": {"nhs_number": "4010232137"}}),
        ),
        (
            "agency-summary",
            json!({
                "agency": {"id": "kcht", "name": "Kent Community Health NHS Foundation Trust"},
                "author": {"name": "Sarah Jones", "role": "Named nurse"}
            }),
        ),
    ]
}

fn case_from_forms() -> CaseForms {
    let registry = safeguarding_forms::forms::Registry::load().expect("forms load");
    let forms = case_forms();
    let pairs: Vec<_> = forms
        .iter()
        .map(|(id, body)| (registry.get(id).expect("a known form"), body))
        .collect();
    CaseForms::from_forms(pairs)
}

#[test]
fn details_recorded_in_the_case_forms_are_found_with_the_pseudonym_suggested() {
    let case = case_from_forms();
    let check = check_docx(&identifying_draft(), &case);
    assert_eq!(check.case_forms, 4);
    // The rapid review record names the mother; no form has a field for a school, so the
    // school is found by no one (the draft's other details are found by the forms or patterns).
    assert_eq!(
        hits(&check),
        vec![
            hit(HitKind::Name, "Kelly Hughes", "the mother", 28),
            hit(HitKind::Address, "14 Mill Lane, Margate", "[address]", 29),
            hit(HitKind::Postcode, "CT9 2QT", "[postcode]", 29),
            hit(HitKind::DateOfBirth, "3 May 2019", "[date]", 30),
            hit(HitKind::NhsNumber, "401 023 2137", "[NHS number]", 30),
            hit(HitKind::Name, "Sarah Jones", "the practitioner", 31),
            hit(HitKind::Phone, "01843 555123", "[phone number]", 31),
            hit(
                HitKind::Email,
                "sarah.jones@example.nhs.uk",
                "[email address]",
                31
            ),
            hit(HitKind::Name, "Quinn", "Child Q", 32),
        ]
    );
    let from_forms = check
        .identifying
        .iter()
        .filter(|h| h.from_case_forms)
        .count();
    assert_eq!(from_forms, 6, "{check}");
}

// ---------------------------------------------------------------------------------------------
// JSON submissions

fn sample(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_valid_final_report_samples_check_as_complete() {
    let dir = std::path::Path::new("samples/final-report/valid");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).expect("samples folder") {
        let path = entry.expect("entry").path();
        let doc = sample(&path.to_string_lossy());
        let check = check_report(ReportInput::Json(&doc, &assembler()), &CaseForms::none())
            .expect("checks");
        let not_present: Vec<_> = check
            .items
            .iter()
            .filter(|i| i.verdict != Present)
            .collect();
        assert!(not_present.is_empty(), "{}: {check}", path.display());
        assert_eq!(
            check.summary.recommendations_lacking,
            0,
            "{}: {check}",
            path.display()
        );
        assert!(check.identifying.is_empty(), "{}: {check}", path.display());
        assert!(check.ready_to_publish);
        seen += 1;
    }
    assert_eq!(seen, 2);
}

/// An assembler with the built-in templates, dated as the samples' reports are.
fn assembler() -> safeguarding_forms::assemble::Assembler {
    let registry = safeguarding_forms::forms::Registry::load().expect("forms load");
    safeguarding_forms::assemble::Assembler::new(
        &registry,
        safeguarding_forms::assemble::MetadataBuilder::new(
            chrono::NaiveDate::from_ymd_opt(2026, 8, 10).expect("a date"),
        ),
    )
    .expect("templates")
}

/// A submission checked as the report its template makes reads the same as the Word draft a
/// reviewer would send: every item present, every recommendation complete.
#[test]
fn the_valid_final_report_samples_check_as_complete_through_their_template() {
    let registry = safeguarding_forms::forms::Registry::load().expect("forms load");
    let assembler = safeguarding_forms::assemble::Assembler::new(
        &registry,
        safeguarding_forms::assemble::MetadataBuilder::new(
            chrono::NaiveDate::from_ymd_opt(2026, 8, 10).expect("a date"),
        ),
    )
    .expect("templates");
    for path in [
        "samples/final-report/valid/kscp-2026-014-child-l.json",
        "samples/final-report/valid/kscp-2025-031-child-k-delayed-not-in-full.json",
    ] {
        let document = assembler.final_report(&sample(path)).expect("assembles");
        let check =
            check_report(ReportInput::Document(&document), &CaseForms::none()).expect("checks");
        let not_present: Vec<_> = check
            .items
            .iter()
            .filter(|i| i.verdict != Present)
            .collect();
        assert!(not_present.is_empty(), "{path}: {check}");
        assert_eq!(check.summary.recommendations_lacking, 0, "{path}: {check}");
        assert!(check.identifying.is_empty(), "{path}: {check}");
    }
}

#[test]
fn the_child_l_report_is_checked_against_its_own_case_forms() {
    let registry = safeguarding_forms::forms::Registry::load().expect("forms load");
    let mut forms = vec![sample(
        "samples/csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json",
    )];
    for folder in ["samples/agency-summary/valid", "samples/rapid-review/valid"] {
        for entry in std::fs::read_dir(folder).expect("samples") {
            let path = entry.expect("entry").path();
            if path.to_string_lossy().contains("kscp-2026-014") {
                forms.push(sample(&path.to_string_lossy()));
            }
        }
    }
    assert_eq!(forms.len(), 7);
    let case = CaseForms::from_forms(forms.iter().map(|body| {
        let form = registry.detect(body).expect("a known form");
        (form, body)
    }));
    let report = sample("samples/final-report/valid/kscp-2026-014-child-l.json");
    let check = check_report(ReportInput::Json(&report, &assembler()), &case).expect("checks");
    assert!(check.identifying.is_empty(), "{check}");
    assert!(check.ready_to_publish);

    // The same report with the child's real name left in one finding.
    let mut leaked = report.clone();
    leaked["findings"][0]["finding"] = json!("Lily Brown's bruise was not referred.");
    let check = check_report(ReportInput::Json(&leaked, &assembler()), &case).expect("checks");
    let found: Vec<(&str, &str)> = check
        .identifying
        .iter()
        .map(|h| (h.text.as_str(), h.suggestion.as_str()))
        .collect();
    assert_eq!(found, vec![("Lily Brown", "Child L")]);
}

#[test]
fn json_recommendations_without_owner_or_date_are_flagged() {
    let mut doc = sample("samples/final-report/valid/kscp-2026-014-child-l.json");
    doc["recommendations"][1]["owner_agencies"] = json!([]);
    doc["recommendations"][1]["text"] = json!("Agree a process for sharing notifications.");
    doc["recommendations"][3]
        .as_object_mut()
        .expect("object")
        .remove("due_date");
    let check =
        check_report(ReportInput::Json(&doc, &assembler()), &CaseForms::none()).expect("checks");
    let flags: Vec<(bool, bool)> = check
        .recommendations
        .iter()
        .map(|r| (r.has_owner, r.has_deadline))
        .collect();
    assert_eq!(
        flags,
        vec![(true, true), (false, true), (true, true), (true, false)]
    );
    assert_eq!(check.items[10].verdict, Weak);
}

#[test]
fn other_forms_and_bad_json_are_refused_clearly() {
    let notification =
        sample("samples/csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json");
    let err = check_report(
        ReportInput::Json(&notification, &assembler()),
        &CaseForms::none(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "This is a \"csprp-notification\" submission, not a final report. Please send the final report, as a Word draft or a \"final-report\" submission."
    );
    assert!(matches!(
        check_bytes(b"  {\"form\": ", &CaseForms::none(), &assembler()),
        Err(CheckError::Json(_))
    ));
    let docx = complete_draft().docx();
    assert!(check_bytes(&docx, &CaseForms::none(), &assembler()).is_ok_and(|c| c.ready_to_publish));
}

// ---------------------------------------------------------------------------------------------
// The command line

fn cli(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_safeguarding-forms"))
        .arg("check-report")
        .args(args)
        .output()
        .expect("run the binary")
}

#[test]
fn the_command_line_exits_by_outcome() {
    let dir = std::env::temp_dir().join(format!("check-report-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let good = std::ffi::OsStr::new("samples/final-report/valid/kscp-2026-014-child-l.json");
    let notification = std::ffi::OsStr::new(
        "samples/csprp-notification/valid/kscp-2026-014-child-l-serious-harm.json",
    );
    let ready = cli(&[good, "--case".as_ref(), notification]);
    assert_eq!(ready.status.code(), Some(0), "{ready:?}");
    assert!(String::from_utf8_lossy(&ready.stdout).contains("Ready to send to the Panel"));

    let draft = dir.join("draft.docx");
    std::fs::write(&draft, identifying_draft().docx()).expect("write draft");
    let found = cli(&[draft.as_os_str(), "--json".as_ref()]);
    assert_eq!(found.status.code(), Some(1), "{found:?}");
    let report: Value = serde_json::from_slice(&found.stdout).expect("JSON report");
    assert_eq!(report["ready_to_publish"], json!(false));
    // Name, street address, postcode, date of birth, NHS number, name, phone, email.
    assert_eq!(report["summary"]["identifying"], json!(8));
    assert_eq!(report["identifying"][0]["suggestion"], json!("the mother"));

    let pdf = dir.join("report.docx");
    std::fs::write(&pdf, b"%PDF-1.4\n%%EOF\n").expect("write pdf");
    let refused = cli(&[pdf.as_os_str()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr)
            .contains("This file is a PDF, not a Word document."),
        "{refused:?}"
    );
    let missing = cli(&["no-such-draft.docx".as_ref()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("there is no such file"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_reviewers_checklist_is_written_as_a_word_document() {
    let dir = std::env::temp_dir().join(format!("check-report-list-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let draft = dir.join("draft.docx");
    let list = dir.join("checklist.docx");
    let mut bad = complete_front().heading(1, "Recommendations");
    bad = bad.item("Learning from this review should be shared widely.");
    std::fs::write(&draft, bad.docx()).expect("write draft");
    let out = cli(&[
        draft.as_os_str(),
        "--format".as_ref(),
        "docx".as_ref(),
        "-o".as_ref(),
        list.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let bytes = std::fs::read(&list).expect("checklist written");
    // Read back by python-docx, an independent reader.
    let script = "import docx, sys\nd = docx.Document(sys.argv[1])\nprint(d.paragraphs[0].text)\nfor t in d.tables:\n    for r in t.rows:\n        print(' | '.join(c.text for c in r.cells))\n";
    let read = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&list)
        .output()
        .expect("python3 with python-docx must be installed for this test");
    assert!(read.status.success(), "{read:?}");
    let text = String::from_utf8_lossy(&read.stdout);
    assert!(
        text.starts_with("Final report checklist: Child Q\n"),
        "{text}"
    );
    assert!(
        text.contains(
            // The item is called what the final report form calls the field.
            "Recommendations | Weak | Recommendations (paragraph "
        ),
        "{text}"
    );
    assert!(
        text.contains("1 | Learning from this review should be shared widely. | Missing | Missing"),
        "{text}"
    );
    // And by this crate's own reader, as the same outline.
    let outline = read_outline(&bytes, Limits::default()).expect("reads the checklist");
    assert!(
        outline
            .blocks
            .iter()
            .any(|b| b.text == "Publication safety")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_reviewers_checklist_is_written_as_a_pdf() {
    let dir = std::env::temp_dir().join(format!("check-report-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let list = dir.join("checklist.pdf");
    let good = std::ffi::OsStr::new("samples/final-report/valid/kscp-2026-014-child-l.json");
    let out = cli(&[
        good,
        "--format".as_ref(),
        "pdf".as_ref(),
        "-o".as_ref(),
        list.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // Read back by pdftotext, an independent reader.
    let text = std::process::Command::new("pdftotext")
        .arg(&list)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed for this test");
    assert!(text.status.success(), "{text:?}");
    let text = String::from_utf8_lossy(&text.stdout).replace('\u{2060}', "");
    assert!(text.contains("Final report checklist: Child L"), "{text}");
    assert!(text.contains("ready to send to the Panel"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
