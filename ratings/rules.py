"""Pure rules of the star rating: scores, stars, vetoes, the workflow's steps, dates and the answer
"what is this organization's rating on that day". Plain values in, plain values out."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.choices import Role
from portal.rules import RuleError  # noqa: F401  (the rules' refusal, the workflow graph's too)
from workflow.graph import Graph

from .choices import RatingAction, RatingStatus, Standing

# (stars, lowest score) from the top down; below the last threshold is one star.
DEFAULT_THRESHOLDS: tuple[tuple[int, Decimal], ...] = (
    (5, Decimal("90")), (4, Decimal("80")), (3, Decimal("70")), (2, Decimal("60")),
)
STAR_RANGE = range(1, 6)
POINTS_STEP = Decimal("0.1")
MIN_REASON_LENGTH = 5


# --- scores and stars --------------------------------------------------------------------------

def parse_points(raw: object, maximum: Decimal) -> Decimal:
    """An item's score as typed: a number from 0 to the item's maximum, at most one decimal place."""
    text = str(raw).strip() if raw is not None else ""
    if not text:
        raise RuleError(_("请填写得分。"))
    try:
        points = Decimal(text)
    except InvalidOperation:
        raise RuleError(_("得分“%(v)s”不是数字。") % {"v": text}) from None
    if not points.is_finite():
        raise RuleError(_("得分“%(v)s”不是数字。") % {"v": text})
    if points < 0:
        raise RuleError(_("得分不能为负数。"))
    if points > maximum:
        # A number past all reason ("1e1000000") is named as typed, not written out in full.
        shown = _fmt(points) if points.adjusted() < 9 else text
        raise RuleError(_("得分 %(p)s 超过该项满分 %(m)s 分。") % {"p": shown, "m": _fmt(maximum)})
    if points != points.quantize(POINTS_STEP):
        raise RuleError(_("得分最多保留一位小数。"))
    return points.quantize(POINTS_STEP)


def check_stars(raw: object) -> int:
    """A star level typed or sent by a client: an integer from 1 to 5."""
    try:
        stars = int(str(raw).strip())
    except (TypeError, ValueError):
        raise RuleError(_("星级须为 1 至 5 的整数。")) from None
    if str(stars) != str(raw).strip() or stars not in STAR_RANGE:
        raise RuleError(_("星级须为 1 至 5 的整数。"))
    return stars


def check_thresholds(thresholds: Sequence[tuple[int, Decimal]], total: Decimal) -> None:
    """Thresholds for 5, 4, 3 and 2 stars, strictly falling, each within 0..total."""
    stars = [s for s, _minimum in thresholds]
    if stars != [5, 4, 3, 2]:
        raise RuleError(_("须依次给出五星、四星、三星、二星的分数线。"))
    minimums = [Decimal(m) for _s, m in thresholds]
    for minimum in minimums:
        if minimum <= 0 or minimum > total:
            raise RuleError(_("分数线须大于 0 且不超过总分 %(t)s 分。") % {"t": _fmt(total)})
    if any(a <= b for a, b in zip(minimums, minimums[1:], strict=False)):
        raise RuleError(_("分数线须从五星到二星依次降低。"))


def stars_for_score(score: Decimal, thresholds: Sequence[tuple[int, Decimal]] = DEFAULT_THRESHOLDS) -> int:
    for stars, minimum in thresholds:
        if score >= minimum:
            return stars
    return 1


def apply_vetoes(stars: int, caps: Iterable[int]) -> int | None:
    """Stars after the veto items that were triggered: each caps the stars at its level, and a cap
    of 0 voids the rating altogether (None)."""
    result: int | None = stars
    for cap in caps:
        if cap <= 0:
            return None
        result = min(result, cap)
    return result


@dataclass(frozen=True)
class ItemSpec:
    code: str
    max_points: Decimal
    is_veto: bool = False
    veto_cap: int = 0  # for a veto item: the most stars it allows (0: the rating fails)


@dataclass(frozen=True)
class Outcome:
    total: Decimal
    stars: int | None  # None: a veto voided the rating
    vetoes: tuple[str, ...]  # codes of the veto items triggered


def score_sheet(
    items: Sequence[ItemSpec],
    points: dict[str, object],
    vetoes: Iterable[str],
    thresholds: Sequence[tuple[int, Decimal]] = DEFAULT_THRESHOLDS,
) -> tuple[Outcome | None, dict[str, str]]:
    """Check every scored item and compute the total and stars. Returns (outcome, errors by item
    code); the outcome is None when any item is wrong, so nothing half-checked is ever stored."""
    errors: dict[str, str] = {}
    total = Decimal("0")
    triggered = set(vetoes)
    for item in items:
        if item.is_veto:
            continue
        try:
            total += parse_points(points.get(item.code), item.max_points)
        except RuleError as error:
            errors[item.code] = error.message
    known_vetoes = {i.code: i for i in items if i.is_veto}
    for code in sorted(triggered - set(known_vetoes)):
        errors[code] = _("“%(c)s”不是本评分标准的否决项。") % {"c": code}
    if errors:
        return None, errors
    codes = tuple(sorted(triggered))
    stars = apply_vetoes(stars_for_score(total, thresholds), [known_vetoes[c].veto_cap for c in codes])
    return Outcome(total=total, stars=stars, vetoes=codes), {}


REVIEW_STAGES = frozenset({"town", "dept"})


def missing_deduction_notes(stage: str, items: Sequence[ItemSpec], points: dict[str, object],
                            notes: dict[str, str]) -> dict[str, str]:
    """Errors by item code: in a review step (town, department) every deduction - an item scored below
    its maximum - says why in its note. Items whose points are themselves wrong are left to
    `score_sheet`; the organization's own self-assessment needs no notes."""
    if stage not in REVIEW_STAGES:
        return {}
    errors: dict[str, str] = {}
    for item in items:
        if item.is_veto:
            continue
        try:
            scored = parse_points(points.get(item.code), item.max_points)
        except RuleError:
            continue
        if scored < item.max_points and not (notes.get(item.code) or "").strip():
            errors[item.code] = _("本项扣了 %(d)s 分，请写明扣分说明。") % {"d": _fmt(item.max_points - scored)}
    return errors


