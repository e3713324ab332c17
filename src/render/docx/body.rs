//! `word/document.xml`: the body written block by block, every element in schema order.
//!
//! Headings carry a bookmark that their contents entry links to; numbered lists get a fresh
//! numbering instance each (so each starts at 1), listed for `numbering.xml`; tables are written
//! by [`super::table`] and form fields by [`super::field`].

use std::fmt::Write as _;

use super::runs::{RunStyle, open_paragraph, paragraph, run, runs};
use super::{Piece, chart, field, table};
use crate::assemble::model::{Block, CONTENTS_DEPTH, Inline, plain_text};

/// The root element and body start.
const START: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" ",
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>"
);

/// A4 portrait with 2.54 cm margins, the header and footer (relationship ids fixed in
/// `parts/document.xml.rels`), then the end of the body.
const END: &str = concat!(
    "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId6\"/>",
    "<w:footerReference w:type=\"default\" r:id=\"rId7\"/>",
    "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>",
    "<w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"708\" ",
    "w:footer=\"708\" w:gutter=\"0\"/><w:cols w:space=\"708\"/><w:docGrid w:linePitch=\"360\"/>",
    "</w:sectPr></w:body></w:document>"
);

/// Width of the text block (A4 less two margins), in twentieths of a point: tables fill it.
pub(crate) const TEXT_WIDTH: u32 = 11906 - 2 * 1440;

/// Word supports nine list levels (0 to 8); deeper lists stay at the last one.
const MAX_LEVEL: usize = 8;
/// Indent per list level, in twentieths of a point (as in `parts/numbering.xml`).
const INDENT_STEP: usize = 360;
/// The numbering instance of every bulleted list (`parts/numbering.xml`).
const BULLETS: usize = 1;
/// The first numbering instance given to a numbered list; 1 and 2 are the static ones.
pub(crate) const FIRST_LIST: usize = 3;

/// A heading's level (1 to 3) and plain text, for the contents.
struct Heading {
    level: u8,
    text: String,
}

/// Every heading in the order the writer meets them.
fn collect_headings<'a>(blocks: impl Iterator<Item = &'a Block>, out: &mut Vec<Heading>) {
    for block in blocks {
        match block {
            Block::Heading { level, text } => out.push(Heading {
                level: (*level).clamp(1, 3),
                text: plain_text(text),
            }),
            Block::List { items, .. } => {
                for item in items {
                    collect_headings(item.iter(), out);
                }
            }
            _ => {}
        }
    }
}

/// The body being written.
struct Body {
    out: String,
    headings: Vec<Heading>,
    headings_written: usize,
    /// The level each numbered list starts at; list `n` is numbering instance `FIRST_LIST + n`.
    numbered: Vec<usize>,
    fields_written: usize,
    ends_with_table: bool,
}

