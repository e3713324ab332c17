//! Writing WordprocessingML into a string: text and attribute values pass through
//! quick-xml's escaping after the characters XML 1.0 forbids are dropped, so nothing a user
//! typed can become markup or make the file unreadable. Elements are written in schema order
//! by the callers; writing to a `String` cannot fail, so no call returns a `Result`.

use std::borrow::Cow;

use quick_xml::escape::escape;

/// Whether XML 1.0 allows this character in text content (carriage returns are dropped too:
/// Word has its own line breaks).
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The text with every XML-illegal character (and carriage returns) removed; borrowed when
/// there is none, which is the usual case.
pub(crate) fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_xml_char) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

/// Appends `text` as an attribute value (inside double quotes): cleaned and fully escaped.
pub(crate) fn push_attr(out: &mut String, text: &str) {
    out.push_str(&escape(clean(text).as_ref()));
}

/// `template` with each `@KEY@` placeholder replaced by its value, escaped for an attribute
/// or element content alike.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let found = values.iter().find(|(key, _)| {
            after
                .strip_prefix(key)
                .is_some_and(|tail| tail.starts_with('@'))
        });
        match found {
            Some((key, value)) => {
                push_attr(&mut out, value);
                rest = &after[key.len() + 1..];
            }
            None => {
                out.push('@');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn illegal_characters_are_dropped_and_markup_escaped() {
        assert_eq!(
            clean("a\u{0}b\u{1b}c\u{FFFF}d\r\n\t<&>é😀"),
            "abcd\n\t<&>é😀"
        );
        let mut attr = String::new();
        push_attr(&mut attr, "say \"hi\" & <go>");
        assert_eq!(attr, "say &quot;hi&quot; &amp; &lt;go&gt;");
        assert!(matches!(clean("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn placeholders_are_filled_escaped_and_other_ats_kept() {
        let filled = fill(
            "<a v=\"@LANG@\">@TITLE@ me@example @X@</a>",
            &[("LANG", "en-GB"), ("TITLE", "A & \"B\"")],
        );
        assert_eq!(
            filled,
            "<a v=\"en-GB\">A &amp; &quot;B&quot; me@example @X@</a>"
        );
    }
}
