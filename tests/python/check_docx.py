"""Independent check of a DOCX written by safeguarding-forms, using python-docx.

Usage: check_docx.py FILE.docx HOSTILE_TEXT

Reads the file with python-docx and asserts what the renderer promises about the sample
document in tests/suite/support/sample_document.rs: the Title and Heading styles, list styles, the
contents entries, tables with their header row, header and footer text with the protective
marking, the core properties, and user text exactly as typed. Prints "docx ok" on success;
any failure raises with a message and a non-zero exit status.
"""

import sys

import docx
import docx.enum.style

TITLE = "Local Child Safeguarding Practice Review: Child K"
SUBJECT = "Local child safeguarding practice review"
AUTHOR = "Kent Safeguarding Children Multi-Agency Partnership"
MARKING = "OFFICIAL-SENSITIVE"


def check(path: str, hostile: str) -> None:
    document = docx.Document(path)
    paragraphs = [(p.style.name if p.style is not None else None, p.text) for p in document.paragraphs]

    def texts(style: str) -> list:
        return [text for name, text in paragraphs if name == style]

    assert texts("Title") == [TITLE], paragraphs[:3]
    headings1 = texts("Heading 1")
    assert headings1[0] == "1. Findings on theme 1", headings1
    assert headings1[-1] == "Text as typed", headings1
    assert "1.1 What happened" in texts("Heading 2"), texts("Heading 2")
    assert "1.1.1 Agency involvement" in texts("Heading 3"), texts("Heading 3")
    assert "Kent Police attended the address twice." in texts("List Bullet")
    assert any(t.startswith("Kent and Medway ICB to audit") for t in texts("List Number"))

    # The contents are filled in, one entry per chapter and section that follows (level 3 is
    # left out, as the TOC field's "1-2" says), at the right level.
    assert texts("TOC Heading") == ["Contents"]
    assert texts("toc 1") == headings1, texts("toc 1")
    assert texts("toc 2") == texts("Heading 2")
    assert texts("toc 3") == [], texts("toc 3")
    body = document.element.body.xml
    assert 'TOC \\o "1-2"' in body, "no TOC field instruction"

    # Every table: Table Grid, header row first, body cells as typed.
    assert document.tables, "no tables"
    for table in document.tables:
        assert table.style is not None and table.style.name == "Table Grid", table.style
        assert [c.text for c in table.rows[0].cells] == ["Date", "Agency", "What happened"]
        assert table.rows[1].cells[0].text == "01 March 2025"
        assert table.rows[0]._tr.trPr is not None, "header row has no row properties"
        assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1, "header row does not repeat"

    # The paragraph with what a user typed comes back character for character.
    assert hostile in [text for _, text in paragraphs], "hostile text altered"

    section = document.sections[0]
    header = [p.text for p in section.header.paragraphs]
    footer = [p.text for p in section.footer.paragraphs]
    assert MARKING in header and TITLE in header, header
    assert MARKING in footer, footer
    assert any(t.startswith("Page ") and " of " in t for t in footer), footer
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml, "no page number fields"

    # Styles a person can reuse: the list styles carry their numbering, so a paragraph set to
    # List Bullet in Word gets a bullet; the document's defaults give Arial 12 pt in British
    # English.
    styles = document.styles
    for name in ("List Bullet", "List Number"):
        assert styles[name].element.pPr.numPr is not None, f"{name} has no numbering"
    assert styles["Table Grid"].type == docx.enum.style.WD_STYLE_TYPE.TABLE
    defaults = styles.element.xml.split("</w:docDefaults>")[0]
    assert 'w:ascii="Arial"' in defaults and 'w:val="24"' in defaults, defaults
    assert 'w:val="en-GB"' in defaults, defaults
    assert styles.default(docx.enum.style.WD_STYLE_TYPE.PARAGRAPH).name == "Normal"

    props = document.core_properties
    assert props.title == TITLE, props.title
    assert props.subject == SUBJECT, props.subject
    assert props.author == AUTHOR, props.author
    assert props.language == "en-GB", props.language
    assert props.created is not None and props.created.year == 2026, props.created


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    check(sys.argv[1], sys.argv[2])
    print("docx ok")
