"""What the columns of a registry file are and which row names them: the known columns and their
synonyms, the header row found among a sheet's first rows, a column's letter and label. Pure: cells in,
plain values out; no ORM, no settings.

Headers come as people really type them: a title row above, full-width brackets, stray spaces or line
breaks, a unit or a note in brackets after the name, synonyms for the same column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ..punctuation import series

HEADER_SCAN_ROWS = 20
TEN_THOUSAND = Decimal(10000)

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
