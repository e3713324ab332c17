//! The Word styles every generated document carries, under Word's own built-in names so that
//! the navigation pane, the table of contents and screen readers recognise them.

use docx_rs::{
    AlignmentType, BorderType, LineSpacing, RunFonts, Style, StyleType, TableBorder,
    TableBorderPosition, TableBorders,
};

/// Style id of the document title.
pub(crate) const TITLE: &str = "Title";
/// Style id of the heading above the table of contents.
pub(crate) const TOC_HEADING: &str = "TOCHeading";
/// Style id of a bulleted list item.
pub(crate) const LIST_BULLET: &str = "ListBullet";
/// Style id of a numbered list item.
pub(crate) const LIST_NUMBER: &str = "ListNumber";
/// Style id of a list item's second and later paragraphs.
pub(crate) const LIST_CONTINUE: &str = "ListContinue";
/// Style id of every table.
pub(crate) const TABLE_GRID: &str = "TableGrid";
/// Style id of page header paragraphs.
pub(crate) const HEADER: &str = "Header";
/// Style id of page footer paragraphs.
pub(crate) const FOOTER: &str = "Footer";

/// The body font: Arial is what GOV.UK documents use; LibreOffice substitutes the
/// metric-compatible Liberation Sans.
const FONT: &str = "Arial";
/// Body text size in half-points (12 pt, for readability).
pub(crate) const BODY_SIZE: usize = 24;

/// Style id of heading `level` (1 to 3).
pub(crate) fn heading(level: u8) -> &'static str {
    match level {
        0 | 1 => "Heading1",
        2 => "Heading2",
        _ => "Heading3",
    }
}

/// Style id of table-of-contents entry `level` (1 to 3).
pub(crate) fn toc(level: u8) -> &'static str {
    match level {
        0 | 1 => "TOC1",
        2 => "TOC2",
        _ => "TOC3",
    }
}

/// The default font for every run.
pub(crate) fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT)
}

/// Spacing around every paragraph unless its style says otherwise (docx-rs writes the
/// "Normal" style itself, so this goes in the document defaults).
pub(crate) fn default_spacing() -> LineSpacing {
    spacing(0, 160)
}

/// Spacing inside table cells: tighter than body text.
pub(crate) fn cell_spacing() -> LineSpacing {
    spacing(40, 40)
}

fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new().before(before).after(after)
}

fn paragraph(id: &str, name: &str) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
}

fn heading_style(level: u8, size: usize) -> Style {
    let mut style = paragraph(heading(level), &format!("heading {level}"))
        .bold()
        .size(size)
        .line_spacing(spacing(360, 120))
        .outline_lvl(usize::from(level - 1));
    style.paragraph_property = style.paragraph_property.keep_next(true);
    style
}

fn toc_style(level: u8) -> Style {
    let indent = i32::from(level - 1) * 240;
    paragraph(toc(level), &format!("toc {level}"))
        .indent(Some(indent), None, None, None)
        .line_spacing(spacing(0, 100))
        .ui_priority(39)
}

/// All the styles, in the order they are written to `styles.xml`.
pub(crate) fn all() -> Vec<Style> {
    let grid_border = |position| {
        TableBorder::new(position)
            .border_type(BorderType::Single)
            .size(4)
            .color("000000")
    };
    let borders = [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ]
    .into_iter()
    .fold(TableBorders::new(), |b, p| b.set(grid_border(p)));
    vec![
        paragraph(TITLE, "Title")
            .bold()
            .size(48)
            .line_spacing(spacing(0, 240)),
        heading_style(1, 36),
        heading_style(2, 30),
        heading_style(3, 26),
        paragraph(LIST_BULLET, "List Bullet").ui_priority(99),
        paragraph(LIST_NUMBER, "List Number").ui_priority(99),
        paragraph(LIST_CONTINUE, "List Continue").ui_priority(99),
        paragraph(TOC_HEADING, "TOC Heading")
            .bold()
            .size(36)
            .line_spacing(spacing(240, 120))
            .ui_priority(39),
        toc_style(1),
        toc_style(2),
        toc_style(3),
        paragraph(HEADER, "header").size(20),
        paragraph(FOOTER, "footer")
            .size(20)
            .align(AlignmentType::Center),
        Style::new(TABLE_GRID, StyleType::Table)
            .name("Table Grid")
            .ui_priority(59)
            .set_borders(borders),
    ]
}
