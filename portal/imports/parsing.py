"""Reading an uploaded registry file: which format, which encoding and delimiter, where the header row
is and what each column means. Pure: bytes and cells in, plain values out; no ORM, no settings.

Files come from Excel and WPS as people really save them: a title row above the header, headers
typed with full-width brackets, stray spaces or line breaks, synonyms for the same column, CSV in
GBK or in UTF-8 with or without a BOM, comma- or tab-separated.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ..punctuation import series
from ..rules import UploadRefused
from ..uploads import XLSX as XLSX_KIND
from ..uploads import kind_label, main_part, open_zip, sniff

XLSX = "xlsx"
CSV = "csv"
CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
HEADER_SCAN_ROWS = 20
TEN_THOUSAND = Decimal(10000)
# What a workbook may inflate to: a 50,000-row registry of 15 columns is about 40 MB of sheet XML.
# A bigger file is not read at all; a zip entry inflating more than 100 times is a bomb (portal.uploads).
XLSX_MAX_UNPACKED = 256 * 1024 * 1024
# The shared strings are what a workbook reader holds in memory whole.
SHARED_STRINGS_MAX = 64 * 1024 * 1024


class ImportFileError(Exception):
    """The file cannot be imported at all. `message` says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the canonical Chinese name: the key of a row's errors and the template's header
    synonyms: tuple[str, ...]


def normalize_header(text: object) -> str:
    """`（注册资本\n 万元）` and `注册资本(万元)` alike: half-width, no blanks at all, no required-marker
    asterisk, no trailing colon, lower case."""
    value = unicodedata.normalize("NFKC", "" if text is None else str(text))
    value = re.sub(r"\s+", "", value)
    return value.strip("*:").lower()


