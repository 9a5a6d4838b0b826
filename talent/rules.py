"""Pure rules of the talent and innovation programme: money, levels, the benefit application's steps,
reference numbers. Plain values in and out; no ORM, no request, no settings."""

from __future__ import annotations

import datetime
import hmac
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.choices import Role
from portal.punctuation import series
from portal.rules import FEN, MAX_AMOUNT, RuleError, parse_yuan, yuan  # noqa: F401  (the registry's money rules)
from workflow.graph import Graph

from .choices import BenefitAction, BenefitStatus, ProjectStatus, TalentLevel

LEVELS = tuple(TalentLevel.values)  # "A" … "E", highest first
REASON_MIN = 5
REJECT_NOTE_MIN = 5
REFERENCE_PREFIX = "RC"
ID_TAIL_LENGTH = 6


def _blank(raw: object) -> bool:
    return raw is None or not str(raw).strip()


# --- talent levels --------------------------------------------------------------------------------

def normalize_levels(values: Iterable[str]) -> str:
    """The levels a policy item applies to, as one string in the fixed order ("ACE"). Refuses an empty
    choice or a level that does not exist."""
    chosen = {str(v).strip().upper() for v in values if str(v).strip()}
    unknown = sorted(chosen - set(LEVELS))
    if unknown:
        raise RuleError(_("人才类别“%(l)s”不存在。") % {"l": series(unknown)})
    if not chosen:
        raise RuleError(_("请至少选择一个适用的人才类别。"))
    return "".join(level for level in LEVELS if level in chosen)


def levels_label(levels: str) -> str:
    """"ABC" → "A类、B类、C类"."""
    return series(_("%(l)s类") % {"l": level} for level in levels)


def level_eligible(level: str, levels: str) -> bool:
    return bool(level) and level in (levels or "")


def check_level(level: str, levels: str) -> None:
    if not level_eligible(level, levels):
        raise RuleError(_("该政策项目仅适用于%(ok)s人才，该人才为%(l)s类，不符合申请条件。")
                        % {"ok": levels_label(levels), "l": level or "—"})


# --- amounts --------------------------------------------------------------------------------------

def check_requested_amount(raw: object, item_amount: Decimal | None) -> Decimal | None:
    """The amount a talent asks for: none at all for a service item (school placement, a job for the
    spouse); otherwise positive and at most the item's standard amount."""
    if item_amount is None:
        if not _blank(raw):
            raise RuleError(_("该政策项目为服务类，不涉及金额，申请金额请留空。"))
        return None
    value = parse_yuan(raw, label=_("申请金额"))
    if value > item_amount:
        raise RuleError(_("申请金额不能超过该政策项目的标准 %(m)s 元。") % {"m": yuan(item_amount)})
    return value


def check_approved_amount(raw: object, requested: Decimal | None) -> Decimal | None:
    """The amount approved: none for a service item; otherwise positive and at most what was asked."""
    if requested is None:
        if not _blank(raw):
            raise RuleError(_("该申请不涉及金额，批准金额请留空。"))
        return None
    value = parse_yuan(raw, label=_("批准金额"))
    if value > requested:
        raise RuleError(_("批准金额不能超过申请金额 %(r)s 元。") % {"r": yuan(requested)})
    return value


def check_item_amount(raw: object) -> Decimal | None:
    """A policy item's standard amount: empty for a service item, else a positive amount of yuan."""
    if _blank(raw):
        return None
    return parse_yuan(raw, label=_("标准金额"))


# --- text -----------------------------------------------------------------------------------------

def check_reason(raw: object) -> str:
    text = re.sub(r"\s+", " ", str(raw or "")).strip()
    if len(text) < REASON_MIN:
        raise RuleError(_("请写明申请理由（不少于 %(n)d 个字）。") % {"n": REASON_MIN})
    if len(text) > 500:
        raise RuleError(_("申请理由不能超过 500 个字。"))
    return text


