"""Demo data of the appeals part (问题诉求): the functional departments, and appeals in every state,
category, platform and channel — about 0.15 per enterprise, more for key ones — received from the
start of 2024 until the day of seeding, with their history, escalations and ratings.

Written in bulk as the services would have left them: numbers per year in order of receipt (and the
counter at the last one), a step's time after the one before, version = 1 + steps taken, the
resolution on every resolved one. Open appeals past their deadline carry the escalations the nightly
run would have made up to yesterday (level 1, and level 2 seven days later), to the enterprise's
paired cadres of the day and the organization department, with the events to match; so running the
task on the day of seeding escalates only what became due today.

For the demo accounts: the `enterprise` account's enterprise has one appeal of each kind it should
see (one resolved and waiting for its rating); the `cadre` account's paired enterprises have an
overdue appeal escalated to it, one raised on its visit and one assigned to it; `townstaff` and
`orgstaff` find appeals waiting for assignment and assigned to them.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from portal.context_processors import display_name
from portal.demo import SeedContext, register_step, registered_steps
from portal.models import RoleAssignment, ServiceStation

from ..choices_appeals import AppealAction, AppealCategory, AppealChannel, AppealPlatform, AppealStatus
from ..models import Appeal, AppealCounter, AppealEscalation, AppealEvent, Cadre, Department, Visit
from ..rules import appeals as rules
from . import appeals_texts as texts
from . import pairings  # noqa: F401  (registers "liaison.pairings" first: this step comes after it)

A, S, C = AppealAction, AppealStatus, AppealCategory
SHARE, KEY_SHARE = 0.12, 0.6  # of enterprises with at least one appeal (key ones get 1–3)
CATEGORIES = [(C.FINANCING, 4), (C.TALENT, 2), (C.LAND, 1.5), (C.PERMITS, 1.5), (C.LEGAL, 1), (C.POLICY, 2),
              (C.OTHER, 1)]
PLATFORMS = [(AppealPlatform.APPEAL, 6), (AppealPlatform.POLICY, 2), (AppealPlatform.GUIDANCE, 1),
             (AppealPlatform.CARE, 1)]
STATES = [(S.CLOSED, 40), (S.RESOLVED, 14), (S.IN_PROGRESS, 12), (S.ASSIGNED, 10), (S.RECEIVED, 8),
          (S.WITHDRAWN, 5), (S.DISMISSED, 4)]
OVERDUE_SHARE = 0.3  # of open appeals
RATED_SHARE = 0.85  # of resolved and closed ones
SCORES = [(5, 55), (4, 30), (3, 9), (2, 4), (1, 2)]
FIRST_DAY = datetime.date(2024, 1, 1)
STEPS = {S.RECEIVED: [], S.ASSIGNED: [A.ASSIGN], S.IN_PROGRESS: [A.ASSIGN, A.START],
         S.RESOLVED: [A.ASSIGN, A.START, A.RESOLVE], S.CLOSED: [A.ASSIGN, A.START, A.RESOLVE, A.CLOSE],
         S.WITHDRAWN: [A.WITHDRAW], S.DISMISSED: [A.DISMISS]}
AT = {A.ASSIGN: "assigned_at", A.START: "started_at", A.RESOLVE: "resolved_at", A.CLOSE: "closed_at",
      A.WITHDRAW: "closed_at", A.DISMISS: "closed_at"}


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


@dataclass
class Plan:
    """One appeal, as decided before any row is written."""

    enterprise: object
    category: str
    state: str
    overdue: bool = False
    channel: str | None = None
    assignee: object = None
    rated: bool | None = None  # None: as chance has it
    score: int | None = None
    age: int | None = None  # days since receipt, when fixed
    appeal: Appeal | None = None
    events: list = field(default_factory=list)  # (action, from, to, at, actor, note)
    escalations: list = field(default_factory=list)  # (level, reason, on, at, days, cadre ids)


class World:
    """What the step reads from the context and the database once."""

    def __init__(self, ctx: SeedContext):
        self.ctx, self.rng = ctx, ctx.rng
        self.today, self.now = timezone.localdate(), timezone.now()
        users = ctx.users
        self.orgstaff, self.townstaff = users.get("orgstaff"), users.get("townstaff")
        self.station_user, self.enterprise_user, self.cadre_user = (users.get("station"), users.get("enterprise"),
                                                                    users.get("cadre"))
        liaison = ctx.extra.get("liaison")
        if liaison:
            self.paired = {pk: sorted({p.cadre_id for p in ps}) for pk, ps in liaison["pairings_by_enterprise"].items()}
            self.secretary, self.demo_cadre, visits = liaison["secretary"], liaison["demo_cadre"], liaison["visits"]
        else:  # the pairings step did not run in this process: read what the database has
            from ..selectors.appeals import leading_secretary, paired_cadres

            self.paired = paired_cadres(e.pk for e in ctx.enterprises)
            self.secretary = leading_secretary()
            self.demo_cadre = Cadre.objects.filter(user=self.cadre_user).first() if self.cadre_user else None
            visits = list(Visit.objects.all())
        self.visits = defaultdict(list)
        for visit in visits:
            self.visits[(visit.cadre_id, visit.enterprise_id)].append(visit)
        self.cadre_users = dict(Cadre.objects.filter(user__isnull=False).values_list("pk", "user_id"))
        self.cadre_names = dict(Cadre.objects.values_list("pk", "name"))
        self.station_of_user = _scope_of(self.station_user, "station")
        self.demo_enterprise_id = _scope_of(self.enterprise_user, "enterprise")
        self.first_town = ctx.first_town
        stations = list(ServiceStation.objects.select_related("region"))
        self.station_by_park = {s.park_id: s for s in stations if s.park_id}
        self.station_by_code = {s.region.code: s for s in stations if not s.park_id}

    def in_first_town(self, enterprise) -> bool:
        return self.first_town is not None and enterprise.region.code.startswith(self.first_town.prefix)

    def station_for(self, enterprise):
        station = self.station_by_park.get(enterprise.park_id)
        code = enterprise.region.code
        for candidate in (code, code[:9] + "000", code[:6] + "000000"):
            station = station or self.station_by_code.get(candidate)
        return station

    def staff_for(self, enterprise):
        return self.townstaff if self.in_first_town(enterprise) and self.townstaff else self.orgstaff

    def moment(self, day: datetime.date, hour: int, minute: int) -> datetime.datetime:
        value = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        return min(value, self.now - datetime.timedelta(minutes=5))


def _scope_of(user, attr: str):
    if user is None:
        return None
    return RoleAssignment.objects.filter(user=user).values_list(attr, flat=True).first()


@register_step(name="liaison.appeals", label="问题诉求",
               after="liaison.pairings" if "liaison.pairings" in {s.name for s in registered_steps()} else None)
def seed_appeals(ctx: SeedContext) -> None:
    world = World(ctx)
    departments = _departments()
    world.member_of = _members(world, departments)
    plans = _plans(world)
    for plan in plans:
        _write_plan(world, plan, departments)
    _number(plans)
    appeals = Appeal.objects.bulk_create([p.appeal for p in plans], batch_size=ctx.scale.batch_size)
    events, escalations, links = [], [], []
    for plan, appeal in zip(plans, appeals, strict=True):
        for action, from_status, to_status, at, actor, note in sorted(plan.events, key=lambda e: e[3]):
            # An actor is a demo account, a name (a station, an enterprise without an account) or the night run.
            account = actor if hasattr(actor, "get_username") else None
            name = display_name(account) if account else (actor or "系统")
            events.append(AppealEvent(appeal=appeal, action=action, from_status=from_status, to_status=to_status,
                                      at=at, actor=account, actor_name=name[:150], note=note[:500]))
        for level, reason, on, at, days, cadre_ids in plan.escalations:
            escalations.append((AppealEscalation(appeal=appeal, level=level, reason=reason, escalated_on=on,
                                                 escalated_at=at, days_overdue=days), cadre_ids))
    AppealEvent.objects.bulk_create(events, batch_size=ctx.scale.batch_size)
    made = AppealEscalation.objects.bulk_create([e for e, _ids in escalations], batch_size=ctx.scale.batch_size)
    through = AppealEscalation.cadres.through
    for escalation, (_e, cadre_ids) in zip(made, escalations, strict=True):
        links.extend(through(appealescalation_id=escalation.pk, cadre_id=pk) for pk in cadre_ids)
    through.objects.bulk_create(links, batch_size=ctx.scale.batch_size)
    last = Counter()
    for plan in plans:
        year, n = plan.appeal.number[2:6], int(plan.appeal.number[7:])
        last[int(year)] = max(last[int(year)], n)
    AppealCounter.objects.bulk_create([AppealCounter(year=y, last=n) for y, n in sorted(last.items())])

    ctx.extra["liaison_appeals"] = {"appeals": appeals, "departments": departments}
    ctx.count("职能部门", len(departments))
    ctx.count("问题诉求", len(appeals))
    states = Counter(p.state for p in plans)
    for state in S:
        ctx.count(f"  {state.label}", states[state.value])
    ctx.count("  其中超期未办结", sum(1 for a in appeals if rules.is_overdue(a.status, a.deadline, world.today)))
    ctx.count("超期督办", len(made))
    ctx.count("满意度评价", sum(1 for a in appeals if a.satisfaction))


def _departments() -> dict[str, Department]:
    made = Department.objects.bulk_create([Department(name=name, short_name=short,
                                                      is_active=name != texts.RETIRED_DEPARTMENT)
                                           for name, short in texts.DEPARTMENTS])
    return {d.short_name: d for d in made}


# Who handles which department's appeals among the demo accounts (an assignee belongs to the department
# its appeal was handed to): the town staffer for the economy bureau's matters in its town, the
# organization department's staffer for the development bureau, the paired cadre for the finance bureau.
DEMO_MEMBERS = (("townstaff", "经信局"), ("orgstaff", "发改局"), ("cadre_user", "金融工作局"))


def _members(world: World, departments: dict[str, Department]) -> dict[int, str]:
    member_of = {}
    for attribute, short in DEMO_MEMBERS:
        user = getattr(world, attribute, None)
        if user is not None:
            departments[short].members.add(user)
            member_of[user.pk] = short
    return member_of


def _plans(world: World) -> list[Plan]:
    rng, ctx, plans = world.rng, world.ctx, []
    for enterprise in ctx.enterprises:
        if enterprise.pk == world.demo_enterprise_id:
            plans.extend(_demo_enterprise_plans(world, enterprise))
            continue
        if rng.random() >= (KEY_SHARE if enterprise.is_key else SHARE):
            continue
        for _n in range(rng.choice([1, 1, 2, 3]) if enterprise.is_key else rng.choice([1, 1, 1, 2])):
            state = _pick(rng, STATES)
            plans.append(Plan(enterprise, _pick(rng, CATEGORIES), state,
                              overdue=state in rules.OPEN_STATUSES and rng.random() < OVERDUE_SHARE))
    plans.extend(_demo_cadre_plans(world))
    by_pk = {e.pk: e for e in ctx.enterprises}
    town = [by_pk[p] for p in sorted(by_pk) if world.in_first_town(by_pk[p])][:6]
    for n, enterprise in enumerate(town):  # for townstaff's queues: two waiting, some assigned to it
        if n < 2:
            plans.append(Plan(enterprise, _pick(rng, CATEGORIES), S.RECEIVED, age=n + 1))
        elif world.townstaff is not None:
            plans.append(Plan(enterprise, _pick(rng, CATEGORIES), S.ASSIGNED, assignee=world.townstaff, age=3 + n))
    if ctx.enterprises and world.orgstaff is not None:
        plans.append(Plan(ctx.enterprises[-1], C.POLICY, S.IN_PROGRESS, assignee=world.orgstaff, age=4))
    return plans


def _demo_enterprise_plans(world: World, enterprise) -> list[Plan]:
    return [
        Plan(enterprise, C.FINANCING, S.RESOLVED, channel=AppealChannel.ONLINE, rated=False, age=9),
        Plan(enterprise, C.TALENT, S.CLOSED, channel=AppealChannel.ONLINE, rated=True, score=5, age=160),
        Plan(enterprise, C.PERMITS, S.IN_PROGRESS, channel=AppealChannel.STATION, age=5),
        Plan(enterprise, C.POLICY, S.RECEIVED, channel=AppealChannel.ONLINE, age=1),
    ]


def _demo_cadre_plans(world: World) -> list[Plan]:
    if world.demo_cadre is None:
        return []
    mine = [e for e in world.ctx.enterprises if world.demo_cadre.pk in world.paired.get(e.pk, ())
            and e.pk != world.demo_enterprise_id]
    if not mine:
        return []
    first, last = mine[0], mine[-1]
    return [
        # Ten days past its deadline: escalated at level 1, and at level 2 two days ago.
        Plan(first, C.LAND, S.IN_PROGRESS, overdue=True, age=rules.DEADLINE_DAYS[C.LAND] + 10),
        Plan(last, C.FINANCING, S.ASSIGNED, channel=AppealChannel.VISIT, assignee=world.cadre_user, age=6),
        Plan(first, C.TALENT, S.CLOSED, channel=AppealChannel.VISIT, rated=True, score=4, age=90),
    ]


def _age(world: World, plan: Plan) -> int:
    rng, days = world.rng, rules.DEADLINE_DAYS[plan.category]
    span = (world.today - FIRST_DAY).days
    if plan.age is not None:
        return plan.age
    if plan.state in (S.CLOSED, S.WITHDRAWN, S.DISMISSED):
        return rng.randint(min(20, span), span)
    if plan.state == S.RESOLVED:
        return rng.randint(days // 2 + 2, days + 20)
    if plan.state == S.RECEIVED:
        return rng.randint(days + 1, days + 25) if plan.overdue else rng.randint(0, rules.ASSIGN_WITHIN_DAYS)
    return rng.randint(days + 1, days + 40) if plan.overdue else rng.randint(1, max(1, days - 1))


def _channel(world: World, plan: Plan) -> tuple[str, object, object, object, str]:
    """(channel, station, visit, created_by, who raised it in words)."""
    rng, enterprise = world.rng, plan.enterprise
    channel = plan.channel
    cadres = world.paired.get(enterprise.pk, [])
    station = world.station_for(enterprise)
    if channel is None:
        roll = rng.random()
        if cadres and roll < 0.3:
            channel = AppealChannel.VISIT
        elif station is not None and roll < 0.6:
            channel = AppealChannel.STATION
        elif roll < 0.8:
            channel = AppealChannel.ONLINE
        else:
            channel = rng.choice([AppealChannel.PHONE, AppealChannel.WINDOW])
    if channel == AppealChannel.STATION and station is None:
        channel = AppealChannel.ONLINE
    if channel == AppealChannel.VISIT and not cadres:
        channel = AppealChannel.PHONE
    if channel == AppealChannel.STATION:
        by_user = station.pk == world.station_of_user
        return channel, station, None, world.station_user if by_user else None, station.name
    if channel == AppealChannel.VISIT:
        cadre_id = world.demo_cadre.pk if world.demo_cadre and world.demo_cadre.pk in cadres else rng.choice(cadres)
        visits = world.visits.get((cadre_id, enterprise.pk), [])
        user_id = world.cadre_users.get(cadre_id)
        creator = world.cadre_user if world.cadre_user is not None and user_id == world.cadre_user.pk else None
        return channel, None, visits[-1] if visits else None, creator, world.cadre_names[cadre_id]
    if channel == AppealChannel.ONLINE:
        own = enterprise.pk == world.demo_enterprise_id
        return channel, None, None, world.enterprise_user if own else None, enterprise.name
    staff = world.staff_for(enterprise)
    return channel, None, None, staff, staff.get_username() if staff else ""


def _write_plan(world: World, plan: Plan, departments: dict[str, Department]) -> None:
    rng, enterprise = world.rng, plan.enterprise
    received_on = world.today - datetime.timedelta(days=_age(world, plan))
    received_at = world.moment(received_on, rng.randint(8, 17), rng.randint(0, 59))
    channel, station, visit, creator, raised_by = _channel(world, plan)
    if visit is not None and visit.visited_on > received_on:
        visit = None
    title, description = rng.choice(texts.APPEALS[plan.category])
    appeal = Appeal(enterprise=enterprise, category=plan.category, platform=_pick(rng, PLATFORMS), channel=channel,
                    station=station, visit=visit, title=title, description=description, status=plan.state,
                    deadline=rules.default_deadline(plan.category, received_on), received_at=received_at,
                    created_by=creator)
    plan.appeal = appeal
    raiser = creator or raised_by  # a demo account, or who it was in words
    plan.events.append((A.SUBMIT, "", S.RECEIVED, received_at, raiser, ""))
    staff, status, moment = world.staff_for(enterprise), S.RECEIVED, received_at
    for step in STEPS[plan.state]:
        gap = datetime.timedelta(hours=rng.randint(2, 60))
        if step == A.RESOLVE:
            gap = datetime.timedelta(days=rng.randint(1, max(1, (appeal.deadline - moment.date()).days)),
                                     hours=rng.randint(0, 8))
        elif step == A.CLOSE:
            gap = datetime.timedelta(days=rng.randint(2, 12))
        moment = min(moment + gap, world.now - datetime.timedelta(minutes=4))
        setattr(appeal, AT[step], moment)
        new = rules.next_status(status, step)
        actor, note = staff, ""
        if step == A.ASSIGN:
            short = rng.choice(texts.DEPARTMENTS_BY_CATEGORY[plan.category])
            if received_on.year >= 2026 and short == "中小企业中心":
                short = "经信局"
            if plan.assignee is not None:  # handed to the department the assignee works for
                short = world.member_of[plan.assignee.pk]
            appeal.department = departments[short]
            appeal.assignee = plan.assignee
            note = "；".join(p for p in (appeal.department.name, rng.choice(texts.ASSIGN_NOTES)) if p)
        elif step in (A.START, A.RESOLVE):
            actor = appeal.assignee or staff
        if step == A.RESOLVE:
            appeal.resolution = rng.choice(texts.RESOLUTIONS[plan.category])
            note = appeal.resolution
        elif step == A.WITHDRAW:
            actor, note = raiser, rng.choice(texts.WITHDRAW_NOTES)
        elif step == A.DISMISS:
            note = rng.choice(texts.DISMISS_REASONS)
        plan.events.append((step, status, new, moment, actor, note))
        status = new
    appeal.version = 1 + len(STEPS[plan.state])
    if plan.state in rules.DONE_STATUSES:
        _rate(world, plan)
    if plan.state in rules.OPEN_STATUSES:
        _escalate(world, plan, received_on)


def _rate(world: World, plan: Plan) -> None:
    rng, appeal = world.rng, plan.appeal
    rated = plan.rated if plan.rated is not None else rng.random() < RATED_SHARE
    if not rated:
        return
    score = plan.score or _pick(rng, SCORES)
    comment = rng.choice(texts.POOR_COMMENTS if score <= 2 else texts.FAIR_COMMENTS if score == 3
                         else texts.GOOD_COMMENTS)
    rated_at = min(appeal.resolved_at + datetime.timedelta(days=rng.randint(1, 6)),
                   world.now - datetime.timedelta(minutes=3))
    by = world.enterprise_user if appeal.enterprise_id == world.demo_enterprise_id else \
        appeal.created_by if appeal.channel == AppealChannel.STATION else None
    appeal.satisfaction, appeal.satisfaction_comment, appeal.rated_at, appeal.rated_by = score, comment, rated_at, by
    appeal.version += 1
    plan.events.append((A.RATE, _status_at(plan, rated_at), _status_at(plan, rated_at), rated_at,
                        by or appeal.enterprise.name,
                        "；".join(p for p in (f"{score} 星", comment) if p)))


def _status_at(plan: Plan, at: datetime.datetime) -> str:
    """The appeal's status at a moment of its history, from the steps taken by then."""
    status = S.RECEIVED
    for action, _from, to_status, moment, _actor, _note in sorted(plan.events, key=lambda e: e[3]):
        if moment <= at and action in rules.TRANSITION_ACTIONS:
            status = to_status
    return status


