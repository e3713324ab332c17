//! PDF backend: a tagged, accessible PDF (PDF/UA-1) laid out by the typst library in-process.
//!
//! The layout lives in one fixed typst file (`pdf/document.typ`). The document reaches it as
//! data: it is serialised to JSON and served to typst as a file that the template reads with
//! `json()`. No text from the document is ever spliced into typst source, so whatever a user
//! typed is printed exactly as typed and can never change the layout.

mod coverage;
mod diagnostics;
mod payload;
mod world;

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::assemble::model::Document;

use self::payload::Payload;
use self::world::RenderWorld;

/// Why a PDF could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The document's language is not a tag such as `en-GB`.
    #[error(
        "The document language \"{0}\" is not recognised. Use a language tag such as en-GB \
         (English, United Kingdom)."
    )]
    Language(String),
    /// The document's date is outside the range a PDF can record.
    #[error(
        "The document date {0} cannot be written into a PDF. Use a date between years 1 and 9999."
    )]
    Date(chrono::NaiveDate),
    /// The text contains characters that none of the built-in fonts can show.
    #[error(
        "The PDF cannot show some characters in the text: {}. The fonts built into this service \
         do not include them. Please replace them (for example, give a name in Latin letters as \
         well) and try again, or use the Word version of the document.",
        coverage::describe(.0)
    )]
    Unprintable(Vec<char>),
    /// The document could not be handed to the layout engine.
    #[error("The document could not be prepared for the PDF layout: {0}")]
    Prepare(#[from] serde_json::Error),
    /// The layout engine reported a problem: a fault in the PDF template, not in the form.
    #[error(
        "The PDF could not be laid out. This is a fault in the PDF template, not in what was \
         entered on the form; please report it. Details: {0}"
    )]
    Layout(String),
    /// The laid-out document could not be written as an accessible PDF (PDF/UA-1).
    #[error(
        "The PDF could not be written as an accessible document (PDF/UA-1). This is a fault in \
         the PDF template, not in what was entered on the form; please report it. Details: {0}"
    )]
    Export(String),
}

/// Renders `doc` as a tagged PDF/UA-1 file: A4, embedded fonts, title and language set,
/// bookmarks from headings, a header with the title and protective marking, and a footer
/// "Page X of Y".
///
/// The output depends only on `doc`: the same document gives byte-identical bytes.
pub fn render_pdf(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let unprintable = coverage::unprintable(doc, world::covered);
    if !unprintable.is_empty() {
        return Err(PdfError::Unprintable(unprintable));
    }
    let payload = Payload::new(doc)?;
    let today = Datetime::from_ymd(payload.year, payload.month, payload.day)
        .ok_or(PdfError::Date(doc.meta.date))?;
    let world = RenderWorld::new(serde_json::to_vec(&payload)?, Some(today));
    let pdf = lay_out(&world).and_then(|laid_out| export(doc, &laid_out, today));
    // typst memoises layout work across compilations; keep that cache from growing forever in
    // a long-running service while leaving recent entries for the next render.
    typst::comemo::evict(10);
    pdf
}

/// Compiles the template; warnings count as errors, since the template is fixed and a warning
/// means something in the output would be wrong.
fn lay_out(world: &RenderWorld) -> Result<PagedDocument, PdfError> {
    let compiled = typst::compile::<PagedDocument>(world);
    let laid_out = compiled
        .output
        .map_err(|errors| PdfError::Layout(diagnostics::describe(&errors)))?;
    if compiled.warnings.is_empty() {
        Ok(laid_out)
    } else {
        Err(PdfError::Layout(diagnostics::describe(&compiled.warnings)))
    }
}

/// Writes the laid-out pages as PDF/UA-1 with a creation date and identifier fixed by `doc`.
fn export(doc: &Document, laid_out: &PagedDocument, today: Datetime) -> Result<Vec<u8>, PdfError> {
    let standards = PdfStandards::new(&[PdfStandard::Ua_1])
        .map_err(|err| PdfError::Export(err.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Custom(format!("{}|{}", doc.meta.title, doc.meta.date)),
        creator: Smart::Custom(Some(
            concat!("safeguarding-forms ", env!("CARGO_PKG_VERSION")).to_owned(),
        )),
        timestamp: Some(Timestamp::new_utc(today)),
        standards,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(laid_out, &options)
        .map_err(|errors| PdfError::Export(diagnostics::describe(&errors)))
}
