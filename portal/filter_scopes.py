"""What a list's filters offer a user: only the banks, insurers and places the user may see or use.

A filter is a list of choices; offering a bank officer every bank, or a town's staff every town of
the city, shows it things its lists never hold. The lists' FilterSets narrow their choices here; a
choice outside them is refused like any invalid choice."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .access import user_assignments
from .choices import Role
from .models import Enterprise, Institution, Region

OWN_INSTITUTION_ROLE = {"bank": Role.BANK_OFFICER, "insurer": Role.INSURER_OFFICER}


def institution_choices(user, kind: str) -> QuerySet:
    """The banks (`kind` "bank") or insurers a filter offers: an officer of one its own only; every
    other role all of them (a station or the registry's staff see the business of every one)."""
    institutions = Institution.objects.filter(kind=kind).order_by("code")
    assignments = user_assignments(user)
    role = OWN_INSTITUTION_ROLE[kind]
    own = {a.institution_id for a in assignments if a.role == role and a.institution_id}
    if own and all(a.role == role for a in assignments):
        return institutions.filter(pk__in=own)
    return institutions


def region_choices(user, regions: QuerySet) -> QuerySet:
    """`regions` narrowed to the places a region filter offers the user: a town's staff its own town
    and below, a station its area (a park station the places of the park's enterprises), an enterprise
    its own place; roles that see every region (the department, leaders, banks, insurers) all."""
    if getattr(user, "is_superuser", False):
        return regions
    area = Q(pk__in=[])
    for assignment in user_assignments(user):
        if assignment.role == Role.TOWN_STAFF and assignment.region_id:
            area |= Q(code__startswith=assignment.region.prefix)
        elif assignment.role == Role.STATION_OPERATOR and assignment.station_id:
            station = assignment.station
            if station.park_id:
                places = Region.objects.filter(pk__in=Enterprise.objects.filter(park_id=station.park_id)
                                               .values("region_id"))
                area |= Q(pk__in=places.values("pk")) | Q(pk__in=places.values("parent_id"))
            else:
                area |= Q(code__startswith=station.region.prefix)
        elif assignment.role == Role.ENTERPRISE_USER and assignment.enterprise_id:
            area |= Q(pk__in=Enterprise.objects.filter(pk=assignment.enterprise_id).values("region_id"))
        else:
            return regions
    return regions.filter(area)


class ScopedChoicesMixin:
    """For a FilterSet: its `bank`, `insurer` and `region` filters offer only what the requesting user
    may see (above). Without a request (a FilterSet used outside a page) the choices stay whole."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(getattr(self, "request", None), "user", None)
        if user is None or not user.is_authenticated:
            return
        for name, kind in (("bank", "bank"), ("insurer", "insurer")):
            if name in self.filters:
                self.filters[name].queryset = institution_choices(user, kind)
        if "region" in self.filters:
            self.filters["region"].queryset = region_choices(user, self.filters["region"].queryset)
