"""Loan products and the quota table (staff maintain them; a table is never edited, a new one takes over)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import CHANGE, can
from portal.audit import audit_record, snapshot
from portal.errors import AccessDenied, DomainError
from portal.models import Institution
from portal.rules import check_table_effective_from

from .. import rules
from ..models import LoanProduct, QuotaRow, QuotaTable

PRODUCT_FIELDS = ("bank", "name", "annual_rate", "term_months", "description", "is_active")


@transaction.atomic
def quota_table_create(*, acting_user, effective_from: datetime.date, amounts: dict, note: str = "") -> QuotaTable:
    """A new quota table in force from `effective_from`. Past decisions keep the table they used."""
    if not can(acting_user, QuotaTable, CHANGE):
        raise AccessDenied()
    errors: dict[str, list[str]] = {}
    if effective_from is None:
        errors["effective_from"] = [_("请填写生效日期。")]
    elif problem := check_table_effective_from(effective_from, timezone.localdate()):
        errors["effective_from"] = [problem]
    elif QuotaTable.objects.filter(effective_from=effective_from).exists():
        errors["effective_from"] = [_("%(d)s 已有生效的额度标准；如需调整，请另定生效日期。") % {"d": effective_from}]
    for stars in rules.STARS:
        raw = amounts.get(stars)
        try:
            rules.parse_yuan(raw, label=_("%(n)d 星额度") % {"n": stars}, allow_zero=True)
        except rules.RuleError as error:
            errors[f"stars_{stars}"] = [error.message]
    if not errors:
        try:
            table_amounts = rules.check_quota_table(amounts)
        except rules.RuleError as error:
            errors["stars_5"] = [error.message]
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)
    table = QuotaTable.objects.create(effective_from=effective_from, note=(note or "").strip()[:200],
                                      created_by=acting_user)
    QuotaRow.objects.bulk_create([QuotaRow(table=table, stars=s, amount=a) for s, a in table_amounts.items()])
    audit_record(actor=acting_user, action="quota_table.create", obj=table,
                 after={"effective_from": effective_from.isoformat(), **{str(s): str(a) for s, a in table_amounts.items()}})
    return table


def _validate_product(values: dict, instance: LoanProduct | None) -> dict:
    errors: dict[str, list[str]] = {}
    bank = values.get("bank", instance.bank if instance else None)
    if bank is None or (isinstance(bank, Institution) and bank.kind != "bank"):
        errors["bank"] = [_("请选择参与党建增信的银行。")]
    if instance is None or "name" in values:
        values["name"] = (values.get("name") or "").strip()
        if not values["name"]:
            errors["name"] = [_("请填写产品名称。")]
        elif bank is not None and LoanProduct.objects.filter(bank=bank, name=values["name"]).exclude(
                pk=getattr(instance, "pk", None)).exists():
            errors["name"] = [_("该银行已有同名产品。")]
    if "annual_rate" in values or instance is None:
        rate = values.get("annual_rate")
        if rate is None or not (Decimal("0") < Decimal(rate) < Decimal("100")):
            errors["annual_rate"] = [_("年利率须大于 0 且小于 100。")]
    if "term_months" in values or instance is None:
        term = values.get("term_months")
        if term is None or int(term) < 1:
            errors["term_months"] = [_("期限至少 1 个月。")]
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)
    return values


@transaction.atomic
def product_create(*, acting_user, **values) -> LoanProduct:
    if not can(acting_user, LoanProduct, CHANGE):
        raise AccessDenied()
    values = _validate_product({k: v for k, v in values.items() if k in PRODUCT_FIELDS}, None)
    product = LoanProduct.objects.create(**values)
    audit_record(actor=acting_user, action="loan_product.create", obj=product, after=snapshot(product))
    return product


@transaction.atomic
def product_update(*, acting_user, product: LoanProduct, **values) -> LoanProduct:
    if not can(acting_user, LoanProduct, CHANGE):
        raise AccessDenied()
    locked = LoanProduct.objects.select_for_update().get(pk=product.pk)
    before = snapshot(locked)
    values = _validate_product({k: v for k, v in values.items() if k in PRODUCT_FIELDS and k != "bank"}, locked)
    for key, value in values.items():
        setattr(locked, key, value)
    locked.save()
    audit_record(actor=acting_user, action="loan_product.update", obj=locked, before=before, after=snapshot(locked))
    return locked
