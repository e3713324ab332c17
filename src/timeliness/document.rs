//! The timeliness and activity report as a [`Document`], for the Word and PDF renderers: the
//! figures as tables (this period, the previous period, the trend in words), bar charts beside
//! them, the late and overdue steps and the overdue actions.
//!
//! Built in Rust rather than from a template: the templates are Handlebars over a form's JSON
//! turned into Markdown, and Markdown has no chart; every value here is a number or a date the
//! report computed, with no wording a partnership would edit. The reviewer's checklist
//! (`check::checklist`) is made the same way.

use chrono::NaiveDate;

use super::{
    Breakdown, Figure, GroupActions, Share, StepTimeliness, TimelinessReport, period::Trend,
};
use crate::assemble::MetadataBuilder;
use crate::assemble::model::{Block, Chart, ChartItem, Document, Inline};
use crate::dates::long;

/// The series of every chart: the period reported on, then the one before.
const SERIES: [&str; 2] = ["This period", "Previous period"];

fn text(s: impl Into<String>) -> Vec<Inline> {
    vec![Inline::text(s)]
}

/// How a count moved, in words: "up by 3", "down by 2", "no change".
fn trend(f: &Figure) -> String {
    match f.trend {
        Trend::Up => format!("up by {}", f.current - f.previous),
        Trend::Down => format!("down by {}", f.previous - f.current),
        Trend::Same => "no change".to_owned(),
    }
}

/// How a share moved, in words: "up 5 points", or why it cannot be compared.
fn share_trend(s: &Share) -> String {
    match (s.current, s.previous, s.trend) {
        (Some(c), Some(p), Some(Trend::Up)) => format!("up {} points", c.saturating_sub(p)),
        (Some(c), Some(p), Some(Trend::Down)) => format!("down {} points", p.saturating_sub(c)),
        (Some(_), Some(_), _) => "no change".to_owned(),
        _ => "cannot be compared".to_owned(),
    }
}

fn share_text(value: Option<u32>) -> String {
    value.map_or_else(|| "none measured".to_owned(), |v| format!("{v}%"))
}

fn figure_row(label: impl Into<String>, f: &Figure) -> Vec<String> {
    vec![
        label.into(),
        f.current.to_string(),
        f.previous.to_string(),
        trend(f),
    ]
}

const FIGURE_HEADER: [&str; 4] = ["Figure", "This period", "Previous period", "Trend"];
const FIGURE_WIDTHS: [u16; 4] = [5, 2, 2, 3];

/// A chart of this period beside the previous one, its description written from its values.
fn chart(
    title: &str,
    item_heading: &str,
    unit: &str,
    scale: Option<u64>,
    items: Vec<(String, [Option<u64>; 2])>,
) -> Block {
    let value = |v: Option<u64>| v.map_or_else(|| "none".to_owned(), |v| format!("{v}{unit}"));
    let described: Vec<String> = items
        .iter()
        .map(|(label, [now, before])| {
            format!(
                "{label}: {} this period, {} in the previous period",
                value(*now),
                value(*before)
            )
        })
        .collect();
    let description = if described.is_empty() {
        format!("Bar chart of {}: nothing to show.", title.to_lowercase())
    } else {
        format!(
            "Bar chart of {}. {}.",
            title.to_lowercase(),
            described.join("; ")
        )
    };
    Block::Chart(Chart {
        title: title.to_owned(),
        description,
        item_heading: item_heading.to_owned(),
        series: SERIES.iter().map(|s| (*s).to_owned()).collect(),
        items: items
            .into_iter()
            .map(|(label, values)| ChartItem {
                label,
                values: values.to_vec(),
            })
            .collect(),
        unit: unit.to_owned(),
        scale,
    })
}

fn count(n: usize) -> Option<u64> {
    u64::try_from(n).ok()
}

fn breakdown_chart(title: &str, item_heading: &str, breakdown: &[Breakdown]) -> Block {
    chart(
        title,
        item_heading,
        "",
        None,
        breakdown
            .iter()
            .map(|b| {
                (
                    b.words(),
                    [count(b.figure.current), count(b.figure.previous)],
                )
            })
            .collect(),
    )
}