# --- the workflow ------------------------------------------------------------------------------

S, A = RatingStatus, RatingAction
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.SELF, A.SAVE): S.SELF,
    (S.SELF, A.SUBMIT): S.TOWN,
    (S.TOWN, A.SAVE): S.TOWN,
    (S.TOWN, A.APPROVE): S.DEPT,
    (S.TOWN, A.RETURN): S.SELF,
    (S.TOWN, A.REJECT): S.REJECTED,
    (S.DEPT, A.SAVE): S.DEPT,
    (S.DEPT, A.APPROVE): S.NOTICE,
    (S.DEPT, A.RETURN): S.TOWN,
    (S.DEPT, A.REJECT): S.REJECTED,
    (S.NOTICE, A.OBJECTION): S.NOTICE,
    (S.NOTICE, A.OBJECTION_DISMISSED): S.NOTICE,
    (S.NOTICE, A.OBJECTION_UPHELD): S.DEPT,
    (S.NOTICE, A.PUBLISH): S.PUBLISHED,
    (S.PUBLISHED, A.SUPERSEDE): S.PUBLISHED,
    (S.PUBLISHED, A.DOWNGRADE): S.PUBLISHED,
    (S.PUBLISHED, A.REVOKE): S.REVOKED,
}
# Who acts at each step: the organization itself, then the town, then the department.
ROLE_OF_STATUS = {S.SELF: Role.ENTERPRISE_USER, S.TOWN: Role.TOWN_STAFF, S.DEPT: Role.ORG_STAFF,
                  S.NOTICE: Role.ORG_STAFF, S.PUBLISHED: Role.ORG_STAFF}


def reviewer_role(status: str, organization_level: str) -> str | None:
    """The role that acts on a rating at `status`. An organization registered directly under the city
    (in a park, say) has no town above it: the organization department does its first review too."""
    if status == S.TOWN and organization_level == "city":
        return Role.ORG_STAFF
    return ROLE_OF_STATUS.get(status)


# The stage whose scores each reviewing status collects.
STAGE_OF_STATUS = {S.SELF: "self", S.TOWN: "town", S.DEPT: "dept"}
REASON_REQUIRED = frozenset({A.RETURN, A.REJECT, A.DOWNGRADE, A.REVOKE, A.OBJECTION_UPHELD,
                             A.OBJECTION_DISMISSED})

# Who takes each step (ROLE_OF_STATUS by the state it is taken in; the department also does the first
# review of an organization with no town above it, see reviewer_role). An objection has no role:
# anyone may lodge one, with no account.
_REVIEWERS = frozenset({Role.TOWN_STAFF, Role.ORG_STAFF})
ACTORS: dict[str, frozenset[str]] = {
    A.SAVE: frozenset({Role.ENTERPRISE_USER}) | _REVIEWERS,
    A.SUBMIT: frozenset({Role.ENTERPRISE_USER}),
    A.APPROVE: _REVIEWERS, A.RETURN: _REVIEWERS, A.REJECT: _REVIEWERS,
    A.OBJECTION_UPHELD: frozenset({Role.ORG_STAFF}), A.OBJECTION_DISMISSED: frozenset({Role.ORG_STAFF}),
    A.PUBLISH: frozenset({Role.ORG_STAFF}), A.SUPERSEDE: frozenset({Role.ORG_STAFF}),
    A.DOWNGRADE: frozenset({Role.ORG_STAFF}), A.REVOKE: frozenset({Role.ORG_STAFF}),
}

