"""Pure rules of the registry: identifiers, masking, region codes. No ORM, no settings."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError


def to_halfwidth(value: str) -> str:
    """Full-width letters, digits and punctuation (as typed in Chinese input methods) to ASCII."""
    return unicodedata.normalize("NFKC", value or "")


# Characters that change how text is shown without being seen themselves: bidirectional embeddings,
# overrides and isolates and the direction marks (an "RLO" makes "gpj.exe" read as "exe.jpg"), and
# zero-width spaces, joiners and the byte-order mark (two names that look the same but differ).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# In long text the joiners stay: they only join (emoji sequences, some scripts) and move nothing.
_LONG_TEXT_DROPS = BIDI_CONTROLS | (ZERO_WIDTH - {"\u200c", "\u200d"})
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def strip_invisible(value: object, *, multiline: bool = False) -> str:
    """Text without the characters that hide or reorder what is shown.

    A name or title (`multiline=False`) loses every control and format character (Unicode Cc and Cf:
    bidirectional controls, zero-width characters, NUL and the other C0/C1 controls) and every lone
    surrogate; a line break or tab becomes a blank. Long text (a description, a comment, a reason)
    keeps its line breaks (as "\\n") and tabs, and loses the other controls, the bidirectional
    controls, the zero-width spaces and lone surrogates."""
    if value is None:
        return ""
    text = str(value)
    if text.isascii() and text.isprintable():
        return text  # the common case, at once
    text = _LINE_BREAKS.sub("\n", text)
    if multiline:
        return "".join(
            ch for ch in text
            if ch in "\n\t" or not (ch in _LONG_TEXT_DROPS or unicodedata.category(ch) in ("Cc", "Cs"))
        )
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Cc", "Zl", "Zp"):
            if ch.isspace():
                out.append(" ")
        elif category not in ("Cf", "Cs"):
            out.append(ch)
    return "".join(out)


def clean_text(value: object) -> str:
    """A spreadsheet cell or form value as text: half-width, no control, bidirectional or zero-width
    characters (`strip_invisible`), inner runs of blanks folded, trimmed."""
    if value is None:
        return ""
    text = to_halfwidth(strip_invisible(value)).replace("\u3000", " ")
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class CheckResult:
    value: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def check_uscc(raw: object) -> CheckResult:
    """Validate a unified social credit code (GB 32100) and name what is wrong with it."""
    code = re.sub(r"[\s-]", "", clean_text(raw)).upper()
    if not code:
        return CheckResult(code, _("统一社会信用代码不能为空。"))
    if len(code) != 18:
        return CheckResult(code, _("统一社会信用代码应为 18 位，当前为 %(n)d 位。") % {"n": len(code)})
    try:
        uscc.validate(code)
    except InvalidChecksum:
        expected = uscc.calc_check_digit(code)
        return CheckResult(
            code,
            _("统一社会信用代码校验位错误：第 18 位应为“%(expected)s”，实为“%(actual)s”。")
            % {"expected": expected, "actual": code[-1]},
        )
    except (InvalidFormat, InvalidLength):
        if not code[:8].isdigit():
            return CheckResult(code, _("统一社会信用代码前 8 位（登记管理部门、机构类别、行政区划）应为数字。"))
        return CheckResult(code, _("统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）。"))
    except ValidationError:
        return CheckResult(code, _("统一社会信用代码格式不正确。"))
    return CheckResult(code)


def check_id_number(raw: object) -> CheckResult:
    """Validate a resident identity number (GB 11643): length, birth date, place and check digit."""
    number = re.sub(r"\s", "", clean_text(raw)).upper()
    if not number:
        return CheckResult(number, _("身份证号不能为空。"))
    if len(number) != 18:
        return CheckResult(number, _("身份证号应为 18 位，当前为 %(n)d 位。") % {"n": len(number)})
    if not number[:17].isdigit():
        return CheckResult(number, _("身份证号前 17 位应为数字。"))
    try:
        ric.validate(number)
    except InvalidChecksum:
        return CheckResult(
            number,
            _("身份证号校验码错误：第 18 位应为“%(expected)s”。") % {"expected": ric.calc_check_digit(number)},
        )
    except InvalidComponent:
        try:
            ric.get_birth_date(number)
        except ValidationError:
            return CheckResult(number, _("身份证号中的出生日期（第 7–14 位）无效。"))
        return CheckResult(number, _("身份证号中的地区码（前 6 位）无效或与出生年份不符。"))
    except ValidationError:
        return CheckResult(number, _("身份证号格式不正确。"))
    return CheckResult(number)


MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def check_mobile(raw: object) -> CheckResult:
    number = re.sub(r"[\s-]", "", clean_text(raw))
    if number.startswith("+86"):
        number = number[3:]
    if not number:
        return CheckResult(number, _("手机号不能为空。"))
    if not MOBILE_RE.match(number):
        return CheckResult(number, _("手机号应为以 1 开头的 11 位数字。"))
    return CheckResult(number)


def mask_id_number(number: str) -> str:
    """`110105199001011234` → `110***********1234`: the first three and last four stay."""
    if not number:
        return ""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_mobile(number: str) -> str:
    """`13812345678` → `138****5678`."""
    if not number:
        return ""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_contact(text: str) -> str:
    """A contact typed freely (`138 1234 5678`, `0838-6212345 王先生`): every digit but the first three
    and the last four is starred, the rest of the text stays; with seven digits or fewer, all are."""
    if not text:
        return ""
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    starred = set(digits[3:-4]) if len(digits) > 7 else set(digits)
    return "".join("*" if i in starred else ch for i, ch in enumerate(text))


# Administrative division codes (GB/T 2260 with the 12-digit statistical extension): 6 digits name a
# county-level unit, 9 a town or street, 12 a village or community.
REGION_PREFIX_LENGTH = {"city": 6, "town": 9, "village": 12}


def region_prefix(code: str, level: str) -> str:
    """The prefix every code below this region starts with."""
    return code[: REGION_PREFIX_LENGTH[level]]


def check_region_code(code: str, level: str, parent_code: str | None, parent_level: str | None) -> str:
    """An empty string when the code fits its level and parent, else the problem."""
    if not re.fullmatch(r"\d{12}", code or ""):
        return _("行政区划代码应为 12 位数字。")
    n = REGION_PREFIX_LENGTH[level]
    if code[n:].strip("0"):
        return _("该级行政区划代码第 %(n)d 位之后应全为 0。") % {"n": n}
    if parent_code is not None and parent_level is not None:
        if not code.startswith(region_prefix(parent_code, parent_level)):
            return _("行政区划代码应以上级区划代码 %(p)s 开头。") % {"p": region_prefix(parent_code, parent_level)}
        if code == parent_code:
            return _("行政区划代码不能与上级相同。")
    return ""


def effective_on(dated: list[tuple], day) -> object | None:
    """Of (effective_from, item) pairs, the item in force on `day`: the latest that took effect on or
    before it. Policies (quota and discount tables) never change in place; a new one takes over."""
    best = None
    for effective_from, item in dated:
        if effective_from <= day and (best is None or effective_from > best[0]):
            best = (effective_from, item)
    return best[1] if best else None


TABLE_AHEAD_YEARS = 5


def check_table_effective_from(day, today) -> str:
    """Why a new policy table's first day makes no sense, or "": a quota or discount table is decided
    for the coming years, not for 2099 (a typing slip), so at most five years ahead."""
    try:
        latest = today.replace(year=today.year + TABLE_AHEAD_YEARS)
    except ValueError:  # 29 February into a common year
        latest = today.replace(year=today.year + TABLE_AHEAD_YEARS, day=28)
    if day > latest:
        return _("生效日期 %(d)s 过远：新标准最多提前 %(n)d 年确定（至 %(m)s）。") % {
            "d": day.isoformat(), "n": TABLE_AHEAD_YEARS, "m": latest.isoformat()}
    return ""


# --- uploaded files -------------------------------------------------------------------------------

UPLOAD_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx")
UPLOAD_MAX_BYTES = 10 * 1024 * 1024


class UploadRefused(ValueError):
    """An uploaded file refused by portal.uploads; `message` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- money ----------------------------------------------------------------------------------------

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # what DecimalField(max_digits=14, decimal_places=2) holds
_AMOUNT_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


