//! The Word backend read back by independent readers: python-docx, openxml-audit (schema
//! check) and LibreOffice (converted to PDF, then `pdftotext`). Every reader must be installed:
//! a missing one fails the test rather than skipping it.

use crate::support::sample_document;
use crate::support::word_fill;

use word_fill::read_part as part;

use std::path::{Path, PathBuf};
use std::process::Command;

use safeguarding_forms::assemble::model::{Block, CONTENTS_DEPTH, Document, Inline};
use safeguarding_forms::render::docx::render_docx;
use sample_document::{HOSTILE_TEXT, headings, sample_document};

/// Renders `doc` into `dir/name` and returns the path.
fn write_docx(doc: &Document, dir: &Path, name: &str) -> PathBuf {
    let bytes = render_docx(doc).unwrap_or_else(|e| panic!("render failed: {e}"));
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    path
}

/// Runs a reader, failing the test with a clear message if it is not installed or fails.
fn run(program: &str, args: &[&str], cwd: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed to run this test: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{program} {args:?} failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    stdout
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"))
}

#[test]
fn python_docx_reads_styles_tables_header_footer_and_properties() {
    let dir = temp_dir();
    let path = write_docx(&sample_document(3), dir.path(), "sample.docx");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/check_docx.py");
    let out = run(
        "python3",
        &[
            &script.to_string_lossy(),
            &path.to_string_lossy(),
            HOSTILE_TEXT,
        ],
        dir.path(),
    );
    assert!(out.contains("docx ok"), "{out}");
}

#[test]
fn openxml_audit_finds_no_schema_error() {
    let dir = temp_dir();
    let path = write_docx(&sample_document(3), dir.path(), "sample.docx");
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
                &path.to_string_lossy(),
            ],
            dir.path(),
        );
        let report: serde_json::Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("openxml-audit output: {e}\n{out}"));
        let file = &report[0];
        assert_eq!(file["error_count"], 0, "{format}: {out}");
        assert_eq!(file["warning_count"], 0, "{format}: {out}");
        assert_eq!(file["valid"], true, "{format}: {out}");
    }
}

/// Converts `doc` to PDF with LibreOffice and returns the text `pdftotext` finds, pages
/// separated by form feeds.
fn libreoffice_text(doc: &Document) -> String {
    let dir = temp_dir();
    let path = write_docx(doc, dir.path(), "sample.docx");
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );
    run(
        "soffice",
        &[
            &profile,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            &dir.path().to_string_lossy(),
            &path.to_string_lossy(),
        ],
        dir.path(),
    );
    let pdf = dir.path().join("sample.pdf");
    assert!(pdf.exists(), "LibreOffice wrote no PDF");
    run(
        "pdftotext",
        &["-layout", &pdf.to_string_lossy(), "-"],
        dir.path(),
    )
}

/// Text with every run of whitespace made one space.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn libreoffice_converts_it_and_the_text_survives() {
    let text = libreoffice_text(&sample_document(3));
    let flat_text = flat(&text);
    for expected in [
        "Local Child Safeguarding Practice Review: Child K",
        "Contents",
        "1. Findings on theme 1",
        "2.1 What happened",
        "3.1.1 Agency involvement",
        "Text as typed",
        "OFFICIAL-SENSITIVE",
        "Page 1 of",
        HOSTILE_TEXT,
    ] {
        assert!(
            flat_text.contains(&flat(expected)),
            "missing {expected:?} in:\n{text}"
        );
    }
}

#[test]
fn contents_list_chapters_and_sections_only() {
    let doc = sample_document(3);
    let bytes = render_docx(&doc).unwrap_or_else(|e| panic!("{e}"));
    let xml = part(&bytes, "word/document.xml");
    let field = format!("TOC \\o &quot;1-{CONTENTS_DEPTH}&quot;");
    assert!(xml.contains(&field), "no {field} in the TOC field");
    let listed = headings(&doc.blocks);
    assert!(listed.iter().any(|(level, _)| *level > CONTENTS_DEPTH));
    for (level, heading) in listed {
        let expected = if level <= CONTENTS_DEPTH { 2 } else { 1 };
        let escaped = heading
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert_eq!(xml.matches(&escaped).count(), expected, "{heading:?}");
    }
}

#[test]
fn same_document_gives_identical_bytes() {
    let doc = sample_document(2);
    let first = render_docx(&doc).unwrap_or_else(|e| panic!("{e}"));
    let again = render_docx(&doc).unwrap_or_else(|e| panic!("{e}"));
    let from_thread = std::thread::spawn(move || render_docx(&doc))
        .join()
        .unwrap_or_else(|_| panic!("render thread panicked"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(first == again, "two renders differ");
    assert!(first == from_thread, "a render on another thread differs");
}

#[test]
fn every_table_repeats_its_header_row() {
    let doc = sample_document(2);
    let tables = doc
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Table { .. }))
        .count();
    let xml = part(
        &render_docx(&doc).unwrap_or_else(|e| panic!("{e}")),
        "word/document.xml",
    );
    assert_eq!(xml.matches("<w:tbl>").count(), tables);
    assert_eq!(xml.matches("<w:tblHeader/>").count(), tables);
}

