//! Filling a blank Word form in a test, as a person would in Word: the text of each content
//! control replaced by the answer, the placeholder mark removed.

#![allow(dead_code)]

use std::io::{Cursor, Read, Write};

use chrono::NaiveDate;
use regex::Regex;
use serde_json::Value;

/// The longest list in a submission, so the blank form has room for every entry.
pub fn longest_list(value: &Value) -> usize {
    match value {
        Value::Array(items) => items
            .iter()
            .map(longest_list)
            .max()
            .unwrap_or(0)
            .max(items.len()),
        Value::Object(map) => map.values().map(longest_list).max().unwrap_or(0),
        _ => 0,
    }
}

pub fn read_part(docx: &[u8], name: &str) -> String {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(docx)).unwrap_or_else(|e| panic!("not a zip: {e}"));
    let mut file = archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name} missing: {e}"));
    let mut text = String::new();
    file.read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("{name} unreadable: {e}"));
    text
}

/// A copy of the package with `name` replaced by `text`.
pub fn with_part(docx: &[u8], name: &str, text: &str) -> Vec<u8> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(docx)).unwrap_or_else(|e| panic!("not a zip: {e}"));
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .unwrap_or_else(|e| panic!("entry: {e}"));
        let entry_name = entry.name().to_owned();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .unwrap_or_else(|e| panic!("read: {e}"));
        if entry_name == name {
            bytes = text.as_bytes().to_vec();
        }
        out.start_file(entry_name, options)
            .unwrap_or_else(|e| panic!("start: {e}"));
        out.write_all(&bytes)
            .unwrap_or_else(|e| panic!("write: {e}"));
    }
    out.finish()
        .unwrap_or_else(|e| panic!("finish: {e}"))
        .into_inner()
}

pub fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn xml_unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// What a person would put in the control for `value`: the drop-down item whose value is the
/// code, a date as day/month/year, numbers and text as they are.
pub fn typed_by_person(value: &Value, items: &[(String, String)]) -> String {
    let code = match value {
        Value::Bool(true) => "true".to_owned(),
        Value::Bool(false) => "false".to_owned(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    if let Some((display, _)) = items.iter().find(|(_, v)| *v == code) {
        return display.clone();
    }
    if let Ok(day) = NaiveDate::parse_from_str(&code, "%Y-%m-%d") {
        return day.format("%d/%m/%Y").to_string();
    }
    code
}

/// Fills the controls of a blank form with the values of `sample`, editing the XML directly.
pub fn fill(docx: &[u8], sample: &Value) -> Vec<u8> {
    let xml = read_part(docx, "word/document.xml");
    let sdt = Regex::new(r"(?s)<w:sdt>(.*?)</w:sdt>").unwrap_or_else(|e| panic!("{e}"));
    let tag = Regex::new(r#"<w:tag w:val="([^"]*)"/>"#).unwrap_or_else(|e| panic!("{e}"));
    let item = Regex::new(r#"<w:listItem w:displayText="([^"]*)" w:value="([^"]*)"/>"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let content =
        Regex::new(r"(?s)<w:sdtContent>.*</w:sdtContent>").unwrap_or_else(|e| panic!("{e}"));
    let mut used = 0;
    let filled = sdt.replace_all(&xml, |caps: &regex::Captures<'_>| {
        let whole = &caps[0];
        let Some(pointer) = tag.captures(whole).map(|c| xml_unescape(&c[1])) else {
            return whole.to_owned();
        };
        let Some(value) = sample.pointer(&pointer) else {
            return whole.to_owned();
        };
        used += 1;
        let items: Vec<(String, String)> = item
            .captures_iter(whole)
            .map(|c| (xml_unescape(&c[1]), xml_unescape(&c[2])))
            .collect();
        let text = typed_by_person(value, &items);
        let runs = format!(
            "<w:sdtContent><w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:sdtContent>",
            xml_escape(&text)
        );
        let without_placeholder = whole.replace("<w:showingPlcHdr/>", "");
        content
            .replace(&without_placeholder, regex::NoExpand(&runs))
            .into_owned()
    });
    assert!(used > 2, "no control was filled");
    with_part(docx, "word/document.xml", &filled)
}
