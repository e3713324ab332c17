//! Reading a Word draft into an [`Outline`]: headings by style, outline level or numbering,
//! paragraphs, list items and table rows.

use std::collections::HashMap;

use crate::ooxml::{Element, Limits, Node, OoxmlError, Package, SafeXml};

use super::outline::{BlockKind, Outline};

const DOCUMENT: &str = "word/document.xml";
const STYLES: &str = "word/styles.xml";

/// Longest chain of `basedOn` styles followed.
const MAX_STYLE_CHAIN: usize = 16;

/// Most words a bold or numbered line may have and still be read as a heading.
const HEADING_MAX_WORDS: usize = 12;

/// Reads the outline of a `.docx` file.
pub fn read_outline(bytes: &[u8], limits: Limits) -> Result<Outline, OoxmlError> {
    let mut package = Package::open(bytes, limits)?;
    let document = package.required_part(DOCUMENT)?;
    let styles = match package.part(STYLES)? {
        Some(xml) => Styles::parse(&xml, limits.max_depth)?,
        None => Styles::default(),
    };
    parse_document(&document, &styles, limits.max_depth)
}

/// What a paragraph style says about its paragraphs.
#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline_level: Option<u8>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
}

impl Styles {
    fn parse(xml: &str, max_depth: usize) -> Result<Self, OoxmlError> {
        let mut reader = SafeXml::new(xml, STYLES, max_depth);
        let mut styles = Styles::default();
        let mut current: Option<(String, Style)> = None;
        while let Some(node) = reader.next_node()? {
            match node {
                Node::Start(e) | Node::Empty(e) => match (e.name(), current.as_mut()) {
                    ("style", _) => {
                        current = e.attribute("styleId").map(|id| (id, Style::default()));
                    }
                    ("name", Some((_, style))) => {
                        style.name = e.attribute("val").unwrap_or_default().to_lowercase();
                    }
                    ("basedOn", Some((_, style))) => style.based_on = e.attribute("val"),
                    ("outlineLvl", Some((_, style))) => {
                        style.outline_level = e.attribute("val").and_then(|v| v.parse().ok());
                    }
                    ("numId", Some((_, style))) => style.num_id = e.attribute("val"),
                    ("ilvl", Some((_, style))) => {
                        style.ilvl = e.attribute("val").and_then(|v| v.parse().ok());
                    }
                    _ => {}
                },
                Node::End(e) if e.name() == "style" => {
                    if let Some((id, style)) = current.take() {
                        styles.by_id.insert(id, style);
                    }
                }
                _ => {}
            }
        }
        Ok(styles)
    }

    /// The style and its ancestors, nearest first.
    fn chain<'s>(&'s self, id: &str) -> impl Iterator<Item = &'s Style> + 's {
        let mut next = self.by_id.get(id);
        std::iter::from_fn(move || {
            let style = next?;
            next = style.based_on.as_deref().and_then(|b| self.by_id.get(b));
            Some(style)
        })
        .take(MAX_STYLE_CHAIN)
    }

    /// Heading level 1-9 from the style's outline level or its (English) name.
    fn heading_level(&self, id: &str) -> Option<u8> {
        for style in self.chain(id) {
            if let Some(level) = style.outline_level {
                return (level < 9).then_some(level + 1);
            }
            if let Some(level) = heading_name_level(&style.name) {
                return Some(level);
            }
        }
        // A document without styles.xml may still use the built-in ids.
        self.by_id
            .is_empty()
            .then(|| heading_name_level(&id.to_lowercase().replace("heading", "heading ")))
            .flatten()
    }

    fn numbering(&self, id: &str) -> Option<(String, Option<u8>)> {
        self.chain(id)
            .find_map(|s| s.num_id.clone().map(|n| (n, s.ilvl)))
    }

    /// Word's contents styles ("toc 1" to "toc 9", "TOC Heading") and LibreOffice's ("Contents
    /// 1", "Contents Heading"), by name or, without styles.xml, by the built-in ids.
    fn is_contents(&self, id: &str) -> bool {
        if self.by_id.is_empty() {
            return id.to_lowercase().starts_with("toc");
        }
        self.chain(id).any(|s| {
            s.name.starts_with("toc ")
                || s.name == "contents heading"
                || s.name
                    .strip_prefix("contents ")
                    .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        })
    }

    fn is_list(&self, id: &str) -> bool {
        self.chain(id).any(|s| s.name.starts_with("list"))
    }
}

