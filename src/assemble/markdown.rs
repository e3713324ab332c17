//! Markdown (CommonMark with tables) to the document model.
//!
//! The parser is pulldown-cmark with raw HTML read as literal text. Conventions a template may
//! use beyond CommonMark: a first line `% Title` gives the document title, a line
//! `[[contents]]` places the table of contents, a line `[[pagebreak]]` starts a new page and a
//! line `[[widths 1 1 3]]` just before a table gives its relative column widths.
//! Headings deeper than level 3 are shown as level 3. Any input gives a document: nothing here
//! panics.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::escape::{CONTENTS, LINE_BREAK, PAGE_BREAK, WIDTHS};
use super::model::{Block, Inline, plain_text};

/// The blocks of a Markdown text, and its title when the first line is `% Title`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The title given by a `% Title` first line, as plain text.
    pub title: Option<String>,
    /// The blocks, top to bottom (the title block first when there is one).
    pub blocks: Vec<Block>,
}

/// Parses Markdown into blocks.
pub fn parse(markdown: &str) -> Parsed {
    let body = markdown.trim_start_matches(['\n', '\r']);
    let (title, rest) = match body.strip_prefix("% ") {
        Some(after) => {
            let (line, rest) = after.split_once('\n').unwrap_or((after, ""));
            (Some(inlines_of(line)), rest)
        }
        None => (None, body),
    };
    let mut blocks = Vec::new();
    let mut title_text = None;
    if let Some(text) = title {
        title_text = Some(plain_text(&text));
        blocks.push(Block::Title { text });
    }
    blocks.extend(parse_blocks(&mark_directives(rest)));
    Parsed {
        title: title_text,
        blocks,
    }
}

/// The inlines of one line of Markdown (for the title).
fn inlines_of(line: &str) -> Vec<Inline> {
    parse_blocks(line)
        .into_iter()
        .find_map(|block| match block {
            Block::Paragraph { text } | Block::Heading { text, .. } => Some(text),
            _ => None,
        })
        .unwrap_or_default()
}

/// Replaces the directive lines by private markers the converter recognises; escaped values
/// can never produce these lines, because their brackets are backslash-escaped.
fn mark_directives(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.split_inclusive('\n') {
        match line.trim() {
            "[[contents]]" => push_marker(&mut out, CONTENTS),
            "[[pagebreak]]" => push_marker(&mut out, PAGE_BREAK),
            t => match t
                .strip_prefix("[[widths ")
                .and_then(|w| w.strip_suffix("]]"))
            {
                Some(widths) => {
                    out.push('\n');
                    out.push(WIDTHS);
                    out.push_str(widths.trim());
                    out.push_str("\n\n");
                }
                None => out.push_str(line),
            },
        }
    }
    out
}

fn push_marker(out: &mut String, marker: char) {
    out.push('\n');
    out.push(marker);
    out.push_str("\n\n");
}

/// Where inline content is being collected.
#[derive(Debug)]
enum Leaf {
    Paragraph,
    Heading(u8),
    Cell,
}

/// A container of blocks: the document or a list item.
#[derive(Debug, Default)]
struct Container {
    blocks: Vec<Block>,
}

/// An open list: its kind and finished items.
#[derive(Debug)]
struct OpenList {
    ordered: bool,
    items: Vec<Vec<Block>>,
}

/// A table under construction.
#[derive(Debug, Default)]
struct OpenTable {
    header: Vec<Vec<Inline>>,
    rows: Vec<Vec<Vec<Inline>>>,
    row: Vec<Vec<Inline>>,
    in_head: bool,
}

/// Formatting spans open inside a leaf; `None` is a span whose formatting is dropped
/// (links, strike-through) but whose text is kept.
#[derive(Debug)]
enum Span {
    Strong,
    Emphasis,
    Plain,
}

#[derive(Debug)]
struct Converter {
    containers: Vec<Container>,
    lists: Vec<OpenList>,
    table: Option<OpenTable>,
    /// Column widths from a `[[widths]]` line, for the table that comes next.
    widths: Vec<u16>,
    leaf: Option<Leaf>,
    spans: Vec<(Span, Vec<Inline>)>,
    in_code_block: bool,
}

fn parse_blocks(markdown: &str) -> Vec<Block> {
    let mut converter = Converter {
        containers: vec![Container::default()],
        lists: Vec::new(),
        table: None,
        widths: Vec::new(),
        leaf: None,
        spans: Vec::new(),
        in_code_block: false,
    };
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        converter.event(event);
    }
    converter.finish()
}

