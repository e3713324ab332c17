//! Runs and paragraphs: the text of every part of the body (paragraphs, table cells, form
//! labels) written the same way, with bold, italic, prompts, tabs and line breaks.

use std::fmt::Write as _;

use quick_xml::escape::partial_escape;

use super::xml::clean;
use crate::assemble::model::Inline;

/// Formatting carried down through nested inlines.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RunStyle {
    /// Bold (from `Inline::Strong`, a table header cell or a form label).
    pub bold: bool,
    /// Italic (from `Inline::Emphasis` or form guidance).
    pub italic: bool,
    /// Grey, for a form control's prompt.
    pub prompt: bool,
}

impl RunStyle {
    /// Bold text.
    pub(crate) const BOLD: RunStyle = RunStyle {
        bold: true,
        italic: false,
        prompt: false,
    };

    fn open(self, out: &mut String) {
        out.push_str("<w:r>");
        if self.bold || self.italic || self.prompt {
            out.push_str("<w:rPr>");
            if self.bold {
                out.push_str("<w:b/><w:bCs/>");
            }
            if self.italic {
                out.push_str("<w:i/><w:iCs/>");
            }
            if self.prompt {
                out.push_str("<w:color w:val=\"808080\"/>");
            }
            out.push_str("</w:rPr>");
        }
    }
}

/// The runs for a sequence of inlines.
pub(crate) fn runs(out: &mut String, inlines: &[Inline], style: RunStyle) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => run(out, text, style),
            Inline::Strong { content } => runs(
                out,
                content,
                RunStyle {
                    bold: true,
                    ..style
                },
            ),
            Inline::Emphasis { content } => runs(
                out,
                content,
                RunStyle {
                    italic: true,
                    ..style
                },
            ),
            Inline::LineBreak => {
                style.open(out);
                out.push_str("<w:br/></w:r>");
            }
        }
    }
}

/// One run for `text`, with Word tabs and line breaks where it has `\t` and `\n`.
pub(crate) fn run(out: &mut String, text: &str, style: RunStyle) {
    let text = clean(text);
    if text.is_empty() {
        return;
    }
    style.open(out);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push_str("<w:br/>");
        }
        for (m, piece) in line.split('\t').enumerate() {
            if m > 0 {
                out.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                out.push_str("<w:t xml:space=\"preserve\">");
                out.push_str(&partial_escape(piece));
                out.push_str("</w:t>");
            }
        }
    }
    out.push_str("</w:r>");
}

/// Opens a paragraph with its style and any further properties (already in schema order).
pub(crate) fn open_paragraph(out: &mut String, style: Option<&str>, properties: &str) {
    out.push_str("<w:p>");
    if style.is_some() || !properties.is_empty() {
        out.push_str("<w:pPr>");
        if let Some(id) = style {
            let _ = write!(out, "<w:pStyle w:val=\"{id}\"/>");
        }
        out.push_str(properties);
        out.push_str("</w:pPr>");
    }
}

/// A whole paragraph of inlines.
pub(crate) fn paragraph(out: &mut String, style: Option<&str>, inlines: &[Inline], run: RunStyle) {
    open_paragraph(out, style, "");
    runs(out, inlines, run);
    out.push_str("</w:p>");
}
