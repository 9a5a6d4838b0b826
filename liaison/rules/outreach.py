"""Pure rules of outreach (legal service centre, policy notices, care activities, 青蓝交接 mentoring):
plain values in, plain values out; no ORM, no request.

The part's vocabulary (TextChoices) lives here too: liaison/choices.py is shared by the three parts
of the app, and the rules need the values without reaching for the models.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.punctuation import mark
from portal.rules import check_uscc


class ConsultationCategory(models.TextChoices):
    CONTRACT = "contract", gettext_lazy("合同纠纷")
    LABOUR = "labour", gettext_lazy("劳动用工")
    IP = "ip", gettext_lazy("知识产权")
    FINANCING = "financing", gettext_lazy("融资担保")
    GOVERNANCE = "governance", gettext_lazy("公司治理")
    OTHER = "other", gettext_lazy("其他")


class ConsultationChannel(models.TextChoices):
    ONSITE = "onsite", gettext_lazy("现场")
    PHONE = "phone", gettext_lazy("电话")
    ONLINE = "online", gettext_lazy("线上")


class ConsultationStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("待答复")
    ANSWERED = "answered", gettext_lazy("已答复")


class NoticeAudience(models.TextChoices):
    ALL = "all", gettext_lazy("全部市场主体")
    KIND = "kind", gettext_lazy("某类市场主体")
    KEY = "key", gettext_lazy("重点民企")
    INDUSTRY = "industry", gettext_lazy("某一行业")
    REGION = "region", gettext_lazy("某一区域（含下级）")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    PUBLISHED = "published", gettext_lazy("已发布")
    WITHDRAWN = "withdrawn", gettext_lazy("已撤回")


class CareKind(models.TextChoices):
    SUMMER = "summer", gettext_lazy("夏送清凉")
    WINTER = "winter", gettext_lazy("冬送温暖")
    TRAINING = "training", gettext_lazy("教育培训")
    ASSISTANCE = "assistance", gettext_lazy("帮扶济困")


class MentorKind(models.TextChoices):
    ENTREPRENEUR = "entrepreneur", gettext_lazy("资深企业家")
    RETIRED_CADRE = "retired_cadre", gettext_lazy("老干部")


# --- policy notices ----------------------------------------------------------------------------

# The audiences that name a value (which kind, which industry, which region); the others need none.
AUDIENCE_VALUE_FIELD = {
    NoticeAudience.KIND: "audience_kind",
    NoticeAudience.INDUSTRY: "audience_industry",
    NoticeAudience.REGION: "audience_region",
}


def notice_reaches(audience: str, value: str, *, kind: str, is_key: bool, industry: str, region_code: str) -> bool:
    """Whether a notice for `audience` (with its `value`: a kind, an industry letter, or a region's
    code prefix) reaches an enterprise with these attributes. The selectors say the same as a Q."""
    if audience == NoticeAudience.ALL:
        return True
    if audience == NoticeAudience.KIND:
        return bool(value) and kind == value
    if audience == NoticeAudience.KEY:
        return bool(is_key)
    if audience == NoticeAudience.INDUSTRY:
        return bool(value) and industry == value
    if audience == NoticeAudience.REGION:
        return bool(value) and (region_code or "").startswith(value)
    return False


def notice_is_editable(status: str) -> bool:
    """Only a draft changes: a published notice is what enterprises read, withdrawn or not."""
    return status == NoticeStatus.DRAFT


def read_rate(read: int, reached: int) -> Decimal | None:
    """The share of reached enterprises that read a notice, in percent with one decimal (half up);
    None when the notice reaches nobody (there is no rate to speak of)."""
    if reached <= 0:
        return None
    return (Decimal(read) * 100 / Decimal(reached)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- lawyers and consultations -----------------------------------------------------------------

def on_duty(resident_since: datetime.date, resident_until: datetime.date | None, is_active: bool,
            day: datetime.date) -> bool:
    """A resident lawyer (常驻律师) serves on `day` when active and within the residency."""
    return bool(is_active) and resident_since <= day and (resident_until is None or day <= resident_until)


def residency_problem(resident_since: datetime.date, resident_until: datetime.date | None,
                      is_active: bool, day: datetime.date) -> str:
    """Why a lawyer cannot be recorded as having answered a consultation on `day` ("" if they can)."""
    if not is_active:
        return _("该律师已不在法律服务中心值守。")
    if day < resident_since:
        return _("该律师自 %(d)s 起才常驻法律服务中心。") % {"d": resident_since.isoformat()}
    if resident_until is not None and day > resident_until:
        return _("该律师的常驻期已于 %(d)s 结束。") % {"d": resident_until.isoformat()}
    return ""


def month_series(counts: dict[int, int], *, last_month: int) -> list[tuple[int, int]]:
    """(month, count) for months 1..last_month, a month without consultations as 0."""
    return [(m, counts.get(m, 0)) for m in range(1, last_month + 1)]


# --- care activities ---------------------------------------------------------------------------

# 夏送清凉 is held in the hot months, 冬送温暖 from the first cold month to the Spring Festival.
SEASON_MONTHS = {
    CareKind.SUMMER: frozenset({6, 7, 8, 9}),
    CareKind.WINTER: frozenset({11, 12, 1, 2}),
}


def care_in_season(kind: str, day: datetime.date) -> bool:
    months = SEASON_MONTHS.get(kind)
    return months is None or day.month in months


def season_text(kind: str) -> str:
    return {CareKind.SUMMER: _("夏送清凉活动应在 6 至 9 月举办。"),
            CareKind.WINTER: _("冬送温暖活动应在 11 月至次年 2 月举办。")}.get(kind, "")


CODE_SEPARATORS = re.compile(r"[\s,，;；、]+")


def parse_codes(text: str) -> tuple[list[str], list[str]]:
    """Credit codes typed one per line (or separated by commas): the valid ones, each once, in the
    order given, and a message for each bad one."""
    codes, errors, seen = [], [], set()
    for raw in CODE_SEPARATORS.split(text or ""):
        if not raw:
            continue
        result = check_uscc(raw)
        if not result.ok:
            errors.append(f"{raw}{mark('：')}{result.error}")
        elif result.value not in seen:
            seen.add(result.value)
            codes.append(result.value)
    return codes, errors


# --- mentoring ---------------------------------------------------------------------------------

def mentoring_period_problem(started_on: datetime.date, ended_on: datetime.date | None,
                             day: datetime.date) -> str:
    """Why a session cannot be recorded on `day` for a pairing of that period ("" if it can)."""
    if day < started_on:
        return _("结对自 %(d)s 开始，活动日期不能早于这一天。") % {"d": started_on.isoformat()}
    if ended_on is not None and day > ended_on:
        return _("结对已于 %(d)s 结束，活动日期不能晚于这一天。") % {"d": ended_on.isoformat()}
    return ""


def region_lineage_codes(code: str) -> list[str]:
    """The codes of a region and of the regions above it, by the division code scheme (6 digits
    name the city, 9 a town or street, 12 a village): a notice for any of them reaches the region."""
    if len(code or "") != 12:
        return []
    return list(dict.fromkeys([code[:6].ljust(12, "0"), code[:9].ljust(12, "0"), code]))
