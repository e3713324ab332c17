//! The core document properties (`docProps/core.xml`): title, subject, author, language and
//! dates, all from the document's metadata so the same document gives the same bytes.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::xml::clean;
use crate::assemble::model::Metadata;

const CP: &str = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";

/// The whole `core.xml` part for `meta`.
pub(crate) fn core_xml(meta: &Metadata) -> std::io::Result<Vec<u8>> {
    let mut w = Writer::new(Vec::with_capacity(1024));
    w.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("yes"),
    )))?;
    let root = BytesStart::new("cp:coreProperties").with_attributes([
        ("xmlns:cp", CP),
        ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
        ("xmlns:dcterms", "http://purl.org/dc/terms/"),
        ("xmlns:dcmitype", "http://purl.org/dc/dcmitype/"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
    ]);
    w.write_event(Event::Start(root))?;
    let date = format!("{}T00:00:00Z", meta.date.format("%Y-%m-%d"));
    let revision = "1".to_owned();
    let fields: [(&str, &String); 7] = [
        ("dc:title", &meta.title),
        ("dc:subject", &meta.subject),
        ("dc:creator", &meta.author),
        ("cp:keywords", &meta.marking),
        ("dc:language", &meta.language),
        ("cp:lastModifiedBy", &meta.author),
        ("cp:revision", &revision),
    ];
    for (name, value) in fields {
        w.write_event(Event::Start(BytesStart::new(name)))?;
        w.write_event(Event::Text(BytesText::new(&clean(value))))?;
        w.write_event(Event::End(BytesEnd::new(name)))?;
    }
    for name in ["dcterms:created", "dcterms:modified"] {
        let start = BytesStart::new(name).with_attributes([("xsi:type", "dcterms:W3CDTF")]);
        w.write_event(Event::Start(start))?;
        w.write_event(Event::Text(BytesText::new(&date)))?;
        w.write_event(Event::End(BytesEnd::new(name)))?;
    }
    w.write_event(Event::End(BytesEnd::new("cp:coreProperties")))?;
    Ok(w.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn properties_are_escaped_and_dated_from_the_metadata() -> Result<(), Box<dyn std::error::Error>>
    {
        let meta = Metadata {
            title: "A <b>&</b> \u{1}title".to_owned(),
            subject: "Subject".to_owned(),
            author: "Partnership".to_owned(),
            marking: "OFFICIAL-SENSITIVE".to_owned(),
            language: "en-GB".to_owned(),
            date: NaiveDate::from_ymd_opt(2026, 3, 14).ok_or("date")?,
        };
        let xml = String::from_utf8(core_xml(&meta)?)?;
        assert!(
            xml.contains("<dc:title>A &lt;b&gt;&amp;&lt;/b&gt; title</dc:title>"),
            "{xml}"
        );
        assert!(xml.contains("<dc:language>en-GB</dc:language>"));
        assert!(xml.contains(">2026-03-14T00:00:00Z</dcterms:created>"));
        Ok(())
    }
}
