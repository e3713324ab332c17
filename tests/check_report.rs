//! The final report check end to end: Word drafts built here for the purpose, one written by
//! LibreOffice, the JSON samples, and hostile files.

use std::io::Write;

use safeguarding_forms::check::docx::read_outline;
use safeguarding_forms::ooxml::{Limits, OoxmlError};

/// A Word draft written with the `zip` crate: real OOXML parts, the styles Word uses.
mod draft {
    use std::io::{Cursor, Write};

    use zip::ZipWriter;
    use zip::write::SimpleFileOptions;

    const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;
    const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/></w:style></w:styles>"#;

    /// A draft under construction.
    #[derive(Default, Clone)]
    pub struct Draft {
        body: String,
    }

    fn escape(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }

    fn paragraph(properties: &str, text: &str) -> String {
        format!(
            r#"<w:p><w:pPr>{properties}</w:pPr><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
            escape(text)
        )
    }

    #[allow(dead_code)] // the completeness tests use the rest
    impl Draft {
        /// A paragraph in the Title style.
        pub fn title(mut self, text: &str) -> Self {
            self.body += &paragraph(r#"<w:pStyle w:val="Title"/>"#, text);
            self
        }

        /// A heading in Word's "Heading N" style.
        pub fn heading(mut self, level: u8, text: &str) -> Self {
            self.body += &paragraph(&format!(r#"<w:pStyle w:val="Heading{level}"/>"#), text);
            self
        }

        /// A paragraph of body text.
        pub fn para(mut self, text: &str) -> Self {
            self.body += &paragraph("", text);
            self
        }

        /// A numbered list item.
        pub fn item(mut self, text: &str) -> Self {
            self.body += &paragraph(
                r#"<w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>"#,
                text,
            );
            self
        }

        /// A table, one slice per row.
        pub fn table(mut self, rows: &[&[&str]]) -> Self {
            self.body += "<w:tbl>";
            for row in rows {
                self.body += "<w:tr>";
                for cell in *row {
                    self.body += &format!("<w:tc>{}</w:tc>", paragraph("", cell));
                }
                self.body += "</w:tr>";
            }
            self.body += "</w:tbl>";
            self
        }

        /// The `word/document.xml` part.
        pub fn document_xml(&self) -> String {
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}<w:sectPr/></w:body></w:document>"#,
                self.body
            )
        }

        /// The whole `.docx` file.
        pub fn docx(&self) -> Vec<u8> {
            package(&[
                ("[Content_Types].xml", CONTENT_TYPES),
                ("_rels/.rels", RELS),
                ("word/_rels/document.xml.rels", DOC_RELS),
                ("word/styles.xml", STYLES),
                ("word/document.xml", &self.document_xml()),
            ])
        }
    }

    /// A zip holding the given parts, deflated.
    pub fn package(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default();
        for (name, text) in parts {
            zip.start_file(*name, options).expect("start zip entry");
            zip.write_all(text.as_bytes()).expect("write zip entry");
        }
        zip.finish().expect("finish zip").into_inner()
    }
}

use draft::{Draft, package};

// ---------------------------------------------------------------------------------------------
// Hostile files

/// A zip with one deflated entry of `gib` GiB of zeros, built from a 1 MiB block compressed once
/// and repeated, with a declared size of `declared` bytes (a hostile zip may lie).
fn zip_bomb(name: &str, gib: u32, declared: u32) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let block = vec![0u8; 1 << 20];
    let mut compress = Compress::new(Compression::best(), false);
    let mut chunk = Vec::with_capacity(4096);
    compress
        .compress_vec(&block, &mut chunk, FlushCompress::Full)
        .expect("compress a block");
    let mut data = Vec::new();
    for _ in 0..(gib * 1024) {
        data.extend_from_slice(&chunk);
    }
    // The final, empty stored block.
    data.extend_from_slice(&[0x03, 0x00]);