/// How much of the case-level detail a copy of the report holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Everything, for the partnership's own OFFICIAL-SENSITIVE copy: each late or overdue
    /// step with its case reference and the reason given, and each overdue action's lead.
    #[default]
    CaseLevel,
    /// Figures only, for a copy to publish: the late and overdue steps are counted, not
    /// listed (no case reference, no reason), and the overdue actions name their agency, not
    /// their lead.
    Published,
}

/// The report as a document dated `date` (so the output is reproducible), marked
/// OFFICIAL-SENSITIVE: the late steps name cases.
pub fn timeliness_document(report: &TimelinessReport, date: NaiveDate) -> Document {
    let title = format!("Timeliness and activity report: {}", report.period.words());
    let meta = MetadataBuilder::new(date).build(&title, "Timeliness and activity report");
    Document {
        meta,
        blocks: timeliness_blocks(report, Detail::CaseLevel),
    }
}

/// The report's blocks, from its title to its last table, with the case-level `detail` asked
/// for: [`timeliness_document`]'s body with [`Detail::CaseLevel`]; with [`Detail::Published`],
/// the same figures and charts without any case reference, reason for lateness or person.
pub fn timeliness_blocks(report: &TimelinessReport, detail: Detail) -> Vec<Block> {
    let title = format!("Timeliness and activity report: {}", report.period.words());
    let mut blocks = vec![
        Block::Title { text: text(&title) },
        Block::paragraph(format!(
            "This period is {}; the previous period, {}. Figures stand as the records showed them on {}. Trends compare this period with the previous one.",
            report.period.words(),
            report.previous_period.words(),
            long(report.today)
        )),
        Block::Contents,
    ];
    notifications(report, &mut blocks);
    reviews(report, &mut blocks);
    steps(&report.steps, detail, &mut blocks);
    actions(report, detail, &mut blocks);
    blocks
}

fn notifications(report: &TimelinessReport, blocks: &mut Vec<Block>) {
    let n = &report.notifications;
    blocks.push(Block::heading(1, "Notifications to the Panel"));
    let mut rows = vec![
        figure_row("All notifications", &n.total),
        figure_row("A child died", &n.deaths),
        figure_row("A child was seriously harmed", &n.serious_harm),
        figure_row("Death or serious harm not recorded", &n.origin_not_recorded),
    ];
    rows.extend(
        n.by_category
            .iter()
            .map(|b| figure_row(format!("Category: {}", b.words()), &b.figure)),
    );
    blocks.push(Block::table(&FIGURE_HEADER, rows, &FIGURE_WIDTHS));
    blocks.push(Block::paragraph(
        "A case counts once in each category of abuse or neglect it records.",
    ));
    blocks.push(breakdown_chart(
        "Notifications by category",
        "Category",
        &n.by_category,
    ));
}

fn reviews(report: &TimelinessReport, blocks: &mut Vec<Block>) {
    let r = &report.rapid_reviews;
    blocks.push(Block::heading(1, "Rapid reviews"));
    let mut rows = vec![figure_row("Decisions made", &r.total)];
    rows.extend(
        r.by_decision
            .iter()
            .map(|b| figure_row(format!("Decision: {}", b.words()), &b.figure)),
    );
    blocks.push(Block::table(&FIGURE_HEADER, rows, &FIGURE_WIDTHS));
    blocks.push(breakdown_chart(
        "Rapid review decisions",
        "Decision",
        &r.by_decision,
    ));
    let l = &report.local_reviews;
    blocks.push(Block::heading(
        1,
        "Local child safeguarding practice reviews",
    ));
    blocks.push(Block::table(
        &FIGURE_HEADER,
        vec![
            figure_row("Commissioned", &l.commissioned),
            figure_row("Open at the end of the period", &l.open_at_end),
            figure_row("Published", &l.published),
        ],
        &FIGURE_WIDTHS,
    ));
}

