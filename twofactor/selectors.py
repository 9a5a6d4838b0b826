"""Reading the second factor's state: whether a user must pass it, what they have enrolled, and the
administrator's list of accounts."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.access import user_roles

from . import rules
from .models import RecoveryCode, RecoveryCodeDevice


def required_roles() -> frozenset[str]:
    return frozenset(settings.PORTAL_SECOND_FACTOR_ROLES)


def second_factor_required(user) -> bool:
    """Whether the user's roles (or staff flag) make the second factor compulsory."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return rules.second_factor_required(
        roles=user_roles(user), is_staff=user.is_staff, is_superuser=user.is_superuser,
        required_roles=required_roles(), staff_required=settings.PORTAL_SECOND_FACTOR_FOR_STAFF,
    )


def authenticator_get(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any (the portal keeps one per user)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def recovery_device_get(user) -> RecoveryCodeDevice | None:
    return RecoveryCodeDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_needed(user) -> bool:
    """Whether this user's sign-in must pass the second factor before anything else is served."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if second_factor_required(user):
        return True
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@dataclass(frozen=True)
class SecondFactorStatus:
    required: bool
    device: TOTPDevice | None
    recovery_left: int

    @property
    def enrolled(self) -> bool:
        return self.device is not None

    @property
    def may_turn_off(self) -> bool:
        return rules.may_turn_off(required=self.required, has_device=self.enrolled)

    @property
    def recovery_low(self) -> bool:
        return self.enrolled and self.recovery_left <= rules.RECOVERY_CODES_LOW


def second_factor_status(user) -> SecondFactorStatus:
    device = authenticator_get(user)
    return SecondFactorStatus(
        required=second_factor_required(user), device=device,
        recovery_left=recovery_codes_left(user) if device else 0,
    )


def account_list(*, search: str = "") -> QuerySet:
    """Every account with its second factor's state, for the administrator's list: `enrolled` (a
    confirmed authenticator) and `recovery_left`."""
    users = get_user_model().objects.annotate(
        enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        recovery_left=Count("recoverycodedevice__code_set", filter=Q(recoverycodedevice__confirmed=True),
                            distinct=True),
    ).prefetch_related("role_assignments").order_by("username")
    search = (search or "").strip()
    if search:
        users = users.filter(Q(username__icontains=search) | Q(last_name__icontains=search)
                             | Q(first_name__icontains=search))
    return users