    let mut out = Vec::new();
    let header = |out: &mut Vec<u8>, central: bool| {
        let u16le = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&v.to_le_bytes());
        let u32le = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
        u32le(out, if central { 0x0201_4b50 } else { 0x0403_4b50 });
        if central {
            u16le(out, 20);
        }
        for v in [20, 0, 8, 0, 0x21] {
            u16le(out, v);
        }
        u32le(out, 0); // CRC: never reached, the reader stops at its cap first.
        u32le(out, u32::try_from(data.len()).expect("compressed size"));
        u32le(out, declared);
        u16le(out, u16::try_from(name.len()).expect("name length"));
        u16le(out, 0);
        if central {
            for v in [0, 0, 0] {
                u16le(out, v);
            }
            u32le(out, 0);
            u32le(out, 0); // local header offset
        }
        out.extend_from_slice(name.as_bytes());
    };
    header(&mut out, false);
    out.extend_from_slice(&data);
    let central_start = out.len();
    header(&mut out, true);
    let central_size = out.len() - central_start;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&u32::try_from(central_size).expect("cd size").to_le_bytes());
    out.extend_from_slice(
        &u32::try_from(central_start)
            .expect("cd offset")
            .to_le_bytes(),
    );
    out.extend_from_slice(&[0, 0]);
    out
}

#[test]
fn a_zip_bomb_is_refused_by_its_declared_size() {
    let bomb = zip_bomb("word/document.xml", 2, 2 << 30);
    assert!(bomb.len() < 4 << 20, "the test bomb itself stays small");
    let err = read_outline(&bomb, Limits::default()).unwrap_err();
    assert_eq!(err, OoxmlError::Bomb { max_mb: 64 });
    assert!(
        err.to_string().contains("unpacks to more than 64 MB"),
        "{err}"
    );
}

#[test]
fn a_zip_bomb_that_understates_its_size_is_stopped_while_reading() {
    let bomb = zip_bomb("word/document.xml", 2, 1000);
    let limits = Limits {
        max_part_bytes: 8 << 20,
        ..Limits::default()
    };
    let err = read_outline(&bomb, limits).unwrap_err();
    // Either the reader's cap or the zip's own size check stops it; nothing is unpacked in full.
    assert!(
        matches!(err, OoxmlError::Bomb { .. } | OoxmlError::Damaged { .. }),
        "{err:?}"
    );
}

#[test]
fn billion_laughs_is_refused() {
    let mut entities = String::from(r#"<!ENTITY lol0 "lol">"#);
    for i in 1..10 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        entities += &format!(r#"<!ENTITY lol{i} "{refs}">"#);
    }
    let document = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [{entities}]><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let file = package(&[("word/document.xml", &document)]);
    let err = read_outline(&file, Limits::default()).unwrap_err();
    assert_eq!(err, OoxmlError::Declarations);
    assert!(err.to_string().contains("DOCTYPE or ENTITY"), "{err}");
}

#[test]
fn a_package_without_its_document_part_is_refused() {
    let file = package(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/styles.xml", "<w:styles xmlns:w=\"w\"/>"),
    ]);
    let err = read_outline(&file, Limits::default()).unwrap_err();
    assert_eq!(
        err,
        OoxmlError::MissingPart {
            part: "word/document.xml".into()
        }
    );
    assert!(err.to_string().contains("no main document part"), "{err}");
}

#[test]
fn a_pdf_renamed_docx_is_named_as_a_pdf() {
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";
    let err = read_outline(pdf, Limits::default()).unwrap_err();
    assert_eq!(err, OoxmlError::Pdf);
    assert!(
        err.to_string()
            .starts_with("This file is a PDF, not a Word document.")
    );
}

