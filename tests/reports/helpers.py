"""Reading the PDFs the tests make: the text as extracted, and the fonts embedded."""

import io

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages)


def pdf_fonts(content: bytes) -> set[str]:
    """The base names of the fonts embedded in the PDF (with a font file, not merely referenced)."""
    reader = PdfReader(io.BytesIO(content))
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font.get("/BaseFont")))
    return names


def compact(text: str) -> str:
    """Text without the spaces and line breaks a PDF's layout puts between characters."""
    return "".join(text.split())
