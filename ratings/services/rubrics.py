"""Rubric versions and rating cycles."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.access import CHANGE, can
from portal.accounts import display_name
from portal.audit import audit_record, snapshot
from portal.errors import AccessDenied, DomainError

from .. import rules
from ..choices import RubricStatus
from ..models import (
    Cycle,
    PartyOrganization,
    Rating,
    RatingEvent,
    Rubric,
    RubricDimension,
    RubricItem,
)
from .common import A, S, _refuse, _today


@dataclass
class ItemInput:
    code: str
    title: str
    max_points: object = 0
    check_method: str = "documents"
    deduction_notes: str = ""
    is_veto: bool = False
    veto_cap: int = 0


@dataclass
class DimensionInput:
    name: str
    items: list[ItemInput] = field(default_factory=list)


@transaction.atomic
def rubric_create(*, acting_user, name: str, dimensions: Iterable[DimensionInput], vetoes: Iterable[ItemInput] = (),
                  thresholds=rules.DEFAULT_THRESHOLDS, notes: str = "") -> Rubric:
    """A new draft rubric (version 1 of its name, or the next version)."""
    if not can(acting_user, Rubric, CHANGE):
        raise AccessDenied()
    name = (name or "").strip()
    if not name:
        raise DomainError(_("名称不能为空。"), field="name")
    version = (Rubric.objects.filter(name=name).order_by("-version").values_list("version", flat=True).first() or 0) + 1
    rubric = Rubric.objects.create(
        name=name, version=version, notes=notes, five_star_min=thresholds[0][1], four_star_min=thresholds[1][1],
        three_star_min=thresholds[2][1], two_star_min=thresholds[3][1],
    )
    order = 0
    for d_index, dimension in enumerate(dimensions, start=1):
        dim = RubricDimension.objects.create(rubric=rubric, order=d_index, name=dimension.name)
        for item in dimension.items:
            order += 1
            _item_create(rubric, dim, order, item)
    for item in vetoes:
        order += 1
        _item_create(rubric, None, order, ItemInput(**{**item.__dict__, "is_veto": True, "max_points": 0}))
    audit_record(actor=acting_user, action="rubric.create", obj=rubric, after=snapshot(rubric))
    return rubric


def _item_create(rubric, dimension, order, item: ItemInput) -> RubricItem:
    return RubricItem.objects.create(
        rubric=rubric, dimension=dimension, order=order, code=item.code, title=item.title,
        max_points=item.max_points, check_method=item.check_method, deduction_notes=item.deduction_notes,
        is_veto=item.is_veto, veto_cap=item.veto_cap,
    )


@transaction.atomic
def rubric_new_version(*, acting_user, source: Rubric) -> Rubric:
    """A draft copy of `source` as the next version of its name, to be edited and published."""
    if not can(acting_user, Rubric, CHANGE):
        raise AccessDenied()
    Rubric.objects.select_for_update().filter(name=source.name).exists()  # serialize version numbers
    version = Rubric.objects.filter(name=source.name).order_by("-version").values_list("version", flat=True).first()
    copy = Rubric.objects.create(
        name=source.name, version=version + 1, notes=source.notes, derived_from=source,
        five_star_min=source.five_star_min, four_star_min=source.four_star_min,
        three_star_min=source.three_star_min, two_star_min=source.two_star_min,
    )
    dimensions = {}
    for dim in source.dimensions.all():
        dimensions[dim.pk] = RubricDimension.objects.create(rubric=copy, order=dim.order, name=dim.name)
    for item in source.items.all():
        RubricItem.objects.create(
            rubric=copy, dimension=dimensions.get(item.dimension_id), order=item.order, code=item.code,
            title=item.title, max_points=item.max_points, check_method=item.check_method,
            deduction_notes=item.deduction_notes, is_veto=item.is_veto, veto_cap=item.veto_cap,
        )
    audit_record(actor=acting_user, action="rubric.new_version", obj=copy, after=snapshot(copy),
                 note=_("修订自第 %(v)d 版") % {"v": source.version})
    return copy


@transaction.atomic
def rubric_publish(*, acting_user, rubric: Rubric) -> Rubric:
    if not can(acting_user, Rubric, CHANGE):
        raise AccessDenied()
    locked = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if locked.is_published:
        raise DomainError(_("该版本已发布。"), code="stale")
    scored = [i for i in locked.items.all() if not i.is_veto]
    if not scored:
        raise DomainError(_("评分标准至少要有一个计分项目。"))
    total = sum((i.max_points for i in scored), start=rules.Decimal("0"))
    try:
        rules.check_thresholds(locked.thresholds, total)
    except rules.RuleError as error:
        raise _refuse(error, "five_star_min") from None
    before = snapshot(locked)
    Rubric.objects.filter(pk=locked.pk).update(status=RubricStatus.PUBLISHED, published_at=timezone.now())
    locked.refresh_from_db()
    audit_record(actor=acting_user, action="rubric.publish", obj=locked, before=before, after=snapshot(locked))
    return locked


@transaction.atomic
def rubric_update_draft(*, acting_user, rubric: Rubric, thresholds=None, items: dict | None = None) -> Rubric:
    """Edit a draft version: its thresholds, and its items' titles, maximums and deduction notes
    (`items` maps an item's code to the values to change). A published version is refused."""
    if not can(acting_user, Rubric, CHANGE):
        raise AccessDenied()
    locked = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if locked.is_published:
        raise DomainError(_("已发布的评分标准不能修改，请创建新版本。"), code="published")
    errors: dict[str, list[str]] = {}
    before = snapshot(locked)
    by_code = {i.code: i for i in locked.items.all()}
    changed = []
    for code, values in (items or {}).items():
        item = by_code.get(code)
        if item is None:
            errors[f"max_points_{code}"] = [_("没有编号为 %(c)s 的项目。") % {"c": code}]
            continue
        if "max_points" in values and not item.is_veto:
            try:
                points = rules.parse_points(values["max_points"], rules.Decimal("100"))
            except rules.RuleError as error:
                errors[f"max_points_{code}"] = [error.message]
                continue
            item.max_points = points
        if "title" in values:
            title = (values["title"] or "").strip()
            if not title:
                errors[f"title_{code}"] = [_("项目名称不能为空。")]
                continue
            item.title = title[:200]
        if "deduction_notes" in values:
            item.deduction_notes = (values["deduction_notes"] or "").strip()
        changed.append(item)
    if thresholds is not None:
        locked.five_star_min, locked.four_star_min, locked.three_star_min, locked.two_star_min = (
            rules.Decimal(str(m)) for _s, m in thresholds)
        total = sum((i.max_points for i in by_code.values() if not i.is_veto), start=rules.Decimal("0"))
        try:
            rules.check_thresholds(locked.thresholds, total)
        except rules.RuleError as error:
            errors["five_star_min"] = [error.message]
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)
    for item in changed:
        item.save()
    locked.save()
    audit_record(actor=acting_user, action="rubric.update_draft", obj=locked, before=before, after=snapshot(locked))
    return locked


