"""Every write of the pairings part: cadres, their pairings with key enterprises and entrepreneurs,
and their visits.

Each service checks all of its input and refuses the bad parts at once, each at its own field, before
it writes; then it writes the row and its audit entry in one transaction. The range (1–3 of each kind
for a county-level leader) holds under concurrency because every pairing of a cadre is created with
that cadre's row locked (SELECT … FOR UPDATE): two staff adding a 3rd and a 4th at the same moment
take turns, and the second counts the first's pairing. The partial unique constraints on Pairing are
the last line against a duplicate current pairing.

Decided here:
- The city Party secretary and section-level or other cadres are not held to the range; they may be
  paired with any number (the secretary leads the mechanism, the others assist).
- A pairing starts, ends, and a visit happens on a day already come: a future day is refused
  (planned pairings are not current ones, and counting them would make the range lie). A visit is
  not dated before the pairing that led to it began, nor, without one, more than a year back.
- A cadre records its own visits, to the enterprises it reaches now (paired directly or through a
  paired entrepreneur). The organization department keeps the log for every cadre and may record a
  visit to any enterprise (the city's 大走访 goes beyond the pairings).
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.access import ADD, CHANGE, can, scope_q
from portal.audit import audit_record, snapshot
from portal.choices import EnterpriseKind, Role
from portal.errors import AccessDenied, DomainError
from portal.models import Enterprise, EnterprisePerson, Person, RoleAssignment

from ..choices import CadreLevel, ContactKind, PairingKind
from ..models import Cadre, Pairing, Visit, cadre_enterprise_q
from ..models.cadres import ENTREPRENEUR_LINKS
from ..rules import pairings as rules
from ..selectors.pairings import pairing_started_on

# Shared with the forms, so that an empty field reads the same whether the form or the service
# notices it first.
NAME_REQUIRED = gettext_lazy("请填写姓名。")
POST_REQUIRED = gettext_lazy("请填写职务。")
REASON_REQUIRED = gettext_lazy("请写明结束原因。")
DISCUSSED_REQUIRED = gettext_lazy("请填写交流内容。")
ENTERPRISE_REQUIRED = gettext_lazy("请选择重点民企。")
PERSON_REQUIRED = gettext_lazy("请选择企业家。")


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)


def _text(value, *, field: str, max_length: int, errors: dict, required=None) -> str:
    text = (value or "").strip()
    if required is not None and not text:
        errors[field] = [str(required)]
    elif len(text) > max_length:
        errors[field] = [_("不能超过 %(n)d 个字。") % {"n": max_length}]
    return text


def _day(value, *, field: str, label: str, errors: dict, today: datetime.date) -> None:
    if value is None:
        errors[field] = [_("请填写%(label)s。") % {"label": label}]
        return
    try:
        rules.check_not_future(value, today, label=label)
    except rules.RuleError as error:
        errors[field] = [error.message]


# --- cadres --------------------------------------------------------------------------------------

CADRE_FIELDS = ("name", "post", "unit", "level", "user", "is_active", "order")


def _check_cadre(values: dict, cadre: Cadre | None, errors: dict) -> dict:
    exclude = {"pk": cadre.pk} if cadre is not None else {}
    values["name"] = _text(values.get("name"), field="name", max_length=32, errors=errors, required=NAME_REQUIRED)
    values["post"] = _text(values.get("post"), field="post", max_length=80, errors=errors, required=POST_REQUIRED)
    values["unit"] = _text(values.get("unit"), field="unit", max_length=80, errors=errors)
    if values.get("level") not in CadreLevel.values:
        errors["level"] = [_("请选择干部层级。")]
    order = values.get("order")
    values["order"] = 100 if order in (None, "") else order
    if not isinstance(values["order"], int) or not 0 <= values["order"] <= 32767:
        errors["order"] = [_("排序号须为 0 到 32767 之间的整数。")]
    values["is_active"] = bool(values.get("is_active", True))
    user = values.get("user")
    if user is not None:
        if not RoleAssignment.objects.filter(user=user, role=Role.CADRE).exists():
            errors["user"] = [_("账号“%(u)s”没有“联系领导”角色，请先由系统管理员为其分配该角色。")
                              % {"u": user.get_username()}]
        else:
            other = Cadre.objects.filter(user=user).exclude(**exclude).first()
            if other is not None:
                errors["user"] = [_("账号“%(u)s”已关联联系领导“%(c)s”，一个账号只能关联一名联系领导。")
                                  % {"u": user.get_username(), "c": other.name}]
    if values.get("level") == CadreLevel.SECRETARY and values["is_active"]:
        other = Cadre.objects.filter(level=CadreLevel.SECRETARY, is_active=True).exclude(**exclude).first()
        if other is not None:
            errors["level"] = [_("已有在岗的市委书记“%(n)s”领衔，请先将其设为不在岗。") % {"n": other.name}]
    if cadre is not None and not values["is_active"] and cadre.is_active:
        current = cadre.pairings.filter(ended_on__isnull=True).count()
        if current:
            errors["is_active"] = [_("该领导还有 %(n)d 项当前结对，请先结束这些结对，再设为不在岗。") % {"n": current}]
    return values


def _save_cadre(cadre: Cadre, values: dict) -> Cadre:
    # The checks above saw no clash; two staff saving at the same moment may still make one, which the
    # database refuses. That refusal is told at its field, like the checks'.
    for name in CADRE_FIELDS:
        setattr(cadre, name, values[name])
    try:
        with transaction.atomic():
            cadre.save()
    except IntegrityError as error:
        if "cadre_one_active_secretary" in str(error):
            raise DomainError(_("已有在岗的市委书记领衔，请先将其设为不在岗。"), field="level", code="duplicate") from None
        raise DomainError(_("该账号已关联另一名联系领导。"), field="user", code="duplicate") from None
    return cadre


@transaction.atomic
def cadre_create(*, acting_user, name: str, post: str, level: str = CadreLevel.COUNTY, unit: str = "",
                 user=None, is_active: bool = True, order: int | None = None) -> Cadre:
    """A cadre in the liaison mechanism, with (optionally) the account it signs in with."""
    if not can(acting_user, Cadre, CHANGE):
        raise AccessDenied()
    errors: dict[str, list[str]] = {}
    values = _check_cadre({"name": name, "post": post, "unit": unit, "level": level, "user": user,
                           "is_active": is_active, "order": order}, None, errors)
    _refuse(errors)
    cadre = _save_cadre(Cadre(), values)
    audit_record(actor=acting_user, action="liaison_cadre.create", obj=cadre, after=snapshot(cadre))
    return cadre


@transaction.atomic
def cadre_update(*, acting_user, cadre: Cadre, **changes) -> Cadre:
    """Change some of a cadre's fields (those given); the others keep their values."""
    unknown = set(changes) - set(CADRE_FIELDS)
    if unknown:
        raise TypeError(f"cadre_update() got unexpected fields {sorted(unknown)}")
    locked = Cadre.objects.restrict(acting_user, CHANGE).select_for_update().filter(pk=cadre.pk).first()
    if locked is None:
        raise AccessDenied()
    before = snapshot(locked)
    errors: dict[str, list[str]] = {}
    values = {name: changes.get(name, getattr(locked, name)) for name in CADRE_FIELDS}
    values = _check_cadre(values, locked, errors)
    _refuse(errors)
    _save_cadre(locked, values)
    audit_record(actor=acting_user, action="liaison_cadre.update", obj=locked, before=before, after=snapshot(locked))
    return locked


