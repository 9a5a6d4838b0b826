"""Demo data of outreach: the legal service centre's twelve resident lawyers and its consultations
(2024 to today), some twenty policy notices with read receipts, care activities each summer and winter
since 2023, and fifteen 青蓝交接 mentoring pairs with their sessions.

Rows are bulk inserts, as the services would have left them. Read receipts of the demo's history have
no user (`NoticeReceipt.user` is empty: the reading was carried over from before the portal, only the
enterprise is known), except the demo `enterprise` account's own, which has read its older notices and
not its two newest. Dates of "live" data (consultations, notices) are reckoned back from the day of
seeding, so that this year's figures and the unread notices look current.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from portal.demo import SeedContext, register_step
from portal.demo.people import person_name
from portal.identifiers import make_mobile
from portal.models import Person, RoleAssignment

from ..models import (
    CareActivity,
    Consultation,
    Lawyer,
    MentoringPair,
    MentoringSession,
    NoticeReceipt,
    PolicyNotice,
)
from ..rules.outreach import (
    CareKind,
    ConsultationStatus,
    MentorKind,
    NoticeAudience,
    NoticeStatus,
    notice_reaches,
    on_duty,
)

# The other parts' steps are registered first, so that this one runs after them (it needs none of
# their rows: the order only keeps the summary in the app's order).
from . import appeals, pairings  # noqa: F401
from . import outreach_data as data

D = datetime.date
A = NoticeAudience


@register_step(name="liaison.outreach", label="法律服务、政策通知、关心关爱、青蓝交接")
def seed_outreach(ctx: SeedContext) -> None:
    today = timezone.localdate()
    codes = {e.region_id: e.region.code for e in ctx.enterprises}
    lawyers = _lawyers(ctx)
    consultations = _consultations(ctx, lawyers, today)
    notices, receipts = _notices(ctx, codes)
    activities = _care(ctx, codes, today)
    pairs, sessions = _mentoring(ctx, today)
    ctx.count("常驻律师", len(lawyers))
    ctx.count("法律咨询", consultations)
    ctx.count("政策通知", len(notices))
    ctx.count("  阅读回执", receipts)
    ctx.count("关心关爱活动", activities)
    ctx.count("青蓝结对", pairs)
    ctx.count("  帮带活动", sessions)


def _demo_enterprise(ctx):
    user = ctx.users.get("enterprise")
    pk = RoleAssignment.objects.filter(user=user).values_list("enterprise", flat=True).first() if user else None
    return next((e for e in ctx.enterprises if e.pk == pk), None), user


def _lawyers(ctx) -> list[Lawyer]:
    rng = ctx.rng
    lawyers = []
    for n, (firm, since, until) in enumerate(data.LAWYERS):
        specialties = rng.sample(data.SPECIALTIES, 2)
        lawyers.append(Lawyer(name=data.LAWYER_NAMES[n], law_firm=firm, specialties="、".join(specialties),
                              mobile=make_mobile(rng), resident_since=since, resident_until=until))
    return Lawyer.objects.bulk_create(lawyers)


def _consultations(ctx, lawyers, today) -> int:
    rng = ctx.rng
    first = D(2024, 1, 1)
    span = (today - first).days
    count = max(20, round(len(ctx.enterprises) * data.CONSULTATIONS_PER_ENTERPRISE))
    demo, _user = _demo_enterprise(ctx)
    chosen = [rng.choice(ctx.enterprises) for _n in range(count)]
    days = [first + datetime.timedelta(days=rng.randrange(span + 1)) for _n in range(count)]
    if demo is not None:  # the demo enterprise asked twice: once long ago (answered), once last week
        chosen[:2] = [demo, demo]
        days[:2] = [today - datetime.timedelta(days=200), today - datetime.timedelta(days=5)]
    categories, weights = zip(*data.CATEGORY_WEIGHTS, strict=True)
    channels, channel_weights = zip(*data.CHANNEL_WEIGHTS, strict=True)
    rows = []
    for n, (enterprise, day) in enumerate(zip(chosen, days, strict=True)):
        on = [lw for lw in lawyers if on_duty(lw.resident_since, lw.resident_until, lw.is_active, day)]
        category = rng.choices(categories, weights=weights)[0]
        recent = (today - day).days < 14
        answered = not recent or (n != 1 and rng.random() < 0.5)
        if demo is not None and n == 1:
            answered = False
        rows.append(Consultation(
            enterprise=enterprise, topic=rng.choice(data.TOPICS[category]), category=category, lawyer=rng.choice(on),
            consulted_on=day, channel=rng.choices(channels, weights=channel_weights)[0],
            outcome=rng.choice(data.OUTCOMES[category]) if answered else "",
            status=ConsultationStatus.ANSWERED if answered else ConsultationStatus.OPEN,
            answered_on=min(today, day + datetime.timedelta(days=rng.randrange(8))) if answered else None))
    Consultation.objects.bulk_create(rows, batch_size=ctx.scale.batch_size)
    return len(rows)


def _audience(ctx, spec) -> dict:
    audience, value = spec
    if audience == A.KIND:
        return {"audience": audience, "audience_kind": value}
    if audience == A.INDUSTRY:
        return {"audience": audience, "audience_industry": value}
    if audience == A.REGION:
        return {"audience": audience, "audience_region": ctx.towns[value % len(ctx.towns)]}
    return {"audience": audience}


def _notices(ctx, codes) -> tuple[list[PolicyNotice], int]:
    rng = ctx.rng
    now, today = timezone.now(), timezone.localdate()
    orgstaff = ctx.users.get("orgstaff")
    notices = []
    for title, body, spec, status, age_days in data.NOTICES:
        values = _audience(ctx, spec)
        if values["audience"] == A.REGION:
            title = title.format(town=values["audience_region"].name)
        published = _office_hours(rng, today - datetime.timedelta(days=age_days)) if status != "draft" else None
        notices.append(PolicyNotice(
            title=title, body=body, status=status, created_by=orgstaff, published_at=published,
            published_by=orgstaff if published else None,
            withdrawn_at=published + datetime.timedelta(days=2) if status == NoticeStatus.WITHDRAWN else None,
            withdrawn_by=orgstaff if status == NoticeStatus.WITHDRAWN else None,
            withdraw_reason=data.WITHDRAW_REASON if status == NoticeStatus.WITHDRAWN else "", **values))
    notices = PolicyNotice.objects.bulk_create(notices)

    demo, demo_user = _demo_enterprise(ctx)
    reaching_demo = [n for n in notices if n.status == NoticeStatus.PUBLISHED and demo is not None
                     and _reaches(n, demo, codes)]
    # The demo account has read all but its two newest notices.
    unread = {n.pk for n in sorted(reaching_demo, key=lambda n: n.published_at)[-2:]}
    attrs = [(e, e.kind, e.is_key, e.industry, codes[e.region_id]) for e in ctx.enterprises if e is not demo]

    def rows():
        for notice in notices:
            if notice.published_at is None:
                continue
            share = data.READ_SHARE_OLD if (now - notice.published_at).days > 60 else data.READ_SHARE_NEW
            audience, value = notice.audience, notice.audience_value
            for enterprise, kind, is_key, industry, code in attrs:
                if notice_reaches(audience, value, kind=kind, is_key=is_key, industry=industry, region_code=code) \
                        and rng.random() < share:
                    yield notice.pk, enterprise.pk, None, _read_at(rng, notice, now)
            if notice in reaching_demo and notice.pk not in unread:
                yield notice.pk, demo.pk, demo_user.pk, _read_at(rng, notice, now)

    return notices, _write_receipts(rows(), ctx.scale.batch_size)


def _write_receipts(rows, batch_size: int) -> int:
    """Receipts as (notice, enterprise, user, read_at) ids and times. A province has hundreds of thousands:
    PostgreSQL takes them by COPY, without a model instance each; other databases by bulk inserts."""
    count = 0
    if connection.vendor == "postgresql":
        columns = "notice_id, enterprise_id, user_id, read_at"
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {NoticeReceipt._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    batch = []
    for notice, enterprise, user, read_at in rows:
        batch.append(NoticeReceipt(notice_id=notice, enterprise_id=enterprise, user_id=user, read_at=read_at))
        if len(batch) >= batch_size:
            count += len(NoticeReceipt.objects.bulk_create(batch))
            batch = []
    return count + len(NoticeReceipt.objects.bulk_create(batch))


def _office_hours(rng, day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randrange(9, 17), rng.randrange(60))))


def _reaches(notice, enterprise, codes) -> bool:
    return notice_reaches(notice.audience, notice.audience_value, kind=enterprise.kind, is_key=enterprise.is_key,
                          industry=enterprise.industry, region_code=codes[enterprise.region_id])


def _read_at(rng, notice, now):
    """Most read within two days of publishing; none after the notice left their list."""
    return min(notice.withdrawn_at or now, notice.published_at + datetime.timedelta(hours=rng.expovariate(1 / 48)))


def _care(ctx, codes, today) -> int:
    rng = ctx.rng
    by_town = {}
    for enterprise in ctx.enterprises:
        by_town.setdefault(codes[enterprise.region_id][:9], []).append(enterprise)
    # The demo town account's town first, so that its own activities show on its pages.
    towns = [t for t in [ctx.first_town, *ctx.towns] if t is not None and by_town.get(t.code[:9])]
    towns = list(dict.fromkeys(towns))[:data.CARE_TOWNS]
    demo, _user = _demo_enterprise(ctx)
    plans = []  # (activity, enterprises)
    for year in range(2023, today.year + 1):
        for kind, month, titles in data.CARE_SEASONS:
            held_on = D(year, month, rng.randrange(5, 26))
            if held_on > today:
                continue
            city_wide = rng.sample(ctx.enterprises, min(len(ctx.enterprises), rng.randrange(30, 61)))
            if demo is not None and demo not in city_wide and kind in (CareKind.SUMMER, CareKind.WINTER):
                city_wide.append(demo)
            plans.append((kind, held_on, titles[0].format(year=year), data.CITY_ORGANIZER, data.CITY_PLACE, city_wide))
            if kind not in (CareKind.SUMMER, CareKind.WINTER):
                continue
            for town in towns:
                local = by_town[town.code[:9]]
                chosen = rng.sample(local, min(len(local), rng.randrange(8, 26)))
                plans.append((kind, held_on + datetime.timedelta(days=rng.randrange(0, 4)),
                              titles[1].format(year=year, town=town.name), f"{town.name}党委", f"{town.name}党群服务中心",
                              chosen))
    activities = [CareActivity(kind=kind, title=title, held_on=held_on, organizer=organizer, place=place,
                               beneficiaries=sum(rng.randrange(5, 41) for _e in chosen),
                               note=data.CARE_NOTES[kind])
                  for kind, held_on, title, organizer, place, chosen in plans]
    activities = CareActivity.objects.bulk_create(activities)
    through = CareActivity.enterprises.through
    through.objects.bulk_create([through(careactivity_id=a.pk, enterprise_id=e.pk)
                                 for a, plan in zip(activities, plans, strict=True) for e in plan[5]],
                                batch_size=ctx.scale.batch_size)
    return len(activities)


def _mentoring(ctx, today) -> tuple[int, int]:
    rng = ctx.rng
    mentees = list(Person.objects.filter(is_new_generation=True).order_by("pk")[:200])
    seniors = list(Person.objects.filter(is_new_generation=False, represented_enterprises__is_key=True)
                   .distinct().order_by("pk")[:200])
    retired = len(data.RETIRED_CADRES)
    size = min(data.MENTORING_PAIRS, len(mentees), len(seniors) + retired)
    mentees = rng.sample(mentees, size)
    mentors = rng.sample(seniors, min(len(seniors), size - min(retired, size)))
    pairs = []
    for n, mentee in enumerate(mentees):
        started = D(2023, 3, 1) + datetime.timedelta(days=rng.randrange(820))
        ended = started + datetime.timedelta(days=rng.randrange(300, 420)) if n % 5 == 4 else None
        if ended is not None and ended >= today:
            ended = None
        if n < len(mentors):
            mentor = {"mentor_kind": MentorKind.ENTREPRENEUR, "mentor_person": mentors[n],
                      "mentor_title": rng.choice(data.SENIOR_TITLES)}
        else:
            name, title = data.RETIRED_CADRES[(n - len(mentors)) % retired]
            mentor = {"mentor_kind": MentorKind.RETIRED_CADRE, "mentor_name": name or person_name(rng),
                      "mentor_title": title}
        pairs.append(MentoringPair(mentee=mentee, started_on=started, ended_on=ended, focus=rng.choice(data.FOCUSES),
                                   created_by=ctx.users.get("orgstaff"), **mentor))
    pairs = MentoringPair.objects.bulk_create(pairs)
    sessions = []
    for pair in pairs:
        last = min(pair.ended_on or today, today)
        span = (last - pair.started_on).days
        for _n in range(rng.randrange(2, 7)):
            sessions.append(MentoringSession(pair=pair, held_on=pair.started_on + datetime.timedelta(
                days=rng.randrange(span + 1)), topic=rng.choice(data.SESSION_TOPICS), attendees=rng.randrange(2, 13)))
    MentoringSession.objects.bulk_create(sessions)
    return len(pairs), len(sessions)