# --- cycles ------------------------------------------------------------------------------------

CYCLE_FIELDS = ("year", "name", "rubric", "opens_on", "closes_on", "notice_days", "validity_months", "review_days")


@transaction.atomic
def cycle_create(*, acting_user, **values) -> Cycle:
    if not can(acting_user, Cycle, CHANGE):
        raise AccessDenied()
    values = {k: v for k, v in values.items() if k in CYCLE_FIELDS}
    errors: dict[str, list[str]] = {}
    rubric = values.get("rubric")
    if rubric is None:
        errors["rubric"] = [_("请选择评分标准。")]
    elif not rubric.is_published:
        errors["rubric"] = [_("只能选用已发布的评分标准。")]
    if values.get("year") and Cycle.objects.filter(year=values["year"]).exists():
        errors["year"] = [_("%(y)s 年度的评定周期已存在。") % {"y": values["year"]}]
    if values.get("opens_on") and values.get("closes_on") and values["closes_on"] < values["opens_on"]:
        errors["closes_on"] = [_("截止日期不能早于开始日期。")]
    if values.get("notice_days") is not None and int(values["notice_days"]) < 1:
        errors["notice_days"] = [_("公示期至少 1 天。")]
    if values.get("validity_months") is not None and int(values["validity_months"]) < 1:
        errors["validity_months"] = [_("有效期至少 1 个月。")]
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)
    # Stored data: named in Chinese whatever language the person creating it reads.
    values.setdefault("name", gettext_noop("%(y)s 年度星级评定") % {"y": values["year"]})
    cycle = Cycle.objects.create(**values)
    audit_record(actor=acting_user, action="cycle.create", obj=cycle, after=snapshot(cycle))
    return cycle


@transaction.atomic
def cycle_open_ratings(*, acting_user, cycle: Cycle, today: datetime.date | None = None) -> int:
    """Start a self-assessment for every organization that has none in the cycle; returns how many."""
    if not can(acting_user, Cycle, CHANGE):
        raise AccessDenied()
    today = today or _today()
    Cycle.objects.select_for_update().get(pk=cycle.pk)
    existing = Rating.objects.filter(cycle=cycle).values("organization")
    organizations = list(
        PartyOrganization.objects.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today))
        .exclude(pk__in=existing).values_list("pk", flat=True)
    )
    ratings = Rating.objects.bulk_create(
        [Rating(cycle=cycle, organization_id=pk, status=S.SELF, step_entered_on=today) for pk in organizations]
    )
    name = display_name(acting_user)
    RatingEvent.objects.bulk_create(
        [RatingEvent(rating=r, action=A.START, to_status=S.SELF, actor=acting_user, actor_name=name) for r in ratings]
    )
    audit_record(actor=acting_user, action="cycle.open_ratings", obj=cycle,
                 note=_("启动 %(n)d 个党组织的自评") % {"n": len(ratings)})
    return len(ratings)
