//! The one place that turns a submitted value into the words of a message.
//!
//! Whatever a submission holds, a message shows it so that a person can see it and act on it:
//! text is quoted with every invisible or control character named in brackets (never dropped,
//! never echoed), numbers are written as a person writes them (`18,446,744,073,709,551,616`, not
//! `1.8446744073709552e+19`), and list items are "item 1 of Events", never a raw index.

use std::fmt::Write as _;

use serde_json::{Number, Value};

/// Longest piece of submitted text quoted back in a message, in characters.
pub const QUOTE_LIMIT: usize = 60;

/// Names for the characters a reader could not see, or that would disturb the message itself.
///
/// The set is Unicode's control characters (general category Cc), format characters that change
/// how text is shown (bidirectional controls, zero-width characters, the byte order mark), the
/// other default-ignorable code points, and the spaces that look like an ordinary space.
pub fn invisible_name(c: char) -> Option<&'static str> {
    let name = match c {
        '\t' => "tab",
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => "line break",
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => "control character",
        '\u{a0}' | '\u{2007}' | '\u{202f}' => "non-breaking space",
        '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{205f}' | '\u{3000}' => "unusual space",
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}' => {
            "text-direction character"
        }
        '\u{feff}'
        | '\u{200b}'..='\u{200d}'
        | '\u{2060}'..='\u{2065}'
        | '\u{206a}'..='\u{206f}' => "invisible character",
        '\u{ad}' | '\u{34f}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}' => {
            "invisible character"
        }
        '\u{180b}'..='\u{180f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{ffa0}' => {
            "invisible character"
        }
        '\u{fff0}'..='\u{fffb}' | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}' => {
            "invisible character"
        }
        '\u{e0000}'..='\u{e0fff}' => "invisible character",
        '\u{fffd}' => "unreadable character",
        _ => return None,
    };
    Some(name)
}

/// True when `text` holds a character that [`quote`] would name rather than show.
pub fn has_invisible(text: &str) -> bool {
    text.chars().any(|c| invisible_name(c).is_some())
}

/// Submitted text for a message, in double quotes, cut short at [`QUOTE_LIMIT`] characters,
/// with each invisible character named in brackets: `"1.0[invisible character U+200B]"`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4 * QUOTE_LIMIT) + 2);
    out.push('"');
    push_escaped(&mut out, text);
    out.push('"');
    out
}

/// [`quote`] without the quotation marks, for a message that supplies its own.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4 * QUOTE_LIMIT));
    push_escaped(&mut out, text);
    out
}

fn push_escaped(out: &mut String, text: &str) {
    for (count, c) in text.chars().enumerate() {
        if count == QUOTE_LIMIT {
            out.push('…');
            break;
        }
        match invisible_name(c) {
            Some(name @ ("tab" | "line break")) => {
                out.push('[');
                out.push_str(name);
                out.push(']');
            }
            Some(name) => {
                out.push('[');
                out.push_str(name);
                let _ = write!(out, " U+{:04X}]", u32::from(c));
            }
            None => out.push(c),
        }
    }
}

/// A submitted value for a message: text quoted ([`quote`]), a number as a person writes it
/// ([`number`]), anything else in words.
pub fn value(value: &Value) -> String {
    match value {
        Value::String(text) => quote(text),
        Value::Number(n) => number(n),
        Value::Bool(true) => "yes (true)".to_owned(),
        Value::Bool(false) => "no (false)".to_owned(),
        Value::Null => "empty (null)".to_owned(),
        Value::Array(items) if items.is_empty() => "an empty list".to_owned(),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a group of answers".to_owned(),
    }
}

/// A number as a person writes it: `1,250`, `0`, `3.5`, `0.000125`; a number too close to 0 or
/// too large for that is described in words.
pub fn number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return grouped(i.unsigned_abs().to_string(), i < 0);
    }
    if let Some(u) = n.as_u64() {
        return grouped(u.to_string(), false);
    }
    n.as_f64().map_or_else(|| "a number".to_owned(), float)
}

/// A limit from a schema keyword (a JSON number), in words.
pub fn limit(limit: &Value) -> String {
    match limit {
        Value::Number(n) => number(n),
        other => value(other),
    }
}

/// Smallest fraction written out in digits; anything closer to 0 is described.
const SMALLEST_SHOWN: f64 = 0.000_001;
/// Largest whole number written out in digits (beyond it a number is described by its length).
const LARGEST_SHOWN: f64 = 1e21;

fn float(x: f64) -> String {
    if !x.is_finite() {
        return "a number too large to read".to_owned();
    }
    let magnitude = x.abs();
    let negative = x < 0.0 && magnitude > 0.0;
    if magnitude == 0.0 {
        return "0".to_owned();
    }
    if magnitude >= LARGEST_SHOWN {
        // Digits before the point: floor(log10) + 1, exact enough for a description.
        let digits = format!("{magnitude:.0}").len();
        let sign = if negative { "minus " } else { "" };
        return format!("{sign}a number with {digits} digits");
    }
    if magnitude < SMALLEST_SHOWN {
        let sign = if negative { "just below" } else { "just above" };
        return format!("a number {sign} 0 (closer to 0 than 0.000001)");
    }
    // Rust writes a double in full, never in exponent form, and with the fewest digits that
    // read back as the same number: what was submitted, without the notation.
    let text = if magnitude.fract() == 0.0 {
        format!("{magnitude:.0}")
    } else {
        format!("{magnitude}")
    };
    let text = text.as_str();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let sign = if negative { "-" } else { "" };
    let whole = grouped(whole.to_owned(), false);
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

/// Digits with commas between thousands (GOV.UK style: "use commas for numbers over 999").
fn grouped(digits: String, negative: bool) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if negative && digits != "0" {
        out.push('-');
    }
    let first = digits.len() % 3;
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (i + 3 - first).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 entry", "3 entries".
pub fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", grouped(n.to_string(), false))
    }
}