class RuleError(ValueError):
    """A rule refused a value; `message` is for the user, `field` the input it concerns (if one)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def yuan(value: Decimal | None) -> str:
    """Money for people: 1,234,567.89."""
    return "—" if value is None else f"{value:,.2f}"


def parse_yuan(raw: object, *, label: str | None = None, allow_zero: bool = False) -> Decimal:
    """An amount of money as typed: yuan, at most two decimal places, positive (or zero if allowed).
    Blanks, thousands separators (half- and full-width) and a leading ¥ are tolerated; anything else
    is refused with a message naming the amount."""
    label = label or _("金额")
    text = str(raw if raw is not None else "").strip()
    for junk in (",", "，", " ", "\u3000"):
        text = text.replace(junk, "")
    text = text.lstrip("¥￥")
    if not text:
        raise RuleError(_("请填写%(l)s。") % {"l": label})
    # Digits with an optional sign and decimal point, nothing else: Decimal would also take "1e30",
    # "1_000" and "NaN", which nobody types for money.
    if not _AMOUNT_RE.fullmatch(text):
        raise RuleError(_("%(l)s“%(v)s”不是有效的数字。") % {"l": label, "v": text})
    value = Decimal(text)
    if value < 0:
        raise RuleError(_("%(l)s不能为负数。") % {"l": label})
    if value == 0 and not allow_zero:
        raise RuleError(_("%(l)s须大于 0。") % {"l": label})
    # The range before the fen: quantizing a number of 30 digits overflows Decimal's precision (a 500).
    if value > MAX_AMOUNT:
        raise RuleError(_("%(l)s超出允许范围。") % {"l": label})
    if value != value.quantize(FEN):
        raise RuleError(_("%(l)s最多精确到分（两位小数）。") % {"l": label})
    return value.quantize(FEN)
