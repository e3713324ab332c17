//! Substantive text: a mandatory free-text item must hold a real answer, not a placeholder.
//!
//! Fields marked `"x-substantive": true` in a schema are checked here, whatever the form.

use super::rules::Checker;
use crate::forms::schema_index::FieldInfo;

/// Rule id of the substantive-text check.
pub const RULE: &str = "text.substantive";

/// Fewest words that count as an answer, unless the schema says `x-min-words`.
pub const DEFAULT_MIN_WORDS: usize = 3;

const SOURCE: &str = "Working Together to Safeguard Children 2018, chapter 4: a mandatory item is not satisfied by an empty answer or a placeholder";

/// Whole answers that only stand in for one (compared after trimming and lower-casing).
const PLACEHOLDERS: &[&str] = &[
    "n/a",
    "na",
    "n.a.",
    "n.a",
    "not applicable",
    "tbc",
    "tbd",
    "to be confirmed",
    "to be decided",
    "to follow",
    "to be added",
    "pending",
    "none",
    "nil",
    "unknown",
    "see attached",
    "please see attached",
    "see attachment",
    "see above",
    "as above",
    "see below",
    "refer to attached",
    "xxx",
    "...",
    "?",
    "-",
    "--",
    ".",
];

/// Openings that point elsewhere instead of answering, when the answer is short.
const POINTERS_ELSEWHERE: &[&str] = &[
    "see attached",
    "please see",
    "see above",
    "as above",
    "refer to",
];

/// Words a short pointer elsewhere may have and still be only a pointer.
const POINTER_MAX_WORDS: usize = 8;

/// Why a text is not a real answer, if it is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Weakness {
    /// Nothing but spaces.
    Empty,
    /// A placeholder such as "N/A" or "TBC".
    Placeholder(String),
    /// Lorem ipsum filler text.
    Filler,
    /// A reference to another document instead of an answer.
    PointsElsewhere,
    /// Fewer words than the item needs.
    TooShort { words: usize, needed: usize },
}

/// At least the longest placeholder, in bytes: a longer answer (less its final full stops) is
/// never compared with the list.
const PLACEHOLDER_MAX_LEN: usize = 24;

/// Judges one answer against the fewest words it needs.
pub fn weakness(text: &str, min_words: usize) -> Option<Weakness> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Some(Weakness::Empty);
    }
    // Only a short answer can be a placeholder, so only a short one is lower-cased (the
    // check runs on every substantive field of every submission).
    if trimmed.trim_end_matches(['.', '!']).trim_end().len() <= PLACEHOLDER_MAX_LEN {
        let lower = trimmed.to_lowercase();
        let bare = lower.trim_end_matches(['.', '!']).trim();
        if PLACEHOLDERS.contains(&lower.as_str()) || PLACEHOLDERS.contains(&bare) {
            return Some(Weakness::Placeholder(trimmed.to_owned()));
        }
    }
    if FILLER.is_match(trimmed) {
        return Some(Weakness::Filler);
    }
    // Words are counted only as far as a judgement needs: past the pointer limit only when
    // the answer opens like a pointer elsewhere, else up to the words the item needs.
    let points_elsewhere = POINTERS_ELSEWHERE
        .iter()
        .any(|opening| starts_with_ignore_ascii_case(trimmed, opening));
    let limit = if points_elsewhere {
        min_words.max(POINTER_MAX_WORDS + 1)
    } else {
        min_words
    };
    let words = count_words_up_to(trimmed, limit);
    if points_elsewhere && words <= POINTER_MAX_WORDS {
        return Some(Weakness::PointsElsewhere);
    }
    if words < min_words {
        return Some(Weakness::TooShort {
            words,
            needed: min_words,
        });
    }
    None
}

/// Words holding at least one letter or digit.
pub fn count_words(text: &str) -> usize {
    count_words_up_to(text, usize::MAX)
}

/// [`count_words`], stopping at `limit`: the words of `split_whitespace` that hold a letter
/// or digit, counted in one pass over the characters.
fn count_words_up_to(text: &str, limit: usize) -> usize {
    let mut words = 0;
    let mut in_word = false;
    let mut counted = false;
    for c in text.chars() {
        if words >= limit {
            break;
        }
        if c.is_whitespace() {
            in_word = false;
        } else {
            if !in_word {
                in_word = true;
                counted = false;
            }
            if !counted && c.is_alphanumeric() {
                counted = true;
                words += 1;
            }
        }
    }
    words.min(limit)
}

