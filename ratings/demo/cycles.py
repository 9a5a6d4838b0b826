"""The `ratings.cycles` step: the default rubric, the published cycles 2019–2025 and 2026 in progress."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from portal.demo import register_step

from .. import default_rubric, rules, services
from ..choices import ObjectionStatus, Stage
from ..models import Cycle, ItemScore, Objection, PartyOrganization, Rating, RatingEvent, Rubric
from . import organizations  # noqa: F401  (its step must be registered, and run, before this one)
from .common import (
    ALL_ITEM_SCORES_UP_TO,
    BATCH,
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
    POINTS,
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
    _points,
    _text,
    people,
)

SAFETY_VETO = "V2"  # 年度内发生重大安全生产……事故: the veto behind the refusal and the revocation
DEDUCTION_STEPS = (5, 10, 10, 10, 20, 20, 30)  # tenths of a point: reviewers take off whole and half points


class Sheets:
    """The published rubric's items, and item scores (in tenths) that add up to a given total."""

    def __init__(self, rubric: Rubric, rng: random.Random):
        items = list(rubric.items.order_by("order", "pk"))
        self.rng = rng
        self.scored = [i for i in items if not i.is_veto]
        self.vetoes = [i for i in items if i.is_veto]
        self.caps = [int(i.max_points * 10) for i in self.scored]
        self.full = sum(self.caps)
        self.thresholds = rubric.thresholds
        self.veto_caps = {i.code: i.veto_cap for i in self.vetoes}
        # Total (tenths) ranges that give each number of stars under the rubric's thresholds.
        lows = {stars: int(minimum * 10) for stars, minimum in self.thresholds}
        self.bands = {5: (lows[5], min(self.full, lows[5] + 75)), 4: (lows[4], lows[5] - 1),
                      3: (lows[3], lows[4] - 1), 2: (lows[2], lows[3] - 1), 1: (max(0, lows[2] - 120), lows[2] - 1)}

    def stars(self, tenths: int, vetoes=()) -> int | None:
        stars = rules.stars_for_score(_points(tenths), self.thresholds)
        return rules.apply_vetoes(stars, [self.veto_caps[code] for code in sorted(vetoes)])

    def total_for(self, stars: int) -> int:
        low, high = self.bands[stars]
        if stars == 5:  # few reach the top of the scale
            return min(high, low + int(abs(self.rng.gauss(0, 25))))
        return self.rng.randint(low, high)

    def points(self, totals: dict[str, int]) -> dict[str, list[int]]:
        """Each stage's points by item. The lowest total (the department's) takes its deductions
        first; a more generous stage gives some of them back, so no stage is stricter on an item
        than the one after it."""
        rng, caps, n = self.rng, self.caps, len(self.caps)
        result, off = {}, None
        for stage, total in sorted(totals.items(), key=lambda kv: kv[1]):
            if off is None:
                off, left = [0] * n, self.full - total
                while left > 0:
                    i = rng.randrange(n)
                    step = min(left, caps[i] - off[i], rng.choice(DEDUCTION_STEPS))
                    if step > 0:
                        off[i] += step
                        left -= step
            else:
                off, back = list(off), total - (self.full - sum(off))
                while back > 0:
                    i = rng.randrange(n)
                    step = min(back, off[i], rng.choice(DEDUCTION_STEPS))
                    if step > 0:
                        off[i] -= step
                        back -= step
            result[stage] = [cap - o for cap, o in zip(caps, off, strict=True)]
        return result


