//! From the document model to a docx-rs document: styles, numbering, body, header and footer.
//!
//! What docx-rs cannot express (repeating header rows, title and language properties, schema
//! element order, a theme) is added afterwards by [`super::package`].

use docx_rs::{
    BreakType, Docx, Footer, Header, Hyperlink, HyperlinkType, IndentLevel, InstrText, InstrToC,
    NumPages, NumberingId, PageMargin, PageNum, Paragraph, Run,
};

use super::numbering::{self, BULLETS, INDENT_STEP, MAX_LEVEL};
use super::styles;
use super::table;
use super::text::{self, RunStyle};
use crate::assemble::model::{Block, CONTENTS_DEPTH, Document, Inline};

/// A4 portrait, in twentieths of a point.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
/// 2.54 cm margins all round.
const MARGIN: i32 = 1440;
/// Width of the text block, which tables fill.
const TEXT_WIDTH: usize = (PAGE_WIDTH as usize) - 2 * (MARGIN as usize);

/// The docx-rs document for `doc`, ready to pack.
pub(crate) fn build(doc: &Document) -> Docx {
    let mut headings = Vec::new();
    collect_headings(&doc.blocks, &mut headings);
    let mut builder = Builder {
        docx: numbering::define(base(doc)),
        headings,
        headings_emitted: 0,
        next_num_id: BULLETS + 1,
        ends_with_table: false,
    };
    for block in &doc.blocks {
        builder.block(block, 0);
    }
    if builder.ends_with_table {
        // Word expects the body to end with a paragraph, not a table.
        builder.add(Paragraph::new());
    }
    builder.docx
}

/// Page setup, default font, styles, header and footer.
fn base(doc: &Document) -> Docx {
    let title = text::clean(&doc.meta.title);
    let marking = text::clean(&doc.meta.marking);
    let marking_line = |style: &str| {
        Paragraph::new()
            .style(style)
            .align(docx_rs::AlignmentType::Center)
            .add_run(Run::new().bold().add_text(marking.clone()))
    };
    let header = Header::new()
        .add_paragraph(marking_line(styles::HEADER))
        .add_paragraph(
            Paragraph::new()
                .style(styles::HEADER)
                .align(docx_rs::AlignmentType::Center)
                .add_run(Run::new().add_text(title)),
        );
    let footer = Footer::new()
        .add_paragraph(
            Paragraph::new()
                .style(styles::FOOTER)
                .add_run(Run::new().add_text("Page "))
                .add_page_num(PageNum::new())
                .add_run(Run::new().add_text(" of "))
                .add_num_pages(NumPages::new()),
        )
        .add_paragraph(marking_line(styles::FOOTER));
    let docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                .header(708)
                .footer(708)
                .gutter(0),
        )
        .default_fonts(styles::fonts())
        .default_size(styles::BODY_SIZE)
        .default_line_spacing(styles::default_spacing())
        .header(header)
        .footer(footer);
    styles::all().into_iter().fold(docx, Docx::add_style)
}

/// One table-of-contents entry: a heading's level and plain text.
struct HeadingEntry {
    level: u8,
    text: String,
}

/// Every heading, in the order the builder will meet them.
fn collect_headings(blocks: &[Block], out: &mut Vec<HeadingEntry>) {
    for block in blocks {
        match block {
            Block::Heading { level, text } => out.push(HeadingEntry {
                level: (*level).clamp(1, 3),
                text: text::clean(&crate::assemble::model::plain_text(text)),
            }),
            Block::List { items, .. } => items.iter().for_each(|i| collect_headings(i, out)),
            _ => {}
        }
    }
}

/// The bookmark a heading carries and its contents entry links to.
fn bookmark_name(index: usize) -> String {
    format!("_Toc{:08}", index + 1)
}

struct Builder {
    docx: Docx,
    headings: Vec<HeadingEntry>,
    headings_emitted: usize,
    next_num_id: usize,
    ends_with_table: bool,
}

impl Builder {
    fn add(&mut self, paragraph: Paragraph) {
        self.docx = std::mem::take(&mut self.docx).add_paragraph(paragraph);
        self.ends_with_table = false;
    }

