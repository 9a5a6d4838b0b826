"""Reading an uploaded registry file: which format, which encoding and delimiter, and the rows below
its header (portal.imports.columns finds the header and says what each column means). Pure: bytes in,
cells out; no ORM, no settings.

Files come from Excel and WPS as people really save them: CSV in GBK or in UTF-8 with or without a BOM,
comma- or tab-separated; workbooks with formulas, merged cells, an instructions sheet before the data.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..rules import UploadRefused
from ..uploads import XLSX as XLSX_KIND
from ..uploads import kind_label, main_part, open_zip, sniff
from .columns import (  # noqa: F401 - the names this module has always offered its callers
    COLUMN_BY_KEY,
    COLUMNS,
    HEADER_SCAN_ROWS,
    REGION_KEYS,
    REQUIRED_KEYS,
    TEN_THOUSAND,
    Column,
    Header,
    ImportFileError,
    capital_unit,
    column_label,
    column_letter,
    find_header,
    header_from_row,
    match_header,
    normalize_header,
    ordered_errors,
)

XLSX = "xlsx"
CSV = "csv"
CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
# What a workbook may inflate to: a 50,000-row registry of 15 columns is about 40 MB of sheet XML.
# A bigger file is not read at all; a zip entry inflating more than 100 times is a bomb (portal.uploads).
XLSX_MAX_UNPACKED = 256 * 1024 * 1024
# The shared strings are what a workbook reader holds in memory whole.
SHARED_STRINGS_MAX = 64 * 1024 * 1024


class CellProblem:
    """A cell that is read but cannot be taken as a value: the cleaner reports `message` at the cell's
    column on its row. As text it is empty, so no header or value is read from it."""

    blank = False  # a row of nothing else is a blank row

    def __init__(self, message: str):
        self.message = message

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class FormulaCell(CellProblem):
    def __init__(self, formula: object):
        text = str(formula or "")
        shown = text if len(text) <= 40 else text[:39] + "…"
        super().__init__(_("该单元格是公式（%(f)s）。请将整列复制后“选择性粘贴”为数值，再重新上传。") % {"f": shown})


class MergedCell(CellProblem):
    blank = True

    def __init__(self, ref: str):
        super().__init__(_("该单元格属于合并单元格 %(ref)s，只有合并区域的第一格有值。请取消合并，在每一行填写后重新上传。")
                         % {"ref": ref})


# --- the file itself ---------------------------------------------------------------------------------

def detect_format(name: str, head: bytes) -> str:
    """XLSX or CSV, from the extension and the first bytes; anything else is refused by name."""
    ext = os.path.splitext(name or "")[1].lower()
    if ext == ".xlsx":
        if not head.startswith(b"PK\x03\x04"):
            found = sniff(head)
            if found == "ole":
                raise ImportFileError(_("文件内容是 Excel 97-2003 工作簿（.xls），只是扩展名写成了 .xlsx。"
                                        "请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后上传。"))
            if found == "html":
                raise ImportFileError(_("文件内容是网页（HTML），只是扩展名写成了 .xlsx（有些系统导出的“Excel”其实是网页）。"
                                        "请用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再上传。"))
            if found is not None:
                raise ImportFileError(_("文件内容是 %(actual)s，只是扩展名写成了 .xlsx。请上传 Excel 工作簿（.xlsx）或 CSV 文件。")
                                      % {"actual": kind_label(found)})
            raise ImportFileError(_("文件扩展名是 .xlsx，但内容不是有效的 Excel 工作簿。请在 Excel 或 WPS 中重新另存为 .xlsx。"))
        return XLSX
    if ext in CSV_EXTENSIONS:
        if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
            raise ImportFileError(_("文件扩展名是 %(ext)s，但内容是 Excel 工作簿。请另存为 .xlsx 或 CSV 后上传。")
                                  % {"ext": ext})
        return CSV
    if ext in (".xls", ".et", ".ett", ".xlsm", ".xlsb"):
        raise ImportFileError(
            _("不支持 %(ext)s 格式。请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）或 CSV 后上传。") % {"ext": ext}
        )
    raise ImportFileError(_("只能导入 Excel 工作簿（.xlsx）或 CSV 文件，不支持“%(name)s”。") % {"name": name})


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: a BOM decides (UTF-8, or the UTF-16 of Excel's
    "Unicode text"), else strict UTF-8, else GB18030 (a superset of the GBK that Excel and WPS write
    on Chinese Windows)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ImportFileError(_("无法识别 CSV 文件的编码。请另存为“CSV UTF-8”或 GBK 编码的 CSV 后上传。")) from None


def detect_delimiter(text: str) -> str:
    """Comma or tab, whichever the first lines use more."""
    sample = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS])
    return "\t" if sample.count("\t") > sample.count(",") else ","


@dataclass
class Sheet:
    """A table read from a file: its header and an iterator over the data rows that follow it."""

    header: Header
    rows: Iterator[tuple[int, list]]  # (row number as shown, cells)
    estimated_rows: int  # data rows expected (rows with a value below the header); 0 when unknown
    encoding: str = ""
    close: object = None
    formulas: bool = False  # an xlsx sheet holds formulas: those cells are refused row by row
    merged: int = 0  # merged ranges reaching below the header

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if callable(self.close):
            self.close()


def _csv_sheet(data: bytes) -> Sheet:
    text, encoding = decode_text(data)
    text = text.replace("\x00", "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))

    def numbered():
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as error:
            raise ImportFileError(_("CSV 文件第 %(n)d 行无法读取：%(e)s") % {"n": reader.line_num, "e": error}) from None

    rows = numbered()
    head = [next(rows, None) for _i in range(HEADER_SCAN_ROWS)]
    head = [r for r in head if r is not None]
    header = find_header(head)
    after = (r for r in head if r[0] > header.row_number)
    estimated = max(0, text.count("\n") + (0 if text.endswith("\n") else 1) - header.row_number)
    return Sheet(header=header, rows=_chain(after, rows), estimated_rows=estimated, encoding=encoding)


def _chain(first, rest):
    yield from first
    yield from rest


# --- the sheet's XML, read once as bytes: how many rows hold a value, formulas, merged ranges ----------

_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|v|is|f)[\s/>]")
_MERGE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([A-Za-z]{1,3})(\d{1,7}):([A-Za-z]{1,3})(\d{1,7})"')
_CHUNK = 1024 * 1024
_OVERLAP = 512  # longer than any tag the patterns look for


@dataclass
class SheetScan:
    value_rows: int = 0  # rows holding at least one value (or formula)
    formulas: bool = False
    merged: list[tuple[int, int, int, int, str]] = field(default_factory=list)  # col0, row0, col1, row1 (1-based rows), ref
    stopped: bool = False  # stopped counting past `stop_after`


def column_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26 (the inverse of column_letter)."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


def scan_sheet_xml(stream, *, stop_after: int | None = None) -> SheetScan:
    """Read a worksheet's XML as bytes, in chunks: count the rows that hold a value, see whether any
    cell is a formula, collect the merged ranges. No tree is built and the stream is read once, so
    memory stays flat whatever the sheet's size; counting stops once it passes `stop_after` rows."""
    scan = SheetScan()
    row_has_value = False
    carry = b""
    while True:
        chunk = stream.read(_CHUNK)
        data = carry + chunk
        last = not chunk
        # A tag starting in the last _OVERLAP bytes may be cut: leave it for the next round.
        limit = len(data) if last else max(0, len(data) - _OVERLAP)
        for match in _TAG.finditer(data, 0, len(data)):
            if match.start() >= limit:
                break
            tag = match.group(1)
            if tag == b"row":
                if row_has_value:
                    scan.value_rows += 1
                row_has_value = False
            elif tag == b"f":
                scan.formulas = row_has_value = True
            else:
                row_has_value = True
        for match in _MERGE.finditer(data, 0, len(data)):
            if match.start() >= limit:
                break
            c0, r0, c1, r1 = match.groups()
            ref = f"{c0.decode().upper()}{int(r0)}:{c1.decode().upper()}{int(r1)}"
            scan.merged.append((column_index(c0.decode()), int(r0), column_index(c1.decode()), int(r1), ref))
        if stop_after is not None and scan.value_rows > stop_after:
            scan.stopped = True
            return scan
        if last:
            break
        carry = data[limit:]
    if row_has_value:
        scan.value_rows += 1
    return scan


