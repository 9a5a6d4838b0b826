"""Every read of the insurance app, already limited to what the user may see; and the answer other
apps use: which discount each product gives a star level on a day (`discounts_for`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import VIEW, user_assignments
from portal.choices import Role
from portal.errors import DomainError
from portal.models import Enterprise, Institution
from portal.punctuation import parens, series
from portal.rules import check_uscc, clean_text
from ratings.selectors import enterprise_rating

from . import rules
from .choices import QuoteStatus
from .models import ISSUE, DiscountTable, InsuranceProduct, Policy, Quote


def _get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- discount tables ---------------------------------------------------------------------------

def discount_table_list(*, user):
    return DiscountTable.objects.restrict(user, VIEW).prefetch_related("rows").select_related("created_by")


def discount_table_in_force(on: datetime.date | None = None) -> DiscountTable | None:
    """The table in force on `on` (today by default): the latest that took effect on or before it
    (portal.rules.effective_on, done by the database)."""
    on = on or timezone.localdate()
    return DiscountTable.objects.filter(effective_from__lte=on).order_by("-effective_from").prefetch_related("rows").first()


# --- products ----------------------------------------------------------------------------------

def product_list(*, user, active_only: bool = False):
    products = InsuranceProduct.objects.restrict(user, VIEW).select_related("insurer")
    return products.filter(is_active=True) if active_only else products


def access_product(*, user, pk, action: str = VIEW) -> InsuranceProduct:
    return _get_or_404(InsuranceProduct.objects.restrict(user, action).select_related("insurer"), pk)


class ProductDiscount(NamedTuple):
    insurer: Institution
    product: InsuranceProduct
    discount_percent: Decimal


def discounts_for(stars: int | None, on: datetime.date | None = None) -> list[ProductDiscount]:
    """What a star level is worth in insurance on a day: (insurer, product, discount %) for every
    active product of an active insurer, under the table in force that day. Empty without stars or
    without a table. Finance's eligibility answer reads this."""
    table = discount_table_in_force(on)
    rate = rules.premium_discount(stars, table.rates() if table is not None else None)
    if rate is None:
        return []
    products = (InsuranceProduct.objects.filter(is_active=True, insurer__is_active=True)
                .select_related("insurer").order_by("insurer__code", "category", "name"))
    return [ProductDiscount(p.insurer, p, rate) for p in products]


# --- quotes and policies -----------------------------------------------------------------------

def quote_list(*, user, action: str = VIEW):
    return (Quote.objects.restrict(user, action)
            .select_related("enterprise", "insurer", "product", "station", "policy", "discount_table")
            .order_by(*Quote._meta.ordering))


def access_quote(*, user, pk, action: str = VIEW) -> Quote:
    return _get_or_404(quote_list(user=user, action=action).select_related("rating__cycle"), pk)


def policy_list(*, user):
    return (Policy.objects.restrict(user, VIEW)
            .select_related("insurer", "quote__enterprise", "quote__product", "quote__station")
            .order_by(*Policy._meta.ordering))


def access_policy(*, user, pk) -> Policy:
    return _get_or_404(policy_list(user=user), pk)


def can_issue_policy(user, quote: Quote) -> bool:
    return quote.status == QuoteStatus.QUOTED and Quote.objects.restrict(user, ISSUE).filter(pk=quote.pk).exists()


def quotable_scope(*, user):
    """The enterprises the user may make a quote for.

    A station operator quotes for the enterprises of its area. An insurer officer sees no registry,
    yet serves whichever enterprise comes to it: it may quote any registered enterprise, found by
    its credit code or its name as on the eligibility page (no browsing: a search answers a few)."""
    roles = {a.role for a in user_assignments(user)}
    if Role.INSURER_OFFICER in roles:
        return Enterprise.objects.all()
    if Role.STATION_OPERATOR in roles:
        return Enterprise.objects.restrict(user, VIEW)
    return Enterprise.objects.none()


def quotable_enterprise(*, user, uscc: str) -> Enterprise | None:
    """The enterprise with this credit code that the user may make a quote for, or None."""
    return quotable_scope(user=user).filter(uscc=uscc).select_related("region").first()


def quotable_enterprise_search(*, user, query: str, limit: int = 10) -> list[Enterprise]:
    """The quote form's search as you type: enterprises the user may quote whose credit code starts
    with `query`, or whose name holds it (at least two characters), at most `limit`."""
    query = clean_text(query)
    if len(query) < 2:
        return []
    scope = quotable_scope(user=user).select_related("region")
    code = query.upper()
    if code.isascii() and code.isalnum():
        return list(scope.filter(uscc__startswith=code).order_by("uscc")[:limit])
    return list(scope.filter(name__icontains=query).order_by("name", "pk")[:limit])


