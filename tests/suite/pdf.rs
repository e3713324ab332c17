//! The PDF backend, judged by independent readers: poppler (`pdftotext`, `pdfinfo`), `qpdf`,
//! `pdfua` and pikepdf (`tests/python/check_pdf.py`). Every reader must be installed: a missing
//! one fails the test rather than skipping it.

use crate::support::sample_document;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use safeguarding_forms::assemble::model::{Block, CONTENTS_DEPTH, Document, Inline, plain_text};
use safeguarding_forms::render::pdf::{PdfError, render_pdf};
use sample_document::{HOSTILE_TEXT, headings, sample_document, sample_metadata};
use tempfile::TempDir;

/// A rendered PDF in its own temporary directory (removed when dropped).
struct Rendered {
    _dir: TempDir,
    path: PathBuf,
}

fn render_to_file(doc: &Document) -> Rendered {
    let bytes = render_pdf(doc).unwrap_or_else(|e| panic!("render failed: {e}"));
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let dir = TempDir::new().expect("temporary directory");
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, &bytes).expect("write PDF");
    Rendered { _dir: dir, path }
}

/// Runs a reader; panics with an install hint if it is missing.
fn run(program: &str, args: &[&str], path: &Path, install: &str) -> Output {
    Command::new(program)
        .args(args)
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("{program} is required for this test ({install}): {e}"))
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Text as `pdftotext` extracts it, with typst's invisible word joiners removed and all runs of
/// whitespace (line ends where text wrapped) collapsed to one space.
fn extracted_text(path: &Path, pages: Option<(u32, u32)>) -> String {
    let mut args: Vec<String> = vec!["-enc".into(), "UTF-8".into()];
    if let Some((first, last)) = pages {
        args.extend([
            "-f".into(),
            first.to_string(),
            "-l".into(),
            last.to_string(),
        ]);
    }
    let output = Command::new("pdftotext")
        .args(&args)
        .arg(path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext is required (apt-get install poppler-utils): {e}"));
    assert!(output.status.success(), "pdftotext failed: {output:?}");
    normalise(&stdout(&output))
}

fn normalise(text: &str) -> String {
    text.replace('\u{2060}', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn pdfinfo(path: &Path) -> String {
    let output = run("pdfinfo", &[], path, "apt-get install poppler-utils");
    assert!(output.status.success(), "pdfinfo failed: {output:?}");
    stdout(&output)
}

fn info_field(info: &str, field: &str) -> String {
    info.lines()
        .find_map(|line| line.strip_prefix(&format!("{field}:")))
        .unwrap_or_else(|| panic!("pdfinfo has no {field}: {info}"))
        .trim()
        .to_owned()
}

fn page_count(path: &Path) -> u32 {
    info_field(&pdfinfo(path), "Pages")
        .parse()
        .expect("page count is a number")
}

#[test]
fn pdftotext_reads_every_heading_and_the_hostile_text_as_typed() {
    let doc = sample_document(3);
    let pdf = render_to_file(&doc);
    let text = extracted_text(&pdf.path, None);
    for block in &doc.blocks {
        if let Block::Title { text: title } = block {
            assert!(text.contains(&plain_text(title)), "title missing");
        }
    }
    for (_, heading) in headings(&doc.blocks) {
        assert!(text.contains(&heading), "heading {heading:?} missing");
    }
    assert!(text.contains("Contents"));
    // The contents list chapters and sections (twice in the text), not level 3 (once).
    for (level, heading) in headings(&doc.blocks) {
        let expected = if level <= CONTENTS_DEPTH { 2 } else { 1 };
        assert_eq!(text.matches(&heading).count(), expected, "{heading:?}");
    }
    assert!(text.contains(HOSTILE_TEXT), "hostile text changed:\n{text}");
    assert!(text.contains("OFFICIAL-SENSITIVE"));
    let pages = page_count(&pdf.path);
    assert!(text.contains(&format!("Page 1 of {pages}")));
    assert!(text.contains(&format!("Page {pages} of {pages}")));
}

#[test]
fn pdfinfo_reports_tagged_a4_with_title_and_pages() {
    let doc = sample_document(3);
    let pdf = render_to_file(&doc);
    let info = pdfinfo(&pdf.path);
    assert_eq!(info_field(&info, "Tagged"), "yes", "{info}");
    assert_eq!(info_field(&info, "Title"), doc.meta.title);
    assert_eq!(info_field(&info, "Author"), doc.meta.author);
    assert_eq!(info_field(&info, "Subject"), doc.meta.subject);
    assert!(info_field(&info, "Page size").contains("(A4)"), "{info}");
    let pages: u32 = info_field(&info, "Pages").parse().expect("number");
    assert!(
        pages >= 4,
        "three sections and contents should fill several pages, got {pages}"
    );
}

#[test]
fn fonts_are_all_embedded() {
    let pdf = render_to_file(&sample_document(1));
    let output = run("pdffonts", &[], &pdf.path, "apt-get install poppler-utils");
    assert!(output.status.success(), "pdffonts failed: {output:?}");
    let listing = stdout(&output);
    let fonts: Vec<&str> = listing.lines().skip(2).collect();
    assert!(!fonts.is_empty(), "no fonts listed: {listing}");
    // The text face is the sans-serif the Word file names (Arial there, its metric twin here),
    // in regular and bold at least (headings and table headers are bold).
    for face in ["LiberationSans", "LiberationSans-Bold"] {
        assert!(
            fonts.iter().any(|line| line
                .split_whitespace()
                .next()
                .is_some_and(|name| name.rsplit('+').next() == Some(face))),
            "{face} is not used: {listing}"
        );
    }
    for line in fonts {
        // Columns: name type encoding emb sub uni object-id; "emb" must be "yes".
        let columns: Vec<&str> = line.split_whitespace().collect();
        let n = columns.len();
        assert!(
            n >= 7 && columns[n - 5] == "yes",
            "font not embedded: {line}"
        );
    }
}

#[test]
fn qpdf_finds_no_errors() {
    let pdf = render_to_file(&sample_document(3));
    let output = run("qpdf", &["--check"], &pdf.path, "apt-get install qpdf");
    let report = stdout(&output);
    assert!(output.status.success(), "qpdf --check failed:\n{report}");
    assert!(
        report.contains("No syntax or stream encoding errors found"),
        "{report}"
    );
}

#[test]
fn pdfua_reports_no_findings() {
    let pdf = render_to_file(&sample_document(3));
    let output = run("pdfua", &["check"], &pdf.path, "pip install pdfua");
    assert!(
        output.status.success(),
        "pdfua reported findings:\n{}{}",
        stdout(&output),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn pikepdf_finds_the_accessibility_structure_and_bookmarks_for_every_heading() {
    let doc = sample_document(2);
    let pdf = render_to_file(&doc);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/check_pdf.py");
    let output = Command::new("python3")
        .arg(&script)
        .arg(&pdf.path)
        .arg("en-GB")
        .output()
        .unwrap_or_else(|e| panic!("python3 with pikepdf is required (pip install pikepdf): {e}"));
    assert!(
        output.status.success(),
        "check_pdf.py failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bookmarks: Vec<String> = stdout(&output)
        .lines()
        .map(|line| line.replace('\u{2060}', ""))
        .collect();
    let expected: Vec<String> = headings(&doc.blocks)
        .into_iter()
        .map(|(level, text)| format!("{}{text}", "  ".repeat(usize::from(level) - 1)))
        .collect();
    assert_eq!(bookmarks, expected);
}

/// A document holding one chronology table (When, Agency, Event) with these rows.
fn chronology(rows: Vec<Vec<Vec<Inline>>>) -> Document {
    Document {
        meta: sample_metadata("Chronology"),
        blocks: vec![Block::Table {
            header: ["When", "Agency", "Event"]
                .map(|title| vec![Inline::text(title)])
                .to_vec(),
            rows,
            widths: Vec::new(),
        }],
    }
}

#[test]
fn long_tables_break_across_pages_and_repeat_their_header() {
    let rows = (1..=120)
        .map(|n| {
            vec![
                vec![Inline::text(format!("Row {n}"))],
                vec![Inline::text("Kent Police")],
                vec![Inline::text("Contact recorded.")],
            ]
        })
        .collect();
    let doc = chronology(rows);
    let pdf = render_to_file(&doc);
    let pages = page_count(&pdf.path);
    assert!(
        pages >= 3,
        "120 rows should need several pages, got {pages}"
    );
    for page in 1..=pages {
        let text = extracted_text(&pdf.path, Some((page, page)));
        assert!(
            text.contains("When Agency Event"),
            "page {page} lacks the header row: {text}"
        );
    }
    let last = extracted_text(&pdf.path, Some((pages, pages)));
    assert!(last.contains("Row 120"));
}

#[test]
fn short_rows_stay_on_one_page_and_long_rows_may_break() {
    // Each row's cells start with "Start n" and end with "End n"; a row is whole when both are
    // on the same page. Forty rows of 150 to 550 characters run over several pages.
    let filler =
        "The health visitor saw the family at home and recorded that the baby was unsettled. ";
    let rows: Vec<Vec<Vec<Inline>>> = (1..=40)
        .map(|n| {
            vec![
                vec![Inline::text(format!("Start {n}"))],
                vec![Inline::text("Kent Community Health NHS Foundation Trust")],
                vec![Inline::text(format!(
                    "{} End {n}",
                    filler.repeat(1 + n % 6)
                ))],
            ]
        })
        .collect();
    let mut long_row = rows[0].clone();
    long_row[0] = vec![Inline::text("Start 41")];
    long_row[2] = vec![Inline::text(format!("{} End 41", filler.repeat(60)))];
    let mut all_rows = rows;
    all_rows.push(long_row);
    let doc = chronology(all_rows);
    let pdf = render_to_file(&doc);
    let pages = page_count(&pdf.path);
    assert!(pages >= 5, "the rows need several pages, got {pages}");
    let texts: Vec<String> = (1..=pages)
        .map(|page| extracted_text(&pdf.path, Some((page, page))))
        .collect();
    let page_of = |marker: &str| {
        texts
            .iter()
            .position(|text| {
                text.split(' ')
                    .collect::<Vec<_>>()
                    .windows(2)
                    .any(|w| format!("{} {}", w[0], w[1]) == marker)
            })
            .unwrap_or_else(|| panic!("{marker} not found"))
    };
    for n in 1..=40 {
        assert_eq!(
            page_of(&format!("Start {n}")),
            page_of(&format!("End {n}")),
            "row {n} was broken across pages"
        );
    }
    // A row longer than a page breaks rather than being cut off.
    assert!(page_of("End 41") > page_of("Start 41"));
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let doc = sample_document(2);
    let first = render_pdf(&doc).expect("first render");
    let second = render_pdf(&doc).expect("second render");
    assert!(first == second, "two renders of one document differ");
    let mut later = doc.clone();
    later.meta.date = chrono::NaiveDate::from_ymd_opt(2026, 3, 15).expect("valid date");
    assert!(render_pdf(&later).expect("render") != first);
}

#[test]
fn odd_but_possible_documents_still_render() {
    let mut doc = Document {
        meta: sample_metadata("Empty"),
        blocks: Vec::new(),
    };
    render_to_file(&doc);
    doc.blocks = vec![
        Block::Heading {
            level: 9,
            text: vec![Inline::text("Deep heading")],
        },
        Block::Table {
            header: Vec::new(),
            rows: vec![vec![vec![Inline::text("one cell")]], Vec::new()],
            widths: Vec::new(),
        },
        Block::List {
            ordered: true,
            items: vec![vec![
                Block::Paragraph {
                    text: vec![Inline::text("Outer")],
                },
                Block::List {
                    ordered: false,
                    items: vec![vec![Block::Paragraph {
                        text: vec![Inline::text("Inner")],
                    }]],
                },
            ]],
        },
        Block::Paragraph {
            text: vec![Inline::text(
                "Zoë Łukasiewicz-Nowak, Siobhán Ó Briain, Дмитрий, tab\there, pasted\u{b}\u{0}text",
            )],
        },
    ];
    let pdf = render_to_file(&doc);
    let text = extracted_text(&pdf.path, None);
    for expected in [
        "Deep heading",
        "one cell",
        "Outer",
        "Inner",
        "Zoë Łukasiewicz-Nowak",
    ] {
        assert!(text.contains(expected), "{expected} missing: {text}");
    }
}

#[test]
fn an_unusable_language_is_explained() {
    let mut doc = sample_document(1);
    doc.meta.language = "English".to_owned();
    let err = render_pdf(&doc).expect_err("language must be refused");
    assert!(matches!(err, PdfError::Language(_)));
    assert!(err.to_string().contains("such as en-GB"), "{err}");
}

#[test]
fn hostile_metadata_is_printed_not_obeyed() {
    let mut doc = sample_document(1);
    doc.meta.title = HOSTILE_TEXT.to_owned();
    doc.meta.marking = "OFFICIAL ]#panic(\"x\")[ <marking>".to_owned();
    let pdf = render_to_file(&doc);
    let info = pdfinfo(&pdf.path);
    assert_eq!(info_field(&info, "Title"), HOSTILE_TEXT);
    assert!(info_field(&info, "Page size").contains("(A4)"), "{info}");
    let text = extracted_text(&pdf.path, Some((1, 1)));
    // In the 9 pt header pdftotext reads the narrow gap between Liberation Sans's "]" and "("
    // as a space, so the header is compared without spaces; the body text is compared exactly
    // in pdftotext_reads_every_heading_and_the_hostile_text_as_typed.
    let unspaced = |s: &str| s.split_whitespace().collect::<String>();
    assert!(
        unspaced(&text).contains(&unspaced(HOSTILE_TEXT)),
        "title in header changed: {text}"
    );
    assert!(text.contains(&doc.meta.marking), "marking changed: {text}");
}

#[test]
fn characters_no_font_can_show_are_named() {
    let mut doc = sample_document(1);
    doc.blocks.push(Block::Paragraph {
        text: vec![Inline::text("Father: 张伟 🙂")],
    });
    let err = render_pdf(&doc).expect_err("CJK and emoji are not in the bundled fonts");
    assert!(matches!(err, PdfError::Unprintable(_)));
    let message = err.to_string();
    assert!(
        message.contains("张 (U+5F20)") && message.contains("🙂 (U+1F642)"),
        "{message}"
    );
}

#[test]
fn concurrent_renders_agree() {
    let doc = sample_document(1);
    let expected = render_pdf(&doc).expect("render");
    let outputs: Vec<Vec<u8>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..3)
            .map(|_| scope.spawn(|| render_pdf(&doc).expect("render in a thread")))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("render thread"))
            .collect()
    });
    for output in outputs {
        assert!(output == expected, "a concurrent render differs");
    }
}

/// Where `pdftotext -bbox` places the first word `word` on the page: its left edge in points.
fn word_left(path: &Path, word: &str) -> f64 {
    let output = Command::new("pdftotext")
        .arg("-bbox")
        .arg(path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext is required (apt-get install poppler-utils): {e}"));
    let html = stdout(&output);
    html.lines()
        .find(|line| line.ends_with(&format!(">{word}</word>")))
        .and_then(|line| line.split("xMin=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("no word {word} in:\n{html}"))
}

#[test]
fn a_widths_hint_sets_the_column_widths_as_in_word() {
    let left_of_event = |widths: Vec<u16>| {
        let mut doc = chronology(vec![vec![
            vec![Inline::text("Monday")],
            vec![Inline::text("Police")],
            vec![Inline::text("Visit")],
        ]]);
        if let Some(Block::Table { widths: w, .. }) = doc.blocks.first_mut() {
            *w = widths;
        }
        let pdf = render_to_file(&doc);
        word_left(&pdf.path, "Event")
    };
    // A4 less 25 mm margins leaves 453.5 pt of text width, starting 70.9 pt from the edge.
    let narrow_first = left_of_event(vec![1, 1, 2]);
    let wide_first = left_of_event(vec![3, 3, 2]);
    assert!(
        (narrow_first - (70.9 + 453.5 / 2.0)).abs() < 12.0,
        "with 1:1:2 the third column starts half way: {narrow_first}"
    );
    assert!(
        (wide_first - (70.9 + 453.5 * 0.75)).abs() < 12.0,
        "with 3:3:2 it starts three quarters of the way: {wide_first}"
    );
}
