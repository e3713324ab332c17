//! The document model every template is assembled into and every renderer reads.
//!
//! It is deliberately small: what a statutory report needs and nothing a renderer could
//! misread. Text is always plain text; formatting is carried by the structure, never by
//! markup inside a string, so text a user typed can never become Markdown, XML or typst code.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A whole document: its metadata and its blocks in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Title, subject, author, marking, language and date.
    pub meta: Metadata,
    /// The body, top to bottom.
    pub blocks: Vec<Block>,
}

/// Document properties, shown in headers and footers and written to the file's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Document title, e.g. "Rapid review pack: KSCP-2026-014".
    pub title: String,
    /// Subject line for the file's properties.
    pub subject: String,
    /// Author shown in the file's properties (a person or a partnership).
    pub author: String,
    /// Protective marking printed in the header, e.g. "OFFICIAL-SENSITIVE".
    pub marking: String,
    /// BCP 47 language tag, "en-GB".
    pub language: String,
    /// The document's date: fixed by the caller so that output is reproducible.
    pub date: NaiveDate,
}

/// The deepest heading level a table of contents lists: chapters and their sections, as GOV.UK
/// documents do (with level 3 too, the rapid review pack's contents ran to two and a half pages).
pub const CONTENTS_DEPTH: u8 = 2;

/// A block-level element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// The document title, shown once at the top (Word style "Title").
    Title { text: Vec<Inline> },
    /// A heading, level 1 to 3 (Word styles "Heading 1" to "Heading 3").
    Heading { level: u8, text: Vec<Inline> },
    /// A paragraph of running text.
    Paragraph { text: Vec<Inline> },
    /// A bulleted or numbered list; each item holds its own blocks.
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    /// A table with one header row, repeated on every page it spans.
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        /// Relative column widths, one per column (`[1, 1, 3]`: the last column three times as
        /// wide as each of the others). Empty, or not one per column: widths follow the content.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        widths: Vec<u16>,
    },
    /// A horizontal bar chart drawn by the renderer: for each item, one bar per series with its
    /// number written beside it, so the chart reads without colour. Readers that cannot see it
    /// get `description` in the PDF (the figure's alternative text); in Word the chart is a
    /// table whose rows are already text.
    Chart(Chart),
    /// A table of contents built from the headings that follow, down to [`CONTENTS_DEPTH`].
    Contents,
    /// Start the next block on a new page.
    PageBreak,
}

/// A horizontal bar chart (see [`Block::Chart`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chart {
    /// What the chart shows, printed above it.
    pub title: String,
    /// The chart in words, for readers who cannot see it.
    pub description: String,
    /// The heading of the items' column, e.g. "Category".
    pub item_heading: String,
    /// The series, e.g. "This period" and "Previous period": each item has one bar per series.
    pub series: Vec<String>,
    /// The items, top to bottom.
    pub items: Vec<ChartItem>,
    /// Written after each number, e.g. "%"; empty for counts.
    #[serde(default)]
    pub unit: String,
    /// The value a full-length bar stands for (100 for percentages); `None`: the largest value.
    #[serde(default)]
    pub scale: Option<u64>,
}

/// One item of a [`Chart`]: its label and a value per series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartItem {
    /// The item, e.g. "Neglect".
    pub label: String,
    /// One value per series; `None` where there is nothing to show (no bar, "none" written).
    pub values: Vec<Option<u64>>,
}

impl Chart {
    /// The value a full-length bar stands for: the chart's scale, or its largest value (at
    /// least 1, so an all-zero chart draws no bars rather than dividing by zero).
    pub fn full_scale(&self) -> u64 {
        self.scale
            .unwrap_or_else(|| {
                self.items
                    .iter()
                    .flat_map(|item| item.values.iter().flatten())
                    .copied()
                    .max()
                    .unwrap_or(0)
            })
            .max(1)
    }

    /// A value as written beside its bar: "12", "85%", or "none".
    pub fn value_text(&self, value: Option<u64>) -> String {
        match value {
            Some(v) => format!("{v}{}", self.unit),
            None => "none".to_owned(),
        }
    }
}

/// An inline run of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text, exactly as it should appear.
    Text { text: String },
    /// Bold text.
    Strong { content: Vec<Inline> },
    /// Italic text.
    Emphasis { content: Vec<Inline> },
    /// A hard line break within a paragraph or cell.
    LineBreak,
}

impl Inline {
    /// Plain text run.
    pub fn text(text: impl Into<String>) -> Self {
        Inline::Text { text: text.into() }
    }
}

impl Block {
    /// A heading of plain text.
    pub fn heading(level: u8, text: impl Into<String>) -> Self {
        Block::Heading {
            level,
            text: vec![Inline::text(text)],
        }
    }

    /// A paragraph of plain text.
    pub fn paragraph(text: impl Into<String>) -> Self {
        Block::Paragraph {
            text: vec![Inline::text(text)],
        }
    }

    /// A table of plain text: its header, its rows, and the columns' relative widths.
    pub fn table(header: &[&str], rows: Vec<Vec<String>>, widths: &[u16]) -> Self {
        Block::Table {
            header: header.iter().map(|h| vec![Inline::text(*h)]).collect(),
            rows: rows
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|cell| vec![Inline::text(cell)])
                        .collect()
                })
                .collect(),
            widths: widths.to_vec(),
        }
    }
}

/// The plain text of a run of inlines, formatting dropped (for bookmarks, contents, search).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => out.push_str(text),
            Inline::Strong { content } | Inline::Emphasis { content } => push_plain(content, out),
            Inline::LineBreak => out.push(' '),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_flattens_formatting() {
        let runs = vec![
            Inline::text("Child "),
            Inline::Strong {
                content: vec![Inline::text("C")],
            },
            Inline::LineBreak,
            Inline::text("aged 4"),
        ];
        assert_eq!(plain_text(&runs), "Child C aged 4");
    }
}
