"""Helpers of the second factor's tests: the production requirement switched back on, authenticators
with a known key, the current code, and a session that has passed the second factor."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.otp import pass_second_factor
from twofactor import rules, services
from twofactor.models import RecoveryCode

# What portal/settings/base.py requires by default (portal/settings/test.py requires nothing).
PRODUCTION_ROLES = ["admin", "bank_officer", "insurer_officer", "org_staff"]
KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key, as django-otp keeps it (hex)


@pytest.fixture
def required(settings):
    """The requirement as production has it: administrators, staff accounts, org staff, bank and
    insurer officers."""
    settings.PORTAL_SECOND_FACTOR_ROLES = PRODUCTION_ROLES
    settings.PORTAL_SECOND_FACTOR_FOR_STAFF = True
    return settings


def enrol(user, key: str = KEY) -> TOTPDevice:
    """A confirmed authenticator that has not been used yet: the current code signs in."""
    return TOTPDevice.objects.create(user=user, name=services.AUTHENTICATOR_NAME, key=key, confirmed=True)


def code_for(key: str = KEY, *, steps: int = 0, at: float | None = None) -> str:
    """The code the app shows now (or `steps` periods later: django-otp accepts one either way, and
    a code once used is refused, so a test that needs two codes takes the next one)."""
    totp = TOTP(bytes.fromhex(key), step=30)
    totp.time = (time.time() if at is None else at) + 30 * steps
    return f"{totp.token():06d}"


def recovery_codes(user) -> list[str]:
    return services._new_recovery_codes(user)


def codes_kept(user, candidates) -> list[str]:
    """Which of `candidates` the user's stored hashes would accept (read only: nothing is used up). The
    database holds no code to read back, so a test asks which of the codes it knows are still there."""
    hashes = list(RecoveryCode.objects.filter(device__user=user).values_list("hashed", flat=True))
    return sorted(c for c in candidates if any(rules.recovery_code_matches(c, h) for h in hashes))


def signed_in(user, device=None) -> Client:
    """A client whose session passed the password and, with `device`, the second factor."""
    client = Client()
    client.force_login(user)
    if device is not None:
        pass_second_factor(client, user, device)
    return client