fn steps(steps: &[StepTimeliness], detail: Detail, blocks: &mut Vec<Block>) {
    blocks.push(Block::heading(1, "Statutory and local steps on time"));
    blocks.push(Block::paragraph(
        "Each step counts in the period its due date falls in. The share on time is of the steps done or overdue; steps not yet due are left out.",
    ));
    if steps.is_empty() {
        blocks.push(Block::paragraph("No step fell due in either period."));
        return;
    }
    blocks.push(Block::table(
        &[
            "Step",
            "Due",
            "On time",
            "Late",
            "Overdue",
            "On time this period",
            "On time previous period",
            "Trend",
        ],
        steps
            .iter()
            .map(|s| {
                vec![
                    s.title.clone(),
                    s.due.current.to_string(),
                    s.on_time.current.to_string(),
                    s.late.current.to_string(),
                    s.overdue.current.to_string(),
                    share_text(s.on_time_share.current),
                    share_text(s.on_time_share.previous),
                    share_trend(&s.on_time_share),
                ]
            })
            .collect(),
        &[4, 2, 2, 2, 2, 2, 2, 3],
    ));
    blocks.push(chart(
        "Share of steps done on time",
        "Step",
        "%",
        Some(100),
        steps
            .iter()
            .map(|s| {
                let share = |v: Option<u32>| v.map(u64::from);
                (
                    s.title.clone(),
                    [
                        share(s.on_time_share.current),
                        share(s.on_time_share.previous),
                    ],
                )
            })
            .collect(),
    ));
    blocks.push(Block::heading(2, "Late and overdue steps this period"));
    if detail == Detail::Published {
        let any_late = steps.iter().any(|s| !s.late_ones.is_empty());
        blocks.push(Block::paragraph(if any_late {
            "The case-by-case list of these steps, with the reason given for each, is kept in the partnership's own OFFICIAL-SENSITIVE copy of this report."
        } else {
            "Every step due this period was done on time."
        }));
        return;
    }
    let late: Vec<Vec<String>> = steps
        .iter()
        .flat_map(|s| {
            s.late_ones.iter().map(|l| {
                vec![
                    l.case_reference.clone(),
                    s.title.clone(),
                    long(l.due),
                    l.done.map_or_else(|| "Not done".to_owned(), long),
                    l.working_days_late
                        .map_or_else(String::new, |d| d.to_string()),
                    l.reason.clone().unwrap_or_else(|| "None given".to_owned()),
                ]
            })
        })
        .collect();
    if late.is_empty() {
        blocks.push(Block::paragraph(
            "Every step due this period was done on time.",
        ));
    } else {
        blocks.push(Block::table(
            &["Case", "Step", "Due", "Done", "Working days late", "Reason"],
            late,
            &[2, 3, 2, 2, 2, 4],
        ));
    }
}

fn group_rows(groups: &[GroupActions]) -> Vec<Vec<String>> {
    groups
        .iter()
        .map(|g| {
            vec![
                g.name.clone(),
                g.actions.current.to_string(),
                g.done.current.to_string(),
                g.overdue.current.to_string(),
                g.overdue.previous.to_string(),
                trend(&g.overdue),
            ]
        })
        .collect()
}

