//! Tables: Table Grid style, a bold header row repeated on every page, short rows kept whole,
//! columns as wide as the template's `widths` hint says or, without one, as their content
//! suggests.

use std::fmt::Write as _;

use super::runs::{RunStyle, runs};
use crate::assemble::model::Inline;
use crate::render::KEEP_ROW_TOGETHER_CHARS;

/// Rough width of one character of 12 pt Arial, and of a cell's left and right padding, in
/// twentieths of a point: enough to guess how wide a column wants to be.
const CHAR_WIDTH: usize = 130;
const CELL_PADDING: usize = 230;
/// A column whose cells are all shorter than this many characters is never wrapped unless the
/// table cannot fit otherwise; longer columns wrap and share what width is left.
const SHORT_CELL_CHARS: usize = 20;

/// Writes the table for a header row and body rows, `text_width` twentieths of a point wide.
pub(crate) fn write(
    out: &mut String,
    header: &[Vec<Inline>],
    rows: &[Vec<Vec<Inline>>],
    hint: &[u16],
    text_width: u32,
) {
    let text_width = text_width as usize;
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain([header.len()])
        .max()
        .unwrap_or(0)
        .max(1);
    let widths = hinted_widths(hint, columns, text_width)
        .unwrap_or_else(|| column_widths(header, rows, columns, text_width));
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"{text_width}\" \
         w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
    );
    for width in &widths {
        let _ = write!(out, "<w:gridCol w:w=\"{width}\"/>");
    }
    out.push_str("</w:tblGrid>");
    row(out, header, &widths, true);
    for cells in rows {
        row(out, cells, &widths, false);
    }
    out.push_str("</w:tbl>");
}

/// One row; the header row repeats on every page and every short row stays on one page, so
/// no entry is read half on one page, half on the next.
fn row(out: &mut String, cells: &[Vec<Inline>], widths: &[usize], header: bool) {
    out.push_str("<w:tr>");
    let length: usize = cells.iter().map(|c| chars(c)).sum();
    match (length < KEEP_ROW_TOGETHER_CHARS, header) {
        (true, true) => out.push_str("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"),
        (false, true) => out.push_str("<w:trPr><w:tblHeader/></w:trPr>"),
        (true, false) => out.push_str("<w:trPr><w:cantSplit/></w:trPr>"),
        (false, false) => {}
    }
    let style = if header {
        RunStyle::BOLD
    } else {
        RunStyle::default()
    };
    for (c, width) in widths.iter().enumerate() {
        let _ = write!(
            out,
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>\
             <w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr>"
        );
        if let Some(content) = cells.get(c) {
            runs(out, content, style);
        }
        out.push_str("</w:p></w:tc>");
    }
    out.push_str("</w:tr>");
}

/// The characters of a cell's text (as `plain_text` counts them), without building it.
fn chars(inlines: &[Inline]) -> usize {
    inlines
        .iter()
        .map(|inline| match inline {
            Inline::Text { text } => text.chars().count(),
            Inline::Strong { content } | Inline::Emphasis { content } => chars(content),
            Inline::LineBreak => 1,
        })
        .sum()
}

/// Column widths from a template's hint: relative weights, one per column, shared out over
/// `text_width`. `None` when the hint does not fit the table (wrong count, all zero).
fn hinted_widths(hint: &[u16], columns: usize, text_width: usize) -> Option<Vec<usize>> {
    let total: usize = hint.iter().map(|&w| usize::from(w)).sum();
    if hint.len() != columns || total == 0 {
        return None;
    }
    let mut widths: Vec<usize> = hint
        .iter()
        .map(|&w| text_width * usize::from(w) / total)
        .collect();
    fill_last(&mut widths, text_width);
    Some(widths)
}

/// Rounding leftovers go to the last column so the table fills the text block exactly.
fn fill_last(widths: &mut [usize], text_width: usize) {
    let used: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += text_width.saturating_sub(used);
    }
}

