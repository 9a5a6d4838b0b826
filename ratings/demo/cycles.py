"""The `ratings.cycles` step: the default rubric, the published cycles 2019–2025 and 2026 in progress."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from portal.demo import register_step

from .. import default_rubric, services
from ..choices import Stage
from ..models import Cycle, Rubric
from . import organizations  # noqa: F401  (its step must be registered, and run, before this one)
from .common import (
    ALL_ITEM_SCORES_UP_TO,
    CITY_ENTERPRISES,
    DAY,
    DEMO_ORG_STARS,
    FIVE_SHARE,
    HIGH_STARS,
    LIVE_CLOSES,
    LIVE_OPENS,
    LIVE_YEAR,
    LOW_SHARES,
    NOTICE_LEAD,
    OBJECTION_REASON,
    PUBLISHED_ON,
    RATED_SHARE,
    REJECT_REASON,
    REVOKE_REASON,
    REVOKED_ON,
    VETO_NOTE,
    YEARS,
    A,
    OrgKind,
    S,
    SeedContext,
    _at,
    _between,
    people,
)
from .writing import SAFETY_VETO, Seeder, Sheets, Walk


def _publish_rubric(orgstaff) -> Rubric:
    draft = services.rubric_create(acting_user=orgstaff, name=default_rubric.NAME, dimensions=default_rubric.DIMENSIONS,
                                   vetoes=default_rubric.VETOES)
    rubric = services.rubric_publish(acting_user=orgstaff, rubric=draft)
    # In force since before the first cycle (an update: a published rubric refuses save()).
    Rubric.objects.filter(pk=rubric.pk).update(created_at=_at(datetime.date(2019, 1, 15), 10 * 3600),
                                               published_at=_at(datetime.date(2019, 2, 18), 15 * 3600))
    return Rubric.objects.get(pk=rubric.pk)


def _open_cycles(orgstaff, rubric) -> dict[int, Cycle]:
    cycles = {}
    for year in (*YEARS, LIVE_YEAR):
        opens, closes = ((LIVE_OPENS, LIVE_CLOSES) if year == LIVE_YEAR
                         else (datetime.date(year, 3, 1), datetime.date(year, 10, 31)))
        cycle = services.cycle_create(acting_user=orgstaff, year=year, rubric=rubric, opens_on=opens, closes_on=closes)
        Cycle.objects.filter(pk=cycle.pk).update(created_at=_at(datetime.date(year, 2, 20), 10 * 3600))
        cycles[year] = cycle
    return cycles


KIND_BONUS = {OrgKind.COMMITTEE: 1.2, OrgKind.GENERAL_BRANCH: 0.7, OrgKind.BRANCH: 0.0, OrgKind.JOINT_BRANCH: -0.4}


def _plan_stars(seeder: Seeder, orgs: list, factor: float) -> tuple[dict[int, list], dict[tuple[int, int], int]]:
    """Which organizations each cycle rates (once in, every year after) and the stars each gets:
    exactly HIGH_STARS (scaled) with four or five, chosen by a quality that grows with practice."""
    rng, info, demo = seeder.rng, seeder.info, seeder.demo_org
    quality = {o.pk: rng.gauss(0, 1) + KIND_BONUS[o.kind]
               + (0.5 if info[o.pk]["enterprise"] is not None and info[o.pk]["enterprise"].is_key else 0)
               for o in orgs}
    readiness = {o.pk: 0.6 * quality[o.pk] + rng.gauss(0, 1) for o in orgs}
    order = sorted(orgs, key=lambda o: (demo is None or o.pk != demo.pk, -readiness[o.pk]))
    rated, entered, current = {}, {}, []
    for year in YEARS:
        eligible = [o for o in order if o.founded_on < datetime.date(year, 3, 1)]
        newcomers = [o for o in eligible if o.pk not in entered]
        for org in newcomers[: max(0, round(RATED_SHARE[year] * len(eligible)) - len(current))]:
            entered[org.pk] = year
            current.append(org)
        rated[year] = list(current)
    stars: dict[tuple[int, int], int] = {}
    position = {o.pk: n for n, o in enumerate(orgs)}
    for year in YEARS:
        group = rated[year]
        target = min(len(group), round(HIGH_STARS[year] * factor))
        form = {o.pk: quality[o.pk] + 0.25 * (year - entered[o.pk]) + rng.gauss(0, 0.35) for o in group}
        forced = {}
        if demo is not None and demo.pk in form:
            forced[demo.pk] = DEMO_ORG_STARS[year] if DEMO_ORG_STARS[year] < 4 or target >= 1 else 3
        others = sorted((o for o in group if o.pk not in forced), key=lambda o: (-form[o.pk], position[o.pk]))
        high_count = max(0, target - sum(s >= 4 for s in forced.values()))
        five_count = max(0, round(FIVE_SHARE[year] * target) - sum(s == 5 for s in forced.values()))
        high, low = others[:high_count], others[high_count:]
        three, two = LOW_SHARES[year]
        threes, twos = round(three * len(low)), round(two * len(low))
        for n, org in enumerate(high):
            stars[org.pk, year] = 5 if n < five_count else 4
        for n, org in enumerate(low):
            stars[org.pk, year] = 3 if n < threes else 2 if n < threes + twos else 1
        for pk, value in forced.items():
            stars[pk, year] = value
    return rated, stars


def _stage_totals(rng, sheets: Sheets, dept: int) -> dict[str, int]:
    """The town is a little more generous than the department, the organization itself more so."""
    town = dept + rng.randint(0, min(30, sheets.full - dept))
    return {Stage.SELF: town + rng.randint(0, min(40, sheets.full - town)), Stage.TOWN: town, Stage.DEPT: dept}


def _dept_seconds(position: int) -> int:  # the department approves a cycle's ratings over one day
    return 9 * 3600 + (position * 53) % (8 * 3600)


def _publish_seconds(position: int) -> int:  # and names them on another
    return 9 * 3600 + (position * 7) % (7 * 3600)


@register_step(name="ratings.cycles", label="评星定级")
def seed_ratings(ctx: SeedContext) -> None:
    rng = ctx.rng
    data = ctx.extra["ratings"]
    orgs = data["organizations"]
    orgstaff = ctx.users["orgstaff"]
    factor = ctx.scale.enterprises / CITY_ENTERPRISES
    rubric = _publish_rubric(orgstaff)
    cycles = _open_cycles(orgstaff, rubric)
    seeder = Seeder(ctx, rubric)
    sheets = seeder.sheets
    position = {o.pk: n for n, o in enumerate(orgs)}
    rated, stars = _plan_stars(seeder, orgs, factor)
    dept_total = {key: sheets.total_for(value) for key, value in stars.items()}
    rated_pks = {year: {o.pk for o in group} for year, group in rated.items()}

    # The one revocation: a three-star rating of the last cycle, in the demo town if there is one.
    last = YEARS[-1]
    threes = [o for o in rated[last] if stars[o.pk, last] == 3 and o != seeder.demo_org]
    threes = [o for o in threes if seeder.in_first_town(o)] or threes
    revoked = rng.choice(threes) if threes else None

    # Item scores for every cycle at city scale; for the latest only at province scale.
    items_from = YEARS[0] if ctx.scale.enterprises <= ALL_ITEM_SCORES_UP_TO else YEARS[-1]
    high_counts = {}
    revoked_rating = None
    for year in YEARS:
        cycle, published_on = cycles[year], PUBLISHED_ON[year]
        notice_starts = published_on - NOTICE_LEAD * DAY
        opens = cycle.opens_on
        for org in rated[year]:
            pos = position[org.pk]
            walk = Walk(seeder, org, cycle, _stage_totals(rng, sheets, dept_total[org.pk, year]),
                        with_items=year >= items_from)
            started = _between(rng, opens, opens + 91 * DAY)
            submitted = min(started + rng.randint(10, 75) * DAY, cycle.closes_on)
            reviewed = min(submitted + rng.randint(2, 20) * DAY, notice_starts - 5 * DAY)
            actor = seeder.org_actor(org)
            walk.start(started, actor).step(submitted, A.SUBMIT, actor)
            walk.step(reviewed, A.APPROVE, seeder.town_actor(org))
            walk.step(notice_starts, A.APPROVE, seeder.orgstaff, seconds=_dept_seconds(pos))
            walk.publish(published_on, seeder.orgstaff, seconds=_publish_seconds(pos))
            following = year + 1
            if following in PUBLISHED_ON and org.pk in rated_pks[following] \
                    and PUBLISHED_ON[following] <= walk.rating.valid_to:
                walk.supersede(PUBLISHED_ON[following], seeder.orgstaff, cycles[following],
                               seconds=_publish_seconds(pos) + 1)
            if year == last and org is revoked:
                walk.revoke(REVOKED_ON, seeder.orgstaff, REVOKE_REASON)
                revoked_rating = walk.rating
            seeder.add(walk)
        seeder.flush()
        high_counts[year] = sum(stars[o.pk, year] >= 4 for o in rated[year])

    live = _seed_live_cycle(seeder, cycles[LIVE_YEAR], orgs, rated_pks[last], dept_total, revoked)
    seeder.flush()

    ctx.extra["ratings"].update({
        "rubric": rubric, "cycles": cycles, "high_stars": high_counts, "revoked": revoked_rating,
        "live_day": live["day"], "live": live["ratings"],
    })
    ctx.count("评分标准", 1)
    ctx.count("评定周期", len(cycles))
    ctx.count("星级评定", seeder.written["ratings"])
    ctx.count("  已命名（2019–2025）", sum(len(group) for group in rated.values()) - (revoked_rating is not None))
    for year in (YEARS[0], 2022, YEARS[-1]):
        ctx.count(f"  四星及以上 {year}", high_counts[year])
    ctx.count("  已撤销", int(revoked_rating is not None))
    ctx.count(f"  {LIVE_YEAR} 年度进行中", sum(len(v) for v in live["ratings"].values()))
    for status in (S.SELF, S.TOWN, S.DEPT, S.NOTICE, S.REJECTED):
        ctx.count(f"    {status.label}", len(live["ratings"].get(status, [])))
    ctx.count("公示异议（待处理）", live["objections"])
    ctx.count("评定记录", seeder.written["events"])
    ctx.count("项目得分", seeder.written["items"])


# The 2026 cycle, "today". DEMO_TODAY fixes everything else, but the public notice page lists the
# ratings whose notice runs on the REAL date, so the live cycle is reckoned back from
# timezone.localdate(): this is the one place the demo data depends on the real date. The steps
# before a notice, and the queues' ages (fresh or overdue), follow from the same day.
LIVE_FIRST_TOWN = ((S.TOWN, "overdue"), (S.TOWN, "overdue"), (S.TOWN, "fresh"), (S.TOWN, "fresh"),
                   (S.TOWN, "fresh"), (S.REJECTED, ""), (S.DEPT, "fresh"), (S.NOTICE, "running"),
                   (S.DEPT, "overdue"))
LIVE_SHARES = ((S.NOTICE, 0.03, 2), (S.DEPT, 0.08, 2), (S.TOWN, 0.12, 3))  # (status, share, at least)
LIVE_SELF_SHARE = 0.35


def _timeline(last: datetime.date, *gaps: int) -> list[datetime.date]:
    """Days of successive steps ending on `last`, `gaps` days apart (earliest first), none before
    the live cycle opened."""
    days = [last]
    for gap in reversed(gaps):
        days.insert(0, days[0] - gap * DAY)
    days = [max(LIVE_OPENS, d) for d in days]
    for n in range(1, len(days)):
        days[n] = max(days[n], days[n - 1])
    return days


def _seed_live_cycle(seeder: Seeder, cycle: Cycle, orgs: list, rated_last: set, dept_total: dict,
                     revoked) -> dict:
    rng, sheets, demo = seeder.rng, seeder.sheets, seeder.demo_org
    today = timezone.localdate()
    plan: dict[int, tuple[str, str]] = {}
    if demo is not None:
        plan[demo.pk] = (S.SELF, "blank")  # the demo enterprise user's own self-assessment to do
    candidates = [o for o in orgs if o.pk not in plan and o is not revoked]
    local = [o for o in candidates if o.pk in rated_last and seeder.in_first_town(o)]
    rng.shuffle(local)
    for org, assignment in zip(local, LIVE_FIRST_TOWN, strict=False):
        plan[org.pk] = assignment
    others = [o for o in candidates if o.pk in rated_last and o.pk not in plan]
    rng.shuffle(others)
    wanted = [(S.NOTICE, "ended"), (S.NOTICE, "objection")]
    if not any(status == S.REJECTED for status, _v in plan.values()):
        wanted.append((S.REJECTED, ""))
    for status, share, least in LIVE_SHARES:
        have = sum(s == status for s, _v in plan.values()) + sum(s == status for s, _v in wanted)
        for _n in range(max(least, round(share * len(candidates))) - have):
            variant = "running" if status == S.NOTICE else "overdue" if rng.random() < 0.35 else "fresh"
            wanted.append((status, variant))
    for org, assignment in zip(others, wanted, strict=False):
        plan[org.pk] = assignment
    rest = [o for o in candidates if o.pk not in plan]
    rng.shuffle(rest)
    for org in rest[: max(3, round(LIVE_SELF_SHARE * len(candidates)))]:
        plan[org.pk] = (S.SELF, "draft" if rng.random() < 0.3 else "blank")

    by_status = defaultdict(list)
    objections = 0
    for org in orgs:  # in a fixed order, whatever the order of the plan
        if org.pk not in plan:
            continue
        status, variant = plan[org.pk]
        base = dept_total.get((org.pk, YEARS[-1])) or rng.randint(650, 820)
        dept = max(sheets.bands[1][0], min(sheets.bands[5][1], base + rng.randint(-30, 45)))
        walk = Walk(seeder, org, cycle, _stage_totals(rng, sheets, dept), with_items=True)
        actor, town = seeder.org_actor(org), seeder.town_actor(org)
        if status == S.SELF:
            (started,) = _timeline(today - rng.randint(1, 80) * DAY)
            walk.start(started, actor)
            if variant == "draft":
                walk.step(_between(rng, started, today - DAY), A.SAVE, actor)
        elif status == S.TOWN:
            age = rng.randint(16, 45) if variant == "overdue" else rng.randint(1, 10)
            started, submitted = _timeline(today - age * DAY, rng.randint(7, 60))
            walk.start(started, actor).step(submitted, A.SUBMIT, actor)
        elif status == S.DEPT:
            age = rng.randint(16, 40) if variant == "overdue" else rng.randint(1, 12)
            started, submitted, reviewed = _timeline(today - age * DAY, rng.randint(7, 60), rng.randint(2, 15))
            walk.start(started, actor).step(submitted, A.SUBMIT, actor).step(reviewed, A.APPROVE, town)
        elif status == S.NOTICE:
            # Running: started one to four days ago, so today falls within the five days. Ended:
            # four days ago, waiting for the publishing task. With an objection: lodged yesterday.
            lead = {"ended": 8, "objection": 3}.get(variant) or rng.randint(1, cycle.notice_days - 1)
            started, submitted, reviewed, noticed = _timeline(
                today - lead * DAY, rng.randint(7, 60), rng.randint(2, 15), rng.randint(3, 20))
            walk.start(started, actor).step(submitted, A.SUBMIT, actor).step(reviewed, A.APPROVE, town)
            walk.step(noticed, A.APPROVE, seeder.orgstaff)
            if variant == "objection":
                walk.object(today - DAY, 20 * 3600 + rng.randint(0, 3000), name=people.person_name(rng),
                            contact=people.mobile(rng), reason=OBJECTION_REASON)
                objections += 1
        else:  # rejected at the town's review: a veto item triggered
            started, submitted, refused = _timeline(today - rng.randint(2, 20) * DAY, rng.randint(7, 60),
                                                    rng.randint(2, 12))
            walk.start(started, actor).step(submitted, A.SUBMIT, actor)
            walk.step(refused, A.SAVE, town, vetoes=(SAFETY_VETO,), notes={SAFETY_VETO: VETO_NOTE})
            walk.step(refused, A.REJECT, town, comment=REJECT_REASON, scores=False)
        by_status[status].append(walk.rating)
        seeder.add(walk)
    return {"day": today, "ratings": dict(by_status), "objections": objections}
