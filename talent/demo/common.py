"""What the talent demo steps share."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from portal.models import RoleAssignment


def between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def aware(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A working-hours moment of the day, in the city's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(9, 17), rng.randint(0, 59))))


def pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def assignment_of(user, field: str):
    if user is None:
        return None
    return RoleAssignment.objects.filter(user=user).values_list(field, flat=True).first()


def demo_enterprise(ctx):
    pk = assignment_of(ctx.users.get("enterprise"), "enterprise")
    return next((e for e in ctx.enterprises if e.pk == pk), None)


def stations_by_enterprise(ctx, enterprises) -> dict:
    """The station whose area holds each enterprise: its park's, else its village's, town's or the city's
    (the same areas as ServiceStation.enterprise_q)."""
    by_park = {s.park_id: s for s in ctx.stations if s.park_id}
    by_region = {s.region.code: s for s in ctx.stations if not s.park_id}
    found = {}
    for enterprise in enterprises:
        station = by_park.get(enterprise.park_id) if enterprise.park_id else None
        code = enterprise.region.code
        for candidate in (code, code[:9] + "000", code[:6] + "000000"):
            station = station or by_region.get(candidate)
        if station is not None:
            found[enterprise.pk] = station
    return found
