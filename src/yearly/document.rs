//! The yearly report as a [`Document`] for the Word and PDF renderers: the written sections in
//! the schema's order, each followed by the figures its `x-figures` names (the record of
//! actions on review recommendations, the actions with little or no progress), then the
//! timeliness and activity report of the period (its own document's blocks, one heading level
//! down) and the copies due to the Panel and the What Works Centre.
//!
//! Built in Rust rather than from a template, as the timeliness report is: the sections come
//! from the schema, the figures from the records, and no wording here is the partnership's.
//!
//! Two copies: the partnership's own, OFFICIAL-SENSITIVE ([`yearly_document`]), and the one
//! it publishes, OFFICIAL ([`yearly_document_marked`] with [`Marking::Official`]), which
//! leaves out every case reference, the late steps' list with their reasons, and the leads'
//! names, and is refused while a section is still missing.

use chrono::NaiveDate;

use super::{
    ActionLine, ProgressGap, SendStatus, Verdict, WrittenSection, YearlyError, YearlyReport,
};
use crate::actions::SourceKind;
use crate::assemble::model::{Block, Document, Inline};
use crate::assemble::{Marking, MetadataBuilder};
use crate::dates::long;
use crate::timeliness::document::{Detail, timeliness_blocks};

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
/// A draft renders too, saying which sections are still to write.
pub fn yearly_document(report: &YearlyReport, date: NaiveDate) -> Document {
    build(report, date, Marking::OfficialSensitive)
}

/// The copy of the report with `marking`, dated `date`. [`Marking::OfficialSensitive`] is
/// [`yearly_document`]'s. [`Marking::Official`] is the copy for publication: marked OFFICIAL,
/// it holds no case reference (a local review's action gives its source's kind alone), no
/// list of late and overdue steps with their reasons (their counts and charts stay, and one
/// sentence says the list is in the OFFICIAL-SENSITIVE copy) and no lead's name (the agency
/// stays); it is refused with [`YearlyError::Unfinished`] while any section is missing or its
/// need undecided ([`YearlyReport::ready_for`]).
pub fn yearly_document_marked(
    report: &YearlyReport,
    date: NaiveDate,
    marking: Marking,
) -> Result<Document, YearlyError> {
    report.ready_for(marking)?;
    Ok(build(report, date, marking))
}

fn build(report: &YearlyReport, date: NaiveDate, marking: Marking) -> Document {
    let detail = match marking {
        Marking::OfficialSensitive => Detail::CaseLevel,
        Marking::Official => Detail::Published,
    };
    let partnership = if report.partnership.is_empty() {
        "Safeguarding partners".to_owned()
    } else {
        report.partnership.clone()
    };
    let title = format!("{partnership}: yearly report, {}", report.period.words());
    let meta = MetadataBuilder::new(date)
        .author(partnership.clone())
        .marking(marking)
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
    // The copy for publication has every section written (weak ones are the partners' call to
    // publish): calling it a draft would be wrong in a published report.
    if !unfinished.is_empty() && marking == Marking::OfficialSensitive {
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
                review_actions(2, &report.review_actions, detail, &mut blocks);
                placed.0 = true;
            }
            Some(LITTLE_PROGRESS) => {
                little_progress(2, &report.check.little_progress, detail, &mut blocks);
                placed.1 = true;
            }
            _ => {}
        }
    }
    // Figures no section asks for still belong in the report.
    if !placed.0 {
        review_actions(1, &report.review_actions, detail, &mut blocks);
    }
    if !placed.1 {
        little_progress(1, &report.check.little_progress, detail, &mut blocks);
    }
    activity(report, detail, &mut blocks);
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

/// Where an action came from, as the copy with `detail` prints it: a local review's reference
/// names its case, so the copy for publication gives the kind of source alone.
fn source(line: &ActionLine, detail: Detail) -> String {
    match (detail, line.source_kind) {
        (
            Detail::Published,
            SourceKind::FinalReportRecommendation | SourceKind::RapidReviewLearning,
        ) => line.source_kind.title().to_owned(),
        _ => line.source.clone(),
    }
}

fn review_actions(level: u8, lines: &[ActionLine], detail: Detail, blocks: &mut Vec<Block>) {
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
    let named = detail == Detail::CaseLevel;
    blocks.push(Block::table(
        &[
            "Action",
            "Source",
            if named { "Agency and lead" } else { "Agency" },
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
                    source(l, detail),
                    match &l.lead {
                        Some(lead) if named => format!("{}: {lead}", l.agency),
                        _ => l.agency.clone(),
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

fn little_progress(level: u8, gaps: &[ProgressGap], detail: Detail, blocks: &mut Vec<Block>) {
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
    let named = detail == Detail::CaseLevel;
    let mut header = vec!["Action", "Agency"];
    let mut widths: Vec<u16> = vec![5, 3];
    if named {
        header.push("Lead");
        widths.push(2);
    }
    header.extend(["Due", "Status", "Why listed"]);
    widths.extend([2, 2, 3]);
    blocks.push(Block::table(
        &header,
        gaps.iter()
            .map(|g| {
                let mut row = vec![g.action.clone(), g.agency.clone()];
                if named {
                    row.push(or_not(g.lead.as_deref(), "Not named"));
                }
                row.extend([
                    date_or(g.due, "Not agreed"),
                    g.status.to_string(),
                    g.why.clone(),
                ]);
                row
            })
            .collect(),
        &widths,
    ));
}

/// The timeliness and activity report's own blocks, with the case-level `detail` of this
/// copy, under one heading of this report: its title, opening and contents give way to this
/// report's, its headings go one level down.
fn activity(report: &YearlyReport, detail: Detail, blocks: &mut Vec<Block>) {
    blocks.push(Block::heading(1, "Activity and timeliness in figures"));
    blocks.push(Block::paragraph(format!(
        "Notifications, rapid reviews, local reviews, the timeliness of each step and the actions on review recommendations for {}, beside the previous period, {}.",
        report.timeliness.period.words(),
        report.timeliness.previous_period.words()
    )));
    let mut started = false;
    for block in timeliness_blocks(&report.timeliness, detail) {
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