fn heading_name_level(name: &str) -> Option<u8> {
    if name == "title" {
        return Some(1);
    }
    let level: u8 = name.strip_prefix("heading ")?.trim().parse().ok()?;
    (1..=9).contains(&level).then_some(level)
}

/// What is known about the paragraph being read.
#[derive(Debug, Default)]
struct Paragraph {
    text: String,
    style: Option<String>,
    outline_level: Option<u8>,
    num_id: Option<String>,
    ilvl: Option<u8>,
    runs_with_text: usize,
    bold_runs: usize,
}

#[derive(Debug, Default)]
struct State {
    paragraph_depth: usize,
    in_properties: bool,
    in_text: bool,
    run_bold: bool,
    run_has_text: bool,
    table_depth: usize,
    cell: String,
    row: Vec<String>,
    paragraph: Paragraph,
    counters: HashMap<String, [u32; 9]>,
}

fn parse_document(xml: &str, styles: &Styles, max_depth: usize) -> Result<Outline, OoxmlError> {
    let mut reader = SafeXml::new(xml, DOCUMENT, max_depth);
    let mut outline = Outline::default();
    let mut st = State::default();
    while let Some(node) = reader.next_node()? {
        match node {
            Node::Start(e) => start(&mut st, &e, false),
            Node::Empty(e) => start(&mut st, &e, true),
            Node::End(e) => end(&mut st, e.name(), styles, &mut outline),
            Node::Text(text) => {
                if st.in_text && st.paragraph_depth > 0 {
                    st.paragraph.text.push_str(&text);
                    st.run_has_text = true;
                }
            }
        }
    }
    Ok(outline)
}

fn start(st: &mut State, e: &Element<'_>, empty: bool) {
    let val = || e.attribute("val");
    match e.name() {
        "p" if !empty => {
            st.paragraph_depth += 1;
            if st.paragraph_depth == 1 {
                st.paragraph = Paragraph::default();
            }
        }
        "pPr" if !empty => st.in_properties = true,
        "pStyle" if st.in_properties && st.paragraph_depth == 1 => st.paragraph.style = val(),
        "outlineLvl" if st.in_properties && st.paragraph_depth == 1 => {
            st.paragraph.outline_level = val().and_then(|v| v.parse().ok());
        }
        "numId" if st.in_properties && st.paragraph_depth == 1 => st.paragraph.num_id = val(),
        "ilvl" if st.in_properties && st.paragraph_depth == 1 => {
            st.paragraph.ilvl = val().and_then(|v| v.parse().ok());
        }
        "r" if !empty => {
            st.run_bold = false;
            st.run_has_text = false;
        }
        "b" if !st.in_properties => {
            st.run_bold = !matches!(val().as_deref(), Some("0" | "false" | "off"));
        }
        "t" if !empty => st.in_text = true,
        "tab" | "br" | "cr" if !st.in_properties && st.paragraph_depth > 0 => {
            st.paragraph.text.push(' ');
        }
        "tbl" if !empty => st.table_depth += 1,
        "tr" if !empty && st.table_depth == 1 => st.row.clear(),
        "tc" if !empty && st.table_depth == 1 => st.cell.clear(),
        _ => {}
    }
}

