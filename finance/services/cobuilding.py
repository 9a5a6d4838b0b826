"""Co-building (组织共建): pairings of parks, villages and communities with banks, their activities,
and cadre exchanges between government organs and banks (干部互派互挂).

Only the organization department writes here (the models are reference data). Each service checks
every input it is given and refuses all the bad ones at once, each at its own field, before it writes
anything; then it writes the row and its audit entry in one transaction.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.access import CHANGE, can
from portal.audit import audit_record, snapshot
from portal.choices import InstitutionKind, RegionLevel
from portal.errors import AccessDenied, DomainError
from portal.models import Branch, Institution, Park, Region

from .. import rules
from ..choices import ExchangeDirection
from ..models import CadreExchange, CoBuildingActivity, CoBuildingPair

# Shared with the forms, so that a field left empty reads the same whether the form or the service
# notices it first.
TITLE_REQUIRED = gettext_lazy("请填写活动名称。")
NAME_REQUIRED = gettext_lazy("请填写挂职干部姓名。")
ORGAN_REQUIRED = gettext_lazy("请填写机关单位。")
POST_REQUIRED = gettext_lazy("请填写挂职岗位。")
BANK_REQUIRED = gettext_lazy("请选择一家银行。")


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)


def _check_bank(bank: Institution | None, errors: dict) -> None:
    if bank is None:
        errors["bank"] = [str(BANK_REQUIRED)]
    elif bank.kind != InstitutionKind.BANK:
        errors["bank"] = [_("“%(n)s”不是银行，只能与银行结对或互派干部。") % {"n": bank.name}]


def _text(value, *, field: str, required, max_length: int, errors: dict) -> str:
    text = (value or "").strip()
    if not text:
        errors[field] = [str(required)]
    elif len(text) > max_length:
        errors[field] = [_("不能超过 %(n)d 个字。") % {"n": max_length}]
    return text


def _lock_partner(park: Park | None, region: Region | None) -> None:
    # Pairings of one partner are serialized on the partner's row, so two staff pairing the same
    # village with the same bank at the same moment cannot both see "no current pairing".
    if park is not None:
        Park.objects.select_for_update().get(pk=park.pk)
    else:
        Region.objects.select_for_update().get(pk=region.pk)


@transaction.atomic
def pair_create(*, acting_user, bank: Institution | None, started_on: datetime.date | None,
                park: Park | None = None, region: Region | None = None, branch: Branch | None = None,
                note: str = "") -> CoBuildingPair:
    """Pair a bank (optionally one of its branches) with a park, or with a village or community."""
    if not can(acting_user, CoBuildingPair, CHANGE):
        raise AccessDenied()
    errors: dict[str, list[str]] = {}
    _check_bank(bank, errors)
    if branch is not None and "bank" not in errors and branch.institution_id != bank.pk:
        errors["branch"] = [_("网点“%(b)s”不属于%(n)s。") % {"b": branch.name, "n": bank.name}]
    if park is None and region is None:
        errors["park"] = [_("请选择结对的园区，或结对的村（社区）。")]
    elif park is not None and region is not None:
        errors["region"] = [_("一项结对只能对应一个园区或一个村（社区），不能同时选择两者。")]
    elif region is not None and region.level != RegionLevel.VILLAGE:
        errors["region"] = [_("“%(r)s”是%(l)s，结对对象须为村（社区）。")
                            % {"r": region.name, "l": region.get_level_display()}]
    if started_on is None:
        errors["started_on"] = [_("请填写结对日期。")]
    elif problem := rules.check_record_date(started_on, timezone.localdate(), label=_("结对日期"), ahead=True):
        errors["started_on"] = [problem]
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = [_("不能超过 %(n)d 个字。") % {"n": 300}]
    _refuse(errors)

    _lock_partner(park, region)
    partner_field = "park" if park is not None else "region"
    earlier = CoBuildingPair.objects.filter(bank=bank, **{partner_field: park or region})
    current = earlier.filter(ended_on__isnull=True).first()
    if current is not None:
        raise DomainError(
            _("%(b)s与“%(p)s”已有当前结对（自 %(d)s 起），请先结束该结对。")
            % {"b": bank.short_name, "p": current.partner, "d": current.started_on},
            field=partner_field, code="already_paired",
        )
    last = earlier.filter(ended_on__gte=started_on).order_by("-ended_on").first()
    if last is not None:
        raise DomainError(_("结对日期须晚于两者上一次结对的结束日期 %(d)s。") % {"d": last.ended_on},
                          field="started_on", code="overlap")

    pair = CoBuildingPair.objects.create(bank=bank, branch=branch, park=park, region=region,
                                         started_on=started_on, note=note)
    audit_record(actor=acting_user, action="cobuilding_pair.create", obj=pair, after=snapshot(pair))
    return pair


def _lock_pair(acting_user, pair: CoBuildingPair) -> CoBuildingPair:
    locked = CoBuildingPair.objects.restrict(acting_user, CHANGE).select_for_update().filter(pk=pair.pk).first()
    if locked is None:
        raise AccessDenied()
    return locked


@transaction.atomic
def pair_end(*, acting_user, pair: CoBuildingPair, ended_on: datetime.date | None) -> CoBuildingPair:
    locked = _lock_pair(acting_user, pair)
    if locked.ended_on is not None:
        raise DomainError(_("该结对已于 %(d)s 结束。") % {"d": locked.ended_on}, code="stale")
    if ended_on is None:
        raise DomainError(_("请填写结束日期。"), field="ended_on")
    if ended_on < locked.started_on:
        raise DomainError(_("结束日期不能早于结对日期 %(d)s。") % {"d": locked.started_on}, field="ended_on")
    if problem := rules.check_record_date(ended_on, timezone.localdate(), label=_("结束日期"), ahead=True):
        raise DomainError(problem, field="ended_on")
    # An activity is held within its pairing's period: the period may not be cut short of one.
    latest = locked.activities.filter(held_on__gt=ended_on).order_by("-held_on").first()
    if latest is not None:
        raise DomainError(_("该结对在 %(d)s 还有共建活动，结束日期不能早于这一天。") % {"d": latest.held_on},
                          field="ended_on")
    before = snapshot(locked)
    locked.ended_on = ended_on
    locked.save(update_fields=["ended_on"])
    audit_record(actor=acting_user, action="cobuilding_pair.end", obj=locked, before=before, after=snapshot(locked))
    return locked


@transaction.atomic
def activity_add(*, acting_user, pair: CoBuildingPair, held_on: datetime.date | None, title: str,
                 description: str = "", participants: int | None = 0) -> CoBuildingActivity:
    """Record an activity held by a pairing, on a day within its period."""
    # The pairing's row is locked so that it cannot be ended, at the same moment, before this day.
    locked = _lock_pair(acting_user, pair)
    errors: dict[str, list[str]] = {}
    title = _text(title, field="title", required=TITLE_REQUIRED, max_length=120, errors=errors)
    if held_on is None:
        errors["held_on"] = [_("请填写活动日期。")]
    elif held_on < locked.started_on:
        errors["held_on"] = [_("活动日期不能早于结对日期 %(d)s。") % {"d": locked.started_on}]
    elif locked.ended_on is not None and held_on > locked.ended_on:
        errors["held_on"] = [_("活动日期不能晚于结对结束日期 %(d)s。") % {"d": locked.ended_on}]
    elif problem := rules.check_record_date(held_on, timezone.localdate(), label=_("活动日期")):
        errors["held_on"] = [problem]
    participants = 0 if participants is None else participants
    if participants < 0:
        errors["participants"] = [_("参加人数不能为负数。")]
    _refuse(errors)
    activity = CoBuildingActivity.objects.create(pair=locked, held_on=held_on, title=title,
                                                 description=(description or "").strip(), participants=participants)
    audit_record(actor=acting_user, action="cobuilding_activity.add", obj=activity, after=snapshot(activity))
    return activity


@transaction.atomic
def exchange_create(*, acting_user, person_name: str, direction: str, organ: str, bank: Institution | None,
                    post: str, started_on: datetime.date | None, ended_on: datetime.date | None) -> CadreExchange:
    """A cadre of an organ posted to a bank (or of a bank to an organ) for a period."""
    if not can(acting_user, CadreExchange, CHANGE):
        raise AccessDenied()
    errors: dict[str, list[str]] = {}
    person_name = _text(person_name, field="person_name", required=NAME_REQUIRED, max_length=32, errors=errors)
    if direction not in ExchangeDirection.values:
        errors["direction"] = [_("请选择挂职方向。")]
    organ = _text(organ, field="organ", required=ORGAN_REQUIRED, max_length=100, errors=errors)
    _check_bank(bank, errors)
    post = _text(post, field="post", required=POST_REQUIRED, max_length=100, errors=errors)
    if started_on is None:
        errors["started_on"] = [_("请填写开始日期。")]
    elif problem := rules.check_record_date(started_on, timezone.localdate(), label=_("开始日期"), ahead=True):
        errors["started_on"] = [problem]
    if ended_on is None:
        errors["ended_on"] = [_("请填写结束日期。")]
    elif started_on is not None and (problem := rules.check_exchange_end(started_on, ended_on)):
        errors["ended_on"] = [problem]
    _refuse(errors)
    exchange = CadreExchange.objects.create(person_name=person_name, direction=direction, organ=organ, bank=bank,
                                            post=post, started_on=started_on, ended_on=ended_on)
    audit_record(actor=acting_user, action="cadre_exchange.create", obj=exchange, after=snapshot(exchange))
    return exchange
