//! The reviewer's checklist: a [`ReportCheck`] as a [`Document`] the renderers can write.

use chrono::NaiveDate;

use super::{ReportCheck, Verdict};
use crate::assemble::model::{Block, Document, Inline, Metadata};

fn text(s: impl Into<String>) -> Vec<Inline> {
    vec![Inline::text(s)]
}

fn place(heading: Option<&str>, paragraph: usize) -> String {
    match heading {
        Some(h) => format!("{h} (paragraph {paragraph})"),
        None => format!("Paragraph {paragraph}"),
    }
}

/// The checklist for one draft, dated `date` so the output is reproducible.
pub fn checklist(check: &ReportCheck, date: NaiveDate) -> Document {
    let case = check
        .case_pseudonym
        .clone()
        .unwrap_or_else(|| "final report".to_owned());
    let mut blocks = vec![
        Block::Title {
            text: text(format!("Final report checklist: {case}")),
        },
        Block::paragraph(if check.ready_to_publish {
            "Outcome: the draft holds every mandatory item, each recommendation says who must act and by when, and nothing identifying was found. It is ready to send to the Panel and the Secretary of State and to publish."
        } else {
            "Outcome: the draft is not ready to publish. Please deal with each point below and check the draft again."
        }),
        Block::heading(1, "Mandatory content"),
    ];
    let s = &check.summary;
    blocks.push(Block::paragraph(format!(
        "{} present, {} weak, {} missing.",
        s.present, s.weak, s.missing
    )));
    blocks.push(Block::Table {
        header: vec![
            text("Item"),
            text("Verdict"),
            text("Where"),
            text("What to do"),
        ],
        rows: check
            .items
            .iter()
            .map(|item| {
                let verdict = match item.verdict {
                    Verdict::Present => "Present",
                    Verdict::Weak => "Weak",
                    Verdict::Missing => "Missing",
                };
                let place = item
                    .location
                    .as_ref()
                    .map(|l| place(l.heading.as_deref(), l.paragraph))
                    .unwrap_or_else(|| "Not found".to_owned());
                vec![
                    text(item.title.clone()),
                    text(verdict),
                    text(place),
                    text(item.message.clone()),
                ]
            })
            .collect(),
        widths: Vec::new(),
    });
    blocks.push(Block::heading(1, "Recommendations"));
    if check.recommendations.is_empty() {
        blocks.push(Block::paragraph("No recommendations were found."));
    } else {
        blocks.push(Block::Table {
            header: vec![
                text("No."),
                text("Recommendation"),
                text("Who must act"),
                text("By when"),
            ],
            rows: check
                .recommendations
                .iter()
                .map(|r| {
                    let yes_no = |b: bool| text(if b { "Given" } else { "Missing" });
                    vec![
                        text(r.number.to_string()),
                        text(r.location.quote.clone()),
                        yes_no(r.has_owner),
                        yes_no(r.has_deadline),
                    ]
                })
                .collect(),
            widths: Vec::new(),
        });
    }
    blocks.push(Block::heading(1, "Publication safety"));
    if check.identifying.is_empty() {
        blocks.push(Block::paragraph(if check.case_forms > 0 {
            "Nothing that could identify the child, the family or practitioners was found, including the details recorded in the case's forms."
        } else {
            "Nothing that could identify the child, the family or practitioners was found by pattern. No case forms were given: check names, addresses and schools by reading."
        }));
    } else {
        blocks.push(Block::paragraph(format!(
            "{} detail(s) could identify someone. Replace each before publication.",
            check.identifying.len()
        )));
        blocks.push(Block::Table {
            header: vec![
                text("Where"),
                text("Found"),
                text("What it is"),
                text("Replace with"),
            ],
            rows: check
                .identifying
                .iter()
                .map(|hit| {
                    vec![
                        text(place(
                            hit.location.heading.as_deref(),
                            hit.location.paragraph,
                        )),
                        text(hit.text.clone()),
                        text(hit.kind.describe()),
                        text(hit.suggestion.clone()),
                    ]
                })
                .collect(),
            widths: Vec::new(),
        });
    }
    if check.identifying_truncated {
        blocks.push(Block::paragraph(format!(
            "The draft holds so many identifying details that only the first {} are listed.",
            super::identifying::MAX_HITS
        )));
    }
    if !check.organisation_details.is_empty() {
        blocks.push(Block::paragraph(
            "For information: these look like organisations' own details (a cover, contact or copyright page). They do not stop publication; check none is the family's.",
        ));
        blocks.push(Block::Table {
            header: vec![text("Where"), text("Found"), text("What it is")],
            rows: check
                .organisation_details
                .iter()
                .map(|hit| {
                    vec![
                        text(place(
                            hit.location.heading.as_deref(),
                            hit.location.paragraph,
                        )),
                        text(hit.text.clone()),
                        text(hit.kind.describe()),
                    ]
                })
                .collect(),
            widths: Vec::new(),
        });
    }
    Document {
        meta: Metadata {
            title: format!("Final report checklist: {case}"),
            subject: "Completeness and publication safety of a final report".to_owned(),
            author: "safeguarding-forms".to_owned(),
            marking: "OFFICIAL-SENSITIVE".to_owned(),
            language: "en-GB".to_owned(),
            date,
        },
        blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assemble::model::plain_text;
    use crate::check::{CaseForms, ReportInput, check_report};

    /// A short draft: a methodology that says nothing, one finding naming the mother, one
    /// recommendation with its owner.
    fn draft(finding: &str) -> Document {
        Document {
            meta: crate::assemble::MetadataBuilder::new(NaiveDate::MIN).build("Draft", "Draft"),
            blocks: vec![
                Block::Title {
                    text: text("Local Child Safeguarding Practice Review: Child Z"),
                },
                Block::heading(1, "Methodology"),
                Block::paragraph("TBC"),
                Block::heading(1, "Findings"),
                Block::heading(2, "Finding 1: One"),
                Block::paragraph(finding),
                Block::heading(1, "Recommendations"),
                Block::List {
                    ordered: true,
                    items: vec![vec![Block::paragraph(
                        "Share learning. Agencies responsible: Kent Police.",
                    )]],
                },
            ],
        }
    }

    fn report(document: &Document) -> ReportCheck {
        check_report(ReportInput::Document(document), &CaseForms::none())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn table_rows(doc: &Document) -> Vec<usize> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table { rows, .. } => Some(rows.len()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_checklist_lists_every_item_and_every_hit() {
        let doc = draft("The mother, Jane Smith, was not seen at home during the plan.");
        let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or(NaiveDate::MIN);
        let list = checklist(&report(&doc), date);
        assert_eq!(list.meta.title, "Final report checklist: Child Z");
        assert_eq!(list.meta.date, date);
        // 11 items, 1 recommendation, 1 identifying detail.
        assert_eq!(table_rows(&list), vec![11, 1, 1]);
        let Some(Block::Paragraph { text }) = list.blocks.get(1) else {
            panic!("outcome paragraph expected");
        };
        assert!(plain_text(text).contains("not ready to publish"));

        let list = checklist(&report(&draft("The mother was not seen.")), date);
        assert_eq!(table_rows(&list), vec![11, 1]);
    }
}