fn end(st: &mut State, name: &str, styles: &Styles, outline: &mut Outline) {
    match name {
        "pPr" => st.in_properties = false,
        "t" => st.in_text = false,
        "r" if st.run_has_text => {
            st.paragraph.runs_with_text += 1;
            st.paragraph.bold_runs += usize::from(st.run_bold);
        }
        "p" => {
            st.paragraph_depth = st.paragraph_depth.saturating_sub(1);
            if st.paragraph_depth == 0 {
                let paragraph = std::mem::take(&mut st.paragraph);
                if st.table_depth > 0 {
                    st.cell.push(' ');
                    st.cell.push_str(&paragraph.text);
                } else {
                    let kind = classify(&paragraph, styles, &mut st.counters);
                    outline.push(kind, &paragraph.text);
                }
            }
        }
        "tc" if st.table_depth == 1 => {
            let cell = super::outline::collapse_spaces(&st.cell);
            st.row.push(cell);
        }
        "tr" if st.table_depth == 1 => outline.push_row(&st.row),
        "tbl" => st.table_depth = st.table_depth.saturating_sub(1),
        _ => {}
    }
}

fn classify(
    paragraph: &Paragraph,
    styles: &Styles,
    counters: &mut HashMap<String, [u32; 9]>,
) -> BlockKind {
    let style = paragraph.style.as_deref().unwrap_or("");
    if !style.is_empty() && styles.is_contents(style) {
        return BlockKind::Contents;
    }
    let level = match paragraph.outline_level {
        Some(level) if level < 9 => Some(level + 1),
        Some(_) => None,
        None => styles.heading_level(style),
    };
    let numbering = paragraph
        .num_id
        .clone()
        .map(|n| (n, paragraph.ilvl))
        .or_else(|| styles.numbering(style))
        .filter(|(id, _)| id != "0");
    if let Some(level) = level {
        let number = numbering.map(|(id, ilvl)| {
            let ilvl = ilvl.unwrap_or(level - 1);
            count(counters, &id, ilvl)
        });
        return BlockKind::Heading { level, number };
    }
    if let Some((_, ilvl)) = numbering {
        return BlockKind::ListItem {
            level: ilvl.unwrap_or(0),
        };
    }
    if styles.is_list(style) {
        return BlockKind::ListItem { level: 0 };
    }
    heading_by_look(paragraph).unwrap_or(BlockKind::Paragraph)
}

/// Advances the counter of list `id` at level `ilvl` and returns the label ("2.1").
fn count(counters: &mut HashMap<String, [u32; 9]>, id: &str, ilvl: u8) -> String {
    let level = usize::from(ilvl.min(8));
    let levels = counters.entry(id.to_owned()).or_default();
    levels[level] += 1;
    for deeper in &mut levels[level + 1..] {
        *deeper = 0;
    }
    levels[..=level]
        .iter()
        .map(|n| n.max(&1).to_string())
        .collect::<Vec<_>>()
        .join(".")
}

/// Headings typed by hand: a short line that is all bold, or that starts with a section number
/// ("3.2 Findings"), and does not end like a sentence.
fn heading_by_look(paragraph: &Paragraph) -> Option<BlockKind> {
    let text = paragraph.text.trim();
    let words = text.split_whitespace().count();
    if words == 0 || words > HEADING_MAX_WORDS || text.ends_with(['.', ',', ';', ':']) {
        return None;
    }
    if let Some((number, rest)) = split_section_number(text)
        && rest.chars().next().is_some_and(char::is_uppercase)
    {
        let level = number.split('.').filter(|p| !p.is_empty()).count();
        return Some(BlockKind::Heading {
            level: u8::try_from(level.clamp(1, 9)).unwrap_or(1),
            number: Some(number.trim_end_matches('.').to_owned()),
        });
    }
    let all_bold = paragraph.runs_with_text > 0 && paragraph.bold_runs == paragraph.runs_with_text;
    all_bold.then_some(BlockKind::Heading {
        level: 2,
        number: None,
    })
}