class Walk:
    """One rating walked through the workflow as the services walk it, without the database: each
    step changes the rating the way the service does and keeps the event it would have written."""

    def __init__(self, seeder: Seeder, org: PartyOrganization, cycle: Cycle, totals: dict[str, int], *,
                 with_items: bool):
        self.seeder, self.cycle, self.totals, self.with_items = seeder, cycle, totals, with_items
        self.rating = Rating(cycle=cycle, organization=org, status=S.SELF, version=1, vetoes=[], stage_results={})
        self.events: list[tuple] = []  # (moment, action, stage, from, to, actor id, actor name, comment, before, after)
        self.sheets: dict[str, tuple[list[int], set, dict]] = {}  # stage -> (points, vetoes, notes)
        self.scores: dict[str, dict] = {}  # stage -> the scores as the events show them
        self.points = seeder.sheets.points(totals) if with_items else {}
        self.objection: tuple[Objection, datetime.datetime] | None = None

    def _result(self) -> dict:  # services.workflow._result
        r = self.rating
        return {"status": str(r.status), "score": None if r.score is None else str(r.score), "stars": r.stars,
                "vetoes": list(r.vetoes or []), "valid_from": r.valid_from and r.valid_from.isoformat(),
                "valid_to": r.valid_to and r.valid_to.isoformat()}

    def _moment(self, day: datetime.date, seconds: int | None) -> datetime.datetime:
        rng = self.seeder.rng
        moment = _at(day, seconds if seconds is not None else rng.randint(8 * 3600 + 1800, 17 * 3600 + 1800))
        last = self.events[-1][0] if self.events else None
        if last is not None and moment <= last:
            moment = last + datetime.timedelta(minutes=rng.randint(3, 40))
        return moment

    def _record(self, day, action, from_status, actor, *, stage="", comment="", before=None, after=None,
                seconds=None) -> None:  # services.workflow._record
        self.rating.version += 1
        user, name = actor
        self.events.append((self._moment(day, seconds), action, stage, from_status, self.rating.status,
                            user.pk if user else None, name, comment, before, after))

    def start(self, day, actor) -> Walk:  # services.rating_start
        self.rating.step_entered_on = day
        self._record(day, A.START, "", actor)
        return self

    def _save_scores(self, stage: str, vetoes=(), notes=None) -> dict:  # services.workflow._save_scores
        r, sheets, total = self.rating, self.seeder.sheets, self.totals[stage]
        before = self.scores.get(stage, {})
        if self.with_items:
            points = self.points[stage]
            self.sheets[stage] = (points, set(vetoes), notes or {})
            self.scores[stage] = ({i.code: _text(p) for i, p in zip(sheets.scored, points, strict=True)}
                                  | {v.code: "veto" if v.code in vetoes else None for v in sheets.vetoes})
        codes = sorted(vetoes)
        r.score, r.stars, r.vetoes = _points(total), sheets.stars(total, codes), codes
        r.stage_results = {**r.stage_results, stage: {"total": _text(total), "stars": r.stars, "vetoes": codes}}
        return {"scores": before}

    def step(self, day, action, actor, *, comment="", scores=True, vetoes=(), notes=None, seconds=None) -> Walk:
        """services.rating_transition, with the stage's score sheet when `scores`."""
        r = self.rating
        from_status = r.status
        to_status = rules.next_status(from_status, action)
        stage = rules.STAGE_OF_STATUS.get(from_status, "")
        before = self._result()
        scores = scores and action in (A.SAVE, A.SUBMIT, A.APPROVE)
        if scores:
            saved = self._save_scores(stage, vetoes, notes)
            if self.with_items:
                before.update(saved)
        if action in (A.SUBMIT, A.APPROVE):
            result = r.stage_results[stage]
            r.score, r.stars, r.vetoes = Decimal(result["total"]), result["stars"], list(result["vetoes"])
        if action == A.APPROVE and from_status == S.DEPT:
            r.notice_starts_on, r.notice_ends_on = rules.notice_period(day, self.cycle.notice_days)
        if to_status != from_status:
            r.step_entered_on = day
        r.status = to_status
        after = self._result()
        if scores and self.with_items:
            after["scores"] = self.scores[stage]
        self._record(day, action, from_status, actor, stage=stage, comment=comment, before=before, after=after,
                     seconds=seconds)
        return self

    def publish(self, day, actor, seconds=None) -> Walk:  # services.rating_publish
        r, before = self.rating, self._result()
        r.status, r.step_entered_on = S.PUBLISHED, day
        r.valid_from, r.valid_to = rules.validity_period(day, self.cycle.validity_months)
        self._record(day, A.PUBLISH, S.NOTICE, actor, before=before, after=self._result(), seconds=seconds)
        return self

    def supersede(self, day, actor, by: Cycle, seconds=None) -> Walk:  # the older rating in rating_publish
        r, before = self.rating, self._result()
        r.valid_to = max(r.valid_from, day - DAY)
        self._record(day, A.SUPERSEDE, S.PUBLISHED, actor, comment=_("由 %(c)s 的评定取代") % {"c": by},
                     before=before, after=self._result(), seconds=seconds)
        return self

    def revoke(self, day, actor, reason: str) -> Walk:  # services.rating_revoke
        r, before = self.rating, self._result()
        r.status, r.revoked_on, r.revoke_reason = S.REVOKED, day, reason[:500]
        self._record(day, A.REVOKE, S.PUBLISHED, actor, comment=reason, before=before, after=self._result())
        return self

    def object(self, day, seconds, *, name: str, contact: str, reason: str) -> Walk:  # services.objection_lodge
        moment = self._moment(day, seconds)
        objection = Objection(name=name, contact=contact, reason=reason, status=ObjectionStatus.OPEN,
                              ip="203.0.113.45")  # a documentation address (RFC 5737): fictional
        self.objection = (objection, moment)
        self.rating.version += 1
        self.events.append((moment, A.OBJECTION, "", S.NOTICE, S.NOTICE, None, _("公众"), reason[:500], None, None))
        return self


