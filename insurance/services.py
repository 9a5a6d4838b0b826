"""Every write of the insurance app: discount tables, products, quotes and policies.

Each service is atomic, checks the acting user's right, applies the pure rules (rules.py), locks what
it must and writes its own audit row. A refusal is a DomainError naming the field at fault, raised
before anything is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import CHANGE, can, user_assignments
from portal.accounts import display_name
from portal.audit import audit_record, snapshot
from portal.choices import InstitutionKind, Role
from portal.errors import AccessDenied, DomainError
from portal.models import Enterprise
from portal.rules import check_table_effective_from
from ratings.selectors import enterprise_rating

from . import rules, selectors
from .choices import ProductCategory, QuoteChannel, QuoteStatus
from .models import ISSUE, DiscountRow, DiscountTable, InsuranceProduct, Policy, Quote

PRODUCT_FIELDS = ("insurer", "name", "category", "description", "is_active")


def _today() -> datetime.date:
    return timezone.localdate()


def _actor_name(user) -> str:
    # The person's name as written with the quote or policy (黄海涛), not the account.
    return display_name(user) if getattr(user, "is_authenticated", False) else "system"


# --- discount tables ---------------------------------------------------------------------------

@transaction.atomic
def discount_table_create(*, acting_user, effective_from: datetime.date | None, rates: Mapping[int, object],
                          note: str = "", today: datetime.date | None = None) -> DiscountTable:
    """A new discount table star → rate, in force from `effective_from` (today or later: a table
    never reaches back over days whose quotes were priced under another). Errors are given at the
    fields `effective_from` and `rate_<stars>`."""
    if not can(acting_user, DiscountTable, CHANGE):
        raise AccessDenied()
    today = today or _today()
    errors: dict[str, list[str]] = {}
    message = _("请更正标出的错误。")
    if effective_from is None:
        errors["effective_from"] = [_("请填写生效日期。")]
    elif effective_from < today:
        errors["effective_from"] = [_("生效日期不能早于今天（%(d)s）：已作出的报价保留其所用的标准，新标准只对以后生效。")
                                    % {"d": today.isoformat()}]
    elif problem := check_table_effective_from(effective_from, today):
        errors["effective_from"] = [problem]
    elif DiscountTable.objects.filter(effective_from=effective_from).exists():
        errors["effective_from"] = [_("%(d)s 起执行的优惠标准已存在。") % {"d": effective_from.isoformat()}]
    table: dict[int, object] = {}
    try:
        table = rules.check_discount_table(rates)
    except rules.RuleError as error:
        errors.update({f"rate_{stars}": [text] for stars, text in error.errors.items()})
        if len(errors) == len(error.errors):
            message = error.message
    if errors:
        raise DomainError(message, errors=errors, code="invalid_table")
    try:
        with transaction.atomic():
            created = DiscountTable.objects.create(effective_from=effective_from, note=(note or "").strip()[:200],
                                                   created_by=acting_user if acting_user.is_authenticated else None)
    except IntegrityError:  # another table of that date arrived at the same moment
        raise DomainError(_("%(d)s 起执行的优惠标准已存在。") % {"d": effective_from.isoformat()},
                          field="effective_from", code="duplicate") from None
    DiscountRow.objects.bulk_create([DiscountRow(table=created, stars=s, rate_percent=r) for s, r in table.items()])
    audit_record(actor=acting_user, action="discount_table.create", obj=created,
                 after={**snapshot(created), "rates": {str(s): str(r) for s, r in table.items()}})
    return created


# --- products ----------------------------------------------------------------------------------

def _validate_product(values: dict, instance: InsuranceProduct | None) -> dict:
    errors: dict[str, list[str]] = {}
    insurer = values.get("insurer", instance.insurer if instance else None)
    if insurer is None:
        errors["insurer"] = [_("请选择保险公司。")]
    elif insurer.kind != InstitutionKind.INSURER:
        errors["insurer"] = [_("“%(i)s”不是保险公司。") % {"i": insurer}]
    if instance is None or "name" in values:
        values["name"] = (values.get("name") or "").strip()
        if not values["name"]:
            errors["name"] = [_("产品名称不能为空。")]
        elif len(values["name"]) > 60:
            errors["name"] = [_("产品名称不能超过 60 个字。")]
    if instance is None or "category" in values:
        if values.get("category") not in ProductCategory.values:
            errors["category"] = [_("请选择险种。")]
    if "description" in values:
        values["description"] = (values.get("description") or "").strip()[:300]
    if insurer is not None and values.get("name") and "insurer" not in errors:
        clash = InsuranceProduct.objects.filter(insurer=insurer, name=values["name"])
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["name"] = [_("%(i)s 已有名为“%(n)s”的产品。") % {"i": insurer, "n": values["name"]}]
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)
    return values


@transaction.atomic
def product_create(*, acting_user, **values) -> InsuranceProduct:
    if not can(acting_user, InsuranceProduct, CHANGE):
        raise AccessDenied()
    values = _validate_product({k: v for k, v in values.items() if k in PRODUCT_FIELDS}, None)
    product = InsuranceProduct.objects.create(**values)
    audit_record(actor=acting_user, action="insurance_product.create", obj=product, after=snapshot(product))
    return product


@transaction.atomic
def product_update(*, acting_user, product: InsuranceProduct, **values) -> InsuranceProduct:
    locked = InsuranceProduct.objects.restrict(acting_user, CHANGE).select_for_update().filter(pk=product.pk).first()
    if locked is None:
        raise AccessDenied()
    before = snapshot(locked)
    values = _validate_product({k: v for k, v in values.items() if k in PRODUCT_FIELDS}, locked)
    for key, value in values.items():
        setattr(locked, key, value)
    locked.save()
    audit_record(actor=acting_user, action="insurance_product.update", obj=locked, before=before,
                 after=snapshot(locked))
    return locked


# --- quotes ------------------------------------------------------------------------------------

def _quote_channel(user, enterprise: Enterprise, product: InsuranceProduct):
    """(channel, station) the user quotes through: an insurer officer for its own insurer's products,
    a station operator for the enterprises of its area. Anyone else is refused."""
    assignments = user_assignments(user)
    own = [a for a in assignments if a.role == Role.INSURER_OFFICER and a.institution_id]
    if any(a.institution_id == product.insurer_id for a in own):
        return QuoteChannel.INSURER, None
    stations = [a for a in assignments if a.role == Role.STATION_OPERATOR and a.station_id]
    for assignment in stations:
        if Enterprise.objects.filter(assignment.station.enterprise_q(), pk=enterprise.pk).exists():
            return QuoteChannel.STATION, assignment.station
    if own and not stations:
        raise DomainError(_("只能为本公司（%(i)s）的产品报价。") % {"i": own[0].institution}, field="product",
                          code="not_own_product")
    raise AccessDenied(_("您不能为该企业报价。"))


@transaction.atomic
def quote_create(*, acting_user, enterprise: Enterprise, product: InsuranceProduct, base_premium: object,
                 today: datetime.date | None = None) -> Quote:
    """A discounted quote for the enterprise: its rating today must be valid (else the rating's reason
    is the answer), under the table in force today; valid for QUOTE_VALID_DAYS days."""
    if not can(acting_user, Quote, CHANGE):
        raise AccessDenied()
    today = today or _today()
    channel, station = _quote_channel(acting_user, enterprise, product)
    pricing = selectors.quote_pricing(enterprise=enterprise, product=product, base_premium=base_premium, today=today)
    premium = pricing.premium
    quote = Quote.objects.create(
        enterprise=enterprise, insurer=product.insurer, product=product, base_premium=premium.base,
        stars=pricing.stars, rating=pricing.rating.rating, discount_table=pricing.table,
        discount_percent=premium.rate_percent, discount_amount=premium.discount, net_premium=premium.net,
        channel=channel, station=station, status=QuoteStatus.QUOTED, quoted_on=today,
        valid_until=rules.quote_valid_until(today), created_by=acting_user, created_by_name=_actor_name(acting_user),
    )
    audit_record(actor=acting_user, action="quote.create", obj=quote, after=snapshot(quote))
    return quote


@transaction.atomic
def quotes_expire(*, today: datetime.date | None = None) -> int:
    """Mark the quotes past their validity as expired; returns how many. A guarded update: a quote
    being issued at that moment is locked, and once issued no longer matches."""
    today = today or _today()
    count = Quote.objects.filter(status=QuoteStatus.QUOTED, valid_until__lt=today).update(
        status=QuoteStatus.EXPIRED, updated_at=timezone.now())
    if count:
        audit_record(actor=None, action="quote.expire", object_type="insurance.quote",
                     object_repr=_("过期报价 %(n)d 条") % {"n": count},
                     after={"count": count, "valid_until_before": today.isoformat()})
    return count


# --- policies ----------------------------------------------------------------------------------

@transaction.atomic
def policy_issue(*, acting_user, quote: Quote, policy_number: str = "", starts_on: datetime.date | None = None,
                 ends_on: datetime.date | None = None, today: datetime.date | None = None) -> Policy:
    """Issue the policy of a quote, once. The quote is locked first: of two officers issuing at the
    same moment, the second waits, then finds it issued and is told so. The rating is checked again
    today: a revocation since the quote takes its discount away at once."""
    today = today or _today()
    locked = (Quote.objects.select_for_update(of=("self",)).select_related("insurer", "enterprise")
              .filter(pk=quote.pk).first())
    if locked is None or not Quote.objects.restrict(acting_user, ISSUE).filter(pk=quote.pk).exists():
        raise AccessDenied(_("只有该报价所属保险公司的业务员可以出具保单。"))
    answer = enterprise_rating(locked.enterprise, on=today)
    try:
        rules.check_issuable(status=locked.status, valid_until=locked.valid_until, today=today,
                             quoted_stars=locked.stars, rating_valid=answer.is_valid, current_stars=answer.stars,
                             rating_message=answer.message)
    except rules.RuleError as error:
        message = error.message
        if error.code == "already_issued":
            existing = Policy.objects.filter(quote=locked).first()
            if existing is not None:
                message = _("该报价已于 %(t)s 由 %(u)s 出具保单 %(n)s，不能重复出具。") % {
                    "t": timezone.localtime(existing.issued_at).strftime("%Y-%m-%d %H:%M"),
                    "u": existing.issued_by_name, "n": existing.policy_number}
        raise DomainError(message, code=error.code) from None
    starts_on = starts_on or today
    ends_on = ends_on or rules.policy_ends_on(starts_on)
    period = rules.check_policy_period(starts_on, ends_on, today, quote_valid_until=locked.valid_until,
                                       rating_valid_to=answer.valid_to)
    errors = {field: [text] for field, text in period.items()}
    number = rules.default_policy_number(locked.insurer.code, today.year, locked.pk)
    if (policy_number or "").strip():
        try:
            number = rules.check_policy_number(policy_number, locked.insurer.code, today.year)
        except rules.RuleError as error:
            errors["policy_number"] = [error.message]
    if "policy_number" not in errors and Policy.objects.filter(insurer=locked.insurer, policy_number=number).exists():
        errors["policy_number"] = [_("保单号 %(n)s 已被本公司其他保单使用。") % {"n": number}]
    if errors:
        raise DomainError(_("请更正标出的错误。"), errors=errors)
    before = snapshot(locked)
    locked.status = QuoteStatus.ISSUED
    locked.save(update_fields=["status", "updated_at"])
    try:
        with transaction.atomic():
            policy = Policy.objects.create(quote=locked, insurer=locked.insurer, policy_number=number,
                                           starts_on=starts_on, ends_on=ends_on, issued_by=acting_user,
                                           issued_by_name=_actor_name(acting_user))
    except IntegrityError:  # the same number taken by another policy at this very moment
        raise DomainError(_("保单号 %(n)s 已被本公司其他保单使用。") % {"n": number}, field="policy_number",
                          code="duplicate") from None
    audit_record(actor=acting_user, action="quote.issue", obj=locked, before=before, after=snapshot(locked))
    audit_record(actor=acting_user, action="policy.issue", obj=policy, after=snapshot(policy))
    return policy
