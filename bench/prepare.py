"""The Django side of `make bench`, run as a subprocess against one database with the server's settings.

    python -m bench.prepare setup    # credentials and sessions for the load -> JSON on stdout
    python -m bench.prepare queries  # SQL queries of each dashboard page (spec JSON on stdin) -> JSON

`setup` makes, in the database it is pointed at (DATABASE_URL):
  - a legacy DRF token for the demo bank officer `bank` (the baseline endpoint
    `/api/v1/institutions/<id>/` declares no key scope, so it is closed to institution API keys: both
    endpoints of row 1 are called with this token, the same authentication on both sides);
  - an institution API key of the bank with the eligibility scope, made by the demo administrator
    through apikeys.services (a rate limit high enough not to throttle the load), for the key figure;
  - one signed-in session per demo role, made with the session engine and marked past the second
    factor the way django-otp's login marks it (the session names the user's confirmed device) — no
    TOTP code to race against the 30-second window, no lockout counter to trip;
  - a sample of enterprise credit codes the bank may look up, and the bank's institution id.
The session hash depends on DJANGO_SECRET_KEY: this runs with the same environment as the server.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys

import django

ROLES = ("orgstaff", "townstaff", "station", "bank", "insurer", "enterprise", "cadre", "leader", "admin")


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    django.setup()


def session_for(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return store.session_key


def batch_eligibility_path() -> str | None:
    """The batch eligibility endpoint, when one exists: a URL of the API whose name or route says
    eligibility and batch (or bulk)."""
    from django.urls import get_resolver

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern, route)
            else:
                yield route, pattern.name or ""

    for route, name in walk(get_resolver()):
        text = (route + " " + name).lower()
        if "eligibility" in text and ("batch" in text or "bulk" in text) and "<" not in route:
            return "/" + route.lstrip("^").rstrip("$")
    return None


def setup() -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from apikeys import services as apikeys_services
    from apikeys.scopes import ELIGIBILITY_READ
    from finance import selectors
    from portal.models import RoleAssignment

    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    missing = sorted(set(ROLES) - set(users))
    if missing:
        sys.exit(f"demo accounts missing: {', '.join(missing)} (is the database seeded?)")
    bank = users["bank"]
    institution = RoleAssignment.objects.filter(user=bank, institution__isnull=False).first().institution
    token, _created = Token.objects.get_or_create(user=bank)
    _key, plain = apikeys_services.api_key_create(
        acting_user=users["admin"], institution=institution, name=f"bench {timezone.now():%Y-%m-%d %H:%M:%S}",
        scopes=[ELIGIBILITY_READ], expires_on=timezone.localdate() + datetime.timedelta(days=7),
        rate_limit=10_000_000)
    ids = list(selectors.lookup_scope(user=bank).values_list("uscc", flat=True).order_by("pk")[:200_000])
    rng = random.Random(17)  # noqa: S311 - a sample, not a secret
    sample = rng.sample(ids, min(len(ids), 2000))
    return {
        "token": token.key, "api_key": plain, "institution": institution.pk, "usccs": sample,
        "sessions": {name: session_for(user) for name, user in users.items()},
        "batch_path": batch_eligibility_path(),
    }


def queries(spec: dict) -> dict:
    """{"sessions": {user: key}, "pages": [[user, path], ...]} -> {"user path": count}: the number of
    SQL queries of one request of each page (after one warm-up request), through Django's test client."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for user, path in spec["pages"]:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = spec["sessions"][user]
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counts[f"{user} {path}"] = len(captured) if response.status_code == 200 else None
    return counts


def main():
    _setup_django()
    command = sys.argv[1] if len(sys.argv) > 1 else "setup"
    if command == "setup":
        result = setup()
    elif command == "queries":
        result = queries(json.load(sys.stdin))
    else:
        sys.exit(f"unknown command {command}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
