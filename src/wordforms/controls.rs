//! The WordprocessingML of one block-level content control (`w:sdt`), written by hand because
//! docx-rs cannot write date pickers or drop-down lists. Children of `w:sdtPr` follow the order
//! of the schema (ECMA-376 `CT_SdtPr`).

use std::fmt::Write as _;

use quick_xml::escape::escape;
use serde_json::Value;

use super::fields::Kind;

/// The text shown in an empty control, by kind.
pub(crate) fn placeholder(kind: &Kind) -> &'static str {
    match kind {
        Kind::Date => "Click or tap to enter a date.",
        Kind::Boolean | Kind::Choice(_) => "Choose an item.",
        _ => "Click or tap here to enter text.",
    }
}

/// Every placeholder text, to recognise one that lost its placeholder mark.
pub(crate) const PLACEHOLDERS: &[&str] = &[
    "Click or tap to enter a date.",
    "Choose an item.",
    "Click or tap here to enter text.",
];

/// Drop-down items of a yes/no field: (display text, value).
pub(crate) const YES_NO: &[(&str, &str)] = &[("Yes", "true"), ("No", "false")];

/// The display text for a JSON value in a control of this kind; `None` when empty.
pub(crate) fn display(kind: &Kind, value: &Value) -> Option<String> {
    let text = match (kind, value) {
        (_, Value::Null) => return None,
        (Kind::Boolean, Value::Bool(true)) => "Yes".to_owned(),
        (Kind::Boolean, Value::Bool(false)) => "No".to_owned(),
        (Kind::Choice(choices), Value::String(code)) => choices
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| code.clone(), |(_, title)| title.clone()),
        (Kind::Date, Value::String(iso)) => uk_date(iso).unwrap_or_else(|| iso.clone()),
        (_, Value::String(text)) => text.clone(),
        (_, other) => other.to_string(),
    };
    (!text.is_empty()).then_some(text)
}

/// `2026-03-04` → `04/03/2026`.
fn uk_date(iso: &str) -> Option<String> {
    let date = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()?;
    Some(date.format("%d/%m/%Y").to_string())
}

/// Where field bookmark ids start, clear of the headings' bookmarks (numbered from 1).
const BOOKMARK_IDS: usize = 100_000;

/// One field: its pointer, bookmark name, label, guidance and kind.
pub(crate) struct Field<'a> {
    /// The JSON pointer, written as the control's tag.
    pub pointer: &'a str,
    /// The bookmark around the label that also names the field (see `fields::Bookmarks`).
    pub bookmark: &'a str,
    /// The title: the label above the control and the control's alias.
    pub title: &'a str,
    /// Guidance under the label.
    pub guidance: Option<&'a str>,
    /// Which control.
    pub kind: &'a Kind,
}

/// One field: its label (bold, carrying the field's bookmark), its guidance (italic) and the
/// content control holding `value` (or its placeholder), tagged with the field's pointer.
///
/// The bookmark sits on the label, outside the control, because typing over a control's
/// placeholder may take anything inside the control with it; nobody types over a label.
pub(crate) fn control(out: &mut String, id: usize, field: &Field<'_>, value: Option<&Value>) {
    let Field {
        pointer,
        bookmark,
        title,
        guidance,
        kind,
    } = *field;
    let mark = BOOKMARK_IDS + id;
    let _ = write!(
        out,
        "<w:p><w:pPr><w:keepNext/></w:pPr><w:bookmarkStart w:id=\"{mark}\" w:name=\"{}\"/>",
        attr(bookmark)
    );
    runs(out, title, Style::Bold);
    let _ = write!(out, "<w:bookmarkEnd w:id=\"{mark}\"/></w:p>");
    if let Some(text) = guidance {
        out.push_str("<w:p><w:pPr><w:keepNext/></w:pPr>");
        runs(out, text, Style::Italic);
        out.push_str("</w:p>");
    }
    let shown = value.and_then(|v| display(kind, v));
    let _ = write!(
        out,
        "<w:sdt><w:sdtPr><w:alias w:val=\"{}\"/><w:tag w:val=\"{}\"/><w:id w:val=\"{id}\"/>",
        attr(title),
        attr(pointer)
    );
    if *kind == Kind::Fixed {
        out.push_str("<w:lock w:val=\"sdtContentLocked\"/>");
    }
    if shown.is_none() {
        out.push_str("<w:showingPlcHdr/>");
    }
    match kind {
        Kind::Date => {
            out.push_str("<w:date");
            if let Some(Value::String(iso)) = value
                && chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").is_ok()
            {
                let _ = write!(out, " w:fullDate=\"{iso}T00:00:00Z\"");
            }
            out.push_str(
                "><w:dateFormat w:val=\"dd/MM/yyyy\"/><w:lid w:val=\"en-GB\"/>\
                 <w:storeMappedDataAs w:val=\"dateTime\"/><w:calendar w:val=\"gregorian\"/></w:date>",
            );
        }
        Kind::Boolean => list(out, YES_NO.iter().map(|(d, v)| (*d, *v))),
        Kind::Choice(choices) => list(
            out,
            choices
                .iter()
                .map(|(code, title)| (title.as_str(), code.as_str())),
        ),
        _ => out.push_str("<w:text w:multiLine=\"1\"/>"),
    }
    out.push_str("</w:sdtPr><w:sdtContent><w:p><w:pPr><w:spacing w:after=\"160\"/></w:pPr>");
    match shown {
        Some(text) => runs(out, &text, Style::Plain),
        None => runs(out, placeholder(kind), Style::Prompt),
    }
    out.push_str("</w:p></w:sdtContent></w:sdt>");
}

/// How a run of text looks.
#[derive(Clone, Copy)]
enum Style {
    Plain,
    Bold,
    Italic,
    /// Grey, for a placeholder.
    Prompt,
}

fn list<'a>(out: &mut String, items: impl Iterator<Item = (&'a str, &'a str)>) {
    out.push_str("<w:dropDownList>");
    for (display, value) in items {
        let _ = write!(
            out,
            "<w:listItem w:displayText=\"{}\" w:value=\"{}\"/>",
            attr(display),
            attr(value)
        );
    }
    out.push_str("</w:dropDownList>");
}

/// A run for `text`, a line break for each newline.
fn runs(out: &mut String, text: &str, style: Style) {
    out.push_str(match style {
        Style::Plain => "<w:r>",
        Style::Bold => "<w:r><w:rPr><w:b/><w:bCs/></w:rPr>",
        Style::Italic => "<w:r><w:rPr><w:i/><w:iCs/></w:rPr>",
        Style::Prompt => "<w:r><w:rPr><w:color w:val=\"808080\"/></w:rPr>",
    });
    for (n, line) in clean(text).split('\n').enumerate() {
        if n > 0 {
            out.push_str("<w:br/>");
        }
        let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t>", escape(line));
    }
    out.push_str("</w:r>");
}

/// Attribute text, with XML-illegal characters dropped.
fn attr(text: &str) -> String {
    escape(clean(text).as_str()).into_owned()
}

/// The text with characters XML cannot hold (and carriage returns) removed.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        })
        .collect()
}
