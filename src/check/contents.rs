//! Contents pages: their entries ("1.2 Terms of Reference ..... 4", "7. Analysis and themes 21")
//! repeat the headings of the body. They are never evidence of a section, so they are marked
//! [`BlockKind::Contents`] before any check reads the outline: a heading found only in the
//! contents is a missing section.
//!
//! Entries in Word's "TOC 1" to "TOC 9" styles are marked by the Word reader. Here: the lines
//! after a "Contents" heading that look like entries, and, anywhere, runs of two or more lines
//! with dot leaders and a page number.

use std::sync::LazyLock;

use regex::Regex;

use super::completeness::{bare_heading, normalise};
use super::config::CheckConfig;
use super::outline::{BlockKind, Outline};

/// Most words of a contents entry.
const ENTRY_MAX_WORDS: usize = 18;

/// Most entries read after one "Contents" heading.
const MAX_ENTRIES: usize = 300;

static LEADER_AND_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\.{3,}|…+|_{3,}|-{4,}|·{3,})\s*\d{1,3}\s*$")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});

static PAGE_AT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\p{L}[\p{L}\p{P}\s]*?[\s.…_·\-]+(?:p\.?\s*|page\s+)?\d{1,3}\s*$")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});

static TRAILING_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\s.…_·\-]*(?:p\.?\s*|page\s+)?\d{1,3}\s*$")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// An entry's text without its leader and page number, lower case and without its number.
fn entry_key(text: &str) -> String {
    let without_page = TRAILING_PAGE.replace(text, "");
    bare_heading(&normalise(&without_page)).to_owned()
}

fn has_page(text: &str) -> bool {
    LEADER_AND_PAGE.is_match(text) || PAGE_AT_END.is_match(text)
}

fn short(text: &str) -> bool {
    text.split_whitespace().count() <= ENTRY_MAX_WORDS
}

/// Marks the contents entries of `outline`.
pub fn mark_contents(outline: &mut Outline, config: &CheckConfig) {
    let n = outline.blocks.len();
    let mut i = 0;
    while i < n {
        let lower = normalise(&outline.blocks[i].text);
        let opens = outline.blocks[i].kind != BlockKind::Contents
            && config
                .contents_headings
                .iter()
                .any(|h| h == bare_heading(&lower));
        if opens {
            i = mark_after_heading(outline, i + 1);
            continue;
        }
        i += 1;
    }
    // Dot-leader runs anywhere (a contents page without its heading).
    let mut run_start = None;
    for i in 0..=n {
        let leader = i < n
            && {
                let b = &outline.blocks[i];
                b.heading_level().is_some() || b.kind == BlockKind::Paragraph
            }
            && short(&outline.blocks[i].text)
            && LEADER_AND_PAGE.is_match(&outline.blocks[i].text);
        match (leader, run_start) {
            (true, None) => run_start = Some(i),
            (false, Some(start)) => {
                if i - start >= 2 {
                    for block in &mut outline.blocks[start..i] {
                        block.kind = BlockKind::Contents;
                    }
                }
                run_start = None;
            }
            _ => {}
        }
    }
}

/// Most words of a plain line read as a heading because it is an item's heading.
const PLAIN_HEADING_WORDS: usize = 8;

/// Headings typed as plain lines ("Findings" on a line of its own, not bold, not styled): a
/// short line, not ending like a sentence, that is exactly one of the items' headings and has
/// running text after it, is read as a heading.
pub fn promote_plain_headings(outline: &mut Outline, config: &CheckConfig) {
    let n = outline.blocks.len();
    for i in 0..n {
        let block = &outline.blocks[i];
        if block.kind != BlockKind::Paragraph
            || block.text.split_whitespace().count() > PLAIN_HEADING_WORDS
            || block.text.trim_end().ends_with(['.', ',', ';', ':'])
        {
            continue;
        }
        let followed_by_text = outline.blocks.get(i + 1).is_some_and(|b| {
            matches!(
                b.kind,
                BlockKind::Paragraph | BlockKind::ListItem { .. } | BlockKind::TableRow
            )
        });
        if !followed_by_text {
            continue;
        }
        let lower = normalise(&block.text);
        let bare = bare_heading(&lower);
        let bare = bare.split_whitespace().collect::<Vec<_>>().join(" ");
        let exact = config.exact_headings.contains(&bare)
            || config.star_headings.iter().any(|p| p.is_match(&bare));
        if exact {
            outline.blocks[i].kind = BlockKind::Heading {
                level: 2,
                number: None,
            };
        }
    }
}

