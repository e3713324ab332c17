"""Independent check of a PDF's accessibility structure with pikepdf.

Usage: python3 check_pdf.py FILE.pdf LANG

Checks /MarkInfo /Marked true, /Lang, a structure tree, the PDF/UA identifier in the XMP
metadata, the title shown in the window (/ViewerPreferences /DisplayDocTitle) and bookmarks
(/Outlines). Prints the bookmark titles, one per line, indented two spaces per level, so the
caller can compare them with the document's headings. Exits 1 with the failures on stderr.
"""

import sys

import pikepdf


def outline_titles(pdf):
    lines = []
    with pdf.open_outline() as outline:
        stack = [(item, 0) for item in reversed(outline.root)]
        while stack:
            item, depth = stack.pop()
            lines.append("  " * depth + str(item.title))
            stack.extend((child, depth + 1) for child in reversed(item.children))
    return lines


def main():
    path, lang = sys.argv[1], sys.argv[2]
    failures = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        mark_info = root.get("/MarkInfo")
        if mark_info is None or not bool(mark_info.get("/Marked", False)):
            failures.append("/MarkInfo /Marked is not true")
        if str(root.get("/Lang", "")) != lang:
            failures.append(f"/Lang is {root.get('/Lang')!r}, expected {lang!r}")
        if "/StructTreeRoot" not in root:
            failures.append("no /StructTreeRoot")
        prefs = root.get("/ViewerPreferences")
        if prefs is None or not bool(prefs.get("/DisplayDocTitle", False)):
            failures.append("/ViewerPreferences /DisplayDocTitle is not true")
        meta = pdf.open_metadata()
        part = meta.get("pdfuaid:part")
        if str(part) != "1":
            failures.append(f"XMP pdfuaid:part is {part!r}, expected '1'")
        if "/Outlines" not in root:
            failures.append("no /Outlines")
        titles = outline_titles(pdf)
        if not titles:
            failures.append("/Outlines has no entries")
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)
    print("\n".join(titles))


if __name__ == "__main__":
    main()
