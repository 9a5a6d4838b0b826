"""Every write to the registry. Each service is atomic, checks the acting user's right on the
object through `restrict()`, validates with the pure rules, and writes its own audit row."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from .access import CHANGE, UNMASK, can
from .audit import audit_record, snapshot
from .errors import AccessDenied, DomainError
from .models import Enterprise, Person
from .rules import check_id_number, check_mobile, check_uscc

ENTERPRISE_FIELDS = (
    "uscc", "name", "kind", "industry", "region", "park", "is_key", "employees", "registered_capital",
    "founded_on", "address", "legal_representative", "contact",
)
PERSON_FIELDS = ("name", "id_number", "mobile", "is_new_generation")


def _validate_enterprise(values: dict, *, instance: Enterprise | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    if instance is None:
        for required, message in (("uscc", _("统一社会信用代码不能为空。")), ("name", _("名称不能为空。")),
                                  ("region", _("请选择所在区划。"))):
            if not values.get(required):
                errors[required] = [message]
        if errors:
            raise DomainError(_("请更正标出的错误。"), errors=errors)
    if "uscc" in values:
        result = check_uscc(values["uscc"])
        if not result.ok:
            errors["uscc"] = [result.error]
        else:
            values["uscc"] = result.value
            clash = Enterprise.objects.filter(uscc=result.value)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors["uscc"] = [_("统一社会信用代码 %(code)s 已登记。") % {"code": result.value}]
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        if not values["name"]:
            errors["name"] = [_("名称不能为空。")]
    capital = values.get("registered_capital")
    if capital is not None and Decimal(capital) < 0:
        errors["registered_capital"] = [_("注册资本不能为负数。")]
    # A partial update names one of the two: check it against the other as it stands.
    park = values["park"] if "park" in values else (instance.park if instance is not None else None)
    region = values["region"] if "region" in values else (instance.region if instance is not None else None)
    if park is not None and region is not None and not region.code.startswith(park.region.prefix):
        errors["park"] = [_("园区“%(park)s”不在所选区划内。") % {"park": park}]
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)
    return values


@transaction.atomic
def enterprise_create(*, acting_user, **values) -> Enterprise:
    if not can(acting_user, Enterprise, CHANGE):
        raise AccessDenied()
    values = _validate_enterprise({k: v for k, v in values.items() if k in ENTERPRISE_FIELDS})
    enterprise = Enterprise(**values)
    enterprise.save()
    audit_record(actor=acting_user, action="enterprise.create", obj=enterprise, after=snapshot(enterprise))
    return enterprise


@transaction.atomic
def enterprise_save_with_people(*, acting_user, enterprise: Enterprise | None = None,
                                new_people: dict[str, dict] | None = None, **values) -> Enterprise:
    """Create (or update) an enterprise together with the people entered inline for it (by role, e.g.
    {"contact": {"name": ..., "id_number": ..., "mobile": ...}}), in one transaction: a refusal of
    either leaves nothing behind. A person's refusal is placed at `<role>_<field>`."""
    created: dict[str, Person] = {}
    for role, person_values in (new_people or {}).items():
        same = next((p for p in created.values() if p.id_number == person_values.get("id_number")), None)
        if same is not None:
            values[role] = same
            continue
        try:
            created[role] = values[role] = person_create(acting_user=acting_user, **person_values)
        except DomainError as error:
            raise DomainError(error.message, code=error.code, errors={
                f"{role}_{field}": messages for field, messages in (error.errors or {}).items()}) from None
    if enterprise is None:
        return enterprise_create(acting_user=acting_user, **values)
    return enterprise_update(acting_user=acting_user, enterprise=enterprise, **values)


@transaction.atomic
def enterprise_update(*, acting_user, enterprise: Enterprise, **values) -> Enterprise:
    # Re-read under lock and through the user's scope: a concurrent edit is serialized, and an
    # enterprise outside the scope is not found at all.
    locked = Enterprise.objects.restrict(acting_user, CHANGE).select_for_update().filter(pk=enterprise.pk).first()
    if locked is None:
        raise AccessDenied()
    before = snapshot(locked)
    values = _validate_enterprise({k: v for k, v in values.items() if k in ENTERPRISE_FIELDS}, instance=locked)
    for key, value in values.items():
        setattr(locked, key, value)
    locked.save()
    after = snapshot(locked)
    if before != after:
        audit_record(actor=acting_user, action="enterprise.update", obj=locked, before=before, after=after)
    return locked


def _validate_person(values: dict, *, instance: Person | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    if instance is None or "name" in values:
        values["name"] = (values.get("name") or "").strip()
        if not values["name"]:
            errors["name"] = [_("姓名不能为空。")]
    if values.get("id_number"):
        result = check_id_number(values["id_number"])
        if not result.ok:
            errors["id_number"] = [result.error]
        else:
            values["id_number"] = result.value
            clash = Person.objects.filter(id_number=result.value)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors["id_number"] = [_("该身份证号已登记在另一人员名下。")]
    elif "id_number" in values:
        values["id_number"] = None
    if values.get("mobile"):
        result = check_mobile(values["mobile"])
        if not result.ok:
            errors["mobile"] = [result.error]
        else:
            values["mobile"] = result.value
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)
    return values


@transaction.atomic
def person_create(*, acting_user, **values) -> Person:
    if not can(acting_user, Person, CHANGE):
        raise AccessDenied()
    values = _validate_person({k: v for k, v in values.items() if k in PERSON_FIELDS})
    person = Person.objects.create(**values)
    audit_record(actor=acting_user, action="person.create", obj=person, after=_person_snapshot(person))
    return person


@transaction.atomic
def person_update(*, acting_user, person: Person, **values) -> Person:
    locked = Person.objects.restrict(acting_user, CHANGE).select_for_update().filter(pk=person.pk).first()
    if locked is None:
        raise AccessDenied()
    before = _person_snapshot(locked)
    values = _validate_person({k: v for k, v in values.items() if k in PERSON_FIELDS}, instance=locked)
    for key, value in values.items():
        setattr(locked, key, value)
    locked.save()
    after = _person_snapshot(locked)
    if before != after:
        audit_record(actor=acting_user, action="person.update", obj=locked, before=before, after=after)
    return locked


def _person_snapshot(person: Person) -> dict:
    # Personal data stays masked even in the audit log; the log records that it changed.
    data = snapshot(person)
    data["id_number"] = person.id_number_masked
    data["mobile"] = person.mobile_masked
    return data


@transaction.atomic
def person_unmask(*, acting_user, person: Person, fields: tuple[str, ...] = ("id_number", "mobile")) -> dict:
    """Return the person's personal data whole, after checking the right and auditing the look."""
    if not Person.objects.restrict(acting_user, UNMASK).filter(pk=person.pk).exists():
        raise AccessDenied(_("您无权查看该人员的完整个人信息。"))
    allowed = [f for f in fields if f in ("id_number", "mobile")]
    labels = "、".join(str(Person._meta.get_field(f).verbose_name) for f in allowed)
    audit_record(actor=acting_user, action="person.unmask", obj=person, note=_("查看完整信息：%(f)s") % {"f": labels})
    return {f: getattr(person, f) or "" for f in allowed}
