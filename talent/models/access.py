"""Who reaches what in the talent programme.

Two kinds of rows:
- *Personal* rows (talents, their benefit applications) carry a person's name, ID number and mobile:
  the organization department and leaders read all of them, town staff those of employers in their
  region, a station those of employers in its area, an enterprise user its own talents'. Banks,
  insurers, cadres and the administrator have no business with them and get none (403).
- *Programme* rows (policy items, incubation bases, co-built projects, IP actions, training
  sessions, 科创中国 registrations) are city-wide facts of the programme: every role that works on it
  reads them (staff, stations, cadres, leaders); an enterprise user reads the policy items and bases,
  and of the records that name enterprises only those its own enterprise took part in. Banks,
  insurers and the administrator: none.
Only the organization department changes any of them; stations and enterprise users take part in a
benefit application's steps, and which step each may take is the services' rule (rules.ACTORS).
"""

from __future__ import annotations

from django.db.models import Q

from portal.access import CHANGE, VIEW
from portal.choices import Role
from portal.models.enterprises import _enterprise_scope

TALENT_READERS = frozenset({Role.ORG_STAFF, Role.LEADER, Role.TOWN_STAFF, Role.STATION_OPERATOR,
                            Role.ENTERPRISE_USER})
PROGRAMME_READERS = frozenset({Role.ORG_STAFF, Role.LEADER, Role.TOWN_STAFF, Role.STATION_OPERATOR,
                               Role.ENTERPRISE_USER, Role.CADRE})


def personal_scope(assignment, action, prefix: str) -> Q | None:
    """Rows about a talent, reached through the employer at `prefix` ("employer__", "enterprise__")."""
    role = assignment.role
    if action == VIEW:
        # _enterprise_scope may learn of more roles (a cadre's paired enterprises): a talent's personal
        # data stays with the roles named here.
        if role not in TALENT_READERS:
            return None
        return _enterprise_scope(assignment, VIEW, prefix)
    if action == CHANGE:
        return Q() if role == Role.ORG_STAFF else None
    return None


def programme_scope(assignment, action, *, own_q=None) -> Q | None:
    """Programme rows. `own_q(enterprise_id)` narrows an enterprise user to the rows of its own
    enterprise; without it the enterprise user reads them all (policy items, bases)."""
    role = assignment.role
    if action == VIEW:
        if role not in PROGRAMME_READERS:
            return None
        if role == Role.ENTERPRISE_USER and own_q is not None:
            return own_q(assignment.enterprise_id) if assignment.enterprise_id else None
        return Q()
    if action == CHANGE:
        return Q() if role == Role.ORG_STAFF else None
    return None


def took_part_q(model, enterprise_id: int) -> Q:
    """Rows of `model` whose `enterprises` include this one, without joining (so no duplicates when a
    user's assignments are OR-ed together)."""
    through = model.enterprises.through
    own_fk = next(f.attname for f in through._meta.concrete_fields if f.related_model is model)
    return Q(pk__in=through.objects.filter(enterprise_id=enterprise_id).values(own_fk))
