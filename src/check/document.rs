//! A document assembled from a template as an [`Outline`]: a final-report JSON submission is
//! checked as the report its template makes, so the check knows no field of the form.

use super::outline::{BlockKind, Outline};
use crate::assemble::model::{Block, Document, plain_text};

/// The outline of an assembled document: its title and headings, paragraphs, list items (at
/// their depth) and table rows (the header row first); contents lists and page breaks are left
/// out, as a reader skips them.
pub fn outline(document: &Document) -> Outline {
    let mut outline = Outline::default();
    for block in &document.blocks {
        push(&mut outline, block, 0);
    }
    outline
}

fn push(outline: &mut Outline, block: &Block, depth: u8) {
    match block {
        Block::Title { text } => outline.push(
            BlockKind::Heading {
                level: 1,
                number: None,
            },
            &plain_text(text),
        ),
        Block::Heading { level, text } => outline.push(
            BlockKind::Heading {
                level: *level,
                number: None,
            },
            &plain_text(text),
        ),
        Block::Paragraph { text } if depth == 0 => {
            outline.push(BlockKind::Paragraph, &plain_text(text));
        }
        Block::Paragraph { text } => {
            outline.push(BlockKind::ListItem { level: depth - 1 }, &plain_text(text))
        }
        Block::List { items, .. } => {
            for item in items {
                for inner in item {
                    push(outline, inner, depth.saturating_add(1));
                }
            }
        }
        Block::Table { header, rows, .. } => {
            let cells = |row: &[Vec<crate::assemble::model::Inline>]| -> Vec<String> {
                row.iter().map(|cell| plain_text(cell)).collect()
            };
            outline.push_row(&cells(header));
            for row in rows {
                outline.push_row(&cells(row));
            }
        }
        Block::Chart(chart) => outline.push(BlockKind::Paragraph, &chart.description),
        Block::Contents | Block::PageBreak => {}
    }
}