/// "3.2 Findings" → ("3.2", "Findings"); "3. Findings" → ("3.", "Findings").
fn split_section_number(text: &str) -> Option<(&str, &str)> {
    let (number, rest) = text.split_once(char::is_whitespace)?;
    let digits_and_dots = number.chars().all(|c| c.is_ascii_digit() || c == '.');
    (digits_and_dots && number.starts_with(|c: char| c.is_ascii_digit()))
        .then_some((number, rest.trim_start()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES_XML: &str = r#"<w:styles xmlns:w="w">
      <w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>
      <w:style w:type="paragraph" w:styleId="Custom"><w:name w:val="Report Head"/>
        <w:basedOn w:val="Other"/></w:style>
      <w:style w:type="paragraph" w:styleId="Other"><w:name w:val="Other"/>
        <w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/></w:style>
      <w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>
      <w:style w:type="paragraph" w:styleId="Contents2"><w:name w:val="Contents 2"/></w:style>
    </w:styles>"#;

    fn body(paragraphs: &str) -> String {
        format!(r#"<w:document xmlns:w="w"><w:body>{paragraphs}</w:body></w:document>"#)
    }

    fn kinds(paragraphs: &str) -> Vec<(BlockKind, String)> {
        let styles = Styles::parse(STYLES_XML, 64).expect("styles parse");
        parse_document(&body(paragraphs), &styles, 64)
            .expect("document parses")
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect()
    }

    fn heading(level: u8, number: Option<&str>) -> BlockKind {
        BlockKind::Heading {
            level,
            number: number.map(str::to_owned),
        }
    }

    #[test]
    fn headings_by_localised_style_inherited_outline_level_and_look() {
        let got = kinds(
            r#"<w:p><w:pPr><w:pStyle w:val="berschrift1"/></w:pPr><w:r><w:t>Findings</w:t></w:r></w:p>
               <w:p><w:pPr><w:pStyle w:val="Custom"/></w:pPr><w:r><w:t>Detail</w:t></w:r></w:p>
               <w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Recommendations</w:t></w:r></w:p>
               <w:p><w:r><w:t>4.1 What needs to change</w:t></w:r></w:p>
               <w:p><w:r><w:t xml:space="preserve">A sentence </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>ends.</w:t></w:r></w:p>"#,
        );
        assert_eq!(
            got,
            vec![
                (heading(1, None), "Findings".into()),
                (heading(2, None), "Detail".into()),
                (heading(2, None), "Recommendations".into()),
                (heading(2, Some("4.1")), "4.1 What needs to change".into()),
                (BlockKind::Paragraph, "A sentence ends.".into()),
            ]
        );
    }

    #[test]
    fn contents_entries_by_word_and_libreoffice_styles() {
        let got = kinds(
            r#"<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr><w:r><w:t>1. Findings</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>4</w:t></w:r></w:p>
               <w:p><w:pPr><w:pStyle w:val="Contents2"/></w:pPr><w:r><w:t>1.1 Finding one</w:t></w:r></w:p>
               <w:p><w:pPr><w:pStyle w:val="berschrift1"/></w:pPr><w:r><w:t>1. Findings</w:t></w:r></w:p>"#,
        );
        assert_eq!(
            got,
            vec![
                (BlockKind::Contents, "1. Findings 4".into()),
                (BlockKind::Contents, "1.1 Finding one".into()),
                (heading(1, None), "1. Findings".into()),
            ]
        );
    }

    #[test]
    fn lists_tables_and_numbered_headings() {
        let got = kinds(
            r#"<w:p><w:pPr><w:pStyle w:val="berschrift1"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>Scope</w:t></w:r></w:p>
               <w:p><w:pPr><w:pStyle w:val="berschrift1"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>Method</w:t></w:r></w:p>
               <w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>numbered item</w:t></w:r></w:p>
               <w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr><w:r><w:t>bullet</w:t><w:tab/><w:t>tabbed</w:t></w:r></w:p>
               <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Who</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Kent</w:t></w:r></w:p><w:p><w:r><w:t>Police</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
               <w:p><w:r><w:delText>deleted</w:delText><w:instrText>PAGE</w:instrText><w:t>kept</w:t></w:r></w:p>"#,
        );
        assert_eq!(
            got,
            vec![
                (heading(1, Some("1")), "Scope".into()),
                (heading(1, Some("2")), "Method".into()),
                (BlockKind::ListItem { level: 1 }, "numbered item".into()),
                (BlockKind::ListItem { level: 0 }, "bullet tabbed".into()),
                (BlockKind::TableRow, "Who | Kent Police".into()),
                (BlockKind::Paragraph, "kept".into()),
            ]
        );
    }
}