fn actions(report: &TimelinessReport, detail: Detail, blocks: &mut Vec<Block>) {
    let a = &report.actions;
    blocks.push(Block::heading(1, "Actions on review recommendations"));
    let mut rows = vec![
        figure_row("Raised", &a.raised),
        figure_row("Completed", &a.completed),
        figure_row("Overdue at the end of the period", &a.overdue),
    ];
    rows.extend(
        a.by_status
            .iter()
            .map(|b| figure_row(format!("{} at the end of the period", b.words()), &b.figure)),
    );
    blocks.push(Block::table(&FIGURE_HEADER, rows, &FIGURE_WIDTHS));
    blocks.push(breakdown_chart(
        "Actions by status at the end of the period",
        "Status",
        &a.by_status,
    ));
    let group_header = [
        "",
        "Actions held",
        "Completed or closed",
        "Overdue",
        "Overdue, previous period",
        "Trend in overdue",
    ];
    for (title, first, groups) in [
        ("By agency", "Agency", &a.by_agency),
        ("By source", "Source", &a.by_source),
    ] {
        blocks.push(Block::heading(2, title));
        if groups.is_empty() {
            blocks.push(Block::paragraph("No actions."));
            continue;
        }
        let mut header = group_header;
        header[0] = first;
        blocks.push(Block::table(
            &header,
            group_rows(groups),
            &[5, 2, 2, 2, 2, 3],
        ));
    }
    blocks.push(chart(
        "Overdue actions by agency",
        "Agency",
        "",
        None,
        a.by_agency
            .iter()
            .map(|g| {
                (
                    g.name.clone(),
                    [count(g.overdue.current), count(g.overdue.previous)],
                )
            })
            .collect(),
    ));
    blocks.push(Block::heading(
        2,
        "Overdue actions at the end of this period",
    ));
    if a.overdue_actions.is_empty() {
        blocks.push(Block::paragraph("No action was overdue."));
        return;
    }
    let named = detail == Detail::CaseLevel;
    let mut header = vec!["Agency"];
    let mut widths: Vec<u16> = vec![3];
    if named {
        header.push("Lead");
        widths.push(2);
    }
    header.extend(["Action", "Due", "Working days overdue", "Status"]);
    widths.extend([5, 2, 2, 2]);
    blocks.push(Block::table(
        &header,
        a.overdue_actions
            .iter()
            .map(|o| {
                let mut row = vec![o.agency.clone()];
                if named {
                    row.push(o.lead.clone().unwrap_or_else(|| "Not named".to_owned()));
                }
                row.extend([
                    o.action.clone(),
                    long(o.due),
                    o.working_days_overdue
                        .map_or_else(String::new, |d| d.to_string()),
                    o.status.to_string(),
                ]);
                row
            })
            .collect(),
        &widths,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_trends_read_as_words() {
        assert_eq!(
            crate::timeliness::readable("alternative-learning-review"),
            "Alternative learning review"
        );
        assert_eq!(crate::timeliness::readable(""), "");
        assert_eq!(trend(&Figure::new(5, 2)), "up by 3");
        assert_eq!(trend(&Figure::new(2, 5)), "down by 3");
        assert_eq!(trend(&Figure::new(2, 2)), "no change");
        let share = Share::new(Figure::new(3, 1), Figure::new(4, 2));
        assert_eq!(share_trend(&share), "up 25 points");
        let unmeasured = Share::new(Figure::new(3, 0), Figure::new(4, 0));
        assert_eq!(share_trend(&unmeasured), "cannot be compared");
    }

    #[test]
    fn the_published_blocks_count_late_steps_without_naming_their_cases() {
        use crate::calendar::Config;
        use crate::timeliness::{CaseRecord, Period, StepRecord, timeliness_report};
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or(NaiveDate::MIN);
        let case = CaseRecord {
            reference: "KSCP-2026-900".to_owned(),
            notified: Some(day(3, 10)),
            steps: vec![StepRecord {
                rule: "notify-panel".to_owned(),
                title: "Notify the Panel".to_owned(),
                due: day(3, 2),
                done: Some(day(3, 10)),
                late_reason: Some("The referral came in late".to_owned()),
            }],
            ..CaseRecord::default()
        };
        let calendar = Config::embedded().expect("the calendar loads");
        let period = Period::new(day(1, 1), day(6, 30)).expect("a period");
        let report =
            timeliness_report(&[case], &[], period, day(7, 1), &calendar).expect("the figures");
        let whole = timeliness_document(&report, day(7, 1));
        assert_eq!(whole.blocks, timeliness_blocks(&report, Detail::CaseLevel));
        let text = |blocks: &[Block]| format!("{blocks:?}");
        assert!(text(&whole.blocks).contains("KSCP-2026-900"));
        assert!(text(&whole.blocks).contains("The referral came in late"));
        let published = timeliness_blocks(&report, Detail::Published);
        assert!(!text(&published).contains("KSCP-2026-900"));
        assert!(!text(&published).contains("The referral came in late"));
        assert!(text(&published).contains("OFFICIAL-SENSITIVE copy"));
        // The same tables and charts, but the late list: one sentence instead.
        assert_eq!(published.len(), whole.blocks.len());
    }

    #[test]
    fn a_chart_describes_every_bar_in_words() {
        let Block::Chart(c) = chart(
            "Share on time",
            "Step",
            "%",
            Some(100),
            vec![("Notify the Panel".into(), [Some(80), None])],
        ) else {
            panic!("not a chart");
        };
        assert_eq!(
            c.description,
            "Bar chart of share on time. Notify the Panel: 80% this period, none in the previous period."
        );
        assert_eq!(c.full_scale(), 100);
    }
}
