//! A fillable form field: its label (bold, carrying the field's bookmark), its guidance
//! (italic) and a block-level content control (`w:sdt`) tagged with the field's pointer.
//! Children of `w:sdtPr` follow the schema's order (ECMA-376 `CT_SdtPr`).
//!
//! The bookmark sits on the label, outside the control, because typing over a control's
//! placeholder may take anything inside the control with it; nobody types over a label.

use std::fmt::Write as _;

use super::runs::{RunStyle, open_paragraph, run};
use super::xml::push_attr;
use super::{Control, FormField};

/// Where field bookmark ids start, clear of the headings' bookmarks (numbered from 1).
const BOOKMARK_IDS: usize = 100_000;

/// Writes field number `id` (from 1).
pub(crate) fn write(out: &mut String, id: usize, field: &FormField<'_>) {
    let mark = BOOKMARK_IDS + id;
    open_paragraph(out, None, "<w:keepNext/>");
    let _ = write!(out, "<w:bookmarkStart w:id=\"{mark}\" w:name=\"");
    push_attr(out, &field.bookmark);
    out.push_str("\"/>");
    run(out, field.label, RunStyle::BOLD);
    let _ = write!(out, "<w:bookmarkEnd w:id=\"{mark}\"/></w:p>");
    if let Some(text) = field.guidance {
        open_paragraph(out, None, "<w:keepNext/>");
        let italic = RunStyle {
            italic: true,
            ..RunStyle::default()
        };
        run(out, text, italic);
        out.push_str("</w:p>");
    }
    out.push_str("<w:sdt><w:sdtPr><w:alias w:val=\"");
    push_attr(out, field.label);
    out.push_str("\"/><w:tag w:val=\"");
    push_attr(out, field.tag);
    let _ = write!(out, "\"/><w:id w:val=\"{id}\"/>");
    if field.locked {
        out.push_str("<w:lock w:val=\"sdtContentLocked\"/>");
    }
    if field.value.is_none() {
        out.push_str("<w:showingPlcHdr/>");
    }
    match &field.control {
        Control::Date { iso } => {
            out.push_str("<w:date");
            if let Some(iso) = iso {
                out.push_str(" w:fullDate=\"");
                push_attr(out, iso);
                out.push_str("T00:00:00Z\"");
            }
            out.push_str(concat!(
                "><w:dateFormat w:val=\"dd/MM/yyyy\"/><w:lid w:val=\"en-GB\"/>",
                "<w:storeMappedDataAs w:val=\"dateTime\"/><w:calendar w:val=\"gregorian\"/></w:date>"
            ));
        }
        Control::DropDown(items) => {
            out.push_str("<w:dropDownList>");
            for (display, value) in items {
                out.push_str("<w:listItem w:displayText=\"");
                push_attr(out, display);
                out.push_str("\" w:value=\"");
                push_attr(out, value);
                out.push_str("\"/>");
            }
            out.push_str("</w:dropDownList>");
        }
        Control::Text => out.push_str("<w:text w:multiLine=\"1\"/>"),
    }
    out.push_str("</w:sdtPr><w:sdtContent>");
    open_paragraph(out, None, "<w:spacing w:after=\"160\"/>");
    match &field.value {
        Some(text) => run(out, text, RunStyle::default()),
        None => run(
            out,
            field.prompt,
            RunStyle {
                prompt: true,
                ..RunStyle::default()
            },
        ),
    }
    out.push_str("</w:p></w:sdtContent></w:sdt>");
}
