"""Every read of the credit scheme, already scoped; and the explainable eligibility answer that the
lookup page, the station desk and the banks' API all give."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from portal.access import VIEW
from portal.choices import RegionLevel
from portal.models import Enterprise, Region
from ratings.selectors import EnterpriseRating, enterprise_ratings, valid_stars_subquery

from . import rules
from .choices import Eligibility
from .models import CreditLine, LoanApplication, LoanProduct, QuotaRow, QuotaTable
from .models.loans import OPEN_STATUSES


def _get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- policies ------------------------------------------------------------------------------------

def quota_table_in_force(on: datetime.date | None = None) -> QuotaTable | None:
    on = on or timezone.localdate()
    return (QuotaTable.objects.filter(effective_from__lte=on).order_by("-effective_from")
            .prefetch_related(Prefetch("rows", queryset=QuotaRow.objects.order_by("stars"))).first())


def quota_amounts_in_force(on: datetime.date) -> tuple[QuotaTable | None, dict[int, Decimal] | None]:
    """The table in force and its amount per star level, in one query (the rows with their table): the
    eligibility answer asks on every call."""
    latest = QuotaTable.objects.filter(effective_from__lte=on).order_by("-effective_from").values("pk")[:1]
    rows = list(QuotaRow.objects.filter(table_id=Subquery(latest)).select_related("table"))
    if rows:
        return rows[0].table, {row.stars: row.amount for row in rows}
    table = quota_table_in_force(on)  # none in force, or (never made by the service) one without rows
    return table, ({} if table else None)


def quota_table_list(*, user):
    return QuotaTable.objects.restrict(user, VIEW).prefetch_related(
        Prefetch("rows", queryset=QuotaRow.objects.order_by("stars"))).select_related("created_by")


def product_list(*, user, bank=None):
    products = LoanProduct.objects.restrict(user, VIEW).select_related("bank")
    return products.filter(bank=bank) if bank is not None else products


def access_product(*, user, pk) -> LoanProduct:
    return _get_or_404(product_list(user=user), pk)


# --- eligibility ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass(frozen=True)
class InsuranceDiscount:
    insurer: object
    product: object
    discount_percent: Decimal


@dataclass(frozen=True)
class EligibilityAnswer:
    """What an enterprise's rating is worth on a day, and why not when it is worth nothing."""

    enterprise: Enterprise
    on: datetime.date
    rating: EnterpriseRating
    quota_table: QuotaTable | None
    quota: Decimal | None
    used: Decimal
    insurance: list[InsuranceDiscount] = field(default_factory=list)

    @property
    def available(self) -> Decimal:
        return rules.available(self.quota, self.used)

    @property
    def reasons(self) -> list[Reason]:
        reasons = []
        if not self.rating.is_valid:
            reasons.append(Reason(self.rating.standing, self.rating.message))
        elif self.quota_table is None:
            reasons.append(Reason(Eligibility.NO_TABLE, str(Eligibility.NO_TABLE.label)))
        elif self.available <= 0:
            reasons.append(Reason(Eligibility.QUOTA_USED_UP, str(Eligibility.QUOTA_USED_UP.label)))
        return reasons

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def stars(self) -> int | None:
        return self.rating.stars


def _discounts(stars_levels: set[int], on: datetime.date) -> dict[int, list[InsuranceDiscount]]:
    # Insurance stands beside finance on the rating; its selector answers for a star level.
    from insurance.selectors import discounts_for

    return {stars: [InsuranceDiscount(*row) for row in discounts_for(stars, on)] for stars in stars_levels}


# The policy tables (quota amounts, insurance discounts) a day's answers read, kept in this process for
# a short while when the caller allows it: the banks' API asks thousands of times a minute for the same
# few rows. Approvals never use the copy (they read the table in force at the moment of approving).
_POLICIES: dict[tuple, tuple[float, object]] = {}


def _policy(key: tuple, max_age: float, compute):
    if max_age > 0:
        hit = _POLICIES.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
    value = compute()
    if max_age > 0:
        if len(_POLICIES) > 64:  # a day's keys are few; old days are dropped wholesale
            _POLICIES.clear()
        _POLICIES[key] = (time.monotonic() + max_age, value)
    return value