def check_reject_note(raw: object) -> str:
    text = re.sub(r"\s+", " ", str(raw or "")).strip()
    if len(text) < REJECT_NOTE_MIN:
        raise RuleError(_("不予批准须写明理由（不少于 %(n)d 个字）。") % {"n": REJECT_NOTE_MIN})
    if len(text) > 300:
        raise RuleError(_("理由不能超过 300 个字。"))
    return text


# --- the benefit application's steps --------------------------------------------------------------

S, A = BenefitStatus, BenefitAction
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PENDING, A.APPROVE): S.APPROVED,
    (S.PENDING, A.REJECT): S.REJECTED,
    (S.PENDING, A.WITHDRAW): S.WITHDRAWN,
}
# Maker–checker: the employer or its station makes (and may withdraw) the application, the
# organization department decides on it.
ACTORS: dict[str, frozenset[str]] = {
    A.SUBMIT: frozenset({Role.ENTERPRISE_USER, Role.STATION_OPERATOR}),
    A.APPROVE: frozenset({Role.ORG_STAFF}),
    A.REJECT: frozenset({Role.ORG_STAFF}),
    A.WITHDRAW: frozenset({Role.ENTERPRISE_USER, Role.STATION_OPERATOR}),
}
OPEN_STATUSES = (S.PENDING,)


GRAPH = Graph(statuses=BenefitStatus, actions=BenefitAction, transitions=TRANSITIONS, actors=ACTORS,
              refusal=gettext_lazy("申请当前为“%(s)s”，不能“%(a)s”。"), initial=S.PENDING,
              final=frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN}))
next_status = GRAPH.next_status
allowed_actions = GRAPH.allowed_actions
may_act = GRAPH.may_act


# --- reference numbers and the public progress lookup ---------------------------------------------

REFERENCE_RE = re.compile(r"^RC(\d{4})-(\d{6,})$")


def reference_for(year: int, pk: int) -> str:
    """"RC2026-000123": the year of submission and the application's number."""
    return f"{REFERENCE_PREFIX}{year:04d}-{pk:06d}"


def normalize_reference(raw: object) -> str | None:
    """A reference as typed (lower case, full-width, spaces, a dash of another kind) in its one form, or
    None when it cannot be one."""
    text = unicodedata.normalize("NFKC", str(raw or "")).upper()
    text = re.sub(r"\s", "", text).replace("—", "-").replace("－", "-").replace("_", "-")
    if re.fullmatch(r"RC\d{4}\d{6,}", text):
        text = f"{text[:6]}-{text[6:]}"
    return text if REFERENCE_RE.match(text) else None


def normalize_id_tail(raw: object) -> str | None:
    """The last six characters of an ID number as typed: five digits and a digit or X."""
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", str(raw or ""))).upper()
    return text if re.fullmatch(r"\d{5}[\dX]", text) else None


def id_tail_matches(id_number: str | None, tail: str) -> bool:
    if not id_number or len(id_number) < ID_TAIL_LENGTH:
        return False
    # Constant time: how far a wrong guess got must not show in the response time.
    return hmac.compare_digest(id_number[-ID_TAIL_LENGTH:].upper().encode(), tail.upper().encode())


def lookups_left(made: int, limit: int) -> int:
    return max(limit - made, 0)


# --- innovation -----------------------------------------------------------------------------------

def check_project_landing(status: str, landed_on: datetime.date | None, today: datetime.date) -> None:
    """A landed project has the day it landed, and that day is not in the future; a project not yet
    landed may carry its planned landing date."""
    if status == ProjectStatus.LANDED:
        if landed_on is None:
            raise RuleError(_("已落地的项目须填写落地日期。"))
        if landed_on > today:
            raise RuleError(_("已落地项目的落地日期不能晚于今天。"))


def check_count(raw: object, *, label: str, minimum: int = 0, maximum: int = 1_000_000) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise RuleError(_("%(l)s须为整数。") % {"l": label}) from None
    if value < minimum:
        raise RuleError(_("%(l)s不能小于 %(n)d。") % {"l": label, "n": minimum})
    if value > maximum:
        raise RuleError(_("%(l)s不能大于 %(n)d。") % {"l": label, "n": maximum})
    return value
