//! Reading a submission from bytes, with errors a person can act on.

use serde_json::Value;
use thiserror::Error;

/// Why bytes could not be read as a submission.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum InputError {
    /// The bytes are not UTF-8 text.
    #[error(
        "This is not a text file (it is not UTF-8 encoded): the first byte that is not text is at line {line}, column {column}. Please save the form as JSON text and upload it again."
    )]
    NotText {
        /// Line of the first byte that is not UTF-8, from 1.
        line: usize,
        /// Column (in characters, from 1) of that byte.
        column: usize,
    },
    /// The text is not JSON.
    #[error(
        "This is not valid JSON: at line {line}, column {column}, {reason}. Please check the file there, or export it again from the system that made it."
    )]
    Syntax {
        /// Line of the problem, from 1.
        line: usize,
        /// Column of the problem, from 1.
        column: usize,
        /// What is wrong there, in plain English.
        reason: String,
    },
    /// The JSON nests deeper than any form does.
    #[error(
        "This file nests lists or groups too deeply to be a form: more than {limit} levels, at line {line}, column {column}. Please check that it is a form."
    )]
    TooDeep {
        /// The deepest nesting accepted.
        limit: usize,
        /// Line where the limit was passed, from 1.
        line: usize,
        /// Column where the limit was passed, from 1.
        column: usize,
    },
    /// The file is empty.
    #[error("This file is empty.")]
    Empty,
}

/// Deepest nesting read (serde_json's own limit, which stops hostile input before it reaches a
/// validator: it refuses the 128th level).
pub const MAX_DEPTH: usize = 127;

/// Parses a submission from bytes.
pub fn parse(bytes: &[u8]) -> Result<Value, InputError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        // The text before the first bad byte is valid UTF-8, so it can be counted in characters.
        let before = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        InputError::NotText {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    })?;
    serde_json::from_str(text).map_err(|error| describe(&error))
}

/// A serde_json error in the words of [`InputError`].
fn describe(error: &serde_json::Error) -> InputError {
    let (line, column) = (error.line(), error.column());
    // serde_json appends " at line L column C"; the message gives them in its own words.
    let code = error.to_string();
    let code = code.split(" at line ").next().unwrap_or_default();
    if code == "recursion limit exceeded" {
        return InputError::TooDeep {
            limit: MAX_DEPTH,
            line,
            column,
        };
    }
    InputError::Syntax {
        line,
        column,
        reason: reason(code).to_owned(),
    }
}

/// serde_json's error codes (its `ErrorCode` display text) in plain English.
fn reason(code: &str) -> &'static str {
    match code {
        "EOF while parsing a list" => "the file ends before a list is closed (a \"]\" is missing)",
        "EOF while parsing an object" => {
            "the file ends before a group of answers is closed (a \"}\" is missing)"
        }
        "EOF while parsing a string" => {
            "the file ends inside a piece of text (a closing quotation mark is missing)"
        }
        "EOF while parsing a value" => "the file ends where an answer should be",
        "expected `:`" => "a colon (:) should follow the field name",
        "expected `,` or `]`" => "a comma or a closing \"]\" is missing",
        "expected `,` or `}`" => "a comma or a closing \"}\" is missing",
        "expected ident" => {
            "there is a word JSON does not know (only true, false and null are written without quotation marks)"
        }
        "expected value" => {
            "an answer is missing or is not written as JSON (text needs quotation marks)"
        }
        "expected `\"`" => "a field name should start here, in quotation marks",
        "invalid escape" => {
            "a backslash starts something JSON does not know (write \\\\ for a backslash)"
        }
        "invalid number" => "a number is not written as JSON writes numbers",
        "number out of range" => "a number is too large to read",
        // serde_json says "unexpected end of hex escape" when the first half of a pair is
        // not followed by a second \u code, and "lone leading surrogate" for a lone second half.
        "invalid unicode code point"
        | "lone leading surrogate in hex escape"
        | "unexpected end of hex escape" => {
            "a \\u code stands for half of a character pair without its other half"
        }
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "a piece of text holds a raw line break, tab or other control character (write \\n or \\t instead)"
        }
        "key must be a string" => "a field name must be in quotation marks",
        "trailing comma" => "there is a comma after the last entry",
        "trailing characters" => "there is more after the end of the form",
        _ => "something here is not JSON",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_bytes_get_plain_errors() {
        assert_eq!(parse(b""), Err(InputError::Empty));
        assert_eq!(
            parse(b"{\"a\": \"\xff\"}"),
            Err(InputError::NotText { line: 1, column: 8 })
        );
        // Latin-1 "café" after a UTF-8 "é": the column counts characters, not bytes.
        let mut latin1 = "{\n  \"é\": \"caf".as_bytes().to_vec();
        latin1.extend_from_slice(b"\xe9\"}");
        assert_eq!(
            parse(&latin1),
            Err(InputError::NotText {
                line: 2,
                column: 12
            })
        );
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(matches!(
            parse(deep.as_bytes()),
            Err(InputError::TooDeep {
                limit: MAX_DEPTH,
                line: 1,
                column: 128
            })
        ));
        match parse(b"{\"form\": }") {
            Err(InputError::Syntax {
                line: 1,
                column,
                reason,
            }) => {
                assert_eq!(column, 10);
                assert!(reason.starts_with("an answer is missing"), "{reason}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn nesting_up_to_the_limit_is_read_and_the_message_counts_right() {
        // Before: exactly 128 levels was refused as "more than 128 levels".
        let at_limit = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(at_limit.as_bytes()).is_ok());
        let over = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        let error = parse(over.as_bytes()).expect_err("too deep");
        assert_eq!(
            error.to_string(),
            "This file nests lists or groups too deeply to be a form: more than 127 levels, at line 1, column 128. Please check that it is a form."
        );
    }

    #[test]
    fn parser_wording_never_reaches_a_person() {
        // Before, each of these ended in serde_json's words: "unexpected end of hex escape",
        // "lone leading surrogate in hex escape" (for a trailing surrogate), "number out of
        // range", "EOF while parsing a string".
        let cases: &[(&[u8], &str)] = &[
            (
                b"{\"a\": \"\\u12\"}",
                "at line 1, column 13, a backslash starts something",
            ),
            (b"{\"a\": \"\\udc00\"}", "half of a character pair"),
            (b"{\"a\": \"\\ud800x\"}", "half of a character pair"),
            (b"{\"a\": 1e400}", "a number is too large to read"),
            (b"{\"a\": \"abc", "the file ends inside a piece of text"),
            (b"{\"a\": [1, 2}", "a comma or a closing \"]\" is missing"),
            (b"{\"a\": tru}", "only true, false and null"),
            (b"{\"a\": 1,}", "there is a comma after the last entry"),
            (b"{\"a\": 1, 2}", "a field name must be in quotation marks"),
            (b"{\"a\": 1} x", "there is more after the end of the form"),
            (b"{\"a\": \"x\ty\"}", "raw line break, tab"),
        ];
        for (bytes, expected) in cases {
            let message = parse(bytes).expect_err("not JSON").to_string();
            assert!(message.contains(expected), "{message}");
            for jargon in [
                "EOF",
                "hex escape",
                "surrogate",
                "out of range",
                "ident",
                "`",
            ] {
                assert!(!message.contains(jargon), "{message}");
            }
        }
    }
}
