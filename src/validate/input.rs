//! Reading a submission from bytes, with errors a person can act on.

use serde_json::Value;
use thiserror::Error;

/// Why bytes could not be read as a submission.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum InputError {
    /// The bytes are not UTF-8 text.
    #[error(
        "This is not a text file (it is not UTF-8 encoded). Please save the form as JSON text and upload it again."
    )]
    NotText,
    /// The text is not JSON.
    #[error(
        "This is not valid JSON (line {line}, column {column}): {reason}. Please check the file, or export it again from the system that made it."
    )]
    Syntax {
        /// Line of the problem, from 1.
        line: usize,
        /// Column of the problem, from 1.
        column: usize,
        /// What serde_json found, in its words.
        reason: String,
    },
    /// The JSON nests deeper than any form does.
    #[error("This file nests lists or groups too deeply to be a form (more than {limit} levels).")]
    TooDeep {
        /// The deepest nesting accepted.
        limit: usize,
    },
    /// The file is empty.
    #[error("This file is empty.")]
    Empty,
}

/// serde_json's own nesting limit, which stops hostile input before it reaches a validator.
const MAX_DEPTH: usize = 128;

/// Parses a submission from bytes.
pub fn parse(bytes: &[u8]) -> Result<Value, InputError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| InputError::NotText)?;
    serde_json::from_str(text).map_err(|error| {
        let reason = error.to_string();
        if reason.contains("recursion limit") {
            return InputError::TooDeep { limit: MAX_DEPTH };
        }
        // serde_json appends " at line L column C"; the message gives them separately.
        let reason = reason
            .split(" at line ")
            .next()
            .unwrap_or(reason.as_str())
            .to_owned();
        InputError::Syntax {
            line: error.line(),
            column: error.column(),
            reason,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_bytes_get_plain_errors() {
        assert_eq!(parse(b""), Err(InputError::Empty));
        assert_eq!(parse(b"{\"a\": \"\xff\"}"), Err(InputError::NotText));
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert_eq!(
            parse(deep.as_bytes()),
            Err(InputError::TooDeep { limit: MAX_DEPTH })
        );
        match parse(b"{\"form\": }") {
            Err(InputError::Syntax {
                line: 1,
                column,
                reason,
            }) => {
                assert_eq!(column, 10);
                assert_eq!(reason, "expected value");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
