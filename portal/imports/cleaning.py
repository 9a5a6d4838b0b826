"""Turning one spreadsheet row into the values of an enterprise, or into the reasons it cannot be.
Pure: the regions and parks arrive as plain indexes built by the caller; no ORM, no settings.

A blank optional cell means "leave as it is" (for a new enterprise: the default), so a partial
export can be imported without wiping what the registry already holds.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..choices import EnterpriseKind, Industry
from ..rules import check_id_number, check_mobile, check_uscc, clean_text, region_prefix, strip_invisible
from .columns import TEN_THOUSAND, Header, column_label
from .parsing import CellProblem, is_blank

FREE_TEXT = ("name", "address", "legal_name", "contact_name")
NAME_MAX, ADDRESS_MAX, PERSON_NAME_MAX = 120, 200, 32
CAPITAL_MAX = Decimal("99999999999999.99")  # max_digits=16, decimal_places=2
EMPLOYEES_MAX = 2147483647
CENT = Decimal("0.01")


def _squash(value: object) -> str:
    """For matching names: half-width, no blanks, no separators people put between town and village."""
    return re.sub(r"[\s/\\\-·、,，]+", "", unicodedata.normalize("NFKC", str(value or "")))


# --- the registry the cleaner resolves names against ----------------------------------------------------

@dataclass(frozen=True)
class RegionEntry:
    id: int
    code: str
    name: str
    level: str  # city / town / village
    parent_id: int | None


class RegionIndex:
    """Regions by code and by name: `东湖镇东湖村`, `星湖市东湖镇东湖村`, a village or town name when it is
    unique, and a village within a town given in two columns."""

    def __init__(self, entries):
        self.by_id = {e.id: e for e in entries}
        self.by_code = {e.code: e for e in entries}
        self.by_full: dict[str, list[int]] = {}
        self.by_name: dict[tuple[str, str], list[int]] = {}  # (level, name) -> ids
        for e in self.by_id.values():
            self.by_name.setdefault((e.level, _squash(e.name)), []).append(e.id)
            for full in {self._chain(e, with_city=True), self._chain(e, with_city=False)}:
                self.by_full.setdefault(_squash(full), []).append(e.id)

    def _chain(self, entry: RegionEntry, *, with_city: bool) -> str:
        names, node = [], entry
        while node is not None:
            if with_city or node.level != "city" or node is entry:
                names.append(node.name)
            node = self.by_id.get(node.parent_id) if node.parent_id else None
        return "".join(reversed(names))

    def display(self, region_id: int | None) -> str:
        entry = self.by_id.get(region_id)
        return self._chain(entry, with_city=False) if entry else ""

    def prefix(self, region_id: int) -> str:
        entry = self.by_id[region_id]
        return region_prefix(entry.code, entry.level)

    def resolve(self, value: str) -> tuple[int | None, str]:
        text = _squash(value)
        if not text:
            return None, _("所在区划不能为空。")
        if text.isdigit():
            code = text.ljust(12, "0") if len(text) in (6, 9) else text
            if len(code) != 12:
                return None, _("区划代码应为 12 位数字，实为 %(n)d 位。") % {"n": len(text)}
            entry = self.by_code.get(code)
            if entry is None:
                return None, _("未找到区划代码“%(code)s”。") % {"code": code}
            return entry.id, ""
        ids = self.by_full.get(text)
        if ids and len(ids) == 1:
            return ids[0], ""
        for level in ("village", "town"):
            ids = self.by_name.get((level, text), [])
            if len(ids) == 1:
                return ids[0], ""
            if len(ids) > 1:
                example = self.display(ids[0])
                return None, _("区划名称“%(value)s”不唯一，请写明所在镇街（如“%(example)s”）或填写 12 位区划代码。") % {
                    "value": value, "example": example}
        return None, _("未找到区划“%(value)s”，请填写 12 位区划代码或“镇街+村（社区）”名称。") % {"value": value}

    def resolve_parts(self, town: str, village: str) -> tuple[int | None, str]:
        """A town column and a village column, either possibly blank."""
        if not _squash(village):
            return self.resolve(town)
        if not _squash(town):
            return self.resolve(village)
        return self.resolve(f"{_squash(town)}{_squash(village)}")


@dataclass(frozen=True)
class ParkEntry:
    id: int
    code: str
    name: str
    region_code: str
    region_level: str


class ParkIndex:
    def __init__(self, entries):
        self.by_id = {e.id: e for e in entries}
        self.by_key = {}
        for e in self.by_id.values():
            self.by_key[_squash(e.name)] = e.id
            self.by_key[_squash(e.code).upper()] = e.id

    def resolve(self, value: str) -> tuple[int | None, str]:
        text = _squash(value)
        park_id = self.by_key.get(text) or self.by_key.get(text.upper())
        if park_id is None:
            return None, _("未找到园区“%(value)s”。") % {"value": value}
        return park_id, ""

    def display(self, park_id: int | None) -> str:
        entry = self.by_id.get(park_id)
        return entry.name if entry else ""

    def prefix(self, park_id: int) -> str:
        entry = self.by_id[park_id]
        return region_prefix(entry.region_code, entry.region_level)


# --- single values ----------------------------------------------------------------------------------------

def cell_text(raw: object) -> str:
    """A cell as text. Whole numbers that a spreadsheet stores as floats (`120.0`) lose the `.0`."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return clean_text(raw)