/// True when a message shows a number in a programmer's notation (`1e+19`, `5e-324`, `-0.0`,
/// `3.0`) rather than as a person writes it.
pub fn has_programmer_number(message: &str) -> bool {
    let bytes = message.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    for (i, &b) in bytes.iter().enumerate() {
        // 1e19, 1.5E+19, 5e-324: a digit, an e, an optional sign, a digit.
        if (b == b'e' || b == b'E') && i > 0 && digit(i - 1) {
            let next = if matches!(bytes.get(i + 1), Some(b'+' | b'-')) {
                i + 2
            } else {
                i + 1
            };
            if digit(next) {
                return true;
            }
        }
        // -0.0 and -0: a negative zero.
        if b == b'-' && !digit(i.wrapping_sub(1)) && bytes.get(i + 1) == Some(&b'0') {
            let run = bytes[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit() || **c == b'.');
            if run.clone().all(|c| *c == b'0' || *c == b'.') {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn invisible_characters_are_named_not_dropped_or_echoed() {
        // Before: the zero-width space was dropped, so the message said version "1.0" was not "1.0".
        assert_eq!(quote("1.0\u{200b}"), "\"1.0[invisible character U+200B]\"");
        // Before: a right-to-left override was echoed and turned the rest of the message round.
        assert_eq!(
            quote("abc\u{202e}def"),
            "\"abc[text-direction character U+202E]def\""
        );
        assert_eq!(quote("\u{feff}x"), "\"[invisible character U+FEFF]x\"");
        // Before: raw tabs and line breaks were echoed into the message.
        assert_eq!(quote("a\tb\nc"), "\"a[tab]b[line break]c\"");
        assert_eq!(quote("a\u{0}b"), "\"a[control character U+0000]b\"");
        assert_eq!(
            quote("name@kent.gov.uk\u{a0}"),
            "\"name@kent.gov.uk[non-breaking space U+00A0]\""
        );
        assert!(!has_invisible(&quote("a\u{200b}\t\u{202e}\u{feff}")));
    }

    #[test]
    fn long_text_is_cut_after_the_limit() {
        let long = "x".repeat(500);
        let quoted = quote(&long);
        assert_eq!(quoted.chars().count(), QUOTE_LIMIT + 3);
        assert!(quoted.ends_with("…\""));
        assert_eq!(quote("Ünïcødé ✓"), "\"Ünïcødé ✓\"");
    }

    #[test]
    fn numbers_as_a_person_writes_them() {
        let show = |v: Value| value(&v);
        // Before: "-0.0", "1.8446744073709552e+19", "5e-324".
        assert_eq!(show(json!(-0.0)), "0");
        assert_eq!(
            show(json!(18446744073709551616.0_f64)),
            "18,446,744,073,709,551,616"
        );
        assert_eq!(
            show(json!(5e-324)),
            "a number just above 0 (closer to 0 than 0.000001)"
        );
        assert_eq!(show(json!(1e300)), "a number with 301 digits");
        assert_eq!(show(json!(-1e300)), "minus a number with 301 digits");
        assert_eq!(show(json!(3.0)), "3");
        assert_eq!(show(json!(12.5)), "12.5");
        assert_eq!(show(json!(0.3)), "0.3");
        assert_eq!(show(json!(0.000125)), "0.000125");
        assert_eq!(show(json!(-1234567.25)), "-1,234,567.25");
        assert_eq!(show(json!(-0.3)), "-0.3");
        assert_eq!(show(json!(2.0000001)), "2.0000001");
        assert_eq!(show(json!(1000)), "1,000");
        assert_eq!(show(json!(-999)), "-999");
        assert_eq!(show(json!(u64::MAX)), "18,446,744,073,709,551,615");
        assert_eq!(show(json!(i64::MIN)), "-9,223,372,036,854,775,808");
        assert_eq!(show(json!(true)), "yes (true)");
        assert_eq!(show(json!([])), "an empty list");
        for shown in ["0", "3", "12.5", "1,000", "a number with 301 digits"] {
            assert!(!has_programmer_number(shown), "{shown}");
        }
    }

    #[test]
    fn programmer_notation_is_detected() {
        for message in [
            "it is 1.8446744073709552e+19.",
            "5e-324",
            "it is -0.0 here",
            "-0",
        ] {
            assert!(has_programmer_number(message), "{message}");
        }
        for message in [
            "version 1.0",
            "Section 4.08",
            "see e-mail 3e",
            "WT18 4.8",
            "-05",
            "2026-03-04",
        ] {
            assert!(!has_programmer_number(message), "{message}");
        }
    }
}
