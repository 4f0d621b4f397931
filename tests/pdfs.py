"""What a rendered PDF is made of, read back with pypdf."""

from io import BytesIO

from pypdf import PdfReader

NOTDEF = ".notdef glyph"


def embedded_fonts(pdf: bytes) -> set[str]:
    """Base names of the fonts whose program is embedded in the PDF, subset prefix removed
    ("ABCDEF+IPAexGothic" -> "IPAexGothic")."""
    names = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def notdef_warnings(records) -> list[str]:
    """WeasyPrint's warnings that it drew a missing glyph (a box) for some text."""
    return [r.getMessage() for r in records
            if r.name.startswith("weasyprint") and NOTDEF in r.getMessage()]
