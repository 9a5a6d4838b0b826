"""What a set of figures is about: the day they are as of, the period that ends on it, and the part of
the city (a region and the areas one level below it that the figures are broken down by)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

# The 4★+5★ series starts with the first published cycle of the scheme.
FIRST_YEAR = 2019


@dataclass(frozen=True)
class Scope:
    """The day (`as_of`), the first day of the period (`since`, at most `as_of`), the region (None: all
    the user sees) and the areas the region divides into (its towns, or a town's villages)."""

    as_of: datetime.date
    since: datetime.date
    region: object | None = None
    root: object | None = None
    areas: list = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return self.region.prefix if self.region is not None else ""

    @property
    def width(self) -> int:
        """How many leading characters of a region code name the area it lies in."""
        if self.areas:
            return len(self.areas[0].prefix)
        return len(self.root.prefix) if self.root is not None else 9

    @property
    def years(self) -> list[int]:
        return list(range(FIRST_YEAR, self.as_of.year + 1))


def year_start(day: datetime.date) -> datetime.date:
    return day.replace(month=1, day=1)


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """This year so far: the dashboards' period when none is chosen."""
    today = today or timezone.localdate()
    return year_start(today), today


def build_scope(*, user, as_of: datetime.date, since: datetime.date | None = None, region=None) -> Scope:
    """The scope for `user`: the region's areas come from the registry (two queries at most)."""
    from portal.selectors import region_list

    since = since or year_start(as_of)
    regions = region_list(user=user)
    root = region
    if root is None:
        root = regions.filter(parent__isnull=True).order_by("code").first()
    areas = list(regions.filter(parent=root).order_by("code")) if root is not None else []
    return Scope(as_of=as_of, since=min(since, as_of), region=region, root=root, areas=areas)