impl Converter {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::FootnoteReference(text) => self.text(&text),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.push_inline(Inline::LineBreak),
            Event::Rule | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => self.open_leaf(Leaf::Paragraph),
            Tag::Heading { level, .. } => self.open_leaf(Leaf::Heading(heading_level(level))),
            Tag::CodeBlock(_) => {
                self.open_leaf(Leaf::Paragraph);
                self.in_code_block = true;
            }
            Tag::List(start) => {
                self.close_leaf();
                self.lists.push(OpenList {
                    ordered: start.is_some(),
                    items: Vec::new(),
                });
            }
            Tag::Item => {
                self.close_leaf();
                self.containers.push(Container::default());
            }
            Tag::Table(_) => {
                self.close_leaf();
                self.table = Some(OpenTable::default());
            }
            Tag::TableHead => {
                if let Some(table) = self.table.as_mut() {
                    table.in_head = true;
                }
            }
            Tag::TableRow => {
                if let Some(table) = self.table.as_mut() {
                    table.row.clear();
                }
            }
            Tag::TableCell => self.open_leaf(Leaf::Cell),
            Tag::Strong => self.spans.push((Span::Strong, Vec::new())),
            Tag::Emphasis => self.spans.push((Span::Emphasis, Vec::new())),
            _ => self.spans.push((Span::Plain, Vec::new())),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell => self.close_leaf(),
            TagEnd::CodeBlock => {
                self.in_code_block = false;
                self.close_leaf();
            }
            TagEnd::Item => {
                self.close_leaf();
                if self.containers.len() > 1
                    && let Some(item) = self.containers.pop()
                {
                    match self.lists.last_mut() {
                        Some(list) => list.items.push(item.blocks),
                        None => self.push_blocks(item.blocks),
                    }
                }
            }
            TagEnd::List(_) => {
                self.close_leaf();
                if let Some(list) = self.lists.pop() {
                    self.push_block(Block::List {
                        ordered: list.ordered,
                        items: list.items,
                    });
                }
            }
            TagEnd::TableHead => {
                if let Some(table) = self.table.as_mut() {
                    table.header = std::mem::take(&mut table.row);
                    table.in_head = false;
                }
            }
            TagEnd::TableRow => {
                if let Some(table) = self.table.as_mut() {
                    let row = std::mem::take(&mut table.row);
                    table.rows.push(row);
                }
            }
            TagEnd::Table => {
                self.close_leaf();
                if let Some(table) = self.table.take() {
                    let widths = std::mem::take(&mut self.widths);
                    self.push_block(Block::Table {
                        header: table.header,
                        rows: table.rows,
                        widths,
                    });
                }
            }
            TagEnd::Strong | TagEnd::Emphasis => self.close_span(),
            TagEnd::BlockQuote(_) | TagEnd::HtmlBlock => {}
            _ => self.close_span(),
        }
    }

    fn open_leaf(&mut self, leaf: Leaf) {
        self.close_leaf();
        self.leaf = Some(leaf);
        self.spans = vec![(Span::Plain, Vec::new())];
    }

    /// Finishes the leaf being collected, if any, and places it.
    fn close_leaf(&mut self) {
        let Some(leaf) = self.leaf.take() else {
            return;
        };
        while self.spans.len() > 1 {
            self.close_span();
        }
        let text = self
            .spans
            .pop()
            .map(|(_, inlines)| inlines)
            .unwrap_or_default();
        let text = trim_breaks(text);
        match leaf {
            Leaf::Cell => {
                if let Some(table) = self.table.as_mut() {
                    table.row.push(text);
                }
            }
            Leaf::Heading(level) if !text.is_empty() => {
                self.push_block(Block::Heading { level, text });
            }
            Leaf::Paragraph if let Some(widths) = widths_directive(&text) => self.widths = widths,
            Leaf::Paragraph => match marker(&text) {
                Some(CONTENTS) => self.push_block(Block::Contents),
                Some(_) => self.push_block(Block::PageBreak),
                None if !text.is_empty() => self.push_block(Block::Paragraph { text }),
                None => {}
            },
            Leaf::Heading(_) => {}
        }
    }

    fn close_span(&mut self) {
        if self.spans.len() < 2 {
            return;
        }
        let Some((span, content)) = self.spans.pop() else {
            return;
        };
        match span {
            Span::Strong if !content.is_empty() => self.push_inline(Inline::Strong { content }),
            Span::Emphasis if !content.is_empty() => self.push_inline(Inline::Emphasis { content }),
            _ => {
                for inline in content {
                    self.push_inline(inline);
                }
            }
        }
    }

    fn text(&mut self, text: &str) {
        if self.leaf.is_none() {
            // Text straight inside a tight list item: it forms the item's paragraph.
            self.open_leaf(Leaf::Paragraph);
        }
        let text = if self.in_code_block {
            text.strip_suffix('\n').unwrap_or(text)
        } else {
            text
        };
        let code = self.in_code_block;
        let mut first = true;
        for piece in text.split(|c| c == LINE_BREAK || (code && c == '\n')) {
            if !first {
                self.push_inline(Inline::LineBreak);
            }
            first = false;
            if !piece.is_empty() {
                self.push_inline(Inline::text(piece));
            }
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        if self.leaf.is_none() {
            self.open_leaf(Leaf::Paragraph);
        }
        let Some((_, inlines)) = self.spans.last_mut() else {
            return;
        };
        if let (Some(Inline::Text { text: last }), Inline::Text { text }) =
            (inlines.last_mut(), &inline)
        {
            last.push_str(text);
            return;
        }
        inlines.push(inline);
    }

    fn push_block(&mut self, block: Block) {
        // A widths line applies to the table straight after it, and to nothing else.
        self.widths.clear();
        if let Some(container) = self.containers.last_mut() {
            container.blocks.push(block);
        }
    }

    fn push_blocks(&mut self, blocks: Vec<Block>) {
        for block in blocks {
            self.push_block(block);
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.close_leaf();
        while self.containers.len() > 1 {
            if let Some(item) = self.containers.pop() {
                self.push_blocks(item.blocks);
            }
        }
        if let Some(table) = self.table.take() {
            self.push_block(Block::Table {
                header: table.header,
                rows: table.rows,
                widths: Vec::new(),
            });
        }
        while let Some(list) = self.lists.pop() {
            self.push_block(Block::List {
                ordered: list.ordered,
                items: list.items,
            });
        }
        self.containers.pop().map(|c| c.blocks).unwrap_or_default()
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        _ => 3,
    }
}

/// The directive marker a paragraph consists of, if it is one.
fn marker(text: &[Inline]) -> Option<char> {
    match text {
        [Inline::Text { text }] => match text.trim() {
            t if t == CONTENTS.to_string() => Some(CONTENTS),
            t if t == PAGE_BREAK.to_string() => Some(PAGE_BREAK),
            _ => None,
        },
        _ => None,
    }
}

/// The numbers of a `[[widths]]` line, if the paragraph is one; numbers that do not read as
/// whole numbers up to 65535 give no widths, so the table's columns follow its content.
fn widths_directive(text: &[Inline]) -> Option<Vec<u16>> {
    let [Inline::Text { text }] = text else {
        return None;
    };
    let numbers = text.trim().strip_prefix(WIDTHS)?;
    Some(
        numbers
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<Vec<u16>, _>>()
            .unwrap_or_default(),
    )
}

/// Drops line breaks at either end of a run: they carry nothing.
fn trim_breaks(mut text: Vec<Inline>) -> Vec<Inline> {
    while matches!(text.last(), Some(Inline::LineBreak)) {
        text.pop();
    }
    let leading = text
        .iter()
        .take_while(|inline| matches!(inline, Inline::LineBreak))
        .count();
    text.drain(..leading);
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assemble::escape::escape_markdown;

    fn text(s: &str) -> Vec<Inline> {
        vec![Inline::text(s)]
    }

    #[test]
    fn title_headings_and_directives() {
        let parsed = parse(
            "% Rapid review\n\n[[contents]]\n\n# One\n\n#### Deep\n\n[[pagebreak]]\n\nBody *it* **b**  \nnext\n",
        );
        assert_eq!(parsed.title.as_deref(), Some("Rapid review"));
        assert_eq!(
            parsed.blocks,
            vec![
                Block::Title {
                    text: text("Rapid review")
                },
                Block::Contents,
                Block::Heading {
                    level: 1,
                    text: text("One")
                },
                Block::Heading {
                    level: 3,
                    text: text("Deep")
                },
                Block::PageBreak,
                Block::Paragraph {
                    text: vec![
                        Inline::text("Body "),
                        Inline::Emphasis {
                            content: text("it")
                        },
                        Inline::text(" "),
                        Inline::Strong { content: text("b") },
                        Inline::LineBreak,
                        Inline::text("next"),
                    ]
                },
            ]
        );
    }

    #[test]
    fn tables_take_the_first_row_as_header() {
        let parsed = parse("| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n");
        assert_eq!(
            parsed.blocks,
            vec![Block::Table {
                header: vec![text("A"), text("B")],
                rows: vec![vec![text("1"), text("2")], vec![text("3"), text("4")]],
                widths: Vec::new()
            }]
        );
    }

    #[test]
    fn a_widths_line_sets_the_columns_of_the_next_table_only() {
        let widths = |blocks: &[Block]| -> Vec<Vec<u16>> {
            blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Table { widths, .. } => Some(widths.clone()),
                    _ => None,
                })
                .collect()
        };
        let table = "| A | B |\n|---|---|\n| 1 | 2 |\n";
        let parsed = parse(&format!("[[widths 1 3]]\n{table}\n{table}"));
        assert_eq!(widths(&parsed.blocks), [vec![1, 3], vec![]]);
        assert_eq!(parsed.blocks.len(), 2, "{:?}", parsed.blocks);
        let parsed = parse(&format!("[[widths 1 3]]\n\nText\n\n{table}"));
        assert_eq!(widths(&parsed.blocks), [Vec::<u16>::new()]);
        let parsed = parse(&format!("[[widths 1 x]]\n{table}"));
        assert_eq!(widths(&parsed.blocks), [Vec::<u16>::new()]);
        let escaped = crate::assemble::escape::escape_markdown("[[widths 1 3]]");
        let parsed = parse(&format!("{escaped}\n\n{table}"));
        assert_eq!(parsed.blocks.len(), 2, "typed text is never a directive");
    }

    #[test]
    fn nested_lists_keep_their_items() {
        let parsed = parse("- a\n  1. b\n  2. c\n- d\n");
        let Some(Block::List { ordered, items }) = parsed.blocks.first() else {
            panic!("expected a list, got {:?}", parsed.blocks);
        };
        assert!(!ordered);
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0],
            vec![
                Block::Paragraph { text: text("a") },
                Block::List {
                    ordered: true,
                    items: vec![
                        vec![Block::Paragraph { text: text("b") }],
                        vec![Block::Paragraph { text: text("c") }]
                    ]
                }
            ]
        );
    }

    #[test]
    fn raw_html_is_literal_text() {
        let parsed = parse("<b>x</b> and <script>y</script>\n");
        let all: String = parsed
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph { text } => plain_text(text),
                _ => String::new(),
            })
            .collect();
        assert_eq!(all, "<b>x</b> and <script>y</script>");
    }

    #[test]
    fn escaped_values_read_back_exactly_in_cells_and_paragraphs() {
        let typed = "| # *x* _y_ [z](u) `c` <b> {{v}} \\ 1. - [[contents]]";
        let cell = escape_markdown(typed);
        let parsed = parse(&format!("| H |\n|---|\n| {cell} |\n\n{cell}\n"));
        assert_eq!(
            parsed.blocks,
            vec![
                Block::Table {
                    header: vec![text("H")],
                    rows: vec![vec![text(typed)]],
                    widths: Vec::new()
                },
                Block::Paragraph { text: text(typed) }
            ]
        );
    }

    #[test]
    fn typed_line_breaks_become_breaks_even_in_cells() {
        let cell = escape_markdown("one\ntwo");
        let parsed = parse(&format!("| H |\n|---|\n| {cell} |\n"));
        assert_eq!(
            parsed.blocks,
            vec![Block::Table {
                header: vec![text("H")],
                rows: vec![vec![vec![
                    Inline::text("one"),
                    Inline::LineBreak,
                    Inline::text("two")
                ]]],
                widths: Vec::new()
            }]
        );
    }

    const ALPHABET: &[char] = &[
        '*', '_', '#', '|', '-', '1', '.', ' ', '\n', '\t', '[', ']', '(', ')', '<', '>', '`',
        '\\', '!', '%', 'a', 'Z', '{', '}', '~', '=', ':', '&', ';', '\u{E000}', '\u{E001}', 'é',
        '>',
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Any text a person types, Markdown characters and all, parses without a panic, and
        /// once escaped comes back as one paragraph showing exactly what was typed.
        #[test]
        fn typed_text_never_panics_and_escapes_exactly(
            picks in proptest::collection::vec(0..ALPHABET.len(), 0..120)
        ) {
            let input: String = picks.iter().filter_map(|&at| ALPHABET.get(at)).collect();
            let _ = parse(&input);
            let round = parse(&escape_markdown(&input));
            let shown: String = round
                .blocks
                .iter()
                .map(|b| match b {
                    Block::Paragraph { text } => plain_text(text),
                    _ => String::new(),
                })
                .collect();
            let expected: String = input
                .chars()
                .filter(|c| !matches!(c, '\u{E000}'..='\u{E00F}'))
                .map(|c| if c == '\n' { ' ' } else { c })
                .collect();
            proptest::prop_assert!(round.blocks.len() <= 1, "{:?} gave {:?}", input, round.blocks);
            proptest::prop_assert_eq!(
                shown.trim_matches([' ', '\t']),
                expected.trim_matches([' ', '\t']),
                "{:?}",
                input
            );
        }
    }
}