# --- pairings ------------------------------------------------------------------------------------

def is_key_private(enterprise: Enterprise) -> bool:
    return enterprise.is_key and enterprise.kind == EnterpriseKind.PRIVATE


def is_entrepreneur(person: Person) -> bool:
    """An entrepreneur or legal representative of some enterprise."""
    return (Enterprise.objects.filter(legal_representative=person).exists()
            or EnterprisePerson.objects.filter(person=person, link__in=ENTREPRENEUR_LINKS).exists())


def _check_partner(kind, enterprise, person, errors: dict) -> str | None:
    """The field naming the partner, after checking it fits the kind."""
    if kind == PairingKind.ENTERPRISE:
        if person is not None:
            errors["person"] = [_("联系对象为重点民企时，不应选择企业家。")]
        if enterprise is None:
            errors["enterprise"] = [str(ENTERPRISE_REQUIRED)]
        elif not is_key_private(enterprise):
            errors["enterprise"] = [_("“%(e)s”不是重点民营企业，县级领导干部联系的企业须为重点民企。")
                                    % {"e": enterprise.name}]
        return "enterprise"
    if kind == PairingKind.ENTREPRENEUR:
        if enterprise is not None:
            errors["enterprise"] = [_("联系对象为企业家时，不应选择企业。")]
        if person is None:
            errors["person"] = [str(PERSON_REQUIRED)]
        elif not is_entrepreneur(person):
            errors["person"] = [_("“%(p)s”不是任何企业的企业家或法定代表人，不能作为联系的企业家。") % {"p": person.name}]
        return "person"
    errors["kind"] = [_("请选择联系对象：重点民企或企业家。")]
    return None


