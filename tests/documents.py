"""Real small files of each accepted kind, made in the test (not a test module itself): the upload
checks open them by their structure, so a stand-in like b"%PDF-1.4 x" is refused now."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile


@cache
def pdf_bytes(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _n in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@cache
def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (16, 12), mode: str = "RGB") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size, color=0).save(out, fmt)
    return out.getvalue()


def png_bytes() -> bytes:
    return image_bytes("PNG")


def jpeg_bytes() -> bytes:
    return image_bytes("JPEG")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares its size and holds no pixels: what a decompression bomb's header says."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IEND", b""))


CONTENT_TYPES = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
}


def docx_bytes(kind: str = "docx", body: str = "党建工作台账") -> bytes:
    """A minimal Word package: content types, the package relationship and the document."""
    part, content_type = CONTENT_TYPES[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'officeDocument" Target="{part}"/></Relationships>'))
        archive.writestr(part, (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:body></w:document>'))
    return out.getvalue()


def xlsx_bytes(rows=(("统一社会信用代码", "企业名称"), ("91510799MA6ABCDE14", "星湖精工有限公司"))) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ole_bytes(stream: str = "WordDocument", size: int = 4096) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding one stream of `size` bytes
    (at least 4096, so it lives in ordinary sectors): what a .doc ("WordDocument") or an .xls
    ("Workbook") is built on."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    data_sectors = -(-size // 512)
    fat = [fat_sector, end] + [3 + n for n in range(data_sectors - 1)] + [end]
    fat += [free] * (128 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)

    def entry(name: str, kind: int, child: int, start: int, length: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1 if name else 0)
                + struct.pack("<III", no_stream, no_stream, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
                + struct.pack("<IQ", start, length))

    directory = (entry("Root Entry", 5, 1, end, 0) + entry(stream, 2, no_stream, 2, size)
                 + entry("", 0, no_stream, 0, 0) + entry("", 0, no_stream, 0, 0))
    body = b"\x01" * size
    return header + struct.pack("<128I", *fat) + directory + body.ljust(data_sectors * 512, b"\0")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_upload(name: str = "台账.pdf") -> SimpleUploadedFile:
    return upload(name, pdf_bytes(), "application/pdf")


def png_upload(name: str = "照片.png") -> SimpleUploadedFile:
    return upload(name, png_bytes(), "image/png")


# --- workbooks written by hand, streamed: 200,000 rows in a couple of seconds --------------------------

_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _column(index: int) -> str:
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def streamed_xlsx(rows, *, blank_bytes: int = 0) -> bytes:
    """A real .xlsx (content types, workbook, one sheet of inline strings) written row by row, so a
    test can make 200,000 rows quickly and without holding them; `blank_bytes` of blanks go after the
    rows, inside the sheet's XML: a sheet that inflates hugely from a small file (a zip bomb that is
    otherwise a valid workbook)."""
    from xml.sax.saxutils import escape

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_SHEET_NS}" '
            f'xmlns:r="{_REL_NS}"><sheets><sheet name="名录" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_SHEET_NS}">'
                       '<sheetData>'.encode())
            buffer = []
            for number, row in enumerate(rows, start=1):
                cells = "".join(f'<c r="{_column(i)}{number}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
                                for i, v in enumerate(row) if v is not None)
                buffer.append(f'<row r="{number}">{cells}</row>')
                if len(buffer) >= 2000:
                    part.write("".join(buffer).encode())
                    buffer.clear()
            part.write("".join(buffer).encode())
            blank = b" " * (1024 * 1024)
            for _n in range(blank_bytes // len(blank)):
                part.write(blank)
            part.write(b"</sheetData></worksheet>")
    return out.getvalue()