#[test]
fn control_characters_are_dropped_and_markup_is_escaped() {
    let mut doc = sample_document(1);
    doc.blocks.push(Block::Paragraph {
        text: vec![Inline::text(
            "bell\u{7} nul\u{0} </w:t></w:r><w:r><w:t>injected",
        )],
    });
    let xml = part(
        &render_docx(&doc).unwrap_or_else(|e| panic!("{e}")),
        "word/document.xml",
    );
    assert!(xml.contains("bell nul &lt;/w:t&gt;&lt;/w:r&gt;&lt;w:r&gt;&lt;w:t&gt;injected"));
    assert!(!xml.contains('\u{7}') && !xml.contains('\u{0}'));
}

fn para(s: &str) -> Block {
    Block::Paragraph {
        text: vec![Inline::text(s)],
    }
}

#[test]
fn nested_lists_number_per_level_and_page_breaks_start_a_page() {
    let nested = |ordered| Block::List {
        ordered,
        items: vec![vec![para("Inner one")], vec![para("Inner two")]],
    };
    let mut doc = sample_document(0);
    doc.blocks = vec![
        Block::List {
            ordered: true,
            items: vec![
                vec![
                    para("Outer one"),
                    nested(true),
                    para("Outer one, continued"),
                ],
                vec![para("Outer two"), nested(false)],
            ],
        },
        Block::PageBreak,
        Block::List {
            ordered: true,
            items: vec![vec![para("Second list")]],
        },
    ];
    let text = libreoffice_text(&doc);
    let pages: Vec<String> = text.split('\u{c}').map(flat).collect();
    assert!(
        pages[0].contains(
            "1. Outer one a. Inner one b. Inner two Outer one, continued 2. Outer two ◦ Inner one ◦ Inner two"
        ),
        "{text}"
    );
    assert!(pages[1].contains("1. Second list"), "{text}");
    assert!(!pages[0].contains("Second list"), "{text}");
}

#[test]
fn odd_documents_still_give_schema_valid_files() {
    let deep = (0..12).fold(
        Block::List {
            ordered: false,
            items: vec![vec![para("deepest")]],
        },
        |inner, depth| Block::List {
            ordered: depth % 2 == 0,
            items: vec![vec![para("level"), inner], vec![]],
        },
    );
    let long_cell: String = (0..1500).map(|i| format!("word{i} ")).collect();
    let mut doc = sample_document(0);
    doc.meta.title = "Title with \u{1} control & <markup>".to_owned();
    doc.blocks = vec![
        Block::Heading {
            level: 0,
            text: vec![],
        },
        Block::Heading {
            level: 9,
            text: vec![Inline::text("Too deep\tstill\na heading")],
        },
        Block::Contents,
        Block::Paragraph { text: vec![] },
        Block::List {
            ordered: true,
            items: vec![],
        },
        deep,
        Block::Table {
            header: vec![],
            rows: vec![],
            widths: Vec::new(),
        },
        Block::Table {
            header: vec![vec![Inline::text("One column")]],
            rows: vec![
                vec![],
                vec![vec![Inline::text("a")], vec![Inline::text("b")]],
            ],
            widths: Vec::new(),
        },
        // A cell taller than a page: none of its text may be lost.
        Block::Table {
            header: vec![
                vec![Inline::text("Narrative")],
                vec![Inline::text("Agency")],
            ],
            rows: vec![vec![
                vec![Inline::text(&long_cell)],
                vec![Inline::text("Police")],
            ]],
            widths: Vec::new(),
        },
    ];
    let dir = temp_dir();
    let path = write_docx(&doc, dir.path(), "odd.docx");
    let out = run(
        "openxml-audit",
        &[
            "--output",
            "json",
            "--max-errors",
            "0",
            &path.to_string_lossy(),
        ],
        dir.path(),
    );
    let report: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("openxml-audit output: {e}\n{out}"));
    assert_eq!(report[0]["error_count"], 0, "{out}");
    let text = libreoffice_text(&doc);
    assert!(flat(&text).contains("Too deep still a heading"), "{text}");
    assert!(
        flat(&text).contains("Title with control & <markup>"),
        "{text}"
    );
    assert!(
        flat(&text).contains("word1499"),
        "the long cell was cut off:\n{text}"
    );
}

