"""`/healthz`, the load balancer's probe: 200 when every dependency answers, 503 JSON naming the one
that does not (database, Redis, the broker when it is a service of its own) — the same answer for every
caller, signed in or not, whatever the middleware after it (the second factor, the session records)
would do with a page. tests/faults stop the real services; here the addresses point nowhere."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

NOWHERE = "redis://127.0.0.1:1/0"


def test_every_dependency_answers():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "down": [], "checks": {"database": "ok", "redis": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_a_broker_of_its_own_is_checked_and_named_when_down():
    with override_settings(CELERY_BROKER_URL=NOWHERE):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "down": ["broker"], "checks": {
        "database": "ok", "redis": "ok", "broker": "error: ConnectionError"}}


def test_redis_down_names_redis_and_the_broker_that_is_a_second_redis():
    with override_settings(REDIS_URL=NOWHERE, CELERY_BROKER_URL="redis://127.0.0.1:2/0"):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["redis", "broker"]


def test_the_embedded_mode_has_no_redis_and_is_healthy():
    with override_settings(REDIS_URL="", CELERY_BROKER_URL="memory://"):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "not configured (embedded mode)"}


SECOND_FACTOR_ON = {"PORTAL_SECOND_FACTOR_ROLES": ["admin", "org_staff", "bank_officer", "insurer_officer"],
                    "PORTAL_SECOND_FACTOR_FOR_STAFF": True}


@pytest.mark.parametrize("who", [None, "org_staff", "enterprise_user"])
def test_every_caller_gets_the_same_json_while_redis_is_down(world, who):
    # given a caller without a session, an org staff member who has not passed the second factor (every
    # page would send them to enrol), and an enterprise user whose session is being recorded
    client = Client()
    if who:
        client.force_login(getattr(world, who))
    with override_settings(REDIS_URL=NOWHERE, **SECOND_FACTOR_ON):
        response = client.get("/healthz")
    # then each gets the probe's 503 JSON naming Redis, not a redirect or a page
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["down"] == ["redis"]
    if who == "org_staff":
        with override_settings(**SECOND_FACTOR_ON):
            assert client.get("/enterprises/").status_code == 302  # the gate is on for pages


def test_the_probe_answers_before_any_middleware_that_reads_the_session_or_the_user():
    order = settings.MIDDLEWARE
    probe = order.index("portal.middleware.HealthCheckMiddleware")
    readers = [m for m in order if m.startswith(("django.contrib.sessions", "django.contrib.auth", "django_otp",
                                                 "twofactor", "logins", "axes", "apikeys"))]
    assert readers
    assert all(order.index(m) > probe for m in readers), order
