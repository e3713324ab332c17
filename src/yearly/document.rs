//! The yearly report as a [`Document`] for the Word and PDF renderers: the written sections in
//! the schema's order, each followed by the figures its `x-figures` names (the record of
//! actions on review recommendations, the actions with little or no progress), then the
//! timeliness and activity report of the period (its own document's blocks, one heading level
//! down) and the copies due to the Panel and the What Works Centre.
//!
//! Built in Rust rather than from a template, as the timeliness report is: the sections come
//! from the schema, the figures from the records, and no wording here is the partnership's.

use chrono::NaiveDate;

use super::{ActionLine, ProgressGap, SendStatus, Verdict, WrittenSection, YearlyReport};
use crate::assemble::MetadataBuilder;
use crate::assemble::model::{Block, Document, Inline};
use crate::dates::long;
use crate::timeliness::document::timeliness_document;

/// The `x-figures` of the section the record of actions on review recommendations follows.
pub const REVIEW_ACTIONS: &str = "review-actions";
/// The `x-figures` of the section the actions with little or no progress follow.
pub const LITTLE_PROGRESS: &str = "little-progress";

fn text(s: impl Into<String>) -> Vec<Inline> {
    vec![Inline::text(s)]
}

fn or_not(value: Option<&str>, none: &str) -> String {
    value.map_or_else(|| none.to_owned(), str::to_owned)
}

fn date_or(value: Option<NaiveDate>, none: &str) -> String {
    value.map_or_else(|| none.to_owned(), long)
}

/// The report as a document dated `date` (so the output is reproducible), marked
/// OFFICIAL-SENSITIVE until the partnership clears it for publication: the figures name cases.
pub fn yearly_document(report: &YearlyReport, date: NaiveDate) -> Document {
    let partnership = if report.partnership.is_empty() {
        "Safeguarding partners".to_owned()
    } else {
        report.partnership.clone()
    };
    let title = format!("{partnership}: yearly report, {}", report.period.words());
    let meta = MetadataBuilder::new(date)
        .author(partnership.clone())
        .build(&title, "Yearly report of the safeguarding partners");
    let published = report.published.map_or_else(
        || "It has no publication date yet.".to_owned(),
        |p| format!("It is published on {}.", long(p)),
    );
    let mut blocks = vec![
        Block::Title { text: text(&title) },
        Block::paragraph(format!(
            "The report of {partnership} for {}, as Working Together to Safeguard Children 2018, chapter 3, paragraphs 41 to 46 ask. {published} Figures stand as the records showed them on {}.",
            report.period.words(),
            long(report.today)
        )),
    ];
    let unfinished: Vec<&str> = report
        .sections
        .iter()
        .filter(|s| {
            matches!(
                s.verdict,
                Verdict::Missing | Verdict::Weak | Verdict::Undecided
            )
        })
        .map(|s| s.title.as_str())
        .collect();
    if !unfinished.is_empty() {
        blocks.push(Block::paragraph(format!(
            "Draft: {} still to write or strengthen: {}.",
            if unfinished.len() == 1 {
                "one section is".to_owned()
            } else {
                format!("{} sections are", unfinished.len())
            },
            unfinished.join("; ")
        )));
    }
    blocks.push(Block::Contents);
    let mut placed = (false, false);
    for section in &report.sections {
        if section.verdict == Verdict::NotNeeded && section.text.is_none() {
            continue;
        }
        written(section, &mut blocks);
        match section.figures.as_deref() {
            Some(REVIEW_ACTIONS) => {
                review_actions(2, &report.review_actions, &mut blocks);
                placed.0 = true;
            }
            Some(LITTLE_PROGRESS) => {
                little_progress(2, &report.check.little_progress, &mut blocks);
                placed.1 = true;
            }
            _ => {}
        }
    }
    // Figures no section asks for still belong in the report.
    if !placed.0 {
        review_actions(1, &report.review_actions, &mut blocks);
    }
    if !placed.1 {
        little_progress(1, &report.check.little_progress, &mut blocks);
    }
    activity(report, date, &mut blocks);
    sending(report, &mut blocks);
    Document { meta, blocks }
}

fn written(section: &WrittenSection, blocks: &mut Vec<Block>) {
    blocks.push(Block::heading(1, &section.title));
    let Some(body) = section.text.as_deref() else {
        blocks.push(Block::paragraph("Not written yet."));
        return;
    };
    blocks.extend(
        body.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(Block::paragraph),
    );
}

