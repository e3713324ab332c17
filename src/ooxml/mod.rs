//! Safe reading of Office Open XML packages (Word `.docx`) that arrive from outside.
//!
//! Every file is treated as hostile: the zip is opened only if it looks like one, the number of
//! entries and the unpacked size of every part are capped while reading (the sizes a zip
//! declares are not trusted), and the XML parts refuse DOCTYPE and entity declarations and cap
//! their nesting depth. Errors explain to a person what is wrong with the file, never how the
//! parser failed.

mod xml;

use std::io::{Cursor, Read};

use thiserror::Error;
use zip::ZipArchive;
use zip::result::ZipError;

pub use xml::{Element, EndTag, Node, SafeXml};

/// How much of a package the reader is willing to unpack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, packed, in bytes.
    pub max_file_bytes: u64,
    /// Most entries a package may have.
    pub max_entries: usize,
    /// Largest unpacked size of one part, in bytes.
    pub max_part_bytes: u64,
    /// Largest unpacked size of all the parts read together, in bytes.
    pub max_total_bytes: u64,
    /// Deepest XML element nesting accepted.
    pub max_depth: usize,
}

impl Default for Limits {
    /// Generous for any real report (a 300-page report's document part is a few MB).
    fn default() -> Self {
        Limits {
            max_file_bytes: 50 * MB,
            max_entries: 2_000,
            max_part_bytes: 64 * MB,
            max_total_bytes: 128 * MB,
            max_depth: 256,
        }
    }
}

const MB: u64 = 1024 * 1024;

/// Why a file could not be read as a Word document.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum OoxmlError {
    /// The file is empty.
    #[error("The file is empty. Please send the Word (.docx) draft again.")]
    Empty,
    /// A PDF, perhaps renamed.
    #[error(
        "This file is a PDF, not a Word document. Please send the Word (.docx) draft of the report, or save it from Word as a .docx file."
    )]
    Pdf,
    /// An old binary Word file, or an encrypted (password-protected) Office file.
    #[error(
        "This file is an older Word (.doc) document or a password-protected Office file, which cannot be read. Please remove any password and save it from Word as a .docx file."
    )]
    LegacyOrEncrypted,
    /// Anything else that is not a zip package.
    #[error(
        "This file is not a Word (.docx) document, so it could not be opened. Please save the draft from Word as a .docx file and send it again."
    )]
    NotAPackage,
    /// A zip without the main document part.
    #[error(
        "This file is not a complete Word document: it has no main document part ({part}). It may be damaged; please open it in Word, save it again as .docx and resend it."
    )]
    MissingPart {
        /// The part that is missing, e.g. `word/document.xml`.
        part: String,
    },
    /// The file is larger than any report.
    #[error(
        "This file is {size_mb} MB, larger than the {max_mb} MB accepted for a report. Please remove large pictures or attachments and send it again."
    )]
    FileTooLarge {
        /// The file's size in MB, rounded up.
        size_mb: u64,
        /// The limit in MB.
        max_mb: u64,
    },
    /// More entries than a Word document has.
    #[error(
        "This file holds {count} internal parts, far more than a Word document has (at most {max} are accepted). It may be damaged or built to overload the system, so it was not read."
    )]
    TooManyEntries {
        /// Entries in the package.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A part, or all parts together, unpack to more than the limit.
    #[error(
        "This file unpacks to more than {max_mb} MB, far more than a report needs. It may be damaged or built to overload the system, so it was not read."
    )]
    Bomb {
        /// The limit that was reached, in MB.
        max_mb: u64,
    },
    /// DOCTYPE or entity declarations, which Word never writes.
    #[error(
        "This file contains XML declarations (DOCTYPE or ENTITY) that Word never writes and that can be used to attack systems, so it was not read. Please save it again from Word."
    )]
    Declarations,
    /// Elements nested deeper than any real document.
    #[error(
        "This file nests its content more than {max} levels deep, which no real document does, so it was not read."
    )]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// A part that is not well-formed XML or not UTF-8.
    #[error(
        "Part of this Word file ({part}) is damaged and could not be read. Please open it in Word, save it again as .docx and resend it."
    )]
    Damaged {
        /// The damaged part.
        part: String,
    },
    /// A part compressed or encrypted in a way the reader does not support.
    #[error(
        "Part of this Word file ({part}) is compressed or encrypted in a way that cannot be read. Please remove any password and save it again from Word as .docx."
    )]
    Unsupported {
        /// The part.
        part: String,
    },
}