/// Marks the entries that follow a "Contents" heading at `start`; returns where the body
/// resumes.
fn mark_after_heading(outline: &mut Outline, start: usize) -> usize {
    let n = outline.blocks.len();
    let mut keys: Vec<String> = Vec::new();
    let mut with_page = 0usize;
    let mut i = start;
    while i < n && i - start < MAX_ENTRIES {
        let block = &outline.blocks[i];
        if block.kind == BlockKind::Contents {
            i += 1;
            continue;
        }
        let text = block.text.trim();
        if !short(text) {
            break;
        }
        let row_entry = block.kind == BlockKind::TableRow
            && block
                .cells
                .iter()
                .rev()
                .find(|c| !c.is_empty())
                .is_some_and(|c| c.trim().chars().all(|ch| ch.is_ascii_digit()));
        let page = has_page(text) || row_entry;
        let key = entry_key(text);
        // The body starts again: the first entry's heading, a line without a page number where
        // the entries had them, or running text.
        let body_again = keys.first().is_some_and(|first| *first == key)
            || (!page && with_page > 0 && with_page * 2 >= keys.len())
            || !short(text)
            || (text.ends_with('.') && !page)
            || matches!(block.kind, BlockKind::ListItem { .. }) && !page
            || key.is_empty() && !page;
        if body_again {
            break;
        }
        with_page += usize::from(page);
        keys.push(key);
        outline.blocks[i].kind = BlockKind::Contents;
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(lines: &[(&str, Option<u8>)]) -> Outline {
        let mut o = Outline::default();
        for (text, level) in lines {
            let kind = match level {
                Some(level) => BlockKind::Heading {
                    level: *level,
                    number: None,
                },
                None => BlockKind::Paragraph,
            };
            o.push(kind, text);
        }
        o
    }

    fn kinds(o: &Outline) -> Vec<bool> {
        o.blocks
            .iter()
            .map(|b| b.kind == BlockKind::Contents)
            .collect()
    }

    fn config() -> std::sync::Arc<CheckConfig> {
        CheckConfig::embedded().expect("embedded configuration")
    }

    #[test]
    fn entries_with_page_numbers_end_where_the_body_starts() {
        let mut o = outline(&[
            ("Contents", Some(1)),
            ("1. Introduction 3", Some(1)),
            ("1.2 Terms of Reference ..... 4", None),
            ("7. Analysis and themes 21", Some(1)),
            ("1. Introduction", Some(1)),
            ("This review was commissioned in May 2024.", None),
        ]);
        mark_contents(&mut o, &config());
        assert_eq!(kinds(&o), [false, true, true, true, false, false]);
    }

    #[test]
    fn entries_without_page_numbers_end_at_the_first_heading_again() {
        let mut o = outline(&[
            ("Table of contents", None),
            ("Introduction", None),
            ("Methodology", None),
            ("Findings", None),
            ("Introduction", Some(1)),
            ("Methodology", Some(1)),
        ]);
        mark_contents(&mut o, &config());
        assert_eq!(kinds(&o), [false, true, true, true, false, false]);
    }

    #[test]
    fn dot_leader_runs_are_contents_without_a_heading() {
        let mut o = outline(&[
            ("Executive summary ........ 2", None),
            ("Findings ........ 9", None),
            ("Findings", Some(1)),
            ("Practice episode 4", Some(2)),
        ]);
        mark_contents(&mut o, &config());
        assert_eq!(kinds(&o), [true, true, false, false]);
    }
}
