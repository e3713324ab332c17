//! Escaping of values for Markdown: text a user typed comes through exactly as typed.
//!
//! Every ASCII punctuation character is backslash-escaped (CommonMark allows that for all of
//! them, and undoes it when parsing), so `*`, `#`, `|`, `<`, `_`, `[`, `` ` ``, `{{`, a leading
//! `1.` or `-` and backslashes stay literal. Line breaks become a private marker that the
//! Markdown stage turns into [`crate::assemble::model::Inline::LineBreak`], so a line break
//! typed into a table cell never breaks the table. Characters XML cannot carry are dropped.

/// Stands for a line break the user typed; the Markdown stage turns it into a hard break.
pub(crate) const LINE_BREAK: char = '\u{E000}';
/// Marks a `[[contents]]` line of a template after pre-processing.
pub(crate) const CONTENTS: char = '\u{E001}';
/// Marks a `[[pagebreak]]` line of a template after pre-processing.
pub(crate) const PAGE_BREAK: char = '\u{E002}';
/// Starts a `[[widths ...]]` line of a template after pre-processing (the numbers follow it).
pub(crate) const WIDTHS: char = '\u{E003}';

/// Escapes a value so that Markdown shows it exactly as typed.
pub fn escape_markdown(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + value.len() / 4);
    let cleaned = normalise(value);
    let leading = cleaned.len() - cleaned.trim_start_matches([' ', '\t']).len();
    let trailing_start = cleaned.trim_end_matches([' ', '\t']).len().max(leading);
    for (at, c) in cleaned.char_indices() {
        match c {
            // Spaces at either end would be trimmed or read as code or a hard break.
            ' ' | '\t' if at < leading || at >= trailing_start => {
                out.push_str(if c == ' ' { "&#32;" } else { "&#9;" });
            }
            '\n' => out.push(LINE_BREAK),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Line endings to `\n`; XML-illegal and private marker characters dropped.
fn normalise(value: &str) -> String {
    let unified = value.replace("\r\n", "\n").replace('\r', "\n");
    unified.chars().filter(|&c| is_allowed(c)).collect()
}

/// Whether XML 1.0 can carry the character and it is not one of our private markers.
fn is_allowed(c: char) -> bool {
    match c {
        '\t' | '\n' => true,
        '\u{0}'..='\u{1F}' | '\u{7F}' => false,
        '\u{E000}'..='\u{E00F}' => false,
        '\u{FFFE}' | '\u{FFFF}' => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_is_escaped_and_letters_are_not() {
        assert_eq!(escape_markdown("a*b_c"), "a\\*b\\_c");
        assert_eq!(escape_markdown("{{x}}"), "\\{\\{x\\}\\}");
        assert_eq!(escape_markdown("Zoë"), "Zoë");
    }

    #[test]
    fn control_characters_are_dropped_and_newlines_marked() {
        assert_eq!(escape_markdown("a\u{7}b\r\nc"), format!("ab{LINE_BREAK}c"));
        assert_eq!(escape_markdown("x\u{E001}y"), "xy");
    }

    #[test]
    fn outer_spaces_survive_as_entities() {
        assert_eq!(escape_markdown("  a b "), "&#32;&#32;a b&#32;");
        assert_eq!(escape_markdown("   "), "&#32;&#32;&#32;");
    }
}
