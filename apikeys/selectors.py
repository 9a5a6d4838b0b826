"""Reads of the key administration: who manages which institution's keys, and those keys.

Keys are not registry data reached through a role (`restrict()`): an institution's keys belong to
the people the system administrator named its key administrators, and to the system administrator.
A key administrator must also still be an officer of that institution: someone who moved to
another bank loses its keys with its role, even before the administrator removes the row."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from portal.access import has_role, user_assignments
from portal.choices import Role
from portal.models import Institution

from .models import InstitutionAPIKey, KeyAdministrator, LegacyTokenPolicy

OFFICER_ROLES = (Role.BANK_OFFICER, Role.INSURER_OFFICER)


def is_system_administrator(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser) or has_role(user, Role.ADMIN)


def managed_institutions(user) -> QuerySet[Institution]:
    """The institutions whose keys the user may manage: all of them for the system administrator."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Institution.objects.none()
    if is_system_administrator(user):
        return Institution.objects.all()
    officer_of = [a.institution_id for a in user_assignments(user) if a.role in OFFICER_ROLES and a.institution_id]
    if not officer_of:
        return Institution.objects.none()
    named = KeyAdministrator.objects.filter(user=user).values("institution_id")
    return Institution.objects.filter(pk__in=named).filter(pk__in=officer_of)


def can_manage_keys(user) -> bool:
    return managed_institutions(user).exists()


def api_key_list(*, user, institution: Institution | None = None) -> QuerySet[InstitutionAPIKey]:
    keys = InstitutionAPIKey.objects.filter(institution__in=managed_institutions(user)).select_related(
        "institution", "created_by", "revoked_by", "replaced_by").order_by("institution__kind", "institution__code",
                                                                            "revoked", "-created")
    if institution is not None:
        keys = keys.filter(institution=institution)
    return keys


def access_api_key(*, user, prefix: str) -> InstitutionAPIKey:
    """The key with this prefix if the user manages its institution; otherwise not found."""
    key = api_key_list(user=user).filter(prefix=prefix).first()
    if key is None:
        raise Http404
    return key


def legacy_token_policy() -> LegacyTokenPolicy:
    return LegacyTokenPolicy.current()


def legacy_token_holders(*, user) -> list:
    """The legacy tokens still issued, for the system administrator; those of the managed
    institutions' officers for a key administrator."""
    from rest_framework.authtoken.models import Token

    tokens = Token.objects.select_related("user").order_by("created")
    if not is_system_administrator(user):
        institutions = managed_institutions(user)
        tokens = tokens.filter(user__role_assignments__institution__in=institutions).distinct()
    return list(tokens)