def with_credit_used(enterprises: models.QuerySet) -> models.QuerySet:
    """The enterprises with their credit line's `used` read in the same query (`eligibility_for` then
    skips its own query for it)."""
    used = CreditLine.objects.filter(enterprise_id=OuterRef("pk")).values("used")[:1]
    return enterprises.annotate(credit_used=Coalesce(Subquery(used), Value(Decimal("0.00")),
                                                     output_field=models.DecimalField(max_digits=14, decimal_places=2)))


def eligibility_for(enterprises, on: datetime.date | None = None, *,
                    policies_max_age: float = 0) -> dict[int, EligibilityAnswer]:
    """The answer for each enterprise, in a fixed number of queries whatever their number. The caller
    has checked that the user may look these enterprises up. `policies_max_age`: how many seconds a
    copy of the day's quota and discount tables kept in this process may be used (0: read them now)."""
    on = on or timezone.localdate()
    enterprises = list(enterprises)
    ids = [e.pk for e in enterprises]
    ratings = enterprise_ratings(ids, on)
    table, amounts = _policy(("quota", on), policies_max_age, lambda: quota_amounts_in_force(on))
    if all(hasattr(e, "credit_used") for e in enterprises):
        used = {e.pk: e.credit_used for e in enterprises}
    else:
        used = dict(CreditLine.objects.filter(enterprise_id__in=ids).values_list("enterprise_id", "used"))
    discounts = {stars: _policy(("discounts", on, stars), policies_max_age, lambda s=stars: _discounts({s}, on)[s])
                 for stars in {r.stars for r in ratings.values() if r.is_valid}}
    answers = {}
    for enterprise in enterprises:
        rating = ratings[enterprise.pk]
        quota = rules.loan_quota(rating.stars, amounts) if rating.is_valid else None
        answers[enterprise.pk] = EligibilityAnswer(
            enterprise=enterprise, on=on, rating=rating, quota_table=table if rating.is_valid else None,
            quota=quota, used=used.get(enterprise.pk, Decimal("0.00")),
            insurance=discounts.get(rating.stars, []) if rating.is_valid else [],
        )
    return answers


def eligibility(enterprise: Enterprise, on: datetime.date | None = None, *,
                policies_max_age: float = 0) -> EligibilityAnswer:
    return eligibility_for([enterprise], on, policies_max_age=policies_max_age)[enterprise.pk]


def lookup_enterprises(*, user, query: str):
    """Enterprises a user may look up, by credit code (whole or its beginning) or name. Banks and
    insurers look up any enterprise, but only by what the enterprise gave them: its code or name."""
    from portal.rules import clean_text

    query = clean_text(query)
    if len(query) < 2:
        return Enterprise.objects.none()
    base = lookup_scope(user=user)
    code = query.upper()
    if code.isascii() and code.isalnum():
        return base.filter(uscc__startswith=code).order_by("uscc")[:20]
    return base.filter(name__icontains=query).order_by("name")[:20]


def lookup_scope(*, user):
    """Which enterprises a user may see eligibility for: banks and insurers any (they ask about their
    own applicants), the registry's roles what they already see."""
    from portal.access import has_role
    from portal.choices import Role

    if has_role(user, Role.BANK_OFFICER, Role.INSURER_OFFICER):
        return Enterprise.objects.all()
    return Enterprise.objects.restrict(user, VIEW)


def can_look_up(user) -> bool:
    from portal.access import has_role
    from portal.choices import Role

    return has_role(user, Role.BANK_OFFICER, Role.INSURER_OFFICER, Role.STATION_OPERATOR, Role.ORG_STAFF,
                    Role.TOWN_STAFF, Role.LEADER, Role.ENTERPRISE_USER)


# --- the station desk --------------------------------------------------------------------------------
# The desk ranks, filters and sorts the enterprises of a station's area in the database, so a page of
# 30 rows costs the same whatever the area's size; the page's rows then get the full answer above.

class DeskRank:
    """Why a row stands where it does on the desk, most actionable first."""

    CAN_APPLY = 0  # a valid rating, quota left and no application under way: apply today
    UNDER_WAY = 1  # an application under way: follow it up
    QUOTA_USED = 2  # rated, but nothing left to apply for
    NOT_ELIGIBLE = 3  # no valid rating


def station_area_enterprises(stations) -> models.QuerySet:
    """The enterprises the stations serve (their areas together)."""
    area = Q(pk__in=[])
    for station in stations:
        area |= station.enterprise_q()
    return Enterprise.objects.filter(area)


