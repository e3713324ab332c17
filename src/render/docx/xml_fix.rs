//! Streaming repair of the XML parts docx-rs writes.
//!
//! The part is read event by event and written straight back, except that each property
//! element whose children need schema order (see [`super::schema_order`]) is read as a small
//! subtree, sorted and written. On the way:
//! - the first row of every table gets `<w:tblHeader/>`, so it repeats on each page;
//! - the default run properties in `styles.xml` get the document's language;
//! - the theme part is registered in `[Content_Types].xml` and `document.xml.rels`.

use quick_xml::events::{BytesEnd, BytesStart, Event};
use quick_xml::{Reader, Writer};

use super::{schema_order, theme};

/// A failure to read or write XML docx-rs produced.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FixError {
    /// The XML could not be parsed.
    #[error("unreadable XML: {0}")]
    Read(#[from] quick_xml::Error),
    /// The XML could not be written.
    #[error("could not write XML: {0}")]
    Write(#[from] std::io::Error),
    /// The part ended inside an element.
    #[error("the XML ends in the middle of an element")]
    Truncated,
}

/// An element read whole, with its children.
#[derive(Debug)]
enum Node {
    Element {
        start: BytesStart<'static>,
        children: Vec<Node>,
    },
    Other(Event<'static>),
}

impl Node {
    fn is_named(&self, name: &[u8]) -> bool {
        matches!(self, Node::Element { start, .. } if start.name().as_ref() == name)
    }
}

/// What to add to a part beyond reordering.
#[derive(Default)]
struct Edits<'a> {
    /// Language for `w:lang` in the default run properties (styles.xml only).
    language: Option<&'a str>,
    /// Element to append as the last child of the root element.
    append_to_root: Option<BytesStart<'static>>,
}

/// The repaired bytes of part `name`.
pub(crate) fn fix_part(name: &str, xml: &[u8], language: &str) -> Result<Vec<u8>, FixError> {
    let mut edits = Edits::default();
    match name {
        "word/styles.xml" => edits.language = Some(language),
        "[Content_Types].xml" => {
            let part = format!("/{}", theme::PART);
            edits.append_to_root = Some(BytesStart::new("Override").with_attributes([
                ("PartName", part.as_str()),
                ("ContentType", theme::CONTENT_TYPE),
            ]));
        }
        "word/_rels/document.xml.rels" => {
            edits.append_to_root = Some(BytesStart::new("Relationship").with_attributes([
                ("Id", "rIdTheme1"),
                ("Type", theme::REL_TYPE),
                ("Target", theme::TARGET),
            ]));
        }
        _ => {}
    }
    transform(xml, &edits)
}

fn transform(xml: &[u8], edits: &Edits<'_>) -> Result<Vec<u8>, FixError> {
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + xml.len() / 16));
    let mut buf = Vec::new();
    let mut state = State::default();
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Eof => break,
            Event::Start(start) => {
                let start = start.into_owned();
                state.before_child(start.name().as_ref(), &mut writer)?;
                if needs_subtree(start.name().as_ref()) {
                    let children = read_children(&mut reader)?;
                    write_edited(
                        Node::Element { start, children },
                        &mut state,
                        edits,
                        &mut writer,
                    )?;
                } else {
                    state.open_element(start.name().as_ref());
                    writer.write_event(Event::Start(start))?;
                }
            }
            Event::Empty(start) => {
                let start = start.into_owned();
                state.before_child(start.name().as_ref(), &mut writer)?;
                if needs_subtree(start.name().as_ref()) {
                    let node = Node::Element {
                        start,
                        children: Vec::new(),
                    };
                    write_edited(node, &mut state, edits, &mut writer)?;
                } else if start.name().as_ref() == b"w:gridCol" {
                    writer.write_event(Event::Empty(without_type(&start)?))?;
                } else {
                    writer.write_event(Event::Empty(start))?;
                }
            }
            Event::End(end) => {
                if state.open.len() == 1
                    && let Some(extra) = &edits.append_to_root
                {
                    writer.write_event(Event::Empty(extra.borrow()))?;
                }
                state.close_element(end.name().as_ref());
                writer.write_event(Event::End(end))?;
            }
            other => writer.write_event(other)?,
        }
        buf.clear();
    }
    Ok(writer.into_inner())
}

