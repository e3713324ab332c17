//! A realistic, entirely fictional final-report-shaped document for renderer tests and
//! benchmarks, built directly in the document model so renderers can be tested on their own.
//!
//! Include it with `crate::support::sample_document` (the test suite) or
//! `#[path = "../tests/suite/support/sample_document.rs"] mod sample_document;` (benches).

#![allow(dead_code)]

use chrono::NaiveDate;
use safeguarding_forms::assemble::model::{Block, Document, Inline, Metadata, plain_text};

/// Text a user might type that must come out exactly as typed, never as markup in any format.
pub const HOSTILE_TEXT: &str = "Mother said \"#1 <b>priority</b> & *not* {{child}} | $x$ = `rm -rf` \\ [link](x)\" #set page(width: 1pt)";

fn text(s: &str) -> Vec<Inline> {
    vec![Inline::text(s)]
}

/// The fixed metadata every sample uses, so output is reproducible.
pub fn sample_metadata(title: &str) -> Metadata {
    Metadata {
        title: title.to_owned(),
        subject: "Local child safeguarding practice review".to_owned(),
        author: "Kent Safeguarding Children Multi-Agency Partnership".to_owned(),
        marking: "OFFICIAL-SENSITIVE".to_owned(),
        language: "en-GB".to_owned(),
        date: NaiveDate::from_ymd_opt(2026, 3, 14).expect("fixed date is valid"),
    }
}

/// A document of roughly `sections` × one page: title, contents, headings at three levels,
/// paragraphs with bold and italic runs, bulleted and numbered lists, tables long enough to
/// break across pages, and one paragraph of hostile text.
pub fn sample_document(sections: usize) -> Document {
    let mut blocks = vec![
        Block::Title {
            text: text("Local Child Safeguarding Practice Review: Child K"),
        },
        Block::Paragraph {
            text: vec![
                Inline::Strong {
                    content: text("Case reference: "),
                },
                Inline::text("KSCMP-2026-014"),
                Inline::LineBreak,
                Inline::Emphasis {
                    content: text("Independent reviewer: Dr Amara Okafor"),
                },
            ],
        },
        Block::Contents,
        Block::PageBreak,
    ];
    for n in 1..=sections {
        blocks.push(Block::Heading {
            level: 1,
            text: text(&format!("{n}. Findings on theme {n}")),
        });
        blocks.push(Block::Paragraph {
            text: text(&"Practitioners from Kent Police, Kent and Medway NHS and Social Care Partnership Trust and Kent County Council Children's Services met Child K's family on several occasions. The review found that information about the household was held by each agency but was not brought together in time to change the plan for the child. ".repeat(2)),
        });
        blocks.push(Block::Heading {
            level: 2,
            text: text(&format!("{n}.1 What happened")),
        });
        blocks.push(Block::Paragraph {
            text: vec![
                Inline::text("The health visitor recorded "),
                Inline::Strong {
                    content: text("three missed appointments"),
                },
                Inline::text(" and the school nurse noted "),
                Inline::Emphasis {
                    content: text("concerns about weight"),
                },
                Inline::text(". These were not shared with children's social care."),
            ],
        });
        blocks.push(Block::List {
            ordered: false,
            items: vec![
                vec![Block::Paragraph {
                    text: text("Kent Police attended the address twice."),
                }],
                vec![Block::Paragraph {
                    text: text("The GP practice saw the mother once, about her own health."),
                }],
                vec![Block::Paragraph {
                    text: text("The school referred to the Front Door service in March."),
                }],
            ],
        });
        blocks.push(Block::Heading {
            level: 3,
            text: text(&format!("{n}.1.1 Agency involvement")),
        });
        let rows = (1..=12)
            .map(|r| {
                vec![
                    text(&format!("{r:02} March 2025")),
                    text(if r % 2 == 0 {
                        "Kent Police"
                    } else {
                        "Kent County Council Children's Services"
                    }),
                    text("Contact with the family recorded; no referral made at the time."),
                ]
            })
            .collect();
        blocks.push(Block::Table {
            header: vec![text("Date"), text("Agency"), text("What happened")],
            rows,
            widths: Vec::new(),
        });
        blocks.push(Block::List {
            ordered: true,
            items: vec![
                vec![Block::Paragraph {
                    text: text("Kent Safeguarding Children Multi-Agency Partnership to revise the neglect strategy by 31 March 2027."),
                }],
                vec![Block::Paragraph {
                    text: text("Kent and Medway ICB to audit GP safeguarding records by 30 June 2027."),
                }],
            ],
        });
    }
    blocks.push(Block::Heading {
        level: 1,
        text: text("Text as typed"),
    });
    blocks.push(Block::Paragraph {
        text: text(HOSTILE_TEXT),
    });
    Document {
        meta: sample_metadata("Local Child Safeguarding Practice Review: Child K"),
        blocks,
    }
}

/// Every heading of a document: its level and its text.
pub fn headings(blocks: &[Block]) -> Vec<(u8, String)> {
    blocks
        .iter()
        .filter_map(|block| match block {
            Block::Heading { level, text } => Some((*level, plain_text(text))),
            _ => None,
        })
        .collect()
}