def _marked_rows(rows, merged: list[tuple[int, int, int, int, str]], width: int):
    """The rows with each merged cell (all but a range's first cell, which holds its value) marked
    within the first `width` columns, so the cleaner names it at its column. The ranges are swept in
    row order, so each row looks only at the ranges it lies in."""
    pending = sorted(merged, key=lambda m: m[1])
    active: list[tuple[int, int, int, int, str]] = []
    taken = 0
    for row_number, cells in rows:
        while taken < len(pending) and pending[taken][1] <= row_number:
            active.append(pending[taken])
            taken += 1
        active = [m for m in active if m[3] >= row_number]
        for c0, r0, c1, _r1, ref in active:
            for column in range(c0, min(c1, width - 1) + 1):
                if (row_number, column) == (r0, c0):
                    continue
                if column >= len(cells):
                    cells.extend([None] * (column + 1 - len(cells)))
                if cells[column] is None:
                    cells[column] = MergedCell(ref)
        yield row_number, cells


def _cell_values(sheet, with_formulas: bool):
    """(row number, values) of every row. With formulas in the sheet, a formula cell becomes a
    FormulaCell (it is read as its formula, never as a value a program may have cached or not)."""
    if not with_formulas:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
        return
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        yield number, [FormulaCell(c.value) if getattr(c, "data_type", None) == "f" else c.value for c in cells]