def station_area_regions(stations) -> tuple[models.QuerySet, models.QuerySet]:
    """(towns, villages) of the stations' areas, for the desk's filters: a region station's towns and
    villages below its region, a park station's those where the park's enterprises are."""
    area = Q(pk__in=[])
    for station in stations:
        if station.park_id:
            area |= Q(pk__in=Enterprise.objects.filter(park_id=station.park_id).values("region_id"))
        else:
            area |= Q(code__startswith=station.region.prefix)
    regions = Region.objects.filter(area)
    towns = Region.objects.filter(level=RegionLevel.TOWN).filter(
        Q(pk__in=regions.values("pk")) | Q(pk__in=regions.values("parent_id"))).order_by("code")
    villages = regions.filter(level=RegionLevel.VILLAGE).select_related("parent").order_by("code")
    return towns, villages


def desk_annotate(enterprises, on: datetime.date | None = None) -> models.QuerySet:
    """The enterprises with what the desk filters and sorts by: `stars_now` (valid stars today, else
    NULL), `quota_now`, `available_now`, `has_open` (a loan application under way), `has_applied`
    (any loan application ever) and `desk_rank` (DeskRank)."""
    on = on or timezone.localdate()
    table = quota_table_in_force(on)
    money = models.DecimalField(max_digits=14, decimal_places=2)
    enterprises = enterprises.annotate(stars_now=valid_stars_subquery(on))
    if table is not None:
        quota = Case(*[When(stars_now=row.stars, then=Value(row.amount)) for row in table.rows.all()],
                     default=Value(None), output_field=money)
    else:
        quota = Value(None, output_field=money)
    used = Coalesce(Subquery(CreditLine.objects.filter(enterprise_id=OuterRef("pk")).values("used")[:1]),
                    Value(Decimal("0.00")), output_field=money)
    applications = LoanApplication.objects.filter(enterprise_id=OuterRef("pk"))
    enterprises = enterprises.annotate(
        quota_now=quota, used_now=used,
        has_open=Exists(applications.filter(status__in=OPEN_STATUSES)), has_applied=Exists(applications))
    enterprises = enterprises.annotate(available_now=ExpressionWrapper(F("quota_now") - F("used_now"),
                                                                       output_field=money))
    return enterprises.annotate(desk_rank=Case(
        When(has_open=True, then=Value(DeskRank.UNDER_WAY)),
        When(available_now__gt=0, then=Value(DeskRank.CAN_APPLY)),
        When(stars_now__isnull=False, then=Value(DeskRank.QUOTA_USED)),
        default=Value(DeskRank.NOT_ELIGIBLE), output_field=models.IntegerField()))


def open_applications_of(enterprises) -> dict[int, list[LoanApplication]]:
    """The loan applications under way of these enterprises, by enterprise, in one query."""
    by_enterprise: dict[int, list[LoanApplication]] = {}
    for application in (LoanApplication.objects.filter(enterprise__in=list(enterprises), status__in=OPEN_STATUSES)
                        .select_related("bank").order_by("submitted_at", "pk")):
        by_enterprise.setdefault(application.enterprise_id, []).append(application)
    return by_enterprise


# --- loan applications -----------------------------------------------------------------------------

def loan_application_list(*, user):
    return LoanApplication.objects.restrict(user, VIEW).select_related(
        "enterprise__region", "bank", "product", "station")


def access_loan_application(*, user, pk) -> LoanApplication:
    return _get_or_404(loan_application_list(user=user).select_related("rating__cycle", "quota_table"), pk)


def in_flight_reasons(applications) -> dict[int, list[Reason]]:
    """Why each open application could not be approved today, if it could not (revoked, expired…)."""
    open_ones = [a for a in applications if a.status in OPEN_STATUSES]
    answers = eligibility_for({a.enterprise for a in open_ones}) if open_ones else {}
    return {a.pk: answers[a.enterprise_id].reasons for a in open_ones if answers[a.enterprise_id].reasons}


def credit_line_used(enterprise: Enterprise) -> Decimal:
    return CreditLine.objects.filter(enterprise=enterprise).values_list("used", flat=True).first() or Decimal("0.00")


# --- figures for dashboards and reports -------------------------------------------------------------
# What the dashboards and the work report read of the loans as of a day: an application's state on a
# day is the last step of its history (LoanEvent) up to that day; approvals are the approve steps.
# A fixed number of queries whatever the number of applications.
from django.db.models import Count, DurationField, Sum  # noqa: E402
from django.db.models.functions import TruncMonth  # noqa: E402