# The header names each column is known by. Matching is on `normalize_header` of both sides, so the
# full-width and half-width spellings of one name need listing only once.
COLUMNS: tuple[Column, ...] = (
    Column("uscc", "统一社会信用代码", ("统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "uscc")),
    Column("name", "企业名称", ("企业名称", "名称", "单位名称", "主体名称", "市场主体名称", "企业(单位)名称")),
    Column("kind", "主体类型", ("主体类型", "类型", "市场主体类型", "企业类型")),
    Column("industry", "行业门类", ("行业门类", "行业", "所属行业", "行业分类", "国民经济行业门类")),
    Column("region", "所在区划", ("所在区划", "区划代码", "行政区划", "行政区划代码", "所在地区", "区划")),
    Column("town", "所在镇街", ("所在镇街", "镇街", "镇(街道)", "所在镇(街道)", "乡镇(街道)", "所属镇街")),
    Column("village", "村（社区）", ("村(社区)", "所在村(社区)", "村社区", "村/社区", "村(居)", "所在村")),
    Column("park", "所在园区", ("所在园区", "园区", "工业园区", "所属园区")),
    Column("is_key", "重点民企", ("重点民企", "是否重点民企", "是否重点企业", "重点企业")),
    Column("employees", "从业人数", ("从业人数", "员工人数", "职工人数", "从业人员", "从业人员数")),
    Column("registered_capital", "注册资本", ("注册资本", "注册资金")),
    Column("founded_on", "成立日期", ("成立日期", "成立时间", "注册日期", "登记日期")),
    Column("address", "住所", ("住所", "地址", "注册地址", "经营地址", "企业地址", "住所(经营场所)")),
    Column("legal_name", "法定代表人", ("法定代表人", "法人代表", "法定代表人姓名", "法人", "法定代表人(负责人)",
                                     "负责人", "经营者")),
    Column("legal_id", "法定代表人身份证号", ("法定代表人身份证号", "法定代表人身份证号码", "法人身份证号",
                                           "法人身份证号码", "身份证号", "身份证号码", "法定代表人证件号码")),
    Column("contact_name", "联系人", ("联系人", "联系人姓名")),
    Column("contact_mobile", "联系电话", ("联系电话", "联系人电话", "手机号", "手机号码", "联系方式", "联系人手机",
                                       "联系人手机号")),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
_SYNONYMS = {normalize_header(s): c.key for c in COLUMNS for s in c.synonyms}
REGION_KEYS = ("region", "town", "village")
REQUIRED_KEYS = ("uscc", "name", "region")  # "region" is met by any of REGION_KEYS


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


def column_label(key: str) -> str:
    return _(COLUMN_BY_KEY[key].label)


def ordered_errors(errors: dict) -> list[tuple[str, str]]:
    """A row's errors in the order of the columns (the database keeps JSON keys in its own order)."""
    order = {column_label(c.key): n for n, c in enumerate(COLUMNS)}
    return sorted((errors or {}).items(), key=lambda item: order.get(item[0], len(order)))


def capital_unit(header: str) -> Decimal | None:
    """The multiplier to yuan a capital header states: 万元 → 10,000, 元 → 1, nothing → None."""
    norm = normalize_header(header)
    unit = norm.split("(", 1)[1] if "(" in norm else ""
    if "万" in unit:
        return TEN_THOUSAND
    if "元" in unit:
        return Decimal(1)
    return None


def match_header(text: object) -> str | None:
    """The column key a header cell names, or None."""
    norm = normalize_header(text)
    if not norm:
        return None
    if norm in _SYNONYMS:
        return _SYNONYMS[norm]
    # `从业人数(人)`, `成立日期(yyyy-mm-dd)`, `注册资本(万元)`: a parenthesized note after a known name.
    base = re.sub(r"\(.*\)$", "", norm)
    return _SYNONYMS.get(base) if base != norm else None


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how Excel names a column."""
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Header:
    """The header row found in a file and what its columns mean."""

    row_number: int  # as the spreadsheet shows it, from 1
    columns: dict[str, int]  # column key -> cell index
    texts: dict[str, str]  # column key -> the header as written (blanks folded)
    capital_unit: Decimal | None = None  # None: the header states no unit
    ignored: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        missing = [k for k in ("uscc", "name") if k not in self.columns]
        if not any(k in self.columns for k in REGION_KEYS):
            missing.append("region")
        return [k for k in REQUIRED_KEYS if k in missing]

    def describe(self) -> list[dict]:
        """For the preview page: each recognized header, what it was read as."""
        described = []
        for key, index in sorted(self.columns.items(), key=lambda kv: kv[1]):
            note = ""
            if key == "registered_capital":
                note = _("单位：万元，乘以 10,000 折合为元") if self.capital_unit == TEN_THOUSAND else (
                    _("单位：元") if self.capital_unit == 1 else _("表头未注明单位：按元计（单元格中写明“万元”的按万元计）")
                )
            described.append({"letter": column_letter(index), "header": self.texts[key],
                              "label": column_label(key), "note": note})
        return described


def header_from_row(row_number: int, cells: list) -> tuple[Header, list[str]]:
    """Read one row as a header. Returns it and the problems that forbid using it (duplicates)."""
    header = Header(row_number=row_number, columns={}, texts={})
    problems = []
    for index, cell in enumerate(cells):
        key = match_header(cell)
        text = re.sub(r"\s+", " ", str(cell)).strip() if cell is not None else ""
        if key is None:
            if text:
                header.ignored.append(text)
            continue
        if key in header.columns:
            problems.append(
                _("表头“%(label)s”出现了两次（第 %(a)s 列和第 %(b)s 列），请删除其中一列。")
                % {"label": column_label(key), "a": column_letter(header.columns[key]), "b": column_letter(index)}
            )
            continue
        header.columns[key] = index
        header.texts[key] = text
        if key == "registered_capital":
            header.capital_unit = capital_unit(text)
    return header, problems


def find_header(rows: list[tuple[int, list]]) -> Header:
    """The header among the first rows of a sheet: the row that names the most known columns (a title
    row above it is common). Refuses the file when that row lacks a required column."""
    best: tuple[Header, list[str]] | None = None
    for row_number, cells in rows[:HEADER_SCAN_ROWS]:
        candidate = header_from_row(row_number, cells)
        if best is None or len(candidate[0].columns) > len(best[0].columns):
            best = candidate
    if best is None:
        raise ImportFileError(_("文件是空的，没有表头和数据。"))
    header, problems = best
    if header.missing:
        raise ImportFileError(
            _("未找到可识别的表头行：缺少必填列%(columns)s。请对照导入模板检查表头。")
            % {"columns": series(f"“{column_label(k)}”" for k in header.missing)}
        )
    if problems:
        raise ImportFileError(problems[0])
    return header


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