fn review_actions(level: u8, lines: &[ActionLine], blocks: &mut Vec<Block>) {
    blocks.push(Block::heading(
        level,
        "Actions on the recommendations of local and national reviews",
    ));
    blocks.push(Block::paragraph(
        "Each action open during the period, with its status and red, amber or green rating at the period's end, its latest progress and the evidence of its impact.",
    ));
    if lines.is_empty() {
        blocks.push(Block::paragraph(
            "No action on the recommendations of a local or national review was open during the period.",
        ));
        return;
    }
    blocks.push(Block::table(
        &[
            "Action",
            "Source",
            "Agency and lead",
            "Due",
            "Status",
            "RAG",
            "Latest progress",
            "Evidence of impact",
        ],
        lines
            .iter()
            .map(|l| {
                vec![
                    l.action.clone(),
                    l.source.clone(),
                    match &l.lead {
                        Some(lead) => format!("{}: {lead}", l.agency),
                        None => l.agency.clone(),
                    },
                    date_or(l.due, "Not agreed"),
                    l.status.to_string(),
                    l.rag.words().to_owned(),
                    l.latest_progress.as_ref().map_or_else(
                        || "None recorded".to_owned(),
                        |p| format!("{}: {}", long(p.date), p.text),
                    ),
                    or_not(l.impact.as_deref(), "None recorded"),
                ]
            })
            .collect(),
        &[4, 3, 3, 2, 2, 2, 4, 4],
    ));
}

fn little_progress(level: u8, gaps: &[ProgressGap], blocks: &mut Vec<Block>) {
    blocks.push(Block::heading(level, "Actions with little or no progress"));
    if gaps.is_empty() {
        blocks.push(Block::paragraph(
            "No action on a review recommendation was overdue or not started at the period's end.",
        ));
        return;
    }
    blocks.push(Block::paragraph(
        "Actions on review recommendations overdue or not started at the period's end: areas the partners may need to address.",
    ));
    blocks.push(Block::table(
        &["Action", "Agency", "Lead", "Due", "Status", "Why listed"],
        gaps.iter()
            .map(|g| {
                vec![
                    g.action.clone(),
                    g.agency.clone(),
                    or_not(g.lead.as_deref(), "Not named"),
                    date_or(g.due, "Not agreed"),
                    g.status.to_string(),
                    g.why.clone(),
                ]
            })
            .collect(),
        &[5, 3, 2, 2, 2, 3],
    ));
}

/// The timeliness and activity report's own blocks, under one heading of this report: its
/// title, opening and contents give way to this report's, its headings go one level down.
fn activity(report: &YearlyReport, date: NaiveDate, blocks: &mut Vec<Block>) {
    blocks.push(Block::heading(1, "Activity and timeliness in figures"));
    blocks.push(Block::paragraph(format!(
        "Notifications, rapid reviews, local reviews, the timeliness of each step and the actions on review recommendations for {}, beside the previous period, {}.",
        report.timeliness.period.words(),
        report.timeliness.previous_period.words()
    )));
    let own = timeliness_document(&report.timeliness, date);
    let mut started = false;
    for block in own.blocks {
        match block {
            Block::Title { .. } | Block::Contents => {}
            Block::Heading { level, text } => {
                started = true;
                blocks.push(Block::Heading {
                    level: (level + 1).min(3),
                    text,
                });
            }
            // Before its first heading: the timeliness report's opening, said above.
            _ if !started => {}
            other => blocks.push(other),
        }
    }
}

fn sending(report: &YearlyReport, blocks: &mut Vec<Block>) {
    let s = &report.check.sending;
    blocks.push(Block::heading(1, "Copies of the published report"));
    blocks.push(Block::paragraph(match s.due {
        Some(due) => format!(
            "A copy of the published report goes to each body below within {} calendar days of publication: by {}.",
            s.due_days,
            long(due)
        ),
        None => format!(
            "A copy of the published report goes to each body below within {} calendar days of publication, once it has a date.",
            s.due_days
        ),
    }));
    blocks.push(Block::table(
        &["Sent to", "Due", "Sent", "Days after publication", "Status"],
        s.copies
            .iter()
            .map(|c| {
                vec![
                    c.to.clone(),
                    date_or(s.due, "On publication"),
                    date_or(c.sent, "Not yet"),
                    c.days_after_publication
                        .map_or_else(String::new, |d| d.to_string()),
                    match c.status {
                        SendStatus::OnTime => "On time",
                        SendStatus::Late => "Late",
                        SendStatus::NotYetDue => "Not yet due",
                        SendStatus::Overdue => "Overdue",
                        SendStatus::NotPublished => "Not yet published",
                    }
                    .to_owned(),
                ]
            })
            .collect(),
        &[5, 2, 2, 2, 2],
    ));
    blocks.push(Block::paragraph(format!("Source: {}.", s.source)));
}