def _stamp(model, ids: list[int], **columns: list[datetime.datetime]) -> None:
    """Give bulk-inserted rows their real moments: auto_now(_add) fields are set to now on insert."""
    if not ids:
        return
    if connection.vendor != "postgresql":
        rows = [model(pk=pk, **{name: values[n] for name, values in columns.items()}) for n, pk in enumerate(ids)]
        model.objects.bulk_update(rows, list(columns), batch_size=500)
        return
    qn = connection.ops.quote_name
    pk = qn(model._meta.pk.column)
    names = [qn(model._meta.get_field(name).column) for name in columns]
    assignments = ", ".join(f"{c} = v.{c}" for c in names)
    arrays = "%s::bigint[]" + ", %s::timestamptz[]" * len(names)
    # Identifiers from the model's meta, quoted; every value is a parameter.
    sql = f"UPDATE {qn(model._meta.db_table)} AS t SET {assignments} FROM unnest({arrays}) AS v({pk}, {', '.join(names)}) WHERE t.{pk} = v.{pk}"  # noqa: S608, E501
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(ids), *columns.values()])


EVENT_FIELDS = ("rating", "at", "action", "stage", "from_status", "to_status", "actor", "actor_name", "comment",
                "before", "after")


def _copy(model, fields: tuple[str, ...], rows) -> int:
    """Insert plain rows (tuples in the order of `fields`, the values as the model holds them) and
    return how many. Events and item scores come by the hundred thousand at province scale, and
    PostgreSQL's COPY writes them tens of times faster than bulk_create, which builds and prepares a
    model instance per row. It also writes an auto_now_add column such as RatingEvent.at as given."""
    meta = model._meta
    if connection.vendor != "postgresql":
        rows = list(rows)
        attnames = [meta.get_field(f).attname for f in fields]
        objects = model.objects.bulk_create([model(**dict(zip(attnames, row, strict=True))) for row in rows],
                                            batch_size=500)
        stamped = [f for f in fields if getattr(meta.get_field(f), "auto_now_add", False)]
        if stamped:
            _stamp(model, [o.pk for o in objects], **{f: [row[fields.index(f)] for row in rows] for f in stamped})
        return len(objects)
    from psycopg.types.json import Jsonb

    json_columns = [n for n, f in enumerate(fields) if isinstance(meta.get_field(f), models.JSONField)]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(meta.get_field(f).column) for f in fields)
    count = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            if json_columns:
                row = list(row)
                for n in json_columns:
                    row[n] = None if row[n] is None else Jsonb(row[n])
            copy.write_row(row)
            count += 1
    return count