/// `text` lower-cased starts with `prefix` (ASCII lower case). No letter outside ASCII
/// lower-cases to one of the ASCII letters of the openings and fillers looked for, so this
/// answers as `to_lowercase().starts_with(prefix)` would, without allocating.
fn starts_with_ignore_ascii_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Lorem ipsum, in any case. ASCII case-insensitive (`-u`): the same answer as searching the
/// lower-cased text, found by the regex crate's literal search rather than by lower-casing
/// every answer.
static FILLER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i-u:lorem ipsum|dolor sit amet)")
        .unwrap_or_else(|_| unreachable!("constant pattern"))
});

/// The weakness of a substantive field's answer, if any.
pub fn judge(info: &FieldInfo, text: &str) -> Option<Weakness> {
    weakness(text, info.min_words.unwrap_or(DEFAULT_MIN_WORDS))
}

/// Reports every substantive field of the submission that holds no real answer.
pub fn check_substantive(checker: &mut Checker<'_>) {
    let mut weak = Vec::new();
    checker
        .form()
        .index()
        .for_each_substantive(checker.doc(), &mut |pointer, info, text| {
            if let Some(weakness) = judge(info, text) {
                weak.push((pointer.to_owned(), weakness, info.source.clone()));
            }
        });
    for (pointer, weakness, source) in weak {
        report(checker, &pointer, weakness, source);
    }
}

/// Records the finding for one weak answer.
pub fn report(
    checker: &mut Checker<'_>,
    pointer: &str,
    weakness: Weakness,
    source: Option<String>,
) {
    let title = checker.label(pointer);
    let message = match weakness {
        Weakness::Empty => format!("{title} is empty. Please write the answer here."),
        Weakness::Placeholder(text) => format!(
            "{title} says only {}, which is a placeholder, not an answer. Please write the answer; if the item does not apply, say in a sentence why not.",
            super::words::quote(&text)
        ),
        Weakness::Filler => {
            format!(
                "{title} contains filler text (lorem ipsum). Please replace it with the answer."
            )
        }
        Weakness::PointsElsewhere => format!(
            "{title} points to another document instead of answering. Please write the answer in the form itself, so that it travels with the form."
        ),
        Weakness::TooShort { words, needed } => format!(
            "{title} is too short to be useful ({words} word{}). Please write at least {needed} words that a reviewer can act on.",
            if words == 1 { "" } else { "s" }
        ),
    };
    let source = source.unwrap_or_else(|| SOURCE.to_owned());
    checker.error(pointer, RULE, &source, message);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_not_answers() {
        for text in [
            "N/A",
            " tbc ",
            "TBC.",
            "See attached",
            "-",
            "None",
            "Lorem ipsum dolor sit amet, consectetur",
        ] {
            assert!(weakness(text, 3).is_some(), "{text:?} should be weak");
        }
        assert_eq!(weakness("   ", 3), Some(Weakness::Empty));
        assert_eq!(
            weakness("Please see attached report.", 3),
            Some(Weakness::PointsElsewhere)
        );
        assert_eq!(
            weakness("Please see attached!!!!!!!!!!!!", 3),
            Some(Weakness::Placeholder(
                "Please see attached!!!!!!!!!!!!".to_owned()
            ))
        );
        assert_eq!(
            weakness("LOREM Ipsum is here today", 3),
            Some(Weakness::Filler)
        );
        assert!(PLACEHOLDERS.iter().all(|p| p.len() <= PLACEHOLDER_MAX_LEN));
    }

    #[test]
    fn short_answers_count_words_not_punctuation() {
        assert_eq!(
            weakness("Not known - ", 3),
            Some(Weakness::TooShort {
                words: 2,
                needed: 3
            })
        );
        assert_eq!(weakness("No concerns identified.", 3), None);
        assert_eq!(
            weakness("No concerns identified.", 8),
            Some(Weakness::TooShort {
                words: 3,
                needed: 8
            })
        );
    }

    #[test]
    fn words_are_counted_as_split_whitespace_does() {
        for text in [
            "",
            "  one ",
            "one two, three - ... four\u{a0}five\u{2003}six",
            "¿Qué? — ñandú 12 ...",
            "a\tb\nc\r\nd",
        ] {
            let expected = text
                .split_whitespace()
                .filter(|word| word.chars().any(char::is_alphanumeric))
                .count();
            assert_eq!(count_words(text), expected, "{text:?}");
            assert_eq!(count_words_up_to(text, 2), expected.min(2), "{text:?}");
        }
    }

    #[test]
    fn real_answers_pass() {
        let text =
            "Health visitor saw the family at home on four occasions; no injuries were seen.";
        assert_eq!(weakness(text, 8), None);
        // A long answer that happens to mention an attachment is still an answer.
        let long = "See attached chronology for dates; in summary the school raised two concerns about attendance and hunger.";
        assert_eq!(weakness(long, 3), None);
    }
}