def free_text(raw: object) -> str:
    """Names and addresses: no control, bidirectional or zero-width characters, blanks folded and
    trimmed, but not converted to half-width: Chinese names are registered with full-width brackets
    and punctuation, 星湖机械（集团）有限公司."""
    if not isinstance(raw, str):
        return cell_text(raw)
    return re.sub(r"\s+", " ", strip_invisible(raw).replace("\u3000", " ")).strip()


# Excel shows a long number like an ID number as 5.10603E+17 and, once saved so, its last digits are gone.
SCIENTIFIC_RE = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(raw: object, today: datetime.date) -> tuple[datetime.date | None, str]:
    """An Excel date cell, an Excel serial number, 2019-03-01, 2019/3/1, 2019.3.1, 2019年3月1日, 20190301."""
    if isinstance(raw, datetime.datetime):
        value = raw.date()
    elif isinstance(raw, datetime.date):
        value = raw
    else:
        text = cell_text(raw)
        value = None
        if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 2958466 and \
                not re.fullmatch(r"\d{8}", text):
            value = EXCEL_EPOCH + datetime.timedelta(days=int(raw))
        else:
            match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text.replace(" ", "")) or \
                re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
            if match:
                try:
                    value = datetime.date(*(int(g) for g in match.groups()))
                except ValueError:
                    value = None
        if value is None:
            return None, _("成立日期“%(value)s”无法识别，请填写如 2019-03-01 的日期。") % {"value": text}
    if value > today:
        return None, _("成立日期不能晚于今天。")
    return value, ""


def parse_capital(raw: object, header_unit: Decimal | None) -> tuple[Decimal | None, str]:
    """Registered capital in yuan. A unit written in the cell (`500万元`, `500万`, `3000元`) wins over the
    header's; with neither, the number is yuan. Spreadsheet floats go through their shortest repr,
    so 100.1 stays 100.1; the arithmetic is Decimal throughout."""
    text = cell_text(raw).replace(",", "").replace(" ", "")
    match = re.fullmatch(r"(?:人民币)?([-+]?\d+(?:\.\d+)?)(万元|万|元)?(?:人民币|\(人民币\))?", text)
    if not match:
        return None, _("注册资本“%(value)s”不是有效的数字。") % {"value": cell_text(raw)}
    try:
        amount = Decimal(match.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimal numbers
        return None, _("注册资本“%(value)s”不是有效的数字。") % {"value": cell_text(raw)}
    unit = match.group(2)
    if unit in ("万元", "万"):
        amount *= TEN_THOUSAND
    elif unit is None and header_unit is not None:
        amount *= header_unit
    if amount < 0:
        return None, _("注册资本不能为负数。")
    # The range before the fen: quantizing a number of 30 digits overflows Decimal's precision.
    if amount > CAPITAL_MAX:
        return None, _("注册资本数额过大。")
    if amount != amount.quantize(CENT):
        return None, _("注册资本折合为元后最多保留两位小数。")
    return amount.quantize(CENT), ""


def parse_employees(raw: object) -> tuple[int | None, str]:
    text = cell_text(raw).replace(",", "").replace(" ", "")
    text = re.sub(r"人$", "", text)
    if not re.fullmatch(r"\d+", text) or int(text) > EMPLOYEES_MAX:
        return None, _("从业人数应为不小于 0 的整数，实为“%(value)s”。") % {"value": cell_text(raw)}
    return int(text), ""


TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "重点", "是重点民企"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "✗", "✘", "x", "非重点", "不是"}


