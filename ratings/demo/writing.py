"""Writing the ratings in bulk exactly as the services leave them: score sheets, each rating's walk
through the workflow with its events, and the batched writer (bulk_create, and COPY on PostgreSQL)."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.db import connection, models
from django.utils.translation import gettext_noop as _

from portal.accounts import display_name

from .. import rules
from ..choices import ObjectionStatus
from ..models import Cycle, ItemScore, Objection, PartyOrganization, Rating, RatingEvent, Rubric
from .common import (
    BATCH,
    DAY,
    POINTS,
    A,
    S,
    SeedContext,
    _at,
    _points,
    _text,
)

SAFETY_VETO = "V2"  # 年度内发生重大安全生产……事故: the veto behind the refusal and the revocation
# A reviewer says why each deduction was made (ratings.rules.missing_deduction_notes).
DEDUCTION_NOTE = "台账资料不全，酌情扣分。"
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
        self.orgstaff = (orgstaff, display_name(orgstaff))
        townstaff = ctx.users.get("townstaff")
        self.townstaff = (townstaff, display_name(townstaff)) if townstaff else None
        enterprise_user = ctx.users.get("enterprise")
        self.enterprise_user = (enterprise_user, display_name(enterprise_user)) if enterprise_user else None
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
                *((walk.rating.pk, i.pk, stage, POINTS[p], False, notes.get(i.code, "")
                   or (DEDUCTION_NOTE if stage in rules.REVIEW_STAGES and p < cap else ""))
                  for i, p, cap in zip(scored, points, self.sheets.caps, strict=True)),
                *((walk.rating.pk, v.pk, stage, None, v.code in vetoed, notes.get(v.code, "")) for v in vetoes),
            )
        )
        self.written["items"] += _copy(ItemScore, ("rating", "item", "stage", "points", "vetoed", "note"), rows)
        self.written["ratings"] += len(walks)