def _size_from_the_head(worksheet) -> None:
    """openpyxl's read-only sheet looks for its <dimension> with "end" events, so a sheet without one
    (openpyxl's own write-only files, many programs' exports) is parsed whole before a single row is
    read: minutes for a big file, before anything can refuse it. The same answer from "start" events
    stops where the rows begin."""
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    with worksheet._get_source() as source:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                ref = element.get("ref")
                if ref:
                    dimension = SheetDimension(ref=ref)
                    (worksheet._min_column, worksheet._min_row, worksheet._max_column,
                     worksheet._max_row) = dimension.boundaries
                return
            if element.tag == DATA_TAG:
                return


def _xlsx_sheet(fileobj, *, max_rows: int | None = None) -> Sheet:
    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    ReadOnlyWorksheet._get_size = _size_from_the_head  # see there: same answer, read from the head only

    try:
        archive = open_zip(fileobj, max_unpacked=XLSX_MAX_UNPACKED, what=".xlsx",
                           member_limits={"xl/sharedStrings.xml": SHARED_STRINGS_MAX})
    except UploadRefused as refused:
        raise ImportFileError(refused.message) from None
    try:
        main_part(archive, XLSX_KIND)
    except UploadRefused as refused:
        archive.close()
        raise ImportFileError(refused.message) from None
    fileobj.seek(0)
    try:
        # Formulas are read as formulas (data_only=False): a value cached by the program that saved the
        # file may be stale or missing, so formula cells are refused rather than guessed.
        workbook = load_workbook(fileobj, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds (zip, XML, KeyError) for a damaged file
        archive.close()
        raise ImportFileError(_("无法读取该 Excel 文件，文件可能已损坏或被加密。请在 Excel 或 WPS 中另存为 .xlsx 后重试。")) \
            from None

    def close():
        workbook.close()
        archive.close()

    first_error = None
    # The first sheet with a usable header: templates often carry an instructions sheet too.
    for sheet in workbook.worksheets:
        head = []
        for item in _cell_values(sheet, with_formulas=False):
            head.append(item)
            if len(head) >= HEADER_SCAN_ROWS:
                break
        try:
            header = find_header(head)
        except ImportFileError as error:
            first_error = first_error or error
            continue
        above = sum(1 for n, cells in head if n <= header.row_number and not is_blank(cells))
        stop_after = None if max_rows is None else max_rows + above
        with archive.open(sheet._worksheet_path) as stream:
            scan = scan_sheet_xml(stream, stop_after=stop_after)
        rows = (item for item in _cell_values(sheet, scan.formulas) if item[0] > header.row_number)
        merged = [m for m in scan.merged if m[3] > header.row_number]
        if merged:
            rows = _marked_rows(rows, merged, width=max(header.columns.values()) + 1)
        return Sheet(header=header, rows=rows, estimated_rows=max(0, scan.value_rows - above), close=close,
                     formulas=scan.formulas, merged=len(merged))
    close()
    raise first_error or ImportFileError(_("文件是空的，没有表头和数据。"))


def open_sheet(fileobj, name: str, *, max_rows: int | None = None) -> Sheet:
    """Open an uploaded file (a binary, seekable file object) as a Sheet, or refuse it. With
    `max_rows`, counting the rows of a workbook stops soon after that many (the caller refuses it)."""
    head = fileobj.read(64)
    fileobj.seek(0)
    fmt = detect_format(name, head)
    if fmt == XLSX:
        return _xlsx_sheet(fileobj, max_rows=max_rows)
    return _csv_sheet(fileobj.read())


def is_blank(cells: list) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) or (isinstance(c, CellProblem) and c.blank)
               for c in cells)
