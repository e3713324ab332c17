//! Rendering: one backend per output format over the same [`crate::assemble::model::Document`].
//!
//! Every backend is deterministic: the same document (whose metadata carries a fixed date) gives
//! byte-identical output, so generated documents can be compared and cached.

pub mod docx;
#[cfg(feature = "pdf")]
pub mod pdf;

/// Table rows with less text than this are kept on one page in both formats; a longer row may
/// break, since a row taller than a page cannot be kept whole.
pub const KEEP_ROW_TOGETHER_CHARS: usize = 600;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An output format for a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Word document (Office Open XML), for editing and circulation.
    Docx,
    /// Tagged, accessible PDF (PDF/UA-1), for publication.
    Pdf,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }

    /// The media type to send over HTTP.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Pdf => "application/pdf",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// A format name that is neither `docx` nor `pdf`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a document format: use docx or pdf")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.trim().to_ascii_lowercase().as_str() {
            "docx" | "word" => Ok(Format::Docx),
            "pdf" => Ok(Format::Pdf),
            _ => Err(UnknownFormat(name.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_by_name_and_refuse_others() {
        assert_eq!("PDF".parse::<Format>(), Ok(Format::Pdf));
        assert_eq!("docx".parse::<Format>(), Ok(Format::Docx));
        assert!("odt".parse::<Format>().is_err());
        assert_eq!(Format::Docx.to_string(), "docx");
    }
}