/// Elements read whole: those whose children get sorted, and table row properties.
fn needs_subtree(name: &[u8]) -> bool {
    schema_order::is_ordered(name) || name == b"w:trPr"
}

/// Where the streaming pass is in the part.
#[derive(Default)]
struct State {
    /// Names of the open elements, outermost first.
    open: Vec<Vec<u8>>,
    /// For each open table, whether its first row has started.
    tables: Vec<bool>,
    /// A table's first row has started and has not yet been marked as a header row.
    header_row_pending: bool,
}

impl State {
    fn open_element(&mut self, name: &[u8]) {
        match name {
            b"w:tbl" => self.tables.push(false),
            b"w:tr" => {
                if let Some(seen) = self.tables.last_mut()
                    && !*seen
                {
                    *seen = true;
                    self.header_row_pending = true;
                }
            }
            _ => {}
        }
        self.open.push(name.to_vec());
    }

    fn close_element(&mut self, name: &[u8]) {
        match name {
            b"w:tbl" => {
                self.tables.pop();
            }
            b"w:tr" => self.header_row_pending = false,
            _ => {}
        }
        self.open.pop();
    }

    /// A first row with no row properties gets them before its first cell.
    fn before_child(&mut self, name: &[u8], writer: &mut Writer<Vec<u8>>) -> Result<(), FixError> {
        if self.header_row_pending && name != b"w:trPr" && name != b"w:tblPrEx" {
            self.header_row_pending = false;
            writer.write_event(Event::Start(BytesStart::new("w:trPr")))?;
            writer.write_event(Event::Empty(BytesStart::new("w:tblHeader")))?;
            writer.write_event(Event::End(BytesEnd::new("w:trPr")))?;
        }
        Ok(())
    }
}

/// Applies the edits that concern `node`, then writes it in schema order.
fn write_edited(
    mut node: Node,
    state: &mut State,
    edits: &Edits<'_>,
    writer: &mut Writer<Vec<u8>>,
) -> Result<(), FixError> {
    if let Node::Element { start, children } = &mut node {
        let name = start.name().as_ref().to_vec();
        if name == b"w:trPr" && state.header_row_pending {
            state.header_row_pending = false;
            if !children.iter().any(|c| c.is_named(b"w:tblHeader")) {
                children.push(empty("w:tblHeader", &[]));
            }
        }
        if name == b"w:style" && attribute(start, b"w:styleId").as_deref() == Some(b"Normal") {
            // Readers need to know which style unstyled paragraphs use.
            if attribute(start, b"w:default").is_none() {
                start.push_attribute(("w:default", "1"));
            }
        }
        let in_defaults = state.open.last().is_some_and(|p| p == b"w:rPrDefault");
        if let (b"w:rPr", true, Some(language)) = (name.as_slice(), in_defaults, edits.language) {
            children.retain(|c| !c.is_named(b"w:lang"));
            children.push(empty(
                "w:lang",
                &[
                    ("w:val", language),
                    ("w:eastAsia", language),
                    ("w:bidi", language),
                ],
            ));
        }
    }
    let parent = state.open.last().map(Vec::as_slice).unwrap_or_default();
    prune(&mut node, parent);
    write_node(writer, &node)
}

/// Removes what docx-rs writes but the schema does not allow: run properties inside the
/// paragraph properties of a style, a list level or the document defaults.
fn prune(node: &mut Node, parent: &[u8]) {
    if let Node::Element { start, children } = node {
        let name = start.name();
        if name.as_ref() == b"w:pPr" && matches!(parent, b"w:style" | b"w:lvl" | b"w:pPrDefault") {
            children.retain(|c| !c.is_named(b"w:rPr"));
        }
        for child in children.iter_mut() {
            prune(child, name.as_ref());
        }
    }
}

