"""Talents: the organization department records them. The person (name, ID number, mobile) is the
registry's portal.Person, created or updated through the registry's own services so that its checks
(GB 11643 check digit, mobile format, one person per ID number) and its masked audit rows apply."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import services as registry
from portal.access import CHANGE, can
from portal.audit import audit_record, snapshot
from portal.errors import AccessDenied
from portal.models import Person
from portal.rules import check_id_number, check_mobile, clean_text

from ..choices import TalentField, TalentLevel, TalentSource
from ..models import IncubationBase, Talent
from .common import Errors, choice, text

TALENT_FIELDS = ("level", "field", "employer", "source", "source_institution", "introduced_on", "base", "note")
PERSON_FIELDS = ("name", "id_number", "mobile")


def _check_person(errors: Errors, values: dict, *, person: Person | None) -> Person | None:
    """Tidy name, ID number and mobile in place. Returns the registry's person already holding this ID
    number, if any (a talent may be an entrepreneur of the registry already)."""
    if "name" in values:
        values["name"] = clean_text(values["name"])
        if not values["name"]:
            errors.add("name", _("姓名不能为空。"))
        elif len(values["name"]) > 32:
            errors.add("name", _("姓名不能超过 32 个字。"))
    if "mobile" in values:
        result = check_mobile(values["mobile"])
        if result.ok:
            values["mobile"] = result.value
        else:
            errors.add("mobile", result.error)
    existing = None
    if "id_number" in values:
        result = check_id_number(values["id_number"])
        if not result.ok:
            errors.add("id_number", result.error)
            return None
        values["id_number"] = result.value
        existing = Person.objects.filter(id_number=result.value).select_related("talent").first()
        if existing is not None and existing.pk != getattr(person, "pk", None):
            if hasattr(existing, "talent"):
                errors.add("id_number", _("该身份证号已登记为人才。"))
            elif person is not None or ("name" in values and existing.name != values["name"]):
                errors.add("id_number", _("该身份证号已登记在另一人员名下，姓名不符。"))
        elif existing is not None:
            existing = None  # the talent's own person
    return existing


def _check_talent(errors: Errors, values: dict, *, current_base_id: int | None = None) -> None:
    choice(errors, values, "level", _("人才类别"), TalentLevel)
    choice(errors, values, "field", _("领域"), TalentField)
    choice(errors, values, "source", _("引进渠道"), TalentSource)
    text(errors, values, "note", _("备注"), max_length=300, required=False)
    if "source_institution" in values:
        needs_name = values.get("source") in (TalentSource.INSTITUTE, TalentSource.UNIVERSITY, TalentSource.PARK)
        text(errors, values, "source_institution", _("来源单位"), max_length=100, required=needs_name)
    if "employer" in values and values["employer"] is None:
        errors.add("employer", _("请填写用人单位。"))
    if "introduced_on" in values:
        day = values["introduced_on"]
        if day is None:
            errors.add("introduced_on", _("请填写引进日期。"))
        elif day > timezone.localdate():
            errors.add("introduced_on", _("引进日期不能晚于今天。"))
    base = values.get("base")
    # A base that stopped takes no new talents; those it already holds keep it.
    if base is not None and base.pk != current_base_id and \
            not IncubationBase.objects.filter(pk=base.pk, is_active=True).exists():
        errors.add("base", _("孵化基地“%(b)s”已停止运行。") % {"b": base})


@transaction.atomic
def talent_create(*, acting_user, name: str, id_number: str, mobile: str, level: str, field: str, employer,
                  source: str, introduced_on, source_institution: str = "", base=None, note: str = "") -> Talent:
    if not can(acting_user, Talent, CHANGE):
        raise AccessDenied()
    people = {"name": name, "id_number": id_number, "mobile": mobile}
    values = {"level": level, "field": field, "employer": employer, "source": source,
              "source_institution": source_institution, "introduced_on": introduced_on, "base": base, "note": note}
    errors = Errors()
    existing = _check_person(errors, people, person=None)
    _check_talent(errors, values)
    errors.raise_if_any()
    if existing is None:
        person = registry.person_create(acting_user=acting_user, **people)
    else:
        # Already in the registry (an entrepreneur, say): the same person becomes a talent.
        person = Person.objects.select_for_update().get(pk=existing.pk)
        if person.mobile != people["mobile"]:
            person = registry.person_update(acting_user=acting_user, person=person, mobile=people["mobile"])
    talent = Talent.objects.create(person=person, **values)
    audit_record(actor=acting_user, action="talent.create", obj=talent, after=snapshot(talent))
    return talent


@transaction.atomic
def talent_update(*, acting_user, talent: Talent, **values) -> Talent:
    locked = Talent.objects.restrict(acting_user, CHANGE).select_for_update().select_related("person") \
        .filter(pk=talent.pk).first()
    if locked is None:
        raise AccessDenied()
    people = {k: v for k, v in values.items() if k in PERSON_FIELDS}
    values = {k: v for k, v in values.items() if k in TALENT_FIELDS}
    if "source_institution" in values and "source" not in values:
        values["source"] = locked.source
    errors = Errors()
    _check_person(errors, people, person=locked.person)
    _check_talent(errors, values, current_base_id=locked.base_id)
    errors.raise_if_any()
    changed = {k: v for k, v in people.items() if getattr(locked.person, k) != v}
    if changed:
        locked.person = registry.person_update(acting_user=acting_user, person=locked.person, **changed)
    before = snapshot(locked)
    for key, value in values.items():
        setattr(locked, key, value)
    locked.save()
    after = snapshot(locked)
    if before != after:
        audit_record(actor=acting_user, action="talent.update", obj=locked, before=before, after=after)
    return locked