def find_quotable_enterprise(*, user, raw_code: object) -> Enterprise:
    """The enterprise named in the quote form by its credit code or its name, or a DomainError at the
    field `enterprise` saying what is wrong: a bad code, no such enterprise, or several by that name."""
    text = clean_text(str(raw_code or ""))
    if not text:
        raise DomainError(_("请填写企业名称或统一社会信用代码。"), field="enterprise", code="required")
    result = check_uscc(text)
    if result.ok:
        enterprise = quotable_enterprise(user=user, uscc=result.value)
        if enterprise is None:
            raise DomainError(_("没有找到信用代码为 %(c)s 的企业，或您不能为其报价。") % {"c": result.value},
                              field="enterprise", code="not_found")
        return enterprise
    matches = quotable_enterprise_search(user=user, query=text, limit=6)
    exact = [e for e in matches if e.name == text]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0]
    if not matches:
        if text.upper().isascii() and text.upper().isalnum():  # a code typed wrong: say what is wrong with it
            raise DomainError(result.error, field="enterprise")
        raise DomainError(_("没有找到名称含“%(q)s”的企业，或您不能为其报价。") % {"q": text},
                          field="enterprise", code="not_found")
    listed = series(e.name + parens(e.uscc) for e in matches[:5])
    raise DomainError(_("有多家企业符合“%(q)s”：%(e)s。请从提示中选择，或填写完整的统一社会信用代码。")
                      % {"q": text, "e": listed}, field="enterprise", code="ambiguous")


def quotable_products(*, user):
    """The active products the user may quote: an insurer officer its own insurer's, a station all."""
    products = product_list(user=user, active_only=True).filter(insurer__is_active=True)
    own = {a.institution_id for a in user_assignments(user) if a.role == Role.INSURER_OFFICER and a.institution_id}
    if own and not any(a.role == Role.STATION_OPERATOR for a in user_assignments(user)):
        products = products.filter(insurer_id__in=own)
    return products


@dataclass(frozen=True)
class Pricing:
    """A quote as it would be made today, before anything is written."""

    enterprise: Enterprise
    product: InsuranceProduct
    rating: object  # ratings.selectors.EnterpriseRating
    table: DiscountTable
    premium: rules.Premium

    @property
    def stars(self) -> int:
        return self.rating.stars