GRAPH = Graph(statuses=RatingStatus, actions=RatingAction, transitions=TRANSITIONS, actors=ACTORS,
              refusal=gettext_lazy("当前状态“%(s)s”下不能执行“%(a)s”。"), initial=S.SELF,
              final=frozenset({S.REJECTED, S.REVOKED}))
next_status = GRAPH.next_status
allowed_actions = GRAPH.allowed_actions


def check_reason(action: str, reason: str) -> str:
    reason = (reason or "").strip()
    if action in REASON_REQUIRED and len(reason) < MIN_REASON_LENGTH:
        raise RuleError(_("请填写理由（不少于 %(n)d 个字）。") % {"n": MIN_REASON_LENGTH})
    return reason


def check_downgrade(current: int, new: object) -> int:
    stars = check_stars(new)
    if stars >= current:
        raise RuleError(_("降级后的星级须低于当前的 %(n)d 星。") % {"n": current})
    return stars


# --- dates -------------------------------------------------------------------------------------

def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def notice_period(start: datetime.date, days: int) -> tuple[datetime.date, datetime.date]:
    """A notice of `days` days starting on `start` (inclusive on both ends)."""
    if days < 1:
        raise RuleError(_("公示期至少 1 天。"))
    return start, start + datetime.timedelta(days=days - 1)


def validity_period(published_on: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """Valid from the day of publication for `months` months (the last day inclusive)."""
    if months < 1:
        raise RuleError(_("有效期至少 1 个月。"))
    return published_on, add_months(published_on, months) - datetime.timedelta(days=1)


def publication_due(notice_ends_on: datetime.date | None, today: datetime.date, open_objections: int) -> bool:
    return notice_ends_on is not None and today > notice_ends_on and open_objections == 0


def review_overdue(entered_on: datetime.date | None, today: datetime.date, days: int) -> bool:
    return entered_on is not None and (today - entered_on).days > days


# --- what a rating is worth on a day -----------------------------------------------------------

@dataclass(frozen=True)
class RatingFact:
    """One rating of the organization, as plain values."""

    key: object
    status: str
    stars: int | None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    revoked_on: datetime.date | None = None


def standing_on(day: datetime.date, *, has_organization: bool, ratings: Sequence[RatingFact]) -> tuple[str, RatingFact | None]:
    """The organization's standing on `day`: (Standing.VALID, the rating), or why there is none with
    the rating that explains it (the expired or revoked one) when there is such a rating."""
    if not has_organization:
        return Standing.NO_ORGANIZATION, None
    # Ratings that had been published by that day, latest first; a revoked one was published too.
    published = sorted(
        (r for r in ratings if r.valid_from is not None and r.valid_from <= day
         and r.status in (RatingStatus.PUBLISHED, RatingStatus.REVOKED)),
        key=lambda r: r.valid_from, reverse=True,
    )
    if published:
        latest = published[0]
        if latest.revoked_on is not None and latest.revoked_on <= day:
            return Standing.REVOKED, latest
        if latest.valid_to is not None and latest.valid_to < day:
            pending = _pending(ratings)
            return (Standing.UNDER_NOTICE, pending) if pending and pending.status == RatingStatus.NOTICE \
                else (Standing.EXPIRED, latest)
        return Standing.VALID, latest
    pending = _pending(ratings)
    if pending is not None and pending.status == RatingStatus.NOTICE:
        return Standing.UNDER_NOTICE, pending
    return Standing.NOT_RATED, pending


def _pending(ratings: Sequence[RatingFact]) -> RatingFact | None:
    for rating in ratings:
        if rating.status == RatingStatus.NOTICE:
            return rating
    for rating in ratings:
        if rating.status in (RatingStatus.SELF, RatingStatus.TOWN, RatingStatus.DEPT):
            return rating
    return None


# --- objections -------------------------------------------------------------------

def check_objection(name: str, contact: str, reason: str) -> tuple[dict, dict[str, str]]:
    """An objection as typed: (cleaned values, errors by field)."""
    from portal.rules import clean_text, strip_invisible

    values = {"name": clean_text(name)[:32], "contact": clean_text(contact)[:40],
              "reason": strip_invisible(reason, multiline=True).strip()}
    errors = {}
    if not values["name"]:
        errors["name"] = _("请填写姓名。")
    if len([ch for ch in values["contact"] if ch.isdigit()]) < 7:
        errors["contact"] = _("请填写可以联系到您的电话号码。")
    if len(values["reason"]) < 10:
        errors["reason"] = _("请具体说明异议理由（不少于 10 个字）。")
    elif len(values["reason"]) > 2000:
        errors["reason"] = _("异议理由不能超过 2000 字。")
    return values, errors


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")
