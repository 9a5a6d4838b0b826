"""What a list's filters offer a user: only the banks and insurers the user may see or use.

A filter is a list of choices; offering a bank officer every bank shows it things its lists never
hold. The lists' FilterSets narrow their choices here; a choice outside them is refused like any
invalid choice. (Places: portal.filtersets.regions_for_filter, for every list.)"""

from __future__ import annotations

from django.db.models import QuerySet

from .access import user_assignments
from .choices import Role
from .models import Institution

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


class ScopedChoicesMixin:
    """For a FilterSet: its `bank` and `insurer` filters offer only what the requesting user may see
    (above), on the page and in the API alike. Without a request (a FilterSet used outside a page) the
    choices stay whole. The region filters are narrowed for every list by
    portal.filtersets.scope_filter_choices."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(getattr(self, "request", None), "user", None)
        if user is None or not user.is_authenticated:
            return
        for name, kind in (("bank", "bank"), ("insurer", "insurer")):
            if name in self.filters:
                self.filters[name].queryset = institution_choices(user, kind)
