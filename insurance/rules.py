"""Pure rules of the premium discount (党建+保险): amounts, rates, the discount table, the premium
arithmetic, a quote's validity and a policy's period. Plain values in and out; no ORM, no settings.

Money is `Decimal` yuan with two places; a rate is a `Decimal` percent with two places (25.00 means
25 %). Amounts are parsed here rather than borrowed from finance: finance reads insurance's
discounts, so insurance must not depend on finance.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from portal import rules as money
from portal.punctuation import series

FEN = Decimal("0.01")
HUNDRED = Decimal("100")
STARS = (1, 2, 3, 4, 5)
DEFAULT_DISCOUNTS = {1: Decimal("10.00"), 2: Decimal("15.00"), 3: Decimal("20.00"), 4: Decimal("25.00"),
                     5: Decimal("30.00")}
MAX_AMOUNT = Decimal("999999999999.99")  # what DecimalField(max_digits=14, decimal_places=2) holds
QUOTE_VALID_DAYS = 30
POLICY_MONTHS = 12
# One format for every policy number, made or typed: the insurer's code, the year, an 8-digit serial.
POLICY_NUMBER_RE = re.compile(r"^([A-Z0-9]{1,10})-(\d{4})-(\d{8})$")


class RuleError(ValueError):
    """A rule refused a value. `message` is for the user; `errors` names the parts at fault (a
    discount table's stars, say) and `code` is stable for API clients."""

    def __init__(self, message: str, *, errors: dict | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.code = code


def _text(raw: object) -> str:
    """A number as typed: blanks, thousands separators (half- and full-width) and a leading ¥ go."""
    text = str(raw if raw is not None else "").strip()
    for junk in (",", "，", " ", "\u3000"):
        text = text.replace(junk, "")
    return text.lstrip("¥￥")


def _decimal(text: str, label: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise RuleError(_("%(l)s“%(v)s”不是有效的数字。") % {"l": label, "v": text}) from None
    if not value.is_finite():
        raise RuleError(_("%(l)s“%(v)s”不是有效的数字。") % {"l": label, "v": text})
    return value


def parse_yuan(raw: object, *, label: str | None = None, allow_zero: bool = False) -> Decimal:
    """An amount of money as typed (the registry's rule), refused as this module's RuleError."""
    try:
        return money.parse_yuan(raw, label=label, allow_zero=allow_zero)
    except money.RuleError as error:
        raise RuleError(error.message) from None


def parse_percent(raw: object, *, label: str | None = None) -> Decimal:
    """A rate as typed, in percent: from 0 to 100, at most two decimal places. A trailing % is allowed."""
    label = label or _("优惠比例")
    text = _text(raw).rstrip("%％").strip()
    if not text:
        raise RuleError(_("请填写%(l)s。") % {"l": label})
    value = _decimal(text, label)
    if value < 0 or value > HUNDRED:
        raise RuleError(_("%(l)s须在 0%% 至 100%% 之间，当前为 %(v)s%%。") % {"l": label, "v": text})
    if value != value.quantize(FEN, rounding=ROUND_HALF_UP):
        raise RuleError(_("%(l)s最多保留两位小数。") % {"l": label})
    return value.quantize(FEN)


# --- the discount table ------------------------------------------------------------------------

def check_discount_table(rates: Mapping[int, object]) -> dict[int, Decimal]:
    """A discount table star → rate: a rate for each of the five stars, each within 0–100 %, and
    never less for more stars. Every star at fault is named (`errors` by star), not just the first."""
    errors: dict[int, str] = {}
    table: dict[int, Decimal] = {}
    for stars in STARS:
        raw = rates.get(stars)
        label = _("%(n)d 星优惠比例") % {"n": stars}
        if raw is None or _text(raw) == "":
            errors[stars] = _("缺少 %(n)d 星的优惠比例。") % {"n": stars}
            continue
        try:
            table[stars] = parse_percent(raw, label=label)
        except RuleError as error:
            errors[stars] = error.message
    if not errors:
        for lower, higher in zip(STARS, STARS[1:], strict=False):
            if table[higher] < table[lower]:
                errors[higher] = _("%(h)d 星的优惠比例不能低于 %(l)d 星。") % {"h": higher, "l": lower}
    if errors:
        missing = [s for s in STARS if s not in table and (rates.get(s) is None or _text(rates.get(s)) == "")]
        message = (_("优惠标准缺少 %(s)s 星的优惠比例。") % {"s": series(missing)} if missing
                   else _("优惠标准有 %(n)d 处错误，请更正。") % {"n": len(errors)})
        raise RuleError(message, errors=errors, code="invalid_table")
    return table


def premium_discount(stars: int | None, table: Mapping[int, Decimal] | None) -> Decimal | None:
    """The discount rate (percent) of a star level under a table; None without a valid star or a table."""
    if not stars or table is None:
        return None
    return table.get(stars)


# --- the premium arithmetic --------------------------------------------------------------------

@dataclass(frozen=True)
class Premium:
    base: Decimal
    rate_percent: Decimal
    discount: Decimal
    net: Decimal


def net_premium(base: Decimal, rate: Decimal) -> Premium:
    """The premium after the discount.

    Rounding rule: discount = base × rate / 100, rounded to the fen (0.01 yuan) ROUND_HALF_UP (half a
    fen goes up, the way a cashier rounds); net = base − discount. The net is never rounded on its
    own, so discount + net = base exactly, always.

    12,345.67 at 25 % → discount 3,086.4175 → 3,086.42; net 9,259.25.
    """
    base, rate = Decimal(base), Decimal(rate)
    # The range first: quantizing a number past Decimal's precision raises instead of answering.
    if not base.is_finite() or base < 0 or base > MAX_AMOUNT or base != base.quantize(FEN, rounding=ROUND_HALF_UP):
        raise RuleError(_("基础保费须为不小于 0 且最多两位小数的金额。"))
    if not rate.is_finite() or rate < 0 or rate > HUNDRED:
        raise RuleError(_("优惠比例须在 0%% 至 100%% 之间，当前为 %(v)s%%。") % {"v": rate})
    discount = (base * rate / HUNDRED).quantize(FEN, rounding=ROUND_HALF_UP)
    return Premium(base=base.quantize(FEN), rate_percent=rate.quantize(FEN), discount=discount,
                   net=base.quantize(FEN) - discount)


yuan = money.yuan


# --- quotes and policies -----------------------------------------------------------------------

def quote_valid_until(day: datetime.date, days: int = QUOTE_VALID_DAYS) -> datetime.date:
    """A quote made on `day` holds for `days` days, that day included."""
    if days < 1:
        raise RuleError(_("报价有效期至少 1 天。"))
    return day + datetime.timedelta(days=days - 1)


def check_issuable(*, status: str, valid_until: datetime.date, today: datetime.date, quoted_stars: int,
                   rating_valid: bool, current_stars: int | None, rating_message: str) -> None:
    """Whether a policy may be issued from a quote today. The discount rests on the rating: if the
    rating has been revoked, has run out or changed since the quote, the quote no longer holds (a
    revocation takes effect on every benefit at once)."""
    if status == "issued":
        raise RuleError(_("该报价已出具保单，不能重复出具。"), code="already_issued")
    if status == "expired" or valid_until < today:
        raise RuleError(_("该报价已于 %(d)s 过期，请重新报价。") % {"d": valid_until.isoformat()}, code="expired")
    if not rating_valid:
        raise RuleError(_("该企业当前不能享受党建保险优惠（%(r)s），报价不再适用，不能出具保单。")
                        % {"r": rating_message}, code="not_eligible")
    if current_stars != quoted_stars:
        raise RuleError(_("该企业的星级已由 %(a)d 星变为 %(b)d 星，请重新报价。")
                        % {"a": quoted_stars, "b": current_stars}, code="rating_changed")


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def policy_ends_on(starts_on: datetime.date, months: int = POLICY_MONTHS) -> datetime.date:
    """A policy of `months` months ends the day before the same date `months` later."""
    return add_months(starts_on, months) - datetime.timedelta(days=1)


def check_policy_period(starts_on: datetime.date, ends_on: datetime.date, today: datetime.date, *,
                        quote_valid_until: datetime.date | None = None,
                        rating_valid_to: datetime.date | None = None) -> dict[str, str]:
    """Errors by field ('starts_on', 'ends_on'); empty when the period is good. No backdated cover,
    at most three years; and the cover starts while the discount it carries holds: within the quote's
    validity, and no later than the last day of the rating the discount rests on."""
    errors = {}
    if starts_on < today:
        errors["starts_on"] = _("保险起期不能早于今天（%(d)s）。") % {"d": today.isoformat()}
    elif quote_valid_until is not None and starts_on > quote_valid_until:
        errors["starts_on"] = _("保险起期 %(d)s 晚于报价有效期（至 %(v)s）：请在有效期内起保，或重新报价。") % {
            "d": starts_on.isoformat(), "v": quote_valid_until.isoformat()}
    elif rating_valid_to is not None and starts_on > rating_valid_to:
        errors["starts_on"] = _("保险起期 %(d)s 晚于企业星级的有效期（至 %(v)s）：优惠须在星级有效时起保。") % {
            "d": starts_on.isoformat(), "v": rating_valid_to.isoformat()}
    if ends_on < starts_on:
        errors["ends_on"] = _("保险止期不能早于起期。")
    elif ends_on > policy_ends_on(starts_on, 36):
        errors["ends_on"] = _("保险期间最长三年。")
    return errors


def check_policy_number(raw: object, insurer_code: str, year: int) -> str:
    """A policy number as typed, in the one format of `default_policy_number` (upper-cased): the
    insurer's own code, a year, an 8-digit serial. `year` only shapes the example in the message."""
    number = _text(raw).upper()
    code = insurer_code.upper()
    match = POLICY_NUMBER_RE.match(number)
    if match is None:
        raise RuleError(_("保单号应为“公司编号-年份-8 位序号”，如 %(e)s。")
                        % {"e": default_policy_number(code, year, 182)})
    if match.group(1) != code:
        raise RuleError(_("保单号应以本公司编号 %(c)s 开头。") % {"c": code})
    return number


def default_policy_number(insurer_code: str, year: int, quote_id: int) -> str:
    """The number a policy gets when the officer leaves it blank: unique, since a quote makes one policy.
    The one format of every policy number (`check_policy_number`); the demo data uses it too."""
    return f"{insurer_code}-{year}-{quote_id:08d}".upper()