def parse_bool(raw: object) -> tuple[bool | None, str]:
    if isinstance(raw, bool):
        return raw, ""
    text = cell_text(raw).lower()
    if text in TRUE_WORDS:
        return True, ""
    if text in FALSE_WORDS:
        return False, ""
    return None, _("重点民企应填“是”或“否”，实为“%(value)s”。") % {"value": cell_text(raw)}


KIND_WORDS = {
    "民营企业": EnterpriseKind.PRIVATE, "民企": EnterpriseKind.PRIVATE, "私营企业": EnterpriseKind.PRIVATE,
    "企业": EnterpriseKind.PRIVATE, "有限责任公司": EnterpriseKind.PRIVATE, "private": EnterpriseKind.PRIVATE,
    "农民专业合作社": EnterpriseKind.COOPERATIVE, "专业合作社": EnterpriseKind.COOPERATIVE,
    "农业专合社": EnterpriseKind.COOPERATIVE, "专合社": EnterpriseKind.COOPERATIVE,
    "合作社": EnterpriseKind.COOPERATIVE, "coop": EnterpriseKind.COOPERATIVE,
    "家庭农场": EnterpriseKind.FAMILY_FARM, "farm": EnterpriseKind.FAMILY_FARM,
}


def parse_kind(raw: object) -> tuple[str | None, str]:
    kind = KIND_WORDS.get(_squash(raw).lower())
    if kind is None:
        return None, _("主体类型“%(value)s”无法识别，应为：民营企业、农民专业合作社、家庭农场。") % {"value": cell_text(raw)}
    return str(kind), ""


_INDUSTRY_BY_LABEL = {_squash(label): value for value, label in Industry.choices}


def parse_industry(raw: object) -> tuple[str | None, str]:
    """`C`, `制造业`, or both together (`C 制造业`, `C-制造业`)."""
    text = _squash(raw)
    match = re.fullmatch(r"([A-Za-z])(.*)", text)
    if match and match.group(1).upper() in Industry.values:
        letter = match.group(1).upper()
        if not match.group(2) or _INDUSTRY_BY_LABEL.get(match.group(2)) == letter:
            return letter, ""
    if text in _INDUSTRY_BY_LABEL:
        return _INDUSTRY_BY_LABEL[text], ""
    return None, _("行业门类“%(value)s”无法识别，应为门类字母（如 C）或名称（如 制造业）。") % {"value": cell_text(raw)}


def check_long_number(raw: object, text: str) -> str:
    if (isinstance(raw, float) and raw > 1e15) or SCIENTIFIC_RE.match(text):
        return _("身份证号被存成了数字，末几位已经丢失：请把该列设为“文本”格式后重新填写。")
    return ""


# --- a whole row ------------------------------------------------------------------------------------------

@dataclass
class CleanRow:
    row_number: int
    data: dict  # JSON-ready: only the columns the file has and the row fills
    errors: dict = field(default_factory=dict)  # column label -> message

    @property
    def uscc(self) -> str:
        return self.data.get("uscc", "")

    @property
    def name(self) -> str:
        return self.data.get("name", "")