@transaction.atomic
def pairing_create(*, cadre: Cadre, kind: str, started_on: datetime.date | None, acting_user,
                   enterprise: Enterprise | None = None, person: Person | None = None, note: str = "") -> Pairing:
    """Pair a cadre with a key private enterprise or an entrepreneur, from `started_on`."""
    if not can(acting_user, Pairing, CHANGE):
        raise AccessDenied()
    errors: dict[str, list[str]] = {}
    if cadre is None:
        raise DomainError(_("请选择联系领导。"), field="cadre")
    # Every pairing of this cadre waits here for the one before it: the count below is then exact.
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if not cadre.is_active:
        errors["cadre"] = [_("%(c)s已不在岗，不能新增结对。") % {"c": cadre.name}]
    field = _check_partner(kind, enterprise, person, errors)
    _day(started_on, field="started_on", label=_("开始日期"), errors=errors, today=timezone.localdate())
    note = _text(note, field="note", max_length=200, errors=errors)
    _refuse(errors)

    partner = {"enterprise": enterprise} if field == "enterprise" else {"person": person}
    earlier = Pairing.objects.filter(cadre=cadre, **partner)
    current = earlier.filter(ended_on__isnull=True).first()
    if current is not None:
        raise DomainError(_("%(c)s已在联系“%(p)s”（自 %(d)s 起），不能重复结对。")
                          % {"c": cadre.name, "p": current.partner, "d": current.started_on.isoformat()},
                          field=field, code="already_paired")
    last = earlier.filter(ended_on__gte=started_on).order_by("-ended_on").first()
    if last is not None:
        raise DomainError(_("开始日期须晚于两者上一次结对的结束日期 %(d)s。") % {"d": last.ended_on.isoformat()},
                          field="started_on", code="overlap")
    if cadre.held_to_range:
        count = Pairing.objects.filter(cadre=cadre, kind=kind, ended_on__isnull=True).count()
        try:
            rules.check_can_add(count, kind)
        except rules.RuleError as error:
            raise DomainError(error.message, field=field, code="over_range") from None
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(cadre=cadre, kind=kind, started_on=started_on, note=note,
                                             created_by=acting_user, **partner)
    except IntegrityError:
        raise DomainError(_("%(c)s已在联系该对象，不能重复结对。") % {"c": cadre.name}, field=field,
                          code="already_paired") from None
    audit_record(actor=acting_user, action="liaison_pairing.create", obj=pairing, after=snapshot(pairing))
    return pairing