def _escalate(world: World, plan: Plan, received_on: datetime.date) -> None:
    """The escalations the nightly run made up to yesterday."""
    appeal = plan.appeal
    yesterday = world.today - datetime.timedelta(days=1)
    late = rules.lateness(appeal.status, appeal.deadline, received_on, yesterday)
    if late is None:
        return
    first_late_day = yesterday - datetime.timedelta(days=late.days - 1)
    cadres = world.paired.get(appeal.enterprise_id, [])
    for level in range(1, late.level + 1):
        on = first_late_day + datetime.timedelta(days=0 if level == 1 else rules.LEVEL_2_AFTER_DAYS)
        at = world.moment(on, 1, 30)
        days = (on - first_late_day).days + 1
        to = list(cadres)
        if level == 2 and world.secretary is not None and world.secretary.pk not in to:
            to.append(world.secretary.pk)
        plan.escalations.append((level, late.reason, on, at, days, to))
        reason = "超过办理期限" if late.reason == "overdue" else "受理后未按时交办"
        status = _status_at(plan, at)
        plan.events.append((A.ESCALATE, status, status, at, None,
                            f"{'一' if level == 1 else '二'}级督办：{reason} {days} 天；督办：结对领导、组织部（两新工委）"))
        appeal.escalation_level, appeal.escalated_at = level, at


def _number(plans: list[Plan]) -> None:
    """SQ<year>-<n>, in order of receipt within each year."""
    serial = Counter()
    for plan in sorted(plans, key=lambda p: (p.appeal.received_at, p.enterprise.pk)):
        year = timezone.localtime(plan.appeal.received_at).year
        serial[year] += 1
        plan.appeal.number = f"SQ{year}-{serial[year]:06d}"
