"""A small world with dated history around a day D (thirty days ago), for the figures, the dashboards
and the work report: what happened before D, on both sides of every scope boundary, and a few things
after D that must not show in the figures of D. Rows are written directly with their dates (these
tests read history, they do not walk it); `later_changes` then makes changes today with the real
services.

On D (`hist.day`), for the whole city:
- ratings valid: org_a 5★ (village A), org_c 4★ (town A), org_d 4★ (town B, downgraded to 2★ later),
  org_b 3★ (village B), org_park 1★ (city level) — org_e's 5★ was revoked before D; the 4★+5★ trend
  has 1 in year D−2 (org_a's previous rating) and 3 in year D−1;
- loans: bank — L1 disbursed (1,000,000 applied, 800,000 approved), L4 repaid (500,000 applied, 300,000
  approved); bank2 — L2 accepted (500,000), L3 rejected (2,000,000); L5 is submitted after D;
  approvals in the period: bank 2 for 1,100,000.00; stations: station A raised L1 and L3;
- insurance: one policy of the insurer (base 10,000.00, discount 3,000.00, net 7,000.00) issued
  in the period; quotes of station A: Q1 (issued by D) and Q3 (its policy is issued after D);
- talent: A ×1, C ×1 (introduced in the period); one more E after D; training before D only counts;
- appeals: financing (station A) open and overdue, land open, policy closed and rated 4, other
  withdrawn; one more after D;
- pairings: key enterprises ent_a (paired with cadre 1) and ent_k (its pairing with cadre 2 ended
  before D): 1 of 2 covered; county cadres counted: 2 (cadre 2 under the range); cadre 3 is recorded
  after D with no pairing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from finance import services as finance_services
from finance.choices import Channel, LoanAction, LoanStatus
from finance.models import LoanApplication, LoanEvent
from insurance import rules as insurance_rules
from insurance import services as insurance_services
from insurance.choices import ProductCategory, QuoteChannel, QuoteStatus
from insurance.models import Policy, Quote
from liaison.choices import CadreLevel, PairingKind
from liaison.choices_appeals import AppealAction, AppealCategory, AppealChannel, AppealStatus
from liaison.models import Appeal, AppealEvent, Cadre, Pairing
from ratings.choices import OrgKind, RatingStatus
from ratings.models import Cycle, OrgCoverage, PartyOrganization, Rating
from talent.choices import TalentField, TalentLevel, TalentSource
from talent.models import Talent, TrainingSession
from tests.factories import EnterpriseFactory, PersonFactory

DAY = datetime.timedelta(days=1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# --- ratings ---------------------------------------------------------------------------------------

def organization(w, name, region, enterprise):
    org = PartyOrganization.objects.create(name=name, kind=OrgKind.BRANCH, region=region)
    OrgCoverage.objects.create(organization=org, enterprise=enterprise, started_on=datetime.date(2019, 1, 1))
    return org


def rating(cycle, org, stars, valid_from, valid_to, revoked_on=None):
    return Rating.objects.create(
        cycle=cycle, organization=org, status=RatingStatus.REVOKED if revoked_on else RatingStatus.PUBLISHED,
        stars=stars, score=Decimal("60") + 8 * stars, valid_from=valid_from, valid_to=valid_to, revoked_on=revoked_on)


# --- loans -----------------------------------------------------------------------------------------

def loan(enterprise, product, amount, steps, *, station=None):
    """An application with its history: `steps` is [(action, day, amount)], the first one the submit."""
    application = LoanApplication.objects.create(
        enterprise=enterprise, bank=product.bank, product=product, amount=Decimal(amount), purpose="购置生产设备",
        channel=Channel.STATION if station else Channel.ONLINE, station=station)
    status, fields = LoanStatus.SUBMITTED, {"submitted_at": at(steps[0][1])}
    events = [LoanEvent(application=application, action=LoanAction.SUBMIT, from_status="", to_status=status,
                        amount=Decimal(amount), actor_name="test")]
    moments = [at(steps[0][1])]
    next_of = {LoanAction.ACCEPT: LoanStatus.ACCEPTED, LoanAction.APPROVE: LoanStatus.APPROVED,
               LoanAction.REJECT: LoanStatus.REJECTED, LoanAction.DISBURSE: LoanStatus.DISBURSED,
               LoanAction.REPAY: LoanStatus.REPAID, LoanAction.WITHDRAW: LoanStatus.WITHDRAWN}
    for action, day, value in steps[1:]:
        new = next_of[action]
        events.append(LoanEvent(application=application, action=action, from_status=status, to_status=new,
                                amount=Decimal(value) if value else None, actor_name="test"))
        moments.append(at(day))
        status = new
        if action == LoanAction.APPROVE:
            fields.update(approved_amount=Decimal(value), quota=Decimal("5000000"), stars=5, decided_at=at(day))
        elif action == LoanAction.REJECT:
            fields.update(reject_reason="cash_flow", decided_at=at(day))
        elif action == LoanAction.ACCEPT:
            fields["accepted_at"] = at(day)
    LoanApplication.objects.filter(pk=application.pk).update(status=status, **fields)
    for event, moment in zip(LoanEvent.objects.bulk_create(events), moments, strict=True):
        LoanEvent.objects.filter(pk=event.pk).update(at=moment)
    application.refresh_from_db()
    return application


# --- insurance -------------------------------------------------------------------------------------

def quote(w, enterprise, product, rated, base, quoted_on, valid_until, *, station=None, issued=None):
    percent = insurance_rules.DEFAULT_DISCOUNTS[rated.stars]
    base = Decimal(base)
    discount = (base * Decimal(percent) / 100).quantize(Decimal("0.01"))
    q = Quote.objects.create(
        enterprise=enterprise, insurer=product.insurer, product=product, base_premium=base, stars=rated.stars,
        rating=rated, discount_table=w.discount_table, discount_percent=Decimal(percent), discount_amount=discount,
        net_premium=base - discount, channel=QuoteChannel.STATION if station else QuoteChannel.INSURER,
        station=station, status=QuoteStatus.ISSUED if issued else QuoteStatus.QUOTED, quoted_on=quoted_on,
        valid_until=valid_until, created_by_name="test")
    if issued:
        policy = Policy.objects.create(quote=q, insurer=q.insurer, policy_number=f"P-{q.pk}", starts_on=quoted_on,
                                       ends_on=quoted_on + 364 * DAY, issued_by_name="test")
        Policy.objects.filter(pk=policy.pk).update(issued_at=at(issued))
    return q


# --- appeals ---------------------------------------------------------------------------------------

NEXT_APPEAL = {AppealAction.ASSIGN: AppealStatus.ASSIGNED, AppealAction.START: AppealStatus.IN_PROGRESS,
               AppealAction.RESOLVE: AppealStatus.RESOLVED, AppealAction.CLOSE: AppealStatus.CLOSED,
               AppealAction.WITHDRAW: AppealStatus.WITHDRAWN}


def appeal(number, enterprise, category, received, deadline, steps=(), *, station=None, rated=None, channel=None):
    """An appeal with its history: `steps` is [(action, day)] after the submit on `received`."""
    status = AppealStatus.RECEIVED
    events = [AppealEvent(action=AppealAction.SUBMIT, from_status="", to_status=status, actor_name="test",
                          at=at(received))]
    for action, day in steps:
        new = NEXT_APPEAL[action]
        events.append(AppealEvent(action=action, from_status=status, to_status=new, actor_name="test", at=at(day)))
        status = new
    a = Appeal.objects.create(
        number=number, enterprise=enterprise, category=category, title="企业遇到的问题", description="请协调解决企业遇到的问题。",
        channel=channel or (AppealChannel.STATION if station else AppealChannel.ONLINE), station=station,
        status=status, deadline=deadline, received_at=at(received),
        resolution="已协调有关部门办理完毕。" if status in (AppealStatus.RESOLVED, AppealStatus.CLOSED) else "",
        satisfaction=rated[0] if rated else None, rated_at=at(rated[1]) if rated else None)
    for event in events:
        event.appeal = a
    AppealEvent.objects.bulk_create(events)
    return a


# --- the world -------------------------------------------------------------------------------------

def build(w, rubric, quota_table, product, product2):  # noqa: PLR0915  (one story, told in order)
    today = timezone.localdate()
    d = w.day = today - 30 * DAY
    w.since = d - 120 * DAY
    # ratings
    w.cycle_prev = Cycle.objects.create(year=d.year - 1, name=f"{d.year - 1}年度", rubric=rubric,
                                        opens_on=datetime.date(d.year - 1, 3, 1), closes_on=datetime.date(d.year - 1, 4, 30))
    w.cycle_old = Cycle.objects.create(year=d.year - 2, name=f"{d.year - 2}年度", rubric=rubric,
                                       opens_on=datetime.date(d.year - 2, 3, 1), closes_on=datetime.date(d.year - 2, 4, 30))
    w.ent_c = EnterpriseFactory(name="东湖镇直属企业有限公司", region=w.town_a)
    w.ent_d = EnterpriseFactory(name="西山物流有限公司", region=w.village_b)
    w.ent_e = EnterpriseFactory(name="西山化工有限公司", region=w.village_b)
    w.ent_k = EnterpriseFactory(name="西山重点制造有限公司", region=w.village_b, is_key=True)
    w.ent_u = EnterpriseFactory(name="东湖未评企业有限公司", region=w.village_a)
    w.org_a = organization(w, "东湖精密机械有限公司党支部", w.village_a, w.ent_a)
    w.org_b = organization(w, "西山食品有限公司党支部", w.village_b, w.ent_b)
    w.org_c = organization(w, "东湖镇直属企业党支部", w.town_a, w.ent_c)
    w.org_d = organization(w, "西山物流有限公司党支部", w.village_b, w.ent_d)
    w.org_e = organization(w, "西山化工有限公司党支部", w.village_b, w.ent_e)
    w.org_park = organization(w, "星湖传感科技有限公司党支部", w.city, w.ent_park)
    valid = (d - 200 * DAY, d + 165 * DAY)
    w.rating_old_a = rating(w.cycle_old, w.org_a, 5, d - 565 * DAY, d - 201 * DAY)
    w.rating_a = rating(w.cycle_prev, w.org_a, 5, *valid)
    w.rating_b = rating(w.cycle_prev, w.org_b, 3, *valid)
    w.rating_c = rating(w.cycle_prev, w.org_c, 4, *valid)
    w.rating_d = rating(w.cycle_prev, w.org_d, 4, *valid)
    w.rating_e = rating(w.cycle_prev, w.org_e, 5, *valid, revoked_on=d - 10 * DAY)
    w.rating_park = rating(w.cycle_prev, w.org_park, 1, *valid)
    # loans
    w.product, w.product2 = product, product2
    A = LoanAction
    w.l1 = loan(w.ent_a, product, "1000000", [(A.SUBMIT, d - 50 * DAY, None), (A.ACCEPT, d - 45 * DAY, None),
                                             (A.APPROVE, d - 40 * DAY, "800000"), (A.DISBURSE, d - 35 * DAY, "800000")],
                station=w.station_a)
    w.l2 = loan(w.ent_b, product2, "500000", [(A.SUBMIT, d - 20 * DAY, None), (A.ACCEPT, d - 10 * DAY, None)])
    w.l3 = loan(w.ent_a, product2, "2000000", [(A.SUBMIT, d - 60 * DAY, None), (A.ACCEPT, d - 58 * DAY, None),
                                              (A.REJECT, d - 55 * DAY, None)], station=w.station_a)
    w.l4 = loan(w.ent_c, product, "500000", [(A.SUBMIT, d - 30 * DAY, None), (A.ACCEPT, d - 28 * DAY, None),
                                            (A.APPROVE, d - 25 * DAY, "300000"), (A.DISBURSE, d - 20 * DAY, "300000"),
                                            (A.REPAY, d - 5 * DAY, "300000")])
    w.l5 = loan(w.ent_b, product, "700000", [(A.SUBMIT, today - 2 * DAY, None)], station=w.station_b)
    # insurance
    w.discount_table = insurance_services.discount_table_create(
        acting_user=w.org_staff, effective_from=datetime.date(2019, 1, 1), rates=insurance_rules.DEFAULT_DISCOUNTS,
        note="默认标准", today=datetime.date(2019, 1, 1))
    w.p1 = insurance_services.product_create(acting_user=w.org_staff, insurer=w.insurer, name="党建惠企安全生产责任险",
                                             category=ProductCategory.SAFETY_LIABILITY)
    w.p2 = insurance_services.product_create(acting_user=w.org_staff, insurer=w.insurer2, name="团体意外伤害保险",
                                             category=ProductCategory.GROUP_ACCIDENT)
    w.q1 = quote(w, w.ent_a, w.p1, w.rating_a, "10000.00", d - 30 * DAY, d + 30 * DAY, station=w.station_a,
                 issued=d - 28 * DAY)
    w.q2 = quote(w, w.ent_b, w.p2, w.rating_b, "5000.00", d - 15 * DAY, d - DAY)
    w.q3 = quote(w, w.ent_a, w.p1, w.rating_a, "8000.00", d - 5 * DAY, d + 25 * DAY, station=w.station_a,
                 issued=today - DAY)
    # talent
    def talent(name, level, employer, introduced):
        return Talent.objects.create(person=PersonFactory(name=name), level=level, field=TalentField.SENSING,
                                     employer=employer, source=TalentSource.UNIVERSITY, introduced_on=introduced)
    w.t1 = talent("赵一", TalentLevel.A, w.ent_a, d - 400 * DAY)
    w.t2 = talent("钱二", TalentLevel.C, w.ent_b, d - 10 * DAY)
    w.t3 = talent("孙三", TalentLevel.E, w.ent_a, today - DAY)
    w.s1 = TrainingSession.objects.create(school="星湖职业技术学校", topic="数控加工", held_on=d - 400 * DAY, trainees=30)
    w.s2 = TrainingSession.objects.create(school="星湖职业技术学校", topic="传感器装调", held_on=d - 10 * DAY, trainees=20)
    w.s3 = TrainingSession.objects.create(school="星湖职业技术学校", topic="电工", held_on=today - DAY, trainees=99)
    # appeals
    C, A2 = AppealCategory, AppealAction
    w.a1 = appeal("T-0001", w.ent_a, C.FINANCING, d - 20 * DAY, d - 5 * DAY, [(A2.ASSIGN, d - 18 * DAY)],
                  station=w.station_a)
    w.a2 = appeal("T-0002", w.ent_b, C.LAND, d - 15 * DAY, d + 10 * DAY,
                  [(A2.ASSIGN, d - 14 * DAY), (A2.START, d - 12 * DAY)])
    w.a3 = appeal("T-0003", w.ent_a, C.POLICY, d - 30 * DAY, d - 23 * DAY,
                  [(A2.ASSIGN, d - 29 * DAY), (A2.START, d - 28 * DAY), (A2.RESOLVE, d - 25 * DAY),
                   (A2.CLOSE, d - 24 * DAY)], rated=(4, d - 20 * DAY))
    w.a4 = appeal("T-0004", w.ent_b, C.OTHER, d - 40 * DAY, d - 25 * DAY, [(A2.WITHDRAW, d - 39 * DAY)],
                  channel=AppealChannel.PHONE)
    w.a5 = appeal("T-0005", w.ent_a, C.FINANCING, today - DAY, today + 14 * DAY)
    # pairings
    w.cadre1 = Cadre.objects.create(name="周领导", post="副市长", level=CadreLevel.COUNTY)
    w.cadre2 = Cadre.objects.create(name="吴领导", post="常务副市长", level=CadreLevel.COUNTY)
    w.cadre3 = Cadre.objects.create(name="郑领导", post="市委常委", level=CadreLevel.COUNTY)
    w.pair_a = Pairing.objects.create(cadre=w.cadre1, kind=PairingKind.ENTERPRISE, enterprise=w.ent_a,
                                      started_on=d - 100 * DAY)
    Pairing.objects.create(cadre=w.cadre1, kind=PairingKind.ENTREPRENEUR, person=w.person_a, started_on=d - 100 * DAY)
    Pairing.objects.create(cadre=w.cadre2, kind=PairingKind.ENTERPRISE, enterprise=w.ent_k, started_on=d - 50 * DAY,
                           ended_on=d - 10 * DAY)
    return w


def grow(w, n: int) -> None:
    """`n` more of every kind of row, with history before and after D, in both towns."""
    from ratings.choices import RatingAction
    from ratings.models import RatingEvent

    d, today = w.day, timezone.localdate()
    A, C = LoanAction, AppealCategory
    for i in range(n):
        village = w.village_a if i % 2 else w.village_b
        enterprise = EnterpriseFactory(name=f"扩展企业{i}有限公司", region=village, is_key=i % 3 == 0)
        org = organization(w, f"扩展企业{i}党支部", village, enterprise)
        r = rating(w.cycle_prev, org, 1 + i % 5, d - 100 * DAY, d + 200 * DAY)
        if i % 4 == 0 and r.stars > 1:
            RatingEvent.objects.create(rating=r, action=RatingAction.DOWNGRADE, from_status=RatingStatus.PUBLISHED,
                                       to_status=RatingStatus.PUBLISHED, actor_name="test",
                                       before={"stars": r.stars}, after={"stars": r.stars - 1})
            Rating.objects.filter(pk=r.pk).update(stars=r.stars - 1)
        product = w.product if i % 2 else w.product2
        steps = [(A.SUBMIT, d - (20 + i) * DAY, None), (A.ACCEPT, d - (10 + i) * DAY, None)]
        if i % 3 == 0:
            steps.append((A.APPROVE, d - 5 * DAY, "100000"))
        application = loan(enterprise, product, "200000", steps, station=w.station_a if i % 2 else w.station_b)
        if i % 3 == 1:
            LoanEvent.objects.create(application=application, action=A.REJECT, from_status=LoanStatus.ACCEPTED,
                                     to_status=LoanStatus.REJECTED, actor_name="test")
            LoanApplication.objects.filter(pk=application.pk).update(status=LoanStatus.REJECTED, reject_reason="other")
        quote(w, enterprise, w.p1 if i % 2 else w.p2, r, "1000.00", d - i * DAY, d + 30 * DAY,
              station=w.station_a if i % 2 else None, issued=d - i * DAY if i % 2 else today)
        Talent.objects.create(person=PersonFactory(), level=TalentLevel.values[i % 5], field=TalentField.SENSING,
                              employer=enterprise, source=TalentSource.PARK, introduced_on=d - i * DAY)
        TrainingSession.objects.create(school="星湖职业技术学校", topic=f"扩展培训{i}", held_on=d - 30 * i * DAY,
                                       trainees=10 + i)
        category = C.values[i % len(C.values)]
        appeal(f"G-{i:04d}", enterprise, category, d - (5 + i) * DAY, d + (i % 7 - 3) * DAY,
               [(AppealAction.ASSIGN, d - (4 + i) * DAY), (AppealAction.START, today)], station=w.station_a if i % 2
               else None)
        cadre = Cadre.objects.create(name=f"扩展领导{i}", post="副市长", level=CadreLevel.COUNTY)
        Pairing.objects.create(cadre=cadre, kind=PairingKind.ENTERPRISE, enterprise=enterprise,
                               started_on=d - i * DAY, ended_on=today if i % 2 else None)


def later_changes(w) -> None:
    """What happens after D, today, through the real services: a new approval, a revoked and a
    downgraded rating, an appeal resolved and rated, a pairing ended, a new cadre recorded."""
    from liaison.services import appeals as appeal_services
    from liaison.services import pairings as pairing_services
    from ratings.services import rating_downgrade, rating_revoke

    finance_services.loan_application_act(acting_user=w.bank2_officer, application=w.l2, action="approve",
                                          amount="500000")
    rating_revoke(acting_user=w.org_staff, rating=w.rating_c, expected_version=w.rating_c.version,
                  reason="发生重大安全生产事故，依规撤销星级")
    rating_downgrade(acting_user=w.org_staff, rating=w.rating_d, expected_version=w.rating_d.version, stars=2,
                     reason="劳资纠纷查实，依规降级处理")
    resolved = appeal_services.appeal_transition(appeal=w.a2, action="resolve", acting_user=w.org_staff,
                                                 version=w.a2.version, resolution="已协调自然资源部门完成用地手续办理。")
    appeal_services.appeal_rate(appeal=resolved, score=2, comment="办理进度较慢，沟通不够及时", acting_user=w.enterprise_b_user)
    pairing_services.pairing_end(acting_user=w.org_staff, pairing=w.pair_a, ended_on=timezone.localdate(),
                                 reason="工作调整")
    Cadre.objects.create(name="王领导", post="副市长", level=CadreLevel.COUNTY)


@pytest.fixture
def hist(world, rubric, quota_table, product, product2, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build(world, rubric, quota_table, product, product2)


__all__ = ["SimpleNamespace", "at", "build", "grow", "later_changes"]
