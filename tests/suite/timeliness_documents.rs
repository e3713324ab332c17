//! The timeliness and activity report as Word and PDF, read back by independent readers:
//! python-docx (the figures, the chart rows, the overdue actions), openxml-audit (schema),
//! pdftotext (the figures and every bar's number), pdfinfo (tagged), `pdfua check` and pikepdf
//! (the charts are figures with alternative text). Every reader must be installed: a missing
//! one fails the test.

use std::process::Command;

use safeguarding_forms::assemble::model::{Block, Chart, Document, plain_text};
use safeguarding_forms::calendar::Config;
use safeguarding_forms::render::docx::render_docx;
use safeguarding_forms::render::pdf::render_pdf;
use safeguarding_forms::timeliness::document::timeliness_document;
use safeguarding_forms::timeliness::{Period, TimelinessReport, timeliness_report};
use serde_json::Value;

#[path = "../../benches/support/timeliness_world.rs"]
pub(crate) mod timeliness_world;

/// Fewer cases than the benchmark's 500: enough for every table and chart to have rows, few
/// enough that an unoptimised build lays the PDF out in seconds.
const CASES: usize = 120;

fn report() -> TimelinessReport {
    let calendar = Config::embedded().expect("the calendar loads");
    let today = timeliness_world::today();
    let (cases, actions) = timeliness_world::generate(CASES);
    let period = Period::last_12_months(today).expect("a period");
    timeliness_report(&cases, &actions, period, today, &calendar).expect("the report")
}

