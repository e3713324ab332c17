//! Bar charts as Word tables: a caption, then one row per item and series whose shaded cells
//! make the bar, with the number written beside it. A table rather than a DrawingML chart: it
//! needs no embedded workbook, prints and reflows like text, and a screen reader reads the item,
//! the series and the number of every bar, so the table is its own text alternative. (Word 2010's
//! `w:tblDescription` is left out: it is not in the Office 2007 schema the files are checked
//! against.)

use std::fmt::Write as _;

use super::runs::{RunStyle, open_paragraph, run};
use crate::assemble::model::Chart;

/// How many grid columns the bars are drawn in: a bar is a whole number of them.
const BAR_UNITS: u64 = 40;
/// Column widths, in twentieths of a point.
const LABEL_WIDTH: usize = 2800;
const SERIES_WIDTH: usize = 1700;
const VALUE_WIDTH: usize = 1100;
/// Bar fills per series, darkest first; the series is also written in each row, so the chart
/// does not depend on telling the colours apart.
const FILLS: [&str; 2] = ["1F3A5F", "8FA3BF"];

/// Writes the chart's caption and table, `text_width` twentieths of a point wide.
pub(crate) fn write(out: &mut String, chart: &Chart, text_width: u32) {
    open_paragraph(out, Some("Caption"), "");
    run(out, &chart.title, RunStyle::default());
    out.push_str("</w:p>");

    let text_width = text_width as usize;
    let with_series = chart.series.len() > 1;
    let fixed = LABEL_WIDTH + VALUE_WIDTH + if with_series { SERIES_WIDTH } else { 0 };
    let unit = text_width.saturating_sub(fixed).max(BAR_UNITS as usize) / BAR_UNITS as usize;
    let bars_width = unit * BAR_UNITS as usize;
    let value_width = text_width.saturating_sub(fixed - VALUE_WIDTH + bars_width);

    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{text_width}\" w:type=\"dxa\"/>\
         <w:tblBorders><w:top w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"1F3A5F\"/>\
         <w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"1F3A5F\"/></w:tblBorders>\
         <w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
    );
    let _ = write!(out, "<w:gridCol w:w=\"{LABEL_WIDTH}\"/>");
    if with_series {
        let _ = write!(out, "<w:gridCol w:w=\"{SERIES_WIDTH}\"/>");
    }
    for _ in 0..BAR_UNITS {
        let _ = write!(out, "<w:gridCol w:w=\"{unit}\"/>");
    }
    let _ = write!(out, "<w:gridCol w:w=\"{value_width}\"/></w:tblGrid>");

    let scale = chart.full_scale();
    let series_count = chart.series.len().max(1);
    let last_row = chart.items.len() * series_count;
    // The header row: what each column holds, repeated if the chart runs onto another page.
    out.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    let mut row = Row {
        out: &mut *out,
        header: true,
        keep_next: last_row > 0,
    };
    row.cell(LABEL_WIDTH, 1, None, "", &chart.item_heading);
    if with_series {
        row.cell(SERIES_WIDTH, 1, None, "", "Period");
    }
    row.cell(bars_width, BAR_UNITS, None, "", "Bar");
    let number = if chart.unit == "%" { "Share" } else { "Number" };
    row.cell(value_width, 1, None, "", number);
    out.push_str("</w:tr>");

    let mut written = 0;
    for item in &chart.items {
        for s in 0..series_count {
            let value = item.values.get(s).copied().flatten();
            written += 1;
            out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            let mut row = Row {
                out: &mut *out,
                header: false,
                keep_next: written < last_row,
            };
            // The item's name spans its series' rows, so each bar is read with its item.
            let merge = match (series_count > 1, s) {
                (false, _) => "",
                (true, 0) => "<w:vMerge w:val=\"restart\"/>",
                (true, _) => "<w:vMerge/>",
            };
            let label = if s == 0 { item.label.as_str() } else { "" };
            row.cell(LABEL_WIDTH, 1, None, merge, label);
            if with_series {
                let name = chart.series.get(s).map_or("", String::as_str);
                row.cell(SERIES_WIDTH, 1, None, "", name);
            }
            let filled = bar_units(value, scale);
            let fill = FILLS[s % FILLS.len()];
            if filled > 0 {
                row.cell(unit * filled as usize, filled, Some(fill), "", "");
            }
            if filled < BAR_UNITS {
                let rest = BAR_UNITS - filled;
                row.cell(unit * rest as usize, rest, None, "", "");
            }
            row.cell(value_width, 1, None, "", &chart.value_text(value));
            out.push_str("</w:tr>");
        }
    }
    out.push_str("</w:tbl>");
}

