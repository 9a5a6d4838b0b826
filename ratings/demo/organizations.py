"""The `ratings.organizations` step: Party organizations, joint branches and instructors."""

from __future__ import annotations

import datetime
from collections import defaultdict

from portal.choices import EnterpriseKind
from portal.demo import register_step

from ..models import InstructorAssignment, OrgCoverage, PartyOrganization
from .common import (
    CITY_ENTERPRISES,
    COVERABLE_FOUNDED_BY,
    DAY,
    FOUNDED_FIRST,
    FOUNDED_LAST,
    GRADUATES,
    INSTRUCTOR_SHARE,
    JOINT_BRANCHES,
    LEAVERS,
    LEGAL_SECRETARY_SHARE,
    MEMBERS,
    OWN_SHARE,
    SMALL_FIRM,
    OrgKind,
    Person,
    PersonMaker,
    RegionLevel,
    SeedContext,
    _between,
    _cn_number,
    _demo_enterprise,
    _town_of,
    _weight,
)


@register_step(name="ratings.organizations", label="党组织与两个覆盖")
def seed_organizations(ctx: SeedContext) -> None:
    rng = ctx.rng
    factor = ctx.scale.enterprises / CITY_ENTERPRISES
    persons = PersonMaker(ctx, rng)
    demo_enterprise = _demo_enterprise(ctx)

    # Own organizations: a weighted draw without replacement (Efraimidis–Spirakis keys).
    private = [e for e in ctx.enterprises if e.kind == EnterpriseKind.PRIVATE]
    eligible = [e for e in private if e.founded_on <= COVERABLE_FOUNDED_BY]
    keys = [rng.random() ** (1 / _weight(e)) for e in eligible]
    drawn = [e for _k, _i, e in sorted(zip(keys, range(len(eligible)), eligible, strict=True), reverse=True)]
    own = drawn[: round(OWN_SHARE * len(private))]
    if demo_enterprise is not None and demo_enterprise not in own:
        own = [*own[:-1], demo_enterprise] if own else [demo_enterprise]
    by_size = sorted(own, key=lambda e: (-e.employees, e.uscc))
    committees = round(0.03 * len(own))
    generals = round(0.12 * len(own))
    kind_of = {e.pk: OrgKind.COMMITTEE if i < committees else OrgKind.GENERAL_BRANCH if i < committees + generals
               else OrgKind.BRANCH for i, e in enumerate(by_size)}
    suffix = {OrgKind.COMMITTEE: "党委", OrgKind.GENERAL_BRANCH: "党总支", OrgKind.BRANCH: "党支部"}

    organizations: list[PartyOrganization] = []
    info: dict[int, dict] = {}  # id(org) -> {"enterprise", "town"}: what the ratings step needs
    coverages: list[tuple[PartyOrganization, object, datetime.date, datetime.date | None]] = []
    own_set = {e.pk for e in own}
    for enterprise in own:
        kind = kind_of[enterprise.pk]
        low, high = MEMBERS[kind]
        founded = _between(rng, max(FOUNDED_FIRST, enterprise.founded_on + 180 * DAY), FOUNDED_LAST)
        if rng.random() < LEGAL_SECRETARY_SHARE:
            secretary = enterprise.legal_representative
        else:
            secretary = persons.make(1963, 1990)
        org = PartyOrganization(
            name=f"{enterprise.name}{suffix[kind]}", kind=kind, region=enterprise.region, secretary=secretary,
            member_count=rng.randint(low, max(low, min(high, enterprise.employees))), founded_on=founded,
        )
        organizations.append(org)
        info[id(org)] = {"enterprise": enterprise, "town": _town_of(enterprise)}
        coverages.append((org, enterprise, founded, None))

    # Joint branches: small firms of one town, gathered round a village where they can be.
    available: dict[int, list] = defaultdict(list)
    towns = {}
    for e in ctx.enterprises:
        town = _town_of(e)
        if (town is not None and e.kind == EnterpriseKind.PRIVATE and e.pk not in own_set
                and e.employees <= SMALL_FIRM and e.founded_on <= COVERABLE_FOUNDED_BY):
            available[town.pk].append(e)
            towns[town.pk] = town
    joints: list[PartyOrganization] = []
    names: set[str] = set()
    numbered: dict[int, int] = defaultdict(int)
    for _n in range(round(JOINT_BRANCHES * factor)):
        open_towns = [pk for pk in sorted(available) if len(available[pk]) >= 3]
        if not open_towns:
            break
        town = towns[rng.choices(open_towns, weights=[len(available[pk]) for pk in open_towns])[0]]
        pool = available[town.pk]
        anchor = rng.choice(pool)
        size = min(rng.randint(3, 6), len(pool))
        same_place = [e for e in pool if e.region is anchor.region and e is not anchor]
        members = [anchor, *rng.sample(same_place, min(size - 1, len(same_place)))]
        taken = {id(m) for m in members}  # by identity: Model.__eq__ is slow over a province's pools
        members += rng.sample([e for e in pool if id(e) not in taken], size - len(members))
        taken = {id(m) for m in members}
        available[town.pk] = [e for e in pool if id(e) not in taken]
        name = f"{town.name}{anchor.region.name}非公企业联合党支部"
        if anchor.region.level != RegionLevel.VILLAGE or name in names or any(m.region is not anchor.region
                                                                             for m in members):
            numbered[town.pk] += 1
            name = f"{town.name}非公企业第{_cn_number(numbered[town.pk])}联合党支部"
        names.add(name)
        low, high = MEMBERS[OrgKind.JOINT_BRANCH]
        founded = _between(rng, max(FOUNDED_FIRST, max(m.founded_on for m in members) + 90 * DAY), FOUNDED_LAST)
        org = PartyOrganization(name=name, kind=OrgKind.JOINT_BRANCH, region=town, secretary=persons.make(1965, 1990),
                                member_count=rng.randint(low, high), founded_on=founded)
        joints.append(org)
        info[id(org)] = {"enterprise": None, "town": town}
        for member in members:
            started = founded
            if rng.random() < 0.25:  # joined after the branch was set up
                started = _between(rng, founded + 180 * DAY, min(founded + 1500 * DAY, datetime.date(2024, 12, 31)))
            coverages.append((org, member, started, None))
    organizations += joints

    # Coverage history: firms that grew out of a joint branch into their own organization, and firms
    # that left one and have none now.
    joints_of_town = defaultdict(list)
    for joint in joints:
        joints_of_town[joint.region.pk].append(joint)
    own_orgs = {info[id(o)]["enterprise"].pk: o for o in organizations if info[id(o)]["enterprise"] is not None}
    graduates = [
        (own_orgs[e.pk], e, earlier) for e in own
        if kind_of[e.pk] == OrgKind.BRANCH and (town := _town_of(e)) is not None
        and (earlier := [j for j in joints_of_town[town.pk] if j.founded_on <= own_orgs[e.pk].founded_on - 400 * DAY])
    ]
    for org, enterprise, earlier in rng.sample(graduates, min(round(GRADUATES * factor), len(graduates))):
        joint = rng.choice(earlier)
        coverages.append((joint, enterprise, max(joint.founded_on, enterprise.founded_on), org.founded_on - DAY))
    left_on = {}
    for _n in range(round(LEAVERS * factor)):
        candidates = [j for j in joints if available[j.region.pk]]
        if not candidates:
            break
        joint = rng.choice(candidates)
        enterprise = rng.choice(available[joint.region.pk])
        available[joint.region.pk].remove(enterprise)
        started = max(joint.founded_on, enterprise.founded_on)
        ended = _between(rng, max(started + 365 * DAY, datetime.date(2020, 1, 1)), datetime.date(2024, 12, 31))
        coverages.append((joint, enterprise, started, ended))
        left_on[enterprise.pk] = ended

    # Work coverage: an instructor for some of the enterprises with no organization, each instructor
    # serving one to three firms of a town.
    covered = {e.pk for _o, e, _s, ended in coverages if ended is None}
    uncovered = [e for e in ctx.enterprises if e.pk not in covered]
    chosen = {e.pk for e in rng.sample(uncovered, round(INSTRUCTOR_SHARE * len(uncovered)))}
    instructors, load = {}, {}
    assignments = []
    for enterprise in uncovered:
        if enterprise.pk not in chosen:
            continue
        town = _town_of(enterprise)
        key = town.pk if town is not None else 0
        if key not in instructors or load[key] <= 0:
            instructors[key], load[key] = persons.make(1968, 1995), rng.randint(1, 3)
        load[key] -= 1
        free_since = max(enterprise.founded_on, left_on.get(enterprise.pk, enterprise.founded_on)) + 30 * DAY
        started = max(_between(rng, datetime.date(2016, 6, 1), datetime.date(2025, 6, 30)), free_since)
        assignments.append(InstructorAssignment(instructor=instructors[key], enterprise=enterprise, started_on=started))

    Person.objects.bulk_create(persons.pending, batch_size=ctx.scale.batch_size)
    PartyOrganization.objects.bulk_create(organizations, batch_size=ctx.scale.batch_size)
    OrgCoverage.objects.bulk_create(
        [OrgCoverage(organization=o, enterprise=e, started_on=s, ended_on=end) for o, e, s, end in coverages],
        batch_size=ctx.scale.batch_size,
    )
    InstructorAssignment.objects.bulk_create(assignments, batch_size=ctx.scale.batch_size)

    organization_of = {e.pk: o for o, e, _s, ended in coverages if ended is None}
    ctx.extra["ratings"] = {
        "organizations": organizations,
        "organization_info": {o.pk: info[id(o)] for o in organizations},
        "organization_of": organization_of,  # enterprise id -> its current organization
        "demo_enterprise": demo_enterprise,
        "demo_organization": organization_of.get(demo_enterprise.pk) if demo_enterprise else None,
    }
    kinds = defaultdict(int)
    for org in organizations:
        kinds[org.kind] += 1
    ctx.count("党组织", len(organizations))
    ctx.count("  党委", kinds[OrgKind.COMMITTEE])
    ctx.count("  党总支", kinds[OrgKind.GENERAL_BRANCH])
    ctx.count("  党支部", kinds[OrgKind.BRANCH])
    ctx.count("  联合党支部", kinds[OrgKind.JOINT_BRANCH])
    ctx.count("组织覆盖企业", len(covered))
    ctx.count("工作覆盖企业（党建指导员）", len(assignments))
    ctx.count("  党建指导员", len({id(a.instructor) for a in assignments}))


# --- step 2: the rubric, the cycles and the ratings ----------------------------------------------