/// The `document.xml` for `pieces`, and the level of each numbered list in it.
pub(crate) fn document(pieces: &[Piece<'_>]) -> (String, Vec<usize>) {
    let mut headings = Vec::new();
    let blocks = pieces.iter().filter_map(|piece| match piece {
        Piece::Block(block) => Some(block.as_ref()),
        Piece::Field(_) => None,
    });
    collect_headings(blocks, &mut headings);
    let mut body = Body {
        out: String::with_capacity(4096 + pieces.len() * 512),
        headings,
        headings_written: 0,
        numbered: Vec::new(),
        fields_written: 0,
        ends_with_table: false,
    };
    body.out.push_str(START);
    for piece in pieces {
        match piece {
            Piece::Block(block) => body.block(block, 0),
            Piece::Field(form_field) => {
                body.fields_written += 1;
                field::write(&mut body.out, body.fields_written, form_field);
                body.ends_with_table = false;
            }
        }
    }
    if body.ends_with_table {
        // The body may not end with a table: Word wants a paragraph last.
        body.out.push_str("<w:p/>");
    }
    body.out.push_str(END);
    (body.out, body.numbered)
}

/// The bookmark a heading carries and its contents entry links to.
fn bookmark_name(index: usize) -> String {
    format!("_Toc{:08}", index + 1)
}

impl Body {
    fn block(&mut self, block: &Block, depth: usize) {
        self.ends_with_table = false;
        match block {
            Block::Title { text } => {
                paragraph(&mut self.out, Some("Title"), text, RunStyle::default());
            }
            Block::Heading { level, text } => self.heading(*level, text),
            Block::Paragraph { text } => paragraph(&mut self.out, None, text, RunStyle::default()),
            Block::List { ordered, items } => self.list(*ordered, items, depth),
            Block::Table {
                header,
                rows,
                widths,
            } => {
                table::write(&mut self.out, header, rows, widths, TEXT_WIDTH);
                self.ends_with_table = true;
            }
            Block::Chart(c) => {
                chart::write(&mut self.out, c, TEXT_WIDTH);
                self.ends_with_table = true;
            }
            Block::Contents => self.contents(),
            Block::PageBreak => self
                .out
                .push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"),
        }
    }

    fn heading(&mut self, level: u8, text: &[Inline]) {
        let index = self.headings_written;
        self.headings_written += 1;
        let style = match level {
            0 | 1 => "Heading1",
            2 => "Heading2",
            _ => "Heading3",
        };
        let out = &mut self.out;
        open_paragraph(out, Some(style), "");
        let id = index + 1;
        let _ = write!(
            out,
            "<w:bookmarkStart w:id=\"{id}\" w:name=\"{}\"/>",
            bookmark_name(index)
        );
        runs(out, text, RunStyle::default());
        let _ = write!(out, "<w:bookmarkEnd w:id=\"{id}\"/></w:p>");
    }

    /// A real TOC field whose result is already filled in with the headings that follow, each
    /// a link to its heading, so it reads correctly before anyone updates it (LibreOffice shows
    /// an empty field as its code).
    fn contents(&mut self) {
        const BEGIN: &str = concat!(
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>",
            "<w:r><w:instrText xml:space=\"preserve\"> TOC \\o &quot;1-",
        );
        const SEPARATE: &str = concat!(
            "&quot; \\h </w:instrText></w:r>",
            "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
        );
        const END: &str = "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>";
        let out = &mut self.out;
        open_paragraph(out, Some("TOCHeading"), "");
        run(out, "Contents", RunStyle::default());
        out.push_str("</w:p>");
        let first = self.headings_written.min(self.headings.len());
        let entries: Vec<(usize, &Heading)> = self.headings[first..]
            .iter()
            .enumerate()
            .filter(|(_, h)| h.level <= CONTENTS_DEPTH)
            .map(|(i, h)| (first + i, h))
            .collect();
        let begin = || format!("{BEGIN}{CONTENTS_DEPTH}{SEPARATE}");
        if entries.is_empty() {
            open_paragraph(out, Some("TOC1"), "");
            out.push_str(&begin());
            out.push_str(END);
            out.push_str("</w:p>");
            return;
        }
        let last = entries.len() - 1;
        for (n, (index, heading)) in entries.into_iter().enumerate() {
            let style = if heading.level == 1 { "TOC1" } else { "TOC2" };
            open_paragraph(out, Some(style), "");
            if n == 0 {
                out.push_str(&begin());
            }
            out.push_str("<w:hyperlink w:anchor=\"");
            out.push_str(&bookmark_name(index));
            out.push_str("\" w:history=\"1\">");
            run(out, &heading.text, RunStyle::default());
            out.push_str("</w:hyperlink>");
            if n == last {
                out.push_str(END);
            }
            out.push_str("</w:p>");
        }
    }

    fn list(&mut self, ordered: bool, items: &[Vec<Block>], depth: usize) {
        let level = depth.min(MAX_LEVEL);
        let (num_id, style) = if ordered {
            self.numbered.push(level);
            (FIRST_LIST + self.numbered.len() - 1, "ListNumber")
        } else {
            (BULLETS, "ListBullet")
        };
        let numbering =
            format!("<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{num_id}\"/></w:numPr>");
        let indent = format!("<w:ind w:left=\"{}\"/>", (level + 1) * INDENT_STEP);
        for item in items {
            for (i, block) in item.iter().enumerate() {
                match block {
                    Block::Paragraph { text } => {
                        self.ends_with_table = false;
                        let (style, properties) = if i == 0 {
                            (style, &numbering)
                        } else {
                            ("ListContinue", &indent)
                        };
                        open_paragraph(&mut self.out, Some(style), properties);
                        runs(&mut self.out, text, RunStyle::default());
                        self.out.push_str("</w:p>");
                    }
                    Block::List { ordered, items } => self.list(*ordered, items, depth + 1),
                    other => self.block(other, depth),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn body(blocks: &[Block]) -> (String, Vec<usize>) {
        let pieces: Vec<Piece<'_>> = blocks
            .iter()
            .map(|b| Piece::Block(Cow::Borrowed(b)))
            .collect();
        let (xml, numbered) = document(&pieces);
        let start = xml.find("<w:body>").map_or(0, |at| at + "<w:body>".len());
        let end = xml.find("<w:sectPr>").unwrap_or(xml.len());
        (xml[start..end].to_owned(), numbered)
    }

    fn para(s: &str) -> Block {
        Block::Paragraph {
            text: vec![Inline::text(s)],
        }
    }

    #[test]
    fn typed_tabs_and_newlines_become_word_tabs_and_breaks() {
        let (xml, _) = body(&[para("a\tb\nc & <d>")]);
        assert_eq!(
            xml,
            "<w:p><w:r><w:t xml:space=\"preserve\">a</w:t><w:tab/><w:t xml:space=\"preserve\">b\
             </w:t><w:br/><w:t xml:space=\"preserve\">c &amp; &lt;d&gt;</w:t></w:r></w:p>"
        );
    }

    #[test]
    fn nested_formatting_reaches_the_run_properties_in_schema_order() {
        let inlines = vec![Inline::Strong {
            content: vec![Inline::Emphasis {
                content: vec![Inline::text("both")],
            }],
        }];
        let (xml, _) = body(&[Block::Paragraph { text: inlines }]);
        assert!(
            xml.contains("<w:rPr><w:b/><w:bCs/><w:i/><w:iCs/></w:rPr>"),
            "{xml}"
        );
    }

    #[test]
    fn each_numbered_list_gets_its_own_instance_and_bullets_share_one() {
        let list = |ordered, items: Vec<Vec<Block>>| Block::List { ordered, items };
        let inner = list(true, vec![vec![para("x")]]);
        let (xml, numbered) = body(&[
            list(true, vec![vec![para("a"), inner, para("more")]]),
            list(false, vec![vec![para("b")]]),
            list(true, vec![vec![para("c")]]),
        ]);
        assert_eq!(numbered, [0, 1, 0]);
        for expected in [
            "<w:ilvl w:val=\"0\"/><w:numId w:val=\"3\"/>",
            "<w:ilvl w:val=\"1\"/><w:numId w:val=\"4\"/>",
            "<w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/>",
            "<w:ilvl w:val=\"0\"/><w:numId w:val=\"5\"/>",
            "<w:pStyle w:val=\"ListContinue\"/><w:ind w:left=\"360\"/>",
        ] {
            assert!(xml.contains(expected), "{expected} in {xml}");
        }
    }

    #[test]
    fn contents_link_to_the_headings_after_them_down_to_the_contents_depth() {
        let heading = |level, s: &str| Block::Heading {
            level,
            text: vec![Inline::text(s)],
        };
        let (xml, _) = body(&[
            heading(1, "Before"),
            Block::Contents,
            heading(1, "One"),
            heading(3, "Deep"),
            heading(2, "Two"),
        ]);
        assert_eq!(xml.matches("<w:hyperlink ").count(), 2, "{xml}");
        assert!(xml.contains("w:anchor=\"_Toc00000002\""));
        assert!(xml.contains("w:anchor=\"_Toc00000004\""));
        assert!(xml.contains("<w:bookmarkStart w:id=\"3\" w:name=\"_Toc00000003\"/>"));
        assert_eq!(xml.matches("fldCharType=\"begin\"").count(), 1);
        assert_eq!(xml.matches("fldCharType=\"end\"").count(), 1);
        let (empty, _) = body(&[Block::Contents]);
        assert!(empty.contains(
            "<w:pStyle w:val=\"TOC1\"/></w:pPr><w:r><w:fldChar w:fldCharType=\"begin\"/>"
        ));
        assert!(empty.contains("fldCharType=\"end\""));
    }

    #[test]
    fn a_body_ending_with_a_table_gets_a_last_paragraph() {
        let table = Block::Table {
            header: vec![],
            rows: vec![],
            widths: vec![],
        };
        let (xml, _) = body(&[table]);
        assert!(xml.ends_with("</w:tbl><w:p/>"), "{xml}");
    }
}
