//! Finishing the package docx-rs wrote: every part is copied into a fresh archive with fixed
//! timestamps and compression, XML parts pass through [`super::xml_fix`], the core properties
//! are written anew (docx-rs has no setter for the title or language) and a theme is added.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::DocxError;
use super::{props, theme, xml_fix};
use crate::assemble::model::Metadata;

/// The part rewritten from the metadata.
const CORE: &str = "docProps/core.xml";

fn finish_error(part: &str, detail: impl std::fmt::Display) -> DocxError {
    DocxError::Finish {
        part: part.to_owned(),
        detail: detail.to_string(),
    }
}

/// The finished `.docx` bytes for the package `raw` written by docx-rs.
pub(crate) fn finish(raw: &[u8], meta: &Metadata) -> Result<Vec<u8>, DocxError> {
    let mut archive =
        ZipArchive::new(Cursor::new(raw)).map_err(|e| finish_error("(archive)", e))?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(raw.len() / 3)));
    // A fixed timestamp (the zip epoch) so the same document always gives the same bytes.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        // Fastest deflate: the parts are small, and level 6 cost several times as much here.
        .compression_level(Some(1))
        .last_modified_time(DateTime::default());
    let mut buffer = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .map_err(|e| finish_error("(archive)", e))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_owned();
        buffer.clear();
        entry
            .read_to_end(&mut buffer)
            .map_err(|e| finish_error(&name, e))?;
        let bytes = if name == CORE {
            props::core_xml(meta).map_err(|e| finish_error(&name, e))?
        } else if name.ends_with(".xml") || name.ends_with(".rels") {
            xml_fix::fix_part(&name, &buffer, &meta.language).map_err(|e| finish_error(&name, e))?
        } else {
            buffer.clone()
        };
        out.start_file(name.as_str(), options)?;
        out.write_all(&bytes).map_err(|e| finish_error(&name, e))?;
    }
    out.start_file(theme::PART, options)?;
    out.write_all(theme::XML.as_bytes())
        .map_err(|e| finish_error(theme::PART, e))?;
    Ok(out.finish()?.into_inner())
}