/// Runs an independent reader; it must be installed and must succeed.
pub(crate) fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed to run this test: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{program} {args:?} failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The document's charts.
pub(crate) fn charts(document: &Document) -> Vec<&Chart> {
    document
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Chart(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// Every table of a Word file as python-docx reads it (rows of cell texts, a merged cell
/// repeated in each grid column it covers), its paragraphs and its title.
pub(crate) const DUMP_DOCX: &str = r#"
import json, sys
import docx
d = docx.Document(sys.argv[1])
tables = [{"rows": [[c.text for c in r.cells] for r in t.rows]} for t in d.tables]
print(json.dumps({
    "title": d.core_properties.title,
    "author": d.core_properties.author,
    "paragraphs": [[p.style.name if p.style is not None else None, p.text] for p in d.paragraphs],
    "tables": tables,
}))
"#;

#[test]
fn the_report_in_word_holds_the_figures_charts_and_overdue_actions() {
    let report = report();
    let document = timeliness_document(&report, timeliness_world::today());
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("timeliness.docx");
    let bytes = render_docx(&document).expect("renders");
    std::fs::write(&path, &bytes).expect("writes");
    let file = path.to_string_lossy();

    let read: Value =
        serde_json::from_str(&run("python3", &["-c", DUMP_DOCX, &file])).expect("JSON");
    assert_eq!(read["title"], document.meta.title.as_str());
    let tables = read["tables"].as_array().expect("tables");
    let rows: Vec<Vec<String>> = tables
        .iter()
        .flat_map(|t| t["rows"].as_array().cloned().unwrap_or_default())
        .map(|row| {
            row.as_array()
                .map(|cells| {
                    cells
                        .iter()
                        .map(|c| c.as_str().unwrap_or_default().to_owned())
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();

    // The figures: this period, the previous one, the trend in words.
    let n = &report.notifications.total;
    let expected = vec![
        "All notifications".to_owned(),
        n.current.to_string(),
        n.previous.to_string(),
    ];
    assert!(
        rows.iter().any(|r| r.len() == 4 && r[..3] == expected[..]),
        "no row {expected:?}"
    );
    assert!(
        n.current > 0 && n.previous > 0,
        "the world has notifications"
    );

    // Each chart is a table headed by its items' heading, and every bar's row names the item,
    // the period and the number.
    let charts = charts(&document);
    assert_eq!(charts.len(), 5);
    for chart in &charts {
        let table = tables
            .iter()
            .find(|t| t["rows"][0][0] == chart.item_heading.as_str() && t["rows"][0][1] == "Period")
            .unwrap_or_else(|| panic!("no chart table for {}", chart.title));
        let chart_rows = table["rows"].as_array().expect("rows");
        for item in &chart.items {
            for (series, value) in chart.series.iter().zip(&item.values) {
                let number = chart.value_text(*value);
                let wanted = [item.label.as_str(), series.as_str(), number.as_str()];
                let found = chart_rows.iter().any(|row| {
                    let cells: Vec<&str> = row
                        .as_array()
                        .map(|c| c.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    wanted.iter().all(|w| cells.contains(w))
                });
                assert!(found, "{}: no row {wanted:?}", chart.title);
            }
        }
    }

    // The overdue actions: one row each under their header.
    let overdue = tables
        .iter()
        .find(|t| t["rows"][0][0] == "Agency" && t["rows"][0][1] == "Lead")
        .expect("the overdue actions table");
    assert_eq!(
        overdue["rows"].as_array().map(Vec::len),
        Some(report.actions.overdue_actions.len() + 1)
    );
    assert!(!report.actions.overdue_actions.is_empty());

    openxml_audit_clean(&file);
}

/// The structure elements of a PDF that are figures, with their alternative text.
pub(crate) const FIGURES: &str = r#"
import sys
import pikepdf
pdf = pikepdf.open(sys.argv[1])
def walk(node, out):
    if isinstance(node, pikepdf.Array):
        for kid in node:
            walk(kid, out)
    elif isinstance(node, pikepdf.Dictionary):
        if node.get("/S") == "/Figure":
            out.append(str(node.get("/Alt", "")))
        if "/K" in node:
            walk(node.K, out)
out = []
walk(pdf.Root.StructTreeRoot.K, out)
print("\n".join(out))
"#;

/// Text as pdftotext gives it, word joiners dropped and white space made single.
pub(crate) fn squash(text: &str) -> String {
    text.replace('\u{2060}', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_report_as_pdf_is_tagged_and_shows_every_figure_and_bar() {
    let report = report();
    let document = timeliness_document(&report, timeliness_world::today());
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("timeliness.pdf");
    std::fs::write(&path, render_pdf(&document).expect("renders")).expect("writes");
    let file = path.to_string_lossy();

    // In the order the page draws it, which is row by row (the layout mode reads the chart's
    // columns in an order of its own).
    let text = squash(&run("pdftotext", &["-raw", "-enc", "UTF-8", &file, "-"]));
    for block in &document.blocks {
        if let Block::Heading { text: heading, .. } = block {
            assert!(text.contains(&plain_text(heading)), "{heading:?}");
        }
    }
    let n = &report.notifications.total;
    let row = format!("All notifications {} {}", n.current, n.previous);
    assert!(text.contains(&row), "no \"{row}\" in {text}");
    for chart in charts(&document) {
        assert!(text.contains(&chart.title), "{}", chart.title);
        for item in &chart.items {
            let label = squash(&item.label);
            assert!(text.contains(&label), "{label}");
            for (series, value) in chart.series.iter().zip(&item.values) {
                let bar = format!("{series} {}", chart.value_text(*value));
                assert!(text.contains(&bar), "{}: no \"{bar}\"", chart.title);
            }
        }
    }
    for overdue in &report.actions.overdue_actions {
        assert!(text.contains(&squash(&overdue.agency)));
    }

    let info = run("pdfinfo", &[&file]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    run("pdfua", &["check", &file]);
    let alternatives = run("python3", &["-c", FIGURES, &file]);
    let expected: Vec<&str> = charts(&document)
        .iter()
        .map(|c| c.description.as_str())
        .collect();
    let found: Vec<&str> = alternatives.lines().collect();
    assert_eq!(found, expected);
}

#[test]
fn a_report_with_nothing_in_it_still_renders_both_ways() {
    let calendar = Config::embedded().expect("the calendar loads");
    let today = timeliness_world::today();
    let period = Period::last_12_months(today).expect("a period");
    let report = timeliness_report(&[], &[], period, today, &calendar).expect("the report");
    let document = timeliness_document(&report, today);
    let dir = tempfile::tempdir().expect("a folder");
    let docx = dir.path().join("empty.docx");
    std::fs::write(&docx, render_docx(&document).expect("renders")).expect("writes");
    let out = run(
        "openxml-audit",
        &[
            "--output",
            "json",
            "--max-errors",
            "0",
            &docx.to_string_lossy(),
        ],
    );
    let audit: Value = serde_json::from_str(&out).expect("openxml-audit JSON");
    assert_eq!(audit[0]["error_count"], 0, "{out}");
    let pdf = dir.path().join("empty.pdf");
    std::fs::write(&pdf, render_pdf(&document).expect("renders")).expect("writes");
    run("pdfua", &["check", &pdf.to_string_lossy()]);
    let text = squash(&run(
        "pdftotext",
        &["-raw", "-enc", "UTF-8", &pdf.to_string_lossy(), "-"],
    ));
    assert!(text.contains("All notifications 0 0 no change"), "{text}");
    assert!(text.contains("No action was overdue."), "{text}");
}

/// openxml-audit finds no error and no warning in a Word file, as Office 2007 and as Microsoft
/// 365 read it.
pub(crate) fn openxml_audit_clean(file: &str) {
    for format in ["office2007", "microsoft365"] {
        let out = run(
            "openxml-audit",
            &[
                "--format",
                format,
                "--output",
                "json",
                "--max-errors",
                "0",
                file,
            ],
        );
        let audit: Value = serde_json::from_str(&out).expect("openxml-audit JSON");
        assert_eq!(audit[0]["error_count"], 0, "{format}: {out}");
        assert_eq!(audit[0]["warning_count"], 0, "{format}: {out}");
    }
}