#[test]
fn the_package_holds_only_the_parts_it_uses_with_fixed_timestamps() {
    let bytes = render_docx(&sample_document(1)).unwrap_or_else(|e| panic!("{e}"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes))
        .unwrap_or_else(|e| panic!("the package is a zip: {e}"));
    let mut names = Vec::new();
    for index in 0..archive.len() {
        let entry = archive.by_index(index).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            entry.last_modified(),
            Some(zip::DateTime::default()),
            "{}",
            entry.name()
        );
        names.push(entry.name().to_owned());
    }
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/core.xml",
            "docProps/app.xml",
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
            "word/numbering.xml",
            "word/settings.xml",
            "word/fontTable.xml",
            "word/theme/theme1.xml",
            "word/header1.xml",
            "word/footer1.xml",
        ]
    );
    let types = part(&bytes, "[Content_Types].xml");
    for name in names
        .iter()
        .filter(|n| n.ends_with(".xml") && !n.starts_with('['))
    {
        assert!(types.contains(&format!("PartName=\"/{name}\"")), "{name}");
    }
    // One bulleted and one numbered list in a one-section sample: bullets share the static
    // instance, the numbered list gets its own, restarting at 1.
    let numbering = part(&bytes, "word/numbering.xml");
    assert_eq!(numbering.matches("<w:num ").count(), 3, "{numbering}");
    assert!(numbering.contains("<w:num w:numId=\"3\"><w:abstractNumId w:val=\"2\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/>"));
}

#[test]
fn a_widths_hint_sets_the_columns_and_a_wrong_one_is_ignored() {
    let cell = |s: &str| vec![Inline::text(s)];
    let table = |widths: Vec<u16>| Block::Table {
        header: vec![cell("Date"), cell("What happened")],
        rows: vec![vec![cell("01/03/2025"), cell("Seen at home")]],
        widths,
    };
    let mut doc = sample_document(0);
    doc.blocks = vec![table(vec![1, 3]), table(vec![1, 2, 3]), table(vec![])];
    let xml = part(
        &render_docx(&doc).unwrap_or_else(|e| panic!("{e}")),
        "word/document.xml",
    );
    let grids: Vec<&str> = xml
        .split("<w:tblGrid>")
        .skip(1)
        .filter_map(|rest| rest.split("</w:tblGrid>").next())
        .collect();
    assert_eq!(
        grids[0],
        "<w:gridCol w:w=\"2256\"/><w:gridCol w:w=\"6770\"/>"
    );
    assert_eq!(
        grids[1], grids[2],
        "a hint with three numbers for two columns"
    );
    assert_ne!(grids[0], grids[2]);
}

/// The text of every `w:t` in `xml`, with `w:tab` and `w:br` as tab and newline, checking on
/// the way that the XML is well formed.
fn text_of(xml: &str) -> Result<String, quick_xml::Error> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let (mut out, mut in_text) = (String::new(), false);
    loop {
        match reader.read_event()? {
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
            Event::Empty(e) if e.name().as_ref() == b"w:tab" => out.push('\t'),
            Event::Empty(e) if e.name().as_ref() == b"w:br" => out.push('\n'),
            Event::Text(t) if in_text => out.push_str(&t.decode().map_err(quick_xml::Error::from)?),
            Event::GeneralRef(r) if in_text => {
                let name = r.decode().map_err(quick_xml::Error::from)?;
                let resolved = quick_xml::escape::resolve_predefined_entity(&name);
                out.push_str(resolved.unwrap_or_default());
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Whatever is typed, in a paragraph, a heading, a table cell, the title or the marking, the
    /// parts stay well formed and the text reads back as typed, less what XML cannot carry.
    #[test]
    fn any_typed_text_reads_back_as_typed(typed in "\\PC{0,40}|[\\x00-\\x7f]{0,40}") {
        let mut doc = sample_document(0);
        doc.meta.title = typed.clone();
        doc.meta.marking = typed.clone();
        let text = vec![Inline::text(&typed)];
        doc.blocks = vec![
            Block::Heading { level: 1, text: text.clone() },
            Block::Paragraph { text: text.clone() },
            Block::Table { header: vec![text.clone()], rows: vec![vec![text]], widths: vec![] },
        ];
        let bytes = render_docx(&doc).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
        let expected: String = typed
            .chars()
            .filter(|&c| matches!(c, '\t' | '\n' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..))
            .collect();
        let body = text_of(&part(&bytes, "word/document.xml"));
        proptest::prop_assert_eq!(body.ok(), Some(expected.repeat(4)));
        let header = text_of(&part(&bytes, "word/header1.xml"));
        proptest::prop_assert_eq!(header.ok(), Some(expected.repeat(2)));
        for name in ["word/footer1.xml", "docProps/core.xml", "word/styles.xml"] {
            proptest::prop_assert!(text_of(&part(&bytes, name)).is_ok(), "{}", name);
        }
    }
}
