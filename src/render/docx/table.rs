//! Tables: Table Grid style, a bold header row (made to repeat on every page by
//! [`super::xml_fix`]), columns as wide as their content suggests.

use docx_rs::{Paragraph, Table, TableCell, TableRow, WidthType};

use super::build::with_runs;
use super::styles;
use super::text::RunStyle;
use crate::assemble::model::{Inline, plain_text};
use crate::render::KEEP_ROW_TOGETHER_CHARS;

/// Rough width of one character of 12 pt Arial, and of a cell's left and right padding, in
/// twentieths of a point: enough to guess how wide a column wants to be.
const CHAR_WIDTH: usize = 130;
const CELL_PADDING: usize = 230;
/// A column whose cells are all shorter than this many characters is never wrapped unless the
/// table cannot fit otherwise; longer columns wrap and share what width is left.
const SHORT_CELL_CHARS: usize = 20;

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
                .map(|cell| plain_text(cell).chars().count())
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
    // Rounding leftovers go to the last column so the table fills the text block exactly.
    let used: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += text_width.saturating_sub(used);
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
    fn too_many_short_columns_share_the_width() {
        let row = cells(&["a fairly long header one"; 12]);
        let widths = column_widths(&row, &[], 12, 9026);
        assert_eq!(widths.iter().sum::<usize>(), 9026);
        assert!(widths[..11].iter().all(|&w| w == 9026 / 12), "{widths:?}");
    }
}
