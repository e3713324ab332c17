//! Substantive text: a mandatory free-text item must hold a real answer, not a placeholder.
//!
//! Fields marked `"x-substantive": true` in a schema are checked here, whatever the form.

use super::rules::Checker;

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

/// Judges one answer against the fewest words it needs.
pub fn weakness(text: &str, min_words: usize) -> Option<Weakness> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Some(Weakness::Empty);
    }
    let lower = trimmed.to_lowercase();
    let bare = lower.trim_end_matches(['.', '!']).trim();
    if PLACEHOLDERS.contains(&lower.as_str()) || PLACEHOLDERS.contains(&bare) {
        return Some(Weakness::Placeholder(trimmed.to_owned()));
    }
    if lower.contains("lorem ipsum") || lower.contains("dolor sit amet") {
        return Some(Weakness::Filler);
    }
    let words = count_words(trimmed);
    if words <= POINTER_MAX_WORDS
        && POINTERS_ELSEWHERE
            .iter()
            .any(|opening| lower.starts_with(opening))
    {
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
    text.split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .count()
}

/// Reports every substantive field of the submission that holds no real answer.
pub fn check_substantive(checker: &mut Checker<'_>) {
    let mut weak = Vec::new();
    checker
        .form()
        .index()
        .for_each_substantive(checker.doc(), &mut |pointer, info, text| {
            let needed = info.min_words.unwrap_or(DEFAULT_MIN_WORDS);
            if let Some(weakness) = weakness(text, needed) {
                weak.push((pointer.to_owned(), weakness, info.source.clone()));
            }
        });
    for (pointer, weakness, source) in weak {
        let title = checker.label(&pointer);
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
        checker.error(&pointer, RULE, &source, message);
    }
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
    fn real_answers_pass() {
        let text =
            "Health visitor saw the family at home on four occasions; no injuries were seen.";
        assert_eq!(weakness(text, 8), None);
        // A long answer that happens to mention an attachment is still an answer.
        let long = "See attached chronology for dates; in summary the school raised two concerns about attendance and hunger.";
        assert_eq!(weakness(long, 3), None);
    }
}
