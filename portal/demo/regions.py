"""The city, its towns and streets, their villages and communities, and the two industrial parks.

Codes follow the 12-digit statistical division codes: the city 510799000000, a town 510799TTT000, a
village 510799TTTVVV. Streets take TTT 001–099 and towns 101 on; communities take VVV 001–199 and
villages 201 on (GB/T 10114's ranges for residents' and villagers' committees).
"""

from __future__ import annotations

import random

from portal.choices import RegionKind, RegionLevel
from portal.models import Park, Region
from portal.rules import check_region_code

from .context import SeedContext
from .names import (
    CITY_CODE,
    CITY_NAME,
    CITY_TOWNS,
    COMMUNITY_NAMES,
    PARKS,
    ROADS,
    TOWN_FIRST,
    TOWN_SECOND,
    VILLAGE_NAMES,
)

VILLAGES_PER_TOWN = (9, 12)  # under a 镇
COMMUNITIES_PER_STREET = (7, 11)  # under a 街道
MAX_STREETS = 99  # street codes 001–099


def town_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(name, kind) for `count` towns and streets: the city's own fifteen, then made-up ones, about
    a third of them streets."""
    towns = list(CITY_TOWNS[:count])
    taken = {name[:2] for name, _kind in towns}
    pairs = [a + b for a in TOWN_FIRST for b in TOWN_SECOND if a != b and a + b not in taken]
    rng.shuffle(pairs)
    streets = sum(kind == "street" for _name, kind in towns)
    for stem in pairs[: max(0, count - len(towns))]:
        is_street = streets < MAX_STREETS and rng.random() < 1 / 3
        streets += is_street
        towns.append((stem + ("街道" if is_street else "镇"), "street" if is_street else "town"))
    return towns


def town_codes(towns: list[tuple[str, str]]) -> list[str]:
    next_street, next_town, codes = 1, 101, []
    for _name, kind in towns:
        if kind == "street":
            number, next_street = next_street, next_street + 1
        else:
            number, next_town = next_town, next_town + 1
        if number > 999:
            raise ValueError("too many towns for one city code")
        codes.append(f"{CITY_CODE[:6]}{number:03d}000")
    return codes


def village_plan(rng: random.Random, town_code: str, kind: str) -> list[tuple[str, str, str]]:
    """(code, name, kind) of the villages (under a town) or communities (under a street)."""
    if kind == "street":
        names = rng.sample(COMMUNITY_NAMES, rng.randint(*COMMUNITIES_PER_STREET))
        return [(f"{town_code[:9]}{i:03d}", n + "社区", RegionKind.COMMUNITY) for i, n in enumerate(names, 1)]
    names = rng.sample(VILLAGE_NAMES, rng.randint(*VILLAGES_PER_TOWN))
    return [(f"{town_code[:9]}{200 + i:03d}", n + "村", RegionKind.VILLAGE) for i, n in enumerate(names, 1)]


def _checked(region: Region, parent: Region | None) -> Region:
    problem = check_region_code(
        region.code, region.level, parent.code if parent else None, parent.level if parent else None
    )
    if problem:
        raise ValueError(f"{region.name} {region.code}: {problem}")
    return region


def seed_regions(ctx: SeedContext) -> None:
    rng = ctx.rng
    city = _checked(Region(code=CITY_CODE, name=CITY_NAME, level=RegionLevel.CITY, kind=RegionKind.CITY), None)
    city.save()

    towns = town_names(rng, ctx.scale.towns)
    town_objs = [
        _checked(Region(code=code, name=name, level=RegionLevel.TOWN, kind=kind, parent=city), city)
        for (name, kind), code in zip(towns, town_codes(towns), strict=True)
    ]
    town_objs = Region.objects.bulk_create(town_objs, batch_size=ctx.scale.batch_size)

    villages = []
    for town in town_objs:
        for code, name, kind in village_plan(rng, town.code, town.kind):
            villages.append(
                _checked(Region(code=code, name=name, level=RegionLevel.VILLAGE, kind=kind, parent=town), town)
            )
    villages = Region.objects.bulk_create(villages, batch_size=ctx.scale.batch_size)

    ctx.city = city
    ctx.towns = sorted(town_objs, key=lambda r: r.code)
    ctx.villages = sorted(villages, key=lambda r: r.code)
    ctx.first_town = town_objs[0]

    by_name = {t.name: t for t in town_objs}
    parks = []
    for code, name, town_name, roads in PARKS:
        town = by_name[town_name]
        parks.append(
            Park(code=code, name=name, region=town,
                 address=f"{CITY_NAME}{town.name}{rng.choice(roads)}{rng.randint(1, 99)}号")
        )
    ctx.parks = Park.objects.bulk_create(parks)

    ctx.count("镇（街道）", len(town_objs))
    ctx.count("村（社区）", len(villages))
    ctx.count("工业园区", len(ctx.parks))


def street_address(rng: random.Random, region: Region) -> str:
    """A plausible address in a region: a group (组) in a village, a street number elsewhere."""
    if region.kind == RegionKind.VILLAGE:
        return f"{CITY_NAME}{region.parent.name}{region.name}{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
    if region.level == RegionLevel.VILLAGE:
        place = region.parent.name + region.name
    elif region.level == RegionLevel.TOWN:
        place = region.name
    else:
        place = ""
    return f"{CITY_NAME}{place}{rng.choice(ROADS)}{rng.randint(1, 399)}号"
