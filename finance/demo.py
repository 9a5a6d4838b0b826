"""Demo data of the credit scheme: loan products of the five banks, the default quota table, and loan
applications in every state for enterprises whose rating is valid.

The applications are written in bulk as the services would have left them (status, amounts, the
rating and table an approval rested on, the credit line's `used`, the history), because the demo
has no user for most enterprises and stations; the quota rule is kept here as the services keep it.
Dates are reckoned back from the day of seeding, like the rating's 2026 cycle, so that the queues
look current.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from portal.accounts import display_name
from portal.demo import SeedContext, register_step
from portal.models import Enterprise, RoleAssignment, ServiceStation
from ratings.selectors import enterprise_ratings

from . import (
    demo_cobuilding,  # noqa: F401  (registers the co-building step)
    rules,
)
from .choices import Channel, LoanAction, LoanStatus, RejectReason
from .models import CreditLine, LoanApplication, LoanEvent, LoanProduct, QuotaRow, QuotaTable

A, S = LoanAction, LoanStatus
PRODUCTS = [  # (name, annual rate %, term in months)
    ("党建惠企贷", "3.45", 12), ("红色信用贷", "3.65", 24), ("星级信用贷", "3.85", 36), ("先锋贷", "3.55", 12),
    ("党建增信贷", "3.75", 24),
]
# Share of applications ending in each state.
STATES = [(S.SUBMITTED, 0.14), (S.ACCEPTED, 0.14), (S.APPROVED, 0.14), (S.DISBURSED, 0.26), (S.REPAID, 0.16),
          (S.REJECTED, 0.11), (S.WITHDRAWN, 0.05)]
PURPOSES = ["购置生产设备", "补充流动资金", "扩建厂房", "采购原材料", "技术改造升级", "支付农资款", "冷链仓储建设",
            "新品研发投入"]
SHARE = 0.5  # of enterprises with a valid rating that applied at least once


@register_step(name="finance.loans", label="党建增信贷款")
def seed_loans(ctx: SeedContext) -> None:
    rng = ctx.rng
    orgstaff = ctx.users.get("orgstaff")
    table = QuotaTable.objects.create(effective_from=datetime.date(2019, 1, 1), note="星湖市党建增信工作实施方案",
                                      created_by=orgstaff)
    QuotaRow.objects.bulk_create([QuotaRow(table=table, stars=s, amount=a) for s, a in rules.DEFAULT_QUOTAS.items()])
    products = []
    for n, bank in enumerate(ctx.banks):
        for name, rate, term in (PRODUCTS[n % len(PRODUCTS)], PRODUCTS[(n + 2) % len(PRODUCTS)]):
            products.append(LoanProduct(bank=bank, name=name, annual_rate=Decimal(rate), term_months=term,
                                        description="凭党组织星级享受的定额低息信用贷款"))
    products = LoanProduct.objects.bulk_create(products)
    by_bank = defaultdict(list)
    for product in products:
        by_bank[product.bank_id].append(product)

    today = timezone.localdate()
    ids = [e.pk for e in ctx.enterprises]
    answers = enterprise_ratings(ids, today)
    rated = [e for e in ctx.enterprises if answers[e.pk].is_valid]
    demo_enterprise = _demo_enterprise(ctx)
    applicants = sorted(rng.sample(rated, int(len(rated) * SHARE)), key=lambda e: e.pk)
    if demo_enterprise is not None and answers[demo_enterprise.pk].is_valid and demo_enterprise not in applicants:
        applicants.insert(0, demo_enterprise)
    stations = list(ServiceStation.objects.select_related("region", "park"))
    station_of = _stations_by_enterprise(applicants, stations)
    users = {name: ctx.users.get(name) for name in ("station", "bank", "bank2", "enterprise")}
    bank_user = {_institution_of(users["bank"]): users["bank"], _institution_of(users["bank2"]): users["bank2"]}

    applications, plans, used = [], [], defaultdict(Decimal)
    for enterprise in applicants:
        answer = answers[enterprise.pk]
        quota = rules.DEFAULT_QUOTAS[answer.stars]
        count = 2 if enterprise == demo_enterprise else rng.choice([1, 1, 1, 2])
        banks = rng.sample(ctx.banks, count)  # distinct banks: at most one open application at each
        for bank in banks:
            state = _pick(rng, STATES)
            if enterprise == demo_enterprise:
                state = S.DISBURSED if bank == banks[0] else S.SUBMITTED
            amount = Decimal(rng.choice([2, 3, 5, 8, 10, 15, 20, 30, 50])) * Decimal("100000")
            amount = min(amount, quota)
            approved = None
            if state in (S.APPROVED, S.DISBURSED, S.REPAID):
                approved = min(amount, rules.available(quota, used[enterprise.pk]))
                if approved <= 0:
                    state, approved = S.REJECTED, None
                elif state != S.REPAID:
                    used[enterprise.pk] += approved
            station = station_of.get(enterprise.pk)
            channel = Channel.STATION if station is not None and rng.random() < 0.7 else Channel.ONLINE
            application = LoanApplication(
                enterprise=enterprise, bank=bank, product=rng.choice(by_bank[bank.pk]), amount=amount,
                purpose=rng.choice(PURPOSES), status=state, channel=channel,
                station=station if channel == Channel.STATION else None,
                submitted_by=users["station"] if channel == Channel.STATION and station is not None
                and _station_of(users["station"]) == station.pk else None,
                approved_amount=approved,
                reject_reason=_pick(rng, [(r, 1) for r in RejectReason.values if r != RejectReason.OTHER])
                if state == S.REJECTED else "",
                rating=answer.rating if approved else None, stars=answer.stars if approved else None,
                quota_table=table if approved else None, quota=quota if approved else None,
                version=1 + len(_steps(state)),
            )
            applications.append(application)
            plans.append((application, state, rng.randint(2, 240)))
    LoanApplication.objects.bulk_create(applications, batch_size=ctx.scale.batch_size)

    now = timezone.now()
    events = []
    for application, state, age_days in plans:
        submitted = now - datetime.timedelta(days=age_days, hours=rng.randint(0, 8))
        application.submitted_at = submitted
        moment = submitted
        actor = bank_user.get(application.bank_id)
        events.append(_event(application, A.SUBMIT, "", S.SUBMITTED, submitted, application.submitted_by,
                             amount=application.amount))
        status = S.SUBMITTED
        for step in _steps(state):
            moment = min(now, moment + datetime.timedelta(days=rng.randint(1, max(1, age_days // 4 or 1))))
            new = rules.next_status(status, step)
            amount = application.approved_amount if step in (A.APPROVE, A.DISBURSE, A.REPAY) else None
            who = application.submitted_by if step == A.WITHDRAW else actor
            events.append(_event(application, step, status, new, moment, who, amount=amount))
            field = {A.ACCEPT: "accepted_at", A.APPROVE: "decided_at", A.REJECT: "decided_at",
                     A.DISBURSE: "disbursed_at", A.REPAY: "closed_at", A.WITHDRAW: "closed_at"}[step]
            setattr(application, field, moment)
            if step in (A.APPROVE, A.REJECT):
                application.decided_by = actor
            status = new
    LoanApplication.objects.bulk_update(
        applications, ["submitted_at", "accepted_at", "decided_at", "disbursed_at", "closed_at", "decided_by"],
        batch_size=ctx.scale.batch_size)
    created = LoanEvent.objects.bulk_create([e for e, _at in events], batch_size=ctx.scale.batch_size)
    for event, (_e, at) in zip(created, events, strict=True):
        event.at = at
    LoanEvent.objects.bulk_update(created, ["at"], batch_size=ctx.scale.batch_size)
    CreditLine.objects.bulk_create(
        [CreditLine(enterprise_id=pk, used=value, quota=rules.DEFAULT_QUOTAS[answers[pk].stars])
         for pk, value in used.items() if value > 0], batch_size=ctx.scale.batch_size)

    ctx.count("贷款产品", len(products))
    ctx.count("贷款申请", len(applications))
    counts = defaultdict(int)
    for _application, state, _age in plans:
        counts[state] += 1
    for state, _share in STATES:
        ctx.count(f"  {S(state).label}", counts[state])
    ctx.count("  在贷余额（万元）", int(sum(used.values()) / 10000))


def _steps(state: str) -> list[str]:
    return {S.SUBMITTED: [], S.ACCEPTED: [A.ACCEPT], S.APPROVED: [A.ACCEPT, A.APPROVE],
            S.DISBURSED: [A.ACCEPT, A.APPROVE, A.DISBURSE], S.REPAID: [A.ACCEPT, A.APPROVE, A.DISBURSE, A.REPAY],
            S.REJECTED: [A.ACCEPT, A.REJECT], S.WITHDRAWN: [A.WITHDRAW]}[state]


def _event(application, action, from_status, to_status, at, actor, amount=None):
    return (LoanEvent(application=application, action=action, from_status=from_status, to_status=to_status,
                      amount=amount, actor=actor, actor_name=display_name(actor) if actor else "system"), at)


def _pick(rng, weighted):
    total = sum(w for _v, w in weighted)
    point = rng.random() * total
    for value, weight in weighted:
        point -= weight
        if point <= 0:
            return value
    return weighted[-1][0]


def _demo_enterprise(ctx):
    user = ctx.users.get("enterprise")
    pk = RoleAssignment.objects.filter(user=user).values_list("enterprise", flat=True).first() if user else None
    return next((e for e in ctx.enterprises if e.pk == pk), None)


def _institution_of(user):
    return RoleAssignment.objects.filter(user=user).values_list("institution", flat=True).first() if user else None


def _station_of(user):
    return RoleAssignment.objects.filter(user=user).values_list("station", flat=True).first() if user else None


def _stations_by_enterprise(enterprises, stations):
    """The station nearest to each enterprise: its park's, else its village's, else its town's."""
    by_park = {s.park_id: s for s in stations if s.park_id}
    by_region = {s.region.code: s for s in stations if not s.park_id}
    result = {}
    for enterprise in Enterprise.objects.filter(pk__in=[e.pk for e in enterprises]).select_related("region"):
        station = by_park.get(enterprise.park_id)
        code = enterprise.region.code
        for candidate in (code, code[:9] + "000", code[:6] + "000000"):
            station = station or by_region.get(candidate)
        if station is not None:
            result[enterprise.pk] = station
    return result
