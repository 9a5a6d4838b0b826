"""One mechanism decides what a user may see and do: `Model.objects.restrict(user, action)`.

Each restricted model declares `access_scope(assignment, action)`, returning a `Q` for the rows that
one role assignment reaches (`Q()` for all of them) or `None` when that role has no such right.
A user's rows are the union over the user's assignments. HTML views, API views and selectors all
start from `restrict()`, so none of them can forget the scope, and a row outside it is simply not
found (404), never shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db import models
from django.db.models import Q

from .choices import Role

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
UNMASK = "unmask"
IMPORT = "import"

_CACHE_ATTR = "_portal_role_assignments"


def user_assignments(user) -> list:
    """The user's role assignments, fetched once per user object (i.e. once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        # Through the app registry, not an import: the models build on this module (their querysets
        # and scopes), so this module must not build on them.
        RoleAssignment = apps.get_model("portal", "RoleAssignment")  # noqa: N806
        cached = list(
            RoleAssignment.objects.filter(user=user).select_related("region", "station__region", "station__park")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_assignments(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def user_roles(user) -> set[str]:
    return {a.role for a in user_assignments(user)}


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def scope_q(model, user, action: str) -> Q | None:
    """The union of what the user's assignments reach on `model`, or None if none reaches anything."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    parts: list[Q] = []
    for assignment in user_assignments(user):
        q = model.access_scope(assignment, action)
        if q is None:
            continue
        if not q:  # Q() is "everything": no need to look further.
            return Q()
        parts.append(q)
    if not parts:
        return None
    combined = parts[0]
    for q in parts[1:]:
        combined |= q
    return combined


def can(user, model, action: str) -> bool:
    """Whether the user may perform `action` on at least some rows of `model`."""
    return scope_q(model, user, action) is not None


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW):
        q = scope_q(self.model, user, action)
        if q is None:
            return self.none()
        if not q:
            return self
        return self.filter(q)


def roles_q(assignment, roles: Iterable[str]) -> Q | None:
    """`Q()` (everything) when the assignment's role is one of `roles`, else None."""
    return Q() if assignment.role in set(roles) else None


ALL_ROLES = tuple(Role.values)


def reference_data_scope(assignment, action: str) -> Q | None:
    """Reference data (regions, parks, institutions, stations): every role reads it, only the
    organization department maintains it."""
    if action == VIEW:
        return Q() if assignment.role in ALL_ROLES else None
    if action == CHANGE:
        return Q() if assignment.role == Role.ORG_STAFF else None
    return None