from portal.selectors import as_of_groups, day_end, day_start  # noqa: E402

from .choices import LoanAction, LoanStatus  # noqa: E402
from .models import LoanEvent  # noqa: E402


def _applications_by(*, user, on: datetime.date, prefix: str = "", stations=None):
    """The applications the user sees that had been submitted by the end of `on`."""
    applications = LoanApplication.objects.restrict(user, VIEW).filter(submitted_at__lt=day_end(on))
    if prefix:
        applications = applications.filter(enterprise__region__code__startswith=prefix)
    if stations is not None:
        applications = applications.filter(station_id__in=stations)
    return applications


def _loan_states(applications, on: datetime.date, fields: tuple[str, ...], **aggregates) -> list[dict]:
    end = day_end(on)
    last = (LoanEvent.objects.filter(application=OuterRef("pk"), at__lt=end).order_by("-at", "-pk")
            .values("to_status")[:1])
    changed = applications.filter(pk__in=LoanEvent.objects.filter(at__gte=end).values("application_id"))
    return as_of_groups(applications, fields=fields, changed=changed,
                        state=Coalesce(Subquery(last), Value(LoanStatus.SUBMITTED)), aggregates=aggregates)


def loan_figures(*, user, on: datetime.date, since: datetime.date, prefix: str = "") -> dict:
    """Loan applications as they stood on `on` and the approvals of the period `since`…`on`, by bank,
    in three queries:
    - `by_state`: rows {bank_id, state, count, amount (applied), approved (approved amounts)}; the
      approved amounts of the approved and disbursed rows are the quota in use that day;
    - `approvals`: {bank_id: {"count", "amount"}} of the approvals made in the period."""
    applications = _applications_by(user=user, on=on, prefix=prefix)
    by_state = _loan_states(applications, on, ("bank_id",), count=Count("pk"), amount=Sum("amount"),
                            approved=Sum("approved_amount"))
    approvals = {row["application__bank_id"]: {"count": row["count"], "amount": row["amount"]} for row in (
        LoanEvent.objects.filter(application__in=applications, action=LoanAction.APPROVE, at__gte=day_start(since),
                                 at__lt=day_end(on))
        .order_by().values("application__bank_id").annotate(count=Count("pk"), amount=Sum("amount")))}
    return {"by_state": by_state, "approvals": approvals}


def loan_station_counts(*, user, on: datetime.date, since: datetime.date, prefix: str = "") -> dict[int, int]:
    """Loan applications each station submitted in the period: {station_id: count}, one query."""
    applications = _applications_by(user=user, on=on, prefix=prefix).filter(
        station__isnull=False, submitted_at__gte=day_start(since))
    return dict(applications.order_by().values("station_id").annotate(n=Count("pk")).values_list("station_id", "n"))


def station_loan_states(*, user, stations, on: datetime.date, since: datetime.date) -> list[dict]:
    """The loan applications these stations submitted in the period, by their state on `on`."""
    applications = _applications_by(user=user, on=on, stations=stations).filter(submitted_at__gte=day_start(since))
    return _loan_states(applications, on, (), count=Count("pk"), amount=Sum("amount"))


def bank_loan_figures(*, user, on: datetime.date, since: datetime.date) -> dict:
    """A bank's own figures (a bank officer sees its bank's applications only), in four queries:
    `by_state` (its applications by their state on `on`), `months` (approvals per month of the period,
    count and amount), `decisions` (the decisions of the period: their count and the total time from
    submission to decision)."""
    begin, end = day_start(since), day_end(on)
    applications = _applications_by(user=user, on=on)
    by_state = _loan_states(applications, on, (), count=Count("pk"), amount=Sum("amount"),
                            approved=Sum("approved_amount"))
    months = list(LoanEvent.objects.filter(application__in=applications, action=LoanAction.APPROVE, at__gte=begin,
                                           at__lt=end)
                  .annotate(month=TruncMonth("at")).order_by("month").values("month")
                  .annotate(count=Count("pk"), amount=Sum("amount")))
    decisions = applications.filter(decided_at__gte=begin, decided_at__lt=end).order_by().aggregate(
        count=Count("pk"),
        wait=ExpressionWrapper(Sum(F("decided_at") - F("submitted_at")), output_field=DurationField()))
    return {"by_state": by_state, "months": months, "decisions": decisions}
