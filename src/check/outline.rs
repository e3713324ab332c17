//! The outline of a report: headings, paragraphs, list items and table rows in reading order.
//!
//! A Word draft and a `final-report` JSON submission are both turned into an outline, so every
//! check reads one shape whatever the input.

use serde::{Deserialize, Serialize};

/// What a block is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockKind {
    /// A heading, level 1 (top) to 9, with its number when the document numbers it ("3.2").
    Heading {
        /// Outline level, 1 to 9.
        level: u8,
        /// The heading's number, if any.
        number: Option<String>,
    },
    /// Running text.
    Paragraph,
    /// A bulleted or numbered list item, level 0 for the outermost list.
    ListItem {
        /// Nesting level, from 0.
        level: u8,
    },
    /// One table row, its cells joined by " | ".
    TableRow,
    /// An entry of a contents list ("1.2 Terms of reference ..... 4"): never evidence of a
    /// section, and never a heading.
    Contents,
}

/// One block of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Its text, with runs joined and white space collapsed.
    pub text: String,
    /// Its paragraph number: the position among the document's non-empty blocks, from 1.
    pub paragraph: usize,
    /// For a table row, every cell in order, empty ones included, so columns line up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<String>,
}

impl Block {
    /// The heading level, if the block is a heading.
    pub fn heading_level(&self) -> Option<u8> {
        match self.kind {
            BlockKind::Heading { level, .. } => Some(level),
            _ => None,
        }
    }
}

/// A whole report as blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outline {
    /// The blocks in reading order.
    pub blocks: Vec<Block>,
}

/// Where something was found: under which heading, in which paragraph, with a short quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// The nearest heading above, if there is one.
    pub heading: Option<String>,
    /// The paragraph number (see [`Block::paragraph`]).
    pub paragraph: usize,
    /// A short quote from the paragraph.
    pub quote: String,
}

/// Longest quote, in characters.
const QUOTE_CHARS: usize = 90;

impl Outline {
    /// Adds a block, numbering it; empty text is dropped.
    pub fn push(&mut self, kind: BlockKind, text: &str) {
        let text = collapse_spaces(text);
        if text.is_empty() {
            return;
        }
        let paragraph = self.blocks.len() + 1;
        self.blocks.push(Block {
            kind,
            text,
            paragraph,
            cells: Vec::new(),
        });
    }

    /// Adds a table row from its cells; a row with no text is dropped.
    pub fn push_row(&mut self, cells: &[String]) {
        let cells: Vec<String> = cells.iter().map(|c| collapse_spaces(c)).collect();
        let text = cells
            .iter()
            .map(String::as_str)
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(" | ");
        if text.is_empty() {
            return;
        }
        let paragraph = self.blocks.len() + 1;
        self.blocks.push(Block {
            kind: BlockKind::TableRow,
            text,
            paragraph,
            cells,
        });
    }

    /// Indexes of the headings.
    pub fn headings(&self) -> impl Iterator<Item = usize> + '_ {
        self.blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.heading_level().is_some())
            .map(|(i, _)| i)
    }

    /// The blocks under the heading at `index`, up to the next heading of the same or a higher
    /// level (sub-sections included).
    pub fn section(&self, index: usize) -> &[Block] {
        let level = self
            .blocks
            .get(index)
            .and_then(Block::heading_level)
            .unwrap_or(0);
        let start = index + 1;
        let end = self.blocks[start.min(self.blocks.len())..]
            .iter()
            .position(|b| b.heading_level().is_some_and(|l| l <= level))
            .map_or(self.blocks.len(), |offset| start + offset);
        &self.blocks[start.min(end)..end]
    }

    /// The text of the nearest heading at or above the block at `index`.
    pub fn heading_of(&self, index: usize) -> Option<String> {
        self.blocks[..=index.min(self.blocks.len().saturating_sub(1))]
            .iter()
            .rev()
            .find(|b| b.heading_level().is_some())
            .map(|b| b.text.clone())
    }

    /// The location of the block at `index`, quoting it from `from` (a byte offset in its text).
    pub fn locate(&self, index: usize, from: usize) -> Location {
        let Some(block) = self.blocks.get(index) else {
            return Location {
                heading: None,
                paragraph: 0,
                quote: String::new(),
            };
        };
        Location {
            heading: self.heading_of(index),
            paragraph: block.paragraph,
            quote: quote(&block.text, from),
        }
    }
}

/// Up to [`QUOTE_CHARS`] characters of `text` around byte offset `from`.
///
/// Only the characters near `from` are visited, so quoting every hit of a long paragraph stays
/// linear in the paragraph.
pub fn quote(text: &str, from: usize) -> String {
    let mut end = from.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let start = text[..end]
        .char_indices()
        .rev()
        .nth(19)
        .map_or(0, |(i, _)| i);
    let mut out: String = text[start..].chars().take(QUOTE_CHARS).collect();
    if start + out.len() < text.len() {
        out.push('…');
    }
    if start > 0 {
        out.insert(0, '…');
    }
    out
}

/// Collapses runs of white space into single spaces and trims.
pub fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline() -> Outline {
        let mut o = Outline::default();
        o.push(
            BlockKind::Heading {
                level: 1,
                number: None,
            },
            "Findings",
        );
        o.push(BlockKind::Paragraph, "  first   finding ");
        o.push(
            BlockKind::Heading {
                level: 2,
                number: None,
            },
            "Detail",
        );
        o.push(BlockKind::Paragraph, "");
        o.push(BlockKind::ListItem { level: 0 }, "item");
        o.push(
            BlockKind::Heading {
                level: 1,
                number: None,
            },
            "Recommendations",
        );
        o
    }

    #[test]
    fn sections_include_subsections_and_stop_at_the_next_peer() {
        let o = outline();
        let texts: Vec<&str> = o.section(0).iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["first finding", "Detail", "item"]);
        assert_eq!(o.section(2).len(), 1);
        assert!(o.section(4).is_empty());
        assert_eq!(o.blocks[3].paragraph, 4, "empty blocks are not numbered");
        assert_eq!(o.heading_of(3).as_deref(), Some("Detail"));
    }

    #[test]
    fn quotes_are_short_and_marked_when_cut() {
        let long = "word ".repeat(60);
        let q = quote(&long, 100);
        assert!(q.starts_with('…') && q.ends_with('…'), "{q}");
        assert!(q.chars().count() <= QUOTE_CHARS + 2);
        assert_eq!(quote("short", 0), "short");
    }
}