@transaction.atomic
def pairing_end(*, pairing: Pairing, ended_on: datetime.date | None, reason: str, acting_user) -> Pairing:
    """End a current pairing on a day, for a reason (it stays in the cadre's history)."""
    locked = Pairing.objects.restrict(acting_user, CHANGE).select_for_update().filter(pk=pairing.pk).first()
    if locked is None:
        raise AccessDenied()
    if locked.ended_on is not None:
        raise DomainError(_("该结对已于 %(d)s 结束。") % {"d": locked.ended_on.isoformat()}, code="stale")
    errors: dict[str, list[str]] = {}
    _day(ended_on, field="ended_on", label=_("结束日期"), errors=errors, today=timezone.localdate())
    if "ended_on" not in errors and ended_on < locked.started_on:
        errors["ended_on"] = [_("结束日期不能早于开始日期 %(d)s。") % {"d": locked.started_on.isoformat()}]
    reason = _text(reason, field="reason", max_length=200, errors=errors, required=REASON_REQUIRED)
    _refuse(errors)
    before = snapshot(locked)
    locked.ended_on, locked.end_reason = ended_on, reason
    locked.save(update_fields=["ended_on", "end_reason"])
    audit_record(actor=acting_user, action="liaison_pairing.end", obj=locked, before=before, after=snapshot(locked))
    return locked


# --- visits --------------------------------------------------------------------------------------

@transaction.atomic
def visit_record(*, cadre: Cadre | None, enterprise: Enterprise | None, kind: str,
                 visited_on: datetime.date | None, discussed: str, acting_user, participants: str = "",
                 follow_ups: str = "") -> Visit:
    """Record a visit or contact of a cadre with an enterprise."""
    scope = scope_q(Visit, acting_user, ADD)
    if scope is None:
        raise AccessDenied()
    keeps_every_log = not scope  # Q(): the organization department
    errors: dict[str, list[str]] = {}
    if cadre is None:
        errors["cadre"] = [_("请选择联系领导。")]
    elif not keeps_every_log:
        own = Cadre.objects.filter(user=acting_user).first()
        if own is None or own.pk != cadre.pk:
            raise AccessDenied(_("只能记录本人的走访联系。"))
    if enterprise is None:
        errors["enterprise"] = [_("请选择走访的企业。")]
    elif not keeps_every_log and not Enterprise.objects.filter(
            cadre_enterprise_q(acting_user.pk), pk=enterprise.pk).exists():
        errors["enterprise"] = [_("“%(e)s”不是您当前联系的企业（结对的重点民企或所联系企业家的企业），不能记录走访。")
                                % {"e": enterprise.name}]
    if kind not in ContactKind.values:
        errors["kind"] = [_("请选择联系方式。")]
    if visited_on is None:
        errors["visited_on"] = [_("请填写%(label)s。") % {"label": _("走访日期")}]
    else:
        since = pairing_started_on(cadre, enterprise) if cadre is not None and enterprise is not None else None
        try:
            rules.check_visit_day(visited_on, timezone.localdate(), paired_since=since)
        except rules.RuleError as error:
            errors["visited_on"] = [error.message]
    participants = _text(participants, field="participants", max_length=200, errors=errors)
    discussed = _text(discussed, field="discussed", max_length=4000, errors=errors, required=DISCUSSED_REQUIRED)
    if discussed and "discussed" not in errors and len(discussed) < 4:
        errors["discussed"] = [_("交流内容请写具体一些（不少于 4 个字）。")]
    follow_ups = _text(follow_ups, field="follow_ups", max_length=4000, errors=errors)
    _refuse(errors)
    visit = Visit.objects.create(cadre=cadre, enterprise=enterprise, kind=kind, visited_on=visited_on,
                                 participants=participants, discussed=discussed, follow_ups=follow_ups,
                                 created_by=acting_user)
    audit_record(actor=acting_user, action="liaison_visit.record", obj=visit, after=snapshot(visit))
    return visit

