"""Pure rules of the credit scheme: tables, quotas, amounts and the loan's steps. Plain values in and
out; no ORM."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.choices import Role
from portal.punctuation import series
from portal.rules import FEN, MAX_AMOUNT, RuleError, parse_yuan, yuan  # noqa: F401  (the registry's money rules)
from workflow.graph import Graph

from .choices import LoanAction, LoanStatus

STARS = (1, 2, 3, 4, 5)
DEFAULT_QUOTAS = {1: Decimal("1000000"), 2: Decimal("2000000"), 3: Decimal("3000000"), 4: Decimal("4000000"),
                  5: Decimal("5000000")}


def check_quota_table(amounts: Mapping[int, object]) -> dict[int, Decimal]:
    """A quota table: an amount for each of the five stars, none negative, never less for more stars."""
    missing = [s for s in STARS if amounts.get(s) in (None, "")]
    if missing:
        raise RuleError(_("额度标准缺少 %(s)s 星的额度。") % {"s": series(missing)})
    table = {}
    for stars in STARS:
        try:
            table[stars] = parse_yuan(amounts[stars], label=_("%(n)d 星额度") % {"n": stars}, allow_zero=True)
        except RuleError as error:
            raise RuleError(error.message) from None
    for lower, higher in zip(STARS, STARS[1:], strict=False):
        if table[higher] < table[lower]:
            raise RuleError(_("%(h)d 星的额度不能低于 %(l)d 星。") % {"h": higher, "l": lower})
    return table


def loan_quota(stars: int | None, table: Mapping[int, Decimal] | None) -> Decimal | None:
    """The credit quota of a star level under a table; None without a valid star or a table."""
    if not stars or table is None:
        return None
    return table.get(stars)


def available(quota: Decimal | None, used: Decimal) -> Decimal:
    if quota is None:
        return Decimal("0.00")
    return max(quota - used, Decimal("0")).quantize(FEN)


def check_within_quota(amount: Decimal, quota: Decimal, used: Decimal) -> None:
    left = available(quota, used)
    if amount > left:
        raise RuleError(_("金额 %(a)s 元超过可用额度 %(l)s 元（授信额度 %(q)s 元，已用 %(u)s 元）。")
                        % {"a": yuan(amount), "l": yuan(left), "q": yuan(quota), "u": yuan(used)})


def approval_suggestion(asked: Decimal, available: Decimal | None) -> Decimal:
    """The amount the approve form offers: the amount asked, or the quota left when less is left.
    With nothing left (or no quota known) the amount asked, and the approval says why it cannot be."""
    if available is None or available <= 0:
        return asked
    return min(asked, available)


# --- the loan's steps --------------------------------------------------------------------------

S, A = LoanStatus, LoanAction
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.SUBMITTED, A.ACCEPT): S.ACCEPTED,
    (S.SUBMITTED, A.REJECT): S.REJECTED,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.ACCEPTED, A.APPROVE): S.APPROVED,
    (S.ACCEPTED, A.REJECT): S.REJECTED,
    (S.ACCEPTED, A.WITHDRAW): S.WITHDRAWN,
    (S.APPROVED, A.DISBURSE): S.DISBURSED,
    (S.DISBURSED, A.REPAY): S.REPAID,
}
# Maker–checker: the station or the enterprise makes the application, the bank decides on it.
ACTORS: dict[str, frozenset[str]] = {
    A.ACCEPT: frozenset({Role.BANK_OFFICER}),
    A.APPROVE: frozenset({Role.BANK_OFFICER}),
    A.REJECT: frozenset({Role.BANK_OFFICER}),
    A.DISBURSE: frozenset({Role.BANK_OFFICER}),
    A.REPAY: frozenset({Role.BANK_OFFICER}),
    A.WITHDRAW: frozenset({Role.ENTERPRISE_USER, Role.STATION_OPERATOR}),
}


GRAPH = Graph(statuses=LoanStatus, actions=LoanAction, transitions=TRANSITIONS, actors=ACTORS,
              refusal=gettext_lazy("申请当前为“%(s)s”，不能“%(a)s”。"), initial=S.SUBMITTED,
              final=frozenset({S.REJECTED, S.WITHDRAWN, S.REPAID}))
next_status = GRAPH.next_status
allowed_actions = GRAPH.allowed_actions


# --- dates of the co-building records ------------------------------------------------------------

EARLIEST_DAY = datetime.date(2000, 1, 1)  # the scheme is far younger: an earlier year is a typing slip
PLAN_AHEAD_DAYS = 366  # a pairing or an exchange agreed in advance starts (or ends) within a year
MAX_EXCHANGE_YEARS = 5


def check_record_date(day: datetime.date, today: datetime.date, *, label: str, ahead: bool = False) -> str:
    """Why a date of a co-building record makes no sense, or "" when it does: not before 2000, and
    not after today for what has happened (an activity held), or not more than a year ahead for what
    may be agreed in advance (`ahead`: a pairing's start or end, an exchange's start)."""
    if day < EARLIEST_DAY:
        return _("%(l)s %(d)s 过早，请核对年份：不早于 %(e)s。") % {
            "l": label, "d": day.isoformat(), "e": EARLIEST_DAY.isoformat()}
    if not ahead and day > today:
        return _("%(l)s %(d)s 晚于今天：请在举行之后登记。") % {"l": label, "d": day.isoformat()}
    latest = today + datetime.timedelta(days=PLAN_AHEAD_DAYS)
    if ahead and day > latest:
        return _("%(l)s %(d)s 过远：最多提前一年登记（至 %(m)s）。") % {
            "l": label, "d": day.isoformat(), "m": latest.isoformat()}
    return ""


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def check_exchange_end(started_on: datetime.date, ended_on: datetime.date) -> str:
    """Why an exchange's end makes no sense, or "": not before its start, and at most five years on
    (2025-06-01 may end by 2030-05-31)."""
    if ended_on < started_on:
        return _("结束日期不能早于开始日期 %(d)s。") % {"d": started_on}
    if ended_on >= _years_later(started_on, MAX_EXCHANGE_YEARS):
        return _("挂职期限最长 %(n)d 年：结束日期不能晚于 %(d)s。") % {
            "n": MAX_EXCHANGE_YEARS, "d": (_years_later(started_on, MAX_EXCHANGE_YEARS)
                                          - datetime.timedelta(days=1)).isoformat()}
    return ""
