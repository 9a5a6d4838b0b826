"""Financial service stations (金融服务站): one at the city's Party-mass service centre, one per town
or street, one per park, and the rest in villages and communities (120 in all at city scale)."""

from __future__ import annotations

from portal.choices import StationHost, StationLevel
from portal.models import ServiceStation

from .context import SeedContext
from .institutions import office_phone
from .names import CITY_NAME
from .regions import street_address

CENTRE = "党群服务中心"
SUFFIX = "金融服务站"


def village_station_count(ctx: SeedContext) -> int:
    fixed = 1 + len(ctx.towns) + len(ctx.parks)
    if ctx.scale.stations is not None:
        wanted = ctx.scale.stations - fixed
        if not 0 <= wanted <= len(ctx.villages):
            raise ValueError(f"{ctx.scale.stations} stations do not fit {len(ctx.villages)} villages")
        return wanted
    return round(len(ctx.villages) * ctx.scale.village_station_share)


def seed_stations(ctx: SeedContext) -> None:
    rng = ctx.rng
    stations = [
        ServiceStation(
            code=f"FS{ctx.city.code}", name=f"{CITY_NAME}{CENTRE}{SUFFIX}", level=StationLevel.CITY,
            host=StationHost.SERVICE_CENTRE, region=ctx.city, address=street_address(rng, ctx.city),
        )
    ]
    for town in ctx.towns:
        stations.append(
            ServiceStation(
                code=f"FS{town.code}", name=f"{town.name}{CENTRE}{SUFFIX}", level=StationLevel.TOWN,
                host=StationHost.SERVICE_CENTRE, region=town, address=street_address(rng, town),
            )
        )
    for park in ctx.parks:
        # A park station serves the park's firms (by park, not by area). Its region is the city, and
        # its level follows its region (as in tests/conftest.py), so level and region never disagree.
        stations.append(
            ServiceStation(
                code=f"FS{park.code}", name=f"{park.name}{CENTRE}{SUFFIX}", level=StationLevel.CITY,
                host=StationHost.PARK, region=ctx.city, park=park, address=park.address,
            )
        )
    chosen = sorted(rng.sample(ctx.villages, village_station_count(ctx)), key=lambda v: v.code)
    for village in chosen:
        stations.append(
            ServiceStation(
                code=f"FS{village.code}", name=f"{village.parent.name}{village.name}{CENTRE}{SUFFIX}",
                level=StationLevel.VILLAGE, host=StationHost.SERVICE_CENTRE, region=village,
                address=street_address(rng, village),
            )
        )
    for station in stations:
        station.phone = office_phone(rng)
    ctx.stations = ServiceStation.objects.bulk_create(stations, batch_size=ctx.scale.batch_size)
    by_level = {level: sum(s.level == level for s in ctx.stations) for level in StationLevel.values}
    ctx.count("金融服务站", len(ctx.stations))
    ctx.count("  市级（含园区站）", by_level[StationLevel.CITY])
    ctx.count("  镇级", by_level[StationLevel.TOWN])
    ctx.count("  村级", by_level[StationLevel.VILLAGE])
