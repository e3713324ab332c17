//! A streaming XML reader that refuses declarations and deep nesting.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesEnd, BytesStart, Event};

use super::OoxmlError;

/// One piece of an XML part, with entity references already resolved into text.
#[derive(Debug)]
pub enum Node<'a> {
    /// An opening tag.
    Start(Element<'a>),
    /// A self-closing tag.
    Empty(Element<'a>),
    /// A closing tag.
    End(EndTag<'a>),
    /// Character data.
    Text(Cow<'a, str>),
}

/// An opening or self-closing tag.
#[derive(Debug)]
pub struct Element<'a>(BytesStart<'a>);

impl Element<'_> {
    /// The local name, without any namespace prefix (`p` for `w:p`).
    pub fn name(&self) -> &str {
        std::str::from_utf8(self.0.local_name().into_inner()).unwrap_or("")
    }

    /// The value of the attribute with local name `local` (any prefix), unescaped.
    pub fn attribute(&self, local: &str) -> Option<String> {
        self.0
            .attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == local.as_bytes())
            .and_then(|a| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(Cow::into_owned)
            })
    }
}

/// A closing tag.
#[derive(Debug)]
pub struct EndTag<'a>(BytesEnd<'a>);

impl EndTag<'_> {
    /// The local name, without any namespace prefix.
    pub fn name(&self) -> &str {
        std::str::from_utf8(self.0.local_name().into_inner()).unwrap_or("")
    }
}

/// Reads the nodes of one XML part safely.
pub struct SafeXml<'a> {
    reader: Reader<&'a [u8]>,
    part: String,
    depth: usize,
    max_depth: usize,
}

impl<'a> SafeXml<'a> {
    /// Starts reading `xml`, the text of `part`, nesting at most `max_depth` elements.
    pub fn new(xml: &'a str, part: &str, max_depth: usize) -> Self {
        SafeXml {
            reader: Reader::from_str(xml),
            part: part.to_owned(),
            depth: 0,
            max_depth,
        }
    }

    /// The next node, `None` at the end of the part.
    pub fn next_node(&mut self) -> Result<Option<Node<'a>>, OoxmlError> {
        loop {
            let event = self.reader.read_event().map_err(|_| self.damaged())?;
            return Ok(Some(match event {
                Event::Start(start) => {
                    self.depth += 1;
                    if self.depth > self.max_depth {
                        return Err(OoxmlError::TooDeep {
                            max: self.max_depth,
                        });
                    }
                    Node::Start(Element(start))
                }
                Event::End(end) => {
                    self.depth = self.depth.saturating_sub(1);
                    Node::End(EndTag(end))
                }
                Event::Empty(start) => Node::Empty(Element(start)),
                Event::Text(text) => Node::Text(text.xml10_content().map_err(|_| self.damaged())?),
                Event::CData(data) => Node::Text(data.xml10_content().map_err(|_| self.damaged())?),
                Event::GeneralRef(reference) => {
                    let resolved = if reference.is_char_ref() {
                        reference.resolve_char_ref().ok().flatten()
                    } else {
                        reference
                            .xml10_content()
                            .ok()
                            .and_then(|name| predefined(&name))
                    };
                    // Any other entity could only come from a declaration, which is refused.
                    let Some(ch) = resolved else {
                        return Err(OoxmlError::Declarations);
                    };
                    Node::Text(Cow::Owned(ch.to_string()))
                }
                Event::DocType(_) => return Err(OoxmlError::Declarations),
                Event::Eof => return Ok(None),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
            }));
        }
    }

    fn damaged(&self) -> OoxmlError {
        OoxmlError::Damaged {
            part: self.part.clone(),
        }
    }
}

fn predefined(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(xml: &str) -> Result<String, OoxmlError> {
        let mut reader = SafeXml::new(xml, "test.xml", 8);
        let mut out = String::new();
        while let Some(node) = reader.next_node()? {
            if let Node::Text(text) = node {
                out.push_str(&text);
            }
        }
        Ok(out)
    }

    #[test]
    fn references_resolve_and_declarations_are_refused() {
        assert_eq!(texts("<a>x &amp; y &#233;</a>").as_deref(), Ok("x & y é"));
        assert_eq!(
            texts("<!DOCTYPE a [<!ENTITY e \"boom\">]><a>&e;</a>"),
            Err(OoxmlError::Declarations)
        );
        assert_eq!(texts("<a>&e;</a>"), Err(OoxmlError::Declarations));
    }

    #[test]
    fn depth_and_malformed_xml_are_refused() {
        let deep = "<a>".repeat(9) + &"</a>".repeat(9);
        assert_eq!(texts(&deep), Err(OoxmlError::TooDeep { max: 8 }));
        assert!(matches!(
            texts("<a><b></a>"),
            Err(OoxmlError::Damaged { .. })
        ));
    }

    #[test]
    fn names_and_attributes_are_local() {
        let mut reader = SafeXml::new(r#"<w:p w:val="Heading1"/>"#, "t", 4);
        let Ok(Some(Node::Empty(e))) = reader.next_node() else {
            panic!("expected an empty element");
        };
        assert_eq!(e.name(), "p");
        assert_eq!(e.attribute("val").as_deref(), Some("Heading1"));
        assert_eq!(e.attribute("other"), None);
    }
}