/// A `w:gridCol` without the `w:type` attribute docx-rs adds (the schema has only `w:w`).
fn without_type(start: &BytesStart<'_>) -> Result<BytesStart<'static>, FixError> {
    let mut clean = BytesStart::new(String::from_utf8_lossy(start.name().as_ref()).into_owned());
    for attribute in start.attributes() {
        let attribute = attribute.map_err(quick_xml::Error::from)?;
        if attribute.key.as_ref() != b"w:type" {
            clean.push_attribute(attribute);
        }
    }
    Ok(clean)
}

/// The raw value of attribute `key`, if present and readable (only compared with plain ids).
fn attribute(start: &BytesStart<'_>, key: &[u8]) -> Option<Vec<u8>> {
    start
        .try_get_attribute(key)
        .ok()
        .flatten()
        .map(|a| a.value.into_owned())
}

fn empty(name: &str, attributes: &[(&str, &str)]) -> Node {
    Node::Element {
        start: BytesStart::new(name.to_owned()).with_attributes(attributes.iter().copied()),
        children: Vec::new(),
    }
}

/// Reads the children of the element just started, up to its end tag.
fn read_children(reader: &mut Reader<&[u8]>) -> Result<Vec<Node>, FixError> {
    let mut children = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(start) => {
                let start = start.into_owned();
                let grandchildren = read_children(reader)?;
                children.push(Node::Element {
                    start,
                    children: grandchildren,
                });
            }
            Event::Empty(start) => children.push(Node::Element {
                start: start.into_owned(),
                children: Vec::new(),
            }),
            Event::End(_) => return Ok(children),
            Event::Eof => return Err(FixError::Truncated),
            Event::Text(text) if text.iter().all(u8::is_ascii_whitespace) => {}
            other => children.push(Node::Other(other.into_owned())),
        }
        buf.clear();
    }
}