/// An opened package whose parts can be read within the limits.
pub struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    read_so_far: u64,
}

impl std::fmt::Debug for Package<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Package")
            .field("entries", &self.archive.len())
            .field("limits", &self.limits)
            .finish()
    }
}

impl<'a> Package<'a> {
    /// Opens a package, refusing files that are not zips or hold too many entries.
    pub fn open(bytes: &'a [u8], limits: Limits) -> Result<Self, OoxmlError> {
        sniff(bytes)?;
        let size = bytes.len() as u64;
        if size > limits.max_file_bytes {
            return Err(OoxmlError::FileTooLarge {
                size_mb: size.div_ceil(MB),
                max_mb: limits.max_file_bytes / MB,
            });
        }
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| OoxmlError::NotAPackage)?;
        if archive.len() > limits.max_entries {
            return Err(OoxmlError::TooManyEntries {
                count: archive.len(),
                max: limits.max_entries,
            });
        }
        Ok(Package {
            archive,
            limits,
            read_so_far: 0,
        })
    }

    /// The limits this package is read under.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Reads a part as UTF-8 text, `None` when the package has no such part.
    pub fn part(&mut self, name: &str) -> Result<Option<String>, OoxmlError> {
        let entry = match self.archive.by_name(name) {
            Ok(entry) => entry,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(ZipError::UnsupportedArchive(_)) => {
                return Err(OoxmlError::Unsupported {
                    part: name.to_owned(),
                });
            }
            Err(_) => {
                return Err(OoxmlError::Damaged {
                    part: name.to_owned(),
                });
            }
        };
        let remaining_total = self.limits.max_total_bytes.saturating_sub(self.read_so_far);
        let cap = self.limits.max_part_bytes.min(remaining_total);
        let bomb = OoxmlError::Bomb {
            max_mb: cap.max(1).div_ceil(MB),
        };
        // The declared size is only a hint: a hostile zip may understate it.
        if entry.size() > cap {
            return Err(bomb);
        }
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size().min(MB)).unwrap_or(0));
        entry
            .take(cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|_| OoxmlError::Damaged {
                part: name.to_owned(),
            })?;
        if bytes.len() as u64 > cap {
            return Err(bomb);
        }
        self.read_so_far += bytes.len() as u64;
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| OoxmlError::Damaged {
                part: name.to_owned(),
            })
    }

    /// Reads a part that must be there.
    pub fn required_part(&mut self, name: &str) -> Result<String, OoxmlError> {
        self.part(name)?.ok_or_else(|| OoxmlError::MissingPart {
            part: name.to_owned(),
        })
    }
}

/// Recognises what a file is from its first bytes, before any unpacking.
fn sniff(bytes: &[u8]) -> Result<(), OoxmlError> {
    if bytes.is_empty() {
        return Err(OoxmlError::Empty);
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Ok(());
    }
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Err(OoxmlError::Pdf);
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(OoxmlError::LegacyOrEncrypted);
    }
    Err(OoxmlError::NotAPackage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_zips_are_named_for_what_they_are() {
        assert_eq!(sniff(b""), Err(OoxmlError::Empty));
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3"), Err(OoxmlError::Pdf));
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            Err(OoxmlError::LegacyOrEncrypted)
        );
        assert_eq!(sniff(b"{\"form\": 1}"), Err(OoxmlError::NotAPackage));
        assert!(sniff(b"PK\x03\x04rest").is_ok());
    }

    #[test]
    fn a_truncated_zip_is_not_a_package() {
        let err = Package::open(b"PK\x03\x04truncated", Limits::default()).unwrap_err();
        assert_eq!(err, OoxmlError::NotAPackage);
    }
}