/// How many of the [`BAR_UNITS`] a value fills: at least one for any value above zero, so a
/// small number still shows a bar, and never more than all of them.
fn bar_units(value: Option<u64>, scale: u64) -> u64 {
    match value {
        None | Some(0) => 0,
        Some(v) => {
            let units = (u128::from(v) * u128::from(BAR_UNITS) + u128::from(scale) / 2)
                / u128::from(scale.max(1));
            u64::try_from(units)
                .unwrap_or(BAR_UNITS)
                .clamp(1, BAR_UNITS)
        }
    }
}

/// A row being written.
struct Row<'a> {
    out: &'a mut String,
    /// The header row's text is bold.
    header: bool,
    /// Every row but the last keeps with the next, so Word keeps a chart on one page.
    keep_next: bool,
}

impl Row<'_> {
    /// One cell: its width, the grid columns it spans, its shading, any vertical merge, and
    /// its text.
    fn cell(&mut self, width: usize, span: u64, fill: Option<&str>, merge: &str, text: &str) {
        let out = &mut *self.out;
        let _ = write!(out, "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
        if span > 1 {
            let _ = write!(out, "<w:gridSpan w:val=\"{span}\"/>");
        }
        out.push_str(merge);
        if let Some(fill) = fill {
            let _ = write!(
                out,
                "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{fill}\"/>"
            );
        }
        out.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
        let keep = if self.keep_next { "<w:keepNext/>" } else { "" };
        open_paragraph(out, Some("TableText"), keep);
        if !text.is_empty() {
            let style = if self.header {
                RunStyle::BOLD
            } else {
                RunStyle::default()
            };
            run(out, text, style);
        }
        out.push_str("</w:p></w:tc>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assemble::model::ChartItem;

    fn chart(series: &[&str], values: &[&[Option<u64>]]) -> Chart {
        Chart {
            title: "Notifications".into(),
            description: "Deaths: 3 this period, 5 before.".into(),
            item_heading: "Origin".into(),
            series: series.iter().map(|s| (*s).to_owned()).collect(),
            items: values
                .iter()
                .enumerate()
                .map(|(i, v)| ChartItem {
                    label: format!("Item {i} & <more>"),
                    values: v.to_vec(),
                })
                .collect(),
            unit: String::new(),
            scale: None,
        }
    }

    #[test]
    fn bars_are_whole_units_at_least_one_and_at_most_all() {
        assert_eq!(bar_units(None, 10), 0);
        assert_eq!(bar_units(Some(0), 10), 0);
        assert_eq!(bar_units(Some(1), 1000), 1);
        assert_eq!(bar_units(Some(5), 10), BAR_UNITS / 2);
        assert_eq!(bar_units(Some(10), 10), BAR_UNITS);
        assert_eq!(bar_units(Some(u64::MAX), 1), BAR_UNITS);
    }

    #[test]
    fn every_row_fills_the_grid_and_names_its_bar() {
        let mut out = String::new();
        let c = chart(
            &["This period", "Previous period"],
            &[&[Some(4), Some(8)], &[Some(0), None]],
        );
        write(&mut out, &c, 9026);
        let widths: usize = out
            .split("<w:gridCol w:w=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next()?.parse::<usize>().ok())
            .sum();
        assert_eq!(widths, 9026);
        assert_eq!(out.matches("<w:tr>").count(), 5, "{out}");
        assert_eq!(out.matches("w:fill=\"1F3A5F\"").count(), 1);
        assert_eq!(out.matches("w:fill=\"8FA3BF\"").count(), 1);
        assert!(out.contains("<w:gridSpan w:val=\"20\"/>"), "{out}");
        assert!(out.contains(">none</w:t>"));
        assert!(out.contains("Item 0 &amp; &lt;more&gt;"));
        assert_eq!(out.matches("<w:vMerge w:val=\"restart\"/>").count(), 2);
    }
}