def quote_pricing(*, enterprise: Enterprise, product: InsuranceProduct, base_premium: object,
                  today: datetime.date | None = None) -> Pricing:
    """Price a quote: the enterprise's rating today, the table in force, the discount and the net.
    Every input at fault is named at its field (DomainError); nothing is written. The quote form's
    preview and `services.quote_create` both come here, so they can never disagree."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    base = None
    try:
        base = rules.parse_yuan(base_premium, label=_("基础保费"))
    except rules.RuleError as error:
        errors["base_premium"] = [error.message]
    if not product.is_active or not product.insurer.is_active:
        errors["product"] = [_("“%(p)s”已停售，不能报价。") % {"p": product}]
    answer = enterprise_rating(enterprise, on=today)
    if not answer.is_valid:
        errors["enterprise"] = [_("%(e)s 暂不能享受党建保险优惠：%(r)s。") % {"e": enterprise.name, "r": answer.message}]
    table = discount_table_in_force(today)
    if table is None:
        errors.setdefault("__all__", []).append(_("尚无生效的保费优惠标准，暂不能报价。"))
    if errors:
        code = "not_eligible" if "enterprise" in errors else "no_table" if "__all__" in errors else "invalid"
        first = next(iter(errors.values()))[0]
        raise DomainError(first if len(errors) == 1 else _("请更正标出的错误。"),
                          errors={k if k != "__all__" else "non_field_errors": v for k, v in errors.items()},
                          code=code)
    rate = rules.premium_discount(answer.stars, table.rates())
    if rate is None:  # a checked table has all five stars; a row lost by hand would land here
        raise DomainError(_("优惠标准中没有 %(n)d 星的优惠比例。") % {"n": answer.stars}, code="no_table")
    return Pricing(enterprise, product, answer, table, rules.net_premium(base, rate))


def enterprise_insurance(enterprise: Enterprise, *, user) -> dict:
    """The enterprise page's tab: what its stars are worth today, its quotes and policies (those the
    user may see)."""
    answer = enterprise_rating(enterprise)
    table = discount_table_in_force()
    rate = rules.premium_discount(answer.stars, table.rates() if table else None)
    return {
        "insurance_answer": answer,
        "insurance_rate": rate,
        "insurance_table": table,
        "insurance_quotes": quote_list(user=user).filter(enterprise=enterprise)[:50],
        "insurance_policies": policy_list(user=user).filter(quote__enterprise=enterprise)[:50],
    }


@dataclass(frozen=True)
class InsurerSummary:
    insurer_name: str
    quotes: int
    policies: int
    base: Decimal
    discount: Decimal
    net: Decimal


def discount_summary(*, user) -> list[InsurerSummary]:
    """Discounts granted through issued policies, by insurer, within what the user sees: the leaders'
    figure "insurance discounts granted"."""
    rows = (quote_list(user=user).order_by().values("insurer__short_name", "insurer__code")
            .annotate(quotes=Count("pk"), policies=Count("pk", filter=Q(status=QuoteStatus.ISSUED)),
                      base=Sum("base_premium", filter=Q(status=QuoteStatus.ISSUED)),
                      discount=Sum("discount_amount", filter=Q(status=QuoteStatus.ISSUED)),
                      net=Sum("net_premium", filter=Q(status=QuoteStatus.ISSUED)))
            .order_by("insurer__code"))
    zero = Decimal("0.00")
    return [InsurerSummary(r["insurer__short_name"], r["quotes"], r["policies"], r["base"] or zero,
                           r["discount"] or zero, r["net"] or zero) for r in rows]


# --- figures for dashboards and reports -------------------------------------------------------------
# What the dashboards and the work report read of the insurance business in a period: policies by the
# day they were issued (with the premiums and discount their quote fixed); a quote's status on a day
# worked out from its dates, since the status itself has no history.
from django.db.models import Case, Exists, OuterRef, Value, When  # noqa: E402

from portal.selectors import day_end, day_start  # noqa: E402


def insurance_figures(*, user, on: datetime.date, since: datetime.date, prefix: str = "") -> list[dict]:
    """Policies issued in the period `since`…`on` by insurer, with the premiums and the discounts
    granted (yuan): rows {insurer_id, count, base, discount, net}, one query."""
    policies = Policy.objects.restrict(user, VIEW).filter(issued_at__gte=day_start(since), issued_at__lt=day_end(on))
    if prefix:
        policies = policies.filter(quote__enterprise__region__code__startswith=prefix)
    return list(policies.order_by().values("insurer_id").annotate(
        count=Count("pk"), base=Sum("quote__base_premium"), discount=Sum("quote__discount_amount"),
        net=Sum("quote__net_premium")))


def _quotes_by(*, user, on: datetime.date, since: datetime.date, prefix: str = "", stations=None):
    quotes = Quote.objects.restrict(user, VIEW).filter(quoted_on__gte=since, quoted_on__lte=on)
    if prefix:
        quotes = quotes.filter(enterprise__region__code__startswith=prefix)
    if stations is not None:
        quotes = quotes.filter(station_id__in=stations)
    return quotes


def quote_station_counts(*, user, on: datetime.date, since: datetime.date, prefix: str = "") -> dict[int, int]:
    """Quotes each station made in the period: {station_id: count}, one query."""
    quotes = _quotes_by(user=user, on=on, since=since, prefix=prefix).filter(station__isnull=False)
    return dict(quotes.order_by().values("station_id").annotate(n=Count("pk")).values_list("station_id", "n"))


def station_quote_states(*, user, stations, on: datetime.date, since: datetime.date) -> list[dict]:
    """The quotes these stations made in the period, by their status on `on`: issued if its policy was
    issued by then, else expired if its validity had ended, else quoted. Rows {state, count, discount}."""
    issued = Exists(Policy.objects.filter(quote=OuterRef("pk"), issued_at__lt=day_end(on)))
    state = Case(When(issued, then=Value(QuoteStatus.ISSUED)), When(valid_until__lt=on, then=Value(QuoteStatus.EXPIRED)),
                 default=Value(QuoteStatus.QUOTED))
    quotes = _quotes_by(user=user, on=on, since=since, stations=stations)
    return list(quotes.annotate(state=state).order_by().values("state")
                .annotate(count=Count("pk"), discount=Sum("discount_amount")))
