"""The policy package's items: the organization department keeps them; every change is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from portal.access import CHANGE, can
from portal.audit import audit_record, snapshot
from portal.errors import AccessDenied

from .. import rules
from ..choices import PolicyCategory
from ..models import PolicyItem
from .common import Errors, choice, text

POLICY_ITEM_FIELDS = ("name", "category", "conditions", "levels", "amount", "is_active")


def _validate(values: dict, *, instance: PolicyItem | None = None) -> dict:
    errors = Errors()
    text(errors, values, "name", _("项目名称"), max_length=60)
    text(errors, values, "conditions", _("申请条件"), max_length=1000)
    choice(errors, values, "category", _("类别"), PolicyCategory)
    if "levels" in values:
        values["levels"] = errors.check("levels", rules.normalize_levels, values["levels"] or [])
    if "amount" in values:
        values["amount"] = errors.check("amount", rules.check_item_amount, values["amount"])
    if values.get("name") and "name" not in errors:
        clash = PolicyItem.objects.filter(name=values["name"])
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors.add("name", _("已有名为“%(n)s”的政策项目。") % {"n": values["name"]})
    errors.raise_if_any()
    return values


@transaction.atomic
def policy_item_create(*, acting_user, name: str, category: str, conditions: str, levels, amount=None,
                       is_active: bool = True) -> PolicyItem:
    if not can(acting_user, PolicyItem, CHANGE):
        raise AccessDenied()
    values = _validate({"name": name, "category": category, "conditions": conditions, "levels": levels,
                        "amount": amount, "is_active": bool(is_active)})
    item = PolicyItem.objects.create(**values)
    audit_record(actor=acting_user, action="talent.policy_item.create", obj=item, after=snapshot(item))
    return item


@transaction.atomic
def policy_item_update(*, acting_user, item: PolicyItem, **values) -> PolicyItem:
    """Change an item. Applications already made keep the standard they were made under."""
    locked = PolicyItem.objects.restrict(acting_user, CHANGE).select_for_update().filter(pk=item.pk).first()
    if locked is None:
        raise AccessDenied()
    values = _validate({k: v for k, v in values.items() if k in POLICY_ITEM_FIELDS}, instance=locked)
    before = snapshot(locked)
    for key, value in values.items():
        setattr(locked, key, value)
    locked.save()
    after = snapshot(locked)
    if before != after:
        audit_record(actor=acting_user, action="talent.policy_item.update", obj=locked, before=before, after=after)
    return locked
