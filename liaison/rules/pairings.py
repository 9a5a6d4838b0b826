"""Pure rules of the pairings (领导干部联系企业): each county-level leader is paired with 1–3 key private
enterprises and 1–3 entrepreneurs. Plain values in and out; no ORM.

Only county-level leaders are held to the range. The city Party secretary leads the mechanism and
section-level or other cadres may help with it; neither is counted against 1–3 (the services and the
coverage page skip them).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MIN_PAIRED = 1
MAX_PAIRED = 3

# The kinds of partner, as stored in Pairing.kind (liaison.choices.PairingKind).
ENTERPRISE = "enterprise"
ENTREPRENEUR = "entrepreneur"

# Where a cadre's count of one kind stands against the range.
UNDER, OK, OVER = "under", "ok", "over"
RANGE_STATES = [(UNDER, gettext_lazy("不足")), (OK, gettext_lazy("达标")), (OVER, gettext_lazy("超出"))]
RANGE_LABELS = dict(RANGE_STATES)
# A cadre's state, "" for one not held to the range (the secretary, section-level and other cadres).
CADRE_STATES = [("", gettext_lazy("不考核")), *RANGE_STATES]


class RuleError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def pairing_within_range(count: int) -> bool:
    """Whether a count of current pairings of one kind is within 1–3."""
    return MIN_PAIRED <= count <= MAX_PAIRED


def range_state(count: int) -> str:
    if count < MIN_PAIRED:
        return UNDER
    if count > MAX_PAIRED:
        return OVER
    return OK


def cadre_range_state(enterprises: int, entrepreneurs: int) -> str:
    """One state for a cadre: under when either kind is short (a gap to fill comes first), else over
    when either kind has more than three, else ok. The coverage page lists each kind on its own."""
    states = {range_state(enterprises), range_state(entrepreneurs)}
    if UNDER in states:
        return UNDER
    if OVER in states:
        return OVER
    return OK


def check_can_add(current_count: int, kind: str = ENTERPRISE) -> None:
    """Refuse one more pairing of `kind` when the cadre already has the most allowed."""
    if current_count + 1 <= MAX_PAIRED:
        return
    if kind == ENTREPRENEUR:
        raise RuleError(_("每名县级领导干部联系企业家不超过%(max)d名（现已联系%(n)d名）。")
                        % {"max": MAX_PAIRED, "n": current_count})
    raise RuleError(_("每名县级领导干部联系重点民企不超过%(max)d家（现已联系%(n)d家）。")
                    % {"max": MAX_PAIRED, "n": current_count})


def check_not_future(day: datetime.date, today: datetime.date, *, label: str) -> None:
    """A pairing's start or end, or a visit, is recorded after the fact: never a day to come."""
    if day > today:
        raise RuleError(_("%(label)s不能晚于今天（%(today)s）。") % {"label": label, "today": today.isoformat()})


# A visit with no pairing to date it from (the organization department keeping the log of a cadre who
# met an enterprise outside the pairings) is recorded within this many days of it.
VISIT_LATE_ENTRY_DAYS = 366


def check_visit_day(day: datetime.date, today: datetime.date, *, paired_since: datetime.date | None) -> None:
    """A visit happened on a day that makes sense: not to come, not before the cadre's pairing with
    the enterprise began (`paired_since`, the earliest start of the pairings that reach it), and,
    without a pairing, not more than a year back (a mistyped year such as 1990)."""
    check_not_future(day, today, label=_("走访日期"))
    if paired_since is not None:
        if day < paired_since:
            raise RuleError(_("走访日期早于该领导与企业的结对开始日期（%(d)s），请核对。")
                            % {"d": paired_since.isoformat()})
        return
    earliest = today - datetime.timedelta(days=VISIT_LATE_ENTRY_DAYS)
    if day < earliest:
        raise RuleError(_("走访日期不能早于 %(d)s：走访记录应在一年内补录，请核对年份。") % {"d": earliest.isoformat()})
