//! Characters the bundled fonts cannot show. PDF/UA-1 forbids text without a glyph, so typst
//! would refuse the whole document; checking first lets the error name the characters.

use std::collections::BTreeSet;

use crate::assemble::model::{Block, Document, Inline};

/// The distinct characters in the visible text of `doc` (title, marking and body) that no
/// bundled font covers, in code point order. Control characters are not counted: the template
/// drops them.
pub(super) fn unprintable(doc: &Document, covered: impl Fn(char) -> bool) -> Vec<char> {
    let mut chars = BTreeSet::new();
    chars.extend(doc.meta.title.chars());
    chars.extend(doc.meta.marking.chars());
    collect_blocks(&doc.blocks, &mut chars);
    chars
        .into_iter()
        .filter(|&c| !c.is_control() && !c.is_whitespace() && !is_invisible(c) && !covered(c))
        .collect()
}

/// Format and joining characters that have no glyph of their own and are handled by shaping.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

fn collect_blocks(blocks: &[Block], chars: &mut BTreeSet<char>) {
    for block in blocks {
        match block {
            Block::Title { text } | Block::Heading { text, .. } | Block::Paragraph { text } => {
                collect_inlines(text, chars);
            }
            Block::List { items, .. } => {
                for item in items {
                    collect_blocks(item, chars);
                }
            }
            Block::Table { header, rows, .. } => {
                for cell in header.iter().chain(rows.iter().flatten()) {
                    collect_inlines(cell, chars);
                }
            }
            Block::Chart(chart) => {
                // The description is alternative text, never drawn, so needs no glyph.
                let series = chart.series.iter();
                let items = chart.items.iter().map(|item| &item.label);
                for text in [&chart.title, &chart.item_heading, &chart.unit]
                    .into_iter()
                    .chain(series)
                    .chain(items)
                {
                    chars.extend(text.chars());
                }
            }
            Block::Contents | Block::PageBreak => {}
        }
    }
}

fn collect_inlines(inlines: &[Inline], chars: &mut BTreeSet<char>) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => chars.extend(text.chars()),
            Inline::Strong { content } | Inline::Emphasis { content } => {
                collect_inlines(content, chars);
            }
            Inline::LineBreak => {}
        }
    }
}

/// `chars` for a message: each character followed by its code point, e.g. `张 (U+5F20)`.
pub(super) fn describe(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| format!("{c} (U+{:04X})", u32::from(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assemble::model::Metadata;
    use chrono::NaiveDate;

    fn doc_with(text: &str, marking: &str) -> Document {
        Document {
            meta: Metadata {
                title: "Title".to_owned(),
                subject: "🙂 not shown".to_owned(),
                author: "A".to_owned(),
                marking: marking.to_owned(),
                language: "en-GB".to_owned(),
                date: NaiveDate::MIN,
            },
            blocks: vec![Block::List {
                ordered: false,
                items: vec![vec![Block::Table {
                    header: vec![vec![Inline::text("x")]],
                    rows: vec![vec![vec![Inline::Strong {
                        content: vec![Inline::text(text)],
                    }]]],
                    widths: Vec::new(),
                }]],
            }],
        }
    }

    #[test]
    fn finds_uncovered_characters_anywhere_visible_once_each() {
        let covered = |c: char| c.is_ascii();
        let doc = doc_with("a张b张\u{0}\t\u{200D}", "✓");
        assert_eq!(unprintable(&doc, covered), ['✓', '张']);
        assert_eq!(describe(&['张', '✓']), "张 (U+5F20), ✓ (U+2713)");
    }

    #[test]
    fn covered_text_passes() {
        assert!(unprintable(&doc_with("plain", "OFFICIAL"), |c| c.is_ascii()).is_empty());
    }
}