class RowCleaner:
    """Cleans the rows of one file in order; remembers what earlier rows held, so that a credit code
    or an ID number given twice is caught on the later row."""

    def __init__(self, header: Header, regions: RegionIndex, parks: ParkIndex, today: datetime.date):
        self.header = header
        self.regions = regions
        self.parks = parks
        self.today = today
        self.seen_codes: dict[str, int] = {}
        self.seen_ids: dict[str, tuple[str, int]] = {}

    def cell(self, cells: list, key: str) -> object:
        index = self.header.columns.get(key)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def clean(self, row_number: int, cells: list) -> CleanRow:
        row = CleanRow(row_number=row_number, data={})
        data, errors = row.data, row.errors

        def fail(key: str, message: str):
            errors.setdefault(column_label(key), message)

        raw = {key: self.cell(cells, key) for key in self.header.columns}
        for key, value in raw.items():
            if isinstance(value, CellProblem):  # a formula or a merged cell: said first, read as empty
                fail(key, value.message)
                raw[key] = None
        text = {key: free_text(value) if key in FREE_TEXT else cell_text(value) for key, value in raw.items()}

        result = check_uscc(text.get("uscc", ""))
        data["uscc"] = result.value
        if not result.ok:
            fail("uscc", result.error)
        elif result.value in self.seen_codes:
            fail("uscc", _("统一社会信用代码与第 %(row)d 行重复。") % {"row": self.seen_codes[result.value]})
        else:
            self.seen_codes[result.value] = row_number

        data["name"] = text.get("name", "")
        if not data["name"]:
            fail("name", _("企业名称不能为空。"))
        elif len(data["name"]) > NAME_MAX:
            fail("name", _("企业名称不能超过 %(n)d 个字。") % {"n": NAME_MAX})

        if text.get("region"):
            region_id, error = self.regions.resolve(text["region"])
        else:
            region_id, error = self.regions.resolve_parts(text.get("town", ""), text.get("village", ""))
        if error:
            fail("region", error)
        else:
            data["region_id"] = region_id

        simple = (("kind", parse_kind), ("industry", parse_industry), ("is_key", parse_bool),
                  ("employees", parse_employees))
        for key, parse in simple:
            if text.get(key):
                value, error = parse(raw[key])
                if error:
                    fail(key, error)
                else:
                    data[key] = value

        if text.get("park"):
            park_id, error = self.parks.resolve(text["park"])
            if error:
                fail("park", error)
            elif region_id and not self.regions.prefix(region_id).startswith(self.parks.prefix(park_id)):
                fail("park", _("园区“%(park)s”不在所填区划内。") % {"park": self.parks.display(park_id)})
            else:
                data["park_id"] = park_id

        if text.get("registered_capital"):
            value, error = parse_capital(raw["registered_capital"], self.header.capital_unit)
            if error:
                fail("registered_capital", error)
            else:
                data["registered_capital"] = str(value)

        if text.get("founded_on"):
            value, error = parse_date(raw["founded_on"], self.today)
            if error:
                fail("founded_on", error)
            else:
                data["founded_on"] = value.isoformat()

        if text.get("address"):
            if len(text["address"]) > ADDRESS_MAX:
                fail("address", _("住所不能超过 %(n)d 个字。") % {"n": ADDRESS_MAX})
            else:
                data["address"] = text["address"]

        self._people(raw, text, data, fail, row_number)
        return row

    @staticmethod
    def _person_name(key, name, data, fail):
        if not name:
            return
        if len(name) > PERSON_NAME_MAX:
            fail(key, _("姓名不能超过 %(n)d 个字。") % {"n": PERSON_NAME_MAX})
        else:
            data[key] = name

    def _people(self, raw, text, data, fail, row_number):
        legal_name, legal_id = text.get("legal_name", ""), text.get("legal_id", "")
        self._person_name("legal_name", legal_name, data, fail)
        if legal_id:
            error = check_long_number(raw.get("legal_id"), legal_id)
            result = check_id_number(legal_id)
            if error or not result.ok:
                fail("legal_id", error or result.error)
            elif not legal_name:
                fail("legal_id", _("填写了法定代表人身份证号，请同时填写法定代表人姓名。"))
            else:
                seen = self.seen_ids.get(result.value)
                if seen and seen[0] != legal_name:
                    fail("legal_id", _("身份证号与第 %(row)d 行相同，但姓名不同（“%(name)s”）。")
                         % {"row": seen[1], "name": seen[0]})
                else:
                    self.seen_ids.setdefault(result.value, (legal_name, row_number))
                    data["legal_id"] = result.value

        contact_name, mobile = text.get("contact_name", ""), text.get("contact_mobile", "")
        self._person_name("contact_name", contact_name, data, fail)
        if mobile:
            result = check_mobile(mobile)
            if not result.ok:
                fail("contact_mobile", result.error)
            elif not contact_name:
                fail("contact_mobile", _("填写了联系电话，请同时填写联系人。"))
            else:
                data["contact_mobile"] = result.value

    def rows(self, numbered_rows):
        """Clean every non-blank row of an iterator of (row number, cells)."""
        for row_number, cells in numbered_rows:
            if is_blank(cells):
                continue
            yield self.clean(row_number, cells)