/// Writes a node, its children sorted into schema order where the schema fixes one.
fn write_node(writer: &mut Writer<Vec<u8>>, node: &Node) -> Result<(), FixError> {
    match node {
        Node::Other(event) => writer.write_event(event.borrow())?,
        Node::Element { start, children } if children.is_empty() => {
            writer.write_event(Event::Empty(start.borrow()))?
        }
        Node::Element { start, children } => {
            writer.write_event(Event::Start(start.borrow()))?;
            let name = start.name();
            let mut ordered: Vec<&Node> = children.iter().collect();
            if schema_order::is_ordered(name.as_ref()) {
                ordered.sort_by_key(|child| match child {
                    Node::Element { start, .. } => {
                        schema_order::rank(name.as_ref(), start.name().as_ref())
                    }
                    Node::Other(_) => usize::MAX,
                });
            }
            for child in ordered {
                write_node(writer, child)?;
            }
            writer.write_event(Event::End(start.to_end()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(name: &str, xml: &str) -> String {
        let out = fix_part(name, xml.as_bytes(), "en-GB").unwrap_or_else(|e| panic!("{e}"));
        String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn paragraph_properties_are_put_in_schema_order() {
        let xml = r#"<w:p><w:pPr><w:rPr><w:b/></w:rPr><w:jc w:val="center"/><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"#;
        assert_eq!(
            fix("word/document.xml", xml),
            r#"<w:p><w:pPr><w:pStyle w:val="Title"/><w:jc w:val="center"/><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"#
        );
    }

    #[test]
    fn nested_property_elements_are_sorted_too() {
        let xml = r#"<w:style><w:rPr><w:sz w:val="2"/><w:b/></w:rPr><w:name w:val="n"/></w:style>"#;
        assert_eq!(
            fix("word/styles.xml", xml),
            r#"<w:style><w:name w:val="n"/><w:rPr><w:b/><w:sz w:val="2"/></w:rPr></w:style>"#
        );
    }

    #[test]
    fn header_references_move_before_page_settings() {
        let xml = r#"<w:sectPr><w:pgSz w:w="1"/><w:footerReference r:id="b"/><w:pgMar w:top="1"/><w:headerReference r:id="a"/></w:sectPr>"#;
        assert_eq!(
            fix("word/document.xml", xml),
            r#"<w:sectPr><w:footerReference r:id="b"/><w:headerReference r:id="a"/><w:pgSz w:w="1"/><w:pgMar w:top="1"/></w:sectPr>"#
        );
    }

    #[test]
    fn only_the_first_row_of_each_table_becomes_a_header_row() {
        let xml = concat!(
            "<w:body><w:tbl><w:tr><w:tc><w:tbl><w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc/></w:tr>",
            "<w:tr><w:tc/></w:tr></w:tbl></w:tc></w:tr><w:tr><w:tc/></w:tr></w:tbl>",
            "<w:tbl><w:tr><w:trPr/><w:tc/></w:tr></w:tbl></w:body>"
        );
        assert_eq!(
            fix("word/document.xml", xml),
            concat!(
                "<w:body><w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:tbl><w:tr>",
                "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr><w:tc/></w:tr>",
                "<w:tr><w:tc/></w:tr></w:tbl></w:tc></w:tr><w:tr><w:tc/></w:tr></w:tbl>",
                "<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc/></w:tr></w:tbl></w:body>"
            )
        );
    }

    #[test]
    fn default_run_properties_get_the_language() {
        let xml = r#"<w:styles><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-US"/><w:sz w:val="24"/></w:rPr></w:rPrDefault></w:docDefaults><w:style><w:rPr><w:b/></w:rPr></w:style></w:styles>"#;
        assert_eq!(
            fix("word/styles.xml", xml),
            r#"<w:styles><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="24"/><w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="en-GB"/></w:rPr></w:rPrDefault></w:docDefaults><w:style><w:rPr><w:b/></w:rPr></w:style></w:styles>"#
        );
    }

    #[test]
    fn schema_forbidden_leftovers_are_removed() {
        let xml = r#"<w:styles><w:style><w:pPr><w:rPr/><w:jc/></w:pPr></w:style></w:styles>"#;
        assert_eq!(
            fix("word/styles.xml", xml),
            r#"<w:styles><w:style><w:pPr><w:jc/></w:pPr></w:style></w:styles>"#
        );
        let grid = r#"<w:tblGrid><w:gridCol w:w="3008" w:type="dxa"/></w:tblGrid>"#;
        assert_eq!(
            fix("word/document.xml", grid),
            r#"<w:tblGrid><w:gridCol w:w="3008"/></w:tblGrid>"#
        );
    }

    #[test]
    fn normal_becomes_the_default_paragraph_style() {
        let xml = r#"<w:styles><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"/></w:styles>"#;
        assert_eq!(
            fix("word/styles.xml", xml),
            r#"<w:styles><w:style w:type="paragraph" w:styleId="Normal" w:default="1"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"/></w:styles>"#
        );
    }

    #[test]
    fn the_theme_is_registered() {
        let types = fix(
            "[Content_Types].xml",
            r#"<Types><Default Extension="xml"/></Types>"#,
        );
        assert!(types.ends_with(r#"<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/></Types>"#), "{types}");
        let rels = fix(
            "word/_rels/document.xml.rels",
            "<Relationships></Relationships>",
        );
        assert!(
            rels.contains(r#"Target="theme/theme1.xml"/></Relationships>"#),
            "{rels}"
        );
    }

    #[test]
    fn text_and_escapes_pass_through_unchanged() {
        let xml = r#"<?xml version="1.0"?><w:p><w:r><w:t xml:space="preserve">a &lt;b&gt; &amp; "c"</w:t></w:r></w:p>"#;
        assert_eq!(fix("word/document.xml", xml), xml);
    }

    #[test]
    fn truncated_xml_is_an_error_not_a_panic() {
        assert!(fix_part("word/document.xml", b"<w:p><w:pPr><w:jc/>", "en-GB").is_err());
    }
}