class Seeder:
    """What the ratings step shares between its parts, and the batched writes."""

    def __init__(self, ctx: SeedContext, rubric: Rubric):
        self.ctx, self.rng = ctx, ctx.rng
        self.sheets = Sheets(rubric, ctx.rng)
        self.pending: list[Walk] = []
        self.written = defaultdict(int)
        orgstaff = ctx.users["orgstaff"]
        self.orgstaff = (orgstaff, orgstaff.get_username())
        townstaff = ctx.users.get("townstaff")
        self.townstaff = (townstaff, townstaff.get_username()) if townstaff else None
        enterprise_user = ctx.users.get("enterprise")
        self.enterprise_user = (enterprise_user, enterprise_user.get_username()) if enterprise_user else None
        data = ctx.extra["ratings"]
        self.info = data["organization_info"]
        self.demo_org = data["demo_organization"]

    # Who acts: the demo accounts where there is one, else a name (the secretary, the town's committee).
    def org_actor(self, org):
        if self.enterprise_user and self.demo_org is not None and org.pk == self.demo_org.pk:
            return self.enterprise_user
        return (None, org.secretary.name if org.secretary else org.name)

    def town_actor(self, org):
        town = self.info[org.pk]["town"]
        if town is not None:
            if self.townstaff and town.pk == self.ctx.first_town.pk:
                return self.townstaff
            return (None, f"{town.name}{'党工委' if town.kind == 'street' else '党委'}")
        enterprise = self.info[org.pk]["enterprise"]
        park = enterprise.park if enterprise is not None else None
        return (None, f"{park.name}党工委" if park else f"{self.ctx.city.name}两新工委")

    def in_first_town(self, org) -> bool:
        town = self.info[org.pk]["town"]
        return town is not None and town.pk == self.ctx.first_town.pk

    def add(self, walk: Walk) -> None:
        self.pending.append(walk)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        walks, self.pending = self.pending, []
        if not walks:
            return
        Rating.objects.bulk_create([w.rating for w in walks], batch_size=self.ctx.scale.batch_size)
        _stamp(Rating, [w.rating.pk for w in walks], created_at=[w.events[0][0] for w in walks],
               updated_at=[w.events[-1][0] for w in walks])
        self.written["events"] += _copy(RatingEvent, EVENT_FIELDS,
                                        ((w.rating.pk, *event) for w in walks for event in w.events))
        objections = [(w.rating, *w.objection) for w in walks if w.objection]
        for rating, objection, _moment in objections:
            objection.rating = rating
        Objection.objects.bulk_create([o for _r, o, _m in objections])
        _stamp(Objection, [o.pk for _r, o, _m in objections], lodged_at=[m for _r, _o, m in objections])
        scored, vetoes = self.sheets.scored, self.sheets.vetoes
        rows = (
            row
            for walk in walks
            for stage, (points, vetoed, notes) in walk.sheets.items()
            for row in (
                *((walk.rating.pk, i.pk, stage, POINTS[p], False, notes.get(i.code, ""))
                  for i, p in zip(scored, points, strict=True)),
                *((walk.rating.pk, v.pk, stage, None, v.code in vetoed, notes.get(v.code, "")) for v in vetoes),
            )
        )
        self.written["items"] += _copy(ItemScore, ("rating", "item", "stage", "points", "vetoed", "note"), rows)
        self.written["ratings"] += len(walks)


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