/// Column widths summing to `text_width`: each column first gets room for its longest cell on
/// one line, up to [`SHORT_CELL_CHARS`]; what is left goes to the longer columns in proportion
/// to how much more they would need.
fn column_widths(
    header: &[Vec<Inline>],
    rows: &[Vec<Vec<Inline>>],
    columns: usize,
    text_width: usize,
) -> Vec<usize> {
    let natural: Vec<usize> = (0..columns)
        .map(|c| {
            let chars = std::iter::once(header)
                .chain(rows.iter().map(Vec::as_slice))
                .filter_map(|r| r.get(c))
                .map(|cell| chars(cell))
                .max()
                .unwrap_or(0)
                .max(1);
            chars
                .saturating_mul(CHAR_WIDTH)
                .saturating_add(CELL_PADDING)
        })
        .collect();
    let floor_cap = SHORT_CELL_CHARS * CHAR_WIDTH + CELL_PADDING;
    let floors: Vec<usize> = natural.iter().map(|&n| n.min(floor_cap)).collect();
    let floor_total: usize = floors.iter().sum();
    let natural_total: usize = natural.iter().sum();
    let mut widths: Vec<usize> = if natural_total <= text_width {
        // Everything fits on one line: share the spare width in proportion.
        natural
            .iter()
            .map(|n| text_width * n / natural_total)
            .collect()
    } else if floor_total <= text_width {
        let spare = text_width - floor_total;
        let wanted: usize = natural.iter().zip(&floors).map(|(n, f)| n - f).sum();
        natural
            .iter()
            .zip(&floors)
            .map(|(n, f)| f + spare * (n - f) / wanted.max(1))
            .collect()
    } else {
        floors
            .iter()
            .map(|f| text_width * f / floor_total)
            .collect()
    };
    fill_last(&mut widths, text_width);
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(texts: &[&str]) -> Vec<Vec<Inline>> {
        texts.iter().map(|t| vec![Inline::text(*t)]).collect()
    }

    #[test]
    fn short_columns_stay_on_one_line_and_long_ones_share_the_rest() {
        let header = cells(&["Date", "Agency", "What happened"]);
        let rows = vec![cells(&[
            "01 March 2025",
            "Kent County Council Children's Services",
            &"long ".repeat(40),
        ])];
        let widths = column_widths(&header, &rows, 3, 9026);
        assert_eq!(widths.iter().sum::<usize>(), 9026);
        assert_eq!(widths[0], 13 * CHAR_WIDTH + CELL_PADDING, "{widths:?}");
        assert!(widths[0] < widths[1] && widths[1] < widths[2], "{widths:?}");
    }

    #[test]
    fn a_table_that_fits_spreads_to_the_full_width() {
        let widths = column_widths(&[], &[vec![], cells(&["", "x"])], 2, 9000);
        assert_eq!(widths, vec![4500, 4500]);
    }

    #[test]
    fn a_hint_sets_the_widths_and_a_hint_that_does_not_fit_is_ignored() {
        assert_eq!(hinted_widths(&[1, 3], 2, 9000), Some(vec![2250, 6750]));
        assert_eq!(
            hinted_widths(&[1, 1, 1], 3, 9026),
            Some(vec![3008, 3008, 3010])
        );
        assert_eq!(hinted_widths(&[1, 3], 3, 9000), None);
        assert_eq!(hinted_widths(&[0, 0], 2, 9000), None);
        assert_eq!(
            hinted_widths(&[u16::MAX; 2], 2, 9000),
            Some(vec![4500, 4500])
        );
    }

    #[test]
    fn header_rows_repeat_and_long_rows_may_break() {
        let mut out = String::new();
        let long = vec![vec![Inline::text("x".repeat(KEEP_ROW_TOGETHER_CHARS))]];
        write(
            &mut out,
            &cells(&["A"]),
            &[long, cells(&["short"])],
            &[],
            9000,
        );
        assert_eq!(out.matches("<w:tblHeader/>").count(), 1);
        assert_eq!(out.matches("<w:cantSplit/>").count(), 2, "{out}");
        assert!(out.contains("<w:gridCol w:w=\"9000\"/>"));
    }

    #[test]
    fn too_many_short_columns_share_the_width() {
        let row = cells(&["a fairly long header one"; 12]);
        let widths = column_widths(&row, &[], 12, 9026);
        assert_eq!(widths.iter().sum::<usize>(), 9026);
        assert!(widths[..11].iter().all(|&w| w == 9026 / 12), "{widths:?}");
    }
}