#[test]
fn random_bytes_and_damaged_zips_give_clear_errors_never_a_panic() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut random = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect()
    };
    for size in [1, 7, 100, 4096, 100_000] {
        let err = read_outline(&random(size), Limits::default()).unwrap_err();
        assert_eq!(err, OoxmlError::NotAPackage);
    }
    // A real draft with bytes flipped or cut short.
    let good = Draft::default().heading(1, "Findings").para("Text.").docx();
    for cut in [10, good.len() / 2, good.len() - 10] {
        let err = read_outline(&good[..cut], Limits::default()).unwrap_err();
        assert!(!err.to_string().is_empty());
    }
    for position in (30..good.len()).step_by(37) {
        let mut bad = good.clone();
        bad[position] ^= 0xFF;
        // Either it still reads (the flip hit slack) or it fails with a message.
        if let Err(err) = read_outline(&bad, Limits::default()) {
            assert!(err.to_string().ends_with('.'), "{err}");
        }
    }
}

#[test]
fn too_many_entries_and_deep_nesting_are_refused() {
    let names: Vec<String> = (0..30).map(|i| format!("word/media/{i}.xml")).collect();
    let mut parts: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "<x/>")).collect();
    parts.push(("word/document.xml", "<w:document xmlns:w=\"w\"/>"));
    let limits = Limits {
        max_entries: 20,
        ..Limits::default()
    };
    assert_eq!(
        read_outline(&package(&parts), limits).unwrap_err(),
        OoxmlError::TooManyEntries { count: 31, max: 20 }
    );
    let deep = format!(
        "<w:document xmlns:w=\"w\">{}{}</w:document>",
        "<w:sdt>".repeat(300),
        "</w:sdt>".repeat(300)
    );
    let err =
        read_outline(&package(&[("word/document.xml", &deep)]), Limits::default()).unwrap_err();
    assert_eq!(err, OoxmlError::TooDeep { max: 256 });
}

// ---------------------------------------------------------------------------------------------
// Reading real drafts

#[test]
fn a_docx_written_by_libreoffice_is_read_correctly() {
    let dir = std::env::temp_dir().join(format!("check-report-lo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let html = dir.join("draft.html");
    let mut file = std::fs::File::create(&html).expect("create html");
    file.write_all(
        br#"<html><head><meta charset="utf-8"><title>Draft</title></head><body>
<h1>Child safeguarding practice review: Child Q</h1>
<h2>Terms of reference</h2><p>The review covers 1 March 2025 to 31 January 2026.</p>
<h2>Recommendations</h2>
<ol><li>Kent Police should review domestic abuse referrals by 31 March 2027.</li>
<li>Share learning widely.</li></ol>
<table><tr><td>Agency</td><td>Action</td></tr><tr><td>Kent Police</td><td>Audit</td></tr></table>
</body></html>"#,
    )
    .expect("write html");
    drop(file);
    let status = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir"])
        .arg(&dir)
        .arg(&html)
        .env("HOME", &dir)
        .output()
        .expect("LibreOffice (soffice) must be installed for this test: apt-get install libreoffice-writer-nogui");
    assert!(status.status.success(), "soffice failed: {status:?}");
    let bytes = std::fs::read(dir.join("draft.docx")).expect("LibreOffice wrote draft.docx");
    let outline = read_outline(&bytes, Limits::default()).expect("reads LibreOffice's docx");
    let blocks: Vec<(String, String)> = outline
        .blocks
        .iter()
        .map(|b| (format!("{:?}", b.kind), b.text.clone()))
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        blocks,
        vec![
            (
                "Heading { level: 1, number: None }".into(),
                "Child safeguarding practice review: Child Q".into()
            ),
            (
                "Heading { level: 2, number: None }".into(),
                "Terms of reference".into()
            ),
            (
                "Paragraph".into(),
                "The review covers 1 March 2025 to 31 January 2026.".into()
            ),
            (
                "Heading { level: 2, number: None }".into(),
                "Recommendations".into()
            ),
            (
                "ListItem { level: 0 }".into(),
                "Kent Police should review domestic abuse referrals by 31 March 2027.".into()
            ),
            (
                "ListItem { level: 0 }".into(),
                "Share learning widely.".into()
            ),
            ("TableRow".into(), "Agency | Action".into()),
            ("TableRow".into(), "Kent Police | Audit".into()),
        ]
    );
}
