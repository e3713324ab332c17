//! What the template receives as `/document.json`: the document itself plus the few values
//! typst needs in its own shape (language and region, date parts), worked out here in Rust.

use std::borrow::Cow;

use serde::Serialize;

use super::PdfError;
use crate::assemble::model::{Block, CONTENTS_DEPTH, Document, Metadata};

/// The JSON handed to the template.
#[derive(Debug, Serialize)]
pub(super) struct Payload<'a> {
    pub(super) meta: &'a Metadata,
    /// The blocks, with heading levels made valid for PDF/UA (see [`heading_levels_fixed`]).
    pub(super) blocks: Cow<'a, [Block]>,
    /// ISO 639 language code, e.g. "en".
    pub(super) lang: String,
    /// ISO 3166-1 alpha-2 region, e.g. "GB", if the tag has one.
    pub(super) region: Option<String>,
    pub(super) year: i32,
    pub(super) month: u8,
    pub(super) day: u8,
    /// The deepest heading level the contents list.
    pub(super) contents_depth: u8,
    /// Table rows with less text than this are not broken across pages.
    pub(super) keep_row_together_chars: usize,
}

impl<'a> Payload<'a> {
    /// The payload for `doc`, or an error if its language tag cannot be used.
    pub(super) fn new(doc: &'a Document) -> Result<Self, PdfError> {
        use chrono::Datelike;
        let (lang, region) = split_language(&doc.meta.language)
            .ok_or_else(|| PdfError::Language(doc.meta.language.clone()))?;
        let date = doc.meta.date;
        Ok(Self {
            meta: &doc.meta,
            blocks: heading_levels_fixed(&doc.blocks),
            lang,
            region,
            year: date.year(),
            // chrono guarantees 1..=12 and 1..=31.
            month: u8::try_from(date.month()).map_err(|_| PdfError::Date(date))?,
            day: u8::try_from(date.day()).map_err(|_| PdfError::Date(date))?,
            contents_depth: CONTENTS_DEPTH,
            keep_row_together_chars: crate::render::KEEP_ROW_TOGETHER_CHARS,
        })
    }
}

/// The blocks with heading levels PDF/UA-1 accepts: the first heading is level 1 and no
/// heading is more than one level below the one before (so 1, 3 becomes 1, 2). Borrowed
/// unchanged when already valid, which is the usual case.
fn heading_levels_fixed(blocks: &[Block]) -> Cow<'_, [Block]> {
    let mut previous = 0;
    if levels_valid(blocks, &mut previous) {
        return Cow::Borrowed(blocks);
    }
    let mut fixed = blocks.to_vec();
    let mut previous = 0;
    fix_levels(&mut fixed, &mut previous);
    Cow::Owned(fixed)
}

fn levels_valid(blocks: &[Block], previous: &mut u8) -> bool {
    blocks.iter().all(|block| match block {
        Block::Heading { level, .. } => {
            let ok = (1..=previous.saturating_add(1).min(3)).contains(level);
            *previous = *level;
            ok
        }
        Block::List { items, .. } => items.iter().all(|item| levels_valid(item, previous)),
        _ => true,
    })
}

fn fix_levels(blocks: &mut [Block], previous: &mut u8) {
    for block in blocks {
        match block {
            Block::Heading { level, .. } => {
                *level = (*level).clamp(1, previous.saturating_add(1).min(3));
                *previous = *level;
            }
            Block::List { items, .. } => {
                for item in items {
                    fix_levels(item, previous);
                }
            }
            _ => {}
        }
    }
}

/// Splits a BCP 47 tag of the form `ll` or `ll-RR` (two or three letter language, two letter
/// region) into lower-case language and upper-case region.
fn split_language(tag: &str) -> Option<(String, Option<String>)> {
    let mut parts = tag.trim().split(['-', '_']);
    let lang = parts.next()?;
    let region = parts.next();
    if parts.next().is_some()
        || !(2..=3).contains(&lang.len())
        || !lang.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let region = match region {
        Some(r) if r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(r.to_ascii_uppercase())
        }
        Some(_) => return None,
        None => None,
    };
    Some((lang.to_ascii_lowercase(), region))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_split_into_language_and_region() {
        assert_eq!(
            split_language("en-GB"),
            Some(("en".to_owned(), Some("GB".to_owned())))
        );
        assert_eq!(
            split_language("cy_gb"),
            Some(("cy".to_owned(), Some("GB".to_owned())))
        );
        assert_eq!(split_language("en"), Some(("en".to_owned(), None)));
    }

    fn heading(level: u8) -> Block {
        Block::Heading {
            level,
            text: vec![crate::assemble::model::Inline::text("H")],
        }
    }

    fn levels(blocks: &[Block]) -> Vec<u8> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, .. } => Some(*level),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn valid_heading_levels_are_borrowed_unchanged() {
        let blocks = vec![heading(1), heading(2), heading(3), heading(1), heading(2)];
        assert!(matches!(heading_levels_fixed(&blocks), Cow::Borrowed(_)));
    }

    #[test]
    fn skipped_or_out_of_range_heading_levels_are_closed_up() {
        let blocks = vec![
            heading(2),
            heading(3),
            heading(0),
            heading(3),
            heading(9),
            heading(1),
        ];
        assert_eq!(levels(&heading_levels_fixed(&blocks)), [1, 2, 1, 2, 3, 1]);
    }

    #[test]
    fn other_language_tags_are_refused() {
        for tag in ["", "e", "english", "en-GBR", "en-Latn-GB", "e1-GB", "#set"] {
            assert_eq!(split_language(tag), None, "{tag}");
        }
    }
}
