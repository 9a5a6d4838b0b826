"""Talents (about one per ten enterprises, several at the demo enterprise) and their benefit
applications in every state, written in bulk as the services would have left them: the reference,
the level and standard the submission rested on, the history, the version. Application dates are
reckoned back from the day of seeding so that the organization department's queue looks current."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, ExtractYear, Greatest, Length, LPad
from django.utils import timezone

from portal.context_processors import display_name
from portal.demo import SeedContext, register_step
from portal.demo.people import birth_date, id_number, mobile, person_name
from portal.models import Person

from .. import rules
from ..choices import BenefitAction, BenefitStatus, TalentField, TalentLevel, TalentSource
from ..models import BenefitApplication, BenefitEvent, Talent
from .common import assignment_of, between, demo_enterprise, pick, stations_by_enterprise

A, S = BenefitAction, BenefitStatus
D = datetime.date
PER_ENTERPRISES = 10  # one talent per this many enterprises
MINIMUM = 200  # and at least this many
OWN_TALENTS = 4  # at the demo enterprise

LEVELS = [("A", 2), ("B", 6), ("C", 17), ("D", 35), ("E", 40)]
BIRTH_YEARS = {"A": (1962, 1978), "B": (1966, 1982), "C": (1970, 1988), "D": (1975, 1993), "E": (1990, 2000)}
FIELDS = [(TalentField.SENSING, 22), (TalentField.ELECTRONICS, 20), (TalentField.EQUIPMENT, 16),
          (TalentField.DIGITAL, 12), (TalentField.MATERIALS, 10), (TalentField.BIOMEDICINE, 8),
          (TalentField.AGRICULTURE, 8), (TalentField.OTHER, 4)]
# "三大院所""三大高校""三大园区": the seed document's partners and fictional names of the same kind.
SOURCES = {
    TalentSource.INSTITUTE: ["中国仪器仪表学会", "国科星湖智能传感研究院", "星湖农业科学研究院"],
    TalentSource.UNIVERSITY: ["清华大学", "电子科技大学", "西南星湖大学"],
    TalentSource.PARK: [],  # the demo's parks and the Shenzhen base's, known at run time (seed_talents)
    TalentSource.OTHER: ["", "海外引进", "企业自主培养"],
}
SOURCE_WEIGHTS = [(TalentSource.UNIVERSITY, 40), (TalentSource.INSTITUTE, 25), (TalentSource.PARK, 25),
                  (TalentSource.OTHER, 10)]
BASE_SHARE = 0.12

APPLYING_SHARE = 0.45
STATES = [(S.PENDING, 22), (S.APPROVED, 48), (S.REJECTED, 15), (S.WITHDRAWN, 15)]
REASONS = ["已在本市购买首套住房并签订服务协议", "全职引进到岗，家属随迁", "子女随迁需办理入学", "创办企业，已获银行贷款",
           "按年度申请", "已缴纳补充医疗保险，申请补助", "配偶随迁暂未就业"]
REJECT_NOTES = ["服务协议年限不足，不符合申请条件", "购房合同非首套住房，不予支持", "申请材料不全，请补充后重新申请",
                "已享受同类补贴，不重复支持", "未在本市缴纳社会保险满6个月"]


@register_step(name="talent.talents", label="人才与人才待遇申请", after="talent.programme")
def seed_talents(ctx: SeedContext) -> None:
    rng = ctx.rng
    shared = ctx.extra["talent"]
    items, bases = shared["items"], shared["bases"]
    sources = {**SOURCES, TalentSource.PARK: [p.name for p in ctx.parks] + ["深圳湾星创孵化器"]}
    own = demo_enterprise(ctx)
    employers_pool = [e for e in ctx.enterprises if e.kind == "private"] or list(ctx.enterprises)
    count = max(MINIMUM, len(ctx.enterprises) // PER_ENTERPRISES)
    employers = [rng.choice(employers_pool) for _ in range(count)]
    if own is not None:
        employers[:OWN_TALENTS] = [own] * OWN_TALENTS

    people, talents = [], []
    for n, employer in enumerate(employers):
        level = pick(rng, LEVELS) if n >= OWN_TALENTS or own is None else "BCDE"[n]
        born = birth_date(rng, *BIRTH_YEARS[level])
        people.append(Person(name=person_name(rng), id_number=id_number(rng, born, ctx.used_id_numbers),
                             mobile=mobile(rng)))
        source = pick(rng, SOURCE_WEIGHTS)
        talents.append(Talent(
            level=level, field=pick(rng, FIELDS), employer=employer, source=source,
            source_institution=rng.choice(sources[source]), introduced_on=between(rng, D(2019, 3, 1), D(2025, 12, 15)),
            base=rng.choice(bases) if rng.random() < BASE_SHARE else None))
    Person.objects.bulk_create(people, batch_size=ctx.scale.batch_size)
    for person, talent in zip(people, talents, strict=True):
        talent.person = person
    Talent.objects.bulk_create(talents, batch_size=ctx.scale.batch_size)

    applications, plans = _applications(ctx, rng, talents, items, own)
    events = _history(rng, applications, plans)  # sets each application's moments before the insert
    BenefitApplication.objects.bulk_create(applications, batch_size=ctx.scale.batch_size)
    BenefitEvent.objects.bulk_create([_event(*args) for args in events], batch_size=ctx.scale.batch_size)
    _give_references(applications)

    levels = Counter(t.level for t in talents)
    states = Counter(a.status for a in applications)
    ctx.count("人才", len(talents))
    for level in TalentLevel:
        ctx.count(f"  {level.label}", levels[level.value])
    ctx.count("人才待遇申请", len(applications))
    for status in BenefitStatus:
        ctx.count(f"  {status.label}", states[status.value])


def _applications(ctx, rng, talents, items, own):
    """Who applied for what, ending in which state; one open application per talent and item."""
    station_of = stations_by_enterprise(ctx, {t.employer for t in talents})
    users = {name: ctx.users.get(name) for name in ("station", "enterprise", "orgstaff")}
    demo_station = _station_pk(users["station"])
    applications, plans = [], []
    for n, talent in enumerate(talents):
        mine = own is not None and talent.employer_id == own.pk and n < OWN_TALENTS
        if not mine and rng.random() >= APPLYING_SHARE:
            continue
        open_to = [i for i in items if rules.level_eligible(talent.level, i.levels)]
        chosen = rng.sample(open_to, min(len(open_to), 3 if mine else rng.choice([1, 1, 2])))
        for k, item in enumerate(chosen):
            # The demo enterprise shows every state; the rest follow the shares.
            state = [S.PENDING, S.APPROVED, S.REJECTED, S.WITHDRAWN][(n + k) % 4] if mine else pick(rng, STATES)
            requested = None
            if item.amount is not None:
                requested = item.amount if rng.random() < 0.7 else (item.amount * Decimal(rng.choice([5, 6, 8])) / 10)
                requested = requested.quantize(rules.FEN)
            approved = None
            if state == S.APPROVED and requested is not None:
                approved = requested if rng.random() < 0.8 else (requested * Decimal("0.8")).quantize(rules.FEN)
            station = None if mine else (station_of.get(talent.employer_id) if rng.random() < 0.5 else None)
            submitter = users["enterprise"] if mine else (
                users["station"] if station is not None and station.pk == demo_station else None)
            applications.append(BenefitApplication(
                talent=talent, item=item, enterprise_id=talent.employer_id, level=talent.level, item_amount=item.amount,
                amount_requested=requested, reason=rng.choice(REASONS), status=state, amount_approved=approved,
                decision_note=rng.choice(REJECT_NOTES) if state == S.REJECTED else "", station=station,
                submitted_by=submitter, decided_by=users["orgstaff"] if state in (S.APPROVED, S.REJECTED) else None,
                version=1 if state == S.PENDING else 2))
            # Pending ones are recent (the queue); decided ones older.
            age = rng.randint(1, 45) if state == S.PENDING else rng.randint(30, 700)
            plans.append((state, age))
    return applications, plans


def _history(rng, applications, plans):
    now = timezone.now()
    events = []
    step = {S.APPROVED: A.APPROVE, S.REJECTED: A.REJECT, S.WITHDRAWN: A.WITHDRAW}
    for application, (state, age) in zip(applications, plans, strict=True):
        submitted = now - datetime.timedelta(days=age, hours=rng.randint(0, 8))
        application.submitted_at = submitted
        events.append((application, A.SUBMIT, "", S.PENDING, submitted, application.submitted_by,
                       application.amount_requested))
        if state == S.PENDING:
            continue
        moment = min(now, submitted + datetime.timedelta(days=rng.randint(2, max(3, age // 3))))
        if state == S.WITHDRAWN:
            application.closed_at = moment
            actor, note = application.submitted_by, ""
        else:
            application.decided_at = moment
            actor, note = application.decided_by, application.decision_note
        events.append((application, step[state], S.PENDING, state, moment, actor, application.amount_approved,
                       note))
    return events


def _event(application, action, from_status, to_status, at, actor, amount=None, note=""):
    return BenefitEvent(application=application, action=action, from_status=from_status, to_status=to_status,
                        amount=amount, note=note, actor=actor, actor_name=display_name(actor) if actor else "系统",
                        at=at)


def _give_references(applications) -> None:
    """RC<year>-<number> for every row at once, as rules.reference_for writes it (the year of submission in
    the city's time zone, the number padded to six digits and never cut)."""
    digits = Cast("pk", CharField())
    BenefitApplication.objects.filter(pk__in=[a.pk for a in applications]).update(reference=Concat(
        Value(rules.REFERENCE_PREFIX), Cast(ExtractYear("submitted_at"), CharField()), Value("-"),
        LPad(digits, Greatest(Length(digits), Value(6)), Value("0")), output_field=CharField()))


def _station_pk(user):
    return assignment_of(user, "station")
