//! Tables: Table Grid style, a bold header row (made to repeat on every page by
//! [`super::xml_fix`]), columns as wide as their content suggests.

use docx_rs::{Paragraph, Table, TableCell, TableRow, WidthType};

use super::build::with_runs;
use super::styles;
use super::text::RunStyle;
use crate::assemble::model::{Inline, plain_text};

/// Rows with less text than this are kept on one page; a longer row may break, since a row
/// taller than a page cannot be kept whole.
const KEEP_ROW_TOGETHER_CHARS: usize = 600;
/// Bounds on a column's share of the width, in characters of its longest cell.
const MIN_WEIGHT: usize = 6;
const MAX_WEIGHT: usize = 50;

/// The table for a header row and body rows, `text_width` twentieths of a point wide.
pub(crate) fn table(header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>], text_width: usize) -> Table {
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain([header.len()])
        .max()
        .unwrap_or(0)
        .max(1);
    let widths = column_widths(header, rows, columns, text_width);
    let bold = RunStyle {
        bold: true,
        ..RunStyle::default()
    };
    let table_rows = std::iter::once(row(header, &widths, bold))
        .chain(rows.iter().map(|r| row(r, &widths, RunStyle::default())))
        .collect();
    Table::new(table_rows)
        .style(styles::TABLE_GRID)
        .set_grid(widths.clone())
        .width(widths.iter().sum(), WidthType::Dxa)
}

fn row(cells: &[Vec<Inline>], widths: &[usize], style: RunStyle) -> TableRow {
    let empty = Vec::new();
    let table_cells = widths
        .iter()
        .enumerate()
        .map(|(c, &width)| {
            let content = cells.get(c).unwrap_or(&empty);
            let paragraph = Paragraph::new().line_spacing(styles::cell_spacing());
            TableCell::new()
                .width(width, WidthType::Dxa)
                .add_paragraph(with_runs(paragraph, content, style))
        })
        .collect();
    let row = TableRow::new(table_cells);
    let chars: usize = cells.iter().map(|c| plain_text(c).chars().count()).sum();
    // A short row stays on one page, so no entry is read half on one page, half on the next.
    if chars < KEEP_ROW_TOGETHER_CHARS {
        row.cant_split()
    } else {
        row
    }
}

/// Column widths in proportion to each column's longest cell (within bounds), summing to
/// `text_width`.
fn column_widths(
    header: &[Vec<Inline>],
    rows: &[Vec<Vec<Inline>>],
    columns: usize,
    text_width: usize,
) -> Vec<usize> {
    let weights: Vec<usize> = (0..columns)
        .map(|c| {
            std::iter::once(header)
                .chain(rows.iter().map(Vec::as_slice))
                .filter_map(|r| r.get(c))
                .map(|cell| plain_text(cell).chars().count())
                .max()
                .unwrap_or(0)
                .clamp(MIN_WEIGHT, MAX_WEIGHT)
        })
        .collect();
    let total: usize = weights.iter().sum();
    let mut widths: Vec<usize> = weights.iter().map(|w| text_width * w / total).collect();
    // Rounding leftovers go to the last column so the table fills the text block exactly.
    let used: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += text_width - used;
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(texts: &[&str]) -> Vec<Vec<Inline>> {
        texts.iter().map(|t| vec![Inline::text(*t)]).collect()
    }

    #[test]
    fn wider_content_gets_wider_columns_and_the_table_fills_the_width() {
        let header = cells(&["Date", "Agency", "What happened"]);
        let rows = vec![cells(&[
            "01 March 2025",
            "Kent County Council Children's Services",
            &"long ".repeat(40),
        ])];
        let widths = column_widths(&header, &rows, 3, 9026);
        assert_eq!(widths.iter().sum::<usize>(), 9026);
        assert!(widths[0] < widths[1] && widths[1] < widths[2], "{widths:?}");
    }

    #[test]
    fn empty_columns_still_get_a_share() {
        let widths = column_widths(&[], &[vec![], cells(&["", "x"])], 2, 9000);
        assert_eq!(widths, vec![4500, 4500]);
    }
}
