//! The package: the static parts kept as files in `parts/` (styles, numbering definitions,
//! theme, settings, font table, header, footer, relationships, content types), the few values
//! they take filled in, the body and core properties, in one deterministic zip.

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::DocxError;
use super::body::FIRST_LIST;
use super::props;
use super::xml::fill;
use crate::assemble::model::Metadata;

const CONTENT_TYPES: &str = include_str!("parts/content_types.xml");
const RELS: &str = include_str!("parts/rels.xml");
const APP: &str = include_str!("parts/app.xml");
const DOCUMENT_RELS: &str = include_str!("parts/document.xml.rels");
const STYLES: &str = include_str!("parts/styles.xml");
/// The list definitions and the two fixed instances; the root element is left open for the
/// instance of each numbered list.
const NUMBERING: &str = include_str!("parts/numbering.xml");
const SETTINGS: &str = include_str!("parts/settings.xml");
const FONT_TABLE: &str = include_str!("parts/fontTable.xml");
const THEME: &str = include_str!("parts/theme1.xml");
const HEADER: &str = include_str!("parts/header1.xml");
const FOOTER: &str = include_str!("parts/footer1.xml");

/// Parts smaller than this many bytes are stored uncompressed.
const STORE_BELOW: usize = 1024;

/// The `numbering.xml` part: the static definitions, then one instance per numbered list,
/// restarting at 1 at the level the list starts at.
fn numbering(numbered: &[usize]) -> String {
    let mut out = String::with_capacity(NUMBERING.len() + numbered.len() * 160 + 16);
    out.push_str(NUMBERING);
    for (n, level) in numbered.iter().enumerate() {
        let _ = write!(
            out,
            "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"2\"/><w:lvlOverride w:ilvl=\"{level}\">\
             <w:startOverride w:val=\"1\"/></w:lvlOverride></w:num>",
            FIRST_LIST + n
        );
    }
    out.push_str("</w:numbering>");
    out
}

/// The `.docx` bytes for a body (`document.xml`) and the levels of its numbered lists.
pub(crate) fn write(
    meta: &Metadata,
    document: &str,
    numbered: &[usize],
) -> Result<Vec<u8>, DocxError> {
    let language = [("LANG", meta.language.as_str())];
    let running = [
        ("TITLE", meta.title.as_str()),
        ("MARKING", meta.marking.as_str()),
    ];
    let core = props::core_xml(meta).map_err(|e| DocxError::Part {
        part: "docProps/core.xml",
        detail: e.to_string(),
    })?;
    let (styles, settings) = (fill(STYLES, &language), fill(SETTINGS, &language));
    let (header, footer) = (fill(HEADER, &running), fill(FOOTER, &running));
    let numbering = numbering(numbered);
    let parts: [(&'static str, &[u8]); 13] = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("docProps/core.xml", &core),
        ("docProps/app.xml", APP.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
        ("word/numbering.xml", numbering.as_bytes()),
        ("word/settings.xml", settings.as_bytes()),
        ("word/fontTable.xml", FONT_TABLE.as_bytes()),
        ("word/theme/theme1.xml", THEME.as_bytes()),
        ("word/header1.xml", header.as_bytes()),
        ("word/footer1.xml", footer.as_bytes()),
    ];
    let size: usize = parts.iter().map(|(_, bytes)| bytes.len()).sum();
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(size / 3 + 4096)));
    // A fixed timestamp (the zip epoch) so the same document always gives the same bytes; the
    // fastest deflate level (level 6 costs several times as much), and parts under
    // STORE_BELOW stored as they are: setting up a deflate stream costs more than they save.
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default());
    let deflated = stored
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1));
    for (name, bytes) in parts {
        let options = if bytes.len() < STORE_BELOW {
            stored
        } else {
            deflated
        };
        zip.start_file(name, options)?;
        zip.write_all(bytes).map_err(|e| DocxError::Part {
            part: name,
            detail: e.to_string(),
        })?;
    }
    Ok(zip.finish()?.into_inner())
}