    fn block(&mut self, block: &Block, depth: usize) {
        match block {
            Block::Title { text } => self.add(with_runs(
                Paragraph::new().style(styles::TITLE),
                text,
                RunStyle::default(),
            )),
            Block::Heading { level, text } => self.heading(*level, text),
            Block::Paragraph { text } => {
                self.add(with_runs(Paragraph::new(), text, RunStyle::default()))
            }
            Block::List { ordered, items } => self.list(*ordered, items, depth),
            Block::Table { header, rows } => self.table(header, rows),
            Block::Contents => self.contents(),
            Block::PageBreak => {
                self.add(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
            }
        }
    }

    fn heading(&mut self, level: u8, text: &[Inline]) {
        let index = self.headings_emitted;
        self.headings_emitted += 1;
        let id = index + 1;
        let paragraph = Paragraph::new()
            .style(styles::heading(level.clamp(1, 3)))
            .add_bookmark_start(id, bookmark_name(index));
        let paragraph = with_runs(paragraph, text, RunStyle::default()).add_bookmark_end(id);
        self.add(paragraph);
    }

    /// A real TOC field whose result is already filled in with the headings that follow, so it
    /// reads correctly before anyone updates it (LibreOffice shows an empty field as its code).
    fn contents(&mut self) {
        self.add(
            Paragraph::new()
                .style(styles::TOC_HEADING)
                .add_run(Run::new().add_text("Contents")),
        );
        let field_start = Run::new()
            .add_field_char(docx_rs::FieldCharType::Begin, false)
            .add_instr_text(InstrText::TOC(
                InstrToC::new()
                    .heading_styles_range(1, usize::from(CONTENTS_DEPTH))
                    .hyperlink(),
            ))
            .add_field_char(docx_rs::FieldCharType::Separate, false);
        let field_end = Run::new().add_field_char(docx_rs::FieldCharType::End, false);
        let first = self.headings_emitted.min(self.headings.len());
        let entries: Vec<(usize, u8, String)> = self.headings[first..]
            .iter()
            .enumerate()
            .filter(|(_, e)| e.level <= CONTENTS_DEPTH)
            .map(|(i, e)| (first + i, e.level, e.text.clone()))
            .collect();
        if entries.is_empty() {
            self.add(
                Paragraph::new()
                    .style(styles::toc(1))
                    .add_run(field_start)
                    .add_run(field_end),
            );
            return;
        }
        let last = entries.len() - 1;
        for (i, (index, level, text)) in entries.into_iter().enumerate() {
            let mut paragraph = Paragraph::new().style(styles::toc(level));
            if i == 0 {
                paragraph = paragraph.add_run(field_start.clone());
            }
            paragraph = paragraph.add_hyperlink(
                Hyperlink::new(bookmark_name(index), HyperlinkType::Anchor)
                    .add_run(Run::new().add_text(text)),
            );
            if i == last {
                paragraph = paragraph.add_run(field_end.clone());
            }
            self.add(paragraph);
        }
    }

    fn list(&mut self, ordered: bool, items: &[Vec<Block>], depth: usize) {
        let level = depth.min(MAX_LEVEL);
        let (num_id, style) = if ordered {
            let id = self.next_num_id;
            self.next_num_id += 1;
            self.docx = numbering::add_numbered(std::mem::take(&mut self.docx), id, level);
            (id, styles::LIST_NUMBER)
        } else {
            (BULLETS, styles::LIST_BULLET)
        };
        for item in items {
            for (i, block) in item.iter().enumerate() {
                match block {
                    Block::Paragraph { text } if i == 0 => self.add(with_runs(
                        Paragraph::new()
                            .style(style)
                            .numbering(NumberingId::new(num_id), IndentLevel::new(level)),
                        text,
                        RunStyle::default(),
                    )),
                    Block::Paragraph { text } => self.add(with_runs(
                        Paragraph::new().style(styles::LIST_CONTINUE).indent(
                            Some((level as i32 + 1) * INDENT_STEP),
                            None,
                            None,
                            None,
                        ),
                        text,
                        RunStyle::default(),
                    )),
                    Block::List { ordered, items } => self.list(*ordered, items, depth + 1),
                    other => self.block(other, depth),
                }
            }
        }
    }

    fn table(&mut self, header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) {
        let table = table::table(header, rows, TEXT_WIDTH);
        self.docx = std::mem::take(&mut self.docx).add_table(table);
        self.ends_with_table = true;
    }
}

/// A paragraph with the runs for `inlines` appended.
pub(crate) fn with_runs(paragraph: Paragraph, inlines: &[Inline], style: RunStyle) -> Paragraph {
    text::runs(inlines, style)
        .into_iter()
        .fold(paragraph, Paragraph::add_run)
}
